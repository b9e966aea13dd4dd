"""The social tools: lookups, and writes that enforce the policy."""

from __future__ import annotations

from synth.env import tool

from .world import SUSPEND_STRIKES


class SocialTools:
    # ---- rules (shared by tools and proposers) ----------------------------------------------------

    def _rules(self) -> dict:
        """The variant's extra rules as plain settings, passed to solutions and verifiers."""
        return {
            "report_threshold": 5 if "strict_reports" in self.variant.rules else 3,
            "mutual_dms": "mutual_dms" in self.variant.rules,
        }

    def _blocked(self, a: int, b: int) -> bool:
        return bool(
            self.value(
                "SELECT 1 FROM blocks WHERE (blocker_id = ? AND blocked_id = ?) OR (blocker_id = ? AND blocked_id = ?)",
                a,
                b,
                b,
                a,
            )
        )

    def _follows(self, a: int, b: int) -> bool:
        return bool(self.value("SELECT 1 FROM follows WHERE follower_id = ? AND followee_id = ?", a, b))

    def _active(self, user_id: int) -> bool:
        return self.value("SELECT status FROM users WHERE id = ?", user_id) == "active"

    def _follow_refusal(self, a: int, b: int) -> str | None:
        if a == b:
            return "users cannot follow themselves"
        if not self._active(a) or not self._active(b):
            return "suspended accounts cannot follow or be followed"
        if self._blocked(a, b):
            return "one of the two has blocked the other"
        if self._follows(a, b):
            return "already following"
        private = self.value("SELECT private FROM users WHERE id = ?", b)
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
        setting = self.value("SELECT dm_setting FROM users WHERE id = ?", b)
        if setting == "nobody":
            return "the recipient accepts messages from nobody"
        if (setting == "mutuals" or self._rules()["mutual_dms"]) and not (self._follows(a, b) and self._follows(b, a)):
            return "the two do not follow each other"
        return None

    def _like_refusal(self, user_id: int, post_id: int) -> str | None:
        post = self.rows("SELECT * FROM posts WHERE id = ?", post_id)
        if not post:
            return f"no post {post_id}; use get_group_posts"
        post = post[0]
        if post["removed"]:
            return "the post was removed"
        if not self._active(user_id):
            return "suspended accounts cannot like posts"
        if self._blocked(user_id, post["author_id"]):
            return "one of the two has blocked the other"
        if post["author_id"] == user_id:
            return "users cannot like their own posts"
        if self.value("SELECT 1 FROM likes WHERE post_id = ? AND user_id = ?", post_id, user_id):
            return "already liked"
        return None

    def _is_member(self, group_id: int, user_id: int) -> bool:
        return bool(self.value("SELECT 1 FROM memberships WHERE group_id = ? AND user_id = ?", group_id, user_id))

    def _report_count(self, post_id: int) -> int:
        return self.value("SELECT COUNT(*) FROM reports WHERE post_id = ?", post_id)

    # ---- tools ------------------------------------------------------------------------------------

    def _user(self, handle: str) -> dict:
        return self.one(
            "SELECT * FROM users WHERE lower(handle) = lower(?)",
            handle.strip().lstrip("@"),
            missing=f"unknown user {handle!r}; give a handle (search_users finds them by name)",
        )

    def _group(self, name: str) -> dict:
        return self.one(
            "SELECT * FROM social_groups WHERE lower(name) = lower(?)",
            name.strip(),
            missing=f"unknown group {name!r}; give the group's full name",
        )

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
        u["followers"] = self.value("SELECT COUNT(*) FROM follows WHERE followee_id = ?", u["id"])
        u["following"] = self.value("SELECT COUNT(*) FROM follows WHERE follower_id = ?", u["id"])
        u["blocks"] = self._handles(
            "SELECT u.handle FROM blocks b JOIN users u ON u.id = b.blocked_id "
            "WHERE b.blocker_id = ? ORDER BY u.handle",
            u["id"],
        )
        u["groups"] = [
            r["name"]
            for r in self.rows(
                "SELECT g.name FROM memberships m JOIN social_groups g ON "
                "g.id = m.group_id WHERE m.user_id = ? ORDER BY g.name",
                u["id"],
            )
        ]
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
        return self.rows(
            "SELECT handle, display_name, city FROM users WHERE display_name LIKE ? AND "
            "(? IS NULL OR lower(city) = lower(?)) ORDER BY handle",
            f"%{name or ''}%",
            city,
            city,
        )

    @tool("read")
    def get_followers(self, handle: str) -> list[str]:
        """Handles of the accounts that follow a user.

        Args:
            handle: The user's handle.
        """
        u = self._user(handle)
        return self._handles(
            "SELECT u.handle FROM follows f JOIN users u ON u.id = f.follower_id "
            "WHERE f.followee_id = ? ORDER BY u.handle",
            u["id"],
        )

    @tool("read")
    def get_following(self, handle: str) -> list[str]:
        """Handles of the accounts a user follows.

        Args:
            handle: The user's handle.
        """
        u = self._user(handle)
        return self._handles(
            "SELECT u.handle FROM follows f JOIN users u ON u.id = f.followee_id "
            "WHERE f.follower_id = ? ORDER BY u.handle",
            u["id"],
        )

    @tool("read")
    def list_groups(self, topic: str | None = None) -> list[dict]:
        """Groups with their topic, invite-only flag and member count.

        Args:
            topic: Only groups about this topic.
        """
        return self.rows(
            "SELECT g.name, g.topic, g.invite_only, COUNT(m.id) AS members FROM social_groups g "
            "LEFT JOIN memberships m ON m.group_id = g.id WHERE (? IS NULL OR g.topic = ?) "
            "GROUP BY g.id ORDER BY g.name",
            topic,
            topic,
        )

    @tool("read")
    def get_group(self, name: str) -> dict:
        """A group: topic, invite-only flag, and its members (handle and role: admin or member).

        Args:
            name: The group's full name.
        """
        g = self._group(name)
        g["invite_only"] = bool(g["invite_only"])
        g["members"] = self.rows(
            "SELECT u.handle, m.role FROM memberships m JOIN users u ON u.id = m.user_id "
            "WHERE m.group_id = ? ORDER BY u.handle",
            g.pop("id"),
        )
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
        return [
            {**p, "removed": bool(p["removed"])}
            for p in self.rows(
                "SELECT p.id, u.handle AS author, p.created, p.text, p.removed, "
                "(SELECT COUNT(*) FROM likes l WHERE l.post_id = p.id) AS likes, "
                "(SELECT COUNT(*) FROM reports r WHERE r.post_id = p.id) AS reports "
                "FROM posts p JOIN users u ON u.id = p.author_id WHERE p.group_id = ? AND p.created >= ? "
                "AND (? OR p.removed = 0) ORDER BY p.created DESC, p.id DESC",
                g["id"],
                since or "",
                int(include_removed),
            )
        ]

    @tool("read")
    def get_post(self, post_id: int) -> dict:
        """One post with its group, author, date, text, removed flag, the handles that liked it and its reports
        (reporter handle and reason).

        Args:
            post_id: Post id.
        """
        p = self.one(
            "SELECT p.id, g.name AS group_name, u.handle AS author, p.created, p.text, p.removed FROM posts p "
            "JOIN users u ON u.id = p.author_id JOIN social_groups g ON g.id = p.group_id WHERE p.id = ?",
            post_id,
            missing=f"no post {post_id}; use get_group_posts",
        )
        out = {**p, "removed": bool(p["removed"])}
        out["liked_by"] = self._handles(
            "SELECT u.handle FROM likes l JOIN users u ON u.id = l.user_id WHERE l.post_id = ? ORDER BY u.handle",
            post_id,
        )
        out["reports"] = self.rows(
            "SELECT u.handle AS reporter, r.reason FROM reports r JOIN users u ON "
            "u.id = r.reporter_id WHERE r.post_id = ? ORDER BY r.id",
            post_id,
        )
        return out

    @tool("read")
    def get_messages(self, handle: str) -> list[dict]:
        """Direct messages a user sent or received: id, sender, recipient, date and body.

        Args:
            handle: The user's handle.
        """
        u = self._user(handle)
        return self.rows(
            "SELECT m.id, s.handle AS sender, r.handle AS recipient, m.sent, m.body FROM messages m "
            "JOIN users s ON s.id = m.sender_id JOIN users r ON r.id = m.recipient_id WHERE "
            "m.sender_id = ? OR m.recipient_id = ? ORDER BY m.id",
            u["id"],
            u["id"],
        )

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
        self.db.execute(
            "INSERT INTO follows (follower_id, followee_id, created) VALUES (?, ?, ?)", (a["id"], b["id"], self._day(0))
        )
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
        self.db.execute(
            "DELETE FROM follows WHERE (follower_id = ? AND followee_id = ?) OR (follower_id = ? AND followee_id = ?)",
            (a["id"], b["id"], b["id"], a["id"]),
        )
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
        cur = self.db.execute(
            "INSERT INTO messages (sender_id, recipient_id, sent, body) VALUES (?, ?, ?, ?)",
            (a["id"], b["id"], self._day(0), body.strip()),
        )
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
        if g["invite_only"] and not self.value(
            "SELECT 1 FROM memberships m JOIN follows f ON f.follower_id = m.user_id WHERE m.group_id = ? AND "
            "m.role = 'admin' AND f.followee_id = ?",
            g["id"],
            u["id"],
        ):
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
        cur = self.db.execute(
            "INSERT INTO posts (author_id, group_id, created, text, removed) VALUES (?, ?, ?, ?, 0)",
            (u["id"], g["id"], self._day(0), text.strip()),
        )
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
        post = self.one("SELECT * FROM posts WHERE id = ?", post_id, missing=f"no post {post_id}; use get_group_posts")
        if post["removed"]:
            raise ValueError("the post is already removed")
        if not self.value(
            "SELECT 1 FROM memberships WHERE group_id = ? AND user_id = ? AND role = 'admin'", post["group_id"], a["id"]
        ):
            raise ValueError(f"{a['handle']} is not an admin of this post's group")
        need, have = self._rules()["report_threshold"], self._report_count(post_id)
        if have < need:
            raise ValueError(f"the post has {have} reports; removal needs at least {need}")
        self.db.execute("UPDATE posts SET removed = 1 WHERE id = ?", (post_id,))
        self.db.execute("UPDATE users SET strikes = strikes + 1 WHERE id = ?", (post["author_id"],))
        self.db.execute(
            "INSERT INTO moderation_log (admin_id, action, target_id, reason) VALUES (?, 'remove_post', ?, ?)",
            (a["id"], post_id, reason),
        )
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
        if not self.value("SELECT 1 FROM memberships WHERE user_id = ? AND role = 'admin'", a["id"]):
            raise ValueError(f"{a['handle']} is not a group admin")
        if u["status"] == "suspended":
            raise ValueError(f"{u['handle']} is already suspended")
        if u["strikes"] < SUSPEND_STRIKES:
            raise ValueError(f"{u['handle']} has {u['strikes']} strikes; suspension needs {SUSPEND_STRIKES}")
        self.db.execute("UPDATE users SET status = 'suspended' WHERE id = ?", (u["id"],))
        self.db.execute(
            "INSERT INTO moderation_log (admin_id, action, target_id, reason) VALUES (?, 'suspend', ?, 'strikes')",
            (a["id"], u["id"]),
        )
        return {"suspended": u["handle"]}
