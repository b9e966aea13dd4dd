"""Streaming catalogue: movies and albums, artists, genres, user ratings, licensing windows by region, libraries
and playlists."""

from __future__ import annotations

import datetime as dt
import itertools
import random

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool
from verifiers.common import verify_number

GENRES = {"movie": ["Drama", "Comedy", "Thriller", "Sci-Fi", "Documentary", "Animation", "Horror", "Romance"],
          "album": ["Jazz", "Indie Rock", "Electronic", "Folk", "Hip-Hop", "Classical", "Soul", "Ambient"]}
WORDS_A = ["Silent", "Northern", "Paper", "Velvet", "Hollow", "Crimson", "Distant", "Glass", "Midnight", "Wild",
           "Golden", "Broken", "Electric", "Quiet", "Burning", "Lunar", "Salt", "Iron", "Secret", "Endless"]
WORDS_B = ["Harbor", "Garden", "Signal", "Orchard", "Engine", "Lantern", "Meridian", "Tide", "Archive", "Summer",
           "Machine", "Canyon", "Empire", "Letters", "Horizon", "River", "Static", "Kingdom", "Season", "Parade"]
ARTIST_FIRST = ["Mara", "Teodor", "Ines", "Lucan", "Sabine", "Oren", "Katya", "Milo", "Noor", "Anselm", "Rhea",
                "Caspian", "Della", "Yusuf", "Freya", "Bastian"]
ARTIST_LAST = ["Vell", "Quist", "Marlowe", "Adeyemi", "Strand", "Kovalenko", "Ferro", "Lindahl", "Okoro", "Varnes",
               "Castel", "Mbatha", "Rook", "Solberg"]
BANDS = ["The Paper Kites Club", "Low Meridian", "Glass Orchard", "Static Parade", "Velvet Engine", "Northern Tide",
         "Hollow Lanterns", "The Salt Archive", "Lunar Letters", "Iron Season"]
COUNTRIES = ["Norway", "Canada", "Brazil", "Japan", "Nigeria", "France", "Australia", "Mexico", "Korea", "Ireland"]
REGIONS = ["EU", "NA", "LATAM", "APAC"]
USER_NAMES = ["avid_otter", "bluefinch", "cinephile_kay", "dune_walker", "echo_lane", "fern_and_fox", "grainy_film",
              "hushmode", "indigo_ray", "jazzhands42", "kettle_drum", "lofi_lou", "moss_hopper", "nightowl_nia",
              "orbit_olu", "pixel_pines", "quietstorm", "reel_rosa", "synth_sam", "tape_deck_tom"]
PLAYLIST_WORDS = ["Sunday", "Late Night", "Road Trip", "Rainy Day", "Focus", "Weekend", "Throwback", "Chill"]


