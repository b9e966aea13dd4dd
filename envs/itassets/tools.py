"""The IT asset desk's tools: lookups, and writes that enforce the asset policy."""

from __future__ import annotations

import datetime as dt

from synth.env import tool

from .world import TODAY, shift


class ITAssetsTools:
    # ---- policy helpers shared by tools and proposers -------------------------------------------------

    def _cutoff(self) -> str:
        return "2023-03-16" if "short_refresh" in self.variant.rules else "2022-03-16"

    def _min_rating(self) -> float:
        return 4.0 if "strict_vendors" in self.variant.rules else 3.5

    def _room(self, dept_id: int) -> float:
        d = self.one("SELECT budget, spent FROM departments WHERE id = ?", dept_id, missing=f"no department {dept_id}")
        limit = d["budget"] * 0.9 if "budget_reserve" in self.variant.rules else d["budget"]
        return round(limit - d["spent"], 2)

    def _rules(self) -> dict:
        return {
            "cutoff": self._cutoff(),
            "min_rating": self._min_rating(),
            "reserve": "budget_reserve" in self.variant.rules,
        }

    def _employee(self, email: str) -> dict:
        return self.one(
            "SELECT * FROM employees WHERE lower(email) = lower(?)",
            email.strip(),
            missing=f"no employee with email {email!r}; find_employees searches the directory",
        )

    def _device(self, tag: str) -> dict:
        return self.one(
            "SELECT d.*, m.kind, m.maker FROM devices d JOIN models m ON m.id = d.model_id WHERE "
            "upper(d.asset_tag) = upper(?)",
            tag.strip(),
            missing=f"no device with asset tag {tag!r}; search_devices lists devices",
        )

    def _department(self, name: str) -> dict:
        return self.one(
            "SELECT * FROM departments WHERE lower(name) = lower(?)",
            name.strip(),
            missing=f"unknown department {name!r}; list_departments shows them",
        )

    def _licence(self, product: str) -> dict:
        return self.one(
            "SELECT * FROM licences WHERE lower(product) = lower(?)",
            product.strip(),
            missing=f"unknown licence {product!r}; list_licences shows them",
        )

    def _charge(self, dept: dict, amount: float, item: str) -> None:
        room = self._room(dept["id"])
        if amount > room + 1e-9:
            raise ValueError(f"policy: {dept['name']} can spend at most {room:.2f} more; this costs {amount:.2f}")
        self.db.execute("UPDATE departments SET spent = round(spent + ?, 2) WHERE id = ?", (amount, dept["id"]))
        self.db.execute(
            "INSERT INTO purchases (department_id, item, amount, bought_on) VALUES (?, ?, ?, ?)",
            (dept["id"], item, amount, TODAY),
        )

    def _device_rows(self, where: str = "1", *args) -> list[dict]:
        return self.rows(
            "SELECT d.asset_tag, m.name AS model, m.kind, m.ram_gb, m.storage_gb, d.purchase_date, "
            "d.warranty_end, d.status, e.email AS holder, e.name AS holder_name, dp.name AS "
            "holder_department FROM devices d JOIN models m ON m.id = d.model_id LEFT JOIN employees e "
            "ON e.id = d.employee_id LEFT JOIN departments dp ON dp.id = e.department_id "
            f"WHERE {where} ORDER BY d.asset_tag",
            *args,
        )

    # ---- read tools ---------------------------------------------------------------------------------

    @tool("read")
    def get_employee(self, email: str) -> dict:
        """An employee's profile: department, title, status, hire date, the devices they hold and their licence seats.

        Args:
            email: The employee's email address.
        """
        e = self._employee(email)
        e["department"] = self.value("SELECT name FROM departments WHERE id = ?", e.pop("department_id"))
        e["devices"] = self._device_rows("d.employee_id = ?", e.pop("id"))
        e["licences"] = [
            r["product"]
            for r in self.rows(
                "SELECT l.product FROM seats s JOIN licences l ON l.id = s.licence_id JOIN employees e ON "
                "e.id = s.employee_id WHERE lower(e.email) = lower(?) ORDER BY l.product",
                email.strip(),
            )
        ]
        return e

    @tool("read")
    def find_employees(
        self, department: str | None = None, name: str | None = None, status: str | None = None
    ) -> list[dict]:
        """Employees filtered by department, part of the name and/or status (active or leaving), with device count.

        Args:
            department: Department name.
            name: Part of the employee's name.
            status: active or leaving.
        """
        where, args = ["1"], []
        if department:
            where.append("e.department_id = ?")
            args.append(self._department(department)["id"])
        if name:
            where.append("lower(e.name) LIKE ?")
            args.append(f"%{name.strip().lower()}%")
        if status:
            where.append("e.status = lower(?)")
            args.append(status.strip())
        return self.rows(
            "SELECT e.name, e.email, d.name AS department, e.title, e.status, e.hire_date, "
            "(SELECT COUNT(*) FROM devices v WHERE v.employee_id = e.id) AS devices FROM employees e "
            f"JOIN departments d ON d.id = e.department_id WHERE {' AND '.join(where)} ORDER BY e.name",
            *args,
        )

    @tool("read")
    def list_departments(self) -> list[dict]:
        """Departments with hardware budget, amount spent so far and headcount."""
        return self.rows(
            "SELECT d.name, d.budget, d.spent, (SELECT COUNT(*) FROM employees e WHERE "
            "e.department_id = d.id) AS headcount FROM departments d ORDER BY d.name"
        )

    @tool("read")
    def search_devices(
        self,
        kind: str | None = None,
        status: str | None = None,
        department: str | None = None,
        purchased_before: str | None = None,
        min_ram_gb: int | None = None,
    ) -> list[dict]:
        """Devices with model, kind, specs, purchase date, warranty end, status and holder, filtered as given.

        Args:
            kind: laptop, desktop, phone or monitor.
            status: in_use, in_stock, in_repair or retired.
            department: Only devices held by employees of this department.
            purchased_before: Only devices purchased before this date (YYYY-MM-DD).
            min_ram_gb: Only models with at least this much RAM.
        """
        where, args = ["1"], []
        if kind:
            where.append("m.kind = lower(?)")
            args.append(kind.strip())
        if status:
            where.append("d.status = lower(?)")
            args.append(status.strip())
        if department:
            where.append("e.department_id = ?")
            args.append(self._department(department)["id"])
        if purchased_before:
            try:
                dt.date.fromisoformat(purchased_before)
            except ValueError:
                raise ValueError("purchased_before must be a date like 2022-03-16") from None
            where.append("d.purchase_date < ?")
            args.append(purchased_before)
        if min_ram_gb is not None:
            where.append("m.ram_gb >= ?")
            args.append(min_ram_gb)
        return self._device_rows(" AND ".join(where), *args)

    @tool("read")
    def get_device(self, asset_tag: str) -> dict:
        """One device in full: model, maker, specs, dates, status, holder and its repair history.

        Args:
            asset_tag: The asset tag, like AT-12345.
        """
        d = self._device(asset_tag)
        view = self._device_rows("d.id = ?", d["id"])[0] | {"maker": d["maker"]}
        view["repairs"] = self.rows(
            "SELECT r.id, v.name AS vendor, r.issue, r.opened, r.status, r.cost FROM "
            "repairs r JOIN vendors v ON v.id = r.vendor_id WHERE r.device_id = ? ORDER BY "
            "r.id",
            d["id"],
        )
        return view

    @tool("read")
    def list_models(self, kind: str | None = None) -> list[dict]:
        """The purchasable device models: kind, maker, price, RAM, storage and warranty years.

        Args:
            kind: Only this kind (laptop, desktop, phone or monitor).
        """
        if kind:
            return self.rows(
                "SELECT name, kind, maker, price, ram_gb, storage_gb, warranty_years FROM models WHERE "
                "kind = lower(?) ORDER BY price",
                kind.strip(),
            )
        return self.rows(
            "SELECT name, kind, maker, price, ram_gb, storage_gb, warranty_years FROM models ORDER BY kind, price"
        )

    @tool("read")
    def list_licences(self) -> list[dict]:
        """Software licences: product, seats, seats in use, expiry date and yearly cost per seat."""
        return self.rows(
            "SELECT l.product, l.seats, (SELECT COUNT(*) FROM seats s WHERE s.licence_id = l.id) AS "
            "used, l.expiry, l.cost_per_seat FROM licences l ORDER BY l.product"
        )

    @tool("read")
    def get_licence(self, product: str) -> dict:
        """One licence with its holders (name, email, department, status).

        Args:
            product: The product name.
        """
        lic = self._licence(product)
        lic["holders"] = self.rows(
            "SELECT e.name, e.email, d.name AS department, e.status FROM seats s JOIN "
            "employees e ON e.id = s.employee_id JOIN departments d ON d.id = e.department_id "
            "WHERE s.licence_id = ? ORDER BY e.name",
            lic.pop("id"),
        )
        lic["used"] = len(lic["holders"])
        return lic

    @tool("read")
    def list_vendors(self) -> list[dict]:
        """Repair vendors (makers and repair shops) with rating, out-of-warranty fee and turnaround days."""
        return self.rows("SELECT name, rating, fee, turnaround_days FROM vendors ORDER BY name")

    @tool("read")
    def list_repairs(self, status: str | None = None) -> list[dict]:
        """Repair tickets, optionally only open or closed ones.

        Args:
            status: open or closed.
        """
        where = "r.status = lower(?)" if status else "? IS NULL"
        return self.rows(
            "SELECT r.id, d.asset_tag, v.name AS vendor, r.issue, r.opened, r.status, r.cost FROM "
            "repairs r JOIN devices d ON d.id = r.device_id JOIN vendors v ON v.id = r.vendor_id "
            f"WHERE {where} ORDER BY r.id",
            status.strip() if status else None,
        )

    # ---- write tools --------------------------------------------------------------------------------

    @tool("write")
    def assign_device(self, asset_tag: str, email: str) -> dict:
        """Assign an in-stock device to an active employee who holds no device of that kind.

        Args:
            asset_tag: The device's asset tag.
            email: The employee's email address.
        """
        d, e = self._device(asset_tag), self._employee(email)
        if d["status"] != "in_stock":
            raise ValueError(f"{d['asset_tag']} is {d['status']}; only in-stock devices can be assigned")
        if e["status"] != "active":
            raise ValueError(f"policy: {e['name']} is {e['status']}; only active employees receive devices")
        if self.value(
            "SELECT 1 FROM devices v JOIN models m ON m.id = v.model_id WHERE v.employee_id = ? AND m.kind = ?",
            e["id"],
            d["kind"],
        ):
            raise ValueError(f"policy: {e['name']} already holds a {d['kind']}; take it back first")
        self.db.execute("UPDATE devices SET status = 'in_use', employee_id = ? WHERE id = ?", (e["id"], d["id"]))
        return self._device_rows("d.id = ?", d["id"])[0]

    @tool("write")
    def unassign_device(self, asset_tag: str) -> dict:
        """Take a device back from its holder into stock.

        Args:
            asset_tag: The device's asset tag.
        """
        d = self._device(asset_tag)
        if d["status"] == "in_repair":
            raise ValueError(f"policy: {d['asset_tag']} is in repair and cannot be unassigned")
        if d["employee_id"] is None:
            raise ValueError(f"{d['asset_tag']} is not assigned to anyone")
        self.db.execute("UPDATE devices SET status = 'in_stock', employee_id = NULL WHERE id = ?", (d["id"],))
        return self._device_rows("d.id = ?", d["id"])[0]

    @tool("write")
    def retire_device(self, asset_tag: str) -> dict:
        """Retire an unassigned device that is not in repair.

        Args:
            asset_tag: The device's asset tag.
        """
        d = self._device(asset_tag)
        if d["status"] != "in_stock":
            raise ValueError(
                f"policy: only unassigned in-stock devices can be retired; {d['asset_tag']} is {d['status']}"
            )
        self.db.execute("UPDATE devices SET status = 'retired' WHERE id = ?", (d["id"],))
        return self._device_rows("d.id = ?", d["id"])[0]

    @tool("write")
    def purchase_device(self, model: str, department: str) -> dict:
        """Buy one new device of a catalogue model into stock, charged to a department's budget.

        Args:
            model: The model name from list_models.
            department: Department that pays.
        """
        m = self.one(
            "SELECT * FROM models WHERE lower(name) = lower(?)",
            model.strip(),
            missing=f"unknown model {model!r}; list_models shows the catalogue",
        )
        dept = self._department(department)
        self._charge(dept, m["price"], m["name"])
        n = self.value("SELECT MAX(CAST(substr(asset_tag, 4) AS INTEGER)) FROM devices") + 1
        self.db.execute(
            "INSERT INTO devices (asset_tag, model_id, purchase_date, warranty_end, status, employee_id) "
            "VALUES (?, ?, ?, ?, 'in_stock', NULL)",
            (f"AT-{n}", m["id"], TODAY, shift(TODAY, 365 * m["warranty_years"])),
        )
        return self._device_rows("d.asset_tag = ?", f"AT-{n}")[0]

    @tool("write")
    def assign_licence(self, product: str, email: str) -> dict:
        """Give an active employee a seat on a licence that has a free seat and has not expired.

        Args:
            product: The product name.
            email: The employee's email address.
        """
        lic, e = self._licence(product), self._employee(email)
        if e["status"] != "active":
            raise ValueError(f"policy: {e['name']} is {e['status']}; only active employees get seats")
        if lic["expiry"] < TODAY:
            raise ValueError(f"policy: the {lic['product']} licence expired on {lic['expiry']}")
        if self.value("SELECT 1 FROM seats WHERE licence_id = ? AND employee_id = ?", lic["id"], e["id"]):
            raise ValueError(f"{e['name']} already has a {lic['product']} seat")
        used = self.value("SELECT COUNT(*) FROM seats WHERE licence_id = ?", lic["id"])
        if used >= lic["seats"]:
            raise ValueError(f"policy: all {lic['seats']} {lic['product']} seats are taken; revoke or buy one")
        self.db.execute(
            "INSERT INTO seats (licence_id, employee_id, assigned_on) VALUES (?, ?, ?)", (lic["id"], e["id"], TODAY)
        )
        return {"product": lic["product"], "email": e["email"], "seats": lic["seats"], "used": used + 1}

    @tool("write")
    def revoke_licence(self, product: str, email: str) -> dict:
        """Take an employee's seat on a licence back.

        Args:
            product: The product name.
            email: The employee's email address.
        """
        lic, e = self._licence(product), self._employee(email)
        cur = self.db.execute("DELETE FROM seats WHERE licence_id = ? AND employee_id = ?", (lic["id"], e["id"]))
        if not cur.rowcount:
            raise ValueError(f"{e['name']} holds no {lic['product']} seat")
        return {"product": lic["product"], "email": e["email"], "revoked": True}

    @tool("write")
    def add_licence_seats(self, product: str, count: int, department: str) -> dict:
        """Buy extra seats on a licence that has not expired, charged to a department at the yearly seat cost.

        Args:
            product: The product name.
            count: How many seats to add (at least 1).
            department: Department that pays.
        """
        lic, dept = self._licence(product), self._department(department)
        if count < 1:
            raise ValueError("count must be at least 1")
        if lic["expiry"] < TODAY:
            raise ValueError(f"policy: the {lic['product']} licence has expired; no seats can be added")
        self._charge(dept, round(count * lic["cost_per_seat"], 2), f"{count} x {lic['product']} seat")
        self.db.execute("UPDATE licences SET seats = seats + ? WHERE id = ?", (count, lic["id"]))
        return {"product": lic["product"], "seats": lic["seats"] + count}

    @tool("write")
    def open_repair(self, asset_tag: str, vendor: str, issue: str) -> dict:
        """Send a device to a repair vendor under the repair policy; the device goes into repair.

        Args:
            asset_tag: The device's asset tag.
            vendor: The vendor's name (list_vendors).
            issue: What is wrong.
        """
        d = self._device(asset_tag)
        v = self.one(
            "SELECT * FROM vendors WHERE lower(name) = lower(?)",
            vendor.strip(),
            missing=f"unknown vendor {vendor!r}; list_vendors shows them",
        )
        if d["status"] not in ("in_use", "in_stock"):
            raise ValueError(f"{d['asset_tag']} is {d['status']} and cannot be sent for repair")
        if not issue.strip():
            raise ValueError("describe the issue")
        if d["warranty_end"] >= TODAY:
            if v["name"] != d["maker"]:
                raise ValueError(f"policy: {d['asset_tag']} is under warranty; send it to its maker {d['maker']}")
            cost = 0.0
        else:
            if d["purchase_date"] < self._cutoff():
                raise ValueError(f"policy: {d['asset_tag']} is out of warranty and due for refresh; retire it")
            if v["rating"] < self._min_rating():
                raise ValueError(f"policy: out-of-warranty repairs need a vendor rated {self._min_rating()} or more")
            cost = v["fee"]
        self.db.execute("UPDATE devices SET status = 'in_repair' WHERE id = ?", (d["id"],))
        cur = self.db.execute(
            "INSERT INTO repairs (device_id, vendor_id, issue, opened, status, cost) VALUES (?, ?, ?, ?, 'open', ?)",
            (d["id"], v["id"], issue.strip(), TODAY, cost),
        )
        return {"repair_id": cur.lastrowid, "asset_tag": d["asset_tag"], "vendor": v["name"], "cost": cost}
