"""Task proposers, from single lookups (level 1) to two-city trips (level 5)."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import Answer, Effects, Program, Rule, TaskDraft, inserts, proposer, updates

from .checks import check_counts
from .solutions import (
    solve_average_price,
    solve_book_hotel,
    solve_cheapest_rated_hotel,
    solve_flight_price,
    solve_hotel_rating,
    solve_rainy_cities,
    solve_rebook,
    solve_trip,
    solve_two_city_trip,
)
from .world import GUESTS


class TravelTasks:
    # ---- helpers ------------------------------------------------------------------------------------

    def _hotels(
        self, city_id: int, rating: float = 0.0, pool: bool = False, breakfast: bool = False, min_stars: int = 1
    ) -> list[dict]:
        """Bookable hotels of a city (a room left, stars the policy allows) that meet the conditions, cheapest
        first."""
        return self.rows(
            "SELECT * FROM hotels WHERE city_id = ? AND rating >= ? AND rooms > 0 AND stars >= ? "
            "AND (pool = 1 OR ? = 0) AND (breakfast = 1 OR ? = 0) ORDER BY price, id",
            city_id,
            rating,
            max(min_stars, self._min_stars()),
            int(pool),
            int(breakfast),
        )

    def _flights(self, origin_id: int, dest_id: int, date: str) -> list[dict]:
        """Flights with a free seat between two cities on a date, cheapest first."""
        return self.rows(
            "SELECT * FROM flights WHERE origin_id = ? AND dest_id = ? AND date = ? AND seats > 0 ORDER BY price, id",
            origin_id,
            dest_id,
            date,
        )

    def _rainy(self, city_id: int, date: str) -> bool:
        return self.value("SELECT condition FROM weather WHERE city_id = ? AND date = ?", city_id, date) == "rainy"

    @staticmethod
    def _budget(rng: random.Random, parts: list[list[float]], spread: float) -> float | None:
        """A budget that exactly one choice fits: each part (the prices of one booking's options, cheapest first)
        at its cheapest. None when a part has no option or two cheapest options (then two choices would fit)."""
        if any(not p or (len(p) > 1 and p[1] - p[0] < 0.01) for p in parts):
            return None
        best = sum(p[0] for p in parts)
        runner_up = best + min([p[1] - p[0] for p in parts if len(p) > 1], default=float("inf"))
        budget = float(int(best * rng.uniform(1.0, spread)) + 1)
        if budget >= runner_up:
            budget = round(runner_up - 0.01, 2) if runner_up - best < 1 else float(int(runner_up - 0.01))
        return max(budget, round(best, 2))

    def _booked(self, hotel: dict, guest: str, check_in: str, nights: int) -> dict:
        return {
            "hotel_id": hotel["id"],
            "guest": guest,
            "check_in": check_in,
            "nights": nights,
            "total": hotel["price"] * nights,
            "status": "confirmed",
        }

    def _flown(self, flight: dict, guest: str) -> dict:
        return {"flight_id": flight["id"], "passenger": guest, "status": "confirmed"}

    # ---- lookups ------------------------------------------------------------------------------------

    @proposer(difficulty=1, attempts=3)
    def propose_hotel_rating(self, rng: random.Random) -> TaskDraft | None:
        hotel = rng.choice(
            self.rows(
                "SELECT h.id, h.name, h.rating, c.name AS city FROM hotels h "
                "JOIN cities c ON c.id = h.city_id ORDER BY h.id"
            )
        )
        if (
            self.value(
                "SELECT COUNT(*) FROM hotels h JOIN cities c ON c.id = h.city_id WHERE h.name = ? AND c.name = ?",
                hotel["name"],
                hotel["city"],
            )
            != 1
        ):
            return None
        spec = {"hotel": hotel["name"], "city": hotel["city"]}
        return TaskDraft(
            shape="hotel_rating",
            instruction=self.render("hotel_rating", rng, **spec),
            solution=Program.of(solve_hotel_rating, **spec),
            answer=Answer.number(hotel["rating"], decimals=1),
            tools=("list_cities", "search_hotels", "get_hotel"),
        )

    @proposer(difficulty=1)
    def propose_flight_price(self, rng: random.Random) -> TaskDraft | None:
        if not self.has_tool("get_flight"):
            return None
        flight = rng.choice(self.rows("SELECT code, price FROM flights ORDER BY id"))
        return TaskDraft(
            shape="flight_price",
            instruction=self.render("flight_price", rng, code=flight["code"]),
            solution=Program.of(solve_flight_price, code=flight["code"]),
            answer=Answer.number(flight["price"]),
            tools=self.available_tools("get_flight", "search_flights", "list_cities"),
        )

    @proposer(difficulty=2, attempts=2)
    def propose_cheapest_rated_hotel(self, rng: random.Random) -> TaskDraft | None:
        city = rng.choice(self.rows("SELECT id, name FROM cities ORDER BY id"))
        rating = rng.choice([6.5, 7.0, 7.5, 8.0, 8.5])
        ok = self.rows(
            "SELECT name, price FROM hotels WHERE city_id = ? AND rating >= ? ORDER BY price, id", city["id"], rating
        )
        if not ok or (len(ok) > 1 and ok[0]["price"] == ok[1]["price"]):
            return None
        spec = {"city": city["name"], "rating": rating}
        return TaskDraft(
            shape="cheapest_rated_hotel",
            instruction=self.render("cheapest_rated_hotel", rng, **spec),
            solution=Program.of(solve_cheapest_rated_hotel, **spec),
            answer=Answer.entity(ok[0]["name"], candidates=self.column("SELECT DISTINCT name FROM hotels ORDER BY 1")),
            tools=("list_cities", "search_hotels", "get_hotel", "get_weather"),
        )

    @proposer(difficulty=2, attempts=2)
    def propose_average_price(self, rng: random.Random) -> TaskDraft | None:
        city = rng.choice(self.rows("SELECT id, name FROM cities ORDER BY id"))
        stars = rng.randint(2, 4)
        prices = self.column("SELECT price FROM hotels WHERE city_id = ? AND stars = ?", city["id"], stars)
        if len(prices) < 2:
            return None
        average = sum(prices) / len(prices)
        if abs(average * 100 % 1 - 0.5) < 1e-6:  # a half cent rounds either way: not asked
            return None
        spec = {"city": city["name"], "stars": stars}
        return TaskDraft(
            shape="average_price",
            instruction=self.render("average_price", rng, **spec),
            solution=Program.of(solve_average_price, **spec),
            answer=Answer.number(average),
        )

    @proposer(difficulty=2, attempts=2)
    def propose_rainy_cities(self, rng: random.Random) -> TaskDraft | None:
        countries = self.column("SELECT country FROM cities GROUP BY country HAVING COUNT(*) >= 2 ORDER BY country")
        if not countries:
            return None
        country, date = rng.choice(countries), rng.choice(self._dates())
        rainy = self.column(
            "SELECT c.name FROM cities c JOIN weather w ON w.city_id = c.id WHERE c.country = ? AND "
            "w.date = ? AND w.condition = 'rainy' ORDER BY c.name",
            country,
            date,
        )
        if not rainy:
            return None
        spec = {"country": country, "date": date}
        return TaskDraft(
            shape="rainy_cities",
            instruction=self.render("rainy_cities", rng, **spec),
            solution=Program.of(solve_rainy_cities, **spec),
            answer=Answer.entities(rainy, candidates=self.column("SELECT name FROM cities ORDER BY id")),
            tools=self.available_tools("list_cities", "get_weather", "list_attractions"),
        )

    # ---- bookings -----------------------------------------------------------------------------------

    @proposer(difficulty=3, attempts=3)
    def propose_book_hotel(self, rng: random.Random) -> TaskDraft | None:
        city = rng.choice(self.rows("SELECT id, name FROM cities ORDER BY id"))
        nights, rating = rng.randint(2, 5), rng.choice([7.0, 7.5, 8.0])
        hotels = self._hotels(city["id"], rating, breakfast=True)
        budget = self._budget(rng, [[h["price"] * nights for h in hotels]], 1.25)
        if budget is None:
            return None
        guest, date = rng.choice(GUESTS), rng.choice(self._dates())
        spec = {
            "city": city["name"],
            "guest": guest,
            "date": date,
            "nights": nights,
            "rating": rating,
            "budget": budget,
        }
        hotel = hotels[0]
        return TaskDraft(
            shape="book_hotel",
            instruction=self.render("book_hotel", rng, **spec),
            solution=Program.of(solve_book_hotel, **spec, min_stars=self._min_stars()),
            answer=Answer.none(),
            effects=Effects.on(
                bookings=inserts(rows=[self._booked(hotel, guest, date, nights)]),
                hotels=updates("rooms", keys=[hotel["id"]], values={"rooms": hotel["rooms"] - 1}),
            ),
        )

    @proposer(difficulty=4, attempts=3)
    def propose_trip(self, rng: random.Random) -> TaskDraft | None:
        flight = rng.choice(
            self.rows(
                "SELECT f.*, o.name AS origin, d.name AS city FROM flights f JOIN cities o ON o.id = f.origin_id "
                "JOIN cities d ON d.id = f.dest_id WHERE f.seats > 0 ORDER BY f.id"
            )
        )
        nights, rating = rng.randint(2, 4), rng.choice([7.0, 7.5, 8.0])
        hotels = self._hotels(flight["dest_id"], rating, pool=self._rainy(flight["dest_id"], flight["date"]))
        flights = self._flights(flight["origin_id"], flight["dest_id"], flight["date"])
        budget = self._budget(rng, [[f["price"] for f in flights], [h["price"] * nights for h in hotels]], 1.2)
        if budget is None:
            return None
        guest = rng.choice(GUESTS)
        spec = {
            "guest": guest,
            "origin": flight["origin"],
            "city": flight["city"],
            "date": flight["date"],
            "nights": nights,
            "rating": rating,
            "budget": budget,
        }
        hotel, flight = hotels[0], flights[0]
        return TaskDraft(
            shape="trip",
            instruction=self.render("trip", rng, **spec),
            solution=Program.of(solve_trip, **spec, min_stars=self._min_stars()),
            answer=Answer.none(),
            effects=Effects.on(
                bookings=inserts(rows=[self._booked(hotel, guest, flight["date"], nights)]),
                hotels=updates("rooms", keys=[hotel["id"]], values={"rooms": hotel["rooms"] - 1}),
                flight_bookings=inserts(rows=[self._flown(flight, guest)]),
                flights=updates("seats", keys=[flight["id"]], values={"seats": flight["seats"] - 1}),
            ),
        )

    @proposer(difficulty=5, attempts=3)
    def propose_two_city_trip(self, rng: random.Random) -> TaskDraft | None:
        legs = self.rows(
            "SELECT f1.origin_id, f1.dest_id AS first_id, f2.dest_id AS second_id, f1.date, f2.date AS date2 "
            "FROM flights f1 JOIN flights f2 ON f2.origin_id = f1.dest_id AND f2.date > f1.date "
            "WHERE f1.seats > 0 AND f2.seats > 0 AND f2.dest_id != f1.origin_id "
            "GROUP BY f1.origin_id, f1.dest_id, f2.dest_id, f1.date, f2.date ORDER BY 1, 2, 3, 4, 5"
        )
        if not legs:
            return None
        leg = rng.choice(legs)
        nights1 = (dt.date.fromisoformat(leg["date2"]) - dt.date.fromisoformat(leg["date"])).days
        nights2, rating = rng.randint(1, 3), rng.choice([6.5, 7.0, 7.5])
        if nights1 > 14:
            return None
        stays = [(leg["first_id"], leg["date"], nights1), (leg["second_id"], leg["date2"], nights2)]
        hotels = [self._hotels(city_id, rating, pool=self._rainy(city_id, date)) for city_id, date, _ in stays]
        flights = [
            self._flights(leg["origin_id"], leg["first_id"], leg["date"]),
            self._flights(leg["first_id"], leg["second_id"], leg["date2"]),
        ]
        budget = self._budget(
            rng,
            [[f["price"] for f in options] for options in flights]
            + [[h["price"] * n for h in options] for options, (_, _, n) in zip(hotels, stays)],
            1.15,
        )
        if budget is None:
            return None
        name = {c["id"]: c["name"] for c in self.rows("SELECT id, name FROM cities")}
        guest = rng.choice(GUESTS)
        spec = {
            "guest": guest,
            "origin": name[leg["origin_id"]],
            "first": name[leg["first_id"]],
            "second": name[leg["second_id"]],
            "date": leg["date"],
            "date2": leg["date2"],
            "nights2": nights2,
            "rating": rating,
            "budget": budget,
        }
        picks = [options[0] for options in hotels]
        return TaskDraft(
            shape="two_city_trip",
            instruction=self.render("two_city_trip", rng, **spec),
            solution=Program.of(solve_two_city_trip, **spec, min_stars=self._min_stars()),
            answer=Answer.none(),
            effects=Effects.on(
                bookings=inserts(rows=[self._booked(h, guest, date, n) for h, (_, date, n) in zip(picks, stays)]),
                hotels=updates("rooms", keys=[h["id"] for h in picks]),
                flight_bookings=inserts(rows=[self._flown(options[0], guest) for options in flights]),
                flights=updates("seats", keys=[options[0]["id"] for options in flights]),
            ),
            check=Program.of(
                check_counts,
                rooms={str(h["id"]): -1 for h in picks},
                seats={str(options[0]["id"]): -1 for options in flights},
            ),
        )

    @proposer(difficulty=3, attempts=2)
    def propose_rebook(self, rng: random.Random) -> TaskDraft | None:
        if not self.has_tool("get_booking"):
            return None
        bookings = self.rows(
            "SELECT b.*, h.city_id, h.stars FROM bookings b JOIN hotels h ON h.id = b.hotel_id "
            "WHERE b.status = 'confirmed' ORDER BY b.id"
        )
        if not bookings:
            return None
        b = rng.choice(bookings)
        options = [h for h in self._hotels(b["city_id"], min_stars=b["stars"]) if h["id"] != b["hotel_id"]]
        if not options or (len(options) > 1 and options[0]["price"] == options[1]["price"]):
            return None
        new = options[0]
        return TaskDraft(
            shape="rebook",
            instruction=self.render("rebook", rng, guest=b["guest"], booking_id=b["id"]),
            solution=Program.of(solve_rebook, booking_id=b["id"], min_stars=self._min_stars()),
            answer=Answer.none(),
            effects=Effects.on(
                bookings=Rule(
                    insert=1,
                    rows=[self._booked(new, b["guest"], b["check_in"], b["nights"])],
                    update=["status"],
                    keys=[b["id"]],
                    values={"status": "cancelled"},
                ),
                hotels=updates("rooms", keys=[b["hotel_id"], new["id"]]),
            ),
            check=Program.of(check_counts, rooms={str(b["hotel_id"]): 1, str(new["id"]): -1}),
            tools=self.available_tools(
                "get_booking", "get_hotel", "search_hotels", "cancel_booking", "book_hotel", "list_cities"
            ),
        )
