"""Smart home with energy metering: rooms, devices, hourly meter readings, a time-of-use tariff, scheduled runs of
shiftable appliances, automations and a monthly budget."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import SmartHomeTasks
from .tools import SmartHomeTools
from .world import SmartHomeWorld


class SmartHomeEnv(SmartHomeWorld, SmartHomeTools, SmartHomeTasks, EnvTemplate):
    name = "smarthome"
    version = "2.0.0"
    category = "smart home energy"
    description = (
        "Energy assistant of a smart home: rooms and devices with their power draw and state, hourly "
        "meter readings per device, the time-of-use electricity tariff, scheduled runs of shiftable "
        "appliances (washing machine, dishwasher, EV charger...), automations and the monthly budget. "
        "Answer questions about consumption and cost, and plan or move appliance runs."
    )
    variants = VariantSpace(
        optional_tools=("list_automations", "get_hourly_readings", "list_rooms"),
        renames={"get_usage": ("energy_report",), "schedule_run": ("book_run",), "get_tariff": ("tariff_table",)},
        rules={
            "quiet_hours": "Quiet hours: noisy appliances (washing machine, tumble dryer, dishwasher, pool pump, "
            "robot vacuum) may not run during any hour from 23:00 to 05:59 (hours 23 and 0-5).",
            "tight_capacity": "The home's grid connection was downgraded: scheduled runs may draw at most 5.0 kW "
            "together in any hour (instead of 7.4 kW).",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
