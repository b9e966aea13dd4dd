"""Hospital appointments: departments, doctors with specialties and schedules, rooms, patients, referrals, bookings."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import HospitalTasks
from .tools import HospitalTools
from .world import HospitalWorld


class HospitalEnv(HospitalWorld, HospitalTools, HospitalTasks, EnvTemplate):
    name = "hospital"
    version = "2.0.0"
    category = "hospital appointments"
    description = (
        "A hospital's outpatient scheduling desk: look up departments, doctors and their open slots, "
        "rooms, patients, their appointments and referrals; book, cancel and reschedule appointments and "
        "have general practitioners issue referrals."
    )
    variants = VariantSpace(
        optional_tools=("list_departments", "get_room", "get_appointment"),
        renames={
            "search_doctors": ("find_doctors", "doctor_directory"),
            "book_appointment": ("schedule_visit",),
            "list_open_slots": ("free_slots",),
        },
        rules={
            "min_rating_four": "Never book a doctor rated below 4.0.",
            "minors_mornings": "Patients under 12 may only be booked into slots starting before 12:00.",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
