"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "event_place_time": [
        'Where and when is "{{title}}"? Tell me the room, the date (YYYY-MM-DD) and the start time in UTC.',
        'I need the room and the start (date and UTC time) of the meeting "{{title}}".',
        'Which room is "{{title}}" booked in, and when does it start (date and HH:MM UTC)?',
    ],
    "attendee_count": [
        'How many people are invited to "{{title}}", the organizer included?',
        'What is the head count of the meeting "{{title}}" (count the organizer too)?',
    ],
    "team_lead": [
        "Who leads the team that {{person}} belongs to?",
        "{{person}} has a question for their team lead. Who is that?",
    ],
    "team_meeting_hours": [
        "How many hours of meetings does the {{team}} team have on {{date}}? Count every meeting that any member "
        "attends, and count it once however many members are in it.",
        "On {{date}}, what is the total length in hours of the distinct meetings attended by anyone from the "
        "{{team}} team? A meeting with several team members counts once.",
    ],
    "free_rooms": [
        "Which rooms with a {{item}} and at least {{seats}} seats are free on {{date}} from {{start}} to {{end}} UTC?",
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
        'Set up a {{minutes}}-minute meeting "{{title}}" organized by {{organizer}} with {{others}} on '
        "{{date}}, at the earliest start that works for everyone, in a room that seats them all.",
        "{{organizer}} wants to meet {{others}} on {{date}} for {{minutes}} minutes. Create the meeting "
        '"{{title}}" at the earliest possible time that day that fits the policy, and book a room big enough '
        "for everyone.",
        'Please book "{{title}}" ({{minutes}} min), organized by {{organizer}} with {{others}}, on {{date}}: '
        "as early in the day as the policy allows, with a meeting room that fits the group.",
    ],
    "upgrade_room": [
        'The meeting "{{title}}" needs a {{item}}. Move it to a room that has one and seats all its '
        "attendees; keep the time.",
        '"{{title}}" has to be in a room with a {{item}}. Rebook it into such a room, big enough for everyone, '
        "without changing when it happens.",
    ],
    "add_attendees": [
        'Add {{people}} to the meeting "{{title}}". Keep its time; if its room becomes too small, move it to '
        "a free room that fits everyone.",
        '{{people}} should join "{{title}}". Invite them without moving the meeting, and switch to a bigger '
        "free room only if the current one can no longer seat everyone.",
    ],
    "team_meeting": [
        'Organize a {{minutes}}-minute "{{title}}" for the whole {{team}} team, with the team lead as '
        "organizer, at the earliest time between {{first}} and {{last}} when every member can attend, in a room "
        "with {{item}} that seats the whole team.",
        'The {{team}} team needs a {{minutes}}-minute meeting "{{title}}" that everyone on the team attends, '
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
        'Organize a {{minutes}}-minute "{{title}}" for the whole {{team}} team, organized by the team lead, at '
        "the earliest time between {{first}} and {{last}} when every member can attend and a room with {{item}} "
        "seating the team is free. Nobody on the team may end up with more than {{cap}} hours of meetings on "
        "that day, this one included.",
        'The {{team}} team needs "{{title}}" ({{minutes}} minutes, everyone on the team, the lead organizes). '
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
