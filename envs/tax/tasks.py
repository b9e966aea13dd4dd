"""Task proposers, from single lookups (level 1) to filing plans (level 5)."""

from __future__ import annotations

import random

from synth.env import Answer, Effects, Program, TaskDraft, deletes, inserts, proposer, updates

from .solutions import (
    solve_best_status,
    solve_bracket_tax,
    solve_clean_deductions,
    solve_conditional_pension,
    solve_file_best,
    solve_gross_income,
    solve_income_from,
    solve_itemized,
    solve_late_forms,
    solve_withheld,
)
from .world import CAPS, INCOME_KINDS, STATUSES, bracket_tax


def _filed(taxpayer_id: int, result: dict) -> dict:
    """The effect of filing: exactly one new return with every figure the office computes."""
    return {"returns": inserts(rows=[{"taxpayer_id": taxpayer_id, **result}])}


class TaxTasks:
    def _unfiled(self, rng: random.Random) -> dict:
        return rng.choice(
            self.rows("SELECT * FROM taxpayers WHERE id NOT IN (SELECT taxpayer_id FROM returns) ORDER BY id")
        )

    def _rules(self) -> dict:
        return {"hoh_dependents": 2 if "hoh_two_dependents" in self.variant.rules else 1}

    def _after(self, changes):
        """Run `changes()` on a scratch copy of the database and return what it returns."""
        real = self.db
        self.db = self.snapshot()
        try:
            return changes()
        finally:
            self.db.close()
            self.db = real

    def _late_slip(self, rng: random.Random) -> dict:
        kind = rng.choice(["interest", "dividends", "freelance", "wages"])
        amount = round(rng.uniform(400, 30000), 2)
        return {
            "kind": kind,
            "payer": rng.choice(INCOME_KINDS[kind]),
            "amount": amount,
            "withheld": round(amount * rng.choice([0, 0.05, 0.1, 0.2]), 2),
        }

    # ---- lookups ----------------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_withheld(self, rng: random.Random) -> TaskDraft | None:
        taxpayer = rng.choice(self.rows("SELECT * FROM taxpayers ORDER BY id"))
        withheld = self.value("SELECT SUM(withheld) FROM income_items WHERE taxpayer_id = ?", taxpayer["id"])
        return TaskDraft(
            shape="withheld",
            instruction=self.render("withheld", rng, taxpayer=taxpayer["name"]),
            solution=Program.of(solve_withheld, taxpayer=taxpayer["name"]),
            answer=Answer.number(round(withheld, 2)),
            tools=("find_taxpayers", "get_taxpayer", "list_income", "list_deductions"),
        )

    @proposer(difficulty=1)
    def propose_income_from(self, rng: random.Random) -> TaskDraft | None:
        item = rng.choice(
            self.rows("SELECT i.*, t.name FROM income_items i JOIN taxpayers t ON t.id = i.taxpayer_id ORDER BY i.id")
        )
        same = self.column(
            "SELECT amount FROM income_items WHERE taxpayer_id = ? AND payer = ? AND kind = ?",
            item["taxpayer_id"],
            item["payer"],
            item["kind"],
        )
        spec = {"taxpayer": item["name"], "payer": item["payer"], "kind": item["kind"]}
        return TaskDraft(
            shape="income_from",
            instruction=self.render("income_from", rng, **spec),
            solution=Program.of(solve_income_from, **spec),
            answer=Answer.number(round(sum(same), 2)),
            tools=("find_taxpayers", "list_income", "list_deductions"),
        )

    @proposer(difficulty=2)
    def propose_gross_income(self, rng: random.Random) -> TaskDraft | None:
        taxpayer = rng.choice(self.rows("SELECT * FROM taxpayers ORDER BY id"))
        return TaskDraft(
            shape="gross_income",
            instruction=self.render("gross_income", rng, taxpayer=taxpayer["name"]),
            solution=Program.of(solve_gross_income, taxpayer=taxpayer["name"]),
            answer=Answer.number(self._gross(taxpayer["id"])),
            tools=("find_taxpayers", "get_taxpayer", "list_income"),
        )

    @proposer(difficulty=2)
    def propose_itemized(self, rng: random.Random) -> TaskDraft | None:
        taxpayer = rng.choice(self.rows("SELECT * FROM taxpayers ORDER BY id"))
        return TaskDraft(
            shape="itemized",
            instruction=self.render("itemized", rng, taxpayer=taxpayer["name"]),
            solution=Program.of(solve_itemized, taxpayer=taxpayer["name"]),
            answer=Answer.number(self._itemized(taxpayer["id"])),
            tools=("find_taxpayers", "get_taxpayer", "list_income", "list_deductions", "get_tax_rules"),
        )

    @proposer(difficulty=2)
    def propose_bracket_tax(self, rng: random.Random) -> TaskDraft | None:
        status = rng.choice(STATUSES)
        taxable = float(rng.randrange(8000, 420000, 50))
        spec = {"status": status, "taxable": taxable}
        return TaskDraft(
            shape="bracket_tax",
            instruction=self.render("bracket_tax", rng, **spec),
            solution=Program.of(solve_bracket_tax, **spec),
            answer=Answer.number(bracket_tax(taxable, self._bands(status))),
            tools=("get_tax_rules", "find_taxpayers"),
        )

    # ---- filing -----------------------------------------------------------------------------------

    @proposer(difficulty=3)
    def propose_file_best(self, rng: random.Random) -> TaskDraft | None:
        taxpayer = self._unfiled(rng)
        result = self._compute(taxpayer["id"], self._required_method(taxpayer["id"]))
        return TaskDraft(
            shape="file_best",
            instruction=self.render("file_best", rng, taxpayer=taxpayer["name"]),
            solution=Program.of(solve_file_best, taxpayer=taxpayer["name"]),
            answer=Answer.number(result["balance_due"]),
            effects=Effects.on(**_filed(taxpayer["id"], result)),
            tools=self.available_tools(
                "find_taxpayers",
                "get_taxpayer",
                "list_income",
                "list_deductions",
                "get_tax_rules",
                "estimate_tax",
                "file_return",
            ),
        )

    @proposer(difficulty=3)
    def propose_clean_deductions(self, rng: random.Random) -> TaskDraft | None:
        with_gaps = self.rows(
            "SELECT * FROM taxpayers WHERE id NOT IN (SELECT taxpayer_id FROM returns) AND id IN "
            "(SELECT taxpayer_id FROM deduction_items WHERE has_receipt = 0) ORDER BY id"
        )
        if not with_gaps:
            return None
        taxpayer = rng.choice(with_gaps)
        items = self.rows(
            "SELECT id, category FROM deduction_items WHERE taxpayer_id = ? AND has_receipt = 0", taxpayer["id"]
        )
        category = rng.choice([None, rng.choice(items)["category"]])
        spec = {"taxpayer": taxpayer["name"], "category": category}
        return TaskDraft(
            shape="clean_deductions",
            instruction=self.render("clean_deductions", rng, **spec),
            solution=Program.of(solve_clean_deductions, **spec),
            answer=Answer.none(),
            effects=Effects.on(
                deduction_items=deletes(keys=[i["id"] for i in items if category in (None, i["category"])])
            ),
            tools=("find_taxpayers", "list_deductions", "remove_deduction", "add_deduction"),
        )

    @proposer(difficulty=4)
    def propose_late_forms(self, rng: random.Random) -> TaskDraft | None:
        taxpayer = self._unfiled(rng)
        slip = self._late_slip(rng)
        category = rng.choice(sorted(CAPS))
        deduction = round(rng.uniform(200, 9000), 2)

        def changes() -> dict:
            self.add_income(taxpayer["id"], **slip)
            self.add_deduction(taxpayer["id"], category, "late receipt", deduction, True)
            return self._compute(taxpayer["id"], self._required_method(taxpayer["id"]))

        result = self._after(changes)
        spec = {"taxpayer": taxpayer["name"], **slip, "category": category, "deduction": deduction}
        return TaskDraft(
            shape="late_forms",
            instruction=self.render("late_forms", rng, **spec),
            solution=Program.of(solve_late_forms, **spec),
            answer=Answer.number(result["balance_due"]),
            effects=Effects.on(
                income_items=inserts(rows=[{"taxpayer_id": taxpayer["id"], **slip}]),
                deduction_items=inserts(
                    rows=[{"taxpayer_id": taxpayer["id"], "category": category, "amount": deduction, "has_receipt": 1}]
                ),
                **_filed(taxpayer["id"], result),
            ),
        )

    @proposer(difficulty=5)
    def propose_best_status(self, rng: random.Random) -> TaskDraft | None:
        taxpayer = self._unfiled(rng)
        unreceipted = self.column(
            "SELECT id FROM deduction_items WHERE taxpayer_id = ? AND has_receipt = 0", taxpayer["id"]
        )
        statuses = self._allowed_statuses(taxpayer)
        if len(statuses) < 2 and not unreceipted:
            return None

        def changes() -> list[dict]:
            self.db.execute("DELETE FROM deduction_items WHERE taxpayer_id = ? AND has_receipt = 0", (taxpayer["id"],))
            return [self._compute(taxpayer["id"], self._required_method(taxpayer["id"], s), s) for s in statuses]

        options = sorted(self._after(changes), key=lambda r: r["balance_due"])
        if len(options) > 1 and options[0]["balance_due"] == options[1]["balance_due"]:
            return None
        best = options[0]
        effects = _filed(taxpayer["id"], best)
        if unreceipted:
            effects["deduction_items"] = deletes(keys=unreceipted)
        if best["filing_status"] != taxpayer["filing_status"]:
            effects["taxpayers"] = updates(
                "filing_status", keys=[taxpayer["id"]], values={"filing_status": best["filing_status"]}
            )
        return TaskDraft(
            shape="best_status",
            instruction=self.render("best_status", rng, taxpayer=taxpayer["name"]),
            solution=Program.of(solve_best_status, taxpayer=taxpayer["name"], **self._rules()),
            answer=Answer.number(best["balance_due"]),
            effects=Effects.on(**effects),
        )

    @proposer(difficulty=5)
    def propose_conditional_pension(self, rng: random.Random) -> TaskDraft | None:
        taxpayer = self._unfiled(rng)
        slip = self._late_slip(rng)
        pension = float(rng.choice([1500, 2500, 4000, 6000]))

        def owed(with_pension: bool) -> dict:
            def changes() -> dict:
                self.add_income(taxpayer["id"], **slip)
                if with_pension:
                    self.add_deduction(taxpayer["id"], "retirement", "pension contribution", pension, True)
                return self._compute(taxpayer["id"], self._required_method(taxpayer["id"]))

            return self._after(changes)

        plain = owed(False)
        threshold = float(round(plain["balance_due"] + rng.choice([-1, 1]) * rng.uniform(50, 1500)))
        if abs(threshold - plain["balance_due"]) < 1:
            return None
        add = plain["balance_due"] > threshold
        result = owed(True) if add else plain
        spec = {"taxpayer": taxpayer["name"], **slip, "threshold": threshold, "pension": pension}
        effects = {
            "income_items": inserts(rows=[{"taxpayer_id": taxpayer["id"], **slip}]),
            **_filed(taxpayer["id"], result),
        }
        if add:
            effects["deduction_items"] = inserts(
                rows=[{"taxpayer_id": taxpayer["id"], "category": "retirement", "amount": pension, "has_receipt": 1}]
            )
        return TaskDraft(
            shape="conditional_pension",
            instruction=self.render("conditional_pension", rng, **spec),
            solution=Program.of(solve_conditional_pension, **spec),
            answer=Answer.number(result["balance_due"]),
            effects=Effects.on(**effects),
        )
