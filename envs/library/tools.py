"""The circulation desk's tools: lookups, and writes that enforce the lending policy."""

from __future__ import annotations

from synth.env import tool

from .world import (
    FINE_BLOCK,
    FINE_CAP,
    FINE_PER_DAY,
    LOAN_DAYS,
    MAX_HOLDS,
    MAX_RENEWALS,
    NEW_RELEASE_DAYS,
    TIERS,
    fine_for,
    plus_days,
)


class LibraryTools:
    # ---- helpers ------------------------------------------------------------------------------------

    def _today(self) -> str:
        return self.value("SELECT today FROM library")

    def _block_at(self) -> float:
        return 0.01 if "strict_fines" in self.variant.rules else FINE_BLOCK

    def _member(self, member_id: int) -> dict:
        return self.one(
            "SELECT * FROM members WHERE id = ?",
            member_id,
            missing=f"no member with id {member_id}; use find_members to look the member up",
        )

    def _book(self, book_id: int) -> dict:
        return self.one(
            "SELECT * FROM books WHERE id = ?",
            book_id,
            missing=f"no book with id {book_id}; use search_books to find it",
        )

    def _branch_id(self, branch: str) -> int:
        names = ", ".join(self.column("SELECT name FROM branches ORDER BY name"))
        return self.one(
            "SELECT id FROM branches WHERE lower(name) = lower(?)",
            branch,
            missing=f"unknown branch {branch!r}; the branches are {names}",
        )["id"]

    def _active_loans(self, member_id: int) -> list[dict]:
        return self.rows(
            "SELECT l.*, c.book_id FROM loans l JOIN copies c ON c.id = l.copy_id "
            "WHERE l.member_id = ? AND l.returned_on IS NULL ORDER BY l.id",
            member_id,
        )

    def _period(self, book_id: int) -> int:
        return NEW_RELEASE_DAYS if self._book(book_id)["year"] == int(self._today()[:4]) else LOAN_DAYS

    def _waiting(self, book_id: int) -> int:
        return self.value("SELECT COUNT(*) FROM holds WHERE book_id = ? AND status = 'waiting'", book_id)

    def _rules(self) -> dict:
        return {"block_at": self._block_at(), "home_only": "home_branch_only" in self.variant.rules}

    # ---- tools --------------------------------------------------------------------------------------

    @tool("read")
    def get_library_info(self) -> dict:
        """Today's date and the circulation rules in numbers (loan limits, loan periods, fines, renewals, holds)."""
        return {
            "today": self._today(),
            "loan_limits": dict(TIERS),
            "loan_days": LOAN_DAYS,
            "new_release_loan_days": NEW_RELEASE_DAYS,
            "fine_per_day": FINE_PER_DAY,
            "fine_cap_per_loan": FINE_CAP,
            "fines_block_borrowing_at": self._block_at(),
            "max_renewals": MAX_RENEWALS,
            "max_active_holds": MAX_HOLDS,
            "home_branch_only": "home_branch_only" in self.variant.rules,
        }

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
        return self.rows(
            "SELECT id, title, author, genre, year FROM books WHERE (? IS NULL OR lower(title) LIKE "
            "'%' || lower(?) || '%') AND (? IS NULL OR lower(author) = lower(?)) AND (? IS NULL OR "
            "lower(genre) = lower(?)) ORDER BY id",
            title,
            title,
            author,
            author,
            genre,
            genre,
        )

    @tool("read")
    def get_book(self, book_id: int) -> dict:
        """One book with each of its copies (copy id, branch, status) and how many holds wait for it.

        Args:
            book_id: Book id from search_books.
        """
        book = self._book(book_id)
        book["copies"] = self.rows(
            "SELECT c.id AS copy_id, c.barcode, br.name AS branch, c.status FROM copies c "
            "JOIN branches br ON br.id = c.branch_id WHERE c.book_id = ? ORDER BY c.id",
            book_id,
        )
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
        return self.rows(
            "SELECT m.id, m.name, m.tier, b.name AS home_branch FROM members m JOIN branches b ON "
            "b.id = m.home_branch_id WHERE lower(m.name) LIKE '%' || lower(?) || '%' ORDER BY m.id",
            name,
        )

    @tool("read")
    def get_member(self, member_id: int) -> dict:
        """A member's tier, home branch, fine balance, current loans (with due dates and renewals) and holds.

        Args:
            member_id: Member id from find_members.
        """
        m = self._member(member_id)
        m["home_branch"] = self.value("SELECT name FROM branches WHERE id = ?", m.pop("home_branch_id"))
        m["loans"] = self.rows(
            "SELECT l.id AS loan_id, l.copy_id, c.book_id, b.title, br.name AS branch, l.loaned_on, l.due_on, "
            "l.renewals FROM loans l JOIN copies c ON c.id = l.copy_id JOIN books b ON b.id = c.book_id JOIN branches "
            "br ON br.id = c.branch_id WHERE l.member_id = ? AND l.returned_on IS NULL ORDER BY l.id",
            member_id,
        )
        m["holds"] = self.rows(
            "SELECT h.id AS hold_id, h.book_id, b.title, br.name AS pickup_branch, h.placed_on, "
            "h.status, h.copy_id FROM holds h JOIN books b ON b.id = h.book_id JOIN branches br ON "
            "br.id = h.branch_id WHERE h.member_id = ? AND h.status IN ('waiting', 'ready') "
            "ORDER BY h.id",
            member_id,
        )
        return m

    @tool("read")
    def get_hold_queue(self, book_id: int) -> list[dict]:
        """The waiting and ready holds on a book, first in line first.

        Args:
            book_id: Book id.
        """
        self._book(book_id)
        return self.rows(
            "SELECT h.id AS hold_id, m.name AS member, br.name AS pickup_branch, h.placed_on, h.status "
            "FROM holds h JOIN members m ON m.id = h.member_id JOIN branches br ON br.id = h.branch_id "
            "WHERE h.book_id = ? AND h.status IN ('waiting', 'ready') ORDER BY h.placed_on, h.id",
            book_id,
        )

    @tool("read")
    def list_loans(
        self,
        book_id: int | None = None,
        branch: str | None = None,
        member_id: int | None = None,
        status: str = "active",
    ) -> list[dict]:
        """Loans filtered by book, by the branch owning the copy and by member.

        Args:
            book_id: Only loans of this book.
            branch: Only loans of copies belonging to this branch.
            member_id: Only loans of this member.
            status: 'active' (not returned), 'overdue' (active and past due), 'returned' or 'all'.
        """
        if status not in ("active", "overdue", "returned", "all"):
            raise ValueError("status must be 'active', 'overdue', 'returned' or 'all'")
        where = {
            "active": "l.returned_on IS NULL",
            "overdue": "l.returned_on IS NULL AND l.due_on < ?",
            "returned": "l.returned_on IS NOT NULL",
            "all": "1",
        }[status]
        args = [self._today()] if status == "overdue" else []
        branch_id = self._branch_id(branch) if branch else None
        return self.rows(
            "SELECT l.id AS loan_id, l.copy_id, c.book_id, b.title, m.name AS member, br.name AS branch, l.loaned_on, "
            "l.due_on, l.returned_on, l.renewals, l.fine FROM loans l JOIN copies c ON c.id = l.copy_id JOIN books b "
            "ON b.id = c.book_id JOIN members m ON m.id = l.member_id JOIN branches br ON br.id = c.branch_id WHERE "
            f"{where} AND (? IS NULL OR c.book_id = ?) AND (? IS NULL OR c.branch_id = ?) AND (? IS NULL OR "
            "l.member_id = ?) ORDER BY l.id",
            *args,
            book_id,
            book_id,
            branch_id,
            branch_id,
            member_id,
            member_id,
        )

    @tool("write")
    def checkout_copy(self, copy_id: int, member_id: int) -> dict:
        """Lend a copy to a member; the due date follows the loan period of the book.

        Args:
            copy_id: Copy id from get_book.
            member_id: Member id.
        """
        m = self._member(member_id)
        copy = self.one(
            "SELECT * FROM copies WHERE id = ?",
            copy_id,
            missing=f"no copy with id {copy_id}; get_book lists a book's copies",
        )
        loans = self._active_loans(member_id)
        if m["fines_owed"] >= self._block_at():
            raise ValueError(f"policy: the member owes {m['fines_owed']:.2f} in fines and must pay before borrowing")
        if len(loans) >= TIERS[m["tier"]]:
            raise ValueError(f"policy: a {m['tier']} member may have at most {TIERS[m['tier']]} loans")
        if any(loan["book_id"] == copy["book_id"] for loan in loans):
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
        loan = self.db.execute(
            "INSERT INTO loans (copy_id, member_id, loaned_on, due_on, returned_on, renewals, fine) "
            "VALUES (?, ?, ?, ?, NULL, 0, 0)",
            (copy_id, member_id, today, due),
        ).lastrowid
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
        loan = self.one(
            "SELECT l.*, c.book_id FROM loans l JOIN copies c ON c.id = l.copy_id WHERE "
            "l.copy_id = ? AND l.returned_on IS NULL",
            copy_id,
            missing=f"copy {copy_id} is not on loan",
        )
        today = self._today()
        fine = fine_for(loan["due_on"], today)
        self.db.execute("UPDATE loans SET returned_on = ?, fine = ? WHERE id = ?", (today, fine, loan["id"]))
        self.db.execute(
            "UPDATE members SET fines_owed = ROUND(fines_owed + ?, 2) WHERE id = ?", (fine, loan["member_id"])
        )
        hold = self.db.execute(
            "SELECT id FROM holds WHERE book_id = ? AND status = 'waiting' ORDER BY placed_on, id", (loan["book_id"],)
        ).fetchone()
        if hold:
            self.db.execute("UPDATE holds SET status = 'ready', copy_id = ? WHERE id = ?", (copy_id, hold["id"]))
        self.db.execute("UPDATE copies SET status = ? WHERE id = ?", ("held" if hold else "available", copy_id))
        return {
            "loan_id": loan["id"],
            "returned_on": today,
            "fine": fine,
            "copy_status": "held" if hold else "available",
        }

    @tool("write")
    def renew_loan(self, loan_id: int) -> dict:
        """Renew an active loan by one loan period from its current due date.

        Args:
            loan_id: Loan id from get_member.
        """
        loan = self.one(
            "SELECT l.*, c.book_id FROM loans l JOIN copies c ON c.id = l.copy_id WHERE l.id = ? AND "
            "l.returned_on IS NULL",
            loan_id,
            missing=f"loan {loan_id} is not an active loan",
        )
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
        active = self.db.execute(
            "SELECT book_id FROM holds WHERE member_id = ? AND status IN ('waiting', 'ready')", (member_id,)
        ).fetchall()
        if len(active) >= MAX_HOLDS:
            raise ValueError(f"policy: a member may have at most {MAX_HOLDS} active holds")
        if any(r["book_id"] == book_id for r in active):
            raise ValueError("the member already holds this book")
        if any(loan["book_id"] == book_id for loan in self._active_loans(member_id)):
            raise ValueError("the member has this book on loan")
        if self.value(
            "SELECT 1 FROM copies WHERE book_id = ? AND branch_id = ? AND status = 'available'", book_id, branch_id
        ):
            raise ValueError("policy: a copy is available at that branch; borrow it instead of placing a hold")
        hold = self.db.execute(
            "INSERT INTO holds (book_id, member_id, branch_id, placed_on, status, copy_id) VALUES "
            "(?, ?, ?, ?, 'waiting', NULL)",
            (book_id, member_id, branch_id, self._today()),
        ).lastrowid
        return {"hold_id": hold, "book_id": book_id, "member_id": member_id, "status": "waiting"}

    @tool("write")
    def cancel_hold(self, hold_id: int) -> dict:
        """Cancel a waiting or ready hold; a copy held for it goes back on the shelf.

        Args:
            hold_id: Hold id from get_member.
        """
        hold = self.one("SELECT * FROM holds WHERE id = ?", hold_id, missing=f"no hold {hold_id}; see get_member")
        if hold["status"] not in ("waiting", "ready"):
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
        self.db.execute(
            "INSERT INTO payments (member_id, amount, paid_on) VALUES (?, ?, ?)", (member_id, amount, self._today())
        )
        return {"member_id": member_id, "paid": amount, "fines_owed": round(m["fines_owed"] - amount, 2)}
