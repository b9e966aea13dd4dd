"""State checks for what a declaration of effects cannot say by itself."""

from synth_verifiers.state import table_rows


def check_claims(outcome, params):
    """Each existing claim of params["claims"] ({id: {column: value}}) ends with its own prescribed status, payout,
    adjuster and fraud flag (the declaration says which claims and columns may change; the values differ per
    claim)."""
    final = table_rows(outcome.db, "claims")
    reasons = []
    for claim_id, want in params["claims"].items():
        row = final.get(int(claim_id))
        got = {c: None if row is None else row[c] for c in want}
        if any(
            got[c] != v and not (isinstance(v, float) and isinstance(got[c], (int, float)) and abs(got[c] - v) < 0.005)
            for c, v in want.items()
        ):
            reasons.append(f"claim {claim_id} ends with {got}, expected {want}")
    return not reasons, reasons
