"""The logistics world: its names and how an instance's database is built."""

from __future__ import annotations

import datetime as dt
import heapq
import random

TOWNS = [
    "Ashford",
    "Brackley",
    "Caldmoor",
    "Dunwick",
    "Elmstead",
    "Fenbury",
    "Glenhollow",
    "Harrowgate",
    "Ivybridge",
    "Jarrowby",
    "Kingsmere",
    "Larkfield",
    "Marlow Cross",
    "Northwold",
    "Oakhurst",
    "Pendleford",
    "Quarrington",
    "Ravensby",
    "Stowmarsh",
    "Thornbury",
    "Upwell",
    "Vexford",
    "Whitcombe",
    "Yarbridge",
    "Ambleside Vale",
    "Birchley",
    "Coldharbour",
    "Draycott",
    "Eastling",
    "Foxhole",
    "Greystone",
    "Hollins",
    "Keswold",
    "Lowther",
    "Millbeck",
    "Netherby",
    "Ormsworth",
    "Pickering Hey",
    "Rushden",
    "Saltcoats",
]
CUSTOMERS = [
    "Bramble Foods",
    "Copperline Tools",
    "Dunmore Textiles",
    "Evergreen Pharmacy",
    "Foxglove Florists",
    "Granite Hardware",
    "Hillside Dairy",
    "Ironbark Furniture",
    "Juniper Books",
    "Kestrel Electronics",
    "Lakeside Brewing",
    "Meadowlark Bakery",
    "Northstar Paints",
    "Oakleaf Garden Supply",
    "Pebble Toys",
    "Quillfeather Paper",
    "Riverbend Seafood",
    "Sunrise Produce",
]
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


class LogisticsWorld:
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
        n_towns, n_depots, per_depot, n_ship = {
            "small": (20, 3, (4, 5), (175, 200)),
            "medium": (26, 4, (4, 6), (200, 240)),
            "large": (36, 5, (5, 7), (280, 330)),
        }[self.variant.scale]
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
        db.executemany(
            "INSERT INTO roads (a, b, km) VALUES (?, ?, ?)",
            [(a, b, float(rng.randint(18, 95))) for a, b in sorted(edges)],
        )
        depot_towns = rng.sample(range(1, n_towns + 1), n_depots)
        code = rng.randint(100, 300)
        for d, loc in enumerate(depot_towns, 1):
            db.execute("INSERT INTO depots VALUES (?, ?, ?)", (d, f"{towns[loc - 1]} Depot", loc))
            for _ in range(rng.randint(*per_depot)):
                code += rng.randint(1, 7)
                cap, rate = rng.choice(TRUCK_TYPES)
                db.execute(
                    "INSERT INTO trucks (code, depot_id, capacity_kg, cost_per_km, refrigerated, status) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        f"TR-{code}",
                        d,
                        cap,
                        round(rate + rng.uniform(-0.2, 0.3), 2),
                        int(rng.random() < 0.35),
                        "maintenance" if rng.random() < 0.12 else "available",
                    ),
                )
        customers = rng.sample(CUSTOMERS, min(len(CUSTOMERS), 10 + n_depots * 2))
        db.executemany(
            "INSERT INTO customers VALUES (?, ?, ?)",
            [(i, c, rng.randint(1, n_towns)) for i, c in enumerate(customers, 1)],
        )
        self._seed_shipments(rng, today, rng.randint(*n_ship), len(customers), n_towns, n_depots)

    def _seed_shipments(self, rng, today, n, n_customers, n_towns, n_depots) -> None:
        for i in range(n):
            start = today + dt.timedelta(days=rng.randint(-6, 8))
            end = start + dt.timedelta(days=rng.randint(2, 6))
            depot = rng.randint(1, n_depots)
            home = self.value("SELECT location_id FROM depots WHERE id = ?", depot)
            dest = rng.choice([t for t in range(1, n_towns + 1) if t != home])
            sid = self.db.execute(
                "INSERT INTO shipments (ref, customer_id, depot_id, destination_id, weight_kg, refrigerated, "
                "window_start, window_end, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending')",
                (
                    f"SH-{5000 + i * 3 + rng.randint(0, 2)}",
                    rng.randint(1, n_customers),
                    depot,
                    dest,
                    rng.randint(4, 60) * 50,
                    int(rng.random() < 0.25),
                    start.isoformat(),
                    end.isoformat(),
                ),
            ).lastrowid
            if end < today:
                continue
            if rng.random() < 0.45:  # already planned on a valid truck and date, when one fits
                date = max(start, today) + dt.timedelta(days=rng.randint(0, 2))
                trucks = self._eligible(sid, date.isoformat()) if date <= end else []
                if trucks:
                    self._assign(sid, rng.choice(trucks)["id"], date.isoformat())
