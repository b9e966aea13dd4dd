"""Task proposers, from single lookups (level 1) to a planned movie night (level 5)."""

from __future__ import annotations

import itertools
import random

from synth.env import Answer, Effects, Program, TaskDraft, inserts, proposer

from .checks import check_new_playlist
from .solutions import (
    solve_add_best,
    solve_artist_avg_rating,
    solve_build_playlist,
    solve_count_streamable,
    solve_movie_night,
    solve_rate_artist,
    solve_title_field,
    solve_top_rated_genre,
    solve_user_region,
)
from .world import GENRES, PLAYLIST_WORDS, REGIONS


class MediaTasks:
    # ---- helpers ------------------------------------------------------------------------------------

    def _catalog(self, where: str = "1", *args) -> list[dict]:
        return self.rows(
            "SELECT t.*, g.name AS genre, a.name AS artist, s.avg_rating, s.n_ratings FROM titles t JOIN "
            "genres g ON g.id = t.genre_id JOIN artists a ON a.id = t.artist_id JOIN title_scores s ON "
            f"s.title_id = t.id WHERE {where} ORDER BY t.id",
            *args,
        )

    def _owned(self, user: dict) -> set[int]:
        return set(self.column("SELECT title_id FROM library WHERE user_id = ?", user["id"]))

    def _playlist_ok(self, title: dict) -> bool:
        year = self._rules()["min_playlist_year"]
        return not year or title["year"] >= year

    def _new_playlist_name(self, user: dict, name: str) -> bool:
        return not self.value("SELECT 1 FROM playlists WHERE user_id = ? AND name = ?", user["id"], name)

    @staticmethod
    def _unique_top(items: list[dict], key: str) -> dict | None:
        items = [i for i in items if i[key] is not None]
        if not items:
            return None
        ranked = sorted(items, key=lambda i: i[key], reverse=True)
        return None if len(ranked) > 1 and ranked[0][key] == ranked[1][key] else ranked[0]

    # ---- lookups ------------------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_title_year(self, rng: random.Random) -> TaskDraft | None:
        t = rng.choice(self.rows("SELECT title, year FROM titles ORDER BY id"))
        return TaskDraft(
            shape="title_year",
            instruction=self.render("title_year", rng, title=t["title"]),
            solution=Program.of(solve_title_field, title=t["title"], field="year"),
            answer=Answer.integer(t["year"]),
        )

    @proposer(difficulty=1)
    def propose_title_artist(self, rng: random.Random) -> TaskDraft | None:
        t = rng.choice(self._catalog())
        return TaskDraft(
            shape="title_artist",
            instruction=self.render("title_artist", rng, title=t["title"]),
            solution=Program.of(solve_title_field, title=t["title"], field="artist"),
            answer=Answer.entity(t["artist"], candidates=self.column("SELECT name FROM artists ORDER BY id")),
        )

    @proposer(difficulty=1)
    def propose_user_region(self, rng: random.Random) -> TaskDraft | None:
        u = rng.choice(self.rows("SELECT name, region FROM users ORDER BY id"))
        return TaskDraft(
            shape="user_region",
            instruction=self.render("user_region", rng, user=u["name"]),
            solution=Program.of(solve_user_region, user=u["name"]),
            answer=Answer.entity(u["region"], candidates=REGIONS),
        )

    @proposer(difficulty=2, attempts=12)
    def propose_top_rated_genre(self, rng: random.Random) -> TaskDraft | None:
        kind = rng.choice(list(GENRES))
        genre, min_n = rng.choice(GENRES[kind]), rng.choice([2, 3, 4])
        best = self._unique_top(self._catalog("g.name = ? AND s.n_ratings >= ?", genre, min_n), "avg_rating")
        if best is None:
            return None
        spec = {"genre": genre, "min_n": min_n}
        return TaskDraft(
            shape="top_rated_genre",
            instruction=self.render("top_rated_genre", rng, **spec, kind=kind),
            solution=Program.of(solve_top_rated_genre, **spec),
            answer=Answer.entity(best["title"], candidates=self.column("SELECT title FROM titles ORDER BY id")),
        )

    @proposer(difficulty=2)
    def propose_count_streamable(self, rng: random.Random) -> TaskDraft | None:
        user = rng.choice(self.rows("SELECT * FROM users ORDER BY id"))
        genre = rng.choice(GENRES[rng.choice(list(GENRES))])
        ids = self._streamable(user)
        n = sum(t["id"] in ids for t in self._catalog("g.name = ?", genre))
        spec = {"user": user["name"], "genre": genre}
        return TaskDraft(
            shape="count_streamable",
            instruction=self.render("count_streamable", rng, **spec),
            solution=Program.of(solve_count_streamable, **spec),
            answer=Answer.integer(n),
        )

    @proposer(difficulty=2)
    def propose_artist_avg_rating(self, rng: random.Random) -> TaskDraft | None:
        artists = self.rows(
            "SELECT a.name, AVG(r.stars) AS avg FROM artists a JOIN titles t ON t.artist_id = a.id "
            "JOIN ratings r ON r.title_id = t.id GROUP BY a.id ORDER BY a.id"
        )
        # an average that ends in a half tenth (3.25) rounds either way: not asked
        artist = rng.choice([a for a in artists if abs(a["avg"] * 10 % 1 - 0.5) > 1e-6])
        return TaskDraft(
            shape="artist_avg_rating",
            instruction=self.render("artist_avg_rating", rng, artist=artist["name"]),
            solution=Program.of(solve_artist_avg_rating, artist=artist["name"]),
            answer=Answer.number(artist["avg"], decimals=1),
            tools=self.available_tools("search_titles", "get_title", "get_user", "get_service_info"),
        )

    # ---- writes -------------------------------------------------------------------------------------

    @proposer(difficulty=3, attempts=12)
    def propose_add_best(self, rng: random.Random) -> TaskDraft | None:
        user = rng.choice(self.rows("SELECT * FROM users ORDER BY id"))
        artist = rng.choice(self.rows("SELECT * FROM artists ORDER BY id"))
        ids, owned = self._streamable(user), self._owned(user)
        pool = [t for t in self._catalog("t.artist_id = ?", artist["id"]) if t["id"] in ids and t["id"] not in owned]
        best = self._unique_top(pool, "avg_rating")
        if best is None:
            return None
        return TaskDraft(
            shape="add_best",
            instruction=self.render("add_best", rng, user=user["name"], artist=artist["name"], kind=best["kind"]),
            solution=Program.of(solve_add_best, user=user["name"], artist=artist["name"]),
            answer=Answer.none(),
            effects=Effects.on(library=inserts(rows=[{"user_id": user["id"], "title_id": best["id"]}])),
        )

    @proposer(difficulty=3, attempts=12)
    def propose_rate_artist(self, rng: random.Random) -> TaskDraft | None:
        user, stars = rng.choice(self.rows("SELECT * FROM users ORDER BY id")), rng.randint(1, 5)
        rows = self.rows(
            "SELECT l.title_id, t.artist_id, a.name FROM library l JOIN titles t ON t.id = l.title_id "
            "JOIN artists a ON a.id = t.artist_id WHERE l.user_id = ? AND NOT EXISTS (SELECT 1 FROM "
            "ratings r WHERE r.user_id = l.user_id AND r.title_id = l.title_id) ORDER BY l.id",
            user["id"],
        )
        if not rows:
            return None
        artist = rng.choice(rows)
        ids = [r["title_id"] for r in rows if r["artist_id"] == artist["artist_id"]]
        spec = {"user": user["name"], "artist": artist["name"], "stars": stars}
        return TaskDraft(
            shape="rate_artist",
            instruction=self.render("rate_artist", rng, **spec),
            solution=Program.of(solve_rate_artist, **spec),
            answer=Answer.none(),
            effects=Effects.on(
                ratings=inserts(rows=[{"user_id": user["id"], "title_id": i, "stars": stars} for i in ids])
            ),
        )

    @proposer(difficulty=4, attempts=12)
    def propose_build_playlist(self, rng: random.Random) -> TaskDraft | None:
        user = rng.choice(self.rows("SELECT * FROM users ORDER BY id"))
        genre = rng.choice(GENRES[rng.choice(list(GENRES))])
        n, max_minutes = rng.randint(4, 6), rng.choice([45, 55, 60, 70, 100, 120, 140, 160])
        ids = self._streamable(user)
        pool = [
            t
            for t in self._catalog("g.name = ? AND t.minutes <= ? AND s.n_ratings > 0", genre, max_minutes)
            if t["id"] in ids and self._playlist_ok(t)
        ]
        pool.sort(key=lambda t: t["avg_rating"], reverse=True)
        if len(pool) < n or (len(pool) > n and pool[n - 1]["avg_rating"] == pool[n]["avg_rating"]):
            return None
        name = f"{rng.choice(PLAYLIST_WORDS)} {genre}"
        if not self._new_playlist_name(user, name):
            return None
        spec = {"user": user["name"], "genre": genre, "n": n, "max_minutes": max_minutes, "name": name}
        return TaskDraft(
            shape="build_playlist",
            instruction=self.render("build_playlist", rng, **spec),
            solution=Program.of(solve_build_playlist, **spec, **self._rules()),
            answer=Answer.none(),
            effects=Effects.on(
                playlists=inserts(rows=[{"user_id": user["id"], "name": name}]),
                playlist_items=inserts(rows=[{"title_id": t["id"]} for t in pool[:n]]),
            ),
            check=Program.of(check_new_playlist),
        )

    @proposer(difficulty=5, attempts=12)
    def propose_movie_night(self, rng: random.Random) -> TaskDraft | None:
        user = rng.choice(self.rows("SELECT * FROM users ORDER BY id"))
        movie_genre, album_genre = rng.choice(GENRES["movie"]), rng.choice(GENRES["album"])
        max_minutes = rng.randrange(300, 480, 10)
        ids, owned = self._streamable(user), self._owned(user)

        def pool(genre):
            return [
                t
                for t in self._catalog("g.name = ? AND s.n_ratings > 0", genre)
                if t["id"] in ids and t["id"] not in owned and self._playlist_ok(t)
            ]

        scored = []  # (summed average ratings, picks) of every allowed choice
        albums = pool(album_genre)
        for movies in itertools.combinations(pool(movie_genre), 2):
            for three in itertools.combinations(albums, 3):
                picks = movies + three
                if sum(t["minutes"] for t in picks) <= max_minutes:
                    scored.append((round(sum(t["avg_rating"] for t in picks), 2), picks))
        if not scored:
            return None
        best = max(score for score, _ in scored)
        winners = [picks for score, picks in scored if abs(score - best) < 0.005]
        if len(winners) != 1:  # two choices reach the best sum: the task would have two answers
            return None
        name = f"{rng.choice(PLAYLIST_WORDS)} Night In"
        if not self._new_playlist_name(user, name):
            return None
        spec = {
            "user": user["name"],
            "movie_genre": movie_genre,
            "album_genre": album_genre,
            "max_minutes": max_minutes,
            "name": name,
        }
        return TaskDraft(
            shape="movie_night",
            instruction=self.render("movie_night", rng, **spec),
            solution=Program.of(solve_movie_night, **spec, **self._rules()),
            answer=Answer.none(),
            effects=Effects.on(
                playlists=inserts(rows=[{"user_id": user["id"], "name": name}]),
                playlist_items=inserts(rows=[{"title_id": t["id"]} for t in winners[0]]),
                library=inserts(rows=[{"user_id": user["id"], "title_id": t["id"]} for t in winners[0]]),
            ),
            check=Program.of(check_new_playlist),
        )
