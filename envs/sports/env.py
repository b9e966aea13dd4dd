"""Football league office: teams, players, fixtures and results, per-match player stats, standings and transfers."""

from __future__ import annotations

import datetime as dt
import itertools
import random

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool
from verifiers.common import verify_number

TEAM_NAMES = [("Harbor City", "Mariners"), ("Elmstead", "Rovers"), ("Kingsbridge", "Athletic"), ("Northvale", "United"),
              ("Redmoor", "Wanderers"), ("Ashford", "Town"), ("Silverlake", "FC"), ("Brackenfield", "City"),
              ("Westhollow", "Albion"), ("Stonecross", "Rangers"), ("Millbrook", "Hornets"), ("Fernhill", "Falcons"),
              ("Dunmore", "Saints"), ("Oakhaven", "Vale"), ("Pinecliff", "Pilots"), ("Greywater", "Borough"),
              ("Larkspur", "Lions"), ("Coldharbour", "Comets")]
FIRST = ["Aldo", "Bram", "Caio", "Dario", "Emeka", "Finn", "Goran", "Hamid", "Ilya", "Joao", "Kasper", "Lior",
         "Mateo", "Niko", "Oskar", "Pavel", "Rafa", "Sven", "Tomas", "Ugo", "Viggo", "Yannick", "Zoltan", "Arlo",
         "Benji", "Cosmin", "Dejan", "Elio", "Femi", "Gael"]
LAST = ["Abara", "Brekke", "Castellan", "Dovrin", "Eskildsen", "Ferreiro", "Gulbrand", "Halloran", "Ivanic",
        "Jovanic", "Kettering", "Lindvall", "Marquand", "Nordahl", "Okonjo", "Petrakis", "Quillan", "Rosendal",
        "Santaro", "Tollefsen", "Udeh", "Varga", "Whitlock", "Yarrow", "Zanetti", "Almquist", "Brightwater",
        "Corvino", "Delacroix", "Engvall"]
POSITIONS = {"GK": 3, "DF": 7, "MF": 7, "FW": 4}  # squad make-up per team
SCORING = {"GK": 0.0, "DF": 0.6, "MF": 1.6, "FW": 3.0}
MIN_SQUAD = 16


def standings_of(teams: list[dict], matches: list[dict]) -> list[dict]:
    """League table from played matches: 3 points a win, 1 a draw; points, goal difference, goals for, name."""
    table = {t["id"]: {"team": t["name"], "played": 0, "won": 0, "drawn": 0, "lost": 0, "goals_for": 0,
                       "goals_against": 0, "points": 0} for t in teams}
    for m in matches:
        if m["status"] != "played":
            continue
        for side, gf, ga in ((m["home_id"], m["home_goals"], m["away_goals"]),
                             (m["away_id"], m["away_goals"], m["home_goals"])):
            row = table[side]
            row["played"] += 1
            row["goals_for"] += gf
            row["goals_against"] += ga
            key = "won" if gf > ga else "drawn" if gf == ga else "lost"
            row[key] += 1
            row["points"] += {"won": 3, "drawn": 1, "lost": 0}[key]
    rows = sorted(table.values(), key=lambda r: (-r["points"], -(r["goals_for"] - r["goals_against"]),
                                                 -r["goals_for"], r["team"]))
    for i, r in enumerate(rows):
        r["position"], r["goal_difference"] = i + 1, r["goals_for"] - r["goals_against"]
    return rows


class SportsEnv(EnvTemplate):
    name = "sports"
    version = "1.0.0"
    category = "sports league stats"
    description = ("A football league's office: teams with budgets and roster limits, players with positions, ages, "
                   "market values and per-match stats, fixtures and results, the standings, and transfers. Look up "
                   "stats, record results, and buy, sign or release players.")
    policy = (
        "Standings give 3 points for a win and 1 for a draw, ranked by points, then goal difference, then goals "
        "scored, then team name. A result can be recorded only for a scheduled match, and only once every match of "
        "the earlier rounds has been played. A transfer needs a fee of at least the player's market value, a buying "
        f"team whose budget covers the fee and whose roster stays within its limit, and a selling team left with at "
        f"least {MIN_SQUAD} players; the fee moves from the buyer's budget to the seller's. Free agents sign for no "
        "fee, within the roster limit. A released player becomes a free agent. Change only what the user asked for."
    )
    variants = VariantSpace(
        optional_tools=("list_transfers", "get_match", "top_scorers"),
        renames={"search_players": ("find_players", "player_search"), "transfer_player": ("buy_player",),
                 "get_standings": ("league_table",)},
        rules={"veteran_cap": "Teams may not buy or sign players aged 32 or older.",
               "budget_floor": "A team's budget must stay at or above 1,000,000 after buying a player."},
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "player_team": [
            "Which team does {{player}} play for?",
            "Who is {{player}} registered with?",
            "Tell me {{player}}'s current club.",
        ],
        "team_budget": [
            "How much transfer budget does {{team}} have left?",
            "What is the current budget of {{team}}?",
        ],
        "match_score": [
            "What was the score when {{home}} hosted {{away}} in round {{round}}? Give home goals then away goals.",
            "Round {{round}}, {{home}} vs {{away}} at home: what was the final score (home first)?",
        ],
        "team_points": [
            "How many league points does {{team}} have?",
            "What is {{team}}'s points total in the current standings?",
        ],
        "team_top_scorer": [
            "Who has scored the most league goals for {{team}} this season?",
            "Name {{team}}'s top goal scorer of the season (goals in their matches so far).",
        ],
        "nth_place": [
            "Which team is in position {{n}} of the league table?",
            "Who sits {{n}}{{suffix}} in the standings right now?",
        ],
        "player_contributions": [
            "How many goals plus assists does {{player}} have this season?",
            "What is {{player}}'s total of goal contributions (goals + assists) so far?",
        ],
        "record_and_points": [
            "Record the result of the round {{round}} match {{home}} vs {{away}}: {{hg}}-{{ag}}. Then tell me "
            "{{team}}'s new points total.",
            "{{home}} {{hg}}, {{away}} {{ag}} (round {{round}}) - please enter that result and let me know how many "
            "points {{team}} has afterwards.",
        ],
        "buy_best": [
            "{{team}} wants the {{position}} from another club with the most goals plus assists this season among "
            "those valued at {{max_value}} or less. Buy him for exactly his market value, if the policy allows.",
            "Sign for {{team}}, at market value, the highest goal-contributing (goals + assists) {{position}} of any "
            "other team whose market value is at most {{max_value}}.",
        ],
        "sell_and_buy": [
            "{{team}} wants to cash in on its {{position}} with the fewest minutes played: sell him at his market "
            "value to the club with the biggest budget that can take him under the policy. Then, with the money "
            "available, buy at market value the {{position}} from another club with the most minutes this season "
            "among those the policy lets {{team}} buy.",
            "Squad reshuffle for {{team}}: the {{position}} who has played the fewest minutes goes, at market value, "
            "to whichever other club has the largest budget and is allowed to sign him; afterwards bring in, at "
            "market value, the {{position}} from another team with the most minutes played that {{team}} is allowed "
            "to buy.",
        ],
        "record_round": [
            "Enter the results of round {{round}}: {{results}}. Then tell me how many points the league leader has.",
            "Here are the round {{round}} scores - {{results}}. Record them all and tell me the points total of "
            "whoever is top of the table afterwards.",
        ],
        "squad_plan": [
            "Rebuild {{team}}'s attack: release their oldest {{release}}"
            ", then buy one FW and one MF from other clubs at market value so that the two have the "
            "largest combined goals plus assists this season, each aged under {{max_age}}, spending at most "
            "{{spend}} in total and respecting the policy.",
            "{{team}} is releasing its oldest {{release}}. After that, buy at market value one forward (FW) and one "
            "midfielder (MF), both younger than {{max_age}}, from other clubs, for no more than {{spend}} together, "
            "picking the pair with the most combined goals and assists; everything must stay within the policy.",
        ],
    }

    # ---- database ---------------------------------------------------------------------------------

    def build(self, rng: random.Random) -> None:
        self.db.executescript("""
            CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT UNIQUE, city TEXT, budget INTEGER,
                roster_limit INTEGER, strength REAL);
            CREATE TABLE players (id INTEGER PRIMARY KEY, name TEXT UNIQUE, team_id INTEGER REFERENCES teams(id),
                position TEXT, age INTEGER, market_value INTEGER, shirt INTEGER);
            CREATE TABLE matches (id INTEGER PRIMARY KEY, round INTEGER, date TEXT, home_id INTEGER, away_id INTEGER,
                home_goals INTEGER, away_goals INTEGER, status TEXT);
            CREATE TABLE player_stats (id INTEGER PRIMARY KEY, match_id INTEGER REFERENCES matches(id),
                player_id INTEGER REFERENCES players(id), team_id INTEGER, minutes INTEGER, goals INTEGER,
                assists INTEGER, yellow INTEGER, red INTEGER);
            CREATE TABLE transfers (id INTEGER PRIMARY KEY, player_id INTEGER, from_team_id INTEGER,
                to_team_id INTEGER, fee INTEGER, kind TEXT);
            CREATE VIEW player_totals AS
                SELECT p.id AS player_id, COUNT(s.id) AS apps, COALESCE(SUM(s.minutes), 0) AS minutes,
                       COALESCE(SUM(s.goals), 0) AS goals, COALESCE(SUM(s.assists), 0) AS assists,
                       COALESCE(SUM(s.yellow), 0) AS yellow, COALESCE(SUM(s.red), 0) AS red
                FROM players p LEFT JOIN player_stats s ON s.player_id = p.id GROUP BY p.id;
        """)
        n_teams = {"small": 8, "medium": 10, "large": 14}[self.variant.scale]
        names = iter(rng.sample([f"{f} {l}" for f in FIRST for l in LAST], 700))
        for city, nick in rng.sample(TEAM_NAMES, n_teams):
            cur = self.db.execute("INSERT INTO teams (name, city, budget, roster_limit, strength) VALUES (?, ?, ?, ?, ?)",
                                  (f"{city} {nick}", city, rng.randrange(2_000_000, 40_000_000, 250_000),
                                   rng.choice([22, 23, 24, 25]), rng.uniform(0.7, 1.5)))
            shirt = 0
            for pos, count in POSITIONS.items():
                for _ in range(count + rng.choice([0, 0, 1]) - (pos != "GK" and rng.random() < 0.3)):
                    shirt += 1
                    self._add_player(rng, next(names), cur.lastrowid, pos, shirt)
        for team in self.rows("SELECT id FROM teams"):  # some squads are full, most have a little room
            size = self.db.execute("SELECT COUNT(*) FROM players WHERE team_id = ?", (team["id"],)).fetchone()[0]
            self.db.execute("UPDATE teams SET roster_limit = ? WHERE id = ?",
                            (size + rng.choice([0, 1, 2, 2, 3, 4]), team["id"]))
        for _ in range(rng.randint(8, 14)):
            self._add_player(rng, next(names), None, rng.choice(list(POSITIONS)), None)
        self._build_season(rng)

    def _add_player(self, rng, name, team_id, pos, shirt) -> None:
        age = rng.randint(18, 35)
        value = rng.randrange(250_000, 12_000_000, 50_000) if team_id else rng.randrange(100_000, 1_500_000, 50_000)
        self.db.execute("INSERT INTO players (name, team_id, position, age, market_value, shirt) VALUES "
                        "(?, ?, ?, ?, ?, ?)", (name, team_id, pos, age, value, shirt))

    def _build_season(self, rng: random.Random) -> None:
        teams = [t["id"] for t in self.rows("SELECT id FROM teams")]
        rng.shuffle(teams)
        rounds, ring = [], teams[:]
        for r in range(len(ring) - 1):  # circle method, then the return legs
            pairs = [(ring[i], ring[-1 - i]) for i in range(len(ring) // 2)]
            rounds.append([(a, b) if (r + i) % 2 else (b, a) for i, (a, b) in enumerate(pairs)])
            ring = [ring[0], ring[-1], *ring[1:-1]]
        rounds += [[(b, a) for a, b in rnd] for rnd in rounds]
        played = rng.randint(len(rounds) // 3, len(rounds) * 2 // 3)
        start = dt.date(2026, 8, rng.randint(1, 20))
        strength = {t["id"]: t["strength"] for t in self.rows("SELECT id, strength FROM teams")}
        for r, fixtures in enumerate(rounds, start=1):
            date = (start + dt.timedelta(days=7 * (r - 1))).isoformat()
            for home, away in fixtures:
                if r > played:
                    self.db.execute("INSERT INTO matches (round, date, home_id, away_id, status) VALUES "
                                    "(?, ?, ?, ?, 'scheduled')", (r, date, home, away))
                    continue
                hg = sum(rng.random() < 0.16 * strength[home] * 1.15 for _ in range(9))
                ag = sum(rng.random() < 0.16 * strength[away] for _ in range(9))
                cur = self.db.execute("INSERT INTO matches (round, date, home_id, away_id, home_goals, away_goals, "
                                      "status) VALUES (?, ?, ?, ?, ?, ?, 'played')", (r, date, home, away, hg, ag))
                self._lineup(rng, cur.lastrowid, home, hg)
                self._lineup(rng, cur.lastrowid, away, ag)

    def _lineup(self, rng: random.Random, match_id: int, team_id: int, goals: int) -> None:
        squad = self.rows("SELECT id, position FROM players WHERE team_id = ?", team_id)
        keepers = [p for p in squad if p["position"] == "GK"]
        outfield = [p for p in squad if p["position"] != "GK"]
        starters = [rng.choice(keepers), *rng.sample(outfield, 10)]
        subs = rng.sample([p for p in outfield if p not in starters], rng.randint(1, 3))
        minutes = {p["id"]: 90 for p in starters}
        for sub in subs:
            off = rng.choice([p for p in starters[1:] if minutes[p["id"]] == 90])
            minutes[off["id"]] = rng.randint(46, 85)
            minutes[sub["id"]] = 90 - minutes[off["id"]]
        on_pitch = [p for p in squad if p["id"] in minutes]
        tally = {p["id"]: [0, 0] for p in on_pitch}
        weights = [SCORING[p["position"]] * minutes[p["id"]] / 90 + 0.01 for p in on_pitch]
        for _ in range(goals):
            scorer = rng.choices(on_pitch, weights)[0]
            tally[scorer["id"]][0] += 1
            if rng.random() < 0.7:
                helper = rng.choices([p for p in on_pitch if p is not scorer],
                                     [w for p, w in zip(on_pitch, weights) if p is not scorer])[0]
                tally[helper["id"]][1] += 1
        for p in on_pitch:
            self.db.execute("INSERT INTO player_stats (match_id, player_id, team_id, minutes, goals, assists, yellow, "
                            "red) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            (match_id, p["id"], team_id, minutes[p["id"]], *tally[p["id"]],
                             int(rng.random() < 0.12), int(rng.random() < 0.01)))

    # ---- rules ------------------------------------------------------------------------------------

    def _rules(self) -> dict:
        return {"age_cap": 31 if "veteran_cap" in self.variant.rules else None,
                "budget_floor": 1_000_000 if "budget_floor" in self.variant.rules else 0}

    def _transfer_refusal(self, player: dict, to_team: dict, fee: int) -> str | None:
        rules = self._rules()
        if player["team_id"] == to_team["id"]:
            return f"{player['name']} already plays for {to_team['name']}"
        if rules["age_cap"] is not None and player["age"] > rules["age_cap"]:
            return f"{player['name']} is {player['age']}; teams may not sign players aged 32 or older"
        size = self.db.execute("SELECT COUNT(*) FROM players WHERE team_id = ?", (to_team["id"],)).fetchone()[0]
        if size + 1 > to_team["roster_limit"]:
            return f"{to_team['name']} has {size} players and a roster limit of {to_team['roster_limit']}"
        if player["team_id"] is None:
            return None
        if fee < player["market_value"]:
            return f"the fee must be at least the market value, {player['market_value']}"
        if to_team["budget"] - fee < rules["budget_floor"]:
            return (f"{to_team['name']} has a budget of {to_team['budget']}, which must stay at or above "
                    f"{rules['budget_floor']} after paying {fee}")
        seller = self.db.execute("SELECT COUNT(*) FROM players WHERE team_id = ?", (player["team_id"],)).fetchone()[0]
        if seller - 1 < MIN_SQUAD:
            return f"the selling team would drop below {MIN_SQUAD} players"
        return None

    # ---- tools ------------------------------------------------------------------------------------

    def _team(self, team: str) -> dict:
        row = self.db.execute("SELECT * FROM teams WHERE lower(name) = lower(?) OR lower(city) = lower(?)",
                              (team, team)).fetchone()
        if row is None:
            raise ValueError(f"unknown team {team!r}; call list_teams")
        return dict(row)

    def _player(self, player: str) -> dict:
        row = self.db.execute("SELECT * FROM players WHERE lower(name) = lower(?)", (player,)).fetchone()
        if row is None:
            raise ValueError(f"unknown player {player!r}; use search_players")
        return dict(row)

    @tool("read")
    def list_teams(self) -> list[dict]:
        """All teams: name, city, budget, roster size and roster limit."""
        return self.rows("SELECT t.name, t.city, t.budget, t.roster_limit, (SELECT COUNT(*) FROM players p WHERE "
                         "p.team_id = t.id) AS roster_size FROM teams t ORDER BY t.name")

    @tool("read")
    def get_roster(self, team: str) -> list[dict]:
        """A team's players with position, age, market value and season totals (apps, minutes, goals, assists).

        Args:
            team: Team name.
        """
        t = self._team(team)
        return self.rows("SELECT p.id, p.name, p.position, p.age, p.market_value, p.shirt, s.apps, s.minutes, "
                         "s.goals, s.assists FROM players p JOIN player_totals s ON s.player_id = p.id "
                         "WHERE p.team_id = ? ORDER BY p.shirt", t["id"])

    @tool("read")
    def get_player(self, player: str) -> dict:
        """One player: team, position, age, market value and season totals including cards.

        Args:
            player: Player's full name.
        """
        p = self._player(player)
        team = self.db.execute("SELECT name FROM teams WHERE id = ?", (p["team_id"],)).fetchone()
        totals = self.db.execute("SELECT * FROM player_totals WHERE player_id = ?", (p["id"],)).fetchone()
        return {**{k: p[k] for k in ("id", "name", "position", "age", "market_value", "shirt")},
                "team": team[0] if team else None, **{k: totals[k] for k in totals.keys() if k != "player_id"}}

    @tool("read")
    def search_players(self, position: str | None = None, max_market_value: int | None = None,
                       max_age: int | None = None, free_agents_only: bool = False) -> list[dict]:
        """Players across the league (and free agents), with team, age, market value, minutes, goals and assists.

        Args:
            position: GK, DF, MF or FW.
            max_market_value: Highest market value.
            max_age: Oldest age.
            free_agents_only: Only players without a team.
        """
        if position and position not in POSITIONS:
            raise ValueError("position must be GK, DF, MF or FW")
        return self.rows("SELECT p.name, t.name AS team, p.position, p.age, p.market_value, s.minutes, s.goals, "
                         "s.assists FROM players p LEFT JOIN teams t ON t.id = p.team_id JOIN player_totals s ON "
                         "s.player_id = p.id WHERE (? IS NULL OR p.position = ?) AND p.market_value <= ? AND p.age <= ? "
                         "AND (? = 0 OR p.team_id IS NULL) ORDER BY p.id", position, position,
                         max_market_value if max_market_value is not None else 10 ** 12,
                         max_age if max_age is not None else 200, int(free_agents_only))

    @tool("read")
    def top_scorers(self, limit: int = 10) -> list[dict]:
        """The league's top goal scorers (ties listed in name order).

        Args:
            limit: How many to list (1-50).
        """
        if not 1 <= limit <= 50:
            raise ValueError("limit must be 1 to 50")
        return self.rows("SELECT p.name, t.name AS team, s.goals, s.assists FROM player_totals s JOIN players p ON "
                         "p.id = s.player_id LEFT JOIN teams t ON t.id = p.team_id ORDER BY s.goals DESC, p.name "
                         "LIMIT ?", limit)

    @tool("read")
    def list_matches(self, team: str | None = None, round: int | None = None, status: str | None = None) -> list[dict]:
        """Fixtures and results, optionally of one team, one round and/or one status (played, scheduled).

        Args:
            team: Team name.
            round: Round number.
            status: played or scheduled.
        """
        team_id = self._team(team)["id"] if team else None
        return self.rows("SELECT m.id, m.round, m.date, h.name AS home, a.name AS away, m.home_goals, m.away_goals, "
                         "m.status FROM matches m JOIN teams h ON h.id = m.home_id JOIN teams a ON a.id = m.away_id "
                         "WHERE (? IS NULL OR ? IN (m.home_id, m.away_id)) AND (? IS NULL OR m.round = ?) AND "
                         "(? IS NULL OR m.status = ?) ORDER BY m.round, m.id", team_id, team_id, round, round,
                         status, status)

    @tool("read")
    def get_match(self, match_id: int) -> dict:
        """One match with every player's minutes, goals, assists and cards.

        Args:
            match_id: Match id from list_matches.
        """
        row = self.db.execute("SELECT m.*, h.name AS home, a.name AS away FROM matches m JOIN teams h ON "
                              "h.id = m.home_id JOIN teams a ON a.id = m.away_id WHERE m.id = ?", (match_id,)).fetchone()
        if row is None:
            raise ValueError(f"no match {match_id}; use list_matches")
        out = {k: row[k] for k in ("id", "round", "date", "home", "away", "home_goals", "away_goals", "status")}
        out["players"] = self.rows("SELECT p.name, t.name AS team, s.minutes, s.goals, s.assists, s.yellow, s.red "
                                   "FROM player_stats s JOIN players p ON p.id = s.player_id JOIN teams t ON "
                                   "t.id = s.team_id WHERE s.match_id = ? ORDER BY s.id", match_id)
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
        return self.rows("SELECT x.id, p.name AS player, f.name AS from_team, t.name AS to_team, x.fee, x.kind FROM "
                         "transfers x JOIN players p ON p.id = x.player_id LEFT JOIN teams f ON f.id = x.from_team_id "
                         "LEFT JOIN teams t ON t.id = x.to_team_id WHERE (? IS NULL OR ? IN (x.from_team_id, "
                         "x.to_team_id)) ORDER BY x.id", team_id, team_id)

    @tool("write")
    def record_result(self, match_id: int, home_goals: int, away_goals: int) -> dict:
        """Record the final score of a scheduled match.

        Args:
            match_id: Match id from list_matches.
            home_goals: Goals of the home team (0-20).
            away_goals: Goals of the away team (0-20).
        """
        m = self.db.execute("SELECT * FROM matches WHERE id = ?", (match_id,)).fetchone()
        if m is None:
            raise ValueError(f"no match {match_id}; use list_matches")
        if m["status"] != "scheduled":
            raise ValueError(f"match {match_id} already has a result")
        if not (0 <= home_goals <= 20 and 0 <= away_goals <= 20):
            raise ValueError("goals must be between 0 and 20")
        if self.db.execute("SELECT 1 FROM matches WHERE round < ? AND status = 'scheduled'", (m["round"],)).fetchone():
            raise ValueError("an earlier round still has unplayed matches; record those first")
        self.db.execute("UPDATE matches SET home_goals = ?, away_goals = ?, status = 'played' WHERE id = ?",
                        (home_goals, away_goals, match_id))
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
        cur = self.db.execute("INSERT INTO transfers (player_id, from_team_id, to_team_id, fee, kind) VALUES "
                              "(?, ?, ?, ?, 'transfer')", (p["id"], p["team_id"], t["id"], fee))
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
        cur = self.db.execute("INSERT INTO transfers (player_id, from_team_id, to_team_id, fee, kind) VALUES "
                              "(?, NULL, ?, 0, 'signing')", (p["id"], t["id"]))
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
        cur = self.db.execute("INSERT INTO transfers (player_id, from_team_id, to_team_id, fee, kind) VALUES "
                              "(?, ?, NULL, 0, 'release')", (p["id"], p["team_id"]))
        return {"transfer_id": cur.lastrowid, "player": p["name"], "released": True}

    # ---- proposer helpers -------------------------------------------------------------------------

    def _standings(self) -> list[dict]:
        return standings_of(self.rows("SELECT id, name FROM teams"), self.rows("SELECT * FROM matches"))

    def _stats(self, where: str = "1", *args) -> list[dict]:
        return self.rows("SELECT p.*, s.minutes, s.goals, s.assists, s.goals + s.assists AS contributions FROM "
                         f"players p JOIN player_totals s ON s.player_id = p.id WHERE {where}", *args)

    def _next_round(self) -> int | None:
        row = self.db.execute("SELECT MIN(round) FROM matches WHERE status = 'scheduled'").fetchone()
        return row[0]

    @staticmethod
    def _unique(items: list[dict], key, highest: bool = True) -> dict | None:
        if not items:
            return None
        ranked = sorted(items, key=key, reverse=highest)
        return None if len(ranked) > 1 and key(ranked[0]) == key(ranked[1]) else ranked[0]

    # ---- proposers --------------------------------------------------------------------------------

    @proposer(difficulty=1, attempts=12)
    def propose_player_team(self, rng: random.Random) -> TaskDraft | None:
        p = rng.choice(self.rows("SELECT p.name, t.name AS team FROM players p JOIN teams t ON t.id = p.team_id"))
        return TaskDraft(
            shape="player_team",
            instruction=self.render("player_team", rng, player=p["name"]),
            solution=Program.of(solve_player_team, player=p["name"]),
            verifier=Program.of(verify_name, expected=p["team"],
                                candidates=[t["name"] for t in self.rows("SELECT name FROM teams")]),
        )

    @proposer(difficulty=1, attempts=12)
    def propose_team_budget(self, rng: random.Random) -> TaskDraft | None:
        t = rng.choice(self.rows("SELECT name, budget FROM teams"))
        return TaskDraft(
            shape="team_budget",
            instruction=self.render("team_budget", rng, team=t["name"]),
            solution=Program.of(solve_team_budget, team=t["name"]),
            verifier=Program.of(verify_number, expected=t["budget"], tolerance=0.5),
        )

    @proposer(difficulty=1, attempts=12)
    def propose_match_score(self, rng: random.Random) -> TaskDraft | None:
        m = rng.choice(self.rows("SELECT m.*, h.name AS home, a.name AS away FROM matches m JOIN teams h ON "
                                 "h.id = m.home_id JOIN teams a ON a.id = m.away_id WHERE status = 'played'"))
        return TaskDraft(
            shape="match_score",
            instruction=self.render("match_score", rng, home=m["home"], away=m["away"], round=m["round"]),
            solution=Program.of(solve_match_score, home=m["home"], round=m["round"]),
            verifier=Program.of(verify_score, expected=[m["home_goals"], m["away_goals"]]),
        )

    @proposer(difficulty=2, attempts=12)
    def propose_team_points(self, rng: random.Random) -> TaskDraft | None:
        row = rng.choice(self._standings())
        return TaskDraft(
            shape="team_points",
            instruction=self.render("team_points", rng, team=row["team"]),
            solution=Program.of(solve_team_points, team=row["team"]),
            verifier=Program.of(verify_number, expected=row["points"], tolerance=0.0),
            tools=("list_teams", "list_matches", "get_roster", "get_player"),
        )

    @proposer(difficulty=2, attempts=12)
    def propose_team_top_scorer(self, rng: random.Random) -> TaskDraft | None:
        team = rng.choice(self.rows("SELECT id, name FROM teams"))
        goals = self.rows("SELECT p.name, SUM(s.goals) AS goals FROM player_stats s JOIN players p ON p.id = "
                          "s.player_id WHERE s.team_id = ? GROUP BY p.id", team["id"])
        best = self._unique(goals, key=lambda r: r["goals"])
        current = {r["name"] for r in self.rows("SELECT name FROM players WHERE team_id = ?", team["id"])}
        if best is None or best["name"] not in current or self.rows(
                "SELECT 1 FROM player_stats s JOIN players p ON p.id = s.player_id WHERE p.team_id = ? AND "
                "s.team_id != ?", team["id"], team["id"]):
            return None
        return TaskDraft(
            shape="team_top_scorer",
            instruction=self.render("team_top_scorer", rng, team=team["name"]),
            solution=Program.of(solve_team_top_scorer, team=team["name"]),
            verifier=Program.of(verify_name, expected=best["name"],
                                candidates=[r["name"] for r in self.rows("SELECT name FROM players")]),
        )

    @proposer(difficulty=2, attempts=12)
    def propose_nth_place(self, rng: random.Random) -> TaskDraft | None:
        table = self._standings()
        n = rng.randint(1, len(table))
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n if n < 20 else n % 10, "th")
        return TaskDraft(
            shape="nth_place",
            instruction=self.render("nth_place", rng, n=n, suffix=suffix),
            solution=Program.of(solve_nth_place, n=n),
            verifier=Program.of(verify_name, expected=table[n - 1]["team"], candidates=[r["team"] for r in table]),
            tools=("list_teams", "list_matches", "get_match"),
        )

    @proposer(difficulty=2, attempts=12)
    def propose_player_contributions(self, rng: random.Random) -> TaskDraft | None:
        p = rng.choice(self._stats("p.team_id IS NOT NULL AND s.minutes > 0"))
        return TaskDraft(
            shape="player_contributions",
            instruction=self.render("player_contributions", rng, player=p["name"]),
            solution=Program.of(solve_player_contributions, player=p["name"]),
            verifier=Program.of(verify_number, expected=p["contributions"], tolerance=0.0),
        )

    @proposer(difficulty=3, attempts=12)
    def propose_record_and_points(self, rng: random.Random) -> TaskDraft | None:
        rnd = self._next_round()
        if rnd is None:
            return None
        m = rng.choice(self.rows("SELECT m.*, h.name AS home, a.name AS away FROM matches m JOIN teams h ON "
                                 "h.id = m.home_id JOIN teams a ON a.id = m.away_id WHERE round = ?", rnd))
        hg, ag = rng.randint(0, 4), rng.randint(0, 4)
        team = rng.choice([m["home"], m["away"]])
        before = next(r["points"] for r in self._standings() if r["team"] == team)
        gained = 3 if (hg > ag) == (team == m["home"]) and hg != ag else 1 if hg == ag else 0
        spec = {"round": rnd, "home": m["home"], "away": m["away"], "hg": hg, "ag": ag}
        return TaskDraft(
            shape="record_and_points",
            instruction=self.render("record_and_points", rng, **spec, team=team),
            solution=Program.of(solve_record_and_points, **spec, team=team),
            verifier=Program.of(verify_results, results={str(m["id"]): [hg, ag]}, expected=before + gained,
                                kind="number"),
        )

    @proposer(difficulty=4, attempts=12)
    def propose_record_round(self, rng: random.Random) -> TaskDraft | None:
        rnd = self._next_round()
        if rnd is None:
            return None
        fixtures = self.rows("SELECT m.*, h.name AS home, a.name AS away FROM matches m JOIN teams h ON "
                             "h.id = m.home_id JOIN teams a ON a.id = m.away_id WHERE round = ? ORDER BY m.id", rnd)
        scores = {m["id"]: (rng.randint(0, 4), rng.randint(0, 3)) for m in fixtures}
        matches = [{**m, "home_goals": scores[m["id"]][0], "away_goals": scores[m["id"]][1], "status": "played"}
                   if m["id"] in scores else m for m in self.rows("SELECT * FROM matches")]
        table = standings_of(self.rows("SELECT id, name FROM teams"), matches)
        text = "; ".join(f"{m['home']} {scores[m['id']][0]}-{scores[m['id']][1]} {m['away']}" for m in fixtures)
        results = [[m["home"], m["away"], *scores[m["id"]]] for m in fixtures]
        return TaskDraft(
            shape="record_round",
            instruction=self.render("record_round", rng, round=rnd, results=text),
            solution=Program.of(solve_record_round, round=rnd, results=results),
            verifier=Program.of(verify_results, results={str(k): list(v) for k, v in scores.items()},
                                expected=table[0]["points"], kind="number"),
        )

    @proposer(difficulty=3, attempts=12)
    def propose_buy_best(self, rng: random.Random) -> TaskDraft | None:
        team = rng.choice(self.rows("SELECT * FROM teams"))
        position = rng.choice(["DF", "MF", "FW"])
        max_value = rng.randrange(2_000_000, 10_000_000, 500_000)
        pool = [p for p in self._stats("p.team_id IS NOT NULL AND p.team_id != ? AND p.position = ? AND "
                                       "p.market_value <= ?", team["id"], position, max_value)]
        best = self._unique(pool, key=lambda p: p["contributions"])
        if best is None or self._transfer_refusal(best, team, best["market_value"]):
            return None
        spec = {"team": team["name"], "position": position, "max_value": max_value}
        return TaskDraft(
            shape="buy_best",
            instruction=self.render("buy_best", rng, **spec),
            solution=Program.of(solve_buy_best, **spec),
            verifier=Program.of(verify_transfers, moves=[[best["id"], team["id"], best["market_value"]]],
                                releases=[], **self._rules()),
        )

    @proposer(difficulty=4, attempts=12)
    def propose_sell_and_buy(self, rng: random.Random) -> TaskDraft | None:
        team = rng.choice(self.rows("SELECT * FROM teams"))
        position = rng.choice(["DF", "MF", "FW", "GK"])
        mine = self._stats("p.team_id = ? AND p.position = ?", team["id"], position)
        seller = self._unique(mine, key=lambda p: p["minutes"], highest=False)
        if seller is None:
            return None
        # simulate on a scratch copy: the sale, then the purchase
        scratch, saved = self.snapshot(), self.db
        self.db = scratch
        try:
            buyers = [t for t in self.rows("SELECT * FROM teams WHERE id != ?", team["id"])
                      if not self._transfer_refusal(seller, t, seller["market_value"])]
            buyer = self._unique(buyers, key=lambda t: t["budget"])
            if buyer is None:
                return None
            self.transfer_player(seller["name"], buyer["name"], seller["market_value"])
            me = self._team(team["name"])
            pool = [p for p in self._stats("p.team_id IS NOT NULL AND p.team_id != ? AND p.position = ?",
                                           team["id"], position)
                    if not self._transfer_refusal(p, me, p["market_value"])]
            target = self._unique(pool, key=lambda p: p["minutes"])
            if target is None or target["id"] == seller["id"]:
                return None
        finally:
            self.db = saved
            scratch.close()
        return TaskDraft(
            shape="sell_and_buy",
            instruction=self.render("sell_and_buy", rng, team=team["name"], position=position),
            solution=Program.of(solve_sell_and_buy, team=team["name"], position=position, **self._rules()),
            verifier=Program.of(verify_transfers, moves=[[seller["id"], buyer["id"], seller["market_value"]],
                                                         [target["id"], team["id"], target["market_value"]]],
                                releases=[], **self._rules()),
        )

    @proposer(difficulty=5, attempts=12)
    def propose_squad_plan(self, rng: random.Random) -> TaskDraft | None:
        team = rng.choice(self.rows("SELECT * FROM teams"))
        release = rng.choice(["DF", "MF", "FW", "GK"])
        mine = self._stats("p.team_id = ? AND p.position = ?", team["id"], release)
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
            pools = {pos: [p for p in self._stats("p.team_id IS NOT NULL AND p.team_id != ? AND p.position = ? AND "
                                                  "p.age < ?", team["id"], pos, max_age)]
                     for pos in ("FW", "MF")}
            size = self.db.execute("SELECT COUNT(*) FROM players WHERE team_id = ?", (me["id"],)).fetchone()[0]
            pairs = []
            for fw, mf in itertools.product(pools["FW"], pools["MF"]):
                fee = fw["market_value"] + mf["market_value"]
                if fee > spend or me["budget"] - fee < rules["budget_floor"] or size + 2 > me["roster_limit"]:
                    continue
                if any(rules["age_cap"] is not None and p["age"] > rules["age_cap"] for p in (fw, mf)):
                    continue
                same = 2 if fw["team_id"] == mf["team_id"] else 1
                if any(self.db.execute("SELECT COUNT(*) FROM players WHERE team_id = ?", (p["team_id"],)).fetchone()[0]
                       - same < MIN_SQUAD for p in (fw, mf)):
                    continue
                pairs.append({"pair": (fw, mf), "score": fw["contributions"] + mf["contributions"]})
            best = self._unique(pairs, key=lambda x: x["score"])
        finally:
            self.db = saved
            scratch.close()
        if best is None:
            return None
        spec = {"team": team["name"], "release": release, "max_age": max_age, "spend": spend}
        return TaskDraft(
            shape="squad_plan",
            instruction=self.render("squad_plan", rng, **spec),
            solution=Program.of(solve_squad_plan, **spec, **rules),
            verifier=Program.of(verify_squad_plan, team_id=team["id"], release_id=oldest["id"], max_age=max_age,
                                spend=spend, best_score=best["score"], rules=rules),
        )


# ---- solutions: tools and computation only --------------------------------------------------------

def solve_player_team(tools, params):
    return tools.get_player(player=params["player"])["team"]


def solve_team_budget(tools, params):
    return next(t for t in tools.list_teams() if t["name"] == params["team"])["budget"]


def solve_match_score(tools, params):
    m = next(m for m in tools.list_matches(team=params["home"], round=params["round"]) if m["home"] == params["home"])
    return f"{m['home_goals']}-{m['away_goals']}"


def solve_team_points(tools, params):
    points = 0
    for m in tools.list_matches(team=params["team"], status="played"):
        mine, theirs = (m["home_goals"], m["away_goals"]) if m["home"] == params["team"] else \
            (m["away_goals"], m["home_goals"])
        points += 3 if mine > theirs else 1 if mine == theirs else 0
    return points


def solve_team_top_scorer(tools, params):
    return max(tools.get_roster(team=params["team"]), key=lambda p: p["goals"])["name"]


def solve_nth_place(tools, params):
    table = {t["name"]: [0, 0, 0] for t in tools.list_teams()}  # points, goal difference, goals for
    for m in tools.list_matches(status="played"):
        for team, gf, ga in ((m["home"], m["home_goals"], m["away_goals"]), (m["away"], m["away_goals"], m["home_goals"])):
            table[team][0] += 3 if gf > ga else 1 if gf == ga else 0
            table[team][1] += gf - ga
            table[team][2] += gf
    ranked = sorted(table, key=lambda t: (-table[t][0], -table[t][1], -table[t][2], t))
    return ranked[params["n"] - 1]


def solve_player_contributions(tools, params):
    p = tools.get_player(player=params["player"])
    return p["goals"] + p["assists"]


def solve_record_and_points(tools, params):
    m = next(m for m in tools.list_matches(round=params["round"], status="scheduled") if m["home"] == params["home"])
    tools.record_result(match_id=m["id"], home_goals=params["hg"], away_goals=params["ag"])
    return next(r for r in tools.get_standings() if r["team"] == params["team"])["points"]


def solve_record_round(tools, params):
    fixtures = {m["home"]: m["id"] for m in tools.list_matches(round=params["round"], status="scheduled")}
    for home, away, hg, ag in params["results"]:
        tools.record_result(match_id=fixtures[home], home_goals=hg, away_goals=ag)
    return tools.get_standings()[0]["points"]


def solve_buy_best(tools, params):
    pool = [p for p in tools.search_players(position=params["position"], max_market_value=params["max_value"])
            if p["team"] and p["team"] != params["team"]]
    best = max(pool, key=lambda p: p["goals"] + p["assists"])
    tools.transfer_player(player=best["name"], to_team=params["team"], fee=best["market_value"])
    return f"Bought {best['name']}"


def solve_sell_and_buy(tools, params):
    def can_buy(player, team, teams):
        if params["age_cap"] is not None and player["age"] > params["age_cap"]:
            return False
        return (team["roster_size"] < team["roster_limit"]
                and team["budget"] - player["market_value"] >= params["budget_floor"]
                and teams[player["team"]]["roster_size"] > 16)

    roster = [p for p in tools.get_roster(team=params["team"]) if p["position"] == params["position"]]
    seller = min(roster, key=lambda p: p["minutes"])
    seller = {**seller, "team": params["team"]}
    teams = {t["name"]: t for t in tools.list_teams()}
    buyers = [t for t in teams.values() if t["name"] != params["team"] and can_buy(seller, t, teams)]
    buyer = max(buyers, key=lambda t: t["budget"])
    tools.transfer_player(player=seller["name"], to_team=buyer["name"], fee=seller["market_value"])
    teams = {t["name"]: t for t in tools.list_teams()}
    pool = [p for p in tools.search_players(position=params["position"])
            if p["team"] and p["team"] != params["team"] and can_buy(p, teams[params["team"]], teams)]
    target = max(pool, key=lambda p: p["minutes"])
    tools.transfer_player(player=target["name"], to_team=params["team"], fee=target["market_value"])
    return f"Sold {seller['name']} to {buyer['name']}, bought {target['name']}"


def solve_squad_plan(tools, params):
    roster = [p for p in tools.get_roster(team=params["team"]) if p["position"] == params["release"]]
    oldest = max(roster, key=lambda p: p["age"])
    tools.release_player(player=oldest["name"])
    teams = {t["name"]: t for t in tools.list_teams()}
    me = teams[params["team"]]

    def pool(position):
        return [p for p in tools.search_players(position=position, max_age=params["max_age"] - 1)
                if p["team"] and p["team"] != params["team"]
                and (params["age_cap"] is None or p["age"] <= params["age_cap"])]

    best, forwards, midfielders = None, pool("FW"), pool("MF")
    for fw in forwards:
        for mf in midfielders:
            fee = fw["market_value"] + mf["market_value"]
            same = 2 if fw["team"] == mf["team"] else 1
            if fee > params["spend"] or me["budget"] - fee < params["budget_floor"] or any(
                    teams[p["team"]]["roster_size"] - same < 16 for p in (fw, mf)):
                continue
            score = fw["goals"] + fw["assists"] + mf["goals"] + mf["assists"]
            if best is None or score > best[0]:
                best = (score, fw, mf)
    for p in best[1:]:
        tools.transfer_player(player=p["name"], to_team=params["team"], fee=p["market_value"])
    return f"Released {oldest['name']}; bought {best[1]['name']} and {best[2]['name']}"


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_name(outcome, params):
    from verifiers.answers import mentioned, mentions_exactly

    ok = mentions_exactly(outcome.answer, [params["expected"]], params["candidates"])
    return ok, [] if ok else [f"expected exactly {params['expected']!r}, answer names "
                              f"{sorted(mentioned(outcome.answer, params['candidates'] + [params['expected']]))}"]


def verify_score(outcome, params):
    from verifiers.answers import numbers_in

    found = [int(n) for n in numbers_in((outcome.answer or "").replace("-", " "))]
    ok = found == params["expected"]
    return ok, [] if ok else [f"expected the score {params['expected'][0]}-{params['expected'][1]}, got {found}"]


def verify_results(outcome, params):
    """Exactly the matches in `results` got those scores; then the answer (a number or a team name) is right."""
    from verifiers.answers import mentions_exactly, only_number
    from verifiers.state import diff_table, unchanged

    added, removed, changed = diff_table(outcome.initial, outcome.db, "matches")
    got = {str(m["id"]): [m["home_goals"], m["away_goals"]] for m in changed if m["status"] == "played"}
    reasons = []
    if added or removed or got != params["results"] or len(changed) != len(got):
        reasons.append(f"expected results {params['results']}, recorded {got}")
    if other := unchanged(outcome.initial, outcome.db, ["teams", "players", "player_stats", "transfers"]):
        reasons.append(f"unexpected changes in {other}")
    if params["kind"] == "number":
        ok = only_number(outcome.answer, params["expected"], abs_tol=0)
    else:
        ok = mentions_exactly(outcome.answer, [params["expected"]], params["candidates"])
    if not ok:
        reasons.append(f"expected the answer {params['expected']!r}, got {outcome.answer!r}")
    return not reasons, reasons


def verify_transfers(outcome, params):
    """Exactly the `moves` ([player id, to team id, fee]) happened, budgets moved with the fees, rules held."""
    from verifiers.state import column_deltas, diff_table, unchanged

    added, removed, changed = diff_table(outcome.initial, outcome.db, "transfers")
    got = [[t["player_id"], t["to_team_id"], t["fee"]] for t in added]
    if removed or changed or got != params["moves"]:
        return False, [f"expected transfers {params['moves']} in that order, got {got}"]
    reasons = []
    before = {p["id"]: p for p in outcome.initial_rows("SELECT * FROM players")}
    want_budget: dict = {}
    for player_id, to_team, fee in params["moves"]:
        seller = outcome.initial_rows("SELECT team_id FROM players WHERE id = ?", player_id)[0]["team_id"]
        want_budget[to_team] = want_budget.get(to_team, 0) - fee
        want_budget[seller] = want_budget.get(seller, 0) + fee
        if params["age_cap"] is not None and before[player_id]["age"] > params["age_cap"]:
            reasons.append(f"player {player_id} is too old to buy")
    want_budget = {k: v for k, v in sorted(want_budget.items()) if v}
    if column_deltas(outcome.initial, outcome.db, "teams", "budget") != want_budget:
        reasons.append(f"budget changes {column_deltas(outcome.initial, outcome.db, 'teams', 'budget')} do not match "
                       f"the fees {want_budget}")
    for t in outcome.rows("SELECT t.*, (SELECT COUNT(*) FROM players p WHERE p.team_id = t.id) AS n FROM teams t"):
        if t["n"] > t["roster_limit"] or t["budget"] < 0:
            reasons.append(f"{t['name']} breaks its roster limit or budget")
        if t["budget"] < params["budget_floor"] and t["id"] in {m[1] for m in params["moves"]}:
            reasons.append(f"{t['name']} ends below the budget floor")
    final_team = {p["id"]: p["team_id"] for p in outcome.rows("SELECT id, team_id FROM players")}
    moved = {m[0]: m[1] for m in params["moves"]}
    for pid, p in before.items():
        want = moved.get(pid, None if pid in params["releases"] else p["team_id"])
        if final_team[pid] != want:
            reasons.append(f"player {pid} is with team {final_team[pid]}, expected {want}")
    if other := unchanged(outcome.initial, outcome.db, ["matches", "player_stats"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons


def verify_squad_plan(outcome, params):
    """The oldest player is released; one FW and one MF under the age limit bought at market value from other
    clubs, within the spend and the policy, with combined goals + assists equal to the best possible."""
    from verifiers.state import column_deltas, diff_table, unchanged

    added, removed, changed = diff_table(outcome.initial, outcome.db, "transfers")
    if removed or changed or len(added) != 3:
        return False, [f"expected one release and two transfers, got {len(added)} new entries"]
    releases = [t for t in added if t["kind"] == "release"]
    buys = [t for t in added if t["kind"] == "transfer"]
    if [t["player_id"] for t in releases] != [params["release_id"]] or len(buys) != 2:
        return False, [f"expected the release of player {params['release_id']} and two transfers"]
    reasons = []
    players = {p["id"]: p for p in outcome.initial_rows("SELECT p.*, s.goals + s.assists AS c FROM players p JOIN "
                                                        "player_totals s ON s.player_id = p.id")}
    bought = [players[t["player_id"]] for t in buys]
    if sorted(p["position"] for p in bought) != ["FW", "MF"]:
        reasons.append("the two buys must be one FW and one MF")
    for t, p in zip(buys, bought):
        if t["to_team_id"] != params["team_id"] or t["fee"] != p["market_value"] or p["team_id"] == params["team_id"]:
            reasons.append(f"transfer of {p['name']} is not from another club to the team at market value")
        if p["age"] >= params["max_age"] or (params["rules"]["age_cap"] is not None
                                             and p["age"] > params["rules"]["age_cap"]):
            reasons.append(f"{p['name']} is {p['age']}, too old")
    fees = sum(t["fee"] for t in buys)
    if fees > params["spend"]:
        reasons.append(f"spent {fees} > {params['spend']}")
    if sum(p["c"] for p in bought) != params["best_score"]:
        reasons.append(f"combined goals + assists {sum(p['c'] for p in bought)}, the best possible is "
                       f"{params['best_score']}")
    want: dict = {params["team_id"]: -fees}
    for t, p in zip(buys, bought):
        want[p["team_id"]] = want.get(p["team_id"], 0) + t["fee"]
    if column_deltas(outcome.initial, outcome.db, "teams", "budget") != {k: v for k, v in sorted(want.items()) if v}:
        reasons.append("budgets did not move with the fees")
    team = outcome.rows("SELECT t.*, (SELECT COUNT(*) FROM players p WHERE p.team_id = t.id) AS n FROM teams t "
                        "WHERE t.id = ?", params["team_id"])[0]
    if team["n"] > team["roster_limit"] or team["budget"] < params["rules"]["budget_floor"]:
        reasons.append("the team breaks its roster limit or budget floor")
    moved = {t["player_id"]: t["to_team_id"] for t in added}
    for p in outcome.rows("SELECT id, team_id FROM players"):
        if p["team_id"] != moved.get(p["id"], players[p["id"]]["team_id"]):
            reasons.append(f"player {p['id']} moved unexpectedly")
    if other := unchanged(outcome.initial, outcome.db, ["matches", "player_stats"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons
