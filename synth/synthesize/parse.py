"""Reading the model's reply: a ```json header (sample tool arguments) and one ```python module.

The source is only parsed here (ast), never run: importing and calling it happens in the sandbox.
"""

from __future__ import annotations

import ast
import json
import re
from typing import Any

from pydantic import BaseModel, ConfigDict

FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[^\n`]*\n(.*?)```", re.S)
MAX_SOURCE_CHARS = 60_000
FORMAT = (
    'reply with a ```json block holding "samples" (sample arguments for each tool that takes any) '
    "and one ```python block holding the whole env.py module"
)


class ReplyFormatError(ValueError):
    """A reply that is not a usable template; `reason` names the failure, the message goes back to the model."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


class TemplateDraft(BaseModel):
    model_config = ConfigDict(frozen=True)

    source: str
    samples: dict[str, dict[str, Any]]  # tool -> arguments; a value {"sql": "SELECT ..."} is looked up


def parse_reply(text: str) -> TemplateDraft:
    blocks = [(lang.lower(), body) for lang, body in FENCE.findall(text or "")]
    headers = [b for lang, b in blocks if lang == "json"]
    modules = [b for lang, b in blocks if lang in ("python", "py")]
    if len(modules) != 1:
        raise ReplyFormatError("unparseable", f"expected one ```python block, found {len(modules)}; {FORMAT}")
    samples: Any = {}
    if headers:
        try:
            samples = json.loads(headers[0]).get("samples", {})
        except (json.JSONDecodeError, AttributeError) as exc:
            raise ReplyFormatError("unparseable", f"the ```json block is not a JSON object ({exc})") from None
    if not isinstance(samples, dict) or not all(isinstance(v, dict) for v in samples.values()):
        raise ReplyFormatError("unparseable", '"samples" must map each tool name to an object of arguments')
    source = modules[0]
    if len(source) > MAX_SOURCE_CHARS:
        raise ReplyFormatError("too_long", f"the module is longer than {MAX_SOURCE_CHARS} characters; keep it shorter")
    try:
        ast.parse(source)
    except SyntaxError as exc:
        raise ReplyFormatError(
            "syntax_error",
            f"env.py does not parse: SyntaxError: {exc.msg} (line {exc.lineno})\n{(exc.text or '').rstrip()}",
        ) from None
    return TemplateDraft(source=source, samples=samples)
