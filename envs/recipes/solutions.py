"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""

import datetime as dt
import itertools

from synth.env import only


def allowed(tools, params, member, date, meal, used_kcal):
    """Recipes (search rows) the policy allows for `member` in one slot, given the kcal already planned that day."""
    weekday = dt.date.fromisoformat(date).weekday() < 5
    limit = params["max_weekday_dinner_prep"]
    out = []
    for d in tools.search_recipes(course=meal):
        if set(d["allergens"]) & set(member["allergies"]) or used_kcal + d["kcal"] > member["daily_kcal_target"]:
            continue
        if limit and meal == "dinner" and weekday and d["prep_minutes"] > limit:
            continue
        if d["protein"] < params["min_protein"]:
            continue
        out.append(d)
    return out


def planned_kcal(tools, member, date):
    return sum(e["kcal"] for e in tools.get_meal_plan(member=member, date=date))


def add_shortfall(tools, need):
    """Put on the shopping list what the pantry lacks of `need` ({ingredient id: grams})."""
    stock = {p["ingredient_id"]: p["grams"] for p in tools.get_pantry()}
    added = 0
    for ingredient_id, grams in need.items():
        if grams > stock.get(ingredient_id, 0):
            tools.add_to_shopping_list(ingredient_id=ingredient_id, grams=grams - stock.get(ingredient_id, 0))
            added += 1
    return added


def solve_ingredient_price(tools, params):
    return only(tools.search_ingredients(name=params["ingredient"]), name=params["ingredient"])["price_per_kg"]


def solve_recipe_prep(tools, params):
    return only(tools.search_recipes(name=params["recipe"]), name=params["recipe"])["prep_minutes"]


def solve_pantry_stock(tools, params):
    return next((p["grams"] for p in tools.get_pantry() if p["name"] == params["ingredient"]), 0)


def solve_recipe_kcal(tools, params):
    return only(tools.search_recipes(name=params["recipe"]), name=params["recipe"])["kcal"]


def solve_cheapest_safe(tools, params):
    member = only(tools.list_members(), name=params["member"])
    safe = [
        d for d in tools.search_recipes(course=params["course"]) if not set(d["allergens"]) & set(member["allergies"])
    ]
    return min(safe, key=lambda d: d["cost"])["name"]


def solve_count_quick(tools, params):
    hits = tools.search_recipes(cuisine=params["cuisine"], course=params["course"], max_prep_minutes=params["minutes"])
    if params["veg"]:
        hits = [r for r in hits if r["vegetarian"]]
    return len(hits)


def solve_day_kcal(tools, params):
    return round(planned_kcal(tools, params["member"], params["date"]), 1)


def solve_protein_meal(tools, params):
    member = only(tools.list_members(), name=params["member"])
    used = planned_kcal(tools, params["member"], params["date"])
    best = max(
        (
            d
            for d in allowed(tools, params, member, params["date"], params["meal"], used)
            if d["cuisine"] == params["cuisine"]
        ),
        key=lambda d: d["protein"],
    )
    tools.add_meal(member=params["member"], date=params["date"], meal=params["meal"], recipe_id=best["id"], servings=1)
    return f"Planned {best['name']}"


def solve_cook_or_shop(tools, params):
    recipe = only(tools.search_recipes(name=params["recipe"]), name=params["recipe"])
    need = {
        line["ingredient_id"]: line["grams"] * params["batches"]
        for line in tools.get_recipe(recipe_id=recipe["id"])["ingredients"]
    }
    stock = {p["ingredient_id"]: p["grams"] for p in tools.get_pantry()}
    if params["cook"] and all(grams <= stock.get(i, 0) for i, grams in need.items()):
        tools.cook_recipe(recipe_id=recipe["id"], batches=params["batches"])
        return "Cooked"
    return f"Added {add_shortfall(tools, need)} items to the shopping list"


def solve_household_dinner(tools, params):
    members = tools.list_members()
    plan = tools.get_meal_plan(date=params["date"])
    common = None
    for m in members:
        used = sum(e["kcal"] for e in plan if e["member"] == m["name"])
        ok = {d["id"]: d for d in allowed(tools, params, m, params["date"], "dinner", used)}
        common = ok if common is None else {k: v for k, v in common.items() if k in ok}
    best = min(common.values(), key=lambda d: d["cost"])
    for m in members:
        tools.add_meal(member=m["name"], date=params["date"], meal="dinner", recipe_id=best["id"], servings=1)
    return f"Everyone has {best['name']}"


def solve_allergy_swap(tools, params):
    tools.add_allergy(member=params["member"], allergen=params["allergen"])
    member = only(tools.list_members(), name=params["member"])
    allergens = {
        r["id"]: r["allergens"] for meal in ("breakfast", "lunch", "dinner") for r in tools.search_recipes(course=meal)
    }
    hit = [e for e in tools.get_meal_plan(member=params["member"]) if params["allergen"] in allergens[e["recipe_id"]]]
    for e in hit:
        tools.remove_meal(entry_id=e["id"])
    for e in hit:
        used = planned_kcal(tools, params["member"], e["date"])
        best = min(allowed(tools, params, member, e["date"], e["meal"], used), key=lambda d: d["cost"])
        tools.add_meal(member=params["member"], date=e["date"], meal=e["meal"], recipe_id=best["id"], servings=1)
    return f"Replaced {len(hit)} meals"


def solve_dinner_series(tools, params):
    member = only(tools.list_members(), name=params["member"])
    options = []
    for date in params["dates"]:
        used = planned_kcal(tools, params["member"], date)
        options.append(
            [d for d in allowed(tools, params, member, date, "dinner", used) if d["vegetarian"] or not params["veg"]]
        )
    best = min(
        (c for c in itertools.product(*options) if len({d["id"] for d in c}) == 3),
        key=lambda c: sum(d["cost"] for d in c),
    )
    need = {}
    for date, d in zip(params["dates"], best):
        tools.add_meal(member=params["member"], date=date, meal="dinner", recipe_id=d["id"], servings=1)
        for line in tools.get_recipe(recipe_id=d["id"])["ingredients"]:
            need[line["ingredient_id"]] = need.get(line["ingredient_id"], 0) + line["grams"]
    add_shortfall(tools, need)
    return "Planned " + ", ".join(d["name"] for d in best)
