"""Library loans: branches, books and their copies, members with loan limits, loans with due dates and fines, holds."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool
from verifiers.common import verify_names, verify_number

BRANCHES = ["Central", "Riverside", "Northfield", "Oak Hill", "Harbourview", "Elmwood", "Westgate"]
ADJECTIVES = ["Silent", "Crimson", "Hidden", "Last", "Broken", "Golden", "Distant", "Quiet", "Wandering", "Burning",
              "Frozen", "Forgotten", "Shining", "Hollow", "Secret", "Northern", "Paper", "Glass", "Iron", "Midnight"]
NOUNS = ["Harbor", "Garden", "Orchard", "Lighthouse", "River", "Atlas", "Kingdom", "Letters", "Compass", "Winter",
         "Archive", "Meadow", "Tide", "Lantern", "Bridge", "Forest", "Island", "Clockmaker", "Cartographer", "Violin"]
GENRES = ["mystery", "fantasy", "history", "science", "romance", "biography", "poetry", "thriller"]
FIRST = ["Ada", "Bram", "Celia", "Dorian", "Edda", "Felix", "Greer", "Hollis", "Imke", "Jory", "Kasia", "Lorcan",
         "Maren", "Nico", "Odile", "Pavel", "Rhea", "Soren", "Tamsin", "Ulla", "Vito", "Wren", "Xavi", "Yusra"]
LAST = ["Ashdown", "Bellweather", "Corrigan", "Dunmore", "Everly", "Fairbank", "Greaves", "Holloway", "Ingram",
        "Jessop", "Kettering", "Larkin", "Merriman", "Northcott", "Oakes", "Pembrey", "Quarles", "Radley"]
TIERS = {"standard": 5, "student": 3, "premium": 8}  # tier -> most loans at once
LOAN_DAYS, NEW_RELEASE_DAYS = 21, 14
FINE_PER_DAY, FINE_CAP, FINE_BLOCK = 0.25, 10.0, 5.0
MAX_RENEWALS, MAX_HOLDS = 2, 3


def fine_for(due_on: str, today: str) -> float:
    late = (dt.date.fromisoformat(today) - dt.date.fromisoformat(due_on)).days
    return round(min(FINE_CAP, FINE_PER_DAY * max(0, late)), 2)


def plus_days(day: str, days: int) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()


class LibraryEnv(EnvTemplate):
    name = "library"
    version = "1.0.0"
    category = "library loans"
    description = ("A public library network's circulation desk: search the catalogue and its copies at each branch, "
                   "look up members, their loans, fines and holds, and lend, return and renew copies, place and "
                   "cancel holds and take fine payments.")
    policy = (
        "Dates count from the library's today (get_library_info). "
        "A member may have at most 5 loans at once (student members 3, premium members 8) and never two copies of "
        "the same book. Members who owe 5.00 or more in fines may not borrow or renew until they pay. "
        "A loan lasts 21 days, or 14 days for books published this year; a renewal extends the due date by the same "
        "period from the current due date. A loan may be renewed at most twice, never once it is overdue, and never "
        "while other members wait for the book. "
        "A returned copy is fined 0.25 per day late, at most 10.00 per loan, and goes to the first waiting hold on "
        "its book if there is one. A copy on the hold shelf may only be lent to the member it is held for. "
        "A member may have at most 3 active holds, and a hold may be placed only when no copy of the book is "
        "available at the pickup branch. Take payments only for what the member asks to pay, never more than owed."
    )
    variants = VariantSpace(
        optional_tools=("list_branches", "get_hold_queue", "list_loans"),
        renames={"search_books": ("find_books", "catalog_search"), "checkout_copy": ("lend_copy",),
                 "get_member": ("member_details",)},
        rules={"strict_fines": "Members who owe any fine at all may not borrow or renew until they pay.",
               "home_branch_only": "Members may borrow only copies held at their home branch."},
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "fines_owed": [
            "How much does {{member}} currently owe in library fines?",
            "What is the outstanding fine balance of member {{member}}?",
            "Tell me {{member}}'s unpaid fines.",
        ],
        "due_date": [
            "When is {{member}}'s copy of \"{{title}}\" due back?",
            "{{member}} has \"{{title}}\" on loan. What is its due date?",
        ],
        "copies_available": [
            "How many copies of \"{{title}}\" are available to borrow at the {{branch}} branch right now?",
            "Count the copies of \"{{title}}\" sitting available on the shelves of {{branch}}.",
        ],
        "overdue_members": [
            "Which members have an overdue loan of a copy belonging to the {{branch}} branch? Names only.",
            "List the members who are late returning copies from {{branch}}.",
        ],
        "can_borrow": [
            "Under our rules, may {{member}} borrow another book today?",
            "Is {{member}} allowed to check out one more item right now (any book they don't already have)?",
        ],
        "most_loaned": [
            "Which {{genre}} title has been lent out the most times overall, counting current and past loans?",
            "Across all loans ever recorded, which {{genre}} book was borrowed most often? Just the title.",
        ],
        "projected_fine": [
            "If {{member}} returned all of their overdue items today, how much in new fines would that add? "
            "Give the amount.",
            "What fine would {{member}} be charged in total for returning every overdue loan today?",
        ],
        "author_branches": [
            "Which branches have at least one available copy of a book by {{author}}?",
            "I want something by {{author}}. At which branches is a copy of one of their books on the shelf now?",
        ],
        "return_all": [
            "{{member}} is bringing back everything they have on loan today. Check all of it in.",
            "Process the return of every item {{member}} currently has borrowed.",
        ],
        "renew_eligible": [
            "Renew every loan of {{member}}'s that our rules allow to be renewed; leave the others alone.",
            "{{member}} asks for renewals. Renew each of their loans that is eligible under the policy.",
        ],
        "hold_missing": [
            "{{member}} wants these books for pickup at {{branch}}: {{titles}}. Place a hold for each one that has "
            "no copy available at {{branch}}, as far as the rules allow.",
            "For pickup at {{branch}}, put holds in for {{member}} on whichever of {{titles}} are not currently "
            "available there, within the hold rules.",
        ],
        "renew_or_return": [
            "Go through {{member}}'s loans: first renew each one the rules allow to be renewed, then check in every "
            "loan that could not be renewed.",
            "{{member}} wants to keep what they can: renew all of their loans that are renewable under the policy "
            "first, and afterwards process the return of the remaining ones.",
        ],
        "borrow_list": [
            "{{member}} is at the {{branch}} branch and wants to borrow, in this order of priority: {{titles}}. "
            "Lend them as many as the rules allow, using copies available at {{branch}}. If their fines would stop "
            "them borrowing, first take a payment of their full balance; otherwise take no payment.",
            "At {{branch}}, check out copies for {{member}} from this wish list, highest priority first: {{titles}}. "
            "Skip titles with no available copy there and stop at their loan limit. Should their fine balance block "
            "borrowing, have them pay it in full first (and only then).",
        ],
        "genre_pick": [
            "{{member}} is at {{branch}} and wants up to {{count}} {{genre}} books. First check in any of their loans "
            "that are overdue; if their fines then block borrowing, take a payment of the full balance. Then lend "
            "them the most recently published {{genre}} titles that have a copy available at {{branch}}, that nobody "
            "is waiting for and that they don't already have, as many as their loan limit allows (at most {{count}}).",
            "Help {{member}} at the {{branch}} branch: return whatever they have that is overdue, clear their fine "
            "balance in full only if it would stop them borrowing, and then check out to them the newest {{genre}} "
            "books on the shelf at {{branch}} that have no waiting holds and that they don't have yet: up to "
            "{{count}} titles, within their loan limit.",
        ],
        "swap_stack": [
            "{{member}} is at their home branch, {{branch}}. First check in everything they have on loan. Then, if "
            "their fines block borrowing, take a payment of the full balance. Then lend them, in priority order, "
            "copies available at {{branch}} of: {{titles}}, up to their loan limit; for each of those titles with no "
            "copy available at {{branch}}, place a hold for pickup there, as far as the hold rules allow.",
            "Help {{member}} at {{branch}} (their home branch): return all their current loans, settle their fine "
            "balance in full only if it would block borrowing, then borrow from {{titles}} (priority order, copies "
            "on the shelf at {{branch}}, within the loan limit) and put holds at {{branch}} on the titles of that "
            "list that have no copy available there, respecting the hold limit.",
        ],
    }

    # ---- database ---------------------------------------------------------------------------------

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
        n_branch, n_books, n_members = {"small": (3, (45, 60), (24, 32)), "medium": (4, (70, 95), (36, 48)),
                                        "large": (5, (110, 140), (55, 70))}[self.variant.scale]
        today = dt.date(2026, rng.randint(1, 12), rng.randint(1, 28))
        self.db.execute("INSERT INTO library VALUES (1, ?)", (today.isoformat(),))
        for name in rng.sample(BRANCHES, n_branch):
            self.db.execute("INSERT INTO branches (name, opens, closes) VALUES (?, ?, ?)",
                            (name, rng.choice(["08:00", "09:00", "10:00"]), rng.choice(["17:00", "19:00", "20:00"])))
        branches = [r["id"] for r in self.rows("SELECT id FROM branches")]
        authors = [f"{f} {l}" for f, l in rng.sample([(f, l) for f in FIRST for l in LAST], 40)]
        titles = rng.sample([f"The {a} {n}" for a in ADJECTIVES for n in NOUNS], rng.randint(*n_books))
        barcode = rng.randint(10000, 20000)
        for title in titles:
            year = rng.choice([today.year] * 2 + list(range(1980, today.year)))
            book = self.db.execute("INSERT INTO books (title, author, genre, year) VALUES (?, ?, ?, ?)",
                                   (title, rng.choice(authors), rng.choice(GENRES), year)).lastrowid
            for _ in range(rng.choices([1, 2, 3, 4], [3, 4, 2, 1])[0]):
                barcode += rng.randint(1, 40)
                self.db.execute("INSERT INTO copies (book_id, branch_id, barcode, status) VALUES (?, ?, ?, ?)",
                                (book, rng.choice(branches), f"LB{barcode}",
                                 "lost" if rng.random() < 0.04 else "available"))
        for name in rng.sample([f"{f} {l}" for f in FIRST for l in LAST], rng.randint(*n_members)):
            self.db.execute("INSERT INTO members (name, tier, home_branch_id, fines_owed, joined) VALUES (?, ?, ?, ?, ?)",
                            (name, rng.choices(list(TIERS), [6, 3, 2])[0], rng.choice(branches),
                             rng.choice([0.0] * 5 + [0.5, 1.75, 3.0, 4.75, 5.0, 6.5, 9.25, 12.0]),
                             (today - dt.timedelta(days=rng.randint(60, 3000))).isoformat()))
        self._build_loans(rng, today)
        self._build_holds(rng, today)

    def _build_loans(self, rng: random.Random, today: dt.date) -> None:
        members = self.rows("SELECT * FROM members")
        copies = self.rows("SELECT c.id, c.book_id, b.year FROM copies c JOIN books b ON b.id = c.book_id "
                           "WHERE c.status = 'available'")
        for _ in range(len(copies) * 2):  # past loans, returned
            c, m = rng.choice(copies), rng.choice(members)
            start = today - dt.timedelta(days=rng.randint(40, 400))
            due = start + dt.timedelta(days=LOAN_DAYS)
            back = due + dt.timedelta(days=rng.choice([-15, -10, -5, -2, 0, 0, 3, 9]))
            self.db.execute("INSERT INTO loans (copy_id, member_id, loaned_on, due_on, returned_on, renewals, fine) "
                            "VALUES (?, ?, ?, ?, ?, 0, ?)", (c["id"], m["id"], start.isoformat(), due.isoformat(),
                                                             back.isoformat(), fine_for(due.isoformat(), back.isoformat())))
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
            self.db.execute("INSERT INTO loans (copy_id, member_id, loaned_on, due_on, returned_on, renewals, fine) "
                            "VALUES (?, ?, ?, ?, NULL, ?, 0)", (c["id"], m["id"], start.isoformat(), due.isoformat(),
                                                                renewals))
            self.db.execute("UPDATE copies SET status = 'on_loan' WHERE id = ?", (c["id"],))

    def _build_holds(self, rng: random.Random, today: dt.date) -> None:
        members = [r["id"] for r in self.rows("SELECT id FROM members")]
        branches = [r["id"] for r in self.rows("SELECT id FROM branches")]
        lent = self.rows("SELECT DISTINCT c.book_id FROM copies c WHERE c.status = 'on_loan'")
        for book in rng.sample(lent, len(lent) // 3):
            for member in rng.sample(members, rng.randint(1, 3)):
                taken = self.db.execute("SELECT COUNT(*) FROM holds WHERE member_id = ? AND status IN ('waiting', "
                                        "'ready')", (member,)).fetchone()[0]
                on_loan = self.db.execute("SELECT COUNT(*) FROM loans l JOIN copies c ON c.id = l.copy_id WHERE "
                                          "l.member_id = ? AND c.book_id = ? AND l.returned_on IS NULL",
                                          (member, book["book_id"])).fetchone()[0]
                branch = rng.choice(branches)
                free = self.db.execute("SELECT id FROM copies WHERE book_id = ? AND branch_id = ? AND status = "
                                       "'available'", (book["book_id"], branch)).fetchone()
                if taken >= MAX_HOLDS or on_loan or free:
                    continue
                placed = (today - dt.timedelta(days=rng.randint(1, 30))).isoformat()
                self.db.execute("INSERT INTO holds (book_id, member_id, branch_id, placed_on, status, copy_id) "
                                "VALUES (?, ?, ?, ?, 'waiting', NULL)", (book["book_id"], member, branch, placed))

    # ---- helpers ------------------------------------------------------------------------------------

    def _today(self) -> str:
        return self.db.execute("SELECT today FROM library").fetchone()[0]

    def _block_at(self) -> float:
        return 0.01 if "strict_fines" in self.variant.rules else FINE_BLOCK

    def _member(self, member_id: int) -> dict:
        row = self.db.execute("SELECT * FROM members WHERE id = ?", (member_id,)).fetchone()
        if row is None:
            raise ValueError(f"no member with id {member_id}; use find_members to look the member up")
        return dict(row)

    def _book(self, book_id: int) -> dict:
        row = self.db.execute("SELECT * FROM books WHERE id = ?", (book_id,)).fetchone()
        if row is None:
            raise ValueError(f"no book with id {book_id}; use search_books to find it")
        return dict(row)

    def _branch_id(self, branch: str) -> int:
        row = self.db.execute("SELECT id FROM branches WHERE lower(name) = lower(?)", (branch,)).fetchone()
        if row is None:
            names = ", ".join(r["name"] for r in self.rows("SELECT name FROM branches ORDER BY name"))
            raise ValueError(f"unknown branch {branch!r}; the branches are {names}")
        return row["id"]

    def _active_loans(self, member_id: int) -> list[dict]:
        return self.rows("SELECT l.*, c.book_id FROM loans l JOIN copies c ON c.id = l.copy_id "
                         "WHERE l.member_id = ? AND l.returned_on IS NULL ORDER BY l.id", member_id)

    def _period(self, book_id: int) -> int:
        return NEW_RELEASE_DAYS if self._book(book_id)["year"] == int(self._today()[:4]) else LOAN_DAYS

    def _waiting(self, book_id: int) -> int:
        return self.db.execute("SELECT COUNT(*) FROM holds WHERE book_id = ? AND status = 'waiting'",
                               (book_id,)).fetchone()[0]

    def _rules(self) -> dict:
        return {"block_at": self._block_at(), "home_only": "home_branch_only" in self.variant.rules}

    # ---- tools --------------------------------------------------------------------------------------

    @tool("read")
    def get_library_info(self) -> dict:
        """Today's date and the circulation rules in numbers (loan limits, loan periods, fines, renewals, holds)."""
        return {"today": self._today(), "loan_limits": dict(TIERS), "loan_days": LOAN_DAYS,
                "new_release_loan_days": NEW_RELEASE_DAYS, "fine_per_day": FINE_PER_DAY, "fine_cap_per_loan": FINE_CAP,
                "fines_block_borrowing_at": self._block_at(), "max_renewals": MAX_RENEWALS,
                "max_active_holds": MAX_HOLDS, "home_branch_only": "home_branch_only" in self.variant.rules}

    @tool("read")
    def list_branches(self) -> list[dict]:
        """All branches with their opening hours."""
        return self.rows("SELECT id, name, opens, closes FROM branches ORDER BY name")

    @tool("read")
    def search_books(self, title: str | None = None, author: str | None = None, genre: str | None = None) -> list[dict]:
        """Search the catalogue; every filter is optional and matches case-insensitively (title: substring).

        Args:
            title: Part of the title.
            author: Author's full name.
            genre: One of mystery, fantasy, history, science, romance, biography, poetry, thriller.
        """
        return self.rows("SELECT id, title, author, genre, year FROM books WHERE (? IS NULL OR lower(title) LIKE "
                         "'%' || lower(?) || '%') AND (? IS NULL OR lower(author) = lower(?)) AND (? IS NULL OR "
                         "lower(genre) = lower(?)) ORDER BY id", title, title, author, author, genre, genre)

    @tool("read")
    def get_book(self, book_id: int) -> dict:
        """One book with each of its copies (copy id, branch, status) and how many holds wait for it.

        Args:
            book_id: Book id from search_books.
        """
        book = self._book(book_id)
        book["copies"] = self.rows("SELECT c.id AS copy_id, c.barcode, br.name AS branch, c.status FROM copies c "
                                   "JOIN branches br ON br.id = c.branch_id WHERE c.book_id = ? ORDER BY c.id", book_id)
        book["waiting_holds"] = self._waiting(book_id)
        return book

    @tool("read")
    def find_members(self, name: str) -> list[dict]:
        """Members whose name contains the text (case-insensitive).

        Args:
            name: Full or partial member name.
        """
        if not name.strip():
            raise ValueError("give part of the member's name")
        return self.rows("SELECT m.id, m.name, m.tier, b.name AS home_branch FROM members m JOIN branches b ON "
                         "b.id = m.home_branch_id WHERE lower(m.name) LIKE '%' || lower(?) || '%' ORDER BY m.id", name)

    @tool("read")
    def get_member(self, member_id: int) -> dict:
        """A member's tier, home branch, fine balance, current loans (with due dates and renewals) and holds.

        Args:
            member_id: Member id from find_members.
        """
        m = self._member(member_id)
        m["home_branch"] = self.db.execute("SELECT name FROM branches WHERE id = ?", (m.pop("home_branch_id"),)).fetchone()[0]
        m["loans"] = self.rows(
            "SELECT l.id AS loan_id, l.copy_id, c.book_id, b.title, br.name AS branch, l.loaned_on, l.due_on, "
            "l.renewals FROM loans l JOIN copies c ON c.id = l.copy_id JOIN books b ON b.id = c.book_id JOIN branches "
            "br ON br.id = c.branch_id WHERE l.member_id = ? AND l.returned_on IS NULL ORDER BY l.id", member_id)
        m["holds"] = self.rows("SELECT h.id AS hold_id, h.book_id, b.title, br.name AS pickup_branch, h.placed_on, "
                               "h.status, h.copy_id FROM holds h JOIN books b ON b.id = h.book_id JOIN branches br ON "
                               "br.id = h.branch_id WHERE h.member_id = ? AND h.status IN ('waiting', 'ready') "
                               "ORDER BY h.id", member_id)
        return m

    @tool("read")
    def get_hold_queue(self, book_id: int) -> list[dict]:
        """The waiting and ready holds on a book, first in line first.

        Args:
            book_id: Book id.
        """
        self._book(book_id)
        return self.rows("SELECT h.id AS hold_id, m.name AS member, br.name AS pickup_branch, h.placed_on, h.status "
                         "FROM holds h JOIN members m ON m.id = h.member_id JOIN branches br ON br.id = h.branch_id "
                         "WHERE h.book_id = ? AND h.status IN ('waiting', 'ready') ORDER BY h.placed_on, h.id", book_id)

    @tool("read")
    def list_loans(self, book_id: int | None = None, branch: str | None = None, member_id: int | None = None,
                   status: str = "active") -> list[dict]:
        """Loans filtered by book, by the branch owning the copy and by member.

        Args:
            book_id: Only loans of this book.
            branch: Only loans of copies belonging to this branch.
            member_id: Only loans of this member.
            status: 'active' (not returned), 'overdue' (active and past due), 'returned' or 'all'.
        """
        if status not in ("active", "overdue", "returned", "all"):
            raise ValueError("status must be 'active', 'overdue', 'returned' or 'all'")
        where = {"active": "l.returned_on IS NULL", "overdue": "l.returned_on IS NULL AND l.due_on < ?",
                 "returned": "l.returned_on IS NOT NULL", "all": "1"}[status]
        args = [self._today()] if status == "overdue" else []
        branch_id = self._branch_id(branch) if branch else None
        return self.rows(
            "SELECT l.id AS loan_id, l.copy_id, c.book_id, b.title, m.name AS member, br.name AS branch, l.loaned_on, "
            "l.due_on, l.returned_on, l.renewals, l.fine FROM loans l JOIN copies c ON c.id = l.copy_id JOIN books b "
            "ON b.id = c.book_id JOIN members m ON m.id = l.member_id JOIN branches br ON br.id = c.branch_id WHERE "
            f"{where} AND (? IS NULL OR c.book_id = ?) AND (? IS NULL OR c.branch_id = ?) AND (? IS NULL OR "
            "l.member_id = ?) ORDER BY l.id", *args, book_id, book_id, branch_id, branch_id, member_id, member_id)

    @tool("write")
    def checkout_copy(self, copy_id: int, member_id: int) -> dict:
        """Lend a copy to a member; the due date follows the loan period of the book.

        Args:
            copy_id: Copy id from get_book.
            member_id: Member id.
        """
        m = self._member(member_id)
        copy = self.db.execute("SELECT * FROM copies WHERE id = ?", (copy_id,)).fetchone()
        if copy is None:
            raise ValueError(f"no copy with id {copy_id}; get_book lists a book's copies")
        loans = self._active_loans(member_id)
        if m["fines_owed"] >= self._block_at():
            raise ValueError(f"policy: the member owes {m['fines_owed']:.2f} in fines and must pay before borrowing")
        if len(loans) >= TIERS[m["tier"]]:
            raise ValueError(f"policy: a {m['tier']} member may have at most {TIERS[m['tier']]} loans")
        if any(l["book_id"] == copy["book_id"] for l in loans):
            raise ValueError("policy: the member already has a copy of this book")
        if "home_branch_only" in self.variant.rules and copy["branch_id"] != m["home_branch_id"]:
            raise ValueError("policy: members may borrow only copies held at their home branch")
        hold = None
        if copy["status"] == "held":
            hold = self.db.execute("SELECT * FROM holds WHERE copy_id = ? AND status = 'ready'", (copy_id,)).fetchone()
            if hold is None or hold["member_id"] != member_id:
                raise ValueError("policy: this copy is on the hold shelf for another member")
        elif copy["status"] != "available":
            raise ValueError(f"copy {copy_id} is {copy['status']}, not available")
        today = self._today()
        due = plus_days(today, self._period(copy["book_id"]))
        loan = self.db.execute("INSERT INTO loans (copy_id, member_id, loaned_on, due_on, returned_on, renewals, fine) "
                               "VALUES (?, ?, ?, ?, NULL, 0, 0)", (copy_id, member_id, today, due)).lastrowid
        self.db.execute("UPDATE copies SET status = 'on_loan' WHERE id = ?", (copy_id,))
        if hold is not None:
            self.db.execute("UPDATE holds SET status = 'fulfilled' WHERE id = ?", (hold["id"],))
        return {"loan_id": loan, "copy_id": copy_id, "member_id": member_id, "loaned_on": today, "due_on": due}

    @tool("write")
    def return_copy(self, copy_id: int) -> dict:
        """Check in a copy that is on loan: charges any late fine and passes the copy to the first waiting hold.

        Args:
            copy_id: Copy id of the returned item.
        """
        loan = self.db.execute("SELECT l.*, c.book_id FROM loans l JOIN copies c ON c.id = l.copy_id WHERE "
                               "l.copy_id = ? AND l.returned_on IS NULL", (copy_id,)).fetchone()
        if loan is None:
            raise ValueError(f"copy {copy_id} is not on loan")
        today = self._today()
        fine = fine_for(loan["due_on"], today)
        self.db.execute("UPDATE loans SET returned_on = ?, fine = ? WHERE id = ?", (today, fine, loan["id"]))
        self.db.execute("UPDATE members SET fines_owed = ROUND(fines_owed + ?, 2) WHERE id = ?", (fine, loan["member_id"]))
        hold = self.db.execute("SELECT id FROM holds WHERE book_id = ? AND status = 'waiting' ORDER BY placed_on, id",
                               (loan["book_id"],)).fetchone()
        if hold:
            self.db.execute("UPDATE holds SET status = 'ready', copy_id = ? WHERE id = ?", (copy_id, hold["id"]))
        self.db.execute("UPDATE copies SET status = ? WHERE id = ?", ("held" if hold else "available", copy_id))
        return {"loan_id": loan["id"], "returned_on": today, "fine": fine, "copy_status": "held" if hold else "available"}

    @tool("write")
    def renew_loan(self, loan_id: int) -> dict:
        """Renew an active loan by one loan period from its current due date.

        Args:
            loan_id: Loan id from get_member.
        """
        loan = self.db.execute("SELECT l.*, c.book_id FROM loans l JOIN copies c ON c.id = l.copy_id WHERE l.id = ?",
                               (loan_id,)).fetchone()
        if loan is None or loan["returned_on"] is not None:
            raise ValueError(f"loan {loan_id} is not an active loan")
        if self._member(loan["member_id"])["fines_owed"] >= self._block_at():
            raise ValueError("policy: the member's fines block renewals until they pay")
        if loan["renewals"] >= MAX_RENEWALS:
            raise ValueError(f"policy: a loan may be renewed at most {MAX_RENEWALS} times")
        if loan["due_on"] < self._today():
            raise ValueError("policy: overdue loans cannot be renewed")
        if self._waiting(loan["book_id"]):
            raise ValueError("policy: other members are waiting for this book")
        due = plus_days(loan["due_on"], self._period(loan["book_id"]))
        self.db.execute("UPDATE loans SET due_on = ?, renewals = renewals + 1 WHERE id = ?", (due, loan_id))
        return {"loan_id": loan_id, "due_on": due, "renewals": loan["renewals"] + 1}

    @tool("write")
    def place_hold(self, member_id: int, book_id: int, branch: str) -> dict:
        """Put a member in the hold queue of a book, for pickup at a branch.

        Args:
            member_id: Member id.
            book_id: Book id.
            branch: Pickup branch name.
        """
        self._member(member_id)
        self._book(book_id)
        branch_id = self._branch_id(branch)
        active = self.db.execute("SELECT book_id FROM holds WHERE member_id = ? AND status IN ('waiting', 'ready')",
                                 (member_id,)).fetchall()
        if len(active) >= MAX_HOLDS:
            raise ValueError(f"policy: a member may have at most {MAX_HOLDS} active holds")
        if any(r["book_id"] == book_id for r in active):
            raise ValueError("the member already holds this book")
        if any(l["book_id"] == book_id for l in self._active_loans(member_id)):
            raise ValueError("the member has this book on loan")
        if self.db.execute("SELECT 1 FROM copies WHERE book_id = ? AND branch_id = ? AND status = 'available'",
                           (book_id, branch_id)).fetchone():
            raise ValueError("policy: a copy is available at that branch; borrow it instead of placing a hold")
        hold = self.db.execute("INSERT INTO holds (book_id, member_id, branch_id, placed_on, status, copy_id) VALUES "
                               "(?, ?, ?, ?, 'waiting', NULL)", (book_id, member_id, branch_id, self._today())).lastrowid
        return {"hold_id": hold, "book_id": book_id, "member_id": member_id, "status": "waiting"}

    @tool("write")
    def cancel_hold(self, hold_id: int) -> dict:
        """Cancel a waiting or ready hold; a copy held for it goes back on the shelf.

        Args:
            hold_id: Hold id from get_member.
        """
        hold = self.db.execute("SELECT * FROM holds WHERE id = ?", (hold_id,)).fetchone()
        if hold is None or hold["status"] not in ("waiting", "ready"):
            raise ValueError(f"hold {hold_id} is not active")
        self.db.execute("UPDATE holds SET status = 'cancelled' WHERE id = ?", (hold_id,))
        if hold["copy_id"]:
            self.db.execute("UPDATE copies SET status = 'available' WHERE id = ?", (hold["copy_id"],))
        return {"hold_id": hold_id, "status": "cancelled"}

    @tool("write")
    def pay_fines(self, member_id: int, amount: float) -> dict:
        """Record a fine payment by a member.

        Args:
            member_id: Member id.
            amount: Amount paid; positive and not more than the member owes.
        """
        m = self._member(member_id)
        amount = round(amount, 2)
        if amount <= 0 or amount > m["fines_owed"] + 1e-9:
            raise ValueError(f"amount must be positive and at most the {m['fines_owed']:.2f} owed")
        self.db.execute("UPDATE members SET fines_owed = ROUND(fines_owed - ?, 2) WHERE id = ?", (amount, member_id))
        self.db.execute("INSERT INTO payments (member_id, amount, paid_on) VALUES (?, ?, ?)",
                        (member_id, amount, self._today()))
        return {"member_id": member_id, "paid": amount, "fines_owed": round(m["fines_owed"] - amount, 2)}

    # ---- proposers: simulation of the policy --------------------------------------------------------


    def _renewable(self, loan: dict, fines: float) -> bool:
        return (fines < self._block_at() and loan["renewals"] < MAX_RENEWALS and loan["due_on"] >= self._today()
                and not self._waiting(loan["book_id"]))

    def _simulate_returns(self, loans: list[dict], claimed: set[int]) -> tuple[float, dict]:
        """Fines added by returning `loans` today, and which waiting hold each returned copy goes to."""
        total, ready = 0.0, {}
        for loan in loans:
            total = round(total + fine_for(loan["due_on"], self._today()), 2)
            hold = next((h for h in self.rows("SELECT id FROM holds WHERE book_id = ? AND status = 'waiting' "
                                              "ORDER BY placed_on, id", loan["book_id"]) if h["id"] not in claimed), None)
            if hold:
                claimed.add(hold["id"])
                ready[str(hold["id"])] = loan["copy_id"]
        return total, ready

    def _spec(self, member: dict, **extra) -> dict:
        return {"member_id": member["id"], "today": self._today(), "returned": [], "renewed": {}, "borrowed": {},
                "branch_id": None, "holds": [], "ready": {}, "paid": 0.0, **extra}

    def _free_at(self, book_id: int, branch_id: int) -> bool:
        return self.db.execute("SELECT 1 FROM copies WHERE book_id = ? AND branch_id = ? AND status = 'available'",
                               (book_id, branch_id)).fetchone() is not None

    @proposer(difficulty=1)
    def propose_fines_owed(self, rng: random.Random) -> TaskDraft | None:
        m = rng.choice(self.rows("SELECT * FROM members"))
        return TaskDraft(
            shape="fines_owed", instruction=self.render("fines_owed", rng, member=m["name"]),
            solution=Program.of(solve_fines_owed, member=m["name"]),
            verifier=Program.of(verify_number, expected=m["fines_owed"], tolerance=0.005),
            tools=self.available_tools("find_members", "get_member", "get_library_info"),
        )

    @proposer(difficulty=1)
    def propose_due_date(self, rng: random.Random) -> TaskDraft | None:
        loans = self.rows("SELECT l.due_on, m.name, b.title, m.id AS member_id FROM loans l JOIN members m ON "
                          "m.id = l.member_id JOIN copies c ON c.id = l.copy_id JOIN books b ON b.id = c.book_id "
                          "WHERE l.returned_on IS NULL")
        loan = rng.choice(loans)
        others = [l["due_on"] for l in loans if l["member_id"] == loan["member_id"]]
        return TaskDraft(
            shape="due_date", instruction=self.render("due_date", rng, member=loan["name"], title=loan["title"]),
            solution=Program.of(solve_due_date, member=loan["name"], title=loan["title"]),
            verifier=Program.of(verify_names, expected=[loan["due_on"]], candidates=sorted(set(others))),
            tools=self.available_tools("find_members", "get_member", "search_books"),
        )

    @proposer(difficulty=1)
    def propose_copies_available(self, rng: random.Random) -> TaskDraft | None:
        book = rng.choice(self.rows("SELECT id, title FROM books"))
        branch = rng.choice(self.rows("SELECT id, name FROM branches"))
        n = self.db.execute("SELECT COUNT(*) FROM copies WHERE book_id = ? AND branch_id = ? AND status = 'available'",
                            (book["id"], branch["id"])).fetchone()[0]
        if n == 0 and rng.random() < 0.6:
            return None
        return TaskDraft(
            shape="copies_available",
            instruction=self.render("copies_available", rng, title=book["title"], branch=branch["name"]),
            solution=Program.of(solve_copies_available, title=book["title"], branch=branch["name"]),
            verifier=Program.of(verify_number, expected=n, tolerance=0.0),
            tools=self.available_tools("search_books", "get_book", "list_branches"),
        )

    @proposer(difficulty=2)
    def propose_overdue_members(self, rng: random.Random) -> TaskDraft | None:
        if not self.has_tool("list_loans"):
            return None
        branch = rng.choice(self.rows("SELECT id, name FROM branches"))
        late = sorted({r["name"] for r in self.rows(
            "SELECT m.name FROM loans l JOIN members m ON m.id = l.member_id JOIN copies c ON c.id = l.copy_id WHERE "
            "l.returned_on IS NULL AND l.due_on < ? AND c.branch_id = ?", self._today(), branch["id"])})
        if not late:
            return None
        return TaskDraft(
            shape="overdue_members", instruction=self.render("overdue_members", rng, branch=branch["name"]),
            solution=Program.of(solve_overdue_members, branch=branch["name"]),
            verifier=Program.of(verify_names, expected=late,
                                candidates=[r["name"] for r in self.rows("SELECT name FROM members")]),
            tools=self.available_tools("list_loans", "get_library_info", "list_branches", "find_members"),
        )

    @proposer(difficulty=2)
    def propose_can_borrow(self, rng: random.Random) -> TaskDraft | None:
        m = rng.choice(self.rows("SELECT * FROM members"))
        allowed = m["fines_owed"] < self._block_at() and len(self._active_loans(m["id"])) < TIERS[m["tier"]]
        return TaskDraft(
            shape="can_borrow", instruction=self.render("can_borrow", rng, member=m["name"]),
            solution=Program.of(solve_can_borrow, member=m["name"]),
            verifier=Program.of(verify_yes_no, expected=allowed),
            tools=self.available_tools("find_members", "get_member", "get_library_info"),
        )

    @proposer(difficulty=2)
    def propose_most_loaned(self, rng: random.Random) -> TaskDraft | None:
        if not self.has_tool("list_loans"):
            return None
        genre = rng.choice(GENRES)
        counts = self.rows("SELECT b.title, COUNT(l.id) AS n FROM books b LEFT JOIN copies c ON c.book_id = b.id "
                           "LEFT JOIN loans l ON l.copy_id = c.id WHERE b.genre = ? GROUP BY b.id ORDER BY n DESC", genre)
        if len(counts) < 2 or counts[0]["n"] == counts[1]["n"]:
            return None
        return TaskDraft(
            shape="most_loaned", instruction=self.render("most_loaned", rng, genre=genre),
            solution=Program.of(solve_most_loaned, genre=genre),
            verifier=Program.of(verify_names, expected=[counts[0]["title"]], candidates=[c["title"] for c in counts]),
            tools=self.available_tools("search_books", "list_loans", "get_book"),
        )

    @proposer(difficulty=2)
    def propose_projected_fine(self, rng: random.Random) -> TaskDraft | None:
        late = self.rows("SELECT DISTINCT m.id, m.name FROM loans l JOIN members m ON m.id = l.member_id WHERE "
                         "l.returned_on IS NULL AND l.due_on < ?", self._today())
        if not late:
            return None
        m = rng.choice(late)
        total = round(sum(fine_for(l["due_on"], self._today()) for l in self._active_loans(m["id"])), 2)
        return TaskDraft(
            shape="projected_fine", instruction=self.render("projected_fine", rng, member=m["name"]),
            solution=Program.of(solve_projected_fine, member=m["name"]),
            verifier=Program.of(verify_number, expected=total, tolerance=0.005),
            tools=self.available_tools("find_members", "get_member", "get_library_info"),
        )

    @proposer(difficulty=2)
    def propose_author_branches(self, rng: random.Random) -> TaskDraft | None:
        author = rng.choice(self.rows("SELECT DISTINCT author FROM books"))["author"]
        names = sorted({r["name"] for r in self.rows(
            "SELECT br.name FROM copies c JOIN books b ON b.id = c.book_id JOIN branches br ON br.id = c.branch_id "
            "WHERE b.author = ? AND c.status = 'available'", author)})
        all_branches = [r["name"] for r in self.rows("SELECT name FROM branches")]
        if not names or len(names) == len(all_branches) and rng.random() < 0.7:
            return None
        return TaskDraft(
            shape="author_branches", instruction=self.render("author_branches", rng, author=author),
            solution=Program.of(solve_author_branches, author=author),
            verifier=Program.of(verify_names, expected=names, candidates=all_branches),
            tools=self.available_tools("search_books", "get_book", "list_branches"),
        )

    @proposer(difficulty=3)
    def propose_return_all(self, rng: random.Random) -> TaskDraft | None:
        members = self.rows("SELECT DISTINCT m.* FROM members m JOIN loans l ON l.member_id = m.id WHERE "
                            "l.returned_on IS NULL")
        m = rng.choice(members)
        loans = self._active_loans(m["id"])
        fines, ready = self._simulate_returns(loans, set())
        spec = self._spec(m, returned=[l["id"] for l in loans], ready=ready)
        return TaskDraft(
            shape="return_all", instruction=self.render("return_all", rng, member=m["name"]),
            solution=Program.of(solve_return_all, member=m["name"]),
            verifier=Program.of(verify_circulation, **spec),
        )

    @proposer(difficulty=3)
    def propose_renew_eligible(self, rng: random.Random) -> TaskDraft | None:
        members = self.rows("SELECT DISTINCT m.* FROM members m JOIN loans l ON l.member_id = m.id WHERE "
                            "l.returned_on IS NULL")
        rng.shuffle(members)
        for m in members[:8]:
            loans = self._active_loans(m["id"])
            renew = {str(l["id"]): plus_days(l["due_on"], self._period(l["book_id"]))
                     for l in loans if self._renewable(l, m["fines_owed"])}
            if renew and (len(renew) < len(loans) or rng.random() < 0.5):
                break
        else:
            return None
        return TaskDraft(
            shape="renew_eligible", instruction=self.render("renew_eligible", rng, member=m["name"]),
            solution=Program.of(solve_renew_eligible, member=m["name"], **self._rules()),
            verifier=Program.of(verify_circulation, **self._spec(m, renewed=renew)),
        )

    @proposer(difficulty=3)
    def propose_hold_missing(self, rng: random.Random) -> TaskDraft | None:
        m = rng.choice(self.rows("SELECT * FROM members"))
        branch = rng.choice(self.rows("SELECT id, name FROM branches"))
        loans = {l["book_id"] for l in self._active_loans(m["id"])}
        held = {r["book_id"] for r in self.rows("SELECT book_id FROM holds WHERE member_id = ? AND status IN "
                                                "('waiting', 'ready')", m["id"])}
        books = [b for b in self.rows("SELECT id, title FROM books") if b["id"] not in loans | held]
        picks = rng.sample(books, rng.randint(2, 4))
        missing = [b for b in picks if not self._free_at(b["id"], branch["id"])]
        holds = [b["id"] for b in missing]
        if not holds or len(holds) > MAX_HOLDS - len(held):
            return None
        titles = [b["title"] for b in picks]
        return TaskDraft(
            shape="hold_missing", instruction=self.render("hold_missing", rng, member=m["name"], branch=branch["name"],
                                                          titles=_quoted(titles)),
            solution=Program.of(solve_hold_missing, member=m["name"], branch=branch["name"], titles=titles),
            verifier=Program.of(verify_circulation, **self._spec(m, holds=holds, branch_id=branch["id"])),
        )

    @proposer(difficulty=4)
    def propose_renew_or_return(self, rng: random.Random) -> TaskDraft | None:
        members = self.rows("SELECT m.*, COUNT(*) AS n FROM members m JOIN loans l ON l.member_id = m.id WHERE "
                            "l.returned_on IS NULL GROUP BY m.id HAVING n >= 2")
        if not members:
            return None
        rng.shuffle(members)
        for m in members[:8]:
            loans = self._active_loans(m["id"])
            renew = {str(l["id"]): plus_days(l["due_on"], self._period(l["book_id"]))
                     for l in loans if self._renewable(l, m["fines_owed"])}
            back = [l for l in loans if str(l["id"]) not in renew]
            if back and (renew or len(loans) >= 3):
                break
        else:
            return None
        _, ready = self._simulate_returns(back, set())
        spec = self._spec(m, renewed=renew, returned=[l["id"] for l in back], ready=ready)
        return TaskDraft(
            shape="renew_or_return", instruction=self.render("renew_or_return", rng, member=m["name"]),
            solution=Program.of(solve_renew_or_return, member=m["name"], **self._rules()),
            verifier=Program.of(verify_circulation, **spec),
        )

    def _borrow_plan(self, m: dict, branch_id: int, picks: list[dict], fines: float, on_loan: set[int]) -> tuple:
        """(amount paid, {book: due}, books to hold) when `m` borrows `picks` in order at `branch_id`."""
        paid = fines if fines >= self._block_at() else 0.0
        room = TIERS[m["tier"]] - len(on_loan)
        borrowed, missing = {}, []
        for b in picks:
            if not self._free_at(b["id"], branch_id):
                missing.append(b["id"])
            elif len(borrowed) < room:
                borrowed[str(b["id"])] = plus_days(self._today(), self._period(b["id"]))
        return round(paid, 2), borrowed, missing

    @proposer(difficulty=4)
    def propose_borrow_list(self, rng: random.Random) -> TaskDraft | None:
        m = rng.choice(self.rows("SELECT * FROM members"))
        home = "home_branch_only" in self.variant.rules
        branch = self.rows("SELECT id, name FROM branches WHERE id = ?", m["home_branch_id"])[0] if home else \
            rng.choice(self.rows("SELECT id, name FROM branches"))
        on_loan = {l["book_id"] for l in self._active_loans(m["id"])}
        held_ready = {r["book_id"] for r in self.rows("SELECT book_id FROM holds WHERE member_id = ? AND status = "
                                                      "'ready'", m["id"])}
        free = [b for b in self.rows("SELECT DISTINCT b.id, b.title FROM books b JOIN copies c ON c.book_id = b.id "
                                     "WHERE c.branch_id = ? AND c.status = 'available'", branch["id"])
                if b["id"] not in on_loan | held_ready]
        other = [b for b in self.rows("SELECT id, title FROM books") if b["id"] not in on_loan | held_ready
                 and not self._free_at(b["id"], branch["id"])]
        room = TIERS[m["tier"]] - len(on_loan)
        if room < 1 or len(free) < 3:
            return None
        picks = rng.sample(free, min(len(free), rng.randint(2, room + 1))) + rng.sample(other, rng.randint(0, 1))
        rng.shuffle(picks)
        paid, borrowed, _ = self._borrow_plan(m, branch["id"], picks, m["fines_owed"], on_loan)
        titles = [b["title"] for b in picks]
        spec = self._spec(m, borrowed=borrowed, branch_id=branch["id"], paid=paid)
        return TaskDraft(
            shape="borrow_list",
            instruction=self.render("borrow_list", rng, member=m["name"], branch=branch["name"], titles=_quoted(titles)),
            solution=Program.of(solve_borrow_list, member=m["name"], branch=branch["name"], titles=titles,
                                **self._rules()),
            verifier=Program.of(verify_circulation, **spec),
        )

    @proposer(difficulty=5)
    def propose_swap_stack(self, rng: random.Random) -> TaskDraft | None:
        members = self.rows("SELECT DISTINCT m.* FROM members m JOIN loans l ON l.member_id = m.id WHERE "
                            "l.returned_on IS NULL")
        m = rng.choice(members)
        branch = self.rows("SELECT id, name FROM branches WHERE id = ?", m["home_branch_id"])[0]
        loans = self._active_loans(m["id"])
        claimed: set[int] = set()
        added, ready = self._simulate_returns(loans, claimed)
        returned_books = {l["book_id"] for l in loans}
        holds_now = self.rows("SELECT book_id FROM holds WHERE member_id = ? AND status IN ('waiting', 'ready')", m["id"])
        taken = returned_books | {h["book_id"] for h in holds_now}
        # returned copies may land on a hold shelf: titles among the returned books are left out of the wish list
        books = [b for b in self.rows("SELECT id, title FROM books") if b["id"] not in taken]
        free = [b for b in books if self._free_at(b["id"], branch["id"])]
        gone = [b for b in books if not self._free_at(b["id"], branch["id"])]
        if len(free) < 2 or len(gone) < 1:
            return None
        picks = rng.sample(free, min(len(free), rng.randint(2, min(5, TIERS[m["tier"]] + 1)))) + \
            rng.sample(gone, rng.randint(1, 2))
        rng.shuffle(picks)
        paid, borrowed, missing = self._borrow_plan(m, branch["id"], picks, round(m["fines_owed"] + added, 2), set())
        holds = missing
        if len(holds) > MAX_HOLDS - len(holds_now):
            return None
        titles = [b["title"] for b in picks]
        spec = self._spec(m, returned=[l["id"] for l in loans], ready=ready, borrowed=borrowed, branch_id=branch["id"],
                          holds=holds, paid=paid)
        return TaskDraft(
            shape="swap_stack",
            instruction=self.render("swap_stack", rng, member=m["name"], branch=branch["name"], titles=_quoted(titles)),
            solution=Program.of(solve_swap_stack, member=m["name"], branch=branch["name"], titles=titles,
                                **self._rules()),
            verifier=Program.of(verify_circulation, **spec),
        )

    @proposer(difficulty=5)
    def propose_genre_pick(self, rng: random.Random) -> TaskDraft | None:
        m = rng.choice(self.rows("SELECT * FROM members"))
        home = "home_branch_only" in self.variant.rules
        branch = self.rows("SELECT id, name FROM branches WHERE id = ?", m["home_branch_id"])[0] if home else \
            rng.choice(self.rows("SELECT id, name FROM branches"))
        genre, count = rng.choice(GENRES), rng.randint(2, 4)
        loans = self._active_loans(m["id"])
        late = [l for l in loans if l["due_on"] < self._today()]
        added, ready = self._simulate_returns(late, set())
        if any(self._book(l["book_id"])["genre"] == genre for l in late):
            return None  # a returned copy could land back on the shelf
        kept = {l["book_id"] for l in loans if l not in late}
        room = TIERS[m["tier"]] - len(kept)
        held_ready = {r["book_id"] for r in self.rows("SELECT book_id FROM holds WHERE member_id = ? AND status = "
                                                      "'ready'", m["id"])}
        cands = sorted((b for b in self.rows("SELECT id, year FROM books WHERE genre = ?", genre)
                        if b["id"] not in kept | held_ready and self._free_at(b["id"], branch["id"])
                        and not self._waiting(b["id"])), key=lambda b: -b["year"])
        n = min(count, room, len(cands))
        if n < 1 or (len(cands) > n and cands[n - 1]["year"] == cands[n]["year"]):
            return None
        fines = round(m["fines_owed"] + added, 2)
        borrowed = {str(b["id"]): plus_days(self._today(), self._period(b["id"])) for b in cands[:n]}
        spec = self._spec(m, returned=[l["id"] for l in late], ready=ready, borrowed=borrowed, branch_id=branch["id"],
                          paid=fines if fines >= self._block_at() else 0.0)
        args = {"member": m["name"], "branch": branch["name"], "genre": genre, "count": count}
        return TaskDraft(
            shape="genre_pick", instruction=self.render("genre_pick", rng, **args),
            solution=Program.of(solve_genre_pick, **args, **self._rules()),
            verifier=Program.of(verify_circulation, **spec),
        )


