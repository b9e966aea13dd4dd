"""Finance analytics: a company ledger of departments, budget lines, monthly actuals, vendors and invoices."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import FinanceTasks
from .tools import FinanceTools
from .world import FinanceWorld


class FinanceEnv(FinanceWorld, FinanceTools, FinanceTasks, EnvTemplate):
    name = "finance"
    version = "2.0.0"
    category = "spreadsheet and finance analytics"
    description = (
        "A company's finance ledger: departments with annual budget lines per category, monthly actual "
        "spend, vendors and invoices. Analyse spend against budget, pay or dispute invoices and "
        "reallocate budget between departments."
    )
    variants = VariantSpace(
        optional_tools=("list_vendors", "list_budget_transfers"),
        renames={
            "reallocate_budget": ("move_budget", "transfer_budget"),
            "get_monthly_actuals": ("actuals_report",),
            "pay_invoice": ("settle_invoice",),
            "list_invoices": ("search_invoices",),
        },
        rules={
            "transfer_cap_10": "No more than 10% (instead of 25%) of a line's original budget may be moved out "
            "of it over the year.",
            "keep_reserve": "A reallocation must leave available at least 5% of the source line's budget (as "
            "it was before the move).",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
