"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""

from synth.env import only


def itemized_total(limits, items, gross):
    """The allowable itemized deduction: receipted items summed per category, each category limited by its cap
    amount, its cap as a percentage of gross income and its floor (only the part above a percentage counts)."""
    total = 0.0
    for limit in limits:
        s = sum(i["amount"] for i in items if i["category"] == limit["category"] and i["has_receipt"])
        if limit["cap_amount"] is not None:
            s = min(s, limit["cap_amount"])
        if limit["cap_percent"] is not None:
            s = min(s, gross * limit["cap_percent"] / 100)
        if limit["floor_percent"] is not None:
            s = max(0.0, s - gross * limit["floor_percent"] / 100)
        total += s
    return round(total, 2)


def tax_on(brackets, taxable):
    """Progressive tax on `taxable` over the brackets of get_tax_rules (upper bound or None, rate in %)."""
    tax, lower = 0.0, 0.0
    for band in brackets:
        top = taxable if band["upper"] is None else min(taxable, band["upper"])
        if top > lower:
            tax += (top - lower) * band["rate"] / 100
        if band["upper"] is None or taxable <= band["upper"]:
            break
        lower = band["upper"]
    return round(tax, 2)


def figures(tools, taxpayer, status):
    """(balance due, required deduction method) of the taxpayer's current items under a filing status."""
    rules = tools.get_tax_rules(filing_status=status)
    incomes = tools.list_income(taxpayer_id=taxpayer["id"])
    gross = round(sum(i["amount"] for i in incomes), 2)
    itemized = itemized_total(rules["deduction_limits"], tools.list_deductions(taxpayer_id=taxpayer["id"]), gross)
    method = "itemized" if itemized > rules["standard_deduction"] else "standard"
    taxable = round(max(0.0, gross - (itemized if method == "itemized" else rules["standard_deduction"])), 2)
    tax = tax_on(rules["brackets"], taxable)
    credits = round(min(tax, rules["child_credit_per_dependent"] * taxpayer["dependents"]), 2)
    return round(tax - credits - round(sum(i["withheld"] for i in incomes), 2), 2), method


def find_taxpayer(tools, params):
    return only(tools.find_taxpayers(name=params["taxpayer"]), name=params["taxpayer"])


def solve_withheld(tools, params):
    taxpayer = find_taxpayer(tools, params)
    return round(sum(i["withheld"] for i in tools.list_income(taxpayer_id=taxpayer["id"])), 2)


def solve_income_from(tools, params):
    taxpayer = find_taxpayer(tools, params)
    return round(
        sum(
            i["amount"]
            for i in tools.list_income(taxpayer_id=taxpayer["id"])
            if i["payer"] == params["payer"] and i["kind"] == params["kind"]
        ),
        2,
    )


def solve_gross_income(tools, params):
    taxpayer = find_taxpayer(tools, params)
    return round(sum(i["amount"] for i in tools.list_income(taxpayer_id=taxpayer["id"])), 2)


def solve_itemized(tools, params):
    taxpayer = find_taxpayer(tools, params)
    gross = round(sum(i["amount"] for i in tools.list_income(taxpayer_id=taxpayer["id"])), 2)
    limits = tools.get_tax_rules(filing_status=taxpayer["filing_status"])["deduction_limits"]
    return itemized_total(limits, tools.list_deductions(taxpayer_id=taxpayer["id"]), gross)


def solve_bracket_tax(tools, params):
    return tax_on(tools.get_tax_rules(filing_status=params["status"])["brackets"], params["taxable"])


def solve_file_best(tools, params):
    taxpayer = find_taxpayer(tools, params)
    _, method = figures(tools, taxpayer, taxpayer["filing_status"])
    return tools.file_return(taxpayer_id=taxpayer["id"], deduction_method=method)["balance_due"]


def solve_clean_deductions(tools, params):
    taxpayer = find_taxpayer(tools, params)
    removed = []
    for item in tools.list_deductions(taxpayer_id=taxpayer["id"]):
        if not item["has_receipt"] and params["category"] in (None, item["category"]):
            tools.remove_deduction(item_id=item["id"])
            removed.append(item["id"])
    return f"Removed {removed}"


def solve_late_forms(tools, params):
    taxpayer = find_taxpayer(tools, params)
    tools.add_income(
        taxpayer_id=taxpayer["id"],
        kind=params["kind"],
        payer=params["payer"],
        amount=params["amount"],
        withheld=params["withheld"],
    )
    tools.add_deduction(
        taxpayer_id=taxpayer["id"],
        category=params["category"],
        description="late receipt",
        amount=params["deduction"],
        has_receipt=True,
    )
    _, method = figures(tools, taxpayer, taxpayer["filing_status"])
    return tools.file_return(taxpayer_id=taxpayer["id"], deduction_method=method)["balance_due"]


def solve_best_status(tools, params):
    taxpayer = find_taxpayer(tools, params)
    for item in tools.list_deductions(taxpayer_id=taxpayer["id"]):
        if not item["has_receipt"]:
            tools.remove_deduction(item_id=item["id"])
    if taxpayer["married"]:
        statuses = ["married_joint"]
    else:
        statuses = ["single"] + (["head_of_household"] if taxpayer["dependents"] >= params["hoh_dependents"] else [])
    best = min(statuses, key=lambda s: figures(tools, taxpayer, s)[0])
    if best != taxpayer["filing_status"]:
        tools.set_filing_status(taxpayer_id=taxpayer["id"], filing_status=best)
    _, method = figures(tools, taxpayer, best)
    return tools.file_return(taxpayer_id=taxpayer["id"], deduction_method=method)["balance_due"]


def solve_conditional_pension(tools, params):
    taxpayer = find_taxpayer(tools, params)
    tools.add_income(
        taxpayer_id=taxpayer["id"],
        kind=params["kind"],
        payer=params["payer"],
        amount=params["amount"],
        withheld=params["withheld"],
    )
    due, method = figures(tools, taxpayer, taxpayer["filing_status"])
    if due > params["threshold"]:
        tools.add_deduction(
            taxpayer_id=taxpayer["id"],
            category="retirement",
            description="pension contribution",
            amount=params["pension"],
            has_receipt=True,
        )
        due, method = figures(tools, taxpayer, taxpayer["filing_status"])
    return tools.file_return(taxpayer_id=taxpayer["id"], deduction_method=method)["balance_due"]
