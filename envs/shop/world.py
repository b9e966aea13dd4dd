"""The shop's world: its catalog, customers and carriers, the store's pure rules, and how an instance's database
is built."""

from __future__ import annotations

import datetime as dt
import random

CATALOG = {
    "electronics": (
        (15, 240),
        [
            "Headphones",
            "Speaker",
            "Charger",
            "Keyboard",
            "Mouse",
            "Webcam",
            "Monitor",
            "Power Bank",
            "Smartwatch",
            "Router",
            "Earbuds",
        ],
    ),
    "home": (
        (8, 120),
        [
            "Lamp",
            "Kettle",
            "Blanket",
            "Vase",
            "Pan Set",
            "Cutting Board",
            "Towel Set",
            "Candle",
            "Wall Clock",
            "Rug",
            "Cushion",
        ],
    ),
    "apparel": (
        (10, 150),
        ["Jacket", "Scarf", "Sneakers", "Hoodie", "T-Shirt", "Jeans", "Beanie", "Raincoat", "Sock Pack", "Gloves"],
    ),
    "books": (
        (6, 45),
        [
            "Cookbook",
            "Atlas",
            "Novel",
            "Sketchbook",
            "Field Guide",
            "Puzzle Book",
            "Poetry Collection",
            "Travel Guide",
            "Notebook",
        ],
    ),
    "toys": (
        (7, 90),
        [
            "Jigsaw Puzzle",
            "Building Set",
            "Kite",
            "Board Game",
            "Plush Bear",
            "Model Car",
            "Yo-yo",
            "Card Game",
            "Marble Run",
        ],
    ),
    "beauty": (
        (5, 70),
        ["Face Cream", "Shampoo", "Lip Balm", "Perfume", "Hand Soap", "Body Lotion", "Sunscreen", "Hair Oil"],
    ),
    "sports": (
        (9, 160),
        [
            "Yoga Mat",
            "Dumbbell Set",
            "Water Bottle",
            "Tennis Racket",
            "Jump Rope",
            "Bike Light",
            "Running Belt",
            "Foam Roller",
        ],
    ),
}
BRANDS = [
    "Aurora",
    "Nimbus",
    "Pinecrest",
    "Vertex",
    "Cobalt",
    "Maple",
    "Zephyr",
    "Orbit",
    "Ember",
    "Tidal",
    "Lumen",
    "Basalt",
    "Juniper",
    "Solstice",
    "Harbor",
    "Quill",
]
FIRST = [
    "Ada",
    "Bruno",
    "Clara",
    "Dev",
    "Elif",
    "Femi",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Kira",
    "Luca",
    "Mira",
    "Nils",
    "Oona",
    "Priya",
    "Quentin",
    "Rosa",
    "Sami",
    "Tessa",
    "Umar",
    "Vera",
    "Wendel",
    "Yara",
]
LAST = [
    "Abbott",
    "Brandt",
    "Castillo",
    "Dimitrov",
    "Eklund",
    "Fontaine",
    "Gallo",
    "Hale",
    "Ivers",
    "Jansen",
    "Kovac",
    "Lindgren",
    "Mbeki",
    "Novak",
    "Ortega",
    "Pereira",
    "Quinn",
    "Rossi",
    "Sandoval",
    "Takahashi",
]
STREETS = [
    "Elm Street",
    "Harbor Road",
    "Maple Avenue",
    "Mill Lane",
    "Orchard Way",
    "Station Road",
    "Willow Court",
    "Cedar Drive",
    "Kingfisher Close",
    "Beacon Hill",
]
TOWNS = ["Brookfield", "Ashby", "Northgate", "Riverton", "Fairhaven", "Lakemoor", "Westcliff", "Oakridge"]
CARRIERS = {"Parcelo": 3, "SwiftShip": 2, "Northpost": 4, "Kestrel Freight": 5, "BlueLine Express": 2}
COUPON_WORDS = ["SAVE", "DEAL", "TREAT", "BONUS", "HELLO", "THANKS"]
TIERS = {"bronze": 0, "silver": 1, "gold": 2}
RETURN_DAYS = {"electronics": 15}  # days after delivery an item may be returned; 30 for other categories
RETURN_REASONS = ["damaged on arrival", "wrong size", "no longer needed", "not as described", "arrived too late"]


