"""The dispensary's tools: lookups, and writes that enforce the chain's dispensing and stock rules."""

from __future__ import annotations

from synth.env import tool

from .world import INTERACTION_DAYS, OTC_DAILY_PACKS, TRANSFER_MIN_DAYS, age_on, days_after


class PharmacyTools:
    # ---- helpers ------------------------------------------------------------------------------------

    def _today(self) -> str:
        return self.value("SELECT today FROM pharmacy")

    def _store(self, name: str) -> int:
        names = ", ".join(self.column("SELECT name FROM stores ORDER BY name"))
        return self.one(
            "SELECT id FROM stores WHERE lower(name) = lower(?)",
            name,
            missing=f"unknown store {name!r}; the stores are {names}",
        )["id"]

    def _get(self, table: str, row_id: int, hint: str) -> dict:
        return self.one(
            f"SELECT * FROM {table} WHERE id = ?", row_id, missing=f"no {table[:-1]} with id {row_id}; {hint}"
        )

    def _units(self, store_id: int, drug_id: int, min_expiry: str | None = None) -> int:
        return self.value(
            "SELECT COALESCE(SUM(quantity), 0) FROM batches WHERE store_id = ? AND drug_id = ? AND "
            "status = 'ok' AND expires_on > ?",
            store_id,
            drug_id,
            min_expiry or self._today(),
        )

    def _blocking(self) -> tuple[str, ...]:
        return ("major", "moderate") if "moderate_blocks" in self.variant.rules else ("major",)

    def _recent(self, patient_id: int) -> set[int]:
        since = days_after(self._today(), -INTERACTION_DAYS)
        return {
            r["drug_id"]
            for r in self.rows(
                "SELECT drug_id FROM dispenses WHERE patient_id = ? AND dispensed_on > ?", patient_id, since
            )
        }

    def _conflicts(self, patient_id: int, drug_id: int, severities=None) -> list[int]:
        severities = severities or self._blocking()
        recent = self._recent(patient_id)
        out = []
        for r in self.rows(
            "SELECT drug_a, drug_b, severity FROM interactions WHERE drug_a = ? OR drug_b = ?", drug_id, drug_id
        ):
            other = r["drug_b"] if r["drug_a"] == drug_id else r["drug_a"]
            if other in recent and r["severity"] in severities:
                out.append(other)
        return sorted(out)

    def _take(self, store_id: int, drug_id: int, quantity: int, min_expiry: str) -> list[tuple[dict, int]]:
        """Earliest-expiry-first portions of batches covering `quantity`."""
        portions = []
        for b in self.rows(
            "SELECT * FROM batches WHERE store_id = ? AND drug_id = ? AND status = 'ok' AND expires_on > ? "
            "AND quantity > 0 ORDER BY expires_on, id",
            store_id,
            drug_id,
            min_expiry,
        ):
            take = min(quantity, b["quantity"])
            if take:
                portions.append((b, take))
                quantity -= take
        if quantity > 0:
            raise ValueError("not enough in-date stock at this store")
        for b, take in portions:
            self.db.execute("UPDATE batches SET quantity = quantity - ? WHERE id = ?", (take, b["id"]))
        return portions

    def _rules(self) -> dict:
        return {"blocking": list(self._blocking()), "no_minor_otc": "no_minor_otc" in self.variant.rules}

    # ---- tools --------------------------------------------------------------------------------------

    @tool("read")
    def get_pharmacy_info(self) -> dict:
        """Today's date and the dispensing rules in numbers."""
        return {
            "today": self._today(),
            "otc_daily_packs": OTC_DAILY_PACKS,
            "interaction_window_days": INTERACTION_DAYS,
            "blocking_interactions": list(self._blocking()),
            "transfer_min_days_to_expiry": TRANSFER_MIN_DAYS,
            "under_16_prescription_only": "no_minor_otc" in self.variant.rules,
        }

    @tool("read")
    def list_stores(self) -> list[dict]:
        """All stores with their town."""
        return self.rows("SELECT id, name, town FROM stores ORDER BY name")

    @tool("read")
    def search_drugs(self, name: str | None = None, category: str | None = None) -> list[dict]:
        """Drugs by part of the name and/or category, with unit price, minimum age and reorder level.

        Args:
            name: Part of the drug name.
            category: e.g. blood pressure, cholesterol, antibiotic, stomach, pain relief, allergy, heart, sleep,
                cough and cold.
        """
        return self.rows(
            "SELECT * FROM drugs WHERE (? IS NULL OR lower(name) LIKE '%' || lower(?) || '%') AND "
            "(? IS NULL OR lower(category) = lower(?)) ORDER BY id",
            name,
            name,
            category,
            category,
        )

    @tool("read")
    def get_stock(self, drug_id: int, store: str | None = None) -> list[dict]:
        """Batches of a drug (lot, store, expiry, packs, status), at one store or at all stores.

        Args:
            drug_id: Drug id from search_drugs.
            store: Store name; all stores when left out.
        """
        self._get("drugs", drug_id, "use search_drugs")
        store_id = self._store(store) if store else None
        return self.rows(
            "SELECT b.id AS batch_id, s.name AS store, b.lot, b.expires_on, b.quantity, b.status FROM "
            "batches b JOIN stores s ON s.id = b.store_id WHERE b.drug_id = ? AND (? IS NULL OR "
            "b.store_id = ?) ORDER BY s.name, b.expires_on, b.id",
            drug_id,
            store_id,
            store_id,
        )

    @tool("read")
    def list_store_batches(self, store: str) -> list[dict]:
        """Every batch held at a store with its drug, expiry, packs and status.

        Args:
            store: Store name.
        """
        return self.rows(
            "SELECT b.id AS batch_id, d.id AS drug_id, d.name AS drug, b.lot, b.expires_on, b.quantity, "
            "b.status FROM batches b JOIN drugs d ON d.id = b.drug_id WHERE b.store_id = ? ORDER BY "
            "d.name, b.expires_on",
            self._store(store),
        )

    @tool("read")
    def find_patients(self, name: str) -> list[dict]:
        """Patients whose name contains the text (case-insensitive).

        Args:
            name: Full or partial name.
        """
        if not name.strip():
            raise ValueError("give part of the patient's name")
        return self.rows(
            "SELECT id, name, birth_date FROM patients WHERE lower(name) LIKE '%' || lower(?) || '%' ORDER BY id", name
        )

    @tool("read")
    def get_patient(self, patient_id: int) -> dict:
        """A patient's birth date, prescriptions and the medicines dispensed to them.

        Args:
            patient_id: Patient id from find_patients.
        """
        p = self._get("patients", patient_id, "use find_patients")
        p["prescriptions"] = self.rows(
            "SELECT r.id AS prescription_id, r.drug_id, d.name AS drug, r.packs, r.fills_left, "
            "r.written_on, r.valid_until, r.status FROM prescriptions r JOIN drugs d ON "
            "d.id = r.drug_id WHERE r.patient_id = ? ORDER BY r.id",
            patient_id,
        )
        p["dispensed"] = self.rows(
            "SELECT x.drug_id, d.name AS drug, x.quantity, x.dispensed_on FROM dispenses x JOIN "
            "drugs d ON d.id = x.drug_id WHERE x.patient_id = ? ORDER BY x.dispensed_on, x.id",
            patient_id,
        )
        return p

    @tool("read")
    def check_interactions(self, drug_id: int) -> list[dict]:
        """Known interactions of a drug: the other drug and the severity (major or moderate).

        Args:
            drug_id: Drug id.
        """
        self._get("drugs", drug_id, "use search_drugs")
        return self.rows(
            "SELECT d.id AS drug_id, d.name AS drug, i.severity FROM interactions i JOIN drugs d ON d.id = "
            "CASE WHEN i.drug_a = ? THEN i.drug_b ELSE i.drug_a END WHERE i.drug_a = ? OR i.drug_b = ? "
            "ORDER BY d.name",
            drug_id,
            drug_id,
            drug_id,
        )

    @tool("read")
    def list_reorders(self, store: str) -> list[dict]:
        """Reorders of a store with their status (open or received).

        Args:
            store: Store name.
        """
        return self.rows(
            "SELECT r.id, d.name AS drug, r.drug_id, r.quantity, r.created_on, r.status FROM reorders r "
            "JOIN drugs d ON d.id = r.drug_id WHERE r.store_id = ? ORDER BY r.id",
            self._store(store),
        )

    @tool("write")
    def dispense(
        self, patient_id: int, drug_id: int, store: str, quantity: int, prescription_id: int | None = None
    ) -> dict:
        """Dispense packs of a drug to a patient from a store's in-date stock, earliest expiry first.

        Args:
            patient_id: Patient id.
            drug_id: Drug id.
            store: Store name.
            quantity: Packs to dispense.
            prescription_id: The prescription being filled (required for prescription-only drugs).
        """
        patient = self._get("patients", patient_id, "use find_patients")
        drug = self._get("drugs", drug_id, "use search_drugs")
        store_id, today = self._store(store), self._today()
        if quantity < 1:
            raise ValueError("quantity must be at least 1")
        age = age_on(patient["birth_date"], today)
        if age < drug["min_age"]:
            raise ValueError(f"policy: {drug['name']} is not for patients under {drug['min_age']}")
        if conflicts := self._conflicts(patient_id, drug_id):
            raise ValueError(
                f"policy: interacts with drug ids {conflicts} dispensed in the last {INTERACTION_DAYS} days"
            )
        if drug["prescription_only"]:
            if prescription_id is None:
                raise ValueError("policy: this drug needs a prescription; pass prescription_id")
            rx = self._get("prescriptions", prescription_id, "get_patient lists prescriptions")
            if (rx["patient_id"], rx["drug_id"]) != (patient_id, drug_id):
                raise ValueError("that prescription is for another patient or drug")
            if rx["status"] != "active" or rx["valid_until"] < today or rx["fills_left"] < 1:
                raise ValueError("policy: the prescription is not active, has expired or has no fills left")
            if quantity != rx["packs"]:
                raise ValueError(f"policy: a fill is exactly {rx['packs']} packs")
            self.db.execute("UPDATE prescriptions SET fills_left = fills_left - 1 WHERE id = ?", (prescription_id,))
        else:
            if "no_minor_otc" in self.variant.rules and age < 16:
                raise ValueError("policy: patients under 16 may not buy over-the-counter drugs")
            sold = self.value(
                "SELECT COALESCE(SUM(quantity), 0) FROM dispenses WHERE patient_id = ? AND drug_id = ? "
                "AND dispensed_on = ?",
                patient_id,
                drug_id,
                today,
            )
            if sold + quantity > OTC_DAILY_PACKS:
                raise ValueError(f"policy: at most {OTC_DAILY_PACKS} packs of one drug per patient per day")
            prescription_id = None
        for batch, take in self._take(store_id, drug_id, quantity, today):
            self.db.execute(
                "INSERT INTO dispenses (patient_id, drug_id, store_id, batch_id, prescription_id, quantity, "
                "dispensed_on) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (patient_id, drug_id, store_id, batch["id"], prescription_id, take, today),
            )
        return {
            "patient_id": patient_id,
            "drug": drug["name"],
            "packs": quantity,
            "store": store,
            "price": round(quantity * drug["unit_price"], 2),
        }

    @tool("write")
    def transfer_stock(self, drug_id: int, from_store: str, to_store: str, quantity: int) -> dict:
        """Move packs of a drug between stores, from batches with at least 30 days to expiry, earliest expiry first.

        Args:
            drug_id: Drug id.
            from_store: Store giving the stock.
            to_store: Store receiving it.
            quantity: Packs to move.
        """
        self._get("drugs", drug_id, "use search_drugs")
        src, dst = self._store(from_store), self._store(to_store)
        if src == dst or quantity < 1:
            raise ValueError("give two different stores and a positive quantity")
        portions = self._take(src, drug_id, quantity, days_after(self._today(), TRANSFER_MIN_DAYS - 1))
        for batch, take in portions:
            self.db.execute(
                "INSERT INTO batches (drug_id, store_id, lot, expires_on, quantity, status) VALUES "
                "(?, ?, ?, ?, ?, 'ok')",
                (drug_id, dst, batch["lot"], batch["expires_on"], take),
            )
        return {"moved": quantity, "lots": [b["lot"] for b, _ in portions]}

    @tool("write")
    def dispose_batch(self, batch_id: int) -> dict:
        """Dispose of an expired batch.

        Args:
            batch_id: Batch id from get_stock or list_store_batches.
        """
        batch = self._get("batches", batch_id, "use get_stock")
        if batch["status"] != "ok":
            raise ValueError("this batch was already disposed of")
        if batch["expires_on"] > self._today():
            raise ValueError("policy: only expired batches may be disposed of")
        self.db.execute("UPDATE batches SET status = 'disposed' WHERE id = ?", (batch_id,))
        return {"batch_id": batch_id, "status": "disposed"}

    @tool("write")
    def create_reorder(self, store: str, drug_id: int, quantity: int) -> dict:
        """Order more of a drug for a store.

        Args:
            store: Store name.
            drug_id: Drug id.
            quantity: Packs to order.
        """
        store_id = self._store(store)
        drug = self._get("drugs", drug_id, "use search_drugs")
        units = self._units(store_id, drug_id)
        if units >= drug["reorder_level"]:
            raise ValueError(f"policy: in-date stock {units} is not below the reorder level {drug['reorder_level']}")
        if self.value(
            "SELECT 1 FROM reorders WHERE store_id = ? AND drug_id = ? AND status = 'open'", store_id, drug_id
        ):
            raise ValueError("policy: a reorder for this drug is already open at this store")
        if quantity != 2 * drug["reorder_level"] - units:
            raise ValueError("policy: the order must bring in-date stock up to exactly twice the reorder level")
        rid = self.db.execute(
            "INSERT INTO reorders (store_id, drug_id, quantity, created_on, status) VALUES (?, ?, ?, ?, 'open')",
            (store_id, drug_id, quantity, self._today()),
        ).lastrowid
        return {"reorder_id": rid, "quantity": quantity}
