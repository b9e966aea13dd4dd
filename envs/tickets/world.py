"""Project tickets: teams with per-sprint capacity, projects, sprints, tickets with estimates and dependencies."""

from __future__ import annotations

import datetime as dt
import random

TEAMS = ["Backend", "Frontend", "Mobile", "Data", "Infra", "Growth", "Platform", "Quality"]
PROJECTS = [
    ("PAY", "Payments Revamp"),
    ("ONB", "Onboarding Flow"),
    ("SRC", "Search Upgrade"),
    ("MOB", "Mobile App 3.0"),
    ("DWH", "Data Warehouse"),
    ("NTF", "Notification Hub"),
    ("BIL", "Billing Engine"),
    ("ACC", "Accessibility Pass"),
    ("INF", "Infra Migration"),
]
FIRST = [
    "Arlo",
    "Bea",
    "Cyrus",
    "Dina",
    "Ezra",
    "Fern",
    "Gil",
    "Hedy",
    "Ira",
    "Juno",
    "Kemal",
    "Lior",
    "Maud",
    "Nico",
    "Odile",
    "Pax",
    "Rhea",
    "Soren",
    "Tove",
    "Ugo",
    "Vida",
    "Wynn",
    "Xena",
    "Yusuf",
    "Zora",
]
LAST = [
    "Ashdown",
    "Brightwater",
    "Coldridge",
    "Dunmore",
    "Everly",
    "Fairweather",
    "Greystone",
    "Hollins",
    "Ingleby",
    "Jessop",
    "Kettering",
    "Larkspur",
    "Merriweather",
    "Northcott",
    "Oakhurst",
    "Pemberton",
]
VERBS = ["Fix", "Add", "Refactor", "Remove", "Improve", "Document", "Test", "Migrate", "Speed up", "Redesign"]
OBJECTS = [
    "login form",
    "retry logic",
    "CSV export",
    "audit log",
    "rate limiter",
    "settings page",
    "cache layer",
    "webhook handler",
    "error banner",
    "search index",
    "invoice PDF",
    "dark mode",
    "push tokens",
    "session timeout",
    "feature flags",
    "sign-up email",
    "date picker",
    "API pagination",
    "upload widget",
    "health check",
    "billing cron",
    "admin filters",
    "password reset",
    "onboarding tour",
    "metrics dashboard",
]
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


class TicketsWorld:
    def build(self, rng: random.Random) -> None:
        self.db.executescript(SCHEMA + "".join(RULE_VIOLATIONS[r] for r in self.variant.rules) + ";")
        n_teams, n_projects, per_project = {
            "small": (3, 4, (30, 40)),
            "medium": (4, 5, (30, 42)),
            "large": (5, 7, (38, 52)),
        }[self.variant.scale]
        names = iter(rng.sample([f"{f} {la}" for f in FIRST for la in LAST], 80))
        for team_id, team in enumerate(rng.sample(TEAMS, n_teams), 1):
            self.db.execute("INSERT INTO teams VALUES (?, ?)", (team_id, team))
            for _ in range(rng.randint(4, 7)):
                name = next(names)
                self.db.execute(
                    "INSERT INTO people (name, email, team_id, capacity) VALUES (?, ?, ?, ?)",
                    (name, name.lower().replace(" ", ".") + "@example.org", team_id, rng.choice(CAPACITIES)),
                )
        start = dt.date(2026, 1, 5) + dt.timedelta(weeks=rng.randint(0, 30))
        wip: dict[int, int] = {}  # tickets in progress per person, across projects
        for project_id, (key, title) in enumerate(rng.sample(PROJECTS, n_projects), 1):
            team_id = rng.randint(1, n_teams)
            members = [r["id"] for r in self.rows("SELECT id FROM people WHERE team_id = ?", team_id)]
            self.db.execute(
                "INSERT INTO projects VALUES (?, ?, ?, ?, ?)", (project_id, key, title, team_id, rng.choice(members))
            )
            first = rng.randint(3, 20)
            for k, status in enumerate(["closed", "closed", "active", "planned"]):
                begin = start + dt.timedelta(weeks=2 * (k - 2))
                self.db.execute(
                    "INSERT INTO sprints (project_id, name, start_date, end_date, status) VALUES (?, ?, ?, ?, ?)",
                    (
                        project_id,
                        f"{key} Sprint {first + k}",
                        begin.isoformat(),
                        (begin + dt.timedelta(days=13)).isoformat(),
                        status,
                    ),
                )
            self._build_tickets(rng, project_id, key, members, rng.randint(*per_project), wip)
        for t in rng.sample(self.rows("SELECT id, assignee_id FROM tickets WHERE assignee_id IS NOT NULL"), 40):
            self.db.execute(
                "INSERT INTO comments (ticket_id, author_id, body) VALUES (?, ?, ?)",
                (
                    t["id"],
                    t["assignee_id"],
                    rng.choice(
                        [
                            "Looking into it.",
                            "Blocked on review.",
                            "Repro steps added.",
                            "Needs design input.",
                            "Should be quick.",
                        ]
                    ),
                ),
            )
        problems = self.rows("SELECT * FROM policy_violations")
        assert not problems, f"built tracker breaks its own policy: {problems[:3]}"

    def _build_tickets(
        self, rng: random.Random, project_id: int, key: str, members: list[int], count: int, wip: dict[int, int]
    ) -> None:
        sprints = {
            r["status"] if r["status"] != "closed" else f"closed{r['id']}": r["id"]
            for r in self.rows("SELECT id, status FROM sprints WHERE project_id = ? ORDER BY id", project_id)
        }
        closed = [v for k, v in sprints.items() if k.startswith("closed")]
        load: dict[tuple[int, int], int] = {}
        for n in range(1, count + 1):
            where = rng.choices(["closed", "active", "planned", "backlog"], [3, 4, 2, 4])[0]
            sprint = {
                "closed": rng.choice(closed),
                "active": sprints["active"],
                "planned": sprints["planned"],
                "backlog": None,
            }[where]
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
                (
                    f"{key}-{n}",
                    project_id,
                    f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}",
                    rng.choice(TYPES),
                    status,
                    rng.choices(PRIORITIES, [2, 3, 4, 2])[0],
                    estimate,
                    assignee,
                    sprint,
                ),
            )
            if n > 3 and rng.random() < 0.3:
                earlier = self.rows(
                    "SELECT id, status FROM tickets WHERE project_id = ? AND id < ?", project_id, cur.lastrowid
                )
                if status != "todo":
                    earlier = [e for e in earlier if e["status"] == "done"]
                for b in rng.sample(earlier, min(len(earlier), rng.choice([1, 1, 2]))):
                    self.db.execute(
                        "INSERT INTO dependencies (ticket_id, blocked_by_id) VALUES (?, ?)", (cur.lastrowid, b["id"])
                    )

    def _capacity(self, pid: int) -> int:
        return self.value("SELECT capacity FROM people WHERE id = ?", pid)
