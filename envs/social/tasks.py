"""Task proposers, from single lookups (level 1) to multi-step moderation and outreach plans (level 5)."""

from __future__ import annotations

import random

from synth.env import Answer, Effects, Program, TaskDraft, deletes, inserts, proposer, updates

from .checks import check_users
from .solutions import (
    solve_common_groups,
    solve_dm_group_mutuals,
    solve_fof_count,
    solve_follow_back,
    solve_follower_count,
    solve_group_outreach,
    solve_grow_network,
    solve_harassment_response,
    solve_like_group_follows,
    solve_moderation_sweep,
    solve_mutual_count,
    solve_post_likes,
    solve_top_group_post,
    solve_user_city,
)
from .world import CITIES, MESSAGES, REASONS, SUSPEND_STRIKES


def _messages(sender: int, recipients: list[int], body: str) -> list[dict]:
    """The rows of one message `body` from `sender` to each recipient."""
    return [{"sender_id": sender, "recipient_id": r, "body": body} for r in recipients]


def _log(admin: int, removed: list[int], suspended: list[int], reason: str) -> list[dict]:
    """The moderation log rows of removing posts (with `reason`) and suspending users."""
    return [{"admin_id": admin, "action": "remove_post", "target_id": p, "reason": reason} for p in removed] + [
        {"admin_id": admin, "action": "suspend", "target_id": u, "reason": "strikes"} for u in suspended
    ]


