"""Task proposers, from catalogue lookups (level 1) to timetable replans (level 5)."""

from __future__ import annotations

import random

from synth.env import Answer, Effects, Program, Rule, TaskDraft, proposer

from .solutions import (
    solve_drop_dept,
    solve_eligible_courses,
    solve_enrol_course,
    solve_grade_points,
    solve_instructor_load,
    solve_priority_enrol,
    solve_replan,
    solve_seats_left,
    solve_section_instructor,
    solve_student_gpa,
    solve_switch_section,
)
from .world import INSTRUCTORS, POINTS


class RegistrarTasks:
    def _plan(self, actions) -> Effects | None:
        """Carry out `actions` (a function) in a savepoint and declare what it changed in the enrolments and the
        waitlist: the rows it added, and the enrolments it dropped; then undo. None when `actions` returns False."""
        tables = ("enrolments", "waitlist")
        before = {t: {r["id"]: r for r in self.rows(f"SELECT * FROM {t}")} for t in tables}
        self.db.execute("SAVEPOINT plan")
        try:
            if actions() is False:
                return None
            rules = {}
            for table in tables:
                after = {r["id"]: r for r in self.rows(f"SELECT * FROM {table}")}
                added = [
                    {"student_id": r["student_id"], "section_id": r["section_id"], "status": r["status"]}
                    for k, r in after.items()
                    if k not in before[table]
                ]
                dropped = sorted(k for k, r in before[table].items() if after[k] != r)
                assert all(after[k]["status"] == "dropped" for k in dropped)
                if added or dropped:
                    rules[table] = Rule(
                        insert=len(added) if added else False,
                        rows=added or None,
                        update=["status"] if dropped else [],
                        keys=dropped or None,
                        values={"status": "dropped"} if dropped else None,
                    )
            return Effects.on(**rules)
        finally:
            self.db.execute("ROLLBACK TO plan")
            self.db.execute("RELEASE plan")

    def _first_section(self, sid: int, cid: int, *, seats: bool = True, leaving: int | None = None) -> dict | None:
        for s in self.rows("SELECT * FROM sections WHERE course_id = ? ORDER BY number", cid):
            if s["id"] != leaving and self._enrol_problem(sid, s["id"], seats=seats, leaving=leaving) is None:
                return s
        return None

    def _task(self, shape: str, rng: random.Random, solve, effects: Effects | None, **args) -> TaskDraft | None:
        if effects is None:
            return None
        return TaskDraft(
            shape=shape,
            instruction=self.render(shape, rng, **args),
            solution=Program.of(solve, **args, **self._rules()),
            answer=Answer.none(),
            effects=effects,
        )

    @proposer(difficulty=1)
    def propose_seats_left(self, rng: random.Random) -> TaskDraft | None:
        s = rng.choice(self.rows("SELECT s.id, s.number, c.code FROM sections s JOIN courses c ON c.id = s.course_id"))
        spec = {"course": s["code"], "section": s["number"]}
        return TaskDraft(
            shape="seats_left",
            instruction=self.render("seats_left", rng, **spec),
            solution=Program.of(solve_seats_left, **spec),
            answer=Answer.integer(self._seats(s["id"])),
            tools=self.available_tools("get_course", "search_courses", "get_section"),
        )

    @proposer(difficulty=1, attempts=3)
    def propose_grade_points(self, rng: random.Random) -> TaskDraft | None:
        g = rng.choice(
            self.rows(
                "SELECT g.student_id, g.course_id, g.grade, st.name, c.code FROM grades g JOIN "
                "students st ON st.id = g.student_id JOIN courses c ON c.id = g.course_id"
            )
        )
        if (
            self.value(
                "SELECT COUNT(*) FROM grades WHERE student_id = ? AND course_id = ?", g["student_id"], g["course_id"]
            )
            > 1
        ):
            return None  # a retaken course has several grades
        spec = {"student": g["name"], "course": g["code"]}
        return TaskDraft(
            shape="grade_points",
            instruction=self.render("grade_points", rng, **spec),
            solution=Program.of(solve_grade_points, **spec),
            answer=Answer.number(POINTS[g["grade"]], decimals=1),
            tools=self.available_tools("find_students", "get_student", "search_courses", "get_registrar_info"),
        )

    @proposer(difficulty=1)
    def propose_section_instructor(self, rng: random.Random) -> TaskDraft | None:
        s = rng.choice(
            self.rows("SELECT s.number, s.instructor, c.code FROM sections s JOIN courses c ON c.id = s.course_id")
        )
        spec = {"course": s["code"], "section": s["number"]}
        return TaskDraft(
            shape="section_instructor",
            instruction=self.render("section_instructor", rng, **spec),
            solution=Program.of(solve_section_instructor, **spec),
            answer=Answer.entity(s["instructor"], candidates=INSTRUCTORS),
            tools=self.available_tools("get_course", "search_courses"),
        )

    @proposer(difficulty=2)
    def propose_student_gpa(self, rng: random.Random) -> TaskDraft | None:
        st = rng.choice(self.rows("SELECT DISTINCT st.* FROM students st JOIN grades g ON g.student_id = st.id"))
        return TaskDraft(
            shape="student_gpa",
            instruction=self.render("student_gpa", rng, student=st["name"]),
            solution=Program.of(solve_student_gpa, student=st["name"]),
            answer=Answer.number(self._gpa(st["id"])),
            tools=self.available_tools("find_students", "get_student", "get_registrar_info"),
        )

    @proposer(difficulty=2)
    def propose_eligible_courses(self, rng: random.Random) -> TaskDraft | None:
        st = rng.choice(self.rows("SELECT * FROM students WHERE year >= 2"))
        combos = [(d, lv) for d in self.rows("SELECT * FROM departments") for lv in (200, 300, 400)]
        rng.shuffle(combos)
        for dept, level in combos:
            courses = self.rows("SELECT * FROM courses WHERE dept_id = ? AND level = ?", dept["id"], level)
            ok = [
                c["code"]
                for c in courses
                if self._prereqs_met(st["id"], c["id"]) and not self._passed(st["id"], c["id"])
            ]
            if ok:
                break
        else:
            return None
        return TaskDraft(
            shape="eligible_courses",
            instruction=self.render("eligible_courses", rng, student=st["name"], dept=dept["code"], level=level),
            solution=Program.of(solve_eligible_courses, student=st["name"], dept=dept["code"], level=level),
            answer=Answer.entities(ok, candidates=self.column("SELECT code FROM courses")),
            tools=self.available_tools(
                "find_students", "get_student", "search_courses", "get_course", "get_registrar_info"
            ),
        )

    @proposer(difficulty=2)
    def propose_instructor_load(self, rng: random.Random) -> TaskDraft | None:
        instructor = rng.choice(sorted({r["instructor"] for r in self.rows("SELECT instructor FROM sections")}))
        n = self.value(
            "SELECT COUNT(*) FROM enrolments e JOIN sections s ON s.id = e.section_id WHERE "
            "s.instructor = ? AND e.status = 'enrolled'",
            instructor,
        )
        return TaskDraft(
            shape="instructor_load",
            instruction=self.render("instructor_load", rng, instructor=instructor),
            solution=Program.of(solve_instructor_load, instructor=instructor),
            answer=Answer.integer(n),
            tools=self.available_tools("list_sections_by_instructor", "get_section", "get_course"),
        )

    @proposer(difficulty=3)
    def propose_enrol_course(self, rng: random.Random) -> TaskDraft | None:
        st = rng.choice(self.rows("SELECT * FROM students"))
        options = [c for c in self.rows("SELECT * FROM courses") if self._first_section(st["id"], c["id"])]
        if not options:
            return None
        c = rng.choice(options)
        effects = self._plan(lambda: self.enrol(st["id"], self._first_section(st["id"], c["id"])["id"]))
        return self._task("enrol_course", rng, solve_enrol_course, effects, student=st["name"], course=c["code"])

    @proposer(difficulty=3)
    def propose_drop_dept(self, rng: random.Random) -> TaskDraft | None:
        row = rng.choice(
            self.rows(
                "SELECT DISTINCT st.id, st.name, d.code, d.id AS dept_id FROM enrolments e JOIN "
                "students st ON st.id = e.student_id JOIN sections s ON s.id = e.section_id JOIN "
                "courses c ON c.id = s.course_id JOIN departments d ON d.id = c.dept_id WHERE "
                "e.status = 'enrolled'"
            )
        )

        def act():
            for e in self._enrolled(row["id"]):
                if self._get("courses", e["course_id"], "")["dept_id"] == row["dept_id"]:
                    self.drop(row["id"], e["id"])

        return self._task("drop_dept", rng, solve_drop_dept, self._plan(act), student=row["name"], dept=row["code"])

    @proposer(difficulty=3)
    def propose_switch_section(self, rng: random.Random) -> TaskDraft | None:
        rows = self.rows(
            "SELECT e.student_id, st.name, s.id AS section_id, s.course_id, c.code FROM enrolments e JOIN "
            "students st ON st.id = e.student_id JOIN sections s ON s.id = e.section_id JOIN courses c ON "
            "c.id = s.course_id WHERE e.status = 'enrolled' AND (SELECT COUNT(*) FROM sections x WHERE "
            "x.course_id = s.course_id) > 1"
        )
        rng.shuffle(rows)
        for row in rows[:10]:
            target = self._first_section(row["student_id"], row["course_id"], leaving=row["section_id"])
            if target:
                effects = self._plan(lambda: self.switch_section(row["student_id"], row["section_id"], target["id"]))
                return self._task(
                    "switch_section", rng, solve_switch_section, effects, student=row["name"], course=row["code"]
                )
        return None

    def _wishlist(self, rng: random.Random, sid: int, n: int) -> list[dict]:
        fits = [c for c in self.rows("SELECT * FROM courses") if self._first_section(sid, c["id"], seats=False)]
        other = [c for c in self.rows("SELECT * FROM courses") if c not in fits]
        if len(fits) < 2:
            return []
        picks = rng.sample(fits, min(len(fits), n)) + rng.sample(other, min(len(other), rng.randint(0, 1)))
        rng.shuffle(picks)
        return picks

    def _greedy(self, sid: int, picks: list[dict], waitlist: bool) -> bool:
        changed = False
        for c in picks:
            s = self._first_section(sid, c["id"])
            if s:
                self.enrol(sid, s["id"])
                changed = True
            elif waitlist and (full := self._first_section(sid, c["id"], seats=False)):
                changed |= self._try_waitlist(sid, full["id"])
        return changed

    def _try_waitlist(self, sid: int, section_id: int) -> bool:
        try:
            self.join_waitlist(sid, section_id)
            return True
        except ValueError:
            return False

    @proposer(difficulty=4)
    def propose_priority_enrol(self, rng: random.Random) -> TaskDraft | None:
        st = rng.choice(self.rows("SELECT * FROM students"))
        picks = self._wishlist(rng, st["id"], rng.randint(3, 4))
        if not picks:
            return None
        effects = self._plan(lambda: self._greedy(st["id"], picks, waitlist=False))
        return self._task(
            "priority_enrol",
            rng,
            solve_priority_enrol,
            effects,
            student=st["name"],
            courses=", ".join(c["code"] for c in picks),
        )

    @proposer(difficulty=5)
    def propose_replan(self, rng: random.Random) -> TaskDraft | None:
        st = rng.choice(
            self.rows(
                "SELECT DISTINCT st.* FROM students st JOIN enrolments e ON e.student_id = st.id "
                "WHERE e.status = 'enrolled'"
            )
        )
        held = self._enrolled(st["id"])
        drop = rng.sample(held, min(len(held), rng.randint(1, 2)))
        self.db.execute("SAVEPOINT pick")
        try:
            for e in drop:
                self.drop(st["id"], e["id"])
            picks = self._wishlist(rng, st["id"], rng.randint(3, 4))
        finally:
            self.db.execute("ROLLBACK TO pick")
            self.db.execute("RELEASE pick")
        picks = [c for c in picks if c["id"] not in {e["course_id"] for e in drop}]
        if len(picks) < 2:
            return None

        def act():
            for e in drop:
                self.drop(st["id"], e["id"])
            self._greedy(st["id"], picks, waitlist=True)

        return self._task(
            "replan",
            rng,
            solve_replan,
            self._plan(act),
            student=st["name"],
            drop=" and ".join(e["code"] for e in drop),
            courses=", ".join(c["code"] for c in picks),
        )
