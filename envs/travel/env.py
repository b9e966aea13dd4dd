"""Trip planning: cities, hotels, flights, weather and attractions, with hotel and flight bookings."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool
from verifiers.common import verify_names, verify_number

CITIES = [
    ("Lisbon", "Portugal"), ("Porto", "Portugal"), ("Madrid", "Spain"), ("Seville", "Spain"),
    ("Valencia", "Spain"), ("Lyon", "France"), ("Nice", "France"), ("Bordeaux", "France"),
    ("Turin", "Italy"), ("Bologna", "Italy"), ("Naples", "Italy"), ("Vienna", "Austria"),
    ("Graz", "Austria"), ("Krakow", "Poland"), ("Gdansk", "Poland"), ("Ghent", "Belgium"),
]
HOTEL_FIRST = ["Grand", "Royal", "Old Town", "Harbour", "Garden", "Central", "Riverside", "Park", "Golden",
               "Blue", "Silver", "Station", "Castle", "Market", "Summit", "Lantern"]
HOTEL_LAST = ["Hotel", "Inn", "Suites", "Lodge", "Residence", "House", "Palace", "Rooms"]
AIRLINES = ["Aerolux", "SkyWays", "Mistral Air", "Nordlight", "Iberwing"]
CONDITIONS = ["sunny", "sunny", "cloudy", "rainy", "windy"]
ATTRACTION_KINDS = ["museum", "park", "tour", "market", "gallery"]
GUESTS = ["Ana Silva", "Ben Okafor", "Chen Wei", "Dara Walsh", "Eli Novak", "Farah Haddad", "Gus Berg",
          "Hana Sato", "Ivan Petrov", "Jade Moreau", "Kai Lindqvist", "Lena Fischer"]


class TravelEnv(EnvTemplate):
    name = "travel"
    version = "1.2.0"
    category = "trip planning"
    description = ("A travel agency's booking system: search cities, hotels, flights, weather and attractions, "
                   "and book hotels and flights for guests.")
    policy = ("Book only what the guest asked for. A hotel booking's total is the nightly price times the nights. "
              "Never exceed a stated budget. Cancel a booking only when the guest asks.")
    variants = VariantSpace(
        optional_tools=("list_attractions", "get_flight", "get_booking"),
        renames={"search_hotels": ("find_hotels", "hotel_search"), "book_hotel": ("reserve_room",),
                 "search_flights": ("find_flights",)},
        rules={"min_three_stars": "Never book a hotel below 3 stars."},
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "hotel_rating": [
            "What guest rating does {{hotel}} in {{city}} have?",
            "I'm looking at {{hotel}} in {{city}}. How is it rated by guests?",
            "Tell me the guest rating of the {{city}} hotel called {{hotel}}.",
        ],
        "flight_price": [
            "How much does flight {{code}} cost?",
            "What is the ticket price of flight {{code}}?",
            "Look up flight {{code}} and tell me its price.",
        ],
        "cheapest_rated_hotel": [
            "Which hotel in {{city}} with a guest rating of at least {{rating}} has the lowest nightly price?",
            "Find me the cheapest hotel in {{city}} rated {{rating}} or better. Just the name, please.",
            "Among {{city}} hotels rated at least {{rating}}, which one costs the least per night?",
        ],
        "average_price": [
            "What is the average nightly price of the {{stars}}-star hotels in {{city}}? Round to 2 decimals.",
            "Compute the mean price per night across {{stars}}-star hotels in {{city}} (2 decimals).",
        ],
        "rainy_cities": [
            "On {{date}}, which cities in {{country}} are forecast to be rainy?",
            "List the {{country}} cities where rain is expected on {{date}}.",
        ],
        "book_hotel": [
            "Book a hotel in {{city}} for {{guest}}: check-in {{date}}, {{nights}} nights, guest rating at least "
            "{{rating}}, breakfast included, and a total of no more than {{budget}}.",
            "{{guest}} needs {{nights}} nights in {{city}} from {{date}}. The hotel must include breakfast, be rated "
            "{{rating}} or higher, and the whole stay must cost at most {{budget}}. Please book it.",
        ],
        "trip": [
            "Plan {{guest}}'s trip from {{origin}} to {{city}} on {{date}}: book a flight with free seats and a hotel "
            "in {{city}} from that day for {{nights}} nights rated at least {{rating}}. Flight plus hotel must stay "
            "within {{budget}}. If rain is forecast in {{city}} that day, the hotel must have a pool.",
            "{{guest}} flies from {{origin}} to {{city}} on {{date}} and stays {{nights}} nights. Book the flight and "
            "a hotel rated {{rating}}+ there, spending no more than {{budget}} in total; should the forecast for "
            "{{city}} on arrival be rainy, only hotels with a pool will do.",
        ],
        "two_city_trip": [
            "{{guest}} travels {{origin}} -> {{first}} on {{date}}, then {{first}} -> {{second}} on {{date2}}, and stays "
            "in {{second}} for {{nights2}} nights. Book both flights (free seats needed) and a hotel in each city for "
            "the nights in between, every hotel rated at least {{rating}}. The whole trip must cost at most {{budget}}. "
            "In any city where rain is forecast on the arrival day, the hotel must have a pool.",
            "Organise a two-city trip for {{guest}}: fly from {{origin}} to {{first}} on {{date}}, on to {{second}} on "
            "{{date2}}, and {{nights2}} nights in {{second}}. Hotels must be rated {{rating}} or better and, where "
            "it rains on arrival, have a pool. Flights and hotels together may not exceed {{budget}}.",
        ],
        "rebook": [
            "{{guest}} wants to move booking {{booking_id}} to the cheapest hotel in the same city with at least as "
            "many stars, same dates. Cancel the old booking and make the new one.",
            "Please cancel booking {{booking_id}} for {{guest}} and rebook the same dates at the lowest-priced hotel "
            "in that city whose star rating is not lower.",
        ],
    }

    # ---- database ---------------------------------------------------------------------------------

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
        n_cities, hotels_per_city = {"small": ((6, 8), (5, 8)), "medium": ((9, 12), (8, 13)),
                                     "large": ((13, 16), (12, 18))}[self.variant.scale]
        cities = rng.sample(CITIES, rng.randint(*n_cities))
        db.executemany("INSERT INTO cities (id, name, country) VALUES (?, ?, ?)",
                       [(i + 1, c, k) for i, (c, k) in enumerate(cities)])
        start = dt.date(2026, rng.randint(4, 9), 1)
        self_dates = [(start + dt.timedelta(days=d)).isoformat() for d in range(10)]
        hotel_id = 0
        for city_id in range(1, len(cities) + 1):
            names = rng.sample([f"{a} {b}" for a in HOTEL_FIRST for b in HOTEL_LAST], rng.randint(*hotels_per_city))
            for name in names:
                hotel_id += 1
                stars = rng.randint(1, 5)
                db.execute("INSERT INTO hotels VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (
                    hotel_id, name, city_id, stars, round(rng.uniform(5.5, 9.8), 1),
                    float(rng.randint(35, 70) + stars * rng.randint(15, 45)),
                    int(rng.random() < 0.55), int(rng.random() < 0.3), rng.randint(0, 6)))
            for date in self_dates:
                db.execute("INSERT INTO weather VALUES (?, ?, ?, ?)",
                           (city_id, date, rng.choice(CONDITIONS), rng.randint(12, 33)))
            for n in range(rng.randint(4, 8)):
                kind = rng.choice(ATTRACTION_KINDS)
                db.execute("INSERT INTO attractions (city_id, name, kind, price, rating) VALUES (?, ?, ?, ?, ?)",
                           (city_id, f"{cities[city_id - 1][0]} {kind.title()} {n + 1}", kind,
                            float(rng.choice([0, 0, 8, 12, 15, 20, 30])), round(rng.uniform(3.0, 5.0), 1)))
        code = 100
        for origin in range(1, len(cities) + 1):
            for dest in rng.sample(range(1, len(cities) + 1), 4):
                if dest == origin:
                    continue
                for date in rng.sample(self_dates, 4):
                    code += rng.randint(1, 9)
                    db.execute("INSERT INTO flights (code, origin_id, dest_id, date, depart, airline, price, seats) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               (f"{rng.choice('ABCDEFGHJK')}{rng.choice('LMNPRSTVX')}{code}", origin, dest, date,
                                f"{rng.randint(6, 21):02d}:{rng.choice(['00', '15', '30', '45'])}",
                                rng.choice(AIRLINES), float(rng.randint(39, 260)), rng.randint(0, 9)))
        hotels = self.rows("SELECT id, price FROM hotels")
        for i in range(rng.randint(15, 30)):
            h = rng.choice(hotels)
            nights = rng.randint(1, 5)
            db.execute("INSERT INTO bookings (hotel_id, guest, check_in, nights, total, status) VALUES (?, ?, ?, ?, ?, ?)",
                       (h["id"], rng.choice(GUESTS), rng.choice(self_dates), nights, h["price"] * nights,
                        rng.choice(["confirmed", "confirmed", "confirmed", "cancelled"])))

    # ---- tools --------------------------------------------------------------------------------------

    def _city(self, city: str) -> dict:
        row = self.db.execute("SELECT * FROM cities WHERE lower(name) = lower(?)", (city,)).fetchone()
        if row is None:
            raise ValueError(f"unknown city {city!r}; call list_cities to see the cities served")
        return dict(row)

    @tool("read")
    def list_cities(self, country: str | None = None) -> list[dict]:
        """List the cities served, optionally only those of one country.

        Args:
            country: Country name to filter by.
        """
        if country:
            return self.rows("SELECT name, country FROM cities WHERE lower(country) = lower(?) ORDER BY name", country)
        return self.rows("SELECT name, country FROM cities ORDER BY name")

    @tool("read")
    def search_hotels(self, city: str, min_rating: float = 0.0, max_price: float | None = None,
                      min_stars: int = 1) -> list[dict]:
        """Search the hotels of a city. Returns id, name, stars, guest rating (0-10) and nightly price.

        Args:
            city: City name.
            min_rating: Lowest acceptable guest rating.
            max_price: Highest acceptable nightly price.
            min_stars: Lowest acceptable star class (1-5).
        """
        city_id = self._city(city)["id"]
        return self.rows(
            "SELECT id, name, stars, rating, price FROM hotels WHERE city_id = ? AND rating >= ? AND stars >= ? "
            "AND price <= ? ORDER BY id", city_id, min_rating, min_stars, max_price if max_price is not None else 1e18)

    @tool("read")
    def get_hotel(self, hotel_id: int) -> dict:
        """Full details of one hotel: amenities (breakfast, pool) and rooms left included.

        Args:
            hotel_id: The hotel's id from search_hotels.
        """
        row = self.db.execute("SELECT h.*, c.name AS city FROM hotels h JOIN cities c ON c.id = h.city_id "
                              "WHERE h.id = ?", (hotel_id,)).fetchone()
        if row is None:
            raise ValueError(f"no hotel with id {hotel_id}")
        hotel = dict(row)
        hotel["breakfast"], hotel["pool"] = bool(hotel["breakfast"]), bool(hotel["pool"])
        hotel.pop("city_id")
        return hotel

    @tool("read")
    def search_flights(self, origin: str, destination: str, date: str | None = None) -> list[dict]:
        """Flights between two cities, optionally on one date (YYYY-MM-DD), with price and free seats.

        Args:
            origin: Departure city.
            destination: Arrival city.
            date: Travel date, YYYY-MM-DD.
        """
        o, d = self._city(origin)["id"], self._city(destination)["id"]
        sql = ("SELECT id, code, date, depart, airline, price, seats FROM flights WHERE origin_id = ? AND dest_id = ?"
               + (" AND date = ?" if date else "") + " ORDER BY date, depart")
        return self.rows(sql, o, d, *([date] if date else []))

    @tool("read")
    def get_flight(self, code: str) -> dict:
        """One flight by its code.

        Args:
            code: Flight code such as AL123.
        """
        row = self.db.execute(
            "SELECT f.id, f.code, o.name AS origin, d.name AS destination, f.date, f.depart, f.airline, f.price, "
            "f.seats FROM flights f JOIN cities o ON o.id = f.origin_id JOIN cities d ON d.id = f.dest_id "
            "WHERE upper(f.code) = upper(?)", (code,)).fetchone()
        if row is None:
            raise ValueError(f"no flight {code!r}")
        return dict(row)

    @tool("read")
    def get_weather(self, city: str, date: str) -> dict:
        """Weather forecast of a city on a date (YYYY-MM-DD).

        Args:
            city: City name.
            date: Date, YYYY-MM-DD.
        """
        row = self.db.execute("SELECT condition, high_c FROM weather WHERE city_id = ? AND date = ?",
                              (self._city(city)["id"], date)).fetchone()
        if row is None:
            raise ValueError(f"no forecast for {city} on {date}")
        return {"city": city, "date": date, **dict(row)}

    @tool("read")
    def list_attractions(self, city: str, kind: str | None = None) -> list[dict]:
        """Attractions of a city, optionally of one kind (museum, park, tour, market, gallery).

        Args:
            city: City name.
            kind: Kind of attraction.
        """
        city_id = self._city(city)["id"]
        return self.rows("SELECT id, name, kind, price, rating FROM attractions WHERE city_id = ? "
                         "AND (? IS NULL OR kind = ?) ORDER BY id", city_id, kind, kind)

    @tool("read")
    def get_booking(self, booking_id: int) -> dict:
        """One hotel booking by id.

        Args:
            booking_id: Booking id.
        """
        row = self.db.execute("SELECT * FROM bookings WHERE id = ?", (booking_id,)).fetchone()
        if row is None:
            raise ValueError(f"no booking {booking_id}")
        return dict(row)

    @tool("write")
    def book_hotel(self, hotel_id: int, guest: str, check_in: str, nights: int) -> dict:
        """Book a room. The total is the nightly price times the nights.

        Args:
            hotel_id: Hotel id.
            guest: Guest's full name.
            check_in: Check-in date, YYYY-MM-DD.
            nights: Number of nights (1-14).
        """
        if not 1 <= nights <= 14:
            raise ValueError("nights must be between 1 and 14")
        dt.date.fromisoformat(check_in)
        hotel = self.db.execute("SELECT price, rooms, stars FROM hotels WHERE id = ?", (hotel_id,)).fetchone()
        if hotel is None:
            raise ValueError(f"no hotel with id {hotel_id}")
        if hotel["stars"] < self._min_stars():
            raise ValueError(f"policy: hotels below {self._min_stars()} stars may not be booked")
        if hotel["rooms"] < 1:
            raise ValueError("no rooms left at this hotel")
        self.db.execute("UPDATE hotels SET rooms = rooms - 1 WHERE id = ?", (hotel_id,))
        cur = self.db.execute("INSERT INTO bookings (hotel_id, guest, check_in, nights, total, status) "
                              "VALUES (?, ?, ?, ?, ?, 'confirmed')", (hotel_id, guest, check_in, nights,
                                                                      hotel["price"] * nights))
        return self.get_booking(cur.lastrowid)

    @tool("write")
    def cancel_booking(self, booking_id: int) -> dict:
        """Cancel a confirmed hotel booking and free its room.

        Args:
            booking_id: Booking id.
        """
        booking = self.get_booking(booking_id)
        if booking["status"] != "confirmed":
            raise ValueError(f"booking {booking_id} is {booking['status']}, not confirmed")
        self.db.execute("UPDATE bookings SET status = 'cancelled' WHERE id = ?", (booking_id,))
        self.db.execute("UPDATE hotels SET rooms = rooms + 1 WHERE id = ?", (booking["hotel_id"],))
        return self.get_booking(booking_id)

    @tool("write")
    def book_flight(self, flight_id: int, passenger: str) -> dict:
        """Book one seat on a flight.

        Args:
            flight_id: Flight id from search_flights.
            passenger: Passenger's full name.
        """
        flight = self.db.execute("SELECT seats FROM flights WHERE id = ?", (flight_id,)).fetchone()
        if flight is None:
            raise ValueError(f"no flight with id {flight_id}")
        if flight["seats"] < 1:
            raise ValueError("this flight is full")
        self.db.execute("UPDATE flights SET seats = seats - 1 WHERE id = ?", (flight_id,))
        cur = self.db.execute("INSERT INTO flight_bookings (flight_id, passenger, status) VALUES (?, ?, 'confirmed')",
                              (flight_id, passenger))
        return {"id": cur.lastrowid, "flight_id": flight_id, "passenger": passenger, "status": "confirmed"}

    # ---- proposers ----------------------------------------------------------------------------------

    def _min_stars(self) -> int:
        return 3 if "min_three_stars" in self.variant.rules else 1

    def _dates(self) -> list[str]:
        return [r["date"] for r in self.rows("SELECT DISTINCT date FROM weather ORDER BY date")]

    @proposer(difficulty=1)
    def propose_hotel_rating(self, rng: random.Random) -> TaskDraft | None:
        hotel = rng.choice(self.rows("SELECT h.id, h.name, h.rating, c.name AS city FROM hotels h "
                                     "JOIN cities c ON c.id = h.city_id"))
        same = self.rows("SELECT rating FROM hotels h JOIN cities c ON c.id = h.city_id WHERE h.name = ? AND c.name = ?",
                         hotel["name"], hotel["city"])
        if len(same) != 1:
            return None
        return TaskDraft(
            shape="hotel_rating",
            instruction=self.render("hotel_rating", rng, hotel=hotel["name"], city=hotel["city"]),
            solution=Program.of(solve_hotel_rating, hotel=hotel["name"], city=hotel["city"]),
            verifier=Program.of(verify_number, expected=hotel["rating"], tolerance=0.05),
            tools=("list_cities", "search_hotels", "get_hotel"),
        )

    @proposer(difficulty=1)
    def propose_flight_price(self, rng: random.Random) -> TaskDraft | None:
        flight = rng.choice(self.rows("SELECT code, price FROM flights"))
        return TaskDraft(
            shape="flight_price",
            instruction=self.render("flight_price", rng, code=flight["code"]),
            solution=Program.of(solve_flight_price, code=flight["code"]),
            verifier=Program.of(verify_number, expected=flight["price"], tolerance=0.01),
            tools=("get_flight", "search_flights", "list_cities"),
        )

    @proposer(difficulty=2)
    def propose_cheapest_rated_hotel(self, rng: random.Random) -> TaskDraft | None:
        city = rng.choice(self.rows("SELECT id, name FROM cities"))
        rating = rng.choice([6.5, 7.0, 7.5, 8.0, 8.5])
        hotels = self.rows("SELECT name, price, rating FROM hotels WHERE city_id = ?", city["id"])
        ok = sorted((h for h in hotels if h["rating"] >= rating), key=lambda h: h["price"])
        if not ok or (len(ok) > 1 and ok[0]["price"] == ok[1]["price"]):
            return None
        return TaskDraft(
            shape="cheapest_rated_hotel",
            instruction=self.render("cheapest_rated_hotel", rng, city=city["name"], rating=rating),
            solution=Program.of(solve_cheapest_rated_hotel, city=city["name"], rating=rating),
            verifier=Program.of(verify_names, expected=[ok[0]["name"]], candidates=[h["name"] for h in hotels]),
            tools=("list_cities", "search_hotels", "get_hotel", "get_weather"),
        )

    @proposer(difficulty=2)
    def propose_average_price(self, rng: random.Random) -> TaskDraft | None:
        city = rng.choice(self.rows("SELECT id, name FROM cities"))
        stars = rng.randint(2, 4)
        prices = [h["price"] for h in self.rows("SELECT price FROM hotels WHERE city_id = ? AND stars = ?",
                                                city["id"], stars)]
        if len(prices) < 2:
            return None
        return TaskDraft(
            shape="average_price",
            instruction=self.render("average_price", rng, city=city["name"], stars=stars),
            solution=Program.of(solve_average_price, city=city["name"], stars=stars),
            verifier=Program.of(verify_number, expected=round(sum(prices) / len(prices), 2), tolerance=0.01),
        )

    @proposer(difficulty=2)
    def propose_rainy_cities(self, rng: random.Random) -> TaskDraft | None:
        countries = [r["country"] for r in self.rows("SELECT country FROM cities GROUP BY country HAVING COUNT(*) >= 2")]
        if not countries:
            return None
        country, date = rng.choice(countries), rng.choice(self._dates())
        cities = self.rows("SELECT c.name, w.condition FROM cities c JOIN weather w ON w.city_id = c.id "
                           "WHERE c.country = ? AND w.date = ?", country, date)
        rainy = [c["name"] for c in cities if c["condition"] == "rainy"]
        if not rainy:
            return None
        return TaskDraft(
            shape="rainy_cities",
            instruction=self.render("rainy_cities", rng, country=country, date=date),
            solution=Program.of(solve_rainy_cities, country=country, date=date),
            verifier=Program.of(verify_names, expected=rainy, candidates=[c["name"] for c in cities]),
            tools=("list_cities", "get_weather", "list_attractions"),
        )

    @proposer(difficulty=3)
    def propose_book_hotel(self, rng: random.Random) -> TaskDraft | None:
        city = rng.choice(self.rows("SELECT id, name FROM cities"))
        nights, rating = rng.randint(2, 5), rng.choice([7.0, 7.5, 8.0])
        ok = self.rows("SELECT price FROM hotels WHERE city_id = ? AND rating >= ? AND breakfast = 1 AND rooms > 0 "
                       "AND stars >= ?", city["id"], rating, self._min_stars())
        if not ok:
            return None
        cheapest = min(h["price"] for h in ok) * nights
        budget = float(int(cheapest * rng.uniform(1.0, 1.25)) + 1)
        guest, date = rng.choice(GUESTS), rng.choice(self._dates())
        spec = {"city": city["name"], "guest": guest, "date": date, "nights": nights, "rating": rating,
                "budget": budget}
        rules = {"min_stars": self._min_stars()}
        return TaskDraft(
            shape="book_hotel",
            instruction=self.render("book_hotel", rng, **spec),
            solution=Program.of(solve_book_hotel, **spec, **rules),
            verifier=Program.of(verify_hotel_booking, **spec, **rules, breakfast=True),
        )

    @proposer(difficulty=4)
    def propose_trip(self, rng: random.Random) -> TaskDraft | None:
        flight = rng.choice(self.rows(
            "SELECT f.*, o.name AS origin, d.name AS city FROM flights f JOIN cities o ON o.id = f.origin_id "
            "JOIN cities d ON d.id = f.dest_id WHERE f.seats > 0"))
        nights, rating = rng.randint(2, 4), rng.choice([7.0, 7.5, 8.0])
        rain = self.db.execute("SELECT condition FROM weather WHERE city_id = ? AND date = ?",
                               (flight["dest_id"], flight["date"])).fetchone()["condition"] == "rainy"
        hotels = self.rows("SELECT price FROM hotels WHERE city_id = ? AND rating >= ? AND rooms > 0 AND stars >= ?"
                           + (" AND pool = 1" if rain else ""), flight["dest_id"], rating, self._min_stars())
        cheapest_flight = min(f["price"] for f in self.rows(
            "SELECT price FROM flights WHERE origin_id = ? AND dest_id = ? AND date = ? AND seats > 0",
            flight["origin_id"], flight["dest_id"], flight["date"]))
        if not hotels:
            return None
        budget = float(int((cheapest_flight + min(h["price"] for h in hotels) * nights) * rng.uniform(1.0, 1.2)) + 1)
        spec = {"guest": rng.choice(GUESTS), "origin": flight["origin"], "city": flight["city"],
                "date": flight["date"], "nights": nights, "rating": rating, "budget": budget}
        return TaskDraft(
            shape="trip",
            instruction=self.render("trip", rng, **spec),
            solution=Program.of(solve_trip, **spec, min_stars=self._min_stars()),
            verifier=Program.of(verify_trip, **spec, min_stars=self._min_stars()),
        )

    @proposer(difficulty=5)
    def propose_two_city_trip(self, rng: random.Random) -> TaskDraft | None:
        legs = self.rows(
            "SELECT f1.origin_id, f1.dest_id AS first_id, f2.dest_id AS second_id, f1.date, f2.date AS date2 "
            "FROM flights f1 JOIN flights f2 ON f2.origin_id = f1.dest_id AND f2.date > f1.date "
            "WHERE f1.seats > 0 AND f2.seats > 0 AND f2.dest_id != f1.origin_id "
            "GROUP BY f1.origin_id, f1.dest_id, f2.dest_id, f1.date, f2.date ORDER BY 1, 2, 3, 4, 5")
        if not legs:
            return None
        leg = rng.choice(legs)
        nights1 = (dt.date.fromisoformat(leg["date2"]) - dt.date.fromisoformat(leg["date"])).days
        nights2, rating = rng.randint(1, 3), rng.choice([6.5, 7.0, 7.5])
        if nights1 > 14:
            return None
        cost = 0.0
        for city_id, date, nights in ((leg["first_id"], leg["date"], nights1), (leg["second_id"], leg["date2"], nights2)):
            rain = self.db.execute("SELECT condition FROM weather WHERE city_id = ? AND date = ?",
                                   (city_id, date)).fetchone()["condition"] == "rainy"
            hotels = self.rows("SELECT price FROM hotels WHERE city_id = ? AND rating >= ? AND rooms > 0 AND stars >= ?"
                               + (" AND pool = 1" if rain else ""), city_id, rating, self._min_stars())
            if not hotels:
                return None
            cost += min(h["price"] for h in hotels) * nights
        for origin, dest, date in ((leg["origin_id"], leg["first_id"], leg["date"]),
                                   (leg["first_id"], leg["second_id"], leg["date2"])):
            cost += min(f["price"] for f in self.rows(
                "SELECT price FROM flights WHERE origin_id = ? AND dest_id = ? AND date = ? AND seats > 0",
                origin, dest, date))
        name = {c["id"]: c["name"] for c in self.rows("SELECT id, name FROM cities")}
        spec = {"guest": rng.choice(GUESTS), "origin": name[leg["origin_id"]], "first": name[leg["first_id"]],
                "second": name[leg["second_id"]], "date": leg["date"], "date2": leg["date2"], "nights2": nights2,
                "rating": rating, "budget": float(int(cost * rng.uniform(1.0, 1.15)) + 1)}
        return TaskDraft(
            shape="two_city_trip",
            instruction=self.render("two_city_trip", rng, **spec),
            solution=Program.of(solve_two_city_trip, **spec, min_stars=self._min_stars()),
            verifier=Program.of(verify_two_city_trip, **spec, min_stars=self._min_stars()),
        )

    @proposer(difficulty=3)
    def propose_rebook(self, rng: random.Random) -> TaskDraft | None:
        bookings = self.rows("SELECT b.id, b.guest, h.city_id, h.stars, h.id AS hotel_id FROM bookings b "
                             "JOIN hotels h ON h.id = b.hotel_id WHERE b.status = 'confirmed'")
        if not bookings:
            return None
        b = rng.choice(bookings)
        options = self.rows("SELECT id, price FROM hotels WHERE city_id = ? AND stars >= ? AND id != ? AND rooms > 0 "
                            "ORDER BY price", b["city_id"], max(b["stars"], self._min_stars()), b["hotel_id"])
        if not options or (len(options) > 1 and options[0]["price"] == options[1]["price"]):
            return None
        return TaskDraft(
            shape="rebook",
            instruction=self.render("rebook", rng, guest=b["guest"], booking_id=b["id"]),
            solution=Program.of(solve_rebook, booking_id=b["id"], min_stars=self._min_stars()),
            verifier=Program.of(verify_rebook, booking_id=b["id"], expected_hotel=options[0]["id"]),
            tools=("get_booking", "get_hotel", "search_hotels", "cancel_booking", "book_hotel", "list_cities"),
        )


# ---- solutions: tools and computation only --------------------------------------------------------

def solve_hotel_rating(tools, params):
    hotels = tools.search_hotels(city=params["city"])
    return next(h["rating"] for h in hotels if h["name"] == params["hotel"])


def solve_flight_price(tools, params):
    return tools.get_flight(code=params["code"])["price"]


def solve_cheapest_rated_hotel(tools, params):
    hotels = tools.search_hotels(city=params["city"], min_rating=params["rating"])
    return min(hotels, key=lambda h: h["price"])["name"]


def solve_average_price(tools, params):
    hotels = [h for h in tools.search_hotels(city=params["city"]) if h["stars"] == params["stars"]]
    return round(sum(h["price"] for h in hotels) / len(hotels), 2)


def solve_rainy_cities(tools, params):
    cities = tools.list_cities(country=params["country"])
    return [c["name"] for c in cities
            if tools.get_weather(city=c["name"], date=params["date"])["condition"] == "rainy"]


def solve_book_hotel(tools, params):
    best = None
    for h in tools.search_hotels(city=params["city"], min_rating=params["rating"], min_stars=params["min_stars"]):
        total = h["price"] * params["nights"]
        if total > params["budget"]:
            continue
        details = tools.get_hotel(hotel_id=h["id"])
        if details["breakfast"] and details["rooms"] > 0 and (best is None or total < best[0]):
            best = (total, h["id"])
    booking = tools.book_hotel(hotel_id=best[1], guest=params["guest"], check_in=params["date"],
                               nights=params["nights"])
    return f"Booked: booking {booking['id']}, total {booking['total']}"


def solve_trip(tools, params):
    flights = [f for f in tools.search_flights(origin=params["origin"], destination=params["city"],
                                               date=params["date"]) if f["seats"] > 0]
    flight = min(flights, key=lambda f: f["price"])
    rainy = tools.get_weather(city=params["city"], date=params["date"])["condition"] == "rainy"
    best = None
    for h in tools.search_hotels(city=params["city"], min_rating=params["rating"], min_stars=params["min_stars"]):
        details = tools.get_hotel(hotel_id=h["id"])
        if details["rooms"] < 1 or (rainy and not details["pool"]):
            continue
        total = h["price"] * params["nights"] + flight["price"]
        if total <= params["budget"] and (best is None or total < best[0]):
            best = (total, h["id"])
    tools.book_flight(flight_id=flight["id"], passenger=params["guest"])
    tools.book_hotel(hotel_id=best[1], guest=params["guest"], check_in=params["date"], nights=params["nights"])
    return f"Booked flight {flight['code']} and hotel {best[1]}; total {best[0]}"


def solve_two_city_trip(tools, params):
    import datetime as dt

    nights1 = (dt.date.fromisoformat(params["date2"]) - dt.date.fromisoformat(params["date"])).days
    stays = [(params["first"], params["date"], nights1), (params["second"], params["date2"], params["nights2"])]
    flights = []
    for origin, dest, date in ((params["origin"], params["first"], params["date"]),
                               (params["first"], params["second"], params["date2"])):
        options = [f for f in tools.search_flights(origin=origin, destination=dest, date=date) if f["seats"] > 0]
        flights.append(min(options, key=lambda f: f["price"]))
    hotels = []
    for city, date, nights in stays:
        rainy = tools.get_weather(city=city, date=date)["condition"] == "rainy"
        best = None
        for h in tools.search_hotels(city=city, min_rating=params["rating"], min_stars=params["min_stars"]):
            details = tools.get_hotel(hotel_id=h["id"])
            if details["rooms"] > 0 and (details["pool"] or not rainy) and (best is None or h["price"] < best["price"]):
                best = h
        hotels.append((best, date, nights))
    for flight in flights:
        tools.book_flight(flight_id=flight["id"], passenger=params["guest"])
    for hotel, date, nights in hotels:
        tools.book_hotel(hotel_id=hotel["id"], guest=params["guest"], check_in=date, nights=nights)
    total = sum(f["price"] for f in flights) + sum(h["price"] * n for h, _, n in hotels)
    return f"Booked two flights and two hotels; total {total}"


def solve_rebook(tools, params):
    old = tools.get_booking(booking_id=params["booking_id"])
    hotel = tools.get_hotel(hotel_id=old["hotel_id"])
    min_stars = max(hotel["stars"], params["min_stars"])
    options = [h for h in tools.search_hotels(city=hotel["city"], min_stars=min_stars) if h["id"] != hotel["id"]]
    options = [h for h in options if tools.get_hotel(hotel_id=h["id"])["rooms"] > 0]
    new = min(options, key=lambda h: h["price"])
    tools.cancel_booking(booking_id=old["id"])
    booking = tools.book_hotel(hotel_id=new["id"], guest=old["guest"], check_in=old["check_in"], nights=old["nights"])
    return f"Rebooked as booking {booking['id']}"


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_hotel_booking(outcome, params):
    from verifiers.state import diff_table

    added, removed, changed = diff_table(outcome.initial, outcome.db, "bookings")
    reasons = []
    mine = [b for b in added if b["guest"] == params["guest"] and b["status"] == "confirmed"]
    if len(mine) != 1 or len(added) != 1 or removed or changed:
        return False, [f"expected exactly one new booking for {params['guest']}; added {len(added)}, "
                       f"changed {len(changed)}, removed {len(removed)}"]
    b = mine[0]
    hotel = outcome.rows("SELECT h.*, c.name AS city FROM hotels h JOIN cities c ON c.id = h.city_id "
                         "WHERE h.id = ?", b["hotel_id"])[0]
    if hotel["city"] != params["city"]:
        reasons.append(f"hotel is in {hotel['city']}, not {params['city']}")
    if hotel["rating"] < params["rating"]:
        reasons.append(f"hotel rating {hotel['rating']} < {params['rating']}")
    if hotel["stars"] < params["min_stars"]:
        reasons.append(f"hotel has {hotel['stars']} stars; policy requires {params['min_stars']}+")
    if params["breakfast"] and not hotel["breakfast"]:
        reasons.append("hotel has no breakfast")
    if b["check_in"] != params["date"] or b["nights"] != params["nights"]:
        reasons.append(f"dates {b['check_in']} x{b['nights']} differ from {params['date']} x{params['nights']}")
    if b["total"] > params["budget"]:
        reasons.append(f"total {b['total']} exceeds budget {params['budget']}")
    return not reasons, reasons


def verify_trip(outcome, params):
    from verifiers.state import diff_table

    reasons = []
    hb_added, hb_removed, hb_changed = diff_table(outcome.initial, outcome.db, "bookings")
    fb_added, fb_removed, fb_changed = diff_table(outcome.initial, outcome.db, "flight_bookings")
    if len(hb_added) != 1 or hb_removed or hb_changed or len(fb_added) != 1 or fb_removed or fb_changed:
        return False, [f"expected one new hotel and one new flight booking; got {len(hb_added)} hotel, "
                       f"{len(fb_added)} flight, other changes {len(hb_changed + fb_changed + hb_removed + fb_removed)}"]
    hb, fb = hb_added[0], fb_added[0]
    flight = outcome.rows("SELECT f.*, o.name AS origin, d.name AS city FROM flights f JOIN cities o ON "
                          "o.id = f.origin_id JOIN cities d ON d.id = f.dest_id WHERE f.id = ?", fb["flight_id"])[0]
    hotel = outcome.rows("SELECT h.*, c.name AS city FROM hotels h JOIN cities c ON c.id = h.city_id WHERE h.id = ?",
                         hb["hotel_id"])[0]
    rain = outcome.rows("SELECT condition FROM weather w JOIN cities c ON c.id = w.city_id WHERE c.name = ? AND "
                        "w.date = ?", params["city"], params["date"])[0]["condition"] == "rainy"
    if (flight["origin"], flight["city"], flight["date"]) != (params["origin"], params["city"], params["date"]):
        reasons.append(f"flight {flight['code']} does not go {params['origin']}->{params['city']} on {params['date']}")
    if fb["passenger"] != params["guest"] or hb["guest"] != params["guest"]:
        reasons.append("bookings are not in the guest's name")
    if hotel["city"] != params["city"] or hotel["rating"] < params["rating"]:
        reasons.append(f"hotel {hotel['name']} ({hotel['city']}, {hotel['rating']}) breaks city/rating")
    if hotel["stars"] < params["min_stars"]:
        reasons.append(f"hotel has {hotel['stars']} stars; policy requires {params['min_stars']}+")
    if rain and not hotel["pool"]:
        reasons.append("rain is forecast but the hotel has no pool")
    if hb["check_in"] != params["date"] or hb["nights"] != params["nights"]:
        reasons.append("hotel dates are wrong")
    if hb["total"] + flight["price"] > params["budget"]:
        reasons.append(f"trip costs {hb['total'] + flight['price']} > budget {params['budget']}")
    return not reasons, reasons


def verify_two_city_trip(outcome, params):
    import datetime as dt

    from verifiers.state import diff_table

    hb_added, hb_removed, hb_changed = diff_table(outcome.initial, outcome.db, "bookings")
    fb_added, fb_removed, fb_changed = diff_table(outcome.initial, outcome.db, "flight_bookings")
    if len(hb_added) != 2 or len(fb_added) != 2 or hb_removed or hb_changed or fb_removed or fb_changed:
        return False, [f"expected two new hotel and two new flight bookings and nothing else; got {len(hb_added)} "
                       f"hotel, {len(fb_added)} flight"]
    reasons, total = [], 0.0
    legs = {(params["origin"], params["first"], params["date"]), (params["first"], params["second"], params["date2"])}
    booked = set()
    for fb in fb_added:
        f = outcome.rows("SELECT f.price, f.date, o.name AS origin, d.name AS dest FROM flights f JOIN cities o ON "
                         "o.id = f.origin_id JOIN cities d ON d.id = f.dest_id WHERE f.id = ?", fb["flight_id"])[0]
        booked.add((f["origin"], f["dest"], f["date"]))
        total += f["price"]
        if fb["passenger"] != params["guest"]:
            reasons.append("a flight is not in the guest's name")
    if booked != legs:
        reasons.append(f"flights {sorted(booked)} do not match the legs {sorted(legs)}")
    nights1 = (dt.date.fromisoformat(params["date2"]) - dt.date.fromisoformat(params["date"])).days
    stays = {(params["first"], params["date"], nights1), (params["second"], params["date2"], params["nights2"])}
    for hb in hb_added:
        h = outcome.rows("SELECT h.*, c.name AS city FROM hotels h JOIN cities c ON c.id = h.city_id WHERE h.id = ?",
                         hb["hotel_id"])[0]
        total += hb["total"]
        if (h["city"], hb["check_in"], hb["nights"]) not in stays or hb["guest"] != params["guest"]:
            reasons.append(f"hotel booking {hb['id']} ({h['city']}, {hb['check_in']} x{hb['nights']}) is not a "
                           "requested stay")
            continue
        stays.discard((h["city"], hb["check_in"], hb["nights"]))
        rain = outcome.rows("SELECT condition FROM weather w JOIN cities c ON c.id = w.city_id WHERE c.name = ? "
                            "AND w.date = ?", h["city"], hb["check_in"])[0]["condition"] == "rainy"
        if h["rating"] < params["rating"] or h["stars"] < params["min_stars"] or (rain and not h["pool"]):
            reasons.append(f"hotel {h['name']} in {h['city']} breaks the rating, stars or rain rule")
    if total > params["budget"]:
        reasons.append(f"trip costs {total} > budget {params['budget']}")
    return not reasons, reasons


def verify_rebook(outcome, params):
    from verifiers.state import diff_table

    added, removed, changed = diff_table(outcome.initial, outcome.db, "bookings")
    old = outcome.initial_rows("SELECT * FROM bookings WHERE id = ?", params["booking_id"])[0]
    reasons = []
    if [c["id"] for c in changed] != [old["id"]] or changed[0]["status"] != "cancelled" or removed:
        reasons.append(f"booking {old['id']} should be cancelled and nothing else changed")
    if len(added) != 1:
        return False, reasons + [f"expected one new booking, found {len(added)}"]
    new = added[0]
    if new["hotel_id"] != params["expected_hotel"]:
        reasons.append(f"new booking is at hotel {new['hotel_id']}, not the cheapest eligible one")
    if (new["guest"], new["check_in"], new["nights"]) != (old["guest"], old["check_in"], old["nights"]):
        reasons.append("new booking does not keep guest and dates")
    return not reasons, reasons
