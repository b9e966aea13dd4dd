"""Task proposers, from single lookups (level 1) to account wrap-ups (level 5)."""

from __future__ import annotations

import random

from synth.env import Answer, Effects, Program, Rule, TaskDraft, inserts, proposer, updates

from .checks import check_shop
from .solutions import (
    solve_best_coupon,
    solve_budget_bundle,
    solve_bundle,
    solve_cancel_unshipped,
    solve_category_spend,
    solve_credit_balance,
    solve_exchange,
    solve_goodwill_credit,
    solve_late_orders,
    solve_most_returned,
    solve_order_carrier,
    solve_product_stock,
    solve_relocate,
    solve_return_eligible,
    solve_wrap_up,
)
from .world import CARRIERS, RETURN_REASONS, goodwill_cap


class ShopTasks:
    # ---- helpers ------------------------------------------------------------------------------------

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
        ok = [line for line in lines if self._return_problem(line, shipment, today) is None]
        return ok, [line for line in lines if line not in ok]

    def _refund(self, order_id: int, line: dict) -> float:
        """What returning an order line refunds: its share of the order total (as create_return computes it)."""
        order = self._order(order_id)
        return round(line["quantity"] * line["unit_price"] * order["total"] / order["subtotal"], 2)

    def _return_rows(self, order_id: int, lines: list[dict], method: str) -> list[dict]:
        return [
            {
                "order_id": order_id,
                "item_id": line["item_id"],
                "refund_method": method,
                "refund_amount": self._refund(order_id, line),
            }
            for line in lines
        ]

    def _restock(self, order_ids: list[int]) -> dict[str, int]:
        """{product id: units} that cancelling these orders puts back in stock."""
        restock: dict[str, int] = {}
        for order_id in order_ids:
            for line in self._lines(order_id):
                restock[str(line["product_id"])] = restock.get(str(line["product_id"]), 0) + line["quantity"]
        return restock

    def _cheapest(self, category: str, exclude: int | None = None, final_sale_ok: bool = True) -> dict | None:
        """The one cheapest in-stock product of a category; None if there is none or two share the lowest price."""
        options = sorted(
            (
                p
                for p in self.rows("SELECT * FROM products WHERE category = ? AND stock > 0 ORDER BY id", category)
                if p["id"] != exclude and (final_sale_ok or not p["final_sale"])
            ),
            key=lambda p: p["price"],
        )
        if not options or (len(options) > 1 and options[1]["price"] == options[0]["price"]):
            return None
        return options[0]

    def _credited(self, customer: dict, amount: float) -> Rule:
        """The customer's store credit ends `amount` higher."""
        return updates(
            "store_credit", keys=[customer["id"]], values={"store_credit": round(customer["store_credit"] + amount, 2)}
        )

    def _new_order(self, customer: dict, picks: list[dict], address: str) -> tuple[dict, list]:
        """The effects of placing one unit of each of `picks` for a customer and applying the best coupon, and the
        stock change that check_shop must see."""
        lines = [{"category": p["category"], "quantity": 1, "unit_price": p["price"]} for p in picks]
        subtotal = round(sum(p["price"] for p in picks), 2)
        discount = self._best_discount(lines, customer["tier"])
        order = {
            "customer_id": customer["id"],
            "status": "pending",
            "ship_address": address,
            "subtotal": subtotal,
            "discount": discount,
            "total": round(subtotal - discount, 2),
        }
        items = [{"product_id": p["id"], "quantity": 1, "unit_price": p["price"], "returned": 0} for p in picks]
        return order, items

    # ---- lookups ------------------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_order_carrier(self, rng: random.Random) -> TaskDraft | None:
        order_id = rng.choice(self.column("SELECT order_id FROM shipments ORDER BY id"))
        return TaskDraft(
            shape="order_carrier",
            instruction=self.render("order_carrier", rng, order_id=order_id),
            solution=Program.of(solve_order_carrier, order_id=order_id),
            answer=Answer.entity(self._shipment(order_id)["carrier"], candidates=sorted(CARRIERS)),
            tools=self.available_tools("get_order", "track_shipment", "list_orders", "find_customers"),
        )

    @proposer(difficulty=1)
    def propose_product_stock(self, rng: random.Random) -> TaskDraft | None:
        product = rng.choice(self.rows("SELECT name, stock FROM products ORDER BY id"))
        return TaskDraft(
            shape="product_stock",
            instruction=self.render("product_stock", rng, product=product["name"]),
            solution=Program.of(solve_product_stock, product=product["name"]),
            answer=Answer.integer(product["stock"]),
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
            answer=Answer.number(customer["store_credit"]),
            tools=self.available_tools("find_customers", "get_customer", "get_credit_history", "list_orders"),
        )

    @proposer(difficulty=2)
    def propose_category_spend(self, rng: random.Random) -> TaskDraft | None:
        spend_sql = (
            "SELECT p.category, SUM(i.quantity * i.unit_price) AS spent FROM order_items i "
            "JOIN orders o ON o.id = i.order_id JOIN products p ON p.id = i.product_id "
            "WHERE o.customer_id = ? AND o.status != 'cancelled' AND i.returned = 0 GROUP BY p.category "
            "ORDER BY p.category"
        )
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
            answer=Answer.number(round(row["spent"], 2)),
            tools=self.available_tools(
                "find_customers", "get_customer", "list_orders", "get_order", "list_returns", "search_products"
            ),
        )

    @proposer(difficulty=2)
    def propose_most_returned(self, rng: random.Random) -> TaskDraft | None:
        scopes = []  # (category or None for the whole store, its product with the most units returned)
        categories = self.column("SELECT DISTINCT category FROM products ORDER BY 1")
        for category in [None] + categories:
            units = self.rows(
                "SELECT p.name, SUM(i.quantity) AS units FROM returns r JOIN order_items i "
                "ON i.id = r.item_id JOIN products p ON p.id = i.product_id "
                "WHERE (? IS NULL OR p.category = ?) GROUP BY p.id ORDER BY units DESC, p.name",
                category,
                category,
            )
            if units and (len(units) == 1 or units[0]["units"] > units[1]["units"]):
                scopes.append((category, units[0]["name"]))
        if not scopes:
            return None
        category, top = rng.choice(scopes)
        return TaskDraft(
            shape="most_returned",
            instruction=self.render("most_returned", rng, category=category),
            solution=Program.of(solve_most_returned, category=category),
            answer=Answer.entity(top, candidates=self.column("SELECT name FROM products ORDER BY id")),
            tools=self.available_tools("list_returns", "search_products", "get_order"),
        )

    @proposer(difficulty=2)
    def propose_late_orders(self, rng: random.Random) -> TaskDraft | None:
        customers = self._customers_with(
            "SELECT o.id FROM orders o JOIN shipments s ON s.order_id = o.id WHERE o.customer_id = ? "
            "AND s.delivered_on > s.promised_by ORDER BY o.id"
        )
        if not customers:
            return None
        customer = rng.choice(customers)
        return TaskDraft(
            shape="late_orders",
            instruction=self.render("late_orders", rng, customer=customer["name"]),
            solution=Program.of(solve_late_orders, customer=customer["name"]),
            answer=Answer.entities(
                [str(r["id"]) for r in customer["rows"]],
                candidates=[str(i) for i in self.column("SELECT id FROM orders ORDER BY id")],
            ),
            tools=self.available_tools(
                "find_customers", "list_orders", "get_order", "track_shipment", "get_store_info"
            ),
        )

    # ---- single writes ------------------------------------------------------------------------------

    @proposer(difficulty=3)
    def propose_return_eligible(self, rng: random.Random) -> TaskDraft | None:
        full, mixed = [], []
        for order_id in self.column("SELECT id FROM orders WHERE status = 'delivered' ORDER BY id"):
            ok, not_ok = self._returnable(order_id)
            if ok:
                (mixed if not_ok else full).append((order_id, ok))
        pool = mixed if mixed and (rng.random() < 0.75 or not full) else full
        if not pool:
            return None
        order_id, ok = rng.choice(pool)
        customer = self._customer(self._order(order_id)["customer_id"])
        method = self._refund_method(customer["tier"])
        returns = self._return_rows(order_id, ok, method)
        refunded = round(sum(r["refund_amount"] for r in returns), 2)
        effects = {
            "returns": inserts(rows=returns),
            "order_items": updates("returned", keys=[line["item_id"] for line in ok], values={"returned": 1}),
        }
        check = None
        if method == "store_credit":
            effects |= {"customers": self._credited(customer, refunded), "credits": Rule(insert=True)}
            check = Program.of(check_shop, credits=[[customer["id"], order_id, "refund", refunded]])
        spec = {"customer": customer["name"], "order_id": order_id, "reason": rng.choice(RETURN_REASONS)}
        return TaskDraft(
            shape="return_eligible",
            instruction=self.render("return_eligible", rng, **spec),
            solution=Program.of(solve_return_eligible, **spec, credit_tiers=self._credit_tiers()),
            answer=Answer.none(),
            effects=Effects.on(**effects),
            check=check,
            tools=self.available_tools(
                "get_store_info",
                "find_customers",
                "get_customer",
                "list_orders",
                "get_order",
                "list_returns",
                "create_return",
                "cancel_order",
            ),
        )

    @proposer(difficulty=3)
    def propose_cancel_unshipped(self, rng: random.Random) -> TaskDraft | None:
        customers = self._customers_with(
            "SELECT id FROM orders WHERE customer_id = ? AND status = 'pending' ORDER BY id"
        )
        if not customers:
            return None
        customer = rng.choice(customers)
        order_ids = [r["id"] for r in customer["rows"]]
        restock = self._restock(order_ids)
        return TaskDraft(
            shape="cancel_unshipped",
            instruction=self.render("cancel_unshipped", rng, customer=customer["name"]),
            solution=Program.of(solve_cancel_unshipped, customer=customer["name"]),
            answer=Answer.none(),
            effects=Effects.on(
                orders=updates("status", "cancel_reason", keys=order_ids, values={"status": "cancelled"}),
                products=updates("stock", keys=[int(k) for k in restock]),
            ),
            check=Program.of(check_shop, stock=restock),
            tools=self.available_tools(
                "find_customers", "get_customer", "list_orders", "get_order", "cancel_order", "update_address"
            ),
        )

    @proposer(difficulty=3)
    def propose_goodwill_credit(self, rng: random.Random) -> TaskDraft | None:
        customers = self._customers_with(
            "SELECT o.id, o.total FROM orders o JOIN shipments s ON s.order_id = o.id WHERE o.customer_id = ? "
            "AND s.delivered_on > s.promised_by AND NOT EXISTS (SELECT 1 FROM credits c WHERE c.order_id = o.id "
            "AND c.kind = 'goodwill') ORDER BY o.id"
        )
        if not customers:
            return None
        customer = rng.choice(customers)
        credits = [
            {
                "customer_id": customer["id"],
                "order_id": r["id"],
                "kind": "goodwill",
                "amount": goodwill_cap(r["total"], self._goodwill_percent()),
            }
            for r in customer["rows"]
        ]
        return TaskDraft(
            shape="goodwill_credit",
            instruction=self.render("goodwill_credit", rng, customer=customer["name"]),
            solution=Program.of(
                solve_goodwill_credit, customer=customer["name"], goodwill_percent=self._goodwill_percent()
            ),
            answer=Answer.none(),
            effects=Effects.on(
                credits=inserts(rows=credits), customers=self._credited(customer, sum(c["amount"] for c in credits))
            ),
            tools=self.available_tools(
                "get_store_info",
                "find_customers",
                "get_customer",
                "list_orders",
                "get_order",
                "get_credit_history",
                "issue_store_credit",
            ),
        )

    @proposer(difficulty=3)
    def propose_best_coupon(self, rng: random.Random) -> TaskDraft | None:
        candidates = []
        for o in self.rows(
            "SELECT o.id, o.subtotal, c.name, c.tier FROM orders o JOIN customers c ON "
            "c.id = o.customer_id WHERE o.status = 'pending' AND o.coupon_code IS NULL ORDER BY o.id"
        ):
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
            answer=Answer.none(),
            effects=Effects.on(
                orders=updates(
                    "coupon_code",
                    "discount",
                    "total",
                    keys=[order["id"]],
                    values={"discount": best, "total": round(order["subtotal"] - best, 2)},
                )
            ),
            tools=self.available_tools(
                "find_customers",
                "get_customer",
                "get_order",
                "list_coupons",
                "quote_coupon",
                "apply_coupon",
                "get_store_info",
            ),
        )

    # ---- plans --------------------------------------------------------------------------------------

    @proposer(difficulty=4, attempts=2)
    def propose_exchange(self, rng: random.Random) -> TaskDraft | None:
        options = []
        for o in self.rows("SELECT id, customer_id FROM orders WHERE status = 'delivered' ORDER BY id"):
            for line in self._returnable(o["id"])[0]:
                pick = self._cheapest(line["category"], exclude=line["product_id"])
                if pick is not None:
                    options.append((o, line, pick))
        if not options:
            return None
        order, line, pick = rng.choice(options)
        customer = self._customer(order["customer_id"])
        method = self._refund_method(customer["tier"])
        refund = self._refund(order["id"], line)
        new_order, new_items = self._new_order(customer, [pick], customer["address"])
        effects = {
            "returns": inserts(rows=self._return_rows(order["id"], [line], method)),
            "order_items": Rule(
                insert=1, rows=new_items, update=["returned"], keys=[line["item_id"]], values={"returned": 1}
            ),
            "orders": inserts(rows=[new_order]),
            "products": updates("stock", keys=[pick["id"]], values={"stock": pick["stock"] - 1}),
        }
        if method == "store_credit":
            effects |= {
                "customers": self._credited(customer, refund),
                "credits": inserts(
                    rows=[{"customer_id": customer["id"], "order_id": order["id"], "kind": "refund", "amount": refund}]
                ),
            }
        spec = {
            "customer": customer["name"],
            "order_id": order["id"],
            "product": line["product"],
            "reason": rng.choice(RETURN_REASONS),
        }
        return TaskDraft(
            shape="exchange",
            instruction=self.render("exchange", rng, **spec),
            solution=Program.of(solve_exchange, **spec, credit_tiers=self._credit_tiers()),
            answer=Answer.none(),
            effects=Effects.on(**effects),
        )

    @proposer(difficulty=4, attempts=3)
    def propose_bundle(self, rng: random.Random) -> TaskDraft | None:
        categories = self.column("SELECT DISTINCT category FROM products ORDER BY 1")
        chosen = sorted(rng.sample(categories, rng.choice([2, 3, 3])))
        picks = [self._cheapest(c, final_sale_ok=False) for c in chosen]
        if None in picks:
            return None
        customer = rng.choice(self.rows("SELECT * FROM customers ORDER BY id"))
        address = self._random_address(rng)
        new_order, new_items = self._new_order(customer, picks, address)
        spec = {"customer": customer["name"], "categories": chosen, "address": address}
        return TaskDraft(
            shape="bundle",
            instruction=self.render("bundle", rng, **{**spec, "categories": _listed(chosen)}),
            solution=Program.of(solve_bundle, **spec),
            answer=Answer.none(),
            effects=Effects.on(
                orders=inserts(rows=[new_order]),
                order_items=inserts(rows=new_items),
                products=updates("stock", keys=[p["id"] for p in picks]),
            ),
            check=Program.of(check_shop, stock={str(p["id"]): -1 for p in picks}),
        )

    @proposer(difficulty=4)
    def propose_relocate(self, rng: random.Random) -> TaskDraft | None:
        customers = [
            c
            for c in self._customers_with(
                "SELECT id, coupon_code FROM orders WHERE customer_id = ? AND status = 'pending' ORDER BY id"
            )
            if 2 <= len(c["rows"]) <= 3
        ]
        if not customers:
            return None
        customer = rng.choice(customers)
        address = self._random_address(rng)
        if address == customer["address"]:
            return None
        discounts = {
            str(o["id"]): self._best_discount(self._lines(o["id"]), customer["tier"])
            for o in customer["rows"]
            if o["coupon_code"] is None
        }
        spec = {"customer": customer["name"], "address": address}
        return TaskDraft(
            shape="relocate",
            instruction=self.render("relocate", rng, **spec),
            solution=Program.of(solve_relocate, **spec),
            answer=Answer.none(),
            effects=Effects.on(
                orders=updates(
                    "ship_address",
                    "coupon_code",
                    "discount",
                    "total",
                    keys=[o["id"] for o in customer["rows"]],
                    values={"ship_address": address},
                )
            ),
            check=Program.of(check_shop, discounts=discounts),
        )

    @proposer(difficulty=5)
    def propose_wrap_up(self, rng: random.Random) -> TaskDraft | None:
        options = []
        for c in self.rows("SELECT * FROM customers ORDER BY id"):
            orders = self.rows("SELECT id, status, total FROM orders WHERE customer_id = ? ORDER BY id", c["id"])
            pending = [o["id"] for o in orders if o["status"] == "pending"]
            returnable = {o["id"]: self._returnable(o["id"])[0] for o in orders if o["status"] == "delivered"}
            returnable = {k: v for k, v in returnable.items() if v}
            late = {
                o["id"]: goodwill_cap(o["total"], self._goodwill_percent())
                for o in orders
                if self._late(o["id"])
                and not self.rows("SELECT 1 FROM credits WHERE order_id = ? AND kind = 'goodwill'", o["id"])
            }
            if pending and returnable and len(pending) + len(returnable) + len(late) >= 3:
                options.append((c, pending, returnable, late))
        if not options:
            return None
        customer, pending, returnable, late = rng.choice(options)
        method = self._refund_method(customer["tier"])
        restock = self._restock(pending)
        returns = [r for order_id, lines in returnable.items() for r in self._return_rows(order_id, lines, method)]
        credits = [[customer["id"], order_id, "goodwill", amount] for order_id, amount in late.items()]
        if method == "store_credit":
            refunds: dict[int, float] = {}
            for r in returns:
                refunds[r["order_id"]] = round(refunds.get(r["order_id"], 0) + r["refund_amount"], 2)
            credits += [[customer["id"], order_id, "refund", amount] for order_id, amount in refunds.items()]
        effects = {
            "orders": updates("status", "cancel_reason", keys=pending, values={"status": "cancelled"}),
            "products": updates("stock", keys=[int(k) for k in restock]),
            "returns": inserts(rows=returns),
            "order_items": updates("returned", keys=[r["item_id"] for r in returns], values={"returned": 1}),
        }
        if credits:
            effects |= {"credits": Rule(insert=True), "customers": self._credited(customer, sum(c[3] for c in credits))}
        spec = {"customer": customer["name"], "reason": rng.choice(RETURN_REASONS)}
        return TaskDraft(
            shape="wrap_up",
            instruction=self.render("wrap_up", rng, **spec),
            solution=Program.of(
                solve_wrap_up, **spec, credit_tiers=self._credit_tiers(), goodwill_percent=self._goodwill_percent()
            ),
            answer=Answer.none(),
            effects=Effects.on(**effects),
            check=Program.of(check_shop, stock=restock, credits=credits),
        )

    @proposer(difficulty=5, attempts=3)
    def propose_budget_bundle(self, rng: random.Random) -> TaskDraft | None:
        categories = self.column("SELECT DISTINCT category FROM products ORDER BY 1")
        chosen = sorted(rng.sample(categories, min(len(categories), rng.choice([3, 3, 4]))))
        picks = {c: self._cheapest(c, final_sale_ok=False) for c in chosen}
        if None in picks.values():
            return None
        customer = rng.choice(self.rows("SELECT * FROM customers ORDER BY id"))
        drop = rng.choice(chosen)
        full, _ = self._new_order(customer, list(picks.values()), customer["address"])
        kept = [c for c in chosen if c != drop]
        reduced, _ = self._new_order(customer, [picks[c] for c in kept], customer["address"])
        if rng.random() < 0.5:  # the whole bundle fits
            budget, expected = float(int(full["total"]) + rng.randint(1, 25)), chosen
        else:
            budget = round(reduced["total"] + (full["total"] - reduced["total"]) * rng.uniform(0.1, 0.8), 2)
            if not reduced["total"] <= budget < full["total"] - 0.01:
                return None
            expected = kept
        ordered = [picks[c] for c in expected]
        new_order, new_items = self._new_order(customer, ordered, customer["address"])
        spec = {"customer": customer["name"], "categories": chosen, "budget": budget, "drop": drop}
        return TaskDraft(
            shape="budget_bundle",
            instruction=self.render("budget_bundle", rng, **{**spec, "categories": _listed(chosen)}),
            solution=Program.of(solve_budget_bundle, **spec),
            answer=Answer.none(),
            effects=Effects.on(
                orders=inserts(rows=[new_order]),
                order_items=inserts(rows=new_items),
                products=updates("stock", keys=[p["id"] for p in ordered]),
            ),
            check=Program.of(check_shop, stock={str(p["id"]): -1 for p in ordered}),
        )


def _listed(names: list[str]) -> str:
    return ", ".join(names[:-1]) + " and " + names[-1]
