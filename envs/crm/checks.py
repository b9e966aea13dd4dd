"""State checks for what a declaration of effects cannot say by itself."""

from synth_verifiers.state import diff_table, table_rows

OPEN = ("prospecting", "qualification", "proposal", "negotiation")


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
        wrong = {c: row[c] for c, v in values.items() if row[c] != v}
        if wrong:
            reasons.append(f"{table} row {key} has {wrong}, expected {values}")
    return not reasons, reasons


def check_activity_kind(outcome, params):
    """The activities logged (their rows are declared) are of one of params["kinds"]."""
    added, _, _ = diff_table(outcome.initial, outcome.db, "activities")
    bad = [a["kind"] for a in added if a["kind"] not in params["kinds"]]
    return not bad, [f"logged a {k}; the policy needs one of {params['kinds']}" for k in bad]


def check_rebalance(outcome, params):
    """Each moved opportunity went to an owner allowed to hold it (params["owners"]: [[opportunity id, [owner
    ids]]]), and no owner whose open load grew holds more than params["cap"] open opportunities."""
    reasons = []
    after = table_rows(outcome.db, "opportunities")
    for oid, allowed in params["owners"]:
        if after[oid]["owner_id"] not in allowed:
            reasons.append(f"opportunity {oid} went to owner {after[oid]['owner_id']}, allowed {allowed}")

    def load(rows):
        counts = {}
        for o in rows:
            if o["stage"] in OPEN:
                counts[o["owner_id"]] = counts.get(o["owner_id"], 0) + 1
        return counts

    start, end = load(table_rows(outcome.initial, "opportunities").values()), load(after.values())
    over = sorted(w for w, n in end.items() if n > params["cap"] and n > start.get(w, 0))
    if over:
        reasons.append(f"owners {over} now hold more than {params['cap']} open opportunities")
    return not reasons, reasons
