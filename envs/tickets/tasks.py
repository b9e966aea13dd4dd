"""Task proposers, from single lookups (level 1) to multi-step plans (level 5)."""

from __future__ import annotations

import random

from synth.env import Answer, Effects, Program, Rule, TaskDraft, proposer, updates

from .checks import check_carried, check_placed, check_rows
from .solutions import (
    solve_assign_spare,
    solve_blocked_in_sprint,
    solve_close_sprint,
    solve_expedite,
    solve_fill_sprint,
    solve_most_loaded,
    solve_promote_bugs,
    solve_reassign_leave,
    solve_sprint_remaining,
    solve_start_ready,
    solve_ticket_field,
)
from .world import WIP_LIMIT, _rank


class TicketsTasks:
    # ---- proposer helpers ---------------------------------------------------------------------------

    def _rules(self) -> dict:
        return {
            "wip_limit": WIP_LIMIT if "wip_limit" in self.variant.rules else None,
            "estimate_required": "estimate_required" in self.variant.rules,
        }

    def _sprint_of(self, rng: random.Random, status: str) -> dict:
        return rng.choice(
            self.rows(
                "SELECT s.*, j.key AS project, j.team_id FROM sprints s JOIN projects j "
                "ON j.id = s.project_id WHERE s.status = ? ORDER BY s.id",
                status,
            )
        )

    def _team_name(self, team_id: int) -> str:
        return self.value("SELECT name FROM teams WHERE id = ?", team_id)

    def _person_name(self, pid: int) -> str:
        return self.value("SELECT name FROM people WHERE id = ?", pid)

    def _keys(self) -> list[str]:
        return self.column("SELECT key FROM tickets ORDER BY id")

    def _names(self) -> list[str]:
        return self.column("SELECT name FROM people ORDER BY name")

    def _spare(self, team_id: int, sprint_id: int) -> dict[int, int]:
        return {
            p["id"]: p["capacity"] - self._load(p["id"], sprint_id)
            for p in self.rows("SELECT id, capacity FROM people WHERE team_id = ? ORDER BY id", team_id)
        }

    def _replay(self, steps) -> bool:
        """Run a reference plan through the write tools, then roll it back; False when a step is refused."""
        try:
            steps()
            return True
        except (ValueError, StopIteration):
            return False
        finally:
            self.db.rollback()

    def _placed(self, tickets: list[dict], team_id: int, keep: bool, away: int | None = None, **want) -> dict:
        """check_placed's params for `tickets` ending with the values in `want` (sprint_id, priority, estimate,
        status: a value, or None for as they are), keeping their assignees when `keep`."""
        return {
            "team_id": team_id,
            "away": away,
            "tickets": {
                t["key"]: {
                    **{
                        c: t[c] if want.get(c) is None else want[c]
                        for c in ("sprint_id", "priority", "estimate", "status")
                    },
                    "keep": t["assignee_id"] if keep else None,
                }
                for t in tickets
            },
        }

    # ---- proposers: lookups -------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_ticket_assignee(self, rng: random.Random) -> TaskDraft | None:
        t = rng.choice(
            self.rows("SELECT t.key, p.name FROM tickets t JOIN people p ON p.id = t.assignee_id ORDER BY t.id")
        )
        return TaskDraft(
            shape="ticket_assignee",
            instruction=self.render("ticket_assignee", rng, key=t["key"]),
            solution=Program.of(solve_ticket_field, key=t["key"], field="assignee"),
            answer=Answer.entity(t["name"], candidates=self._names()),
            tools=("get_ticket", "search_tickets", "list_people"),
        )

    @proposer(difficulty=1)
    def propose_ticket_estimate(self, rng: random.Random) -> TaskDraft | None:
        t = rng.choice(self.rows("SELECT key, estimate FROM tickets WHERE estimate IS NOT NULL ORDER BY id"))
        return TaskDraft(
            shape="ticket_estimate",
            instruction=self.render("ticket_estimate", rng, key=t["key"]),
            solution=Program.of(solve_ticket_field, key=t["key"], field="estimate"),
            answer=Answer.integer(t["estimate"]),
            tools=("get_ticket", "search_tickets"),
        )

    # ---- proposers: aggregation ---------------------------------------------------------------------

    @proposer(difficulty=2, attempts=3)
    def propose_sprint_remaining(self, rng: random.Random) -> TaskDraft | None:
        s = self._sprint_of(rng, rng.choice(["active", "active", "planned"]))
        total = self.value(
            "SELECT SUM(COALESCE(estimate, 0)) FROM tickets WHERE sprint_id = ? AND status != 'done'", s["id"]
        )
        if not total:
            return None
        spec = {"project": s["project"], "which": s["status"]}  # not "PAY Sprint 15": its number is no answer
        return TaskDraft(
            shape="sprint_remaining",
            instruction=self.render("sprint_remaining", rng, **spec),
            solution=Program.of(solve_sprint_remaining, **spec),
            answer=Answer.integer(total),
            tools=("get_sprint", "search_tickets", "list_sprints"),
        )

    @proposer(difficulty=2, attempts=3)
    def propose_blocked_in_sprint(self, rng: random.Random) -> TaskDraft | None:
        s = self._sprint_of(rng, rng.choice(["active", "planned"]))
        blocked = [
            t["key"]
            for t in self.rows("SELECT id, key FROM tickets WHERE sprint_id = ? ORDER BY id", s["id"])
            if self._open_blockers(t["id"])
        ]
        if not blocked:
            return None
        return TaskDraft(
            shape="blocked_in_sprint",
            instruction=self.render("blocked_in_sprint", rng, sprint=s["name"]),
            solution=Program.of(solve_blocked_in_sprint, sprint=s["name"]),
            answer=Answer.entities(blocked, candidates=self._keys()),
            tools=("get_sprint", "get_ticket", "search_tickets"),
        )

    @proposer(difficulty=2, attempts=3)
    def propose_most_loaded(self, rng: random.Random) -> TaskDraft | None:
        s = self._sprint_of(rng, rng.choice(["active", "planned"]))
        loads = self.rows(
            "SELECT p.name, l.points FROM sprint_load l JOIN people p ON p.id = l.assignee_id "
            "WHERE l.sprint_id = ? ORDER BY l.points DESC, p.name",
            s["id"],
        )
        if not loads or (len(loads) > 1 and loads[0]["points"] == loads[1]["points"]):
            return None
        return TaskDraft(
            shape="most_loaded",
            instruction=self.render("most_loaded", rng, sprint=s["name"]),
            solution=Program.of(solve_most_loaded, sprint=s["name"]),
            answer=Answer.entity(loads[0]["name"], candidates=self._names()),
            tools=self.available_tools("get_sprint", "search_tickets", "get_workload", "list_people"),
        )

    # ---- proposers: constrained changes -------------------------------------------------------------

    @proposer(difficulty=3, attempts=3)
    def propose_assign_spare(self, rng: random.Random) -> TaskDraft | None:
        s = self._sprint_of(rng, rng.choice(["active", "planned"]))
        open_ = self.rows(
            "SELECT id, key, estimate FROM tickets WHERE sprint_id = ? AND assignee_id IS NULL AND "
            "status != 'done' ORDER BY id",
            s["id"],
        )
        if not open_:
            return None
        t = rng.choice(open_)
        spare = sorted(self._spare(s["team_id"], s["id"]).items(), key=lambda kv: -kv[1])
        if (len(spare) > 1 and spare[0][1] == spare[1][1]) or spare[0][1] < (t["estimate"] or 0):
            return None
        team = self._team_name(s["team_id"])
        return TaskDraft(
            shape="assign_spare",
            instruction=self.render("assign_spare", rng, key=t["key"], team=team, sprint=s["name"]),
            solution=Program.of(solve_assign_spare, key=t["key"], team=team, sprint=s["name"]),
            answer=Answer.none(),
            effects=Effects.on(tickets=updates("assignee_id", keys=[t["id"]], values={"assignee_id": spare[0][0]})),
            tools=self.available_tools("list_people", "get_sprint", "get_workload", "get_ticket", "assign_ticket"),
        )

    @proposer(difficulty=3, attempts=3)
    def propose_promote_bugs(self, rng: random.Random) -> TaskDraft | None:
        s = self._sprint_of(rng, rng.choice(["active", "planned"]))
        low, new = rng.choice([("P3", "P2"), ("P3", "P1"), ("P4", "P3"), ("P4", "P2"), ("P2", "P1")])
        bugs = self.column(
            "SELECT id FROM tickets WHERE sprint_id = ? AND type = 'bug' AND status != 'done' AND "
            "priority >= ? ORDER BY id",
            s["id"],
            low,
        )
        if not bugs:
            return None
        return TaskDraft(
            shape="promote_bugs",
            instruction=self.render("promote_bugs", rng, sprint=s["name"], low=low, new=new),
            solution=Program.of(solve_promote_bugs, sprint=s["name"], low=low, new=new),
            answer=Answer.none(),
            effects=Effects.on(tickets=updates("priority", keys=bugs, values={"priority": new})),
            tools=("get_sprint", "search_tickets", "get_ticket", "set_priority"),
        )

    @proposer(difficulty=3, attempts=3)
    def propose_start_ready(self, rng: random.Random) -> TaskDraft | None:
        s = self._sprint_of(rng, "active")
        owners = self.rows(
            "SELECT DISTINCT p.id, p.name FROM tickets t JOIN people p ON p.id = t.assignee_id "
            "WHERE t.sprint_id = ? AND t.status = 'todo' ORDER BY p.id",
            s["id"],
        )
        if not owners:
            return None
        person = rng.choice(owners)
        ready = sorted(
            (
                t
                for t in self.rows(
                    "SELECT id, key, priority FROM tickets WHERE sprint_id = ? AND "
                    "assignee_id = ? AND status = 'todo' ORDER BY id",
                    s["id"],
                    person["id"],
                )
                if not self._open_blockers(t["id"])
            ),
            key=lambda t: _rank(t["priority"]),
        )
        limit = self._rules()["wip_limit"]
        running = self.value(
            "SELECT COUNT(*) FROM tickets WHERE assignee_id = ? AND status = 'in_progress'", person["id"]
        )
        room = len(ready) if limit is None else min(len(ready), max(0, limit - running))
        if not ready or room == 0:
            return None
        if room < len(ready) and ready[room - 1]["priority"] == ready[room]["priority"]:
            return None  # the policy's limit falls between two tickets of one priority: either may start
        spec = {"person": person["name"], "sprint": s["name"]}
        return TaskDraft(
            shape="start_ready",
            instruction=self.render("start_ready", rng, **spec),
            solution=Program.of(solve_start_ready, **spec, **self._rules()),
            answer=Answer.none(),
            effects=Effects.on(
                tickets=updates("status", keys=sorted(t["id"] for t in ready[:room]), values={"status": "in_progress"})
            ),
            tools=("get_sprint", "search_tickets", "get_ticket", "set_status"),
        )

    # ---- proposers: multi-step plans ----------------------------------------------------------------

    @proposer(difficulty=4, attempts=3)
    def propose_fill_sprint(self, rng: random.Random) -> TaskDraft | None:
        s = self._sprint_of(rng, rng.choice(["planned", "planned", "active"]))
        rules = self._rules()
        pulled = [
            t
            for t in self.rows(
                "SELECT * FROM tickets WHERE project_id = ? AND sprint_id IS NULL AND status "
                "!= 'done' AND priority IN ('P1', 'P2') ORDER BY id",
                s["project_id"],
            )
            if t["estimate"] is not None or not rules["estimate_required"]
        ]
        if len(pulled) < 2:
            return None
        team = self._team_name(s["team_id"])

        def plan():  # biggest tickets first onto whoever has most room: a feasibility check
            spare = self._spare(s["team_id"], s["id"])
            for t in sorted(pulled, key=lambda t: -(t["estimate"] or 0)):
                if t["assignee_id"] is None:
                    pid = max(spare, key=lambda p: (spare[p], -p))
                    self.assign_ticket(t["key"], self._person_name(pid))
                    spare[pid] -= t["estimate"] or 0
                self.move_ticket(t["key"], s["name"])

        if 3 + len(pulled) + sum(t["assignee_id"] is None for t in pulled) < 6 or not self._replay(plan):
            return None  # a level-4 plan makes six calls at least
        spec = {"project": s["project"], "sprint": s["name"], "team": team}
        return TaskDraft(
            shape="fill_sprint",
            instruction=self.render("fill_sprint", rng, **spec),
            solution=Program.of(solve_fill_sprint, **spec, **rules),
            answer=Answer.none(),
            effects=Effects.on(
                tickets=Rule(
                    update=["assignee_id", "sprint_id"], keys=[t["id"] for t in pulled], values={"sprint_id": s["id"]}
                )
            ),
            check=Program.of(check_placed, **self._placed(pulled, s["team_id"], keep=True, sprint_id=s["id"])),
        )

    @proposer(difficulty=4, attempts=3)
    def propose_reassign_leave(self, rng: random.Random) -> TaskDraft | None:
        s = self._sprint_of(rng, "active")
        owners = self.rows(
            "SELECT assignee_id, COUNT(*) AS n FROM tickets WHERE sprint_id = ? AND status != 'done' "
            "AND assignee_id IS NOT NULL GROUP BY assignee_id HAVING n >= 2 ORDER BY assignee_id",
            s["id"],
        )
        if not owners:
            return None
        pid = rng.choice(owners)["assignee_id"]
        person = self.one("SELECT name, team_id FROM people WHERE id = ?", pid, missing=f"no person {pid}")
        mine = self.rows(
            "SELECT * FROM tickets WHERE sprint_id = ? AND assignee_id = ? AND status != 'done' ORDER BY id",
            s["id"],
            pid,
        )

        estimates = [t["estimate"] or 0 for t in mine]
        if len(set(estimates)) < len(estimates):
            return None  # two tickets of one size: either could go first
        owners = {}
        spare = {p: v for p, v in self._spare(person["team_id"], s["id"]).items() if p != pid}
        for t in sorted(mine, key=lambda t: -(t["estimate"] or 0)):
            ranked = sorted(spare.values(), reverse=True)
            if len(ranked) > 1 and ranked[0] == ranked[1]:
                return None  # two teammates with the most room: either could take it
            owners[t["id"]] = max(spare, key=lambda p: spare[p])
            spare[owners[t["id"]]] -= t["estimate"] or 0

        def plan():
            for t in sorted(mine, key=lambda t: -(t["estimate"] or 0)):
                if t["status"] != "todo":
                    self.set_status(t["key"], "todo")
                self.assign_ticket(t["key"], self._person_name(owners[t["id"]]))

        if 3 + len(mine) + sum(t["status"] != "todo" for t in mine) < 6 or not self._replay(plan):
            return None  # a level-4 plan makes six calls at least
        spec = {"person": person["name"], "sprint": s["name"]}
        return TaskDraft(
            shape="reassign_leave",
            instruction=self.render("reassign_leave", rng, **spec),
            solution=Program.of(solve_reassign_leave, **spec),
            answer=Answer.none(),
            effects=Effects.on(
                tickets=Rule(update=["assignee_id", "status"], keys=[t["id"] for t in mine], values={"status": "todo"})
            ),
            check=Program.of(check_rows, expect=[["tickets", i, "assignee_id", p] for i, p in sorted(owners.items())]),
        )

    @proposer(difficulty=5, attempts=3)
    def propose_close_sprint(self, rng: random.Random) -> TaskDraft | None:
        s = self._sprint_of(rng, "active")
        nxt = self.one(
            "SELECT * FROM sprints WHERE project_id = ? AND status = 'planned'",
            s["project_id"],
            missing="no planned sprint",
        )
        tickets = self.rows("SELECT * FROM tickets WHERE sprint_id = ? AND status != 'done' ORDER BY id", s["id"])
        finish = [t for t in tickets if t["status"] == "review" and not self._open_blockers(t["id"])]
        carry = [t for t in tickets if t not in finish]
        if not finish or len(carry) < 2:
            return None

        def plan():
            for t in finish:
                self.set_status(t["key"], "done")
            for t in carry:
                if t["assignee_id"] and self._load(t["assignee_id"], nxt["id"]) + (t["estimate"] or 0) > self._capacity(
                    t["assignee_id"]
                ):
                    self.assign_ticket(t["key"], None)
                self.move_ticket(t["key"], nxt["name"])
            self.close_sprint(s["name"])

        if not self._replay(plan):
            return None
        spec = {"sprint": s["name"], "next": nxt["name"]}
        return TaskDraft(
            shape="close_sprint",
            instruction=self.render("close_sprint", rng, **spec),
            solution=Program.of(solve_close_sprint, **spec),
            answer=Answer.none(),
            effects=Effects.on(
                tickets=Rule(update=["assignee_id", "sprint_id", "status"], keys=[t["id"] for t in tickets]),
                sprints=updates("status", keys=[s["id"]], values={"status": "closed"}),
            ),
            check=Program.of(
                check_carried,
                next_id=nxt["id"],
                finish={t["key"]: [t["sprint_id"], t["assignee_id"]] for t in finish},
                carry={t["key"]: [t["assignee_id"], t["status"]] for t in carry},
            ),
        )

    @proposer(difficulty=5, attempts=3)
    def propose_expedite(self, rng: random.Random) -> TaskDraft | None:
        s = self._sprint_of(rng, "active")
        backlog = self.rows(
            "SELECT t.id, t.key FROM tickets t WHERE t.project_id = ? AND t.sprint_id IS NULL AND "
            "t.status = 'todo' AND EXISTS (SELECT 1 FROM dependencies d JOIN tickets b ON "
            "b.id = d.blocked_by_id WHERE d.ticket_id = t.id AND b.status != 'done') ORDER BY t.id",
            s["project_id"],
        )
        if not backlog:
            return None
        root = rng.choice(backlog)
        chain, todo = [], [root["id"]]
        while todo:
            tid = todo.pop()
            if tid not in chain:
                chain.append(tid)
                todo += [b["id"] for b in self._open_blockers(tid)]
        tickets = [self.one("SELECT * FROM tickets WHERE id = ?", tid, missing=f"no ticket {tid}") for tid in chain]
        if any(
            t["sprint_id"] and self.value("SELECT status FROM sprints WHERE id = ?", t["sprint_id"]) == "closed"
            for t in tickets
        ):
            return None
        points, team = rng.choice([2, 3, 5]), self._team_name(s["team_id"])

        def plan():
            spare = self._spare(s["team_id"], s["id"])
            for t in sorted(tickets, key=lambda t: -(t["estimate"] or points)):
                if t["estimate"] is None:
                    self.set_estimate(t["key"], points)
                if t["assignee_id"] is None:
                    pid = max(spare, key=lambda p: (spare[p], -p))
                    self.assign_ticket(t["key"], self._person_name(pid))
                    spare[pid] -= t["estimate"] or points
                self.move_ticket(t["key"], s["name"])
                self.set_priority(t["key"], "P1")

        if not self._replay(plan):
            return None
        spec = {"key": root["key"], "sprint": s["name"], "team": team, "points": points}
        placed = self._placed(tickets, s["team_id"], keep=True, sprint_id=s["id"], priority="P1")
        for t in tickets:
            placed["tickets"][t["key"]]["estimate"] = t["estimate"] or points
        return TaskDraft(
            shape="expedite",
            instruction=self.render("expedite", rng, **spec),
            solution=Program.of(solve_expedite, **spec),
            answer=Answer.none(),
            effects=Effects.on(
                tickets=Rule(
                    update=["assignee_id", "estimate", "priority", "sprint_id"],
                    keys=chain,
                    values={"sprint_id": s["id"], "priority": "P1"},
                )
            ),
            check=Program.of(check_placed, **placed),
        )
