"""Team calendar: people in several time zones, teams, meeting rooms, meetings, out-of-office days and room blocks."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import CalendarTasks
from .tools import CalendarTools
from .world import CalendarWorld


class CalendarEnv(CalendarWorld, CalendarTools, CalendarTasks, EnvTemplate):
    name = "calendar"
    version = "2.0.0"
    category = "team calendar"
    description = (
        "A company's shared calendar: people in several offices and time zones, their teams, meeting "
        "rooms with capacity and equipment, meetings with attendees, out-of-office days and room blocks. "
        "Look up schedules, then create, move, cancel and staff meetings and book rooms."
    )
    variants = VariantSpace(
        optional_tools=("get_person", "list_teams"),
        renames={
            "search_events": ("find_meetings", "lookup_events"),
            "create_event": ("create_meeting",),
            "get_schedule": ("agenda",),
            "book_room": ("reserve_room",),
        },
        rules={
            "lunch_break": "Nobody may be in a meeting during their lunch hour, 12:00-13:00 in their own office's "
            "local time.",
            "no_meeting_fridays": "Fridays are meeting-free: no meeting may take place on a Friday.",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
