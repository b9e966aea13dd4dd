"""Hospital appointments: departments, doctors with specialties and schedules, rooms, patients, referrals, bookings."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool
from verifiers.common import verify_names, verify_number

DEPARTMENTS = {"Primary Care": ["general practice"], "Heart Centre": ["cardiology"],
               "Skin Clinic": ["dermatology"], "Neuroscience": ["neurology"], "Bone and Joint": ["orthopedics"],
               "Children's Wing": ["pediatrics"], "Eye Unit": ["ophthalmology"], "Elder Care": ["geriatrics"]}
GP = "general practice"
FIRST = ["Alma", "Basil", "Cora", "Desmond", "Elowen", "Fintan", "Gwen", "Horatio", "Isolde", "Jasper", "Keziah",
         "Leopold", "Mirela", "Nestor", "Ottilie", "Percival", "Rosalind", "Silas", "Thea", "Ulric", "Verity", "Wilhelm",
         "Zinnia", "Auden"]
LAST = ["Abernathy", "Blackwood", "Castellan", "Drummond", "Ellery", "Fenwick", "Gallagher", "Hartigan", "Iverson",
        "Juniper", "Kingsley", "Lockhart", "Montague", "Nettleton", "Ormsby", "Prescott", "Quillon", "Ravensworth",
        "Sterling", "Thorncroft"]
REASONS = ["check-up", "follow-up", "persistent cough", "back pain", "skin rash", "headaches", "blurred vision",
           "chest pain", "knee injury", "vaccination", "blood pressure review", "dizziness"]
COPAY = {"basic": 0.4, "plus": 0.2, "premium": 0.0}  # share of the doctor's fee the patient pays
MORNING = ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]
AFTERNOON = ["13:30", "14:00", "14:30", "15:00", "15:30", "16:00"]
MAX_UPCOMING, REFERRAL_DAYS = 3, 30


def age_on(birth: str, day: str) -> int:
    b, d = dt.date.fromisoformat(birth), dt.date.fromisoformat(day)
    return d.year - b.year - ((d.month, d.day) < (b.month, b.day))


def copay(fee: float, insurance: str) -> float:
    return round(fee * COPAY[insurance], 2)


class HospitalEnv(EnvTemplate):
    name = "hospital"
    version = "1.0.0"
    category = "hospital appointments"
    description = ("A hospital's outpatient scheduling desk: look up departments, doctors and their open slots, "
                   "rooms, patients, their appointments and referrals; book, cancel and reschedule appointments and "
                   "have general practitioners issue referrals.")
    policy = (
        "Dates count from the hospital's today (get_hospital_info); only slots after today may be booked. "
        "Seeing a specialist (any specialty other than general practice) needs a referral for that specialty that "
        "is unused and not expired on the day of the appointment; booking uses it up and cancelling gives it back. "
        "Only a general practitioner who has seen the patient before (a completed appointment) may issue a referral; "
        "it is valid for 30 days. "
        "A patient may have at most 3 upcoming appointments, at most one per specialty, and never two on the same "
        "day. Pediatrics sees only patients under 18 and geriatrics only patients 65 or older (age on the day of the "
        "appointment). A doctor who does not accept new patients may only be booked by patients they have seen "
        "before. The patient pays a share of the doctor's fee: 40% on basic insurance, 20% on plus, nothing on "
        "premium. An appointment may be cancelled or rescheduled only if it is after tomorrow; rescheduling keeps "
        "the doctor."
    )
    variants = VariantSpace(
        optional_tools=("list_departments", "get_room", "get_appointment"),
        renames={"search_doctors": ("find_doctors", "doctor_directory"), "book_appointment": ("schedule_visit",),
                 "list_open_slots": ("free_slots",)},
        rules={"min_rating_four": "Never book a doctor rated below 4.0.",
               "minors_mornings": "Patients under 12 may only be booked into slots starting before 12:00."},
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "appointment_room": [
            "In which room is {{patient}}'s appointment with {{doctor}} on {{date}}?",
            "{{patient}} sees {{doctor}} on {{date}}. Which room should they go to?",
        ],
        "open_slots": [
            "How many open appointment slots does {{doctor}} have on {{date}}?",
            "Count the free slots in {{doctor}}'s schedule for {{date}}.",
        ],
        "visit_copay": [
            "How much would {{patient}} pay out of pocket for one visit with {{doctor}}?",
            "What is {{patient}}'s share of the fee for an appointment with {{doctor}}, given their insurance?",
            "Tell me the patient's cost of a visit with {{doctor}} for {{patient}}.",
        ],
        "cheapest_specialist": [
            "Which {{specialty}} doctor rated at least {{rating}} has the lowest fee?",
            "Among {{specialty}} doctors with a rating of {{rating}} or more, who charges the least?",
        ],
        "valid_referrals": [
            "For which specialties does {{patient}} hold a referral that is still usable today?",
            "List the specialties {{patient}} could currently be booked into on the strength of an unused, "
            "unexpired referral.",
        ],
        "busiest_doctor": [
            "Which doctor in the {{department}} department has the most upcoming booked appointments?",
            "Who is the busiest doctor of {{department}} by number of upcoming booked appointments?",
        ],
        "book_primary": [
            "Book {{patient}} with their primary doctor at the earliest open slot on or after {{date}} (reason: "
            "{{reason}}), keeping to the hospital's rules.",
            "{{patient}} needs to see their own GP about {{reason}}. Take the first slot with that doctor from "
            "{{date}} onward that the policy allows.",
        ],
        "cancel_day": [
            "{{patient}} can't make it to any of their appointments on {{date}}. Cancel them.",
            "Cancel every appointment {{patient}} has booked for {{date}}.",
        ],
        "reschedule_later": [
            "Move {{patient}}'s appointment with {{doctor}} on {{date}} to the earliest open slot with the same "
            "doctor after {{after}} that the rules allow.",
            "{{patient}} asks to move their {{date}} appointment with {{doctor}}: rebook it at that doctor's "
            "first free slot after {{after}} allowed by our policy.",
        ],
        "specialist_visit": [
            "{{patient}} needs a {{specialty}} appointment (reason: {{reason}}) between {{start}} and {{end}}. "
            "Use an existing valid referral if they have one; otherwise have their primary doctor issue one first. "
            "Book any {{specialty}} doctor whose visit costs the patient at most {{budget}}, following all rules.",
            "Arrange a {{specialty}} visit for {{patient}} ({{reason}}) on a day from {{start}} to {{end}}. If no "
            "usable referral is on file, get one from their primary doctor before booking. Their out-of-pocket "
            "cost must not exceed {{budget}}, and every hospital rule applies.",
        ],
        "care_plan": [
            "Set up {{patient}}'s care plan: cancel their appointment on {{cancel_date}}, then book a "
            "{{first}} visit and a {{second}} visit, both between {{start}} and {{end}} and on different days. "
            "Have their primary doctor issue any referral they lack. The two visits together may cost the patient "
            "at most {{budget}}, and {{first}} must come before {{second}}. Follow all hospital rules.",
            "For {{patient}}: first drop the appointment on {{cancel_date}}. Then book {{first}} and afterwards "
            "{{second}} (the {{first}} visit on an earlier day), each between {{start}} and {{end}}, paying no more "
            "than {{budget}} in total out of pocket. Missing referrals come from their primary doctor. Respect the "
            "policy throughout.",
        ],
    }

    # ---- database ---------------------------------------------------------------------------------

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
        per_dept, n_patients, days = {"small": ((2, 2), (30, 40), 8), "medium": ((2, 3), (45, 60), 10),
                                      "large": ((3, 4), (70, 90), 12)}[self.variant.scale]
        today = dt.date(2026, rng.randint(1, 12), rng.randint(1, 28))
        self.db.execute("INSERT INTO hospital VALUES (1, ?)", (today.isoformat(),))
        names = iter(rng.sample([f"{f} {l}" for f in FIRST for l in LAST], 200))
        for floor, (dept, (specialty,)) in enumerate(DEPARTMENTS.items(), start=1):
            dept_id = self.db.execute("INSERT INTO departments (name, floor) VALUES (?, ?)", (dept, floor)).lastrowid
            for r in range(rng.randint(2, 3)):
                self.db.execute("INSERT INTO rooms (name, department_id, floor) VALUES (?, ?, ?)",
                                (f"{floor}{chr(65 + r)}{rng.randint(1, 9)}", dept_id, floor))
            count = rng.randint(*per_dept) + (2 if specialty == GP else 0)
            for _ in range(count):
                fee = float(rng.randint(55, 95) if specialty == GP else rng.randint(110, 310))
                self.db.execute("INSERT INTO doctors (name, specialty, department_id, fee, rating, accepts_new) "
                                "VALUES (?, ?, ?, ?, ?, ?)", (f"Dr. {next(names)}", specialty, dept_id, fee,
                                                              round(rng.triangular(3.3, 5.0, 4.6), 1), int(rng.random() < 0.85)))
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
                    self.db.execute("INSERT INTO slots (doctor_id, date, start, room_id, status) VALUES (?, ?, ?, ?, "
                                    "'open')", (doc["id"], day, start, room))
        gps = [r["id"] for r in self.rows("SELECT id FROM doctors WHERE specialty = ?", GP)]
        for _ in range(rng.randint(*n_patients)):
            age_days = rng.choice([rng.randint(365, 17 * 365), rng.randint(18 * 365, 64 * 365),
                                   rng.randint(18 * 365, 64 * 365), rng.randint(65 * 365, 90 * 365)])
            self.db.execute("INSERT INTO patients (name, birth_date, insurance, primary_doctor_id) VALUES (?, ?, ?, ?)",
                            (next(names).replace("Dr. ", ""), (today - dt.timedelta(days=age_days)).isoformat(),
                             rng.choices(list(COPAY), [5, 3, 2])[0], rng.choice(gps)))
        self._build_history(rng, today)

    def _build_history(self, rng: random.Random, today: dt.date) -> None:
        patients = self.rows("SELECT * FROM patients")
        doctors = self.rows("SELECT * FROM doctors")
        for p in patients:
            seen = [d for d in doctors if d["id"] == p["primary_doctor_id"]] + rng.sample(doctors, rng.randint(0, 2))
            for doc in seen:
                for _ in range(rng.randint(1, 3)):
                    day = (today - dt.timedelta(days=rng.randint(5, 400))).isoformat()
                    self.db.execute("INSERT INTO appointments (patient_id, doctor_id, slot_id, date, start, reason, "
                                    "status, referral_id) VALUES (?, ?, NULL, ?, ?, ?, ?, NULL)",
                                    (p["id"], doc["id"], day, rng.choice(MORNING + AFTERNOON), rng.choice(REASONS),
                                     rng.choice(["completed"] * 4 + ["cancelled"])))
            for _ in range(rng.choices([0, 1, 2], [4, 4, 2])[0]):
                spec = rng.choice([s for (s,) in DEPARTMENTS.values() if s != GP])
                issued = today - dt.timedelta(days=rng.randint(0, 45))
                self.db.execute("INSERT INTO referrals (patient_id, issued_by, specialty, issued_on, expires_on, used) "
                                "VALUES (?, ?, ?, ?, ?, ?)", (p["id"], p["primary_doctor_id"], spec, issued.isoformat(),
                                                              (issued + dt.timedelta(days=REFERRAL_DAYS)).isoformat(),
                                                              int(rng.random() < 0.25)))
        for p in rng.sample(patients, len(patients) * 2 // 3):  # upcoming appointments, policy-consistent
            for _ in range(rng.randint(1, 2)):
                slot = rng.choice(self.rows("SELECT s.*, d.specialty FROM slots s JOIN doctors d ON d.id = s.doctor_id "
                                            "WHERE s.status = 'open'"))
                if self._booking_problem(p["id"], slot, check_referral=False):
                    continue
                self.db.execute("UPDATE slots SET status = 'booked' WHERE id = ?", (slot["id"],))
                self.db.execute("INSERT INTO appointments (patient_id, doctor_id, slot_id, date, start, reason, status, "
                                "referral_id) VALUES (?, ?, ?, ?, ?, ?, 'booked', NULL)",
                                (p["id"], slot["doctor_id"], slot["id"], slot["date"], slot["start"], rng.choice(REASONS)))
        for slot in self.rows("SELECT id FROM slots WHERE status = 'open'"):  # other patients fill the diary
            if rng.random() < 0.3:
                self.db.execute("UPDATE slots SET status = 'booked' WHERE id = ?", (slot["id"],))
            elif rng.random() < 0.04:
                self.db.execute("UPDATE slots SET status = 'blocked' WHERE id = ?", (slot["id"],))

    # ---- rules --------------------------------------------------------------------------------------

    def _today(self) -> str:
        return self.db.execute("SELECT today FROM hospital").fetchone()[0]

    def _rules(self) -> dict:
        return {"min_rating": 4.0 if "min_rating_four" in self.variant.rules else 0.0,
                "minors_mornings": "minors_mornings" in self.variant.rules}

    def _upcoming(self, patient_id: int) -> list[dict]:
        return self.rows("SELECT a.*, d.specialty FROM appointments a JOIN doctors d ON d.id = a.doctor_id WHERE "
                         "a.patient_id = ? AND a.status = 'booked' ORDER BY a.date, a.start", patient_id)

    def _seen(self, patient_id: int, doctor_id: int) -> bool:
        return self.db.execute("SELECT 1 FROM appointments WHERE patient_id = ? AND doctor_id = ? AND status = "
                               "'completed'", (patient_id, doctor_id)).fetchone() is not None

    def _referral(self, patient_id: int, specialty: str, day: str) -> dict | None:
        row = self.db.execute("SELECT * FROM referrals WHERE patient_id = ? AND specialty = ? AND used = 0 AND "
                              "issued_on <= ? AND expires_on >= ? ORDER BY expires_on, id",
                              (patient_id, specialty, self._today(), day)).fetchone()
        return dict(row) if row else None

    def _booking_problem(self, patient_id: int, slot: dict, *, check_referral: bool = True,
                         ignore: int | None = None) -> str | None:
        """Why the patient may not take the slot (None when allowed); `ignore`: an appointment being moved."""
        doc = self.db.execute("SELECT * FROM doctors WHERE id = ?", (slot["doctor_id"],)).fetchone()
        patient = self.db.execute("SELECT * FROM patients WHERE id = ?", (patient_id,)).fetchone()
        upcoming = [a for a in self._upcoming(patient_id) if a["id"] != ignore]
        age = age_on(patient["birth_date"], slot["date"])
        rules = self._rules()
        if slot["status"] != "open" or slot["date"] <= self._today():
            return "the slot is not open for booking"
        if len(upcoming) >= MAX_UPCOMING:
            return f"a patient may have at most {MAX_UPCOMING} upcoming appointments"
        if any(a["specialty"] == doc["specialty"] for a in upcoming):
            return f"the patient already has an upcoming {doc['specialty']} appointment"
        if any(a["date"] == slot["date"] for a in upcoming):
            return "the patient already has an appointment that day"
        if doc["specialty"] == "pediatrics" and age >= 18 or doc["specialty"] == "geriatrics" and age < 65:
            return f"a patient aged {age} cannot be seen in {doc['specialty']}"
        if not doc["accepts_new"] and not self._seen(patient_id, doc["id"]):
            return "this doctor takes no new patients and has not seen this patient before"
        if doc["rating"] < rules["min_rating"]:
            return f"doctors rated below {rules['min_rating']} may not be booked"
        if rules["minors_mornings"] and age < 12 and slot["start"] >= "12:00":
            return "patients under 12 may only be booked before 12:00"
        if check_referral and doc["specialty"] != GP and not self._referral(patient_id, doc["specialty"], slot["date"]):
            return f"no unused, unexpired {doc['specialty']} referral for that day"
        return None

    def _get(self, table: str, row_id: int, hint: str) -> dict:
        row = self.db.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,)).fetchone()
        if row is None:
            raise ValueError(f"no {table[:-1]} with id {row_id}; {hint}")
        return dict(row)

    # ---- tools --------------------------------------------------------------------------------------

    @tool("read")
    def get_hospital_info(self) -> dict:
        """Today's date and the scheduling rules in numbers (copay shares, limits, referral validity)."""
        return {"today": self._today(), "copay_share": dict(COPAY), "max_upcoming_appointments": MAX_UPCOMING,
                "referral_valid_days": REFERRAL_DAYS, "min_doctor_rating": self._rules()["min_rating"],
                "under_12_mornings_only": self._rules()["minors_mornings"]}

    @tool("read")
    def list_departments(self) -> list[dict]:
        """Departments with their floor and the specialty they offer."""
        return self.rows("SELECT d.id, d.name, d.floor, MIN(doc.specialty) AS specialty FROM departments d JOIN "
                         "doctors doc ON doc.department_id = d.id GROUP BY d.id ORDER BY d.name")

    @tool("read")
    def search_doctors(self, specialty: str | None = None, department: str | None = None,
                       min_rating: float = 0.0) -> list[dict]:
        """Doctors filtered by specialty, department name and minimum rating, with fee and whether they take new patients.

        Args:
            specialty: e.g. general practice, cardiology, dermatology, neurology, orthopedics, pediatrics,
                ophthalmology, geriatrics.
            department: Department name.
            min_rating: Lowest acceptable rating (0-5).
        """
        return self.rows("SELECT doc.id, doc.name, doc.specialty, dep.name AS department, doc.fee, doc.rating, "
                         "doc.accepts_new FROM doctors doc JOIN departments dep ON dep.id = doc.department_id WHERE "
                         "(? IS NULL OR lower(doc.specialty) = lower(?)) AND (? IS NULL OR lower(dep.name) = lower(?)) "
                         "AND doc.rating >= ? ORDER BY doc.id", specialty, specialty, department, department, min_rating)

    @tool("read")
    def list_open_slots(self, doctor_id: int, date_from: str | None = None, date_to: str | None = None) -> list[dict]:
        """A doctor's open slots (id, date, start time, room), optionally between two dates (YYYY-MM-DD, inclusive).

        Args:
            doctor_id: Doctor id.
            date_from: First date.
            date_to: Last date.
        """
        self._get("doctors", doctor_id, "use search_doctors")
        return self.rows("SELECT s.id AS slot_id, s.date, s.start, r.name AS room FROM slots s JOIN rooms r ON "
                         "r.id = s.room_id WHERE s.doctor_id = ? AND s.status = 'open' AND s.date >= ? AND s.date <= ? "
                         "ORDER BY s.date, s.start", doctor_id, date_from or "0000", date_to or "9999")

    @tool("read")
    def get_schedule(self, doctor_id: int, date: str | None = None) -> list[dict]:
        """Every slot of a doctor (open, booked or blocked), optionally of one date (YYYY-MM-DD).

        Args:
            doctor_id: Doctor id.
            date: Only this date.
        """
        self._get("doctors", doctor_id, "use search_doctors")
        return self.rows("SELECT s.id AS slot_id, s.date, s.start, s.status FROM slots s WHERE s.doctor_id = ? AND "
                         "(? IS NULL OR s.date = ?) ORDER BY s.date, s.start", doctor_id, date, date)

    @tool("read")
    def get_room(self, room_id: int) -> dict:
        """One room: name, floor and department.

        Args:
            room_id: Room id.
        """
        room = self._get("rooms", room_id, "room ids appear in appointments")
        room["department"] = self.db.execute("SELECT name FROM departments WHERE id = ?",
                                             (room.pop("department_id"),)).fetchone()[0]
        return room

    @tool("read")
    def find_patients(self, name: str) -> list[dict]:
        """Patients whose name contains the text (case-insensitive).

        Args:
            name: Full or partial patient name.
        """
        if not name.strip():
            raise ValueError("give part of the patient's name")
        return self.rows("SELECT id, name, birth_date FROM patients WHERE lower(name) LIKE '%' || lower(?) || '%' "
                         "ORDER BY id", name)

    @tool("read")
    def get_patient(self, patient_id: int) -> dict:
        """A patient's birth date, insurance, primary doctor, upcoming appointments, past doctors and referrals.

        Args:
            patient_id: Patient id from find_patients.
        """
        p = self._get("patients", patient_id, "use find_patients")
        p["primary_doctor"] = self.db.execute("SELECT name FROM doctors WHERE id = ?",
                                              (p["primary_doctor_id"],)).fetchone()[0]
        p["upcoming"] = self.rows("SELECT a.id AS appointment_id, a.doctor_id, d.name AS doctor, d.specialty, a.date, "
                                  "a.start, s.room_id, r.name AS room, a.reason FROM appointments a JOIN doctors d ON "
                                  "d.id = a.doctor_id JOIN slots s ON s.id = a.slot_id JOIN rooms r ON r.id = s.room_id "
                                  "WHERE a.patient_id = ? AND a.status = 'booked' "
                                  "ORDER BY a.date, a.start", patient_id)
        p["doctors_seen"] = [r["doctor_id"] for r in self.rows(
            "SELECT DISTINCT doctor_id FROM appointments WHERE patient_id = ? AND status = 'completed' ORDER BY "
            "doctor_id", patient_id)]
        p["referrals"] = self.rows("SELECT id AS referral_id, specialty, issued_on, expires_on, used FROM referrals "
                                   "WHERE patient_id = ? ORDER BY id", patient_id)
        return p

    @tool("read")
    def get_appointment(self, appointment_id: int) -> dict:
        """One appointment with its doctor, slot and room.

        Args:
            appointment_id: Appointment id.
        """
        a = self._get("appointments", appointment_id, "get_patient lists a patient's appointments")
        if a["slot_id"]:
            a["room_id"] = self.db.execute("SELECT room_id FROM slots WHERE id = ?", (a["slot_id"],)).fetchone()[0]
        return a

    @tool("write")
    def book_appointment(self, patient_id: int, slot_id: int, reason: str) -> dict:
        """Book an open slot for a patient; a specialist booking uses up the patient's referral for that specialty.

        Args:
            patient_id: Patient id.
            slot_id: Slot id from list_open_slots.
            reason: Reason for the visit.
        """
        self._get("patients", patient_id, "use find_patients")
        slot = self._get("slots", slot_id, "use list_open_slots")
        if problem := self._booking_problem(patient_id, slot):
            raise ValueError(f"policy: {problem}")
        specialty = self._get("doctors", slot["doctor_id"], "")["specialty"]
        referral = self._referral(patient_id, specialty, slot["date"]) if specialty != GP else None
        if referral:
            self.db.execute("UPDATE referrals SET used = 1 WHERE id = ?", (referral["id"],))
        self.db.execute("UPDATE slots SET status = 'booked' WHERE id = ?", (slot_id,))
        cur = self.db.execute("INSERT INTO appointments (patient_id, doctor_id, slot_id, date, start, reason, status, "
                              "referral_id) VALUES (?, ?, ?, ?, ?, ?, 'booked', ?)",
                              (patient_id, slot["doctor_id"], slot_id, slot["date"], slot["start"], reason,
                               referral and referral["id"]))
        return {"appointment_id": cur.lastrowid, "date": slot["date"], "start": slot["start"],
                "referral_id": referral and referral["id"]}

    def _movable(self, appointment_id: int) -> dict:
        a = self._get("appointments", appointment_id, "get_patient lists a patient's appointments")
        if a["status"] != "booked":
            raise ValueError(f"appointment {appointment_id} is {a['status']}, not booked")
        tomorrow = (dt.date.fromisoformat(self._today()) + dt.timedelta(days=1)).isoformat()
        if a["date"] <= tomorrow:
            raise ValueError("policy: appointments today or tomorrow can no longer be changed")
        return a

    @tool("write")
    def cancel_appointment(self, appointment_id: int) -> dict:
        """Cancel a booked appointment; its slot reopens and a referral it used becomes usable again.

        Args:
            appointment_id: Appointment id.
        """
        a = self._movable(appointment_id)
        self.db.execute("UPDATE appointments SET status = 'cancelled' WHERE id = ?", (appointment_id,))
        self.db.execute("UPDATE slots SET status = 'open' WHERE id = ?", (a["slot_id"],))
        if a["referral_id"]:
            self.db.execute("UPDATE referrals SET used = 0 WHERE id = ?", (a["referral_id"],))
        return {"appointment_id": appointment_id, "status": "cancelled"}

    @tool("write")
    def reschedule_appointment(self, appointment_id: int, slot_id: int) -> dict:
        """Move a booked appointment to another open slot of the same doctor.

        Args:
            appointment_id: Appointment id.
            slot_id: New slot id of the same doctor.
        """
        a = self._movable(appointment_id)
        slot = self._get("slots", slot_id, "use list_open_slots")
        if slot["doctor_id"] != a["doctor_id"]:
            raise ValueError("rescheduling keeps the doctor; pick a slot of the same doctor")
        if problem := self._booking_problem(a["patient_id"], slot, check_referral=False, ignore=a["id"]):
            raise ValueError(f"policy: {problem}")
        if a["referral_id"]:
            expires = self._get("referrals", a["referral_id"], "")["expires_on"]
            if slot["date"] > expires:
                raise ValueError("policy: the referral used by this appointment expires before that slot")
        self.db.execute("UPDATE slots SET status = 'open' WHERE id = ?", (a["slot_id"],))
        self.db.execute("UPDATE slots SET status = 'booked' WHERE id = ?", (slot_id,))
        self.db.execute("UPDATE appointments SET slot_id = ?, date = ?, start = ? WHERE id = ?",
                        (slot_id, slot["date"], slot["start"], appointment_id))
        return {"appointment_id": appointment_id, "date": slot["date"], "start": slot["start"]}

    @tool("write")
    def issue_referral(self, patient_id: int, doctor_id: int, specialty: str) -> dict:
        """Have a general practitioner issue a patient a referral to a specialty, valid for 30 days from today.

        Args:
            patient_id: Patient id.
            doctor_id: Id of the issuing general practitioner.
            specialty: Specialty referred to.
        """
        self._get("patients", patient_id, "use find_patients")
        doc = self._get("doctors", doctor_id, "use search_doctors")
        specialties = {s for (s,) in DEPARTMENTS.values()} - {GP}
        if specialty not in specialties:
            raise ValueError(f"specialty must be one of {sorted(specialties)}")
        if doc["specialty"] != GP:
            raise ValueError("policy: only general practitioners issue referrals")
        if not self._seen(patient_id, doctor_id):
            raise ValueError("policy: the doctor must have seen the patient before (a completed appointment)")
        today = self._today()
        expires = (dt.date.fromisoformat(today) + dt.timedelta(days=REFERRAL_DAYS)).isoformat()
        cur = self.db.execute("INSERT INTO referrals (patient_id, issued_by, specialty, issued_on, expires_on, used) "
                              "VALUES (?, ?, ?, ?, ?, 0)", (patient_id, doctor_id, specialty, today, expires))
        return {"referral_id": cur.lastrowid, "specialty": specialty, "expires_on": expires}

    # ---- proposers ----------------------------------------------------------------------------------


    def _doctor_names(self) -> list[str]:
        return [r["name"] for r in self.rows("SELECT name FROM doctors")]

    @proposer(difficulty=1)
    def propose_appointment_room(self, rng: random.Random) -> TaskDraft | None:
        a = rng.choice(self.rows("SELECT a.date, p.name AS patient, d.name AS doctor, r.name AS room FROM appointments a "
                                 "JOIN patients p ON p.id = a.patient_id JOIN doctors d ON d.id = a.doctor_id JOIN slots "
                                 "s ON s.id = a.slot_id JOIN rooms r ON r.id = s.room_id WHERE a.status = 'booked'"))
        spec = {"patient": a["patient"], "doctor": a["doctor"], "date": a["date"]}
        return TaskDraft(
            shape="appointment_room", instruction=self.render("appointment_room", rng, **spec),
            solution=Program.of(solve_appointment_room, **spec),
            verifier=Program.of(verify_names, expected=[a["room"]],
                                candidates=[r["name"] for r in self.rows("SELECT name FROM rooms")]),
            tools=self.available_tools("find_patients", "get_patient", "get_room", "get_appointment"),
        )

    @proposer(difficulty=1)
    def propose_open_slots(self, rng: random.Random) -> TaskDraft | None:
        day = rng.choice(self.rows("SELECT DISTINCT doctor_id, date FROM slots"))
        doctor = self._get("doctors", day["doctor_id"], "")["name"]
        n = self.db.execute("SELECT COUNT(*) FROM slots WHERE doctor_id = ? AND date = ? AND status = 'open'",
                            (day["doctor_id"], day["date"])).fetchone()[0]
        return TaskDraft(
            shape="open_slots", instruction=self.render("open_slots", rng, doctor=doctor, date=day["date"]),
            solution=Program.of(solve_open_slots, doctor=doctor, date=day["date"]),
            verifier=Program.of(verify_number, expected=n, tolerance=0.0),
            tools=self.available_tools("search_doctors", "list_open_slots", "get_hospital_info"),
        )

    @proposer(difficulty=1)
    def propose_visit_copay(self, rng: random.Random) -> TaskDraft | None:
        p = rng.choice(self.rows("SELECT * FROM patients WHERE insurance != 'premium'"))
        d = rng.choice(self.rows("SELECT * FROM doctors"))
        spec = {"patient": p["name"], "doctor": d["name"]}
        return TaskDraft(
            shape="visit_copay", instruction=self.render("visit_copay", rng, **spec),
            solution=Program.of(solve_visit_copay, **spec),
            verifier=Program.of(verify_number, expected=copay(d["fee"], p["insurance"]), tolerance=0.005),
            tools=self.available_tools("find_patients", "get_patient", "search_doctors", "get_hospital_info"),
        )

    @proposer(difficulty=2)
    def propose_cheapest_specialist(self, rng: random.Random) -> TaskDraft | None:
        specialty = rng.choice([s for (s,) in DEPARTMENTS.values()])
        rating = rng.choice([3.5, 3.8, 4.0, 4.2, 4.5])
        docs = sorted(self.rows("SELECT name, fee FROM doctors WHERE specialty = ? AND rating >= ?", specialty, rating),
                      key=lambda d: d["fee"])
        if not docs or len(docs) > 1 and docs[0]["fee"] == docs[1]["fee"]:
            return None
        return TaskDraft(
            shape="cheapest_specialist",
            instruction=self.render("cheapest_specialist", rng, specialty=specialty, rating=rating),
            solution=Program.of(solve_cheapest_specialist, specialty=specialty, rating=rating),
            verifier=Program.of(verify_names, expected=[docs[0]["name"]], candidates=self._doctor_names()),
            tools=self.available_tools("search_doctors", "list_departments"),
        )

    @proposer(difficulty=2)
    def propose_valid_referrals(self, rng: random.Random) -> TaskDraft | None:
        patients = self.rows("SELECT DISTINCT p.* FROM patients p JOIN referrals r ON r.patient_id = p.id WHERE "
                             "r.used = 0 AND r.expires_on >= ?", self._today())
        p = rng.choice(patients)
        today = self._today()
        valid = sorted({r["specialty"] for r in self.rows("SELECT specialty FROM referrals WHERE patient_id = ? AND "
                                                          "used = 0 AND expires_on >= ?", p["id"], today)})
        if not valid:
            return None
        return TaskDraft(
            shape="valid_referrals", instruction=self.render("valid_referrals", rng, patient=p["name"]),
            solution=Program.of(solve_valid_referrals, patient=p["name"]),
            verifier=Program.of(verify_names, expected=valid, candidates=[s for (s,) in DEPARTMENTS.values()]),
            tools=self.available_tools("find_patients", "get_patient", "get_hospital_info"),
        )

    @proposer(difficulty=2)
    def propose_busiest_doctor(self, rng: random.Random) -> TaskDraft | None:
        dept = rng.choice(self.rows("SELECT dep.id, dep.name FROM departments dep JOIN doctors d ON d.department_id = "
                                    "dep.id GROUP BY dep.id HAVING COUNT(*) >= 2"))
        counts = self.rows("SELECT d.name, (SELECT COUNT(*) FROM slots s WHERE s.doctor_id = d.id AND s.status = "
                           "'booked') AS n FROM doctors d WHERE d.department_id = ? ORDER BY n DESC", dept["id"])
        if len(counts) < 2 or counts[0]["n"] == counts[1]["n"]:
            return None
        return TaskDraft(
            shape="busiest_doctor", instruction=self.render("busiest_doctor", rng, department=dept["name"]),
            solution=Program.of(solve_busiest_doctor, department=dept["name"]),
            verifier=Program.of(verify_names, expected=[counts[0]["name"]], candidates=self._doctor_names()),
            tools=self.available_tools("search_doctors", "get_schedule", "list_departments", "get_hospital_info"),
        )

    def _allowed_slots(self, patient_id: int, doctor_ids: list[int], start: str, end: str, ignore=None,
                       check_referral=True) -> list[dict]:
        slots = self.rows("SELECT * FROM slots WHERE status = 'open' AND date >= ? AND date <= ? ORDER BY date, start, id",
                          start, end)
        return [s for s in slots if s["doctor_id"] in doctor_ids
                and not self._booking_problem(patient_id, s, ignore=ignore, check_referral=check_referral)]

    def _dates(self) -> list[str]:
        return [r["date"] for r in self.rows("SELECT DISTINCT date FROM slots ORDER BY date")]

    @proposer(difficulty=3)
    def propose_book_primary(self, rng: random.Random) -> TaskDraft | None:
        p = rng.choice(self.rows("SELECT * FROM patients"))
        date = rng.choice(self._dates()[: len(self._dates()) // 2])
        ok = self._allowed_slots(p["id"], [p["primary_doctor_id"]], date, "9999")
        if not ok:
            return None
        reason = rng.choice(REASONS)
        return TaskDraft(
            shape="book_primary",
            instruction=self.render("book_primary", rng, patient=p["name"], date=date, reason=reason),
            solution=Program.of(solve_book_primary, patient=p["name"], date=date, reason=reason, **self._rules()),
            verifier=Program.of(verify_bookings, patient_id=p["id"], cancelled=[], moved={},
                                expected_slots=[ok[0]["id"]], bookings=[]),
        )

    @proposer(difficulty=3)
    def propose_cancel_day(self, rng: random.Random) -> TaskDraft | None:
        tomorrow = self._dates()[0]
        a = rng.choice(self.rows("SELECT a.*, p.name FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE "
                                 "a.status = 'booked' AND a.date > ?", tomorrow))
        ids = [r["id"] for r in self.rows("SELECT id FROM appointments WHERE patient_id = ? AND date = ? AND status = "
                                          "'booked'", a["patient_id"], a["date"])]
        return TaskDraft(
            shape="cancel_day", instruction=self.render("cancel_day", rng, patient=a["name"], date=a["date"]),
            solution=Program.of(solve_cancel_day, patient=a["name"], date=a["date"]),
            verifier=Program.of(verify_bookings, patient_id=a["patient_id"], cancelled=ids, moved={},
                                expected_slots=[], bookings=[]),
        )

    @proposer(difficulty=3)
    def propose_reschedule_later(self, rng: random.Random) -> TaskDraft | None:
        dates = self._dates()
        movable = self.rows("SELECT a.*, p.name AS patient, d.name AS doctor FROM appointments a JOIN patients p ON "
                            "p.id = a.patient_id JOIN doctors d ON d.id = a.doctor_id WHERE a.status = 'booked' AND "
                            "a.date > ?", dates[0])
        if not movable:
            return None
        a = rng.choice(movable)
        after = rng.choice(dates[:-2])
        later = [s for s in self._allowed_slots(a["patient_id"], [a["doctor_id"]], after, "9999", ignore=a["id"],
                                                check_referral=False) if s["date"] > after]
        if a["referral_id"]:
            expires = self._get("referrals", a["referral_id"], "")["expires_on"]
            later = [s for s in later if s["date"] <= expires]
        if not later:
            return None
        spec = {"patient": a["patient"], "doctor": a["doctor"], "date": a["date"], "after": after}
        return TaskDraft(
            shape="reschedule_later", instruction=self.render("reschedule_later", rng, **spec),
            solution=Program.of(solve_reschedule_later, **spec, **self._rules()),
            verifier=Program.of(verify_bookings, patient_id=a["patient_id"], cancelled=[],
                                moved={str(a["id"]): later[0]["id"]}, expected_slots=[], bookings=[]),
        )

    def _fitting_specialties(self, p: dict, day: str) -> list[str]:
        age = age_on(p["birth_date"], day)
        return [s for (s,) in DEPARTMENTS.values() if not (s == "pediatrics" and age >= 18 or s == "geriatrics" and age < 65)]

    def _booking_spec(self, specialty: str, start: str, end: str, budget: float) -> dict:
        return {"specialty": specialty, "start": start, "end": end, "budget": budget, **self._rules()}

    def _specialist_options(self, p: dict, specialty: str, start: str, end: str, budget: float,
                            ignore: int | None = None) -> list[dict]:
        """Slots a valid plan may book (assuming a fresh referral is issued when none is usable)."""
        docs = [d["id"] for d in self.rows("SELECT * FROM doctors WHERE specialty = ?", specialty)
                if copay(d["fee"], p["insurance"]) <= budget]
        return self._allowed_slots(p["id"], docs, start, end, check_referral=False, ignore=ignore)

    @proposer(difficulty=4)
    def propose_specialist_visit(self, rng: random.Random) -> TaskDraft | None:
        p = rng.choice(self.rows("SELECT * FROM patients"))
        if not self._seen(p["id"], p["primary_doctor_id"]):
            return None
        dates = self._dates()
        specialty = rng.choice([s for s in self._fitting_specialties(p, dates[-1]) if s != GP])
        i = rng.randrange(0, len(dates) - 4)
        start, end = dates[i], dates[min(len(dates) - 1, i + rng.randint(3, 7))]
        fees = sorted(copay(d["fee"], p["insurance"]) for d in self.rows("SELECT fee FROM doctors WHERE specialty = ?",
                                                                          specialty))
        budget = float(rng.choice(fees[len(fees) // 2:])) + rng.choice([0, 5, 10])
        if not self._specialist_options(p, specialty, start, end, budget):
            return None
        referral = self._referral(p["id"], specialty, end)
        reason = rng.choice(REASONS)
        spec = self._booking_spec(specialty, start, end, budget)
        return TaskDraft(
            shape="specialist_visit",
            instruction=self.render("specialist_visit", rng, patient=p["name"], specialty=specialty, reason=reason,
                                    start=start, end=end, budget=budget),
            solution=Program.of(solve_specialist_visit, patient=p["name"], reason=reason, **spec),
            verifier=Program.of(verify_bookings, patient_id=p["id"], cancelled=[], moved={}, expected_slots=[],
                                bookings=[spec], new_referrals=[] if referral else [specialty]),
        )

    @proposer(difficulty=5)
    def propose_care_plan(self, rng: random.Random) -> TaskDraft | None:
        dates = self._dates()
        cands = self.rows("SELECT a.*, p.name AS patient FROM appointments a JOIN patients p ON p.id = a.patient_id "
                          "WHERE a.status = 'booked' AND a.date > ?", dates[0])
        a = rng.choice(cands)
        p = self._get("patients", a["patient_id"], "")
        if not self._seen(p["id"], p["primary_doctor_id"]):
            return None
        first, second = rng.sample(self._fitting_specialties(p, dates[-1]), 2)
        i = rng.randrange(0, len(dates) - 5)
        start, end = dates[i], dates[min(len(dates) - 1, i + rng.randint(4, 8))]
        if any(o["specialty"] in (first, second) for o in self._upcoming(p["id"]) if o["id"] != a["id"]):
            return None
        if len(self._upcoming(p["id"])) > MAX_UPCOMING - 1:
            return None
        opt1 = self._specialist_options(p, first, start, end, 1e9, ignore=a["id"])
        opt2 = self._specialist_options(p, second, start, end, 1e9, ignore=a["id"])
        fee = {d["id"]: copay(d["fee"], p["insurance"]) for d in self.rows("SELECT * FROM doctors")}
        pairs = [fee[x["doctor_id"]] + fee[y["doctor_id"]] for x in opt1 for y in opt2 if x["date"] < y["date"]]
        if not pairs:
            return None
        budget = float(sorted(pairs)[len(pairs) // 3]) + rng.choice([0, 10])
        held = {s for s in (first, second) if s != GP and self._referral(p["id"], s, end)}
        need = sorted(s for s in (first, second) if s != GP and s not in held)
        spec = {"start": start, "end": end, **self._rules()}
        return TaskDraft(
            shape="care_plan",
            instruction=self.render("care_plan", rng, patient=p["name"], cancel_date=a["date"], first=first,
                                    second=second, start=start, end=end, budget=budget),
            solution=Program.of(solve_care_plan, patient=p["name"], cancel_date=a["date"], first=first, second=second,
                                budget=budget, **spec),
            verifier=Program.of(verify_bookings, patient_id=p["id"], cancelled=[a["id"]], moved={}, expected_slots=[],
                                bookings=[{**spec, "specialty": first, "budget": None},
                                          {**spec, "specialty": second, "budget": None}],
                                total_budget=budget, ordered=True, new_referrals=need),
        )


# ---- solutions: tools and computation only --------------------------------------------------------

def solve_appointment_room(tools, params):
    p = next(p for p in tools.find_patients(name=params["patient"]) if p["name"] == params["patient"])
    appt = next(a for a in tools.get_patient(patient_id=p["id"])["upcoming"]
                if a["doctor"] == params["doctor"] and a["date"] == params["date"])
    return appt["room"]


def solve_open_slots(tools, params):
    doc = next(d for d in tools.search_doctors() if d["name"] == params["doctor"])
    return len(tools.list_open_slots(doctor_id=doc["id"], date_from=params["date"], date_to=params["date"]))


def solve_visit_copay(tools, params):
    p = next(p for p in tools.find_patients(name=params["patient"]) if p["name"] == params["patient"])
    insurance = tools.get_patient(patient_id=p["id"])["insurance"]
    share = tools.get_hospital_info()["copay_share"][insurance]
    doc = next(d for d in tools.search_doctors() if d["name"] == params["doctor"])
    return round(doc["fee"] * share, 2)


def solve_cheapest_specialist(tools, params):
    docs = tools.search_doctors(specialty=params["specialty"], min_rating=params["rating"])
    return min(docs, key=lambda d: d["fee"])["name"]


def solve_valid_referrals(tools, params):
    today = tools.get_hospital_info()["today"]
    p = next(p for p in tools.find_patients(name=params["patient"]) if p["name"] == params["patient"])
    refs = tools.get_patient(patient_id=p["id"])["referrals"]
    return sorted({r["specialty"] for r in refs if not r["used"] and r["expires_on"] >= today})


def solve_busiest_doctor(tools, params):
    counts = {}
    for doc in tools.search_doctors(department=params["department"]):
        counts[doc["name"]] = len([s for s in tools.get_schedule(doctor_id=doc["id"]) if s["status"] == "booked"])
    return max(counts, key=counts.get)


def solve_book_primary(tools, params):
    p = next(p for p in tools.find_patients(name=params["patient"]) if p["name"] == params["patient"])
    info = tools.get_patient(patient_id=p["id"])
    for slot in tools.list_open_slots(doctor_id=info["primary_doctor_id"], date_from=params["date"]):
        try:
            return tools.book_appointment(patient_id=p["id"], slot_id=slot["slot_id"], reason=params["reason"])
        except Exception:
            continue
    return "no slot"


def solve_cancel_day(tools, params):
    p = next(p for p in tools.find_patients(name=params["patient"]) if p["name"] == params["patient"])
    done = [tools.cancel_appointment(appointment_id=a["appointment_id"])["appointment_id"]
            for a in tools.get_patient(patient_id=p["id"])["upcoming"] if a["date"] == params["date"]]
    return f"Cancelled {done}"


def solve_reschedule_later(tools, params):
    p = next(p for p in tools.find_patients(name=params["patient"]) if p["name"] == params["patient"])
    appt = next(a for a in tools.get_patient(patient_id=p["id"])["upcoming"]
                if a["doctor"] == params["doctor"] and a["date"] == params["date"])
    for slot in tools.list_open_slots(doctor_id=appt["doctor_id"], date_from=params["after"]):
        if slot["date"] <= params["after"]:
            continue
        try:
            return tools.reschedule_appointment(appointment_id=appt["appointment_id"], slot_id=slot["slot_id"])
        except Exception:
            continue
    return "no slot"


def solve_specialist_visit(tools, params):
    p = next(p for p in tools.find_patients(name=params["patient"]) if p["name"] == params["patient"])
    info = tools.get_patient(patient_id=p["id"])
    share = tools.get_hospital_info()["copay_share"][info["insurance"]]
    usable = [r for r in info["referrals"] if r["specialty"] == params["specialty"] and not r["used"]
              and r["expires_on"] >= params["end"]]
    if not usable:
        tools.issue_referral(patient_id=p["id"], doctor_id=info["primary_doctor_id"], specialty=params["specialty"])
    for doc in tools.search_doctors(specialty=params["specialty"], min_rating=params["min_rating"]):
        if round(doc["fee"] * share, 2) > params["budget"]:
            continue
        for slot in tools.list_open_slots(doctor_id=doc["id"], date_from=params["start"], date_to=params["end"]):
            try:
                return tools.book_appointment(patient_id=p["id"], slot_id=slot["slot_id"], reason=params["reason"])
            except Exception:
                continue
    return "no slot"


def solve_care_plan(tools, params):
    p = next(p for p in tools.find_patients(name=params["patient"]) if p["name"] == params["patient"])
    info = tools.get_patient(patient_id=p["id"])
    share = tools.get_hospital_info()["copay_share"][info["insurance"]]
    old = next(a for a in info["upcoming"] if a["date"] == params["cancel_date"])
    tools.cancel_appointment(appointment_id=old["appointment_id"])
    for specialty in (params["first"], params["second"]):
        usable = [r for r in info["referrals"] if r["specialty"] == specialty and not r["used"]
                  and r["expires_on"] >= params["end"]]
        if specialty != "general practice" and not usable:
            tools.issue_referral(patient_id=p["id"], doctor_id=info["primary_doctor_id"], specialty=specialty)
    busy = {a["date"] for a in info["upcoming"] if a["appointment_id"] != old["appointment_id"]}
    birth = info["birth_date"]
    options = {}
    for specialty in (params["first"], params["second"]):
        options[specialty] = []
        for doc in tools.search_doctors(specialty=specialty, min_rating=params["min_rating"]):
            if not doc["accepts_new"] and doc["id"] not in info["doctors_seen"]:
                continue
            for slot in tools.list_open_slots(doctor_id=doc["id"], date_from=params["start"], date_to=params["end"]):
                age = int(slot["date"][:4]) - int(birth[:4]) - (slot["date"][5:] < birth[5:])
                if slot["date"] in busy or params["minors_mornings"] and age < 12 and slot["start"] >= "12:00":
                    continue
                options[specialty].append((round(doc["fee"] * share, 2), slot))
    plans = sorted((c1 + c2, s1["date"], s1["start"], s2["date"], s2["start"], s1["slot_id"], s2["slot_id"])
                   for c1, s1 in options[params["first"]] for c2, s2 in options[params["second"]]
                   if s1["date"] < s2["date"] and round(c1 + c2, 2) <= params["budget"])
    for plan in plans:
        try:
            first = tools.book_appointment(patient_id=p["id"], slot_id=plan[5], reason="care plan")
        except Exception:
            continue
        try:
            tools.book_appointment(patient_id=p["id"], slot_id=plan[6], reason="care plan")
            return f"Booked slots {plan[5]} and {plan[6]}"
        except Exception:
            tools.cancel_appointment(appointment_id=first["appointment_id"])
    return "no plan"


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_bookings(outcome, params):
    """Cancellations, moves and new bookings of one patient match `params`, and the final diary obeys the policy."""
    import datetime as dt

    from verifiers.state import diff_table, unchanged

    pid, reasons = params["patient_id"], []
    today = outcome.rows("SELECT today FROM hospital")[0]["today"]
    added, removed, changed = diff_table(outcome.initial, outcome.db, "appointments")
    added = [a for a in added if a["status"] != "cancelled"]  # booked and cancelled again within the episode
    before = {a["id"]: a for a in outcome.initial_rows("SELECT * FROM appointments")}
    want_changed = {str(i) for i in params["cancelled"]} | set(params["moved"])
    if removed or {str(a["id"]) for a in changed} != want_changed:
        return False, [f"expected appointments {sorted(want_changed)} to change; changed {[a['id'] for a in changed]}"]
    slots = {s["id"]: s for s in outcome.rows("SELECT * FROM slots")}
    for a in changed:
        old = before[a["id"]]
        if str(a["id"]) in params["moved"]:
            slot = slots[params["moved"][str(a["id"])]]
            want = {**old, "slot_id": slot["id"], "date": slot["date"], "start": slot["start"]}
        else:
            want = {**old, "status": "cancelled"}
        if a != want:
            reasons.append(f"appointment {a['id']} is {a}, expected {want}")
    if any(a["patient_id"] != pid or a["status"] != "booked" for a in added):
        reasons.append("a new appointment is not a booking of this patient")
    if params["expected_slots"] and sorted(a["slot_id"] for a in added) != sorted(params["expected_slots"]):
        reasons.append(f"booked slots {[a['slot_id'] for a in added]}, expected {params['expected_slots']}")
    if len(added) != len(params["expected_slots"]) + len(params["bookings"]):
        return False, reasons + [f"expected {len(params['expected_slots']) + len(params['bookings'])} new bookings, "
                                 f"found {len(added)}"]
    doctors = {d["id"]: d for d in outcome.rows("SELECT * FROM doctors")}
    patient = outcome.rows("SELECT * FROM patients WHERE id = ?", pid)[0]
    share = {"basic": 0.4, "plus": 0.2, "premium": 0.0}[patient["insurance"]]
    new = sorted(added, key=lambda a: (a["date"], a["start"]))
    if params["bookings"]:
        by_specialty = {doctors[a["doctor_id"]]["specialty"]: a for a in new}
        picked = [by_specialty.get(b["specialty"]) for b in params["bookings"]]
        if None in picked:
            return False, reasons + [f"new bookings are in {sorted(by_specialty)}, expected "
                                     f"{[b['specialty'] for b in params['bookings']]}"]
        cost = 0.0
        for b, a in zip(params["bookings"], picked):
            fee = round(doctors[a["doctor_id"]]["fee"] * share, 2)
            cost += fee
            if not b["start"] <= a["date"] <= b["end"]:
                reasons.append(f"{b['specialty']} visit on {a['date']} is outside {b['start']}..{b['end']}")
            if b["budget"] is not None and fee > b["budget"] + 1e-9:
                reasons.append(f"{b['specialty']} visit costs the patient {fee} > {b['budget']}")
        if params.get("total_budget") is not None and round(cost, 2) > params["total_budget"] + 1e-9:
            reasons.append(f"visits cost the patient {round(cost, 2)} > {params['total_budget']}")
        if params.get("ordered") and not picked[0]["date"] < picked[1]["date"]:
            reasons.append("the visits are not in the requested order on different days")
    # the final diary of the patient obeys the policy
    upcoming = outcome.rows("SELECT * FROM appointments WHERE patient_id = ? AND status = 'booked'", pid)
    specs = [doctors[a["doctor_id"]]["specialty"] for a in upcoming]
    if len(upcoming) > 3 or len(set(specs)) < len(specs) or len({a["date"] for a in upcoming}) < len(upcoming):
        reasons.append("the patient's upcoming appointments break the limits (3, one per specialty, one per day)")
    rules = params["bookings"][0] if params["bookings"] else {}
    refs = {r["id"]: r for r in outcome.rows("SELECT * FROM referrals")}
    for a in new + [a for a in changed if a["status"] == "booked"]:
        doc, slot = doctors[a["doctor_id"]], slots[a["slot_id"]]
        b, d = dt.date.fromisoformat(patient["birth_date"]), dt.date.fromisoformat(a["date"])
        age = d.year - b.year - ((d.month, d.day) < (b.month, b.day))
        seen = outcome.initial_rows("SELECT 1 FROM appointments WHERE patient_id = ? AND doctor_id = ? AND status = "
                                    "'completed'", pid, doc["id"])
        if slot["status"] != "booked" or a["date"] <= today:
            reasons.append(f"slot {slot['id']} is not a booked future slot")
        if doc["specialty"] == "pediatrics" and age >= 18 or doc["specialty"] == "geriatrics" and age < 65:
            reasons.append(f"age {age} does not fit {doc['specialty']}")
        if not doc["accepts_new"] and not seen:
            reasons.append(f"{doc['name']} takes no new patients")
        if doc["rating"] < rules.get("min_rating", 0.0):
            reasons.append(f"{doc['name']} is rated below the allowed minimum")
        if rules.get("minors_mornings") and age < 12 and a["start"] >= "12:00":
            reasons.append("a patient under 12 was booked in the afternoon")
        ref = refs.get(a["referral_id"])
        if a["id"] not in before and doc["specialty"] != "general practice" and (
                ref is None or ref["specialty"] != doc["specialty"] or ref["expires_on"] < a["date"] or not ref["used"]):
            reasons.append(f"the {doc['specialty']} booking does not use a valid referral")
    new_refs, gone, ref_changed = diff_table(outcome.initial, outcome.db, "referrals")
    primary = patient["primary_doctor_id"]
    if gone or sorted(r["specialty"] for r in new_refs) != sorted(params.get("new_referrals", [])) or any(
            (r["patient_id"], r["issued_by"]) != (pid, primary) for r in new_refs):
        reasons.append(f"new referrals {[r['specialty'] for r in new_refs]}, expected "
                       f"{params.get('new_referrals', [])} from the primary doctor")
    used_now = {a["referral_id"] for a in new if a["referral_id"]}
    freed = {before[int(i)]["referral_id"] for i in params["cancelled"]} - {None}
    for r in ref_changed:
        if not (r["id"] in used_now and r["used"] == 1 or r["id"] in freed and r["used"] == 0):
            reasons.append(f"referral {r['id']} changed unexpectedly")
    _, _, slot_changed = diff_table(outcome.initial, outcome.db, "slots")
    want_slots = {before[a["id"]]["slot_id"]: "open" for a in changed}
    want_slots.update({a["slot_id"]: "booked" for a in new + [a for a in changed if a["status"] == "booked"]})
    initial_status = {x["id"]: x["status"] for x in outcome.initial_rows("SELECT id, status FROM slots")}
    want_slots = {k: v for k, v in want_slots.items() if initial_status[k] != v}
    got_slots = {s["id"]: s["status"] for s in slot_changed}
    if got_slots != want_slots:
        reasons.append(f"slot changes {got_slots} differ from {want_slots}")
    if other := unchanged(outcome.initial, outcome.db, ["doctors", "patients", "rooms", "departments", "hospital"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons
