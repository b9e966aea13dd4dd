"""Logistics routing: depots on a road network, trucks with capacity, shipments with weights and delivery windows."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import LogisticsTasks
from .tools import LogisticsTools
from .world import LogisticsWorld


class LogisticsEnv(LogisticsWorld, LogisticsTools, LogisticsTasks, EnvTemplate):
    name = "logistics"
    version = "2.0.0"
    category = "logistics routing"
    description = (
        "A haulier's dispatch system: depots on a road network, trucks with capacities and per-km costs, "
        "and customer shipments with weights and delivery windows. Look things up and plan deliveries."
    )
    variants = VariantSpace(
        optional_tools=("list_roads", "list_customers"),
        renames={
            "assign_shipment": ("dispatch_shipment",),
            "shortest_route": ("route_distance",),
            "list_shipments": ("search_shipments",),
        },
        rules={
            "weekend_off": "No deliveries on Saturdays or Sundays.",
            "max_range": "A truck may not deliver to a destination more than 220 km from its depot by road.",
            "three_stops": "A truck makes at most 3 deliveries on one date.",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
