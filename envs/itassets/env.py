"""IT asset management: departments with budgets, employees, device models, devices, licences and seats,
repair vendors and repair tickets, under a refresh policy."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import ITAssetsTasks
from .tools import ITAssetsTools
from .world import ITAssetsWorld


class ITAssetsEnv(ITAssetsWorld, ITAssetsTools, ITAssetsTasks, EnvTemplate):
    name = "itassets"
    version = "2.0.0"
    category = "IT asset management"
    description = (
        "A company's IT asset desk: departments with hardware budgets, employees, a catalogue of device "
        "models, devices with purchase dates, warranties and holders, software licences with seats and "
        "expiry dates, and repair vendors. Look things up, assign and retire devices, manage licence "
        "seats, buy equipment and open repairs under the asset policy."
    )
    variants = VariantSpace(
        optional_tools=("list_repairs", "list_vendors"),
        renames={
            "search_devices": ("find_devices", "query_assets"),
            "assign_device": ("issue_device",),
            "get_employee": ("lookup_employee",),
        },
        rules={
            "short_refresh": "Refresh age is shortened: devices purchased before 2023-03-16 (more than 3 years "
            "ago) are due for refresh.",
            "budget_reserve": "Each department keeps a 10% reserve: purchases may not take its spending above "
            "90% of its budget.",
            "strict_vendors": "Out-of-warranty repairs may only go to vendors rated 4.0 or higher.",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
