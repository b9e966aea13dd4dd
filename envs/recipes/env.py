"""Household kitchen: ingredients with nutrients and prices, recipes, pantry stock, meal plans and a shopping list."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool
from verifiers.common import verify_number

# name, category, kcal/100g, protein g/100g, price per kg, allergen, grams per serving (low, high)
INGREDIENTS = [
    ("Chicken Breast", "meat", 165, 31.0, 9.5, None, (120, 180)),
    ("Beef Mince", "meat", 250, 26.0, 11.0, None, (110, 160)),
    ("Pork Loin", "meat", 242, 27.0, 8.9, None, (120, 170)),
    ("Turkey Slices", "meat", 135, 29.0, 12.5, None, (80, 130)),
    ("Salmon Fillet", "fish", 208, 20.0, 22.0, "fish", (110, 160)),
    ("Cod Fillet", "fish", 82, 18.0, 16.0, "fish", (120, 180)),
    ("Tuna Chunks", "fish", 132, 28.0, 14.0, "fish", (80, 120)),
    ("Prawns", "fish", 99, 24.0, 24.0, "shellfish", (90, 140)),
    ("Firm Tofu", "legume", 144, 17.0, 6.5, "soy", (120, 180)),
    ("Chickpeas", "legume", 164, 9.0, 3.2, None, (100, 160)),
    ("Red Lentils", "legume", 116, 9.0, 3.0, None, (80, 130)),
    ("Black Beans", "legume", 132, 8.9, 3.4, None, (100, 150)),
    ("Eggs", "egg", 143, 12.6, 5.5, "egg", (100, 150)),
    ("Halloumi", "dairy", 321, 21.0, 15.0, "dairy", (60, 100)),
    ("Feta", "dairy", 264, 14.0, 12.0, "dairy", (40, 70)),
    ("Greek Yogurt", "dairy", 97, 9.0, 4.8, "dairy", (150, 220)),
    ("Whole Milk", "dairy", 61, 3.2, 1.1, "dairy", (150, 250)),
    ("Cheddar", "dairy", 403, 25.0, 11.5, "dairy", (30, 60)),
    ("Basmati Rice", "grain", 130, 2.7, 2.8, None, (150, 220)),
    ("Spaghetti", "grain", 158, 5.8, 2.2, "gluten", (100, 150)),
    ("Wholemeal Bread", "grain", 247, 13.0, 3.9, "gluten", (60, 100)),
    ("Rolled Oats", "grain", 379, 13.0, 2.5, "gluten", (50, 80)),
    ("Quinoa", "grain", 120, 4.4, 7.5, None, (120, 180)),
    ("Potatoes", "grain", 77, 2.0, 1.2, None, (180, 260)),
    ("Corn Tortillas", "grain", 218, 5.7, 6.0, None, (60, 100)),
    ("Egg Noodles", "grain", 138, 4.5, 4.0, "gluten", (100, 150)),
    ("Spinach", "vegetable", 23, 2.9, 6.0, None, (40, 90)),
    ("Broccoli", "vegetable", 34, 2.8, 3.5, None, (80, 140)),
    ("Tomatoes", "vegetable", 18, 0.9, 3.0, None, (80, 150)),
    ("Red Pepper", "vegetable", 31, 1.0, 4.5, None, (60, 120)),
    ("Onion", "vegetable", 40, 1.1, 1.5, None, (40, 80)),
    ("Carrots", "vegetable", 41, 0.9, 1.3, None, (60, 120)),
    ("Courgette", "vegetable", 17, 1.2, 3.0, None, (80, 140)),
    ("Mushrooms", "vegetable", 22, 3.1, 6.5, None, (60, 120)),
    ("Sweet Potato", "vegetable", 86, 1.6, 2.2, None, (120, 200)),
    ("Avocado", "vegetable", 160, 2.0, 9.0, None, (60, 100)),
    ("Banana", "fruit", 89, 1.1, 1.9, None, (80, 130)),
    ("Blueberries", "fruit", 57, 0.7, 14.0, None, (50, 100)),
    ("Apple", "fruit", 52, 0.3, 2.5, None, (100, 160)),
    ("Strawberries", "fruit", 32, 0.7, 8.0, None, (60, 120)),
    ("Almonds", "nut", 579, 21.0, 16.0, "nuts", (15, 35)),
    ("Walnuts", "nut", 654, 15.0, 18.0, "nuts", (15, 30)),
    ("Peanut Butter", "nut", 588, 25.0, 7.0, "peanuts", (15, 35)),
    ("Olive Oil", "extra", 884, 0.0, 9.0, None, (8, 20)),
    ("Soy Sauce", "extra", 53, 8.0, 5.0, "soy", (10, 25)),
    ("Honey", "extra", 304, 0.3, 10.0, None, (10, 25)),
    ("Coconut Milk", "extra", 230, 2.3, 4.0, None, (80, 150)),
    ("Pesto", "extra", 458, 5.0, 18.0, "nuts", (20, 40)),
    ("Tahini", "extra", 595, 17.0, 12.0, "sesame", (15, 30)),
    ("Butter", "extra", 717, 0.9, 9.5, "dairy", (10, 25)),
]
ALLERGENS = sorted({i[5] for i in INGREDIENTS if i[5]})
CUISINES = ["Italian", "Mexican", "Indian", "Japanese", "Mediterranean", "Nordic", "Thai", "American"]
ADJECTIVES = ["Smoky", "Zesty", "Golden", "Rustic", "Herby", "Spiced", "Sunny", "Hearty", "Crispy", "Creamy",
              "Garden", "Fiery", "Tangy", "Mellow", "Roasted", "Quick"]
DISHES = {"breakfast": ["Bowl", "Toast", "Porridge", "Parfait", "Scramble", "Muffin"],
          "lunch": ["Salad", "Wrap", "Soup", "Sandwich", "Grain Bowl", "Flatbread"],
          "dinner": ["Stew", "Curry", "Bake", "Stir-Fry", "Pasta", "Risotto", "Tacos", "Traybake"]}
MAIN_CATEGORIES = {"breakfast": ("egg", "dairy", "grain"), "lunch": ("meat", "fish", "legume", "egg", "dairy"),
                   "dinner": ("meat", "fish", "legume", "dairy")}
SIDE_CATEGORIES = {"breakfast": ("fruit", "nut", "dairy", "extra", "grain"),
                   "lunch": ("vegetable", "grain", "extra", "nut"), "dinner": ("vegetable", "grain", "extra")}
MEMBER_NAMES = ["Alma", "Bodhi", "Cleo", "Dorian", "Esme", "Fenn", "Greer", "Hollis", "Isla", "Jude", "Kit",
                "Linnea", "Milo", "Nell", "Otto", "Pip", "Rhea", "Sol", "Tamsin", "Wren"]
MEALS = ("breakfast", "lunch", "dinner")

# Per-serving facts of every recipe and the policy violations of the meal plan, as views over the tables:
# tools report from them, and verifiers judge the final state with them.
VIEWS = """
CREATE VIEW recipe_facts AS
    SELECT r.id AS recipe_id, r.name, r.course, r.cuisine, r.prep_minutes, r.servings,
           ROUND(SUM(ri.grams * i.kcal_per_100g) / 100.0 / r.servings, 1) AS kcal,
           ROUND(SUM(ri.grams * i.protein_per_100g) / 100.0 / r.servings, 1) AS protein,
           ROUND(SUM(ri.grams * i.price_per_kg) / 1000.0 / r.servings, 2) AS cost,
           MIN(i.category NOT IN ('meat', 'fish')) AS vegetarian
    FROM recipes r JOIN recipe_ingredients ri ON ri.recipe_id = r.id JOIN ingredients i ON i.id = ri.ingredient_id
    GROUP BY r.id;
CREATE VIEW recipe_allergens AS
    SELECT DISTINCT ri.recipe_id, i.allergen FROM recipe_ingredients ri
    JOIN ingredients i ON i.id = ri.ingredient_id WHERE i.allergen IS NOT NULL;
