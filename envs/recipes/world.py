"""Household kitchen: ingredients with nutrients and prices, recipes, pantry stock, meal plans and a shopping list."""

from __future__ import annotations

import datetime as dt
import random

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
ADJECTIVES = [
    "Smoky",
    "Zesty",
    "Golden",
    "Rustic",
    "Herby",
    "Spiced",
    "Sunny",
    "Hearty",
    "Crispy",
    "Creamy",
    "Garden",
    "Fiery",
    "Tangy",
    "Mellow",
    "Roasted",
    "Quick",
]
DISHES = {
    "breakfast": ["Bowl", "Toast", "Porridge", "Parfait", "Scramble", "Muffin"],
    "lunch": ["Salad", "Wrap", "Soup", "Sandwich", "Grain Bowl", "Flatbread"],
    "dinner": ["Stew", "Curry", "Bake", "Stir-Fry", "Pasta", "Risotto", "Tacos", "Traybake"],
}
MAIN_CATEGORIES = {
    "breakfast": ("egg", "dairy", "grain"),
    "lunch": ("meat", "fish", "legume", "egg", "dairy"),
    "dinner": ("meat", "fish", "legume", "dairy"),
}
SIDE_CATEGORIES = {
    "breakfast": ("fruit", "nut", "dairy", "extra", "grain"),
    "lunch": ("vegetable", "grain", "extra", "nut"),
    "dinner": ("vegetable", "grain", "extra"),
}
MEMBER_NAMES = [
    "Alma",
    "Bodhi",
    "Cleo",
    "Dorian",
    "Esme",
    "Fenn",
    "Greer",
    "Hollis",
    "Isla",
    "Jude",
    "Kit",
    "Linnea",
    "Milo",
    "Nell",
    "Otto",
    "Pip",
    "Rhea",
    "Sol",
    "Tamsin",
    "Wren",
]
MEALS = ("breakfast", "lunch", "dinner")
NO_RULES = {"max_weekday_dinner_prep": None, "min_protein": 0}

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


class RecipesWorld:
    def build(self, rng: random.Random) -> None:
        self.db.executescript(
            """
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
            CREATE TABLE meal_plan (id INTEGER PRIMARY KEY AUTOINCREMENT, member_id INTEGER REFERENCES members(id), date TEXT,
                meal TEXT, recipe_id INTEGER REFERENCES recipes(id), servings INTEGER);
            CREATE TABLE shopping_list (ingredient_id INTEGER PRIMARY KEY REFERENCES ingredients(id), grams INTEGER);
            CREATE TABLE cook_log (id INTEGER PRIMARY KEY, recipe_id INTEGER, batches INTEGER);
        """
            + VIEWS
        )
        n_recipes, n_members = {"small": (36, (3, 4)), "medium": (60, (4, 5)), "large": (95, (5, 7))}[
            self.variant.scale
        ]
        chosen = [i for i in INGREDIENTS if rng.random() < 0.88 or i[1] in ("grain", "vegetable")]
        portions = {}
        for spec in chosen:
            name, category, kcal, protein, price, allergen, grams = spec
            price = round(price * rng.uniform(0.8, 1.25), 2)
            cur = self.db.execute(
                "INSERT INTO ingredients (name, category, kcal_per_100g, protein_per_100g, "
                "price_per_kg, allergen) VALUES (?, ?, ?, ?, ?, ?)",
                (name, category, kcal, protein, price, allergen),
            )
            portions[cur.lastrowid] = (category, grams)
        self._build_recipes(rng, n_recipes, portions)
        for ing_id in portions:
            if rng.random() < 0.75:
                self.db.execute(
                    "INSERT INTO pantry VALUES (?, ?)",
                    (ing_id, rng.choice([0, 50, 100, 150, 200, 250, 300, 400, 500, 750, 1000])),
                )
            if rng.random() < 0.12:
                self.db.execute("INSERT INTO shopping_list VALUES (?, ?)", (ing_id, rng.choice([100, 200, 250, 500])))
        for name in rng.sample(MEMBER_NAMES, rng.randint(*n_members)):
            cur = self.db.execute(
                "INSERT INTO members (name, daily_kcal_target) VALUES (?, ?)", (name, rng.randrange(1700, 2900, 50))
            )
            for allergen in rng.sample(ALLERGENS, rng.choice([0, 1, 1, 1, 2])):
                self.db.execute(
                    "INSERT INTO member_allergies (member_id, allergen) VALUES (?, ?)", (cur.lastrowid, allergen)
                )
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
            sides = rng.sample(
                [i for c in SIDE_CATEGORIES[course] for i in by_cat.get(c, []) if i != main], rng.randint(3, 6)
            )
            name = f"{rng.choice(ADJECTIVES)} {names[main]} {rng.choice(DISHES[course])}"
            while name in taken:
                name = f"{rng.choice(ADJECTIVES)} {names[main]} {rng.choice(DISHES[course])}"
            taken.add(name)
            cur = self.db.execute(
                "INSERT INTO recipes (name, course, cuisine, prep_minutes, servings) VALUES (?, ?, ?, ?, ?)",
                (name, course, rng.choice(CUISINES), rng.randrange(10, 75, 5), servings),
            )
            for ing_id in [main, *sides]:
                low, high = portions[ing_id][1]
                self.db.execute(
                    "INSERT INTO recipe_ingredients (recipe_id, ingredient_id, grams) VALUES (?, ?, ?)",
                    (cur.lastrowid, ing_id, 5 * round(rng.randint(low, high) * servings / 5)),
                )

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
                            self.db.execute(
                                "INSERT INTO meal_plan (member_id, date, meal, recipe_id, servings) "
                                "VALUES (?, ?, ?, ?, 1)",
                                (member["id"], day, meal, recipe_id),
                            )
                            break
