"""Reading a proposing model's reply: a JSON header and fenced Python blocks become a ModelDraft.

The expected reply (see templates/proposer_system.j2):

    ```json
    {"shape": "cheapest_hotel", "instruction": "...", "tools": ["list_hotels", "get_hotel"]}
    ```
    ```python solution
    def solve(tools, params): ...
    ```
    ```python verifier
    def verify(outcome, params): ...
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

from pydantic import BaseModel, ConfigDict

from synth.task import Program, ToolSource

FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[ \t]*([^\n`]*)\n(.*?)```", re.S)
MAX_SOURCE_CHARS = 20_000
FORMAT = ("reply with a ```json block holding \"shape\" and \"instruction\" (and optionally \"tools\"), "
          "a ```python solution block and a ```python verifier block")


class DraftFormatError(ValueError):
    """A reply that is not a usable draft; the message is sent back to the model."""


class ModelDraft(BaseModel):
    model_config = ConfigDict(frozen=True)

    shape: str
    instruction: str
    tools: tuple[str, ...] | None  # offered environment tools; None: all
    solution: Program
    verifier: Program
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
    fn = functions[-1] if what == "verifier" else functions[0]
    if arity is not None and len(fn.args.args) != arity:
        raise DraftFormatError(f"the {what} function {fn.name} must take exactly {arity} arguments")
    return fn.name


def _shape(value: object) -> str:
    shape = re.sub(r"[^a-z0-9_]+", "_", str(value or "").lower()).strip("_")[:48]
    return shape or "task"


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
        raise DraftFormatError("the ```json block needs an \"instruction\" string")
    tools = meta.get("tools")
    if tools is not None and not (isinstance(tools, list) and all(isinstance(t, str) for t in tools)):
        raise DraftFormatError("\"tools\" must be a list of tool names")

    def python(role: str) -> list[str]:
        return [body for lang, info, body in blocks if lang in ("python", "py") and info.split()[:1] == [role]]

    solutions, verifiers = python("solution"), python("verifier")
    if len(solutions) != 1 or len(verifiers) != 1:
        raise DraftFormatError(f"expected one solution and one verifier block, found {len(solutions)} and "
                               f"{len(verifiers)}; {FORMAT}")
    solution = Program(source=solutions[0], entry=_function(solutions[0], "solution", 2))
    verifier = Program(source=verifiers[0], entry=_function(verifiers[0], "verifier", 2))
    new_tools = []
    for lang, info, body in blocks:
        if lang in ("python", "py") and info.split()[:1] == ["tool"]:
            kind = "write" if "write" in info.split() else "read"
            new_tools.append(ToolSource(name=_function(body, "tool", None), kind=kind, source=body))
    names = [t.name for t in new_tools]
    if len(set(names)) != len(names):
        raise DraftFormatError(f"two written tools share a name: {names}")
    return ModelDraft(shape=_shape(meta.get("shape")), instruction=meta["instruction"].strip(),
                      tools=tuple(tools) if tools is not None else None, solution=solution, verifier=verifier,
                      new_tools=tuple(new_tools))
