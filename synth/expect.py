"""What a task expects of an episode, declared once by its proposer: the final answer's type and value, and the
state changes it allows. The framework turns both into the task's stored verifier (see synth_verifiers.grade)
and into the `answer_schema` an agent sees; template authors write no answer matchers.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from synth_verifiers.answers import answer_schema

AnswerKind = Literal["none", "number", "integer", "boolean", "date", "time", "entity", "entities", "record"]
CLOCK = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


class Answer(BaseModel):
    """A typed final answer. Build it with the class methods: Answer.number(3.5, decimals=2), Answer.entity(
    "Paper & Pine", candidates=other_merchants), Answer.record(nights=Answer.integer(3), ...)."""

    model_config = ConfigDict(frozen=True)

    kind: AnswerKind
    value: Any = None
    tolerance: float | None = None
    unit: str | None = None
    candidates: tuple[str, ...] = ()
    ordered: bool = False
    fields: dict[str, "Answer"] | None = None

    @model_validator(mode="after")
    def _valid(self) -> "Answer":
        kind, value = self.kind, self.value
        if kind == "number" and not (isinstance(value, (int, float)) and math.isfinite(value)):
            raise ValueError(f"a number answer needs a finite number, not {value!r}")
        if kind == "integer" and not (isinstance(value, int) and not isinstance(value, bool)):
            raise ValueError(f"an integer answer needs an int, not {value!r}")
        if kind == "boolean" and not isinstance(value, bool):
            raise ValueError(f"a boolean answer needs True or False, not {value!r}")
        if kind == "date":
            try:
                date.fromisoformat(str(value))
            except ValueError:
                raise ValueError(f"a date answer needs YYYY-MM-DD, not {value!r}") from None
        if kind == "time" and not CLOCK.match(str(value)):
            raise ValueError(f"a time answer needs HH:MM (24-hour), not {value!r}")
        if kind == "entity" and not (isinstance(value, str) and value.strip()):
            raise ValueError(f"an entity answer needs a non-empty name, not {value!r}")
        if kind == "entities" and not (isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)):
            raise ValueError(f"an entities answer needs a list of names, not {value!r}")
        if kind == "record":
            if not self.fields:
                raise ValueError("a record answer needs fields")
            bad = [k for k, f in self.fields.items() if f.kind in ("none", "record", "boolean")]
            if bad:
                raise ValueError(f"record fields {bad}: use number, integer, date, time, entity or entities")
        return self

    @classmethod
    def none(cls) -> "Answer":
        """A state-only task: the final message is not graded."""
        return cls(kind="none")

    @classmethod
    def number(
        cls, value: float, *, decimals: int | None = 2, tolerance: float | None = None, unit: str | None = None
    ) -> "Answer":
        """A number stated to `decimals` places (half a unit of the last place either way), or within an
        explicit `tolerance`."""
        if tolerance is None and decimals is not None:
            tolerance = 0.5 * 10**-decimals
        return cls(kind="number", value=float(value), tolerance=tolerance, unit=unit)

    @classmethod
    def integer(cls, value: int) -> "Answer":
        return cls(kind="integer", value=value)

    @classmethod
    def boolean(cls, value: bool) -> "Answer":
        return cls(kind="boolean", value=value)

    @classmethod
    def date(cls, value: str) -> "Answer":
        return cls(kind="date", value=value)

    @classmethod
    def time(cls, value: str) -> "Answer":
        return cls(kind="time", value=value)

    @classmethod
    def entity(cls, value: str, *, candidates: list[str] | tuple[str, ...] = ()) -> "Answer":
        """One name or identifier. `candidates`: the other names of its kind in this environment (every merchant,
        every customer), so that naming one more of them is caught."""
        return cls(kind="entity", value=value, candidates=_others(candidates, [value]))

    @classmethod
    def entities(
        cls, values: list[str], *, candidates: list[str] | tuple[str, ...] = (), ordered: bool = False
    ) -> "Answer":
        """Several names: a set, or a sequence when `ordered`."""
        return cls(kind="entities", value=list(values), candidates=_others(candidates, values), ordered=ordered)

    @classmethod
    def record(cls, **fields: "Answer") -> "Answer":
        return cls(kind="record", fields=fields)

    def spec(self) -> dict[str, Any]:
        """The JSON form the stored verifier grades with (it holds the expected value)."""
        if self.kind == "record":
            return {"kind": "record", "fields": {k: f.spec() for k, f in sorted(self.fields.items())}}
        spec: dict[str, Any] = {"kind": self.kind}
        if self.kind != "none":
            spec["value"] = self.value
        for key in ("tolerance", "unit"):
            if getattr(self, key) is not None:
                spec[key] = getattr(self, key)
        if self.candidates:
            spec["candidates"] = list(self.candidates)
        if self.ordered:
            spec["ordered"] = True
        return spec

    def schema(self) -> dict[str, Any] | None:
        """The JSON Schema an agent's submitted answer must fit (no expected value in it); None for kind none."""
        return answer_schema(self.spec())


def _others(candidates, expected) -> tuple[str, ...]:
    return tuple(sorted({str(c) for c in candidates} - {str(e) for e in expected}))


class Rule(BaseModel):
    """The changes one table may see. See synth_verifiers.effects for the exact meaning of each field."""

    model_config = ConfigDict(frozen=True)

    insert: bool | int = False
    rows: list[dict[str, Any]] | None = None
    delete: bool | list[Any] = False
    update: list[str] | Literal["*"] = Field(default_factory=list)
    keys: list[Any] | None = None
    values: dict[str, Any] | None = None


class Effects(BaseModel):
    """The state changes a task allows; everything else must stay as it was. `Effects()` is read-only."""

    model_config = ConfigDict(frozen=True)

    tables: dict[str, Rule] = Field(default_factory=dict)

    @classmethod
    def on(cls, **rules: Rule) -> "Effects":
        return cls(tables=rules)

    @property
    def read_only(self) -> bool:
        return not self.tables

    def spec(self) -> dict[str, Any]:
        return {"tables": {t: r.model_dump(mode="json", exclude_defaults=True) for t, r in sorted(self.tables.items())}}


def inserts(count: bool | int = True, rows: list[dict[str, Any]] | None = None) -> Rule:
    """Rows may be added (exactly `count` when a number; exactly `rows`, projected on their columns, if given)."""
    return Rule(insert=len(rows) if rows is not None and count is True else count, rows=rows)


def updates(*columns: str, keys: list[Any] | None = None, values: dict[str, Any] | None = None) -> Rule:
    """Rows may change in `columns` (only the rows `keys`); with `values`, those rows must end with them."""
    cols = sorted(set(columns) | set(values or {}))
    return Rule(update=cols, keys=keys, values=values)


def deletes(keys: list[Any] | bool = True) -> Rule:
    """Rows may be removed (exactly `keys` when a list)."""
    return Rule(delete=keys)
