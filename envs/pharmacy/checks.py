"""State checks for what a declaration of effects cannot say by itself: stock and fills that change by different
amounts from row to row, compared as totals per store and drug (the system, not the agent, picks the batches)."""

from synth_verifiers.state import grouped_deltas


def stock_changes(initial, final):
    """In-date-or-not usable stock change per store|drug, and fills used per prescription."""
    return {
        "stock": grouped_deltas(initial, final, "batches", ["store_id", "drug_id"], "quantity", "status = 'ok'"),
        "fills": grouped_deltas(initial, final, "prescriptions", ["id"], "fills_left"),
    }


def check_stock(outcome, params):
    """stock: {store|drug: change in packs}; fills: {prescription: change in fills left}; exactly these."""
    got = stock_changes(outcome.initial, outcome.db)
    reasons = [
        f"{key}: got {got[key]}, expected {params[key]}" for key in ("stock", "fills") if got[key] != params[key]
    ]
    return not reasons, reasons
