"""The environment server used for task validation: an EnvService that also validates a whole task in one
call (synth.validation.gate), with the solution in an interpreter of its own."""

from __future__ import annotations

from synth.env.service import EnvService
from synth.task import TaskSpec
from synth.validation.gate import Gate
from synth.validation.plans import Call
from synth.validation.solution import SolutionProcess


class ValidationService(EnvService):
    def __init__(self) -> None:
        super().__init__()
        self.solutions = SolutionProcess()
        self.gate: Gate | None = None

    def rpc_load(self, folder: str, seed: int, instance: str | None = None, build_seed: int | None = None) -> dict:
        info = super().rpc_load(folder, seed, instance, build_seed)
        self.gate = Gate(self, self.solutions)
        return info

    def rpc_validate(
        self, task: dict, mode: str = "text", max_turns: int = 40, earlier_writes: list[dict] = ()
    ) -> dict:
        return self.gate.validate(
            TaskSpec.model_validate(task),
            mode=mode,
            max_turns=max_turns,
            earlier_writes=[Call(**c) for c in earlier_writes],
        ).model_dump(mode="json")
