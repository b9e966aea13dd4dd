"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""

import datetime as dt

from synth.env import only

TIER_RANKS = {"bronze": 0, "silver": 1, "gold": 2}


def best_quote(tools, order_id, categories=None):
    """The quote of the coupon that gives an order the largest discount (None if no coupon applies); with
    `categories`, coupons for other categories are not even quoted."""
    best = None
    for coupon in tools.list_coupons():
        if categories is not None and coupon["category"] not in [None, *categories]:
            continue
        quote = tools.quote_coupon(order_id=order_id, code=coupon["code"])
        if quote["applies"] and (best is None or quote["discount"] > best["discount"]):
            best = quote
    return best


def best_by_hand(coupons, items):
    """(saving, code) of the coupon that saves most on `items` (category, quantity, unit_price), worked out from
    the policy's discount rules without quoting; `coupons` are those the customer may use today."""
    top = (0, None)
    for c in coupons:
        eligible = round(
            sum(i["quantity"] * i["unit_price"] for i in items if c["category"] in (None, i["category"])), 2
        )
        if eligible <= 0 or eligible < c["min_subtotal"]:
            continue
        percent = c["kind"] == "percent"
        saving = round(eligible * c["value"] / 100 + 1e-9, 2) if percent else min(c["value"], eligible)
        if saving > top[0]:
            top = (saving, c["code"])
    return top


def returnable_ids(info, order):
    """Ids of an order's items that may still be returned today under the store's policy."""
    delivered = (order["shipment"] or {}).get("delivered_on")
    if not delivered:
        return []
    age = (dt.date.fromisoformat(info["today"]) - dt.date.fromisoformat(delivered)).days
    windows = {"electronics": info["electronics_return_days"]}
    return [
        i["item_id"]
        for i in order["items"]
        if not i["returned"] and not i["final_sale"] and age <= windows.get(i["category"], info["return_days"])
    ]


def goodwill_amount(total, percent):
    """The largest goodwill credit: `percent`% of the order total, rounded down to the cent."""
    return round(total * 100) * percent // 100 / 100


def late(order):
    shipment = order["shipment"]
    return bool(shipment and shipment["delivered_on"] and shipment["delivered_on"] > shipment["promised_by"])


def cheapest(tools, category, exclude=None, final_sale_ok=True):
    options = [
        p
        for p in tools.search_products(category=category, in_stock_only=True)
        if p["id"] != exclude and (final_sale_ok or not p["final_sale"])
    ]
    return min(options, key=lambda p: (p["price"], p["id"]))


def solve_order_carrier(tools, params):
    return tools.get_order(order_id=params["order_id"])["shipment"]["carrier"]


def solve_product_stock(tools, params):
    return only(tools.search_products(query=params["product"]), name=params["product"])["stock"]


def solve_credit_balance(tools, params):
    customer = only(tools.find_customers(name=params["customer"]), name=params["customer"])
    return tools.get_customer(customer_id=customer["id"])["store_credit"]


def solve_category_spend(tools, params):
    customer = only(tools.find_customers(name=params["customer"]), name=params["customer"])
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
    customer = only(tools.find_customers(name=params["customer"]), name=params["customer"])
    return [
        str(summary["id"])
        for summary in tools.list_orders(customer_id=customer["id"], status="delivered")
        if late(tools.get_order(order_id=summary["id"]))
    ]


def solve_return_eligible(tools, params):
    info = tools.get_store_info()
    customer = only(tools.find_customers(name=params["customer"]), name=params["customer"])
    order = tools.get_order(order_id=params["order_id"])
    item_ids = returnable_ids(info, order)
    method = "store_credit" if customer["tier"] in params["credit_tiers"] else "original_payment"
    tools.create_return(order_id=order["id"], item_ids=item_ids, reason=params["reason"], refund_method=method)
    return f"Returned items {item_ids}, refunded by {method}"


def solve_cancel_unshipped(tools, params):
    customer = only(tools.find_customers(name=params["customer"]), name=params["customer"])
    cancelled = []
    for summary in tools.list_orders(customer_id=customer["id"], status="pending"):
        tools.cancel_order(order_id=summary["id"], reason="customer request")
        cancelled.append(summary["id"])
    return f"Cancelled orders {cancelled}"


def solve_goodwill_credit(tools, params):
    customer = only(tools.find_customers(name=params["customer"]), name=params["customer"])
    issued = []
    for summary in tools.list_orders(customer_id=customer["id"], status="delivered"):
        order = tools.get_order(order_id=summary["id"])
        if late(order) and not order["goodwill_credited"]:
            amount = goodwill_amount(order["total"], params["goodwill_percent"])
            tools.issue_store_credit(
                customer_id=customer["id"], order_id=order["id"], amount=amount, reason="late delivery"
            )
            issued.append((order["id"], amount))
    return f"Issued goodwill credits {issued}"


def solve_best_coupon(tools, params):
    best = best_quote(tools, params["order_id"])
    tools.apply_coupon(order_id=params["order_id"], code=best["code"])
    return f"Applied {best['code']} saving {best['discount']}"


def solve_exchange(tools, params):
    customer = only(tools.find_customers(name=params["customer"]), name=params["customer"])
    tier = tools.get_customer(customer_id=customer["id"])["tier"]
    order = tools.get_order(order_id=params["order_id"])
    item = only(order["items"], product=params["product"])
    tools.create_return(
        order_id=order["id"],
        item_ids=[item["item_id"]],
        reason=params["reason"],
        refund_method="store_credit" if tier in params["credit_tiers"] else "original_payment",
    )
    pick = cheapest(tools, item["category"], exclude=item["product_id"])
    new = tools.place_order(customer_id=customer["id"], items=[{"product_id": pick["id"], "quantity": 1}])
    best = best_quote(tools, new["id"], [pick["category"]])
    if best:
        tools.apply_coupon(order_id=new["id"], code=best["code"])
    return f"Returned {params['product']}; new order {new['id']} for {pick['name']}" + (
        f" with coupon {best['code']}" if best else ""
    )


def solve_bundle(tools, params):
    customer = only(tools.find_customers(name=params["customer"]), name=params["customer"])
    picks = [cheapest(tools, category, final_sale_ok=False) for category in params["categories"]]
    order = tools.place_order(
        customer_id=customer["id"],
        items=[{"product_id": p["id"], "quantity": 1} for p in picks],
        ship_address=params["address"],
    )
    best = best_quote(tools, order["id"], params["categories"])
    if best:
        tools.apply_coupon(order_id=order["id"], code=best["code"])
    return f"Order {order['id']}: {[p['name'] for p in picks]}" + (f", coupon {best['code']}" if best else "")


def solve_relocate(tools, params):
    customer = only(tools.find_customers(name=params["customer"]), name=params["customer"])
    done = []
    for summary in tools.list_orders(customer_id=customer["id"], status="pending"):
        tools.update_address(order_id=summary["id"], address=params["address"])
        if summary["coupon_code"]:
            continue
        best = best_quote(tools, summary["id"])
        if best:
            tools.apply_coupon(order_id=summary["id"], code=best["code"])
        done.append((summary["id"], best and best["code"]))
    return f"Updated orders {done}"


def solve_wrap_up(tools, params):
    info = tools.get_store_info()
    customer = only(tools.find_customers(name=params["customer"]), name=params["customer"])
    method = "store_credit" if customer["tier"] in params["credit_tiers"] else "original_payment"
    done = []
    for summary in tools.list_orders(customer_id=customer["id"]):
        if summary["status"] == "pending":
            tools.cancel_order(order_id=summary["id"], reason="account closed")
            done.append(f"cancelled {summary['id']}")
        if summary["status"] != "delivered":
            continue
        order = tools.get_order(order_id=summary["id"])
        item_ids = returnable_ids(info, order)
        if item_ids:
            tools.create_return(order_id=order["id"], item_ids=item_ids, reason=params["reason"], refund_method=method)
            done.append(f"returned {item_ids}")
        if late(order) and not order["goodwill_credited"]:
            amount = goodwill_amount(order["total"], params["goodwill_percent"])
            tools.issue_store_credit(
                customer_id=customer["id"], order_id=order["id"], amount=amount, reason="late delivery"
            )
            done.append(f"credit {amount} for order {order['id']}")
    return "; ".join(done)


def solve_budget_bundle(tools, params):
    customer = only(tools.find_customers(name=params["customer"]), name=params["customer"])
    tier = tools.get_customer(customer_id=customer["id"])["tier"]
    today = tools.get_store_info()["today"]
    coupons = [
        c for c in tools.list_coupons() if c["expires_on"] >= today and TIER_RANKS[c["min_tier"]] <= TIER_RANKS[tier]
    ]
    chosen = [cheapest(tools, category, final_sale_ok=False) for category in params["categories"]]

    def items(products):
        return [{"category": p["category"], "quantity": 1, "unit_price": p["price"]} for p in products]

    if round(sum(p["price"] for p in chosen) - best_by_hand(coupons, items(chosen))[0], 2) > params["budget"]:
        chosen = [p for p in chosen if p["category"] != params["drop"]]
    order = tools.place_order(
        customer_id=customer["id"], items=[{"product_id": p["id"], "quantity": 1} for p in chosen]
    )
    code = best_by_hand(coupons, items(chosen))[1]
    if code:
        tools.apply_coupon(order_id=order["id"], code=code)
    return f"Order {order['id']}: {[p['name'] for p in chosen]}" + (f", coupon {code}" if code else "")
