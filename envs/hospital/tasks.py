"""Task proposers, from single lookups (level 1) to care plans (level 5)."""

from __future__ import annotations

import random

from synth.env import Answer, Effects, Program, Rule, TaskDraft, inserts, proposer, updates

from .checks import check_slots, check_visits
from .solutions import (
    solve_appointment_room,
    solve_book_primary,
    solve_busiest_doctor,
    solve_cancel_day,
    solve_care_plan,
    solve_cheapest_specialist,
    solve_open_slots,
    solve_reschedule_later,
    solve_specialist_visit,
    solve_valid_referrals,
    solve_visit_copay,
)
from .world import COPAY, DEPARTMENTS, GP, MAX_UPCOMING, REASONS, age_on, copay

SPECIALTIES = [s for (s,) in DEPARTMENTS.values()]


class HospitalTasks:
    def _dates(self) -> list[str]:
        return self.column("SELECT DISTINCT date FROM slots ORDER BY date")

    def _allowed_slots(
        self, patient_id: int, doctor_ids: list[int], start: str, end: str, ignore=None, check_referral=True
    ) -> list[dict]:
        slots = self.rows(
            "SELECT * FROM slots WHERE status = 'open' AND date >= ? AND date <= ? ORDER BY date, start, id", start, end
        )
        return [
            s
            for s in slots
            if s["doctor_id"] in doctor_ids
            and not self._booking_problem(patient_id, s, ignore=ignore, check_referral=check_referral)
        ]

    def _fitting_specialties(self, p: dict, days: list[str]) -> list[str]:
        """Specialties the patient's age admits on every one of `days`."""
        ages = [age_on(p["birth_date"], day) for day in days]
        return [
            s
            for s in SPECIALTIES
            if not (s == "pediatrics" and max(ages) >= 18 or s == "geriatrics" and min(ages) < 65)
        ]

    def _specialist_options(
        self, p: dict, specialty: str, start: str, end: str, budget: float, ignore: int | None = None
    ) -> list[dict]:
        """Slots a valid plan may book (assuming a fresh referral is issued when none is usable)."""
        docs = [
            d["id"]
            for d in self.rows("SELECT * FROM doctors WHERE specialty = ?", specialty)
            if copay(d["fee"], p["insurance"]) <= budget
        ]
        return self._allowed_slots(p["id"], docs, start, end, check_referral=False, ignore=ignore)

    def _held(self, p: dict, specialty: str, start: str, end: str) -> bool | None:
        """Whether the patient holds a referral usable over the whole window; None when one covers only part of
        it (then "use the referral they hold" and "issue one" are both readings of the task)."""
        if specialty == GP:
            return True
        whole, part = self._referral(p["id"], specialty, end), self._referral(p["id"], specialty, start)
        return True if whole else None if part else False

    # ---- proposers: lookups -------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_appointment_room(self, rng: random.Random) -> TaskDraft | None:
        a = rng.choice(
            self.rows(
                "SELECT a.date, p.name AS patient, d.name AS doctor, r.name AS room FROM appointments a "
                "JOIN patients p ON p.id = a.patient_id JOIN doctors d ON d.id = a.doctor_id JOIN slots "
                "s ON s.id = a.slot_id JOIN rooms r ON r.id = s.room_id WHERE a.status = 'booked' "
                "ORDER BY a.id"
            )
        )
        spec = {"patient": a["patient"], "doctor": a["doctor"], "date": a["date"]}
        return TaskDraft(
            shape="appointment_room",
            instruction=self.render("appointment_room", rng, **spec),
            solution=Program.of(solve_appointment_room, **spec),
            answer=Answer.entity(a["room"], candidates=self.column("SELECT name FROM rooms")),
            tools=self.available_tools("find_patients", "get_patient", "get_room", "get_appointment"),
        )

    @proposer(difficulty=1)
    def propose_open_slots(self, rng: random.Random) -> TaskDraft | None:
        day = rng.choice(self.rows("SELECT DISTINCT doctor_id, date FROM slots ORDER BY doctor_id, date"))
        doctor = self._get("doctors", day["doctor_id"], "")["name"]
        n = self.value(
            "SELECT COUNT(*) FROM slots WHERE doctor_id = ? AND date = ? AND status = 'open'",
            day["doctor_id"],
            day["date"],
        )
        return TaskDraft(
            shape="open_slots",
            instruction=self.render("open_slots", rng, doctor=doctor, date=day["date"]),
            solution=Program.of(solve_open_slots, doctor=doctor, date=day["date"]),
            answer=Answer.integer(n),
            tools=self.available_tools("search_doctors", "list_open_slots", "get_hospital_info"),
        )

    @proposer(difficulty=1)
    def propose_visit_copay(self, rng: random.Random) -> TaskDraft | None:
        p = rng.choice(self.rows("SELECT * FROM patients WHERE insurance != 'premium' ORDER BY id"))
        d = rng.choice(self.rows("SELECT * FROM doctors ORDER BY id"))
        spec = {"patient": p["name"], "doctor": d["name"]}
        return TaskDraft(
            shape="visit_copay",
            instruction=self.render("visit_copay", rng, **spec),
            solution=Program.of(solve_visit_copay, **spec),
            answer=Answer.number(copay(d["fee"], p["insurance"])),
            tools=self.available_tools("find_patients", "get_patient", "search_doctors", "get_hospital_info"),
        )

    @proposer(difficulty=2, attempts=2)
    def propose_cheapest_specialist(self, rng: random.Random) -> TaskDraft | None:
        specialty = rng.choice(SPECIALTIES)
        rating = rng.choice([3.5, 3.8, 4.0, 4.2, 4.5])
        docs = self.rows(
            "SELECT name, fee FROM doctors WHERE specialty = ? AND rating >= ? ORDER BY fee", specialty, rating
        )
        if not docs or len(docs) > 1 and docs[0]["fee"] == docs[1]["fee"]:
            return None
        return TaskDraft(
            shape="cheapest_specialist",
            instruction=self.render("cheapest_specialist", rng, specialty=specialty, rating=rating),
            solution=Program.of(solve_cheapest_specialist, specialty=specialty, rating=rating),
            answer=Answer.entity(docs[0]["name"], candidates=self.column("SELECT name FROM doctors")),
            tools=self.available_tools("search_doctors", "list_departments"),
        )

    @proposer(difficulty=2)
    def propose_valid_referrals(self, rng: random.Random) -> TaskDraft | None:
        today = self._today()
        p = rng.choice(
            self.rows(
                "SELECT DISTINCT p.* FROM patients p JOIN referrals r ON r.patient_id = p.id WHERE "
                "r.used = 0 AND r.expires_on >= ? ORDER BY p.id",
                today,
            )
        )
        valid = sorted(
            set(
                self.column(
                    "SELECT specialty FROM referrals WHERE patient_id = ? AND used = 0 AND expires_on >= ?",
                    p["id"],
                    today,
                )
            )
        )
        return TaskDraft(
            shape="valid_referrals",
            instruction=self.render("valid_referrals", rng, patient=p["name"]),
            solution=Program.of(solve_valid_referrals, patient=p["name"]),
            answer=Answer.entities(valid, candidates=SPECIALTIES),
            tools=self.available_tools("find_patients", "get_patient", "get_hospital_info"),
        )

    @proposer(difficulty=2, attempts=2)
    def propose_busiest_doctor(self, rng: random.Random) -> TaskDraft | None:
        dept = rng.choice(
            self.rows(
                "SELECT dep.id, dep.name FROM departments dep JOIN doctors d ON d.department_id = "
                "dep.id GROUP BY dep.id HAVING COUNT(*) >= 2 ORDER BY dep.id"
            )
        )
        counts = self.rows(
            "SELECT d.name, (SELECT COUNT(*) FROM slots s WHERE s.doctor_id = d.id AND s.status = "
            "'booked') AS n FROM doctors d WHERE d.department_id = ? ORDER BY n DESC",
            dept["id"],
        )
        if len(counts) < 2 or counts[0]["n"] == counts[1]["n"]:
            return None
        return TaskDraft(
            shape="busiest_doctor",
            instruction=self.render("busiest_doctor", rng, department=dept["name"]),
            solution=Program.of(solve_busiest_doctor, department=dept["name"]),
            answer=Answer.entity(counts[0]["name"], candidates=self.column("SELECT name FROM doctors")),
            tools=self.available_tools("search_doctors", "get_schedule", "list_departments", "get_hospital_info"),
        )

    # ---- proposers: single changes ------------------------------------------------------------------

    @proposer(difficulty=3, attempts=2)
    def propose_book_primary(self, rng: random.Random) -> TaskDraft | None:
        p = rng.choice(self.rows("SELECT * FROM patients ORDER BY id"))
        dates = self._dates()
        date = rng.choice(dates[: len(dates) // 2])
        ok = self._allowed_slots(p["id"], [p["primary_doctor_id"]], date, "9999")
        if not ok:
            return None
        slot, reason = ok[0], rng.choice(REASONS)
        return TaskDraft(
            shape="book_primary",
            instruction=self.render("book_primary", rng, patient=p["name"], date=date, reason=reason),
            solution=Program.of(solve_book_primary, patient=p["name"], date=date, reason=reason),
            answer=Answer.none(),
            effects=Effects.on(
                appointments=inserts(
                    rows=[
                        {
                            "patient_id": p["id"],
                            "doctor_id": slot["doctor_id"],
                            "slot_id": slot["id"],
                            "date": slot["date"],
                            "start": slot["start"],
                            "status": "booked",
                            "referral_id": None,
                        }
                    ]
                ),
                slots=updates("status", keys=[slot["id"]], values={"status": "booked"}),
            ),
        )

    @proposer(difficulty=3)
    def propose_cancel_day(self, rng: random.Random) -> TaskDraft | None:
        tomorrow = self._dates()[0]
        a = rng.choice(
            self.rows(
                "SELECT a.*, p.name FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE "
                "a.status = 'booked' AND a.date > ? ORDER BY a.id",
                tomorrow,
            )
        )
        day = self.rows(
            "SELECT * FROM appointments WHERE patient_id = ? AND date = ? AND status = 'booked'",
            a["patient_id"],
            a["date"],
        )
        effects = {
            "appointments": updates("status", keys=[x["id"] for x in day], values={"status": "cancelled"}),
            "slots": updates("status", keys=[x["slot_id"] for x in day], values={"status": "open"}),
        }
        if referrals := [x["referral_id"] for x in day if x["referral_id"]]:
            effects["referrals"] = updates("used", keys=referrals, values={"used": 0})
        return TaskDraft(
            shape="cancel_day",
            instruction=self.render("cancel_day", rng, patient=a["name"], date=a["date"]),
            solution=Program.of(solve_cancel_day, patient=a["name"], date=a["date"]),
            answer=Answer.none(),
            effects=Effects.on(**effects),
        )

    @proposer(difficulty=3, attempts=2)
    def propose_reschedule_later(self, rng: random.Random) -> TaskDraft | None:
        dates = self._dates()
        movable = self.rows(
            "SELECT a.*, p.name AS patient, d.name AS doctor FROM appointments a JOIN patients p ON "
            "p.id = a.patient_id JOIN doctors d ON d.id = a.doctor_id WHERE a.status = 'booked' AND "
            "a.date > ? ORDER BY a.id",
            dates[0],
        )
        if not movable:
            return None
        a = rng.choice(movable)
        after = rng.choice(dates[:-2])
        later = [
            s
            for s in self._allowed_slots(
                a["patient_id"], [a["doctor_id"]], after, "9999", ignore=a["id"], check_referral=False
            )
            if s["date"] > after
        ]
        if a["referral_id"]:
            expires = self._get("referrals", a["referral_id"], "")["expires_on"]
            later = [s for s in later if s["date"] <= expires]
        if not later:
            return None
        new = later[0]
        spec = {"patient": a["patient"], "doctor": a["doctor"], "date": a["date"], "after": after}
        return TaskDraft(
            shape="reschedule_later",
            instruction=self.render("reschedule_later", rng, **spec),
            solution=Program.of(solve_reschedule_later, **spec),
            answer=Answer.none(),
            effects=Effects.on(
                appointments=updates(
                    "slot_id",
                    "date",
                    "start",
                    keys=[a["id"]],
                    values={"slot_id": new["id"], "date": new["date"], "start": new["start"]},
                ),
                slots=updates("status", keys=[a["slot_id"], new["id"]]),
            ),
            check=Program.of(check_slots, statuses=[[a["slot_id"], "open"], [new["id"], "booked"]]),
        )

    # ---- proposers: multi-step plans ----------------------------------------------------------------

    @proposer(difficulty=4, attempts=2)
    def propose_specialist_visit(self, rng: random.Random) -> TaskDraft | None:
        p = rng.choice(self.rows("SELECT * FROM patients ORDER BY id"))
        if not self._seen(p["id"], p["primary_doctor_id"]):
            return None
        dates = self._dates()
        i = rng.randrange(0, len(dates) - 4)
        start, end = dates[i], dates[min(len(dates) - 1, i + rng.randint(3, 7))]
        specialty = rng.choice([s for s in self._fitting_specialties(p, [start, end]) if s != GP])
        fees = sorted(
            copay(d["fee"], p["insurance"]) for d in self.rows("SELECT fee FROM doctors WHERE specialty = ?", specialty)
        )
        budget = float(rng.choice(fees[len(fees) // 2 :])) + rng.choice([0, 5, 10])
        held = self._held(p, specialty, start, end)
        if held is None or not self._specialist_options(p, specialty, start, end, budget):
            return None
        reason = rng.choice(REASONS)
        visit = {"specialty": specialty, "start": start, "end": end, "budget": budget}
        return TaskDraft(
            shape="specialist_visit",
            instruction=self.render("specialist_visit", rng, patient=p["name"], reason=reason, **visit),
            solution=Program.of(solve_specialist_visit, patient=p["name"], reason=reason, **visit, **self._rules()),
            answer=Answer.none(),
            effects=Effects.on(
                appointments=inserts(),
                slots=updates("status"),
                referrals=Rule(insert=0 if held else 1, update=["used"]),
            ),
            check=Program.of(
                check_visits,
                patient_id=p["id"],
                share=COPAY[p["insurance"]],
                visits=[visit],
                referrals=[] if held else [specialty],
            ),
        )

    @proposer(difficulty=5, attempts=2)
    def propose_care_plan(self, rng: random.Random) -> TaskDraft | None:
        dates = self._dates()
        a = rng.choice(
            self.rows(
                "SELECT a.*, d.specialty FROM appointments a JOIN doctors d ON d.id = a.doctor_id "
                "WHERE a.status = 'booked' AND a.date > ? ORDER BY a.id",
                dates[0],
            )
        )
        p = self._get("patients", a["patient_id"], "")
        if not self._seen(p["id"], p["primary_doctor_id"]) or len(self._upcoming(p["id"])) > MAX_UPCOMING - 1:
            return None
        i = rng.randrange(0, len(dates) - 5)
        start, end = dates[i], dates[min(len(dates) - 1, i + rng.randint(4, 8))]
        first, second = rng.sample(self._fitting_specialties(p, [start, end]), 2)
        if any(o["specialty"] in (first, second) for o in self._upcoming(p["id"])):
            return None  # also the cancelled one: the referral it frees would make two plans valid
        held = {s: self._held(p, s, start, end) for s in (first, second)}
        if None in held.values():
            return None
        opt1 = self._specialist_options(p, first, start, end, 1e9, ignore=a["id"])
        opt2 = self._specialist_options(p, second, start, end, 1e9, ignore=a["id"])
        fee = {d["id"]: copay(d["fee"], p["insurance"]) for d in self.rows("SELECT * FROM doctors")}
        pairs = [fee[x["doctor_id"]] + fee[y["doctor_id"]] for x in opt1 for y in opt2 if x["date"] < y["date"]]
        if not pairs:
            return None
        budget = float(sorted(pairs)[len(pairs) // 3]) + rng.choice([0, 10])
        need = sorted(s for s in (first, second) if not held[s])
        spec = {"start": start, "end": end, **self._rules()}
        return TaskDraft(
            shape="care_plan",
            instruction=self.render(
                "care_plan",
                rng,
                patient=p["name"],
                cancel_date=a["date"],
                first=first,
                second=second,
                start=start,
                end=end,
                budget=budget,
            ),
            solution=Program.of(
                solve_care_plan,
                patient=p["name"],
                cancel_date=a["date"],
                first=first,
                second=second,
                budget=budget,
                **spec,
            ),
            answer=Answer.none(),
            effects=Effects.on(
                appointments=Rule(insert=True, update=["status"], keys=[a["id"]], values={"status": "cancelled"}),
                slots=updates("status"),
                referrals=Rule(insert=len(need), update=["used"]),
            ),
            check=Program.of(
                check_visits,
                patient_id=p["id"],
                share=COPAY[p["insurance"]],
                visits=[{"specialty": s, "start": start, "end": end, "budget": None} for s in (first, second)],
                ordered=True,
                total_budget=budget,
                referrals=need,
                cancelled=[a["id"]],
            ),
        )