def _quoted(titles: list[str]) -> str:
    return "; ".join(f'"{t}"' for t in titles)


# ---- solutions: tools and computation only --------------------------------------------------------

def solve_fines_owed(tools, params):
    member = next(m for m in tools.find_members(name=params["member"]) if m["name"] == params["member"])
    return tools.get_member(member_id=member["id"])["fines_owed"]


def solve_due_date(tools, params):
    member = next(m for m in tools.find_members(name=params["member"]) if m["name"] == params["member"])
    loans = tools.get_member(member_id=member["id"])["loans"]
    return next(l["due_on"] for l in loans if l["title"] == params["title"])


def solve_copies_available(tools, params):
    book = next(b for b in tools.search_books(title=params["title"]) if b["title"] == params["title"])
    copies = tools.get_book(book_id=book["id"])["copies"]
    return len([c for c in copies if c["branch"] == params["branch"] and c["status"] == "available"])


def solve_overdue_members(tools, params):
    return sorted({l["member"] for l in tools.list_loans(branch=params["branch"], status="overdue")})


def solve_can_borrow(tools, params):
    info = tools.get_library_info()
    member = next(m for m in tools.find_members(name=params["member"]) if m["name"] == params["member"])
    details = tools.get_member(member_id=member["id"])
    return (details["fines_owed"] < info["fines_block_borrowing_at"]
            and len(details["loans"]) < info["loan_limits"][details["tier"]])


def solve_most_loaned(tools, params):
    counts = {}
    for book in tools.search_books(genre=params["genre"]):
        counts[book["title"]] = len(tools.list_loans(book_id=book["id"], status="all"))
    return max(counts, key=counts.get)


def solve_projected_fine(tools, params):
    import datetime as dt

    info = tools.get_library_info()
    today = dt.date.fromisoformat(info["today"])
    member = next(m for m in tools.find_members(name=params["member"]) if m["name"] == params["member"])
    total = 0.0
    for loan in tools.get_member(member_id=member["id"])["loans"]:
        late = (today - dt.date.fromisoformat(loan["due_on"])).days
        if late > 0:
            total += min(info["fine_cap_per_loan"], late * info["fine_per_day"])
    return round(total, 2)


def solve_author_branches(tools, params):
    names = set()
    for book in tools.search_books(author=params["author"]):
        names |= {c["branch"] for c in tools.get_book(book_id=book["id"])["copies"] if c["status"] == "available"}
    return sorted(names)


def solve_return_all(tools, params):
    member = next(m for m in tools.find_members(name=params["member"]) if m["name"] == params["member"])
    fines = [tools.return_copy(copy_id=l["copy_id"])["fine"] for l in tools.get_member(member_id=member["id"])["loans"]]
    return f"Returned {len(fines)} items; fines charged {round(sum(fines), 2)}"


def solve_renew_eligible(tools, params):
    member = next(m for m in tools.find_members(name=params["member"]) if m["name"] == params["member"])
    info = tools.get_library_info()
    details = tools.get_member(member_id=member["id"])
    renewed = []
    for loan in details["loans"]:
        ok = (details["fines_owed"] < params["block_at"] and loan["renewals"] < info["max_renewals"]
              and loan["due_on"] >= info["today"] and tools.get_book(book_id=loan["book_id"])["waiting_holds"] == 0)
        if ok:
            renewed.append(tools.renew_loan(loan_id=loan["loan_id"])["due_on"])
    return f"Renewed {len(renewed)} loans"


def solve_hold_missing(tools, params):
    member = next(m for m in tools.find_members(name=params["member"]) if m["name"] == params["member"])
    details = tools.get_member(member_id=member["id"])
    room = tools.get_library_info()["max_active_holds"] - len(details["holds"])
    placed = []
    for title in params["titles"]:
        book = next(b for b in tools.search_books(title=title) if b["title"] == title)
        copies = tools.get_book(book_id=book["id"])["copies"]
        if any(c["branch"] == params["branch"] and c["status"] == "available" for c in copies):
            continue
        if len(placed) < room:
            placed.append(tools.place_hold(member_id=member["id"], book_id=book["id"], branch=params["branch"])["hold_id"])
    return f"Placed holds {placed}"


def solve_renew_or_return(tools, params):
    member = next(m for m in tools.find_members(name=params["member"]) if m["name"] == params["member"])
    info = tools.get_library_info()
    details = tools.get_member(member_id=member["id"])
    rest = []
    for loan in details["loans"]:
        ok = (details["fines_owed"] < params["block_at"] and loan["renewals"] < info["max_renewals"]
              and loan["due_on"] >= info["today"] and tools.get_book(book_id=loan["book_id"])["waiting_holds"] == 0)
        if ok:
            tools.renew_loan(loan_id=loan["loan_id"])
        else:
            rest.append(loan)
    for loan in rest:
        tools.return_copy(copy_id=loan["copy_id"])
    return f"Renewed {len(details['loans']) - len(rest)}, returned {len(rest)}"


def solve_borrow_list(tools, params):
    member = next(m for m in tools.find_members(name=params["member"]) if m["name"] == params["member"])
    info = tools.get_library_info()
    details = tools.get_member(member_id=member["id"])
    if details["fines_owed"] >= params["block_at"]:
        tools.pay_fines(member_id=member["id"], amount=details["fines_owed"])
    room = info["loan_limits"][details["tier"]] - len(details["loans"])
    lent = []
    for title in params["titles"]:
        if len(lent) >= room:
            break
        book = next(b for b in tools.search_books(title=title) if b["title"] == title)
        copy = next((c for c in tools.get_book(book_id=book["id"])["copies"]
                     if c["branch"] == params["branch"] and c["status"] == "available"), None)
        if copy:
            lent.append(tools.checkout_copy(copy_id=copy["copy_id"], member_id=member["id"])["loan_id"])
    return f"Lent {len(lent)} items"


