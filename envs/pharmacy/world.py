"""The chain's world: stores, drugs and their batches, interactions, patients, prescriptions and history, and how
an instance's database is built."""

from __future__ import annotations

import datetime as dt
import random

STORES = [
    ("Market Square", "Aldbury"),
    ("Harbour Road", "Aldbury"),
    ("Mill Lane", "Brenford"),
    ("Station Parade", "Brenford"),
    ("Castle Street", "Corwick"),
    ("Elm Grove", "Dunmere"),
]
PREFIXES = [
    "Ami",
    "Bre",
    "Cal",
    "Dor",
    "Eza",
    "Flo",
    "Gly",
    "Hal",
    "Ira",
    "Lor",
    "Mex",
    "Nor",
    "Oxa",
    "Pra",
    "Ren",
    "Sul",
    "Tam",
    "Val",
    "Xen",
    "Zol",
    "Quin",
    "Vex",
]
CLASSES = {
    "pril": ("blood pressure", 1),
    "statin": ("cholesterol", 1),
    "cillin": ("antibiotic", 1),
    "zole": ("stomach", 0),
    "fen": ("pain relief", 0),
    "dine": ("allergy", 0),
    "lol": ("heart", 1),
    "mycin": ("antibiotic", 1),
    "tral": ("sleep", 1),
    "mint": ("cough and cold", 0),
}
FIRST = [
    "Aurelia",
    "Barnaby",
    "Cosima",
    "Dashiell",
    "Eulalie",
    "Ferris",
    "Ginevra",
    "Hamish",
    "Ione",
    "Jubal",
    "Kerensa",
    "Lysander",
    "Morwenna",
    "Ninian",
    "Ophira",
    "Peregrine",
    "Rowena",
    "Tobiah",
    "Una",
    "Wystan",
]
LAST = [
    "Applegarth",
    "Birchall",
    "Cobbold",
    "Dimmock",
    "Entwistle",
    "Farrow",
    "Gisborne",
    "Hebblethwaite",
    "Illingworth",
    "Jephcott",
    "Kimber",
    "Loxley",
    "Mottram",
    "Nuttall",
    "Ollerenshaw",
    "Pickles",
]
OTC_DAILY_PACKS, INTERACTION_DAYS, TRANSFER_MIN_DAYS = 3, 30, 30


def days_after(day: str, n: int) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=n)).isoformat()


def one_edit_apart(a: str, b: str) -> bool:
    """Whether two names differ by one letter changed, added or dropped (case aside)."""
    a, b = sorted((a.lower(), b.lower()), key=len)
    if len(b) - len(a) > 1 or a == b:
        return False
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def age_on(birth: str, day: str) -> int:
    b, d = dt.date.fromisoformat(birth), dt.date.fromisoformat(day)
    return d.year - b.year - ((d.month, d.day) < (b.month, b.day))


