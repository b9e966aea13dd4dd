"""Fallback parser for DeepSeek's DSML tool-call markup left in a reply's text.

A server whose tool-call parser missed the markup returns it as plain text:

    <｜DSML｜function_calls>
    <｜DSML｜invoke name="get_weather">
    <｜DSML｜parameter name="city" string="true">Paris</｜DSML｜parameter>
    <｜DSML｜parameter name="days" string="false">3</｜DSML｜parameter>
    </｜DSML｜invoke>
    </｜DSML｜function_calls>

`string="true"` values are raw strings, others JSON. The bar may be the full-width `｜` or `|`, and
the block may be cut off at the end of the reply (a `max_tokens` stop): complete invokes still count.
"""

from __future__ import annotations

import json
import re
from typing import Any

_BAR = r"\s*[｜|]\s*"
_TAG = rf"<{_BAR}DSML{_BAR}"
_CLOSE = rf"</{_BAR}DSML{_BAR}"
BLOCK = re.compile(
    rf"{_TAG}(?:function_calls|tool_calls)\s*>(.*?)(?:{_CLOSE}(?:function_calls|tool_calls)\s*>|$)", re.S
)
INVOKE = re.compile(rf"{_TAG}invoke\s+name=\"([^\"]+)\"\s*>(.*?){_CLOSE}invoke\s*>", re.S)
PARAM = re.compile(
    rf"{_TAG}parameter\s+name=\"([^\"]+)\"(?:\s+string=\"(true|false)\")?\s*>(.*?){_CLOSE}parameter\s*>", re.S
)
MARKER = re.compile(rf"{_TAG}(?:function_calls|tool_calls|invoke)")


def has_markup(text: str | None) -> bool:
    return bool(text) and MARKER.search(text) is not None


def _value(raw: str, is_string: str | None) -> Any:
    if is_string == "true":
        return raw
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


def parse_calls(text: str) -> tuple[list[dict[str, Any]], str]:
    """The tool calls found in `text` ({name, arguments as a JSON string}) and the text without markup."""
    calls: list[dict[str, Any]] = []
    for block in BLOCK.finditer(text):
        for name, body in INVOKE.findall(block.group(1)):
            arguments = {p: _value(raw, kind) for p, kind, raw in PARAM.findall(body)}
            calls.append({"name": name.strip(), "arguments": json.dumps(arguments, ensure_ascii=False)})
    rest = BLOCK.sub("", text).strip()
    return calls, rest