class MediaEnv(EnvTemplate):
    name = "media"
    version = "1.0.0"
    category = "media catalogue"
    description = ("A streaming service's catalogue: movies and albums with artists, genres, runtimes and user "
                   "ratings, licensing windows by region and plan tier, and each user's library and playlists. Look "
                   "things up, add titles to libraries and playlists, and record ratings.")
    policy = (
        "Dates count from the service's today (get_service_info). A user can stream a title only if it has a "
        "license for the user's region whose window includes today; premium-tier licenses need a premium plan. "
        "Only streamable titles may be added to a user's library or playlists. A user rates a title at most once, "
        "1 to 5 stars, and only titles in their library. A playlist holds a title at most once and belongs to one "
        "user. Average ratings are over all ratings of a title; 'highest rated' compares those averages. Change "
        "only what the user asked for."
    )
    variants = VariantSpace(
        optional_tools=("list_genres", "get_artist", "check_availability"),
        renames={"search_titles": ("find_titles", "catalogue_search"), "add_to_playlist": ("playlist_add",),
                 "get_user": ("user_profile",)},
        rules={"playlist_cap": "A playlist may hold at most 10 titles.",
               "no_classics_in_playlists": "Titles released before 1990 may not be added to playlists."},
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "title_year": [
            "In which year was {{title}} released?",
            "What is the release year of {{title}}?",
        ],
        "title_artist": [
            "Who is the artist behind {{title}}?",
            "Which artist made {{title}}?",
            "Tell me who created the title {{title}}.",
        ],
        "user_region": [
            "Which region is the user {{user}} in?",
            "In what region does {{user}} stream from?",
        ],
        "top_rated_genre": [
            "Which {{genre}} {{kind}} has the highest average rating among those with at least {{min_n}} ratings?",
            "Among {{genre}} {{kind}}s rated by at least {{min_n}} users, which one has the best average rating?",
        ],
        "count_streamable": [
            "How many {{genre}} titles can {{user}} stream today?",
            "Count the {{genre}} titles that are available to {{user}} right now, given their region and plan.",
        ],
        "artist_avg_rating": [
            "What is the average star rating over all ratings of titles by {{artist}}? Round to 2 decimals.",
            "Taking every rating any user gave to a title by {{artist}}, what is the mean number of stars "
            "(2 decimals)?",
        ],
        "add_best": [
            "Add to {{user}}'s library the highest-rated {{kind}} by {{artist}} that they can stream today and do not "
            "already have.",
            "{{user}} wants the best-rated {{kind}} from {{artist}} that is streamable for them today and not yet in "
            "their library. Add it.",
        ],
        "rate_artist": [
            "{{user}} wants to give {{stars}} stars to every title by {{artist}} in their library that they have not "
            "rated yet. Record those ratings.",
            "Rate, for {{user}}, each {{artist}} title in their library without a rating from them: {{stars}} "
            "stars each.",
        ],
        "build_playlist": [
            "Create a playlist called \"{{name}}\" for {{user}} with the {{n}} highest-rated {{genre}} titles they "
            "can stream today that run at most {{max_minutes}} minutes each, as far as the policy allows.",
            "{{user}} wants a new playlist \"{{name}}\": the top {{n}} {{genre}} titles by average rating among those "
            "streamable for them today and no longer than {{max_minutes}} minutes, respecting the policy.",
        ],
        "movie_night": [
            "Make {{user}} a playlist \"{{name}}\" with exactly 2 {{movie_genre}} movies and 3 {{album_genre}} albums, "
            "all streamable for them today, none already in their library, at most {{max_minutes}} minutes in "
            "total, with the largest possible sum of average ratings under the policy. Add all five to their "
            "library as well.",
            "{{user}} is planning a night in: a new playlist \"{{name}}\" of two {{movie_genre}} movies plus three "
            "{{album_genre}} albums that they can stream today and don't own yet, totalling no more than "
            "{{max_minutes}} minutes, chosen to maximise the summed average ratings while following the policy. Put "
            "the five titles in their library too.",
        ],
    }

    # ---- database ---------------------------------------------------------------------------------

    def build(self, rng: random.Random) -> None:
        self.db.executescript("""
            CREATE TABLE service (id INTEGER PRIMARY KEY, today TEXT);
            CREATE TABLE genres (id INTEGER PRIMARY KEY, name TEXT UNIQUE, kind TEXT);
            CREATE TABLE artists (id INTEGER PRIMARY KEY, name TEXT UNIQUE, country TEXT);
            CREATE TABLE titles (id INTEGER PRIMARY KEY, title TEXT UNIQUE, kind TEXT, year INTEGER,
                genre_id INTEGER REFERENCES genres(id), artist_id INTEGER REFERENCES artists(id), minutes INTEGER);
            CREATE TABLE licenses (id INTEGER PRIMARY KEY, title_id INTEGER REFERENCES titles(id), region TEXT,
                start_date TEXT, end_date TEXT, tier TEXT);
            CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT UNIQUE, region TEXT, plan TEXT);
            CREATE TABLE ratings (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id),
                title_id INTEGER REFERENCES titles(id), stars INTEGER, UNIQUE (user_id, title_id));
            CREATE TABLE library (id INTEGER PRIMARY KEY, user_id INTEGER, title_id INTEGER, UNIQUE (user_id, title_id));
            CREATE TABLE playlists (id INTEGER PRIMARY KEY, user_id INTEGER, name TEXT, UNIQUE (user_id, name));
            CREATE TABLE playlist_items (id INTEGER PRIMARY KEY, playlist_id INTEGER, title_id INTEGER,
                UNIQUE (playlist_id, title_id));
            CREATE VIEW title_scores AS
                SELECT t.id AS title_id, ROUND(AVG(r.stars), 2) AS avg_rating, COUNT(r.id) AS n_ratings
                FROM titles t LEFT JOIN ratings r ON r.title_id = t.id GROUP BY t.id;
        """)
        today = dt.date(2026, rng.randint(1, 12), rng.randint(1, 28))
        self.db.execute("INSERT INTO service VALUES (1, ?)", (today.isoformat(),))
        n_titles, n_users = {"small": (90, 10), "medium": (150, 14), "large": (230, 20)}[self.variant.scale]
        for kind, names in GENRES.items():
            self.db.executemany("INSERT INTO genres (name, kind) VALUES (?, ?)", [(g, kind) for g in names])
        people = rng.sample([f"{f} {l}" for f in ARTIST_FIRST for l in ARTIST_LAST], 18)
        artists = [(n, "movie") for n in people[:10]] + [(n, "album") for n in people[10:] + rng.sample(BANDS, 6)]
        for name, _ in artists:
            self.db.execute("INSERT INTO artists (name, country) VALUES (?, ?)", (name, rng.choice(COUNTRIES)))
        ids = {r["name"]: r["id"] for r in self.rows("SELECT id, name FROM artists")}
        genres = {kind: [r["id"] for r in self.rows("SELECT id FROM genres WHERE kind = ?", kind)] for kind in GENRES}
        taken = set()
        for _ in range(n_titles):
            name, kind = rng.choice(artists)
            title = f"{rng.choice(['', 'The '])}{rng.choice(WORDS_A)} {rng.choice(WORDS_B)}"
            while title in taken:
                title = f"{rng.choice(WORDS_A)} {rng.choice(WORDS_B)}{rng.choice(['', ' II', ' Live', ' Nights'])}"
            taken.add(title)
            minutes = rng.randint(80, 170) if kind == "movie" else rng.randint(28, 75)
            cur = self.db.execute("INSERT INTO titles (title, kind, year, genre_id, artist_id, minutes) VALUES "
                                  "(?, ?, ?, ?, ?, ?)", (title, kind, rng.randint(1962, 2026),
                                                         rng.choice(genres[kind]), ids[name], minutes))
            for region in rng.sample(REGIONS, rng.randint(2, 4)):
                start = today + dt.timedelta(days=rng.randint(-700, 45))
                self.db.execute("INSERT INTO licenses (title_id, region, start_date, end_date, tier) VALUES "
                                "(?, ?, ?, ?, ?)", (cur.lastrowid, region, start.isoformat(),
                                                    (start + dt.timedelta(days=rng.randint(90, 1500))).isoformat(),
                                                    rng.choice(["basic", "basic", "premium"])))
        for name in rng.sample(USER_NAMES, n_users):
            self.db.execute("INSERT INTO users (name, region, plan) VALUES (?, ?, ?)",
                            (name, rng.choice(REGIONS), rng.choice(["basic", "premium"])))
        titles = [r["id"] for r in self.rows("SELECT id FROM titles")]
        for user in self.rows("SELECT id FROM users"):
            owned = rng.sample(titles, rng.randint(8, 20))
            self.db.executemany("INSERT INTO library (user_id, title_id) VALUES (?, ?)", [(user["id"], t) for t in owned])
            for t in owned:
                if rng.random() < 0.75:
                    self.db.execute("INSERT INTO ratings (user_id, title_id, stars) VALUES (?, ?, ?)",
                                    (user["id"], t, rng.choice([1, 2, 3, 3, 4, 4, 4, 5, 5])))
            for word in rng.sample(PLAYLIST_WORDS, rng.randint(0, 2)):
                cur = self.db.execute("INSERT INTO playlists (user_id, name) VALUES (?, ?)", (user["id"], f"{word} Mix"))
                self.db.executemany("INSERT INTO playlist_items (playlist_id, title_id) VALUES (?, ?)",
                                    [(cur.lastrowid, t) for t in rng.sample(owned, rng.randint(2, 6))])

    # ---- rules ------------------------------------------------------------------------------------

    def _rules(self) -> dict:
        return {"playlist_cap": 10 if "playlist_cap" in self.variant.rules else None,
                "min_playlist_year": 1990 if "no_classics_in_playlists" in self.variant.rules else None}

    def _today(self) -> str:
        return self.db.execute("SELECT today FROM service").fetchone()[0]

    def _streamable(self, user: dict) -> set[int]:
        tiers = ("basic", "premium") if user["plan"] == "premium" else ("basic",)
        return {r["title_id"] for r in self.rows(
            f"SELECT title_id FROM licenses WHERE region = ? AND start_date <= ? AND end_date >= ? AND tier IN "
            f"({','.join('?' * len(tiers))})", user["region"], self._today(), self._today(), *tiers)}

    # ---- tools ------------------------------------------------------------------------------------

    def _user(self, user: str) -> dict:
        row = self.db.execute("SELECT * FROM users WHERE lower(name) = lower(?)", (user,)).fetchone()
        if row is None:
            raise ValueError(f"unknown user {user!r}")
        return dict(row)

    def _title(self, title_id: int) -> dict:
        row = self.db.execute("SELECT * FROM titles WHERE id = ?", (title_id,)).fetchone()
        if row is None:
            raise ValueError(f"no title with id {title_id}; use search_titles")
        return dict(row)

    @tool("read")
    def get_service_info(self) -> dict:
        """The service's today (YYYY-MM-DD) and its regions."""
        return {"today": self._today(), "regions": REGIONS}

    @tool("read")
    def list_genres(self) -> list[dict]:
        """Genres with their kind (movie or album) and number of titles."""
        return self.rows("SELECT g.name, g.kind, COUNT(t.id) AS titles FROM genres g LEFT JOIN titles t ON "
                         "t.genre_id = g.id GROUP BY g.id ORDER BY g.kind, g.name")

    @tool("read")
    def search_titles(self, query: str | None = None, kind: str | None = None, genre: str | None = None,
                      artist: str | None = None, max_minutes: int | None = None,
                      streamable_for: str | None = None) -> list[dict]:
        """Search the catalogue; returns id, title, kind, year, genre, artist, minutes, average rating and number of
        ratings.

        Args:
            query: Text the title contains.
            kind: movie or album.
            genre: Genre name.
            artist: Artist name.
            max_minutes: Longest acceptable runtime.
            streamable_for: Only titles this user (by name) can stream today.
        """
        if kind and kind not in GENRES:
            raise ValueError("kind must be movie or album")
        keep = self._streamable(self._user(streamable_for)) if streamable_for else None
        return [t for t in self.rows("SELECT t.id, t.title, t.kind, t.year, g.name AS genre, a.name AS artist, t.minutes, "
                         "s.avg_rating, s.n_ratings FROM titles t JOIN genres g ON g.id = t.genre_id JOIN artists a ON "
                         "a.id = t.artist_id JOIN title_scores s ON s.title_id = t.id WHERE t.title LIKE ? AND "
                         "(? IS NULL OR t.kind = ?) AND (? IS NULL OR lower(g.name) = lower(?)) AND (? IS NULL OR "
                         "lower(a.name) = lower(?)) AND t.minutes <= ? ORDER BY t.id", f"%{query or ''}%", kind, kind,
                         genre, genre, artist, artist, max_minutes if max_minutes is not None else 10 ** 6)
                if keep is None or t["id"] in keep]

    @tool("read")
    def get_title(self, title_id: int) -> dict:
        """One title with its license windows (region, start, end, tier) and rating summary.

        Args:
            title_id: Title id.
        """
        t = self._title(title_id)
        out = self.rows("SELECT t.id, t.title, t.kind, t.year, g.name AS genre, a.name AS artist, t.minutes, "
                        "s.avg_rating, s.n_ratings FROM titles t JOIN genres g ON g.id = t.genre_id JOIN artists a ON "
                        "a.id = t.artist_id JOIN title_scores s ON s.title_id = t.id WHERE t.id = ?", t["id"])[0]
        out["licenses"] = self.rows("SELECT region, start_date, end_date, tier FROM licenses WHERE title_id = ? "
                                    "ORDER BY region", title_id)
        return out

    @tool("read")
    def check_availability(self, user: str, title_id: int) -> dict:
        """Whether a user can stream a title today, given their region and plan.

        Args:
            user: User name.
            title_id: Title id.
        """
        u, t = self._user(user), self._title(title_id)
        return {"user": u["name"], "title_id": t["id"], "streamable": t["id"] in self._streamable(u)}

    @tool("read")
    def get_artist(self, name: str) -> dict:
        """An artist with country and their titles.

        Args:
            name: Artist name.
        """
        row = self.db.execute("SELECT * FROM artists WHERE lower(name) = lower(?)", (name,)).fetchone()
        if row is None:
            raise ValueError(f"unknown artist {name!r}")
        return {**dict(row), "titles": self.rows("SELECT id, title, kind, year FROM titles WHERE artist_id = ? "
                                                 "ORDER BY year", row["id"])}

    @tool("read")
    def get_user(self, user: str) -> dict:
        """A user's region, plan, library (title ids with their own rating, or null) and playlists.

        Args:
            user: User name.
        """
        u = self._user(user)
        u["library"] = self.rows("SELECT l.title_id, t.title, r.stars AS my_rating FROM library l JOIN titles t ON "
                                 "t.id = l.title_id LEFT JOIN ratings r ON r.user_id = l.user_id AND r.title_id = "
                                 "l.title_id WHERE l.user_id = ? ORDER BY l.id", u["id"])
        u["playlists"] = self.rows("SELECT p.id, p.name, COUNT(i.id) AS items FROM playlists p LEFT JOIN "
                                   "playlist_items i ON i.playlist_id = p.id WHERE p.user_id = ? GROUP BY p.id",
                                   u["id"])
        return u

    @tool("read")
    def get_playlist(self, playlist_id: int) -> dict:
        """A playlist and its titles.

        Args:
            playlist_id: Playlist id.
        """
        row = self.db.execute("SELECT p.*, u.name AS owner FROM playlists p JOIN users u ON u.id = p.user_id WHERE "
                              "p.id = ?", (playlist_id,)).fetchone()
        if row is None:
            raise ValueError(f"no playlist {playlist_id}")
        return {"id": row["id"], "name": row["name"], "owner": row["owner"], "items": self.rows(
            "SELECT t.id, t.title, t.minutes FROM playlist_items i JOIN titles t ON t.id = i.title_id WHERE "
            "i.playlist_id = ? ORDER BY i.id", playlist_id)}

    @tool("write")
    def add_to_library(self, user: str, title_id: int) -> dict:
        """Add a streamable title to a user's library.

        Args:
            user: User name.
            title_id: Title id.
        """
        u, t = self._user(user), self._title(title_id)
        if t["id"] not in self._streamable(u):
            raise ValueError(f"{t['title']} is not streamable for {u['name']} today (region {u['region']}, "
                             f"{u['plan']} plan)")
        if self.db.execute("SELECT 1 FROM library WHERE user_id = ? AND title_id = ?", (u["id"], t["id"])).fetchone():
            raise ValueError(f"{t['title']} is already in the library")
        self.db.execute("INSERT INTO library (user_id, title_id) VALUES (?, ?)", (u["id"], t["id"]))
        return {"user": u["name"], "added": t["title"]}

    @tool("write")
    def rate_title(self, user: str, title_id: int, stars: int) -> dict:
        """Record a user's rating of a title in their library.

        Args:
            user: User name.
            title_id: Title id.
            stars: 1 to 5.
        """
        u, t = self._user(user), self._title(title_id)
        if not 1 <= stars <= 5:
            raise ValueError("stars must be 1 to 5")
        if not self.db.execute("SELECT 1 FROM library WHERE user_id = ? AND title_id = ?", (u["id"], t["id"])).fetchone():
            raise ValueError(f"{t['title']} is not in {u['name']}'s library")
        if self.db.execute("SELECT 1 FROM ratings WHERE user_id = ? AND title_id = ?", (u["id"], t["id"])).fetchone():
            raise ValueError(f"{u['name']} has already rated {t['title']}")
        self.db.execute("INSERT INTO ratings (user_id, title_id, stars) VALUES (?, ?, ?)", (u["id"], t["id"], stars))
        return {"user": u["name"], "title": t["title"], "stars": stars}

    @tool("write")
    def create_playlist(self, user: str, name: str) -> dict:
        """Create an empty playlist for a user.

        Args:
            user: User name.
            name: Playlist name (unique per user).
        """
        u = self._user(user)
        if not name.strip():
            raise ValueError("give the playlist a name")
        if self.db.execute("SELECT 1 FROM playlists WHERE user_id = ? AND name = ?", (u["id"], name)).fetchone():
            raise ValueError(f"{u['name']} already has a playlist called {name!r}")
        cur = self.db.execute("INSERT INTO playlists (user_id, name) VALUES (?, ?)", (u["id"], name))
        return {"playlist_id": cur.lastrowid, "name": name}

    @tool("write")
    def add_to_playlist(self, playlist_id: int, title_id: int) -> dict:
        """Add a title to a playlist (it must be streamable for the playlist's owner).

        Args:
            playlist_id: Playlist id.
            title_id: Title id.
        """
        row = self.db.execute("SELECT * FROM playlists WHERE id = ?", (playlist_id,)).fetchone()
        if row is None:
            raise ValueError(f"no playlist {playlist_id}")
        u = dict(self.db.execute("SELECT * FROM users WHERE id = ?", (row["user_id"],)).fetchone())
        t, rules = self._title(title_id), self._rules()
        if t["id"] not in self._streamable(u):
            raise ValueError(f"{t['title']} is not streamable for {u['name']} today")
        if self.db.execute("SELECT 1 FROM playlist_items WHERE playlist_id = ? AND title_id = ?",
                           (playlist_id, title_id)).fetchone():
            raise ValueError(f"{t['title']} is already in the playlist")
        size = self.db.execute("SELECT COUNT(*) FROM playlist_items WHERE playlist_id = ?", (playlist_id,)).fetchone()[0]
        if rules["playlist_cap"] and size >= rules["playlist_cap"]:
            raise ValueError(f"a playlist holds at most {rules['playlist_cap']} titles")
        if rules["min_playlist_year"] and t["year"] < rules["min_playlist_year"]:
            raise ValueError(f"titles released before {rules['min_playlist_year']} may not be added to playlists")
        self.db.execute("INSERT INTO playlist_items (playlist_id, title_id) VALUES (?, ?)", (playlist_id, title_id))
        return {"playlist_id": playlist_id, "added": t["title"], "items": size + 1}

    @tool("write")
    def remove_from_playlist(self, playlist_id: int, title_id: int) -> dict:
        """Remove a title from a playlist.

        Args:
            playlist_id: Playlist id.
            title_id: Title id.
        """
        cur = self.db.execute("DELETE FROM playlist_items WHERE playlist_id = ? AND title_id = ?",
                              (playlist_id, title_id))
        if not cur.rowcount:
            raise ValueError(f"title {title_id} is not in playlist {playlist_id}")
        return {"playlist_id": playlist_id, "removed": title_id}

    # ---- proposer helpers -------------------------------------------------------------------------

    def _catalog(self, where: str = "1", *args) -> list[dict]:
        return self.rows("SELECT t.*, g.name AS genre, a.name AS artist, s.avg_rating, s.n_ratings FROM titles t JOIN "
                         "genres g ON g.id = t.genre_id JOIN artists a ON a.id = t.artist_id JOIN title_scores s ON "
                         f"s.title_id = t.id WHERE {where}", *args)

    def _titles(self) -> list[str]:
        return [r["title"] for r in self.rows("SELECT title FROM titles")]

    @staticmethod
    def _unique_top(items: list[dict], key: str) -> dict | None:
        items = [i for i in items if i[key] is not None]
        if not items:
            return None
        ranked = sorted(items, key=lambda i: i[key], reverse=True)
        return None if len(ranked) > 1 and ranked[0][key] == ranked[1][key] else ranked[0]

    # ---- proposers --------------------------------------------------------------------------------

    @proposer(difficulty=1, attempts=12)
    def propose_title_year(self, rng: random.Random) -> TaskDraft | None:
        t = rng.choice(self.rows("SELECT title, year FROM titles"))
        return TaskDraft(
            shape="title_year",
            instruction=self.render("title_year", rng, title=t["title"]),
            solution=Program.of(solve_title_field, title=t["title"], field="year"),
            verifier=Program.of(verify_number, expected=t["year"], tolerance=0.0),
        )

    @proposer(difficulty=1, attempts=12)
    def propose_title_artist(self, rng: random.Random) -> TaskDraft | None:
        t = rng.choice(self._catalog())
        return TaskDraft(
            shape="title_artist",
            instruction=self.render("title_artist", rng, title=t["title"]),
            solution=Program.of(solve_title_field, title=t["title"], field="artist"),
            verifier=Program.of(verify_name, expected=t["artist"],
                                candidates=[a["name"] for a in self.rows("SELECT name FROM artists")]),
        )

    @proposer(difficulty=1, attempts=12)
    def propose_user_region(self, rng: random.Random) -> TaskDraft | None:
        u = rng.choice(self.rows("SELECT name, region FROM users"))
        return TaskDraft(
            shape="user_region",
            instruction=self.render("user_region", rng, user=u["name"]),
            solution=Program.of(solve_user_region, user=u["name"]),
            verifier=Program.of(verify_name, expected=u["region"], candidates=REGIONS),
        )

    @proposer(difficulty=2, attempts=12)
    def propose_top_rated_genre(self, rng: random.Random) -> TaskDraft | None:
        kind = rng.choice(list(GENRES))
        genre, min_n = rng.choice(GENRES[kind]), rng.choice([2, 3, 4])
        best = self._unique_top(self._catalog("g.name = ? AND s.n_ratings >= ?", genre, min_n), "avg_rating")
        if best is None:
            return None
        return TaskDraft(
            shape="top_rated_genre",
            instruction=self.render("top_rated_genre", rng, genre=genre, kind=kind, min_n=min_n),
            solution=Program.of(solve_top_rated_genre, genre=genre, min_n=min_n),
            verifier=Program.of(verify_name, expected=best["title"], candidates=self._titles()),
        )

    @proposer(difficulty=2, attempts=12)
    def propose_count_streamable(self, rng: random.Random) -> TaskDraft | None:
        user = rng.choice(self.rows("SELECT * FROM users"))
        genre = rng.choice(GENRES[rng.choice(list(GENRES))])
        ids = self._streamable(user)
        n = sum(t["id"] in ids for t in self._catalog("g.name = ?", genre))
        return TaskDraft(
            shape="count_streamable",
            instruction=self.render("count_streamable", rng, user=user["name"], genre=genre),
            solution=Program.of(solve_count_streamable, user=user["name"], genre=genre),
            verifier=Program.of(verify_number, expected=n, tolerance=0.0),
        )

    @proposer(difficulty=2, attempts=12)
    def propose_artist_avg_rating(self, rng: random.Random) -> TaskDraft | None:
        artist = rng.choice(self.rows("SELECT a.name, ROUND(AVG(r.stars), 2) AS avg FROM artists a JOIN titles t ON "
                                      "t.artist_id = a.id JOIN ratings r ON r.title_id = t.id GROUP BY a.id"))
        return TaskDraft(
            shape="artist_avg_rating",
            instruction=self.render("artist_avg_rating", rng, artist=artist["name"]),
            solution=Program.of(solve_artist_avg_rating, artist=artist["name"]),
            verifier=Program.of(verify_number, expected=artist["avg"], tolerance=0.011),
            tools=("search_titles", "get_title", "get_user", "get_service_info"),
        )

    @proposer(difficulty=3, attempts=12)
    def propose_add_best(self, rng: random.Random) -> TaskDraft | None:
        user, artist = rng.choice(self.rows("SELECT * FROM users")), rng.choice(self.rows("SELECT * FROM artists"))
        ids = self._streamable(user)
        owned = {r["title_id"] for r in self.rows("SELECT title_id FROM library WHERE user_id = ?", user["id"])}
        pool = [t for t in self._catalog("t.artist_id = ?", artist["id"]) if t["id"] in ids and t["id"] not in owned]
        best = self._unique_top(pool, "avg_rating")
        if best is None:
            return None
        return TaskDraft(
            shape="add_best",
            instruction=self.render("add_best", rng, user=user["name"], artist=artist["name"], kind=best["kind"]),
            solution=Program.of(solve_add_best, user=user["name"], artist=artist["name"]),
            verifier=Program.of(verify_library, user_id=user["id"], title_ids=[best["id"]], ratings={},
                                playlist=None, **self._rules()),
        )

    @proposer(difficulty=3, attempts=12)
    def propose_rate_artist(self, rng: random.Random) -> TaskDraft | None:
        user, stars = rng.choice(self.rows("SELECT * FROM users")), rng.randint(1, 5)
        rows = self.rows("SELECT l.title_id, t.artist_id, a.name FROM library l JOIN titles t ON t.id = l.title_id "
                         "JOIN artists a ON a.id = t.artist_id WHERE l.user_id = ? AND NOT EXISTS (SELECT 1 FROM "
                         "ratings r WHERE r.user_id = l.user_id AND r.title_id = l.title_id)", user["id"])
        if not rows:
            return None
        artist = rng.choice(rows)
        ids = [r["title_id"] for r in rows if r["artist_id"] == artist["artist_id"]]
        return TaskDraft(
            shape="rate_artist",
            instruction=self.render("rate_artist", rng, user=user["name"], artist=artist["name"], stars=stars),
            solution=Program.of(solve_rate_artist, user=user["name"], artist=artist["name"], stars=stars),
            verifier=Program.of(verify_library, user_id=user["id"], title_ids=[],
                                ratings={str(i): stars for i in ids}, playlist=None, **self._rules()),
        )

    @proposer(difficulty=4, attempts=12)
    def propose_build_playlist(self, rng: random.Random) -> TaskDraft | None:
        user = rng.choice(self.rows("SELECT * FROM users"))
        genre = rng.choice(GENRES[rng.choice(list(GENRES))])
        n, max_minutes = rng.randint(4, 6), rng.choice([45, 55, 60, 70, 100, 120, 140, 160])
        rules, ids = self._rules(), self._streamable(user)
        pool = [t for t in self._catalog("g.name = ? AND t.minutes <= ? AND s.n_ratings > 0", genre, max_minutes)
                if t["id"] in ids and (not rules["min_playlist_year"] or t["year"] >= rules["min_playlist_year"])]
        pool.sort(key=lambda t: t["avg_rating"], reverse=True)
        if len(pool) < n or (len(pool) > n and pool[n - 1]["avg_rating"] == pool[n]["avg_rating"]):
            return None
        name = f"{rng.choice(PLAYLIST_WORDS)} {genre}"
        if self.db.execute("SELECT 1 FROM playlists WHERE user_id = ? AND name = ?", (user["id"], name)).fetchone():
            return None
        spec = {"user": user["name"], "genre": genre, "n": n, "max_minutes": max_minutes, "name": name}
        return TaskDraft(
            shape="build_playlist",
            instruction=self.render("build_playlist", rng, **spec),
            solution=Program.of(solve_build_playlist, **spec, **rules),
            verifier=Program.of(verify_library, user_id=user["id"], title_ids=[], ratings={},
                                playlist={"name": name, "title_ids": [t["id"] for t in pool[:n]]}, **rules),
        )

    @proposer(difficulty=5, attempts=12)
    def propose_movie_night(self, rng: random.Random) -> TaskDraft | None:
        user = rng.choice(self.rows("SELECT * FROM users"))
        movie_genre, album_genre = rng.choice(GENRES["movie"]), rng.choice(GENRES["album"])
        max_minutes = rng.randrange(300, 480, 10)
        rules, ids = self._rules(), self._streamable(user)
        owned = {r["title_id"] for r in self.rows("SELECT title_id FROM library WHERE user_id = ?", user["id"])}

        def pool(genre):
            return [t for t in self._catalog("g.name = ? AND s.n_ratings > 0", genre)
                    if t["id"] in ids and t["id"] not in owned
                    and (not rules["min_playlist_year"] or t["year"] >= rules["min_playlist_year"])]

        best = None
        for movies in itertools.combinations(pool(movie_genre), 2):
            for albums in itertools.combinations(pool(album_genre), 3):
                picks = movies + albums
                if sum(t["minutes"] for t in picks) <= max_minutes:
                    score = round(sum(t["avg_rating"] for t in picks), 2)
                    best = max(best or 0, score)
        if best is None:
            return None
        name = f"{rng.choice(PLAYLIST_WORDS)} Night In"
        if self.db.execute("SELECT 1 FROM playlists WHERE user_id = ? AND name = ?", (user["id"], name)).fetchone():
            return None
        spec = {"user": user["name"], "movie_genre": movie_genre, "album_genre": album_genre,
                "max_minutes": max_minutes, "name": name}
        return TaskDraft(
            shape="movie_night",
            instruction=self.render("movie_night", rng, **spec),
            solution=Program.of(solve_movie_night, **spec, **rules),
            verifier=Program.of(verify_movie_night, **spec, user_id=user["id"], best=best, **rules),
        )


