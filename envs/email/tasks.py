"""Task proposers, from single lookups (level 1) to hand-overs and routing plans (level 5)."""

from __future__ import annotations

import random

from synth.env import Answer, Effects, Program, Rule, TaskDraft, inserts, proposer, updates

from .checks import check_mail
from .solutions import (
    solve_archive_old,
    solve_cleanup_before,
    solve_escalate_latest,
    solve_filter_matches,
    solve_handover,
    solve_label_count,
    solve_label_window,
    solve_reply_oldest,
    solve_route_org,
    solve_thread_sender,
    solve_top_sender,
    solve_triage_org,
    solve_unread_from_org,
    solve_vip_awaiting,
)
from .world import LABEL_LIMIT, LABELS, _day, _filter_hits


class EmailTasks:
    # ---- proposer helpers ---------------------------------------------------------------------------

    def _owner(self, rng: random.Random, managed: bool = False) -> dict:
        return rng.choice(
            self.rows("SELECT * FROM mailboxes WHERE ? = 0 OR manager_id IS NOT NULL ORDER BY id", int(managed))
        )

    def _inbox(self, box: int, extra: str = "1", *args) -> list[dict]:
        return self.rows(
            "SELECT m.*, c.org, c.vip, c.name AS sender FROM messages m JOIN folders f ON "
            "f.id = m.folder_id JOIN contacts c ON c.id = m.contact_id WHERE m.mailbox_id = ? AND "
            f"f.name = 'Inbox' AND {extra} ORDER BY m.received_at, m.id",
            box,
            *args,
        )

    def _subjects(self, box: int) -> list[str]:
        return self.column("SELECT subject FROM threads WHERE mailbox_id = ? ORDER BY id", box)

    def _can_label(self, m: dict, label: str) -> bool:
        current = self._label_names(m["id"])
        return label not in current and not (self._rules()["label_limit"] and len(current) >= LABEL_LIMIT)

    def _can_move(self, m: dict, folder: str) -> bool:
        if folder in ("Archive", "Trash") and m["priority"] == "high" and not self._replied_after(m):
            return False
        return not (folder == "Trash" and self._rules()["vip_keep"] and m["vip"])

    def _awaiting(self, thread_id: int) -> bool:
        last = self._latest(thread_id)
        return last["direction"] == "in" and last["folder"] != "Trash"

    def _new_label(self, rng: random.Random, box: int) -> tuple[str, bool]:
        """A label to apply: sometimes one the mailbox has, sometimes one to create."""
        have = set(self.column("SELECT name FROM labels WHERE mailbox_id = ?", box))
        name = rng.choice(LABELS + ["to-review", "priority-client", "q2", "escalated"])
        return name, name not in have

    def _window(self, rng: random.Random) -> tuple[str, str]:
        start = _day("2026-02-01", rng.randint(0, 60))
        return start, _day(start, rng.randint(10, 30))

    def _org_of(self, rng: random.Random, messages: list[dict], least: int = 1) -> str | None:
        counts: dict[str, int] = {}
        for m in messages:
            counts[m["org"]] = counts.get(m["org"], 0) + 1
        orgs = sorted(o for o, n in counts.items() if n >= least)
        return rng.choice(orgs) if orgs else None

    def _folder_id(self, box: int, name: str) -> int:
        return self.value("SELECT id FROM folders WHERE mailbox_id = ? AND name = ?", box, name)

    def _labelling(self, box: int, label: str, create: bool, messages: list[dict]) -> tuple[dict, list]:
        """Effects and check parameters of putting `label` on `messages` (creating it first when it is new)."""
        effects = {"message_labels": inserts(len(messages))}
        if create and messages:
            effects["labels"] = inserts(rows=[{"mailbox_id": box, "name": label}])
        return effects, [[m["id"], label] for m in messages]

    @staticmethod
    def _replies(threads: list[int]) -> list[dict]:
        return [{"thread_id": t, "direction": "out"} for t in threads]

    # ---- proposers: lookups -------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_thread_sender(self, rng: random.Random) -> TaskDraft | None:
        box = self._owner(rng)
        t = rng.choice(self.rows("SELECT id, subject FROM threads WHERE mailbox_id = ? ORDER BY id", box["id"]))
        sender = self.value(
            "SELECT c.name FROM messages m JOIN contacts c ON c.id = m.contact_id WHERE "
            "m.thread_id = ? ORDER BY m.received_at DESC, m.id DESC LIMIT 1",
            t["id"],
        )
        spec = {"owner": box["owner"], "subject": t["subject"]}
        return TaskDraft(
            shape="thread_sender",
            instruction=self.render("thread_sender", rng, **spec),
            solution=Program.of(solve_thread_sender, **spec),
            answer=Answer.entity(sender, candidates=self.column("SELECT name FROM contacts")),
            tools=("search_messages", "get_thread", "get_message", "list_mailboxes"),
        )

    @proposer(difficulty=1)
    def propose_label_count(self, rng: random.Random) -> TaskDraft | None:
        box = self._owner(rng)
        label = rng.choice(
            self.rows(
                "SELECT l.name, COUNT(ml.id) AS n FROM labels l LEFT JOIN message_labels ml ON "
                "ml.label_id = l.id WHERE l.mailbox_id = ? GROUP BY l.id ORDER BY l.id",
                box["id"],
            )
        )
        spec = {"owner": box["owner"], "label": label["name"]}
        return TaskDraft(
            shape="label_count",
            instruction=self.render("label_count", rng, **spec),
            solution=Program.of(solve_label_count, **spec),
            answer=Answer.integer(label["n"]),
            tools=("list_labels", "search_messages", "list_mailboxes"),
        )

    # ---- proposers: aggregation ---------------------------------------------------------------------

    @proposer(difficulty=2)
    def propose_unread_from_org(self, rng: random.Random) -> TaskDraft | None:
        box = self._owner(rng)
        unread = self._inbox(box["id"], "m.is_read = 0")
        if not unread:
            return None
        pick = rng.choice(unread)
        org, since = pick["org"], _day(pick["received_at"][:10], -rng.randint(0, 20))
        until = _day(since, rng.randint(7, 40))
        n = sum(1 for m in unread if m["org"] == org and since <= m["received_at"][:10] <= until)
        spec = {"owner": box["owner"], "org": org, "since": since, "until": until}
        return TaskDraft(
            shape="unread_from_org",
            instruction=self.render("unread_from_org", rng, **spec),
            solution=Program.of(solve_unread_from_org, **spec),
            answer=Answer.integer(n),
            tools=("search_messages", "get_contact", "list_mailboxes"),
        )

    @proposer(difficulty=2, attempts=3)
    def propose_top_sender(self, rng: random.Random) -> TaskDraft | None:
        box = self._owner(rng)
        since = _day("2026-02-01", rng.randint(0, 50))
        until = _day(since, rng.randint(14, 40))
        if (
            self.value(
                "SELECT COUNT(*) FROM messages WHERE mailbox_id = ? AND substr(received_at, 1, 10) BETWEEN ? AND ?",
                box["id"],
                since,
                until,
            )
            > 50
        ):
            return None  # a search over every folder would be too long to read
        counts = self.rows(
            "SELECT c.name, COUNT(*) AS n FROM messages m JOIN contacts c ON c.id = m.contact_id WHERE "
            "m.mailbox_id = ? AND substr(m.received_at, 1, 10) BETWEEN ? AND ? GROUP BY c.id "
            "ORDER BY n DESC",
            box["id"],
            since,
            until,
        )
        if not counts or (len(counts) > 1 and counts[0]["n"] == counts[1]["n"]):
            return None
        spec = {"owner": box["owner"], "since": since, "until": until}
        return TaskDraft(
            shape="top_sender",
            instruction=self.render("top_sender", rng, **spec),
            solution=Program.of(solve_top_sender, **spec),
            answer=Answer.entity(counts[0]["name"], candidates=self.column("SELECT name FROM contacts")),
            tools=("search_messages", "get_message", "list_mailboxes"),
        )

    @proposer(difficulty=2, attempts=2)
    def propose_vip_awaiting(self, rng: random.Random) -> TaskDraft | None:
        box = self._owner(rng)
        threads = sorted({m["thread_id"] for m in self._inbox(box["id"], "c.vip = 1")})
        subjects = [
            self.value("SELECT subject FROM threads WHERE id = ?", t)
            for t in threads
            if self._latest(t)["folder"] == "Inbox" and self._latest(t)["direction"] == "in"
        ]
        if not subjects:
            return None
        spec = {"owner": box["owner"]}
        return TaskDraft(
            shape="vip_awaiting",
            instruction=self.render("vip_awaiting", rng, **spec),
            solution=Program.of(solve_vip_awaiting, **spec),
            answer=Answer.entities(subjects, candidates=self._subjects(box["id"])),
            tools=("search_messages", "get_thread", "get_contact", "list_mailboxes"),
        )

    @proposer(difficulty=2)
    def propose_filter_matches(self, rng: random.Random) -> TaskDraft | None:
        if not self.has_tool("list_filters"):
            return None  # the filter's conditions are only in list_filters
        box = self._owner(rng)
        f = rng.choice(self.rows("SELECT * FROM filters WHERE mailbox_id = ? ORDER BY id", box["id"]))
        inbox = self.rows(
            "SELECT m.subject, c.address FROM messages m JOIN folders d ON d.id = m.folder_id LEFT JOIN "
            "contacts c ON c.id = m.contact_id WHERE m.mailbox_id = ? AND d.name = 'Inbox'",
            box["id"],
        )
        n = sum(1 for m in inbox if _filter_hits(f, m["address"] or "", m["subject"]))
        spec = {"owner": box["owner"], "filter": f["name"]}
        return TaskDraft(
            shape="filter_matches",
            instruction=self.render("filter_matches", rng, **spec),
            solution=Program.of(solve_filter_matches, **spec),
            answer=Answer.integer(n),
            tools=("list_filters", "search_messages", "list_mailboxes"),
        )

    # ---- proposers: constrained changes -------------------------------------------------------------

    @proposer(difficulty=3, attempts=2)
    def propose_label_window(self, rng: random.Random) -> TaskDraft | None:
        box = self._owner(rng)
        since, until = self._window(rng)
        inbox = self._inbox(box["id"], "substr(m.received_at, 1, 10) BETWEEN ? AND ?", since, until)
        org = self._org_of(rng, inbox)
        label, create = self._new_label(rng, box["id"])
        targets = [m for m in inbox if m["org"] == org and self._can_label(m, label)]
        if not targets:
            return None
        effects, labels = self._labelling(box["id"], label, create, targets)
        spec = {"owner": box["owner"], "org": org, "since": since, "until": until, "label": label}
        return TaskDraft(
            shape="label_window",
            instruction=self.render("label_window", rng, **spec),
            solution=Program.of(solve_label_window, **spec, **self._rules()),
            answer=Answer.none(),
            effects=Effects.on(**effects),
            check=Program.of(check_mail, labels=labels),
        )

    @proposer(difficulty=3, attempts=2)
    def propose_archive_old(self, rng: random.Random) -> TaskDraft | None:
        box = self._owner(rng)
        read = self._inbox(box["id"], "m.is_read = 1")
        if not read:
            return None
        before = _day(rng.choice(read[:12])["received_at"][:10], rng.randint(1, 4))
        old = [m for m in read if m["received_at"][:10] < before]
        moves = [m["id"] for m in old if self._can_move(m, "Archive")]
        if not moves or len(old) > 16:
            return None
        spec = {"owner": box["owner"], "before": before}
        return TaskDraft(
            shape="archive_old",
            instruction=self.render("archive_old", rng, **spec),
            solution=Program.of(solve_archive_old, **spec),
            answer=Answer.none(),
            effects=Effects.on(
                messages=updates("folder_id", keys=moves, values={"folder_id": self._folder_id(box["id"], "Archive")})
            ),
            tools=("search_messages", "get_thread", "get_message", "move_message", "list_folders"),
        )

    @proposer(difficulty=3, attempts=2)
    def propose_escalate_latest(self, rng: random.Random) -> TaskDraft | None:
        box = self._owner(rng, managed=True)
        high = self._rules()["escalate_high_only"] or rng.random() < 0.3
        unread = self._inbox(box["id"], "m.is_read = 0" + (" AND m.priority = 'high'" if high else ""))
        latest = {u["org"]: u for u in unread}  # oldest first, so the last one per org stays
        eligible = sorted(
            org
            for org, m in latest.items()
            if not self._escalated(m["id"])
            and not (self._rules()["escalate_high_only"] and m["priority"] != "high")
            and sum(u["org"] == org and u["received_at"] == m["received_at"] for u in unread) == 1
        )
        if not eligible:
            return None
        org = rng.choice(eligible)
        m = latest[org]
        phrase = rng.choice(
            [
                "client is waiting",
                "needs sign-off",
                "deadline this week",
                "pricing question",
                "contract risk",
                "please call them",
            ]
        )
        spec = {"owner": box["owner"], "org": org, "phrase": phrase}
        return TaskDraft(
            shape="escalate_latest",
            instruction=self.render("escalate_latest", rng, **spec, kind="high-priority " if high else ""),
            solution=Program.of(solve_escalate_latest, **spec, priority="high" if high else None),
            answer=Answer.none(),
            effects=Effects.on(escalations=inserts(rows=[{"message_id": m["id"], "to_mailbox_id": box["manager_id"]}])),
            check=Program.of(check_mail, notes=[[m["id"], phrase]]),
            tools=("search_messages", "list_mailboxes", "get_message", "escalate_message"),
        )

    @proposer(difficulty=3, attempts=2)
    def propose_reply_oldest(self, rng: random.Random) -> TaskDraft | None:
        box = self._owner(rng)
        inbox = self._inbox(box["id"])
        org = self._org_of(rng, inbox)
        waiting = sorted(
            {
                (self._latest(m["thread_id"])["received_at"], m["thread_id"])
                for m in inbox
                if m["org"] == org
                and self._awaiting(m["thread_id"])
                and self._latest(m["thread_id"])["folder"] == "Inbox"
            }
        )
        if not waiting or (len(waiting) > 1 and waiting[0][0] == waiting[1][0]):
            return None
        text = rng.choice(
            [
                "Thanks, we are on it.",
                "Received, I will reply in detail tomorrow.",
                "Thank you, confirming receipt.",
                "Noted, we will get back to you shortly.",
            ]
        )
        spec = {"owner": box["owner"], "org": org, "text": text}
        thread = waiting[0][1]
        return TaskDraft(
            shape="reply_oldest",
            instruction=self.render("reply_oldest", rng, **spec),
            solution=Program.of(solve_reply_oldest, **spec),
            answer=Answer.none(),
            effects=Effects.on(messages=inserts(rows=self._replies([thread]))),
            check=Program.of(check_mail, replies=[[thread, text]]),
            tools=("search_messages", "get_thread", "get_message", "reply_to_thread", "get_contact"),
        )

    # ---- proposers: multi-step plans ----------------------------------------------------------------

    @proposer(difficulty=4, attempts=2)
    def propose_triage_org(self, rng: random.Random) -> TaskDraft | None:
        box = self._owner(rng)
        inbox = self._inbox(box["id"])
        org = self._org_of(rng, inbox, least=2)
        mine = [m for m in inbox if m["org"] == org]
        if org is None or len(mine) > 6:
            return None
        label, create = self._new_label(rng, box["id"])
        effects, labels = self._labelling(box["id"], label, create, [m for m in mine if self._can_label(m, label)])
        threads = sorted({m["thread_id"] for m in mine if self._awaiting(m["thread_id"])})
        calls = (
            1
            + len({m["thread_id"] for m in mine})
            + len(threads)
            + sum(1 - m["is_read"] for m in mine)
            + sum(m["priority"] == "low" for m in mine)
            + len(labels)
            + (1 if labels else 0)
        )
        if calls < 6:
            return None  # too little to do for a multi-step plan
        text = rng.choice(
            [
                "Thanks, we are reviewing this now.",
                "Received; a full answer follows this week.",
                "Thank you, we will revert shortly.",
            ]
        )
        spec = {"owner": box["owner"], "org": org, "label": label, "text": text}
        return TaskDraft(
            shape="triage_org",
            instruction=self.render("triage_org", rng, **spec),
            solution=Program.of(solve_triage_org, **spec, **self._rules()),
            answer=Answer.none(),
            effects=Effects.on(
                **effects,
                messages=Rule(
                    insert=len(threads),
                    rows=self._replies(threads),
                    update=["folder_id", "is_read"],
                    keys=[m["id"] for m in mine],
                    values={"is_read": 1},
                ),
            ),
            check=Program.of(
                check_mail,
                labels=labels,
                replies=[[t, text] for t in threads],
                folders=[[m["id"], "Archive" if m["priority"] == "low" else "Inbox"] for m in mine],
            ),
        )

    @proposer(difficulty=4, attempts=2)
    def propose_cleanup_before(self, rng: random.Random) -> TaskDraft | None:
        box = self._owner(rng)
        before = _day("2026-02-20", rng.randint(0, 50))
        old = self._inbox(box["id"], "m.is_read = 1 AND substr(m.received_at, 1, 10) < ?", before)
        if len(old) < 5 or len(old) > 16:
            return None  # each message costs at least one call: five make a plan of six or more
        label, create = self._new_label(rng, box["id"])
        moves, stuck = {}, []
        for m in old:
            folder = "Trash" if m["priority"] == "low" else "Archive"
            if self._can_move(m, folder):
                moves[m["id"]] = folder
            elif self._can_label(m, label):
                stuck.append(m)
        effects, labels = self._labelling(box["id"], label, create, stuck)
        spec = {"owner": box["owner"], "before": before, "label": label}
        return TaskDraft(
            shape="cleanup_before",
            instruction=self.render("cleanup_before", rng, **spec),
            solution=Program.of(solve_cleanup_before, **spec, **self._rules()),
            answer=Answer.none(),
            effects=Effects.on(**effects, messages=updates("folder_id", keys=sorted(moves))),
            check=Program.of(check_mail, labels=labels, folders=sorted([k, v] for k, v in moves.items())),
        )

    @proposer(difficulty=5, attempts=3)
    def propose_handover(self, rng: random.Random) -> TaskDraft | None:
        box = self._owner(rng, managed=True)
        inbox = self._inbox(box["id"])
        threads = sorted(
            {
                m["thread_id"]
                for m in inbox
                if self._awaiting(m["thread_id"])
                and self._latest(m["thread_id"])["priority"] == "high"
                and self._latest(m["thread_id"])["folder"] == "Inbox"
            }
        )
        if not 2 <= len(threads) <= 4:
            return None
        text = rng.choice(
            [
                "I am away; my manager has been looped in.",
                "Out of office: your message was escalated.",
                "Thanks, a colleague will follow up while I am away.",
            ]
        )
        phrase = rng.choice(["covering while away", "owner on leave", "needs a decision", "please pick up"])
        escalate = [m["id"] for m in map(self._latest, threads) if not self._escalated(m["id"])]
        covered = [m["id"] for m in inbox if m["thread_id"] in threads]
        spec = {"owner": box["owner"], "text": text, "phrase": phrase}
        effects = {
            "messages": Rule(
                insert=len(threads),
                rows=self._replies(threads),
                update=["folder_id", "is_read"],
                keys=covered,
                values={"folder_id": self._folder_id(box["id"], "Archive"), "is_read": 1},
            )
        }
        if escalate:
            effects["escalations"] = inserts(
                rows=[{"message_id": m, "to_mailbox_id": box["manager_id"]} for m in escalate]
            )
        return TaskDraft(
            shape="handover",
            instruction=self.render("handover", rng, **spec),
            solution=Program.of(solve_handover, **spec),
            answer=Answer.none(),
            effects=Effects.on(**effects),
            check=Program.of(check_mail, replies=[[t, text] for t in threads], notes=[[m, phrase] for m in escalate]),
        )

    @proposer(difficulty=5, attempts=2)
    def propose_route_org(self, rng: random.Random) -> TaskDraft | None:
        box = self._owner(rng)
        inbox = self._inbox(box["id"])
        org = self._org_of(rng, inbox, least=3)
        if org is None:
            return None
        mine = [m for m in inbox if m["org"] == org]
        folder = rng.choice(
            self.column(
                "SELECT name FROM folders WHERE mailbox_id = ? AND name NOT IN ('Inbox', 'Sent', 'Trash') ORDER BY id",
                box["id"],
            )
        )
        label, create = self._new_label(rng, box["id"])
        moved = [m["id"] for m in mine if self._can_move(m, folder)]
        effects, labels = self._labelling(
            box["id"], label, create, [m for m in mine if m["id"] not in moved and self._can_label(m, label)]
        )
        domain = self.value("SELECT substr(address, instr(address, '@') + 1) FROM contacts WHERE org = ?", org)
        name = f"Route {org}"
        spec = {"owner": box["owner"], "org": org, "folder": folder, "label": label, "filter": name}
        return TaskDraft(
            shape="route_org",
            instruction=self.render("route_org", rng, **spec),
            solution=Program.of(solve_route_org, **spec, **self._rules()),
            answer=Answer.none(),
            effects=Effects.on(
                **effects,
                filters=inserts(
                    rows=[
                        {
                            "mailbox_id": box["id"],
                            "name": name,
                            "field": "sender_domain",
                            "value": domain,
                            "action": "move",
                            "target": folder,
                        }
                    ]
                ),
                messages=updates(
                    "folder_id",
                    "is_read",
                    keys=moved,
                    values={"folder_id": self._folder_id(box["id"], folder), "is_read": 1},
                ),
            ),
            check=Program.of(check_mail, labels=labels) if labels else None,
        )
