"""Payroll and HR leave: departments, employees, pay rates, timesheets, leave balances and leave requests."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool
from verifiers.common import verify_names, verify_number

DEPARTMENTS = ["Engineering", "Support", "Warehouse", "Finance", "Marketing", "Sales", "Facilities", "Quality",
               "Logistics"]
FIRST = ["Aino", "Basil", "Calla", "Dmitri", "Eowyn", "Fitz", "Greer", "Hamish", "Isolde", "Jasper", "Kalinda",
         "Lorcan", "Mabel", "Nerys", "Orrin", "Petra", "Quill", "Roisin", "Soren", "Thea", "Ugo", "Vida", "Wren",
         "Yusuf", "Zelda"]
LAST = ["Abernathy", "Birchall", "Corvin", "Delacroix", "Elston", "Fairweather", "Gunnarsen", "Hargreave", "Ishikawa",
        "Jessop", "Kingsley", "Lindqvist", "Montague", "Nakashima", "Okonkwo", "Pemberton", "Quayle", "Ravenscroft",
        "Sorensen", "Tallis"]
ROLES = {"hourly": ["Technician", "Associate", "Operator", "Clerk", "Specialist"],
         "salaried": ["Analyst", "Engineer", "Coordinator", "Planner"]}
PROJECTS = ["Atlas", "Beacon", "Cobalt", "Delta", "Ember", "Fjord"]
LEAVE_TYPES = ("vacation", "sick", "personal")
HOLIDAYS = ["Founders Day", "Spring Break Day", "Midsummer Day", "Harvest Day", "Winter Holiday"]


def working_days(start: str, end: str, holidays: set[str]) -> list[str]:
    """Weekdays from start to end inclusive that are not company holidays."""
    day, last, days = dt.date.fromisoformat(start), dt.date.fromisoformat(end), []
    while day <= last:
        if day.weekday() < 5 and day.isoformat() not in holidays:
            days.append(day.isoformat())
        day += dt.timedelta(days=1)
    return days


class PayrollEnv(EnvTemplate):
    name = "payroll"
    version = "1.0.0"
    category = "payroll and HR leave"
    description = ("A company's HR and payroll desk: look up departments, employees, pay rates, timesheets, leave "
                   "balances and requests; submit, approve, reject and cancel leave, log hours and change pay rates.")
    policy = (
        "Act only on the employees and requests named in the request and change nothing else. Dates count from the "
        "company's today (get_company_info). Leave is counted in working days: weekdays that are not company "
        "holidays, from the start to the end date inclusive. A leave request is approved by the manager of the "
        "employee's department, only while it is pending, only if the employee's balance of that leave type covers "
        "its days, and only if on none of its working days two other people of the same department are already on "
        "approved leave; approving deducts the days from the balance, and cancelling an approved request gives them "
        "back. A request that cannot be approved is rejected with a reason. Hourly employees are paid their rate for "
        "the first 40 hours of a week (Monday to Sunday) and 1.5 times their rate for hours above 40. A pay rate may "
        "only be raised, by at most 10% at a time, rounded to the cent."
    )
    variants = VariantSpace(
        optional_tools=("get_department", "list_holidays"),
        renames={"approve_leave": ("grant_leave",), "list_timesheets": ("timesheet_entries", "get_hours"),
                 "find_employees": ("search_employees",), "set_pay_rate": ("update_pay_rate",)},
        rules={"coverage_one": "Stricter coverage: a leave request cannot be approved if on any of its working days "
                               "another person of the same department is already on approved leave.",
               "raise_cap_5": "A pay rate may be raised by at most 5% at a time."},
        scales=("small", "medium", "large"),
    )
    phrasings = {
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
            "logged? Round to 2 decimals.",
            "Work out {{employee}}'s gross earnings for the week of {{monday}} (Monday to Sunday) from their "
            "timesheets, overtime included (2 decimals).",
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
            "{{employee}} wants {{days}} consecutive working days of {{leave_type}} leave, starting on the earliest "
            "working day on or after {{date}} for which the request can be approved. Submit it and approve it as "
            "their manager.",
            "Find the first working day from {{date}} onwards on which {{employee}} could start {{days}} working "
            "days of {{leave_type}} leave that the policy allows, then file that request and approve it as their "
            "manager.",
        ],
        "move_leave": [
            "{{employee}} wants to move their approved leave request {{request_id}} so that it starts on {{date}} "
            "with the same number of working days. Cancel it, submit the new request and approve it as their "
            "manager if the policy allows; if it doesn't, submit the original dates again and approve those instead.",
            "Reschedule {{employee}}'s approved leave #{{request_id}} to begin on {{date}}, keeping its number of "
            "working days: cancel the old request, file the new one and approve it as manager when the policy "
            "permits — otherwise file and approve the original dates again.",
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

    # ---- database ---------------------------------------------------------------------------------

    def build(self, rng: random.Random) -> None:
        self.db.executescript("""
            CREATE TABLE company (id INTEGER PRIMARY KEY, today TEXT);
            CREATE TABLE holidays (id INTEGER PRIMARY KEY, date TEXT UNIQUE, name TEXT);
            CREATE TABLE departments (id INTEGER PRIMARY KEY, name TEXT UNIQUE, manager_id INTEGER);
            CREATE TABLE employees (id INTEGER PRIMARY KEY, name TEXT UNIQUE, department_id INTEGER REFERENCES
                departments(id), role TEXT, pay_type TEXT, rate REAL, hire_date TEXT);
            CREATE TABLE leave_balances (id INTEGER PRIMARY KEY, employee_id INTEGER, leave_type TEXT, days REAL,
                UNIQUE (employee_id, leave_type));
            CREATE TABLE leave_requests (id INTEGER PRIMARY KEY, employee_id INTEGER, leave_type TEXT,
                start_date TEXT, end_date TEXT, days INTEGER, status TEXT, approver_id INTEGER, note TEXT);
            CREATE TABLE timesheets (id INTEGER PRIMARY KEY, employee_id INTEGER, work_date TEXT, hours REAL,
                project TEXT);
            CREATE TABLE rate_changes (id INTEGER PRIMARY KEY, employee_id INTEGER, old_rate REAL, new_rate REAL,
                changed_on TEXT);
        """)
        today = dt.date(2026, rng.randint(2, 10), rng.randint(1, 28))
        self.db.execute("INSERT INTO company VALUES (1, ?)", (today.isoformat(),))
        for name in HOLIDAYS:
            day = today + dt.timedelta(days=rng.randint(-50, 80))
            self.db.execute("INSERT OR IGNORE INTO holidays (date, name) VALUES (?, ?)", (day.isoformat(), name))
        n_depts, per_dept = {"small": ((4, 5), (6, 9)), "medium": ((5, 7), (8, 12)),
                             "large": ((7, 9), (11, 15))}[self.variant.scale]
        names = iter(rng.sample([f"{f} {l}" for f in FIRST for l in LAST], 9 * 15))
        for dept in rng.sample(DEPARTMENTS, rng.randint(*n_depts)):
            dept_id = self.db.execute("INSERT INTO departments (name) VALUES (?)", (dept,)).lastrowid
            staff = []
            for i in range(rng.randint(*per_dept)):
                pay_type = "salaried" if i == 0 or rng.random() < 0.35 else "hourly"
                role = "Manager" if i == 0 else rng.choice(ROLES[pay_type])
                rate = (float(rng.randint(52, 130) * 1000) if pay_type == "salaried"
                        else round(rng.uniform(16, 42), 2))
                staff.append(self.db.execute(
                    "INSERT INTO employees (name, department_id, role, pay_type, rate, hire_date) VALUES "
                    "(?, ?, ?, ?, ?, ?)", (next(names), dept_id, role, pay_type, rate,
                                           (today - dt.timedelta(days=rng.randint(60, 3000))).isoformat())).lastrowid)
            self.db.execute("UPDATE departments SET manager_id = ? WHERE id = ?", (staff[0], dept_id))
        self._build_history(rng, today)

    def _build_history(self, rng: random.Random, today: dt.date) -> None:
        holidays = {r["date"] for r in self.rows("SELECT date FROM holidays")}
        for e in self.rows("SELECT e.*, d.manager_id FROM employees e JOIN departments d ON d.id = e.department_id"):
            for leave_type, (low, high) in zip(LEAVE_TYPES, [(2, 22), (0, 10), (0, 4)]):
                self.db.execute("INSERT INTO leave_balances (employee_id, leave_type, days) VALUES (?, ?, ?)",
                                (e["id"], leave_type, float(rng.randint(low, high))))
            if e["pay_type"] == "hourly":
                for back in range(1, 43):
                    day = today - dt.timedelta(days=back)
                    weekend = day.weekday() >= 5
                    if day.isoformat() in holidays or rng.random() < (0.85 if weekend else 0.1):
                        continue
                    hours = rng.choice([4, 5, 6] if weekend else [6, 7, 7.5, 8, 8, 8, 8.5, 9, 10, 11])
                    self.db.execute("INSERT INTO timesheets (employee_id, work_date, hours, project) VALUES "
                                    "(?, ?, ?, ?)", (e["id"], day.isoformat(), float(hours), rng.choice(PROJECTS)))
            if e["id"] == e["manager_id"]:
                continue
            for _ in range(rng.choices([0, 1, 2, 3], [2, 4, 3, 1])[0]):
                start = today + dt.timedelta(days=rng.randint(-40, 60))
                end = start + dt.timedelta(days=rng.choice([0, 1, 2, 3, 4, 7]))
                days = len(working_days(start.isoformat(), end.isoformat(), holidays))
                if not days:
                    continue
                status = "pending" if start > today and rng.random() < 0.55 else rng.choice(
                    ["approved", "approved", "approved", "rejected"])
                self.db.execute(
                    "INSERT INTO leave_requests (employee_id, leave_type, start_date, end_date, days, status, "
                    "approver_id, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (e["id"], rng.choices(LEAVE_TYPES, [6, 2, 2])[0], start.isoformat(), end.isoformat(), days,
                     status, None if status == "pending" else e["manager_id"],
                     "insufficient cover" if status == "rejected" else None))

    # ---- helpers shared by tools and proposers ----------------------------------------------------

    def _today(self) -> str:
        return self.db.execute("SELECT today FROM company").fetchone()[0]

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
        row = self.db.execute("SELECT e.*, d.name AS department, d.manager_id FROM employees e JOIN departments d "
                              "ON d.id = e.department_id WHERE e.id = ?", (employee_id,)).fetchone()
        if row is None:
            raise ValueError(f"no employee with id {employee_id}; use find_employees to look people up")
        return dict(row)

    def _request(self, request_id: int) -> dict:
        row = self.db.execute("SELECT * FROM leave_requests WHERE id = ?", (request_id,)).fetchone()
        if row is None:
            raise ValueError(f"no leave request {request_id}; use list_leave_requests")
        return dict(row)

    def _balance(self, employee_id: int, leave_type: str) -> float:
        return self.db.execute("SELECT days FROM leave_balances WHERE employee_id = ? AND leave_type = ?",
                               (employee_id, leave_type)).fetchone()[0]

    def _approval_problem(self, request: dict) -> str | None:
        """Why a pending request cannot be approved now, or None."""
        if request["status"] != "pending":
            return f"request {request['id']} is {request['status']}, not pending"
        if self._balance(request["employee_id"], request["leave_type"]) < request["days"]:
            return f"the {request['leave_type']} balance does not cover {request['days']} days"
        employee = self._employee(request["employee_id"])
        away = self.rows("SELECT r.start_date, r.end_date FROM leave_requests r JOIN employees e ON "
                         "e.id = r.employee_id WHERE e.department_id = ? AND r.employee_id != ? AND "
                         "r.status = 'approved' AND r.start_date <= ? AND r.end_date >= ?", employee["department_id"],
                         employee["id"], request["end_date"], request["start_date"])
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
        return self.rows("SELECT date, name FROM holidays WHERE date >= ? AND date <= ? ORDER BY date",
                         start_date or "0000", end_date or "9999")

    @tool("read")
    def list_departments(self) -> list[dict]:
        """All departments with their manager's id and name and their headcount."""
        return self.rows("SELECT d.id, d.name, d.manager_id, m.name AS manager, (SELECT COUNT(*) FROM employees e "
                         "WHERE e.department_id = d.id) AS headcount FROM departments d JOIN employees m ON "
                         "m.id = d.manager_id ORDER BY d.id")

    @tool("read")
    def get_department(self, name: str) -> dict:
        """One department by name, with its manager and its employees (id, name, role, pay type).

        Args:
            name: Department name, e.g. Engineering.
        """
        row = self.db.execute("SELECT * FROM departments WHERE lower(name) = lower(?)", (name.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"no department {name!r}; call list_departments")
        staff = self.rows("SELECT id, name, role, pay_type FROM employees WHERE department_id = ? ORDER BY id",
                          row["id"])
        return {**dict(row), "employees": staff}

    @tool("read")
    def find_employees(self, name: str | None = None, department: str | None = None) -> list[dict]:
        """Find employees by (part of) their name and/or by department: id, name, department, role, pay type, rate.

        Args:
            name: Full or partial name, case-insensitive.
            department: Department name.
        """
        if not name and not department:
            raise ValueError("give a name or a department")
        return self.rows("SELECT e.id, e.name, d.name AS department, e.role, e.pay_type, e.rate FROM employees e JOIN "
                         "departments d ON d.id = e.department_id WHERE e.name LIKE ? AND (? IS NULL OR "
                         "lower(d.name) = lower(?)) ORDER BY e.id", f"%{(name or '').strip()}%", department,
                         department)

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
    def list_timesheets(self, employee_id: int, start_date: str | None = None,
                        end_date: str | None = None) -> list[dict]:
        """An employee's logged hours per day and project, oldest first.

        Args:
            employee_id: The employee's id.
            start_date: First work date to include, YYYY-MM-DD.
            end_date: Last work date to include, YYYY-MM-DD.
        """
        self._employee(employee_id)
        return self.rows("SELECT id, work_date, hours, project FROM timesheets WHERE employee_id = ? AND "
                         "work_date >= ? AND work_date <= ? ORDER BY work_date, id", employee_id,
                         start_date or "0000", end_date or "9999")

    @tool("read")
    def list_leave_requests(self, employee_id: int | None = None, department: str | None = None,
                            status: str | None = None) -> list[dict]:
        """Leave requests, optionally of one employee or department and with one status (pending, approved,
        rejected, cancelled), by id.

        Args:
            employee_id: Only this employee's requests.
            department: Only requests of this department's employees.
            status: Only requests with this status.
        """
        return self.rows("SELECT r.*, e.name AS employee, d.name AS department FROM leave_requests r JOIN employees "
                         "e ON e.id = r.employee_id JOIN departments d ON d.id = e.department_id WHERE (? IS NULL OR "
                         "r.employee_id = ?) AND (? IS NULL OR lower(d.name) = lower(?)) AND (? IS NULL OR "
                         "r.status = ?) ORDER BY r.id", employee_id, employee_id, department, department, status,
                         status)

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
            "(?, ?, ?, ?, ?, 'pending')", (employee["id"], leave_type, start_date, end_date, days)).lastrowid
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
            raise ValueError(f"only the manager of {employee['department']} (id {employee['manager_id']}) may "
                             "approve this request")
        problem = self._approval_problem(request)
        if problem:
            raise ValueError(f"cannot approve: {problem}; reject it instead")
        self.db.execute("UPDATE leave_requests SET status = 'approved', approver_id = ? WHERE id = ?",
                        (approver_id, request_id))
        self.db.execute("UPDATE leave_balances SET days = days - ? WHERE employee_id = ? AND leave_type = ?",
                        (request["days"], employee["id"], request["leave_type"]))
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
        self.db.execute("UPDATE leave_requests SET status = 'rejected', approver_id = ?, note = ? WHERE id = ?",
                        (approver_id, reason.strip(), request_id))
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
            self.db.execute("UPDATE leave_balances SET days = days + ? WHERE employee_id = ? AND leave_type = ?",
                            (request["days"], request["employee_id"], request["leave_type"]))
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
        logged = self.db.execute("SELECT COALESCE(SUM(hours), 0) FROM timesheets WHERE employee_id = ? AND "
                                 "work_date = ?", (employee_id, work_date)).fetchone()[0]
        if logged + hours > 12:
            raise ValueError(f"{logged} hours are already logged on {work_date}; a day holds at most 12")
        entry = self.db.execute("INSERT INTO timesheets (employee_id, work_date, hours, project) VALUES (?, ?, ?, ?)",
                                (employee_id, work_date, hours, project)).lastrowid
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
            raise ValueError(f"the new rate must be above {employee['rate']} and at most {cap} "
                             f"({self._raise_cap()}% more), rounded to the cent")
        self.db.execute("UPDATE employees SET rate = ? WHERE id = ?", (new_rate, employee_id))
        self.db.execute("INSERT INTO rate_changes (employee_id, old_rate, new_rate, changed_on) VALUES (?, ?, ?, ?)",
                        (employee_id, employee["rate"], new_rate, self._today()))
        return self._employee(employee_id)

    # ---- proposers ----------------------------------------------------------------------------------

    def _simulate(self, steps) -> tuple[list[dict], list[dict]]:
        """Run `steps()` (tool calls) on a scratch copy of the database, then restore the real one."""
        real = self.db
        self.db = self.snapshot()
        try:
            steps()
            return self.rows("SELECT * FROM leave_requests"), self.rows("SELECT * FROM employees")
        finally:
            self.db.close()
            self.db = real

    def _process_pending(self, department: str) -> None:
        manager = self.rows("SELECT manager_id FROM departments WHERE name = ?", department)[0]["manager_id"]
        for r in self.list_leave_requests(department=department, status="pending"):
            if self._approval_problem(self._request(r["id"])) is None:
                self.approve_leave(r["id"], manager)
            else:
                self.reject_leave(r["id"], manager, "policy")

    def _new_rate(self, rate: float, pct: float) -> float:
        return round(rate * (1 + min(pct, self._raise_cap()) / 100), 2)

    def _hourly_hours(self, department: str, start: str, end: str) -> list[dict]:
        return self.rows("SELECT e.id, e.name, e.rate, COALESCE(SUM(t.hours), 0) AS hours FROM employees e JOIN "
                         "departments d ON d.id = e.department_id LEFT JOIN timesheets t ON t.employee_id = e.id AND "
                         "t.work_date BETWEEN ? AND ? WHERE d.name = ? AND e.pay_type = 'hourly' GROUP BY e.id "
                         "ORDER BY e.id", start, end, department)

    def _departments_with_pending(self) -> list[str]:
        return [r["name"] for r in self.rows(
            "SELECT DISTINCT d.name FROM leave_requests r JOIN employees e ON e.id = r.employee_id JOIN departments d "
            "ON d.id = e.department_id WHERE r.status = 'pending' ORDER BY d.name")]

    def _period(self, rng: random.Random) -> tuple[str, str]:
        today = dt.date.fromisoformat(self._today())
        start = today - dt.timedelta(days=rng.randint(14, 40))
        return start.isoformat(), (start + dt.timedelta(days=rng.choice([6, 13, 13, 20]))).isoformat()

    @proposer(difficulty=1)
    def propose_leave_balance(self, rng: random.Random) -> TaskDraft | None:
        row = rng.choice(self.rows("SELECT e.name, b.leave_type, b.days FROM leave_balances b JOIN employees e ON "
                                   "e.id = b.employee_id ORDER BY b.id"))
        spec = {"employee": row["name"], "leave_type": row["leave_type"]}
        return TaskDraft(
            shape="leave_balance",
            instruction=self.render("leave_balance", rng, **spec),
            solution=Program.of(solve_leave_balance, **spec),
            verifier=Program.of(verify_number, expected=row["days"], tolerance=0.01),
            tools=("find_employees", "get_employee", "list_leave_requests"),
        )

    @proposer(difficulty=1)
    def propose_manager(self, rng: random.Random) -> TaskDraft | None:
        employee = rng.choice(self.rows("SELECT e.name, m.name AS manager FROM employees e JOIN departments d ON "
                                        "d.id = e.department_id JOIN employees m ON m.id = d.manager_id WHERE "
                                        "e.id != d.manager_id ORDER BY e.id"))
        managers = [r["name"] for r in self.rows("SELECT m.name FROM departments d JOIN employees m ON "
                                                 "m.id = d.manager_id")]
        return TaskDraft(
            shape="manager",
            instruction=self.render("manager", rng, employee=employee["name"]),
            solution=Program.of(solve_manager, employee=employee["name"]),
            verifier=Program.of(verify_names, expected=[employee["manager"]], candidates=managers),
            tools=self.available_tools("find_employees", "get_employee", "list_departments", "get_department"),
        )

    @proposer(difficulty=2)
    def propose_week_pay(self, rng: random.Random) -> TaskDraft | None:
        employee = rng.choice(self.rows("SELECT id, name, rate FROM employees WHERE pay_type = 'hourly' ORDER BY id"))
        today = dt.date.fromisoformat(self._today())
        monday = today - dt.timedelta(days=today.weekday() + 7 * rng.randint(1, 5))
        sunday = monday + dt.timedelta(days=6)
        hours = self.rows("SELECT COALESCE(SUM(hours), 0) AS h FROM timesheets WHERE employee_id = ? AND work_date "
                          "BETWEEN ? AND ?", employee["id"], monday.isoformat(), sunday.isoformat())[0]["h"]
        if not hours:
            return None
        pay = round(min(hours, 40) * employee["rate"] + max(0, hours - 40) * employee["rate"] * 1.5, 2)
        spec = {"employee": employee["name"], "monday": monday.isoformat()}
        return TaskDraft(
            shape="week_pay",
            instruction=self.render("week_pay", rng, **spec),
            solution=Program.of(solve_week_pay, **spec),
            verifier=Program.of(verify_number, expected=pay, tolerance=0.01),
            tools=("find_employees", "get_employee", "list_timesheets", "get_company_info"),
        )

    @proposer(difficulty=2)
    def propose_top_logger(self, rng: random.Random) -> TaskDraft | None:
        department = rng.choice(self.rows("SELECT name FROM departments ORDER BY id"))["name"]
        start, end = self._period(rng)
        rows = sorted(self._hourly_hours(department, start, end), key=lambda r: -r["hours"])
        if len(rows) < 2 or rows[0]["hours"] == rows[1]["hours"]:
            return None
        spec = {"department": department, "start": start, "end": end}
        return TaskDraft(
            shape="top_logger",
            instruction=self.render("top_logger", rng, **spec),
            solution=Program.of(solve_top_logger, **spec),
            verifier=Program.of(verify_names, expected=[rows[0]["name"]],
                                candidates=[r["name"] for r in self.rows("SELECT name FROM employees")]),
            tools=self.available_tools("find_employees", "list_timesheets", "get_department", "list_departments"),
        )

    @proposer(difficulty=2)
    def propose_on_leave(self, rng: random.Random) -> TaskDraft | None:
        row = rng.choice(self.rows("SELECT r.*, d.name AS department FROM leave_requests r JOIN employees e ON "
                                   "e.id = r.employee_id JOIN departments d ON d.id = e.department_id WHERE "
                                   "r.status = 'approved' ORDER BY r.id"))
        date = rng.choice(working_days(row["start_date"], row["end_date"], self._holidays()))
        away = self.rows("SELECT DISTINCT e.name FROM leave_requests r JOIN employees e ON e.id = r.employee_id JOIN "
                         "departments d ON d.id = e.department_id WHERE d.name = ? AND r.status = 'approved' AND "
                         "r.start_date <= ? AND r.end_date >= ?", row["department"], date, date)
        staff = [r["name"] for r in self.rows("SELECT e.name FROM employees e JOIN departments d ON "
                                              "d.id = e.department_id WHERE d.name = ?", row["department"])]
        spec = {"department": row["department"], "date": date}
        return TaskDraft(
            shape="on_leave",
            instruction=self.render("on_leave", rng, **spec),
            solution=Program.of(solve_on_leave, **spec),
            verifier=Program.of(verify_names, expected=sorted(r["name"] for r in away), candidates=staff),
            tools=self.available_tools("list_leave_requests", "find_employees", "get_department", "get_company_info"),
        )

    @proposer(difficulty=3)
    def propose_review_request(self, rng: random.Random) -> TaskDraft | None:
        pending = self.rows("SELECT id FROM leave_requests WHERE status = 'pending' ORDER BY id")
        if not pending:
            return None
        request = self._request(rng.choice(pending)["id"])
        approve = self._approval_problem(request) is None
        return TaskDraft(
            shape="review_request",
            instruction=self.render("review_request", rng, request_id=request["id"]),
            solution=Program.of(solve_review_department, request_ids=[request["id"]], **self._rules()),
            verifier=Program.of(verify_hr, decisions={str(request["id"]): "approved" if approve else "rejected"}),
            tools=self.available_tools("list_leave_requests", "get_employee", "get_company_info", "approve_leave",
                              "reject_leave", "cancel_leave", "list_departments"),
        )

    @proposer(difficulty=3)
    def propose_dept_raise(self, rng: random.Random) -> TaskDraft | None:
        department = rng.choice(self.rows("SELECT name FROM departments ORDER BY id"))["name"]
        hourly = self.rows("SELECT e.id, e.rate FROM employees e JOIN departments d ON d.id = e.department_id "
                           "WHERE d.name = ? AND e.pay_type = 'hourly' ORDER BY e.id", department)
        if not hourly:
            return None
        threshold = float(rng.choice([22, 25, 28, 30, 32, 35, 40]))
        pct = rng.choice([3, 4, 5, 6, 8, 10, 12, 15])
        rates = {str(e["id"]): self._new_rate(e["rate"], pct) for e in hourly if e["rate"] < threshold}
        if not rates:
            return None
        spec = {"department": department, "threshold": threshold, "pct": pct}
        return TaskDraft(
            shape="dept_raise",
            instruction=self.render("dept_raise", rng, **spec),
            solution=Program.of(solve_dept_raise, **spec, **self._rules()),
            verifier=Program.of(verify_hr, rates=rates),
            tools=self.available_tools("find_employees", "get_employee", "get_department", "set_pay_rate", "list_departments"),
        )

    @proposer(difficulty=4)
    def propose_review_department(self, rng: random.Random) -> TaskDraft | None:
        departments = self._departments_with_pending()
        if not departments:
            return None
        department = rng.choice(departments)
        pending = [r["id"] for r in self.list_leave_requests(department=department, status="pending")]
        requests, _ = self._simulate(lambda: self._process_pending(department))
        decisions = {str(r["id"]): r["status"] for r in requests if r["id"] in pending}
        return TaskDraft(
            shape="review_department",
            instruction=self.render("review_department", rng, department=department),
            solution=Program.of(solve_review_department, department=department, **self._rules()),
            verifier=Program.of(verify_hr, decisions=decisions),
            tools=self.available_tools("list_leave_requests", "get_employee", "get_company_info", "approve_leave",
                              "reject_leave", "list_departments", "get_department", "find_employees"),
        )

    def _first_start(self, employee: dict, leave_type: str, days: int, date: str) -> tuple[str, str] | None:
        """Earliest (start, end) of `days` working days from `date` that could be approved right now."""
        holidays = self._holidays()
        day = dt.date.fromisoformat(date)
        for _ in range(60):
            span = working_days(day.isoformat(), (day + dt.timedelta(days=30)).isoformat(), holidays)[:days]
            if span and span[0] == day.isoformat():
                probe = {"id": 0, "status": "pending", "employee_id": employee["id"], "leave_type": leave_type,
                         "days": days, "start_date": span[0], "end_date": span[-1]}
                if self._approval_problem(probe) is None:
                    return span[0], span[-1]
            day += dt.timedelta(days=1)
        return None

    @proposer(difficulty=4)
    def propose_book_leave(self, rng: random.Random) -> TaskDraft | None:
        employee = rng.choice(self.rows("SELECT e.* FROM employees e JOIN departments d ON d.id = e.department_id "
                                        "WHERE e.id != d.manager_id ORDER BY e.id"))
        leave_type = rng.choice(["vacation", "vacation", "personal"])
        days = rng.randint(1, 5)
        if self._balance(employee["id"], leave_type) < days:
            return None
        date = (dt.date.fromisoformat(self._today()) + dt.timedelta(days=rng.randint(2, 40))).isoformat()
        span = self._first_start(employee, leave_type, days, date)
        if span is None:
            return None
        spec = {"employee": employee["name"], "leave_type": leave_type, "days": days, "date": date}
        return TaskDraft(
            shape="book_leave",
            instruction=self.render("book_leave", rng, **spec),
            solution=Program.of(solve_book_leave, **spec, **self._rules()),
            verifier=Program.of(verify_hr, new_leave=[employee["id"], leave_type, span[0], days]),
            tools=self.available_tools("find_employees", "get_employee", "get_company_info", "list_holidays",
                              "list_leave_requests", "submit_leave_request", "approve_leave", "reject_leave"),
        )

    @proposer(difficulty=5)
    def propose_move_leave(self, rng: random.Random) -> TaskDraft | None:
        today = self._today()
        rows = self.rows("SELECT r.*, e.name FROM leave_requests r JOIN employees e ON e.id = r.employee_id WHERE "
                         "r.status = 'approved' AND r.start_date > ? ORDER BY r.id", today)
        if not rows:
            return None
        request = rng.choice(rows)
        holidays = self._holidays()
        date = dt.date.fromisoformat(request["start_date"]) + dt.timedelta(days=rng.choice([-7, -3, 2, 5, 7, 14]))
        if date.isoformat() <= today or date.weekday() >= 5 or date.isoformat() in holidays:
            return None
        span = working_days(date.isoformat(), (date + dt.timedelta(days=40)).isoformat(), holidays)[:request["days"]]

        def move() -> None:
            self.cancel_leave(request["id"])
            new = self.submit_leave_request(request["employee_id"], request["leave_type"], span[0], span[-1])
            manager = self._employee(request["employee_id"])["manager_id"]
            if self._approval_problem(new) is not None:
                self.reject_leave(new["id"], manager, "no cover")
                new = self.submit_leave_request(request["employee_id"], request["leave_type"],
                                                request["start_date"], request["end_date"])
            self.approve_leave(new["id"], manager)

        try:
            requests, _ = self._simulate(move)
        except ValueError:
            return None
        start = next(r["start_date"] for r in requests if r["id"] > request["id"] and r["status"] == "approved"
                     and r["employee_id"] == request["employee_id"] and r["id"] not in self._request_ids())
        spec = {"employee": request["name"], "request_id": request["id"], "date": date.isoformat()}
        return TaskDraft(
            shape="move_leave",
            instruction=self.render("move_leave", rng, **spec),
            solution=Program.of(solve_move_leave, **spec, **self._rules()),
            verifier=Program.of(verify_hr, decisions={str(request["id"]): "cancelled"},
                                new_leave=[request["employee_id"], request["leave_type"], start, request["days"]],
                                rejected_ok=True),
        )

    @proposer(difficulty=5)
    def propose_dept_close(self, rng: random.Random) -> TaskDraft | None:
        departments = self._departments_with_pending()
        if not departments:
            return None
        department = rng.choice(departments)
        start, end = self._period(rng)
        hours = sorted(r["hours"] for r in self._hourly_hours(department, start, end))
        if len(hours) < 2:
            return None
        threshold = float(int(hours[len(hours) // 2]))
        pct = rng.choice([3, 4, 5, 6, 8, 10, 12])
        pending = [r["id"] for r in self.list_leave_requests(department=department, status="pending")]
        requests, _ = self._simulate(lambda: self._process_pending(department))
        rates = {str(r["id"]): self._new_rate(r["rate"], pct) for r in self._hourly_hours(department, start, end)
                 if r["hours"] > threshold}
        if not rates:
            return None
        if len(pending) * 2 + len(hours) * 2 > 34:  # keep the plan within an episode's turns
            return None
        spec = {"department": department, "hours": threshold, "start": start, "end": end, "pct": pct}
        return TaskDraft(
            shape="dept_close",
            instruction=self.render("dept_close", rng, **spec),
            solution=Program.of(solve_review_department, **spec, **self._rules()),
            verifier=Program.of(verify_hr, rates=rates,
                                decisions={str(r["id"]): r["status"] for r in requests if r["id"] in pending}),
        )


# ---- solutions: tools and computation only --------------------------------------------------------

def solve_leave_balance(tools, params):
    employee = next(e for e in tools.find_employees(name=params["employee"]) if e["name"] == params["employee"])
    return tools.get_employee(employee_id=employee["id"])["leave_balances"][params["leave_type"]]


def solve_manager(tools, params):
    employee = next(e for e in tools.find_employees(name=params["employee"]) if e["name"] == params["employee"])
    manager_id = tools.get_employee(employee_id=employee["id"])["manager_id"]
    return tools.get_employee(employee_id=manager_id)["name"]


def solve_week_pay(tools, params):
    import datetime as dt

    employee = next(e for e in tools.find_employees(name=params["employee"]) if e["name"] == params["employee"])
    rate = tools.get_employee(employee_id=employee["id"])["rate"]
    sunday = (dt.date.fromisoformat(params["monday"]) + dt.timedelta(days=6)).isoformat()
    hours = sum(t["hours"] for t in tools.list_timesheets(employee_id=employee["id"], start_date=params["monday"],
                                                          end_date=sunday))
    return round(min(hours, 40) * rate + max(0, hours - 40) * rate * 1.5, 2)


def solve_top_logger(tools, params):
    totals = {}
    for e in tools.find_employees(department=params["department"]):
        if e["pay_type"] == "hourly":
            entries = tools.list_timesheets(employee_id=e["id"], start_date=params["start"], end_date=params["end"])
            totals[e["name"]] = sum(t["hours"] for t in entries)
    return max(totals, key=totals.get)


def solve_on_leave(tools, params):
    away = {r["employee"] for r in tools.list_leave_requests(department=params["department"], status="approved")
            if r["start_date"] <= params["date"] <= r["end_date"]}
    return ", ".join(sorted(away))


def solve_review_department(tools, params):
    import datetime as dt

    holidays = {h["date"] for h in tools.get_company_info()["holidays"]}
    if params.get("department"):
        pending = tools.list_leave_requests(department=params["department"], status="pending")
    else:
        pending = [r for r in tools.list_leave_requests(status="pending") if r["id"] in params["request_ids"]]
    employees, approved, decided = {}, {}, []
    for r in pending:
        if r["employee_id"] not in employees:
            employees[r["employee_id"]] = tools.get_employee(employee_id=r["employee_id"])
        employee = employees[r["employee_id"]]
        if r["department"] not in approved:
            approved[r["department"]] = tools.list_leave_requests(department=r["department"], status="approved")
        others = [a for a in approved[r["department"]] if a["employee_id"] != r["employee_id"]]
        ok = employee["leave_balances"][r["leave_type"]] >= r["days"]
        day = dt.date.fromisoformat(r["start_date"])
        while ok and day <= dt.date.fromisoformat(r["end_date"]):
            iso = day.isoformat()
            if day.weekday() < 5 and iso not in holidays:
                ok = sum(a["start_date"] <= iso <= a["end_date"] for a in others) <= params["max_others_away"]
            day += dt.timedelta(days=1)
        if ok:
            tools.approve_leave(request_id=r["id"], approver_id=employee["manager_id"])
            employee["leave_balances"][r["leave_type"]] -= r["days"]
            approved[r["department"]].append(r)
        else:
            tools.reject_leave(request_id=r["id"], approver_id=employee["manager_id"],
                               reason="not enough balance or department cover")
        decided.append((r["id"], ok))
    if params.get("hours") is None:
        return f"Decisions: {decided}"
    raised = []
    for e in tools.find_employees(department=params["department"]):
        if e["pay_type"] != "hourly":
            continue
        entries = tools.list_timesheets(employee_id=e["id"], start_date=params["start"], end_date=params["end"])
        if sum(t["hours"] for t in entries) > params["hours"]:
            new = round(e["rate"] * (1 + min(params["pct"], params["raise_cap"]) / 100), 2)
            tools.set_pay_rate(employee_id=e["id"], new_rate=new)
            raised.append(e["name"])
    return f"Decisions: {decided}; raised {raised}"


def solve_dept_raise(tools, params):
    raised = []
    for e in tools.find_employees(department=params["department"]):
        employee = tools.get_employee(employee_id=e["id"])
        if employee["pay_type"] == "hourly" and employee["rate"] < params["threshold"]:
            rate = round(employee["rate"] * (1 + min(params["pct"], params["raise_cap"]) / 100), 2)
            tools.set_pay_rate(employee_id=e["id"], new_rate=rate)
            raised.append((e["name"], rate))
    return f"Raised {raised}"


def solve_book_leave(tools, params):
    import datetime as dt

    employee = next(e for e in tools.find_employees(name=params["employee"]) if e["name"] == params["employee"])
    employee = tools.get_employee(employee_id=employee["id"])
    holidays = {h["date"] for h in tools.get_company_info()["holidays"]}
    approved = [a for a in tools.list_leave_requests(department=employee["department"], status="approved")
                if a["employee_id"] != employee["id"]]
    day = dt.date.fromisoformat(params["date"])
    for _ in range(60):
        span, probe = [], day
        while len(span) < params["days"]:
            if probe.weekday() < 5 and probe.isoformat() not in holidays:
                span.append(probe.isoformat())
            probe += dt.timedelta(days=1)
        free = all(sum(a["start_date"] <= d <= a["end_date"] for a in approved) <= params["max_others_away"]
                   for d in span)
        if span[0] == day.isoformat() and free:
            break
        day += dt.timedelta(days=1)
    request = tools.submit_leave_request(employee_id=employee["id"], leave_type=params["leave_type"],
                                         start_date=span[0], end_date=span[-1])
    tools.approve_leave(request_id=request["id"], approver_id=employee["manager_id"])
    return f"Booked {span[0]} to {span[-1]}"


def solve_move_leave(tools, params):
    import datetime as dt

    old = next(r for r in tools.list_leave_requests(status="approved") if r["id"] == params["request_id"])
    employee = tools.get_employee(employee_id=old["employee_id"])
    holidays = {h["date"] for h in tools.get_company_info()["holidays"]}
    tools.cancel_leave(request_id=old["id"])
    span, day = [], dt.date.fromisoformat(params["date"])
    while len(span) < old["days"]:
        if day.weekday() < 5 and day.isoformat() not in holidays:
            span.append(day.isoformat())
        day += dt.timedelta(days=1)
    new = tools.submit_leave_request(employee_id=old["employee_id"], leave_type=old["leave_type"], start_date=span[0],
                                     end_date=span[-1])
    balance = tools.get_employee(employee_id=old["employee_id"])["leave_balances"][old["leave_type"]]
    approved = [a for a in tools.list_leave_requests(department=employee["department"], status="approved")
                if a["employee_id"] != old["employee_id"]]
    ok = balance >= new["days"] and all(
        sum(a["start_date"] <= d <= a["end_date"] for a in approved) <= params["max_others_away"] for d in span)
    if not ok:
        tools.reject_leave(request_id=new["id"], approver_id=employee["manager_id"], reason="no cover on new dates")
        new = tools.submit_leave_request(employee_id=old["employee_id"], leave_type=old["leave_type"],
                                         start_date=old["start_date"], end_date=old["end_date"])
    tools.approve_leave(request_id=new["id"], approver_id=employee["manager_id"])
    return f"Leave now starts {new['start_date']}"


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_hr(outcome, params):
    """Leave decisions, new leave, balances and pay rates must be exactly as expected.

    decisions: {request id: final status}; new_leave: [employee id, type, start, days] for one new approved request
    (with rejected_ok, extra new requests may be left rejected); rates: {employee id: new rate}.
    """
    from verifiers.state import diff_table, unchanged

    reasons = []
    added, removed, changed = diff_table(outcome.initial, outcome.db, "leave_requests")
    managers = {d["id"]: d["manager_id"] for d in outcome.rows("SELECT id, manager_id FROM departments")}
    dept = {e["id"]: e["department_id"] for e in outcome.rows("SELECT id, department_id FROM employees")}
    got = {str(r["id"]): r["status"] for r in changed}
    if removed or got != params.get("decisions", {}):
        reasons.append(f"request decisions {got} differ from the expected {params.get('decisions', {})}")
    for r in changed + added:
        if r["status"] in ("approved", "rejected") and r["approver_id"] != managers[dept[r["employee_id"]]]:
            reasons.append(f"request {r['id']} was decided by {r['approver_id']}, not the department's manager")
    want = params.get("new_leave")
    approved = [r for r in added if r["status"] == "approved"]
    spare = [r for r in added if r["status"] != "approved"]
    if want is None and added:
        reasons.append(f"{len(added)} unexpected new leave requests")
    if want is not None:
        if len(approved) != 1 or [approved[0]["employee_id"], approved[0]["leave_type"], approved[0]["start_date"],
                                  approved[0]["days"]] != want:
            reasons.append(f"expected one new approved request {want}, got "
                           f"{[[r['employee_id'], r['leave_type'], r['start_date'], r['days']] for r in approved]}")
        if spare and not (params.get("rejected_ok") and all(r["status"] in ("rejected", "cancelled") for r in spare)):
            reasons.append(f"unexpected extra requests {[(r['id'], r['status']) for r in spare]}")
    delta = {}
    for r in outcome.initial_rows("SELECT * FROM leave_requests"):
        now = outcome.rows("SELECT status FROM leave_requests WHERE id = ?", r["id"])[0]["status"]
        sign = (now == "approved") - (r["status"] == "approved")
        if sign:
            key = f"{r['employee_id']}/{r['leave_type']}"
            delta[key] = delta.get(key, 0) - sign * r["days"]
    for r in approved:
        key = f"{r['employee_id']}/{r['leave_type']}"
        delta[key] = delta.get(key, 0) - r["days"]
    before = {f"{b['employee_id']}/{b['leave_type']}": b["days"] for b in outcome.initial_rows(
        "SELECT * FROM leave_balances")}
    after = {f"{b['employee_id']}/{b['leave_type']}": b["days"] for b in outcome.rows("SELECT * FROM leave_balances")}
    moved = {k: after[k] - before[k] for k in after if abs(after[k] - before[k]) > 1e-9}
    if moved != {k: v for k, v in delta.items() if v}:
        reasons.append(f"balance changes {moved} do not match the decided leave {delta}")
    employees = diff_table(outcome.initial, outcome.db, "employees")
    rates = {str(e["id"]): e["rate"] for e in employees[2]}
    want_rates = params.get("rates", {})
    if employees[0] or employees[1] or set(rates) != set(want_rates) or any(
            abs(rates[k] - want_rates[k]) > 0.005 for k in rates):
        reasons.append(f"pay rates changed to {rates}, expected {want_rates}")
    if len(diff_table(outcome.initial, outcome.db, "rate_changes")[0]) != len(want_rates):
        reasons.append("rate change log does not match the raises")
    if other := unchanged(outcome.initial, outcome.db, ["timesheets", "departments", "holidays", "company"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons
