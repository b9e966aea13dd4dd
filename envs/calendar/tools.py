"""The calendar's tools: lookups, and writes that refuse anything the policy forbids."""

from __future__ import annotations

import datetime as dt

from synth.env import tool

from .world import EQUIPMENT


class CalendarTools:
    # ---- tool helpers -------------------------------------------------------------------------------

    def _person(self, name: str) -> dict:
        return self.one(
            "SELECT * FROM people WHERE lower(name) = lower(?)",
            name.strip(),
            missing=f"unknown person {name!r}; call list_people to see everyone's full name",
        )

    def _room(self, name: str) -> dict:
        return self.one(
            "SELECT * FROM rooms WHERE lower(name) = lower(?)",
            name.strip(),
            missing=f"unknown room {name!r}; call list_rooms to see the rooms",
        )

    def _event(self, event_id: int, *, live: bool = False) -> dict:
        row = self.one(
            "SELECT * FROM events WHERE id = ?",
            event_id,
            missing=f"no event with id {event_id}; search_events finds events by title, date or person",
        )
        if live and row["status"] != "confirmed":
            raise ValueError(f"event {event_id} is {row['status']}; only confirmed events can be changed")
        return row

    @staticmethod
    def _date(text: str) -> str:
        try:
            return dt.date.fromisoformat(text.strip()).isoformat()
        except ValueError:
            raise ValueError(f"bad date {text!r}; write dates as YYYY-MM-DD") from None

    @staticmethod
    def _time(text: str) -> dt.datetime:
        try:
            moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"bad time {text!r}; write times as YYYY-MM-DD HH:MM in UTC") from None
        if moment.tzinfo is not None:
            moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
        if moment.minute % 15 or moment.second or moment.microsecond:
            raise ValueError(f"{text!r} is not on a 15-minute mark (:00, :15, :30 or :45)")
        return moment

    @staticmethod
    def _fmt(moment: dt.datetime) -> str:
        return moment.strftime("%Y-%m-%d %H:%M")

    def _enforce(self, event_id: int) -> None:
        problems = self.rows(
            "SELECT rule, detail FROM policy_violations WHERE event_id = ? ORDER BY rule, detail", event_id
        )
        if problems:
            raise ValueError(
                "not allowed by the calendar policy: " + "; ".join(f"{p['rule']}: {p['detail']}" for p in problems)
            )

    def _event_view(self, event_id: int) -> dict:
        ev = self.rows(
            "SELECT e.id, e.title, p.name AS organizer, e.start, e.end, r.name AS room, r.capacity AS room_capacity, "
            "e.status FROM events e JOIN people p ON p.id = e.organizer_id LEFT JOIN rooms r ON r.id = e.room_id "
            "WHERE e.id = ?",
            event_id,
        )[0]
        ev["duration_minutes"] = int(
            (dt.datetime.fromisoformat(ev["end"]) - dt.datetime.fromisoformat(ev["start"])).total_seconds() // 60
        )
        ev["attendees"] = [
            r["name"]
            for r in self.rows(
                "SELECT p.name FROM attendees a JOIN people p ON p.id = a.person_id WHERE a.event_id = ? ORDER BY p.name",
                event_id,
            )
        ]
        return ev

    def _events_of(self, where: str, *args) -> list[dict]:
        return self.rows(
            "SELECT e.id, e.title, e.start, e.end, r.name AS room, e.status FROM events e "
            f"LEFT JOIN rooms r ON r.id = e.room_id WHERE {where} ORDER BY e.start, e.id",
            *args,
        )

    # ---- read tools ---------------------------------------------------------------------------------

    @tool("read")
    def list_teams(self) -> list[dict]:
        """List the teams with their lead and number of members."""
        return self.rows(
            "SELECT t.name AS team, p.name AS lead, (SELECT COUNT(*) FROM people m WHERE m.team_id = "
            "t.id) AS members FROM teams t JOIN people p ON p.id = t.lead_id ORDER BY t.name"
        )

    @tool("read")
    def list_people(self, team: str | None = None) -> list[dict]:
        """List people with their team, whether they lead it, office, UTC offset and local working hours,
        optionally of one team.

        Args:
            team: Team name to filter by.
        """
        if team and not self.value("SELECT 1 FROM teams WHERE lower(name) = lower(?)", team):
            raise ValueError(f"unknown team {team!r}; call list_teams to see the teams")
        return self.rows(
            "SELECT p.name, t.name AS team, t.lead_id = p.id AS is_lead, p.office, p.utc_offset, "
            "p.work_start, p.work_end FROM people p JOIN teams t ON t.id = p.team_id WHERE ? IS NULL OR lower(t.name) = lower(?) "
            "ORDER BY p.name",
            team or None,
            team or None,
        )

    @tool("read")
    def get_person(self, name: str) -> dict:
        """One person's profile: team, office, UTC offset, local working hours and out-of-office periods.

        Args:
            name: The person's full name.
        """
        person = self._person(name)
        team = self.value("SELECT name FROM teams WHERE id = ?", person["team_id"])
        ooo = self.rows(
            "SELECT start_date, end_date, reason FROM out_of_office WHERE person_id = ? ORDER BY start_date",
            person["id"],
        )
        return {
            "name": person["name"],
            "email": person["email"],
            "team": team,
            "office": person["office"],
            "utc_offset": person["utc_offset"],
            "work_start": person["work_start"],
            "work_end": person["work_end"],
            "out_of_office": ooo,
        }

    @tool("read")
    def get_schedule(self, person: str, date: str, days: int = 1) -> dict:
        """A person's confirmed meetings over one or more days, and the dates they are out of office.

        Args:
            person: The person's full name.
            date: First day, YYYY-MM-DD.
            days: Number of days to cover (1-14).
        """
        if not 1 <= days <= 14:
            raise ValueError("days must be between 1 and 14")
        row = self._person(person)
        pid = row["id"]
        first = dt.date.fromisoformat(self._date(date))
        dates = [(first + dt.timedelta(d)).isoformat() for d in range(days)]
        away = [d for d in dates if self._busy(pid, d) is None]
        events = self._events_of(
            "e.status = 'confirmed' AND substr(e.start, 1, 10) BETWEEN ? AND ? AND e.id IN "
            "(SELECT event_id FROM attendees WHERE person_id = ?)",
            dates[0],
            dates[-1],
            pid,
        )
        for ev in events:
            ev.pop("status")
        return {"person": row["name"], "out_of_office": away, "events": events}

    @tool("read")
    def list_rooms(self, min_capacity: int = 0, equipment: str | None = None, floor: int | None = None) -> list[dict]:
        """List meeting rooms with floor, capacity and equipment, optionally filtered.

        Args:
            min_capacity: Fewest seats the room must have.
            equipment: An item the room must have: projector, whiteboard, video conferencing, display screen or
                speakerphone.
            floor: Only rooms on this floor.
        """
        if equipment is not None and equipment.strip().lower() not in EQUIPMENT:
            raise ValueError(f"unknown equipment {equipment!r}; choose one of {', '.join(EQUIPMENT)}")
        rooms = self.rows(
            "SELECT id, name, floor, capacity FROM rooms WHERE capacity >= ? AND (? IS NULL OR "
            "floor = ?) ORDER BY name",
            min_capacity,
            floor,
            floor,
        )
        for room in rooms:
            room["equipment"] = [
                r["item"]
                for r in self.rows("SELECT item FROM room_equipment WHERE room_id = ? ORDER BY item", room.pop("id"))
            ]
        item = equipment.strip().lower() if equipment else None
        return [r for r in rooms if item is None or item in r["equipment"]]

    @tool("read")
    def room_schedule(self, date: str, room: str | None = None) -> list[dict]:
        """Bookings (confirmed meetings) and blocks of the meeting rooms on one day, or of one room.

        Args:
            date: Day, YYYY-MM-DD.
            room: Room name; all rooms when omitted.
        """
        day = self._date(date)
        room_id = self._room(room)["id"] if room else None
        meetings = self.rows(
            "SELECT r.name AS room, e.start, e.end, 'meeting' AS kind, e.id AS event_id, e.title AS note "
            "FROM live_events e JOIN rooms r ON r.id = e.room_id WHERE e.start < ? AND ? < e.end "
            "AND (? IS NULL OR r.id = ?)",
            f"{day} 24:00",
            f"{day} 00:00",
            room_id,
            room_id,
        )
        blocks = self.rows(
            "SELECT r.name AS room, b.start, b.end, 'block' AS kind, NULL AS event_id, b.reason AS note "
            "FROM room_blocks b JOIN rooms r ON r.id = b.room_id WHERE b.start < ? AND ? < b.end "
            "AND (? IS NULL OR r.id = ?)",
            f"{day} 24:00",
            f"{day} 00:00",
            room_id,
            room_id,
        )
        return sorted(meetings + blocks, key=lambda b: (b["room"], b["start"]))

    @tool("read")
    def search_events(
        self,
        text: str | None = None,
        date: str | None = None,
        person: str | None = None,
        include_cancelled: bool = False,
    ) -> list[dict]:
        """Find meetings by words in the title, by day and/or by attendee. Give at least one filter.

        Args:
            text: Words the title contains (case-insensitive).
            date: Day, YYYY-MM-DD.
            person: Full name of an attendee.
            include_cancelled: Also return cancelled meetings.
        """
        if not (text or date or person):
            raise ValueError("give text, date or person to search by")
        where, args = ["1"], []
        if text:
            where.append("lower(e.title) LIKE ?")
            args.append(f"%{text.strip().lower()}%")
        if date:
            where.append("substr(e.start, 1, 10) = ?")
            args.append(self._date(date))
        if person:
            where.append("e.id IN (SELECT event_id FROM attendees WHERE person_id = ?)")
            args.append(self._person(person)["id"])
        if not include_cancelled:
            where.append("e.status = 'confirmed'")
        return self._events_of(" AND ".join(where), *args)

    @tool("read")
    def get_event(self, event_id: int) -> dict:
        """One meeting in full: organizer, times, duration, room and its capacity, status and attendees.

        Args:
            event_id: The meeting's id.
        """
        self._event(event_id)
        return self._event_view(event_id)

    # ---- write tools --------------------------------------------------------------------------------

    @tool("write")
    def create_event(
        self,
        title: str,
        organizer: str,
        attendees: list[str],
        start: str,
        duration_minutes: int,
        room: str | None = None,
    ) -> dict:
        """Create a meeting; the organizer is invited automatically. Refused if it would break the policy.

        Args:
            title: Meeting title.
            organizer: Full name of the organizer.
            attendees: Full names of the other people to invite.
            start: Start time in UTC, YYYY-MM-DD HH:MM.
            duration_minutes: Length in minutes, a multiple of 15.
            room: Name of the room to book; no room when omitted.
        """
        if not title.strip():
            raise ValueError("give the meeting a title")
        if duration_minutes <= 0 or duration_minutes % 15:
            raise ValueError("duration_minutes must be a positive multiple of 15")
        begin = self._time(start)
        pids = list(dict.fromkeys([self._person(organizer)["id"]] + [self._person(n)["id"] for n in attendees]))
        room_id = self._room(room)["id"] if room else None
        cur = self.db.execute(
            "INSERT INTO events (title, organizer_id, start, end, room_id, status) VALUES (?, ?, ?, ?, ?, 'confirmed')",
            (
                title.strip(),
                pids[0],
                self._fmt(begin),
                self._fmt(begin + dt.timedelta(minutes=duration_minutes)),
                room_id,
            ),
        )
        self.db.executemany(
            "INSERT INTO attendees (event_id, person_id) VALUES (?, ?)", [(cur.lastrowid, pid) for pid in pids]
        )
        self._enforce(cur.lastrowid)
        return self._event_view(cur.lastrowid)

    @tool("write")
    def move_event(self, event_id: int, start: str, room: str | None = None) -> dict:
        """Move a meeting to a new start time, keeping its length; optionally change its room at the same time.

        Args:
            event_id: The meeting's id.
            start: New start time in UTC, YYYY-MM-DD HH:MM.
            room: New room name; the meeting keeps its current room when omitted.
        """
        ev = self._event(event_id, live=True)
        begin = self._time(start)
        length = dt.datetime.fromisoformat(ev["end"]) - dt.datetime.fromisoformat(ev["start"])
        room_id = self._room(room)["id"] if room else ev["room_id"]
        self.db.execute(
            "UPDATE events SET start = ?, end = ?, room_id = ? WHERE id = ?",
            (self._fmt(begin), self._fmt(begin + length), room_id, event_id),
        )
        self._enforce(event_id)
        return self._event_view(event_id)

    @tool("write")
    def cancel_event(self, event_id: int) -> dict:
        """Cancel a meeting; its attendees and room become free.

        Args:
            event_id: The meeting's id.
        """
        self._event(event_id, live=True)
        self.db.execute("UPDATE events SET status = 'cancelled' WHERE id = ?", (event_id,))
        return self._event_view(event_id)

    @tool("write")
    def add_attendee(self, event_id: int, person: str) -> dict:
        """Invite one more person to a meeting. Refused if it would break the policy (hours, clashes, room size).

        Args:
            event_id: The meeting's id.
            person: Full name of the person to invite.
        """
        self._event(event_id, live=True)
        pid = self._person(person)["id"]
        if pid in self._attendee_ids(event_id):
            raise ValueError(f"{person} is already invited to event {event_id}")
        self.db.execute("INSERT INTO attendees (event_id, person_id) VALUES (?, ?)", (event_id, pid))
        self._enforce(event_id)
        return self._event_view(event_id)

    @tool("write")
    def remove_attendee(self, event_id: int, person: str) -> dict:
        """Take a person off a meeting's invite list. The organizer cannot be removed.

        Args:
            event_id: The meeting's id.
            person: Full name of the person to remove.
        """
        ev = self._event(event_id, live=True)
        pid = self._person(person)["id"]
        if pid == ev["organizer_id"]:
            raise ValueError("the organizer cannot be removed; cancel the meeting instead")
        if pid not in self._attendee_ids(event_id):
            raise ValueError(f"{person} is not invited to event {event_id}")
        self.db.execute("DELETE FROM attendees WHERE event_id = ? AND person_id = ?", (event_id, pid))
        return self._event_view(event_id)

    @tool("write")
    def book_room(self, event_id: int, room: str) -> dict:
        """Book a room for a meeting, replacing its current room. Refused if the room is taken, blocked or too small.

        Args:
            event_id: The meeting's id.
            room: Room name.
        """
        self._event(event_id, live=True)
        self.db.execute("UPDATE events SET room_id = ? WHERE id = ?", (self._room(room)["id"], event_id))
        self._enforce(event_id)
        return self._event_view(event_id)

    @tool("write")
    def set_out_of_office(self, person: str, start_date: str, end_date: str, reason: str = "out of office") -> dict:
        """Record that a person is out of office on every day from start_date to end_date (inclusive).

        Returns the person's meetings in that period, which must then be moved or have the person removed.

        Args:
            person: The person's full name.
            start_date: First day away, YYYY-MM-DD.
            end_date: Last day away, YYYY-MM-DD.
            reason: Why they are away.
        """
        pid = self._person(person)["id"]
        first, last = self._date(start_date), self._date(end_date)
        if last < first:
            raise ValueError("end_date is before start_date")
        self.db.execute(
            "INSERT INTO out_of_office (person_id, start_date, end_date, reason) VALUES (?, ?, ?, ?)",
            (pid, first, last, reason),
        )
        clashes = self._events_of(
            "e.status = 'confirmed' AND substr(e.start, 1, 10) BETWEEN ? AND ? AND e.id IN "
            "(SELECT event_id FROM attendees WHERE person_id = ?)",
            first,
            last,
            pid,
        )
        return {
            "person": self._person(person)["name"],
            "start_date": first,
            "end_date": last,
            "reason": reason,
            "meetings_to_resolve": clashes,
        }

    @tool("write")
    def block_room(self, room: str, start: str, end: str, reason: str) -> dict:
        """Block a room for a period (maintenance, visitors). Returns the meetings booked there that must move.

        Args:
            room: Room name.
            start: Start of the block in UTC, YYYY-MM-DD HH:MM.
            end: End of the block in UTC, YYYY-MM-DD HH:MM.
            reason: Why the room is blocked.
        """
        room_row = self._room(room)
        begin, finish = self._fmt(self._time(start)), self._fmt(self._time(end))
        if finish <= begin:
            raise ValueError("the block must end after it starts")
        self.db.execute(
            "INSERT INTO room_blocks (room_id, start, end, reason) VALUES (?, ?, ?, ?)",
            (room_row["id"], begin, finish, reason),
        )
        clashes = self._events_of(
            "e.status = 'confirmed' AND e.room_id = ? AND e.start < ? AND ? < e.end", room_row["id"], finish, begin
        )
        return {"room": room_row["name"], "start": begin, "end": finish, "reason": reason, "meetings_to_move": clashes}
