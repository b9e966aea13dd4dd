"""The smarthome world: its names and how an instance's database is built."""

from __future__ import annotations

import datetime as dt
import random

# kind, running kW, standby W, run hours when shiftable (0 = not shiftable), noisy, essential, typical daily hours
DEVICES = [
    ("Fridge", 0.15, 0, 0, False, True, 24),
    ("Freezer", 0.12, 0, 0, False, True, 24),
    ("Router", 0.012, 0, 0, False, True, 24),
    ("Washing Machine", 2.0, 2, 2, True, False, 0),
    ("Tumble Dryer", 2.5, 2, 2, True, False, 0),
    ("Dishwasher", 1.8, 3, 2, True, False, 0),
    ("EV Charger", 3.7, 5, 4, False, False, 0),
    ("Water Heater Boost", 3.0, 0, 2, False, False, 0),
    ("Pool Pump", 1.1, 0, 4, True, False, 0),
    ("Dehumidifier", 0.3, 1, 3, False, False, 0),
    ("Robot Vacuum", 0.05, 2, 1, True, False, 0),
    ("Heat Pump", 2.2, 8, 0, False, False, 6),
    ("Television", 0.12, 6, 0, False, False, 4),
    ("Games Console", 0.18, 9, 0, False, False, 2),
    ("Oven", 2.4, 4, 0, False, False, 1),
    ("Microwave", 1.0, 3, 0, False, False, 1),
    ("Desktop PC", 0.25, 5, 0, False, False, 6),
    ("Air Conditioner", 1.5, 4, 0, False, False, 5),
    ("Space Heater", 2.0, 0, 0, False, False, 3),
    ("Floor Lamp", 0.04, 0, 0, False, False, 5),
    ("Coffee Machine", 1.2, 6, 0, False, False, 1),
    ("Sound Bar", 0.05, 4, 0, False, False, 3),
    ("Security Camera", 0.008, 0, 0, False, True, 24),
    ("Aquarium Heater", 0.1, 0, 0, False, True, 24),
]
ROOMS = [
    "Kitchen",
    "Living Room",
    "Utility Room",
    "Garage",
    "Master Bedroom",
    "Guest Room",
    "Office",
    "Garden Shed",
    "Basement",
    "Hallway",
    "Kids Room",
    "Conservatory",
]
BANDS = (
    {h: "off-peak" for h in range(0, 7)}
    | {h: "standard" for h in range(7, 17)}
    | {h: "peak" for h in range(17, 21)}
    | {h: "standard" for h in range(21, 24)}
)
QUIET = (23, 0, 1, 2, 3, 4, 5)
OVER_SHARE = 0.8


