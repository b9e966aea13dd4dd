"""The streaming service's tools: catalogue and user lookups, and library, rating and playlist changes that enforce
the service's policy."""

from __future__ import annotations

from synth.env import tool

from .world import GENRES, REGIONS


class MediaTools:
    # ---- rules ------------------------------------------------------------------------------------

    def _rules(self) -> dict:
        return {
            "playlist_cap": 10 if "playlist_cap" in self.variant.rules else None,
            "min_playlist_year": 1990 if "no_classics_in_playlists" in self.variant.rules else None,
        }

    def _today(self) -> str:
        return self.value("SELECT today FROM service")

    def _streamable(self, user: dict) -> set[int]:
        tiers = ("basic", "premium") if user["plan"] == "premium" else ("basic",)
        return {
            r["title_id"]
            for r in self.rows(
                f"SELECT title_id FROM licenses WHERE region = ? AND start_date <= ? AND end_date >= ? AND tier IN "
                f"({','.join('?' * len(tiers))})",
                user["region"],
                self._today(),
                self._today(),
                *tiers,
            )
        }

    # ---- tools ------------------------------------------------------------------------------------

    def _user(self, user: str) -> dict:
        return self.one(
            "SELECT * FROM users WHERE lower(name) = lower(?)",
            user.strip(),
            missing=f"unknown user {user!r}; give the user's name exactly",
        )

    def _title(self, title_id: int) -> dict:
        return self.one(
            "SELECT * FROM titles WHERE id = ?", title_id, missing=f"no title with id {title_id}; use search_titles"
        )

    @tool("read")
    def get_service_info(self) -> dict:
        """The service's today (YYYY-MM-DD) and its regions."""
        return {"today": self._today(), "regions": REGIONS}

    @tool("read")
    def list_genres(self) -> list[dict]:
        """Genres with their kind (movie or album) and number of titles."""
        return self.rows(
            "SELECT g.name, g.kind, COUNT(t.id) AS titles FROM genres g LEFT JOIN titles t ON "
            "t.genre_id = g.id GROUP BY g.id ORDER BY g.kind, g.name"
        )

    @tool("read")
    def search_titles(
        self,
        query: str | None = None,
        kind: str | None = None,
        genre: str | None = None,
        artist: str | None = None,
        max_minutes: int | None = None,
        streamable_for: str | None = None,
    ) -> list[dict]:
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
        return [
            t
            for t in self.rows(
                "SELECT t.id, t.title, t.kind, t.year, g.name AS genre, a.name AS artist, t.minutes, "
                "s.avg_rating, s.n_ratings FROM titles t JOIN genres g ON g.id = t.genre_id JOIN artists a ON "
                "a.id = t.artist_id JOIN title_scores s ON s.title_id = t.id WHERE t.title LIKE ? AND "
                "(? IS NULL OR t.kind = ?) AND (? IS NULL OR lower(g.name) = lower(?)) AND (? IS NULL OR "
                "lower(a.name) = lower(?)) AND t.minutes <= ? ORDER BY t.id",
                f"%{query or ''}%",
                kind,
                kind,
                genre,
                genre,
                artist,
                artist,
                max_minutes if max_minutes is not None else 10**6,
            )
            if keep is None or t["id"] in keep
        ]

    @tool("read")
    def get_title(self, title_id: int) -> dict:
        """One title with its license windows (region, start, end, tier) and rating summary.

        Args:
            title_id: Title id.
        """
        t = self._title(title_id)
        out = self.rows(
            "SELECT t.id, t.title, t.kind, t.year, g.name AS genre, a.name AS artist, t.minutes, "
            "s.avg_rating, s.n_ratings FROM titles t JOIN genres g ON g.id = t.genre_id JOIN artists a ON "
            "a.id = t.artist_id JOIN title_scores s ON s.title_id = t.id WHERE t.id = ?",
            t["id"],
        )[0]
        out["licenses"] = self.rows(
            "SELECT region, start_date, end_date, tier FROM licenses WHERE title_id = ? ORDER BY region", title_id
        )
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
        row = self.one(
            "SELECT * FROM artists WHERE lower(name) = lower(?)",
            name.strip(),
            missing=f"unknown artist {name!r}; search_titles lists titles with their artists",
        )
        return {
            **row,
            "titles": self.rows(
                "SELECT id, title, kind, year FROM titles WHERE artist_id = ? ORDER BY year", row["id"]
            ),
        }

    @tool("read")
    def get_user(self, user: str) -> dict:
        """A user's region, plan, library (title ids with their own rating, or null) and playlists.

        Args:
            user: User name.
        """
        u = self._user(user)
        u["library"] = self.rows(
            "SELECT l.title_id, t.title, r.stars AS my_rating FROM library l JOIN titles t ON "
            "t.id = l.title_id LEFT JOIN ratings r ON r.user_id = l.user_id AND r.title_id = "
            "l.title_id WHERE l.user_id = ? ORDER BY l.id",
            u["id"],
        )
        u["playlists"] = self.rows(
            "SELECT p.id, p.name, COUNT(i.id) AS items FROM playlists p LEFT JOIN "
            "playlist_items i ON i.playlist_id = p.id WHERE p.user_id = ? GROUP BY p.id",
            u["id"],
        )
        return u

    @tool("read")
    def get_playlist(self, playlist_id: int) -> dict:
        """A playlist and its titles.

        Args:
            playlist_id: Playlist id.
        """
        row = self.one(
            "SELECT p.*, u.name AS owner FROM playlists p JOIN users u ON u.id = p.user_id WHERE p.id = ?",
            playlist_id,
            missing=f"no playlist {playlist_id}; get_user lists a user's playlists",
        )
        return {
            "id": row["id"],
            "name": row["name"],
            "owner": row["owner"],
            "items": self.rows(
                "SELECT t.id, t.title, t.minutes FROM playlist_items i JOIN titles t ON t.id = i.title_id WHERE "
                "i.playlist_id = ? ORDER BY i.id",
                playlist_id,
            ),
        }

    @tool("write")
    def add_to_library(self, user: str, title_id: int) -> dict:
        """Add a streamable title to a user's library.

        Args:
            user: User name.
            title_id: Title id.
        """
        u, t = self._user(user), self._title(title_id)
        if t["id"] not in self._streamable(u):
            raise ValueError(
                f"{t['title']} is not streamable for {u['name']} today (region {u['region']}, {u['plan']} plan)"
            )
        if self.value("SELECT 1 FROM library WHERE user_id = ? AND title_id = ?", u["id"], t["id"]):
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
        if not self.value("SELECT 1 FROM library WHERE user_id = ? AND title_id = ?", u["id"], t["id"]):
            raise ValueError(f"{t['title']} is not in {u['name']}'s library")
        if self.value("SELECT 1 FROM ratings WHERE user_id = ? AND title_id = ?", u["id"], t["id"]):
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
        u, name = self._user(user), name.strip()
        if not name:
            raise ValueError("give the playlist a name")
        if self.value("SELECT 1 FROM playlists WHERE user_id = ? AND name = ?", u["id"], name):
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
        row = self.one(
            "SELECT * FROM playlists WHERE id = ?",
            playlist_id,
            missing=f"no playlist {playlist_id}; get_user lists a user's playlists",
        )
        u = self.one("SELECT * FROM users WHERE id = ?", row["user_id"], missing="the playlist has no owner")
        t, rules = self._title(title_id), self._rules()
        if t["id"] not in self._streamable(u):
            raise ValueError(f"{t['title']} is not streamable for {u['name']} today")
        if self.value("SELECT 1 FROM playlist_items WHERE playlist_id = ? AND title_id = ?", playlist_id, title_id):
            raise ValueError(f"{t['title']} is already in the playlist")
        size = self.value("SELECT COUNT(*) FROM playlist_items WHERE playlist_id = ?", playlist_id)
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
        cur = self.db.execute(
            "DELETE FROM playlist_items WHERE playlist_id = ? AND title_id = ?", (playlist_id, title_id)
        )
        if not cur.rowcount:
            raise ValueError(f"title {title_id} is not in playlist {playlist_id}")
        return {"playlist_id": playlist_id, "removed": title_id}
