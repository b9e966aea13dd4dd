"""Retail banking: customers, accounts, card and transfer history, payees, standing orders and transfer limits."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool
from verifiers.common import verify_names, verify_number

FIRST = ["Alba", "Bram", "Cosima", "Dorian", "Edda", "Fenna", "Gideon", "Hollis", "Ilse", "Joran", "Katya", "Leander",
         "Maren", "Nico", "Odile", "Pim", "Rhea", "Silas", "Tamsin", "Ulric", "Vesna", "Wim", "Xenia", "Yorick"]
LAST = ["Achterberg", "Blom", "Carvalho", "Drummond", "Esposito", "Falk", "Greaves", "Holm", "Ibarra", "Jurado",
        "Kasprzak", "Lowell", "Marchetti", "Nyberg", "Oyelaran", "Pryce", "Quist", "Rasmussen", "Stavros", "Thorne"]
MERCHANTS = {
    "groceries": ["FreshCart", "Green Basket", "Daily Harvest", "Corner Grocer", "Market Hall Foods"],
    "dining": ["Copper Pot Bistro", "Noodle Lane", "Bluefin Sushi", "Olive Tree Cafe", "Ember Grill"],
    "travel": ["Railway Express", "CityCab", "SkyHop Airlines", "Harbor Ferries"],
    "shopping": ["Threadline", "Gadget Den", "Paper & Pine", "HomeNest", "Lumen Optics"],
    "entertainment": ["Starlight Cinema", "Arcadia Games", "Riverside Theatre", "Vinyl Vault"],
}
EMPLOYERS = ["Northwind Logistics", "Brightpath Labs", "Cedar & Vale Architects", "Meridian Health Trust",
             "Polar Tools Ltd", "Saltmarsh Foods"]
PAYEES = {
    "rent": ["Harborview Lettings", "Oakline Property Management", "Beacon Homes", "Stonebridge Estates"],
    "utilities": ["Brightwater Utilities", "Northgrid Energy", "Clearline Telecom", "Aquafirm Water"],
    "subscriptions": ["StreamBox", "FitLoop Gym", "PageTurner Books", "CloudVault Storage"],
    "insurance": ["Evergreen Mutual", "Shieldway Insurance"],
    "loans": ["Keystone Auto Finance", "Summit Student Loans"],
    "charity": ["Riverside Food Bank", "Wild Coast Trust"],
}
ORDER_AMOUNTS = {"rent": (650, 1600), "utilities": (40, 180), "subscriptions": (8, 60), "insurance": (30, 150),
                 "loans": (150, 500), "charity": (10, 50), "family": (50, 400)}
CATEGORIES = sorted([*PAYEES, "family"])
NEW_LANDLORDS = ["Greenway Rentals", "Kestrel Court Lettings", "Millpond Housing", "Sableview Properties"]


def room(account: dict, no_overdraft: bool) -> float:
    """How much may still leave an account today: funds (with any arranged overdraft) and the daily limit."""
    if account["status"] != "open":
        return 0.0
    funds = account["balance"] + (0 if no_overdraft else account["overdraft_limit"])
    return round(max(0.0, min(funds, account["daily_limit"] - account["sent_today"])), 2)


class BankEnv(EnvTemplate):
    name = "bank"
    version = "1.1.0"
    category = "banking and transfers"
    description = ("A retail bank's service desk: look up customers, accounts, transaction history, payees and "
                   "standing orders; move money between a customer's own accounts, pay their registered payees, "
                   "register payees and manage standing orders.")
    policy = (
        "Act only for the customer named in the request and change nothing else. Dates count from the bank's today "
        "(get_bank_info). Transfers move money only between accounts of the same customer; anyone else is paid as a "
        "registered payee of the paying account's owner. Frozen accounts can neither send nor receive money. "
        "Money may leave an account only if its balance stays at or above minus its arranged overdraft limit "
        "(savings accounts have none), and the total sent from an account on one day (transfers and payments) may "
        "not exceed its daily limit. Standing orders run on a day of the month from 1 to 28."
    )
    variants = VariantSpace(
        optional_tools=("get_account", "get_bank_info"),
        renames={"transfer": ("move_funds", "internal_transfer"), "pay_payee": ("send_payment",),
                 "list_transactions": ("account_history",), "find_customers": ("search_customers",)},
        rules={"no_overdraft": "No transfer or payment may take an account below zero, even where an overdraft is "
                               "arranged.",
               "payment_cap": "A single payment to a payee, and a standing order, may not exceed 1000.00."},
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "balance": [
            "What is the current balance of {{customer}}'s account {{number}}?",
            "How much money is in {{customer}}'s account {{number}} right now?",
            "Look up account {{number}} (held by {{customer}}) and tell me its balance.",
        ],
        "order_amount": [
            "How much is {{customer}}'s active standing order to {{payee}}?",
            "{{customer}} pays {{payee}} by standing order. What amount does it send each month?",
        ],
        "category_spend": [
            "How much did {{customer}} spend by card on {{category}} in {{month}}, across all their accounts? "
            "Round to 2 decimals.",
            "Total {{customer}}'s {{category}} card spending during {{month}} over every account they hold "
            "(2 decimals).",
        ],
        "top_merchant": [
            "At which {{category}} merchant has {{customer}} spent the most by card in total over their whole "
            "transaction history?",
            "Looking at all of {{customer}}'s card payments, which {{category}} merchant received the largest total?",
        ],
        "commitments": [
            "What do {{customer}}'s active standing orders{% if category %} to {{category}} payees{% endif %} add up "
            "to per month?",
            "Sum the monthly amounts of all active standing orders{% if category %} for {{category}}{% endif %} "
            "that {{customer}} has.",
        ],
        "capped_transfer": [
            "Move {{amount}} from {{customer}}'s account {{source}} to their account {{target}}. If the bank's rules "
            "don't allow the full amount today, move the largest amount they do allow instead.",
            "{{customer}} wants {{amount}} transferred from {{source}} to {{target}}; should the limits or the "
            "balance not permit that much today, transfer as much as is permitted.",
        ],
        "cancel_category": [
            "Cancel all of {{customer}}'s active standing orders to {{category}} payees{% if threshold %} whose amount "
            "is above {{threshold}}{% endif %}.",
            "{{customer}} wants to stop every active {{category}} standing order{% if threshold %} of more than "
            "{{threshold}}{% endif %}. Please cancel them.",
        ],
        "pay_bill": [
            "Pay {{amount}} to {{customer}}'s payee {{payee}} from their account {{first}}. If that account can't "
            "make the payment under the bank's rules, pay from their account {{second}} instead.",
            "{{customer}} owes {{payee}} {{amount}}. Send it from {{first}}, or, if the rules don't allow that, "
            "from {{second}}.",
        ],
        "new_landlord": [
            "{{customer}} has moved. Cancel their active standing orders to {{old}}, register their new landlord "
            "{{new}} (reference {{reference}}, category rent), set up a monthly standing order of {{rent}} to "
            "{{new}} on day {{day}} from account {{checking}}, and pay the first month's rent of {{rent}} right away "
            "from {{checking}}. If {{checking}} can't cover that payment under the bank's rules, first move exactly "
            "the shortfall there from their account {{savings}}.",
            "New home for {{customer}}: stop the standing orders to {{old}}; add {{new}} as a rent payee with "
            "reference {{reference}}; create a standing order of {{rent}} on day {{day}} of each month from "
            "{{checking}} to {{new}}; and pay {{rent}} to {{new}} now from {{checking}}, topping {{checking}} up "
            "from {{savings}} by just the missing amount beforehand if the rules would otherwise block the payment.",
        ],
        "pay_bills": [
            "Pay these bills for {{customer}}, in this order: {{bills}}. Pay each from account {{checking}} if it "
            "can make the payment under the bank's rules, otherwise from {{savings}}; if neither can, skip it. Tell "
            "me which bills were skipped.",
            "{{customer}} has bills to settle, in order: {{bills}}. Use {{checking}} for each one when the rules "
            "allow it, fall back to {{savings}} when they don't, and leave a bill unpaid if neither account can pay "
            "it. Report any bill you had to skip.",
        ],
        "month_end": [
            "Month-end for {{customer}}: first cancel every active standing order of theirs to {{category}} payees. "
            "Then pay these bills in order: {{bills}} — each from {{checking}} if the bank's rules allow, otherwise "
            "from {{savings}}, skipping any that neither account can pay. Finally, move whatever {{checking}} holds "
            "above {{keep}} into {{savings}}, as far as the rules allow. Tell me which bills were skipped.",
            "Please do {{customer}}'s month-end: (1) stop all their active {{category}} standing orders; (2) settle "
            "{{bills}} in that order, from {{checking}} where the rules permit and from {{savings}} otherwise, "
            "skipping a bill neither can pay; (3) sweep the balance of {{checking}} above {{keep}} into {{savings}} "
            "(as much as the rules allow). Which bills, if any, were skipped?",
        ],
        "budget_cut": [
            "{{customer}} wants their active standing orders to total at most {{cap}} a month. Cancel them largest "
            "amount first, never touching rent, until the total is at most {{cap}}. Then move the monthly amount "
            "you freed up from {{checking}} to {{savings}} now, or as much of it as the rules allow today.",
            "Bring {{customer}}'s monthly standing-order total down to {{cap}} or less by cancelling the biggest "
            "non-rent standing orders one after another, and transfer the total of the cancelled amounts from "
            "{{checking}} to {{savings}} today (the largest allowed amount if the rules block the full sum).",
        ],
    }

    # ---- database ---------------------------------------------------------------------------------

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
        n_customers, n_tx = {"small": ((25, 35), (10, 18)), "medium": ((40, 55), (16, 26)),
                             "large": ((70, 90), (22, 34))}[self.variant.scale]
        numbers: set[str] = set()
        for name in rng.sample([f"{f} {l}" for f in FIRST for l in LAST], rng.randint(*n_customers)):
            cid = self.db.execute("INSERT INTO customers (name, email, segment) VALUES (?, ?, ?)", (
                name, name.lower().replace(" ", ".") + "@mail.example", rng.choice(["standard", "standard",
                                                                                    "premier"]))).lastrowid
            kinds = ["checking"] + (["checking"] if rng.random() < 0.2 else []) + (
                ["savings"] if rng.random() < 0.9 else [])
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
            "VALUES (?, ?, ?, ?, ?, ?, ?)", (number, customer_id, kind, balance, overdraft,
                                             float(rng.choice([1500, 2000, 2500, 3000, 5000] if checking else
                                                              [1000, 2000, 3000])),
                                             "frozen" if rng.random() < 0.06 else "open")).lastrowid
        for _ in range(n_tx if checking else n_tx // 4):
            day = (today - dt.timedelta(days=rng.randint(1, 90))).isoformat()
            if checking and rng.random() < 0.8:
                category = rng.choice(sorted(MERCHANTS))
                row = (day, "card", rng.choice(MERCHANTS[category]), category, -round(rng.uniform(3, 180), 2))
            elif checking and rng.random() < 0.6:
                row = (day, "deposit", rng.choice(EMPLOYERS), "salary", round(rng.uniform(1400, 4200), 2))
            else:
                row = (day, "deposit", "Cash deposit", "cash", round(rng.uniform(20, 600), 2))
            self.db.execute("INSERT INTO transactions (account_id, posted_on, kind, counterparty, category, amount, "
                            "memo) VALUES (?, ?, ?, ?, ?, ?, '')", (account_id, *row))
        if rng.random() < 0.3:  # money already sent today counts against the daily limit
            self.db.execute("INSERT INTO transactions (account_id, posted_on, kind, counterparty, category, amount, "
                            "memo) VALUES (?, ?, 'payment', ?, 'family', ?, 'gift')",
                            (account_id, today.isoformat(), f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                             -float(rng.choice([200, 400, 600, 900, 1200]))))

    def _build_payees(self, rng, today, customer_id) -> None:
        accounts = self.rows("SELECT id, kind FROM accounts WHERE customer_id = ?", customer_id)
        checking = [a["id"] for a in accounts if a["kind"] == "checking"]
        categories = ["rent"] * int(rng.random() < 0.75) + rng.sample(CATEGORIES, rng.randint(2, 5))
        names = set()
        for category in categories:
            name = (f"{rng.choice(FIRST)} {rng.choice(LAST)}" if category == "family"
                    else rng.choice(PAYEES[category]))
            if name in names:
                continue
            names.add(name)
            reference = f"{name[:2].upper()}{rng.randint(10 ** 7, 10 ** 8 - 1)}"
            payee_id = self.db.execute("INSERT INTO payees (customer_id, name, reference, category) VALUES "
                                       "(?, ?, ?, ?)", (customer_id, name, reference, category)).lastrowid
            for _ in range(1 if rng.random() < 0.9 else 2):
                low, high = ORDER_AMOUNTS[category]
                self.db.execute(
                    "INSERT INTO standing_orders (account_id, payee_id, amount, day_of_month, active, created_on) "
                    "VALUES (?, ?, ?, ?, ?, ?)", (rng.choice(checking), payee_id, float(rng.randint(low, high)),
                                                  rng.randint(1, 28), int(rng.random() < 0.85),
                                                  (today - dt.timedelta(days=rng.randint(30, 900))).isoformat()))

    # ---- helpers shared by tools and proposers ----------------------------------------------------

    def _today(self) -> str:
        return self.db.execute("SELECT today FROM bank").fetchone()[0]

    def _no_overdraft(self) -> bool:
        return "no_overdraft" in self.variant.rules

    def _cap(self) -> float | None:
        return 1000.0 if "payment_cap" in self.variant.rules else None

    def _rules(self) -> dict:
        return {"no_overdraft": self._no_overdraft(), "payment_cap": self._cap()}

    def _account(self, number: str) -> dict:
        row = self.db.execute(
            "SELECT a.*, c.name AS owner, (SELECT COALESCE(-SUM(t.amount), 0) FROM transactions t WHERE "
            "t.account_id = a.id AND t.posted_on = (SELECT today FROM bank) AND t.kind IN ('transfer_out', 'payment')"
            ") AS sent_today FROM accounts a JOIN customers c ON c.id = a.customer_id WHERE upper(a.number) = "
            "upper(?)", (number.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"no account {number!r}; use list_accounts to see a customer's accounts")
        account = dict(row)
        account["sent_today"] = round(account["sent_today"], 2)
        return account

    def _customer(self, customer_id: int) -> dict:
        row = self.db.execute("SELECT * FROM customers WHERE id = ?", (customer_id,)).fetchone()
        if row is None:
            raise ValueError(f"no customer with id {customer_id}; use find_customers to look customers up")
        return dict(row)

    def _send_check(self, account: dict, amount: float) -> None:
        if amount <= 0 or round(amount, 2) != amount:
            raise ValueError("the amount must be positive with at most 2 decimals")
        if account["status"] != "open":
            raise ValueError(f"account {account['number']} is {account['status']} and cannot send money")
        floor = 0 if self._no_overdraft() else account["overdraft_limit"]
        if account["balance"] - amount < -floor - 1e-9:
            raise ValueError(f"account {account['number']} has {account['balance']} and may not go below {-floor}")
        if account["sent_today"] + amount > account["daily_limit"] + 1e-9:
            raise ValueError(f"account {account['number']} has already sent {account['sent_today']} today; its daily "
                             f"limit is {account['daily_limit']}")

    def _post(self, account_id: int, kind: str, counterparty: str, category: str, amount: float, memo: str) -> int:
        self.db.execute("UPDATE accounts SET balance = ROUND(balance + ?, 2) WHERE id = ?", (amount, account_id))
        return self.db.execute("INSERT INTO transactions (account_id, posted_on, kind, counterparty, category, amount, "
                               "memo) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               (account_id, self._today(), kind, counterparty, category, amount, memo)).lastrowid

    def _payee(self, payee_id: int, customer_id: int) -> dict:
        row = self.db.execute("SELECT * FROM payees WHERE id = ?", (payee_id,)).fetchone()
        if row is None or row["customer_id"] != customer_id:
            raise ValueError(f"payee {payee_id} is not a registered payee of this account's owner; see list_payees")
        return dict(row)

    # ---- read tools ---------------------------------------------------------------------------------

    @tool("read")
    def get_bank_info(self) -> dict:
        """The bank's current date (today), from which daily limits are counted."""
        return {"today": self._today()}

    @tool("read")
    def find_customers(self, name: str) -> list[dict]:
        """Find customers by (part of) their name. Returns id, name, email and segment.

        Args:
            name: Full or partial customer name, case-insensitive.
        """
        if not name.strip():
            raise ValueError("give a name to search for")
        return self.rows("SELECT * FROM customers WHERE name LIKE ? ORDER BY id", f"%{name.strip()}%")

    @tool("read")
    def list_accounts(self, customer_id: int) -> list[dict]:
        """A customer's accounts: number, kind, balance, overdraft limit, daily limit, amount already sent today
        and status (open or frozen).

        Args:
            customer_id: The customer's id from find_customers.
        """
        self._customer(customer_id)
        numbers = self.rows("SELECT number FROM accounts WHERE customer_id = ? ORDER BY id", customer_id)
        return [self._account(r["number"]) for r in numbers]

    @tool("read")
    def get_account(self, number: str) -> dict:
        """One account by its number, with its owner and the amount already sent from it today.

        Args:
            number: Account number such as CHK-1234-56.
        """
        return self._account(number)

    @tool("read")
    def list_transactions(self, number: str, start_date: str | None = None, end_date: str | None = None,
                          category: str | None = None) -> list[dict]:
        """Transactions of an account, oldest first. Outgoing amounts are negative.

        Args:
            number: Account number.
            start_date: First posting date to include, YYYY-MM-DD.
            end_date: Last posting date to include, YYYY-MM-DD.
            category: Only this category (e.g. groceries, dining, travel, shopping, entertainment, salary, rent).
        """
        account = self._account(number)
        for d in (start_date, end_date):
            if d:
                try:
                    dt.date.fromisoformat(d)
                except ValueError:
                    raise ValueError(f"dates must be YYYY-MM-DD, not {d!r}") from None
        return self.rows("SELECT id, posted_on, kind, counterparty, category, amount, memo FROM transactions "
                         "WHERE account_id = ? AND posted_on >= ? AND posted_on <= ? AND (? IS NULL OR category = ?) "
                         "ORDER BY posted_on, id", account["id"], start_date or "0000", end_date or "9999",
                         category, category)

    @tool("read")
    def list_payees(self, customer_id: int) -> list[dict]:
        """A customer's registered payees: id, name, reference and category.

        Args:
            customer_id: The customer's id.
        """
        self._customer(customer_id)
        return self.rows("SELECT id, name, reference, category FROM payees WHERE customer_id = ? ORDER BY id",
                         customer_id)

    @tool("read")
    def list_standing_orders(self, customer_id: int, active_only: bool = True) -> list[dict]:
        """A customer's standing orders with account, payee, category, amount and day of the month.

        Args:
            customer_id: The customer's id.
            active_only: Leave out cancelled standing orders.
        """
        self._customer(customer_id)
        return self.rows(
            "SELECT s.id, a.number AS account, p.id AS payee_id, p.name AS payee, p.category, s.amount, "
            "s.day_of_month, s.active FROM standing_orders s JOIN accounts a ON a.id = s.account_id JOIN payees p "
            "ON p.id = s.payee_id WHERE a.customer_id = ? AND (s.active = 1 OR ? = 0) ORDER BY s.id",
            customer_id, int(active_only))

    # ---- write tools --------------------------------------------------------------------------------

    @tool("write")
    def transfer(self, from_account: str, to_account: str, amount: float, memo: str = "") -> dict:
        """Move money between two accounts of the same customer, today.

        Args:
            from_account: Number of the account to take the money from.
            to_account: Number of the account to credit.
            amount: Amount to move, positive, at most 2 decimals.
            memo: Optional note.
        """
        source, target = self._account(from_account), self._account(to_account)
        if source["id"] == target["id"]:
            raise ValueError("the two accounts must differ")
        if source["customer_id"] != target["customer_id"]:
            raise ValueError("transfers only go between accounts of the same customer; pay others as payees")
        if target["status"] != "open":
            raise ValueError(f"account {target['number']} is {target['status']} and cannot receive money")
        self._send_check(source, amount)
        self._post(source["id"], "transfer_out", target["number"], "transfer", -amount, memo)
        self._post(target["id"], "transfer_in", source["number"], "transfer", amount, memo)
        return {"from": self._account(source["number"]), "to": self._account(target["number"])}

    @tool("write")
    def pay_payee(self, from_account: str, payee_id: int, amount: float, memo: str = "") -> dict:
        """Pay one of the account owner's registered payees, today.

        Args:
            from_account: Number of the paying account.
            payee_id: The payee's id from list_payees.
            amount: Amount to pay, positive, at most 2 decimals.
            memo: Optional note.
        """
        account = self._account(from_account)
        payee = self._payee(payee_id, account["customer_id"])
        if self._cap() is not None and amount > self._cap():
            raise ValueError(f"policy: a single payment may not exceed {self._cap()}")
        self._send_check(account, amount)
        tx = self._post(account["id"], "payment", payee["name"], payee["category"], -amount, memo)
        return {"transaction_id": tx, "account": self._account(account["number"])}

    @tool("write")
    def add_payee(self, customer_id: int, name: str, reference: str, category: str) -> dict:
        """Register a new payee for a customer.

        Args:
            customer_id: The customer's id.
            name: Payee name.
            reference: The payee's account reference.
            category: One of rent, utilities, subscriptions, insurance, loans, charity, family.
        """
        self._customer(customer_id)
        if category not in CATEGORIES:
            raise ValueError(f"category must be one of {', '.join(CATEGORIES)}")
        if not name.strip() or not reference.strip():
            raise ValueError("name and reference must not be empty")
        if self.rows("SELECT 1 FROM payees WHERE customer_id = ? AND lower(name) = lower(?)", customer_id,
                     name.strip()):
            raise ValueError(f"{name.strip()!r} is already a payee of this customer")
        payee_id = self.db.execute("INSERT INTO payees (customer_id, name, reference, category) VALUES (?, ?, ?, ?)",
                                   (customer_id, name.strip(), reference.strip(), category)).lastrowid
        return {"id": payee_id, "name": name.strip(), "reference": reference.strip(), "category": category}

    @tool("write")
    def create_standing_order(self, from_account: str, payee_id: int, amount: float, day_of_month: int) -> dict:
        """Set up a monthly standing order from an account to one of its owner's payees.

        Args:
            from_account: Number of the paying account.
            payee_id: The payee's id.
            amount: Monthly amount, positive, at most 2 decimals.
            day_of_month: Day it runs, 1-28.
        """
        account = self._account(from_account)
        self._payee(payee_id, account["customer_id"])
        if not 1 <= day_of_month <= 28:
            raise ValueError("day_of_month must be between 1 and 28")
        if amount <= 0 or round(amount, 2) != amount:
            raise ValueError("the amount must be positive with at most 2 decimals")
        if self._cap() is not None and amount > self._cap():
            raise ValueError(f"policy: a standing order may not exceed {self._cap()}")
        if account["status"] != "open":
            raise ValueError(f"account {account['number']} is {account['status']}")
        order_id = self.db.execute(
            "INSERT INTO standing_orders (account_id, payee_id, amount, day_of_month, active, created_on) VALUES "
            "(?, ?, ?, ?, 1, ?)", (account["id"], payee_id, amount, day_of_month, self._today())).lastrowid
        return {"id": order_id, "account": account["number"], "payee_id": payee_id, "amount": amount,
                "day_of_month": day_of_month}

    @tool("write")
    def cancel_standing_order(self, standing_order_id: int) -> dict:
        """Cancel an active standing order.

        Args:
            standing_order_id: The standing order's id from list_standing_orders.
        """
        row = self.db.execute("SELECT * FROM standing_orders WHERE id = ?", (standing_order_id,)).fetchone()
        if row is None:
            raise ValueError(f"no standing order {standing_order_id}")
        if not row["active"]:
            raise ValueError(f"standing order {standing_order_id} is already cancelled")
        self.db.execute("UPDATE standing_orders SET active = 0 WHERE id = ?", (standing_order_id,))
        return {"id": standing_order_id, "active": False}

    # ---- proposers ----------------------------------------------------------------------------------

    def _pair(self, rng: random.Random) -> tuple[dict, dict, dict] | None:
        """A customer with an open checking and an open savings account."""
        options = []
        for c in self.rows("SELECT * FROM customers ORDER BY id"):
            accounts = [self._account(a["number"]) for a in self.rows(
                "SELECT number FROM accounts WHERE customer_id = ? AND status = 'open' ORDER BY id", c["id"])]
            checking = [a for a in accounts if a["kind"] == "checking"]
            savings = [a for a in accounts if a["kind"] == "savings"]
            if checking and savings:
                options.append((c, checking[0], savings[0]))
        return rng.choice(options) if options else None

    def _orders(self, customer_id: int) -> list[dict]:
        return self.rows("SELECT s.id, s.amount, p.name AS payee, p.category FROM standing_orders s JOIN accounts a "
                         "ON a.id = s.account_id JOIN payees p ON p.id = s.payee_id WHERE a.customer_id = ? AND "
                         "s.active = 1 ORDER BY s.id", customer_id)

    def _bills(self, rng: random.Random, customer: dict, n: int) -> list[list] | None:
        payees = self.rows("SELECT name, category FROM payees WHERE customer_id = ? ORDER BY id", customer["id"])
        if len(payees) < n:
            return None
        cap = self._cap() or 2500
        return [[p["name"], float(min(cap, rng.choice([60, 120, 250, 400, 700, 950, 1400, 1900]))
                                  + rng.choice([0, 0.5, 0.99]))]
                for p in rng.sample(payees, n)]

    def _simulate_bills(self, bills, checking: dict, savings: dict) -> tuple[list, list]:
        """(payments [account, payee, amount], skipped payees) when paying in order, checking first."""
        accounts = {a["number"]: dict(a) for a in (checking, savings)}
        paid, skipped = [], []
        for payee, amount in bills:
            for number in (checking["number"], savings["number"]):
                if (self._cap() is None or amount <= self._cap()) and amount <= room(accounts[number],
                                                                                    self._no_overdraft()):
                    accounts[number]["balance"] = round(accounts[number]["balance"] - amount, 2)
                    accounts[number]["sent_today"] = round(accounts[number]["sent_today"] + amount, 2)
                    paid.append([number, payee, amount])
                    break
            else:
                skipped.append(payee)
        return paid, skipped, accounts

    @proposer(difficulty=1)
    def propose_balance(self, rng: random.Random) -> TaskDraft | None:
        account = rng.choice(self.rows("SELECT a.number, a.balance, c.name FROM accounts a JOIN customers c ON "
                                       "c.id = a.customer_id ORDER BY a.id"))
        spec = {"customer": account["name"], "number": account["number"]}
        return TaskDraft(
            shape="balance",
            instruction=self.render("balance", rng, **spec),
            solution=Program.of(solve_balance, **spec),
            verifier=Program.of(verify_number, expected=account["balance"], tolerance=0.005),
            tools=self.available_tools("list_accounts", "find_customers", "list_transactions", "get_account"),
        )

    @proposer(difficulty=1)
    def propose_order_amount(self, rng: random.Random) -> TaskDraft | None:
        customer = rng.choice(self.rows("SELECT * FROM customers ORDER BY id"))
        orders = self._orders(customer["id"])
        payees = [p for p in {o["payee"] for o in orders} if sum(o["payee"] == p for o in orders) == 1]
        if not payees:
            return None
        payee = rng.choice(sorted(payees))
        spec = {"customer": customer["name"], "payee": payee}
        return TaskDraft(
            shape="order_amount",
            instruction=self.render("order_amount", rng, **spec),
            solution=Program.of(solve_order_amount, **spec),
            verifier=Program.of(verify_number, expected=next(o["amount"] for o in orders if o["payee"] == payee),
                                tolerance=0.005),
            tools=("find_customers", "list_standing_orders", "list_payees", "list_accounts"),
        )

    @proposer(difficulty=2)
    def propose_category_spend(self, rng: random.Random) -> TaskDraft | None:
        customer = rng.choice(self.rows("SELECT * FROM customers ORDER BY id"))
        rows = self.rows("SELECT substr(t.posted_on, 1, 7) AS month, t.category, ROUND(-SUM(t.amount), 2) AS spent "
                         "FROM transactions t JOIN accounts a ON a.id = t.account_id WHERE a.customer_id = ? AND "
                         "t.kind = 'card' GROUP BY month, t.category ORDER BY month, t.category", customer["id"])
        if not rows:
            return None
        row = rng.choice(rows)
        month = dt.date.fromisoformat(row["month"] + "-01").strftime("%B %Y")
        spec = {"customer": customer["name"], "category": row["category"]}
        return TaskDraft(
            shape="category_spend",
            instruction=self.render("category_spend", rng, **spec, month=month),
            solution=Program.of(solve_category_spend, **spec, month=row["month"]),
            verifier=Program.of(verify_number, expected=row["spent"], tolerance=0.01),
            tools=self.available_tools("find_customers", "list_accounts", "list_transactions", "get_account", "get_bank_info"),
        )

    @proposer(difficulty=2)
    def propose_top_merchant(self, rng: random.Random) -> TaskDraft | None:
        customer = rng.choice(self.rows("SELECT * FROM customers ORDER BY id"))
        category = rng.choice(sorted(MERCHANTS))
        rows = self.rows("SELECT t.counterparty, -SUM(t.amount) AS spent FROM transactions t JOIN accounts a ON "
                         "a.id = t.account_id WHERE a.customer_id = ? AND t.kind = 'card' AND t.category = ? "
                         "GROUP BY t.counterparty ORDER BY spent DESC", customer["id"], category)
        if not rows or (len(rows) > 1 and rows[0]["spent"] - rows[1]["spent"] < 0.01):
            return None
        spec = {"customer": customer["name"], "category": category}
        return TaskDraft(
            shape="top_merchant",
            instruction=self.render("top_merchant", rng, **spec),
            solution=Program.of(solve_top_merchant, **spec),
            verifier=Program.of(verify_names, expected=[rows[0]["counterparty"]], candidates=MERCHANTS[category]),
            tools=("find_customers", "list_accounts", "list_transactions"),
        )

    @proposer(difficulty=2)
    def propose_commitments(self, rng: random.Random) -> TaskDraft | None:
        customer = rng.choice(self.rows("SELECT * FROM customers ORDER BY id"))
        orders = self._orders(customer["id"])
        categories = sorted({o["category"] for o in orders if sum(p["category"] == o["category"] for p in orders) > 1})
        category = rng.choice([None, None] + categories)
        amounts = [o["amount"] for o in orders if category in (None, o["category"])]
        if len(amounts) < 2:
            return None
        spec = {"customer": customer["name"], "category": category}
        return TaskDraft(
            shape="commitments",
            instruction=self.render("commitments", rng, **spec),
            solution=Program.of(solve_commitments, **spec),
            verifier=Program.of(verify_number, expected=round(sum(amounts), 2), tolerance=0.01),
            tools=("find_customers", "list_standing_orders", "list_payees"),
        )

    @proposer(difficulty=3)
    def propose_capped_transfer(self, rng: random.Random) -> TaskDraft | None:
        pair = self._pair(rng)
        if pair is None:
            return None
        customer, checking, savings = pair
        source, target = (checking, savings) if rng.random() < 0.6 else (savings, checking)
        allowed = room(source, self._no_overdraft())
        amount = float(rng.choice([300, 500, 800, 1200, 1500, 2000, 2500, 3000, 4000]))
        moved = min(amount, allowed)
        if moved < 1:
            return None
        spec = {"customer": customer["name"], "source": source["number"], "target": target["number"],
                "amount": amount}
        return TaskDraft(
            shape="capped_transfer",
            instruction=self.render("capped_transfer", rng, **spec),
            solution=Program.of(solve_capped_transfer, **spec, **self._rules()),
            verifier=Program.of(verify_ledger, transfers=[[source["number"], target["number"], moved]]),
            tools=self.available_tools("find_customers", "list_accounts", "get_account", "transfer", "get_bank_info"),
        )

    @proposer(difficulty=3)
    def propose_cancel_category(self, rng: random.Random) -> TaskDraft | None:
        customer = rng.choice(self.rows("SELECT * FROM customers ORDER BY id"))
        orders = self._orders(customer["id"])
        if not orders:
            return None
        category = rng.choice(sorted({o["category"] for o in orders}))
        amounts = sorted(o["amount"] for o in orders if o["category"] == category)
        threshold = None
        if len(amounts) >= 2 and rng.random() < 0.6:
            threshold = float(int(amounts[0]) + 1) if amounts[0] < amounts[-1] - 1 else None
        cancel = [o["id"] for o in orders if o["category"] == category and (threshold is None or o["amount"] >
                                                                             threshold)]
        spec = {"customer": customer["name"], "category": category, "threshold": threshold}
        return TaskDraft(
            shape="cancel_category",
            instruction=self.render("cancel_category", rng, **spec),
            solution=Program.of(solve_cancel_category, **spec),
            verifier=Program.of(verify_ledger, cancelled=cancel),
            tools=("find_customers", "list_standing_orders", "list_payees", "cancel_standing_order",
                   "create_standing_order"),
        )

    @proposer(difficulty=3)
    def propose_pay_bill(self, rng: random.Random) -> TaskDraft | None:
        pair = self._pair(rng)
        if pair is None:
            return None
        customer, checking, savings = pair
        first, second = (checking, savings) if rng.random() < 0.7 else (savings, checking)
        bills = self._bills(rng, customer, 1)
        if bills is None:
            return None
        paid, skipped, _ = self._simulate_bills(bills, first, second)
        if skipped:
            return None
        spec = {"customer": customer["name"], "payee": bills[0][0], "amount": bills[0][1],
                "first": first["number"], "second": second["number"]}
        return TaskDraft(
            shape="pay_bill",
            instruction=self.render("pay_bill", rng, **spec),
            solution=Program.of(solve_pay_bills, customer=customer["name"], bills=bills, checking=first["number"],
                                savings=second["number"], **self._rules()),
            verifier=Program.of(verify_ledger, payments=paid),
            tools=self.available_tools("find_customers", "list_accounts", "list_payees", "pay_payee", "get_account",
                              "transfer"),
        )

    @proposer(difficulty=4)
    def propose_new_landlord(self, rng: random.Random) -> TaskDraft | None:
        pair = self._pair(rng)
        if pair is None:
            return None
        customer, checking, savings = pair
        olds = sorted({o["payee"] for o in self._orders(customer["id"]) if o["category"] == "rent"})
        if not olds:
            return None
        old = rng.choice(olds)
        new = rng.choice(NEW_LANDLORDS)
        rent = float(rng.randint(650, 1000 if self._cap() else 1500))
        shortfall = 0.0
        funds = checking["balance"] + (0 if self._no_overdraft() else checking["overdraft_limit"])
        if checking["daily_limit"] - checking["sent_today"] < rent:
            return None
        if rent > funds:
            shortfall = round(rent - funds, 2)
            if shortfall > room(savings, self._no_overdraft()):
                return None
        spec = {"customer": customer["name"], "old": old, "new": new, "rent": rent, "day": rng.randint(1, 28),
                "reference": f"{new[:2].upper()}{rng.randint(10 ** 7, 10 ** 8 - 1)}", "checking": checking["number"],
                "savings": savings["number"]}
        cancel = [o["id"] for o in self._orders(customer["id"]) if o["payee"] == old]
        return TaskDraft(
            shape="new_landlord",
            instruction=self.render("new_landlord", rng, **spec),
            solution=Program.of(solve_new_landlord, **spec, **self._rules()),
            verifier=Program.of(
                verify_ledger, cancelled=cancel, payments=[[checking["number"], new, rent]],
                transfers=[[savings["number"], checking["number"], shortfall]] if shortfall else [],
                new_payees=[[customer["id"], new, spec["reference"], "rent"]],
                new_orders=[[checking["number"], new, rent, spec["day"]]]),
        )

    @proposer(difficulty=3)  # its length follows the data: 4 to 7 calls
    def propose_pay_bills(self, rng: random.Random) -> TaskDraft | None:
        pair = self._pair(rng)
        if pair is None:
            return None
        customer, checking, savings = pair
        bills = self._bills(rng, customer, rng.choice([3, 3, 4]))
        if bills is None:
            return None
        paid, skipped, _ = self._simulate_bills(bills, checking, savings)
        if not paid:
            return None
        payees = [r["name"] for r in self.rows("SELECT name FROM payees WHERE customer_id = ?", customer["id"])]
        spec = {"customer": customer["name"], "checking": checking["number"], "savings": savings["number"]}
        return TaskDraft(
            shape="pay_bills",
            instruction=self.render("pay_bills", rng, **spec, bills=_bill_text(bills)),
            solution=Program.of(solve_pay_bills, **spec, bills=bills, **self._rules()),
            verifier=Program.of(verify_ledger, payments=paid, answer=skipped, candidates=payees),
            tools=self.available_tools("find_customers", "list_accounts", "list_payees", "pay_payee", "get_account",
                              "transfer", "list_transactions"),
        )

    @proposer(difficulty=5)
    def propose_month_end(self, rng: random.Random) -> TaskDraft | None:
        pair = self._pair(rng)
        if pair is None:
            return None
        customer, checking, savings = pair
        orders = self._orders(customer["id"])
        bills = self._bills(rng, customer, rng.choice([2, 3, 3]))
        if not orders or bills is None:
            return None
        category = rng.choice(sorted({o["category"] for o in orders}))
        paid, skipped, after = self._simulate_bills(bills, checking, savings)
        keep = float(rng.choice([200, 500, 1000, 1500]))
        left = after[checking["number"]]
        sweep = round(min(left["balance"] - keep, left["daily_limit"] - left["sent_today"]), 2)
        transfers = [[checking["number"], savings["number"], sweep]] if sweep >= 0.01 else []
        payees = [r["name"] for r in self.rows("SELECT name FROM payees WHERE customer_id = ?", customer["id"])]
        spec = {"customer": customer["name"], "checking": checking["number"], "savings": savings["number"],
                "category": category, "keep": keep}
        return TaskDraft(
            shape="month_end",
            instruction=self.render("month_end", rng, **spec, bills=_bill_text(bills)),
            solution=Program.of(solve_month_end, **spec, bills=bills, **self._rules()),
            verifier=Program.of(verify_ledger, payments=paid, transfers=transfers, answer=skipped, candidates=payees,
                                cancelled=[o["id"] for o in orders if o["category"] == category]),
        )

    @proposer(difficulty=5)
    def propose_budget_cut(self, rng: random.Random) -> TaskDraft | None:
        pair = self._pair(rng)
        if pair is None:
            return None
        customer, checking, savings = pair
        orders = self._orders(customer["id"])
        total = sum(o["amount"] for o in orders)
        cuttable = sorted((o for o in orders if o["category"] != "rent"), key=lambda o: -o["amount"])
        if len(cuttable) < 2:
            return None
        depth = rng.randint(2, len(cuttable))  # cancel this many, largest first
        after = total - sum(o["amount"] for o in cuttable[:depth])
        before_last = after + cuttable[depth - 1]["amount"]
        cap = round(rng.uniform(after, before_last - 0.01), 2) if before_last - after > 1 else None
        if cap is None or cap < after or (depth < len(cuttable) and cuttable[depth]["amount"] ==
                                         cuttable[depth - 1]["amount"]):
            return None
        cap = float(int(cap)) if int(cap) >= after else cap
        freed = round(sum(o["amount"] for o in cuttable[:depth]), 2)
        moved = min(freed, room(checking, self._no_overdraft()))
        spec = {"customer": customer["name"], "checking": checking["number"], "savings": savings["number"],
                "cap": cap}
        return TaskDraft(
            shape="budget_cut",
            instruction=self.render("budget_cut", rng, **spec),
            solution=Program.of(solve_budget_cut, **spec, **self._rules()),
            verifier=Program.of(verify_ledger, cancelled=[o["id"] for o in cuttable[:depth]],
                                transfers=[[checking["number"], savings["number"], moved]] if moved >= 0.01 else []),
        )


def _bill_text(bills: list[list]) -> str:
    return ", ".join(f"{payee} {amount:.2f}" for payee, amount in bills)


# ---- solutions: tools and computation only --------------------------------------------------------

def solve_balance(tools, params):
    customer = next(c for c in tools.find_customers(name=params["customer"]) if c["name"] == params["customer"])
    accounts = tools.list_accounts(customer_id=customer["id"])
    return next(a["balance"] for a in accounts if a["number"] == params["number"])


def solve_order_amount(tools, params):
    customer = next(c for c in tools.find_customers(name=params["customer"]) if c["name"] == params["customer"])
    return next(o["amount"] for o in tools.list_standing_orders(customer_id=customer["id"])
                if o["payee"] == params["payee"])


def solve_category_spend(tools, params):
    customer = next(c for c in tools.find_customers(name=params["customer"]) if c["name"] == params["customer"])
    spent = 0.0
    for account in tools.list_accounts(customer_id=customer["id"]):
        for t in tools.list_transactions(number=account["number"], category=params["category"]):
            if t["kind"] == "card" and t["posted_on"].startswith(params["month"]):
                spent -= t["amount"]
    return round(spent, 2)


def solve_top_merchant(tools, params):
    customer = next(c for c in tools.find_customers(name=params["customer"]) if c["name"] == params["customer"])
    totals = {}
    for account in tools.list_accounts(customer_id=customer["id"]):
        for t in tools.list_transactions(number=account["number"], category=params["category"]):
            if t["kind"] == "card":
                totals[t["counterparty"]] = totals.get(t["counterparty"], 0) - t["amount"]
    return max(totals, key=totals.get)


