"""Task proposers, from single lookups (level 1) to month-end plans (level 5)."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import Answer, Effects, Program, Rule, TaskDraft, proposer, updates

from .checks import check_ledger
from .solutions import (
    solve_balance,
    solve_budget_cut,
    solve_cancel_category,
    solve_capped_transfer,
    solve_category_spend,
    solve_commitments,
    solve_month_end,
    solve_new_landlord,
    solve_order_amount,
    solve_pay_bills,
    solve_top_merchant,
)
from .world import MERCHANTS, NEW_LANDLORDS, room

ALL_MERCHANTS = sorted(m for names in MERCHANTS.values() for m in names)
# What money-moving tasks may change; check_ledger says exactly how.
LEDGER = Effects.on(
    transactions=Rule(insert=True),
    accounts=updates("balance"),
    payees=Rule(insert=True),
    standing_orders=Rule(insert=True, update=["active"]),
)


class BankTasks:
    def _pair(self, rng: random.Random) -> tuple[dict, dict, dict] | None:
        """A customer with an open checking and an open savings account."""
        options = []
        for c in self.rows("SELECT * FROM customers ORDER BY id"):
            accounts = [
                self._account(a["number"])
                for a in self.rows(
                    "SELECT number FROM accounts WHERE customer_id = ? AND status = 'open' ORDER BY id", c["id"]
                )
            ]
            checking = [a for a in accounts if a["kind"] == "checking"]
            savings = [a for a in accounts if a["kind"] == "savings"]
            if checking and savings:
                options.append((c, checking[0], savings[0]))
        return rng.choice(options) if options else None

    def _orders(self, customer_id: int) -> list[dict]:
        return self.rows(
            "SELECT s.id, s.amount, p.name AS payee, p.category FROM standing_orders s JOIN accounts a "
            "ON a.id = s.account_id JOIN payees p ON p.id = s.payee_id WHERE a.customer_id = ? AND "
            "s.active = 1 ORDER BY s.id",
            customer_id,
        )

    def _bills(self, rng: random.Random, customer: dict, n: int) -> list[list] | None:
        payees = self.rows("SELECT name, category FROM payees WHERE customer_id = ? ORDER BY id", customer["id"])
        if len(payees) < n:
            return None
        cap = self._cap() or 2500
        return [
            [
                p["name"],
                float(min(cap, rng.choice([60, 120, 250, 400, 700, 950, 1400, 1900])) + rng.choice([0, 0.5, 0.99])),
            ]
            for p in rng.sample(payees, n)
        ]

    def _simulate_bills(self, bills, checking: dict, savings: dict) -> tuple[list, list]:
        """(payments [account, payee, amount], skipped payees) when paying in order, checking first."""
        accounts = {a["number"]: dict(a) for a in (checking, savings)}
        paid, skipped = [], []
        for payee, amount in bills:
            for number in (checking["number"], savings["number"]):
                if (self._cap() is None or amount <= self._cap()) and amount <= room(
                    accounts[number], self._no_overdraft()
                ):
                    accounts[number]["balance"] = round(accounts[number]["balance"] - amount, 2)
                    accounts[number]["sent_today"] = round(accounts[number]["sent_today"] + amount, 2)
                    paid.append([number, payee, amount])
                    break
            else:
                skipped.append(payee)
        return paid, skipped, accounts

    @proposer(difficulty=1)
    def propose_balance(self, rng: random.Random) -> TaskDraft | None:
        account = rng.choice(
            self.rows(
                "SELECT a.number, a.balance, c.name FROM accounts a JOIN customers c ON "
                "c.id = a.customer_id ORDER BY a.id"
            )
        )
        spec = {"customer": account["name"], "number": account["number"]}
        return TaskDraft(
            shape="balance",
            instruction=self.render("balance", rng, **spec),
            solution=Program.of(solve_balance, **spec),
            answer=Answer.number(account["balance"]),
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
            answer=Answer.number(next(o["amount"] for o in orders if o["payee"] == payee)),
            tools=("find_customers", "list_standing_orders", "list_payees", "list_accounts"),
        )

    @proposer(difficulty=2)
    def propose_category_spend(self, rng: random.Random) -> TaskDraft | None:
        customer = rng.choice(self.rows("SELECT * FROM customers ORDER BY id"))
        rows = self.rows(
            "SELECT substr(t.posted_on, 1, 7) AS month, t.category, ROUND(-SUM(t.amount), 2) AS spent "
            "FROM transactions t JOIN accounts a ON a.id = t.account_id WHERE a.customer_id = ? AND "
            "t.kind = 'card' GROUP BY month, t.category ORDER BY month, t.category",
            customer["id"],
        )
        if not rows:
            return None
        row = rng.choice(rows)
        month = dt.date.fromisoformat(row["month"] + "-01").strftime("%B %Y")
        spec = {"customer": customer["name"], "category": row["category"]}
        return TaskDraft(
            shape="category_spend",
            instruction=self.render("category_spend", rng, **spec, month=month),
            solution=Program.of(solve_category_spend, **spec, month=row["month"]),
            answer=Answer.number(row["spent"]),
            tools=self.available_tools(
                "find_customers", "list_accounts", "list_transactions", "get_account", "get_bank_info"
            ),
        )

    @proposer(difficulty=2)
    def propose_top_merchant(self, rng: random.Random) -> TaskDraft | None:
        customer = rng.choice(self.rows("SELECT * FROM customers ORDER BY id"))
        category = rng.choice(sorted(MERCHANTS))
        rows = self.rows(
            "SELECT t.counterparty, -SUM(t.amount) AS spent FROM transactions t JOIN accounts a ON "
            "a.id = t.account_id WHERE a.customer_id = ? AND t.kind = 'card' AND t.category = ? "
            "GROUP BY t.counterparty ORDER BY spent DESC",
            customer["id"],
            category,
        )
        if not rows or (len(rows) > 1 and rows[0]["spent"] - rows[1]["spent"] < 0.01):
            return None
        spec = {"customer": customer["name"], "category": category}
        return TaskDraft(
            shape="top_merchant",
            instruction=self.render("top_merchant", rng, **spec),
            solution=Program.of(solve_top_merchant, **spec),
            answer=Answer.entity(rows[0]["counterparty"], candidates=ALL_MERCHANTS),
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
            answer=Answer.number(round(sum(amounts), 2)),
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
        spec = {"customer": customer["name"], "source": source["number"], "target": target["number"], "amount": amount}
        return TaskDraft(
            shape="capped_transfer",
            instruction=self.render("capped_transfer", rng, **spec),
            solution=Program.of(solve_capped_transfer, **spec, **self._rules()),
            answer=Answer.none(),
            effects=LEDGER,
            check=Program.of(check_ledger, transfers=[[source["number"], target["number"], moved]]),
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
        cancel = [
            o["id"] for o in orders if o["category"] == category and (threshold is None or o["amount"] > threshold)
        ]
        spec = {"customer": customer["name"], "category": category, "threshold": threshold}
        return TaskDraft(
            shape="cancel_category",
            instruction=self.render("cancel_category", rng, **spec),
            solution=Program.of(solve_cancel_category, **spec),
            answer=Answer.none(),
            effects=Effects.on(standing_orders=updates("active", keys=cancel, values={"active": 0})),
            tools=(
                "find_customers",
                "list_standing_orders",
                "list_payees",
                "cancel_standing_order",
                "create_standing_order",
            ),
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
        spec = {
            "customer": customer["name"],
            "payee": bills[0][0],
            "amount": bills[0][1],
            "first": first["number"],
            "second": second["number"],
        }
        return TaskDraft(
            shape="pay_bill",
            instruction=self.render("pay_bill", rng, **spec),
            solution=Program.of(
                solve_pay_bills,
                customer=customer["name"],
                bills=bills,
                checking=first["number"],
                savings=second["number"],
                **self._rules(),
            ),
            answer=Answer.none(),
            effects=LEDGER,
            check=Program.of(check_ledger, payments=paid),
            tools=self.available_tools(
                "find_customers", "list_accounts", "list_payees", "pay_payee", "get_account", "transfer"
            ),
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
        spec = {
            "customer": customer["name"],
            "old": old,
            "new": new,
            "rent": rent,
            "day": rng.randint(1, 28),
            "reference": f"{new[:2].upper()}{rng.randint(10**7, 10**8 - 1)}",
            "checking": checking["number"],
            "savings": savings["number"],
        }
        cancel = [o["id"] for o in self._orders(customer["id"]) if o["payee"] == old]
        return TaskDraft(
            shape="new_landlord",
            instruction=self.render("new_landlord", rng, **spec),
            solution=Program.of(solve_new_landlord, **spec, **self._rules()),
            answer=Answer.none(),
            effects=LEDGER,
            check=Program.of(
                check_ledger,
                cancelled=cancel,
                payments=[[checking["number"], new, rent]],
                transfers=[[savings["number"], checking["number"], shortfall]] if shortfall else [],
                new_payees=[[customer["id"], new, spec["reference"], "rent"]],
                new_orders=[[checking["number"], new, rent, spec["day"]]],
            ),
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
            answer=Answer.entities(skipped, candidates=payees),
            effects=LEDGER,
            check=Program.of(check_ledger, payments=paid),
            tools=self.available_tools(
                "find_customers",
                "list_accounts",
                "list_payees",
                "pay_payee",
                "get_account",
                "transfer",
                "list_transactions",
            ),
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
        spec = {
            "customer": customer["name"],
            "checking": checking["number"],
            "savings": savings["number"],
            "category": category,
            "keep": keep,
        }
        return TaskDraft(
            shape="month_end",
            instruction=self.render("month_end", rng, **spec, bills=_bill_text(bills)),
            solution=Program.of(solve_month_end, **spec, bills=bills, **self._rules()),
            answer=Answer.entities(skipped, candidates=payees),
            effects=LEDGER,
            check=Program.of(
                check_ledger,
                payments=paid,
                transfers=transfers,
                cancelled=[o["id"] for o in orders if o["category"] == category],
            ),
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
        if (
            cap is None
            or cap < after
            or (depth < len(cuttable) and cuttable[depth]["amount"] == cuttable[depth - 1]["amount"])
        ):
            return None
        cap = float(int(cap)) if int(cap) >= after else cap
        freed = round(sum(o["amount"] for o in cuttable[:depth]), 2)
        moved = min(freed, room(checking, self._no_overdraft()))
        spec = {"customer": customer["name"], "checking": checking["number"], "savings": savings["number"], "cap": cap}
        return TaskDraft(
            shape="budget_cut",
            instruction=self.render("budget_cut", rng, **spec),
            solution=Program.of(solve_budget_cut, **spec, **self._rules()),
            answer=Answer.none(),
            effects=LEDGER,
            check=Program.of(
                check_ledger,
                cancelled=[o["id"] for o in cuttable[:depth]],
                transfers=[[checking["number"], savings["number"], moved]] if moved >= 0.01 else [],
            ),
        )


def _bill_text(bills: list[list]) -> str:
    return ", ".join(f"{payee} {amount:.2f}" for payee, amount in bills)
