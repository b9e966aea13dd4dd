"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""

from synth.env import only


def may_hold(owner, opp, params):
    """Whether an owner (from list_owners) may hold an opportunity under the policy."""
    return owner["region"] == opp["region"] and (
        owner["seniority"] == "senior" or not (params["senior_big_deals"] and opp["amount"] >= 100000)
    )


def may_win(tools, opportunity_id, params):
    """Whether a negotiation-stage opportunity may be marked won now."""
    kinds = {a["kind"] for a in tools.get_opportunity(opportunity_id=opportunity_id)["activities"]}
    return "demo" in kinds or not params["demo_before_won"]


def solve_opp_stage(tools, params):
    return tools.get_opportunity(opportunity_id=params["opp"])["stage"]


def solve_account_owner(tools, params):
    return tools.get_account(name=params["account"])["owner"]


def solve_stage_entered(tools, params):
    return tools.get_stage_history(opportunity_id=params["opp"])[-1]["day"]


def solve_open_pipeline(tools, params):
    order = ["prospecting", "qualification", "proposal", "negotiation"]
    opps = tools.search_opportunities(owner=params["owner"], open_only=True)
    total = sum(o["amount"] for o in opps if order.index(o["stage"]) >= order.index(params["stage"]))
    return round(total, 2)


def solve_top_attainment(tools, params):
    owners = [o for o in tools.list_owners() if o["region"] == params["region"]]
    won = tools.search_opportunities(stage="won", close_from="2026-01-01", close_to="2026-03-31")
    score = {o["name"]: sum(w["amount"] for w in won if w["owner"] == o["name"]) / o["quota"] for o in owners}
    return max(score, key=score.get)


def solve_stale_deals(tools, params):
    recent = {a["opportunity_id"] for a in tools.list_activities(owner=params["owner"], since=params["since"])}
    opps = tools.search_opportunities(owner=params["owner"], open_only=True)
    return [str(o["id"]) for o in opps if o["id"] not in recent]


def solve_industry_won(tools, params):
    won = tools.search_opportunities(
        stage="won", industry=params["industry"], close_from=params["start"], close_to=params["end"]
    )
    return round(sum(o["amount"] for o in won), 2)


def solve_advance_deal(tools, params):
    order = ["prospecting", "qualification", "proposal", "negotiation", "won"]
    opp = tools.get_opportunity(opportunity_id=params["opp"])
    nxt = order[order.index(opp["stage"]) + 1]
    kinds = {a["kind"] for a in opp["activities"]}
    need = None
    if nxt in ("proposal", "negotiation") and not kinds & {"meeting", "demo"}:
        need = "meeting"
    if nxt == "won" and params["demo_before_won"] and "demo" not in kinds:
        need = "demo"
    if need:
        account = tools.get_account(name=opp["account"])
        primary = only(account["contacts"], is_primary=1)["name"]
        tools.log_activity(opportunity_id=params["opp"], kind=need, contact=primary, note="required before advancing")
    tools.advance_stage(opportunity_id=params["opp"])
    return f"Opportunity {params['opp']} is now in {nxt}"


def solve_reassign_lightest(tools, params):
    opp = tools.get_opportunity(opportunity_id=params["opp"])
    owners = [o for o in tools.list_owners() if o["name"] != opp["owner"] and may_hold(o, opp, params)]
    best = min(owners, key=lambda o: o["open_opportunities"])
    tools.reassign_opportunity(opportunity_id=params["opp"], owner=best["name"])
    return f"Reassigned to {best['name']}"


def solve_push_overdue(tools, params):
    opps = tools.search_opportunities(owner=params["owner"], open_only=True, close_to="2026-03-15")
    for o in opps:
        tools.update_close_date(opportunity_id=o["id"], close_date=params["date"])
    return f"Moved {len(opps)} opportunities to {params['date']}"


def solve_rebalance_owner(tools, params):
    opps = tools.search_opportunities(owner=params["owner"], stage=params["stage"])
    owners = [o for o in tools.list_owners() if o["name"] != params["owner"]]
    spare = {o["name"]: params["cap"] - o["open_opportunities"] for o in owners}
    allowed = {opp["id"]: [o["name"] for o in owners if may_hold(o, opp, params)] for opp in opps}
    for opp in sorted(opps, key=lambda o: len(allowed[o["id"]])):
        name = max((n for n in allowed[opp["id"]] if spare[n] > 0), key=lambda n: spare[n])
        tools.reassign_opportunity(opportunity_id=opp["id"], owner=name)
        spare[name] -= 1
    return f"Reassigned {len(opps)} opportunities"


def solve_quarter_close(tools, params):
    opps = tools.search_opportunities(owner=params["owner"], open_only=True, close_to=params["cutoff"])
    for o in opps:
        if o["stage"] not in ("proposal", "negotiation"):
            continue
        if o["stage"] == "negotiation" and may_win(tools, o["id"], params):
            tools.advance_stage(opportunity_id=o["id"])
            continue
        tools.update_close_date(opportunity_id=o["id"], close_date=params["new_date"])
    return "Quarter-end review done"


def solve_account_review(tools, params):
    order = ["prospecting", "qualification", "proposal", "negotiation"]
    account = tools.get_account(name=params["account"])
    primary = only(account["contacts"], is_primary=1)["name"]
    won = 0.0
    for o in account["opportunities"]:
        if o["stage"] == "won":
            won += o["amount"]
        elif o["stage"] in order and o["close_date"] < "2026-03-16":
            tools.mark_lost(opportunity_id=o["id"], reason="stale")
        elif o["stage"] in order[:3] and o["amount"] >= params["threshold"]:
            tools.log_activity(opportunity_id=o["id"], kind="meeting", contact=primary, note="account review")
            tools.advance_stage(opportunity_id=o["id"])
    amount = float(round(won * 0.1))
    owner = account["owner"]
    if params["senior_big_deals"] and amount >= 100000:
        owners = tools.list_owners()
        if not any(o["name"] == owner and o["seniority"] == "senior" for o in owners):
            seniors = [o for o in owners if o["region"] == account["region"] and o["seniority"] == "senior"]
            owner = min(seniors, key=lambda o: o["open_opportunities"])["name"]
    tools.create_opportunity(
        account=params["account"], name=params["new_name"], amount=amount, close_date=params["close"], owner=owner
    )
    return f"Created {params['new_name']} for {amount:.0f}"


def solve_quota_push(tools, params):
    me = only(tools.list_owners(), name=params["owner"])
    won = sum(
        o["amount"]
        for o in tools.search_opportunities(
            owner=params["owner"], stage="won", close_from="2026-01-01", close_to="2026-03-31"
        )
    )
    opps = tools.search_opportunities(owner=params["owner"], stage="negotiation")
    for o in sorted(opps, key=lambda o: -o["amount"]):
        if won < me["quota"] and may_win(tools, o["id"], params):
            tools.advance_stage(opportunity_id=o["id"])
            won += o["amount"]
            continue
        tools.update_close_date(opportunity_id=o["id"], close_date=params["new_date"])
    return f"Won total now {won:.2f}"
