"""Email triage: a studio's mailboxes, contacts, folders, labels, threads of messages, filters and escalations."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool
from verifiers.common import verify_names, verify_number

TODAY = "2026-04-20"
NOW = f"{TODAY} 09:00"
COMPANY = "kestrelhollow.example"
ORGS = [("Fernhollow Logistics", "fernhollow.example"), ("Quillmark Press", "quillmark.example"),
        ("Brightmoor Savings", "brightmoor.example"), ("Cobalt Reach Labs", "cobaltreach.example"),
        ("Harrowgate Legal", "harrowgate.example"), ("Ivory Finch Travel", "ivoryfinch.example"),
        ("Lanternfly Media", "lanternfly.example"), ("Mistvale Energy", "mistvale.example"),
        ("Oxbow Supplies", "oxbow.example"), ("Pinecrest Realty", "pinecrest.example"),
        ("Saltmarsh Foods", "saltmarsh.example"), ("Thistle and Vane", "thistlevane.example")]
FIRST = ["Alder", "Briony", "Caspian", "Delphine", "Emrys", "Florian", "Greer", "Hollis", "Imogen", "Jasper",
         "Kit", "Lark", "Marnie", "Nell", "Osric", "Peregrine", "Quinlan", "Rosalind", "Silas", "Tamsin", "Umber",
         "Verity", "Wilder", "Yara", "Zephyr"]
LAST = ["Ashcombe", "Blackthorn", "Cresswell", "Dunstable", "Elmsworth", "Fenwick", "Gildersleeve", "Hartwell",
        "Inchbald", "Kingsley", "Lockwood", "Marchbank", "Nightingale", "Ormsby", "Penhallow", "Rookwood",
        "Stanmore", "Thornbury", "Underhill", "Wetherby"]
TEAMS = ["Sales", "Design", "Operations", "Finance"]
TOPICS = ["Contract renewal", "Shipment delay", "Site visit", "Budget review", "Press release draft",
          "Onboarding checklist", "Vendor quote", "Kickoff meeting", "Payment reminder", "Catalogue proofs",
          "Office lease", "Training session", "Audit request", "Sample order", "Price update", "Invoice query",
          "Event booking", "Brand guidelines", "Data export", "Insurance renewal"]
LABELS = ["urgent", "invoices", "follow-up", "clients", "legal", "hiring", "newsletter", "waiting", "travel",
          "reports"]
CUSTOM_FOLDERS = ["Projects", "Receipts", "Vendors", "Travel", "Reference"]
PRIORITIES = ["high", "normal", "low"]
LABEL_LIMIT = 3

SCHEMA = """
CREATE TABLE mailboxes (id INTEGER PRIMARY KEY, owner TEXT UNIQUE, address TEXT UNIQUE, team TEXT,
    manager_id INTEGER REFERENCES mailboxes(id));
CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT, address TEXT UNIQUE, org TEXT, vip INTEGER);
CREATE TABLE folders (id INTEGER PRIMARY KEY, mailbox_id INTEGER REFERENCES mailboxes(id), name TEXT,
    UNIQUE (mailbox_id, name));
CREATE TABLE labels (id INTEGER PRIMARY KEY, mailbox_id INTEGER REFERENCES mailboxes(id), name TEXT,
    UNIQUE (mailbox_id, name));
CREATE TABLE threads (id INTEGER PRIMARY KEY, mailbox_id INTEGER REFERENCES mailboxes(id), subject TEXT);
CREATE TABLE messages (id INTEGER PRIMARY KEY, thread_id INTEGER REFERENCES threads(id),
    mailbox_id INTEGER REFERENCES mailboxes(id), folder_id INTEGER REFERENCES folders(id),
    contact_id INTEGER REFERENCES contacts(id), direction TEXT, subject TEXT, body TEXT, received_at TEXT,
    priority TEXT, is_read INTEGER);
CREATE TABLE message_labels (id INTEGER PRIMARY KEY, message_id INTEGER REFERENCES messages(id),
    label_id INTEGER REFERENCES labels(id), UNIQUE (message_id, label_id));
CREATE TABLE filters (id INTEGER PRIMARY KEY, mailbox_id INTEGER REFERENCES mailboxes(id), name TEXT,
    field TEXT, value TEXT, action TEXT, target TEXT);
CREATE TABLE escalations (id INTEGER PRIMARY KEY, message_id INTEGER REFERENCES messages(id),
    to_mailbox_id INTEGER REFERENCES mailboxes(id), note TEXT, created_at TEXT);
"""


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def _day(start: str, days: int) -> str:
    return (dt.date.fromisoformat(start) + dt.timedelta(days=days)).isoformat()


class EmailEnv(EnvTemplate):
    name = "email"
    version = "1.0.0"
    category = "email triage"
    description = ("The shared email system of Kestrel Hollow Studio: staff mailboxes with folders (Inbox, Archive, "
                   "Trash, Sent and custom ones), labels, threads of incoming and sent messages with priorities, "
                   "read flags and dates, external contacts (some VIP), filter rules and escalations to managers. "
                   "Look up mail, then label, move, reply to and escalate it.")
    policy = (
        f"Today is {TODAY}; it is {NOW}. A thread awaits a reply when its latest message is incoming. Replies may "
        "only be sent to threads that await a reply and whose latest message is not in Trash; a reply goes to the "
        "sender of that latest message. A high-priority incoming message may be moved to Archive or Trash only when "
        "its thread holds a reply sent after it. Sent messages stay in Sent and nothing may be moved into Sent. "
        "Labels must exist in the mailbox before use (create them if needed); messages in Trash cannot be labelled. "
        "An incoming message may be escalated only to its mailbox owner's manager, and only once. Change only what "
        "the user asked for.")
    variants = VariantSpace(
        optional_tools=("list_filters", "list_contacts", "remove_label"),
        renames={"search_messages": ("find_messages", "query_mail"), "move_message": ("file_message",),
                 "add_label": ("tag_message", "apply_label")},
        rules={"label_limit": f"A message may carry at most {LABEL_LIMIT} labels.",
               "vip_keep": "Messages from VIP contacts may never be moved to Trash.",
               "escalate_high_only": "Only high-priority messages may be escalated."},
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "thread_sender": [
            "Who sent the latest incoming message in the thread '{{subject}}' in {{owner}}'s mailbox?",
            "In {{owner}}'s mail, which contact wrote most recently on '{{subject}}'?",
            "Tell me who last wrote to {{owner}} in the thread titled '{{subject}}'.",
        ],
        "label_count": [
            "How many messages in {{owner}}'s mailbox carry the label '{{label}}'?",
            "Count the messages labelled '{{label}}' in {{owner}}'s mailbox.",
        ],
        "unread_from_org": [
            "How many unread messages from {{org}} are sitting in {{owner}}'s Inbox, received between {{since}} and "
            "{{until}}?",
            "Between {{since}} and {{until}}, how many messages from {{org}} did {{owner}} receive that are still "
            "unread in the Inbox?",
        ],
        "top_sender": [
            "Which contact sent {{owner}} the most messages between {{since}} and {{until}} (any folder)?",
            "Across all folders, who wrote to {{owner}} most often from {{since}} to {{until}}?",
        ],
        "vip_awaiting": [
            "Which threads in {{owner}}'s Inbox from VIP contacts still await a reply? Give their subjects.",
            "List the subjects of the threads where a VIP contact is waiting on {{owner}}: the latest message is "
            "theirs and it sits in the Inbox.",
        ],
        "filter_matches": [
            "How many messages now in {{owner}}'s Inbox would the filter '{{filter}}' act on?",
            "Count the Inbox messages of {{owner}} that match the conditions of their '{{filter}}' filter.",
        ],
        "label_window": [
            "Label every message in {{owner}}'s Inbox from {{org}} received between {{since}} and {{until}} with "
            "'{{label}}', leaving out any the policy does not allow.",
            "Tag {{owner}}'s Inbox mail from {{org}} dated {{since}} to {{until}} as '{{label}}' (create the label "
            "if needed), skipping messages where the policy forbids it.",
        ],
        "archive_old": [
            "Archive every read message in {{owner}}'s Inbox received before {{before}}, leaving in place any the "
            "policy does not let you move.",
            "Move all of {{owner}}'s already-read Inbox messages from before {{before}} to Archive, except those "
            "the policy keeps in the Inbox.",
        ],
        "escalate_latest": [
            "Escalate the most recent unread {{kind}}Inbox message from {{org}} in {{owner}}'s mailbox to the right person, "
            "with a note that mentions '{{phrase}}'.",
            "The newest unread {{kind}}message {{owner}} has from {{org}} in the Inbox needs escalating: send it to whoever "
            "the policy says, noting '{{phrase}}'.",
        ],
        "reply_oldest": [
            "Reply '{{text}}' to the oldest thread in {{owner}}'s Inbox from {{org}} that still awaits a reply.",
            "In {{owner}}'s Inbox, find the longest-waiting {{org}} thread without an answer and reply to it with "
            "'{{text}}'.",
        ],
        "triage_org": [
            "Triage {{owner}}'s Inbox messages from {{org}}: mark each read and label it '{{label}}' where "
            "the policy allows; reply '{{text}}' once to each of their threads that awaits a reply; then archive "
            "the low-priority ones.",
            "For every message from {{org}} in {{owner}}'s Inbox: mark it read, give it the '{{label}}' label "
            "(unless the policy forbids it), and archive it if it is low priority. Each of their threads still "
            "awaiting a reply gets exactly one reply saying '{{text}}'.",
        ],
        "cleanup_before": [
            "Clean up {{owner}}'s Inbox up to {{before}}: every read message received before that date goes to "
            "Trash if it is low priority and to Archive otherwise. Any that the policy keeps from moving stays put "
            "and gets the label '{{label}}' instead, where labelling is allowed.",
            "Tidy {{owner}}'s Inbox: read messages from before {{before}} are trashed when low priority and "
            "archived otherwise; those the policy will not let you move remain in the Inbox labelled '{{label}}' "
            "(if the policy allows the label).",
        ],
        "handover": [
            "{{owner}} is away. For every thread in their Inbox that awaits a reply and whose latest message is "
            "high priority: reply '{{text}}', escalate that latest message to the right person with a note "
            "mentioning '{{phrase}}' unless it was escalated before, mark the thread's Inbox messages read and "
            "archive them.",
            "Cover for {{owner}}: each Inbox thread whose latest, unanswered message is high priority gets a reply "
            "'{{text}}'; its latest message is escalated as the policy prescribes (note: '{{phrase}}'), unless "
            "already escalated; then all of that thread's Inbox messages are marked read and archived.",
        ],
        "route_org": [
            "Set up routing for {{org}} in {{owner}}'s mailbox: create a filter named '{{filter}}' that moves mail "
            "from their domain to '{{folder}}'. Then apply it by hand to the Inbox: move each message from that "
            "domain to '{{folder}}' and mark it read; any the policy keeps from moving stays, gets the label "
            "'{{label}}' where allowed, and is left unread.",
            "Route {{org}} mail for {{owner}}: add a filter '{{filter}}' (sender domain, move to '{{folder}}'), and "
            "do the same for the mail already in the Inbox, marking each moved message read. Messages the policy "
            "does not let you move stay unread in the Inbox with the label '{{label}}' (where the policy allows).",
        ],
    }

    # ---- database ---------------------------------------------------------------------------------

    def build(self, rng: random.Random) -> None:
        self.db.executescript(SCHEMA)
        n_members, n_threads = {"small": (4, (26, 30)), "medium": (6, (26, 32)),
                                "large": (8, (30, 36))}[self.variant.scale]
        names = iter(rng.sample([f"{f} {la}" for f in FIRST for la in LAST], 120))
        self._add_mailbox(next(names), "Leadership", None)
        teams = rng.sample(TEAMS, 2 if n_members <= 4 else 3)
        leads = {t: self._add_mailbox(next(names), t, 1) for t in teams}
        for i in range(n_members - len(teams)):
            team = teams[i % len(teams)]
            self._add_mailbox(next(names), team, leads[team])
        for org, domain in rng.sample(ORGS, rng.randint(8, 10)):
            for _ in range(rng.randint(3, 5)):
                name = next(names)
                self.db.execute("INSERT INTO contacts (name, address, org, vip) VALUES (?, ?, ?, ?)",
                                (name, name.lower().replace(" ", ".") + "@" + domain, org, int(rng.random() < 0.25)))
        contacts = [r["id"] for r in self.rows("SELECT id FROM contacts ORDER BY id")]
        for box in self.rows("SELECT id FROM mailboxes ORDER BY id"):
            self._build_mailbox(rng, box["id"], contacts, rng.randint(*n_threads))

    def _add_mailbox(self, owner: str, team: str, manager: int | None) -> int:
        address = owner.lower().replace(" ", ".") + "@" + COMPANY
        return self.db.execute("INSERT INTO mailboxes (owner, address, team, manager_id) VALUES (?, ?, ?, ?)",
                               (owner, address, team, manager)).lastrowid

    def _build_mailbox(self, rng: random.Random, box: int, contacts: list[int], n_threads: int) -> None:
        folders = {}
        for name in ["Inbox", "Archive", "Trash", "Sent", *rng.sample(CUSTOM_FOLDERS, rng.randint(1, 2))]:
            folders[name] = self.db.execute("INSERT INTO folders (mailbox_id, name) VALUES (?, ?)",
                                            (box, name)).lastrowid
        labels = {name: self.db.execute("INSERT INTO labels (mailbox_id, name) VALUES (?, ?)", (box, name)).lastrowid
                  for name in rng.sample(LABELS, rng.randint(4, 6))}
        custom = [f for f in folders if f not in ("Inbox", "Archive", "Trash", "Sent")]
        regulars = rng.sample(contacts, 10)  # a mailbox hears from some contacts far more than from others
        refs = rng.sample(range(100, 1000), n_threads)
        for ref in refs:
            subject = f"{rng.choice(TOPICS)} - ref {ref}"
            thread = self.db.execute("INSERT INTO threads (mailbox_id, subject) VALUES (?, ?)",
                                     (box, subject)).lastrowid
            contact = rng.choice(regulars) if rng.random() < 0.7 else rng.choice(contacts)
            where = rng.choices(["Inbox", "Archive", "Trash", "custom"], [12, 5, 1, 2])[0]
            folder = folders[rng.choice(custom)] if where == "custom" else folders[where]
            priority = rng.choices(PRIORITIES, [2, 5, 2])[0]
            moment = dt.datetime(2026, 2, 1, 8) + dt.timedelta(minutes=rng.randint(0, 76 * 24 * 60))
            n = rng.choice([1, 1, 2, 2, 3, 4])
            for k in range(n):
                if moment >= dt.datetime(2026, 4, 20, 8):
                    break
                incoming = k % 2 == 0
                read = 1 if not incoming or k < n - 1 or moment < dt.datetime(2026, 3, 10) else int(rng.random() < 0.5)
                mid = self.db.execute(
                    "INSERT INTO messages (thread_id, mailbox_id, folder_id, contact_id, direction, subject, body, "
                    "received_at, priority, is_read) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (thread, box, folder if incoming else folders["Sent"], contact if incoming else None,
                     "in" if incoming else "out", subject if k == 0 else "Re: " + subject,
                     rng.choice(["Please see the details below.", "Could you confirm by Friday?",
                                 "Attached is the latest version.", "Following up on this.", "Thanks, noted."]),
                     _stamp(moment), priority if incoming else "normal", read)).lastrowid
                if incoming:
                    for label in rng.sample(sorted(labels), rng.choice([0, 0, 1, 1, 2, 3])):
                        self.db.execute("INSERT INTO message_labels (message_id, label_id) VALUES (?, ?)",
                                        (mid, labels[label]))
                    if priority == "high" and rng.random() < 0.15:
                        manager = self.db.execute("SELECT manager_id FROM mailboxes WHERE id = ?", (box,)).fetchone()
                        if manager[0]:
                            self.db.execute("INSERT INTO escalations (message_id, to_mailbox_id, note, created_at) "
                                            "VALUES (?, ?, ?, ?)", (mid, manager[0], "Please advise.",
                                                                    _stamp(moment + dt.timedelta(hours=2))))
                moment += dt.timedelta(hours=rng.randint(2, 90))
        orgs = self.rows("SELECT DISTINCT c.org, substr(c.address, instr(c.address, '@') + 1) AS domain FROM messages m "
                         "JOIN contacts c ON c.id = m.contact_id WHERE m.mailbox_id = ? ORDER BY c.org", box)
        for i, org in enumerate(rng.sample(orgs, 2)):
            if i == 0:
                spec = (f"{org['org']} to {custom[0]}", "sender_domain", org["domain"], "move", custom[0])
            else:
                spec = (f"Tag {org['org']}", "sender_domain", org["domain"], "label", rng.choice(sorted(labels)))
            self.db.execute("INSERT INTO filters (mailbox_id, name, field, value, action, target) VALUES "
                            "(?, ?, ?, ?, ?, ?)", (box, *spec))
        word = rng.choice(TOPICS).split()[0]
        self.db.execute("INSERT INTO filters (mailbox_id, name, field, value, action, target) VALUES "
                        "(?, ?, ?, ?, ?, ?)", (box, f"{word} mail", "subject_contains", word.lower(), "label",
                                               rng.choice(sorted(labels))))

    # ---- lookups shared by tools and proposers ------------------------------------------------------

    def _mailbox(self, who: str) -> dict:
        row = self.db.execute("SELECT * FROM mailboxes WHERE lower(owner) = lower(?) OR lower(address) = lower(?)",
                              (who.strip(), who.strip())).fetchone()
        if row is None:
            raise ValueError(f"unknown mailbox {who!r}; list_mailboxes shows owners and addresses")
        return dict(row)

    def _message(self, message_id: int) -> dict:
        row = self.db.execute("SELECT m.*, f.name AS folder FROM messages m JOIN folders f ON f.id = m.folder_id "
                              "WHERE m.id = ?", (message_id,)).fetchone()
        if row is None:
            raise ValueError(f"no message {message_id}; search_messages lists message ids")
        return dict(row)

    def _label_names(self, message_id: int) -> list[str]:
        return [r["name"] for r in self.rows("SELECT l.name FROM message_labels ml JOIN labels l ON l.id = "
                                             "ml.label_id WHERE ml.message_id = ? ORDER BY l.name", message_id)]

    def _latest(self, thread_id: int) -> dict:
        return dict(self.db.execute("SELECT m.*, f.name AS folder FROM messages m JOIN folders f ON f.id = "
                                    "m.folder_id WHERE m.thread_id = ? ORDER BY m.received_at DESC, m.id DESC "
                                    "LIMIT 1", (thread_id,)).fetchone())

    def _replied_after(self, m: dict) -> bool:
        return self.db.execute("SELECT 1 FROM messages WHERE thread_id = ? AND direction = 'out' AND "
                               "received_at > ?", (m["thread_id"], m["received_at"])).fetchone() is not None

    def _summary(self, m: dict) -> dict:
        c = self.db.execute("SELECT name, address FROM contacts WHERE id = ?", (m["contact_id"],)).fetchone()
        sender = (c["name"], c["address"]) if c else tuple(self.db.execute(
            "SELECT owner, address FROM mailboxes WHERE id = ?", (m["mailbox_id"],)).fetchone())
        return {"id": m["id"], "thread_id": m["thread_id"], "folder": m["folder"], "direction": m["direction"],
                "sender": sender[0], "sender_address": sender[1], "subject": m["subject"],
                "received_at": m["received_at"], "priority": m["priority"], "read": bool(m["is_read"]),
                "labels": self._label_names(m["id"]),
                "escalated": self.db.execute("SELECT 1 FROM escalations WHERE message_id = ?",
                                             (m["id"],)).fetchone() is not None}

    def _rules(self) -> dict:
        return {"label_limit": LABEL_LIMIT if "label_limit" in self.variant.rules else None,
                "vip_keep": "vip_keep" in self.variant.rules,
                "escalate_high_only": "escalate_high_only" in self.variant.rules}

    # ---- read tools ---------------------------------------------------------------------------------

    @tool("read")
    def list_mailboxes(self) -> list[dict]:
        """List the staff mailboxes: owner, address, team and the owner's manager."""
        return self.rows("SELECT b.owner, b.address, b.team, m.owner AS manager FROM mailboxes b LEFT JOIN "
                         "mailboxes m ON m.id = b.manager_id ORDER BY b.id")

    @tool("read")
    def search_messages(self, mailbox: str, folder: str | None = None, sender: str | None = None,
                        org: str | None = None, label: str | None = None, priority: str | None = None,
                        unread_only: bool = False, since: str | None = None, until: str | None = None,
                        subject_contains: str | None = None) -> list[dict]:
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
            where.append("m.id IN (SELECT ml.message_id FROM message_labels ml JOIN labels l ON l.id = ml.label_id "
                         "WHERE lower(l.name) = lower(?))")
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
        rows = self.rows("SELECT m.*, f.name AS folder FROM messages m JOIN folders f ON f.id = m.folder_id LEFT JOIN "
                         f"contacts c ON c.id = m.contact_id WHERE {' AND '.join(where)} "
                         "ORDER BY m.received_at, m.id", *args)
        return [self._summary(m) for m in rows]

    @tool("read")
    def get_message(self, message_id: int) -> dict:
        """One message in full: sender, folder, labels, priority, read flag, body, and whether it was escalated.

        Args:
            message_id: Message id.
        """
        m = self._message(message_id)
        esc = self.db.execute("SELECT b.owner FROM escalations e JOIN mailboxes b ON b.id = e.to_mailbox_id WHERE "
                              "e.message_id = ?", (message_id,)).fetchone()
        return {**self._summary(m), "body": m["body"], "escalated_to": esc[0] if esc else None}

    @tool("read")
    def get_thread(self, thread_id: int) -> dict:
        """A thread: subject, mailbox, and all its messages oldest first, with whether it awaits a reply.

        Args:
            thread_id: Thread id (see thread_id on a message).
        """
        t = self.db.execute("SELECT * FROM threads WHERE id = ?", (thread_id,)).fetchone()
        if t is None:
            raise ValueError(f"no thread {thread_id}; messages carry their thread_id")
        msgs = self.rows("SELECT m.*, f.name AS folder FROM messages m JOIN folders f ON f.id = m.folder_id WHERE "
                         "m.thread_id = ? ORDER BY m.received_at, m.id", thread_id)
        owner = self.db.execute("SELECT owner FROM mailboxes WHERE id = ?", (t["mailbox_id"],)).fetchone()[0]
        return {"thread_id": t["id"], "subject": t["subject"], "mailbox": owner,
                "awaits_reply": self._latest(thread_id)["direction"] == "in",
                "messages": [self._summary(m) for m in msgs]}

    @tool("read")
    def list_labels(self, mailbox: str) -> list[dict]:
        """A mailbox's labels with how many messages carry each.

        Args:
            mailbox: Owner's full name or mailbox address.
        """
        box = self._mailbox(mailbox)
        return self.rows("SELECT l.name, COUNT(ml.id) AS messages FROM labels l LEFT JOIN message_labels ml ON "
                         "ml.label_id = l.id WHERE l.mailbox_id = ? GROUP BY l.id ORDER BY l.name", box["id"])

    @tool("read")
    def list_folders(self, mailbox: str) -> list[dict]:
        """A mailbox's folders with message counts.

        Args:
            mailbox: Owner's full name or mailbox address.
        """
        box = self._mailbox(mailbox)
        return self.rows("SELECT f.name, COUNT(m.id) AS messages, SUM(m.is_read = 0) AS unread FROM folders f "
                         "LEFT JOIN messages m ON m.folder_id = f.id WHERE f.mailbox_id = ? GROUP BY f.id "
                         "ORDER BY f.id", box["id"])

    @tool("read")
    def list_filters(self, mailbox: str) -> list[dict]:
        """A mailbox's filter rules. field is sender_domain (the sender address ends with @value) or
        subject_contains (case-insensitive); action is move (to folder target) or label (with label target).

        Args:
            mailbox: Owner's full name or mailbox address.
        """
        box = self._mailbox(mailbox)
        return self.rows("SELECT name, field, value, action, target FROM filters WHERE mailbox_id = ? ORDER BY id",
                         box["id"])

    @tool("read")
    def get_contact(self, who: str) -> dict:
        """An external contact by full name or address: organisation and VIP flag.

        Args:
            who: Full name or email address.
        """
        row = self.db.execute("SELECT name, address, org, vip FROM contacts WHERE lower(name) = lower(?) OR "
                              "lower(address) = lower(?)", (who.strip(), who.strip())).fetchone()
        if row is None:
            raise ValueError(f"unknown contact {who!r}; senders of messages are contacts")
        return {**dict(row), "vip": bool(row["vip"])}

    @tool("read")
    def list_contacts(self, org: str | None = None, vip_only: bool = False) -> list[dict]:
        """External contacts, optionally of one organisation or only VIPs.

        Args:
            org: Organisation name.
            vip_only: Only VIP contacts.
        """
        rows = self.rows("SELECT name, address, org, vip FROM contacts WHERE (? IS NULL OR lower(org) = lower(?)) "
                         "AND (? = 0 OR vip = 1) ORDER BY name", org, org, int(vip_only))
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
        if self.db.execute("SELECT 1 FROM labels WHERE mailbox_id = ? AND name = ?", (box["id"], name)).fetchone():
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
        row = self.db.execute("SELECT id FROM labels WHERE mailbox_id = ? AND lower(name) = lower(?)",
                              (m["mailbox_id"], label.strip())).fetchone()
        if row is None:
            raise ValueError(f"no label {label!r} in this mailbox; create_label first")
        if m["folder"] == "Trash":
            raise ValueError("messages in Trash cannot be labelled")
        current = self._label_names(m["id"])
        if label.strip().lower() in current:
            raise ValueError(f"message {m['id']} already carries {label!r}")
        if "label_limit" in self.variant.rules and len(current) >= LABEL_LIMIT:
            raise ValueError(f"message {m['id']} already has {LABEL_LIMIT} labels, the most allowed")
        self.db.execute("INSERT INTO message_labels (message_id, label_id) VALUES (?, ?)", (m["id"], row[0]))
        return self._summary(self._message(m["id"]))

    @tool("write")
    def remove_label(self, message_id: int, label: str) -> dict:
        """Take a label off a message.

        Args:
            message_id: Message id.
            label: Label name.
        """
        m = self._message(message_id)
        cur = self.db.execute("DELETE FROM message_labels WHERE message_id = ? AND label_id IN (SELECT id FROM labels "
                              "WHERE lower(name) = lower(?))", (m["id"], label.strip()))
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
        row = self.db.execute("SELECT id, name FROM folders WHERE mailbox_id = ? AND lower(name) = lower(?)",
                              (m["mailbox_id"], folder.strip())).fetchone()
        if row is None:
            raise ValueError(f"no folder {folder!r} in this mailbox; list_folders shows them")
        if m["direction"] == "out" or row["name"] == "Sent":
            raise ValueError("sent messages stay in Sent and nothing may be moved into Sent")
        if row["name"] in ("Archive", "Trash") and m["priority"] == "high" and not self._replied_after(m):
            raise ValueError(f"message {m['id']} is high priority and its thread has no reply after it yet")
        if row["name"] == "Trash" and "vip_keep" in self.variant.rules and self.db.execute(
                "SELECT vip FROM contacts WHERE id = ?", (m["contact_id"],)).fetchone()[0]:
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
        if not self.db.execute("SELECT 1 FROM threads WHERE id = ?", (thread_id,)).fetchone():
            raise ValueError(f"no thread {thread_id}")
        if not body.strip():
            raise ValueError("the reply is empty")
        last = self._latest(thread_id)
        if last["direction"] != "in":
            raise ValueError(f"thread {thread_id} does not await a reply: its latest message was sent by the owner")
        if last["folder"] == "Trash":
            raise ValueError(f"the latest message of thread {thread_id} is in Trash; it cannot be answered")
        sent = self.db.execute("SELECT id FROM folders WHERE mailbox_id = ? AND name = 'Sent'",
                               (last["mailbox_id"],)).fetchone()[0]
        subject = self.db.execute("SELECT subject FROM threads WHERE id = ?", (thread_id,)).fetchone()[0]
        mid = self.db.execute("INSERT INTO messages (thread_id, mailbox_id, folder_id, contact_id, direction, subject, "
                              "body, received_at, priority, is_read) VALUES (?, ?, ?, NULL, 'out', ?, ?, ?, 'normal', "
                              "1)", (thread_id, last["mailbox_id"], sent, "Re: " + subject, body.strip(),
                                     NOW)).lastrowid
        to = self.db.execute("SELECT address FROM contacts WHERE id = ?", (last["contact_id"],)).fetchone()[0]
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
        manager = self.db.execute("SELECT manager_id FROM mailboxes WHERE id = ?", (m["mailbox_id"],)).fetchone()[0]
        if target["id"] != manager:
            raise ValueError("a message may only be escalated to its mailbox owner's manager (see list_mailboxes)")
        if self.db.execute("SELECT 1 FROM escalations WHERE message_id = ?", (m["id"],)).fetchone():
            raise ValueError(f"message {m['id']} was already escalated")
        if "escalate_high_only" in self.variant.rules and m["priority"] != "high":
            raise ValueError("only high-priority messages may be escalated")
        if not note.strip():
            raise ValueError("the note is empty")
        self.db.execute("INSERT INTO escalations (message_id, to_mailbox_id, note, created_at) VALUES (?, ?, ?, ?)",
                        (m["id"], target["id"], note.strip(), NOW))
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
        row = self.db.execute(f"SELECT name FROM {table} WHERE mailbox_id = ? AND lower(name) = lower(?)",
                              (box["id"], target.strip())).fetchone()
        if row is None or row[0] in ("Sent",):
            raise ValueError(f"no usable {table[:-1]} {target!r} in {box['owner']}'s mailbox")
        if not name.strip() or not value.strip():
            raise ValueError("name and value must not be empty")
        self.db.execute("INSERT INTO filters (mailbox_id, name, field, value, action, target) VALUES (?, ?, ?, ?, ?, ?)",
                        (box["id"], name.strip(), field, value.strip().lower().lstrip("@"), action, row[0]))
        return {"mailbox": box["owner"], "name": name.strip(), "field": field, "value": value.strip().lower(),
                "action": action, "target": row[0]}

    # ---- proposer helpers ---------------------------------------------------------------------------

    def _owner(self, rng: random.Random, managed: bool = False) -> dict:
        return rng.choice(self.rows("SELECT * FROM mailboxes WHERE ? = 0 OR manager_id IS NOT NULL ORDER BY id",
                                    int(managed)))

    def _inbox(self, box: int, extra: str = "1", *args) -> list[dict]:
        return self.rows("SELECT m.*, c.org, c.vip, c.name AS sender FROM messages m JOIN folders f ON "
                         "f.id = m.folder_id JOIN contacts c ON c.id = m.contact_id WHERE m.mailbox_id = ? AND "
                         f"f.name = 'Inbox' AND {extra} ORDER BY m.received_at, m.id", box, *args)

    def _subjects(self, box: int) -> list[str]:
        return [r["subject"] for r in self.rows("SELECT subject FROM threads WHERE mailbox_id = ? ORDER BY id", box)]

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
        have = {r["name"] for r in self.rows("SELECT name FROM labels WHERE mailbox_id = ?", box)}
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

    # ---- proposers: lookups -------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_thread_sender(self, rng: random.Random) -> TaskDraft | None:
        box = self._owner(rng)
        t = rng.choice(self.rows("SELECT t.id, t.subject FROM threads t WHERE t.mailbox_id = ? ORDER BY t.id",
                                 box["id"]))
        sender = self.db.execute("SELECT c.name FROM messages m JOIN contacts c ON c.id = m.contact_id WHERE "
                                 "m.thread_id = ? ORDER BY m.received_at DESC, m.id DESC LIMIT 1",
                                 (t["id"],)).fetchone()[0]
        spec = {"owner": box["owner"], "subject": t["subject"]}
        return TaskDraft(
            shape="thread_sender", instruction=self.render("thread_sender", rng, **spec),
            solution=Program.of(solve_thread_sender, **spec),
            verifier=Program.of(verify_names, expected=[sender], candidates=self._contact_names()),
            tools=("search_messages", "get_thread", "get_message", "list_mailboxes"),
        )

    @proposer(difficulty=1)
    def propose_label_count(self, rng: random.Random) -> TaskDraft | None:
        box = self._owner(rng)
        label = rng.choice(self.rows("SELECT l.name, COUNT(ml.id) AS n FROM labels l LEFT JOIN message_labels ml ON "
                                     "ml.label_id = l.id WHERE l.mailbox_id = ? GROUP BY l.id ORDER BY l.id",
                                     box["id"]))
        spec = {"owner": box["owner"], "label": label["name"]}
        return TaskDraft(
            shape="label_count", instruction=self.render("label_count", rng, **spec),
            solution=Program.of(solve_label_count, **spec),
            verifier=Program.of(verify_number, expected=label["n"]),
            tools=("list_labels", "search_messages", "list_mailboxes"),
        )

    def _contact_names(self) -> list[str]:
        return [r["name"] for r in self.rows("SELECT name FROM contacts ORDER BY id")]

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
            shape="unread_from_org", instruction=self.render("unread_from_org", rng, **spec),
            solution=Program.of(solve_unread_from_org, **spec),
            verifier=Program.of(verify_number, expected=n),
            tools=("search_messages", "get_contact", "list_mailboxes"),
        )

    @proposer(difficulty=2)
    def propose_top_sender(self, rng: random.Random) -> TaskDraft | None:
        box = self._owner(rng)
        since = _day("2026-02-01", rng.randint(0, 40))
        until = _day(since, rng.randint(20, 60))
        counts = self.rows("SELECT c.name, COUNT(*) AS n FROM messages m JOIN contacts c ON c.id = m.contact_id WHERE "
                           "m.mailbox_id = ? AND substr(m.received_at, 1, 10) BETWEEN ? AND ? GROUP BY c.id "
                           "ORDER BY n DESC", box["id"], since, until)
        if not counts or (len(counts) > 1 and counts[0]["n"] == counts[1]["n"]):
            return None
        spec = {"owner": box["owner"], "since": since, "until": until}
        return TaskDraft(
            shape="top_sender", instruction=self.render("top_sender", rng, **spec),
            solution=Program.of(solve_top_sender, **spec),
            verifier=Program.of(verify_names, expected=[counts[0]["name"]], candidates=self._contact_names()),
            tools=("search_messages", "get_message", "list_mailboxes"),
        )

    @proposer(difficulty=2)
    def propose_vip_awaiting(self, rng: random.Random) -> TaskDraft | None:
        box = self._owner(rng)
        threads = sorted({m["thread_id"] for m in self._inbox(box["id"], "c.vip = 1")})
        subjects = [self.db.execute("SELECT subject FROM threads WHERE id = ?", (t,)).fetchone()[0] for t in threads
                    if self._latest(t)["folder"] == "Inbox" and self._latest(t)["direction"] == "in"]
        if not subjects:
            return None
        spec = {"owner": box["owner"]}
        return TaskDraft(
            shape="vip_awaiting", instruction=self.render("vip_awaiting", rng, **spec),
            solution=Program.of(solve_vip_awaiting, **spec),
            verifier=Program.of(verify_names, expected=subjects, candidates=self._subjects(box["id"])),
            tools=("search_messages", "get_thread", "get_contact", "list_mailboxes"),
        )

    @proposer(difficulty=2)
    def propose_filter_matches(self, rng: random.Random) -> TaskDraft | None:
        box = self._owner(rng)
        f = rng.choice(self.rows("SELECT * FROM filters WHERE mailbox_id = ? ORDER BY id", box["id"]))
        inbox = self.rows("SELECT m.subject, c.address FROM messages m JOIN folders d ON d.id = m.folder_id LEFT JOIN "
                          "contacts c ON c.id = m.contact_id WHERE m.mailbox_id = ? AND d.name = 'Inbox'", box["id"])
        n = sum(1 for m in inbox if _filter_hits(f, m["address"] or "", m["subject"]))
        spec = {"owner": box["owner"], "filter": f["name"]}
        return TaskDraft(
            shape="filter_matches", instruction=self.render("filter_matches", rng, **spec),
            solution=Program.of(solve_filter_matches, **spec),
            verifier=Program.of(verify_number, expected=n),
            tools=("list_filters", "search_messages", "list_mailboxes"),
        )

    # ---- proposers: constrained changes -------------------------------------------------------------

    @proposer(difficulty=3)
    def propose_label_window(self, rng: random.Random) -> TaskDraft | None:
        box = self._owner(rng)
        since, until = self._window(rng)
        inbox = self._inbox(box["id"], "substr(m.received_at, 1, 10) BETWEEN ? AND ?", since, until)
        org = self._org_of(rng, inbox)
        label, create = self._new_label(rng, box["id"])
        targets = [m for m in inbox if m["org"] == org and self._can_label(m, label)]
        if not targets:
            return None
        spec = {"owner": box["owner"], "org": org, "since": since, "until": until, "label": label}
        return TaskDraft(
            shape="label_window", instruction=self.render("label_window", rng, **spec),
            solution=Program.of(solve_label_window, **spec, **self._rules()),
            verifier=Program.of(verify_mailbox, **_expect(box["id"], labels={m["id"]: [label] for m in targets},
                                                          new_labels=[label] if create else [])),
        )

    @proposer(difficulty=3)
    def propose_archive_old(self, rng: random.Random) -> TaskDraft | None:
        box = self._owner(rng)
        read = self._inbox(box["id"], "m.is_read = 1")
        if not read:
            return None
        before = _day(rng.choice(read[:12])["received_at"][:10], rng.randint(1, 4))
        old = [m for m in read if m["received_at"][:10] < before]
        moves = [m for m in old if self._can_move(m, "Archive")]
        if not moves or len(old) > 16:
            return None
        spec = {"owner": box["owner"], "before": before}
        return TaskDraft(
            shape="archive_old", instruction=self.render("archive_old", rng, **spec),
            solution=Program.of(solve_archive_old, **spec),
            verifier=Program.of(verify_mailbox, **_expect(box["id"], moves={m["id"]: "Archive" for m in moves})),
            tools=("search_messages", "get_thread", "get_message", "move_message", "list_folders"),
        )

    @proposer(difficulty=3)
    def propose_escalate_latest(self, rng: random.Random) -> TaskDraft | None:
        box = self._owner(rng, managed=True)
        high = self._rules()["escalate_high_only"] or rng.random() < 0.3
        unread = self._inbox(box["id"], "m.is_read = 0" + (" AND m.priority = 'high'" if high else ""))
        latest = {u["org"]: u for u in unread}  # oldest first, so the last one per org stays
        eligible = sorted(org for org, m in latest.items()
                          if not self.db.execute("SELECT 1 FROM escalations WHERE message_id = ?", (m["id"],)).fetchone()
                          and not (self._rules()["escalate_high_only"] and m["priority"] != "high")
                          and sum(u["org"] == org and u["received_at"] == m["received_at"] for u in unread) == 1)
        if not eligible:
            return None
        org = rng.choice(eligible)
        m = latest[org]
        phrase = rng.choice(["client is waiting", "needs sign-off", "deadline this week", "pricing question",
                             "contract risk", "please call them"])
        spec = {"owner": box["owner"], "org": org, "phrase": phrase}
        return TaskDraft(
            shape="escalate_latest",
            instruction=self.render("escalate_latest", rng, **spec, kind="high-priority " if high else ""),
            solution=Program.of(solve_escalate_latest, **spec, priority="high" if high else None),
            verifier=Program.of(verify_mailbox, **_expect(box["id"], escalations={
                m["id"]: {"to": box["manager_id"], "phrase": phrase}})),
            tools=("search_messages", "list_mailboxes", "get_message", "escalate_message"),
        )

    @proposer(difficulty=3)
    def propose_reply_oldest(self, rng: random.Random) -> TaskDraft | None:
        box = self._owner(rng)
        inbox = self._inbox(box["id"])
        org = self._org_of(rng, inbox)
        waiting = sorted({(self._latest(m["thread_id"])["received_at"], m["thread_id"]) for m in inbox
                          if m["org"] == org and self._awaiting(m["thread_id"])
                          and self._latest(m["thread_id"])["folder"] == "Inbox"})
        if not waiting or (len(waiting) > 1 and waiting[0][0] == waiting[1][0]):
            return None
        text = rng.choice(["Thanks, we are on it.", "Received, I will reply in detail tomorrow.",
                           "Thank you, confirming receipt.", "Noted, we will get back to you shortly."])
        spec = {"owner": box["owner"], "org": org, "text": text}
        return TaskDraft(
            shape="reply_oldest", instruction=self.render("reply_oldest", rng, **spec),
            solution=Program.of(solve_reply_oldest, **spec),
            verifier=Program.of(verify_mailbox, **_expect(box["id"], replies={waiting[0][1]: text})),
            tools=("search_messages", "get_thread", "get_message", "reply_to_thread", "get_contact"),
        )

    # ---- proposers: multi-step plans ----------------------------------------------------------------

    @proposer(difficulty=4)
    def propose_triage_org(self, rng: random.Random) -> TaskDraft | None:
        box = self._owner(rng)
        inbox = self._inbox(box["id"])
        org = self._org_of(rng, inbox, least=2)
        mine = [m for m in inbox if m["org"] == org]
        if org is None or len(mine) > 6:
            return None
        label, create = self._new_label(rng, box["id"])
        labelled = [m for m in mine if self._can_label(m, label)]
        threads = sorted({m["thread_id"] for m in mine if self._awaiting(m["thread_id"])})
        text = rng.choice(["Thanks, we are reviewing this now.", "Received; a full answer follows this week.",
                           "Thank you, we will revert shortly."])
        spec = {"owner": box["owner"], "org": org, "label": label, "text": text}
        return TaskDraft(
            shape="triage_org", instruction=self.render("triage_org", rng, **spec),
            solution=Program.of(solve_triage_org, **spec, **self._rules()),
            verifier=Program.of(verify_mailbox, **_expect(
                box["id"], moves={m["id"]: "Archive" for m in mine if m["priority"] == "low"},
                read={m["id"]: 1 for m in mine}, labels={m["id"]: [label] for m in labelled},
                new_labels=[label] if create and labelled else [], replies={t: text for t in threads})),
        )

    @proposer(difficulty=4)
    def propose_cleanup_before(self, rng: random.Random) -> TaskDraft | None:
        box = self._owner(rng)
        before = _day("2026-02-20", rng.randint(0, 50))
        old = self._inbox(box["id"], "m.is_read = 1 AND substr(m.received_at, 1, 10) < ?", before)
        if len(old) < 3 or len(old) > 16:
            return None
        label, create = self._new_label(rng, box["id"])
        moves, stuck = {}, []
        for m in old:
            folder = "Trash" if m["priority"] == "low" else "Archive"
            if self._can_move(m, folder):
                moves[m["id"]] = folder
            elif self._can_label(m, label):
                stuck.append(m["id"])
        spec = {"owner": box["owner"], "before": before, "label": label}
        return TaskDraft(
            shape="cleanup_before", instruction=self.render("cleanup_before", rng, **spec),
            solution=Program.of(solve_cleanup_before, **spec, **self._rules()),
            verifier=Program.of(verify_mailbox, **_expect(box["id"], moves=moves, labels={i: [label] for i in stuck},
                                                          new_labels=[label] if create and stuck else [])),
        )

    @proposer(difficulty=5)
    def propose_handover(self, rng: random.Random) -> TaskDraft | None:
        box = self._owner(rng, managed=True)
        inbox = self._inbox(box["id"])
        threads = sorted({m["thread_id"] for m in inbox if self._awaiting(m["thread_id"])
                          and self._latest(m["thread_id"])["priority"] == "high"
                          and self._latest(m["thread_id"])["folder"] == "Inbox"})
        if not 2 <= len(threads) <= 4:
            return None
        text = rng.choice(["I am away; my manager has been looped in.", "Out of office: your message was escalated.",
                           "Thanks, a colleague will follow up while I am away."])
        phrase = rng.choice(["covering while away", "owner on leave", "needs a decision", "please pick up"])
        latest = [self._latest(t) for t in threads]
        escalate = [m for m in latest if not self.db.execute("SELECT 1 FROM escalations WHERE message_id = ?",
                                                             (m["id"],)).fetchone()]
        covered = [m for m in inbox if m["thread_id"] in threads]
        spec = {"owner": box["owner"], "text": text, "phrase": phrase}
        return TaskDraft(
            shape="handover", instruction=self.render("handover", rng, **spec),
            solution=Program.of(solve_handover, **spec),
            verifier=Program.of(verify_mailbox, **_expect(
                box["id"], moves={m["id"]: "Archive" for m in covered}, read={m["id"]: 1 for m in covered},
                replies={t: text for t in threads},
                escalations={m["id"]: {"to": box["manager_id"], "phrase": phrase} for m in escalate})),
        )

    @proposer(difficulty=5)
    def propose_route_org(self, rng: random.Random) -> TaskDraft | None:
        box = self._owner(rng)
        inbox = self._inbox(box["id"])
        org = self._org_of(rng, inbox, least=3)
        if org is None:
            return None
        mine = [m for m in inbox if m["org"] == org]
        folder = rng.choice([r["name"] for r in self.rows(
            "SELECT name FROM folders WHERE mailbox_id = ? AND name NOT IN ('Inbox', 'Sent', 'Trash') ORDER BY id",
            box["id"])])
        label, create = self._new_label(rng, box["id"])
        moved = [m for m in mine if self._can_move(m, folder)]
        stuck = [m for m in mine if m not in moved and self._can_label(m, label)]
        domain = self.db.execute("SELECT substr(address, instr(address, '@') + 1) FROM contacts WHERE org = ?",
                                 (org,)).fetchone()[0]
        name = f"Route {org}"
        spec = {"owner": box["owner"], "org": org, "folder": folder, "label": label, "filter": name}
        return TaskDraft(
            shape="route_org", instruction=self.render("route_org", rng, **spec),
            solution=Program.of(solve_route_org, **spec, **self._rules()),
            verifier=Program.of(verify_mailbox, **_expect(
                box["id"], moves={m["id"]: folder for m in moved},
                read={**{m["id"]: 1 for m in moved}, **{m["id"]: m["is_read"] for m in mine if m not in moved}},
                labels={m["id"]: [label] for m in stuck}, new_labels=[label] if create and stuck else [],
                filters=[{"name": name, "field": "sender_domain", "value": domain, "action": "move",
                          "target": folder}])),
        )


