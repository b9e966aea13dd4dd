"""University registrar: courses, prerequisites, sections with capacity and meeting times, students, grades, enrolment."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import RegistrarTasks
from .tools import RegistrarTools
from .world import RegistrarWorld


class RegistrarEnv(RegistrarWorld, RegistrarTools, RegistrarTasks, EnvTemplate):
    name = "registrar"
    version = "2.0.0"
    category = "university registrar"
    description = (
        "A university registrar's system: browse courses, prerequisites and sections with their times "
        "and seats, look up students' transcripts and timetables, and enrol, drop, switch sections and "
        "manage waitlists."
    )
    variants = VariantSpace(
        optional_tools=("list_departments", "get_section", "list_waitlist"),
        renames={
            "search_courses": ("course_catalog", "find_courses"),
            "enrol": ("register_student",),
            "get_student": ("student_record",),
        },
        rules={
            "credit_cap_16": "The normal credit limit is 16 instead of 18 (probation stays 12).",
            "upper_level_year3": "Only students in year 3 or above may enrol in 300- and 400-level courses.",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
