"""The insurance tools: lookups, and writes that enforce the policy."""

from __future__ import annotations

import datetime as dt

from synth.env import tool

from .world import PERILS


class InsuranceTools:
    # ---- the claims rules (shared by tools and proposers) -------------------------------------------

    def _office(self) -> dict:
        return self.one("SELECT * FROM office", missing="the office is not set up")

    def _claim_by_id(self, claim_id: int) -> dict:
        return self.one("SELECT * FROM claims WHERE id = ?", claim_id, missing=f"no claim with id {claim_id}")

    def _claim(self, number: str) -> dict:
        return self.one(
            "SELECT * FROM claims WHERE upper(number) = upper(?)",
            number.strip(),
            missing=f"no claim {number!r}; use list_claims",
        )

    def _policy(self, number: str) -> dict:
        return self.one(
            "SELECT * FROM policies WHERE upper(number) = upper(?)",
            number.strip(),
            missing=f"no policy {number!r}; use list_policies",
        )

    def _remaining(self, policy_id: int, peril: str, limit: float, exclude: int | None = None) -> float:
        used = self.value(
            "SELECT COALESCE(SUM(approved_amount), 0) FROM claims WHERE policy_id = ? AND peril = ? AND "
            "status IN ('approved', 'paid') AND id != ?",
            policy_id,
            peril,
            exclude or 0,
        )
        return round(max(0.0, limit - used), 2)

    def _decide(self, claim: dict) -> tuple[str, float | None, str]:
        """(status, payout, reason) the policy prescribes for a claim right now."""
        policy = self.one("SELECT * FROM policies WHERE id = ?", claim["policy_id"], missing="no such policy")
        cover = next(
            iter(self.rows("SELECT * FROM coverages WHERE policy_id = ? AND peril = ?", policy["id"], claim["peril"])),
            None,
        )
        incident = dt.date.fromisoformat(claim["incident_date"])
        early = 0 <= (incident - dt.date.fromisoformat(policy["start_date"])).days <= 30
        if cover and early and claim["amount_claimed"] > cover["limit_amount"] / 2:
            return "review", None, "large claim within 30 days of the policy start"
        prior = self.value(
            "SELECT COUNT(*) FROM claims c JOIN policies p ON p.id = c.policy_id WHERE p.holder_id = ? AND c.id != ? "
            "AND c.incident_date < ? AND c.incident_date >= ?",
            policy["holder_id"],
            claim["id"],
            claim["incident_date"],
            (incident - dt.timedelta(days=365)).isoformat(),
        )
        if prior >= 3:
            return "review", None, f"{prior} other claims in the year before the incident"
        late = (dt.date.fromisoformat(claim["reported_date"]) - incident).days > self._office()["report_days"]
        if policy["status"] == "cancelled" or not policy["start_date"] <= claim["incident_date"] <= policy["end_date"]:
            return "denied", None, "the policy was not in force on the incident date"
        if cover is None:
            return "denied", None, f"the policy has no {claim['peril']} coverage"
        if late:
            return "denied", None, "reported too late"
        payout = round(
            min(
                claim["amount_claimed"],
                self._remaining(policy["id"], claim["peril"], cover["limit_amount"], claim["id"]),
            )
            - cover["deductible"],
            2,
        )
        if payout <= 0:
            return "denied", None, "nothing left to pay after the deductible and limit"
        return "approved", payout, ""

    def _open_counts(self) -> dict[int, int]:
        return {
            r["id"]: r["n"]
            for r in self.rows(
                "SELECT a.id, (SELECT COUNT(*) FROM claims c WHERE c.adjuster_id = a.id AND c.status IN ('open', "
                "'review')) AS n FROM adjusters a"
            )
        }

    def _pick(self, product: str, senior: bool) -> int | None:
        counts = self._open_counts()
        staff = [
            a
            for a in self.rows("SELECT * FROM adjusters ORDER BY id")
            if a["specialty"] == product and (a["senior"] or not senior) and counts[a["id"]] < a["capacity"]
        ]
        return min(staff, key=lambda a: (counts[a["id"]], a["id"]))["id"] if staff else None

    def _product(self, claim: dict) -> str:
        return self.value("SELECT product FROM policies WHERE id = ?", claim["policy_id"])

    def _decider_problem(self, claim: dict, payout: float | None) -> str | None:
        if claim["adjuster_id"] is None:
            return "the claim has no adjuster; assign one first"
        adjuster = self.one("SELECT * FROM adjusters WHERE id = ?", claim["adjuster_id"], missing="no such adjuster")
        if payout is not None and payout > self._office()["senior_threshold"] and not adjuster["senior"]:
            return (
                f"a payout above {self._office()['senior_threshold']} needs a senior adjuster; reassign the claim first"
            )
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
        return self.rows(
            "SELECT number, product, start_date, end_date, premium, status FROM policies WHERE "
            "holder_id = ? ORDER BY id",
            holder_id,
        )

    @tool("read")
    def get_policy(self, number: str) -> dict:
        """One policy with its holder and coverages (peril, limit, deductible, and the limit still available).

        Args:
            number: Policy number such as POL-12345.
        """
        policy = self._policy(number)
        covers = self.rows(
            "SELECT peril, limit_amount, deductible FROM coverages WHERE policy_id = ? ORDER BY id", policy["id"]
        )
        for c in covers:
            c["remaining_limit"] = self._remaining(policy["id"], c["peril"], c["limit_amount"])
        holder = self.value("SELECT name FROM policyholders WHERE id = ?", policy["holder_id"])
        return {**policy, "holder": holder, "coverages": covers}

    @tool("read")
    def list_claims(
        self,
        policy_number: str | None = None,
        holder_id: int | None = None,
        status: str | None = None,
        product: str | None = None,
    ) -> list[dict]:
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
            policy_number,
            policy_number,
            holder_id,
            holder_id,
            status,
            status,
            product,
            product,
        )

    @tool("read")
    def get_claim(self, number: str) -> dict:
        """One claim with its payments.

        Args:
            number: Claim number such as CLM-12345.
        """
        claim = self._claim(number)
        payments = self.rows("SELECT amount, paid_on FROM payments WHERE claim_id = ? ORDER BY id", claim["id"])
        policy = self.value("SELECT number FROM policies WHERE id = ?", claim["policy_id"])
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
        self.db.execute(
            "INSERT INTO claims (number, policy_id, peril, incident_date, reported_date, amount_claimed, "
            "status, adjuster_id, approved_amount, fraud_flag) VALUES (?, ?, ?, ?, ?, ?, 'open', NULL, "
            "NULL, 0)",
            (number, policy["id"], peril, incident_date, self._office()["today"], round(amount, 2)),
        )
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
        row = next(iter(self.rows("SELECT * FROM adjusters WHERE id = ?", adjuster_id)), None)
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
            raise ValueError(
                f"policy: this claim cannot be {wanted} (the rules lead to {status}"
                + (f": {reason})" if reason else ")")
            )
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
        self.db.execute(
            "UPDATE claims SET status = 'approved', approved_amount = ? WHERE id = ?", (payout, claim["id"])
        )
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
        self.db.execute(
            "UPDATE claims SET status = 'review', fraud_flag = 1, note = ? WHERE id = ?", (reason.strip(), claim["id"])
        )
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
        self.db.execute(
            "INSERT INTO payments (claim_id, amount, paid_on) VALUES (?, ?, ?)",
            (claim["id"], claim["approved_amount"], self._office()["today"]),
        )
        return self.get_claim(claim["number"])
