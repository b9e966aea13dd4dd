"""Task proposers, from single lookups (level 1) to branch closures (level 5)."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import Answer, Effects, Program, Rule, TaskDraft, inserts, proposer, updates

from .checks import check_rentals
from .solutions import (
    solve_book_cheapest,
    solve_branch_closure,
    solve_cancel_rental,
    solve_car_maintenance,
    solve_car_rate,
    solve_change_return,
    solve_cheapest_feature,
    solve_count_available,
    solve_driver_spend,
    solve_extend_rental,
    solve_licence_years,
    solve_multi_leg,
    solve_one_way_fee,
    solve_one_way_trip,
    solve_quote_total,
)
from .world import CLASSES, PREMIUM, days_between, plus_days


class CarRentalTasks:
    # ---- proposer helpers ---------------------------------------------------------------------------

    def _bname(self, bid: int) -> str:
        return self.value("SELECT name FROM branches WHERE id = ?", bid)

    def _window(self, rng: random.Random, lo: int = 1, hi: int = 6) -> tuple[str, str]:
        start = (self.today + dt.timedelta(days=rng.randint(1, 34))).isoformat()
        return start, plus_days(start, rng.randint(lo, hi))

    def _free_cars(self, branch_id: int, pickup: str, ret: str, cls: str | None = None) -> list[dict]:
        cars = self.rows(
            "SELECT c.*, k.min_age, k.min_licence_years FROM cars c JOIN car_classes k ON k.class = "
            "c.class WHERE branch_id = ? AND status = 'available' AND (? IS NULL OR c.class = ?) "
            "ORDER BY c.id",
            branch_id,
            cls,
            cls,
        )
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

    def _ask(self, shape: str, rng: random.Random, solve, answer: Answer, **spec) -> TaskDraft:
        """A read-only question."""
        return TaskDraft(
            shape=shape, instruction=self.render(shape, rng, **spec), solution=Program.of(solve, **spec), answer=answer
        )

    def _pick_booked(self, rng: random.Random) -> dict | None:
        """A booked rental that its driver, pickup branch and pickup date name unambiguously."""
        rows = self.rows(
            "SELECT r.*, d.name AS driver FROM rentals r JOIN drivers d ON d.id = r.driver_id "
            "WHERE r.status = 'booked' ORDER BY r.id"
        )
        if not rows:
            return None
        r = rng.choice(rows)
        twins = [
            x
            for x in rows
            if (x["driver_id"], x["pickup_date"], x["pickup_branch"])
            == (r["driver_id"], r["pickup_date"], r["pickup_branch"])
        ]
        return r if len(twins) == 1 else None

    # ---- level 1 ------------------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_car_rate(self, rng: random.Random) -> TaskDraft | None:
        car = rng.choice(self.rows("SELECT plate, daily_rate FROM cars ORDER BY id"))
        return self._ask("car_rate", rng, solve_car_rate, Answer.number(car["daily_rate"]), plate=car["plate"])

    @proposer(difficulty=1)
    def propose_one_way_fee(self, rng: random.Random) -> TaskDraft | None:
        route = rng.choice(self.rows("SELECT * FROM one_way_fees ORDER BY id"))
        return self._ask(
            "one_way_fee",
            rng,
            solve_one_way_fee,
            Answer.number(route["fee"]),
            a=self._bname(route["from_branch"]),
            b=self._bname(route["to_branch"]),
        )

    @proposer(difficulty=1)
    def propose_licence_years(self, rng: random.Random) -> TaskDraft | None:
        d = rng.choice(self.rows("SELECT name, licence_years FROM drivers ORDER BY id"))
        return self._ask(
            "licence_years", rng, solve_licence_years, Answer.integer(d["licence_years"]), driver=d["name"]
        )

    # ---- level 2 ------------------------------------------------------------------------------------

    @proposer(difficulty=2, attempts=4)
    def propose_count_available(self, rng: random.Random) -> TaskDraft | None:
        branch = rng.choice(self.rows("SELECT id, name FROM branches ORDER BY id"))
        start, end = self._window(rng)
        cls = rng.choice(CLASSES[:5])[0]
        n = len(self._free_cars(branch["id"], start, end, cls))
        if n == 0:
            return None
        return self._ask(
            "count_available",
            rng,
            solve_count_available,
            Answer.integer(n),
            branch=branch["name"],
            start=start,
            end=end,
            car_class=cls,
        )

    @proposer(difficulty=2, attempts=4)
    def propose_cheapest_feature(self, rng: random.Random) -> TaskDraft | None:
        branch = rng.choice(self.rows("SELECT id, name FROM branches ORDER BY id"))
        start, end = self._window(rng)
        feature, text = rng.choice(
            [("gps", "GPS"), ("child_seat", "a child seat"), ("automatic", "automatic transmission")]
        )
        cars = sorted(
            (c for c in self._free_cars(branch["id"], start, end) if c[feature]), key=lambda c: c["daily_rate"]
        )
        if not cars or (len(cars) > 1 and cars[0]["daily_rate"] == cars[1]["daily_rate"]):
            return None
        plates = self.column("SELECT plate FROM cars ORDER BY id")
        return self._ask(
            "cheapest_feature",
            rng,
            solve_cheapest_feature,
            Answer.entity(cars[0]["plate"], candidates=plates),
            branch=branch["name"],
            start=start,
            end=end,
            feature=feature,
            feature_text=text,
        )

    @proposer(difficulty=2, attempts=4)
    def propose_quote_total(self, rng: random.Random) -> TaskDraft | None:
        car = rng.choice(
            self.rows(
                "SELECT c.*, k.min_age, k.min_licence_years FROM cars c JOIN car_classes k ON "
                "k.class = c.class WHERE c.status = 'available' ORDER BY c.id"
            )
        )
        driver = rng.choice(self.rows("SELECT * FROM drivers ORDER BY id"))
        ret = rng.choice(
            [car["branch_id"]]
            + self.column("SELECT to_branch FROM one_way_fees WHERE from_branch = ? ORDER BY id", car["branch_id"])
        )
        start, end = self._window(rng, 1, 9)
        ins = self._insurance_for(driver, rng.choice(["BASIC", "PLUS", "FULL"]))
        if not self._eligible(car, driver, ret, ins) or self._overlaps(car["id"], start, end):
            return None  # a price for a rental the policy would refuse is no answer
        total = self._price(car, driver, start, end, ins, car["branch_id"], ret)
        return self._ask(
            "quote_total",
            rng,
            solve_quote_total,
            Answer.number(total),
            driver=driver["name"],
            plate=car["plate"],
            start=start,
            end=end,
            insurance=ins,
            ret=self._bname(ret),
        )

    @proposer(difficulty=2, attempts=4)
    def propose_driver_spend(self, rng: random.Random) -> TaskDraft | None:
        rows = self.rows(
            "SELECT d.name, SUM(r.total) AS s FROM rentals r JOIN drivers d ON d.id = r.driver_id WHERE "
            "r.status = 'completed' GROUP BY d.id HAVING COUNT(*) >= 2 ORDER BY d.id"
        )
        if not rows:
            return None
        d = rng.choice(rows)
        return self._ask("driver_spend", rng, solve_driver_spend, Answer.number(round(d["s"], 2)), driver=d["name"])

    # ---- level 3 ------------------------------------------------------------------------------------

    @proposer(difficulty=3, attempts=6)
    def propose_book_cheapest(self, rng: random.Random) -> TaskDraft | None:
        branch = rng.choice(self.rows("SELECT id, name FROM branches ORDER BY id"))
        driver = rng.choice(self.rows("SELECT * FROM drivers ORDER BY id"))
        start, end = self._window(rng, 1, 8)
        cls = rng.choice(CLASSES)[0]
        ins = self._insurance_for(driver, rng.choice(["BASIC", "PLUS", "FULL"]))
        cars = sorted(
            (c for c in self._free_cars(branch["id"], start, end, cls) if self._eligible(c, driver, branch["id"], ins)),
            key=lambda c: c["daily_rate"],
        )
        if not cars or (len(cars) > 1 and cars[0]["daily_rate"] == cars[1]["daily_rate"]):
            return None  # no car, or two cheapest ones
        car = cars[0]
        row = {
            "car_id": car["id"],
            "driver_id": driver["id"],
            "pickup_branch": branch["id"],
            "return_branch": branch["id"],
            "pickup_date": start,
            "return_date": end,
            "insurance": ins,
            "total": self._price(car, driver, start, end, ins, branch["id"], branch["id"]),
            "status": "booked",
        }
        spec = {
            "driver": driver["name"],
            "branch": branch["name"],
            "start": start,
            "end": end,
            "car_class": cls,
            "insurance": ins,
        }
        return TaskDraft(
            shape="book_cheapest",
            instruction=self.render("book_cheapest", rng, **spec),
            solution=Program.of(solve_book_cheapest, **spec),
            answer=Answer.none(),
            effects=Effects.on(rentals=inserts(rows=[row])),
        )

    @proposer(difficulty=3, attempts=4)
    def propose_cancel_rental(self, rng: random.Random) -> TaskDraft | None:
        r = self._pick_booked(rng)
        if r is None:
            return None
        spec = {"driver": r["driver"], "branch": self._bname(r["pickup_branch"]), "start": r["pickup_date"]}
        return TaskDraft(
            shape="cancel_rental",
            instruction=self.render("cancel_rental", rng, **spec),
            solution=Program.of(solve_cancel_rental, **spec),
            answer=Answer.none(),
            effects=Effects.on(rentals=updates("status", keys=[r["id"]], values={"status": "cancelled"})),
        )

    @proposer(difficulty=3, attempts=6)
    def propose_extend_rental(self, rng: random.Random) -> TaskDraft | None:
        r = self._pick_booked(rng)
        if r is None:
            return None
        extra = rng.randint(1, 4)
        new_end = plus_days(r["return_date"], extra)
        if days_between(r["pickup_date"], new_end) > 30 or self._overlaps(
            r["car_id"], r["pickup_date"], new_end, r["id"]
        ):
            return None
        total = self._price(
            self._car_by_id(r["car_id"]),
            self._driver(r["driver_id"]),
            r["pickup_date"],
            new_end,
            r["insurance"],
            r["pickup_branch"],
            r["return_branch"],
        )
        spec = {
            "driver": r["driver"],
            "branch": self._bname(r["pickup_branch"]),
            "start": r["pickup_date"],
            "extra": extra,
        }
        return TaskDraft(
            shape="extend_rental",
            instruction=self.render("extend_rental", rng, **spec),
            solution=Program.of(solve_extend_rental, **spec),
            answer=Answer.none(),
            effects=Effects.on(
                rentals=updates("return_date", "total", keys=[r["id"]], values={"return_date": new_end, "total": total})
            ),
        )

    @proposer(difficulty=3, attempts=6)
    def propose_change_return(self, rng: random.Random) -> TaskDraft | None:
        r = self._pick_booked(rng)
        if r is None:
            return None
        car = self._car_by_id(r["car_id"])
        routes = self.column(
            "SELECT to_branch FROM one_way_fees WHERE from_branch = ? AND to_branch != ? ORDER BY id",
            r["pickup_branch"],
            r["return_branch"],
        )
        if not routes or (self._rule("premium_round_trip") and car["class"] in PREMIUM):
            return None
        new = rng.choice(routes + [r["pickup_branch"]])
        if new == r["return_branch"]:
            return None
        total = self._price(
            car,
            self._driver(r["driver_id"]),
            r["pickup_date"],
            r["return_date"],
            r["insurance"],
            r["pickup_branch"],
            new,
        )
        spec = {
            "driver": r["driver"],
            "branch": self._bname(r["pickup_branch"]),
            "start": r["pickup_date"],
            "new_branch": self._bname(new),
        }
        return TaskDraft(
            shape="change_return",
            instruction=self.render("change_return", rng, **spec),
            solution=Program.of(solve_change_return, **spec),
            answer=Answer.none(),
            effects=Effects.on(
                rentals=updates("return_branch", "total", keys=[r["id"]], values={"return_branch": new, "total": total})
            ),
        )

    # ---- level 4 ------------------------------------------------------------------------------------

    @proposer(difficulty=4, attempts=8)
    def propose_one_way_trip(self, rng: random.Random) -> TaskDraft | None:
        route = rng.choice(
            self.rows(
                "SELECT o.* FROM one_way_fees o JOIN branches a ON a.id = o.from_branch "
                "JOIN branches b ON b.id = o.to_branch WHERE a.city != b.city ORDER BY o.id"
            )
        )
        driver = rng.choice(self.rows("SELECT * FROM drivers ORDER BY id"))
        start, end = self._window(rng, 2, 9)
        seats, gear, long_days = rng.choice([4, 5, 5, 7]), rng.choice(["automatic", "manual", "any"]), rng.randint(4, 7)
        ins = self._insurance_for(driver, "FULL" if days_between(start, end) >= long_days else "PLUS")
        costs = sorted(
            self._price(c, driver, start, end, ins, c["branch_id"], route["to_branch"])
            for c in self._free_cars(route["from_branch"], start, end)
            if c["seats"] >= seats
            and (gear == "any" or c["automatic"] == (gear == "automatic"))
            and self._eligible(c, driver, route["to_branch"], ins)
        )
        if len(costs) < 2:
            return None
        budget = float(int(costs[0] * rng.uniform(1.0, 1.12)) + 1)
        if budget >= costs[-1]:
            return None
        spec = {
            "driver": driver["name"],
            "a": self._bname(route["from_branch"]),
            "b": self._bname(route["to_branch"]),
            "start": start,
            "end": end,
            "seats": seats,
            "gear": gear,
            "long_days": long_days,
            "budget": budget,
        }
        leg = {
            "driver_id": driver["id"],
            "pickup": route["from_branch"],
            "return": route["to_branch"],
            "start": start,
            "end": end,
            "min_seats": seats,
            "gear": gear,
            "insurance": ins,
        }
        return TaskDraft(
            shape="one_way_trip",
            instruction=self.render("one_way_trip", rng, **spec),
            solution=Program.of(solve_one_way_trip, **spec, **self._rules()),
            answer=Answer.none(),
            effects=Effects.on(rentals=inserts(1)),  # any car that fits: check_rentals judges it
            check=Program.of(check_rentals, legs=[leg], budget=budget, **self._rules()),
        )

    def _reassign(self, rentals: list[dict], branch_id: int, exclude: set[int], ret_map: dict) -> bool:
        """Whether every rental can get a same-class car at the branch (greedy by pickup date)."""
        taken: list[tuple[int, str, str]] = []
        for r in sorted(rentals, key=lambda r: (r["pickup_date"], r["id"])):
            driver = self._driver(r["driver_id"])
            ret = ret_map.get(r["return_branch"], r["return_branch"])
            ok = [
                c
                for c in self._free_cars(branch_id, r["pickup_date"], r["return_date"], r["class"])
                if c["id"] not in exclude
                and self._eligible(c, driver, ret, r["insurance"])
                and not any(t[0] == c["id"] and t[1] < r["return_date"] and r["pickup_date"] < t[2] for t in taken)
            ]
            if not ok:
                return False
            taken.append((ok[0]["id"], r["pickup_date"], r["return_date"]))
        return True

    @proposer(difficulty=4, attempts=8)
    def propose_car_maintenance(self, rng: random.Random) -> TaskDraft | None:
        cars = self.rows(
            "SELECT c.id, c.plate, c.branch_id FROM cars c WHERE (SELECT COUNT(*) FROM rentals r WHERE "
            "r.car_id = c.id AND r.status = 'booked') BETWEEN 1 AND 3 ORDER BY c.id"
        )
        if not cars:
            return None
        car = rng.choice(cars)
        rentals = self.rows(
            "SELECT r.*, c.class FROM rentals r JOIN cars c ON c.id = r.car_id WHERE r.car_id = ? "
            "AND r.status = 'booked' ORDER BY r.id",
            car["id"],
        )
        if not self._reassign(rentals, car["branch_id"], {car["id"]}, {}):
            return None
        legs = [
            {
                "driver_id": r["driver_id"],
                "pickup": r["pickup_branch"],
                "return": r["return_branch"],
                "start": r["pickup_date"],
                "end": r["return_date"],
                "classes": [r["class"]],
                "insurance": r["insurance"],
                "not_car": car["id"],
            }
            for r in rentals
        ]
        cancel = [r["id"] for r in rentals]
        return TaskDraft(
            shape="car_maintenance",
            instruction=self.render("car_maintenance", rng, plate=car["plate"]),
            solution=Program.of(solve_car_maintenance, plate=car["plate"]),
            answer=Answer.none(),
            effects=Effects.on(
                rentals=Rule(insert=len(rentals), update=["status"], keys=cancel, values={"status": "cancelled"}),
                cars=updates("status", keys=[car["id"]], values={"status": "maintenance"}),
            ),
            check=Program.of(check_rentals, legs=legs, cancel=cancel, **self._rules()),
        )

    # ---- level 5 ------------------------------------------------------------------------------------

    @proposer(difficulty=5, attempts=10)
    def propose_multi_leg(self, rng: random.Random) -> TaskDraft | None:
        first = rng.choice(
            self.rows(
                "SELECT o.* FROM one_way_fees o JOIN branches a ON a.id = o.from_branch "
                "JOIN branches b ON b.id = o.to_branch WHERE a.city != b.city ORDER BY o.id"
            )
        )
        onward = self.rows(
            "SELECT o.* FROM one_way_fees o JOIN branches a ON a.id = o.from_branch JOIN branches b "
            "ON b.id = o.to_branch WHERE o.from_branch = ? AND a.city != b.city AND o.to_branch != ? "
            "ORDER BY o.id",
            first["to_branch"],
            first["from_branch"],
        )
        if not onward:
            return None
        second = rng.choice(onward)
        driver = rng.choice(self.rows("SELECT * FROM drivers ORDER BY id"))
        d1, d2 = self._window(rng, 2, 7)
        d3 = plus_days(d2, rng.randint(2, 7))
        seats, long_days = rng.choice([4, 5, 5]), rng.randint(4, 6)
        legs, cheapest, dearest = [], 0.0, 0.0
        for route, a, b in ((first, d1, d2), (second, d2, d3)):
            ins = self._insurance_for(driver, "FULL" if days_between(a, b) >= long_days else "BASIC")
            costs = sorted(
                self._price(c, driver, a, b, ins, c["branch_id"], route["to_branch"])
                for c in self._free_cars(route["from_branch"], a, b)
                if c["seats"] >= seats and c["class"] != "van" and self._eligible(c, driver, route["to_branch"], ins)
            )
            if not costs:
                return None
            cheapest, dearest = cheapest + costs[0], dearest + costs[-1]
            legs.append(
                {
                    "driver_id": driver["id"],
                    "pickup": route["from_branch"],
                    "return": route["to_branch"],
                    "start": a,
                    "end": b,
                    "min_seats": seats,
                    "no_van": True,
                    "insurance": ins,
                }
            )
        budget = float(int(cheapest * rng.uniform(1.0, 1.1)) + 1)
        if budget >= dearest:
            return None
        spec = {
            "driver": driver["name"],
            "a": self._bname(first["from_branch"]),
            "b": self._bname(first["to_branch"]),
            "c": self._bname(second["to_branch"]),
            "d1": d1,
            "d2": d2,
            "d3": d3,
            "seats": seats,
            "long_days": long_days,
            "budget": budget,
        }
        return TaskDraft(
            shape="multi_leg",
            instruction=self.render("multi_leg", rng, **spec),
            solution=Program.of(solve_multi_leg, **spec, **self._rules()),
            answer=Answer.none(),
            effects=Effects.on(rentals=inserts(2)),  # any two cars that fit: check_rentals judges them
            check=Program.of(check_rentals, legs=legs, budget=budget, **self._rules()),
        )

    def _closure_plan(self, closing: int, target: int) -> tuple[list[dict], list[dict]] | None:
        """The rentals picked up at and returned to `closing`, when all of them can move to `target`."""
        rentals = self.rows(
            "SELECT r.*, c.class FROM rentals r JOIN cars c ON c.id = r.car_id WHERE r.status = "
            "'booked' AND r.pickup_branch = ? ORDER BY r.id",
            closing,
        )
        strays = self.rows(
            "SELECT r.*, c.class FROM rentals r JOIN cars c ON c.id = r.car_id WHERE r.status = "
            "'booked' AND r.return_branch = ? AND r.pickup_branch != ? ORDER BY r.id",
            closing,
            closing,
        )
        keys = {(r["driver_id"], r["pickup_date"], r["return_date"]) for r in rentals}
        if not 1 <= len(rentals) <= 6 or len(rentals) + len(strays) < 2 or len(keys) < len(rentals):
            return None
        if any(
            s["pickup_branch"] != target
            and self._fee(s["pickup_branch"], target) is None
            or (self._rule("premium_round_trip") and s["class"] in PREMIUM)
            for s in strays
        ):
            return None
        return (rentals, strays) if self._reassign(rentals, target, set(), {closing: target}) else None

    @proposer(difficulty=5)
    def propose_branch_closure(self, rng: random.Random) -> TaskDraft | None:
        pairs = [
            (p["a"], p["b"])
            for p in self.rows(
                "SELECT a.id AS a, b.id AS b FROM branches a JOIN branches b "
                "ON a.city = b.city AND a.id != b.id ORDER BY a.id, b.id"
            )
        ]
        plans = [(a, b, plan) for a, b in pairs if (plan := self._closure_plan(a, b))]
        if not plans:
            return None
        closing, target, (rentals, strays) = rng.choice(plans)
        legs = [
            {
                "driver_id": r["driver_id"],
                "pickup": target,
                "return": target if r["return_branch"] == closing else r["return_branch"],
                "start": r["pickup_date"],
                "end": r["return_date"],
                "classes": [r["class"]],
                "insurance": r["insurance"],
            }
            for r in rentals
        ]
        cancel, reroute = [r["id"] for r in rentals], [[s["id"], target] for s in strays]
        spec = {"closing": self._bname(closing), "target": self._bname(target)}
        return TaskDraft(
            shape="branch_closure",
            instruction=self.render("branch_closure", rng, **spec),
            solution=Program.of(solve_branch_closure, **spec),
            answer=Answer.none(),
            effects=Effects.on(
                rentals=Rule(
                    insert=len(rentals),
                    update=["return_branch", "status", "total"],
                    keys=cancel + [s["id"] for s in strays],
                ),
                branches=updates("open", keys=[closing], values={"open": 0}),
            ),
            check=Program.of(check_rentals, legs=legs, cancel=cancel, reroute=reroute, **self._rules()),
        )
