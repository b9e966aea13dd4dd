"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""

import itertools

from synth.env import only

QUIET_HOURS = {23, 0, 1, 2, 3, 4, 5}


def may_start(device, start, tariff, params, avoid=()):
    """Whether a run of `device` (name, run_hours, noisy) may start at `start` under the policy and the task's
    window (params earliest/finish_by, and the hours to `avoid`)."""
    hours = set(range(start, start + device["run_hours"]))
    if start < params["earliest"] or start + device["run_hours"] > params["finish_by"] or hours & set(avoid):
        return False
    if params["quiet"] and device["noisy"] and hours & QUIET_HOURS:
        return False
    return not (params["over_budget"] and tariff[start]["band"] != "off-peak")


def cheapest_starts(devices, fixed, tariff, params, avoid=()):
    """The start hours, one per entry of `devices` (dicts with name, run_hours, power_kw, noisy), of the cheapest
    plan that keeps the policy together with the day's `fixed` runs (from get_schedule): no device runs twice at
    once and the capacity holds in every hour a new run covers. None when no plan exists."""
    options = [[s for s in range(25 - d["run_hours"]) if may_start(d, s, tariff, params, avoid)] for d in devices]
    best, best_cost = None, None
    for combo in itertools.product(*options):
        spans = [(d["name"], s, d["run_hours"], d["power_kw"]) for d, s in zip(devices, combo)]
        covered = {h for _, s, n, _ in spans for h in range(s, s + n)}
        spans += [(r["device"], r["start_hour"], r["run_hours"], r["power_kw"]) for r in fixed]
        if any(a[0] == b[0] and a[1] < b[1] + b[2] and b[1] < a[1] + a[2] for a, b in itertools.combinations(spans, 2)):
            continue
        if any(sum(p for _, s, n, p in spans if s <= h < s + n) > params["capacity"] + 1e-9 for h in covered):
            continue
        cost = sum(
            d["power_kw"] * sum(tariff[h]["price"] for h in range(s, s + d["run_hours"]))
            for d, s in zip(devices, combo)
        )
        if best_cost is None or cost < best_cost - 1e-9:
            best, best_cost = combo, cost
    return best


def solve_device_power(tools, params):
    return only(tools.list_devices(), name=params["device"])["power_kw"]


def solve_hour_cost(tools, params):
    price = only(tools.get_tariff(), hour=params["hour"])["price"]
    return round(price * tools.get_device(name=params["device"])["power_kw"], 4)


def solve_biggest_consumer(tools, params):
    usage = tools.get_usage(start_date=params["start"], end_date=params["end"], room=params["room"])
    return max(usage, key=lambda u: u["kwh"])["device"]


def solve_room_cost(tools, params):
    return round(
        sum(
            u["cost"] for u in tools.get_usage(start_date=params["date"], end_date=params["date"], room=params["room"])
        ),
        4,
    )


def solve_peak_kwh(tools, params):
    peak = {t["hour"] for t in tools.get_tariff() if t["band"] == "peak"}
    readings = tools.get_hourly_readings(device=params["device"], date=params["date"])
    return round(sum(r["kwh"] for r in readings if r["hour"] in peak), 3)


def solve_standby_off(tools, params):
    for d in tools.list_devices(room=params["room"]):
        if d["state"] == "standby" and not d["essential"] and d["standby_w"] >= params["min_w"]:
            tools.set_device_state(device=d["name"], state="off")
    return "Done"


def solve_peak_automations(tools, params):
    if params["peak"]:
        hours = {t["hour"] for t in tools.get_tariff() if t["band"] == "peak"}
    else:
        hours = set(range(params["first"], params["last"] + 1))
    n = 0
    for a in tools.list_automations(room=params["room"]):
        if a["enabled"] and a["action"] == "on" and a["hour"] in hours:
            tools.set_automation(automation_id=a["id"], enabled=False)
            n += 1
    return f"Disabled {n} automations"


def solve_plan_loads(tools, params):
    tariff = {t["hour"]: t for t in tools.get_tariff()}
    devices = {d["name"]: d for d in tools.list_devices() if d["name"] in params["devices"]}
    chosen = [devices[n] for n in params["devices"]]
    for date in params["dates"]:
        starts = cheapest_starts(chosen, tools.get_schedule(date=date), tariff, params)
        for d, s in zip(chosen, starts):
            tools.schedule_run(device=d["name"], date=date, start_hour=s)
    return "Scheduled"


def solve_move_peak_runs(tools, params):
    tariff = {t["hour"]: t for t in tools.get_tariff()}
    runs = tools.get_schedule(date=params["date"])
    if params["peak"]:
        avoid = {h for h, t in tariff.items() if t["band"] == "peak"}
    else:
        avoid = set(range(params["first"], params["last"] + 1))
    move = [r for r in runs if avoid & set(range(r["start_hour"], r["start_hour"] + r["run_hours"]))]
    stay = [r for r in runs if r not in move]
    noisy = {d["name"]: d["noisy"] for d in tools.list_devices()}
    items = [
        {"name": r["device"], "run_hours": r["run_hours"], "power_kw": r["power_kw"], "noisy": noisy[r["device"]]}
        for r in move
    ]
    starts = cheapest_starts(items, stay, tariff, {**params, "finish_by": 24}, avoid)
    for r in move:  # park first so that moved runs do not block each other's new hours
        tools.cancel_run(run_id=r["id"])
    for r, s in zip(move, starts):
        tools.schedule_run(device=r["device"], date=params["date"], start_hour=s)
    return f"Moved {len(move)} runs"
