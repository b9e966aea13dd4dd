"""E-commerce orders and returns: customers, a product catalog, orders, shipments, returns, coupons and store credit."""

from __future__ import annotations

import datetime as dt
import random
from typing import Literal

from typing_extensions import TypedDict

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool
from verifiers.common import verify_number

CATALOG = {
    "electronics": ((15, 240), ["Headphones", "Speaker", "Charger", "Keyboard", "Mouse", "Webcam", "Monitor",
                                "Power Bank", "Smartwatch", "Router", "Earbuds"]),
    "home": ((8, 120), ["Lamp", "Kettle", "Blanket", "Vase", "Pan Set", "Cutting Board", "Towel Set", "Candle",
                        "Wall Clock", "Rug", "Cushion"]),
    "apparel": ((10, 150), ["Jacket", "Scarf", "Sneakers", "Hoodie", "T-Shirt", "Jeans", "Beanie", "Raincoat",
                            "Sock Pack", "Gloves"]),
    "books": ((6, 45), ["Cookbook", "Atlas", "Novel", "Sketchbook", "Field Guide", "Puzzle Book", "Poetry Collection",
                        "Travel Guide", "Notebook"]),
    "toys": ((7, 90), ["Jigsaw Puzzle", "Building Set", "Kite", "Board Game", "Plush Bear", "Model Car", "Yo-yo",
                       "Card Game", "Marble Run"]),
    "beauty": ((5, 70), ["Face Cream", "Shampoo", "Lip Balm", "Perfume", "Hand Soap", "Body Lotion", "Sunscreen",
                         "Hair Oil"]),
    "sports": ((9, 160), ["Yoga Mat", "Dumbbell Set", "Water Bottle", "Tennis Racket", "Jump Rope", "Bike Light",
                          "Running Belt", "Foam Roller"]),
}
BRANDS = ["Aurora", "Nimbus", "Pinecrest", "Vertex", "Cobalt", "Maple", "Zephyr", "Orbit", "Ember", "Tidal",
          "Lumen", "Basalt", "Juniper", "Solstice", "Harbor", "Quill"]
FIRST = ["Ada", "Bruno", "Clara", "Dev", "Elif", "Femi", "Greta", "Hugo", "Ines", "Jonas", "Kira", "Luca", "Mira",
         "Nils", "Oona", "Priya", "Quentin", "Rosa", "Sami", "Tessa", "Umar", "Vera", "Wendel", "Yara"]
LAST = ["Abbott", "Brandt", "Castillo", "Dimitrov", "Eklund", "Fontaine", "Gallo", "Hale", "Ivers", "Jansen",
        "Kovac", "Lindgren", "Mbeki", "Novak", "Ortega", "Pereira", "Quinn", "Rossi", "Sandoval", "Takahashi"]
STREETS = ["Elm Street", "Harbor Road", "Maple Avenue", "Mill Lane", "Orchard Way", "Station Road", "Willow Court",
           "Cedar Drive", "Kingfisher Close", "Beacon Hill"]
TOWNS = ["Brookfield", "Ashby", "Northgate", "Riverton", "Fairhaven", "Lakemoor", "Westcliff", "Oakridge"]
CARRIERS = {"Parcelo": 3, "SwiftShip": 2, "Northpost": 4, "Kestrel Freight": 5, "BlueLine Express": 2}
COUPON_WORDS = ["SAVE", "DEAL", "TREAT", "BONUS", "HELLO", "THANKS"]
TIERS = {"bronze": 0, "silver": 1, "gold": 2}
RETURN_DAYS = {"electronics": 15}  # days after delivery an item may be returned; 30 for other categories
RETURN_REASONS = ["damaged on arrival", "wrong size", "no longer needed", "not as described", "arrived too late"]


class OrderLine(TypedDict):
    product_id: int
    quantity: int


def coupon_discount(coupon: dict, lines: list[dict], tier: str, today: str) -> tuple[float, str | None]:
    """The discount `coupon` gives on order lines (category, quantity, unit_price), or why it does not apply."""
    if not coupon["active"]:
        return 0.0, "this coupon is no longer offered"
    if coupon["expires_on"] < today:
        return 0.0, f"this coupon expired on {coupon['expires_on']}"
    if TIERS[tier] < TIERS[coupon["min_tier"]]:
        return 0.0, f"this coupon needs a {coupon['min_tier']} or higher customer; the customer is {tier}"
    eligible = round(sum(l["quantity"] * l["unit_price"] for l in lines
                         if coupon["category"] in (None, l["category"])), 2)
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


class ShopEnv(EnvTemplate):
    name = "shop"
    version = "1.1.0"
    category = "e-commerce orders and returns"
    description = ("An online store's back office: look up customers, products, orders and shipments, and place, "
                   "cancel or re-address orders, process returns, apply coupons and issue store credit.")
    policy = (
        "Act only on the customer and orders named in the request and change nothing else. Dates count from the "
        "store's today (get_store_info). "
        "An order can be cancelled, re-addressed or given a coupon only while it is pending (not yet shipped). "
        "An item can be returned only if its order was delivered at most 30 days ago (15 days for electronics), it "
        "is not marked final sale and it has not been returned before. "
        "Refunds of gold-tier customers go to store credit; all other customers are refunded to the original "
        "payment method (unless a rule below says otherwise). "
        "An order takes at most one coupon. A coupon applies only if it is active and not expired, the customer's "
        "tier is at least the coupon's minimum tier, and the subtotal of the items it covers (its category's items, "
        "or all items) reaches its minimum; it discounts only the items it covers. "
        "Goodwill store credit is only for orders delivered after their promised date: one credit per order, of at "
        "most 10% of the order total rounded down to the cent (unless a rule below sets a lower cap). "
        "Never order more units than are in stock."
    )
    variants = VariantSpace(
        optional_tools=("track_shipment", "get_credit_history"),
        renames={"find_customers": ("search_customers", "lookup_customers"), "create_return": ("process_return",),
                 "issue_store_credit": ("grant_store_credit",), "search_products": ("find_products",)},
        rules={"goodwill_five_percent": "Goodwill store credit is capped at 5% of the order total (rounded down to "
                                        "the cent) instead of 10%.",
               "silver_store_credit": "Refunds of silver-tier customers also go to store credit."},
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "order_carrier": [
            "Which carrier is handling the shipment of order {{order_id}}?",
            "Order {{order_id}} was shipped. Which delivery company has it?",
            "Tell me the carrier for order {{order_id}}.",
        ],
        "product_stock": [
            "How many units of the {{product}} do we have in stock?",
            "What is the current stock level of {{product}}?",
        ],
        "credit_balance": [
            "What is {{customer}}'s store credit balance?",
            "How much store credit does the customer {{customer}} have right now?",
        ],
        "category_spend": [
            "How much has {{customer}} spent on {{category}} products? Add quantity times unit price of those items "
            "over their orders, leaving out cancelled orders and returned items, before coupon discounts. "
            "Round to 2 decimals.",
            "Give me {{customer}}'s total {{category}} spend: the sum of quantity x unit price of every {{category}} "
            "item they ordered, not counting cancelled orders or items that were returned, and ignoring coupons "
            "(2 decimals).",
        ],
        "most_returned": [
            "Which {% if category %}{{category}} {% endif %}product has had the most units returned? Just the name.",
            "Looking at all returns so far, which {% if category %}{{category}} {% endif %}product was returned in "
            "the largest number of units?",
            "Name the {% if category %}{{category}} {% endif %}product with the highest total quantity returned.",
        ],
        "late_orders": [
            "Which of {{customer}}'s orders were delivered after their promised delivery date? List the order ids.",
            "{{customer}} says some parcels came late. Give me the ids of their orders that arrived after the date "
            "we promised.",
        ],
        "return_eligible": [
            "{{customer}} wants to return everything from order {{order_id}} that can still be returned under our "
            "policy (reason: {{reason}}). Please process it.",
            "Process a return for {{customer}}: every item of order {{order_id}} that is still eligible for return, "
            "with the reason \"{{reason}}\".",
            "Order {{order_id}}: {{customer}} is sending back whatever the policy still allows them to return "
            "({{reason}}). Create the return.",
        ],
        "cancel_unshipped": [
            "{{customer}} asks us to cancel all of their orders that have not shipped yet.",
            "Please cancel every order of {{customer}}'s that is still waiting to be shipped.",
        ],
        "goodwill_credit": [
            "{{customer}} is unhappy about late deliveries. For each of their orders that was delivered after its "
            "promised date and has not had a goodwill credit yet, issue the largest goodwill store credit the "
            "policy allows.",
            "Compensate {{customer}} for late parcels: every order of theirs that arrived after the promised date "
            "and has no goodwill credit so far gets the maximum goodwill credit our policy permits.",
        ],
        "best_coupon": [
            "Apply to {{customer}}'s order {{order_id}} the coupon that gives it the biggest discount.",
            "{{customer}} wants the best possible coupon on order {{order_id}}. Find the one that saves the most "
            "and apply it.",
        ],
        "exchange": [
            "{{customer}} wants to exchange the {{product}} from order {{order_id}}: return it (reason: "
            "{{reason}}), then order one unit of the cheapest other product of the same category that is in stock, "
            "shipped to their address on file, and apply the coupon that saves the most on that new order, if any "
            "applies.",
            "Swap the {{product}} in {{customer}}'s order {{order_id}} for the lowest-priced in-stock alternative "
            "from the same category: process the return ({{reason}}), place a new order for one unit of the "
            "alternative to the customer's usual address, and put the most valuable applicable coupon on it.",
        ],
        "bundle": [
            "Place an order for {{customer}} with one unit of the cheapest in-stock product of each of these "
            "categories: {{categories}} (no final-sale products), shipped to {{address}}. Then apply the coupon that "
            "gives the order the largest discount, if any applies.",
            "{{customer}} wants a starter bundle: from each of {{categories}}, the lowest-priced item we have in "
            "stock that is not final sale, one unit each, delivered to {{address}}. Order it and add the best coupon "
            "available for it.",
        ],
        "relocate": [
            "{{customer}} has moved to {{address}}. Send every order of theirs that has not shipped yet to the new "
            "address, and give each of those orders that has no coupon yet the coupon that saves it the most "
            "(skip orders no coupon applies to).",
            "New address for {{customer}}: {{address}}. Update all of their unshipped orders to it; also, for each "
            "unshipped order without a coupon, apply the coupon with the biggest discount, where one applies.",
        ],
        "wrap_up": [
            "{{customer}} is closing their account. Cancel every order of theirs that has not shipped yet, return "
            "every item of their delivered orders that the policy still allows to be returned (reason: {{reason}}), "
            "and give each of their late-delivered orders that has had no goodwill credit the largest goodwill "
            "credit the policy allows.",
            "Wrap up {{customer}}'s account: all unshipped orders get cancelled; all still-returnable items across "
            "their delivered orders get returned with the reason \"{{reason}}\"; and every order of theirs that "
            "arrived after its promised date without a goodwill credit so far gets the maximum goodwill credit.",
        ],
        "budget_bundle": [
            "Order for {{customer}}, to their address on file: one unit of the cheapest in-stock product that is not "
            "final sale from each of {{categories}}, with the coupon that saves the most on the order, if any "
            "applies. The order total after the coupon must not exceed {{budget}}; if the full bundle would cost more "
            "than that, leave out the {{drop}} item (and apply the best coupon for what remains).",
            "{{customer}} wants a bundle shipped to the address on file: from each of {{categories}}, one unit of the "
            "lowest-priced in-stock non-final-sale product, plus the most valuable applicable coupon. Their limit is "
            "{{budget}} after the discount. Should the whole bundle go over it, drop the {{drop}} product and order "
            "the rest, again with the best coupon.",
        ],
    }

    # ---- database ---------------------------------------------------------------------------------

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
        self.db.execute("INSERT INTO store VALUES (1, ?, ?, ?, ?)",
                        (today.isoformat(), return_days("any"), return_days("electronics"), self._goodwill_percent()))
        return_rate = self._build_products(rng)
        self._build_customers(rng)
        self._build_coupons(rng, today)
        self._build_orders(rng, today, return_rate)
        self.db.execute("UPDATE customers SET store_credit = (SELECT ROUND(COALESCE(SUM(amount), 0), 2) FROM credits "
                        "WHERE credits.customer_id = customers.id)")

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
                cur = self.db.execute("INSERT INTO products (name, category, price, stock, final_sale) "
                                      "VALUES (?, ?, ?, ?, ?)",
                                      (name, category, price, stock, int(rng.random() < 0.12)))
                return_rate[cur.lastrowid] = rng.choice([0.0, 0.03, 0.06, 0.1, 0.45])
        return return_rate

    def _build_customers(self, rng: random.Random) -> None:
        n = {"small": (14, 22), "medium": (20, 34), "large": (36, 50)}[self.variant.scale]
        for name in rng.sample([f"{f} {l}" for f in FIRST for l in LAST], rng.randint(*n)):
            self.db.execute("INSERT INTO customers (name, email, tier, address, store_credit) VALUES (?, ?, ?, ?, 0)", (
                name, name.lower().replace(" ", ".") + "@example.com",
                rng.choices(list(TIERS), [5, 3, 2])[0], self._random_address(rng)))

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
            self.db.execute("INSERT INTO coupons (code, kind, value, category, min_subtotal, min_tier, expires_on, "
                            "active) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (
                                code, kind, float(value), category, float(rng.choice([0, 0, 20, 40, 60, 100])),
                                rng.choices(list(TIERS), [6, 2, 2])[0],
                                (today + dt.timedelta(days=rng.randint(-20, 60))).isoformat(),
                                int(rng.random() < 0.9)))

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
                lines.append({**p, "product_id": p["id"], "quantity": rng.choices([1, 2, 3], [7, 2, 1])[0],
                              "unit_price": round(p["price"] * rng.choice([1, 1, 1, 0.9, 0.85]), 2)})
            subtotal = round(sum(l["quantity"] * l["unit_price"] for l in lines), 2)
            coupon, discount = None, 0.0
            if rng.random() < 0.2:  # past orders may carry coupons that are no longer offered
                usable = [(c, d) for c in coupons
                          if (d := coupon_discount({**c, "active": 1}, lines, customer["tier"], placed)[0]) > 0]
                if usable:
                    coupon, discount = rng.choice(usable)
            status = "pending" if pending else ("cancelled" if rng.random() < 0.07 else "shipped")
            cur = self.db.execute(
                "INSERT INTO orders (customer_id, placed_on, status, ship_address, subtotal, coupon_code, discount, "
                "total, cancel_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (customer["id"], placed, status, customer["address"], subtotal, coupon and coupon["code"], discount,
                 round(subtotal - discount, 2), "customer request" if status == "cancelled" else None))
            order = {"id": cur.lastrowid, "customer": customer, "placed": dt.date.fromisoformat(placed),
                     "total": round(subtotal - discount, 2), "subtotal": subtotal}
            for line in lines:
                line["item_id"] = self.db.execute(
                    "INSERT INTO order_items (order_id, product_id, quantity, unit_price, returned) "
                    "VALUES (?, ?, ?, ?, 0)", (order["id"], line["id"], line["quantity"], line["unit_price"])).lastrowid
            if status == "shipped":
                self._ship(rng, today, order, lines, late_rate, return_rate)

    def _ship(self, rng, today, order, lines, late_rate, return_rate) -> None:
        carrier = rng.choice(sorted(CARRIERS))
        shipped = order["placed"] + dt.timedelta(days=rng.randint(1, 3))
        promised = shipped + dt.timedelta(days=CARRIERS[carrier])
        late = rng.random() < late_rate[carrier]
        delivered = promised + dt.timedelta(days=rng.randint(1, 4) if late else -rng.randint(0, CARRIERS[carrier] - 1))
        arrived = delivered <= today
        self.db.execute("INSERT INTO shipments (order_id, carrier, tracking, shipped_on, promised_by, delivered_on, "
                        "status) VALUES (?, ?, ?, ?, ?, ?, ?)", (
                            order["id"], carrier, f"{carrier[:2].upper()}{rng.randint(10 ** 8, 10 ** 9 - 1)}",
                            shipped.isoformat(), promised.isoformat(), delivered.isoformat() if arrived else None,
                            "delivered" if arrived else "in_transit"))
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
            self.db.execute("INSERT INTO returns (order_id, item_id, created_on, reason, refund_amount, refund_method) "
                            "VALUES (?, ?, ?, ?, ?, ?)", (order["id"], line["item_id"], returned_on.isoformat(),
                                                          rng.choice(RETURN_REASONS), refund, method))
            if method == "store_credit":
                self.db.execute("INSERT INTO credits (customer_id, order_id, kind, amount, created_on, note) VALUES "
                                "(?, ?, 'refund', ?, ?, 'return refund')",
                                (customer["id"], order["id"], refund, returned_on.isoformat()))
        if late and rng.random() < 0.35:
            credit_on = min(today, delivered + dt.timedelta(days=rng.randint(1, 5)))
            self.db.execute("INSERT INTO credits (customer_id, order_id, kind, amount, created_on, note) VALUES "
                            "(?, ?, 'goodwill', ?, ?, 'late delivery')",
                            (customer["id"], order["id"], goodwill_cap(order["total"], self._goodwill_percent()),
                             credit_on.isoformat()))

    # ---- lookups shared by tools and proposers ---------------------------------------------------------

    def _goodwill_percent(self) -> int:
        return 5 if "goodwill_five_percent" in self.variant.rules else 10

    def _credit_tiers(self) -> list[str]:
        """Tiers whose refunds go to store credit."""
        return ["gold", "silver"] if "silver_store_credit" in self.variant.rules else ["gold"]

    def _refund_method(self, tier: str) -> str:
        return "store_credit" if tier in self._credit_tiers() else "original_payment"

    def _today(self) -> str:
        return self.db.execute("SELECT today FROM store").fetchone()[0]

    def _customer(self, customer_id: int) -> dict:
        row = self.db.execute("SELECT * FROM customers WHERE id = ?", (customer_id,)).fetchone()
        if row is None:
            raise ValueError(f"no customer with id {customer_id}; use find_customers to look customers up")
        return dict(row)

    def _order(self, order_id: int) -> dict:
        row = self.db.execute("SELECT * FROM orders WHERE id = ?", (order_id,)).fetchone()
        if row is None:
            raise ValueError(f"no order with id {order_id}; use list_orders to see a customer's orders")
        return dict(row)

    def _lines(self, order_id: int) -> list[dict]:
        return self.rows("SELECT i.id AS item_id, i.product_id, p.name AS product, p.category, p.final_sale, "
                         "i.quantity, i.unit_price, i.returned FROM order_items i "
                         "JOIN products p ON p.id = i.product_id WHERE i.order_id = ? ORDER BY i.id", order_id)

    def _shipment(self, order_id: int) -> dict | None:
        row = self.db.execute("SELECT carrier, tracking, shipped_on, promised_by, delivered_on, status FROM shipments "
                              "WHERE order_id = ?", (order_id,)).fetchone()
        return dict(row) if row else None

    def _coupon(self, code: str) -> dict:
        row = self.db.execute("SELECT * FROM coupons WHERE upper(code) = upper(?)", (code.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"no coupon {code!r}; call list_coupons to see the coupons on offer")
        return dict(row)

    def _pending(self, order_id: int) -> dict:
        order = self._order(order_id)
        if order["status"] != "pending":
            raise ValueError(f"order {order_id} is {order['status']}; only pending (unshipped) orders can be changed")
        return order

    def _return_problem(self, item: dict, shipment: dict | None, today: str) -> str | None:
        """Why an order line cannot be returned today, or None when it can."""
        if item["returned"]:
            return f"item {item['item_id']} was already returned"
        if item["final_sale"]:
            return f"item {item['item_id']} ({item['product']}) is final sale"
        if shipment is None or shipment["delivered_on"] is None:
            return "the order has not been delivered"
        window = return_days(item["category"])
        if days_between(shipment["delivered_on"], today) > window:
            return (f"item {item['item_id']} ({item['product']}) is past its {window}-day return window "
                    f"(delivered {shipment['delivered_on']})")
        return None

    def _best_discount(self, lines: list[dict], tier: str) -> float:
        today = self._today()
        return max([coupon_discount(c, lines, tier, today)[0] for c in self.rows("SELECT * FROM coupons")] + [0.0])

    def _late(self, order_id: int) -> bool:
        s = self._shipment(order_id)
        return bool(s and s["delivered_on"] and s["delivered_on"] > s["promised_by"])

    # ---- read tools ---------------------------------------------------------------------------------

    @tool("read")
    def get_store_info(self) -> dict:
        """The store's current date (today) and its policy numbers: return windows and the goodwill credit cap."""
        row = dict(self.db.execute("SELECT * FROM store").fetchone())
        row.pop("id")
        return row

    @tool("read")
    def find_customers(self, name: str | None = None, email: str | None = None) -> list[dict]:
        """Find customers by (part of) their name or email. Returns id, name, email and loyalty tier.

        Args:
            name: Full or partial customer name, case-insensitive.
            email: Full or partial email address.
        """
        if not name and not email:
            raise ValueError("give a name or an email to search for")
        return self.rows("SELECT id, name, email, tier FROM customers WHERE name LIKE ? AND email LIKE ? ORDER BY id",
                         f"%{(name or '').strip()}%", f"%{(email or '').strip()}%")

    @tool("read")
    def get_customer(self, customer_id: int) -> dict:
        """A customer's profile: loyalty tier (bronze, silver, gold), address on file and store credit balance.

        Args:
            customer_id: The customer's id from find_customers.
        """
        return self._customer(customer_id)

    @tool("read")
    def list_orders(self, customer_id: int,
                    status: Literal["pending", "shipped", "delivered", "cancelled"] | None = None) -> list[dict]:
        """A customer's orders, oldest first: id, date placed, status, coupon and total.

        Args:
            customer_id: The customer's id.
            status: Only orders with this status (pending = not yet shipped).
        """
        self._customer(customer_id)
        return self.rows("SELECT id, placed_on, status, coupon_code, total FROM orders WHERE customer_id = ? "
                         "AND (? IS NULL OR status = ?) ORDER BY placed_on, id", customer_id, status, status)

    @tool("read")
    def get_order(self, order_id: int) -> dict:
        """Full details of one order: its items (with item ids, category, final-sale flag and whether returned),
        amounts, coupon, shipping address, shipment (carrier, promised and delivery dates) and whether a goodwill
        credit was already given for it.

        Args:
            order_id: The order id.
        """
        order = self._order(order_id)
        order.pop("cancel_reason")
        items = self._lines(order_id)
        for item in items:
            item["final_sale"], item["returned"] = bool(item["final_sale"]), bool(item["returned"])
        credited = bool(self.rows("SELECT 1 FROM credits WHERE order_id = ? AND kind = 'goodwill'", order_id))
        return {**order, "items": items, "shipment": self._shipment(order_id), "goodwill_credited": credited}

    @tool("read")
    def track_shipment(self, tracking: str) -> dict:
        """Look up a shipment by its tracking number: order id, carrier, status and dates.

        Args:
            tracking: The tracking number.
        """
        row = self.db.execute("SELECT * FROM shipments WHERE upper(tracking) = upper(?)",
                              (tracking.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"no shipment with tracking number {tracking!r}")
        shipment = dict(row)
        shipment.pop("id")
        return shipment

    @tool("read")
    def search_products(self, query: str | None = None, category: str | None = None, max_price: float | None = None,
                        in_stock_only: bool = False) -> list[dict]:
        """Search the catalog. Returns id, name, category, price, units in stock and the final-sale flag.

        Args:
            query: Words that must appear in the product name.
            category: Only this category (e.g. electronics, home, apparel, books, toys, beauty, sports).
            max_price: Highest price to include.
            in_stock_only: Leave out products with no stock.
        """
        if category and not self.rows("SELECT 1 FROM products WHERE category = lower(?)", category.strip()):
            known = ", ".join(r["category"] for r in self.rows("SELECT DISTINCT category FROM products ORDER BY 1"))
            raise ValueError(f"unknown category {category!r}; the store sells: {known}")
        rows = self.rows("SELECT * FROM products WHERE (? IS NULL OR category = lower(?)) AND price <= ? "
                         "AND stock >= ? ORDER BY category, id", category and category.strip(),
                         category and category.strip(), max_price if max_price is not None else 1e18,
                         1 if in_stock_only else 0)
        words = (query or "").lower().split()
        rows = [r for r in rows if all(w in r["name"].lower() for w in words)]
        for r in rows:
            r["final_sale"] = bool(r["final_sale"])
        return rows

    @tool("read")
    def list_coupons(self) -> list[dict]:
        """Coupons currently on offer with their rules: percent or fixed value, category (null = whole order),
        minimum eligible subtotal, minimum customer tier and expiry date."""
        return self.rows("SELECT code, kind, value, category, min_subtotal, min_tier, expires_on FROM coupons "
                         "WHERE active = 1 ORDER BY code")

    @tool("read")
    def quote_coupon(self, order_id: int, code: str) -> dict:
        """Check whether a coupon applies to an order and what discount it would give, without applying it.

        Args:
            order_id: The order id.
            code: The coupon code.
        """
        order = self._order(order_id)
        coupon = self._coupon(code)
        tier = self._customer(order["customer_id"])["tier"]
        discount, problem = coupon_discount(coupon, self._lines(order_id), tier, self._today())
        return {"code": coupon["code"], "applies": problem is None, "discount": discount, "reason": problem}

    @tool("read")
    def list_returns(self, customer_id: int | None = None, order_id: int | None = None) -> list[dict]:
        """Returns processed so far, optionally only one customer's or one order's: item, product, quantity, date,
        reason, refund amount and refund method.

        Args:
            customer_id: Only returns of this customer.
            order_id: Only returns of this order.
        """
        return self.rows(
            "SELECT r.id, r.order_id, r.item_id, p.name AS product, p.category, i.quantity, r.created_on, r.reason, "
            "r.refund_amount, r.refund_method FROM returns r JOIN order_items i ON i.id = r.item_id "
            "JOIN products p ON p.id = i.product_id JOIN orders o ON o.id = r.order_id "
            "WHERE (? IS NULL OR o.customer_id = ?) AND (? IS NULL OR r.order_id = ?) ORDER BY r.id",
            customer_id, customer_id, order_id, order_id)

    @tool("read")
    def get_credit_history(self, customer_id: int) -> dict:
        """A customer's store credit balance and every credit entry (kind refund, goodwill or promo, with order).

        Args:
            customer_id: The customer's id.
        """
        customer = self._customer(customer_id)
        entries = self.rows("SELECT id, order_id, kind, amount, created_on, note FROM credits WHERE customer_id = ? "
                            "ORDER BY id", customer_id)
        return {"customer_id": customer_id, "balance": customer["store_credit"], "entries": entries}

    # ---- write tools --------------------------------------------------------------------------------

    @tool("write")
    def place_order(self, customer_id: int, items: list[OrderLine], ship_address: str | None = None) -> dict:
        """Place a new order at current catalog prices. It starts pending; stock is reserved at once.

        Args:
            customer_id: The customer's id.
            items: Lines to order, each with product_id and quantity (1-10).
            ship_address: Delivery address; the customer's address on file when omitted.
        """
        customer = self._customer(customer_id)
        if not items:
            raise ValueError("an order needs at least one item")
        wanted: dict[int, int] = {}
        for line in items:
            if not 1 <= line["quantity"] <= 10:
                raise ValueError("quantity must be between 1 and 10")
            wanted[line["product_id"]] = wanted.get(line["product_id"], 0) + line["quantity"]
        products = {}
        for product_id, quantity in wanted.items():
            row = self.db.execute("SELECT * FROM products WHERE id = ?", (product_id,)).fetchone()
            if row is None:
                raise ValueError(f"no product with id {product_id}")
            if row["stock"] < quantity:
                raise ValueError(f"only {row['stock']} units of {row['name']} are in stock, {quantity} requested")
            products[product_id] = dict(row)
        address = (ship_address or "").strip() or customer["address"]
        subtotal = round(sum(products[p]["price"] * q for p, q in wanted.items()), 2)
        order_id = self.db.execute(
            "INSERT INTO orders (customer_id, placed_on, status, ship_address, subtotal, coupon_code, discount, total) "
            "VALUES (?, ?, 'pending', ?, ?, NULL, 0.0, ?)",
            (customer_id, self._today(), address, subtotal, subtotal)).lastrowid
        for product_id, quantity in wanted.items():
            self.db.execute("INSERT INTO order_items (order_id, product_id, quantity, unit_price, returned) "
                            "VALUES (?, ?, ?, ?, 0)", (order_id, product_id, quantity, products[product_id]["price"]))
            self.db.execute("UPDATE products SET stock = stock - ? WHERE id = ?", (quantity, product_id))
        return self.get_order(order_id)

    @tool("write")
    def cancel_order(self, order_id: int, reason: str) -> dict:
        """Cancel a pending (unshipped) order and put its items back in stock.

        Args:
            order_id: The order id.
            reason: Why the order is cancelled.
        """
        self._pending(order_id)
        for line in self._lines(order_id):
            self.db.execute("UPDATE products SET stock = stock + ? WHERE id = ?",
                            (line["quantity"], line["product_id"]))
        self.db.execute("UPDATE orders SET status = 'cancelled', cancel_reason = ? WHERE id = ?", (reason, order_id))
        return {"order_id": order_id, "status": "cancelled"}

    @tool("write")
    def update_address(self, order_id: int, address: str) -> dict:
        """Change the shipping address of a pending (unshipped) order.

        Args:
            order_id: The order id.
            address: The new delivery address.
        """
        self._pending(order_id)
        if not address.strip():
            raise ValueError("the address must not be empty")
        self.db.execute("UPDATE orders SET ship_address = ? WHERE id = ?", (address.strip(), order_id))
        return {"order_id": order_id, "ship_address": address.strip()}

    @tool("write")
    def apply_coupon(self, order_id: int, code: str) -> dict:
        """Apply a coupon to a pending order that has none yet; the discount is computed by the store.

        Args:
            order_id: The order id.
            code: The coupon code.
        """
        order = self._pending(order_id)
        if order["coupon_code"]:
            raise ValueError(f"order {order_id} already uses coupon {order['coupon_code']}; one coupon per order")
        coupon = self._coupon(code)
        tier = self._customer(order["customer_id"])["tier"]
        discount, problem = coupon_discount(coupon, self._lines(order_id), tier, self._today())
        if problem:
            raise ValueError(f"coupon {coupon['code']} does not apply to order {order_id}: {problem}")
        self.db.execute("UPDATE orders SET coupon_code = ?, discount = ?, total = ROUND(subtotal - ?, 2) WHERE id = ?",
                        (coupon["code"], discount, discount, order_id))
        return self.get_order(order_id)

    @tool("write")
    def create_return(self, order_id: int, item_ids: list[int], reason: str,
                      refund_method: Literal["original_payment", "store_credit"]) -> dict:
        """Return whole lines of a delivered order and refund them (the line's share of the order total).

        Args:
            order_id: The order id.
            item_ids: Ids of the order's items to return (from get_order).
            reason: Why the items are returned.
            refund_method: store_credit or original_payment, as the policy prescribes for the customer's tier.
        """
        order = self._order(order_id)
        customer = self._customer(order["customer_id"])
        expected = self._refund_method(customer["tier"])
        if refund_method != expected:
            raise ValueError(f"{customer['tier']}-tier customers are refunded by {expected}, not {refund_method}")
        if not item_ids or len(set(item_ids)) != len(item_ids):
            raise ValueError("give one or more distinct item ids")
        lines = {l["item_id"]: l for l in self._lines(order_id)}
        shipment, today = self._shipment(order_id), self._today()
        refunds = []
        for item_id in item_ids:
            if item_id not in lines:
                raise ValueError(f"item {item_id} is not part of order {order_id}")
            problem = self._return_problem(lines[item_id], shipment, today)
            if problem:
                raise ValueError(f"cannot return item {item_id}: {problem}")
            line = lines[item_id]
            refund = round(line["quantity"] * line["unit_price"] * order["total"] / order["subtotal"], 2)
            self.db.execute("UPDATE order_items SET returned = 1 WHERE id = ?", (item_id,))
            self.db.execute("INSERT INTO returns (order_id, item_id, created_on, reason, refund_amount, refund_method) "
                            "VALUES (?, ?, ?, ?, ?, ?)", (order_id, item_id, today, reason, refund, refund_method))
            refunds.append({"item_id": item_id, "product": line["product"], "refund": refund})
        total = round(sum(r["refund"] for r in refunds), 2)
        if refund_method == "store_credit":
            self._add_credit(customer["id"], order_id, "refund", total, "return refund")
        return {"order_id": order_id, "returned": refunds, "refund_total": total, "refund_method": refund_method}

    @tool("write")
    def issue_store_credit(self, customer_id: int, order_id: int, amount: float, reason: str) -> dict:
        """Give a customer goodwill store credit for an order that was delivered after its promised date.

        Args:
            customer_id: The customer's id.
            order_id: The late order the credit is for.
            amount: Credit amount, at most the policy's share of the order total rounded down to the cent.
            reason: Note stored with the credit.
        """
        self._customer(customer_id)  # raises for an unknown customer
        order = self._order(order_id)
        if order["customer_id"] != customer_id:
            raise ValueError(f"order {order_id} does not belong to customer {customer_id}")
        if not self._late(order_id):
            raise ValueError(f"order {order_id} was not delivered late; goodwill credit is only for late deliveries")
        if self.rows("SELECT 1 FROM credits WHERE order_id = ? AND kind = 'goodwill'", order_id):
            raise ValueError(f"order {order_id} already received a goodwill credit")
        percent = self._goodwill_percent()
        cap = goodwill_cap(order["total"], percent)
        if not 0 < amount <= cap + 1e-9:
            raise ValueError(f"the amount must be positive and at most {cap} ({percent}% of the order total)")
        self._add_credit(customer_id, order_id, "goodwill", round(amount, 2), reason)
        return self.get_credit_history(customer_id)

    def _add_credit(self, customer_id: int, order_id: int, kind: str, amount: float, note: str) -> None:
        self.db.execute("INSERT INTO credits (customer_id, order_id, kind, amount, created_on, note) "
                        "VALUES (?, ?, ?, ?, ?, ?)", (customer_id, order_id, kind, amount, self._today(), note))
        self.db.execute("UPDATE customers SET store_credit = ROUND(store_credit + ?, 2) WHERE id = ?",
                        (amount, customer_id))

    # ---- proposers ----------------------------------------------------------------------------------

    def _customers_with(self, sql: str) -> list[dict]:
        """Customers for whom `sql` (with one ? for the customer id) returns rows, with those rows."""
        found = []
        for c in self.rows("SELECT * FROM customers ORDER BY id"):
            rows = self.rows(sql, c["id"])
            if rows:
                found.append({**c, "rows": rows})
        return found

    def _returnable(self, order_id: int) -> tuple[list[dict], list[dict]]:
        """(returnable, not returnable) lines of an order today."""
        shipment, today = self._shipment(order_id), self._today()
        lines = self._lines(order_id)
        ok = [l for l in lines if self._return_problem(l, shipment, today) is None]
        return ok, [l for l in lines if l not in ok]

    @proposer(difficulty=1)
    def propose_order_carrier(self, rng: random.Random) -> TaskDraft | None:
        order_id = rng.choice(self.rows("SELECT order_id FROM shipments ORDER BY id"))["order_id"]
        return TaskDraft(
            shape="order_carrier",
            instruction=self.render("order_carrier", rng, order_id=order_id),
            solution=Program.of(solve_order_carrier, order_id=order_id),
            verifier=Program.of(verify_name, expected=self._shipment(order_id)["carrier"], candidates=sorted(CARRIERS)),
            tools=self.available_tools("get_order", "track_shipment", "list_orders", "find_customers"),
        )

    @proposer(difficulty=1)
    def propose_product_stock(self, rng: random.Random) -> TaskDraft | None:
        product = rng.choice(self.rows("SELECT name, stock FROM products ORDER BY id"))
        return TaskDraft(
            shape="product_stock",
            instruction=self.render("product_stock", rng, product=product["name"]),
            solution=Program.of(solve_product_stock, product=product["name"]),
            verifier=Program.of(verify_number, expected=product["stock"], tolerance=0),
            tools=self.available_tools("search_products", "list_coupons"),
        )

    @proposer(difficulty=1)
    def propose_credit_balance(self, rng: random.Random) -> TaskDraft | None:
        customers = self.rows("SELECT name, store_credit FROM customers ORDER BY id")
        with_credit = [c for c in customers if c["store_credit"] > 0]
        customer = rng.choice(with_credit if with_credit and rng.random() < 0.8 else customers)
        return TaskDraft(
            shape="credit_balance",
            instruction=self.render("credit_balance", rng, customer=customer["name"]),
            solution=Program.of(solve_credit_balance, customer=customer["name"]),
            verifier=Program.of(verify_number, expected=customer["store_credit"], tolerance=0.005),
            tools=self.available_tools("find_customers", "get_customer", "get_credit_history", "list_orders"),
        )

    @proposer(difficulty=2)
    def propose_category_spend(self, rng: random.Random) -> TaskDraft | None:
        spend_sql = ("SELECT p.category, SUM(i.quantity * i.unit_price) AS spent FROM order_items i "
                     "JOIN orders o ON o.id = i.order_id JOIN products p ON p.id = i.product_id "
                     "WHERE o.customer_id = ? AND o.status != 'cancelled' AND i.returned = 0 GROUP BY p.category")
        customers = self._customers_with(spend_sql)
        if not customers:
            return None
        customer = rng.choice(customers)
        row = rng.choice(customer["rows"])
        spec = {"customer": customer["name"], "category": row["category"]}
        return TaskDraft(
            shape="category_spend",
            instruction=self.render("category_spend", rng, **spec),
            solution=Program.of(solve_category_spend, **spec),
            verifier=Program.of(verify_number, expected=round(row["spent"], 2), tolerance=0.01),
            tools=self.available_tools("find_customers", "get_customer", "list_orders", "get_order", "list_returns",
                              "search_products"),
        )

    @proposer(difficulty=2)
    def propose_most_returned(self, rng: random.Random) -> TaskDraft | None:
        scopes = []  # (category or None for the whole store, its product with the most units returned)
        categories = [r["category"] for r in self.rows("SELECT DISTINCT category FROM products ORDER BY 1")]
        for category in [None] + categories:
            units = self.rows("SELECT p.name, SUM(i.quantity) AS units FROM returns r JOIN order_items i "
                              "ON i.id = r.item_id JOIN products p ON p.id = i.product_id "
                              "WHERE (? IS NULL OR p.category = ?) GROUP BY p.id ORDER BY units DESC, p.name",
                              category, category)
            if units and (len(units) == 1 or units[0]["units"] > units[1]["units"]):
                scopes.append((category, units[0]["name"]))
        if not scopes:
            return None
        category, top = rng.choice(scopes)
        candidates = [r["name"] for r in self.rows("SELECT name FROM products WHERE ? IS NULL OR category = ?",
                                                   category, category)]
        return TaskDraft(
            shape="most_returned",
            instruction=self.render("most_returned", rng, category=category),
            solution=Program.of(solve_most_returned, category=category),
            verifier=Program.of(verify_name, expected=top, candidates=candidates),
            tools=self.available_tools("list_returns", "search_products", "get_order"),
        )

    @proposer(difficulty=2)
    def propose_late_orders(self, rng: random.Random) -> TaskDraft | None:
        customers = self._customers_with(
            "SELECT o.id FROM orders o JOIN shipments s ON s.order_id = o.id WHERE o.customer_id = ? "
            "AND s.delivered_on > s.promised_by ORDER BY o.id")
        if not customers:
            return None
        customer = rng.choice(customers)
        return TaskDraft(
            shape="late_orders",
            instruction=self.render("late_orders", rng, customer=customer["name"]),
            solution=Program.of(solve_late_orders, customer=customer["name"]),
            verifier=Program.of(verify_ids, expected=[r["id"] for r in customer["rows"]]),
            tools=self.available_tools("find_customers", "list_orders", "get_order", "track_shipment", "get_store_info"),
        )

    @proposer(difficulty=3)
    def propose_return_eligible(self, rng: random.Random) -> TaskDraft | None:
        full, mixed = [], []
        for o in self.rows("SELECT id FROM orders WHERE status = 'delivered' ORDER BY id"):
            ok, not_ok = self._returnable(o["id"])
            if ok:
                (mixed if not_ok else full).append((o["id"], ok))
        pool = mixed if mixed and (rng.random() < 0.75 or not full) else full
        if not pool:
            return None
        order_id, ok = rng.choice(pool)
        customer = self._customer(self._order(order_id)["customer_id"])
        spec = {"customer": customer["name"], "order_id": order_id, "reason": rng.choice(RETURN_REASONS)}
        return TaskDraft(
            shape="return_eligible",
            instruction=self.render("return_eligible", rng, **spec),
            solution=Program.of(solve_return_eligible, **spec, credit_tiers=self._credit_tiers()),
            verifier=Program.of(verify_returns, customer_id=customer["id"], item_ids=[l["item_id"] for l in ok],
                                refund_method=self._refund_method(customer["tier"])),
            tools=self.available_tools("get_store_info", "find_customers", "get_customer", "list_orders", "get_order",
                              "list_returns",
                   "create_return", "cancel_order"),
        )

    @proposer(difficulty=3)
    def propose_cancel_unshipped(self, rng: random.Random) -> TaskDraft | None:
        customers = self._customers_with("SELECT id FROM orders WHERE customer_id = ? AND status = 'pending' "
                                         "ORDER BY id")
        if not customers:
            return None
        customer = rng.choice(customers)
        order_ids = [r["id"] for r in customer["rows"]]
        restock: dict[str, int] = {}
        for order_id in order_ids:
            for line in self._lines(order_id):
                restock[str(line["product_id"])] = restock.get(str(line["product_id"]), 0) + line["quantity"]
        return TaskDraft(
            shape="cancel_unshipped",
            instruction=self.render("cancel_unshipped", rng, customer=customer["name"]),
            solution=Program.of(solve_cancel_unshipped, customer=customer["name"]),
            verifier=Program.of(verify_cancelled, order_ids=order_ids, restock=restock),
            tools=self.available_tools("find_customers", "get_customer", "list_orders", "get_order", "cancel_order",
                              "update_address"),
        )

    @proposer(difficulty=3)
    def propose_goodwill_credit(self, rng: random.Random) -> TaskDraft | None:
        customers = self._customers_with(
            "SELECT o.id, o.total FROM orders o JOIN shipments s ON s.order_id = o.id WHERE o.customer_id = ? "
            "AND s.delivered_on > s.promised_by AND NOT EXISTS (SELECT 1 FROM credits c WHERE c.order_id = o.id "
            "AND c.kind = 'goodwill') ORDER BY o.id")
        if not customers:
            return None
        customer = rng.choice(customers)
        return TaskDraft(
            shape="goodwill_credit",
            instruction=self.render("goodwill_credit", rng, customer=customer["name"]),
            solution=Program.of(solve_goodwill_credit, customer=customer["name"],
                                goodwill_percent=self._goodwill_percent()),
            verifier=Program.of(verify_goodwill, customer_id=customer["id"],
                                amounts={str(r["id"]): goodwill_cap(r["total"], self._goodwill_percent())
                                         for r in customer["rows"]}),
            tools=self.available_tools("get_store_info", "find_customers", "get_customer", "list_orders", "get_order",
                   "get_credit_history", "issue_store_credit"),
        )

    @proposer(difficulty=3)
    def propose_best_coupon(self, rng: random.Random) -> TaskDraft | None:
        candidates = []
        for o in self.rows("SELECT o.id, c.name, c.tier FROM orders o JOIN customers c ON c.id = o.customer_id "
                           "WHERE o.status = 'pending' AND o.coupon_code IS NULL ORDER BY o.id"):
            best = self._best_discount(self._lines(o["id"]), o["tier"])
            if best > 0:
                candidates.append((o, best))
        if not candidates:
            return None
        order, best = rng.choice(candidates)
        spec = {"customer": order["name"], "order_id": order["id"]}
        return TaskDraft(
            shape="best_coupon",
            instruction=self.render("best_coupon", rng, **spec),
            solution=Program.of(solve_best_coupon, **spec),
            verifier=Program.of(verify_coupons, discounts={str(order["id"]): best}, addresses={}),
            tools=self.available_tools("find_customers", "get_customer", "get_order", "list_coupons", "quote_coupon",
                              "apply_coupon",
                   "get_store_info"),
        )

    def _cheapest(self, category: str, exclude: int | None = None, final_sale_ok: bool = True) -> float | None:
        prices = [p["price"] for p in self.rows("SELECT id, price, final_sale FROM products WHERE category = ? AND "
                                                "stock > 0", category)
                  if p["id"] != exclude and (final_sale_ok or not p["final_sale"])]
        return min(prices) if prices else None

    @proposer(difficulty=4)
    def propose_exchange(self, rng: random.Random) -> TaskDraft | None:
        options = []
        for o in self.rows("SELECT id, customer_id FROM orders WHERE status = 'delivered' ORDER BY id"):
            for line in self._returnable(o["id"])[0]:
                price = self._cheapest(line["category"], exclude=line["product_id"])
                same_name = [l for l in self._lines(o["id"]) if l["product"] == line["product"]]
                if price is not None and len(same_name) == 1:
                    options.append((o, line, price))
        if not options:
            return None
        order, line, price = rng.choice(options)
        customer = self._customer(order["customer_id"])
        new_line = {"category": line["category"], "quantity": 1, "unit_price": price}
        reason = rng.choice(RETURN_REASONS)
        spec = {"customer": customer["name"], "order_id": order["id"], "product": line["product"], "reason": reason}
        return TaskDraft(
            shape="exchange",
            instruction=self.render("exchange", rng, **spec),
            solution=Program.of(solve_exchange, **spec, credit_tiers=self._credit_tiers()),
            verifier=Program.of(verify_exchange, customer_id=customer["id"], item_id=line["item_id"],
                                product_id=line["product_id"], category=line["category"], price=price,
                                address=customer["address"], discount=self._best_discount([new_line], customer["tier"]),
                                refund_method=self._refund_method(customer["tier"])),
        )

    @proposer(difficulty=4)
    def propose_bundle(self, rng: random.Random) -> TaskDraft | None:
        categories = [r["category"] for r in self.rows("SELECT DISTINCT category FROM products ORDER BY 1")]
        chosen = sorted(rng.sample(categories, rng.choice([2, 3, 3])))
        prices = {c: self._cheapest(c, final_sale_ok=False) for c in chosen}
        if None in prices.values():
            return None
        customer = rng.choice(self.rows("SELECT * FROM customers ORDER BY id"))
        address = self._random_address(rng)
        lines = [{"category": c, "quantity": 1, "unit_price": p} for c, p in prices.items()]
        spec = {"customer": customer["name"], "categories": chosen, "address": address}
        named = ", ".join(chosen[:-1]) + " and " + chosen[-1]
        return TaskDraft(
            shape="bundle",
            instruction=self.render("bundle", rng, **{**spec, "categories": named}),
            solution=Program.of(solve_bundle, **spec),
            verifier=Program.of(verify_bundle, customer_id=customer["id"], prices=prices, address=address,
                                discount=self._best_discount(lines, customer["tier"])),
        )

    @proposer(difficulty=4)
    def propose_relocate(self, rng: random.Random) -> TaskDraft | None:
        customers = [c for c in self._customers_with("SELECT id, coupon_code FROM orders WHERE customer_id = ? "
                                                     "AND status = 'pending' ORDER BY id")
                     if 2 <= len(c["rows"]) <= 3]
        if not customers:
            return None
        customer = rng.choice(customers)
        address = self._random_address(rng)
        if address == customer["address"]:
            return None
        discounts = {str(o["id"]): self._best_discount(self._lines(o["id"]), customer["tier"])
                     for o in customer["rows"] if o["coupon_code"] is None}
        spec = {"customer": customer["name"], "address": address}
        return TaskDraft(
            shape="relocate",
            instruction=self.render("relocate", rng, **spec),
            solution=Program.of(solve_relocate, **spec),
            verifier=Program.of(verify_coupons, discounts=discounts,
                                addresses={str(o["id"]): address for o in customer["rows"]}),
        )

    @proposer(difficulty=5)
    def propose_wrap_up(self, rng: random.Random) -> TaskDraft | None:
        options = []
        for c in self.rows("SELECT * FROM customers ORDER BY id"):
            orders = self.rows("SELECT id, status, total FROM orders WHERE customer_id = ? ORDER BY id", c["id"])
            pending = [o["id"] for o in orders if o["status"] == "pending"]
            returnable = {o["id"]: [l["item_id"] for l in self._returnable(o["id"])[0]]
                          for o in orders if o["status"] == "delivered"}
            items = [i for ids in returnable.values() for i in ids]
            late = {str(o["id"]): goodwill_cap(o["total"], self._goodwill_percent()) for o in orders
                    if self._late(o["id"]) and not self.rows("SELECT 1 FROM credits WHERE order_id = ? AND "
                                                             "kind = 'goodwill'", o["id"])}
            if pending and items and len(pending) + len(returnable) + len(late) >= 3:
                options.append((c, pending, items, late))
        if not options:
            return None
        customer, pending, items, late = rng.choice(options)
        restock: dict[str, int] = {}
        for order_id in pending:
            for line in self._lines(order_id):
                restock[str(line["product_id"])] = restock.get(str(line["product_id"]), 0) + line["quantity"]
        spec = {"customer": customer["name"], "reason": rng.choice(RETURN_REASONS)}
        return TaskDraft(
            shape="wrap_up",
            instruction=self.render("wrap_up", rng, **spec),
            solution=Program.of(solve_wrap_up, **spec, credit_tiers=self._credit_tiers(),
                                goodwill_percent=self._goodwill_percent()),
            verifier=Program.of(verify_wrap_up, customer_id=customer["id"], cancel_ids=pending, restock=restock,
                                item_ids=items, refund_method=self._refund_method(customer["tier"]), goodwill=late),
        )

    @proposer(difficulty=5)
    def propose_budget_bundle(self, rng: random.Random) -> TaskDraft | None:
        categories = [r["category"] for r in self.rows("SELECT DISTINCT category FROM products ORDER BY 1")]
        chosen = sorted(rng.sample(categories, min(len(categories), rng.choice([3, 3, 4]))))
        prices = {c: self._cheapest(c, final_sale_ok=False) for c in chosen}
        if None in prices.values():
            return None
        customer = rng.choice(self.rows("SELECT * FROM customers ORDER BY id"))
        drop = rng.choice(chosen)

        def total(cats: list[str]) -> tuple[float, float]:
            lines = [{"category": c, "quantity": 1, "unit_price": prices[c]} for c in cats]
            discount = self._best_discount(lines, customer["tier"])
            return round(sum(prices[c] for c in cats) - discount, 2), discount

        full, full_discount = total(chosen)
        kept = [c for c in chosen if c != drop]
        reduced, reduced_discount = total(kept)
        if rng.random() < 0.5:  # the whole bundle fits
            budget, expected, discount = float(int(full) + rng.randint(1, 25)), chosen, full_discount
        else:
            budget = round(reduced + (full - reduced) * rng.uniform(0.1, 0.8), 2)
            if not reduced <= budget < full - 0.01:
                return None
            expected, discount = kept, reduced_discount
        spec = {"customer": customer["name"], "categories": chosen, "budget": budget, "drop": drop}
        named = ", ".join(chosen[:-1]) + " and " + chosen[-1]
        return TaskDraft(
            shape="budget_bundle",
            instruction=self.render("budget_bundle", rng, **{**spec, "categories": named}),
            solution=Program.of(solve_budget_bundle, **spec),
            verifier=Program.of(verify_bundle, customer_id=customer["id"], address=customer["address"],
                                prices={c: prices[c] for c in expected}, discount=discount),
        )

# ---- solutions: tools and computation only --------------------------------------------------------

def solve_order_carrier(tools, params):
    return tools.get_order(order_id=params["order_id"])["shipment"]["carrier"]


def solve_product_stock(tools, params):
    products = tools.search_products(query=params["product"])
    return next(p["stock"] for p in products if p["name"] == params["product"])


def solve_credit_balance(tools, params):
    customer = next(c for c in tools.find_customers(name=params["customer"]) if c["name"] == params["customer"])
    return tools.get_customer(customer_id=customer["id"])["store_credit"]


def solve_category_spend(tools, params):
    customer = next(c for c in tools.find_customers(name=params["customer"]) if c["name"] == params["customer"])
    spent = 0.0
    for summary in tools.list_orders(customer_id=customer["id"]):
        if summary["status"] == "cancelled":
            continue
        for item in tools.get_order(order_id=summary["id"])["items"]:
            if item["category"] == params["category"] and not item["returned"]:
                spent += item["quantity"] * item["unit_price"]
    return round(spent, 2)


def solve_most_returned(tools, params):
    units = {}
    for r in tools.list_returns():
        if params["category"] is None or r["category"] == params["category"]:
            units[r["product"]] = units.get(r["product"], 0) + r["quantity"]
    return max(units, key=units.get)


def solve_late_orders(tools, params):
    customer = next(c for c in tools.find_customers(name=params["customer"]) if c["name"] == params["customer"])
    late = []
    for summary in tools.list_orders(customer_id=customer["id"], status="delivered"):
        shipment = tools.get_order(order_id=summary["id"])["shipment"]
        if shipment["delivered_on"] > shipment["promised_by"]:
            late.append(summary["id"])
    return late


def solve_return_eligible(tools, params):
    import datetime as dt

    info = tools.get_store_info()
    customer = next(c for c in tools.find_customers(name=params["customer"]) if c["name"] == params["customer"])
    order = tools.get_order(order_id=params["order_id"])
    age = (dt.date.fromisoformat(info["today"]) - dt.date.fromisoformat(order["shipment"]["delivered_on"])).days
    item_ids = []
    for item in order["items"]:
        window = info["electronics_return_days"] if item["category"] == "electronics" else info["return_days"]
        if not item["returned"] and not item["final_sale"] and age <= window:
            item_ids.append(item["item_id"])
    method = "store_credit" if customer["tier"] in params["credit_tiers"] else "original_payment"
    tools.create_return(order_id=order["id"], item_ids=item_ids, reason=params["reason"], refund_method=method)
    return f"Returned items {item_ids}, refunded by {method}"


def solve_cancel_unshipped(tools, params):
    customer = next(c for c in tools.find_customers(name=params["customer"]) if c["name"] == params["customer"])
    cancelled = []
    for summary in tools.list_orders(customer_id=customer["id"], status="pending"):
        tools.cancel_order(order_id=summary["id"], reason="customer request")
        cancelled.append(summary["id"])
    return f"Cancelled orders {cancelled}"


def solve_goodwill_credit(tools, params):
    customer = next(c for c in tools.find_customers(name=params["customer"]) if c["name"] == params["customer"])
    issued = []
    for summary in tools.list_orders(customer_id=customer["id"], status="delivered"):
        order = tools.get_order(order_id=summary["id"])
        shipment = order["shipment"]
        if shipment["delivered_on"] > shipment["promised_by"] and not order["goodwill_credited"]:
            amount = round(summary["total"] * 100) * params["goodwill_percent"] // 100 / 100
            tools.issue_store_credit(customer_id=customer["id"], order_id=summary["id"], amount=amount,
                                     reason="late delivery")
            issued.append((summary["id"], amount))
    return f"Issued goodwill credits {issued}"


def solve_best_coupon(tools, params):
    best = None
    for coupon in tools.list_coupons():
        quote = tools.quote_coupon(order_id=params["order_id"], code=coupon["code"])
        if quote["applies"] and (best is None or quote["discount"] > best["discount"]):
            best = quote
    tools.apply_coupon(order_id=params["order_id"], code=best["code"])
    return f"Applied {best['code']} saving {best['discount']}"


def solve_exchange(tools, params):
    customer = next(c for c in tools.find_customers(name=params["customer"]) if c["name"] == params["customer"])
    tier = tools.get_customer(customer_id=customer["id"])["tier"]
    order = tools.get_order(order_id=params["order_id"])
    item = next(i for i in order["items"] if i["product"] == params["product"])
    tools.create_return(order_id=order["id"], item_ids=[item["item_id"]], reason=params["reason"],
                        refund_method="store_credit" if tier in params["credit_tiers"] else "original_payment")
    options = [p for p in tools.search_products(category=item["category"], in_stock_only=True)
               if p["id"] != item["product_id"]]
    pick = min(options, key=lambda p: (p["price"], p["id"]))
    new = tools.place_order(customer_id=customer["id"], items=[{"product_id": pick["id"], "quantity": 1}])
    best = None
    for coupon in tools.list_coupons():
        if coupon["category"] not in (None, pick["category"]):
            continue
        quote = tools.quote_coupon(order_id=new["id"], code=coupon["code"])
        if quote["applies"] and (best is None or quote["discount"] > best["discount"]):
            best = quote
    if best:
        tools.apply_coupon(order_id=new["id"], code=best["code"])
    return f"Returned {params['product']}; new order {new['id']} for {pick['name']}" + (
        f" with coupon {best['code']}" if best else "")


def solve_bundle(tools, params):
    customer = next(c for c in tools.find_customers(name=params["customer"]) if c["name"] == params["customer"])
    picks = []
    for category in params["categories"]:
        options = [p for p in tools.search_products(category=category, in_stock_only=True) if not p["final_sale"]]
        picks.append(min(options, key=lambda p: (p["price"], p["id"])))
    order = tools.place_order(customer_id=customer["id"], items=[{"product_id": p["id"], "quantity": 1} for p in picks],
                              ship_address=params["address"])
    best = None
    for coupon in tools.list_coupons():
        if coupon["category"] not in [None] + params["categories"]:
            continue
        quote = tools.quote_coupon(order_id=order["id"], code=coupon["code"])
        if quote["applies"] and (best is None or quote["discount"] > best["discount"]):
            best = quote
    if best:
        tools.apply_coupon(order_id=order["id"], code=best["code"])
    return f"Order {order['id']}: {[p['name'] for p in picks]}" + (f", coupon {best['code']}" if best else "")


def solve_relocate(tools, params):
    customer = next(c for c in tools.find_customers(name=params["customer"]) if c["name"] == params["customer"])
    tier = tools.get_customer(customer_id=customer["id"])["tier"]
    today = tools.get_store_info()["today"]
    ranks = {"bronze": 0, "silver": 1, "gold": 2}
    coupons = [c for c in tools.list_coupons() if c["expires_on"] >= today and ranks[c["min_tier"]] <= ranks[tier]]
    done = []
    for summary in tools.list_orders(customer_id=customer["id"], status="pending"):
        tools.update_address(order_id=summary["id"], address=params["address"])
        if summary["coupon_code"]:
            continue
        items = tools.get_order(order_id=summary["id"])["items"]
        best = (0, None)
        for c in coupons:  # the discount rules of the policy, worked out by hand instead of quoting every coupon
            eligible = round(sum(i["quantity"] * i["unit_price"] for i in items
                                 if c["category"] in (None, i["category"])), 2)
            if eligible <= 0 or eligible < c["min_subtotal"]:
                continue
            percent = c["kind"] == "percent"
            saving = round(eligible * c["value"] / 100 + 1e-9, 2) if percent else min(c["value"], eligible)
            if saving > best[0]:
                best = (saving, c["code"])
        if best[1]:
            tools.apply_coupon(order_id=summary["id"], code=best[1])
        done.append((summary["id"], best[1]))
    return f"Updated orders {done}"


def solve_wrap_up(tools, params):
    import datetime as dt

    info = tools.get_store_info()
    customer = next(c for c in tools.find_customers(name=params["customer"]) if c["name"] == params["customer"])
    method = "store_credit" if customer["tier"] in params["credit_tiers"] else "original_payment"
    done = []
    for summary in tools.list_orders(customer_id=customer["id"]):
        if summary["status"] == "pending":
            tools.cancel_order(order_id=summary["id"], reason="account closed")
            done.append(f"cancelled {summary['id']}")
        if summary["status"] != "delivered":
            continue
        order = tools.get_order(order_id=summary["id"])
        shipment = order["shipment"]
        age = (dt.date.fromisoformat(info["today"]) - dt.date.fromisoformat(shipment["delivered_on"])).days
        windows = {"electronics": info["electronics_return_days"]}
        item_ids = [i["item_id"] for i in order["items"] if not i["returned"] and not i["final_sale"]
                    and age <= windows.get(i["category"], info["return_days"])]
        if item_ids:
            tools.create_return(order_id=order["id"], item_ids=item_ids, reason=params["reason"], refund_method=method)
            done.append(f"returned {item_ids}")
        if shipment["delivered_on"] > shipment["promised_by"] and not order["goodwill_credited"]:
            amount = round(order["total"] * 100) * params["goodwill_percent"] // 100 / 100
            tools.issue_store_credit(customer_id=customer["id"], order_id=order["id"], amount=amount,
                                     reason="late delivery")
            done.append(f"credit {amount} for order {order['id']}")
    return "; ".join(done)


def solve_budget_bundle(tools, params):
    customer = next(c for c in tools.find_customers(name=params["customer"]) if c["name"] == params["customer"])
    tier = tools.get_customer(customer_id=customer["id"])["tier"]
    today = tools.get_store_info()["today"]
    ranks = {"bronze": 0, "silver": 1, "gold": 2}
    coupons = [c for c in tools.list_coupons() if c["expires_on"] >= today and ranks[c["min_tier"]] <= ranks[tier]]
    picks = {}
    for category in params["categories"]:
        options = [p for p in tools.search_products(category=category, in_stock_only=True) if not p["final_sale"]]
        picks[category] = min(options, key=lambda p: (p["price"], p["id"]))

    def best(chosen):  # (saving, code) of the best coupon for one unit of each chosen product
        top = (0, None)
        for c in coupons:
            eligible = round(sum(p["price"] for p in chosen if c["category"] in (None, p["category"])), 2)
            if eligible <= 0 or eligible < c["min_subtotal"]:
                continue
            percent = c["kind"] == "percent"
            saving = round(eligible * c["value"] / 100 + 1e-9, 2) if percent else min(c["value"], eligible)
            if saving > top[0]:
                top = (saving, c["code"])
        return top

    chosen = list(picks.values())
    if round(sum(p["price"] for p in chosen) - best(chosen)[0], 2) > params["budget"]:
        chosen = [p for p in chosen if p["category"] != params["drop"]]
    order = tools.place_order(customer_id=customer["id"],
                              items=[{"product_id": p["id"], "quantity": 1} for p in chosen])
    code = best(chosen)[1]
    if code:
        tools.apply_coupon(order_id=order["id"], code=code)
    return f"Order {order['id']}: {[p['name'] for p in chosen]}" + (f", coupon {code}" if code else "")

# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_name(outcome, params):
    from verifiers.answers import mentioned, mentions_exactly

    ok = mentions_exactly(outcome.answer, [params["expected"]], params["candidates"])
    return ok, [] if ok else [f"expected exactly {params['expected']!r}, answer names "
                              f"{sorted(mentioned(outcome.answer, params['candidates'] + [params['expected']]))}"]


def verify_ids(outcome, params):
    from verifiers.answers import only_numbers

    ok = only_numbers(outcome.answer, params["expected"])
    return ok, [] if ok else [f"expected exactly the ids {params['expected']}, got {outcome.answer!r}"]


def verify_returns(outcome, params):
    from verifiers.state import column_deltas, diff_table, unchanged

    added, removed, changed = diff_table(outcome.initial, outcome.db, "returns")
    reasons = []
    if removed or changed or sorted(r["item_id"] for r in added) != sorted(params["item_ids"]):
        return False, [f"expected returns of items {sorted(params['item_ids'])}; new returns cover "
                       f"{sorted(r['item_id'] for r in added)}, {len(changed) + len(removed)} old ones altered"]
    if any(r["refund_method"] != params["refund_method"] for r in added):
        reasons.append(f"refunds must go to {params['refund_method']}")
    items = column_deltas(outcome.initial, outcome.db, "order_items", "returned")
    if sorted(items) != sorted(params["item_ids"]) or diff_table(outcome.initial, outcome.db, "order_items")[0]:
        reasons.append(f"order items changed other than marking {params['item_ids']} returned")
    refunded = round(sum(r["refund_amount"] for r in added), 2)
    credit = column_deltas(outcome.initial, outcome.db, "customers", "store_credit")
    wanted = {params["customer_id"]: refunded} if params["refund_method"] == "store_credit" else {}
    if set(credit) != set(wanted) or any(abs(credit[k] - v) > 0.011 for k, v in wanted.items()):
        reasons.append(f"store credit changes {credit} do not match the refund {wanted}")
    credits, gone, altered = diff_table(outcome.initial, outcome.db, "credits")
    if gone or altered or abs(sum(c["amount"] for c in credits) - wanted.get(params["customer_id"], 0)) > 0.011 or any(
            (c["customer_id"], c["kind"]) != (params["customer_id"], "refund") for c in credits):
        reasons.append("credit entries do not match the store-credit refund")
    if other := unchanged(outcome.initial, outcome.db, ["orders", "products", "shipments", "coupons", "store"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons


def verify_cancelled(outcome, params):
    from verifiers.state import column_deltas, diff_table, unchanged

    added, removed, changed = diff_table(outcome.initial, outcome.db, "orders")
    reasons = []
    if added or removed or sorted(o["id"] for o in changed) != sorted(params["order_ids"]):
        reasons.append(f"expected exactly orders {params['order_ids']} to change; changed "
                       f"{[o['id'] for o in changed]}, added {len(added)}, removed {len(removed)}")
    if any(o["status"] != "cancelled" for o in changed):
        reasons.append("a changed order is not cancelled")
    stock = {str(k): v for k, v in column_deltas(outcome.initial, outcome.db, "products", "stock").items()}
    if stock != params["restock"]:
        reasons.append(f"stock changes {stock} differ from the restock of the cancelled items {params['restock']}")
    if other := unchanged(outcome.initial, outcome.db, ["customers", "order_items", "shipments", "returns", "credits",
                                                        "coupons", "store"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons


def verify_goodwill(outcome, params):
    from verifiers.state import column_deltas, diff_table, unchanged

    added, removed, changed = diff_table(outcome.initial, outcome.db, "credits")
    if removed or changed or sorted(str(c["order_id"]) for c in added) != sorted(params["amounts"]):
        return False, [f"expected one new credit for each of orders {sorted(params['amounts'])}; new credits are for "
                       f"{sorted(c['order_id'] for c in added)}"]
    reasons = []
    for c in added:
        want = params["amounts"][str(c["order_id"])]
        if c["customer_id"] != params["customer_id"] or c["kind"] != "goodwill" or abs(c["amount"] - want) > 0.005:
            reasons.append(f"credit for order {c['order_id']} is {c['kind']} {c['amount']}, expected goodwill {want}")
    credit = column_deltas(outcome.initial, outcome.db, "customers", "store_credit")
    total = sum(c["amount"] for c in added)
    if set(credit) != {params["customer_id"]} or abs(credit[params["customer_id"]] - total) > 0.011:
        reasons.append(f"balance changes {credit} do not add up to the credits issued ({total})")
    if other := unchanged(outcome.initial, outcome.db, ["orders", "order_items", "products", "returns", "shipments",
                                                        "coupons", "store"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons


def verify_coupons(outcome, params):
    """Orders in `addresses` must ship there; orders in `discounts` must carry a coupon worth that much (none if 0)."""
    from verifiers.state import diff_table, unchanged

    added, removed, changed = diff_table(outcome.initial, outcome.db, "orders")
    expected_ids = {int(k) for k, v in params["discounts"].items() if v > 0} | {int(k) for k in params["addresses"]}
    if added or removed or {o["id"] for o in changed} != expected_ids:
        return False, [f"expected changes to orders {sorted(expected_ids)}; changed {[o['id'] for o in changed]}, "
                       f"added {len(added)}, removed {len(removed)}"]
    reasons = []
    before = {o["id"]: o for o in outcome.initial_rows("SELECT * FROM orders")}
    for order in changed:
        key, old = str(order["id"]), before[order["id"]]
        want_address = params["addresses"].get(key, old["ship_address"])
        if " ".join(order["ship_address"].lower().split()) != " ".join(want_address.lower().split()):
            reasons.append(f"order {key} ships to {order['ship_address']!r}, expected {want_address!r}")
        want = params["discounts"].get(key, 0) or old["discount"]
        if abs(order["discount"] - want) > 0.005 or abs(order["total"] + order["discount"] - order["subtotal"]) > 0.011:
            reasons.append(f"order {key} has discount {order['discount']} and total {order['total']}; the best coupon "
                           f"gives {want}")
        kept = not old["coupon_code"] or order["coupon_code"] == old["coupon_code"]
        if (order["coupon_code"] is None) != (want == 0) or not kept:
            reasons.append(f"order {key} has coupon {order['coupon_code']!r}")
        if any(order[f] != old[f] for f in ("status", "customer_id", "subtotal", "placed_on")):
            reasons.append(f"order {key} changed beyond address and coupon")
    if other := unchanged(outcome.initial, outcome.db, ["customers", "products", "order_items", "shipments", "returns",
                                                        "credits", "coupons", "store"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons


def verify_exchange(outcome, params):
    from verifiers.state import column_deltas, diff_table, unchanged

    reasons = []
    returns, gone, altered = diff_table(outcome.initial, outcome.db, "returns")
    if [r["item_id"] for r in returns] != [params["item_id"]] or gone or altered:
        return False, [f"expected exactly one new return, of item {params['item_id']}"]
    if returns[0]["refund_method"] != params["refund_method"]:
        reasons.append(f"refund must go to {params['refund_method']}")
    orders, gone, altered = diff_table(outcome.initial, outcome.db, "orders")
    if len(orders) != 1 or gone or altered:
        return False, reasons + [f"expected exactly one new order and no other order changes; {len(orders)} added, "
                                 f"{len(altered)} changed"]
    order = orders[0]
    lines = outcome.rows("SELECT i.*, p.category FROM order_items i JOIN products p ON p.id = i.product_id "
                         "WHERE i.order_id = ?", order["id"])
    if len(lines) != 1 or lines[0]["quantity"] != 1:
        return False, reasons + [f"the new order should hold one unit of one product, it has {len(lines)} lines"]
    line = lines[0]
    stocked = outcome.initial_rows("SELECT stock FROM products WHERE id = ?", line["product_id"])[0]["stock"]
    if line["category"] != params["category"] or line["product_id"] == params["product_id"] or stocked < 1:
        reasons.append(f"product {line['product_id']} is not another in-stock {params['category']} product")
    if abs(line["unit_price"] - params["price"]) > 0.005:
        reasons.append(f"product costs {line['unit_price']}, the cheapest alternative costs {params['price']}")
    if order["customer_id"] != params["customer_id"] or order["ship_address"].lower() != params["address"].lower():
        reasons.append("the new order is not for the customer at their address on file")
    off = abs(order["total"] + order["discount"] - order["subtotal"]) > 0.011
    if off or abs(order["discount"] - params["discount"]) > 0.005:
        reasons.append(f"new order discount {order['discount']}, the best applicable coupon gives {params['discount']}")
    if column_deltas(outcome.initial, outcome.db, "products", "stock") != {line["product_id"]: -1}:
        reasons.append("stock changed other than one unit of the new product")
    items = diff_table(outcome.initial, outcome.db, "order_items")
    if [i["id"] for i in items[2]] != [params["item_id"]] or items[1] or len(items[0]) != 1:
        reasons.append("order items changed beyond the return and the new line")
    credit = column_deltas(outcome.initial, outcome.db, "customers", "store_credit")
    wanted = {params["customer_id"]: returns[0]["refund_amount"]} if params["refund_method"] == "store_credit" else {}
    if set(credit) != set(wanted) or any(abs(credit[k] - v) > 0.011 for k, v in wanted.items()):
        reasons.append(f"store credit changes {credit} do not match the refund")
    if other := unchanged(outcome.initial, outcome.db, ["shipments", "coupons", "store"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons


def verify_bundle(outcome, params):
    from verifiers.state import column_deltas, diff_table, unchanged

    orders, gone, altered = diff_table(outcome.initial, outcome.db, "orders")
    if len(orders) != 1 or gone or altered:
        return False, [f"expected exactly one new order and no other order changes; {len(orders)} added, "
                       f"{len(altered)} changed"]
    order, reasons = orders[0], []
    lines = outcome.rows("SELECT i.*, p.category, p.final_sale FROM order_items i JOIN products p ON "
                         "p.id = i.product_id WHERE i.order_id = ?", order["id"])
    if sorted(l["category"] for l in lines) != sorted(params["prices"]) or any(l["quantity"] != 1 for l in lines):
        return False, [f"expected one unit from each of {sorted(params['prices'])}; got "
                       f"{[(l['category'], l['quantity']) for l in lines]}"]
    for line in lines:
        if line["final_sale"] or abs(line["unit_price"] - params["prices"][line["category"]]) > 0.005:
            reasons.append(f"{line['category']} pick costs {line['unit_price']} (final sale: {line['final_sale']}); "
                           f"the cheapest eligible costs {params['prices'][line['category']]}")
    if order["customer_id"] != params["customer_id"]:
        reasons.append("the order is for the wrong customer")
    if " ".join(order["ship_address"].lower().split()) != " ".join(params["address"].lower().split()):
        reasons.append(f"ships to {order['ship_address']!r}, not {params['address']!r}")
    off = abs(order["total"] + order["discount"] - order["subtotal"]) > 0.011
    if off or abs(order["discount"] - params["discount"]) > 0.005:
        reasons.append(f"discount {order['discount']}, the best applicable coupon gives {params['discount']}")
    if column_deltas(outcome.initial, outcome.db, "products", "stock") != {l["product_id"]: -1 for l in lines}:
        reasons.append("stock changed other than one unit of each ordered product")
    items = diff_table(outcome.initial, outcome.db, "order_items")
    if items[1] or items[2]:
        reasons.append("existing order items changed")
    if other := unchanged(outcome.initial, outcome.db, ["customers", "shipments", "returns", "credits", "coupons",
                                                        "store"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons


def verify_wrap_up(outcome, params):
    from verifiers.state import column_deltas, diff_table, unchanged

    reasons = []
    added, removed, changed = diff_table(outcome.initial, outcome.db, "orders")
    if added or removed or [o["id"] for o in changed] != sorted(params["cancel_ids"]) or any(
            o["status"] != "cancelled" for o in changed):
        reasons.append(f"expected exactly orders {params['cancel_ids']} cancelled; changed "
                       f"{[o['id'] for o in changed]}, "
                       f"added {len(added)}")
    stock = {str(k): v for k, v in column_deltas(outcome.initial, outcome.db, "products", "stock").items()}
    if stock != params["restock"]:
        reasons.append(f"stock changes {stock} differ from the restock of the cancelled orders {params['restock']}")
    returns, gone, altered = diff_table(outcome.initial, outcome.db, "returns")
    if gone or altered or sorted(r["item_id"] for r in returns) != sorted(params["item_ids"]):
        reasons.append(f"expected returns of items {sorted(params['item_ids'])}, got "
                       f"{sorted(r['item_id'] for r in returns)}")
    if any(r["refund_method"] != params["refund_method"] for r in returns):
        reasons.append(f"refunds must go to {params['refund_method']}")
    items = diff_table(outcome.initial, outcome.db, "order_items")
    if items[0] or items[1] or sorted(column_deltas(outcome.initial, outcome.db, "order_items", "returned")) != sorted(
            params["item_ids"]):
        reasons.append("order items changed other than marking the returned ones")
    credits, gone, altered = diff_table(outcome.initial, outcome.db, "credits")
    goodwill = {str(c["order_id"]): c["amount"] for c in credits if c["kind"] == "goodwill"}
    if gone or altered or sorted(goodwill) != sorted(params["goodwill"]) or any(
            abs(goodwill[k] - v) > 0.005 for k, v in params["goodwill"].items()):
        reasons.append(f"goodwill credits {goodwill} differ from the maximum allowed {params['goodwill']}")
    refund_credit = round(sum(c["amount"] for c in credits if c["kind"] == "refund"), 2)
    want_refund = round(sum(r["refund_amount"] for r in returns), 2) if params["refund_method"] == "store_credit" else 0
    if abs(refund_credit - want_refund) > 0.011 or any(c["kind"] not in ("refund", "goodwill") or
                                                       c["customer_id"] != params["customer_id"] for c in credits):
        reasons.append(f"refund credits {refund_credit} do not match the store-credit refunds {want_refund}")
    balance = column_deltas(outcome.initial, outcome.db, "customers", "store_credit")
    total = round(sum(c["amount"] for c in credits), 2)
    if (set(balance) != ({params["customer_id"]} if total else set())
            or abs(balance.get(params["customer_id"], 0) - total) > 0.011):
        reasons.append(f"balance changes {balance} do not add up to the credits issued ({total})")
    if other := unchanged(outcome.initial, outcome.db, ["shipments", "coupons", "store"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons
