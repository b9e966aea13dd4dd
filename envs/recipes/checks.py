"""State checks for what a declaration of effects cannot say by itself."""

import datetime as dt

from synth_verifiers.state import column_deltas, diff_table


def list_growth(outcome):
    """{ingredient id: grams} the shopping list grew by."""
    before = {r["ingredient_id"]: r["grams"] for r in outcome.initial_rows("SELECT * FROM shopping_list")}
    after = {r["ingredient_id"]: r["grams"] for r in outcome.rows("SELECT * FROM shopping_list")}
    grew = {k: after.get(k, 0) - before.get(k, 0) for k in set(after) | set(before)}
    return {k: v for k, v in sorted(grew.items()) if v}


def shortfall(outcome, batches_by_recipe):
    """{ingredient id: grams} the initial pantry lacks to cook each [recipe id, batches]."""
    need = {}
    for recipe_id, batches in batches_by_recipe:
        for line in outcome.initial_rows(
            "SELECT ingredient_id, grams FROM recipe_ingredients WHERE recipe_id = ?", recipe_id
        ):
            need[line["ingredient_id"]] = need.get(line["ingredient_id"], 0) + line["grams"] * batches
    stock = {r["ingredient_id"]: r["grams"] for r in outcome.initial_rows("SELECT * FROM pantry")}
    return {k: v - stock.get(k, 0) for k, v in sorted(need.items()) if v > stock.get(k, 0)}


def check_shopping(outcome, params):
    """The shopping list grew by exactly the pantry shortfall of params["recipes"] ([recipe id, batches])."""
    want, got = shortfall(outcome, params["recipes"]), list_growth(outcome)
    return got == want, [] if got == want else [f"the shopping list grew by {got}; the shortfall is {want}"]


def check_cooked(outcome, params):
    """params["recipe"] was cooked params["batches"] times in all, and the pantry paid exactly its ingredients."""
    reasons = []
    added, _, _ = diff_table(outcome.initial, outcome.db, "cook_log")
    if any(r["recipe_id"] != params["recipe"] for r in added) or sum(r["batches"] for r in added) != params["batches"]:
        reasons.append(
            f"cooked {[(r['recipe_id'], r['batches']) for r in added]}, expected recipe {params['recipe']} "
            f"x{params['batches']}"
        )
    need = {}
    for line in outcome.initial_rows(
        "SELECT ingredient_id, grams FROM recipe_ingredients WHERE recipe_id = ?", params["recipe"]
    ):
        need[line["ingredient_id"]] = need.get(line["ingredient_id"], 0) - line["grams"] * params["batches"]
    pantry = column_deltas(outcome.initial, outcome.db, "pantry", "grams", key="ingredient_id")
    if pantry != {k: v for k, v in sorted(need.items()) if v}:
        reasons.append(f"pantry changes {pantry} do not match the ingredients used {need}")
    return not reasons, reasons


def check_dinner_series(outcome, params):
    """The member's new dinners (their slots are declared) use different recipes, vegetarian when asked, within
    the budget and the policy; the shopping list grew by the pantry shortfall of one batch of each."""
    reasons = []
    added, _, _ = diff_table(outcome.initial, outcome.db, "meal_plan")
    facts = {f["recipe_id"]: f for f in outcome.rows("SELECT * FROM recipe_facts")}
    chosen = [facts[a["recipe_id"]] for a in added]
    violations = outcome.rows("SELECT * FROM plan_violations")
    if violations:
        reasons.append(f"the plan breaks the policy: {violations}")
    limit = params["max_weekday_dinner_prep"]
    for a, f in zip(added, chosen):
        if (
            limit
            and a["meal"] == "dinner"
            and dt.date.fromisoformat(a["date"]).weekday() < 5
            and f["prep_minutes"] > limit
        ):
            reasons.append(f"{f['name']} takes {f['prep_minutes']} min on a weekday dinner")
        if f["protein"] < params["min_protein"]:
            reasons.append(f"{f['name']} has only {f['protein']} g protein")
        if params["veg"] and not f["vegetarian"]:
            reasons.append(f"{f['name']} is not vegetarian")
    ids = sorted({f["recipe_id"] for f in chosen})
    if len(ids) != len(chosen):
        reasons.append("a recipe is repeated")
    if sum(f["cost"] for f in chosen) > params["budget"] + 1e-9:
        reasons.append(f"the dinners cost {round(sum(f['cost'] for f in chosen), 2)} > {params['budget']}")
    want, got = shortfall(outcome, [[i, 1] for i in ids]), list_growth(outcome)
    if got != want:
        reasons.append(f"the shopping list grew by {got}; the shortfall of the chosen recipes is {want}")
    return not reasons, reasons
