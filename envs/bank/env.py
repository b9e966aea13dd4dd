"""Retail banking: customers, accounts, card and transfer history, payees, standing orders and transfer limits."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import BankTasks
from .tools import BankTools
from .world import BankWorld


class BankEnv(BankWorld, BankTools, BankTasks, EnvTemplate):
    name = "bank"
    version = "2.0.0"
    category = "banking and transfers"
    description = (
        "A retail bank's service desk: look up customers, accounts, transaction history, payees and "
        "standing orders; move money between a customer's own accounts, pay their registered payees, "
        "register payees and manage standing orders."
    )
    variants = VariantSpace(
        optional_tools=("get_account", "get_bank_info"),
        renames={
            "transfer": ("move_funds", "internal_transfer"),
            "pay_payee": ("send_payment",),
            "list_transactions": ("account_history",),
            "find_customers": ("search_customers",),
        },
        rules={
            "no_overdraft": "No transfer or payment may take an account below zero, even where an overdraft is "
            "arranged.",
            "payment_cap": "A single payment to a payee, and a standing order, may not exceed 1000.00.",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
