"""Payroll and HR leave: departments, employees, pay rates, timesheets, leave balances and leave requests."""

from __future__ import annotations

import datetime as dt
import random

DEPARTMENTS = [
    "Engineering",
    "Support",
    "Warehouse",
    "Finance",
    "Marketing",
    "Sales",
    "Facilities",
    "Quality",
    "Logistics",
]
FIRST = [
    "Aino",
    "Basil",
    "Calla",
    "Dmitri",
    "Eowyn",
    "Fitz",
    "Greer",
    "Hamish",
    "Isolde",
    "Jasper",
    "Kalinda",
    "Lorcan",
    "Mabel",
    "Nerys",
    "Orrin",
    "Petra",
    "Quill",
    "Roisin",
    "Soren",
    "Thea",
    "Ugo",
    "Vida",
    "Wren",
    "Yusuf",
    "Zelda",
]
LAST = [
    "Abernathy",
    "Birchall",
    "Corvin",
    "Delacroix",
    "Elston",
    "Fairweather",
    "Gunnarsen",
    "Hargreave",
    "Ishikawa",
    "Jessop",
    "Kingsley",
    "Lindqvist",
    "Montague",
    "Nakashima",
    "Okonkwo",
    "Pemberton",
    "Quayle",
    "Ravenscroft",
    "Sorensen",
    "Tallis",
]
ROLES = {
    "hourly": ["Technician", "Associate", "Operator", "Clerk", "Specialist"],
    "salaried": ["Analyst", "Engineer", "Coordinator", "Planner"],
}
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


class PayrollWorld:
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
        n_depts, per_dept = {"small": ((4, 5), (6, 9)), "medium": ((5, 7), (8, 12)), "large": ((7, 9), (11, 15))}[
            self.variant.scale
        ]
        names = iter(rng.sample([f"{f} {last}" for f in FIRST for last in LAST], 9 * 15))
        for dept in rng.sample(DEPARTMENTS, rng.randint(*n_depts)):
            dept_id = self.db.execute("INSERT INTO departments (name) VALUES (?)", (dept,)).lastrowid
            staff = []
            for i in range(rng.randint(*per_dept)):
                pay_type = "salaried" if i == 0 or rng.random() < 0.35 else "hourly"
                role = "Manager" if i == 0 else rng.choice(ROLES[pay_type])
                rate = float(rng.randint(52, 130) * 1000) if pay_type == "salaried" else round(rng.uniform(16, 42), 2)
                staff.append(
                    self.db.execute(
                        "INSERT INTO employees (name, department_id, role, pay_type, rate, hire_date) VALUES "
                        "(?, ?, ?, ?, ?, ?)",
                        (
                            next(names),
                            dept_id,
                            role,
                            pay_type,
                            rate,
                            (today - dt.timedelta(days=rng.randint(60, 3000))).isoformat(),
                        ),
                    ).lastrowid
                )
            self.db.execute("UPDATE departments SET manager_id = ? WHERE id = ?", (staff[0], dept_id))
        self._build_history(rng, today)

    def _build_history(self, rng: random.Random, today: dt.date) -> None:
        holidays = {r["date"] for r in self.rows("SELECT date FROM holidays")}
        for e in self.rows("SELECT e.*, d.manager_id FROM employees e JOIN departments d ON d.id = e.department_id"):
            for leave_type, (low, high) in zip(LEAVE_TYPES, [(2, 22), (0, 10), (0, 4)]):
                self.db.execute(
                    "INSERT INTO leave_balances (employee_id, leave_type, days) VALUES (?, ?, ?)",
                    (e["id"], leave_type, float(rng.randint(low, high))),
                )
            if e["pay_type"] == "hourly":
                for back in range(1, 43):
                    day = today - dt.timedelta(days=back)
                    weekend = day.weekday() >= 5
                    if day.isoformat() in holidays or rng.random() < (0.85 if weekend else 0.1):
                        continue
                    hours = rng.choice([4, 5, 6] if weekend else [6, 7, 7.5, 8, 8, 8, 8.5, 9, 10, 11])
                    self.db.execute(
                        "INSERT INTO timesheets (employee_id, work_date, hours, project) VALUES (?, ?, ?, ?)",
                        (e["id"], day.isoformat(), float(hours), rng.choice(PROJECTS)),
                    )
            if e["id"] == e["manager_id"]:
                continue
            for _ in range(rng.choices([0, 1, 2, 3], [2, 4, 3, 1])[0]):
                start = today + dt.timedelta(days=rng.randint(-40, 60))
                end = start + dt.timedelta(days=rng.choice([0, 1, 2, 3, 4, 7]))
                days = len(working_days(start.isoformat(), end.isoformat(), holidays))
                if not days:
                    continue
                status = (
                    "pending"
                    if start > today and rng.random() < 0.55
                    else rng.choice(["approved", "approved", "approved", "rejected"])
                )
                self.db.execute(
                    "INSERT INTO leave_requests (employee_id, leave_type, start_date, end_date, days, status, "
                    "approver_id, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        e["id"],
                        rng.choices(LEAVE_TYPES, [6, 2, 2])[0],
                        start.isoformat(),
                        end.isoformat(),
                        days,
                        status,
                        None if status == "pending" else e["manager_id"],
                        "insufficient cover" if status == "rejected" else None,
                    ),
                )
