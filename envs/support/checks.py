"""State checks for what a declaration of effects cannot say by itself: refunds summed per invoice, and which
agent may end up on a case."""

from synth_verifiers.state import column_deltas, diff_table

from .world import NOW


def check_support(outcome, params):
    """refunds: {invoice id: total to refund now}, each filed under params["case"]; the invoices' refunded totals
    move by exactly what was refunded. agents: {case id: allowed agent ids}; responded: the cases that must get
    their first response now (the others in `agents` keep theirs); cap: no agent may end with more open cases than
    this unless they had more before."""
    reasons = []
    if "refunds" in params:
        added = diff_table(outcome.initial, outcome.db, "refunds")[0]
        paid = {}
        for r in added:
            paid[str(r["invoice_id"])] = round(paid.get(str(r["invoice_id"]), 0) + r["amount"], 2)
            if r["case_id"] != params["case"]:
                reasons.append(f"refund {r['id']} is filed under case {r['case_id']}, not {params['case']}")
        want = {k: round(v, 2) for k, v in params["refunds"].items()}
        if paid != want:
            reasons.append(f"refunds per invoice should be {want}, got {paid}")
        moved = {
            str(k): round(v, 2) for k, v in column_deltas(outcome.initial, outcome.db, "invoices", "refunded").items()
        }
        if moved != paid:
            reasons.append(f"invoice refunded totals moved by {moved}, but refunds recorded {paid}")
    before = {c["id"]: c for c in outcome.initial_rows("SELECT * FROM cases")}
    final = {c["id"]: c for c in outcome.rows("SELECT * FROM cases")}
    responded = params.get("responded", [])
    for key, allowed in params.get("agents", {}).items():
        new, old = final[int(key)], before[int(key)]
        if new["agent_id"] not in allowed:
            reasons.append(f"case {key} is with agent {new['agent_id']}, allowed {allowed}")
        if int(key) in responded and new["first_response_at"] != NOW:
            reasons.append(f"case {key} got no first response")
        if int(key) not in responded and new["first_response_at"] != old["first_response_at"]:
            reasons.append(f"case {key} should keep its first response")
    if params.get("cap") is not None:
        load, was = {}, {}
        for cases, count in ((final, load), (before, was)):
            for c in cases.values():
                if c["status"] == "open" and c["agent_id"] is not None:
                    count[c["agent_id"]] = count.get(c["agent_id"], 0) + 1
        if any(n > params["cap"] and n > was.get(a, 0) for a, n in load.items()):
            reasons.append(f"an agent now has more than {params['cap']} open cases")
    return not reasons, reasons
