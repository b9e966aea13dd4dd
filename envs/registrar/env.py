"""University registrar: courses, prerequisites, sections with capacity and meeting times, students, grades, enrolment."""

from __future__ import annotations

import random

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool
from verifiers.common import verify_names, verify_number

DEPARTMENTS = {"CS": "Computer Science", "MATH": "Mathematics", "HIST": "History", "BIO": "Biology",
               "ECON": "Economics", "PHYS": "Physics", "LING": "Linguistics"}
TOPICS = ["Foundations", "Methods", "Theory", "Systems", "Seminar", "Analysis", "Modelling", "Design", "Topics",
          "Practice", "Structures", "Principles"]
FIRST = ["Amara", "Beckett", "Calla", "Darius", "Esme", "Fabian", "Greta", "Idris", "Juno", "Kit", "Leona", "Milo",
         "Nadia", "Otto", "Priya", "Rafe", "Saoirse", "Tobin", "Uma", "Vance", "Willa", "Yannick", "Zora", "Arlo"]
LAST = ["Achterberg", "Bramwell", "Cardenas", "Delacroix", "Eastwood", "Faraday", "Galloway", "Hargreaves", "Ibarra",
        "Jorgensen", "Kowalczyk", "Lindqvist", "Marchetti", "Nakashima", "Okonkwo", "Pemberton", "Quiroga", "Rasmussen"]
INSTRUCTORS = ["Prof. Halvorsen", "Prof. Adeyemi", "Dr. Castellanos", "Dr. Whitcombe", "Prof. Szabo", "Dr. Ferreira",
               "Prof. Lindholm", "Dr. Okafor", "Prof. Van Dijk", "Dr. Moreau", "Prof. Takeda", "Dr. Brennan",
               "Prof. Iqbal", "Dr. Novotny"]
POINTS = {"A": 4.0, "A-": 3.7, "B+": 3.3, "B": 3.0, "B-": 2.7, "C+": 2.3, "C": 2.0, "C-": 1.7, "D": 1.0, "F": 0.0}
PASS = 2.0  # a course counts as passed with C or better
PATTERNS = {"MWF": 50, "TR": 75, "MW": 75}
STARTS = ["08:00", "09:30", "11:00", "12:30", "14:00", "15:30"]
MAX_WAITLISTS = 2


def minutes(hhmm: str) -> int:
    return int(hhmm[:2]) * 60 + int(hhmm[3:])


def clash(a: dict, b: dict) -> bool:
    return bool(set(a["days"]) & set(b["days"])) and minutes(a["start"]) < minutes(b["end"]) \
        and minutes(b["start"]) < minutes(a["end"])


class RegistrarEnv(EnvTemplate):
    name = "registrar"
    version = "1.0.0"
    category = "university registrar"
    description = ("A university registrar's system: browse courses, prerequisites and sections with their times "
                   "and seats, look up students' transcripts and timetables, and enrol, drop, switch sections and "
                   "manage waitlists.")
    policy = (
        "A course is passed with a grade of C or better. A student may enrol in a course only after passing all its "
        "prerequisites, never in a course they have already passed, and in only one section of a course. "
        "A section takes no more students than its capacity. A student's enrolled credits may not exceed 18, or "
        "12 while on academic probation (cumulative GPA below 2.00, credit-weighted over all graded courses, "
        "A=4.0, A-=3.7, B+=3.3, B=3.0, B-=2.7, C+=2.3, C=2.0, C-=1.7, D=1.0, F=0). Enrolled sections may not "
        "overlap in time. A student may join the waitlist of a section only when it is full and they could "
        "otherwise take the course, and may be on at most 2 waitlists. Change only the enrolments the request is "
        "about."
    )
    variants = VariantSpace(
        optional_tools=("list_departments", "get_section", "list_waitlist"),
        renames={"search_courses": ("course_catalog", "find_courses"), "enrol": ("register_student",),
                 "get_student": ("student_record",)},
        rules={"credit_cap_16": "The normal credit limit is 16 instead of 18 (probation stays 12).",
               "upper_level_year3": "Only students in year 3 or above may enrol in 300- and 400-level courses."},
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "seats_left": [
            "How many open seats are left in section {{section}} of {{course}}?",
            "{{course}} section {{section}}: how many more students can enrol?",
        ],
        "student_grade": [
            "What grade did {{student}} get in {{course}}?",
            "Look up {{student}}'s transcript: which grade is recorded for {{course}}?",
        ],
        "section_instructor": [
            "Who teaches section {{section}} of {{course}}?",
            "Name the instructor of {{course}}, section {{section}}.",
        ],
        "student_gpa": [
            "What is {{student}}'s cumulative GPA? Round to 2 decimals.",
            "Compute the credit-weighted GPA of {{student}} over all graded courses (2 decimals).",
        ],
        "eligible_courses": [
            "Which {{level}}-level {{dept}} courses could {{student}} take next, i.e. they have passed every "
            "prerequisite and have not passed the course itself? Give the course codes.",
            "List the codes of the {{dept}} courses at the {{level}} level whose prerequisites {{student}} has all "
            "passed and which they have not yet passed.",
        ],
        "instructor_load": [
            "How many students in total are enrolled in sections taught by {{instructor}}?",
            "Count the enrolments across all sections that {{instructor}} teaches.",
        ],
        "enrol_course": [
            "Enrol {{student}} in {{course}}, in the lowest-numbered section that has a free seat and fits their "
            "timetable under the rules.",
            "Put {{student}} into {{course}}: use the first section (by section number) with space that the policy "
            "lets them take.",
        ],
        "drop_dept": [
            "{{student}} is leaving the {{dept}} department's courses. Drop all of their {{dept}} enrolments.",
            "Withdraw {{student}} from every {{dept}} course they are currently enrolled in.",
        ],
        "switch_section": [
            "Move {{student}} out of their current section of {{course}} into the lowest-numbered other section "
            "that has a seat and fits their timetable.",
            "{{student}} wants a different section of {{course}}: switch them to the first other section, by number, "
            "with a free seat and no time clash.",
        ],
        "priority_enrol": [
            "Enrol {{student}} in these courses, in this priority order: {{courses}}. For each, take the "
            "lowest-numbered section with a free seat that the rules allow at that point; skip a course when no "
            "section works.",
            "Work through {{student}}'s wish list in order ({{courses}}): enrol them in each course's first "
            "section by number that has space and is allowed given what they hold by then; courses that cannot be "
            "taken are skipped.",
        ],
        "replan": [
            "{{student}} is reworking their timetable. First drop {{drop}}. Then go through {{courses}} in order: "
            "enrol them in the lowest-numbered section with a free seat that the rules allow at that point; if "
            "every section they could otherwise take is full, put them on the waitlist of the lowest-numbered such "
            "section instead (within the waitlist limit); otherwise skip the course.",
            "For {{student}}: drop {{drop}}, then for each of {{courses}} in turn, enrol in the first allowed "
            "section (by number) that has a seat; where the only allowed sections are full, join the waitlist of "
            "the lowest-numbered one if the limit permits, else skip it.",
        ],
    }

    # ---- database ---------------------------------------------------------------------------------

    def build(self, rng: random.Random) -> None:
        self.db.executescript("""
            CREATE TABLE departments (id INTEGER PRIMARY KEY, code TEXT UNIQUE, name TEXT);
            CREATE TABLE courses (id INTEGER PRIMARY KEY, code TEXT UNIQUE, title TEXT, dept_id INTEGER
                REFERENCES departments(id), level INTEGER, credits INTEGER);
            CREATE TABLE prerequisites (course_id INTEGER REFERENCES courses(id), prereq_id INTEGER
                REFERENCES courses(id), PRIMARY KEY (course_id, prereq_id));
            CREATE TABLE sections (id INTEGER PRIMARY KEY, course_id INTEGER REFERENCES courses(id), number INTEGER,
                instructor TEXT, days TEXT, start TEXT, end TEXT, room TEXT, capacity INTEGER);
            CREATE TABLE students (id INTEGER PRIMARY KEY, name TEXT UNIQUE, major_id INTEGER REFERENCES
                departments(id), year INTEGER);
            CREATE TABLE grades (id INTEGER PRIMARY KEY, student_id INTEGER REFERENCES students(id), course_id
                INTEGER REFERENCES courses(id), term TEXT, grade TEXT);
            CREATE TABLE enrolments (id INTEGER PRIMARY KEY, student_id INTEGER REFERENCES students(id), section_id
                INTEGER REFERENCES sections(id), status TEXT);
            CREATE TABLE waitlist (id INTEGER PRIMARY KEY, student_id INTEGER REFERENCES students(id), section_id
                INTEGER REFERENCES sections(id), position INTEGER, status TEXT);
        """)
        n_dept, n_students = {"small": (3, (35, 45)), "medium": (4, (55, 70)), "large": (6, (85, 110))}[self.variant.scale]
        for code in rng.sample(sorted(DEPARTMENTS), n_dept):
            dept = self.db.execute("INSERT INTO departments (code, name) VALUES (?, ?)", (code, DEPARTMENTS[code])).lastrowid
            made: list[tuple[int, int]] = []
            for level in (100, 200, 300, 400):
                for num in rng.sample(range(1, 60), rng.randint(2, 3)):
                    cid = self.db.execute("INSERT INTO courses (code, title, dept_id, level, credits) VALUES (?, ?, ?, ?, ?)",
                                          (f"{code}{level + num}", f"{DEPARTMENTS[code]} {rng.choice(TOPICS)} "
                                                                   f"{['I', 'II', 'III', 'IV'][level // 100 - 1]}",
                                           dept, level, rng.choice([3, 3, 4, 4, 5]))).lastrowid
                    lower = [c for c, lv in made if lv < level]
                    for pre in rng.sample(lower, min(len(lower), rng.randint(1, 2))) if lower else []:
                        self.db.execute("INSERT INTO prerequisites VALUES (?, ?)", (cid, pre))
                    made.append((cid, level))
                    for number in range(1, rng.randint(1, 3) + 1):
                        days = rng.choice(sorted(PATTERNS))
                        start = rng.choice(STARTS)
                        end = minutes(start) + PATTERNS[days]
                        self.db.execute("INSERT INTO sections (course_id, number, instructor, days, start, end, room, "
                                        "capacity) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                        (cid, number, rng.choice(INSTRUCTORS), days, start,
                                         f"{end // 60:02d}:{end % 60:02d}", f"{code[0]}-{rng.randint(100, 340)}",
                                         rng.choice([2, 3, 4, 5, 6, 8])))
        self._build_students(rng, n_students)

    def _build_students(self, rng: random.Random, n_students: tuple[int, int]) -> None:
        depts = [r["id"] for r in self.rows("SELECT id FROM departments")]
        courses = self.rows("SELECT * FROM courses ORDER BY level, id")
        for name in rng.sample([f"{f} {l}" for f in FIRST for l in LAST], rng.randint(*n_students)):
            year = rng.randint(1, 4)
            sid = self.db.execute("INSERT INTO students (name, major_id, year) VALUES (?, ?, ?)",
                                  (name, rng.choice(depts), year)).lastrowid
            weak = rng.random() < 0.2
            for term in range(1, year):  # past terms, taking courses whose prerequisites they had passed
                open_courses = [c for c in courses if c["level"] <= 100 * (term + 1) and self._prereqs_met(sid, c["id"])
                                and not self._passed(sid, c["id"])]
                for c in rng.sample(open_courses, min(len(open_courses), rng.randint(2, 4))):
                    grade = rng.choice(["C", "C-", "D", "F", "D", "C+"] if weak else list(POINTS)[:8])
                    self.db.execute("INSERT INTO grades (student_id, course_id, term, grade) VALUES (?, ?, ?, ?)",
                                    (sid, c["id"], f"T{term}", grade))
        sections = self.rows("SELECT * FROM sections")
        for student in self.rows("SELECT * FROM students"):
            for s in rng.sample(sections, min(len(sections), 12)):
                if len(self._enrolled(student["id"])) >= 5:
                    break
                if self._enrol_problem(student["id"], s["id"], ignore_rules=False) is None:
                    self.db.execute("INSERT INTO enrolments (student_id, section_id, status) VALUES (?, ?, 'enrolled')",
                                    (student["id"], s["id"]))
        for s in sections:  # some waitlists on full sections
            if self._seats(s["id"]) == 0 and rng.random() < 0.5:
                for pos, st in enumerate(rng.sample(self.rows("SELECT id FROM students"), rng.randint(1, 2)), 1):
                    self.db.execute("INSERT INTO waitlist (student_id, section_id, position, status) VALUES (?, ?, ?, "
                                    "'waiting')", (st["id"], s["id"], pos))

    # ---- rules --------------------------------------------------------------------------------------

    def _passed(self, sid: int, cid: int) -> bool:
        return any(POINTS[g["grade"]] >= PASS for g in self.rows("SELECT grade FROM grades WHERE student_id = ? AND "
                                                                 "course_id = ?", sid, cid))

    def _prereqs_met(self, sid: int, cid: int) -> bool:
        return all(self._passed(sid, p["prereq_id"]) for p in self.rows("SELECT prereq_id FROM prerequisites WHERE "
                                                                        "course_id = ?", cid))

    def _gpa(self, sid: int) -> float | None:
        rows = self.rows("SELECT g.grade, c.credits FROM grades g JOIN courses c ON c.id = g.course_id WHERE "
                         "g.student_id = ?", sid)
        credits = sum(r["credits"] for r in rows)
        return round(sum(POINTS[r["grade"]] * r["credits"] for r in rows) / credits, 4) if credits else None

    def _limit(self, sid: int) -> int:
        gpa = self._gpa(sid)
        if gpa is not None and gpa < 2.0:
            return 12
        return 16 if "credit_cap_16" in self.variant.rules else 18

    def _enrolled(self, sid: int) -> list[dict]:
        return self.rows("SELECT e.id AS enrolment_id, s.*, c.credits, c.code FROM enrolments e JOIN sections s ON "
                         "s.id = e.section_id JOIN courses c ON c.id = s.course_id WHERE e.student_id = ? AND "
                         "e.status = 'enrolled' ORDER BY s.id", sid)

    def _seats(self, section_id: int) -> int:
        cap = self.db.execute("SELECT capacity FROM sections WHERE id = ?", (section_id,)).fetchone()[0]
        taken = self.db.execute("SELECT COUNT(*) FROM enrolments WHERE section_id = ? AND status = 'enrolled'",
                                (section_id,)).fetchone()[0]
        return cap - taken

    def _enrol_problem(self, sid: int, section_id: int, *, ignore_rules: bool = False, seats: bool = True,
                       leaving: int | None = None) -> str | None:
        """Why the student may not enrol in the section (None when allowed); `leaving`: a section being swapped out."""
        section = self._get("sections", section_id, "use get_course to see a course's sections")
        course = self._get("courses", section["course_id"], "")
        held = [e for e in self._enrolled(sid) if e["id"] != leaving]
        year = self.db.execute("SELECT year FROM students WHERE id = ?", (sid,)).fetchone()[0]
        if any(e["course_id"] == course["id"] for e in held):
            return "the student is already enrolled in a section of this course"
        if self._passed(sid, course["id"]):
            return "the student has already passed this course"
        if not self._prereqs_met(sid, course["id"]):
            return "the student has not passed every prerequisite"
        if "upper_level_year3" in self.variant.rules and course["level"] >= 300 and year < 3:
            return "300- and 400-level courses are for students in year 3 or above"
        if sum(e["credits"] for e in held) + course["credits"] > self._limit(sid):
            return f"the credit limit of {self._limit(sid)} would be exceeded"
        if any(clash(section, e) for e in held):
            return "the section clashes with one of the student's enrolled sections"
        if seats and self._seats(section_id) < 1:
            return "the section is full"
        return None

    def _get(self, table: str, row_id: int, hint: str) -> dict:
        row = self.db.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,)).fetchone()
        if row is None:
            raise ValueError(f"no {table[:-1]} with id {row_id}; {hint}")
        return dict(row)

    def _course(self, code: str) -> dict:
        row = self.db.execute("SELECT * FROM courses WHERE upper(code) = upper(?)", (code,)).fetchone()
        if row is None:
            raise ValueError(f"no course {code!r}; use search_courses")
        return dict(row)

    def _rules(self) -> dict:
        return {"normal_limit": 16 if "credit_cap_16" in self.variant.rules else 18,
                "year3_upper": "upper_level_year3" in self.variant.rules}

    # ---- tools --------------------------------------------------------------------------------------

    @tool("read")
    def get_registrar_info(self) -> dict:
        """The enrolment rules in numbers: credit limits, passing grade, grade points, waitlist limit."""
        return {"credit_limit": self._rules()["normal_limit"], "probation_credit_limit": 12, "probation_below_gpa": 2.0,
                "passing_grade": "C", "grade_points": dict(POINTS), "max_waitlists": MAX_WAITLISTS,
                "upper_level_needs_year3": self._rules()["year3_upper"]}

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
        return self.rows("SELECT c.code, c.title, d.code AS dept, c.level, c.credits FROM courses c JOIN departments d "
                         "ON d.id = c.dept_id WHERE (? IS NULL OR upper(d.code) = upper(?)) AND (? IS NULL OR c.level = ?) "
                         "AND (? IS NULL OR lower(c.title) LIKE '%' || lower(?) || '%') ORDER BY c.code",
                         dept, dept, level, level, title, title)

    @tool("read")
    def get_course(self, code: str) -> dict:
        """A course with its prerequisites (codes) and sections (id, number, instructor, days, times, seats left).

        Args:
            code: Course code such as CS210.
        """
        course = self._course(code)
        course["prerequisites"] = [r["code"] for r in self.rows(
            "SELECT c.code FROM prerequisites p JOIN courses c ON c.id = p.prereq_id WHERE p.course_id = ? ORDER BY "
            "c.code", course["id"])]
        course["sections"] = [{**s, "seats_left": self._seats(s["section_id"])} for s in self.rows(
            "SELECT id AS section_id, number, instructor, days, start, end, room, capacity FROM sections WHERE "
            "course_id = ? ORDER BY number", course["id"])]
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
        s["waitlisted"] = self.db.execute("SELECT COUNT(*) FROM waitlist WHERE section_id = ? AND status = 'waiting'",
                                          (section_id,)).fetchone()[0]
        return s

    @tool("read")
    def list_sections_by_instructor(self, instructor: str) -> list[dict]:
        """Sections taught by an instructor, with course code and number of enrolled students.

        Args:
            instructor: Instructor's name as listed, e.g. Prof. Halvorsen.
        """
        return self.rows("SELECT s.id AS section_id, c.code, s.number, s.days, s.start, s.end, (SELECT COUNT(*) FROM "
                         "enrolments e WHERE e.section_id = s.id AND e.status = 'enrolled') AS enrolled FROM sections s "
                         "JOIN courses c ON c.id = s.course_id WHERE lower(s.instructor) = lower(?) ORDER BY s.id",
                         instructor)

    @tool("read")
    def find_students(self, name: str) -> list[dict]:
        """Students whose name contains the text (case-insensitive).

        Args:
            name: Full or partial name.
        """
        if not name.strip():
            raise ValueError("give part of the student's name")
        return self.rows("SELECT s.id, s.name, s.year, d.code AS major FROM students s JOIN departments d ON "
                         "d.id = s.major_id WHERE lower(s.name) LIKE '%' || lower(?) || '%' ORDER BY s.id", name)

    @tool("read")
    def get_student(self, student_id: int) -> dict:
        """A student's year, major, transcript (course, credits, grade) and current enrolments and waitlists.

        Args:
            student_id: Student id from find_students.
        """
        st = self._get("students", student_id, "use find_students")
        st["transcript"] = self.rows("SELECT c.code, c.credits, g.term, g.grade FROM grades g JOIN courses c ON "
                                     "c.id = g.course_id WHERE g.student_id = ? ORDER BY g.term, c.code", student_id)
        st["enrolled"] = [{k: e[k] for k in ("enrolment_id", "code", "credits", "number", "days", "start", "end")}
                          | {"section_id": e["id"]} for e in self._enrolled(student_id)]
        st["waitlists"] = self.rows("SELECT w.section_id, c.code, w.position FROM waitlist w JOIN sections s ON "
                                    "s.id = w.section_id JOIN courses c ON c.id = s.course_id WHERE w.student_id = ? AND "
                                    "w.status = 'waiting' ORDER BY w.id", student_id)
        return st

    @tool("read")
    def list_waitlist(self, section_id: int) -> list[dict]:
        """The waiting students of a section, in order.

        Args:
            section_id: Section id.
        """
        self._get("sections", section_id, "use get_course")
        return self.rows("SELECT w.position, st.name FROM waitlist w JOIN students st ON st.id = w.student_id WHERE "
                         "w.section_id = ? AND w.status = 'waiting' ORDER BY w.position", section_id)

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
        eid = self.db.execute("INSERT INTO enrolments (student_id, section_id, status) VALUES (?, ?, 'enrolled')",
                              (student_id, section_id)).lastrowid
        return {"enrolment_id": eid, "section_id": section_id}

    def _enrolment(self, student_id: int, section_id: int) -> dict:
        row = self.db.execute("SELECT * FROM enrolments WHERE student_id = ? AND section_id = ? AND status = "
                              "'enrolled'", (student_id, section_id)).fetchone()
        if row is None:
            raise ValueError("the student is not enrolled in that section")
        return dict(row)

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
        eid = self.db.execute("INSERT INTO enrolments (student_id, section_id, status) VALUES (?, ?, 'enrolled')",
                              (student_id, to_section_id)).lastrowid
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
        pos = self.db.execute("SELECT COALESCE(MAX(position), 0) + 1 FROM waitlist WHERE section_id = ?",
                              (section_id,)).fetchone()[0]
        wid = self.db.execute("INSERT INTO waitlist (student_id, section_id, position, status) VALUES (?, ?, ?, "
                              "'waiting')", (student_id, section_id, pos)).lastrowid
        return {"waitlist_id": wid, "position": pos}

    # ---- proposers ----------------------------------------------------------------------------------


    def _expect(self, sid: int) -> dict:
        """The student's enrolled sections and waitlisted sections, as the verifier reads them."""
        return {"enrolled": sorted(e["id"] for e in self._enrolled(sid)),
                "waitlisted": sorted(r["section_id"] for r in self.rows("SELECT section_id FROM waitlist WHERE "
                                                                        "student_id = ? AND status = 'waiting'", sid))}

    def _plan(self, sid: int, actions) -> dict | None:
        """Apply `actions` (a function) in a savepoint, return the student's resulting timetable, undo."""
        self.db.execute("SAVEPOINT plan")
        try:
            if actions() is False:
                return None
            return self._expect(sid)
        finally:
            self.db.execute("ROLLBACK TO plan")
            self.db.execute("RELEASE plan")

    def _first_section(self, sid: int, cid: int, *, seats: bool = True, leaving: int | None = None) -> dict | None:
        for s in self.rows("SELECT * FROM sections WHERE course_id = ? ORDER BY number", cid):
            if s["id"] != leaving and self._enrol_problem(sid, s["id"], seats=seats, leaving=leaving) is None:
                return s
        return None

    def _task(self, shape: str, rng: random.Random, solve, sid: int, expected: dict, **args) -> TaskDraft:
        return TaskDraft(shape=shape, instruction=self.render(shape, rng, **args),
                         solution=Program.of(solve, **args, **self._rules()),
                         verifier=Program.of(verify_timetable, student_id=sid, **expected))

    @proposer(difficulty=1)
    def propose_seats_left(self, rng: random.Random) -> TaskDraft | None:
        s = rng.choice(self.rows("SELECT s.id, s.number, c.code FROM sections s JOIN courses c ON c.id = s.course_id"))
        spec = {"course": s["code"], "section": s["number"]}
        return TaskDraft(shape="seats_left", instruction=self.render("seats_left", rng, **spec),
                         solution=Program.of(solve_seats_left, **spec),
                         verifier=Program.of(verify_number, expected=self._seats(s["id"]), tolerance=0.0),
                         tools=self.available_tools("get_course", "search_courses", "get_section"))

    @proposer(difficulty=1)
    def propose_student_grade(self, rng: random.Random) -> TaskDraft | None:
        g = rng.choice(self.rows("SELECT g.student_id, g.course_id, g.grade, st.name, c.code FROM grades g JOIN "
                                 "students st ON st.id = g.student_id JOIN courses c ON c.id = g.course_id"))
        if self.db.execute("SELECT COUNT(*) FROM grades WHERE student_id = ? AND course_id = ?",
                           (g["student_id"], g["course_id"])).fetchone()[0] > 1:
            return None
        spec = {"student": g["name"], "course": g["code"]}
        return TaskDraft(shape="student_grade", instruction=self.render("student_grade", rng, **spec),
                         solution=Program.of(solve_student_grade, **spec),
                         verifier=Program.of(verify_grade, expected=g["grade"]),
                         tools=self.available_tools("find_students", "get_student", "search_courses"))

    @proposer(difficulty=1)
    def propose_section_instructor(self, rng: random.Random) -> TaskDraft | None:
        s = rng.choice(self.rows("SELECT s.number, s.instructor, c.code FROM sections s JOIN courses c ON "
                                 "c.id = s.course_id"))
        spec = {"course": s["code"], "section": s["number"]}
        return TaskDraft(shape="section_instructor", instruction=self.render("section_instructor", rng, **spec),
                         solution=Program.of(solve_section_instructor, **spec),
                         verifier=Program.of(verify_names, expected=[s["instructor"]], candidates=INSTRUCTORS),
                         tools=self.available_tools("get_course", "search_courses"))

    @proposer(difficulty=2)
    def propose_student_gpa(self, rng: random.Random) -> TaskDraft | None:
        st = rng.choice(self.rows("SELECT DISTINCT st.* FROM students st JOIN grades g ON g.student_id = st.id"))
        return TaskDraft(shape="student_gpa", instruction=self.render("student_gpa", rng, student=st["name"]),
                         solution=Program.of(solve_student_gpa, student=st["name"]),
                         verifier=Program.of(verify_number, expected=round(self._gpa(st["id"]), 2), tolerance=0.005),
                         tools=self.available_tools("find_students", "get_student", "get_registrar_info"))

    @proposer(difficulty=2)
    def propose_eligible_courses(self, rng: random.Random) -> TaskDraft | None:
        st = rng.choice(self.rows("SELECT * FROM students WHERE year >= 2"))
        combos = [(d, lv) for d in self.rows("SELECT * FROM departments") for lv in (200, 300, 400)]
        rng.shuffle(combos)
        for dept, level in combos:
            courses = self.rows("SELECT * FROM courses WHERE dept_id = ? AND level = ?", dept["id"], level)
            ok = [c["code"] for c in courses
                  if self._prereqs_met(st["id"], c["id"]) and not self._passed(st["id"], c["id"])]
            if ok:
                break
        else:
            return None
        return TaskDraft(shape="eligible_courses",
                         instruction=self.render("eligible_courses", rng, student=st["name"], dept=dept["code"],
                                                 level=level),
                         solution=Program.of(solve_eligible_courses, student=st["name"], dept=dept["code"], level=level),
                         verifier=Program.of(verify_names, expected=ok,
                                             candidates=[c["code"] for c in self.rows("SELECT code FROM courses")]),
                         tools=self.available_tools("find_students", "get_student", "search_courses", "get_course", "get_registrar_info"))

    @proposer(difficulty=2)
    def propose_instructor_load(self, rng: random.Random) -> TaskDraft | None:
        instructor = rng.choice(sorted({r["instructor"] for r in self.rows("SELECT instructor FROM sections")}))
        n = self.db.execute("SELECT COUNT(*) FROM enrolments e JOIN sections s ON s.id = e.section_id WHERE "
                            "s.instructor = ? AND e.status = 'enrolled'", (instructor,)).fetchone()[0]
        return TaskDraft(shape="instructor_load", instruction=self.render("instructor_load", rng, instructor=instructor),
                         solution=Program.of(solve_instructor_load, instructor=instructor),
                         verifier=Program.of(verify_number, expected=n, tolerance=0.0),
                         tools=self.available_tools("list_sections_by_instructor", "get_section", "get_course"))

    @proposer(difficulty=3)
    def propose_enrol_course(self, rng: random.Random) -> TaskDraft | None:
        st = rng.choice(self.rows("SELECT * FROM students"))
        options = [c for c in self.rows("SELECT * FROM courses") if self._first_section(st["id"], c["id"])]
        if not options:
            return None
        c = rng.choice(options)
        expected = self._plan(st["id"], lambda: self.enrol(st["id"], self._first_section(st["id"], c["id"])["id"]))
        return self._task("enrol_course", rng, solve_enrol_course, st["id"], expected, student=st["name"],
                          course=c["code"])

    @proposer(difficulty=3)
    def propose_drop_dept(self, rng: random.Random) -> TaskDraft | None:
        row = rng.choice(self.rows("SELECT DISTINCT st.id, st.name, d.code, d.id AS dept_id FROM enrolments e JOIN "
                                   "students st ON st.id = e.student_id JOIN sections s ON s.id = e.section_id JOIN "
                                   "courses c ON c.id = s.course_id JOIN departments d ON d.id = c.dept_id WHERE "
                                   "e.status = 'enrolled'"))

        def act():
            for e in self._enrolled(row["id"]):
                if self._get("courses", e["course_id"], "")["dept_id"] == row["dept_id"]:
                    self.drop(row["id"], e["id"])
        return self._task("drop_dept", rng, solve_drop_dept, row["id"], self._plan(row["id"], act),
                          student=row["name"], dept=row["code"])

    @proposer(difficulty=3)
    def propose_switch_section(self, rng: random.Random) -> TaskDraft | None:
        rows = self.rows("SELECT e.student_id, st.name, s.id AS section_id, s.course_id, c.code FROM enrolments e JOIN "
                         "students st ON st.id = e.student_id JOIN sections s ON s.id = e.section_id JOIN courses c ON "
                         "c.id = s.course_id WHERE e.status = 'enrolled' AND (SELECT COUNT(*) FROM sections x WHERE "
                         "x.course_id = s.course_id) > 1")
        rng.shuffle(rows)
        for row in rows[:10]:
            target = self._first_section(row["student_id"], row["course_id"], leaving=row["section_id"])
            if target:
                expected = self._plan(row["student_id"], lambda: self.switch_section(row["student_id"],
                                                                                      row["section_id"], target["id"]))
                return self._task("switch_section", rng, solve_switch_section, row["student_id"], expected,
                                  student=row["name"], course=row["code"])
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
        expected = self._plan(st["id"], lambda: self._greedy(st["id"], picks, waitlist=False))
        if expected is None:
            return None
        return self._task("priority_enrol", rng, solve_priority_enrol, st["id"], expected, student=st["name"],
                          courses=", ".join(c["code"] for c in picks))

    @proposer(difficulty=5)
    def propose_replan(self, rng: random.Random) -> TaskDraft | None:
        st = rng.choice(self.rows("SELECT DISTINCT st.* FROM students st JOIN enrolments e ON e.student_id = st.id "
                                  "WHERE e.status = 'enrolled'"))
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
        expected = self._plan(st["id"], act)
        return self._task("replan", rng, solve_replan, st["id"], expected, student=st["name"],
                          drop=" and ".join(e["code"] for e in drop), courses=", ".join(c["code"] for c in picks))


# ---- solutions: tools and computation only --------------------------------------------------------

def solve_seats_left(tools, params):
    course = tools.get_course(code=params["course"])
    return next(s["seats_left"] for s in course["sections"] if s["number"] == params["section"])


def solve_student_grade(tools, params):
    st = next(s for s in tools.find_students(name=params["student"]) if s["name"] == params["student"])
    return next(g["grade"] for g in tools.get_student(student_id=st["id"])["transcript"] if g["code"] == params["course"])


def solve_section_instructor(tools, params):
    course = tools.get_course(code=params["course"])
    return next(s["instructor"] for s in course["sections"] if s["number"] == params["section"])


def solve_student_gpa(tools, params):
    points = tools.get_registrar_info()["grade_points"]
    st = next(s for s in tools.find_students(name=params["student"]) if s["name"] == params["student"])
    rows = tools.get_student(student_id=st["id"])["transcript"]
    return round(sum(points[r["grade"]] * r["credits"] for r in rows) / sum(r["credits"] for r in rows), 2)


def solve_eligible_courses(tools, params):
    points = tools.get_registrar_info()["grade_points"]
    st = next(s for s in tools.find_students(name=params["student"]) if s["name"] == params["student"])
    passed = {g["code"] for g in tools.get_student(student_id=st["id"])["transcript"] if points[g["grade"]] >= 2.0}
    out = []
    for c in tools.search_courses(dept=params["dept"], level=params["level"]):
        if c["code"] not in passed and set(tools.get_course(code=c["code"])["prerequisites"]) <= passed:
            out.append(c["code"])
    return out


def solve_instructor_load(tools, params):
    return sum(s["enrolled"] for s in tools.list_sections_by_instructor(instructor=params["instructor"]))


def solve_enrol_course(tools, params):
    st = next(s for s in tools.find_students(name=params["student"]) if s["name"] == params["student"])
    for s in sorted(tools.get_course(code=params["course"])["sections"], key=lambda s: s["number"]):
        if s["seats_left"] < 1:
            continue
        try:
            return tools.enrol(student_id=st["id"], section_id=s["section_id"])
        except Exception:
            continue
    return "no section"


def solve_drop_dept(tools, params):
    st = next(s for s in tools.find_students(name=params["student"]) if s["name"] == params["student"])
    dept_codes = {c["code"] for c in tools.search_courses(dept=params["dept"])}
    done = [tools.drop(student_id=st["id"], section_id=e["section_id"])["enrolment_id"]
            for e in tools.get_student(student_id=st["id"])["enrolled"] if e["code"] in dept_codes]
    return f"Dropped {done}"


def solve_switch_section(tools, params):
    st = next(s for s in tools.find_students(name=params["student"]) if s["name"] == params["student"])
    current = next(e for e in tools.get_student(student_id=st["id"])["enrolled"] if e["code"] == params["course"])
    for s in sorted(tools.get_course(code=params["course"])["sections"], key=lambda s: s["number"]):
        if s["section_id"] == current["section_id"] or s["seats_left"] < 1:
            continue
        try:
            return tools.switch_section(student_id=st["id"], from_section_id=current["section_id"],
                                        to_section_id=s["section_id"])
        except Exception:
            continue
    return "no section"


def solve_priority_enrol(tools, params):
    st = next(s for s in tools.find_students(name=params["student"]) if s["name"] == params["student"])
    held = {e["code"] for e in tools.get_student(student_id=st["id"])["enrolled"]}
    done = []
    for code in params["courses"].split(", "):
        if code in held:
            continue
        for s in sorted(tools.get_course(code=code)["sections"], key=lambda s: s["number"]):
            if s["seats_left"] < 1:
                continue
            try:
                tools.enrol(student_id=st["id"], section_id=s["section_id"])
                done.append(code)
                break
            except Exception:
                continue
    return f"Enrolled in {done}"


def solve_replan(tools, params):
    st = next(s for s in tools.find_students(name=params["student"]) if s["name"] == params["student"])
    drop = params["drop"].split(" and ")
    for e in tools.get_student(student_id=st["id"])["enrolled"]:
        if e["code"] in drop:
            tools.drop(student_id=st["id"], section_id=e["section_id"])
    for code in params["courses"].split(", "):
        sections = sorted(tools.get_course(code=code)["sections"], key=lambda s: s["number"])
        enrolled = False
        for s in sections:
            if s["seats_left"] < 1:
                continue
            try:
                tools.enrol(student_id=st["id"], section_id=s["section_id"])
                enrolled = True
                break
            except Exception:
                continue
        if enrolled:
            continue
        for s in sections:  # every allowed section is full: the waitlist tool applies the same checks
            try:
                tools.join_waitlist(student_id=st["id"], section_id=s["section_id"])
                break
            except Exception as exc:
                if "at most" in str(exc):
                    break
                continue
    return "Timetable updated"


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_grade(outcome, params):
    import re

    grades = re.findall(r"(?<![A-Za-z])([A-DF][+-]?)(?![A-Za-z+-])", outcome.answer or "")
    ok = bool(grades) and set(grades) == {params["expected"]}
    return ok, [] if ok else [f"expected grade {params['expected']}, found {grades}"]


def verify_timetable(outcome, params):
    """The student ends up enrolled in exactly the expected sections and waitlisted exactly where expected."""
    from verifiers.state import diff_table, unchanged

    sid, reasons = params["student_id"], []
    enrolled = sorted(r["section_id"] for r in outcome.rows("SELECT section_id FROM enrolments WHERE student_id = ? "
                                                            "AND status = 'enrolled'", sid))
    waiting = sorted(r["section_id"] for r in outcome.rows("SELECT section_id FROM waitlist WHERE student_id = ? AND "
                                                           "status = 'waiting'", sid))
    if enrolled != params["enrolled"]:
        reasons.append(f"enrolled sections {enrolled}, expected {params['enrolled']}")
    if waiting != params["waitlisted"]:
        reasons.append(f"waitlisted sections {waiting}, expected {params['waitlisted']}")
    for table in ("enrolments", "waitlist"):
        added, removed, changed = diff_table(outcome.initial, outcome.db, table)
        if removed or any(r["student_id"] != sid for r in added + changed):
            reasons.append(f"{table} of other students changed or rows were deleted")
    if other := unchanged(outcome.initial, outcome.db, ["students", "grades", "sections", "courses", "departments"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons
