"""The @tool decorator: an OpenAI function schema from type hints and docstring, validated calls."""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from typing import Any, Callable, Literal, get_type_hints

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model
from pydantic.errors import PydanticUserError

ToolKind = Literal["read", "write", "compute", "handoff"]
TOOL_KINDS = ("read", "write", "compute", "handoff")  # compute: no state at all; handoff: to a human, ends the episode
TOOL_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
TOOL_MARK = "__synth_tool__"


class ToolDefinitionError(TypeError):
    """A tool whose signature cannot become an OpenAI function schema."""


class ContractError(Exception):
    """A tool did what its kind rules out (a read or compute tool that changed the database): a template bug."""


class ToolArgumentError(ValueError):
    """Arguments that do not fit the tool's schema; the message is meant for the agent."""


@dataclass(frozen=True)
class ToolSpec:
    name: str
    kind: ToolKind
    description: str
    function: Callable[..., Any]
    arguments: type[BaseModel]
    schema: dict
    ends_episode: bool = False  # a successful call ends the episode (a hand-off)

    def schema_named(self, name: str) -> dict:
        """The schema under another name (a variant may rename a tool)."""
        return {**self.schema, "function": {**self.schema["function"], "name": name}}

    def validate(self, arguments: Any) -> dict:
        if not isinstance(arguments, dict):
            raise ToolArgumentError(f"arguments must be a JSON object, got {type(arguments).__name__}")
        try:
            parsed = self.arguments.model_validate(arguments)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: {e['msg']}" for e in exc.errors()
            )
            raise ToolArgumentError(f"invalid arguments ({problems})") from None
        return {name: getattr(parsed, name) for name in self.arguments.model_fields}


def tool(kind: ToolKind = "read", *, name: str | None = None, ends_episode: bool | None = None):
    """Mark a method of an EnvTemplate as a tool. `kind`: read (looks state up), write (changes it), compute
    (touches no state) or handoff (passes the conversation on, e.g. to a human). A successful call of a tool that
    `ends_episode` (by default: the handoff kind) ends the episode."""
    if kind not in TOOL_KINDS:
        raise ToolDefinitionError(f"tool kind must be one of {', '.join(TOOL_KINDS)}, not {kind!r}")

    def mark(fn):
        setattr(fn, TOOL_MARK, (kind, name or fn.__name__, kind == "handoff" if ends_episode is None else ends_episode))
        return fn

    return mark


LIST_ITEM = re.compile(r"^\s*([-*•]|\d+[.)])\s")


def _description(text: str) -> str:
    """A docstring's description as the agent reads it: wrapped lines joined, paragraphs and list items kept."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = []
        for line in block.splitlines():
            if lines and not LIST_ITEM.match(line):
                lines[-1] += " " + line.strip()
            else:
                lines.append(line.rstrip())
        paragraphs.append(
            "\n".join(" ".join(line.split()) if not LIST_ITEM.match(line) else line.strip() for line in lines)
        )
    return "\n\n".join(paragraphs)


def _docstring_parts(doc: str) -> tuple[str, dict[str, str]]:
    """Description and per-argument descriptions from a Google-style docstring."""
    doc = inspect.cleandoc(doc or "")
    summary, _, rest = doc.partition("\nArgs:")
    args: dict[str, str] = {}
    current = None
    for line in rest.splitlines():
        match = re.match(r"^\s{2,}(\w+)(?:\s*\([^)]*\))?:\s*(.*)$", line)
        if match:
            current = match.group(1)
            args[current] = match.group(2).strip()
        elif re.match(r"^\S", line):
            break
        elif current and line.strip():
            args[current] += " " + line.strip()
    return _description(summary), args


def _inline_refs(node: Any, defs: dict) -> Any:
    """Resolve $ref and drop pydantic's generated titles (property *names* called "title" stay)."""
    if isinstance(node, dict):
        if "$ref" in node:
            return _inline_refs(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
        out = {}
        for key, value in node.items():
            if key in ("title", "$defs"):
                continue
            if key == "properties" and isinstance(value, dict):
                out[key] = {name: _inline_refs(sub, defs) for name, sub in value.items()}
            else:
                out[key] = _inline_refs(value, defs)
        return out
    if isinstance(node, list):
        return [_inline_refs(v, defs) for v in node]
    return node


def build_tool_spec(fn: Callable[..., Any], kind: ToolKind, name: str, ends_episode: bool = False) -> ToolSpec:
    where = f"tool {name!r} ({fn.__qualname__})"
    if not TOOL_NAME.match(name):
        raise ToolDefinitionError(f"{where}: name must match {TOOL_NAME.pattern}")
    summary, arg_docs = _docstring_parts(fn.__doc__ or "")
    if not summary:
        raise ToolDefinitionError(f"{where}: add a docstring; its first paragraph is what the agent reads")
    try:
        hints = get_type_hints(fn)
    except Exception as exc:
        raise ToolDefinitionError(f"{where}: type hints cannot be resolved ({exc})") from None
    fields: dict[str, Any] = {}
    required: list[str] = []
    for i, param in enumerate(inspect.signature(fn).parameters.values()):
        if i == 0 and param.name == "self":
            continue
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD, param.POSITIONAL_ONLY):
            raise ToolDefinitionError(f"{where}: parameter {param.name!r} must be a plain named parameter")
        if param.name not in hints:
            raise ToolDefinitionError(f"{where}: parameter {param.name!r} needs a type hint")
        default = ... if param.default is param.empty else param.default
        if default is ...:
            required.append(param.name)
        fields[param.name] = (hints[param.name], Field(default, description=arg_docs.get(param.name)))
    try:
        model = create_model(f"{name}_arguments", __config__=ConfigDict(extra="forbid"), **fields)
        raw = model.model_json_schema()
    except (PydanticUserError, TypeError, ValueError) as exc:
        raise ToolDefinitionError(f"{where}: its signature has no JSON schema ({exc}); use JSON types") from None
    parameters = _inline_refs(raw, raw.get("$defs", {}))
    parameters.setdefault("properties", {})
    parameters["required"] = required
    parameters["additionalProperties"] = False
    schema = {"type": "function", "function": {"name": name, "description": summary, "parameters": parameters}}
    return ToolSpec(
        name=name,
        kind=kind,
        description=summary,
        function=fn,
        arguments=model,
        schema=schema,
        ends_episode=ends_episode,
    )


def collect_tools(cls: type) -> dict[str, ToolSpec]:
    specs: dict[str, ToolSpec] = {}
    for attr in dir(cls):
        fn = getattr(cls, attr, None)
        mark = getattr(fn, TOOL_MARK, None)
        if mark is None:
            continue
        kind, name, ends_episode = mark
        if name in specs:
            raise ToolDefinitionError(f"{cls.__name__}: two tools are named {name!r}")
        specs[name] = build_tool_spec(fn, kind, name, ends_episode)
    return dict(sorted(specs.items()))
