"""Restaurant reservations: restaurants with weekly hours, tables, menus with dietary flags, customers and bookings."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import RestaurantsTasks
from .tools import RestaurantsTools
from .world import RestaurantsWorld


class RestaurantsEnv(RestaurantsWorld, RestaurantsTools, RestaurantsTasks, EnvTemplate):
    name = "restaurants"
    version = "2.0.0"
    category = "restaurant reservations"
    description = (
        "A city dining-reservation service: restaurants with cuisine, rating, price level (1-4) and "
        "weekly opening hours, their tables, menus with dietary flags, registered customers and their "
        "reservations. Look things up, book, change and cancel tables."
    )
    variants = VariantSpace(
        optional_tools=("find_available_tables", "get_reservation"),
        renames={
            "search_restaurants": ("find_restaurants",),
            "book_table": ("make_reservation",),
            "list_reservations": ("search_reservations",),
            "get_menu": ("menu_items",),
        },
        rules={
            "tight_fit": "Do not waste seats: a table may seat at most 2 more guests than the party size.",
            "terrace_cap": "Terrace tables may not be booked for parties of more than 4 guests.",
            "deposit_from_5": "The deposit applies from parties of 5 guests (instead of 6).",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
