"""State checks for what a declaration of effects cannot say by itself."""

import json

from synth_verifiers.state import diff_table


def check_sources(outcome, params):
    """Every newly saved result names the datasets params["sources"] among its sources (the cite_sources rule;
    naming more is allowed)."""
    added, _, _ = diff_table(outcome.initial, outcome.db, "results")
    reasons = [
        f"result {r['name']!r} cites {json.loads(r['sources'] or '[]')}, not {params['sources']}"
        for r in added
        if not set(params["sources"]) <= set(json.loads(r["sources"] or "[]"))
    ]
    return not reasons, reasons
