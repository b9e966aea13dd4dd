"""Insurance claims: policyholders, policies with coverages and deductibles, claims, adjusters, fraud review."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool
from verifiers.common import verify_names, verify_number

FIRST = ["Adela", "Bertram", "Cordelia", "Desmond", "Esme", "Fabian", "Georgina", "Horatio", "Ingrid", "Jules",
         "Kasimir", "Leonie", "Magnus", "Noor", "Octavia", "Piers", "Ramona", "Sebastian", "Tova", "Wilhelmina"]
LAST = ["Ambrose", "Blackwood", "Castellan", "Drayton", "Ellery", "Fenwick", "Garrick", "Hollander", "Ivory",
        "Jarrow", "Kilbride", "Lockhart", "Mortimer", "Newbold", "Oswin", "Prescott", "Redgrave", "Sinclair"]
PERILS = {  # product: peril -> (limit range, deductible choices)
    "auto": {"collision": ((8000, 30000), [250, 500, 1000]), "theft": ((5000, 25000), [250, 500]),
             "glass": ((500, 2000), [0, 50, 100])},
    "home": {"fire": ((50000, 300000), [500, 1000, 2500]), "water": ((5000, 40000), [500, 1000]),
             "storm": ((10000, 80000), [500, 1000]), "theft": ((3000, 20000), [250, 500])},
    "travel": {"medical": ((10000, 100000), [0, 100, 250]), "baggage": ((1000, 3000), [50, 100]),
               "cancellation": ((1000, 5000), [0, 100])},
    "health": {"hospital": ((20000, 100000), [500, 1000]), "dental": ((500, 2000), [0, 50])},
}
STATUSES = ["open", "approved", "denied", "paid", "review"]


class InsuranceEnv(EnvTemplate):
    name = "insurance"
    version = "1.0.0"
    category = "insurance claims"
    description = ("An insurer's claims desk: look up policyholders, policies and their coverages, claims and "
                   "adjusters; file claims, assign adjusters, approve, deny or flag claims for fraud review, and "
                   "pay approved claims.")
    policy = (
        "Act only on the policyholders, policies and claims named in the request and change nothing else. Dates "
        "count from the office's today (get_office_info). Claims are decided in this order of checks. (1) Fraud: "
        "a claim must be flagged for review (not decided) if its incident happened within 30 days after the policy "
        "started and it claims more than half of the peril's limit, or if the policyholder has 3 or more other "
        "claims with incidents in the 365 days before this incident. (2) Cover: a claim is denied if the policy was "
        "cancelled, the incident date is outside the policy period, the policy has no coverage for the peril, or "
        "the claim was reported more than 30 days after the incident. (3) Amount: the payout is the claimed amount "
        "limited to what remains of the peril's limit on that policy (the limit minus payouts already approved or "
        "paid for that peril), minus the deductible; a payout of zero or less is denied, otherwise the claim is "
        "approved for exactly the payout. Every decision is made by the claim's assigned adjuster, whose specialty "
        "must be the policy's product; approvals above 10000 need a senior adjuster. A claim is assigned (or "
        "reassigned) to the eligible adjuster with the fewest open claims (open or in review), the lowest id on a "
        "tie, and never beyond an adjuster's capacity. Only approved claims are paid, for their approved amount."
    )
    variants = VariantSpace(
        optional_tools=("get_office_info", "list_policies"),
        renames={"approve_claim": ("accept_claim",), "flag_for_review": ("refer_to_fraud_team", "flag_claim"),
                 "list_claims": ("search_claims",), "assign_adjuster": ("route_claim",)},
        rules={"report_window_14": "Claims must be reported within 14 days of the incident instead of 30.",
               "senior_over_5000": "Approvals above 5000 (instead of 10000) need a senior adjuster."},
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "claim_status": [
            "What is the status of claim {{number}}?",
            "Tell me the current status of claim {{number}}.",
        ],
        "deductible": [
            "What is the {{peril}} deductible on policy {{policy}}?",
            "How large is the deductible for {{peril}} claims under policy {{policy}}?",
        ],
        "paid_total": [
            "How much has been paid out in total on {{holder}}'s claims?",
            "Add up every claim payment made to {{holder}} so far.",
        ],
        "remaining_limit": [
            "How much of the {{peril}} limit on policy {{policy}} is still available, after the payouts already "
            "approved or paid?",
            "What remains of policy {{policy}}'s {{peril}} limit once approved and paid payouts are taken off?",
        ],
        "busiest_adjuster": [
            "Which {{product}} adjuster currently has the most open claims (open or in review)?",
            "Among the adjusters specialising in {{product}}, who carries the largest open caseload?",
        ],
        "adjudicate": [
            "Decide claim {{number}} under the policy: flag it, deny it or approve it for the right payout, "
            "reassigning it first if its adjuster may not make that decision.",
            "Please adjudicate claim {{number}} following the claims rules (fraud review, cover, payout), making sure "
            "the adjuster who decides it is allowed to.",
        ],
        "assign_queue": [
            "Assign every unassigned open {{product}} claim, in order of claim number, to the adjuster the policy "
            "prescribes.",
            "Route the open {{product}} claims that have no adjuster yet, lowest claim number first, following the "
            "assignment rule.",
        ],
        "file_and_decide": [
            "{{holder}} reports a {{peril}} incident on {{incident}} under policy {{policy}}, claiming {{amount}}. "
            "File the claim, assign it to the right adjuster, and decide it under the policy.",
            "File a {{peril}} claim for {{amount}} on policy {{policy}} ({{holder}}, incident date {{incident}}), "
            "route it to the prescribed adjuster and adjudicate it.",
        ],
        "holder_queue": [
            "Work through all open claims of {{holder}}, lowest claim number first: make sure each has the right "
            "adjuster (assign or reassign as the policy requires) and decide it.",
            "Adjudicate every open claim that {{holder}} has, in claim-number order, assigning or reassigning "
            "adjusters where the rules call for it.",
        ],
        "triage": [
            "Clear the open {{product}} claims with incidents from {{start}} to {{end}}, lowest claim number first: "
            "give each the right adjuster (assigning or reassigning as needed), decide it under the policy, and pay "
            "right away every one you approve for at most {{pay_limit}}.",
            "Triage open {{product}} claims whose incident date falls between {{start}} and {{end}} in claim-number "
            "order — route, adjudicate, and immediately pay approvals of {{pay_limit}} or less.",
        ],
        "multi_file": [
            "{{holder}} had one incident on {{incident}} affecting policy {{policy}}: file separate claims for "
            "{{items}}. Then, one claim at a time in that order, assign the prescribed adjuster, decide it, and pay "
            "it if approved.",
            "File {{holder}}'s claims under policy {{policy}} for an incident on {{incident}} — {{items}} — and "
            "for each, in the listed order, route it, adjudicate it and pay it if it is approved.",
        ],
    }

    # ---- database ---------------------------------------------------------------------------------

    def build(self, rng: random.Random) -> None:
        self.db.executescript("""
            CREATE TABLE office (id INTEGER PRIMARY KEY, today TEXT, report_days INTEGER, senior_threshold REAL);
            CREATE TABLE policyholders (id INTEGER PRIMARY KEY, name TEXT UNIQUE, email TEXT);
            CREATE TABLE policies (id INTEGER PRIMARY KEY, number TEXT UNIQUE, holder_id INTEGER, product TEXT,
                start_date TEXT, end_date TEXT, premium REAL, status TEXT);
            CREATE TABLE coverages (id INTEGER PRIMARY KEY, policy_id INTEGER, peril TEXT, limit_amount REAL,
                deductible REAL);
            CREATE TABLE adjusters (id INTEGER PRIMARY KEY, name TEXT, specialty TEXT, senior INTEGER,
                capacity INTEGER);
            CREATE TABLE claims (id INTEGER PRIMARY KEY, number TEXT UNIQUE, policy_id INTEGER, peril TEXT,
                incident_date TEXT, reported_date TEXT, amount_claimed REAL, status TEXT, adjuster_id INTEGER,
                approved_amount REAL, fraud_flag INTEGER, note TEXT);
            CREATE TABLE payments (id INTEGER PRIMARY KEY, claim_id INTEGER, amount REAL, paid_on TEXT);
        """)
        today = dt.date(2026, rng.randint(2, 11), rng.randint(1, 28))
        self.db.execute("INSERT INTO office VALUES (1, ?, ?, ?)", (
            today.isoformat(), 14 if "report_window_14" in self.variant.rules else 30,
            5000.0 if "senior_over_5000" in self.variant.rules else 10000.0))
        names = [f"{f} {l}" for f in FIRST for l in LAST]
        rng.shuffle(names)
        for product in PERILS:
            for i in range(rng.randint(3, 4)):
                self.db.execute("INSERT INTO adjusters (name, specialty, senior, capacity) VALUES (?, ?, ?, ?)",
                                (names.pop(), product, int(i == 0 or rng.random() < 0.25), rng.randint(7, 12)))
        n = {"small": (30, 40), "medium": (55, 70), "large": (90, 115)}[self.variant.scale]
        numbers = iter(rng.sample(range(10000, 99999), 2000))
        for _ in range(rng.randint(*n)):
            name = names.pop()
            holder = self.db.execute("INSERT INTO policyholders (name, email) VALUES (?, ?)",
                                     (name, name.lower().replace(" ", ".") + "@post.example")).lastrowid
            for product in rng.sample(sorted(PERILS), rng.choice([1, 1, 2, 3])):
                self._build_policy(rng, today, holder, product, numbers)
        self._build_claims(rng, today, numbers)

    def _build_policy(self, rng, today, holder, product, numbers) -> None:
        start = today - dt.timedelta(days=rng.randint(20, 600))
        end = start + dt.timedelta(days=180 if product == "travel" else 365)
        status = "cancelled" if rng.random() < 0.05 else ("active" if end >= today else "expired")
        policy = self.db.execute("INSERT INTO policies (number, holder_id, product, start_date, end_date, premium, "
                                 "status) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                 (f"POL-{next(numbers)}", holder, product, start.isoformat(), end.isoformat(),
                                  float(rng.randint(12, 240) * 5), status)).lastrowid
        perils = sorted(PERILS[product])
        for peril in rng.sample(perils, len(perils) - int(len(perils) > 2 and rng.random() < 0.4)):
            (low, high), deductibles = PERILS[product][peril]
            self.db.execute("INSERT INTO coverages (policy_id, peril, limit_amount, deductible) VALUES (?, ?, ?, ?)",
                            (policy, peril, float(round(rng.randint(low, high), -2)), float(rng.choice(deductibles))))

    def _build_claims(self, rng, today, numbers) -> None:
        adjusters = self.rows("SELECT * FROM adjusters")
        drafts = []
        for p in self.rows("SELECT * FROM policies"):
            for _ in range(rng.choices([0, 1, 2, 3, 4], [3, 4, 3, 2, 1])[0]):
                start, end = dt.date.fromisoformat(p["start_date"]), dt.date.fromisoformat(p["end_date"])
                last = min(end, today - dt.timedelta(days=1))
                incident = start + dt.timedelta(days=rng.randint(0, max(0, (last - start).days)))
                if rng.random() < 0.08:
                    incident = start - dt.timedelta(days=rng.randint(1, 40))
                reported = min(today, incident + dt.timedelta(days=rng.choice([0, 1, 2, 3, 5, 8, 12, 20, 25, 40])))
                peril = rng.choice(sorted(PERILS[p["product"]]))
                (low, high), _ = PERILS[p["product"]][peril]
                amount = round(rng.uniform(0.02, 0.7) * min(high, 40000) + rng.choice([0, 0, 75, 300]), 2)
                drafts.append((reported.isoformat(), incident.isoformat(), p, peril, amount))
        for reported, incident, p, peril, amount in sorted(drafts, key=lambda d: (d[0], d[1])):
            recent = reported >= (today - dt.timedelta(days=25)).isoformat()
            staff = [a for a in adjusters if a["specialty"] == p["product"]]
            adjuster = rng.choice(staff)["id"] if not recent or rng.random() < 0.6 else None
            claim_id = self.db.execute(
                "INSERT INTO claims (number, policy_id, peril, incident_date, reported_date, amount_claimed, status, "
                "adjuster_id, approved_amount, fraud_flag) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, NULL, 0)",
                (f"CLM-{next(numbers)}", p["id"], peril, incident, reported, amount, adjuster)).lastrowid
            if recent:
                continue
            status, payout, _ = self._decide(self._claim_by_id(claim_id))
            self.db.execute("UPDATE claims SET status = ?, approved_amount = ?, fraud_flag = ? WHERE id = ?",
                            (status, payout, int(status == "review"), claim_id))
            if status == "approved" and rng.random() < 0.8:
                self.db.execute("UPDATE claims SET status = 'paid' WHERE id = ?", (claim_id,))
                self.db.execute("INSERT INTO payments (claim_id, amount, paid_on) VALUES (?, ?, ?)",
                                (claim_id, payout, min(today.isoformat(), (dt.date.fromisoformat(reported)
                                                                           + dt.timedelta(days=14)).isoformat())))

    # ---- the claims rules (shared by tools and proposers) -------------------------------------------

    def _office(self) -> dict:
        return dict(self.db.execute("SELECT * FROM office").fetchone())

    def _claim_by_id(self, claim_id: int) -> dict:
        return dict(self.db.execute("SELECT * FROM claims WHERE id = ?", (claim_id,)).fetchone())

    def _claim(self, number: str) -> dict:
        row = self.db.execute("SELECT * FROM claims WHERE upper(number) = upper(?)", (number.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"no claim {number!r}; use list_claims")
        return dict(row)

    def _policy(self, number: str) -> dict:
        row = self.db.execute("SELECT * FROM policies WHERE upper(number) = upper(?)", (number.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"no policy {number!r}; use list_policies")
        return dict(row)

    def _remaining(self, policy_id: int, peril: str, limit: float, exclude: int | None = None) -> float:
        used = self.db.execute("SELECT COALESCE(SUM(approved_amount), 0) FROM claims WHERE policy_id = ? AND peril = ? "
                               "AND status IN ('approved', 'paid') AND id != ?",
                               (policy_id, peril, exclude or 0)).fetchone()[0]
        return round(max(0.0, limit - used), 2)

    def _decide(self, claim: dict) -> tuple[str, float | None, str]:
        """(status, payout, reason) the policy prescribes for a claim right now."""
        policy = dict(self.db.execute("SELECT * FROM policies WHERE id = ?", (claim["policy_id"],)).fetchone())
        cover = self.db.execute("SELECT * FROM coverages WHERE policy_id = ? AND peril = ?",
                                (policy["id"], claim["peril"])).fetchone()
        incident = dt.date.fromisoformat(claim["incident_date"])
        early = 0 <= (incident - dt.date.fromisoformat(policy["start_date"])).days <= 30
        if cover and early and claim["amount_claimed"] > cover["limit_amount"] / 2:
            return "review", None, "large claim within 30 days of the policy start"
        prior = self.db.execute(
            "SELECT COUNT(*) FROM claims c JOIN policies p ON p.id = c.policy_id WHERE p.holder_id = ? AND c.id != ? "
            "AND c.incident_date < ? AND c.incident_date >= ?",
            (policy["holder_id"], claim["id"], claim["incident_date"],
             (incident - dt.timedelta(days=365)).isoformat())).fetchone()[0]
        if prior >= 3:
            return "review", None, f"{prior} other claims in the year before the incident"
        late = (dt.date.fromisoformat(claim["reported_date"]) - incident).days > self._office()["report_days"]
        if policy["status"] == "cancelled" or not policy["start_date"] <= claim["incident_date"] <= policy["end_date"]:
            return "denied", None, "the policy was not in force on the incident date"
        if cover is None:
            return "denied", None, f"the policy has no {claim['peril']} coverage"
        if late:
            return "denied", None, "reported too late"
        payout = round(min(claim["amount_claimed"], self._remaining(policy["id"], claim["peril"],
                                                                    cover["limit_amount"], claim["id"]))
                       - cover["deductible"], 2)
        if payout <= 0:
            return "denied", None, "nothing left to pay after the deductible and limit"
        return "approved", payout, ""

    def _open_counts(self) -> dict[int, int]:
        return {r["id"]: r["n"] for r in self.rows(
            "SELECT a.id, (SELECT COUNT(*) FROM claims c WHERE c.adjuster_id = a.id AND c.status IN ('open', "
            "'review')) AS n FROM adjusters a")}

    def _pick(self, product: str, senior: bool) -> int | None:
        counts = self._open_counts()
        staff = [a for a in self.rows("SELECT * FROM adjusters ORDER BY id") if a["specialty"] == product
                 and (a["senior"] or not senior) and counts[a["id"]] < a["capacity"]]
        return min(staff, key=lambda a: (counts[a["id"]], a["id"]))["id"] if staff else None

    def _product(self, claim: dict) -> str:
        return self.db.execute("SELECT product FROM policies WHERE id = ?", (claim["policy_id"],)).fetchone()[0]

    def _decider_problem(self, claim: dict, payout: float | None) -> str | None:
        if claim["adjuster_id"] is None:
            return "the claim has no adjuster; assign one first"
        adjuster = dict(self.db.execute("SELECT * FROM adjusters WHERE id = ?", (claim["adjuster_id"],)).fetchone())
        if payout is not None and payout > self._office()["senior_threshold"] and not adjuster["senior"]:
            return (f"a payout above {self._office()['senior_threshold']} needs a senior adjuster; reassign the claim "
                    "first")
        return None

    # ---- read tools ---------------------------------------------------------------------------------

    @tool("read")
    def get_office_info(self) -> dict:
        """The office's today, the reporting window in days and the payout above which a senior adjuster decides."""
        office = self._office()
        office.pop("id")
        return office

    @tool("read")
    def find_policyholders(self, name: str) -> list[dict]:
        """Find policyholders by (part of) their name.

        Args:
            name: Full or partial name, case-insensitive.
        """
        if not name.strip():
            raise ValueError("give a name to search for")
        return self.rows("SELECT * FROM policyholders WHERE name LIKE ? ORDER BY id", f"%{name.strip()}%")

    @tool("read")
    def list_policies(self, holder_id: int) -> list[dict]:
        """A policyholder's policies: number, product, period, premium and status.

        Args:
            holder_id: The policyholder's id.
        """
        return self.rows("SELECT number, product, start_date, end_date, premium, status FROM policies WHERE "
                         "holder_id = ? ORDER BY id", holder_id)

    @tool("read")
    def get_policy(self, number: str) -> dict:
        """One policy with its holder and coverages (peril, limit, deductible, and the limit still available).

        Args:
            number: Policy number such as POL-12345.
        """
        policy = self._policy(number)
        covers = self.rows("SELECT peril, limit_amount, deductible FROM coverages WHERE policy_id = ? ORDER BY id",
                           policy["id"])
        for c in covers:
            c["remaining_limit"] = self._remaining(policy["id"], c["peril"], c["limit_amount"])
        holder = self.db.execute("SELECT name FROM policyholders WHERE id = ?", (policy["holder_id"],)).fetchone()[0]
        return {**policy, "holder": holder, "coverages": covers}

    @tool("read")
    def list_claims(self, policy_number: str | None = None, holder_id: int | None = None,
                    status: str | None = None, product: str | None = None) -> list[dict]:
        """Claims, by claim number, optionally of one policy, one holder, one status (open, approved, denied, paid,
        review) or one product (auto, home, travel, health).

        Args:
            policy_number: Only claims on this policy.
            holder_id: Only claims of this policyholder.
            status: Only claims with this status.
            product: Only claims on policies of this product.
        """
        return self.rows(
            "SELECT c.number, p.number AS policy, p.product, p.holder_id, c.peril, c.incident_date, c.reported_date, "
            "c.amount_claimed, c.status, c.adjuster_id, c.approved_amount, c.fraud_flag FROM claims c JOIN policies "
            "p ON p.id = c.policy_id WHERE (? IS NULL OR upper(p.number) = upper(?)) AND (? IS NULL OR "
            "p.holder_id = ?) AND (? IS NULL OR c.status = ?) AND (? IS NULL OR p.product = ?) ORDER BY c.number",
            policy_number, policy_number, holder_id, holder_id, status, status, product, product)

    @tool("read")
    def get_claim(self, number: str) -> dict:
        """One claim with its payments.

        Args:
            number: Claim number such as CLM-12345.
        """
        claim = self._claim(number)
        payments = self.rows("SELECT amount, paid_on FROM payments WHERE claim_id = ? ORDER BY id", claim["id"])
        policy = self.db.execute("SELECT number FROM policies WHERE id = ?", (claim["policy_id"],)).fetchone()[0]
        return {**claim, "policy": policy, "payments": payments}

    @tool("read")
    def list_adjusters(self, specialty: str | None = None) -> list[dict]:
        """Adjusters with specialty (product), seniority, capacity and current open claims (open or in review).

        Args:
            specialty: Only adjusters of this product.
        """
        counts = self._open_counts()
        rows = self.rows("SELECT * FROM adjusters WHERE ? IS NULL OR specialty = ? ORDER BY id", specialty, specialty)
        for r in rows:
            r["senior"], r["open_claims"] = bool(r["senior"]), counts[r["id"]]
        return rows

    # ---- write tools --------------------------------------------------------------------------------

    @tool("write")
    def file_claim(self, policy_number: str, peril: str, incident_date: str, amount: float) -> dict:
        """File a new open claim, reported today.

        Args:
            policy_number: The policy.
            peril: What happened (e.g. collision, theft, fire, water, medical, baggage).
            incident_date: Date of the incident, YYYY-MM-DD, not after today.
            amount: Amount claimed, positive.
        """
        policy = self._policy(policy_number)
        try:
            dt.date.fromisoformat(incident_date)
        except ValueError:
            raise ValueError("incident_date must be YYYY-MM-DD") from None
        if incident_date > self._office()["today"] or amount <= 0:
            raise ValueError("the incident must not be in the future and the amount must be positive")
        if peril not in PERILS[policy["product"]]:
            raise ValueError(f"{policy['product']} perils are {', '.join(sorted(PERILS[policy['product']]))}")
        taken = {r["number"] for r in self.rows("SELECT number FROM claims")}
        number = f"CLM-{100000 + len(taken)}"
        self.db.execute("INSERT INTO claims (number, policy_id, peril, incident_date, reported_date, amount_claimed, "
                        "status, adjuster_id, approved_amount, fraud_flag) VALUES (?, ?, ?, ?, ?, ?, 'open', NULL, "
                        "NULL, 0)", (number, policy["id"], peril, incident_date, self._office()["today"],
                                     round(amount, 2)))
        return self.get_claim(number)

    @tool("write")
    def assign_adjuster(self, claim_number: str, adjuster_id: int) -> dict:
        """Assign (or reassign) an open claim to an adjuster of the policy's product with spare capacity.

        Args:
            claim_number: The claim.
            adjuster_id: The adjuster's id.
        """
        claim = self._claim(claim_number)
        if claim["status"] != "open":
            raise ValueError(f"claim {claim['number']} is {claim['status']}; only open claims are assigned")
        row = self.db.execute("SELECT * FROM adjusters WHERE id = ?", (adjuster_id,)).fetchone()
        if row is None or row["specialty"] != self._product(claim):
            raise ValueError(f"adjuster {adjuster_id} does not handle {self._product(claim)} claims")
        if self._open_counts()[adjuster_id] >= row["capacity"] and claim["adjuster_id"] != adjuster_id:
            raise ValueError(f"adjuster {adjuster_id} is at capacity")
        self.db.execute("UPDATE claims SET adjuster_id = ? WHERE id = ?", (adjuster_id, claim["id"]))
        return self.get_claim(claim["number"])

    def _decidable(self, claim_number: str, wanted: str) -> tuple[dict, float | None, str]:
        claim = self._claim(claim_number)
        if claim["status"] != "open":
            raise ValueError(f"claim {claim['number']} is {claim['status']}, not open")
        status, payout, reason = self._decide(claim)
        if status != wanted:
            raise ValueError(f"policy: this claim cannot be {wanted} (the rules lead to {status}"
                             + (f": {reason})" if reason else ")"))
        problem = self._decider_problem(claim, payout)
        if problem:
            raise ValueError(problem)
        return claim, payout, reason

    @tool("write")
    def approve_claim(self, claim_number: str, amount: float) -> dict:
        """Approve an open claim for its payout under the policy.

        Args:
            claim_number: The claim.
            amount: The payout: claimed amount within the remaining limit, minus the deductible.
        """
        claim, payout, _ = self._decidable(claim_number, "approved")
        if abs(amount - payout) > 0.005:
            raise ValueError(f"the payout for this claim under the policy is not {amount}; recompute it")
        self.db.execute("UPDATE claims SET status = 'approved', approved_amount = ? WHERE id = ?", (payout,
                                                                                                 claim["id"]))
        return self.get_claim(claim["number"])

    @tool("write")
    def deny_claim(self, claim_number: str, reason: str) -> dict:
        """Deny an open claim that the policy does not cover.

        Args:
            claim_number: The claim.
            reason: Why it is denied.
        """
        claim, _, _ = self._decidable(claim_number, "denied")
        self.db.execute("UPDATE claims SET status = 'denied', note = ? WHERE id = ?", (reason.strip(), claim["id"]))
        return self.get_claim(claim["number"])

    @tool("write")
    def flag_for_review(self, claim_number: str, reason: str) -> dict:
        """Send a suspicious open claim to fraud review instead of deciding it.

        Args:
            claim_number: The claim.
            reason: What looks suspicious.
        """
        claim, _, _ = self._decidable(claim_number, "review")
        self.db.execute("UPDATE claims SET status = 'review', fraud_flag = 1, note = ? WHERE id = ?",
                        (reason.strip(), claim["id"]))
        return self.get_claim(claim["number"])

    @tool("write")
    def pay_claim(self, claim_number: str) -> dict:
        """Pay an approved claim its approved amount, today.

        Args:
            claim_number: The claim.
        """
        claim = self._claim(claim_number)
        if claim["status"] != "approved":
            raise ValueError(f"claim {claim['number']} is {claim['status']}; only approved claims are paid")
        self.db.execute("UPDATE claims SET status = 'paid' WHERE id = ?", (claim["id"],))
        self.db.execute("INSERT INTO payments (claim_id, amount, paid_on) VALUES (?, ?, ?)",
                        (claim["id"], claim["approved_amount"], self._office()["today"]))
        return self.get_claim(claim["number"])

    # ---- proposers ----------------------------------------------------------------------------------

    def _rules(self) -> dict:
        office = self._office()
        return {"report_days": office["report_days"], "senior_threshold": office["senior_threshold"]}

    def _process(self, number: str, pay_limit: float | None = None) -> None:
        """The reference handling of one open claim: route it, decide it, maybe pay it."""
        claim = self._claim(number)
        status, payout, reason = self._decide(claim)
        senior = payout is not None and payout > self._office()["senior_threshold"]
        if claim["adjuster_id"] is None or self._decider_problem(claim, payout):
            adjuster = self._pick(self._product(claim), senior)
            if adjuster is None:
                raise LookupError("no adjuster available")
            self.assign_adjuster(number, adjuster)
        {"approved": lambda: self.approve_claim(number, payout), "denied": lambda: self.deny_claim(number, reason),
         "review": lambda: self.flag_for_review(number, reason)}[status]()
        if status == "approved" and pay_limit is not None and payout <= pay_limit:
            self.pay_claim(number)

    def _simulate(self, steps) -> tuple[dict, list[dict]] | None:
        """Final claims (by number) and new payments after `steps()` on a scratch copy; None if a step fails."""
        real = self.db
        self.db = self.snapshot()
        try:
            steps()
            return ({c["number"]: c for c in self.rows("SELECT * FROM claims")},
                    self.rows("SELECT c.number, p.amount FROM payments p JOIN claims c ON c.id = p.claim_id"))
        except (LookupError, ValueError):
            return None
        finally:
            self.db.close()
            self.db = real

    def _expect(self, result, numbers: list[str], exact_adjusters: bool = True) -> dict:
        claims, payments = result
        before = {p["number"] for p in self.rows("SELECT c.number FROM payments p JOIN claims c ON c.id = "
                                                 "p.claim_id")}
        return {"claims": {n: [claims[n]["status"], claims[n]["approved_amount"]] for n in numbers},
                "paid": {p["number"]: p["amount"] for p in payments if p["number"] not in before},
                "adjusters": {n: claims[n]["adjuster_id"] for n in numbers} if exact_adjusters else {}}

    @proposer(difficulty=1)
    def propose_claim_status(self, rng: random.Random) -> TaskDraft | None:
        claim = rng.choice(self.rows("SELECT number, status FROM claims ORDER BY id"))
        return TaskDraft(
            shape="claim_status",
            instruction=self.render("claim_status", rng, number=claim["number"]),
            solution=Program.of(solve_claim_status, number=claim["number"]),
            verifier=Program.of(verify_names, expected=[claim["status"]], candidates=STATUSES),
            tools=("get_claim", "list_claims", "get_policy"),
        )

    @proposer(difficulty=1)
    def propose_deductible(self, rng: random.Random) -> TaskDraft | None:
        cover = rng.choice(self.rows("SELECT c.*, p.number FROM coverages c JOIN policies p ON p.id = c.policy_id "
                                     "ORDER BY c.id"))
        spec = {"policy": cover["number"], "peril": cover["peril"]}
        return TaskDraft(
            shape="deductible",
            instruction=self.render("deductible", rng, **spec),
            solution=Program.of(solve_deductible, **spec),
            verifier=Program.of(verify_number, expected=cover["deductible"], tolerance=0.005),
            tools=("get_policy", "list_claims"),
        )

    @proposer(difficulty=2)
    def propose_paid_total(self, rng: random.Random) -> TaskDraft | None:
        rows = self.rows("SELECT h.name, SUM(pay.amount) AS total FROM payments pay JOIN claims c ON "
                         "c.id = pay.claim_id JOIN policies p ON p.id = c.policy_id JOIN policyholders h ON "
                         "h.id = p.holder_id GROUP BY h.id ORDER BY h.id")
        if not rows:
            return None
        row = rng.choice(rows)
        return TaskDraft(
            shape="paid_total",
            instruction=self.render("paid_total", rng, holder=row["name"]),
            solution=Program.of(solve_paid_total, holder=row["name"]),
            verifier=Program.of(verify_number, expected=round(row["total"], 2), tolerance=0.01),
            tools=self.available_tools("find_policyholders", "list_policies", "list_claims", "get_claim"),
        )

    @proposer(difficulty=2)
    def propose_remaining_limit(self, rng: random.Random) -> TaskDraft | None:
        covers = self.rows("SELECT c.*, p.number FROM coverages c JOIN policies p ON p.id = c.policy_id WHERE EXISTS "
                           "(SELECT 1 FROM claims k WHERE k.policy_id = p.id AND k.peril = c.peril AND k.status IN "
                           "('approved', 'paid')) ORDER BY c.id")
        if not covers:
            return None
        cover = rng.choice(covers)
        spec = {"policy": cover["number"], "peril": cover["peril"]}
        return TaskDraft(
            shape="remaining_limit",
            instruction=self.render("remaining_limit", rng, **spec),
            solution=Program.of(solve_remaining_limit, **spec),
            verifier=Program.of(verify_number, expected=self._remaining(cover["policy_id"], cover["peril"],
                                                                        cover["limit_amount"]), tolerance=0.01),
            tools=("list_claims", "get_claim", "get_policy", "find_policyholders"),
        )

    @proposer(difficulty=2)
    def propose_busiest_adjuster(self, rng: random.Random) -> TaskDraft | None:
        product = rng.choice(sorted(PERILS))
        counts = self._open_counts()
        staff = sorted(self.rows("SELECT id, name FROM adjusters WHERE specialty = ?", product),
                       key=lambda a: -counts[a["id"]])
        if len(staff) < 2 or counts[staff[0]["id"]] == counts[staff[1]["id"]]:
            return None
        return TaskDraft(
            shape="busiest_adjuster",
            instruction=self.render("busiest_adjuster", rng, product=product),
            solution=Program.of(solve_busiest_adjuster, product=product),
            verifier=Program.of(verify_names, expected=[staff[0]["name"]],
                                candidates=[r["name"] for r in self.rows("SELECT name FROM adjusters")]),
        )

    @proposer(difficulty=3)
    def propose_adjudicate(self, rng: random.Random) -> TaskDraft | None:
        claims = self.rows("SELECT number FROM claims WHERE status = 'open' AND adjuster_id IS NOT NULL ORDER BY id")
        if not claims:
            return None
        number = rng.choice(claims)["number"]
        result = self._simulate(lambda: self._process(number))
        if result is None:
            return None
        return TaskDraft(
            shape="adjudicate",
            instruction=self.render("adjudicate", rng, number=number),
            solution=Program.of(solve_queue, numbers=[number], pay_limit=None, **self._rules()),
            verifier=Program.of(verify_claims, **self._expect(result, [number])),
            tools=self.available_tools("get_claim", "get_policy", "list_claims", "list_adjusters", "get_office_info",
                              "assign_adjuster", "approve_claim", "deny_claim", "flag_for_review", "pay_claim"),
        )

    @proposer(difficulty=3)
    def propose_assign_queue(self, rng: random.Random) -> TaskDraft | None:
        product = rng.choice(sorted(PERILS))
        numbers = [r["number"] for r in self.rows(
            "SELECT c.number FROM claims c JOIN policies p ON p.id = c.policy_id WHERE p.product = ? AND c.status = "
            "'open' AND c.adjuster_id IS NULL ORDER BY c.number", product)]
        if not numbers:
            return None

        def steps() -> None:
            for n in numbers:
                adjuster = self._pick(product, False)
                if adjuster is None:
                    raise LookupError
                self.assign_adjuster(n, adjuster)

        result = self._simulate(steps)
        if result is None:
            return None
        return TaskDraft(
            shape="assign_queue",
            instruction=self.render("assign_queue", rng, product=product),
            solution=Program.of(solve_assign_queue, product=product),
            verifier=Program.of(verify_claims, claims={n: ["open", None] for n in numbers}, paid={},
                                adjusters={n: result[0][n]["adjuster_id"] for n in numbers}),
            tools=("list_claims", "list_adjusters", "assign_adjuster", "get_claim"),
        )

    @proposer(difficulty=4)
    def propose_file_and_decide(self, rng: random.Random) -> TaskDraft | None:
        policy = rng.choice(self.rows("SELECT p.*, h.name AS holder FROM policies p JOIN policyholders h ON "
                                      "h.id = p.holder_id ORDER BY p.id"))
        today = dt.date.fromisoformat(self._office()["today"])
        incident = (today - dt.timedelta(days=rng.choice([0, 2, 5, 10, 20, 35, 60, 200]))).isoformat()
        peril = rng.choice(sorted(PERILS[policy["product"]]))
        amount = round(rng.uniform(200, 20000), 2)
        spec = {"holder": policy["holder"], "policy": policy["number"], "peril": peril, "incident": incident,
                "amount": amount}

        def steps() -> None:
            self._process(self.file_claim(policy["number"], peril, incident, amount)["number"])

        result = self._simulate(steps)
        if result is None:
            return None
        new = next(c for n, c in result[0].items() if c["reported_date"] == today.isoformat()
                   and c["incident_date"] == incident and c["amount_claimed"] == amount and c["peril"] == peril)
        return TaskDraft(
            shape="file_and_decide",
            instruction=self.render("file_and_decide", rng, **spec),
            solution=Program.of(solve_queue, items=[[peril, amount]], policy=policy["number"], incident=incident,
                                pay_limit=None, **self._rules()),
            verifier=Program.of(verify_claims, claims={}, paid={}, adjusters={},
                                new=[[policy["number"], peril, incident, amount, new["status"],
                                      new["approved_amount"], new["adjuster_id"]]]),
        )

    @proposer(difficulty=4)
    def propose_holder_queue(self, rng: random.Random) -> TaskDraft | None:
        holders = self.rows("SELECT h.id, h.name, COUNT(*) AS n FROM claims c JOIN policies p ON p.id = c.policy_id "
                            "JOIN policyholders h ON h.id = p.holder_id WHERE c.status = 'open' GROUP BY h.id HAVING "
                            "n >= 2 ORDER BY h.id")
        if not holders:
            holders = self.rows("SELECT h.id, h.name FROM claims c JOIN policies p ON p.id = c.policy_id JOIN "
                                "policyholders h ON h.id = p.holder_id WHERE c.status = 'open' GROUP BY h.id")
        if not holders:
            return None
        holder = rng.choice(holders)
        numbers = [r["number"] for r in self.list_claims(holder_id=holder["id"], status="open")]
        if len(numbers) > 5:
            return None
        result = self._simulate(lambda: [self._process(n) for n in numbers])
        if result is None:
            return None
        return TaskDraft(
            shape="holder_queue",
            instruction=self.render("holder_queue", rng, holder=holder["name"]),
            solution=Program.of(solve_queue, holder=holder["name"], pay_limit=None, **self._rules()),
            verifier=Program.of(verify_claims, **self._expect(result, numbers)),
        )

    @proposer(difficulty=5)
    def propose_triage(self, rng: random.Random) -> TaskDraft | None:
        product = rng.choice(sorted(PERILS))
        dates = sorted(r["incident_date"] for r in self.list_claims(status="open", product=product))
        if len(dates) < 2:
            return None
        first = rng.randrange(len(dates) - 1)
        last = min(len(dates) - 1, first + rng.randint(1, 4))
        start, end = dates[first], dates[last]
        numbers = [r["number"] for r in self.list_claims(status="open", product=product)
                   if start <= r["incident_date"] <= end]
        if not 2 <= len(numbers) <= 5:  # keep the plan within an episode's turns
            return None
        pay_limit = float(rng.choice([500, 1000, 2000, 5000, 10000]))
        result = self._simulate(lambda: [self._process(n, pay_limit) for n in numbers])
        if result is None:
            return None
        spec = {"product": product, "start": start, "end": end, "pay_limit": pay_limit}
        return TaskDraft(
            shape="triage",
            instruction=self.render("triage", rng, **spec),
            solution=Program.of(solve_queue, **spec, **self._rules()),
            verifier=Program.of(verify_claims, **self._expect(result, numbers)),
        )

    @proposer(difficulty=5)
    def propose_multi_file(self, rng: random.Random) -> TaskDraft | None:
        policy = rng.choice(self.rows("SELECT p.*, h.name AS holder FROM policies p JOIN policyholders h ON "
                                      "h.id = p.holder_id WHERE p.product != 'health' ORDER BY p.id"))
        perils = sorted(PERILS[policy["product"]])
        today = dt.date.fromisoformat(self._office()["today"])
        incident = (today - dt.timedelta(days=rng.choice([0, 1, 3, 7, 12, 25, 45]))).isoformat()
        items = [[p, round(rng.uniform(100, 15000), 2)] for p in rng.sample(perils, rng.randint(2, len(perils)))]

        def steps() -> None:
            for peril, amount in items:
                self._process(self.file_claim(policy["number"], peril, incident, amount)["number"], pay_limit=1e12)

        result = self._simulate(steps)
        if result is None:
            return None
        new = []
        for peril, amount in items:
            c = next(c for c in result[0].values() if c["reported_date"] == today.isoformat() and c["peril"] == peril
                     and c["incident_date"] == incident and c["amount_claimed"] == amount)
            new.append([policy["number"], peril, incident, amount, c["status"], c["approved_amount"],
                        c["adjuster_id"]])
        spec = {"holder": policy["holder"], "policy": policy["number"], "incident": incident}
        return TaskDraft(
            shape="multi_file",
            instruction=self.render("multi_file", rng, **spec,
                                    items=", ".join(f"{p} ({a:.2f})" for p, a in items)),
            solution=Program.of(solve_queue, items=items, policy=policy["number"], incident=incident,
                                pay_limit=1e12, **self._rules()),
            verifier=Program.of(verify_claims, claims={}, adjusters={}, new=new, paid={}),
        )