def _filter_hits(f: dict, address: str, subject: str) -> bool:
    if f["field"] == "sender_domain":
        return address.lower().endswith("@" + f["value"].lower())
    return f["value"].lower() in subject.lower()


def _expect(mailbox_id: int, moves=None, read=None, labels=None, new_labels=(), replies=None, escalations=None,
            filters=()) -> dict:
    """Verifier parameters for verify_mailbox (JSON: ids become string keys)."""
    return {"mailbox_id": mailbox_id, "moves": {str(k): v for k, v in (moves or {}).items()},
            "read": {str(k): v for k, v in (read or {}).items()},
            "labels": {str(k): v for k, v in (labels or {}).items()}, "new_labels": list(new_labels),
            "replies": {str(k): v for k, v in (replies or {}).items()},
            "escalations": {str(k): v for k, v in (escalations or {}).items()}, "filters": list(filters)}


# ---- solutions: tools and computation only --------------------------------------------------------

def solve_thread_sender(tools, params):
    hits = tools.search_messages(mailbox=params["owner"], subject_contains=params["subject"])
    thread = tools.get_thread(thread_id=hits[0]["thread_id"])
    return [m for m in thread["messages"] if m["direction"] == "in"][-1]["sender"]


def solve_label_count(tools, params):
    return next(l["messages"] for l in tools.list_labels(mailbox=params["owner"]) if l["name"] == params["label"])


