"""State checks for what a declaration of effects cannot say by itself."""

from synth_verifiers.state import diff_table, table_rows


def check_bookings(outcome, params):
    """The new reservations (their parties are declared) are at restaurants that meet the request.

    new: [[customer id, date, [allowed restaurant ids]]]; distinct: the bookings are at different restaurants;
    cap: the most their deposits may add up to; refunds: [[reservation id, refund]] of the cancelled ones."""
    reasons = []
    added, _, _ = diff_table(outcome.initial, outcome.db, "reservations")
    by_party = {(r["customer_id"], r["date"]): r for r in added}
    used = []
    for customer, date, allowed in params["new"]:
        res = by_party.get((customer, date))
        if res is None:
            reasons.append(f"no new booking for customer {customer} on {date}")
        elif res["restaurant_id"] not in allowed:
            reasons.append(f"{res['ref']} is at restaurant {res['restaurant_id']}, which does not meet the request")
        else:
            used.append(res)
    if params.get("distinct") and len({r["restaurant_id"] for r in used}) < len(used):
        reasons.append("the bookings must be at different restaurants")
    if params.get("cap") is not None and sum(r["deposit"] for r in used) > params["cap"]:
        reasons.append(f"the deposits add up to {sum(r['deposit'] for r in used)}, more than {params['cap']}")
    rows = table_rows(outcome.db, "reservations")
    for key, refund in params.get("refunds", []):
        if rows[key]["refund"] != refund:
            reasons.append(f"{rows[key]['ref']} refunds {rows[key]['refund']}, expected {refund}")
    return not reasons, reasons
