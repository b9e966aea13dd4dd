"""State checks for what a declaration of effects cannot say by itself: slots whose statuses differ from row to
row, and bookings that any of several doctors and slots may satisfy."""

from synth_verifiers.state import diff_table


def check_slots(outcome, params):
    """statuses: [[slot id, status]]: exactly these slots changed, to these statuses."""
    _, _, changed = diff_table(outcome.initial, outcome.db, "slots")
    got, want = sorted([s["id"], s["status"]] for s in changed), sorted(params["statuses"])
    return got == want, [] if got == want else [f"slot changes {got} differ from the expected {want}"]


def check_visits(outcome, params):
    """New bookings of one patient. patient_id; share: the part of a fee the patient pays; visits: [{specialty,
    start, end, budget or None}], exactly the new booked appointments (a booking cancelled again within the task
    is allowed); ordered: the visits fall on increasing days in that order; total_budget: the most the visits may
    cost the patient together (or None); referrals: the specialties of the new referrals, each issued to the
    patient by their primary doctor; cancelled: the appointments cancelled (their slots reopen). Slots and
    referrals change only as those bookings and cancellations make them."""
    reasons = []
    pid = params["patient_id"]
    primary = outcome.rows("SELECT primary_doctor_id FROM patients WHERE id = ?", pid)[0]["primary_doctor_id"]
    doctors = {d["id"]: d for d in outcome.rows("SELECT id, specialty, fee FROM doctors")}
    added, _, _ = diff_table(outcome.initial, outcome.db, "appointments")
    if any(a["patient_id"] != pid or a["status"] not in ("booked", "cancelled") for a in added):
        reasons.append("an appointment was added for another patient")
    booked = sorted((a for a in added if a["status"] == "booked"), key=lambda a: (a["date"], a["start"]))
    specialties = [doctors[a["doctor_id"]]["specialty"] for a in booked]
    wanted = [v["specialty"] for v in params["visits"]]
    if sorted(specialties) != sorted(wanted):
        return False, reasons + [f"new bookings are in {specialties}, expected {wanted}"]
    by_specialty = {doctors[a["doctor_id"]]["specialty"]: a for a in booked}
    cost, days = 0.0, []
    for visit in params["visits"]:
        a = by_specialty[visit["specialty"]]
        fee = round(doctors[a["doctor_id"]]["fee"] * params["share"], 2)
        cost += fee
        days.append(a["date"])
        if not visit["start"] <= a["date"] <= visit["end"]:
            reasons.append(f"the {visit['specialty']} visit on {a['date']} is outside {visit['start']}..{visit['end']}")
        if visit["budget"] is not None and fee > visit["budget"] + 1e-9:
            reasons.append(f"the {visit['specialty']} visit costs the patient {fee}, more than {visit['budget']}")
    if params.get("total_budget") is not None and round(cost, 2) > params["total_budget"] + 1e-9:
        reasons.append(f"the visits cost the patient {round(cost, 2)}, more than {params['total_budget']}")
    if params.get("ordered") and days != sorted(set(days)):
        reasons.append(f"the visits fall on {days}, not on increasing days in the requested order")
    cancelled = {
        a["id"]: a for a in outcome.initial_rows("SELECT * FROM appointments") if a["id"] in params.get("cancelled", [])
    }
    want_slots = sorted([a["slot_id"], "booked"] for a in booked) + [[a["slot_id"], "open"] for a in cancelled.values()]
    _, _, slots = diff_table(outcome.initial, outcome.db, "slots")
    if sorted([s["id"], s["status"]] for s in slots) != sorted(want_slots):
        reasons.append(f"slot changes {sorted([s['id'], s['status']] for s in slots)} differ from {sorted(want_slots)}")
    new, _, changed = diff_table(outcome.initial, outcome.db, "referrals")
    if sorted(r["specialty"] for r in new) != sorted(params["referrals"]) or any(
        (r["patient_id"], r["issued_by"]) != (pid, primary) for r in new
    ):
        reasons.append(
            f"new referrals {[(r['specialty'], r['issued_by']) for r in new]}, expected "
            f"{params['referrals']} from the primary doctor {primary}"
        )
    used = {a["referral_id"] for a in booked} - {None}
    freed = {a["referral_id"] for a in cancelled.values()} - {None}
    if any(not (r["id"] in used and r["used"] == 1 or r["id"] in freed and r["used"] == 0) for r in changed):
        reasons.append(f"referrals {[r['id'] for r in changed]} changed beyond the bookings' use of them")
    return not reasons, reasons
