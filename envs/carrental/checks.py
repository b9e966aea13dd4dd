"""State checks for what a declaration of effects cannot say by itself."""

import datetime as dt

from synth_verifiers.state import diff_table


def rental_total(rental, car, driver, prices, fees):
    """The policy's total of a rental: days x (rate + insurance + young-driver surcharge) + one-way fee."""
    days = (dt.date.fromisoformat(rental["return_date"]) - dt.date.fromisoformat(rental["pickup_date"])).days
    same = rental["return_branch"] == rental["pickup_branch"]
    fee = 0.0 if same else fees.get((rental["pickup_branch"], rental["return_branch"]), 0.0)
    young = 12.0 if driver["age"] < 25 else 0.0
    return round(days * (car["daily_rate"] + prices.get(rental["insurance"], 0.0) + young) + fee, 2)


def check_rentals(outcome, params):
    """New rentals must match the requested legs and every policy rule; the rentals in params["cancel"] end
    cancelled and those in params["reroute"] ([id, branch id]) end booked, returned there, at the recomputed
    total. Which tables and rows may change at all is declared with the task's effects.

    A leg: driver_id, pickup, return (branch ids), start, end, and optionally insurance, classes, min_seats, gear,
    no_van, not_car (a car id it must not use); params["budget"] caps the new rentals' totals together."""
    added, removed, changed = diff_table(outcome.initial, outcome.db, "rentals")
    reasons = []
    cancel, reroute = set(params.get("cancel", [])), dict(params.get("reroute", []))
    after = {r["id"]: r for r in changed}
    for rid in sorted(cancel):
        if after.get(rid, {}).get("status") != "cancelled":
            reasons.append(f"rental {rid} should be cancelled")
    if len(added) != len(params["legs"]):
        return False, reasons + [f"expected {len(params['legs'])} new rentals, found {len(added)}"]
    cars = {
        c["id"]: c
        for c in outcome.initial_rows(
            "SELECT c.*, k.min_age, k.min_licence_years FROM cars c JOIN car_classes k ON k.class = c.class"
        )
    }
    drivers = {d["id"]: d for d in outcome.initial_rows("SELECT * FROM drivers")}
    fees = {(f["from_branch"], f["to_branch"]): f["fee"] for f in outcome.initial_rows("SELECT * FROM one_way_fees")}
    prices = {i["code"]: i["daily_price"] for i in outcome.initial_rows("SELECT * FROM insurance")}
    before = {r["id"]: r for r in outcome.initial_rows("SELECT * FROM rentals")}
    for rid, branch in sorted(reroute.items()):
        r = after.get(rid)
        if r is None:
            reasons.append(f"rental {rid} should be returned at branch {branch}")
            continue
        total = rental_total(r, cars[r["car_id"]], drivers[r["driver_id"]], prices, fees)
        if r["return_branch"] != branch or r["status"] != "booked" or abs(r["total"] - total) > 0.01:
            reasons.append(f"rental {rid} should be booked, returned at branch {branch}, total {total}")
        if {k: v for k, v in r.items() if k not in ("return_branch", "total")} != {
            k: v for k, v in before[rid].items() if k not in ("return_branch", "total")
        }:
            reasons.append(f"rental {rid} changed more than its return branch")
    final = outcome.rows("SELECT * FROM rentals WHERE status = 'booked'")
    left, spent = list(added), 0.0
    for leg in params["legs"]:
        match = [
            r
            for r in left
            if (r["driver_id"], r["pickup_branch"], r["pickup_date"], r["return_date"])
            == (leg["driver_id"], leg["pickup"], leg["start"], leg["end"])
        ]
        if not match:
            reasons.append(
                f"no new rental for driver {leg['driver_id']} from branch {leg['pickup']} "
                f"{leg['start']} to {leg['end']}"
            )
            continue
        r = match[0]
        left.remove(r)
        car, driver = cars.get(r["car_id"]), drivers.get(r["driver_id"])
        if car is None or driver is None:
            reasons.append(f"rental {r['id']}: unknown car or driver")
            continue
        young = driver["age"] < 25
        problems = {
            "not booked": r["status"] != "booked",
            "car is not at the pickup branch": car["branch_id"] != leg["pickup"],
            "car was not available": car["status"] != "available",
            "wrong return branch": r["return_branch"] != leg["return"],
            "wrong insurance": leg.get("insurance") is not None and r["insurance"] != leg["insurance"],
            "wrong class": leg.get("classes") is not None and car["class"] not in leg["classes"],
            "too few seats": car["seats"] < leg.get("min_seats", 0),
            "wrong gearbox": leg.get("gear", "any") != "any" and bool(car["automatic"]) != (leg["gear"] == "automatic"),
            "van not allowed": leg.get("no_van", False) and car["class"] == "van",
            "the car to retire was used": car["id"] == leg.get("not_car"),
            "driver not eligible for class": driver["age"] < car["min_age"]
            or driver["licence_years"] < car["min_licence_years"],
            "young driver without FULL cover": params.get("young_full") and young and r["insurance"] != "FULL",
            "premium car not returned to pickup": params.get("premium_round")
            and car["class"] in ("premium", "luxury")
            and r["return_branch"] != r["pickup_branch"],
            "no one-way route": r["return_branch"] != r["pickup_branch"]
            and (r["pickup_branch"], r["return_branch"]) not in fees,
            "overlaps another booking": any(
                o["id"] != r["id"]
                and o["car_id"] == r["car_id"]
                and o["pickup_date"] < r["return_date"]
                and r["pickup_date"] < o["return_date"]
                for o in final
            ),
            "total does not follow the policy": abs(rental_total(r, car, driver, prices, fees) - r["total"]) > 0.01,
        }
        reasons += [f"rental {r['id']}: {p}" for p, bad in problems.items() if bad]
        spent += r["total"]
    if params.get("budget") is not None and spent > params["budget"] + 1e-9:
        reasons.append(f"rentals cost {round(spent, 2)}, over the budget {params['budget']}")
    return not reasons, reasons
