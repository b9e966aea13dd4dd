"""State checks for what a declaration of effects cannot say by itself."""

from synth_verifiers.state import table_rows


def check_placed(outcome, params):
    """The listed tickets end in their sprint, priority, estimate and status, each with an assignee from the team
    (the one it had where `keep` is given; never the person `away`), and the tracker's policy holds. Which rows
    and columns may change at all is declared with the task's effects.

    tickets: {key: {sprint_id, priority, estimate, status, keep}}."""
    reasons = []
    final = {t["key"]: t for t in table_rows(outcome.db, "tickets").values()}
    team = {r["id"] for r in outcome.rows("SELECT id FROM people WHERE team_id = ?", params["team_id"])}
    for key, want in sorted(params["tickets"].items()):
        t = final[key]
        got = {c: t[c] for c in ("sprint_id", "priority", "estimate", "status")}
        if got != {c: want[c] for c in got}:
            reasons.append(f"{key} has {got}, expected { ({c: want[c] for c in got}) }")
        if want["keep"] is not None and t["assignee_id"] != want["keep"]:
            reasons.append(f"{key} should keep its assignee")
        if t["assignee_id"] not in team or t["assignee_id"] == params.get("away"):
            reasons.append(f"{key} needs an assignee from the team (not the one away)")
    reasons += [f"policy: {v['rule']} ({v['detail']})" for v in outcome.rows("SELECT * FROM policy_violations")]
    return not reasons, reasons


def check_carried(outcome, params):
    """Finished tickets are done and otherwise as they were; each carried ticket is in the next sprint with its
    status and assignee, or unassigned only where its assignee had no room left there; the tracker's policy holds.

    finish: {key: [sprint id, assignee id]} as they were; carry: {key: [assignee id, status]} as they were;
    next_id: the next sprint."""
    reasons = []
    final = {t["key"]: t for t in table_rows(outcome.db, "tickets").values()}
    for key, (sprint_id, owner) in sorted(params["finish"].items()):
        t = final[key]
        if (t["status"], t["sprint_id"], t["assignee_id"]) != ("done", sprint_id, owner):
            reasons.append(f"{key} should be done and otherwise unchanged")
    capacity = {r["id"]: r["capacity"] for r in outcome.rows("SELECT id, capacity FROM people")}
    load = {
        r["assignee_id"]: r["points"]
        for r in outcome.rows("SELECT * FROM sprint_load WHERE sprint_id = ?", params["next_id"])
    }
    for key, (owner, status) in sorted(params["carry"].items()):
        t = final[key]
        if t["sprint_id"] != params["next_id"] or t["status"] != status:
            reasons.append(f"{key} should move to the next sprint as it is ({status})")
        if t["assignee_id"] not in (None, owner):
            reasons.append(f"{key} got a new assignee")
        if (
            t["assignee_id"] is None
            and owner is not None
            and load.get(owner, 0) + (t["estimate"] or 0) <= capacity[owner]
        ):
            reasons.append(f"{key} was unassigned although its assignee had room for it")
    reasons += [f"policy: {v['rule']} ({v['detail']})" for v in outcome.rows("SELECT * FROM policy_violations")]
    return not reasons, reasons


def check_rows(outcome, params):
    """Rows that must end with values that differ from row to row (an assignee per ticket): params["expect"]
    holds [table, key, column, value] items."""
    reasons, tables = [], {}
    for table, key, column, value in params["expect"]:
        if table not in tables:
            tables[table] = table_rows(outcome.db, table)
        got = (tables[table].get(key) or {}).get(column)
        if got != value:
            reasons.append(f"{table} row {key}: {column} is {got!r}, expected {value!r}")
    return not reasons, reasons
