"""Task proposers, from single lookups (level 1) to multi-step plans (level 5)."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import Answer, Effects, Program, Rule, TaskDraft, inserts, proposer, updates

from .checks import check_rows
from .solutions import (
    solve_book_leave,
    solve_dept_raise,
    solve_leave_balance,
    solve_manager,
    solve_move_leave,
    solve_on_leave,
    solve_review_department,
    solve_top_logger,
    solve_week_pay,
)
from .world import working_days


class PayrollTasks:
    # ---- proposer helpers ---------------------------------------------------------------------------

    def _simulate(self, steps) -> dict[str, dict[int, dict]]:
        """Run `steps()` (tool calls) on a scratch copy of the database, then restore the real one; the leave
        requests, balances and employees it ended with, by id."""
        real = self.db
        self.db = self.snapshot()
        try:
            steps()
            return {
                t: {r["id"]: r for r in self.rows(f"SELECT * FROM {t} ORDER BY id")}
                for t in ("leave_requests", "leave_balances", "employees")
            }
        finally:
            self.db.close()
            self.db = real

    def _manager_of(self, department: str) -> int:
        return self.value("SELECT manager_id FROM departments WHERE name = ?", department)

    def _balance_id(self, employee_id: int, leave_type: str) -> int:
        return self.value(
            "SELECT id FROM leave_balances WHERE employee_id = ? AND leave_type = ?", employee_id, leave_type
        )

    def _names(self, *exclude: str) -> list[str]:
        """Every employee's name but those given: the candidates of a question about people."""
        return [n for n in self.column("SELECT name FROM employees ORDER BY id") if n not in exclude]

    def _decisions(self, department: str) -> tuple[Effects, list]:
        """What processing a department's pending requests in order changes: the effects it may have and the
        [table, key, column, value] items check_rows expects."""
        pending = [r["id"] for r in self.list_leave_requests(department=department, status="pending")]
        after = self._simulate(lambda: self._process_pending(department))
        before = {b["id"]: b["days"] for b in self.rows("SELECT id, days FROM leave_balances")}
        balances = {k: b["days"] for k, b in after["leave_balances"].items() if b["days"] != before[k]}
        expect = [["leave_requests", i, "status", after["leave_requests"][i]["status"]] for i in pending]
        expect += [["leave_balances", k, "days", v] for k, v in sorted(balances.items())]
        rules = {
            "leave_requests": Rule(
                update=["approver_id", "note", "status"],
                keys=pending,
                values={"approver_id": self._manager_of(department)},
            )
        }
        if balances:
            rules["leave_balances"] = updates("days", keys=sorted(balances))
        return rules, expect

    def _process_pending(self, department: str) -> None:
        manager = self._manager_of(department)
        for r in self.list_leave_requests(department=department, status="pending"):
            if self._approval_problem(self._request(r["id"])) is None:
                self.approve_leave(r["id"], manager)
            else:
                self.reject_leave(r["id"], manager, "policy")

    def _new_rate(self, rate: float, pct: float) -> float:
        return round(rate * (1 + min(pct, self._raise_cap()) / 100), 2)

    def _hourly_hours(self, department: str, start: str, end: str) -> list[dict]:
        return self.rows(
            "SELECT e.id, e.name, e.rate, COALESCE(SUM(t.hours), 0) AS hours FROM employees e JOIN "
            "departments d ON d.id = e.department_id LEFT JOIN timesheets t ON t.employee_id = e.id AND "
            "t.work_date BETWEEN ? AND ? WHERE d.name = ? AND e.pay_type = 'hourly' GROUP BY e.id "
            "ORDER BY e.id",
            start,
            end,
            department,
        )

    def _departments_with_pending(self) -> list[str]:
        return [
            r["name"]
            for r in self.rows(
                "SELECT DISTINCT d.name FROM leave_requests r JOIN employees e ON e.id = r.employee_id JOIN departments d "
                "ON d.id = e.department_id WHERE r.status = 'pending' ORDER BY d.name"
            )
        ]

    def _period(self, rng: random.Random) -> tuple[str, str]:
        today = dt.date.fromisoformat(self._today())
        start = today - dt.timedelta(days=rng.randint(14, 40))
        return start.isoformat(), (start + dt.timedelta(days=rng.choice([6, 13, 13, 20]))).isoformat()

    # ---- level 1-2: questions -----------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_leave_balance(self, rng: random.Random) -> TaskDraft | None:
        row = rng.choice(
            self.rows(
                "SELECT e.name, b.leave_type, b.days FROM leave_balances b JOIN employees e ON "
                "e.id = b.employee_id ORDER BY b.id"
            )
        )
        spec = {"employee": row["name"], "leave_type": row["leave_type"]}
        return TaskDraft(
            shape="leave_balance",
            instruction=self.render("leave_balance", rng, **spec),
            solution=Program.of(solve_leave_balance, **spec),
            answer=Answer.number(row["days"]),
            tools=("find_employees", "get_employee", "list_leave_requests"),
        )

    @proposer(difficulty=1)
    def propose_manager(self, rng: random.Random) -> TaskDraft | None:
        employee = rng.choice(
            self.rows(
                "SELECT e.name, m.name AS manager FROM employees e JOIN departments d ON "
                "d.id = e.department_id JOIN employees m ON m.id = d.manager_id WHERE "
                "e.id != d.manager_id ORDER BY e.id"
            )
        )
        return TaskDraft(
            shape="manager",
            instruction=self.render("manager", rng, employee=employee["name"]),
            solution=Program.of(solve_manager, employee=employee["name"]),
            answer=Answer.entity(employee["manager"], candidates=self._names(employee["name"])),
            tools=self.available_tools("find_employees", "get_employee", "list_departments", "get_department"),
        )

    @proposer(difficulty=2, attempts=3)
    def propose_week_pay(self, rng: random.Random) -> TaskDraft | None:
        employee = rng.choice(self.rows("SELECT id, name, rate FROM employees WHERE pay_type = 'hourly' ORDER BY id"))
        today = dt.date.fromisoformat(self._today())
        monday = today - dt.timedelta(days=today.weekday() + 7 * rng.randint(1, 5))
        sunday = monday + dt.timedelta(days=6)
        hours = self.value(
            "SELECT COALESCE(SUM(hours), 0) FROM timesheets WHERE employee_id = ? AND work_date BETWEEN ? AND ?",
            employee["id"],
            monday.isoformat(),
            sunday.isoformat(),
        )
        if not hours:
            return None
        pay = round(min(hours, 40) * employee["rate"] + max(0, hours - 40) * employee["rate"] * 1.5, 2)
        spec = {"employee": employee["name"], "monday": monday.isoformat()}
        return TaskDraft(
            shape="week_pay",
            instruction=self.render("week_pay", rng, **spec),
            solution=Program.of(solve_week_pay, **spec),
            answer=Answer.number(pay),
            tools=("find_employees", "get_employee", "list_timesheets", "get_company_info"),
        )

    @proposer(difficulty=2, attempts=3)
    def propose_top_logger(self, rng: random.Random) -> TaskDraft | None:
        department = rng.choice(self.column("SELECT name FROM departments ORDER BY id"))
        start, end = self._period(rng)
        rows = sorted(self._hourly_hours(department, start, end), key=lambda r: -r["hours"])
        if len(rows) < 2 or rows[0]["hours"] == rows[1]["hours"]:
            return None
        spec = {"department": department, "start": start, "end": end}
        return TaskDraft(
            shape="top_logger",
            instruction=self.render("top_logger", rng, **spec),
            solution=Program.of(solve_top_logger, **spec),
            answer=Answer.entity(rows[0]["name"], candidates=self._names()),
            tools=self.available_tools("find_employees", "list_timesheets", "get_department", "list_departments"),
        )

    @proposer(difficulty=2)
    def propose_on_leave(self, rng: random.Random) -> TaskDraft | None:
        row = rng.choice(
            self.rows(
                "SELECT r.*, d.name AS department FROM leave_requests r JOIN employees e ON "
                "e.id = r.employee_id JOIN departments d ON d.id = e.department_id WHERE "
                "r.status = 'approved' ORDER BY r.id"
            )
        )
        date = rng.choice(working_days(row["start_date"], row["end_date"], self._holidays()))
        away = self.column(
            "SELECT DISTINCT e.name FROM leave_requests r JOIN employees e ON e.id = r.employee_id "
            "JOIN departments d ON d.id = e.department_id WHERE d.name = ? AND r.status = 'approved' "
            "AND r.start_date <= ? AND r.end_date >= ?",
            row["department"],
            date,
            date,
        )
        spec = {"department": row["department"], "date": date}
        return TaskDraft(
            shape="on_leave",
            instruction=self.render("on_leave", rng, **spec),
            solution=Program.of(solve_on_leave, **spec),
            answer=Answer.entities(sorted(away), candidates=self._names()),
            tools=self.available_tools("list_leave_requests", "find_employees", "get_department", "get_company_info"),
        )

    # ---- level 3-5: decisions and changes -----------------------------------------------------------

    @proposer(difficulty=3)
    def propose_review_request(self, rng: random.Random) -> TaskDraft | None:
        pending = self.column("SELECT id FROM leave_requests WHERE status = 'pending' ORDER BY id")
        if not pending:
            return None
        request = self._request(rng.choice(pending))
        manager = self._employee(request["employee_id"])["manager_id"]
        if self._approval_problem(request) is None:
            balance = self._balance_id(request["employee_id"], request["leave_type"])
            effects = Effects.on(
                leave_requests=updates(
                    "status", "approver_id", keys=[request["id"]], values={"status": "approved", "approver_id": manager}
                ),
                leave_balances=updates(
                    "days",
                    keys=[balance],
                    values={"days": self._balance(request["employee_id"], request["leave_type"]) - request["days"]},
                ),
            )
        else:
            effects = Effects.on(
                leave_requests=updates(
                    "status",
                    "approver_id",
                    "note",
                    keys=[request["id"]],
                    values={"status": "rejected", "approver_id": manager},
                )
            )
        return TaskDraft(
            shape="review_request",
            instruction=self.render("review_request", rng, request_id=request["id"]),
            solution=Program.of(solve_review_department, request_ids=[request["id"]], **self._rules()),
            answer=Answer.none(),
            effects=effects,
            tools=self.available_tools(
                "list_leave_requests",
                "get_employee",
                "get_company_info",
                "approve_leave",
                "reject_leave",
                "cancel_leave",
                "list_departments",
            ),
        )

    @proposer(difficulty=3, attempts=3)
    def propose_dept_raise(self, rng: random.Random) -> TaskDraft | None:
        department = rng.choice(self.column("SELECT name FROM departments ORDER BY id"))
        hourly = self.rows(
            "SELECT e.id, e.rate FROM employees e JOIN departments d ON d.id = e.department_id "
            "WHERE d.name = ? AND e.pay_type = 'hourly' ORDER BY e.id",
            department,
        )
        threshold = float(rng.choice([22, 25, 28, 30, 32, 35, 40]))
        pct = rng.choice([3, 4, 5, 6, 8, 10, 12, 15])
        raised = [e for e in hourly if e["rate"] < threshold]
        if not raised:
            return None
        spec = {"department": department, "threshold": threshold, "pct": pct}
        return TaskDraft(
            shape="dept_raise",
            instruction=self.render("dept_raise", rng, **spec),
            solution=Program.of(solve_dept_raise, **spec, **self._rules()),
            answer=Answer.none(),
            **self._raises(raised, pct, {}, []),
            tools=self.available_tools(
                "find_employees", "get_employee", "get_department", "set_pay_rate", "list_departments"
            ),
        )

    def _raises(self, employees: list[dict], pct: float, rules: dict, expect: list) -> dict:
        """The effects and check of raising `employees` by pct% (capped), on top of other `rules` and `expect`."""
        today = self._today()
        new = {e["id"]: self._new_rate(e["rate"], pct) for e in employees}
        rules = {
            **rules,
            "employees": updates("rate", keys=sorted(new)),
            "rate_changes": inserts(
                rows=[
                    {"employee_id": e["id"], "old_rate": e["rate"], "new_rate": new[e["id"]], "changed_on": today}
                    for e in employees
                ]
            ),
        }
        expect = expect + [["employees", k, "rate", v] for k, v in sorted(new.items())]
        return {"effects": Effects.on(**rules), "check": Program.of(check_rows, expect=expect)}

    @proposer(difficulty=4)
    def propose_review_department(self, rng: random.Random) -> TaskDraft | None:
        departments = self._departments_with_pending()
        if not departments:
            return None
        department = rng.choice(departments)
        rules, expect = self._decisions(department)
        return TaskDraft(
            shape="review_department",
            instruction=self.render("review_department", rng, department=department),
            solution=Program.of(solve_review_department, department=department, **self._rules()),
            answer=Answer.none(),
            effects=Effects.on(**rules),
            check=Program.of(check_rows, expect=expect),
            tools=self.available_tools(
                "list_leave_requests",
                "get_employee",
                "get_company_info",
                "approve_leave",
                "reject_leave",
                "list_departments",
                "get_department",
                "find_employees",
            ),
        )

    def _first_start(self, employee: dict, leave_type: str, days: int, date: str) -> tuple[str, str] | None:
        """Earliest (start, end) of `days` working days from `date` that could be approved right now."""
        holidays = self._holidays()
        day = dt.date.fromisoformat(date)
        for _ in range(60):
            span = working_days(day.isoformat(), (day + dt.timedelta(days=30)).isoformat(), holidays)[:days]
            if span and span[0] == day.isoformat():
                probe = {
                    "id": 0,
                    "status": "pending",
                    "employee_id": employee["id"],
                    "leave_type": leave_type,
                    "days": days,
                    "start_date": span[0],
                    "end_date": span[-1],
                }
                if self._approval_problem(probe) is None:
                    return span[0], span[-1]
            day += dt.timedelta(days=1)
        return None

    @proposer(difficulty=4, attempts=3)
    def propose_book_leave(self, rng: random.Random) -> TaskDraft | None:
        employee = rng.choice(
            self.rows(
                "SELECT e.*, d.manager_id FROM employees e JOIN departments d ON "
                "d.id = e.department_id WHERE e.id != d.manager_id ORDER BY e.id"
            )
        )
        leave_type = rng.choice(["vacation", "vacation", "personal"])
        days = rng.randint(1, 5)
        balance = self._balance(employee["id"], leave_type)
        if balance < days:
            return None
        date = (dt.date.fromisoformat(self._today()) + dt.timedelta(days=rng.randint(2, 40))).isoformat()
        span = self._first_start(employee, leave_type, days, date)
        if span is None:
            return None
        spec = {"employee": employee["name"], "leave_type": leave_type, "days": days, "date": date}
        request = {
            "employee_id": employee["id"],
            "leave_type": leave_type,
            "start_date": span[0],
            "end_date": span[1],
            "days": days,
            "status": "approved",
            "approver_id": employee["manager_id"],
        }
        return TaskDraft(
            shape="book_leave",
            instruction=self.render("book_leave", rng, **spec),
            solution=Program.of(solve_book_leave, **spec, **self._rules()),
            answer=Answer.none(),
            effects=Effects.on(
                leave_requests=inserts(rows=[request]),
                leave_balances=updates(
                    "days", keys=[self._balance_id(employee["id"], leave_type)], values={"days": balance - days}
                ),
            ),
            tools=self.available_tools(
                "find_employees",
                "get_employee",
                "get_company_info",
                "list_holidays",
                "list_leave_requests",
                "submit_leave_request",
                "approve_leave",
                "reject_leave",
            ),
        )

    @proposer(difficulty=5, attempts=3)
    def propose_move_leave(self, rng: random.Random) -> TaskDraft | None:
        today = self._today()
        rows = self.rows(
            "SELECT r.*, e.name FROM leave_requests r JOIN employees e ON e.id = r.employee_id WHERE "
            "r.status = 'approved' AND r.start_date > ? ORDER BY r.id",
            today,
        )
        if not rows:
            return None
        request = rng.choice(rows)
        holidays = self._holidays()
        date = dt.date.fromisoformat(request["start_date"]) + dt.timedelta(days=rng.choice([-7, -3, 2, 5, 7, 14]))
        if date.isoformat() <= today or date.weekday() >= 5 or date.isoformat() in holidays:
            return None
        span = working_days(date.isoformat(), (date + dt.timedelta(days=40)).isoformat(), holidays)[: request["days"]]

        def move() -> None:
            self.cancel_leave(request["id"])
            new = self.submit_leave_request(request["employee_id"], request["leave_type"], span[0], span[-1])
            manager = self._employee(request["employee_id"])["manager_id"]
            if self._approval_problem(new) is not None:
                self.reject_leave(new["id"], manager, "no cover")
                new = self.submit_leave_request(
                    request["employee_id"], request["leave_type"], request["start_date"], request["end_date"]
                )
            self.approve_leave(new["id"], manager)

        try:
            after = self._simulate(move)
        except ValueError:
            return None
        columns = ("employee_id", "leave_type", "start_date", "end_date", "days", "status", "approver_id")
        added = [{c: r[c] for c in columns} for i, r in after["leave_requests"].items() if i > max(self._request_ids())]
        spec = {"employee": request["name"], "request_id": request["id"], "date": date.isoformat()}
        return TaskDraft(
            shape="move_leave",
            instruction=self.render("move_leave", rng, **spec),
            solution=Program.of(solve_move_leave, **spec, **self._rules()),
            answer=Answer.none(),
            # the balance gets back what the cancelled request took and gives it to the new one: no net change
            effects=Effects.on(
                leave_requests=Rule(
                    insert=len(added),
                    rows=added,
                    update=["status"],
                    keys=[request["id"]],
                    values={"status": "cancelled"},
                )
            ),
        )

    @proposer(difficulty=5, attempts=3)
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
        pending = self.list_leave_requests(department=department, status="pending")
        raised = [r for r in self._hourly_hours(department, start, end) if r["hours"] > threshold]
        if not raised or len(pending) * 2 + len(hours) * 2 > 34:  # keep the plan within an episode's turns
            return None
        rules, expect = self._decisions(department)
        spec = {"department": department, "hours": threshold, "start": start, "end": end, "pct": pct}
        return TaskDraft(
            shape="dept_close",
            instruction=self.render("dept_close", rng, **spec),
            solution=Program.of(solve_review_department, **spec, **self._rules()),
            answer=Answer.none(),
            **self._raises(raised, pct, rules, expect),
        )
