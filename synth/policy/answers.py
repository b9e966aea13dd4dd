"""How the reference solver states a final answer, and how a mutant gets it wrong."""

from __future__ import annotations

import json
from typing import Any


def format_answer(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, (list, tuple)):
        return ", ".join(format_answer(v) for v in value) if value else "None"
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    return str(value)


def perturb_answer(value: Any) -> Any:
    """A plausible but wrong answer of the same type."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, float):
        return round(value * 1.5 + 1.0, 2)
    if isinstance(value, str):
        return ""
    if isinstance(value, (list, tuple)):
        return list(value[:-1]) if len(value) > 1 else []
    if isinstance(value, dict) and value:
        key = sorted(value)[0]
        return {**value, key: perturb_answer(value[key])}
    return None
