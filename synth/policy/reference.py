"""The reference policy: replays a task's solution program as real tool calls through the rollout loop."""

from __future__ import annotations

import json
from typing import Any

from synth.policy.answers import format_answer
from synth.policy.base import PolicyError
from synth.sandbox import SandboxBackend, SandboxLimits
from synth.task import Program

SERVICE = "synth.policy.solution_service:SolutionService"
FAKE_WRITE_RESULT = json.dumps({"ok": True})


class SolutionRunner:
    """Host handle to the sandbox that executes solution programs (it never sees the database)."""

    def __init__(self, backend: SandboxBackend, limits: SandboxLimits):
        self.server = backend.start_server(SERVICE, limits)

    def start(self, program: Program, tool_names: dict[str, str] | None = None) -> dict:
        return self.server.call("start", {"program": program.model_dump(), "tool_names": tool_names or {}})

    def resume(self, ok: bool, content: str) -> dict:
        return self.server.call("resume", {"ok": ok, "content": content})

    def close(self) -> None:
        self.server.close()


def _tool_reply(messages: list[dict]) -> tuple[bool, str]:
    content = messages[-1].get("content") or ""
    try:
        value = json.loads(content)
    except json.JSONDecodeError:
        return True, content
    return not (isinstance(value, dict) and set(value) == {"error"}), content


class ReferencePolicy:
    """Stateful for one rollout. `drop_writes` makes it a mutant whose write calls never reach the environment."""

    name = "reference"

    def __init__(self, runner: SolutionRunner, solution: Program, *, tool_kinds: dict[str, str] | None = None,
                 tool_names: dict[str, str] | None = None, drop_writes: bool = False):
        self.runner, self.solution = runner, solution
        self.tool_kinds, self.tool_names = tool_kinds or {}, tool_names or {}
        self.drop_writes = drop_writes
        self.started = False
        self.calls = 0
        self.error: str | None = None
        self.answer_value: Any = None

    def act(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> dict[str, Any]:
        if not self.started:
            self.started = True
            event = self.runner.start(self.solution, self.tool_names)
        else:
            event = self.runner.resume(*_tool_reply(messages))
        while event["type"] == "call" and self.drop_writes and self.tool_kinds.get(event["name"]) == "write":
            event = self.runner.resume(True, FAKE_WRITE_RESULT)
        if event["type"] == "call":
            self.calls += 1
            return {
                "role": "assistant", "content": None,
                "tool_calls": [{
                    "id": f"call_{self.calls}", "type": "function",
                    "function": {"name": event["name"], "arguments": json.dumps(event["arguments"], sort_keys=True)},
                }],
            }
        if event["type"] == "answer":
            self.answer_value = event["value"]
            return {"role": "assistant", "content": format_answer(event["value"])}
        self.error = f"solution raised {event['message']}"
        raise PolicyError(self.error)
