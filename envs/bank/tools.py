"""The bank's tools: lookups, and writes that enforce the bank's rules."""

from __future__ import annotations

import datetime as dt

from synth.env import tool

from .world import CATEGORIES


class BankTools:
    # ---- helpers shared by tools and proposers ----------------------------------------------------

    def _today(self) -> str:
        return self.value("SELECT today FROM bank")

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
            "upper(?)",
            (number.strip(),),
        ).fetchone()
        if row is None:
            raise ValueError(f"no account {number!r}; use list_accounts to see a customer's accounts")
        account = dict(row)
        account["sent_today"] = round(account["sent_today"], 2)
        return account

    def _customer(self, customer_id: int) -> dict:
        return self.one(
            "SELECT * FROM customers WHERE id = ?",
            customer_id,
            missing=f"no customer with id {customer_id}; use find_customers to look customers up",
        )

    def _send_check(self, account: dict, amount: float) -> None:
        if amount <= 0 or round(amount, 2) != amount:
            raise ValueError("the amount must be positive with at most 2 decimals")
        if account["status"] != "open":
            raise ValueError(f"account {account['number']} is {account['status']} and cannot send money")
        floor = 0 if self._no_overdraft() else account["overdraft_limit"]
        if account["balance"] - amount < -floor - 1e-9:
            raise ValueError(f"account {account['number']} has {account['balance']} and may not go below {-floor}")
        if account["sent_today"] + amount > account["daily_limit"] + 1e-9:
            raise ValueError(
                f"account {account['number']} has already sent {account['sent_today']} today; its daily "
                f"limit is {account['daily_limit']}"
            )

    def _post(self, account_id: int, kind: str, counterparty: str, category: str, amount: float, memo: str) -> int:
        self.db.execute("UPDATE accounts SET balance = ROUND(balance + ?, 2) WHERE id = ?", (amount, account_id))
        return self.db.execute(
            "INSERT INTO transactions (account_id, posted_on, kind, counterparty, category, amount, "
            "memo) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (account_id, self._today(), kind, counterparty, category, amount, memo),
        ).lastrowid

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
    def list_transactions(
        self, number: str, start_date: str | None = None, end_date: str | None = None, category: str | None = None
    ) -> list[dict]:
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
        return self.rows(
            "SELECT id, posted_on, kind, counterparty, category, amount, memo FROM transactions "
            "WHERE account_id = ? AND posted_on >= ? AND posted_on <= ? AND (? IS NULL OR category = ?) "
            "ORDER BY posted_on, id",
            account["id"],
            start_date or "0000",
            end_date or "9999",
            category,
            category,
        )

    @tool("read")
    def list_payees(self, customer_id: int) -> list[dict]:
        """A customer's registered payees: id, name, reference and category.

        Args:
            customer_id: The customer's id.
        """
        self._customer(customer_id)
        return self.rows(
            "SELECT id, name, reference, category FROM payees WHERE customer_id = ? ORDER BY id", customer_id
        )

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
            customer_id,
            int(active_only),
        )

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
        if self.rows(
            "SELECT 1 FROM payees WHERE customer_id = ? AND lower(name) = lower(?)", customer_id, name.strip()
        ):
            raise ValueError(f"{name.strip()!r} is already a payee of this customer")
        payee_id = self.db.execute(
            "INSERT INTO payees (customer_id, name, reference, category) VALUES (?, ?, ?, ?)",
            (customer_id, name.strip(), reference.strip(), category),
        ).lastrowid
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
            "(?, ?, ?, ?, 1, ?)",
            (account["id"], payee_id, amount, day_of_month, self._today()),
        ).lastrowid
        return {
            "id": order_id,
            "account": account["number"],
            "payee_id": payee_id,
            "amount": amount,
            "day_of_month": day_of_month,
        }

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
