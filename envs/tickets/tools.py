"""The tickets tools: lookups, and writes that enforce the rules."""

from __future__ import annotations

from synth.env import tool

from .world import POINTS, PRIORITIES, STATUSES


class TicketsTools:
    # ---- lookups shared by tools and proposers -------------------------------------------------------

    def _ticket(self, key: str) -> dict:
        return self.one(
            "SELECT * FROM tickets WHERE upper(key) = upper(?)",
            key.strip(),
            missing=f"no ticket {key!r}; search_tickets lists ticket keys",
        )

    def _person(self, name: str) -> dict:
        return self.one(
            "SELECT * FROM people WHERE lower(name) = lower(?)",
            name.strip(),
            missing=f"unknown person {name!r}; call list_people to see everyone's full name",
        )

    def _sprint(self, name: str) -> dict:
        return self.one(
            "SELECT * FROM sprints WHERE lower(name) = lower(?)",
            name.strip(),
            missing=f"unknown sprint {name!r}; call list_sprints to see a project's sprints",
        )

    def _load(self, pid: int, sprint_id: int) -> int:
        return self.value("SELECT points FROM sprint_load WHERE assignee_id = ? AND sprint_id = ?", pid, sprint_id) or 0

    def _open_blockers(self, ticket_id: int) -> list[dict]:
        return self.rows(
            "SELECT b.* FROM dependencies d JOIN tickets b ON b.id = d.blocked_by_id "
            "WHERE d.ticket_id = ? AND b.status != 'done' ORDER BY b.id",
            ticket_id,
        )

    def _view(self, ticket_id: int) -> dict:
        t = self.one(
            "SELECT t.key, t.title, t.type, t.status, t.priority, t.estimate, p.name AS assignee, s.name AS sprint, "
            "j.key AS project FROM tickets t JOIN projects j ON j.id = t.project_id LEFT JOIN people p "
            "ON p.id = t.assignee_id LEFT JOIN sprints s ON s.id = t.sprint_id WHERE t.id = ?",
            ticket_id,
            missing=f"no ticket with id {ticket_id}",
        )
        t["blocked_by"] = self.rows(
            "SELECT b.key, b.status FROM dependencies d JOIN tickets b "
            "ON b.id = d.blocked_by_id WHERE d.ticket_id = ? ORDER BY b.id",
            ticket_id,
        )
        t["blocks"] = [
            r["key"]
            for r in self.rows(
                "SELECT t.key FROM dependencies d JOIN tickets t "
                "ON t.id = d.ticket_id WHERE d.blocked_by_id = ? ORDER BY t.id",
                ticket_id,
            )
        ]
        return t

    def _editable(self, key: str) -> dict:
        t = self._ticket(key)
        if t["status"] == "done":
            raise ValueError(f"{t['key']} is done; done tickets cannot be changed")
        if t["sprint_id"] and self.value("SELECT status FROM sprints WHERE id = ?", t["sprint_id"]) == "closed":
            raise ValueError(f"{t['key']} is in a closed sprint and cannot be changed")
        return t

    def _enforce(self) -> None:
        problems = self.rows("SELECT rule, detail FROM policy_violations ORDER BY rule, detail")
        if problems:
            raise ValueError(
                "not allowed by the tracker policy: " + "; ".join(f"{p['rule']}: {p['detail']}" for p in problems)
            )

    # ---- read tools ---------------------------------------------------------------------------------

    @tool("read")
    def list_projects(self) -> list[dict]:
        """List the projects with their key, owning team and lead."""
        return self.rows(
            "SELECT j.key, j.name, t.name AS team, p.name AS lead FROM projects j JOIN teams t "
            "ON t.id = j.team_id JOIN people p ON p.id = j.lead_id ORDER BY j.key"
        )

    @tool("read")
    def list_people(self, team: str | None = None) -> list[dict]:
        """List people with their team and per-sprint capacity in story points, optionally of one team.

        Args:
            team: Team name to filter by.
        """
        if team and not self.value("SELECT 1 FROM teams WHERE lower(name) = lower(?)", team):
            raise ValueError(f"unknown team {team!r}; list_projects shows the team names")
        return self.rows(
            "SELECT p.name, t.name AS team, p.capacity FROM people p JOIN teams t ON t.id = p.team_id "
            "WHERE ? IS NULL OR lower(t.name) = lower(?) ORDER BY p.name",
            team or None,
            team or None,
        )

    @tool("read")
    def list_sprints(self, project: str) -> list[dict]:
        """The sprints of a project with dates and status (closed, active, planned).

        Args:
            project: Project key, e.g. PAY.
        """
        row = self.one(
            "SELECT id FROM projects WHERE upper(key) = upper(?)",
            project.strip(),
            missing=f"unknown project {project!r}; call list_projects",
        )
        return self.rows(
            "SELECT name, start_date, end_date, status FROM sprints WHERE project_id = ? ORDER BY id", row["id"]
        )

    @tool("read")
    def get_sprint(self, sprint: str) -> dict:
        """One sprint: dates, status, its tickets, and each assignee's load (open points) against capacity.

        Args:
            sprint: Sprint name, e.g. PAY Sprint 14.
        """
        s = self._sprint(sprint)
        tickets = [
            self._view(r["id"]) for r in self.rows("SELECT id FROM tickets WHERE sprint_id = ? ORDER BY id", s["id"])
        ]
        for t in tickets:
            t.pop("blocks")
        loads = self.rows(
            "SELECT p.name, l.points AS open_points, p.capacity FROM sprint_load l JOIN people p "
            "ON p.id = l.assignee_id WHERE l.sprint_id = ? ORDER BY p.name",
            s["id"],
        )
        return {
            "name": s["name"],
            "start_date": s["start_date"],
            "end_date": s["end_date"],
            "status": s["status"],
            "tickets": tickets,
            "loads": loads,
        }

    @tool("read")
    def search_tickets(
        self,
        project: str | None = None,
        status: str | None = None,
        assignee: str | None = None,
        sprint: str | None = None,
        priority: str | None = None,
        ticket_type: str | None = None,
        backlog_only: bool = False,
    ) -> list[dict]:
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
            f"LEFT JOIN sprints s ON s.id = t.sprint_id WHERE {' AND '.join(where)} ORDER BY t.id",
            *args,
        )

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
        return {
            "person": p["name"],
            "sprint": s["name"],
            "open_points": load,
            "capacity": p["capacity"],
            "spare": p["capacity"] - load,
        }

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
        cur = self.db.execute(
            "INSERT INTO comments (ticket_id, author_id, body) VALUES (?, ?, ?)", (t["id"], p["id"], text.strip())
        )
        return {"id": cur.lastrowid, "ticket": t["key"], "author": p["name"], "text": text.strip()}
