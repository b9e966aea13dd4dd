"""State checks for what a declaration of effects cannot say by itself."""

from synth_verifiers.state import diff_table


def check_seats(outcome, params):
    """The new order's tickets are seats of one allowed section of its event that were free before.

    allowed: [[event id, section id], ...], the sections the request admits (several when they tie)."""
    orders, _, _ = diff_table(outcome.initial, outcome.db, "orders")
    tickets, _, _ = diff_table(outcome.initial, outcome.db, "tickets")
    if len(orders) != 1:
        return False, [f"expected one new order, found {len(orders)}"]
    order = orders[0]
    section = {s["id"]: s["section_id"] for s in outcome.rows("SELECT id, section_id FROM seats")}
    taken = {
        t["seat_id"]
        for t in outcome.initial_rows(
            "SELECT seat_id FROM tickets WHERE event_id = ? AND status = 'active'", order["event_id"]
        )
    }
    reasons = []
    places = {(t["event_id"], section.get(t["seat_id"])) for t in tickets}
    if any(t["order_id"] != order["id"] or t["event_id"] != order["event_id"] for t in tickets):
        reasons.append("the new tickets do not all belong to the new order and its event")
    if len(places) != 1 or [*places.pop()] not in params["allowed"]:
        reasons.append(
            f"the seats are in sections {sorted(section.get(t['seat_id']) for t in tickets)}, not in "
            f"one of {params['allowed']} (event, section)"
        )
    if taken & {t["seat_id"] for t in tickets}:
        reasons.append("a seat that was already sold was sold again")
    return not reasons, reasons
