"""The reservation service's tools: lookups, and writes that enforce the booking policy."""

from __future__ import annotations

import datetime as dt

from synth.env import tool

from .world import DIETS, SITTING, WEEKDAYS, hhmm, minutes


class RestaurantsTools:
    # ---- helpers ------------------------------------------------------------------------------------

    def _today(self) -> str:
        return self.value("SELECT today FROM office")

    def _rules(self) -> dict:
        return {
            "deposit_from": 5 if "deposit_from_5" in self.variant.rules else 6,
            "tight_fit": "tight_fit" in self.variant.rules,
            "terrace_cap": "terrace_cap" in self.variant.rules,
        }

    def _deposit(self, rid: int, party: int) -> int:
        per = self.value("SELECT deposit_per_guest FROM restaurants WHERE id = ?", rid)
        return per * party if party >= self._rules()["deposit_from"] else 0

    def _on_date(self, cust: int, date: str, ignore: int | None = None) -> bool:
        return bool(
            self.value(
                "SELECT 1 FROM reservations WHERE customer_id = ? AND date = ? AND status = 'booked' AND id IS NOT ?",
                cust,
                date,
                ignore,
            )
        )

    def _problems(
        self,
        rid: int,
        table_id: int,
        cust: int | None,
        date: str,
        time: str,
        party: int,
        ignore: int | None = None,
        extra: tuple = (),
    ) -> str | None:
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
        taken = [
            x["time"]
            for x in self.rows(
                "SELECT time FROM reservations WHERE table_id = ? AND date = ? AND status = 'booked' AND id IS NOT ?",
                table_id,
                date,
                ignore,
            )
        ]
        taken += [tm for tid, d, tm in extra if tid == table_id and d == date]
        if any(abs(minutes(x) - start) < SITTING for x in taken):
            return f"table {t['code']} is already booked within two hours of {time} on {date}"
        return None

    def _free_tables(
        self, rid: int, date: str, time: str, party: int, extra: tuple = (), ignore: int | None = None
    ) -> list[dict]:
        return [
            t
            for t in self.rows("SELECT * FROM tables WHERE restaurant_id = ? ORDER BY seats, id", rid)
            if self._problems(rid, t["id"], None, date, time, party, ignore=ignore, extra=extra) is None
        ]

    def _restaurant(self, name: str) -> dict:
        return self.one(
            "SELECT * FROM restaurants WHERE lower(name) = lower(?)",
            name.strip(),
            missing=f"no restaurant {name!r}; use search_restaurants to find exact names",
        )

    def _customer(self, name: str) -> dict:
        return self.one(
            "SELECT * FROM customers WHERE lower(name) = lower(?)",
            name.strip(),
            missing=f"no registered customer {name!r}; give the full name as registered",
        )

    def _reservation(self, ref: str) -> dict:
        return self.one(
            "SELECT * FROM reservations WHERE upper(ref) = upper(?)",
            ref.strip(),
            missing=f"no reservation {ref!r}; references look like R-31234",
        )

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
        r = self.value("SELECT name FROM restaurants WHERE id = ?", res["restaurant_id"])
        t = self.value("SELECT code FROM tables WHERE id = ?", res["table_id"])
        c = self.value("SELECT name FROM customers WHERE id = ?", res["customer_id"])
        return {
            "ref": res["ref"],
            "restaurant": r,
            "table": t,
            "customer": c,
            "date": res["date"],
            "time": res["time"],
            "party_size": res["party_size"],
            "status": res["status"],
            "deposit": res["deposit"],
            "refund": res["refund"],
        }

    # ---- tools --------------------------------------------------------------------------------------

    @tool("read")
    def get_today(self) -> dict:
        """Today's date at the service (YYYY-MM-DD) and its weekday."""
        today = self._today()
        return {"today": today, "weekday": WEEKDAYS[dt.date.fromisoformat(today).weekday()]}

    @tool("read")
    def search_restaurants(
        self,
        cuisine: str | None = None,
        neighbourhood: str | None = None,
        min_rating: float | None = None,
        max_price_level: int | None = None,
    ) -> list[dict]:
        """Find restaurants by cuisine, neighbourhood, minimum rating and maximum price level.

        Args:
            cuisine: Cuisine such as Italian, Japanese, Indian, Mexican, French, Thai, Lebanese, Greek.
            neighbourhood: Neighbourhood name.
            min_rating: Lowest rating (0-5) to include.
            max_price_level: Highest price level (1-4) to include.
        """
        return self.rows(
            "SELECT name, cuisine, neighbourhood, rating, price_level FROM restaurants WHERE "
            "(? IS NULL OR lower(cuisine) = lower(?)) AND (? IS NULL OR lower(neighbourhood) = lower(?)) "
            "AND rating >= COALESCE(?, 0) AND price_level <= COALESCE(?, 4) ORDER BY name",
            cuisine,
            cuisine,
            neighbourhood,
            neighbourhood,
            min_rating,
            max_price_level,
        )

    @tool("read")
    def get_restaurant(self, name: str) -> dict:
        """One restaurant: cuisine, rating, price level, deposit per guest, maximum party, weekly hours and tables.

        Args:
            name: Exact restaurant name.
        """
        r = self._restaurant(name)
        hours = [
            {"weekday": WEEKDAYS[h["weekday"]], "open": h["open"], "close": h["close"]}
            for h in self.rows("SELECT * FROM hours WHERE restaurant_id = ? ORDER BY weekday", r["id"])
        ]
        tables = self.rows("SELECT code, seats, area FROM tables WHERE restaurant_id = ? ORDER BY id", r["id"])
        return {
            **{
                k: r[k]
                for k in ("name", "cuisine", "neighbourhood", "rating", "price_level", "deposit_per_guest", "max_party")
            },
            "hours": hours,
            "tables": tables,
        }

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
        rows = self.rows(
            "SELECT name, course, price, vegetarian, vegan, gluten_free FROM menu_items WHERE "
            "restaurant_id = ? AND (? IS NULL OR course = ?) ORDER BY id",
            r["id"],
            course,
            course,
        )
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
        return {
            "restaurant": r["name"],
            "date": date,
            "time": time,
            "party_size": party_size,
            "tables": [{"code": t["code"], "seats": t["seats"], "area": t["area"]} for t in tables],
            "deposit": self._deposit(r["id"], party_size),
        }

    @tool("read")
    def list_reservations(
        self,
        restaurant: str | None = None,
        date: str | None = None,
        customer: str | None = None,
        status: str | None = None,
    ) -> list[dict]:
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
        rows = self.rows(
            "SELECT * FROM reservations WHERE (? IS NULL OR restaurant_id = ?) AND (? IS NULL OR "
            "date = ?) AND (? IS NULL OR customer_id = ?) AND (? IS NULL OR status = lower(?)) "
            "ORDER BY date, time, id",
            rid,
            rid,
            date,
            date,
            cid,
            cid,
            status,
            status,
        )
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
        t = self.one(
            "SELECT * FROM tables WHERE restaurant_id = ? AND upper(code) = upper(?)",
            r["id"],
            table.strip(),
            missing=f"{r['name']} has no table {table!r}; get_restaurant lists its tables",
        )
        if why := self._problems(r["id"], t["id"], c["id"], date, time, party_size):
            raise ValueError(f"policy: {why}")
        if self._on_date(c["id"], date):
            raise ValueError(f"policy: {c['name']} already holds a booked reservation on {date}")
        last = self.value("SELECT MAX(CAST(substr(ref, 3) AS INTEGER)) FROM reservations")
        dep = self._deposit(r["id"], party_size)
        self.db.execute(
            "INSERT INTO reservations (ref, restaurant_id, table_id, customer_id, date, time, "
            "party_size, status, deposit, refund) VALUES (?, ?, ?, ?, ?, ?, ?, 'booked', ?, 0)",
            (f"R-{last + 1}", r["id"], t["id"], c["id"], date, time, party_size, dep),
        )
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
            raise ValueError(
                f"reservation {res['ref']} is {res['status']} on {res['date']}; only upcoming booked "
                "reservations can be changed"
            )
        tid = res["table_id"]
        if table is not None:
            tid = self.one(
                "SELECT * FROM tables WHERE restaurant_id = ? AND upper(code) = upper(?)",
                res["restaurant_id"],
                table.strip(),
                missing=f"no table {table!r} at this restaurant",
            )["id"]
        if why := self._problems(
            res["restaurant_id"], tid, res["customer_id"], res["date"], res["time"], party_size, ignore=res["id"]
        ):
            raise ValueError(f"policy: {why}")
        self.db.execute(
            "UPDATE reservations SET party_size = ?, table_id = ?, deposit = ? WHERE id = ?",
            (party_size, tid, self._deposit(res["restaurant_id"], party_size), res["id"]),
        )
        return self._public(self._reservation(res["ref"]))

    @tool("write")
    def cancel_reservation(self, ref: str) -> dict:
        """Cancel an upcoming booked reservation; the refund follows the policy and is computed automatically.

        Args:
            ref: Reservation reference.
        """
        res = self._reservation(ref)
        if res["status"] != "booked" or res["date"] <= self._today():
            raise ValueError(
                f"reservation {res['ref']} is {res['status']} on {res['date']}; only upcoming booked "
                "reservations can be cancelled"
            )
        days = (dt.date.fromisoformat(res["date"]) - dt.date.fromisoformat(self._today())).days
        refund = res["deposit"] if days >= 2 else 0
        self.db.execute("UPDATE reservations SET status = 'cancelled', refund = ? WHERE id = ?", (refund, res["id"]))
        return self._public(self._reservation(res["ref"]))
