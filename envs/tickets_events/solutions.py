"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""

import datetime as dt

from synth.env import only


def find_event(tools, title, date):
    """The full record (sections, prices, free seats) of the event with this title on this date."""
    event = only(tools.search_events(date_from=date, date_to=date), title=title)
    return tools.get_event(event_id=event["id"])


def find_customer(tools, name):
    return only(tools.find_customers(name=name), name=name)


def unit_price(price, member):
    """What one ticket costs the customer: members pay 90% of the list price, rounded to the cent."""
    return round(price * 0.9, 2) if member else price


def held(tools, customer_id, event_id):
    """The customer's active tickets for an event, over all their orders."""
    return sum(
        sum(t["status"] == "active" for t in tools.get_order(order_id=o["id"])["tickets"])
        for o in tools.list_orders(customer_id=customer_id)
        if o["event_id"] == event_id
    )


def buy_seats(tools, customer_id, event_id, section_id, n):
    """Buy the first `n` free seats of a section as one order."""
    seats = tools.list_free_seats(event_id=event_id, section_id=section_id)[:n]
    return tools.buy_tickets(customer_id=customer_id, event_id=event_id, seat_ids=[s["seat_id"] for s in seats])


def solve_section_price(tools, params):
    event = find_event(tools, params["event"], params["date"])
    return only(event["sections"], name=params["section"])["price"]


def solve_free_seats(tools, params):
    event = find_event(tools, params["event"], params["date"])
    return only(event["sections"], name=params["section"])["free_seats"]


def solve_event_venue(tools, params):
    return only(tools.search_events(date_from=params["date"], date_to=params["date"]), title=params["event"])["venue"]


def solve_active_tickets(tools, params):
    customer = find_customer(tools, params["customer"])
    count = 0
    for order in tools.list_orders(customer_id=customer["id"]):
        count += sum(t["status"] == "active" for t in tools.get_order(order_id=order["id"])["tickets"])
    return count


def solve_refunded_total(tools, params):
    customer = find_customer(tools, params["customer"])
    total = 0.0
    for order in tools.list_orders(customer_id=customer["id"]):
        total += sum(t["refund"] or 0 for t in tools.get_order(order_id=order["id"])["tickets"])
    return round(total, 2)


def solve_cheapest_event(tools, params):
    best = None
    for e in tools.search_events(
        city=params["city"], category=params["category"], date_from=params["start"], date_to=params["end"]
    ):
        if e["status"] != "on_sale":
            continue
        prices = [s["price"] for s in tools.get_event(event_id=e["id"])["sections"] if s["free_seats"] > 0]
        if prices and (best is None or min(prices) < best[0]):
            best = (min(prices), e["title"])
    return best[1]


def solve_roomy_sections(tools, params):
    event = find_event(tools, params["event"], params["date"])
    return [s["name"] for s in event["sections"] if s["free_seats"] >= params["n"]]


def solve_buy_in_section(tools, params):
    customer = find_customer(tools, params["customer"])
    event = find_event(tools, params["event"], params["date"])
    section = only(event["sections"], name=params["section"])
    order = buy_seats(tools, customer["id"], event["id"], section["section_id"], params["n"])
    return f"Booked order {order['id']}, total {order['total']}"


def solve_refund_order(tools, params):
    return tools.refund_tickets(order_id=params["order_id"])["refund_total"]


def solve_refund_if_allowed(tools, params):
    order = tools.get_order(order_id=params["order_id"])
    event = tools.get_event(event_id=order["event_id"])
    today = tools.get_today()["today"]
    days = (dt.date.fromisoformat(event["date"]) - dt.date.fromisoformat(today)).days
    if event["status"] != "cancelled" and days < params["refund_days"]:
        return False
    tools.refund_tickets(order_id=params["order_id"])
    return True


def solve_best_section(tools, params):
    customer = find_customer(tools, params["customer"])
    event = find_event(tools, params["event"], params["date"])
    k = min(params["n"], event["ticket_limit"] - held(tools, customer["id"], event["id"]))
    if params["max_per_order"]:
        k = min(k, params["max_per_order"])
    best = None
    for s in event["sections"]:
        unit = unit_price(s["price"], customer["member"])
        if s["free_seats"] >= k and unit * k <= params["budget"] and (best is None or unit > best[0]):
            best = (unit, s["section_id"])
    order = buy_seats(tools, customer["id"], event["id"], best[1], k)
    return f"Booked order {order['id']} with {len(order['tickets'])} tickets, total {order['total']}"


def solve_cheapest_outing(tools, params):
    customer = find_customer(tools, params["customer"])
    n, best = params["n"], None
    for e in tools.search_events(
        city=params["city"], category=params["category"], date_from=params["start"], date_to=params["end"]
    ):
        if e["status"] not in ("on_sale", "presale"):
            continue
        if e["status"] == "presale" and params["presale_members_only"] and not customer["member"]:
            continue
        event = tools.get_event(event_id=e["id"])
        if held(tools, customer["id"], e["id"]) + n > event["ticket_limit"]:
            continue
        for s in event["sections"]:
            unit = unit_price(s["price"], customer["member"])
            if s["free_seats"] >= n and (best is None or unit * n < best[0]):
                best = (unit * n, e["id"], s["section_id"])
    order = buy_seats(tools, customer["id"], best[1], best[2], n)
    return f"Booked order {order['id']}, total {order['total']}"


def solve_exchange(tools, params):
    old = tools.get_order(order_id=params["order_id"])
    member = only(tools.find_customers(name=params["customer"]), id=old["customer_id"])["member"]
    n = sum(t["status"] == "active" for t in old["tickets"])
    refund = tools.refund_tickets(order_id=params["order_id"])["refund_total"]
    event = find_event(tools, params["event"], params["date"])
    best = None
    for s in event["sections"]:
        cost = round(unit_price(s["price"], member) * n, 2)
        if s["free_seats"] >= n and cost - refund <= params["budget"] and (best is None or cost > best[0]):
            best = (cost, s["section_id"])
    order = buy_seats(tools, old["customer_id"], event["id"], best[1], n)
    return f"Refunded {refund} on order {params['order_id']}; new order {order['id']} costs {order['total']}"


def solve_upgrade(tools, params):
    old = tools.get_order(order_id=params["order_id"])
    only(tools.find_customers(name=params["customer"]), id=old["customer_id"])  # the order is theirs
    active = [t for t in old["tickets"] if t["status"] == "active"]
    event = tools.get_event(event_id=old["event_id"])
    current = only(event["sections"], section_id=active[0]["section_id"])
    options = [s for s in event["sections"] if s["price"] > current["price"] and s["free_seats"] >= len(active)]
    target = min(options, key=lambda s: s["price"])
    refund = tools.refund_tickets(order_id=params["order_id"])["refund_total"]
    order = buy_seats(tools, old["customer_id"], event["id"], target["section_id"], len(active))
    return f"Refunded {refund}; new order {order['id']} in {target['name']} costs {order['total']}"
