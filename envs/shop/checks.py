"""State checks for what a declaration of effects cannot say by itself."""

from synth_verifiers.state import column_deltas, diff_table, table_rows


def check_shop(outcome, params):
    """Per-row values a declaration cannot give at once.

    stock: {product id: change in units}, exactly the products whose stock changes;
    credits: [customer id, order id, kind, amount]: the new credit entries, summed per customer, order and kind
    (a refund may be booked in one entry or several), must be exactly these;
    discounts: {order id: discount}: each order ends with this discount (0: no coupon) and total = subtotal - it.
    """
    reasons = []
    if "stock" in params:
        got = {str(k): v for k, v in column_deltas(outcome.initial, outcome.db, "products", "stock").items()}
        if got != params["stock"]:
            reasons.append(f"stock changes {got} differ from the expected {params['stock']}")
    if "credits" in params:
        added, _, _ = diff_table(outcome.initial, outcome.db, "credits")
        sums = {}
        for c in added:
            key = (c["customer_id"], c["order_id"], c["kind"])
            sums[key] = round(sums.get(key, 0) + c["amount"], 2)
        want = {(c, o, k): round(a, 2) for c, o, k, a in params["credits"]}
        if set(sums) != set(want) or any(abs(sums[k] - want[k]) > 0.005 for k in want):
            reasons.append(f"new credits {sorted(sums.items())} differ from the expected {sorted(want.items())}")
    if "discounts" in params:
        orders = table_rows(outcome.db, "orders")
        for key, discount in sorted(params["discounts"].items()):
            order = orders.get(int(key))
            if order is None:
                reasons.append(f"order {key} is missing")
            elif (
                abs(order["discount"] - discount) > 0.005
                or abs(order["total"] - round(order["subtotal"] - discount, 2)) > 0.005
            ):
                reasons.append(
                    f"order {key} has discount {order['discount']} and total {order['total']}; the best "
                    f"coupon gives a discount of {discount}"
                )
    return not reasons, reasons
