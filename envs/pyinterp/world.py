"""The workspace's world: weather stations, stores and tensile tests, how an instance's database is built, and the
statistics the tasks use."""

from __future__ import annotations

import math
import random

STATION_NAMES = [
    "North Ridge",
    "Saltmarsh",
    "Old Quarry",
    "Heron Point",
    "Pine Hollow",
    "Granite Pass",
    "Mill Creek",
    "Foxglove Hill",
    "Lower Weir",
    "Cinder Flats",
    "Bramble Cross",
    "Eastwater",
    "Larkspur Bay",
    "Stonegate",
    "Willow Bend",
    "High Moor",
    "Copper Vale",
    "Tern Island",
]
REGIONS = ["Coastal", "Highland", "Valley", "Urban"]
STORE_NAMES = [
    "Anchor",
    "Beacon",
    "Crescent",
    "Driftwood",
    "Elmstead",
    "Fernbrook",
    "Gullhaven",
    "Hartwell",
    "Ivybridge",
    "Juniper",
    "Kestrel",
    "Lindenfield",
    "Marlow",
    "Netherby",
    "Oakhurst",
    "Pebblestone",
]
LINES = ["Hardware", "Garden", "Paint", "Lighting"]
MATERIALS = ["aluminium", "steel", "nylon", "oak", "carbon fibre", "copper"]
OPERATORS = ["Ines Varga", "Tomas Reyes", "Mei Holm", "Odile Brandt", "Rafael Sousa", "Kiri Tane"]
METRICS = {
    "temp_c": "temperature (°C)",
    "humidity_pct": "relative humidity (%)",
    "pm25": "fine-particle (pm25) level in µg/m³",
}
MONTH = "2026-05"

DATASETS = {
    "stations": (
        "Weather stations: name, region, elevation in metres.",
        "SELECT id, name, region, elevation_m FROM stations",
    ),
    "readings": (
        "Daily readings per station: temperature in °C, relative humidity in %, PM2.5 in µg/m³.",
        "SELECT r.id, s.name AS station, r.day, r.temp_c, r.humidity_pct, r.pm25 FROM readings r "
        "JOIN stations s ON s.id = r.station_id",
    ),
    "stores": ("Retail stores: name, region, year opened.", "SELECT id, name, region, opened FROM stores"),
    "sales": (
        "Monthly sales per store and product line: units sold and revenue.",
        "SELECT x.id, t.name AS store, x.month, x.line, x.units, x.revenue FROM sales x "
        "JOIN stores t ON t.id = x.store_id",
    ),
    "experiments": (
        "Tensile test series: material and operator.",
        "SELECT id, name, material, operator FROM experiments",
    ),
    "trials": (
        "Tensile trials: load in kg and measured extension in mm.",
        "SELECT t.id, e.name AS experiment, t.load_kg, t.extension_mm FROM trials t "
        "JOIN experiments e ON e.id = t.experiment_id",
    ),
}


