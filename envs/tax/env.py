"""Personal tax filing: taxpayers, income items, deductions with caps, brackets, credits and filed returns."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import TaxTasks
from .tools import TaxTools
from .world import TaxWorld


class TaxEnv(TaxWorld, TaxTools, TaxTasks, EnvTemplate):
    name = "tax"
    version = "2.0.0"
    category = "personal tax filing"
    description = (
        "A tax preparation office: look up taxpayers, their income items, deduction items and the tax "
        "rules; record income and deductions, fix filing status and file returns."
    )
    variants = VariantSpace(
        optional_tools=("estimate_tax", "get_return"),
        renames={
            "file_return": ("submit_return",),
            "list_deductions": ("deduction_items",),
            "add_income": ("record_income",),
            "find_taxpayers": ("search_taxpayers",),
        },
        rules={
            "charity_cap_20": "Charitable deductions are capped at 20% of gross income instead of 30%.",
            "hoh_two_dependents": "Head of household status requires at least two dependents.",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
