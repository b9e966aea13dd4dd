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
