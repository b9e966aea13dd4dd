"""Executing stored programs (solutions, verifiers) inside a sandbox. Never call this on the host."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable

from synth.task import Program, Verdict


class ProgramError(RuntimeError):
    pass


@lru_cache(maxsize=512)
def _compiled(source: str, entry: str) -> Callable[..., Any]:
    namespace: dict[str, Any] = {"__name__": "synth_program"}
    exec(compile(source, f"<program {entry}>", "exec"), namespace)
    fn = namespace.get(entry)
    if not callable(fn):
        raise ProgramError(f"program defines no function {entry!r}")
    return fn


def entry_point(program: Program) -> Callable[..., Any]:
    return _compiled(program.source, program.entry)


def as_verdict(value: Any) -> Verdict:
    """Accept the usual ways a verifier says pass/fail: bool, (bool, reasons), dict or Verdict."""
    if isinstance(value, Verdict):
        return value
    if isinstance(value, bool):
        return Verdict(passed=value)
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], bool):
        reasons = value[1] if isinstance(value[1], list) else [str(value[1])]
        return Verdict(passed=value[0], reasons=[str(r) for r in reasons])
    if isinstance(value, dict) and isinstance(value.get("passed"), bool):
        return Verdict(passed=value["passed"], reasons=[str(r) for r in value.get("reasons", [])])
    return Verdict(passed=False, error=f"verifier returned {type(value).__name__}, expected bool, (bool, reasons) or dict")
