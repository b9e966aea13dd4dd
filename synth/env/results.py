"""How a tool's return value reaches the agent: JSON of the value, or a plain string as it is."""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import json
import sqlite3
from typing import Any

from pydantic import BaseModel


class ResultError(TypeError):
    """A tool returned a value that has no JSON form; the message names it."""


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, sqlite3.Row):
        return dict(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value, key=repr) if isinstance(value, (set, frozenset)) else list(value)
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, bytes):
        raise ResultError("returned bytes; decode them or return text")
    raise ResultError(
        f"returned a {type(value).__name__}, which has no JSON form; return dicts, lists, numbers "
        f"and strings (pydantic models, dataclasses and sqlite3 rows are converted)"
    )


def encode_result(value: Any) -> str:
    """The content of a tool message. A string goes as it is (not JSON-quoted); anything else as JSON."""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, default=_plain, ensure_ascii=False)
    except ValueError as exc:  # a circular structure or NaN-like trouble
        raise ResultError(f"returned a value that cannot be written as JSON ({exc})") from None
