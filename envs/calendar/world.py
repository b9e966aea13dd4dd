"""The calendar's world: people, teams, rooms and meetings, the policy as a view, and how an instance's database is
built; plus the calendar arithmetic the builder and the proposers share."""

from __future__ import annotations

import datetime as dt
import random

TEAMS = ["Platform", "Mobile", "Payments", "Data", "Design", "Growth", "Security", "Support", "Search", "Billing"]
OFFICES = [
    ("London", 0),
    ("Lisbon", 0),
    ("Berlin", 1),
    ("Warsaw", 1),
    ("Athens", 2),
    ("Helsinki", 2),
    ("Nairobi", 3),
    ("Halifax", -4),
    ("New York", -5),
    ("Toronto", -5),
]
FIRST = [
    "Ana",
    "Ben",
    "Chen",
    "Dara",
    "Eli",
    "Farah",
    "Gus",
    "Hana",
    "Ivan",
    "Jade",
    "Kai",
    "Lena",
    "Mara",
    "Noah",
    "Omar",
    "Pia",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Uma",
    "Viktor",
    "Wen",
    "Yara",
    "Zoe",
    "Aiko",
    "Bruno",
    "Carla",
    "Dev",
    "Emil",
]
LAST = [
    "Silva",
    "Okafor",
    "Wei",
    "Walsh",
    "Novak",
    "Haddad",
    "Berg",
    "Sato",
    "Petrov",
    "Moreau",
    "Lindqvist",
    "Fischer",
    "Costa",
    "Mensah",
    "Kowalski",
    "Rossi",
    "Nakamura",
    "Dubois",
    "Jensen",
    "Garcia",
    "Ivanova",
    "Kim",
    "Murphy",
    "Santos",
]
ROOMS = [
    "Orion",
    "Vega",
    "Lyra",
    "Atlas",
    "Juno",
    "Nova",
    "Polaris",
    "Sirius",
    "Draco",
    "Aquila",
    "Cygnus",
    "Hydra",
    "Pegasus",
    "Phoenix",
    "Auriga",
    "Carina",
    "Tucana",
    "Volans",
]
CAPACITIES = [3, 4, 4, 5, 6, 6, 8, 8, 10, 12, 14, 20]
EQUIPMENT = ["projector", "whiteboard", "video conferencing", "display screen", "speakerphone"]
TOPICS = [
    "Checkout",
    "Onboarding",
    "Invoicing",
    "Search ranking",
    "Mobile release",
    "Data pipeline",
    "Pricing page",
    "Design system",
    "Incident review",
    "Hiring",
    "Roadmap",
    "Budget",
    "Partner API",
    "Customer feedback",
    "Security audit",
    "Analytics",
    "Localization",
    "Performance",
    "Accessibility",
    "Notifications",
    "Recommendations",
    "Support tooling",
    "Migration",
    "Launch readiness",
    "Dashboard",
    "Login flow",
    "Refunds",
    "Reporting",
    "Caching",
    "Experimentation",
]
TEAM_KINDS = ["sync", "planning", "retro", "review", "workshop", "deep dive"]
CROSS_KINDS = ["kickoff", "alignment", "demo", "brainstorm", "handover"]
WORK_STARTS = ["07:30", "08:00", "08:30", "09:00", "09:00", "09:30"]
OOO_REASONS = ["vacation", "sick leave", "conference", "training", "personal day"]
BLOCK_REASONS = ["maintenance", "deep cleaning", "reserved for visitors", "AV upgrade", "interviews"]


def _minute(stamp: str) -> int:
    """Minutes after midnight of a 'YYYY-MM-DD HH:MM' or 'HH:MM' time."""
    return int(stamp[-5:-3]) * 60 + int(stamp[-2:])


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _stamp(day: str, minute: int) -> str:
    return f"{day} {_clock(minute)}"


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _overlaps(s: int, e: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < b_end and b_start < e for b_start, b_end in spans)


