"""The rollout loop shared by every policy: ask, execute tool calls in the sandbox, feed results back."""

from __future__ import annotations

import time
from typing import Any

from pydantic import BaseModel

from synth.env.session import EnvSession
from synth.policy.base import Policy, PolicyError
from synth.task import TaskSpec


class Rollout(BaseModel):
    messages: list[dict[str, Any]]
    answer: str | None
    turns: int
    tool_calls: int
    finish_reason: str  # answer | max_turns | policy_error
    error: str | None = None
    duration_s: float = 0.0


def run_rollout(env: EnvSession, task: TaskSpec, policy: Policy, *, max_turns: int = 40) -> Rollout:
    start = time.monotonic()
    env.reset(task.tool_names)
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": task.system_prompt},
        {"role": "user", "content": task.instruction},
    ]
    tools = list(task.tools)
    n_calls = 0

    def finish(answer: str | None, reason: str, turns: int, error: str | None = None) -> Rollout:
        return Rollout(messages=messages, answer=answer, turns=turns, tool_calls=n_calls, finish_reason=reason,
                       error=error, duration_s=round(time.monotonic() - start, 4))

    for turn in range(1, max_turns + 1):
        try:
            message = policy.act(messages, tools)
        except PolicyError as exc:
            return finish(None, "policy_error", turn, str(exc))
        messages.append(message)
        tool_calls = message.get("tool_calls") or []
        if not tool_calls:
            return finish(message.get("content") or None, "answer", turn)
        for call in tool_calls:
            n_calls += 1
            result = env.call_tool(call["function"]["name"], call["function"]["arguments"])
            messages.append({"role": "tool", "tool_call_id": call["id"], "content": result.content})
    return finish(None, "max_turns", max_turns, f"no final answer after {max_turns} turns")
