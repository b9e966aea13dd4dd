"""CRM pipeline: owners with quotas, accounts, contacts, opportunities moving through stages, activities.

Constants and the database builder."""

from __future__ import annotations

import datetime as dt
import random

TODAY = "2026-03-16"
QUARTER_START = "2026-01-01"
STAGES = ["prospecting", "qualification", "proposal", "negotiation", "won", "lost"]
OPEN_STAGES = STAGES[:4]
KINDS = ["call", "email", "meeting", "demo"]
REGIONS = ["North", "South", "East", "West"]
INDUSTRIES = ["manufacturing", "retail", "healthcare", "logistics", "software", "education", "energy"]
BIG_DEAL = 100000
FIRST = [
    "Ansel",
    "Briony",
    "Caspian",
    "Delia",
    "Evander",
    "Fenella",
    "Gideon",
    "Honora",
    "Ivo",
    "Jessamy",
    "Kit",
    "Lavinia",
    "Merritt",
    "Niamh",
    "Osric",
    "Philippa",
    "Quentin",
    "Rosalind",
    "Silas",
    "Tabitha",
    "Ulla",
    "Vaughn",
    "Winifred",
    "Xander",
]
LAST = [
    "Ashcombe",
    "Birchall",
    "Coldwell",
    "Darrow",
    "Ellery",
    "Fairbairn",
    "Greenhalgh",
    "Holloway",
    "Inchbald",
    "Jessop",
    "Kittredge",
    "Larkspur",
    "Marchbank",
    "Northcote",
    "Ormerod",
    "Pennifold",
    "Quarrington",
    "Redfern",
    "Stainton",
    "Thistlewood",
]
ACC_A = [
    "Amber",
    "Blue Heron",
    "Copperleaf",
    "Driftwood",
    "Emberline",
    "Foxhollow",
    "Granite",
    "Harbourlight",
    "Ironbark",
    "Juniper",
    "Kingfisher",
    "Lanternfield",
    "Moorgate",
    "Northwind",
    "Oakhurst",
    "Pinecrest",
    "Quillon",
    "Riverbend",
    "Silverlake",
    "Tidewater",
    "Upland",
    "Vantage",
    "Willowmere",
    "Yarrow",
]
ACC_B = [
    "Analytics",
    "Foods",
    "Health",
    "Logistics",
    "Systems",
    "Works",
    "Energy",
    "Academy",
    "Retail",
    "Labs",
    "Manufacturing",
    "Freight",
]
PRODUCTS = [
    "Platform licence",
    "Support renewal",
    "Expansion seats",
    "Data add-on",
    "Pilot",
    "Training package",
    "Integration project",
    "Security module",
]

SCHEMA = """
CREATE TABLE owners (id INTEGER PRIMARY KEY, name TEXT UNIQUE, region TEXT, seniority TEXT, quota REAL);
CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT UNIQUE, industry TEXT, region TEXT,
    owner_id INTEGER REFERENCES owners(id));
CREATE TABLE contacts (id INTEGER PRIMARY KEY, account_id INTEGER REFERENCES accounts(id), name TEXT, email TEXT,
    title TEXT, is_primary INTEGER);
CREATE TABLE opportunities (id INTEGER PRIMARY KEY, account_id INTEGER REFERENCES accounts(id), name TEXT,
    owner_id INTEGER REFERENCES owners(id), stage TEXT, amount REAL, close_date TEXT, created TEXT,
    lost_reason TEXT);
CREATE TABLE activities (id INTEGER PRIMARY KEY, opportunity_id INTEGER REFERENCES opportunities(id),
    contact_id INTEGER REFERENCES contacts(id), owner_id INTEGER REFERENCES owners(id), kind TEXT, day TEXT,
    note TEXT);
CREATE TABLE stage_history (id INTEGER PRIMARY KEY, opportunity_id INTEGER REFERENCES opportunities(id),
    from_stage TEXT, to_stage TEXT, day TEXT);
"""


def on_day(offset: int) -> str:
    return (dt.date.fromisoformat(TODAY) + dt.timedelta(days=offset)).isoformat()


class CrmWorld:
    def build(self, rng: random.Random) -> None:
        self.db.executescript(SCHEMA)
        n_owners, n_accounts = {"small": (8, 45), "medium": (11, 75), "large": (15, 110)}[self.variant.scale]
        senior_rule = "senior_big_deals" in self.variant.rules
        names = rng.sample([f"{f} {la}" for f in FIRST for la in LAST], n_owners + 4 * n_accounts)
        for i in range(n_owners):
            region = REGIONS[i % 4]
            seniority = "senior" if i < 4 or rng.random() < 0.35 else "junior"
            self.db.execute(
                "INSERT INTO owners VALUES (?, ?, ?, ?, ?)",
                (i + 1, names[i], region, seniority, float(rng.choice(range(150, 451, 25)) * 1000)),
            )
        by_region = {r: [o["id"] for o in self.rows("SELECT id FROM owners WHERE region = ?", r)] for r in REGIONS}
        seniors = {
            r: [o["id"] for o in self.rows("SELECT id FROM owners WHERE region = ? AND seniority = 'senior'", r)]
            for r in REGIONS
        }
        people = iter(names[n_owners:])
        acc_names = rng.sample([f"{a} {b}" for a in ACC_A for b in ACC_B], n_accounts)
        for aid, acc in enumerate(acc_names, 1):
            region = rng.choice(REGIONS)
            self.db.execute(
                "INSERT INTO accounts VALUES (?, ?, ?, ?, ?)",
                (aid, acc, rng.choice(INDUSTRIES), region, rng.choice(by_region[region])),
            )
            contacts = []
            for k in range(rng.randint(2, 4)):
                person = next(people)
                cur = self.db.execute(
                    "INSERT INTO contacts (account_id, name, email, title, is_primary) VALUES (?, ?, ?, ?, ?)",
                    (
                        aid,
                        person,
                        f"{person.lower().replace(' ', '.')}@{acc.split()[0].lower()}.example",
                        rng.choice(["CFO", "IT Director", "Procurement Lead", "COO", "Head of Operations"]),
                        int(k == 0),
                    ),
                )
                contacts.append(cur.lastrowid)
            for product in rng.sample(PRODUCTS, rng.randint(1, 4)):
                self._seed_opportunity(
                    rng, aid, f"{acc} - {product}", region, by_region, seniors, senior_rule, contacts
                )

    def _seed_opportunity(self, rng, aid, name, region, by_region, seniors, senior_rule, contacts) -> None:
        stage = rng.choices(STAGES, [4, 4, 4, 4, 4, 2])[0]
        amount = float(round(rng.triangular(5000, 250000, 20000), -2))
        owner = rng.choice(by_region[region])
        if senior_rule and amount >= BIG_DEAL and stage in OPEN_STAGES:
            owner = rng.choice(seniors[region])
        created = -rng.randint(40, 260)
        if stage in OPEN_STAGES:
            close = rng.randint(-40, -1) if rng.random() < 0.2 else rng.randint(0, 120)
        else:
            close = rng.randint(max(created + 10, -200), -1)
        cur = self.db.execute(
            "INSERT INTO opportunities (account_id, name, owner_id, stage, amount, close_date, "
            "created, lost_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                aid,
                name,
                owner,
                stage,
                amount,
                on_day(close),
                on_day(created),
                rng.choice(["budget cut", "chose a competitor", "no decision"]) if stage == "lost" else None,
            ),
        )
        oid = cur.lastrowid
        last = STAGES.index(stage) if stage != "lost" else rng.randint(0, 3)
        path = STAGES[: last + 1] + (["lost"] if stage == "lost" else [])
        end = min(close, -1) if stage not in OPEN_STAGES else -1
        days = sorted(rng.sample(range(created + 1, max(end, created + len(path) + 1) + 1), len(path) - 1))
        for (a, b), day in zip(zip(path, path[1:]), days):
            self.db.execute(
                "INSERT INTO stage_history (opportunity_id, from_stage, to_stage, day) VALUES (?, ?, ?, ?)",
                (oid, a, b, on_day(day)),
            )
        kinds = [rng.choice(KINDS) for _ in range(rng.randint(0, 5))]
        if last >= 2 or stage == "won":
            kinds.append(rng.choice(["meeting", "demo"]))
        for kind in kinds:
            self.db.execute(
                "INSERT INTO activities (opportunity_id, contact_id, owner_id, kind, day, note) VALUES "
                "(?, ?, ?, ?, ?, ?)",
                (oid, rng.choice(contacts), owner, kind, on_day(rng.randint(created, min(end, -1))), f"{kind} logged"),
            )