def fit_line(xs: list[float], ys: list[float]) -> tuple[float, float, float]:
    """Least-squares slope, intercept and R²."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    slope = sxy / sxx
    intercept = my - slope * mx
    ss_tot = sum((y - my) ** 2 for y in ys)
    ss_res = sum((y - slope * x - intercept) ** 2 for x, y in zip(xs, ys))
    return slope, intercept, 1 - ss_res / ss_tot if ss_tot else 1.0


def pearson(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    return sxy / math.sqrt(sum((x - mx) ** 2 for x in xs) * sum((y - my) ** 2 for y in ys))


def to_f(celsius: float) -> float:
    return celsius * 9 / 5 + 32


class PyInterpWorld:
    def build(self, rng: random.Random) -> None:
        self.db.executescript("""
            CREATE TABLE stations (id INTEGER PRIMARY KEY, name TEXT UNIQUE, region TEXT, elevation_m INTEGER);
            CREATE TABLE readings (id INTEGER PRIMARY KEY, station_id INTEGER REFERENCES stations(id), day TEXT,
                temp_c REAL, humidity_pct REAL, pm25 REAL);
            CREATE TABLE stores (id INTEGER PRIMARY KEY, name TEXT UNIQUE, region TEXT, opened INTEGER);
            CREATE TABLE sales (id INTEGER PRIMARY KEY, store_id INTEGER REFERENCES stores(id), month TEXT,
                line TEXT, units INTEGER, revenue REAL);
            CREATE TABLE experiments (id INTEGER PRIMARY KEY, name TEXT UNIQUE, material TEXT, operator TEXT);
            CREATE TABLE trials (id INTEGER PRIMARY KEY, experiment_id INTEGER REFERENCES experiments(id),
                load_kg REAL, extension_mm REAL);
            CREATE TABLE results (id INTEGER PRIMARY KEY, name TEXT UNIQUE, value REAL, unit TEXT, sources TEXT);
            CREATE TABLE annotations (id INTEGER PRIMARY KEY, dataset TEXT, row_id INTEGER, label TEXT, note TEXT);
            CREATE TABLE reports (id INTEGER PRIMARY KEY, title TEXT, body TEXT, results TEXT);
        """)
        n_st, n_store, n_exp = {"small": (8, 7, 6), "medium": (11, 10, 8), "large": (15, 14, 11)}[self.variant.scale]
        for name in rng.sample(STATION_NAMES, n_st):
            region = rng.choice(REGIONS)
            elevation = rng.randint(2, 60) if region == "Coastal" else rng.randint(40, 1400)
            sid = self.db.execute(
                "INSERT INTO stations (name, region, elevation_m) VALUES (?, ?, ?)", (name, region, elevation)
            ).lastrowid
            base_t, base_h, base_p = rng.uniform(9, 22) - elevation / 300, rng.uniform(45, 80), rng.uniform(5, 30)
            for d in range(1, 32):
                if rng.random() < 0.06:
                    continue  # a missing day
                t = base_t + 0.12 * d + rng.gauss(0, 2.2)
                h = min(99.0, base_h - 1.2 * (t - base_t) + rng.gauss(0, 6))
                p = max(1.0, base_p + 0.25 * (h - base_h) + rng.gauss(0, 4) + (rng.random() < 0.05) * 35)
                self.db.execute(
                    "INSERT INTO readings (station_id, day, temp_c, humidity_pct, pm25) VALUES (?, ?, ?, ?, ?)",
                    (sid, f"{MONTH}-{d:02d}", round(t, 1), round(h, 1), round(p, 1)),
                )
        lines = rng.sample(LINES, 3)
        for name in rng.sample(STORE_NAMES, n_store):
            sid = self.db.execute(
                "INSERT INTO stores (name, region, opened) VALUES (?, ?, ?)",
                (name, rng.choice(REGIONS), rng.randint(1998, 2022)),
            ).lastrowid
            for line in lines:
                level, trend, price = rng.randint(40, 260), rng.uniform(-0.04, 0.06), rng.uniform(8, 45)
                for m in range(1, 13):
                    units = max(0, int(level * (1 + trend * m) * rng.uniform(0.8, 1.2)))
                    self.db.execute(
                        "INSERT INTO sales (store_id, month, line, units, revenue) VALUES (?, ?, ?, ?, ?)",
                        (sid, f"2025-{m:02d}", line, units, round(units * price * rng.uniform(0.95, 1.05), 2)),
                    )
        materials = rng.sample(MATERIALS, 3)
        for i in range(n_exp):
            material = materials[i % 3]
            eid = self.db.execute(
                "INSERT INTO experiments (name, material, operator) VALUES (?, ?, ?)",
                (f"{material[:3].upper()}-{chr(65 + i)}{rng.randint(10, 99)}", material, rng.choice(OPERATORS)),
            ).lastrowid
            stiffness, offset, noise = rng.uniform(0.05, 0.6), rng.uniform(0, 2), rng.choice([0.05, 0.2, 0.8, 2.5])
            for load in rng.sample(range(5, 101, 5), rng.randint(8, 12)):
                self.db.execute(
                    "INSERT INTO trials (experiment_id, load_kg, extension_mm) VALUES (?, ?, ?)",
                    (eid, float(load), round(offset + stiffness * load + rng.gauss(0, noise), 3)),
                )


def near_tie(value: float, decimals: int) -> bool:
    """Whether `value` lies so close to a rounding boundary at `decimals` places that two honest computations (other
    summation orders) could round it apart."""
    scaled = abs(value) * 10**decimals
    return abs(scaled - math.floor(scaled) - 0.5) < 1e-6
