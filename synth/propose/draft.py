"""Reading a proposing model's reply: a JSON header and fenced Python blocks become a ModelDraft.

The expected reply (see templates/proposer_system.j2):

    ```json
    {"shape": "cheapest_hotel", "instruction": "...", "tools": ["list_hotels", "get_hotel"],
     "answer": {"kind": "entity", "candidates_sql": "SELECT name FROM hotels"},
     "effects": {"tables": {"bookings": {"insert": 1}}}}
    ```
    ```python expected             (unless the answer kind is none)
    def expected(db): ...          the expected answer, computed from the initial database
    ```
    ```python solution
    def solve(tools, params): ...
    ```
    ```python check                (optional: state a declaration of effects cannot express)
    def check(outcome, params): ...
    ```
    ```python tool read            (optional, repeatable: a tool the environment lacks)
    def count_hotels(self, city: str) -> int: ...
    ```

The source is only parsed here (never run): it runs in the sandboxes during validation.
"""

from __future__ import annotations

import ast
import json
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from synth.expect import Effects
from synth.task import Program, ToolSource

FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[ \t]*([^\n`]*)\n(.*?)```", re.S)
MAX_SOURCE_CHARS = 20_000
KINDS = ("none", "number", "integer", "boolean", "date", "time", "entity", "entities")
FORMAT = (
    'reply with a ```json block holding "shape", "instruction" and "answer" (and optionally "tools" and '
    '"effects"), a ```python expected block (unless the answer kind is none) and a ```python solution block'
)


class DraftFormatError(ValueError):
    """A reply that is not a usable draft; the message is sent back to the model."""


class AnswerRequest(BaseModel):
    """The answer's type as a model declares it; its value comes from the `expected` program."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str
    decimals: int | None = None
    unit: str | None = None
    ordered: bool = False
    candidates_sql: str | None = None  # the other names of the answer's kind, queried on the initial database


class ModelDraft(BaseModel):
    model_config = ConfigDict(frozen=True)

    shape: str
    instruction: str
    tools: tuple[str, ...] | None  # offered environment tools; None: all
    answer: AnswerRequest
    effects: Effects
    expected: Program | None  # computes the expected answer from the initial database
    solution: Program
    check: Program | None = None
    new_tools: tuple[ToolSource, ...] = ()


def _function(source: str, what: str, arity: int | None) -> str:
    if len(source) > MAX_SOURCE_CHARS:
        raise DraftFormatError(f"the {what} is longer than {MAX_SOURCE_CHARS} characters; keep it short")
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise DraftFormatError(f"the {what} does not parse: SyntaxError: {exc.msg} (line {exc.lineno})") from None
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    if not functions:
        raise DraftFormatError(f"the {what} block defines no top-level function")
    fn = functions[-1] if what in ("check", "expected") else functions[0]
    if arity is not None and len(fn.args.args) != arity:
        raise DraftFormatError(f"the {what} function {fn.name} must take exactly {arity} argument(s)")
    return fn.name


def _shape(value: object) -> str:
    shape = re.sub(r"[^a-z0-9_]+", "_", str(value or "").lower()).strip("_")[:48]
    return shape or "task"


def _answer(meta: dict[str, Any]) -> AnswerRequest:
    raw = meta.get("answer")
    if not isinstance(raw, dict):
        raise DraftFormatError(f'the ```json block needs "answer": {{"kind": ...}} with a kind of {", ".join(KINDS)}')
    try:
        answer = AnswerRequest.model_validate(raw)
    except ValidationError as exc:
        raise DraftFormatError(
            f'"answer" is not valid: {exc.errors()[0]["msg"]} at {".".join(map(str, exc.errors()[0]["loc"]))}'
        ) from None
    if answer.kind not in KINDS:
        raise DraftFormatError(f"answer kind {answer.kind!r} is unknown; use one of {', '.join(KINDS)}")
    return answer


def _effects(meta: dict[str, Any]) -> Effects:
    try:
        return Effects.model_validate(meta.get("effects") or {})
    except ValidationError as exc:
        raise DraftFormatError(
            f'"effects" is not valid: {exc.errors()[0]["msg"]} at '
            f'{".".join(map(str, exc.errors()[0]["loc"]))}; write {{"tables": {{"table": '
            f'{{"insert": 1, "update": ["column"], "keys": [...], "values": {{...}}}}}}}}'
        ) from None


def parse_draft(text: str) -> ModelDraft:
    blocks = [(lang.lower(), info.strip().lower(), body) for lang, info, body in FENCE.findall(text or "")]
    header = next((b for lang, _, b in blocks if lang == "json"), None)
    if header is None:
        raise DraftFormatError(f"no ```json block found; {FORMAT}")
    try:
        meta = json.loads(header)
    except json.JSONDecodeError as exc:
        raise DraftFormatError(f"the ```json block is not valid JSON ({exc})") from None
    if not isinstance(meta, dict) or not isinstance(meta.get("instruction"), str) or not meta["instruction"].strip():
        raise DraftFormatError('the ```json block needs an "instruction" string')
    tools = meta.get("tools")
    if tools is not None and not (isinstance(tools, list) and all(isinstance(t, str) for t in tools)):
        raise DraftFormatError('"tools" must be a list of tool names')
    answer, effects = _answer(meta), _effects(meta)

    def python(role: str) -> list[str]:
        return [body for lang, info, body in blocks if lang in ("python", "py") and info.split()[:1] == [role]]

    solutions, expected, checks = python("solution"), python("expected"), python("check")
    if len(solutions) != 1:
        raise DraftFormatError(f"expected one solution block, found {len(solutions)}; {FORMAT}")
    if answer.kind != "none" and len(expected) != 1:
        raise DraftFormatError(
            f"an answer of kind {answer.kind} needs one ```python expected block computing it "
            f"from the initial database, found {len(expected)}"
        )
    if len(checks) > 1:
        raise DraftFormatError(f"at most one ```python check block, found {len(checks)}")
    new_tools = []
    for lang, info, body in blocks:
        if lang in ("python", "py") and info.split()[:1] == ["tool"]:
            kind = "write" if "write" in info.split() else "read"
            new_tools.append(ToolSource(name=_function(body, "tool", None), kind=kind, source=body))
    names = [t.name for t in new_tools]
    if len(set(names)) != len(names):
        raise DraftFormatError(f"two written tools share a name: {names}")
    return ModelDraft(
        shape=_shape(meta.get("shape")),
        instruction=meta["instruction"].strip(),
        tools=tuple(tools) if tools is not None else None,
        answer=answer,
        effects=effects,
        expected=Program(source=expected[0], entry=_function(expected[0], "expected", 1)) if expected else None,
        solution=Program(source=solutions[0], entry=_function(solutions[0], "solution", 2)),
        check=Program(source=checks[0], entry=_function(checks[0], "check", 2)) if checks else None,
        new_tools=tuple(new_tools),
    )