# ---- solutions: tools and computation only --------------------------------------------------------

def solve_title_field(tools, params):
    return next(t for t in tools.search_titles(query=params["title"]) if t["title"] == params["title"])[params["field"]]


def solve_user_region(tools, params):
    return tools.get_user(user=params["user"])["region"]


def solve_top_rated_genre(tools, params):
    pool = [t for t in tools.search_titles(genre=params["genre"]) if t["n_ratings"] >= params["min_n"]]
    return max(pool, key=lambda t: t["avg_rating"])["title"]


def solve_count_streamable(tools, params):
    return len(tools.search_titles(genre=params["genre"], streamable_for=params["user"]))


def solve_artist_avg_rating(tools, params):
    titles = [t for t in tools.search_titles(artist=params["artist"]) if t["n_ratings"]]
    total = sum(t["avg_rating"] * t["n_ratings"] for t in titles)  # averages are rounded; good to 2 decimals here
    return round(total / sum(t["n_ratings"] for t in titles), 2)


def solve_add_best(tools, params):
    owned = {t["title_id"] for t in tools.get_user(user=params["user"])["library"]}
    pool = [t for t in tools.search_titles(artist=params["artist"], streamable_for=params["user"])
            if t["id"] not in owned and t["avg_rating"] is not None]
    best = max(pool, key=lambda t: t["avg_rating"])
    tools.add_to_library(user=params["user"], title_id=best["id"])
    return f"Added {best['title']}"


def solve_rate_artist(tools, params):
    user = tools.get_user(user=params["user"])
    mine = {t["id"] for t in tools.search_titles(artist=params["artist"])}
    rated = []
    for item in user["library"]:
        if item["title_id"] in mine and item["my_rating"] is None:
            tools.rate_title(user=params["user"], title_id=item["title_id"], stars=params["stars"])
            rated.append(item["title"])
    return f"Rated {rated}"


def solve_build_playlist(tools, params):
    pool = [t for t in tools.search_titles(genre=params["genre"], max_minutes=params["max_minutes"],
                                           streamable_for=params["user"])
            if t["avg_rating"] is not None
            and not (params["min_playlist_year"] and t["year"] < params["min_playlist_year"])]
    pool.sort(key=lambda t: t["avg_rating"], reverse=True)
    playlist = tools.create_playlist(user=params["user"], name=params["name"])
    for t in pool[:params["n"]]:
        tools.add_to_playlist(playlist_id=playlist["playlist_id"], title_id=t["id"])
    return f"Playlist {playlist['playlist_id']}"


def solve_movie_night(tools, params):
    import itertools

    owned = {t["title_id"] for t in tools.get_user(user=params["user"])["library"]}

    def pool(genre):
        return [t for t in tools.search_titles(genre=genre, streamable_for=params["user"])
                if t["id"] not in owned and t["avg_rating"] is not None
                and not (params["min_playlist_year"] and t["year"] < params["min_playlist_year"])]

    best = None
    albums_pool = pool(params["album_genre"])
    for movies in itertools.combinations(pool(params["movie_genre"]), 2):
        for albums in itertools.combinations(albums_pool, 3):
            picks = movies + albums
            if sum(t["minutes"] for t in picks) <= params["max_minutes"]:
                score = sum(t["avg_rating"] for t in picks)
                if best is None or score > best[0]:
                    best = (score, picks)
    playlist = tools.create_playlist(user=params["user"], name=params["name"])
    for t in best[1]:
        tools.add_to_library(user=params["user"], title_id=t["id"])
        tools.add_to_playlist(playlist_id=playlist["playlist_id"], title_id=t["id"])
    return "Picked " + ", ".join(t["title"] for t in best[1])


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_name(outcome, params):
    from verifiers.answers import mentioned, mentions_exactly

    ok = mentions_exactly(outcome.answer, [params["expected"]], params["candidates"])
    return ok, [] if ok else [f"expected exactly {params['expected']!r}, answer names "
                              f"{sorted(mentioned(outcome.answer, params['candidates'] + [params['expected']]))}"]


