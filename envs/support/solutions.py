"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""

import datetime as dt

from synth.env import only

from .world import TIERS, TODAY


def refund_room(inv, tier, half_refund_late):
    """How much of an invoice (a list_invoices row) may still be refunded today."""
    age = (dt.date.fromisoformat(TODAY) - dt.date.fromisoformat(inv["paid_on"])).days
    if age > TIERS[tier][0]:
        return 0.0
    limit = inv["amount"] / 2 if half_refund_late and age > 7 else inv["amount"]
    return round(max(0.0, limit - inv["refunded"]), 2)


def close_case(tools, case, agent, message):
    """Give a case (a get_case row) its first response if it has none, from its agent or else `agent`; resolve it."""
    if case["first_response_at"] is None:
        if case["agent"] is None:
            tools.assign_case(case_id=case["id"], agent=agent)
        tools.respond_to_case(case_id=case["id"], message=message)
    tools.resolve_case(case_id=case["id"])


def solve_customer_tier(tools, params):
    return tools.get_customer(email=params["email"])["tier"]


def solve_case_agent(tools, params):
    return tools.get_case(case_id=params["case"])["agent"]


def solve_refundable(tools, params):
    tier = tools.get_customer(email=params["email"])["tier"]
    inv = only(tools.list_invoices(email=params["email"]), id=params["invoice"])
    return refund_room(inv, tier, params["half_refund_late"])


def solve_sla_breaches(tools, params):
    hours = {"urgent": 1, "high": 4, "normal": 24, "low": 72}[params["priority"]]
    now = dt.datetime(2026, 3, 16, 12, 0)
    return [
        str(c["id"])
        for c in tools.search_cases(status="open", priority=params["priority"])
        if c["first_response_at"] is None
        and dt.datetime.fromisoformat(c["opened_at"]) + dt.timedelta(hours=hours) < now
    ]


def solve_busiest_agent(tools, params):
    agents = [a for a in tools.list_agents() if a["level"] == params["level"]]
    return max(agents, key=lambda a: a["open_cases"])["name"]


def solve_max_refund(tools, params):
    tier = tools.get_customer(email=params["email"])["tier"]
    inv = only(tools.list_invoices(email=params["email"]), id=params["invoice"])
    amount = refund_room(inv, tier, params["half_refund_late"])
    tools.refund_invoice(invoice_id=inv["id"], amount=amount, case_id=params["case"])
    return f"Refunded {amount:.2f} on invoice {inv['id']}"


def solve_max_credit(tools, params):
    case = tools.get_case(case_id=params["case"])
    cap = TIERS[case["tier"]][1]
    tools.issue_credit(case_id=params["case"], amount=cap, reason="goodwill")
    return f"Credited {cap:.2f}"


def solve_assign_lightest(tools, params):
    case = tools.get_case(case_id=params["case"])
    agents = [
        a
        for a in tools.list_agents()
        if a["level"] == 2 or not (params["urgent_level2"] and case["priority"] == "urgent")
    ]
    best = min(agents, key=lambda a: a["open_cases"])
    tools.assign_case(case_id=params["case"], agent=best["name"])
    return f"Assigned to {best['name']}"


def solve_triage_category(tools, params):
    cases = tools.search_cases(status="open", category=params["category"], unassigned=True)
    agents = tools.list_agents()
    spare = {a["name"]: params["cap"] - a["open_cases"] for a in agents}
    level = {a["name"]: a["level"] for a in agents}
    for case in sorted(cases, key=lambda c: c["priority"] != "urgent"):
        strict = params["urgent_level2"] and case["priority"] == "urgent"
        options = [n for n in sorted(spare) if spare[n] > 0 and (level[n] == 2 or not strict)]
        agent = max(options, key=lambda n: spare[n])
        tools.assign_case(case_id=case["id"], agent=agent)
        tools.respond_to_case(case_id=case["id"], message="Thanks for reaching out; we are on it.")
        spare[agent] -= 1
    return f"Triaged {len(cases)} cases"


def solve_outage_compensation(tools, params):
    cap = TIERS[params["tier"]][1]
    cases = tools.search_cases(status="open", category="outage", tier=params["tier"])
    for found in cases:
        case = tools.get_case(case_id=found["id"])
        if not case["credits"]:
            tools.issue_credit(case_id=case["id"], amount=cap, reason="outage compensation")
        close_case(tools, case, params["agent"], "Sorry for the outage; service is restored.")
    return f"Compensated and resolved {len(cases)} cases"


def solve_cancel_and_refund(tools, params):
    customer = tools.get_customer(email=params["email"])
    for sub in customer["subscriptions"]:
        if sub["status"] == "active":
            tools.cancel_subscription(subscription_id=sub["id"])
    total = 0.0
    for inv in tools.list_invoices(email=params["email"]):
        amount = refund_room(inv, customer["tier"], params["half_refund_late"])
        if amount > 0:
            tools.refund_invoice(invoice_id=inv["id"], amount=amount, case_id=params["case"])
            total += amount
    case = tools.get_case(case_id=params["case"])
    if total < params["threshold"] and not case["credits"]:
        tools.issue_credit(case_id=params["case"], amount=TIERS[customer["tier"]][1], reason="sorry to see you go")
    close_case(tools, case, params["agent"], "Your account has been closed and refunded.")
    return f"Refunded {total:.2f} and closed case {params['case']}"
