"""State checks for what a declaration of effects cannot say by itself."""

from collections import Counter

from synth_verifiers.state import table_rows

QUIET_HOURS = {23, 0, 1, 2, 3, 4, 5}


def check_runs(outcome, params):
    """The runs that exist now, compared to before: runs `moved` are gone or moved, other old runs untouched, and
    the new (or moved) runs fill exactly `slots` ([device id, date]); every one keeps to the policy (capacity,
    overlap, quiet hours, budget rule), to the task's window and outside the `avoid` hours [first, last] if given;
    their total cost is at most the optimum `best` (several plans may reach it)."""
    before, after = table_rows(outcome.initial, "runs"), table_rows(outcome.db, "runs")
    kept = {k: v for k, v in before.items() if k not in params["moved"]}
    old = {(r["device_id"], r["date"], r["start_hour"]) for r in kept.values()}
    final = Counter((r["device_id"], r["date"], r["start_hour"]) for r in after.values())
    if any(final[o] < 1 for o in old):
        return False, ["a run that should stay was changed or cancelled"]
    new = list((final - Counter(old)).elements())
    if sorted([d, t] for d, t, _ in new) != sorted(params["slots"]):
        return False, [f"new runs {sorted(new)} do not fill the requested {sorted(params['slots'])}"]
    devices = {d["id"]: d for d in outcome.rows("SELECT * FROM devices")}
    tariff = {t["hour"]: t for t in outcome.rows("SELECT * FROM tariff")}
    reasons, total = [], 0.0
    for d_id, date, s in new:
        d = devices[d_id]
        hours = range(s, s + d["run_hours"])
        total += d["power_kw"] * sum(tariff[h]["price"] for h in hours if h in tariff)
        if s < params["earliest"] or hours.stop > params["finish_by"] or hours.stop > 24:
            reasons.append(f"{d['name']} at {s}:00 is outside the allowed window")
        if params["avoid"] and any(params["avoid"][0] <= h <= params["avoid"][1] for h in hours):
            reasons.append(f"{d['name']} at {s}:00 uses an hour it must avoid")
        if params["quiet"] and d["noisy"] and set(hours) & QUIET_HOURS:
            reasons.append(f"{d['name']} at {s}:00 runs in quiet hours")
        if params["over_budget"] and tariff[s]["band"] != "off-peak":
            reasons.append(f"{d['name']} starts at {s}:00, outside off-peak, although over 80% of the budget")
        same = [r for r in after.values() if r["device_id"] == d_id and r["date"] == date]
        if sum(1 for r in same if r["start_hour"] < hours.stop and s < r["start_hour"] + d["run_hours"]) > 1:
            reasons.append(f"{d['name']} has overlapping runs on {date}")
        for h in hours:
            load = sum(
                devices[r["device_id"]]["power_kw"]
                for r in after.values()
                if r["date"] == date and r["start_hour"] <= h < r["start_hour"] + devices[r["device_id"]]["run_hours"]
            )
            if load > params["capacity"] + 1e-9:
                reasons.append(f"{date} hour {h} draws {round(load, 2)} kW, over {params['capacity']}")
                break
    if total > params["best"] + 1e-6:
        reasons.append(f"the new runs cost {round(total, 4)}, more than the best possible {params['best']}")
    return not reasons, reasons