def solve_swap_stack(tools, params):
    member = next(m for m in tools.find_members(name=params["member"]) if m["name"] == params["member"])
    info = tools.get_library_info()
    for loan in tools.get_member(member_id=member["id"])["loans"]:
        tools.return_copy(copy_id=loan["copy_id"])
    details = tools.get_member(member_id=member["id"])
    if details["fines_owed"] >= params["block_at"]:
        tools.pay_fines(member_id=member["id"], amount=details["fines_owed"])
    room = info["loan_limits"][details["tier"]]
    hold_room = info["max_active_holds"] - len(details["holds"])
    lent, held = 0, 0
    for title in params["titles"]:
        book = next(b for b in tools.search_books(title=title) if b["title"] == title)
        copy = next((c for c in tools.get_book(book_id=book["id"])["copies"]
                     if c["branch"] == params["branch"] and c["status"] == "available"), None)
        if copy and lent < room:
            tools.checkout_copy(copy_id=copy["copy_id"], member_id=member["id"])
            lent += 1
        elif not copy and held < hold_room:
            tools.place_hold(member_id=member["id"], book_id=book["id"], branch=params["branch"])
            held += 1
    return f"Lent {lent}, placed {held} holds"


def solve_genre_pick(tools, params):
    member = next(m for m in tools.find_members(name=params["member"]) if m["name"] == params["member"])
    info = tools.get_library_info()
    details = tools.get_member(member_id=member["id"])
    kept = []
    for loan in details["loans"]:
        if loan["due_on"] < info["today"]:
            tools.return_copy(copy_id=loan["copy_id"])
        else:
            kept.append(loan["book_id"])
    details = tools.get_member(member_id=member["id"])
    if details["fines_owed"] >= params["block_at"]:
        tools.pay_fines(member_id=member["id"], amount=details["fines_owed"])
    options = []
    for book in tools.search_books(genre=params["genre"]):
        if book["id"] in kept:
            continue
        full = tools.get_book(book_id=book["id"])
        copy = next((c for c in full["copies"] if c["branch"] == params["branch"] and c["status"] == "available"), None)
        if copy and full["waiting_holds"] == 0:
            options.append((book["year"], copy["copy_id"]))
    room = min(params["count"], info["loan_limits"][details["tier"]] - len(kept))
    picked = sorted(options, reverse=True)[:room]
    for _, copy_id in picked:
        tools.checkout_copy(copy_id=copy_id, member_id=member["id"])
    return f"Lent {len(picked)} books"


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_yes_no(outcome, params):
    from verifiers.answers import yes_no

    ok = yes_no(outcome.answer) is params["expected"]
    return ok, [] if ok else [f"expected {'yes' if params['expected'] else 'no'}, got {outcome.answer!r}"]


