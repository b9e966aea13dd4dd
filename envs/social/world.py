"""The social world: its names and how an instance's database is built."""

from __future__ import annotations

import datetime as dt
import random

FIRST = [
    "Arlen",
    "Brisa",
    "Calder",
    "Dessa",
    "Elowen",
    "Faro",
    "Galen",
    "Halsey",
    "Ione",
    "Jory",
    "Kestrel",
    "Lark",
    "Marlo",
    "Nyra",
    "Orrin",
    "Pell",
    "Quinby",
    "Rowan",
    "Saffi",
    "Tamsin",
    "Ulric",
    "Vesna",
    "Wynn",
    "Yara",
    "Zephyr",
    "Aster",
    "Bexley",
    "Corin",
    "Dax",
    "Emrys",
    "Fenna",
    "Gwen",
    "Hollis",
    "Ivo",
    "Juno",
    "Kai",
]
LAST = [
    "Ashdown",
    "Brightmoor",
    "Coldwell",
    "Dunlevy",
    "Everhart",
    "Fairweather",
    "Greystoke",
    "Hawthorne",
    "Inglewood",
    "Juniper",
    "Kettleby",
    "Larkspur",
    "Merriweather",
    "Northcott",
    "Oakenfold",
    "Penhallow",
    "Quarrington",
    "Rookwood",
    "Stillwater",
    "Thistlewood",
    "Underhill",
    "Valemont",
    "Whitcombe",
    "Yellowley",
]
ADJ = [
    "amber",
    "brisk",
    "cosmic",
    "dusky",
    "ember",
    "frosty",
    "gilded",
    "hazel",
    "indigo",
    "jolly",
    "lunar",
    "misty",
    "nimble",
    "olive",
    "pixel",
    "quiet",
    "rusty",
    "silver",
    "tidal",
    "velvet",
    "wild",
    "zesty",
]
NOUN = [
    "fox",
    "heron",
    "otter",
    "comet",
    "maple",
    "pebble",
    "lynx",
    "falcon",
    "badger",
    "willow",
    "harbor",
    "cinder",
    "sparrow",
    "tundra",
    "marble",
    "orchid",
    "raven",
    "thistle",
    "meadow",
    "quartz",
]
CITIES = ["Port Alder", "Greymere", "Silverford", "Lowhaven", "Brackenridge", "Eastmarch", "Duskwater", "Fernvale"]
TOPICS = [
    "hiking",
    "baking",
    "photography",
    "chess",
    "gardening",
    "cycling",
    "jazz",
    "astronomy",
    "knitting",
    "board games",
    "birdwatching",
    "pottery",
    "running",
    "film",
    "retro gaming",
    "urban sketching",
]
GROUP_WORDS = ["Club", "Circle", "Collective", "Society", "Crew", "Guild", "Corner", "Lounge"]
POST_LINES = [
    "Anyone up for this weekend?",
    "Sharing my latest attempt!",
    "Quick question for the group.",
    "Big news from our meetup.",
    "Tips for beginners?",
    "Look what I found today.",
    "Check out this amazing deal!!!",
    "Follow my page for free prizes",
    "Throwback to last summer.",
    "Here is my progress so far.",
    "Who else saw this?",
    "Poll: which do you prefer?",
]
REASONS = ["spam", "harassment", "off-topic", "misinformation"]
MESSAGES = [
    "Welcome aboard!",
    "Are you coming to the meetup?",
    "Loved your last post.",
    "Thanks for the follow!",
    "Can you share the link?",
    "See you on Saturday.",
    "Happy to help any time.",
]
SUSPEND_STRIKES = 3


class SocialWorld:
    def build(self, rng: random.Random) -> None:
        self.db.executescript("""
            CREATE TABLE users (id INTEGER PRIMARY KEY, handle TEXT UNIQUE, display_name TEXT, city TEXT,
                joined TEXT, private INTEGER, dm_setting TEXT, status TEXT, strikes INTEGER);
            CREATE TABLE follows (id INTEGER PRIMARY KEY, follower_id INTEGER REFERENCES users(id),
                followee_id INTEGER REFERENCES users(id), created TEXT, UNIQUE (follower_id, followee_id));
            CREATE TABLE blocks (id INTEGER PRIMARY KEY, blocker_id INTEGER REFERENCES users(id),
                blocked_id INTEGER REFERENCES users(id), UNIQUE (blocker_id, blocked_id));
            CREATE TABLE social_groups (id INTEGER PRIMARY KEY, name TEXT UNIQUE, topic TEXT, invite_only INTEGER);
            CREATE TABLE memberships (id INTEGER PRIMARY KEY, group_id INTEGER REFERENCES social_groups(id),
                user_id INTEGER REFERENCES users(id), role TEXT, UNIQUE (group_id, user_id));
            CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES users(id),
                group_id INTEGER REFERENCES social_groups(id), created TEXT, text TEXT, removed INTEGER);
            CREATE TABLE likes (id INTEGER PRIMARY KEY, post_id INTEGER REFERENCES posts(id),
                user_id INTEGER REFERENCES users(id), UNIQUE (post_id, user_id));
            CREATE TABLE reports (id INTEGER PRIMARY KEY, post_id INTEGER REFERENCES posts(id),
                reporter_id INTEGER REFERENCES users(id), reason TEXT);
            CREATE TABLE messages (id INTEGER PRIMARY KEY, sender_id INTEGER REFERENCES users(id),
                recipient_id INTEGER REFERENCES users(id), sent TEXT, body TEXT);
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE moderation_log (id INTEGER PRIMARY KEY, admin_id INTEGER, action TEXT, target_id INTEGER,
                reason TEXT);
        """)
        n_users, n_groups = {"small": (60, 7), "medium": (90, 10), "large": (130, 13)}[self.variant.scale]
        today = dt.date(2026, rng.randint(2, 11), rng.randint(1, 28))
        self.db.execute("INSERT INTO meta VALUES ('today', ?)", (today.isoformat(),))
        handles: set[str] = set()
        names: set[str] = set()
        for _ in range(n_users):
            while (h := f"{rng.choice(ADJ)}_{rng.choice(NOUN)}{rng.randint(1, 99)}") in handles:
                pass
            while (n := f"{rng.choice(FIRST)} {rng.choice(LAST)}") in names:
                pass
            handles.add(h)
            names.add(n)
            status = "suspended" if rng.random() < 0.05 else "active"
            self.db.execute(
                "INSERT INTO users (handle, display_name, city, joined, private, dm_setting, status, "
                "strikes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    h,
                    n,
                    rng.choice(CITIES),
                    self._day(-rng.randint(60, 900)),
                    int(rng.random() < 0.2),
                    rng.choices(["everyone", "mutuals", "nobody"], [5, 4, 1])[0],
                    status,
                    3 if status == "suspended" else rng.choices([0, 1, 2], [6, 3, 3])[0],
                ),
            )
        ids = list(range(1, n_users + 1))
        for u in ids:  # follows cluster by city so that friends of friends overlap
            same = [v for v in ids if v != u and self._city(v) == self._city(u)]
            other = [v for v in ids if v != u]
            picks = set(rng.sample(same, min(len(same), rng.randint(2, 7)))) | set(rng.sample(other, rng.randint(1, 6)))
            for v in sorted(picks):
                self.db.execute(
                    "INSERT INTO follows (follower_id, followee_id, created) VALUES (?, ?, ?)",
                    (u, v, self._day(-rng.randint(1, 400))),
                )
        for _ in range(n_users // 6):
            a, b = rng.sample(ids, 2)
            self.db.execute("INSERT OR IGNORE INTO blocks (blocker_id, blocked_id) VALUES (?, ?)", (a, b))
            self.db.execute(
                "DELETE FROM follows WHERE (follower_id = ? AND followee_id = ?) OR (follower_id = ? AND "
                "followee_id = ?)",
                (a, b, b, a),
            )
        self._build_groups(rng, ids, n_groups)

    def _build_groups(self, rng: random.Random, ids: list[int], n_groups: int) -> None:
        taken = set()
        for topic in rng.sample(TOPICS, n_groups):
            name = f"{rng.choice(CITIES).split()[-1]} {topic.title()} {rng.choice(GROUP_WORDS)}"
            while name in taken:
                name = f"{rng.choice(CITIES).split()[-1]} {topic.title()} {rng.choice(GROUP_WORDS)}"
            taken.add(name)
            gid = self.db.execute(
                "INSERT INTO social_groups (name, topic, invite_only) VALUES (?, ?, ?)",
                (name, topic, int(rng.random() < 0.35)),
            ).lastrowid
            members = rng.sample(ids, rng.randint(len(ids) // 5, len(ids) // 3))
            for k, u in enumerate(members):
                self.db.execute(
                    "INSERT INTO memberships (group_id, user_id, role) VALUES (?, ?, ?)",
                    (gid, u, "admin" if k < rng.randint(1, 2) else "member"),
                )
            for _ in range(rng.randint(len(members), 2 * len(members))):
                author = rng.choice(members)
                pid = self.db.execute(
                    "INSERT INTO posts (author_id, group_id, created, text, removed) VALUES (?, ?, ?, ?, ?)",
                    (author, gid, self._day(-rng.randint(0, 45)), rng.choice(POST_LINES), int(rng.random() < 0.04)),
                ).lastrowid
                for liker in rng.sample(members, rng.randint(0, min(len(members), 14))):
                    if liker != author:
                        self.db.execute("INSERT INTO likes (post_id, user_id) VALUES (?, ?)", (pid, liker))
                n_reports = rng.choices([0, 1, 2, 3, 4, 5, 6], [40, 8, 5, 3, 2, 2, 1])[0]
                for reporter in rng.sample(ids, n_reports):
                    self.db.execute(
                        "INSERT INTO reports (post_id, reporter_id, reason) VALUES (?, ?, ?)",
                        (pid, reporter, rng.choice(REASONS)),
                    )
        for _ in range(len(ids) * 2):
            a, b = rng.sample(ids, 2)
            self.db.execute(
                "INSERT INTO messages (sender_id, recipient_id, sent, body) VALUES (?, ?, ?, ?)",
                (a, b, self._day(-rng.randint(0, 60)), rng.choice(MESSAGES)),
            )

    def _today(self) -> dt.date:
        return dt.date.fromisoformat(self.value("SELECT value FROM meta WHERE key = 'today'"))

    def _day(self, offset: int) -> str:
        return (self._today() + dt.timedelta(days=offset)).isoformat()

    def _city(self, user_id: int) -> str:
        return self.value("SELECT city FROM users WHERE id = ?", user_id)
