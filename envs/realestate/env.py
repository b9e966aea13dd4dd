"""Real estate: neighbourhoods, listings with features and prices, agents, buyers' finances, viewings and offers."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import RealEstateTasks
from .tools import RealEstateTools
from .world import RealEstateWorld


class RealEstateEnv(RealEstateWorld, RealEstateTools, RealEstateTasks, EnvTemplate):
    name = "realestate"
    version = "2.0.0"
    category = "real estate"
    description = (
        "An estate agency's system: search listings by area, type, size, price and features, look up "
        "agents and buyers' finances, schedule viewings, and submit, withdraw and accept offers."
    )
    variants = VariantSpace(
        optional_tools=("list_neighbourhoods", "get_agent", "agent_schedule"),
        renames={
            "search_listings": ("find_listings", "listing_search"),
            "submit_offer": ("make_offer",),
            "get_buyer": ("buyer_profile",),
        },
        rules={
            "min_offer_95": "Offers must be at least 95% of the asking price (not 85%).",
            "preapproval_required": "Offers may only be submitted for buyers with mortgage pre-approval.",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
