"""Task proposers, from single lookups (level 1) to claim triage plans (level 5)."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import Answer, Effects, Program, TaskDraft, inserts, proposer, updates

from .checks import check_claims
from .solutions import (
    solve_adjudicate,
    solve_assign_queue,
    solve_busiest_adjuster,
    solve_claim_status,
    solve_deductible,
    solve_file_claims,
    solve_holder_queue,
    solve_paid_total,
    solve_remaining_limit,
    solve_triage,
)
from .world import PERILS, STATUSES

DECIDED = ("status", "approved_amount", "adjuster_id", "fraud_flag")  # what handling a claim sets (and a free note)
WORK_TOOLS = (
    "get_claim",
    "get_policy",
    "list_claims",
    "list_adjusters",
    "get_office_info",
    "assign_adjuster",
    "approve_claim",
    "deny_claim",
    "flag_for_review",
    "pay_claim",
)


class InsuranceTasks:
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
        {
            "approved": lambda: self.approve_claim(number, payout),
            "denied": lambda: self.deny_claim(number, reason),
            "review": lambda: self.flag_for_review(number, reason),
        }[status]()
        if status == "approved" and pay_limit is not None and payout <= pay_limit:
            self.pay_claim(number)

    def _simulate(self, steps) -> tuple[dict, list[dict], list[dict]] | None:
        """(final claims by number, claims added, payments added) after `steps()` on a scratch copy; None if a step
        fails."""
        real = self.db
        last_claim = self.value("SELECT COALESCE(MAX(id), 0) FROM claims")
        last_payment = self.value("SELECT COALESCE(MAX(id), 0) FROM payments")
        self.db = self.snapshot()
        try:
            steps()
            return (
                {c["number"]: c for c in self.rows("SELECT * FROM claims")},
                self.rows("SELECT * FROM claims WHERE id > ? ORDER BY id", last_claim),
                self.rows("SELECT * FROM payments WHERE id > ? ORDER BY id", last_payment),
            )
        except (LookupError, ValueError):
            return None
        finally:
            self.db.close()
            self.db = real

    def _handled(self, result, numbers: list[str]) -> dict:
        """Effects and check of handling existing claims: exactly these claims change (each to its own values) and
        exactly these payments are made."""
        claims, _, payments = result
        ids = [claims[n]["id"] for n in numbers]
        effects = {"claims": updates(*DECIDED, "note", keys=ids)}
        if payments:
            effects["payments"] = inserts(rows=[{k: p[k] for k in ("claim_id", "amount", "paid_on")} for p in payments])
        return {
            "effects": Effects.on(**effects),
            "check": Program.of(
                check_claims, claims={str(claims[n]["id"]): {k: claims[n][k] for k in DECIDED} for n in numbers}
            ),
        }

    def _filed(self, result) -> Effects:
        """Effects of filing and handling new claims: exactly these new claims (their number is the office's) and
        the payments of those paid."""
        _, added, payments = result
        columns = ("policy_id", "peril", "incident_date", "reported_date", "amount_claimed") + DECIDED
        effects = {"claims": inserts(rows=[{k: c[k] for k in columns} for c in added])}
        if payments:
            effects["payments"] = inserts(rows=[{k: p[k] for k in ("amount", "paid_on")} for p in payments])
        return Effects.on(**effects)

    # ---- lookups ----------------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_claim_status(self, rng: random.Random) -> TaskDraft | None:
        claim = rng.choice(self.rows("SELECT number, status FROM claims ORDER BY id"))
        return TaskDraft(
            shape="claim_status",
            instruction=self.render("claim_status", rng, number=claim["number"]),
            solution=Program.of(solve_claim_status, number=claim["number"]),
            answer=Answer.entity(claim["status"], candidates=STATUSES),
            tools=("get_claim", "list_claims", "get_policy"),
        )

    @proposer(difficulty=1)
    def propose_deductible(self, rng: random.Random) -> TaskDraft | None:
        cover = rng.choice(
            self.rows("SELECT c.*, p.number FROM coverages c JOIN policies p ON p.id = c.policy_id ORDER BY c.id")
        )
        spec = {"policy": cover["number"], "peril": cover["peril"]}
        return TaskDraft(
            shape="deductible",
            instruction=self.render("deductible", rng, **spec),
            solution=Program.of(solve_deductible, **spec),
            answer=Answer.number(cover["deductible"]),
            tools=("get_policy", "list_claims"),
        )

    @proposer(difficulty=2)
    def propose_paid_total(self, rng: random.Random) -> TaskDraft | None:
        rows = self.rows(
            "SELECT h.name, SUM(pay.amount) AS total FROM payments pay JOIN claims c ON "
            "c.id = pay.claim_id JOIN policies p ON p.id = c.policy_id JOIN policyholders h ON "
            "h.id = p.holder_id GROUP BY h.id ORDER BY h.id"
        )
        if not rows:
            return None
        row = rng.choice(rows)
        return TaskDraft(
            shape="paid_total",
            instruction=self.render("paid_total", rng, holder=row["name"]),
            solution=Program.of(solve_paid_total, holder=row["name"]),
            answer=Answer.number(round(row["total"], 2)),
            tools=self.available_tools("find_policyholders", "list_policies", "list_claims", "get_claim"),
        )

    @proposer(difficulty=2)
    def propose_remaining_limit(self, rng: random.Random) -> TaskDraft | None:
        covers = self.rows(
            "SELECT c.*, p.number FROM coverages c JOIN policies p ON p.id = c.policy_id WHERE EXISTS "
            "(SELECT 1 FROM claims k WHERE k.policy_id = p.id AND k.peril = c.peril AND k.status IN "
            "('approved', 'paid')) ORDER BY c.id"
        )
        if not covers:
            return None
        cover = rng.choice(covers)
        spec = {"policy": cover["number"], "peril": cover["peril"]}
        return TaskDraft(
            shape="remaining_limit",
            instruction=self.render("remaining_limit", rng, **spec),
            solution=Program.of(solve_remaining_limit, **spec),
            answer=Answer.number(self._remaining(cover["policy_id"], cover["peril"], cover["limit_amount"])),
            tools=("list_claims", "get_claim", "get_policy", "find_policyholders"),
        )

    @proposer(difficulty=2)
    def propose_busiest_adjuster(self, rng: random.Random) -> TaskDraft | None:
        product = rng.choice(sorted(PERILS))
        counts = self._open_counts()
        staff = sorted(
            self.rows("SELECT id, name FROM adjusters WHERE specialty = ?", product), key=lambda a: -counts[a["id"]]
        )
        if len(staff) < 2 or counts[staff[0]["id"]] == counts[staff[1]["id"]]:
            return None
        return TaskDraft(
            shape="busiest_adjuster",
            instruction=self.render("busiest_adjuster", rng, product=product),
            solution=Program.of(solve_busiest_adjuster, product=product),
            answer=Answer.entity(staff[0]["name"], candidates=self.column("SELECT name FROM adjusters")),
        )

    # ---- claims handling --------------------------------------------------------------------------

    @proposer(difficulty=3)
    def propose_adjudicate(self, rng: random.Random) -> TaskDraft | None:
        claims = self.column("SELECT number FROM claims WHERE status = 'open' AND adjuster_id IS NOT NULL ORDER BY id")
        if not claims:
            return None
        number = rng.choice(claims)
        result = self._simulate(lambda: self._process(number))
        if result is None:
            return None
        return TaskDraft(
            shape="adjudicate",
            instruction=self.render("adjudicate", rng, number=number),
            solution=Program.of(solve_adjudicate, number=number, **self._rules()),
            answer=Answer.none(),
            **self._handled(result, [number]),
            tools=self.available_tools(*WORK_TOOLS),
        )

    @proposer(difficulty=3)
    def propose_assign_queue(self, rng: random.Random) -> TaskDraft | None:
        product = rng.choice(sorted(PERILS))
        numbers = self.column(
            "SELECT c.number FROM claims c JOIN policies p ON p.id = c.policy_id WHERE p.product = ? "
            "AND c.status = 'open' AND c.adjuster_id IS NULL ORDER BY c.number",
            product,
        )
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
        ids = [result[0][n]["id"] for n in numbers]
        return TaskDraft(
            shape="assign_queue",
            instruction=self.render("assign_queue", rng, product=product),
            solution=Program.of(solve_assign_queue, product=product),
            answer=Answer.none(),
            effects=Effects.on(claims=updates("adjuster_id", keys=ids)),
            check=Program.of(
                check_claims,
                claims={str(result[0][n]["id"]): {"adjuster_id": result[0][n]["adjuster_id"]} for n in numbers},
            ),
            tools=("list_claims", "list_adjusters", "assign_adjuster", "get_claim"),
        )

    @proposer(difficulty=4)
    def propose_file_and_decide(self, rng: random.Random) -> TaskDraft | None:
        policy = rng.choice(
            self.rows(
                "SELECT p.*, h.name AS holder FROM policies p JOIN policyholders h ON h.id = p.holder_id ORDER BY p.id"
            )
        )
        today = dt.date.fromisoformat(self._office()["today"])
        incident = (today - dt.timedelta(days=rng.choice([0, 2, 5, 10, 20, 35, 60, 200]))).isoformat()
        peril = rng.choice(sorted(PERILS[policy["product"]]))
        amount = round(rng.uniform(200, 20000), 2)
        spec = {
            "holder": policy["holder"],
            "policy": policy["number"],
            "peril": peril,
            "incident": incident,
            "amount": amount,
        }
        result = self._simulate(
            lambda: self._process(self.file_claim(policy["number"], peril, incident, amount)["number"])
        )
        if result is None:
            return None
        return TaskDraft(
            shape="file_and_decide",
            instruction=self.render("file_and_decide", rng, **spec),
            solution=Program.of(
                solve_file_claims,
                items=[[peril, amount]],
                policy=policy["number"],
                incident=incident,
                pay_limit=None,
                **self._rules(),
            ),
            answer=Answer.none(),
            effects=self._filed(result),
        )

    @proposer(difficulty=4)
    def propose_holder_queue(self, rng: random.Random) -> TaskDraft | None:
        holders = self.rows(
            "SELECT h.id, h.name, COUNT(*) AS n FROM claims c JOIN policies p ON p.id = c.policy_id "
            "JOIN policyholders h ON h.id = p.holder_id WHERE c.status = 'open' GROUP BY h.id HAVING "
            "n >= 2 ORDER BY h.id"
        )
        if not holders:
            holders = self.rows(
                "SELECT h.id, h.name FROM claims c JOIN policies p ON p.id = c.policy_id JOIN "
                "policyholders h ON h.id = p.holder_id WHERE c.status = 'open' GROUP BY h.id"
            )
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
            solution=Program.of(solve_holder_queue, holder=holder["name"], **self._rules()),
            answer=Answer.none(),
            **self._handled(result, numbers),
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
        numbers = [
            r["number"] for r in self.list_claims(status="open", product=product) if start <= r["incident_date"] <= end
        ]
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
            solution=Program.of(solve_triage, **spec, **self._rules()),
            answer=Answer.none(),
            **self._handled(result, numbers),
        )

    @proposer(difficulty=5)
    def propose_multi_file(self, rng: random.Random) -> TaskDraft | None:
        policy = rng.choice(
            self.rows(
                "SELECT p.*, h.name AS holder FROM policies p JOIN policyholders h ON "
                "h.id = p.holder_id WHERE p.product != 'health' ORDER BY p.id"
            )
        )
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
        spec = {"holder": policy["holder"], "policy": policy["number"], "incident": incident}
        return TaskDraft(
            shape="multi_file",
            instruction=self.render("multi_file", rng, **spec, items=", ".join(f"{p} ({a:.2f})" for p, a in items)),
            solution=Program.of(
                solve_file_claims,
                items=items,
                policy=policy["number"],
                incident=incident,
                pay_limit=1e12,
                **self._rules(),
            ),
            answer=Answer.none(),
            effects=self._filed(result),
        )
