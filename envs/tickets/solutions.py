"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""

from synth.env import only


def spare_in(tools, sprint, team, away=None):
    """{name: capacity left} of a team's people in a sprint (a get_sprint result), leaving out `away`."""
    load = {person["name"]: person["open_points"] for person in sprint["loads"]}
    return {
        p["name"]: p["capacity"] - load.get(p["name"], 0) for p in tools.list_people(team=team) if p["name"] != away
    }


def roomiest(spare, points):
    """The person with the most capacity left (first by name on a tie), charged `points`."""
    owner = max(sorted(spare), key=lambda name: spare[name])
    spare[owner] -= points
    return owner


def solve_ticket_field(tools, params):
    return tools.get_ticket(key=params["key"])[params["field"]]


def solve_sprint_remaining(tools, params):
    name = only(tools.list_sprints(project=params["project"]), status=params["which"])["name"]
    sprint = tools.get_sprint(sprint=name)
    return sum(t["estimate"] or 0 for t in sprint["tickets"] if t["status"] != "done")


def solve_blocked_in_sprint(tools, params):
    sprint = tools.get_sprint(sprint=params["sprint"])
    return [t["key"] for t in sprint["tickets"] if any(b["status"] != "done" for b in t["blocked_by"])]


def solve_most_loaded(tools, params):
    loads = tools.get_sprint(sprint=params["sprint"])["loads"]
    return max(loads, key=lambda person: person["open_points"])["name"]


def solve_assign_spare(tools, params):
    spare = spare_in(tools, tools.get_sprint(sprint=params["sprint"]), params["team"])
    best = max(sorted(spare), key=lambda name: spare[name])
    tools.assign_ticket(key=params["key"], person=best)
    return f"Assigned {params['key']} to {best}"


def solve_promote_bugs(tools, params):
    order = ["P1", "P2", "P3", "P4"]
    bugs = [
        t
        for t in tools.search_tickets(sprint=params["sprint"], ticket_type="bug")
        if t["status"] != "done" and order.index(t["priority"]) >= order.index(params["low"])
    ]
    for bug in bugs:
        tools.set_priority(key=bug["key"], priority=params["new"])
    return f"Raised {len(bugs)} bugs to {params['new']}"


def solve_start_ready(tools, params):
    order = ["P1", "P2", "P3", "P4"]
    mine = tools.search_tickets(sprint=params["sprint"], assignee=params["person"])
    ready = [
        t
        for t in mine
        if t["status"] == "todo" and all(b["status"] == "done" for b in tools.get_ticket(key=t["key"])["blocked_by"])
    ]
    room = len(ready)
    if params["wip_limit"] is not None:
        running = len(tools.search_tickets(assignee=params["person"], status="in_progress"))
        room = min(room, params["wip_limit"] - running)
    started = sorted(ready, key=lambda t: order.index(t["priority"]))[:room]
    for t in started:
        tools.set_status(key=t["key"], status="in_progress")
    return f"Started {', '.join(t['key'] for t in started)}"


def solve_fill_sprint(tools, params):
    spare = spare_in(tools, tools.get_sprint(sprint=params["sprint"]), params["team"])
    backlog = [
        t
        for t in tools.search_tickets(project=params["project"], backlog_only=True)
        if t["status"] != "done"
        and t["priority"] in ("P1", "P2")
        and (t["estimate"] is not None or not params["estimate_required"])
    ]
    for t in sorted(backlog, key=lambda t: -(t["estimate"] or 0)):
        if t["assignee"] is None:
            tools.assign_ticket(key=t["key"], person=roomiest(spare, t["estimate"] or 0))
        tools.move_ticket(key=t["key"], sprint=params["sprint"])
    return f"Moved {len(backlog)} tickets into {params['sprint']}"


def solve_reassign_leave(tools, params):
    sprint = tools.get_sprint(sprint=params["sprint"])
    mine = [t for t in sprint["tickets"] if t["assignee"] == params["person"] and t["status"] != "done"]
    team = only(tools.list_people(), name=params["person"])["team"]
    spare = spare_in(tools, sprint, team, away=params["person"])
    for t in sorted(mine, key=lambda t: -(t["estimate"] or 0)):
        if t["status"] != "todo":
            tools.set_status(key=t["key"], status="todo")
        tools.assign_ticket(key=t["key"], person=roomiest(spare, t["estimate"] or 0))
    return f"Reassigned {len(mine)} tickets"


def solve_close_sprint(tools, params):
    sprint = tools.get_sprint(sprint=params["sprint"])
    nxt = tools.get_sprint(sprint=params["next"])
    load = {person["name"]: person["open_points"] for person in nxt["loads"]}
    capacity = {p["name"]: p["capacity"] for p in tools.list_people()}
    for t in sprint["tickets"]:
        if t["status"] == "review" and all(b["status"] == "done" for b in t["blocked_by"]):
            tools.set_status(key=t["key"], status="done")
        elif t["status"] != "done":
            owner, points = t["assignee"], t["estimate"] or 0
            if owner is not None and load.get(owner, 0) + points > capacity[owner]:
                tools.assign_ticket(key=t["key"])
            elif owner is not None:
                load[owner] = load.get(owner, 0) + points
            tools.move_ticket(key=t["key"], sprint=params["next"])
    tools.close_sprint(sprint=params["sprint"])
    return f"Closed {params['sprint']}"


def solve_expedite(tools, params):
    chain, todo = {}, [params["key"]]
    while todo:
        key = todo.pop()
        if key not in chain:
            chain[key] = tools.get_ticket(key=key)
            todo += [b["key"] for b in chain[key]["blocked_by"] if b["status"] != "done"]
    spare = spare_in(tools, tools.get_sprint(sprint=params["sprint"]), params["team"])
    for t in sorted(chain.values(), key=lambda t: -(t["estimate"] or params["points"])):
        if t["estimate"] is None:
            tools.set_estimate(key=t["key"], points=params["points"])
        if t["assignee"] is None:
            tools.assign_ticket(key=t["key"], person=roomiest(spare, t["estimate"] or params["points"]))
        tools.move_ticket(key=t["key"], sprint=params["sprint"])
        tools.set_priority(key=t["key"], priority="P1")
    return f"Expedited {', '.join(chain)}"
