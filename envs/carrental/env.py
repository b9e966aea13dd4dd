"""Car rental: branches in several cities, a fleet of cars, drivers with licence rules, rentals and one-way fees."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import CarRentalTasks
from .tools import CarRentalTools
from .world import CarRentalWorld


class CarRentalEnv(CarRentalWorld, CarRentalTools, CarRentalTasks, EnvTemplate):
    name = "carrental"
    version = "2.0.0"
    category = "car rental"
    description = (
        "A car rental company's system: branches in several cities, a fleet of cars with class, "
        "features, daily rates and mileage allowance, registered drivers, insurance plans, one-way "
        "drop-off fees and rentals. Look things up, quote, book, extend and cancel rentals, and manage "
        "cars and branches."
    )
    variants = VariantSpace(
        optional_tools=("quote_rental", "get_rental"),
        renames={
            "search_cars": ("find_available_cars", "car_search"),
            "book_rental": ("reserve_car",),
            "find_driver": ("lookup_driver",),
            "list_rentals": ("search_rentals",),
        },
        rules={
            "young_full_cover": "Drivers under 25 must take FULL insurance.",
            "premium_round_trip": "Premium and luxury cars must be returned to the branch they were picked up from.",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