def solve_unread_from_org(tools, params):
    return len(tools.search_messages(mailbox=params["owner"], folder="Inbox", org=params["org"], unread_only=True,
                                     since=params["since"], until=params["until"]))


def solve_top_sender(tools, params):
    counts = {}
    for m in tools.search_messages(mailbox=params["owner"], since=params["since"], until=params["until"]):
        if m["direction"] == "in":
            counts[m["sender"]] = counts.get(m["sender"], 0) + 1
    return max(counts, key=lambda name: counts[name])


def solve_vip_awaiting(tools, params):
    vip, subjects = {}, []
    for m in tools.search_messages(mailbox=params["owner"], folder="Inbox"):
        if m["direction"] != "in":
            continue
        if m["sender_address"] not in vip:
            vip[m["sender_address"]] = tools.get_contact(who=m["sender_address"])["vip"]
        if vip[m["sender_address"]]:
            thread = tools.get_thread(thread_id=m["thread_id"])
            last = thread["messages"][-1]
            if thread["awaits_reply"] and last["folder"] == "Inbox" and thread["subject"] not in subjects:
                subjects.append(thread["subject"])
    return ", ".join(f"'{s}'" for s in subjects)


def solve_filter_matches(tools, params):
    f = next(f for f in tools.list_filters(mailbox=params["owner"]) if f["name"] == params["filter"])
    inbox = tools.search_messages(mailbox=params["owner"], folder="Inbox")
    if f["field"] == "sender_domain":
        return sum(1 for m in inbox if m["sender_address"].lower().endswith("@" + f["value"].lower()))
    return sum(1 for m in inbox if f["value"].lower() in m["subject"].lower())


def solve_label_window(tools, params):
    found = tools.search_messages(mailbox=params["owner"], folder="Inbox", org=params["org"], since=params["since"],
                                  until=params["until"])
    todo = [m for m in found if params["label"] not in m["labels"]
            and (params["label_limit"] is None or len(m["labels"]) < params["label_limit"])]
    if todo:
        if params["label"] not in [l["name"] for l in tools.list_labels(mailbox=params["owner"])]:
            tools.create_label(mailbox=params["owner"], name=params["label"])
    for m in todo:
        tools.add_label(message_id=m["id"], label=params["label"])
    return f"Labelled {len(todo)} messages"


def solve_archive_old(tools, params):
    def movable(m, folder):  # the policy's archive/trash conditions
        if folder in ("Archive", "Trash") and m["priority"] == "high":
            thread = tools.get_thread(thread_id=m["thread_id"])
            if not any(x["direction"] == "out" and x["received_at"] > m["received_at"] for x in thread["messages"]):
                return False
        return not (folder == "Trash" and params.get("vip_keep") and tools.get_contact(who=m["sender_address"])["vip"])

    old = [m for m in tools.search_messages(mailbox=params["owner"], folder="Inbox")
           if m["read"] and m["received_at"][:10] < params["before"]]
    moved = [m for m in old if movable(m, "Archive")]
    for m in moved:
        tools.move_message(message_id=m["id"], folder="Archive")
    return f"Archived {len(moved)} messages"


def solve_escalate_latest(tools, params):
    unread = tools.search_messages(mailbox=params["owner"], folder="Inbox", org=params["org"], unread_only=True,
                                   priority=params["priority"])
    manager = next(b["manager"] for b in tools.list_mailboxes() if b["owner"] == params["owner"])
    tools.escalate_message(message_id=unread[-1]["id"], to=manager, note=f"Escalating: {params['phrase']}.")
    return f"Escalated message {unread[-1]['id']} to {manager}"


def solve_reply_oldest(tools, params):
    waiting = []
    for m in tools.search_messages(mailbox=params["owner"], folder="Inbox", org=params["org"]):
        thread = tools.get_thread(thread_id=m["thread_id"])
        last = thread["messages"][-1]
        if thread["awaits_reply"] and last["folder"] == "Inbox":
            waiting.append((last["received_at"], m["thread_id"]))
    thread_id = min(waiting)[1]
    tools.reply_to_thread(thread_id=thread_id, body=params["text"])
    return f"Replied to thread {thread_id}"


def solve_triage_org(tools, params):
    mine = tools.search_messages(mailbox=params["owner"], folder="Inbox", org=params["org"])
    label = params["label"]
    todo = [m for m in mine if label not in m["labels"]
            and (params["label_limit"] is None or len(m["labels"]) < params["label_limit"])]
    if todo:
        if label not in [l["name"] for l in tools.list_labels(mailbox=params["owner"])]:
            tools.create_label(mailbox=params["owner"], name=label)
    answered = set()
    for m in mine:
        if not m["read"]:
            tools.mark_read(message_id=m["id"], read=True)
        if m in todo:
            tools.add_label(message_id=m["id"], label=label)
        if m["thread_id"] not in answered and tools.get_thread(thread_id=m["thread_id"])["awaits_reply"]:
            tools.reply_to_thread(thread_id=m["thread_id"], body=params["text"])
            answered.add(m["thread_id"])
        if m["priority"] == "low":
            tools.move_message(message_id=m["id"], folder="Archive")
    return f"Triaged {len(mine)} messages"


def solve_cleanup_before(tools, params):
    def movable(m, folder):  # the policy's archive/trash conditions
        if folder in ("Archive", "Trash") and m["priority"] == "high":
            thread = tools.get_thread(thread_id=m["thread_id"])
            if not any(x["direction"] == "out" and x["received_at"] > m["received_at"] for x in thread["messages"]):
                return False
        return not (folder == "Trash" and params.get("vip_keep") and tools.get_contact(who=m["sender_address"])["vip"])

    old = [m for m in tools.search_messages(mailbox=params["owner"], folder="Inbox")
           if m["read"] and m["direction"] == "in" and m["received_at"][:10] < params["before"]]
    stuck = []
    for m in old:
        folder = "Trash" if m["priority"] == "low" else "Archive"
        if movable(m, folder):
            tools.move_message(message_id=m["id"], folder=folder)
        elif params["label"] not in m["labels"] and (params["label_limit"] is None
                                                     or len(m["labels"]) < params["label_limit"]):
            stuck.append(m)
    if stuck:
        if params["label"] not in [l["name"] for l in tools.list_labels(mailbox=params["owner"])]:
            tools.create_label(mailbox=params["owner"], name=params["label"])
    for m in stuck:
        tools.add_label(message_id=m["id"], label=params["label"])
    return f"Moved {len(old) - len(stuck)} messages, labelled {len(stuck)}"


def solve_handover(tools, params):
    manager = next(b["manager"] for b in tools.list_mailboxes() if b["owner"] == params["owner"])
    threads = {}
    for m in tools.search_messages(mailbox=params["owner"], folder="Inbox", priority="high"):
        if m["thread_id"] not in threads:
            threads[m["thread_id"]] = tools.get_thread(thread_id=m["thread_id"])
    done = 0
    for thread_id, thread in threads.items():
        last = thread["messages"][-1]
        if not (thread["awaits_reply"] and last["priority"] == "high" and last["folder"] == "Inbox"):
            continue
        tools.reply_to_thread(thread_id=thread_id, body=params["text"])
        if not last["escalated"]:
            tools.escalate_message(message_id=last["id"], to=manager, note=f"{params['phrase']} - see thread.")
        for m in thread["messages"]:
            if m["folder"] == "Inbox":
                if not m["read"]:
                    tools.mark_read(message_id=m["id"], read=True)
                tools.move_message(message_id=m["id"], folder="Archive")
        done += 1
    return f"Handled {done} threads"


def solve_route_org(tools, params):
    def movable(m, folder):  # the policy's archive/trash conditions
        if folder in ("Archive", "Trash") and m["priority"] == "high":
            thread = tools.get_thread(thread_id=m["thread_id"])
            if not any(x["direction"] == "out" and x["received_at"] > m["received_at"] for x in thread["messages"]):
                return False
        return not (folder == "Trash" and params.get("vip_keep") and tools.get_contact(who=m["sender_address"])["vip"])

    contacts = tools.search_messages(mailbox=params["owner"], folder="Inbox", org=params["org"])
    domain = contacts[0]["sender_address"].split("@")[1]
    tools.create_filter(mailbox=params["owner"], name=params["filter"], field="sender_domain", value=domain,
                        action="move", target=params["folder"])
    stuck = []
    for m in contacts:
        if movable(m, params["folder"]):
            tools.move_message(message_id=m["id"], folder=params["folder"])
            tools.mark_read(message_id=m["id"], read=True)
        elif params["label"] not in m["labels"] and (params["label_limit"] is None
                                                     or len(m["labels"]) < params["label_limit"]):
            stuck.append(m)
    if stuck:
        if params["label"] not in [l["name"] for l in tools.list_labels(mailbox=params["owner"])]:
            tools.create_label(mailbox=params["owner"], name=params["label"])
    for m in stuck:
        tools.add_label(message_id=m["id"], label=params["label"])
    return f"Routed {len(contacts) - len(stuck)} messages"


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_mailbox(outcome, params):
    """Messages end in the expected folders, read flags and labels; exactly the expected replies, escalations,
    labels and filters are new; nothing else changed."""
    from verifiers.answers import normalize
    from verifiers.state import diff_table, unchanged

    reasons = []
    before = {m["id"]: m for m in outcome.initial_rows("SELECT * FROM messages")}
    after = {m["id"]: m for m in outcome.rows("SELECT * FROM messages")}
    folder = {f["id"]: f["name"] for f in outcome.rows("SELECT id, name FROM folders")}
    for mid, old in before.items():
        new, key = after.get(mid), str(mid)
        if new is None:
            reasons.append(f"message {mid} was deleted")
            continue
        want_folder = params["moves"].get(key, folder[old["folder_id"]])
        want_read = params["read"].get(key, old["is_read"])
        if folder[new["folder_id"]] != want_folder or new["is_read"] != want_read or \
                {**new, "folder_id": 0, "is_read": 0} != {**old, "folder_id": 0, "is_read": 0}:
            reasons.append(f"message {mid} should be in {want_folder}, read={want_read}, otherwise unchanged")
    sent = [after[i] for i in sorted(after.keys() - before.keys())]
    got = {}
    for m in sent:
        got.setdefault(str(m["thread_id"]), []).append(m)
    if set(got) != set(params["replies"]) or any(len(v) != 1 for v in got.values()):
        reasons.append(f"replies went to threads {sorted(got)}, expected one each to {sorted(params['replies'])}")
    for tid, text in params["replies"].items():
        for m in got.get(tid, []):
            if m["direction"] != "out" or normalize(text) not in normalize(m["body"]):
                reasons.append(f"the reply in thread {tid} should say {text!r}")
    labels_of = "SELECT ml.message_id AS m, l.name AS n FROM message_labels ml JOIN labels l ON l.id = ml.label_id"
    old_labels, new_labels = {}, {}
    for r in outcome.initial_rows(labels_of):
        old_labels.setdefault(str(r["m"]), set()).add(r["n"])
    for r in outcome.rows(labels_of):
        new_labels.setdefault(str(r["m"]), set()).add(r["n"])
    for mid in old_labels.keys() | new_labels.keys() | params["labels"].keys():
        want = old_labels.get(mid, set()) | set(params["labels"].get(mid, []))
        if new_labels.get(mid, set()) != want:
            reasons.append(f"message {mid} should carry labels {sorted(want)}")
    added, removed, changed = diff_table(outcome.initial, outcome.db, "labels")
    if removed or changed or {(l["mailbox_id"], l["name"]) for l in added} - \
            {(params["mailbox_id"], n) for n in params["new_labels"]}:
        reasons.append("labels were created, renamed or deleted beyond what the task needs")
    added, removed, changed = diff_table(outcome.initial, outcome.db, "escalations")
    if removed or changed or sorted(str(e["message_id"]) for e in added) != sorted(params["escalations"]):
        reasons.append(f"escalations made: {sorted(e['message_id'] for e in added)}, expected "
                       f"{sorted(params['escalations'])}")
    for e in added:
        want = params["escalations"].get(str(e["message_id"]))
        if want and (e["to_mailbox_id"] != want["to"] or normalize(want["phrase"]) not in normalize(e["note"])):
            reasons.append(f"escalation of message {e['message_id']} should go to mailbox {want['to']} with a note "
                           f"mentioning {want['phrase']!r}")
    added, removed, changed = diff_table(outcome.initial, outcome.db, "filters")
    made = sorted((f["mailbox_id"], f["name"].lower(), f["field"], f["value"].lower().lstrip("@"), f["action"],
                   f["target"].lower()) for f in added)
    want = sorted((params["mailbox_id"], f["name"].lower(), f["field"], f["value"].lower(), f["action"],
                   f["target"].lower()) for f in params["filters"])
    if removed or changed or made != want:
        reasons.append(f"filters added {made}, expected {want}")
    reasons += [f"{t} changed" for t in unchanged(outcome.initial, outcome.db,
                                                  ["mailboxes", "contacts", "folders", "threads"])]
    return not reasons, reasons
