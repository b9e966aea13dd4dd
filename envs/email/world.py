"""The studio's world: staff, contacts, folders, labels, threads and filters, and how an instance's database is
built."""

from __future__ import annotations

import datetime as dt
import random

TODAY = "2026-04-20"
NOW = f"{TODAY} 09:00"
COMPANY = "kestrelhollow.example"
ORGS = [
    ("Fernhollow Logistics", "fernhollow.example"),
    ("Quillmark Press", "quillmark.example"),
    ("Brightmoor Savings", "brightmoor.example"),
    ("Cobalt Reach Labs", "cobaltreach.example"),
    ("Harrowgate Legal", "harrowgate.example"),
    ("Ivory Finch Travel", "ivoryfinch.example"),
    ("Lanternfly Media", "lanternfly.example"),
    ("Mistvale Energy", "mistvale.example"),
    ("Oxbow Supplies", "oxbow.example"),
    ("Pinecrest Realty", "pinecrest.example"),
    ("Saltmarsh Foods", "saltmarsh.example"),
    ("Thistle and Vane", "thistlevane.example"),
]
FIRST = [
    "Alder",
    "Briony",
    "Caspian",
    "Delphine",
    "Emrys",
    "Florian",
    "Greer",
    "Hollis",
    "Imogen",
    "Jasper",
    "Kit",
    "Lark",
    "Marnie",
    "Nell",
    "Osric",
    "Peregrine",
    "Quinlan",
    "Rosalind",
    "Silas",
    "Tamsin",
    "Umber",
    "Verity",
    "Wilder",
    "Yara",
    "Zephyr",
]
LAST = [
    "Ashcombe",
    "Blackthorn",
    "Cresswell",
    "Dunstable",
    "Elmsworth",
    "Fenwick",
    "Gildersleeve",
    "Hartwell",
    "Inchbald",
    "Kingsley",
    "Lockwood",
    "Marchbank",
    "Nightingale",
    "Ormsby",
    "Penhallow",
    "Rookwood",
    "Stanmore",
    "Thornbury",
    "Underhill",
    "Wetherby",
]
TEAMS = ["Sales", "Design", "Operations", "Finance"]
TOPICS = [
    "Contract renewal",
    "Shipment delay",
    "Site visit",
    "Budget review",
    "Press release draft",
    "Onboarding checklist",
    "Vendor quote",
    "Kickoff meeting",
    "Payment reminder",
    "Catalogue proofs",
    "Office lease",
    "Training session",
    "Audit request",
    "Sample order",
    "Price update",
    "Invoice query",
    "Event booking",
    "Brand guidelines",
    "Data export",
    "Insurance renewal",
]
LABELS = ["urgent", "invoices", "follow-up", "clients", "legal", "hiring", "newsletter", "waiting", "travel", "reports"]
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


def _filter_hits(f: dict, address: str, subject: str) -> bool:
    if f["field"] == "sender_domain":
        return address.lower().endswith("@" + f["value"].lower())
    return f["value"].lower() in subject.lower()


