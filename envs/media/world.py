"""The streaming service's world: its genres, artists, titles, licenses and users, and how an instance's database
is built."""

from __future__ import annotations

import datetime as dt
import random

GENRES = {
    "movie": ["Drama", "Comedy", "Thriller", "Sci-Fi", "Documentary", "Animation", "Horror", "Romance"],
    "album": ["Jazz", "Indie Rock", "Electronic", "Folk", "Hip-Hop", "Classical", "Soul", "Ambient"],
}
WORDS_A = [
    "Silent",
    "Northern",
    "Paper",
    "Velvet",
    "Hollow",
    "Crimson",
    "Distant",
    "Glass",
    "Midnight",
    "Wild",
    "Golden",
    "Broken",
    "Electric",
    "Quiet",
    "Burning",
    "Lunar",
    "Salt",
    "Iron",
    "Secret",
    "Endless",
]
WORDS_B = [
    "Harbor",
    "Garden",
    "Signal",
    "Orchard",
    "Engine",
    "Lantern",
    "Meridian",
    "Tide",
    "Archive",
    "Summer",
    "Machine",
    "Canyon",
    "Empire",
    "Letters",
    "Horizon",
    "River",
    "Static",
    "Kingdom",
    "Season",
    "Parade",
]
ARTIST_FIRST = [
    "Mara",
    "Teodor",
    "Ines",
    "Lucan",
    "Sabine",
    "Oren",
    "Katya",
    "Milo",
    "Noor",
    "Anselm",
    "Rhea",
    "Caspian",
    "Della",
    "Yusuf",
    "Freya",
    "Bastian",
]
ARTIST_LAST = [
    "Vell",
    "Quist",
    "Marlowe",
    "Adeyemi",
    "Strand",
    "Kovalenko",
    "Ferro",
    "Lindahl",
    "Okoro",
    "Varnes",
    "Castel",
    "Mbatha",
    "Rook",
    "Solberg",
]
BANDS = [
    "The Paper Kites Club",
    "Low Meridian",
    "Glass Orchard",
    "Static Parade",
    "Velvet Engine",
    "Northern Tide",
    "Hollow Lanterns",
    "The Salt Archive",
    "Lunar Letters",
    "Iron Season",
]
COUNTRIES = ["Norway", "Canada", "Brazil", "Japan", "Nigeria", "France", "Australia", "Mexico", "Korea", "Ireland"]
REGIONS = ["EU", "NA", "LATAM", "APAC"]
USER_NAMES = [
    "avid_otter",
    "bluefinch",
    "cinephile_kay",
    "dune_walker",
    "echo_lane",
    "fern_and_fox",
    "grainy_film",
    "hushmode",
    "indigo_ray",
    "jazzhands42",
    "kettle_drum",
    "lofi_lou",
    "moss_hopper",
    "nightowl_nia",
    "orbit_olu",
    "pixel_pines",
    "quietstorm",
    "reel_rosa",
    "synth_sam",
    "tape_deck_tom",
]
PLAYLIST_WORDS = ["Sunday", "Late Night", "Road Trip", "Rainy Day", "Focus", "Weekend", "Throwback", "Chill"]


def _plain(name: str) -> str:
    """A name as an answer would be read: case and a leading 'The' do not count."""
    return name.lower().removeprefix("the ")


class MediaWorld:
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
        people = rng.sample([f"{f} {last}" for f in ARTIST_FIRST for last in ARTIST_LAST], 18)
        artists = [(n, "movie") for n in people[:10]] + [(n, "album") for n in people[10:] + rng.sample(BANDS, 6)]
        for name, _ in artists:
            self.db.execute("INSERT INTO artists (name, country) VALUES (?, ?)", (name, rng.choice(COUNTRIES)))
        ids = {r["name"]: r["id"] for r in self.rows("SELECT id, name FROM artists")}
        genres = {kind: [r["id"] for r in self.rows("SELECT id FROM genres WHERE kind = ?", kind)] for kind in GENRES}
        taken = {_plain(n) for n, _ in artists}  # no title reads as another title or as an artist
        for _ in range(n_titles):
            name, kind = rng.choice(artists)
            title = f"{rng.choice(['', 'The '])}{rng.choice(WORDS_A)} {rng.choice(WORDS_B)}"
            while _plain(title) in taken:
                title = f"{rng.choice(WORDS_A)} {rng.choice(WORDS_B)}{rng.choice(['', ' II', ' Live', ' Nights'])}"
            taken.add(_plain(title))
            minutes = rng.randint(80, 170) if kind == "movie" else rng.randint(28, 75)
            cur = self.db.execute(
                "INSERT INTO titles (title, kind, year, genre_id, artist_id, minutes) VALUES (?, ?, ?, ?, ?, ?)",
                (title, kind, rng.randint(1962, 2026), rng.choice(genres[kind]), ids[name], minutes),
            )
            for region in rng.sample(REGIONS, rng.randint(2, 4)):
                start = today + dt.timedelta(days=rng.randint(-700, 45))
                self.db.execute(
                    "INSERT INTO licenses (title_id, region, start_date, end_date, tier) VALUES (?, ?, ?, ?, ?)",
                    (
                        cur.lastrowid,
                        region,
                        start.isoformat(),
                        (start + dt.timedelta(days=rng.randint(90, 1500))).isoformat(),
                        rng.choice(["basic", "basic", "premium"]),
                    ),
                )
        for name in rng.sample(USER_NAMES, n_users):
            self.db.execute(
                "INSERT INTO users (name, region, plan) VALUES (?, ?, ?)",
                (name, rng.choice(REGIONS), rng.choice(["basic", "premium"])),
            )
        titles = [r["id"] for r in self.rows("SELECT id FROM titles")]
        for user in self.rows("SELECT id FROM users"):
            owned = rng.sample(titles, rng.randint(8, 20))
            self.db.executemany(
                "INSERT INTO library (user_id, title_id) VALUES (?, ?)", [(user["id"], t) for t in owned]
            )
            for t in owned:
                if rng.random() < 0.75:
                    self.db.execute(
                        "INSERT INTO ratings (user_id, title_id, stars) VALUES (?, ?, ?)",
                        (user["id"], t, rng.choice([1, 2, 3, 3, 4, 4, 4, 5, 5])),
                    )
            for word in rng.sample(PLAYLIST_WORDS, rng.randint(0, 2)):
                cur = self.db.execute(
                    "INSERT INTO playlists (user_id, name) VALUES (?, ?)", (user["id"], f"{word} Mix")
                )
                self.db.executemany(
                    "INSERT INTO playlist_items (playlist_id, title_id) VALUES (?, ?)",
                    [(cur.lastrowid, t) for t in rng.sample(owned, rng.randint(2, 6))],
                )
