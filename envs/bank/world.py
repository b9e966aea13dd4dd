"""The bank's world: its people, merchants and payees, and how an instance's database is built."""

from __future__ import annotations

import datetime as dt
import random

FIRST = [
    "Alba",
    "Bram",
    "Cosima",
    "Dorian",
    "Edda",
    "Fenna",
    "Gideon",
    "Hollis",
    "Ilse",
    "Joran",
    "Katya",
    "Leander",
    "Maren",
    "Nico",
    "Odile",
    "Pim",
    "Rhea",
    "Silas",
    "Tamsin",
    "Ulric",
    "Vesna",
    "Wim",
    "Xenia",
    "Yorick",
]
LAST = [
    "Achterberg",
    "Blom",
    "Carvalho",
    "Drummond",
    "Esposito",
    "Falk",
    "Greaves",
    "Holm",
    "Ibarra",
    "Jurado",
    "Kasprzak",
    "Lowell",
    "Marchetti",
    "Nyberg",
    "Oyelaran",
    "Pryce",
    "Quist",
    "Rasmussen",
    "Stavros",
    "Thorne",
]
MERCHANTS = {
    "groceries": ["FreshCart", "Green Basket", "Daily Harvest", "Corner Grocer", "Market Hall Foods"],
    "dining": ["Copper Pot Bistro", "Noodle Lane", "Bluefin Sushi", "Olive Tree Cafe", "Ember Grill"],
    "travel": ["Railway Express", "CityCab", "SkyHop Airlines", "Harbor Ferries"],
    "shopping": ["Threadline", "Gadget Den", "Paper & Pine", "HomeNest", "Lumen Optics"],
    "entertainment": ["Starlight Cinema", "Arcadia Games", "Riverside Theatre", "Vinyl Vault"],
}
EMPLOYERS = [
    "Northwind Logistics",
    "Brightpath Labs",
    "Cedar & Vale Architects",
    "Meridian Health Trust",
    "Polar Tools Ltd",
    "Saltmarsh Foods",
]
PAYEES = {
    "rent": ["Harborview Lettings", "Oakline Property Management", "Beacon Homes", "Stonebridge Estates"],
    "utilities": ["Brightwater Utilities", "Northgrid Energy", "Clearline Telecom", "Aquafirm Water"],
    "subscriptions": ["StreamBox", "FitLoop Gym", "PageTurner Books", "CloudVault Storage"],
    "insurance": ["Evergreen Mutual", "Shieldway Insurance"],
    "loans": ["Keystone Auto Finance", "Summit Student Loans"],
    "charity": ["Riverside Food Bank", "Wild Coast Trust"],
}
ORDER_AMOUNTS = {
    "rent": (650, 1600),
    "utilities": (40, 180),
    "subscriptions": (8, 60),
    "insurance": (30, 150),
    "loans": (150, 500),
    "charity": (10, 50),
    "family": (50, 400),
}
CATEGORIES = sorted([*PAYEES, "family"])
NEW_LANDLORDS = ["Greenway Rentals", "Kestrel Court Lettings", "Millpond Housing", "Sableview Properties"]


def room(account: dict, no_overdraft: bool) -> float:
    """How much may still leave an account today: funds (with any arranged overdraft) and the daily limit."""
    if account["status"] != "open":
        return 0.0
    funds = account["balance"] + (0 if no_overdraft else account["overdraft_limit"])
    return round(max(0.0, min(funds, account["daily_limit"] - account["sent_today"])), 2)


