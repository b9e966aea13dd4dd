"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""

import datetime as dt


def fits(truck, day, weight, params):
    """Whether `truck` (from list_trucks) can take `weight` more kg on a date it already carries `day` (weights)."""
    return sum(day) + weight <= truck["capacity_kg"] and not (params["max_stops"] and len(day) >= params["max_stops"])


def able(truck, shipment, schedule, date, params):
    """Whether an available truck of the shipment's depot can carry it on `date`, given the truck's schedule."""
    return (
        truck["status"] == "available"
        and truck["depot"] == shipment["depot"]
        and (truck["refrigerated"] or not shipment["refrigerated"])
        and fits(truck, [x["weight_kg"] for x in schedule if x["date"] == date], shipment["weight_kg"], params)
    )


def cheapest_truck(tools, shipment, date, params, exclude=None):
    """The lowest-cost truck allowed to carry the shipment on `date` (not `exclude`)."""
    best = None
    for t in tools.list_trucks(depot=shipment["depot"]):
        if (
            t["code"] != exclude
            and able(t, shipment, tools.get_truck(code=t["code"])["schedule"], date, params)
            and (best is None or t["cost_per_km"] < best["cost_per_km"])
        ):
            best = t
    return best


def place_heaviest_first(tools, jobs, trucks, schedules, params):
    """Plan (shipment, date) jobs heaviest first, each on the cheapest truck able to take it (schedules, by truck
    code, are kept up to date); the total cost."""
    total = 0.0
    for s, date in sorted(jobs, key=lambda j: -j[0]["weight_kg"]):
        for t in sorted(trucks, key=lambda t: t["cost_per_km"]):
            if able(t, s, schedules[t["code"]], date, params):
                total += tools.assign_shipment(ref=s["ref"], truck=t["code"], date=date)["cost"]
                schedules[t["code"]].append({"date": date, "weight_kg": s["weight_kg"]})
                break
    return round(total, 2)


def solve_truck_capacity(tools, params):
    return tools.get_truck(code=params["truck"])["capacity_kg"]


def solve_route_distance(tools, params):
    return tools.shortest_route(origin=params["origin"], destination=params["destination"])["km"]


def solve_shipment_truck(tools, params):
    return tools.get_shipment(ref=params["ref"])["truck"]


def solve_pending_weight(tools, params):
    return sum(s["weight_kg"] for s in tools.list_shipments(depot=params["depot"], status="pending"))


def solve_free_capacity(tools, params):
    truck = tools.get_truck(code=params["truck"])
    return truck["capacity_kg"] - sum(s["weight_kg"] for s in truck["schedule"] if s["date"] == params["date"])


def solve_nearest_depot(tools, params):
    depots = tools.list_depots()
    return min(depots, key=lambda d: tools.shortest_route(origin=d["name"], destination=params["town"])["km"])["name"]


def solve_eligible_trucks(tools, params):
    load = {"depot": params["depot"], "refrigerated": params["cold"], "weight_kg": params["weight"]}
    return [
        t["code"]
        for t in tools.list_trucks(depot=params["depot"])
        if t["status"] == "available"
        and able(t, load, tools.get_truck(code=t["code"])["schedule"], params["date"], params)
    ]


def solve_assign_cheapest(tools, params):
    s = tools.get_shipment(ref=params["ref"])
    best = cheapest_truck(tools, s, params["date"], params)
    done = tools.assign_shipment(ref=params["ref"], truck=best["code"], date=params["date"])
    return f"Planned {done['ref']} on {done['truck']} for {done['date']}, cost {done['cost']}"


def solve_reassign_cheaper(tools, params):
    s = tools.get_shipment(ref=params["ref"])
    best = cheapest_truck(tools, s, s["date"], params, exclude=s["truck"])
    tools.unassign_shipment(ref=params["ref"])
    done = tools.assign_shipment(ref=params["ref"], truck=best["code"], date=s["date"])
    return f"Moved {done['ref']} to {done['truck']}, cost {done['cost']}"


def solve_dispatch_day(tools, params):
    due = [
        s
        for s in tools.list_shipments(depot=params["depot"], status="pending")
        if s["window_start"] <= params["date"] <= s["window_end"]
    ]
    trucks = tools.list_trucks(depot=params["depot"])
    schedules = {t["code"]: tools.get_truck(code=t["code"])["schedule"] for t in trucks if t["status"] == "available"}
    total = place_heaviest_first(
        tools, [(s, params["date"]) for s in due], [t for t in trucks if t["code"] in schedules], schedules, params
    )
    return f"Dispatched {len(due)} shipments for a total of {total}"


def solve_breakdown(tools, params):
    broken = tools.get_truck(code=params["truck"])
    jobs = [tools.get_shipment(ref=x["ref"]) for x in broken["schedule"]]
    trucks = [
        t
        for t in tools.list_trucks(depot=broken["depot"])
        if t["status"] == "available" and t["code"] != params["truck"]
    ]
    for s in jobs:
        tools.unassign_shipment(ref=s["ref"])
    schedules = {t["code"]: tools.get_truck(code=t["code"])["schedule"] for t in trucks}
    total = place_heaviest_first(tools, [(s, s["date"]) for s in jobs], trucks, schedules, params)
    tools.set_truck_status(code=params["truck"], status="maintenance")
    return f"Moved {len(jobs)} shipments for {total}; {params['truck']} is in maintenance"


def solve_customer_plan(tools, params):
    today = dt.date.fromisoformat(tools.get_today()["today"])
    pending = [
        s
        for s in tools.list_shipments(customer=params["customer"], status="pending")
        if s["window_end"] >= today.isoformat()
    ]
    jobs, trucks, schedules = [], {}, {}
    for s in pending:
        km = tools.shortest_route(origin=s["depot"], destination=s["destination"])["km"]
        if s["depot"] not in trucks:
            trucks[s["depot"]] = [t for t in tools.list_trucks(depot=s["depot"]) if t["status"] == "available"]
            for t in trucks[s["depot"]]:
                schedules[t["code"]] = tools.get_truck(code=t["code"])["schedule"]
        for d in range(15):
            date = (today + dt.timedelta(days=d)).isoformat()
            if not s["window_start"] <= date <= s["window_end"] or (params["max_km"] and km > params["max_km"]):
                continue
            if params["weekend_off"] and dt.date.fromisoformat(date).weekday() >= 5:
                continue
            if any(able(t, s, schedules[t["code"]], date, params) for t in trucks[s["depot"]]):
                jobs.append((s, date))
                break
    total = place_heaviest_first(tools, jobs, [t for fleet in trucks.values() for t in fleet], schedules, params)
    return f"Planned {len(jobs)} shipments for {total}"
