"""State checks for what a declaration of effects cannot say by itself: values that differ from row to row."""

from synth_verifiers.state import column_deltas, diff_table


def check_results(outcome, params):
    """scores: [[match id, home goals, away goals]]: exactly these matches were played, with these scores."""
    _, _, changed = diff_table(outcome.initial, outcome.db, "matches")
    got = sorted([m["id"], m["home_goals"], m["away_goals"]] for m in changed if m["status"] == "played")
    want = sorted(params["scores"])
    return got == want, [] if got == want else [f"recorded results {got} differ from the expected {want}"]


def check_moves(outcome, params):
    """teams: [[player id, team id or None]] where those players end up; budgets: [[team id, change]] exactly the
    budget changes (the fees moving from buyers to sellers)."""
    reasons = []
    final = {p["id"]: p["team_id"] for p in outcome.rows("SELECT id, team_id FROM players")}
    for player, team in params.get("teams", []):
        if final[player] != team:
            reasons.append(f"player {player} is with team {final[player]}, expected {team}")
    got = {k: round(v) for k, v in column_deltas(outcome.initial, outcome.db, "teams", "budget").items()}
    want = {team: change for team, change in params.get("budgets", []) if change}
    if got != want:
        reasons.append(f"budget changes {got} differ from the expected {want}")
    return not reasons, reasons
