"""The travel agency's tools: searches, and bookings that enforce the agency's rules."""

from __future__ import annotations

import datetime as dt

from synth.env import tool


class TravelTools:
    # ---- helpers shared by tools and proposers ----------------------------------------------------

    def _min_stars(self) -> int:
        return 3 if "min_three_stars" in self.variant.rules else 1

    def _dates(self) -> list[str]:
        return self.column("SELECT DISTINCT date FROM weather ORDER BY date")

    def _city(self, city: str) -> dict:
        return self.one(
            "SELECT * FROM cities WHERE lower(name) = lower(?)",
            city.strip(),
            missing=f"unknown city {city!r}; call list_cities to see the cities served",
        )

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
    def search_hotels(
        self, city: str, min_rating: float = 0.0, max_price: float | None = None, min_stars: int = 1
    ) -> list[dict]:
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
            "AND price <= ? ORDER BY id",
            city_id,
            min_rating,
            min_stars,
            max_price if max_price is not None else 1e18,
        )

    @tool("read")
    def get_hotel(self, hotel_id: int) -> dict:
        """Full details of one hotel: amenities (breakfast, pool) and rooms left included.

        Args:
            hotel_id: The hotel's id from search_hotels.
        """
        hotel = self.one(
            "SELECT h.id, h.name, h.stars, h.rating, h.price, h.breakfast, h.pool, h.rooms, "
            "c.name AS city FROM hotels h JOIN cities c ON c.id = h.city_id WHERE h.id = ?",
            hotel_id,
            missing=f"no hotel with id {hotel_id}; use search_hotels to find hotels",
        )
        hotel["breakfast"], hotel["pool"] = bool(hotel["breakfast"]), bool(hotel["pool"])
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
        sql = (
            "SELECT id, code, date, depart, airline, price, seats FROM flights WHERE origin_id = ? AND dest_id = ?"
            + (" AND date = ?" if date else "")
            + " ORDER BY date, depart"
        )
        return self.rows(sql, o, d, *([date] if date else []))

    @tool("read")
    def get_flight(self, code: str) -> dict:
        """One flight by its code.

        Args:
            code: Flight code such as AL123.
        """
        return self.one(
            "SELECT f.id, f.code, o.name AS origin, d.name AS destination, f.date, f.depart, f.airline, f.price, "
            "f.seats FROM flights f JOIN cities o ON o.id = f.origin_id JOIN cities d ON d.id = f.dest_id "
            "WHERE upper(f.code) = upper(?)",
            code.strip(),
            missing=f"no flight {code!r}; use search_flights to find flights between two cities",
        )

    @tool("read")
    def get_weather(self, city: str, date: str) -> dict:
        """Weather forecast of a city on a date (YYYY-MM-DD).

        Args:
            city: City name.
            date: Date, YYYY-MM-DD.
        """
        row = self.one(
            "SELECT condition, high_c FROM weather WHERE city_id = ? AND date = ?",
            self._city(city)["id"],
            date,
            missing=f"no forecast for {city} on {date}; forecasts cover {', '.join(self._dates())}",
        )
        return {"city": city, "date": date, **row}

    @tool("read")
    def list_attractions(self, city: str, kind: str | None = None) -> list[dict]:
        """Attractions of a city, optionally of one kind (museum, park, tour, market, gallery).

        Args:
            city: City name.
            kind: Kind of attraction.
        """
        city_id = self._city(city)["id"]
        return self.rows(
            "SELECT id, name, kind, price, rating FROM attractions WHERE city_id = ? "
            "AND (? IS NULL OR kind = ?) ORDER BY id",
            city_id,
            kind,
            kind,
        )

    @tool("read")
    def get_booking(self, booking_id: int) -> dict:
        """One hotel booking by id.

        Args:
            booking_id: Booking id.
        """
        return self.one("SELECT * FROM bookings WHERE id = ?", booking_id, missing=f"no booking {booking_id}")

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
        hotel = self.one(
            "SELECT price, rooms, stars FROM hotels WHERE id = ?",
            hotel_id,
            missing=f"no hotel with id {hotel_id}; use search_hotels to find hotels",
        )
        if hotel["stars"] < self._min_stars():
            raise ValueError(f"policy: hotels below {self._min_stars()} stars may not be booked")
        if hotel["rooms"] < 1:
            raise ValueError("no rooms left at this hotel")
        self.db.execute("UPDATE hotels SET rooms = rooms - 1 WHERE id = ?", (hotel_id,))
        cur = self.db.execute(
            "INSERT INTO bookings (hotel_id, guest, check_in, nights, total, status) "
            "VALUES (?, ?, ?, ?, ?, 'confirmed')",
            (hotel_id, guest, check_in, nights, hotel["price"] * nights),
        )
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
        flight = self.one(
            "SELECT seats FROM flights WHERE id = ?",
            flight_id,
            missing=f"no flight with id {flight_id}; use search_flights to find flights",
        )
        if flight["seats"] < 1:
            raise ValueError("this flight is full")
        self.db.execute("UPDATE flights SET seats = seats - 1 WHERE id = ?", (flight_id,))
        cur = self.db.execute(
            "INSERT INTO flight_bookings (flight_id, passenger, status) VALUES (?, ?, 'confirmed')",
            (flight_id, passenger),
        )
        return {"id": cur.lastrowid, "flight_id": flight_id, "passenger": passenger, "status": "confirmed"}
