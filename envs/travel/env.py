"""Trip planning: cities, hotels, flights, weather and attractions, with hotel and flight bookings."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import TravelTasks
from .tools import TravelTools
from .world import TravelWorld


class TravelEnv(TravelWorld, TravelTools, TravelTasks, EnvTemplate):
    name = "travel"
    version = "2.0.0"
    category = "trip planning"
    description = (
        "A travel agency's booking system: search cities, hotels, flights, weather and attractions, "
        "and book hotels and flights for guests."
    )
    variants = VariantSpace(
        optional_tools=("list_attractions", "get_flight", "get_booking"),
        renames={
            "search_hotels": ("find_hotels", "hotel_search"),
            "book_hotel": ("reserve_room",),
            "search_flights": ("find_flights",),
        },
        rules={"min_three_stars": "Never book a hotel below 3 stars."},
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
