"""The kitchen's tools: lookups, and writes that enforce the meal-plan policy."""

from __future__ import annotations

import datetime as dt

from synth.env import tool

from .world import ALLERGENS, MEALS, NO_RULES


class RecipesTools:
    # ---- rules ------------------------------------------------------------------------------------

    def _rules(self) -> dict:
        """The variant's extra rules as plain settings, passed to solutions and verifiers."""
        return {
            "max_weekday_dinner_prep": 40 if "weekday_dinner_prep" in self.variant.rules else None,
            "min_protein": 20 if "min_protein" in self.variant.rules else 0,
        }

    def _refusal(
        self, member_id: int, date: str, meal: str, recipe_id: int, servings: int, rules: bool = True
    ) -> str | None:
        """Why the policy forbids this meal, or None."""
        try:
            facts = self._facts(recipe_id)
        except ValueError as exc:
            return str(exc)
        if facts["course"] != meal:
            return f"{facts['name']} is a {facts['course']} recipe and cannot fill a {meal} slot"
        if self.value("SELECT 1 FROM meal_plan WHERE member_id = ? AND date = ? AND meal = ?", member_id, date, meal):
            return f"the member already has a {meal} on {date}; remove it first"
        bad = self.rows(
            "SELECT a.allergen FROM recipe_allergens a JOIN member_allergies m ON m.allergen = a.allergen "
            "WHERE a.recipe_id = ? AND m.member_id = ?",
            recipe_id,
            member_id,
        )
        if bad:
            return f"{facts['name']} contains {bad[0]['allergen']}, which the member is allergic to"
        planned = self.value("SELECT kcal FROM day_kcal WHERE member_id = ? AND date = ?", member_id, date) or 0
        target = self.value("SELECT daily_kcal_target FROM members WHERE id = ?", member_id)
        total = round(planned + servings * facts["kcal"], 1)
        if total > target:
            return f"that brings the day to {total} kcal, over the member's target of {target}"
        settings = self._rules() if rules else NO_RULES
        limit = settings["max_weekday_dinner_prep"]
        if limit and meal == "dinner" and dt.date.fromisoformat(date).weekday() < 5 and facts["prep_minutes"] > limit:
            return f"weekday dinners must take at most {limit} minutes; {facts['name']} takes {facts['prep_minutes']}"
        if facts["protein"] < settings["min_protein"]:
            return f"meals need at least {settings['min_protein']} g protein per serving; this has {facts['protein']}"
        return None

    # ---- lookups shared by the tools --------------------------------------------------------------

    def _member(self, member: str) -> dict:
        return self.one(
            "SELECT * FROM members WHERE lower(name) = lower(?)",
            member,
            missing=f"unknown member {member!r}; call list_members",
        )

    def _ingredient(self, ingredient_id: int) -> dict:
        return self.one(
            "SELECT * FROM ingredients WHERE id = ?",
            ingredient_id,
            missing=f"no ingredient with id {ingredient_id}; use search_ingredients",
        )

    def _facts(self, recipe_id: int) -> dict:
        return self.one(
            "SELECT * FROM recipe_facts WHERE recipe_id = ?",
            recipe_id,
            missing=f"no recipe with id {recipe_id}; use search_recipes",
        )

    # ---- tools ------------------------------------------------------------------------------------

    @tool("read")
    def search_ingredients(self, name: str | None = None, category: str | None = None) -> list[dict]:
        """Find ingredients by (part of) their name or by category; returns id, name, category, kcal and protein per
        100 g, price per kg and allergen.

        Args:
            name: Text the ingredient name contains.
            category: meat, fish, legume, egg, dairy, grain, vegetable, fruit, nut or extra.
        """
        return self.rows(
            "SELECT * FROM ingredients WHERE name LIKE ? AND (? IS NULL OR category = ?) ORDER BY id",
            f"%{name or ''}%",
            category,
            category,
        )

    @tool("read")
    def get_ingredient(self, ingredient_id: int) -> dict:
        """One ingredient with its nutrients, price, allergen, pantry stock and amount on the shopping list.

        Args:
            ingredient_id: Ingredient id.
        """
        ing = self._ingredient(ingredient_id)
        stock = self.value("SELECT grams FROM pantry WHERE ingredient_id = ?", ingredient_id)
        listed = self.value("SELECT grams FROM shopping_list WHERE ingredient_id = ?", ingredient_id)
        return {**ing, "pantry_grams": stock or 0, "shopping_list_grams": listed or 0}

    @tool("read")
    def list_cuisines(self) -> list[dict]:
        """The cuisines in the recipe book with how many recipes each has."""
        return self.rows("SELECT cuisine, COUNT(*) AS recipes FROM recipes GROUP BY cuisine ORDER BY cuisine")

    @tool("read")
    def search_recipes(
        self,
        name: str | None = None,
        course: str | None = None,
        cuisine: str | None = None,
        max_prep_minutes: int | None = None,
    ) -> list[dict]:
        """Search recipes; returns id, name, course, cuisine, prep minutes, servings per batch and per-serving
        kcal, protein (g), cost, vegetarian flag and allergens.

        Args:
            name: Text the recipe name contains.
            course: breakfast, lunch or dinner.
            cuisine: Cuisine such as Italian or Thai.
            max_prep_minutes: Longest acceptable preparation time.
        """
        if course and course not in MEALS:
            raise ValueError("course must be breakfast, lunch or dinner")
        found = self.rows(
            "SELECT recipe_id AS id, name, course, cuisine, prep_minutes, servings, kcal, protein, cost, "
            "vegetarian FROM recipe_facts WHERE name LIKE ? AND (? IS NULL OR course = ?) "
            "AND (? IS NULL OR lower(cuisine) = lower(?)) AND prep_minutes <= ? ORDER BY recipe_id",
            f"%{name or ''}%",
            course,
            course,
            cuisine,
            cuisine,
            max_prep_minutes if max_prep_minutes is not None else 10**6,
        )
        for r in found:
            r["vegetarian"] = bool(r["vegetarian"])
            r["allergens"] = [
                a["allergen"]
                for a in self.rows(
                    "SELECT allergen FROM recipe_allergens WHERE recipe_id = ? ORDER BY allergen", r["id"]
                )
            ]
        return found

    @tool("read")
    def get_recipe(self, recipe_id: int) -> dict:
        """A recipe with its ingredient lines (ingredient id, name, grams per batch) and per-serving facts:
        kcal, protein (g), cost, vegetarian flag and allergens.

        Args:
            recipe_id: Recipe id.
        """
        out = self._facts(recipe_id)
        out["id"] = out.pop("recipe_id")
        out["vegetarian"] = bool(out["vegetarian"])
        out["allergens"] = [
            r["allergen"]
            for r in self.rows("SELECT allergen FROM recipe_allergens WHERE recipe_id = ? ORDER BY allergen", recipe_id)
        ]
        out["ingredients"] = self.rows(
            "SELECT ri.ingredient_id, i.name, ri.grams FROM recipe_ingredients ri JOIN "
            "ingredients i ON i.id = ri.ingredient_id WHERE ri.recipe_id = ? ORDER BY ri.id",
            recipe_id,
        )
        return out

    @tool("read")
    def get_pantry(self) -> list[dict]:
        """Everything in the pantry: ingredient id, name and grams in stock (ingredients not listed are absent)."""
        return self.rows(
            "SELECT p.ingredient_id, i.name, p.grams FROM pantry p JOIN ingredients i ON "
            "i.id = p.ingredient_id ORDER BY p.ingredient_id"
        )

    @tool("read")
    def get_shopping_list(self) -> list[dict]:
        """The shopping list: ingredient id, name and grams."""
        return self.rows(
            "SELECT s.ingredient_id, i.name, s.grams FROM shopping_list s JOIN ingredients i ON "
            "i.id = s.ingredient_id ORDER BY s.ingredient_id"
        )

    @tool("read")
    def list_members(self) -> list[dict]:
        """Household members with their daily calorie target and allergies."""
        members = self.rows("SELECT * FROM members ORDER BY id")
        for m in members:
            m["allergies"] = [
                r["allergen"]
                for r in self.rows(
                    "SELECT allergen FROM member_allergies WHERE member_id = ? ORDER BY allergen", m["id"]
                )
            ]
        return members

    @tool("read")
    def get_meal_plan(self, member: str | None = None, date: str | None = None) -> list[dict]:
        """Planned meals, optionally of one member and/or one date (YYYY-MM-DD), with each entry's kcal
        (servings times kcal per serving).

        Args:
            member: Member name.
            date: Date, YYYY-MM-DD.
        """
        member_id = self._member(member)["id"] if member else None
        return self.rows(
            "SELECT m.id, mb.name AS member, m.date, m.meal, m.recipe_id, f.name AS recipe, m.servings, "
            "ROUND(m.servings * f.kcal, 1) AS kcal FROM meal_plan m JOIN members mb ON mb.id = m.member_id "
            "JOIN recipe_facts f ON f.recipe_id = m.recipe_id WHERE (? IS NULL OR m.member_id = ?) "
            "AND (? IS NULL OR m.date = ?) ORDER BY m.date, m.member_id, m.id",
            member_id,
            member_id,
            date,
            date,
        )

    @tool("write")
    def add_meal(self, member: str, date: str, meal: str, recipe_id: int, servings: int = 1) -> dict:
        """Plan a meal for a member; refused when the policy forbids it.

        Args:
            member: Member name.
            date: Date, YYYY-MM-DD.
            meal: breakfast, lunch or dinner.
            recipe_id: Recipe id of that course.
            servings: Servings (1-3).
        """
        m = self._member(member)
        if meal not in MEALS:
            raise ValueError("meal must be breakfast, lunch or dinner")
        if not 1 <= servings <= 3:
            raise ValueError("servings must be 1 to 3")
        if not self.value("SELECT 1 FROM calendar WHERE date = ?", date):
            raise ValueError(f"{date!r} is outside the planning window; use YYYY-MM-DD dates of the meal plan")
        why = self._refusal(m["id"], date, meal, recipe_id, servings)
        if why:
            raise ValueError(f"cannot plan this meal: {why}")
        cur = self.db.execute(
            "INSERT INTO meal_plan (member_id, date, meal, recipe_id, servings) VALUES (?, ?, ?, ?, ?)",
            (m["id"], date, meal, recipe_id, servings),
        )
        return {
            "id": cur.lastrowid,
            "member": m["name"],
            "date": date,
            "meal": meal,
            "recipe_id": recipe_id,
            "servings": servings,
        }

    @tool("write")
    def remove_meal(self, entry_id: int) -> dict:
        """Take an entry off the meal plan.

        Args:
            entry_id: Meal plan entry id from get_meal_plan.
        """
        if not self.value("SELECT 1 FROM meal_plan WHERE id = ?", entry_id):
            raise ValueError(f"no meal plan entry {entry_id}; use get_meal_plan")
        self.db.execute("DELETE FROM meal_plan WHERE id = ?", (entry_id,))
        return {"removed": entry_id}

    @tool("write")
    def add_allergy(self, member: str, allergen: str) -> dict:
        """Record that a member is allergic to an allergen.

        Args:
            member: Member name.
            allergen: One of the allergens ingredients carry (e.g. gluten, dairy, nuts).
        """
        m = self._member(member)
        if allergen not in ALLERGENS:
            raise ValueError(f"unknown allergen {allergen!r}; known allergens: {', '.join(ALLERGENS)}")
        self.db.execute(
            "INSERT OR IGNORE INTO member_allergies (member_id, allergen) VALUES (?, ?)", (m["id"], allergen)
        )
        return {"member": m["name"], "allergen": allergen}

    @tool("write")
    def add_to_shopping_list(self, ingredient_id: int, grams: int) -> dict:
        """Add grams of an ingredient to the shopping list (added to any amount already listed).

        Args:
            ingredient_id: Ingredient id.
            grams: Grams to add (positive).
        """
        self._ingredient(ingredient_id)
        if grams <= 0:
            raise ValueError("grams must be positive")
        self.db.execute(
            "INSERT INTO shopping_list VALUES (?, ?) ON CONFLICT (ingredient_id) DO UPDATE SET "
            "grams = grams + excluded.grams",
            (ingredient_id, grams),
        )
        return {
            "ingredient_id": ingredient_id,
            "grams": self.value("SELECT grams FROM shopping_list WHERE ingredient_id = ?", ingredient_id),
        }

    @tool("write")
    def cook_recipe(self, recipe_id: int, batches: int = 1) -> dict:
        """Cook a recipe, taking its ingredients for the given number of batches out of the pantry.

        Args:
            recipe_id: Recipe id.
            batches: How many times to make the recipe as written (1-4).
        """
        if not 1 <= batches <= 4:
            raise ValueError("batches must be 1 to 4")
        lines = self.rows(
            "SELECT ri.ingredient_id, i.name, ri.grams, COALESCE(p.grams, 0) AS stock FROM "
            "recipe_ingredients ri JOIN ingredients i ON i.id = ri.ingredient_id LEFT JOIN pantry p ON "
            "p.ingredient_id = ri.ingredient_id WHERE ri.recipe_id = ?",
            recipe_id,
        )
        if not lines:
            raise ValueError(f"no recipe with id {recipe_id}; use search_recipes")
        short = [
            f"{line['name']} ({line['grams'] * batches - line['stock']} g short)"
            for line in lines
            if line["grams"] * batches > line["stock"]
        ]
        if short:
            raise ValueError("the pantry is short of " + ", ".join(short))
        for line in lines:
            self.db.execute(
                "UPDATE pantry SET grams = grams - ? WHERE ingredient_id = ?",
                (line["grams"] * batches, line["ingredient_id"]),
            )
        cur = self.db.execute("INSERT INTO cook_log (recipe_id, batches) VALUES (?, ?)", (recipe_id, batches))
        return {"cooked": recipe_id, "batches": batches, "log_id": cur.lastrowid}
