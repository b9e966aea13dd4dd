"""Project tickets: teams with per-sprint capacity, projects, sprints, tickets with estimates and dependencies."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import TicketsTasks
from .tools import TicketsTools
from .world import WIP_LIMIT, TicketsWorld


class TicketsEnv(TicketsWorld, TicketsTools, TicketsTasks, EnvTemplate):
    name = "tickets"
    version = "2.0.0"
    category = "project tickets"
    description = (
        "An engineering organisation's issue tracker: teams and their people with per-sprint capacity, "
        "projects, sprints, tickets with status, priority, story-point estimates, assignees and "
        "dependencies. Look up work, then assign, prioritise, move and progress tickets."
    )
    variants = VariantSpace(
        optional_tools=("get_workload", "add_comment"),
        renames={
            "search_tickets": ("find_tickets", "query_tickets"),
            "assign_ticket": ("set_assignee",),
            "move_ticket": ("schedule_ticket",),
        },
        rules={
            "wip_limit": f"Nobody may have more than {WIP_LIMIT} tickets in progress at once.",
            "estimate_required": "A ticket without an estimate cannot be placed in a planned or active sprint.",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
