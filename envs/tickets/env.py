"""Project tickets: teams with per-sprint capacity, projects, sprints, tickets with estimates and dependencies."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool
from verifiers.common import verify_names, verify_number

TEAMS = ["Backend", "Frontend", "Mobile", "Data", "Infra", "Growth", "Platform", "Quality"]
PROJECTS = [("PAY", "Payments Revamp"), ("ONB", "Onboarding Flow"), ("SRC", "Search Upgrade"),
            ("MOB", "Mobile App 3.0"), ("DWH", "Data Warehouse"), ("NTF", "Notification Hub"),
            ("BIL", "Billing Engine"), ("ACC", "Accessibility Pass"), ("INF", "Infra Migration")]
FIRST = ["Arlo", "Bea", "Cyrus", "Dina", "Ezra", "Fern", "Gil", "Hedy", "Ira", "Juno", "Kemal", "Lior", "Maud",
         "Nico", "Odile", "Pax", "Rhea", "Soren", "Tove", "Ugo", "Vida", "Wynn", "Xena", "Yusuf", "Zora"]
LAST = ["Ashdown", "Brightwater", "Coldridge", "Dunmore", "Everly", "Fairweather", "Greystone", "Hollins",
        "Ingleby", "Jessop", "Kettering", "Larkspur", "Merriweather", "Northcott", "Oakhurst", "Pemberton"]
VERBS = ["Fix", "Add", "Refactor", "Remove", "Improve", "Document", "Test", "Migrate", "Speed up", "Redesign"]
OBJECTS = ["login form", "retry logic", "CSV export", "audit log", "rate limiter", "settings page", "cache layer",
           "webhook handler", "error banner", "search index", "invoice PDF", "dark mode", "push tokens",
           "session timeout", "feature flags", "sign-up email", "date picker", "API pagination", "upload widget",
           "health check", "billing cron", "admin filters", "password reset", "onboarding tour", "metrics dashboard"]
TYPES = ["bug", "story", "task"]
PRIORITIES = ["P1", "P2", "P3", "P4"]
STATUSES = ["todo", "in_progress", "review", "done"]
POINTS = [1, 2, 3, 5, 8]
CAPACITIES = [8, 10, 13, 15, 20]
WIP_LIMIT = 2

SCHEMA = """
CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT UNIQUE);
CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT UNIQUE, email TEXT, team_id INTEGER REFERENCES teams(id),
    capacity INTEGER);
CREATE TABLE projects (id INTEGER PRIMARY KEY, key TEXT UNIQUE, name TEXT, team_id INTEGER REFERENCES teams(id),
    lead_id INTEGER REFERENCES people(id));
CREATE TABLE sprints (id INTEGER PRIMARY KEY, project_id INTEGER REFERENCES projects(id), name TEXT UNIQUE,
    start_date TEXT, end_date TEXT, status TEXT);
CREATE TABLE tickets (id INTEGER PRIMARY KEY, key TEXT UNIQUE, project_id INTEGER REFERENCES projects(id),
    title TEXT, type TEXT, status TEXT, priority TEXT, estimate INTEGER, assignee_id INTEGER REFERENCES people(id),
    sprint_id INTEGER REFERENCES sprints(id));
CREATE TABLE dependencies (id INTEGER PRIMARY KEY, ticket_id INTEGER REFERENCES tickets(id),
    blocked_by_id INTEGER REFERENCES tickets(id), UNIQUE (ticket_id, blocked_by_id));
CREATE TABLE comments (id INTEGER PRIMARY KEY, ticket_id INTEGER REFERENCES tickets(id),
    author_id INTEGER REFERENCES people(id), body TEXT);

CREATE VIEW sprint_load AS
    SELECT t.sprint_id, t.assignee_id, SUM(COALESCE(t.estimate, 0)) AS points FROM tickets t
    WHERE t.status != 'done' AND t.sprint_id IS NOT NULL AND t.assignee_id IS NOT NULL GROUP BY 1, 2;
CREATE VIEW policy_violations AS
    SELECT 'capacity' AS rule, p.name || ' has ' || l.points || ' open points in ' || s.name || ' but capacity '
           || p.capacity AS detail
    FROM sprint_load l JOIN people p ON p.id = l.assignee_id JOIN sprints s ON s.id = l.sprint_id
    WHERE l.points > p.capacity AND s.status != 'closed'
  UNION ALL
    SELECT 'blocked', t.key || ' is ' || t.status || ' but its blocker ' || b.key || ' is ' || b.status
    FROM tickets t JOIN dependencies d ON d.ticket_id = t.id JOIN tickets b ON b.id = d.blocked_by_id
    WHERE t.status != 'todo' AND b.status != 'done'
  UNION ALL
    SELECT 'sprint', t.key || ' sits in ' || s.name || ' of another project'
    FROM tickets t JOIN sprints s ON s.id = t.sprint_id WHERE s.project_id != t.project_id
"""

# Extra rules a variant may add, as further branches of the policy_violations view.
RULE_VIOLATIONS = {
    "wip_limit": f"""
  UNION ALL
    SELECT 'wip limit', p.name || ' has ' || COUNT(*) || ' tickets in progress' FROM tickets t
    JOIN people p ON p.id = t.assignee_id WHERE t.status = 'in_progress' GROUP BY p.id HAVING COUNT(*) > {WIP_LIMIT}""",
    "estimate_required": """
  UNION ALL
    SELECT 'estimate', t.key || ' is in ' || s.name || ' without an estimate' FROM tickets t
    JOIN sprints s ON s.id = t.sprint_id WHERE t.estimate IS NULL AND s.status != 'closed'""",
}


def _rank(priority: str) -> int:
    return PRIORITIES.index(priority)


class TicketsEnv(EnvTemplate):
    name = "tickets"
    version = "1.0.0"
    category = "project tickets"
    description = ("An engineering organisation's issue tracker: teams and their people with per-sprint capacity, "
                   "projects, sprints, tickets with status, priority, story-point estimates, assignees and "
                   "dependencies. Look up work, then assign, prioritise, move and progress tickets.")
    policy = (
        "Ticket status is one of todo, in_progress, review, done; done is final. A ticket may leave todo only when "
        "every ticket blocking it is done. A person's load in a sprint is the sum of the estimates of their "
        "not-done tickets in it, and may never exceed their capacity. Tickets may only be placed in a planned or "
        "active sprint of their own project; closed sprints and done tickets cannot be changed. A sprint may be "
        "closed only when all its tickets are done. Priorities run from P1 (highest) to P4. Change only what the "
        "user asked for.")
    variants = VariantSpace(
        optional_tools=("get_workload", "add_comment"),
        renames={"search_tickets": ("find_tickets", "query_tickets"), "assign_ticket": ("set_assignee",),
                 "move_ticket": ("schedule_ticket",)},
        rules={"wip_limit": f"Nobody may have more than {WIP_LIMIT} tickets in progress at once.",
               "estimate_required": "A ticket without an estimate cannot be placed in a planned or active sprint."},
        scales=("small", "medium", "large"),
    )
    phrasings = {
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
            "How many story points are still not done in {{sprint}}?",
            "Sum the estimates of the unfinished tickets in {{sprint}}. What do you get?",
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
            "{{person}} is going on leave. Hand each of their not-done tickets in {{sprint}} to another member of "
            "their team who has room for it, and put any that were in progress or review back to todo.",
            "Reassign {{person}}'s unfinished {{sprint}} tickets to teammates with enough spare capacity; tickets "
            "that were in_progress or review go back to todo. {{person}} is away.",
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

    # ---- database ---------------------------------------------------------------------------------

    def build(self, rng: random.Random) -> None:
        self.db.executescript(SCHEMA + "".join(RULE_VIOLATIONS[r] for r in self.variant.rules) + ";")
        n_teams, n_projects, per_project = {"small": (3, 4, (30, 40)), "medium": (4, 5, (30, 42)),
                                            "large": (5, 7, (38, 52))}[self.variant.scale]
        names = iter(rng.sample([f"{f} {la}" for f in FIRST for la in LAST], 80))
        for team_id, team in enumerate(rng.sample(TEAMS, n_teams), 1):
            self.db.execute("INSERT INTO teams VALUES (?, ?)", (team_id, team))
            for _ in range(rng.randint(4, 7)):
                name = next(names)
                self.db.execute("INSERT INTO people (name, email, team_id, capacity) VALUES (?, ?, ?, ?)",
                                (name, name.lower().replace(" ", ".") + "@example.org", team_id,
                                 rng.choice(CAPACITIES)))
        start = dt.date(2026, 1, 5) + dt.timedelta(weeks=rng.randint(0, 30))
        wip: dict[int, int] = {}  # tickets in progress per person, across projects
        for project_id, (key, title) in enumerate(rng.sample(PROJECTS, n_projects), 1):
            team_id = rng.randint(1, n_teams)
            members = [r["id"] for r in self.rows("SELECT id FROM people WHERE team_id = ?", team_id)]
            self.db.execute("INSERT INTO projects VALUES (?, ?, ?, ?, ?)",
                            (project_id, key, title, team_id, rng.choice(members)))
            first = rng.randint(3, 20)
            for k, status in enumerate(["closed", "closed", "active", "planned"]):
                begin = start + dt.timedelta(weeks=2 * (k - 2))
                self.db.execute("INSERT INTO sprints (project_id, name, start_date, end_date, status) "
                                "VALUES (?, ?, ?, ?, ?)", (project_id, f"{key} Sprint {first + k}",
                                                           begin.isoformat(),
                                                           (begin + dt.timedelta(days=13)).isoformat(), status))
            self._build_tickets(rng, project_id, key, members, rng.randint(*per_project), wip)
        for t in rng.sample(self.rows("SELECT id, assignee_id FROM tickets WHERE assignee_id IS NOT NULL"), 40):
            self.db.execute("INSERT INTO comments (ticket_id, author_id, body) VALUES (?, ?, ?)",
                            (t["id"], t["assignee_id"], rng.choice(["Looking into it.", "Blocked on review.",
                                                                    "Repro steps added.", "Needs design input.",
                                                                    "Should be quick."])))
        problems = self.rows("SELECT * FROM policy_violations")
        assert not problems, f"built tracker breaks its own policy: {problems[:3]}"

    def _build_tickets(self, rng: random.Random, project_id: int, key: str, members: list[int], count: int,
                       wip: dict[int, int]) -> None:
        sprints = {r["status"] if r["status"] != "closed" else f"closed{r['id']}": r["id"] for r in self.rows(
            "SELECT id, status FROM sprints WHERE project_id = ? ORDER BY id", project_id)}
        closed = [v for k, v in sprints.items() if k.startswith("closed")]
        load: dict[tuple[int, int], int] = {}
        for n in range(1, count + 1):
            where = rng.choices(["closed", "active", "planned", "backlog"], [3, 4, 2, 4])[0]
            sprint = {"closed": rng.choice(closed), "active": sprints["active"], "planned": sprints["planned"],
                      "backlog": None}[where]
            if where == "closed":
                status = "done"
            elif where == "active":
                status = rng.choice(STATUSES)
            else:
                status = "todo"
            estimate = rng.choice(POINTS) if where != "backlog" or rng.random() < 0.8 else None
            assignee = rng.choice(members) if rng.random() < (0.4 if where == "backlog" else 0.85) else None
            if assignee and status != "done" and sprint:
                if load.get((assignee, sprint), 0) + (estimate or 0) > self._capacity(assignee):
                    assignee = None
                else:
                    load[(assignee, sprint)] = load.get((assignee, sprint), 0) + (estimate or 0)
            if status == "in_progress" and (assignee is None or wip.get(assignee, 0) >= WIP_LIMIT):
                status = "todo"
            if status == "in_progress":
                wip[assignee] = wip.get(assignee, 0) + 1
            cur = self.db.execute(
                "INSERT INTO tickets (key, project_id, title, type, status, priority, estimate, assignee_id, "
                "sprint_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (f"{key}-{n}", project_id, f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}", rng.choice(TYPES),
                 status, rng.choices(PRIORITIES, [2, 3, 4, 2])[0], estimate, assignee, sprint))
            if n > 3 and rng.random() < 0.3:
                earlier = self.rows("SELECT id, status FROM tickets WHERE project_id = ? AND id < ?", project_id,
                                    cur.lastrowid)
                if status != "todo":
                    earlier = [e for e in earlier if e["status"] == "done"]
                for b in rng.sample(earlier, min(len(earlier), rng.choice([1, 1, 2]))):
                    self.db.execute("INSERT INTO dependencies (ticket_id, blocked_by_id) VALUES (?, ?)",
                                    (cur.lastrowid, b["id"]))

    def _capacity(self, pid: int) -> int:
        return self.db.execute("SELECT capacity FROM people WHERE id = ?", (pid,)).fetchone()[0]

    # ---- lookups shared by tools and proposers -------------------------------------------------------

    def _ticket(self, key: str) -> dict:
        row = self.db.execute("SELECT * FROM tickets WHERE upper(key) = upper(?)", (key.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"no ticket {key!r}; search_tickets lists ticket keys")
        return dict(row)

    def _person(self, name: str) -> dict:
        row = self.db.execute("SELECT * FROM people WHERE lower(name) = lower(?)", (name.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"unknown person {name!r}; call list_people to see everyone's full name")
        return dict(row)

    def _sprint(self, name: str) -> dict:
        row = self.db.execute("SELECT * FROM sprints WHERE lower(name) = lower(?)", (name.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"unknown sprint {name!r}; call list_sprints to see a project's sprints")
        return dict(row)

    def _load(self, pid: int, sprint_id: int) -> int:
        row = self.db.execute("SELECT points FROM sprint_load WHERE assignee_id = ? AND sprint_id = ?",
                              (pid, sprint_id)).fetchone()
        return row[0] if row else 0

    def _open_blockers(self, ticket_id: int) -> list[dict]:
        return self.rows("SELECT b.* FROM dependencies d JOIN tickets b ON b.id = d.blocked_by_id "
                         "WHERE d.ticket_id = ? AND b.status != 'done' ORDER BY b.id", ticket_id)

    def _view(self, ticket_id: int) -> dict:
        t = dict(self.db.execute(
            "SELECT t.key, t.title, t.type, t.status, t.priority, t.estimate, p.name AS assignee, s.name AS sprint, "
            "j.key AS project FROM tickets t JOIN projects j ON j.id = t.project_id LEFT JOIN people p "
            "ON p.id = t.assignee_id LEFT JOIN sprints s ON s.id = t.sprint_id WHERE t.id = ?",
            (ticket_id,)).fetchone())
        t["blocked_by"] = self.rows("SELECT b.key, b.status FROM dependencies d JOIN tickets b "
                                    "ON b.id = d.blocked_by_id WHERE d.ticket_id = ? ORDER BY b.id", ticket_id)
        t["blocks"] = [r["key"] for r in self.rows("SELECT t.key FROM dependencies d JOIN tickets t "
                                                   "ON t.id = d.ticket_id WHERE d.blocked_by_id = ? ORDER BY t.id",
                                                   ticket_id)]
        return t

    def _editable(self, key: str) -> dict:
        t = self._ticket(key)
        if t["status"] == "done":
            raise ValueError(f"{t['key']} is done; done tickets cannot be changed")
        if t["sprint_id"] and self.db.execute("SELECT status FROM sprints WHERE id = ?",
                                              (t["sprint_id"],)).fetchone()[0] == "closed":
            raise ValueError(f"{t['key']} is in a closed sprint and cannot be changed")
        return t

    def _enforce(self) -> None:
        problems = self.rows("SELECT rule, detail FROM policy_violations ORDER BY rule, detail")
        if problems:
            raise ValueError("not allowed by the tracker policy: "
                             + "; ".join(f"{p['rule']}: {p['detail']}" for p in problems))

    # ---- read tools ---------------------------------------------------------------------------------

    @tool("read")
    def list_projects(self) -> list[dict]:
        """List the projects with their key, owning team and lead."""
        return self.rows("SELECT j.key, j.name, t.name AS team, p.name AS lead FROM projects j JOIN teams t "
                         "ON t.id = j.team_id JOIN people p ON p.id = j.lead_id ORDER BY j.key")

    @tool("read")
    def list_people(self, team: str | None = None) -> list[dict]:
        """List people with their team and per-sprint capacity in story points, optionally of one team.

        Args:
            team: Team name to filter by.
        """
        if team and not self.db.execute("SELECT 1 FROM teams WHERE lower(name) = lower(?)", (team,)).fetchone():
            raise ValueError(f"unknown team {team!r}; list_projects shows the team names")
        return self.rows("SELECT p.name, t.name AS team, p.capacity FROM people p JOIN teams t ON t.id = p.team_id "
                         "WHERE ? IS NULL OR lower(t.name) = lower(?) ORDER BY p.name", team or None, team or None)

    @tool("read")
    def list_sprints(self, project: str) -> list[dict]:
        """The sprints of a project with dates and status (closed, active, planned).

        Args:
            project: Project key, e.g. PAY.
        """
        row = self.db.execute("SELECT id FROM projects WHERE upper(key) = upper(?)", (project.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"unknown project {project!r}; call list_projects")
        return self.rows("SELECT name, start_date, end_date, status FROM sprints WHERE project_id = ? ORDER BY id",
                         row[0])

    @tool("read")
    def get_sprint(self, sprint: str) -> dict:
        """One sprint: dates, status, its tickets, and each assignee's load (open points) against capacity.

        Args:
            sprint: Sprint name, e.g. PAY Sprint 14.
        """
        s = self._sprint(sprint)
        tickets = [self._view(r["id"]) for r in self.rows("SELECT id FROM tickets WHERE sprint_id = ? ORDER BY id",
                                                          s["id"])]
        for t in tickets:
            t.pop("blocks")
        loads = self.rows("SELECT p.name, l.points AS open_points, p.capacity FROM sprint_load l JOIN people p "
                          "ON p.id = l.assignee_id WHERE l.sprint_id = ? ORDER BY p.name", s["id"])
        return {"name": s["name"], "start_date": s["start_date"], "end_date": s["end_date"], "status": s["status"],
                "tickets": tickets, "loads": loads}

    @tool("read")
    def search_tickets(self, project: str | None = None, status: str | None = None, assignee: str | None = None,
                       sprint: str | None = None, priority: str | None = None, ticket_type: str | None = None,
                       backlog_only: bool = False) -> list[dict]:
        """Find tickets by any combination of filters. Returns key, title, type, status, priority, estimate,
        assignee and sprint.

        Args:
            project: Project key.
            status: todo, in_progress, review or done.
            assignee: Assignee's full name.
            sprint: Sprint name.
            priority: P1, P2, P3 or P4.
            ticket_type: bug, story or task.
            backlog_only: Only tickets not in any sprint.
        """
        where, args = ["1"], []
        if project:
            where.append("upper(j.key) = upper(?)")
            args.append(project.strip())
        if status:
            if status not in STATUSES:
                raise ValueError(f"status must be one of {', '.join(STATUSES)}")
            where.append("t.status = ?")
            args.append(status)
        if assignee:
            where.append("t.assignee_id = ?")
            args.append(self._person(assignee)["id"])
        if sprint:
            where.append("t.sprint_id = ?")
            args.append(self._sprint(sprint)["id"])
        if priority:
            where.append("t.priority = upper(?)")
            args.append(priority.strip())
        if ticket_type:
            where.append("t.type = lower(?)")
            args.append(ticket_type.strip())
        if backlog_only:
            where.append("t.sprint_id IS NULL")
        return self.rows(
            "SELECT t.key, t.title, t.type, t.status, t.priority, t.estimate, p.name AS assignee, s.name AS sprint "
            "FROM tickets t JOIN projects j ON j.id = t.project_id LEFT JOIN people p ON p.id = t.assignee_id "
            f"LEFT JOIN sprints s ON s.id = t.sprint_id WHERE {' AND '.join(where)} ORDER BY t.id", *args)

    @tool("read")
    def get_ticket(self, key: str) -> dict:
        """One ticket in full, with the tickets blocking it (and their status) and the tickets it blocks.

        Args:
            key: Ticket key, e.g. PAY-12.
        """
        return self._view(self._ticket(key)["id"])

    @tool("read")
    def get_workload(self, person: str, sprint: str) -> dict:
        """A person's open points in a sprint, their capacity and what is left.

        Args:
            person: Full name.
            sprint: Sprint name.
        """
        p, s = self._person(person), self._sprint(sprint)
        load = self._load(p["id"], s["id"])
        return {"person": p["name"], "sprint": s["name"], "open_points": load, "capacity": p["capacity"],
                "spare": p["capacity"] - load}

    # ---- write tools --------------------------------------------------------------------------------

    @tool("write")
    def assign_ticket(self, key: str, person: str | None = None) -> dict:
        """Set a ticket's assignee, or clear it when person is omitted. Refused if it breaks capacity.

        Args:
            key: Ticket key.
            person: Full name of the new assignee; omit to unassign.
        """
        t = self._editable(key)
        pid = self._person(person)["id"] if person else None
        self.db.execute("UPDATE tickets SET assignee_id = ? WHERE id = ?", (pid, t["id"]))
        self._enforce()
        return self._view(t["id"])

    @tool("write")
    def set_status(self, key: str, status: str) -> dict:
        """Change a ticket's status (todo, in_progress, review, done). Refused if a blocker is not done.

        Args:
            key: Ticket key.
            status: New status.
        """
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}")
        t = self._editable(key)
        self.db.execute("UPDATE tickets SET status = ? WHERE id = ?", (status, t["id"]))
        self._enforce()
        return self._view(t["id"])

    @tool("write")
    def set_priority(self, key: str, priority: str) -> dict:
        """Change a ticket's priority.

        Args:
            key: Ticket key.
            priority: P1, P2, P3 or P4.
        """
        if priority not in PRIORITIES:
            raise ValueError("priority must be P1, P2, P3 or P4")
        t = self._editable(key)
        self.db.execute("UPDATE tickets SET priority = ? WHERE id = ?", (priority, t["id"]))
        return self._view(t["id"])

    @tool("write")
    def set_estimate(self, key: str, points: int) -> dict:
        """Set a ticket's estimate in story points. Refused if it pushes the assignee over capacity.

        Args:
            key: Ticket key.
            points: One of 1, 2, 3, 5, 8.
        """
        if points not in POINTS:
            raise ValueError("points must be one of 1, 2, 3, 5, 8")
        t = self._editable(key)
        self.db.execute("UPDATE tickets SET estimate = ? WHERE id = ?", (points, t["id"]))
        self._enforce()
        return self._view(t["id"])

    @tool("write")
    def move_ticket(self, key: str, sprint: str | None = None) -> dict:
        """Put a ticket into a planned or active sprint of its project, or back to the backlog when sprint is
        omitted. Refused if it pushes the assignee over capacity.

        Args:
            key: Ticket key.
            sprint: Sprint name; omit for the backlog.
        """
        t = self._editable(key)
        sprint_id = None
        if sprint:
            s = self._sprint(sprint)
            if s["status"] == "closed":
                raise ValueError(f"{s['name']} is closed; pick a planned or active sprint")
            sprint_id = s["id"]
        self.db.execute("UPDATE tickets SET sprint_id = ? WHERE id = ?", (sprint_id, t["id"]))
        self._enforce()
        return self._view(t["id"])

    @tool("write")
    def close_sprint(self, sprint: str) -> dict:
        """Close a sprint. Refused while any of its tickets is not done.

        Args:
            sprint: Sprint name.
        """
        s = self._sprint(sprint)
        if s["status"] == "closed":
            raise ValueError(f"{s['name']} is already closed")
        left = self.rows("SELECT key FROM tickets WHERE sprint_id = ? AND status != 'done' ORDER BY id", s["id"])
        if left:
            raise ValueError(f"{s['name']} still has unfinished tickets: {', '.join(r['key'] for r in left)}")
        self.db.execute("UPDATE sprints SET status = 'closed' WHERE id = ?", (s["id"],))
        return {"name": s["name"], "status": "closed"}

    @tool("write")
    def add_comment(self, key: str, author: str, text: str) -> dict:
        """Add a comment to a ticket.

        Args:
            key: Ticket key.
            author: Full name of the author.
            text: Comment text.
        """
        t, p = self._ticket(key), self._person(author)
        if not text.strip():
            raise ValueError("the comment is empty")
        cur = self.db.execute("INSERT INTO comments (ticket_id, author_id, body) VALUES (?, ?, ?)",
                              (t["id"], p["id"], text.strip()))
        return {"id": cur.lastrowid, "ticket": t["key"], "author": p["name"], "text": text.strip()}

    # ---- proposer helpers ---------------------------------------------------------------------------

    def _rules(self) -> dict:
        return {"wip_limit": WIP_LIMIT if "wip_limit" in self.variant.rules else None,
                "estimate_required": "estimate_required" in self.variant.rules}

    def _sprint_of(self, rng: random.Random, status: str) -> dict:
        return rng.choice(self.rows("SELECT s.*, j.key AS project, j.team_id FROM sprints s JOIN projects j "
                                    "ON j.id = s.project_id WHERE s.status = ? ORDER BY s.id", status))

    def _team_name(self, team_id: int) -> str:
        return self.db.execute("SELECT name FROM teams WHERE id = ?", (team_id,)).fetchone()[0]

    def _keys(self, project_id: int) -> list[str]:
        return [r["key"] for r in self.rows("SELECT key FROM tickets WHERE project_id = ? ORDER BY id", project_id)]

    def _names(self) -> list[str]:
        return [r["name"] for r in self.rows("SELECT name FROM people ORDER BY name")]

    def _spare(self, team_id: int, sprint_id: int) -> dict[int, int]:
        return {p["id"]: p["capacity"] - self._load(p["id"], sprint_id)
                for p in self.rows("SELECT id, capacity FROM people WHERE team_id = ? ORDER BY id", team_id)}

    def _replay(self, steps) -> bool:
        """Run a reference plan through the write tools, then roll it back; False when a step is refused."""
        try:
            steps()
            return True
        except (ValueError, StopIteration):
            return False
        finally:
            self.db.rollback()

    # ---- proposers: lookups -------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_ticket_assignee(self, rng: random.Random) -> TaskDraft | None:
        t = rng.choice(self.rows("SELECT t.key, p.name FROM tickets t JOIN people p ON p.id = t.assignee_id "
                                 "ORDER BY t.id"))
        return TaskDraft(
            shape="ticket_assignee",
            instruction=self.render("ticket_assignee", rng, key=t["key"]),
            solution=Program.of(solve_ticket_field, key=t["key"], field="assignee"),
            verifier=Program.of(verify_names, expected=[t["name"]], candidates=self._names()),
            tools=("get_ticket", "search_tickets", "list_people"),
        )

    @proposer(difficulty=1)
    def propose_ticket_estimate(self, rng: random.Random) -> TaskDraft | None:
        t = rng.choice(self.rows("SELECT key, estimate FROM tickets WHERE estimate IS NOT NULL ORDER BY id"))
        return TaskDraft(
            shape="ticket_estimate",
            instruction=self.render("ticket_estimate", rng, key=t["key"]),
            solution=Program.of(solve_ticket_field, key=t["key"], field="estimate"),
            verifier=Program.of(verify_number, expected=t["estimate"]),
            tools=("get_ticket", "search_tickets"),
        )

    # ---- proposers: aggregation ---------------------------------------------------------------------

    @proposer(difficulty=2)
    def propose_sprint_remaining(self, rng: random.Random) -> TaskDraft | None:
        s = self._sprint_of(rng, rng.choice(["active", "active", "planned"]))
        total = self.db.execute("SELECT SUM(COALESCE(estimate, 0)) FROM tickets WHERE sprint_id = ? AND "
                                "status != 'done'", (s["id"],)).fetchone()[0]
        if not total:
            return None
        return TaskDraft(
            shape="sprint_remaining",
            instruction=self.render("sprint_remaining", rng, sprint=s["name"]),
            solution=Program.of(solve_sprint_remaining, sprint=s["name"]),
            verifier=Program.of(verify_number, expected=total),
            tools=("get_sprint", "search_tickets", "list_sprints"),
        )

    @proposer(difficulty=2)
    def propose_blocked_in_sprint(self, rng: random.Random) -> TaskDraft | None:
        s = self._sprint_of(rng, rng.choice(["active", "planned"]))
        blocked = [t["key"] for t in self.rows("SELECT id, key FROM tickets WHERE sprint_id = ? ORDER BY id", s["id"])
                   if self._open_blockers(t["id"])]
        if not blocked:
            return None
        return TaskDraft(
            shape="blocked_in_sprint",
            instruction=self.render("blocked_in_sprint", rng, sprint=s["name"]),
            solution=Program.of(solve_blocked_in_sprint, sprint=s["name"]),
            verifier=Program.of(verify_names, expected=blocked, candidates=self._keys(s["project_id"])),
            tools=("get_sprint", "get_ticket", "search_tickets"),
        )

    @proposer(difficulty=2)
    def propose_most_loaded(self, rng: random.Random) -> TaskDraft | None:
        s = self._sprint_of(rng, rng.choice(["active", "planned"]))
        loads = self.rows("SELECT p.name, l.points FROM sprint_load l JOIN people p ON p.id = l.assignee_id "
                          "WHERE l.sprint_id = ? ORDER BY l.points DESC", s["id"])
        if not loads or (len(loads) > 1 and loads[0]["points"] == loads[1]["points"]):
            return None
        return TaskDraft(
            shape="most_loaded",
            instruction=self.render("most_loaded", rng, sprint=s["name"]),
            solution=Program.of(solve_most_loaded, sprint=s["name"]),
            verifier=Program.of(verify_names, expected=[loads[0]["name"]], candidates=self._names()),
            tools=("get_sprint", "search_tickets", "get_workload", "list_people"),
        )

    # ---- proposers: constrained changes -------------------------------------------------------------

    @proposer(difficulty=3)
    def propose_assign_spare(self, rng: random.Random) -> TaskDraft | None:
        s = self._sprint_of(rng, rng.choice(["active", "planned"]))
        open_ = self.rows("SELECT key, estimate FROM tickets WHERE sprint_id = ? AND assignee_id IS NULL AND "
                          "status != 'done' ORDER BY id", s["id"])
        if not open_:
            return None
        t = rng.choice(open_)
        spare = sorted(self._spare(s["team_id"], s["id"]).items(), key=lambda kv: -kv[1])
        if (len(spare) > 1 and spare[0][1] == spare[1][1]) or spare[0][1] < (t["estimate"] or 0):
            return None
        team = self._team_name(s["team_id"])
        return TaskDraft(
            shape="assign_spare",
            instruction=self.render("assign_spare", rng, key=t["key"], team=team, sprint=s["name"]),
            solution=Program.of(solve_assign_spare, key=t["key"], team=team, sprint=s["name"]),
            verifier=Program.of(verify_ticket_changes, expected={t["key"]: {"assignee_id": spare[0][0]}}),
            tools=("list_people", "get_sprint", "get_workload", "get_ticket", "assign_ticket"),
        )

    @proposer(difficulty=3)
    def propose_promote_bugs(self, rng: random.Random) -> TaskDraft | None:
        s = self._sprint_of(rng, rng.choice(["active", "planned"]))
        low, new = rng.choice([("P3", "P2"), ("P3", "P1"), ("P4", "P3"), ("P4", "P2"), ("P2", "P1")])
        bugs = self.rows("SELECT key FROM tickets WHERE sprint_id = ? AND type = 'bug' AND status != 'done' AND "
                         "priority >= ? ORDER BY id", s["id"], low)
        if not bugs:
            return None
        return TaskDraft(
            shape="promote_bugs",
            instruction=self.render("promote_bugs", rng, sprint=s["name"], low=low, new=new),
            solution=Program.of(solve_promote_bugs, sprint=s["name"], low=low, new=new),
            verifier=Program.of(verify_ticket_changes, expected={b["key"]: {"priority": new} for b in bugs}),
            tools=("get_sprint", "search_tickets", "get_ticket", "set_priority"),
        )

    @proposer(difficulty=3)
    def propose_start_ready(self, rng: random.Random) -> TaskDraft | None:
        s = self._sprint_of(rng, "active")
        owners = self.rows("SELECT DISTINCT p.id, p.name FROM tickets t JOIN people p ON p.id = t.assignee_id "
                           "WHERE t.sprint_id = ? AND t.status = 'todo' ORDER BY p.id", s["id"])
        if not owners:
            return None
        person = rng.choice(owners)
        ready = [t for t in self.rows("SELECT id, key, priority FROM tickets WHERE sprint_id = ? AND assignee_id = ? "
                                      "AND status = 'todo' ORDER BY id", s["id"], person["id"])
                 if not self._open_blockers(t["id"])]
        limit = self._rules()["wip_limit"]
        running = self.db.execute("SELECT COUNT(*) FROM tickets WHERE assignee_id = ? AND status = 'in_progress'",
                                  (person["id"],)).fetchone()[0]
        room = len(ready) if limit is None else max(0, limit - running)
        if not ready or room == 0:
            return None
        spec = {"person": person["name"], "sprint": s["name"]}
        return TaskDraft(
            shape="start_ready",
            instruction=self.render("start_ready", rng, **spec),
            solution=Program.of(solve_start_ready, **spec, **self._rules()),
            verifier=Program.of(verify_start_ready, ready={t["key"]: _rank(t["priority"]) for t in ready},
                                count=min(room, len(ready))),
            tools=("get_sprint", "search_tickets", "get_ticket", "set_status"),
        )

    # ---- proposers: multi-step plans ----------------------------------------------------------------

    @proposer(difficulty=4)
    def propose_fill_sprint(self, rng: random.Random) -> TaskDraft | None:
        s = self._sprint_of(rng, rng.choice(["planned", "planned", "active"]))
        rules = self._rules()
        pulled = [t for t in self.rows("SELECT * FROM tickets WHERE project_id = ? AND sprint_id IS NULL AND status "
                                       "!= 'done' AND priority IN ('P1', 'P2') ORDER BY id", s["project_id"])
                  if t["estimate"] is not None or not rules["estimate_required"]]
        if len(pulled) < 2:
            return None
        team = self._team_name(s["team_id"])

        def plan():  # biggest tickets first onto whoever has most room: a feasibility check
            spare = self._spare(s["team_id"], s["id"])
            for t in sorted(pulled, key=lambda t: -(t["estimate"] or 0)):
                if t["assignee_id"] is None:
                    pid = max(spare, key=lambda p: (spare[p], -p))
                    self.assign_ticket(t["key"], self.db.execute("SELECT name FROM people WHERE id = ?",
                                                                 (pid,)).fetchone()[0])
                    spare[pid] -= t["estimate"] or 0
                self.move_ticket(t["key"], s["name"])
        if not self._replay(plan):
            return None
        spec = {"project": s["project"], "sprint": s["name"], "team": team}
        return TaskDraft(
            shape="fill_sprint",
            instruction=self.render("fill_sprint", rng, **spec),
            solution=Program.of(solve_fill_sprint, **spec, **rules),
            verifier=Program.of(verify_placed, sprint_id=s["id"], team_id=s["team_id"],
                                tickets={t["key"]: {"sprint_id": s["id"], "priority": t["priority"],
                                                    "estimate": t["estimate"], "keep": t["assignee_id"]}
                                         for t in pulled}, reset=[]),
        )

    @proposer(difficulty=4)
    def propose_reassign_leave(self, rng: random.Random) -> TaskDraft | None:
        s = self._sprint_of(rng, "active")
        owners = self.rows("SELECT assignee_id, COUNT(*) AS n FROM tickets WHERE sprint_id = ? AND status != 'done' "
                           "AND assignee_id IS NOT NULL GROUP BY assignee_id HAVING n >= 2 ORDER BY assignee_id",
                           s["id"])
        if not owners:
            return None
        pid = rng.choice(owners)["assignee_id"]
        person = self.db.execute("SELECT name, team_id FROM people WHERE id = ?", (pid,)).fetchone()
        mine = self.rows("SELECT * FROM tickets WHERE sprint_id = ? AND assignee_id = ? AND status != 'done' "
                         "ORDER BY id", s["id"], pid)

        def plan():
            spare = {p: v for p, v in self._spare(person["team_id"], s["id"]).items() if p != pid}
            for t in sorted(mine, key=lambda t: -(t["estimate"] or 0)):
                if t["status"] != "todo":
                    self.set_status(t["key"], "todo")
                to = max(spare, key=lambda p: (spare[p], -p))
                self.assign_ticket(t["key"], self.db.execute("SELECT name FROM people WHERE id = ?",
                                                             (to,)).fetchone()[0])
                spare[to] -= t["estimate"] or 0
        if not self._replay(plan):
            return None
        spec = {"person": person["name"], "sprint": s["name"]}
        return TaskDraft(
            shape="reassign_leave",
            instruction=self.render("reassign_leave", rng, **spec),
            solution=Program.of(solve_reassign_leave, **spec),
            verifier=Program.of(verify_placed, sprint_id=s["id"], team_id=person["team_id"], away=pid,
                                tickets={t["key"]: {"sprint_id": s["id"], "priority": t["priority"],
                                                    "estimate": t["estimate"], "keep": None} for t in mine},
                                reset=[t["key"] for t in mine if t["status"] != "todo"]),
        )

    @proposer(difficulty=5)
    def propose_close_sprint(self, rng: random.Random) -> TaskDraft | None:
        s = self._sprint_of(rng, "active")
        nxt = self.db.execute("SELECT * FROM sprints WHERE project_id = ? AND status = 'planned'",
                              (s["project_id"],)).fetchone()
        tickets = self.rows("SELECT * FROM tickets WHERE sprint_id = ? AND status != 'done' ORDER BY id", s["id"])
        finish = [t["key"] for t in tickets if t["status"] == "review" and not self._open_blockers(t["id"])]
        carry = [t for t in tickets if t["key"] not in finish]
        if not finish or len(carry) < 2:
            return None

        def plan():
            for key in finish:
                self.set_status(key, "done")
            for t in carry:
                if t["assignee_id"] and self._load(t["assignee_id"], nxt["id"]) + (t["estimate"] or 0) > \
                        self._capacity(t["assignee_id"]):
                    self.assign_ticket(t["key"], None)
                self.move_ticket(t["key"], nxt["name"])
            self.close_sprint(s["name"])
        if not self._replay(plan):
            return None
        spec = {"sprint": s["name"], "next": nxt["name"]}
        return TaskDraft(
            shape="close_sprint",
            instruction=self.render("close_sprint", rng, **spec),
            solution=Program.of(solve_close_sprint, **spec),
            verifier=Program.of(verify_close_sprint, sprint_id=s["id"], next_id=nxt["id"], finish=finish,
                                carry=[t["key"] for t in carry]),
        )

    @proposer(difficulty=5)
    def propose_expedite(self, rng: random.Random) -> TaskDraft | None:
        s = self._sprint_of(rng, "active")
        backlog = self.rows("SELECT t.id, t.key FROM tickets t WHERE t.project_id = ? AND t.sprint_id IS NULL AND "
                            "t.status = 'todo' AND EXISTS (SELECT 1 FROM dependencies d JOIN tickets b ON "
                            "b.id = d.blocked_by_id WHERE d.ticket_id = t.id AND b.status != 'done') ORDER BY t.id",
                            s["project_id"])
        if not backlog:
            return None
        root = rng.choice(backlog)
        chain, todo = [], [root["id"]]
        while todo:
            tid = todo.pop()
            if tid not in chain:
                chain.append(tid)
                todo += [b["id"] for b in self._open_blockers(tid)]
        tickets = [dict(self.db.execute("SELECT * FROM tickets WHERE id = ?", (tid,)).fetchone()) for tid in chain]
        if any(t["sprint_id"] and self.db.execute("SELECT status FROM sprints WHERE id = ?", (t["sprint_id"],))
               .fetchone()[0] == "closed" for t in tickets):
            return None
        points, team = rng.choice([2, 3, 5]), self._team_name(s["team_id"])

        def plan():
            spare = self._spare(s["team_id"], s["id"])
            for t in sorted(tickets, key=lambda t: -(t["estimate"] or points)):
                if t["estimate"] is None:
                    self.set_estimate(t["key"], points)
                if t["assignee_id"] is None:
                    pid = max(spare, key=lambda p: (spare[p], -p))
                    self.assign_ticket(t["key"], self.db.execute("SELECT name FROM people WHERE id = ?",
                                                                 (pid,)).fetchone()[0])
                    spare[pid] -= t["estimate"] or points
                self.move_ticket(t["key"], s["name"])
                self.set_priority(t["key"], "P1")
        if not self._replay(plan):
            return None
        spec = {"key": root["key"], "sprint": s["name"], "team": team, "points": points}
        return TaskDraft(
            shape="expedite",
            instruction=self.render("expedite", rng, **spec),
            solution=Program.of(solve_expedite, **spec),
            verifier=Program.of(verify_placed, sprint_id=s["id"], team_id=s["team_id"], reset=[],
                                tickets={t["key"]: {"sprint_id": s["id"], "priority": "P1",
                                                    "estimate": t["estimate"] or points, "keep": t["assignee_id"]}
                                         for t in tickets}),
        )


# ---- solutions: tools and computation only --------------------------------------------------------

def solve_ticket_field(tools, params):
    return tools.get_ticket(key=params["key"])[params["field"]]


def solve_sprint_remaining(tools, params):
    sprint = tools.get_sprint(sprint=params["sprint"])
    return sum(t["estimate"] or 0 for t in sprint["tickets"] if t["status"] != "done")


def solve_blocked_in_sprint(tools, params):
    sprint = tools.get_sprint(sprint=params["sprint"])
    keys = [t["key"] for t in sprint["tickets"] if any(b["status"] != "done" for b in t["blocked_by"])]
    return ", ".join(keys)


def solve_most_loaded(tools, params):
    loads = tools.get_sprint(sprint=params["sprint"])["loads"]
    return max(loads, key=lambda l: l["open_points"])["name"]


def solve_assign_spare(tools, params):
    sprint = tools.get_sprint(sprint=params["sprint"])
    load = {l["name"]: l["open_points"] for l in sprint["loads"]}
    people = tools.list_people(team=params["team"])
    best = max(people, key=lambda p: p["capacity"] - load.get(p["name"], 0))
    tools.assign_ticket(key=params["key"], person=best["name"])
    return f"Assigned {params['key']} to {best['name']}"


def solve_promote_bugs(tools, params):
    order = ["P1", "P2", "P3", "P4"]
    bugs = [t for t in tools.search_tickets(sprint=params["sprint"], ticket_type="bug")
            if t["status"] != "done" and order.index(t["priority"]) >= order.index(params["low"])]
    for bug in bugs:
        tools.set_priority(key=bug["key"], priority=params["new"])
    return f"Raised {len(bugs)} bugs to {params['new']}"


def solve_start_ready(tools, params):
    order = ["P1", "P2", "P3", "P4"]
    mine = tools.search_tickets(sprint=params["sprint"], assignee=params["person"])
    ready = [t for t in mine if t["status"] == "todo"
             and all(b["status"] == "done" for b in tools.get_ticket(key=t["key"])["blocked_by"])]
    room = len(ready)
    if params["wip_limit"] is not None:
        running = len(tools.search_tickets(assignee=params["person"], status="in_progress"))
        room = min(room, params["wip_limit"] - running)
    started = sorted(ready, key=lambda t: order.index(t["priority"]))[:room]
    for t in started:
        tools.set_status(key=t["key"], status="in_progress")
    return f"Started {', '.join(t['key'] for t in started)}"


def solve_fill_sprint(tools, params):
    sprint = tools.get_sprint(sprint=params["sprint"])
    load = {l["name"]: l["open_points"] for l in sprint["loads"]}
    spare = {p["name"]: p["capacity"] - load.get(p["name"], 0) for p in tools.list_people(team=params["team"])}
    backlog = [t for t in tools.search_tickets(project=params["project"], backlog_only=True)
               if t["status"] != "done" and t["priority"] in ("P1", "P2")
               and (t["estimate"] is not None or not params["estimate_required"])]
    for t in sorted(backlog, key=lambda t: -(t["estimate"] or 0)):
        if t["assignee"] is None:
            owner = max(sorted(spare), key=lambda name: spare[name])
            tools.assign_ticket(key=t["key"], person=owner)
            spare[owner] -= t["estimate"] or 0
        tools.move_ticket(key=t["key"], sprint=params["sprint"])
    return f"Moved {len(backlog)} tickets into {params['sprint']}"


def solve_reassign_leave(tools, params):
    sprint = tools.get_sprint(sprint=params["sprint"])
    load = {l["name"]: l["open_points"] for l in sprint["loads"]}
    mine = [t for t in sprint["tickets"] if t["assignee"] == params["person"] and t["status"] != "done"]
    team = next(p["team"] for p in tools.list_people() if p["name"] == params["person"])
    spare = {p["name"]: p["capacity"] - load.get(p["name"], 0) for p in tools.list_people(team=team)
             if p["name"] != params["person"]}
    for t in sorted(mine, key=lambda t: -(t["estimate"] or 0)):
        if t["status"] != "todo":
            tools.set_status(key=t["key"], status="todo")
        owner = max(sorted(spare), key=lambda name: spare[name])
        tools.assign_ticket(key=t["key"], person=owner)
        spare[owner] -= t["estimate"] or 0
    return f"Reassigned {len(mine)} tickets"


def solve_close_sprint(tools, params):
    sprint = tools.get_sprint(sprint=params["sprint"])
    nxt = tools.get_sprint(sprint=params["next"])
    load = {l["name"]: l["open_points"] for l in nxt["loads"]}
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
    sprint = tools.get_sprint(sprint=params["sprint"])
    load = {l["name"]: l["open_points"] for l in sprint["loads"]}
    spare = {p["name"]: p["capacity"] - load.get(p["name"], 0) for p in tools.list_people(team=params["team"])}
    for t in sorted(chain.values(), key=lambda t: -(t["estimate"] or params["points"])):
        if t["estimate"] is None:
            tools.set_estimate(key=t["key"], points=params["points"])
        if t["assignee"] is None:
            owner = max(sorted(spare), key=lambda name: spare[name])
            tools.assign_ticket(key=t["key"], person=owner)
            spare[owner] -= t["estimate"] or params["points"]
        tools.move_ticket(key=t["key"], sprint=params["sprint"])
        tools.set_priority(key=t["key"], priority="P1")
    return f"Expedited {', '.join(chain)}"


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_ticket_changes(outcome, params):
    """Exactly the listed tickets changed, each only in the listed columns and to the listed values."""
    from verifiers.state import diff_table, unchanged

    added, removed, changed = diff_table(outcome.initial, outcome.db, "tickets")
    before = {t["id"]: t for t in outcome.initial_rows("SELECT * FROM tickets")}
    reasons = [] if not (added or removed) else ["tickets were created or deleted"]
    got = {t["key"]: t for t in changed}
    if set(got) != set(params["expected"]):
        reasons.append(f"changed tickets {sorted(got)}, expected {sorted(params['expected'])}")
    for key, want in params["expected"].items():
        new = got.get(key)
        if new is not None and {**before[new["id"]], **want} != new:
            reasons.append(f"{key} should have exactly {want}")
    reasons += [f"{t} changed" for t in unchanged(outcome.initial, outcome.db, ["sprints", "dependencies"])]
    return not reasons, reasons


def verify_start_ready(outcome, params):
    from verifiers.state import diff_table

    added, removed, changed = diff_table(outcome.initial, outcome.db, "tickets")
    before = {t["id"]: t for t in outcome.initial_rows("SELECT * FROM tickets")}
    started = [t["key"] for t in changed if t["status"] == "in_progress"
               and {**before[t["id"]], "status": "in_progress"} == t]
    reasons = []
    if added or removed or len(started) != len(changed) or not set(started) <= set(params["ready"]):
        reasons.append("only ready tickets should change, and only to in_progress")
    if len(started) != params["count"]:
        reasons.append(f"started {len(started)} tickets, expected {params['count']}")
    waiting = [k for k in params["ready"] if k not in started]
    if started and waiting and min(params["ready"][k] for k in waiting) < max(params["ready"][k] for k in started):
        reasons.append("a higher-priority ready ticket was left in todo")
    reasons += [f"policy: {v['rule']} ({v['detail']})" for v in outcome.rows("SELECT * FROM policy_violations")]
    return not reasons, reasons


def verify_placed(outcome, params):
    """The listed tickets sit where they should, with an assignee from the team (the kept one where given)
    and nothing else changed; `reset` tickets are back in todo; `away` holds none of them."""
    from verifiers.state import diff_table, unchanged

    added, removed, changed = diff_table(outcome.initial, outcome.db, "tickets")
    before = {t["key"]: t for t in outcome.initial_rows("SELECT * FROM tickets")}
    team = {r["id"] for r in outcome.rows("SELECT id FROM people WHERE team_id = ?", params["team_id"])}
    reasons = [] if not (added or removed) else ["tickets were created or deleted"]
    if {t["key"] for t in changed} - set(params["tickets"]):
        reasons.append("tickets outside the task changed")
    final = {t["key"]: t for t in outcome.rows("SELECT * FROM tickets")}
    for key, want in params["tickets"].items():
        t, old = final[key], before[key]
        status = "todo" if key in params["reset"] else old["status"]
        if (t["sprint_id"], t["priority"], t["estimate"], t["status"]) != (
                want["sprint_id"], want["priority"], want["estimate"], status):
            reasons.append(f"{key} should be in sprint {want['sprint_id']} at {want['priority']}, estimate "
                           f"{want['estimate']}, status {status}")
        if want["keep"] is not None and t["assignee_id"] != want["keep"]:
            reasons.append(f"{key} should keep its assignee")
        if t["assignee_id"] not in team or t["assignee_id"] == params.get("away"):
            reasons.append(f"{key} needs an assignee from the team (not the one away)")
        if (t["title"], t["type"], t["project_id"]) != (old["title"], old["type"], old["project_id"]):
            reasons.append(f"{key} changed title, type or project")
    reasons += [f"policy: {v['rule']} ({v['detail']})" for v in outcome.rows("SELECT * FROM policy_violations")]
    reasons += [f"{t} changed" for t in unchanged(outcome.initial, outcome.db, ["sprints", "dependencies"])]
    return not reasons, reasons


def verify_close_sprint(outcome, params):
    from verifiers.state import diff_table, unchanged

    added, removed, changed = diff_table(outcome.initial, outcome.db, "tickets")
    before = {t["key"]: t for t in outcome.initial_rows("SELECT * FROM tickets")}
    final = {t["key"]: t for t in outcome.rows("SELECT * FROM tickets")}
    reasons = [] if not (added or removed) else ["tickets were created or deleted"]
    if {t["key"] for t in changed} - set(params["finish"]) - set(params["carry"]):
        reasons.append("tickets outside the sprint changed")
    for key in params["finish"]:
        if final[key] != {**before[key], "status": "done"}:
            reasons.append(f"{key} should be done and otherwise unchanged")
    capacity = {r["id"]: r["capacity"] for r in outcome.rows("SELECT id, capacity FROM people")}
    load = {r["assignee_id"]: r["points"] for r in outcome.rows("SELECT * FROM sprint_load WHERE sprint_id = ?",
                                                               params["next_id"])}
    for key in params["carry"]:
        t, old = final[key], before[key]
        if {**t, "sprint_id": old["sprint_id"], "assignee_id": old["assignee_id"]} != old or \
                t["sprint_id"] != params["next_id"]:
            reasons.append(f"{key} should move to the next sprint and otherwise stay the same")
        if t["assignee_id"] not in (None, old["assignee_id"]):
            reasons.append(f"{key} got a new assignee")
        if t["assignee_id"] is None and old["assignee_id"] is not None and \
                load.get(old["assignee_id"], 0) + (old["estimate"] or 0) <= capacity[old["assignee_id"]]:
            reasons.append(f"{key} was unassigned although its assignee had room for it")
    status = outcome.rows("SELECT status FROM sprints WHERE id = ?", params["sprint_id"])[0]["status"]
    if status != "closed":
        reasons.append("the sprint is not closed")
    s_added, s_removed, s_changed = diff_table(outcome.initial, outcome.db, "sprints")
    if s_added or s_removed or [s["id"] for s in s_changed] != [params["sprint_id"]]:
        reasons.append("only the finished sprint should change")
    reasons += [f"policy: {v['rule']} ({v['detail']})" for v in outcome.rows("SELECT * FROM policy_violations")]
    reasons += [f"{t} changed" for t in unchanged(outcome.initial, outcome.db, ["dependencies"])]
    return not reasons, reasons
