"""Car rental: branches in several cities, a fleet of cars, drivers with licence rules, rentals and one-way fees."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool
from verifiers.common import verify_names, verify_number

CITIES = [("Lisbon", "LIS"), ("Porto", "OPO"), ("Madrid", "MAD"), ("Seville", "SVQ"), ("Valencia", "VLC"),
          ("Lyon", "LYS"), ("Nice", "NCE"), ("Turin", "TRN"), ("Bologna", "BLQ"), ("Vienna", "VIE"),
          ("Graz", "GRZ"), ("Krakow", "KRK")]
SITES = ["Airport", "Central Station", "Downtown", "Harbour", "North Park"]
CLASSES = [  # class, min age, min licence years, (models), rate range
    ("economy", 21, 1, ("Fiat Panda", "Kia Picanto", "Toyota Aygo"), (24, 38)),
    ("compact", 21, 1, ("VW Golf", "Ford Focus", "Seat Leon"), (32, 48)),
    ("midsize", 21, 1, ("Skoda Octavia", "Toyota Corolla", "Mazda 6"), (40, 60)),
    ("suv", 23, 2, ("Nissan Qashqai", "Kia Sportage", "Dacia Duster"), (52, 78)),
    ("van", 23, 2, ("Ford Transit", "VW Caravelle", "Renault Trafic"), (60, 90)),
    ("premium", 25, 3, ("BMW 3 Series", "Audi A4", "Volvo S60"), (80, 120)),
    ("luxury", 27, 5, ("Mercedes S-Class", "BMW 7 Series", "Audi A8"), (140, 210)),
]
SEATS = {"economy": 4, "compact": 5, "midsize": 5, "suv": 5, "van": 8, "premium": 5, "luxury": 5}
INSURANCE = [("BASIC", "Basic cover", 0.0), ("PLUS", "Reduced excess", 9.0), ("FULL", "Zero excess", 19.0)]
FUELS = ["petrol", "diesel", "hybrid", "electric"]
FIRST = ["Ada", "Bruno", "Clara", "Dev", "Elif", "Femi", "Greta", "Hugo", "Ines", "Jonas", "Kira", "Luca", "Mira",
         "Nils", "Oona", "Priya", "Rosa", "Sami", "Tessa", "Umar", "Vera", "Yara", "Zeno", "Leif", "Noor", "Otto"]
LAST = ["Abbott", "Brandt", "Castillo", "Dimitrov", "Eklund", "Fontaine", "Gallo", "Hale", "Ivers", "Jansen",
        "Kovac", "Lindgren", "Novak", "Ortega", "Pereira", "Quinn", "Sandoval", "Varga", "Whitlock", "Yilmaz"]
YOUNG_SURCHARGE = 12.0
PREMIUM = ("premium", "luxury")


def days_between(a: str, b: str) -> int:
    return (dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days


def plus_days(d: str, n: int) -> str:
    return (dt.date.fromisoformat(d) + dt.timedelta(days=n)).isoformat()


class CarRentalEnv(EnvTemplate):
    name = "carrental"
    version = "1.0.0"
    category = "car rental"
    description = ("A car rental company's system: branches in several cities, a fleet of cars with class, "
                   "features, daily rates and mileage allowance, registered drivers, insurance plans, one-way "
                   "drop-off fees and rentals. Look things up, quote, book, extend and cancel rentals, and manage "
                   "cars and branches.")
    policy = (
        "A rental runs from its pickup "
        "date to its return date (1 to 30 days, charged per day) and uses a car from its pickup branch. A car can "
        "be rented only while its status is available and when no other booked rental of that car overlaps the "
        "dates (a car returned on a date may be picked up again that date). Closed branches take no rentals. "
        "A driver must be at least the car class's minimum age and have held a licence for at least its minimum "
        "years. Drivers under 25 pay a young-driver surcharge of 12 per day. "
        "The total is days x (daily rate + insurance daily price + surcharge) plus the one-way fee when the car is "
        "returned to another branch; one-way returns are possible only on routes that have a fee. "
        "Change nothing the request does not ask for; cancel only when asked."
    )
    variants = VariantSpace(
        optional_tools=("quote_rental", "get_rental"),
        renames={"search_cars": ("find_available_cars", "car_search"), "book_rental": ("reserve_car",),
                 "find_driver": ("lookup_driver",), "list_rentals": ("search_rentals",)},
        rules={
            "young_full_cover": "Drivers under 25 must take FULL insurance.",
            "premium_round_trip": "Premium and luxury cars must be returned to the branch they were picked up from.",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "car_rate": [
            "What is the daily rate of the car with plate {{plate}}?",
            "How much per day does car {{plate}} cost to rent?",
            "Look up car {{plate}} and tell me its daily rate.",
        ],
        "one_way_fee": [
            "What is the one-way fee for picking a car up at {{a}} and returning it at {{b}}?",
            "If I collect a car at {{a}} and drop it off at {{b}}, what one-way fee applies?",
        ],
        "licence_years": [
            "For how many years has {{driver}} held a driving licence?",
            "How long (in years) has our driver {{driver}} been licensed?",
        ],
        "count_available": [
            "How many {{car_class}} cars are available at {{branch}} from {{start}} to {{end}}?",
            "Count the {{car_class}}-class cars that can be rented at {{branch}} with pickup {{start}} and return "
            "{{end}}.",
        ],
        "cheapest_feature": [
            "Which car available at {{branch}} from {{start}} to {{end}} with {{feature_text}} has the lowest daily "
            "rate? Give its plate.",
            "I need a car with {{feature_text}} at {{branch}}, pickup {{start}}, return {{end}}. What is the plate "
            "of the cheapest one available?",
        ],
        "quote_total": [
            "What would it cost in total for {{driver}} to rent car {{plate}} from {{start}} to {{end}} with "
            "{{insurance}} insurance, returning it at {{ret}}?",
            "Quote the full price: driver {{driver}}, car {{plate}}, {{start}} to {{end}}, {{insurance}} cover, "
            "drop-off at {{ret}}.",
        ],
        "driver_spend": [
            "How much has {{driver}} paid in total for completed rentals?",
            "What is the sum of the totals of all completed rentals by {{driver}}?",
        ],
        "book_cheapest": [
            "Book the cheapest available {{car_class}} car at {{branch}} for {{driver}}, from {{start}} to {{end}}, "
            "with {{insurance}} insurance, returning it to the same branch.",
            "{{driver}} wants a {{car_class}} car from {{branch}}: pickup {{start}}, return {{end}} at the same "
            "branch, {{insurance}} cover. Reserve the one with the lowest daily rate.",
        ],
        "cancel_rental": [
            "{{driver}} no longer needs the car booked at {{branch}} for pickup on {{start}}. Cancel that rental.",
            "Please cancel {{driver}}'s booked rental that starts on {{start}} at {{branch}}.",
        ],
        "extend_rental": [
            "{{driver}} wants to keep the car from the rental picking up at {{branch}} on {{start}} for {{extra}} "
            "more days. Extend it.",
            "Extend {{driver}}'s booked rental (pickup {{start}} at {{branch}}) by {{extra}} days.",
        ],
        "one_way_trip": [
            "Book a car for {{driver}}: pickup at {{a}} on {{start}}, drop-off at {{b}} on {{end}}. It needs at least "
            "{{seats}} seats and {{gear}} transmission, and the total must not exceed {{budget}}. Take FULL insurance "
            "if the rental lasts {{long_days}} days or more, otherwise PLUS.",
            "{{driver}} is driving from {{a}} ({{start}}) to {{b}} ({{end}}) one way. Reserve a car with {{seats}}+ "
            "seats and {{gear}} gearbox, total at most {{budget}}; insurance must be FULL for rentals of "
            "{{long_days}}+ days and PLUS for shorter ones.",
        ],
        "car_maintenance": [
            "Car {{plate}} has to go into maintenance. Move each of its booked rentals to another car of the same "
            "class at the same branch (same driver, dates, return branch and insurance), then set the car's status "
            "to maintenance.",
            "Take car {{plate}} out of service for maintenance: first rebook every booked rental on it onto another "
            "same-class car at that branch, keeping driver, dates, return branch and insurance, then mark it as "
            "maintenance.",
        ],
        "multi_leg": [
            "Plan {{driver}}'s road trip in two one-way rentals: {{a}} on {{d1}} to {{b}} on {{d2}}, then {{b}} on "
            "{{d2}} to {{c}} on {{d3}}. Every car needs at least {{seats}} seats and must not be a van. A leg of "
            "{{long_days}} days or more takes FULL insurance, a shorter one BASIC. Both rentals together must cost at "
            "most {{budget}}. Book both.",
            "{{driver}} drives {{a}} -> {{b}} ({{d1}} to {{d2}}) and then {{b}} -> {{c}} ({{d2}} to {{d3}}), a "
            "separate one-way rental per leg. Cars: {{seats}}+ seats, no vans. Insurance: FULL on legs of "
            "{{long_days}}+ days, BASIC otherwise. Keep the two totals together within {{budget}} and book them.",
        ],
        "change_return": [
            "{{driver}} will now return the car of the rental picked up at {{branch}} on {{start}} at {{new_branch}}. "
            "Update the booking.",
            "Change the return branch of {{driver}}'s rental (pickup {{start}} at {{branch}}) to {{new_branch}}.",
        ],
        "branch_closure": [
            "Branch {{closing}} is closing. Move every booked rental picked up there to {{target}}: cancel it and "
            "book a car of the same class at {{target}} for the same driver, dates and insurance (a rental that was "
            "to be returned at {{closing}} is returned at {{target}} instead; otherwise keep its return branch). "
            "Rentals picked up elsewhere but due back at {{closing}} are to be returned at {{target}}. Then close "
            "{{closing}}.",
            "We are shutting {{closing}}. Rebook all of its booked pickups at {{target}} with a same-class car, same "
            "driver, dates and insurance; returns due at {{closing}} go to {{target}}, other returns stay. Rentals from "
            "other branches that end at {{closing}} must end at {{target}} too. Cancel the old rentals and close the "
            "branch afterwards.",
        ],
    }

    # ---- database ---------------------------------------------------------------------------------

    def build(self, rng: random.Random) -> None:
        self.db.executescript("""
            CREATE TABLE branches (id INTEGER PRIMARY KEY, code TEXT UNIQUE, name TEXT UNIQUE, city TEXT,
                open INTEGER);
            CREATE TABLE car_classes (class TEXT PRIMARY KEY, min_age INTEGER, min_licence_years INTEGER);
            CREATE TABLE insurance (code TEXT PRIMARY KEY, name TEXT, daily_price REAL);
            CREATE TABLE cars (id INTEGER PRIMARY KEY, plate TEXT UNIQUE, branch_id INTEGER, class TEXT,
                model TEXT, daily_rate REAL, seats INTEGER, automatic INTEGER, gps INTEGER, child_seat INTEGER,
                fuel TEXT, km_per_day INTEGER, status TEXT);
            CREATE TABLE drivers (id INTEGER PRIMARY KEY, name TEXT UNIQUE, age INTEGER, licence_years INTEGER,
                city TEXT);
            CREATE TABLE one_way_fees (id INTEGER PRIMARY KEY, from_branch INTEGER, to_branch INTEGER, fee REAL,
                UNIQUE (from_branch, to_branch));
            CREATE TABLE rentals (id INTEGER PRIMARY KEY, car_id INTEGER, driver_id INTEGER, pickup_branch INTEGER,
                return_branch INTEGER, pickup_date TEXT, return_date TEXT, insurance TEXT, total REAL, status TEXT);
        """)
        db = self.db
        n_cities, per_branch, n_drivers, n_rentals = {
            "small": (5, (7, 10), 45, 80), "medium": (7, (9, 13), 70, 130),
            "large": (9, (12, 16), 100, 200)}[self.variant.scale]
        cities = rng.sample(CITIES, n_cities)
        bid = 0
        for city, code in cities:
            for site in rng.sample(SITES, rng.choice([2, 2, 3])):
                bid += 1
                db.execute("INSERT INTO branches VALUES (?, ?, ?, ?, 1)",
                           (bid, f"{code}{bid}", f"{city} {site}", city))
        db.executemany("INSERT INTO car_classes VALUES (?, ?, ?)", [(c, a, y) for c, a, y, _, _ in CLASSES])
        db.executemany("INSERT INTO insurance VALUES (?, ?, ?)", INSURANCE)
        weights = [5, 5, 4, 3, 2, 2, 1]
        plates = set()
        for b in range(1, bid + 1):
            for _ in range(rng.randint(*per_branch)):
                cls, _, _, models, (lo, hi) = rng.choices(CLASSES, weights)[0]
                plate = f"{rng.choice('ABCDEFGHKLMNPRSTVXZ')}{rng.choice('ABCDEFGHKLMNPRSTVXZ')}-{rng.randint(100, 999)}"
                while plate in plates:
                    plate = plate[:3] + str(rng.randint(100, 999))
                plates.add(plate)
                db.execute("INSERT INTO cars (plate, branch_id, class, model, daily_rate, seats, automatic, gps, "
                           "child_seat, fuel, km_per_day, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           (plate, b, cls, rng.choice(models), float(rng.randint(lo, hi)),
                            SEATS[cls] + (rng.choice([0, 0, 2]) if cls == "suv" else 0),
                            int(rng.random() < (0.8 if cls in PREMIUM else 0.45)), int(rng.random() < 0.5),
                            int(rng.random() < 0.3), rng.choice(FUELS), rng.choice([0, 0, 200, 250, 300]),
                            "maintenance" if rng.random() < 0.06 else "available"))
        for a in range(1, bid + 1):
            for b in range(1, bid + 1):
                same = db.execute("SELECT (SELECT city FROM branches WHERE id = ?) = "
                                  "(SELECT city FROM branches WHERE id = ?)", (a, b)).fetchone()[0]
                if a != b and (same or rng.random() < 0.6):
                    db.execute("INSERT INTO one_way_fees (from_branch, to_branch, fee) VALUES (?, ?, ?)",
                               (a, b, 15.0 if same else float(rng.randint(6, 30) * 5)))
        names = rng.sample([f"{f} {s}" for f in FIRST for s in LAST], n_drivers)
        for i, name in enumerate(names):
            age = rng.choice([rng.randint(19, 24), rng.randint(25, 40), rng.randint(25, 70)])
            db.execute("INSERT INTO drivers VALUES (?, ?, ?, ?, ?)",
                       (i + 1, name, age, rng.randint(0, max(1, age - 18)), rng.choice(cities)[0]))
        self.today = dt.date(2026, rng.randint(3, 9), 1)
        self._seed_rentals(rng, n_rentals)

    def _seed_rentals(self, rng: random.Random, n: int) -> None:
        cars = self.rows("SELECT c.*, k.min_age, k.min_licence_years FROM cars c JOIN car_classes k "
                         "ON k.class = c.class WHERE c.status = 'available'")
        drivers = self.rows("SELECT * FROM drivers")
        start = self.today
        for _ in range(n * 2):
            if self.db.execute("SELECT COUNT(*) FROM rentals").fetchone()[0] >= n:
                break
            car, driver = rng.choice(cars), rng.choice(drivers)
            if driver["age"] < car["min_age"] or driver["licence_years"] < car["min_licence_years"]:
                continue
            past = rng.random() < 0.35
            pickup = (start + dt.timedelta(days=rng.randint(-40, -6) if past else rng.randint(1, 34))).isoformat()
            ret = plus_days(pickup, rng.randint(1, 6))
            ret_branch = car["branch_id"]
            if rng.random() < 0.2 and car["class"] not in PREMIUM:
                route = self.db.execute("SELECT to_branch FROM one_way_fees WHERE from_branch = ? ORDER BY id",
                                        (car["branch_id"],)).fetchall()
                if route:
                    ret_branch = rng.choice(route)[0]
            if self._overlaps(car["id"], pickup, ret):
                continue
            insurance = "FULL" if driver["age"] < 25 else rng.choice(["BASIC", "PLUS", "FULL"])
            total = self._price(car, driver, pickup, ret, insurance, car["branch_id"], ret_branch)
            status = rng.choice(["completed", "completed", "completed", "cancelled"]) if past else \
                rng.choice(["booked"] * 6 + ["cancelled"])
            self.db.execute("INSERT INTO rentals (car_id, driver_id, pickup_branch, return_branch, pickup_date, "
                            "return_date, insurance, total, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            (car["id"], driver["id"], car["branch_id"], ret_branch, pickup, ret, insurance, total,
                             status))

    # ---- helpers ------------------------------------------------------------------------------------

    def _rule(self, rule: str) -> bool:
        return rule in self.variant.rules

    def _rules(self) -> dict:
        return {"young_full": self._rule("young_full_cover"), "premium_round": self._rule("premium_round_trip")}

    def _overlaps(self, car_id: int, pickup: str, ret: str, skip: int = 0) -> bool:
        return self.db.execute("SELECT 1 FROM rentals WHERE car_id = ? AND status = 'booked' AND id != ? AND "
                               "pickup_date < ? AND ? < return_date", (car_id, skip, ret, pickup)).fetchone() is not None

    def _fee(self, a: int, b: int) -> float | None:
        if a == b:
            return 0.0
        row = self.db.execute("SELECT fee FROM one_way_fees WHERE from_branch = ? AND to_branch = ?", (a, b)).fetchone()
        return None if row is None else row[0]

    def _price(self, car, driver, pickup, ret, insurance, a, b) -> float:
        ins = self.db.execute("SELECT daily_price FROM insurance WHERE code = ?", (insurance,)).fetchone()[0]
        young = YOUNG_SURCHARGE if driver["age"] < 25 else 0.0
        return round(days_between(pickup, ret) * (car["daily_rate"] + ins + young) + (self._fee(a, b) or 0.0), 2)

    def _branch(self, ref: str) -> dict:
        row = self.db.execute("SELECT * FROM branches WHERE lower(name) = lower(?) OR lower(code) = lower(?)",
                              (ref, ref)).fetchone()
        if row is None:
            raise ValueError(f"unknown branch {ref!r}; call list_branches for names and codes")
        return dict(row)

    def _car(self, plate: str) -> dict:
        row = self.db.execute("SELECT c.*, k.min_age, k.min_licence_years FROM cars c JOIN car_classes k ON "
                              "k.class = c.class WHERE upper(c.plate) = upper(?)", (plate,)).fetchone()
        if row is None:
            raise ValueError(f"no car with plate {plate!r}; search_cars lists plates")
        return dict(row)

    def _driver(self, driver_id: int) -> dict:
        row = self.db.execute("SELECT * FROM drivers WHERE id = ?", (driver_id,)).fetchone()
        if row is None:
            raise ValueError(f"no driver {driver_id}; use find_driver to get a driver's id")
        return dict(row)

    def _dates(self, pickup: str, ret: str) -> int:
        try:
            days = days_between(pickup, ret)
        except ValueError:
            raise ValueError("dates must be YYYY-MM-DD") from None
        if not 1 <= days <= 30:
            raise ValueError("a rental lasts 1 to 30 days: the return date must follow the pickup date")
        return days

    def _rental_view(self, r: dict) -> dict:
        names = {b["id"]: b["name"] for b in self.rows("SELECT id, name FROM branches")}
        car = self.db.execute("SELECT plate, class FROM cars WHERE id = ?", (r["car_id"],)).fetchone()
        driver = self.db.execute("SELECT name FROM drivers WHERE id = ?", (r["driver_id"],)).fetchone()
        return {"id": r["id"], "plate": car["plate"], "car_class": car["class"], "driver_id": r["driver_id"],
                "driver": driver["name"], "pickup_branch": names[r["pickup_branch"]],
                "return_branch": names[r["return_branch"]], "pickup_date": r["pickup_date"],
                "return_date": r["return_date"], "insurance": r["insurance"], "total": r["total"],
                "status": r["status"]}

    def _check_booking(self, car: dict, driver: dict, pickup: str, ret: str, insurance: str, ret_branch: dict,
                       skip: int = 0) -> None:
        self._dates(pickup, ret)
        if car["status"] != "available":
            raise ValueError(f"car {car['plate']} is in {car['status']} and cannot be rented")
        opened = self.db.execute("SELECT open FROM branches WHERE id = ?", (car["branch_id"],)).fetchone()[0]
        if not opened or not ret_branch["open"]:
            raise ValueError("closed branches take no rentals; pick an open pickup and return branch")
        if driver["age"] < car["min_age"] or driver["licence_years"] < car["min_licence_years"]:
            raise ValueError(f"policy: {car['class']} cars need drivers aged {car['min_age']}+ with "
                             f"{car['min_licence_years']}+ licence years")
        if self.db.execute("SELECT 1 FROM insurance WHERE code = ?", (insurance,)).fetchone() is None:
            raise ValueError("insurance must be one of BASIC, PLUS, FULL (see list_insurance)")
        if self._rule("young_full_cover") and driver["age"] < 25 and insurance != "FULL":
            raise ValueError("policy: drivers under 25 must take FULL insurance")
        if self._fee(car["branch_id"], ret_branch["id"]) is None:
            raise ValueError("no one-way route between these branches; choose another return branch")
        if self._rule("premium_round_trip") and car["class"] in PREMIUM and ret_branch["id"] != car["branch_id"]:
            raise ValueError("policy: premium and luxury cars must be returned to their pickup branch")
        if self._overlaps(car["id"], pickup, ret, skip):
            raise ValueError(f"car {car['plate']} is already booked during those dates")

    # ---- read tools ---------------------------------------------------------------------------------

    @tool("read")
    def list_branches(self, city: str | None = None) -> list[dict]:
        """List rental branches with code, name, city and whether they are open.

        Args:
            city: Only branches in this city.
        """
        rows = self.rows("SELECT code, name, city, open FROM branches WHERE (? IS NULL OR lower(city) = lower(?)) "
                         "ORDER BY id", city, city)
        return [{**r, "open": bool(r["open"])} for r in rows]

    @tool("read")
    def list_car_classes(self) -> list[dict]:
        """Car classes with the minimum driver age and minimum years of licence they require.

        Args:
        """
        return self.rows("SELECT class, min_age, min_licence_years FROM car_classes ORDER BY min_age, class")

    @tool("read")
    def list_insurance(self) -> list[dict]:
        """Insurance plans (code, name, daily price).

        Args:
        """
        return self.rows("SELECT * FROM insurance ORDER BY daily_price")

    @tool("read")
    def search_cars(self, branch: str, pickup_date: str, return_date: str, car_class: str | None = None,
                    max_daily_rate: float | None = None) -> list[dict]:
        """Cars at a branch that can be rented for the whole period (status available, no overlapping booking).

        Args:
            branch: Branch name or code.
            pickup_date: Pickup date, YYYY-MM-DD.
            return_date: Return date, YYYY-MM-DD.
            car_class: Only this class (economy, compact, midsize, suv, van, premium, luxury).
            max_daily_rate: Highest acceptable daily rate.
        """
        b = self._branch(branch)
        self._dates(pickup_date, return_date)
        cars = self.rows("SELECT id, plate, class, model, daily_rate, seats, automatic FROM cars WHERE branch_id = ? "
                         "AND status = 'available' AND (? IS NULL OR class = lower(?)) AND daily_rate <= ? ORDER BY id",
                         b["id"], car_class, car_class, 1e18 if max_daily_rate is None else max_daily_rate)
        return [{**c, "automatic": bool(c["automatic"])} for c in cars
                if not self._overlaps(c["id"], pickup_date, return_date)]

    @tool("read")
    def get_car(self, plate: str) -> dict:
        """Full details of a car: branch, class, rate, seats, gearbox, GPS, child seat, fuel, mileage, status.

        Args:
            plate: The car's plate, e.g. KM-314.
        """
        car = self._car(plate)
        branch = self.db.execute("SELECT name FROM branches WHERE id = ?", (car["branch_id"],)).fetchone()[0]
        out = {k: car[k] for k in ("plate", "class", "model", "daily_rate", "seats", "fuel", "status")}
        out.update(branch=branch, automatic=bool(car["automatic"]), gps=bool(car["gps"]),
                   child_seat=bool(car["child_seat"]),
                   km_per_day="unlimited" if car["km_per_day"] == 0 else car["km_per_day"])
        return out

    @tool("read")
    def find_driver(self, name: str) -> dict:
        """A registered driver by full name: id, age, years of licence, home city.

        Args:
            name: The driver's full name.
        """
        row = self.db.execute("SELECT * FROM drivers WHERE lower(name) = lower(?)", (name.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"no driver named {name!r}; check the spelling of the full name")
        return dict(row)

    @tool("read")
    def get_one_way_fee(self, from_branch: str, to_branch: str) -> dict:
        """The one-way fee for returning a car at another branch (0 for the same branch).

        Args:
            from_branch: Pickup branch name or code.
            to_branch: Return branch name or code.
        """
        a, b = self._branch(from_branch), self._branch(to_branch)
        fee = self._fee(a["id"], b["id"])
        if fee is None:
            raise ValueError(f"no one-way route from {a['name']} to {b['name']}")
        return {"from": a["name"], "to": b["name"], "fee": fee}

    @tool("read")
    def list_rentals(self, driver_id: int | None = None, branch: str | None = None, plate: str | None = None,
                     status: str | None = None, return_branch: str | None = None) -> list[dict]:
        """Rentals filtered by driver, pickup branch, car plate, status (booked, completed, cancelled) and/or
        return branch.

        Args:
            driver_id: Driver id from find_driver.
            branch: Pickup branch name or code.
            plate: Car plate.
            status: Rental status.
            return_branch: Return branch name or code.
        """
        b = self._branch(branch)["id"] if branch else None
        rb = self._branch(return_branch)["id"] if return_branch else None
        c = self._car(plate)["id"] if plate else None
        rows = self.rows("SELECT * FROM rentals WHERE (? IS NULL OR driver_id = ?) AND (? IS NULL OR pickup_branch = ?)"
                         " AND (? IS NULL OR car_id = ?) AND (? IS NULL OR status = ?) AND (? IS NULL OR "
                         "return_branch = ?) ORDER BY pickup_date, id",
                         driver_id, driver_id, b, b, c, c, status, status, rb, rb)
        return [self._rental_view(r) for r in rows]

    @tool("read")
    def get_rental(self, rental_id: int) -> dict:
        """One rental by id.

        Args:
            rental_id: Rental id.
        """
        row = self.db.execute("SELECT * FROM rentals WHERE id = ?", (rental_id,)).fetchone()
        if row is None:
            raise ValueError(f"no rental {rental_id}")
        return self._rental_view(dict(row))

    @tool("read")
    def quote_rental(self, plate: str, driver_id: int, pickup_date: str, return_date: str, return_branch: str,
                     insurance: str) -> dict:
        """Price a rental without booking it (does not check availability).

        Args:
            plate: Car plate.
            driver_id: Driver id.
            pickup_date: Pickup date, YYYY-MM-DD.
            return_date: Return date, YYYY-MM-DD.
            return_branch: Return branch name or code.
            insurance: BASIC, PLUS or FULL.
        """
        car, driver, ret = self._car(plate), self._driver(driver_id), self._branch(return_branch)
        self._dates(pickup_date, return_date)
        if self._fee(car["branch_id"], ret["id"]) is None:
            raise ValueError("no one-way route between these branches")
        if self.db.execute("SELECT 1 FROM insurance WHERE code = ?", (insurance,)).fetchone() is None:
            raise ValueError("insurance must be one of BASIC, PLUS, FULL")
        return {"total": self._price(car, driver, pickup_date, return_date, insurance, car["branch_id"], ret["id"])}

    # ---- write tools --------------------------------------------------------------------------------

    @tool("write")
    def book_rental(self, plate: str, driver_id: int, pickup_date: str, return_date: str, return_branch: str,
                    insurance: str) -> dict:
        """Book a car from its own branch for a driver; the total is computed by the policy's formula.

        Args:
            plate: Car plate (the pickup branch is the car's branch).
            driver_id: Driver id from find_driver.
            pickup_date: Pickup date, YYYY-MM-DD.
            return_date: Return date, YYYY-MM-DD.
            return_branch: Return branch name or code (the pickup branch for a round trip).
            insurance: BASIC, PLUS or FULL.
        """
        car, driver, ret = self._car(plate), self._driver(driver_id), self._branch(return_branch)
        self._check_booking(car, driver, pickup_date, return_date, insurance, ret)
        total = self._price(car, driver, pickup_date, return_date, insurance, car["branch_id"], ret["id"])
        cur = self.db.execute("INSERT INTO rentals (car_id, driver_id, pickup_branch, return_branch, pickup_date, "
                              "return_date, insurance, total, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'booked')",
                              (car["id"], driver_id, car["branch_id"], ret["id"], pickup_date, return_date, insurance,
                               total))
        return self.get_rental(cur.lastrowid)

    @tool("write")
    def cancel_rental(self, rental_id: int) -> dict:
        """Cancel a booked rental.

        Args:
            rental_id: Rental id.
        """
        r = self.get_rental(rental_id)
        if r["status"] != "booked":
            raise ValueError(f"rental {rental_id} is {r['status']}; only booked rentals can be cancelled")
        self.db.execute("UPDATE rentals SET status = 'cancelled' WHERE id = ?", (rental_id,))
        return self.get_rental(rental_id)

    @tool("write")
    def extend_rental(self, rental_id: int, new_return_date: str) -> dict:
        """Move a booked rental's return date later; the total is recomputed.

        Args:
            rental_id: Rental id.
            new_return_date: New return date, YYYY-MM-DD, after the current one.
        """
        row = self.db.execute("SELECT * FROM rentals WHERE id = ?", (rental_id,)).fetchone()
        if row is None or row["status"] != "booked":
            raise ValueError(f"rental {rental_id} is not a booked rental")
        r = dict(row)
        if new_return_date <= r["return_date"]:
            raise ValueError("the new return date must be after the current one")
        car = dict(self.db.execute("SELECT c.*, k.min_age, k.min_licence_years FROM cars c JOIN car_classes k ON "
                                   "k.class = c.class WHERE c.id = ?", (r["car_id"],)).fetchone())
        driver = self._driver(r["driver_id"])
        ret = dict(self.db.execute("SELECT * FROM branches WHERE id = ?", (r["return_branch"],)).fetchone())
        self._check_booking(car, driver, r["pickup_date"], new_return_date, r["insurance"], ret, skip=rental_id)
        total = self._price(car, driver, r["pickup_date"], new_return_date, r["insurance"], r["pickup_branch"],
                            r["return_branch"])
        self.db.execute("UPDATE rentals SET return_date = ?, total = ? WHERE id = ?", (new_return_date, total, rental_id))
        return self.get_rental(rental_id)

    @tool("write")
    def change_return_branch(self, rental_id: int, return_branch: str) -> dict:
        """Change where a booked rental's car is returned; the total is recomputed with the new one-way fee.

        Args:
            rental_id: Rental id.
            return_branch: New return branch name or code.
        """
        row = self.db.execute("SELECT * FROM rentals WHERE id = ?", (rental_id,)).fetchone()
        if row is None or row["status"] != "booked":
            raise ValueError(f"rental {rental_id} is not a booked rental")
        r, ret = dict(row), self._branch(return_branch)
        car = dict(self.db.execute("SELECT c.*, k.min_age, k.min_licence_years FROM cars c JOIN car_classes k ON "
                                   "k.class = c.class WHERE c.id = ?", (r["car_id"],)).fetchone())
        if not ret["open"]:
            raise ValueError("closed branches take no returns")
        if self._fee(r["pickup_branch"], ret["id"]) is None:
            raise ValueError("no one-way route from the pickup branch to that branch")
        if self._rule("premium_round_trip") and car["class"] in PREMIUM and ret["id"] != r["pickup_branch"]:
            raise ValueError("policy: premium and luxury cars must be returned to their pickup branch")
        total = self._price(car, self._driver(r["driver_id"]), r["pickup_date"], r["return_date"], r["insurance"],
                            r["pickup_branch"], ret["id"])
        self.db.execute("UPDATE rentals SET return_branch = ?, total = ? WHERE id = ?", (ret["id"], total, rental_id))
        return self.get_rental(rental_id)

    @tool("write")
    def set_car_status(self, plate: str, status: str) -> dict:
        """Set a car's status to available or maintenance. A car with booked rentals cannot go into maintenance.

        Args:
            plate: Car plate.
            status: available or maintenance.
        """
        car = self._car(plate)
        if status not in ("available", "maintenance"):
            raise ValueError("status must be available or maintenance")
        if status == "maintenance" and self.db.execute(
                "SELECT 1 FROM rentals WHERE car_id = ? AND status = 'booked'", (car["id"],)).fetchone():
            raise ValueError("the car still has booked rentals; move or cancel them first")
        self.db.execute("UPDATE cars SET status = ? WHERE id = ?", (status, car["id"]))
        return self.get_car(plate)

    @tool("write")
    def close_branch(self, branch: str) -> dict:
        """Close a branch. Refused while booked rentals are picked up or returned there.

        Args:
            branch: Branch name or code.
        """
        b = self._branch(branch)
        if self.db.execute("SELECT 1 FROM rentals WHERE status = 'booked' AND (pickup_branch = ? OR "
                           "return_branch = ?)", (b["id"], b["id"])).fetchone():
            raise ValueError("booked rentals still start or end at this branch; rebook them first")
        self.db.execute("UPDATE branches SET open = 0 WHERE id = ?", (b["id"],))
        return {"code": b["code"], "name": b["name"], "open": False}

    # ---- proposer helpers ---------------------------------------------------------------------------

    def _bname(self, bid: int) -> str:
        return self.db.execute("SELECT name FROM branches WHERE id = ?", (bid,)).fetchone()[0]

    def _window(self, rng: random.Random, lo: int = 1, hi: int = 6) -> tuple[str, str]:
        start = (self.today + dt.timedelta(days=rng.randint(1, 34))).isoformat()
        return start, plus_days(start, rng.randint(lo, hi))

    def _free_cars(self, branch_id: int, pickup: str, ret: str, cls: str | None = None) -> list[dict]:
        cars = self.rows("SELECT c.*, k.min_age, k.min_licence_years FROM cars c JOIN car_classes k ON k.class = "
                         "c.class WHERE branch_id = ? AND status = 'available' AND (? IS NULL OR c.class = ?)",
                         branch_id, cls, cls)
        return [c for c in cars if not self._overlaps(c["id"], pickup, ret)]

    def _eligible(self, car: dict, driver: dict, ret_id: int, insurance: str) -> bool:
        if driver["age"] < car["min_age"] or driver["licence_years"] < car["min_licence_years"]:
            return False
        if self._rule("young_full_cover") and driver["age"] < 25 and insurance != "FULL":
            return False
        if self._rule("premium_round_trip") and car["class"] in PREMIUM and ret_id != car["branch_id"]:
            return False
        return self._fee(car["branch_id"], ret_id) is not None

    def _insurance_for(self, driver: dict, wanted: str) -> str:
        return "FULL" if self._rule("young_full_cover") and driver["age"] < 25 else wanted

    def _answer(self, shape, rng, solve, verify, tools=None, **spec):
        expected = spec.pop("expected")
        extra = spec.pop("extra", {})
        return TaskDraft(shape=shape, instruction=self.render(shape, rng, **spec),
                         solution=Program.of(solve, **spec), verifier=Program.of(verify, expected=expected, **extra),
                         tools=tools)

    # ---- level 1 ------------------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_car_rate(self, rng: random.Random) -> TaskDraft | None:
        car = rng.choice(self.rows("SELECT plate, daily_rate FROM cars"))
        return self._answer("car_rate", rng, solve_car_rate, verify_number, plate=car["plate"],
                            expected=car["daily_rate"])

    @proposer(difficulty=1)
    def propose_one_way_fee(self, rng: random.Random) -> TaskDraft | None:
        route = rng.choice(self.rows("SELECT * FROM one_way_fees"))
        return self._answer("one_way_fee", rng, solve_one_way_fee, verify_number, a=self._bname(route["from_branch"]),
                            b=self._bname(route["to_branch"]), expected=route["fee"])

    @proposer(difficulty=1)
    def propose_licence_years(self, rng: random.Random) -> TaskDraft | None:
        d = rng.choice(self.rows("SELECT name, licence_years FROM drivers"))
        return self._answer("licence_years", rng, solve_licence_years, verify_number, driver=d["name"],
                            expected=d["licence_years"])

    # ---- level 2 ------------------------------------------------------------------------------------

    @proposer(difficulty=2, attempts=4)
    def propose_count_available(self, rng: random.Random) -> TaskDraft | None:
        branch = rng.choice(self.rows("SELECT id, name FROM branches"))
        start, end = self._window(rng)
        cls = rng.choice(CLASSES[:5])[0]
        n = len(self._free_cars(branch["id"], start, end, cls))
        if n == 0:
            return None
        return self._answer("count_available", rng, solve_count_available, verify_number, branch=branch["name"],
                            start=start, end=end, car_class=cls, expected=n)

    @proposer(difficulty=2, attempts=4)
    def propose_cheapest_feature(self, rng: random.Random) -> TaskDraft | None:
        branch = rng.choice(self.rows("SELECT id, name FROM branches"))
        start, end = self._window(rng)
        feature, text = rng.choice([("gps", "GPS"), ("child_seat", "a child seat"), ("automatic", "automatic "
                                    "transmission")])
        cars = sorted((c for c in self._free_cars(branch["id"], start, end) if c[feature]),
                      key=lambda c: c["daily_rate"])
        if not cars or (len(cars) > 1 and cars[0]["daily_rate"] == cars[1]["daily_rate"]):
            return None
        plates = [c["plate"] for c in self.rows("SELECT plate FROM cars")]
        return self._answer("cheapest_feature", rng, solve_cheapest_feature, verify_names, branch=branch["name"],
                            start=start, end=end, feature=feature, feature_text=text, expected=[cars[0]["plate"]],
                            extra={"candidates": plates})

    @proposer(difficulty=2)
    def propose_quote_total(self, rng: random.Random) -> TaskDraft | None:
        car = rng.choice(self.rows("SELECT c.* FROM cars c"))
        driver = rng.choice(self.rows("SELECT * FROM drivers"))
        routes = [car["branch_id"]] + [r["to_branch"] for r in self.rows(
            "SELECT to_branch FROM one_way_fees WHERE from_branch = ?", car["branch_id"])]
        ret = rng.choice(routes)
        start, end = self._window(rng, 1, 9)
        ins = rng.choice(["BASIC", "PLUS", "FULL"])
        total = self._price(car, driver, start, end, ins, car["branch_id"], ret)
        return self._answer("quote_total", rng, solve_quote_total, verify_number, driver=driver["name"],
                            plate=car["plate"], start=start, end=end, insurance=ins, ret=self._bname(ret),
                            expected=total)

    @proposer(difficulty=2, attempts=4)
    def propose_driver_spend(self, rng: random.Random) -> TaskDraft | None:
        rows = self.rows("SELECT d.name, SUM(r.total) AS s FROM rentals r JOIN drivers d ON d.id = r.driver_id WHERE "
                         "r.status = 'completed' GROUP BY d.id HAVING COUNT(*) >= 2")
        if not rows:
            return None
        d = rng.choice(rows)
        return self._answer("driver_spend", rng, solve_driver_spend, verify_number, driver=d["name"],
                            expected=round(d["s"], 2))

    # ---- level 3 ------------------------------------------------------------------------------------

    @proposer(difficulty=3, attempts=6)
    def propose_book_cheapest(self, rng: random.Random) -> TaskDraft | None:
        branch = rng.choice(self.rows("SELECT id, name FROM branches"))
        driver = rng.choice(self.rows("SELECT * FROM drivers"))
        start, end = self._window(rng, 1, 8)
        cls = rng.choice(CLASSES)[0]
        ins = self._insurance_for(driver, rng.choice(["BASIC", "PLUS", "FULL"]))
        cars = [c for c in self._free_cars(branch["id"], start, end, cls) if self._eligible(c, driver, branch["id"], ins)]
        if not cars:
            return None
        leg = {"driver_id": driver["id"], "pickup": branch["id"], "return": branch["id"], "start": start, "end": end,
               "classes": [cls], "insurance": ins, "max_rate": min(c["daily_rate"] for c in cars)}
        return TaskDraft(
            shape="book_cheapest",
            instruction=self.render("book_cheapest", rng, driver=driver["name"], branch=branch["name"], start=start,
                                    end=end, car_class=cls, insurance=ins),
            solution=Program.of(solve_book_cheapest, driver=driver["name"], branch=branch["name"], start=start,
                                end=end, car_class=cls, insurance=ins),
            verifier=Program.of(verify_rentals, legs=[leg], **self._rules()))

    def _pick_booked(self, rng: random.Random) -> dict | None:
        rows = self.rows("SELECT r.*, d.name AS driver FROM rentals r JOIN drivers d ON d.id = r.driver_id "
                         "WHERE r.status = 'booked'")
        if not rows:
            return None
        r = rng.choice(rows)
        twins = [x for x in rows if (x["driver_id"], x["pickup_date"], x["pickup_branch"]) ==
                 (r["driver_id"], r["pickup_date"], r["pickup_branch"])]
        return r if len(twins) == 1 else None

    @proposer(difficulty=3, attempts=4)
    def propose_cancel_rental(self, rng: random.Random) -> TaskDraft | None:
        r = self._pick_booked(rng)
        if r is None:
            return None
        spec = {"driver": r["driver"], "branch": self._bname(r["pickup_branch"]), "start": r["pickup_date"]}
        return TaskDraft(shape="cancel_rental", instruction=self.render("cancel_rental", rng, **spec),
                         solution=Program.of(solve_cancel_rental, **spec),
                         verifier=Program.of(verify_rentals, legs=[], cancel=[r["id"]], **self._rules()))

    @proposer(difficulty=3, attempts=6)
    def propose_extend_rental(self, rng: random.Random) -> TaskDraft | None:
        r = self._pick_booked(rng)
        if r is None:
            return None
        extra = rng.randint(1, 4)
        new_end = plus_days(r["return_date"], extra)
        if days_between(r["pickup_date"], new_end) > 30 or self._overlaps(r["car_id"], r["pickup_date"], new_end,
                                                                           r["id"]):
            return None
        car = self.rows("SELECT * FROM cars WHERE id = ?", r["car_id"])[0]
        total = self._price(car, self._driver(r["driver_id"]), r["pickup_date"], new_end, r["insurance"],
                            r["pickup_branch"], r["return_branch"])
        spec = {"driver": r["driver"], "branch": self._bname(r["pickup_branch"]), "start": r["pickup_date"],
                "extra": extra}
        return TaskDraft(shape="extend_rental", instruction=self.render("extend_rental", rng, **spec),
                         solution=Program.of(solve_extend_rental, **spec),
                         verifier=Program.of(verify_extension, rental_id=r["id"], new_end=new_end, total=total))

    # ---- level 4 ------------------------------------------------------------------------------------

    @proposer(difficulty=4, attempts=8)
    def propose_one_way_trip(self, rng: random.Random) -> TaskDraft | None:
        route = rng.choice(self.rows("SELECT o.* FROM one_way_fees o JOIN branches a ON a.id = o.from_branch "
                                     "JOIN branches b ON b.id = o.to_branch WHERE a.city != b.city"))
        driver = rng.choice(self.rows("SELECT * FROM drivers"))
        start, end = self._window(rng, 2, 9)
        seats, gear, long_days = rng.choice([4, 5, 5, 7]), rng.choice(["automatic", "manual", "any"]), rng.randint(4, 7)
        ins = self._insurance_for(driver, "FULL" if days_between(start, end) >= long_days else "PLUS")
        costs = sorted(self._price(c, driver, start, end, ins, c["branch_id"], route["to_branch"])
                       for c in self._free_cars(route["from_branch"], start, end)
                       if c["seats"] >= seats and (gear == "any" or c["automatic"] == (gear == "automatic"))
                       and self._eligible(c, driver, route["to_branch"], ins))
        if len(costs) < 2:
            return None
        budget = float(int(costs[0] * rng.uniform(1.0, 1.12)) + 1)
        if budget >= costs[-1]:
            return None
        spec = {"driver": driver["name"], "a": self._bname(route["from_branch"]), "b": self._bname(route["to_branch"]),
                "start": start, "end": end, "seats": seats, "gear": gear, "long_days": long_days, "budget": budget}
        leg = {"driver_id": driver["id"], "pickup": route["from_branch"], "return": route["to_branch"], "start": start,
               "end": end, "min_seats": seats, "gear": gear, "insurance": ins}
        return TaskDraft(shape="one_way_trip", instruction=self.render("one_way_trip", rng, **spec),
                         solution=Program.of(solve_one_way_trip, **spec, **self._rules()),
                         verifier=Program.of(verify_rentals, legs=[leg], budget=budget, **self._rules()))

    def _reassign(self, rentals: list[dict], branch_id: int, exclude: set[int], ret_map: dict) -> bool:
        """Whether every rental can get a same-class car at the branch (greedy by pickup date)."""
        taken: list[tuple[int, str, str]] = []
        for r in sorted(rentals, key=lambda r: (r["pickup_date"], r["id"])):
            driver = self._driver(r["driver_id"])
            ret = ret_map.get(r["return_branch"], r["return_branch"])
            ok = [c for c in self._free_cars(branch_id, r["pickup_date"], r["return_date"], r["class"])
                  if c["id"] not in exclude and self._eligible(c, driver, ret, r["insurance"])
                  and not any(t[0] == c["id"] and t[1] < r["return_date"] and r["pickup_date"] < t[2] for t in taken)]
            if not ok:
                return False
            taken.append((ok[0]["id"], r["pickup_date"], r["return_date"]))
        return True

    @proposer(difficulty=4, attempts=8)
    def propose_car_maintenance(self, rng: random.Random) -> TaskDraft | None:
        cars = self.rows("SELECT c.id, c.plate, c.branch_id FROM cars c WHERE (SELECT COUNT(*) FROM rentals r WHERE "
                         "r.car_id = c.id AND r.status = 'booked') BETWEEN 1 AND 3")
        if not cars:
            return None
        car = rng.choice(cars)
        rentals = self.rows("SELECT r.*, c.class FROM rentals r JOIN cars c ON c.id = r.car_id WHERE r.car_id = ? "
                            "AND r.status = 'booked'", car["id"])
        if not self._reassign(rentals, car["branch_id"], {car["id"]}, {}):
            return None
        legs = [{"driver_id": r["driver_id"], "pickup": r["pickup_branch"], "return": r["return_branch"],
                 "start": r["pickup_date"], "end": r["return_date"], "classes": [r["class"]],
                 "insurance": r["insurance"], "not_car": car["id"]} for r in rentals]
        return TaskDraft(shape="car_maintenance", instruction=self.render("car_maintenance", rng, plate=car["plate"]),
                         solution=Program.of(solve_car_maintenance, plate=car["plate"]),
                         verifier=Program.of(verify_rentals, legs=legs, cancel=[r["id"] for r in rentals],
                                             maintenance=[car["id"]], **self._rules()))

    # ---- level 5 ------------------------------------------------------------------------------------

    @proposer(difficulty=5, attempts=10)
    def propose_multi_leg(self, rng: random.Random) -> TaskDraft | None:
        first = rng.choice(self.rows("SELECT o.* FROM one_way_fees o JOIN branches a ON a.id = o.from_branch "
                                     "JOIN branches b ON b.id = o.to_branch WHERE a.city != b.city"))
        onward = self.rows("SELECT o.* FROM one_way_fees o JOIN branches a ON a.id = o.from_branch JOIN branches b "
                           "ON b.id = o.to_branch WHERE o.from_branch = ? AND a.city != b.city AND o.to_branch != ?",
                           first["to_branch"], first["from_branch"])
        if not onward:
            return None
        second = rng.choice(onward)
        driver = rng.choice(self.rows("SELECT * FROM drivers"))
        d1, d2 = self._window(rng, 2, 7)
        d3 = plus_days(d2, rng.randint(2, 7))
        seats, long_days = rng.choice([4, 5, 5]), rng.randint(4, 6)
        legs, cheapest, dearest = [], 0.0, 0.0
        for route, a, b in ((first, d1, d2), (second, d2, d3)):
            ins = self._insurance_for(driver, "FULL" if days_between(a, b) >= long_days else "BASIC")
            costs = sorted(self._price(c, driver, a, b, ins, c["branch_id"], route["to_branch"])
                           for c in self._free_cars(route["from_branch"], a, b)
                           if c["seats"] >= seats and c["class"] != "van"
                           and self._eligible(c, driver, route["to_branch"], ins))
            if not costs:
                return None
            cheapest, dearest = cheapest + costs[0], dearest + costs[-1]
            legs.append({"driver_id": driver["id"], "pickup": route["from_branch"], "return": route["to_branch"],
                         "start": a, "end": b, "min_seats": seats, "no_van": True, "insurance": ins})
        budget = float(int(cheapest * rng.uniform(1.0, 1.1)) + 1)
        if budget >= dearest:
            return None
        spec = {"driver": driver["name"], "a": self._bname(first["from_branch"]), "b": self._bname(first["to_branch"]),
                "c": self._bname(second["to_branch"]), "d1": d1, "d2": d2, "d3": d3, "seats": seats,
                "long_days": long_days, "budget": budget}
        return TaskDraft(shape="multi_leg", instruction=self.render("multi_leg", rng, **spec),
                         solution=Program.of(solve_multi_leg, **spec, **self._rules()),
                         verifier=Program.of(verify_rentals, legs=legs, budget=budget, **self._rules()))

    def _closure_plan(self, closing: int, target: int) -> tuple[list[dict], list[dict]] | None:
        """The rentals picked up at and returned to `closing`, when all of them can move to `target`."""
        rentals = self.rows("SELECT r.*, c.class FROM rentals r JOIN cars c ON c.id = r.car_id WHERE r.status = "
                            "'booked' AND r.pickup_branch = ?", closing)
        strays = self.rows("SELECT r.*, c.class FROM rentals r JOIN cars c ON c.id = r.car_id WHERE r.status = "
                           "'booked' AND r.return_branch = ? AND r.pickup_branch != ?", closing, closing)
        keys = {(r["driver_id"], r["pickup_date"], r["return_date"]) for r in rentals}
        if not 1 <= len(rentals) <= 6 or len(rentals) + len(strays) < 2 or len(keys) < len(rentals):
            return None
        if any(s["pickup_branch"] != target and self._fee(s["pickup_branch"], target) is None
               or (self._rule("premium_round_trip") and s["class"] in PREMIUM) for s in strays):
            return None
        return (rentals, strays) if self._reassign(rentals, target, set(), {closing: target}) else None

    @proposer(difficulty=5)
    def propose_branch_closure(self, rng: random.Random) -> TaskDraft | None:
        pairs = [(p["a"], p["b"]) for p in self.rows("SELECT a.id AS a, b.id AS b FROM branches a JOIN branches b "
                                                      "ON a.city = b.city AND a.id != b.id ORDER BY a.id, b.id")]
        plans = [(a, b, plan) for a, b in pairs if (plan := self._closure_plan(a, b))]
        if not plans:
            return None
        closing, target, (rentals, strays) = rng.choice(plans)
        legs = [{"driver_id": r["driver_id"], "pickup": target,
                 "return": target if r["return_branch"] == closing else r["return_branch"],
                 "start": r["pickup_date"], "end": r["return_date"], "classes": [r["class"]],
                 "insurance": r["insurance"]} for r in rentals]
        spec = {"closing": self._bname(closing), "target": self._bname(target)}
        return TaskDraft(shape="branch_closure", instruction=self.render("branch_closure", rng, **spec),
                         solution=Program.of(solve_branch_closure, **spec),
                         verifier=Program.of(verify_rentals, legs=legs, cancel=[r["id"] for r in rentals],
                                             reroute=[[s["id"], target] for s in strays], closed=[closing],
                                             **self._rules()))

    @proposer(difficulty=3, attempts=6)
    def propose_change_return(self, rng: random.Random) -> TaskDraft | None:
        r = self._pick_booked(rng)
        if r is None:
            return None
        routes = self.rows("SELECT to_branch FROM one_way_fees WHERE from_branch = ? AND to_branch != ?",
                           r["pickup_branch"], r["return_branch"])
        cls = self.db.execute("SELECT class FROM cars WHERE id = ?", (r["car_id"],)).fetchone()[0]
        if not routes or (self._rule("premium_round_trip") and cls in PREMIUM):
            return None
        new = rng.choice(routes + [{"to_branch": r["pickup_branch"]}])["to_branch"]
        if new == r["return_branch"]:
            return None
        spec = {"driver": r["driver"], "branch": self._bname(r["pickup_branch"]), "start": r["pickup_date"],
                "new_branch": self._bname(new)}
        return TaskDraft(shape="change_return", instruction=self.render("change_return", rng, **spec),
                         solution=Program.of(solve_change_return, **spec),
                         verifier=Program.of(verify_rentals, legs=[], reroute=[[r["id"], new]], **self._rules()))


# ---- solutions: tools and computation only --------------------------------------------------------

def solve_car_rate(tools, params):
    return str(tools.get_car(plate=params["plate"])["daily_rate"])


def solve_one_way_fee(tools, params):
    return str(tools.get_one_way_fee(from_branch=params["a"], to_branch=params["b"])["fee"])


def solve_licence_years(tools, params):
    return str(tools.find_driver(name=params["driver"])["licence_years"])


def solve_count_available(tools, params):
    cars = tools.search_cars(branch=params["branch"], pickup_date=params["start"], return_date=params["end"],
                             car_class=params["car_class"])
    return str(len(cars))


def solve_cheapest_feature(tools, params):
    cars = tools.search_cars(branch=params["branch"], pickup_date=params["start"], return_date=params["end"])
    cars = [c for c in sorted(cars, key=lambda c: c["daily_rate"]) if tools.get_car(plate=c["plate"])[params["feature"]]]
    return cars[0]["plate"]


def solve_quote_total(tools, params):
    import datetime as dt

    car = tools.get_car(plate=params["plate"])
    driver = tools.find_driver(name=params["driver"])
    fee = tools.get_one_way_fee(from_branch=car["branch"], to_branch=params["ret"])["fee"]
    ins = {i["code"]: i["daily_price"] for i in tools.list_insurance()}[params["insurance"]]
    young = 12.0 if driver["age"] < 25 else 0.0
    days = (dt.date.fromisoformat(params["end"]) - dt.date.fromisoformat(params["start"])).days
    return str(round(days * (car["daily_rate"] + ins + young) + fee, 2))


def solve_driver_spend(tools, params):
    driver = tools.find_driver(name=params["driver"])
    rentals = tools.list_rentals(driver_id=driver["id"], status="completed")
    return str(round(sum(r["total"] for r in rentals), 2))


def solve_book_cheapest(tools, params):
    driver = tools.find_driver(name=params["driver"])
    classes = {c["class"]: c for c in tools.list_car_classes()}
    rule = classes[params["car_class"]]
    if driver["age"] < rule["min_age"] or driver["licence_years"] < rule["min_licence_years"]:
        return "The driver is not eligible for this class."
    cars = tools.search_cars(branch=params["branch"], pickup_date=params["start"], return_date=params["end"],
                             car_class=params["car_class"])
    car = min(cars, key=lambda c: c["daily_rate"])
    r = tools.book_rental(plate=car["plate"], driver_id=driver["id"], pickup_date=params["start"],
                          return_date=params["end"], return_branch=params["branch"], insurance=params["insurance"])
    return f"Booked rental {r['id']} for car {car['plate']}, total {r['total']}"


def solve_cancel_rental(tools, params):
    driver = tools.find_driver(name=params["driver"])
    for r in tools.list_rentals(driver_id=driver["id"], branch=params["branch"], status="booked"):
        if r["pickup_date"] == params["start"]:
            tools.cancel_rental(rental_id=r["id"])
            return f"Cancelled rental {r['id']}"
    return "No such rental"


def solve_extend_rental(tools, params):
    import datetime as dt

    driver = tools.find_driver(name=params["driver"])
    for r in tools.list_rentals(driver_id=driver["id"], branch=params["branch"], status="booked"):
        if r["pickup_date"] == params["start"]:
            end = (dt.date.fromisoformat(r["return_date"]) + dt.timedelta(days=params["extra"])).isoformat()
            new = tools.extend_rental(rental_id=r["id"], new_return_date=end)
            return f"Extended rental {r['id']} to {end}; total {new['total']}"
    return "No such rental"


def solve_one_way_trip(tools, params):
    import datetime as dt

    driver = tools.find_driver(name=params["driver"])
    days = (dt.date.fromisoformat(params["end"]) - dt.date.fromisoformat(params["start"])).days
    young = driver["age"] < 25
    code = "FULL" if days >= params["long_days"] or (young and params["young_full"]) else "PLUS"
    prices = {i["code"]: i["daily_price"] for i in tools.list_insurance()}
    classes = {c["class"]: c for c in tools.list_car_classes()}
    fee = tools.get_one_way_fee(from_branch=params["a"], to_branch=params["b"])["fee"]
    best = None
    for c in tools.search_cars(branch=params["a"], pickup_date=params["start"], return_date=params["end"]):
        rule = classes[c["class"]]
        if driver["age"] < rule["min_age"] or driver["licence_years"] < rule["min_licence_years"]:
            continue
        if params["premium_round"] and c["class"] in ("premium", "luxury"):
            continue
        if c["seats"] < params["seats"] or (params["gear"] != "any" and c["automatic"] != (params["gear"] == "automatic")):
            continue
        total = days * (c["daily_rate"] + prices[code] + (12.0 if young else 0.0)) + fee
        if total <= params["budget"] and (best is None or total < best[0]):
            best = (total, c["plate"])
    r = tools.book_rental(plate=best[1], driver_id=driver["id"], pickup_date=params["start"],
                          return_date=params["end"], return_branch=params["b"], insurance=code)
    return f"Booked rental {r['id']} with car {best[1]}, total {r['total']}"


def solve_multi_leg(tools, params):
    import datetime as dt

    driver = tools.find_driver(name=params["driver"])
    young = driver["age"] < 25
    prices = {i["code"]: i["daily_price"] for i in tools.list_insurance()}
    classes = {c["class"]: c for c in tools.list_car_classes()}
    plans = []
    for a, b, start, end in ((params["a"], params["b"], params["d1"], params["d2"]),
                             (params["b"], params["c"], params["d2"], params["d3"])):
        days = (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days
        code = "FULL" if days >= params["long_days"] or (young and params["young_full"]) else "BASIC"
        fee = tools.get_one_way_fee(from_branch=a, to_branch=b)["fee"]
        best = None
        for c in tools.search_cars(branch=a, pickup_date=start, return_date=end):
            rule = classes[c["class"]]
            if driver["age"] < rule["min_age"] or driver["licence_years"] < rule["min_licence_years"]:
                continue
            if c["class"] == "van" or c["seats"] < params["seats"]:
                continue
            if params["premium_round"] and c["class"] in ("premium", "luxury"):
                continue
            total = days * (c["daily_rate"] + prices[code] + (12.0 if young else 0.0)) + fee
            if best is None or total < best[0]:
                best = (total, c["plate"])
        plans.append((best, b, start, end, code))
    if sum(p[0][0] for p in plans) > params["budget"]:
        return "No plan fits the budget."
    booked = []
    for (total, plate), b, start, end, code in plans:
        r = tools.book_rental(plate=plate, driver_id=driver["id"], pickup_date=start, return_date=end,
                              return_branch=b, insurance=code)
        booked.append(r["id"])
    return f"Booked rentals {booked}"


def solve_car_maintenance(tools, params):
    car = tools.get_car(plate=params["plate"])
    for r in tools.list_rentals(plate=params["plate"], status="booked"):
        options = [c for c in tools.search_cars(branch=car["branch"], pickup_date=r["pickup_date"],
                                                return_date=r["return_date"], car_class=car["class"])
                   if c["plate"] != params["plate"]]
        tools.book_rental(plate=options[0]["plate"], driver_id=r["driver_id"], pickup_date=r["pickup_date"],
                          return_date=r["return_date"], return_branch=r["return_branch"], insurance=r["insurance"])
        tools.cancel_rental(rental_id=r["id"])
    tools.set_car_status(plate=params["plate"], status="maintenance")
    return f"Car {params['plate']} is in maintenance; its rentals were moved."


def solve_branch_closure(tools, params):
    for r in tools.list_rentals(branch=params["closing"], status="booked"):
        options = tools.search_cars(branch=params["target"], pickup_date=r["pickup_date"],
                                    return_date=r["return_date"], car_class=r["car_class"])
        ret = params["target"] if r["return_branch"] == params["closing"] else r["return_branch"]
        tools.cancel_rental(rental_id=r["id"])
        tools.book_rental(plate=options[0]["plate"], driver_id=r["driver_id"], pickup_date=r["pickup_date"],
                          return_date=r["return_date"], return_branch=ret, insurance=r["insurance"])
    for r in tools.list_rentals(return_branch=params["closing"], status="booked"):
        tools.change_return_branch(rental_id=r["id"], return_branch=params["target"])
    tools.close_branch(branch=params["closing"])
    return f"{params['closing']} closed; rentals moved to {params['target']}."


def solve_change_return(tools, params):
    driver = tools.find_driver(name=params["driver"])
    for r in tools.list_rentals(driver_id=driver["id"], branch=params["branch"], status="booked"):
        if r["pickup_date"] == params["start"]:
            new = tools.change_return_branch(rental_id=r["id"], return_branch=params["new_branch"])
            return f"Rental {r['id']} now returns at {new['return_branch']}; total {new['total']}"
    return "No such rental"


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_extension(outcome, params):
    from verifiers.state import diff_table, unchanged

    added, removed, changed = diff_table(outcome.initial, outcome.db, "rentals")
    if added or removed or [c["id"] for c in changed] != [params["rental_id"]]:
        return False, [f"expected only rental {params['rental_id']} to change"]
    r, reasons = changed[0], []
    if r["return_date"] != params["new_end"] or r["status"] != "booked":
        reasons.append(f"return date {r['return_date']} ({r['status']}), expected {params['new_end']}")
    if abs(r["total"] - params["total"]) > 0.01:
        reasons.append(f"total {r['total']} is not the recomputed {params['total']}")
    reasons += [f"table {t} changed" for t in unchanged(outcome.initial, outcome.db, ["cars", "branches", "drivers"])]
    return not reasons, reasons


def verify_rentals(outcome, params):
    """New rentals must match the requested legs and every policy rule; only listed cancellations, car statuses
    and branch closures may change besides them."""
    import datetime as dt

    from verifiers.state import diff_table

    added, removed, changed = diff_table(outcome.initial, outcome.db, "rentals")
    reasons = []
    cancel, reroute = set(params.get("cancel", [])), dict(params.get("reroute", []))
    if removed or {c["id"] for c in changed} != cancel | set(reroute):
        reasons.append(f"rentals changed {[c['id'] for c in changed]}, expected {sorted(cancel | set(reroute))}")
    reasons += [f"rental {c['id']} should be cancelled" for c in changed if c["id"] in cancel
                and c["status"] != "cancelled"]
    if len(added) != len(params["legs"]):
        return False, reasons + [f"expected {len(params['legs'])} new rentals, found {len(added)}"]
    cars = {c["id"]: c for c in outcome.initial_rows("SELECT c.*, k.min_age, k.min_licence_years FROM cars c "
                                                     "JOIN car_classes k ON k.class = c.class")}
    drivers = {d["id"]: d for d in outcome.initial_rows("SELECT * FROM drivers")}
    fees = {(f["from_branch"], f["to_branch"]): f["fee"] for f in outcome.initial_rows("SELECT * FROM one_way_fees")}
    prices = {i["code"]: i["daily_price"] for i in outcome.initial_rows("SELECT * FROM insurance")}
    final = outcome.rows("SELECT * FROM rentals WHERE status = 'booked'")
    for c in changed:
        if c["id"] not in reroute:
            continue
        old = outcome.initial_rows("SELECT * FROM rentals WHERE id = ?", c["id"])[0]
        car, driver = cars[c["car_id"]], drivers[c["driver_id"]]
        days = (dt.date.fromisoformat(c["return_date"]) - dt.date.fromisoformat(c["pickup_date"])).days
        fee = 0.0 if c["return_branch"] == c["pickup_branch"] else fees.get((c["pickup_branch"], c["return_branch"]), 0)
        total = days * (car["daily_rate"] + prices.get(c["insurance"], 0) + (12.0 if driver["age"] < 25 else 0)) + fee
        if c["return_branch"] != reroute[c["id"]] or c["status"] != "booked" or abs(c["total"] - total) > 0.01:
            reasons.append(f"rental {c['id']} should be booked, returned at branch {reroute[c['id']]}, total {total}")
        if {k: v for k, v in c.items() if k not in ("return_branch", "total")} != \
                {k: v for k, v in old.items() if k not in ("return_branch", "total")}:
            reasons.append(f"rental {c['id']} changed more than its return branch")
    left, spent = list(added), 0.0
    for leg in params["legs"]:
        match = [r for r in left if (r["driver_id"], r["pickup_branch"], r["pickup_date"], r["return_date"]) ==
                 (leg["driver_id"], leg["pickup"], leg["start"], leg["end"])]
        if not match:
            reasons.append(f"no new rental for driver {leg['driver_id']} from branch {leg['pickup']} "
                           f"{leg['start']} to {leg['end']}")
            continue
        r = match[0]
        left.remove(r)
        car, driver = cars[r["car_id"]], drivers[r["driver_id"]]
        days = (dt.date.fromisoformat(r["return_date"]) - dt.date.fromisoformat(r["pickup_date"])).days
        young = driver["age"] < 25
        problems = {
            "not booked": r["status"] != "booked",
            "car is not at the pickup branch": car["branch_id"] != leg["pickup"],
            "car was not available": car["status"] != "available",
            "wrong return branch": r["return_branch"] != leg["return"],
            "wrong insurance": leg.get("insurance") is not None and r["insurance"] != leg["insurance"],
            "wrong class": leg.get("classes") is not None and car["class"] not in leg["classes"],
            "too few seats": car["seats"] < leg.get("min_seats", 0),
            "wrong gearbox": leg.get("gear", "any") != "any" and bool(car["automatic"]) != (leg["gear"] == "automatic"),
            "van not allowed": leg.get("no_van", False) and car["class"] == "van",
            "not the cheapest car": leg.get("max_rate") is not None and car["daily_rate"] > leg["max_rate"] + 1e-9,
            "the car to retire was used": car["id"] == leg.get("not_car"),
            "driver not eligible for class": driver["age"] < car["min_age"]
            or driver["licence_years"] < car["min_licence_years"],
            "young driver without FULL cover": params.get("young_full") and young and r["insurance"] != "FULL",
            "premium car not returned to pickup": params.get("premium_round")
            and car["class"] in ("premium", "luxury") and r["return_branch"] != r["pickup_branch"],
            "no one-way route": r["return_branch"] != r["pickup_branch"]
            and (r["pickup_branch"], r["return_branch"]) not in fees,
            "overlaps another booking": any(o["id"] != r["id"] and o["car_id"] == r["car_id"]
                                            and o["pickup_date"] < r["return_date"]
                                            and r["pickup_date"] < o["return_date"] for o in final),
        }
        fee = 0.0 if r["return_branch"] == r["pickup_branch"] else fees.get((r["pickup_branch"], r["return_branch"]), 0)
        expected_total = days * (car["daily_rate"] + prices.get(r["insurance"], 0) + (12.0 if young else 0.0)) + fee
        problems["total does not follow the policy"] = abs(expected_total - r["total"]) > 0.01
        reasons += [f"rental {r['id']}: {p}" for p, bad in problems.items() if bad]
        spent += r["total"]
    if params.get("budget") is not None and spent > params["budget"] + 1e-9:
        reasons.append(f"rentals cost {spent}, over the budget {params['budget']}")
    _, _, car_changes = diff_table(outcome.initial, outcome.db, "cars")
    want = set(params.get("maintenance", []))
    if {c["id"] for c in car_changes} != want or any(c["status"] != "maintenance" for c in car_changes):
        reasons.append(f"car changes {[c['plate'] for c in car_changes]} differ from the request")
    _, _, branch_changes = diff_table(outcome.initial, outcome.db, "branches")
    closed = set(params.get("closed", []))
    if {b["id"] for b in branch_changes} != closed or any(b["open"] for b in branch_changes):
        reasons.append(f"branch changes {[b['name'] for b in branch_changes]} differ from the request")
    if any(diff_table(outcome.initial, outcome.db, "drivers")) or any(diff_table(outcome.initial, outcome.db,
                                                                                 "one_way_fees")):
        reasons.append("drivers or fees changed")
    return not reasons, reasons
