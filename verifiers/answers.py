"""Typed final answers: each kind's JSON Schema, and grading of a submitted value or a free-text answer.

An answer spec is a JSON object {"kind": ..., "value": ..., options}; kinds and options:

  none                        state-only task: any final message
  number    tolerance, unit   a float within `tolerance`
  integer                     an exact whole number
  boolean                     yes or no
  date                        YYYY-MM-DD
  time                        HH:MM (24-hour)
  entity    candidates        one name; `candidates` are the other names of its kind the agent could give
  entities  candidates, ordered   several names, as a set (or a sequence when `ordered`)
  record    fields            named fields, each an answer spec of the kinds above

A text answer commits to the values of the declared kind it states; it fails when it commits to more or fewer
values than the kind allows, hedges between alternatives, or negates its value. Values the instruction
(`context`) itself states may be restated freely, unless an expected value is among them: then the question
is a choice between stated values, and naming another of them is a wrong answer. Standard library only:
verifier programs carry this in their source.
"""

import re

from .text import (
    CLAUSE_END,
    date_spans,
    fold,
    hedge_cues,
    mentions,
    name_tokens,
    negated_at,
    number_spans,
    polarity,
    time_spans,
    words,
)

SINGLE_KINDS = ("number", "integer", "boolean", "date", "time", "entity")
EMPTY_CUES = ("none", "no", "nothing", "nobody", "neither", "zero", "0")


def answer_schema(spec):
    """The JSON Schema of a spec's value (the `answer` parameter of submit_answer); None for kind none."""
    kind = spec["kind"]
    if kind == "none":
        return None
    if kind == "number":
        text = "A number" + (f" in {spec['unit']}" if spec.get("unit") else "")
        if spec.get("tolerance") is not None:
            places = max(0, len(f"{spec['tolerance']:.10f}".rstrip("0").split(".")[1]) - 1)
            text += f", to {places} decimal places" if places else ", a whole number"
        return {"type": "number", "description": text + "."}
    if kind == "integer":
        return {"type": "integer", "description": "A whole number."}
    if kind == "boolean":
        return {"type": "boolean", "description": "true for yes, false for no."}
    if kind == "date":
        return {"type": "string", "format": "date", "description": "A date, YYYY-MM-DD."}
    if kind == "time":
        return {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "description": "A time, HH:MM (24-hour)."}
    if kind == "entity":
        return {"type": "string", "description": "The name or identifier, as the records give it."}
    if kind == "entities":
        order = "in the order asked for" if spec.get("ordered") else "in any order"
        return {
            "type": "array",
            "items": {"type": "string"},
            "uniqueItems": True,
            "description": f"Every name or identifier that answers the question, {order}; [] if none.",
        }
    if kind == "record":
        fields = spec["fields"]
        return {
            "type": "object",
            "properties": {k: answer_schema(v) for k, v in fields.items()},
            "required": sorted(fields),
            "additionalProperties": False,
        }
    raise ValueError(f"unknown answer kind {kind!r}")


def schema_problems(schema, value, where="answer"):
    """Why `value` does not fit `schema` (the subset answer_schema produces); [] when it does."""
    kind = schema.get("type")
    checks = {
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "string": lambda v: isinstance(v, str),
        "array": lambda v: isinstance(v, list),
        "object": lambda v: isinstance(v, dict),
    }
    if not checks[kind](value):
        return [f"{where} must be a {kind}, got {type(value).__name__}"]
    if kind == "string" and schema.get("format") == "date" and not _iso_date(value):
        return [f"{where} must be a date written YYYY-MM-DD, got {value!r}"]
    if kind == "string" and "pattern" in schema and _clock(value) is None:
        return [f"{where} must be a time written HH:MM, got {value!r}"]
    if kind == "array":
        return [p for i, item in enumerate(value) for p in schema_problems(schema["items"], item, f"{where}[{i}]")]
    if kind == "object":
        props = schema["properties"]
        missing = sorted(set(props) - set(value))
        extra = sorted(set(value) - set(props))
        problems = [f"{where} is missing {missing}"] if missing else []
        problems += [f"{where} has unknown fields {extra}"] if extra else []
        return problems + [
            p for k in sorted(set(props) & set(value)) for p in schema_problems(props[k], value[k], f"{where}.{k}")
        ]
    return []


def _iso_date(value):
    found = date_spans(fold(value))
    return found[0][0] if len(found) == 1 and isinstance(found[0][0], str) else None


def _clock(value):
    found = time_spans(fold(value))
    return found[0][0] if len(found) == 1 else None


def _close(a, b, spec):
    tolerance = spec.get("tolerance")
    tolerance = 1e-9 if tolerance is None else tolerance + 1e-9
    return abs(float(a) - float(b)) <= tolerance


def _names(spec):
    value = spec["value"]
    return [value] if spec["kind"] == "entity" else list(value)


def _resolve_name(said, expected, others):
    """Which known name a submitted string stands for: the expected ones win ties; None if none or several."""
    hits = {n for n, _, _ in mentions(said, list(expected) + list(others))}
    said_tokens = [t for t in words(said) if t not in ("the", "a", "an", "of")]
    covered = sum(len(name_tokens(n)) for n in hits)
    if len(hits) != 1 or covered < len(said_tokens) - 1:  # one name and little else
        return None
    return hits.pop()


def check_submitted(spec, value):
    """Reasons a value submitted through submit_answer is wrong; [] when it is right."""
    kind, want = spec["kind"], spec.get("value")
    if kind == "none":
        return []
    if isinstance(value, str) and kind in ("number", "integer", "boolean"):
        return check_text(spec, value)  # a typed answer sent as text is read like text
    if kind in ("number", "integer"):
        ok = (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and (_close(value, want, spec) if kind == "number" else float(value) == float(want))
        )
        return [] if ok else [f"expected {want}, submitted {value!r}"]
    if kind == "boolean":
        return [] if value is want else [f"expected {want}, submitted {value!r}"]
    if kind == "date":
        return [] if isinstance(value, str) and _iso_date(value) == want else [f"expected {want}, submitted {value!r}"]
    if kind == "time":
        return [] if isinstance(value, str) and _clock(value) == want else [f"expected {want}, submitted {value!r}"]
    if kind == "entity":
        ok = isinstance(value, str) and _resolve_name(value, [want], spec.get("candidates", [])) == want
        return [] if ok else [f"expected {want!r}, submitted {value!r}"]
    if kind == "entities":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return [f"expected a list of names, submitted {value!r}"]
        got = [_resolve_name(v, want, spec.get("candidates", [])) for v in value]
        ok = (
            None not in got
            and len(set(got)) == len(got)
            and (got == list(want) if spec.get("ordered") else set(got) == set(want))
        )
        return [] if ok else [f"expected {list(want)!r}, submitted {value!r}"]
    if kind == "record":
        if not isinstance(value, dict) or set(value) != set(spec["fields"]):
            return [f"expected the fields {sorted(spec['fields'])}, submitted {value!r}"]
        return [f"{k}: {r}" for k, sub in sorted(spec["fields"].items()) for r in check_submitted(sub, value[k])]
    raise ValueError(f"unknown answer kind {kind!r}")


def _restatable(stated, want, same):
    """The stated values an answer may restate: none when an expected value is one of them (a choice question,
    where stating everything would pass), else all of them (restating them cannot help a wrong answer pass)."""
    return [] if any(same(s, w) for s in stated for w in want) else stated


def _committed(values, ignored, same):
    """The distinct values the answer commits to, restated ones left out."""
    out = []
    for v in values:
        if not any(same(v, s) for s in ignored) and not any(same(v, o) for o in out):
            out.append(v)
    return out


