"""Task proposers, from lookups (level 1) to day-clearing plans (level 5)."""

from __future__ import annotations

import random

from synth.env import Answer, Effects, Program, TaskDraft, deletes, inserts, proposer, updates

from .checks import check_moved, check_new_meeting, check_rooms
from .solutions import (
    solve_add_attendees,
    solve_attendee_count,
    solve_busiest_member,
    solve_close_room,
    solve_event_place_time,
    solve_free_rooms,
    solve_ooo_reschedule,
    solve_schedule_meeting,
    solve_team_lead,
    solve_team_meeting,
    solve_team_meeting_hours,
    solve_upgrade_room,
)
from .world import EQUIPMENT, TOPICS, _and, _clock, _stamp


class CalendarTasks:
    def _new_meeting(self, organizer: int, people: list[int], slot: tuple[str, int], length: int) -> Effects:
        """One new confirmed meeting at `slot` for `length` minutes, with exactly these attendees."""
        day, begin = slot
        return Effects.on(
            events=inserts(
                rows=[
                    {
                        "organizer_id": organizer,
                        "start": _stamp(day, begin),
                        "end": _stamp(day, begin + length),
                        "status": "confirmed",
                    }
                ]
            ),
            attendees=inserts(rows=[{"person_id": pid} for pid in people]),
        )

    def _day_off(self, name: str, day: str, moved: list[dict], dropped: tuple[int, ...] = ()) -> Effects:
        """One out-of-office day for `name`; the `moved` meetings change time and room; the person leaves the
        `dropped` meetings."""
        pid = self.value("SELECT id FROM people WHERE name = ?", name)
        effects = {
            "out_of_office": inserts(rows=[{"person_id": pid, "start_date": day, "end_date": day}]),
            "events": updates("start", "end", "room_id", keys=[e["id"] for e in moved]),
        }
        if dropped:
            effects["attendees"] = deletes(
                keys=[
                    self.value("SELECT id FROM attendees WHERE event_id = ? AND person_id = ?", event_id, pid)
                    for event_id in dropped
                ]
            )
        return Effects.on(**effects)

    # ---- proposers: lookups -------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_event_place_time(self, rng: random.Random) -> TaskDraft | None:
        ev = rng.choice(
            self.rows(
                "SELECT e.title, e.start, r.name AS room FROM events e JOIN rooms r "
                "ON r.id = e.room_id WHERE e.status = 'confirmed' ORDER BY e.id"
            )
        )
        return TaskDraft(
            shape="event_place_time",
            instruction=self.render("event_place_time", rng, title=ev["title"]),
            solution=Program.of(solve_event_place_time, title=ev["title"]),
            answer=Answer.record(
                room=Answer.entity(ev["room"], candidates=self.column("SELECT name FROM rooms")),
                date=Answer.date(ev["start"][:10]),
                time=Answer.time(ev["start"][11:]),
            ),
            tools=("search_events", "get_event", "room_schedule", "list_rooms"),
        )

    @proposer(difficulty=1)
    def propose_attendee_count(self, rng: random.Random) -> TaskDraft | None:
        ev = rng.choice(self.rows("SELECT id, title FROM events WHERE status = 'confirmed' ORDER BY id"))
        return TaskDraft(
            shape="attendee_count",
            instruction=self.render("attendee_count", rng, title=ev["title"]),
            solution=Program.of(solve_attendee_count, title=ev["title"]),
            answer=Answer.integer(len(self._attendee_ids(ev["id"]))),
            tools=("search_events", "get_event", "get_schedule"),
        )

    @proposer(difficulty=1)
    def propose_team_lead(self, rng: random.Random) -> TaskDraft | None:
        person = rng.choice(
            self.rows(
                "SELECT p.name, l.name AS lead FROM people p JOIN teams t ON t.id = p.team_id "
                "JOIN people l ON l.id = t.lead_id WHERE p.id != t.lead_id ORDER BY p.id"
            )
        )
        return TaskDraft(
            shape="team_lead",
            instruction=self.render("team_lead", rng, person=person["name"]),
            solution=Program.of(solve_team_lead, person=person["name"]),
            answer=Answer.entity(
                person["lead"], candidates=self.column("SELECT name FROM people WHERE name != ?", person["name"])
            ),
            tools=("list_people",),
        )

    # ---- proposers: aggregation ---------------------------------------------------------------------

    @proposer(difficulty=2)
    def propose_team_meeting_hours(self, rng: random.Random) -> TaskDraft | None:
        team, day = rng.choice(self.rows("SELECT id, name FROM teams ORDER BY id")), rng.choice(self._days())
        spans = self.rows(
            "SELECT DISTINCT ev.id, ev.s, ev.e FROM live_events ev JOIN attendees a "
            "ON a.event_id = ev.id JOIN people p ON p.id = a.person_id WHERE p.team_id = ? "
            "AND ev.day = ?",
            team["id"],
            day,
        )
        if not spans:
            return None
        spec = {"team": team["name"], "date": day}
        return TaskDraft(
            shape="team_meeting_hours",
            instruction=self.render("team_meeting_hours", rng, **spec),
            solution=Program.of(solve_team_meeting_hours, **spec),
            answer=Answer.number(round(sum(r["e"] - r["s"] for r in spans) / 60, 2)),
            tools=("list_people", "get_schedule", "search_events", "get_event"),
        )

    @proposer(difficulty=2)
    def propose_free_rooms(self, rng: random.Random) -> TaskDraft | None:
        ev = rng.choice(
            self.rows(
                "SELECT ev.day, ev.s, ev.e, r.capacity, q.item FROM live_events ev "
                "JOIN rooms r ON r.id = ev.room_id JOIN room_equipment q ON q.room_id = r.id "
                "ORDER BY ev.id, q.item"
            )
        )
        seats = rng.choice([c for c in (2, 3, 4, 6, 8) if c <= ev["capacity"]])
        free = [r["name"] for r in self._free_rooms(ev["day"], ev["s"], ev["e"], seats, ev["item"])]
        if not free:
            return None
        spec = {"date": ev["day"], "start": _clock(ev["s"]), "end": _clock(ev["e"]), "item": ev["item"], "seats": seats}
        return TaskDraft(
            shape="free_rooms",
            instruction=self.render("free_rooms", rng, **spec),
            solution=Program.of(solve_free_rooms, **spec),
            answer=Answer.entities(sorted(free), candidates=self.column("SELECT name FROM rooms")),
            tools=("list_rooms", "room_schedule", "search_events", "get_event"),
        )

    @proposer(difficulty=2)
    def propose_busiest_member(self, rng: random.Random) -> TaskDraft | None:
        leaders = []  # (team, day, name) wherever one member has strictly the most meeting time
        for team in self.rows("SELECT id, name FROM teams ORDER BY id"):
            for day in self._days():
                totals = self.rows(
                    "SELECT p.name, SUM(ev.e - ev.s) AS minutes FROM people p JOIN attendees a "
                    "ON a.person_id = p.id JOIN live_events ev ON ev.id = a.event_id "
                    "WHERE p.team_id = ? AND ev.day = ? GROUP BY p.id ORDER BY minutes DESC, p.name",
                    team["id"],
                    day,
                )
                if totals and (len(totals) == 1 or totals[0]["minutes"] > totals[1]["minutes"]):
                    leaders.append((team["name"], day, totals[0]["name"]))
        if not leaders:
            return None
        team, day, name = rng.choice(leaders)
        spec = {"team": team, "date": day}
        return TaskDraft(
            shape="busiest_member",
            instruction=self.render("busiest_member", rng, **spec),
            solution=Program.of(solve_busiest_member, **spec),
            answer=Answer.entity(name, candidates=self.column("SELECT name FROM people")),
            tools=("list_people", "get_schedule"),
        )

    # ---- proposers: constrained changes -------------------------------------------------------------

    def _earliest(self, pids: list[int], days: list[str], length: int, item: str | None = None):
        """(day, start minute) of the earliest slot where everyone is free and a fitting room is free too."""
        for day in days:
            for begin in self._starts(pids, day, length):
                if self._free_rooms(day, begin, begin + length, len(pids), item):
                    return day, begin
        return None

    @proposer(difficulty=3)
    def propose_schedule_meeting(self, rng: random.Random) -> TaskDraft | None:
        team = rng.choice(
            self.rows("SELECT team_id FROM people GROUP BY team_id HAVING COUNT(*) >= 3 ORDER BY team_id")
        )
        members = self.rows("SELECT id, name FROM people WHERE team_id = ? ORDER BY id", team["team_id"])
        group = rng.sample(members, rng.randint(2, min(4, len(members))))
        length = rng.choice([30, 45, 60])
        slots = [s for s in (self._earliest([p["id"] for p in group], [d], length) for d in self._days()) if s]
        if not slots:
            return None
        slot = rng.choice(slots)
        day = slot[0]
        spec = {
            "title": f"{rng.choice(TOPICS)} {rng.choice(['check', 'huddle', 'walkthrough', 'catch-up'])}",
            "organizer": group[0]["name"],
            "others": [p["name"] for p in group[1:]],
            "date": day,
            "minutes": length,
        }
        return TaskDraft(
            shape="schedule_meeting",
            instruction=self.render("schedule_meeting", rng, **spec | {"others": _and(spec["others"])}),
            solution=Program.of(solve_schedule_meeting, **spec, **self._rules()),
            answer=Answer.none(),
            effects=self._new_meeting(group[0]["id"], [p["id"] for p in group], slot, length),
            check=Program.of(check_new_meeting, title=spec["title"], item=None),
            tools=(
                "list_people",
                "get_person",
                "get_schedule",
                "list_rooms",
                "room_schedule",
                "search_events",
                "create_event",
                "cancel_event",
                "book_room",
            ),
        )

    @proposer(difficulty=3)
    def propose_upgrade_room(self, rng: random.Random) -> TaskDraft | None:
        ev = rng.choice(
            self.rows("SELECT id, title, day, s, e, room_id FROM live_events WHERE room_id IS NOT NULL ORDER BY id")
        )
        has = {r["item"] for r in self.rows("SELECT item FROM room_equipment WHERE room_id = ?", ev["room_id"])}
        item = rng.choice([i for i in EQUIPMENT if i not in has] or EQUIPMENT)
        if item in has or not self._free_rooms(
            ev["day"], ev["s"], ev["e"], len(self._attendee_ids(ev["id"])), item, skip=ev["id"]
        ):
            return None
        return TaskDraft(
            shape="upgrade_room",
            instruction=self.render("upgrade_room", rng, title=ev["title"], item=item),
            solution=Program.of(solve_upgrade_room, title=ev["title"], item=item),
            answer=Answer.none(),
            effects=Effects.on(events=updates("room_id", keys=[ev["id"]])),
            check=Program.of(check_rooms, events=[ev["id"]], item=item),
            tools=("search_events", "get_event", "list_rooms", "room_schedule", "book_room", "move_event"),
        )

    @proposer(difficulty=3)
    def propose_add_attendees(self, rng: random.Random) -> TaskDraft | None:
        tight = rng.random() < 0.5  # half the time, pick a meeting whose room has little space left
        events = self.rows(
            "SELECT ev.id, ev.title, ev.day, ev.s, ev.e, r.capacity, (SELECT COUNT(*) FROM attendees "
            "a WHERE a.event_id = ev.id) AS size FROM live_events ev JOIN rooms r ON r.id = ev.room_id "
            "ORDER BY ev.id"
        )
        ev = rng.choice([e for e in events if (e["capacity"] - e["size"] < 2) == tight] or events)
        taken = set(self._attendee_ids(ev["id"]))
        free = [
            p
            for p in self.rows("SELECT id, name FROM people ORDER BY id")
            if p["id"] not in taken and ev["s"] in self._starts([p["id"]], ev["day"], ev["e"] - ev["s"])
        ]
        if not free:
            return None
        joining = rng.sample(free, min(len(free), rng.choice([1, 2, 2])))
        size = ev["size"] + len(joining)
        if size > ev["capacity"] and not self._free_rooms(ev["day"], ev["s"], ev["e"], size, skip=ev["id"]):
            return None
        names = [p["name"] for p in joining]
        return TaskDraft(
            shape="add_attendees",
            instruction=self.render("add_attendees", rng, title=ev["title"], people=_and(names)),
            solution=Program.of(solve_add_attendees, title=ev["title"], people=names),
            answer=Answer.none(),
            effects=Effects.on(
                attendees=inserts(rows=[{"event_id": ev["id"], "person_id": p["id"]} for p in joining]),
                **({"events": updates("room_id", keys=[ev["id"]])} if size > ev["capacity"] else {}),
            ),
            check=Program.of(check_rooms, events=[ev["id"]]),
            tools=(
                "search_events",
                "get_event",
                "get_schedule",
                "list_rooms",
                "room_schedule",
                "add_attendee",
                "book_room",
                "move_event",
            ),
        )

    # ---- proposers: multi-step plans ----------------------------------------------------------------

    @proposer(difficulty=4)
    def propose_team_meeting(self, rng: random.Random) -> TaskDraft | None:
        team = rng.choice(self.rows("SELECT t.id, t.name, t.lead_id FROM teams t ORDER BY t.id"))
        members = [r["id"] for r in self.rows("SELECT id FROM people WHERE team_id = ? ORDER BY id", team["id"])]
        days = self._days()
        first = rng.randrange(len(days) - 2)
        window, length = days[first : first + 3], rng.choice([45, 60])
        items = [
            r["item"]
            for r in self.rows(
                "SELECT DISTINCT q.item FROM room_equipment q JOIN rooms r "
                "ON r.id = q.room_id WHERE r.capacity >= ? ORDER BY q.item",
                len(members),
            )
        ]
        if not items:
            return None
        item = rng.choice(items)
        slot = self._earliest(members, window, length, item)
        if slot is None:
            return None
        kind = rng.choice(["all-hands", "quarterly planning", "offsite prep"])
        spec = {
            "team": team["name"],
            "title": f"{team['name']} {kind}",
            "first": window[0],
            "last": window[-1],
            "minutes": length,
            "item": item,
        }
        return TaskDraft(
            shape="team_meeting",
            instruction=self.render("team_meeting", rng, **spec),
            solution=Program.of(solve_team_meeting, **spec, **self._rules()),
            answer=Answer.none(),
            effects=self._new_meeting(team["lead_id"], members, slot, length),
            check=Program.of(check_new_meeting, title=spec["title"], item=item),
        )

    def _replay_ooo(self, name: str, day: str, after: str, events: list[dict], drop: tuple[int, ...] = ()) -> bool:
        """Carry out the reference plan of ooo_reschedule (then roll it back); False when it gets stuck.
        `drop`: meetings the person is only taken off instead of moving them."""
        try:
            self.set_out_of_office(name, day, day)
            for event_id in drop:
                self.remove_attendee(event_id, name)
            for ev in events:
                pids, length = self._attendee_ids(ev["id"]), ev["e"] - ev["s"]
                starts = sorted(self._starts(pids, after, length, skip=ev["id"]), key=lambda s: (s != ev["s"], s))
                for begin in starts:
                    rooms = (
                        []
                        if ev["room_id"] is None
                        else self._free_rooms(after, begin, begin + length, len(pids), skip=ev["id"])
                    )
                    if ev["room_id"] is None or rooms:
                        same = [r for r in rooms if r["id"] == ev["room_id"]]
                        self.move_event(ev["id"], _stamp(after, begin), (same or rooms)[0]["name"] if rooms else None)
                        break
                else:
                    return False
            return True
        except ValueError:
            return False
        finally:
            self.db.rollback()

    @proposer(difficulty=4)
    def propose_ooo_reschedule(self, rng: random.Random) -> TaskDraft | None:
        days = self._days()
        busy = self.rows(
            "SELECT p.name, ev.day FROM attendees a JOIN live_events ev ON ev.id = a.event_id "
            "JOIN people p ON p.id = a.person_id WHERE ev.day < ? GROUP BY a.person_id, ev.day "
            "HAVING COUNT(*) BETWEEN 2 AND 4 ORDER BY a.person_id, ev.day",
            days[-1],
        )
        for pick in rng.sample(busy, min(3, len(busy))):
            name, day = pick["name"], pick["day"]
            after = days[days.index(day) + 1]
            events = self.rows(
                "SELECT ev.id, ev.s, ev.e, ev.room_id FROM live_events ev JOIN attendees a "
                "ON a.event_id = ev.id JOIN people p ON p.id = a.person_id WHERE p.name = ? "
                "AND ev.day = ? ORDER BY ev.start, ev.id",
                name,
                day,
            )
            if self._replay_ooo(name, day, after, events):
                break
        else:
            return None
        spec = {"person": name, "date": day, "next": after}
        return TaskDraft(
            shape="ooo_reschedule",
            instruction=self.render("ooo_reschedule", rng, **spec),
            solution=Program.of(solve_ooo_reschedule, **spec, **self._rules()),
            answer=Answer.none(),
            effects=self._day_off(name, day, events),
            check=Program.of(check_moved, day=after, events=[e["id"] for e in events]),
        )

    @proposer(difficulty=4)
    def propose_close_room(self, rng: random.Random) -> TaskDraft | None:
        pairs = self.rows(
            "SELECT room_id, day FROM live_events WHERE room_id IS NOT NULL GROUP BY room_id, day "
            "HAVING COUNT(*) >= 2 ORDER BY room_id, day"
        )
        if not pairs:
            return None
        pick = rng.choice(pairs)
        events = self.rows(
            "SELECT id, s, e FROM live_events WHERE room_id = ? AND day = ? ORDER BY start, id",
            pick["room_id"],
            pick["day"],
        )
        begin, end = min(e["s"] for e in events) // 60 * 60, -(-max(e["e"] for e in events) // 60) * 60
        room = self.value("SELECT name FROM rooms WHERE id = ?", pick["room_id"])
        spec = {"room": room, "date": pick["day"], "start": _clock(begin), "end": _clock(min(end, 23 * 60 + 45))}
        try:  # replay the reference plan here; decline when it cannot be carried out
            self.block_room(room, f"{spec['date']} {spec['start']}", f"{spec['date']} {spec['end']}", "maintenance")
            for ev in events:
                rooms = self._free_rooms(
                    pick["day"], ev["s"], ev["e"], len(self._attendee_ids(ev["id"])), skip=ev["id"]
                )
                if not rooms:
                    return None
                self.book_room(ev["id"], rooms[0]["name"])
        except ValueError:
            return None
        finally:
            self.db.rollback()
        return TaskDraft(
            shape="close_room",
            instruction=self.render("close_room", rng, **spec),
            solution=Program.of(solve_close_room, **spec),
            answer=Answer.none(),
            effects=Effects.on(
                events=updates("room_id", keys=[e["id"] for e in events]),
                room_blocks=inserts(
                    rows=[
                        {
                            "room_id": pick["room_id"],
                            "start": f"{spec['date']} {spec['start']}",
                            "end": f"{spec['date']} {spec['end']}",
                        }
                    ]
                ),
            ),
            check=Program.of(check_rooms, events=[e["id"] for e in events]),
        )

    # ---- proposers: harder plans --------------------------------------------------------------------

    def _load(self, pid: int, day: str) -> int:
        """Minutes of confirmed meetings a person has on a day."""
        return self.value(
            "SELECT COALESCE(SUM(ev.e - ev.s), 0) FROM live_events ev JOIN attendees a "
            "ON a.event_id = ev.id WHERE a.person_id = ? AND ev.day = ?",
            pid,
            day,
        )

    @proposer(difficulty=5)
    def propose_team_meeting_capped(self, rng: random.Random) -> TaskDraft | None:
        team = rng.choice(self.rows("SELECT t.id, t.name, t.lead_id FROM teams t ORDER BY t.id"))
        members = [r["id"] for r in self.rows("SELECT id FROM people WHERE team_id = ? ORDER BY id", team["id"])]
        days = self._days()
        first = rng.randrange(len(days) - 3)
        window, length = days[first : first + 4], rng.choice([30, 45, 60])
        items = [
            r["item"]
            for r in self.rows(
                "SELECT DISTINCT q.item FROM room_equipment q JOIN rooms r "
                "ON r.id = q.room_id WHERE r.capacity >= ? ORDER BY q.item",
                len(members),
            )
        ]
        if not items:
            return None
        item = rng.choice(items)
        plain = self._earliest(members, window, length, item)
        if plain is None:
            return None
        # a cap just under the busiest member's load on the plain earliest day usually rules that day out
        peak = max(self._load(pid, plain[0]) for pid in members) + length
        cap = max(1.0, (peak // 30) / 2 - rng.choice([0.0, 0.5, 0.5, 1.0]))
        open_days = [d for d in window if all(self._load(pid, d) + length <= 60 * cap for pid in members)]
        slot = self._earliest(members, open_days, length, item)
        if slot is None:
            return None
        kind = rng.choice(["strategy review", "roadmap session", "risk review", "goal setting"])
        spec = {
            "team": team["name"],
            "title": f"{team['name']} {kind}",
            "first": window[0],
            "last": window[-1],
            "minutes": length,
            "item": item,
            "cap_hours": cap,
        }
        return TaskDraft(
            shape="team_meeting_capped",
            instruction=self.render("team_meeting_capped", rng, **spec, cap=f"{cap:g}"),
            solution=Program.of(solve_team_meeting, **spec, **self._rules()),
            answer=Answer.none(),
            effects=self._new_meeting(team["lead_id"], members, slot, length),
            check=Program.of(check_new_meeting, title=spec["title"], item=item),
        )

    @proposer(difficulty=5)
    def propose_clear_day(self, rng: random.Random) -> TaskDraft | None:
        days = self._days()
        candidates = self.rows(
            "SELECT p.id, p.name, ev.day, SUM(e.organizer_id = p.id) AS own FROM attendees a "
            "JOIN live_events ev ON ev.id = a.event_id JOIN events e ON e.id = ev.id JOIN people p ON p.id = a.person_id "
            "WHERE ev.day < ? GROUP BY p.id, ev.day HAVING COUNT(*) BETWEEN 2 AND 5 AND own >= 1 AND own < COUNT(*) "
            "ORDER BY p.id, ev.day",
            days[-1],
        )
        for pick in rng.sample(candidates, min(3, len(candidates))):
            name, day = pick["name"], pick["day"]
            after = days[days.index(day) + 1]
            events = self.rows(
                "SELECT ev.id, ev.s, ev.e, ev.room_id, e.organizer_id FROM live_events ev "
                "JOIN events e ON e.id = ev.id JOIN attendees a ON a.event_id = ev.id "
                "WHERE a.person_id = ? AND ev.day = ? ORDER BY ev.start, ev.id",
                pick["id"],
                day,
            )
            own = [e for e in events if e["organizer_id"] == pick["id"]]
            dropped = tuple(e["id"] for e in events if e["organizer_id"] != pick["id"])
            if self._replay_ooo(name, day, after, own, dropped):
                break
        else:
            return None
        spec = {"person": name, "date": day, "next": after}
        return TaskDraft(
            shape="clear_day",
            instruction=self.render("clear_day", rng, **spec),
            solution=Program.of(solve_ooo_reschedule, **spec, **self._rules(), only_organized=True),
            answer=Answer.none(),
            effects=self._day_off(name, day, own, dropped),
            check=Program.of(check_moved, day=after, events=[e["id"] for e in own]),
        )
