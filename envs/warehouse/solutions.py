"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""

import datetime as dt

from synth.env import only


def cutoff_date(tools, shelf_days):
    """The earliest expiry a lot may have to be picked or replenished today."""
    today = dt.date.fromisoformat(tools.get_today()["today"])
    return (today + dt.timedelta(days=shelf_days)).isoformat()


def eligible(tools, sku, kind, cutoff):
    """(lots of a SKU on pick faces or in reserve that may be used, first expiry first; the SKU's record)."""
    info = tools.get_sku(sku=sku)
    lots = [
        b for b in info["bins"] if b["kind"] == kind and b["qty"] > 0 and (b["expiry"] is None or b["expiry"] >= cutoff)
    ]
    return sorted(lots, key=lambda b: b["expiry"] or "9999-12-31"), info


def fill(tools, sku, face, lots, params):
    """Refill pick face `face` (a bin record) in one move from the first of the reserve `lots`, as full as allowed."""
    qty = min(int(face["capacity"] * params["fill"] + 1e-9), lots[0]["qty"])
    tools.replenish(sku=sku, from_bin=lots[0]["bin"], to_bin=face.get("bin") or face["code"], qty=qty)
    return qty


def pick_fefo(tools, order, sku, need, lots):
    """Pick `need` units of an order's SKU from pick-face `lots` (first expiry first)."""
    for lot in lots:
        if need <= 0:
            break
        n = min(need, lot["qty"])
        tools.pick_item(order=order, sku=sku, bin=lot["bin"], qty=n)
        need -= n


def solve_bin_sku(tools, params):
    return tools.get_bin(code=params["bin"])["sku"]


def solve_lot_expiry(tools, params):
    return tools.get_bin(code=params["bin"])["expiry"]


def solve_pickable_units(tools, params):
    cutoff = cutoff_date(tools, params["shelf_days"])
    bins = tools.get_sku(sku=params["sku"])["bins"]
    return sum(b["qty"] for b in bins if b["kind"] == "pick" and (b["expiry"] is None or b["expiry"] >= cutoff))


def solve_expiring_bins(tools, params):
    return [
        b["code"]
        for b in tools.list_bins(aisle=params["aisle"])
        if b["qty"] > 0 and b["expiry"] and b["expiry"] <= params["date"]
    ]


def solve_nearest_bin(tools, params):
    bins = [b for b in tools.get_sku(sku=params["sku"])["bins"] if b["qty"] > 0]
    if params["use_tool"]:
        return min(bins, key=lambda b: tools.walking_distance(from_bin="DOCK", to_bin=b["bin"])["metres"])["bin"]
    return min(bins, key=lambda b: 3 * b["bay"] if b["aisle"] == 1 else 4 * (b["aisle"] - 1) + 3 * b["bay"])["bin"]


def solve_open_units(tools, params):
    total = 0
    for o in tools.list_orders(status="open", customer=params["customer"]):
        total += sum(line["qty"] - line["picked"] for line in tools.get_order(ref=o["ref"])["lines"])
    return total


def solve_pick_line(tools, params):
    cutoff = cutoff_date(tools, params["shelf_days"])
    line = only(tools.get_order(ref=params["order"])["lines"], sku=params["sku"])
    lots, _ = eligible(tools, params["sku"], "pick", cutoff)
    pick_fefo(tools, params["order"], params["sku"], line["qty"] - line["picked"], lots)
    return f"Picked the {params['sku']} line of {params['order']}"


def solve_refill_bin(tools, params):
    cutoff = cutoff_date(tools, params["shelf_days"])
    b = tools.get_bin(code=params["bin"])
    lots, _ = eligible(tools, b["slotted_sku"], "reserve", cutoff)
    qty = fill(tools, b["slotted_sku"], b, lots, params)
    return f"Moved {qty} units of lot {lots[0]['lot']} into {b['code']}"


def solve_cycle_count(tools, params):
    done = tools.record_count(bin=params["bin"], counted_qty=params["counted"])
    return done["difference"] < 0  # the system showed more than was counted


def solve_refill_aisle(tools, params):
    cutoff = cutoff_date(tools, params["shelf_days"])
    moved = []
    for b in tools.list_bins(aisle=params["aisle"], kind="pick", empty_only=True):
        if not b["slotted_sku"]:
            continue
        lots, _ = eligible(tools, b["slotted_sku"], "reserve", cutoff)
        if lots:
            fill(tools, b["slotted_sku"], b, lots, params)
            moved.append(b["code"])
    return f"Refilled {', '.join(moved)}"


def solve_fulfil(tools, params):
    cutoff = cutoff_date(tools, params["shelf_days"])
    orders = [tools.get_order(ref=ref) for ref in params["orders"]]
    need = {}
    for order in orders:
        for line in order["lines"]:
            need[line["sku"]] = need.get(line["sku"], 0) + line["qty"] - line["picked"]
    for sku, units in need.items():  # first refill the empty pick face of every SKU the faces cannot cover
        lots, info = eligible(tools, sku, "pick", cutoff)
        if sum(lot["qty"] for lot in lots) < units:
            reserve, _ = eligible(tools, sku, "reserve", cutoff)
            fill(tools, sku, only([b for b in info["bins"] if b["kind"] == "pick" and b["qty"] == 0]), reserve, params)
    for order in orders:
        for line in order["lines"]:
            lots, _ = eligible(tools, line["sku"], "pick", cutoff)
            pick_fefo(tools, order["ref"], line["sku"], line["qty"] - line["picked"], lots)
        tools.ship_order(ref=order["ref"])
    return f"Shipped {', '.join(params['orders'])}"
