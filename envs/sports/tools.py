"""The league office's tools: lookups, results, and transfers that enforce the league's rules."""

from __future__ import annotations

from synth.env import tool

from .world import MIN_SQUAD, POSITIONS, standings_of


class SportsTools:
    # ---- rules ------------------------------------------------------------------------------------

    def _rules(self) -> dict:
        return {
            "age_cap": 31 if "veteran_cap" in self.variant.rules else None,
            "budget_floor": 1_000_000 if "budget_floor" in self.variant.rules else 0,
        }

    def _transfer_refusal(self, player: dict, to_team: dict, fee: int) -> str | None:
        rules = self._rules()
        if player["team_id"] == to_team["id"]:
            return f"{player['name']} already plays for {to_team['name']}"
        if rules["age_cap"] is not None and player["age"] > rules["age_cap"]:
            return f"{player['name']} is {player['age']}; teams may not sign players aged 32 or older"
        size = self._squad_size(to_team["id"])
        if size + 1 > to_team["roster_limit"]:
            return f"{to_team['name']} has {size} players and a roster limit of {to_team['roster_limit']}"
        if player["team_id"] is None:
            return None
        if fee < player["market_value"]:
            return f"the fee must be at least the market value, {player['market_value']}"
        if to_team["budget"] - fee < rules["budget_floor"]:
            return (
                f"{to_team['name']} has a budget of {to_team['budget']}, which must stay at or above "
                f"{rules['budget_floor']} after paying {fee}"
            )
        if self._squad_size(player["team_id"]) - 1 < MIN_SQUAD:
            return f"the selling team would drop below {MIN_SQUAD} players"
        return None

    # ---- tools ------------------------------------------------------------------------------------

    def _squad_size(self, team_id: int) -> int:
        return self.value("SELECT COUNT(*) FROM players WHERE team_id = ?", team_id)

    def _team(self, team: str) -> dict:
        return self.one(
            "SELECT * FROM teams WHERE lower(name) = lower(?) OR lower(city) = lower(?)",
            team,
            team,
            missing=f"unknown team {team!r}; call list_teams",
        )

    def _player(self, player: str) -> dict:
        return self.one(
            "SELECT * FROM players WHERE lower(name) = lower(?)",
            player,
            missing=f"unknown player {player!r}; use search_players",
        )

    @tool("read")
    def list_teams(self) -> list[dict]:
        """All teams: name, city, budget, roster size and roster limit."""
        return self.rows(
            "SELECT t.name, t.city, t.budget, t.roster_limit, (SELECT COUNT(*) FROM players p WHERE "
            "p.team_id = t.id) AS roster_size FROM teams t ORDER BY t.name"
        )

    @tool("read")
    def get_roster(self, team: str) -> list[dict]:
        """A team's players with position, age, market value and season totals (apps, minutes, goals, assists).

        Args:
            team: Team name.
        """
        t = self._team(team)
        return self.rows(
            "SELECT p.id, p.name, p.position, p.age, p.market_value, p.shirt, s.apps, s.minutes, "
            "s.goals, s.assists FROM players p JOIN player_totals s ON s.player_id = p.id "
            "WHERE p.team_id = ? ORDER BY p.shirt",
            t["id"],
        )

    @tool("read")
    def get_player(self, player: str) -> dict:
        """One player: team, position, age, market value and season totals including cards.

        Args:
            player: Player's full name.
        """
        p = self._player(player)
        totals = self.one("SELECT * FROM player_totals WHERE player_id = ?", p["id"], missing="no totals")
        return {
            **{k: p[k] for k in ("id", "name", "position", "age", "market_value", "shirt")},
            "team": self.value("SELECT name FROM teams WHERE id = ?", p["team_id"]),
            **{k: v for k, v in totals.items() if k != "player_id"},
        }

    @tool("read")
    def search_players(
        self,
        position: str | None = None,
        max_market_value: int | None = None,
        max_age: int | None = None,
        free_agents_only: bool = False,
    ) -> list[dict]:
        """Players across the league (and free agents), with team, age, market value, minutes, goals and assists.

        Args:
            position: GK, DF, MF or FW.
            max_market_value: Highest market value.
            max_age: Oldest age.
            free_agents_only: Only players without a team.
        """
        if position and position not in POSITIONS:
            raise ValueError("position must be GK, DF, MF or FW")
        return self.rows(
            "SELECT p.name, t.name AS team, p.position, p.age, p.market_value, s.minutes, s.goals, "
            "s.assists FROM players p LEFT JOIN teams t ON t.id = p.team_id JOIN player_totals s ON "
            "s.player_id = p.id WHERE (? IS NULL OR p.position = ?) AND p.market_value <= ? AND p.age <= ? "
            "AND (? = 0 OR p.team_id IS NULL) ORDER BY p.id",
            position,
            position,
            max_market_value if max_market_value is not None else 10**12,
            max_age if max_age is not None else 200,
            int(free_agents_only),
        )

    @tool("read")
    def top_scorers(self, limit: int = 10) -> list[dict]:
        """The league's top goal scorers (ties listed in name order).

        Args:
            limit: How many to list (1-50).
        """
        if not 1 <= limit <= 50:
            raise ValueError("limit must be 1 to 50")
        return self.rows(
            "SELECT p.name, t.name AS team, s.goals, s.assists FROM player_totals s JOIN players p ON "
            "p.id = s.player_id LEFT JOIN teams t ON t.id = p.team_id ORDER BY s.goals DESC, p.name "
            "LIMIT ?",
            limit,
        )

    @tool("read")
    def list_matches(self, team: str | None = None, round: int | None = None, status: str | None = None) -> list[dict]:
        """Fixtures and results, optionally of one team, one round and/or one status (played, scheduled).

        Args:
            team: Team name.
            round: Round number.
            status: played or scheduled.
        """
        team_id = self._team(team)["id"] if team else None
        return self.rows(
            "SELECT m.id, m.round, m.date, h.name AS home, a.name AS away, m.home_goals, m.away_goals, "
            "m.status FROM matches m JOIN teams h ON h.id = m.home_id JOIN teams a ON a.id = m.away_id "
            "WHERE (? IS NULL OR ? IN (m.home_id, m.away_id)) AND (? IS NULL OR m.round = ?) AND "
            "(? IS NULL OR m.status = ?) ORDER BY m.round, m.id",
            team_id,
            team_id,
            round,
            round,
            status,
            status,
        )

    @tool("read")
    def get_match(self, match_id: int) -> dict:
        """One match with every player's minutes, goals, assists and cards.

        Args:
            match_id: Match id from list_matches.
        """
        row = self.one(
            "SELECT m.*, h.name AS home, a.name AS away FROM matches m JOIN teams h ON h.id = m.home_id "
            "JOIN teams a ON a.id = m.away_id WHERE m.id = ?",
            match_id,
            missing=f"no match {match_id}; use list_matches",
        )
        out = {k: row[k] for k in ("id", "round", "date", "home", "away", "home_goals", "away_goals", "status")}
        out["players"] = self.rows(
            "SELECT p.name, t.name AS team, s.minutes, s.goals, s.assists, s.yellow, s.red "
            "FROM player_stats s JOIN players p ON p.id = s.player_id JOIN teams t ON "
            "t.id = s.team_id WHERE s.match_id = ? ORDER BY s.id",
            match_id,
        )
        return out

    @tool("read")
    def get_standings(self) -> list[dict]:
        """The league table computed from all played matches."""
        return standings_of(self.rows("SELECT id, name FROM teams"), self.rows("SELECT * FROM matches"))

    @tool("read")
    def list_transfers(self, team: str | None = None) -> list[dict]:
        """Transfers, signings and releases so far, optionally involving one team.

        Args:
            team: Team name.
        """
        team_id = self._team(team)["id"] if team else None
        return self.rows(
            "SELECT x.id, p.name AS player, f.name AS from_team, t.name AS to_team, x.fee, x.kind FROM "
            "transfers x JOIN players p ON p.id = x.player_id LEFT JOIN teams f ON f.id = x.from_team_id "
            "LEFT JOIN teams t ON t.id = x.to_team_id WHERE (? IS NULL OR ? IN (x.from_team_id, "
            "x.to_team_id)) ORDER BY x.id",
            team_id,
            team_id,
        )

    @tool("write")
    def record_result(self, match_id: int, home_goals: int, away_goals: int) -> dict:
        """Record the final score of a scheduled match.

        Args:
            match_id: Match id from list_matches.
            home_goals: Goals of the home team (0-20).
            away_goals: Goals of the away team (0-20).
        """
        m = self.one("SELECT * FROM matches WHERE id = ?", match_id, missing=f"no match {match_id}; use list_matches")
        if m["status"] != "scheduled":
            raise ValueError(f"match {match_id} already has a result")
        if not (0 <= home_goals <= 20 and 0 <= away_goals <= 20):
            raise ValueError("goals must be between 0 and 20")
        if self.value("SELECT 1 FROM matches WHERE round < ? AND status = 'scheduled'", m["round"]):
            raise ValueError("an earlier round still has unplayed matches; record those first")
        self.db.execute(
            "UPDATE matches SET home_goals = ?, away_goals = ?, status = 'played' WHERE id = ?",
            (home_goals, away_goals, match_id),
        )
        return {"match_id": match_id, "home_goals": home_goals, "away_goals": away_goals, "status": "played"}

    @tool("write")
    def transfer_player(self, player: str, to_team: str, fee: int) -> dict:
        """Buy a player from another team for a fee (paid from the buyer's budget to the seller's).

        Args:
            player: Player's full name.
            to_team: Buying team.
            fee: Transfer fee, at least the market value.
        """
        p, t = self._player(player), self._team(to_team)
        if p["team_id"] is None:
            raise ValueError(f"{p['name']} is a free agent; use sign_free_agent")
        why = self._transfer_refusal(p, t, fee)
        if why:
            raise ValueError(f"transfer refused: {why}")
        self.db.execute("UPDATE teams SET budget = budget - ? WHERE id = ?", (fee, t["id"]))
        self.db.execute("UPDATE teams SET budget = budget + ? WHERE id = ?", (fee, p["team_id"]))
        self.db.execute("UPDATE players SET team_id = ?, shirt = NULL WHERE id = ?", (t["id"], p["id"]))
        cur = self.db.execute(
            "INSERT INTO transfers (player_id, from_team_id, to_team_id, fee, kind) VALUES (?, ?, ?, ?, 'transfer')",
            (p["id"], p["team_id"], t["id"], fee),
        )
        return {"transfer_id": cur.lastrowid, "player": p["name"], "to_team": t["name"], "fee": fee}

    @tool("write")
    def sign_free_agent(self, player: str, team: str) -> dict:
        """Sign a free agent (no fee).

        Args:
            player: Player's full name.
            team: Signing team.
        """
        p, t = self._player(player), self._team(team)
        if p["team_id"] is not None:
            raise ValueError(f"{p['name']} is under contract; use transfer_player")
        why = self._transfer_refusal(p, t, 0)
        if why:
            raise ValueError(f"signing refused: {why}")
        self.db.execute("UPDATE players SET team_id = ? WHERE id = ?", (t["id"], p["id"]))
        cur = self.db.execute(
            "INSERT INTO transfers (player_id, from_team_id, to_team_id, fee, kind) VALUES (?, NULL, ?, 0, 'signing')",
            (p["id"], t["id"]),
        )
        return {"transfer_id": cur.lastrowid, "player": p["name"], "team": t["name"]}

    @tool("write")
    def release_player(self, player: str) -> dict:
        """Release a player from his team; he becomes a free agent.

        Args:
            player: Player's full name.
        """
        p = self._player(player)
        if p["team_id"] is None:
            raise ValueError(f"{p['name']} is already a free agent")
        self.db.execute("UPDATE players SET team_id = NULL, shirt = NULL WHERE id = ?", (p["id"],))
        cur = self.db.execute(
            "INSERT INTO transfers (player_id, from_team_id, to_team_id, fee, kind) VALUES (?, ?, NULL, 0, 'release')",
            (p["id"], p["team_id"]),
        )
        return {"transfer_id": cur.lastrowid, "player": p["name"], "released": True}
