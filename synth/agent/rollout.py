"""The rollout loop shared by every agent: ask, execute tool calls in the sandbox, feed results back."""

from __future__ import annotations

import time
from typing import Any

from pydantic import BaseModel, Field

from synth.agent.base import Agent, AgentError
from synth.env.session import EnvSession
from synth.model.usage import Usage
from synth.sandbox import SandboxError
from synth.task import SUBMIT_ANSWER, TaskSpec

# finish reasons that say nothing of the task
INFRASTRUCTURE_FAILURES = {"model_error", "sandbox_error", "internal_error"}


class Rollout(BaseModel):
    messages: list[dict[str, Any]]
    answer: str | None
    turns: int
    tool_calls: int
    finish_reason: str  # answer | submitted | ended | max_turns | agent_error | sandbox_error | an agent's reason
    error: str | None = None
    duration_s: float = 0.0
    usage: Usage | None = None  # model policies: tokens, calls, retries, latency
    faults: list[str] = Field(default_factory=list)  # survived faults: tool errors, retries, server quirks


def run_rollout(env: EnvSession, task: TaskSpec, agent: Agent, *, max_turns: int = 40) -> Rollout:
    start = time.monotonic()
    env.reset(
        task.tool_names, task.extra_tools, answer_schema=task.answer_schema if task.answer_mode == "tool" else None
    )
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": task.system_prompt},
        {"role": "user", "content": task.instruction},
    ]
    tools = list(task.tools)
    n_calls = 0
    tool_faults: list[str] = []

    def finish(answer: str | None, reason: str, turns: int, error: str | None = None) -> Rollout:
        return Rollout(
            messages=messages,
            answer=answer,
            turns=turns,
            tool_calls=n_calls,
            finish_reason=reason,
            error=error,
            duration_s=round(time.monotonic() - start, 4),
            usage=getattr(agent, "usage", None),
            faults=list(getattr(agent, "faults", [])) + tool_faults,
        )

    for turn in range(1, max_turns + 1):
        try:
            message = agent.act(messages, tools)
        except AgentError as exc:
            return finish(None, getattr(exc, "reason", "agent_error"), turn, str(exc))
        messages.append(message)
        tool_calls = message.get("tool_calls") or []
        if not tool_calls:
            return finish(message.get("content") or None, "answer", turn)
        for call in tool_calls:
            n_calls += 1
            try:
                result = env.call_tool(call["function"]["name"], call["function"]["arguments"])
            except SandboxError as exc:  # the caller restarts the sandbox; the partial rollout goes with it
                exc.rollout = finish(None, "sandbox_error", turn, str(exc))
                raise
            if not result.ok:
                tool_faults.append(f"tool_error:{call['function']['name']}")
            messages.append({"role": "tool", "tool_call_id": call["id"], "content": result.content})
            if result.ended:  # an answer was submitted, or the conversation handed off
                submitted = call["function"]["name"] == SUBMIT_ANSWER
                return finish(
                    call["function"]["arguments"] if submitted else None, "submitted" if submitted else "ended", turn
                )
    return finish(None, "max_turns", max_turns, f"no final answer after {max_turns} turns")
