"""Task proposers, from single lookups (level 1) to squad rebuilds (level 5)."""

from __future__ import annotations

import itertools
import random

from synth.env import Answer, Effects, Program, TaskDraft, inserts, only, proposer, updates

from .checks import check_moves, check_results
from .solutions import (
    solve_buy_best,
    solve_match_goals,
    solve_nth_place,
    solve_player_contributions,
    solve_player_team,
    solve_record_and_points,
    solve_record_round,
    solve_sell_and_buy,
    solve_squad_plan,
    solve_team_budget,
    solve_team_points,
    solve_team_top_scorer,
)
from .world import MIN_SQUAD, standings_of


class SportsTasks:
    # ---- proposer helpers -------------------------------------------------------------------------

    def _standings(self) -> list[dict]:
        return standings_of(self.rows("SELECT id, name FROM teams"), self.rows("SELECT * FROM matches"))

    def _stats(self, where: str = "1", *args) -> list[dict]:
        return self.rows(
            "SELECT p.*, s.minutes, s.goals, s.assists, s.goals + s.assists AS contributions FROM "
            f"players p JOIN player_totals s ON s.player_id = p.id WHERE {where}",
            *args,
        )

    def _next_round(self) -> int | None:
        return self.value("SELECT MIN(round) FROM matches WHERE status = 'scheduled'")

    @staticmethod
    def _unique(items: list[dict], key, highest: bool = True) -> dict | None:
        if not items:
            return None
        ranked = sorted(items, key=key, reverse=highest)
        return None if len(ranked) > 1 and key(ranked[0]) == key(ranked[1]) else ranked[0]

    def _teams(self) -> list[str]:
        return self.column("SELECT name FROM teams")

    def _move(self, player: dict, to_team: int | None, fee: int, kind: str) -> dict:
        return {
            "player_id": player["id"],
            "from_team_id": player["team_id"],
            "to_team_id": to_team,
            "fee": fee,
            "kind": kind,
        }

    def _moves(self, moves: list[tuple[dict, int | None, int, str]]) -> tuple[Effects, Program]:
        """Effects and check of transfers, signings and releases [(player, to team id, fee, kind)], in order."""
        budgets: dict[int, int] = {}
        for player, to_team, fee, _ in moves:
            if fee:
                budgets[to_team] = budgets.get(to_team, 0) - fee
                budgets[player["team_id"]] = budgets.get(player["team_id"], 0) + fee
        effects = Effects.on(
            transfers=inserts(rows=[self._move(*m) for m in moves]),
            players=updates("team_id", "shirt", keys=[m[0]["id"] for m in moves]),
            teams=updates("budget", keys=sorted(budgets)),
        )
        return effects, Program.of(
            check_moves, teams=[[m[0]["id"], m[1]] for m in moves], budgets=sorted([k, v] for k, v in budgets.items())
        )

    # ---- proposers: lookups -------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_player_team(self, rng: random.Random) -> TaskDraft | None:
        p = rng.choice(
            self.rows("SELECT p.name, t.name AS team FROM players p JOIN teams t ON t.id = p.team_id ORDER BY p.id")
        )
        return TaskDraft(
            shape="player_team",
            instruction=self.render("player_team", rng, player=p["name"]),
            solution=Program.of(solve_player_team, player=p["name"]),
            answer=Answer.entity(p["team"], candidates=self._teams()),
        )

    @proposer(difficulty=1)
    def propose_team_budget(self, rng: random.Random) -> TaskDraft | None:
        t = rng.choice(self.rows("SELECT name, budget FROM teams ORDER BY id"))
        return TaskDraft(
            shape="team_budget",
            instruction=self.render("team_budget", rng, team=t["name"]),
            solution=Program.of(solve_team_budget, team=t["name"]),
            answer=Answer.integer(t["budget"]),
        )

    @proposer(difficulty=1)
    def propose_match_goals(self, rng: random.Random) -> TaskDraft | None:
        m = rng.choice(
            self.rows(
                "SELECT m.*, h.name AS home, a.name AS away FROM matches m JOIN teams h ON "
                "h.id = m.home_id JOIN teams a ON a.id = m.away_id WHERE status = 'played' "
                "ORDER BY m.id"
            )
        )
        team = rng.choice([m["home"], m["away"]])
        spec = {"home": m["home"], "away": m["away"], "date": m["date"], "team": team}
        return TaskDraft(
            shape="match_goals",
            instruction=self.render("match_goals", rng, **spec),
            solution=Program.of(solve_match_goals, **spec),
            answer=Answer.integer(m["home_goals"] if team == m["home"] else m["away_goals"]),
        )

    @proposer(difficulty=2)
    def propose_team_points(self, rng: random.Random) -> TaskDraft | None:
        row = rng.choice(self._standings())
        return TaskDraft(
            shape="team_points",
            instruction=self.render("team_points", rng, team=row["team"]),
            solution=Program.of(solve_team_points, team=row["team"]),
            answer=Answer.integer(row["points"]),
            tools=("list_teams", "list_matches", "get_roster", "get_player"),
        )

    @proposer(difficulty=2, attempts=6)
    def propose_team_top_scorer(self, rng: random.Random) -> TaskDraft | None:
        team = rng.choice(self.rows("SELECT id, name FROM teams ORDER BY id"))
        goals = self.rows(
            "SELECT p.name, SUM(s.goals) AS goals FROM player_stats s JOIN players p ON p.id = "
            "s.player_id WHERE s.team_id = ? GROUP BY p.id",
            team["id"],
        )
        best = self._unique(goals, key=lambda r: r["goals"])
        current = set(self.column("SELECT name FROM players WHERE team_id = ?", team["id"]))
        if (
            best is None
            or best["name"] not in current
            or self.rows(
                "SELECT 1 FROM player_stats s JOIN players p ON p.id = s.player_id WHERE p.team_id = ? AND "
                "s.team_id != ?",
                team["id"],
                team["id"],
            )
        ):
            return None
        return TaskDraft(
            shape="team_top_scorer",
            instruction=self.render("team_top_scorer", rng, team=team["name"]),
            solution=Program.of(solve_team_top_scorer, team=team["name"]),
            answer=Answer.entity(best["name"], candidates=self.column("SELECT name FROM players")),
        )

    @proposer(difficulty=2)
    def propose_nth_place(self, rng: random.Random) -> TaskDraft | None:
        table = self._standings()
        n = rng.randint(1, len(table))
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n if n < 20 else n % 10, "th")
        return TaskDraft(
            shape="nth_place",
            instruction=self.render("nth_place", rng, n=n, suffix=suffix),
            solution=Program.of(solve_nth_place, n=n),
            answer=Answer.entity(table[n - 1]["team"], candidates=self._teams()),
            tools=self.available_tools("list_teams", "list_matches", "get_match"),
        )

    @proposer(difficulty=2)
    def propose_player_contributions(self, rng: random.Random) -> TaskDraft | None:
        p = rng.choice(self._stats("p.team_id IS NOT NULL AND s.minutes > 0 ORDER BY p.id"))
        return TaskDraft(
            shape="player_contributions",
            instruction=self.render("player_contributions", rng, player=p["name"]),
            solution=Program.of(solve_player_contributions, player=p["name"]),
            answer=Answer.integer(p["contributions"]),
        )

    # ---- proposers: results -------------------------------------------------------------------------

    @proposer(difficulty=3, attempts=4)
    def propose_record_and_points(self, rng: random.Random) -> TaskDraft | None:
        rnd = self._next_round()
        if rnd is None:
            return None
        m = rng.choice(
            self.rows(
                "SELECT m.*, h.name AS home, a.name AS away FROM matches m JOIN teams h ON "
                "h.id = m.home_id JOIN teams a ON a.id = m.away_id WHERE round = ? ORDER BY m.id",
                rnd,
            )
        )
        hg, ag = rng.randint(0, 4), rng.randint(0, 4)
        team = rng.choice([m["home"], m["away"]])
        before = only(self._standings(), team=team)["points"]
        points = before + (3 if (hg > ag) == (team == m["home"]) and hg != ag else 1 if hg == ag else 0)
        if points in (rnd, hg, ag):
            return None  # the answer would be a number the question states: restating it would read as a choice
        spec = {"round": rnd, "home": m["home"], "away": m["away"], "hg": hg, "ag": ag}
        return TaskDraft(
            shape="record_and_points",
            instruction=self.render("record_and_points", rng, **spec, team=team),
            solution=Program.of(solve_record_and_points, **spec, team=team),
            answer=Answer.integer(points),
            effects=Effects.on(
                matches=updates(
                    "home_goals",
                    "away_goals",
                    "status",
                    keys=[m["id"]],
                    values={"home_goals": hg, "away_goals": ag, "status": "played"},
                )
            ),
        )

    @proposer(difficulty=4, attempts=4)
    def propose_record_round(self, rng: random.Random) -> TaskDraft | None:
        rnd = self._next_round()
        if rnd is None:
            return None
        fixtures = self.rows(
            "SELECT m.*, h.name AS home, a.name AS away FROM matches m JOIN teams h ON "
            "h.id = m.home_id JOIN teams a ON a.id = m.away_id WHERE round = ? ORDER BY m.id",
            rnd,
        )
        scores = {m["id"]: (rng.randint(0, 4), rng.randint(0, 3)) for m in fixtures}
        matches = [
            {**m, "home_goals": scores[m["id"]][0], "away_goals": scores[m["id"]][1], "status": "played"}
            if m["id"] in scores
            else m
            for m in self.rows("SELECT * FROM matches")
        ]
        leader = standings_of(self.rows("SELECT id, name FROM teams"), matches)[0]["points"]
        if leader == rnd or leader in {g for s in scores.values() for g in s}:
            return None  # the answer would be a number the question states
        text = "; ".join(f"{m['home']} {scores[m['id']][0]}-{scores[m['id']][1]} {m['away']}" for m in fixtures)
        results = [[m["home"], m["away"], *scores[m["id"]]] for m in fixtures]
        return TaskDraft(
            shape="record_round",
            instruction=self.render("record_round", rng, round=rnd, results=text),
            solution=Program.of(solve_record_round, round=rnd, results=results),
            answer=Answer.integer(leader),
            effects=Effects.on(
                matches=updates("home_goals", "away_goals", "status", keys=sorted(scores), values={"status": "played"})
            ),
            check=Program.of(check_results, scores=[[k, *v] for k, v in sorted(scores.items())]),
        )

    # ---- proposers: transfers -----------------------------------------------------------------------

    @proposer(difficulty=3, attempts=6)
    def propose_buy_best(self, rng: random.Random) -> TaskDraft | None:
        team = rng.choice(self.rows("SELECT * FROM teams ORDER BY id"))
        position = rng.choice(["DF", "MF", "FW"])
        max_value = rng.randrange(2_000_000, 10_000_000, 500_000)
        pool = self._stats(
            "p.team_id IS NOT NULL AND p.team_id != ? AND p.position = ? AND p.market_value <= ? ORDER BY p.id",
            team["id"],
            position,
            max_value,
        )
        best = self._unique(pool, key=lambda p: p["contributions"])
        if best is None or self._transfer_refusal(best, team, best["market_value"]):
            return None
        spec = {"team": team["name"], "position": position, "max_value": max_value}
        effects, check = self._moves([(best, team["id"], best["market_value"], "transfer")])
        return TaskDraft(
            shape="buy_best",
            instruction=self.render("buy_best", rng, **spec),
            solution=Program.of(solve_buy_best, **spec),
            answer=Answer.none(),
            effects=effects,
            check=check,
        )

    @proposer(difficulty=4, attempts=6)
    def propose_sell_and_buy(self, rng: random.Random) -> TaskDraft | None:
        team = rng.choice(self.rows("SELECT * FROM teams ORDER BY id"))
        position = rng.choice(["DF", "MF", "FW", "GK"])
        mine = self._stats("p.team_id = ? AND p.position = ? ORDER BY p.id", team["id"], position)
        seller = self._unique(mine, key=lambda p: p["minutes"], highest=False)
        if seller is None:
            return None
        # simulate on a scratch copy: the sale, then the purchase
        scratch, saved = self.snapshot(), self.db
        self.db = scratch
        try:
            buyers = [
                t
                for t in self.rows("SELECT * FROM teams WHERE id != ? ORDER BY id", team["id"])
                if not self._transfer_refusal(seller, t, seller["market_value"])
            ]
            buyer = self._unique(buyers, key=lambda t: t["budget"])
            if buyer is None:
                return None
            self.transfer_player(seller["name"], buyer["name"], seller["market_value"])
            me = self._team(team["name"])
            pool = [
                p
                for p in self._stats(
                    "p.team_id IS NOT NULL AND p.team_id != ? AND p.position = ? ORDER BY p.id", team["id"], position
                )
                if not self._transfer_refusal(p, me, p["market_value"])
            ]
            target = self._unique(pool, key=lambda p: p["minutes"])
            if target is None or target["id"] == seller["id"]:
                return None
        finally:
            self.db = saved
            scratch.close()
        effects, check = self._moves(
            [
                (seller, buyer["id"], seller["market_value"], "transfer"),
                (target, team["id"], target["market_value"], "transfer"),
            ]
        )
        return TaskDraft(
            shape="sell_and_buy",
            instruction=self.render("sell_and_buy", rng, team=team["name"], position=position),
            solution=Program.of(solve_sell_and_buy, team=team["name"], position=position, **self._rules()),
            answer=Answer.none(),
            effects=effects,
            check=check,
        )

    @proposer(difficulty=5, attempts=6)
    def propose_squad_plan(self, rng: random.Random) -> TaskDraft | None:
        team = rng.choice(self.rows("SELECT * FROM teams ORDER BY id"))
        release = rng.choice(["DF", "MF", "FW", "GK"])
        mine = self._stats("p.team_id = ? AND p.position = ? ORDER BY p.id", team["id"], release)
        oldest = self._unique(mine, key=lambda p: p["age"])
        if oldest is None:
            return None
        max_age, spend = rng.choice([26, 28, 30, 33]), rng.randrange(4_000_000, 16_000_000, 500_000)
        rules = self._rules()
        scratch, saved = self.snapshot(), self.db
        self.db = scratch
        try:
            self.release_player(oldest["name"])
            me = self._team(team["name"])
            pools = {
                pos: self._stats(
                    "p.team_id IS NOT NULL AND p.team_id != ? AND p.position = ? AND p.age < ? ORDER BY p.id",
                    team["id"],
                    pos,
                    max_age,
                )
                for pos in ("FW", "MF")
            }
            size = self._squad_size(me["id"])
            pairs = []
            for fw, mf in itertools.product(pools["FW"], pools["MF"]):
                fee = fw["market_value"] + mf["market_value"]
                if fee > spend or me["budget"] - fee < rules["budget_floor"] or size + 2 > me["roster_limit"]:
                    continue
                if any(rules["age_cap"] is not None and p["age"] > rules["age_cap"] for p in (fw, mf)):
                    continue
                same = 2 if fw["team_id"] == mf["team_id"] else 1
                if any(self._squad_size(p["team_id"]) - same < MIN_SQUAD for p in (fw, mf)):
                    continue
                pairs.append({"pair": (fw, mf), "score": fw["contributions"] + mf["contributions"]})
            best = self._unique(pairs, key=lambda x: x["score"])
        finally:
            self.db = saved
            scratch.close()
        if best is None:
            return None
        fw, mf = best["pair"]
        spec = {"team": team["name"], "release": release, "max_age": max_age, "spend": spend}
        effects, check = self._moves(
            [
                (oldest, None, 0, "release"),
                (fw, team["id"], fw["market_value"], "transfer"),
                (mf, team["id"], mf["market_value"], "transfer"),
            ]
        )
        return TaskDraft(
            shape="squad_plan",
            instruction=self.render("squad_plan", rng, **spec),
            solution=Program.of(solve_squad_plan, **spec, **rules),
            answer=Answer.none(),
            effects=effects,
            check=check,
        )
