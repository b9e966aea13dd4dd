"""Task proposers, from single lookups (level 1) to delivery plans under a budget (level 5)."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import Answer, Effects, Program, TaskDraft, proposer, updates

from .checks import check_plan
from .solutions import (
    solve_assign_cheapest,
    solve_breakdown,
    solve_customer_plan,
    solve_dispatch_day,
    solve_eligible_trucks,
    solve_free_capacity,
    solve_nearest_depot,
    solve_pending_weight,
    solve_reassign_cheaper,
    solve_route_distance,
    solve_shipment_truck,
    solve_truck_capacity,
)
from .world import shortest_km

PLANNED = ("status", "truck_id", "date", "cost")  # what planning a shipment sets


class LogisticsTasks:
    def _dates(self) -> list[str]:
        today = dt.date.fromisoformat(self._today())
        return [(today + dt.timedelta(days=d)).isoformat() for d in range(0, 15)]

    def _plannable(self, shipment: dict) -> list[str]:
        return [d for d in self._dates() if self._eligible(shipment["id"], d)]

    def _only_cheapest(self, shipment: dict, date: str, exclude: int | None = None) -> dict | None:
        """The one eligible truck with the lowest cost per km; None when there is none or several tie."""
        trucks = sorted(self._eligible(shipment["id"], date, exclude), key=lambda t: t["cost_per_km"])
        if not trucks or (len(trucks) > 1 and trucks[0]["cost_per_km"] == trucks[1]["cost_per_km"]):
            return None
        return trucks[0]

    def _planned(self, shipment: dict, truck: dict, date: str) -> Effects:
        """Exactly this shipment changes, to assigned on `truck` for `date` at the route's cost."""
        cost = round(self._km(shipment["depot_id"], shipment["destination_id"]) * truck["cost_per_km"], 2)
        return Effects.on(
            shipments=updates(
                *PLANNED,
                keys=[shipment["id"]],
                values={"status": "assigned", "truck_id": truck["id"], "date": date, "cost": cost},
            )
        )

    def _greedy(self, jobs: list[tuple[dict, str]], exclude: int | None = None) -> float | None:
        """Plan (shipment, date) jobs heaviest first on the cheapest eligible truck; total cost, or None. Rolls back."""
        self.db.commit()
        total = 0.0
        try:
            for s, date in sorted(jobs, key=lambda j: (-j[0]["weight_kg"], j[0]["id"])):
                if s["status"] == "assigned":
                    self.db.execute("UPDATE shipments SET status = 'pending', truck_id = NULL WHERE id = ?", (s["id"],))
                trucks = sorted(self._eligible(s["id"], date, exclude), key=lambda t: (t["cost_per_km"], t["id"]))
                if not trucks:
                    return None
                self._assign(s["id"], trucks[0]["id"], date)
                total += self.value("SELECT cost FROM shipments WHERE id = ?", s["id"])
            return round(total, 2)
        finally:
            self.db.rollback()

    def _plan(self, jobs: list[tuple[dict, str]], budget: float) -> dict:
        """Effects and check of a plan: exactly these shipments end assigned, each valid, within the budget."""
        return {
            "effects": Effects.on(
                shipments=updates(*PLANNED, keys=[s["id"] for s, _ in jobs], values={"status": "assigned"})
            ),
            "check": Program.of(
                check_plan,
                budget=budget,
                **self._rules(),
                shipments={
                    str(s["id"]): {"km": self._km(s["depot_id"], s["destination_id"]), "dates": [date]}
                    for s, date in jobs
                },
            ),
        }

    # ---- lookups ----------------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_truck_capacity(self, rng: random.Random) -> TaskDraft | None:
        truck = rng.choice(self.rows("SELECT code, capacity_kg FROM trucks ORDER BY id"))
        return TaskDraft(
            shape="truck_capacity",
            instruction=self.render("truck_capacity", rng, truck=truck["code"]),
            solution=Program.of(solve_truck_capacity, truck=truck["code"]),
            answer=Answer.integer(truck["capacity_kg"]),
            tools=("list_trucks", "get_truck", "list_depots"),
        )

    @proposer(difficulty=1)
    def propose_route_distance(self, rng: random.Random) -> TaskDraft | None:
        a, b = rng.sample(self.rows("SELECT id, name FROM locations ORDER BY id"), 2)
        km = shortest_km(self.rows("SELECT a, b, km FROM roads"), a["id"], b["id"])[0]
        return TaskDraft(
            shape="route_distance",
            instruction=self.render("route_distance", rng, origin=a["name"], destination=b["name"]),
            solution=Program.of(solve_route_distance, origin=a["name"], destination=b["name"]),
            answer=Answer.number(km, decimals=1),
            tools=("shortest_route", "list_roads", "list_depots"),
        )

    @proposer(difficulty=1)
    def propose_shipment_truck(self, rng: random.Random) -> TaskDraft | None:
        shipment = rng.choice(
            self.rows(
                "SELECT s.ref, t.code FROM shipments s JOIN trucks t ON t.id = s.truck_id "
                "WHERE s.status = 'assigned' ORDER BY s.id"
            )
        )
        return TaskDraft(
            shape="shipment_truck",
            instruction=self.render("shipment_truck", rng, ref=shipment["ref"]),
            solution=Program.of(solve_shipment_truck, ref=shipment["ref"]),
            answer=Answer.entity(shipment["code"], candidates=self.column("SELECT code FROM trucks")),
            tools=("get_shipment", "list_shipments", "get_truck"),
        )

    @proposer(difficulty=2)
    def propose_pending_weight(self, rng: random.Random) -> TaskDraft | None:
        depot = rng.choice(self.rows("SELECT id, name FROM depots ORDER BY id"))
        total = self.value(
            "SELECT COALESCE(SUM(weight_kg), 0) FROM shipments WHERE depot_id = ? AND status = 'pending'", depot["id"]
        )
        return TaskDraft(
            shape="pending_weight",
            instruction=self.render("pending_weight", rng, depot=depot["name"].removesuffix(" Depot")),
            solution=Program.of(solve_pending_weight, depot=depot["name"]),
            answer=Answer.integer(total),
            tools=("list_depots", "list_shipments", "get_shipment"),
        )

    @proposer(difficulty=2)
    def propose_free_capacity(self, rng: random.Random) -> TaskDraft | None:
        planned = self.rows(
            "SELECT DISTINCT t.code, t.id, t.capacity_kg, s.date FROM shipments s JOIN trucks t ON "
            "t.id = s.truck_id WHERE s.status = 'assigned' ORDER BY t.id, s.date"
        )
        if not planned:
            return None
        pick = rng.choice(planned)
        if rng.random() < 0.25:
            pick = {**pick, "date": rng.choice(self._dates())}
        free = pick["capacity_kg"] - self._load(pick["id"], pick["date"])[0]
        return TaskDraft(
            shape="free_capacity",
            instruction=self.render("free_capacity", rng, truck=pick["code"], date=pick["date"]),
            solution=Program.of(solve_free_capacity, truck=pick["code"], date=pick["date"]),
            answer=Answer.integer(free),
            tools=("get_truck", "list_trucks", "list_shipments"),
        )

    @proposer(difficulty=2)
    def propose_nearest_depot(self, rng: random.Random) -> TaskDraft | None:
        depots = self.rows("SELECT id, name, location_id FROM depots ORDER BY id")
        town = rng.choice(
            self.rows("SELECT id, name FROM locations WHERE id NOT IN (SELECT location_id FROM depots) ORDER BY id")
        )
        dist = sorted((self._km(d["id"], town["id"]), d["name"]) for d in depots)
        if dist[0][0] == dist[1][0]:
            return None
        return TaskDraft(
            shape="nearest_depot",
            instruction=self.render("nearest_depot", rng, town=town["name"]),
            solution=Program.of(solve_nearest_depot, town=town["name"]),
            answer=Answer.entity(dist[0][1], candidates=[d["name"] for d in depots]),
            tools=("list_depots", "shortest_route", "list_roads"),
        )

    @proposer(difficulty=2, attempts=5)
    def propose_eligible_trucks(self, rng: random.Random) -> TaskDraft | None:
        depot = rng.choice(self.rows("SELECT id, name FROM depots ORDER BY id"))
        weight, cold, date = rng.randint(10, 120) * 50, rng.random() < 0.4, rng.choice(self._dates()[:8])
        rules = self._rules()
        if rules["weekend_off"] and dt.date.fromisoformat(date).weekday() >= 5:
            return None
        trucks = self.rows("SELECT * FROM trucks WHERE depot_id = ? ORDER BY id", depot["id"])
        ok = [
            t["code"]
            for t in trucks
            if t["status"] == "available"
            and (t["refrigerated"] or not cold)
            and self._load(t["id"], date)[0] + weight <= t["capacity_kg"]
            and not (rules["max_stops"] and self._load(t["id"], date)[1] >= rules["max_stops"])
        ]
        if not ok or len(ok) == len(trucks):
            return None
        spec = {"depot": depot["name"], "weight": weight, "date": date, "cold": cold}
        return TaskDraft(
            shape="eligible_trucks",
            instruction=self.render("eligible_trucks", rng, **spec, kind="refrigerated" if cold else "dry"),
            solution=Program.of(solve_eligible_trucks, **spec, max_stops=rules["max_stops"]),
            answer=Answer.entities(ok, candidates=self.column("SELECT code FROM trucks")),
            tools=("list_trucks", "get_truck", "list_depots"),
        )

    # ---- planning ---------------------------------------------------------------------------------

    @proposer(difficulty=3, attempts=3)
    def propose_assign_cheapest(self, rng: random.Random) -> TaskDraft | None:
        pending = self.rows(
            "SELECT * FROM shipments WHERE status = 'pending' AND window_end >= ? ORDER BY id", self._today()
        )
        shipment = rng.choice(pending)
        dates = self._plannable(shipment)
        if not dates:
            return None
        date = rng.choice(dates)
        best = self._only_cheapest(shipment, date)
        if best is None:
            return None
        return TaskDraft(
            shape="assign_cheapest",
            instruction=self.render("assign_cheapest", rng, ref=shipment["ref"], date=date),
            solution=Program.of(solve_assign_cheapest, ref=shipment["ref"], date=date, **self._rules()),
            answer=Answer.none(),
            effects=self._planned(shipment, best, date),
        )

    @proposer(difficulty=3)
    def propose_reassign_cheaper(self, rng: random.Random) -> TaskDraft | None:
        options = []
        for s in self.rows(
            "SELECT s.*, t.cost_per_km AS rate FROM shipments s JOIN trucks t ON t.id = s.truck_id "
            "WHERE s.status = 'assigned' ORDER BY s.id"
        ):
            best = self._only_cheapest(s, s["date"], exclude=s["truck_id"])
            if best and best["cost_per_km"] < s["rate"]:
                options.append((s, best))
        if not options:
            return None
        shipment, best = rng.choice(options)
        return TaskDraft(
            shape="reassign_cheaper",
            instruction=self.render("reassign_cheaper", rng, ref=shipment["ref"]),
            solution=Program.of(solve_reassign_cheaper, ref=shipment["ref"], **self._rules()),
            answer=Answer.none(),
            effects=self._planned(shipment, best, shipment["date"]),
        )

    @proposer(difficulty=4, attempts=10)
    def propose_dispatch_day(self, rng: random.Random) -> TaskDraft | None:
        depot, date = rng.choice(self.rows("SELECT id, name FROM depots ORDER BY id")), rng.choice(self._dates()[:7])
        due = self.rows(
            "SELECT * FROM shipments WHERE depot_id = ? AND status = 'pending' AND window_start <= ? AND "
            "window_end >= ? ORDER BY id",
            depot["id"],
            date,
            date,
        )
        if not 2 <= len(due) <= 10:
            return None
        jobs = [(s, date) for s in due]
        cost = self._greedy(jobs)
        if cost is None:
            return None
        budget = float(int(cost * rng.uniform(1.0, 1.12)) + 1)
        return TaskDraft(
            shape="dispatch_day",
            instruction=self.render("dispatch_day", rng, depot=depot["name"], date=date, budget=budget),
            solution=Program.of(solve_dispatch_day, depot=depot["name"], date=date, **self._rules()),
            answer=Answer.none(),
            **self._plan(jobs, budget),
        )

    @proposer(difficulty=4)
    def propose_breakdown(self, rng: random.Random) -> TaskDraft | None:
        trucks = self.rows(
            "SELECT t.id, t.code FROM trucks t JOIN shipments s ON s.truck_id = t.id WHERE "
            "s.status = 'assigned' GROUP BY t.id ORDER BY t.id"
        )
        truck = rng.choice(trucks)
        jobs = [
            (s, s["date"])
            for s in self.rows(
                "SELECT * FROM shipments WHERE truck_id = ? AND status = 'assigned' ORDER BY id", truck["id"]
            )
        ]
        if any(date < self._today() for _, date in jobs):
            return None
        cost = self._greedy(jobs, exclude=truck["id"])
        if cost is None:
            return None
        budget = float(int(cost * rng.uniform(1.0, 1.12)) + 1)
        plan = self._plan(jobs, budget)
        return TaskDraft(
            shape="breakdown",
            instruction=self.render("breakdown", rng, truck=truck["code"], budget=budget),
            solution=Program.of(solve_breakdown, truck=truck["code"], **self._rules()),
            answer=Answer.none(),
            check=plan["check"],
            effects=Effects.on(
                **plan["effects"].tables, trucks=updates("status", keys=[truck["id"]], values={"status": "maintenance"})
            ),
        )

    @proposer(difficulty=5, attempts=5)
    def propose_customer_plan(self, rng: random.Random) -> TaskDraft | None:
        customer = rng.choice(self.rows("SELECT id, name FROM customers ORDER BY id"))
        pending = self.rows(
            "SELECT * FROM shipments WHERE customer_id = ? AND status = 'pending' AND window_end >= ? ORDER BY id",
            customer["id"],
            self._today(),
        )
        if not 2 <= len(pending) <= 5:
            return None
        jobs = []
        for s in pending:
            dates = self._plannable(s)
            if not dates:
                return None
            jobs.append((s, dates[0]))
        cost = self._greedy(jobs)
        if cost is None:
            return None
        budget = float(int(cost * rng.uniform(1.0, 1.1)) + 1)
        return TaskDraft(
            shape="customer_plan",
            instruction=self.render("customer_plan", rng, customer=customer["name"], budget=budget),
            solution=Program.of(solve_customer_plan, customer=customer["name"], **self._rules()),
            answer=Answer.none(),
            **self._plan(jobs, budget),
        )