def verify_library(outcome, params):
    """Exactly `title_ids` joined the user's library, exactly `ratings` ({title id: stars}) were recorded, and, if
    `playlist` is given, one new playlist of that name holds exactly its title ids; nothing else changed."""
    from verifiers.state import diff_table, unchanged

    reasons = []
    lib, gone, altered = diff_table(outcome.initial, outcome.db, "library")
    if gone or altered or sorted((l["user_id"], l["title_id"]) for l in lib) != \
            sorted((params["user_id"], t) for t in params["title_ids"]):
        reasons.append(f"library additions {[(l['user_id'], l['title_id']) for l in lib]} should be "
                       f"{params['title_ids']} for user {params['user_id']}")
    rated, gone, altered = diff_table(outcome.initial, outcome.db, "ratings")
    got = {str(r["title_id"]): r["stars"] for r in rated if r["user_id"] == params["user_id"]}
    if gone or altered or got != params["ratings"] or len(rated) != len(got):
        reasons.append(f"new ratings {got} should be {params['ratings']}")
    lists, gone, altered = diff_table(outcome.initial, outcome.db, "playlists")
    items, items_gone, items_altered = diff_table(outcome.initial, outcome.db, "playlist_items")
    if params["playlist"] is None:
        if lists or gone or altered or items or items_gone or items_altered:
            reasons.append("playlists changed")
    else:
        want = params["playlist"]
        if len(lists) != 1 or gone or altered or lists[0]["user_id"] != params["user_id"] or \
                lists[0]["name"].strip().lower() != want["name"].lower():
            return False, reasons + [f"expected one new playlist {want['name']!r} for the user"]
        if items_gone or items_altered or any(i["playlist_id"] != lists[0]["id"] for i in items) or \
                sorted(i["title_id"] for i in items) != sorted(want["title_ids"]):
            reasons.append(f"playlist holds {sorted(i['title_id'] for i in items)}, expected "
                           f"{sorted(want['title_ids'])}")
    if other := unchanged(outcome.initial, outcome.db, ["titles", "licenses", "users", "artists", "genres", "service"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons


def verify_movie_night(outcome, params):
    """A new playlist of 2 movies of one genre and 3 albums of another, all streamable and new to the user's library,
    within the runtime, with the best reachable sum of average ratings; the same five added to the library."""
    from verifiers.state import diff_table, unchanged

    lists, gone, altered = diff_table(outcome.initial, outcome.db, "playlists")
    if len(lists) != 1 or gone or altered or lists[0]["user_id"] != params["user_id"] or \
            lists[0]["name"].strip().lower() != params["name"].lower():
        return False, [f"expected one new playlist {params['name']!r} for the user"]
    items, items_gone, items_altered = diff_table(outcome.initial, outcome.db, "playlist_items")
    lib, lib_gone, lib_altered = diff_table(outcome.initial, outcome.db, "library")
    picks = sorted(i["title_id"] for i in items)
    reasons = []
    if items_gone or items_altered or any(i["playlist_id"] != lists[0]["id"] for i in items) or len(picks) != 5:
        return False, [f"the playlist should get exactly five titles, got {picks}"]
    if lib_gone or lib_altered or sorted((l["user_id"], l["title_id"]) for l in lib) != \
            [(params["user_id"], t) for t in picks]:
        reasons.append("the library should gain exactly the five playlist titles")
    user = outcome.rows("SELECT * FROM users WHERE id = ?", params["user_id"])[0]
    today = outcome.rows("SELECT today FROM service")[0]["today"]
    titles = outcome.initial_rows(f"SELECT t.*, g.name AS genre, s.avg_rating FROM titles t JOIN genres g ON "
                                  f"g.id = t.genre_id JOIN title_scores s ON s.title_id = t.id WHERE t.id IN "
                                  f"({','.join('?' * 5)})", *picks)
    genres = sorted(t["genre"] for t in titles)
    if genres != sorted([params["movie_genre"]] * 2 + [params["album_genre"]] * 3):
        reasons.append(f"genres {genres} are not 2 {params['movie_genre']} + 3 {params['album_genre']}")
    for t in titles:
        ok = outcome.rows("SELECT 1 FROM licenses WHERE title_id = ? AND region = ? AND start_date <= ? AND "
                          "end_date >= ? AND (tier = 'basic' OR ? = 'premium')", t["id"], user["region"], today,
                          today, user["plan"])
        if not ok or (params["min_playlist_year"] and t["year"] < params["min_playlist_year"]):
            reasons.append(f"{t['title']} is not allowed for the user's playlist")
    if sum(t["minutes"] for t in titles) > params["max_minutes"]:
        reasons.append(f"runtime {sum(t['minutes'] for t in titles)} > {params['max_minutes']}")
    score = round(sum(t["avg_rating"] or 0 for t in titles), 2)
    if abs(score - params["best"]) > 0.005:
        reasons.append(f"summed rating {score}, the best possible is {params['best']}")
    if other := unchanged(outcome.initial, outcome.db, ["titles", "licenses", "users", "ratings", "artists", "genres",
                                                        "service"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons
