"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""

import datetime as dt

from synth.env import only


def find_employee(tools, name):
    return only(tools.find_employees(name=name), name=name)


def working_span(start, days, holidays):
    """The first `days` working days from `start` on (weekdays that are not holidays)."""
    span, day = [], dt.date.fromisoformat(start)
    while len(span) < days:
        if day.weekday() < 5 and day.isoformat() not in holidays:
            span.append(day.isoformat())
        day += dt.timedelta(days=1)
    return span


def covered(span, approved, max_others_away):
    """Whether on every day of `span` at most `max_others_away` of the `approved` requests are under way."""
    return all(sum(a["start_date"] <= d <= a["end_date"] for a in approved) <= max_others_away for d in span)


def solve_leave_balance(tools, params):
    employee = find_employee(tools, params["employee"])
    return tools.get_employee(employee_id=employee["id"])["leave_balances"][params["leave_type"]]


def solve_manager(tools, params):
    employee = find_employee(tools, params["employee"])
    manager_id = tools.get_employee(employee_id=employee["id"])["manager_id"]
    return tools.get_employee(employee_id=manager_id)["name"]


def solve_week_pay(tools, params):
    employee = find_employee(tools, params["employee"])
    rate = tools.get_employee(employee_id=employee["id"])["rate"]
    sunday = (dt.date.fromisoformat(params["monday"]) + dt.timedelta(days=6)).isoformat()
    hours = sum(
        t["hours"]
        for t in tools.list_timesheets(employee_id=employee["id"], start_date=params["monday"], end_date=sunday)
    )
    return round(min(hours, 40) * rate + max(0, hours - 40) * rate * 1.5, 2)


def solve_top_logger(tools, params):
    totals = {}
    for e in tools.find_employees(department=params["department"]):
        if e["pay_type"] == "hourly":
            entries = tools.list_timesheets(employee_id=e["id"], start_date=params["start"], end_date=params["end"])
            totals[e["name"]] = sum(t["hours"] for t in entries)
    return max(totals, key=totals.get)


def solve_on_leave(tools, params):
    away = {
        r["employee"]
        for r in tools.list_leave_requests(department=params["department"], status="approved")
        if r["start_date"] <= params["date"] <= r["end_date"]
    }
    return sorted(away)


def solve_review_department(tools, params):
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
        days = [d for d in working_span(r["start_date"], r["days"], holidays) if d <= r["end_date"]]
        ok = employee["leave_balances"][r["leave_type"]] >= r["days"] and covered(
            days, others, params["max_others_away"]
        )
        if ok:
            tools.approve_leave(request_id=r["id"], approver_id=employee["manager_id"])
            employee["leave_balances"][r["leave_type"]] -= r["days"]
            approved[r["department"]].append(r)
        else:
            tools.reject_leave(
                request_id=r["id"], approver_id=employee["manager_id"], reason="not enough balance or department cover"
            )
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
    employee = tools.get_employee(employee_id=find_employee(tools, params["employee"])["id"])
    holidays = {h["date"] for h in tools.get_company_info()["holidays"]}
    approved = [
        a
        for a in tools.list_leave_requests(department=employee["department"], status="approved")
        if a["employee_id"] != employee["id"]
    ]
    day = dt.date.fromisoformat(params["date"])
    for _ in range(60):
        span = working_span(day.isoformat(), params["days"], holidays)
        if span[0] == day.isoformat() and covered(span, approved, params["max_others_away"]):
            break
        day += dt.timedelta(days=1)
    request = tools.submit_leave_request(
        employee_id=employee["id"], leave_type=params["leave_type"], start_date=span[0], end_date=span[-1]
    )
    tools.approve_leave(request_id=request["id"], approver_id=employee["manager_id"])
    return f"Booked {span[0]} to {span[-1]}"


def solve_move_leave(tools, params):
    old = only(tools.list_leave_requests(status="approved"), id=params["request_id"])
    employee = tools.get_employee(employee_id=old["employee_id"])
    holidays = {h["date"] for h in tools.get_company_info()["holidays"]}
    tools.cancel_leave(request_id=old["id"])
    span = working_span(params["date"], old["days"], holidays)
    new = tools.submit_leave_request(
        employee_id=old["employee_id"], leave_type=old["leave_type"], start_date=span[0], end_date=span[-1]
    )
    balance = tools.get_employee(employee_id=old["employee_id"])["leave_balances"][old["leave_type"]]
    approved = [
        a
        for a in tools.list_leave_requests(department=employee["department"], status="approved")
        if a["employee_id"] != old["employee_id"]
    ]
    if balance < new["days"] or not covered(span, approved, params["max_others_away"]):
        tools.reject_leave(request_id=new["id"], approver_id=employee["manager_id"], reason="no cover on new dates")
        new = tools.submit_leave_request(
            employee_id=old["employee_id"],
            leave_type=old["leave_type"],
            start_date=old["start_date"],
            end_date=old["end_date"],
        )
    tools.approve_leave(request_id=new["id"], approver_id=employee["manager_id"])
    return f"Leave now starts {new['start_date']}"
