"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""

import datetime as dt

from synth.env import only


def days_of(start, end):
    return (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days


def booked_rental(tools, params):
    """The driver's one booked rental picked up at params["branch"] on params["start"]."""
    driver = tools.find_driver(name=params["driver"])
    return only(
        tools.list_rentals(driver_id=driver["id"], branch=params["branch"], status="booked"),
        pickup_date=params["start"],
    )


def cheapest_fit(tools, driver, a, b, start, end, code, fits, budget=None):
    """(total, plate) of the cheapest car at `a` for the dates that the driver may take to `b` with insurance
    `code` and that `fits(car)` accepts, within `budget` if one is given; None when there is none."""
    young = driver["age"] < 25
    prices = {i["code"]: i["daily_price"] for i in tools.list_insurance()}
    classes = {c["class"]: c for c in tools.list_car_classes()}
    fee = tools.get_one_way_fee(from_branch=a, to_branch=b)["fee"]
    days = days_of(start, end)
    best = None
    for c in tools.search_cars(branch=a, pickup_date=start, return_date=end):
        rule = classes[c["class"]]
        if driver["age"] < rule["min_age"] or driver["licence_years"] < rule["min_licence_years"] or not fits(c):
            continue
        total = round(days * (c["daily_rate"] + prices[code] + (12.0 if young else 0.0)) + fee, 2)
        if (budget is None or total <= budget) and (best is None or total < best[0]):
            best = (total, c["plate"])
    return best


def solve_car_rate(tools, params):
    return tools.get_car(plate=params["plate"])["daily_rate"]


def solve_one_way_fee(tools, params):
    return tools.get_one_way_fee(from_branch=params["a"], to_branch=params["b"])["fee"]


def solve_licence_years(tools, params):
    return tools.find_driver(name=params["driver"])["licence_years"]


def solve_count_available(tools, params):
    cars = tools.search_cars(
        branch=params["branch"], pickup_date=params["start"], return_date=params["end"], car_class=params["car_class"]
    )
    return len(cars)


def solve_cheapest_feature(tools, params):
    cars = tools.search_cars(branch=params["branch"], pickup_date=params["start"], return_date=params["end"])
    cars = [
        c for c in sorted(cars, key=lambda c: c["daily_rate"]) if tools.get_car(plate=c["plate"])[params["feature"]]
    ]
    return cars[0]["plate"]


def solve_quote_total(tools, params):
    car = tools.get_car(plate=params["plate"])
    driver = tools.find_driver(name=params["driver"])
    fee = tools.get_one_way_fee(from_branch=car["branch"], to_branch=params["ret"])["fee"]
    ins = {i["code"]: i["daily_price"] for i in tools.list_insurance()}[params["insurance"]]
    young = 12.0 if driver["age"] < 25 else 0.0
    return round(days_of(params["start"], params["end"]) * (car["daily_rate"] + ins + young) + fee, 2)


def solve_driver_spend(tools, params):
    driver = tools.find_driver(name=params["driver"])
    rentals = tools.list_rentals(driver_id=driver["id"], status="completed")
    return round(sum(r["total"] for r in rentals), 2)


def solve_book_cheapest(tools, params):
    driver = tools.find_driver(name=params["driver"])
    cars = tools.search_cars(
        branch=params["branch"], pickup_date=params["start"], return_date=params["end"], car_class=params["car_class"]
    )
    car = min(cars, key=lambda c: c["daily_rate"])
    r = tools.book_rental(
        plate=car["plate"],
        driver_id=driver["id"],
        pickup_date=params["start"],
        return_date=params["end"],
        return_branch=params["branch"],
        insurance=params["insurance"],
    )
    return f"Booked rental {r['id']} for car {car['plate']}, total {r['total']}"


def solve_cancel_rental(tools, params):
    r = booked_rental(tools, params)
    tools.cancel_rental(rental_id=r["id"])
    return f"Cancelled rental {r['id']}"


def solve_extend_rental(tools, params):
    r = booked_rental(tools, params)
    end = (dt.date.fromisoformat(r["return_date"]) + dt.timedelta(days=params["extra"])).isoformat()
    new = tools.extend_rental(rental_id=r["id"], new_return_date=end)
    return f"Extended rental {r['id']} to {end}; total {new['total']}"


def solve_change_return(tools, params):
    r = booked_rental(tools, params)
    new = tools.change_return_branch(rental_id=r["id"], return_branch=params["new_branch"])
    return f"Rental {r['id']} now returns at {new['return_branch']}; total {new['total']}"


def solve_one_way_trip(tools, params):
    driver = tools.find_driver(name=params["driver"])
    young = driver["age"] < 25
    code = (
        "FULL"
        if days_of(params["start"], params["end"]) >= params["long_days"] or (young and params["young_full"])
        else "PLUS"
    )

    def fits(c):
        return (
            c["seats"] >= params["seats"]
            and not (params["premium_round"] and c["class"] in ("premium", "luxury"))
            and (params["gear"] == "any" or c["automatic"] == (params["gear"] == "automatic"))
        )

    total, plate = cheapest_fit(
        tools, driver, params["a"], params["b"], params["start"], params["end"], code, fits, params["budget"]
    )
    r = tools.book_rental(
        plate=plate,
        driver_id=driver["id"],
        pickup_date=params["start"],
        return_date=params["end"],
        return_branch=params["b"],
        insurance=code,
    )
    return f"Booked rental {r['id']} with car {plate}, total {r['total']}"


def solve_multi_leg(tools, params):
    driver = tools.find_driver(name=params["driver"])
    young = driver["age"] < 25

    def fits(c):
        return (
            c["class"] != "van"
            and c["seats"] >= params["seats"]
            and not (params["premium_round"] and c["class"] in ("premium", "luxury"))
        )

    plans = []
    for a, b, start, end in (
        (params["a"], params["b"], params["d1"], params["d2"]),
        (params["b"], params["c"], params["d2"], params["d3"]),
    ):
        code = "FULL" if days_of(start, end) >= params["long_days"] or (young and params["young_full"]) else "BASIC"
        plans.append((cheapest_fit(tools, driver, a, b, start, end, code, fits), b, start, end, code))
    if sum(p[0][0] for p in plans) > params["budget"]:
        return "No plan fits the budget."
    booked = []
    for (total, plate), b, start, end, code in plans:
        r = tools.book_rental(
            plate=plate, driver_id=driver["id"], pickup_date=start, return_date=end, return_branch=b, insurance=code
        )
        booked.append(r["id"])
    return f"Booked rentals {booked}"


def solve_car_maintenance(tools, params):
    car = tools.get_car(plate=params["plate"])
    for r in tools.list_rentals(plate=params["plate"], status="booked"):
        options = [
            c
            for c in tools.search_cars(
                branch=car["branch"], pickup_date=r["pickup_date"], return_date=r["return_date"], car_class=car["class"]
            )
            if c["plate"] != params["plate"]
        ]
        tools.book_rental(
            plate=options[0]["plate"],
            driver_id=r["driver_id"],
            pickup_date=r["pickup_date"],
            return_date=r["return_date"],
            return_branch=r["return_branch"],
            insurance=r["insurance"],
        )
        tools.cancel_rental(rental_id=r["id"])
    tools.set_car_status(plate=params["plate"], status="maintenance")
    return f"Car {params['plate']} is in maintenance; its rentals were moved."


def solve_branch_closure(tools, params):
    for r in tools.list_rentals(branch=params["closing"], status="booked"):
        options = tools.search_cars(
            branch=params["target"],
            pickup_date=r["pickup_date"],
            return_date=r["return_date"],
            car_class=r["car_class"],
        )
        ret = params["target"] if r["return_branch"] == params["closing"] else r["return_branch"]
        tools.cancel_rental(rental_id=r["id"])
        tools.book_rental(
            plate=options[0]["plate"],
            driver_id=r["driver_id"],
            pickup_date=r["pickup_date"],
            return_date=r["return_date"],
            return_branch=ret,
            insurance=r["insurance"],
        )
    for r in tools.list_rentals(return_branch=params["closing"], status="booked"):
        tools.change_return_branch(rental_id=r["id"], return_branch=params["target"])
    tools.close_branch(branch=params["closing"])
    return f"{params['closing']} closed; rentals moved to {params['target']}."
