"""The scheduling desk's tools: lookups, and writes that enforce the hospital's booking rules."""

from __future__ import annotations

import datetime as dt

from synth.env import tool

from .world import COPAY, DEPARTMENTS, GP, MAX_UPCOMING, REFERRAL_DAYS, age_on


class HospitalTools:
    # ---- rules --------------------------------------------------------------------------------------

    def _today(self) -> str:
        return self.value("SELECT today FROM hospital")

    def _rules(self) -> dict:
        return {
            "min_rating": 4.0 if "min_rating_four" in self.variant.rules else 0.0,
            "minors_mornings": "minors_mornings" in self.variant.rules,
        }

    def _upcoming(self, patient_id: int) -> list[dict]:
        return self.rows(
            "SELECT a.*, d.specialty FROM appointments a JOIN doctors d ON d.id = a.doctor_id WHERE "
            "a.patient_id = ? AND a.status = 'booked' ORDER BY a.date, a.start",
            patient_id,
        )

    def _seen(self, patient_id: int, doctor_id: int) -> bool:
        return (
            self.value(
                "SELECT 1 FROM appointments WHERE patient_id = ? AND doctor_id = ? AND status = 'completed'",
                patient_id,
                doctor_id,
            )
            is not None
        )

    def _referral(self, patient_id: int, specialty: str, day: str) -> dict | None:
        rows = self.rows(
            "SELECT * FROM referrals WHERE patient_id = ? AND specialty = ? AND used = 0 AND "
            "issued_on <= ? AND expires_on >= ? ORDER BY expires_on, id",
            patient_id,
            specialty,
            self._today(),
            day,
        )
        return rows[0] if rows else None

    def _booking_problem(
        self, patient_id: int, slot: dict, *, check_referral: bool = True, ignore: int | None = None
    ) -> str | None:
        """Why the patient may not take the slot (None when allowed); `ignore`: an appointment being moved."""
        doc = self._get("doctors", slot["doctor_id"], "use search_doctors")
        patient = self._get("patients", patient_id, "use find_patients")
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
        return self.one(
            f"SELECT * FROM {table} WHERE id = ?", row_id, missing=f"no {table[:-1]} with id {row_id}; {hint}"
        )

    # ---- tools --------------------------------------------------------------------------------------

    @tool("read")
    def get_hospital_info(self) -> dict:
        """Today's date and the scheduling rules in numbers (copay shares, limits, referral validity)."""
        return {
            "today": self._today(),
            "copay_share": dict(COPAY),
            "max_upcoming_appointments": MAX_UPCOMING,
            "referral_valid_days": REFERRAL_DAYS,
            "min_doctor_rating": self._rules()["min_rating"],
            "under_12_mornings_only": self._rules()["minors_mornings"],
        }

    @tool("read")
    def list_departments(self) -> list[dict]:
        """Departments with their floor and the specialty they offer."""
        return self.rows(
            "SELECT d.id, d.name, d.floor, MIN(doc.specialty) AS specialty FROM departments d JOIN "
            "doctors doc ON doc.department_id = d.id GROUP BY d.id ORDER BY d.name"
        )

    @tool("read")
    def search_doctors(
        self, specialty: str | None = None, department: str | None = None, min_rating: float = 0.0
    ) -> list[dict]:
        """Doctors filtered by specialty, department name and minimum rating, with fee and whether they take new patients.

        Args:
            specialty: e.g. general practice, cardiology, dermatology, neurology, orthopedics, pediatrics,
                ophthalmology, geriatrics.
            department: Department name.
            min_rating: Lowest acceptable rating (0-5).
        """
        return self.rows(
            "SELECT doc.id, doc.name, doc.specialty, dep.name AS department, doc.fee, doc.rating, "
            "doc.accepts_new FROM doctors doc JOIN departments dep ON dep.id = doc.department_id WHERE "
            "(? IS NULL OR lower(doc.specialty) = lower(?)) AND (? IS NULL OR lower(dep.name) = lower(?)) "
            "AND doc.rating >= ? ORDER BY doc.id",
            specialty,
            specialty,
            department,
            department,
            min_rating,
        )

    @tool("read")
    def list_open_slots(self, doctor_id: int, date_from: str | None = None, date_to: str | None = None) -> list[dict]:
        """A doctor's open slots (id, date, start time, room), optionally between two dates (YYYY-MM-DD, inclusive).

        Args:
            doctor_id: Doctor id.
            date_from: First date.
            date_to: Last date.
        """
        self._get("doctors", doctor_id, "use search_doctors")
        return self.rows(
            "SELECT s.id AS slot_id, s.date, s.start, r.name AS room FROM slots s JOIN rooms r ON "
            "r.id = s.room_id WHERE s.doctor_id = ? AND s.status = 'open' AND s.date >= ? AND s.date <= ? "
            "ORDER BY s.date, s.start",
            doctor_id,
            date_from or "0000",
            date_to or "9999",
        )

    @tool("read")
    def get_schedule(self, doctor_id: int, date: str | None = None) -> list[dict]:
        """Every slot of a doctor (open, booked or blocked), optionally of one date (YYYY-MM-DD).

        Args:
            doctor_id: Doctor id.
            date: Only this date.
        """
        self._get("doctors", doctor_id, "use search_doctors")
        return self.rows(
            "SELECT s.id AS slot_id, s.date, s.start, s.status FROM slots s WHERE s.doctor_id = ? AND "
            "(? IS NULL OR s.date = ?) ORDER BY s.date, s.start",
            doctor_id,
            date,
            date,
        )

    @tool("read")
    def get_room(self, room_id: int) -> dict:
        """One room: name, floor and department.

        Args:
            room_id: Room id.
        """
        room = self._get("rooms", room_id, "room ids appear in appointments")
        room["department"] = self.value("SELECT name FROM departments WHERE id = ?", room.pop("department_id"))
        return room

    @tool("read")
    def find_patients(self, name: str) -> list[dict]:
        """Patients whose name contains the text (case-insensitive).

        Args:
            name: Full or partial patient name.
        """
        if not name.strip():
            raise ValueError("give part of the patient's name")
        return self.rows(
            "SELECT id, name, birth_date FROM patients WHERE lower(name) LIKE '%' || lower(?) || '%' ORDER BY id", name
        )

    @tool("read")
    def get_patient(self, patient_id: int) -> dict:
        """A patient's birth date, insurance, primary doctor, upcoming appointments, past doctors and referrals.

        Args:
            patient_id: Patient id from find_patients.
        """
        p = self._get("patients", patient_id, "use find_patients")
        p["primary_doctor"] = self.value("SELECT name FROM doctors WHERE id = ?", p["primary_doctor_id"])
        p["upcoming"] = self.rows(
            "SELECT a.id AS appointment_id, a.doctor_id, d.name AS doctor, d.specialty, a.date, "
            "a.start, s.room_id, r.name AS room, a.reason FROM appointments a JOIN doctors d ON "
            "d.id = a.doctor_id JOIN slots s ON s.id = a.slot_id JOIN rooms r ON r.id = s.room_id "
            "WHERE a.patient_id = ? AND a.status = 'booked' "
            "ORDER BY a.date, a.start",
            patient_id,
        )
        p["doctors_seen"] = [
            r["doctor_id"]
            for r in self.rows(
                "SELECT DISTINCT doctor_id FROM appointments WHERE patient_id = ? AND status = 'completed' ORDER BY "
                "doctor_id",
                patient_id,
            )
        ]
        p["referrals"] = self.rows(
            "SELECT id AS referral_id, specialty, issued_on, expires_on, used FROM referrals "
            "WHERE patient_id = ? ORDER BY id",
            patient_id,
        )
        return p

    @tool("read")
    def get_appointment(self, appointment_id: int) -> dict:
        """One appointment with its doctor, slot and room.

        Args:
            appointment_id: Appointment id.
        """
        a = self._get("appointments", appointment_id, "get_patient lists a patient's appointments")
        if a["slot_id"]:
            a["room_id"] = self.value("SELECT room_id FROM slots WHERE id = ?", a["slot_id"])
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
        cur = self.db.execute(
            "INSERT INTO appointments (patient_id, doctor_id, slot_id, date, start, reason, status, "
            "referral_id) VALUES (?, ?, ?, ?, ?, ?, 'booked', ?)",
            (patient_id, slot["doctor_id"], slot_id, slot["date"], slot["start"], reason, referral and referral["id"]),
        )
        return {
            "appointment_id": cur.lastrowid,
            "date": slot["date"],
            "start": slot["start"],
            "referral_id": referral and referral["id"],
        }

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
        self.db.execute(
            "UPDATE appointments SET slot_id = ?, date = ?, start = ? WHERE id = ?",
            (slot_id, slot["date"], slot["start"], appointment_id),
        )
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
        cur = self.db.execute(
            "INSERT INTO referrals (patient_id, issued_by, specialty, issued_on, expires_on, used) "
            "VALUES (?, ?, ?, ?, ?, 0)",
            (patient_id, doctor_id, specialty, today, expires),
        )
        return {"referral_id": cur.lastrowid, "specialty": specialty, "expires_on": expires}
