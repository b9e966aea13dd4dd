"""The verifier every task stores: its typed answer, its declared effects, then the template's own check.

`verify_task(outcome, params)` with params {"answer": answer spec, "effects": declaration, "check": {"entry",
"params"} or None}. The check is a function defined in the same stored source; it judges what a declaration
cannot say (a computed state, a predicate over rows) and returns bool, (bool, reasons) or {"passed", "reasons"}.
"""

from .answers import check_answer
from .effects import check_effects


def check_verdict(value):
    """(passed, reasons) from the usual ways a check says pass or fail."""
    if isinstance(value, bool):
        return value, []
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], bool):
        return value[0], [str(r) for r in (value[1] if isinstance(value[1], list) else [value[1]])]
    if isinstance(value, dict) and isinstance(value.get("passed"), bool):
        return value["passed"], [str(r) for r in value.get("reasons", [])]
    raise TypeError(f"a check returned {type(value).__name__}; return bool, (bool, reasons) or a dict")


def verify_task(outcome, params):
    reasons = []
    if params.get("answer"):
        reasons += check_answer(params["answer"], outcome.answer, getattr(outcome, "submitted", None))
    reasons += check_effects(outcome, params.get("effects"))
    check = params.get("check")
    if check:
        passed, more = check_verdict(globals()[check["entry"]](outcome, check["params"]))
        reasons += more if more or passed else [f"{check['entry']} failed"]
    return not reasons, reasons
