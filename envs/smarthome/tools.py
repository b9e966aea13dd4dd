"""The smarthome tools: lookups, and writes that enforce the policy."""

from __future__ import annotations

import datetime as dt

from synth.env import tool

from .world import BANDS, OVER_SHARE, QUIET


class SmartHomeTools:
    # ---- rules ------------------------------------------------------------------------------------

    def _today(self) -> dt.date:
        return dt.date.fromisoformat(self.value("SELECT value FROM meta WHERE key = 'today'"))

    def _mtd(self) -> float:
        return self.value(
            "SELECT COALESCE(SUM(r.kwh * t.price), 0) FROM readings r JOIN tariff t ON t.hour = r.hour "
            "WHERE r.date >= ?",
            self._today().replace(day=1).isoformat(),
        )

    def _rules(self) -> dict:
        """Rule settings passed to solutions and verifiers (all stated in the system prompt or readable by tools)."""
        budget = self.value("SELECT amount FROM budget")
        return {
            "capacity": 5.0 if "tight_capacity" in self.variant.rules else 7.4,
            "quiet": "quiet_hours" in self.variant.rules,
            "over_budget": self._mtd() > OVER_SHARE * budget,
        }

    def _load(self, date: str, hours, exclude: int | None = None) -> float:
        """Highest total power of scheduled runs over `hours` of `date`, leaving out run `exclude`."""
        runs = self.rows(
            "SELECT r.id, r.start_hour, d.run_hours, d.power_kw FROM runs r JOIN devices d ON "
            "d.id = r.device_id WHERE r.date = ? AND r.id IS NOT ?",
            date,
            exclude,
        )
        return max(
            [sum(r["power_kw"] for r in runs if r["start_hour"] <= h < r["start_hour"] + r["run_hours"]) for h in hours]
            or [0.0]
        )

    def _run_refusal(self, device: dict, date: str, start: int, exclude: int | None = None) -> str | None:
        if not device["run_hours"]:
            return f"{device['name']} is not a shiftable appliance"
        days = [(self._today() + dt.timedelta(days=k)).isoformat() for k in range(1, 8)]
        if date not in days:
            return f"runs can be scheduled from {days[0]} to {days[-1]}"
        hours = range(start, start + device["run_hours"])
        if start < 0 or hours.stop > 24:
            return f"a {device['run_hours']}-hour run must start between 0 and {24 - device['run_hours']}"
        for r in self.rows(
            "SELECT * FROM runs WHERE device_id = ? AND date = ? AND id IS NOT ?", device["id"], date, exclude
        ):
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
        return self.one(
            "SELECT d.*, r.name AS room FROM devices d JOIN rooms r ON r.id = d.room_id WHERE lower(d.name) = lower(?)",
            name.strip(),
            missing=f"unknown device {name!r}; call list_devices for exact names",
        )

    def _room(self, name: str) -> dict:
        return self.one(
            "SELECT * FROM rooms WHERE lower(name) = lower(?)",
            name.strip(),
            missing=f"unknown room {name!r}; call list_devices to see rooms",
        )

    @staticmethod
    def _date(value: str) -> str:
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValueError(f"{value!r} is not a date; use YYYY-MM-DD") from None

    @tool("read")
    def list_rooms(self) -> list[dict]:
        """Rooms with their floor and number of devices."""
        return self.rows(
            "SELECT r.name, r.floor, COUNT(d.id) AS devices FROM rooms r LEFT JOIN devices d ON "
            "d.room_id = r.id GROUP BY r.id ORDER BY r.name"
        )

    @tool("read")
    def list_devices(self, room: str | None = None, kind: str | None = None) -> list[dict]:
        """Devices with room, kind, running power (kW), standby power (W), state (on, off, standby), run hours
        (0 when not shiftable), noisy and essential flags.

        Args:
            room: Only devices in this room.
            kind: Only devices of this kind, e.g. Dishwasher.
        """
        room_id = self._room(room)["id"] if room else None
        out = self.rows(
            "SELECT d.id, d.name, r.name AS room, d.kind, d.power_kw, d.standby_w, d.state, d.run_hours, "
            "d.noisy, d.essential FROM devices d JOIN rooms r ON r.id = d.room_id WHERE (? IS NULL OR "
            "d.room_id = ?) AND (? IS NULL OR lower(d.kind) = lower(?)) ORDER BY d.name",
            room_id,
            room_id,
            kind,
            kind,
        )
        return [{**d, "noisy": bool(d["noisy"]), "essential": bool(d["essential"])} for d in out]

    @tool("read")
    def get_device(self, name: str) -> dict:
        """One device with its details and its scheduled runs.

        Args:
            name: Exact device name.
        """
        d = self._device(name)
        d["noisy"], d["essential"] = bool(d["noisy"]), bool(d["essential"])
        d["runs"] = self.rows(
            "SELECT id, date, start_hour FROM runs WHERE device_id = ? ORDER BY date, start_hour", d["id"]
        )
        del d["room_id"]
        return d

    @tool("read")
    def get_tariff(self) -> list[dict]:
        """The time-of-use tariff: for each hour 0-23 its band (off-peak, standard, peak) and price per kWh."""
        return self.rows("SELECT * FROM tariff ORDER BY hour")

    @tool("read")
    def get_usage(
        self, start_date: str, end_date: str, room: str | None = None, device: str | None = None
    ) -> list[dict]:
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
        return self.rows(
            "SELECT d.name AS device, ROUND(SUM(r.kwh), 3) AS kwh, ROUND(SUM(r.kwh * t.price), 4) AS "
            "cost FROM readings r JOIN devices d ON d.id = r.device_id JOIN tariff t ON t.hour = r.hour "
            "WHERE r.date BETWEEN ? AND ? AND (? IS NULL OR d.room_id = ?) AND (? IS NULL OR d.id = ?) "
            "GROUP BY d.id ORDER BY kwh DESC, d.name",
            start,
            end,
            room_id,
            room_id,
            device_id,
            device_id,
        )

    @tool("read")
    def get_hourly_readings(self, device: str, date: str) -> list[dict]:
        """Hourly meter readings of one device on one day: hour and kWh (hours without use are left out).

        Args:
            device: Exact device name.
            date: Day, YYYY-MM-DD.
        """
        d = self._device(device)
        return self.rows(
            "SELECT hour, kwh FROM readings WHERE device_id = ? AND date = ? ORDER BY hour", d["id"], self._date(date)
        )

    @tool("read")
    def get_schedule(self, date: str | None = None, device: str | None = None) -> list[dict]:
        """Scheduled appliance runs: id, device, date, start hour, run hours, power (kW) and cost.

        Args:
            date: Only runs on this day, YYYY-MM-DD.
            device: Only runs of this device.
        """
        device_id = self._device(device)["id"] if device else None
        runs = self.rows(
            "SELECT r.id, d.name AS device, r.date, r.start_hour, d.run_hours, d.power_kw FROM runs r "
            "JOIN devices d ON d.id = r.device_id WHERE (? IS NULL OR r.date = ?) AND (? IS NULL OR "
            "d.id = ?) ORDER BY r.date, r.start_hour, r.id",
            date,
            date,
            device_id,
            device_id,
        )
        prices = {t["hour"]: t["price"] for t in self.rows("SELECT * FROM tariff")}
        for r in runs:
            r["cost"] = round(
                r["power_kw"] * sum(prices[h] for h in range(r["start_hour"], r["start_hour"] + r["run_hours"])), 4
            )
        return runs

    @tool("read")
    def get_budget(self) -> dict:
        """This month's budget, the metered month-to-date cost and today's date."""
        b = self.one("SELECT * FROM budget", missing="no budget is set")
        return {
            "month": b["month"],
            "budget": b["amount"],
            "month_to_date_cost": round(self._mtd(), 2),
            "today": self._today().isoformat(),
        }

    @tool("read")
    def list_automations(self, room: str | None = None) -> list[dict]:
        """Automations: id, name, device, room, hour, action (on or off) and whether enabled.

        Args:
            room: Only automations of devices in this room.
        """
        room_id = self._room(room)["id"] if room else None
        out = self.rows(
            "SELECT a.id, a.name, d.name AS device, r.name AS room, a.hour, a.action, a.enabled FROM "
            "automations a JOIN devices d ON d.id = a.device_id JOIN rooms r ON r.id = d.room_id WHERE "
            "(? IS NULL OR r.id = ?) ORDER BY a.id",
            room_id,
            room_id,
        )
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
        cur = self.db.execute(
            "INSERT INTO runs (device_id, date, start_hour) VALUES (?, ?, ?)", (d["id"], date, start_hour)
        )
        return {"id": cur.lastrowid, "device": d["name"], "date": date, "start_hour": start_hour}

    @tool("write")
    def reschedule_run(self, run_id: int, start_hour: int) -> dict:
        """Move a scheduled run to another start hour on the same day; refused when the policy forbids it.

        Args:
            run_id: Run id from get_schedule.
            start_hour: New start hour, 0-23.
        """
        run = self.one("SELECT * FROM runs WHERE id = ?", run_id, missing=f"no run {run_id}; use get_schedule")
        d = self.one("SELECT * FROM devices WHERE id = ?", run["device_id"], missing="no such device")
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
        if not self.value("SELECT 1 FROM runs WHERE id = ?", run_id):
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
        if not self.value("SELECT 1 FROM automations WHERE id = ?", automation_id):
            raise ValueError(f"no automation {automation_id}; use list_automations")
        self.db.execute("UPDATE automations SET enabled = ? WHERE id = ?", (int(enabled), automation_id))
        return {"id": automation_id, "enabled": enabled}
