"""Restaurant reservations: restaurants with weekly hours, tables, menus with dietary flags, customers and bookings."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool
from verifiers.common import verify_names

NAME_A = ["Saffron", "Copper", "Juniper", "Olive", "Lantern", "Harbour", "Velvet", "Ember", "Marigold", "Pepper",
          "Willow", "Cobalt", "Fig", "Tamarind", "Cedar", "Basil", "Quince", "Sorrel", "Amber", "Clove"]
NAME_B = ["Kitchen", "Table", "House", "Bistro", "Grill", "Canteen", "Room", "Terrace", "Garden", "Eatery",
          "Cellar", "Diner"]
CUISINES = ["Italian", "Japanese", "Indian", "Mexican", "French", "Thai", "Lebanese", "Greek"]
NEIGHBOURHOODS = ["Old Town", "Harbourside", "Market Quarter", "Northgate", "Canal District", "Hillcrest"]
MAINS = [  # (name, vegetarian, vegan, gluten free)
    ("Grilled Sea Bream", 0, 0, 1), ("Mushroom Risotto", 1, 0, 1), ("Chickpea and Spinach Stew", 1, 1, 1),
    ("Braised Lamb Shoulder", 0, 0, 1), ("Roast Chicken Supreme", 0, 0, 1), ("Aubergine Bake", 1, 0, 0),
    ("Lentil Dhal", 1, 1, 1), ("Tofu Green Curry", 1, 1, 1), ("Beef Short Rib", 0, 0, 0),
    ("Pumpkin Gnocchi", 1, 0, 0), ("Charred Cauliflower Steak", 1, 1, 1), ("Prawn Linguine", 0, 0, 0),
    ("Black Bean Tacos", 1, 1, 0), ("Stuffed Peppers", 1, 1, 1), ("Duck Breast", 0, 0, 1),
    ("Halloumi Skewers", 1, 0, 1), ("Vegetable Tagine", 1, 1, 0), ("Pork Belly", 0, 0, 1),
    ("Wild Mushroom Pie", 1, 0, 0), ("Salmon Fillet", 0, 0, 1), ("Falafel Plate", 1, 1, 0),
    ("Sweet Potato Curry", 1, 1, 1), ("Spinach Ravioli", 1, 0, 0), ("Seitan Skewers", 1, 1, 0),
]
STARTERS = [("Tomato Bruschetta", 1, 1, 0), ("Chicken Wings", 0, 0, 1), ("Hummus and Flatbread", 1, 1, 0),
            ("Beetroot Salad", 1, 1, 1), ("Calamari", 0, 0, 0), ("Burrata", 1, 0, 1), ("Miso Soup", 1, 1, 1),
            ("Pork Dumplings", 0, 0, 0), ("Grilled Corn", 1, 1, 1), ("Crab Cakes", 0, 0, 0)]
DESSERTS = [("Chocolate Tart", 1, 0, 0), ("Mango Sorbet", 1, 1, 1), ("Panna Cotta", 1, 0, 1),
            ("Apple Crumble", 1, 0, 0), ("Coconut Rice Pudding", 1, 1, 1), ("Lemon Cheesecake", 1, 0, 0)]
FIRST = ["Ada", "Bruno", "Clara", "Dev", "Elif", "Femi", "Greta", "Hugo", "Ines", "Jonas", "Kira", "Luca", "Mira",
         "Nils", "Oona", "Priya", "Rosa", "Sami", "Tessa", "Umar", "Vera", "Yara", "Zeno", "Leif"]
LAST = ["Abbott", "Brandt", "Castillo", "Dimitrov", "Eklund", "Fontaine", "Gallo", "Hale", "Ivers", "Jansen",
        "Kovac", "Lindgren", "Novak", "Ortega", "Pereira", "Quinn", "Sandoval", "Varga", "Whitlock", "Yilmaz"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DINNER_TIMES = ["18:00", "18:30", "19:00", "19:30", "20:00", "20:30"]
SITTING = 120  # minutes a reservation holds its table
DIETS = ("vegetarian", "vegan", "gluten_free")


def minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def hhmm(mins: int) -> str:
    return f"{mins // 60:02d}:{mins % 60:02d}"


class RestaurantsEnv(EnvTemplate):
    name = "restaurants"
    version = "1.0.0"
    category = "restaurant reservations"
    description = ("A city dining-reservation service: restaurants with cuisine, rating, price level (1-4) and "
                   "weekly opening hours, their tables, menus with dietary flags, registered customers and their "
                   "reservations. Look things up, book, change and cancel tables.")
    policy = (
        "Act only for the customer named in the request and change nothing else. Dates count from the service's "
        "today (get_today); bookings are made only for dates after today. "
        "A reservation holds its table for a two-hour sitting: it may start at the earliest at opening time, must "
        "end by closing time, starts on the hour or half hour, and may not overlap another booked reservation on "
        "the same table. A restaurant closed on a weekday has no hours listed for it. "
        "The party must fit the table (party size no more than its seats) and may not exceed the restaurant's "
        "maximum party size. A customer may hold at most one booked reservation per date. "
        "Parties of 6 or more guests pay a deposit of the restaurant's deposit per guest times the party size; "
        "smaller parties pay none. Changing a party size recomputes the deposit. "
        "Cancelling refunds the full deposit when the reservation date is at least 2 days after today, otherwise "
        "the deposit is forfeited. "
        "Dietary counts refer to main courses flagged for that diet (vegetarian, vegan, gluten_free)."
    )
    variants = VariantSpace(
        optional_tools=("find_available_tables", "get_reservation"),
        renames={"search_restaurants": ("find_restaurants",), "book_table": ("make_reservation",),
                 "list_reservations": ("search_reservations",), "get_menu": ("menu_items",)},
        rules={
            "tight_fit": "Do not waste seats: a table may seat at most 2 more guests than the party size.",
            "terrace_cap": "Terrace tables may not be booked for parties of more than 4 guests.",
            "deposit_from_5": "The deposit applies from parties of 5 guests (instead of 6).",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "closing_time": [
            "What time does {{restaurant}} close on {{weekday}}s?",
            "On a {{weekday}}, until what time is {{restaurant}} open? Give the closing time (HH:MM).",
        ],
        "reservation_table": [
            "Which table is reservation {{ref}} booked at? Give the table code.",
            "Tell me the table code assigned to booking {{ref}}.",
        ],
        "table_seats": [
            "How many seats does table {{table}} at {{restaurant}} have?",
            "What is the seating capacity of {{restaurant}}'s table {{table}}?",
        ],
        "diet_count": [
            "How many {{diet_word}} main courses does {{restaurant}} offer?",
            "Count the mains on {{restaurant}}'s menu that are flagged {{diet_word}}.",
            "A guest is {{diet_word}}. How many main courses at {{restaurant}} could they order?",
        ],
        "best_rated": [
            "Among {{cuisine}} restaurants with a price level of at most {{max_price}}, which one has the highest "
            "rating?",
            "Which {{cuisine}} restaurant is rated highest if we only consider price levels up to {{max_price}}?",
        ],
        "covers_on_date": [
            "How many guests in total are booked (active reservations) at {{restaurant}} on {{date}}?",
            "Add up the party sizes of all booked reservations at {{restaurant}} for {{date}}.",
        ],
        "customer_deposits": [
            "What is the total deposit held on {{customer}}'s booked reservations?",
            "Sum the deposits of every reservation of {{customer}} that is still booked.",
        ],
        "open_at": [
            "Which {{cuisine}} restaurants could seat a two-hour sitting starting at {{time}} on a {{weekday}}? "
            "List them by name.",
            "List the {{cuisine}} restaurants whose {{weekday}} opening hours allow a reservation starting at "
            "{{time}}.",
        ],
        "book_table": [
            "Book a table at {{restaurant}} for {{customer}}: {{party}} guests on {{date}} at {{time}}. Tell me the "
            "deposit due.",
            "{{customer}} wants to dine at {{restaurant}} on {{date}} at {{time}} with a party of {{party}}. Make "
            "the booking following the policy and report the deposit.",
        ],
        "cancel_booking": [
            "Cancel {{customer}}'s reservation at {{restaurant}} on {{date}} and tell me how much deposit is "
            "refunded.",
            "{{customer}} can no longer make it to {{restaurant}} on {{date}}. Cancel that booking and report the "
            "refund amount.",
        ],
        "resize_party": [
            "Reservation {{ref}} is growing to {{party}} guests. Update it, moving it to another table of the same "
            "restaurant if the current one no longer works, and tell me the new deposit.",
            "The party on booking {{ref}} is now {{party}} people. Change the reservation accordingly (same "
            "restaurant, date and time; switch tables only if needed) and report the deposit it now carries.",
        ],
        "plan_dinner": [
            "Plan a dinner for {{customer}}'s group of {{party}} on {{date}} at {{time}}. It must be a {{cuisine}} "
            "restaurant rated at least {{min_rating}}, with at least {{diet_min}} {{diet_word}} main courses, at "
            "price level {{max_price}} or below (price level {{max_price + 1}} is acceptable only if the restaurant "
            "is rated {{bonus}} or higher){% if cap is not none %}, and any deposit must not exceed {{cap}}{% endif "
            "%}. Book a suitable table.",
            "{{customer}} is organising dinner for {{party}} people on {{date}}, starting {{time}}. Find a "
            "{{cuisine}} place with a rating of {{min_rating}} or more that has {{diet_min}}+ {{diet_word}} mains; "
            "keep to price level {{max_price}} unless the place is rated at least {{bonus}}, in which case level "
            "{{max_price + 1}} is fine{% if cap is not none %}; the deposit may be at most {{cap}}{% endif %}. Then "
            "reserve a table there.",
        ],
        "move_booking": [
            "{{customer}} wants to move their {{date}} reservation away from {{restaurant}} to a different "
            "{{cuisine}} restaurant rated at least {{min_rating}}, same time and party size. Cancel the old booking, "
            "book the new one, and tell me the deposit refunded for the old one.",
            "Switch {{customer}}'s booking at {{restaurant}} on {{date}} to another {{cuisine}} restaurant with a "
            "rating of {{min_rating}} or more (keep the time and the party size): cancel, rebook, and report the "
            "refunded deposit.",
        ],
        "two_dinners": [
            "{{customer}} needs two dinners booked: {{party1}} guests on {{date1}} at {{time1}} at a {{cuisine1}} "
            "restaurant, and {{party2}} guests on {{date2}} at {{time2}} at a {{cuisine2}} restaurant. Both places "
            "must be rated at least {{min_rating}} and be different restaurants, each must offer at least {{diet_min}} "
            "{{diet_word}} main courses, and the two deposits together may not exceed {{cap}}. Book both.",
            "Book two evenings for {{customer}}: a {{cuisine1}} dinner for {{party1}} on {{date1}} ({{time1}}) and a "
            "{{cuisine2}} dinner for {{party2}} on {{date2}} ({{time2}}), at two different restaurants rated "
            "{{min_rating}}+ with {{diet_min}} or more {{diet_word}} mains each; the combined deposit must stay "
            "within {{cap}}.",
        ],
        "closure": [
            "{{restaurant}} must close on {{date}}. Cancel every booked reservation there that day and rebook each "
            "party at another restaurant rated at least {{min_rating}} with a price level no higher than "
            "{{max_price}}, same customer, time and party size. Report the total deposit refunded.",
            "Kitchen repairs shut {{restaurant}} on {{date}}. Move all of that day's booked parties elsewhere: "
            "cancel each booking and reserve the same time and party size for the same customer at a different "
            "restaurant rated {{min_rating}} or above and at price level {{max_price}} or lower. Tell me how much "
            "deposit was refunded in total.",
        ],
    }

    # ---- database ---------------------------------------------------------------------------------

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
        n_rest, n_cust, n_res = {"small": (14, 40, 150), "medium": (20, 60, 260),
                                 "large": (28, 90, 400)}[self.variant.scale]
        today = dt.date(2026, rng.randint(1, 11), rng.randint(1, 28))
        db.execute("INSERT INTO office VALUES (?)", (today.isoformat(),))
        names = rng.sample([f"{a} {b}" for a in NAME_A for b in NAME_B], n_rest)
        cuisines = [CUISINES[i % len(CUISINES)] for i in range(n_rest)]
        rng.shuffle(cuisines)
        for rid, (name, cuisine) in enumerate(zip(names, cuisines), 1):
            price = rng.choice([1, 2, 2, 3, 3, 4])
            db.execute("INSERT INTO restaurants VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       (rid, name, cuisine, rng.choice(NEIGHBOURHOODS), rng.choice(range(30, 50)) / 10, price,
                        rng.choice([10, 15, 20, 25, 30]) + 5 * (price - 1), rng.choice([8, 10, 12])))
            closed = set(rng.sample(range(7), rng.choice([0, 1, 1, 2])))
            open_, close = rng.choice(["11:30", "12:00", "17:00", "17:30"]), rng.choice(["21:30", "22:00", "22:30",
                                                                                          "23:00"])
            for wd in range(7):
                if wd not in closed:
                    late = wd in (4, 5) and rng.random() < 0.5
                    db.execute("INSERT INTO hours (restaurant_id, weekday, open, close) VALUES (?, ?, ?, ?)",
                               (rid, wd, open_, hhmm(min(minutes(close) + 60 * late, 23 * 60 + 30))))
            seats = [rng.choice([2, 2, 2, 4, 4, 4, 6, 6, 8, 10]) for _ in range(rng.randint(6, 11))]
            for i, s in enumerate(sorted(seats), 1):
                area = rng.choice(["indoor", "indoor", "terrace"]) if s <= 6 else rng.choice(["indoor", "private"])
                db.execute("INSERT INTO tables (restaurant_id, code, seats, area) VALUES (?, ?, ?, ?)",
                           (rid, f"T{i}", s, area))
            base = {1: 9, 2: 14, 3: 21, 4: 30}[price]
            for course, pool, k, f in (("starter", STARTERS, (3, 5), 0.5), ("main", MAINS, (6, 11), 1.0),
                                       ("dessert", DESSERTS, (2, 4), 0.45)):
                for item, veg, vegan, gf in rng.sample(pool, rng.randint(*k)):
                    db.execute("INSERT INTO menu_items (restaurant_id, name, course, price, vegetarian, vegan, "
                               "gluten_free) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               (rid, item, course, round(base * f * rng.uniform(0.8, 1.3)) + 0.5, veg, vegan, gf))
        people = rng.sample([f"{a} {b}" for a in FIRST for b in LAST], n_cust)
        db.executemany("INSERT INTO customers VALUES (?, ?, ?)",
                       [(i, p, f"+44 7{rng.randint(100, 999)} {rng.randint(100000, 999999)}")
                        for i, p in enumerate(people, 1)])
        ref = rng.randint(20000, 50000)
        for _ in range(n_res * 3):
            if self.db.execute("SELECT COUNT(*) FROM reservations").fetchone()[0] >= n_res:
                break
            r = rng.randint(1, n_rest)
            date = today + dt.timedelta(days=rng.randint(-10, 24))
            time = rng.choice(["12:30", "13:00"] + DINNER_TIMES * 2 + ["21:00"])
            table = rng.choice(self.rows("SELECT * FROM tables WHERE restaurant_id = ?", r))
            party = rng.randint(max(1, table["seats"] - 2), table["seats"])
            cust = rng.randint(1, n_cust)
            if self._problems(r, table["id"], cust, date.isoformat(), time, party) or (
                    date > today and self._on_date(cust, date.isoformat())):
                continue
            status = ("booked" if rng.random() < 0.85 else "cancelled") if date > today else \
                rng.choice(["completed", "completed", "completed", "no_show"])
            dep = self._deposit(r, party)
            ref += rng.randint(1, 17)
            db.execute("INSERT INTO reservations (ref, restaurant_id, table_id, customer_id, date, time, party_size, "
                       "status, deposit, refund) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (f"R-{ref}", r, table["id"], cust, date.isoformat(), time, party, status, dep,
                        dep if status == "cancelled" else 0))

    # ---- helpers ------------------------------------------------------------------------------------

    def _today(self) -> str:
        return self.db.execute("SELECT today FROM office").fetchone()[0]

    def _rules(self) -> dict:
        return {"deposit_from": 5 if "deposit_from_5" in self.variant.rules else 6,
                "tight_fit": "tight_fit" in self.variant.rules, "terrace_cap": "terrace_cap" in self.variant.rules}

    def _deposit(self, rid: int, party: int) -> int:
        per = self.db.execute("SELECT deposit_per_guest FROM restaurants WHERE id = ?", (rid,)).fetchone()[0]
        return per * party if party >= self._rules()["deposit_from"] else 0

    def _on_date(self, cust: int, date: str, ignore: int | None = None) -> bool:
        return bool(self.db.execute("SELECT 1 FROM reservations WHERE customer_id = ? AND date = ? AND status = "
                                    "'booked' AND id IS NOT ?", (cust, date, ignore)).fetchone())

    def _problems(self, rid: int, table_id: int, cust: int | None, date: str, time: str, party: int,
                  ignore: int | None = None, extra: tuple = ()) -> str | None:
        """Why this booking breaks the policy (None if it is fine). `extra`: (table_id, date, time) also taken."""
        r = self.db.execute("SELECT * FROM restaurants WHERE id = ?", (rid,)).fetchone()
        t = self.db.execute("SELECT * FROM tables WHERE id = ?", (table_id,)).fetchone()
        if t is None or t["restaurant_id"] != rid:
            return f"table does not belong to {r['name']}"
        wd = dt.date.fromisoformat(date).weekday()
        h = self.db.execute("SELECT * FROM hours WHERE restaurant_id = ? AND weekday = ?", (rid, wd)).fetchone()
        if h is None:
            return f"{r['name']} is closed on {WEEKDAYS[wd]}s"
        start = minutes(time)
        if start < minutes(h["open"]) or start + SITTING > minutes(h["close"]):
            return f"{r['name']} is open {h['open']}-{h['close']} on {WEEKDAYS[wd]}s; a two-hour sitting must fit"
        rules = self._rules()
        if party < 1 or party > r["max_party"]:
            return f"party size must be 1..{r['max_party']} at {r['name']}"
        if party > t["seats"]:
            return f"table {t['code']} seats only {t['seats']}"
        if rules["tight_fit"] and t["seats"] > party + 2:
            return f"table {t['code']} ({t['seats']} seats) is too large for {party} guests"
        if rules["terrace_cap"] and t["area"] == "terrace" and party > 4:
            return f"table {t['code']} is on the terrace, which takes parties of at most 4"
        taken = [x["time"] for x in self.rows("SELECT time FROM reservations WHERE table_id = ? AND date = ? AND "
                                              "status = 'booked' AND id IS NOT ?", table_id, date, ignore)]
        taken += [tm for tid, d, tm in extra if tid == table_id and d == date]
        if any(abs(minutes(x) - start) < SITTING for x in taken):
            return f"table {t['code']} is already booked within two hours of {time} on {date}"
        return None

    def _free_tables(self, rid: int, date: str, time: str, party: int, extra: tuple = (),
                     ignore: int | None = None) -> list[dict]:
        return [t for t in self.rows("SELECT * FROM tables WHERE restaurant_id = ? ORDER BY seats, id", rid)
                if self._problems(rid, t["id"], None, date, time, party, ignore=ignore, extra=extra) is None]

    def _restaurant(self, name: str) -> dict:
        row = self.db.execute("SELECT * FROM restaurants WHERE lower(name) = lower(?)", (name.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"no restaurant {name!r}; use search_restaurants to find exact names")
        return dict(row)

    def _customer(self, name: str) -> dict:
        row = self.db.execute("SELECT * FROM customers WHERE lower(name) = lower(?)", (name.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"no registered customer {name!r}; give the full name as registered")
        return dict(row)

    def _reservation(self, ref: str) -> dict:
        row = self.db.execute("SELECT * FROM reservations WHERE upper(ref) = upper(?)", (ref.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"no reservation {ref!r}; references look like R-31234")
        return dict(row)

    def _date(self, date: str) -> str:
        try:
            return dt.date.fromisoformat(date.strip()).isoformat()
        except ValueError:
            raise ValueError("dates are YYYY-MM-DD") from None

    def _time(self, time: str) -> str:
        try:
            mins = minutes(time.strip())
        except ValueError:
            raise ValueError("times are HH:MM, on the hour or half hour") from None
        if mins % 30:
            raise ValueError("policy: reservations start on the hour or half hour")
        return hhmm(mins)

    def _public(self, res: dict) -> dict:
        r = self.db.execute("SELECT name FROM restaurants WHERE id = ?", (res["restaurant_id"],)).fetchone()[0]
        t = self.db.execute("SELECT code FROM tables WHERE id = ?", (res["table_id"],)).fetchone()[0]
        c = self.db.execute("SELECT name FROM customers WHERE id = ?", (res["customer_id"],)).fetchone()[0]
        return {"ref": res["ref"], "restaurant": r, "table": t, "customer": c, "date": res["date"],
                "time": res["time"], "party_size": res["party_size"], "status": res["status"],
                "deposit": res["deposit"], "refund": res["refund"]}

    # ---- tools --------------------------------------------------------------------------------------

    @tool("read")
    def get_today(self) -> dict:
        """Today's date at the service (YYYY-MM-DD) and its weekday."""
        today = self._today()
        return {"today": today, "weekday": WEEKDAYS[dt.date.fromisoformat(today).weekday()]}

    @tool("read")
    def search_restaurants(self, cuisine: str | None = None, neighbourhood: str | None = None,
                           min_rating: float | None = None, max_price_level: int | None = None) -> list[dict]:
        """Find restaurants by cuisine, neighbourhood, minimum rating and maximum price level.

        Args:
            cuisine: Cuisine such as Italian, Japanese, Indian, Mexican, French, Thai, Lebanese, Greek.
            neighbourhood: Neighbourhood name.
            min_rating: Lowest rating (0-5) to include.
            max_price_level: Highest price level (1-4) to include.
        """
        return self.rows("SELECT name, cuisine, neighbourhood, rating, price_level FROM restaurants WHERE "
                         "(? IS NULL OR lower(cuisine) = lower(?)) AND (? IS NULL OR lower(neighbourhood) = lower(?)) "
                         "AND rating >= COALESCE(?, 0) AND price_level <= COALESCE(?, 4) ORDER BY name",
                         cuisine, cuisine, neighbourhood, neighbourhood, min_rating, max_price_level)

    @tool("read")
    def get_restaurant(self, name: str) -> dict:
        """One restaurant: cuisine, rating, price level, deposit per guest, maximum party, weekly hours and tables.

        Args:
            name: Exact restaurant name.
        """
        r = self._restaurant(name)
        hours = [{"weekday": WEEKDAYS[h["weekday"]], "open": h["open"], "close": h["close"]}
                 for h in self.rows("SELECT * FROM hours WHERE restaurant_id = ? ORDER BY weekday", r["id"])]
        tables = self.rows("SELECT code, seats, area FROM tables WHERE restaurant_id = ? ORDER BY id", r["id"])
        return {**{k: r[k] for k in ("name", "cuisine", "neighbourhood", "rating", "price_level",
                                     "deposit_per_guest", "max_party")}, "hours": hours, "tables": tables}

    @tool("read")
    def get_menu(self, restaurant: str, course: str | None = None, diet: str | None = None) -> list[dict]:
        """A restaurant's menu with prices and dietary flags, optionally one course or one diet only.

        Args:
            restaurant: Exact restaurant name.
            course: starter, main or dessert.
            diet: vegetarian, vegan or gluten_free.
        """
        r = self._restaurant(restaurant)
        if course not in (None, "starter", "main", "dessert"):
            raise ValueError("course must be starter, main or dessert")
        if diet not in (None, *DIETS):
            raise ValueError("diet must be vegetarian, vegan or gluten_free")
        rows = self.rows("SELECT name, course, price, vegetarian, vegan, gluten_free FROM menu_items WHERE "
                         "restaurant_id = ? AND (? IS NULL OR course = ?) ORDER BY id", r["id"], course, course)
        return [{**x, **{d: bool(x[d]) for d in DIETS}} for x in rows if diet is None or x[diet]]

    @tool("read")
    def find_available_tables(self, restaurant: str, date: str, time: str, party_size: int) -> dict:
        """Tables of a restaurant that may be booked for a party at a date and start time under the policy.

        Args:
            restaurant: Exact restaurant name.
            date: YYYY-MM-DD.
            time: Start time HH:MM.
            party_size: Number of guests.
        """
        r, date, time = self._restaurant(restaurant), self._date(date), self._time(time)
        tables = self._free_tables(r["id"], date, time, party_size)
        return {"restaurant": r["name"], "date": date, "time": time, "party_size": party_size,
                "tables": [{"code": t["code"], "seats": t["seats"], "area": t["area"]} for t in tables],
                "deposit": self._deposit(r["id"], party_size)}

    @tool("read")
    def list_reservations(self, restaurant: str | None = None, date: str | None = None,
                          customer: str | None = None, status: str | None = None) -> list[dict]:
        """Reservations filtered by restaurant, date, customer and status (booked, cancelled, completed, no_show).

        Args:
            restaurant: Exact restaurant name.
            date: YYYY-MM-DD.
            customer: Customer's full name.
            status: booked, cancelled, completed or no_show.
        """
        if restaurant is None and customer is None and date is None:
            raise ValueError("give at least a restaurant, a date or a customer")
        rid = self._restaurant(restaurant)["id"] if restaurant else None
        cid = self._customer(customer)["id"] if customer else None
        rows = self.rows("SELECT * FROM reservations WHERE (? IS NULL OR restaurant_id = ?) AND (? IS NULL OR "
                         "date = ?) AND (? IS NULL OR customer_id = ?) AND (? IS NULL OR status = lower(?)) "
                         "ORDER BY date, time, id", rid, rid, date, date, cid, cid, status, status)
        return [self._public(x) for x in rows]

    @tool("read")
    def get_reservation(self, ref: str) -> dict:
        """One reservation by reference.

        Args:
            ref: Reservation reference such as R-31234.
        """
        return self._public(self._reservation(ref))

    @tool("write")
    def book_table(self, restaurant: str, table: str, customer: str, date: str, time: str, party_size: int) -> dict:
        """Book a table for a registered customer (policy enforced; the deposit is computed automatically).

        Args:
            restaurant: Exact restaurant name.
            table: Table code such as T4.
            customer: Customer's full name.
            date: YYYY-MM-DD, after today.
            time: Start time HH:MM.
            party_size: Number of guests.
        """
        r, c, date, time = self._restaurant(restaurant), self._customer(customer), self._date(date), self._time(time)
        if date <= self._today():
            raise ValueError(f"policy: bookings are only for dates after today ({self._today()})")
        t = self.db.execute("SELECT * FROM tables WHERE restaurant_id = ? AND upper(code) = upper(?)",
                            (r["id"], table.strip())).fetchone()
        if t is None:
            raise ValueError(f"{r['name']} has no table {table!r}; get_restaurant lists its tables")
        if why := self._problems(r["id"], t["id"], c["id"], date, time, party_size):
            raise ValueError(f"policy: {why}")
        if self._on_date(c["id"], date):
            raise ValueError(f"policy: {c['name']} already holds a booked reservation on {date}")
        last = self.db.execute("SELECT MAX(CAST(substr(ref, 3) AS INTEGER)) FROM reservations").fetchone()[0]
        dep = self._deposit(r["id"], party_size)
        self.db.execute("INSERT INTO reservations (ref, restaurant_id, table_id, customer_id, date, time, "
                              "party_size, status, deposit, refund) VALUES (?, ?, ?, ?, ?, ?, ?, 'booked', ?, 0)",
                              (f"R-{last + 1}", r["id"], t["id"], c["id"], date, time, party_size, dep))
        return self._public(self._reservation(f"R-{last + 1}"))

    @tool("write")
    def update_reservation(self, ref: str, party_size: int, table: str | None = None) -> dict:
        """Change a booked reservation's party size and optionally its table (same restaurant, date and time).

        Args:
            ref: Reservation reference.
            party_size: New number of guests.
            table: New table code; keep the current table when omitted.
        """
        res = self._reservation(ref)
        if res["status"] != "booked" or res["date"] <= self._today():
            raise ValueError(f"reservation {res['ref']} is {res['status']} on {res['date']}; only upcoming booked "
                             "reservations can be changed")
        tid = res["table_id"]
        if table is not None:
            t = self.db.execute("SELECT * FROM tables WHERE restaurant_id = ? AND upper(code) = upper(?)",
                                (res["restaurant_id"], table.strip())).fetchone()
            if t is None:
                raise ValueError(f"no table {table!r} at this restaurant")
            tid = t["id"]
        if why := self._problems(res["restaurant_id"], tid, res["customer_id"], res["date"], res["time"],
                                 party_size, ignore=res["id"]):
            raise ValueError(f"policy: {why}")
        self.db.execute("UPDATE reservations SET party_size = ?, table_id = ?, deposit = ? WHERE id = ?",
                        (party_size, tid, self._deposit(res["restaurant_id"], party_size), res["id"]))
        return self._public(self._reservation(res["ref"]))

    @tool("write")
    def cancel_reservation(self, ref: str) -> dict:
        """Cancel an upcoming booked reservation; the refund follows the policy and is computed automatically.

        Args:
            ref: Reservation reference.
        """
        res = self._reservation(ref)
        if res["status"] != "booked" or res["date"] <= self._today():
            raise ValueError(f"reservation {res['ref']} is {res['status']} on {res['date']}; only upcoming booked "
                             "reservations can be cancelled")
        days = (dt.date.fromisoformat(res["date"]) - dt.date.fromisoformat(self._today())).days
        refund = res["deposit"] if days >= 2 else 0
        self.db.execute("UPDATE reservations SET status = 'cancelled', refund = ? WHERE id = ?", (refund, res["id"]))
        return self._public(self._reservation(res["ref"]))

    # ---- proposers ----------------------------------------------------------------------------------

    def _all_restaurants(self) -> list[dict]:
        return self.rows("SELECT * FROM restaurants ORDER BY id")

    def _names(self) -> list[str]:
        return [r["name"] for r in self._all_restaurants()]

    def _upcoming(self) -> list[dict]:
        return self.rows("SELECT * FROM reservations WHERE status = 'booked' AND date > ? ORDER BY id", self._today())

    def _diet_count(self, rid: int, diet: str) -> int:
        return self.db.execute(f"SELECT COUNT(*) FROM menu_items WHERE restaurant_id = ? AND course = 'main' AND "
                               f"{diet} = 1", (rid,)).fetchone()[0]

    def _future_date(self, rng: random.Random, lo: int = 2, hi: int = 20) -> str:
        return (dt.date.fromisoformat(self._today()) + dt.timedelta(days=rng.randint(lo, hi))).isoformat()

    def _qualifies(self, r: dict, crit: dict) -> bool:
        """Whether a restaurant meets a task's static criteria (everything except table availability)."""
        price_ok = r["price_level"] <= crit.get("max_price", 4) or (
            crit.get("bonus") is not None and r["rating"] >= crit["bonus"]
            and r["price_level"] <= crit["max_price"] + 1)
        return (price_ok and r["rating"] >= crit.get("min_rating", 0)
                and r["cuisine"] == crit.get("cuisine", r["cuisine"]) and r["id"] != crit.get("exclude")
                and (not crit.get("diet") or self._diet_count(r["id"], crit["diet"]) >= crit["diet_min"])
                and (crit.get("cap") is None or self._deposit(r["id"], crit["party"]) <= crit["cap"]))

    def _common(self) -> dict:
        return {"rules": self._rules(), "today": self._today(), "use_tool": self.has_tool("find_available_tables")}

    @proposer(difficulty=1)
    def propose_closing_time(self, rng: random.Random) -> TaskDraft | None:
        h = rng.choice(self.rows("SELECT h.*, r.name FROM hours h JOIN restaurants r ON r.id = h.restaurant_id"))
        times = sorted({x["open"] for x in self.rows("SELECT open FROM hours")}
                       | {x["close"] for x in self.rows("SELECT close FROM hours")})
        return TaskDraft(
            shape="closing_time",
            instruction=self.render("closing_time", rng, restaurant=h["name"], weekday=WEEKDAYS[h["weekday"]]),
            solution=Program.of(solve_closing_time, restaurant=h["name"], weekday=WEEKDAYS[h["weekday"]]),
            verifier=Program.of(verify_names, expected=[h["close"]], candidates=times),
            tools=("get_restaurant", "search_restaurants"),
        )

    @proposer(difficulty=1)
    def propose_reservation_table(self, rng: random.Random) -> TaskDraft | None:
        if not self.has_tool("get_reservation"):
            return None
        res = rng.choice(self.rows("SELECT * FROM reservations ORDER BY id"))
        codes = [t["code"] for t in self.rows("SELECT code FROM tables WHERE restaurant_id = ?",
                                              res["restaurant_id"])]
        return TaskDraft(
            shape="reservation_table",
            instruction=self.render("reservation_table", rng, ref=res["ref"]),
            solution=Program.of(solve_reservation_table, ref=res["ref"]),
            verifier=Program.of(verify_names, expected=[self._public(res)["table"]], candidates=codes),
            tools=("get_reservation",),
        )

    @proposer(difficulty=1)
    def propose_table_seats(self, rng: random.Random) -> TaskDraft | None:
        t = rng.choice(self.rows("SELECT t.*, r.name FROM tables t JOIN restaurants r ON r.id = t.restaurant_id"))
        return TaskDraft(
            shape="table_seats",
            instruction=self.render("table_seats", rng, restaurant=t["name"], table=t["code"]),
            solution=Program.of(solve_table_seats, restaurant=t["name"], table=t["code"]),
            verifier=Program.of(verify_number, expected=t["seats"]),
            tools=("get_restaurant", "search_restaurants"),
        )

    @proposer(difficulty=2)
    def propose_diet_count(self, rng: random.Random) -> TaskDraft | None:
        r, diet = rng.choice(self._all_restaurants()), rng.choice(DIETS)
        return TaskDraft(
            shape="diet_count",
            instruction=self.render("diet_count", rng, restaurant=r["name"], diet_word=diet.replace("_", "-")),
            solution=Program.of(solve_diet_count, restaurant=r["name"], diet=diet),
            verifier=Program.of(verify_number, expected=self._diet_count(r["id"], diet)),
            tools=("get_menu", "search_restaurants"),
        )

    @proposer(difficulty=2, attempts=4)
    def propose_best_rated(self, rng: random.Random) -> TaskDraft | None:
        cuisine, max_price = rng.choice(CUISINES), rng.randint(2, 4)
        pool = sorted((r for r in self._all_restaurants() if r["cuisine"] == cuisine and r["price_level"] <= max_price),
                      key=lambda r: -r["rating"])
        if not pool or (len(pool) > 1 and pool[0]["rating"] == pool[1]["rating"]):
            return None
        return TaskDraft(
            shape="best_rated",
            instruction=self.render("best_rated", rng, cuisine=cuisine, max_price=max_price),
            solution=Program.of(solve_best_rated, cuisine=cuisine, max_price=max_price),
            verifier=Program.of(verify_names, expected=[pool[0]["name"]], candidates=self._names()),
            tools=("search_restaurants", "get_restaurant"),
        )

    @proposer(difficulty=2, attempts=3)
    def propose_covers_on_date(self, rng: random.Random) -> TaskDraft | None:
        res = rng.choice(self._upcoming())
        r = self.db.execute("SELECT name FROM restaurants WHERE id = ?", (res["restaurant_id"],)).fetchone()[0]
        total = self.db.execute("SELECT SUM(party_size) FROM reservations WHERE restaurant_id = ? AND date = ? AND "
                                "status = 'booked'", (res["restaurant_id"], res["date"])).fetchone()[0]
        return TaskDraft(
            shape="covers_on_date",
            instruction=self.render("covers_on_date", rng, restaurant=r, date=res["date"]),
            solution=Program.of(solve_covers_on_date, restaurant=r, date=res["date"]),
            verifier=Program.of(verify_number, expected=total),
            tools=("list_reservations", "get_reservation"),
        )

    @proposer(difficulty=2)
    def propose_customer_deposits(self, rng: random.Random) -> TaskDraft | None:
        cust = rng.choice(self.rows("SELECT DISTINCT c.* FROM customers c JOIN reservations x ON x.customer_id = c.id "
                                    "WHERE x.status = 'booked' ORDER BY c.id"))
        total = self.db.execute("SELECT SUM(deposit) FROM reservations WHERE customer_id = ? AND status = 'booked'",
                                (cust["id"],)).fetchone()[0]
        return TaskDraft(
            shape="customer_deposits",
            instruction=self.render("customer_deposits", rng, customer=cust["name"]),
            solution=Program.of(solve_customer_deposits, customer=cust["name"]),
            verifier=Program.of(verify_number, expected=total),
            tools=("list_reservations", "get_reservation"),
        )

    @proposer(difficulty=2, attempts=4)
    def propose_open_at(self, rng: random.Random) -> TaskDraft | None:
        cuisine, wd = rng.choice(CUISINES), rng.randrange(7)
        time = rng.choice(["12:00", "12:30", "17:30", "19:30", "20:00", "20:30", "21:00", "21:30"])
        pool = [r for r in self._all_restaurants() if r["cuisine"] == cuisine]
        hits = []
        for r in pool:
            h = self.db.execute("SELECT * FROM hours WHERE restaurant_id = ? AND weekday = ?", (r["id"], wd)).fetchone()
            if h and minutes(h["open"]) <= minutes(time) and minutes(time) + SITTING <= minutes(h["close"]):
                hits.append(r["name"])
        if not hits or len(hits) == len(pool):
            return None
        return TaskDraft(
            shape="open_at",
            instruction=self.render("open_at", rng, cuisine=cuisine, weekday=WEEKDAYS[wd], time=time),
            solution=Program.of(solve_open_at, cuisine=cuisine, weekday=WEEKDAYS[wd], time=time),
            verifier=Program.of(verify_names, expected=hits, candidates=self._names()),
            tools=("search_restaurants", "get_restaurant"),
        )

    @proposer(difficulty=3, attempts=5)
    def propose_book_table(self, rng: random.Random) -> TaskDraft | None:
        r, cust = rng.choice(self._all_restaurants()), rng.choice(self.rows("SELECT * FROM customers ORDER BY id"))
        date, time, party = self._future_date(rng, 1, 25), rng.choice(DINNER_TIMES), rng.randint(2, 9)
        if self._on_date(cust["id"], date) or not self._free_tables(r["id"], date, time, party):
            return None
        spec = {"customer": cust["id"], "date": date, "time": time, "party": party, "allowed": [r["id"]]}
        return TaskDraft(
            shape="book_table",
            instruction=self.render("book_table", rng, restaurant=r["name"], customer=cust["name"], date=date,
                                    time=time, party=party),
            solution=Program.of(solve_plan, bookings=[{"customer": cust["name"], "date": date, "time": time,
                                                        "party": party, "names": [r["name"]]}], **self._common()),
            verifier=Program.of(verify_bookings, new=[spec], cancel=[], answer=self._deposit(r["id"], party),
                                **self._common()),
        )

    @proposer(difficulty=3)
    def propose_cancel_booking(self, rng: random.Random) -> TaskDraft | None:
        res = rng.choice(self._upcoming())
        p = self._public(res)
        days = (dt.date.fromisoformat(res["date"]) - dt.date.fromisoformat(self._today())).days
        return TaskDraft(
            shape="cancel_booking",
            instruction=self.render("cancel_booking", rng, customer=p["customer"], restaurant=p["restaurant"],
                                    date=res["date"]),
            solution=Program.of(solve_cancel, customer=p["customer"], restaurant=p["restaurant"], date=res["date"]),
            verifier=Program.of(verify_bookings, new=[], cancel=[res["id"]],
                                answer=res["deposit"] if days >= 2 else 0, **self._common()),
        )

    @proposer(difficulty=3, attempts=6)
    def propose_resize_party(self, rng: random.Random) -> TaskDraft | None:
        res = rng.choice(self._upcoming())
        party = res["party_size"] + rng.choice([1, 2, 3])
        if not self._free_tables(res["restaurant_id"], res["date"], res["time"], party, ignore=res["id"]):
            return None
        return TaskDraft(
            shape="resize_party",
            instruction=self.render("resize_party", rng, ref=res["ref"], party=party),
            solution=Program.of(solve_resize, ref=res["ref"], party=party,
                                restaurant=self._public(res)["restaurant"], **self._common()),
            verifier=Program.of(verify_bookings, new=[], cancel=[], update={str(res["id"]): party},
                                answer=self._deposit(res["restaurant_id"], party), **self._common()),
            tools=None if self.has_tool("get_reservation") else ("get_reservation",),
        )

    def _candidates(self, crit: dict) -> list[dict]:
        """Qualifying restaurants, best rated first (the order a planner would try them in)."""
        return sorted((r for r in self._all_restaurants() if self._qualifies(r, crit)),
                      key=lambda r: (-r["rating"], r["name"]))

    @proposer(difficulty=4, attempts=6)
    def propose_plan_dinner(self, rng: random.Random) -> TaskDraft | None:
        cust = rng.choice(self.rows("SELECT * FROM customers ORDER BY id"))
        date, time, party = self._future_date(rng, 2, 24), rng.choice(DINNER_TIMES), rng.randint(3, 9)
        crit = {"cuisine": rng.choice(CUISINES), "min_rating": rng.choice([3.5, 3.8, 4.0, 4.2]),
                "diet": rng.choice(DIETS), "diet_min": rng.choice([2, 3]), "max_price": rng.choice([2, 3]),
                "bonus": rng.choice([4.3, 4.5, 4.6]), "party": party,
                "cap": rng.choice([None, 120, 150, 200]) if party >= self._rules()["deposit_from"] else None}
        loose = dict(crit, min_rating=0, diet=None, max_price=4, bonus=None, cap=None)
        allowed = [r for r in self._candidates(crit) if self._free_tables(r["id"], date, time, party)]
        if self._on_date(cust["id"], date) or not allowed or len(self._candidates(loose)) < 2:
            return None
        words = dict(customer=cust["name"], party=party, date=date, time=time, cuisine=crit["cuisine"],
                     min_rating=crit["min_rating"], diet_min=crit["diet_min"],
                     diet_word=crit["diet"].replace("_", "-"), max_price=crit["max_price"], bonus=crit["bonus"],
                     cap=crit["cap"])
        return TaskDraft(
            shape="plan_dinner",
            instruction=self.render("plan_dinner", rng, **words),
            solution=Program.of(solve_plan, bookings=[{"customer": cust["name"], "date": date, "time": time,
                                                        "party": party, "crit": crit}], **self._common()),
            verifier=Program.of(verify_bookings, new=[{"customer": cust["id"], "date": date, "time": time,
                                                       "party": party,
                                                       "allowed": [r["id"] for r in self._candidates(crit)]}],
                                cancel=[], answer=None, **self._common()),
        )

    @proposer(difficulty=4, attempts=6)
    def propose_move_booking(self, rng: random.Random) -> TaskDraft | None:
        res = rng.choice(self._upcoming())
        old = self.db.execute("SELECT * FROM restaurants WHERE id = ?", (res["restaurant_id"],)).fetchone()
        crit = {"cuisine": old["cuisine"], "min_rating": rng.choice([3.0, 3.5, 3.8, 4.0]), "exclude": old["id"]}
        allowed = self._candidates(crit)
        if not any(self._free_tables(r["id"], res["date"], res["time"], res["party_size"]) for r in allowed):
            return None
        p = self._public(res)
        days = (dt.date.fromisoformat(res["date"]) - dt.date.fromisoformat(self._today())).days
        return TaskDraft(
            shape="move_booking",
            instruction=self.render("move_booking", rng, customer=p["customer"], restaurant=p["restaurant"],
                                    date=res["date"], cuisine=old["cuisine"], min_rating=crit["min_rating"]),
            solution=Program.of(solve_plan, cancel={"restaurant": p["restaurant"], "date": res["date"],
                                                    "customer": p["customer"]}, rebook=crit, **self._common()),
            verifier=Program.of(verify_bookings, new=[{"customer": res["customer_id"], "date": res["date"],
                                                       "time": res["time"], "party": res["party_size"],
                                                       "allowed": [r["id"] for r in allowed]}],
                                cancel=[res["id"]], answer=res["deposit"] if days >= 2 else 0, **self._common()),
        )

    @proposer(difficulty=5, attempts=8)
    def propose_two_dinners(self, rng: random.Random) -> TaskDraft | None:
        cust = rng.choice(self.rows("SELECT * FROM customers ORDER BY id"))
        d1 = self._future_date(rng, 2, 12)
        d2 = self._future_date(rng, 13, 26)
        cuisines = rng.sample(CUISINES, 2) if rng.random() < 0.6 else [rng.choice(CUISINES)] * 2
        base = {"min_rating": rng.choice([3.4, 3.6, 3.8, 4.0]), "diet": rng.choice(DIETS), "diet_min": 2}
        specs = []
        for date, cuisine in zip((d1, d2), cuisines):
            party, time = rng.randint(2, 9), rng.choice(DINNER_TIMES)
            crit = dict(base, cuisine=cuisine, party=party)
            specs.append({"customer": cust["id"], "date": date, "time": time, "party": party, "crit": crit,
                          "allowed": [r["id"] for r in self._candidates(crit)],
                          "open": [r for r in self._candidates(crit) if self._free_tables(r["id"], date, time, party)]})
        if self._on_date(cust["id"], d1) or self._on_date(cust["id"], d2):
            return None
        combos = sorted(self._deposit(a["id"], specs[0]["party"]) + self._deposit(b["id"], specs[1]["party"])
                        for a in specs[0]["open"] for b in specs[1]["open"] if a["id"] != b["id"])
        if not combos:
            return None
        cap = combos[0] + rng.choice([0, 10, 25, 50])
        words = dict(customer=cust["name"], min_rating=base["min_rating"], diet_min=2,
                     diet_word=base["diet"].replace("_", "-"), cap=cap)
        for i, s in enumerate(specs, 1):
            words.update({f"party{i}": s["party"], f"date{i}": s["date"], f"time{i}": s["time"],
                          f"cuisine{i}": s["crit"]["cuisine"]})
        return TaskDraft(
            shape="two_dinners",
            instruction=self.render("two_dinners", rng, **words),
            solution=Program.of(solve_plan, bookings=[{"customer": cust["name"], "date": s["date"], "time": s["time"],
                                                        "party": s["party"], "crit": s["crit"]} for s in specs],
                                distinct=True, cap=cap, **self._common()),
            verifier=Program.of(verify_bookings, new=[{k: s[k] for k in ("customer", "date", "time", "party",
                                                                         "allowed")} for s in specs],
                                cancel=[], answer=None, distinct=True, cap=cap, **self._common()),
        )

    @proposer(difficulty=5, attempts=8)
    def propose_closure(self, rng: random.Random) -> TaskDraft | None:
        days = self.rows("SELECT restaurant_id, date, COUNT(*) AS n FROM reservations WHERE status = 'booked' AND "
                         "date > ? GROUP BY restaurant_id, date HAVING n BETWEEN 2 AND 4 ORDER BY restaurant_id, date",
                         self._today())
        if not days:
            return None
        pick = rng.choice(days)
        old = self.db.execute("SELECT * FROM restaurants WHERE id = ?", (pick["restaurant_id"],)).fetchone()
        crit = {"min_rating": rng.choice([3.0, 3.3, 3.6]), "max_price": max(old["price_level"], 2),
                "exclude": old["id"]}
        allowed = self._candidates(crit)
        parties = self.rows("SELECT * FROM reservations WHERE restaurant_id = ? AND date = ? AND status = 'booked' "
                            "ORDER BY time, id", old["id"], pick["date"])
        taken: list = []
        for p in parties:  # greedy check: every party fits somewhere, given the earlier ones
            spot = next(((r, t) for r in allowed
                         for t in self._free_tables(r["id"], p["date"], p["time"], p["party_size"], extra=tuple(taken))),
                        None)
            if spot is None:
                return None
            taken.append((spot[1]["id"], p["date"], p["time"]))
        refund = sum(p["deposit"] for p in parties) if (
            dt.date.fromisoformat(pick["date"]) - dt.date.fromisoformat(self._today())).days >= 2 else 0
        return TaskDraft(
            shape="closure",
            instruction=self.render("closure", rng, restaurant=old["name"], date=pick["date"],
                                    min_rating=crit["min_rating"], max_price=crit["max_price"]),
            solution=Program.of(solve_plan, cancel={"restaurant": old["name"], "date": pick["date"]}, rebook=crit,
                                **self._common()),
            verifier=Program.of(verify_bookings, new=[{"customer": p["customer_id"], "date": p["date"],
                                                       "time": p["time"], "party": p["party_size"],
                                                       "allowed": [r["id"] for r in allowed]} for p in parties],
                                cancel=[p["id"] for p in parties], answer=refund, **self._common()),
        )


# ---- solutions: tools and computation only --------------------------------------------------------

def solve_closing_time(tools, params):
    hours = tools.get_restaurant(name=params["restaurant"])["hours"]
    return next(h["close"] for h in hours if h["weekday"] == params["weekday"])


def solve_reservation_table(tools, params):
    return tools.get_reservation(ref=params["ref"])["table"]


def solve_table_seats(tools, params):
    tables = tools.get_restaurant(name=params["restaurant"])["tables"]
    return next(t["seats"] for t in tables if t["code"] == params["table"])


def solve_diet_count(tools, params):
    return len(tools.get_menu(restaurant=params["restaurant"], course="main", diet=params["diet"]))


def solve_best_rated(tools, params):
    found = tools.search_restaurants(cuisine=params["cuisine"], max_price_level=params["max_price"])
    return max(found, key=lambda r: r["rating"])["name"]


def solve_covers_on_date(tools, params):
    rows = tools.list_reservations(restaurant=params["restaurant"], date=params["date"], status="booked")
    return sum(r["party_size"] for r in rows)


def solve_customer_deposits(tools, params):
    return sum(r["deposit"] for r in tools.list_reservations(customer=params["customer"], status="booked"))


def solve_open_at(tools, params):
    def mins(t):
        return int(t[:2]) * 60 + int(t[3:])

    hits = []
    for r in tools.search_restaurants(cuisine=params["cuisine"]):
        for h in tools.get_restaurant(name=r["name"])["hours"]:
            if h["weekday"] == params["weekday"] and mins(h["open"]) <= mins(params["time"]) \
                    and mins(params["time"]) + 120 <= mins(h["close"]):
                hits.append(r["name"])
    return hits


def solve_cancel(tools, params):
    rows = tools.list_reservations(customer=params["customer"], restaurant=params["restaurant"],
                                   date=params["date"], status="booked")
    done = tools.cancel_reservation(ref=rows[0]["ref"])
    return f"Cancelled; refunded deposit: {done['refund']}"


def solve_resize(tools, params):
    def mins(t):
        return int(t[:2]) * 60 + int(t[3:])

    res = tools.get_reservation(ref=params["ref"])
    info = tools.get_restaurant(name=res["restaurant"])
    rules, party = params["rules"], params["party"]
    others = [r for r in tools.list_reservations(restaurant=res["restaurant"], date=res["date"], status="booked")
              if r["ref"] != res["ref"]]
    ok = []
    for t in sorted(info["tables"], key=lambda t: t["seats"]):
        if t["seats"] < party or (rules["tight_fit"] and t["seats"] > party + 2) or (
                rules["terrace_cap"] and t["area"] == "terrace" and party > 4):
            continue
        if any(o["table"] == t["code"] and abs(mins(o["time"]) - mins(res["time"])) < 120 for o in others):
            continue
        ok.append(t["code"])
    table = res["table"] if res["table"] in ok else ok[0]
    done = tools.update_reservation(ref=res["ref"], party_size=party, table=table)
    return f"Updated; the deposit is now {done['deposit']}"


def solve_plan(tools, params):
    """Cancel what is asked, then book each party at a qualifying restaurant with a free table."""
    import datetime
    import itertools

    rules = params["rules"]

    def mins(t):
        return int(t[:2]) * 60 + int(t[3:])

    info_cache, menu_cache = {}, {}

    def info(name):
        if name not in info_cache:
            info_cache[name] = tools.get_restaurant(name=name)
        return info_cache[name]

    def deposit(name, party):
        return info(name)["deposit_per_guest"] * party if party >= rules["deposit_from"] else 0

    def qualifies(r, crit, party):
        inf = info(r["name"])
        price_ok = inf["price_level"] <= crit.get("max_price", 4) or (
            crit.get("bonus") is not None and inf["rating"] >= crit["bonus"]
            and inf["price_level"] <= crit["max_price"] + 1)
        if not price_ok or inf["rating"] < crit.get("min_rating", 0) or party > inf["max_party"]:
            return False
        if crit.get("cap") is not None and deposit(r["name"], party) > crit["cap"]:
            return False
        if crit.get("diet"):
            key = (r["name"], crit["diet"])
            if key not in menu_cache:
                menu_cache[key] = len(tools.get_menu(restaurant=r["name"], course="main", diet=crit["diet"]))
            return menu_cache[key] >= crit["diet_min"]
        return True

    def free_tables(name, date, time, party):
        if params["use_tool"]:
            return [t["code"] for t in tools.find_available_tables(restaurant=name, date=date, time=time,
                                                                    party_size=party)["tables"]]
        inf = info(name)
        if party > inf["max_party"]:
            return []
        day = datetime.date.fromisoformat(date).strftime("%A")
        hours = [h for h in inf["hours"] if h["weekday"] == day]
        if not hours or mins(time) < mins(hours[0]["open"]) or mins(time) + 120 > mins(hours[0]["close"]):
            return []
        taken = tools.list_reservations(restaurant=name, date=date, status="booked")
        out = []
        for t in sorted(inf["tables"], key=lambda t: t["seats"]):
            if t["seats"] < party or (rules["tight_fit"] and t["seats"] > party + 2) or (
                    rules["terrace_cap"] and t["area"] == "terrace" and party > 4):
                continue
            if any(o["table"] == t["code"] and abs(mins(o["time"]) - mins(time)) < 120 for o in taken):
                continue
            out.append(t["code"])
        return out

    tools.get_today()
    bookings, refund = list(params.get("bookings") or []), 0
    if params.get("cancel"):
        q = params["cancel"]
        rows = tools.list_reservations(restaurant=q["restaurant"], date=q["date"], customer=q.get("customer"),
                                       status="booked")
        old = tools.get_restaurant(name=q["restaurant"])
        for row in rows:
            refund += tools.cancel_reservation(ref=row["ref"])["refund"]
            crit = dict(params["rebook"], cuisine=params["rebook"].get("cuisine"))
            bookings.append({"customer": row["customer"], "date": row["date"], "time": row["time"],
                             "party": row["party_size"], "crit": crit, "exclude": old["name"]})
    searches = {}

    def options(b):  # names worth trying for a booking, best rated first; details are fetched only when tried
        if "names" in b:
            return list(b["names"])
        crit = b["crit"]
        key = (crit.get("cuisine"), crit.get("min_rating"))
        if key not in searches:
            searches[key] = tools.search_restaurants(cuisine=crit.get("cuisine"), min_rating=crit.get("min_rating"))
        cap = crit.get("max_price", 4) + (1 if crit.get("bonus") is not None else 0)
        found = [r for r in searches[key] if r["name"] != b.get("exclude") and r["price_level"] <= cap]
        return [r["name"] for r in sorted(found, key=lambda r: (-r["rating"], r["name"]))]

    def fits(name, b):
        return "names" in b or qualifies({"name": name}, b["crit"], b["party"])

    booked = []
    if params.get("distinct"):  # parties on different dates at distinct places, combined deposit cap
        choice = None
        for combo in itertools.product(*[options(b) for b in bookings]):
            if len(set(combo)) == len(combo) and all(fits(n, b) for n, b in zip(combo, bookings)) and sum(
                    deposit(n, b["party"]) for n, b in zip(combo, bookings)) <= params["cap"] and all(
                    free_tables(n, b["date"], b["time"], b["party"]) for n, b in zip(combo, bookings)):
                choice = combo
                break
        plan = list(zip(bookings, choice))
    else:
        plan = [(b, None) for b in bookings]
    for b, name in plan:
        if name is None:  # first qualifying place that still has a table (earlier bookings taken into account)
            name = next(n for n in options(b) if fits(n, b) and free_tables(n, b["date"], b["time"], b["party"]))
        table = free_tables(name, b["date"], b["time"], b["party"])[0]
        tools.book_table(restaurant=name, table=table, customer=b["customer"], date=b["date"],
                         time=b["time"], party_size=b["party"])
        booked.append((name, b))
    if params.get("cancel"):
        return f"Rebooked at {', '.join(n for n, _ in booked)}; total deposit refunded: {refund}"
    return f"Booked at {', '.join(n for n, _ in booked)}; deposit due: {sum(deposit(n, b['party']) for n, b in booked)}"


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_number(outcome, params):
    from verifiers.answers import only_number

    ok = only_number(outcome.answer, params["expected"], abs_tol=0)
    return ok, [] if ok else [f"expected {params['expected']}, got {outcome.answer!r}"]


def verify_bookings(outcome, params):
    """New reservations match the requested parties at allowed restaurants and obey the policy; the listed
    reservations are cancelled (or resized) and nothing else changed; the answer states the expected amount."""
    import datetime

    from verifiers.answers import only_number
    from verifiers.state import diff_table, unchanged

    rules, reasons = params["rules"], []

    def mins(t):
        return int(t[:2]) * 60 + int(t[3:])

    def one(sql, *args):
        rows = outcome.rows(sql, *args)
        return rows[0] if rows else None

    def problems(res):
        r = one("SELECT * FROM restaurants WHERE id = ?", res["restaurant_id"])
        t = one("SELECT * FROM tables WHERE id = ?", res["table_id"])
        wd = datetime.date.fromisoformat(res["date"]).weekday()
        h = one("SELECT * FROM hours WHERE restaurant_id = ? AND weekday = ?", res["restaurant_id"], wd)
        party, start = res["party_size"], mins(res["time"])
        if res["date"] <= params["today"]:
            return "date is not after today"
        if t is None or t["restaurant_id"] != r["id"]:
            return "table of another restaurant"
        if h is None or start < mins(h["open"]) or start + 120 > mins(h["close"]) or start % 30:
            return "outside opening hours"
        if party > t["seats"] or party > r["max_party"] or (rules["tight_fit"] and t["seats"] > party + 2) or (
                rules["terrace_cap"] and t["area"] == "terrace" and party > 4):
            return "table does not suit the party"
        clash = [o for o in outcome.rows("SELECT * FROM reservations WHERE table_id = ? AND date = ? AND "
                                         "status = 'booked' AND id != ?", res["table_id"], res["date"], res["id"])
                 if abs(mins(o["time"]) - start) < 120]
        if clash:
            return "overlaps another booking on the table"
        if outcome.rows("SELECT id FROM reservations WHERE customer_id = ? AND date = ? AND status = 'booked' AND "
                        "id != ?", res["customer_id"], res["date"], res["id"]):
            return "customer has two bookings that day"
        want = r["deposit_per_guest"] * party if party >= rules["deposit_from"] else 0
        if res["deposit"] != want:
            return f"deposit {res['deposit']} should be {want}"
        return None

    added, removed, changed = diff_table(outcome.initial, outcome.db, "reservations")
    before = {r["id"]: r for r in outcome.initial_rows("SELECT * FROM reservations")}
    if removed:
        reasons.append("reservations were deleted")
    specs = list(params["new"])
    used = []
    for res in added:
        key = (res["customer_id"], res["date"], res["time"], res["party_size"])
        spec = next((s for s in specs if (s["customer"], s["date"], s["time"], s["party"]) == key), None)
        if spec is None or res["status"] != "booked":
            reasons.append(f"unexpected new reservation {res['ref']}")
            continue
        specs.remove(spec)
        if res["restaurant_id"] not in spec["allowed"]:
            reasons.append(f"{res['ref']} is at a restaurant that does not meet the request")
        if why := problems(res):
            reasons.append(f"{res['ref']} breaks the policy: {why}")
        used.append(res)
    if specs:
        reasons.append(f"{len(specs)} requested booking(s) missing")
    if params.get("distinct") and len({r["restaurant_id"] for r in used}) < len(used):
        reasons.append("the bookings must be at different restaurants")
    if params.get("cap") is not None and sum(r["deposit"] for r in used) > params["cap"]:
        reasons.append(f"combined deposit exceeds {params['cap']}")
    update = {int(k): v for k, v in (params.get("update") or {}).items()}
    if {r["id"] for r in changed} != set(params["cancel"]) | set(update):
        reasons.append(f"changed reservations {[r['ref'] for r in changed]} are not the requested ones")
    days_to = lambda d: (datetime.date.fromisoformat(d) - datetime.date.fromisoformat(params["today"])).days
    for res in changed:
        old = before[res["id"]]
        if res["id"] in params["cancel"]:
            same = all(res[k] == old[k] for k in old if k not in ("status", "refund"))
            want = old["deposit"] if days_to(old["date"]) >= 2 else 0
            if res["status"] != "cancelled" or not same or res["refund"] != want:
                reasons.append(f"{res['ref']} should be cancelled with refund {want}")
        elif res["id"] in update:
            same = all(res[k] == old[k] for k in ("restaurant_id", "customer_id", "date", "time", "status"))
            if not same or res["party_size"] != update[res["id"]]:
                reasons.append(f"{res['ref']} should be resized to {update[res['id']]} guests only")
            elif why := problems(res):
                reasons.append(f"{res['ref']} breaks the policy: {why}")
    if other := unchanged(outcome.initial, outcome.db, ["restaurants", "hours", "tables", "menu_items", "customers"]):
        reasons.append(f"unexpected changes in {other}")
    if params.get("answer") is not None and not only_number(outcome.answer, params["answer"], abs_tol=0):
        reasons.append(f"the answer should state {params['answer']}; got {outcome.answer!r}")
    return not reasons, reasons
