"""Car rental: branches in several cities, a fleet of cars, drivers with licence rules, rentals and one-way fees."""

from __future__ import annotations

import datetime as dt
import random

CITIES = [
    ("Lisbon", "LIS"),
    ("Porto", "OPO"),
    ("Madrid", "MAD"),
    ("Seville", "SVQ"),
    ("Valencia", "VLC"),
    ("Lyon", "LYS"),
    ("Nice", "NCE"),
    ("Turin", "TRN"),
    ("Bologna", "BLQ"),
    ("Vienna", "VIE"),
    ("Graz", "GRZ"),
    ("Krakow", "KRK"),
]
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
    "Noor",
    "Otto",
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
YOUNG_SURCHARGE = 12.0
PREMIUM = ("premium", "luxury")


def days_between(a: str, b: str) -> int:
    return (dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days


def plus_days(d: str, n: int) -> str:
    return (dt.date.fromisoformat(d) + dt.timedelta(days=n)).isoformat()


class CarRentalWorld:
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
            "small": (5, (7, 10), 45, 80),
            "medium": (7, (9, 13), 70, 130),
            "large": (9, (12, 16), 100, 200),
        }[self.variant.scale]
        cities = rng.sample(CITIES, n_cities)
        bid = 0
        for city, code in cities:
            for site in rng.sample(SITES, rng.choice([2, 2, 3])):
                bid += 1
                db.execute("INSERT INTO branches VALUES (?, ?, ?, ?, 1)", (bid, f"{code}{bid}", f"{city} {site}", city))
        db.executemany("INSERT INTO car_classes VALUES (?, ?, ?)", [(c, a, y) for c, a, y, _, _ in CLASSES])
        db.executemany("INSERT INTO insurance VALUES (?, ?, ?)", INSURANCE)
        weights = [5, 5, 4, 3, 2, 2, 1]
        plates = set()
        for b in range(1, bid + 1):
            for _ in range(rng.randint(*per_branch)):
                cls, _, _, models, (lo, hi) = rng.choices(CLASSES, weights)[0]
                plate = (
                    f"{rng.choice('ABCDEFGHKLMNPRSTVXZ')}{rng.choice('ABCDEFGHKLMNPRSTVXZ')}-{rng.randint(100, 999)}"
                )
                while plate in plates:
                    plate = plate[:3] + str(rng.randint(100, 999))
                plates.add(plate)
                db.execute(
                    "INSERT INTO cars (plate, branch_id, class, model, daily_rate, seats, automatic, gps, "
                    "child_seat, fuel, km_per_day, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        plate,
                        b,
                        cls,
                        rng.choice(models),
                        float(rng.randint(lo, hi)),
                        SEATS[cls] + (rng.choice([0, 0, 2]) if cls == "suv" else 0),
                        int(rng.random() < (0.8 if cls in PREMIUM else 0.45)),
                        int(rng.random() < 0.5),
                        int(rng.random() < 0.3),
                        rng.choice(FUELS),
                        rng.choice([0, 0, 200, 250, 300]),
                        "maintenance" if rng.random() < 0.06 else "available",
                    ),
                )
        for a in range(1, bid + 1):
            for b in range(1, bid + 1):
                same = self.value(
                    "SELECT (SELECT city FROM branches WHERE id = ?) = (SELECT city FROM branches WHERE id = ?)", a, b
                )
                if a != b and (same or rng.random() < 0.6):
                    db.execute(
                        "INSERT INTO one_way_fees (from_branch, to_branch, fee) VALUES (?, ?, ?)",
                        (a, b, 15.0 if same else float(rng.randint(6, 30) * 5)),
                    )
        names = rng.sample([f"{f} {s}" for f in FIRST for s in LAST], n_drivers)
        for i, name in enumerate(names):
            age = rng.choice([rng.randint(19, 24), rng.randint(25, 40), rng.randint(25, 70)])
            db.execute(
                "INSERT INTO drivers VALUES (?, ?, ?, ?, ?)",
                (i + 1, name, age, rng.randint(0, max(1, age - 18)), rng.choice(cities)[0]),
            )
        self.today = dt.date(2026, rng.randint(3, 9), 1)
        self._seed_rentals(rng, n_rentals)

    def _seed_rentals(self, rng: random.Random, n: int) -> None:
        cars = self.rows(
            "SELECT c.*, k.min_age, k.min_licence_years FROM cars c JOIN car_classes k "
            "ON k.class = c.class WHERE c.status = 'available'"
        )
        drivers = self.rows("SELECT * FROM drivers")
        start = self.today
        for _ in range(n * 2):
            if self.value("SELECT COUNT(*) FROM rentals") >= n:
                break
            car, driver = rng.choice(cars), rng.choice(drivers)
            if driver["age"] < car["min_age"] or driver["licence_years"] < car["min_licence_years"]:
                continue
            past = rng.random() < 0.35
            pickup = (start + dt.timedelta(days=rng.randint(-40, -6) if past else rng.randint(1, 34))).isoformat()
            ret = plus_days(pickup, rng.randint(1, 6))
            ret_branch = car["branch_id"]
            if rng.random() < 0.2 and car["class"] not in PREMIUM:
                route = self.column(
                    "SELECT to_branch FROM one_way_fees WHERE from_branch = ? ORDER BY id", car["branch_id"]
                )
                if route:
                    ret_branch = rng.choice(route)
            if self._overlaps(car["id"], pickup, ret):
                continue
            insurance = "FULL" if driver["age"] < 25 else rng.choice(["BASIC", "PLUS", "FULL"])
            total = self._price(car, driver, pickup, ret, insurance, car["branch_id"], ret_branch)
            status = (
                rng.choice(["completed", "completed", "completed", "cancelled"])
                if past
                else rng.choice(["booked"] * 6 + ["cancelled"])
            )
            self.db.execute(
                "INSERT INTO rentals (car_id, driver_id, pickup_branch, return_branch, pickup_date, "
                "return_date, insurance, total, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (car["id"], driver["id"], car["branch_id"], ret_branch, pickup, ret, insurance, total, status),
            )
