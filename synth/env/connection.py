"""The sqlite3 connection of environment instances, with what grading may use to go faster.

synth_verifiers.state reads these attributes when they are there and gives the same results without them:
`snapshots` caches table snapshots of a database that never changes (an instance's initial state); `base` and
`touched` say that this database is `base` with only the rows `touched` (table -> rowids) changed.
"""

from __future__ import annotations

import sqlite3


class Connection(sqlite3.Connection):
    snapshots: dict | None = None
    base: "Connection | None" = None
    touched: dict[str, set[int]] | None = None


def connect() -> Connection:
    db = sqlite3.connect(":memory:", check_same_thread=False, factory=Connection)
    db.row_factory = sqlite3.Row
    return db


def rowid_tables(db: sqlite3.Connection) -> list[str]:
    """Tables whose rows are keyed by their rowid (no primary key, or an INTEGER PRIMARY KEY)."""
    out = []
    for name, sql in db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall():
        if "WITHOUT ROWID" in (sql or "").upper():
            continue
        keys = [r for r in db.execute(f'PRAGMA table_info("{name}")').fetchall() if r[5]]
        if not keys or (len(keys) == 1 and (keys[0][2] or "").upper() == "INTEGER"):
            out.append(name)
    return out


def track_rows(db: Connection, tables: list[str]) -> None:
    """Temporary triggers that log every row inserted, updated or deleted in `tables` (this connection only)."""
    db.execute("CREATE TEMP TABLE IF NOT EXISTS _synth_touched (tbl TEXT, rid INTEGER)")
    for i, table in enumerate(tables):
        log = f"INSERT INTO _synth_touched VALUES ('{table}', %s);"
        db.executescript(
            f'CREATE TEMP TRIGGER _synth_i{i} AFTER INSERT ON main."{table}" BEGIN {log % "NEW.rowid"} END;'
            f'CREATE TEMP TRIGGER _synth_u{i} AFTER UPDATE ON main."{table}" BEGIN {log % "OLD.rowid"} '
            f"{log % 'NEW.rowid'} END;"
            f'CREATE TEMP TRIGGER _synth_d{i} AFTER DELETE ON main."{table}" BEGIN {log % "OLD.rowid"} END;'
        )
    db.tracked = list(tables)


def touched_rows(db: Connection) -> dict[str, set[int]]:
    touched: dict[str, set[int]] = {t: set() for t in getattr(db, "tracked", [])}
    for table, rid in db.execute("SELECT tbl, rid FROM _synth_touched").fetchall():
        touched[table].add(rid)
    return touched
