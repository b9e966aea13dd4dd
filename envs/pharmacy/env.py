"""Pharmacy stock: drugs, batches with expiry dates per store, patients, prescriptions, interactions, reorders."""

from __future__ import annotations

import datetime as dt
import random
from contextlib import contextmanager

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool
from verifiers.common import verify_names, verify_number

STORES = [("Market Square", "Aldbury"), ("Harbour Road", "Aldbury"), ("Mill Lane", "Brenford"),
          ("Station Parade", "Brenford"), ("Castle Street", "Corwick"), ("Elm Grove", "Dunmere")]
PREFIXES = ["Ami", "Bre", "Cal", "Dor", "Eza", "Flo", "Gly", "Hal", "Ira", "Lor", "Mex", "Nor", "Oxa", "Pra", "Ren",
            "Sul", "Tam", "Val", "Xen", "Zol", "Quin", "Vex"]
CLASSES = {"pril": ("blood pressure", 1), "statin": ("cholesterol", 1), "cillin": ("antibiotic", 1),
           "zole": ("stomach", 0), "fen": ("pain relief", 0), "dine": ("allergy", 0), "lol": ("heart", 1),
           "mycin": ("antibiotic", 1), "tral": ("sleep", 1), "mint": ("cough and cold", 0)}
FIRST = ["Aurelia", "Barnaby", "Cosima", "Dashiell", "Eulalie", "Ferris", "Ginevra", "Hamish", "Ione", "Jubal",
         "Kerensa", "Lysander", "Morwenna", "Ninian", "Ophira", "Peregrine", "Rowena", "Tobiah", "Una", "Wystan"]
LAST = ["Applegarth", "Birchall", "Cobbold", "Dimmock", "Entwistle", "Farrow", "Gisborne", "Hebblethwaite",
        "Illingworth", "Jephcott", "Kimber", "Loxley", "Mottram", "Nuttall", "Ollerenshaw", "Pickles"]
OTC_DAILY_PACKS, INTERACTION_DAYS, TRANSFER_MIN_DAYS = 3, 30, 30


def days_after(day: str, n: int) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=n)).isoformat()


def age_on(birth: str, day: str) -> int:
    b, d = dt.date.fromisoformat(birth), dt.date.fromisoformat(day)
    return d.year - b.year - ((d.month, d.day) < (b.month, b.day))


