"""Declared effects: a change outside the declaration fails, a declared value must hold, and rows are matched by
each table's own key; state helpers do not assume an `id` column."""

import sqlite3

import pytest

from synth.expect import Effects, Rule, deletes, inserts, updates
from synth_verifiers.effects import check_effects
from synth_verifiers.outcome import Outcome
from synth_verifiers.state import diff_table, table_rows

SCHEMA = """
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, status TEXT, total REAL);
CREATE TABLE stock (sku TEXT PRIMARY KEY, qty INTEGER) WITHOUT ROWID;
CREATE TABLE log (at TEXT, what TEXT);
INSERT INTO orders VALUES (1, 'ana', 'open', 10), (2, 'bo', 'open', 20), (3, 'cy', 'shipped', 30);
INSERT INTO stock VALUES ('A-1', 5), ('B-2', 7);
INSERT INTO log VALUES ('09:00', 'boot');
"""


def outcome_after(*statements: str) -> Outcome:
    initial = sqlite3.connect(":memory:")
    initial.row_factory = sqlite3.Row
    initial.executescript(SCHEMA)
    final = sqlite3.connect(":memory:")
    final.row_factory = sqlite3.Row
    initial.backup(final)
    for sql in statements:
        final.execute(sql)
    return Outcome(db=final, initial=initial, answer=None)


CANCEL_2 = Effects.on(orders=updates("status", keys=[2], values={"status": "cancelled"}))

CASES = [
    ("read-only, nothing changed", Effects(), [], True),
    ("read-only, a side write", Effects(), ["UPDATE orders SET status = 'cancelled' WHERE id = 2"], False),
    ("read-only, a log line", Effects(), ["INSERT INTO log VALUES ('10:00', 'x')"], False),
    ("the declared cancel", CANCEL_2, ["UPDATE orders SET status = 'cancelled' WHERE id = 2"], True),
    ("the cancel skipped", CANCEL_2, [], False),
    ("a sibling row cancelled instead", CANCEL_2, ["UPDATE orders SET status = 'cancelled' WHERE id = 1"], False),
    ("the cancel plus a sibling", CANCEL_2, ["UPDATE orders SET status = 'cancelled' WHERE id IN (1, 2)"], False),
    (
        "the cancel plus another column",
        CANCEL_2,
        ["UPDATE orders SET status = 'cancelled', total = 0 WHERE id = 2"],
        False,
    ),
    (
        "the cancel plus another table",
        CANCEL_2,
        ["UPDATE orders SET status = 'cancelled' WHERE id = 2", "UPDATE stock SET qty = 4 WHERE sku = 'A-1'"],
        False,
    ),
    ("a wrong value", CANCEL_2, ["UPDATE orders SET status = 'held' WHERE id = 2"], False),
    (
        "two inserts, any ids",
        Effects.on(log=inserts(2)),
        ["INSERT INTO log VALUES ('10:00', 'a')", "INSERT INTO log VALUES ('10:01', 'b')"],
        True,
    ),
    ("one insert of two", Effects.on(log=inserts(2)), ["INSERT INTO log VALUES ('10:00', 'a')"], False),
    (
        "a repeated insert",
        Effects.on(log=inserts(rows=[{"what": "a"}])),
        ["INSERT INTO log VALUES ('10:00', 'a')", "INSERT INTO log VALUES ('10:00', 'a')"],
        False,
    ),
    (
        "inserted rows as declared, other order",
        Effects.on(log=inserts(rows=[{"what": "a"}, {"what": "b"}])),
        ["INSERT INTO log VALUES ('1', 'b')", "INSERT INTO log VALUES ('2', 'a')"],
        True,
    ),
    (
        "a keyed table without rowid",
        Effects.on(stock=updates("qty", keys=["A-1"], values={"qty": 4})),
        ["UPDATE stock SET qty = 4 WHERE sku = 'A-1'"],
        True,
    ),
    (
        "a keyed table, the sibling",
        Effects.on(stock=updates("qty", keys=["A-1"], values={"qty": 4})),
        ["UPDATE stock SET qty = 4 WHERE sku = 'B-2'"],
        False,
    ),
    ("a declared delete", Effects.on(orders=deletes([3])), ["DELETE FROM orders WHERE id = 3"], True),
    ("another delete", Effects.on(orders=deletes([3])), ["DELETE FROM orders WHERE id = 1"], False),
    ("a table created", Effects(), ["CREATE TABLE notes (x TEXT)"], False),
    (
        "insert and update together",
        Effects.on(orders=Rule(insert=1, update=["status"])),
        [
            "INSERT INTO orders (customer, status, total) VALUES ('di', 'open', 5)",
            "UPDATE orders SET status = 'held' WHERE id = 1",
        ],
        True,
    ),
]


@pytest.mark.parametrize("label, effects, statements, verdict", CASES, ids=[c[0] for c in CASES])
def test_declared_effects(label, effects, statements, verdict):
    outcome = outcome_after(*statements)
    reasons = check_effects(outcome, effects.spec())
    assert (not reasons) is verdict, reasons


def test_a_runtime_hint_of_changed_tables_gives_the_same_verdict():
    for _, effects, statements, _ in CASES:
        full = outcome_after(*statements)
        hinted = outcome_after(*statements)
        hinted.changed_tables = {"orders", "stock", "log"}
        assert check_effects(full, effects.spec()) == check_effects(hinted, effects.spec())


def test_state_helpers_use_each_tables_key():
    outcome = outcome_after(
        "UPDATE stock SET qty = 1 WHERE sku = 'B-2'",
        "DELETE FROM log",
        "INSERT INTO orders (customer, status, total) VALUES ('di', 'open', 5)",
    )
    assert diff_table(outcome.initial, outcome.db, "stock") == ([], [], [{"sku": "B-2", "qty": 1}])
    assert diff_table(outcome.initial, outcome.db, "log") == ([], [{"at": "09:00", "what": "boot"}], [])
    added, removed, changed = diff_table(outcome.initial, outcome.db, "orders")
    assert added == [{"id": 4, "customer": "di", "status": "open", "total": 5.0}] and not removed and not changed
    assert set(table_rows(outcome.db, "stock")) == {"A-1", "B-2"}
    assert table_rows(outcome.db, "orders", key="customer")["ana"]["id"] == 1
