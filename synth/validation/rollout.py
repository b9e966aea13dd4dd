"""The reference rollout, inside the environment's sandbox: the solution program runs in its own interpreter and
each of its tool calls becomes an OpenAI tool call executed here, recorded exactly as the host's rollout loop
records a model's (synth.agent.rollout)."""

from __future__ import annotations

import json
import time
from typing import Any

from synth.agent.rollout import Rollout
from synth.env.service import EnvService
from synth.task import SUBMIT_ANSWER, Program, TaskSpec
from synth.validation.answers import decimals
from synth.validation.solution import SolutionFailed, SolutionProcess


def state_answer(value: Any, spec: dict | None = None) -> str:
    """How the reference solver states its answer in a final message: numbers to the places the answer asks
    for (`spec`, the task's answer), lists joined, records field by field, an empty list as "None"."""
    spec = spec or {}
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        places = decimals(spec) if spec.get("kind") == "number" else 2
        text = f"{value:.{places}f}"
        return text.rstrip("0").rstrip(".") if spec.get("tolerance") is None else text
    if isinstance(value, (list, tuple)):
        return ", ".join(state_answer(v) for v in value) if value else "None"
    if isinstance(value, dict):
        fields = spec.get("fields") or {}
        return "; ".join(f"{k.replace('_', ' ')}: {state_answer(v, fields.get(k))}" for k, v in value.items())
    return str(value)


class Episode:
    """Resets the service to a task's opening state, the same way for every replay of it."""

    def __init__(self, service: EnvService, task: TaskSpec, answer_schema: dict | None):
        self.service, self.task, self.answer_schema = service, task, answer_schema

    def reset(self) -> None:
        extra = [t.model_dump() for t in self.task.extra_tools] if self.task.extra_tools else None
        self.service.rpc_reset(self.task.tool_names, extra, self.answer_schema)


def _agent_value(reply: dict, value: Any) -> Any:
    """What the solution receives for a tool result: the value the agent reads, parsed."""
    content = reply["content"]
    if not reply["ok"]:
        try:
            return json.loads(content).get("error", content)
        except (json.JSONDecodeError, AttributeError):
            return content
    if isinstance(value, str):
        return value
    try:
        return json.loads(content)
    except json.JSONDecodeError:
        return content


def reference_rollout(
    episode: Episode,
    solutions: SolutionProcess,
    *,
    max_turns: int,
    program: Program | None = None,
    drop_writes: bool = False,
) -> tuple[Rollout, Any, str | None]:
    """(the rollout, the program's return value, why it failed or None). `drop_writes` fakes every write (a
    mutant that skips them)."""
    service, task = episode.service, episode.task
    start = time.monotonic()
    episode.reset()
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": task.system_prompt},
        {"role": "user", "content": task.instruction},
    ]
    kinds = {name: spec.kind for name, spec in service.tools.items()}
    names = {spec.name: name for name, spec in service.tools.items()}
    count = {"calls": 0, "faults": []}

    def finish(answer: str | None, reason: str, error: str | None = None) -> Rollout:
        turns = sum(m["role"] == "assistant" for m in messages)
        return Rollout(
            messages=messages,
            answer=answer,
            turns=turns,
            tool_calls=count["calls"],
            finish_reason=reason,
            error=error,
            duration_s=round(time.monotonic() - start, 4),
            faults=count["faults"],
        )

    def call(name: str, arguments: Any) -> tuple[bool, Any] | None:
        if drop_writes and kinds.get(name) == "write":
            return True, {"ok": True}
        if count["calls"] >= max_turns or service.episode.ended:
            return None
        count["calls"] += 1
        text = json.dumps(arguments, sort_keys=True)
        call_id = f"call_{count['calls']}"
        messages.append(
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [{"id": call_id, "type": "function", "function": {"name": name, "arguments": text}}],
            }
        )
        reply, value = service.call_tool(name, text)
        messages.append({"role": "tool", "tool_call_id": call_id, "content": reply["content"]})
        if not reply["ok"]:
            count["faults"].append(f"tool_error:{name}")
        return reply["ok"], _agent_value(reply, value)

    try:
        value = solutions.run(program or task.solution, names, call)
    except SolutionFailed as exc:
        if exc.reason == "stopped" and service.episode.ended:  # it handed off, then went on: the episode is over
            return finish(None, "ended"), None, None
        if exc.reason == "stopped":
            return finish(None, "max_turns", f"no final answer after {max_turns} turns"), None, "solution_error"
        return finish(None, "agent_error", str(exc)), None, exc.reason
    if service.episode.ended:  # the last call handed the conversation off: no final message
        return finish(None, "ended"), value, None
    if episode.answer_schema is None:
        text = state_answer(value, task.verifier.params.get("answer") if task.verifier.library else None)
        messages.append({"role": "assistant", "content": text})
        return finish(text or None, "answer"), value, None
    call_id = f"call_{count['calls'] + 1}"
    arguments = json.dumps({"answer": value}, sort_keys=True)
    messages.append(
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {"id": call_id, "type": "function", "function": {"name": SUBMIT_ANSWER, "arguments": arguments}}
            ],
        }
    )
    reply, _ = service.call_tool(SUBMIT_ANSWER, arguments)
    messages.append({"role": "tool", "tool_call_id": call_id, "content": reply["content"]})
    if not reply["ok"]:
        return (
            finish(
                None,
                "agent_error",
                f"the solution's answer does not fit the answer schema: {json.loads(reply['content'])['error']}",
            ),
            None,
            "solution_error",
        )
    return finish(arguments, "submitted"), value, None
