"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "ticket_assignee": [
        "Who is assigned to ticket {{key}}?",
        "Which person is working on {{key}}?",
        "Tell me the assignee of {{key}}.",
    ],
    "ticket_estimate": [
        "How many story points is {{key}} estimated at?",
        "What is the estimate of ticket {{key}}, in points?",
    ],
    "sprint_remaining": [
        "How many story points are still not done in the {{which}} sprint of project {{project}}?",
        "Sum the estimates of the unfinished tickets in {{project}}'s {{which}} sprint. What do you get?",
    ],
    "blocked_in_sprint": [
        "Which tickets in {{sprint}} are waiting on a blocker that is not done yet? Give their keys.",
        "List the keys of the {{sprint}} tickets that have at least one unfinished blocking ticket.",
    ],
    "most_loaded": [
        "Who carries the most open story points in {{sprint}}?",
        "In {{sprint}}, which assignee has the highest load of not-done points?",
    ],
    "assign_spare": [
        "Assign {{key}} to the {{team}} team member with the most spare capacity in {{sprint}}.",
        "{{key}} needs an owner: give it to whoever on the {{team}} team has the most free capacity left in "
        "{{sprint}}.",
    ],
    "promote_bugs": [
        "In {{sprint}}, raise every unfinished bug whose priority is {{low}} or lower to {{new}}.",
        "Bump all not-done bugs in {{sprint}} that sit at {{low}} or below up to priority {{new}}.",
    ],
    "start_ready": [
        "Start work on {{person}}'s tickets in {{sprint}}: move their todo tickets whose blockers are all done to "
        "in_progress, highest priority first, as many as the policy allows.",
        "Put {{person}}'s ready todo tickets in {{sprint}} (no unfinished blockers) into in_progress, taking "
        "higher priorities first and stopping only where the policy says so.",
    ],
    "fill_sprint": [
        "Pull every not-done {{project}} backlog ticket with priority P1 or P2 into {{sprint}}, leaving out any "
        "the policy does not allow there, and give each unassigned one an owner from the {{team}} team who has "
        "room for it.",
        "Plan {{sprint}}: move all of the {{project}} backlog's open P1 and P2 tickets into it (except those the "
        "policy forbids), and assign the ones without an assignee to {{team}} team members with enough spare "
        "capacity.",
    ],
    "reassign_leave": [
        "{{person}} is going on leave. Hand their not-done tickets in {{sprint}} over one by one, largest estimate "
        "first, each to the teammate with the most spare capacity left in that sprint at that point, and put any "
        "that were in progress or review back to todo.",
        "Reassign {{person}}'s unfinished {{sprint}} tickets, biggest estimate first: each goes to whichever "
        "teammate has the most spare capacity in the sprint at that moment. Tickets that were in_progress or "
        "review go back to todo. {{person}} is away.",
    ],
    "close_sprint": [
        "Wrap up {{sprint}}: mark every ticket in review as done when all its blockers are done, move every "
        "other unfinished ticket to {{next}}, keeping its assignee unless that would push them over capacity "
        "there (then leave it unassigned), and finally close {{sprint}}.",
        "Close out {{sprint}}. Review tickets whose blockers are all done become done; everything else not done "
        "moves to {{next}} with its assignee where their capacity allows (otherwise unassigned). Then close the "
        "sprint.",
    ],
    "expedite": [
        "{{key}} must ship in {{sprint}}. Move it and every unfinished ticket it depends on, directly or "
        "through other tickets, into {{sprint}}; set them all to P1; give any of them without an estimate "
        "{{points}} points; and make sure each has an assignee from the {{team}} team with room for it, "
        "keeping existing assignees.",
        "Expedite {{key}}: it and all of its not-done blockers (transitively) go into {{sprint}} at priority P1. "
        "Unestimated ones get an estimate of {{points}}. Existing assignees stay; unassigned ones go to "
        "{{team}} team members with enough spare capacity.",
    ],
}