# Every rule of the policy that the data can show, as one view: write tools refuse to create a violation and
# verifiers require the final state to have none (the built calendar has none).
SCHEMA = """
CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT UNIQUE, lead_id INTEGER);
CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT UNIQUE, email TEXT, team_id INTEGER REFERENCES teams(id),
    office TEXT, utc_offset INTEGER, work_start TEXT, work_end TEXT);
CREATE TABLE rooms (id INTEGER PRIMARY KEY, name TEXT UNIQUE, floor INTEGER, capacity INTEGER);
CREATE TABLE room_equipment (room_id INTEGER REFERENCES rooms(id), item TEXT, PRIMARY KEY (room_id, item));
CREATE TABLE events (id INTEGER PRIMARY KEY, title TEXT, organizer_id INTEGER REFERENCES people(id),
    start TEXT, end TEXT, room_id INTEGER REFERENCES rooms(id), status TEXT);
CREATE TABLE attendees (id INTEGER PRIMARY KEY, event_id INTEGER REFERENCES events(id),
    person_id INTEGER REFERENCES people(id), UNIQUE (event_id, person_id));
CREATE TABLE out_of_office (id INTEGER PRIMARY KEY, person_id INTEGER REFERENCES people(id), start_date TEXT,
    end_date TEXT, reason TEXT);
CREATE TABLE room_blocks (id INTEGER PRIMARY KEY, room_id INTEGER REFERENCES rooms(id), start TEXT, end TEXT,
    reason TEXT);

CREATE VIEW live_events AS
    SELECT id, title, room_id, start, end, substr(start, 1, 10) AS day,
           CAST(substr(start, 12, 2) AS INTEGER) * 60 + CAST(substr(start, 15, 2) AS INTEGER) AS s,
           CAST(substr(end, 12, 2) AS INTEGER) * 60 + CAST(substr(end, 15, 2) AS INTEGER) AS e
    FROM events WHERE status = 'confirmed';
CREATE VIEW work_hours AS
    SELECT id AS person_id, name, utc_offset, work_start, work_end,
           CAST(substr(work_start, 1, 2) AS INTEGER) * 60 + CAST(substr(work_start, 4, 2) AS INTEGER)
               - 60 * utc_offset AS s,
           CAST(substr(work_end, 1, 2) AS INTEGER) * 60 + CAST(substr(work_end, 4, 2) AS INTEGER)
               - 60 * utc_offset AS e
    FROM people;
CREATE VIEW policy_violations AS
    SELECT id AS event_id, 'timing' AS rule,
           start || ' to ' || end || ' is not a weekday slot on 15-minute marks within one day' AS detail
    FROM live_events
    WHERE s % 15 != 0 OR e % 15 != 0 OR e <= s OR substr(end, 1, 10) != day OR strftime('%w', day) IN ('0', '6')
  UNION ALL
    SELECT ev.id, 'working hours', w.name || ' works ' || w.work_start || '-' || w.work_end || ' local time (UTC'
           || printf('%+d', w.utc_offset) || ')'
    FROM live_events ev JOIN attendees a ON a.event_id = ev.id JOIN work_hours w ON w.person_id = a.person_id
    WHERE ev.s < w.s OR ev.e > w.e
  UNION ALL
    SELECT ev.id, 'out of office', p.name || ' is out of office ' || o.start_date || ' to ' || o.end_date
    FROM live_events ev JOIN attendees a ON a.event_id = ev.id JOIN people p ON p.id = a.person_id
    JOIN out_of_office o ON o.person_id = a.person_id AND ev.day BETWEEN o.start_date AND o.end_date
  UNION ALL
    SELECT ev.id, 'double-booked', p.name || ' is already in event ' || other.id || ' (' || other.title || ', '
           || other.start || '-' || substr(other.end, 12) || ')'
    FROM live_events ev JOIN attendees a ON a.event_id = ev.id JOIN people p ON p.id = a.person_id
    JOIN attendees b ON b.person_id = a.person_id AND b.event_id != ev.id
    JOIN live_events other ON other.id = b.event_id AND other.start < ev.end AND ev.start < other.end
  UNION ALL
    SELECT ev.id, 'room too small', r.name || ' seats ' || r.capacity || ' but ' || n.k || ' people are invited'
    FROM live_events ev JOIN rooms r ON r.id = ev.room_id
    JOIN (SELECT event_id, COUNT(*) AS k FROM attendees GROUP BY event_id) n ON n.event_id = ev.id
    WHERE n.k > r.capacity
  UNION ALL
    SELECT ev.id, 'room double-booked', r.name || ' is taken by event ' || other.id || ' (' || other.start || '-'
           || substr(other.end, 12) || ')'
    FROM live_events ev JOIN rooms r ON r.id = ev.room_id
    JOIN live_events other ON other.room_id = ev.room_id AND other.id != ev.id
         AND other.start < ev.end AND ev.start < other.end
  UNION ALL
    SELECT ev.id, 'room blocked', r.name || ' is blocked ' || b.start || ' to ' || b.end || ' (' || b.reason || ')'
    FROM live_events ev JOIN rooms r ON r.id = ev.room_id
    JOIN room_blocks b ON b.room_id = ev.room_id AND b.start < ev.end AND ev.start < b.end
"""

