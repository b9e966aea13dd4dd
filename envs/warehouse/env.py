"""Warehouse picking: bins on aisles, SKUs stocked by lot, customer orders picked FEFO, replenishment from reserve."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool
from verifiers.common import verify_names

BRANDS = ["Northfield", "Bluebay", "Oakridge", "Sunvale", "Kestrel", "Marlin", "Pinecrest", "Riverton", "Harbourline",
          "Greystone", "Lumen", "Fernhill"]
PRODUCTS = {
    "beverages": (True, ["Apple Juice 1L", "Sparkling Water 6x500ml", "Cold Brew Coffee 250ml", "Oat Drink 1L",
                         "Lemon Iced Tea 1.5L", "Ginger Beer 4x330ml", "Orange Juice 2L", "Coconut Water 500ml"]),
    "snacks": (True, ["Sea Salt Crisps 150g", "Oat Biscuits 300g", "Trail Mix 200g", "Dark Chocolate 100g",
                      "Rice Cakes 120g", "Salted Peanuts 250g", "Granola Bars 6pk", "Pretzel Twists 180g"]),
    "dairy": (True, ["Greek Yoghurt 500g", "Cheddar Block 400g", "Butter 250g", "Whole Milk 2L", "Cream Cheese 200g",
                     "Kefir 1L"]),
    "household": (False, ["Dish Soap 750ml", "Laundry Pods 30pk", "Paper Towels 4pk", "Bin Bags 50pk",
                          "Glass Cleaner 500ml", "Sponges 10pk", "Bleach 1L", "Candles 12pk"]),
    "stationery": (False, ["A4 Paper 500 sheets", "Ballpoint Pens 10pk", "Sticky Notes 12pk", "Stapler",
                           "Box Files 5pk", "Highlighters 4pk", "Envelopes C5 100pk"]),
    "pet care": (True, ["Dry Dog Food 2kg", "Cat Treats 80g", "Wet Cat Food 12x85g", "Dog Chews 10pk",
                        "Bird Seed 1kg"]),
}
CUSTOMERS = ["Cornerstone Grocers", "Maple Lane Market", "Harbour Deli", "Brightside Pharmacy", "Copper Kettle Cafe",
             "Willow Street Stores", "Parkview Minimart", "Old Mill Farm Shop", "Seabreeze Kiosk", "Hilltop Co-op",
             "Bramblewood Office Supply", "Lantern Pet Shop", "Riverside Foods", "Quayside Provisions"]
AISLE_M, BAY_M = 4, 3  # walking metres between neighbouring aisles, and per bay along an aisle


def walk(a: tuple[int, int] | None, b: tuple[int, int] | None) -> int:
    """Metres between two (aisle, bay) spots; None is the dock at the front of aisle 1. Aisles are left by the front."""
    a, b = a or (1, 0), b or (1, 0)
    if a[0] == b[0]:
        return BAY_M * abs(a[1] - b[1])
    return AISLE_M * abs(a[0] - b[0]) + BAY_M * (a[1] + b[1])


def fefo_consumption(lots: list[dict], qty: int) -> dict[str, int] | None:
    """Units taken per expiry date when `qty` units are taken earliest expiry first; None if the lots run short."""
    taken: dict[str, int] = {}
    for lot in sorted(lots, key=lambda r: (r["expiry"] or "9999-12-31")):
        if qty <= 0:
            break
        n = min(qty, lot["qty"])
        key = lot["expiry"] or "none"
        taken[key] = taken.get(key, 0) + n
        qty -= n
    return taken if qty <= 0 else None


class WarehouseEnv(EnvTemplate):
    name = "warehouse"
    version = "1.1.0"
    category = "warehouse picking"
    description = ("A distribution centre's warehouse management system: storage bins on aisles and bays, SKUs "
                   "stocked by lot with expiry dates, customer orders to pick and ship, and replenishment of pick "
                   "faces from reserve storage.")
    policy = (
        "Bins on levels 1 and 2 are pick faces; level 3 bins are reserve storage. Orders are picked only from pick "
        "faces. Each pick face is slotted for one SKU and holds a single lot at a time. "
        "Pick first-expiry-first-out (FEFO): take a SKU's units from the eligible pick-face lot with the earliest "
        "expiry date before touching a later one. A lot whose expiry date is before today is never picked or "
        "replenished. Replenish a pick face only with its slotted SKU, from the reserve lot of that SKU with the "
        "earliest eligible expiry, and only into a pick face that is empty or already holds that same lot; never fill "
        "a bin above its capacity. Walking distance: the dock is at the front of aisle 1; walking along an aisle "
        "costs 3 m per bay, and a bin in another aisle is reached via the front cross-aisle (4 m per aisle apart, plus 3 m per bay out of and into the "
        "aisles). An order is shipped only when every line is fully picked. Change only what the "
        "request is about; stock counts are corrected only after a physical count."
    )
    variants = VariantSpace(
        optional_tools=("list_skus", "walking_distance"),
        renames={"get_sku": ("locate_sku", "sku_locations"), "pick_item": ("pick_line",),
                 "replenish": ("move_to_pick_face",), "get_bin": ("inspect_bin",)},
        rules={
            "shelf_life": "Never pick or replenish a lot that expires less than 30 days from today.",
            "fill_limit": "A replenishment may fill a pick face to at most 80% of its capacity (rounded down).",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "bin_sku": [
            "Which SKU is stored in bin {{bin}}? Give the SKU code.",
            "Tell me the SKU code of the product sitting in bin {{bin}}.",
            "What product (SKU code) does bin {{bin}} hold?",
        ],
        "lot_expiry": [
            "When does the lot in bin {{bin}} expire? Answer with the date (YYYY-MM-DD).",
            "What is the expiry date of the stock in bin {{bin}}?",
        ],
        "pickable_units": [
            "How many units of {{sku}} ({{name}}) can be picked right now from pick faces, counting only lots the "
            "policy allows us to pick?",
            "Count the units of SKU {{sku}} on pick faces that are eligible for picking under the policy.",
        ],
        "expiring_bins": [
            "Which bins in aisle {{aisle}} hold stock expiring on or before {{date}}? List the bin codes.",
            "List every bin of aisle {{aisle}} whose lot has an expiry date no later than {{date}}.",
        ],
        "nearest_bin": [
            "Of all bins currently holding {{sku}} ({{name}}), which one is the shortest walk from the dock?",
            "Which bin with stock of SKU {{sku}} is closest to the dock by walking distance?",
        ],
        "open_units": [
            "How many units are still waiting to be picked across all open orders of {{customer}}?",
            "Add up the unpicked units over {{customer}}'s open orders. What is the total?",
        ],
        "pick_line": [
            "Pick the {{sku}} line of order {{order}} in full, following the picking policy.",
            "Order {{order}} needs its {{name}} ({{sku}}) line picked completely. Do it by the rules.",
        ],
        "refill_bin": [
            "Pick face {{bin}} is empty. Refill it from reserve with its slotted SKU, as full as the policy allows, "
            "using a single lot.",
            "Replenish the empty pick face {{bin}}: one move from reserve, filling it as much as the rules permit.",
        ],
        "cycle_count": [
            "A physical count of bin {{bin}} found {{counted}} units. Record the count and tell me by how many units "
            "the system figure was off.",
            "We counted {{counted}} units in bin {{bin}}. Correct the stock record and report the size of the "
            "discrepancy in units.",
        ],
        "fulfil_order": [
            "Pick every line of order {{order}} following the picking policy, then ship the order.",
            "Please fulfil order {{order}} for {{customer}}: pick all its lines by the rules and mark it shipped.",
        ],
        "refill_aisle": [
            "Refill every empty pick face in aisle {{aisle}} from reserve, each with one move filling it as far as "
            "the policy allows. Leave pick faces whose SKU has no eligible reserve stock empty.",
            "Go through aisle {{aisle}}: for each pick face that is empty, replenish it from reserve (single lot, as "
            "full as the rules allow). Skip any whose SKU has nothing eligible in reserve.",
        ],
        "fulfil_with_replen": [
            "Fulfil order {{order}}: some of its SKUs are short on the pick faces, so replenish from reserve where "
            "needed, pick every line by the policy, and ship it.",
            "Order {{order}} for {{customer}} must go out today. Top up pick faces from reserve where the order "
            "cannot be covered, pick all lines following FEFO and the other rules, then ship the order.",
        ],
        "ship_due": [
            "Ship every open order of {{customer}} due by {{date}}: pick all their lines by the policy (replenishing "
            "pick faces from reserve where stock is short) and mark each shipped.",
            "{{customer}} needs all their open orders with a ship-by date on or before {{date}} dispatched. Pick them "
            "completely under the rules, replenishing where needed, and ship them.",
        ],
    }

    # ---- database ---------------------------------------------------------------------------------

    def build(self, rng: random.Random) -> None:
        db = self.db
        db.executescript("""
            CREATE TABLE office (today TEXT);
            CREATE TABLE bins (id INTEGER PRIMARY KEY, code TEXT UNIQUE, aisle INTEGER, bay INTEGER, level INTEGER,
                capacity INTEGER, sku_id INTEGER);
            CREATE TABLE skus (id INTEGER PRIMARY KEY, code TEXT UNIQUE, name TEXT, category TEXT, perishable INTEGER);
            CREATE TABLE stock (id INTEGER PRIMARY KEY, bin_id INTEGER UNIQUE, sku_id INTEGER, lot TEXT, expiry TEXT,
                qty INTEGER);
            CREATE TABLE orders (id INTEGER PRIMARY KEY, ref TEXT UNIQUE, customer TEXT, ship_by TEXT, status TEXT);
            CREATE TABLE order_lines (id INTEGER PRIMARY KEY, order_id INTEGER, sku_id INTEGER, qty INTEGER,
                picked INTEGER);
            CREATE TABLE picks (id INTEGER PRIMARY KEY, line_id INTEGER, bin_id INTEGER, lot TEXT, qty INTEGER);
            CREATE TABLE adjustments (id INTEGER PRIMARY KEY, bin_id INTEGER, lot TEXT, before_qty INTEGER,
                after_qty INTEGER);
        """)
        aisles, n_skus, n_orders = {"small": (6, 40, 45), "medium": (8, 58, 65),
                                    "large": (11, 80, 95)}[self.variant.scale]
        today = dt.date(2026, rng.randint(2, 10), rng.randint(1, 25))
        db.execute("INSERT INTO office VALUES (?)", (today.isoformat(),))
        catalogue = [(c, p, perish) for c, (perish, products) in PRODUCTS.items() for p in products]
        names = rng.sample([(c, f"{b} {p}", perish) for c, p, perish in catalogue for b in BRANDS], n_skus)
        codes = rng.sample(range(10000, 99999), n_skus)
        db.executemany("INSERT INTO skus VALUES (?, ?, ?, ?, ?)",
                       [(i, f"SKU-{codes[i - 1]}", n, c, int(p)) for i, (c, n, p) in enumerate(names, 1)])
        bins = [(a, b, lv) for a in range(1, aisles + 1) for b in range(1, 9) for lv in (1, 2, 3)]
        db.executemany("INSERT INTO bins (code, aisle, bay, level, capacity) VALUES (?, ?, ?, ?, ?)",
                       [(f"A{a:02d}-{b:02d}-{lv}", a, b, lv, rng.choice([24, 30, 36, 40, 48, 60]) if lv < 3
                         else rng.choice([120, 150, 200])) for a, b, lv in bins])
        pick_ids = [r["id"] for r in self.rows("SELECT id FROM bins WHERE level < 3 ORDER BY id")]
        reserve_ids = [r["id"] for r in self.rows("SELECT id FROM bins WHERE level = 3 ORDER BY id")]
        rng.shuffle(pick_ids)
        rng.shuffle(reserve_ids)
        lot_no = rng.randint(20000, 40000)
        skus = self.rows("SELECT * FROM skus ORDER BY id")
        for sku in skus:
            faces = [pick_ids.pop() for _ in range(rng.choice([1, 1, 2, 2, 3])) if pick_ids]
            latest = today
            for b in faces:
                db.execute("UPDATE bins SET sku_id = ? WHERE id = ?", (sku["id"], b))
                cap = db.execute("SELECT capacity FROM bins WHERE id = ?", (b,)).fetchone()[0]
                lot_no += rng.randint(1, 40)
                expiry = today + dt.timedelta(days=rng.randint(-6, 80)) if sku["perishable"] else None
                latest = max(latest, expiry) if expiry else latest
                qty = 0 if rng.random() < 0.18 else rng.randint(2, cap)
                db.execute("INSERT INTO stock (bin_id, sku_id, lot, expiry, qty) VALUES (?, ?, ?, ?, ?)",
                           (b, sku["id"], f"L{lot_no}", expiry and expiry.isoformat(), qty))
            for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):  # reserve lots expire after every pick-face lot
                if not reserve_ids:
                    break
                lot_no += rng.randint(1, 40)
                expiry = latest + dt.timedelta(days=rng.randint(20, 220)) if sku["perishable"] else None
                db.execute("INSERT INTO stock (bin_id, sku_id, lot, expiry, qty) VALUES (?, ?, ?, ?, ?)",
                           (reserve_ids.pop(), sku["id"], f"L{lot_no}", expiry and expiry.isoformat(),
                            rng.randint(20, 120)))
        ref = rng.randint(30000, 60000)
        customers = rng.sample(CUSTOMERS, {"small": 7, "medium": 9, "large": 12}[self.variant.scale])
        for _ in range(n_orders):
            ref += rng.randint(1, 13)
            status = rng.choices(["open", "shipped", "cancelled"], [70, 22, 8])[0]
            ship_by = today + dt.timedelta(days=rng.randint(-3 if status != "open" else 0, 6))
            oid = db.execute("INSERT INTO orders (ref, customer, ship_by, status) VALUES (?, ?, ?, ?)",
                             (f"SO-{ref}", rng.choice(customers), ship_by.isoformat(), status)).lastrowid
            for sku in rng.sample(skus, rng.choice([1, 2, 2, 3, 3, 4])):
                qty = rng.randint(1, 14)
                db.execute("INSERT INTO order_lines (order_id, sku_id, qty, picked) VALUES (?, ?, ?, ?)",
                           (oid, sku["id"], qty, qty if status == "shipped" else 0))

    # ---- helpers ------------------------------------------------------------------------------------

    def _today(self) -> str:
        return self.db.execute("SELECT today FROM office").fetchone()[0]

    def _rules(self) -> dict:
        return {"shelf_days": 30 if "shelf_life" in self.variant.rules else 0,
                "fill": 0.8 if "fill_limit" in self.variant.rules else 1.0}

    def _cutoff(self) -> str:
        """Earliest expiry date a lot may have to be picked or replenished."""
        today = dt.date.fromisoformat(self._today())
        return (today + dt.timedelta(days=self._rules()["shelf_days"])).isoformat()

    def _limit(self, capacity: int) -> int:
        return int(capacity * self._rules()["fill"] + 1e-9)

    def _lots(self, sku_id: int, pick_face: bool) -> list[dict]:
        """Eligible lots (qty > 0, not too close to expiry) of a SKU on pick faces or in reserve."""
        return self.rows(f"SELECT s.*, b.code, b.capacity FROM stock s JOIN bins b ON b.id = s.bin_id WHERE "
                         f"s.sku_id = ? AND s.qty > 0 AND b.level {'<' if pick_face else '='} 3 AND (s.expiry IS NULL "
                         f"OR s.expiry >= ?) ORDER BY b.id", sku_id, self._cutoff())

    def _bin(self, code: str) -> dict:
        row = self.db.execute("SELECT * FROM bins WHERE upper(code) = upper(?)", (code.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"no bin {code!r}; bin codes look like A03-05-2 (aisle-bay-level)")
        return dict(row)

    def _sku(self, sku: str) -> dict:
        row = self.db.execute("SELECT * FROM skus WHERE upper(code) = upper(?) OR lower(name) = lower(?)",
                              (sku.strip(), sku.strip())).fetchone()
        if row is None:
            raise ValueError(f"no SKU {sku!r}; use a code like SKU-12345 (list_skus or get_order show them)")
        return dict(row)

    def _order(self, ref: str) -> dict:
        row = self.db.execute("SELECT * FROM orders WHERE upper(ref) = upper(?)", (ref.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"no order {ref!r}; order refs look like SO-41234")
        return dict(row)

    def _content(self, bin_id: int) -> dict | None:
        row = self.db.execute("SELECT * FROM stock WHERE bin_id = ?", (bin_id,)).fetchone()
        return dict(row) if row else None

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
        return [{**r, "perishable": bool(r["perishable"])} for r in self.rows(
            "SELECT code, name, category, perishable FROM skus WHERE (? IS NULL OR lower(category) = lower(?)) "
            "ORDER BY code", category, category)]

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
            "st.bin_id = b.id WHERE (st.sku_id = ? OR b.sku_id = ?) ORDER BY b.id", s["id"], s["id"])
        return {"code": s["code"], "name": s["name"], "category": s["category"], "perishable": bool(s["perishable"]),
                "bins": bins}

    @tool("read")
    def get_bin(self, code: str) -> dict:
        """One bin: location (aisle, bay, level), kind (pick face or reserve), capacity, slotted SKU and contents.

        Args:
            code: Bin code such as A03-05-2.
        """
        b = self._bin(code)
        content = self._content(b["id"])
        sku = lambda i: self.db.execute("SELECT code FROM skus WHERE id = ?", (i,)).fetchone()[0] if i else None
        return {"code": b["code"], "aisle": b["aisle"], "bay": b["bay"], "level": b["level"],
                "kind": "pick" if b["level"] < 3 else "reserve", "capacity": b["capacity"],
                "slotted_sku": sku(b["sku_id"]), "sku": sku(content["sku_id"]) if content else None,
                "lot": content["lot"] if content else None, "expiry": content["expiry"] if content else None,
                "qty": content["qty"] if content else 0}

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
            "sl.id = b.sku_id WHERE b.aisle = ? ORDER BY b.id", aisle)
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
        return self.rows("SELECT ref, customer, ship_by, status FROM orders WHERE (? IS NULL OR status = lower(?)) "
                         "AND (? IS NULL OR lower(customer) = lower(?)) ORDER BY id", status, status, customer, customer)

    @tool("read")
    def get_order(self, ref: str) -> dict:
        """One order with its lines: SKU, ordered and picked quantities.

        Args:
            ref: Order reference such as SO-41234.
        """
        o = self._order(ref)
        lines = self.rows("SELECT s.code AS sku, s.name, l.qty, l.picked FROM order_lines l JOIN skus s ON "
                          "s.id = l.sku_id WHERE l.order_id = ? ORDER BY l.id", o["id"])
        return {"ref": o["ref"], "customer": o["customer"], "ship_by": o["ship_by"], "status": o["status"],
                "lines": lines}

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
        line = self.db.execute("SELECT * FROM order_lines WHERE order_id = ? AND sku_id = ?",
                               (o["id"], s["id"])).fetchone()
        if line is None:
            raise ValueError(f"order {o['ref']} has no line for {s['code']}")
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
        self.db.execute("INSERT INTO picks (line_id, bin_id, lot, qty) VALUES (?, ?, ?, ?)",
                        (line["id"], b["id"], content["lot"], qty))
        return {"order": o["ref"], "sku": s["code"], "bin": b["code"], "lot": content["lot"], "picked": qty,
                "line_picked": line["picked"] + qty, "line_qty": line["qty"]}

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
            raise ValueError(f"policy: {dst['code']} may hold at most {self._limit(dst['capacity'])} units after "
                             f"replenishment; it holds {now}")
        self.db.execute("UPDATE stock SET qty = qty - ? WHERE id = ?", (qty, content["id"]))
        if target:
            self.db.execute("UPDATE stock SET sku_id = ?, lot = ?, expiry = ?, qty = ? WHERE id = ?",
                            (s["id"], content["lot"], content["expiry"], now + qty, target["id"]))
        else:
            self.db.execute("INSERT INTO stock (bin_id, sku_id, lot, expiry, qty) VALUES (?, ?, ?, ?, ?)",
                            (dst["id"], s["id"], content["lot"], content["expiry"], qty))
        return {"sku": s["code"], "from_bin": src["code"], "to_bin": dst["code"], "lot": content["lot"],
                "moved": qty, "to_bin_qty": now + qty}

    @tool("write")
    def ship_order(self, ref: str) -> dict:
        """Mark an open order as shipped; every line must be fully picked.

        Args:
            ref: Order reference.
        """
        o = self._order(ref)
        if o["status"] != "open":
            raise ValueError(f"order {o['ref']} is {o['status']}, not open")
        short = self.rows("SELECT s.code, l.qty - l.picked AS missing FROM order_lines l JOIN skus s ON "
                          "s.id = l.sku_id WHERE l.order_id = ? AND l.picked < l.qty", o["id"])
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
        self.db.execute("INSERT INTO adjustments (bin_id, lot, before_qty, after_qty) VALUES (?, ?, ?, ?)",
                        (b["id"], content["lot"], content["qty"], counted_qty))
        return {"bin": b["code"], "lot": content["lot"], "before": content["qty"], "after": counted_qty,
                "difference": counted_qty - content["qty"]}

    # ---- proposers ----------------------------------------------------------------------------------

    def _stocked_bins(self) -> list[dict]:
        return self.rows("SELECT b.code, b.aisle, b.bay, b.level, st.* FROM stock st JOIN bins b ON b.id = st.bin_id "
                         "WHERE st.qty > 0 ORDER BY b.id")

    def _refill(self, bin_row: dict) -> dict | None:
        """The replenishments that may refill an empty pick face: {lot: units} over the first-expiring lots, or None."""
        lots = self._lots(bin_row["sku_id"], pick_face=False)
        if not lots:
            return None
        first = min(r["expiry"] or "9999-12-31" for r in lots)
        return {r["lot"]: min(self._limit(bin_row["capacity"]), r["qty"]) for r in lots
                if (r["expiry"] or "9999-12-31") == first}

    def _empty_faces(self, aisle: int | None = None) -> list[dict]:
        return self.rows("SELECT b.* FROM bins b LEFT JOIN stock st ON st.bin_id = b.id WHERE b.level < 3 AND "
                         "b.sku_id IS NOT NULL AND COALESCE(st.qty, 0) = 0 AND (? IS NULL OR b.aisle = ?) ORDER BY b.id",
                         aisle, aisle)

    @proposer(difficulty=1)
    def propose_bin_sku(self, rng: random.Random) -> TaskDraft | None:
        b = rng.choice(self._stocked_bins())
        codes = [r["code"] for r in self.rows("SELECT code FROM skus")]
        sku = self.db.execute("SELECT code FROM skus WHERE id = ?", (b["sku_id"],)).fetchone()[0]
        return TaskDraft(
            shape="bin_sku",
            instruction=self.render("bin_sku", rng, bin=b["code"]),
            solution=Program.of(solve_bin_sku, bin=b["code"]),
            verifier=Program.of(verify_names, expected=[sku], candidates=codes),
            tools=("get_bin", "list_bins", "get_sku"),
        )

    @proposer(difficulty=1)
    def propose_lot_expiry(self, rng: random.Random) -> TaskDraft | None:
        b = rng.choice([r for r in self._stocked_bins() if r["expiry"]])
        return TaskDraft(
            shape="lot_expiry",
            instruction=self.render("lot_expiry", rng, bin=b["code"]),
            solution=Program.of(solve_lot_expiry, bin=b["code"]),
            verifier=Program.of(verify_dates, expected=[b["expiry"]]),
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
            verifier=Program.of(verify_number, expected=total),
            tools=("get_sku", "get_today", "get_bin"),
        )

    @proposer(difficulty=2)
    def propose_expiring_bins(self, rng: random.Random) -> TaskDraft | None:
        aisle = rng.choice(self.rows("SELECT DISTINCT aisle FROM bins ORDER BY aisle"))["aisle"]
        today = dt.date.fromisoformat(self._today())
        date = (today + dt.timedelta(days=rng.randint(5, 60))).isoformat()
        rows = self.rows("SELECT b.code, st.expiry FROM bins b LEFT JOIN stock st ON st.bin_id = b.id AND st.qty > 0 "
                         "WHERE b.aisle = ? ORDER BY b.id", aisle)
        hits = [r["code"] for r in rows if r["expiry"] and r["expiry"] <= date]
        if not hits:
            return None
        return TaskDraft(
            shape="expiring_bins",
            instruction=self.render("expiring_bins", rng, aisle=aisle, date=date),
            solution=Program.of(solve_expiring_bins, aisle=aisle, date=date),
            verifier=Program.of(verify_names, expected=hits, candidates=[r["code"] for r in rows]),
            tools=("list_bins", "get_bin"),
        )

    @proposer(difficulty=2)
    def propose_nearest_bin(self, rng: random.Random) -> TaskDraft | None:
        sku = rng.choice(self.rows("SELECT * FROM skus ORDER BY id"))
        bins = self.rows("SELECT b.code, b.aisle, b.bay FROM stock st JOIN bins b ON b.id = st.bin_id WHERE "
                         "st.sku_id = ? AND st.qty > 0", sku["id"])
        dist = sorted((walk(None, (b["aisle"], b["bay"])), b["code"]) for b in bins)
        if len(dist) < 2 or dist[0][0] == dist[1][0]:
            return None
        return TaskDraft(
            shape="nearest_bin",
            instruction=self.render("nearest_bin", rng, sku=sku["code"], name=sku["name"]),
            solution=Program.of(solve_nearest_bin, sku=sku["code"], use_tool=self.has_tool("walking_distance")),
            verifier=Program.of(verify_names, expected=[dist[0][1]],
                                candidates=[r["code"] for r in self.rows("SELECT code FROM bins")]),
            tools=("get_sku", "walking_distance", "get_bin") if self.has_tool("walking_distance") else ("get_sku", "get_bin"),
        )

    @proposer(difficulty=2)
    def propose_open_units(self, rng: random.Random) -> TaskDraft | None:
        customer = rng.choice(self.rows("SELECT DISTINCT customer FROM orders WHERE status = 'open' ORDER BY customer"))
        total = self.db.execute("SELECT SUM(l.qty - l.picked) FROM order_lines l JOIN orders o ON o.id = l.order_id "
                                "WHERE o.status = 'open' AND o.customer = ?", (customer["customer"],)).fetchone()[0]
        return TaskDraft(
            shape="open_units",
            instruction=self.render("open_units", rng, customer=customer["customer"]),
            solution=Program.of(solve_open_units, customer=customer["customer"]),
            verifier=Program.of(verify_number, expected=total),
            tools=("list_orders", "get_order"),
        )

    def _coverable(self, lines: list[dict], replenish: bool) -> dict | None:
        """FEFO consumption per SKU for order lines, from pick faces (plus one refill per SKU when `replenish`)."""
        plan, needs_refill = {}, False
        for line in lines:
            faces = self._lots(line["sku_id"], pick_face=True)
            taken = fefo_consumption(faces, line["qty"] - line["picked"])
            if taken is None and replenish:
                have = sum(f["qty"] for f in faces)
                empties = [b for b in self._empty_faces() if b["sku_id"] == line["sku_id"]]
                face = max(empties, key=lambda b: (b["capacity"], -b["id"])) if empties else None
                refill = self._refill(face) if face else None
                if refill is None or have + min(refill.values()) < line["qty"] - line["picked"]:
                    return None
                expiry = self.db.execute("SELECT expiry FROM stock WHERE lot = ?", (min(refill),)).fetchone()[0]
                taken = fefo_consumption(faces + [{"expiry": expiry, "qty": min(refill.values())}],
                                         line["qty"] - line["picked"])
                needs_refill = True
            if taken is None:
                return None
            plan[str(line["sku_id"])] = taken
        return {"consumption": plan, "refill": needs_refill}

    def _open_lines(self, order_id: int) -> list[dict]:
        return self.rows("SELECT * FROM order_lines WHERE order_id = ? ORDER BY id", order_id)

    @proposer(difficulty=3)
    def propose_pick_line(self, rng: random.Random) -> TaskDraft | None:
        lines = self.rows("SELECT l.*, o.ref, o.id AS oid, s.code, s.name FROM order_lines l JOIN orders o ON "
                          "o.id = l.order_id JOIN skus s ON s.id = l.sku_id WHERE o.status = 'open' ORDER BY l.id")
        for _ in range(6):
            line = rng.choice(lines)
            plan = self._coverable([line], replenish=False)
            if plan is None:
                continue
            return TaskDraft(
                shape="pick_line",
                instruction=self.render("pick_line", rng, order=line["ref"], sku=line["code"], name=line["name"]),
                solution=Program.of(solve_pick_line, order=line["ref"], sku=line["code"], **self._rules()),
                verifier=Program.of(verify_fulfilment, lines={str(line["id"]): line["qty"]}, shipped=[],
                                    consumption=plan["consumption"], cutoff=self._cutoff(), **self._rules()),
            )
        return None

    @proposer(difficulty=3)
    def propose_refill_bin(self, rng: random.Random) -> TaskDraft | None:
        options = [(b, r) for b in self._empty_faces() if (r := self._refill(b))]
        if not options:
            return None
        b, refill = rng.choice(options)
        return TaskDraft(
            shape="refill_bin",
            instruction=self.render("refill_bin", rng, bin=b["code"]),
            solution=Program.of(solve_refill_bin, bin=b["code"], **self._rules()),
            verifier=Program.of(verify_refills, refills={b["code"]: refill}, **self._rules()),
        )

    @proposer(difficulty=3)
    def propose_cycle_count(self, rng: random.Random) -> TaskDraft | None:
        b = rng.choice(self._stocked_bins())
        counted = max(0, b["qty"] + rng.choice([-7, -5, -3, -2, -1, 1, 2, 4]))
        if counted == b["qty"]:
            return None
        return TaskDraft(
            shape="cycle_count",
            instruction=self.render("cycle_count", rng, bin=b["code"], counted=counted),
            solution=Program.of(solve_cycle_count, bin=b["code"], counted=counted),
            verifier=Program.of(verify_cycle_count, bin=b["code"], counted=counted,
                                difference=abs(counted - b["qty"])),
        )

    @proposer(difficulty=4)
    def propose_fulfil_order(self, rng: random.Random) -> TaskDraft | None:
        orders = self.rows("SELECT o.* FROM orders o WHERE o.status = 'open' AND (SELECT COUNT(*) FROM order_lines "
                           "WHERE order_id = o.id) >= 2 ORDER BY o.id")
        for _ in range(8):
            o = rng.choice(orders)
            lines = self._open_lines(o["id"])
            plan = self._coverable(lines, replenish=False)
            if plan is None:
                continue
            return TaskDraft(
                shape="fulfil_order",
                instruction=self.render("fulfil_order", rng, order=o["ref"], customer=o["customer"]),
                solution=Program.of(solve_fulfil, orders=[o["ref"]], **self._rules()),
                verifier=Program.of(verify_fulfilment, lines={str(l["id"]): l["qty"] for l in lines},
                                    shipped=[o["id"]], consumption=plan["consumption"], cutoff=self._cutoff(),
                                    **self._rules()),
            )
        return None

    @proposer(difficulty=4)
    def propose_refill_aisle(self, rng: random.Random) -> TaskDraft | None:
        options = []
        for aisle in sorted({b["aisle"] for b in self._empty_faces()}):
            refills = {b["code"]: self._refill(b) for b in self._empty_faces(aisle)}
            lots = [lot for r in refills.values() if r for lot in r]
            refilled = sum(1 for r in refills.values() if r)  # two refills at least: a plan of six calls or more
            if refilled >= 2 and len(set(lots)) == len(lots):  # faces sharing a lot: no single answer
                options.append((aisle, refills))
        if not options:
            return None
        aisle, refills = rng.choice(options)
        return TaskDraft(
            shape="refill_aisle",
            instruction=self.render("refill_aisle", rng, aisle=aisle),
            solution=Program.of(solve_refill_aisle, aisle=aisle, **self._rules()),
            verifier=Program.of(verify_refills, refills=refills, **self._rules()),
        )

    def _replen_task(self, rng: random.Random, shape: str, orders: list[dict], **words) -> TaskDraft | None:
        lines = [l for o in orders for l in self._open_lines(o["id"])]
        by_sku: dict[int, dict] = {}
        for l in lines:  # one SKU may appear on several orders: plan its total
            agg = by_sku.setdefault(l["sku_id"], {**l, "qty": 0, "picked": 0})
            agg["qty"] += l["qty"] - l["picked"]
        plan = self._coverable(list(by_sku.values()), replenish=True)
        if plan is None or (shape == "fulfil_with_replen" and not plan["refill"]):
            return None
        return TaskDraft(
            shape=shape,
            instruction=self.render(shape, rng, **words),
            solution=Program.of(solve_fulfil, orders=[o["ref"] for o in orders], **self._rules()),
            verifier=Program.of(verify_fulfilment, lines={str(l["id"]): l["qty"] for l in lines},
                                shipped=[o["id"] for o in orders], consumption=plan["consumption"],
                                cutoff=self._cutoff(), **self._rules()),
        )

    @proposer(difficulty=5)
    def propose_fulfil_with_replen(self, rng: random.Random) -> TaskDraft | None:
        short = self.rows("SELECT DISTINCT o.* FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE "
                          "o.status = 'open' AND l.sku_id IN (SELECT sku_id FROM bins WHERE level < 3 AND sku_id IS NOT "
                          "NULL AND id NOT IN (SELECT bin_id FROM stock WHERE qty > 0)) ORDER BY o.id")
        rng.shuffle(short)
        for o in short:
            if len(self._open_lines(o["id"])) >= 2 and (task := self._replen_task(
                    rng, "fulfil_with_replen", [o], order=o["ref"], customer=o["customer"])):
                return task
        return None

    @proposer(difficulty=5)
    def propose_ship_due(self, rng: random.Random) -> TaskDraft | None:
        combos = self.rows("SELECT DISTINCT customer, ship_by FROM orders WHERE status = 'open' ORDER BY customer, "
                           "ship_by")
        rng.shuffle(combos)
        for c in combos:
            orders = self.rows("SELECT * FROM orders WHERE status = 'open' AND customer = ? AND ship_by <= ? "
                               "ORDER BY id", c["customer"], c["ship_by"])
            if 2 <= len(orders) <= 4 and (task := self._replen_task(rng, "ship_due", orders, customer=c["customer"],
                                                                    date=c["ship_by"])):
                return task
        return None


# ---- solutions: tools and computation only --------------------------------------------------------

def solve_bin_sku(tools, params):
    return tools.get_bin(code=params["bin"])["sku"]


def solve_lot_expiry(tools, params):
    return tools.get_bin(code=params["bin"])["expiry"]


def solve_pickable_units(tools, params):
    import datetime
    today = datetime.date.fromisoformat(tools.get_today()["today"])
    cutoff = (today + datetime.timedelta(days=params["shelf_days"])).isoformat()
    bins = tools.get_sku(sku=params["sku"])["bins"]
    return sum(b["qty"] for b in bins if b["kind"] == "pick" and (b["expiry"] is None or b["expiry"] >= cutoff))


def solve_expiring_bins(tools, params):
    return [b["code"] for b in tools.list_bins(aisle=params["aisle"])
            if b["qty"] > 0 and b["expiry"] and b["expiry"] <= params["date"]]


def solve_nearest_bin(tools, params):
    bins = [b for b in tools.get_sku(sku=params["sku"])["bins"] if b["qty"] > 0]
    if params["use_tool"]:
        return min(bins, key=lambda b: tools.walking_distance(from_bin="DOCK", to_bin=b["bin"])["metres"])["bin"]
    return min(bins, key=lambda b: 3 * b["bay"] if b["aisle"] == 1 else 4 * (b["aisle"] - 1) + 3 * b["bay"])["bin"]


def solve_open_units(tools, params):
    total = 0
    for o in tools.list_orders(status="open", customer=params["customer"]):
        total += sum(l["qty"] - l["picked"] for l in tools.get_order(ref=o["ref"])["lines"])
    return total


def solve_pick_line(tools, params):
    import datetime
    today = datetime.date.fromisoformat(tools.get_today()["today"])
    cutoff = (today + datetime.timedelta(days=params["shelf_days"])).isoformat()

    def eligible(sku, kind):  # lots of a SKU on pick faces or in reserve that may be used, first expiry first
        info = tools.get_sku(sku=sku)
        lots = [b for b in info["bins"] if b["kind"] == kind and b["qty"] > 0
                and (b["expiry"] is None or b["expiry"] >= cutoff)]
        return sorted(lots, key=lambda b: b["expiry"] or "9999-12-31"), info

    order = tools.get_order(ref=params["order"])
    line = next(l for l in order["lines"] if l["sku"] == params["sku"])
    need = line["qty"] - line["picked"]
    lots, _ = eligible(params["sku"], "pick")
    for lot in lots:
        if need <= 0:
            break
        n = min(need, lot["qty"])
        tools.pick_item(order=params["order"], sku=params["sku"], bin=lot["bin"], qty=n)
        need -= n
    return f"Picked the {params['sku']} line of {params['order']}"


def solve_refill_bin(tools, params):
    import datetime
    today = datetime.date.fromisoformat(tools.get_today()["today"])
    cutoff = (today + datetime.timedelta(days=params["shelf_days"])).isoformat()

    def eligible(sku, kind):  # lots of a SKU on pick faces or in reserve that may be used, first expiry first
        info = tools.get_sku(sku=sku)
        lots = [b for b in info["bins"] if b["kind"] == kind and b["qty"] > 0
                and (b["expiry"] is None or b["expiry"] >= cutoff)]
        return sorted(lots, key=lambda b: b["expiry"] or "9999-12-31"), info

    b = tools.get_bin(code=params["bin"])
    lots, _ = eligible(b["slotted_sku"], "reserve")
    qty = min(int(b["capacity"] * params["fill"] + 1e-9), lots[0]["qty"])
    tools.replenish(sku=b["slotted_sku"], from_bin=lots[0]["bin"], to_bin=b["code"], qty=qty)
    return f"Moved {qty} units of lot {lots[0]['lot']} into {b['code']}"


def solve_cycle_count(tools, params):
    done = tools.record_count(bin=params["bin"], counted_qty=params["counted"])
    return f"Recorded; the system was off by {abs(done['difference'])} units"


def solve_refill_aisle(tools, params):
    import datetime
    today = datetime.date.fromisoformat(tools.get_today()["today"])
    cutoff = (today + datetime.timedelta(days=params["shelf_days"])).isoformat()

    def eligible(sku, kind):  # lots of a SKU on pick faces or in reserve that may be used, first expiry first
        info = tools.get_sku(sku=sku)
        lots = [b for b in info["bins"] if b["kind"] == kind and b["qty"] > 0
                and (b["expiry"] is None or b["expiry"] >= cutoff)]
        return sorted(lots, key=lambda b: b["expiry"] or "9999-12-31"), info

    moved = []
    for b in tools.list_bins(aisle=params["aisle"], kind="pick", empty_only=True):
        if not b["slotted_sku"]:
            continue
        lots, _ = eligible(b["slotted_sku"], "reserve")
        if lots:
            qty = min(int(b["capacity"] * params["fill"] + 1e-9), lots[0]["qty"])
            tools.replenish(sku=b["slotted_sku"], from_bin=lots[0]["bin"], to_bin=b["code"], qty=qty)
            moved.append(b["code"])
    return f"Refilled {', '.join(moved)}"


def solve_fulfil(tools, params):
    import datetime
    today = datetime.date.fromisoformat(tools.get_today()["today"])
    cutoff = (today + datetime.timedelta(days=params["shelf_days"])).isoformat()

    def eligible(sku, kind):  # lots of a SKU on pick faces or in reserve that may be used, first expiry first
        info = tools.get_sku(sku=sku)
        lots = [b for b in info["bins"] if b["kind"] == kind and b["qty"] > 0
                and (b["expiry"] is None or b["expiry"] >= cutoff)]
        return sorted(lots, key=lambda b: b["expiry"] or "9999-12-31"), info

    orders = [tools.get_order(ref=ref) for ref in params["orders"]]
    for order in orders:
        for line in order["lines"]:
            need = line["qty"] - line["picked"]
            lots, info = eligible(line["sku"], "pick")
            if sum(l["qty"] for l in lots) < need:  # top up an empty pick face from the first-expiring reserve lot
                reserve, _ = eligible(line["sku"], "reserve")
                empty = [b for b in info["bins"] if b["kind"] == "pick" and b["qty"] == 0]
                face = max(empty, key=lambda b: b["capacity"])
                qty = min(int(face["capacity"] * params["fill"] + 1e-9), reserve[0]["qty"])
                tools.replenish(sku=line["sku"], from_bin=reserve[0]["bin"], to_bin=face["bin"], qty=qty)
                lots, _ = eligible(line["sku"], "pick")
            for lot in lots:
                if need <= 0:
                    break
                n = min(need, lot["qty"])
                tools.pick_item(order=order["ref"], sku=line["sku"], bin=lot["bin"], qty=n)
                need -= n
        tools.ship_order(ref=order["ref"])
    return f"Shipped {', '.join(params['orders'])}"


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_number(outcome, params):
    from verifiers.answers import only_number

    ok = only_number(outcome.answer, params["expected"], abs_tol=0)
    return ok, [] if ok else [f"expected {params['expected']}, got {outcome.answer!r}"]


def verify_dates(outcome, params):
    from verifiers.answers import only_dates

    ok = only_dates(outcome.answer, params["expected"])
    return ok, [] if ok else [f"expected the date(s) {params['expected']}, got {outcome.answer!r}"]


def verify_cycle_count(outcome, params):
    from verifiers.answers import only_number
    from verifiers.state import diff_table, unchanged

    reasons = []
    added, removed, changed = diff_table(outcome.initial, outcome.db, "stock")
    bin_id = outcome.rows("SELECT id FROM bins WHERE code = ?", params["bin"])[0]["id"]
    if added or removed or [(s["bin_id"], s["qty"]) for s in changed] != [(bin_id, params["counted"])]:
        reasons.append(f"stock should change only in {params['bin']}, to {params['counted']} units")
    adj, _, _ = diff_table(outcome.initial, outcome.db, "adjustments")
    if len(adj) != 1 or adj[0]["bin_id"] != bin_id:
        reasons.append("expected exactly one logged adjustment for the bin")
    if other := unchanged(outcome.initial, outcome.db, ["orders", "order_lines", "picks", "bins"]):
        reasons.append(f"unexpected changes in {other}")
    if not only_number(outcome.answer, params["difference"], abs_tol=0):
        reasons.append(f"the discrepancy is {params['difference']} units; answer was {outcome.answer!r}")
    return not reasons, reasons


def verify_refills(outcome, params):
    from verifiers.state import unchanged

    reasons = []
    bins = {b["id"]: b for b in outcome.rows("SELECT * FROM bins")}
    before = {s["bin_id"]: s for s in outcome.initial_rows("SELECT * FROM stock")}
    after = {s["bin_id"]: s for s in outcome.rows("SELECT * FROM stock")}
    moved_out, moved_in = {}, {}
    for bin_id in sorted(before.keys() | after.keys()):
        b, old, new = bins[bin_id], before.get(bin_id), after.get(bin_id)
        old_qty, new_qty = (old or {}).get("qty", 0), (new or {}).get("qty", 0)
        if b["code"] in params["refills"]:
            options = params["refills"][b["code"]]
            if options is None:
                if new_qty != old_qty:
                    reasons.append(f"{b['code']} has no eligible reserve stock and should stay empty")
            elif new is None or options.get(new["lot"]) != new_qty:
                reasons.append(f"{b['code']} should hold one of {options} (lot: units), holds {new_qty} of "
                               f"{(new or {}).get('lot')}")
            else:
                moved_in[new["lot"]] = moved_in.get(new["lot"], 0) + new_qty
        elif b["level"] == 3 and new_qty < old_qty:
            moved_out[old["lot"]] = old_qty - new_qty
        elif new_qty != old_qty or (old and new and old["lot"] != new["lot"]):
            reasons.append(f"bin {b['code']} changed but was not to be refilled")
    if moved_out != moved_in:
        reasons.append(f"reserve stock taken {moved_out} does not match the units refilled {moved_in}")
    if not moved_in:
        reasons.append("nothing was refilled")
    if other := unchanged(outcome.initial, outcome.db, ["orders", "order_lines", "picks", "adjustments", "bins"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons


def verify_fulfilment(outcome, params):
    from verifiers.state import diff_table, unchanged

    reasons = []
    lines = {int(k): q for k, q in params["lines"].items()}
    _, _, changed = diff_table(outcome.initial, outcome.db, "order_lines")
    if {l["id"] for l in changed} != set(lines) or any(l["picked"] != lines[l["id"]] for l in changed):
        return False, [f"order lines picked {[(l['id'], l['picked']) for l in changed]}, expected {lines}"]
    o_added, o_removed, o_changed = diff_table(outcome.initial, outcome.db, "orders")
    if o_added or o_removed or sorted(o["id"] for o in o_changed) != sorted(params["shipped"]) or any(
            o["status"] != "shipped" for o in o_changed):
        reasons.append(f"orders shipped {[o['ref'] for o in o_changed]} do not match the request")
    picks, p_removed, p_changed = diff_table(outcome.initial, outcome.db, "picks")
    bins = {b["id"]: b for b in outcome.rows("SELECT * FROM bins")}
    line_sku = {l["id"]: l["sku_id"] for l in changed}
    expiry = {}
    for s in outcome.rows("SELECT lot, expiry FROM stock") + outcome.initial_rows("SELECT lot, expiry FROM stock"):
        expiry[s["lot"]] = s["expiry"]
    consumed: dict[str, dict[str, int]] = {}
    for p in picks:
        if p["line_id"] not in lines or bins[p["bin_id"]]["level"] == 3:
            reasons.append(f"pick {p['id']} is not a pick-face pick for a requested line")
            continue
        e = expiry.get(p["lot"])
        if e is not None and e < params["cutoff"]:
            reasons.append(f"lot {p['lot']} expiring {e} may not be picked")
        per = consumed.setdefault(str(line_sku[p["line_id"]]), {})
        per[e or "none"] = per.get(e or "none", 0) + p["qty"]
    if consumed != params["consumption"]:
        reasons.append(f"units taken per expiry date {consumed} break first-expiry-first-out {params['consumption']}")
    # stock: every unit that left a bin was picked; replenishments only move units into slotted, permitted faces
    before = {s["bin_id"]: s for s in outcome.initial_rows("SELECT * FROM stock")}
    after = {s["bin_id"]: s for s in outcome.rows("SELECT * FROM stock")}
    total_before = sum(s["qty"] for s in before.values())
    total_after = sum(s["qty"] for s in after.values())
    if total_before - total_after != sum(p["qty"] for p in picks):
        reasons.append("stock totals do not match the units picked")
    for bin_id, new in after.items():
        old, b = before.get(bin_id), bins[bin_id]
        if old is not None and new["qty"] <= old["qty"] and new["lot"] == old["lot"]:
            continue
        if b["level"] == 3 or b["sku_id"] != new["sku_id"]:
            reasons.append(f"stock moved into {b['code']} against the policy")
        elif new["qty"] > int(b["capacity"] * params["fill"] + 1e-9):
            reasons.append(f"{b['code']} is filled above the policy limit")
        elif e := new["expiry"]:
            if e < params["cutoff"]:
                reasons.append(f"lot {new['lot']} may not be replenished")
    if p_removed or p_changed:
        reasons.append("existing pick records changed")
    if other := unchanged(outcome.initial, outcome.db, ["adjustments", "bins", "skus"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons
