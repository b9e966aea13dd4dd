"""IT asset management: departments with budgets, employees, device models, devices, licences and seats,
repair vendors and repair tickets, under a refresh policy: constants and the database builder."""

from __future__ import annotations

import datetime as dt
import random

TODAY = "2026-03-16"
KINDS = ["laptop", "desktop", "phone", "monitor"]
DEPARTMENTS = [
    "Finance",
    "Marketing",
    "Engineering",
    "Sales",
    "Legal",
    "Operations",
    "Design",
    "Research",
    "Customer Care",
    "Logistics",
]
TITLES = ["Analyst", "Engineer", "Coordinator", "Specialist", "Manager", "Associate", "Lead", "Consultant"]
# name, kind, maker, price, ram_gb, storage_gb, warranty years
MODELS = [
    ("Corvex Aero 13", "laptop", "Corvex", 1150.0, 16, 512, 3),
    ("Corvex Aero 15", "laptop", "Corvex", 1390.0, 32, 1024, 3),
    ("Lumina Slate 14", "laptop", "Lumina", 980.0, 16, 256, 2),
    ("Lumina Slate Pro", "laptop", "Lumina", 1240.0, 32, 512, 2),
    ("Nordtek Forge 16", "laptop", "Nordtek", 1720.0, 64, 2048, 3),
    ("Halcyon Note 12", "laptop", "Halcyon", 760.0, 8, 256, 1),
    ("Nordtek Tower M", "desktop", "Nordtek", 1080.0, 32, 1024, 3),
    ("Halcyon Cube", "desktop", "Halcyon", 690.0, 16, 512, 2),
    ("Lumina Pocket 6", "phone", "Lumina", 540.0, 8, 128, 2),
    ("Halcyon Dial X", "phone", "Halcyon", 420.0, 6, 128, 1),
    ("Corvex Link", "phone", "Corvex", 610.0, 8, 256, 2),
    ("Nordtek View 27", "monitor", "Nordtek", 310.0, 0, 0, 3),
    ("Lumina Pane 24", "monitor", "Lumina", 220.0, 0, 0, 2),
    ("Halcyon Wide 34", "monitor", "Halcyon", 460.0, 0, 0, 3),
]
MAKERS = ["Corvex", "Lumina", "Nordtek", "Halcyon"]
SHOPS = ["Bytewell Repairs", "Circuit Hollow", "Quickmend Tech", "Pixel and Pin", "Solder Lane", "Gearwise Service"]
PRODUCTS = [
    "Quillpad Office",
    "Vectorly Design",
    "Stackforge IDE",
    "Meshcall Video",
    "Ledgerline Accounts",
    "Draftwise Legal",
    "Pulseboard Analytics",
    "Shieldnet VPN",
    "Tasktide Projects",
    "Cartwheel CRM",
]
ISSUES = [
    "cracked screen",
    "battery swelling",
    "keyboard failure",
    "no power",
    "overheating",
    "dead pixels",
    "broken hinge",
    "charging port fault",
]
FIRST = [
    "Ansel",
    "Briony",
    "Caspian",
    "Delphine",
    "Evander",
    "Fenna",
    "Gideon",
    "Honora",
    "Ignatius",
    "Jessamy",
    "Kit",
    "Lorcan",
    "Mireille",
    "Nye",
    "Ottoline",
    "Piran",
    "Rosalind",
    "Silas",
    "Temperance",
    "Ulla",
    "Valentin",
    "Wilhelmina",
    "Xavi",
    "Yseult",
    "Zebedee",
]
LAST = [
    "Ambleside",
    "Blackthorn",
    "Carrow",
    "Drumlin",
    "Eskdale",
    "Fellowes",
    "Grisedale",
    "Harrowgate",
    "Inchcape",
    "Jervaulx",
    "Kirkstone",
    "Langdale",
    "Mardale",
    "Nethercott",
    "Ormside",
    "Penrose",
    "Quarrendon",
    "Rydal",
]

SCHEMA = """
CREATE TABLE departments (id INTEGER PRIMARY KEY, name TEXT UNIQUE, budget REAL, spent REAL);
CREATE TABLE employees (id INTEGER PRIMARY KEY, name TEXT, email TEXT UNIQUE,
    department_id INTEGER REFERENCES departments(id), title TEXT, status TEXT, hire_date TEXT);
CREATE TABLE models (id INTEGER PRIMARY KEY, name TEXT UNIQUE, kind TEXT, maker TEXT, price REAL, ram_gb INTEGER,
    storage_gb INTEGER, warranty_years INTEGER);
CREATE TABLE devices (id INTEGER PRIMARY KEY, asset_tag TEXT UNIQUE, model_id INTEGER REFERENCES models(id),
    purchase_date TEXT, warranty_end TEXT, status TEXT, employee_id INTEGER REFERENCES employees(id));
CREATE TABLE licences (id INTEGER PRIMARY KEY, product TEXT UNIQUE, seats INTEGER, expiry TEXT,
    cost_per_seat REAL);
CREATE TABLE seats (id INTEGER PRIMARY KEY AUTOINCREMENT, licence_id INTEGER REFERENCES licences(id),
    employee_id INTEGER REFERENCES employees(id), assigned_on TEXT, UNIQUE (licence_id, employee_id));
CREATE TABLE vendors (id INTEGER PRIMARY KEY, name TEXT UNIQUE, rating REAL, fee REAL, turnaround_days INTEGER);
CREATE TABLE repairs (id INTEGER PRIMARY KEY, device_id INTEGER REFERENCES devices(id),
    vendor_id INTEGER REFERENCES vendors(id), issue TEXT, opened TEXT, status TEXT, cost REAL);
CREATE TABLE purchases (id INTEGER PRIMARY KEY, department_id INTEGER REFERENCES departments(id), item TEXT,
    amount REAL, bought_on TEXT);
"""


def shift(day: str, days: int) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()


class ITAssetsWorld:
    def build(self, rng: random.Random) -> None:
        self.db.executescript(SCHEMA)
        n_depts, n_people = {"small": (6, 60), "medium": (8, 100), "large": (10, 150)}[self.variant.scale]
        for name in rng.sample(DEPARTMENTS, n_depts):
            budget = float(rng.randrange(12000, 60000, 500))
            self.db.execute(
                "INSERT INTO departments (name, budget, spent) VALUES (?, ?, ?)",
                (name, budget, round(budget * rng.uniform(0.3, 0.85), 2)),
            )
        self.db.executemany(
            "INSERT INTO models (name, kind, maker, price, ram_gb, storage_gb, warranty_years) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            MODELS,
        )
        for maker in MAKERS:
            self.db.execute(
                "INSERT INTO vendors (name, rating, fee, turnaround_days) VALUES (?, ?, ?, ?)",
                (maker, round(rng.uniform(3.6, 4.9), 1), float(rng.randrange(140, 260, 5)), rng.randint(5, 15)),
            )
        for shop in rng.sample(SHOPS, 4):
            self.db.execute(
                "INSERT INTO vendors (name, rating, fee, turnaround_days) VALUES (?, ?, ?, ?)",
                (shop, round(rng.uniform(2.8, 4.9), 1), float(rng.randrange(60, 240, 5)), rng.randint(2, 10)),
            )
        for product in rng.sample(PRODUCTS, rng.randint(8, 10)):
            expiry = shift(TODAY, rng.choice([-1, 1, 1, 1]) * rng.randint(10, 480))
            self.db.execute(
                "INSERT INTO licences (product, seats, expiry, cost_per_seat) VALUES (?, ?, ?, ?)",
                (product, rng.randint(8, n_people // 2), expiry, float(rng.randrange(40, 600, 10))),
            )
        depts = [r["id"] for r in self.rows("SELECT id FROM departments ORDER BY id")]
        names = rng.sample([f"{f} {la}" for f in FIRST for la in LAST], n_people)
        for eid, name in enumerate(names, 1):
            dept = depts[(eid - 1) % len(depts)] if eid <= 3 * len(depts) else rng.choice(depts)
            new = eid <= 2 * len(depts) and rng.random() < 0.6
            status = "active" if new else rng.choices(["active", "leaving"], [12, 1])[0]
            hired = shift(TODAY, -rng.randint(1, 12)) if new else shift(TODAY, -rng.randint(60, 3000))
            self.db.execute(
                "INSERT INTO employees VALUES (?, ?, ?, ?, ?, ?, ?)",
                (eid, name, f"{name.lower().replace(' ', '.')}@corp.example", dept, rng.choice(TITLES), status, hired),
            )
        models = {k: [m for m in self.rows("SELECT * FROM models WHERE kind = ?", k)] for k in KINDS}
        tags = iter(rng.sample(range(10000, 99999), 8 * n_people))

        def add_device(kind: str, status: str, holder: int | None, oldest: int = 2600) -> int:
            model = rng.choice(models[kind])
            bought = shift(TODAY, -rng.randint(20, oldest))
            warranty = shift(bought, 365 * model["warranty_years"])
            cur = self.db.execute(
                "INSERT INTO devices (asset_tag, model_id, purchase_date, warranty_end, status, "
                "employee_id) VALUES (?, ?, ?, ?, ?, ?)",
                (f"AT-{next(tags)}", model["id"], bought, warranty, status, holder),
            )
            return cur.lastrowid

        for e in self.rows("SELECT id FROM employees WHERE hire_date < ? ORDER BY id", shift(TODAY, -30)):
            kinds = ["laptop" if rng.random() < 0.8 else "desktop"]
            kinds += [k for k, p in (("phone", 0.7), ("monitor", 0.5)) if rng.random() < p]
            for kind in kinds:
                add_device(kind, "in_use", e["id"])
        for kind, (lo, hi) in {"laptop": (2, 8), "desktop": (0, 3), "phone": (0, 4), "monitor": (1, 5)}.items():
            for _ in range(rng.randint(lo, hi)):
                add_device(kind, "in_stock", None)
        for _ in range(n_people // 6):
            add_device(rng.choice(KINDS), "retired", None, 3600)
        vendors = self.rows("SELECT id, name, fee FROM vendors ORDER BY id")
        for d in rng.sample(
            self.rows(
                "SELECT d.id, d.warranty_end, m.maker FROM devices d JOIN models m ON "
                "m.id = d.model_id WHERE d.status = 'in_use' ORDER BY d.id"
            ),
            n_people // 10,
        ):
            covered = d["warranty_end"] >= TODAY
            vendor = next(v for v in vendors if v["name"] == d["maker"]) if covered else rng.choice(vendors)
            self.db.execute("UPDATE devices SET status = 'in_repair' WHERE id = ?", (d["id"],))
            self.db.execute(
                "INSERT INTO repairs (device_id, vendor_id, issue, opened, status, cost) VALUES "
                "(?, ?, ?, ?, 'open', ?)",
                (
                    d["id"],
                    vendor["id"],
                    rng.choice(ISSUES),
                    shift(TODAY, -rng.randint(1, 20)),
                    0.0 if covered else vendor["fee"],
                ),
            )
        for d in rng.sample(self.rows("SELECT id FROM devices ORDER BY id"), n_people // 4):
            vendor = rng.choice(vendors)
            self.db.execute(
                "INSERT INTO repairs (device_id, vendor_id, issue, opened, status, cost) VALUES "
                "(?, ?, ?, ?, 'closed', ?)",
                (d["id"], vendor["id"], rng.choice(ISSUES), shift(TODAY, -rng.randint(40, 700)), vendor["fee"]),
            )
        active = [
            r["id"] for r in self.rows("SELECT id FROM employees WHERE hire_date < ? ORDER BY id", shift(TODAY, -30))
        ]
        for lic in self.rows("SELECT id, seats FROM licences ORDER BY id"):
            used = rng.randint(lic["seats"] * 6 // 10, lic["seats"])
            for emp in rng.sample(active, min(used, len(active))):
                self.db.execute(
                    "INSERT INTO seats (licence_id, employee_id, assigned_on) VALUES (?, ?, ?)",
                    (lic["id"], emp, shift(TODAY, -rng.randint(30, 900))),
                )
        for dept in depts:
            for _ in range(rng.randint(2, 5)):
                item = rng.choice(MODELS)
                self.db.execute(
                    "INSERT INTO purchases (department_id, item, amount, bought_on) VALUES (?, ?, ?, ?)",
                    (dept, item[0], item[3], shift(TODAY, -rng.randint(5, 300))),
                )
