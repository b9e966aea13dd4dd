"""State checks for what a declaration of effects cannot say by itself."""

from synth_verifiers.state import table_rows


def check_users(outcome, params):
    """Each user of params["users"] ({id: {column: value}}) ends with those values (strikes computed per author)."""
    final = table_rows(outcome.db, "users")
    reasons = [
        f"user {uid} has {final.get(int(uid))}, expected {want}"
        for uid, want in params["users"].items()
        if any(final.get(int(uid), {}).get(c) != v for c, v in want.items())
    ]
    return not reasons, reasons
