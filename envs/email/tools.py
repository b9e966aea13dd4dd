"""The mail system's tools: lookups, and writes that enforce the studio's mail policy."""

from __future__ import annotations

import datetime as dt

from synth.env import tool

from .world import LABEL_LIMIT, NOW, PRIORITIES


class EmailTools:
    # ---- lookups shared by tools and proposers ------------------------------------------------------

    def _mailbox(self, who: str) -> dict:
        return self.one(
            "SELECT * FROM mailboxes WHERE lower(owner) = lower(?) OR lower(address) = lower(?)",
            who.strip(),
            who.strip(),
            missing=f"unknown mailbox {who!r}; list_mailboxes shows owners and addresses",
        )

    def _message(self, message_id: int) -> dict:
        return self.one(
            "SELECT m.*, f.name AS folder FROM messages m JOIN folders f ON f.id = m.folder_id WHERE m.id = ?",
            message_id,
            missing=f"no message {message_id}; search_messages lists message ids",
        )

    def _label_names(self, message_id: int) -> list[str]:
        return [
            r["name"]
            for r in self.rows(
                "SELECT l.name FROM message_labels ml JOIN labels l ON l.id = "
                "ml.label_id WHERE ml.message_id = ? ORDER BY l.name",
                message_id,
            )
        ]

    def _latest(self, thread_id: int) -> dict:
        return self.one(
            "SELECT m.*, f.name AS folder FROM messages m JOIN folders f ON f.id = m.folder_id WHERE "
            "m.thread_id = ? ORDER BY m.received_at DESC, m.id DESC LIMIT 1",
            thread_id,
            missing=f"thread {thread_id} has no messages",
        )

    def _replied_after(self, m: dict) -> bool:
        return (
            self.value(
                "SELECT 1 FROM messages WHERE thread_id = ? AND direction = 'out' AND received_at > ?",
                m["thread_id"],
                m["received_at"],
            )
            is not None
        )

    def _escalated(self, message_id: int) -> bool:
        return self.value("SELECT 1 FROM escalations WHERE message_id = ?", message_id) is not None

    def _summary(self, m: dict) -> dict:
        sender = self.rows("SELECT name, address FROM contacts WHERE id = ?", m["contact_id"]) or self.rows(
            "SELECT owner AS name, address FROM mailboxes WHERE id = ?", m["mailbox_id"]
        )
        return {
            "id": m["id"],
            "thread_id": m["thread_id"],
            "folder": m["folder"],
            "direction": m["direction"],
            "sender": sender[0]["name"],
            "sender_address": sender[0]["address"],
            "subject": m["subject"],
            "received_at": m["received_at"],
            "priority": m["priority"],
            "read": bool(m["is_read"]),
            "labels": self._label_names(m["id"]),
            "escalated": self._escalated(m["id"]),
        }

    def _rules(self) -> dict:
        return {
            "label_limit": LABEL_LIMIT if "label_limit" in self.variant.rules else None,
            "vip_keep": "vip_keep" in self.variant.rules,
            "escalate_high_only": "escalate_high_only" in self.variant.rules,
        }

    # ---- read tools ---------------------------------------------------------------------------------

    @tool("read")
    def list_mailboxes(self) -> list[dict]:
        """List the staff mailboxes: owner, address, team and the owner's manager."""
        return self.rows(
            "SELECT b.owner, b.address, b.team, m.owner AS manager FROM mailboxes b LEFT JOIN "
            "mailboxes m ON m.id = b.manager_id ORDER BY b.id"
        )

    @tool("read")
    def search_messages(
        self,
        mailbox: str,
        folder: str | None = None,
        sender: str | None = None,
        org: str | None = None,
        label: str | None = None,
        priority: str | None = None,
        unread_only: bool = False,
        since: str | None = None,
        until: str | None = None,
        subject_contains: str | None = None,
    ) -> list[dict]:
        """Find messages in one mailbox by any combination of filters, oldest first.

        Args:
            mailbox: Owner's full name or mailbox address.
            folder: Folder name, e.g. Inbox, Archive, Trash, Sent.
            sender: Sender's full name or address.
            org: Sender's organisation name.
            label: Label name.
            priority: high, normal or low.
            unread_only: Only unread messages.
            since: Earliest received date, YYYY-MM-DD (inclusive).
            until: Latest received date, YYYY-MM-DD (inclusive).
            subject_contains: Text the subject must contain (case-insensitive).
        """
        box = self._mailbox(mailbox)
        where, args = ["m.mailbox_id = ?"], [box["id"]]
        if folder:
            where.append("lower(f.name) = lower(?)")
            args.append(folder.strip())
        if sender:
            where.append("(lower(c.name) = lower(?) OR lower(c.address) = lower(?))")
            args += [sender.strip(), sender.strip()]
        if org:
            where.append("lower(c.org) = lower(?)")
            args.append(org.strip())
        if label:
            where.append(
                "m.id IN (SELECT ml.message_id FROM message_labels ml JOIN labels l ON l.id = ml.label_id "
                "WHERE lower(l.name) = lower(?))"
            )
            args.append(label.strip())
        if priority:
            if priority not in PRIORITIES:
                raise ValueError("priority must be high, normal or low")
            where.append("m.priority = ?")
            args.append(priority)
        if unread_only:
            where.append("m.is_read = 0")
        for value, op in ((since, ">="), (until, "<=")):
            if value:
                try:
                    dt.date.fromisoformat(value.strip())
                except ValueError:
                    raise ValueError(f"dates are YYYY-MM-DD, not {value!r}") from None
                where.append(f"substr(m.received_at, 1, 10) {op} ?")
                args.append(value.strip())
        if subject_contains:
            where.append("instr(lower(m.subject), lower(?)) > 0")
            args.append(subject_contains.strip())
        rows = self.rows(
            "SELECT m.*, f.name AS folder FROM messages m JOIN folders f ON f.id = m.folder_id LEFT JOIN "
            f"contacts c ON c.id = m.contact_id WHERE {' AND '.join(where)} "
            "ORDER BY m.received_at, m.id",
            *args,
        )
        return [self._summary(m) for m in rows]

    @tool("read")
    def get_message(self, message_id: int) -> dict:
        """One message in full: sender, folder, labels, priority, read flag, body, and whether it was escalated.

        Args:
            message_id: Message id.
        """
        m = self._message(message_id)
        to = self.value(
            "SELECT b.owner FROM escalations e JOIN mailboxes b ON b.id = e.to_mailbox_id WHERE e.message_id = ?",
            message_id,
        )
        return {**self._summary(m), "body": m["body"], "escalated_to": to}

    @tool("read")
    def get_thread(self, thread_id: int) -> dict:
        """A thread: subject, mailbox, and all its messages oldest first, with whether it awaits a reply.

        Args:
            thread_id: Thread id (see thread_id on a message).
        """
        t = self.one(
            "SELECT t.*, b.owner FROM threads t JOIN mailboxes b ON b.id = t.mailbox_id WHERE t.id = ?",
            thread_id,
            missing=f"no thread {thread_id}; messages carry their thread_id",
        )
        msgs = self.rows(
            "SELECT m.*, f.name AS folder FROM messages m JOIN folders f ON f.id = m.folder_id WHERE "
            "m.thread_id = ? ORDER BY m.received_at, m.id",
            thread_id,
        )
        return {
            "thread_id": t["id"],
            "subject": t["subject"],
            "mailbox": t["owner"],
            "awaits_reply": self._latest(thread_id)["direction"] == "in",
            "messages": [self._summary(m) for m in msgs],
        }

    @tool("read")
    def list_labels(self, mailbox: str) -> list[dict]:
        """A mailbox's labels with how many messages carry each.

        Args:
            mailbox: Owner's full name or mailbox address.
        """
        box = self._mailbox(mailbox)
        return self.rows(
            "SELECT l.name, COUNT(ml.id) AS messages FROM labels l LEFT JOIN message_labels ml ON "
            "ml.label_id = l.id WHERE l.mailbox_id = ? GROUP BY l.id ORDER BY l.name",
            box["id"],
        )

    @tool("read")
    def list_folders(self, mailbox: str) -> list[dict]:
        """A mailbox's folders with message counts.

        Args:
            mailbox: Owner's full name or mailbox address.
        """
        box = self._mailbox(mailbox)
        return self.rows(
            "SELECT f.name, COUNT(m.id) AS messages, SUM(m.is_read = 0) AS unread FROM folders f "
            "LEFT JOIN messages m ON m.folder_id = f.id WHERE f.mailbox_id = ? GROUP BY f.id "
            "ORDER BY f.id",
            box["id"],
        )

    @tool("read")
    def list_filters(self, mailbox: str) -> list[dict]:
        """A mailbox's filter rules. field is sender_domain (the sender address ends with @value) or
        subject_contains (case-insensitive); action is move (to folder target) or label (with label target).

        Args:
            mailbox: Owner's full name or mailbox address.
        """
        box = self._mailbox(mailbox)
        return self.rows(
            "SELECT name, field, value, action, target FROM filters WHERE mailbox_id = ? ORDER BY id", box["id"]
        )

    @tool("read")
    def get_contact(self, who: str) -> dict:
        """An external contact by full name or address: organisation and VIP flag.

        Args:
            who: Full name or email address.
        """
        row = self.one(
            "SELECT name, address, org, vip FROM contacts WHERE lower(name) = lower(?) OR lower(address) = lower(?)",
            who.strip(),
            who.strip(),
            missing=f"unknown contact {who!r}; senders of messages are contacts",
        )
        return {**row, "vip": bool(row["vip"])}

    @tool("read")
    def list_contacts(self, org: str | None = None, vip_only: bool = False) -> list[dict]:
        """External contacts, optionally of one organisation or only VIPs.

        Args:
            org: Organisation name.
            vip_only: Only VIP contacts.
        """
        rows = self.rows(
            "SELECT name, address, org, vip FROM contacts WHERE (? IS NULL OR lower(org) = lower(?)) "
            "AND (? = 0 OR vip = 1) ORDER BY name",
            org,
            org,
            int(vip_only),
        )
        return [{**r, "vip": bool(r["vip"])} for r in rows]

    # ---- write tools --------------------------------------------------------------------------------

    @tool("write")
    def create_label(self, mailbox: str, name: str) -> dict:
        """Create a label in a mailbox.

        Args:
            mailbox: Owner's full name or mailbox address.
            name: Label name.
        """
        box, name = self._mailbox(mailbox), name.strip().lower()
        if not name:
            raise ValueError("the label name is empty")
        if self.value("SELECT 1 FROM labels WHERE mailbox_id = ? AND name = ?", box["id"], name):
            raise ValueError(f"{box['owner']} already has a label {name!r}")
        self.db.execute("INSERT INTO labels (mailbox_id, name) VALUES (?, ?)", (box["id"], name))
        return {"mailbox": box["owner"], "label": name}

    @tool("write")
    def add_label(self, message_id: int, label: str) -> dict:
        """Put a label on a message. The label must exist in the message's mailbox.

        Args:
            message_id: Message id.
            label: Label name.
        """
        m = self._message(message_id)
        row = self.one(
            "SELECT id FROM labels WHERE mailbox_id = ? AND lower(name) = lower(?)",
            m["mailbox_id"],
            label.strip(),
            missing=f"no label {label!r} in this mailbox; create_label first",
        )
        if m["folder"] == "Trash":
            raise ValueError("messages in Trash cannot be labelled")
        current = self._label_names(m["id"])
        if label.strip().lower() in current:
            raise ValueError(f"message {m['id']} already carries {label!r}")
        if "label_limit" in self.variant.rules and len(current) >= LABEL_LIMIT:
            raise ValueError(f"message {m['id']} already has {LABEL_LIMIT} labels, the most allowed")
        self.db.execute("INSERT INTO message_labels (message_id, label_id) VALUES (?, ?)", (m["id"], row["id"]))
        return self._summary(self._message(m["id"]))

    @tool("write")
    def remove_label(self, message_id: int, label: str) -> dict:
        """Take a label off a message.

        Args:
            message_id: Message id.
            label: Label name.
        """
        m = self._message(message_id)
        cur = self.db.execute(
            "DELETE FROM message_labels WHERE message_id = ? AND label_id IN (SELECT id FROM labels "
            "WHERE lower(name) = lower(?))",
            (m["id"], label.strip()),
        )
        if not cur.rowcount:
            raise ValueError(f"message {m['id']} does not carry {label!r}")
        return self._summary(self._message(m["id"]))

    @tool("write")
    def move_message(self, message_id: int, folder: str) -> dict:
        """Move a message to another folder of its mailbox (Archive to archive, Trash to delete).

        Args:
            message_id: Message id.
            folder: Destination folder name.
        """
        m = self._message(message_id)
        row = self.one(
            "SELECT id, name FROM folders WHERE mailbox_id = ? AND lower(name) = lower(?)",
            m["mailbox_id"],
            folder.strip(),
            missing=f"no folder {folder!r} in this mailbox; list_folders shows them",
        )
        if m["direction"] == "out" or row["name"] == "Sent":
            raise ValueError("sent messages stay in Sent and nothing may be moved into Sent")
        if row["name"] in ("Archive", "Trash") and m["priority"] == "high" and not self._replied_after(m):
            raise ValueError(f"message {m['id']} is high priority and its thread has no reply after it yet")
        if (
            row["name"] == "Trash"
            and "vip_keep" in self.variant.rules
            and self.value("SELECT vip FROM contacts WHERE id = ?", m["contact_id"])
        ):
            raise ValueError("messages from VIP contacts may not be moved to Trash")
        self.db.execute("UPDATE messages SET folder_id = ? WHERE id = ?", (row["id"], m["id"]))
        return self._summary(self._message(m["id"]))

    @tool("write")
    def mark_read(self, message_id: int, read: bool = True) -> dict:
        """Mark a message read, or unread with read=false.

        Args:
            message_id: Message id.
            read: True for read, false for unread.
        """
        m = self._message(message_id)
        self.db.execute("UPDATE messages SET is_read = ? WHERE id = ?", (int(read), m["id"]))
        return self._summary(self._message(m["id"]))

    @tool("write")
    def reply_to_thread(self, thread_id: int, body: str) -> dict:
        """Send a reply from the mailbox owner to the sender of the thread's latest message; it lands in Sent.

        Args:
            thread_id: Thread id.
            body: Text of the reply.
        """
        subject = self.one(
            "SELECT subject FROM threads WHERE id = ?",
            thread_id,
            missing=f"no thread {thread_id}; messages carry their thread_id",
        )["subject"]
        if not body.strip():
            raise ValueError("the reply is empty")
        last = self._latest(thread_id)
        if last["direction"] != "in":
            raise ValueError(f"thread {thread_id} does not await a reply: its latest message was sent by the owner")
        if last["folder"] == "Trash":
            raise ValueError(f"the latest message of thread {thread_id} is in Trash; it cannot be answered")
        sent = self.value("SELECT id FROM folders WHERE mailbox_id = ? AND name = 'Sent'", last["mailbox_id"])
        mid = self.db.execute(
            "INSERT INTO messages (thread_id, mailbox_id, folder_id, contact_id, direction, subject, "
            "body, received_at, priority, is_read) VALUES (?, ?, ?, NULL, 'out', ?, ?, ?, 'normal', "
            "1)",
            (thread_id, last["mailbox_id"], sent, "Re: " + subject, body.strip(), NOW),
        ).lastrowid
        to = self.value("SELECT address FROM contacts WHERE id = ?", last["contact_id"])
        return {"message_id": mid, "thread_id": thread_id, "to": to, "sent_at": NOW}

    @tool("write")
    def escalate_message(self, message_id: int, to: str, note: str) -> dict:
        """Escalate an incoming message to a colleague with a note.

        Args:
            message_id: Message id.
            to: Full name or address of the colleague.
            note: Why it is escalated.
        """
        m, target = self._message(message_id), self._mailbox(to)
        if m["direction"] != "in":
            raise ValueError("only incoming messages can be escalated")
        manager = self.value("SELECT manager_id FROM mailboxes WHERE id = ?", m["mailbox_id"])
        if target["id"] != manager:
            raise ValueError("a message may only be escalated to its mailbox owner's manager (see list_mailboxes)")
        if self._escalated(m["id"]):
            raise ValueError(f"message {m['id']} was already escalated")
        if "escalate_high_only" in self.variant.rules and m["priority"] != "high":
            raise ValueError("only high-priority messages may be escalated")
        if not note.strip():
            raise ValueError("the note is empty")
        self.db.execute(
            "INSERT INTO escalations (message_id, to_mailbox_id, note, created_at) VALUES (?, ?, ?, ?)",
            (m["id"], target["id"], note.strip(), NOW),
        )
        return {"message_id": m["id"], "escalated_to": target["owner"], "note": note.strip()}

    @tool("write")
    def create_filter(self, mailbox: str, name: str, field: str, value: str, action: str, target: str) -> dict:
        """Add a filter rule to a mailbox (it acts on future mail only).

        Args:
            mailbox: Owner's full name or mailbox address.
            name: Filter name.
            field: sender_domain or subject_contains.
            value: The domain (e.g. oxbow.example) or the subject text.
            action: move or label.
            target: Folder name for move, label name for label; it must exist in the mailbox.
        """
        box = self._mailbox(mailbox)
        if field not in ("sender_domain", "subject_contains") or action not in ("move", "label"):
            raise ValueError("field is sender_domain or subject_contains; action is move or label")
        table = "folders" if action == "move" else "labels"
        found = self.value(
            f"SELECT name FROM {table} WHERE mailbox_id = ? AND lower(name) = lower(?)", box["id"], target.strip()
        )
        if found is None or found == "Sent":
            raise ValueError(f"no usable {table[:-1]} {target!r} in {box['owner']}'s mailbox")
        if not name.strip() or not value.strip():
            raise ValueError("name and value must not be empty")
        self.db.execute(
            "INSERT INTO filters (mailbox_id, name, field, value, action, target) VALUES (?, ?, ?, ?, ?, ?)",
            (box["id"], name.strip(), field, value.strip().lower().lstrip("@"), action, found),
        )
        return {
            "mailbox": box["owner"],
            "name": name.strip(),
            "field": field,
            "value": value.strip().lower(),
            "action": action,
            "target": found,
        }
