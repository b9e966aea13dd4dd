"""State checks over the sqlite databases of an Outcome. Rows are matched by each table's own primary key
(its rowid when it declares none), never by an assumed `id` column."""

from __future__ import annotations

import sqlite3
from typing import Any


def key_columns(db: sqlite3.Connection, table: str) -> list[str]:
    """The table's primary key columns, in key order; [] when it has none (rows are then keyed by rowid)."""
    info = db.execute(f"PRAGMA table_info({table})").fetchall()
    return [r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5])]


def table_snapshot(db: sqlite3.Connection, table: str, keys: list[str]) -> tuple[list[str], dict[Any, tuple]]:
    """(columns, {key tuple: row tuple}). Plain tuples: compared and hashed in C, the hot path of verifiers.

    A runtime may make this faster, never different: `db.snapshots` caches the tables of a database that does not
    change; `db.base` with `db.touched` says `db` is `base` with only those rowids changed."""
    cache = getattr(db, "snapshots", None)
    if cache is not None and (table, tuple(keys)) in cache:
        return cache[(table, tuple(keys))]
    touched = getattr(db, "touched", None)
    if (
        touched is not None
        and table in touched
        and getattr(db, "base", None) is not None
        and list(keys) == key_columns(db, table)
    ):  # tracked tables are keyed by their rowid
        columns, rows = table_snapshot(db.base, table, keys)
        if not touched[table]:
            return columns, rows
        rows = dict(rows)
        marks = ",".join("?" * len(touched[table]))
        for rid in touched[table]:
            rows.pop((rid,), None)
        cursor = db.cursor()
        cursor.row_factory = None
        cursor.execute(f"SELECT rowid, * FROM {table} WHERE rowid IN ({marks})", sorted(touched[table]))
        for r in cursor.fetchall():
            rows[(r[0],)] = r[1:]
        return columns, rows
    result = _full_snapshot(db, table, keys)
    if cache is not None:
        cache[(table, tuple(keys))] = result
    return result


def _full_snapshot(db: sqlite3.Connection, table: str, keys: list[str]) -> tuple[list[str], dict[Any, tuple]]:
    cursor = db.cursor()
    cursor.row_factory = None
    if keys:
        cursor.execute(f"SELECT * FROM {table}")
        columns = [d[0] for d in cursor.description]
        at = [columns.index(k) for k in keys]
        return columns, {tuple(r[i] for i in at): r for r in cursor.fetchall()}
    cursor.execute(f"SELECT rowid, * FROM {table}")
    columns = [d[0] for d in cursor.description][1:]
    return columns, {(r[0],): r[1:] for r in cursor.fetchall()}


def _key_of(db: sqlite3.Connection, table: str, key: str | None) -> list[str]:
    return [key] if key else key_columns(db, table)


def _plain(k: tuple) -> Any:
    return k[0] if len(k) == 1 else k


def table_rows(db: sqlite3.Connection, table: str, key: str | None = None) -> dict[Any, dict[str, Any]]:
    """{key: row dict} of a table, keyed by `key` or the table's primary key."""
    columns, rows = table_snapshot(db, table, _key_of(db, table, key))
    return {_plain(k): dict(zip(columns, v)) for k, v in rows.items()}


def diff_table(initial: sqlite3.Connection, final: sqlite3.Connection, table: str, key: str | None = None):
    """(added, removed, changed) rows of `table`, each a list of row dicts sorted by key (changed: final rows)."""
    keys = _key_of(initial, table, key)
    columns, before = table_snapshot(initial, table, keys)
    _, after = table_snapshot(final, table, keys)
    if before == after:
        return [], [], []

    def rows(selected, source):
        return [dict(zip(columns, source[k])) for k in sorted(selected, key=repr)]

    changed = [k for k in after.keys() & before.keys() if after[k] != before[k]]
    return rows(after.keys() - before.keys(), after), rows(before.keys() - after.keys(), before), rows(changed, after)


def unchanged(initial: sqlite3.Connection, final: sqlite3.Connection, tables: list[str]) -> list[str]:
    """Names of the listed tables whose content differs."""
    return [t for t in tables if any(diff_table(initial, final, t))]


def column_deltas(
    initial: sqlite3.Connection, final: sqlite3.Connection, table: str, column: str, key: str | None = None
) -> dict[Any, float]:
    """How a numeric column changed, per key of the rows present in both states; unchanged rows are left out."""
    before, after = table_rows(initial, table, key), table_rows(final, table, key)
    deltas = {k: (after[k][column] or 0) - (before[k][column] or 0) for k in after.keys() & before.keys()}
    return {k: round(d, 6) for k, d in sorted(deltas.items(), key=lambda kv: repr(kv[0])) if abs(d) > 1e-9}


def grouped_sums(
    db: sqlite3.Connection, table: str, keys: list[str], column: str, where: str = "1"
) -> dict[str, float]:
    """Sum of a numeric column per combination of `keys` (values joined with '|'), over rows matching `where`."""
    cols = " || '|' || ".join(f"CAST(COALESCE({k}, '') AS TEXT)" for k in keys)
    rows = db.execute(f"SELECT {cols} AS k, SUM({column}) AS v FROM {table} WHERE {where} GROUP BY k").fetchall()
    return {r[0]: round(r[1] or 0, 6) for r in rows}


def grouped_deltas(
    initial: sqlite3.Connection, final: sqlite3.Connection, table: str, keys: list[str], column: str, where: str = "1"
) -> dict[str, float]:
    """How grouped_sums changed between two states; groups whose sum did not change are left out."""
    before, after = grouped_sums(initial, table, keys, column, where), grouped_sums(final, table, keys, column, where)
    deltas = {k: round(after.get(k, 0) - before.get(k, 0), 6) for k in before.keys() | after.keys()}
    return {k: d for k, d in sorted(deltas.items()) if abs(d) > 1e-9}