def coupon_discount(coupon: dict, lines: list[dict], tier: str, today: str) -> tuple[float, str | None]:
    """The discount `coupon` gives on order lines (category, quantity, unit_price), or why it does not apply."""
    if not coupon["active"]:
        return 0.0, "this coupon is no longer offered"
    if coupon["expires_on"] < today:
        return 0.0, f"this coupon expired on {coupon['expires_on']}"
    if TIERS[tier] < TIERS[coupon["min_tier"]]:
        return 0.0, f"this coupon needs a {coupon['min_tier']} or higher customer; the customer is {tier}"
    eligible = round(
        sum(line["quantity"] * line["unit_price"] for line in lines if coupon["category"] in (None, line["category"])),
        2,
    )
    if eligible <= 0:
        return 0.0, f"the order has no {coupon['category']} items"
    if eligible < coupon["min_subtotal"]:
        return 0.0, f"the coupon needs an eligible subtotal of {coupon['min_subtotal']}; the order has {eligible}"
    if coupon["kind"] == "percent":
        return round(eligible * coupon["value"] / 100 + 1e-9, 2), None
    return round(min(coupon["value"], eligible), 2), None


def return_days(category: str) -> int:
    return RETURN_DAYS.get(category, 30)


def goodwill_cap(total: float, percent: int = 10) -> float:
    """`percent`% of an order total, rounded down to whole cents."""
    return round(total * 100) * percent // 100 / 100


def days_between(earlier: str, later: str) -> int:
    return (dt.date.fromisoformat(later) - dt.date.fromisoformat(earlier)).days


class ShopWorld:
    def build(self, rng: random.Random) -> None:
        self.db.executescript("""
            CREATE TABLE store (id INTEGER PRIMARY KEY, today TEXT, return_days INTEGER,
                electronics_return_days INTEGER, goodwill_percent INTEGER);
            CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT UNIQUE, email TEXT, tier TEXT, address TEXT,
                store_credit REAL);
            CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT UNIQUE, category TEXT, price REAL, stock INTEGER,
                final_sale INTEGER);
            CREATE TABLE coupons (id INTEGER PRIMARY KEY, code TEXT UNIQUE, kind TEXT, value REAL, category TEXT,
                min_subtotal REAL, min_tier TEXT, expires_on TEXT, active INTEGER);
            CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), placed_on TEXT,
                status TEXT, ship_address TEXT, subtotal REAL, coupon_code TEXT, discount REAL, total REAL,
                cancel_reason TEXT);
            CREATE TABLE order_items (id INTEGER PRIMARY KEY, order_id INTEGER REFERENCES orders(id),
                product_id INTEGER REFERENCES products(id), quantity INTEGER, unit_price REAL, returned INTEGER);
            CREATE TABLE shipments (id INTEGER PRIMARY KEY, order_id INTEGER UNIQUE REFERENCES orders(id), carrier TEXT,
                tracking TEXT UNIQUE, shipped_on TEXT, promised_by TEXT, delivered_on TEXT, status TEXT);
            CREATE TABLE returns (id INTEGER PRIMARY KEY, order_id INTEGER, item_id INTEGER UNIQUE, created_on TEXT,
                reason TEXT, refund_amount REAL, refund_method TEXT);
            CREATE TABLE credits (id INTEGER PRIMARY KEY, customer_id INTEGER, order_id INTEGER, kind TEXT,
                amount REAL, created_on TEXT, note TEXT);
        """)
        today = dt.date(2026, rng.randint(2, 11), rng.randint(1, 28))
        self.db.execute(
            "INSERT INTO store VALUES (1, ?, ?, ?, ?)",
            (today.isoformat(), return_days("any"), return_days("electronics"), self._goodwill_percent()),
        )
        return_rate = self._build_products(rng)
        self._build_customers(rng)
        self._build_coupons(rng, today)
        self._build_orders(rng, today, return_rate)
        self.db.execute(
            "UPDATE customers SET store_credit = (SELECT ROUND(COALESCE(SUM(amount), 0), 2) FROM credits "
            "WHERE credits.customer_id = customers.id)"
        )

    def _build_products(self, rng: random.Random) -> dict[int, float]:
        return_rate = {}
        names = set()
        n_categories = {"small": (4, 5), "medium": (5, 7), "large": (7, 7)}[self.variant.scale]
        for category in rng.sample(sorted(CATALOG), rng.randint(*n_categories)):
            (low, high), nouns = CATALOG[category]
            for noun in rng.sample(nouns, rng.randint(5, min(9, len(nouns)))):
                name = f"{rng.choice(BRANDS)} {noun}"
                while name in names:
                    name = f"{rng.choice(BRANDS)} {noun}"
                names.add(name)
                price = round(rng.randint(low, high) + rng.choice([0.0, 0.49, 0.99]), 2)
                stock = 0 if rng.random() < 0.18 else rng.randint(1, 40)
                cur = self.db.execute(
                    "INSERT INTO products (name, category, price, stock, final_sale) VALUES (?, ?, ?, ?, ?)",
                    (name, category, price, stock, int(rng.random() < 0.12)),
                )
                return_rate[cur.lastrowid] = rng.choice([0.0, 0.03, 0.06, 0.1, 0.45])
        return return_rate

    def _build_customers(self, rng: random.Random) -> None:
        n = {"small": (14, 22), "medium": (20, 34), "large": (36, 50)}[self.variant.scale]
        for name in rng.sample([f"{f} {last}" for f in FIRST for last in LAST], rng.randint(*n)):
            self.db.execute(
                "INSERT INTO customers (name, email, tier, address, store_credit) VALUES (?, ?, ?, ?, 0)",
                (
                    name,
                    name.lower().replace(" ", ".") + "@example.com",
                    rng.choices(list(TIERS), [5, 3, 2])[0],
                    self._random_address(rng),
                ),
            )

    @staticmethod
    def _random_address(rng: random.Random) -> str:
        return f"{rng.randint(1, 240)} {rng.choice(STREETS)}, {rng.choice(TOWNS)}"

    def _build_coupons(self, rng: random.Random, today: dt.date) -> None:
        categories = [r["category"] for r in self.rows("SELECT DISTINCT category FROM products ORDER BY category")]
        codes = set()
        for _ in range(rng.randint(7, 11)):
            kind = rng.choice(["percent", "fixed"])
            value = rng.choice([5, 10, 15, 20, 25] if kind == "percent" else [5, 8, 10, 15, 20])
            category = rng.choice(categories) if rng.random() < 0.4 else None
            code = f"{(category or rng.choice(COUPON_WORDS))[:6].upper()}{value}"
            while code in codes:
                code += rng.choice("ABCDEFGHJK")
            codes.add(code)
            self.db.execute(
                "INSERT INTO coupons (code, kind, value, category, min_subtotal, min_tier, expires_on, "
                "active) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    code,
                    kind,
                    float(value),
                    category,
                    float(rng.choice([0, 0, 20, 40, 60, 100])),
                    rng.choices(list(TIERS), [6, 2, 2])[0],
                    (today + dt.timedelta(days=rng.randint(-20, 60))).isoformat(),
                    int(rng.random() < 0.9),
                ),
            )

    def _build_orders(self, rng: random.Random, today: dt.date, return_rate: dict[int, float]) -> None:
        customers = self.rows("SELECT * FROM customers")
        products = self.rows("SELECT * FROM products")
        coupons = self.rows("SELECT * FROM coupons")
        late_rate = {c: rng.choice([0.1, 0.2, 0.3, 0.45]) for c in CARRIERS}
        drafts = []
        for _ in range(rng.randint(*{"small": (60, 90), "medium": (90, 150), "large": (160, 240)}[self.variant.scale])):
            pending = rng.random() < 0.2
            placed = today - dt.timedelta(days=rng.randint(0, 3) if pending else rng.randint(4, 75))
            drafts.append((placed.isoformat(), pending, rng.choice(customers)))
        for placed, pending, customer in sorted(drafts, key=lambda d: d[0]):
            lines = []
            for p in rng.sample(products, rng.choices([1, 2, 3, 4], [3, 4, 3, 2])[0]):
                lines.append(
                    {
                        **p,
                        "product_id": p["id"],
                        "quantity": rng.choices([1, 2, 3], [7, 2, 1])[0],
                        "unit_price": round(p["price"] * rng.choice([1, 1, 1, 0.9, 0.85]), 2),
                    }
                )
            subtotal = round(sum(line["quantity"] * line["unit_price"] for line in lines), 2)
            coupon, discount = None, 0.0
            if rng.random() < 0.2:  # past orders may carry coupons that are no longer offered
                usable = [
                    (c, d)
                    for c in coupons
                    if (d := coupon_discount({**c, "active": 1}, lines, customer["tier"], placed)[0]) > 0
                ]
                if usable:
                    coupon, discount = rng.choice(usable)
            status = "pending" if pending else ("cancelled" if rng.random() < 0.07 else "shipped")
            cur = self.db.execute(
                "INSERT INTO orders (customer_id, placed_on, status, ship_address, subtotal, coupon_code, discount, "
                "total, cancel_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    customer["id"],
                    placed,
                    status,
                    customer["address"],
                    subtotal,
                    coupon and coupon["code"],
                    discount,
                    round(subtotal - discount, 2),
                    "customer request" if status == "cancelled" else None,
                ),
            )
            order = {
                "id": cur.lastrowid,
                "customer": customer,
                "placed": dt.date.fromisoformat(placed),
                "total": round(subtotal - discount, 2),
                "subtotal": subtotal,
            }
            for line in lines:
                line["item_id"] = self.db.execute(
                    "INSERT INTO order_items (order_id, product_id, quantity, unit_price, returned) "
                    "VALUES (?, ?, ?, ?, 0)",
                    (order["id"], line["id"], line["quantity"], line["unit_price"]),
                ).lastrowid
            if status == "shipped":
                self._ship(rng, today, order, lines, late_rate, return_rate)

    def _ship(self, rng, today, order, lines, late_rate, return_rate) -> None:
        carrier = rng.choice(sorted(CARRIERS))
        shipped = order["placed"] + dt.timedelta(days=rng.randint(1, 3))
        promised = shipped + dt.timedelta(days=CARRIERS[carrier])
        late = rng.random() < late_rate[carrier]
        delivered = promised + dt.timedelta(days=rng.randint(1, 4) if late else -rng.randint(0, CARRIERS[carrier] - 1))
        arrived = delivered <= today
        self.db.execute(
            "INSERT INTO shipments (order_id, carrier, tracking, shipped_on, promised_by, delivered_on, "
            "status) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                order["id"],
                carrier,
                f"{carrier[:2].upper()}{rng.randint(10**8, 10**9 - 1)}",
                shipped.isoformat(),
                promised.isoformat(),
                delivered.isoformat() if arrived else None,
                "delivered" if arrived else "in_transit",
            ),
        )
        if not arrived:
            return
        self.db.execute("UPDATE orders SET status = 'delivered' WHERE id = ?", (order["id"],))
        customer = order["customer"]
        for line in lines:
            returned_on = delivered + dt.timedelta(days=rng.randint(1, return_days(line["category"])))
            if line["final_sale"] or returned_on > today or rng.random() >= return_rate[line["id"]]:
                continue
            refund = round(line["quantity"] * line["unit_price"] * order["total"] / order["subtotal"], 2)
            method = self._refund_method(customer["tier"])
            self.db.execute("UPDATE order_items SET returned = 1 WHERE id = ?", (line["item_id"],))
            self.db.execute(
                "INSERT INTO returns (order_id, item_id, created_on, reason, refund_amount, refund_method) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (order["id"], line["item_id"], returned_on.isoformat(), rng.choice(RETURN_REASONS), refund, method),
            )
            if method == "store_credit":
                self.db.execute(
                    "INSERT INTO credits (customer_id, order_id, kind, amount, created_on, note) VALUES "
                    "(?, ?, 'refund', ?, ?, 'return refund')",
                    (customer["id"], order["id"], refund, returned_on.isoformat()),
                )
        if late and rng.random() < 0.35:
            credit_on = min(today, delivered + dt.timedelta(days=rng.randint(1, 5)))
            self.db.execute(
                "INSERT INTO credits (customer_id, order_id, kind, amount, created_on, note) VALUES "
                "(?, ?, 'goodwill', ?, ?, 'late delivery')",
                (
                    customer["id"],
                    order["id"],
                    goodwill_cap(order["total"], self._goodwill_percent()),
                    credit_on.isoformat(),
                ),
            )
