"""Event ticketing: venues with sections and seats, events with section prices, customers, orders and refunds."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import TicketsEventsTasks
from .tools import TicketsEventsTools
from .world import TicketsEventsWorld


class TicketsEventsEnv(TicketsEventsWorld, TicketsEventsTools, TicketsEventsTasks, EnvTemplate):
    name = "tickets_events"
    version = "2.0.0"
    category = "event ticketing"
    description = (
        "A ticket office's system: venues with seating sections, events with per-section prices, "
        "customers and their orders. Look things up, sell seats and process refunds."
    )
    variants = VariantSpace(
        optional_tools=("list_venues", "get_venue"),
        renames={
            "search_events": ("find_events",),
            "buy_tickets": ("purchase_tickets",),
            "list_free_seats": ("available_seats",),
            "refund_tickets": ("issue_refund",),
        },
        rules={
            "max_four_per_order": "One order may hold at most 4 tickets.",
            "presale_members_only": "Events in presale may be sold only to members.",
            "refund_week": "Refunds need the event to be at least 7 days away (instead of 2), unless it was cancelled.",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
