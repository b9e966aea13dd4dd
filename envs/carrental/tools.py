"""The carrental tools: lookups, and writes that enforce the rules."""

from __future__ import annotations

from synth.env import tool

from .world import PREMIUM, YOUNG_SURCHARGE, days_between


class CarRentalTools:
    # ---- helpers shared by tools and proposers ----------------------------------------------------

    def _rule(self, rule: str) -> bool:
        return rule in self.variant.rules

    def _rules(self) -> dict:
        return {"young_full": self._rule("young_full_cover"), "premium_round": self._rule("premium_round_trip")}

    def _overlaps(self, car_id: int, pickup: str, ret: str, skip: int = 0) -> bool:
        return (
            self.value(
                "SELECT 1 FROM rentals WHERE car_id = ? AND status = 'booked' AND id != ? AND "
                "pickup_date < ? AND ? < return_date",
                car_id,
                skip,
                ret,
                pickup,
            )
            is not None
        )

    def _fee(self, a: int, b: int) -> float | None:
        if a == b:
            return 0.0
        return self.value("SELECT fee FROM one_way_fees WHERE from_branch = ? AND to_branch = ?", a, b)

    def _price(self, car, driver, pickup, ret, insurance, a, b) -> float:
        ins = self.value("SELECT daily_price FROM insurance WHERE code = ?", insurance)
        young = YOUNG_SURCHARGE if driver["age"] < 25 else 0.0
        return round(days_between(pickup, ret) * (car["daily_rate"] + ins + young) + (self._fee(a, b) or 0.0), 2)

    def _branch(self, ref: str) -> dict:
        return self.one(
            "SELECT * FROM branches WHERE lower(name) = lower(?) OR lower(code) = lower(?)",
            ref,
            ref,
            missing=f"unknown branch {ref!r}; call list_branches for names and codes",
        )

    def _car(self, plate: str) -> dict:
        return self.one(
            "SELECT c.*, k.min_age, k.min_licence_years FROM cars c JOIN car_classes k ON "
            "k.class = c.class WHERE upper(c.plate) = upper(?)",
            plate,
            missing=f"no car with plate {plate!r}; search_cars lists plates",
        )

    def _car_by_id(self, car_id: int) -> dict:
        return self.one(
            "SELECT c.*, k.min_age, k.min_licence_years FROM cars c JOIN car_classes k ON "
            "k.class = c.class WHERE c.id = ?",
            car_id,
            missing=f"no car {car_id}",
        )

    def _driver(self, driver_id: int) -> dict:
        return self.one(
            "SELECT * FROM drivers WHERE id = ?",
            driver_id,
            missing=f"no driver {driver_id}; use find_driver to get a driver's id",
        )

    def _booked(self, rental_id: int) -> dict:
        r = self.one(
            "SELECT * FROM rentals WHERE id = ?",
            rental_id,
            missing=f"no rental {rental_id}; list_rentals shows rental ids",
        )
        if r["status"] != "booked":
            raise ValueError(f"rental {rental_id} is {r['status']}, not a booked rental")
        return r

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
        car = self.one("SELECT plate, class FROM cars WHERE id = ?", r["car_id"], missing=f"no car {r['car_id']}")
        driver = self._driver(r["driver_id"])
        return {
            "id": r["id"],
            "plate": car["plate"],
            "car_class": car["class"],
            "driver_id": r["driver_id"],
            "driver": driver["name"],
            "pickup_branch": names[r["pickup_branch"]],
            "return_branch": names[r["return_branch"]],
            "pickup_date": r["pickup_date"],
            "return_date": r["return_date"],
            "insurance": r["insurance"],
            "total": r["total"],
            "status": r["status"],
        }

    def _check_booking(
        self, car: dict, driver: dict, pickup: str, ret: str, insurance: str, ret_branch: dict, skip: int = 0
    ) -> None:
        self._dates(pickup, ret)
        if car["status"] != "available":
            raise ValueError(f"car {car['plate']} is in {car['status']} and cannot be rented")
        if not self.value("SELECT open FROM branches WHERE id = ?", car["branch_id"]) or not ret_branch["open"]:
            raise ValueError("closed branches take no rentals; pick an open pickup and return branch")
        if driver["age"] < car["min_age"] or driver["licence_years"] < car["min_licence_years"]:
            raise ValueError(
                f"policy: {car['class']} cars need drivers aged {car['min_age']}+ with "
                f"{car['min_licence_years']}+ licence years"
            )
        if self.value("SELECT 1 FROM insurance WHERE code = ?", insurance) is None:
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
        rows = self.rows(
            "SELECT code, name, city, open FROM branches WHERE (? IS NULL OR lower(city) = lower(?)) ORDER BY id",
            city,
            city,
        )
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
    def search_cars(
        self,
        branch: str,
        pickup_date: str,
        return_date: str,
        car_class: str | None = None,
        max_daily_rate: float | None = None,
    ) -> list[dict]:
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
        cars = self.rows(
            "SELECT id, plate, class, model, daily_rate, seats, automatic FROM cars WHERE branch_id = ? "
            "AND status = 'available' AND (? IS NULL OR class = lower(?)) AND daily_rate <= ? ORDER BY id",
            b["id"],
            car_class,
            car_class,
            1e18 if max_daily_rate is None else max_daily_rate,
        )
        return [
            {**c, "automatic": bool(c["automatic"])}
            for c in cars
            if not self._overlaps(c["id"], pickup_date, return_date)
        ]

    @tool("read")
    def get_car(self, plate: str) -> dict:
        """Full details of a car: branch, class, rate, seats, gearbox, GPS, child seat, fuel, mileage, status.

        Args:
            plate: The car's plate, e.g. KM-314.
        """
        car = self._car(plate)
        branch = self.value("SELECT name FROM branches WHERE id = ?", car["branch_id"])
        out = {k: car[k] for k in ("plate", "class", "model", "daily_rate", "seats", "fuel", "status")}
        out.update(
            branch=branch,
            automatic=bool(car["automatic"]),
            gps=bool(car["gps"]),
            child_seat=bool(car["child_seat"]),
            km_per_day="unlimited" if car["km_per_day"] == 0 else car["km_per_day"],
        )
        return out

    @tool("read")
    def find_driver(self, name: str) -> dict:
        """A registered driver by full name: id, age, years of licence, home city.

        Args:
            name: The driver's full name.
        """
        return self.one(
            "SELECT * FROM drivers WHERE lower(name) = lower(?)",
            name.strip(),
            missing=f"no driver named {name!r}; check the spelling of the full name",
        )

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
    def list_rentals(
        self,
        driver_id: int | None = None,
        branch: str | None = None,
        plate: str | None = None,
        status: str | None = None,
        return_branch: str | None = None,
    ) -> list[dict]:
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
        rows = self.rows(
            "SELECT * FROM rentals WHERE (? IS NULL OR driver_id = ?) AND (? IS NULL OR pickup_branch = ?)"
            " AND (? IS NULL OR car_id = ?) AND (? IS NULL OR status = ?) AND (? IS NULL OR "
            "return_branch = ?) ORDER BY pickup_date, id",
            driver_id,
            driver_id,
            b,
            b,
            c,
            c,
            status,
            status,
            rb,
            rb,
        )
        return [self._rental_view(r) for r in rows]

    @tool("read")
    def get_rental(self, rental_id: int) -> dict:
        """One rental by id.

        Args:
            rental_id: Rental id.
        """
        return self._rental_view(
            self.one(
                "SELECT * FROM rentals WHERE id = ?",
                rental_id,
                missing=f"no rental {rental_id}; list_rentals shows rental ids",
            )
        )

    @tool("read")
    def quote_rental(
        self, plate: str, driver_id: int, pickup_date: str, return_date: str, return_branch: str, insurance: str
    ) -> dict:
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
        if self.value("SELECT 1 FROM insurance WHERE code = ?", insurance) is None:
            raise ValueError("insurance must be one of BASIC, PLUS, FULL")
        return {"total": self._price(car, driver, pickup_date, return_date, insurance, car["branch_id"], ret["id"])}

    # ---- write tools --------------------------------------------------------------------------------

    @tool("write")
    def book_rental(
        self, plate: str, driver_id: int, pickup_date: str, return_date: str, return_branch: str, insurance: str
    ) -> dict:
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
        cur = self.db.execute(
            "INSERT INTO rentals (car_id, driver_id, pickup_branch, return_branch, pickup_date, "
            "return_date, insurance, total, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'booked')",
            (car["id"], driver_id, car["branch_id"], ret["id"], pickup_date, return_date, insurance, total),
        )
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
        r = self._booked(rental_id)
        if new_return_date <= r["return_date"]:
            raise ValueError("the new return date must be after the current one")
        car, driver = self._car_by_id(r["car_id"]), self._driver(r["driver_id"])
        ret = self.one("SELECT * FROM branches WHERE id = ?", r["return_branch"], missing="no such branch")
        self._check_booking(car, driver, r["pickup_date"], new_return_date, r["insurance"], ret, skip=rental_id)
        total = self._price(
            car, driver, r["pickup_date"], new_return_date, r["insurance"], r["pickup_branch"], r["return_branch"]
        )
        self.db.execute(
            "UPDATE rentals SET return_date = ?, total = ? WHERE id = ?", (new_return_date, total, rental_id)
        )
        return self.get_rental(rental_id)

    @tool("write")
    def change_return_branch(self, rental_id: int, return_branch: str) -> dict:
        """Change where a booked rental's car is returned; the total is recomputed with the new one-way fee.

        Args:
            rental_id: Rental id.
            return_branch: New return branch name or code.
        """
        r, ret = self._booked(rental_id), self._branch(return_branch)
        car = self._car_by_id(r["car_id"])
        if not ret["open"]:
            raise ValueError("closed branches take no returns")
        if self._fee(r["pickup_branch"], ret["id"]) is None:
            raise ValueError("no one-way route from the pickup branch to that branch")
        if self._rule("premium_round_trip") and car["class"] in PREMIUM and ret["id"] != r["pickup_branch"]:
            raise ValueError("policy: premium and luxury cars must be returned to their pickup branch")
        total = self._price(
            car,
            self._driver(r["driver_id"]),
            r["pickup_date"],
            r["return_date"],
            r["insurance"],
            r["pickup_branch"],
            ret["id"],
        )
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
        if status == "maintenance" and self.value(
            "SELECT 1 FROM rentals WHERE car_id = ? AND status = 'booked'", car["id"]
        ):
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
        if self.value(
            "SELECT 1 FROM rentals WHERE status = 'booked' AND (pickup_branch = ? OR return_branch = ?)",
            b["id"],
            b["id"],
        ):
            raise ValueError("booked rentals still start or end at this branch; rebook them first")
        self.db.execute("UPDATE branches SET open = 0 WHERE id = ?", (b["id"],))
        return {"code": b["code"], "name": b["name"], "open": False}
