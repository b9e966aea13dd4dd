"""State checks for what a declaration of effects cannot say by itself."""

from synth_verifiers.state import diff_table, table_rows


def check_stock(outcome, params):
    """Picks, refills and the stock they leave, unit by unit. Which rows may change at all is declared with the
    task's effects.

    lines: {line id: qty}, the order lines that must end fully picked; consumption: {sku id: {expiry or "none":
    units}}, the units picked per SKU and lot expiry under first-expiry-first-out (which of several bins with one
    expiry is free); refills: {pick-face code: {lot: units}}, the faces refilled in one move with one of these lots
    and exactly that many units; cutoff: the earliest expiry a lot may have to be picked.
    """
    reasons = []
    lines = {int(k): q for k, q in params.get("lines", {}).items()}
    order_lines = table_rows(outcome.db, "order_lines")
    for line_id, qty in sorted(lines.items()):
        if order_lines[line_id]["picked"] != qty:
            reasons.append(f"order line {line_id} has {order_lines[line_id]['picked']} of {qty} units picked")
    bins = table_rows(outcome.db, "bins")
    before = {s["bin_id"]: s for s in outcome.initial_rows("SELECT * FROM stock")}
    after = {s["bin_id"]: s for s in outcome.rows("SELECT * FROM stock")}
    lots = {s["lot"]: s for s in before.values()}
    picks, _, _ = diff_table(outcome.initial, outcome.db, "picks")
    picked, consumed = {}, {}
    for p in picks:
        if p["line_id"] not in lines or bins[p["bin_id"]]["level"] == 3:
            reasons.append(f"pick {p['id']} is not a pick-face pick for a requested line")
            continue
        expiry = lots[p["lot"]]["expiry"] if p["lot"] in lots else None
        if expiry is not None and expiry < params["cutoff"]:
            reasons.append(f"lot {p['lot']} expiring {expiry} may not be picked")
        per = consumed.setdefault(str(order_lines[p["line_id"]]["sku_id"]), {})
        per[expiry or "none"] = per.get(expiry or "none", 0) + p["qty"]
        picked[p["bin_id"]] = picked.get(p["bin_id"], 0) + p["qty"]
    if consumed != params.get("consumption", {}):
        reasons.append(
            f"units taken per expiry date {consumed} break first-expiry-first-out {params.get('consumption', {})}"
        )
    code = {b["code"]: k for k, b in bins.items()}
    moved, refilled = {}, set()
    for face, options in sorted(params.get("refills", {}).items()):
        bin_id = code[face]
        new = after.get(bin_id) or {}
        if options is None:
            continue  # nothing eligible to refill it with: it stays as it is, judged with the other bins below
        refilled.add(bin_id)
        lot = new.get("lot")
        if lot not in options:
            reasons.append(f"{face} should be refilled with one of the lots {sorted(options)}, holds {lot}")
            continue
        moved[lot] = moved.get(lot, 0) + options[lot]
        source = lots[lot]
        if (new["sku_id"], new["expiry"], new["qty"]) != (
            source["sku_id"],
            source["expiry"],
            options[lot] - picked.get(bin_id, 0),
        ):
            reasons.append(f"{face} should hold {options[lot]} units of lot {lot} less the units picked from it")
    for bin_id in sorted(before.keys() | after.keys()):
        if bin_id in refilled:
            continue
        old, new = before.get(bin_id), after.get(bin_id)
        if old is None or new is None:
            reasons.append(f"the stock record of {bins[bin_id]['code']} was added or removed")
            continue
        want = old["qty"] - picked.get(bin_id, 0) - moved.get(old["lot"], 0)
        if {**new, "qty": 0} != {**old, "qty": 0} or new["qty"] != want:
            reasons.append(
                f"{bins[bin_id]['code']} holds {new['qty']} of lot {new['lot']}, expected {want} of lot {old['lot']}"
            )
    return not reasons, reasons