CREATE VIEW day_kcal AS
    SELECT m.member_id, m.date, ROUND(SUM(m.servings * f.kcal), 1) AS kcal
    FROM meal_plan m JOIN recipe_facts f ON f.recipe_id = m.recipe_id GROUP BY m.member_id, m.date;
CREATE VIEW plan_violations AS
    SELECT m.id AS entry_id, 'allergy' AS rule FROM meal_plan m
    JOIN recipe_allergens a ON a.recipe_id = m.recipe_id
    JOIN member_allergies ma ON ma.member_id = m.member_id AND ma.allergen = a.allergen
  UNION ALL
    SELECT NULL, 'calories ' || d.member_id || ' ' || d.date FROM day_kcal d
    JOIN members mb ON mb.id = d.member_id WHERE d.kcal > mb.daily_kcal_target
  UNION ALL
    SELECT MIN(id), 'double slot' FROM meal_plan GROUP BY member_id, date, meal HAVING COUNT(*) > 1;
"""


def weekday(date: str) -> str:
    return dt.date.fromisoformat(date).strftime("%A")


class RecipesEnv(EnvTemplate):
    name = "recipes"
    version = "1.0.0"
    category = "recipes and nutrition"
    description = ("A household's kitchen assistant: ingredients with calories, protein and prices, recipes with "
                   "quantities, the pantry, each member's allergies and calorie target, the meal plan and the "
                   "shopping list. Look things up, plan meals, cook from the pantry and add to the shopping list.")
    policy = (
        "Never plan a meal for a member that contains an ingredient they are allergic to. A member's planned "
        "calories for a day (servings times calories per serving, over all their meals that day) must not exceed "
        "their daily target. Each member has at most one recipe per meal slot (breakfast, lunch, dinner) per day, "
        "and a slot takes only recipes of its own course. Cooking a recipe uses its ingredients from the pantry "
        "(once per batch, a batch being the recipe as written) and is refused if anything is short. Shopping-list "
        "quantities are grams; a shortfall is what the pantry lacks, ignoring what is already on the list. "
        "Change only what the user asked for."
    )
    variants = VariantSpace(
        optional_tools=("get_ingredient", "get_shopping_list", "list_cuisines"),
        renames={"search_recipes": ("find_recipes", "recipe_search"), "add_meal": ("schedule_meal",),
                 "get_pantry": ("pantry_stock",)},
        rules={"weekday_dinner_prep": "On weekdays (Monday to Friday) a planned dinner must take at most 40 minutes "
                                      "to prepare.",
               "min_protein": "Every meal added to the plan must give at least 20 g of protein per serving."},
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "ingredient_price": [
            "How much does {{ingredient}} cost per kilogram?",
            "What is the price per kg of {{ingredient}}?",
            "Look up {{ingredient}} and tell me its price per kilo.",
        ],
        "recipe_prep": [
            "How many minutes does the recipe {{recipe}} take to prepare?",
            "What is the preparation time of {{recipe}}, in minutes?",
        ],
        "pantry_stock": [
            "How many grams of {{ingredient}} are in the pantry?",
            "Check the pantry: how much {{ingredient}} do we have, in grams?",
        ],
        "recipe_kcal": [
            "How many calories does one serving of {{recipe}} have?",
            "What is the calorie count per serving of {{recipe}}?",
            "Give me the kcal per serving for the recipe {{recipe}}.",
        ],
        "cheapest_safe": [
            "Which {{course}} recipe is the cheapest per serving among those {{member}} can safely eat?",
            "{{member}} has allergies. Of the {{course}} recipes that are safe for them, which one costs the least "
            "per serving?",
            "Find the lowest-cost-per-serving {{course}} recipe that contains nothing {{member}} is allergic to.",
        ],
        "count_quick": [
            "How many {{cuisine}} {{course}} recipes take at most {{minutes}} minutes to prepare"
            "{% if veg %} and are vegetarian{% endif %}?",
            "Count the {% if veg %}vegetarian {% endif %}{{cuisine}} recipes for {{course}} with a preparation "
            "time of {{minutes}} minutes or less.",
        ],
        "day_kcal": [
            "How many calories are planned for {{member}} on {{date}}?",
            "What is {{member}}'s total planned calorie intake for {{date}} (servings times calories per serving, "
            "over all meals that day)?",
        ],
        "protein_meal": [
            "Add a {{meal}} for {{member}} on {{date}}: one serving of the {{cuisine}} {{meal}} recipe with the most "
            "protein per serving that the policy allows for them that day.",
            "{{member}} wants a high-protein {{meal}} on {{date}}. Plan one serving of whichever {{cuisine}} "
            "{{meal}} recipe gives the most protein per serving and is allowed for them.",
        ],
        "shop_for_recipe": [
            "We plan to cook {{recipe}} {{batches}} time{% if batches > 1 %}s{% endif %} as written. Add to the "
            "shopping list exactly what the pantry is short of.",
            "Put the pantry shortfall for {{batches}} batch{% if batches > 1 %}es{% endif %} of {{recipe}} on the "
            "shopping list.",
        ],
        "cook_or_shop": [
            "Cook {{batches}} batch{% if batches > 1 %}es{% endif %} of {{recipe}} if the pantry has everything for "
            "it; if anything is short, don't cook and add the shortfall to the shopping list instead.",
            "I'd like {{recipe}} made {{batches}} time{% if batches > 1 %}s{% endif %}. Cook it when the pantry "
            "covers all ingredients; otherwise put exactly what is missing on the shopping list and leave the "
            "pantry alone.",
        ],
        "household_dinner": [
            "Plan one shared dinner on {{date}} for the whole household: every member gets one serving of the same "
            "recipe. Choose the cheapest dinner recipe per serving that the policy allows for everyone.",
            "On {{date}} everyone eats together. Pick the lowest-cost dinner recipe (per serving) that is allowed "
            "for every member that evening and schedule one serving of it for each of them.",
        ],
        "allergy_swap": [
            "{{member}} has just been diagnosed with a {{allergen}} allergy. Record it, remove every planned meal of "
            "theirs that contains {{allergen}}, and replace each with one serving of the cheapest recipe of the same "
            "course that the policy allows in that slot.",
            "Note that {{member}} is now allergic to {{allergen}}. Then take every meal on their plan containing it "
            "off the plan and put in its place one serving of the lowest-cost same-course recipe they may have "
            "there under the policy.",
        ],
        "dinner_series": [
            "Plan {{member}}'s dinners for {{dates}}: one serving each, a different {% if veg %}vegetarian {% endif %}"
            "recipe every night, all allowed by the policy, with the three dinners costing at most {{budget}} in "
            "total. Then add to the shopping list the pantry shortfall for cooking each chosen recipe once as "
            "written.",
            "{{member}} needs three dinners, on {{dates}}. Use three different {% if veg %}vegetarian {% endif %}"
            "recipes, one serving each, respecting the policy, for no more than {{budget}} altogether; afterwards "
            "put on the shopping list whatever the pantry lacks to make each of those recipes once (one batch each).",
        ],
    }

    # ---- database ---------------------------------------------------------------------------------

    def build(self, rng: random.Random) -> None:
        self.db.executescript("""
            CREATE TABLE ingredients (id INTEGER PRIMARY KEY, name TEXT UNIQUE, category TEXT, kcal_per_100g REAL,
                protein_per_100g REAL, price_per_kg REAL, allergen TEXT);
            CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT UNIQUE, course TEXT, cuisine TEXT,
                prep_minutes INTEGER, servings INTEGER);
            CREATE TABLE recipe_ingredients (id INTEGER PRIMARY KEY, recipe_id INTEGER REFERENCES recipes(id),
                ingredient_id INTEGER REFERENCES ingredients(id), grams INTEGER);
            CREATE TABLE pantry (ingredient_id INTEGER PRIMARY KEY REFERENCES ingredients(id), grams INTEGER);
            CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT UNIQUE, daily_kcal_target INTEGER);
            CREATE TABLE member_allergies (id INTEGER PRIMARY KEY, member_id INTEGER REFERENCES members(id),
                allergen TEXT, UNIQUE (member_id, allergen));
            CREATE TABLE meal_plan (id INTEGER PRIMARY KEY, member_id INTEGER REFERENCES members(id), date TEXT,
                meal TEXT, recipe_id INTEGER REFERENCES recipes(id), servings INTEGER);
            CREATE TABLE shopping_list (ingredient_id INTEGER PRIMARY KEY REFERENCES ingredients(id), grams INTEGER);
            CREATE TABLE cook_log (id INTEGER PRIMARY KEY, recipe_id INTEGER, batches INTEGER);
        """ + VIEWS)
        n_recipes, n_members = {"small": (36, (3, 4)), "medium": (60, (4, 5)), "large": (95, (5, 7))}[self.variant.scale]
        chosen = [i for i in INGREDIENTS if rng.random() < 0.88 or i[1] in ("grain", "vegetable")]
        portions = {}
        for spec in chosen:
            name, category, kcal, protein, price, allergen, grams = spec
            price = round(price * rng.uniform(0.8, 1.25), 2)
            cur = self.db.execute("INSERT INTO ingredients (name, category, kcal_per_100g, protein_per_100g, "
                                  "price_per_kg, allergen) VALUES (?, ?, ?, ?, ?, ?)",
                                  (name, category, kcal, protein, price, allergen))
            portions[cur.lastrowid] = (category, grams)
        self._build_recipes(rng, n_recipes, portions)
        for ing_id in portions:
            if rng.random() < 0.75:
                self.db.execute("INSERT INTO pantry VALUES (?, ?)", (ing_id, rng.choice([0, 50, 100, 150, 200, 250,
                                                                                         300, 400, 500, 750, 1000])))
            if rng.random() < 0.12:
                self.db.execute("INSERT INTO shopping_list VALUES (?, ?)", (ing_id, rng.choice([100, 200, 250, 500])))
        for name in rng.sample(MEMBER_NAMES, rng.randint(*n_members)):
            cur = self.db.execute("INSERT INTO members (name, daily_kcal_target) VALUES (?, ?)",
                                  (name, rng.randrange(1700, 2900, 50)))
            for allergen in rng.sample(ALLERGENS, rng.choice([0, 1, 1, 1, 2])):
                self.db.execute("INSERT INTO member_allergies (member_id, allergen) VALUES (?, ?)",
                                (cur.lastrowid, allergen))
        start = dt.date(2026, rng.randint(1, 11), rng.randint(1, 20))
        self.db.execute("CREATE TABLE calendar (date TEXT PRIMARY KEY)")
        days = [(start + dt.timedelta(days=d)).isoformat() for d in range(14)]
        self.db.executemany("INSERT INTO calendar VALUES (?)", [(d,) for d in days])
        self._build_plan(rng, days[:10])

    def _build_recipes(self, rng: random.Random, n: int, portions: dict) -> None:
        by_cat: dict[str, list[int]] = {}
        for ing_id, (category, _) in portions.items():
            by_cat.setdefault(category, []).append(ing_id)
        names = {r["id"]: r["name"] for r in self.rows("SELECT id, name FROM ingredients")}
        taken = set()
        for k in range(n):
            course = MEALS[k % 3]
            servings = rng.choice([1, 2, 2, 4, 4, 6])
            main = rng.choice([i for c in MAIN_CATEGORIES[course] for i in by_cat.get(c, [])])
            sides = rng.sample([i for c in SIDE_CATEGORIES[course] for i in by_cat.get(c, []) if i != main],
                               rng.randint(3, 6))
            name = f"{rng.choice(ADJECTIVES)} {names[main]} {rng.choice(DISHES[course])}"
            while name in taken:
                name = f"{rng.choice(ADJECTIVES)} {names[main]} {rng.choice(DISHES[course])}"
            taken.add(name)
            cur = self.db.execute("INSERT INTO recipes (name, course, cuisine, prep_minutes, servings) "
                                  "VALUES (?, ?, ?, ?, ?)", (name, course, rng.choice(CUISINES),
                                                             rng.randrange(10, 75, 5), servings))
            for ing_id in [main, *sides]:
                low, high = portions[ing_id][1]
                self.db.execute("INSERT INTO recipe_ingredients (recipe_id, ingredient_id, grams) VALUES (?, ?, ?)",
                                (cur.lastrowid, ing_id, 5 * round(rng.randint(low, high) * servings / 5)))

    def _build_plan(self, rng: random.Random, days: list[str]) -> None:
        recipes = self.rows("SELECT recipe_id, course FROM recipe_facts")
        for member in self.rows("SELECT id FROM members"):
            for day in days:
                for meal in MEALS:
                    if rng.random() < 0.45:
                        continue
                    options = [r["recipe_id"] for r in recipes if r["course"] == meal]
                    for recipe_id in rng.sample(options, 4):
                        if not self._refusal(member["id"], day, meal, recipe_id, 1, rules=False):
                            self.db.execute("INSERT INTO meal_plan (member_id, date, meal, recipe_id, servings) "
                                            "VALUES (?, ?, ?, ?, 1)", (member["id"], day, meal, recipe_id))
                            break

    # ---- rules ------------------------------------------------------------------------------------

    def _rules(self) -> dict:
        """The variant's extra rules as plain settings, passed to solutions and verifiers."""
        return {"max_weekday_dinner_prep": 40 if "weekday_dinner_prep" in self.variant.rules else None,
                "min_protein": 20 if "min_protein" in self.variant.rules else 0}

    def _refusal(self, member_id: int, date: str, meal: str, recipe_id: int, servings: int,
                 rules: bool = True) -> str | None:
        """Why the policy forbids this meal, or None."""
        facts = self.db.execute("SELECT * FROM recipe_facts WHERE recipe_id = ?", (recipe_id,)).fetchone()
        if facts is None:
            return f"no recipe with id {recipe_id}; use search_recipes"
        if facts["course"] != meal:
            return f"{facts['name']} is a {facts['course']} recipe and cannot fill a {meal} slot"
        if self.db.execute("SELECT 1 FROM meal_plan WHERE member_id = ? AND date = ? AND meal = ?",
                           (member_id, date, meal)).fetchone():
            return f"the member already has a {meal} on {date}; remove it first"
        bad = self.rows("SELECT a.allergen FROM recipe_allergens a JOIN member_allergies m ON m.allergen = a.allergen "
                        "WHERE a.recipe_id = ? AND m.member_id = ?", recipe_id, member_id)
        if bad:
            return f"{facts['name']} contains {bad[0]['allergen']}, which the member is allergic to"
        planned = self.db.execute("SELECT kcal FROM day_kcal WHERE member_id = ? AND date = ?",
                                  (member_id, date)).fetchone()
        target = self.db.execute("SELECT daily_kcal_target FROM members WHERE id = ?", (member_id,)).fetchone()[0]
        total = round((planned[0] if planned else 0) + servings * facts["kcal"], 1)
        if total > target:
            return f"that brings the day to {total} kcal, over the member's target of {target}"
        settings = self._rules() if rules else {"max_weekday_dinner_prep": None, "min_protein": 0}
        limit = settings["max_weekday_dinner_prep"]
        if limit and meal == "dinner" and dt.date.fromisoformat(date).weekday() < 5 and facts["prep_minutes"] > limit:
            return f"weekday dinners must take at most {limit} minutes; {facts['name']} takes {facts['prep_minutes']}"
        if facts["protein"] < settings["min_protein"]:
            return f"meals need at least {settings['min_protein']} g protein per serving; this has {facts['protein']}"
        return None

    # ---- tools ------------------------------------------------------------------------------------

    def _member(self, member: str) -> dict:
        row = self.db.execute("SELECT * FROM members WHERE lower(name) = lower(?)", (member,)).fetchone()
        if row is None:
            raise ValueError(f"unknown member {member!r}; call list_members")
        return dict(row)

    def _ingredient(self, ingredient_id: int) -> dict:
        row = self.db.execute("SELECT * FROM ingredients WHERE id = ?", (ingredient_id,)).fetchone()
        if row is None:
            raise ValueError(f"no ingredient with id {ingredient_id}; use search_ingredients")
        return dict(row)

    @tool("read")
    def search_ingredients(self, name: str | None = None, category: str | None = None) -> list[dict]:
        """Find ingredients by (part of) their name or by category; returns id, name, category, kcal and protein per
        100 g, price per kg and allergen.

        Args:
            name: Text the ingredient name contains.
            category: meat, fish, legume, egg, dairy, grain, vegetable, fruit, nut or extra.
        """
        return self.rows("SELECT * FROM ingredients WHERE name LIKE ? AND (? IS NULL OR category = ?) ORDER BY id",
                         f"%{name or ''}%", category, category)

    @tool("read")
    def get_ingredient(self, ingredient_id: int) -> dict:
        """One ingredient with its nutrients, price, allergen, pantry stock and amount on the shopping list.

        Args:
            ingredient_id: Ingredient id.
        """
        ing = self._ingredient(ingredient_id)
        stock = self.db.execute("SELECT grams FROM pantry WHERE ingredient_id = ?", (ingredient_id,)).fetchone()
        listed = self.db.execute("SELECT grams FROM shopping_list WHERE ingredient_id = ?", (ingredient_id,)).fetchone()
        return {**ing, "pantry_grams": stock[0] if stock else 0, "shopping_list_grams": listed[0] if listed else 0}

    @tool("read")
    def list_cuisines(self) -> list[dict]:
        """The cuisines in the recipe book with how many recipes each has."""
        return self.rows("SELECT cuisine, COUNT(*) AS recipes FROM recipes GROUP BY cuisine ORDER BY cuisine")

    @tool("read")
    def search_recipes(self, name: str | None = None, course: str | None = None, cuisine: str | None = None,
                       max_prep_minutes: int | None = None) -> list[dict]:
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
        found = self.rows("SELECT recipe_id AS id, name, course, cuisine, prep_minutes, servings, kcal, protein, cost, "
                          "vegetarian FROM recipe_facts WHERE name LIKE ? AND (? IS NULL OR course = ?) "
                          "AND (? IS NULL OR lower(cuisine) = lower(?)) AND prep_minutes <= ? ORDER BY recipe_id",
                          f"%{name or ''}%", course, course, cuisine, cuisine,
                          max_prep_minutes if max_prep_minutes is not None else 10 ** 6)
        for r in found:
            r["vegetarian"] = bool(r["vegetarian"])
            r["allergens"] = [a["allergen"] for a in self.rows(
                "SELECT allergen FROM recipe_allergens WHERE recipe_id = ? ORDER BY allergen", r["id"])]
        return found

    @tool("read")
    def get_recipe(self, recipe_id: int) -> dict:
        """A recipe with its ingredient lines (ingredient id, name, grams per batch) and per-serving facts:
        kcal, protein (g), cost, vegetarian flag and allergens.

        Args:
            recipe_id: Recipe id.
        """
        facts = self.db.execute("SELECT * FROM recipe_facts WHERE recipe_id = ?", (recipe_id,)).fetchone()
        if facts is None:
            raise ValueError(f"no recipe with id {recipe_id}; use search_recipes")
        out = dict(facts)
        out["id"] = out.pop("recipe_id")
        out["vegetarian"] = bool(out["vegetarian"])
        out["allergens"] = [r["allergen"] for r in self.rows(
            "SELECT allergen FROM recipe_allergens WHERE recipe_id = ? ORDER BY allergen", recipe_id)]
        out["ingredients"] = self.rows("SELECT ri.ingredient_id, i.name, ri.grams FROM recipe_ingredients ri JOIN "
                                       "ingredients i ON i.id = ri.ingredient_id WHERE ri.recipe_id = ? ORDER BY ri.id",
                                       recipe_id)
        return out

    @tool("read")
    def get_pantry(self) -> list[dict]:
        """Everything in the pantry: ingredient id, name and grams in stock (ingredients not listed are absent)."""
        return self.rows("SELECT p.ingredient_id, i.name, p.grams FROM pantry p JOIN ingredients i ON "
                         "i.id = p.ingredient_id ORDER BY p.ingredient_id")

    @tool("read")
    def get_shopping_list(self) -> list[dict]:
        """The shopping list: ingredient id, name and grams."""
        return self.rows("SELECT s.ingredient_id, i.name, s.grams FROM shopping_list s JOIN ingredients i ON "
                         "i.id = s.ingredient_id ORDER BY s.ingredient_id")

    @tool("read")
    def list_members(self) -> list[dict]:
        """Household members with their daily calorie target and allergies."""
        members = self.rows("SELECT * FROM members ORDER BY id")
        for m in members:
            m["allergies"] = [r["allergen"] for r in self.rows(
                "SELECT allergen FROM member_allergies WHERE member_id = ? ORDER BY allergen", m["id"])]
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
        return self.rows("SELECT m.id, mb.name AS member, m.date, m.meal, m.recipe_id, f.name AS recipe, m.servings, "
                         "ROUND(m.servings * f.kcal, 1) AS kcal FROM meal_plan m JOIN members mb ON mb.id = m.member_id "
                         "JOIN recipe_facts f ON f.recipe_id = m.recipe_id WHERE (? IS NULL OR m.member_id = ?) "
                         "AND (? IS NULL OR m.date = ?) ORDER BY m.date, m.member_id, m.id",
                         member_id, member_id, date, date)

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
        if not self.db.execute("SELECT 1 FROM calendar WHERE date = ?", (date,)).fetchone():
            raise ValueError(f"{date!r} is outside the planning window; use YYYY-MM-DD dates of the meal plan")
        why = self._refusal(m["id"], date, meal, recipe_id, servings)
        if why:
            raise ValueError(f"cannot plan this meal: {why}")
        cur = self.db.execute("INSERT INTO meal_plan (member_id, date, meal, recipe_id, servings) VALUES "
                              "(?, ?, ?, ?, ?)", (m["id"], date, meal, recipe_id, servings))
        return {"id": cur.lastrowid, "member": m["name"], "date": date, "meal": meal, "recipe_id": recipe_id,
                "servings": servings}

    @tool("write")
    def remove_meal(self, entry_id: int) -> dict:
        """Take an entry off the meal plan.

        Args:
            entry_id: Meal plan entry id from get_meal_plan.
        """
        if not self.db.execute("SELECT 1 FROM meal_plan WHERE id = ?", (entry_id,)).fetchone():
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
        self.db.execute("INSERT OR IGNORE INTO member_allergies (member_id, allergen) VALUES (?, ?)",
                        (m["id"], allergen))
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
        self.db.execute("INSERT INTO shopping_list VALUES (?, ?) ON CONFLICT (ingredient_id) DO UPDATE SET "
                        "grams = grams + excluded.grams", (ingredient_id, grams))
        return {"ingredient_id": ingredient_id, "grams": self.db.execute(
            "SELECT grams FROM shopping_list WHERE ingredient_id = ?", (ingredient_id,)).fetchone()[0]}

    @tool("write")
    def cook_recipe(self, recipe_id: int, batches: int = 1) -> dict:
        """Cook a recipe, taking its ingredients for the given number of batches out of the pantry.

        Args:
            recipe_id: Recipe id.
            batches: How many times to make the recipe as written (1-4).
        """
        if not 1 <= batches <= 4:
            raise ValueError("batches must be 1 to 4")
        lines = self.rows("SELECT ri.ingredient_id, i.name, ri.grams, COALESCE(p.grams, 0) AS stock FROM "
                          "recipe_ingredients ri JOIN ingredients i ON i.id = ri.ingredient_id LEFT JOIN pantry p ON "
                          "p.ingredient_id = ri.ingredient_id WHERE ri.recipe_id = ?", recipe_id)
        if not lines:
            raise ValueError(f"no recipe with id {recipe_id}; use search_recipes")
        short = [f"{l['name']} ({l['grams'] * batches - l['stock']} g short)" for l in lines
                 if l["grams"] * batches > l["stock"]]
        if short:
            raise ValueError("the pantry is short of " + ", ".join(short))
        for l in lines:
            self.db.execute("UPDATE pantry SET grams = grams - ? WHERE ingredient_id = ?",
                            (l["grams"] * batches, l["ingredient_id"]))
        cur = self.db.execute("INSERT INTO cook_log (recipe_id, batches) VALUES (?, ?)", (recipe_id, batches))
        return {"cooked": recipe_id, "batches": batches, "log_id": cur.lastrowid}

    # ---- proposer helpers -------------------------------------------------------------------------

    def _days(self) -> list[str]:
        return [r["date"] for r in self.rows("SELECT date FROM calendar ORDER BY date")]

    def _allowed(self, member_id: int, date: str, meal: str, extra_kcal: float = 0.0) -> list[dict]:
        """Recipe facts of every recipe the policy allows in this slot (ignoring an existing entry there)."""
        out = []
        for f in self.rows("SELECT * FROM recipe_facts WHERE course = ? ORDER BY recipe_id", meal):
            why = self._refusal(member_id, date, meal, f["recipe_id"], 1)
            if why is None or why.startswith("the member already has"):
                out.append(f)
        return out

    def _shortfall(self, batches_by_recipe: dict[int, int]) -> dict[str, int]:
        need: dict[int, int] = {}
        for recipe_id, batches in batches_by_recipe.items():
            for l in self.rows("SELECT ingredient_id, grams FROM recipe_ingredients WHERE recipe_id = ?", recipe_id):
                need[l["ingredient_id"]] = need.get(l["ingredient_id"], 0) + l["grams"] * batches
        stock = {r["ingredient_id"]: r["grams"] for r in self.rows("SELECT * FROM pantry")}
        return {str(k): v - stock.get(k, 0) for k, v in sorted(need.items()) if v > stock.get(k, 0)}

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
            verifier=Program.of(verify_number, expected=ing["price_per_kg"], tolerance=0.005),
        )

    @proposer(difficulty=1, attempts=12)
    def propose_recipe_prep(self, rng: random.Random) -> TaskDraft | None:
        recipe = rng.choice(self.rows("SELECT name, prep_minutes FROM recipes"))
        return TaskDraft(
            shape="recipe_prep",
            instruction=self.render("recipe_prep", rng, recipe=recipe["name"]),
            solution=Program.of(solve_recipe_prep, recipe=recipe["name"]),
            verifier=Program.of(verify_number, expected=recipe["prep_minutes"], tolerance=0.0),
        )

    @proposer(difficulty=1, attempts=12)
    def propose_pantry_stock(self, rng: random.Random) -> TaskDraft | None:
        ing = rng.choice(self.rows("SELECT i.name, COALESCE(p.grams, 0) AS grams FROM ingredients i LEFT JOIN "
                                   "pantry p ON p.ingredient_id = i.id"))
        return TaskDraft(
            shape="pantry_stock",
            instruction=self.render("pantry_stock", rng, ingredient=ing["name"]),
            solution=Program.of(solve_pantry_stock, ingredient=ing["name"]),
            verifier=Program.of(verify_number, expected=ing["grams"], tolerance=0.0),
        )

    @proposer(difficulty=2, attempts=12)
    def propose_recipe_kcal(self, rng: random.Random) -> TaskDraft | None:
        recipe = rng.choice(self.rows("SELECT name, kcal FROM recipe_facts"))
        return TaskDraft(
            shape="recipe_kcal",
            instruction=self.render("recipe_kcal", rng, recipe=recipe["name"]),
            solution=Program.of(solve_recipe_kcal, recipe=recipe["name"]),
            verifier=Program.of(verify_number, expected=recipe["kcal"], tolerance=0.06),
        )

    @proposer(difficulty=2, attempts=12)
    def propose_cheapest_safe(self, rng: random.Random) -> TaskDraft | None:
        member = rng.choice(self.rows("SELECT m.* FROM members m WHERE EXISTS (SELECT 1 FROM member_allergies a "
                                      "WHERE a.member_id = m.id)"))
        course = rng.choice(MEALS)
        safe = self.rows("SELECT * FROM recipe_facts f WHERE course = ? AND NOT EXISTS (SELECT 1 FROM recipe_allergens "
                         "a JOIN member_allergies m ON m.allergen = a.allergen WHERE a.recipe_id = f.recipe_id AND "
                         "m.member_id = ?)", course, member["id"])
        best = self._unique_best(safe, "cost")
        if best is None:
            return None
        names = [r["name"] for r in self.rows("SELECT name FROM recipes WHERE course = ?", course)]
        return TaskDraft(
            shape="cheapest_safe",
            instruction=self.render("cheapest_safe", rng, member=member["name"], course=course),
            solution=Program.of(solve_cheapest_safe, member=member["name"], course=course),
            verifier=Program.of(verify_name, expected=best["name"], candidates=names),
        )

    @proposer(difficulty=2, attempts=12)
    def propose_count_quick(self, rng: random.Random) -> TaskDraft | None:
        cuisine, course = rng.choice(CUISINES), rng.choice(MEALS)
        minutes, veg = rng.choice([20, 25, 30, 35, 40, 45, 50, 60]), rng.random() < 0.4
        hits = self.rows("SELECT recipe_id FROM recipe_facts WHERE cuisine = ? AND course = ? AND prep_minutes <= ? "
                         "AND (? = 0 OR vegetarian = 1)", cuisine, course, minutes, int(veg))
        if not hits and rng.random() < 0.7:
            return None
        return TaskDraft(
            shape="count_quick",
            instruction=self.render("count_quick", rng, cuisine=cuisine, course=course, minutes=minutes, veg=veg),
            solution=Program.of(solve_count_quick, cuisine=cuisine, course=course, minutes=minutes, veg=veg),
            verifier=Program.of(verify_number, expected=len(hits), tolerance=0.0),
        )

    @proposer(difficulty=2, attempts=12)
    def propose_day_kcal(self, rng: random.Random) -> TaskDraft | None:
        row = rng.choice(self.rows("SELECT d.*, m.name FROM day_kcal d JOIN members m ON m.id = d.member_id"))
        return TaskDraft(
            shape="day_kcal",
            instruction=self.render("day_kcal", rng, member=row["name"], date=row["date"]),
            solution=Program.of(solve_day_kcal, member=row["name"], date=row["date"]),
            verifier=Program.of(verify_number, expected=row["kcal"], tolerance=0.15),
        )

    @proposer(difficulty=3, attempts=12)
    def propose_protein_meal(self, rng: random.Random) -> TaskDraft | None:
        member = rng.choice(self.rows("SELECT * FROM members"))
        date, meal, cuisine = rng.choice(self._days()), rng.choice(MEALS), rng.choice(CUISINES)
        if self.db.execute("SELECT 1 FROM meal_plan WHERE member_id = ? AND date = ? AND meal = ?",
                           (member["id"], date, meal)).fetchone():
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
            verifier=Program.of(verify_meals, member_id=member["id"], slots=[[date, meal]], same_recipe=False,
                                cuisine=cuisine, best="protein", best_value=best["protein"], vegetarian=False,
                                budget=None, distinct=False, **self._rules()),
        )

    @proposer(difficulty=3, attempts=12)
    def propose_shop_for_recipe(self, rng: random.Random) -> TaskDraft | None:
        recipe, batches = rng.choice(self.rows("SELECT id, name FROM recipes")), rng.randint(1, 3)
        short = self._shortfall({recipe["id"]: batches})
        if not short:
            return None
        return TaskDraft(
            shape="shop_for_recipe",
            instruction=self.render("shop_for_recipe", rng, recipe=recipe["name"], batches=batches),
            solution=Program.of(solve_cook_or_shop, recipe=recipe["name"], batches=batches, cook=False),
            verifier=Program.of(verify_shopping, recipe_batches={str(recipe["id"]): batches}, cooked=None,
                                meals_changed=False),
        )

    @proposer(difficulty=3, attempts=12)
    def propose_cook_or_shop(self, rng: random.Random) -> TaskDraft | None:
        recipe, batches = rng.choice(self.rows("SELECT id, name FROM recipes")), rng.randint(1, 2)
        short = self._shortfall({recipe["id"]: batches})
        if short and rng.random() < 0.5:  # keep both branches common
            recipe = rng.choice(self.rows("SELECT r.id, r.name FROM recipes r WHERE NOT EXISTS (SELECT 1 FROM "
                                          "recipe_ingredients ri LEFT JOIN pantry p ON p.ingredient_id = "
                                          "ri.ingredient_id WHERE ri.recipe_id = r.id AND ri.grams > COALESCE(p.grams, "
                                          "0))") or [recipe])
            batches = 1
            short = self._shortfall({recipe["id"]: batches})
        return TaskDraft(
            shape="cook_or_shop",
            instruction=self.render("cook_or_shop", rng, recipe=recipe["name"], batches=batches),
            solution=Program.of(solve_cook_or_shop, recipe=recipe["name"], batches=batches, cook=True),
            verifier=Program.of(verify_shopping, recipe_batches={str(recipe["id"]): batches},
                                cooked=None if short else [recipe["id"], batches], meals_changed=False),
        )

    @proposer(difficulty=4, attempts=12)
    def propose_household_dinner(self, rng: random.Random) -> TaskDraft | None:
        date = rng.choice(self._days())
        members = self.rows("SELECT * FROM members ORDER BY id")
        if self.db.execute("SELECT 1 FROM meal_plan WHERE date = ? AND meal = 'dinner'", (date,)).fetchone():
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
            verifier=Program.of(verify_meals, member_id=None, slots=[[date, "dinner"]], same_recipe=True, cuisine=None,
                                best="cost", best_value=best["cost"], vegetarian=False, budget=None, distinct=False,
                                **self._rules()),
        )

    @proposer(difficulty=4, attempts=12)
    def propose_allergy_swap(self, rng: random.Random) -> TaskDraft | None:
        member, allergen = rng.choice(self.rows("SELECT * FROM members")), rng.choice(ALLERGENS)
        if self.db.execute("SELECT 1 FROM member_allergies WHERE member_id = ? AND allergen = ?",
                           (member["id"], allergen)).fetchone():
            return None
        hit = self.rows("SELECT m.* FROM meal_plan m JOIN recipe_allergens a ON a.recipe_id = m.recipe_id WHERE "
                        "m.member_id = ? AND a.allergen = ? ORDER BY m.date, m.meal", member["id"], allergen)
        if not 2 <= len(hit) <= 6 or len({h["date"] for h in hit}) < len(hit):
            return None  # one replacement per day keeps the cheapest choice independent of the order
        # work the expected result out on a scratch copy of the database
        scratch = self.snapshot()
        saved, self.db = self.db, scratch
        try:
            self.db.execute("INSERT INTO member_allergies (member_id, allergen) VALUES (?, ?)", (member["id"], allergen))
            self.db.executemany("DELETE FROM meal_plan WHERE id = ?", [(h["id"],) for h in hit])
            costs = {}
            for h in hit:
                best = self._unique_best(self._allowed(member["id"], h["date"], h["meal"]), "cost")
                if best is None:
                    return None
                costs[f"{h['date']} {h['meal']}"] = best["cost"]
        finally:
            self.db = saved
            scratch.close()
        return TaskDraft(
            shape="allergy_swap",
            instruction=self.render("allergy_swap", rng, member=member["name"], allergen=allergen),
            solution=Program.of(solve_allergy_swap, member=member["name"], allergen=allergen, **self._rules()),
            verifier=Program.of(verify_allergy_swap, member_id=member["id"], allergen=allergen, costs=costs,
                                **self._rules()),
        )

    @proposer(difficulty=5, attempts=12)
    def propose_dinner_series(self, rng: random.Random) -> TaskDraft | None:
        import itertools

        member, veg = rng.choice(self.rows("SELECT * FROM members")), rng.random() < 0.35
        days = self._days()
        first = rng.randrange(len(days) - 2)
        dates = days[first:first + 3]
        if self.db.execute(f"SELECT 1 FROM meal_plan WHERE member_id = ? AND meal = 'dinner' AND date IN "
                           f"({','.join('?' * 3)})", (member["id"], *dates)).fetchone():
            return None
        options = [[f for f in self._allowed(member["id"], d, "dinner") if f["vegetarian"] or not veg] for d in dates]
        combos = [sum(f["cost"] for f in c) for c in itertools.product(*options)
                  if len({f["recipe_id"] for f in c}) == 3]
        if not combos:
            return None
        budget = round(min(combos) * rng.uniform(1.02, 1.3), 2)
        spec = {"member": member["name"], "dates": dates, "veg": veg, "budget": budget}
        return TaskDraft(
            shape="dinner_series",
            instruction=self.render("dinner_series", rng, **{**spec, "dates": ", ".join(dates)}),
            solution=Program.of(solve_dinner_series, **spec, **self._rules()),
            verifier=Program.of(verify_meals, member_id=member["id"], slots=[[d, "dinner"] for d in dates],
                                same_recipe=False, cuisine=None, best=None, best_value=None, vegetarian=veg,
                                budget=budget, distinct=True, shopping=True, **self._rules()),
        )


# ---- solutions: tools and computation only --------------------------------------------------------

def solve_ingredient_price(tools, params):
    return next(i for i in tools.search_ingredients(name=params["ingredient"])
                if i["name"] == params["ingredient"])["price_per_kg"]


def solve_recipe_prep(tools, params):
    return next(r for r in tools.search_recipes(name=params["recipe"]) if r["name"] == params["recipe"])["prep_minutes"]


def solve_pantry_stock(tools, params):
    return next((p["grams"] for p in tools.get_pantry() if p["name"] == params["ingredient"]), 0)


def solve_recipe_kcal(tools, params):
    recipe = next(r for r in tools.search_recipes(name=params["recipe"]) if r["name"] == params["recipe"])
    return recipe["kcal"]


def solve_cheapest_safe(tools, params):
    member = next(m for m in tools.list_members() if m["name"] == params["member"])
    safe = []
    for details in tools.search_recipes(course=params["course"]):
        if not set(details["allergens"]) & set(member["allergies"]):
            safe.append(details)
    return min(safe, key=lambda d: d["cost"])["name"]


def solve_count_quick(tools, params):
    hits = tools.search_recipes(cuisine=params["cuisine"], course=params["course"], max_prep_minutes=params["minutes"])
    if params["veg"]:
        hits = [r for r in hits if r["vegetarian"]]
    return len(hits)


def solve_day_kcal(tools, params):
    return round(sum(e["kcal"] for e in tools.get_meal_plan(member=params["member"], date=params["date"])), 1)


def solve_protein_meal(tools, params):
    import datetime as dt

    member = next(m for m in tools.list_members() if m["name"] == params["member"])
    used = sum(e["kcal"] for e in tools.get_meal_plan(member=params["member"], date=params["date"]))
    weekday = dt.date.fromisoformat(params["date"]).weekday() < 5
    best = None
    for d in tools.search_recipes(course=params["meal"], cuisine=params["cuisine"]):
        limit = params["max_weekday_dinner_prep"]
        if (set(d["allergens"]) & set(member["allergies"]) or used + d["kcal"] > member["daily_kcal_target"]
                or d["protein"] < params["min_protein"]
                or (limit and params["meal"] == "dinner" and weekday and d["prep_minutes"] > limit)):
            continue
        if best is None or d["protein"] > best["protein"]:
            best = d
    tools.add_meal(member=params["member"], date=params["date"], meal=params["meal"], recipe_id=best["id"], servings=1)
    return f"Planned {best['name']}"


def solve_cook_or_shop(tools, params):
    recipe = next(r for r in tools.search_recipes(name=params["recipe"]) if r["name"] == params["recipe"])
    lines = tools.get_recipe(recipe_id=recipe["id"])["ingredients"]
    stock = {p["ingredient_id"]: p["grams"] for p in tools.get_pantry()}
    short = {l["ingredient_id"]: l["grams"] * params["batches"] - stock.get(l["ingredient_id"], 0) for l in lines}
    short = {k: v for k, v in short.items() if v > 0}
    if params["cook"] and not short:
        tools.cook_recipe(recipe_id=recipe["id"], batches=params["batches"])
        return "Cooked"
    for ingredient_id, grams in short.items():
        tools.add_to_shopping_list(ingredient_id=ingredient_id, grams=grams)
    return f"Added {len(short)} items to the shopping list"


def solve_household_dinner(tools, params):
    import datetime as dt

    def allowed(member, date, meal, used_kcal):
        """Recipes (full details) the policy allows for `member` in one slot, given kcal already planned that day."""
        weekday = dt.date.fromisoformat(date).weekday() < 5
        out = []
        for d in tools.search_recipes(course=meal):
            if set(d["allergens"]) & set(member["allergies"]) or used_kcal + d["kcal"] > member["daily_kcal_target"]:
                continue
            limit = params["max_weekday_dinner_prep"]
            if limit and meal == "dinner" and weekday and d["prep_minutes"] > limit:
                continue
            if d["protein"] < params["min_protein"]:
                continue
            out.append(d)
        return out

    members = tools.list_members()
    plan = tools.get_meal_plan(date=params["date"])
    common = None
    for m in members:
        used = sum(e["kcal"] for e in plan if e["member"] == m["name"])
        ok = {d["id"]: d for d in allowed(m, params["date"], "dinner", used)}
        common = ok if common is None else {k: v for k, v in common.items() if k in ok}
    best = min(common.values(), key=lambda d: d["cost"])
    for m in members:
        tools.add_meal(member=m["name"], date=params["date"], meal="dinner", recipe_id=best["id"], servings=1)
    return f"Everyone has {best['name']}"


def solve_allergy_swap(tools, params):
    import datetime as dt

    def allowed(member, date, meal, used_kcal):
        """Recipes (full details) the policy allows for `member` in one slot, given kcal already planned that day."""
        weekday = dt.date.fromisoformat(date).weekday() < 5
        out = []
        for d in tools.search_recipes(course=meal):
            if set(d["allergens"]) & set(member["allergies"]) or used_kcal + d["kcal"] > member["daily_kcal_target"]:
                continue
            limit = params["max_weekday_dinner_prep"]
            if limit and meal == "dinner" and weekday and d["prep_minutes"] > limit:
                continue
            if d["protein"] < params["min_protein"]:
                continue
            out.append(d)
        return out

    tools.add_allergy(member=params["member"], allergen=params["allergen"])
    member = next(m for m in tools.list_members() if m["name"] == params["member"])
    allergens = {r["id"]: r["allergens"] for meal in ("breakfast", "lunch", "dinner")
                 for r in tools.search_recipes(course=meal)}
    hit = [e for e in tools.get_meal_plan(member=params["member"]) if params["allergen"] in allergens[e["recipe_id"]]]
    for e in hit:
        tools.remove_meal(entry_id=e["id"])
    for e in hit:
        used = sum(x["kcal"] for x in tools.get_meal_plan(member=params["member"], date=e["date"]))
        best = min(allowed(member, e["date"], e["meal"], used), key=lambda d: d["cost"])
        tools.add_meal(member=params["member"], date=e["date"], meal=e["meal"], recipe_id=best["id"], servings=1)
    return f"Replaced {len(hit)} meals"


def solve_dinner_series(tools, params):
    import datetime as dt

    def allowed(member, date, meal, used_kcal):
        """Recipes (full details) the policy allows for `member` in one slot, given kcal already planned that day."""
        weekday = dt.date.fromisoformat(date).weekday() < 5
        out = []
        for d in tools.search_recipes(course=meal):
            if set(d["allergens"]) & set(member["allergies"]) or used_kcal + d["kcal"] > member["daily_kcal_target"]:
                continue
            limit = params["max_weekday_dinner_prep"]
            if limit and meal == "dinner" and weekday and d["prep_minutes"] > limit:
                continue
            if d["protein"] < params["min_protein"]:
                continue
            out.append(d)
        return out

    import itertools

    member = next(m for m in tools.list_members() if m["name"] == params["member"])
    options = []
    for date in params["dates"]:
        used = sum(e["kcal"] for e in tools.get_meal_plan(member=params["member"], date=date))
        options.append([d for d in allowed(member, date, "dinner", used)
                        if d["vegetarian"] or not params["veg"]])
    best = min((c for c in itertools.product(*options) if len({d["id"] for d in c}) == 3),
               key=lambda c: sum(d["cost"] for d in c))
    need = {}
    for date, d in zip(params["dates"], best):
        tools.add_meal(member=params["member"], date=date, meal="dinner", recipe_id=d["id"], servings=1)
        for l in tools.get_recipe(recipe_id=d["id"])["ingredients"]:
            need[l["ingredient_id"]] = need.get(l["ingredient_id"], 0) + l["grams"]
    stock = {p["ingredient_id"]: p["grams"] for p in tools.get_pantry()}
    for ingredient_id, grams in need.items():
        if grams > stock.get(ingredient_id, 0):
            tools.add_to_shopping_list(ingredient_id=ingredient_id, grams=grams - stock.get(ingredient_id, 0))
    return "Planned " + ", ".join(d["name"] for d in best)


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_name(outcome, params):
    from verifiers.answers import mentioned, mentions_exactly

    ok = mentions_exactly(outcome.answer, [params["expected"]], params["candidates"])
    return ok, [] if ok else [f"expected exactly {params['expected']!r}, answer names "
                              f"{sorted(mentioned(outcome.answer, params['candidates'] + [params['expected']]))}"]


def verify_shopping(outcome, params):
    """Either the recipe was cooked (`cooked` = [recipe id, batches]) and the pantry paid for it, or nothing was
    cooked and the shopping list grew by exactly the pantry shortfall of `recipe_batches`."""
    from verifiers.state import column_deltas, diff_table, unchanged

    reasons = []
    need = {}
    for recipe_id, batches in params["recipe_batches"].items():
        for l in outcome.initial_rows("SELECT ingredient_id, grams FROM recipe_ingredients WHERE recipe_id = ?",
                                      int(recipe_id)):
            need[l["ingredient_id"]] = need.get(l["ingredient_id"], 0) + l["grams"] * batches
    stock = {r["ingredient_id"]: r["grams"] for r in outcome.initial_rows("SELECT * FROM pantry")}
    listed_before = {r["ingredient_id"]: r["grams"] for r in outcome.initial_rows("SELECT * FROM shopping_list")}
    listed_after = {r["ingredient_id"]: r["grams"] for r in outcome.rows("SELECT * FROM shopping_list")}
    log = diff_table(outcome.initial, outcome.db, "cook_log")
    pantry = column_deltas(outcome.initial, outcome.db, "pantry", "grams", key="ingredient_id")
    if params["cooked"]:
        recipe_id, batches = params["cooked"]
        if [(r["recipe_id"], r["batches"]) for r in log[0]] != [(recipe_id, batches)] or log[1] or log[2]:
            reasons.append(f"expected one cook_log entry for recipe {recipe_id} x{batches}")
        if pantry != {k: -v for k, v in sorted(need.items())}:
            reasons.append(f"pantry changes {pantry} do not match the ingredients used")
        if listed_after != listed_before:
            reasons.append("the shopping list changed although everything was in stock")
    else:
        want = {k: v - stock.get(k, 0) for k, v in need.items() if v > stock.get(k, 0)}
        got = {k: listed_after.get(k, 0) - listed_before.get(k, 0) for k in set(listed_after) | set(listed_before)}
        got = {k: v for k, v in got.items() if v}
        if got != want:
            reasons.append(f"shopping list grew by {got}, the shortfall is {want}")
        if any(log) or pantry:
            reasons.append("something was cooked or the pantry changed")
    tables = ["ingredients", "recipes", "recipe_ingredients", "members", "member_allergies"]
    if not params["meals_changed"]:
        tables.append("meal_plan")
    if other := unchanged(outcome.initial, outcome.db, tables):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons


def verify_meals(outcome, params):
    """New meal-plan entries fill exactly `slots` ([date, meal]) for one member (or every member when member_id is
    None), one serving each, within the policy; optional cuisine, vegetarian, distinct recipes, shared recipe,
    total budget, an optimum (`best`: lowest cost or highest protein equal to `best_value`) and the shopping-list
    shortfall of cooking each chosen recipe once."""
    import datetime as dt

    from verifiers.state import diff_table, unchanged

    added, removed, changed = diff_table(outcome.initial, outcome.db, "meal_plan")
    members = [m["id"] for m in outcome.rows("SELECT id FROM members ORDER BY id")]
    who = members if params["member_id"] is None else [params["member_id"]]
    want = sorted((m, d, meal) for m in who for d, meal in params["slots"])
    got = sorted((a["member_id"], a["date"], a["meal"]) for a in added)
    if removed or changed or got != want:
        return False, [f"expected new entries for {want}; got {got}, {len(removed)} removed, {len(changed)} changed"]
    reasons = []
    if outcome.rows("SELECT * FROM plan_violations"):
        reasons.append(f"the plan breaks the policy: {outcome.rows('SELECT * FROM plan_violations')}")
    facts = {f["recipe_id"]: f for f in outcome.rows("SELECT * FROM recipe_facts")}
    chosen = [facts[a["recipe_id"]] for a in added]
    for a, f in zip(added, chosen):
        weekday = dt.date.fromisoformat(a["date"]).weekday() < 5
        limit = params["max_weekday_dinner_prep"]
        if a["servings"] != 1:
            reasons.append(f"entry {a['id']} has {a['servings']} servings, not 1")
        if limit and a["meal"] == "dinner" and weekday and f["prep_minutes"] > limit:
            reasons.append(f"{f['name']} takes {f['prep_minutes']} min on a weekday dinner")
        if f["protein"] < params["min_protein"]:
            reasons.append(f"{f['name']} has only {f['protein']} g protein")
        if params["cuisine"] and f["cuisine"] != params["cuisine"]:
            reasons.append(f"{f['name']} is not {params['cuisine']}")
        if params["vegetarian"] and not f["vegetarian"]:
            reasons.append(f"{f['name']} is not vegetarian")
    ids = {f["recipe_id"] for f in chosen}
    if params["same_recipe"] and len(ids) != 1:
        reasons.append("members were given different recipes")
    if params["distinct"] and len(ids) != len(chosen):
        reasons.append("a recipe is repeated")
    if params["budget"] is not None and sum(f["cost"] for f in chosen) > params["budget"] + 1e-9:
        reasons.append(f"the meals cost {round(sum(f['cost'] for f in chosen), 2)} > {params['budget']}")
    if params["best"] and any(abs(f[params["best"]] - params["best_value"]) > 1e-6 for f in chosen):
        reasons.append(f"the chosen recipe's {params['best']} is not the best allowed ({params['best_value']})")
    tables = ["ingredients", "recipes", "recipe_ingredients", "members", "member_allergies", "cook_log"]
    if unchanged(outcome.initial, outcome.db, ["pantry"], key="ingredient_id"):
        reasons.append("the pantry changed")
    if params.get("shopping"):
        need = {}
        for recipe_id in ids:
            for l in outcome.rows("SELECT ingredient_id, grams FROM recipe_ingredients WHERE recipe_id = ?", recipe_id):
                need[l["ingredient_id"]] = need.get(l["ingredient_id"], 0) + l["grams"]
        stock = {r["ingredient_id"]: r["grams"] for r in outcome.initial_rows("SELECT * FROM pantry")}
        short = {k: v - stock.get(k, 0) for k, v in need.items() if v > stock.get(k, 0)}
        before = {r["ingredient_id"]: r["grams"] for r in outcome.initial_rows("SELECT * FROM shopping_list")}
        after = {r["ingredient_id"]: r["grams"] for r in outcome.rows("SELECT * FROM shopping_list")}
        grew = {k: after.get(k, 0) - before.get(k, 0) for k in set(after) | set(before)}
        if {k: v for k, v in grew.items() if v} != short:
            reasons.append(f"shopping list grew by {grew}, the shortfall of the chosen recipes is {short}")
    elif unchanged(outcome.initial, outcome.db, ["shopping_list"], key="ingredient_id"):
        reasons.append("the shopping list changed")
    if other := unchanged(outcome.initial, outcome.db, tables):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons


def verify_allergy_swap(outcome, params):
    """The allergy is recorded; the member's meals containing it are gone, each slot refilled with one serving of a
    recipe as cheap as the cheapest allowed one (`costs` by 'date meal'); nothing else changed."""
    import datetime as dt

    from verifiers.state import diff_table, unchanged

    reasons = []
    allergies, gone, altered = diff_table(outcome.initial, outcome.db, "member_allergies")
    if [(a["member_id"], a["allergen"]) for a in allergies] != [(params["member_id"], params["allergen"])] or gone \
            or altered:
        return False, ["the new allergy is not recorded exactly once"]
    added, removed, changed = diff_table(outcome.initial, outcome.db, "meal_plan")
    hit = outcome.initial_rows("SELECT m.id FROM meal_plan m JOIN recipe_allergens a ON a.recipe_id = m.recipe_id "
                               "WHERE m.member_id = ? AND a.allergen = ?", params["member_id"], params["allergen"])
    if changed or sorted(r["id"] for r in removed) != sorted(r["id"] for r in hit):
        reasons.append("exactly the member's meals containing the allergen must be removed")
    slots = sorted(f"{a['date']} {a['meal']}" for a in added if a["member_id"] == params["member_id"])
    if slots != sorted(params["costs"]) or len(added) != len(slots):
        return False, reasons + [f"expected replacements in {sorted(params['costs'])}, got {slots}"]
    facts = {f["recipe_id"]: f for f in outcome.rows("SELECT * FROM recipe_facts")}
    for a in added:
        f = facts[a["recipe_id"]]
        weekday = dt.date.fromisoformat(a["date"]).weekday() < 5
        limit = params["max_weekday_dinner_prep"]
        if a["servings"] != 1 or abs(f["cost"] - params["costs"][f"{a['date']} {a['meal']}"]) > 1e-6:
            reasons.append(f"{a['date']} {a['meal']}: {f['name']} x{a['servings']} is not the cheapest allowed")
        if (limit and a["meal"] == "dinner" and weekday and f["prep_minutes"] > limit) or \
                f["protein"] < params["min_protein"]:
            reasons.append(f"{f['name']} breaks a rule of the policy")
    if outcome.rows("SELECT * FROM plan_violations"):
        reasons.append("the plan breaks the policy")
    if other := unchanged(outcome.initial, outcome.db, ["ingredients", "recipes", "recipe_ingredients", "members",
                                                        "cook_log"]):
        reasons.append(f"unexpected changes in {other}")
    if other := unchanged(outcome.initial, outcome.db, ["pantry", "shopping_list"], key="ingredient_id"):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons
