"""Insurance claims: policyholders, policies with coverages and deductibles, claims, adjusters, fraud review."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import InsuranceTasks
from .tools import InsuranceTools
from .world import InsuranceWorld


class InsuranceEnv(InsuranceWorld, InsuranceTools, InsuranceTasks, EnvTemplate):
    name = "insurance"
    version = "2.0.0"
    category = "insurance claims"
    description = (
        "An insurer's claims desk: look up policyholders, policies and their coverages, claims and "
        "adjusters; file claims, assign adjusters, approve, deny or flag claims for fraud review, and "
        "pay approved claims."
    )
    variants = VariantSpace(
        optional_tools=("get_office_info", "list_policies"),
        renames={
            "approve_claim": ("accept_claim",),
            "flag_for_review": ("refer_to_fraud_team", "flag_claim"),
            "list_claims": ("search_claims",),
            "assign_adjuster": ("route_claim",),
        },
        rules={
            "report_window_14": "Claims must be reported within 14 days of the incident instead of 30.",
            "senior_over_5000": "Approvals above 5000 (instead of 10000) need a senior adjuster.",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
