"""The tax tools: lookups, and writes that enforce the policy."""

from __future__ import annotations

from synth.env import tool

from .world import CAPS, INCOME_KINDS, STATUSES, bracket_tax


class TaxTools:
    # ---- the tax computation (shared by tools and proposers) --------------------------------------

    def _taxpayer(self, taxpayer_id: int) -> dict:
        return self.one(
            "SELECT * FROM taxpayers WHERE id = ?",
            taxpayer_id,
            missing=f"no taxpayer with id {taxpayer_id}; use find_taxpayers",
        )

    def _gross(self, taxpayer_id: int) -> float:
        return round(
            self.value("SELECT COALESCE(SUM(amount), 0) FROM income_items WHERE taxpayer_id = ?", taxpayer_id), 2
        )

    def _itemized(self, taxpayer_id: int) -> float:
        gross, total = self._gross(taxpayer_id), 0.0
        for cap in self.rows("SELECT * FROM deduction_caps"):
            s = self.value(
                "SELECT COALESCE(SUM(amount), 0) FROM deduction_items WHERE taxpayer_id = ? AND "
                "category = ? AND has_receipt = 1",
                taxpayer_id,
                cap["category"],
            )
            if cap["cap_amount"] is not None:
                s = min(s, cap["cap_amount"])
            if cap["cap_percent"] is not None:
                s = min(s, gross * cap["cap_percent"] / 100)
            if cap["floor_percent"] is not None:
                s = max(0.0, s - gross * cap["floor_percent"] / 100)
            total += s
        return round(total, 2)

    def _standard(self, status: str) -> float:
        return self.value("SELECT standard_deduction FROM filing_rules WHERE status = ?", status)

    def _bands(self, status: str) -> list[list]:
        return [
            [r["upper"], r["rate"]]
            for r in self.rows(
                "SELECT upper, rate FROM brackets WHERE status = ? ORDER BY upper IS NULL, upper", status
            )
        ]

    def _required_method(self, taxpayer_id: int, status: str | None = None) -> str:
        status = status or self._taxpayer(taxpayer_id)["filing_status"]
        return "itemized" if self._itemized(taxpayer_id) > self._standard(status) else "standard"

    def _compute(self, taxpayer_id: int, method: str, status: str | None = None) -> dict:
        taxpayer = self._taxpayer(taxpayer_id)
        status = status or taxpayer["filing_status"]
        gross = self._gross(taxpayer_id)
        deduction = self._itemized(taxpayer_id) if method == "itemized" else self._standard(status)
        taxable = round(max(0.0, gross - deduction), 2)
        tax = bracket_tax(taxable, self._bands(status))
        child = self.value("SELECT child_credit FROM tax_year") * taxpayer["dependents"]
        credits = round(min(tax, child), 2)
        withheld = round(
            self.value("SELECT COALESCE(SUM(withheld), 0) FROM income_items WHERE taxpayer_id = ?", taxpayer_id), 2
        )
        return {
            "filing_status": status,
            "method": method,
            "gross_income": gross,
            "deduction": deduction,
            "taxable": taxable,
            "tax": tax,
            "credits": credits,
            "withheld": withheld,
            "balance_due": round(tax - credits - withheld, 2),
        }

    def _file(self, taxpayer_id: int, method: str) -> dict:
        result = self._compute(taxpayer_id, method)
        self.db.execute(
            "INSERT INTO returns (taxpayer_id, filing_status, method, gross_income, deduction, taxable, "
            "tax, credits, withheld, balance_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (taxpayer_id, *result.values()),
        )
        return result

    def _open(self, taxpayer_id: int) -> dict:
        taxpayer = self._taxpayer(taxpayer_id)
        if self.rows("SELECT 1 FROM returns WHERE taxpayer_id = ?", taxpayer_id):
            raise ValueError(f"{taxpayer['name']} has already filed; their file can no longer change")
        return taxpayer

    def _allowed_statuses(self, taxpayer: dict) -> list[str]:
        if taxpayer["married"]:
            return ["married_joint"]
        need = 2 if "hoh_two_dependents" in self.variant.rules else 1
        return ["single"] + (["head_of_household"] if taxpayer["dependents"] >= need else [])

    # ---- read tools ---------------------------------------------------------------------------------

    @tool("read")
    def get_tax_rules(self, filing_status: str) -> dict:
        """The tax rules for a filing status: standard deduction, brackets (upper bound of each band, null for the
        top band, and its rate in %), the child credit per dependent and the deduction category limits.

        Args:
            filing_status: single, married_joint or head_of_household.
        """
        if filing_status not in STATUSES:
            raise ValueError(f"filing_status must be one of {', '.join(STATUSES)}")
        return {
            "filing_status": filing_status,
            "standard_deduction": self._standard(filing_status),
            "brackets": self.rows(
                "SELECT upper, rate FROM brackets WHERE status = ? ORDER BY upper IS NULL, upper", filing_status
            ),
            "child_credit_per_dependent": self.value("SELECT child_credit FROM tax_year"),
            "deduction_limits": self.rows(
                "SELECT category, cap_amount, cap_percent, floor_percent FROM deduction_caps ORDER BY category"
            ),
        }

    @tool("read")
    def find_taxpayers(self, name: str) -> list[dict]:
        """Find taxpayers by (part of) their name. Returns id, name, marital state, dependents and filing status.

        Args:
            name: Full or partial name, case-insensitive.
        """
        if not name.strip():
            raise ValueError("give a name to search for")
        return self.rows("SELECT * FROM taxpayers WHERE name LIKE ? ORDER BY id", f"%{name.strip()}%")

    @tool("read")
    def get_taxpayer(self, taxpayer_id: int) -> dict:
        """A taxpayer's profile and whether they have filed.

        Args:
            taxpayer_id: The taxpayer's id.
        """
        taxpayer = self._taxpayer(taxpayer_id)
        taxpayer["married"] = bool(taxpayer["married"])
        return {**taxpayer, "filed": bool(self.rows("SELECT 1 FROM returns WHERE taxpayer_id = ?", taxpayer_id))}

    @tool("read")
    def list_income(self, taxpayer_id: int) -> list[dict]:
        """A taxpayer's income items: kind, payer, amount and tax withheld.

        Args:
            taxpayer_id: The taxpayer's id.
        """
        self._taxpayer(taxpayer_id)
        return self.rows(
            "SELECT id, kind, payer, amount, withheld FROM income_items WHERE taxpayer_id = ? ORDER BY id", taxpayer_id
        )

    @tool("read")
    def list_deductions(self, taxpayer_id: int) -> list[dict]:
        """A taxpayer's deduction items: category, description, amount and whether a receipt is on file.

        Args:
            taxpayer_id: The taxpayer's id.
        """
        self._taxpayer(taxpayer_id)
        rows = self.rows(
            "SELECT id, category, description, amount, has_receipt FROM deduction_items WHERE "
            "taxpayer_id = ? ORDER BY id",
            taxpayer_id,
        )
        for r in rows:
            r["has_receipt"] = bool(r["has_receipt"])
        return rows

    @tool("read")
    def estimate_tax(self, taxpayer_id: int, deduction_method: str, filing_status: str | None = None) -> dict:
        """What a return would show for a deduction method (and optionally another filing status), without filing.

        Args:
            taxpayer_id: The taxpayer's id.
            deduction_method: standard or itemized.
            filing_status: A filing status to try instead of the current one.
        """
        if deduction_method not in ("standard", "itemized"):
            raise ValueError("deduction_method must be standard or itemized")
        if filing_status is not None and filing_status not in STATUSES:
            raise ValueError(f"filing_status must be one of {', '.join(STATUSES)}")
        return self._compute(taxpayer_id, deduction_method, filing_status)

    @tool("read")
    def get_return(self, taxpayer_id: int) -> dict:
        """The return a taxpayer has filed.

        Args:
            taxpayer_id: The taxpayer's id.
        """
        rows = self.rows("SELECT * FROM returns WHERE taxpayer_id = ?", taxpayer_id)
        if not rows:
            raise ValueError(f"taxpayer {taxpayer_id} has not filed")
        return rows[0]

    # ---- write tools --------------------------------------------------------------------------------

    @tool("write")
    def add_income(self, taxpayer_id: int, kind: str, payer: str, amount: float, withheld: float = 0.0) -> dict:
        """Record an income item.

        Args:
            taxpayer_id: The taxpayer's id.
            kind: wages, interest, dividends, freelance or rental.
            payer: Who paid it.
            amount: Amount received, positive.
            withheld: Tax already withheld from it.
        """
        self._open(taxpayer_id)
        if kind not in INCOME_KINDS:
            raise ValueError(f"kind must be one of {', '.join(INCOME_KINDS)}")
        if amount <= 0 or not 0 <= withheld <= amount or not payer.strip():
            raise ValueError("give a payer, a positive amount and a withholding between 0 and the amount")
        item = self.db.execute(
            "INSERT INTO income_items (taxpayer_id, kind, payer, amount, withheld) VALUES (?, ?, ?, ?, ?)",
            (taxpayer_id, kind, payer.strip(), round(amount, 2), round(withheld, 2)),
        ).lastrowid
        return {"id": item, "kind": kind, "payer": payer.strip(), "amount": round(amount, 2)}

    @tool("write")
    def add_deduction(
        self, taxpayer_id: int, category: str, description: str, amount: float, has_receipt: bool
    ) -> dict:
        """Record a deduction item.

        Args:
            taxpayer_id: The taxpayer's id.
            category: mortgage_interest, state_local_tax, charity, medical, education or retirement.
            description: What it is.
            amount: Amount, positive.
            has_receipt: Whether a receipt was provided.
        """
        self._open(taxpayer_id)
        if category not in CAPS:
            raise ValueError(f"category must be one of {', '.join(sorted(CAPS))}")
        if amount <= 0:
            raise ValueError("the amount must be positive")
        item = self.db.execute(
            "INSERT INTO deduction_items (taxpayer_id, category, description, amount, has_receipt) "
            "VALUES (?, ?, ?, ?, ?)",
            (taxpayer_id, category, description.strip(), round(amount, 2), int(has_receipt)),
        ).lastrowid
        return {"id": item, "category": category, "amount": round(amount, 2), "has_receipt": has_receipt}

    @tool("write")
    def remove_deduction(self, item_id: int) -> dict:
        """Delete a deduction item.

        Args:
            item_id: The deduction item's id.
        """
        row = self.one(
            "SELECT * FROM deduction_items WHERE id = ?",
            item_id,
            missing=f"no deduction item {item_id}; use list_deductions",
        )
        self._open(row["taxpayer_id"])
        self.db.execute("DELETE FROM deduction_items WHERE id = ?", (item_id,))
        return {"removed": item_id}

    @tool("write")
    def set_filing_status(self, taxpayer_id: int, filing_status: str) -> dict:
        """Change a taxpayer's filing status (it must be one they qualify for).

        Args:
            taxpayer_id: The taxpayer's id.
            filing_status: single, married_joint or head_of_household.
        """
        taxpayer = self._open(taxpayer_id)
        allowed = self._allowed_statuses(taxpayer)
        if filing_status not in allowed:
            raise ValueError(f"{taxpayer['name']} may file only as {', '.join(allowed)}")
        self.db.execute("UPDATE taxpayers SET filing_status = ? WHERE id = ?", (filing_status, taxpayer_id))
        return self.get_taxpayer(taxpayer_id)

    @tool("write")
    def file_return(self, taxpayer_id: int, deduction_method: str) -> dict:
        """File the taxpayer's return; the office computes it from the recorded items and rules.

        Args:
            taxpayer_id: The taxpayer's id.
            deduction_method: standard or itemized, as the policy requires.
        """
        self._open(taxpayer_id)
        required = self._required_method(taxpayer_id)
        if deduction_method != required:
            raise ValueError(
                f"policy: this return must use the {required} deduction "
                f"(itemized {self._itemized(taxpayer_id)} vs standard)"
            )
        return self._file(taxpayer_id, deduction_method)
