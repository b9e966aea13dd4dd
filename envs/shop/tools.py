"""The shop's tools: lookups, and writes that enforce the store's policy."""

from __future__ import annotations

from typing import Literal

from typing_extensions import TypedDict

from synth.env import tool

from .world import coupon_discount, days_between, goodwill_cap, return_days


class OrderLine(TypedDict):
    product_id: int
    quantity: int


class ShopTools:
    # ---- lookups shared by tools and proposers ---------------------------------------------------------

    def _goodwill_percent(self) -> int:
        return 5 if "goodwill_five_percent" in self.variant.rules else 10

    def _credit_tiers(self) -> list[str]:
        """Tiers whose refunds go to store credit."""
        return ["gold", "silver"] if "silver_store_credit" in self.variant.rules else ["gold"]

    def _refund_method(self, tier: str) -> str:
        return "store_credit" if tier in self._credit_tiers() else "original_payment"

    def _today(self) -> str:
        return self.value("SELECT today FROM store")

    def _customer(self, customer_id: int) -> dict:
        return self.one(
            "SELECT * FROM customers WHERE id = ?",
            customer_id,
            missing=f"no customer with id {customer_id}; use find_customers to look customers up",
        )

    def _order(self, order_id: int) -> dict:
        return self.one(
            "SELECT * FROM orders WHERE id = ?",
            order_id,
            missing=f"no order with id {order_id}; use list_orders to see a customer's orders",
        )

    def _lines(self, order_id: int) -> list[dict]:
        return self.rows(
            "SELECT i.id AS item_id, i.product_id, p.name AS product, p.category, p.final_sale, "
            "i.quantity, i.unit_price, i.returned FROM order_items i "
            "JOIN products p ON p.id = i.product_id WHERE i.order_id = ? ORDER BY i.id",
            order_id,
        )

    def _shipment(self, order_id: int) -> dict | None:
        rows = self.rows(
            "SELECT carrier, tracking, shipped_on, promised_by, delivered_on, status FROM shipments WHERE order_id = ?",
            order_id,
        )
        return rows[0] if rows else None

    def _coupon(self, code: str) -> dict:
        return self.one(
            "SELECT * FROM coupons WHERE upper(code) = upper(?)",
            code.strip(),
            missing=f"no coupon {code!r}; call list_coupons to see the coupons on offer",
        )

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
            return (
                f"item {item['item_id']} ({item['product']}) is past its {window}-day return window "
                f"(delivered {shipment['delivered_on']})"
            )
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
        return self.one(
            "SELECT today, return_days, electronics_return_days, goodwill_percent FROM store",
            missing="the store is not set up",
        )

    @tool("read")
    def find_customers(self, name: str | None = None, email: str | None = None) -> list[dict]:
        """Find customers by (part of) their name or email. Returns id, name, email and loyalty tier.

        Args:
            name: Full or partial customer name, case-insensitive.
            email: Full or partial email address.
        """
        if not name and not email:
            raise ValueError("give a name or an email to search for")
        return self.rows(
            "SELECT id, name, email, tier FROM customers WHERE name LIKE ? AND email LIKE ? ORDER BY id",
            f"%{(name or '').strip()}%",
            f"%{(email or '').strip()}%",
        )

    @tool("read")
    def get_customer(self, customer_id: int) -> dict:
        """A customer's profile: loyalty tier (bronze, silver, gold), address on file and store credit balance.

        Args:
            customer_id: The customer's id from find_customers.
        """
        return self._customer(customer_id)

    @tool("read")
    def list_orders(
        self, customer_id: int, status: Literal["pending", "shipped", "delivered", "cancelled"] | None = None
    ) -> list[dict]:
        """A customer's orders, oldest first: id, date placed, status, coupon and total.

        Args:
            customer_id: The customer's id.
            status: Only orders with this status (pending = not yet shipped).
        """
        self._customer(customer_id)
        return self.rows(
            "SELECT id, placed_on, status, coupon_code, total FROM orders WHERE customer_id = ? "
            "AND (? IS NULL OR status = ?) ORDER BY placed_on, id",
            customer_id,
            status,
            status,
        )

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
        return self.one(
            "SELECT order_id, carrier, tracking, shipped_on, promised_by, delivered_on, status FROM "
            "shipments WHERE upper(tracking) = upper(?)",
            tracking.strip(),
            missing=f"no shipment with tracking number {tracking!r}; get_order shows an order's shipment",
        )

    @tool("read")
    def search_products(
        self,
        query: str | None = None,
        category: str | None = None,
        max_price: float | None = None,
        in_stock_only: bool = False,
    ) -> list[dict]:
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
        rows = self.rows(
            "SELECT * FROM products WHERE (? IS NULL OR category = lower(?)) AND price <= ? "
            "AND stock >= ? ORDER BY category, id",
            category and category.strip(),
            category and category.strip(),
            max_price if max_price is not None else 1e18,
            1 if in_stock_only else 0,
        )
        words = (query or "").lower().split()
        rows = [r for r in rows if all(w in r["name"].lower() for w in words)]
        for r in rows:
            r["final_sale"] = bool(r["final_sale"])
        return rows

    @tool("read")
    def list_coupons(self) -> list[dict]:
        """Coupons currently on offer with their rules: percent or fixed value, category (null = whole order),
        minimum eligible subtotal, minimum customer tier and expiry date."""
        return self.rows(
            "SELECT code, kind, value, category, min_subtotal, min_tier, expires_on FROM coupons "
            "WHERE active = 1 ORDER BY code"
        )

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
            customer_id,
            customer_id,
            order_id,
            order_id,
        )

    @tool("read")
    def get_credit_history(self, customer_id: int) -> dict:
        """A customer's store credit balance and every credit entry (kind refund, goodwill or promo, with order).

        Args:
            customer_id: The customer's id.
        """
        customer = self._customer(customer_id)
        entries = self.rows(
            "SELECT id, order_id, kind, amount, created_on, note FROM credits WHERE customer_id = ? ORDER BY id",
            customer_id,
        )
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
            row = self.one(
                "SELECT * FROM products WHERE id = ?",
                product_id,
                missing=f"no product with id {product_id}; use search_products to find products",
            )
            if row["stock"] < quantity:
                raise ValueError(f"only {row['stock']} units of {row['name']} are in stock, {quantity} requested")
            products[product_id] = row
        address = (ship_address or "").strip() or customer["address"]
        subtotal = round(sum(products[p]["price"] * q for p, q in wanted.items()), 2)
        order_id = self.db.execute(
            "INSERT INTO orders (customer_id, placed_on, status, ship_address, subtotal, coupon_code, discount, total) "
            "VALUES (?, ?, 'pending', ?, ?, NULL, 0.0, ?)",
            (customer_id, self._today(), address, subtotal, subtotal),
        ).lastrowid
        for product_id, quantity in wanted.items():
            self.db.execute(
                "INSERT INTO order_items (order_id, product_id, quantity, unit_price, returned) VALUES (?, ?, ?, ?, 0)",
                (order_id, product_id, quantity, products[product_id]["price"]),
            )
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
            self.db.execute(
                "UPDATE products SET stock = stock + ? WHERE id = ?", (line["quantity"], line["product_id"])
            )
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
        self.db.execute(
            "UPDATE orders SET coupon_code = ?, discount = ?, total = ROUND(subtotal - ?, 2) WHERE id = ?",
            (coupon["code"], discount, discount, order_id),
        )
        return self.get_order(order_id)

    @tool("write")
    def create_return(
        self,
        order_id: int,
        item_ids: list[int],
        reason: str,
        refund_method: Literal["original_payment", "store_credit"],
    ) -> dict:
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
        lines = {line["item_id"]: line for line in self._lines(order_id)}
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
            self.db.execute(
                "INSERT INTO returns (order_id, item_id, created_on, reason, refund_amount, refund_method) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (order_id, item_id, today, reason, refund, refund_method),
            )
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
        self.db.execute(
            "INSERT INTO credits (customer_id, order_id, kind, amount, created_on, note) VALUES (?, ?, ?, ?, ?, ?)",
            (customer_id, order_id, kind, amount, self._today(), note),
        )
        self.db.execute(
            "UPDATE customers SET store_credit = ROUND(store_credit + ?, 2) WHERE id = ?", (amount, customer_id)
        )
