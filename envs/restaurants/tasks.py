"""Task proposers, from single lookups (level 1) to closing a restaurant for a day (level 5)."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import Answer, Effects, Program, Rule, TaskDraft, proposer, updates

from .checks import check_bookings
from .solutions import (
    solve_best_rated,
    solve_cancel,
    solve_closing_time,
    solve_covers_on_date,
    solve_customer_deposits,
    solve_diet_count,
    solve_open_at,
    solve_plan,
    solve_reservation_table,
    solve_resize,
    solve_table_seats,
)
from .world import CUISINES, DIETS, DINNER_TIMES, SITTING, WEEKDAYS, minutes


class RestaurantsTasks:
    # ---- proposer helpers ---------------------------------------------------------------------------

    def _all_restaurants(self) -> list[dict]:
        return self.rows("SELECT * FROM restaurants ORDER BY id")

    def _names(self) -> list[str]:
        return self.column("SELECT name FROM restaurants ORDER BY id")

    def _upcoming(self) -> list[dict]:
        return self.rows("SELECT * FROM reservations WHERE status = 'booked' AND date > ? ORDER BY id", self._today())

    def _diet_count(self, rid: int, diet: str) -> int:
        return self.value(
            f"SELECT COUNT(*) FROM menu_items WHERE restaurant_id = ? AND course = 'main' AND {diet} = 1", rid
        )

    def _future_date(self, rng: random.Random, lo: int = 2, hi: int = 20) -> str:
        return (dt.date.fromisoformat(self._today()) + dt.timedelta(days=rng.randint(lo, hi))).isoformat()

    def _qualifies(self, r: dict, crit: dict) -> bool:
        """Whether a restaurant meets a task's static criteria (everything except table availability)."""
        price_ok = r["price_level"] <= crit.get("max_price", 4) or (
            crit.get("bonus") is not None and r["rating"] >= crit["bonus"] and r["price_level"] <= crit["max_price"] + 1
        )
        return (
            price_ok
            and r["rating"] >= crit.get("min_rating", 0)
            and r["cuisine"] == crit.get("cuisine", r["cuisine"])
            and r["id"] != crit.get("exclude")
            and (not crit.get("diet") or self._diet_count(r["id"], crit["diet"]) >= crit["diet_min"])
            and (crit.get("cap") is None or self._deposit(r["id"], crit["party"]) <= crit["cap"])
        )

    def _common(self) -> dict:
        return {"rules": self._rules(), "today": self._today(), "use_tool": self.has_tool("find_available_tables")}

    def _refund(self, res: dict) -> int:
        days = (dt.date.fromisoformat(res["date"]) - dt.date.fromisoformat(self._today())).days
        return res["deposit"] if days >= 2 else 0

    def _bookings(
        self, cancel: list[dict] = (), new: list[dict] = (), allowed: list[list[int]] | None = None, **limits
    ) -> tuple[Effects, Program | None]:
        """Effects of cancelling the reservations `cancel` and booking the parties `new` (customer_id, date,
        time, party_size, and restaurant_id when there is one place to book); with `allowed` (the restaurant ids
        each new party may go to) or refunds that differ between the cancelled ones, a check says the rest."""
        refunds = [[r["id"], self._refund(r)] for r in cancel]
        same = len({refund for _, refund in refunds}) <= 1
        values = {"status": "cancelled", **({"refund": refunds[0][1]} if refunds and same else {})}
        rule = Rule(
            insert=len(new),
            rows=[{**n, "status": "booked"} for n in new] or None,
            update=["refund", "status"] if cancel else [],
            keys=[r["id"] for r in cancel] or None,
            values=values if cancel else None,
        )
        check = None
        if allowed is not None or not same:
            check = Program.of(
                check_bookings,
                new=[[n["customer_id"], n["date"], a] for n, a in zip(new, allowed or [])],
                refunds=[] if same else refunds,
                **limits,
            )
        return Effects.on(reservations=rule), check

    # ---- proposers ----------------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_closing_time(self, rng: random.Random) -> TaskDraft | None:
        h = rng.choice(self.rows("SELECT h.*, r.name FROM hours h JOIN restaurants r ON r.id = h.restaurant_id"))
        return TaskDraft(
            shape="closing_time",
            instruction=self.render("closing_time", rng, restaurant=h["name"], weekday=WEEKDAYS[h["weekday"]]),
            solution=Program.of(solve_closing_time, restaurant=h["name"], weekday=WEEKDAYS[h["weekday"]]),
            answer=Answer.time(h["close"]),
            tools=("get_restaurant", "search_restaurants"),
        )

    @proposer(difficulty=1)
    def propose_reservation_table(self, rng: random.Random) -> TaskDraft | None:
        if not self.has_tool("get_reservation"):
            return None
        res = rng.choice(self.rows("SELECT * FROM reservations ORDER BY id"))
        codes = self.column("SELECT code FROM tables WHERE restaurant_id = ?", res["restaurant_id"])
        return TaskDraft(
            shape="reservation_table",
            instruction=self.render("reservation_table", rng, ref=res["ref"]),
            solution=Program.of(solve_reservation_table, ref=res["ref"]),
            answer=Answer.entity(self._public(res)["table"], candidates=codes),
            tools=("get_reservation",),
        )

    @proposer(difficulty=1)
    def propose_table_seats(self, rng: random.Random) -> TaskDraft | None:
        t = rng.choice(self.rows("SELECT t.*, r.name FROM tables t JOIN restaurants r ON r.id = t.restaurant_id"))
        return TaskDraft(
            shape="table_seats",
            instruction=self.render("table_seats", rng, restaurant=t["name"], table=t["code"]),
            solution=Program.of(solve_table_seats, restaurant=t["name"], table=t["code"]),
            answer=Answer.integer(t["seats"]),
            tools=("get_restaurant", "search_restaurants"),
        )

    @proposer(difficulty=2)
    def propose_diet_count(self, rng: random.Random) -> TaskDraft | None:
        r, diet = rng.choice(self._all_restaurants()), rng.choice(DIETS)
        return TaskDraft(
            shape="diet_count",
            instruction=self.render("diet_count", rng, restaurant=r["name"], diet_word=diet.replace("_", "-")),
            solution=Program.of(solve_diet_count, restaurant=r["name"], diet=diet),
            answer=Answer.integer(self._diet_count(r["id"], diet)),
            tools=("get_menu", "search_restaurants"),
        )

    @proposer(difficulty=2, attempts=4)
    def propose_best_rated(self, rng: random.Random) -> TaskDraft | None:
        cuisine, max_price = rng.choice(CUISINES), rng.randint(2, 4)
        pool = sorted(
            (r for r in self._all_restaurants() if r["cuisine"] == cuisine and r["price_level"] <= max_price),
            key=lambda r: -r["rating"],
        )
        if not pool or (len(pool) > 1 and pool[0]["rating"] == pool[1]["rating"]):
            return None
        return TaskDraft(
            shape="best_rated",
            instruction=self.render("best_rated", rng, cuisine=cuisine, max_price=max_price),
            solution=Program.of(solve_best_rated, cuisine=cuisine, max_price=max_price),
            answer=Answer.entity(pool[0]["name"], candidates=self._names()),
            tools=("search_restaurants", "get_restaurant"),
        )

    @proposer(difficulty=2, attempts=3)
    def propose_covers_on_date(self, rng: random.Random) -> TaskDraft | None:
        res = rng.choice(self._upcoming())
        r = self.value("SELECT name FROM restaurants WHERE id = ?", res["restaurant_id"])
        total = self.value(
            "SELECT SUM(party_size) FROM reservations WHERE restaurant_id = ? AND date = ? AND status = 'booked'",
            res["restaurant_id"],
            res["date"],
        )
        return TaskDraft(
            shape="covers_on_date",
            instruction=self.render("covers_on_date", rng, restaurant=r, date=res["date"]),
            solution=Program.of(solve_covers_on_date, restaurant=r, date=res["date"]),
            answer=Answer.integer(total),
            tools=("list_reservations", "get_reservation"),
        )

    @proposer(difficulty=2)
    def propose_customer_deposits(self, rng: random.Random) -> TaskDraft | None:
        cust = rng.choice(
            self.rows(
                "SELECT DISTINCT c.* FROM customers c JOIN reservations x ON x.customer_id = c.id "
                "WHERE x.status = 'booked' ORDER BY c.id"
            )
        )
        total = self.value(
            "SELECT SUM(deposit) FROM reservations WHERE customer_id = ? AND status = 'booked'", cust["id"]
        )
        return TaskDraft(
            shape="customer_deposits",
            instruction=self.render("customer_deposits", rng, customer=cust["name"]),
            solution=Program.of(solve_customer_deposits, customer=cust["name"]),
            answer=Answer.number(total),
            tools=("list_reservations", "get_reservation"),
        )

    @proposer(difficulty=2, attempts=4)
    def propose_open_at(self, rng: random.Random) -> TaskDraft | None:
        cuisine, wd = rng.choice(CUISINES), rng.randrange(7)
        time = rng.choice(["12:00", "12:30", "17:30", "19:30", "20:00", "20:30", "21:00", "21:30"])
        pool = [r for r in self._all_restaurants() if r["cuisine"] == cuisine]
        hits = []
        for r in pool:
            h = self.rows("SELECT * FROM hours WHERE restaurant_id = ? AND weekday = ?", r["id"], wd)
            h = h[0] if h else None
            if h and minutes(h["open"]) <= minutes(time) and minutes(time) + SITTING <= minutes(h["close"]):
                hits.append(r["name"])
        if not hits or len(hits) == len(pool):
            return None
        return TaskDraft(
            shape="open_at",
            instruction=self.render("open_at", rng, cuisine=cuisine, weekday=WEEKDAYS[wd], time=time),
            solution=Program.of(solve_open_at, cuisine=cuisine, weekday=WEEKDAYS[wd], time=time),
            answer=Answer.entities(hits, candidates=self._names()),
            tools=("search_restaurants", "get_restaurant"),
        )

    @proposer(difficulty=3, attempts=5)
    def propose_book_table(self, rng: random.Random) -> TaskDraft | None:
        r, cust = rng.choice(self._all_restaurants()), rng.choice(self.rows("SELECT * FROM customers ORDER BY id"))
        date, time, party = self._future_date(rng, 1, 25), rng.choice(DINNER_TIMES), rng.randint(2, 9)
        if self._on_date(cust["id"], date) or not self._free_tables(r["id"], date, time, party):
            return None
        effects, _ = self._bookings(
            new=[{"customer_id": cust["id"], "date": date, "time": time, "party_size": party, "restaurant_id": r["id"]}]
        )
        return TaskDraft(
            shape="book_table",
            instruction=self.render(
                "book_table", rng, restaurant=r["name"], customer=cust["name"], date=date, time=time, party=party
            ),
            solution=Program.of(
                solve_plan,
                bookings=[{"customer": cust["name"], "date": date, "time": time, "party": party, "names": [r["name"]]}],
                report_deposit=True,
                **self._common(),
            ),
            answer=Answer.number(self._deposit(r["id"], party)),
            effects=effects,
        )

    @proposer(difficulty=3)
    def propose_cancel_booking(self, rng: random.Random) -> TaskDraft | None:
        res = rng.choice(self._upcoming())
        p = self._public(res)
        return TaskDraft(
            shape="cancel_booking",
            instruction=self.render(
                "cancel_booking", rng, customer=p["customer"], restaurant=p["restaurant"], date=res["date"]
            ),
            solution=Program.of(solve_cancel, customer=p["customer"], restaurant=p["restaurant"], date=res["date"]),
            answer=Answer.number(self._refund(res)),
            effects=self._bookings(cancel=[res])[0],
        )

    @proposer(difficulty=3, attempts=6)
    def propose_resize_party(self, rng: random.Random) -> TaskDraft | None:
        res = rng.choice(self._upcoming())
        party = res["party_size"] + rng.choice([1, 2, 3])
        free = self._free_tables(res["restaurant_id"], res["date"], res["time"], party, ignore=res["id"])
        if not free:
            return None
        values = {"party_size": party, "deposit": self._deposit(res["restaurant_id"], party)}
        if res["table_id"] in [t["id"] for t in free] or len(free) == 1:  # else: any free table will do
            values["table_id"] = res["table_id"] if res["table_id"] in [t["id"] for t in free] else free[0]["id"]
        return TaskDraft(
            shape="resize_party",
            instruction=self.render("resize_party", rng, ref=res["ref"], party=party),
            solution=Program.of(
                solve_resize, ref=res["ref"], party=party, restaurant=self._public(res)["restaurant"], **self._common()
            ),
            answer=Answer.number(values["deposit"]),
            effects=Effects.on(
                reservations=updates("party_size", "table_id", "deposit", keys=[res["id"]], values=values)
            ),
            tools=None if self.has_tool("get_reservation") else ("get_reservation",),
        )

    def _candidates(self, crit: dict) -> list[dict]:
        """Qualifying restaurants, best rated first (the order a planner would try them in)."""
        return sorted(
            (r for r in self._all_restaurants() if self._qualifies(r, crit)), key=lambda r: (-r["rating"], r["name"])
        )

    @proposer(difficulty=4, attempts=6)
    def propose_plan_dinner(self, rng: random.Random) -> TaskDraft | None:
        cust = rng.choice(self.rows("SELECT * FROM customers ORDER BY id"))
        date, time, party = self._future_date(rng, 2, 24), rng.choice(DINNER_TIMES), rng.randint(3, 9)
        crit = {
            "cuisine": rng.choice(CUISINES),
            "min_rating": rng.choice([3.5, 3.8, 4.0, 4.2]),
            "diet": rng.choice(DIETS),
            "diet_min": rng.choice([2, 3]),
            "max_price": rng.choice([2, 3]),
            "bonus": rng.choice([4.3, 4.5, 4.6]),
            "party": party,
            "cap": rng.choice([None, 120, 150, 200]) if party >= self._rules()["deposit_from"] else None,
        }
        loose = dict(crit, min_rating=0, diet=None, max_price=4, bonus=None, cap=None)
        allowed = [r for r in self._candidates(crit) if self._free_tables(r["id"], date, time, party)]
        if self._on_date(cust["id"], date) or not allowed or len(self._candidates(loose)) < 2:
            return None
        words = dict(
            customer=cust["name"],
            party=party,
            date=date,
            time=time,
            cuisine=crit["cuisine"],
            min_rating=crit["min_rating"],
            diet_min=crit["diet_min"],
            diet_word=crit["diet"].replace("_", "-"),
            max_price=crit["max_price"],
            bonus=crit["bonus"],
            cap=crit["cap"],
        )
        effects, check = self._bookings(
            new=[{"customer_id": cust["id"], "date": date, "time": time, "party_size": party}],
            allowed=[[r["id"] for r in self._candidates(crit)]],
        )
        return TaskDraft(
            shape="plan_dinner",
            instruction=self.render("plan_dinner", rng, **words),
            solution=Program.of(
                solve_plan,
                bookings=[{"customer": cust["name"], "date": date, "time": time, "party": party, "crit": crit}],
                **self._common(),
            ),
            answer=Answer.none(),
            effects=effects,
            check=check,
        )

    @proposer(difficulty=4, attempts=6)
    def propose_move_booking(self, rng: random.Random) -> TaskDraft | None:
        res = rng.choice(self._upcoming())
        old = self.one("SELECT * FROM restaurants WHERE id = ?", res["restaurant_id"], missing="no restaurant")
        crit = {"cuisine": old["cuisine"], "min_rating": rng.choice([3.0, 3.5, 3.8, 4.0]), "exclude": old["id"]}
        allowed = self._candidates(crit)
        if not any(self._free_tables(r["id"], res["date"], res["time"], res["party_size"]) for r in allowed):
            return None
        p = self._public(res)
        effects, check = self._bookings(
            cancel=[res],
            new=[{k: res[k] for k in ("customer_id", "date", "time", "party_size")}],
            allowed=[[r["id"] for r in allowed]],
        )
        return TaskDraft(
            shape="move_booking",
            instruction=self.render(
                "move_booking",
                rng,
                customer=p["customer"],
                restaurant=p["restaurant"],
                date=res["date"],
                cuisine=old["cuisine"],
                min_rating=crit["min_rating"],
            ),
            solution=Program.of(
                solve_plan,
                cancel={"restaurant": p["restaurant"], "date": res["date"], "customer": p["customer"]},
                rebook=crit,
                **self._common(),
            ),
            answer=Answer.number(self._refund(res)),
            effects=effects,
            check=check,
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
            specs.append(
                {
                    "customer": cust["id"],
                    "date": date,
                    "time": time,
                    "party": party,
                    "crit": crit,
                    "allowed": [r["id"] for r in self._candidates(crit)],
                    "open": [r for r in self._candidates(crit) if self._free_tables(r["id"], date, time, party)],
                }
            )
        if self._on_date(cust["id"], d1) or self._on_date(cust["id"], d2):
            return None
        combos = sorted(
            self._deposit(a["id"], specs[0]["party"]) + self._deposit(b["id"], specs[1]["party"])
            for a in specs[0]["open"]
            for b in specs[1]["open"]
            if a["id"] != b["id"]
        )
        if not combos:
            return None
        cap = combos[0] + rng.choice([0, 10, 25, 50])
        words = dict(
            customer=cust["name"],
            min_rating=base["min_rating"],
            diet_min=2,
            diet_word=base["diet"].replace("_", "-"),
            cap=cap,
        )
        for i, s in enumerate(specs, 1):
            words.update(
                {
                    f"party{i}": s["party"],
                    f"date{i}": s["date"],
                    f"time{i}": s["time"],
                    f"cuisine{i}": s["crit"]["cuisine"],
                }
            )
        effects, check = self._bookings(
            new=[
                {"customer_id": s["customer"], "date": s["date"], "time": s["time"], "party_size": s["party"]}
                for s in specs
            ],
            allowed=[s["allowed"] for s in specs],
            distinct=True,
            cap=cap,
        )
        return TaskDraft(
            shape="two_dinners",
            instruction=self.render("two_dinners", rng, **words),
            solution=Program.of(
                solve_plan,
                bookings=[
                    {
                        "customer": cust["name"],
                        "date": s["date"],
                        "time": s["time"],
                        "party": s["party"],
                        "crit": s["crit"],
                    }
                    for s in specs
                ],
                distinct=True,
                cap=cap,
                **self._common(),
            ),
            answer=Answer.none(),
            effects=effects,
            check=check,
        )

    @proposer(difficulty=5, attempts=8)
    def propose_closure(self, rng: random.Random) -> TaskDraft | None:
        days = self.rows(
            "SELECT restaurant_id, date, COUNT(*) AS n FROM reservations WHERE status = 'booked' AND "
            "date > ? GROUP BY restaurant_id, date HAVING n BETWEEN 2 AND 4 ORDER BY restaurant_id, date",
            self._today(),
        )
        if not days:
            return None
        pick = rng.choice(days)
        old = self.one("SELECT * FROM restaurants WHERE id = ?", pick["restaurant_id"], missing="no restaurant")
        crit = {
            "min_rating": rng.choice([3.0, 3.3, 3.6]),
            "max_price": max(old["price_level"], 2),
            "exclude": old["id"],
        }
        allowed = self._candidates(crit)
        parties = self.rows(
            "SELECT * FROM reservations WHERE restaurant_id = ? AND date = ? AND status = 'booked' ORDER BY time, id",
            old["id"],
            pick["date"],
        )
        taken: list = []
        for p in parties:  # greedy check: every party fits somewhere, given the earlier ones
            spot = next(
                (
                    (r, t)
                    for r in allowed
                    for t in self._free_tables(r["id"], p["date"], p["time"], p["party_size"], extra=tuple(taken))
                ),
                None,
            )
            if spot is None:
                return None
            taken.append((spot[1]["id"], p["date"], p["time"]))
        effects, check = self._bookings(
            cancel=parties,
            new=[{k: p[k] for k in ("customer_id", "date", "time", "party_size")} for p in parties],
            allowed=[[r["id"] for r in allowed]] * len(parties),
        )
        return TaskDraft(
            shape="closure",
            instruction=self.render(
                "closure",
                rng,
                restaurant=old["name"],
                date=pick["date"],
                min_rating=crit["min_rating"],
                max_price=crit["max_price"],
            ),
            solution=Program.of(
                solve_plan, cancel={"restaurant": old["name"], "date": pick["date"]}, rebook=crit, **self._common()
            ),
            answer=Answer.number(sum(self._refund(p) for p in parties)),
            effects=effects,
            check=check,
        )
