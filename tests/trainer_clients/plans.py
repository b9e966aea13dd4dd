"""Scripts for the trainer adapter tests: a task's stored reference trajectory as the assistant turns a model
would generate, and wrong versions of it. A turn is {"tool_calls": [{"name", "arguments"}]} or {"content": text}."""

from __future__ import annotations

import json
from typing import Any


def reference_turns(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The assistant turns of a stored trajectory."""
    turns = []
    for m in messages:
        if m["role"] != "assistant":
            continue
        if m.get("tool_calls"):
            turns.append(
                {
                    "tool_calls": [
                        {"name": c["function"]["name"], "arguments": json.loads(c["function"]["arguments"] or "{}")}
                        for c in m["tool_calls"]
                    ]
                }
            )
        else:
            turns.append({"content": m.get("content") or ""})
    return turns


def _expected_number(answer_spec: dict[str, Any] | None) -> int | None:
    value = (answer_spec or {}).get("value")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def wrong_at_once(answer_spec: dict[str, Any] | None, answer_mode: str) -> list[dict[str, Any]]:
    """A wrong episode that differs from the reference from its first turn: a number off by one, submitted or
    said, without looking; or, for a task judged on its writes, "done" with no write made."""
    n = _expected_number(answer_spec)
    if n is None:
        return [{"content": "Done."}]
    if answer_mode == "tool":
        return [{"tool_calls": [{"name": "submit_answer", "arguments": {"answer": n + 1}}]}, {"content": "Done."}]
    return [{"content": f"The answer is {n + 1}."}]


def wrong_late(messages: list[dict[str, Any]], answer_spec: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The reference made wrong at its end: its number off by one, or its last write skipped."""
    turns = reference_turns(messages)
    n = _expected_number(answer_spec)
    if n is not None:
        for turn in turns:
            for call in turn.get("tool_calls") or []:
                if call["name"] == "submit_answer":
                    call["arguments"] = {"answer": n + 1}
        if "content" in turns[-1]:
            turns[-1] = {"content": f"The answer is {n + 1}."}
        return turns
    writes = [
        (i, j) for i, t in enumerate(turns) for j, c in enumerate(t.get("tool_calls") or []) if c["name"] == "set_tag"
    ]
    i, j = writes[-1]
    del turns[i]["tool_calls"][j]
    if not turns[i]["tool_calls"]:
        del turns[i]
    return turns
