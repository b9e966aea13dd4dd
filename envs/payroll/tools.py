"""The payroll tools: lookups, and writes that enforce the rules."""

from __future__ import annotations

import datetime as dt

from synth.env import tool

from .world import LEAVE_TYPES, working_days


class PayrollTools:
    # ---- helpers shared by tools and proposers ----------------------------------------------------

    def _today(self) -> str:
        return self.value("SELECT today FROM company")

    def _holidays(self) -> set[str]:
        return {r["date"] for r in self.rows("SELECT date FROM holidays")}

    def _coverage(self) -> int:
        """How many others of a department may already be on approved leave on a day of a new approval."""
        return 0 if "coverage_one" in self.variant.rules else 1

    def _raise_cap(self) -> int:
        return 5 if "raise_cap_5" in self.variant.rules else 10

    def _rules(self) -> dict:
        return {"max_others_away": self._coverage(), "raise_cap": self._raise_cap()}

    def _employee(self, employee_id: int) -> dict:
        return self.one(
            "SELECT e.*, d.name AS department, d.manager_id FROM employees e JOIN departments d "
            "ON d.id = e.department_id WHERE e.id = ?",
            employee_id,
            missing=f"no employee with id {employee_id}; use find_employees to look people up",
        )

    def _request(self, request_id: int) -> dict:
        return self.one(
            "SELECT * FROM leave_requests WHERE id = ?",
            request_id,
            missing=f"no leave request {request_id}; use list_leave_requests",
        )

    def _balance(self, employee_id: int, leave_type: str) -> float:
        return self.value(
            "SELECT days FROM leave_balances WHERE employee_id = ? AND leave_type = ?", employee_id, leave_type
        )

    def _approval_problem(self, request: dict) -> str | None:
        """Why a pending request cannot be approved now, or None."""
        if request["status"] != "pending":
            return f"request {request['id']} is {request['status']}, not pending"
        if self._balance(request["employee_id"], request["leave_type"]) < request["days"]:
            return f"the {request['leave_type']} balance does not cover {request['days']} days"
        employee = self._employee(request["employee_id"])
        away = self.rows(
            "SELECT r.start_date, r.end_date FROM leave_requests r JOIN employees e ON "
            "e.id = r.employee_id WHERE e.department_id = ? AND r.employee_id != ? AND "
            "r.status = 'approved' AND r.start_date <= ? AND r.end_date >= ?",
            employee["department_id"],
            employee["id"],
            request["end_date"],
            request["start_date"],
        )
        for day in working_days(request["start_date"], request["end_date"], self._holidays()):
            others = sum(a["start_date"] <= day <= a["end_date"] for a in away)
            if others > self._coverage():
                return f"on {day} {others} other people of {employee['department']} are already on leave"
        return None

    def _request_ids(self) -> set[int]:
        return {r["id"] for r in self.rows("SELECT id FROM leave_requests")}

    # ---- read tools ---------------------------------------------------------------------------------

    @tool("read")
    def get_company_info(self) -> dict:
        """The company's current date (today) and its upcoming and recent holidays."""
        return {"today": self._today(), "holidays": self.rows("SELECT date, name FROM holidays ORDER BY date")}

    @tool("read")
    def list_holidays(self, start_date: str | None = None, end_date: str | None = None) -> list[dict]:
        """Company holidays, optionally only those in a date range.

        Args:
            start_date: First date, YYYY-MM-DD.
            end_date: Last date, YYYY-MM-DD.
        """
        return self.rows(
            "SELECT date, name FROM holidays WHERE date >= ? AND date <= ? ORDER BY date",
            start_date or "0000",
            end_date or "9999",
        )

    @tool("read")
    def list_departments(self) -> list[dict]:
        """All departments with their manager's id and name and their headcount."""
        return self.rows(
            "SELECT d.id, d.name, d.manager_id, m.name AS manager, (SELECT COUNT(*) FROM employees e "
            "WHERE e.department_id = d.id) AS headcount FROM departments d JOIN employees m ON "
            "m.id = d.manager_id ORDER BY d.id"
        )

    @tool("read")
    def get_department(self, name: str) -> dict:
        """One department by name, with its manager and its employees (id, name, role, pay type).

        Args:
            name: Department name, e.g. Engineering.
        """
        row = self.one(
            "SELECT * FROM departments WHERE lower(name) = lower(?)",
            name.strip(),
            missing=f"no department {name!r}; call list_departments",
        )
        staff = self.rows(
            "SELECT id, name, role, pay_type FROM employees WHERE department_id = ? ORDER BY id", row["id"]
        )
        return {**row, "employees": staff}

    @tool("read")
    def find_employees(self, name: str | None = None, department: str | None = None) -> list[dict]:
        """Find employees by (part of) their name and/or by department: id, name, department, role, pay type, rate.

        Args:
            name: Full or partial name, case-insensitive.
            department: Department name.
        """
        if not name and not department:
            raise ValueError("give a name or a department")
        return self.rows(
            "SELECT e.id, e.name, d.name AS department, e.role, e.pay_type, e.rate FROM employees e JOIN "
            "departments d ON d.id = e.department_id WHERE e.name LIKE ? AND (? IS NULL OR "
            "lower(d.name) = lower(?)) ORDER BY e.id",
            f"%{(name or '').strip()}%",
            department,
            department,
        )

    @tool("read")
    def get_employee(self, employee_id: int) -> dict:
        """An employee's record: department and its manager, role, pay type (hourly rate or annual salary),
        hire date and leave balances in days.

        Args:
            employee_id: The employee's id.
        """
        employee = self._employee(employee_id)
        balances = self.rows("SELECT leave_type, days FROM leave_balances WHERE employee_id = ?", employee_id)
        return {**employee, "leave_balances": {b["leave_type"]: b["days"] for b in balances}}

    @tool("read")
    def list_timesheets(
        self, employee_id: int, start_date: str | None = None, end_date: str | None = None
    ) -> list[dict]:
        """An employee's logged hours per day and project, oldest first.

        Args:
            employee_id: The employee's id.
            start_date: First work date to include, YYYY-MM-DD.
            end_date: Last work date to include, YYYY-MM-DD.
        """
        self._employee(employee_id)
        return self.rows(
            "SELECT id, work_date, hours, project FROM timesheets WHERE employee_id = ? AND "
            "work_date >= ? AND work_date <= ? ORDER BY work_date, id",
            employee_id,
            start_date or "0000",
            end_date or "9999",
        )

    @tool("read")
    def list_leave_requests(
        self, employee_id: int | None = None, department: str | None = None, status: str | None = None
    ) -> list[dict]:
        """Leave requests, optionally of one employee or department and with one status (pending, approved,
        rejected, cancelled), by id.

        Args:
            employee_id: Only this employee's requests.
            department: Only requests of this department's employees.
            status: Only requests with this status.
        """
        return self.rows(
            "SELECT r.*, e.name AS employee, d.name AS department FROM leave_requests r JOIN employees "
            "e ON e.id = r.employee_id JOIN departments d ON d.id = e.department_id WHERE (? IS NULL OR "
            "r.employee_id = ?) AND (? IS NULL OR lower(d.name) = lower(?)) AND (? IS NULL OR "
            "r.status = ?) ORDER BY r.id",
            employee_id,
            employee_id,
            department,
            department,
            status,
            status,
        )

    # ---- write tools --------------------------------------------------------------------------------

    @tool("write")
    def submit_leave_request(self, employee_id: int, leave_type: str, start_date: str, end_date: str) -> dict:
        """File a pending leave request; its days are the working days from start to end inclusive.

        Args:
            employee_id: The employee's id.
            leave_type: vacation, sick or personal.
            start_date: First day of leave, YYYY-MM-DD.
            end_date: Last day of leave, YYYY-MM-DD.
        """
        employee = self._employee(employee_id)
        if leave_type not in LEAVE_TYPES:
            raise ValueError(f"leave_type must be one of {', '.join(LEAVE_TYPES)}")
        try:
            start, end = dt.date.fromisoformat(start_date), dt.date.fromisoformat(end_date)
        except ValueError:
            raise ValueError("dates must be YYYY-MM-DD") from None
        if end < start or start.isoformat() <= self._today():
            raise ValueError("leave must start after today and end on or after its start")
        days = len(working_days(start_date, end_date, self._holidays()))
        if not days:
            raise ValueError("the dates contain no working day")
        request_id = self.db.execute(
            "INSERT INTO leave_requests (employee_id, leave_type, start_date, end_date, days, status) VALUES "
            "(?, ?, ?, ?, ?, 'pending')",
            (employee["id"], leave_type, start_date, end_date, days),
        ).lastrowid
        return self._request(request_id)

    @tool("write")
    def approve_leave(self, request_id: int, approver_id: int) -> dict:
        """Approve a pending leave request and deduct its days from the balance.

        Args:
            request_id: The request's id.
            approver_id: Employee id of the approving manager.
        """
        request = self._request(request_id)
        employee = self._employee(request["employee_id"])
        if approver_id != employee["manager_id"] or approver_id == employee["id"]:
            raise ValueError(
                f"only the manager of {employee['department']} (id {employee['manager_id']}) may approve this request"
            )
        problem = self._approval_problem(request)
        if problem:
            raise ValueError(f"cannot approve: {problem}; reject it instead")
        self.db.execute(
            "UPDATE leave_requests SET status = 'approved', approver_id = ? WHERE id = ?", (approver_id, request_id)
        )
        self.db.execute(
            "UPDATE leave_balances SET days = days - ? WHERE employee_id = ? AND leave_type = ?",
            (request["days"], employee["id"], request["leave_type"]),
        )
        return self._request(request_id)

    @tool("write")
    def reject_leave(self, request_id: int, approver_id: int, reason: str) -> dict:
        """Reject a pending leave request.

        Args:
            request_id: The request's id.
            approver_id: Employee id of the deciding manager.
            reason: Why it is rejected.
        """
        request = self._request(request_id)
        employee = self._employee(request["employee_id"])
        if approver_id != employee["manager_id"]:
            raise ValueError(f"only the manager of {employee['department']} may decide this request")
        if request["status"] != "pending":
            raise ValueError(f"request {request_id} is {request['status']}, not pending")
        if not reason.strip():
            raise ValueError("give a reason for the rejection")
        self.db.execute(
            "UPDATE leave_requests SET status = 'rejected', approver_id = ?, note = ? WHERE id = ?",
            (approver_id, reason.strip(), request_id),
        )
        return self._request(request_id)

    @tool("write")
    def cancel_leave(self, request_id: int) -> dict:
        """Cancel a pending or approved leave request that has not started; approved days go back to the balance.

        Args:
            request_id: The request's id.
        """
        request = self._request(request_id)
        if request["status"] not in ("pending", "approved") or request["start_date"] <= self._today():
            raise ValueError("only pending or approved requests that have not started can be cancelled")
        if request["status"] == "approved":
            self.db.execute(
                "UPDATE leave_balances SET days = days + ? WHERE employee_id = ? AND leave_type = ?",
                (request["days"], request["employee_id"], request["leave_type"]),
            )
        self.db.execute("UPDATE leave_requests SET status = 'cancelled' WHERE id = ?", (request_id,))
        return self._request(request_id)

    @tool("write")
    def log_hours(self, employee_id: int, work_date: str, hours: float, project: str) -> dict:
        """Record hours an hourly employee worked on a past day (at most 12 hours per day in total).

        Args:
            employee_id: The employee's id.
            work_date: Day worked, YYYY-MM-DD, not after today.
            hours: Hours worked, 0.5 to 12 in steps of 0.5.
            project: Project name.
        """
        employee = self._employee(employee_id)
        if employee["pay_type"] != "hourly":
            raise ValueError("only hourly employees log hours")
        if work_date > self._today() or not 0.5 <= hours <= 12 or hours * 2 != int(hours * 2):
            raise ValueError("log 0.5-12 hours (steps of 0.5) on a day up to today")
        logged = self.value(
            "SELECT COALESCE(SUM(hours), 0) FROM timesheets WHERE employee_id = ? AND work_date = ?",
            employee_id,
            work_date,
        )
        if logged + hours > 12:
            raise ValueError(f"{logged} hours are already logged on {work_date}; a day holds at most 12")
        entry = self.db.execute(
            "INSERT INTO timesheets (employee_id, work_date, hours, project) VALUES (?, ?, ?, ?)",
            (employee_id, work_date, hours, project),
        ).lastrowid
        return {"id": entry, "employee_id": employee_id, "work_date": work_date, "hours": hours, "project": project}

    @tool("write")
    def set_pay_rate(self, employee_id: int, new_rate: float) -> dict:
        """Raise an employee's pay rate (hourly rate, or annual salary for salaried staff).

        Args:
            employee_id: The employee's id.
            new_rate: The new rate, rounded to the cent.
        """
        employee = self._employee(employee_id)
        cap = round(employee["rate"] * (1 + self._raise_cap() / 100), 2)
        if round(new_rate, 2) != new_rate or not employee["rate"] < new_rate <= cap + 1e-9:
            raise ValueError(
                f"the new rate must be above {employee['rate']} and at most {cap} "
                f"({self._raise_cap()}% more), rounded to the cent"
            )
        self.db.execute("UPDATE employees SET rate = ? WHERE id = ?", (new_rate, employee_id))
        self.db.execute(
            "INSERT INTO rate_changes (employee_id, old_rate, new_rate, changed_on) VALUES (?, ?, ?, ?)",
            (employee_id, employee["rate"], new_rate, self._today()),
        )
        return self._employee(employee_id)
