"""Warehouse picking: bins on aisles, SKUs stocked by lot, customer orders picked FEFO, replenishment from reserve."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import WarehouseTasks
from .tools import WarehouseTools
from .world import WarehouseWorld


class WarehouseEnv(WarehouseWorld, WarehouseTools, WarehouseTasks, EnvTemplate):
    name = "warehouse"
    version = "2.0.0"
    category = "warehouse picking"
    description = (
        "A distribution centre's warehouse management system: storage bins on aisles and bays, SKUs "
        "stocked by lot with expiry dates, customer orders to pick and ship, and replenishment of pick "
        "faces from reserve storage."
    )
    variants = VariantSpace(
        optional_tools=("list_skus", "walking_distance"),
        renames={
            "get_sku": ("locate_sku", "sku_locations"),
            "pick_item": ("pick_line",),
            "replenish": ("move_to_pick_face",),
            "get_bin": ("inspect_bin",),
        },
        rules={
            "shelf_life": "Never pick or replenish a lot that expires less than 30 days from today.",
            "fill_limit": "A replenishment may fill a pick face to at most 80% of its capacity (rounded down).",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
