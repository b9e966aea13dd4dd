"""The tax world: its names and how an instance's database is built."""

from __future__ import annotations

import random

FIRST = [
    "Amara",
    "Bastian",
    "Celeste",
    "Darius",
    "Elowen",
    "Florian",
    "Giselle",
    "Hector",
    "Imogen",
    "Jovan",
    "Kerensa",
    "Lazlo",
    "Marisol",
    "Niall",
    "Ottilie",
    "Percival",
    "Rosalind",
    "Stellan",
    "Tindra",
    "Valentin",
]
LAST = [
    "Ashdown",
    "Bellweather",
    "Crane",
    "Dunmore",
    "Everly",
    "Foxley",
    "Glenister",
    "Harrowgate",
    "Inglewood",
    "Juniper",
    "Kestrel",
    "Larkspur",
    "Merriweather",
    "Northcott",
    "Oakhurst",
    "Pendleton",
]
STATUSES = ("single", "married_joint", "head_of_household")
STANDARD = {"single": 14600, "married_joint": 29200, "head_of_household": 21900}
BRACKETS = {  # (upper bound of the band or None, rate)
    "single": [(11600, 10), (47150, 12), (100525, 22), (191950, 24), (243725, 32), (609350, 35), (None, 37)],
    "married_joint": [(23200, 10), (94300, 12), (201050, 22), (383900, 24), (487450, 32), (731200, 35), (None, 37)],
    "head_of_household": [(16550, 10), (63100, 12), (100500, 22), (191950, 24), (243700, 32), (609350, 35), (None, 37)],
}
CAPS = {  # category: (cap amount, cap as % of gross income, only the part above this % of gross income counts)
    "mortgage_interest": (15000, None, None),
    "state_local_tax": (10000, None, None),
    "charity": (None, 30, None),
    "medical": (None, None, 7.5),
    "education": (2500, None, None),
    "retirement": (7000, None, None),
}
INCOME_KINDS = {
    "wages": [
        "Northwind Logistics",
        "Brightpath Labs",
        "Meridian Health Trust",
        "Polar Tools Ltd",
        "Saltmarsh Foods",
        "Cedar & Vale Architects",
    ],
    "interest": ["Harborline Bank", "Granite Savings", "Bluewater Credit Union"],
    "dividends": ["Aurora Index Fund", "Keystone Growth Fund"],
    "freelance": ["Studio Quartz", "Lantern Media", "Pixelforge"],
    "rental": ["Maple Court Flat", "Riverside Cottage"],
}
DEDUCTION_TEXT = {
    "mortgage_interest": "mortgage interest statement",
    "state_local_tax": "property and state tax",
    "charity": "donation",
    "medical": "medical bills",
    "education": "tuition",
    "retirement": "pension contribution",
}


def bracket_tax(taxable: float, bands: list[list]) -> float:
    """Progressive tax on `taxable` over bands of (upper bound or None, rate %)."""
    tax, lower = 0.0, 0.0
    for upper, rate in bands:
        top = taxable if upper is None else min(taxable, upper)
        if top > lower:
            tax += (top - lower) * rate / 100
        if upper is None or taxable <= upper:
            break
        lower = upper
    return round(tax, 2)


class TaxWorld:
    def build(self, rng: random.Random) -> None:
        self.db.executescript("""
            CREATE TABLE tax_year (id INTEGER PRIMARY KEY, year INTEGER, child_credit REAL);
            CREATE TABLE filing_rules (id INTEGER PRIMARY KEY, status TEXT UNIQUE, standard_deduction REAL);
            CREATE TABLE brackets (id INTEGER PRIMARY KEY, status TEXT, upper REAL, rate REAL);
            CREATE TABLE deduction_caps (id INTEGER PRIMARY KEY, category TEXT UNIQUE, cap_amount REAL,
                cap_percent REAL, floor_percent REAL);
            CREATE TABLE taxpayers (id INTEGER PRIMARY KEY, name TEXT UNIQUE, married INTEGER, dependents INTEGER,
                filing_status TEXT);
            CREATE TABLE income_items (id INTEGER PRIMARY KEY, taxpayer_id INTEGER, kind TEXT, payer TEXT,
                amount REAL, withheld REAL);
            CREATE TABLE deduction_items (id INTEGER PRIMARY KEY, taxpayer_id INTEGER, category TEXT,
                description TEXT, amount REAL, has_receipt INTEGER);
            CREATE TABLE returns (id INTEGER PRIMARY KEY, taxpayer_id INTEGER UNIQUE, filing_status TEXT,
                method TEXT, gross_income REAL, deduction REAL, taxable REAL, tax REAL, credits REAL, withheld REAL,
                balance_due REAL);
        """)
        index = rng.choice([0.96, 0.98, 1.0, 1.02, 1.04, 1.06])  # yearly inflation adjustment of the thresholds
        self.db.execute(
            "INSERT INTO tax_year VALUES (1, ?, ?)", (rng.randint(2024, 2027), float(rng.choice([1800, 2000, 2200])))
        )
        for status in STATUSES:
            self.db.execute(
                "INSERT INTO filing_rules (status, standard_deduction) VALUES (?, ?)",
                (status, float(round(STANDARD[status] * index / 50) * 50)),
            )
            for upper, rate in BRACKETS[status]:
                self.db.execute(
                    "INSERT INTO brackets (status, upper, rate) VALUES (?, ?, ?)",
                    (status, None if upper is None else float(round(upper * index / 50) * 50), rate),
                )
        for category, (cap, percent, floor) in CAPS.items():
            if category == "charity" and "charity_cap_20" in self.variant.rules:
                percent = 20
            self.db.execute(
                "INSERT INTO deduction_caps (category, cap_amount, cap_percent, floor_percent) VALUES (?, ?, ?, ?)",
                (category, cap, percent, floor),
            )
        n = {"small": (30, 40), "medium": (55, 75), "large": (100, 130)}[self.variant.scale]
        for name in rng.sample([f"{f} {last}" for f in FIRST for last in LAST], rng.randint(*n)):
            married = int(rng.random() < 0.35)
            dependents = rng.choices([0, 1, 2, 3], [5, 3, 3, 1])[0]
            status = (
                "married_joint" if married else rng.choice(["single"] + (["head_of_household"] if dependents else []))
            )
            tid = self.db.execute(
                "INSERT INTO taxpayers (name, married, dependents, filing_status) VALUES (?, ?, ?, ?)",
                (name, married, dependents, status),
            ).lastrowid
            self._build_items(rng, tid, married)
        for t in self.rows("SELECT id FROM taxpayers ORDER BY id"):
            if rng.random() < 0.2:
                self._file(t["id"], self._required_method(t["id"]))

    def _build_items(self, rng: random.Random, taxpayer_id: int, married: bool) -> None:
        kinds = ["wages"] * (2 if married and rng.random() < 0.7 else 1) + rng.sample(
            ["interest", "dividends", "freelance", "rental"], rng.randint(0, 3)
        )
        for kind in kinds:
            amount = round(rng.uniform(28000, 140000) if kind == "wages" else rng.uniform(150, 24000), 2)
            withheld = (
                round(amount * rng.uniform(0.08, 0.22), 2)
                if kind == "wages"
                else (round(amount * 0.1, 2) if rng.random() < 0.3 else 0.0)
            )
            self.db.execute(
                "INSERT INTO income_items (taxpayer_id, kind, payer, amount, withheld) VALUES (?, ?, ?, ?, ?)",
                (taxpayer_id, kind, rng.choice(INCOME_KINDS[kind]), amount, withheld),
            )
        big = rng.random() < 0.45  # homeowners with large deductions tend to itemize
        for category in rng.sample(sorted(CAPS), rng.randint(2, 6)):
            for _ in range(rng.randint(1, 3)):
                scale = {
                    "mortgage_interest": 9000 if big else 2500,
                    "state_local_tax": 6000,
                    "charity": 2500,
                    "medical": 5000,
                    "education": 1800,
                    "retirement": 3500,
                }[category]
                self.db.execute(
                    "INSERT INTO deduction_items (taxpayer_id, category, description, amount, "
                    "has_receipt) VALUES (?, ?, ?, ?, ?)",
                    (
                        taxpayer_id,
                        category,
                        DEDUCTION_TEXT[category],
                        round(rng.uniform(0.1, 1) * scale, 2),
                        int(rng.random() < 0.8),
                    ),
                )
