"""State checks for what a declaration of effects cannot say by itself."""

from synth_verifiers.state import table_rows


def check_devices(outcome, params):
    """Devices end as required, and each listed person gained exactly one device of a kind from the allowed units.

    devices: [[device id, status, employee id]], final states of existing devices;
    gains: [{"employee": id, "kind": kind, "stock": [allowed existing device ids], "models": [allowed model ids
    for a newly bought unit]}]. How many units are bought, and which rows may change, the declaration says."""
    reasons = []
    kinds = {m["id"]: m["kind"] for m in table_rows(outcome.db, "models").values()}
    before, after = table_rows(outcome.initial, "devices"), table_rows(outcome.db, "devices")
    for key, status, holder in params.get("devices", []):
        row = after.get(key)
        if row is None or (row["status"], row["employee_id"]) != (status, holder):
            reasons.append(
                f"device {key} should be {status} with holder {holder}, not "
                f"{row and (row['status'], row['employee_id'])}"
            )
    used = set()
    for gain in params.get("gains", []):
        got = [
            k
            for k, r in after.items()
            if r["employee_id"] == gain["employee"]
            and kinds[r["model_id"]] == gain["kind"]
            and (k not in before or before[k]["employee_id"] != gain["employee"])
        ]
        if len(got) != 1:
            reasons.append(f"employee {gain['employee']} should receive one {gain['kind']}, got devices {got}")
            continue
        key = got[0]
        if key in before and key not in gain["stock"]:
            reasons.append(
                f"employee {gain['employee']} got device {key}, not one of the allowed units {gain['stock']}"
            )
        if key not in before and after[key]["model_id"] not in gain["models"]:
            reasons.append(
                f"employee {gain['employee']} got a new unit of model {after[key]['model_id']}, allowed "
                f"{gain['models']}"
            )
        if after[key]["status"] != "in_use":
            reasons.append(f"device {key} should be in use")
        if key in used:
            reasons.append(f"device {key} was handed out twice")
        used.add(key)
    return not reasons, reasons
