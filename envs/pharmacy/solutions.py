"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""

import datetime as dt

from synth.env import only


def patient_named(tools, name):
    return only(tools.find_patients(name=name), name=name)


def drug_named(tools, name):
    return only(tools.search_drugs(name=name), name=name)


def in_date(batches, today, store=None):
    """Packs of usable stock among `batches` (of one store when given)."""
    return sum(
        b["quantity"]
        for b in batches
        if b["status"] == "ok" and b["expires_on"] > today and store in (None, b.get("store"))
    )


def store_units(tools, store, today):
    """In-date packs per drug id at a store."""
    units = {}
    for b in tools.list_store_batches(store=store):
        if b["status"] == "ok" and b["expires_on"] > today:
            units[b["drug_id"]] = units.get(b["drug_id"], 0) + b["quantity"]
    return units


def visit(tools, name):
    """(patient, their details, today, the start of the interaction window, their age today)."""
    today = tools.get_pharmacy_info()["today"]
    since = (dt.date.fromisoformat(today) - dt.timedelta(days=30)).isoformat()
    p = patient_named(tools, name)
    details = tools.get_patient(patient_id=p["id"])
    age = int(today[:4]) - int(details["birth_date"][:4]) - (today[5:] < details["birth_date"][5:])
    return p, details, today, since, age


def may_have(tools, patient_id, drug, since, age, params):
    """The patient is old enough for the drug and took nothing it blocks with in the interaction window."""
    recent = {x["drug_id"] for x in tools.get_patient(patient_id=patient_id)["dispensed"] if x["dispensed_on"] > since}
    return age >= drug["min_age"] and not any(
        i["drug_id"] in recent and i["severity"] in params["blocking"]
        for i in tools.check_interactions(drug_id=drug["id"])
    )


def fillable(rx, today):
    return rx["status"] == "active" and rx["valid_until"] >= today and rx["fills_left"] >= 1


def solve_stock_units(tools, params):
    today = tools.get_pharmacy_info()["today"]
    drug = drug_named(tools, params["drug"])
    return in_date(tools.get_stock(drug_id=drug["id"], store=params["store"]), today)


def solve_refills_left(tools, params):
    p = patient_named(tools, params["patient"])
    return only(tools.get_patient(patient_id=p["id"])["prescriptions"], drug=params["drug"])["fills_left"]


def solve_next_expiry(tools, params):
    today = tools.get_pharmacy_info()["today"]
    drug = drug_named(tools, params["drug"])
    return min(
        b["expires_on"]
        for b in tools.get_stock(drug_id=drug["id"], store=params["store"])
        if b["status"] == "ok" and b["expires_on"] > today and b["quantity"] > 0
    )


def solve_expiring_soon(tools, params):
    today = tools.get_pharmacy_info()["today"]
    return sorted(
        {
            b["drug"]
            for b in tools.list_store_batches(store=params["store"])
            if b["status"] == "ok" and b["quantity"] > 0 and today < b["expires_on"] <= params["until"]
        }
    )


def solve_interaction_conflict(tools, params):
    p, details, today, since, age = visit(tools, params["patient"])
    recent = {x["drug"] for x in details["dispensed"] if x["dispensed_on"] > since}
    drug = drug_named(tools, params["drug"])
    return sorted(
        i["drug"]
        for i in tools.check_interactions(drug_id=drug["id"])
        if i["severity"] == "major" and i["drug"] in recent
    )


def solve_low_stock(tools, params):
    units = store_units(tools, params["store"], tools.get_pharmacy_info()["today"])
    return [
        d["name"] for d in tools.search_drugs(category=params["category"]) if units.get(d["id"], 0) < d["reorder_level"]
    ]


def solve_stock_value(tools, params):
    today = tools.get_pharmacy_info()["today"]
    total = 0.0
    for d in tools.search_drugs(category=params["category"]):
        total += in_date(tools.get_stock(drug_id=d["id"], store=params["store"]), today) * d["unit_price"]
    return round(total, 2)


def solve_fill_prescription(tools, params):
    p = patient_named(tools, params["patient"])
    rx = only(tools.get_patient(patient_id=p["id"])["prescriptions"], drug=params["drug"])
    tools.dispense(
        patient_id=p["id"],
        drug_id=rx["drug_id"],
        store=params["store"],
        quantity=rx["packs"],
        prescription_id=rx["prescription_id"],
    )
    return f"Dispensed {rx['packs']} packs of {params['drug']}"


def solve_dispose_expired(tools, params):
    done = [
        tools.dispose_batch(batch_id=b["batch_id"])["batch_id"]
        for b in tools.list_store_batches(store=params["store"])
        if b["status"] == "ok" and b["expires_on"] <= params["cutoff"]
    ]
    return f"Disposed of {len(done)} batches"


def solve_reorder_low(tools, params):
    units = store_units(tools, params["store"], tools.get_pharmacy_info()["today"])
    open_ids = {r["drug_id"] for r in tools.list_reorders(store=params["store"]) if r["status"] == "open"}
    made = []
    for d in tools.search_drugs(category=params["category"]):
        have = units.get(d["id"], 0)
        if have < d["reorder_level"] and d["id"] not in open_ids:
            made.append(
                tools.create_reorder(store=params["store"], drug_id=d["id"], quantity=2 * d["reorder_level"] - have)[
                    "reorder_id"
                ]
            )
    return f"Created reorders {made}"


def solve_fill_all(tools, params):
    p, details, today, since, age = visit(tools, params["patient"])
    filled = []
    for rx in details["prescriptions"]:
        if not fillable(rx, today):
            continue
        drug = only(tools.search_drugs(name=rx["drug"]), id=rx["drug_id"])
        if not may_have(tools, p["id"], drug, since, age, params):
            continue
        if in_date(tools.get_stock(drug_id=drug["id"], store=params["store"]), today) >= rx["packs"]:
            tools.dispense(
                patient_id=p["id"],
                drug_id=drug["id"],
                store=params["store"],
                quantity=rx["packs"],
                prescription_id=rx["prescription_id"],
            )
            filled.append(rx["drug"])
    return f"Filled {filled}"


def solve_otc_basket(tools, params):
    p, details, today, since, age = visit(tools, params["patient"])
    sold = []
    for item in params["basket"]:
        drug = drug_named(tools, item["drug"])
        today_packs = sum(
            x["quantity"]
            for x in tools.get_patient(patient_id=p["id"])["dispensed"]
            if x["drug_id"] == drug["id"] and x["dispensed_on"] == today
        )
        stock = in_date(tools.get_stock(drug_id=drug["id"], store=params["store"]), today)
        if (
            not may_have(tools, p["id"], drug, since, age, params)
            or stock < item["packs"]
            or today_packs + item["packs"] > 3
            or params["no_minor_otc"]
            and age < 16
        ):
            continue
        tools.dispense(patient_id=p["id"], drug_id=drug["id"], store=params["store"], quantity=item["packs"])
        sold.append(item["drug"])
    return f"Sold {sold}"


def solve_fill_with_transfer(tools, params):
    p, details, today, since, age = visit(tools, params["patient"])
    transfer_from = (dt.date.fromisoformat(today) + dt.timedelta(days=29)).isoformat()
    dispensed = []
    for rx in details["prescriptions"]:
        if not fillable(rx, today):
            continue
        drug = only(tools.search_drugs(name=rx["drug"]), id=rx["drug_id"])
        if not may_have(tools, p["id"], drug, since, age, params):
            continue
        batches = tools.get_stock(drug_id=drug["id"])
        short = rx["packs"] - in_date(batches, today, params["store"])
        if short > 0:
            movable = {}
            for b in batches:
                if b["store"] != params["store"] and b["status"] == "ok" and b["expires_on"] > transfer_from:
                    movable[b["store"]] = movable.get(b["store"], 0) + b["quantity"]
            ranked = sorted(movable.items(), key=lambda kv: -kv[1])
            if not ranked or ranked[0][1] < short or len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
                continue
            tools.transfer_stock(drug_id=drug["id"], from_store=ranked[0][0], to_store=params["store"], quantity=short)
        tools.dispense(
            patient_id=p["id"],
            drug_id=drug["id"],
            store=params["store"],
            quantity=rx["packs"],
            prescription_id=rx["prescription_id"],
        )
        dispensed.append(drug)
    open_ids = {r["drug_id"] for r in tools.list_reorders(store=params["store"]) if r["status"] == "open"}
    for drug in dispensed:
        have = in_date(tools.get_stock(drug_id=drug["id"], store=params["store"]), today)
        if have < drug["reorder_level"] and drug["id"] not in open_ids:
            tools.create_reorder(store=params["store"], drug_id=drug["id"], quantity=2 * drug["reorder_level"] - have)
            open_ids.add(drug["id"])
    return f"Dispensed {[d['name'] for d in dispensed]}"
