"""Tools written for a task (by a model), compiled inside the environment's sandbox. Never on the host."""

from __future__ import annotations

import inspect
from functools import lru_cache

from synth.env.tool import ToolSpec, build_tool_spec
from synth.task import ToolSource


class ExtraToolError(ValueError):
    """A written tool that cannot be used; the message is meant for its author."""


@lru_cache(maxsize=256)
def _compile(name: str, kind: str, source: str) -> ToolSpec:
    namespace: dict = {"__name__": "synth_extra_tool"}
    try:
        exec(compile(source, f"<tool {name}>", "exec"), namespace)
    except Exception as exc:
        raise ExtraToolError(f"tool {name!r} does not compile: {type(exc).__name__}: {exc}") from None
    fn = namespace.get(name)
    if not callable(fn):
        raise ExtraToolError(f"tool source defines no function named {name!r}")
    params = list(inspect.signature(fn).parameters)[:1]
    if params != ["self"]:
        raise ExtraToolError(f"tool {name!r}: the first parameter must be `self` (the environment)")
    try:
        return build_tool_spec(fn, kind, name)
    except Exception as exc:
        raise ExtraToolError(str(exc)) from None


def compile_tools(sources: list[dict], taken: set[str]) -> dict[str, ToolSpec]:
    """Name -> spec for each written tool; a name that shadows an environment tool is refused."""
    specs: dict[str, ToolSpec] = {}
    for raw in sources:
        tool = ToolSource.model_validate(raw)
        if tool.name in taken:
            raise ExtraToolError(f"tool {tool.name!r} already exists in this environment; use it or pick another name")
        specs[tool.name] = _compile(tool.name, tool.kind, tool.source)
    return specs
