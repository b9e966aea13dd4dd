"""Restaurant reservations: restaurants with weekly hours, tables, menus with dietary flags, customers and bookings.

Constants and the database builder."""

from __future__ import annotations

import datetime as dt
import random

NAME_A = [
    "Saffron",
    "Copper",
    "Juniper",
    "Olive",
    "Lantern",
    "Harbour",
    "Velvet",
    "Ember",
    "Marigold",
    "Pepper",
    "Willow",
    "Cobalt",
    "Fig",
    "Tamarind",
    "Cedar",
    "Basil",
    "Quince",
    "Sorrel",
    "Amber",
    "Clove",
]
NAME_B = [
    "Kitchen",
    "Table",
    "House",
    "Bistro",
    "Grill",
    "Canteen",
    "Room",
    "Terrace",
    "Garden",
    "Eatery",
    "Cellar",
    "Diner",
]
CUISINES = ["Italian", "Japanese", "Indian", "Mexican", "French", "Thai", "Lebanese", "Greek"]
NEIGHBOURHOODS = ["Old Town", "Harbourside", "Market Quarter", "Northgate", "Canal District", "Hillcrest"]
MAINS = [  # (name, vegetarian, vegan, gluten free)
    ("Grilled Sea Bream", 0, 0, 1),
    ("Mushroom Risotto", 1, 0, 1),
    ("Chickpea and Spinach Stew", 1, 1, 1),
    ("Braised Lamb Shoulder", 0, 0, 1),
    ("Roast Chicken Supreme", 0, 0, 1),
    ("Aubergine Bake", 1, 0, 0),
    ("Lentil Dhal", 1, 1, 1),
    ("Tofu Green Curry", 1, 1, 1),
    ("Beef Short Rib", 0, 0, 0),
    ("Pumpkin Gnocchi", 1, 0, 0),
    ("Charred Cauliflower Steak", 1, 1, 1),
    ("Prawn Linguine", 0, 0, 0),
    ("Black Bean Tacos", 1, 1, 0),
    ("Stuffed Peppers", 1, 1, 1),
    ("Duck Breast", 0, 0, 1),
    ("Halloumi Skewers", 1, 0, 1),
    ("Vegetable Tagine", 1, 1, 0),
    ("Pork Belly", 0, 0, 1),
    ("Wild Mushroom Pie", 1, 0, 0),
    ("Salmon Fillet", 0, 0, 1),
    ("Falafel Plate", 1, 1, 0),
    ("Sweet Potato Curry", 1, 1, 1),
    ("Spinach Ravioli", 1, 0, 0),
    ("Seitan Skewers", 1, 1, 0),
]
STARTERS = [
    ("Tomato Bruschetta", 1, 1, 0),
    ("Chicken Wings", 0, 0, 1),
    ("Hummus and Flatbread", 1, 1, 0),
    ("Beetroot Salad", 1, 1, 1),
    ("Calamari", 0, 0, 0),
    ("Burrata", 1, 0, 1),
    ("Miso Soup", 1, 1, 1),
    ("Pork Dumplings", 0, 0, 0),
    ("Grilled Corn", 1, 1, 1),
    ("Crab Cakes", 0, 0, 0),
]
DESSERTS = [
    ("Chocolate Tart", 1, 0, 0),
    ("Mango Sorbet", 1, 1, 1),
    ("Panna Cotta", 1, 0, 1),
    ("Apple Crumble", 1, 0, 0),
    ("Coconut Rice Pudding", 1, 1, 1),
    ("Lemon Cheesecake", 1, 0, 0),
]
FIRST = [
    "Ada",
    "Bruno",
    "Clara",
    "Dev",
    "Elif",
    "Femi",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Kira",
    "Luca",
    "Mira",
    "Nils",
    "Oona",
    "Priya",
    "Rosa",
    "Sami",
    "Tessa",
    "Umar",
    "Vera",
    "Yara",
    "Zeno",
    "Leif",
]
LAST = [
    "Abbott",
    "Brandt",
    "Castillo",
    "Dimitrov",
    "Eklund",
    "Fontaine",
    "Gallo",
    "Hale",
    "Ivers",
    "Jansen",
    "Kovac",
    "Lindgren",
    "Novak",
    "Ortega",
    "Pereira",
    "Quinn",
    "Sandoval",
    "Varga",
    "Whitlock",
    "Yilmaz",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DINNER_TIMES = ["18:00", "18:30", "19:00", "19:30", "20:00", "20:30"]
SITTING = 120  # minutes a reservation holds its table
DIETS = ("vegetarian", "vegan", "gluten_free")


def minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def hhmm(mins: int) -> str:
    return f"{mins // 60:02d}:{mins % 60:02d}"


class RestaurantsWorld:
    def build(self, rng: random.Random) -> None:
        db = self.db
        db.executescript("""
            CREATE TABLE office (today TEXT);
            CREATE TABLE restaurants (id INTEGER PRIMARY KEY, name TEXT UNIQUE, cuisine TEXT, neighbourhood TEXT,
                rating REAL, price_level INTEGER, deposit_per_guest INTEGER, max_party INTEGER);
            CREATE TABLE hours (id INTEGER PRIMARY KEY, restaurant_id INTEGER, weekday INTEGER, open TEXT,
                close TEXT);
            CREATE TABLE tables (id INTEGER PRIMARY KEY, restaurant_id INTEGER, code TEXT, seats INTEGER,
                area TEXT);
            CREATE TABLE menu_items (id INTEGER PRIMARY KEY, restaurant_id INTEGER, name TEXT, course TEXT,
                price REAL, vegetarian INTEGER, vegan INTEGER, gluten_free INTEGER);
            CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT UNIQUE, phone TEXT);
            CREATE TABLE reservations (id INTEGER PRIMARY KEY, ref TEXT UNIQUE, restaurant_id INTEGER,
                table_id INTEGER, customer_id INTEGER, date TEXT, time TEXT, party_size INTEGER, status TEXT,
                deposit INTEGER, refund INTEGER);
        """)
        n_rest, n_cust, n_res = {"small": (14, 40, 150), "medium": (20, 60, 260), "large": (28, 90, 400)}[
            self.variant.scale
        ]
        today = dt.date(2026, rng.randint(1, 11), rng.randint(1, 28))
        db.execute("INSERT INTO office VALUES (?)", (today.isoformat(),))
        names = rng.sample([f"{a} {b}" for a in NAME_A for b in NAME_B], n_rest)
        cuisines = [CUISINES[i % len(CUISINES)] for i in range(n_rest)]
        rng.shuffle(cuisines)
        for rid, (name, cuisine) in enumerate(zip(names, cuisines), 1):
            price = rng.choice([1, 2, 2, 3, 3, 4])
            db.execute(
                "INSERT INTO restaurants VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    rid,
                    name,
                    cuisine,
                    rng.choice(NEIGHBOURHOODS),
                    rng.choice(range(30, 50)) / 10,
                    price,
                    rng.choice([10, 15, 20, 25, 30]) + 5 * (price - 1),
                    rng.choice([8, 10, 12]),
                ),
            )
            closed = set(rng.sample(range(7), rng.choice([0, 1, 1, 2])))
            open_, close = (
                rng.choice(["11:30", "12:00", "17:00", "17:30"]),
                rng.choice(["21:30", "22:00", "22:30", "23:00"]),
            )
            for wd in range(7):
                if wd not in closed:
                    late = wd in (4, 5) and rng.random() < 0.5
                    db.execute(
                        "INSERT INTO hours (restaurant_id, weekday, open, close) VALUES (?, ?, ?, ?)",
                        (rid, wd, open_, hhmm(min(minutes(close) + 60 * late, 23 * 60 + 30))),
                    )
            seats = [rng.choice([2, 2, 2, 4, 4, 4, 6, 6, 8, 10]) for _ in range(rng.randint(6, 11))]
            for i, s in enumerate(sorted(seats), 1):
                area = rng.choice(["indoor", "indoor", "terrace"]) if s <= 6 else rng.choice(["indoor", "private"])
                db.execute(
                    "INSERT INTO tables (restaurant_id, code, seats, area) VALUES (?, ?, ?, ?)", (rid, f"T{i}", s, area)
                )
            base = {1: 9, 2: 14, 3: 21, 4: 30}[price]
            for course, pool, k, f in (
                ("starter", STARTERS, (3, 5), 0.5),
                ("main", MAINS, (6, 11), 1.0),
                ("dessert", DESSERTS, (2, 4), 0.45),
            ):
                for item, veg, vegan, gf in rng.sample(pool, rng.randint(*k)):
                    db.execute(
                        "INSERT INTO menu_items (restaurant_id, name, course, price, vegetarian, vegan, "
                        "gluten_free) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (rid, item, course, round(base * f * rng.uniform(0.8, 1.3)) + 0.5, veg, vegan, gf),
                    )
        people = rng.sample([f"{a} {b}" for a in FIRST for b in LAST], n_cust)
        db.executemany(
            "INSERT INTO customers VALUES (?, ?, ?)",
            [(i, p, f"+44 7{rng.randint(100, 999)} {rng.randint(100000, 999999)}") for i, p in enumerate(people, 1)],
        )
        ref = rng.randint(20000, 50000)
        for _ in range(n_res * 3):
            if self.value("SELECT COUNT(*) FROM reservations") >= n_res:
                break
            r = rng.randint(1, n_rest)
            date = today + dt.timedelta(days=rng.randint(-10, 24))
            time = rng.choice(["12:30", "13:00"] + DINNER_TIMES * 2 + ["21:00"])
            table = rng.choice(self.rows("SELECT * FROM tables WHERE restaurant_id = ?", r))
            party = rng.randint(max(1, table["seats"] - 2), table["seats"])
            cust = rng.randint(1, n_cust)
            if self._problems(r, table["id"], cust, date.isoformat(), time, party) or (
                date > today and self._on_date(cust, date.isoformat())
            ):
                continue
            status = (
                ("booked" if rng.random() < 0.85 else "cancelled")
                if date > today
                else rng.choice(["completed", "completed", "completed", "no_show"])
            )
            dep = self._deposit(r, party)
            ref += rng.randint(1, 17)
            db.execute(
                "INSERT INTO reservations (ref, restaurant_id, table_id, customer_id, date, time, party_size, "
                "status, deposit, refund) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    f"R-{ref}",
                    r,
                    table["id"],
                    cust,
                    date.isoformat(),
                    time,
                    party,
                    status,
                    dep,
                    dep if status == "cancelled" else 0,
                ),
            )
