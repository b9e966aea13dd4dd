"""The support desk's world: plans, customers, subscriptions and invoices, agents and cases, how an instance's
database is built, and the policy arithmetic the tools and the proposers share."""

from __future__ import annotations

import datetime as dt
import random

TODAY = "2026-03-16"
NOW = f"{TODAY} 12:00"
PLANS = [
    ("Starter", 9.0),
    ("Starter Plus", 14.5),
    ("Team", 29.0),
    ("Team Pro", 49.0),
    ("Business", 89.0),
    ("Enterprise Lite", 149.0),
]
TIERS = {"standard": (14, 10.0), "silver": (30, 25.0), "gold": (60, 50.0)}  # refund window days, credit cap
SLA_HOURS = {"urgent": 1, "high": 4, "normal": 24, "low": 72}
PRIORITIES = ["low", "normal", "high", "urgent"]
CATEGORIES = ["billing", "outage", "technical", "account"]
SUBJECTS = {
    "billing": ["Charged twice", "Unexpected invoice", "Refund request", "Wrong plan billed"],
    "outage": ["Service down", "Dashboard not loading", "API timeouts", "Sync stopped"],
    "technical": ["Export fails", "Login loop", "Webhook errors", "Slow search"],
    "account": ["Change owner email", "Close account", "Add seats", "Reset 2FA"],
}
FIRST = [
    "Alba",
    "Brann",
    "Cosima",
    "Dorian",
    "Elske",
    "Fitz",
    "Galen",
    "Hester",
    "Isolde",
    "Jory",
    "Keziah",
    "Linus",
    "Marisol",
    "Nestor",
    "Orla",
    "Perrin",
    "Quilla",
    "Roscoe",
    "Saoirse",
    "Thaddeus",
    "Una",
    "Vesper",
]
LAST = [
    "Applewood",
    "Bramblecott",
    "Cinderby",
    "Dewhurst",
    "Elderberry",
    "Foxglove",
    "Gorsefield",
    "Hawthorne",
    "Ivybridge",
    "Juniper",
    "Kestrelby",
    "Lowther",
    "Mossgrove",
    "Nettlebed",
    "Oakenshaw",
    "Primrose",
]
AGENTS = [
    "Rowan Vale",
    "Sable Quinn",
    "Tamsin Reed",
    "Ulric Stone",
    "Wren Ashby",
    "Yorick Dale",
    "Zelda Moor",
    "Adair Finch",
    "Blythe Crane",
    "Corin Hale",
    "Delphine Frost",
    "Emrys Lowe",
    "Fenna Wilde",
    "Garnet Shaw",
]


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def _days_between(day: str, today: str = TODAY) -> int:
    return (dt.date.fromisoformat(today) - dt.date.fromisoformat(day[:10])).days


SCHEMA = """
CREATE TABLE plans (id INTEGER PRIMARY KEY, name TEXT UNIQUE, monthly_price REAL);
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, email TEXT UNIQUE, tier TEXT, joined TEXT);
CREATE TABLE subscriptions (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id),
    plan_id INTEGER REFERENCES plans(id), status TEXT, started TEXT);
CREATE TABLE invoices (id INTEGER PRIMARY KEY, subscription_id INTEGER REFERENCES subscriptions(id),
    amount REAL, paid_on TEXT, refunded REAL);
CREATE TABLE agents (id INTEGER PRIMARY KEY, name TEXT UNIQUE, level INTEGER);
CREATE TABLE cases (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), subject TEXT,
    category TEXT, priority TEXT, status TEXT, opened_at TEXT, first_response_at TEXT,
    agent_id INTEGER REFERENCES agents(id));
CREATE TABLE refunds (id INTEGER PRIMARY KEY, invoice_id INTEGER REFERENCES invoices(id),
    case_id INTEGER REFERENCES cases(id), amount REAL, created TEXT);
CREATE TABLE credits (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id),
    case_id INTEGER REFERENCES cases(id), amount REAL, reason TEXT, created TEXT);
"""


class SupportWorld:
    # ---- database ---------------------------------------------------------------------------------

    def build(self, rng: random.Random) -> None:
        self.db.executescript(SCHEMA)
        n_customers, n_agents = {"small": (70, 8), "medium": (110, 10), "large": (160, 14)}[self.variant.scale]
        self.db.executemany("INSERT INTO plans (name, monthly_price) VALUES (?, ?)", PLANS)
        for name in rng.sample(AGENTS, n_agents):
            self.db.execute("INSERT INTO agents (name, level) VALUES (?, ?)", (name, rng.choice([1, 1, 2])))
        level2 = [r["id"] for r in self.rows("SELECT id FROM agents WHERE level = 2")]
        if not level2:
            self.db.execute("UPDATE agents SET level = 2 WHERE id = 1")
            level2 = [1]
        agents = [r["id"] for r in self.rows("SELECT id FROM agents")]
        today = dt.datetime.fromisoformat(NOW)
        names = rng.sample([f"{f} {la}" for f in FIRST for la in LAST], n_customers)
        for cid, name in enumerate(names, 1):
            tier = rng.choices(list(TIERS), [5, 3, 2])[0]
            self.db.execute(
                "INSERT INTO customers VALUES (?, ?, ?, ?, ?)",
                (
                    cid,
                    name,
                    f"{name.lower().replace(' ', '.')}{rng.randint(1, 99)}@mail.example",
                    tier,
                    (today - dt.timedelta(days=rng.randint(90, 900))).date().isoformat(),
                ),
            )
            for _ in range(rng.choice([1, 1, 2])):
                plan = rng.randint(1, len(PLANS))
                status = rng.choices(["active", "cancelled"], [5, 1])[0]
                cur = self.db.execute(
                    "INSERT INTO subscriptions (customer_id, plan_id, status, started) VALUES (?, ?, ?, ?)",
                    (cid, plan, status, "2025-06-01"),
                )
                for k in range(rng.randint(1, 3)):
                    paid = (today - dt.timedelta(days=rng.randint(1, 28) + 30 * k)).date().isoformat()
                    refunded = 0.0 if rng.random() < 0.85 else round(PLANS[plan - 1][1] * rng.choice([0.25, 0.5]), 2)
                    self.db.execute(
                        "INSERT INTO invoices (subscription_id, amount, paid_on, refunded) VALUES (?, ?, ?, ?)",
                        (cur.lastrowid, PLANS[plan - 1][1], paid, refunded),
                    )
            for _ in range(rng.choice([0, 1, 1, 2])):
                category, priority = rng.choice(CATEGORIES), rng.choices(PRIORITIES, [2, 4, 3, 1])[0]
                opened = today - dt.timedelta(minutes=15 * rng.randint(1, 4 * 24 * 6))
                status = rng.choices(["open", "resolved"], [3, 1])[0]
                responded = status == "resolved" or rng.random() < 0.5
                pool = level2 if priority == "urgent" and "urgent_level2" in self.variant.rules else agents
                agent = rng.choice(pool) if status == "resolved" or rng.random() < 0.7 else None
                first = None
                if responded and agent:
                    first = _stamp(min(today, opened + dt.timedelta(minutes=15 * rng.randint(1, 40))))
                elif status == "resolved":
                    status = "open"
                self.db.execute(
                    "INSERT INTO cases (customer_id, subject, category, priority, status, opened_at, "
                    "first_response_at, agent_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (cid, rng.choice(SUBJECTS[category]), category, priority, status, _stamp(opened), first, agent),
                )
        for case in rng.sample(
            self.rows("SELECT cases.id, customer_id, c.tier FROM cases JOIN customers c ON c.id = cases.customer_id"),
            15,
        ):
            self.db.execute(
                "INSERT INTO credits (customer_id, case_id, amount, reason, created) VALUES (?, ?, ?, ?, ?)",
                (
                    case["customer_id"],
                    case["id"],
                    float(rng.randint(2, int(TIERS[case["tier"]][1]))),
                    "goodwill",
                    "2026-03-10",
                ),
            )

    # ---- policy arithmetic shared by tools and proposers ---------------------------------------------

    def _refundable(self, invoice_id: int) -> float:
        """How much of an invoice may still be refunded today."""
        inv = self.one(
            "SELECT i.*, c.tier FROM invoices i JOIN subscriptions s ON s.id = i.subscription_id "
            "JOIN customers c ON c.id = s.customer_id WHERE i.id = ?",
            invoice_id,
            missing=f"no invoice {invoice_id}; list_invoices shows a customer's invoices",
        )
        age = _days_between(inv["paid_on"])
        if age > TIERS[inv["tier"]][0]:
            return 0.0
        limit = inv["amount"] / 2 if "half_refund_late" in self.variant.rules and age > 7 else inv["amount"]
        return round(max(0.0, limit - inv["refunded"]), 2)

    def _credit_room(self, case_id: int) -> float:
        row = self.one(
            "SELECT c.tier, (SELECT COUNT(*) FROM credits k WHERE k.case_id = ca.id) AS n "
            "FROM cases ca JOIN customers c ON c.id = ca.customer_id WHERE ca.id = ?",
            case_id,
            missing=f"no case {case_id}; search_cases lists cases",
        )
        return 0.0 if row["n"] else TIERS[row["tier"]][1]

    def _open_load(self) -> dict[int, int]:
        return {
            r["id"]: r["n"]
            for r in self.rows(
                "SELECT a.id, (SELECT COUNT(*) FROM cases c WHERE c.agent_id = a.id AND c.status = 'open') AS n "
                "FROM agents a ORDER BY a.id"
            )
        }

    def _eligible(self, priority: str) -> list[int]:
        min_level = 2 if priority == "urgent" and "urgent_level2" in self.variant.rules else 1
        return [r["id"] for r in self.rows("SELECT id FROM agents WHERE level >= ? ORDER BY id", min_level)]
