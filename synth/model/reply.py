"""Turning a server's reply into the assistant message we store, surviving known server faults.

Faults handled (each is recorded by name, none is fatal here):
- tool calls left as DSML markup in `content` (or in the reasoning): parsed as a fallback;
- arguments sent as an object instead of a JSON string, or not valid JSON (the environment answers
  the model with an error), calls to tools that were not offered, calls without ids;
- a `</think>` in the reasoning with the answer after it: split;
- empty content with all text in the reasoning: without thinking the text *is* the answer; with
  thinking the reply carries no answer and the caller samples again.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, Field

from synth.model import dsml

THINK_END = "</think>"


class Reply(BaseModel):
    message: dict[str, Any]  # role, content, reasoning_content, tool_calls
    faults: list[str] = Field(default_factory=list)
    usable: bool = True  # False: neither an answer nor a tool call; sample again


def _reasoning(raw: dict[str, Any], fields: tuple[str, ...]) -> str | None:
    for name in (*fields, "reasoning_content", "reasoning"):
        value = raw.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return None


def _calls(raw_calls: list[dict[str, Any]], offered: set[str], faults: list[str], first_id: int) -> list[dict]:
    calls = []
    for n, c in enumerate(raw_calls):
        fn = c.get("function") or {}
        name, arguments = str(fn.get("name") or ""), fn.get("arguments")
        if not isinstance(arguments, str):
            faults.append("arguments_not_a_string")
            arguments = json.dumps(arguments if arguments is not None else {})
        try:
            json.loads(arguments or "{}")
        except json.JSONDecodeError:
            faults.append(f"invalid_json_arguments:{name}")
        if name not in offered:
            faults.append(f"unknown_tool:{name}")
        call_id = c.get("id") or f"call_{first_id + n}"
        if not c.get("id"):
            faults.append("tool_call_without_id")
        calls.append({"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}})
    return calls


def normalize_reply(
    raw: dict[str, Any], *, reasoning_fields: tuple[str, ...], offered: set[str], thinking: bool, call_number: int
) -> Reply:
    """`raw` is choices[0].message as a dict; `call_number` keeps generated call ids unique per rollout."""
    faults: list[str] = []
    content = raw.get("content") if isinstance(raw.get("content"), str) else None
    reasoning = _reasoning(raw, reasoning_fields)
    calls = _calls(raw.get("tool_calls") or [], offered, faults, call_number)

    if not content and reasoning and THINK_END in reasoning:
        reasoning, _, content = reasoning.partition(THINK_END)
        faults.append("answer_inside_reasoning")
    if not calls:
        for where, text in (("content", content), ("reasoning", reasoning)):
            if dsml.has_markup(text):
                found, rest = dsml.parse_calls(text)
                if found:
                    faults.append(f"dsml_in_{where}")
                    calls = _calls([{"function": f} for f in found], offered, faults, call_number)
                    if where == "content":
                        content = rest
                    else:
                        reasoning = rest
                    break
    usable = True
    if not calls and not (content or "").strip():
        if reasoning and not thinking:
            faults.append("answer_in_reasoning_field")
            content, reasoning = reasoning, None
        else:
            faults.append("reasoning_only_reply" if reasoning else "empty_reply")
            usable = False
    message: dict[str, Any] = {
        "role": "assistant",
        "content": (content or "").strip() or None,
        "reasoning_content": (reasoning or "").strip() or None,
    }
    if calls:
        message["tool_calls"] = calls
    return Reply(message=message, faults=faults, usable=usable)
