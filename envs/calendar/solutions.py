"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""

import datetime as dt

from synth.env import only


def mins(stamp):
    """Minutes after midnight of a 'YYYY-MM-DD HH:MM' or 'HH:MM' time."""
    return int(stamp[-5:-3]) * 60 + int(stamp[-2:])


def at(day, minute):
    """The 'YYYY-MM-DD HH:MM' stamp of a minute of a day."""
    return f"{day} {minute // 60:02d}:{minute % 60:02d}"


def length(ev):
    """A meeting's length in minutes (meetings lie within one day)."""
    return mins(ev["end"]) - mins(ev["start"])


def open_starts(people, length, busy, lunch_break):
    """UTC start minutes on 15-minute marks at which all of `people` (list_people rows) work for `length`
    minutes, clear of the `busy` spans (and of their lunch hours when that rule holds)."""
    lo = max(mins(p["work_start"]) - 60 * p["utc_offset"] for p in people)
    hi = min(mins(p["work_end"]) - 60 * p["utc_offset"] for p in people)
    if lunch_break:
        busy = busy + [(720 - 60 * p["utc_offset"], 780 - 60 * p["utc_offset"]) for p in people]
    return [
        b for b in range(lo + (-lo) % 15, hi - length + 1, 15) if not any(b < e and s < b + length for s, e in busy)
    ]


def free_rooms(rooms, taken, start, end, event_id=None):
    """Names of `rooms` that no booking or block in `taken` (room_schedule rows) holds between start and end;
    the bookings of `event_id` itself do not count."""
    return [
        r["name"]
        for r in rooms
        if not any(
            t["room"] == r["name"]
            and t["start"] < end
            and start < t["end"]
            and (event_id is None or t.get("event_id") != event_id)
            for t in taken
        )
    ]


def by_size(rooms):
    return sorted(rooms, key=lambda r: (r["capacity"], r["name"]))


def find_event(tools, title):
    return tools.get_event(event_id=only(tools.search_events(text=title), title=title)["id"])


def solve_event_place_time(tools, params):
    ev = only(tools.search_events(text=params["title"]), title=params["title"])
    return {"room": ev["room"], "date": ev["start"][:10], "time": ev["start"][11:]}


def solve_attendee_count(tools, params):
    return len(find_event(tools, params["title"])["attendees"])


def solve_team_lead(tools, params):
    team = only(tools.list_people(), name=params["person"])["team"]
    return only(tools.list_people(team=team), is_lead=1)["name"]


def solve_team_meeting_hours(tools, params):
    meetings = {}
    for person in tools.list_people(team=params["team"]):
        for ev in tools.get_schedule(person=person["name"], date=params["date"])["events"]:
            meetings[ev["id"]] = ev
    return round(sum(length(e) for e in meetings.values()) / 60, 2)


def solve_free_rooms(tools, params):
    rooms = tools.list_rooms(min_capacity=params["seats"], equipment=params["item"])
    start, end = f"{params['date']} {params['start']}", f"{params['date']} {params['end']}"
    return free_rooms(rooms, tools.room_schedule(date=params["date"]), start, end)


def solve_busiest_member(tools, params):
    totals = {
        p["name"]: sum(length(e) for e in tools.get_schedule(person=p["name"], date=params["date"])["events"])
        for p in tools.list_people(team=params["team"])
    }
    return max(sorted(totals), key=lambda name: totals[name])


def solve_schedule_meeting(tools, params):
    names, day, minutes = [params["organizer"], *params["others"]], params["date"], params["minutes"]
    everyone = {p["name"]: p for p in tools.list_people()}
    people = [everyone[n] for n in names]
    busy = []
    for name in names:
        schedule = tools.get_schedule(person=name, date=day)
        if schedule["out_of_office"]:
            return f"{name} is out of office on {day}"
        busy += [(mins(e["start"]), mins(e["end"])) for e in schedule["events"]]
    rooms = by_size(tools.list_rooms(min_capacity=len(names)))
    taken = tools.room_schedule(date=day)
    for begin in open_starts(people, minutes, busy, params["lunch_break"]):
        free = free_rooms(rooms, taken, at(day, begin), at(day, begin + minutes))
        if free:
            ev = tools.create_event(
                title=params["title"],
                organizer=params["organizer"],
                attendees=params["others"],
                start=at(day, begin),
                duration_minutes=minutes,
                room=free[0],
            )
            return f"Booked event {ev['id']} at {ev['start']} in {ev['room']}"
    return f"No common slot on {day}"


def solve_team_meeting(tools, params):
    members = tools.list_people(team=params["team"])
    lead = only(members, is_lead=1)["name"]
    first = dt.date.fromisoformat(params["first"])
    span = (dt.date.fromisoformat(params["last"]) - first).days + 1
    closed = (4, 5, 6) if params["no_fridays"] else (5, 6)
    days = [
        (first + dt.timedelta(d)).isoformat() for d in range(span) if (first + dt.timedelta(d)).weekday() not in closed
    ]
    busy, away, load = {d: [] for d in days}, set(), {}
    for person in members:
        schedule = tools.get_schedule(person=person["name"], date=params["first"], days=span)
        away |= set(schedule["out_of_office"])
        for e in schedule["events"]:
            busy.setdefault(e["start"][:10], []).append((mins(e["start"]), mins(e["end"])))
            key = (person["name"], e["start"][:10])
            load[key] = load.get(key, 0) + length(e)
    rooms = by_size(tools.list_rooms(min_capacity=len(members), equipment=params["item"]))
    minutes, cap = params["minutes"], params.get("cap_hours")
    for day in days:
        if day in away:
            continue
        if cap is not None and any(load.get((p["name"], day), 0) + minutes > 60 * cap for p in members):
            continue
        taken = tools.room_schedule(date=day)
        for begin in open_starts(members, minutes, busy[day], params["lunch_break"]):
            free = free_rooms(rooms, taken, at(day, begin), at(day, begin + minutes))
            if free:
                ev = tools.create_event(
                    title=params["title"],
                    organizer=lead,
                    start=at(day, begin),
                    duration_minutes=minutes,
                    room=free[0],
                    attendees=[p["name"] for p in members if p["name"] != lead],
                )
                return f"Booked event {ev['id']} at {ev['start']} in {ev['room']}"
    return "No slot found"


def solve_upgrade_room(tools, params):
    ev = find_event(tools, params["title"])
    rooms = by_size(tools.list_rooms(min_capacity=len(ev["attendees"]), equipment=params["item"]))
    room = free_rooms(rooms, tools.room_schedule(date=ev["start"][:10]), ev["start"], ev["end"], ev["id"])[0]
    tools.book_room(event_id=ev["id"], room=room)
    return f'Moved "{ev["title"]}" to {room}'


def solve_add_attendees(tools, params):
    ev = find_event(tools, params["title"])
    size = len(ev["attendees"]) + len(params["people"])
    if ev["room_capacity"] < size:  # a bigger room first: a full room would refuse the new attendees
        rooms = by_size(tools.list_rooms(min_capacity=size))
        tools.book_room(
            event_id=ev["id"],
            room=free_rooms(rooms, tools.room_schedule(date=ev["start"][:10]), ev["start"], ev["end"], ev["id"])[0],
        )
    for person in params["people"]:
        tools.add_attendee(event_id=ev["id"], person=person)
    return f"Added {', '.join(params['people'])} to event {ev['id']}"


def solve_ooo_reschedule(tools, params):
    day = params["next"]
    meetings = tools.get_schedule(person=params["person"], date=params["date"])["events"]
    tools.set_out_of_office(person=params["person"], start_date=params["date"], end_date=params["date"])
    people = {p["name"]: p for p in tools.list_people()}
    rooms = by_size(tools.list_rooms())
    taken = tools.room_schedule(date=day)
    busy = {}
    for meeting in meetings:
        ev = tools.get_event(event_id=meeting["id"])
        if params.get("only_organized") and ev["organizer"] != params["person"]:
            tools.remove_attendee(event_id=ev["id"], person=params["person"])
            continue
        names, minutes = ev["attendees"], ev["duration_minutes"]
        for name in names:
            if name not in busy:
                busy[name] = [
                    (mins(e["start"]), mins(e["end"])) for e in tools.get_schedule(person=name, date=day)["events"]
                ]
        starts = open_starts(
            [people[n] for n in names], minutes, [s for n in names for s in busy[n]], params["lunch_break"]
        )
        for begin in sorted(starts, key=lambda b: (b != mins(ev["start"]), b)):  # same time of day if possible
            start, end = at(day, begin), at(day, begin + minutes)
            free = free_rooms([r for r in rooms if r["capacity"] >= len(names)], taken, start, end)
            if ev["room"] is None or free:
                room = None if ev["room"] is None else (ev["room"] if ev["room"] in free else free[0])
                tools.move_event(event_id=ev["id"], start=start, room=room)
                for name in names:
                    busy[name].append((begin, begin + minutes))
                taken.append({"room": room, "start": start, "end": end})
                break
    return f"{params['person']} is out of office on {params['date']}; rescheduled their meetings to {day}"


def solve_close_room(tools, params):
    start, end = f"{params['date']} {params['start']}", f"{params['date']} {params['end']}"
    block = tools.block_room(room=params["room"], start=start, end=end, reason="maintenance")
    rooms = by_size(tools.list_rooms())
    taken = tools.room_schedule(date=params["date"])
    for meeting in block["meetings_to_move"]:
        ev = tools.get_event(event_id=meeting["id"])
        fitting = [r for r in rooms if r["name"] != params["room"] and r["capacity"] >= len(ev["attendees"])]
        room = free_rooms(fitting, taken, ev["start"], ev["end"])[0]
        tools.book_room(event_id=ev["id"], room=room)
        taken.append({"room": room, "start": ev["start"], "end": ev["end"]})
    return f"Blocked {params['room']} and moved {len(block['meetings_to_move'])} meetings"
