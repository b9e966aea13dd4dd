"""Task proposers, from single lookups (level 1) to account reviews and quota pushes (level 5)."""

from __future__ import annotations

import json
import random

from synth.env import Answer, Effects, Program, Rule, TaskDraft, inserts, proposer, updates

from .checks import check_activity_kind, check_rebalance, check_rows
from .solutions import (
    solve_account_owner,
    solve_account_review,
    solve_advance_deal,
    solve_industry_won,
    solve_open_pipeline,
    solve_opp_stage,
    solve_push_overdue,
    solve_quarter_close,
    solve_quota_push,
    solve_reassign_lightest,
    solve_rebalance_owner,
    solve_stage_entered,
    solve_stale_deals,
    solve_top_attainment,
)
from .world import INDUSTRIES, OPEN_STAGES, REGIONS, STAGES, TODAY, on_day


class CrmTasks:
    # ---- proposer helpers ---------------------------------------------------------------------------

    def _owner_names(self) -> list[str]:
        return self.column("SELECT name FROM owners ORDER BY name")

    def _open_opps(self, where: str = "1", *args) -> list[dict]:
        return self.rows(
            "SELECT * FROM opportunities WHERE stage IN ('prospecting', 'qualification', 'proposal', "
            f"'negotiation') AND {where} ORDER BY id",
            *args,
        )

    @staticmethod
    def _future(rng: random.Random) -> str:
        return on_day(rng.randint(10, 150))

    def _pipeline(
        self, changes: dict[int, dict], activities: list[dict] = (), new: list[dict] = ()
    ) -> tuple[Effects, Program | None]:
        """Effects of changing opportunities (`changes`: {id: {column: final value}}; each stage change is
        recorded in the stage history, and a win closes today), logging `activities` and creating `new`
        opportunities. Where the changed opportunities all end alike the declaration says their values;
        otherwise check_rows says each one's."""
        history, final = [], {}
        for oid, columns in changes.items():
            opp = self._opp(oid)
            columns = dict(columns)
            if "stage" in columns:
                history.append(
                    {"opportunity_id": oid, "from_stage": opp["stage"], "to_stage": columns["stage"], "day": TODAY}
                )
                if columns["stage"] == "won":
                    columns["close_date"] = TODAY
            final[oid] = columns
        names = sorted({c for v in final.values() for c in v})
        full = {k: {c: v.get(c, self._opp(k)[c]) for c in names} for k, v in final.items()}
        same = len({json.dumps(v, sort_keys=True) for v in full.values()}) == 1
        rules = {
            "opportunities": Rule(
                insert=len(new),
                rows=list(new) or None,
                update=names,
                keys=sorted(full) or None,
                values=next(iter(full.values())) if same else None,
            )
        }
        if history:
            rules["stage_history"] = inserts(rows=history)
        if activities:
            rules["activities"] = inserts(rows=list(activities))
        check = (
            None if same else Program.of(check_rows, rows=[["opportunities", k, v] for k, v in sorted(full.items())])
        )
        return Effects.on(**rules), check

    # ---- proposers ----------------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_opp_stage(self, rng: random.Random) -> TaskDraft | None:
        opp = rng.choice(self.rows("SELECT id, stage FROM opportunities ORDER BY id"))
        return TaskDraft(
            shape="opp_stage",
            instruction=self.render("opp_stage", rng, opp=opp["id"]),
            solution=Program.of(solve_opp_stage, opp=opp["id"]),
            answer=Answer.entity(opp["stage"], candidates=STAGES),
            tools=("get_opportunity", "search_opportunities"),
        )

    @proposer(difficulty=1)
    def propose_account_owner(self, rng: random.Random) -> TaskDraft | None:
        acc = rng.choice(
            self.rows("SELECT a.name, o.name AS owner FROM accounts a JOIN owners o ON o.id = a.owner_id ORDER BY a.id")
        )
        return TaskDraft(
            shape="account_owner",
            instruction=self.render("account_owner", rng, account=acc["name"]),
            solution=Program.of(solve_account_owner, account=acc["name"]),
            answer=Answer.entity(acc["owner"], candidates=self._owner_names()),
            tools=("get_account", "search_accounts"),
        )

    @proposer(difficulty=1)
    def propose_stage_entered(self, rng: random.Random) -> TaskDraft | None:
        if not self.has_tool("get_stage_history"):
            return None
        opp = rng.choice(
            self.rows(
                "SELECT p.id, MAX(h.day) AS day FROM opportunities p JOIN stage_history h ON "
                "h.opportunity_id = p.id GROUP BY p.id ORDER BY p.id"
            )
        )
        return TaskDraft(
            shape="stage_entered",
            instruction=self.render("stage_entered", rng, opp=opp["id"]),
            solution=Program.of(solve_stage_entered, opp=opp["id"]),
            answer=Answer.date(opp["day"]),
            tools=("get_stage_history", "get_opportunity"),
        )

    @proposer(difficulty=2, attempts=3)
    def propose_open_pipeline(self, rng: random.Random) -> TaskDraft | None:
        owner = rng.choice(self.rows("SELECT id, name FROM owners ORDER BY id"))
        stage = rng.choice(OPEN_STAGES)
        stages = OPEN_STAGES[OPEN_STAGES.index(stage) :]
        total = sum(o["amount"] for o in self._open_opps("owner_id = ?", owner["id"]) if o["stage"] in stages)
        if not total:
            return None
        return TaskDraft(
            shape="open_pipeline",
            instruction=self.render("open_pipeline", rng, owner=owner["name"], stage=stage),
            solution=Program.of(solve_open_pipeline, owner=owner["name"], stage=stage),
            answer=Answer.number(round(total, 2)),
            tools=("search_opportunities", "list_owners", "get_opportunity"),
        )

    @proposer(difficulty=2, attempts=3)
    def propose_top_attainment(self, rng: random.Random) -> TaskDraft | None:
        region = rng.choice(REGIONS)
        owners = self.rows("SELECT id, name, quota FROM owners WHERE region = ? ORDER BY id", region)
        ranked = sorted((self._won_quarter(o["id"]) / o["quota"], o["name"]) for o in owners)
        if len(ranked) < 2 or ranked[-1][0] - ranked[-2][0] < 1e-6 or ranked[-1][0] == 0:
            return None
        return TaskDraft(
            shape="top_attainment",
            instruction=self.render("top_attainment", rng, region=region),
            solution=Program.of(solve_top_attainment, region=region),
            answer=Answer.entity(ranked[-1][1], candidates=self._owner_names()),
            tools=("list_owners", "search_opportunities"),
        )

    @proposer(difficulty=2, attempts=4)
    def propose_stale_deals(self, rng: random.Random) -> TaskDraft | None:
        owner = rng.choice(self.rows("SELECT id, name FROM owners ORDER BY id"))
        since = on_day(-rng.choice([7, 10, 14, 21, 30, 45, 60]))
        opps = [str(o["id"]) for o in self._open_opps("owner_id = ?", owner["id"])]
        stale = [
            o
            for o in opps
            if not self.value("SELECT 1 FROM activities WHERE opportunity_id = ? AND day >= ?", int(o), since)
        ]
        if not 1 <= len(stale) <= 8 or set(opps) & set(since.split("-")):
            return None  # (a deal number that the date also reads would be taken for a restated date)
        return TaskDraft(
            shape="stale_deals",
            instruction=self.render("stale_deals", rng, owner=owner["name"], since=since),
            solution=Program.of(solve_stale_deals, owner=owner["name"], since=since),
            answer=Answer.entities(stale, candidates=opps),
            tools=("search_opportunities", "list_activities", "get_opportunity"),
        )

    @proposer(difficulty=2, attempts=3)
    def propose_industry_won(self, rng: random.Random) -> TaskDraft | None:
        industry = rng.choice(INDUSTRIES)
        start = on_day(-rng.randint(60, 200))
        end = on_day(-rng.randint(0, 50))
        total = self.value(
            "SELECT COALESCE(SUM(p.amount), 0) FROM opportunities p JOIN accounts a ON a.id = "
            "p.account_id WHERE a.industry = ? AND p.stage = 'won' AND p.close_date BETWEEN ? AND ?",
            industry,
            start,
            end,
        )
        if not total:
            return None
        return TaskDraft(
            shape="industry_won",
            instruction=self.render("industry_won", rng, industry=industry, start=start, end=end),
            solution=Program.of(solve_industry_won, industry=industry, start=start, end=end),
            answer=Answer.number(round(total, 2)),
            tools=("search_opportunities", "search_accounts"),
        )

    @proposer(difficulty=3, attempts=3)
    def propose_advance_deal(self, rng: random.Random) -> TaskDraft | None:
        opp = rng.choice(self._open_opps())
        nxt = STAGES[STAGES.index(opp["stage"]) + 1]
        activities, check = [], None
        if self._blocker(opp, nxt):
            kinds = ["demo"] if nxt == "won" else ["meeting", "demo"]
            activities = [
                {
                    "opportunity_id": opp["id"],
                    "contact_id": self._primary(opp["account_id"]),
                    "owner_id": opp["owner_id"],
                    "day": TODAY,
                }
            ]
            check = Program.of(check_activity_kind, kinds=kinds)
        effects, _ = self._pipeline({opp["id"]: {"stage": nxt}}, activities)
        return TaskDraft(
            shape="advance_deal",
            instruction=self.render("advance_deal", rng, opp=opp["id"]),
            solution=Program.of(solve_advance_deal, opp=opp["id"], **self._rules()),
            answer=Answer.none(),
            effects=effects,
            check=check,
            tools=("get_opportunity", "get_account", "log_activity", "advance_stage"),
        )

    @proposer(difficulty=3, attempts=4)
    def propose_reassign_lightest(self, rng: random.Random) -> TaskDraft | None:
        opp = rng.choice(self._open_opps())
        load = self._open_load()
        ranked = sorted((load[o], o) for o in self._eligible(opp) if o != opp["owner_id"])
        if not ranked or (len(ranked) > 1 and ranked[0][0] == ranked[1][0]):
            return None
        return TaskDraft(
            shape="reassign_lightest",
            instruction=self.render("reassign_lightest", rng, opp=opp["id"]),
            solution=Program.of(solve_reassign_lightest, opp=opp["id"], **self._rules()),
            answer=Answer.none(),
            effects=self._pipeline({opp["id"]: {"owner_id": ranked[0][1]}})[0],
            tools=("get_opportunity", "list_owners", "reassign_opportunity"),
        )

    @proposer(difficulty=3, attempts=4)
    def propose_push_overdue(self, rng: random.Random) -> TaskDraft | None:
        owner = rng.choice(self.rows("SELECT id, name FROM owners ORDER BY id"))
        late = self._open_opps("owner_id = ? AND close_date < ?", owner["id"], TODAY)
        if not 2 <= len(late) <= 6:
            return None
        date = self._future(rng)
        return TaskDraft(
            shape="push_overdue",
            instruction=self.render("push_overdue", rng, owner=owner["name"], date=date),
            solution=Program.of(solve_push_overdue, owner=owner["name"], date=date),
            answer=Answer.none(),
            effects=self._pipeline({o["id"]: {"close_date": date} for o in late})[0],
            tools=("search_opportunities", "get_opportunity", "update_close_date"),
        )

    @proposer(difficulty=4, attempts=6)
    def propose_rebalance_owner(self, rng: random.Random) -> TaskDraft | None:
        owner = rng.choice(self.rows("SELECT id, name FROM owners ORDER BY id"))
        stage = rng.choice(OPEN_STAGES)
        opps = self._open_opps("owner_id = ? AND stage = ?", owner["id"], stage)
        if not 4 <= len(opps) <= 8:
            return None
        load = self._open_load()
        eligible = {str(o["id"]): [e for e in self._eligible(o) if e != owner["id"]] for o in opps}
        others = {e for ids in eligible.values() for e in ids}
        if not others:
            return None
        if any(not ids for ids in eligible.values()):
            return None
        cap = max(load[e] for e in others) + rng.choice([0, 1])
        while not self._fits(opps, eligible, load, cap):
            cap += 1
        return TaskDraft(
            shape="rebalance_owner",
            instruction=self.render("rebalance_owner", rng, owner=owner["name"], stage=stage, cap=cap),
            solution=Program.of(solve_rebalance_owner, owner=owner["name"], stage=stage, cap=cap, **self._rules()),
            answer=Answer.none(),
            effects=Effects.on(opportunities=updates("owner_id", keys=[o["id"] for o in opps])),
            check=Program.of(check_rebalance, owners=[[int(k), v] for k, v in eligible.items()], cap=cap),
            tools=("search_opportunities", "get_opportunity", "list_owners", "reassign_opportunity"),
        )

    @staticmethod
    def _fits(opps: list[dict], eligible: dict, load: dict, cap: int) -> bool:
        """Whether a greedy placement (most constrained first, emptiest owner) keeps every owner within `cap`."""
        spare = {e: cap - load[e] for ids in eligible.values() for e in ids}
        for o in sorted(opps, key=lambda o: len(eligible[str(o["id"])])):
            options = [e for e in eligible[str(o["id"])] if spare[e] > 0]
            if not options:
                return False
            spare[max(options, key=lambda e: spare[e])] -= 1
        return True

    @proposer(difficulty=4, attempts=8)
    def propose_quarter_close(self, rng: random.Random) -> TaskDraft | None:
        owner = rng.choice(self.rows("SELECT id, name FROM owners ORDER BY id"))
        cutoff = on_day(rng.randint(5, 60))
        opps = self._open_opps(
            "owner_id = ? AND close_date <= ? AND stage IN ('proposal', 'negotiation')", owner["id"], cutoff
        )
        negotiating = sum(o["stage"] == "negotiation" for o in opps)
        if not 3 <= len(opps) <= 7 or len(opps) + negotiating < 5:  # at least six calls
            return None
        new_date = on_day(rng.randint(61, 150))
        changes = {
            o["id"]: {"stage": "won"}
            if o["stage"] == "negotiation" and not self._blocker(o, "won")
            else {"close_date": new_date}
            for o in opps
        }
        effects, check = self._pipeline(changes)
        spec = {"owner": owner["name"], "cutoff": cutoff, "new_date": new_date}
        return TaskDraft(
            shape="quarter_close",
            instruction=self.render("quarter_close", rng, **spec),
            solution=Program.of(solve_quarter_close, **spec, **self._rules()),
            answer=Answer.none(),
            effects=effects,
            check=check,
            tools=("search_opportunities", "get_opportunity", "list_activities", "advance_stage", "update_close_date"),
        )

    @proposer(difficulty=5, attempts=10)
    def propose_account_review(self, rng: random.Random) -> TaskDraft | None:
        acc = rng.choice(
            self.rows(
                "SELECT * FROM accounts a WHERE EXISTS (SELECT 1 FROM opportunities p WHERE "
                "p.account_id = a.id AND p.stage = 'won') ORDER BY id"
            )
        )
        opps = self._open_opps("account_id = ?", acc["id"])
        won = self.value(
            "SELECT COALESCE(SUM(amount), 0) FROM opportunities WHERE account_id = ? AND stage = 'won'", acc["id"]
        )
        if not opps or not won:
            return None
        threshold = float(rng.choice([5000, 10000, 20000, 30000, 50000]))
        lost = [o for o in opps if o["close_date"] < TODAY]
        moves = [o for o in opps if o not in lost and o["amount"] >= threshold and o["stage"] != "negotiation"]
        if not moves or len(lost) + len(moves) > 7 or len(lost) + 2 * len(moves) < 4:  # at least six calls
            return None
        primary = self._primary(acc["id"])
        amount = float(round(won * 0.1))
        if acc["owner_id"] not in self._eligible({"account_id": acc["id"], "amount": amount}):
            return None  # the fallback owner's load would depend on the order of the write steps
        product = rng.choice(["renewal", "expansion", "upsell", "follow-on"])
        new_name = f"{acc['name']} - 2026 {product}"
        close = self._future(rng)
        spec = {"account": acc["name"], "threshold": threshold, "new_name": new_name, "close": close}
        effects, check = self._pipeline(
            {o["id"]: {"stage": "lost", "lost_reason": "stale"} for o in lost}
            | {o["id"]: {"stage": STAGES[STAGES.index(o["stage"]) + 1]} for o in moves},
            activities=[
                {
                    "opportunity_id": o["id"],
                    "contact_id": primary,
                    "owner_id": o["owner_id"],
                    "kind": "meeting",
                    "day": TODAY,
                }
                for o in moves
            ],
            new=[
                {
                    "account_id": acc["id"],
                    "name": new_name,
                    "amount": amount,
                    "close_date": close,
                    "owner_id": acc["owner_id"],
                    "stage": "prospecting",
                    "created": TODAY,
                }
            ],
        )
        return TaskDraft(
            shape="account_review",
            instruction=self.render("account_review", rng, **spec | {"threshold": f"{threshold:,.0f}"}),
            solution=Program.of(solve_account_review, **spec, **self._rules()),
            answer=Answer.none(),
            effects=effects,
            check=check,
            tools=(
                "get_account",
                "search_opportunities",
                "get_opportunity",
                "list_owners",
                "mark_lost",
                "log_activity",
                "advance_stage",
                "create_opportunity",
            ),
        )

    @proposer(difficulty=5, attempts=5)
    def propose_quota_push(self, rng: random.Random) -> TaskDraft | None:
        owner = rng.choice(self.rows("SELECT * FROM owners ORDER BY id"))
        opps = sorted(
            self._open_opps("owner_id = ? AND stage = 'negotiation'", owner["id"]),
            key=lambda o: (-o["amount"], o["id"]),
        )
        amounts = [o["amount"] for o in opps]
        won = self._won_quarter(owner["id"])
        if len(opps) < 3 or won >= owner["quota"] or len(set(amounts)) != len(amounts):
            return None
        changes = {}
        new_date = self._future(rng)
        for o in opps:
            if won < owner["quota"] and not self._blocker(o, "won"):
                changes[o["id"]] = {"stage": "won"}
                won += o["amount"]
            else:
                changes[o["id"]] = {"close_date": new_date}
        if all("stage" in c for c in changes.values()) or all("stage" not in c for c in changes.values()):
            return None
        effects, check = self._pipeline(changes)
        return TaskDraft(
            shape="quota_push",
            instruction=self.render("quota_push", rng, owner=owner["name"], new_date=new_date),
            solution=Program.of(solve_quota_push, owner=owner["name"], new_date=new_date, **self._rules()),
            answer=Answer.none(),
            effects=effects,
            check=check,
            tools=("list_owners", "search_opportunities", "get_opportunity", "advance_stage", "update_close_date"),
        )