# ---- solutions: tools and computation only --------------------------------------------------------

def solve_claim_status(tools, params):
    return tools.get_claim(number=params["number"])["status"]


def solve_deductible(tools, params):
    return next(c["deductible"] for c in tools.get_policy(number=params["policy"])["coverages"]
                if c["peril"] == params["peril"])


def solve_paid_total(tools, params):
    holder = next(h for h in tools.find_policyholders(name=params["holder"]) if h["name"] == params["holder"])
    total = 0.0
    for claim in tools.list_claims(holder_id=holder["id"], status="paid"):
        total += sum(p["amount"] for p in tools.get_claim(number=claim["number"])["payments"])
    return round(total, 2)


def solve_remaining_limit(tools, params):
    cover = next(c for c in tools.get_policy(number=params["policy"])["coverages"] if c["peril"] == params["peril"])
    used = sum(c["approved_amount"] for c in tools.list_claims(policy_number=params["policy"])
               if c["peril"] == params["peril"] and c["status"] in ("approved", "paid"))
    return round(cover["limit_amount"] - used, 2)


def solve_busiest_adjuster(tools, params):
    return max(tools.list_adjusters(specialty=params["product"]), key=lambda a: a["open_claims"])["name"]


def solve_assign_queue(tools, params):
    done = []
    for claim in tools.list_claims(status="open", product=params["product"]):
        if claim["adjuster_id"] is not None:
            continue
        staff = [a for a in tools.list_adjusters(specialty=params["product"]) if a["open_claims"] < a["capacity"]]
        pick = min(staff, key=lambda a: (a["open_claims"], a["id"]))
        tools.assign_adjuster(claim_number=claim["number"], adjuster_id=pick["id"])
        done.append((claim["number"], pick["id"]))
    return f"Assigned {done}"


