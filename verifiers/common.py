"""Verifier programs shared by many families: pass them to `Program.of` like a family's own verifiers.

Each is self-contained (imports inside), so its stored source runs on its own inside the sandbox.
"""


def verify_number(outcome, params):
    """The answer states params["expected"] and no other number, within params["tolerance"] (default 0.01)."""
    from verifiers.answers import only_number

    tolerance = params.get("tolerance", 0.01)
    ok = only_number(outcome.answer, params["expected"], abs_tol=tolerance + 1e-9)
    return ok, [] if ok else [f"expected {params['expected']} (±{tolerance}), got {outcome.answer!r}"]


def verify_names(outcome, params):
    """The answer names exactly params["expected"] among params["candidates"]: naming every candidate fails."""
    from verifiers.answers import mentioned, mentions_exactly

    ok = outcome.answer is not None and mentions_exactly(outcome.answer, params["expected"], params["candidates"])
    found = sorted(mentioned(outcome.answer, params["candidates"] + params["expected"]))
    return ok, [] if ok else [f"expected exactly {sorted(params['expected'])}, answer names {found}"]