class PharmacyWorld:
    def build(self, rng: random.Random) -> None:
        self.db.executescript("""
            CREATE TABLE pharmacy (id INTEGER PRIMARY KEY, today TEXT);
            CREATE TABLE stores (id INTEGER PRIMARY KEY, name TEXT UNIQUE, town TEXT);
            CREATE TABLE drugs (id INTEGER PRIMARY KEY, name TEXT UNIQUE, category TEXT, strength_mg INTEGER,
                prescription_only INTEGER, min_age INTEGER, unit_price REAL, reorder_level INTEGER);
            CREATE TABLE batches (id INTEGER PRIMARY KEY, drug_id INTEGER REFERENCES drugs(id),
                store_id INTEGER REFERENCES stores(id), lot TEXT, expires_on TEXT, quantity INTEGER, status TEXT);
            CREATE TABLE interactions (id INTEGER PRIMARY KEY, drug_a INTEGER, drug_b INTEGER, severity TEXT);
            CREATE TABLE patients (id INTEGER PRIMARY KEY, name TEXT UNIQUE, birth_date TEXT);
            CREATE TABLE prescriptions (id INTEGER PRIMARY KEY, patient_id INTEGER REFERENCES patients(id),
                drug_id INTEGER REFERENCES drugs(id), packs INTEGER, fills_left INTEGER, written_on TEXT,
                valid_until TEXT, status TEXT);
            CREATE TABLE dispenses (id INTEGER PRIMARY KEY, patient_id INTEGER, drug_id INTEGER, store_id INTEGER,
                batch_id INTEGER, prescription_id INTEGER, quantity INTEGER, dispensed_on TEXT);
            CREATE TABLE reorders (id INTEGER PRIMARY KEY, store_id INTEGER, drug_id INTEGER, quantity INTEGER,
                created_on TEXT, status TEXT);
        """)
        n_stores, n_drugs, n_patients = {
            "small": (2, (26, 32), (25, 32)),
            "medium": (3, (34, 42), (35, 45)),
            "large": (4, (44, 55), (50, 65)),
        }[self.variant.scale]
        today = dt.date(2026, rng.randint(1, 12), rng.randint(1, 28)).isoformat()
        self.db.execute("INSERT INTO pharmacy VALUES (1, ?)", (today,))
        for name, town in rng.sample(STORES, n_stores):
            self.db.execute("INSERT INTO stores (name, town) VALUES (?, ?)", (name, town))
        stores = [r["id"] for r in self.rows("SELECT id FROM stores")]
        wanted, names = rng.randint(*n_drugs), []
        for prefix, suffix in rng.sample([(p, s) for p in PREFIXES for s in CLASSES], len(PREFIXES) * len(CLASSES)):
            if len(names) < wanted and not any(one_edit_apart(prefix + suffix, p + s) for p, s in names):
                names.append((prefix, suffix))  # names a typo apart would be read as one another
        for prefix, suffix in names:
            category, rx = CLASSES[suffix]
            self.db.execute(
                "INSERT INTO drugs (name, category, strength_mg, prescription_only, min_age, unit_price, "
                "reorder_level) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    f"{prefix}{suffix}",
                    category,
                    rng.choice([5, 10, 20, 50, 100, 250, 500]),
                    rx,
                    rng.choice([0, 0, 6, 12, 16, 18]),
                    round(rng.uniform(2.5, 48.0), 2),
                    rng.randint(4, 12),
                ),
            )
        drugs = self.rows("SELECT * FROM drugs")
        lot = rng.randint(1000, 5000)
        for d in drugs:
            for store in stores:
                for _ in range(rng.choices([0, 1, 2, 3], [1, 3, 3, 2])[0]):
                    lot += rng.randint(1, 30)
                    expires = days_after(
                        today,
                        rng.choice(
                            [rng.randint(-40, -1), rng.randint(3, 60), rng.randint(30, 500), rng.randint(90, 500)]
                        ),
                    )
                    self.db.execute(
                        "INSERT INTO batches (drug_id, store_id, lot, expires_on, quantity, status) "
                        "VALUES (?, ?, ?, ?, ?, 'ok')",
                        (d["id"], store, f"L{lot}", expires, rng.randint(1, 14)),
                    )
        ids = [d["id"] for d in drugs]
        pairs = set()
        while len(pairs) < len(ids):
            a, b = sorted(rng.sample(ids, 2))
            pairs.add((a, b))
        for a, b in sorted(pairs):
            self.db.execute(
                "INSERT INTO interactions (drug_a, drug_b, severity) VALUES (?, ?, ?)",
                (a, b, rng.choice(["major", "moderate", "moderate"])),
            )
        for name in rng.sample([f"{f} {last}" for f in FIRST for last in LAST], rng.randint(*n_patients)):
            born = dt.date.fromisoformat(today) - dt.timedelta(
                days=rng.choice([rng.randint(4 * 365, 17 * 365), rng.randint(18 * 365, 88 * 365)])
            )
            pid = self.db.execute(
                "INSERT INTO patients (name, birth_date) VALUES (?, ?)", (name, born.isoformat())
            ).lastrowid
            for d in rng.sample([d for d in drugs if d["prescription_only"]], rng.randint(1, 3)):
                written = days_after(today, -rng.randint(5, 200))
                valid = days_after(written, rng.choice([90, 180, 365]))
                self.db.execute(
                    "INSERT INTO prescriptions (patient_id, drug_id, packs, fills_left, written_on, "
                    "valid_until, status) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        pid,
                        d["id"],
                        rng.randint(1, 3),
                        rng.choice([0, 1, 1, 2, 3, 5]),
                        written,
                        valid,
                        rng.choice(["active"] * 6 + ["cancelled"]),
                    ),
                )
            for _ in range(rng.randint(1, 5)):  # medicines dispensed earlier
                d = rng.choice(drugs)
                self.db.execute(
                    "INSERT INTO dispenses (patient_id, drug_id, store_id, batch_id, prescription_id, "
                    "quantity, dispensed_on) VALUES (?, ?, ?, NULL, NULL, ?, ?)",
                    (pid, d["id"], rng.choice(stores), rng.randint(1, 2), days_after(today, -rng.randint(1, 70))),
                )
        for store in stores:
            for d in rng.sample(drugs, 3):
                self.db.execute(
                    "INSERT INTO reorders (store_id, drug_id, quantity, created_on, status) VALUES (?, ?, ?, ?, ?)",
                    (
                        store,
                        d["id"],
                        d["reorder_level"] * 2,
                        days_after(today, -rng.randint(1, 20)),
                        rng.choice(["open", "received"]),
                    ),
                )