# Extra rules a variant may add, as further branches of the policy_violations view.
RULE_VIOLATIONS = {
    "lunch_break": """
  UNION ALL
    SELECT ev.id, 'lunch break', w.name || ' has lunch 12:00-13:00 local time (UTC'
           || printf('%+d', w.utc_offset) || ')'
    FROM live_events ev JOIN attendees a ON a.event_id = ev.id JOIN work_hours w ON w.person_id = a.person_id
    WHERE ev.s < 780 - 60 * w.utc_offset AND ev.e > 720 - 60 * w.utc_offset""",
    "no_meeting_fridays": """
  UNION ALL
    SELECT id, 'meeting-free Friday', day || ' is a Friday' FROM live_events WHERE strftime('%w', day) = '5'""",
}


class CalendarWorld:
    # ---- database ---------------------------------------------------------------------------------

    def build(self, rng: random.Random) -> None:
        self.db.executescript(SCHEMA + "".join(RULE_VIOLATIONS[r] for r in self.variant.rules) + ";")
        monday = dt.date(2026, 1, 5) + dt.timedelta(weeks=rng.randint(0, 44))
        days = [monday + dt.timedelta(d) for d in range(14) if (monday + dt.timedelta(d)).weekday() < 5]
        self._build_people(rng)
        self._build_rooms(rng)
        people = [r["id"] for r in self.rows("SELECT id FROM people ORDER BY id")]
        rooms = [r["id"] for r in self.rows("SELECT id FROM rooms ORDER BY id")]
        scale = self.variant.scale
        for _ in range(rng.randint(*{"small": (4, 8), "medium": (6, 12), "large": (10, 16)}[scale])):
            start = rng.choice(days)
            end = start + dt.timedelta(rng.choice([0, 0, 1, 2, 4]))
            self.db.execute(
                "INSERT INTO out_of_office (person_id, start_date, end_date, reason) VALUES (?, ?, ?, ?)",
                (rng.choice(people), start.isoformat(), end.isoformat(), rng.choice(OOO_REASONS)),
            )
        for _ in range(rng.randint(*{"small": (3, 6), "medium": (5, 10), "large": (8, 14)}[scale])):
            day, begin = rng.choice(days).isoformat(), rng.randrange(6 * 60, 17 * 60, 30)
            self.db.execute(
                "INSERT INTO room_blocks (room_id, start, end, reason) VALUES (?, ?, ?, ?)",
                (
                    rng.choice(rooms),
                    _stamp(day, begin),
                    _stamp(day, begin + rng.choice([60, 120, 240])),
                    rng.choice(BLOCK_REASONS),
                ),
            )
        self._build_events(rng, [d.isoformat() for d in days])
        problems = self.rows("SELECT * FROM policy_violations")
        assert not problems, f"built calendar breaks its own policy: {problems[:3]}"

    def _build_people(self, rng: random.Random) -> None:
        names = iter(rng.sample([f"{f} {la}" for f in FIRST for la in LAST], 100))
        teams = {"small": (4, 5), "medium": (5, 7), "large": (7, 9)}[self.variant.scale]
        for team_id, team in enumerate(rng.sample(TEAMS, rng.randint(*teams)), 1):
            home = rng.choice(OFFICES)
            nearby = [o for o in OFFICES if abs(o[1] - home[1]) <= 2]
            self.db.execute("INSERT INTO teams (id, name) VALUES (?, ?)", (team_id, team))
            for k in range(rng.randint(4, 9)):
                office, offset = home if rng.random() < 0.7 else rng.choice(nearby)
                name = next(names)
                start = rng.choice(WORK_STARTS)
                end = _minute(start) + rng.choice([480, 480, 510, 540])
                cur = self.db.execute(
                    "INSERT INTO people (name, email, team_id, office, utc_offset, work_start, work_end) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        name,
                        name.lower().replace(" ", ".") + "@example.com",
                        team_id,
                        office,
                        offset,
                        start,
                        _clock(end),
                    ),
                )
                if k == 0:
                    self.db.execute("UPDATE teams SET lead_id = ? WHERE id = ?", (cur.lastrowid, team_id))

    def _build_rooms(self, rng: random.Random) -> None:
        rooms = {"small": (8, 11), "medium": (10, 16), "large": (14, 18)}[self.variant.scale]
        for name in sorted(rng.sample(ROOMS, rng.randint(*rooms))):
            cur = self.db.execute(
                "INSERT INTO rooms (name, floor, capacity) VALUES (?, ?, ?)",
                (name, rng.randint(1, 5), rng.choice(CAPACITIES)),
            )
            for item in EQUIPMENT:
                if rng.random() < 0.45:
                    self.db.execute("INSERT INTO room_equipment VALUES (?, ?)", (cur.lastrowid, item))

    def _build_events(self, rng: random.Random, days: list[str]) -> None:
        people = self.rows(
            "SELECT p.id, p.name, p.team_id, t.name AS team FROM people p "
            "JOIN teams t ON t.id = p.team_id ORDER BY p.id"
        )
        used: set[str] = set()
        count = {"small": (110, 160), "medium": (160, 260), "large": (260, 360)}[self.variant.scale]
        for _ in range(rng.randint(*count)):
            organizer = rng.choice(people)
            team = [p for p in people if p["team_id"] == organizer["team_id"] and p["id"] != organizer["id"]]
            others = [p for p in people if p["team_id"] != organizer["team_id"]]
            shape = rng.choice(["team", "team", "pair", "cross"])
            if shape == "team":
                invited = rng.sample(team, min(len(team), rng.randint(2, 5)))
                title = f"{organizer['team']} {rng.choice(TEAM_KINDS)}: {rng.choice(TOPICS)}"
            elif shape == "pair":
                invited = [rng.choice(team + others)]
                title = f"{organizer['name'].split()[0]} / {invited[0]['name'].split()[0]} check-in"
            else:
                invited = rng.sample(team, 1) + rng.sample(others, rng.randint(1, 3))
                title = f"{rng.choice(TOPICS)} {rng.choice(CROSS_KINDS)}"
            if title in used:
                continue
            pids = [organizer["id"]] + [p["id"] for p in invited]
            day, length = rng.choice(days), rng.choice([30, 30, 45, 60, 60, 90])
            starts = self._starts(pids, day, length)
            if not starts:
                continue
            begin = starts[min(rng.randrange(len(starts)), rng.randrange(len(starts)))]  # mornings are busier
            room = None
            if len(pids) >= 3 or rng.random() < 0.4:
                rooms = self._free_rooms(day, begin, begin + length, len(pids))
                room = rng.choice(rooms)["id"] if rooms else None
            status = "cancelled" if rng.random() < 0.05 else "confirmed"
            cur = self.db.execute(
                "INSERT INTO events (title, organizer_id, start, end, room_id, status) VALUES (?, ?, ?, ?, ?, ?)",
                (title, pids[0], _stamp(day, begin), _stamp(day, begin + length), room, status),
            )
            self.db.executemany(
                "INSERT INTO attendees (event_id, person_id) VALUES (?, ?)", [(cur.lastrowid, pid) for pid in pids]
            )
            used.add(title)

    # ---- calendar arithmetic shared by the builder and the proposers --------------------------------

    def _hours(self, pid: int) -> tuple[int, int]:
        row = self.rows("SELECT s, e FROM work_hours WHERE person_id = ?", pid)[0]
        return row["s"], row["e"]

    def _busy(self, pid: int, day: str, skip: int | None = None) -> list[tuple[int, int]] | None:
        """A person's meetings on a day as minute spans, or None when they are out of office."""
        if self.value(
            "SELECT 1 FROM out_of_office WHERE person_id = ? AND ? BETWEEN start_date AND end_date", pid, day
        ):
            return None
        return [
            (r["s"], r["e"])
            for r in self.rows(
                "SELECT ev.s, ev.e FROM live_events ev JOIN attendees a ON a.event_id = ev.id "
                "WHERE a.person_id = ? AND ev.day = ? AND ev.id IS NOT ?",
                pid,
                day,
                skip,
            )
        ]

    def _starts(self, pids: list[int], day: str, length: int, skip: int | None = None) -> list[int]:
        """Start minutes (UTC) on `day` at which all the people are working and free for `length` minutes."""
        lo, hi, busy = 0, 24 * 60, []
        if "no_meeting_fridays" in self.variant.rules and dt.date.fromisoformat(day).weekday() == 4:
            return []
        for pid in pids:
            spans = self._busy(pid, day, skip)
            if spans is None:
                return []
            lo, hi = max(lo, self._hours(pid)[0]), min(hi, self._hours(pid)[1])
            busy += spans
            if "lunch_break" in self.variant.rules:
                offset = self.value("SELECT utc_offset FROM people WHERE id = ?", pid)
                busy.append((720 - 60 * offset, 780 - 60 * offset))
        return [s for s in range(lo + (-lo) % 15, hi - length + 1, 15) if not _overlaps(s, s + length, busy)]

    def _free_rooms(
        self, day: str, begin: int, end: int, seats: int, item: str | None = None, skip: int | None = None
    ) -> list[dict]:
        """Rooms seating `seats` (with `item`) that are free from begin to end, smallest first."""
        start, finish = _stamp(day, begin), _stamp(day, end)
        return self.rows(
            "SELECT r.id, r.name, r.capacity FROM rooms r WHERE r.capacity >= ? "
            "AND (? IS NULL OR EXISTS (SELECT 1 FROM room_equipment q WHERE q.room_id = r.id AND q.item = ?)) "
            "AND NOT EXISTS (SELECT 1 FROM live_events ev WHERE ev.room_id = r.id AND ev.id IS NOT ? "
            "                AND ev.start < ? AND ? < ev.end) "
            "AND NOT EXISTS (SELECT 1 FROM room_blocks b WHERE b.room_id = r.id AND b.start < ? AND ? < b.end) "
            "ORDER BY r.capacity, r.name",
            seats,
            item,
            item,
            skip,
            finish,
            start,
            finish,
            start,
        )

    def _days(self) -> list[str]:
        """The weekdays of the calendar's two weeks."""
        first, last = (
            dt.date.fromisoformat(self.value(f"SELECT {f}(substr(start, 1, 10)) FROM events")) for f in ("MIN", "MAX")
        )
        span = [first + dt.timedelta(d) for d in range((last - first).days + 1)]
        closed = (4, 5, 6) if "no_meeting_fridays" in self.variant.rules else (5, 6)
        return [d.isoformat() for d in span if d.weekday() not in closed]

    def _rules(self) -> dict:
        """This variant's rule settings, for solutions (the rules are stated in the system prompt)."""
        return {
            "lunch_break": "lunch_break" in self.variant.rules,
            "no_fridays": "no_meeting_fridays" in self.variant.rules,
        }

    def _attendee_ids(self, event_id: int) -> list[int]:
        return [
            r["person_id"]
            for r in self.rows("SELECT person_id FROM attendees WHERE event_id = ? ORDER BY person_id", event_id)
        ]
