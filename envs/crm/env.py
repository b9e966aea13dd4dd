"""CRM pipeline: owners with quotas, accounts, contacts, opportunities moving through stages, activities."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import CrmTasks
from .tools import CrmTools
from .world import BIG_DEAL, CrmWorld


class CrmEnv(CrmWorld, CrmTools, CrmTasks, EnvTemplate):
    name = "crm"
    version = "2.0.0"
    category = "sales CRM"
    description = (
        "A B2B sales CRM: sales owners with regions and quarterly quotas, customer accounts and their "
        "contacts, opportunities moving through pipeline stages with amounts and close dates, and the "
        "activities (calls, emails, meetings, demos) logged on them."
    )
    variants = VariantSpace(
        optional_tools=("get_stage_history", "find_contacts"),
        renames={
            "search_opportunities": ("find_deals",),
            "advance_stage": ("move_to_next_stage",),
            "get_account": ("account_details",),
        },
        rules={
            "demo_before_won": "An opportunity may be marked won only if a demo has been logged on it.",
            "senior_big_deals": f"Open opportunities worth {BIG_DEAL:,} or more may only be owned by senior owners.",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
