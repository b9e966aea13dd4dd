"""Declared state effects: every change between the initial and the final database must be one the task
declares, and declared values must hold. A read-only task declares none, so any change fails it.

A declaration is {"tables": {table: rule}}; a rule may say
  insert: true | N                 rows may be added (exactly N when a number)
  rows: [{column: value}]          the added rows, as a multiset, projected on these columns
  delete: true | [key, ...]        rows may be removed (exactly these keys when a list)
  update: [column, ...] | "*"      rows may change in these columns only
  keys: [key, ...]                 only these rows may change
  values: {column: value}          every row of `keys` (or every changed row) ends with these values
Rows are matched by the table's primary key (its rowid when it has none). Standard library only.
"""

from .state import key_columns, table_snapshot


def _same_value(a, b):
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b) <= 1e-6
    return a == b


def table_changes(initial, final, table):
    """(added, removed, changed, final rows) of one table as {key: row dict}; changed holds (before, after)."""
    keys = key_columns(initial, table)
    columns, before = table_snapshot(initial, table, keys)
    _, after = table_snapshot(final, table, keys)
    final_rows = lambda: {_key(k): dict(zip(columns, v)) for k, v in after.items()}  # noqa: E731
    if before == after:
        return {}, {}, {}, final_rows
    added = {k: dict(zip(columns, after[k])) for k in after.keys() - before.keys()}
    removed = {k: dict(zip(columns, before[k])) for k in before.keys() - after.keys()}
    changed = {
        k: (dict(zip(columns, before[k])), dict(zip(columns, after[k])))
        for k in after.keys() & before.keys()
        if before[k] != after[k]
    }
    return added, removed, changed, final_rows


def _tables(db):
    return {
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    }


def _key(value):
    return value[0] if isinstance(value, tuple) and len(value) == 1 else value


def _rule_reasons(table, rule, added, removed, changed, final_rows):
    reasons = []
    insert = rule.get("insert", False)
    if added and not insert:
        reasons.append(f"{table}: {len(added)} row(s) added, none expected")
    elif insert is not True and insert is not False and len(added) != insert:
        reasons.append(f"{table}: {len(added)} row(s) added, {insert} expected")
    if "rows" in rule:
        columns = sorted({c for r in rule["rows"] for c in r})
        if not _rows_same_value(added.values(), rule["rows"], columns):
            reasons.append(
                f"{table}: added rows {[{c: r.get(c) for c in columns} for r in added.values()]} differ "
                f"from the expected {rule['rows']}"
            )
    delete = rule.get("delete", False)
    if removed and not delete:
        reasons.append(f"{table}: {len(removed)} row(s) removed, none expected")
    elif isinstance(delete, list) and sorted(map(repr, map(_key, removed))) != sorted(map(repr, delete)):
        reasons.append(
            f"{table}: removed rows {sorted(map(_key, removed), key=repr)} differ from the expected {delete}"
        )
    allowed = rule.get("update", [])
    keys = rule.get("keys")
    for key, (before, after) in sorted(changed.items(), key=lambda kv: repr(kv[0])):
        moved = sorted(c for c in after if not _same_value(before.get(c), after[c]))
        if allowed != "*" and set(moved) - set(allowed):
            reasons.append(
                f"{table} row {_key(key)!r}: {sorted(set(moved) - set(allowed))} changed, only "
                f"{allowed or 'nothing'} may"
            )
        elif keys is not None and _key(key) not in keys:
            reasons.append(f"{table} row {_key(key)!r} changed; only rows {keys} may")
    if "values" in rule:
        final = final_rows()
        for key in keys if keys is not None else [_key(k) for k in changed]:
            row = final.get(key)
            if row is None:
                reasons.append(f"{table} row {key!r} is missing")
                continue
            wrong = {c: row.get(c) for c, v in rule["values"].items() if not _same_value(row.get(c), v)}
            if wrong:
                reasons.append(f"{table} row {key!r} has {wrong}, expected {rule['values']}")
    return reasons


def _rows_same_value(got_rows, want_rows, columns):
    remaining = [list(r.get(c) for c in columns) for r in want_rows]
    for row in got_rows:
        values = [row.get(c) for c in columns]
        match = next((i for i, w in enumerate(remaining) if all(_same_value(a, b) for a, b in zip(values, w))), None)
        if match is None:
            return False
        remaining.pop(match)
    return not remaining


def check_effects(outcome, declaration):
    """Reasons the final state differs from what the declaration allows; [] when every change is declared."""
    rules = (declaration or {}).get("tables", {})
    initial_tables, final_tables = _tables(outcome.initial), _tables(outcome.db)
    reasons = [f"table {t} was created" for t in sorted(final_tables - initial_tables)]
    reasons += [f"table {t} was dropped" for t in sorted(initial_tables - final_tables)]
    touched = getattr(outcome, "changed_tables", None)  # a runtime may say which tables can have changed
    for table in sorted(initial_tables & final_tables):
        if touched is not None and table not in touched and table not in rules:
            continue
        added, removed, changed, final_rows = table_changes(outcome.initial, outcome.db, table)
        rule = rules.get(table)
        if rule is None:
            if added or removed or changed:
                reasons.append(
                    f"{table} changed ({len(added)} added, {len(removed)} removed, {len(changed)} "
                    f"updated); the task allows no change there"
                )
            continue
        reasons += _rule_reasons(table, rule, added, removed, changed, final_rows)
    return reasons