class BankWorld:
    def build(self, rng: random.Random) -> None:
        self.db.executescript("""
            CREATE TABLE bank (id INTEGER PRIMARY KEY, today TEXT);
            CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT UNIQUE, email TEXT, segment TEXT);
            CREATE TABLE accounts (id INTEGER PRIMARY KEY, number TEXT UNIQUE, customer_id INTEGER REFERENCES
                customers(id), kind TEXT, balance REAL, overdraft_limit REAL, daily_limit REAL, status TEXT);
            CREATE TABLE payees (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), name TEXT,
                reference TEXT, category TEXT);
            CREATE TABLE standing_orders (id INTEGER PRIMARY KEY, account_id INTEGER REFERENCES accounts(id),
                payee_id INTEGER REFERENCES payees(id), amount REAL, day_of_month INTEGER, active INTEGER,
                created_on TEXT);
            CREATE TABLE transactions (id INTEGER PRIMARY KEY, account_id INTEGER REFERENCES accounts(id),
                posted_on TEXT, kind TEXT, counterparty TEXT, category TEXT, amount REAL, memo TEXT);
        """)
        today = dt.date(2026, rng.randint(3, 11), rng.randint(1, 28))
        self.db.execute("INSERT INTO bank VALUES (1, ?)", (today.isoformat(),))
        n_customers, n_tx = {
            "small": ((25, 35), (10, 18)),
            "medium": ((40, 55), (16, 26)),
            "large": ((70, 90), (22, 34)),
        }[self.variant.scale]
        numbers: set[str] = set()
        for name in rng.sample([f"{f} {last}" for f in FIRST for last in LAST], rng.randint(*n_customers)):
            cid = self.db.execute(
                "INSERT INTO customers (name, email, segment) VALUES (?, ?, ?)",
                (
                    name,
                    name.lower().replace(" ", ".") + "@mail.example",
                    rng.choice(["standard", "standard", "premier"]),
                ),
            ).lastrowid
            kinds = (
                ["checking"]
                + (["checking"] if rng.random() < 0.2 else [])
                + (["savings"] if rng.random() < 0.9 else [])
            )
            for kind in kinds:
                number = f"{'CHK' if kind == 'checking' else 'SAV'}-{rng.randint(1000, 9999)}-{rng.randint(10, 99)}"
                while number in numbers:
                    number = f"{number[:4]}{rng.randint(1000, 9999)}-{rng.randint(10, 99)}"
                numbers.add(number)
                self._build_account(rng, today, cid, number, kind, rng.randint(*n_tx))
            self._build_payees(rng, today, cid)

    def _build_account(self, rng, today, customer_id, number, kind, n_tx) -> None:
        checking = kind == "checking"
        overdraft = float(rng.choice([0, 0, 250, 500, 1000])) if checking else 0.0
        balance = round(rng.uniform(-overdraft * 0.8, 4200) if checking else rng.uniform(300, 22000), 2)
        account_id = self.db.execute(
            "INSERT INTO accounts (number, customer_id, kind, balance, overdraft_limit, daily_limit, status) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                number,
                customer_id,
                kind,
                balance,
                overdraft,
                float(rng.choice([1500, 2000, 2500, 3000, 5000] if checking else [1000, 2000, 3000])),
                "frozen" if rng.random() < 0.06 else "open",
            ),
        ).lastrowid
        for _ in range(n_tx if checking else n_tx // 4):
            day = (today - dt.timedelta(days=rng.randint(1, 90))).isoformat()
            if checking and rng.random() < 0.8:
                category = rng.choice(sorted(MERCHANTS))
                row = (day, "card", rng.choice(MERCHANTS[category]), category, -round(rng.uniform(3, 180), 2))
            elif checking and rng.random() < 0.6:
                row = (day, "deposit", rng.choice(EMPLOYERS), "salary", round(rng.uniform(1400, 4200), 2))
            else:
                row = (day, "deposit", "Cash deposit", "cash", round(rng.uniform(20, 600), 2))
            self.db.execute(
                "INSERT INTO transactions (account_id, posted_on, kind, counterparty, category, amount, "
                "memo) VALUES (?, ?, ?, ?, ?, ?, '')",
                (account_id, *row),
            )
        if rng.random() < 0.3:  # money already sent today counts against the daily limit
            self.db.execute(
                "INSERT INTO transactions (account_id, posted_on, kind, counterparty, category, amount, "
                "memo) VALUES (?, ?, 'payment', ?, 'family', ?, 'gift')",
                (
                    account_id,
                    today.isoformat(),
                    f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    -float(rng.choice([200, 400, 600, 900, 1200])),
                ),
            )

    def _build_payees(self, rng, today, customer_id) -> None:
        accounts = self.rows("SELECT id, kind FROM accounts WHERE customer_id = ?", customer_id)
        checking = [a["id"] for a in accounts if a["kind"] == "checking"]
        categories = ["rent"] * int(rng.random() < 0.75) + rng.sample(CATEGORIES, rng.randint(2, 5))
        names = set()
        for category in categories:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}" if category == "family" else rng.choice(PAYEES[category])
            if name in names:
                continue
            names.add(name)
            reference = f"{name[:2].upper()}{rng.randint(10**7, 10**8 - 1)}"
            payee_id = self.db.execute(
                "INSERT INTO payees (customer_id, name, reference, category) VALUES (?, ?, ?, ?)",
                (customer_id, name, reference, category),
            ).lastrowid
            for _ in range(1 if rng.random() < 0.9 else 2):
                low, high = ORDER_AMOUNTS[category]
                self.db.execute(
                    "INSERT INTO standing_orders (account_id, payee_id, amount, day_of_month, active, created_on) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        rng.choice(checking),
                        payee_id,
                        float(rng.randint(low, high)),
                        rng.randint(1, 28),
                        int(rng.random() < 0.85),
                        (today - dt.timedelta(days=rng.randint(30, 900))).isoformat(),
                    ),
                )
