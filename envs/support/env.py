"""Customer-support policy desk: customers, plans, subscriptions, invoices, cases, agents, refunds and credits."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import SupportTasks
from .tools import SupportTools
from .world import SupportWorld


class SupportEnv(SupportWorld, SupportTools, SupportTasks, EnvTemplate):
    name = "support"
    version = "2.0.0"
    category = "customer support"
    description = (
        "A SaaS company's support desk: customers with loyalty tiers, plans and subscriptions, invoices, "
        "support cases with priorities and agents, refunds and goodwill credits. Look things up and "
        "apply the refund, credit and case-handling policy."
    )
    variants = VariantSpace(
        optional_tools=("find_customers", "set_case_priority"),
        renames={
            "get_customer": ("lookup_customer", "customer_profile"),
            "refund_invoice": ("issue_refund",),
            "search_cases": ("find_cases",),
        },
        rules={
            "half_refund_late": "A refund made more than 7 days after the invoice's payment date may bring the "
            "invoice's total refunded to at most half of its amount.",
            "urgent_level2": "Urgent cases may only be handled by level-2 agents.",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
