"""Task proposers, from lookups (level 1) to offboarding plans (level 5)."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import Answer, Effects, Program, Rule, TaskDraft, inserts, proposer, updates

from .checks import check_support
from .solutions import (
    solve_assign_lightest,
    solve_busiest_agent,
    solve_cancel_and_refund,
    solve_case_agent,
    solve_customer_tier,
    solve_max_credit,
    solve_max_refund,
    solve_outage_compensation,
    solve_refundable,
    solve_sla_breaches,
    solve_triage_category,
)
from .world import CATEGORIES, NOW, PRIORITIES, SLA_HOURS, TIERS, _stamp


class SupportTasks:
    # ---- proposer helpers ---------------------------------------------------------------------------

    def _rules(self) -> dict:
        return {
            "half_refund_late": "half_refund_late" in self.variant.rules,
            "urgent_level2": "urgent_level2" in self.variant.rules,
        }

    def _agent_names(self) -> list[str]:
        return [r["name"] for r in self.rows("SELECT name FROM agents ORDER BY name")]

    # ---- proposers ----------------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_customer_tier(self, rng: random.Random) -> TaskDraft | None:
        c = rng.choice(self.rows("SELECT email, tier FROM customers ORDER BY id"))
        return TaskDraft(
            shape="customer_tier",
            instruction=self.render("customer_tier", rng, email=c["email"]),
            solution=Program.of(solve_customer_tier, email=c["email"]),
            answer=Answer.entity(c["tier"], candidates=list(TIERS)),
            tools=("get_customer", "list_invoices", "get_case"),
        )

    @proposer(difficulty=1)
    def propose_case_agent(self, rng: random.Random) -> TaskDraft | None:
        c = rng.choice(
            self.rows("SELECT ca.id, a.name FROM cases ca JOIN agents a ON a.id = ca.agent_id ORDER BY ca.id")
        )
        return TaskDraft(
            shape="case_agent",
            instruction=self.render("case_agent", rng, case=c["id"]),
            solution=Program.of(solve_case_agent, case=c["id"]),
            answer=Answer.entity(c["name"], candidates=self._agent_names()),
            tools=("get_case", "search_cases"),
        )

    @proposer(difficulty=2)
    def propose_refundable(self, rng: random.Random) -> TaskDraft | None:
        inv = rng.choice(
            self.rows(
                "SELECT i.id, c.email FROM invoices i JOIN subscriptions s ON "
                "s.id = i.subscription_id JOIN customers c ON c.id = s.customer_id ORDER BY i.id"
            )
        )
        spec = {"invoice": inv["id"], "email": inv["email"]}
        return TaskDraft(
            shape="refundable",
            instruction=self.render("refundable", rng, **spec),
            solution=Program.of(solve_refundable, **spec, **self._rules()),
            answer=Answer.number(self._refundable(inv["id"])),
            tools=("get_customer", "list_invoices"),
        )

    @proposer(difficulty=2, attempts=3)
    def propose_sla_breaches(self, rng: random.Random) -> TaskDraft | None:
        priority = rng.choice(PRIORITIES)
        cases = self.rows(
            "SELECT id, opened_at FROM cases WHERE status = 'open' AND priority = ? AND "
            "first_response_at IS NULL ORDER BY id",
            priority,
        )
        late = [
            c["id"]
            for c in cases
            if _stamp(dt.datetime.fromisoformat(c["opened_at"]) + dt.timedelta(hours=SLA_HOURS[priority])) < NOW
        ]
        if not late:
            return None
        return TaskDraft(
            shape="sla_breaches",
            instruction=self.render("sla_breaches", rng, priority=priority),
            solution=Program.of(solve_sla_breaches, priority=priority),
            answer=Answer.entities(
                [str(i) for i in late], candidates=[str(i) for i in self.column("SELECT id FROM cases")]
            ),
            tools=("search_cases", "get_case"),
        )

    @proposer(difficulty=2, attempts=3)
    def propose_busiest_agent(self, rng: random.Random) -> TaskDraft | None:
        level = rng.choice([1, 2])
        load = self._open_load()
        ranked = sorted(
            (load[r["id"]], r["name"]) for r in self.rows("SELECT id, name FROM agents WHERE level = ?", level)
        )
        if not ranked or (len(ranked) > 1 and ranked[-1][0] == ranked[-2][0]):
            return None
        return TaskDraft(
            shape="busiest_agent",
            instruction=self.render("busiest_agent", rng, level=level),
            solution=Program.of(solve_busiest_agent, level=level),
            answer=Answer.entity(ranked[-1][1], candidates=self._agent_names()),
            tools=("list_agents", "search_cases"),
        )

    @proposer(difficulty=3)
    def propose_max_refund(self, rng: random.Random) -> TaskDraft | None:
        rows = self.rows(
            "SELECT i.id, c.email, ca.id AS case_id FROM invoices i JOIN subscriptions s ON "
            "s.id = i.subscription_id JOIN customers c ON c.id = s.customer_id JOIN cases ca ON "
            "ca.customer_id = c.id AND ca.status = 'open' ORDER BY i.id, ca.id"
        )
        rows = [r for r in rows if self._refundable(r["id"]) > 0]
        if not rows:
            return None
        pick = rng.choice(rows)
        spec = {"email": pick["email"], "invoice": pick["id"], "case": pick["case_id"]}
        return TaskDraft(
            shape="max_refund",
            instruction=self.render("max_refund", rng, **spec),
            solution=Program.of(solve_max_refund, **spec, **self._rules()),
            answer=Answer.none(),
            effects=Effects.on(refunds=inserts(), invoices=updates("refunded", keys=[pick["id"]])),
            check=Program.of(
                check_support, case=pick["case_id"], refunds={str(pick["id"]): self._refundable(pick["id"])}
            ),
            tools=("get_customer", "list_invoices", "get_case", "refund_invoice"),
        )

    @proposer(difficulty=3, attempts=3)
    def propose_max_credit(self, rng: random.Random) -> TaskDraft | None:
        case = rng.choice(self.rows("SELECT id FROM cases WHERE status = 'open' ORDER BY id"))
        room = self._credit_room(case["id"])
        if not room:
            return None
        return TaskDraft(
            shape="max_credit",
            instruction=self.render("max_credit", rng, case=case["id"]),
            solution=Program.of(solve_max_credit, case=case["id"]),
            answer=Answer.none(),
            effects=Effects.on(credits=inserts(rows=[{"case_id": case["id"], "amount": room}])),
            tools=("get_case", "get_customer", "issue_credit"),
        )

    @proposer(difficulty=3, attempts=3)
    def propose_assign_lightest(self, rng: random.Random) -> TaskDraft | None:
        cases = self.rows("SELECT id, priority FROM cases WHERE status = 'open' AND agent_id IS NULL ORDER BY id")
        if not cases:
            return None
        case = rng.choice(cases)
        load = self._open_load()
        ranked = sorted((load[a], a) for a in self._eligible(case["priority"]))
        if len(ranked) > 1 and ranked[0][0] == ranked[1][0]:
            return None
        return TaskDraft(
            shape="assign_lightest",
            instruction=self.render("assign_lightest", rng, case=case["id"]),
            solution=Program.of(solve_assign_lightest, case=case["id"], **self._rules()),
            answer=Answer.none(),
            effects=Effects.on(cases=updates("agent_id", keys=[case["id"]], values={"agent_id": ranked[0][1]})),
            tools=("get_case", "list_agents", "assign_case"),
        )

    @proposer(difficulty=4, attempts=3)
    def propose_triage_category(self, rng: random.Random) -> TaskDraft | None:
        category = rng.choice(CATEGORIES)
        cases = self.rows(
            "SELECT id, priority FROM cases WHERE status = 'open' AND agent_id IS NULL AND category = ? ORDER BY id",
            category,
        )
        if len(cases) < 2:
            return None
        load = self._open_load()
        cap = max(load.values()) + rng.choice([0, 1])
        spare = {a: cap - n for a, n in load.items()}
        for c in sorted(cases, key=lambda c: c["priority"] != "urgent"):  # urgent first: fewer agents qualify
            options = [a for a in self._eligible(c["priority"]) if spare[a] > 0]
            if not options:
                return None
            spare[max(options, key=lambda a: spare[a])] -= 1
        ids = [c["id"] for c in cases]
        return TaskDraft(
            shape="triage_category",
            instruction=self.render("triage_category", rng, category=category, cap=cap),
            solution=Program.of(solve_triage_category, category=category, cap=cap, **self._rules()),
            answer=Answer.none(),
            effects=Effects.on(cases=updates("agent_id", keys=ids, values={"first_response_at": NOW})),
            check=Program.of(
                check_support,
                cap=cap,
                responded=ids,
                agents={str(c["id"]): self._eligible(c["priority"]) for c in cases},
            ),
        )

    @proposer(difficulty=4, attempts=3)
    def propose_outage_compensation(self, rng: random.Random) -> TaskDraft | None:
        tier = rng.choice(list(TIERS))
        cases = self.rows(
            "SELECT ca.id, ca.agent_id, ca.priority, ca.first_response_at FROM cases ca JOIN customers c "
            "ON c.id = ca.customer_id WHERE ca.status = 'open' AND ca.category = 'outage' AND c.tier = ? "
            "ORDER BY ca.id",
            tier,
        )
        if not 2 <= len(cases) <= 6:  # up to five calls per case keeps the plan within the turn limit
            return None
        aid = rng.choice(self._eligible("urgent" if any(c["priority"] == "urgent" for c in cases) else "low"))
        agent = self.value("SELECT name FROM agents WHERE id = ?", aid)
        credits = [
            {"case_id": c["id"], "amount": self._credit_room(c["id"])} for c in cases if self._credit_room(c["id"])
        ]
        return TaskDraft(
            shape="outage_compensation",
            instruction=self.render("outage_compensation", rng, tier=tier, agent=agent),
            solution=Program.of(solve_outage_compensation, tier=tier, agent=agent),
            answer=Answer.none(),
            effects=Effects.on(
                cases=_closing([c["id"] for c in cases]), **({"credits": inserts(rows=credits)} if credits else {})
            ),
            check=Program.of(
                check_support,
                agents={str(c["id"]): [c["agent_id"] or aid] for c in cases},
                responded=[c["id"] for c in cases if not c["first_response_at"]],
            ),
        )

    @proposer(difficulty=5, attempts=3)
    def propose_cancel_and_refund(self, rng: random.Random) -> TaskDraft | None:
        rows = self.rows(
            "SELECT c.id, c.email, ca.id AS case_id, ca.agent_id, ca.priority, ca.first_response_at "
            "FROM customers c JOIN cases ca ON ca.customer_id = c.id AND ca.status = 'open' WHERE "
            "EXISTS (SELECT 1 FROM subscriptions s WHERE s.customer_id = c.id AND s.status = 'active') "
            "ORDER BY ca.id"
        )
        if not rows:
            return None
        pick = rng.choice(rows)
        invoices = self.column(
            "SELECT i.id FROM invoices i JOIN subscriptions s ON s.id = i.subscription_id WHERE "
            "s.customer_id = ? ORDER BY i.id",
            pick["id"],
        )
        refunds = {str(i): self._refundable(i) for i in invoices if self._refundable(i) > 0}
        total = round(sum(refunds.values()), 2)
        threshold = float(rng.choice([20, 30, 50, 80, 120]))
        credits = []
        if total < threshold and self._credit_room(pick["case_id"]):
            credits = [{"case_id": pick["case_id"], "amount": self._credit_room(pick["case_id"])}]
        aid = rng.choice(self._eligible(pick["priority"]))
        agent = self.value("SELECT name FROM agents WHERE id = ?", aid)
        subs = self.column(
            "SELECT id FROM subscriptions WHERE customer_id = ? AND status = 'active' ORDER BY id", pick["id"]
        )
        spec = {"email": pick["email"], "case": pick["case_id"], "threshold": threshold, "agent": agent}
        effects = {
            "subscriptions": updates("status", keys=subs, values={"status": "cancelled"}),
            "cases": _closing([pick["case_id"]]),
        }
        if refunds:
            effects |= {"refunds": inserts(), "invoices": updates("refunded", keys=[int(i) for i in refunds])}
        if credits:
            effects["credits"] = inserts(rows=credits)
        return TaskDraft(
            shape="cancel_and_refund",
            instruction=self.render("cancel_and_refund", rng, **spec | {"threshold": f"{threshold:.2f}"}),
            solution=Program.of(solve_cancel_and_refund, **spec, **self._rules()),
            answer=Answer.none(),
            effects=Effects.on(**effects),
            check=Program.of(
                check_support,
                case=pick["case_id"],
                refunds=refunds,
                agents={str(pick["case_id"]): [pick["agent_id"] or aid]},
                responded=[] if pick["first_response_at"] else [pick["case_id"]],
            ),
        )


def _closing(case_ids: list[int]) -> Rule:
    """Cases that end resolved, possibly assigned and answered on the way (check_support says by whom)."""
    return updates("status", "agent_id", "first_response_at", keys=case_ids, values={"status": "resolved"})
