"""Task proposers, from single lookups (level 1) to a whole visit to the desk (level 5)."""

from __future__ import annotations

import json
import random

from synth.env import Answer, Effects, Program, Rule, TaskDraft, proposer

from .checks import check_rows
from .solutions import (
    solve_author_branches,
    solve_borrow_list,
    solve_can_borrow,
    solve_copies_available,
    solve_due_date,
    solve_fines_owed,
    solve_genre_pick,
    solve_hold_missing,
    solve_most_loaned,
    solve_overdue_members,
    solve_projected_fine,
    solve_renew_eligible,
    solve_renew_or_return,
    solve_return_all,
    solve_swap_stack,
)
from .world import GENRES, MAX_HOLDS, MAX_RENEWALS, TIERS, fine_for, plus_days


class LibraryTasks:
    # ---- proposer helpers: simulation of the policy -------------------------------------------------

    def _renewable(self, loan: dict, fines: float) -> bool:
        return (
            fines < self._block_at()
            and loan["renewals"] < MAX_RENEWALS
            and loan["due_on"] >= self._today()
            and not self._waiting(loan["book_id"])
        )

    def _simulate_returns(self, loans: list[dict]) -> tuple[float, dict[int, int]]:
        """Fines added by returning `loans` today, and which waiting hold each returned copy goes to."""
        total, ready = 0.0, {}
        for loan in loans:
            total = round(total + fine_for(loan["due_on"], self._today()), 2)
            hold = next(
                (
                    h
                    for h in self.column(
                        "SELECT id FROM holds WHERE book_id = ? AND status = 'waiting' ORDER BY placed_on, id",
                        loan["book_id"],
                    )
                    if h not in ready
                ),
                None,
            )
            if hold:
                ready[hold] = loan["copy_id"]
        return total, ready

    def _free_at(self, book_id: int, branch_id: int) -> list[dict]:
        """The available copies of a book at a branch."""
        return self.rows(
            "SELECT id, book_id FROM copies WHERE book_id = ? AND branch_id = ? AND status = 'available' ORDER BY id",
            book_id,
            branch_id,
        )

    def _circulation(
        self,
        m: dict,
        *,
        returned: list[dict] = (),
        renewed: list[dict] = (),
        borrowed: list[dict] = (),
        holds: list[int] = (),
        branch_id: int | None = None,
        paid: float = 0.0,
    ) -> tuple[Effects, Program | None]:
        """The effects of a visit by member `m`: `returned` and `renewed` loans, `borrowed` copies lent today,
        holds placed on the books `holds` at `branch_id`, a payment `paid`. Where the changed rows of a table all
        end alike, the declaration says their values; otherwise check_rows says each row's final values."""
        today = self._today()
        fines, ready = self._simulate_returns(list(returned))
        changes: dict[str, dict[int, dict]] = {"loans": {}, "copies": {}, "holds": {}, "members": {}}
        for loan in returned:
            changes["loans"][loan["id"]] = {"returned_on": today, "fine": fine_for(loan["due_on"], today)}
            changes["copies"][loan["copy_id"]] = {
                "status": "held" if loan["copy_id"] in ready.values() else "available"
            }
        for hold, copy in ready.items():
            changes["holds"][hold] = {"status": "ready", "copy_id": copy}
        for loan in renewed:
            changes["loans"][loan["id"]] = {
                "due_on": plus_days(loan["due_on"], self._period(loan["book_id"])),
                "renewals": loan["renewals"] + 1,
            }
        for copy in borrowed:
            changes["copies"][copy["id"]] = {"status": "on_loan"}
        final = round(m["fines_owed"] + fines - paid, 2)
        if abs(final - m["fines_owed"]) > 1e-9:
            changes["members"][m["id"]] = {"fines_owed": final}
        added = {
            "loans": [
                {
                    "copy_id": c["id"],
                    "member_id": m["id"],
                    "loaned_on": today,
                    "returned_on": None,
                    "due_on": plus_days(today, self._period(c["book_id"])),
                    "renewals": 0,
                    "fine": 0,
                }
                for c in borrowed
            ],
            "holds": [
                {
                    "book_id": b,
                    "member_id": m["id"],
                    "branch_id": branch_id,
                    "placed_on": today,
                    "status": "waiting",
                    "copy_id": None,
                }
                for b in holds
            ],
            "payments": [{"member_id": m["id"], "amount": round(paid, 2), "paid_on": today}] if paid else [],
        }
        rules, rows = {}, []
        for table in ("loans", "copies", "holds", "members", "payments"):
            changed, new = changes.get(table, {}), added.get(table, [])
            if not changed and not new:
                continue
            columns = sorted({c for v in changed.values() for c in v})
            final_rows = {
                k: {c: v.get(c, self.value(f"SELECT {c} FROM {table} WHERE id = ?", k)) for c in columns}
                for k, v in changed.items()
            }
            same = len({json.dumps(v, sort_keys=True) for v in final_rows.values()}) == 1
            if changed and not same:
                rows += [[table, k, v] for k, v in sorted(final_rows.items())]
            rules[table] = Rule(
                insert=len(new),
                rows=new or None,
                update=columns,
                keys=sorted(changed) or None,
                values=next(iter(final_rows.values())) if changed and same else None,
            )
        return Effects.on(**rules), Program.of(check_rows, rows=rows) if rows else None

    # ---- proposers: answers -------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_fines_owed(self, rng: random.Random) -> TaskDraft | None:
        m = rng.choice(self.rows("SELECT * FROM members"))
        return TaskDraft(
            shape="fines_owed",
            instruction=self.render("fines_owed", rng, member=m["name"]),
            solution=Program.of(solve_fines_owed, member=m["name"]),
            answer=Answer.number(m["fines_owed"]),
            tools=self.available_tools("find_members", "get_member", "get_library_info"),
        )

    @proposer(difficulty=1)
    def propose_due_date(self, rng: random.Random) -> TaskDraft | None:
        loan = rng.choice(
            self.rows(
                "SELECT l.due_on, m.name, b.title FROM loans l JOIN members m ON m.id = l.member_id "
                "JOIN copies c ON c.id = l.copy_id JOIN books b ON b.id = c.book_id WHERE "
                "l.returned_on IS NULL"
            )
        )
        return TaskDraft(
            shape="due_date",
            instruction=self.render("due_date", rng, member=loan["name"], title=loan["title"]),
            solution=Program.of(solve_due_date, member=loan["name"], title=loan["title"]),
            answer=Answer.date(loan["due_on"]),
            tools=self.available_tools("find_members", "get_member", "search_books"),
        )

    @proposer(difficulty=1)
    def propose_copies_available(self, rng: random.Random) -> TaskDraft | None:
        book = rng.choice(self.rows("SELECT id, title FROM books"))
        branch = rng.choice(self.rows("SELECT id, name FROM branches"))
        n = len(self._free_at(book["id"], branch["id"]))
        if n == 0 and rng.random() < 0.6:
            return None
        return TaskDraft(
            shape="copies_available",
            instruction=self.render("copies_available", rng, title=book["title"], branch=branch["name"]),
            solution=Program.of(solve_copies_available, title=book["title"], branch=branch["name"]),
            answer=Answer.integer(n),
            tools=self.available_tools("search_books", "get_book", "list_branches"),
        )

    @proposer(difficulty=2)
    def propose_overdue_members(self, rng: random.Random) -> TaskDraft | None:
        if not self.has_tool("list_loans"):
            return None
        branch = rng.choice(self.rows("SELECT id, name FROM branches"))
        late = sorted(
            set(
                self.column(
                    "SELECT m.name FROM loans l JOIN members m ON m.id = l.member_id JOIN copies c ON c.id = l.copy_id WHERE "
                    "l.returned_on IS NULL AND l.due_on < ? AND c.branch_id = ?",
                    self._today(),
                    branch["id"],
                )
            )
        )
        if not late:
            return None
        return TaskDraft(
            shape="overdue_members",
            instruction=self.render("overdue_members", rng, branch=branch["name"]),
            solution=Program.of(solve_overdue_members, branch=branch["name"]),
            answer=Answer.entities(late, candidates=self.column("SELECT name FROM members")),
            tools=self.available_tools("list_loans", "get_library_info", "list_branches", "find_members"),
        )

    @proposer(difficulty=2)
    def propose_can_borrow(self, rng: random.Random) -> TaskDraft | None:
        m = rng.choice(self.rows("SELECT * FROM members"))
        allowed = m["fines_owed"] < self._block_at() and len(self._active_loans(m["id"])) < TIERS[m["tier"]]
        return TaskDraft(
            shape="can_borrow",
            instruction=self.render("can_borrow", rng, member=m["name"]),
            solution=Program.of(solve_can_borrow, member=m["name"]),
            answer=Answer.boolean(allowed),
            tools=self.available_tools("find_members", "get_member", "get_library_info"),
        )

    @proposer(difficulty=2)
    def propose_most_loaned(self, rng: random.Random) -> TaskDraft | None:
        if not self.has_tool("list_loans"):
            return None
        genre = rng.choice(GENRES)
        counts = self.rows(
            "SELECT b.title, COUNT(l.id) AS n FROM books b LEFT JOIN copies c ON c.book_id = b.id "
            "LEFT JOIN loans l ON l.copy_id = c.id WHERE b.genre = ? GROUP BY b.id ORDER BY n DESC",
            genre,
        )
        if len(counts) < 2 or counts[0]["n"] == counts[1]["n"]:
            return None
        return TaskDraft(
            shape="most_loaned",
            instruction=self.render("most_loaned", rng, genre=genre),
            solution=Program.of(solve_most_loaned, genre=genre),
            answer=Answer.entity(counts[0]["title"], candidates=self.column("SELECT title FROM books")),
            tools=self.available_tools("search_books", "list_loans", "get_book"),
        )

    @proposer(difficulty=2)
    def propose_projected_fine(self, rng: random.Random) -> TaskDraft | None:
        late = self.rows(
            "SELECT DISTINCT m.id, m.name FROM loans l JOIN members m ON m.id = l.member_id WHERE "
            "l.returned_on IS NULL AND l.due_on < ?",
            self._today(),
        )
        if not late:
            return None
        m = rng.choice(late)
        total = round(sum(fine_for(loan["due_on"], self._today()) for loan in self._active_loans(m["id"])), 2)
        return TaskDraft(
            shape="projected_fine",
            instruction=self.render("projected_fine", rng, member=m["name"]),
            solution=Program.of(solve_projected_fine, member=m["name"]),
            answer=Answer.number(total),
            tools=self.available_tools("find_members", "get_member", "get_library_info"),
        )

    @proposer(difficulty=2)
    def propose_author_branches(self, rng: random.Random) -> TaskDraft | None:
        author = rng.choice(self.column("SELECT DISTINCT author FROM books"))
        names = sorted(
            set(
                self.column(
                    "SELECT br.name FROM copies c JOIN books b ON b.id = c.book_id JOIN branches br ON br.id = c.branch_id "
                    "WHERE b.author = ? AND c.status = 'available'",
                    author,
                )
            )
        )
        all_branches = self.column("SELECT name FROM branches")
        if not names or len(names) == len(all_branches) and rng.random() < 0.7:
            return None
        return TaskDraft(
            shape="author_branches",
            instruction=self.render("author_branches", rng, author=author),
            solution=Program.of(solve_author_branches, author=author),
            answer=Answer.entities(names, candidates=all_branches),
            tools=self.available_tools("search_books", "get_book", "list_branches"),
        )

    # ---- proposers: circulation ---------------------------------------------------------------------

    @proposer(difficulty=3)
    def propose_return_all(self, rng: random.Random) -> TaskDraft | None:
        m = rng.choice(
            self.rows(
                "SELECT DISTINCT m.* FROM members m JOIN loans l ON l.member_id = m.id WHERE l.returned_on IS NULL"
            )
        )
        effects, check = self._circulation(m, returned=self._active_loans(m["id"]))
        return TaskDraft(
            shape="return_all",
            instruction=self.render("return_all", rng, member=m["name"]),
            solution=Program.of(solve_return_all, member=m["name"]),
            answer=Answer.none(),
            effects=effects,
            check=check,
        )

    @proposer(difficulty=3)
    def propose_renew_eligible(self, rng: random.Random) -> TaskDraft | None:
        members = self.rows(
            "SELECT DISTINCT m.* FROM members m JOIN loans l ON l.member_id = m.id WHERE l.returned_on IS NULL"
        )
        rng.shuffle(members)
        for m in members[:8]:
            loans = self._active_loans(m["id"])
            renew = [loan for loan in loans if self._renewable(loan, m["fines_owed"])]
            if renew and (len(renew) < len(loans) or rng.random() < 0.5):
                break
        else:
            return None
        effects, check = self._circulation(m, renewed=renew)
        return TaskDraft(
            shape="renew_eligible",
            instruction=self.render("renew_eligible", rng, member=m["name"]),
            solution=Program.of(solve_renew_eligible, member=m["name"], **self._rules()),
            answer=Answer.none(),
            effects=effects,
            check=check,
        )

    @proposer(difficulty=3)
    def propose_hold_missing(self, rng: random.Random) -> TaskDraft | None:
        m = rng.choice(self.rows("SELECT * FROM members"))
        branch = rng.choice(self.rows("SELECT id, name FROM branches"))
        loans = {loan["book_id"] for loan in self._active_loans(m["id"])}
        held = set(
            self.column("SELECT book_id FROM holds WHERE member_id = ? AND status IN ('waiting', 'ready')", m["id"])
        )
        books = [b for b in self.rows("SELECT id, title FROM books") if b["id"] not in loans | held]
        picks = rng.sample(books, rng.randint(2, 4))
        holds = [b["id"] for b in picks if not self._free_at(b["id"], branch["id"])]
        if not holds or len(holds) > MAX_HOLDS - len(held):
            return None
        titles = [b["title"] for b in picks]
        effects, check = self._circulation(m, holds=holds, branch_id=branch["id"])
        return TaskDraft(
            shape="hold_missing",
            instruction=self.render(
                "hold_missing", rng, member=m["name"], branch=branch["name"], titles=_quoted(titles)
            ),
            solution=Program.of(solve_hold_missing, member=m["name"], branch=branch["name"], titles=titles),
            answer=Answer.none(),
            effects=effects,
            check=check,
        )

    @proposer(difficulty=4)
    def propose_renew_or_return(self, rng: random.Random) -> TaskDraft | None:
        members = self.rows(
            "SELECT m.*, COUNT(*) AS n FROM members m JOIN loans l ON l.member_id = m.id WHERE "
            "l.returned_on IS NULL GROUP BY m.id HAVING n >= 2"
        )
        if not members:
            return None
        rng.shuffle(members)
        for m in members[:8]:
            loans = self._active_loans(m["id"])
            renew = [loan for loan in loans if self._renewable(loan, m["fines_owed"])]
            back = [loan for loan in loans if loan not in renew]
            if back and (renew or len(loans) >= 3):
                break
        else:
            return None
        m = {k: v for k, v in m.items() if k != "n"}
        effects, check = self._circulation(m, renewed=renew, returned=back)
        return TaskDraft(
            shape="renew_or_return",
            instruction=self.render("renew_or_return", rng, member=m["name"]),
            solution=Program.of(solve_renew_or_return, member=m["name"], **self._rules()),
            answer=Answer.none(),
            effects=effects,
            check=check,
        )

    def _borrow_plan(self, room: int, branch_id: int, picks: list[dict]) -> tuple[list[dict], list[int]] | None:
        """(copies lent, books to hold) when `picks` are borrowed in order at `branch_id` with `room` loans left;
        None when a book to lend has more than one available copy there (any of them would do)."""
        lent, missing = [], []
        for b in picks:
            free = self._free_at(b["id"], branch_id)
            if not free:
                missing.append(b["id"])
            elif len(lent) < room:
                if len(free) > 1:
                    return None
                lent.append(free[0])
        return lent, missing

    def _payment(self, fines: float) -> float:
        return round(fines, 2) if fines >= self._block_at() else 0.0

    @proposer(difficulty=4, attempts=2)
    def propose_borrow_list(self, rng: random.Random) -> TaskDraft | None:
        m = rng.choice(self.rows("SELECT * FROM members"))
        home = "home_branch_only" in self.variant.rules
        branch = (
            self.rows("SELECT id, name FROM branches WHERE id = ?", m["home_branch_id"])[0]
            if home
            else rng.choice(self.rows("SELECT id, name FROM branches"))
        )
        on_loan = {loan["book_id"] for loan in self._active_loans(m["id"])}
        held_ready = set(self.column("SELECT book_id FROM holds WHERE member_id = ? AND status = 'ready'", m["id"]))
        books = [b for b in self.rows("SELECT id, title FROM books") if b["id"] not in on_loan | held_ready]
        free = [b for b in books if len(self._free_at(b["id"], branch["id"])) == 1]
        other = [b for b in books if not self._free_at(b["id"], branch["id"])]
        room = TIERS[m["tier"]] - len(on_loan)
        if room < 1 or len(free) < 3:
            return None
        picks = rng.sample(free, min(len(free), rng.randint(2, room + 1))) + rng.sample(other, rng.randint(0, 1))
        rng.shuffle(picks)
        lent, _ = self._borrow_plan(room, branch["id"], picks)
        titles = [b["title"] for b in picks]
        effects, check = self._circulation(m, borrowed=lent, paid=self._payment(m["fines_owed"]))
        return TaskDraft(
            shape="borrow_list",
            instruction=self.render(
                "borrow_list", rng, member=m["name"], branch=branch["name"], titles=_quoted(titles)
            ),
            solution=Program.of(
                solve_borrow_list, member=m["name"], branch=branch["name"], titles=titles, **self._rules()
            ),
            answer=Answer.none(),
            effects=effects,
            check=check,
        )

    @proposer(difficulty=5, attempts=2)
    def propose_swap_stack(self, rng: random.Random) -> TaskDraft | None:
        m = rng.choice(
            self.rows(
                "SELECT DISTINCT m.* FROM members m JOIN loans l ON l.member_id = m.id WHERE l.returned_on IS NULL"
            )
        )
        branch = self.rows("SELECT id, name FROM branches WHERE id = ?", m["home_branch_id"])[0]
        loans = self._active_loans(m["id"])
        added, _ = self._simulate_returns(loans)
        holds_now = self.column(
            "SELECT book_id FROM holds WHERE member_id = ? AND status IN ('waiting', 'ready')", m["id"]
        )
        taken = {loan["book_id"] for loan in loans} | set(holds_now)
        # returned copies may land on a hold shelf: titles among the returned books are left out of the wish list
        books = [b for b in self.rows("SELECT id, title FROM books") if b["id"] not in taken]
        free = [b for b in books if len(self._free_at(b["id"], branch["id"])) == 1]
        gone = [b for b in books if not self._free_at(b["id"], branch["id"])]
        if len(free) < 2 or len(gone) < 1:
            return None
        picks = rng.sample(free, min(len(free), rng.randint(2, min(5, TIERS[m["tier"]] + 1)))) + rng.sample(
            gone, rng.randint(1, 2)
        )
        rng.shuffle(picks)
        lent, holds = self._borrow_plan(TIERS[m["tier"]], branch["id"], picks)
        if len(holds) > MAX_HOLDS - len(holds_now):
            return None
        titles = [b["title"] for b in picks]
        effects, check = self._circulation(
            m,
            returned=loans,
            borrowed=lent,
            holds=holds,
            branch_id=branch["id"],
            paid=self._payment(m["fines_owed"] + added),
        )
        return TaskDraft(
            shape="swap_stack",
            instruction=self.render("swap_stack", rng, member=m["name"], branch=branch["name"], titles=_quoted(titles)),
            solution=Program.of(
                solve_swap_stack, member=m["name"], branch=branch["name"], titles=titles, **self._rules()
            ),
            answer=Answer.none(),
            effects=effects,
            check=check,
        )

    @proposer(difficulty=5, attempts=3)
    def propose_genre_pick(self, rng: random.Random) -> TaskDraft | None:
        m = rng.choice(self.rows("SELECT * FROM members"))
        home = "home_branch_only" in self.variant.rules
        branch = (
            self.rows("SELECT id, name FROM branches WHERE id = ?", m["home_branch_id"])[0]
            if home
            else rng.choice(self.rows("SELECT id, name FROM branches"))
        )
        genre, count = rng.choice(GENRES), rng.randint(2, 4)
        loans = self._active_loans(m["id"])
        late = [loan for loan in loans if loan["due_on"] < self._today()]
        added, _ = self._simulate_returns(late)
        if any(self._book(loan["book_id"])["genre"] == genre for loan in late):
            return None  # a returned copy could land back on the shelf
        kept = {loan["book_id"] for loan in loans if loan not in late}
        room = TIERS[m["tier"]] - len(kept)
        held_ready = set(self.column("SELECT book_id FROM holds WHERE member_id = ? AND status = 'ready'", m["id"]))
        cands = sorted(
            (
                b
                for b in self.rows("SELECT id, year FROM books WHERE genre = ?", genre)
                if b["id"] not in kept and self._free_at(b["id"], branch["id"]) and not self._waiting(b["id"])
            ),
            key=lambda b: -b["year"],
        )
        n = min(count, room, len(cands))
        if n < 1 or (len(cands) > n and cands[n - 1]["year"] == cands[n]["year"]):
            return None
        if held_ready & {b["id"] for b in cands[:n]}:
            return None  # a copy waits for them on the hold shelf: borrowing another one is a questionable reading
        lent = [self._free_at(b["id"], branch["id"]) for b in cands[:n]]
        if any(len(copies) > 1 for copies in lent):
            return None  # any of the available copies would do
        effects, check = self._circulation(
            m, returned=late, borrowed=[copies[0] for copies in lent], paid=self._payment(m["fines_owed"] + added)
        )
        args = {"member": m["name"], "branch": branch["name"], "genre": genre, "count": count}
        return TaskDraft(
            shape="genre_pick",
            instruction=self.render("genre_pick", rng, **args),
            solution=Program.of(solve_genre_pick, **args, **self._rules()),
            answer=Answer.none(),
            effects=effects,
            check=check,
        )


def _quoted(titles: list[str]) -> str:
    return "; ".join(f'"{t}"' for t in titles)