def solve_commitments(tools, params):
    customer = next(c for c in tools.find_customers(name=params["customer"]) if c["name"] == params["customer"])
    orders = tools.list_standing_orders(customer_id=customer["id"])
    return round(sum(o["amount"] for o in orders if params["category"] in (None, o["category"])), 2)


def solve_capped_transfer(tools, params):
    customer = next(c for c in tools.find_customers(name=params["customer"]) if c["name"] == params["customer"])
    source = next(a for a in tools.list_accounts(customer_id=customer["id"]) if a["number"] == params["source"])
    funds = source["balance"] + (0 if params["no_overdraft"] else source["overdraft_limit"])
    amount = round(min(params["amount"], funds, source["daily_limit"] - source["sent_today"]), 2)
    tools.transfer(from_account=params["source"], to_account=params["target"], amount=amount)
    return f"Moved {amount}"


def solve_cancel_category(tools, params):
    customer = next(c for c in tools.find_customers(name=params["customer"]) if c["name"] == params["customer"])
    cancelled = []
    for o in tools.list_standing_orders(customer_id=customer["id"]):
        if o["category"] == params["category"] and (params["threshold"] is None or o["amount"] > params["threshold"]):
            tools.cancel_standing_order(standing_order_id=o["id"])
            cancelled.append(o["id"])
    return f"Cancelled standing orders {cancelled}"


