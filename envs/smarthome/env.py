"""Smart home with energy metering: rooms, devices, hourly meter readings, a time-of-use tariff, scheduled runs of
shiftable appliances, automations and a monthly budget."""

from __future__ import annotations

import datetime as dt
import itertools
import random

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool
from verifiers.common import verify_names, verify_number

# kind, running kW, standby W, run hours when shiftable (0 = not shiftable), noisy, essential, typical daily hours
DEVICES = [
    ("Fridge", 0.15, 0, 0, False, True, 24), ("Freezer", 0.12, 0, 0, False, True, 24),
    ("Router", 0.012, 0, 0, False, True, 24), ("Washing Machine", 2.0, 2, 2, True, False, 0),
    ("Tumble Dryer", 2.5, 2, 2, True, False, 0), ("Dishwasher", 1.8, 3, 2, True, False, 0),
    ("EV Charger", 3.7, 5, 4, False, False, 0), ("Water Heater Boost", 3.0, 0, 2, False, False, 0),
    ("Pool Pump", 1.1, 0, 4, True, False, 0), ("Dehumidifier", 0.3, 1, 3, False, False, 0),
    ("Robot Vacuum", 0.05, 2, 1, True, False, 0), ("Heat Pump", 2.2, 8, 0, False, False, 6),
    ("Television", 0.12, 6, 0, False, False, 4), ("Games Console", 0.18, 9, 0, False, False, 2),
    ("Oven", 2.4, 4, 0, False, False, 1), ("Microwave", 1.0, 3, 0, False, False, 1),
    ("Desktop PC", 0.25, 5, 0, False, False, 6), ("Air Conditioner", 1.5, 4, 0, False, False, 5),
    ("Space Heater", 2.0, 0, 0, False, False, 3), ("Floor Lamp", 0.04, 0, 0, False, False, 5),
    ("Coffee Machine", 1.2, 6, 0, False, False, 1), ("Sound Bar", 0.05, 4, 0, False, False, 3),
    ("Security Camera", 0.008, 0, 0, False, True, 24), ("Aquarium Heater", 0.1, 0, 0, False, True, 24),
]
ROOMS = ["Kitchen", "Living Room", "Utility Room", "Garage", "Master Bedroom", "Guest Room", "Office", "Garden Shed",
         "Basement", "Hallway", "Kids Room", "Conservatory"]
BANDS = {h: "off-peak" for h in range(0, 7)} | {h: "standard" for h in range(7, 17)} | \
        {h: "peak" for h in range(17, 21)} | {h: "standard" for h in range(21, 24)}
QUIET = (23, 0, 1, 2, 3, 4, 5)
OVER_SHARE = 0.8


