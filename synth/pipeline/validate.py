"""Task acceptance, asked of the environment's own sandbox in one call (see synth.validation.gate)."""

from __future__ import annotations

from synth.env.session import EnvSession
from synth.task import TaskSpec
from synth.validation.gate import Validation

VALIDATION_SERVICE = "synth.validation.service:ValidationService"


def validate_task(
    env: EnvSession, task: TaskSpec, *, mode: str = "text", max_turns: int = 40, earlier_writes: list[dict] = ()
) -> Validation:
    """Run the reference solution, the negative controls and the adversarial gate inside the sandbox.
    `earlier_writes`: write calls of earlier tasks' references in this environment (the gate tries them as extra
    writes); `Validation.writes` gives this task's."""
    reply = env.server.call(
        "validate",
        {
            "task": task.model_dump(mode="json"),
            "mode": mode,
            "max_turns": max_turns,
            "earlier_writes": list(earlier_writes),
        },
    )
    return Validation.model_validate(reply)
