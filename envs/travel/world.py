"""The travel agency's world: its cities, hotels, airlines and guests, and how an instance's database is built."""

from __future__ import annotations

import datetime as dt
import random

CITIES = [
    ("Lisbon", "Portugal"),
    ("Porto", "Portugal"),
    ("Madrid", "Spain"),
    ("Seville", "Spain"),
    ("Valencia", "Spain"),
    ("Lyon", "France"),
    ("Nice", "France"),
    ("Bordeaux", "France"),
    ("Turin", "Italy"),
    ("Bologna", "Italy"),
    ("Naples", "Italy"),
    ("Vienna", "Austria"),
    ("Graz", "Austria"),
    ("Krakow", "Poland"),
    ("Gdansk", "Poland"),
    ("Ghent", "Belgium"),
]
HOTEL_FIRST = [
    "Grand",
    "Royal",
    "Old Town",
    "Harbour",
    "Garden",
    "Central",
    "Riverside",
    "Park",
    "Golden",
    "Blue",
    "Silver",
    "Station",
    "Castle",
    "Market",
    "Summit",
    "Lantern",
]
HOTEL_LAST = ["Hotel", "Inn", "Suites", "Lodge", "Residence", "House", "Palace", "Rooms"]
AIRLINES = ["Aerolux", "SkyWays", "Mistral Air", "Nordlight", "Iberwing"]
CONDITIONS = ["sunny", "sunny", "cloudy", "rainy", "windy"]
ATTRACTION_KINDS = ["museum", "park", "tour", "market", "gallery"]
GUESTS = [
    "Ana Silva",
    "Ben Okafor",
    "Chen Wei",
    "Dara Walsh",
    "Eli Novak",
    "Farah Haddad",
    "Gus Berg",
    "Hana Sato",
    "Ivan Petrov",
    "Jade Moreau",
    "Kai Lindqvist",
    "Lena Fischer",
]


class TravelWorld:
    def build(self, rng: random.Random) -> None:
        db = self.db
        db.executescript("""
            CREATE TABLE cities (id INTEGER PRIMARY KEY, name TEXT UNIQUE, country TEXT);
            CREATE TABLE hotels (id INTEGER PRIMARY KEY, name TEXT, city_id INTEGER REFERENCES cities(id),
                stars INTEGER, rating REAL, price REAL, breakfast INTEGER, pool INTEGER, rooms INTEGER);
            CREATE TABLE flights (id INTEGER PRIMARY KEY, code TEXT UNIQUE, origin_id INTEGER, dest_id INTEGER,
                date TEXT, depart TEXT, airline TEXT, price REAL, seats INTEGER);
            CREATE TABLE weather (city_id INTEGER, date TEXT, condition TEXT, high_c INTEGER,
                PRIMARY KEY (city_id, date));
            CREATE TABLE attractions (id INTEGER PRIMARY KEY, city_id INTEGER, name TEXT, kind TEXT,
                price REAL, rating REAL);
            CREATE TABLE bookings (id INTEGER PRIMARY KEY, hotel_id INTEGER, guest TEXT, check_in TEXT,
                nights INTEGER, total REAL, status TEXT);
            CREATE TABLE flight_bookings (id INTEGER PRIMARY KEY, flight_id INTEGER, passenger TEXT, status TEXT);
        """)
        n_cities, hotels_per_city = {
            "small": ((6, 8), (5, 8)),
            "medium": ((9, 12), (8, 13)),
            "large": ((13, 16), (12, 18)),
        }[self.variant.scale]
        cities = rng.sample(CITIES, rng.randint(*n_cities))
        db.executemany(
            "INSERT INTO cities (id, name, country) VALUES (?, ?, ?)",
            [(i + 1, c, k) for i, (c, k) in enumerate(cities)],
        )
        start = dt.date(2026, rng.randint(4, 9), 1)
        self_dates = [(start + dt.timedelta(days=d)).isoformat() for d in range(10)]
        hotel_id = 0
        for city_id in range(1, len(cities) + 1):
            names = rng.sample([f"{a} {b}" for a in HOTEL_FIRST for b in HOTEL_LAST], rng.randint(*hotels_per_city))
            for name in names:
                hotel_id += 1
                stars = rng.randint(1, 5)
                db.execute(
                    "INSERT INTO hotels VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        hotel_id,
                        name,
                        city_id,
                        stars,
                        round(rng.uniform(5.5, 9.8), 1),
                        float(rng.randint(35, 70) + stars * rng.randint(15, 45)),
                        int(rng.random() < 0.55),
                        int(rng.random() < 0.3),
                        rng.randint(0, 6),
                    ),
                )
            for date in self_dates:
                db.execute(
                    "INSERT INTO weather VALUES (?, ?, ?, ?)",
                    (city_id, date, rng.choice(CONDITIONS), rng.randint(12, 33)),
                )
            for n in range(rng.randint(4, 8)):
                kind = rng.choice(ATTRACTION_KINDS)
                db.execute(
                    "INSERT INTO attractions (city_id, name, kind, price, rating) VALUES (?, ?, ?, ?, ?)",
                    (
                        city_id,
                        f"{cities[city_id - 1][0]} {kind.title()} {n + 1}",
                        kind,
                        float(rng.choice([0, 0, 8, 12, 15, 20, 30])),
                        round(rng.uniform(3.0, 5.0), 1),
                    ),
                )
        code = 100
        for origin in range(1, len(cities) + 1):
            for dest in rng.sample(range(1, len(cities) + 1), 4):
                if dest == origin:
                    continue
                for date in rng.sample(self_dates, 4):
                    code += rng.randint(1, 9)
                    db.execute(
                        "INSERT INTO flights (code, origin_id, dest_id, date, depart, airline, price, seats) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            f"{rng.choice('ABCDEFGHJK')}{rng.choice('LMNPRSTVX')}{code}",
                            origin,
                            dest,
                            date,
                            f"{rng.randint(6, 21):02d}:{rng.choice(['00', '15', '30', '45'])}",
                            rng.choice(AIRLINES),
                            float(rng.randint(39, 260)),
                            rng.randint(0, 9),
                        ),
                    )
        hotels = self.rows("SELECT id, price FROM hotels")
        for i in range(rng.randint(15, 30)):
            h = rng.choice(hotels)
            nights = rng.randint(1, 5)
            db.execute(
                "INSERT INTO bookings (hotel_id, guest, check_in, nights, total, status) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    h["id"],
                    rng.choice(GUESTS),
                    rng.choice(self_dates),
                    nights,
                    h["price"] * nights,
                    rng.choice(["confirmed", "confirmed", "confirmed", "cancelled"]),
                ),
            )