def solve_queue(tools, params):
    import datetime as dt

    if params.get("items"):
        numbers = [tools.file_claim(policy_number=params["policy"], peril=peril, incident_date=params["incident"],
                                    amount=amount)["number"] for peril, amount in params["items"]]
    elif params.get("holder"):
        holder = next(h for h in tools.find_policyholders(name=params["holder"]) if h["name"] == params["holder"])
        numbers = [c["number"] for c in tools.list_claims(holder_id=holder["id"], status="open")]
    elif params.get("product"):
        numbers = [c["number"] for c in tools.list_claims(status="open", product=params["product"])
                   if params["start"] <= c["incident_date"] <= params["end"]]
    else:
        numbers = params["numbers"]
    decided = []
    for number in numbers:
        claim = tools.get_claim(number=number)
        policy = tools.get_policy(number=claim["policy"])
        history = tools.list_claims(holder_id=policy["holder_id"])
        limits = {}
        for c in policy["coverages"]:
            limits[c["peril"]] = c
        cover = limits.get(claim["peril"])
        incident = dt.date.fromisoformat(claim["incident_date"])
        early = 0 <= (incident - dt.date.fromisoformat(policy["start_date"])).days <= 30
        year_before = (incident - dt.timedelta(days=365)).isoformat()
        prior = [c for c in history if c["number"] != number and year_before <= c["incident_date"]
                 < claim["incident_date"]]
        status, payout, reason = "approved", None, ""
        window = params["report_days"]
        if cover and early and claim["amount_claimed"] > cover["limit_amount"] / 2:
            status, reason = "review", "large early claim"
        elif len(prior) >= 3:
            status, reason = "review", "frequent claims"
        elif policy["status"] == "cancelled" or not policy["start_date"] <= claim["incident_date"] <= \
                policy["end_date"]:
            status, reason = "denied", "policy not in force"
        elif cover is None:
            status, reason = "denied", "no coverage"
        elif (dt.date.fromisoformat(claim["reported_date"]) - incident).days > window:
            status, reason = "denied", "reported late"
        else:
            payout = round(min(claim["amount_claimed"], cover["remaining_limit"]) - cover["deductible"], 2)
            if payout <= 0:
                status, payout, reason = "denied", None, "below deductible"
        senior = payout is not None and payout > params["senior_threshold"]
        adjusters = tools.list_adjusters(specialty=policy["product"])
        current = next((a for a in adjusters if a["id"] == claim["adjuster_id"]), None)
        if current is None or (senior and not current["senior"]):
            staff = [a for a in adjusters if a["open_claims"] < a["capacity"] and (a["senior"] or not senior)]
            pick = min(staff, key=lambda a: (a["open_claims"], a["id"]))
            tools.assign_adjuster(claim_number=number, adjuster_id=pick["id"])
        if status == "approved":
            tools.approve_claim(claim_number=number, amount=payout)
            if params.get("pay_limit") is not None and payout <= params["pay_limit"]:
                tools.pay_claim(claim_number=number)
        elif status == "denied":
            tools.deny_claim(claim_number=number, reason=reason)
        else:
            tools.flag_for_review(claim_number=number, reason=reason)
        decided.append((number, status, payout))
    return f"Decided {decided}"


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_claims(outcome, params):
    """claims: {number: [final status, approved amount]} of existing claims that must change; adjusters: {number:
    adjuster id} they must end with; paid: {number: amount} new payments on existing claims; new: [policy, peril,
    incident, amount, status, approved amount, adjuster id] of claims that must be filed."""
    from verifiers.state import diff_table, unchanged

    reasons = []
    added, removed, changed = diff_table(outcome.initial, outcome.db, "claims")
    got = {c["number"]: [c["status"], c["approved_amount"]] for c in changed}
    want = {n: v for n, v in params["claims"].items() if v[0] != "open"}
    moved = {c["number"] for c in changed if c["status"] == "open"}
    if removed or {n: v for n, v in got.items() if n not in moved} != want:
        reasons.append(f"claim changes {got} differ from the expected {params['claims']}")
    old = {c["id"]: c for c in outcome.initial_rows("SELECT * FROM claims")}
    for c in changed:
        if c["number"] not in params["claims"] or any(c[k] != old[c["id"]][k] for k in (
                "policy_id", "peril", "incident_date", "reported_date", "amount_claimed")):
            reasons.append(f"claim {c['number']} should not have changed like this")
    final = {c["number"]: c for c in outcome.rows("SELECT * FROM claims")}
    for n, adjuster in params["adjusters"].items():
        if final[n]["adjuster_id"] != adjuster or final[n]["status"] != params["claims"][n][0]:
            reasons.append(f"claim {n} is {final[n]['status']} with adjuster {final[n]['adjuster_id']}; expected "
                           f"{params['claims'][n][0]} with adjuster {adjuster}")
    policy = {p["id"]: p["number"] for p in outcome.rows("SELECT id, number FROM policies")}
    new = sorted([policy[c["policy_id"]], c["peril"], c["incident_date"], c["amount_claimed"], c["status"],
                  c["approved_amount"], c["adjuster_id"]] for c in added)
    if new != sorted(params.get("new", [])):
        reasons.append(f"new claims {new} differ from the expected {params.get('new', [])}")
    number = {c["id"]: c["number"] for c in outcome.rows("SELECT id, number FROM claims")}
    payments, gone, altered = diff_table(outcome.initial, outcome.db, "payments")
    paid_new = sorted(c["approved_amount"] for c in added if c["status"] == "paid")
    got_paid = {number[p["claim_id"]]: p["amount"] for p in payments if p["claim_id"] in old}
    if gone or altered or got_paid != params["paid"] or sorted(
            p["amount"] for p in payments if p["claim_id"] not in old) != paid_new:
        reasons.append(f"new payments {[(number[p['claim_id']], p['amount']) for p in payments]} are not the "
                       f"expected {params['paid']} plus {paid_new} on new claims")
    if other := unchanged(outcome.initial, outcome.db, ["policies", "coverages", "policyholders", "adjusters",
                                                        "office"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons
