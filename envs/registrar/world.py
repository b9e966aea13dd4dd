"""The registrar's world: departments, courses and sections, students and their transcripts, how an instance's
database is built, and the enrolment rules the builder, the tools and the proposers share."""

from __future__ import annotations

import random

DEPARTMENTS = {
    "CS": "Computer Science",
    "MATH": "Mathematics",
    "HIST": "History",
    "BIO": "Biology",
    "ECON": "Economics",
    "PHYS": "Physics",
    "LING": "Linguistics",
}
TOPICS = [
    "Foundations",
    "Methods",
    "Theory",
    "Systems",
    "Seminar",
    "Analysis",
    "Modelling",
    "Design",
    "Topics",
    "Practice",
    "Structures",
    "Principles",
]
FIRST = [
    "Amara",
    "Beckett",
    "Calla",
    "Darius",
    "Esme",
    "Fabian",
    "Greta",
    "Idris",
    "Juno",
    "Kit",
    "Leona",
    "Milo",
    "Nadia",
    "Otto",
    "Priya",
    "Rafe",
    "Saoirse",
    "Tobin",
    "Uma",
    "Vance",
    "Willa",
    "Yannick",
    "Zora",
    "Arlo",
]
LAST = [
    "Achterberg",
    "Bramwell",
    "Cardenas",
    "Delacroix",
    "Eastwood",
    "Faraday",
    "Galloway",
    "Hargreaves",
    "Ibarra",
    "Jorgensen",
    "Kowalczyk",
    "Lindqvist",
    "Marchetti",
    "Nakashima",
    "Okonkwo",
    "Pemberton",
    "Quiroga",
    "Rasmussen",
]
INSTRUCTORS = [
    "Ingrid Halvorsen",
    "Tunde Adeyemi",
    "Lucia Castellanos",
    "Harriet Whitcombe",
    "Zoltan Szabo",
    "Ines Ferreira",
    "Mats Lindholm",
    "Chidi Okafor",
    "Pieter Van Dijk",
    "Camille Moreau",
    "Kenji Takeda",
    "Siobhan Brennan",
    "Farah Iqbal",
    "Pavel Novotny",
]
POINTS = {"A": 4.0, "A-": 3.7, "B+": 3.3, "B": 3.0, "B-": 2.7, "C+": 2.3, "C": 2.0, "C-": 1.7, "D": 1.0, "F": 0.0}
PASS = 2.0  # a course counts as passed with C or better
PATTERNS = {"MWF": 50, "TR": 75, "MW": 75}
STARTS = ["08:00", "09:30", "11:00", "12:30", "14:00", "15:30"]
MAX_WAITLISTS = 2


def minutes(hhmm: str) -> int:
    return int(hhmm[:2]) * 60 + int(hhmm[3:])


def clash(a: dict, b: dict) -> bool:
    return (
        bool(set(a["days"]) & set(b["days"]))
        and minutes(a["start"]) < minutes(b["end"])
        and minutes(b["start"]) < minutes(a["end"])
    )


class RegistrarWorld:
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
        n_dept, n_students = {"small": (3, (35, 45)), "medium": (4, (55, 70)), "large": (6, (85, 110))}[
            self.variant.scale
        ]
        for code in rng.sample(sorted(DEPARTMENTS), n_dept):
            dept = self.db.execute(
                "INSERT INTO departments (code, name) VALUES (?, ?)", (code, DEPARTMENTS[code])
            ).lastrowid
            made: list[tuple[int, int]] = []
            for level in (100, 200, 300, 400):
                for num in rng.sample(range(1, 60), rng.randint(2, 3)):
                    cid = self.db.execute(
                        "INSERT INTO courses (code, title, dept_id, level, credits) VALUES (?, ?, ?, ?, ?)",
                        (
                            f"{code}{level + num}",
                            f"{DEPARTMENTS[code]} {rng.choice(TOPICS)} {['I', 'II', 'III', 'IV'][level // 100 - 1]}",
                            dept,
                            level,
                            rng.choice([3, 3, 4, 4, 5]),
                        ),
                    ).lastrowid
                    lower = [c for c, lv in made if lv < level]
                    for pre in rng.sample(lower, min(len(lower), rng.randint(1, 2))) if lower else []:
                        self.db.execute("INSERT INTO prerequisites VALUES (?, ?)", (cid, pre))
                    made.append((cid, level))
                    for number in range(1, rng.randint(1, 3) + 1):
                        days = rng.choice(sorted(PATTERNS))
                        start = rng.choice(STARTS)
                        end = minutes(start) + PATTERNS[days]
                        self.db.execute(
                            "INSERT INTO sections (course_id, number, instructor, days, start, end, room, "
                            "capacity) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            (
                                cid,
                                number,
                                rng.choice(INSTRUCTORS),
                                days,
                                start,
                                f"{end // 60:02d}:{end % 60:02d}",
                                f"{code[0]}-{rng.randint(100, 340)}",
                                rng.choice([2, 3, 4, 5, 6, 8]),
                            ),
                        )
        self._build_students(rng, n_students)

    def _build_students(self, rng: random.Random, n_students: tuple[int, int]) -> None:
        depts = [r["id"] for r in self.rows("SELECT id FROM departments")]
        courses = self.rows("SELECT * FROM courses ORDER BY level, id")
        for name in rng.sample([f"{f} {last}" for f in FIRST for last in LAST], rng.randint(*n_students)):
            year = rng.randint(1, 4)
            sid = self.db.execute(
                "INSERT INTO students (name, major_id, year) VALUES (?, ?, ?)", (name, rng.choice(depts), year)
            ).lastrowid
            weak = rng.random() < 0.2
            for term in range(1, year):  # past terms, taking courses whose prerequisites they had passed
                open_courses = [
                    c
                    for c in courses
                    if c["level"] <= 100 * (term + 1)
                    and self._prereqs_met(sid, c["id"])
                    and not self._passed(sid, c["id"])
                ]
                for c in rng.sample(open_courses, min(len(open_courses), rng.randint(2, 4))):
                    grade = rng.choice(["C", "C-", "D", "F", "D", "C+"] if weak else list(POINTS)[:8])
                    self.db.execute(
                        "INSERT INTO grades (student_id, course_id, term, grade) VALUES (?, ?, ?, ?)",
                        (sid, c["id"], f"T{term}", grade),
                    )
        sections = self.rows("SELECT * FROM sections")
        for student in self.rows("SELECT * FROM students"):
            for s in rng.sample(sections, min(len(sections), 12)):
                if len(self._enrolled(student["id"])) >= 5:
                    break
                if self._enrol_problem(student["id"], s["id"], ignore_rules=False) is None:
                    self.db.execute(
                        "INSERT INTO enrolments (student_id, section_id, status) VALUES (?, ?, 'enrolled')",
                        (student["id"], s["id"]),
                    )
        for s in sections:  # some waitlists on full sections
            if self._seats(s["id"]) == 0 and rng.random() < 0.5:
                for pos, st in enumerate(rng.sample(self.rows("SELECT id FROM students"), rng.randint(1, 2)), 1):
                    self.db.execute(
                        "INSERT INTO waitlist (student_id, section_id, position, status) VALUES (?, ?, ?, 'waiting')",
                        (st["id"], s["id"], pos),
                    )

    # ---- rules --------------------------------------------------------------------------------------

    def _passed(self, sid: int, cid: int) -> bool:
        return any(
            POINTS[g["grade"]] >= PASS
            for g in self.rows("SELECT grade FROM grades WHERE student_id = ? AND course_id = ?", sid, cid)
        )

    def _prereqs_met(self, sid: int, cid: int) -> bool:
        return all(
            self._passed(sid, p["prereq_id"])
            for p in self.rows("SELECT prereq_id FROM prerequisites WHERE course_id = ?", cid)
        )

    def _gpa(self, sid: int) -> float | None:
        rows = self.rows(
            "SELECT g.grade, c.credits FROM grades g JOIN courses c ON c.id = g.course_id WHERE g.student_id = ?", sid
        )
        credits = sum(r["credits"] for r in rows)
        return round(sum(POINTS[r["grade"]] * r["credits"] for r in rows) / credits, 4) if credits else None

    def _limit(self, sid: int) -> int:
        gpa = self._gpa(sid)
        if gpa is not None and gpa < 2.0:
            return 12
        return 16 if "credit_cap_16" in self.variant.rules else 18

    def _enrolled(self, sid: int) -> list[dict]:
        return self.rows(
            "SELECT e.id AS enrolment_id, s.*, c.credits, c.code FROM enrolments e JOIN sections s ON "
            "s.id = e.section_id JOIN courses c ON c.id = s.course_id WHERE e.student_id = ? AND "
            "e.status = 'enrolled' ORDER BY s.id",
            sid,
        )

    def _seats(self, section_id: int) -> int:
        return self.one(
            "SELECT s.capacity - (SELECT COUNT(*) FROM enrolments e WHERE e.section_id = s.id AND "
            "e.status = 'enrolled') AS seats FROM sections s WHERE s.id = ?",
            section_id,
            missing=f"no section with id {section_id}; use get_course",
        )["seats"]

    def _enrol_problem(
        self, sid: int, section_id: int, *, ignore_rules: bool = False, seats: bool = True, leaving: int | None = None
    ) -> str | None:
        """Why the student may not enrol in the section (None when allowed); `leaving`: a section being swapped out."""
        section = self._get("sections", section_id, "use get_course to see a course's sections")
        course = self._get("courses", section["course_id"], "")
        held = [e for e in self._enrolled(sid) if e["id"] != leaving]
        year = self.value("SELECT year FROM students WHERE id = ?", sid)
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
        return self.one(
            f"SELECT * FROM {table} WHERE id = ?", row_id, missing=f"no {table[:-1]} with id {row_id}; {hint}"
        )

    def _course(self, code: str) -> dict:
        return self.one(
            "SELECT * FROM courses WHERE upper(code) = upper(?)",
            code,
            missing=f"no course {code!r}; use search_courses",
        )

    def _rules(self) -> dict:
        return {
            "normal_limit": 16 if "credit_cap_16" in self.variant.rules else 18,
            "year3_upper": "upper_level_year3" in self.variant.rules,
        }
