"""Team calendar: people in several time zones, teams, meeting rooms, meetings, out-of-office days and room blocks."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool
from verifiers.common import verify_names, verify_number

TEAMS = ["Platform", "Mobile", "Payments", "Data", "Design", "Growth", "Security", "Support", "Search", "Billing"]
OFFICES = [("London", 0), ("Lisbon", 0), ("Berlin", 1), ("Warsaw", 1), ("Athens", 2), ("Helsinki", 2),
           ("Nairobi", 3), ("Halifax", -4), ("New York", -5), ("Toronto", -5)]
FIRST = ["Ana", "Ben", "Chen", "Dara", "Eli", "Farah", "Gus", "Hana", "Ivan", "Jade", "Kai", "Lena", "Mara", "Noah",
         "Omar", "Pia", "Quinn", "Rosa", "Sami", "Tara", "Uma", "Viktor", "Wen", "Yara", "Zoe", "Aiko", "Bruno",
         "Carla", "Dev", "Emil"]
LAST = ["Silva", "Okafor", "Wei", "Walsh", "Novak", "Haddad", "Berg", "Sato", "Petrov", "Moreau", "Lindqvist",
        "Fischer", "Costa", "Mensah", "Kowalski", "Rossi", "Nakamura", "Dubois", "Jensen", "Garcia", "Ivanova",
        "Kim", "Murphy", "Santos"]
ROOMS = ["Orion", "Vega", "Lyra", "Atlas", "Juno", "Nova", "Polaris", "Sirius", "Draco", "Aquila", "Cygnus",
         "Hydra", "Pegasus", "Phoenix", "Auriga", "Carina", "Tucana", "Volans"]
CAPACITIES = [3, 4, 4, 5, 6, 6, 8, 8, 10, 12, 14, 20]
EQUIPMENT = ["projector", "whiteboard", "video conferencing", "display screen", "speakerphone"]
TOPICS = ["Checkout", "Onboarding", "Invoicing", "Search ranking", "Mobile release", "Data pipeline", "Pricing page",
          "Design system", "Incident review", "Hiring", "Roadmap", "Budget", "Partner API", "Customer feedback",
          "Security audit", "Analytics", "Localization", "Performance", "Accessibility", "Notifications",
          "Recommendations", "Support tooling", "Migration", "Launch readiness", "Dashboard", "Login flow",
          "Refunds", "Reporting", "Caching", "Experimentation"]
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


class CalendarEnv(EnvTemplate):
    name = "calendar"
    version = "1.1.0"
    category = "team calendar"
    description = ("A company's shared calendar: people in several offices and time zones, their teams, meeting "
                   "rooms with capacity and equipment, meetings with attendees, out-of-office days and room blocks. "
                   "Look up schedules, then create, move, cancel and staff meetings and book rooms.")
    policy = (
        "All times are UTC and written YYYY-MM-DD HH:MM. Each person's working hours are local to their office, "
        "which has a fixed UTC offset (no daylight saving). A meeting must be on a weekday, start and end on "
        "15-minute marks (:00, :15, :30, :45) of the same day, and lie entirely within the working hours of every "
        "attendee (the organizer is an attendee). Nobody may be in two overlapping meetings or in a meeting on a day "
        "they are out of office. A room holds one meeting at a time, cannot be used while it is blocked, and must "
        "seat every attendee. Cancelled meetings free their people and room. Change only what the user asked for.")
    variants = VariantSpace(
        optional_tools=("get_person", "list_teams"),
        renames={"search_events": ("find_meetings", "lookup_events"), "create_event": ("create_meeting",),
                 "get_schedule": ("agenda",), "book_room": ("reserve_room",)},
        rules={"lunch_break": "Nobody may be in a meeting during their lunch hour, 12:00-13:00 in their own office's "
                              "local time.",
               "no_meeting_fridays": "Fridays are meeting-free: no meeting may take place on a Friday."},
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "event_place_time": [
            "Where and when is \"{{title}}\"? Tell me the room, the date (YYYY-MM-DD) and the start time in UTC.",
            "I need the room and the start (date and UTC time) of the meeting \"{{title}}\".",
            "Which room is \"{{title}}\" booked in, and when does it start (date and HH:MM UTC)?",
        ],
        "attendee_count": [
            "How many people are invited to \"{{title}}\", the organizer included?",
            "What is the head count of the meeting \"{{title}}\" (count the organizer too)?",
        ],
        "team_lead": [
            "Who leads the team that {{person}} belongs to?",
            "{{person}} has a question for their team lead. Who is that?",
        ],
        "team_meeting_hours": [
            "How many hours of meetings does the {{team}} team have on {{date}}? Count every meeting that at least "
            "one member attends once, however many members are in it.",
            "On {{date}}, what is the total length in hours of the distinct meetings attended by anyone from the "
            "{{team}} team? A meeting with several team members counts once.",
        ],
        "free_rooms": [
            "Which rooms with a {{item}} and at least {{seats}} seats are free on {{date}} from {{start}} to {{end}} "
            "UTC?",
            "List every meeting room that has a {{item}}, seats {{seats}} or more, and is neither booked nor blocked "
            "between {{start}} and {{end}} UTC on {{date}}.",
            "I need a room for {{seats}}+ people with a {{item}} on {{date}}, {{start}}-{{end}} UTC. Which rooms are "
            "available?",
        ],
        "busiest_member": [
            "Which member of the {{team}} team spends the most time in meetings on {{date}}?",
            "On {{date}}, who on the {{team}} team has the most meeting time?",
        ],
        "schedule_meeting": [
            "Set up a {{minutes}}-minute meeting \"{{title}}\" organized by {{organizer}} with {{others}} on "
            "{{date}}, at the earliest start that works for everyone, in a room that seats them all.",
            "{{organizer}} wants to meet {{others}} on {{date}} for {{minutes}} minutes. Create the meeting "
            "\"{{title}}\" at the earliest possible time that day that fits the policy, and book a room big enough "
            "for everyone.",
            "Please book \"{{title}}\" ({{minutes}} min), organized by {{organizer}} with {{others}}, on {{date}}: "
            "as early in the day as the policy allows, with a meeting room that fits the group.",
        ],
        "upgrade_room": [
            "The meeting \"{{title}}\" needs a {{item}}. Move it to a room that has one and seats all its "
            "attendees; keep the time.",
            "\"{{title}}\" has to be in a room with a {{item}}. Rebook it into such a room, big enough for everyone, "
            "without changing when it happens.",
        ],
        "add_attendees": [
            "Add {{people}} to the meeting \"{{title}}\". Keep its time; if its room becomes too small, move it to "
            "a free room that fits everyone.",
            "{{people}} should join \"{{title}}\". Invite them without moving the meeting, and switch to a bigger "
            "free room only if the current one can no longer seat everyone.",
        ],
        "team_meeting": [
            "Organize a {{minutes}}-minute \"{{title}}\" for the whole {{team}} team, with the team lead as "
            "organizer, at the earliest time between {{first}} and {{last}} when every member can attend, in a room "
            "with {{item}} that seats the whole team.",
            "The {{team}} team needs a {{minutes}}-minute meeting \"{{title}}\" that everyone on the team attends, "
            "organized by its lead. Pick the earliest slot from {{first}} through {{last}} that satisfies the "
            "policy and for which a room with {{item}} big enough for the team is free, and book it.",
        ],
        "ooo_reschedule": [
            "{{person}} will be out of office on {{date}} (just that day). Record it in the calendar and move every "
            "meeting they are in that day to {{next}}, keeping each meeting's length and attendees; meetings that "
            "had a room need a room that fits. Any times that follow the policy will do.",
            "Mark {{person}} as out of office for {{date}} only, then shift all of that day's meetings they attend "
            "to {{next}}. Keep durations and attendee lists, give every meeting that had a room a suitable room "
            "again, and respect the policy.",
        ],
        "team_meeting_capped": [
            "Organize a {{minutes}}-minute \"{{title}}\" for the whole {{team}} team, organized by the team lead, at "
            "the earliest time between {{first}} and {{last}} when every member can attend and a room with {{item}} "
            "seating the team is free. Nobody on the team may end up with more than {{cap}} hours of meetings on "
            "that day, this one included.",
            "The {{team}} team needs \"{{title}}\" ({{minutes}} minutes, everyone on the team, the lead organizes). "
            "Book the earliest slot from {{first}} through {{last}} that the policy allows, in a free room with "
            "{{item}} big enough for the team, but skip any day on which the meeting would push a member past "
            "{{cap}} hours of meetings.",
        ],
        "clear_day": [
            "{{person}} is off on {{date}}. Record that single out-of-office day. Move every meeting {{person}} "
            "organizes that day to {{next}}, keeping its length and attendees (a meeting that had a room needs a "
            "fitting room), and simply take {{person}} off the invite list of the other meetings that day, which "
            "otherwise stay as they are. Any times that follow the policy will do.",
            "Mark {{person}} out of office for {{date}} only. Meetings that {{person}} organizes on that day go to "
            "{{next}} with the same duration and attendees, and a suitable room if they had one; in the meetings "
            "{{person}} merely attends that day, remove {{person}} and change nothing else. Respect the policy.",
        ],
        "close_room": [
            "Room {{room}} is closed on {{date}} from {{start}} to {{end}} UTC for maintenance. Block it for that "
            "time and move the meetings booked there into other rooms that seat their attendees, keeping their "
            "times.",
            "{{room}} is unavailable {{date}} {{start}}-{{end}} UTC. Put a block on the room for exactly that "
            "period and relocate its meetings to other suitable rooms at the same times.",
        ],
    }

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
            self.db.execute("INSERT INTO out_of_office (person_id, start_date, end_date, reason) VALUES (?, ?, ?, ?)",
                            (rng.choice(people), start.isoformat(), end.isoformat(), rng.choice(OOO_REASONS)))
        for _ in range(rng.randint(*{"small": (3, 6), "medium": (5, 10), "large": (8, 14)}[scale])):
            day, begin = rng.choice(days).isoformat(), rng.randrange(6 * 60, 17 * 60, 30)
            self.db.execute("INSERT INTO room_blocks (room_id, start, end, reason) VALUES (?, ?, ?, ?)",
                            (rng.choice(rooms), _stamp(day, begin), _stamp(day, begin + rng.choice([60, 120, 240])),
                             rng.choice(BLOCK_REASONS)))
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
                    (name, name.lower().replace(" ", ".") + "@example.com", team_id, office, offset, start,
                     _clock(end)))
                if k == 0:
                    self.db.execute("UPDATE teams SET lead_id = ? WHERE id = ?", (cur.lastrowid, team_id))

    def _build_rooms(self, rng: random.Random) -> None:
        rooms = {"small": (8, 11), "medium": (10, 16), "large": (14, 18)}[self.variant.scale]
        for name in sorted(rng.sample(ROOMS, rng.randint(*rooms))):
            cur = self.db.execute("INSERT INTO rooms (name, floor, capacity) VALUES (?, ?, ?)",
                                  (name, rng.randint(1, 5), rng.choice(CAPACITIES)))
            for item in EQUIPMENT:
                if rng.random() < 0.45:
                    self.db.execute("INSERT INTO room_equipment VALUES (?, ?)", (cur.lastrowid, item))

    def _build_events(self, rng: random.Random, days: list[str]) -> None:
        people = self.rows("SELECT p.id, p.name, p.team_id, t.name AS team FROM people p "
                           "JOIN teams t ON t.id = p.team_id ORDER BY p.id")
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
            cur = self.db.execute("INSERT INTO events (title, organizer_id, start, end, room_id, status) "
                                  "VALUES (?, ?, ?, ?, ?, ?)", (title, pids[0], _stamp(day, begin),
                                                                _stamp(day, begin + length), room, status))
            self.db.executemany("INSERT INTO attendees (event_id, person_id) VALUES (?, ?)",
                                [(cur.lastrowid, pid) for pid in pids])
            used.add(title)

    # ---- calendar arithmetic shared by the builder and the proposers --------------------------------

    def _hours(self, pid: int) -> tuple[int, int]:
        row = self.db.execute("SELECT s, e FROM work_hours WHERE person_id = ?", (pid,)).fetchone()
        return row["s"], row["e"]

    def _busy(self, pid: int, day: str, skip: int | None = None) -> list[tuple[int, int]] | None:
        """A person's meetings on a day as minute spans, or None when they are out of office."""
        if self.db.execute("SELECT 1 FROM out_of_office WHERE person_id = ? AND ? BETWEEN start_date AND end_date",
                           (pid, day)).fetchone():
            return None
        return [(r["s"], r["e"]) for r in self.rows(
            "SELECT ev.s, ev.e FROM live_events ev JOIN attendees a ON a.event_id = ev.id "
            "WHERE a.person_id = ? AND ev.day = ? AND ev.id IS NOT ?", pid, day, skip)]

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
                offset = self.db.execute("SELECT utc_offset FROM people WHERE id = ?", (pid,)).fetchone()[0]
                busy.append((720 - 60 * offset, 780 - 60 * offset))
        return [s for s in range(lo + (-lo) % 15, hi - length + 1, 15) if not _overlaps(s, s + length, busy)]

    def _free_rooms(self, day: str, begin: int, end: int, seats: int, item: str | None = None,
                    skip: int | None = None) -> list[dict]:
        """Rooms seating `seats` (with `item`) that are free from begin to end, smallest first."""
        start, finish = _stamp(day, begin), _stamp(day, end)
        return self.rows(
            "SELECT r.id, r.name, r.capacity FROM rooms r WHERE r.capacity >= ? "
            "AND (? IS NULL OR EXISTS (SELECT 1 FROM room_equipment q WHERE q.room_id = r.id AND q.item = ?)) "
            "AND NOT EXISTS (SELECT 1 FROM live_events ev WHERE ev.room_id = r.id AND ev.id IS NOT ? "
            "                AND ev.start < ? AND ? < ev.end) "
            "AND NOT EXISTS (SELECT 1 FROM room_blocks b WHERE b.room_id = r.id AND b.start < ? AND ? < b.end) "
            "ORDER BY r.capacity, r.name", seats, item, item, skip, finish, start, finish, start)

    def _days(self) -> list[str]:
        """The weekdays of the calendar's two weeks."""
        first, last = (dt.date.fromisoformat(d) for d in self.db.execute(
            "SELECT MIN(substr(start, 1, 10)), MAX(substr(start, 1, 10)) FROM events").fetchone())
        span = [first + dt.timedelta(d) for d in range((last - first).days + 1)]
        closed = (4, 5, 6) if "no_meeting_fridays" in self.variant.rules else (5, 6)
        return [d.isoformat() for d in span if d.weekday() not in closed]

    def _rules(self) -> dict:
        """This variant's rule settings, for solutions (the rules are stated in the system prompt)."""
        return {"lunch_break": "lunch_break" in self.variant.rules,
                "no_fridays": "no_meeting_fridays" in self.variant.rules}

    def _attendee_ids(self, event_id: int) -> list[int]:
        return [r["person_id"] for r in self.rows(
            "SELECT person_id FROM attendees WHERE event_id = ? ORDER BY person_id", event_id)]

    # ---- tool helpers -------------------------------------------------------------------------------

    def _person(self, name: str) -> dict:
        row = self.db.execute("SELECT * FROM people WHERE lower(name) = lower(?)", (name.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"unknown person {name!r}; call list_people to see everyone's full name")
        return dict(row)

    def _room(self, name: str) -> dict:
        row = self.db.execute("SELECT * FROM rooms WHERE lower(name) = lower(?)", (name.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"unknown room {name!r}; call list_rooms to see the rooms")
        return dict(row)

    def _event(self, event_id: int, *, live: bool = False) -> dict:
        row = self.db.execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()
        if row is None:
            raise ValueError(f"no event with id {event_id}; search_events finds events by title, date or person")
        if live and row["status"] != "confirmed":
            raise ValueError(f"event {event_id} is {row['status']}; only confirmed events can be changed")
        return dict(row)

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
        problems = self.rows("SELECT rule, detail FROM policy_violations WHERE event_id = ? ORDER BY rule, detail",
                             event_id)
        if problems:
            raise ValueError("not allowed by the calendar policy: "
                             + "; ".join(f"{p['rule']}: {p['detail']}" for p in problems))

    def _event_view(self, event_id: int) -> dict:
        ev = dict(self.db.execute(
            "SELECT e.id, e.title, p.name AS organizer, e.start, e.end, r.name AS room, r.capacity AS room_capacity, "
            "e.status FROM events e JOIN people p ON p.id = e.organizer_id LEFT JOIN rooms r ON r.id = e.room_id "
            "WHERE e.id = ?", (event_id,)).fetchone())
        ev["duration_minutes"] = int((dt.datetime.fromisoformat(ev["end"])
                                      - dt.datetime.fromisoformat(ev["start"])).total_seconds() // 60)
        ev["attendees"] = [r["name"] for r in self.rows(
            "SELECT p.name FROM attendees a JOIN people p ON p.id = a.person_id WHERE a.event_id = ? ORDER BY p.name",
            event_id)]
        return ev

    def _events_of(self, where: str, *args) -> list[dict]:
        return self.rows("SELECT e.id, e.title, e.start, e.end, r.name AS room, e.status FROM events e "
                         f"LEFT JOIN rooms r ON r.id = e.room_id WHERE {where} ORDER BY e.start, e.id", *args)

    # ---- read tools ---------------------------------------------------------------------------------

    @tool("read")
    def list_teams(self) -> list[dict]:
        """List the teams with their lead and number of members."""
        return self.rows("SELECT t.name AS team, p.name AS lead, (SELECT COUNT(*) FROM people m WHERE m.team_id = "
                         "t.id) AS members FROM teams t JOIN people p ON p.id = t.lead_id ORDER BY t.name")

    @tool("read")
    def list_people(self, team: str | None = None) -> list[dict]:
        """List people with their team, whether they lead it, office, UTC offset and local working hours,
        optionally of one team.

        Args:
            team: Team name to filter by.
        """
        if team and not self.db.execute("SELECT 1 FROM teams WHERE lower(name) = lower(?)", (team,)).fetchone():
            raise ValueError(f"unknown team {team!r}; call list_teams to see the teams")
        return self.rows("SELECT p.name, t.name AS team, t.lead_id = p.id AS is_lead, p.office, p.utc_offset, "
                         "p.work_start, p.work_end FROM people p JOIN teams t ON t.id = p.team_id WHERE ? IS NULL OR lower(t.name) = lower(?) "
                         "ORDER BY p.name", team or None, team or None)

    @tool("read")
    def get_person(self, name: str) -> dict:
        """One person's profile: team, office, UTC offset, local working hours and out-of-office periods.

        Args:
            name: The person's full name.
        """
        person = self._person(name)
        team = self.db.execute("SELECT name FROM teams WHERE id = ?", (person["team_id"],)).fetchone()["name"]
        ooo = self.rows("SELECT start_date, end_date, reason FROM out_of_office WHERE person_id = ? "
                        "ORDER BY start_date", person["id"])
        return {"name": person["name"], "email": person["email"], "team": team, "office": person["office"],
                "utc_offset": person["utc_offset"], "work_start": person["work_start"],
                "work_end": person["work_end"], "out_of_office": ooo}

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
        events = self._events_of("e.status = 'confirmed' AND substr(e.start, 1, 10) BETWEEN ? AND ? AND e.id IN "
                                 "(SELECT event_id FROM attendees WHERE person_id = ?)", dates[0], dates[-1], pid)
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
        rooms = self.rows("SELECT id, name, floor, capacity FROM rooms WHERE capacity >= ? AND (? IS NULL OR "
                          "floor = ?) ORDER BY name", min_capacity, floor, floor)
        for room in rooms:
            room["equipment"] = [r["item"] for r in self.rows(
                "SELECT item FROM room_equipment WHERE room_id = ? ORDER BY item", room.pop("id"))]
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
            "AND (? IS NULL OR r.id = ?)", f"{day} 24:00", f"{day} 00:00", room_id, room_id)
        blocks = self.rows(
            "SELECT r.name AS room, b.start, b.end, 'block' AS kind, NULL AS event_id, b.reason AS note "
            "FROM room_blocks b JOIN rooms r ON r.id = b.room_id WHERE b.start < ? AND ? < b.end "
            "AND (? IS NULL OR r.id = ?)", f"{day} 24:00", f"{day} 00:00", room_id, room_id)
        return sorted(meetings + blocks, key=lambda b: (b["room"], b["start"]))

    @tool("read")
    def search_events(self, text: str | None = None, date: str | None = None, person: str | None = None,
                      include_cancelled: bool = False) -> list[dict]:
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
    def create_event(self, title: str, organizer: str, attendees: list[str], start: str, duration_minutes: int,
                     room: str | None = None) -> dict:
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
            (title.strip(), pids[0], self._fmt(begin), self._fmt(begin + dt.timedelta(minutes=duration_minutes)),
             room_id))
        self.db.executemany("INSERT INTO attendees (event_id, person_id) VALUES (?, ?)",
                            [(cur.lastrowid, pid) for pid in pids])
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
        self.db.execute("UPDATE events SET start = ?, end = ?, room_id = ? WHERE id = ?",
                        (self._fmt(begin), self._fmt(begin + length), room_id, event_id))
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
        self.db.execute("INSERT INTO out_of_office (person_id, start_date, end_date, reason) VALUES (?, ?, ?, ?)",
                        (pid, first, last, reason))
        clashes = self._events_of("e.status = 'confirmed' AND substr(e.start, 1, 10) BETWEEN ? AND ? AND e.id IN "
                                  "(SELECT event_id FROM attendees WHERE person_id = ?)", first, last, pid)
        return {"person": self._person(person)["name"], "start_date": first, "end_date": last, "reason": reason,
                "meetings_to_resolve": clashes}

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
        self.db.execute("INSERT INTO room_blocks (room_id, start, end, reason) VALUES (?, ?, ?, ?)",
                        (room_row["id"], begin, finish, reason))
        clashes = self._events_of("e.status = 'confirmed' AND e.room_id = ? AND e.start < ? AND ? < e.end",
                                  room_row["id"], finish, begin)
        return {"room": room_row["name"], "start": begin, "end": finish, "reason": reason,
                "meetings_to_move": clashes}

    # ---- proposers: lookups -------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_event_place_time(self, rng: random.Random) -> TaskDraft | None:
        ev = rng.choice(self.rows("SELECT e.title, e.start, r.name AS room FROM events e JOIN rooms r "
                                  "ON r.id = e.room_id WHERE e.status = 'confirmed' ORDER BY e.id"))
        rooms = [r["name"] for r in self.rows("SELECT name FROM rooms ORDER BY name")]
        return TaskDraft(
            shape="event_place_time",
            instruction=self.render("event_place_time", rng, title=ev["title"]),
            solution=Program.of(solve_event_place_time, title=ev["title"]),
            verifier=Program.of(verify_place_time, room=ev["room"], date=ev["start"][:10], time=ev["start"][11:],
                                rooms=rooms),
            tools=("search_events", "get_event", "room_schedule", "list_rooms"),
        )

    @proposer(difficulty=1)
    def propose_attendee_count(self, rng: random.Random) -> TaskDraft | None:
        ev = rng.choice(self.rows("SELECT id, title FROM events WHERE status = 'confirmed' ORDER BY id"))
        return TaskDraft(
            shape="attendee_count",
            instruction=self.render("attendee_count", rng, title=ev["title"]),
            solution=Program.of(solve_attendee_count, title=ev["title"]),
            verifier=Program.of(verify_number, expected=len(self._attendee_ids(ev["id"])), tolerance=0.01),
            tools=("search_events", "get_event", "get_schedule"),
        )

    @proposer(difficulty=1)
    def propose_team_lead(self, rng: random.Random) -> TaskDraft | None:
        person = rng.choice(self.rows("SELECT p.name, l.name AS lead FROM people p JOIN teams t ON t.id = p.team_id "
                                      "JOIN people l ON l.id = t.lead_id WHERE p.id != t.lead_id ORDER BY p.id"))
        others = [r["name"] for r in self.rows("SELECT name FROM people WHERE name != ? ORDER BY name",
                                               person["name"])]
        return TaskDraft(
            shape="team_lead",
            instruction=self.render("team_lead", rng, person=person["name"]),
            solution=Program.of(solve_team_lead, person=person["name"]),
            verifier=Program.of(verify_names, expected=[person["lead"]], candidates=others),
            tools=("list_people",),
        )

    # ---- proposers: aggregation ---------------------------------------------------------------------

    @proposer(difficulty=2)
    def propose_team_meeting_hours(self, rng: random.Random) -> TaskDraft | None:
        team, day = rng.choice(self.rows("SELECT id, name FROM teams ORDER BY id")), rng.choice(self._days())
        spans = self.rows("SELECT DISTINCT ev.id, ev.s, ev.e FROM live_events ev JOIN attendees a "
                          "ON a.event_id = ev.id JOIN people p ON p.id = a.person_id WHERE p.team_id = ? "
                          "AND ev.day = ?", team["id"], day)
        if not spans:
            return None
        spec = {"team": team["name"], "date": day}
        return TaskDraft(
            shape="team_meeting_hours",
            instruction=self.render("team_meeting_hours", rng, **spec),
            solution=Program.of(solve_team_meeting_hours, **spec),
            verifier=Program.of(verify_number, expected=round(sum(r["e"] - r["s"] for r in spans) / 60, 2),
                                tolerance=0.01),
            tools=("list_people", "get_schedule", "search_events", "get_event"),
        )

    @proposer(difficulty=2)
    def propose_free_rooms(self, rng: random.Random) -> TaskDraft | None:
        ev = rng.choice(self.rows("SELECT ev.day, ev.s, ev.e, r.capacity, q.item FROM live_events ev "
                                  "JOIN rooms r ON r.id = ev.room_id JOIN room_equipment q ON q.room_id = r.id "
                                  "ORDER BY ev.id, q.item"))
        seats = rng.choice([c for c in (2, 3, 4, 6, 8) if c <= ev["capacity"]])
        free = [r["name"] for r in self._free_rooms(ev["day"], ev["s"], ev["e"], seats, ev["item"])]
        if not free:
            return None
        spec = {"date": ev["day"], "start": _clock(ev["s"]), "end": _clock(ev["e"]),
                "item": ev["item"], "seats": seats}
        rooms = [r["name"] for r in self.rows("SELECT name FROM rooms ORDER BY name")]
        return TaskDraft(
            shape="free_rooms",
            instruction=self.render("free_rooms", rng, **spec),
            solution=Program.of(solve_free_rooms, **spec),
            verifier=Program.of(verify_names, expected=sorted(free), candidates=rooms),
            tools=("list_rooms", "room_schedule", "search_events", "get_event"),
        )

    @proposer(difficulty=2)
    def propose_busiest_member(self, rng: random.Random) -> TaskDraft | None:
        leaders = []  # (team, day, name) wherever one member has strictly the most meeting time
        for team in self.rows("SELECT id, name FROM teams ORDER BY id"):
            for day in self._days():
                totals = self.rows("SELECT p.name, SUM(ev.e - ev.s) AS minutes FROM people p JOIN attendees a "
                                   "ON a.person_id = p.id JOIN live_events ev ON ev.id = a.event_id "
                                   "WHERE p.team_id = ? AND ev.day = ? GROUP BY p.id ORDER BY minutes DESC, p.name",
                                   team["id"], day)
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
            verifier=Program.of(verify_names, expected=[name],
                                candidates=[r["name"] for r in self.rows("SELECT name FROM people ORDER BY name")]),
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
        team = rng.choice(self.rows("SELECT team_id FROM people GROUP BY team_id HAVING COUNT(*) >= 3 "
                                    "ORDER BY team_id"))
        members = self.rows("SELECT id, name FROM people WHERE team_id = ? ORDER BY id", team["team_id"])
        group = rng.sample(members, rng.randint(2, min(4, len(members))))
        length = rng.choice([30, 45, 60])
        slots = [s for s in (self._earliest([p["id"] for p in group], [d], length) for d in self._days()) if s]
        if not slots:
            return None
        slot = rng.choice(slots)
        day = slot[0]
        spec = {"title": f"{rng.choice(TOPICS)} {rng.choice(['check', 'huddle', 'walkthrough', 'catch-up'])}",
                "organizer": group[0]["name"], "others": [p["name"] for p in group[1:]], "date": day,
                "minutes": length}
        return TaskDraft(
            shape="schedule_meeting",
            instruction=self.render("schedule_meeting", rng, **spec | {"others": _and(spec["others"])}),
            solution=Program.of(solve_schedule_meeting, **spec, **self._rules()),
            verifier=Program.of(verify_new_meeting, title=spec["title"], organizer=spec["organizer"],
                                attendees=[p["name"] for p in group], minutes=length, start=_stamp(*slot), item=None),
            tools=("list_people", "get_person", "get_schedule", "list_rooms", "room_schedule", "search_events",
                   "create_event", "cancel_event", "book_room"),
        )

    @proposer(difficulty=3)
    def propose_upgrade_room(self, rng: random.Random) -> TaskDraft | None:
        ev = rng.choice(self.rows("SELECT id, title, day, s, e, room_id FROM live_events WHERE room_id IS NOT NULL "
                                  "ORDER BY id"))
        has = {r["item"] for r in self.rows("SELECT item FROM room_equipment WHERE room_id = ?", ev["room_id"])}
        item = rng.choice([i for i in EQUIPMENT if i not in has] or EQUIPMENT)
        if item in has or not self._free_rooms(ev["day"], ev["s"], ev["e"], len(self._attendee_ids(ev["id"])),
                                               item, skip=ev["id"]):
            return None
        return TaskDraft(
            shape="upgrade_room",
            instruction=self.render("upgrade_room", rng, title=ev["title"], item=item),
            solution=Program.of(solve_upgrade_room, title=ev["title"], item=item),
            verifier=Program.of(verify_room_moves, events=[ev["id"]], item=item, block=None),
            tools=("search_events", "get_event", "list_rooms", "room_schedule", "book_room", "move_event"),
        )

    @proposer(difficulty=3)
    def propose_add_attendees(self, rng: random.Random) -> TaskDraft | None:
        tight = rng.random() < 0.5  # half the time, pick a meeting whose room has little space left
        events = self.rows("SELECT ev.id, ev.title, ev.day, ev.s, ev.e, r.capacity, (SELECT COUNT(*) FROM attendees "
                           "a WHERE a.event_id = ev.id) AS size FROM live_events ev JOIN rooms r ON r.id = ev.room_id "
                           "ORDER BY ev.id")
        ev = rng.choice([e for e in events if (e["capacity"] - e["size"] < 2) == tight] or events)
        taken = set(self._attendee_ids(ev["id"]))
        free = [p for p in self.rows("SELECT id, name FROM people ORDER BY id")
                if p["id"] not in taken and ev["s"] in self._starts([p["id"]], ev["day"], ev["e"] - ev["s"])]
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
            verifier=Program.of(verify_add_attendees, event=ev["id"], people=names),
            tools=("search_events", "get_event", "get_schedule", "list_rooms", "room_schedule", "add_attendee",
                   "book_room", "move_event"),
        )

    # ---- proposers: multi-step plans ----------------------------------------------------------------

    @proposer(difficulty=4)
    def propose_team_meeting(self, rng: random.Random) -> TaskDraft | None:
        team = rng.choice(self.rows("SELECT t.id, t.name, t.lead_id FROM teams t ORDER BY t.id"))
        members = [r["id"] for r in self.rows("SELECT id FROM people WHERE team_id = ? ORDER BY id", team["id"])]
        days = self._days()
        first = rng.randrange(len(days) - 2)
        window, length = days[first:first + 3], rng.choice([45, 60])
        items = [r["item"] for r in self.rows("SELECT DISTINCT q.item FROM room_equipment q JOIN rooms r "
                                              "ON r.id = q.room_id WHERE r.capacity >= ? ORDER BY q.item",
                                              len(members))]
        if not items:
            return None
        item = rng.choice(items)
        slot = self._earliest(members, window, length, item)
        if slot is None:
            return None
        lead = self.db.execute("SELECT name FROM people WHERE id = ?", (team["lead_id"],)).fetchone()["name"]
        names = [r["name"] for r in self.rows("SELECT name FROM people WHERE team_id = ? ORDER BY id", team["id"])]
        kind = rng.choice(["all-hands", "quarterly planning", "offsite prep"])
        spec = {"team": team["name"], "title": f"{team['name']} {kind}",
                "first": window[0], "last": window[-1], "minutes": length, "item": item}
        return TaskDraft(
            shape="team_meeting",
            instruction=self.render("team_meeting", rng, **spec),
            solution=Program.of(solve_team_meeting, **spec, **self._rules()),
            verifier=Program.of(verify_new_meeting, title=spec["title"], organizer=lead, attendees=names,
                                minutes=length, start=_stamp(*slot), item=item),
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
                    rooms = [] if ev["room_id"] is None else self._free_rooms(after, begin, begin + length,
                                                                              len(pids), skip=ev["id"])
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
        busy = self.rows("SELECT p.name, ev.day FROM attendees a JOIN live_events ev ON ev.id = a.event_id "
                         "JOIN people p ON p.id = a.person_id WHERE ev.day < ? GROUP BY a.person_id, ev.day "
                         "HAVING COUNT(*) BETWEEN 2 AND 4 ORDER BY a.person_id, ev.day", days[-1])
        for pick in rng.sample(busy, min(3, len(busy))):
            name, day = pick["name"], pick["day"]
            after = days[days.index(day) + 1]
            events = self.rows("SELECT ev.id, ev.s, ev.e, ev.room_id FROM live_events ev JOIN attendees a "
                               "ON a.event_id = ev.id JOIN people p ON p.id = a.person_id WHERE p.name = ? "
                               "AND ev.day = ? ORDER BY ev.start, ev.id", name, day)
            if self._replay_ooo(name, day, after, events):
                break
        else:
            return None
        spec = {"person": name, "date": day, "next": after}
        return TaskDraft(
            shape="ooo_reschedule",
            instruction=self.render("ooo_reschedule", rng, **spec),
            solution=Program.of(solve_ooo_reschedule, **spec, **self._rules()),
            verifier=Program.of(verify_ooo_reschedule, **spec, events=[e["id"] for e in events]),
        )

    @proposer(difficulty=4)
    def propose_close_room(self, rng: random.Random) -> TaskDraft | None:
        pairs = self.rows("SELECT room_id, day FROM live_events WHERE room_id IS NOT NULL GROUP BY room_id, day "
                          "HAVING COUNT(*) >= 2 ORDER BY room_id, day")
        if not pairs:
            return None
        pick = rng.choice(pairs)
        events = self.rows("SELECT id, s, e FROM live_events WHERE room_id = ? AND day = ? ORDER BY start, id",
                           pick["room_id"], pick["day"])
        begin, end = min(e["s"] for e in events) // 60 * 60, -(-max(e["e"] for e in events) // 60) * 60
        room = self.db.execute("SELECT name FROM rooms WHERE id = ?", (pick["room_id"],)).fetchone()["name"]
        spec = {"room": room, "date": pick["day"], "start": _clock(begin),
                "end": _clock(min(end, 23 * 60 + 45))}
        try:  # replay the reference plan here; decline when it cannot be carried out
            self.block_room(room, f"{spec['date']} {spec['start']}", f"{spec['date']} {spec['end']}", "maintenance")
            for ev in events:
                rooms = self._free_rooms(pick["day"], ev["s"], ev["e"], len(self._attendee_ids(ev["id"])),
                                         skip=ev["id"])
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
            verifier=Program.of(verify_room_moves, events=[e["id"] for e in events], item=None,
                                block={"room": room, "start": f"{spec['date']} {spec['start']}",
                                       "end": f"{spec['date']} {spec['end']}"}),
        )


    # ---- proposers: harder plans --------------------------------------------------------------------

    def _load(self, pid: int, day: str) -> int:
        """Minutes of confirmed meetings a person has on a day."""
        return self.db.execute("SELECT COALESCE(SUM(ev.e - ev.s), 0) FROM live_events ev JOIN attendees a "
                               "ON a.event_id = ev.id WHERE a.person_id = ? AND ev.day = ?", (pid, day)).fetchone()[0]

    @proposer(difficulty=5)
    def propose_team_meeting_capped(self, rng: random.Random) -> TaskDraft | None:
        team = rng.choice(self.rows("SELECT t.id, t.name, t.lead_id FROM teams t ORDER BY t.id"))
        members = [r["id"] for r in self.rows("SELECT id FROM people WHERE team_id = ? ORDER BY id", team["id"])]
        days = self._days()
        first = rng.randrange(len(days) - 3)
        window, length = days[first:first + 4], rng.choice([30, 45, 60])
        items = [r["item"] for r in self.rows("SELECT DISTINCT q.item FROM room_equipment q JOIN rooms r "
                                              "ON r.id = q.room_id WHERE r.capacity >= ? ORDER BY q.item",
                                              len(members))]
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
        lead = self.db.execute("SELECT name FROM people WHERE id = ?", (team["lead_id"],)).fetchone()["name"]
        names = [r["name"] for r in self.rows("SELECT name FROM people WHERE team_id = ? ORDER BY id", team["id"])]
        kind = rng.choice(["strategy review", "roadmap session", "risk review", "goal setting"])
        spec = {"team": team["name"], "title": f"{team['name']} {kind}", "first": window[0], "last": window[-1],
                "minutes": length, "item": item, "cap_hours": cap}
        return TaskDraft(
            shape="team_meeting_capped",
            instruction=self.render("team_meeting_capped", rng, **spec, cap=f"{cap:g}"),
            solution=Program.of(solve_team_meeting, **spec, **self._rules()),
            verifier=Program.of(verify_new_meeting, title=spec["title"], organizer=lead, attendees=names,
                                minutes=length, start=_stamp(*slot), item=item),
        )

    @proposer(difficulty=5)
    def propose_clear_day(self, rng: random.Random) -> TaskDraft | None:
        days = self._days()
        candidates = self.rows(
            "SELECT p.id, p.name, ev.day, SUM(e.organizer_id = p.id) AS own FROM attendees a "
            "JOIN live_events ev ON ev.id = a.event_id JOIN events e ON e.id = ev.id JOIN people p ON p.id = a.person_id "
            "WHERE ev.day < ? GROUP BY p.id, ev.day HAVING COUNT(*) BETWEEN 2 AND 5 AND own >= 1 AND own < COUNT(*) "
            "ORDER BY p.id, ev.day", days[-1])
        for pick in rng.sample(candidates, min(3, len(candidates))):
            name, day = pick["name"], pick["day"]
            after = days[days.index(day) + 1]
            events = self.rows("SELECT ev.id, ev.s, ev.e, ev.room_id, e.organizer_id FROM live_events ev "
                               "JOIN events e ON e.id = ev.id JOIN attendees a ON a.event_id = ev.id "
                               "WHERE a.person_id = ? AND ev.day = ? ORDER BY ev.start, ev.id", pick["id"], day)
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
            verifier=Program.of(verify_ooo_reschedule, **spec, events=[e["id"] for e in own], dropped=list(dropped)),
        )