def solve_pay_bills(tools, params):
    customer = next(c for c in tools.find_customers(name=params["customer"]) if c["name"] == params["customer"])
    accounts = {a["number"]: a for a in tools.list_accounts(customer_id=customer["id"])}
    payees = {p["name"]: p["id"] for p in tools.list_payees(customer_id=customer["id"])}
    skipped = []
    for payee, amount in params["bills"]:
        for number in (params["checking"], params["savings"]):
            a = accounts[number]
            funds = a["balance"] + (0 if params["no_overdraft"] else a["overdraft_limit"])
            if params["payment_cap"] is not None and amount > params["payment_cap"]:
                continue
            if amount <= min(funds, a["daily_limit"] - a["sent_today"]) and a["status"] == "open":
                paid = tools.pay_payee(from_account=number, payee_id=payees[payee], amount=amount)
                accounts[number] = paid["account"]
                break
        else:
            skipped.append(payee)
    return "Skipped: " + (", ".join(skipped) if skipped else "none")


def solve_new_landlord(tools, params):
    customer = next(c for c in tools.find_customers(name=params["customer"]) if c["name"] == params["customer"])
    for o in tools.list_standing_orders(customer_id=customer["id"]):
        if o["payee"] == params["old"]:
            tools.cancel_standing_order(standing_order_id=o["id"])
    payee = tools.add_payee(customer_id=customer["id"], name=params["new"], reference=params["reference"],
                            category="rent")
    tools.create_standing_order(from_account=params["checking"], payee_id=payee["id"], amount=params["rent"],
                                day_of_month=params["day"])
    checking = next(a for a in tools.list_accounts(customer_id=customer["id"]) if a["number"] == params["checking"])
    funds = checking["balance"] + (0 if params["no_overdraft"] else checking["overdraft_limit"])
    if funds < params["rent"]:
        tools.transfer(from_account=params["savings"], to_account=params["checking"],
                       amount=round(params["rent"] - funds, 2))
    tools.pay_payee(from_account=params["checking"], payee_id=payee["id"], amount=params["rent"])
    return "Done"


