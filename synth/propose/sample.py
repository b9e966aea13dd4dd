"""A sample of an environment's data for the proposing model, fetched through its own read tools
inside the sandbox (the model never sees the database itself)."""

from __future__ import annotations

from typing import Any

from synth.env.session import EnvSession

PER_TOOL_CHARS = 1500
TOTAL_CHARS = 8000


def data_sample(env: EnvSession) -> list[dict[str, Any]]:
    """`{"call", "result"}` for each read tool that needs no arguments, results cut to size."""
    env.reset()
    out: list[dict[str, Any]] = []
    used = 0
    try:
        for schema in env.info.tools:
            fn = schema["function"]
            if env.info.tool_kinds.get(fn["name"]) != "read" or fn.get("parameters", {}).get("required"):
                continue
            result = env.call_tool(fn["name"], {})
            if not result.ok:
                continue
            text = (
                result.content if len(result.content) <= PER_TOOL_CHARS else result.content[:PER_TOOL_CHARS] + " …[cut]"
            )
            if used + len(text) > TOTAL_CHARS:
                break
            used += len(text)
            out.append({"call": f"{fn['name']}()", "result": text})
    finally:
        env.reset()
    return out
