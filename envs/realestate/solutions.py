"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""

import math

from synth.env import only


def find_buyer(tools, name):
    """The buyer's full record (get_buyer) by exact name."""
    return tools.get_buyer(buyer_id=only(tools.find_buyers(name=name), name=name)["id"])


def find_listing(tools, address, status="active"):
    return only(tools.search_listings(status=status, address=address), address=address)


def finances(info, buyer):
    """(largest mortgage, minimum deposit share) of a buyer under the agency's rules."""
    loan = max(
        0.0, info["loan_income_multiple"] * buyer["annual_income"] - info["loan_debt_factor"] * buyer["monthly_debts"]
    )
    return loan, info["first_time_deposit_share"] if buyer["first_time"] else info["deposit_share"]


def deposit_for(amount, loan, share):
    """The smallest allowed deposit on an offer of `amount`: the minimum share, rounded up, or what the loan leaves."""
    return max(float(math.ceil(round(amount * share, 6))), amount - loan)


def book_first(tools, listing_id, buyer_id, date, hours):
    """Book the first of `hours` the rules allow; the viewing, or None."""
    for hour in hours:
        try:
            return tools.schedule_viewing(listing_id=listing_id, buyer_id=buyer_id, date=date, time=hour)
        except Exception:
            continue
    return None


def solve_listing_price(tools, params):
    return find_listing(tools, params["address"], "any")["price"]


def solve_listing_agent(tools, params):
    return tools.get_listing(listing_id=find_listing(tools, params["address"], "any")["id"])["agent"]


def solve_cheapest_match(tools, params):
    found = tools.search_listings(
        neighbourhood=params["area"], kind=params["kind"], min_bedrooms=params["bedrooms"], feature=params["feature"]
    )
    return min(found, key=lambda listing: listing["price"])["address"]


def solve_price_per_sqm(tools, params):
    found = tools.search_listings(neighbourhood=params["area"], kind=params["kind"])
    return round(sum(listing["price"] / listing["area_sqm"] for listing in found) / len(found), 2)


def solve_affordable_count(tools, params):
    b = find_buyer(tools, params["buyer"])
    loan, share = finances(tools.get_agency_info(), b)
    return sum(
        deposit_for(listing["price"], loan, share) <= b["savings"]
        for listing in tools.search_listings(city=params["city"])
    )


def solve_agent_sales(tools, params):
    agent = only(tools.list_agents(), name=params["agent"])
    return sum(listing["price"] for listing in tools.search_listings(status="sold", agent_id=agent["id"]))


def solve_book_viewing(tools, params):
    b = find_buyer(tools, params["buyer"])
    listing = find_listing(tools, params["address"])
    hours = [h for h in tools.get_agency_info()["viewing_hours"] if h >= params["hour"]]
    booked = book_first(tools, listing["id"], b["id"], params["date"], hours)
    return f"Booked viewing {booked['viewing_id']} at {booked['time']}" if booked else "no slot"


def solve_withdraw_offers(tools, params):
    b = find_buyer(tools, params["buyer"])
    for o in b["offers"]:
        if o["status"] == "pending":
            tools.withdraw_offer(offer_id=o["offer_id"])
    for v in b["viewings"]:
        if v["status"] == "scheduled" and v["date"] >= params["date"]:
            tools.cancel_viewing(viewing_id=v["viewing_id"])
    return "Done"


def solve_offer_percent(tools, params):
    b = find_buyer(tools, params["buyer"])
    loan, share = finances(tools.get_agency_info(), b)
    listing = find_listing(tools, params["address"])
    amount = float(round(listing["price"] * params["percent"] / 100))
    offer = tools.submit_offer(
        listing_id=listing["id"], buyer_id=b["id"], amount=amount, deposit=deposit_for(amount, loan, share)
    )
    return f"Submitted offer {offer['offer_id']}"


def solve_viewing_tour(tools, params):
    info = tools.get_agency_info()
    b = find_buyer(tools, params["buyer"])
    loan, share = finances(info, b)
    booked = []
    for listing in tools.search_listings(
        neighbourhood=params["area"], kind=params["kind"], min_bedrooms=params["bedrooms"]
    ):
        if deposit_for(listing["price"], loan, share) <= b["savings"]:
            viewing = book_first(tools, listing["id"], b["id"], params["date"], info["viewing_hours"])
            if viewing:
                booked.append(viewing["viewing_id"])
    return f"Booked viewings {booked}"


def solve_best_offer(tools, params):
    info = tools.get_agency_info()
    b = find_buyer(tools, params["buyer"])
    loan, share = finances(info, b)
    best = None
    for listing in tools.search_listings(
        city=params["city"], kind=params["kind"], min_bedrooms=params["bedrooms"], feature=params["feature"]
    ):
        amount = float(math.ceil(round(listing["price"] * params["min_pct"], 6)))
        deposit = deposit_for(amount, loan, share)
        if deposit <= b["savings"] and (best is None or listing["price"] < best[0]["price"]):
            best = (listing, amount, deposit)
    for o in b["offers"]:
        if o["status"] == "pending":
            tools.withdraw_offer(offer_id=o["offer_id"])
    listing, amount, deposit = best
    tools.submit_offer(listing_id=listing["id"], buyer_id=b["id"], amount=amount, deposit=deposit)
    book_first(tools, listing["id"], b["id"], params["date"], info["viewing_hours"])
    return f"Offer of {amount} on {listing['address']}"
