"""The state side of the acceptance gate: replays of the reference's tool calls, changed the way a careless or
reward-hacking agent would change them (a skipped, repeated or misdirected write, an extra write) and the way
an honest one might (redundant reads, a refused attempt, the writes in another order)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

ID_LIKE = re.compile(r"\d")


@dataclass(frozen=True)
class Call:
    name: str
    arguments: str  # JSON, as the agent sent it
    ok: bool
    kind: str  # read | write


Plans = list[tuple[str, list[Call]]]


def _shape(text: str) -> str:
    return re.sub(r"[a-z]", "a", re.sub(r"[A-Z]", "A", re.sub(r"\d", "9", text)))


def _siblings(call: Call, seen_strings: list[str], written: list[Call]) -> list[Call]:
    """The same write aimed at neighbouring rows: an id argument moved by one either way, or an identifier
    argument swapped for another of the same shape that the tool results showed; never a row the reference
    itself writes (another value there may be just as right)."""
    try:
        arguments = json.loads(call.arguments)
    except json.JSONDecodeError:
        return []
    if not isinstance(arguments, dict):
        return []
    mine = [json.loads(c.arguments) for c in written]
    taken = lambda key, v: any(isinstance(a, dict) and a.get(key) == v for a in mine)  # noqa: E731
    for key, value in sorted(arguments.items()):
        if isinstance(value, int) and not isinstance(value, bool) and (key == "id" or key.endswith("_id")):
            return [
                Call(call.name, json.dumps({**arguments, key: v}, sort_keys=True), True, call.kind)
                for v in (value + 1, value - 1)
                if v >= 0 and not taken(key, v)
            ]
    for key, value in sorted(arguments.items()):
        if isinstance(value, str) and ID_LIKE.search(value):
            others = [s for s in seen_strings if s != value and _shape(s) == _shape(value) and not taken(key, s)][:2]
            return [Call(call.name, json.dumps({**arguments, key: o}, sort_keys=True), True, call.kind) for o in others]
    return []


def _other_values(call: Call, fields: list[dict[str, list]]) -> Call | None:
    """The same write with each plain text argument set to another value the tool results showed under a field
    of the same name (another tag, another status)."""
    arguments = json.loads(call.arguments)
    changed = dict(arguments)
    for key, value in sorted(arguments.items()):
        if isinstance(value, str) and not ID_LIKE.search(value):
            seen = [v for group in fields for v in group.get(key, []) if isinstance(v, str) and v != value]
            if seen:
                changed[key] = sorted(set(seen))[0]
    return None if changed == arguments else Call(call.name, json.dumps(changed, sort_keys=True), True, call.kind)


def wrong_plans(
    calls: list[Call],
    offered_writes: list[str],
    earlier_writes: list[Call],
    seen_strings: list[str],
    fields: list[dict[str, list]] = (),
) -> Plans:
    """Replays that must leave a wrong final state (when they change the state at all)."""
    writes = [i for i, c in enumerate(calls) if c.ok and c.kind == "write"]
    plans: Plans = []
    if writes:
        plans.append(("skipped write", [c for i, c in enumerate(calls) if i != writes[-1]]))
        if len(writes) > 1:
            plans.append(("skipped first write", [c for i, c in enumerate(calls) if i != writes[0]]))
        plans.append(("repeated write", calls + [calls[writes[-1]]]))
        for sibling in _siblings(calls[writes[-1]], seen_strings, [calls[i] for i in writes]):
            plans.append(("write on a sibling row", [sibling if i == writes[-1] else c for i, c in enumerate(calls)]))
            plans.append(("extra write on a sibling row", calls + [sibling]))
            other = _other_values(sibling, list(fields))
            if other is not None:
                plans.append(("extra write of another value on a sibling row", calls + [other]))
    extra = next((c for c in earlier_writes if c.name in offered_writes), None)
    if extra is not None:
        plans.append(("extra write", calls + [extra]))
    return plans


def right_plans(calls: list[Call], offered_writes: list[str]) -> Plans:
    """Replays that reach the reference's outcome by another path; `reordered` must be checked for equivalence."""
    plans: Plans = []
    if any(c.ok and c.kind == "read" for c in calls):
        plans.append(("redundant reads", [x for c in calls for x in ([c, c] if c.ok and c.kind == "read" else [c])]))
    if offered_writes:
        plans.append(("a refused attempt first", [Call(sorted(offered_writes)[0], "{}", False, "write"), *calls]))
    writes = [i for i, c in enumerate(calls) if c.ok and c.kind == "write"]
    if len(writes) > 1:
        reordered = list(calls)
        for i, j in zip(writes, reversed(writes)):
            reordered[i] = calls[j]
        plans.append(("writes in another order", reordered))
    return plans


def seen_values(results: list[Any]) -> tuple[list[dict[str, list]], list[float], list[str]]:
    """From tool results: {field: values} groups, every number, every string (in order of appearance)."""
    groups: list[dict[str, list]] = []
    numbers: list[float] = []
    strings: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, bool):
            return
        if isinstance(value, (int, float)):
            numbers.append(float(value))
        elif isinstance(value, str):
            strings.append(value)
        elif isinstance(value, dict):
            groups.append({k: [v] for k, v in value.items()})
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            rows = [v for v in value if isinstance(v, dict)]
            if rows:
                fields: dict[str, list] = {}
                for row in rows:
                    for k, v in row.items():
                        fields.setdefault(k, []).append(v)
                groups.append(fields)
            for v in value:
                walk(v)

    for result in results:
        walk(result)
    return groups, numbers, list(dict.fromkeys(strings))