class PharmacyEnv(EnvTemplate):
    name = "pharmacy"
    version = "1.0.0"
    category = "pharmacy stock"
    description = ("A pharmacy chain's dispensary system: look up drugs, batch stock and expiry per store, patients, "
                   "their prescriptions and recent medicines; dispense, transfer stock between stores, dispose of "
                   "expired batches and place reorders.")
    policy = (
        "Dates count from today (get_pharmacy_info). Only unexpired stock (expiring after today) counts and may be "
        "dispensed; stock always leaves a store earliest-expiry first (the system picks the batches). "
        "A prescription-only drug is dispensed only against an active prescription of that patient that is valid "
        "today and has a fill left; one fill dispenses exactly the prescribed number of packs. "
        "Over-the-counter sales are at most 3 packs of one drug per patient per day. Never dispense a drug below "
        "its minimum age, or one that has a major interaction with a drug dispensed to the same patient in the "
        "last 30 days (today included). "
        "Stock may be transferred between stores only from batches with at least 30 more days to expiry. "
        "A drug may be reordered for a store only when its unexpired stock there is below its reorder level and no "
        "reorder for it is open; the order must bring the stock up to exactly twice the reorder level. "
        "Dispose of a batch only once it has expired."
    )
    variants = VariantSpace(
        optional_tools=("list_stores",),
        renames={"get_stock": ("stock_levels", "batch_lookup"), "dispense": ("dispense_drug",),
                 "search_drugs": ("drug_search",)},
        rules={"moderate_blocks": "Treat moderate interactions like major ones: never dispense across them.",
               "no_minor_otc": "Patients under 16 may not buy over-the-counter drugs; they get prescription fills "
                               "only."},
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "stock_units": [
            "How many packs of {{drug}} that are still in date does the {{store}} store have?",
            "What is the unexpired stock of {{drug}} at {{store}}, in packs?",
        ],
        "refills_left": [
            "How many fills are left on {{patient}}'s prescription for {{drug}}?",
            "{{patient}} has a prescription for {{drug}}. How many more times can it be filled?",
        ],
        "next_expiry": [
            "When does the earliest-expiring in-date batch of {{drug}} at {{store}} expire?",
            "At {{store}}, what is the expiry date of the first {{drug}} batch that will be dispensed next?",
        ],
        "expiring_soon": [
            "Which drugs at {{store}} have in-date stock that expires within the next {{days}} days (on or before "
            "{{until}})?",
            "List the drugs in {{store}} with a batch that is still good today but expires by {{until}}.",
        ],
        "interaction_conflict": [
            "Which of the drugs {{patient}} was given in the last 30 days has a major interaction with {{drug}}?",
            "Before we give {{patient}} any {{drug}}: which of their medicines from the past 30 days interacts "
            "majorly with it?",
        ],
        "low_stock": [
            "Which {{category}} drugs at {{store}} have unexpired stock below their reorder level?",
            "List the {{category}} drugs whose in-date stock at {{store}} has fallen under the reorder level.",
        ],
        "stock_value": [
            "What is the total value, at unit price, of the unexpired {{category}} stock at {{store}}? 2 decimals.",
            "Add up packs times unit price over all in-date {{category}} drugs at {{store}} (2 decimals).",
        ],
        "fill_prescription": [
            "Fill {{patient}}'s prescription for {{drug}} at the {{store}} store.",
            "{{patient}} is at {{store}} to collect their {{drug}} prescription. Dispense it.",
        ],
        "dispose_expired": [
            "Clear out every batch at {{store}} that expired on or before {{cutoff}}.",
            "Dispose of all batches at {{store}} whose expiry date is {{cutoff}} or earlier.",
        ],
        "reorder_low": [
            "Place reorders at {{store}} for every {{category}} drug the policy allows to be reordered there.",
            "Run the reorder round for the {{category}} drugs of {{store}}: order each one that is due a reorder, in "
            "the quantity our rules require.",
        ],
        "fill_all": [
            "{{patient}} is at {{store}}. Fill every one of their prescriptions that the rules allow and that the "
            "store's stock covers; skip the others.",
            "At {{store}}, dispense all of {{patient}}'s prescriptions that may be filled today under our policy "
            "and for which there is enough in-date stock there.",
        ],
        "otc_basket": [
            "{{patient}} wants to buy, in this order, at {{store}}: {{basket}}. Sell each item the rules allow "
            "(in full or not at all) and skip the rest.",
            "Ring up {{patient}}'s over-the-counter basket at {{store}} item by item, in order: {{basket}}. Any item "
            "the policy or the stock does not allow in full is left out.",
        ],
        "fill_with_transfer": [
            "{{patient}} is collecting at {{store}}. Fill every prescription of theirs that the rules allow; when "
            "{{store}} lacks enough in-date stock for a fill, first transfer the shortfall from the other store "
            "with the most transferable stock of it (skip the fill if no store can cover it). Afterwards, place the "
            "reorders the policy calls for at {{store}} for the drugs you dispensed.",
            "Dispense {{patient}}'s allowed prescriptions at {{store}}. Where stock there is short, move just the "
            "missing packs from the store holding the most transferable stock of that drug, if it can cover it. "
            "Then reorder, as our rules require, any of the dispensed drugs that {{store}} now needs to reorder.",
        ],
    }

    # ---- database ---------------------------------------------------------------------------------

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
        n_stores, n_drugs, n_patients = {"small": (2, (26, 32), (25, 32)), "medium": (3, (34, 42), (35, 45)),
                                         "large": (4, (44, 55), (50, 65))}[self.variant.scale]
        today = dt.date(2026, rng.randint(1, 12), rng.randint(1, 28)).isoformat()
        self.db.execute("INSERT INTO pharmacy VALUES (1, ?)", (today,))
        for name, town in rng.sample(STORES, n_stores):
            self.db.execute("INSERT INTO stores (name, town) VALUES (?, ?)", (name, town))
        stores = [r["id"] for r in self.rows("SELECT id FROM stores")]
        names = rng.sample([(p, s) for p in PREFIXES for s in CLASSES], rng.randint(*n_drugs))
        for prefix, suffix in names:
            category, rx = CLASSES[suffix]
            self.db.execute("INSERT INTO drugs (name, category, strength_mg, prescription_only, min_age, unit_price, "
                            "reorder_level) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            (f"{prefix}{suffix}", category, rng.choice([5, 10, 20, 50, 100, 250, 500]), rx,
                             rng.choice([0, 0, 6, 12, 16, 18]), round(rng.uniform(2.5, 48.0), 2), rng.randint(4, 12)))
        drugs = self.rows("SELECT * FROM drugs")
        lot = rng.randint(1000, 5000)
        for d in drugs:
            for store in stores:
                for _ in range(rng.choices([0, 1, 2, 3], [1, 3, 3, 2])[0]):
                    lot += rng.randint(1, 30)
                    expires = days_after(today, rng.choice([rng.randint(-40, -1), rng.randint(3, 60),
                                                            rng.randint(30, 500), rng.randint(90, 500)]))
                    self.db.execute("INSERT INTO batches (drug_id, store_id, lot, expires_on, quantity, status) "
                                    "VALUES (?, ?, ?, ?, ?, 'ok')", (d["id"], store, f"L{lot}", expires,
                                                                      rng.randint(1, 14)))
        ids = [d["id"] for d in drugs]
        pairs = set()
        while len(pairs) < len(ids):
            a, b = sorted(rng.sample(ids, 2))
            pairs.add((a, b))
        for a, b in sorted(pairs):
            self.db.execute("INSERT INTO interactions (drug_a, drug_b, severity) VALUES (?, ?, ?)",
                            (a, b, rng.choice(["major", "moderate", "moderate"])))
        for name in rng.sample([f"{f} {l}" for f in FIRST for l in LAST], rng.randint(*n_patients)):
            born = dt.date.fromisoformat(today) - dt.timedelta(days=rng.choice([rng.randint(4 * 365, 17 * 365),
                                                                                  rng.randint(18 * 365, 88 * 365)]))
            pid = self.db.execute("INSERT INTO patients (name, birth_date) VALUES (?, ?)",
                                  (name, born.isoformat())).lastrowid
            for d in rng.sample([d for d in drugs if d["prescription_only"]], rng.randint(1, 3)):
                written = days_after(today, -rng.randint(5, 200))
                valid = days_after(written, rng.choice([90, 180, 365]))
                self.db.execute("INSERT INTO prescriptions (patient_id, drug_id, packs, fills_left, written_on, "
                                "valid_until, status) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                (pid, d["id"], rng.randint(1, 3), rng.choice([0, 1, 1, 2, 3, 5]), written, valid,
                                 rng.choice(["active"] * 6 + ["cancelled"])))
            for _ in range(rng.randint(1, 5)):  # medicines dispensed earlier
                d = rng.choice(drugs)
                self.db.execute("INSERT INTO dispenses (patient_id, drug_id, store_id, batch_id, prescription_id, "
                                "quantity, dispensed_on) VALUES (?, ?, ?, NULL, NULL, ?, ?)",
                                (pid, d["id"], rng.choice(stores), rng.randint(1, 2), days_after(today, -rng.randint(1, 70))))
        for store in stores:
            for d in rng.sample(drugs, 3):
                self.db.execute("INSERT INTO reorders (store_id, drug_id, quantity, created_on, status) VALUES "
                                "(?, ?, ?, ?, ?)", (store, d["id"], d["reorder_level"] * 2,
                                                    days_after(today, -rng.randint(1, 20)),
                                                    rng.choice(["open", "received"])))

    # ---- helpers ------------------------------------------------------------------------------------

    def _today(self) -> str:
        return self.db.execute("SELECT today FROM pharmacy").fetchone()[0]

    def _store(self, name: str) -> int:
        row = self.db.execute("SELECT id FROM stores WHERE lower(name) = lower(?)", (name,)).fetchone()
        if row is None:
            names = ", ".join(r["name"] for r in self.rows("SELECT name FROM stores ORDER BY name"))
            raise ValueError(f"unknown store {name!r}; the stores are {names}")
        return row["id"]

    def _get(self, table: str, row_id: int, hint: str) -> dict:
        row = self.db.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,)).fetchone()
        if row is None:
            raise ValueError(f"no {table[:-1]} with id {row_id}; {hint}")
        return dict(row)

    def _units(self, store_id: int, drug_id: int, min_expiry: str | None = None) -> int:
        return self.db.execute("SELECT COALESCE(SUM(quantity), 0) FROM batches WHERE store_id = ? AND drug_id = ? AND "
                               "status = 'ok' AND expires_on > ?", (store_id, drug_id, min_expiry or self._today())
                               ).fetchone()[0]

    def _blocking(self) -> tuple[str, ...]:
        return ("major", "moderate") if "moderate_blocks" in self.variant.rules else ("major",)

    def _recent(self, patient_id: int) -> set[int]:
        since = days_after(self._today(), -INTERACTION_DAYS)
        return {r["drug_id"] for r in self.rows("SELECT drug_id FROM dispenses WHERE patient_id = ? AND dispensed_on > ?",
                                                patient_id, since)}

    def _conflicts(self, patient_id: int, drug_id: int, severities=None) -> list[int]:
        severities = severities or self._blocking()
        recent = self._recent(patient_id)
        out = []
        for r in self.rows("SELECT drug_a, drug_b, severity FROM interactions WHERE drug_a = ? OR drug_b = ?",
                           drug_id, drug_id):
            other = r["drug_b"] if r["drug_a"] == drug_id else r["drug_a"]
            if other in recent and r["severity"] in severities:
                out.append(other)
        return sorted(out)

    def _take(self, store_id: int, drug_id: int, quantity: int, min_expiry: str) -> list[tuple[dict, int]]:
        """Earliest-expiry-first portions of batches covering `quantity`."""
        portions = []
        for b in self.rows("SELECT * FROM batches WHERE store_id = ? AND drug_id = ? AND status = 'ok' AND expires_on > ? "
                           "AND quantity > 0 ORDER BY expires_on, id", store_id, drug_id, min_expiry):
            take = min(quantity, b["quantity"])
            if take:
                portions.append((b, take))
                quantity -= take
        if quantity > 0:
            raise ValueError("not enough in-date stock at this store")
        for b, take in portions:
            self.db.execute("UPDATE batches SET quantity = quantity - ? WHERE id = ?", (take, b["id"]))
        return portions

    def _rules(self) -> dict:
        return {"blocking": list(self._blocking()), "no_minor_otc": "no_minor_otc" in self.variant.rules}

    @contextmanager
    def _trial(self):
        """Run tools for real to learn their effects, then undo them."""
        self.db.commit()
        before = self.snapshot()
        self.db.execute("SAVEPOINT trial")
        try:
            yield before
        finally:
            self.db.execute("ROLLBACK TO trial")
            self.db.execute("RELEASE trial")

    # ---- tools --------------------------------------------------------------------------------------

    @tool("read")
    def get_pharmacy_info(self) -> dict:
        """Today's date and the dispensing rules in numbers."""
        return {"today": self._today(), "otc_daily_packs": OTC_DAILY_PACKS, "interaction_window_days": INTERACTION_DAYS,
                "blocking_interactions": list(self._blocking()), "transfer_min_days_to_expiry": TRANSFER_MIN_DAYS,
                "under_16_prescription_only": "no_minor_otc" in self.variant.rules}

    @tool("read")
    def list_stores(self) -> list[dict]:
        """All stores with their town."""
        return self.rows("SELECT id, name, town FROM stores ORDER BY name")

    @tool("read")
    def search_drugs(self, name: str | None = None, category: str | None = None) -> list[dict]:
        """Drugs by part of the name and/or category, with unit price, minimum age and reorder level.

        Args:
            name: Part of the drug name.
            category: e.g. blood pressure, cholesterol, antibiotic, stomach, pain relief, allergy, heart, sleep,
                cough and cold.
        """
        return self.rows("SELECT * FROM drugs WHERE (? IS NULL OR lower(name) LIKE '%' || lower(?) || '%') AND "
                         "(? IS NULL OR lower(category) = lower(?)) ORDER BY id", name, name, category, category)

    @tool("read")
    def get_stock(self, drug_id: int, store: str | None = None) -> list[dict]:
        """Batches of a drug (lot, store, expiry, packs, status), at one store or at all stores.

        Args:
            drug_id: Drug id from search_drugs.
            store: Store name; all stores when left out.
        """
        self._get("drugs", drug_id, "use search_drugs")
        store_id = self._store(store) if store else None
        return self.rows("SELECT b.id AS batch_id, s.name AS store, b.lot, b.expires_on, b.quantity, b.status FROM "
                         "batches b JOIN stores s ON s.id = b.store_id WHERE b.drug_id = ? AND (? IS NULL OR "
                         "b.store_id = ?) ORDER BY s.name, b.expires_on, b.id", drug_id, store_id, store_id)

    @tool("read")
    def list_store_batches(self, store: str) -> list[dict]:
        """Every batch held at a store with its drug, expiry, packs and status.

        Args:
            store: Store name.
        """
        return self.rows("SELECT b.id AS batch_id, d.id AS drug_id, d.name AS drug, b.lot, b.expires_on, b.quantity, "
                         "b.status FROM batches b JOIN drugs d ON d.id = b.drug_id WHERE b.store_id = ? ORDER BY "
                         "d.name, b.expires_on", self._store(store))

    @tool("read")
    def find_patients(self, name: str) -> list[dict]:
        """Patients whose name contains the text (case-insensitive).

        Args:
            name: Full or partial name.
        """
        if not name.strip():
            raise ValueError("give part of the patient's name")
        return self.rows("SELECT id, name, birth_date FROM patients WHERE lower(name) LIKE '%' || lower(?) || '%' "
                         "ORDER BY id", name)

    @tool("read")
    def get_patient(self, patient_id: int) -> dict:
        """A patient's birth date, prescriptions and the medicines dispensed to them.

        Args:
            patient_id: Patient id from find_patients.
        """
        p = self._get("patients", patient_id, "use find_patients")
        p["prescriptions"] = self.rows("SELECT r.id AS prescription_id, r.drug_id, d.name AS drug, r.packs, r.fills_left, "
                                       "r.written_on, r.valid_until, r.status FROM prescriptions r JOIN drugs d ON "
                                       "d.id = r.drug_id WHERE r.patient_id = ? ORDER BY r.id", patient_id)
        p["dispensed"] = self.rows("SELECT x.drug_id, d.name AS drug, x.quantity, x.dispensed_on FROM dispenses x JOIN "
                                   "drugs d ON d.id = x.drug_id WHERE x.patient_id = ? ORDER BY x.dispensed_on, x.id",
                                   patient_id)
        return p

    @tool("read")
    def check_interactions(self, drug_id: int) -> list[dict]:
        """Known interactions of a drug: the other drug and the severity (major or moderate).

        Args:
            drug_id: Drug id.
        """
        self._get("drugs", drug_id, "use search_drugs")
        return self.rows("SELECT d.id AS drug_id, d.name AS drug, i.severity FROM interactions i JOIN drugs d ON d.id = "
                         "CASE WHEN i.drug_a = ? THEN i.drug_b ELSE i.drug_a END WHERE i.drug_a = ? OR i.drug_b = ? "
                         "ORDER BY d.name", drug_id, drug_id, drug_id)

    @tool("read")
    def list_reorders(self, store: str) -> list[dict]:
        """Reorders of a store with their status (open or received).

        Args:
            store: Store name.
        """
        return self.rows("SELECT r.id, d.name AS drug, r.drug_id, r.quantity, r.created_on, r.status FROM reorders r "
                         "JOIN drugs d ON d.id = r.drug_id WHERE r.store_id = ? ORDER BY r.id", self._store(store))

    @tool("write")
    def dispense(self, patient_id: int, drug_id: int, store: str, quantity: int,
                 prescription_id: int | None = None) -> dict:
        """Dispense packs of a drug to a patient from a store's in-date stock, earliest expiry first.

        Args:
            patient_id: Patient id.
            drug_id: Drug id.
            store: Store name.
            quantity: Packs to dispense.
            prescription_id: The prescription being filled (required for prescription-only drugs).
        """
        patient = self._get("patients", patient_id, "use find_patients")
        drug = self._get("drugs", drug_id, "use search_drugs")
        store_id, today = self._store(store), self._today()
        if quantity < 1:
            raise ValueError("quantity must be at least 1")
        age = age_on(patient["birth_date"], today)
        if age < drug["min_age"]:
            raise ValueError(f"policy: {drug['name']} is not for patients under {drug['min_age']}")
        if conflicts := self._conflicts(patient_id, drug_id):
            raise ValueError(f"policy: interacts with drug ids {conflicts} dispensed in the last {INTERACTION_DAYS} days")
        if drug["prescription_only"]:
            if prescription_id is None:
                raise ValueError("policy: this drug needs a prescription; pass prescription_id")
            rx = self._get("prescriptions", prescription_id, "get_patient lists prescriptions")
            if (rx["patient_id"], rx["drug_id"]) != (patient_id, drug_id):
                raise ValueError("that prescription is for another patient or drug")
            if rx["status"] != "active" or rx["valid_until"] < today or rx["fills_left"] < 1:
                raise ValueError("policy: the prescription is not active, has expired or has no fills left")
            if quantity != rx["packs"]:
                raise ValueError(f"policy: a fill is exactly {rx['packs']} packs")
            self.db.execute("UPDATE prescriptions SET fills_left = fills_left - 1 WHERE id = ?", (prescription_id,))
        else:
            if "no_minor_otc" in self.variant.rules and age < 16:
                raise ValueError("policy: patients under 16 may not buy over-the-counter drugs")
            sold = self.db.execute("SELECT COALESCE(SUM(quantity), 0) FROM dispenses WHERE patient_id = ? AND "
                                   "drug_id = ? AND dispensed_on = ?", (patient_id, drug_id, today)).fetchone()[0]
            if sold + quantity > OTC_DAILY_PACKS:
                raise ValueError(f"policy: at most {OTC_DAILY_PACKS} packs of one drug per patient per day")
            prescription_id = None
        for batch, take in self._take(store_id, drug_id, quantity, today):
            self.db.execute("INSERT INTO dispenses (patient_id, drug_id, store_id, batch_id, prescription_id, quantity, "
                            "dispensed_on) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            (patient_id, drug_id, store_id, batch["id"], prescription_id, take, today))
        return {"patient_id": patient_id, "drug": drug["name"], "packs": quantity, "store": store,
                "price": round(quantity * drug["unit_price"], 2)}

    @tool("write")
    def transfer_stock(self, drug_id: int, from_store: str, to_store: str, quantity: int) -> dict:
        """Move packs of a drug between stores, from batches with at least 30 days to expiry, earliest expiry first.

        Args:
            drug_id: Drug id.
            from_store: Store giving the stock.
            to_store: Store receiving it.
            quantity: Packs to move.
        """
        self._get("drugs", drug_id, "use search_drugs")
        src, dst = self._store(from_store), self._store(to_store)
        if src == dst or quantity < 1:
            raise ValueError("give two different stores and a positive quantity")
        portions = self._take(src, drug_id, quantity, days_after(self._today(), TRANSFER_MIN_DAYS - 1))
        for batch, take in portions:
            self.db.execute("INSERT INTO batches (drug_id, store_id, lot, expires_on, quantity, status) VALUES "
                            "(?, ?, ?, ?, ?, 'ok')", (drug_id, dst, batch["lot"], batch["expires_on"], take))
        return {"moved": quantity, "lots": [b["lot"] for b, _ in portions]}

    @tool("write")
    def dispose_batch(self, batch_id: int) -> dict:
        """Dispose of an expired batch.

        Args:
            batch_id: Batch id from get_stock or list_store_batches.
        """
        batch = self._get("batches", batch_id, "use get_stock")
        if batch["status"] != "ok":
            raise ValueError("this batch was already disposed of")
        if batch["expires_on"] > self._today():
            raise ValueError("policy: only expired batches may be disposed of")
        self.db.execute("UPDATE batches SET status = 'disposed' WHERE id = ?", (batch_id,))
        return {"batch_id": batch_id, "status": "disposed"}

    @tool("write")
    def create_reorder(self, store: str, drug_id: int, quantity: int) -> dict:
        """Order more of a drug for a store.

        Args:
            store: Store name.
            drug_id: Drug id.
            quantity: Packs to order.
        """
        store_id = self._store(store)
        drug = self._get("drugs", drug_id, "use search_drugs")
        units = self._units(store_id, drug_id)
        if units >= drug["reorder_level"]:
            raise ValueError(f"policy: in-date stock {units} is not below the reorder level {drug['reorder_level']}")
        if self.db.execute("SELECT 1 FROM reorders WHERE store_id = ? AND drug_id = ? AND status = 'open'",
                           (store_id, drug_id)).fetchone():
            raise ValueError("policy: a reorder for this drug is already open at this store")
        if quantity != 2 * drug["reorder_level"] - units:
            raise ValueError("policy: the order must bring in-date stock up to exactly twice the reorder level")
        rid = self.db.execute("INSERT INTO reorders (store_id, drug_id, quantity, created_on, status) VALUES "
                              "(?, ?, ?, ?, 'open')", (store_id, drug_id, quantity, self._today())).lastrowid
        return {"reorder_id": rid, "quantity": quantity}

    # ---- proposers ----------------------------------------------------------------------------------


    def _effects(self, before) -> dict:
        """What the tools did since `before` (a snapshot), in the verifier's terms."""
        from verifiers.state import grouped_deltas

        now = self.db
        return {
            "dispensed": grouped_deltas(before, now, "dispenses", ["patient_id", "drug_id", "store_id",
                                                                  "prescription_id"], "quantity"),
            "stock": grouped_deltas(before, now, "batches", ["store_id", "drug_id"], "quantity", "status = 'ok'"),
            "fills": grouped_deltas(before, now, "prescriptions", ["id"], "fills_left"),
            "reorders": grouped_deltas(before, now, "reorders", ["store_id", "drug_id"], "quantity", "status = 'open'"),
            "disposed": grouped_deltas(before, now, "batches", ["id"], "1", "status = 'disposed'"),
        }

    def _try(self, call, *args, **kwargs) -> bool:
        self.db.execute("SAVEPOINT step")
        try:
            call(*args, **kwargs)
        except ValueError:
            self.db.execute("ROLLBACK TO step")
            self.db.execute("RELEASE step")
            return False
        self.db.execute("RELEASE step")
        return True

    def _store_names(self) -> list[dict]:
        return self.rows("SELECT id, name FROM stores")

    @proposer(difficulty=1)
    def propose_stock_units(self, rng: random.Random) -> TaskDraft | None:
        d, s = rng.choice(self.rows("SELECT id, name FROM drugs")), rng.choice(self._store_names())
        spec = {"drug": d["name"], "store": s["name"]}
        return TaskDraft(
            shape="stock_units", instruction=self.render("stock_units", rng, **spec),
            solution=Program.of(solve_stock_units, **spec),
            verifier=Program.of(verify_number, expected=self._units(s["id"], d["id"]), tolerance=0.0),
            tools=self.available_tools("search_drugs", "get_stock", "get_pharmacy_info", "list_stores"),
        )

    @proposer(difficulty=1)
    def propose_refills_left(self, rng: random.Random) -> TaskDraft | None:
        rx = rng.choice(self.rows("SELECT r.fills_left, p.name AS patient, d.name AS drug FROM prescriptions r JOIN "
                                  "patients p ON p.id = r.patient_id JOIN drugs d ON d.id = r.drug_id"))
        spec = {"patient": rx["patient"], "drug": rx["drug"]}
        return TaskDraft(
            shape="refills_left", instruction=self.render("refills_left", rng, **spec),
            solution=Program.of(solve_refills_left, **spec),
            verifier=Program.of(verify_number, expected=rx["fills_left"], tolerance=0.0),
            tools=self.available_tools("find_patients", "get_patient", "search_drugs"),
        )

    @proposer(difficulty=1)
    def propose_next_expiry(self, rng: random.Random) -> TaskDraft | None:
        b = rng.choice(self.rows("SELECT DISTINCT b.store_id, b.drug_id, s.name AS store, d.name AS drug FROM batches b "
                                 "JOIN stores s ON s.id = b.store_id JOIN drugs d ON d.id = b.drug_id WHERE b.expires_on "
                                 "> ? AND b.quantity > 0", self._today()))
        dates = [r["expires_on"] for r in self.rows("SELECT expires_on FROM batches WHERE store_id = ? AND drug_id = ? "
                                                    "AND status = 'ok' AND expires_on > ? AND quantity > 0 ORDER BY "
                                                    "expires_on", b["store_id"], b["drug_id"], self._today())]
        all_dates = [r["expires_on"] for r in self.rows("SELECT expires_on FROM batches WHERE store_id = ? AND "
                                                        "drug_id = ?", b["store_id"], b["drug_id"])]
        spec = {"drug": b["drug"], "store": b["store"]}
        return TaskDraft(
            shape="next_expiry", instruction=self.render("next_expiry", rng, **spec),
            solution=Program.of(solve_next_expiry, **spec),
            verifier=Program.of(verify_names, expected=[dates[0]], candidates=sorted(set(all_dates))),
            tools=self.available_tools("search_drugs", "get_stock", "get_pharmacy_info"),
        )

    @proposer(difficulty=2)
    def propose_expiring_soon(self, rng: random.Random) -> TaskDraft | None:
        s, days = rng.choice(self._store_names()), rng.choice([14, 21, 30, 45, 60])
        until = days_after(self._today(), days)
        names = sorted({r["name"] for r in self.rows(
            "SELECT d.name FROM batches b JOIN drugs d ON d.id = b.drug_id WHERE b.store_id = ? AND b.status = 'ok' "
            "AND b.quantity > 0 AND b.expires_on > ? AND b.expires_on <= ?", s["id"], self._today(), until)})
        if not names:
            return None
        return TaskDraft(
            shape="expiring_soon",
            instruction=self.render("expiring_soon", rng, store=s["name"], days=days, until=until),
            solution=Program.of(solve_expiring_soon, store=s["name"], until=until),
            verifier=Program.of(verify_names, expected=names, candidates=[r["name"] for r in self.rows("SELECT name FROM drugs")]),
            tools=self.available_tools("list_store_batches", "get_pharmacy_info", "get_stock", "search_drugs"),
        )

    @proposer(difficulty=2)
    def propose_interaction_conflict(self, rng: random.Random) -> TaskDraft | None:
        patients = self.rows("SELECT * FROM patients")
        rng.shuffle(patients)
        for p in patients[:8]:
            hits = [(d["id"], self._conflicts(p["id"], d["id"], ("major",))) for d in self.rows("SELECT id FROM drugs")]
            hits = [h for h in hits if h[1]]
            if hits:
                break
        else:
            return None
        drug_id, others = rng.choice(hits)
        names = {r["id"]: r["name"] for r in self.rows("SELECT id, name FROM drugs")}
        spec = {"patient": p["name"], "drug": names[drug_id]}
        return TaskDraft(
            shape="interaction_conflict", instruction=self.render("interaction_conflict", rng, **spec),
            solution=Program.of(solve_interaction_conflict, **spec),
            verifier=Program.of(verify_names, expected=[names[o] for o in others], candidates=sorted(names.values())),
            tools=self.available_tools("find_patients", "get_patient", "search_drugs", "check_interactions", "get_pharmacy_info"),
        )

    def _low(self, store_id: int) -> list[dict]:
        return [d for d in self.rows("SELECT * FROM drugs ORDER BY id") if self._units(store_id, d["id"]) < d["reorder_level"]]

    @proposer(difficulty=2)
    def propose_low_stock(self, rng: random.Random) -> TaskDraft | None:
        s = rng.choice(self._store_names())
        category = rng.choice(sorted({c for c, _ in CLASSES.values()}))
        low = [d["name"] for d in self._low(s["id"]) if d["category"] == category]
        if not low:
            return None
        return TaskDraft(
            shape="low_stock", instruction=self.render("low_stock", rng, store=s["name"], category=category),
            solution=Program.of(solve_low_stock, store=s["name"], category=category),
            verifier=Program.of(verify_names, expected=low, candidates=[r["name"] for r in self.rows("SELECT name FROM drugs")]),
            tools=self.available_tools("search_drugs", "list_store_batches", "get_pharmacy_info", "get_stock"),
        )

    @proposer(difficulty=2)
    def propose_stock_value(self, rng: random.Random) -> TaskDraft | None:
        s = rng.choice(self._store_names())
        category = rng.choice(sorted({c for c, _ in CLASSES.values()}))
        drugs = self.rows("SELECT * FROM drugs WHERE category = ?", category)
        if not drugs:
            return None
        value = round(sum(self._units(s["id"], d["id"]) * d["unit_price"] for d in drugs), 2)
        return TaskDraft(
            shape="stock_value", instruction=self.render("stock_value", rng, store=s["name"], category=category),
            solution=Program.of(solve_stock_value, store=s["name"], category=category),
            verifier=Program.of(verify_number, expected=value, tolerance=0.011),
            tools=self.available_tools("search_drugs", "get_stock", "get_pharmacy_info", "list_store_batches"),
        )

    def _task(self, shape: str, rng: random.Random, solve, effects: dict, tools=None, **args) -> TaskDraft:
        return TaskDraft(shape=shape, instruction=self.render(shape, rng, **args),
                         solution=Program.of(solve, **args, **self._rules()),
                         verifier=Program.of(verify_effects, **effects), tools=tools)

    def _fill(self, rx: dict, store: str) -> bool:
        return self._try(self.dispense, rx["patient_id"], rx["drug_id"], store, rx["packs"], rx["id"])

    @proposer(difficulty=3)
    def propose_fill_prescription(self, rng: random.Random) -> TaskDraft | None:
        rx = rng.choice(self.rows("SELECT r.*, p.name AS patient, d.name AS drug FROM prescriptions r JOIN patients p "
                                  "ON p.id = r.patient_id JOIN drugs d ON d.id = r.drug_id WHERE r.status = 'active' AND "
                                  "r.fills_left > 0 AND r.valid_until >= ?", self._today()))
        if self.db.execute("SELECT COUNT(*) FROM prescriptions WHERE patient_id = ? AND drug_id = ?",
                           (rx["patient_id"], rx["drug_id"])).fetchone()[0] > 1:
            return None
        stores = [s["name"] for s in self._store_names()]
        rng.shuffle(stores)
        with self._trial() as before:
            store = next((s for s in stores if self._fill(rx, s)), None)
            effects = self._effects(before)
        if store is None:
            return None
        return self._task("fill_prescription", rng, solve_fill_prescription, effects, patient=rx["patient"],
                          drug=rx["drug"], store=store)

    @proposer(difficulty=3)
    def propose_dispose_expired(self, rng: random.Random) -> TaskDraft | None:
        s = rng.choice(self._store_names())
        cutoff = days_after(self._today(), -rng.randint(0, 25))
        with self._trial() as before:
            for b in self.rows("SELECT id FROM batches WHERE store_id = ? AND status = 'ok' AND expires_on <= ?",
                               s["id"], cutoff):
                self.dispose_batch(b["id"])
            effects = self._effects(before)
        if not effects["disposed"]:
            return None
        return self._task("dispose_expired", rng, solve_dispose_expired, effects, store=s["name"], cutoff=cutoff)

    def _reorder_all(self, store: str, drug_ids: list[int] | None = None, category: str | None = None) -> None:
        store_id = self._store(store)
        for d in self._low(store_id):
            if (drug_ids is None or d["id"] in drug_ids) and category in (None, d["category"]):
                self._try(self.create_reorder, store, d["id"], 2 * d["reorder_level"] - self._units(store_id, d["id"]))

    @proposer(difficulty=3)
    def propose_reorder_low(self, rng: random.Random) -> TaskDraft | None:
        s = rng.choice(self._store_names())
        category = rng.choice(sorted({c for c, _ in CLASSES.values()}))
        with self._trial() as before:
            self._reorder_all(s["name"], category=category)
            effects = self._effects(before)
        if not effects["reorders"]:
            return None
        return self._task("reorder_low", rng, solve_reorder_low, effects, store=s["name"], category=category)

    def _patient_at_store(self, rng: random.Random) -> tuple[dict, dict]:
        p = rng.choice(self.rows("SELECT DISTINCT p.* FROM patients p JOIN prescriptions r ON r.patient_id = p.id WHERE "
                                 "r.status = 'active' AND r.fills_left > 0 AND r.valid_until >= ?", self._today()))
        return p, rng.choice(self._store_names())

    @proposer(difficulty=4)
    def propose_fill_all(self, rng: random.Random) -> TaskDraft | None:
        p = rng.choice(self.rows("SELECT p.* FROM patients p JOIN prescriptions r ON r.patient_id = p.id WHERE "
                                 "r.status = 'active' AND r.fills_left > 0 GROUP BY p.id HAVING COUNT(*) >= 2"))
        s = rng.choice(self._store_names())
        rxs = self.rows("SELECT * FROM prescriptions WHERE patient_id = ? ORDER BY id", p["id"])
        with self._trial() as before:
            filled = [rx["id"] for rx in rxs if self._fill(rx, s["name"])]
            effects = self._effects(before)
        if not filled:
            return None
        return self._task("fill_all", rng, solve_fill_all, effects, patient=p["name"], store=s["name"])

    @proposer(difficulty=4)
    def propose_otc_basket(self, rng: random.Random) -> TaskDraft | None:
        p, s = rng.choice(self.rows("SELECT * FROM patients")), rng.choice(self._store_names())
        otc = self.rows("SELECT * FROM drugs WHERE prescription_only = 0")
        items = [(d, rng.randint(1, 3)) for d in rng.sample(otc, min(len(otc), rng.randint(3, 5)))]
        with self._trial() as before:
            sold = [d["id"] for d, q in items if self._try(self.dispense, p["id"], d["id"], s["name"], q)]
            effects = self._effects(before)
        if not sold or len(sold) == len(items) and rng.random() < 0.4:
            return None
        basket = [{"drug": d["name"], "packs": q} for d, q in items]
        return self._task("otc_basket", rng, solve_otc_basket, effects, patient=p["name"], store=s["name"],
                          basket=basket)

    @proposer(difficulty=5)
    def propose_fill_with_transfer(self, rng: random.Random) -> TaskDraft | None:
        for attempt in range(6):
            p, s = self._patient_at_store(rng)
            draft = self._transfer_plan(rng, p, s, need_move=attempt < 5)
            if draft:
                return draft
        return None

    def _transfer_plan(self, rng: random.Random, p: dict, s: dict, need_move: bool) -> TaskDraft | None:
        rxs = self.rows("SELECT * FROM prescriptions WHERE patient_id = ? ORDER BY id", p["id"])
        transferable = days_after(self._today(), TRANSFER_MIN_DAYS - 1)
        with self._trial() as before:
            moved = filled = 0
            tie = False
            for rx in rxs:
                short = rx["packs"] - self._units(s["id"], rx["drug_id"])
                if short > 0:
                    others = [(self._units(o["id"], rx["drug_id"], transferable), o["name"]) for o in self._store_names()
                              if o["id"] != s["id"]]
                    others.sort(key=lambda o: -o[0])
                    if len(others) > 1 and others[0][0] == others[1][0] >= short:
                        tie = True
                    if not others or others[0][0] < short or len(others) > 1 and others[0][0] == others[1][0]:
                        continue
                    self.db.execute("SAVEPOINT fill")
                    self.transfer_stock(rx["drug_id"], others[0][1], s["name"], short)
                    if self._fill(rx, s["name"]):
                        self.db.execute("RELEASE fill")
                        moved += 1
                        filled += 1
                    else:
                        self.db.execute("ROLLBACK TO fill")
                        self.db.execute("RELEASE fill")
                elif self._fill(rx, s["name"]):
                    filled += 1
            dispensed = {int(k.split("|")[1]) for k in self._effects(before)["dispensed"]}
            self._reorder_all(s["name"], sorted(dispensed))
            effects = self._effects(before)
        if tie or not filled or (not moved and need_move):
            return None
        return self._task("fill_with_transfer", rng, solve_fill_with_transfer, effects, patient=p["name"],
                          store=s["name"])


# ---- solutions: tools and computation only --------------------------------------------------------

def solve_stock_units(tools, params):
    today = tools.get_pharmacy_info()["today"]
    drug = next(d for d in tools.search_drugs(name=params["drug"]) if d["name"] == params["drug"])
    return sum(b["quantity"] for b in tools.get_stock(drug_id=drug["id"], store=params["store"])
               if b["status"] == "ok" and b["expires_on"] > today)


def solve_refills_left(tools, params):
    p = next(p for p in tools.find_patients(name=params["patient"]) if p["name"] == params["patient"])
    return next(r["fills_left"] for r in tools.get_patient(patient_id=p["id"])["prescriptions"]
                if r["drug"] == params["drug"])


def solve_next_expiry(tools, params):
    today = tools.get_pharmacy_info()["today"]
    drug = next(d for d in tools.search_drugs(name=params["drug"]) if d["name"] == params["drug"])
    return min(b["expires_on"] for b in tools.get_stock(drug_id=drug["id"], store=params["store"])
               if b["status"] == "ok" and b["expires_on"] > today and b["quantity"] > 0)


def solve_expiring_soon(tools, params):
    today = tools.get_pharmacy_info()["today"]
    return sorted({b["drug"] for b in tools.list_store_batches(store=params["store"])
                   if b["status"] == "ok" and b["quantity"] > 0 and today < b["expires_on"] <= params["until"]})


def solve_interaction_conflict(tools, params):
    import datetime as dt

    today = dt.date.fromisoformat(tools.get_pharmacy_info()["today"])
    since = (today - dt.timedelta(days=30)).isoformat()
    p = next(p for p in tools.find_patients(name=params["patient"]) if p["name"] == params["patient"])
    recent = {x["drug"] for x in tools.get_patient(patient_id=p["id"])["dispensed"] if x["dispensed_on"] > since}
    drug = next(d for d in tools.search_drugs(name=params["drug"]) if d["name"] == params["drug"])
    return sorted(i["drug"] for i in tools.check_interactions(drug_id=drug["id"])
                  if i["severity"] == "major" and i["drug"] in recent)


def solve_low_stock(tools, params):
    today = tools.get_pharmacy_info()["today"]
    units = {}
    for b in tools.list_store_batches(store=params["store"]):
        if b["status"] == "ok" and b["expires_on"] > today:
            units[b["drug_id"]] = units.get(b["drug_id"], 0) + b["quantity"]
    return [d["name"] for d in tools.search_drugs(category=params["category"])
            if units.get(d["id"], 0) < d["reorder_level"]]


def solve_stock_value(tools, params):
    today = tools.get_pharmacy_info()["today"]
    total = 0.0
    for d in tools.search_drugs(category=params["category"]):
        units = sum(b["quantity"] for b in tools.get_stock(drug_id=d["id"], store=params["store"])
                    if b["status"] == "ok" and b["expires_on"] > today)
        total += units * d["unit_price"]
    return round(total, 2)


def solve_fill_prescription(tools, params):
    p = next(p for p in tools.find_patients(name=params["patient"]) if p["name"] == params["patient"])
    rx = next(r for r in tools.get_patient(patient_id=p["id"])["prescriptions"] if r["drug"] == params["drug"])
    return tools.dispense(patient_id=p["id"], drug_id=rx["drug_id"], store=params["store"], quantity=rx["packs"],
                          prescription_id=rx["prescription_id"])


def solve_dispose_expired(tools, params):
    done = [tools.dispose_batch(batch_id=b["batch_id"])["batch_id"] for b in tools.list_store_batches(store=params["store"])
            if b["status"] == "ok" and b["expires_on"] <= params["cutoff"]]
    return f"Disposed of {len(done)} batches"


def solve_reorder_low(tools, params):
    today = tools.get_pharmacy_info()["today"]
    units = {}
    for b in tools.list_store_batches(store=params["store"]):
        if b["status"] == "ok" and b["expires_on"] > today:
            units[b["drug_id"]] = units.get(b["drug_id"], 0) + b["quantity"]
    open_ids = {r["drug_id"] for r in tools.list_reorders(store=params["store"]) if r["status"] == "open"}
    made = []
    for d in tools.search_drugs(category=params["category"]):
        have = units.get(d["id"], 0)
        if have < d["reorder_level"] and d["id"] not in open_ids:
            made.append(tools.create_reorder(store=params["store"], drug_id=d["id"],
                                             quantity=2 * d["reorder_level"] - have)["reorder_id"])
    return f"Created reorders {made}"


def solve_fill_all(tools, params):
    import datetime as dt

    info = tools.get_pharmacy_info()
    today = info["today"]
    since = (dt.date.fromisoformat(today) - dt.timedelta(days=30)).isoformat()
    p = next(p for p in tools.find_patients(name=params["patient"]) if p["name"] == params["patient"])
    details = tools.get_patient(patient_id=p["id"])
    age = int(today[:4]) - int(details["birth_date"][:4]) - (today[5:] < details["birth_date"][5:])
    filled = []
    for rx in details["prescriptions"]:
        if rx["status"] != "active" or rx["valid_until"] < today or rx["fills_left"] < 1:
            continue
        drug = next(d for d in tools.search_drugs(name=rx["drug"]) if d["id"] == rx["drug_id"])
        recent = {x["drug_id"] for x in tools.get_patient(patient_id=p["id"])["dispensed"] if x["dispensed_on"] > since}
        if age < drug["min_age"] or any(i["drug_id"] in recent and i["severity"] in params["blocking"]
                                         for i in tools.check_interactions(drug_id=drug["id"])):
            continue
        stock = sum(b["quantity"] for b in tools.get_stock(drug_id=drug["id"], store=params["store"])
                    if b["status"] == "ok" and b["expires_on"] > today)
        if stock >= rx["packs"]:
            tools.dispense(patient_id=p["id"], drug_id=drug["id"], store=params["store"], quantity=rx["packs"],
                           prescription_id=rx["prescription_id"])
            filled.append(rx["drug"])
    return f"Filled {filled}"


def solve_otc_basket(tools, params):
    import datetime as dt

    info = tools.get_pharmacy_info()
    today = info["today"]
    since = (dt.date.fromisoformat(today) - dt.timedelta(days=30)).isoformat()
    p = next(p for p in tools.find_patients(name=params["patient"]) if p["name"] == params["patient"])
    details = tools.get_patient(patient_id=p["id"])
    age = int(today[:4]) - int(details["birth_date"][:4]) - (today[5:] < details["birth_date"][5:])
    sold = []
    for item in params["basket"]:
        drug = next(d for d in tools.search_drugs(name=item["drug"]) if d["name"] == item["drug"])
        history = tools.get_patient(patient_id=p["id"])["dispensed"]
        recent = {x["drug_id"] for x in history if x["dispensed_on"] > since}
        today_packs = sum(x["quantity"] for x in history if x["drug_id"] == drug["id"] and x["dispensed_on"] == today)
        stock = sum(b["quantity"] for b in tools.get_stock(drug_id=drug["id"], store=params["store"])
                    if b["status"] == "ok" and b["expires_on"] > today)
        blocked = any(i["drug_id"] in recent and i["severity"] in params["blocking"]
                      for i in tools.check_interactions(drug_id=drug["id"]))
        if (age < drug["min_age"] or blocked or stock < item["packs"] or today_packs + item["packs"] > 3
                or params["no_minor_otc"] and age < 16):
            continue
        tools.dispense(patient_id=p["id"], drug_id=drug["id"], store=params["store"], quantity=item["packs"])
        sold.append(item["drug"])
    return f"Sold {sold}"


def solve_fill_with_transfer(tools, params):
    import datetime as dt

    info = tools.get_pharmacy_info()
    today = info["today"]
    since = (dt.date.fromisoformat(today) - dt.timedelta(days=30)).isoformat()
    transfer_from = (dt.date.fromisoformat(today) + dt.timedelta(days=29)).isoformat()
    p = next(p for p in tools.find_patients(name=params["patient"]) if p["name"] == params["patient"])
    details = tools.get_patient(patient_id=p["id"])
    age = int(today[:4]) - int(details["birth_date"][:4]) - (today[5:] < details["birth_date"][5:])
    dispensed = []
    for rx in details["prescriptions"]:
        if rx["status"] != "active" or rx["valid_until"] < today or rx["fills_left"] < 1:
            continue
        drug = next(d for d in tools.search_drugs(name=rx["drug"]) if d["id"] == rx["drug_id"])
        recent = {x["drug_id"] for x in tools.get_patient(patient_id=p["id"])["dispensed"] if x["dispensed_on"] > since}
        if age < drug["min_age"] or any(i["drug_id"] in recent and i["severity"] in params["blocking"]
                                         for i in tools.check_interactions(drug_id=drug["id"])):
            continue
        batches = tools.get_stock(drug_id=drug["id"])
        here = sum(b["quantity"] for b in batches if b["store"] == params["store"] and b["status"] == "ok"
                   and b["expires_on"] > today)
        short = rx["packs"] - here
        if short > 0:
            movable = {}
            for b in batches:
                if b["store"] != params["store"] and b["status"] == "ok" and b["expires_on"] > transfer_from:
                    movable[b["store"]] = movable.get(b["store"], 0) + b["quantity"]
            ranked = sorted(movable.items(), key=lambda kv: -kv[1])
            if not ranked or ranked[0][1] < short or len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
                continue
            tools.transfer_stock(drug_id=drug["id"], from_store=ranked[0][0], to_store=params["store"], quantity=short)
        tools.dispense(patient_id=p["id"], drug_id=drug["id"], store=params["store"], quantity=rx["packs"],
                       prescription_id=rx["prescription_id"])
        dispensed.append(drug)
    open_ids = {r["drug_id"] for r in tools.list_reorders(store=params["store"]) if r["status"] == "open"}
    for drug in dispensed:
        have = sum(b["quantity"] for b in tools.get_stock(drug_id=drug["id"], store=params["store"])
                   if b["status"] == "ok" and b["expires_on"] > today)
        if have < drug["reorder_level"] and drug["id"] not in open_ids:
            tools.create_reorder(store=params["store"], drug_id=drug["id"], quantity=2 * drug["reorder_level"] - have)
            open_ids.add(drug["id"])
    return f"Dispensed {[d['name'] for d in dispensed]}"


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_effects(outcome, params):
    """Dispensing, stock, fills, reorders and disposals changed exactly as the policy-correct plan changes them."""
    from verifiers.state import grouped_deltas, unchanged

    got = {
        "dispensed": grouped_deltas(outcome.initial, outcome.db, "dispenses",
                                    ["patient_id", "drug_id", "store_id", "prescription_id"], "quantity"),
        "stock": grouped_deltas(outcome.initial, outcome.db, "batches", ["store_id", "drug_id"], "quantity",
                                "status = 'ok'"),
        "fills": grouped_deltas(outcome.initial, outcome.db, "prescriptions", ["id"], "fills_left"),
        "reorders": grouped_deltas(outcome.initial, outcome.db, "reorders", ["store_id", "drug_id"], "quantity",
                                   "status = 'open'"),
        "disposed": grouped_deltas(outcome.initial, outcome.db, "batches", ["id"], "1", "status = 'disposed'"),
    }
    reasons = [f"{key}: got {got[key]}, expected {params[key]}" for key in got if got[key] != params[key]]
    if other := unchanged(outcome.initial, outcome.db, ["drugs", "stores", "patients", "interactions", "pharmacy"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons
