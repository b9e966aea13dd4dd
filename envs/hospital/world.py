"""The hospital's world: departments, doctors, rooms and slots, patients and their history, and how an instance's
database is built."""

from __future__ import annotations

import datetime as dt
import random

DEPARTMENTS = {
    "Primary Care": ["general practice"],
    "Heart Centre": ["cardiology"],
    "Skin Clinic": ["dermatology"],
    "Neuroscience": ["neurology"],
    "Bone and Joint": ["orthopedics"],
    "Children's Wing": ["pediatrics"],
    "Eye Unit": ["ophthalmology"],
    "Elder Care": ["geriatrics"],
}
GP = "general practice"
FIRST = [
    "Alma",
    "Basil",
    "Cora",
    "Desmond",
    "Elowen",
    "Fintan",
    "Gwen",
    "Horatio",
    "Isolde",
    "Jasper",
    "Keziah",
    "Leopold",
    "Mirela",
    "Nestor",
    "Ottilie",
    "Percival",
    "Rosalind",
    "Silas",
    "Thea",
    "Ulric",
    "Verity",
    "Wilhelm",
    "Zinnia",
    "Auden",
]
LAST = [
    "Abernathy",
    "Blackwood",
    "Castellan",
    "Drummond",
    "Ellery",
    "Fenwick",
    "Gallagher",
    "Hartigan",
    "Iverson",
    "Juniper",
    "Kingsley",
    "Lockhart",
    "Montague",
    "Nettleton",
    "Ormsby",
    "Prescott",
    "Quillon",
    "Ravensworth",
    "Sterling",
    "Thorncroft",
]
REASONS = [
    "check-up",
    "follow-up",
    "persistent cough",
    "back pain",
    "skin rash",
    "headaches",
    "blurred vision",
    "chest pain",
    "knee injury",
    "vaccination",
    "blood pressure review",
    "dizziness",
]
COPAY = {"basic": 0.4, "plus": 0.2, "premium": 0.0}  # share of the doctor's fee the patient pays
MORNING = ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]
AFTERNOON = ["13:30", "14:00", "14:30", "15:00", "15:30", "16:00"]
MAX_UPCOMING, REFERRAL_DAYS = 3, 30


def age_on(birth: str, day: str) -> int:
    b, d = dt.date.fromisoformat(birth), dt.date.fromisoformat(day)
    return d.year - b.year - ((d.month, d.day) < (b.month, b.day))


def copay(fee: float, insurance: str) -> float:
    return round(fee * COPAY[insurance], 2)


class HospitalWorld:
    def build(self, rng: random.Random) -> None:
        self.db.executescript("""
            CREATE TABLE hospital (id INTEGER PRIMARY KEY, today TEXT);
            CREATE TABLE departments (id INTEGER PRIMARY KEY, name TEXT UNIQUE, floor INTEGER);
            CREATE TABLE rooms (id INTEGER PRIMARY KEY, name TEXT UNIQUE, department_id INTEGER REFERENCES
                departments(id), floor INTEGER);
            CREATE TABLE doctors (id INTEGER PRIMARY KEY, name TEXT UNIQUE, specialty TEXT, department_id INTEGER
                REFERENCES departments(id), fee REAL, rating REAL, accepts_new INTEGER);
            CREATE TABLE slots (id INTEGER PRIMARY KEY, doctor_id INTEGER REFERENCES doctors(id), date TEXT,
                start TEXT, room_id INTEGER REFERENCES rooms(id), status TEXT);
            CREATE TABLE patients (id INTEGER PRIMARY KEY, name TEXT UNIQUE, birth_date TEXT, insurance TEXT,
                primary_doctor_id INTEGER REFERENCES doctors(id));
            CREATE TABLE appointments (id INTEGER PRIMARY KEY, patient_id INTEGER REFERENCES patients(id),
                doctor_id INTEGER REFERENCES doctors(id), slot_id INTEGER REFERENCES slots(id), date TEXT, start TEXT,
                reason TEXT, status TEXT, referral_id INTEGER);
            CREATE TABLE referrals (id INTEGER PRIMARY KEY, patient_id INTEGER REFERENCES patients(id),
                issued_by INTEGER REFERENCES doctors(id), specialty TEXT, issued_on TEXT, expires_on TEXT,
                used INTEGER);
        """)
        per_dept, n_patients, days = {
            "small": ((2, 2), (30, 40), 8),
            "medium": ((2, 3), (45, 60), 10),
            "large": ((3, 4), (70, 90), 12),
        }[self.variant.scale]
        today = dt.date(2026, rng.randint(1, 12), rng.randint(1, 28))
        self.db.execute("INSERT INTO hospital VALUES (1, ?)", (today.isoformat(),))
        names = iter(rng.sample([f"{f} {last}" for f in FIRST for last in LAST], 200))
        for floor, (dept, (specialty,)) in enumerate(DEPARTMENTS.items(), start=1):
            dept_id = self.db.execute("INSERT INTO departments (name, floor) VALUES (?, ?)", (dept, floor)).lastrowid
            for r in range(rng.randint(2, 3)):
                self.db.execute(
                    "INSERT INTO rooms (name, department_id, floor) VALUES (?, ?, ?)",
                    (f"{floor}{chr(65 + r)}{rng.randint(1, 9)}", dept_id, floor),
                )
            count = rng.randint(*per_dept) + (2 if specialty == GP else 0)
            for _ in range(count):
                fee = float(rng.randint(55, 95) if specialty == GP else rng.randint(110, 310))
                self.db.execute(
                    "INSERT INTO doctors (name, specialty, department_id, fee, rating, accepts_new) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        f"Dr {next(names)}",
                        specialty,
                        dept_id,
                        fee,
                        round(rng.triangular(3.3, 5.0, 4.6), 1),
                        int(rng.random() < 0.85),
                    ),
                )
        workdays = []
        d = today + dt.timedelta(days=1)
        while len(workdays) < days:
            if d.weekday() < 5:
                workdays.append(d.isoformat())
            d += dt.timedelta(days=1)
        for doc in self.rows("SELECT d.id, d.department_id FROM doctors d"):
            rooms = [r["id"] for r in self.rows("SELECT id FROM rooms WHERE department_id = ?", doc["department_id"])]
            for day in sorted(rng.sample(workdays, len(workdays) // 2 + rng.randint(-1, 1))):
                room = rng.choice(rooms)
                for start in rng.choice([MORNING, AFTERNOON, MORNING[2:] + AFTERNOON[:2]]):
                    self.db.execute(
                        "INSERT INTO slots (doctor_id, date, start, room_id, status) VALUES (?, ?, ?, ?, 'open')",
                        (doc["id"], day, start, room),
                    )
        gps = [r["id"] for r in self.rows("SELECT id FROM doctors WHERE specialty = ?", GP)]
        for _ in range(rng.randint(*n_patients)):
            age_days = rng.choice(
                [
                    rng.randint(365, 17 * 365),
                    rng.randint(18 * 365, 64 * 365),
                    rng.randint(18 * 365, 64 * 365),
                    rng.randint(65 * 365, 90 * 365),
                ]
            )
            self.db.execute(
                "INSERT INTO patients (name, birth_date, insurance, primary_doctor_id) VALUES (?, ?, ?, ?)",
                (
                    next(names),
                    (today - dt.timedelta(days=age_days)).isoformat(),
                    rng.choices(list(COPAY), [5, 3, 2])[0],
                    rng.choice(gps),
                ),
            )
        self._build_history(rng, today)

    def _build_history(self, rng: random.Random, today: dt.date) -> None:
        patients = self.rows("SELECT * FROM patients")
        doctors = self.rows("SELECT * FROM doctors")
        for p in patients:
            seen = [d for d in doctors if d["id"] == p["primary_doctor_id"]] + rng.sample(doctors, rng.randint(0, 2))
            for doc in seen:
                for _ in range(rng.randint(1, 3)):
                    day = (today - dt.timedelta(days=rng.randint(5, 400))).isoformat()
                    self.db.execute(
                        "INSERT INTO appointments (patient_id, doctor_id, slot_id, date, start, reason, "
                        "status, referral_id) VALUES (?, ?, NULL, ?, ?, ?, ?, NULL)",
                        (
                            p["id"],
                            doc["id"],
                            day,
                            rng.choice(MORNING + AFTERNOON),
                            rng.choice(REASONS),
                            rng.choice(["completed"] * 4 + ["cancelled"]),
                        ),
                    )
            for _ in range(rng.choices([0, 1, 2], [4, 4, 2])[0]):
                spec = rng.choice([s for (s,) in DEPARTMENTS.values() if s != GP])
                issued = today - dt.timedelta(days=rng.randint(0, 45))
                self.db.execute(
                    "INSERT INTO referrals (patient_id, issued_by, specialty, issued_on, expires_on, used) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        p["id"],
                        p["primary_doctor_id"],
                        spec,
                        issued.isoformat(),
                        (issued + dt.timedelta(days=REFERRAL_DAYS)).isoformat(),
                        int(rng.random() < 0.25),
                    ),
                )
        for p in rng.sample(patients, len(patients) * 2 // 3):  # upcoming appointments, policy-consistent
            for _ in range(rng.randint(1, 2)):
                slot = rng.choice(
                    self.rows(
                        "SELECT s.*, d.specialty FROM slots s JOIN doctors d ON d.id = s.doctor_id "
                        "WHERE s.status = 'open'"
                    )
                )
                if self._booking_problem(p["id"], slot, check_referral=False):
                    continue
                self.db.execute("UPDATE slots SET status = 'booked' WHERE id = ?", (slot["id"],))
                self.db.execute(
                    "INSERT INTO appointments (patient_id, doctor_id, slot_id, date, start, reason, status, "
                    "referral_id) VALUES (?, ?, ?, ?, ?, ?, 'booked', NULL)",
                    (p["id"], slot["doctor_id"], slot["id"], slot["date"], slot["start"], rng.choice(REASONS)),
                )
        for slot in self.rows("SELECT id FROM slots WHERE status = 'open'"):  # other patients fill the diary
            if rng.random() < 0.3:
                self.db.execute("UPDATE slots SET status = 'booked' WHERE id = ?", (slot["id"],))
            elif rng.random() < 0.04:
                self.db.execute("UPDATE slots SET status = 'blocked' WHERE id = ?", (slot["id"],))
