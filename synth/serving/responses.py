"""The OpenAI Responses format as NeMo Gym speaks it: flat tool definitions, the tool routes, the output items.

A NeMo Gym resources server reaches each tool at `POST /{name}`, next to its own routes `/seed_session`, `/verify`,
`/aggregate_metrics` and `/mcp`. A template tool whose name is one of those is listed (and routed) under another
name: the name plus `_tool` (`verify` -> `verify_tool`), with `_tool` added again while that name is taken by another
tool of the task. The route of the listed name reaches the real tool; every other protocol keeps the real name.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from synth.task import SUBMIT_ANSWER

RESERVED_ROUTES = frozenset({"verify", "seed_session", "aggregate_metrics", "mcp"})


def route_names(names: Iterable[str]) -> dict[str, str]:
    """{listed name: tool name} for a task's tools (see the module docstring)."""
    names = list(names)
    taken = set(names) | RESERVED_ROUTES
    routes: dict[str, str] = {}
    for name in names:
        listed = name
        if name in RESERVED_ROUTES:
            listed = f"{name}_tool"
            while listed in taken:
                listed += "_tool"
            taken.add(listed)
        routes[listed] = name
    return routes


def flat_tools(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Chat-completions tools ({"type", "function": {...}}) in the flat Responses format, under their route names."""
    listed = {name: alias for alias, name in route_names(t["function"]["name"] for t in tools).items()}
    return [
        {
            "type": "function",
            "name": listed[t["function"]["name"]],
            "description": t["function"].get("description") or "",
            "parameters": t["function"].get("parameters") or {"type": "object", "properties": {}},
            "strict": False,
        }
        for t in tools
    ]


def input_messages(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Opening chat messages as Responses input items."""
    return [{"role": m["role"], "content": m["content"]} for m in messages]


def _text(item: dict[str, Any]) -> str:
    content = item.get("content")
    if isinstance(content, str):
        return content
    parts = [
        p.get("text") or ""
        for p in content or []
        if isinstance(p, dict) and p.get("type") in ("output_text", "text", "input_text")
    ]
    return "".join(parts)


def final_text(output: list[dict[str, Any]]) -> str | None:
    """The final answer of a Responses output: the text of its last assistant message, when no tool call follows it."""
    for item in reversed(output):
        kind = item.get("type")
        if kind in ("function_call", "custom_tool_call"):
            return None
        if kind == "message" and item.get("role", "assistant") == "assistant":
            return _text(item) or None
    return None


def submitted_arguments(output: list[dict[str, Any]]) -> list[str]:
    """The arguments of every submit_answer call in a Responses output, last first."""
    calls = [
        item.get("arguments")
        for item in output
        if item.get("type") == "function_call" and item.get("name") == SUBMIT_ANSWER
    ]
    return [a if isinstance(a, str) else json.dumps(a) for a in reversed(calls) if a is not None]
