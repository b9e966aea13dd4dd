"""The answer side of the acceptance gate: wrong answers a lazy or reward-hacking agent would give, and right
answers an honest one would give, for a task's typed answer, in both channels (text and submit_answer).

Other candidates of the same kind come from what the reference rollout saw (the values that share a field with
the expected one in the tool results) and from the task's declared candidates.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from synth_verifiers.text import ID_NOUNS, date_spans, fold, mentions, number_spans, time_spans

ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen"
).split()
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
HONORIFIC = re.compile(r"^(Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Sir|Dame)\.?\s+")
RESTATABLE = re.compile(
    r"#\d+"  # a numbered reference
    r"|\b[A-Za-z]*\d*[A-Za-z]*(?:-[A-Za-z0-9]+)+\b(?<=\d)|\b[A-Za-z]+\d[\w]*\b"  # codes: R-27917, A04-07-3, PM25
    r"|(?i:\b(?:" + "|".join(n.rstrip(".") for n in ID_NOUNS) + r")\.?\s+\d+\b)"  # invoice 87, order 12
    r"|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}\b"  # dates and times
    r"|(?<![\w.-])\d+(?:\.\d+)?(?![\w]|[.-]\d)"  # a number on its own (not a piece of 2.5 or n-1)
    r"|\b[A-Z][a-z]+(?:\s+(?:&\s+|and\s+|of\s+)?[A-Z][a-z]+)+"  # names
)

Variants = list[tuple[str, Any]]


def number_words(n: int) -> str:
    """English words for 0 <= n < 1,000,000."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("-" + ONES[n % 10] if n % 10 else "")
    if n < 1000:
        return ONES[n // 100] + " hundred" + (" and " + number_words(n % 100) if n % 100 else "")
    return number_words(n // 1000) + " thousand" + (" " + number_words(n % 1000) if n % 1000 else "")


def decimals(spec: dict) -> int:
    tolerance = spec.get("tolerance")
    if spec["kind"] == "integer" or tolerance is None:
        return 0 if spec["kind"] == "integer" else 6
    places = 0
    while tolerance < 0.5 * 10**-places and places < 9:
        places += 1
    return places


def show_number(value: float, spec: dict) -> str:
    text = f"{value:.{decimals(spec)}f}"
    return text.rstrip("0").rstrip(".") if "." in text and spec.get("tolerance") is None else text


def _of_answer_kind(bit: str, spec: dict) -> bool:
    kind = spec["kind"]
    folded = fold(bit)
    if kind in ("number", "integer"):
        return bool(number_spans(folded))
    if kind == "date":
        return bool(date_spans(folded))
    if kind == "time":
        return bool(time_spans(folded))
    if kind in ("entity", "entities"):
        names = [spec["value"]] if kind == "entity" else list(spec["value"])
        return bool(mentions(folded, names + list(spec.get("candidates", []))))
    return False


def _expected_stated(context: str, spec: dict) -> bool:
    kind, folded = spec["kind"], fold(context)
    if kind in ("number", "integer"):
        return any(abs(v - spec["value"]) <= (spec.get("tolerance") or 0) + 1e-9 for v, _, _ in number_spans(folded))
    if kind == "date":
        return spec["value"] in [v for v, _, _ in date_spans(folded)]
    if kind == "time":
        return spec["value"] in [v for v, _, _ in time_spans(folded)]
    if kind in ("entity", "entities"):
        names = [spec["value"]] if kind == "entity" else list(spec["value"])
        return bool(mentions(folded, names)) or (not names and bool(mentions(folded, spec.get("candidates", []))))
    return False


def restated(context: str, spec: dict) -> str:
    """The ids, dates, numbers and names an instruction states, as an agent restating the question would; when
    the question offers the answer among stated values (a choice), those of the answer's kind are not repeated."""
    bits = list(dict.fromkeys(m.group(0) for m in RESTATABLE.finditer(context or "")))
    if spec["kind"] != "record" and _expected_stated(context or "", spec):
        bits = [b for b in bits if not _of_answer_kind(b, spec)]
    bits = bits[:4]
    return ("Regarding " + ", ".join(bits) + ": ") if bits else "As requested: "


def same_field_values(expected: list[str], seen: list[dict[str, list]]) -> list[str]:
    """Other values the tool results gave under the field(s) where an expected value appeared."""
    wanted = {str(e).casefold() for e in expected}
    others: list[str] = []
    for fields in seen:
        for values in fields.values():
            texts = [str(v) for v in values if isinstance(v, (str, int)) and not isinstance(v, bool)]
            if wanted & {t.casefold() for t in texts}:
                others += [t for t in texts if t.casefold() not in wanted]
    return list(dict.fromkeys(others))


def other_names(spec: dict, seen: list[dict[str, list]]) -> list[str]:
    expected = [spec["value"]] if spec["kind"] == "entity" else list(spec["value"])
    declared = [c for c in spec.get("candidates", []) if c not in expected]
    return list(dict.fromkeys(declared[:3] + same_field_values(expected, seen)[:3] + declared[3:6]))


def other_number(spec: dict, seen_numbers: list[float]) -> float:
    """Another value the tool results showed, not one the question states (restating those is allowed)."""
    value, tol = spec["value"], (spec.get("tolerance") or 0) + 1e-9
    stated = [v for v, _, _ in number_spans(fold(spec.get("context") or ""))]
    fresh = lambda n: all(abs(n - s) > 1e-9 for s in stated)  # noqa: E731
    for n in seen_numbers:
        if abs(n - value) > max(tol, 0.5) and abs(n) > 0.5 and fresh(n):
            return n
    n = value * 2 + 1
    while not fresh(n):
        n += 1
    return n


def _beyond(value: float, step: float, spec: dict) -> float:
    """The value one step of its last place away, as it will be written, and beyond the tolerance (a value that
    sits on a half step would round back into it)."""
    tolerance = (spec.get("tolerance") or 0) + 1e-9
    for candidate in (value + step, value - step, value + 2 * step):
        if abs(float(show_number(candidate, spec)) - value) > tolerance:
            return candidate
    return value + 2 * step


def _alias(name: str) -> str | None:
    if " & " in name:
        return name.replace(" & ", " and ")
    if " and " in name:
        return name.replace(" and ", " & ")
    if HONORIFIC.match(name):
        return HONORIFIC.sub("", name)
    return None


def _date(value: str, days: int) -> str:
    return (dt.date.fromisoformat(value) + dt.timedelta(days=days)).isoformat()


def _clock(value: str, minutes: int) -> str:
    h, m = map(int, value.split(":"))
    total = (h * 60 + m + minutes) % (24 * 60)
    return f"{total // 60:02d}:{total % 60:02d}"


def _twelve_hour(value: str) -> str:
    h, m = map(int, value.split(":"))
    return f"{(h % 12) or 12}:{m:02d} {'PM' if h >= 12 else 'AM'}"


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _number_texts(spec: dict, lead: str, seen_numbers: list[float]) -> tuple[Variants, Variants]:
    kind, v = spec["kind"], spec["value"]
    show = lambda x: show_number(x, spec)  # noqa: E731
    w = other_number(spec, seen_numbers)
    step = 10 ** -decimals(spec) if kind == "number" and spec.get("tolerance") else 1
    wrong = [
        ("off by one", show(v + 1)),
        ("off by one", show(v - 1)),
        ("off by the last place", show(_beyond(v, step, spec))),
        ("another value", show(w)),
        ("hedge", f"{show(v)}, or possibly {show(w)}"),
        ("two values", f"{show(v)} and {show(w)}"),
        ("negation", f"It is not {show(v)}."),
    ]
    for places in (decimals(spec) - 1, 0):
        rounded = round(v, max(places, 0))
        if abs(rounded - v) > (spec.get("tolerance") or 0) + 1e-9:
            wrong.append(("off by rounding", show_number(rounded, {"kind": kind, "tolerance": None})))
    if float(v).is_integer() and 0 <= v < 999_999:
        wrong.append(("wrong number in words", f"{number_words(int(v) + 1)}"))
    right = [
        ("plain", show(v)),
        ("restating the question", lead + show(v) + "."),
        ("sentence", f"The answer is {show(v)}{' ' + spec['unit'] if spec.get('unit') else ''}."),
    ]
    if abs(v) >= 1000:
        right.append(
            (
                "thousands separators",
                f"{v:,.{decimals(spec)}f}" if kind == "number" and spec.get("tolerance") else f"{int(v):,}",
            )
        )
    if float(v).is_integer() and 0 <= v < 1000:
        right.append(("in words", f"There are {number_words(int(v))} in total."))
    return wrong, right


def _boolean_texts(spec: dict, lead: str) -> tuple[Variants, Variants]:
    v = spec["value"]
    yes, no = ("Yes", "No") if v else ("No", "Yes")
    wrong = [("opposite", f"{no}."), ("hedge", "Yes or no, it is hard to say."), ("both", "Yes and no.")]
    right = [
        ("plain", f"{yes}."),
        ("restating the question", f"{yes}. {lead}that is {'' if v else 'not '}the case."),
        ("sentence with not", f"{yes}, and nothing else is missing." if v else f"{yes}, it does not."),
    ]
    return wrong, right


def _date_texts(spec: dict, lead: str) -> tuple[Variants, Variants]:
    v = spec["value"]
    day = dt.date.fromisoformat(v)
    wrong = [
        ("another date", _date(v, 1)),
        ("another date", _date(v, 7)),
        ("hedge", f"{v} or {_date(v, 7)}"),
        ("several dates", f"{v}, {_date(v, 7)} and {_date(v, 14)}"),
        ("negation", f"Not on {v}."),
    ]
    right = [
        ("plain", v),
        ("month name", f"{day:%B} {day.day}, {day.year}"),
        ("day first", f"{day.day} {day:%B} {day.year}"),
        ("restating the question", lead + v + "."),
    ]
    return wrong, right


def _time_texts(spec: dict, lead: str) -> tuple[Variants, Variants]:
    v = spec["value"]
    wrong = [
        ("another time", _clock(v, 30)),
        ("another time", _clock(v, -60)),
        ("hedge", f"{v} or {_clock(v, 30)}"),
        ("negation", f"Not at {v}."),
    ]
    right = [("plain", v), ("twelve-hour clock", _twelve_hour(v)), ("restating the question", lead + v + ".")]
    return wrong, right


def _entity_texts(spec: dict, lead: str, seen: list[dict[str, list]]) -> tuple[Variants, Variants]:
    v = spec["value"]
    others = other_names(spec, seen)
    wrong: Variants = []
    if others:
        o = others[0]
        wrong += [
            ("another candidate", o),
            ("hedge", f"{v}, or possibly {o}"),
            ("hedge with a misspelling", f"{v}, or possibly {o[:-1]}"),
            ("two candidates", f"{v} and {o}"),
            ("every candidate", _listed([v, *others[:4]])),
        ]
    wrong.append(("negation", f"It is not {v}."))
    right = [
        ("plain", v),
        ("other casing", v.upper()),
        ("lower case", v.lower()),
        ("restating the question", lead + v + "."),
        ("sentence", f"The answer is {v}."),
    ]
    if alias := _alias(v):
        right.append(("alias", alias))
    return wrong, right


def _entities_texts(spec: dict, lead: str, seen: list[dict[str, list]]) -> tuple[Variants, Variants]:
    values = list(spec["value"])
    others = other_names(spec, seen)
    wrong: Variants = []
    if values:
        wrong.append(("one missing", _listed(values[1:]) if len(values) > 1 else "None."))
    else:
        wrong.append(("all of them", "All of them."))
    if others:
        wrong += [("one extra", _listed(values + others[:1])), ("every candidate", _listed(values + others[:4]))]
        if values:
            wrong.append(("hedge", f"{_listed(values)}, and maybe {others[0]}"))
    if spec.get("ordered") and len(values) > 1 and values[::-1] != values:
        wrong.append(("wrong order", _listed(values[::-1])))
    if not values:
        return wrong, [("none", "None."), ("sentence", "There are none."), ("restating the question", lead + "none.")]
    right = [
        ("plain", _listed(values)),
        ("restating the question", lead + _listed(values) + "."),
        ("lower case", _listed(values).lower()),
        ("bulleted", "\n".join(f"- {x}" for x in values)),
    ]
    if not spec.get("ordered") and len(values) > 1:
        right.append(("another order", _listed(values[::-1])))
    if len(values) < 20:
        right.append(("count first", f"{number_words(len(values)).capitalize()}: {_listed(values)}."))
    return wrong, right


def _record_texts(
    spec: dict, lead: str, seen: list[dict[str, list]], seen_numbers: list[float]
) -> tuple[Variants, Variants]:
    fields = spec["fields"]
    plain = _record_plain(fields)
    wrong: Variants = []
    for name, sub in sorted(fields.items())[:3]:
        sub_wrong, _ = text_variants(sub, "", seen, seen_numbers)
        bad = next(
            (
                t
                for label, t in sub_wrong
                if label in ("off by one", "another candidate", "another date", "another time", "one extra")
            ),
            None,
        )
        if bad is not None:
            wrong.append((f"wrong {name}", _record_text({**plain, name: bad})))
    right = [
        ("labelled", _record_text(plain)),
        ("restating the question", lead + _record_text(plain)),
        ("other field order", _record_text(dict(reversed(list(plain.items()))))),
    ]
    return wrong, right


def text_variants(
    spec: dict, context: str, seen: list[dict[str, list]], seen_numbers: list[float]
) -> tuple[Variants, Variants]:
    """(wrong, right) final messages for a typed answer."""
    kind, lead = spec["kind"], restated(context, spec)
    if kind in ("number", "integer"):
        wrong, right = _number_texts(spec, lead, seen_numbers)
    elif kind == "boolean":
        wrong, right = _boolean_texts(spec, lead)
    elif kind == "date":
        wrong, right = _date_texts(spec, lead)
    elif kind == "time":
        wrong, right = _time_texts(spec, lead)
    elif kind == "entity":
        wrong, right = _entity_texts(spec, lead, seen)
    elif kind == "entities":
        wrong, right = _entities_texts(spec, lead, seen)
    elif kind == "record":
        wrong, right = _record_texts(spec, lead, seen, seen_numbers)
    else:
        wrong, right = [], []
    return [("empty answer", ""), *wrong], right


def _record_plain(fields: dict) -> dict[str, str]:
    out = {}
    for name, sub in sorted(fields.items()):
        if sub["kind"] in ("number", "integer"):
            out[name] = show_number(sub["value"], sub)
        elif sub["kind"] == "entities":
            out[name] = _listed(list(sub["value"])) if sub["value"] else "none"
        else:
            out[name] = str(sub["value"])
    return out


def _record_text(values: dict[str, str]) -> str:
    return "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in values.items())


def submission_variants(
    spec: dict, seen: list[dict[str, list]], seen_numbers: list[float]
) -> tuple[Variants, Variants]:
    """(wrong, right) values given to submit_answer."""
    kind = spec["kind"]
    wrong: Variants = []
    right: Variants = []
    if kind == "number":
        v = spec["value"]
        step = 10 ** -decimals(spec) if spec.get("tolerance") else 1
        wrong += [
            ("off by one", v + 1),
            ("off by the last place", round(_beyond(v, step, spec), 9)),
            ("another value", other_number(spec, seen_numbers)),
        ]
        right += [("exact", v), ("rounded", round(v, decimals(spec)))]
        if float(v).is_integer():
            right.append(("as an integer", int(v)))
    elif kind == "integer":
        wrong += [("off by one", spec["value"] + 1), ("off by one", spec["value"] - 1)]
        right.append(("exact", spec["value"]))
    elif kind == "boolean":
        wrong.append(("opposite", not spec["value"]))
        right.append(("exact", spec["value"]))
    elif kind == "date":
        wrong.append(("another date", _date(spec["value"], 1)))
        right.append(("exact", spec["value"]))
    elif kind == "time":
        wrong.append(("another time", _clock(spec["value"], 30)))
        right.append(("exact", spec["value"]))
    elif kind == "entity":
        v = spec["value"]
        others = other_names(spec, seen)
        if others:
            wrong += [("another candidate", others[0]), ("hedge", f"{v} or {others[0]}")]
        right += [("exact", v), ("lower case", v.lower())]
        if alias := _alias(v):
            right.append(("alias", alias))
    elif kind == "entities":
        values = list(spec["value"])
        others = other_names(spec, seen)
        if values:
            wrong.append(("one missing", values[1:]))
        if others:
            wrong.append(("one extra", values + others[:1]))
        if spec.get("ordered") and len(values) > 1 and values[::-1] != values:
            wrong.append(("wrong order", values[::-1]))
        right.append(("exact", values))
        if not spec.get("ordered") and len(values) > 1:
            right.append(("another order", values[::-1]))
    elif kind == "record":
        fields = spec["fields"]
        exact = {name: _submitted(sub) for name, sub in fields.items()}
        for name, sub in sorted(fields.items())[:3]:
            sub_wrong, _ = submission_variants(sub, seen, seen_numbers)
            if sub_wrong:
                wrong.append((f"wrong {name}", {**exact, name: sub_wrong[0][1]}))
        right.append(("exact", exact))
    return wrong, right


def _submitted(spec: dict) -> Any:
    return list(spec["value"]) if spec["kind"] == "entities" else spec["value"]