class EmailWorld:
    def build(self, rng: random.Random) -> None:
        self.db.executescript(SCHEMA)
        n_members, n_threads = {"small": (4, (26, 30)), "medium": (6, (26, 32)), "large": (8, (30, 36))}[
            self.variant.scale
        ]
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
                self.db.execute(
                    "INSERT INTO contacts (name, address, org, vip) VALUES (?, ?, ?, ?)",
                    (name, name.lower().replace(" ", ".") + "@" + domain, org, int(rng.random() < 0.25)),
                )
        contacts = [r["id"] for r in self.rows("SELECT id FROM contacts ORDER BY id")]
        for box in self.rows("SELECT id FROM mailboxes ORDER BY id"):
            self._build_mailbox(rng, box["id"], contacts, rng.randint(*n_threads))

    def _add_mailbox(self, owner: str, team: str, manager: int | None) -> int:
        address = owner.lower().replace(" ", ".") + "@" + COMPANY
        return self.db.execute(
            "INSERT INTO mailboxes (owner, address, team, manager_id) VALUES (?, ?, ?, ?)",
            (owner, address, team, manager),
        ).lastrowid

    def _build_mailbox(self, rng: random.Random, box: int, contacts: list[int], n_threads: int) -> None:
        folders = {}
        for name in ["Inbox", "Archive", "Trash", "Sent", *rng.sample(CUSTOM_FOLDERS, rng.randint(1, 2))]:
            folders[name] = self.db.execute(
                "INSERT INTO folders (mailbox_id, name) VALUES (?, ?)", (box, name)
            ).lastrowid
        labels = {
            name: self.db.execute("INSERT INTO labels (mailbox_id, name) VALUES (?, ?)", (box, name)).lastrowid
            for name in rng.sample(LABELS, rng.randint(4, 6))
        }
        custom = [f for f in folders if f not in ("Inbox", "Archive", "Trash", "Sent")]
        regulars = rng.sample(contacts, 10)  # a mailbox hears from some contacts far more than from others
        refs = rng.sample(range(100, 1000), n_threads)
        for ref in refs:
            subject = f"{rng.choice(TOPICS)} - ref {ref}"
            thread = self.db.execute(
                "INSERT INTO threads (mailbox_id, subject) VALUES (?, ?)", (box, subject)
            ).lastrowid
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
                    (
                        thread,
                        box,
                        folder if incoming else folders["Sent"],
                        contact if incoming else None,
                        "in" if incoming else "out",
                        subject if k == 0 else "Re: " + subject,
                        rng.choice(
                            [
                                "Please see the details below.",
                                "Could you confirm by Friday?",
                                "Attached is the latest version.",
                                "Following up on this.",
                                "Thanks, noted.",
                            ]
                        ),
                        _stamp(moment),
                        priority if incoming else "normal",
                        read,
                    ),
                ).lastrowid
                if incoming:
                    for label in rng.sample(sorted(labels), rng.choice([0, 0, 1, 1, 2, 3])):
                        self.db.execute(
                            "INSERT INTO message_labels (message_id, label_id) VALUES (?, ?)", (mid, labels[label])
                        )
                    if priority == "high" and rng.random() < 0.15:
                        manager = self.value("SELECT manager_id FROM mailboxes WHERE id = ?", box)
                        if manager:
                            self.db.execute(
                                "INSERT INTO escalations (message_id, to_mailbox_id, note, created_at) "
                                "VALUES (?, ?, ?, ?)",
                                (mid, manager, "Please advise.", _stamp(moment + dt.timedelta(hours=2))),
                            )
                moment += dt.timedelta(hours=rng.randint(2, 90))
        orgs = self.rows(
            "SELECT DISTINCT c.org, substr(c.address, instr(c.address, '@') + 1) AS domain FROM messages m "
            "JOIN contacts c ON c.id = m.contact_id WHERE m.mailbox_id = ? ORDER BY c.org",
            box,
        )
        for i, org in enumerate(rng.sample(orgs, 2)):
            if i == 0:
                spec = (f"{org['org']} to {custom[0]}", "sender_domain", org["domain"], "move", custom[0])
            else:
                spec = (f"Tag {org['org']}", "sender_domain", org["domain"], "label", rng.choice(sorted(labels)))
            self.db.execute(
                "INSERT INTO filters (mailbox_id, name, field, value, action, target) VALUES (?, ?, ?, ?, ?, ?)",
                (box, *spec),
            )
        word = rng.choice(TOPICS).split()[0]
        self.db.execute(
            "INSERT INTO filters (mailbox_id, name, field, value, action, target) VALUES (?, ?, ?, ?, ?, ?)",
            (box, f"{word} mail", "subject_contains", word.lower(), "label", rng.choice(sorted(labels))),
        )
