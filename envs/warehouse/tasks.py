"""Task proposers, from single lookups (level 1) to multi-step plans (level 5)."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import Answer, Effects, Program, Rule, TaskDraft, inserts, proposer, updates

from .checks import check_stock
from .solutions import (
    solve_bin_sku,
    solve_cycle_count,
    solve_expiring_bins,
    solve_fulfil,
    solve_lot_expiry,
    solve_nearest_bin,
    solve_open_units,
    solve_pick_line,
    solve_pickable_units,
    solve_refill_aisle,
    solve_refill_bin,
)
from .world import fefo_consumption, walk


class WarehouseTasks:
    # ---- proposer helpers ---------------------------------------------------------------------------

    def _stocked_bins(self) -> list[dict]:
        return self.rows(
            "SELECT b.code, b.aisle, b.bay, b.level, st.* FROM stock st JOIN bins b ON b.id = st.bin_id "
            "WHERE st.qty > 0 ORDER BY b.id"
        )

    def _refill(self, bin_row: dict) -> dict | None:
        """The replenishments that may refill an empty pick face: {lot: units} over the first-expiring lots, or None."""
        lots = self._lots(bin_row["sku_id"], pick_face=False)
        if not lots:
            return None
        first = min(r["expiry"] or "9999-12-31" for r in lots)
        return {
            r["lot"]: min(self._limit(bin_row["capacity"]), r["qty"])
            for r in lots
            if (r["expiry"] or "9999-12-31") == first
        }

    def _empty_faces(self, aisle: int | None = None) -> list[dict]:
        return self.rows(
            "SELECT b.* FROM bins b LEFT JOIN stock st ON st.bin_id = b.id WHERE b.level < 3 AND "
            "b.sku_id IS NOT NULL AND COALESCE(st.qty, 0) = 0 AND (? IS NULL OR b.aisle = ?) ORDER BY b.id",
            aisle,
            aisle,
        )

    def _coverable(self, lines: list[dict], replenish: bool) -> dict | None:
        """How order lines are covered: FEFO consumption per SKU from the pick faces, plus, when `replenish`, one
        refill of the single empty pick face of each SKU the faces cannot cover ({face code: {lot: units}})."""
        consumption, refills = {}, {}
        for line in lines:
            need = line["qty"] - line["picked"]
            faces = self._lots(line["sku_id"], pick_face=True)
            taken = fefo_consumption(faces, need)
            if taken is None and replenish:
                empties = [b for b in self._empty_faces() if b["sku_id"] == line["sku_id"]]
                refill = self._refill(empties[0]) if len(empties) == 1 else None  # two empty faces: which one?
                if refill is None or len(refill) > 1:  # two reserve lots expiring first: which one?
                    return None
                expiry = self.value("SELECT expiry FROM stock WHERE lot = ?", min(refill))
                taken = fefo_consumption(faces + [{"expiry": expiry, "qty": min(refill.values())}], need)
                refills[empties[0]["code"]] = refill
            if taken is None or not _one_way(faces, taken):
                return None
            consumption[str(line["sku_id"])] = taken
        return {"consumption": consumption, "refills": refills}

    def _stock_task(self, lines: list[dict], shipped: list[int], plan: dict) -> dict:
        """The effects and check of picking `lines` in full (and shipping `shipped`) by `plan`, or of refills alone."""
        stock = [r["id"] for sku in plan.get("consumption", {}) for r in self._lots(int(sku), pick_face=True)]
        for face, options in plan["refills"].items():
            if options:
                stock += self.column("SELECT s.id FROM stock s JOIN bins b ON b.id = s.bin_id WHERE b.code = ?", face)
                stock += [self.value("SELECT id FROM stock WHERE lot = ?", lot) for lot in sorted(options)]
        rules = {"stock": Rule(update=["expiry", "lot", "qty", "sku_id"], keys=sorted(set(stock)))}
        if lines:
            rules.update(order_lines=updates("picked", keys=[line["id"] for line in lines]), picks=inserts())
        if shipped:
            rules["orders"] = updates("status", keys=shipped, values={"status": "shipped"})
        return {
            "effects": Effects.on(**rules),
            "check": Program.of(
                check_stock,
                lines={str(line["id"]): line["qty"] for line in lines},
                consumption=plan.get("consumption", {}),
                refills=plan["refills"],
                cutoff=self._cutoff(),
            ),
        }

    def _open_lines(self, order_id: int) -> list[dict]:
        return self.rows("SELECT * FROM order_lines WHERE order_id = ? ORDER BY id", order_id)

    # ---- level 1-2: questions -----------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_bin_sku(self, rng: random.Random) -> TaskDraft | None:
        b = rng.choice(self._stocked_bins())
        return TaskDraft(
            shape="bin_sku",
            instruction=self.render("bin_sku", rng, bin=b["code"]),
            solution=Program.of(solve_bin_sku, bin=b["code"]),
            answer=Answer.entity(
                self.value("SELECT code FROM skus WHERE id = ?", b["sku_id"]),
                candidates=self.column("SELECT code FROM skus ORDER BY id"),
            ),
            tools=("get_bin", "list_bins", "get_sku"),
        )

    @proposer(difficulty=1)
    def propose_lot_expiry(self, rng: random.Random) -> TaskDraft | None:
        b = rng.choice([r for r in self._stocked_bins() if r["expiry"]])
        return TaskDraft(
            shape="lot_expiry",
            instruction=self.render("lot_expiry", rng, bin=b["code"]),
            solution=Program.of(solve_lot_expiry, bin=b["code"]),
            answer=Answer.date(b["expiry"]),
            tools=("get_bin", "list_bins", "get_sku"),
        )

    @proposer(difficulty=2)
    def propose_pickable_units(self, rng: random.Random) -> TaskDraft | None:
        sku = rng.choice(self.rows("SELECT * FROM skus ORDER BY id"))
        total = sum(r["qty"] for r in self._lots(sku["id"], pick_face=True))
        return TaskDraft(
            shape="pickable_units",
            instruction=self.render("pickable_units", rng, sku=sku["code"], name=sku["name"]),
            solution=Program.of(solve_pickable_units, sku=sku["code"], **self._rules()),
            answer=Answer.integer(total),
            tools=("get_sku", "get_today", "get_bin"),
        )

    @proposer(difficulty=2, attempts=3)
    def propose_expiring_bins(self, rng: random.Random) -> TaskDraft | None:
        aisle = rng.choice(self.column("SELECT DISTINCT aisle FROM bins ORDER BY aisle"))
        today = dt.date.fromisoformat(self._today())
        date = (today + dt.timedelta(days=rng.randint(5, 60))).isoformat()
        rows = self.rows(
            "SELECT b.code, st.expiry FROM bins b LEFT JOIN stock st ON st.bin_id = b.id AND st.qty > 0 "
            "WHERE b.aisle = ? ORDER BY b.id",
            aisle,
        )
        hits = [r["code"] for r in rows if r["expiry"] and r["expiry"] <= date]
        if not hits:
            return None
        return TaskDraft(
            shape="expiring_bins",
            instruction=self.render("expiring_bins", rng, aisle=aisle, date=date),
            solution=Program.of(solve_expiring_bins, aisle=aisle, date=date),
            answer=Answer.entities(hits, candidates=self.column("SELECT code FROM bins ORDER BY id")),
            tools=("list_bins", "get_bin"),
        )

    @proposer(difficulty=2, attempts=3)
    def propose_nearest_bin(self, rng: random.Random) -> TaskDraft | None:
        sku = rng.choice(self.rows("SELECT * FROM skus ORDER BY id"))
        bins = self.rows(
            "SELECT b.code, b.aisle, b.bay FROM stock st JOIN bins b ON b.id = st.bin_id WHERE "
            "st.sku_id = ? AND st.qty > 0 ORDER BY b.id",
            sku["id"],
        )
        dist = sorted((walk(None, (b["aisle"], b["bay"])), b["code"]) for b in bins)
        if len(dist) < 2 or dist[0][0] == dist[1][0]:
            return None
        return TaskDraft(
            shape="nearest_bin",
            instruction=self.render("nearest_bin", rng, sku=sku["code"], name=sku["name"]),
            solution=Program.of(solve_nearest_bin, sku=sku["code"], use_tool=self.has_tool("walking_distance")),
            answer=Answer.entity(dist[0][1], candidates=self.column("SELECT code FROM bins ORDER BY id")),
            tools=self.available_tools("get_sku", "walking_distance", "get_bin"),
        )

    @proposer(difficulty=2)
    def propose_open_units(self, rng: random.Random) -> TaskDraft | None:
        customer = rng.choice(
            self.column("SELECT DISTINCT customer FROM orders WHERE status = 'open' ORDER BY customer")
        )
        total = self.value(
            "SELECT SUM(l.qty - l.picked) FROM order_lines l JOIN orders o ON o.id = l.order_id "
            "WHERE o.status = 'open' AND o.customer = ?",
            customer,
        )
        return TaskDraft(
            shape="open_units",
            instruction=self.render("open_units", rng, customer=customer),
            solution=Program.of(solve_open_units, customer=customer),
            answer=Answer.integer(total),
            tools=("list_orders", "get_order"),
        )

    # ---- level 3-5: stock moves ---------------------------------------------------------------------

    @proposer(difficulty=3, attempts=6)
    def propose_pick_line(self, rng: random.Random) -> TaskDraft | None:
        lines = self.rows(
            "SELECT l.*, o.ref, s.code, s.name FROM order_lines l JOIN orders o ON o.id = l.order_id "
            "JOIN skus s ON s.id = l.sku_id WHERE o.status = 'open' ORDER BY l.id"
        )
        line = rng.choice(lines)
        plan = self._coverable([line], replenish=False)
        if plan is None:
            return None
        return TaskDraft(
            shape="pick_line",
            instruction=self.render("pick_line", rng, order=line["ref"], sku=line["code"], name=line["name"]),
            solution=Program.of(solve_pick_line, order=line["ref"], sku=line["code"], **self._rules()),
            answer=Answer.none(),
            **self._stock_task([line], [], plan),
        )

    @proposer(difficulty=3)
    def propose_refill_bin(self, rng: random.Random) -> TaskDraft | None:
        options = [(b, r) for b in self._empty_faces() if (r := self._refill(b)) and len(r) == 1]
        if not options:
            return None
        b, refill = rng.choice(options)
        return TaskDraft(
            shape="refill_bin",
            instruction=self.render("refill_bin", rng, bin=b["code"]),
            solution=Program.of(solve_refill_bin, bin=b["code"], **self._rules()),
            answer=Answer.none(),
            **self._stock_task([], [], {"refills": {b["code"]: refill}}),
        )

    @proposer(difficulty=3, attempts=3)
    def propose_cycle_count(self, rng: random.Random) -> TaskDraft | None:
        b = rng.choice(self._stocked_bins())
        counted = max(0, b["qty"] + rng.choice([-7, -5, -3, -2, -1, 1, 2, 4]))
        if counted == b["qty"]:
            return None
        return TaskDraft(
            shape="cycle_count",
            instruction=self.render("cycle_count", rng, bin=b["code"], counted=counted),
            solution=Program.of(solve_cycle_count, bin=b["code"], counted=counted),
            answer=Answer.boolean(b["qty"] > counted),
            effects=Effects.on(
                stock=updates("qty", keys=[b["id"]], values={"qty": counted}),
                adjustments=inserts(
                    rows=[{"bin_id": b["bin_id"], "lot": b["lot"], "before_qty": b["qty"], "after_qty": counted}]
                ),
            ),
        )

    @proposer(difficulty=4, attempts=8)
    def propose_fulfil_order(self, rng: random.Random) -> TaskDraft | None:
        orders = self.rows(
            "SELECT o.* FROM orders o WHERE o.status = 'open' AND (SELECT COUNT(*) FROM order_lines "
            "WHERE order_id = o.id) >= 2 ORDER BY o.id"
        )
        o = rng.choice(orders)
        lines = self._open_lines(o["id"])
        plan = self._coverable(lines, replenish=False)
        if plan is None:
            return None
        return TaskDraft(
            shape="fulfil_order",
            instruction=self.render("fulfil_order", rng, order=o["ref"], customer=o["customer"]),
            solution=Program.of(solve_fulfil, orders=[o["ref"]], **self._rules()),
            answer=Answer.none(),
            **self._stock_task(lines, [o["id"]], plan),
        )

    @proposer(difficulty=4)
    def propose_refill_aisle(self, rng: random.Random) -> TaskDraft | None:
        options = []
        for aisle in sorted({b["aisle"] for b in self._empty_faces()}):
            refills = {b["code"]: self._refill(b) for b in self._empty_faces(aisle)}
            lots = [lot for r in refills.values() if r for lot in r]
            refilled = sum(1 for r in refills.values() if r)  # two refills at least: a plan of six calls or more
            if refilled >= 2 and len(set(lots)) == len(lots) == refilled:  # faces sharing a lot, or a face with
                # two reserve lots expiring first: no single answer
                options.append((aisle, refills))
        if not options:
            return None
        aisle, refills = rng.choice(options)
        return TaskDraft(
            shape="refill_aisle",
            instruction=self.render("refill_aisle", rng, aisle=aisle),
            solution=Program.of(solve_refill_aisle, aisle=aisle, **self._rules()),
            answer=Answer.none(),
            **self._stock_task([], [], {"refills": refills}),
        )

    def _replen_task(self, rng: random.Random, shape: str, orders: list[dict], **words) -> TaskDraft | None:
        lines = [line for o in orders for line in self._open_lines(o["id"])]
        by_sku: dict[int, dict] = {}
        for line in lines:  # one SKU may appear on several orders: plan its total
            agg = by_sku.setdefault(line["sku_id"], {**line, "qty": 0, "picked": 0})
            agg["qty"] += line["qty"] - line["picked"]
        plan = self._coverable(list(by_sku.values()), replenish=True)
        if plan is None or (shape == "fulfil_with_replen" and not plan["refills"]):
            return None
        calls = 1 + 2 * len(orders) + len(by_sku) + 2 * len(plan["refills"]) + 3 * len(lines)
        if calls > 34:  # keep the plan within an episode's turns
            return None
        return TaskDraft(
            shape=shape,
            instruction=self.render(shape, rng, **words),
            solution=Program.of(solve_fulfil, orders=[o["ref"] for o in orders], **self._rules()),
            answer=Answer.none(),
            **self._stock_task(lines, [o["id"] for o in orders], plan),
        )

    @proposer(difficulty=5)
    def propose_fulfil_with_replen(self, rng: random.Random) -> TaskDraft | None:
        short = self.rows(
            "SELECT DISTINCT o.* FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE "
            "o.status = 'open' AND l.sku_id IN (SELECT sku_id FROM bins WHERE level < 3 AND sku_id IS NOT "
            "NULL AND id NOT IN (SELECT bin_id FROM stock WHERE qty > 0)) ORDER BY o.id"
        )
        rng.shuffle(short)
        for o in short:
            if len(self._open_lines(o["id"])) >= 2 and (
                task := self._replen_task(rng, "fulfil_with_replen", [o], order=o["ref"], customer=o["customer"])
            ):
                return task
        return None

    @proposer(difficulty=5)
    def propose_ship_due(self, rng: random.Random) -> TaskDraft | None:
        combos = self.rows(
            "SELECT DISTINCT customer, ship_by FROM orders WHERE status = 'open' ORDER BY customer, ship_by"
        )
        rng.shuffle(combos)
        for c in combos:
            orders = self.rows(
                "SELECT * FROM orders WHERE status = 'open' AND customer = ? AND ship_by <= ? ORDER BY id",
                c["customer"],
                c["ship_by"],
            )
            if (
                2 <= len(orders) <= 4
                and (task := self._replen_task(rng, "ship_due", orders, customer=c["customer"], date=c["ship_by"]))
                is not None
            ):
                return task
        return None


def _one_way(faces: list[dict], taken: dict[str, int]) -> bool:
    """Whether FEFO leaves one final stock: no expiry date is taken in part from two or more pick faces."""
    for expiry, units in taken.items():
        group = [f["qty"] for f in faces if (f["expiry"] or "none") == expiry]
        if len(group) > 1 and units < sum(group):
            return False
    return True