class SmartHomeEnv(EnvTemplate):
    name = "smarthome"
    version = "1.0.0"
    category = "smart home energy"
    description = ("Energy assistant of a smart home: rooms and devices with their power draw and state, hourly "
                   "meter readings per device, the time-of-use electricity tariff, scheduled runs of shiftable "
                   "appliances (washing machine, dishwasher, EV charger...), automations and the monthly budget. "
                   "Answer questions about consumption and cost, and plan or move appliance runs.")
    policy = (
        "Hours are 0-23 and a run of a shiftable appliance lasts its fixed run hours at its full power, starting on "
        "the hour; it must end by midnight of its day (start + run hours <= 24). Runs can be scheduled from "
        "tomorrow up to 7 days ahead. A device cannot have two overlapping runs. The scheduled runs active in any "
        "hour may draw at most the home's capacity of 7.4 kW together. A run's cost is its power times the "
        "price of each hour it covers. Monthly budget rule: when the month-to-date cost exceeds 80% of the monthly "
        "budget, new or moved runs must start in an off-peak hour. Essential devices (fridges, freezers, router, "
        "cameras, aquarium heaters) must never be switched off. Change only what the user asked for."
    )
    variants = VariantSpace(
        optional_tools=("list_automations", "get_hourly_readings", "list_rooms"),
        renames={"get_usage": ("energy_report",), "schedule_run": ("book_run",), "get_tariff": ("tariff_table",)},
        rules={"quiet_hours": "Quiet hours: noisy appliances (washing machine, tumble dryer, dishwasher, pool pump, "
                              "robot vacuum) may not run during any hour from 23:00 to 05:59 (hours 23 and 0-5).",
               "tight_capacity": "The home's grid connection was downgraded: scheduled runs may draw at most 5.0 kW "
                                 "together in any hour (instead of 7.4 kW)."},
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "device_power": [
            "What is the running power draw of the {{device}}, in kW?",
            "How many kilowatts does the {{device}} draw when running?",
        ],
        "hour_cost": [
            "How much does it cost to run the {{device}} at full power for the hour starting at {{hour}}:00?",
            "What would one hour of the {{device}} running from {{hour}}:00 to {{hour}}:59 cost at the tariff?",
            "Price out one hour of the {{device}} at its running power, beginning at {{hour}}:00.",
        ],
        "biggest_consumer": [
            "Which device{% if room %} in the {{room}}{% endif %} used the most energy from {{start}} to {{end}}?",
            "Between {{start}} and {{end}} (inclusive), which{% if room %} {{room}}{% endif %} device consumed the "
            "most kWh?",
            "Find the biggest energy consumer{% if room %} in the {{room}}{% endif %} over {{start}} to {{end}}.",
        ],
        "room_cost": [
            "How much did the electricity used in the {{room}} cost on {{date}}?",
            "What was the total energy cost of all {{room}} devices on {{date}}, at the time-of-use tariff?",
        ],
        "peak_kwh": [
            "How many kWh did the {{device}} use during peak hours on {{date}}?",
            "On {{date}}, what was the {{device}}'s consumption in kWh within the peak tariff band?",
        ],
        "schedule_cheapest": [
            "Schedule one run of the {{device}} on {{date}}{% if earliest %}, starting no earlier than "
            "{{earliest}}:00{% endif %}{% if finish_by < 24 %} and finishing by {{finish_by}}:00{% endif %}, at the "
            "lowest possible cost the policy allows.",
            "Book the {{device}} for {{date}}{% if earliest %} (not before {{earliest}}:00{% if finish_by < 24 %}, "
            "done by {{finish_by}}:00{% endif %}){% elif finish_by < 24 %} (done by {{finish_by}}:00){% endif %}. "
            "Pick the cheapest start that is allowed.",
        ],
        "standby_off": [
            "Switch off every device {% if room %}in the {{room}} {% endif %}that is currently in standby"
            "{% if min_w %} and draws at least {{min_w}} W in standby{% endif %}, as far as the policy allows.",
            "Turn off all {% if room %}{{room}} {% endif %}devices sitting in standby{% if min_w %} with a standby "
            "draw of {{min_w}} W or more{% endif %} (leave everything else as it is and respect the policy).",
        ],
        "peak_automations": [
            "Disable every enabled automation that switches a device{% if room %} in the {{room}}{% endif %} on "
            "{% if peak %}during a peak-tariff hour{% else %}at any hour from {{first}}:00 to {{last}}:59{% endif %}.",
            "Find the enabled automations that turn a device{% if room %} in the {{room}}{% endif %} on "
            "{% if peak %}at a peak hour{% else %}between {{first}}:00 and {{last}}:59{% endif %} and disable them.",
        ],
        "move_peak_runs": [
            "Some runs scheduled on {{date}} touch {% if peak %}peak hours{% else %}the hours {{first}}:00 to "
            "{{last}}:59, when the house must stay quiet{% endif %}. Move each of them (same device, same day) so "
            "that it uses none of those hours{% if earliest %} and starts no earlier than {{earliest}}:00 (nobody is "
            "home to load the machines before then){% endif %}, minimising the total cost of the moved runs within "
            "the policy. Leave other runs alone.",
            "Reschedule every run on {{date}} that overlaps {% if peak %}the peak tariff band{% else %}the window "
            "{{first}}:00-{{last}}:59 (we're hosting guests){% endif %} to other start times that day, keeping clear "
            "of {% if peak %}peak hours{% else %}that window{% endif %} entirely{% if earliest %} and not starting "
            "before {{earliest}}:00{% endif %}, with the lowest total cost the policy permits; don't touch the other "
            "runs.",
        ],
        "plan_loads": [
            "Plan one run each of {{devices}} on each of {{dates}}{% if finish_by < 24 %}, every run finishing by "
            "{{finish_by}}:00{% endif %}. Choose start times that the policy allows and that make the total cost "
            "of the new runs as low as possible.",
            "For each day in {{dates}}, schedule a single run of each of these appliances: {{devices}}"
            "{% if finish_by < 24 %} (each must be done by {{finish_by}}:00){% endif %}. Respect the policy and "
            "minimise the combined cost of all the new runs.",
        ],
    }

    # ---- database ---------------------------------------------------------------------------------

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
        base = {"off-peak": rng.uniform(0.08, 0.13), "standard": rng.uniform(0.21, 0.29),
                "peak": rng.uniform(0.38, 0.52)}
        for h in range(24):
            self.db.execute("INSERT INTO tariff VALUES (?, ?, ?)",
                            (h, BANDS[h], round(base[BANDS[h]] + rng.uniform(-0.02, 0.02), 3)))
        rooms = rng.sample(ROOMS, n_rooms)
        for r in rooms:
            self.db.execute("INSERT INTO rooms (name, floor) VALUES (?, ?)", (r, rng.choice([0, 0, 1, 1, 2])))
        kinds = [d for d in DEVICES if d[3]] + rng.sample([d for d in DEVICES if not d[3]], min(16, 8 + n_rooms // 2))
        for kind in kinds + rng.sample(DEVICES, n_rooms):
            room_id = rng.randint(1, n_rooms)
            room = self.db.execute("SELECT name FROM rooms WHERE id = ?", (room_id,)).fetchone()[0]
            name, k = f"{room} {kind[0]}", 2
            while self.db.execute("SELECT 1 FROM devices WHERE name = ?", (name,)).fetchone():
                name, k = f"{room} {kind[0]} {k}", k + 1
            power = round(kind[1] * rng.uniform(0.85, 1.15), 2 if kind[1] >= 0.1 else 3)
            state = "on" if kind[5] else rng.choice(["off", "standby", "standby", "on"])
            self.db.execute("INSERT INTO devices (name, kind, room_id, power_kw, standby_w, run_hours, noisy, "
                            "essential, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            (name, kind[0], room_id, power, kind[2], kind[3], int(kind[4]), int(kind[5]), state))
        self._build_readings(rng, today)
        self._build_runs(rng, today)
        for d in self.rows("SELECT * FROM devices WHERE essential = 0"):
            for _ in range(rng.choice([0, 0, 1, 1, 2])):
                hour = rng.choice([rng.randrange(24), rng.randint(17, 20)])
                action = rng.choice(["on", "off"])
                self.db.execute("INSERT INTO automations (name, device_id, hour, action, enabled) VALUES "
                                "(?, ?, ?, ?, ?)", (f"{d['name']} {action} at {hour}:00", d["id"], hour, action,
                                                    int(rng.random() < 0.75)))
        mtd = self.db.execute("SELECT SUM(r.kwh * t.price) FROM readings r JOIN tariff t ON t.hour = r.hour WHERE "
                              "r.date >= ?", (today.replace(day=1).isoformat(),)).fetchone()[0]
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
                    self.db.execute("INSERT INTO readings (device_id, date, hour, kwh) VALUES (?, ?, ?, ?)",
                                    (d["id"], date, h, kwh))

    def _build_runs(self, rng: random.Random, today: dt.date) -> None:
        for d in self.rows("SELECT * FROM devices WHERE run_hours > 0"):
            for ahead in range(1, 8):
                if rng.random() < 0.45:
                    date = (today + dt.timedelta(days=ahead)).isoformat()
                    start = rng.choice([rng.randint(0, 24 - d["run_hours"]), rng.randint(15, 20 - d["run_hours"] + 1)])
                    if self._load(date, range(start, start + d["run_hours"])) + d["power_kw"] <= 7.4:
                        self.db.execute("INSERT INTO runs (device_id, date, start_hour) VALUES (?, ?, ?)",
                                        (d["id"], date, start))

    # ---- rules ------------------------------------------------------------------------------------

    def _today(self) -> dt.date:
        return dt.date.fromisoformat(self.db.execute("SELECT value FROM meta WHERE key = 'today'").fetchone()[0])

    def _mtd(self) -> float:
        return self.db.execute("SELECT COALESCE(SUM(r.kwh * t.price), 0) FROM readings r JOIN tariff t ON "
                               "t.hour = r.hour WHERE r.date >= ?",
                               (self._today().replace(day=1).isoformat(),)).fetchone()[0]

    def _rules(self) -> dict:
        """Rule settings passed to solutions and verifiers (all stated in the system prompt or readable by tools)."""
        budget = self.db.execute("SELECT amount FROM budget").fetchone()[0]
        return {"capacity": 5.0 if "tight_capacity" in self.variant.rules else 7.4,
                "quiet": "quiet_hours" in self.variant.rules,
                "over_budget": self._mtd() > OVER_SHARE * budget}

    def _load(self, date: str, hours, exclude: int | None = None) -> float:
        """Highest total power of scheduled runs over `hours` of `date`, leaving out run `exclude`."""
        runs = self.rows("SELECT r.id, r.start_hour, d.run_hours, d.power_kw FROM runs r JOIN devices d ON "
                         "d.id = r.device_id WHERE r.date = ? AND r.id IS NOT ?", date, exclude)
        return max([sum(r["power_kw"] for r in runs if r["start_hour"] <= h < r["start_hour"] + r["run_hours"])
                    for h in hours] or [0.0])

    def _run_refusal(self, device: dict, date: str, start: int, exclude: int | None = None) -> str | None:
        if not device["run_hours"]:
            return f"{device['name']} is not a shiftable appliance"
        days = [(self._today() + dt.timedelta(days=k)).isoformat() for k in range(1, 8)]
        if date not in days:
            return f"runs can be scheduled from {days[0]} to {days[-1]}"
        hours = range(start, start + device["run_hours"])
        if start < 0 or hours.stop > 24:
            return f"a {device['run_hours']}-hour run must start between 0 and {24 - device['run_hours']}"
        for r in self.rows("SELECT * FROM runs WHERE device_id = ? AND date = ? AND id IS NOT ?",
                           device["id"], date, exclude):
            if r["start_hour"] < hours.stop and start < r["start_hour"] + device["run_hours"]:
                return f"it overlaps run {r['id']} of the same device"
        rules = self._rules()
        if self._load(date, hours, exclude) + device["power_kw"] > rules["capacity"] + 1e-9:
            return f"scheduled runs would exceed the {rules['capacity']} kW capacity"
        if rules["quiet"] and device["noisy"] and set(hours) & set(QUIET):
            return "noisy appliances may not run during quiet hours (23:00-05:59)"
        if rules["over_budget"] and BANDS[start] != "off-peak":
            return "the month-to-date cost exceeds 80% of the budget: runs must start in an off-peak hour"
        return None

    # ---- tools ------------------------------------------------------------------------------------

    def _device(self, name: str) -> dict:
        row = self.db.execute("SELECT d.*, r.name AS room FROM devices d JOIN rooms r ON r.id = d.room_id WHERE "
                              "lower(d.name) = lower(?)", (name.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"unknown device {name!r}; call list_devices for exact names")
        return dict(row)

    def _room(self, name: str) -> dict:
        row = self.db.execute("SELECT * FROM rooms WHERE lower(name) = lower(?)", (name.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"unknown room {name!r}; call list_devices to see rooms")
        return dict(row)

    @staticmethod
    def _date(value: str) -> str:
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValueError(f"{value!r} is not a date; use YYYY-MM-DD") from None

    @tool("read")
    def list_rooms(self) -> list[dict]:
        """Rooms with their floor and number of devices."""
        return self.rows("SELECT r.name, r.floor, COUNT(d.id) AS devices FROM rooms r LEFT JOIN devices d ON "
                         "d.room_id = r.id GROUP BY r.id ORDER BY r.name")

    @tool("read")
    def list_devices(self, room: str | None = None, kind: str | None = None) -> list[dict]:
        """Devices with room, kind, running power (kW), standby power (W), state (on, off, standby), run hours
        (0 when not shiftable), noisy and essential flags.

        Args:
            room: Only devices in this room.
            kind: Only devices of this kind, e.g. Dishwasher.
        """
        room_id = self._room(room)["id"] if room else None
        out = self.rows("SELECT d.id, d.name, r.name AS room, d.kind, d.power_kw, d.standby_w, d.state, d.run_hours, "
                        "d.noisy, d.essential FROM devices d JOIN rooms r ON r.id = d.room_id WHERE (? IS NULL OR "
                        "d.room_id = ?) AND (? IS NULL OR lower(d.kind) = lower(?)) ORDER BY d.name",
                        room_id, room_id, kind, kind)
        return [{**d, "noisy": bool(d["noisy"]), "essential": bool(d["essential"])} for d in out]

    @tool("read")
    def get_device(self, name: str) -> dict:
        """One device with its details and its scheduled runs.

        Args:
            name: Exact device name.
        """
        d = self._device(name)
        d["noisy"], d["essential"] = bool(d["noisy"]), bool(d["essential"])
        d["runs"] = self.rows("SELECT id, date, start_hour FROM runs WHERE device_id = ? ORDER BY date, start_hour",
                              d["id"])
        del d["room_id"]
        return d

    @tool("read")
    def get_tariff(self) -> list[dict]:
        """The time-of-use tariff: for each hour 0-23 its band (off-peak, standard, peak) and price per kWh."""
        return self.rows("SELECT * FROM tariff ORDER BY hour")

    @tool("read")
    def get_usage(self, start_date: str, end_date: str, room: str | None = None,
                  device: str | None = None) -> list[dict]:
        """Metered energy per device between two dates (inclusive): kWh and cost at the tariff, biggest first.

        Args:
            start_date: First day, YYYY-MM-DD.
            end_date: Last day, YYYY-MM-DD.
            room: Only devices in this room.
            device: Only this device.
        """
        start, end = self._date(start_date), self._date(end_date)
        room_id = self._room(room)["id"] if room else None
        device_id = self._device(device)["id"] if device else None
        return self.rows("SELECT d.name AS device, ROUND(SUM(r.kwh), 3) AS kwh, ROUND(SUM(r.kwh * t.price), 4) AS "
                         "cost FROM readings r JOIN devices d ON d.id = r.device_id JOIN tariff t ON t.hour = r.hour "
                         "WHERE r.date BETWEEN ? AND ? AND (? IS NULL OR d.room_id = ?) AND (? IS NULL OR d.id = ?) "
                         "GROUP BY d.id ORDER BY kwh DESC, d.name", start, end, room_id, room_id, device_id, device_id)

    @tool("read")
    def get_hourly_readings(self, device: str, date: str) -> list[dict]:
        """Hourly meter readings of one device on one day: hour and kWh (hours without use are left out).

        Args:
            device: Exact device name.
            date: Day, YYYY-MM-DD.
        """
        d = self._device(device)
        return self.rows("SELECT hour, kwh FROM readings WHERE device_id = ? AND date = ? ORDER BY hour",
                         d["id"], self._date(date))

    @tool("read")
    def get_schedule(self, date: str | None = None, device: str | None = None) -> list[dict]:
        """Scheduled appliance runs: id, device, date, start hour, run hours, power (kW) and cost.

        Args:
            date: Only runs on this day, YYYY-MM-DD.
            device: Only runs of this device.
        """
        device_id = self._device(device)["id"] if device else None
        runs = self.rows("SELECT r.id, d.name AS device, r.date, r.start_hour, d.run_hours, d.power_kw FROM runs r "
                         "JOIN devices d ON d.id = r.device_id WHERE (? IS NULL OR r.date = ?) AND (? IS NULL OR "
                         "d.id = ?) ORDER BY r.date, r.start_hour, r.id", date, date, device_id, device_id)
        prices = {t["hour"]: t["price"] for t in self.rows("SELECT * FROM tariff")}
        for r in runs:
            r["cost"] = round(r["power_kw"] * sum(prices[h] for h in range(r["start_hour"],
                                                                           r["start_hour"] + r["run_hours"])), 4)
        return runs

    @tool("read")
    def get_budget(self) -> dict:
        """This month's budget, the metered month-to-date cost and today's date."""
        b = self.db.execute("SELECT * FROM budget").fetchone()
        return {"month": b["month"], "budget": b["amount"], "month_to_date_cost": round(self._mtd(), 2),
                "today": self._today().isoformat()}

    @tool("read")
    def list_automations(self, room: str | None = None) -> list[dict]:
        """Automations: id, name, device, room, hour, action (on or off) and whether enabled.

        Args:
            room: Only automations of devices in this room.
        """
        room_id = self._room(room)["id"] if room else None
        out = self.rows("SELECT a.id, a.name, d.name AS device, r.name AS room, a.hour, a.action, a.enabled FROM "
                        "automations a JOIN devices d ON d.id = a.device_id JOIN rooms r ON r.id = d.room_id WHERE "
                        "(? IS NULL OR r.id = ?) ORDER BY a.id", room_id, room_id)
        return [{**a, "enabled": bool(a["enabled"])} for a in out]

    @tool("write")
    def schedule_run(self, device: str, date: str, start_hour: int) -> dict:
        """Schedule a run of a shiftable appliance; refused when the policy forbids it.

        Args:
            device: Exact device name.
            date: Day, YYYY-MM-DD.
            start_hour: Start hour, 0-23.
        """
        d = self._device(device)
        date = self._date(date)
        if why := self._run_refusal(d, date, start_hour):
            raise ValueError(f"cannot schedule: {why}")
        cur = self.db.execute("INSERT INTO runs (device_id, date, start_hour) VALUES (?, ?, ?)",
                              (d["id"], date, start_hour))
        return {"id": cur.lastrowid, "device": d["name"], "date": date, "start_hour": start_hour}

    @tool("write")
    def reschedule_run(self, run_id: int, start_hour: int) -> dict:
        """Move a scheduled run to another start hour on the same day; refused when the policy forbids it.

        Args:
            run_id: Run id from get_schedule.
            start_hour: New start hour, 0-23.
        """
        run = self.db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        if run is None:
            raise ValueError(f"no run {run_id}; use get_schedule")
        d = dict(self.db.execute("SELECT * FROM devices WHERE id = ?", (run["device_id"],)).fetchone())
        if why := self._run_refusal(d, run["date"], start_hour, exclude=run_id):
            raise ValueError(f"cannot move: {why}")
        self.db.execute("UPDATE runs SET start_hour = ? WHERE id = ?", (start_hour, run_id))
        return {"id": run_id, "start_hour": start_hour}

    @tool("write")
    def cancel_run(self, run_id: int) -> dict:
        """Cancel a scheduled run.

        Args:
            run_id: Run id from get_schedule.
        """
        if not self.db.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone():
            raise ValueError(f"no run {run_id}; use get_schedule")
        self.db.execute("DELETE FROM runs WHERE id = ?", (run_id,))
        return {"cancelled": run_id}

    @tool("write")
    def set_device_state(self, device: str, state: str) -> dict:
        """Switch a device on, off or to standby; essential devices cannot be switched off.

        Args:
            device: Exact device name.
            state: on, off or standby.
        """
        d = self._device(device)
        if state not in ("on", "off", "standby"):
            raise ValueError("state must be on, off or standby")
        if d["essential"] and state != "on":
            raise ValueError(f"{d['name']} is essential and must stay on")
        self.db.execute("UPDATE devices SET state = ? WHERE id = ?", (state, d["id"]))
        return {"device": d["name"], "state": state}

    @tool("write")
    def set_automation(self, automation_id: int, enabled: bool) -> dict:
        """Enable or disable an automation.

        Args:
            automation_id: Automation id.
            enabled: True to enable, false to disable.
        """
        if not self.db.execute("SELECT 1 FROM automations WHERE id = ?", (automation_id,)).fetchone():
            raise ValueError(f"no automation {automation_id}; use list_automations")
        self.db.execute("UPDATE automations SET enabled = ? WHERE id = ?", (int(enabled), automation_id))
        return {"id": automation_id, "enabled": enabled}

    # ---- proposer helpers -------------------------------------------------------------------------

    def _past_days(self) -> list[str]:
        return [r["date"] for r in self.rows("SELECT DISTINCT date FROM readings ORDER BY date")]

    def _future_days(self) -> list[str]:
        return [(self._today() + dt.timedelta(days=k)).isoformat() for k in range(1, 8)]

    def _prices(self) -> dict[int, float]:
        return {t["hour"]: t["price"] for t in self.rows("SELECT * FROM tariff")}

    def _run_cost(self, device: dict, start: int) -> float:
        prices = self._prices()
        return device["power_kw"] * sum(prices[h] for h in range(start, start + device["run_hours"]))

    def _best_plan(self, slots: list[tuple[dict, str]], ok) -> float | None:
        """Lowest total cost of new runs for `slots` (device, date; one date for all) with starts accepted by
        `ok(device, start)` and by the policy, placed together (they share capacity); None when no plan exists."""
        date = slots[0][1]
        options = []
        for device, _ in slots:
            starts = [(s, self._run_cost(device, s)) for s in range(0, 25 - device["run_hours"])
                      if ok(device, s) and self._run_refusal(device, date, s) is None]
            options.append(sorted(starts, key=lambda sc: sc[1]))
        cap = self._rules()["capacity"]
        base = [self._load(date, [h]) for h in range(24)]
        best = None
        for picks in itertools.product(*options):
            cost = sum(c for _, c in picks)
            if best is not None and cost >= best - 1e-9:
                continue
            load = list(base)
            for (d, _), (start, _) in zip(slots, picks):
                for h in range(start, start + d["run_hours"]):
                    load[h] += d["power_kw"]
            spans = [(d["id"], st, st + d["run_hours"]) for (d, _), (st, _) in zip(slots, picks)]
            clash = any(a[0] == b[0] and a[1] < b[2] and b[1] < a[2] for a, b in itertools.combinations(spans, 2))
            if max(load) <= cap + 1e-9 and not clash:
                best = cost
        return None if best is None else round(best, 6)

    # ---- proposers --------------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_device_power(self, rng: random.Random) -> TaskDraft | None:
        d = rng.choice(self.rows("SELECT * FROM devices"))
        return TaskDraft(
            shape="device_power",
            instruction=self.render("device_power", rng, device=d["name"]),
            solution=Program.of(solve_device_power, device=d["name"]),
            verifier=Program.of(verify_number, expected=d["power_kw"], tolerance=0.005),
        )

    @proposer(difficulty=1)
    def propose_hour_cost(self, rng: random.Random) -> TaskDraft | None:
        d, hour = rng.choice(self.rows("SELECT * FROM devices WHERE power_kw >= 0.5")), rng.randrange(24)
        price = self._prices()[hour]
        return TaskDraft(
            shape="hour_cost",
            instruction=self.render("hour_cost", rng, device=d["name"], hour=hour),
            solution=Program.of(solve_hour_cost, device=d["name"], hour=hour),
            verifier=Program.of(verify_amount, expected=round(d["power_kw"] * price, 4), tolerance=0.0051,
                                ignore=[hour, d["power_kw"], price]),
        )

    @proposer(difficulty=2, attempts=6)
    def propose_biggest_consumer(self, rng: random.Random) -> TaskDraft | None:
        days = self._past_days()
        i = rng.randrange(len(days))
        j = min(len(days) - 1, i + rng.randint(0, 6))
        room = rng.choice([None, rng.choice(self.rows("SELECT name FROM rooms"))["name"]])
        usage = self.get_usage(days[i], days[j], room=room)
        if not usage or (len(usage) > 1 and abs(usage[0]["kwh"] - usage[1]["kwh"]) < 0.01):
            return None
        names = [d["name"] for d in self.rows("SELECT name FROM devices")]
        spec = {"start": days[i], "end": days[j], "room": room}
        return TaskDraft(
            shape="biggest_consumer",
            instruction=self.render("biggest_consumer", rng, **spec),
            solution=Program.of(solve_biggest_consumer, **spec),
            verifier=Program.of(verify_names, expected=[usage[0]["device"]], candidates=names),
        )

    @proposer(difficulty=2, attempts=6)
    def propose_room_cost(self, rng: random.Random) -> TaskDraft | None:
        date = rng.choice(self._past_days())
        room = rng.choice(self.rows("SELECT name FROM rooms"))["name"]
        usage = self.get_usage(date, date, room=room)
        if not usage:
            return None
        return TaskDraft(
            shape="room_cost",
            instruction=self.render("room_cost", rng, room=room, date=date),
            solution=Program.of(solve_room_cost, room=room, date=date),
            verifier=Program.of(verify_amount, expected=round(sum(u["cost"] for u in usage), 4), tolerance=0.011,
                                ignore=[]),
        )

    @proposer(difficulty=2, attempts=8)
    def propose_peak_kwh(self, rng: random.Random) -> TaskDraft | None:
        if not self.has_tool("get_hourly_readings"):
            return None
        d = rng.choice(self.rows("SELECT * FROM devices WHERE essential = 0"))
        date = rng.choice(self._past_days())
        kwh = self.rows("SELECT SUM(kwh) AS s, COUNT(*) AS n FROM readings WHERE device_id = ? AND date = ? AND "
                        "hour BETWEEN 17 AND 20", d["id"], date)[0]
        if not kwh["n"] and rng.random() < 0.8:
            return None
        return TaskDraft(
            shape="peak_kwh",
            instruction=self.render("peak_kwh", rng, device=d["name"], date=date),
            solution=Program.of(solve_peak_kwh, device=d["name"], date=date),
            verifier=Program.of(verify_amount, expected=round(kwh["s"] or 0, 3), tolerance=0.006, ignore=[]),
        )

    @proposer(difficulty=3, attempts=10)
    def propose_schedule_cheapest(self, rng: random.Random) -> TaskDraft | None:
        d = rng.choice(self.rows("SELECT * FROM devices WHERE run_hours > 0"))
        date = rng.choice(self._future_days())
        earliest = rng.choice([0, 0, 6, 7, 8, 9, 10, 12])
        finish_by = rng.choice([24, 24, 18, 17, 16, 20, 22])
        if finish_by - earliest < d["run_hours"] + 1:
            return None
        window = {"earliest": earliest, "finish_by": finish_by}
        best = self._best_plan([(d, date)], lambda dev, s: s >= earliest and s + dev["run_hours"] <= finish_by)
        if best is None:
            return None
        spec = {"device": d["name"], "date": date, **window}
        return TaskDraft(
            shape="schedule_cheapest",
            instruction=self.render("schedule_cheapest", rng, **spec),
            solution=Program.of(solve_plan_loads, devices=[d["name"]], dates=[date], **window, **self._rules()),
            verifier=Program.of(verify_runs, slots=[[d["id"], date]], moved=[], best=best, **window,
                                avoid=None, **self._rules()),
        )

    @proposer(difficulty=3, attempts=8)
    def propose_standby_off(self, rng: random.Random) -> TaskDraft | None:
        room = rng.choice([None, rng.choice(self.rows("SELECT * FROM rooms"))["name"]])
        min_w = rng.choice([0, 0, 2, 3, 4, 5, 6])
        todo = [d["id"] for d in self.rows("SELECT d.id FROM devices d JOIN rooms r ON r.id = d.room_id WHERE "
                                           "(? IS NULL OR r.name = ?) AND d.state = 'standby' AND d.standby_w >= ? "
                                           "AND d.essential = 0 ORDER BY d.id", room, room, min_w)]
        if not todo:
            return None
        return TaskDraft(
            shape="standby_off",
            instruction=self.render("standby_off", rng, room=room, min_w=min_w),
            solution=Program.of(solve_standby_off, room=room, min_w=min_w),
            verifier=Program.of(verify_switched_off, expected=todo),
        )

    @proposer(difficulty=3, attempts=8)
    def propose_peak_automations(self, rng: random.Random) -> TaskDraft | None:
        if not self.has_tool("list_automations"):
            return None
        room = rng.choice([None, rng.choice(self.rows("SELECT * FROM rooms"))])
        first = rng.choice([None, None, rng.randint(6, 20)])
        last = 20 if first is None else min(23, first + rng.randint(1, 4))
        first = 17 if first is None else first
        todo = [a["id"] for a in self.rows(
            "SELECT a.id FROM automations a JOIN devices d ON d.id = a.device_id WHERE a.enabled = 1 AND "
            "a.action = 'on' AND a.hour BETWEEN ? AND ? AND (? IS NULL OR d.room_id = ?) ORDER BY a.id",
            first, last, room and room["id"], room and room["id"])]
        if not todo:
            return None
        window = {"first": first, "last": last, "peak": (first, last) == (17, 20)}
        return TaskDraft(
            shape="peak_automations",
            instruction=self.render("peak_automations", rng, room=room and room["name"], **window),
            solution=Program.of(solve_peak_automations, room=room and room["name"], **window),
            verifier=Program.of(verify_disabled, expected=todo),
        )

    @proposer(difficulty=4, attempts=10)
    def propose_move_peak_runs(self, rng: random.Random) -> TaskDraft | None:
        date = rng.choice(self._future_days())
        peak = rng.random() < 0.25
        first = 17 if peak else rng.randint(7, 19)
        last = 20 if peak else min(23, first + rng.randint(1, 4))
        runs = [r for r in self.rows("SELECT r.id AS run_id, r.start_hour, d.run_hours, d.id AS device_id FROM runs r "
                                     "JOIN devices d ON d.id = r.device_id WHERE r.date = ? ORDER BY r.id", date)
                if any(first <= h <= last for h in range(r["start_hour"], r["start_hour"] + r["run_hours"]))]
        if not 2 <= len(runs) <= 3:
            return None
        ids = [r["run_id"] for r in runs]
        earliest = rng.choice([0, 0, 5, 6, 7, 8, 9, 10])
        slots = [(self.rows("SELECT * FROM devices WHERE id = ?", r["device_id"])[0], date) for r in runs]
        self.db.execute("SAVEPOINT move")
        try:
            self.db.execute(f"DELETE FROM runs WHERE id IN ({','.join('?' * len(ids))})", ids)
            best = self._best_plan(slots, lambda dev, s: s >= earliest and
                                   all(not first <= h <= last for h in range(s, s + dev["run_hours"])))
        finally:
            self.db.execute("ROLLBACK TO move")
            self.db.execute("RELEASE move")
        if best is None:
            return None
        return TaskDraft(
            shape="move_peak_runs",
            instruction=self.render("move_peak_runs", rng, date=date, earliest=earliest, peak=peak, first=first,
                                    last=last),
            solution=Program.of(solve_move_peak_runs, date=date, earliest=earliest, peak=peak, first=first, last=last,
                                **self._rules()),
            verifier=Program.of(verify_runs, slots=[[s[0]["id"], date] for s in slots], moved=ids, best=best,
                                earliest=earliest, finish_by=24, avoid=[first, last], **self._rules()),
        )

    @proposer(difficulty=5, attempts=10)
    def propose_plan_loads(self, rng: random.Random) -> TaskDraft | None:
        devices = rng.sample(self.rows("SELECT * FROM devices WHERE run_hours > 0"), rng.choice([2, 2, 3]))
        days = self._future_days()
        start = rng.randrange(len(days) - 1)
        dates = days[start:start + rng.choice([2, 2, 3])]
        finish_by = rng.choice([24, 24, 22, 20, 18])
        best = 0.0
        for date in dates:  # days are independent: optimise each on its own
            day = self._best_plan([(d, date) for d in devices], lambda dev, s: s + dev["run_hours"] <= finish_by)
            if day is None:
                return None
            best += day
        spec = {"devices": [d["name"] for d in devices], "dates": dates, "finish_by": finish_by}
        return TaskDraft(
            shape="plan_loads",
            instruction=self.render("plan_loads", rng, devices=", ".join(spec["devices"]),
                                    dates=", ".join(dates), finish_by=finish_by),
            solution=Program.of(solve_plan_loads, **spec, earliest=0, **self._rules()),
            verifier=Program.of(verify_runs, slots=[[d["id"], date] for date in dates for d in devices], moved=[],
                                best=round(best, 6), earliest=0, finish_by=finish_by, avoid=None,
                                **self._rules()),
        )


# ---- solutions: tools and computation only ------------------------------------------------------

def solve_device_power(tools, params):
    return next(d for d in tools.list_devices() if d["name"] == params["device"])["power_kw"]


def solve_hour_cost(tools, params):
    price = next(t for t in tools.get_tariff() if t["hour"] == params["hour"])["price"]
    return round(price * tools.get_device(name=params["device"])["power_kw"], 4)


def solve_biggest_consumer(tools, params):
    usage = tools.get_usage(start_date=params["start"], end_date=params["end"], room=params["room"])
    return max(usage, key=lambda u: u["kwh"])["device"]


def solve_room_cost(tools, params):
    return round(sum(u["cost"] for u in tools.get_usage(start_date=params["date"], end_date=params["date"],
                                                         room=params["room"])), 4)


def solve_peak_kwh(tools, params):
    peak = {t["hour"] for t in tools.get_tariff() if t["band"] == "peak"}
    readings = tools.get_hourly_readings(device=params["device"], date=params["date"])
    return round(sum(r["kwh"] for r in readings if r["hour"] in peak), 3)


def solve_standby_off(tools, params):
    for d in tools.list_devices(room=params["room"]):
        if d["state"] == "standby" and not d["essential"] and d["standby_w"] >= params["min_w"]:
            tools.set_device_state(device=d["name"], state="off")
    return "Done"


def solve_peak_automations(tools, params):
    if params["peak"]:
        hours = {t["hour"] for t in tools.get_tariff() if t["band"] == "peak"}
    else:
        hours = set(range(params["first"], params["last"] + 1))
    n = 0
    for a in tools.list_automations(room=params["room"]):
        if a["enabled"] and a["action"] == "on" and a["hour"] in hours:
            tools.set_automation(automation_id=a["id"], enabled=False)
            n += 1
    return f"Disabled {n} automations"


def solve_plan_loads(tools, params):
    import itertools

    tariff = {t["hour"]: t for t in tools.get_tariff()}
    devices = {d["name"]: d for d in tools.list_devices() if d["name"] in params["devices"]}
    for date in params["dates"]:
        existing = tools.get_schedule(date=date)

        def load(h):
            return sum(r["power_kw"] for r in existing if r["start_hour"] <= h < r["start_hour"] + r["run_hours"])

        def allowed(d, s):
            hours = range(s, s + d["run_hours"])
            if s < params["earliest"] or hours.stop > params["finish_by"]:
                return False
            if params["quiet"] and d["noisy"] and set(hours) & {23, 0, 1, 2, 3, 4, 5}:
                return False
            if params["over_budget"] and tariff[s]["band"] != "off-peak":
                return False
            own = [r for r in existing if r["device"] == d["name"]]
            return not any(r["start_hour"] < hours.stop and s < r["start_hour"] + r["run_hours"] for r in own)

        names = params["devices"]
        options = [[s for s in range(25 - devices[n]["run_hours"]) if allowed(devices[n], s)] for n in names]
        best, best_cost = None, None
        for combo in itertools.product(*options):
            spans = [(devices[n], s) for n, s in zip(names, combo)]
            if any(not set(range(s, s + d["run_hours"])).isdisjoint(range(t, t + e["run_hours"]))
                   for (d, s), (e, t) in itertools.combinations(spans, 2) if d["name"] == e["name"]):
                continue
            if any(load(h) + sum(d["power_kw"] for d, s in spans if s <= h < s + d["run_hours"])
                   > params["capacity"] + 1e-9 for h in range(24)):
                continue
            cost = sum(d["power_kw"] * sum(tariff[h]["price"] for h in range(s, s + d["run_hours"])) for d, s in spans)
            if best_cost is None or cost < best_cost - 1e-9:
                best, best_cost = combo, cost
        for n, s in zip(names, best):
            tools.schedule_run(device=n, date=date, start_hour=s)
    return "Scheduled"


def solve_move_peak_runs(tools, params):
    import itertools

    tariff = {t["hour"]: t for t in tools.get_tariff()}
    runs = tools.get_schedule(date=params["date"])
    if params["peak"]:
        avoid = {h for h, t in tariff.items() if t["band"] == "peak"}
    else:
        avoid = set(range(params["first"], params["last"] + 1))
    move = [r for r in runs if avoid & set(range(r["start_hour"], r["start_hour"] + r["run_hours"]))]
    stay = [r for r in runs if r not in move]
    noisy = {d["name"]: d["noisy"] for d in tools.list_devices()}

    def allowed(r, s):
        hours = range(s, s + r["run_hours"])
        if s < params["earliest"] or hours.stop > 24 or avoid & set(hours):
            return False
        if params["quiet"] and noisy[r["device"]] and set(hours) & {23, 0, 1, 2, 3, 4, 5}:
            return False
        return not (params["over_budget"] and tariff[s]["band"] != "off-peak")

    options = [[s for s in range(25 - r["run_hours"]) if allowed(r, s)] for r in move]
    best, best_cost = None, None
    for combo in itertools.product(*options):
        spans = [(r["device"], s, r["run_hours"], r["power_kw"]) for r, s in zip(move, combo)]
        spans += [(r["device"], r["start_hour"], r["run_hours"], r["power_kw"]) for r in stay]
        if any(a[0] == b[0] and a[1] < b[1] + b[2] and b[1] < a[1] + a[2] for a, b in itertools.combinations(spans, 2)):
            continue
        if any(sum(p for _, s, n, p in spans if s <= h < s + n) > params["capacity"] + 1e-9 for h in range(24)):
            continue
        cost = sum(r["power_kw"] * sum(tariff[h]["price"] for h in range(s, s + r["run_hours"]))
                   for r, s in zip(move, combo))
        if best_cost is None or cost < best_cost - 1e-9:
            best, best_cost = combo, cost
    for r in move:  # park first so that moved runs do not block each other's new hours
        tools.cancel_run(run_id=r["id"])
    for r, s in zip(move, best):
        tools.schedule_run(device=r["device"], date=params["date"], start_hour=s)
    return f"Moved {len(move)} runs"


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_amount(outcome, params):
    """The amount is stated and no other number, besides dates, clock times and echoed inputs (`ignore`)."""
    from verifiers.answers import only_number_besides

    ok = only_number_besides(outcome.answer, params["expected"], params["ignore"], abs_tol=params["tolerance"])
    return ok, [] if ok else [f"expected {params['expected']} (±{params['tolerance']}), got {outcome.answer!r}"]


def verify_switched_off(outcome, params):
    from verifiers.state import diff_table, unchanged

    added, removed, changed = diff_table(outcome.initial, outcome.db, "devices")
    got = sorted(d["id"] for d in changed if d["state"] == "off")
    reasons = []
    if added or removed or got != params["expected"] or len(changed) != len(got):
        reasons.append(f"expected devices {params['expected']} switched off, got {[d['id'] for d in changed]}")
    if other := unchanged(outcome.initial, outcome.db, ["runs", "automations", "readings"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons


def verify_disabled(outcome, params):
    from verifiers.state import diff_table, unchanged

    added, removed, changed = diff_table(outcome.initial, outcome.db, "automations")
    got = sorted(a["id"] for a in changed if not a["enabled"])
    reasons = []
    if added or removed or got != params["expected"] or len(changed) != len(got):
        reasons.append(f"expected automations {params['expected']} disabled, got {[a['id'] for a in changed]}")
    if other := unchanged(outcome.initial, outcome.db, ["runs", "devices", "readings"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons


def verify_runs(outcome, params):
    """The runs that exist now, compared to before: runs `moved` are gone, other old runs untouched, and the new
    runs fill exactly `slots` ([device id, date]); every new run keeps to the policy (capacity, overlap, quiet
    hours, budget rule), to the task's window and outside the `avoid` hours [first, last] if given; their total
    cost is at most the optimum `best`."""
    from collections import Counter

    from verifiers.state import table_rows, unchanged

    before, after = table_rows(outcome.initial, "runs"), table_rows(outcome.db, "runs")
    kept = {k: v for k, v in before.items() if k not in params["moved"]}
    old = {(r["device_id"], r["date"], r["start_hour"]) for r in kept.values()}
    final = Counter((r["device_id"], r["date"], r["start_hour"]) for r in after.values())
    if any(final[o] < 1 for o in old):
        return False, ["a run that should stay was changed or cancelled"]
    new = list((final - Counter(old)).elements())
    if sorted([d, t] for d, t, _ in new) != sorted(params["slots"]):
        return False, [f"new runs {sorted(new)} do not fill the requested {sorted(params['slots'])}"]
    devices = {d["id"]: d for d in outcome.rows("SELECT * FROM devices")}
    tariff = {t["hour"]: t for t in outcome.rows("SELECT * FROM tariff")}
    reasons, total = [], 0.0
    for d_id, date, s in new:
        d = devices[d_id]
        hours = range(s, s + d["run_hours"])
        total += d["power_kw"] * sum(tariff[h]["price"] for h in hours if h in tariff)
        if s < params["earliest"] or hours.stop > params["finish_by"] or hours.stop > 24:
            reasons.append(f"{d['name']} at {s}:00 is outside the allowed window")
        if params["avoid"] and any(params["avoid"][0] <= h <= params["avoid"][1] for h in hours):
            reasons.append(f"{d['name']} at {s}:00 uses an hour it must avoid")
        if params["quiet"] and d["noisy"] and set(hours) & {23, 0, 1, 2, 3, 4, 5}:
            reasons.append(f"{d['name']} at {s}:00 runs in quiet hours")
        if params["over_budget"] and tariff[s]["band"] != "off-peak":
            reasons.append(f"{d['name']} starts at {s}:00, outside off-peak, although over 80% of the budget")
        same = [r for r in after.values() if r["device_id"] == d_id and r["date"] == date]
        if sum(1 for r in same if r["start_hour"] < hours.stop and s < r["start_hour"] + d["run_hours"]) > 1:
            reasons.append(f"{d['name']} has overlapping runs on {date}")
        for h in hours:
            load = sum(devices[r["device_id"]]["power_kw"] for r in after.values() if r["date"] == date and
                       r["start_hour"] <= h < r["start_hour"] + devices[r["device_id"]]["run_hours"])
            if load > params["capacity"] + 1e-9:
                reasons.append(f"{date} hour {h} draws {round(load, 2)} kW, over {params['capacity']}")
                break
    if total > params["best"] + 1e-6:
        reasons.append(f"the new runs cost {round(total, 4)}, more than the best possible {params['best']}")
    if other := unchanged(outcome.initial, outcome.db, ["devices", "automations", "readings"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons
