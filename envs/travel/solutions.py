"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""

import datetime as dt

from synth.env import only


def cheapest_flight(tools, origin, destination, date):
    """The lowest-priced flight with a free seat between two cities on a date."""
    flights = [f for f in tools.search_flights(origin=origin, destination=destination, date=date) if f["seats"] > 0]
    return min(flights, key=lambda f: f["price"])


def cheapest_hotel(tools, city, rating=0.0, min_stars=1, pool=False, breakfast=False, exclude=None):
    """The lowest-priced hotel of a city with a room left that meets the rating, stars and amenities asked for."""
    best = None
    for h in tools.search_hotels(city=city, min_rating=rating, min_stars=min_stars):
        if h["id"] == exclude or (best is not None and h["price"] >= best["price"]):
            continue
        details = tools.get_hotel(hotel_id=h["id"])
        if details["rooms"] > 0 and (details["pool"] or not pool) and (details["breakfast"] or not breakfast):
            best = h
    return best


def rainy(tools, city, date):
    return tools.get_weather(city=city, date=date)["condition"] == "rainy"


def solve_hotel_rating(tools, params):
    return only(tools.search_hotels(city=params["city"]), name=params["hotel"])["rating"]


def solve_flight_price(tools, params):
    return tools.get_flight(code=params["code"])["price"]


def solve_cheapest_rated_hotel(tools, params):
    hotels = tools.search_hotels(city=params["city"], min_rating=params["rating"])
    return min(hotels, key=lambda h: h["price"])["name"]


def solve_average_price(tools, params):
    hotels = [h for h in tools.search_hotels(city=params["city"]) if h["stars"] == params["stars"]]
    return round(sum(h["price"] for h in hotels) / len(hotels), 2)


def solve_rainy_cities(tools, params):
    return [c["name"] for c in tools.list_cities(country=params["country"]) if rainy(tools, c["name"], params["date"])]


def solve_book_hotel(tools, params):
    hotel = cheapest_hotel(tools, params["city"], params["rating"], params["min_stars"], breakfast=True)
    if hotel["price"] * params["nights"] > params["budget"]:
        raise ValueError("no hotel fits the budget")
    booking = tools.book_hotel(
        hotel_id=hotel["id"], guest=params["guest"], check_in=params["date"], nights=params["nights"]
    )
    return f"Booked {hotel['name']}: booking {booking['id']}, total {booking['total']}"


def solve_trip(tools, params):
    flight = cheapest_flight(tools, params["origin"], params["city"], params["date"])
    hotel = cheapest_hotel(
        tools, params["city"], params["rating"], params["min_stars"], pool=rainy(tools, params["city"], params["date"])
    )
    total = flight["price"] + hotel["price"] * params["nights"]
    if total > params["budget"]:
        raise ValueError("the trip does not fit the budget")
    tools.book_flight(flight_id=flight["id"], passenger=params["guest"])
    tools.book_hotel(hotel_id=hotel["id"], guest=params["guest"], check_in=params["date"], nights=params["nights"])
    return f"Booked flight {flight['code']} and {hotel['name']}; total {total}"


def solve_two_city_trip(tools, params):
    nights1 = (dt.date.fromisoformat(params["date2"]) - dt.date.fromisoformat(params["date"])).days
    flights = [
        cheapest_flight(tools, params["origin"], params["first"], params["date"]),
        cheapest_flight(tools, params["first"], params["second"], params["date2"]),
    ]
    stays = []
    for city, date, nights in (
        (params["first"], params["date"], nights1),
        (params["second"], params["date2"], params["nights2"]),
    ):
        hotel = cheapest_hotel(tools, city, params["rating"], params["min_stars"], pool=rainy(tools, city, date))
        stays.append((hotel, date, nights))
    total = sum(f["price"] for f in flights) + sum(h["price"] * n for h, _, n in stays)
    if total > params["budget"]:
        raise ValueError("the trip does not fit the budget")
    for flight in flights:
        tools.book_flight(flight_id=flight["id"], passenger=params["guest"])
    for hotel, date, nights in stays:
        tools.book_hotel(hotel_id=hotel["id"], guest=params["guest"], check_in=date, nights=nights)
    return f"Booked two flights and two hotels; total {total}"


def solve_rebook(tools, params):
    old = tools.get_booking(booking_id=params["booking_id"])
    hotel = tools.get_hotel(hotel_id=old["hotel_id"])
    new = cheapest_hotel(tools, hotel["city"], min_stars=max(hotel["stars"], params["min_stars"]), exclude=hotel["id"])
    tools.cancel_booking(booking_id=old["id"])
    booking = tools.book_hotel(hotel_id=new["id"], guest=old["guest"], check_in=old["check_in"], nights=old["nights"])
    return f"Rebooked at {new['name']} as booking {booking['id']}"