def solve_month_end(tools, params):
    customer = next(c for c in tools.find_customers(name=params["customer"]) if c["name"] == params["customer"])
    for o in tools.list_standing_orders(customer_id=customer["id"]):
        if o["category"] == params["category"]:
            tools.cancel_standing_order(standing_order_id=o["id"])
    accounts = {a["number"]: a for a in tools.list_accounts(customer_id=customer["id"])}
    payees = {p["name"]: p["id"] for p in tools.list_payees(customer_id=customer["id"])}
    skipped = []
    for payee, amount in params["bills"]:
        for number in (params["checking"], params["savings"]):
            a = accounts[number]
            funds = a["balance"] + (0 if params["no_overdraft"] else a["overdraft_limit"])
            if params["payment_cap"] is not None and amount > params["payment_cap"]:
                continue
            if amount <= min(funds, a["daily_limit"] - a["sent_today"]) and a["status"] == "open":
                paid = tools.pay_payee(from_account=number, payee_id=payees[payee], amount=amount)
                accounts[number] = paid["account"]
                break
        else:
            skipped.append(payee)
    a = accounts[params["checking"]]
    sweep = round(min(a["balance"] - params["keep"], a["daily_limit"] - a["sent_today"]), 2)
    if sweep >= 0.01:
        tools.transfer(from_account=params["checking"], to_account=params["savings"], amount=sweep)
    return "Skipped: " + (", ".join(skipped) if skipped else "none")


def solve_budget_cut(tools, params):
    customer = next(c for c in tools.find_customers(name=params["customer"]) if c["name"] == params["customer"])
    orders = tools.list_standing_orders(customer_id=customer["id"])
    total = sum(o["amount"] for o in orders)
    freed = 0.0
    for o in sorted((o for o in orders if o["category"] != "rent"), key=lambda o: -o["amount"]):
        if total - freed <= params["cap"] + 1e-9:
            break
        tools.cancel_standing_order(standing_order_id=o["id"])
        freed += o["amount"]
    checking = next(a for a in tools.list_accounts(customer_id=customer["id"]) if a["number"] == params["checking"])
    funds = checking["balance"] + (0 if params["no_overdraft"] else checking["overdraft_limit"])
    amount = round(min(freed, funds, checking["daily_limit"] - checking["sent_today"]), 2)
    if amount >= 0.01:
        tools.transfer(from_account=params["checking"], to_account=params["savings"], amount=amount)
    return f"Freed {round(freed, 2)} a month, moved {amount}"


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_ledger(outcome, params):
    """New transactions, balances, payees and standing orders must be exactly the expected ones.

    payments: [account, payee name, amount]; transfers: [from, to, amount]; cancelled: standing order ids;
    new_payees: [customer id, name, reference, category]; new_orders: [account, payee name, amount, day];
    answer (optional): the payee names the final message must name, out of `candidates`.
    """
    from verifiers.answers import mentioned
    from verifiers.state import column_deltas, diff_table, unchanged

    reasons = []
    number = {a["id"]: a["number"] for a in outcome.rows("SELECT id, number FROM accounts")}
    added, removed, changed = diff_table(outcome.initial, outcome.db, "transactions")
    got = sorted((number[t["account_id"]], t["kind"], t["counterparty"], round(t["amount"], 2)) for t in added)
    want, deltas = [], {}
    for account, payee, amount in params.get("payments", []):
        want.append((account, "payment", payee, -round(amount, 2)))
    for source, target, amount in params.get("transfers", []):
        want += [(source, "transfer_out", target, -round(amount, 2)), (target, "transfer_in", source, round(amount, 2))]
    for account, _, _, amount in want:
        deltas[account] = round(deltas.get(account, 0) + amount, 2)
    if removed or changed or got != sorted(want):
        reasons.append(f"new transactions {got} differ from the expected {sorted(want)}")
    balances = {number[k]: v for k, v in column_deltas(outcome.initial, outcome.db, "accounts", "balance").items()}
    if set(balances) != {k for k, v in deltas.items() if abs(v) > 1e-9} or any(
            abs(balances[k] - deltas[k]) > 0.005 for k in balances):
        reasons.append(f"balance changes {balances} differ from the expected {deltas}")
    accounts = diff_table(outcome.initial, outcome.db, "accounts")
    before = {a["id"]: a for a in outcome.initial_rows("SELECT * FROM accounts")}
    if accounts[0] or accounts[1] or any({**a, "balance": 0} != {**before[a["id"]], "balance": 0}
                                         for a in accounts[2]):
        reasons.append("accounts changed beyond their balances")
    payees, gone, altered = diff_table(outcome.initial, outcome.db, "payees")
    got_payees = sorted([p["customer_id"], p["name"], p["reference"], p["category"]] for p in payees)
    if gone or altered or got_payees != sorted(params.get("new_payees", [])):
        reasons.append(f"new payees {got_payees} differ from the expected {params.get('new_payees', [])}")
    orders, gone, altered = diff_table(outcome.initial, outcome.db, "standing_orders")
    cancelled = [o["id"] for o in altered if o["active"] == 0]
    old = {o["id"]: o for o in outcome.initial_rows("SELECT * FROM standing_orders")}
    if gone or sorted(cancelled) != sorted(params.get("cancelled", [])) or any(
            {**o, "active": 1} != {**old[o["id"]], "active": 1} for o in altered):
        reasons.append(f"cancelled standing orders {cancelled} differ from the expected {params.get('cancelled', [])}")
    payee_name = {p["id"]: p["name"] for p in outcome.rows("SELECT id, name FROM payees")}
    got_orders = sorted([number.get(o["account_id"]), payee_name.get(o["payee_id"]), round(o["amount"], 2),
                         o["day_of_month"]] for o in orders if o["active"] == 1)
    if len(got_orders) != len(orders) or got_orders != sorted(params.get("new_orders", [])):
        reasons.append(f"new standing orders {got_orders} differ from the expected {params.get('new_orders', [])}")
    if other := unchanged(outcome.initial, outcome.db, ["customers", "bank"]):
        reasons.append(f"unexpected changes in {other}")
    if "answer" in params:
        named = mentioned(outcome.answer, params["candidates"] + params["answer"])
        if outcome.answer is None or named != set(params["answer"]):
            reasons.append(f"the answer should name exactly the skipped bills {params['answer']}, it names "
                           f"{sorted(named)}")
    return not reasons, reasons
