"""The league's world: teams, squads, the fixture list and the season so far, and how an instance's database is
built."""

from __future__ import annotations

import datetime as dt
import random

TEAM_NAMES = [
    ("Harbor City", "Mariners"),
    ("Elmstead", "Rovers"),
    ("Kingsbridge", "Athletic"),
    ("Northvale", "United"),
    ("Redmoor", "Wanderers"),
    ("Ashford", "Town"),
    ("Silverlake", "FC"),
    ("Brackenfield", "City"),
    ("Westhollow", "Albion"),
    ("Stonecross", "Rangers"),
    ("Millbrook", "Hornets"),
    ("Fernhill", "Falcons"),
    ("Dunmore", "Saints"),
    ("Oakhaven", "Vale"),
    ("Pinecliff", "Pilots"),
    ("Greywater", "Borough"),
    ("Larkspur", "Lions"),
    ("Coldharbour", "Comets"),
]
FIRST = [
    "Aldo",
    "Bram",
    "Caio",
    "Dario",
    "Emeka",
    "Finn",
    "Goran",
    "Hamid",
    "Ilya",
    "Joao",
    "Kasper",
    "Lior",
    "Mateo",
    "Niko",
    "Oskar",
    "Pavel",
    "Rafa",
    "Sven",
    "Tomas",
    "Ugo",
    "Viggo",
    "Yannick",
    "Zoltan",
    "Arlo",
    "Benji",
    "Cosmin",
    "Dejan",
    "Elio",
    "Femi",
    "Gael",
]
LAST = [
    "Abara",
    "Brekke",
    "Castellan",
    "Dovrin",
    "Eskildsen",
    "Ferreiro",
    "Gulbrand",
    "Halloran",
    "Ivanic",
    "Jovanic",
    "Kettering",
    "Lindvall",
    "Marquand",
    "Nordahl",
    "Okonjo",
    "Petrakis",
    "Quillan",
    "Rosendal",
    "Santaro",
    "Tollefsen",
    "Udeh",
    "Varga",
    "Whitlock",
    "Yarrow",
    "Zanetti",
    "Almquist",
    "Brightwater",
    "Corvino",
    "Delacroix",
    "Engvall",
]
POSITIONS = {"GK": 3, "DF": 7, "MF": 7, "FW": 4}  # squad make-up per team
SCORING = {"GK": 0.0, "DF": 0.6, "MF": 1.6, "FW": 3.0}
MIN_SQUAD = 16


def standings_of(teams: list[dict], matches: list[dict]) -> list[dict]:
    """League table from played matches: 3 points a win, 1 a draw; points, goal difference, goals for, name."""
    table = {
        t["id"]: {
            "team": t["name"],
            "played": 0,
            "won": 0,
            "drawn": 0,
            "lost": 0,
            "goals_for": 0,
            "goals_against": 0,
            "points": 0,
        }
        for t in teams
    }
    for m in matches:
        if m["status"] != "played":
            continue
        for side, gf, ga in (
            (m["home_id"], m["home_goals"], m["away_goals"]),
            (m["away_id"], m["away_goals"], m["home_goals"]),
        ):
            row = table[side]
            row["played"] += 1
            row["goals_for"] += gf
            row["goals_against"] += ga
            key = "won" if gf > ga else "drawn" if gf == ga else "lost"
            row[key] += 1
            row["points"] += {"won": 3, "drawn": 1, "lost": 0}[key]
    rows = sorted(
        table.values(), key=lambda r: (-r["points"], -(r["goals_for"] - r["goals_against"]), -r["goals_for"], r["team"])
    )
    for i, r in enumerate(rows):
        r["position"], r["goal_difference"] = i + 1, r["goals_for"] - r["goals_against"]
    return rows


class SportsWorld:
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
        names = iter(rng.sample([f"{f} {last}" for f in FIRST for last in LAST], 700))
        for city, nick in rng.sample(TEAM_NAMES, n_teams):
            cur = self.db.execute(
                "INSERT INTO teams (name, city, budget, roster_limit, strength) VALUES (?, ?, ?, ?, ?)",
                (
                    f"{city} {nick}",
                    city,
                    rng.randrange(2_000_000, 40_000_000, 250_000),
                    rng.choice([22, 23, 24, 25]),
                    rng.uniform(0.7, 1.5),
                ),
            )
            shirt = 0
            for pos, count in POSITIONS.items():
                for _ in range(count + rng.choice([0, 0, 1]) - (pos != "GK" and rng.random() < 0.3)):
                    shirt += 1
                    self._add_player(rng, next(names), cur.lastrowid, pos, shirt)
        for team in self.rows("SELECT id FROM teams"):  # some squads are full, most have a little room
            size = self.value("SELECT COUNT(*) FROM players WHERE team_id = ?", team["id"])
            self.db.execute(
                "UPDATE teams SET roster_limit = ? WHERE id = ?", (size + rng.choice([0, 1, 2, 2, 3, 4]), team["id"])
            )
        for _ in range(rng.randint(8, 14)):
            self._add_player(rng, next(names), None, rng.choice(list(POSITIONS)), None)
        self._build_season(rng)

    def _add_player(self, rng, name, team_id, pos, shirt) -> None:
        age = rng.randint(18, 35)
        value = rng.randrange(250_000, 12_000_000, 50_000) if team_id else rng.randrange(100_000, 1_500_000, 50_000)
        self.db.execute(
            "INSERT INTO players (name, team_id, position, age, market_value, shirt) VALUES (?, ?, ?, ?, ?, ?)",
            (name, team_id, pos, age, value, shirt),
        )

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
                    self.db.execute(
                        "INSERT INTO matches (round, date, home_id, away_id, status) VALUES (?, ?, ?, ?, 'scheduled')",
                        (r, date, home, away),
                    )
                    continue
                hg = sum(rng.random() < 0.16 * strength[home] * 1.15 for _ in range(9))
                ag = sum(rng.random() < 0.16 * strength[away] for _ in range(9))
                cur = self.db.execute(
                    "INSERT INTO matches (round, date, home_id, away_id, home_goals, away_goals, "
                    "status) VALUES (?, ?, ?, ?, ?, ?, 'played')",
                    (r, date, home, away, hg, ag),
                )
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
                helper = rng.choices(
                    [p for p in on_pitch if p is not scorer], [w for p, w in zip(on_pitch, weights) if p is not scorer]
                )[0]
                tally[helper["id"]][1] += 1
        for p in on_pitch:
            self.db.execute(
                "INSERT INTO player_stats (match_id, player_id, team_id, minutes, goals, assists, yellow, "
                "red) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    match_id,
                    p["id"],
                    team_id,
                    minutes[p["id"]],
                    *tally[p["id"]],
                    int(rng.random() < 0.12),
                    int(rng.random() < 0.01),
                ),
            )
