"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""


def movable(line, params):
    """The most that may still be moved out of a budget line under the transfer cap and the reserve rule."""
    by_cap = line["original_amount"] * params["cap_percent"] / 100 - line["moved_out"]
    by_funds = line["available"] - line["amount"] * params["reserve_percent"] / 100
    return int(max(0.0, min(by_cap, by_funds)) * 100 + 1e-6) / 100


def pay_in_order(tools, invoices):
    """Pay invoices earliest due date first (ties by number), skipping those the budget would not cover; the
    total paid. Budget lines are read once and kept up to date here."""
    lines, paid = {}, 0.0
    for inv in sorted(invoices, key=lambda i: (i["due_date"], i["number"])):
        key = (inv["department"], inv["category"])
        if key not in lines:
            lines[key] = tools.get_budget(department=inv["department"], category=inv["category"])[0]
        if lines[key]["spent"] + inv["amount"] <= lines[key]["amount"] + 1e-9:
            tools.pay_invoice(number=inv["number"])
            lines[key]["spent"] += inv["amount"]
            paid += inv["amount"]
    return round(paid, 2)


def cover(tools, params, department, category):
    """Move budget from the donor to cover a line's overrun exactly, or as far as the rules allow."""
    found = tools.get_budget(department=department, category=category)
    if not found or found[0]["spent"] <= found[0]["amount"]:
        return
    over = round(found[0]["spent"] - found[0]["amount"], 2)
    amount = min(over, movable(tools.get_budget(department=params["donor"], category=category)[0], params))
    if amount >= 0.01:
        tools.reallocate_budget(
            from_department=params["donor"], to_department=department, category=category, amount=amount
        )


def solve_invoice_amount(tools, params):
    return tools.get_invoice(number=params["number"])["amount"]


def solve_line_field(tools, params):
    return tools.get_budget(department=params["department"], category=params["category"])[0][params["field"]]


def solve_quarter_spend(tools, params):
    rows = tools.get_monthly_actuals(
        department=params["department"],
        category=params["category"],
        start_month=params["start"],
        end_month=params["end"],
    )
    return round(sum(r["amount"] for r in rows), 2)


def solve_top_overrun(tools, params):
    worst = None
    for d in tools.list_departments():
        for line in tools.get_budget(department=d["name"], category=params["category"]):
            over = line["spent"] - line["amount"]
            if over > 0 and (worst is None or over > worst[0]):
                worst = (over, d["name"])
    return worst[1]


def solve_available(tools, params):
    lines = tools.get_budget(department=params["department"])
    return round(sum(line["available"] for line in lines if not (params["over"] and line["spent"] > line["amount"])), 2)


def solve_vendor_overdue(tools, params):
    today = tools.get_company_info()["today"]
    return round(
        sum(
            i["amount"] for i in tools.list_invoices(vendor=params["vendor"], status="unpaid") if i["due_date"] < today
        ),
        2,
    )


def solve_pay_due(tools, params):
    invoices = tools.list_invoices(department=params["department"], status="unpaid", due_by=params["date"])
    return f"Paid {pay_in_order(tools, invoices)} in total"


def solve_reallocate(tools, params):
    line = tools.get_budget(department=params["source"], category=params["category"])[0]
    amount = min(params["amount"], movable(line, params))
    tools.reallocate_budget(
        from_department=params["source"], to_department=params["target"], category=params["category"], amount=amount
    )
    return f"Moved {amount}"


def solve_vendor_cleanup(tools, params):
    invoices = tools.list_invoices(vendor=params["vendor"], status="unpaid")
    for inv in invoices:
        if inv["amount"] > params["threshold"]:
            tools.dispute_invoice(number=inv["number"], reason="amount under review")
    paid = pay_in_order(tools, [i for i in invoices if i["amount"] <= params["threshold"]])
    return f"Disputed the invoices above {params['threshold']}; paid {paid}"


def solve_cover_overruns(tools, params):
    donor_lines = {line["category"] for line in tools.get_budget(department=params["donor"])}
    if params["category"] in donor_lines:
        for d in sorted(tools.list_departments(), key=lambda d: d["name"]):
            if d["name"] != params["donor"]:
                cover(tools, params, d["name"], params["category"])
    return "Covered the overruns"


def solve_close_department(tools, params):
    invoices = tools.list_invoices(department=params["department"], status="unpaid", due_by=params["date"])
    paid = pay_in_order(tools, invoices)
    donor_lines = {line["category"] for line in tools.get_budget(department=params["donor"])}
    for line in tools.get_budget(department=params["department"]):
        if line["category"] in donor_lines:
            cover(tools, params, params["department"], line["category"])
    return paid
