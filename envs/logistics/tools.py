"""The logistics tools: lookups, and writes that enforce the policy."""

from __future__ import annotations

import datetime as dt

from synth.env import tool

from .world import shortest_km


class LogisticsTools:
    # ---- helpers ------------------------------------------------------------------------------------

    def _today(self) -> str:
        return self.value("SELECT today FROM office")

    def _rules(self) -> dict:
        return {
            "weekend_off": "weekend_off" in self.variant.rules,
            "max_km": 220.0 if "max_range" in self.variant.rules else 0.0,
            "max_stops": 3 if "three_stops" in self.variant.rules else 0,
        }

    def _km(self, depot_id: int, location_id: int) -> float:
        start = self.value("SELECT location_id FROM depots WHERE id = ?", depot_id)
        return shortest_km(self.rows("SELECT a, b, km FROM roads"), start, location_id)[0]

    def _load(self, truck_id: int, date: str) -> tuple[int, int]:
        row = self.one(
            "SELECT COALESCE(SUM(weight_kg), 0) AS kg, COUNT(*) AS n FROM shipments WHERE truck_id = ? AND "
            "date = ? AND status = 'assigned'",
            truck_id,
            date,
            missing="no load",
        )
        return row["kg"], row["n"]

    def _problem(self, shipment: dict, truck: dict, date: str) -> str | None:
        """Why `truck` may not carry `shipment` on `date` under the policy, or None."""
        rules = self._rules()
        if truck["depot_id"] != shipment["depot_id"]:
            return "the truck belongs to another depot than the shipment leaves from"
        if truck["status"] != "available":
            return "the truck is in maintenance"
        if shipment["refrigerated"] and not truck["refrigerated"]:
            return "refrigerated shipments need a refrigerated truck"
        if not shipment["window_start"] <= date <= shipment["window_end"]:
            return f"the date is outside the delivery window {shipment['window_start']}..{shipment['window_end']}"
        if date < self._today():
            return "deliveries cannot be planned in the past"
        if rules["weekend_off"] and dt.date.fromisoformat(date).weekday() >= 5:
            return "policy: no deliveries on weekends"
        load, stops = self._load(truck["id"], date)
        if load + shipment["weight_kg"] > truck["capacity_kg"]:
            return f"over capacity: the truck already carries {load} of {truck['capacity_kg']} kg that day"
        if rules["max_stops"] and stops >= rules["max_stops"]:
            return f"policy: at most {rules['max_stops']} deliveries per truck and date"
        if rules["max_km"] and self._km(shipment["depot_id"], shipment["destination_id"]) > rules["max_km"]:
            return f"policy: the destination is more than {rules['max_km']:.0f} km from the depot"
        return None

    def _eligible(self, shipment_id: int, date: str, exclude: int | None = None) -> list[dict]:
        s = self.rows("SELECT * FROM shipments WHERE id = ?", shipment_id)[0]
        return [
            t
            for t in self.rows("SELECT * FROM trucks WHERE depot_id = ? ORDER BY id", s["depot_id"])
            if t["id"] != exclude and self._problem(s, t, date) is None
        ]

    def _assign(self, shipment_id: int, truck_id: int, date: str) -> None:
        s = self.rows("SELECT * FROM shipments WHERE id = ?", shipment_id)[0]
        rate = self.value("SELECT cost_per_km FROM trucks WHERE id = ?", truck_id)
        cost = round(self._km(s["depot_id"], s["destination_id"]) * rate, 2)
        self.db.execute(
            "UPDATE shipments SET status = 'assigned', truck_id = ?, date = ?, cost = ? WHERE id = ?",
            (truck_id, date, cost, shipment_id),
        )

    def _by_ref(self, ref: str) -> dict:
        return self.one(
            "SELECT * FROM shipments WHERE upper(ref) = upper(?)",
            ref,
            missing=f"no shipment {ref!r}; list_shipments shows them",
        )

    def _location(self, name: str) -> int:
        return self.one(
            "SELECT id FROM locations WHERE lower(name) = lower(?)",
            name,
            missing=f"unknown location {name!r}; depots and customer towns are the known places",
        )["id"]

    def _truck(self, code: str) -> dict:
        return self.one(
            "SELECT * FROM trucks WHERE upper(code) = upper(?)",
            code,
            missing=f"no truck {code!r}; list_trucks shows the fleet",
        )

    # ---- tools --------------------------------------------------------------------------------------

    @tool("read")
    def get_today(self) -> dict:
        """The dispatch office's current date (YYYY-MM-DD) and its weekday."""
        today = self._today()
        return {"today": today, "weekday": dt.date.fromisoformat(today).strftime("%A")}

    @tool("read")
    def list_depots(self) -> list[dict]:
        """All depots with the town they are in."""
        return self.rows(
            "SELECT d.id, d.name, l.name AS town FROM depots d JOIN locations l ON l.id = d.location_id ORDER BY d.id"
        )

    @tool("read")
    def list_trucks(self, depot: str | None = None) -> list[dict]:
        """Trucks, optionally of one depot: code, depot, capacity, cost per km, refrigeration and status.

        Args:
            depot: Depot name, e.g. 'Ashford Depot'.
        """
        return [
            {**t, "refrigerated": bool(t["refrigerated"])}
            for t in self.rows(
                "SELECT t.code, d.name AS depot, t.capacity_kg, t.cost_per_km, t.refrigerated, t.status FROM trucks t "
                "JOIN depots d ON d.id = t.depot_id WHERE (? IS NULL OR lower(d.name) = lower(?)) ORDER BY t.id",
                depot,
                depot,
            )
        ]

    @tool("read")
    def get_truck(self, code: str) -> dict:
        """One truck with its schedule: the shipments assigned to it, by date, with their weights.

        Args:
            code: Truck code such as TR-214.
        """
        truck = self._truck(code)
        schedule = self.rows(
            "SELECT ref, date, weight_kg, cost FROM shipments WHERE truck_id = ? AND "
            "status = 'assigned' ORDER BY date, id",
            truck["id"],
        )
        depot = self.value("SELECT name FROM depots WHERE id = ?", truck["depot_id"])
        return {
            "code": truck["code"],
            "depot": depot,
            "capacity_kg": truck["capacity_kg"],
            "cost_per_km": truck["cost_per_km"],
            "refrigerated": bool(truck["refrigerated"]),
            "status": truck["status"],
            "schedule": schedule,
        }

    @tool("read")
    def list_customers(self) -> list[dict]:
        """Customers and the town each is based in."""
        return self.rows(
            "SELECT c.name, l.name AS town FROM customers c JOIN locations l ON l.id = c.location_id ORDER BY c.id"
        )

    @tool("read")
    def list_shipments(
        self, depot: str | None = None, status: str | None = None, customer: str | None = None
    ) -> list[dict]:
        """Shipments filtered by depot name, status (pending, assigned) and customer name.

        Args:
            depot: Depot the shipments leave from.
            status: pending (not planned yet) or assigned.
            customer: Customer name.
        """
        return [
            {**s, "refrigerated": bool(s["refrigerated"])}
            for s in self.rows(
                "SELECT s.ref, c.name AS customer, d.name AS depot, l.name AS destination, s.weight_kg, s.refrigerated, "
                "s.window_start, s.window_end, s.status FROM shipments s JOIN customers c ON c.id = s.customer_id JOIN "
                "depots d ON d.id = s.depot_id JOIN locations l ON l.id = s.destination_id WHERE "
                "(? IS NULL OR lower(d.name) = lower(?)) AND (? IS NULL OR s.status = lower(?)) AND "
                "(? IS NULL OR lower(c.name) = lower(?)) ORDER BY s.id",
                depot,
                depot,
                status,
                status,
                customer,
                customer,
            )
        ]

    @tool("read")
    def get_shipment(self, ref: str) -> dict:
        """One shipment: customer, depot, destination, weight, refrigeration, window, and its truck/date/cost if planned.

        Args:
            ref: Shipment reference such as SH-5012.
        """
        s = self._by_ref(ref)
        row = self.rows(
            "SELECT s.ref, c.name AS customer, d.name AS depot, l.name AS destination, s.weight_kg, "
            "s.refrigerated, s.window_start, s.window_end, s.status, t.code AS truck, s.date, s.cost FROM "
            "shipments s JOIN customers c ON c.id = s.customer_id JOIN depots d ON d.id = s.depot_id JOIN "
            "locations l ON l.id = s.destination_id LEFT JOIN trucks t ON t.id = s.truck_id WHERE "
            "s.id = ?",
            s["id"],
        )[0]
        return {**row, "refrigerated": bool(row["refrigerated"])}

    @tool("read")
    def shortest_route(self, origin: str, destination: str) -> dict:
        """Shortest road distance in km between two places (towns, or depots by name), with the towns on the way.

        Args:
            origin: Start town or depot name.
            destination: End town or depot name.
        """
        ids = []
        for place in (origin, destination):
            depot = self.value("SELECT location_id FROM depots WHERE lower(name) = lower(?)", place)
            ids.append(depot if depot is not None else self._location(place))
        found = shortest_km(self.rows("SELECT a, b, km FROM roads"), ids[0], ids[1])
        if found is None:
            raise ValueError("no road connects these places")
        names = {r["id"]: r["name"] for r in self.rows("SELECT id, name FROM locations")}
        return {"origin": origin, "destination": destination, "km": found[0], "via": [names[i] for i in found[1]]}

    @tool("read")
    def list_roads(self, town: str) -> list[dict]:
        """The direct roads leaving a town, with their length in km.

        Args:
            town: Town name.
        """
        loc = self._location(town)
        return self.rows(
            "SELECT l.name AS to_town, r.km FROM roads r JOIN locations l ON l.id = "
            "CASE WHEN r.a = ? THEN r.b ELSE r.a END WHERE r.a = ? OR r.b = ? ORDER BY r.km",
            loc,
            loc,
            loc,
        )

    @tool("write")
    def assign_shipment(self, ref: str, truck: str, date: str) -> dict:
        """Plan a pending shipment on a truck for a delivery date; the cost is computed from the route.

        Args:
            ref: Shipment reference.
            truck: Truck code.
            date: Delivery date, YYYY-MM-DD.
        """
        s, t = self._by_ref(ref), self._truck(truck)
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            raise ValueError(f"dates look like 2026-05-14, not {date!r}") from None
        if s["status"] != "pending":
            raise ValueError(f"shipment {ref} is {s['status']}; unassign it first to re-plan it")
        problem = self._problem(s, t, date)
        if problem:
            raise ValueError(f"cannot assign {ref} to {truck} on {date}: {problem}")
        self._assign(s["id"], t["id"], date)
        return self.get_shipment(ref)

    @tool("write")
    def unassign_shipment(self, ref: str) -> dict:
        """Take an assigned shipment off its truck; it becomes pending again.

        Args:
            ref: Shipment reference.
        """
        s = self._by_ref(ref)
        if s["status"] != "assigned":
            raise ValueError(f"shipment {ref} is {s['status']}, not assigned")
        self.db.execute(
            "UPDATE shipments SET status = 'pending', truck_id = NULL, date = NULL, cost = NULL WHERE id = ?",
            (s["id"],),
        )
        return self.get_shipment(ref)

    @tool("write")
    def set_truck_status(self, code: str, status: str) -> dict:
        """Put a truck into maintenance or back to available.

        Args:
            code: Truck code.
            status: 'available' or 'maintenance'.
        """
        truck = self._truck(code)
        if status not in ("available", "maintenance"):
            raise ValueError("status must be 'available' or 'maintenance'")
        if status == "maintenance" and self.value(
            "SELECT COUNT(*) FROM shipments WHERE truck_id = ? AND status = 'assigned'", truck["id"]
        ):
            raise ValueError("policy: move the truck's assigned shipments to other trucks first")
        self.db.execute("UPDATE trucks SET status = ? WHERE id = ?", (status, truck["id"]))
        return self.get_truck(code)
