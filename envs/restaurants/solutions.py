"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""

import datetime
import itertools

from synth.env import only


def mins(t):
    return int(t[:2]) * 60 + int(t[3:])


def suits(table, party, rules):
    """Whether a table (from get_restaurant) may seat the party under the policy, ignoring other bookings."""
    return not (
        table["seats"] < party
        or (rules["tight_fit"] and table["seats"] > party + 2)
        or (rules["terrace_cap"] and table["area"] == "terrace" and party > 4)
    )


def clashes(code, time, booked):
    """Whether table `code` is taken within a sitting of `time` by one of the `booked` reservations."""
    return any(o["table"] == code and abs(mins(o["time"]) - mins(time)) < 120 for o in booked)


def deposit(info, party, rules):
    return info["deposit_per_guest"] * party if party >= rules["deposit_from"] else 0


def free_tables(tools, params, info, date, time, party):
    """Codes of the tables of a restaurant (its get_restaurant details) bookable for the party, smallest first."""
    if params["use_tool"]:
        return [
            t["code"]
            for t in tools.find_available_tables(restaurant=info["name"], date=date, time=time, party_size=party)[
                "tables"
            ]
        ]
    if party > info["max_party"]:
        return []
    day = datetime.date.fromisoformat(date).strftime("%A")
    hours = [h for h in info["hours"] if h["weekday"] == day]
    if not hours or mins(time) < mins(hours[0]["open"]) or mins(time) + 120 > mins(hours[0]["close"]):
        return []
    taken = tools.list_reservations(restaurant=info["name"], date=date, status="booked")
    return [
        t["code"]
        for t in sorted(info["tables"], key=lambda t: t["seats"])
        if suits(t, party, params["rules"]) and not clashes(t["code"], time, taken)
    ]


def solve_closing_time(tools, params):
    return only(tools.get_restaurant(name=params["restaurant"])["hours"], weekday=params["weekday"])["close"]


def solve_reservation_table(tools, params):
    return tools.get_reservation(ref=params["ref"])["table"]


def solve_table_seats(tools, params):
    return only(tools.get_restaurant(name=params["restaurant"])["tables"], code=params["table"])["seats"]


def solve_diet_count(tools, params):
    return len(tools.get_menu(restaurant=params["restaurant"], course="main", diet=params["diet"]))


def solve_best_rated(tools, params):
    found = tools.search_restaurants(cuisine=params["cuisine"], max_price_level=params["max_price"])
    return max(found, key=lambda r: r["rating"])["name"]


def solve_covers_on_date(tools, params):
    rows = tools.list_reservations(restaurant=params["restaurant"], date=params["date"], status="booked")
    return sum(r["party_size"] for r in rows)


def solve_customer_deposits(tools, params):
    return float(sum(r["deposit"] for r in tools.list_reservations(customer=params["customer"], status="booked")))


def solve_open_at(tools, params):
    hits = []
    for r in tools.search_restaurants(cuisine=params["cuisine"]):
        for h in tools.get_restaurant(name=r["name"])["hours"]:
            if (
                h["weekday"] == params["weekday"]
                and mins(h["open"]) <= mins(params["time"])
                and mins(params["time"]) + 120 <= mins(h["close"])
            ):
                hits.append(r["name"])
    return hits


def solve_cancel(tools, params):
    rows = tools.list_reservations(
        customer=params["customer"], restaurant=params["restaurant"], date=params["date"], status="booked"
    )
    return float(tools.cancel_reservation(ref=rows[0]["ref"])["refund"])


def solve_resize(tools, params):
    res = tools.get_reservation(ref=params["ref"])
    info = tools.get_restaurant(name=res["restaurant"])
    others = [
        r
        for r in tools.list_reservations(restaurant=res["restaurant"], date=res["date"], status="booked")
        if r["ref"] != res["ref"]
    ]
    ok = [
        t["code"]
        for t in sorted(info["tables"], key=lambda t: t["seats"])
        if suits(t, params["party"], params["rules"]) and not clashes(t["code"], res["time"], others)
    ]
    table = res["table"] if res["table"] in ok else ok[0]
    return float(tools.update_reservation(ref=res["ref"], party_size=params["party"], table=table)["deposit"])


def qualifies(tools, info, crit, party, rules, menus):
    """Whether a restaurant (its get_restaurant details) meets a request's criteria; `menus` caches diet counts."""
    price_ok = info["price_level"] <= crit.get("max_price", 4) or (
        crit.get("bonus") is not None
        and info["rating"] >= crit["bonus"]
        and info["price_level"] <= crit["max_price"] + 1
    )
    if not price_ok or info["rating"] < crit.get("min_rating", 0) or party > info["max_party"]:
        return False
    if crit.get("cap") is not None and deposit(info, party, rules) > crit["cap"]:
        return False
    if crit.get("diet"):
        key = (info["name"], crit["diet"])
        if key not in menus:
            menus[key] = len(tools.get_menu(restaurant=info["name"], course="main", diet=crit["diet"]))
        return menus[key] >= crit["diet_min"]
    return True


def solve_plan(tools, params):
    """Cancel what is asked, then book each party at a qualifying restaurant with a free table."""
    rules = params["rules"]
    infos, menus, searches = {}, {}, {}

    def info(name):
        if name not in infos:
            infos[name] = tools.get_restaurant(name=name)
        return infos[name]

    def options(b):  # names worth trying for a booking, best rated first; details are fetched only when tried
        if "names" in b:
            return list(b["names"])
        crit = b["crit"]
        key = (crit.get("cuisine"), crit.get("min_rating"))
        if key not in searches:
            searches[key] = tools.search_restaurants(cuisine=crit.get("cuisine"), min_rating=crit.get("min_rating"))
        cap = crit.get("max_price", 4) + (1 if crit.get("bonus") is not None else 0)
        found = [r for r in searches[key] if r["name"] != b.get("exclude") and r["price_level"] <= cap]
        return [r["name"] for r in sorted(found, key=lambda r: (-r["rating"], r["name"]))]

    def fits(name, b):
        return "names" in b or qualifies(tools, info(name), b["crit"], b["party"], rules, menus)

    def tables(name, b):
        return free_tables(tools, params, info(name), b["date"], b["time"], b["party"])

    tools.get_today()
    bookings, refund = list(params.get("bookings") or []), 0
    if params.get("cancel"):
        q = params["cancel"]
        rows = tools.list_reservations(
            restaurant=q["restaurant"], date=q["date"], customer=q.get("customer"), status="booked"
        )
        for row in rows:
            refund += tools.cancel_reservation(ref=row["ref"])["refund"]
            bookings.append(
                {
                    "customer": row["customer"],
                    "date": row["date"],
                    "time": row["time"],
                    "party": row["party_size"],
                    "crit": params["rebook"],
                    "exclude": q["restaurant"],
                }
            )
    if params.get("distinct"):  # parties on different dates at distinct places, combined deposit cap
        choice = next(
            combo
            for combo in itertools.product(*[options(b) for b in bookings])
            if len(set(combo)) == len(combo)
            and all(fits(n, b) for n, b in zip(combo, bookings))
            and sum(deposit(info(n), b["party"], rules) for n, b in zip(combo, bookings)) <= params["cap"]
            and all(tables(n, b) for n, b in zip(combo, bookings))
        )
        plan = list(zip(bookings, choice))
    else:
        plan = [(b, None) for b in bookings]
    booked = []
    for b, name in plan:
        if name is None:  # first qualifying place that still has a table (earlier bookings taken into account)
            name = next(n for n in options(b) if fits(n, b) and tables(n, b))
        tools.book_table(
            restaurant=name,
            table=tables(name, b)[0],
            customer=b["customer"],
            date=b["date"],
            time=b["time"],
            party_size=b["party"],
        )
        booked.append((name, b))
    if params.get("cancel"):
        return float(refund)
    if params.get("report_deposit"):
        return float(sum(deposit(info(n), b["party"], rules) for n, b in booked))
    return f"Booked at {', '.join(n for n, _ in booked)}"
