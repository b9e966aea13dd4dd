"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""

from synth.env import only

from .world import TODAY


def fresh_stock(tools, kind, cutoff, min_ram=0):
    """In-stock devices of a kind that are not due for refresh (and have at least `min_ram` GB), newest first."""
    stock = tools.search_devices(kind=kind, status="in_stock", min_ram_gb=min_ram or None)
    return sorted((d for d in stock if d["purchase_date"] >= cutoff), key=lambda d: d["purchase_date"], reverse=True)


def cheapest_model(tools, kind, min_ram=0):
    return min((m for m in tools.list_models(kind=kind) if m["ram_gb"] >= min_ram), key=lambda m: m["price"])


def spend_limit(dept, reserve):
    """How much more a department may spend under the budget policy."""
    return round((dept["budget"] * 0.9 if reserve else dept["budget"]) - dept["spent"], 2)


def solve_device_holder(tools, params):
    return tools.get_device(asset_tag=params["tag"])["holder_name"]


def solve_warranty_end(tools, params):
    return tools.get_device(asset_tag=params["tag"])["warranty_end"]


def solve_free_seats(tools, params):
    lic = only(tools.list_licences(), product=params["product"])
    return lic["seats"] - lic["used"]


def solve_refresh_count(tools, params):
    return len(tools.search_devices(kind=params["kind"], department=params["dept"], purchased_before=params["cutoff"]))


def solve_oldest_device(tools, params):
    devices = tools.search_devices(kind=params["kind"], department=params["dept"])
    return min(devices, key=lambda d: d["purchase_date"])["holder_name"]


def solve_expiring_licences(tools, params):
    return [x["product"] for x in tools.list_licences() if TODAY <= x["expiry"] < params["date"]]


def solve_spend_room(tools, params):
    return spend_limit(only(tools.list_departments(), name=params["dept"]), params["reserve"])


def solve_assign_newest(tools, params):
    best = fresh_stock(tools, params["kind"], params["cutoff"])[0]
    tools.assign_device(asset_tag=best["asset_tag"], email=params["email"])
    return f"Assigned {best['asset_tag']}"


def solve_repair_or_retire(tools, params):
    d = tools.get_device(asset_tag=params["tag"])
    if d["warranty_end"] >= TODAY:
        tools.open_repair(asset_tag=params["tag"], vendor=d["maker"], issue=params["issue"])
        return f"Sent to {d['maker']} under warranty"
    if d["purchase_date"] < params["cutoff"]:
        if d["holder"]:
            tools.unassign_device(asset_tag=params["tag"])
        tools.retire_device(asset_tag=params["tag"])
        return "Retired: out of warranty and due for refresh"
    vendor = min((v for v in tools.list_vendors() if v["rating"] >= params["min_rating"]), key=lambda v: v["fee"])
    tools.open_repair(asset_tag=params["tag"], vendor=vendor["name"], issue=params["issue"])
    return f"Sent to {vendor['name']}"


def solve_grant_seat(tools, params):
    lic = tools.get_licence(product=params["product"])
    if lic["used"] >= lic["seats"]:
        dept = tools.get_employee(email=params["email"])["department"]
        tools.add_licence_seats(product=params["product"], count=1, department=dept)
    tools.assign_licence(product=params["product"], email=params["email"])
    return "Seat assigned"


def solve_onboard(tools, params):
    dept = tools.get_employee(email=params["email"])["department"]
    for kind in (params["kind_a"], params["kind_b"]):
        stock = fresh_stock(tools, kind, params["cutoff"])
        if stock:
            tag = stock[0]["asset_tag"]
        else:
            tag = tools.purchase_device(model=cheapest_model(tools, kind)["name"], department=dept)["asset_tag"]
        tools.assign_device(asset_tag=tag, email=params["email"])
    tools.assign_licence(product=params["product"], email=params["email"])
    return "Onboarded"


def solve_offboard(tools, params):
    person = tools.get_employee(email=params["email"])
    for d in person["devices"]:
        if d["status"] == "in_repair":
            continue
        tools.unassign_device(asset_tag=d["asset_tag"])
        if d["purchase_date"] < params["cutoff"]:
            tools.retire_device(asset_tag=d["asset_tag"])
    for product in person["licences"]:
        tools.revoke_licence(product=product, email=params["email"])
    if params["product"] in person["licences"]:
        tools.assign_licence(product=params["product"], email=params["colleague"])
    return "Offboarded"


def solve_licence_rollout(tools, params):
    lic = tools.get_licence(product=params["product"])
    have = {h["email"] for h in lic["holders"]}
    leavers = [h["email"] for h in lic["holders"] if h["status"] == "leaving"]
    for email in leavers:
        tools.revoke_licence(product=params["product"], email=email)
    need = [
        e["email"] for e in tools.find_employees(department=params["dept"], status="active") if e["email"] not in have
    ]
    free = lic["seats"] - lic["used"] + len(leavers)
    if len(need) > free:
        tools.add_licence_seats(product=params["product"], count=len(need) - free, department=params["dept"])
    for email in need:
        tools.assign_licence(product=params["product"], email=email)
    return f"{len(need)} seats assigned"


def solve_refresh_wave(tools, params):
    room = spend_limit(only(tools.list_departments(), name=params["dept"]), params["reserve"])
    active = {e["email"] for e in tools.find_employees(department=params["dept"], status="active")}
    due = sorted(
        (
            x
            for x in tools.search_devices(
                kind=params["kind"], department=params["dept"], purchased_before=params["cutoff"]
            )
            if x["status"] == "in_use" and x["holder"] in active
        ),
        key=lambda x: x["purchase_date"],
    )
    stock = [x["asset_tag"] for x in fresh_stock(tools, params["kind"], params["cutoff"], params["ram"])]
    model = cheapest_model(tools, params["kind"], params["ram"])
    done = 0
    for old in due:
        if stock:
            tag = stock.pop(0)
        elif model["price"] <= room + 1e-9:
            tag = tools.purchase_device(model=model["name"], department=params["dept"])["asset_tag"]
            room -= model["price"]
        else:
            break
        tools.unassign_device(asset_tag=old["asset_tag"])
        tools.retire_device(asset_tag=old["asset_tag"])
        tools.assign_device(asset_tag=tag, email=old["holder"])
        done += 1
    return f"Replaced {done} devices"


def solve_team_onboard(tools, params):
    hires = [e for e in tools.find_employees(department=params["dept"], status="active") if e["devices"] == 0]
    lic = tools.get_licence(product=params["product"])
    have = {h["email"] for h in lic["holders"]}
    need_seat = [h["email"] for h in hires if h["email"] not in have]
    stock = [x["asset_tag"] for x in fresh_stock(tools, params["kind"], params["cutoff"])]
    model = cheapest_model(tools, params["kind"])
    extra = max(0, len(need_seat) - (lic["seats"] - lic["used"]))
    if extra:
        tools.add_licence_seats(product=params["product"], count=extra, department=params["dept"])
    for h in hires:
        tag = (
            stock.pop(0)
            if stock
            else tools.purchase_device(model=model["name"], department=params["dept"])["asset_tag"]
        )
        tools.assign_device(asset_tag=tag, email=h["email"])
    for email in need_seat:
        tools.assign_licence(product=params["product"], email=email)
    return f"Onboarded {len(hires)} people"
