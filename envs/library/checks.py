"""State checks for what a declaration of effects cannot say by itself."""

from synth_verifiers.state import table_rows


def check_rows(outcome, params):
    """Each listed row ends with its own values: params["rows"] is [[table, key, {column: value}]] (a declaration
    gives one set of values for all the rows it names)."""
    reasons = []
    tables = {}
    for table, key, values in params["rows"]:
        if table not in tables:
            tables[table] = table_rows(outcome.db, table)
        row = tables[table].get(key)
        if row is None:
            reasons.append(f"{table} row {key} is missing")
            continue
        wrong = {
            c: row[c]
            for c, v in values.items()
            if not (
                row[c] == v
                or (isinstance(v, (int, float)) and isinstance(row[c], (int, float)) and abs(row[c] - v) < 1e-6)
            )
        }
        if wrong:
            reasons.append(f"{table} row {key} has {wrong}, expected {values}")
    return not reasons, reasons