# ---- solutions: tools and computation only --------------------------------------------------------

def solve_event_place_time(tools, params):
    ev = next(e for e in tools.search_events(text=params["title"]) if e["title"] == params["title"])
    return f"{ev['room']}, {ev['start']} UTC"


def solve_attendee_count(tools, params):
    ev = next(e for e in tools.search_events(text=params["title"]) if e["title"] == params["title"])
    return len(tools.get_event(event_id=ev["id"])["attendees"])


def solve_team_lead(tools, params):
    team = next(p["team"] for p in tools.list_people() if p["name"] == params["person"])
    return next(p["name"] for p in tools.list_people(team=team) if p["is_lead"])


def solve_team_meeting_hours(tools, params):
    meetings = {}
    for person in tools.list_people(team=params["team"]):
        for ev in tools.get_schedule(person=person["name"], date=params["date"])["events"]:
            meetings[ev["id"]] = ev
    minutes = sum((int(e["end"][11:13]) - int(e["start"][11:13])) * 60 + int(e["end"][14:]) - int(e["start"][14:])
                  for e in meetings.values())
    return round(minutes / 60, 2)


def solve_free_rooms(tools, params):
    rooms = tools.list_rooms(min_capacity=params["seats"], equipment=params["item"])
    start, end = f"{params['date']} {params['start']}", f"{params['date']} {params['end']}"
    taken = {b["room"] for b in tools.room_schedule(date=params["date"]) if b["start"] < end and start < b["end"]}
    return [r["name"] for r in rooms if r["name"] not in taken]


