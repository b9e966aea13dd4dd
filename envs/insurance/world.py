"""The insurance world: its names and how an instance's database is built."""

from __future__ import annotations

import datetime as dt
import random

FIRST = [
    "Adela",
    "Bertram",
    "Cordelia",
    "Desmond",
    "Esme",
    "Fabian",
    "Georgina",
    "Horatio",
    "Ingrid",
    "Jules",
    "Kasimir",
    "Leonie",
    "Magnus",
    "Noor",
    "Octavia",
    "Piers",
    "Ramona",
    "Sebastian",
    "Tova",
    "Wilhelmina",
]
LAST = [
    "Ambrose",
    "Blackwood",
    "Castellan",
    "Drayton",
    "Ellery",
    "Fenwick",
    "Garrick",
    "Hollander",
    "Ivory",
    "Jarrow",
    "Kilbride",
    "Lockhart",
    "Mortimer",
    "Newbold",
    "Oswin",
    "Prescott",
    "Redgrave",
    "Sinclair",
]
PERILS = {  # product: peril -> (limit range, deductible choices)
    "auto": {
        "collision": ((8000, 30000), [250, 500, 1000]),
        "theft": ((5000, 25000), [250, 500]),
        "glass": ((500, 2000), [0, 50, 100]),
    },
    "home": {
        "fire": ((50000, 300000), [500, 1000, 2500]),
        "water": ((5000, 40000), [500, 1000]),
        "storm": ((10000, 80000), [500, 1000]),
        "theft": ((3000, 20000), [250, 500]),
    },
    "travel": {
        "medical": ((10000, 100000), [0, 100, 250]),
        "baggage": ((1000, 3000), [50, 100]),
        "cancellation": ((1000, 5000), [0, 100]),
    },
    "health": {"hospital": ((20000, 100000), [500, 1000]), "dental": ((500, 2000), [0, 50])},
}
STATUSES = ["open", "approved", "denied", "paid", "review"]


class InsuranceWorld:
    def build(self, rng: random.Random) -> None:
        self.db.executescript("""
            CREATE TABLE office (id INTEGER PRIMARY KEY, today TEXT, report_days INTEGER, senior_threshold REAL);
            CREATE TABLE policyholders (id INTEGER PRIMARY KEY, name TEXT UNIQUE, email TEXT);
            CREATE TABLE policies (id INTEGER PRIMARY KEY, number TEXT UNIQUE, holder_id INTEGER, product TEXT,
                start_date TEXT, end_date TEXT, premium REAL, status TEXT);
            CREATE TABLE coverages (id INTEGER PRIMARY KEY, policy_id INTEGER, peril TEXT, limit_amount REAL,
                deductible REAL);
            CREATE TABLE adjusters (id INTEGER PRIMARY KEY, name TEXT, specialty TEXT, senior INTEGER,
                capacity INTEGER);
            CREATE TABLE claims (id INTEGER PRIMARY KEY, number TEXT UNIQUE, policy_id INTEGER, peril TEXT,
                incident_date TEXT, reported_date TEXT, amount_claimed REAL, status TEXT, adjuster_id INTEGER,
                approved_amount REAL, fraud_flag INTEGER, note TEXT);
            CREATE TABLE payments (id INTEGER PRIMARY KEY, claim_id INTEGER, amount REAL, paid_on TEXT);
        """)
        today = dt.date(2026, rng.randint(2, 11), rng.randint(1, 28))
        self.db.execute(
            "INSERT INTO office VALUES (1, ?, ?, ?)",
            (
                today.isoformat(),
                14 if "report_window_14" in self.variant.rules else 30,
                5000.0 if "senior_over_5000" in self.variant.rules else 10000.0,
            ),
        )
        names = [f"{f} {last}" for f in FIRST for last in LAST]
        rng.shuffle(names)
        for product in PERILS:
            for i in range(rng.randint(3, 4)):
                self.db.execute(
                    "INSERT INTO adjusters (name, specialty, senior, capacity) VALUES (?, ?, ?, ?)",
                    (names.pop(), product, int(i == 0 or rng.random() < 0.25), rng.randint(7, 12)),
                )
        n = {"small": (30, 40), "medium": (55, 70), "large": (90, 115)}[self.variant.scale]
        numbers = iter(rng.sample(range(10000, 99999), 2000))
        for _ in range(rng.randint(*n)):
            name = names.pop()
            holder = self.db.execute(
                "INSERT INTO policyholders (name, email) VALUES (?, ?)",
                (name, name.lower().replace(" ", ".") + "@post.example"),
            ).lastrowid
            for product in rng.sample(sorted(PERILS), rng.choice([1, 1, 2, 3])):
                self._build_policy(rng, today, holder, product, numbers)
        self._build_claims(rng, today, numbers)

    def _build_policy(self, rng, today, holder, product, numbers) -> None:
        start = today - dt.timedelta(days=rng.randint(20, 600))
        end = start + dt.timedelta(days=180 if product == "travel" else 365)
        status = "cancelled" if rng.random() < 0.05 else ("active" if end >= today else "expired")
        policy = self.db.execute(
            "INSERT INTO policies (number, holder_id, product, start_date, end_date, premium, "
            "status) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                f"POL-{next(numbers)}",
                holder,
                product,
                start.isoformat(),
                end.isoformat(),
                float(rng.randint(12, 240) * 5),
                status,
            ),
        ).lastrowid
        perils = sorted(PERILS[product])
        for peril in rng.sample(perils, len(perils) - int(len(perils) > 2 and rng.random() < 0.4)):
            (low, high), deductibles = PERILS[product][peril]
            self.db.execute(
                "INSERT INTO coverages (policy_id, peril, limit_amount, deductible) VALUES (?, ?, ?, ?)",
                (policy, peril, float(round(rng.randint(low, high), -2)), float(rng.choice(deductibles))),
            )

    def _build_claims(self, rng, today, numbers) -> None:
        adjusters = self.rows("SELECT * FROM adjusters")
        drafts = []
        for p in self.rows("SELECT * FROM policies"):
            for _ in range(rng.choices([0, 1, 2, 3, 4], [3, 4, 3, 2, 1])[0]):
                start, end = dt.date.fromisoformat(p["start_date"]), dt.date.fromisoformat(p["end_date"])
                last = min(end, today - dt.timedelta(days=1))
                incident = start + dt.timedelta(days=rng.randint(0, max(0, (last - start).days)))
                if rng.random() < 0.08:
                    incident = start - dt.timedelta(days=rng.randint(1, 40))
                reported = min(today, incident + dt.timedelta(days=rng.choice([0, 1, 2, 3, 5, 8, 12, 20, 25, 40])))
                peril = rng.choice(sorted(PERILS[p["product"]]))
                (low, high), _ = PERILS[p["product"]][peril]
                amount = round(rng.uniform(0.02, 0.7) * min(high, 40000) + rng.choice([0, 0, 75, 300]), 2)
                drafts.append((reported.isoformat(), incident.isoformat(), p, peril, amount))
        for reported, incident, p, peril, amount in sorted(drafts, key=lambda d: (d[0], d[1])):
            recent = reported >= (today - dt.timedelta(days=25)).isoformat()
            staff = [a for a in adjusters if a["specialty"] == p["product"]]
            adjuster = rng.choice(staff)["id"] if not recent or rng.random() < 0.6 else None
            claim_id = self.db.execute(
                "INSERT INTO claims (number, policy_id, peril, incident_date, reported_date, amount_claimed, status, "
                "adjuster_id, approved_amount, fraud_flag) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, NULL, 0)",
                (f"CLM-{next(numbers)}", p["id"], peril, incident, reported, amount, adjuster),
            ).lastrowid
            if recent:
                continue
            status, payout, _ = self._decide(self._claim_by_id(claim_id))
            self.db.execute(
                "UPDATE claims SET status = ?, approved_amount = ?, fraud_flag = ? WHERE id = ?",
                (status, payout, int(status == "review"), claim_id),
            )
            if status == "approved" and rng.random() < 0.8:
                self.db.execute("UPDATE claims SET status = 'paid' WHERE id = ?", (claim_id,))
                self.db.execute(
                    "INSERT INTO payments (claim_id, amount, paid_on) VALUES (?, ?, ?)",
                    (
                        claim_id,
                        payout,
                        min(today.isoformat(), (dt.date.fromisoformat(reported) + dt.timedelta(days=14)).isoformat()),
                    ),
                )