def verify_circulation(outcome, params):
    """The member's loans returned/renewed/added, holds placed or readied and payments match `params` exactly."""
    import datetime as dt

    from verifiers.state import diff_table, unchanged

    reasons = []
    mid, today = params["member_id"], params["today"]
    loans_new, loans_gone, loans_changed = diff_table(outcome.initial, outcome.db, "loans")
    before = {l["id"]: l for l in outcome.initial_rows("SELECT * FROM loans")}
    want_changed = {str(i) for i in params["returned"]} | set(params["renewed"])
    if loans_gone or {str(l["id"]) for l in loans_changed} != want_changed:
        return False, [f"expected loans {sorted(want_changed)} to change; changed "
                       f"{sorted(l['id'] for l in loans_changed)}, removed {len(loans_gone)}"]
    for loan in loans_changed:
        old = before[loan["id"]]
        if str(loan["id"]) in params["renewed"]:
            want = {**old, "due_on": params["renewed"][str(loan["id"])], "renewals": old["renewals"] + 1}
        else:
            late = max(0, (dt.date.fromisoformat(today) - dt.date.fromisoformat(old["due_on"])).days)
            want = {**old, "returned_on": today, "fine": round(min(10.0, 0.25 * late), 2)}
        if loan != want:
            reasons.append(f"loan {loan['id']} is {loan}, expected {want}")
    copies_before = {c["id"]: c for c in outcome.initial_rows("SELECT * FROM copies")}
    ready_for = {h["id"]: h for h in outcome.initial_rows("SELECT * FROM holds WHERE member_id = ? AND status = "
                                                          "'ready'", mid)}
    got_books = {}
    for loan in loans_new:
        copy = copies_before.get(loan["copy_id"])
        ok_copy = copy is not None and (copy["status"] == "available" or any(
            h["copy_id"] == copy["id"] for h in ready_for.values()))
        if loan["member_id"] != mid or not ok_copy or loan["returned_on"] is not None:
            reasons.append(f"new loan {loan['id']} is not a loan of an available copy to member {mid}")
            continue
        if params["branch_id"] is not None and copy["branch_id"] != params["branch_id"]:
            reasons.append(f"copy {copy['id']} is not from the requested branch")
        got_books[str(copy["book_id"])] = loan["due_on"]
        if loan["loaned_on"] != today or loan["renewals"] != 0:
            reasons.append(f"new loan {loan['id']} has wrong dates or renewals")
    if got_books != params["borrowed"]:
        reasons.append(f"new loans (book: due) {got_books}, expected {params['borrowed']}")
    holds_new, holds_gone, holds_changed = diff_table(outcome.initial, outcome.db, "holds")
    placed = sorted(h["book_id"] for h in holds_new)
    if placed != sorted(params["holds"]) or holds_gone:
        reasons.append(f"new holds on books {placed}, expected {sorted(params['holds'])}")
    for h in holds_new:
        if (h["member_id"], h["branch_id"], h["status"], h["placed_on"]) != (mid, params["branch_id"], "waiting", today):
            reasons.append(f"hold {h['id']} is not a waiting hold of member {mid} at the pickup branch")
    for h in holds_changed:
        if str(h["id"]) in params["ready"]:
            if (h["status"], h["copy_id"]) != ("ready", params["ready"][str(h["id"])]):
                reasons.append(f"hold {h['id']} should be ready with copy {params['ready'][str(h['id'])]}")
        elif not (h["id"] in ready_for and h["status"] == "fulfilled"):
            reasons.append(f"hold {h['id']} changed unexpectedly")
    if not set(params["ready"]) <= {str(h["id"]) for h in holds_changed}:
        reasons.append(f"holds {sorted(params['ready'])} should have received the returned copies")
    ready_copies = set(params["ready"].values())
    for cid, copy in {c["id"]: c for c in outcome.rows("SELECT * FROM copies")}.items():
        old = copies_before[cid]["status"]
        lent_now = any(l["copy_id"] == cid for l in loans_new)
        returned = any(str(l["id"]) in {str(i) for i in params["returned"]} and l["copy_id"] == cid
                       for l in loans_changed)
        want = "on_loan" if lent_now else ("held" if cid in ready_copies else "available") if returned else old
        if copy["status"] != want:
            reasons.append(f"copy {cid} is {copy['status']}, expected {want}")
    pays, pays_gone, pays_changed = diff_table(outcome.initial, outcome.db, "payments")
    paid = round(sum(p["amount"] for p in pays), 2)
    if pays_gone or pays_changed or any(p["member_id"] != mid for p in pays) or abs(paid - params["paid"]) > 0.005:
        reasons.append(f"payments total {paid}, expected {params['paid']}")
    members_new, _, members_changed = diff_table(outcome.initial, outcome.db, "members")
    fines_added = sum(l["fine"] for l in loans_changed if l["returned_on"])
    start = outcome.initial_rows("SELECT fines_owed FROM members WHERE id = ?", mid)[0]["fines_owed"]
    final = outcome.rows("SELECT fines_owed FROM members WHERE id = ?", mid)[0]["fines_owed"]
    if members_new or [m["id"] for m in members_changed if m["id"] != mid] or \
            abs(final - (start + fines_added - paid)) > 0.011:
        reasons.append(f"member balances changed wrongly: fines now {final}")
    if other := unchanged(outcome.initial, outcome.db, ["books", "branches", "library"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons
