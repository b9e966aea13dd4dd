"""State checks for what a declaration of effects cannot say by itself: the calendar policy holds everywhere, and
rooms, times and days chosen by the agent fit what was asked."""

from synth_verifiers.state import diff_table


def violations(outcome):
    """The policy, as the calendar's own view states it: reasons for every violation in the final state."""
    return [f"policy: {v['rule']} ({v['detail']})" for v in outcome.rows("SELECT * FROM policy_violations")]


def room_reasons(outcome, event_id, item):
    """Reasons a meeting lacks a room, or a room with `item`."""
    room = outcome.rows("SELECT room_id FROM events WHERE id = ?", event_id)[0]["room_id"]
    if room is None:
        return [f"event {event_id} has no room"]
    if item and not outcome.rows("SELECT 1 FROM room_equipment WHERE room_id = ? AND item = ?", room, item):
        return [f"the room of event {event_id} has no {item}"]
    return []


def check_policy(outcome, params):
    """The final calendar breaks no rule of the policy."""
    reasons = violations(outcome)
    return not reasons, reasons


def check_new_meeting(outcome, params):
    """The one new meeting (its row and attendees are declared) has the title asked for, its attendees are linked
    to it, it has a room (with params["item"]) and the calendar keeps its policy."""
    added = diff_table(outcome.initial, outcome.db, "events")[0]
    if len(added) != 1:
        return False, [f"expected one new meeting, found {len(added)}"]
    ev, reasons = added[0], violations(outcome)
    if ev["title"].strip().strip("\"'").lower() != params["title"].lower():
        reasons.append(f"title is {ev['title']!r}, not {params['title']!r}")
    invited = diff_table(outcome.initial, outcome.db, "attendees")[0]
    if any(a["event_id"] != ev["id"] for a in invited):
        reasons.append("attendees were added to other meetings")
    reasons += room_reasons(outcome, ev["id"], params["item"])
    return not reasons, reasons


def check_rooms(outcome, params):
    """Each of params["events"] is in a room (with params["item"]), and the calendar keeps its policy."""
    reasons = violations(outcome)
    for event_id in params["events"]:
        reasons += room_reasons(outcome, event_id, params.get("item"))
    return not reasons, reasons


def check_moved(outcome, params):
    """Each of params["events"] now lies on params["day"], as long as before, with a room exactly when it had one;
    the calendar keeps its policy."""

    def minutes(ev):
        return (int(ev["end"][11:13]) - int(ev["start"][11:13])) * 60 + int(ev["end"][14:]) - int(ev["start"][14:])

    reasons = violations(outcome)
    before = {e["id"]: e for e in outcome.initial_rows("SELECT * FROM events")}
    after = {e["id"]: e for e in outcome.rows("SELECT * FROM events")}
    for event_id in params["events"]:
        old, new = before[event_id], after[event_id]
        if new["start"][:10] != params["day"] or new["end"][:10] != params["day"] or minutes(new) != minutes(old):
            reasons.append(f"event {event_id} should last as long as before, on {params['day']}")
        if (new["room_id"] is None) != (old["room_id"] is None):
            reasons.append(f"event {event_id} should {'keep a' if old['room_id'] else 'not get a'} room")
    return not reasons, reasons
