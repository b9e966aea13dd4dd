"""State checks for what a declaration of effects cannot say by itself."""

from synth_verifiers.state import table_rows


def check_rows(outcome, params):
    """Rows that must end with given values, each its own (a declaration's `values` are one set for all rows):
    rows: {table: {row id: {column: value}}}; numbers match to the cent."""
    reasons = []
    for table, wanted in sorted(params["rows"].items()):
        final = table_rows(outcome.db, table)
        for key, values in sorted(wanted.items()):
            row = final.get(int(key))
            if row is None:
                reasons.append(f"{table} row {key} is missing")
                continue
            wrong = {
                c: row[c]
                for c, v in values.items()
                if not (
                    abs(row[c] - v) <= 0.005
                    if isinstance(v, (int, float)) and isinstance(row[c], (int, float))
                    else row[c] == v
                )
            }
            if wrong:
                reasons.append(f"{table} row {key} has {wrong}, expected {values}")
    return not reasons, reasons
