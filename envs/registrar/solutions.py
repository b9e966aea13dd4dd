"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""

from synth.env import only


def find_student(tools, name):
    return only(tools.find_students(name=name), name=name)


def sections_of(tools, code):
    """A course's sections, lowest number first."""
    return sorted(tools.get_course(code=code)["sections"], key=lambda s: s["number"])


def enrol_first(tools, student_id, sections):
    """Enrol in the first of `sections` with a free seat that the rules allow; whether one did."""
    for s in sections:
        if s["seats_left"] < 1:
            continue
        try:
            tools.enrol(student_id=student_id, section_id=s["section_id"])
            return True
        except Exception:
            continue
    return False


def solve_seats_left(tools, params):
    return only(tools.get_course(code=params["course"])["sections"], number=params["section"])["seats_left"]


def solve_grade_points(tools, params):
    points = tools.get_registrar_info()["grade_points"]
    st = find_student(tools, params["student"])
    return points[only(tools.get_student(student_id=st["id"])["transcript"], code=params["course"])["grade"]]


def solve_section_instructor(tools, params):
    return only(tools.get_course(code=params["course"])["sections"], number=params["section"])["instructor"]


def solve_student_gpa(tools, params):
    points = tools.get_registrar_info()["grade_points"]
    rows = tools.get_student(student_id=find_student(tools, params["student"])["id"])["transcript"]
    return round(sum(points[r["grade"]] * r["credits"] for r in rows) / sum(r["credits"] for r in rows), 2)


def solve_eligible_courses(tools, params):
    points = tools.get_registrar_info()["grade_points"]
    st = find_student(tools, params["student"])
    passed = {g["code"] for g in tools.get_student(student_id=st["id"])["transcript"] if points[g["grade"]] >= 2.0}
    out = []
    for c in tools.search_courses(dept=params["dept"], level=params["level"]):
        if c["code"] not in passed and set(tools.get_course(code=c["code"])["prerequisites"]) <= passed:
            out.append(c["code"])
    return out


def solve_instructor_load(tools, params):
    return sum(s["enrolled"] for s in tools.list_sections_by_instructor(instructor=params["instructor"]))


def solve_enrol_course(tools, params):
    st = find_student(tools, params["student"])
    done = enrol_first(tools, st["id"], sections_of(tools, params["course"]))
    return f"Enrolled in {params['course']}" if done else "no section"


def solve_drop_dept(tools, params):
    st = find_student(tools, params["student"])
    dept_codes = {c["code"] for c in tools.search_courses(dept=params["dept"])}
    done = [
        tools.drop(student_id=st["id"], section_id=e["section_id"])["enrolment_id"]
        for e in tools.get_student(student_id=st["id"])["enrolled"]
        if e["code"] in dept_codes
    ]
    return f"Dropped {done}"


def solve_switch_section(tools, params):
    st = find_student(tools, params["student"])
    current = only(tools.get_student(student_id=st["id"])["enrolled"], code=params["course"])
    for s in sections_of(tools, params["course"]):
        if s["section_id"] == current["section_id"] or s["seats_left"] < 1:
            continue
        try:
            tools.switch_section(
                student_id=st["id"], from_section_id=current["section_id"], to_section_id=s["section_id"]
            )
            return f"Switched to section {s['number']}"
        except Exception:
            continue
    return "no section"


def solve_priority_enrol(tools, params):
    st = find_student(tools, params["student"])
    held = {e["code"] for e in tools.get_student(student_id=st["id"])["enrolled"]}
    done = [
        code
        for code in params["courses"].split(", ")
        if code not in held and enrol_first(tools, st["id"], sections_of(tools, code))
    ]
    return f"Enrolled in {done}"


def solve_replan(tools, params):
    st = find_student(tools, params["student"])
    drop = params["drop"].split(" and ")
    for e in tools.get_student(student_id=st["id"])["enrolled"]:
        if e["code"] in drop:
            tools.drop(student_id=st["id"], section_id=e["section_id"])
    for code in params["courses"].split(", "):
        sections = sections_of(tools, code)
        if enrol_first(tools, st["id"], sections):
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
