"""Task proposers, from single lookups (level 1) to fills with stock transfers and reorders (level 5).

Write tasks are simulated on the instance's own database first (`_trial`): what the tools did there is what the
task declares."""

from __future__ import annotations

import random
from contextlib import contextmanager

from synth.env import Answer, Effects, Program, Rule, TaskDraft, proposer
from synth_verifiers.state import diff_table, table_rows

from .checks import check_stock, stock_changes
from .solutions import (
    solve_dispose_expired,
    solve_expiring_soon,
    solve_fill_all,
    solve_fill_prescription,
    solve_fill_with_transfer,
    solve_interaction_conflict,
    solve_low_stock,
    solve_next_expiry,
    solve_otc_basket,
    solve_refills_left,
    solve_reorder_low,
    solve_stock_units,
    solve_stock_value,
)
from .world import CLASSES, TRANSFER_MIN_DAYS, days_after

CATEGORIES = sorted({c for c, _ in CLASSES.values()})
WRITTEN = {"dispenses": ("id", "batch_id"), "batches": ("id",), "prescriptions": ("id",), "reorders": ("id",)}


class PharmacyTasks:
    @contextmanager
    def _trial(self):
        """Run tools for real to learn their effects, then undo them."""
        self.db.commit()
        before = self.snapshot()
        self.db.execute("SAVEPOINT trial")
        try:
            yield before
        finally:
            self.db.execute("ROLLBACK TO trial")
            self.db.execute("RELEASE trial")

    def _try(self, call, *args, **kwargs) -> bool:
        self.db.execute("SAVEPOINT step")
        try:
            call(*args, **kwargs)
        except ValueError:
            self.db.execute("ROLLBACK TO step")
            self.db.execute("RELEASE step")
            return False
        self.db.execute("RELEASE step")
        return True

    def _declared(self, before) -> tuple[Effects, Program | None]:
        """The effects of what the tools did since `before` (a snapshot): the rows added (which batch a dispense
        came from aside: the system picks it) and the rows changed, with their new values where those are the
        same for every changed row; a check of the stock and fills totals where they are not."""
        rules, pinned = {}, True
        for table, skip in WRITTEN.items():
            added, removed, changed = diff_table(before, self.db, table)
            if not (added or removed or changed):
                continue
            old = table_rows(before, table)
            columns = sorted({c for row in changed for c in row if row[c] != old[row["id"]][c]})
            values = {c: changed[0][c] for c in columns if len({row[c] for row in changed}) == 1}
            pinned = pinned and len(values) == len(columns)
            rules[table] = Rule(
                insert=len(added),
                rows=[{c: v for c, v in r.items() if c not in skip} for r in added] or None,
                update=columns,
                keys=[r["id"] for r in changed] if changed else None,
                values=values or None,
            )
        check = None if pinned else Program.of(check_stock, **stock_changes(before, self.db))
        return Effects.on(**rules), check

    def _task(
        self, shape: str, rng: random.Random, solve, declared: tuple, text: dict | None = None, **args
    ) -> TaskDraft:
        """A write task; `text`: variables only the instruction uses."""
        effects, check = declared
        return TaskDraft(
            shape=shape,
            instruction=self.render(shape, rng, **args, **(text or {})),
            solution=Program.of(solve, **args, **self._rules()),
            answer=Answer.none(),
            effects=effects,
            check=check,
        )

    def _fill(self, rx: dict, store: str) -> bool:
        return self._try(self.dispense, rx["patient_id"], rx["drug_id"], store, rx["packs"], rx["id"])

    def _order_matters(self, patient_id: int) -> bool:
        """Whether two of the patient's fillable prescriptions block each other (filling one first would rule out
        the other): then "fill every one the rules allow" has two answers."""
        drugs = set(
            self.column(
                "SELECT drug_id FROM prescriptions WHERE patient_id = ? AND status = 'active' AND "
                "fills_left > 0 AND valid_until >= ?",
                patient_id,
                self._today(),
            )
        )
        return any(
            r["drug_a"] in drugs and r["drug_b"] in drugs and r["severity"] in self._blocking()
            for r in self.rows("SELECT * FROM interactions")
        )

    def _store_names(self) -> list[dict]:
        return self.rows("SELECT id, name FROM stores ORDER BY id")

    def _low(self, store_id: int) -> list[dict]:
        return [
            d
            for d in self.rows("SELECT * FROM drugs ORDER BY id")
            if self._units(store_id, d["id"]) < d["reorder_level"]
        ]

    def _reorder_all(self, store: str, drug_ids: list[int] | None = None, category: str | None = None) -> None:
        store_id = self._store(store)
        for d in self._low(store_id):
            if (drug_ids is None or d["id"] in drug_ids) and category in (None, d["category"]):
                self._try(self.create_reorder, store, d["id"], 2 * d["reorder_level"] - self._units(store_id, d["id"]))

    # ---- proposers: lookups -------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_stock_units(self, rng: random.Random) -> TaskDraft | None:
        d, s = rng.choice(self.rows("SELECT id, name FROM drugs ORDER BY id")), rng.choice(self._store_names())
        spec = {"drug": d["name"], "store": s["name"]}
        return TaskDraft(
            shape="stock_units",
            instruction=self.render("stock_units", rng, **spec),
            solution=Program.of(solve_stock_units, **spec),
            answer=Answer.integer(self._units(s["id"], d["id"])),
            tools=self.available_tools("search_drugs", "get_stock", "get_pharmacy_info", "list_stores"),
        )

    @proposer(difficulty=1)
    def propose_refills_left(self, rng: random.Random) -> TaskDraft | None:
        rx = rng.choice(
            self.rows(
                "SELECT r.fills_left, p.name AS patient, d.name AS drug FROM prescriptions r JOIN "
                "patients p ON p.id = r.patient_id JOIN drugs d ON d.id = r.drug_id WHERE r.status = "
                "'active' ORDER BY r.id"
            )
        )
        spec = {"patient": rx["patient"], "drug": rx["drug"]}
        return TaskDraft(
            shape="refills_left",
            instruction=self.render("refills_left", rng, **spec),
            solution=Program.of(solve_refills_left, **spec),
            answer=Answer.integer(rx["fills_left"]),
            tools=self.available_tools("find_patients", "get_patient", "search_drugs"),
        )

    @proposer(difficulty=1)
    def propose_next_expiry(self, rng: random.Random) -> TaskDraft | None:
        today = self._today()
        b = rng.choice(
            self.rows(
                "SELECT DISTINCT b.store_id, b.drug_id, s.name AS store, d.name AS drug FROM batches b "
                "JOIN stores s ON s.id = b.store_id JOIN drugs d ON d.id = b.drug_id WHERE b.expires_on "
                "> ? AND b.quantity > 0 AND b.status = 'ok' ORDER BY b.store_id, b.drug_id",
                today,
            )
        )
        first = self.value(
            "SELECT MIN(expires_on) FROM batches WHERE store_id = ? AND drug_id = ? AND status = 'ok' "
            "AND expires_on > ? AND quantity > 0",
            b["store_id"],
            b["drug_id"],
            today,
        )
        spec = {"drug": b["drug"], "store": b["store"]}
        return TaskDraft(
            shape="next_expiry",
            instruction=self.render("next_expiry", rng, **spec),
            solution=Program.of(solve_next_expiry, **spec),
            answer=Answer.date(first),
            tools=self.available_tools("search_drugs", "get_stock", "get_pharmacy_info"),
        )

    @proposer(difficulty=2, attempts=2)
    def propose_expiring_soon(self, rng: random.Random) -> TaskDraft | None:
        s, days = rng.choice(self._store_names()), rng.choice([14, 21, 30, 45, 60])
        until = days_after(self._today(), days)
        names = sorted(
            set(
                self.column(
                    "SELECT d.name FROM batches b JOIN drugs d ON d.id = b.drug_id WHERE b.store_id = ? AND b.status = 'ok' "
                    "AND b.quantity > 0 AND b.expires_on > ? AND b.expires_on <= ?",
                    s["id"],
                    self._today(),
                    until,
                )
            )
        )
        if not names:
            return None
        return TaskDraft(
            shape="expiring_soon",
            instruction=self.render("expiring_soon", rng, store=s["name"], days=days, until=until),
            solution=Program.of(solve_expiring_soon, store=s["name"], until=until),
            answer=Answer.entities(names, candidates=self.column("SELECT name FROM drugs")),
            tools=self.available_tools("list_store_batches", "get_pharmacy_info", "get_stock", "search_drugs"),
        )

    @proposer(difficulty=2)
    def propose_interaction_conflict(self, rng: random.Random) -> TaskDraft | None:
        patients = self.rows("SELECT * FROM patients ORDER BY id")
        rng.shuffle(patients)
        for p in patients[:8]:
            hits = [
                (d, self._conflicts(p["id"], d, ("major",))) for d in self.column("SELECT id FROM drugs ORDER BY id")
            ]
            hits = [h for h in hits if h[1]]
            if hits:
                break
        else:
            return None
        drug_id, others = rng.choice(hits)
        names = {r["id"]: r["name"] for r in self.rows("SELECT id, name FROM drugs")}
        spec = {"patient": p["name"], "drug": names[drug_id]}
        return TaskDraft(
            shape="interaction_conflict",
            instruction=self.render("interaction_conflict", rng, **spec),
            solution=Program.of(solve_interaction_conflict, **spec),
            answer=Answer.entities(
                [names[o] for o in others], candidates=[n for i, n in names.items() if i != drug_id]
            ),
            tools=self.available_tools(
                "find_patients", "get_patient", "search_drugs", "check_interactions", "get_pharmacy_info"
            ),
        )

    @proposer(difficulty=2, attempts=2)
    def propose_low_stock(self, rng: random.Random) -> TaskDraft | None:
        s = rng.choice(self._store_names())
        category = rng.choice(CATEGORIES)
        low = [d["name"] for d in self._low(s["id"]) if d["category"] == category]
        if not low:
            return None
        return TaskDraft(
            shape="low_stock",
            instruction=self.render("low_stock", rng, store=s["name"], category=category),
            solution=Program.of(solve_low_stock, store=s["name"], category=category),
            answer=Answer.entities(low, candidates=self.column("SELECT name FROM drugs")),
            tools=self.available_tools("search_drugs", "list_store_batches", "get_pharmacy_info", "get_stock"),
        )

    @proposer(difficulty=2, attempts=2)
    def propose_stock_value(self, rng: random.Random) -> TaskDraft | None:
        s = rng.choice(self._store_names())
        category = rng.choice(CATEGORIES)
        drugs = self.rows("SELECT * FROM drugs WHERE category = ? ORDER BY id", category)
        if not drugs:
            return None
        value = round(sum(self._units(s["id"], d["id"]) * d["unit_price"] for d in drugs), 2)
        return TaskDraft(
            shape="stock_value",
            instruction=self.render("stock_value", rng, store=s["name"], category=category),
            solution=Program.of(solve_stock_value, store=s["name"], category=category),
            answer=Answer.number(value),
            tools=self.available_tools("search_drugs", "get_stock", "get_pharmacy_info", "list_store_batches"),
        )

    # ---- proposers: single changes ------------------------------------------------------------------

    @proposer(difficulty=3, attempts=2)
    def propose_fill_prescription(self, rng: random.Random) -> TaskDraft | None:
        rx = rng.choice(
            self.rows(
                "SELECT r.*, p.name AS patient, d.name AS drug FROM prescriptions r JOIN patients p "
                "ON p.id = r.patient_id JOIN drugs d ON d.id = r.drug_id WHERE r.status = 'active' AND "
                "r.fills_left > 0 AND r.valid_until >= ? ORDER BY r.id",
                self._today(),
            )
        )
        if (
            self.value(
                "SELECT COUNT(*) FROM prescriptions WHERE patient_id = ? AND drug_id = ?",
                rx["patient_id"],
                rx["drug_id"],
            )
            > 1
        ):
            return None
        stores = [s["name"] for s in self._store_names()]
        rng.shuffle(stores)
        with self._trial() as before:
            store = next((s for s in stores if self._fill(rx, s)), None)
            declared = self._declared(before)
        if store is None:
            return None
        return self._task(
            "fill_prescription",
            rng,
            solve_fill_prescription,
            declared,
            patient=rx["patient"],
            drug=rx["drug"],
            store=store,
        )

    @proposer(difficulty=3, attempts=2)
    def propose_dispose_expired(self, rng: random.Random) -> TaskDraft | None:
        s = rng.choice(self._store_names())
        cutoff = days_after(self._today(), -rng.randint(0, 25))
        expired = self.column(
            "SELECT id FROM batches WHERE store_id = ? AND status = 'ok' AND expires_on <= ? ORDER BY id",
            s["id"],
            cutoff,
        )
        if not expired:
            return None
        with self._trial() as before:
            for batch in expired:
                self.dispose_batch(batch)
            declared = self._declared(before)
        return self._task("dispose_expired", rng, solve_dispose_expired, declared, store=s["name"], cutoff=cutoff)

    @proposer(difficulty=3, attempts=2)
    def propose_reorder_low(self, rng: random.Random) -> TaskDraft | None:
        s = rng.choice(self._store_names())
        category = rng.choice(CATEGORIES)
        with self._trial() as before:
            self._reorder_all(s["name"], category=category)
            declared = self._declared(before)
        if not declared[0].tables:
            return None
        return self._task("reorder_low", rng, solve_reorder_low, declared, store=s["name"], category=category)

    # ---- proposers: multi-step plans ----------------------------------------------------------------

    @proposer(difficulty=4, attempts=2)
    def propose_fill_all(self, rng: random.Random) -> TaskDraft | None:
        p = rng.choice(
            self.rows(
                "SELECT p.* FROM patients p JOIN prescriptions r ON r.patient_id = p.id WHERE "
                "r.status = 'active' AND r.fills_left > 0 GROUP BY p.id HAVING COUNT(*) >= 2 "
                "ORDER BY p.id"
            )
        )
        if self._order_matters(p["id"]):
            return None
        s = rng.choice(self._store_names())
        rxs = self.rows("SELECT * FROM prescriptions WHERE patient_id = ? ORDER BY id", p["id"])
        with self._trial() as before:
            filled = [rx["id"] for rx in rxs if self._fill(rx, s["name"])]
            declared = self._declared(before)
        if not filled:
            return None
        return self._task("fill_all", rng, solve_fill_all, declared, patient=p["name"], store=s["name"])

    @proposer(difficulty=4, attempts=2)
    def propose_otc_basket(self, rng: random.Random) -> TaskDraft | None:
        p, s = rng.choice(self.rows("SELECT * FROM patients ORDER BY id")), rng.choice(self._store_names())
        otc = self.rows("SELECT * FROM drugs WHERE prescription_only = 0 ORDER BY id")
        items = [(d, rng.randint(1, 3)) for d in rng.sample(otc, min(len(otc), rng.randint(3, 5)))]
        with self._trial() as before:
            sold = [d["id"] for d, q in items if self._try(self.dispense, p["id"], d["id"], s["name"], q)]
            declared = self._declared(before)
        if not sold or len(sold) == len(items) and rng.random() < 0.4:
            return None
        basket = [{"drug": d["name"], "packs": q} for d, q in items]
        listed = ", ".join(f"{q} pack{'s' if q > 1 else ''} of {d['name']}" for d, q in items)
        return self._task(
            "otc_basket",
            rng,
            solve_otc_basket,
            declared,
            text={"items": listed},
            patient=p["name"],
            store=s["name"],
            basket=basket,
        )

    @proposer(difficulty=5, attempts=8)
    def propose_fill_with_transfer(self, rng: random.Random) -> TaskDraft | None:
        p = rng.choice(
            self.rows(
                "SELECT DISTINCT p.* FROM patients p JOIN prescriptions r ON r.patient_id = p.id "
                "WHERE r.status = 'active' AND r.fills_left > 0 AND r.valid_until >= ? ORDER BY p.id",
                self._today(),
            )
        )
        s = rng.choice(self._store_names())
        if self._order_matters(p["id"]):
            return None
        rxs = self.rows("SELECT * FROM prescriptions WHERE patient_id = ? ORDER BY id", p["id"])
        transferable = days_after(self._today(), TRANSFER_MIN_DAYS - 1)
        last = self.value("SELECT MAX(id) FROM dispenses")
        with self._trial() as before:
            moved = filled = 0
            for rx in rxs:
                short = rx["packs"] - self._units(s["id"], rx["drug_id"])
                if short > 0:
                    others = sorted(
                        (
                            (self._units(o["id"], rx["drug_id"], transferable), o["name"])
                            for o in self._store_names()
                            if o["id"] != s["id"]
                        ),
                        key=lambda o: -o[0],
                    )
                    if len(others) > 1 and others[0][0] == others[1][0] >= short:
                        return None  # two stores could cover it
                    if not others or others[0][0] < short or len(others) > 1 and others[0][0] == others[1][0]:
                        continue
                    self.db.execute("SAVEPOINT fill")
                    self.transfer_stock(rx["drug_id"], others[0][1], s["name"], short)
                    if self._fill(rx, s["name"]):
                        self.db.execute("RELEASE fill")
                        moved += 1
                        filled += 1
                    else:
                        self.db.execute("ROLLBACK TO fill")
                        self.db.execute("RELEASE fill")
                elif self._fill(rx, s["name"]):
                    filled += 1
            dispensed = sorted(set(self.column("SELECT drug_id FROM dispenses WHERE id > ?", last)))
            self._reorder_all(s["name"], dispensed)
            declared = self._declared(before)
        if not filled or not moved:
            return None
        return self._task(
            "fill_with_transfer", rng, solve_fill_with_transfer, declared, patient=p["name"], store=s["name"]
        )