class SmartHomeWorld:
    def build(self, rng: random.Random) -> None:
        self.db.executescript("""
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE rooms (id INTEGER PRIMARY KEY, name TEXT UNIQUE, floor INTEGER);
            CREATE TABLE devices (id INTEGER PRIMARY KEY, name TEXT UNIQUE, kind TEXT, room_id INTEGER
                REFERENCES rooms(id), power_kw REAL, standby_w REAL, run_hours INTEGER, noisy INTEGER,
                essential INTEGER, state TEXT);
            CREATE TABLE tariff (hour INTEGER PRIMARY KEY, band TEXT, price REAL);
            CREATE TABLE readings (id INTEGER PRIMARY KEY, device_id INTEGER REFERENCES devices(id), date TEXT,
                hour INTEGER, kwh REAL);
            CREATE TABLE runs (id INTEGER PRIMARY KEY, device_id INTEGER REFERENCES devices(id), date TEXT,
                start_hour INTEGER);
            CREATE TABLE automations (id INTEGER PRIMARY KEY, name TEXT, device_id INTEGER REFERENCES devices(id),
                hour INTEGER, action TEXT, enabled INTEGER);
            CREATE TABLE budget (month TEXT PRIMARY KEY, amount REAL);
        """)
        n_rooms = {"small": 5, "medium": 8, "large": 12}[self.variant.scale]
        today = dt.date(2026, rng.randint(1, 12), rng.randint(16, 28))
        self.db.execute("INSERT INTO meta VALUES ('today', ?)", (today.isoformat(),))
        base = {
            "off-peak": rng.uniform(0.08, 0.13),
            "standard": rng.uniform(0.21, 0.29),
            "peak": rng.uniform(0.38, 0.52),
        }
        for h in range(24):
            self.db.execute(
                "INSERT INTO tariff VALUES (?, ?, ?)",
                (h, BANDS[h], round(base[BANDS[h]] + rng.uniform(-0.02, 0.02), 3)),
            )
        rooms = rng.sample(ROOMS, n_rooms)
        for r in rooms:
            self.db.execute("INSERT INTO rooms (name, floor) VALUES (?, ?)", (r, rng.choice([0, 0, 1, 1, 2])))
        kinds = [d for d in DEVICES if d[3]] + rng.sample([d for d in DEVICES if not d[3]], min(16, 8 + n_rooms // 2))
        for kind in kinds + rng.sample(DEVICES, n_rooms):
            room_id = rng.randint(1, n_rooms)
            room = self.value("SELECT name FROM rooms WHERE id = ?", room_id)
            name, k = f"{room} {kind[0]}", 1
            while self.value("SELECT 1 FROM devices WHERE name = ?", name):  # a second one is "... B": no digits
                name, k = f"{room} {kind[0]} {'ABCDEFGH'[k]}", k + 1  # in names, which questions would restate
            power = round(kind[1] * rng.uniform(0.85, 1.15), 2 if kind[1] >= 0.1 else 3)
            state = "on" if kind[5] else rng.choice(["off", "standby", "standby", "on"])
            self.db.execute(
                "INSERT INTO devices (name, kind, room_id, power_kw, standby_w, run_hours, noisy, "
                "essential, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (name, kind[0], room_id, power, kind[2], kind[3], int(kind[4]), int(kind[5]), state),
            )
        self._build_readings(rng, today)
        self._build_runs(rng, today)
        for d in self.rows("SELECT * FROM devices WHERE essential = 0"):
            for _ in range(rng.choice([0, 0, 1, 1, 2])):
                hour = rng.choice([rng.randrange(24), rng.randint(17, 20)])
                action = rng.choice(["on", "off"])
                self.db.execute(
                    "INSERT INTO automations (name, device_id, hour, action, enabled) VALUES (?, ?, ?, ?, ?)",
                    (f"{d['name']} {action} at {hour}:00", d["id"], hour, action, int(rng.random() < 0.75)),
                )
        mtd = self.value(
            "SELECT SUM(r.kwh * t.price) FROM readings r JOIN tariff t ON t.hour = r.hour WHERE r.date >= ?",
            today.replace(day=1).isoformat(),
        )
        share = rng.choice([rng.uniform(0.55, 0.78), rng.uniform(0.82, 0.98)])
        self.db.execute("INSERT INTO budget VALUES (?, ?)", (today.strftime("%Y-%m"), round(mtd / share, 1)))

    def _build_readings(self, rng: random.Random, today: dt.date) -> None:
        for d in self.rows("SELECT * FROM devices"):
            kind = next(k for k in DEVICES if k[0] == d["kind"])
            for back in range(1, today.day):
                date = (today - dt.timedelta(days=back)).isoformat()
                if kind[6] == 24:
                    hours = set(range(24))
                elif kind[3]:
                    hours = set()
                    if rng.random() < 0.5:
                        s = rng.randint(0, 24 - kind[3])
                        hours = set(range(s, s + kind[3]))
                else:
                    n = max(0, kind[6] + rng.randint(-2, 2))
                    hours = set(rng.sample(range(6, 24), min(n, 18)))
                for h in sorted(hours):
                    kwh = round(d["power_kw"] * rng.uniform(0.6, 1.0), 3)
                    self.db.execute(
                        "INSERT INTO readings (device_id, date, hour, kwh) VALUES (?, ?, ?, ?)", (d["id"], date, h, kwh)
                    )

    def _build_runs(self, rng: random.Random, today: dt.date) -> None:
        for d in self.rows("SELECT * FROM devices WHERE run_hours > 0"):
            for ahead in range(1, 8):
                if rng.random() < 0.45:
                    date = (today + dt.timedelta(days=ahead)).isoformat()
                    start = rng.choice([rng.randint(0, 24 - d["run_hours"]), rng.randint(15, 20 - d["run_hours"] + 1)])
                    if self._load(date, range(start, start + d["run_hours"])) + d["power_kw"] <= 7.4:
                        self.db.execute(
                            "INSERT INTO runs (device_id, date, start_hour) VALUES (?, ?, ?)", (d["id"], date, start)
                        )
