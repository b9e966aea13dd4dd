"""State checks for what a declaration of effects cannot say by itself."""

from synth_verifiers.state import column_deltas, diff_table, table_rows, unchanged


def verify_yes_no(outcome, params):
    from verifiers.answers import yes_no

    ok = yes_no(outcome.answer) is params["expected"]
    return ok, [] if ok else [f"expected {'yes' if params['expected'] else 'no'}, got {outcome.answer!r}"]


def verify_circulation(outcome, params):
    """The member's loans returned/renewed/added, holds placed or readied and payments match `params` exactly."""
    import datetime as dt

    from verifiers.state import diff_table, unchanged

    reasons = []
    mid, today = params["member_id"], params["today"]
    loans_new, loans_gone, loans_changed = diff_table(outcome.initial, outcome.db, "loans")
    before = {l["id"]: l for l in outcome.initial_rows("SELECT * FROM loans")}
    want_changed = {str(i) for i in params["returned"]} | set(params["renewed"])
    if loans_gone or {str(l["id"]) for l in loans_changed} != want_changed:
        return False, [f"expected loans {sorted(want_changed)} to change; changed "
                       f"{sorted(l['id'] for l in loans_changed)}, removed {len(loans_gone)}"]
    for loan in loans_changed:
        old = before[loan["id"]]
        if str(loan["id"]) in params["renewed"]:
            want = {**old, "due_on": params["renewed"][str(loan["id"])], "renewals": old["renewals"] + 1}
        else:
            late = max(0, (dt.date.fromisoformat(today) - dt.date.fromisoformat(old["due_on"])).days)
            want = {**old, "returned_on": today, "fine": round(min(10.0, 0.25 * late), 2)}
        if loan != want:
            reasons.append(f"loan {loan['id']} is {loan}, expected {want}")
    copies_before = {c["id"]: c for c in outcome.initial_rows("SELECT * FROM copies")}
    ready_for = {h["id"]: h for h in outcome.initial_rows("SELECT * FROM holds WHERE member_id = ? AND status = "
                                                          "'ready'", mid)}
    got_books = {}
    for loan in loans_new:
        copy = copies_before.get(loan["copy_id"])
        ok_copy = copy is not None and (copy["status"] == "available" or any(
            h["copy_id"] == copy["id"] for h in ready_for.values()))
        if loan["member_id"] != mid or not ok_copy or loan["returned_on"] is not None:
            reasons.append(f"new loan {loan['id']} is not a loan of an available copy to member {mid}")
            continue
        if params["branch_id"] is not None and copy["branch_id"] != params["branch_id"]:
            reasons.append(f"copy {copy['id']} is not from the requested branch")
        got_books[str(copy["book_id"])] = loan["due_on"]
        if loan["loaned_on"] != today or loan["renewals"] != 0:
            reasons.append(f"new loan {loan['id']} has wrong dates or renewals")
    if got_books != params["borrowed"]:
        reasons.append(f"new loans (book: due) {got_books}, expected {params['borrowed']}")
    holds_new, holds_gone, holds_changed = diff_table(outcome.initial, outcome.db, "holds")
    placed = sorted(h["book_id"] for h in holds_new)
    if placed != sorted(params["holds"]) or holds_gone:
        reasons.append(f"new holds on books {placed}, expected {sorted(params['holds'])}")
    for h in holds_new:
        if (h["member_id"], h["branch_id"], h["status"], h["placed_on"]) != (mid, params["branch_id"], "waiting", today):
            reasons.append(f"hold {h['id']} is not a waiting hold of member {mid} at the pickup branch")
    for h in holds_changed:
        if str(h["id"]) in params["ready"]:
            if (h["status"], h["copy_id"]) != ("ready", params["ready"][str(h["id"])]):
                reasons.append(f"hold {h['id']} should be ready with copy {params['ready'][str(h['id'])]}")
        elif not (h["id"] in ready_for and h["status"] == "fulfilled"):
            reasons.append(f"hold {h['id']} changed unexpectedly")
    if not set(params["ready"]) <= {str(h["id"]) for h in holds_changed}:
        reasons.append(f"holds {sorted(params['ready'])} should have received the returned copies")
    ready_copies = set(params["ready"].values())
    for cid, copy in {c["id"]: c for c in outcome.rows("SELECT * FROM copies")}.items():
        old = copies_before[cid]["status"]
        lent_now = any(l["copy_id"] == cid for l in loans_new)
        returned = any(str(l["id"]) in {str(i) for i in params["returned"]} and l["copy_id"] == cid
                       for l in loans_changed)
        want = "on_loan" if lent_now else ("held" if cid in ready_copies else "available") if returned else old
        if copy["status"] != want:
            reasons.append(f"copy {cid} is {copy['status']}, expected {want}")
    pays, pays_gone, pays_changed = diff_table(outcome.initial, outcome.db, "payments")
    paid = round(sum(p["amount"] for p in pays), 2)
    if pays_gone or pays_changed or any(p["member_id"] != mid for p in pays) or abs(paid - params["paid"]) > 0.005:
        reasons.append(f"payments total {paid}, expected {params['paid']}")
    members_new, _, members_changed = diff_table(outcome.initial, outcome.db, "members")
    fines_added = sum(l["fine"] for l in loans_changed if l["returned_on"])
    start = outcome.initial_rows("SELECT fines_owed FROM members WHERE id = ?", mid)[0]["fines_owed"]
    final = outcome.rows("SELECT fines_owed FROM members WHERE id = ?", mid)[0]["fines_owed"]
    if members_new or [m["id"] for m in members_changed if m["id"] != mid] or \
            abs(final - (start + fines_added - paid)) > 0.011:
        reasons.append(f"member balances changed wrongly: fines now {final}")
    if other := unchanged(outcome.initial, outcome.db, ["books", "branches", "library"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons
