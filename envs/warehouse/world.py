"""Warehouse picking: bins on aisles, SKUs stocked by lot, customer orders picked FEFO, replenishment from reserve."""

from __future__ import annotations

import datetime as dt
import random

BRANDS = [
    "Northfield",
    "Bluebay",
    "Oakridge",
    "Sunvale",
    "Kestrel",
    "Marlin",
    "Pinecrest",
    "Riverton",
    "Harbourline",
    "Greystone",
    "Lumen",
    "Fernhill",
]
PRODUCTS = {
    "beverages": (
        True,
        [
            "Apple Juice 1L",
            "Sparkling Water 6x500ml",
            "Cold Brew Coffee 250ml",
            "Oat Drink 1L",
            "Lemon Iced Tea 1.5L",
            "Ginger Beer 4x330ml",
            "Orange Juice 2L",
            "Coconut Water 500ml",
        ],
    ),
    "snacks": (
        True,
        [
            "Sea Salt Crisps 150g",
            "Oat Biscuits 300g",
            "Trail Mix 200g",
            "Dark Chocolate 100g",
            "Rice Cakes 120g",
            "Salted Peanuts 250g",
            "Granola Bars 6pk",
            "Pretzel Twists 180g",
        ],
    ),
    "dairy": (
        True,
        ["Greek Yoghurt 500g", "Cheddar Block 400g", "Butter 250g", "Whole Milk 2L", "Cream Cheese 200g", "Kefir 1L"],
    ),
    "household": (
        False,
        [
            "Dish Soap 750ml",
            "Laundry Pods 30pk",
            "Paper Towels 4pk",
            "Bin Bags 50pk",
            "Glass Cleaner 500ml",
            "Sponges 10pk",
            "Bleach 1L",
            "Candles 12pk",
        ],
    ),
    "stationery": (
        False,
        [
            "A4 Paper 500 sheets",
            "Ballpoint Pens 10pk",
            "Sticky Notes 12pk",
            "Stapler",
            "Box Files 5pk",
            "Highlighters 4pk",
            "Envelopes C5 100pk",
        ],
    ),
    "pet care": (
        True,
        ["Dry Dog Food 2kg", "Cat Treats 80g", "Wet Cat Food 12x85g", "Dog Chews 10pk", "Bird Seed 1kg"],
    ),
}
CUSTOMERS = [
    "Cornerstone Grocers",
    "Maple Lane Market",
    "Harbour Deli",
    "Brightside Pharmacy",
    "Copper Kettle Cafe",
    "Willow Street Stores",
    "Parkview Minimart",
    "Old Mill Farm Shop",
    "Seabreeze Kiosk",
    "Hilltop Co-op",
    "Bramblewood Office Supply",
    "Lantern Pet Shop",
    "Riverside Foods",
    "Quayside Provisions",
]
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
    for lot in sorted(lots, key=lambda r: r["expiry"] or "9999-12-31"):
        if qty <= 0:
            break
        n = min(qty, lot["qty"])
        key = lot["expiry"] or "none"
        taken[key] = taken.get(key, 0) + n
        qty -= n
    return taken if qty <= 0 else None


class WarehouseWorld:
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
        aisles, n_skus, n_orders = {"small": (6, 40, 45), "medium": (8, 58, 65), "large": (11, 80, 95)}[
            self.variant.scale
        ]
        today = dt.date(2026, rng.randint(2, 10), rng.randint(1, 25))
        db.execute("INSERT INTO office VALUES (?)", (today.isoformat(),))
        catalogue = [(c, p, perish) for c, (perish, products) in PRODUCTS.items() for p in products]
        names = rng.sample([(c, f"{b} {p}", perish) for c, p, perish in catalogue for b in BRANDS], n_skus)
        codes = rng.sample(range(10000, 99999), n_skus)
        db.executemany(
            "INSERT INTO skus VALUES (?, ?, ?, ?, ?)",
            [(i, f"SKU-{codes[i - 1]}", n, c, int(p)) for i, (c, n, p) in enumerate(names, 1)],
        )
        bins = [(a, b, lv) for a in range(1, aisles + 1) for b in range(1, 9) for lv in (1, 2, 3)]
        db.executemany(
            "INSERT INTO bins (code, aisle, bay, level, capacity) VALUES (?, ?, ?, ?, ?)",
            [
                (
                    f"A{a:02d}-{b:02d}-{lv}",
                    a,
                    b,
                    lv,
                    rng.choice([24, 30, 36, 40, 48, 60]) if lv < 3 else rng.choice([120, 150, 200]),
                )
                for a, b, lv in bins
            ],
        )
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
                cap = self.value("SELECT capacity FROM bins WHERE id = ?", b)
                lot_no += rng.randint(1, 40)
                expiry = today + dt.timedelta(days=rng.randint(-6, 80)) if sku["perishable"] else None
                latest = max(latest, expiry) if expiry else latest
                qty = 0 if rng.random() < 0.18 else rng.randint(2, cap)
                db.execute(
                    "INSERT INTO stock (bin_id, sku_id, lot, expiry, qty) VALUES (?, ?, ?, ?, ?)",
                    (b, sku["id"], f"L{lot_no}", expiry and expiry.isoformat(), qty),
                )
            for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):  # reserve lots expire after every pick-face lot
                if not reserve_ids:
                    break
                lot_no += rng.randint(1, 40)
                expiry = latest + dt.timedelta(days=rng.randint(20, 220)) if sku["perishable"] else None
                db.execute(
                    "INSERT INTO stock (bin_id, sku_id, lot, expiry, qty) VALUES (?, ?, ?, ?, ?)",
                    (reserve_ids.pop(), sku["id"], f"L{lot_no}", expiry and expiry.isoformat(), rng.randint(20, 120)),
                )
        ref = rng.randint(30000, 60000)
        customers = rng.sample(CUSTOMERS, {"small": 7, "medium": 9, "large": 12}[self.variant.scale])
        for _ in range(n_orders):
            ref += rng.randint(1, 13)
            status = rng.choices(["open", "shipped", "cancelled"], [70, 22, 8])[0]
            ship_by = today + dt.timedelta(days=rng.randint(-3 if status != "open" else 0, 6))
            oid = db.execute(
                "INSERT INTO orders (ref, customer, ship_by, status) VALUES (?, ?, ?, ?)",
                (f"SO-{ref}", rng.choice(customers), ship_by.isoformat(), status),
            ).lastrowid
            for sku in rng.sample(skus, rng.choice([1, 2, 2, 3, 3, 4])):
                qty = rng.randint(1, 14)
                db.execute(
                    "INSERT INTO order_lines (order_id, sku_id, qty, picked) VALUES (?, ?, ?, ?)",
                    (oid, sku["id"], qty, qty if status == "shipped" else 0),
                )