def _number_reasons(spec, folded, want_values, skip, repeats=False):
    """`repeats`: expected values may repeat (a record's fields), and the answer must state each as often."""
    same = (lambda a, b: _close(a, b, spec)) if spec["kind"] == "number" else (lambda a, b: float(a) == float(b))
    spans = number_spans(folded, skip_names=skip, unit=spec.get("unit"))
    stated = [v for v, _, _ in number_spans(fold(spec.get("context") or ""), skip_names=skip, unit=spec.get("unit"))]
    ignored = _restatable(stated, want_values, same)
    kept = [(v, s) for v, s, _ in spans if not any(same(v, x) for x in ignored)]
    if not kept and spec["kind"] == "integer" and want_values == [0]:
        if set(words(folded)) & {"none", "nothing", "nobody", "no"}:
            return []
    got = _committed([v for v, _ in kept], [], same)
    if any(negated_at(folded, s) for v, s in kept if any(same(v, w) for w in want_values)):
        return [f"the answer negates {want_values}"]
    if repeats:
        short = [w for w in want_values if sum(same(v, w) for v, _ in kept) < sum(same(x, w) for x in want_values)]
        if short or not all(any(same(g, w) for w in want_values) for g in got):
            return [f"expected {_show(want_values)}, the answer states {_show([v for v, _ in kept]) or 'no number'}"]
        return []
    if len(got) != len(want_values) or not all(any(same(g, w) for w in want_values) for g in got):
        return [f"expected {_show(want_values)}, the answer states {_show(got) if got else 'no number'}"]
    return []


def _show(values):
    return ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in values)


def _span_reasons(spec, folded, want_values, extract, what):
    spans = extract(folded)
    stated = [v for v, _, _ in extract(fold(spec.get("context") or "")) if isinstance(v, str)]
    flat = []
    for v, s, _ in spans:
        flat += [(x, s) for x in v] if isinstance(v, list) else [(v, s)]
    same = lambda a, b: a == b  # noqa: E731
    got = _committed([v for v, _ in flat], _restatable(stated, want_values, same), same)
    if any(negated_at(folded, s) for v, s in flat if v in want_values):
        return [f"the answer negates {want_values}"]
    if sorted(got) != sorted(want_values):
        return [f"expected {what} {', '.join(want_values)}, the answer states {', '.join(got) or 'none'}"]
    return []


def _without_dates(folded):
    """The text with its dates and clock times in digits blanked: their digits are not ids."""
    for _, start, end in date_spans(folded) + time_spans(folded):
        if any(c.isdigit() for c in folded[start:end]):
            folded = folded[:start] + " " * (end - start) + folded[end:]
    return folded


def _name_reasons(spec, folded, want, ordered=False):
    folded = _without_dates(folded)
    others = [c for c in spec.get("candidates", []) if c not in want]
    stated = [n for n, _, _ in mentions(_without_dates(fold(spec.get("context") or "")), list(want) + others)]
    ignored = set(_restatable(stated, want, lambda a, b: a == b)) if want else set()
    found = [(n, s) for n, s, _ in mentions(folded, list(want) + others) if n not in ignored]
    got = list(dict.fromkeys(n for n, _ in found))
    if any(negated_at(folded, s) for n, s in found if n in want):
        return ["the answer negates an expected name"]
    if not want:
        if got:
            return [f"expected none, the answer names {got}"]
        if not set(words(folded)) & set(EMPTY_CUES):
            return ["expected none; the answer does not say that there is none"]
        return []
    if set(got) != set(want):
        return [f"expected {sorted(want)}, the answer names {got or 'none of them'}"]
    if ordered and got != list(want):
        return [f"expected the order {list(want)}, the answer gives {got}"]
    return []


def check_text(spec, answer):
    """Reasons a free-text final answer is wrong; [] when it states exactly the expected value(s)."""
    kind = spec["kind"]
    if kind == "none":
        return []
    if answer is None or not str(answer).strip():
        return ["no answer given"]
    folded = fold(answer)
    hedged = hedge_cues(folded)
    if hedged:
        return [f"the answer hedges ({', '.join(hedged)})"]
    if kind == "boolean":
        said = polarity(folded)
        return (
            []
            if said is spec["value"]
            else [
                f"expected {'yes' if spec['value'] else 'no'}, the answer says "
                f"{ {True: 'yes', False: 'no', None: 'neither'}[said] }"
            ]
        )
    if kind in ("number", "integer"):
        return _number_reasons(spec, folded, [spec["value"]], spec.get("candidates", []))
    if kind == "date":
        return _span_reasons(spec, folded, [spec["value"]], lambda f: date_spans(f, spec["value"][:4]), "the date")
    if kind == "time":
        return _span_reasons(spec, folded, [spec["value"]], time_spans, "the time")
    if kind in ("entity", "entities"):
        return _name_reasons(spec, folded, _names(spec), ordered=bool(spec.get("ordered")))
    if kind == "record":
        return _record_reasons(spec, folded)
    raise ValueError(f"unknown answer kind {kind!r}")


def _labelled_numbers(spec, folded):
    """When the answer labels every numeric field ("home: 2, away: 1"), the reasons each labelled value is
    wrong; None when it does not label them all (then the numbers are compared as a whole)."""
    numeric = {k: f for k, f in spec["fields"].items() if f["kind"] in ("number", "integer")}
    found = {}
    for key, sub in numeric.items():
        label = re.search(r"\b" + r"\W+".join(map(re.escape, words(key.replace("_", " ")))) + r"\b\W*", folded)
        if label is None:
            return None
        rest = CLAUSE_END.split(folded[label.end() :])[0]
        values = number_spans(rest, unit=sub.get("unit"))
        if not values:
            return None
        found[key] = values[0][0]
    reasons = []
    for key, sub in numeric.items():
        good = _close(found[key], sub["value"], sub) if sub["kind"] == "number" else found[key] == sub["value"]
        if not good:
            reasons.append(f"{key}: expected {sub['value']}, the answer states {found[key]:g}")
    return reasons


def _record_reasons(spec, folded):
    """A record in text: the answer states exactly the fields' values, kind by kind (numbers together, dates
    together, names together). Labelled numbers ("home: 2") are matched field by field; unlabelled ones as a
    whole, each value as often as the fields hold it."""
    fields = spec["fields"].values()
    context = spec.get("context")
    reasons = []
    numeric = [f for f in fields if f["kind"] in ("number", "integer")]
    labelled = _labelled_numbers(spec, folded) if numeric else None
    if labelled is not None:
        reasons += labelled
        if len({f["value"] for f in numeric}) == len(numeric):  # no repeats: also no extra numbers anywhere
            numeric_check = {
                "kind": "number",
                "tolerance": max((f.get("tolerance") or 0) for f in numeric) or None,
                "context": context,
            }
            names = [
                n for f in fields if f["kind"] in ("entity", "entities") for n in _names(f) + f.get("candidates", [])
            ]
            reasons += _number_reasons(numeric_check, folded, [f["value"] for f in numeric], names)
    elif numeric:
        loosest = max((f.get("tolerance") or 0) for f in numeric)
        merged = {"kind": "number" if loosest else "integer", "tolerance": loosest or None, "context": context}
        names = [n for f in fields if f["kind"] in ("entity", "entities") for n in _names(f) + f.get("candidates", [])]
        reasons += _number_reasons(merged, folded, [f["value"] for f in numeric], names, repeats=True)
    for kind, extract in (("date", lambda f: date_spans(f)), ("time", time_spans)):
        values = [f["value"] for f in fields if f["kind"] == kind]
        if values:
            reasons += _span_reasons({"context": context}, folded, values, extract, kind)
    named = [f for f in fields if f["kind"] in ("entity", "entities")]
    if named:
        merged = {"candidates": sorted({c for f in named for c in f.get("candidates", [])}), "context": context}
        reasons += _name_reasons(merged, folded, [n for f in named for n in _names(f)])
    for f in fields:
        if f["kind"] == "boolean" and polarity(folded) is not f["value"]:
            reasons.append(f"expected {'yes' if f['value'] else 'no'}")
    return reasons


def check_answer(spec, text, submitted=None):
    """Grade whichever channel the agent used: a submit_answer value if there is one, else its final message."""
    return check_submitted(spec, submitted) if submitted is not None else check_text(spec, text)
