"""State checks for what a declaration of effects cannot say by itself."""

from synth_verifiers.state import table_rows


def check_rows(outcome, params):
    """Rows that must end with values that differ from row to row (a decision per request, a balance per
    employee, a rate per employee): params["expect"] holds [table, key, column, value] items."""
    reasons, tables = [], {}
    for table, key, column, value in params["expect"]:
        if table not in tables:
            tables[table] = table_rows(outcome.db, table)
        row = tables[table].get(key)
        got = None if row is None else row.get(column)
        same = got == value or (
            isinstance(got, (int, float)) and isinstance(value, (int, float)) and abs(got - value) <= 0.005
        )
        if not same:
            reasons.append(f"{table} row {key}: {column} is {got!r}, expected {value!r}")
    return not reasons, reasons
