"""State checks for what a declaration of effects cannot say by itself."""

from synth_verifiers.state import column_deltas


def check_counts(outcome, params):
    """Rooms left per hotel and free seats per flight must change by exactly these amounts (rooms: {hotel id:
    change}, seats: {flight id: change}); no other hotel or flight may change."""
    reasons = []
    for table, column, key in (("hotels", "rooms", "rooms"), ("flights", "seats", "seats")):
        want = params.get(key, {})
        got = {str(k): v for k, v in column_deltas(outcome.initial, outcome.db, table, column).items()}
        if got != want:
            reasons.append(f"{column} changes {got} differ from the expected {want}")
    return not reasons, reasons
