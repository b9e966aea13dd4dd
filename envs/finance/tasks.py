"""Task proposers, from single lookups (level 1) to closing a department's month (level 5)."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import Answer, Effects, Program, TaskDraft, inserts, proposer, updates

from .checks import check_rows
from .solutions import (
    solve_available,
    solve_close_department,
    solve_cover_overruns,
    solve_invoice_amount,
    solve_line_field,
    solve_pay_due,
    solve_quarter_spend,
    solve_reallocate,
    solve_top_overrun,
    solve_vendor_cleanup,
    solve_vendor_overdue,
)
from .world import CATEGORIES

LEDGER = ("budgets", "actuals", "invoices", "budget_transfers")


class FinanceTasks:
    # ---- simulation of a plan on a scratch copy ------------------------------------------------------

    def _ledger(self) -> dict[str, dict[int, dict]]:
        return {t: {r["id"]: r for r in self.rows(f"SELECT * FROM {t}")} for t in LEDGER}

    def _simulate(self, steps) -> tuple[object, dict] | None:
        """(what `steps()` returns, the ledger after it) when run on a scratch copy; None if a step is refused."""
        real = self.db
        self.db = self.snapshot()
        try:
            answer = steps()
            return answer, self._ledger()
        except (ValueError, LookupError):
            return None
        finally:
            self.db.close()
            self.db = real

    def _expect(self, after: dict) -> tuple[Effects, Program] | None:
        """The effects and check that hold exactly the simulated ledger changes (None: nothing changes)."""
        before = self._ledger()
        rows, effects = {}, {}
        for table, columns in (("budgets", ["amount"]), ("actuals", ["amount"]), ("invoices", ["status", "paid_on"])):
            changed = {k: r for k, r in after[table].items() if r != before[table][k]}
            if changed:
                rows[table] = {str(k): {c: r[c] for c in columns} for k, r in changed.items()}
                extra = ["note"] if table == "invoices" else []  # a dispute's reason is the agent's own words
                effects[table] = updates(*columns, *extra, keys=sorted(changed))
        new = [r for k, r in after["budget_transfers"].items() if k not in before["budget_transfers"]]
        if new:
            effects["budget_transfers"] = inserts(
                rows=[{c: r[c] for c in ("from_department_id", "to_department_id", "category", "amount")} for r in new]
            )
        if not effects:
            return None
        return Effects.on(**effects), Program.of(check_rows, rows=rows)

    def _pay_in_order(self, invoices: list[dict]) -> float:
        paid = 0.0
        for inv in sorted(invoices, key=lambda i: (i["due_date"], i["number"])):
            line = self._line(self._dept(inv["department"])["id"], inv["category"])
            if inv["status"] == "unpaid" and line["spent"] + inv["amount"] <= line["amount"] + 1e-9:
                self.pay_invoice(inv["number"])
                paid += inv["amount"]
        return round(paid, 2)

    def _cover(self, donor: str, department: str, category: str) -> None:
        line = self._line(self._dept(department)["id"], category)
        over = round(line["spent"] - line["amount"], 2)
        if over <= 0:
            return
        amount = min(over, self._movable(self._line(self._dept(donor)["id"], category)))
        if amount >= 0.01:
            self.reallocate_budget(donor, department, category, amount)

    def _overrun_categories(self) -> list[str]:
        return sorted({line["category"] for line in self._lines() if line["spent"] > line["amount"]})

    def _lines(self) -> list[dict]:
        return [
            {**self._line(r["department_id"], r["category"]), "department": r["name"]}
            for r in self.rows(
                "SELECT b.department_id, b.category, d.name FROM budgets b JOIN departments d ON d.id = b.department_id "
                "ORDER BY b.id"
            )
        ]

    # ---- lookups ------------------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_invoice_amount(self, rng: random.Random) -> TaskDraft | None:
        invoice = rng.choice(self.rows("SELECT number, amount FROM invoices ORDER BY id"))
        return TaskDraft(
            shape="invoice_amount",
            instruction=self.render("invoice_amount", rng, number=invoice["number"]),
            solution=Program.of(solve_invoice_amount, number=invoice["number"]),
            answer=Answer.number(invoice["amount"]),
            tools=("get_invoice", "list_invoices", "list_departments"),
        )

    @proposer(difficulty=1)
    def propose_line_budget(self, rng: random.Random) -> TaskDraft | None:
        line = rng.choice(self._lines())
        spec = {"department": line["department"], "category": line["category"]}
        return TaskDraft(
            shape="line_budget",
            instruction=self.render("line_budget", rng, **spec),
            solution=Program.of(solve_line_field, **spec, field="amount"),
            answer=Answer.number(line["amount"]),
            tools=("get_budget", "list_departments", "get_monthly_actuals"),
        )

    @proposer(difficulty=2)
    def propose_quarter_spend(self, rng: random.Random) -> TaskDraft | None:
        line = rng.choice(self._lines())
        today = dt.date.fromisoformat(self._today())
        quarter = rng.randint(1, (today.month - 1) // 3 + 1)
        months = [f"{today.year}-{m:02d}" for m in range(3 * quarter - 2, 3 * quarter + 1)]
        spent = self.value(
            "SELECT SUM(amount) FROM actuals WHERE department_id = ? AND category = ? AND month BETWEEN ? AND ?",
            line["department_id"],
            line["category"],
            months[0],
            months[-1],
        )
        spec = {"department": line["department"], "category": line["category"]}
        return TaskDraft(
            shape="quarter_spend",
            instruction=self.render("quarter_spend", rng, **spec, quarter=f"Q{quarter} {today.year}"),
            solution=Program.of(solve_quarter_spend, **spec, start=months[0], end=months[-1]),
            answer=Answer.number(round(spent, 2)),
            tools=("get_monthly_actuals", "list_departments", "get_budget", "get_company_info"),
        )

    @proposer(difficulty=2, attempts=2)
    def propose_top_overrun(self, rng: random.Random) -> TaskDraft | None:
        category = rng.choice(self._overrun_categories() or sorted(CATEGORIES))
        overs = sorted(
            (line for line in self._lines() if line["category"] == category and line["spent"] > line["amount"]),
            key=lambda line: line["amount"] - line["spent"],
        )
        if not overs or (
            len(overs) > 1 and overs[1]["spent"] - overs[1]["amount"] > overs[0]["spent"] - overs[0]["amount"] - 0.01
        ):
            return None
        return TaskDraft(
            shape="top_overrun",
            instruction=self.render("top_overrun", rng, category=category),
            solution=Program.of(solve_top_overrun, category=category),
            answer=Answer.entity(
                overs[0]["department"], candidates=self.column("SELECT name FROM departments ORDER BY id")
            ),
            tools=("list_departments", "get_budget", "get_monthly_actuals"),
        )

    @proposer(difficulty=2)
    def propose_available(self, rng: random.Random) -> TaskDraft | None:
        department = rng.choice(self.column("SELECT name FROM departments ORDER BY id"))
        over = rng.random() < 0.5
        lines = [
            line
            for line in self._lines()
            if line["department"] == department and not (over and line["spent"] > line["amount"])
        ]
        spec = {"department": department, "over": over}
        return TaskDraft(
            shape="available",
            instruction=self.render("available", rng, **spec),
            solution=Program.of(solve_available, **spec),
            answer=Answer.number(round(sum(line["available"] for line in lines), 2)),
            tools=("get_budget", "list_invoices", "get_monthly_actuals", "list_departments", "get_invoice"),
        )

    @proposer(difficulty=2)
    def propose_vendor_overdue(self, rng: random.Random) -> TaskDraft | None:
        rows = self.rows(
            "SELECT v.name, ROUND(SUM(i.amount), 2) AS total FROM invoices i JOIN vendors v ON "
            "v.id = i.vendor_id WHERE i.status = 'unpaid' AND i.due_date < ? GROUP BY v.id ORDER BY v.id",
            self._today(),
        )
        if not rows:
            return None
        row = rng.choice(rows)
        return TaskDraft(
            shape="vendor_overdue",
            instruction=self.render("vendor_overdue", rng, vendor=row["name"]),
            solution=Program.of(solve_vendor_overdue, vendor=row["name"]),
            answer=Answer.number(row["total"]),
            tools=self.available_tools("list_invoices", "get_company_info", "list_vendors", "get_invoice"),
        )

    # ---- changes ------------------------------------------------------------------------------------

    @proposer(difficulty=3, attempts=2)
    def propose_pay_due(self, rng: random.Random) -> TaskDraft | None:
        department = rng.choice(self.column("SELECT name FROM departments ORDER BY id"))
        date = (dt.date.fromisoformat(self._today()) + dt.timedelta(days=rng.randint(-10, 30))).isoformat()
        due = self.list_invoices(department=department, status="unpaid", due_by=date)
        result = self._simulate(lambda: self._pay_in_order(due)) if due else None
        expected = result and self._expect(result[1])
        if not expected:
            return None
        spec = {"department": department, "date": date}
        return TaskDraft(
            shape="pay_due",
            instruction=self.render("pay_due", rng, **spec),
            solution=Program.of(solve_pay_due, **spec),
            answer=Answer.none(),
            effects=expected[0],
            check=expected[1],
            tools=("list_invoices", "get_budget", "pay_invoice", "dispute_invoice", "get_company_info"),
        )

    @proposer(difficulty=3, attempts=2)
    def propose_reallocate(self, rng: random.Random) -> TaskDraft | None:
        category = rng.choice(sorted(CATEGORIES))
        lines = [line for line in self._lines() if line["category"] == category]
        if len(lines) < 2:
            return None
        source, target = rng.sample(lines, 2)
        if self._movable(source) < 1:
            return None
        amount = float(rng.choice([1000, 2500, 5000, 10000, 20000, 40000]))
        result = self._simulate(
            lambda: self.reallocate_budget(
                source["department"], target["department"], category, min(amount, self._movable(source))
            )
        )
        expected = result and self._expect(result[1])
        if not expected:
            return None
        spec = {"source": source["department"], "target": target["department"], "category": category, "amount": amount}
        return TaskDraft(
            shape="reallocate",
            instruction=self.render("reallocate", rng, **spec),
            solution=Program.of(solve_reallocate, **spec, **self._rules()),
            answer=Answer.none(),
            effects=expected[0],
            check=expected[1],
            tools=self.available_tools("get_budget", "list_departments", "reallocate_budget", "list_budget_transfers"),
        )

    @proposer(difficulty=3)  # its length follows the data: 3 to 8 calls
    def propose_vendor_cleanup(self, rng: random.Random) -> TaskDraft | None:
        vendors = self.column(
            "SELECT v.name FROM invoices i JOIN vendors v ON v.id = i.vendor_id WHERE i.status = "
            "'unpaid' GROUP BY v.id HAVING COUNT(*) >= 2 ORDER BY v.name"
        )
        if not vendors:
            return None
        vendor = rng.choice(vendors)
        invoices = self.list_invoices(vendor=vendor, status="unpaid")
        threshold = float(int(rng.choice(sorted(i["amount"] for i in invoices))))

        def steps() -> None:
            for inv in invoices:
                if inv["amount"] > threshold:
                    self.dispute_invoice(inv["number"], "amount under review")
            self._pay_in_order([i for i in invoices if i["amount"] <= threshold])

        result = self._simulate(steps)
        expected = result and self._expect(result[1])
        if not expected:
            return None
        spec = {"vendor": vendor, "threshold": threshold}
        return TaskDraft(
            shape="vendor_cleanup",
            instruction=self.render("vendor_cleanup", rng, **spec),
            solution=Program.of(solve_vendor_cleanup, **spec),
            answer=Answer.none(),
            effects=expected[0],
            check=expected[1],
        )

    @proposer(difficulty=4, attempts=2)
    def propose_cover_overruns(self, rng: random.Random) -> TaskDraft | None:
        category = rng.choice(self._overrun_categories() or sorted(CATEGORIES))
        lines = [line for line in self._lines() if line["category"] == category]
        overs = sorted(line["department"] for line in lines if line["spent"] > line["amount"])
        donors = [line for line in lines if line["department"] not in overs and self._movable(line) > 0]
        if not overs or not donors:
            return None
        donor = rng.choice(donors)["department"]
        result = self._simulate(lambda: [self._cover(donor, d, category) for d in overs])
        expected = result and self._expect(result[1])
        if not expected:
            return None
        spec = {"category": category, "donor": donor}
        return TaskDraft(
            shape="cover_overruns",
            instruction=self.render("cover_overruns", rng, **spec),
            solution=Program.of(solve_cover_overruns, **spec, **self._rules()),
            answer=Answer.none(),
            effects=expected[0],
            check=expected[1],
        )

    @proposer(difficulty=5, attempts=2)
    def propose_close_department(self, rng: random.Random) -> TaskDraft | None:
        department = rng.choice(self.column("SELECT name FROM departments ORDER BY id"))
        date = (dt.date.fromisoformat(self._today()) + dt.timedelta(days=rng.randint(0, 30))).isoformat()
        due = self.list_invoices(department=department, status="unpaid", due_by=date)
        donor = rng.choice(self.column("SELECT name FROM departments WHERE name != ? ORDER BY id", department))
        if not due:
            return None

        def steps() -> float:
            paid = self._pay_in_order(due)
            donor_id = self._dept(donor)["id"]
            for category in self.column(
                "SELECT category FROM budgets WHERE department_id = ? ORDER BY category", self._dept(department)["id"]
            ):
                if self.value("SELECT 1 FROM budgets WHERE department_id = ? AND category = ?", donor_id, category):
                    self._cover(donor, department, category)
            return paid

        result = self._simulate(steps)
        expected = result and result[0] and self._expect(result[1])
        if not expected:
            return None
        spec = {"department": department, "date": date, "donor": donor}
        return TaskDraft(
            shape="close_department",
            instruction=self.render("close_department", rng, **spec),
            solution=Program.of(solve_close_department, **spec, **self._rules()),
            answer=Answer.number(result[0]),
            effects=expected[0],
            check=expected[1],
        )
