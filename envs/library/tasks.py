"""Task proposers."""

from __future__ import annotations

import random

from synth.env import Answer, Effects, Program, Rule, TaskDraft, deletes, inserts, proposer, updates


class LibraryTasks:
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
