"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "leave_balance": [
        "How many days of {{leave_type}} leave does {{employee}} have left?",
        "What is {{employee}}'s remaining {{leave_type}} leave balance, in days?",
        "Tell me how many {{leave_type}} days {{employee}} can still take.",
    ],
    "manager": [
        "Who is the manager of {{employee}}'s department?",
        "Which manager approves {{employee}}'s leave requests?",
    ],
    "week_pay": [
        "What is {{employee}}'s gross pay for the week starting Monday {{monday}}, based on the hours they "
        "logged? Round to the cent.",
        "Work out {{employee}}'s gross earnings for the week of {{monday}} (Monday to Sunday) from their "
        "timesheets, overtime included, to the cent.",
    ],
    "top_logger": [
        "Which {{department}} employee logged the most hours between {{start}} and {{end}}?",
        "Between {{start}} and {{end}}, who in {{department}} has the highest total of logged hours?",
    ],
    "on_leave": [
        "Which {{department}} employees are on approved leave on {{date}}?",
        "List the people of {{department}} who are away on approved leave on {{date}}.",
    ],
    "review_request": [
        "Review leave request {{request_id}} as the employee's manager: approve it if the policy allows, "
        "otherwise reject it with a reason.",
        "Please act on pending leave request #{{request_id}} on behalf of the responsible manager — approve it "
        "when policy permits, reject it (with a reason) when it doesn't.",
    ],
    "dept_raise": [
        "Give every hourly employee in {{department}} who earns less than {{threshold}} per hour a {{pct}}% "
        "raise — or the largest raise the policy allows, if {{pct}}% is more than that.",
        "Hourly {{department}} staff paid under {{threshold}} an hour get a raise of {{pct}}% (capped at what "
        "the policy permits). Please update their rates.",
    ],
    "review_department": [
        "Process all pending leave requests of the {{department}} department, in order of request id, as their "
        "manager: approve each one the policy allows at that point and reject the others with a reason.",
        "Work through {{department}}'s pending leave requests from the lowest id up. Approve the ones the "
        "policy allows (taking the earlier approvals into account) and reject the rest, giving a reason.",
    ],
    "book_leave": [
        "{{employee}} wants {{days}} consecutive working day{{ 's' if days != 1 else '' }} of {{leave_type}} leave, "
        "starting on the earliest working day on or after {{date}} for which the request can be approved. Submit "
        "it and approve it as their manager.",
        "Find the first working day from {{date}} onwards on which {{employee}} could start {{days}} working "
        "day{{ 's' if days != 1 else '' }} of {{leave_type}} leave that the policy allows, then file that request "
        "and approve it as their manager.",
    ],
    "move_leave": [
        "{{employee}} wants to move their approved leave request {{request_id}} so that it starts on {{date}} "
        "with the same number of working days. Cancel it, submit the new request and approve it as their "
        "manager if the policy allows; if it doesn't, reject the new request with a reason, then submit the "
        "original dates again and approve those instead.",
        "Reschedule {{employee}}'s approved leave #{{request_id}} to begin on {{date}}, keeping its number of "
        "working days: cancel the old request, file the new one and approve it as manager when the policy "
        "permits — otherwise reject the new one (with a reason) and file and approve the original dates again.",
    ],
    "dept_close": [
        "End-of-period tasks for {{department}}: first process all of its pending leave requests in order of id "
        "as the manager (approve what the policy allows, reject the rest with a reason). Then give every hourly "
        "employee of {{department}} who logged more than {{hours}} hours between {{start}} and {{end}} a "
        "{{pct}}% raise, or the largest raise the policy allows if that is less.",
        "For the {{department}} department: (1) decide every pending leave request, lowest id first, approving "
        "those the policy allows and rejecting the others with a reason; (2) raise by {{pct}}% (capped by "
        "policy) the rate of each hourly employee there with more than {{hours}} hours logged from {{start}} to "
        "{{end}}.",
    ],
}
