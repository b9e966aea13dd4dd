"""Task proposers, from single lookups (level 1) to cost-optimal appliance plans (level 5)."""

from __future__ import annotations

import datetime as dt
import itertools
import random

from synth.env import Answer, Effects, Program, Rule, TaskDraft, inserts, proposer, updates

from .checks import check_runs
from .solutions import (
    solve_biggest_consumer,
    solve_device_power,
    solve_hour_cost,
    solve_move_peak_runs,
    solve_peak_automations,
    solve_peak_kwh,
    solve_plan_loads,
    solve_room_cost,
    solve_standby_off,
)


def clear_to_the_cent(value: float) -> bool:
    """Whether an amount with more decimals than the two it is stated with is well away from a half cent: stated to
    the cent it has one right reading, and a cent more or less reads as wrong."""
    return abs(value * 100 - round(value * 100)) < 0.45


class SmartHomeTasks:
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
            starts = [
                (s, self._run_cost(device, s))
                for s in range(0, 25 - device["run_hours"])
                if ok(device, s) and self._run_refusal(device, date, s) is None
            ]
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
            covered = {h for (d, _), (st, _) in zip(slots, picks) for h in range(st, st + d["run_hours"])}
            if all(load[h] <= cap + 1e-9 for h in covered) and not clash:  # as schedule_run checks it
                best = cost
        return None if best is None else round(best, 6)

    # ---- lookups ----------------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_device_power(self, rng: random.Random) -> TaskDraft | None:
        # powers below 0.1 kW have three decimals, which the reference's stated answer (two decimals) would lose
        d = rng.choice(self.rows("SELECT * FROM devices WHERE power_kw = ROUND(power_kw, 2)"))
        return TaskDraft(
            shape="device_power",
            instruction=self.render("device_power", rng, device=d["name"]),
            solution=Program.of(solve_device_power, device=d["name"]),
            answer=Answer.number(d["power_kw"]),
        )

    @proposer(difficulty=1, attempts=4)
    def propose_hour_cost(self, rng: random.Random) -> TaskDraft | None:
        d, hour = rng.choice(self.rows("SELECT * FROM devices WHERE power_kw >= 0.5")), rng.randrange(24)
        cost = round(d["power_kw"] * self._prices()[hour], 4)
        if not clear_to_the_cent(cost):
            return None
        return TaskDraft(
            shape="hour_cost",
            instruction=self.render("hour_cost", rng, device=d["name"], hour=hour),
            solution=Program.of(solve_hour_cost, device=d["name"], hour=hour),
            answer=Answer.number(cost),
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
        spec = {"start": days[i], "end": days[j], "room": room}
        return TaskDraft(
            shape="biggest_consumer",
            instruction=self.render("biggest_consumer", rng, **spec),
            solution=Program.of(solve_biggest_consumer, **spec),
            answer=Answer.entity(usage[0]["device"], candidates=self.column("SELECT name FROM devices")),
        )

    @proposer(difficulty=2, attempts=6)
    def propose_room_cost(self, rng: random.Random) -> TaskDraft | None:
        date = rng.choice(self._past_days())
        room = rng.choice(self.rows("SELECT name FROM rooms"))["name"]
        usage = self.get_usage(date, date, room=room)
        if not usage or not clear_to_the_cent(sum(u["cost"] for u in usage)):
            return None
        return TaskDraft(
            shape="room_cost",
            instruction=self.render("room_cost", rng, room=room, date=date),
            solution=Program.of(solve_room_cost, room=room, date=date),
            answer=Answer.number(round(sum(u["cost"] for u in usage), 4)),
        )

    @proposer(difficulty=2, attempts=8)
    def propose_peak_kwh(self, rng: random.Random) -> TaskDraft | None:
        if not self.has_tool("get_hourly_readings"):
            return None
        d = rng.choice(self.rows("SELECT * FROM devices WHERE essential = 0"))
        date = rng.choice(self._past_days())
        kwh = self.rows(
            "SELECT SUM(kwh) AS s, COUNT(*) AS n FROM readings WHERE device_id = ? AND date = ? AND "
            "hour BETWEEN 17 AND 20",
            d["id"],
            date,
        )[0]
        if (not kwh["n"] and rng.random() < 0.8) or not clear_to_the_cent(kwh["s"] or 0):  # stated to 2 decimals
            return None
        return TaskDraft(
            shape="peak_kwh",
            instruction=self.render("peak_kwh", rng, device=d["name"], date=date),
            solution=Program.of(solve_peak_kwh, device=d["name"], date=date),
            answer=Answer.number(round(kwh["s"] or 0, 3)),
        )

    # ---- changes ----------------------------------------------------------------------------------

    @proposer(difficulty=3, attempts=10)
    def propose_schedule_cheapest(self, rng: random.Random) -> TaskDraft | None:
        d = rng.choice(self.rows("SELECT * FROM devices WHERE run_hours > 0"))
        date = rng.choice(self._future_days())
        earliest = rng.choice([0, 0, 6, 7, 8, 9, 10, 12])
        finish_by = rng.choice([24, 24, 18, 17, 16, 20, 22])
        if finish_by - earliest < d["run_hours"] + 1:
            return None
        starts = sorted(
            (round(self._run_cost(d, s), 9), s)
            for s in range(earliest, finish_by - d["run_hours"] + 1)
            if self._run_refusal(d, date, s) is None
        )
        if not starts or (len(starts) > 1 and starts[0][0] == starts[1][0]):
            return None  # no allowed start, or two equally cheap ones
        window = {"earliest": earliest, "finish_by": finish_by}
        spec = {"device": d["name"], "date": date, **window}
        return TaskDraft(
            shape="schedule_cheapest",
            instruction=self.render("schedule_cheapest", rng, **spec),
            solution=Program.of(solve_plan_loads, devices=[d["name"]], dates=[date], **window, **self._rules()),
            answer=Answer.none(),
            effects=Effects.on(runs=inserts(rows=[{"device_id": d["id"], "date": date, "start_hour": starts[0][1]}])),
        )

    @proposer(difficulty=3, attempts=8)
    def propose_standby_off(self, rng: random.Random) -> TaskDraft | None:
        room = rng.choice([None, rng.choice(self.rows("SELECT * FROM rooms"))["name"]])
        min_w = rng.choice([0, 0, 2, 3, 4, 5, 6])
        todo = self.column(
            "SELECT d.id FROM devices d JOIN rooms r ON r.id = d.room_id WHERE (? IS NULL OR r.name = ?) "
            "AND d.state = 'standby' AND d.standby_w >= ? AND d.essential = 0 ORDER BY d.id",
            room,
            room,
            min_w,
        )
        if not todo:
            return None
        return TaskDraft(
            shape="standby_off",
            instruction=self.render("standby_off", rng, room=room, min_w=min_w),
            solution=Program.of(solve_standby_off, room=room, min_w=min_w),
            answer=Answer.none(),
            effects=Effects.on(devices=updates("state", keys=todo, values={"state": "off"})),
        )

    @proposer(difficulty=3, attempts=8)
    def propose_peak_automations(self, rng: random.Random) -> TaskDraft | None:
        if not self.has_tool("list_automations"):
            return None
        room = rng.choice([None, rng.choice(self.rows("SELECT * FROM rooms"))])
        first = rng.choice([None, None, rng.randint(6, 20)])
        last = 20 if first is None else min(23, first + rng.randint(1, 4))
        first = 17 if first is None else first
        todo = self.column(
            "SELECT a.id FROM automations a JOIN devices d ON d.id = a.device_id WHERE a.enabled = 1 "
            "AND a.action = 'on' AND a.hour BETWEEN ? AND ? AND (? IS NULL OR d.room_id = ?) "
            "ORDER BY a.id",
            first,
            last,
            room and room["id"],
            room and room["id"],
        )
        if not todo:
            return None
        window = {"first": first, "last": last, "peak": (first, last) == (17, 20)}
        return TaskDraft(
            shape="peak_automations",
            instruction=self.render("peak_automations", rng, room=room and room["name"], **window),
            solution=Program.of(solve_peak_automations, room=room and room["name"], **window),
            answer=Answer.none(),
            effects=Effects.on(automations=updates("enabled", keys=todo, values={"enabled": 0})),
        )

    @proposer(difficulty=4, attempts=10)
    def propose_move_peak_runs(self, rng: random.Random) -> TaskDraft | None:
        date = rng.choice(self._future_days())
        peak = rng.random() < 0.25
        first = 17 if peak else rng.randint(7, 19)
        last = 20 if peak else min(23, first + rng.randint(1, 4))
        runs = [
            r
            for r in self.rows(
                "SELECT r.id AS run_id, r.start_hour, d.run_hours, d.id AS device_id FROM runs r "
                "JOIN devices d ON d.id = r.device_id WHERE r.date = ? ORDER BY r.id",
                date,
            )
            if any(first <= h <= last for h in range(r["start_hour"], r["start_hour"] + r["run_hours"]))
        ]
        if not 2 <= len(runs) <= 3:
            return None
        ids = [r["run_id"] for r in runs]
        earliest = rng.choice([0, 0, 5, 6, 7, 8, 9, 10])
        slots = [(self.rows("SELECT * FROM devices WHERE id = ?", r["device_id"])[0], date) for r in runs]
        self.db.execute("SAVEPOINT move")
        try:
            self.db.execute(f"DELETE FROM runs WHERE id IN ({','.join('?' * len(ids))})", ids)
            best = self._best_plan(
                slots,
                lambda dev, s: s >= earliest and all(not first <= h <= last for h in range(s, s + dev["run_hours"])),
            )
        finally:
            self.db.execute("ROLLBACK TO move")
            self.db.execute("RELEASE move")
        if best is None:
            return None
        window = {"date": date, "earliest": earliest, "peak": peak, "first": first, "last": last}
        return TaskDraft(
            shape="move_peak_runs",
            instruction=self.render("move_peak_runs", rng, **window),
            solution=Program.of(solve_move_peak_runs, **window, **self._rules()),
            answer=Answer.none(),
            # moved by rescheduling or by cancelling and booking again: check_runs judges the day's runs
            # (a cancelled run's id may be taken again by a new booking)
            effects=Effects.on(
                runs=Rule(insert=True, delete=True, update=["device_id", "date", "start_hour"], keys=ids)
            ),
            check=Program.of(
                check_runs,
                slots=[[s[0]["id"], date] for s in slots],
                moved=ids,
                best=best,
                earliest=earliest,
                finish_by=24,
                avoid=[first, last],
                **self._rules(),
            ),
        )

    @proposer(difficulty=5, attempts=10)
    def propose_plan_loads(self, rng: random.Random) -> TaskDraft | None:
        devices = rng.sample(self.rows("SELECT * FROM devices WHERE run_hours > 0"), rng.choice([2, 2, 3]))
        days = self._future_days()
        start = rng.randrange(len(days) - 1)
        dates = days[start : start + rng.choice([2, 2, 3])]
        finish_by = rng.choice([24, 24, 22, 20, 18])
        best = 0.0
        for date in dates:  # days are independent: optimise each on its own
            day = self._best_plan([(d, date) for d in devices], lambda dev, s: s + dev["run_hours"] <= finish_by)
            if day is None:
                return None
            best += day
        slots = [[d["id"], date] for date in dates for d in devices]
        spec = {"devices": [d["name"] for d in devices], "dates": dates, "finish_by": finish_by}
        return TaskDraft(
            shape="plan_loads",
            instruction=self.render(
                "plan_loads", rng, devices=", ".join(spec["devices"]), dates=", ".join(dates), finish_by=finish_by
            ),
            solution=Program.of(solve_plan_loads, **spec, earliest=0, **self._rules()),
            answer=Answer.none(),
            effects=Effects.on(runs=inserts(len(slots))),  # several plans may reach the lowest cost
            check=Program.of(
                check_runs,
                slots=slots,
                moved=[],
                best=round(best, 6),
                earliest=0,
                finish_by=finish_by,
                avoid=None,
                **self._rules(),
            ),
        )
