"""The registrar's tools: catalogue and record lookups, and enrolment writes that enforce the policy."""

from __future__ import annotations

from synth.env import tool

from .world import MAX_WAITLISTS, POINTS


class RegistrarTools:
    # ---- tools --------------------------------------------------------------------------------------

    @tool("read")
    def get_registrar_info(self) -> dict:
        """The enrolment rules in numbers: credit limits, passing grade, grade points, waitlist limit."""
        return {
            "credit_limit": self._rules()["normal_limit"],
            "probation_credit_limit": 12,
            "probation_below_gpa": 2.0,
            "passing_grade": "C",
            "grade_points": dict(POINTS),
            "max_waitlists": MAX_WAITLISTS,
            "upper_level_needs_year3": self._rules()["year3_upper"],
        }

    @tool("read")
    def list_departments(self) -> list[dict]:
        """All departments with their codes."""
        return self.rows("SELECT code, name FROM departments ORDER BY code")

    @tool("read")
    def search_courses(self, dept: str | None = None, level: int | None = None, title: str | None = None) -> list[dict]:
        """Courses by department code, level (100, 200, 300, 400) and part of the title.

        Args:
            dept: Department code such as CS.
            level: Course level: 100, 200, 300 or 400.
            title: Part of the title.
        """
        return self.rows(
            "SELECT c.code, c.title, d.code AS dept, c.level, c.credits FROM courses c JOIN departments d "
            "ON d.id = c.dept_id WHERE (? IS NULL OR upper(d.code) = upper(?)) AND (? IS NULL OR c.level = ?) "
            "AND (? IS NULL OR lower(c.title) LIKE '%' || lower(?) || '%') ORDER BY c.code",
            dept,
            dept,
            level,
            level,
            title,
            title,
        )

    @tool("read")
    def get_course(self, code: str) -> dict:
        """A course with its prerequisites (codes) and sections (id, number, instructor, days, times, seats left).

        Args:
            code: Course code such as CS210.
        """
        course = self._course(code)
        course["prerequisites"] = [
            r["code"]
            for r in self.rows(
                "SELECT c.code FROM prerequisites p JOIN courses c ON c.id = p.prereq_id WHERE p.course_id = ? ORDER BY "
                "c.code",
                course["id"],
            )
        ]
        course["sections"] = [
            {**s, "seats_left": self._seats(s["section_id"])}
            for s in self.rows(
                "SELECT id AS section_id, number, instructor, days, start, end, room, capacity FROM sections WHERE "
                "course_id = ? ORDER BY number",
                course["id"],
            )
        ]
        return course

    @tool("read")
    def get_section(self, section_id: int) -> dict:
        """One section with its course, schedule, capacity, seats left and waitlist length.

        Args:
            section_id: Section id.
        """
        s = self._get("sections", section_id, "use get_course")
        s["course"] = self._get("courses", s["course_id"], "")["code"]
        s["seats_left"] = self._seats(section_id)
        s["waitlisted"] = self.value(
            "SELECT COUNT(*) FROM waitlist WHERE section_id = ? AND status = 'waiting'", section_id
        )
        return s

    @tool("read")
    def list_sections_by_instructor(self, instructor: str) -> list[dict]:
        """Sections taught by an instructor, with course code and number of enrolled students.

        Args:
            instructor: Instructor's name as listed, e.g. Ingrid Halvorsen.
        """
        return self.rows(
            "SELECT s.id AS section_id, c.code, s.number, s.days, s.start, s.end, (SELECT COUNT(*) FROM "
            "enrolments e WHERE e.section_id = s.id AND e.status = 'enrolled') AS enrolled FROM sections s "
            "JOIN courses c ON c.id = s.course_id WHERE lower(s.instructor) = lower(?) ORDER BY s.id",
            instructor,
        )

    @tool("read")
    def find_students(self, name: str) -> list[dict]:
        """Students whose name contains the text (case-insensitive).

        Args:
            name: Full or partial name.
        """
        if not name.strip():
            raise ValueError("give part of the student's name")
        return self.rows(
            "SELECT s.id, s.name, s.year, d.code AS major FROM students s JOIN departments d ON "
            "d.id = s.major_id WHERE lower(s.name) LIKE '%' || lower(?) || '%' ORDER BY s.id",
            name,
        )

    @tool("read")
    def get_student(self, student_id: int) -> dict:
        """A student's year, major, transcript (course, credits, grade) and current enrolments and waitlists.

        Args:
            student_id: Student id from find_students.
        """
        st = self._get("students", student_id, "use find_students")
        st["transcript"] = self.rows(
            "SELECT c.code, c.credits, g.term, g.grade FROM grades g JOIN courses c ON "
            "c.id = g.course_id WHERE g.student_id = ? ORDER BY g.term, c.code",
            student_id,
        )
        st["enrolled"] = [
            {k: e[k] for k in ("enrolment_id", "code", "credits", "number", "days", "start", "end")}
            | {"section_id": e["id"]}
            for e in self._enrolled(student_id)
        ]
        st["waitlists"] = self.rows(
            "SELECT w.section_id, c.code, w.position FROM waitlist w JOIN sections s ON "
            "s.id = w.section_id JOIN courses c ON c.id = s.course_id WHERE w.student_id = ? AND "
            "w.status = 'waiting' ORDER BY w.id",
            student_id,
        )
        return st

    @tool("read")
    def list_waitlist(self, section_id: int) -> list[dict]:
        """The waiting students of a section, in order.

        Args:
            section_id: Section id.
        """
        self._get("sections", section_id, "use get_course")
        return self.rows(
            "SELECT w.position, st.name FROM waitlist w JOIN students st ON st.id = w.student_id WHERE "
            "w.section_id = ? AND w.status = 'waiting' ORDER BY w.position",
            section_id,
        )

    @tool("write")
    def enrol(self, student_id: int, section_id: int) -> dict:
        """Enrol a student in a section.

        Args:
            student_id: Student id.
            section_id: Section id from get_course.
        """
        self._get("students", student_id, "use find_students")
        if problem := self._enrol_problem(student_id, section_id):
            raise ValueError(f"policy: {problem}")
        eid = self.db.execute(
            "INSERT INTO enrolments (student_id, section_id, status) VALUES (?, ?, 'enrolled')",
            (student_id, section_id),
        ).lastrowid
        return {"enrolment_id": eid, "section_id": section_id}

    def _enrolment(self, student_id: int, section_id: int) -> dict:
        return self.one(
            "SELECT * FROM enrolments WHERE student_id = ? AND section_id = ? AND status = 'enrolled'",
            student_id,
            section_id,
            missing="the student is not enrolled in that section",
        )

    @tool("write")
    def drop(self, student_id: int, section_id: int) -> dict:
        """Drop a student's enrolment in a section.

        Args:
            student_id: Student id.
            section_id: Section id.
        """
        e = self._enrolment(student_id, section_id)
        self.db.execute("UPDATE enrolments SET status = 'dropped' WHERE id = ?", (e["id"],))
        return {"enrolment_id": e["id"], "status": "dropped"}

    @tool("write")
    def switch_section(self, student_id: int, from_section_id: int, to_section_id: int) -> dict:
        """Move a student from one section of a course to another section of the same course.

        Args:
            student_id: Student id.
            from_section_id: The section they are enrolled in.
            to_section_id: The section to move to.
        """
        e = self._enrolment(student_id, from_section_id)
        old, new = self._get("sections", from_section_id, ""), self._get("sections", to_section_id, "use get_course")
        if old["course_id"] != new["course_id"] or old["id"] == new["id"]:
            raise ValueError("the new section must be another section of the same course")
        if problem := self._enrol_problem(student_id, to_section_id, leaving=from_section_id):
            raise ValueError(f"policy: {problem}")
        self.db.execute("UPDATE enrolments SET status = 'dropped' WHERE id = ?", (e["id"],))
        eid = self.db.execute(
            "INSERT INTO enrolments (student_id, section_id, status) VALUES (?, ?, 'enrolled')",
            (student_id, to_section_id),
        ).lastrowid
        return {"enrolment_id": eid, "section_id": to_section_id}

    @tool("write")
    def join_waitlist(self, student_id: int, section_id: int) -> dict:
        """Put a student on the waitlist of a full section.

        Args:
            student_id: Student id.
            section_id: Section id.
        """
        self._get("students", student_id, "use find_students")
        if self._seats(section_id) > 0:
            raise ValueError("policy: the section has free seats; enrol instead")
        if problem := self._enrol_problem(student_id, section_id, seats=False):
            raise ValueError(f"policy: {problem}")
        waits = self.rows("SELECT section_id FROM waitlist WHERE student_id = ? AND status = 'waiting'", student_id)
        if len(waits) >= MAX_WAITLISTS or any(w["section_id"] == section_id for w in waits):
            raise ValueError(f"policy: at most {MAX_WAITLISTS} waitlists, and one place per section")
        pos = self.value("SELECT COALESCE(MAX(position), 0) + 1 FROM waitlist WHERE section_id = ?", section_id)
        wid = self.db.execute(
            "INSERT INTO waitlist (student_id, section_id, position, status) VALUES (?, ?, ?, 'waiting')",
            (student_id, section_id, pos),
        ).lastrowid
        return {"waitlist_id": wid, "position": pos}
