"""The company's world: its departments, budget categories, vendors and heads, and how an instance's ledger is
built."""

from __future__ import annotations

import datetime as dt
import random

DEPARTMENTS = [
    "Engineering",
    "Sales",
    "Marketing",
    "Operations",
    "Customer Success",
    "Finance",
    "Legal",
    "Research",
    "Design",
    "People",
    "Security",
    "Procurement",
]
CATEGORIES = {
    "salaries": 400000,
    "software": 60000,
    "travel": 30000,
    "marketing": 80000,
    "equipment": 40000,
    "consulting": 50000,
    "facilities": 45000,
}
VENDORS = {
    "software": ["Cloudnest", "Ledgerly", "Pixelcraft Suite", "Stackwise"],
    "travel": ["Jetstream Travel", "Harbor Hotels Group"],
    "marketing": ["Brightside Media", "Signal & Co", "Adwave"],
    "equipment": ["Ironclad Supply", "Deskworks", "Voltline"],
    "consulting": ["Meridian Advisory", "Northstar Partners", "Quarry Consulting"],
    "facilities": ["Cleanline Services", "Greenleaf Maintenance"],
}
HEADS = [
    "Ada Brightwater",
    "Cyrus Holloway",
    "Della Fairbanks",
    "Emil Thornquist",
    "Freya Ashcombe",
    "Gustav Ellery",
    "Helena Marchbank",
    "Idris Coldwell",
    "Juno Pembroke",
    "Kit Ravensworth",
    "Leona Stirling",
    "Milo Whitcombe",
]


class FinanceWorld:
    def build(self, rng: random.Random) -> None:
        self.db.executescript("""
            CREATE TABLE company (id INTEGER PRIMARY KEY, today TEXT, fiscal_year INTEGER);
            CREATE TABLE departments (id INTEGER PRIMARY KEY, name TEXT UNIQUE, head TEXT);
            CREATE TABLE budgets (id INTEGER PRIMARY KEY, department_id INTEGER, category TEXT, amount REAL,
                original_amount REAL, UNIQUE (department_id, category));
            CREATE TABLE actuals (id INTEGER PRIMARY KEY, department_id INTEGER, category TEXT, month TEXT,
                amount REAL, UNIQUE (department_id, category, month));
            CREATE TABLE vendors (id INTEGER PRIMARY KEY, name TEXT UNIQUE, category TEXT);
            CREATE TABLE invoices (id INTEGER PRIMARY KEY, number TEXT UNIQUE, vendor_id INTEGER,
                department_id INTEGER, category TEXT, issue_date TEXT, due_date TEXT, amount REAL, status TEXT,
                paid_on TEXT, note TEXT);
            CREATE TABLE budget_transfers (id INTEGER PRIMARY KEY, from_department_id INTEGER,
                to_department_id INTEGER, category TEXT, amount REAL, created_on TEXT, reason TEXT);
        """)
        today = dt.date(2026, rng.randint(5, 12), rng.randint(1, 28))
        self.db.execute("INSERT INTO company VALUES (1, ?, ?)", (today.isoformat(), today.year))
        n_depts, n_invoices = {
            "small": ((5, 7), (80, 110)),
            "medium": ((7, 9), (100, 150)),
            "large": ((10, 12), (170, 240)),
        }[self.variant.scale]
        months = [f"{today.year}-{m:02d}" for m in range(1, today.month + 1)]
        for name, head in zip(rng.sample(DEPARTMENTS, rng.randint(*n_depts)), rng.sample(HEADS, 12)):
            dept = self.db.execute("INSERT INTO departments (name, head) VALUES (?, ?)", (name, head)).lastrowid
            size = rng.uniform(0.5, 2.0)
            for category in rng.sample(sorted(CATEGORIES), rng.randint(4, 7)):
                budget = float(round(CATEGORIES[category] * size * rng.uniform(0.7, 1.3), -2))
                self.db.execute(
                    "INSERT INTO budgets (department_id, category, amount, original_amount) VALUES (?, ?, ?, ?)",
                    (dept, category, budget, budget),
                )
                trend = rng.uniform(0.75, 1.3)  # some lines run ahead of their budget
                for month in months:
                    share = today.day / 30 if month == months[-1] else 1
                    self.db.execute(
                        "INSERT INTO actuals (department_id, category, month, amount) VALUES (?, ?, ?, ?)",
                        (dept, category, month, round(budget / 12 * trend * share * rng.uniform(0.8, 1.2), 2)),
                    )
        for line in self.rows(
            "SELECT b.id, SUM(a.amount) AS spent FROM budgets b JOIN actuals a ON a.department_id "
            "= b.department_id AND a.category = b.category GROUP BY b.id ORDER BY b.id"
        ):
            if rng.random() < 0.15:  # lines cut mid-year now run over budget
                cut = float(round(line["spent"] * rng.uniform(0.85, 0.98), -2))
                self.db.execute(
                    "UPDATE budgets SET amount = ?, original_amount = ? WHERE id = ?", (cut, cut, line["id"])
                )
        for category, names in VENDORS.items():
            for name in names:
                self.db.execute("INSERT INTO vendors (name, category) VALUES (?, ?)", (name, category))
        lines = self.rows("SELECT department_id, category, amount FROM budgets WHERE category != 'salaries'")
        vendors = self.rows("SELECT id, category FROM vendors")
        numbers = rng.sample(range(1000, 9999), n_invoices[1])
        for number in numbers[: rng.randint(*n_invoices)]:
            line = rng.choice(lines)
            issue = today - dt.timedelta(days=rng.randint(1, 100))
            status = rng.choices(["paid", "unpaid", "disputed"], [5, 4, 1])[0]
            due = issue + dt.timedelta(days=rng.choice([30, 45, 60]))
            self.db.execute(
                "INSERT INTO invoices (number, vendor_id, department_id, category, issue_date, due_date, amount, "
                "status, paid_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    f"INV-{number}",
                    rng.choice([v for v in vendors if v["category"] == line["category"]])["id"],
                    line["department_id"],
                    line["category"],
                    issue.isoformat(),
                    due.isoformat(),
                    round(line["amount"] * rng.uniform(0.005, 0.06), 2),
                    status,
                    min(due, today).isoformat() if status == "paid" else None,
                ),
            )
