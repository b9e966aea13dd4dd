"""Finance analytics: a company ledger of departments, budget lines, monthly actuals, vendors and invoices."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool
from verifiers.common import verify_names, verify_number

DEPARTMENTS = ["Engineering", "Sales", "Marketing", "Operations", "Customer Success", "Finance", "Legal", "Research",
               "Design", "People", "Security", "Procurement"]
CATEGORIES = {"salaries": 400000, "software": 60000, "travel": 30000, "marketing": 80000, "equipment": 40000,
              "consulting": 50000, "facilities": 45000}
VENDORS = {"software": ["Cloudnest", "Ledgerly", "Pixelcraft Suite", "Stackwise"],
           "travel": ["Jetstream Travel", "Harbor Hotels Group"],
           "marketing": ["Brightside Media", "Signal & Co", "Adwave"],
           "equipment": ["Ironclad Supply", "Deskworks", "Voltline"],
           "consulting": ["Meridian Advisory", "Northstar Partners", "Quarry Consulting"],
           "facilities": ["Cleanline Services", "Greenleaf Maintenance"]}
HEADS = ["Ada Brightwater", "Cyrus Holloway", "Della Fairbanks", "Emil Thornquist", "Freya Ashcombe",
         "Gustav Ellery", "Helena Marchbank", "Idris Coldwell", "Juno Pembroke", "Kit Ravensworth",
         "Leona Stirling", "Milo Whitcombe"]


class FinanceEnv(EnvTemplate):
    name = "finance"
    version = "1.1.0"
    category = "spreadsheet and finance analytics"
    description = ("A company's finance ledger: departments with annual budget lines per category, monthly actual "
                   "spend, vendors and invoices. Analyse spend against budget, pay or dispute invoices and "
                   "reallocate budget between departments.")
    policy = (
        "Act only on the departments, invoices and budget lines named in the request and change nothing else. "
        "Dates count from the company's today (get_company_info). A budget line is one department's annual budget "
        "for one category; its spend to date is the sum of its monthly actuals. Paying an invoice adds its amount "
        "to the current month's actual of its department and category, and is allowed only for unpaid, undisputed "
        "invoices whose payment keeps the line's spend to date within its budget. A line's available budget is its "
        "budget minus its spend to date minus its unpaid undisputed invoices. Budget may be moved between "
        "departments only within the same category, only out of available budget, and in total no more than 25% of "
        "a line's original budget may be moved out of it over the year."
    )
    variants = VariantSpace(
        optional_tools=("list_vendors", "list_budget_transfers"),
        renames={"reallocate_budget": ("move_budget", "transfer_budget"), "get_monthly_actuals": ("actuals_report",),
                 "pay_invoice": ("settle_invoice",), "list_invoices": ("search_invoices",)},
        rules={"transfer_cap_10": "No more than 10% (instead of 25%) of a line's original budget may be moved out "
                                  "of it over the year.",
               "keep_reserve": "A reallocation must leave available at least 5% of the source line's budget (as "
                               "it was before the move)."},
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "invoice_amount": [
            "What is the amount of invoice {{number}}?",
            "How much is invoice {{number}} for?",
        ],
        "line_budget": [
            "What is the {{department}} department's {{category}} budget for the year?",
            "How large is the annual {{category}} budget of {{department}}?",
        ],
        "quarter_spend": [
            "How much did {{department}} spend on {{category}} in {{quarter}}? Round to 2 decimals.",
            "Sum {{department}}'s monthly {{category}} actuals for {{quarter}} (2 decimals).",
        ],
        "top_overrun": [
            "Which department has overspent its {{category}} budget to date by the largest amount?",
            "Looking at {{category}}, which department's spend to date exceeds its budget the most?",
        ],
        "available": [
            "Across all of {{department}}'s budget lines{% if over %} that are not over budget{% endif %}, how much "
            "budget is still available in total?",
            "Add up the available budget of every {% if over %}non-overspent {% endif %}budget line of "
            "{{department}}.",
        ],
        "vendor_overdue": [
            "What is the total of {{vendor}}'s unpaid, undisputed invoices that are past due?",
            "Add up the overdue open invoices from {{vendor}} (unpaid, not disputed, due date before today).",
        ],
        "pay_due": [
            "Pay {{department}}'s unpaid, undisputed invoices due on or before {{date}}, earliest due date first "
            "(then lowest invoice number), skipping any whose payment the policy does not allow.",
            "Settle the open {{department}} invoices that fall due by {{date}} in order of due date (ties by invoice "
            "number); leave out any that the budget rules would block, and pay the rest.",
        ],
        "reallocate": [
            "Move {{amount}} of {{category}} budget from {{source}} to {{target}}. If the policy doesn't allow that "
            "much, move the largest amount it does allow.",
            "Reallocate {{amount}} of the {{category}} budget of {{source}} to {{target}} — or, should the rules "
            "limit it, as much as they permit.",
        ],
        "vendor_cleanup": [
            "Vendor {{vendor}}: dispute each of their unpaid invoices above {{threshold}}, and pay the other unpaid, "
            "undisputed ones, earliest due date first, where the policy allows.",
            "Clean up {{vendor}}'s open invoices: those over {{threshold}} get disputed; the remaining unpaid "
            "undisputed ones are paid in due-date order when the budget rules allow it.",
        ],
        "cover_overruns": [
            "For every department whose {{category}} spend to date exceeds its budget, move budget from {{donor}} "
            "to cover the overrun exactly, in order of department name; when the policy does not allow the full "
            "amount, move the largest amount it allows.",
            "Use {{donor}}'s {{category}} budget to cover the {{category}} overruns of the other departments "
            "(alphabetically), each one exactly or as far as the reallocation rules allow.",
        ],
        "close_department": [
            "Month-end for {{department}}: first pay its unpaid, undisputed invoices due on or before {{date}}, "
            "earliest due first (ties by invoice number), skipping any the policy blocks. Then, for each of its "
            "budget lines whose spend to date is now over budget, move budget from {{donor}} to cover the overrun "
            "exactly, or as far as the policy allows. Tell me the total you paid.",
            "Close the month for {{department}}: settle its open invoices due by {{date}} in due-date order where "
            "the budget rules allow; afterwards cover every over-budget line of {{department}} with budget from "
            "{{donor}} (same category, exactly the overrun or the most the rules allow). Report the total paid.",
        ],
    }

    # ---- database ---------------------------------------------------------------------------------

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
        n_depts, n_invoices = {"small": ((5, 7), (80, 110)), "medium": ((7, 9), (100, 150)),
                               "large": ((10, 12), (170, 240))}[self.variant.scale]
        months = [f"{today.year}-{m:02d}" for m in range(1, today.month + 1)]
        for name, head in zip(rng.sample(DEPARTMENTS, rng.randint(*n_depts)), rng.sample(HEADS, 12)):
            dept = self.db.execute("INSERT INTO departments (name, head) VALUES (?, ?)", (name, head)).lastrowid
            size = rng.uniform(0.5, 2.0)
            for category in rng.sample(sorted(CATEGORIES), rng.randint(4, 7)):
                budget = float(round(CATEGORIES[category] * size * rng.uniform(0.7, 1.3), -2))
                self.db.execute("INSERT INTO budgets (department_id, category, amount, original_amount) VALUES "
                                "(?, ?, ?, ?)", (dept, category, budget, budget))
                trend = rng.uniform(0.75, 1.3)  # some lines run ahead of their budget
                for month in months:
                    share = today.day / 30 if month == months[-1] else 1
                    self.db.execute("INSERT INTO actuals (department_id, category, month, amount) VALUES "
                                    "(?, ?, ?, ?)", (dept, category, month,
                                                     round(budget / 12 * trend * share * rng.uniform(0.8, 1.2), 2)))
        for line in self.rows("SELECT b.id, SUM(a.amount) AS spent FROM budgets b JOIN actuals a ON a.department_id "
                              "= b.department_id AND a.category = b.category GROUP BY b.id ORDER BY b.id"):
            if rng.random() < 0.15:  # lines cut mid-year now run over budget
                cut = float(round(line["spent"] * rng.uniform(0.85, 0.98), -2))
                self.db.execute("UPDATE budgets SET amount = ?, original_amount = ? WHERE id = ?",
                                (cut, cut, line["id"]))
        for category, names in VENDORS.items():
            for name in names:
                self.db.execute("INSERT INTO vendors (name, category) VALUES (?, ?)", (name, category))
        lines = self.rows("SELECT department_id, category, amount FROM budgets WHERE category != 'salaries'")
        vendors = self.rows("SELECT id, category FROM vendors")
        numbers = rng.sample(range(1000, 9999), n_invoices[1])
        for number in numbers[:rng.randint(*n_invoices)]:
            line = rng.choice(lines)
            issue = today - dt.timedelta(days=rng.randint(1, 100))
            status = rng.choices(["paid", "unpaid", "disputed"], [5, 4, 1])[0]
            due = issue + dt.timedelta(days=rng.choice([30, 45, 60]))
            self.db.execute(
                "INSERT INTO invoices (number, vendor_id, department_id, category, issue_date, due_date, amount, "
                "status, paid_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (f"INV-{number}", rng.choice([v for v in vendors if v["category"] == line["category"]])["id"],
                 line["department_id"], line["category"], issue.isoformat(), due.isoformat(),
                 round(line["amount"] * rng.uniform(0.005, 0.06), 2), status,
                 min(due, today).isoformat() if status == "paid" else None))

    # ---- ledger rules (shared by tools and proposers) --------------------------------------------

    def _today(self) -> str:
        return self.db.execute("SELECT today FROM company").fetchone()[0]

    def _dept(self, name: str) -> dict:
        row = self.db.execute("SELECT * FROM departments WHERE lower(name) = lower(?)", (name.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"no department {name!r}; call list_departments")
        return dict(row)

    def _line(self, department_id: int, category: str) -> dict:
        row = self.db.execute("SELECT * FROM budgets WHERE department_id = ? AND category = ?",
                              (department_id, category)).fetchone()
        if row is None:
            raise ValueError(f"that department has no {category} budget line")
        line = dict(row)
        line["spent"] = round(self.db.execute("SELECT COALESCE(SUM(amount), 0) FROM actuals WHERE department_id = ? "
                                              "AND category = ?", (department_id, category)).fetchone()[0], 2)
        line["committed"] = round(self.db.execute(
            "SELECT COALESCE(SUM(amount), 0) FROM invoices WHERE department_id = ? AND category = ? AND "
            "status = 'unpaid'", (department_id, category)).fetchone()[0], 2)
        line["moved_out"] = round(self.db.execute(
            "SELECT COALESCE(SUM(amount), 0) FROM budget_transfers WHERE from_department_id = ? AND category = ?",
            (department_id, category)).fetchone()[0], 2)
        line["available"] = round(line["amount"] - line["spent"] - line["committed"], 2)
        return line

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
        return dict(self.db.execute("SELECT today, fiscal_year FROM company").fetchone())

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
        cats = [r["category"] for r in self.rows("SELECT category FROM budgets WHERE department_id = ? AND (? IS NULL "
                                                  "OR category = ?) ORDER BY category", dept["id"], category,
                                                  category)]
        lines = [self._line(dept["id"], c) for c in cats]
        for line in lines:
            line.pop("id"), line.pop("department_id")
        return lines

    @tool("read")
    def get_monthly_actuals(self, department: str, category: str | None = None, start_month: str | None = None,
                            end_month: str | None = None) -> list[dict]:
        """Monthly actual spend of a department, optionally for one category and a month range (YYYY-MM).

        Args:
            department: Department name.
            category: Only this category.
            start_month: First month, YYYY-MM.
            end_month: Last month, YYYY-MM.
        """
        dept = self._dept(department)
        return self.rows("SELECT category, month, amount FROM actuals WHERE department_id = ? AND (? IS NULL OR "
                         "category = ?) AND month >= ? AND month <= ? ORDER BY category, month", dept["id"], category,
                         category, start_month or "0000", end_month or "9999")

    @tool("read")
    def list_vendors(self, category: str | None = None) -> list[dict]:
        """Vendors and the category they bill.

        Args:
            category: Only vendors of this category.
        """
        return self.rows("SELECT id, name, category FROM vendors WHERE ? IS NULL OR category = ? ORDER BY name",
                         category, category)

    @tool("read")
    def list_invoices(self, department: str | None = None, vendor: str | None = None, status: str | None = None,
                      due_by: str | None = None) -> list[dict]:
        """Invoices, by invoice number, optionally of one department or vendor, one status (unpaid, paid, disputed)
        and due on or before a date.

        Args:
            department: Department name.
            vendor: Vendor name.
            status: unpaid, paid or disputed.
            due_by: Latest due date, YYYY-MM-DD.
        """
        return self.rows(
            "SELECT i.number, v.name AS vendor, d.name AS department, i.category, i.issue_date, i.due_date, "
            "i.amount, i.status, i.paid_on FROM invoices i JOIN vendors v ON v.id = i.vendor_id JOIN departments d "
            "ON d.id = i.department_id WHERE (? IS NULL OR lower(d.name) = lower(?)) AND (? IS NULL OR "
            "lower(v.name) = lower(?)) AND (? IS NULL OR i.status = ?) AND i.due_date <= ? ORDER BY i.number",
            department, department, vendor, vendor, status, status, due_by or "9999")

    @tool("read")
    def get_invoice(self, number: str) -> dict:
        """One invoice by number.

        Args:
            number: Invoice number such as INV-1234.
        """
        rows = [i for i in self.list_invoices() if i["number"].upper() == number.strip().upper()]
        if not rows:
            raise ValueError(f"no invoice {number!r}")
        return rows[0]

    @tool("read")
    def list_budget_transfers(self, category: str | None = None) -> list[dict]:
        """Budget reallocations made this year.

        Args:
            category: Only this category.
        """
        return self.rows("SELECT t.id, f.name AS source, d.name AS target, t.category, t.amount, t.created_on, "
                         "t.reason FROM budget_transfers t JOIN departments f ON f.id = t.from_department_id JOIN "
                         "departments d ON d.id = t.to_department_id WHERE ? IS NULL OR t.category = ? ORDER BY t.id",
                         category, category)

    # ---- write tools --------------------------------------------------------------------------------

    @tool("write")
    def pay_invoice(self, number: str) -> dict:
        """Pay an unpaid, undisputed invoice today; its amount is added to this month's actual spend.

        Args:
            number: Invoice number.
        """
        row = self.db.execute("SELECT * FROM invoices WHERE upper(number) = upper(?)", (number.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"no invoice {number!r}")
        if row["status"] != "unpaid":
            raise ValueError(f"invoice {row['number']} is {row['status']}; only unpaid invoices are paid")
        line = self._line(row["department_id"], row["category"])
        if line["spent"] + row["amount"] > line["amount"] + 1e-9:
            raise ValueError(f"paying {row['amount']} would take the {row['category']} spend to "
                             f"{round(line['spent'] + row['amount'], 2)}, over its budget of {line['amount']}")
        month = self._today()[:7]
        self.db.execute("UPDATE invoices SET status = 'paid', paid_on = ? WHERE id = ?", (self._today(), row["id"]))
        self.db.execute("UPDATE actuals SET amount = ROUND(amount + ?, 2) WHERE department_id = ? AND category = ? "
                        "AND month = ?", (row["amount"], row["department_id"], row["category"], month))
        return self.get_invoice(row["number"])

    @tool("write")
    def dispute_invoice(self, number: str, reason: str) -> dict:
        """Dispute an unpaid invoice; it will not be paid until resolved.

        Args:
            number: Invoice number.
            reason: Why it is disputed.
        """
        row = self.db.execute("SELECT * FROM invoices WHERE upper(number) = upper(?)", (number.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"no invoice {number!r}")
        if row["status"] != "unpaid" or not reason.strip():
            raise ValueError("only unpaid invoices can be disputed, with a reason")
        self.db.execute("UPDATE invoices SET status = 'disputed', note = ? WHERE id = ?", (reason.strip(), row["id"]))
        return self.get_invoice(row["number"])

    @tool("write")
    def reallocate_budget(self, from_department: str, to_department: str, category: str, amount: float,
                          reason: str = "") -> dict:
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
            raise ValueError(f"policy: at most {self._movable(line)} can be moved out of {source['name']}'s "
                             f"{category} line now")
        self.db.execute("UPDATE budgets SET amount = ROUND(amount - ?, 2) WHERE id = ?", (amount, line["id"]))
        self.db.execute("UPDATE budgets SET amount = ROUND(amount + ?, 2) WHERE id = ?", (amount, to_line["id"]))
        self.db.execute("INSERT INTO budget_transfers (from_department_id, to_department_id, category, amount, "
                        "created_on, reason) VALUES (?, ?, ?, ?, ?, ?)",
                        (source["id"], target["id"], category, amount, self._today(), reason))
        return {"source": self.get_budget(source["name"], category)[0],
                "target": self.get_budget(target["name"], category)[0]}

    # ---- proposers ----------------------------------------------------------------------------------

    def _simulate(self, steps) -> dict | None:
        """Final budgets, invoice statuses and actual totals after `steps()` on a scratch copy."""
        real = self.db
        self.db = self.snapshot()
        try:
            answer = steps()
            return {"budgets": {f"{r['department_id']}/{r['category']}": r["amount"]
                                for r in self.rows("SELECT * FROM budgets")},
                    "invoices": {r["number"]: r["status"] for r in self.rows("SELECT number, status FROM invoices")},
                    "answer": answer}
        except (ValueError, LookupError):
            return None
        finally:
            self.db.close()
            self.db = real

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

    def _expect(self, result: dict | None, **extra) -> dict | None:
        """Verifier parameters from a simulated result: the lines and invoices that must change (None: nothing)."""
        if result is None:
            return None
        before = {f"{r['department_id']}/{r['category']}": r["amount"] for r in self.rows("SELECT * FROM budgets")}
        invoices = {r["number"]: r["status"] for r in self.rows("SELECT number, status FROM invoices")}
        expected = {"budgets": {k: v for k, v in result["budgets"].items() if abs(v - before[k]) > 1e-9},
                    "invoices": {k: v for k, v in result["invoices"].items() if v != invoices[k]}, **extra}
        return expected if expected["budgets"] or expected["invoices"] else None

    def _overrun_categories(self) -> list[str]:
        return sorted({l["category"] for l in self._lines() if l["spent"] > l["amount"]})

    def _lines(self) -> list[dict]:
        return [{**self._line(r["department_id"], r["category"]), "department": r["name"]} for r in self.rows(
            "SELECT b.department_id, b.category, d.name FROM budgets b JOIN departments d ON d.id = b.department_id "
            "ORDER BY b.id")]

    @proposer(difficulty=1)
    def propose_invoice_amount(self, rng: random.Random) -> TaskDraft | None:
        invoice = rng.choice(self.rows("SELECT number, amount FROM invoices ORDER BY id"))
        return TaskDraft(
            shape="invoice_amount",
            instruction=self.render("invoice_amount", rng, number=invoice["number"]),
            solution=Program.of(solve_invoice_amount, number=invoice["number"]),
            verifier=Program.of(verify_number, expected=invoice["amount"], tolerance=0.005),
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
            verifier=Program.of(verify_number, expected=line["amount"], tolerance=0.005),
            tools=("get_budget", "list_departments", "get_monthly_actuals"),
        )

    @proposer(difficulty=2)
    def propose_quarter_spend(self, rng: random.Random) -> TaskDraft | None:
        line = rng.choice(self._lines())
        today = dt.date.fromisoformat(self._today())
        quarter = rng.randint(1, (today.month - 1) // 3 + 1)
        months = [f"{today.year}-{m:02d}" for m in range(3 * quarter - 2, 3 * quarter + 1)]
        spent = self.db.execute("SELECT SUM(amount) FROM actuals WHERE department_id = ? AND category = ? AND month "
                                "BETWEEN ? AND ?", (line["department_id"], line["category"], months[0],
                                                    months[-1])).fetchone()[0]
        spec = {"department": line["department"], "category": line["category"], "quarter": f"Q{quarter} {today.year}"}
        return TaskDraft(
            shape="quarter_spend",
            instruction=self.render("quarter_spend", rng, **spec),
            solution=Program.of(solve_quarter_spend, department=line["department"], category=line["category"],
                                start=months[0], end=months[-1]),
            verifier=Program.of(verify_number, expected=round(spent, 2), tolerance=0.01),
            tools=("get_monthly_actuals", "list_departments", "get_budget", "get_company_info"),
        )

    @proposer(difficulty=2)
    def propose_top_overrun(self, rng: random.Random) -> TaskDraft | None:
        category = rng.choice(self._overrun_categories() or sorted(CATEGORIES))
        overs = sorted((l for l in self._lines() if l["category"] == category and l["spent"] > l["amount"]),
                       key=lambda l: l["amount"] - l["spent"])
        if not overs or (len(overs) > 1 and overs[1]["spent"] - overs[1]["amount"] > overs[0]["spent"] -
                         overs[0]["amount"] - 0.01):
            return None
        return TaskDraft(
            shape="top_overrun",
            instruction=self.render("top_overrun", rng, category=category),
            solution=Program.of(solve_top_overrun, category=category),
            verifier=Program.of(verify_names, expected=[overs[0]["department"]],
                                candidates=[r["name"] for r in self.rows("SELECT name FROM departments")]),
            tools=("list_departments", "get_budget", "get_monthly_actuals"),
        )

    @proposer(difficulty=2)
    def propose_available(self, rng: random.Random) -> TaskDraft | None:
        department = rng.choice(self.rows("SELECT name FROM departments ORDER BY id"))["name"]
        over = rng.random() < 0.5
        lines = [l for l in self._lines() if l["department"] == department and not (over and l["spent"] > l["amount"])]
        spec = {"department": department, "over": over}
        return TaskDraft(
            shape="available",
            instruction=self.render("available", rng, **spec),
            solution=Program.of(solve_available, **spec),
            verifier=Program.of(verify_number, expected=round(sum(l["available"] for l in lines), 2), tolerance=0.01),
            tools=("get_budget", "list_invoices", "get_monthly_actuals", "list_departments", "get_invoice"),
        )

    @proposer(difficulty=2)
    def propose_vendor_overdue(self, rng: random.Random) -> TaskDraft | None:
        rows = self.rows("SELECT v.name, ROUND(SUM(i.amount), 2) AS total FROM invoices i JOIN vendors v ON "
                         "v.id = i.vendor_id WHERE i.status = 'unpaid' AND i.due_date < ? GROUP BY v.id",
                         self._today())
        if not rows:
            return None
        row = rng.choice(rows)
        return TaskDraft(
            shape="vendor_overdue",
            instruction=self.render("vendor_overdue", rng, vendor=row["name"]),
            solution=Program.of(solve_vendor_overdue, vendor=row["name"]),
            verifier=Program.of(verify_number, expected=row["total"], tolerance=0.01),
            tools=self.available_tools("list_invoices", "get_company_info", "list_vendors", "get_invoice"),
        )

    @proposer(difficulty=3)
    def propose_pay_due(self, rng: random.Random) -> TaskDraft | None:
        department = rng.choice(self.rows("SELECT name FROM departments ORDER BY id"))["name"]
        date = (dt.date.fromisoformat(self._today()) + dt.timedelta(days=rng.randint(-10, 30))).isoformat()
        due = self.list_invoices(department=department, status="unpaid", due_by=date)
        if not due:
            return None
        result = self._simulate(lambda: self._pay_in_order(due))
        expected = self._expect(result)
        if expected is None:
            return None
        spec = {"department": department, "date": date}
        return TaskDraft(
            shape="pay_due",
            instruction=self.render("pay_due", rng, **spec),
            solution=Program.of(solve_pay_due, **spec),
            verifier=Program.of(verify_ledger, **expected),
            tools=("list_invoices", "get_budget", "pay_invoice", "dispute_invoice", "get_company_info"),
        )

    @proposer(difficulty=3)
    def propose_reallocate(self, rng: random.Random) -> TaskDraft | None:
        category = rng.choice(sorted(CATEGORIES))
        lines = [l for l in self._lines() if l["category"] == category]
        if len(lines) < 2:
            return None
        source, target = rng.sample(lines, 2)
        if self._movable(source) < 1:
            return None
        amount = float(rng.choice([1000, 2500, 5000, 10000, 20000, 40000]))
        result = self._simulate(lambda: self.reallocate_budget(source["department"], target["department"], category,
                                                               min(amount, self._movable(source))))
        expected = self._expect(result)
        if expected is None:
            return None
        spec = {"source": source["department"], "target": target["department"], "category": category,
                "amount": amount}
        return TaskDraft(
            shape="reallocate",
            instruction=self.render("reallocate", rng, **spec),
            solution=Program.of(solve_reallocate, **spec, **self._rules()),
            verifier=Program.of(verify_ledger, **expected),
            tools=self.available_tools("get_budget", "list_departments", "reallocate_budget", "list_budget_transfers"),
        )

    @proposer(difficulty=3)  # its length follows the data: 3 to 8 calls
    def propose_vendor_cleanup(self, rng: random.Random) -> TaskDraft | None:
        vendors = self.rows("SELECT v.name FROM invoices i JOIN vendors v ON v.id = i.vendor_id WHERE i.status = "
                            "'unpaid' GROUP BY v.id HAVING COUNT(*) >= 2 ORDER BY v.name")
        if not vendors:
            return None
        vendor = rng.choice(vendors)["name"]
        invoices = self.list_invoices(vendor=vendor, status="unpaid")
        amounts = sorted(i["amount"] for i in invoices)
        threshold = float(int(rng.choice(amounts)))

        def steps() -> None:
            for inv in invoices:
                if inv["amount"] > threshold:
                    self.dispute_invoice(inv["number"], "amount under review")
            self._pay_in_order([i for i in invoices if i["amount"] <= threshold])

        result = self._simulate(steps)
        expected = self._expect(result)
        if expected is None:
            return None
        spec = {"vendor": vendor, "threshold": threshold}
        return TaskDraft(
            shape="vendor_cleanup",
            instruction=self.render("vendor_cleanup", rng, **spec),
            solution=Program.of(solve_vendor_cleanup, **spec),
            verifier=Program.of(verify_ledger, **expected),
        )

    @proposer(difficulty=4)
    def propose_cover_overruns(self, rng: random.Random) -> TaskDraft | None:
        category = rng.choice(self._overrun_categories() or sorted(CATEGORIES))
        lines = [l for l in self._lines() if l["category"] == category]
        overs = sorted(l["department"] for l in lines if l["spent"] > l["amount"])
        donors = [l for l in lines if l["department"] not in overs and self._movable(l) > 0]
        if not overs or not donors:
            return None
        donor = rng.choice(donors)["department"]
        result = self._simulate(lambda: [self._cover(donor, d, category) for d in overs])
        expected = self._expect(result)
        if expected is None:
            return None
        spec = {"category": category, "donor": donor}
        return TaskDraft(
            shape="cover_overruns",
            instruction=self.render("cover_overruns", rng, **spec),
            solution=Program.of(solve_cover, **spec, **self._rules(), department=None, date=None),
            verifier=Program.of(verify_ledger, **expected),
        )

    @proposer(difficulty=5)
    def propose_close_department(self, rng: random.Random) -> TaskDraft | None:
        department = rng.choice(self.rows("SELECT name FROM departments ORDER BY id"))["name"]
        date = (dt.date.fromisoformat(self._today()) + dt.timedelta(days=rng.randint(0, 30))).isoformat()
        due = self.list_invoices(department=department, status="unpaid", due_by=date)
        donors = [r["name"] for r in self.rows("SELECT name FROM departments WHERE name != ? ORDER BY id", department)]
        if not due:
            return None
        donor = rng.choice(donors)

        def steps() -> float:
            paid = self._pay_in_order(due)
            dept = self._dept(department)
            for line in self.rows("SELECT category FROM budgets WHERE department_id = ? ORDER BY category",
                                  dept["id"]):
                if self.rows("SELECT 1 FROM budgets WHERE department_id = ? AND category = ?",
                             self._dept(donor)["id"], line["category"]):
                    self._cover(donor, department, line["category"])
            return paid

        result = self._simulate(steps)
        expected = self._expect(result, paid_total=result and result["answer"])
        if expected is None or not result["answer"]:
            return None
        spec = {"department": department, "date": date, "donor": donor}
        return TaskDraft(
            shape="close_department",
            instruction=self.render("close_department", rng, **spec),
            solution=Program.of(solve_cover, **spec, **self._rules(), category=None),
            verifier=Program.of(verify_ledger, **expected),
        )


# ---- solutions: tools and computation only --------------------------------------------------------

def solve_invoice_amount(tools, params):
    return tools.get_invoice(number=params["number"])["amount"]


def solve_line_field(tools, params):
    return tools.get_budget(department=params["department"], category=params["category"])[0][params["field"]]


def solve_quarter_spend(tools, params):
    rows = tools.get_monthly_actuals(department=params["department"], category=params["category"],
                                     start_month=params["start"], end_month=params["end"])
    return round(sum(r["amount"] for r in rows), 2)


def solve_top_overrun(tools, params):
    worst = None
    for d in tools.list_departments():
        for line in tools.get_budget(department=d["name"], category=params["category"]):
            over = line["spent"] - line["amount"]
            if over > 0 and (worst is None or over > worst[0]):
                worst = (over, d["name"])
    return worst[1]


def solve_available(tools, params):
    lines = tools.get_budget(department=params["department"])
    return round(sum(l["available"] for l in lines if not (params["over"] and l["spent"] > l["amount"])), 2)


def solve_vendor_overdue(tools, params):
    today = tools.get_company_info()["today"]
    return round(sum(i["amount"] for i in tools.list_invoices(vendor=params["vendor"], status="unpaid")
                     if i["due_date"] < today), 2)


def solve_pay_due(tools, params):
    invoices = tools.list_invoices(department=params["department"], status="unpaid", due_by=params["date"])
    lines = {l["category"]: l for l in tools.get_budget(department=params["department"])}
    paid = []
    for inv in sorted(invoices, key=lambda i: (i["due_date"], i["number"])):
        line = lines[inv["category"]]
        if line["spent"] + inv["amount"] <= line["amount"] + 1e-9:
            tools.pay_invoice(number=inv["number"])
            line["spent"] += inv["amount"]
            paid.append(inv["number"])
    return f"Paid {paid}"


def solve_reallocate(tools, params):
    line = tools.get_budget(department=params["source"], category=params["category"])[0]
    by_cap = line["original_amount"] * params["cap_percent"] / 100 - line["moved_out"]
    by_funds = line["available"] - line["amount"] * params["reserve_percent"] / 100
    movable = int(max(0.0, min(by_cap, by_funds)) * 100 + 1e-6) / 100
    amount = min(params["amount"], movable)
    tools.reallocate_budget(from_department=params["source"], to_department=params["target"],
                            category=params["category"], amount=amount)
    return f"Moved {amount}"


def solve_vendor_cleanup(tools, params):
    invoices = tools.list_invoices(vendor=params["vendor"], status="unpaid")
    for inv in invoices:
        if inv["amount"] > params["threshold"]:
            tools.dispute_invoice(number=inv["number"], reason="amount under review")
    lines = {}
    for inv in sorted(invoices, key=lambda i: (i["due_date"], i["number"])):
        if inv["amount"] > params["threshold"]:
            continue
        key = (inv["department"], inv["category"])
        if key not in lines:
            lines[key] = tools.get_budget(department=inv["department"], category=inv["category"])[0]
        if lines[key]["spent"] + inv["amount"] <= lines[key]["amount"] + 1e-9:
            tools.pay_invoice(number=inv["number"])
            lines[key]["spent"] += inv["amount"]
    return "Done"


def solve_cover(tools, params):
    paid = 0.0
    if params["department"]:
        invoices = tools.list_invoices(department=params["department"], status="unpaid", due_by=params["date"])
        lines = {l["category"]: l for l in tools.get_budget(department=params["department"])}
        for inv in sorted(invoices, key=lambda i: (i["due_date"], i["number"])):
            line = lines[inv["category"]]
            if line["spent"] + inv["amount"] <= line["amount"] + 1e-9:
                tools.pay_invoice(number=inv["number"])
                line["spent"] += inv["amount"]
                paid += inv["amount"]
        targets = [(params["department"], c) for c in sorted(lines)]
    else:
        targets = [(d["name"], params["category"]) for d in sorted(tools.list_departments(), key=lambda d: d["name"])
                   if d["name"] != params["donor"]]
    donor_lines = {l["category"]: l for l in tools.get_budget(department=params["donor"])}
    for department, category in targets:
        if category not in donor_lines:
            continue
        found = tools.get_budget(department=department, category=category)
        if not found or found[0]["spent"] <= found[0]["amount"]:
            continue
        over = round(found[0]["spent"] - found[0]["amount"], 2)
        donor = tools.get_budget(department=params["donor"], category=category)[0]
        by_cap = donor["original_amount"] * params["cap_percent"] / 100 - donor["moved_out"]
        by_funds = donor["available"] - donor["amount"] * params["reserve_percent"] / 100
        amount = min(over, int(max(0.0, min(by_cap, by_funds)) * 100 + 1e-6) / 100)
        if amount >= 0.01:
            tools.reallocate_budget(from_department=params["donor"], to_department=department, category=category,
                                    amount=amount)
    return f"Total paid {round(paid, 2)}"


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_ledger(outcome, params):
    """budgets: {"dept id/category": final amount} of the lines that must change; invoices: {number: final status}
    of the invoices that must change; paid_total (optional): the total the answer must state."""
    from verifiers.answers import only_number
    from verifiers.state import column_deltas, diff_table, unchanged

    reasons = []
    final = {f"{r['department_id']}/{r['category']}": r["amount"] for r in outcome.rows("SELECT * FROM budgets")}
    before = {f"{r['department_id']}/{r['category']}": r["amount"] for r in outcome.initial_rows(
        "SELECT * FROM budgets")}
    moved = {k: v for k, v in final.items() if abs(v - before[k]) > 0.005}
    if set(moved) != set(params["budgets"]) or any(abs(moved[k] - v) > 0.011 for k, v in params["budgets"].items()):
        reasons.append(f"budget lines {moved} differ from the expected {params['budgets']}")
    transfers, gone, altered = diff_table(outcome.initial, outcome.db, "budget_transfers")
    flows = {}
    for t in transfers:
        for dept, sign in ((t["from_department_id"], -1), (t["to_department_id"], 1)):
            key = f"{dept}/{t['category']}"
            flows[key] = round(flows.get(key, 0) + sign * t["amount"], 2)
    if gone or altered or any(abs(flows.get(k, 0) - (final[k] - before[k])) > 0.011 for k in set(flows) | set(moved)):
        reasons.append("the transfer log does not match the budget changes")
    invoices = {r["number"]: r for r in outcome.rows("SELECT * FROM invoices")}
    old = {r["number"]: r for r in outcome.initial_rows("SELECT * FROM invoices")}
    changed = {n: r["status"] for n, r in invoices.items() if r != old[n]}
    if changed != params["invoices"] or len(invoices) != len(old):
        reasons.append(f"invoice changes {changed} differ from the expected {params['invoices']}")
    spend = {}
    for n, status in changed.items():
        if status == "paid":
            key = (invoices[n]["department_id"], invoices[n]["category"])
            spend[key] = round(spend.get(key, 0) + invoices[n]["amount"], 2)
    rows = {r["id"]: r for r in outcome.rows("SELECT * FROM actuals")}
    deltas = {(rows[k]["department_id"], rows[k]["category"]): v for k, v in
              column_deltas(outcome.initial, outcome.db, "actuals", "amount").items()}
    if set(deltas) != set(spend) or any(abs(deltas[k] - spend[k]) > 0.011 for k in spend):
        reasons.append("monthly actuals do not grow by exactly the paid invoices")
    if other := unchanged(outcome.initial, outcome.db, ["departments", "vendors", "company"]):
        reasons.append(f"unexpected changes in {other}")
    if "paid_total" in params and not only_number(outcome.answer, params["paid_total"]):
        reasons.append(f"the answer should state the total paid {params['paid_total']}, got {outcome.answer!r}")
    return not reasons, reasons
