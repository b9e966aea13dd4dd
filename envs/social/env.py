"""Social network admin console: users, follows, blocks, groups and memberships, posts with likes and reports,
direct messages and moderation."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool
from verifiers.common import verify_names

FIRST = ["Arlen", "Brisa", "Calder", "Dessa", "Elowen", "Faro", "Galen", "Halsey", "Ione", "Jory", "Kestrel", "Lark",
         "Marlo", "Nyra", "Orrin", "Pell", "Quinby", "Rowan", "Saffi", "Tamsin", "Ulric", "Vesna", "Wynn", "Yara",
         "Zephyr", "Aster", "Bexley", "Corin", "Dax", "Emrys", "Fenna", "Gwen", "Hollis", "Ivo", "Juno", "Kai"]
LAST = ["Ashdown", "Brightmoor", "Coldwell", "Dunlevy", "Everhart", "Fairweather", "Greystoke", "Hawthorne",
        "Inglewood", "Juniper", "Kettleby", "Larkspur", "Merriweather", "Northcott", "Oakenfold", "Penhallow",
        "Quarrington", "Rookwood", "Stillwater", "Thistlewood", "Underhill", "Valemont", "Whitcombe", "Yellowley"]
ADJ = ["amber", "brisk", "cosmic", "dusky", "ember", "frosty", "gilded", "hazel", "indigo", "jolly", "lunar",
       "misty", "nimble", "olive", "pixel", "quiet", "rusty", "silver", "tidal", "velvet", "wild", "zesty"]
NOUN = ["fox", "heron", "otter", "comet", "maple", "pebble", "lynx", "falcon", "badger", "willow", "harbor", "cinder",
        "sparrow", "tundra", "marble", "orchid", "raven", "thistle", "meadow", "quartz"]
CITIES = ["Port Alder", "Greymere", "Silverford", "Lowhaven", "Brackenridge", "Eastmarch", "Duskwater", "Fernvale"]
TOPICS = ["hiking", "baking", "photography", "chess", "gardening", "cycling", "jazz", "astronomy", "knitting",
          "board games", "birdwatching", "pottery", "running", "film", "retro gaming", "urban sketching"]
GROUP_WORDS = ["Club", "Circle", "Collective", "Society", "Crew", "Guild", "Corner", "Lounge"]
POST_LINES = ["Anyone up for this weekend?", "Sharing my latest attempt!", "Quick question for the group.",
              "Big news from our meetup.", "Tips for beginners?", "Look what I found today.",
              "Check out this amazing deal!!!", "Follow my page for free prizes", "Throwback to last summer.",
              "Here is my progress so far.", "Who else saw this?", "Poll: which do you prefer?"]
REASONS = ["spam", "harassment", "off-topic", "misinformation"]
MESSAGES = ["Welcome aboard!", "Are you coming to the meetup?", "Loved your last post.", "Thanks for the follow!",
            "Can you share the link?", "See you on Saturday.", "Happy to help any time."]
SUSPEND_STRIKES = 3


class SocialEnv(EnvTemplate):
    name = "social"
    version = "1.0.0"
    category = "social network"
    description = ("Admin console of a small social network: user profiles with privacy and message settings, "
                   "follows and blocks, interest groups with members and admins, posts with likes and reports, "
                   "direct messages and moderation. Answer questions about the graph and act on behalf of users "
                   "and group admins.")
    policy = (
        "Suspended accounts cannot act (follow, like, post, message, join) and cannot be followed or messaged. "
        "Nobody may follow, like the posts of, or message a user when either of the two has blocked the other. "
        "A private account may only be followed by users it already follows. "
        "Direct messages respect the recipient's message setting: 'everyone' accepts all senders, 'mutuals' only "
        "users who follow the recipient and are followed by the recipient, 'nobody' no one. "
        "Posting in a group requires membership; invite-only groups may only be joined by users whom one of the "
        "group's admins follows. "
        "A group admin may remove a post of their group only when it has at least 3 reports; each "
        "removal gives the author one strike, and only users with at least 3 strikes may be suspended (by any "
        "group admin). Blocking someone removes the follows between the two in both directions. "
        "Change only what the user asked for."
    )
    variants = VariantSpace(
        optional_tools=("search_users", "list_groups", "get_messages"),
        renames={"get_followers": ("list_followers",), "send_message": ("send_dm", "direct_message"),
                 "get_group_posts": ("group_feed",)},
        rules={"strict_reports": "Stricter reporting rule: a group post may be removed only when it has at least "
                                 "5 reports.",
               "mutual_dms": "Direct messages may only be sent between users who follow each other, whatever the "
                             "recipient's message setting ('nobody' still accepts no one)."},
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "follower_count": [
            "How many followers does @{{handle}} have?",
            "Count the accounts that follow @{{handle}}.",
            "What is @{{handle}}'s follower count?",
        ],
        "post_likes": [
            "How many likes does post #{{post_id}} have?",
            "Look up post {{post_id}} and tell me its number of likes.",
        ],
        "user_city": [
            "Which city does {{name}} live in according to their profile?",
            "Where is {{name}} based? Give the city from their profile.",
        ],
        "mutual_count": [
            "How many of the accounts @{{handle}} follows follow them back?",
            "Count @{{handle}}'s mutual follows (accounts they follow that also follow them).",
        ],
        "fof_count": [
            "How many distinct users are followed by at least one of the accounts @{{handle}} follows, not counting "
            "@{{handle}} and accounts @{{handle}} already follows?",
            "Count @{{handle}}'s friends of friends: users followed by someone @{{handle}} follows, excluding "
            "@{{handle}} themself and anyone @{{handle}} already follows.",
        ],
        "top_group_post": [
            "In the group {{group}}, whose post from {{since}} onwards has the most likes? Give the author's handle.",
            "Which member wrote the most-liked post in {{group}} published on or after {{since}}? Answer with their "
            "handle.",
            "Find the post in {{group}} (posted {{since}} or later, not removed) with the most likes and tell me "
            "who wrote it (handle).",
        ],
        "common_groups": [
            "Which groups do @{{a}} and @{{b}} both belong to?",
            "List every group that has both @{{a}} and @{{b}} as members.",
        ],
        "follow_back": [
            "Make @{{handle}} follow back every follower they do not follow yet, as far as the policy allows.",
            "@{{handle}} wants to follow back all their followers. Add the missing follows that the policy "
            "permits and skip the others.",
        ],
        "dm_group_mutuals": [
            "On behalf of @{{handle}}, send the message \"{{body}}\" to every member of {{group}} who is a mutual "
            "follow of @{{handle}} and may receive it under the policy.",
            "@{{handle}} wants to DM \"{{body}}\" to each of their mutual follows in the group {{group}}. Send it "
            "to all of them the policy allows, once each.",
        ],
        "like_group_follows": [
            "Have @{{handle}} like every post in {{group}} from {{since}} onwards written by accounts they follow, "
            "skipping posts they already liked and anything the policy forbids.",
            "@{{handle}} wants to catch up on {{group}}: like each post there dated {{since}} or later whose author "
            "@{{handle}} follows, where allowed and not liked yet.",
        ],
        "moderation_sweep": [
            "You act as @{{admin}}, an admin of {{group}}. Remove every post in the group that the policy allows "
            "you to remove (reason: \"{{reason}}\"), then suspend every author of a removed post who now has enough "
            "strikes to be suspended.",
            "Clean up {{group}} as its admin @{{admin}}: take down all posts that may be removed under the "
            "reporting rule, with the reason \"{{reason}}\", and afterwards suspend those authors whose strikes now "
            "allow a suspension.",
        ],
        "group_outreach": [
            "@{{handle}} wants to promote {{group}}. Make sure they are a member (join if needed), post "
            "\"{{text}}\" in the group, and send the message \"{{body}}\" to every member of the group who follows "
            "@{{handle}} and may be messaged by them under the policy.",
            "Help @{{handle}} with {{group}}: join it if they have not yet, publish the post \"{{text}}\" there, "
            "then DM \"{{body}}\" to each group member who is one of @{{handle}}'s followers, wherever the policy "
            "allows it.",
        ],
        "harassment_response": [
            "@{{victim}} reports being harassed by @{{harasser}}. Have @{{victim}} block them. Then, acting as "
            "@{{admin}} (an admin of {{group}}), remove every post by @{{harasser}} in that group that the policy "
            "allows you to remove (reason: \"harassment\"), suspend @{{harasser}} if their strikes now allow it, and "
            "finally send @{{admin}} the message \"{{body}}\" from @{{victim}} if the policy permits it.",
            "Handle a harassment case: @{{victim}} blocks @{{harasser}}; group admin @{{admin}} takes down all of "
            "@{{harasser}}'s removable posts in {{group}} with the reason \"harassment\" and suspends @{{harasser}} "
            "when the strike rule allows; then, if @{{victim}} may message @{{admin}} under the policy, DM them "
            "\"{{body}}\".",
        ],
        "grow_network": [
            "@{{handle}} wants to grow their network{% if city %} in {{city}}{% endif %}. Among users followed by "
            "at least one account @{{handle}} follows (excluding @{{handle}} and accounts they already follow"
            "{% if city %}, and only people living in {{city}}{% endif %}), follow the {{k}} that the policy lets "
            "@{{handle}} follow with the most connections (number of accounts @{{handle}} follows that follow "
            "them). Then send \"{{body}}\" to each newly followed user the policy lets @{{handle}} message.",
            "Suggest-and-follow for @{{handle}}: look at their friends of friends{% if city %} who live in "
            "{{city}}{% endif %} (not already followed, not themself), keep those the policy allows them to "
            "follow, and follow the {{k}} with the most mutual connections (accounts @{{handle}} follows that "
            "follow the person). Afterwards message each of them \"{{body}}\" where the policy permits.",
        ],
    }

    # ---- database ---------------------------------------------------------------------------------

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
            self.db.execute("INSERT INTO users (handle, display_name, city, joined, private, dm_setting, status, "
                            "strikes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            (h, n, rng.choice(CITIES), self._day(-rng.randint(60, 900)), int(rng.random() < 0.2),
                             rng.choices(["everyone", "mutuals", "nobody"], [5, 4, 1])[0], status,
                             3 if status == "suspended" else rng.choices([0, 1, 2], [6, 3, 3])[0]))
        ids = list(range(1, n_users + 1))
        for u in ids:  # follows cluster by city so that friends of friends overlap
            same = [v for v in ids if v != u and self._city(v) == self._city(u)]
            other = [v for v in ids if v != u]
            picks = set(rng.sample(same, min(len(same), rng.randint(2, 7)))) | set(rng.sample(other, rng.randint(1, 6)))
            for v in sorted(picks):
                self.db.execute("INSERT INTO follows (follower_id, followee_id, created) VALUES (?, ?, ?)",
                                (u, v, self._day(-rng.randint(1, 400))))
        for _ in range(n_users // 6):
            a, b = rng.sample(ids, 2)
            self.db.execute("INSERT OR IGNORE INTO blocks (blocker_id, blocked_id) VALUES (?, ?)", (a, b))
            self.db.execute("DELETE FROM follows WHERE (follower_id = ? AND followee_id = ?) OR (follower_id = ? AND "
                            "followee_id = ?)", (a, b, b, a))
        self._build_groups(rng, ids, n_groups)

    def _build_groups(self, rng: random.Random, ids: list[int], n_groups: int) -> None:
        taken = set()
        for topic in rng.sample(TOPICS, n_groups):
            name = f"{rng.choice(CITIES).split()[-1]} {topic.title()} {rng.choice(GROUP_WORDS)}"
            while name in taken:
                name = f"{rng.choice(CITIES).split()[-1]} {topic.title()} {rng.choice(GROUP_WORDS)}"
            taken.add(name)
            gid = self.db.execute("INSERT INTO social_groups (name, topic, invite_only) VALUES (?, ?, ?)",
                                  (name, topic, int(rng.random() < 0.35))).lastrowid
            members = rng.sample(ids, rng.randint(len(ids) // 5, len(ids) // 3))
            for k, u in enumerate(members):
                self.db.execute("INSERT INTO memberships (group_id, user_id, role) VALUES (?, ?, ?)",
                                (gid, u, "admin" if k < rng.randint(1, 2) else "member"))
            for _ in range(rng.randint(len(members), 2 * len(members))):
                author = rng.choice(members)
                pid = self.db.execute("INSERT INTO posts (author_id, group_id, created, text, removed) VALUES "
                                      "(?, ?, ?, ?, ?)", (author, gid, self._day(-rng.randint(0, 45)),
                                                          rng.choice(POST_LINES), int(rng.random() < 0.04))).lastrowid
                for liker in rng.sample(members, rng.randint(0, min(len(members), 14))):
                    if liker != author:
                        self.db.execute("INSERT INTO likes (post_id, user_id) VALUES (?, ?)", (pid, liker))
                n_reports = rng.choices([0, 1, 2, 3, 4, 5, 6], [40, 8, 5, 3, 2, 2, 1])[0]
                for reporter in rng.sample(ids, n_reports):
                    self.db.execute("INSERT INTO reports (post_id, reporter_id, reason) VALUES (?, ?, ?)",
                                    (pid, reporter, rng.choice(REASONS)))
        for _ in range(len(ids) * 2):
            a, b = rng.sample(ids, 2)
            self.db.execute("INSERT INTO messages (sender_id, recipient_id, sent, body) VALUES (?, ?, ?, ?)",
                            (a, b, self._day(-rng.randint(0, 60)), rng.choice(MESSAGES)))

    def _today(self) -> dt.date:
        return dt.date.fromisoformat(self.db.execute("SELECT value FROM meta WHERE key = 'today'").fetchone()[0])

    def _day(self, offset: int) -> str:
        return (self._today() + dt.timedelta(days=offset)).isoformat()

    def _city(self, user_id: int) -> str:
        return self.db.execute("SELECT city FROM users WHERE id = ?", (user_id,)).fetchone()[0]

    # ---- rules ------------------------------------------------------------------------------------

    def _rules(self) -> dict:
        """The variant's extra rules as plain settings, passed to solutions and verifiers."""
        return {"report_threshold": 5 if "strict_reports" in self.variant.rules else 3,
                "mutual_dms": "mutual_dms" in self.variant.rules}

    def _blocked(self, a: int, b: int) -> bool:
        return bool(self.db.execute("SELECT 1 FROM blocks WHERE (blocker_id = ? AND blocked_id = ?) OR "
                                    "(blocker_id = ? AND blocked_id = ?)", (a, b, b, a)).fetchone())

    def _follows(self, a: int, b: int) -> bool:
        return bool(self.db.execute("SELECT 1 FROM follows WHERE follower_id = ? AND followee_id = ?",
                                    (a, b)).fetchone())

    def _active(self, user_id: int) -> bool:
        return self.db.execute("SELECT status FROM users WHERE id = ?", (user_id,)).fetchone()[0] == "active"

    def _follow_refusal(self, a: int, b: int) -> str | None:
        if a == b:
            return "users cannot follow themselves"
        if not self._active(a) or not self._active(b):
            return "suspended accounts cannot follow or be followed"
        if self._blocked(a, b):
            return "one of the two has blocked the other"
        if self._follows(a, b):
            return "already following"
        private = self.db.execute("SELECT private FROM users WHERE id = ?", (b,)).fetchone()[0]
        if private and not self._follows(b, a):
            return "the account is private and does not follow the user"
        return None

    def _dm_refusal(self, a: int, b: int) -> str | None:
        if a == b:
            return "users cannot message themselves"
        if not self._active(a) or not self._active(b):
            return "suspended accounts cannot send or receive messages"
        if self._blocked(a, b):
            return "one of the two has blocked the other"
        setting = self.db.execute("SELECT dm_setting FROM users WHERE id = ?", (b,)).fetchone()[0]
        if setting == "nobody":
            return "the recipient accepts messages from nobody"
        if (setting == "mutuals" or self._rules()["mutual_dms"]) and not (self._follows(a, b) and self._follows(b, a)):
            return "the two do not follow each other"
        return None

    def _like_refusal(self, user_id: int, post_id: int) -> str | None:
        post = self.db.execute("SELECT * FROM posts WHERE id = ?", (post_id,)).fetchone()
        if post is None:
            return f"no post {post_id}; use get_group_posts"
        if post["removed"]:
            return "the post was removed"
        if not self._active(user_id):
            return "suspended accounts cannot like posts"
        if self._blocked(user_id, post["author_id"]):
            return "one of the two has blocked the other"
        if post["author_id"] == user_id:
            return "users cannot like their own posts"
        if self.db.execute("SELECT 1 FROM likes WHERE post_id = ? AND user_id = ?", (post_id, user_id)).fetchone():
            return "already liked"
        return None

    def _is_member(self, group_id: int, user_id: int) -> bool:
        return bool(self.db.execute("SELECT 1 FROM memberships WHERE group_id = ? AND user_id = ?",
                                    (group_id, user_id)).fetchone())

    def _report_count(self, post_id: int) -> int:
        return self.db.execute("SELECT COUNT(*) FROM reports WHERE post_id = ?", (post_id,)).fetchone()[0]

    # ---- tools ------------------------------------------------------------------------------------

    def _user(self, handle: str) -> dict:
        row = self.db.execute("SELECT * FROM users WHERE lower(handle) = lower(?)",
                              (handle.strip().lstrip("@"),)).fetchone()
        if row is None:
            raise ValueError(f"unknown user {handle!r}; give a handle (search_users finds them by name)")
        return dict(row)

    def _group(self, name: str) -> dict:
        row = self.db.execute("SELECT * FROM social_groups WHERE lower(name) = lower(?)", (name.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"unknown group {name!r}; give the group's full name")
        return dict(row)

    def _handles(self, sql: str, *args) -> list[str]:
        return [r["handle"] for r in self.rows(sql, *args)]

    @tool("read")
    def get_user(self, handle: str) -> dict:
        """A user's profile: handle, display name, city, join date, private flag, message setting (everyone,
        mutuals or nobody), status (active or suspended), strikes, follower and following counts, the handles
        they block and the groups they belong to.

        Args:
            handle: The user's handle (with or without '@').
        """
        u = self._user(handle)
        u["private"] = bool(u["private"])
        u["followers"] = self.db.execute("SELECT COUNT(*) FROM follows WHERE followee_id = ?", (u["id"],)).fetchone()[0]
        u["following"] = self.db.execute("SELECT COUNT(*) FROM follows WHERE follower_id = ?", (u["id"],)).fetchone()[0]
        u["blocks"] = self._handles("SELECT u.handle FROM blocks b JOIN users u ON u.id = b.blocked_id "
                                    "WHERE b.blocker_id = ? ORDER BY u.handle", u["id"])
        u["groups"] = [r["name"] for r in self.rows("SELECT g.name FROM memberships m JOIN social_groups g ON "
                                                    "g.id = m.group_id WHERE m.user_id = ? ORDER BY g.name", u["id"])]
        del u["id"]
        return u

    @tool("read")
    def get_profiles(self, handles: list[str]) -> list[dict]:
        """Profiles of several users at once (same fields as get_user), in the order given.

        Args:
            handles: Up to 50 handles.
        """
        if len(handles) > 50:
            raise ValueError("ask for at most 50 handles at a time")
        return [self.get_user(h) for h in handles]

    @tool("read")
    def search_users(self, name: str | None = None, city: str | None = None) -> list[dict]:
        """Find users by (part of) their display name and/or city; returns handle, display name and city.

        Args:
            name: Text the display name contains.
            city: City, exact name.
        """
        return self.rows("SELECT handle, display_name, city FROM users WHERE display_name LIKE ? AND "
                         "(? IS NULL OR lower(city) = lower(?)) ORDER BY handle", f"%{name or ''}%", city, city)

    @tool("read")
    def get_followers(self, handle: str) -> list[str]:
        """Handles of the accounts that follow a user.

        Args:
            handle: The user's handle.
        """
        u = self._user(handle)
        return self._handles("SELECT u.handle FROM follows f JOIN users u ON u.id = f.follower_id "
                             "WHERE f.followee_id = ? ORDER BY u.handle", u["id"])

    @tool("read")
    def get_following(self, handle: str) -> list[str]:
        """Handles of the accounts a user follows.

        Args:
            handle: The user's handle.
        """
        u = self._user(handle)
        return self._handles("SELECT u.handle FROM follows f JOIN users u ON u.id = f.followee_id "
                             "WHERE f.follower_id = ? ORDER BY u.handle", u["id"])

    @tool("read")
    def list_groups(self, topic: str | None = None) -> list[dict]:
        """Groups with their topic, invite-only flag and member count.

        Args:
            topic: Only groups about this topic.
        """
        return self.rows("SELECT g.name, g.topic, g.invite_only, COUNT(m.id) AS members FROM social_groups g "
                         "LEFT JOIN memberships m ON m.group_id = g.id WHERE (? IS NULL OR g.topic = ?) "
                         "GROUP BY g.id ORDER BY g.name", topic, topic)

    @tool("read")
    def get_group(self, name: str) -> dict:
        """A group: topic, invite-only flag, and its members (handle and role: admin or member).

        Args:
            name: The group's full name.
        """
        g = self._group(name)
        g["invite_only"] = bool(g["invite_only"])
        g["members"] = self.rows("SELECT u.handle, m.role FROM memberships m JOIN users u ON u.id = m.user_id "
                                 "WHERE m.group_id = ? ORDER BY u.handle", g.pop("id"))
        return g

    @tool("read")
    def get_group_posts(self, name: str, since: str | None = None, include_removed: bool = False) -> list[dict]:
        """Posts of a group, newest first: id, author handle, date, text, likes, reports and removed flag.

        Args:
            name: The group's full name.
            since: Only posts dated on or after this day (YYYY-MM-DD).
            include_removed: Also list posts that were removed.
        """
        g = self._group(name)
        return [{**p, "removed": bool(p["removed"])} for p in self.rows(
            "SELECT p.id, u.handle AS author, p.created, p.text, p.removed, "
            "(SELECT COUNT(*) FROM likes l WHERE l.post_id = p.id) AS likes, "
            "(SELECT COUNT(*) FROM reports r WHERE r.post_id = p.id) AS reports "
            "FROM posts p JOIN users u ON u.id = p.author_id WHERE p.group_id = ? AND p.created >= ? "
            "AND (? OR p.removed = 0) ORDER BY p.created DESC, p.id DESC", g["id"], since or "", int(include_removed))]

    @tool("read")
    def get_post(self, post_id: int) -> dict:
        """One post with its group, author, date, text, removed flag, the handles that liked it and its reports
        (reporter handle and reason).

        Args:
            post_id: Post id.
        """
        p = self.db.execute("SELECT p.id, g.name AS group_name, u.handle AS author, p.created, p.text, p.removed "
                            "FROM posts p JOIN users u ON u.id = p.author_id JOIN social_groups g ON g.id = p.group_id "
                            "WHERE p.id = ?", (post_id,)).fetchone()
        if p is None:
            raise ValueError(f"no post {post_id}; use get_group_posts")
        out = {**dict(p), "removed": bool(p["removed"])}
        out["liked_by"] = self._handles("SELECT u.handle FROM likes l JOIN users u ON u.id = l.user_id WHERE "
                                        "l.post_id = ? ORDER BY u.handle", post_id)
        out["reports"] = self.rows("SELECT u.handle AS reporter, r.reason FROM reports r JOIN users u ON "
                                   "u.id = r.reporter_id WHERE r.post_id = ? ORDER BY r.id", post_id)
        return out

    @tool("read")
    def get_messages(self, handle: str) -> list[dict]:
        """Direct messages a user sent or received: id, sender, recipient, date and body.

        Args:
            handle: The user's handle.
        """
        u = self._user(handle)
        return self.rows("SELECT m.id, s.handle AS sender, r.handle AS recipient, m.sent, m.body FROM messages m "
                         "JOIN users s ON s.id = m.sender_id JOIN users r ON r.id = m.recipient_id WHERE "
                         "m.sender_id = ? OR m.recipient_id = ? ORDER BY m.id", u["id"], u["id"])

    @tool("write")
    def follow_user(self, handle: str, target: str) -> dict:
        """Make a user follow another; refused when the policy forbids it.

        Args:
            handle: The user who follows.
            target: The account to follow.
        """
        a, b = self._user(handle), self._user(target)
        if why := self._follow_refusal(a["id"], b["id"]):
            raise ValueError(f"cannot follow: {why}")
        self.db.execute("INSERT INTO follows (follower_id, followee_id, created) VALUES (?, ?, ?)",
                        (a["id"], b["id"], self._day(0)))
        return {"follower": a["handle"], "following": b["handle"]}

    @tool("write")
    def unfollow_user(self, handle: str, target: str) -> dict:
        """Make a user stop following another.

        Args:
            handle: The user who unfollows.
            target: The account they stop following.
        """
        a, b = self._user(handle), self._user(target)
        if not self._follows(a["id"], b["id"]):
            raise ValueError(f"{a['handle']} does not follow {b['handle']}")
        self.db.execute("DELETE FROM follows WHERE follower_id = ? AND followee_id = ?", (a["id"], b["id"]))
        return {"unfollowed": b["handle"]}

    @tool("write")
    def block_user(self, handle: str, target: str) -> dict:
        """Make a user block another; the follows between the two are removed in both directions.

        Args:
            handle: The user who blocks.
            target: The account to block.
        """
        a, b = self._user(handle), self._user(target)
        if a["id"] == b["id"]:
            raise ValueError("users cannot block themselves")
        self.db.execute("INSERT OR IGNORE INTO blocks (blocker_id, blocked_id) VALUES (?, ?)", (a["id"], b["id"]))
        self.db.execute("DELETE FROM follows WHERE (follower_id = ? AND followee_id = ?) OR (follower_id = ? AND "
                        "followee_id = ?)", (a["id"], b["id"], b["id"], a["id"]))
        return {"blocker": a["handle"], "blocked": b["handle"]}

    @tool("write")
    def send_message(self, sender: str, recipient: str, body: str) -> dict:
        """Send a direct message; refused when the policy forbids it.

        Args:
            sender: Handle of the sender.
            recipient: Handle of the recipient.
            body: The message text.
        """
        a, b = self._user(sender), self._user(recipient)
        if not body.strip():
            raise ValueError("the message body is empty")
        if why := self._dm_refusal(a["id"], b["id"]):
            raise ValueError(f"cannot message: {why}")
        cur = self.db.execute("INSERT INTO messages (sender_id, recipient_id, sent, body) VALUES (?, ?, ?, ?)",
                              (a["id"], b["id"], self._day(0), body.strip()))
        return {"id": cur.lastrowid, "sender": a["handle"], "recipient": b["handle"]}

    @tool("write")
    def like_post(self, handle: str, post_id: int) -> dict:
        """Make a user like a post; refused when the policy forbids it.

        Args:
            handle: The user who likes.
            post_id: Post id.
        """
        u = self._user(handle)
        if why := self._like_refusal(u["id"], post_id):
            raise ValueError(f"cannot like: {why}")
        self.db.execute("INSERT INTO likes (post_id, user_id) VALUES (?, ?)", (post_id, u["id"]))
        return {"liked": post_id, "by": u["handle"]}

    @tool("write")
    def join_group(self, handle: str, group: str) -> dict:
        """Make a user join a group as a member; refused when the policy forbids it.

        Args:
            handle: The user who joins.
            group: The group's full name.
        """
        u, g = self._user(handle), self._group(group)
        if not self._active(u["id"]):
            raise ValueError("suspended accounts cannot join groups")
        if self._is_member(g["id"], u["id"]):
            raise ValueError(f"{u['handle']} is already a member")
        if g["invite_only"] and not self.db.execute(
                "SELECT 1 FROM memberships m JOIN follows f ON f.follower_id = m.user_id WHERE m.group_id = ? AND "
                "m.role = 'admin' AND f.followee_id = ?", (g["id"], u["id"])).fetchone():
            raise ValueError("the group is invite-only and none of its admins follows this user")
        self.db.execute("INSERT INTO memberships (group_id, user_id, role) VALUES (?, ?, 'member')", (g["id"], u["id"]))
        return {"joined": g["name"], "user": u["handle"]}

    @tool("write")
    def create_post(self, handle: str, group: str, text: str) -> dict:
        """Publish a post in a group, dated today.

        Args:
            handle: The author's handle.
            group: The group's full name.
            text: The post's text.
        """
        u, g = self._user(handle), self._group(group)
        if not self._active(u["id"]):
            raise ValueError("suspended accounts cannot post")
        if not self._is_member(g["id"], u["id"]):
            raise ValueError(f"{u['handle']} is not a member of {g['name']}; join_group first")
        if not text.strip():
            raise ValueError("the post text is empty")
        cur = self.db.execute("INSERT INTO posts (author_id, group_id, created, text, removed) VALUES (?, ?, ?, ?, 0)",
                              (u["id"], g["id"], self._day(0), text.strip()))
        return {"id": cur.lastrowid, "group": g["name"]}

    @tool("write")
    def remove_post(self, admin: str, post_id: int, reason: str) -> dict:
        """As a group admin, remove a reported post of that group; the author gets one strike.

        Args:
            admin: Handle of an admin of the post's group.
            post_id: Post id.
            reason: Why the post is removed.
        """
        a = self._user(admin)
        if not self._active(a["id"]):
            raise ValueError("suspended accounts cannot moderate")
        post = self.db.execute("SELECT * FROM posts WHERE id = ?", (post_id,)).fetchone()
        if post is None:
            raise ValueError(f"no post {post_id}; use get_group_posts")
        if post["removed"]:
            raise ValueError("the post is already removed")
        if not self.db.execute("SELECT 1 FROM memberships WHERE group_id = ? AND user_id = ? AND role = 'admin'",
                               (post["group_id"], a["id"])).fetchone():
            raise ValueError(f"{a['handle']} is not an admin of this post's group")
        need, have = self._rules()["report_threshold"], self._report_count(post_id)
        if have < need:
            raise ValueError(f"the post has {have} reports; removal needs at least {need}")
        self.db.execute("UPDATE posts SET removed = 1 WHERE id = ?", (post_id,))
        self.db.execute("UPDATE users SET strikes = strikes + 1 WHERE id = ?", (post["author_id"],))
        self.db.execute("INSERT INTO moderation_log (admin_id, action, target_id, reason) VALUES (?, 'remove_post', "
                        "?, ?)", (a["id"], post_id, reason))
        return {"removed": post_id}

    @tool("write")
    def suspend_user(self, admin: str, handle: str) -> dict:
        """As a group admin, suspend a user who has at least 3 strikes.

        Args:
            admin: Handle of an admin of any group.
            handle: The user to suspend.
        """
        a, u = self._user(admin), self._user(handle)
        if not self._active(a["id"]):
            raise ValueError("suspended accounts cannot moderate")
        if not self.db.execute("SELECT 1 FROM memberships WHERE user_id = ? AND role = 'admin'", (a["id"],)).fetchone():
            raise ValueError(f"{a['handle']} is not a group admin")
        if u["status"] == "suspended":
            raise ValueError(f"{u['handle']} is already suspended")
        if u["strikes"] < SUSPEND_STRIKES:
            raise ValueError(f"{u['handle']} has {u['strikes']} strikes; suspension needs {SUSPEND_STRIKES}")
        self.db.execute("UPDATE users SET status = 'suspended' WHERE id = ?", (u["id"],))
        self.db.execute("INSERT INTO moderation_log (admin_id, action, target_id, reason) VALUES (?, 'suspend', ?, "
                        "'strikes')", (a["id"], u["id"]))
        return {"suspended": u["handle"]}

    # ---- proposer helpers -------------------------------------------------------------------------

    def _active_user(self, rng: random.Random) -> dict:
        return rng.choice(self.rows("SELECT * FROM users WHERE status = 'active'"))

    def _following_ids(self, user_id: int) -> set[int]:
        return {r["followee_id"] for r in self.rows("SELECT followee_id FROM follows WHERE follower_id = ?", user_id)}

    def _follower_ids(self, user_id: int) -> set[int]:
        return {r["follower_id"] for r in self.rows("SELECT follower_id FROM follows WHERE followee_id = ?", user_id)}

    def _member_ids(self, group_id: int) -> set[int]:
        return {r["user_id"] for r in self.rows("SELECT user_id FROM memberships WHERE group_id = ?", group_id)}

    def _all_handles(self) -> list[str]:
        return [r["handle"] for r in self.rows("SELECT handle FROM users")]

    def _since(self, rng: random.Random) -> str:
        return self._day(-rng.choice([3, 5, 7, 10, 14, 21, 30]))

    # ---- proposers --------------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_follower_count(self, rng: random.Random) -> TaskDraft | None:
        u = rng.choice(self.rows("SELECT * FROM users"))
        return TaskDraft(
            shape="follower_count",
            instruction=self.render("follower_count", rng, handle=u["handle"]),
            solution=Program.of(solve_follower_count, handle=u["handle"]),
            verifier=Program.of(verify_number, expected=len(self._follower_ids(u["id"]))),
        )

    @proposer(difficulty=1)
    def propose_post_likes(self, rng: random.Random) -> TaskDraft | None:
        p = rng.choice(self.rows("SELECT id, (SELECT COUNT(*) FROM likes l WHERE l.post_id = p.id) AS n FROM posts p"))
        return TaskDraft(
            shape="post_likes",
            instruction=self.render("post_likes", rng, post_id=p["id"]),
            solution=Program.of(solve_post_likes, post_id=p["id"]),
            verifier=Program.of(verify_number, expected=p["n"], ignore=[p["id"]]),
        )

    @proposer(difficulty=1)
    def propose_user_city(self, rng: random.Random) -> TaskDraft | None:
        if not self.has_tool("search_users"):
            return None
        u = rng.choice(self.rows("SELECT * FROM users"))
        return TaskDraft(
            shape="user_city",
            instruction=self.render("user_city", rng, name=u["display_name"]),
            solution=Program.of(solve_user_city, name=u["display_name"]),
            verifier=Program.of(verify_names, expected=[u["city"]], candidates=CITIES),
        )

    @proposer(difficulty=2)
    def propose_mutual_count(self, rng: random.Random) -> TaskDraft | None:
        u = rng.choice(self.rows("SELECT * FROM users"))
        n = len(self._following_ids(u["id"]) & self._follower_ids(u["id"]))
        return TaskDraft(
            shape="mutual_count",
            instruction=self.render("mutual_count", rng, handle=u["handle"]),
            solution=Program.of(solve_mutual_count, handle=u["handle"]),
            verifier=Program.of(verify_number, expected=n),
        )

    @proposer(difficulty=2)
    def propose_fof_count(self, rng: random.Random) -> TaskDraft | None:
        u = rng.choice(self.rows("SELECT * FROM users"))
        following = self._following_ids(u["id"])
        fof = set().union(*[self._following_ids(f) for f in following]) - following - {u["id"]} if following else set()
        if not fof:
            return None
        return TaskDraft(
            shape="fof_count",
            instruction=self.render("fof_count", rng, handle=u["handle"]),
            solution=Program.of(solve_fof_count, handle=u["handle"]),
            verifier=Program.of(verify_number, expected=len(fof)),
        )

    @proposer(difficulty=2, attempts=6)
    def propose_top_group_post(self, rng: random.Random) -> TaskDraft | None:
        g, since = rng.choice(self.rows("SELECT * FROM social_groups")), self._since(rng)
        posts = self.rows("SELECT p.id, u.handle, (SELECT COUNT(*) FROM likes l WHERE l.post_id = p.id) AS n FROM "
                          "posts p JOIN users u ON u.id = p.author_id WHERE p.group_id = ? AND p.created >= ? AND "
                          "p.removed = 0 ORDER BY n DESC", g["id"], since)
        if len(posts) < 2 or posts[0]["n"] == posts[1]["n"]:
            return None
        return TaskDraft(
            shape="top_group_post",
            instruction=self.render("top_group_post", rng, group=g["name"], since=since),
            solution=Program.of(solve_top_group_post, group=g["name"], since=since),
            verifier=Program.of(verify_names, expected=[posts[0]["handle"]], candidates=self._all_handles()),
        )

    @proposer(difficulty=2, attempts=6)
    def propose_common_groups(self, rng: random.Random) -> TaskDraft | None:
        a, b = rng.sample(self.rows("SELECT * FROM users"), 2)
        common = self.rows("SELECT g.name FROM social_groups g WHERE EXISTS (SELECT 1 FROM memberships WHERE "
                           "group_id = g.id AND user_id = ?) AND EXISTS (SELECT 1 FROM memberships WHERE group_id = "
                           "g.id AND user_id = ?)", a["id"], b["id"])
        if not common:
            return None
        return TaskDraft(
            shape="common_groups",
            instruction=self.render("common_groups", rng, a=a["handle"], b=b["handle"]),
            solution=Program.of(solve_common_groups, a=a["handle"], b=b["handle"]),
            verifier=Program.of(verify_names, expected=[r["name"] for r in common],
                                candidates=[r["name"] for r in self.rows("SELECT name FROM social_groups")]),
        )

    @proposer(difficulty=3, attempts=8)
    def propose_follow_back(self, rng: random.Random) -> TaskDraft | None:
        u = self._active_user(rng)
        todo = sorted(f for f in self._follower_ids(u["id"]) - self._following_ids(u["id"])
                      if self._follow_refusal(u["id"], f) is None)
        if not todo:
            return None
        return TaskDraft(
            shape="follow_back",
            instruction=self.render("follow_back", rng, handle=u["handle"]),
            solution=Program.of(solve_follow_back, handle=u["handle"]),
            verifier=Program.of(verify_new_follows, user_id=u["id"], expected=todo, top=None, **self._rules()),
        )

    @proposer(difficulty=3, attempts=8)
    def propose_dm_group_mutuals(self, rng: random.Random) -> TaskDraft | None:
        u = self._active_user(rng)
        groups = self.rows("SELECT g.* FROM social_groups g JOIN memberships m ON m.group_id = g.id WHERE "
                           "m.user_id = ?", u["id"]) or self.rows("SELECT * FROM social_groups")
        g, body = rng.choice(groups), rng.choice(MESSAGES)
        mutual = self._following_ids(u["id"]) & self._follower_ids(u["id"]) & self._member_ids(g["id"])
        to = sorted(v for v in mutual if self._dm_refusal(u["id"], v) is None)
        if not to:
            return None
        return TaskDraft(
            shape="dm_group_mutuals",
            instruction=self.render("dm_group_mutuals", rng, handle=u["handle"], group=g["name"], body=body),
            solution=Program.of(solve_dm_group_mutuals, handle=u["handle"], group=g["name"], body=body,
                                **self._rules()),
            verifier=Program.of(verify_actions, user_id=u["id"], body=body, recipients=to, likes=[], follows=[],
                                post=None, join=None),
        )

    @proposer(difficulty=3, attempts=8)
    def propose_like_group_follows(self, rng: random.Random) -> TaskDraft | None:
        u = self._active_user(rng)
        g, since = rng.choice(self.rows("SELECT * FROM social_groups")), self._since(rng)
        following = self._following_ids(u["id"])
        posts = self.rows("SELECT id, author_id FROM posts WHERE group_id = ? AND created >= ? AND removed = 0",
                          g["id"], since)
        todo = sorted(p["id"] for p in posts
                      if p["author_id"] in following and self._like_refusal(u["id"], p["id"]) is None)
        if not todo:
            return None
        return TaskDraft(
            shape="like_group_follows",
            instruction=self.render("like_group_follows", rng, handle=u["handle"], group=g["name"], since=since),
            solution=Program.of(solve_like_group_follows, handle=u["handle"], group=g["name"], since=since),
            verifier=Program.of(verify_actions, user_id=u["id"], body=None, recipients=[], likes=todo, follows=[],
                                post=None, join=None),
        )

    @proposer(difficulty=4, attempts=10)
    def propose_moderation_sweep(self, rng: random.Random) -> TaskDraft | None:
        g = rng.choice(self.rows("SELECT * FROM social_groups"))
        admins = self.rows("SELECT u.* FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.group_id = ? AND "
                           "m.role = 'admin' AND u.status = 'active'", g["id"])
        if not admins:
            return None
        threshold = self._rules()["report_threshold"]
        posts = [p for p in self.rows("SELECT * FROM posts WHERE group_id = ? AND removed = 0", g["id"])
                 if self._report_count(p["id"]) >= threshold]
        admins = [a for a in admins if a["id"] not in {p["author_id"] for p in posts}]
        if not 2 <= len(posts) <= 8 or not admins:
            return None
        strikes = {r["id"]: (r["strikes"], r["status"]) for r in self.rows("SELECT * FROM users")}
        hits: dict[int, int] = {}
        for p in posts:
            hits[p["author_id"]] = hits.get(p["author_id"], 0) + 1
        suspend = sorted(a for a, n in hits.items()
                         if strikes[a][1] == "active" and strikes[a][0] + n >= SUSPEND_STRIKES)
        if 1 + len(posts) + len(hits) + len(suspend) < 6:  # a sweep worth planning
            return None
        admin, reason = rng.choice(admins), rng.choice(REASONS)
        return TaskDraft(
            shape="moderation_sweep",
            instruction=self.render("moderation_sweep", rng, admin=admin["handle"], group=g["name"], reason=reason),
            solution=Program.of(solve_moderation_sweep, admin=admin["handle"], group=g["name"], reason=reason,
                                **self._rules()),
            verifier=Program.of(verify_moderation, removed=sorted(p["id"] for p in posts), suspended=suspend,
                                reason=reason),
        )

    @proposer(difficulty=4, attempts=15)
    def propose_group_outreach(self, rng: random.Random) -> TaskDraft | None:
        u, g = self._active_user(rng), rng.choice(self.rows("SELECT * FROM social_groups"))
        members = self._member_ids(g["id"])
        join = u["id"] not in members
        admins = {r["user_id"] for r in self.rows("SELECT user_id FROM memberships WHERE group_id = ? AND "
                                                 "role = 'admin'", g["id"])}
        if join and g["invite_only"] and not any(u["id"] in self._following_ids(a) for a in admins):
            return None
        to = sorted(v for v in members & self._follower_ids(u["id"]) if self._dm_refusal(u["id"], v) is None)
        if not to:
            return None
        text = f"Join us for the {g['topic']} meetup on {self._day(rng.randint(3, 20))}!"
        body = rng.choice(["Our group has a new event, see the post.", "New meetup announced in the group!",
                           "Check the group for the upcoming event."])
        return TaskDraft(
            shape="group_outreach",
            instruction=self.render("group_outreach", rng, handle=u["handle"], group=g["name"], text=text, body=body),
            solution=Program.of(solve_group_outreach, handle=u["handle"], group=g["name"], text=text, body=body,
                                **self._rules()),
            verifier=Program.of(verify_actions, user_id=u["id"], body=body, recipients=to, likes=[], follows=[],
                                post={"group_id": g["id"], "text": text}, join=g["id"] if join else None),
        )

    @proposer(difficulty=5, attempts=10)
    def propose_harassment_response(self, rng: random.Random) -> TaskDraft | None:
        threshold = self._rules()["report_threshold"]
        posts = [p for p in self.rows("SELECT p.* FROM posts p JOIN users u ON u.id = p.author_id WHERE "
                                      "p.removed = 0 AND u.status = 'active'")
                 if self._report_count(p["id"]) >= threshold]
        if not posts:
            return None
        post = rng.choice(posts)
        harasser, gid = post["author_id"], post["group_id"]
        admins = self.rows("SELECT u.* FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.group_id = ? AND "
                           "m.role = 'admin' AND u.status = 'active' AND u.id != ?", gid, harasser)
        victims = self.rows("SELECT * FROM users WHERE status = 'active' AND id != ?", harasser)
        if not admins:
            return None
        admin = rng.choice(admins)
        victim = rng.choice([v for v in victims if v["id"] != admin["id"]])
        removed = sorted(p["id"] for p in posts if p["author_id"] == harasser and p["group_id"] == gid)
        strikes = self.rows("SELECT strikes FROM users WHERE id = ?", harasser)[0]["strikes"]
        if admin["id"] == victim["id"] or self._blocked(victim["id"], harasser):
            return None
        dm = self._dm_refusal(victim["id"], admin["id"]) is None  # the block and suspension do not affect it
        group = self.rows("SELECT name FROM social_groups WHERE id = ?", gid)[0]["name"]
        body = rng.choice(["Thanks for handling this.", "I have blocked them, please take a look.",
                           "Reported posts are in your group."])
        handles = {u["id"]: u["handle"] for u in self.rows("SELECT id, handle FROM users")}
        spec = {"victim": victim["handle"], "harasser": handles[harasser], "admin": admin["handle"], "group": group,
                "body": body}
        return TaskDraft(
            shape="harassment_response",
            instruction=self.render("harassment_response", rng, **spec),
            solution=Program.of(solve_harassment_response, **spec, **self._rules()),
            verifier=Program.of(verify_harassment, victim=victim["id"], harasser=harasser, admin=admin["id"],
                                removed=removed, suspend=strikes + len(removed) >= SUSPEND_STRIKES, body=body,
                                message=dm),
        )

    @proposer(difficulty=5, attempts=10)
    def propose_grow_network(self, rng: random.Random) -> TaskDraft | None:
        u = self._active_user(rng)
        following = self._following_ids(u["id"])
        if not following:
            return None
        fof = set().union(*[self._following_ids(f) for f in following]) - following - {u["id"]}
        city = rng.choice([None, u["city"]])
        eligible = {v: len(self._follower_ids(v) & following) for v in sorted(fof)
                    if self._follow_refusal(u["id"], v) is None and (city is None or self._city(v) == city)}
        k = rng.randint(2, 4)
        if len(eligible) <= k:
            return None
        body = rng.choice(["Hi! Followed you, we have friends in common.", "Hello from a friend of a friend!",
                           "Nice to connect with you."])
        top = sorted(eligible.values(), reverse=True)[:k]
        spec = {"handle": u["handle"], "city": city, "k": k, "body": body}
        return TaskDraft(
            shape="grow_network",
            instruction=self.render("grow_network", rng, **spec),
            solution=Program.of(solve_grow_network, **spec, **self._rules()),
            verifier=Program.of(verify_grow_network, user_id=u["id"], scores={str(v): s for v, s in eligible.items()},
                                top=top, body=body, **self._rules()),
        )


# ---- solutions: tools and computation only ------------------------------------------------------

def solve_follower_count(tools, params):
    return len(tools.get_followers(handle=params["handle"]))


def solve_post_likes(tools, params):
    return len(tools.get_post(post_id=params["post_id"])["liked_by"])


def solve_user_city(tools, params):
    hits = [u for u in tools.search_users(name=params["name"]) if u["display_name"] == params["name"]]
    return hits[0]["city"]


def solve_mutual_count(tools, params):
    return len(set(tools.get_following(handle=params["handle"])) & set(tools.get_followers(handle=params["handle"])))


def solve_fof_count(tools, params):
    following = set(tools.get_following(handle=params["handle"]))
    fof = set()
    for f in following:
        fof |= set(tools.get_following(handle=f))
    return len(fof - following - {params["handle"]})


def solve_top_group_post(tools, params):
    posts = tools.get_group_posts(name=params["group"], since=params["since"])
    return max(posts, key=lambda p: p["likes"])["author"]


def solve_common_groups(tools, params):
    a = set(tools.get_user(handle=params["a"])["groups"])
    return sorted(a & set(tools.get_user(handle=params["b"])["groups"]))


def solve_follow_back(tools, params):
    me = tools.get_user(handle=params["handle"])
    following = set(tools.get_following(handle=params["handle"]))
    added = []
    for f in tools.get_followers(handle=params["handle"]):
        if f in following:
            continue
        other = tools.get_user(handle=f)
        if other["status"] != "active" or f in me["blocks"] or me["handle"] in other["blocks"]:
            continue
        tools.follow_user(handle=params["handle"], target=f)
        added.append(f)
    return f"Now following {len(added)} more accounts"


def solve_dm_group_mutuals(tools, params):
    me = tools.get_user(handle=params["handle"])
    mutual = set(tools.get_following(handle=params["handle"])) & set(tools.get_followers(handle=params["handle"]))
    sent = []
    for m in tools.get_group(name=params["group"])["members"]:
        if m["handle"] in mutual:
            other = tools.get_user(handle=m["handle"])
            if other["status"] == "active" and other["dm_setting"] != "nobody" and \
                    other["handle"] not in me["blocks"] and me["handle"] not in other["blocks"]:
                tools.send_message(sender=params["handle"], recipient=m["handle"], body=params["body"])
                sent.append(m["handle"])
    return f"Sent to {len(sent)} members"


def solve_like_group_follows(tools, params):
    me = tools.get_user(handle=params["handle"])
    following = set(tools.get_following(handle=params["handle"]))
    n = 0
    for p in tools.get_group_posts(name=params["group"], since=params["since"]):
        if p["author"] not in following:
            continue
        post = tools.get_post(post_id=p["id"])
        author = tools.get_user(handle=p["author"])
        if params["handle"] in post["liked_by"] or p["author"] in me["blocks"] or me["handle"] in author["blocks"]:
            continue
        tools.like_post(handle=params["handle"], post_id=p["id"])
        n += 1
    return f"Liked {n} posts"


def solve_moderation_sweep(tools, params):
    authors = {}
    for p in tools.get_group_posts(name=params["group"]):
        if p["reports"] >= params["report_threshold"]:
            tools.remove_post(admin=params["admin"], post_id=p["id"], reason=params["reason"])
            authors[p["author"]] = True
    suspended = []
    for a in sorted(authors):
        u = tools.get_user(handle=a)
        if u["status"] == "active" and u["strikes"] >= 3:
            tools.suspend_user(admin=params["admin"], handle=a)
            suspended.append(a)
    return "Suspended: " + (", ".join(suspended) or "nobody")


def solve_group_outreach(tools, params):
    def _can_dm(tools, me, other, mutual_only):
        """Whether profile `me` may message profile `other` (profiles from get_user, plus follow lists)."""
        if other["status"] != "active" or me["status"] != "active":
            return False
        if other["handle"] in me["blocks"] or me["handle"] in other["blocks"]:
            return False
        if other["dm_setting"] == "nobody":
            return False
        if other["dm_setting"] == "mutuals" or mutual_only:
            return other["handle"] in tools.get_following(handle=me["handle"]) and \
                me["handle"] in tools.get_following(handle=other["handle"])
        return True

    group = tools.get_group(name=params["group"])
    members = {m["handle"] for m in group["members"]}
    if params["handle"] not in members:
        tools.join_group(handle=params["handle"], group=params["group"])
    tools.create_post(handle=params["handle"], group=params["group"], text=params["text"])
    me = tools.get_user(handle=params["handle"])
    for f in tools.get_followers(handle=params["handle"]):
        if f in members and _can_dm(tools, me, tools.get_user(handle=f), params["mutual_dms"]):
            tools.send_message(sender=params["handle"], recipient=f, body=params["body"])
    return "Done"


def solve_harassment_response(tools, params):
    tools.block_user(handle=params["victim"], target=params["harasser"])
    for p in tools.get_group_posts(name=params["group"]):
        if p["author"] == params["harasser"] and p["reports"] >= params["report_threshold"]:
            tools.remove_post(admin=params["admin"], post_id=p["id"], reason="harassment")
    if tools.get_user(handle=params["harasser"])["strikes"] >= 3:
        tools.suspend_user(admin=params["admin"], handle=params["harasser"])
    me, admin = tools.get_user(handle=params["victim"]), tools.get_user(handle=params["admin"])
    if admin["status"] != "active" or admin["dm_setting"] == "nobody" or me["handle"] in admin["blocks"] \
            or admin["handle"] in me["blocks"]:
        return "Handled; no message allowed"
    if admin["dm_setting"] == "mutuals" or params["mutual_dms"]:
        if params["admin"] not in tools.get_following(handle=params["victim"]) or \
                params["victim"] not in tools.get_following(handle=params["admin"]):
            return "Handled; no message allowed"
    tools.send_message(sender=params["victim"], recipient=params["admin"], body=params["body"])
    return "Handled and messaged the admin"


def solve_grow_network(tools, params):
    me = tools.get_user(handle=params["handle"])
    following = set(tools.get_following(handle=params["handle"]))
    followers = set(tools.get_followers(handle=params["handle"]))
    scores = {}
    for f in sorted(following):
        for v in tools.get_following(handle=f):
            if v != params["handle"] and v not in following:
                scores[v] = scores.get(v, 0) + 1
    names = sorted(scores)
    profiles = {}
    for i in range(0, len(names), 50):
        profiles.update({p["handle"]: p for p in tools.get_profiles(handles=names[i:i + 50])})
    eligible = [v for v, p in profiles.items()
                if (not params["city"] or p["city"] == params["city"]) and p["status"] == "active"
                and v not in me["blocks"] and me["handle"] not in p["blocks"] and (not p["private"] or v in followers)]
    chosen = sorted(eligible, key=lambda v: -scores[v])[:params["k"]]
    for v in chosen:
        tools.follow_user(handle=params["handle"], target=v)
    for v in chosen:
        p = profiles[v]
        if p["dm_setting"] == "nobody":
            continue
        if (p["dm_setting"] == "mutuals" or params["mutual_dms"]) and v not in followers:
            continue
        tools.send_message(sender=params["handle"], recipient=v, body=params["body"])
    return "Followed " + ", ".join(chosen)


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_number(outcome, params):
    from verifiers.answers import only_number_besides

    ok = only_number_besides(outcome.answer, params["expected"], params.get("ignore", []), abs_tol=0)
    return ok, [] if ok else [f"expected {params['expected']}, got {outcome.answer!r}"]


def verify_new_follows(outcome, params):
    """The user's new follows are exactly `expected`; nothing else changed."""
    from verifiers.state import diff_table, unchanged

    added, removed, changed = diff_table(outcome.initial, outcome.db, "follows")
    got = sorted(a["followee_id"] for a in added if a["follower_id"] == params["user_id"])
    reasons = []
    if got != params["expected"] or len(added) != len(got) or removed or changed:
        reasons.append(f"expected new follows of {params['expected']}, got {got} ({len(removed)} removed)")
    if other := unchanged(outcome.initial, outcome.db, ["users", "blocks", "memberships", "posts", "likes",
                                                        "messages", "moderation_log"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons


def verify_actions(outcome, params):
    """Exactly the expected messages (body to recipients), likes by the user, an optional post in a group and an
    optional join; nothing else changed."""
    from verifiers.state import diff_table, unchanged

    def _new_messages_ok(outcome, user_id, body, recipients):
        """Reasons why the new messages are not exactly one `body` from user_id to each recipient."""
        added, removed, changed = diff_table(outcome.initial, outcome.db, "messages")
        got = sorted(m["recipient_id"] for m in added)
        if removed or changed or got != sorted(recipients):
            return [f"expected messages to {sorted(recipients)}, got {got}"]
        if any(m["sender_id"] != user_id or m["body"].strip().lower() != body.strip().lower() for m in added):
            return ["a message has the wrong sender or text"]
        return []

    uid = params["user_id"]
    reasons = _new_messages_ok(outcome, uid, params["body"] or "", params["recipients"])
    added, removed, changed = diff_table(outcome.initial, outcome.db, "likes")
    if removed or changed or sorted((a["user_id"], a["post_id"]) for a in added) != [(uid, p) for p in params["likes"]]:
        reasons.append(f"expected likes on {params['likes']}, got {[a['post_id'] for a in added]}")
    added, removed, changed = diff_table(outcome.initial, outcome.db, "posts")
    want = params["post"]
    if removed or changed or len(added) != (1 if want else 0) or (want and (
            added[0]["author_id"] != uid or added[0]["group_id"] != want["group_id"]
            or added[0]["text"].strip().lower() != want["text"].strip().lower())):
        reasons.append("the group post is missing, wrong or extra posts changed")
    added, removed, changed = diff_table(outcome.initial, outcome.db, "memberships")
    joined = [(a["user_id"], a["group_id"]) for a in added]
    if removed or changed or joined != ([(uid, params["join"])] if params["join"] else []):
        reasons.append(f"memberships changed wrongly: {joined}")
    if other := unchanged(outcome.initial, outcome.db, ["users", "follows", "blocks", "moderation_log"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons


def verify_moderation(outcome, params):
    """Exactly the removable posts are removed (one strike each for their authors) and exactly the authors who
    reached the strike limit are suspended; nothing else changed."""
    from verifiers.state import column_deltas, diff_table, unchanged

    reasons = []
    before = {p["id"]: p for p in outcome.initial_rows("SELECT * FROM posts")}
    after = {p["id"]: p for p in outcome.rows("SELECT * FROM posts")}
    removed = sorted(i for i in after if after[i]["removed"] and not before.get(i, {"removed": 1})["removed"])
    if removed != params["removed"] or len(after) != len(before):
        reasons.append(f"expected removed posts {params['removed']}, got {removed}")
    strikes: dict[int, int] = {}
    for i in params["removed"]:
        strikes[before[i]["author_id"]] = strikes.get(before[i]["author_id"], 0) + 1
    if column_deltas(outcome.initial, outcome.db, "users", "strikes") != dict(sorted(strikes.items())):
        reasons.append("strikes do not match the removals")
    was = {u["id"]: u["status"] for u in outcome.initial_rows("SELECT id, status FROM users")}
    users = diff_table(outcome.initial, outcome.db, "users")[2]
    suspended = sorted(u["id"] for u in users if u["status"] != was[u["id"]])
    if suspended != params["suspended"]:
        reasons.append(f"expected suspensions {params['suspended']}, got {suspended}")
    log = diff_table(outcome.initial, outcome.db, "moderation_log")[0]
    if any(l["action"] == "remove_post" and l["reason"].strip().lower() != params["reason"] for l in log):
        reasons.append("a removal has the wrong reason")
    if other := unchanged(outcome.initial, outcome.db, ["follows", "blocks", "memberships", "likes", "messages",
                                                        "reports"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons


def verify_harassment(outcome, params):
    """One block (victim -> harasser) with the follows between them gone; exactly the removable posts removed
    with one strike each; the harasser suspended iff the strikes allow; the message sent iff permitted."""
    from verifiers.state import diff_table, unchanged

    reasons = []
    v, h = params["victim"], params["harasser"]
    added, removed, changed = diff_table(outcome.initial, outcome.db, "blocks")
    if [(b["blocker_id"], b["blocked_id"]) for b in added] != [(v, h)] or removed or changed:
        return False, ["the victim's block of the harasser is missing or other blocks changed"]
    added, removed, changed = diff_table(outcome.initial, outcome.db, "follows")
    if added or changed or any({f["follower_id"], f["followee_id"]} != {v, h} for f in removed):
        reasons.append("follows other than those between the two changed")
    if outcome.rows("SELECT 1 FROM follows WHERE follower_id IN (?, ?) AND followee_id IN (?, ?) AND "
                    "follower_id != followee_id", v, h, v, h):
        reasons.append("the two still follow each other")
    added, _, changed = diff_table(outcome.initial, outcome.db, "posts")
    if added or sorted(p["id"] for p in changed if p["removed"]) != params["removed"] or \
            len(changed) != len(params["removed"]):
        reasons.append(f"expected removed posts {params['removed']}, got {[p['id'] for p in changed]}")
    users = {u["id"]: u for u in diff_table(outcome.initial, outcome.db, "users")[2]}
    harasser = users.get(h)
    if set(users) - {h} or harasser is None or harasser["strikes"] != outcome.initial_rows(
            "SELECT strikes FROM users WHERE id = ?", h)[0]["strikes"] + len(params["removed"]):
        reasons.append("strikes do not match the removals")
    elif (harasser["status"] == "suspended") != params["suspend"]:
        reasons.append("the harasser should be suspended" if params["suspend"] else "the harasser was suspended")
    added, removed, changed = diff_table(outcome.initial, outcome.db, "messages")
    want = [(v, params["admin"], params["body"].lower())] if params["message"] else []
    if removed or changed or [(m["sender_id"], m["recipient_id"], m["body"].strip().lower()) for m in added] != want:
        reasons.append("the message to the admin is missing, wrong or not allowed")
    if other := unchanged(outcome.initial, outcome.db, ["memberships", "likes", "reports"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons


def verify_grow_network(outcome, params):
    """k new follows, all eligible, whose connection counts equal the best k; then one message to each of them
    the policy allows in the final state; nothing else changed."""
    from verifiers.state import diff_table, unchanged

    def _new_messages_ok(outcome, user_id, body, recipients):
        """Reasons why the new messages are not exactly one `body` from user_id to each recipient."""
        added, removed, changed = diff_table(outcome.initial, outcome.db, "messages")
        got = sorted(m["recipient_id"] for m in added)
        if removed or changed or got != sorted(recipients):
            return [f"expected messages to {sorted(recipients)}, got {got}"]
        if any(m["sender_id"] != user_id or m["body"].strip().lower() != body.strip().lower() for m in added):
            return ["a message has the wrong sender or text"]
        return []

    uid = params["user_id"]
    added, removed, changed = diff_table(outcome.initial, outcome.db, "follows")
    chosen = [a["followee_id"] for a in added if a["follower_id"] == uid]
    if removed or changed or len(added) != len(chosen) or len(chosen) != len(params["top"]):
        return False, [f"expected {len(params['top'])} new follows by the user, got {len(added)}"]
    if any(str(v) not in params["scores"] for v in chosen):
        return False, ["a followed user is not an eligible friend of a friend"]
    if sorted((params["scores"][str(v)] for v in chosen), reverse=True) != params["top"]:
        return False, ["the followed users are not the best connected ones"]
    follows = {(f["follower_id"], f["followee_id"]) for f in outcome.rows("SELECT * FROM follows")}
    users = {u["id"]: u for u in outcome.rows("SELECT * FROM users")}
    blocks = {(b["blocker_id"], b["blocked_id"]) for b in outcome.rows("SELECT * FROM blocks")}

    def can_dm(v):
        u = users[v]
        if u["status"] != "active" or (uid, v) in blocks or (v, uid) in blocks or u["dm_setting"] == "nobody":
            return False
        if u["dm_setting"] == "mutuals" or params["mutual_dms"]:
            return (uid, v) in follows and (v, uid) in follows
        return True

    reasons = _new_messages_ok(outcome, uid, params["body"], [v for v in chosen if can_dm(v)])
    if other := unchanged(outcome.initial, outcome.db, ["users", "blocks", "memberships", "posts", "likes",
                                                        "moderation_log"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons
