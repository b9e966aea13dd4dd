"""Logistics routing: depots on a road network, trucks with capacity, shipments with weights and delivery windows."""

from __future__ import annotations

import datetime as dt
import heapq
import random

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool
from verifiers.common import verify_names, verify_number

TOWNS = ["Ashford", "Brackley", "Caldmoor", "Dunwick", "Elmstead", "Fenbury", "Glenhollow", "Harrowgate", "Ivybridge",
         "Jarrowby", "Kingsmere", "Larkfield", "Marlow Cross", "Northwold", "Oakhurst", "Pendleford", "Quarrington",
         "Ravensby", "Stowmarsh", "Thornbury", "Upwell", "Vexford", "Whitcombe", "Yarbridge", "Ambleside Vale",
         "Birchley", "Coldharbour", "Draycott", "Eastling", "Foxhole", "Greystone", "Hollins", "Keswold", "Lowther",
         "Millbeck", "Netherby", "Ormsworth", "Pickering Hey", "Rushden", "Saltcoats"]
CUSTOMERS = ["Bramble Foods", "Copperline Tools", "Dunmore Textiles", "Evergreen Pharmacy", "Foxglove Florists",
             "Granite Hardware", "Hillside Dairy", "Ironbark Furniture", "Juniper Books", "Kestrel Electronics",
             "Lakeside Brewing", "Meadowlark Bakery", "Northstar Paints", "Oakleaf Garden Supply", "Pebble Toys",
             "Quillfeather Paper", "Riverbend Seafood", "Sunrise Produce"]
TRUCK_TYPES = [(3500, 0.9), (7500, 1.3), (12000, 1.8), (18000, 2.4)]  # capacity kg, base cost per km


def shortest_km(roads: list[dict], origin: int, target: int) -> tuple[float, list[int]] | None:
    """Dijkstra over undirected roads (a, b, km): distance and path of location ids, or None if unreachable."""
    graph: dict[int, list[tuple[int, float]]] = {}
    for r in roads:
        graph.setdefault(r["a"], []).append((r["b"], r["km"]))
        graph.setdefault(r["b"], []).append((r["a"], r["km"]))
    best, queue = {origin: (0.0, [origin])}, [(0.0, origin)]
    while queue:
        d, node = heapq.heappop(queue)
        if node == target:
            return round(d, 1), best[node][1]
        if d > best[node][0]:
            continue
        for nxt, km in graph.get(node, []):
            if nxt not in best or d + km < best[nxt][0]:
                best[nxt] = (d + km, best[node][1] + [nxt])
                heapq.heappush(queue, (d + km, nxt))
    return None


class LogisticsEnv(EnvTemplate):
    name = "logistics"
    version = "1.0.0"
    category = "logistics routing"
    description = ("A haulier's dispatch system: depots on a road network, trucks with capacities and per-km costs, "
                   "and customer shipments with weights and delivery windows. Look things up and plan deliveries.")
    policy = (
        "Change only the shipments and trucks the request is about. Dates count from the dispatch office's today "
        "(get_today); deliveries can be planned from today on. "
        "A shipment may be carried only by a truck of the depot it leaves from, only on a date inside its delivery "
        "window, and refrigerated shipments need a refrigerated truck. Trucks in maintenance take no shipments. "
        "The shipments a truck carries on one date may weigh at most its capacity in total. "
        "A delivery costs the shortest road distance from the depot to the destination (shortest_route) times the "
        "truck's cost per km, rounded to the cent. "
        "A truck can be put into maintenance only when it has no assigned shipments left; move them first."
    )
    variants = VariantSpace(
        optional_tools=("list_roads", "list_customers"),
        renames={"assign_shipment": ("dispatch_shipment",), "shortest_route": ("route_distance",),
                 "list_shipments": ("search_shipments",)},
        rules={
            "weekend_off": "No deliveries on Saturdays or Sundays.",
            "max_range": "A truck may not deliver to a destination more than 220 km from its depot by road.",
            "three_stops": "A truck makes at most 3 deliveries on one date.",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "truck_capacity": [
            "What is the load capacity of truck {{truck}} in kg?",
            "How many kilograms can truck {{truck}} carry?",
        ],
        "route_distance": [
            "How far is it from {{origin}} to {{destination}} by the shortest road route, in km?",
            "What is the shortest driving distance between {{origin}} and {{destination}}?",
            "Give me the road distance in km from {{origin}} to {{destination}} along the shortest route.",
        ],
        "shipment_truck": [
            "Which truck is shipment {{ref}} assigned to?",
            "Shipment {{ref}} has been planned. On which truck?",
        ],
        "pending_weight": [
            "What is the total weight of the unassigned (pending) shipments waiting at the {{depot}} depot?",
            "Add up the weights of all pending shipments leaving from {{depot}}. How many kg is that?",
        ],
        "free_capacity": [
            "How many kg of free capacity does truck {{truck}} have left on {{date}}?",
            "On {{date}}, how much more weight could truck {{truck}} still take?",
        ],
        "nearest_depot": [
            "Which depot is closest to {{town}} by road?",
            "We need to serve {{town}}. Which of our depots has the shortest road distance to it?",
        ],
        "eligible_trucks": [
            "Which trucks of the {{depot}} depot could take a single {{weight}} kg {{kind}} load on {{date}}, given "
            "their status, type and what they already carry that day?",
            "List the {{depot}} trucks able to carry one more {{kind}} shipment of {{weight}} kg on {{date}}.",
        ],
        "assign_cheapest": [
            "Plan shipment {{ref}} for delivery on {{date}} on the cheapest truck that is allowed to take it.",
            "Assign shipment {{ref}} to a truck for {{date}}, choosing the lowest-cost truck the rules allow.",
        ],
        "reassign_cheaper": [
            "Shipment {{ref}} is planned on a truck that is not the cheapest option. Move it, on the same date, to "
            "the cheapest truck allowed to carry it.",
            "Re-plan shipment {{ref}}: keep its delivery date but put it on the lowest-cost eligible truck.",
        ],
        "dispatch_day": [
            "Dispatch every pending shipment of the {{depot}} depot whose delivery window includes {{date}}: assign "
            "them all for {{date}} while keeping their total delivery cost within {{budget}}.",
            "For {{date}}, plan all pending {{depot}} shipments that may be delivered that day, on trucks of the "
            "depot, spending at most {{budget}} on those deliveries in total.",
        ],
        "breakdown": [
            "Truck {{truck}} has to go into maintenance. Move each of its assigned shipments to another truck on the "
            "same date (total cost of the moved deliveries at most {{budget}}), then set the truck to maintenance.",
            "Take truck {{truck}} out of service: re-plan all of its shipments onto other trucks, keeping each "
            "shipment's date and spending no more than {{budget}} on them, and mark the truck as in maintenance.",
        ],
        "customer_plan": [
            "Plan all pending shipments of {{customer}}: each on the earliest date the rules allow a truck to take it, "
            "with the whole lot costing at most {{budget}}.",
            "{{customer}} wants their pending shipments delivered as early as possible: assign each one on its "
            "earliest feasible date, keeping the total delivery cost within {{budget}}.",
        ],
    }

    # ---- database ---------------------------------------------------------------------------------

    def build(self, rng: random.Random) -> None:
        db = self.db
        db.executescript("""
            CREATE TABLE office (today TEXT);
            CREATE TABLE locations (id INTEGER PRIMARY KEY, name TEXT UNIQUE);
            CREATE TABLE roads (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER, km REAL);
            CREATE TABLE depots (id INTEGER PRIMARY KEY, name TEXT UNIQUE, location_id INTEGER);
            CREATE TABLE trucks (id INTEGER PRIMARY KEY, code TEXT UNIQUE, depot_id INTEGER, capacity_kg INTEGER,
                cost_per_km REAL, refrigerated INTEGER, status TEXT);
            CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT UNIQUE, location_id INTEGER);
            CREATE TABLE shipments (id INTEGER PRIMARY KEY, ref TEXT UNIQUE, customer_id INTEGER, depot_id INTEGER,
                destination_id INTEGER, weight_kg INTEGER, refrigerated INTEGER, window_start TEXT, window_end TEXT,
                status TEXT, truck_id INTEGER, date TEXT, cost REAL);
        """)
        n_towns, n_depots, per_depot, n_ship = {"small": (20, 3, (4, 5), (175, 200)),
                                                 "medium": (26, 4, (4, 6), (200, 240)),
                                                 "large": (36, 5, (5, 7), (280, 330))}[self.variant.scale]
        today = dt.date(2026, rng.randint(3, 9), rng.randint(1, 20))
        db.execute("INSERT INTO office VALUES (?)", (today.isoformat(),))
        towns = rng.sample(TOWNS, n_towns)
        db.executemany("INSERT INTO locations VALUES (?, ?)", list(enumerate(towns, 1)))
        edges = set()
        for i in range(2, n_towns + 1):  # a random tree keeps every town reachable
            edges.add((rng.randint(max(1, i - 4), i - 1), i))
        while len(edges) < int(n_towns * 1.7):
            a, b = sorted(rng.sample(range(1, n_towns + 1), 2))
            edges.add((a, b))
        db.executemany("INSERT INTO roads (a, b, km) VALUES (?, ?, ?)",
                       [(a, b, float(rng.randint(18, 95))) for a, b in sorted(edges)])
        depot_towns = rng.sample(range(1, n_towns + 1), n_depots)
        code = rng.randint(100, 300)
        for d, loc in enumerate(depot_towns, 1):
            db.execute("INSERT INTO depots VALUES (?, ?, ?)", (d, f"{towns[loc - 1]} Depot", loc))
            for _ in range(rng.randint(*per_depot)):
                code += rng.randint(1, 7)
                cap, rate = rng.choice(TRUCK_TYPES)
                db.execute("INSERT INTO trucks (code, depot_id, capacity_kg, cost_per_km, refrigerated, status) "
                           "VALUES (?, ?, ?, ?, ?, ?)", (f"TR-{code}", d, cap, round(rate + rng.uniform(-0.2, 0.3), 2),
                                                         int(rng.random() < 0.35),
                                                         "maintenance" if rng.random() < 0.12 else "available"))
        customers = rng.sample(CUSTOMERS, min(len(CUSTOMERS), 10 + n_depots * 2))
        db.executemany("INSERT INTO customers VALUES (?, ?, ?)",
                       [(i, c, rng.randint(1, n_towns)) for i, c in enumerate(customers, 1)])
        self._seed_shipments(rng, today, rng.randint(*n_ship), len(customers), n_towns, n_depots)

    def _seed_shipments(self, rng, today, n, n_customers, n_towns, n_depots) -> None:
        for i in range(n):
            start = today + dt.timedelta(days=rng.randint(-6, 8))
            end = start + dt.timedelta(days=rng.randint(2, 6))
            depot = rng.randint(1, n_depots)
            dest = rng.choice([t for t in range(1, n_towns + 1)
                               if t != self.db.execute("SELECT location_id FROM depots WHERE id = ?",
                                                       (depot,)).fetchone()[0]])
            sid = self.db.execute(
                "INSERT INTO shipments (ref, customer_id, depot_id, destination_id, weight_kg, refrigerated, "
                "window_start, window_end, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending')",
                (f"SH-{5000 + i * 3 + rng.randint(0, 2)}", rng.randint(1, n_customers), depot, dest,
                 rng.randint(4, 60) * 50, int(rng.random() < 0.25), start.isoformat(), end.isoformat())).lastrowid
            if end < today:
                continue
            if rng.random() < 0.45:  # already planned on a valid truck and date, when one fits
                date = max(start, today) + dt.timedelta(days=rng.randint(0, 2))
                trucks = self._eligible(sid, date.isoformat()) if date <= end else []
                if trucks:
                    self._assign(sid, rng.choice(trucks)["id"], date.isoformat())

    # ---- helpers ------------------------------------------------------------------------------------

    def _today(self) -> str:
        return self.db.execute("SELECT today FROM office").fetchone()[0]

    def _rules(self) -> dict:
        return {"weekend_off": "weekend_off" in self.variant.rules,
                "max_km": 220.0 if "max_range" in self.variant.rules else 0.0,
                "max_stops": 3 if "three_stops" in self.variant.rules else 0}

    def _km(self, depot_id: int, location_id: int) -> float:
        start = self.db.execute("SELECT location_id FROM depots WHERE id = ?", (depot_id,)).fetchone()[0]
        return shortest_km(self.rows("SELECT a, b, km FROM roads"), start, location_id)[0]

    def _load(self, truck_id: int, date: str) -> tuple[int, int]:
        row = self.db.execute("SELECT COALESCE(SUM(weight_kg), 0), COUNT(*) FROM shipments WHERE truck_id = ? AND "
                              "date = ? AND status = 'assigned'", (truck_id, date)).fetchone()
        return row[0], row[1]

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
        return [t for t in self.rows("SELECT * FROM trucks WHERE depot_id = ? ORDER BY id", s["depot_id"])
                if t["id"] != exclude and self._problem(s, t, date) is None]

    def _assign(self, shipment_id: int, truck_id: int, date: str) -> None:
        s = self.rows("SELECT * FROM shipments WHERE id = ?", shipment_id)[0]
        rate = self.db.execute("SELECT cost_per_km FROM trucks WHERE id = ?", (truck_id,)).fetchone()[0]
        cost = round(self._km(s["depot_id"], s["destination_id"]) * rate, 2)
        self.db.execute("UPDATE shipments SET status = 'assigned', truck_id = ?, date = ?, cost = ? WHERE id = ?",
                        (truck_id, date, cost, shipment_id))

    def _by_ref(self, ref: str) -> dict:
        row = self.db.execute("SELECT * FROM shipments WHERE upper(ref) = upper(?)", (ref,)).fetchone()
        if row is None:
            raise ValueError(f"no shipment {ref!r}; list_shipments shows them")
        return dict(row)

    def _location(self, name: str) -> int:
        row = self.db.execute("SELECT id FROM locations WHERE lower(name) = lower(?)", (name,)).fetchone()
        if row is None:
            raise ValueError(f"unknown location {name!r}; depots and customer towns are the known places")
        return row[0]

    def _truck(self, code: str) -> dict:
        row = self.db.execute("SELECT * FROM trucks WHERE upper(code) = upper(?)", (code,)).fetchone()
        if row is None:
            raise ValueError(f"no truck {code!r}; list_trucks shows the fleet")
        return dict(row)

    # ---- tools --------------------------------------------------------------------------------------

    @tool("read")
    def get_today(self) -> dict:
        """The dispatch office's current date (YYYY-MM-DD) and its weekday."""
        today = self._today()
        return {"today": today, "weekday": dt.date.fromisoformat(today).strftime("%A")}

    @tool("read")
    def list_depots(self) -> list[dict]:
        """All depots with the town they are in."""
        return self.rows("SELECT d.id, d.name, l.name AS town FROM depots d JOIN locations l ON l.id = d.location_id "
                         "ORDER BY d.id")

    @tool("read")
    def list_trucks(self, depot: str | None = None) -> list[dict]:
        """Trucks, optionally of one depot: code, depot, capacity, cost per km, refrigeration and status.

        Args:
            depot: Depot name, e.g. 'Ashford Depot'.
        """
        return [{**t, "refrigerated": bool(t["refrigerated"])} for t in self.rows(
            "SELECT t.code, d.name AS depot, t.capacity_kg, t.cost_per_km, t.refrigerated, t.status FROM trucks t "
            "JOIN depots d ON d.id = t.depot_id WHERE (? IS NULL OR lower(d.name) = lower(?)) ORDER BY t.id",
            depot, depot)]

    @tool("read")
    def get_truck(self, code: str) -> dict:
        """One truck with its schedule: the shipments assigned to it, by date, with their weights.

        Args:
            code: Truck code such as TR-214.
        """
        truck = self._truck(code)
        schedule = self.rows("SELECT ref, date, weight_kg, cost FROM shipments WHERE truck_id = ? AND "
                             "status = 'assigned' ORDER BY date, id", truck["id"])
        depot = self.db.execute("SELECT name FROM depots WHERE id = ?", (truck["depot_id"],)).fetchone()[0]
        return {"code": truck["code"], "depot": depot, "capacity_kg": truck["capacity_kg"],
                "cost_per_km": truck["cost_per_km"], "refrigerated": bool(truck["refrigerated"]),
                "status": truck["status"], "schedule": schedule}

    @tool("read")
    def list_customers(self) -> list[dict]:
        """Customers and the town each is based in."""
        return self.rows("SELECT c.name, l.name AS town FROM customers c JOIN locations l ON l.id = c.location_id "
                         "ORDER BY c.id")

    @tool("read")
    def list_shipments(self, depot: str | None = None, status: str | None = None,
                       customer: str | None = None) -> list[dict]:
        """Shipments filtered by depot name, status (pending, assigned) and customer name.

        Args:
            depot: Depot the shipments leave from.
            status: pending (not planned yet) or assigned.
            customer: Customer name.
        """
        return [{**s, "refrigerated": bool(s["refrigerated"])} for s in self.rows(
            "SELECT s.ref, c.name AS customer, d.name AS depot, l.name AS destination, s.weight_kg, s.refrigerated, "
            "s.window_start, s.window_end, s.status FROM shipments s JOIN customers c ON c.id = s.customer_id JOIN "
            "depots d ON d.id = s.depot_id JOIN locations l ON l.id = s.destination_id WHERE "
            "(? IS NULL OR lower(d.name) = lower(?)) AND (? IS NULL OR s.status = lower(?)) AND "
            "(? IS NULL OR lower(c.name) = lower(?)) ORDER BY s.id", depot, depot, status, status, customer, customer)]

    @tool("read")
    def get_shipment(self, ref: str) -> dict:
        """One shipment: customer, depot, destination, weight, refrigeration, window, and its truck/date/cost if planned.

        Args:
            ref: Shipment reference such as SH-5012.
        """
        s = self._by_ref(ref)
        row = self.rows("SELECT s.ref, c.name AS customer, d.name AS depot, l.name AS destination, s.weight_kg, "
                        "s.refrigerated, s.window_start, s.window_end, s.status, t.code AS truck, s.date, s.cost FROM "
                        "shipments s JOIN customers c ON c.id = s.customer_id JOIN depots d ON d.id = s.depot_id JOIN "
                        "locations l ON l.id = s.destination_id LEFT JOIN trucks t ON t.id = s.truck_id WHERE "
                        "s.id = ?", s["id"])[0]
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
            depot = self.db.execute("SELECT location_id FROM depots WHERE lower(name) = lower(?)", (place,)).fetchone()
            ids.append(depot[0] if depot else self._location(place))
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
        return self.rows("SELECT l.name AS to_town, r.km FROM roads r JOIN locations l ON l.id = "
                         "CASE WHEN r.a = ? THEN r.b ELSE r.a END WHERE r.a = ? OR r.b = ? ORDER BY r.km",
                         loc, loc, loc)

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
        self.db.execute("UPDATE shipments SET status = 'pending', truck_id = NULL, date = NULL, cost = NULL "
                        "WHERE id = ?", (s["id"],))
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
        if status == "maintenance" and self.db.execute(
                "SELECT COUNT(*) FROM shipments WHERE truck_id = ? AND status = 'assigned'", (truck["id"],)).fetchone()[0]:
            raise ValueError("policy: move the truck's assigned shipments to other trucks first")
        self.db.execute("UPDATE trucks SET status = ? WHERE id = ?", (status, truck["id"]))
        return self.get_truck(code)

    # ---- proposers ----------------------------------------------------------------------------------

    def _dates(self) -> list[str]:
        today = dt.date.fromisoformat(self._today())
        return [(today + dt.timedelta(days=d)).isoformat() for d in range(0, 15)]

    def _cheapest(self, shipment_id: int, date: str, exclude: int | None = None) -> list[dict]:
        """Eligible trucks with the lowest cost per km (several when they tie)."""
        trucks = self._eligible(shipment_id, date, exclude)
        low = min((t["cost_per_km"] for t in trucks), default=None)
        return [t for t in trucks if t["cost_per_km"] == low]

    def _plan_params(self, shipments: list[dict]) -> dict:
        return {str(s["id"]): {"km": self._km(s["depot_id"], s["destination_id"])} for s in shipments}

    @proposer(difficulty=1)
    def propose_truck_capacity(self, rng: random.Random) -> TaskDraft | None:
        truck = rng.choice(self.rows("SELECT code, capacity_kg FROM trucks ORDER BY id"))
        return TaskDraft(
            shape="truck_capacity",
            instruction=self.render("truck_capacity", rng, truck=truck["code"]),
            solution=Program.of(solve_truck_capacity, truck=truck["code"]),
            verifier=Program.of(verify_number, expected=truck["capacity_kg"], tolerance=0),
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
            verifier=Program.of(verify_number, expected=km, tolerance=0.05),
            tools=("shortest_route", "list_roads", "list_depots"),
        )

    @proposer(difficulty=1)
    def propose_shipment_truck(self, rng: random.Random) -> TaskDraft | None:
        shipment = rng.choice(self.rows("SELECT s.ref, t.code FROM shipments s JOIN trucks t ON t.id = s.truck_id "
                                        "WHERE s.status = 'assigned' ORDER BY s.id"))
        return TaskDraft(
            shape="shipment_truck",
            instruction=self.render("shipment_truck", rng, ref=shipment["ref"]),
            solution=Program.of(solve_shipment_truck, ref=shipment["ref"]),
            verifier=Program.of(verify_names, expected=[shipment["code"]],
                                candidates=[t["code"] for t in self.rows("SELECT code FROM trucks")]),
            tools=("get_shipment", "list_shipments", "get_truck"),
        )

    @proposer(difficulty=2)
    def propose_pending_weight(self, rng: random.Random) -> TaskDraft | None:
        depot = rng.choice(self.rows("SELECT id, name FROM depots ORDER BY id"))
        total = self.db.execute("SELECT COALESCE(SUM(weight_kg), 0) FROM shipments WHERE depot_id = ? AND "
                                "status = 'pending'", (depot["id"],)).fetchone()[0]
        return TaskDraft(
            shape="pending_weight",
            instruction=self.render("pending_weight", rng, depot=depot["name"].removesuffix(" Depot")),
            solution=Program.of(solve_pending_weight, depot=depot["name"]),
            verifier=Program.of(verify_number, expected=total, tolerance=0),
            tools=("list_depots", "list_shipments", "get_shipment"),
        )

    @proposer(difficulty=2)
    def propose_free_capacity(self, rng: random.Random) -> TaskDraft | None:
        planned = self.rows("SELECT DISTINCT t.code, t.id, t.capacity_kg, s.date FROM shipments s JOIN trucks t ON "
                            "t.id = s.truck_id WHERE s.status = 'assigned' ORDER BY t.id, s.date")
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
            verifier=Program.of(verify_number, expected=free, tolerance=0),
            tools=("get_truck", "list_trucks", "list_shipments"),
        )

    @proposer(difficulty=2)
    def propose_nearest_depot(self, rng: random.Random) -> TaskDraft | None:
        depots = self.rows("SELECT id, name, location_id FROM depots ORDER BY id")
        town = rng.choice(self.rows("SELECT id, name FROM locations WHERE id NOT IN (SELECT location_id FROM depots) "
                                    "ORDER BY id"))
        dist = sorted((self._km(d["id"], town["id"]), d["name"]) for d in depots)
        if dist[0][0] == dist[1][0]:
            return None
        return TaskDraft(
            shape="nearest_depot",
            instruction=self.render("nearest_depot", rng, town=town["name"]),
            solution=Program.of(solve_nearest_depot, town=town["name"]),
            verifier=Program.of(verify_names, expected=[dist[0][1]], candidates=[d["name"] for d in depots]),
            tools=("list_depots", "shortest_route", "list_roads"),
        )

    def _draft_eligible_trucks(self, rng: random.Random) -> TaskDraft | None:
        depot = rng.choice(self.rows("SELECT id, name FROM depots ORDER BY id"))
        weight, cold, date = rng.randint(10, 120) * 50, rng.random() < 0.4, rng.choice(self._dates()[:8])
        rules = self._rules()
        if rules["weekend_off"] and dt.date.fromisoformat(date).weekday() >= 5:
            return None
        trucks = self.rows("SELECT * FROM trucks WHERE depot_id = ? ORDER BY id", depot["id"])
        ok = [t["code"] for t in trucks if t["status"] == "available" and (t["refrigerated"] or not cold)
              and self._load(t["id"], date)[0] + weight <= t["capacity_kg"]
              and not (rules["max_stops"] and self._load(t["id"], date)[1] >= rules["max_stops"])]
        if not ok or len(ok) == len(trucks):
            return None
        spec = {"depot": depot["name"], "weight": weight, "date": date, "cold": cold}
        return TaskDraft(
            shape="eligible_trucks",
            instruction=self.render("eligible_trucks", rng, **spec, kind="refrigerated" if cold else "dry"),
            solution=Program.of(solve_eligible_trucks, **spec, max_stops=rules["max_stops"]),
            verifier=Program.of(verify_names, expected=ok, candidates=[t["code"] for t in trucks]),
            tools=("list_trucks", "get_truck", "list_depots"),
        )

    def _plannable(self, shipment: dict) -> list[str]:
        return [d for d in self._dates() if self._eligible(shipment["id"], d)]

    @proposer(difficulty=3)
    def propose_assign_cheapest(self, rng: random.Random) -> TaskDraft | None:
        pending = self.rows("SELECT * FROM shipments WHERE status = 'pending' AND window_end >= ? ORDER BY id",
                            self._today())
        shipment = rng.choice(pending)
        dates = self._plannable(shipment)
        if not dates:
            return None
        date = rng.choice(dates)
        best = self._cheapest(shipment["id"], date)
        return TaskDraft(
            shape="assign_cheapest",
            instruction=self.render("assign_cheapest", rng, ref=shipment["ref"], date=date),
            solution=Program.of(solve_assign_cheapest, ref=shipment["ref"], date=date, **self._rules()),
            verifier=Program.of(verify_plan, shipments={str(shipment["id"]): {
                "km": self._km(shipment["depot_id"], shipment["destination_id"]), "dates": [date],
                "rate": best[0]["cost_per_km"]}}, budget=None, maintenance=None, **self._rules()),
        )

    @proposer(difficulty=3)
    def propose_reassign_cheaper(self, rng: random.Random) -> TaskDraft | None:
        options = []
        for s in self.rows("SELECT s.*, t.cost_per_km AS rate FROM shipments s JOIN trucks t ON t.id = s.truck_id "
                           "WHERE s.status = 'assigned' ORDER BY s.id"):
            best = self._cheapest(s["id"], s["date"], exclude=s["truck_id"])
            if best and best[0]["cost_per_km"] < s["rate"]:
                options.append((s, best[0]["cost_per_km"]))
        if not options:
            return None
        shipment, rate = rng.choice(options)
        return TaskDraft(
            shape="reassign_cheaper",
            instruction=self.render("reassign_cheaper", rng, ref=shipment["ref"]),
            solution=Program.of(solve_reassign_cheaper, ref=shipment["ref"], **self._rules()),
            verifier=Program.of(verify_plan, shipments={str(shipment["id"]): {
                "km": self._km(shipment["depot_id"], shipment["destination_id"]), "dates": [shipment["date"]],
                "rate": rate}}, budget=None, maintenance=None, **self._rules()),
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
                total += self.db.execute("SELECT cost FROM shipments WHERE id = ?", (s["id"],)).fetchone()[0]
            return round(total, 2)
        finally:
            self.db.rollback()

    def _draft_dispatch_day(self, rng: random.Random) -> TaskDraft | None:
        depot, date = rng.choice(self.rows("SELECT id, name FROM depots ORDER BY id")), rng.choice(self._dates()[:7])
        due = self.rows("SELECT * FROM shipments WHERE depot_id = ? AND status = 'pending' AND window_start <= ? AND "
                        "window_end >= ? ORDER BY id", depot["id"], date, date)
        if not 2 <= len(due) <= 10:
            return None
        cost = self._greedy([(s, date) for s in due])
        if cost is None:
            return None
        budget = float(int(cost * rng.uniform(1.0, 1.12)) + 1)
        plan = {str(s["id"]): {"km": self._km(depot["id"], s["destination_id"]), "dates": [date], "rate": None}
                for s in due}
        return TaskDraft(
            shape="dispatch_day",
            instruction=self.render("dispatch_day", rng, depot=depot["name"], date=date, budget=budget),
            solution=Program.of(solve_dispatch_day, depot=depot["name"], date=date, **self._rules()),
            verifier=Program.of(verify_plan, shipments=plan, budget=budget, maintenance=None, **self._rules()),
        )

    @proposer(difficulty=4)
    def propose_breakdown(self, rng: random.Random) -> TaskDraft | None:
        trucks = self.rows("SELECT t.id, t.code FROM trucks t JOIN shipments s ON s.truck_id = t.id WHERE "
                           "s.status = 'assigned' GROUP BY t.id ORDER BY t.id")
        truck = rng.choice(trucks)
        jobs = [(s, s["date"]) for s in self.rows("SELECT * FROM shipments WHERE truck_id = ? AND status = "
                                                  "'assigned' ORDER BY id", truck["id"])]
        if any(date < self._today() for _, date in jobs):
            return None
        cost = self._greedy(jobs, exclude=truck["id"])
        if cost is None:
            return None
        budget = float(int(cost * rng.uniform(1.0, 1.12)) + 1)
        plan = {str(s["id"]): {"km": self._km(s["depot_id"], s["destination_id"]), "dates": [date], "rate": None}
                for s, date in jobs}
        return TaskDraft(
            shape="breakdown",
            instruction=self.render("breakdown", rng, truck=truck["code"], budget=budget),
            solution=Program.of(solve_breakdown, truck=truck["code"], **self._rules()),
            verifier=Program.of(verify_plan, shipments=plan, budget=budget, maintenance=truck["id"], **self._rules()),
        )

    def _draft_customer_plan(self, rng: random.Random) -> TaskDraft | None:
        customer = rng.choice(self.rows("SELECT id, name FROM customers ORDER BY id"))
        pending = self.rows("SELECT * FROM shipments WHERE customer_id = ? AND status = 'pending' AND window_end >= ? "
                            "ORDER BY id", customer["id"], self._today())
        if not 2 <= len(pending) <= 5:
            return None
        plan, jobs = {}, []
        for s in pending:
            dates = self._plannable(s)
            if not dates:
                return None
            plan[str(s["id"])] = {"km": self._km(s["depot_id"], s["destination_id"]), "dates": [dates[0]],
                                  "rate": None}
            jobs.append((s, dates[0]))
        cost = self._greedy(jobs)
        if cost is None:
            return None
        budget = float(int(cost * rng.uniform(1.0, 1.1)) + 1)
        return TaskDraft(
            shape="customer_plan",
            instruction=self.render("customer_plan", rng, customer=customer["name"], budget=budget),
            solution=Program.of(solve_customer_plan, customer=customer["name"], **self._rules()),
            verifier=Program.of(verify_plan, shipments=plan, budget=budget, maintenance=None, **self._rules()),
        )

    def _attempts(self, rng: random.Random, draft, tries: int = 5) -> TaskDraft | None:
        """Resample a situation a few times before declining: some shapes need a lucky combination."""
        for _ in range(tries):
            task = draft(rng)
            if task is not None:
                return task
        return None

    @proposer(difficulty=4)
    def propose_dispatch_day(self, rng: random.Random) -> TaskDraft | None:
        return self._attempts(rng, self._draft_dispatch_day, tries=10)

    @proposer(difficulty=5)
    def propose_customer_plan(self, rng: random.Random) -> TaskDraft | None:
        return self._attempts(rng, self._draft_customer_plan)

    @proposer(difficulty=2)
    def propose_eligible_trucks(self, rng: random.Random) -> TaskDraft | None:
        return self._attempts(rng, self._draft_eligible_trucks)


# ---- solutions: tools and computation only --------------------------------------------------------

def solve_truck_capacity(tools, params):
    return tools.get_truck(code=params["truck"])["capacity_kg"]


def solve_route_distance(tools, params):
    return tools.shortest_route(origin=params["origin"], destination=params["destination"])["km"]


def solve_shipment_truck(tools, params):
    return tools.get_shipment(ref=params["ref"])["truck"]


def solve_pending_weight(tools, params):
    return sum(s["weight_kg"] for s in tools.list_shipments(depot=params["depot"], status="pending"))


def solve_free_capacity(tools, params):
    truck = tools.get_truck(code=params["truck"])
    return truck["capacity_kg"] - sum(s["weight_kg"] for s in truck["schedule"] if s["date"] == params["date"])


def solve_nearest_depot(tools, params):
    depots = tools.list_depots()
    return min(depots, key=lambda d: tools.shortest_route(origin=d["name"], destination=params["town"])["km"])["name"]


def solve_eligible_trucks(tools, params):
    names = []
    for t in tools.list_trucks(depot=params["depot"]):
        if t["status"] != "available" or (params["cold"] and not t["refrigerated"]):
            continue
        day = [s["weight_kg"] for s in tools.get_truck(code=t["code"])["schedule"] if s["date"] == params["date"]]
        if params["max_stops"] and len(day) >= params["max_stops"]:
            continue
        if sum(day) + params["weight"] <= t["capacity_kg"]:
            names.append(t["code"])
    return names


def solve_assign_cheapest(tools, params):
    s = tools.get_shipment(ref=params["ref"])
    best = None
    for t in tools.list_trucks(depot=s["depot"]):
        if t["status"] != "available" or (s["refrigerated"] and not t["refrigerated"]):
            continue
        day = [x for x in tools.get_truck(code=t["code"])["schedule"] if x["date"] == params["date"]]
        if sum(x["weight_kg"] for x in day) + s["weight_kg"] > t["capacity_kg"]:
            continue
        if params["max_stops"] and len(day) >= params["max_stops"]:
            continue
        if best is None or t["cost_per_km"] < best["cost_per_km"]:
            best = t
    done = tools.assign_shipment(ref=params["ref"], truck=best["code"], date=params["date"])
    return f"Planned {done['ref']} on {done['truck']} for {done['date']}, cost {done['cost']}"


def solve_reassign_cheaper(tools, params):
    s = tools.get_shipment(ref=params["ref"])
    best = None
    for t in tools.list_trucks(depot=s["depot"]):
        if t["code"] == s["truck"] or t["status"] != "available" or (s["refrigerated"] and not t["refrigerated"]):
            continue
        day = [x for x in tools.get_truck(code=t["code"])["schedule"] if x["date"] == s["date"]]
        if sum(x["weight_kg"] for x in day) + s["weight_kg"] > t["capacity_kg"]:
            continue
        if params["max_stops"] and len(day) >= params["max_stops"]:
            continue
        if best is None or t["cost_per_km"] < best["cost_per_km"]:
            best = t
    tools.unassign_shipment(ref=params["ref"])
    done = tools.assign_shipment(ref=params["ref"], truck=best["code"], date=s["date"])
    return f"Moved {done['ref']} to {done['truck']}, cost {done['cost']}"


def solve_dispatch_day(tools, params):
    due = [s for s in tools.list_shipments(depot=params["depot"], status="pending")
           if s["window_start"] <= params["date"] <= s["window_end"]]
    trucks = sorted([t for t in tools.list_trucks(depot=params["depot"]) if t["status"] == "available"],
                    key=lambda t: t["cost_per_km"])
    load = {t["code"]: [x["weight_kg"] for x in tools.get_truck(code=t["code"])["schedule"]
                        if x["date"] == params["date"]] for t in trucks}
    total = 0.0
    for s in sorted(due, key=lambda s: -s["weight_kg"]):
        for t in trucks:
            day = load[t["code"]]
            if s["refrigerated"] and not t["refrigerated"]:
                continue
            if sum(day) + s["weight_kg"] > t["capacity_kg"] or (params["max_stops"] and len(day) >= params["max_stops"]):
                continue
            total += tools.assign_shipment(ref=s["ref"], truck=t["code"], date=params["date"])["cost"]
            day.append(s["weight_kg"])
            break
    return f"Dispatched {len(due)} shipments for a total of {round(total, 2)}"


def solve_breakdown(tools, params):
    broken = tools.get_truck(code=params["truck"])
    jobs = [tools.get_shipment(ref=x["ref"]) for x in broken["schedule"]]
    trucks = sorted([t for t in tools.list_trucks(depot=broken["depot"])
                     if t["status"] == "available" and t["code"] != params["truck"]], key=lambda t: t["cost_per_km"])
    for s in jobs:
        tools.unassign_shipment(ref=s["ref"])
    schedules = {t["code"]: tools.get_truck(code=t["code"])["schedule"] for t in trucks}
    total = 0.0
    for s in sorted(jobs, key=lambda s: -s["weight_kg"]):
        for t in trucks:
            day = [x["weight_kg"] for x in schedules[t["code"]] if x["date"] == s["date"]]
            if s["refrigerated"] and not t["refrigerated"]:
                continue
            if sum(day) + s["weight_kg"] > t["capacity_kg"] or (params["max_stops"] and len(day) >= params["max_stops"]):
                continue
            total += tools.assign_shipment(ref=s["ref"], truck=t["code"], date=s["date"])["cost"]
            schedules[t["code"]].append({"date": s["date"], "weight_kg": s["weight_kg"]})
            break
    tools.set_truck_status(code=params["truck"], status="maintenance")
    return f"Moved {len(jobs)} shipments for {round(total, 2)}; {params['truck']} is in maintenance"


def solve_customer_plan(tools, params):
    import datetime
    today = datetime.date.fromisoformat(tools.get_today()["today"])
    pending = tools.list_shipments(customer=params["customer"], status="pending")
    pending = [s for s in pending if s["window_end"] >= today.isoformat()]
    jobs, fleets, schedules = [], {}, {}
    for s in pending:
        km = tools.shortest_route(origin=s["depot"], destination=s["destination"])["km"]
        if s["depot"] not in fleets:
            fleets[s["depot"]] = [t for t in tools.list_trucks(depot=s["depot"]) if t["status"] == "available"]
        trucks = [t for t in fleets[s["depot"]] if t["refrigerated"] or not s["refrigerated"]]
        for t in trucks:
            if t["code"] not in schedules:
                schedules[t["code"]] = tools.get_truck(code=t["code"])["schedule"]
        for d in range(15):
            date = (today + datetime.timedelta(days=d)).isoformat()
            if not s["window_start"] <= date <= s["window_end"] or (params["max_km"] and km > params["max_km"]):
                continue
            if params["weekend_off"] and datetime.date.fromisoformat(date).weekday() >= 5:
                continue
            fits = [t for t in trucks if sum(x["weight_kg"] for x in schedules[t["code"]] if x["date"] == date)
                    + s["weight_kg"] <= t["capacity_kg"] and not (params["max_stops"] and len(
                        [x for x in schedules[t["code"]] if x["date"] == date]) >= params["max_stops"])]
            if fits:
                jobs.append((s, date, trucks))
                break
    total = 0.0
    for s, date, trucks in sorted(jobs, key=lambda j: -j[0]["weight_kg"]):
        for t in sorted(trucks, key=lambda t: t["cost_per_km"]):
            try:
                total += tools.assign_shipment(ref=s["ref"], truck=t["code"], date=date)["cost"]
                break
            except Exception:
                continue
    return f"Planned {len(jobs)} shipments for {round(total, 2)}"


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_plan(outcome, params):
    import datetime

    from verifiers.state import diff_table, unchanged

    reasons = []
    plan = {int(k): v for k, v in params["shipments"].items()}
    added, removed, changed = diff_table(outcome.initial, outcome.db, "shipments")
    if added or removed or {s["id"] for s in changed} != set(plan):
        return False, [f"shipments changed {sorted(s['id'] for s in changed)}, expected exactly {sorted(plan)}"]
    trucks = {t["id"]: t for t in outcome.rows("SELECT * FROM trucks")}
    today = outcome.rows("SELECT today FROM office")[0]["today"]
    before = {s["id"]: s for s in outcome.initial_rows("SELECT * FROM shipments")}
    total = 0.0
    for s in changed:
        want, truck = plan[s["id"]], trucks.get(s["truck_id"])
        if s["status"] != "assigned" or truck is None:
            reasons.append(f"shipment {s['ref']} is not assigned to a truck")
            continue
        if truck["depot_id"] != s["depot_id"] or truck["status"] != "available":
            reasons.append(f"{s['ref']}: truck {truck['code']} is from another depot or not available")
        if s["refrigerated"] and not truck["refrigerated"]:
            reasons.append(f"{s['ref']}: refrigerated load on a truck without refrigeration")
        if s["date"] not in want["dates"] or not s["window_start"] <= s["date"] <= s["window_end"] or s["date"] < today:
            reasons.append(f"{s['ref']}: date {s['date']} is not the date the request and window call for")
        if params["weekend_off"] and datetime.date.fromisoformat(s["date"]).weekday() >= 5:
            reasons.append(f"{s['ref']}: delivered on a weekend")
        if params["max_km"] and want["km"] > params["max_km"]:
            reasons.append(f"{s['ref']}: destination out of range")
        if abs(s["cost"] - round(want["km"] * truck["cost_per_km"], 2)) > 0.011:
            reasons.append(f"{s['ref']}: cost {s['cost']} does not match the route")
        if want["rate"] is not None and truck["cost_per_km"] > want["rate"] + 1e-9:
            reasons.append(f"{s['ref']}: truck {truck['code']} is not the cheapest eligible one")
        if before[s["id"]]["truck_id"] == s["truck_id"] and params["maintenance"] is not None:
            reasons.append(f"{s['ref']}: still on the same truck")
        total += s["cost"]
    for t in {(s["truck_id"], s["date"]) for s in changed if s["truck_id"]}:
        day = outcome.rows("SELECT weight_kg FROM shipments WHERE truck_id = ? AND date = ? AND status = 'assigned'", *t)
        if sum(r["weight_kg"] for r in day) > trucks[t[0]]["capacity_kg"]:
            reasons.append(f"truck {trucks[t[0]]['code']} is over capacity on {t[1]}")
        if params["max_stops"] and len(day) > params["max_stops"]:
            reasons.append(f"truck {trucks[t[0]]['code']} has more than {params['max_stops']} stops on {t[1]}")
    if params["budget"] is not None and total > params["budget"] + 0.005:
        reasons.append(f"total cost {round(total, 2)} exceeds the budget {params['budget']}")
    t_added, t_removed, t_changed = diff_table(outcome.initial, outcome.db, "trucks")
    expected = [params["maintenance"]] if params["maintenance"] is not None else []
    if t_added or t_removed or [t["id"] for t in t_changed] != expected or any(
            t["status"] != "maintenance" for t in t_changed):
        reasons.append(f"truck changes {[t['code'] for t in t_changed]} do not match the request")
    if other := unchanged(outcome.initial, outcome.db, ["roads", "depots", "customers", "locations"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons
