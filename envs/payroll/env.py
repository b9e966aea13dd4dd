"""Payroll and HR leave: departments, employees, pay rates, timesheets, leave balances and leave requests."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import PayrollTasks
from .tools import PayrollTools
from .world import PayrollWorld


class PayrollEnv(PayrollWorld, PayrollTools, PayrollTasks, EnvTemplate):
    name = "payroll"
    version = "2.0.0"
    category = "payroll and HR leave"
    description = (
        "A company's HR and payroll desk: look up departments, employees, pay rates, timesheets, leave "
        "balances and requests; submit, approve, reject and cancel leave, log hours and change pay rates."
    )
    variants = VariantSpace(
        optional_tools=("get_department", "list_holidays"),
        renames={
            "approve_leave": ("grant_leave",),
            "list_timesheets": ("timesheet_entries", "get_hours"),
            "find_employees": ("search_employees",),
            "set_pay_rate": ("update_pay_rate",),
        },
        rules={
            "coverage_one": "Stricter coverage: a leave request cannot be approved if on any of its working days "
            "another person of the same department is already on approved leave.",
            "raise_cap_5": "A pay rate may be raised by at most 5% at a time.",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
