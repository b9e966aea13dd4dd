"""E-commerce orders and returns: customers, a product catalog, orders, shipments, returns, coupons and store credit."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import ShopTasks
from .tools import ShopTools
from .world import ShopWorld


class ShopEnv(ShopWorld, ShopTools, ShopTasks, EnvTemplate):
    name = "shop"
    version = "2.0.0"
    category = "e-commerce orders and returns"
    description = (
        "An online store's back office: look up customers, products, orders and shipments, and place, "
        "cancel or re-address orders, process returns, apply coupons and issue store credit."
    )
    variants = VariantSpace(
        optional_tools=("track_shipment", "get_credit_history"),
        renames={
            "find_customers": ("search_customers", "lookup_customers"),
            "create_return": ("process_return",),
            "issue_store_credit": ("grant_store_credit",),
            "search_products": ("find_products",),
        },
        rules={
            "goodwill_five_percent": "Goodwill store credit is capped at 5% of the order total (rounded down to "
            "the cent) instead of 10%.",
            "silver_store_credit": "Refunds of silver-tier customers also go to store credit.",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
