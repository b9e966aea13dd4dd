"""Library loans: branches, books and their copies, members with loan limits, loans with due dates and fines, holds.

Constants, the policy in numbers, and the database builder."""

from __future__ import annotations

import datetime as dt
import random

BRANCHES = ["Central", "Riverside", "Northfield", "Oak Hill", "Harbourview", "Elmwood", "Westgate"]
ADJECTIVES = [
    "Silent",
    "Crimson",
    "Hidden",
    "Last",
    "Broken",
    "Golden",
    "Distant",
    "Quiet",
    "Wandering",
    "Burning",
    "Frozen",
    "Forgotten",
    "Shining",
    "Hollow",
    "Secret",
    "Northern",
    "Paper",
    "Glass",
    "Iron",
    "Midnight",
]
NOUNS = [
    "Harbor",
    "Garden",
    "Orchard",
    "Lighthouse",
    "River",
    "Atlas",
    "Kingdom",
    "Letters",
    "Compass",
    "Winter",
    "Archive",
    "Meadow",
    "Tide",
    "Lantern",
    "Bridge",
    "Forest",
    "Island",
    "Clockmaker",
    "Cartographer",
    "Violin",
]
GENRES = ["mystery", "fantasy", "history", "science", "romance", "biography", "poetry", "thriller"]
FIRST = [
    "Ada",
    "Bram",
    "Celia",
    "Dorian",
    "Edda",
    "Felix",
    "Greer",
    "Hollis",
    "Imke",
    "Jory",
    "Kasia",
    "Lorcan",
    "Maren",
    "Nico",
    "Odile",
    "Pavel",
    "Rhea",
    "Soren",
    "Tamsin",
    "Ulla",
    "Vito",
    "Wren",
    "Xavi",
    "Yusra",
]
LAST = [
    "Ashdown",
    "Bellweather",
    "Corrigan",
    "Dunmore",
    "Everly",
    "Fairbank",
    "Greaves",
    "Holloway",
    "Ingram",
    "Jessop",
    "Kettering",
    "Larkin",
    "Merriman",
    "Northcott",
    "Oakes",
    "Pembrey",
    "Quarles",
    "Radley",
]
TIERS = {"standard": 5, "student": 3, "premium": 8}  # tier -> most loans at once
LOAN_DAYS, NEW_RELEASE_DAYS = 21, 14
FINE_PER_DAY, FINE_CAP, FINE_BLOCK = 0.25, 10.0, 5.0
MAX_RENEWALS, MAX_HOLDS = 2, 3


def fine_for(due_on: str, today: str) -> float:
    late = (dt.date.fromisoformat(today) - dt.date.fromisoformat(due_on)).days
    return round(min(FINE_CAP, FINE_PER_DAY * max(0, late)), 2)


def plus_days(day: str, days: int) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()


class LibraryWorld:
    def build(self, rng: random.Random) -> None:
        self.db.executescript("""
            CREATE TABLE library (id INTEGER PRIMARY KEY, today TEXT);
            CREATE TABLE branches (id INTEGER PRIMARY KEY, name TEXT UNIQUE, opens TEXT, closes TEXT);
            CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT UNIQUE, author TEXT, genre TEXT, year INTEGER);
            CREATE TABLE copies (id INTEGER PRIMARY KEY, book_id INTEGER REFERENCES books(id),
                branch_id INTEGER REFERENCES branches(id), barcode TEXT UNIQUE, status TEXT);
            CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT UNIQUE, tier TEXT,
                home_branch_id INTEGER REFERENCES branches(id), fines_owed REAL, joined TEXT);
            CREATE TABLE loans (id INTEGER PRIMARY KEY, copy_id INTEGER REFERENCES copies(id),
                member_id INTEGER REFERENCES members(id), loaned_on TEXT, due_on TEXT, returned_on TEXT,
                renewals INTEGER, fine REAL);
            CREATE TABLE holds (id INTEGER PRIMARY KEY, book_id INTEGER REFERENCES books(id),
                member_id INTEGER REFERENCES members(id), branch_id INTEGER REFERENCES branches(id), placed_on TEXT,
                status TEXT, copy_id INTEGER);
            CREATE TABLE payments (id INTEGER PRIMARY KEY, member_id INTEGER REFERENCES members(id), amount REAL,
                paid_on TEXT);
        """)
        n_branch, n_books, n_members = {
            "small": (3, (45, 60), (24, 32)),
            "medium": (4, (70, 95), (36, 48)),
            "large": (5, (110, 140), (55, 70)),
        }[self.variant.scale]
        today = dt.date(2026, rng.randint(1, 12), rng.randint(1, 28))
        self.db.execute("INSERT INTO library VALUES (1, ?)", (today.isoformat(),))
        for name in rng.sample(BRANCHES, n_branch):
            self.db.execute(
                "INSERT INTO branches (name, opens, closes) VALUES (?, ?, ?)",
                (name, rng.choice(["08:00", "09:00", "10:00"]), rng.choice(["17:00", "19:00", "20:00"])),
            )
        branches = [r["id"] for r in self.rows("SELECT id FROM branches")]
        authors = [f"{f} {last}" for f, last in rng.sample([(f, last) for f in FIRST for last in LAST], 40)]
        titles = rng.sample([f"The {a} {n}" for a in ADJECTIVES for n in NOUNS], rng.randint(*n_books))
        barcode = rng.randint(10000, 20000)
        for title in titles:
            year = rng.choice([today.year] * 2 + list(range(1980, today.year)))
            book = self.db.execute(
                "INSERT INTO books (title, author, genre, year) VALUES (?, ?, ?, ?)",
                (title, rng.choice(authors), rng.choice(GENRES), year),
            ).lastrowid
            for _ in range(rng.choices([1, 2, 3, 4], [3, 4, 2, 1])[0]):
                barcode += rng.randint(1, 40)
                self.db.execute(
                    "INSERT INTO copies (book_id, branch_id, barcode, status) VALUES (?, ?, ?, ?)",
                    (book, rng.choice(branches), f"LB{barcode}", "lost" if rng.random() < 0.04 else "available"),
                )
        for name in rng.sample([f"{f} {last}" for f in FIRST for last in LAST], rng.randint(*n_members)):
            self.db.execute(
                "INSERT INTO members (name, tier, home_branch_id, fines_owed, joined) VALUES (?, ?, ?, ?, ?)",
                (
                    name,
                    rng.choices(list(TIERS), [6, 3, 2])[0],
                    rng.choice(branches),
                    rng.choice([0.0] * 5 + [0.5, 1.75, 3.0, 4.75, 5.0, 6.5, 9.25, 12.0]),
                    (today - dt.timedelta(days=rng.randint(60, 3000))).isoformat(),
                ),
            )
        self._build_loans(rng, today)
        self._build_holds(rng, today)

    def _build_loans(self, rng: random.Random, today: dt.date) -> None:
        members = self.rows("SELECT * FROM members")
        copies = self.rows(
            "SELECT c.id, c.book_id, b.year FROM copies c JOIN books b ON b.id = c.book_id WHERE c.status = 'available'"
        )
        for _ in range(len(copies) * 2):  # past loans, returned
            c, m = rng.choice(copies), rng.choice(members)
            start = today - dt.timedelta(days=rng.randint(40, 400))
            due = start + dt.timedelta(days=LOAN_DAYS)
            back = due + dt.timedelta(days=rng.choice([-15, -10, -5, -2, 0, 0, 3, 9]))
            self.db.execute(
                "INSERT INTO loans (copy_id, member_id, loaned_on, due_on, returned_on, renewals, fine) "
                "VALUES (?, ?, ?, ?, ?, 0, ?)",
                (
                    c["id"],
                    m["id"],
                    start.isoformat(),
                    due.isoformat(),
                    back.isoformat(),
                    fine_for(due.isoformat(), back.isoformat()),
                ),
            )
        rng.shuffle(copies)
        active: dict[int, list[int]] = {m["id"]: [] for m in members}
        for c in copies[: len(copies) * 2 // 5]:
            m = rng.choice(members)
            if len(active[m["id"]]) >= TIERS[m["tier"]] or c["book_id"] in active[m["id"]]:
                continue
            active[m["id"]].append(c["book_id"])
            period = NEW_RELEASE_DAYS if c["year"] == today.year else LOAN_DAYS
            renewals = rng.choices([0, 1, 2], [6, 3, 1])[0]
            start = today - dt.timedelta(days=rng.randint(1, period * (renewals + 1) + 12))
            due = start + dt.timedelta(days=period * (renewals + 1))
            self.db.execute(
                "INSERT INTO loans (copy_id, member_id, loaned_on, due_on, returned_on, renewals, fine) "
                "VALUES (?, ?, ?, ?, NULL, ?, 0)",
                (c["id"], m["id"], start.isoformat(), due.isoformat(), renewals),
            )
            self.db.execute("UPDATE copies SET status = 'on_loan' WHERE id = ?", (c["id"],))

    def _build_holds(self, rng: random.Random, today: dt.date) -> None:
        members = [r["id"] for r in self.rows("SELECT id FROM members")]
        branches = [r["id"] for r in self.rows("SELECT id FROM branches")]
        lent = self.rows("SELECT DISTINCT c.book_id FROM copies c WHERE c.status = 'on_loan'")
        for book in rng.sample(lent, len(lent) // 3):
            for member in rng.sample(members, rng.randint(1, 3)):
                taken = self.value(
                    "SELECT COUNT(*) FROM holds WHERE member_id = ? AND status IN ('waiting', 'ready')", member
                )
                on_loan = self.value(
                    "SELECT COUNT(*) FROM loans l JOIN copies c ON c.id = l.copy_id WHERE "
                    "l.member_id = ? AND c.book_id = ? AND l.returned_on IS NULL",
                    member,
                    book["book_id"],
                )
                branch = rng.choice(branches)
                free = self.value(
                    "SELECT id FROM copies WHERE book_id = ? AND branch_id = ? AND status = 'available'",
                    book["book_id"],
                    branch,
                )
                if taken >= MAX_HOLDS or on_loan or free:
                    continue
                placed = (today - dt.timedelta(days=rng.randint(1, 30))).isoformat()
                self.db.execute(
                    "INSERT INTO holds (book_id, member_id, branch_id, placed_on, status, copy_id) "
                    "VALUES (?, ?, ?, ?, 'waiting', NULL)",
                    (book["book_id"], member, branch, placed),
                )