def solve_busiest_member(tools, params):
    def minutes(ev):
        return (int(ev["end"][11:13]) - int(ev["start"][11:13])) * 60 + int(ev["end"][14:]) - int(ev["start"][14:])

    totals = {p["name"]: sum(minutes(e) for e in tools.get_schedule(person=p["name"], date=params["date"])["events"])
              for p in tools.list_people(team=params["team"])}
    return max(sorted(totals), key=lambda name: totals[name])


def solve_schedule_meeting(tools, params):
    def mins(stamp):
        return int(stamp[-5:-3]) * 60 + int(stamp[-2:])

    def stamp(minute):
        return f"{day} {minute // 60:02d}:{minute % 60:02d}"

    names, day, length = [params["organizer"], *params["others"]], params["date"], params["minutes"]
    people = {p["name"]: p for p in tools.list_people()}
    lo = max(mins(people[n]["work_start"]) - 60 * people[n]["utc_offset"] for n in names)
    hi = min(mins(people[n]["work_end"]) - 60 * people[n]["utc_offset"] for n in names)
    busy = []
    for name in names:
        schedule = tools.get_schedule(person=name, date=day)
        if schedule["out_of_office"]:
            return f"{name} is out of office on {day}"
        busy += [(mins(e["start"]), mins(e["end"])) for e in schedule["events"]]
        if params["lunch_break"]:
            busy.append((720 - 60 * people[name]["utc_offset"], 780 - 60 * people[name]["utc_offset"]))
    rooms = sorted(tools.list_rooms(min_capacity=len(names)), key=lambda r: (r["capacity"], r["name"]))
    taken = tools.room_schedule(date=day)
    for begin in range(lo + (-lo) % 15, hi - length + 1, 15):
        start, end = stamp(begin), stamp(begin + length)
        if any(begin < e and b < begin + length for b, e in busy):
            continue
        free = [r["name"] for r in rooms
                if not any(t["room"] == r["name"] and t["start"] < end and start < t["end"] for t in taken)]
        if free:
            ev = tools.create_event(title=params["title"], organizer=params["organizer"], attendees=params["others"],
                                    start=start, duration_minutes=length, room=free[0])
            return f"Booked event {ev['id']} at {ev['start']} in {ev['room']}"
    return f"No common slot on {day}"


def solve_team_meeting(tools, params):
    import datetime as dt

    def mins(stamp):
        return int(stamp[-5:-3]) * 60 + int(stamp[-2:])

    members = tools.list_people(team=params["team"])
    lead = next(p["name"] for p in members if p["is_lead"])
    first = dt.date.fromisoformat(params["first"])
    span = (dt.date.fromisoformat(params["last"]) - first).days + 1
    closed = (4, 5, 6) if params["no_fridays"] else (5, 6)
    days = [(first + dt.timedelta(d)).isoformat() for d in range(span)
            if (first + dt.timedelta(d)).weekday() not in closed]
    lo = max(mins(p["work_start"]) - 60 * p["utc_offset"] for p in members)
    hi = min(mins(p["work_end"]) - 60 * p["utc_offset"] for p in members)
    lunch = [(720 - 60 * p["utc_offset"], 780 - 60 * p["utc_offset"]) for p in members if params["lunch_break"]]
    busy, away, load = {d: list(lunch) for d in days}, set(), {}
    for person in members:
        schedule = tools.get_schedule(person=person["name"], date=params["first"], days=span)
        away |= set(schedule["out_of_office"])
        for e in schedule["events"]:
            busy.setdefault(e["start"][:10], []).append((mins(e["start"]), mins(e["end"])))
            key = (person["name"], e["start"][:10])
            load[key] = load.get(key, 0) + mins(e["end"]) - mins(e["start"])
    rooms = sorted(tools.list_rooms(min_capacity=len(members), equipment=params["item"]),
                   key=lambda r: (r["capacity"], r["name"]))
    length = params["minutes"]
    cap = params.get("cap_hours")
    for day in days:
        if day in away:
            continue
        if cap is not None and any(load.get((p["name"], day), 0) + length > 60 * cap for p in members):
            continue
        taken = tools.room_schedule(date=day)
        for begin in range(lo + (-lo) % 15, hi - length + 1, 15):
            if any(begin < e and b < begin + length for b, e in busy[day]):
                continue
            start = f"{day} {begin // 60:02d}:{begin % 60:02d}"
            end = f"{day} {(begin + length) // 60:02d}:{(begin + length) % 60:02d}"
            free = [r["name"] for r in rooms
                    if not any(t["room"] == r["name"] and t["start"] < end and start < t["end"] for t in taken)]
            if free:
                ev = tools.create_event(title=params["title"], organizer=lead, start=start, duration_minutes=length,
                                        attendees=[p["name"] for p in members if p["name"] != lead], room=free[0])
                return f"Booked event {ev['id']} at {ev['start']} in {ev['room']}"
    return "No slot found"


def solve_upgrade_room(tools, params):
    found = next(e for e in tools.search_events(text=params["title"]) if e["title"] == params["title"])
    ev = tools.get_event(event_id=found["id"])
    rooms = sorted(tools.list_rooms(min_capacity=len(ev["attendees"]), equipment=params["item"]),
                   key=lambda r: (r["capacity"], r["name"]))
    taken = {t["room"] for t in tools.room_schedule(date=ev["start"][:10])
             if t["event_id"] != ev["id"] and t["start"] < ev["end"] and ev["start"] < t["end"]}
    room = next(r["name"] for r in rooms if r["name"] not in taken)
    tools.book_room(event_id=ev["id"], room=room)
    return f"Moved \"{ev['title']}\" to {room}"


def solve_add_attendees(tools, params):
    found = next(e for e in tools.search_events(text=params["title"]) if e["title"] == params["title"])
    ev = tools.get_event(event_id=found["id"])
    size = len(ev["attendees"]) + len(params["people"])
    if ev["room_capacity"] < size:  # a bigger room first: a full room would refuse the new attendees
        rooms = sorted(tools.list_rooms(min_capacity=size), key=lambda r: (r["capacity"], r["name"]))
        taken = {t["room"] for t in tools.room_schedule(date=ev["start"][:10])
                 if t["event_id"] != ev["id"] and t["start"] < ev["end"] and ev["start"] < t["end"]}
        tools.book_room(event_id=ev["id"], room=next(r["name"] for r in rooms if r["name"] not in taken))
    for person in params["people"]:
        tools.add_attendee(event_id=ev["id"], person=person)
    return f"Added {', '.join(params['people'])} to event {ev['id']}"


def solve_ooo_reschedule(tools, params):
    def mins(stamp):
        return int(stamp[-5:-3]) * 60 + int(stamp[-2:])

    def stamp(minute):
        return f"{day} {minute // 60:02d}:{minute % 60:02d}"

    day = params["next"]
    meetings = tools.get_schedule(person=params["person"], date=params["date"])["events"]
    tools.set_out_of_office(person=params["person"], start_date=params["date"], end_date=params["date"])
    people = {p["name"]: p for p in tools.list_people()}
    rooms = sorted(tools.list_rooms(), key=lambda r: (r["capacity"], r["name"]))
    taken = tools.room_schedule(date=day)
    busy = {}
    for meeting in meetings:
        ev = tools.get_event(event_id=meeting["id"])
        if params.get("only_organized") and ev["organizer"] != params["person"]:
            tools.remove_attendee(event_id=ev["id"], person=params["person"])
            continue
        names, length = ev["attendees"], ev["duration_minutes"]
        for name in names:
            if name not in busy:
                schedule = tools.get_schedule(person=name, date=day)
                busy[name] = [(mins(e["start"]), mins(e["end"])) for e in schedule["events"]]
        lo = max(mins(people[n]["work_start"]) - 60 * people[n]["utc_offset"] for n in names)
        hi = min(mins(people[n]["work_end"]) - 60 * people[n]["utc_offset"] for n in names)
        spans = [s for n in names for s in busy[n]]
        if params["lunch_break"]:
            spans += [(720 - 60 * people[n]["utc_offset"], 780 - 60 * people[n]["utc_offset"]) for n in names]
        starts = [b for b in range(lo + (-lo) % 15, hi - length + 1, 15)
                  if not any(b < e and s < b + length for s, e in spans)]
        for begin in sorted(starts, key=lambda b: (b != mins(ev["start"]), b)):  # same time of day if possible
            start, end = stamp(begin), stamp(begin + length)
            free = [r["name"] for r in rooms if r["capacity"] >= len(names) and not any(
                t["room"] == r["name"] and t["start"] < end and start < t["end"] for t in taken)]
            if ev["room"] is None or free:
                room = None if ev["room"] is None else (ev["room"] if ev["room"] in free else free[0])
                tools.move_event(event_id=ev["id"], start=start, room=room)
                for name in names:
                    busy[name].append((begin, begin + length))
                taken.append({"room": room, "start": start, "end": end})
                break
    return f"{params['person']} is out of office on {params['date']}; rescheduled their meetings to {day}"


def solve_close_room(tools, params):
    start, end = f"{params['date']} {params['start']}", f"{params['date']} {params['end']}"
    block = tools.block_room(room=params["room"], start=start, end=end, reason="maintenance")
    rooms = sorted(tools.list_rooms(), key=lambda r: (r["capacity"], r["name"]))
    taken = tools.room_schedule(date=params["date"])
    for meeting in block["meetings_to_move"]:
        ev = tools.get_event(event_id=meeting["id"])
        room = next(r["name"] for r in rooms if r["name"] != params["room"] and r["capacity"] >= len(ev["attendees"])
                    and not any(t["room"] == r["name"] and t["start"] < ev["end"] and ev["start"] < t["end"]
                                for t in taken))
        tools.book_room(event_id=ev["id"], room=room)
        taken.append({"room": room, "start": ev["start"], "end": ev["end"]})
    return f"Blocked {params['room']} and moved {len(block['meetings_to_move'])} meetings"


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_place_time(outcome, params):
    import re

    from verifiers.answers import mentions_exactly, normalize

    text, reasons = normalize(outcome.answer), []
    hour, minute = params["time"].split(":")
    if not mentions_exactly(outcome.answer, [params["room"]], params["rooms"]):
        reasons.append(f"the answer should name room {params['room']} and no other room")
    if params["date"] not in text:
        reasons.append(f"the answer lacks the date {params['date']}")
    if not re.search(rf"(?<![\d:])0?{int(hour)}:{minute}(?!\d)", text):
        reasons.append(f"the answer lacks the start time {params['time']}")
    return not reasons, reasons


def verify_new_meeting(outcome, params):
    from verifiers.state import diff_table, unchanged

    added, removed, changed = diff_table(outcome.initial, outcome.db, "events")
    if len(added) != 1 or removed or changed:
        return False, [f"expected one new meeting and no other change to meetings; added {len(added)}, "
                       f"changed {len(changed)}, removed {len(removed)}"]
    ev, reasons = added[0], []
    ids = {r["name"]: r["id"] for r in outcome.rows("SELECT id, name FROM people")}
    pairs = {(r["event_id"], r["person_id"]) for r in outcome.rows("SELECT event_id, person_id FROM attendees")}
    before = {(r["event_id"], r["person_id"])
              for r in outcome.initial_rows("SELECT event_id, person_id FROM attendees")}
    if pairs - before != {(ev["id"], ids[n]) for n in params["attendees"]} or not before <= pairs:
        reasons.append(f"attendees should be exactly {params['attendees']} and other meetings unchanged")
    if ev["title"].strip().strip("\"'").lower() != params["title"].lower():
        reasons.append(f"title is {ev['title']!r}, not {params['title']!r}")
    if ev["organizer_id"] != ids[params["organizer"]] or ev["status"] != "confirmed":
        reasons.append(f"the meeting should be confirmed and organized by {params['organizer']}")
    if ev["start"] != params["start"]:
        reasons.append(f"starts at {ev['start']}, but the earliest workable start is {params['start']}")
    length = (int(ev["end"][11:13]) - int(ev["start"][11:13])) * 60 + int(ev["end"][14:]) - int(ev["start"][14:])
    if ev["end"][:10] != ev["start"][:10] or length != params["minutes"]:
        reasons.append(f"lasts {ev['start']} to {ev['end']}, not {params['minutes']} minutes")
    if ev["room_id"] is None:
        reasons.append("no room is booked")
    elif params["item"] and not outcome.rows("SELECT 1 FROM room_equipment WHERE room_id = ? AND item = ?",
                                             ev["room_id"], params["item"]):
        reasons.append(f"the room has no {params['item']}")
    reasons += [f"policy: {v['rule']} ({v['detail']})" for v in outcome.rows("SELECT * FROM policy_violations")]
    reasons += [f"{t} changed" for t in unchanged(outcome.initial, outcome.db, ["out_of_office", "room_blocks"])]
    return not reasons, reasons


def verify_room_moves(outcome, params):
    from verifiers.state import diff_table, unchanged

    added, removed, changed = diff_table(outcome.initial, outcome.db, "events")
    before = {e["id"]: e for e in outcome.initial_rows("SELECT * FROM events")}
    moved, reasons = {e["id"]: e for e in changed}, []
    if added or removed or set(moved) - set(params["events"]):
        reasons.append("meetings other than the ones to rehouse were created, removed or changed")
    for eid in params["events"]:
        old, new = before[eid], moved.get(eid)
        if new is None or new["room_id"] is None:
            reasons.append(f"event {eid} was not moved to another room")
            continue
        if {**new, "room_id": old["room_id"]} != old:
            reasons.append(f"event {eid} changed more than its room")
        if params["item"] and not outcome.rows("SELECT 1 FROM room_equipment WHERE room_id = ? AND item = ?",
                                               new["room_id"], params["item"]):
            reasons.append(f"the new room of event {eid} has no {params['item']}")
    b_added, b_removed, b_changed = diff_table(outcome.initial, outcome.db, "room_blocks")
    want = params["block"]
    if want:
        room_id = outcome.rows("SELECT id FROM rooms WHERE name = ?", want["room"])[0]["id"]
        if len(b_added) != 1 or (b_added[0]["room_id"], b_added[0]["start"], b_added[0]["end"]) != (
                room_id, want["start"], want["end"]):
            reasons.append(f"expected one new block of {want['room']} from {want['start']} to {want['end']}")
    if b_removed or b_changed or (b_added and not want):
        reasons.append("room blocks changed unexpectedly")
    reasons += [f"policy: {v['rule']} ({v['detail']})" for v in outcome.rows("SELECT * FROM policy_violations")]
    reasons += [f"{t} changed" for t in unchanged(outcome.initial, outcome.db, ["attendees", "out_of_office"])]
    return not reasons, reasons


def verify_add_attendees(outcome, params):
    from verifiers.state import diff_table, unchanged

    ids = {r["name"]: r["id"] for r in outcome.rows("SELECT id, name FROM people")}
    pairs = {(r["event_id"], r["person_id"]) for r in outcome.rows("SELECT event_id, person_id FROM attendees")}
    before = {(r["event_id"], r["person_id"])
              for r in outcome.initial_rows("SELECT event_id, person_id FROM attendees")}
    reasons = []
    if pairs != before | {(params["event"], ids[n]) for n in params["people"]}:
        reasons.append(f"{params['people']} should be added to event {params['event']} and nothing else")
    added, removed, changed = diff_table(outcome.initial, outcome.db, "events")
    if added or removed or any(e["id"] != params["event"] for e in changed):
        reasons.append("other meetings were created, removed or changed")
    old = outcome.initial_rows("SELECT e.*, r.capacity FROM events e JOIN rooms r ON r.id = e.room_id "
                               "WHERE e.id = ?", params["event"])[0]
    new = outcome.rows("SELECT * FROM events WHERE id = ?", params["event"])[0]
    if (new["start"], new["end"], new["status"]) != (old["start"], old["end"], old["status"]):
        reasons.append("the meeting's time or status changed")
    size = len([p for p in pairs if p[0] == params["event"]])
    if new["room_id"] != old["room_id"] and (old["capacity"] >= size or new["room_id"] is None):
        reasons.append("the room was changed although the old one still fits everyone, or dropped")
    reasons += [f"policy: {v['rule']} ({v['detail']})" for v in outcome.rows("SELECT * FROM policy_violations")]
    reasons += [f"{t} changed" for t in unchanged(outcome.initial, outcome.db, ["out_of_office", "room_blocks"])]
    return not reasons, reasons


def verify_ooo_reschedule(outcome, params):
    from verifiers.state import diff_table, unchanged

    pid = outcome.rows("SELECT id FROM people WHERE name = ?", params["person"])[0]["id"]
    o_added, o_removed, o_changed = diff_table(outcome.initial, outcome.db, "out_of_office")
    reasons = []
    if o_removed or o_changed or [(o["person_id"], o["start_date"], o["end_date"]) for o in o_added] != [
            (pid, params["date"], params["date"])]:
        reasons.append(f"expected exactly one new out-of-office day for {params['person']} on {params['date']}")
    added, removed, changed = diff_table(outcome.initial, outcome.db, "events")
    before = {e["id"]: e for e in outcome.initial_rows("SELECT * FROM events")}
    moved = {e["id"]: e for e in changed}
    if added or removed or set(moved) != set(params["events"]):
        reasons.append(f"exactly the meetings {params['events']} should change; changed {sorted(moved)}, "
                       f"added {len(added)}, removed {len(removed)}")
    for eid in set(moved) & set(params["events"]):
        old, new = before[eid], moved[eid]

        def minutes(ev):
            return (int(ev["end"][11:13]) - int(ev["start"][11:13])) * 60 + int(ev["end"][14:]) - int(ev["start"][14:])

        if new["start"][:10] != params["next"] or minutes(new) != minutes(old) or new["end"][:10] != params["next"]:
            reasons.append(f"event {eid} should last as long as before, on {params['next']}")
        if (new["title"], new["organizer_id"], new["status"]) != (old["title"], old["organizer_id"], old["status"]):
            reasons.append(f"event {eid} changed title, organizer or status")
        if (new["room_id"] is None) != (old["room_id"] is None):
            reasons.append(f"event {eid} should {'keep a' if old['room_id'] else 'not get a'} room")
    reasons += [f"policy: {v['rule']} ({v['detail']})" for v in outcome.rows("SELECT * FROM policy_violations")]
    pairs = {(r["event_id"], r["person_id"]) for r in outcome.rows("SELECT event_id, person_id FROM attendees")}
    before = {(r["event_id"], r["person_id"])
              for r in outcome.initial_rows("SELECT event_id, person_id FROM attendees")}
    if pairs != before - {(eid, pid) for eid in params.get("dropped", [])}:
        reasons.append(f"invite lists should change only by taking {params['person']} off {params.get('dropped', [])}")
    reasons += [f"{t} changed" for t in unchanged(outcome.initial, outcome.db, ["room_blocks"])]
    return not reasons, reasons
