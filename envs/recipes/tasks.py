"""Task proposers, from single lookups (level 1) to a week of dinners with shopping (level 5)."""

from __future__ import annotations

import itertools
import random

from synth.env import Answer, Effects, Program, Rule, TaskDraft, inserts, proposer

from .checks import check_cooked, check_dinner_series, check_shopping
from .solutions import (
    solve_allergy_swap,
    solve_cheapest_safe,
    solve_cook_or_shop,
    solve_count_quick,
    solve_day_kcal,
    solve_dinner_series,
    solve_household_dinner,
    solve_ingredient_price,
    solve_pantry_stock,
    solve_protein_meal,
    solve_recipe_kcal,
    solve_recipe_prep,
)
from .world import ALLERGENS, CUISINES, MEALS


class RecipesTasks:
    # ---- proposer helpers -------------------------------------------------------------------------

    def _days(self) -> list[str]:
        return self.column("SELECT date FROM calendar ORDER BY date")

    def _allowed(self, member_id: int, date: str, meal: str) -> list[dict]:
        """Recipe facts of every recipe the policy allows in this slot (ignoring an existing entry there)."""
        out = []
        for f in self.rows("SELECT * FROM recipe_facts WHERE course = ? ORDER BY recipe_id", meal):
            why = self._refusal(member_id, date, meal, f["recipe_id"], 1)
            if why is None or why.startswith("the member already has"):
                out.append(f)
        return out

    def _shortfall(self, batches_by_recipe: dict[int, int]) -> dict[int, int]:
        need: dict[int, int] = {}
        for recipe_id, batches in batches_by_recipe.items():
            for line in self.rows("SELECT ingredient_id, grams FROM recipe_ingredients WHERE recipe_id = ?", recipe_id):
                need[line["ingredient_id"]] = need.get(line["ingredient_id"], 0) + line["grams"] * batches
        stock = {r["ingredient_id"]: r["grams"] for r in self.rows("SELECT * FROM pantry")}
        return {k: v - stock.get(k, 0) for k, v in sorted(need.items()) if v > stock.get(k, 0)}

    def _shopping(self, short: dict[int, int], recipes: list[list[int]]) -> tuple[Effects, Program | None]:
        """Effects (and, when listed amounts grow, the check) of adding the shortfall `short` to the list."""
        listed = set(self.column("SELECT ingredient_id FROM shopping_list"))
        new = [{"ingredient_id": k, "grams": v} for k, v in short.items() if k not in listed]
        grown = [k for k in short if k in listed]
        rule = Rule(insert=len(new), rows=new or None, update=["grams"] if grown else [], keys=grown or None)
        return (Effects.on(shopping_list=rule), Program.of(check_shopping, recipes=recipes) if grown else None)

    def _unique_best(self, items: list[dict], key: str, highest: bool = False) -> dict | None:
        if not items:
            return None
        ranked = sorted(items, key=lambda f: f[key], reverse=highest)
        if len(ranked) > 1 and ranked[0][key] == ranked[1][key]:
            return None
        return ranked[0]

    # ---- proposers --------------------------------------------------------------------------------

    @proposer(difficulty=1, attempts=12)
    def propose_ingredient_price(self, rng: random.Random) -> TaskDraft | None:
        ing = rng.choice(self.rows("SELECT name, price_per_kg FROM ingredients"))
        return TaskDraft(
            shape="ingredient_price",
            instruction=self.render("ingredient_price", rng, ingredient=ing["name"]),
            solution=Program.of(solve_ingredient_price, ingredient=ing["name"]),
            answer=Answer.number(ing["price_per_kg"]),
        )

    @proposer(difficulty=1, attempts=12)
    def propose_recipe_prep(self, rng: random.Random) -> TaskDraft | None:
        recipe = rng.choice(self.rows("SELECT name, prep_minutes FROM recipes"))
        return TaskDraft(
            shape="recipe_prep",
            instruction=self.render("recipe_prep", rng, recipe=recipe["name"]),
            solution=Program.of(solve_recipe_prep, recipe=recipe["name"]),
            answer=Answer.integer(recipe["prep_minutes"]),
        )

    @proposer(difficulty=1, attempts=12)
    def propose_pantry_stock(self, rng: random.Random) -> TaskDraft | None:
        ing = rng.choice(
            self.rows(
                "SELECT i.name, COALESCE(p.grams, 0) AS grams FROM ingredients i LEFT JOIN "
                "pantry p ON p.ingredient_id = i.id"
            )
        )
        return TaskDraft(
            shape="pantry_stock",
            instruction=self.render("pantry_stock", rng, ingredient=ing["name"]),
            solution=Program.of(solve_pantry_stock, ingredient=ing["name"]),
            answer=Answer.integer(ing["grams"]),
        )

    @proposer(difficulty=2, attempts=12)
    def propose_recipe_kcal(self, rng: random.Random) -> TaskDraft | None:
        recipe = rng.choice(self.rows("SELECT name, kcal FROM recipe_facts"))
        return TaskDraft(
            shape="recipe_kcal",
            instruction=self.render("recipe_kcal", rng, recipe=recipe["name"]),
            solution=Program.of(solve_recipe_kcal, recipe=recipe["name"]),
            answer=Answer.number(recipe["kcal"], decimals=1),
        )

    @proposer(difficulty=2, attempts=12)
    def propose_cheapest_safe(self, rng: random.Random) -> TaskDraft | None:
        member = rng.choice(
            self.rows(
                "SELECT m.* FROM members m WHERE EXISTS (SELECT 1 FROM member_allergies a WHERE a.member_id = m.id)"
            )
        )
        course = rng.choice(MEALS)
        safe = self.rows(
            "SELECT * FROM recipe_facts f WHERE course = ? AND NOT EXISTS (SELECT 1 FROM recipe_allergens "
            "a JOIN member_allergies m ON m.allergen = a.allergen WHERE a.recipe_id = f.recipe_id AND "
            "m.member_id = ?)",
            course,
            member["id"],
        )
        best = self._unique_best(safe, "cost")
        if best is None:
            return None
        return TaskDraft(
            shape="cheapest_safe",
            instruction=self.render("cheapest_safe", rng, member=member["name"], course=course),
            solution=Program.of(solve_cheapest_safe, member=member["name"], course=course),
            answer=Answer.entity(best["name"], candidates=self.column("SELECT name FROM recipes")),
        )

    @proposer(difficulty=2, attempts=12)
    def propose_count_quick(self, rng: random.Random) -> TaskDraft | None:
        cuisine, course = rng.choice(CUISINES), rng.choice(MEALS)
        minutes, veg = rng.choice([20, 25, 30, 35, 40, 45, 50, 60]), rng.random() < 0.4
        hits = self.rows(
            "SELECT recipe_id FROM recipe_facts WHERE cuisine = ? AND course = ? AND prep_minutes <= ? "
            "AND (? = 0 OR vegetarian = 1)",
            cuisine,
            course,
            minutes,
            int(veg),
        )
        if not hits and rng.random() < 0.7:
            return None
        return TaskDraft(
            shape="count_quick",
            instruction=self.render("count_quick", rng, cuisine=cuisine, course=course, minutes=minutes, veg=veg),
            solution=Program.of(solve_count_quick, cuisine=cuisine, course=course, minutes=minutes, veg=veg),
            answer=Answer.integer(len(hits)),
        )

    @proposer(difficulty=2, attempts=12)
    def propose_day_kcal(self, rng: random.Random) -> TaskDraft | None:
        row = rng.choice(self.rows("SELECT d.*, m.name FROM day_kcal d JOIN members m ON m.id = d.member_id"))
        return TaskDraft(
            shape="day_kcal",
            instruction=self.render("day_kcal", rng, member=row["name"], date=row["date"]),
            solution=Program.of(solve_day_kcal, member=row["name"], date=row["date"]),
            answer=Answer.number(row["kcal"], decimals=1),
        )

    @proposer(difficulty=3, attempts=12)
    def propose_protein_meal(self, rng: random.Random) -> TaskDraft | None:
        member = rng.choice(self.rows("SELECT * FROM members"))
        date, meal, cuisine = rng.choice(self._days()), rng.choice(MEALS), rng.choice(CUISINES)
        if self.value(
            "SELECT 1 FROM meal_plan WHERE member_id = ? AND date = ? AND meal = ?", member["id"], date, meal
        ):
            return None
        options = [f for f in self._allowed(member["id"], date, meal) if f["cuisine"] == cuisine]
        best = self._unique_best(options, "protein", highest=True)
        if best is None:
            return None
        spec = {"member": member["name"], "date": date, "meal": meal, "cuisine": cuisine}
        return TaskDraft(
            shape="protein_meal",
            instruction=self.render("protein_meal", rng, **spec),
            solution=Program.of(solve_protein_meal, **spec, **self._rules()),
            answer=Answer.none(),
            effects=Effects.on(
                meal_plan=inserts(
                    rows=[
                        {
                            "member_id": member["id"],
                            "date": date,
                            "meal": meal,
                            "recipe_id": best["recipe_id"],
                            "servings": 1,
                        }
                    ]
                )
            ),
        )

    @proposer(difficulty=3, attempts=12)
    def propose_shop_for_recipe(self, rng: random.Random) -> TaskDraft | None:
        recipe, batches = rng.choice(self.rows("SELECT id, name FROM recipes")), rng.randint(1, 3)
        short = self._shortfall({recipe["id"]: batches})
        if not short:
            return None
        effects, check = self._shopping(short, [[recipe["id"], batches]])
        return TaskDraft(
            shape="shop_for_recipe",
            instruction=self.render("shop_for_recipe", rng, recipe=recipe["name"], batches=batches),
            solution=Program.of(solve_cook_or_shop, recipe=recipe["name"], batches=batches, cook=False),
            answer=Answer.none(),
            effects=effects,
            check=check,
        )

    @proposer(difficulty=3, attempts=12)
    def propose_cook_or_shop(self, rng: random.Random) -> TaskDraft | None:
        recipe, batches = rng.choice(self.rows("SELECT id, name FROM recipes")), rng.randint(1, 2)
        short = self._shortfall({recipe["id"]: batches})
        if short and rng.random() < 0.5:  # keep both branches common
            recipe = rng.choice(
                self.rows(
                    "SELECT r.id, r.name FROM recipes r WHERE NOT EXISTS (SELECT 1 FROM "
                    "recipe_ingredients ri LEFT JOIN pantry p ON p.ingredient_id = "
                    "ri.ingredient_id WHERE ri.recipe_id = r.id AND ri.grams > COALESCE(p.grams, "
                    "0))"
                )
                or [recipe]
            )
            batches = 1
            short = self._shortfall({recipe["id"]: batches})
        if short:
            effects, check = self._shopping(short, [[recipe["id"], batches]])
        else:
            used = self.column("SELECT ingredient_id FROM recipe_ingredients WHERE recipe_id = ?", recipe["id"])
            effects = Effects.on(cook_log=inserts(), pantry=Rule(update=["grams"], keys=used))
            check = Program.of(check_cooked, recipe=recipe["id"], batches=batches)
        return TaskDraft(
            shape="cook_or_shop",
            instruction=self.render("cook_or_shop", rng, recipe=recipe["name"], batches=batches),
            solution=Program.of(solve_cook_or_shop, recipe=recipe["name"], batches=batches, cook=True),
            answer=Answer.none(),
            effects=effects,
            check=check,
        )

    @proposer(difficulty=4, attempts=12)
    def propose_household_dinner(self, rng: random.Random) -> TaskDraft | None:
        date = rng.choice(self._days())
        members = self.rows("SELECT * FROM members ORDER BY id")
        if self.value("SELECT 1 FROM meal_plan WHERE date = ? AND meal = 'dinner'", date):
            return None
        common = None
        for m in members:
            ids = {f["recipe_id"]: f for f in self._allowed(m["id"], date, "dinner")}
            common = ids if common is None else {k: v for k, v in common.items() if k in ids}
        best = self._unique_best(list(common.values()), "cost")
        if best is None:
            return None
        return TaskDraft(
            shape="household_dinner",
            instruction=self.render("household_dinner", rng, date=date),
            solution=Program.of(solve_household_dinner, date=date, **self._rules()),
            answer=Answer.none(),
            effects=Effects.on(
                meal_plan=inserts(
                    rows=[
                        {
                            "member_id": m["id"],
                            "date": date,
                            "meal": "dinner",
                            "recipe_id": best["recipe_id"],
                            "servings": 1,
                        }
                        for m in members
                    ]
                )
            ),
        )

    @proposer(difficulty=4, attempts=12)
    def propose_allergy_swap(self, rng: random.Random) -> TaskDraft | None:
        member, allergen = rng.choice(self.rows("SELECT * FROM members")), rng.choice(ALLERGENS)
        if self.value("SELECT 1 FROM member_allergies WHERE member_id = ? AND allergen = ?", member["id"], allergen):
            return None
        hit = self.rows(
            "SELECT m.* FROM meal_plan m JOIN recipe_allergens a ON a.recipe_id = m.recipe_id WHERE "
            "m.member_id = ? AND a.allergen = ? ORDER BY m.date, m.meal",
            member["id"],
            allergen,
        )
        if not 2 <= len(hit) <= 6 or len({h["date"] for h in hit}) < len(hit):
            return None  # one replacement per day keeps the cheapest choice independent of the order
        # work the expected result out on a scratch copy of the database
        scratch = self.snapshot()
        saved, self.db = self.db, scratch
        try:
            self.db.execute(
                "INSERT INTO member_allergies (member_id, allergen) VALUES (?, ?)", (member["id"], allergen)
            )
            self.db.executemany("DELETE FROM meal_plan WHERE id = ?", [(h["id"],) for h in hit])
            replacements = []
            for h in hit:
                best = self._unique_best(self._allowed(member["id"], h["date"], h["meal"]), "cost")
                if best is None:
                    return None
                replacements.append(
                    {
                        "member_id": member["id"],
                        "date": h["date"],
                        "meal": h["meal"],
                        "recipe_id": best["recipe_id"],
                        "servings": 1,
                    }
                )
        finally:
            self.db = saved
            scratch.close()
        return TaskDraft(
            shape="allergy_swap",
            instruction=self.render("allergy_swap", rng, member=member["name"], allergen=allergen),
            solution=Program.of(solve_allergy_swap, member=member["name"], allergen=allergen, **self._rules()),
            answer=Answer.none(),
            effects=Effects.on(
                member_allergies=inserts(rows=[{"member_id": member["id"], "allergen": allergen}]),
                meal_plan=Rule(delete=[h["id"] for h in hit], insert=len(hit), rows=replacements),
            ),
        )

    @proposer(difficulty=5, attempts=12)
    def propose_dinner_series(self, rng: random.Random) -> TaskDraft | None:
        member, veg = rng.choice(self.rows("SELECT * FROM members")), rng.random() < 0.35
        days = self._days()
        first = rng.randrange(len(days) - 2)
        dates = days[first : first + 3]
        if self.value(
            "SELECT 1 FROM meal_plan WHERE member_id = ? AND meal = 'dinner' AND date IN (?, ?, ?)",
            member["id"],
            *dates,
        ):
            return None
        options = [[f for f in self._allowed(member["id"], d, "dinner") if f["vegetarian"] or not veg] for d in dates]
        combos = [
            sum(f["cost"] for f in c) for c in itertools.product(*options) if len({f["recipe_id"] for f in c}) == 3
        ]
        if not combos:
            return None
        budget = round(min(combos) * rng.uniform(1.02, 1.3), 2)
        spec = {"member": member["name"], "dates": dates, "veg": veg, "budget": budget}
        return TaskDraft(
            shape="dinner_series",
            instruction=self.render("dinner_series", rng, **{**spec, "dates": ", ".join(dates)}),
            solution=Program.of(solve_dinner_series, **spec, **self._rules()),
            answer=Answer.none(),
            effects=Effects.on(
                meal_plan=inserts(
                    rows=[{"member_id": member["id"], "date": d, "meal": "dinner", "servings": 1} for d in dates]
                ),
                shopping_list=Rule(insert=True, update=["grams"]),
            ),
            check=Program.of(check_dinner_series, veg=veg, budget=budget, **self._rules()),
        )