class SocialTasks:
    # ---- proposer helpers -------------------------------------------------------------------------

    def _active_user(self, rng: random.Random) -> dict:
        return rng.choice(self.rows("SELECT * FROM users WHERE status = 'active'"))

    def _following_ids(self, user_id: int) -> set[int]:
        return set(self.column("SELECT followee_id FROM follows WHERE follower_id = ?", user_id))

    def _follower_ids(self, user_id: int) -> set[int]:
        return set(self.column("SELECT follower_id FROM follows WHERE followee_id = ?", user_id))

    def _member_ids(self, group_id: int) -> set[int]:
        return set(self.column("SELECT user_id FROM memberships WHERE group_id = ?", group_id))

    def _since(self, rng: random.Random) -> str:
        return self._day(-rng.choice([3, 5, 7, 10, 14, 21, 30]))

    def _removable(self, where: str = "1", *args) -> list[dict]:
        """Posts not yet removed with enough reports to be removed under this instance's rule."""
        return self.rows(
            f"SELECT p.* FROM posts p WHERE p.removed = 0 AND {where} AND (SELECT COUNT(*) FROM "
            f"reports r WHERE r.post_id = p.id) >= ? ORDER BY p.id",
            *args,
            self._rules()["report_threshold"],
        )

    # ---- lookups ----------------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_follower_count(self, rng: random.Random) -> TaskDraft | None:
        u = rng.choice(self.rows("SELECT * FROM users"))
        return TaskDraft(
            shape="follower_count",
            instruction=self.render("follower_count", rng, handle=u["handle"]),
            solution=Program.of(solve_follower_count, handle=u["handle"]),
            answer=Answer.integer(len(self._follower_ids(u["id"]))),
        )

    @proposer(difficulty=1)
    def propose_post_likes(self, rng: random.Random) -> TaskDraft | None:
        p = rng.choice(self.rows("SELECT id, (SELECT COUNT(*) FROM likes l WHERE l.post_id = p.id) AS n FROM posts p"))
        return TaskDraft(
            shape="post_likes",
            instruction=self.render("post_likes", rng, post_id=p["id"]),
            solution=Program.of(solve_post_likes, post_id=p["id"]),
            answer=Answer.integer(p["n"]),
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
            answer=Answer.entity(u["city"], candidates=CITIES),
        )

    @proposer(difficulty=2)
    def propose_mutual_count(self, rng: random.Random) -> TaskDraft | None:
        u = rng.choice(self.rows("SELECT * FROM users"))
        n = len(self._following_ids(u["id"]) & self._follower_ids(u["id"]))
        return TaskDraft(
            shape="mutual_count",
            instruction=self.render("mutual_count", rng, handle=u["handle"]),
            solution=Program.of(solve_mutual_count, handle=u["handle"]),
            answer=Answer.integer(n),
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
            answer=Answer.integer(len(fof)),
        )

    @proposer(difficulty=2, attempts=6)
    def propose_top_group_post(self, rng: random.Random) -> TaskDraft | None:
        g, since = rng.choice(self.rows("SELECT * FROM social_groups")), self._since(rng)
        posts = self.rows(
            "SELECT p.id, u.handle, (SELECT COUNT(*) FROM likes l WHERE l.post_id = p.id) AS n FROM "
            "posts p JOIN users u ON u.id = p.author_id WHERE p.group_id = ? AND p.created >= ? AND "
            "p.removed = 0 ORDER BY n DESC",
            g["id"],
            since,
        )
        if len(posts) < 2 or posts[0]["n"] == posts[1]["n"]:
            return None
        return TaskDraft(
            shape="top_group_post",
            instruction=self.render("top_group_post", rng, group=g["name"], since=since),
            solution=Program.of(solve_top_group_post, group=g["name"], since=since),
            answer=Answer.entity(posts[0]["handle"], candidates=self.column("SELECT handle FROM users")),
        )

    @proposer(difficulty=2, attempts=6)
    def propose_common_groups(self, rng: random.Random) -> TaskDraft | None:
        a, b = rng.sample(self.rows("SELECT * FROM users"), 2)
        common = self.column(
            "SELECT g.name FROM social_groups g WHERE EXISTS (SELECT 1 FROM memberships WHERE "
            "group_id = g.id AND user_id = ?) AND EXISTS (SELECT 1 FROM memberships WHERE group_id "
            "= g.id AND user_id = ?)",
            a["id"],
            b["id"],
        )
        if not common:
            return None
        return TaskDraft(
            shape="common_groups",
            instruction=self.render("common_groups", rng, a=a["handle"], b=b["handle"]),
            solution=Program.of(solve_common_groups, a=a["handle"], b=b["handle"]),
            answer=Answer.entities(common, candidates=self.column("SELECT name FROM social_groups")),
        )

    # ---- actions for a user -----------------------------------------------------------------------

    @proposer(difficulty=3, attempts=8)
    def propose_follow_back(self, rng: random.Random) -> TaskDraft | None:
        u = self._active_user(rng)
        todo = sorted(
            f
            for f in self._follower_ids(u["id"]) - self._following_ids(u["id"])
            if self._follow_refusal(u["id"], f) is None
        )
        if not todo:
            return None
        return TaskDraft(
            shape="follow_back",
            instruction=self.render("follow_back", rng, handle=u["handle"]),
            solution=Program.of(solve_follow_back, handle=u["handle"]),
            answer=Answer.none(),
            effects=Effects.on(follows=inserts(rows=[{"follower_id": u["id"], "followee_id": f} for f in todo])),
        )

    @proposer(difficulty=3, attempts=8)
    def propose_dm_group_mutuals(self, rng: random.Random) -> TaskDraft | None:
        u = self._active_user(rng)
        groups = self.rows(
            "SELECT g.* FROM social_groups g JOIN memberships m ON m.group_id = g.id WHERE m.user_id = ?", u["id"]
        ) or self.rows("SELECT * FROM social_groups")
        g, body = rng.choice(groups), rng.choice(MESSAGES)
        mutual = self._following_ids(u["id"]) & self._follower_ids(u["id"]) & self._member_ids(g["id"])
        to = sorted(v for v in mutual if self._dm_refusal(u["id"], v) is None)
        if not to:
            return None
        return TaskDraft(
            shape="dm_group_mutuals",
            instruction=self.render("dm_group_mutuals", rng, handle=u["handle"], group=g["name"], body=body),
            solution=Program.of(
                solve_dm_group_mutuals, handle=u["handle"], group=g["name"], body=body, **self._rules()
            ),
            answer=Answer.none(),
            effects=Effects.on(messages=inserts(rows=_messages(u["id"], to, body))),
        )

    @proposer(difficulty=3, attempts=8)
    def propose_like_group_follows(self, rng: random.Random) -> TaskDraft | None:
        u = self._active_user(rng)
        g, since = rng.choice(self.rows("SELECT * FROM social_groups")), self._since(rng)
        following = self._following_ids(u["id"])
        posts = self.rows(
            "SELECT id, author_id FROM posts WHERE group_id = ? AND created >= ? AND removed = 0", g["id"], since
        )
        todo = sorted(
            p["id"] for p in posts if p["author_id"] in following and self._like_refusal(u["id"], p["id"]) is None
        )
        if not todo:
            return None
        return TaskDraft(
            shape="like_group_follows",
            instruction=self.render("like_group_follows", rng, handle=u["handle"], group=g["name"], since=since),
            solution=Program.of(solve_like_group_follows, handle=u["handle"], group=g["name"], since=since),
            answer=Answer.none(),
            effects=Effects.on(likes=inserts(rows=[{"post_id": p, "user_id": u["id"]} for p in todo])),
        )

    # ---- moderation and multi-step plans ----------------------------------------------------------

    @proposer(difficulty=4, attempts=10)
    def propose_moderation_sweep(self, rng: random.Random) -> TaskDraft | None:
        g = rng.choice(self.rows("SELECT * FROM social_groups"))
        admins = self.rows(
            "SELECT u.* FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.group_id = ? AND "
            "m.role = 'admin' AND u.status = 'active'",
            g["id"],
        )
        if not admins:
            return None
        posts = self._removable("p.group_id = ?", g["id"])
        admins = [a for a in admins if a["id"] not in {p["author_id"] for p in posts}]
        if not 2 <= len(posts) <= 8 or not admins:
            return None
        users = {r["id"]: r for r in self.rows("SELECT * FROM users")}
        hits: dict[int, int] = {}
        for p in posts:
            hits[p["author_id"]] = hits.get(p["author_id"], 0) + 1
        suspend = sorted(
            a for a, n in hits.items() if users[a]["status"] == "active" and users[a]["strikes"] + n >= SUSPEND_STRIKES
        )
        if 1 + len(posts) + len(hits) + len(suspend) < 6:  # a sweep worth planning
            return None
        admin, reason = rng.choice(admins), rng.choice(REASONS)
        removed = [p["id"] for p in posts]
        after = {
            str(a): {"strikes": users[a]["strikes"] + n, "status": "suspended" if a in suspend else users[a]["status"]}
            for a, n in sorted(hits.items())
        }
        return TaskDraft(
            shape="moderation_sweep",
            instruction=self.render("moderation_sweep", rng, admin=admin["handle"], group=g["name"], reason=reason),
            solution=Program.of(
                solve_moderation_sweep, admin=admin["handle"], group=g["name"], reason=reason, **self._rules()
            ),
            answer=Answer.none(),
            effects=Effects.on(
                posts=updates("removed", keys=removed, values={"removed": 1}),
                users=updates("strikes", "status", keys=sorted(hits)),
                moderation_log=inserts(rows=_log(admin["id"], removed, suspend, reason)),
            ),
            check=Program.of(check_users, users=after),
        )

    @proposer(difficulty=4, attempts=15)
    def propose_group_outreach(self, rng: random.Random) -> TaskDraft | None:
        u, g = self._active_user(rng), rng.choice(self.rows("SELECT * FROM social_groups"))
        members = self._member_ids(g["id"])
        join = u["id"] not in members
        admins = set(self.column("SELECT user_id FROM memberships WHERE group_id = ? AND role = 'admin'", g["id"]))
        if join and g["invite_only"] and not any(u["id"] in self._following_ids(a) for a in admins):
            return None
        to = sorted(v for v in members & self._follower_ids(u["id"]) if self._dm_refusal(u["id"], v) is None)
        if not to:
            return None
        text = f"Join us for the {g['topic']} meetup on {self._day(rng.randint(3, 20))}!"
        body = rng.choice(
            [
                "Our group has a new event, see the post.",
                "New meetup announced in the group!",
                "Check the group for the upcoming event.",
            ]
        )
        effects = {
            "posts": inserts(rows=[{"author_id": u["id"], "group_id": g["id"], "text": text, "removed": 0}]),
            "messages": inserts(rows=_messages(u["id"], to, body)),
        }
        if join:
            effects["memberships"] = inserts(rows=[{"group_id": g["id"], "user_id": u["id"], "role": "member"}])
        return TaskDraft(
            shape="group_outreach",
            instruction=self.render("group_outreach", rng, handle=u["handle"], group=g["name"], text=text, body=body),
            solution=Program.of(
                solve_group_outreach, handle=u["handle"], group=g["name"], text=text, body=body, **self._rules()
            ),
            answer=Answer.none(),
            effects=Effects.on(**effects),
        )

    @proposer(difficulty=5, attempts=10)
    def propose_harassment_response(self, rng: random.Random) -> TaskDraft | None:
        posts = self._removable("p.author_id IN (SELECT id FROM users WHERE status = 'active')")
        if not posts:
            return None
        post = rng.choice(posts)
        harasser, gid = post["author_id"], post["group_id"]
        admins = self.rows(
            "SELECT u.* FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.group_id = ? AND "
            "m.role = 'admin' AND u.status = 'active' AND u.id != ?",
            gid,
            harasser,
        )
        if not admins:
            return None
        admin = rng.choice(admins)
        victim = rng.choice(
            self.rows("SELECT * FROM users WHERE status = 'active' AND id NOT IN (?, ?)", harasser, admin["id"])
        )
        if self._blocked(victim["id"], harasser):
            return None
        removed = [p["id"] for p in posts if p["author_id"] == harasser and p["group_id"] == gid]
        strikes = self.value("SELECT strikes FROM users WHERE id = ?", harasser) + len(removed)
        suspend = strikes >= SUSPEND_STRIKES
        dm = self._dm_refusal(victim["id"], admin["id"]) is None  # the block and suspension do not affect it
        body = rng.choice(
            [
                "Thanks for handling this.",
                "I have blocked them, please take a look.",
                "Reported posts are in your group.",
            ]
        )
        spec = {
            "victim": victim["handle"],
            "harasser": self.value("SELECT handle FROM users WHERE id = ?", harasser),
            "admin": admin["handle"],
            "group": self.value("SELECT name FROM social_groups WHERE id = ?", gid),
            "body": body,
        }
        between = self.column(
            "SELECT id FROM follows WHERE (follower_id = ? AND followee_id = ?) OR (follower_id = ? "
            "AND followee_id = ?)",
            victim["id"],
            harasser,
            harasser,
            victim["id"],
        )
        effects = {
            "blocks": inserts(rows=[{"blocker_id": victim["id"], "blocked_id": harasser}]),
            "posts": updates("removed", keys=removed, values={"removed": 1}),
            "users": updates(
                "strikes",
                "status",
                keys=[harasser],
                values={"strikes": strikes, "status": "suspended" if suspend else "active"},
            ),
            "moderation_log": inserts(rows=_log(admin["id"], removed, [harasser] if suspend else [], "harassment")),
        }
        if between:
            effects["follows"] = deletes(keys=between)
        if dm:
            effects["messages"] = inserts(rows=_messages(victim["id"], [admin["id"]], body))
        return TaskDraft(
            shape="harassment_response",
            instruction=self.render("harassment_response", rng, **spec),
            solution=Program.of(solve_harassment_response, **spec, **self._rules()),
            answer=Answer.none(),
            effects=Effects.on(**effects),
        )

    @proposer(difficulty=5, attempts=10)
    def propose_grow_network(self, rng: random.Random) -> TaskDraft | None:
        u = self._active_user(rng)
        following = self._following_ids(u["id"])
        if not following:
            return None
        followers = self._follower_ids(u["id"])
        fof = set().union(*[self._following_ids(f) for f in following]) - following - {u["id"]}
        city = rng.choice([None, u["city"]])
        eligible = {
            v: len(self._follower_ids(v) & following)
            for v in sorted(fof)
            if self._follow_refusal(u["id"], v) is None and (city is None or self._city(v) == city)
        }
        k = rng.randint(2, 4)
        ranked = sorted(eligible, key=lambda v: -eligible[v])
        if len(ranked) <= k or eligible[ranked[k - 1]] == eligible[ranked[k]]:
            return None  # a tie at the cut: no single set of k to follow
        chosen = sorted(ranked[:k])
        settings = {r["id"]: r["dm_setting"] for r in self.rows("SELECT id, dm_setting FROM users")}
        mutual_only = self._rules()["mutual_dms"]
        to = [
            v
            for v in chosen
            if settings[v] != "nobody" and (v in followers or (settings[v] == "everyone" and not mutual_only))
        ]
        body = rng.choice(
            [
                "Hi! Followed you, we have friends in common.",
                "Hello from a friend of a friend!",
                "Nice to connect with you.",
            ]
        )
        spec = {"handle": u["handle"], "city": city, "k": k, "body": body}
        effects = {"follows": inserts(rows=[{"follower_id": u["id"], "followee_id": v} for v in chosen])}
        if to:
            effects["messages"] = inserts(rows=_messages(u["id"], to, body))
        return TaskDraft(
            shape="grow_network",
            instruction=self.render("grow_network", rng, **spec),
            solution=Program.of(solve_grow_network, **spec, **self._rules()),
            answer=Answer.none(),
            effects=Effects.on(**effects),
        )
