"""State checks for what a declaration of effects cannot say by itself."""

import datetime as dt

from synth_verifiers.state import diff_table


def check_plan(outcome, params):
    """A planning task's shipments (the declaration says which may change) are each assigned on an allowed date to
    a truck that may carry them, at the route's cost, no truck is over capacity (or stops) on a date, and the
    planned deliveries cost at most the budget. shipments: {id: {"km": route km, "dates": allowed dates}}."""
    reasons = []
    plan = {int(k): v for k, v in params["shipments"].items()}
    _, _, changed = diff_table(outcome.initial, outcome.db, "shipments")
    trucks = {t["id"]: t for t in outcome.rows("SELECT * FROM trucks")}
    today = outcome.rows("SELECT today FROM office")[0]["today"]
    total = 0.0
    for s in [c for c in changed if c["id"] in plan]:  # other changes are for the declaration to judge
        want, truck = plan[s["id"]], trucks.get(s["truck_id"])
        if s["status"] != "assigned" or truck is None:
            reasons.append(f"shipment {s['ref']} is not assigned to a truck")
            continue
        if truck["depot_id"] != s["depot_id"] or truck["status"] != "available":
            reasons.append(f"{s['ref']}: truck {truck['code']} is from another depot or not available")
        if s["refrigerated"] and not truck["refrigerated"]:
            reasons.append(f"{s['ref']}: refrigerated load on a truck without refrigeration")
        if s["date"] not in want["dates"] or not s["window_start"] <= s["date"] <= s["window_end"] or s["date"] < today:
            reasons.append(f"{s['ref']}: date {s['date']} is not the date the request and window call for")
        if params["weekend_off"] and dt.date.fromisoformat(s["date"]).weekday() >= 5:
            reasons.append(f"{s['ref']}: delivered on a weekend")
        if params["max_km"] and want["km"] > params["max_km"]:
            reasons.append(f"{s['ref']}: destination out of range")
        if abs(s["cost"] - round(want["km"] * truck["cost_per_km"], 2)) > 0.011:
            reasons.append(f"{s['ref']}: cost {s['cost']} does not match the route")
        total += s["cost"]
    for truck_id, date in {(s["truck_id"], s["date"]) for s in changed if s["truck_id"] in trucks}:
        day = outcome.rows(
            "SELECT weight_kg FROM shipments WHERE truck_id = ? AND date = ? AND status = 'assigned'", truck_id, date
        )
        if sum(r["weight_kg"] for r in day) > trucks[truck_id]["capacity_kg"]:
            reasons.append(f"truck {trucks[truck_id]['code']} is over capacity on {date}")
        if params["max_stops"] and len(day) > params["max_stops"]:
            reasons.append(f"truck {trucks[truck_id]['code']} has more than {params['max_stops']} stops on {date}")
    if total > params["budget"] + 0.005:
        reasons.append(f"total cost {round(total, 2)} exceeds the budget {params['budget']}")
    return not reasons, reasons
