"""The warehouse tools: lookups, and writes that enforce the rules."""

from __future__ import annotations

import datetime as dt

from synth.env import tool

from .world import walk


class WarehouseTools:
    # ---- helpers shared by tools and proposers ----------------------------------------------------

    def _today(self) -> str:
        return self.value("SELECT today FROM office")

    def _rules(self) -> dict:
        return {
            "shelf_days": 30 if "shelf_life" in self.variant.rules else 0,
            "fill": 0.8 if "fill_limit" in self.variant.rules else 1.0,
        }

    def _cutoff(self) -> str:
        """Earliest expiry date a lot may have to be picked or replenished."""
        today = dt.date.fromisoformat(self._today())
        return (today + dt.timedelta(days=self._rules()["shelf_days"])).isoformat()

    def _limit(self, capacity: int) -> int:
        return int(capacity * self._rules()["fill"] + 1e-9)

    def _lots(self, sku_id: int, pick_face: bool) -> list[dict]:
        """Eligible lots (qty > 0, not too close to expiry) of a SKU on pick faces or in reserve."""
        return self.rows(
            f"SELECT s.*, b.code, b.capacity FROM stock s JOIN bins b ON b.id = s.bin_id WHERE "
            f"s.sku_id = ? AND s.qty > 0 AND b.level {'<' if pick_face else '='} 3 AND (s.expiry IS NULL "
            f"OR s.expiry >= ?) ORDER BY b.id",
            sku_id,
            self._cutoff(),
        )

    def _bin(self, code: str) -> dict:
        return self.one(
            "SELECT * FROM bins WHERE upper(code) = upper(?)",
            code.strip(),
            missing=f"no bin {code!r}; bin codes look like A03-05-2 (aisle-bay-level)",
        )

    def _sku(self, sku: str) -> dict:
        return self.one(
            "SELECT * FROM skus WHERE upper(code) = upper(?) OR lower(name) = lower(?)",
            sku.strip(),
            sku.strip(),
            missing=f"no SKU {sku!r}; use a code like SKU-12345 (list_skus or get_order show them)",
        )

    def _order(self, ref: str) -> dict:
        return self.one(
            "SELECT * FROM orders WHERE upper(ref) = upper(?)",
            ref.strip(),
            missing=f"no order {ref!r}; order refs look like SO-41234",
        )

    def _content(self, bin_id: int) -> dict | None:
        rows = self.rows("SELECT * FROM stock WHERE bin_id = ?", bin_id)
        return rows[0] if rows else None

    # ---- tools --------------------------------------------------------------------------------------

    @tool("read")
    def get_today(self) -> dict:
        """Today's date at the warehouse (YYYY-MM-DD)."""
        return {"today": self._today()}

    @tool("read")
    def list_skus(self, category: str | None = None) -> list[dict]:
        """The SKU catalogue: code, name, category and whether the product is perishable.

        Args:
            category: Only this category (beverages, snacks, dairy, household, stationery, pet care).
        """
        return [
            {**r, "perishable": bool(r["perishable"])}
            for r in self.rows(
                "SELECT code, name, category, perishable FROM skus WHERE (? IS NULL OR lower(category) = lower(?)) "
                "ORDER BY code",
                category,
                category,
            )
        ]

    @tool("read")
    def get_sku(self, sku: str) -> dict:
        """One SKU with every bin that holds or is slotted for it: level, lot, expiry, quantity and capacity.

        Args:
            sku: SKU code such as SKU-12345.
        """
        s = self._sku(sku)
        bins = self.rows(
            "SELECT b.code AS bin, b.aisle, b.bay, b.level, CASE WHEN b.level < 3 THEN 'pick' ELSE 'reserve' END "
            "AS kind, b.capacity, st.lot, st.expiry, COALESCE(st.qty, 0) AS qty FROM bins b LEFT JOIN stock st ON "
            "st.bin_id = b.id WHERE (st.sku_id = ? OR b.sku_id = ?) ORDER BY b.id",
            s["id"],
            s["id"],
        )
        return {
            "code": s["code"],
            "name": s["name"],
            "category": s["category"],
            "perishable": bool(s["perishable"]),
            "bins": bins,
        }

    @tool("read")
    def get_bin(self, code: str) -> dict:
        """One bin: location (aisle, bay, level), kind (pick face or reserve), capacity, slotted SKU and contents.

        Args:
            code: Bin code such as A03-05-2.
        """
        b = self._bin(code)
        content = self._content(b["id"])
        sku = lambda i: self.value("SELECT code FROM skus WHERE id = ?", i)  # noqa: E731
        return {
            "code": b["code"],
            "aisle": b["aisle"],
            "bay": b["bay"],
            "level": b["level"],
            "kind": "pick" if b["level"] < 3 else "reserve",
            "capacity": b["capacity"],
            "slotted_sku": sku(b["sku_id"]),
            "sku": sku(content["sku_id"]) if content else None,
            "lot": content["lot"] if content else None,
            "expiry": content["expiry"] if content else None,
            "qty": content["qty"] if content else 0,
        }

    @tool("read")
    def list_bins(self, aisle: int, kind: str | None = None, empty_only: bool = False) -> list[dict]:
        """The bins of one aisle with their contents, optionally only pick faces or reserve, or only empty ones.

        Args:
            aisle: Aisle number.
            kind: 'pick' or 'reserve'.
            empty_only: Only bins holding no units.
        """
        if kind not in (None, "pick", "reserve"):
            raise ValueError("kind must be 'pick' or 'reserve'")
        rows = self.rows(
            "SELECT b.code, b.bay, b.level, CASE WHEN b.level < 3 THEN 'pick' ELSE 'reserve' END AS kind, b.capacity, "
            "sl.code AS slotted_sku, sk.code AS sku, st.lot, st.expiry, COALESCE(st.qty, 0) AS qty FROM bins b "
            "LEFT JOIN stock st ON st.bin_id = b.id LEFT JOIN skus sk ON sk.id = st.sku_id LEFT JOIN skus sl ON "
            "sl.id = b.sku_id WHERE b.aisle = ? ORDER BY b.id",
            aisle,
        )
        if not rows:
            raise ValueError(f"no aisle {aisle}; aisles are numbered from 1")
        return [r for r in rows if (kind is None or r["kind"] == kind) and (not empty_only or r["qty"] == 0)]

    @tool("read")
    def walking_distance(self, from_bin: str, to_bin: str) -> dict:
        """Walking distance in metres between two bins, or between the dock and a bin (use 'DOCK').

        Args:
            from_bin: Bin code or DOCK.
            to_bin: Bin code or DOCK.
        """
        spots = []
        for code in (from_bin, to_bin):
            if code.strip().upper() == "DOCK":
                spots.append(None)
            else:
                b = self._bin(code)
                spots.append((b["aisle"], b["bay"]))
        return {"from": from_bin, "to": to_bin, "metres": walk(*spots)}

    @tool("read")
    def list_orders(self, status: str | None = None, customer: str | None = None) -> list[dict]:
        """Orders filtered by status (open, shipped, cancelled) and customer, with ship-by dates.

        Args:
            status: open, shipped or cancelled.
            customer: Customer name.
        """
        return self.rows(
            "SELECT ref, customer, ship_by, status FROM orders WHERE (? IS NULL OR status = lower(?)) "
            "AND (? IS NULL OR lower(customer) = lower(?)) ORDER BY id",
            status,
            status,
            customer,
            customer,
        )

    @tool("read")
    def get_order(self, ref: str) -> dict:
        """One order with its lines: SKU, ordered and picked quantities.

        Args:
            ref: Order reference such as SO-41234.
        """
        o = self._order(ref)
        lines = self.rows(
            "SELECT s.code AS sku, s.name, l.qty, l.picked FROM order_lines l JOIN skus s ON "
            "s.id = l.sku_id WHERE l.order_id = ? ORDER BY l.id",
            o["id"],
        )
        return {
            "ref": o["ref"],
            "customer": o["customer"],
            "ship_by": o["ship_by"],
            "status": o["status"],
            "lines": lines,
        }

    @tool("write")
    def pick_item(self, order: str, sku: str, bin: str, qty: int) -> dict:
        """Pick units of an order line's SKU from a pick face (FEFO and the other policy rules are enforced).

        Args:
            order: Order reference.
            sku: SKU code of the line.
            bin: Pick-face bin code to take the units from.
            qty: Number of units.
        """
        o, s, b = self._order(order), self._sku(sku), self._bin(bin)
        if o["status"] != "open":
            raise ValueError(f"order {o['ref']} is {o['status']}; only open orders are picked")
        line = self.one(
            "SELECT * FROM order_lines WHERE order_id = ? AND sku_id = ?",
            o["id"],
            s["id"],
            missing=f"order {o['ref']} has no line for {s['code']}",
        )
        if qty < 1 or qty > line["qty"] - line["picked"]:
            raise ValueError(f"qty must be 1..{line['qty'] - line['picked']} (units still to pick on this line)")
        if b["level"] == 3:
            raise ValueError("policy: orders are picked from pick faces only; replenish from reserve first")
        content = self._content(b["id"])
        if not content or content["sku_id"] != s["id"] or content["qty"] < qty:
            raise ValueError(f"bin {b['code']} does not hold {qty} units of {s['code']}")
        lots = self._lots(s["id"], pick_face=True)
        if content["id"] not in {r["id"] for r in lots}:
            raise ValueError(f"policy: lot {content['lot']} (expiry {content['expiry']}) may not be picked")
        first = min((r["expiry"] or "9999-12-31") for r in lots)
        if (content["expiry"] or "9999-12-31") > first:
            raise ValueError(f"policy (FEFO): a pick-face lot of {s['code']} expiring {first} must be picked first")
        self.db.execute("UPDATE stock SET qty = qty - ? WHERE id = ?", (qty, content["id"]))
        self.db.execute("UPDATE order_lines SET picked = picked + ? WHERE id = ?", (qty, line["id"]))
        self.db.execute(
            "INSERT INTO picks (line_id, bin_id, lot, qty) VALUES (?, ?, ?, ?)",
            (line["id"], b["id"], content["lot"], qty),
        )
        return {
            "order": o["ref"],
            "sku": s["code"],
            "bin": b["code"],
            "lot": content["lot"],
            "picked": qty,
            "line_picked": line["picked"] + qty,
            "line_qty": line["qty"],
        }

    @tool("write")
    def replenish(self, sku: str, from_bin: str, to_bin: str, qty: int) -> dict:
        """Move units of a SKU from a reserve bin into a pick face slotted for it (policy rules are enforced).

        Args:
            sku: SKU code.
            from_bin: Reserve bin (level 3) holding the lot.
            to_bin: Pick-face bin slotted for the SKU.
            qty: Number of units to move.
        """
        s, src, dst = self._sku(sku), self._bin(from_bin), self._bin(to_bin)
        if src["level"] != 3 or dst["level"] == 3:
            raise ValueError("replenish moves stock from a reserve bin (level 3) to a pick face (level 1-2)")
        if dst["sku_id"] != s["id"]:
            raise ValueError(f"policy: pick face {dst['code']} is not slotted for {s['code']}")
        content = self._content(src["id"])
        if not content or content["sku_id"] != s["id"] or content["qty"] < qty or qty < 1:
            raise ValueError(f"reserve bin {src['code']} does not hold {qty} units of {s['code']}")
        lots = self._lots(s["id"], pick_face=False)
        if content["id"] not in {r["id"] for r in lots}:
            raise ValueError(f"policy: lot {content['lot']} (expiry {content['expiry']}) may not be replenished")
        first = min((r["expiry"] or "9999-12-31") for r in lots)
        if (content["expiry"] or "9999-12-31") > first:
            raise ValueError(f"policy: replenish from the reserve lot of {s['code']} expiring {first} first")
        target = self._content(dst["id"])
        if target and target["qty"] > 0 and target["lot"] != content["lot"]:
            raise ValueError(f"policy: {dst['code']} holds lot {target['lot']}; a pick face holds one lot at a time")
        now = target["qty"] if target else 0
        if now + qty > self._limit(dst["capacity"]):
            raise ValueError(
                f"policy: {dst['code']} may hold at most {self._limit(dst['capacity'])} units after "
                f"replenishment; it holds {now}"
            )
        self.db.execute("UPDATE stock SET qty = qty - ? WHERE id = ?", (qty, content["id"]))
        if target:
            self.db.execute(
                "UPDATE stock SET sku_id = ?, lot = ?, expiry = ?, qty = ? WHERE id = ?",
                (s["id"], content["lot"], content["expiry"], now + qty, target["id"]),
            )
        else:
            self.db.execute(
                "INSERT INTO stock (bin_id, sku_id, lot, expiry, qty) VALUES (?, ?, ?, ?, ?)",
                (dst["id"], s["id"], content["lot"], content["expiry"], qty),
            )
        return {
            "sku": s["code"],
            "from_bin": src["code"],
            "to_bin": dst["code"],
            "lot": content["lot"],
            "moved": qty,
            "to_bin_qty": now + qty,
        }

    @tool("write")
    def ship_order(self, ref: str) -> dict:
        """Mark an open order as shipped; every line must be fully picked.

        Args:
            ref: Order reference.
        """
        o = self._order(ref)
        if o["status"] != "open":
            raise ValueError(f"order {o['ref']} is {o['status']}, not open")
        short = self.rows(
            "SELECT s.code, l.qty - l.picked AS missing FROM order_lines l JOIN skus s ON "
            "s.id = l.sku_id WHERE l.order_id = ? AND l.picked < l.qty",
            o["id"],
        )
        if short:
            raise ValueError(f"policy: lines not fully picked: {short}")
        self.db.execute("UPDATE orders SET status = 'shipped' WHERE id = ?", (o["id"],))
        return {"ref": o["ref"], "status": "shipped"}

    @tool("write")
    def record_count(self, bin: str, counted_qty: int) -> dict:
        """Record a physical stock count for a bin: sets its quantity and logs the adjustment.

        Args:
            bin: Bin code.
            counted_qty: Units found in the bin.
        """
        b = self._bin(bin)
        content = self._content(b["id"])
        if content is None:
            raise ValueError(f"bin {b['code']} has no stock record; nothing to correct")
        if counted_qty < 0 or counted_qty > b["capacity"]:
            raise ValueError(f"counted_qty must be between 0 and the bin capacity {b['capacity']}")
        self.db.execute("UPDATE stock SET qty = ? WHERE id = ?", (counted_qty, content["id"]))
        self.db.execute(
            "INSERT INTO adjustments (bin_id, lot, before_qty, after_qty) VALUES (?, ?, ?, ?)",
            (b["id"], content["lot"], content["qty"], counted_qty),
        )
        return {
            "bin": b["code"],
            "lot": content["lot"],
            "before": content["qty"],
            "after": counted_qty,
            "difference": counted_qty - content["qty"],
        }
