"""State checks over the sqlite databases of an Outcome."""

from __future__ import annotations

import sqlite3
from typing import Any


def table_rows(db: sqlite3.Connection, table: str, key: str = "id") -> dict[Any, dict[str, Any]]:
    return {r[key]: dict(r) for r in db.execute(f"SELECT * FROM {table}").fetchall()}


def _tuples(db: sqlite3.Connection, table: str) -> tuple[list[str], list[tuple]]:
    cursor = db.cursor()
    cursor.row_factory = None  # plain tuples: compared and hashed in C, the hot path of most verifiers
    cursor.execute(f"SELECT * FROM {table}")
    return [d[0] for d in cursor.description], cursor.fetchall()


def diff_table(initial: sqlite3.Connection, final: sqlite3.Connection, table: str, key: str = "id"):
    """(added, removed, changed) rows of `table`, each a list of row dicts (changed: the final rows).
    Rows are matched by the unique column `key`."""
    columns, before = _tuples(initial, table)
    _, after = _tuples(final, table)
    if before == after:
        return [], [], []
    k = columns.index(key)
    old = {r[k]: r for r in set(before) - set(after)}  # removed rows and the old versions of changed ones
    new = {r[k]: r for r in set(after) - set(before)}  # added rows and the new versions of changed ones

    def rows(keys, source):
        return [dict(zip(columns, source[x])) for x in sorted(keys)]

    return rows(new.keys() - old.keys(), new), rows(old.keys() - new.keys(), old), rows(new.keys() & old.keys(), new)


def unchanged(initial: sqlite3.Connection, final: sqlite3.Connection, tables: list[str], key: str = "id") -> list[str]:
    """Names of the listed tables whose content differs."""
    return [t for t in tables if any(diff_table(initial, final, t, key))]


def column_deltas(initial: sqlite3.Connection, final: sqlite3.Connection, table: str, column: str,
                  key: str = "id") -> dict[Any, float]:
    """How a numeric column changed, per key of the rows present in both states; unchanged rows are left out."""
    before, after = table_rows(initial, table, key), table_rows(final, table, key)
    deltas = {k: (after[k][column] or 0) - (before[k][column] or 0) for k in after.keys() & before.keys()}
    return {k: round(d, 6) for k, d in sorted(deltas.items()) if abs(d) > 1e-9}


def grouped_sums(db: sqlite3.Connection, table: str, keys: list[str], column: str,
                 where: str = "1") -> dict[str, float]:
    """Sum of a numeric column per combination of `keys` (values joined with '|'), over rows matching `where`."""
    cols = " || '|' || ".join(f"CAST(COALESCE({k}, '') AS TEXT)" for k in keys)
    rows = db.execute(f"SELECT {cols} AS k, SUM({column}) AS v FROM {table} WHERE {where} GROUP BY k").fetchall()
    return {r[0]: round(r[1] or 0, 6) for r in rows}


def grouped_deltas(initial: sqlite3.Connection, final: sqlite3.Connection, table: str, keys: list[str], column: str,
                   where: str = "1") -> dict[str, float]:
    """How grouped_sums changed between two states; groups whose sum did not change are left out."""
    before, after = grouped_sums(initial, table, keys, column, where), grouped_sums(final, table, keys, column, where)
    deltas = {k: round(after.get(k, 0) - before.get(k, 0), 6) for k in before.keys() | after.keys()}
    return {k: d for k, d in sorted(deltas.items()) if abs(d) > 1e-9}
