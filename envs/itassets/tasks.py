"""Task proposers, from single lookups (level 1) to department-wide refresh waves (level 5)."""

from __future__ import annotations

import random

from synth.env import Answer, Effects, Program, Rule, TaskDraft, inserts, proposer, updates

from .checks import check_devices
from .solutions import (
    solve_assign_newest,
    solve_device_holder,
    solve_expiring_licences,
    solve_free_seats,
    solve_grant_seat,
    solve_licence_rollout,
    solve_offboard,
    solve_oldest_device,
    solve_onboard,
    solve_refresh_count,
    solve_refresh_wave,
    solve_repair_or_retire,
    solve_spend_room,
    solve_team_onboard,
    solve_warranty_end,
)
from .world import ISSUES, KINDS, TODAY, shift

DEVICE_MOVES = ["status", "employee_id"]


class ITAssetsTasks:
    # ---- proposer helpers ---------------------------------------------------------------------------

    def _names(self) -> list[str]:
        return self.column("SELECT name FROM employees ORDER BY id")

    def _stock(self, kind: str, min_ram: int = 0) -> list[dict]:
        """In-stock devices of a kind that are not due for refresh."""
        return self.rows(
            "SELECT d.id, d.asset_tag, d.purchase_date FROM devices d JOIN models m ON m.id = d.model_id "
            "WHERE d.status = 'in_stock' AND m.kind = ? AND d.purchase_date >= ? AND m.ram_gb >= ? "
            "ORDER BY d.id",
            kind,
            self._cutoff(),
            min_ram,
        )

    def _cheapest(self, kind: str, min_ram: int = 0) -> dict:
        """The cheapest model of a kind (the catalogue's prices differ within a kind)."""
        return self.one(
            "SELECT id, name, price FROM models WHERE kind = ? AND ram_gb >= ? ORDER BY price",
            kind,
            min_ram,
            missing=f"no {kind} model with {min_ram} GB RAM",
        )

    def _holds(self, emp_id: int, kind: str) -> bool:
        return bool(
            self.value(
                "SELECT 1 FROM devices d JOIN models m ON m.id = d.model_id WHERE d.employee_id = ? AND m.kind = ?",
                emp_id,
                kind,
            )
        )

    def _free(self, lic: dict) -> int:
        return lic["seats"] - self.value("SELECT COUNT(*) FROM seats WHERE licence_id = ?", lic["id"])

    def _seat_ids(self, where: str, *args) -> list[int]:
        return self.column(f"SELECT id FROM seats WHERE {where} ORDER BY id", *args)

    def _spending(self, dept_id: int, cost: float, purchases: list[dict] | None) -> dict:
        """Effects of charging `cost` to a department: its spending and the purchase rows (exactly `purchases`
        when given; any number when seats may be bought in several calls)."""
        if not cost:
            return {}
        spent = self.value("SELECT spent FROM departments WHERE id = ?", dept_id)
        return {
            "departments": updates("spent", keys=[dept_id], values={"spent": round(spent + cost, 2)}),
            "purchases": inserts(rows=purchases) if purchases is not None else inserts(),
        }

    def _device_purchases(self, dept_id: int, model: dict, count: int) -> list[dict]:
        return [{"department_id": dept_id, "item": model["name"], "amount": model["price"]}] * count

    # ---- proposers: answers -------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_device_holder(self, rng: random.Random) -> TaskDraft | None:
        d = rng.choice(
            self.rows(
                "SELECT d.asset_tag, e.name FROM devices d JOIN employees e ON e.id = d.employee_id ORDER BY d.id"
            )
        )
        return TaskDraft(
            shape="device_holder",
            instruction=self.render("device_holder", rng, tag=d["asset_tag"]),
            solution=Program.of(solve_device_holder, tag=d["asset_tag"]),
            answer=Answer.entity(d["name"], candidates=self._names()),
            tools=("get_device", "search_devices", "get_employee"),
        )

    @proposer(difficulty=1)
    def propose_warranty_end(self, rng: random.Random) -> TaskDraft | None:
        d = rng.choice(self.rows("SELECT asset_tag, warranty_end FROM devices WHERE status != 'retired' ORDER BY id"))
        return TaskDraft(
            shape="warranty_end",
            instruction=self.render("warranty_end", rng, tag=d["asset_tag"]),
            solution=Program.of(solve_warranty_end, tag=d["asset_tag"]),
            answer=Answer.date(d["warranty_end"]),
            tools=("get_device", "search_devices"),
        )

    @proposer(difficulty=1)
    def propose_free_seats(self, rng: random.Random) -> TaskDraft | None:
        lic = rng.choice(self.rows("SELECT * FROM licences ORDER BY id"))
        return TaskDraft(
            shape="free_seats",
            instruction=self.render("free_seats", rng, product=lic["product"]),
            solution=Program.of(solve_free_seats, product=lic["product"]),
            answer=Answer.integer(self._free(lic)),
            tools=("list_licences", "get_licence"),
        )

    @proposer(difficulty=2)
    def propose_refresh_count(self, rng: random.Random) -> TaskDraft | None:
        dept, kind = rng.choice(self.column("SELECT name FROM departments ORDER BY id")), rng.choice(KINDS)
        n = self.value(
            "SELECT COUNT(*) FROM devices d JOIN models m ON m.id = d.model_id JOIN employees e ON "
            "e.id = d.employee_id JOIN departments dp ON dp.id = e.department_id WHERE dp.name = ? AND "
            "m.kind = ? AND d.purchase_date < ?",
            dept,
            kind,
            self._cutoff(),
        )
        spec = {"dept": dept, "kind": kind}
        return TaskDraft(
            shape="refresh_count",
            instruction=self.render("refresh_count", rng, **spec),
            solution=Program.of(solve_refresh_count, **spec, **self._rules()),
            answer=Answer.integer(n),
            tools=("search_devices", "find_employees", "get_employee"),
        )

    @proposer(difficulty=2, attempts=3)
    def propose_oldest_device(self, rng: random.Random) -> TaskDraft | None:
        dept, kind = rng.choice(self.column("SELECT name FROM departments ORDER BY id")), rng.choice(KINDS)
        rows = self.rows(
            "SELECT e.name, d.purchase_date FROM devices d JOIN models m ON m.id = d.model_id JOIN "
            "employees e ON e.id = d.employee_id JOIN departments dp ON dp.id = e.department_id WHERE "
            "dp.name = ? AND m.kind = ? ORDER BY d.purchase_date",
            dept,
            kind,
        )
        if len(rows) < 2 or rows[0]["purchase_date"] == rows[1]["purchase_date"]:
            return None
        spec = {"dept": dept, "kind": kind}
        return TaskDraft(
            shape="oldest_device",
            instruction=self.render("oldest_device", rng, **spec),
            solution=Program.of(solve_oldest_device, **spec),
            answer=Answer.entity(rows[0]["name"], candidates=self._names()),
            tools=("search_devices", "find_employees", "get_employee"),
        )

    @proposer(difficulty=2, attempts=3)
    def propose_expiring_licences(self, rng: random.Random) -> TaskDraft | None:
        date = shift(TODAY, rng.randint(20, 500))
        products = self.column(
            "SELECT product FROM licences WHERE expiry >= ? AND expiry < ? ORDER BY product", TODAY, date
        )
        if not products:
            return None
        return TaskDraft(
            shape="expiring_licences",
            instruction=self.render("expiring_licences", rng, date=date),
            solution=Program.of(solve_expiring_licences, date=date),
            answer=Answer.entities(products, candidates=self.column("SELECT product FROM licences")),
            tools=("list_licences", "get_licence"),
        )

    @proposer(difficulty=2)
    def propose_spend_room(self, rng: random.Random) -> TaskDraft | None:
        d = rng.choice(self.rows("SELECT id, name FROM departments ORDER BY id"))
        return TaskDraft(
            shape="spend_room",
            instruction=self.render("spend_room", rng, dept=d["name"]),
            solution=Program.of(solve_spend_room, dept=d["name"], **self._rules()),
            answer=Answer.number(self._room(d["id"])),
            tools=("list_departments",),
        )

    # ---- proposers: changes -------------------------------------------------------------------------

    @proposer(difficulty=3, attempts=3)
    def propose_assign_newest(self, rng: random.Random) -> TaskDraft | None:
        kind = rng.choice(KINDS)
        stock = sorted(self._stock(kind), key=lambda s: s["purchase_date"], reverse=True)
        if not stock or (len(stock) > 1 and stock[0]["purchase_date"] == stock[1]["purchase_date"]):
            return None
        people = [
            e
            for e in self.rows("SELECT id, email FROM employees WHERE status = 'active' ORDER BY id")
            if not self._holds(e["id"], kind)
        ]
        if not people:
            return None
        e = rng.choice(people)
        spec = {"email": e["email"], "kind": kind}
        return TaskDraft(
            shape="assign_newest",
            instruction=self.render("assign_newest", rng, **spec),
            solution=Program.of(solve_assign_newest, **spec, **self._rules()),
            answer=Answer.none(),
            effects=Effects.on(
                devices=updates(
                    *DEVICE_MOVES, keys=[stock[0]["id"]], values={"status": "in_use", "employee_id": e["id"]}
                )
            ),
            tools=("search_devices", "get_employee", "assign_device", "get_device"),
        )

    @proposer(difficulty=3, attempts=3)
    def propose_repair_or_retire(self, rng: random.Random) -> TaskDraft | None:
        d = rng.choice(
            self.rows(
                "SELECT d.id, d.asset_tag, d.purchase_date, d.warranty_end, d.employee_id, m.maker "
                "FROM devices d JOIN models m ON m.id = d.model_id WHERE d.status IN "
                "('in_use', 'in_stock') ORDER BY d.id"
            )
        )
        if d["warranty_end"] >= TODAY:
            vendor, cost = self.value("SELECT id FROM vendors WHERE name = ?", d["maker"]), 0.0
        elif d["purchase_date"] < self._cutoff():
            vendor = None
        elif not self.has_tool("list_vendors"):
            return None
        else:
            ok = self.rows("SELECT id, fee FROM vendors WHERE rating >= ? ORDER BY fee", self._min_rating())
            if len(ok) > 1 and ok[0]["fee"] == ok[1]["fee"]:
                return None  # two cheapest eligible vendors
            vendor, cost = ok[0]["id"], ok[0]["fee"]
        if vendor is None:
            effects = Effects.on(
                devices=updates(*DEVICE_MOVES, keys=[d["id"]], values={"status": "retired", "employee_id": None})
            )
        else:
            effects = Effects.on(
                devices=updates("status", keys=[d["id"]], values={"status": "in_repair"}),
                repairs=inserts(
                    rows=[{"device_id": d["id"], "vendor_id": vendor, "status": "open", "cost": cost, "opened": TODAY}]
                ),
            )
        spec = {"tag": d["asset_tag"], "issue": rng.choice(ISSUES)}
        return TaskDraft(
            shape="repair_or_retire",
            instruction=self.render("repair_or_retire", rng, **spec),
            solution=Program.of(solve_repair_or_retire, **spec, **self._rules()),
            answer=Answer.none(),
            effects=effects,
        )

    @proposer(difficulty=3, attempts=3)
    def propose_grant_seat(self, rng: random.Random) -> TaskDraft | None:
        lic = rng.choice(self.rows("SELECT * FROM licences WHERE expiry >= ? ORDER BY id", TODAY))
        people = self.rows(
            "SELECT e.id, e.email, e.department_id FROM employees e WHERE e.status = 'active' AND "
            "e.id NOT IN (SELECT employee_id FROM seats WHERE licence_id = ?) ORDER BY e.id",
            lic["id"],
        )
        if not people:
            return None
        e = rng.choice(people)
        effects = {"seats": inserts(rows=[{"licence_id": lic["id"], "employee_id": e["id"]}])}
        if self._free(lic) <= 0:
            if self._room(e["department_id"]) < lic["cost_per_seat"]:
                return None
            effects |= {
                "licences": updates("seats", keys=[lic["id"]], values={"seats": lic["seats"] + 1}),
                **self._spending(
                    e["department_id"],
                    lic["cost_per_seat"],
                    [{"department_id": e["department_id"], "amount": lic["cost_per_seat"]}],
                ),
            }
        spec = {"email": e["email"], "product": lic["product"]}
        return TaskDraft(
            shape="grant_seat",
            instruction=self.render("grant_seat", rng, **spec),
            solution=Program.of(solve_grant_seat, **spec),
            answer=Answer.none(),
            effects=Effects.on(**effects),
            tools=("get_employee", "get_licence", "list_licences", "assign_licence", "add_licence_seats"),
        )

    @proposer(difficulty=4, attempts=4)
    def propose_onboard(self, rng: random.Random) -> TaskDraft | None:
        hires = self.rows(
            "SELECT e.id, e.email, e.department_id FROM employees e WHERE e.status = 'active' AND NOT "
            "EXISTS (SELECT 1 FROM devices v WHERE v.employee_id = e.id) ORDER BY e.id"
        )
        lics = [
            lic
            for lic in self.rows("SELECT * FROM licences WHERE expiry >= ? ORDER BY id", TODAY)
            if self._free(lic) > 0
        ]
        if not hires or not lics:
            return None
        e, lic = rng.choice(hires), rng.choice(lics)
        kind_a, kind_b = rng.sample(["laptop", "phone", "monitor", "desktop"], 2)
        gains, allowed, bought = [], [], []
        for kind in (kind_a, kind_b):
            stock, model = [s["id"] for s in self._stock(kind)], self._cheapest(kind)
            gains.append({"employee": e["id"], "kind": kind, "stock": stock, "models": [] if stock else [model["id"]]})
            allowed += stock
            bought += [] if stock else [model]
        cost = round(sum(m["price"] for m in bought), 2)
        if cost > self._room(e["department_id"]):
            return None
        effects = Effects.on(
            devices=Rule(
                insert=len(bought),
                rows=[{"model_id": m["id"], "status": "in_use", "employee_id": e["id"]} for m in bought] or None,
                update=DEVICE_MOVES,
                keys=allowed,
            ),
            seats=inserts(rows=[{"licence_id": lic["id"], "employee_id": e["id"]}]),
            **self._spending(
                e["department_id"],
                cost,
                [{"department_id": e["department_id"], "item": m["name"], "amount": m["price"]} for m in bought],
            ),
        )
        spec = {"email": e["email"], "kind_a": kind_a, "kind_b": kind_b, "product": lic["product"]}
        return TaskDraft(
            shape="onboard",
            instruction=self.render("onboard", rng, **spec),
            solution=Program.of(solve_onboard, **spec, **self._rules()),
            answer=Answer.none(),
            effects=effects,
            check=Program.of(check_devices, gains=gains),
        )

    @proposer(difficulty=4, attempts=4)
    def propose_offboard(self, rng: random.Random) -> TaskDraft | None:
        e = rng.choice(
            self.rows(
                "SELECT id, email FROM employees WHERE EXISTS (SELECT 1 FROM devices d WHERE "
                "d.employee_id = employees.id) ORDER BY id"
            )
        )
        devices = [
            d
            for d in self.rows(
                "SELECT id, purchase_date, status FROM devices WHERE employee_id = ? ORDER BY id", e["id"]
            )
            if d["status"] != "in_repair"
        ]
        held = self.column(
            "SELECT l.product FROM seats s JOIN licences l ON l.id = s.licence_id WHERE "
            "s.employee_id = ? ORDER BY l.product",
            e["id"],
        )
        retire = sum(d["purchase_date"] < self._cutoff() for d in devices)
        if len(devices) + len(held) + retire < 5:  # with the profile lookup, at least six calls
            return None
        lic = rng.choice(self.rows("SELECT * FROM licences WHERE expiry >= ? ORDER BY id", TODAY))
        mates = self.column(
            "SELECT email FROM employees WHERE status = 'active' AND id != ? AND id NOT IN (SELECT "
            "employee_id FROM seats WHERE licence_id = ?) ORDER BY id",
            e["id"],
            lic["id"],
        )
        if not mates:
            return None
        colleague = rng.choice(mates)
        given = (
            [
                {
                    "licence_id": lic["id"],
                    "employee_id": self.value("SELECT id FROM employees WHERE email = ?", colleague),
                }
            ]
            if lic["product"] in held
            else []
        )
        final = [[d["id"], "retired" if d["purchase_date"] < self._cutoff() else "in_stock", None] for d in devices]
        spec = {"email": e["email"], "product": lic["product"], "colleague": colleague}
        return TaskDraft(
            shape="offboard",
            instruction=self.render("offboard", rng, **spec),
            solution=Program.of(solve_offboard, **spec, **self._rules()),
            answer=Answer.none(),
            effects=Effects.on(
                devices=updates(*DEVICE_MOVES, keys=[d["id"] for d in devices], values={"employee_id": None}),
                seats=Rule(delete=self._seat_ids("employee_id = ?", e["id"]), insert=len(given), rows=given or None),
            ),
            check=Program.of(check_devices, devices=final),
        )

    @proposer(difficulty=4, attempts=4)
    def propose_licence_rollout(self, rng: random.Random) -> TaskDraft | None:
        lic = rng.choice(self.rows("SELECT * FROM licences WHERE expiry >= ? ORDER BY id", TODAY))
        dept = rng.choice(self.rows("SELECT id, name FROM departments ORDER BY id"))
        holders = set(self.column("SELECT employee_id FROM seats WHERE licence_id = ?", lic["id"]))
        need = [
            i
            for i in self.column(
                "SELECT id FROM employees WHERE department_id = ? AND status = 'active' ORDER BY id", dept["id"]
            )
            if i not in holders
        ]
        leavers = self._seat_ids(
            "licence_id = ? AND employee_id IN (SELECT id FROM employees WHERE status = 'leaving')", lic["id"]
        )
        buy = max(0, len(need) - self._free(lic) - len(leavers))
        cost = round(buy * lic["cost_per_seat"], 2)
        if not 2 <= len(need) <= 12 or len(need) + len(leavers) + bool(buy) < 4 or cost > self._room(dept["id"]):
            return None
        effects = {
            "seats": Rule(
                delete=leavers, insert=len(need), rows=[{"licence_id": lic["id"], "employee_id": i} for i in need]
            )
        }
        if buy:
            effects |= {
                "licences": updates("seats", keys=[lic["id"]], values={"seats": lic["seats"] + buy}),
                **self._spending(dept["id"], cost, None),
            }
        spec = {"dept": dept["name"], "product": lic["product"]}
        return TaskDraft(
            shape="licence_rollout",
            instruction=self.render("licence_rollout", rng, **spec),
            solution=Program.of(solve_licence_rollout, **spec),
            answer=Answer.none(),
            effects=Effects.on(**effects),
        )

    @proposer(difficulty=5, attempts=6)
    def propose_refresh_wave(self, rng: random.Random) -> TaskDraft | None:
        dept = rng.choice(self.rows("SELECT id, name FROM departments ORDER BY id"))
        kind, ram = rng.choice(
            [
                ("laptop", 16),
                ("laptop", 32),
                ("laptop", 8),
                ("phone", 8),
                ("desktop", 16),
                ("desktop", 32),
                ("phone", 6),
            ]
        )
        due = self.rows(
            "SELECT d.id, d.purchase_date, e.id AS holder FROM devices d JOIN models m ON m.id = "
            "d.model_id JOIN employees e ON e.id = d.employee_id WHERE e.department_id = ? AND m.kind = ? "
            "AND d.status = 'in_use' AND e.status = 'active' AND d.purchase_date < ? "
            "ORDER BY d.purchase_date",
            dept["id"],
            kind,
            self._cutoff(),
        )
        if self.value(
            "SELECT 1 FROM devices d JOIN models m ON m.id = d.model_id JOIN employees e ON e.id = "
            "d.employee_id WHERE e.department_id = ? AND m.kind = ? AND d.status = 'in_repair' AND "
            "d.purchase_date < ?",
            dept["id"],
            kind,
            self._cutoff(),
        ):
            return None  # a due unit in repair would make "held and due" ambiguous
        stock, model = [s["id"] for s in self._stock(kind, ram)], self._cheapest(kind, ram)
        room = self._room(dept["id"])
        affordable = int((room + 1e-9) // model["price"]) if room > 0 else 0
        count = min(len(due), len(stock) + affordable)
        if not 2 <= count <= 6 or (count < len(due) and due[count - 1]["purchase_date"] == due[count]["purchase_date"]):
            return None
        buy = max(0, count - len(stock))
        replaced = due[:count]
        effects = Effects.on(
            devices=Rule(
                insert=buy,
                rows=[{"model_id": model["id"], "status": "in_use"}] * buy or None,
                update=DEVICE_MOVES,
                keys=[d["id"] for d in replaced] + stock,
            ),
            **self._spending(
                dept["id"], round(buy * model["price"], 2), self._device_purchases(dept["id"], model, buy)
            ),
        )
        spec = {"dept": dept["name"], "kind": kind, "ram": ram}
        return TaskDraft(
            shape="refresh_wave",
            instruction=self.render("refresh_wave", rng, **spec),
            solution=Program.of(solve_refresh_wave, **spec, **self._rules()),
            answer=Answer.none(),
            effects=effects,
            check=Program.of(
                check_devices,
                devices=[[d["id"], "retired", None] for d in replaced],
                gains=[
                    {"employee": d["holder"], "kind": kind, "stock": stock, "models": [model["id"]]} for d in replaced
                ],
            ),
        )

    @proposer(difficulty=5, attempts=4)
    def propose_team_onboard(self, rng: random.Random) -> TaskDraft | None:
        dept = rng.choice(self.rows("SELECT id, name FROM departments ORDER BY id"))
        hires = self.column(
            "SELECT id FROM employees e WHERE department_id = ? AND status = 'active' AND NOT EXISTS "
            "(SELECT 1 FROM devices v WHERE v.employee_id = e.id) ORDER BY id",
            dept["id"],
        )
        lic = rng.choice(self.rows("SELECT * FROM licences WHERE expiry >= ? ORDER BY id", TODAY))
        kind = rng.choice(["laptop", "laptop", "phone", "desktop", "monitor"])
        holders = set(self.column("SELECT employee_id FROM seats WHERE licence_id = ?", lic["id"]))
        need_seat = [h for h in hires if h not in holders]
        if not 2 <= len(hires) <= 4 or not need_seat:
            return None
        stock, model = [s["id"] for s in self._stock(kind)], self._cheapest(kind)
        buy = max(0, len(hires) - len(stock))
        seats = max(0, len(need_seat) - self._free(lic))
        cost = round(buy * model["price"] + seats * lic["cost_per_seat"], 2)
        if cost > self._room(dept["id"]):
            return None
        effects = {
            "devices": Rule(
                insert=buy,
                rows=[{"model_id": model["id"], "status": "in_use"}] * buy or None,
                update=DEVICE_MOVES,
                keys=stock,
            ),
            "seats": inserts(rows=[{"licence_id": lic["id"], "employee_id": h} for h in need_seat]),
            **self._spending(dept["id"], cost, None if seats else self._device_purchases(dept["id"], model, buy)),
        }
        if seats:
            effects["licences"] = updates("seats", keys=[lic["id"]], values={"seats": lic["seats"] + seats})
        spec = {"dept": dept["name"], "kind": kind, "product": lic["product"]}
        return TaskDraft(
            shape="team_onboard",
            instruction=self.render("team_onboard", rng, **spec),
            solution=Program.of(solve_team_onboard, **spec, **self._rules()),
            answer=Answer.none(),
            effects=Effects.on(**effects),
            check=Program.of(
                check_devices,
                gains=[{"employee": h, "kind": kind, "stock": stock, "models": [model["id"]]} for h in hires],
            ),
        )
