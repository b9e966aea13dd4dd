"""Typed answers graded like an attacker would try them: for each kind, a table of final messages and submitted
values with the verdict they must get, and properties over generated values."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synth.expect import Answer
from synth.validation.answers import number_words
from synth_verifiers.answers import answer_schema, check_submitted, check_text, schema_problems

MERCHANTS = ["Paper & Pine", "Lumen Optics", "Threadline", "Gadget Den", "HomeNest"]


def passes(answer: Answer, text: str | None, context: str = "") -> bool:
    spec = answer.spec()
    spec["context"] = context
    return not check_text(spec, text)


def submitted_passes(answer: Answer, value) -> bool:
    return not check_submitted(answer.spec(), value)


CASES = [
    # (answer, final message, instruction, verdict)
    # numbers: hedges, number words, restated ids and dates, formats, empty
    (Answer.integer(2), "2", "", True),
    (Answer.integer(2), "Two: Pia Santos and Mara Sato.", "", True),
    (Answer.integer(2), "2 (maybe three with a guest)", "", False),
    (Answer.integer(2), "three", "", False),
    (Answer.integer(2), "2 or 3", "", False),
    (Answer.integer(2), "It is not 2.", "", False),
    (Answer.integer(2), "", "", False),
    (Answer.integer(2), None, "", False),
    (Answer.integer(0), "None of them.", "", True),
    (Answer.integer(4), "4 orders are above 100.", "How many orders are above 100?", True),
    (Answer.integer(12), "There are twelve in total.", "", True),
    # a month the question names is restated, but its digits are no number to hedge with
    (Answer.integer(1), "1 / 2", "How many commits did Rafael Sousa make in 2025-02?", False),
    (
        Answer.integer(1),
        "Rafael Sousa made 1 commit in 2025-02.",
        "How many commits did Rafael Sousa make in 2025-02?",
        True,
    ),
    (Answer.number(240), "240 (or perhaps two hundred and seventy)", "", False),
    (Answer.number(270), "two hundred and seventy", "", True),
    (Answer.number(3888.05), "Invoice INV-8432 is for 3888.05.", "How much is invoice INV-8432?", True),
    (Answer.number(3888.05), "$3,888.05", "", True),
    (Answer.number(3888.05), "3888.04", "", False),
    (Answer.number(3888.05), "3888.1", "", False),
    (Answer.number(3888.05), "3888", "", False),
    (Answer.number(3888.05), "3888.05 and 3888.10", "", False),
    (
        Answer.number(2251.3, decimals=1),
        "On 2026-06-17 Greer plans 2251.3 kcal.",
        "How many kcal does Greer plan on 2026-06-17?",
        True,
    ),
    (
        Answer.number(1200),
        "After moving 300, account CHK-1234-56 holds 1,200.00.",
        "Move 300 from CHK-1234-56 to SAV-9876-54. What is left in CHK-1234-56?",
        True,
    ),
    (Answer.number(300), "300 and 250", "Move 300 or as much as the limit allows; how much moved?", False),
    (Answer.number(-350.2), "-350.20", "", True),
    (Answer.number(-350.2), "350.20", "", False),
    (Answer.number(90, decimals=0, unit="minutes"), "1.5 hours", "", True),
    (Answer.number(90, decimals=0, unit="minutes"), "90 minutes", "", True),
    (Answer.number(90, decimals=0, unit="minutes"), "2 hours", "", False),
    # choice between stated values: naming all of them fails
    (Answer.number(250), "120, 250 and 400", "Which of 120, 250 or 400 was charged?", False),
    (Answer.number(250), "250", "Which of 120, 250 or 400 was charged?", True),
    # booleans
    (Answer.boolean(True), "Yes, the order is not cancelled.", "", True),
    (Answer.boolean(True), "Yes.", "", True),
    (Answer.boolean(True), "No.", "", False),
    (Answer.boolean(True), "Yes or no, hard to say.", "", False),
    (Answer.boolean(True), "yes and no", "", False),
    (Answer.boolean(False), "No, it does not exceed the limit.", "", True),
    (Answer.boolean(False), "", "", False),
    # dates
    (Answer.date("2026-06-17"), "2026-06-17", "", True),
    (Answer.date("2026-06-17"), "June 17, 2026", "", True),
    (Answer.date("2026-06-17"), "17 June 2026", "", True),
    (Answer.date("2026-06-17"), "Wednesday, June 17", "", True),
    (Answer.date("2026-06-17"), "On 17 June 2026, after 2026-06-01 as asked.", "Which date after 2026-06-01?", True),
    (Answer.date("2026-10-22"), "2026-10-22, 2026-10-29, 2026-11-05 or 2026-11-12", "", False),
    (Answer.date("2026-10-22"), "2026-10-22 and 2026-10-29", "", False),
    (Answer.date("2026-10-22"), "Not on 2026-10-22.", "", False),
    (Answer.date("2026-10-22"), "2026-10-23", "", False),
    # times
    (Answer.time("14:30"), "2:30 PM", "", True),
    (Answer.time("14:30"), "14:30", "", True),
    (Answer.time("14:30"), "at 14h30", "", True),
    (Answer.time("14:30"), "14:30 or 15:00", "", False),
    (Answer.time("14:30"), "15:00", "", False),
    # one entity: aliases, casing, misspelled hedges, negations
    (Answer.entity("Paper & Pine", candidates=MERCHANTS), "Paper and Pine", "", True),
    (Answer.entity("Paper & Pine", candidates=MERCHANTS), "PAPER & PINE", "", True),
    (Answer.entity("Paper & Pine", candidates=MERCHANTS), "The top merchant is Paper & Pine.", "", True),
    (Answer.entity("Paper & Pine", candidates=MERCHANTS), "Paper & Pine, or possibly Lumen Optic", "", False),
    (Answer.entity("Paper & Pine", candidates=MERCHANTS), "Paper & Pine and Lumen Optic", "", False),
    (Answer.entity("Paper & Pine", candidates=MERCHANTS), "It is not Paper & Pine.", "", False),
    (Answer.entity("Paper & Pine", candidates=MERCHANTS), "Lumen Optics", "", False),
    (Answer.entity("Paper & Pine", candidates=MERCHANTS), "", "", False),
    (Answer.entity("Dr. Isolde Abernathy", candidates=["Dr. Mara Sato"]), "Isolde Abernathy", "", True),
    (Answer.entity("Dr. Isolde Abernathy", candidates=["Dr. Mara Sato"]), "Dr Isolde Abernathy", "", True),
    # a set of entities
    (Answer.entities(["Pia Santos", "Mara Sato"], candidates=["Ola Berg"]), "Two: Pia Santos and Mara Sato.", "", True),
    (Answer.entities(["Pia Santos", "Mara Sato"], candidates=["Ola Berg"]), "Mara Sato, Pia Santos", "", True),
    (Answer.entities(["Pia Santos", "Mara Sato"], candidates=["Ola Berg"]), "Pia Santos", "", False),
    (
        Answer.entities(["Pia Santos", "Mara Sato"], candidates=["Ola Berg"]),
        "Pia Santos, Mara Sato, Ola Berg",
        "",
        False,
    ),
    (
        Answer.entities(["Pia Santos", "Mara Sato"], candidates=["Ola Berg"]),
        "Pia Santos, Mara Sato and maybe Ola Berg",
        "",
        False,
    ),
    (Answer.entities([], candidates=["Brightwater Utilities", "StreamBox"]), "None were skipped.", "", True),
    (
        Answer.entities([], candidates=["Brightwater Utilities", "StreamBox"]),
        "All of the bills were skipped.",
        "",
        False,
    ),
    (Answer.entities([], candidates=["Brightwater Utilities", "StreamBox"]), "", "", False),
    # the question lists the choices: listing them all fails
    (
        Answer.entities(["StreamBox"], candidates=["Brightwater Utilities", "FitLoop Gym"]),
        "StreamBox, Brightwater Utilities and FitLoop Gym",
        "Pay StreamBox 10, Brightwater Utilities 20 and FitLoop Gym 30; which were skipped?",
        False,
    ),
    (
        Answer.entities(["StreamBox"], candidates=["Brightwater Utilities", "FitLoop Gym"]),
        "Only StreamBox.",
        "Pay StreamBox 10, Brightwater Utilities 20 and FitLoop Gym 30; which were skipped?",
        True,
    ),
    # an ordered list
    (Answer.entities(["A1", "B2", "C3"], ordered=True), "A1, B2, C3", "", True),
    (Answer.entities(["A1", "B2", "C3"], ordered=True), "C3, B2, A1", "", False),
    # a record
    (
        Answer.record(nights=Answer.integer(3), hotel=Answer.entity("Grand Hotel", candidates=["Park Inn"])),
        "Grand Hotel for 3 nights",
        "",
        True,
    ),
    (
        Answer.record(nights=Answer.integer(3), hotel=Answer.entity("Grand Hotel", candidates=["Park Inn"])),
        "Grand Hotel or Park Inn for 3 nights",
        "",
        False,
    ),
    (
        Answer.record(nights=Answer.integer(3), hotel=Answer.entity("Grand Hotel", candidates=["Park Inn"])),
        "Grand Hotel for 4 nights",
        "",
        False,
    ),
]


@pytest.mark.parametrize("answer, text, context, verdict", CASES, ids=[f"{a.kind}:{t!r}" for a, t, _, _ in CASES])
def test_text_answers(answer, text, context, verdict):
    assert passes(answer, text, context) is verdict, check_text({**answer.spec(), "context": context}, text)


SUBMITTED = [
    (Answer.number(3888.05), 3888.05, True),
    (Answer.number(3888.05), 3888.051, True),
    (Answer.number(3888.05), 3888.06, False),
    (Answer.number(3.0), 3, True),
    (Answer.integer(2), 2, True),
    (Answer.integer(2), 3, False),
    (Answer.integer(2), True, False),
    (Answer.boolean(False), False, True),
    (Answer.boolean(False), 0, False),
    (Answer.date("2026-06-17"), "2026-06-17", True),
    (Answer.date("2026-06-17"), "2026-06-18", False),
    (Answer.time("09:05"), "09:05", True),
    (Answer.time("09:05"), "9:05 am", True),
    (Answer.entity("Paper & Pine", candidates=MERCHANTS), "paper and pine", True),
    (Answer.entity("Paper & Pine", candidates=MERCHANTS), "Paper & Pine or Lumen Optics", False),
    (Answer.entity("Paper & Pine", candidates=MERCHANTS), "Lumen Optics", False),
    (Answer.entities(["A1", "B2"]), ["B2", "A1"], True),
    (Answer.entities(["A1", "B2"]), ["A1"], False),
    (Answer.entities(["A1", "B2"], ordered=True), ["B2", "A1"], False),
    (Answer.record(n=Answer.integer(3), d=Answer.date("2026-01-02")), {"n": 3, "d": "2026-01-02"}, True),
    (Answer.record(n=Answer.integer(3), d=Answer.date("2026-01-02")), {"n": 3}, False),
]


@pytest.mark.parametrize("answer, value, verdict", SUBMITTED, ids=[f"{a.kind}:{v!r}" for a, v, _ in SUBMITTED])
def test_submitted_answers(answer, value, verdict):
    assert submitted_passes(answer, value) is verdict


def test_schemas_describe_each_kind_without_the_value():
    assert answer_schema(Answer.none().spec()) is None
    schema = Answer.number(12.5).schema()
    assert schema["type"] == "number" and "12.5" not in str(schema)
    assert Answer.entities(["x"]).schema()["type"] == "array"
    record = Answer.record(n=Answer.integer(3), d=Answer.date("2026-01-02")).schema()
    assert record["required"] == ["d", "n"] and not schema_problems(record, {"n": 1, "d": "2026-05-01"})
    assert schema_problems(record, {"n": "1", "d": "May 1"}) and schema_problems(record, {"n": 1})


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=-10_000, max_value=10_000_000), st.integers(min_value=1, max_value=50))
def test_integers_any_format_right_other_values_wrong(value, delta):
    answer = Answer.integer(value)
    assert passes(answer, str(value)) and passes(answer, f"The count is {value:,}.")
    if 0 <= value < 1_000_000:
        assert passes(answer, f"There are {number_words(value)} in total.")
    assert not passes(answer, str(value + delta))
    assert not passes(answer, f"{value} or {value + delta}")
    assert not passes(answer, f"{value} and {value + delta}")


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=-10_000_000, max_value=10_000_000), st.integers(min_value=1, max_value=99))
def test_money_two_decimals(cents, off):
    value = cents / 100
    answer = Answer.number(value)
    assert passes(answer, f"{value:.2f}") and passes(answer, f"It comes to {value:,.2f}.")
    assert not passes(answer, f"{value + off / 100:.2f}")
    assert not passes(answer, f"{value:.2f}, or possibly {value + off:.2f}")


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)), st.integers(1, 400))
def test_dates_any_format(day, shift):
    answer = Answer.date(day.isoformat())
    for text in (day.isoformat(), f"{day:%B} {day.day}, {day.year}", f"{day.day} {day:%B} {day.year}"):
        assert passes(answer, text), text
    other = day + dt.timedelta(days=shift)
    assert not passes(answer, other.isoformat())
    assert not passes(answer, f"{day.isoformat()} or {other.isoformat()}")


NAME = st.from_regex(r"[A-Z][a-z]{3,8}( [A-Z][a-z]{3,8}){0,2}", fullmatch=True)


@settings(max_examples=100, deadline=None)
@given(st.lists(NAME, min_size=3, max_size=6, unique_by=lambda n: n.lower()))
def test_names_exact_sets(names):
    from synth_verifiers.text import name_tokens, same_token

    def alike(a, b):  # names one typo apart are the same name to the grader
        ta, tb = name_tokens(a), name_tokens(b)
        return len(ta) == len(tb) and all(same_token(x, y) for x, y in zip(ta, tb))

    if any(alike(a, b) or a.lower() in b.lower() or b.lower() in a.lower() for a in names for b in names if a != b):
        return
    expected, others = names[:2], names[2:]
    answer = Answer.entities(expected, candidates=others)
    assert passes(answer, f"{expected[1]} and {expected[0]}")
    assert passes(answer, f"{expected[0].upper()}, {expected[1].lower()}")
    assert not passes(answer, expected[0])
    assert not passes(answer, f"{expected[0]}, {expected[1]} and {others[0]}")
