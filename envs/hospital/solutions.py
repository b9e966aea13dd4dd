"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""

from synth.env import only


def patient_named(tools, name):
    return only(tools.find_patients(name=name), name=name)


def doctor_named(tools, name):
    return only(tools.search_doctors(), name=name)


def solve_appointment_room(tools, params):
    p = patient_named(tools, params["patient"])
    return only(tools.get_patient(patient_id=p["id"])["upcoming"], doctor=params["doctor"], date=params["date"])["room"]


def solve_open_slots(tools, params):
    doc = doctor_named(tools, params["doctor"])
    return len(tools.list_open_slots(doctor_id=doc["id"], date_from=params["date"], date_to=params["date"]))


def solve_visit_copay(tools, params):
    p = patient_named(tools, params["patient"])
    insurance = tools.get_patient(patient_id=p["id"])["insurance"]
    share = tools.get_hospital_info()["copay_share"][insurance]
    return round(doctor_named(tools, params["doctor"])["fee"] * share, 2)


def solve_cheapest_specialist(tools, params):
    docs = tools.search_doctors(specialty=params["specialty"], min_rating=params["rating"])
    return min(docs, key=lambda d: d["fee"])["name"]


def solve_valid_referrals(tools, params):
    today = tools.get_hospital_info()["today"]
    p = patient_named(tools, params["patient"])
    refs = tools.get_patient(patient_id=p["id"])["referrals"]
    return sorted({r["specialty"] for r in refs if not r["used"] and r["expires_on"] >= today})


def solve_busiest_doctor(tools, params):
    counts = {}
    for doc in tools.search_doctors(department=params["department"]):
        counts[doc["name"]] = len([s for s in tools.get_schedule(doctor_id=doc["id"]) if s["status"] == "booked"])
    return max(counts, key=counts.get)


def solve_book_primary(tools, params):
    p = patient_named(tools, params["patient"])
    info = tools.get_patient(patient_id=p["id"])
    for slot in tools.list_open_slots(doctor_id=info["primary_doctor_id"], date_from=params["date"]):
        try:  # the first slot the policy lets this patient take
            booked = tools.book_appointment(patient_id=p["id"], slot_id=slot["slot_id"], reason=params["reason"])
            return f"Booked slot {slot['slot_id']} on {booked['date']} at {booked['start']}"
        except Exception:
            continue
    return "No slot could be booked"


def solve_cancel_day(tools, params):
    p = patient_named(tools, params["patient"])
    done = [
        tools.cancel_appointment(appointment_id=a["appointment_id"])["appointment_id"]
        for a in tools.get_patient(patient_id=p["id"])["upcoming"]
        if a["date"] == params["date"]
    ]
    return f"Cancelled {done}"


def solve_reschedule_later(tools, params):
    p = patient_named(tools, params["patient"])
    appt = only(tools.get_patient(patient_id=p["id"])["upcoming"], doctor=params["doctor"], date=params["date"])
    for slot in tools.list_open_slots(doctor_id=appt["doctor_id"], date_from=params["after"]):
        if slot["date"] <= params["after"]:
            continue
        try:  # the first later slot the policy allows
            moved = tools.reschedule_appointment(appointment_id=appt["appointment_id"], slot_id=slot["slot_id"])
            return f"Moved to {moved['date']} {moved['start']}"
        except Exception:
            continue
    return "No slot could be found"


def solve_specialist_visit(tools, params):
    p = patient_named(tools, params["patient"])
    info = tools.get_patient(patient_id=p["id"])
    share = tools.get_hospital_info()["copay_share"][info["insurance"]]
    usable = [
        r
        for r in info["referrals"]
        if r["specialty"] == params["specialty"] and not r["used"] and r["expires_on"] >= params["end"]
    ]
    if not usable:
        tools.issue_referral(patient_id=p["id"], doctor_id=info["primary_doctor_id"], specialty=params["specialty"])
    for doc in tools.search_doctors(specialty=params["specialty"], min_rating=params["min_rating"]):
        if round(doc["fee"] * share, 2) > params["budget"]:
            continue
        for slot in tools.list_open_slots(doctor_id=doc["id"], date_from=params["start"], date_to=params["end"]):
            try:  # the policy decides: days taken, age, new patients, ...
                booked = tools.book_appointment(patient_id=p["id"], slot_id=slot["slot_id"], reason=params["reason"])
                return f"Booked {doc['name']} on {booked['date']} at {booked['start']}"
            except Exception:
                continue
    return "No slot could be booked"


def solve_care_plan(tools, params):
    p = patient_named(tools, params["patient"])
    info = tools.get_patient(patient_id=p["id"])
    share = tools.get_hospital_info()["copay_share"][info["insurance"]]
    old = only(info["upcoming"], date=params["cancel_date"])
    tools.cancel_appointment(appointment_id=old["appointment_id"])
    for specialty in (params["first"], params["second"]):
        usable = [
            r
            for r in info["referrals"]
            if r["specialty"] == specialty and not r["used"] and r["expires_on"] >= params["end"]
        ]
        if specialty != "general practice" and not usable:
            tools.issue_referral(patient_id=p["id"], doctor_id=info["primary_doctor_id"], specialty=specialty)
    busy = {a["date"] for a in info["upcoming"] if a["appointment_id"] != old["appointment_id"]}
    birth = info["birth_date"]
    options = {}
    for specialty in (params["first"], params["second"]):
        options[specialty] = []
        for doc in tools.search_doctors(specialty=specialty, min_rating=params["min_rating"]):
            if not doc["accepts_new"] and doc["id"] not in info["doctors_seen"]:
                continue
            for slot in tools.list_open_slots(doctor_id=doc["id"], date_from=params["start"], date_to=params["end"]):
                age = int(slot["date"][:4]) - int(birth[:4]) - (slot["date"][5:] < birth[5:])
                if slot["date"] in busy or params["minors_mornings"] and age < 12 and slot["start"] >= "12:00":
                    continue
                options[specialty].append((round(doc["fee"] * share, 2), slot))
    plans = sorted(
        (c1 + c2, s1["date"], s1["start"], s2["date"], s2["start"], s1["slot_id"], s2["slot_id"])
        for c1, s1 in options[params["first"]]
        for c2, s2 in options[params["second"]]
        if s1["date"] < s2["date"] and round(c1 + c2, 2) <= params["budget"]
    )
    for plan in plans:
        try:
            first = tools.book_appointment(patient_id=p["id"], slot_id=plan[5], reason="care plan")
        except Exception:
            continue
        try:
            tools.book_appointment(patient_id=p["id"], slot_id=plan[6], reason="care plan")
            return f"Booked slots {plan[5]} and {plan[6]}"
        except Exception:
            tools.cancel_appointment(appointment_id=first["appointment_id"])
    return "No plan fits"
