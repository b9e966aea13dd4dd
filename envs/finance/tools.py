"""The finance desk's tools: ledger lookups, and payments, disputes and reallocations that enforce the policy."""

from __future__ import annotations

from synth.env import tool

INVOICES = (
    "SELECT i.number, v.name AS vendor, d.name AS department, i.category, i.issue_date, i.due_date, i.amount, "
    "i.status, i.paid_on FROM invoices i JOIN vendors v ON v.id = i.vendor_id JOIN departments d ON "
    "d.id = i.department_id"
)


class FinanceTools:
    # ---- ledger rules (shared by tools and proposers) --------------------------------------------

    def _today(self) -> str:
        return self.value("SELECT today FROM company")

    def _dept(self, name: str) -> dict:
        return self.one(
            "SELECT * FROM departments WHERE lower(name) = lower(?)",
            name.strip(),
            missing=f"no department {name!r}; call list_departments",
        )

    def _line(self, department_id: int, category: str) -> dict:
        line = self.one(
            "SELECT * FROM budgets WHERE department_id = ? AND category = ?",
            department_id,
            category,
            missing=f"that department has no {category} budget line; get_budget lists its lines",
        )
        line["spent"] = round(
            self.value(
                "SELECT COALESCE(SUM(amount), 0) FROM actuals WHERE department_id = ? AND category = ?",
                department_id,
                category,
            ),
            2,
        )
        line["committed"] = round(
            self.value(
                "SELECT COALESCE(SUM(amount), 0) FROM invoices WHERE department_id = ? AND category = ? AND "
                "status = 'unpaid'",
                department_id,
                category,
            ),
            2,
        )
        line["moved_out"] = round(
            self.value(
                "SELECT COALESCE(SUM(amount), 0) FROM budget_transfers WHERE from_department_id = ? AND category = ?",
                department_id,
                category,
            ),
            2,
        )
        line["available"] = round(line["amount"] - line["spent"] - line["committed"], 2)
        return line

    def _invoice(self, number: str) -> dict:
        return self.one(
            "SELECT * FROM invoices WHERE upper(number) = upper(?)",
            number.strip(),
            missing=f"no invoice {number!r}; list_invoices finds invoices",
        )

    def _cap_percent(self) -> int:
        return 10 if "transfer_cap_10" in self.variant.rules else 25

    def _reserve_percent(self) -> int:
        return 5 if "keep_reserve" in self.variant.rules else 0

    def _movable(self, line: dict) -> float:
        """The most that may still be moved out of a budget line."""
        by_cap = line["original_amount"] * self._cap_percent() / 100 - line["moved_out"]
        by_funds = line["available"] - line["amount"] * self._reserve_percent() / 100
        return int(max(0.0, min(by_cap, by_funds)) * 100 + 1e-6) / 100

    def _rules(self) -> dict:
        return {"cap_percent": self._cap_percent(), "reserve_percent": self._reserve_percent()}

    # ---- read tools ---------------------------------------------------------------------------------

    @tool("read")
    def get_company_info(self) -> dict:
        """The company's today and fiscal year."""
        return self.one("SELECT today, fiscal_year FROM company", missing="the company is not set up")

    @tool("read")
    def list_departments(self) -> list[dict]:
        """All departments with their heads."""
        return self.rows("SELECT id, name, head FROM departments ORDER BY name")

    @tool("read")
    def get_budget(self, department: str, category: str | None = None) -> list[dict]:
        """A department's budget lines: category, budget, original budget, spend to date, unpaid undisputed invoices
        (committed), budget moved out so far, and available budget.

        Args:
            department: Department name.
            category: Only this category (salaries, software, travel, marketing, equipment, consulting, facilities).
        """
        dept = self._dept(department)
        cats = [
            r["category"]
            for r in self.rows(
                "SELECT category FROM budgets WHERE department_id = ? AND (? IS NULL "
                "OR category = ?) ORDER BY category",
                dept["id"],
                category,
                category,
            )
        ]
        lines = [self._line(dept["id"], c) for c in cats]
        for line in lines:
            line.pop("id"), line.pop("department_id")
        return lines

    @tool("read")
    def get_monthly_actuals(
        self, department: str, category: str | None = None, start_month: str | None = None, end_month: str | None = None
    ) -> list[dict]:
        """Monthly actual spend of a department, optionally for one category and a month range (YYYY-MM).

        Args:
            department: Department name.
            category: Only this category.
            start_month: First month, YYYY-MM.
            end_month: Last month, YYYY-MM.
        """
        dept = self._dept(department)
        return self.rows(
            "SELECT category, month, amount FROM actuals WHERE department_id = ? AND (? IS NULL OR "
            "category = ?) AND month >= ? AND month <= ? ORDER BY category, month",
            dept["id"],
            category,
            category,
            start_month or "0000",
            end_month or "9999",
        )

    @tool("read")
    def list_vendors(self, category: str | None = None) -> list[dict]:
        """Vendors and the category they bill.

        Args:
            category: Only vendors of this category.
        """
        return self.rows(
            "SELECT id, name, category FROM vendors WHERE ? IS NULL OR category = ? ORDER BY name", category, category
        )

    @tool("read")
    def list_invoices(
        self,
        department: str | None = None,
        vendor: str | None = None,
        status: str | None = None,
        due_by: str | None = None,
    ) -> list[dict]:
        """Invoices, by invoice number, optionally of one department or vendor, one status (unpaid, paid, disputed)
        and due on or before a date.

        Args:
            department: Department name.
            vendor: Vendor name.
            status: unpaid, paid or disputed.
            due_by: Latest due date, YYYY-MM-DD.
        """
        return self.rows(
            f"SELECT * FROM ({INVOICES}) WHERE (? IS NULL OR lower(department) = lower(?)) AND (? IS NULL OR "
            "lower(vendor) = lower(?)) AND (? IS NULL OR status = ?) AND due_date <= ? ORDER BY number",
            department,
            department,
            vendor,
            vendor,
            status,
            status,
            due_by or "9999",
        )

    @tool("read")
    def get_invoice(self, number: str) -> dict:
        """One invoice by number.

        Args:
            number: Invoice number such as INV-1234.
        """
        return self.one(
            f"SELECT * FROM ({INVOICES}) WHERE upper(number) = upper(?)",
            number.strip(),
            missing=f"no invoice {number!r}; list_invoices finds invoices",
        )

    @tool("read")
    def list_budget_transfers(self, category: str | None = None) -> list[dict]:
        """Budget reallocations made this year.

        Args:
            category: Only this category.
        """
        return self.rows(
            "SELECT t.id, f.name AS source, d.name AS target, t.category, t.amount, t.created_on, "
            "t.reason FROM budget_transfers t JOIN departments f ON f.id = t.from_department_id JOIN "
            "departments d ON d.id = t.to_department_id WHERE ? IS NULL OR t.category = ? ORDER BY t.id",
            category,
            category,
        )

    # ---- write tools --------------------------------------------------------------------------------

    @tool("write")
    def pay_invoice(self, number: str) -> dict:
        """Pay an unpaid, undisputed invoice today; its amount is added to this month's actual spend.

        Args:
            number: Invoice number.
        """
        row = self._invoice(number)
        if row["status"] != "unpaid":
            raise ValueError(f"invoice {row['number']} is {row['status']}; only unpaid invoices are paid")
        line = self._line(row["department_id"], row["category"])
        if line["spent"] + row["amount"] > line["amount"] + 1e-9:
            raise ValueError(
                f"paying {row['amount']} would take the {row['category']} spend to "
                f"{round(line['spent'] + row['amount'], 2)}, over its budget of {line['amount']}"
            )
        month = self._today()[:7]
        self.db.execute("UPDATE invoices SET status = 'paid', paid_on = ? WHERE id = ?", (self._today(), row["id"]))
        self.db.execute(
            "UPDATE actuals SET amount = ROUND(amount + ?, 2) WHERE department_id = ? AND category = ? AND month = ?",
            (row["amount"], row["department_id"], row["category"], month),
        )
        return self.get_invoice(row["number"])

    @tool("write")
    def dispute_invoice(self, number: str, reason: str) -> dict:
        """Dispute an unpaid invoice; it will not be paid until resolved.

        Args:
            number: Invoice number.
            reason: Why it is disputed.
        """
        row = self._invoice(number)
        if row["status"] != "unpaid" or not reason.strip():
            raise ValueError("only unpaid invoices can be disputed, with a reason")
        self.db.execute("UPDATE invoices SET status = 'disputed', note = ? WHERE id = ?", (reason.strip(), row["id"]))
        return self.get_invoice(row["number"])

    @tool("write")
    def reallocate_budget(
        self, from_department: str, to_department: str, category: str, amount: float, reason: str = ""
    ) -> dict:
        """Move budget of one category from one department to another.

        Args:
            from_department: Department giving budget.
            to_department: Department receiving budget.
            category: The budget category; both departments need a line for it.
            amount: Amount to move, positive, at most 2 decimals.
            reason: Note for the transfer log.
        """
        source, target = self._dept(from_department), self._dept(to_department)
        if source["id"] == target["id"]:
            raise ValueError("the departments must differ")
        line, to_line = self._line(source["id"], category), self._line(target["id"], category)
        if amount <= 0 or round(amount, 2) != amount:
            raise ValueError("the amount must be positive with at most 2 decimals")
        if amount > self._movable(line) + 1e-9:
            raise ValueError(
                f"policy: at most {self._movable(line)} can be moved out of {source['name']}'s {category} line now"
            )
        self.db.execute("UPDATE budgets SET amount = ROUND(amount - ?, 2) WHERE id = ?", (amount, line["id"]))
        self.db.execute("UPDATE budgets SET amount = ROUND(amount + ?, 2) WHERE id = ?", (amount, to_line["id"]))
        self.db.execute(
            "INSERT INTO budget_transfers (from_department_id, to_department_id, category, amount, "
            "created_on, reason) VALUES (?, ?, ?, ?, ?, ?)",
            (source["id"], target["id"], category, amount, self._today(), reason),
        )
        return {
            "source": self.get_budget(source["name"], category)[0],
            "target": self.get_budget(target["name"], category)[0],
        }
