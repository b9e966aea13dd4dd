"""State checks over the sqlite databases of an Outcome."""

from __future__ import annotations

import sqlite3
from typing import Any


def table_rows(db: sqlite3.Connection, table: str, key: str = "id") -> dict[Any, dict[str, Any]]:
    return {r[key]: dict(r) for r in db.execute(f"SELECT * FROM {table}").fetchall()}


def diff_table(initial: sqlite3.Connection, final: sqlite3.Connection, table: str, key: str = "id"):
    """(added, removed, changed) rows of `table`, each a list of row dicts (changed: the final rows)."""
    before, after = table_rows(initial, table, key), table_rows(final, table, key)
    added = [after[k] for k in after.keys() - before.keys()]
    removed = [before[k] for k in before.keys() - after.keys()]
    changed = [after[k] for k in after.keys() & before.keys() if after[k] != before[k]]
    return sorted(added, key=lambda r: r[key]), sorted(removed, key=lambda r: r[key]), sorted(changed, key=lambda r: r[key])


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
