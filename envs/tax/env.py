"""Personal tax filing: taxpayers, income items, deductions with caps, brackets, credits and filed returns."""

from __future__ import annotations

import random

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool
from verifiers.common import verify_number

FIRST = ["Amara", "Bastian", "Celeste", "Darius", "Elowen", "Florian", "Giselle", "Hector", "Imogen", "Jovan",
         "Kerensa", "Lazlo", "Marisol", "Niall", "Ottilie", "Percival", "Rosalind", "Stellan", "Tindra", "Valentin"]
LAST = ["Ashdown", "Bellweather", "Crane", "Dunmore", "Everly", "Foxley", "Glenister", "Harrowgate", "Inglewood",
        "Juniper", "Kestrel", "Larkspur", "Merriweather", "Northcott", "Oakhurst", "Pendleton"]
STATUSES = ("single", "married_joint", "head_of_household")
STANDARD = {"single": 14600, "married_joint": 29200, "head_of_household": 21900}
BRACKETS = {  # (upper bound of the band or None, rate)
    "single": [(11600, 10), (47150, 12), (100525, 22), (191950, 24), (243725, 32), (609350, 35), (None, 37)],
    "married_joint": [(23200, 10), (94300, 12), (201050, 22), (383900, 24), (487450, 32), (731200, 35), (None, 37)],
    "head_of_household": [(16550, 10), (63100, 12), (100500, 22), (191950, 24), (243700, 32), (609350, 35),
                          (None, 37)],
}
CAPS = {  # category: (cap amount, cap as % of gross income, only the part above this % of gross income counts)
    "mortgage_interest": (15000, None, None), "state_local_tax": (10000, None, None), "charity": (None, 30, None),
    "medical": (None, None, 7.5), "education": (2500, None, None), "retirement": (7000, None, None),
}
INCOME_KINDS = {"wages": ["Northwind Logistics", "Brightpath Labs", "Meridian Health Trust", "Polar Tools Ltd",
                          "Saltmarsh Foods", "Cedar & Vale Architects"],
                "interest": ["Harborline Bank", "Granite Savings", "Bluewater Credit Union"],
                "dividends": ["Aurora Index Fund", "Keystone Growth Fund"],
                "freelance": ["Studio Quartz", "Lantern Media", "Pixelforge"],
                "rental": ["Maple Court Flat", "Riverside Cottage"]}
DEDUCTION_TEXT = {"mortgage_interest": "mortgage interest statement", "state_local_tax": "property and state tax",
                  "charity": "donation", "medical": "medical bills", "education": "tuition",
                  "retirement": "pension contribution"}


def bracket_tax(taxable: float, bands: list[list]) -> float:
    """Progressive tax on `taxable` over bands of (upper bound or None, rate %)."""
    tax, lower = 0.0, 0.0
    for upper, rate in bands:
        top = taxable if upper is None else min(taxable, upper)
        if top > lower:
            tax += (top - lower) * rate / 100
        if upper is None or taxable <= upper:
            break
        lower = upper
    return round(tax, 2)


class TaxEnv(EnvTemplate):
    name = "tax"
    version = "1.0.0"
    category = "personal tax filing"
    description = ("A tax preparation office: look up taxpayers, their income items, deduction items and the tax "
                   "rules; record income and deductions, fix filing status and file returns.")
    policy = (
        "Act only for the taxpayer named in the request and change nothing else. Gross income is the sum of all "
        "income items. Only deduction items with a receipt count. Itemized deductions are summed per category and "
        "each category is limited by the rules (get_tax_rules): some have a cap amount, charity is capped at a "
        "percentage of gross income, and for medical only the part above a percentage of gross income counts. A "
        "return uses the standard deduction of the filing status unless the itemized total is larger, in which case "
        "it must itemize. Taxable income is gross income minus the deduction, not below zero; tax follows the "
        "brackets of the filing status. The child credit (per dependent) lowers the tax but not below zero. The "
        "balance due is the tax after credits minus the tax withheld (negative: a refund). Married taxpayers file "
        "married_joint; unmarried taxpayers may file single, or head_of_household if they have at least one "
        "dependent. A taxpayer files once; nothing of a filed taxpayer may change."
    )
    variants = VariantSpace(
        optional_tools=("estimate_tax", "get_return"),
        renames={"file_return": ("submit_return",), "list_deductions": ("deduction_items",),
                 "add_income": ("record_income",), "find_taxpayers": ("search_taxpayers",)},
        rules={"charity_cap_20": "Charitable deductions are capped at 20% of gross income instead of 30%.",
               "hoh_two_dependents": "Head of household status requires at least two dependents."},
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "withheld": [
            "How much tax has been withheld from {{taxpayer}}'s income in total?",
            "Add up the tax withheld across all of {{taxpayer}}'s income items.",
        ],
        "income_from": [
            "How much {{kind}} income did {{taxpayer}} receive from {{payer}}?",
            "What amount of {{kind}} income from {{payer}} is recorded for {{taxpayer}}?",
        ],
        "gross_income": [
            "What is {{taxpayer}}'s gross income?",
            "Total all of {{taxpayer}}'s income items: what is their gross income?",
        ],
        "itemized": [
            "What would {{taxpayer}}'s itemized deductions come to under the rules (receipts, caps and floors "
            "applied)? Round to 2 decimals.",
            "Compute {{taxpayer}}'s allowable itemized deduction total, applying the receipt rule and every "
            "category limit (2 decimals).",
        ],
        "bracket_tax": [
            "How much tax, before credits, does a {{status}} filer owe on a taxable income of {{taxable}}?",
            "Using the brackets, compute the tax on {{taxable}} of taxable income for filing status {{status}} "
            "(before any credit).",
        ],
        "file_best": [
            "File {{taxpayer}}'s return with the deduction method the policy requires, and tell me the balance "
            "due (or the refund).",
            "Please submit {{taxpayer}}'s tax return — standard or itemized, whichever the rules call for — and "
            "report how much they owe or get back.",
        ],
        "clean_deductions": [
            "Remove {{taxpayer}}'s deduction items that have no receipt{% if category %} in the {{category}} "
            "category{% endif %}.",
            "Delete every receipt-less deduction item{% if category %} of category {{category}}{% endif %} from "
            "{{taxpayer}}'s file.",
        ],
        "late_forms": [
            "{{taxpayer}} brought in forgotten paperwork: {{kind}} income of {{amount}} from {{payer}} with "
            "{{withheld}} tax withheld, and a {{category}} expense of {{deduction}} with a receipt. Record both, "
            "file the return with the deduction method the policy requires, and tell me the balance due.",
            "Add {{taxpayer}}'s missing {{kind}} income ({{payer}}, {{amount}}, withheld {{withheld}}) and their "
            "receipted {{category}} deduction of {{deduction}}, then file their return under the required "
            "deduction method and report what they owe (negative if a refund).",
        ],
        "best_status": [
            "Get {{taxpayer}} filed: delete their deduction items that lack a receipt, switch them to the filing "
            "status they qualify for that gives the lowest balance due, file with the deduction method the policy "
            "requires, and tell me the balance due.",
            "For {{taxpayer}}: drop the receipt-less deduction items, pick among the filing statuses they are "
            "allowed the one that minimises what they owe, set it, file the return (standard or itemized as the "
            "rules require) and report the balance due.",
        ],
        "conditional_pension": [
            "{{taxpayer}} has a late {{kind}} slip: {{amount}} from {{payer}}, {{withheld}} withheld — record it. "
            "If their balance due would then be above {{threshold}}, also record a receipted retirement "
            "contribution of {{pension}} before filing. File the return with the deduction method the policy "
            "requires and tell me the final balance due.",
            "Record {{taxpayer}}'s missing {{kind}} income ({{payer}}, {{amount}}, tax withheld {{withheld}}). Should "
            "that leave them owing more than {{threshold}}, add a retirement contribution of {{pension}} (with "
            "receipt) as well. Then file under the required deduction method and report the balance due.",
        ],
    }

    # ---- database ---------------------------------------------------------------------------------

    def build(self, rng: random.Random) -> None:
        self.db.executescript("""
            CREATE TABLE tax_year (id INTEGER PRIMARY KEY, year INTEGER, child_credit REAL);
            CREATE TABLE filing_rules (id INTEGER PRIMARY KEY, status TEXT UNIQUE, standard_deduction REAL);
            CREATE TABLE brackets (id INTEGER PRIMARY KEY, status TEXT, upper REAL, rate REAL);
            CREATE TABLE deduction_caps (id INTEGER PRIMARY KEY, category TEXT UNIQUE, cap_amount REAL,
                cap_percent REAL, floor_percent REAL);
            CREATE TABLE taxpayers (id INTEGER PRIMARY KEY, name TEXT UNIQUE, married INTEGER, dependents INTEGER,
                filing_status TEXT);
            CREATE TABLE income_items (id INTEGER PRIMARY KEY, taxpayer_id INTEGER, kind TEXT, payer TEXT,
                amount REAL, withheld REAL);
            CREATE TABLE deduction_items (id INTEGER PRIMARY KEY, taxpayer_id INTEGER, category TEXT,
                description TEXT, amount REAL, has_receipt INTEGER);
            CREATE TABLE returns (id INTEGER PRIMARY KEY, taxpayer_id INTEGER UNIQUE, filing_status TEXT,
                method TEXT, gross_income REAL, deduction REAL, taxable REAL, tax REAL, credits REAL, withheld REAL,
                balance_due REAL);
        """)
        index = rng.choice([0.96, 0.98, 1.0, 1.02, 1.04, 1.06])  # yearly inflation adjustment of the thresholds
        self.db.execute("INSERT INTO tax_year VALUES (1, ?, ?)", (rng.randint(2024, 2027),
                                                                  float(rng.choice([1800, 2000, 2200]))))
        for status in STATUSES:
            self.db.execute("INSERT INTO filing_rules (status, standard_deduction) VALUES (?, ?)",
                            (status, float(round(STANDARD[status] * index / 50) * 50)))
            for upper, rate in BRACKETS[status]:
                self.db.execute("INSERT INTO brackets (status, upper, rate) VALUES (?, ?, ?)",
                                (status, None if upper is None else float(round(upper * index / 50) * 50), rate))
        for category, (cap, percent, floor) in CAPS.items():
            if category == "charity" and "charity_cap_20" in self.variant.rules:
                percent = 20
            self.db.execute("INSERT INTO deduction_caps (category, cap_amount, cap_percent, floor_percent) VALUES "
                            "(?, ?, ?, ?)", (category, cap, percent, floor))
        n = {"small": (30, 40), "medium": (55, 75), "large": (100, 130)}[self.variant.scale]
        for name in rng.sample([f"{f} {l}" for f in FIRST for l in LAST], rng.randint(*n)):
            married = int(rng.random() < 0.35)
            dependents = rng.choices([0, 1, 2, 3], [5, 3, 3, 1])[0]
            status = "married_joint" if married else rng.choice(
                ["single"] + (["head_of_household"] if dependents else []))
            tid = self.db.execute("INSERT INTO taxpayers (name, married, dependents, filing_status) VALUES "
                                  "(?, ?, ?, ?)", (name, married, dependents, status)).lastrowid
            self._build_items(rng, tid, married)
        for t in self.rows("SELECT id FROM taxpayers ORDER BY id"):
            if rng.random() < 0.2:
                self._file(t["id"], self._required_method(t["id"]))

    def _build_items(self, rng: random.Random, taxpayer_id: int, married: bool) -> None:
        kinds = ["wages"] * (2 if married and rng.random() < 0.7 else 1) + rng.sample(
            ["interest", "dividends", "freelance", "rental"], rng.randint(0, 3))
        for kind in kinds:
            amount = round(rng.uniform(28000, 140000) if kind == "wages" else rng.uniform(150, 24000), 2)
            withheld = round(amount * rng.uniform(0.08, 0.22), 2) if kind == "wages" else (
                round(amount * 0.1, 2) if rng.random() < 0.3 else 0.0)
            self.db.execute("INSERT INTO income_items (taxpayer_id, kind, payer, amount, withheld) VALUES "
                            "(?, ?, ?, ?, ?)", (taxpayer_id, kind, rng.choice(INCOME_KINDS[kind]), amount, withheld))
        big = rng.random() < 0.45  # homeowners with large deductions tend to itemize
        for category in rng.sample(sorted(CAPS), rng.randint(2, 6)):
            for _ in range(rng.randint(1, 3)):
                scale = {"mortgage_interest": 9000 if big else 2500, "state_local_tax": 6000, "charity": 2500,
                         "medical": 5000, "education": 1800, "retirement": 3500}[category]
                self.db.execute("INSERT INTO deduction_items (taxpayer_id, category, description, amount, "
                                "has_receipt) VALUES (?, ?, ?, ?, ?)",
                                (taxpayer_id, category, DEDUCTION_TEXT[category], round(rng.uniform(0.1, 1) * scale,
                                                                                        2),
                                 int(rng.random() < 0.8)))

    # ---- the tax computation (shared by tools and proposers) --------------------------------------

    def _taxpayer(self, taxpayer_id: int) -> dict:
        row = self.db.execute("SELECT * FROM taxpayers WHERE id = ?", (taxpayer_id,)).fetchone()
        if row is None:
            raise ValueError(f"no taxpayer with id {taxpayer_id}; use find_taxpayers")
        return dict(row)

    def _gross(self, taxpayer_id: int) -> float:
        return round(self.db.execute("SELECT COALESCE(SUM(amount), 0) FROM income_items WHERE taxpayer_id = ?",
                                     (taxpayer_id,)).fetchone()[0], 2)

    def _itemized(self, taxpayer_id: int) -> float:
        gross, total = self._gross(taxpayer_id), 0.0
        for cap in self.rows("SELECT * FROM deduction_caps"):
            s = self.db.execute("SELECT COALESCE(SUM(amount), 0) FROM deduction_items WHERE taxpayer_id = ? AND "
                                "category = ? AND has_receipt = 1", (taxpayer_id, cap["category"])).fetchone()[0]
            if cap["cap_amount"] is not None:
                s = min(s, cap["cap_amount"])
            if cap["cap_percent"] is not None:
                s = min(s, gross * cap["cap_percent"] / 100)
            if cap["floor_percent"] is not None:
                s = max(0.0, s - gross * cap["floor_percent"] / 100)
            total += s
        return round(total, 2)

    def _standard(self, status: str) -> float:
        return self.db.execute("SELECT standard_deduction FROM filing_rules WHERE status = ?", (status,)).fetchone()[0]

    def _bands(self, status: str) -> list[list]:
        return [[r["upper"], r["rate"]] for r in self.rows("SELECT upper, rate FROM brackets WHERE status = ? "
                                                           "ORDER BY upper IS NULL, upper", status)]

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
        child = self.db.execute("SELECT child_credit FROM tax_year").fetchone()[0] * taxpayer["dependents"]
        credits = round(min(tax, child), 2)
        withheld = round(self.db.execute("SELECT COALESCE(SUM(withheld), 0) FROM income_items WHERE taxpayer_id = ?",
                                         (taxpayer_id,)).fetchone()[0], 2)
        return {"filing_status": status, "method": method, "gross_income": gross, "deduction": deduction,
                "taxable": taxable, "tax": tax, "credits": credits, "withheld": withheld,
                "balance_due": round(tax - credits - withheld, 2)}

    def _file(self, taxpayer_id: int, method: str) -> dict:
        result = self._compute(taxpayer_id, method)
        self.db.execute("INSERT INTO returns (taxpayer_id, filing_status, method, gross_income, deduction, taxable, "
                        "tax, credits, withheld, balance_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (taxpayer_id, *result.values()))
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
        return {"filing_status": filing_status, "standard_deduction": self._standard(filing_status),
                "brackets": self.rows("SELECT upper, rate FROM brackets WHERE status = ? ORDER BY upper IS NULL, "
                                      "upper", filing_status),
                "child_credit_per_dependent": self.db.execute("SELECT child_credit FROM tax_year").fetchone()[0],
                "deduction_limits": self.rows("SELECT category, cap_amount, cap_percent, floor_percent FROM "
                                              "deduction_caps ORDER BY category")}

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
        return self.rows("SELECT id, kind, payer, amount, withheld FROM income_items WHERE taxpayer_id = ? "
                         "ORDER BY id", taxpayer_id)

    @tool("read")
    def list_deductions(self, taxpayer_id: int) -> list[dict]:
        """A taxpayer's deduction items: category, description, amount and whether a receipt is on file.

        Args:
            taxpayer_id: The taxpayer's id.
        """
        self._taxpayer(taxpayer_id)
        rows = self.rows("SELECT id, category, description, amount, has_receipt FROM deduction_items WHERE "
                         "taxpayer_id = ? ORDER BY id", taxpayer_id)
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
        item = self.db.execute("INSERT INTO income_items (taxpayer_id, kind, payer, amount, withheld) VALUES "
                               "(?, ?, ?, ?, ?)", (taxpayer_id, kind, payer.strip(), round(amount, 2),
                                                   round(withheld, 2))).lastrowid
        return {"id": item, "kind": kind, "payer": payer.strip(), "amount": round(amount, 2)}

    @tool("write")
    def add_deduction(self, taxpayer_id: int, category: str, description: str, amount: float,
                      has_receipt: bool) -> dict:
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
        item = self.db.execute("INSERT INTO deduction_items (taxpayer_id, category, description, amount, has_receipt) "
                               "VALUES (?, ?, ?, ?, ?)", (taxpayer_id, category, description.strip(),
                                                          round(amount, 2), int(has_receipt))).lastrowid
        return {"id": item, "category": category, "amount": round(amount, 2), "has_receipt": has_receipt}

    @tool("write")
    def remove_deduction(self, item_id: int) -> dict:
        """Delete a deduction item.

        Args:
            item_id: The deduction item's id.
        """
        row = self.db.execute("SELECT * FROM deduction_items WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            raise ValueError(f"no deduction item {item_id}")
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
            raise ValueError(f"policy: this return must use the {required} deduction "
                             f"(itemized {self._itemized(taxpayer_id)} vs standard)")
        return self._file(taxpayer_id, deduction_method)

    # ---- proposers ----------------------------------------------------------------------------------

    def _unfiled(self, rng: random.Random) -> dict:
        return rng.choice(self.rows("SELECT * FROM taxpayers WHERE id NOT IN (SELECT taxpayer_id FROM returns) "
                                    "ORDER BY id"))

    def _rules(self) -> dict:
        return {"hoh_dependents": 2 if "hoh_two_dependents" in self.variant.rules else 1}

    def _after(self, changes) -> dict:
        """Run `changes()` then file, on a scratch copy; returns the filed figures."""
        real = self.db
        self.db = self.snapshot()
        try:
            return changes()
        finally:
            self.db.close()
            self.db = real

    @proposer(difficulty=1)
    def propose_withheld(self, rng: random.Random) -> TaskDraft | None:
        taxpayer = rng.choice(self.rows("SELECT * FROM taxpayers ORDER BY id"))
        withheld = self.db.execute("SELECT SUM(withheld) FROM income_items WHERE taxpayer_id = ?",
                                   (taxpayer["id"],)).fetchone()[0]
        return TaskDraft(
            shape="withheld",
            instruction=self.render("withheld", rng, taxpayer=taxpayer["name"]),
            solution=Program.of(solve_withheld, taxpayer=taxpayer["name"]),
            verifier=Program.of(verify_number, expected=round(withheld, 2), tolerance=0.01),
            tools=("find_taxpayers", "get_taxpayer", "list_income", "list_deductions"),
        )

    @proposer(difficulty=1)
    def propose_income_from(self, rng: random.Random) -> TaskDraft | None:
        item = rng.choice(self.rows("SELECT i.*, t.name FROM income_items i JOIN taxpayers t ON t.id = i.taxpayer_id "
                                    "ORDER BY i.id"))
        same = self.rows("SELECT amount FROM income_items WHERE taxpayer_id = ? AND payer = ? AND kind = ?",
                         item["taxpayer_id"], item["payer"], item["kind"])
        spec = {"taxpayer": item["name"], "payer": item["payer"], "kind": item["kind"]}
        return TaskDraft(
            shape="income_from",
            instruction=self.render("income_from", rng, **spec),
            solution=Program.of(solve_income_from, **spec),
            verifier=Program.of(verify_number, expected=round(sum(s["amount"] for s in same), 2), tolerance=0.01),
            tools=("find_taxpayers", "list_income", "list_deductions"),
        )

    @proposer(difficulty=2)
    def propose_gross_income(self, rng: random.Random) -> TaskDraft | None:
        taxpayer = rng.choice(self.rows("SELECT * FROM taxpayers ORDER BY id"))
        return TaskDraft(
            shape="gross_income",
            instruction=self.render("gross_income", rng, taxpayer=taxpayer["name"]),
            solution=Program.of(solve_gross_income, taxpayer=taxpayer["name"]),
            verifier=Program.of(verify_number, expected=self._gross(taxpayer["id"]), tolerance=0.01),
            tools=("find_taxpayers", "get_taxpayer", "list_income"),
        )

    @proposer(difficulty=2)
    def propose_itemized(self, rng: random.Random) -> TaskDraft | None:
        taxpayer = rng.choice(self.rows("SELECT * FROM taxpayers ORDER BY id"))
        return TaskDraft(
            shape="itemized",
            instruction=self.render("itemized", rng, taxpayer=taxpayer["name"]),
            solution=Program.of(solve_itemized, taxpayer=taxpayer["name"]),
            verifier=Program.of(verify_number, expected=self._itemized(taxpayer["id"]), tolerance=0.02),
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
            verifier=Program.of(verify_number, expected=bracket_tax(taxable, self._bands(status)), tolerance=0.02),
            tools=("get_tax_rules", "find_taxpayers"),
        )

    @proposer(difficulty=3)
    def propose_file_best(self, rng: random.Random) -> TaskDraft | None:
        taxpayer = self._unfiled(rng)
        result = self._compute(taxpayer["id"], self._required_method(taxpayer["id"]))
        return TaskDraft(
            shape="file_best",
            instruction=self.render("file_best", rng, taxpayer=taxpayer["name"]),
            solution=Program.of(solve_file_best, taxpayer=taxpayer["name"]),
            verifier=Program.of(verify_tax, filed=[taxpayer["id"], result["filing_status"], result["method"]],
                                balance=result["balance_due"]),
            tools=self.available_tools("find_taxpayers", "get_taxpayer", "list_income", "list_deductions", "get_tax_rules",
                              "estimate_tax", "file_return"),
        )

    @proposer(difficulty=3)
    def propose_clean_deductions(self, rng: random.Random) -> TaskDraft | None:
        with_gaps = self.rows("SELECT * FROM taxpayers WHERE id NOT IN (SELECT taxpayer_id FROM returns) AND id IN "
                              "(SELECT taxpayer_id FROM deduction_items WHERE has_receipt = 0) ORDER BY id")
        if not with_gaps:
            return None
        taxpayer = rng.choice(with_gaps)
        items = self.rows("SELECT id, category FROM deduction_items WHERE taxpayer_id = ? AND has_receipt = 0",
                          taxpayer["id"])
        if not items:
            return None
        category = rng.choice([None, rng.choice(items)["category"]])
        spec = {"taxpayer": taxpayer["name"], "category": category}
        return TaskDraft(
            shape="clean_deductions",
            instruction=self.render("clean_deductions", rng, **spec),
            solution=Program.of(solve_clean_deductions, **spec),
            verifier=Program.of(verify_tax, removed=[i["id"] for i in items if category in (None, i["category"])]),
            tools=("find_taxpayers", "list_deductions", "remove_deduction", "add_deduction"),
        )

    def _late_slip(self, rng: random.Random) -> dict:
        kind = rng.choice(["interest", "dividends", "freelance", "wages"])
        amount = round(rng.uniform(400, 30000), 2)
        return {"kind": kind, "payer": rng.choice(INCOME_KINDS[kind]), "amount": amount,
                "withheld": round(amount * rng.choice([0, 0.05, 0.1, 0.2]), 2)}

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
            verifier=Program.of(verify_tax, filed=[taxpayer["id"], result["filing_status"], result["method"]],
                                balance=result["balance_due"], income=[[slip["kind"], slip["amount"]]],
                                deductions=[[category, deduction]]),
        )

    @proposer(difficulty=5)
    def propose_best_status(self, rng: random.Random) -> TaskDraft | None:
        taxpayer = self._unfiled(rng)
        unreceipted = [r["id"] for r in self.rows("SELECT id FROM deduction_items WHERE taxpayer_id = ? AND "
                                                  "has_receipt = 0", taxpayer["id"])]
        statuses = self._allowed_statuses(taxpayer)
        if len(statuses) < 2 and not unreceipted:
            return None

        def changes() -> list[dict]:
            self.db.execute("DELETE FROM deduction_items WHERE taxpayer_id = ? AND has_receipt = 0",
                            (taxpayer["id"],))
            return [self._compute(taxpayer["id"], self._required_method(taxpayer["id"], s), s) for s in statuses]

        options = sorted(self._after(changes), key=lambda r: r["balance_due"])
        if len(options) > 1 and options[0]["balance_due"] == options[1]["balance_due"]:
            return None
        best = options[0]
        return TaskDraft(
            shape="best_status",
            instruction=self.render("best_status", rng, taxpayer=taxpayer["name"]),
            solution=Program.of(solve_best_status, taxpayer=taxpayer["name"], **self._rules()),
            verifier=Program.of(verify_tax, filed=[taxpayer["id"], best["filing_status"], best["method"]],
                                balance=best["balance_due"], removed=unreceipted,
                                status=[taxpayer["id"], best["filing_status"]]),
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
        return TaskDraft(
            shape="conditional_pension",
            instruction=self.render("conditional_pension", rng, **spec),
            solution=Program.of(solve_conditional_pension, **spec),
            verifier=Program.of(verify_tax, filed=[taxpayer["id"], result["filing_status"], result["method"]],
                                balance=result["balance_due"], income=[[slip["kind"], slip["amount"]]],
                                deductions=[["retirement", pension]] if add else []),
        )


# ---- solutions: tools and computation only --------------------------------------------------------

def solve_withheld(tools, params):
    taxpayer = next(t for t in tools.find_taxpayers(name=params["taxpayer"]) if t["name"] == params["taxpayer"])
    return round(sum(i["withheld"] for i in tools.list_income(taxpayer_id=taxpayer["id"])), 2)


def solve_income_from(tools, params):
    taxpayer = next(t for t in tools.find_taxpayers(name=params["taxpayer"]) if t["name"] == params["taxpayer"])
    return round(sum(i["amount"] for i in tools.list_income(taxpayer_id=taxpayer["id"])
                     if i["payer"] == params["payer"] and i["kind"] == params["kind"]), 2)


def solve_gross_income(tools, params):
    taxpayer = next(t for t in tools.find_taxpayers(name=params["taxpayer"]) if t["name"] == params["taxpayer"])
    return round(sum(i["amount"] for i in tools.list_income(taxpayer_id=taxpayer["id"])), 2)


def solve_itemized(tools, params):
    taxpayer = next(t for t in tools.find_taxpayers(name=params["taxpayer"]) if t["name"] == params["taxpayer"])
    gross = sum(i["amount"] for i in tools.list_income(taxpayer_id=taxpayer["id"]))
    limits = tools.get_tax_rules(filing_status=taxpayer["filing_status"])["deduction_limits"]
    items = tools.list_deductions(taxpayer_id=taxpayer["id"])
    total = 0.0
    for limit in limits:
        s = sum(i["amount"] for i in items if i["category"] == limit["category"] and i["has_receipt"])
        if limit["cap_amount"] is not None:
            s = min(s, limit["cap_amount"])
        if limit["cap_percent"] is not None:
            s = min(s, gross * limit["cap_percent"] / 100)
        if limit["floor_percent"] is not None:
            s = max(0.0, s - gross * limit["floor_percent"] / 100)
        total += s
    return round(total, 2)


def solve_bracket_tax(tools, params):
    tax, lower, taxable = 0.0, 0.0, params["taxable"]
    for band in tools.get_tax_rules(filing_status=params["status"])["brackets"]:
        top = taxable if band["upper"] is None else min(taxable, band["upper"])
        if top > lower:
            tax += (top - lower) * band["rate"] / 100
        if band["upper"] is None or taxable <= band["upper"]:
            break
        lower = band["upper"]
    return round(tax, 2)


def solve_file_best(tools, params):
    taxpayer = next(t for t in tools.find_taxpayers(name=params["taxpayer"]) if t["name"] == params["taxpayer"])
    rules = tools.get_tax_rules(filing_status=taxpayer["filing_status"])
    gross = sum(i["amount"] for i in tools.list_income(taxpayer_id=taxpayer["id"]))
    items = tools.list_deductions(taxpayer_id=taxpayer["id"])
    itemized = 0.0
    for limit in rules["deduction_limits"]:
        s = sum(i["amount"] for i in items if i["category"] == limit["category"] and i["has_receipt"])
        if limit["cap_amount"] is not None:
            s = min(s, limit["cap_amount"])
        if limit["cap_percent"] is not None:
            s = min(s, gross * limit["cap_percent"] / 100)
        if limit["floor_percent"] is not None:
            s = max(0.0, s - gross * limit["floor_percent"] / 100)
        itemized += s
    method = "itemized" if round(itemized, 2) > rules["standard_deduction"] else "standard"
    result = tools.file_return(taxpayer_id=taxpayer["id"], deduction_method=method)
    return f"Filed ({method}); balance due {result['balance_due']}"


def solve_clean_deductions(tools, params):
    taxpayer = next(t for t in tools.find_taxpayers(name=params["taxpayer"]) if t["name"] == params["taxpayer"])
    removed = []
    for item in tools.list_deductions(taxpayer_id=taxpayer["id"]):
        if not item["has_receipt"] and params["category"] in (None, item["category"]):
            tools.remove_deduction(item_id=item["id"])
            removed.append(item["id"])
    return f"Removed {removed}"


def solve_late_forms(tools, params):
    taxpayer = next(t for t in tools.find_taxpayers(name=params["taxpayer"]) if t["name"] == params["taxpayer"])
    tools.add_income(taxpayer_id=taxpayer["id"], kind=params["kind"], payer=params["payer"], amount=params["amount"],
                     withheld=params["withheld"])
    tools.add_deduction(taxpayer_id=taxpayer["id"], category=params["category"], description="late receipt",
                        amount=params["deduction"], has_receipt=True)
    rules = tools.get_tax_rules(filing_status=taxpayer["filing_status"])
    gross = sum(i["amount"] for i in tools.list_income(taxpayer_id=taxpayer["id"]))
    items = tools.list_deductions(taxpayer_id=taxpayer["id"])
    itemized = 0.0
    for limit in rules["deduction_limits"]:
        s = sum(i["amount"] for i in items if i["category"] == limit["category"] and i["has_receipt"])
        if limit["cap_amount"] is not None:
            s = min(s, limit["cap_amount"])
        if limit["cap_percent"] is not None:
            s = min(s, gross * limit["cap_percent"] / 100)
        if limit["floor_percent"] is not None:
            s = max(0.0, s - gross * limit["floor_percent"] / 100)
        itemized += s
    method = "itemized" if round(itemized, 2) > rules["standard_deduction"] else "standard"
    result = tools.file_return(taxpayer_id=taxpayer["id"], deduction_method=method)
    return f"Filed ({method}); balance due {result['balance_due']}"


def solve_best_status(tools, params):
    taxpayer = next(t for t in tools.find_taxpayers(name=params["taxpayer"]) if t["name"] == params["taxpayer"])
    for item in tools.list_deductions(taxpayer_id=taxpayer["id"]):
        if not item["has_receipt"]:
            tools.remove_deduction(item_id=item["id"])
    if taxpayer["married"]:
        statuses = ["married_joint"]
    else:
        statuses = ["single"] + (["head_of_household"] if taxpayer["dependents"] >= params["hoh_dependents"] else [])
    incomes = tools.list_income(taxpayer_id=taxpayer["id"])
    gross = sum(i["amount"] for i in incomes)
    withheld = sum(i["withheld"] for i in incomes)
    items = tools.list_deductions(taxpayer_id=taxpayer["id"])
    best = None
    for status in statuses:
        rules = tools.get_tax_rules(filing_status=status)
        itemized = 0.0
        for limit in rules["deduction_limits"]:
            s = sum(i["amount"] for i in items if i["category"] == limit["category"] and i["has_receipt"])
            if limit["cap_amount"] is not None:
                s = min(s, limit["cap_amount"])
            if limit["cap_percent"] is not None:
                s = min(s, gross * limit["cap_percent"] / 100)
            if limit["floor_percent"] is not None:
                s = max(0.0, s - gross * limit["floor_percent"] / 100)
            itemized += s
        itemized = round(itemized, 2)
        method = "itemized" if itemized > rules["standard_deduction"] else "standard"
        taxable = max(0.0, round(gross, 2) - (itemized if method == "itemized" else rules["standard_deduction"]))
        tax, lower = 0.0, 0.0
        for band in rules["brackets"]:
            top = taxable if band["upper"] is None else min(taxable, band["upper"])
            if top > lower:
                tax += (top - lower) * band["rate"] / 100
            if band["upper"] is None or taxable <= band["upper"]:
                break
            lower = band["upper"]
        tax = round(tax, 2)
        due = tax - min(tax, rules["child_credit_per_dependent"] * taxpayer["dependents"]) - withheld
        if best is None or due < best[0]:
            best = (due, status, method)
    if best[1] != taxpayer["filing_status"]:
        tools.set_filing_status(taxpayer_id=taxpayer["id"], filing_status=best[1])
    result = tools.file_return(taxpayer_id=taxpayer["id"], deduction_method=best[2])
    return f"Filed as {best[1]} ({best[2]}); balance due {result['balance_due']}"


def solve_conditional_pension(tools, params):
    taxpayer = next(t for t in tools.find_taxpayers(name=params["taxpayer"]) if t["name"] == params["taxpayer"])
    tools.add_income(taxpayer_id=taxpayer["id"], kind=params["kind"], payer=params["payer"], amount=params["amount"],
                     withheld=params["withheld"])
    rules = tools.get_tax_rules(filing_status=taxpayer["filing_status"])

    def figures():
        incomes = tools.list_income(taxpayer_id=taxpayer["id"])
        gross = sum(i["amount"] for i in incomes)
        items = tools.list_deductions(taxpayer_id=taxpayer["id"])
        itemized = 0.0
        for limit in rules["deduction_limits"]:
            s = sum(i["amount"] for i in items if i["category"] == limit["category"] and i["has_receipt"])
            if limit["cap_amount"] is not None:
                s = min(s, limit["cap_amount"])
            if limit["cap_percent"] is not None:
                s = min(s, gross * limit["cap_percent"] / 100)
            if limit["floor_percent"] is not None:
                s = max(0.0, s - gross * limit["floor_percent"] / 100)
            itemized += s
        itemized = round(itemized, 2)
        method = "itemized" if itemized > rules["standard_deduction"] else "standard"
        taxable = max(0.0, round(gross, 2) - (itemized if method == "itemized" else rules["standard_deduction"]))
        tax, lower = 0.0, 0.0
        for band in rules["brackets"]:
            top = taxable if band["upper"] is None else min(taxable, band["upper"])
            if top > lower:
                tax += (top - lower) * band["rate"] / 100
            if band["upper"] is None or taxable <= band["upper"]:
                break
            lower = band["upper"]
        tax = round(tax, 2)
        due = tax - min(tax, rules["child_credit_per_dependent"] * taxpayer["dependents"]) - sum(
            i["withheld"] for i in incomes)
        return round(due, 2), method

    due, method = figures()
    if due > params["threshold"]:
        tools.add_deduction(taxpayer_id=taxpayer["id"], category="retirement", description="pension contribution",
                            amount=params["pension"], has_receipt=True)
        due, method = figures()
    result = tools.file_return(taxpayer_id=taxpayer["id"], deduction_method=method)
    return f"Filed ({method}); balance due {result['balance_due']}"


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_tax(outcome, params):
    """filed: [taxpayer id, status, method] of the one new return; balance: the balance due the answer must state
    (as an amount owed or refunded); removed: deduction item ids deleted; income / deductions: [kind or category,
    amount] of new items; status: [taxpayer id, new filing status]."""
    from verifiers.answers import numbers_in
    from verifiers.state import diff_table, unchanged

    reasons = []
    returns, gone, altered = diff_table(outcome.initial, outcome.db, "returns")
    want = params.get("filed")
    got = [[r["taxpayer_id"], r["filing_status"], r["method"]] for r in returns]
    if gone or altered or got != ([want] if want else []):
        reasons.append(f"new returns {got} differ from the expected {[want] if want else []}")
    if want and returns and abs(returns[0]["balance_due"] - params["balance"]) > 0.01:
        reasons.append(f"the return shows {returns[0]['balance_due']}, expected {params['balance']}")
    if "balance" in params:
        found = numbers_in(outcome.answer)
        if not found or any(abs(abs(n) - abs(params["balance"])) > 0.01 for n in found):
            reasons.append(f"the answer should state the balance {params['balance']}, got {outcome.answer!r}")
    items, gone, altered = diff_table(outcome.initial, outcome.db, "deduction_items")
    if altered or sorted(r["id"] for r in gone) != sorted(params.get("removed", [])):
        reasons.append(f"removed deduction items {[r['id'] for r in gone]}, expected {params.get('removed', [])}")
    new = sorted([d["category"], round(d["amount"], 2)] for d in items if d["has_receipt"])
    if len(new) != len(items) or new != sorted(params.get("deductions", [])):
        reasons.append(f"new deduction items {new} differ from the expected {params.get('deductions', [])}")
    income, gone, altered = diff_table(outcome.initial, outcome.db, "income_items")
    new = sorted([i["kind"], round(i["amount"], 2)] for i in income)
    if gone or altered or new != sorted(params.get("income", [])):
        reasons.append(f"new income items {new} differ from the expected {params.get('income', [])}")
    people = diff_table(outcome.initial, outcome.db, "taxpayers")[2]
    status = params.get("status")
    expected = [] if not status or outcome.initial_rows("SELECT filing_status FROM taxpayers WHERE id = ?",
                                                        status[0])[0]["filing_status"] == status[1] else [status]
    if [[p["id"], p["filing_status"]] for p in people] != expected:
        reasons.append(f"taxpayer changes {[[p['id'], p['filing_status']] for p in people]}, expected {expected}")
    if other := unchanged(outcome.initial, outcome.db, ["tax_year", "filing_rules", "brackets", "deduction_caps"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons
