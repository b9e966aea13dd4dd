"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""

import datetime as dt

from synth.env import only


def decision(tools, claim, policy, params):
    """(status, payout, reason) the claims rules prescribe for an open claim, checked in the policy's order."""
    cover = next((c for c in policy["coverages"] if c["peril"] == claim["peril"]), None)
    incident = dt.date.fromisoformat(claim["incident_date"])
    early = 0 <= (incident - dt.date.fromisoformat(policy["start_date"])).days <= 30
    year_before = (incident - dt.timedelta(days=365)).isoformat()
    prior = [
        c
        for c in tools.list_claims(holder_id=policy["holder_id"])
        if c["number"] != claim["number"] and year_before <= c["incident_date"] < claim["incident_date"]
    ]
    if cover and early and claim["amount_claimed"] > cover["limit_amount"] / 2:
        return "review", None, "large early claim"
    if len(prior) >= 3:
        return "review", None, "frequent claims"
    if policy["status"] == "cancelled" or not policy["start_date"] <= claim["incident_date"] <= policy["end_date"]:
        return "denied", None, "policy not in force"
    if cover is None:
        return "denied", None, "no coverage"
    if (dt.date.fromisoformat(claim["reported_date"]) - incident).days > params["report_days"]:
        return "denied", None, "reported late"
    payout = round(min(claim["amount_claimed"], cover["remaining_limit"]) - cover["deductible"], 2)
    if payout <= 0:
        return "denied", None, "below deductible"
    return "approved", payout, ""


def least_busy(adjusters, senior):
    """The eligible adjuster with the fewest open claims (lowest id on a tie) among those with spare capacity."""
    staff = [a for a in adjusters if a["open_claims"] < a["capacity"] and (a["senior"] or not senior)]
    return min(staff, key=lambda a: (a["open_claims"], a["id"]))


def process_claim(tools, number, params, pay_limit):
    """Route one open claim (assign or reassign only when needed), decide it, and pay an approval up to pay_limit."""
    claim = tools.get_claim(number=number)
    policy = tools.get_policy(number=claim["policy"])
    status, payout, reason = decision(tools, claim, policy, params)
    senior = payout is not None and payout > params["senior_threshold"]
    adjusters = tools.list_adjusters(specialty=policy["product"])
    current = next((a for a in adjusters if a["id"] == claim["adjuster_id"]), None)
    if current is None or (senior and not current["senior"]):
        tools.assign_adjuster(claim_number=number, adjuster_id=least_busy(adjusters, senior)["id"])
    if status == "approved":
        tools.approve_claim(claim_number=number, amount=payout)
        if pay_limit is not None and payout <= pay_limit:
            tools.pay_claim(claim_number=number)
    elif status == "denied":
        tools.deny_claim(claim_number=number, reason=reason)
    else:
        tools.flag_for_review(claim_number=number, reason=reason)
    return status


def solve_claim_status(tools, params):
    return tools.get_claim(number=params["number"])["status"]


def solve_deductible(tools, params):
    return only(tools.get_policy(number=params["policy"])["coverages"], peril=params["peril"])["deductible"]


def solve_paid_total(tools, params):
    holder = only(tools.find_policyholders(name=params["holder"]), name=params["holder"])
    total = 0.0
    for claim in tools.list_claims(holder_id=holder["id"], status="paid"):
        total += sum(p["amount"] for p in tools.get_claim(number=claim["number"])["payments"])
    return round(total, 2)


def solve_remaining_limit(tools, params):
    cover = only(tools.get_policy(number=params["policy"])["coverages"], peril=params["peril"])
    used = sum(
        c["approved_amount"]
        for c in tools.list_claims(policy_number=params["policy"])
        if c["peril"] == params["peril"] and c["status"] in ("approved", "paid")
    )
    return round(cover["limit_amount"] - used, 2)


def solve_busiest_adjuster(tools, params):
    return max(tools.list_adjusters(specialty=params["product"]), key=lambda a: a["open_claims"])["name"]


def solve_assign_queue(tools, params):
    done = []
    for claim in tools.list_claims(status="open", product=params["product"]):
        if claim["adjuster_id"] is None:
            pick = least_busy(tools.list_adjusters(specialty=params["product"]), False)
            tools.assign_adjuster(claim_number=claim["number"], adjuster_id=pick["id"])
            done.append(claim["number"])
    return f"Assigned {', '.join(done)}"


def solve_adjudicate(tools, params):
    return f"Claim {params['number']}: {process_claim(tools, params['number'], params, None)}"


def solve_file_claims(tools, params):
    numbers = [
        tools.file_claim(policy_number=params["policy"], peril=peril, incident_date=params["incident"], amount=amount)[
            "number"
        ]
        for peril, amount in params["items"]
    ]
    return "; ".join(f"{n}: {process_claim(tools, n, params, params['pay_limit'])}" for n in numbers)


def solve_holder_queue(tools, params):
    holder = only(tools.find_policyholders(name=params["holder"]), name=params["holder"])
    numbers = [c["number"] for c in tools.list_claims(holder_id=holder["id"], status="open")]
    return "; ".join(f"{n}: {process_claim(tools, n, params, None)}" for n in numbers)


def solve_triage(tools, params):
    numbers = [
        c["number"]
        for c in tools.list_claims(status="open", product=params["product"])
        if params["start"] <= c["incident_date"] <= params["end"]
    ]
    return "; ".join(f"{n}: {process_claim(tools, n, params, params['pay_limit'])}" for n in numbers)
