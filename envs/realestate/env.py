"""Real estate: neighbourhoods, listings with features and prices, agents, buyers' finances, viewings and offers."""

from __future__ import annotations

import datetime as dt
import math
import random

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool
from verifiers.common import verify_names, verify_number

NEIGHBOURHOODS = {"Larkhaven": ["Old Quay", "Thistle Park", "Mercer Heights", "Saltmarsh"],
                  "Brightwater": ["Canal Side", "Foxglove Hill", "Upper Green", "Millbrook"],
                  "Eastmoor": ["Rookery", "Cinder Lane", "Beacon Rise", "Orchard End"]}
STREETS = ["Acorn Way", "Bellflower Road", "Copper Lane", "Dovetail Street", "Elder Close", "Falcon Drive",
           "Granary Row", "Heron Walk", "Ivy Terrace", "Juniper Court", "Kestrel Mews", "Linden Avenue",
           "Marigold Place", "Nightingale Road", "Oakapple Street", "Pebble Lane"]
KINDS = {"apartment": (1, 3, 45, 110), "townhouse": (2, 4, 80, 150), "house": (2, 6, 95, 260)}
FEATURES = ["garden", "garage", "balcony", "elevator", "fireplace", "solar panels", "pool", "parking"]
AGENCIES = ["Keystone Homes", "Harbourline Estates", "Meridian Property", "Oakframe Realty"]
FIRST = ["Anouk", "Bastian", "Clio", "Dmitri", "Elin", "Florian", "Gaia", "Henrik", "Ilse", "Joaquin", "Katja",
         "Lukas", "Malin", "Nikolai", "Oriane", "Pieter", "Rhiannon", "Stellan", "Tove", "Viggo"]
LAST = ["Aldridge", "Brockhurst", "Caldwell", "Dunstan", "Ellingham", "Fairweather", "Goodall", "Hathaway",
        "Inglewood", "Jarrow", "Kensett", "Lovelock", "Moorcroft", "Netherby", "Overton", "Penrose"]
HOURS = [f"{h:02d}:00" for h in range(9, 18)]
LOAN_MULTIPLE, DEBT_FACTOR, MAX_VIEWINGS_PER_DAY = 4.5, 50, 3


def max_loan(buyer: dict) -> float:
    return max(0.0, LOAN_MULTIPLE * buyer["annual_income"] - DEBT_FACTOR * buyer["monthly_debts"])


def deposit_rate(buyer: dict) -> float:
    return 0.05 if buyer["first_time"] else 0.10


def min_deposit(buyer: dict, amount: float) -> float:
    return float(math.ceil(round(amount * deposit_rate(buyer), 6)))


def affordable(buyer: dict, amount: float) -> bool:
    """A deposit exists that meets the minimum, fits the savings, and leaves a loan within the limit."""
    need = max(min_deposit(buyer, amount), amount - max_loan(buyer))
    return need <= buyer["savings"]


class RealEstateEnv(EnvTemplate):
    name = "realestate"
    version = "1.0.0"
    category = "real estate"
    description = ("An estate agency's system: search listings by area, type, size, price and features, look up "
                   "agents and buyers' finances, schedule viewings, and submit, withdraw and accept offers.")
    policy = (
        "Dates count from the agency's today (get_agency_info). Viewings are on the hour from 09:00 to 17:00, on a "
        "day after today, of active listings, with the listing's agent; neither the agent nor the buyer may have "
        "two viewings at the same time, and a buyer may have at most 3 viewings a day. "
        "Offers go only on active listings, for at least 85% of the asking price, and a buyer may have only one "
        "pending offer at a time. Every offer states a deposit of at least 10% of the offer (5% for first-time "
        "buyers), rounded up to a whole unit, that the buyer's savings cover; the rest is the mortgage, which may "
        "not exceed 4.5 times the buyer's annual income minus 50 times their monthly debts. "
        "Accepting an offer puts the listing under offer and rejects its other pending offers."
    )
    variants = VariantSpace(
        optional_tools=("list_neighbourhoods", "get_agent", "agent_schedule"),
        renames={"search_listings": ("find_listings", "listing_search"), "submit_offer": ("make_offer",),
                 "get_buyer": ("buyer_profile",)},
        rules={"min_offer_95": "Offers must be at least 95% of the asking price (not 85%).",
               "preapproval_required": "Offers may only be submitted for buyers with mortgage pre-approval."},
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "listing_price": [
            "What is the asking price of {{address}}?",
            "How much is {{address}} listed for?",
        ],
        "listing_agent": [
            "Which agent handles the listing at {{address}}?",
            "Who is the listing agent for {{address}}?",
        ],
        "cheapest_match": [
            "What is the cheapest active {{kind}} in {{area}} with at least {{bedrooms}} bedrooms and a {{feature}}? "
            "Give the address.",
            "Find the lowest-priced {{kind}} for sale in {{area}} that has {{bedrooms}}+ bedrooms and a {{feature}}.",
        ],
        "price_per_sqm": [
            "What is the average asking price per square metre of active {{kind}} listings in {{area}}? Average the "
            "per-listing figures and round to 2 decimals.",
            "Across the {{kind}} listings currently for sale in {{area}}, what is the mean of price divided by area "
            "(2 decimals)?",
        ],
        "affordable_count": [
            "How many active listings in {{city}} could {{buyer}} afford at the full asking price under our mortgage "
            "rules?",
            "Count the {{city}} listings for sale that {{buyer}} can finance at asking price, given the deposit and "
            "loan rules.",
        ],
        "agent_sales": [
            "What is the combined asking price of all the listings {{agent}} has sold?",
            "Add up the asking prices of every sold listing handled by {{agent}}.",
        ],
        "book_viewing": [
            "Book {{buyer}} a viewing of {{address}} on {{date}} at the earliest hour from {{hour}} on that the rules "
            "allow.",
            "{{buyer}} wants to see {{address}} on {{date}}, no earlier than {{hour}}. Schedule the first permitted "
            "slot.",
        ],
        "withdraw_offers": [
            "{{buyer}} has changed their mind. Withdraw their pending offer, if any, and cancel all of their "
            "viewings scheduled on or after {{date}}.",
            "Withdraw {{buyer}}'s pending offer and call off every viewing of theirs from {{date}} onward.",
        ],
        "offer_percent": [
            "Submit an offer from {{buyer}} on {{address}} of {{percent}}% of the asking price (rounded to a whole "
            "unit), with the smallest deposit the rules allow.",
            "{{buyer}} offers {{percent}}% of the asking price for {{address}}, rounded to a whole unit. Put it in "
            "with the minimum permitted deposit.",
        ],
        "viewing_tour": [
            "On {{date}}, {{buyer}} wants to view every active {{kind}} in {{area}} with at least {{bedrooms}} "
            "bedrooms that they could afford at asking price. Book a viewing for each, respecting all viewing rules.",
            "Set up {{buyer}}'s viewing day on {{date}}: each {{kind}} for sale in {{area}} with {{bedrooms}}+ "
            "bedrooms that is within their means at the asking price gets a viewing, following the rules.",
        ],
        "best_offer": [
            "{{buyer}} wants the cheapest active {{kind}} in {{city}} with at least {{bedrooms}} bedrooms and a "
            "{{feature}} that they can afford at the lowest offer the rules allow. Withdraw their current pending "
            "offer if they have one, submit that lowest allowed offer (rounded up to a whole unit) with the smallest "
            "allowed deposit, and book them a viewing of it on {{date}} at any permitted hour.",
            "Find {{buyer}} the least expensive {{kind}} in {{city}} ({{bedrooms}}+ bedrooms, with a {{feature}}) "
            "that they could finance at the minimum permitted offer. Replace any pending offer of theirs with that "
            "minimum offer, rounded up to a whole unit, using the lowest deposit allowed, and schedule a viewing "
            "there on {{date}} at a time the rules allow.",
        ],
    }

    # ---- database ---------------------------------------------------------------------------------

    def build(self, rng: random.Random) -> None:
        self.db.executescript("""
            CREATE TABLE agency (id INTEGER PRIMARY KEY, today TEXT);
            CREATE TABLE neighbourhoods (id INTEGER PRIMARY KEY, name TEXT UNIQUE, city TEXT, school_rating REAL);
            CREATE TABLE agents (id INTEGER PRIMARY KEY, name TEXT UNIQUE, agency TEXT, phone TEXT, rating REAL);
            CREATE TABLE listings (id INTEGER PRIMARY KEY, address TEXT UNIQUE, neighbourhood_id INTEGER REFERENCES
                neighbourhoods(id), agent_id INTEGER REFERENCES agents(id), kind TEXT, bedrooms INTEGER,
                bathrooms INTEGER, area_sqm INTEGER, price REAL, hoa_monthly REAL, listed_on TEXT, status TEXT);
            CREATE TABLE features (id INTEGER PRIMARY KEY, listing_id INTEGER REFERENCES listings(id), feature TEXT);
            CREATE TABLE buyers (id INTEGER PRIMARY KEY, name TEXT UNIQUE, annual_income REAL, savings REAL,
                monthly_debts REAL, first_time INTEGER, preapproved INTEGER);
            CREATE TABLE viewings (id INTEGER PRIMARY KEY, listing_id INTEGER REFERENCES listings(id), buyer_id INTEGER
                REFERENCES buyers(id), agent_id INTEGER REFERENCES agents(id), date TEXT, time TEXT, status TEXT);
            CREATE TABLE offers (id INTEGER PRIMARY KEY, listing_id INTEGER REFERENCES listings(id), buyer_id INTEGER
                REFERENCES buyers(id), amount REAL, deposit REAL, made_on TEXT, status TEXT);
        """)
        n_city, per_area, n_buyers = {"small": (1, (14, 20), (20, 28)), "medium": (2, (12, 17), (30, 40)),
                                      "large": (3, (12, 16), (45, 60))}[self.variant.scale]
        today = dt.date(2026, rng.randint(1, 12), rng.randint(1, 28))
        self.db.execute("INSERT INTO agency VALUES (1, ?)", (today.isoformat(),))
        names = iter(rng.sample([f"{f} {l}" for f in FIRST for l in LAST], len(FIRST) * len(LAST)))
        for _ in range(rng.randint(6, 9)):
            self.db.execute("INSERT INTO agents (name, agency, phone, rating) VALUES (?, ?, ?, ?)",
                            (next(names), rng.choice(AGENCIES), f"555-{rng.randint(1000, 9999)}",
                             round(rng.uniform(3.5, 5.0), 1)))
        agents = [r["id"] for r in self.rows("SELECT id FROM agents")]
        addresses = iter(rng.sample([f"{n} {s}" for n in range(1, 120) for s in STREETS], 800))
        for city in rng.sample(sorted(NEIGHBOURHOODS), n_city):
            base = rng.randint(2600, 5200)
            for area in NEIGHBOURHOODS[city]:
                nid = self.db.execute("INSERT INTO neighbourhoods (name, city, school_rating) VALUES (?, ?, ?)",
                                      (area, city, round(rng.uniform(5, 9.8), 1))).lastrowid
                per_sqm = base * rng.uniform(0.75, 1.35)
                for _ in range(rng.randint(*per_area)):
                    kind = rng.choice(sorted(KINDS))
                    lo, hi, a_lo, a_hi = KINDS[kind]
                    beds = rng.randint(lo, hi)
                    sqm = rng.randint(max(a_lo, 25 * beds), max(a_hi, 30 * beds))
                    price = float(round(sqm * per_sqm * rng.uniform(0.85, 1.2), -3))
                    lid = self.db.execute(
                        "INSERT INTO listings (address, neighbourhood_id, agent_id, kind, bedrooms, bathrooms, "
                        "area_sqm, price, hoa_monthly, listed_on, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (f"{next(addresses)}, {city}", nid, rng.choice(agents), kind, beds,
                         rng.randint(1, max(1, beds - 1)), sqm, price,
                         float(rng.choice([0, 0, 80, 150, 240])) if kind == "apartment" else 0.0,
                         (today - dt.timedelta(days=rng.randint(1, 180))).isoformat(),
                         rng.choices(["active", "under_offer", "sold"], [7, 1, 2])[0])).lastrowid
                    for f in rng.sample(FEATURES, rng.randint(1, 4)):
                        self.db.execute("INSERT INTO features (listing_id, feature) VALUES (?, ?)", (lid, f))
        for _ in range(rng.randint(*n_buyers)):
            income = float(rng.randint(30, 160) * 1000)
            self.db.execute("INSERT INTO buyers (name, annual_income, savings, monthly_debts, first_time, preapproved) "
                            "VALUES (?, ?, ?, ?, ?, ?)", (next(names), income, float(rng.randint(10, 250) * 1000),
                                                          float(rng.choice([0, 0, 150, 300, 600, 900])),
                                                          int(rng.random() < 0.4), int(rng.random() < 0.7)))
        self._build_activity(rng, today)

    def _build_activity(self, rng: random.Random, today: dt.date) -> None:
        active = self.rows("SELECT * FROM listings WHERE status = 'active'")
        for b in self.rows("SELECT * FROM buyers"):
            for _ in range(rng.randint(0, 3)):
                listing = rng.choice(active)
                day = (today + dt.timedelta(days=rng.randint(-20, 10))).isoformat()
                hour = rng.choice(HOURS)
                clash = self.db.execute("SELECT 1 FROM viewings WHERE date = ? AND time = ? AND (agent_id = ? OR "
                                        "buyer_id = ?)", (day, hour, listing["agent_id"], b["id"])).fetchone()
                if not clash:
                    self.db.execute("INSERT INTO viewings (listing_id, buyer_id, agent_id, date, time, status) VALUES "
                                    "(?, ?, ?, ?, ?, 'scheduled')", (listing["id"], b["id"], listing["agent_id"], day, hour))
            if rng.random() < 0.4:
                listing = rng.choice(active)
                amount = float(round(listing["price"] * rng.uniform(0.9, 1.0), -3))
                if affordable(b, amount):
                    deposit = max(min_deposit(b, amount), amount - max_loan(b))
                    self.db.execute("INSERT INTO offers (listing_id, buyer_id, amount, deposit, made_on, status) VALUES "
                                    "(?, ?, ?, ?, ?, 'pending')", (listing["id"], b["id"], amount, deposit,
                                                                   (today - dt.timedelta(days=rng.randint(0, 9))).isoformat()))

    # ---- helpers ------------------------------------------------------------------------------------

    def _today(self) -> str:
        return self.db.execute("SELECT today FROM agency").fetchone()[0]

    def _get(self, table: str, row_id: int, hint: str) -> dict:
        row = self.db.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,)).fetchone()
        if row is None:
            raise ValueError(f"no {table[:-1]} with id {row_id}; {hint}")
        return dict(row)

    def _min_pct(self) -> float:
        return 0.95 if "min_offer_95" in self.variant.rules else 0.85

    def _rules(self) -> dict:
        return {"min_pct": self._min_pct(), "preapproval": "preapproval_required" in self.variant.rules}

    def _viewing_problem(self, listing_id: int, buyer_id: int, date: str, time: str) -> str | None:
        listing = self._get("listings", listing_id, "use search_listings")
        if time not in HOURS:
            return "viewings start on the hour between 09:00 and 17:00"
        if date <= self._today():
            return "viewings must be on a day after today"
        if listing["status"] != "active":
            return "the listing is not active"
        busy = self.rows("SELECT agent_id, buyer_id, time FROM viewings WHERE date = ? AND status = 'scheduled' AND "
                         "(agent_id = ? OR buyer_id = ?)", date, listing["agent_id"], buyer_id)
        if any(v["time"] == time for v in busy):
            return "the agent or the buyer already has a viewing at that time"
        if len([v for v in busy if v["buyer_id"] == buyer_id]) >= MAX_VIEWINGS_PER_DAY:
            return f"a buyer may have at most {MAX_VIEWINGS_PER_DAY} viewings a day"
        return None

    def _offer_problem(self, listing: dict, buyer: dict, amount: float, deposit: float) -> str | None:
        if listing["status"] != "active":
            return "the listing is not active"
        if amount < listing["price"] * self._min_pct() - 1e-9:
            return f"offers must be at least {round(self._min_pct() * 100)}% of the asking price"
        if "preapproval_required" in self.variant.rules and not buyer["preapproved"]:
            return "the buyer has no mortgage pre-approval"
        if self.db.execute("SELECT 1 FROM offers WHERE buyer_id = ? AND status = 'pending'", (buyer["id"],)).fetchone():
            return "the buyer already has a pending offer"
        if deposit < min_deposit(buyer, amount) or deposit > buyer["savings"]:
            return "the deposit is below the minimum or above the buyer's savings"
        if amount - deposit > max_loan(buyer) + 1e-9:
            return "the mortgage would exceed the buyer's borrowing limit"
        return None

    # ---- tools --------------------------------------------------------------------------------------

    @tool("read")
    def get_agency_info(self) -> dict:
        """Today's date and the viewing and offer rules in numbers."""
        return {"today": self._today(), "viewing_hours": HOURS, "max_viewings_per_day": MAX_VIEWINGS_PER_DAY,
                "min_offer_share_of_asking": self._min_pct(), "deposit_share": 0.10, "first_time_deposit_share": 0.05,
                "loan_income_multiple": LOAN_MULTIPLE, "loan_debt_factor": DEBT_FACTOR,
                "preapproval_required": "preapproval_required" in self.variant.rules}

    @tool("read")
    def list_neighbourhoods(self, city: str | None = None) -> list[dict]:
        """Neighbourhoods with their city and school rating.

        Args:
            city: Only this city.
        """
        return self.rows("SELECT name, city, school_rating FROM neighbourhoods WHERE (? IS NULL OR lower(city) = "
                         "lower(?)) ORDER BY city, name", city, city)

    @tool("read")
    def search_listings(self, city: str | None = None, neighbourhood: str | None = None, kind: str | None = None,
                        min_bedrooms: int = 0, max_price: float | None = None, feature: str | None = None,
                        status: str = "active", address: str | None = None) -> list[dict]:
        """Listings matching the filters, with address, type, bedrooms, area, price and status.

        Args:
            city: City name.
            neighbourhood: Neighbourhood name.
            kind: apartment, townhouse or house.
            min_bedrooms: Fewest bedrooms.
            max_price: Highest asking price.
            feature: A feature the listing must have, e.g. garden, garage, balcony, pool.
            status: active, under_offer, sold or any.
            address: Part of the street address.
        """
        if status not in ("active", "under_offer", "sold", "any"):
            raise ValueError("status must be active, under_offer, sold or any")
        return self.rows(
            "SELECT l.id, l.address, n.name AS neighbourhood, n.city, l.kind, l.bedrooms, l.area_sqm, l.price, "
            "l.status FROM listings l JOIN neighbourhoods n ON n.id = l.neighbourhood_id WHERE (? IS NULL OR "
            "lower(n.city) = lower(?)) AND (? IS NULL OR lower(n.name) = lower(?)) AND (? IS NULL OR l.kind = ?) AND "
            "l.bedrooms >= ? AND l.price <= ? AND (? = 'any' OR l.status = ?) AND (? IS NULL OR EXISTS (SELECT 1 FROM "
            "features f WHERE f.listing_id = l.id AND f.feature = lower(?))) AND (? IS NULL OR lower(l.address) LIKE '%' || "
            "lower(?) || '%') ORDER BY l.id",
            city, city, neighbourhood, neighbourhood, kind, kind, min_bedrooms, max_price if max_price else 1e18,
            status, status, feature, feature, address, address)

    @tool("read")
    def get_listing(self, listing_id: int) -> dict:
        """One listing with its features, monthly fees, listing date and agent.

        Args:
            listing_id: Listing id from search_listings.
        """
        listing = self._get("listings", listing_id, "use search_listings")
        listing["features"] = [r["feature"] for r in self.rows("SELECT feature FROM features WHERE listing_id = ? "
                                                               "ORDER BY feature", listing_id)]
        listing["agent"] = self._get("agents", listing["agent_id"], "")["name"]
        return listing

    @tool("read")
    def get_agent(self, agent_id: int) -> dict:
        """An agent's agency, phone, rating and counts of active and sold listings.

        Args:
            agent_id: Agent id.
        """
        agent = self._get("agents", agent_id, "agent ids appear on listings")
        for status in ("active", "sold"):
            agent[f"{status}_listings"] = self.db.execute("SELECT COUNT(*) FROM listings WHERE agent_id = ? AND "
                                                          "status = ?", (agent_id, status)).fetchone()[0]
        return agent

    @tool("read")
    def list_agents(self, agency: str | None = None) -> list[dict]:
        """Agents, optionally of one agency.

        Args:
            agency: Agency name.
        """
        return self.rows("SELECT id, name, agency, rating FROM agents WHERE (? IS NULL OR lower(agency) = lower(?)) "
                         "ORDER BY id", agency, agency)

    @tool("read")
    def agent_schedule(self, agent_id: int, date: str) -> list[dict]:
        """An agent's scheduled viewings on a date (YYYY-MM-DD).

        Args:
            agent_id: Agent id.
            date: Date.
        """
        self._get("agents", agent_id, "agent ids appear on listings")
        return self.rows("SELECT id, listing_id, time FROM viewings WHERE agent_id = ? AND date = ? AND status = "
                         "'scheduled' ORDER BY time", agent_id, date)

    @tool("read")
    def find_buyers(self, name: str) -> list[dict]:
        """Buyers whose name contains the text (case-insensitive).

        Args:
            name: Full or partial name.
        """
        if not name.strip():
            raise ValueError("give part of the buyer's name")
        return self.rows("SELECT id, name FROM buyers WHERE lower(name) LIKE '%' || lower(?) || '%' ORDER BY id", name)

    @tool("read")
    def get_buyer(self, buyer_id: int) -> dict:
        """A buyer's finances (income, savings, monthly debts, first-time, pre-approval), viewings and offers.

        Args:
            buyer_id: Buyer id from find_buyers.
        """
        b = self._get("buyers", buyer_id, "use find_buyers")
        b["viewings"] = self.rows("SELECT v.id AS viewing_id, v.listing_id, l.address, v.agent_id, v.date, v.time, "
                                  "v.status FROM viewings v JOIN listings l ON l.id = v.listing_id WHERE v.buyer_id = ? "
                                  "ORDER BY v.date, v.time", buyer_id)
        b["offers"] = self.rows("SELECT o.id AS offer_id, o.listing_id, l.address, o.amount, o.deposit, o.made_on, "
                                "o.status FROM offers o JOIN listings l ON l.id = o.listing_id WHERE o.buyer_id = ? "
                                "ORDER BY o.id", buyer_id)
        return b

    @tool("write")
    def schedule_viewing(self, listing_id: int, buyer_id: int, date: str, time: str) -> dict:
        """Book a viewing of a listing for a buyer with the listing's agent.

        Args:
            listing_id: Listing id.
            buyer_id: Buyer id.
            date: Date, YYYY-MM-DD.
            time: Hour, HH:00 from 09:00 to 17:00.
        """
        self._get("buyers", buyer_id, "use find_buyers")
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            raise ValueError("date must be YYYY-MM-DD") from None
        if problem := self._viewing_problem(listing_id, buyer_id, date, time):
            raise ValueError(f"policy: {problem}")
        agent = self._get("listings", listing_id, "")["agent_id"]
        vid = self.db.execute("INSERT INTO viewings (listing_id, buyer_id, agent_id, date, time, status) VALUES "
                              "(?, ?, ?, ?, ?, 'scheduled')", (listing_id, buyer_id, agent, date, time)).lastrowid
        return {"viewing_id": vid, "date": date, "time": time}

    @tool("write")
    def cancel_viewing(self, viewing_id: int) -> dict:
        """Cancel a scheduled viewing.

        Args:
            viewing_id: Viewing id.
        """
        v = self._get("viewings", viewing_id, "get_buyer lists a buyer's viewings")
        if v["status"] != "scheduled":
            raise ValueError("the viewing is not scheduled")
        self.db.execute("UPDATE viewings SET status = 'cancelled' WHERE id = ?", (viewing_id,))
        return {"viewing_id": viewing_id, "status": "cancelled"}

    @tool("write")
    def submit_offer(self, listing_id: int, buyer_id: int, amount: float, deposit: float) -> dict:
        """Submit a buyer's offer on a listing with the deposit they will put down.

        Args:
            listing_id: Listing id.
            buyer_id: Buyer id.
            amount: Offer amount.
            deposit: Deposit from the buyer's savings.
        """
        listing = self._get("listings", listing_id, "use search_listings")
        buyer = self._get("buyers", buyer_id, "use find_buyers")
        if problem := self._offer_problem(listing, buyer, amount, deposit):
            raise ValueError(f"policy: {problem}")
        oid = self.db.execute("INSERT INTO offers (listing_id, buyer_id, amount, deposit, made_on, status) VALUES "
                              "(?, ?, ?, ?, ?, 'pending')", (listing_id, buyer_id, amount, deposit,
                                                             self._today())).lastrowid
        return {"offer_id": oid, "status": "pending"}

    @tool("write")
    def withdraw_offer(self, offer_id: int) -> dict:
        """Withdraw a pending offer.

        Args:
            offer_id: Offer id.
        """
        o = self._get("offers", offer_id, "get_buyer lists a buyer's offers")
        if o["status"] != "pending":
            raise ValueError("only pending offers can be withdrawn")
        self.db.execute("UPDATE offers SET status = 'withdrawn' WHERE id = ?", (offer_id,))
        return {"offer_id": offer_id, "status": "withdrawn"}

    @tool("write")
    def accept_offer(self, offer_id: int) -> dict:
        """Accept a pending offer for the seller: the listing goes under offer and its other pending offers are rejected.

        Args:
            offer_id: Offer id.
        """
        o = self._get("offers", offer_id, "get_buyer lists a buyer's offers")
        if o["status"] != "pending":
            raise ValueError("only pending offers can be accepted")
        self.db.execute("UPDATE offers SET status = 'rejected' WHERE listing_id = ? AND status = 'pending' AND id != ?",
                        (o["listing_id"], offer_id))
        self.db.execute("UPDATE offers SET status = 'accepted' WHERE id = ?", (offer_id,))
        self.db.execute("UPDATE listings SET status = 'under_offer' WHERE id = ?", (o["listing_id"],))
        return {"offer_id": offer_id, "status": "accepted"}

    # ---- proposers ----------------------------------------------------------------------------------


    def _addresses(self) -> list[str]:
        return [r["address"] for r in self.rows("SELECT address FROM listings")]

    def _dates(self) -> list[str]:
        today = dt.date.fromisoformat(self._today())
        return [(today + dt.timedelta(days=d)).isoformat() for d in range(1, 11)]

    def _matches(self, where: str, *args) -> list[dict]:
        return self.rows("SELECT l.*, n.name AS area, n.city FROM listings l JOIN neighbourhoods n ON n.id = "
                         f"l.neighbourhood_id WHERE l.status = 'active' AND {where}", *args)

    def _has(self, listing_id: int, feature: str) -> bool:
        return self.db.execute("SELECT 1 FROM features WHERE listing_id = ? AND feature = ?",
                               (listing_id, feature)).fetchone() is not None

    @proposer(difficulty=1)
    def propose_listing_price(self, rng: random.Random) -> TaskDraft | None:
        listing = rng.choice(self.rows("SELECT address, price FROM listings"))
        return TaskDraft(shape="listing_price", instruction=self.render("listing_price", rng, address=listing["address"]),
                         solution=Program.of(solve_listing_price, address=listing["address"]),
                         verifier=Program.of(verify_number, expected=listing["price"], tolerance=0.5),
                         tools=self.available_tools("search_listings", "get_listing"))

    @proposer(difficulty=1)
    def propose_listing_agent(self, rng: random.Random) -> TaskDraft | None:
        listing = rng.choice(self.rows("SELECT l.address, a.name FROM listings l JOIN agents a ON a.id = l.agent_id"))
        return TaskDraft(shape="listing_agent", instruction=self.render("listing_agent", rng, address=listing["address"]),
                         solution=Program.of(solve_listing_agent, address=listing["address"]),
                         verifier=Program.of(verify_names, expected=[listing["name"]],
                                             candidates=[r["name"] for r in self.rows("SELECT name FROM agents")]),
                         tools=self.available_tools("search_listings", "get_listing", "get_agent"))

    @proposer(difficulty=2)
    def propose_cheapest_match(self, rng: random.Random) -> TaskDraft | None:
        seed = rng.choice(self._matches("1"))
        area = self._get("neighbourhoods", seed["neighbourhood_id"], "")
        kind, beds = seed["kind"], rng.randint(1, seed["bedrooms"])
        feature = rng.choice([r["feature"] for r in self.rows("SELECT feature FROM features WHERE listing_id = ?",
                                                              seed["id"])])
        found = sorted((l for l in self._matches("l.neighbourhood_id = ? AND l.kind = ? AND l.bedrooms >= ?",
                                                 area["id"], kind, beds) if self._has(l["id"], feature)),
                       key=lambda l: l["price"])
        if not found or len(found) > 1 and found[0]["price"] == found[1]["price"]:
            return None
        spec = {"area": area["name"], "kind": kind, "feature": feature, "bedrooms": beds}
        return TaskDraft(shape="cheapest_match", instruction=self.render("cheapest_match", rng, **spec),
                         solution=Program.of(solve_cheapest_match, **spec),
                         verifier=Program.of(verify_names, expected=[found[0]["address"]], candidates=self._addresses()),
                         tools=self.available_tools("search_listings", "get_listing", "list_neighbourhoods"))

    @proposer(difficulty=2)
    def propose_price_per_sqm(self, rng: random.Random) -> TaskDraft | None:
        area, kind = rng.choice(self.rows("SELECT * FROM neighbourhoods")), rng.choice(sorted(KINDS))
        found = self._matches("l.neighbourhood_id = ? AND l.kind = ?", area["id"], kind)
        if len(found) < 2:
            return None
        value = round(sum(l["price"] / l["area_sqm"] for l in found) / len(found), 2)
        return TaskDraft(shape="price_per_sqm",
                         instruction=self.render("price_per_sqm", rng, area=area["name"], kind=kind),
                         solution=Program.of(solve_price_per_sqm, area=area["name"], kind=kind),
                         verifier=Program.of(verify_number, expected=value, tolerance=0.011),
                         tools=self.available_tools("search_listings", "list_neighbourhoods"))

    @proposer(difficulty=2)
    def propose_affordable_count(self, rng: random.Random) -> TaskDraft | None:
        buyer = rng.choice(self.rows("SELECT * FROM buyers"))
        city = rng.choice(self.rows("SELECT DISTINCT city FROM neighbourhoods"))["city"]
        n = len([l for l in self._matches("n.city = ?", city) if affordable(buyer, l["price"])])
        if n == 0 and rng.random() < 0.7:
            return None
        return TaskDraft(shape="affordable_count",
                         instruction=self.render("affordable_count", rng, buyer=buyer["name"], city=city),
                         solution=Program.of(solve_affordable_count, buyer=buyer["name"], city=city),
                         verifier=Program.of(verify_number, expected=n, tolerance=0.0),
                         tools=self.available_tools("find_buyers", "get_buyer", "search_listings", "get_agency_info"))

    @proposer(difficulty=2)
    def propose_agent_sales(self, rng: random.Random) -> TaskDraft | None:
        agent = rng.choice(self.rows("SELECT * FROM agents"))
        total = self.db.execute("SELECT COALESCE(SUM(price), 0) FROM listings WHERE agent_id = ? AND status = 'sold'",
                                (agent["id"],)).fetchone()[0]
        if not total:
            return None
        return TaskDraft(shape="agent_sales", instruction=self.render("agent_sales", rng, agent=agent["name"]),
                         solution=Program.of(solve_agent_sales, agent=agent["name"]),
                         verifier=Program.of(verify_number, expected=total, tolerance=0.5),
                         tools=self.available_tools("list_agents", "get_agent", "search_listings", "get_listing"))

    def _plan(self, actions) -> dict:
        """Run `actions` through the tools, record the resulting viewings and offers, undo."""
        self.db.execute("SAVEPOINT plan")
        try:
            actions()
            return {"viewings": [[v["listing_id"], v["buyer_id"], v["date"], v["time"]] for v in self.rows(
                        "SELECT * FROM viewings WHERE status = 'scheduled' ORDER BY id")],
                    "offers": [[o["listing_id"], o["buyer_id"], o["amount"], o["deposit"], o["status"]] for o in
                               self.rows("SELECT * FROM offers ORDER BY id")]}
        finally:
            self.db.execute("ROLLBACK TO plan")
            self.db.execute("RELEASE plan")

    def _first_hour(self, listing_id: int, buyer_id: int, date: str, after: str = "09:00") -> str | None:
        return next((h for h in HOURS if h >= after and not self._viewing_problem(listing_id, buyer_id, date, h)), None)

    @proposer(difficulty=3)
    def propose_book_viewing(self, rng: random.Random) -> TaskDraft | None:
        listing = rng.choice(self._matches("1"))
        buyer = rng.choice(self.rows("SELECT * FROM buyers"))
        date, hour = rng.choice(self._dates()), rng.choice(HOURS[:6])
        first = self._first_hour(listing["id"], buyer["id"], date, hour)
        if first is None:
            return None
        spec = {"buyer": buyer["name"], "address": listing["address"], "date": date, "hour": hour}
        return TaskDraft(shape="book_viewing", instruction=self.render("book_viewing", rng, **spec),
                         solution=Program.of(solve_book_viewing, **spec),
                         verifier=Program.of(verify_changes, buyer_id=buyer["id"], exact=True, listings=[],
                                             **self._plan(lambda: self.schedule_viewing(listing["id"], buyer["id"],
                                                                                        date, first))))

    @proposer(difficulty=3)
    def propose_withdraw_offers(self, rng: random.Random) -> TaskDraft | None:
        buyer = rng.choice(self.rows("SELECT DISTINCT b.* FROM buyers b JOIN viewings v ON v.buyer_id = b.id WHERE "
                                     "v.status = 'scheduled' AND v.date > ?", self._today()))
        last = self.db.execute("SELECT MAX(date) FROM viewings WHERE buyer_id = ? AND status = 'scheduled'",
                               (buyer["id"],)).fetchone()[0]
        date = rng.choice([d for d in self._dates() if d <= last] or [self._dates()[0]])

        def act():
            for o in self.rows("SELECT id FROM offers WHERE buyer_id = ? AND status = 'pending'", buyer["id"]):
                self.withdraw_offer(o["id"])
            for v in self.rows("SELECT id FROM viewings WHERE buyer_id = ? AND status = 'scheduled' AND date >= ?",
                               buyer["id"], date):
                self.cancel_viewing(v["id"])
        expected = self._plan(act)
        if expected == self._plan(lambda: None):
            return None
        return TaskDraft(shape="withdraw_offers",
                         instruction=self.render("withdraw_offers", rng, buyer=buyer["name"], date=date),
                         solution=Program.of(solve_withdraw_offers, buyer=buyer["name"], date=date),
                         verifier=Program.of(verify_changes, buyer_id=buyer["id"], exact=True, listings=[], **expected))

    def _min_offer(self, listing: dict) -> float:
        return float(math.ceil(round(listing["price"] * self._min_pct(), 6)))

    @proposer(difficulty=3)
    def propose_offer_percent(self, rng: random.Random) -> TaskDraft | None:
        buyer = rng.choice(self.rows("SELECT * FROM buyers WHERE id NOT IN (SELECT buyer_id FROM offers WHERE "
                                     "status = 'pending')"))
        percent = rng.choice([95, 96, 97, 98, 99, 100] if self._min_pct() > 0.9 else [86, 88, 90, 92, 94, 95, 97, 100])
        options = [l for l in self._matches("1") if affordable(buyer, round(l["price"] * percent / 100))]
        if not options or ("preapproval_required" in self.variant.rules and not buyer["preapproved"]):
            return None
        listing = rng.choice(options)
        amount = float(round(listing["price"] * percent / 100))
        deposit = max(min_deposit(buyer, amount), amount - max_loan(buyer))
        spec = {"buyer": buyer["name"], "address": listing["address"], "percent": percent}
        expected = self._plan(lambda: self.submit_offer(listing["id"], buyer["id"], amount, deposit))
        return TaskDraft(shape="offer_percent", instruction=self.render("offer_percent", rng, **spec),
                         solution=Program.of(solve_offer_percent, **spec),
                         verifier=Program.of(verify_changes, buyer_id=buyer["id"], exact=True, listings=[], **expected))

    @proposer(difficulty=4)
    def propose_viewing_tour(self, rng: random.Random) -> TaskDraft | None:
        buyer = rng.choice(self.rows("SELECT * FROM buyers"))
        date = rng.choice(self._dates())
        have = self.db.execute("SELECT COUNT(*) FROM viewings WHERE buyer_id = ? AND date = ? AND status = 'scheduled'",
                               (buyer["id"], date)).fetchone()[0]
        combos = [(a, k, b) for a in self.rows("SELECT * FROM neighbourhoods") for k in sorted(KINDS) for b in (1, 2, 3)]
        rng.shuffle(combos)
        for area, kind, beds in combos:
            found = [l for l in self._matches("l.neighbourhood_id = ? AND l.kind = ? AND l.bedrooms >= ?", area["id"],
                                              kind, beds) if affordable(buyer, l["price"])]
            if 2 <= len(found) <= MAX_VIEWINGS_PER_DAY - have:
                break
        else:
            return None

        def act():
            for l in found:
                self.schedule_viewing(l["id"], buyer["id"], date, self._first_hour(l["id"], buyer["id"], date))
        try:
            self._plan(act)
        except (ValueError, TypeError):
            return None  # the agents' diaries leave no room for every viewing
        spec = {"buyer": buyer["name"], "area": area["name"], "kind": kind, "bedrooms": beds, "date": date}
        return TaskDraft(shape="viewing_tour", instruction=self.render("viewing_tour", rng, **spec),
                         solution=Program.of(solve_viewing_tour, **spec, **self._rules()),
                         verifier=Program.of(verify_changes, buyer_id=buyer["id"], exact=False, date=date,
                                             listings=[l["id"] for l in found], viewings=[], offers=[]))

    @proposer(difficulty=5)
    def propose_best_offer(self, rng: random.Random) -> TaskDraft | None:
        buyer = rng.choice(self.rows("SELECT * FROM buyers"))
        if "preapproval_required" in self.variant.rules and not buyer["preapproved"]:
            return None
        date = rng.choice(self._dates())
        combos = [(c["city"], k, f, b) for c in self.rows("SELECT DISTINCT city FROM neighbourhoods")
                  for k in sorted(KINDS) for f in FEATURES for b in (1, 2, 3)]
        rng.shuffle(combos)
        for city, kind, feature, beds in combos[:12]:
            found = sorted((l for l in self._matches("n.city = ? AND l.kind = ? AND l.bedrooms >= ?", city, kind, beds)
                            if self._has(l["id"], feature) and affordable(buyer, self._min_offer(l))),
                           key=lambda l: l["price"])
            if found and (len(found) == 1 or found[0]["price"] != found[1]["price"]):
                break
        else:
            return None
        target = found[0]
        amount = self._min_offer(target)
        deposit = max(min_deposit(buyer, amount), amount - max_loan(buyer))
        if self._first_hour(target["id"], buyer["id"], date) is None:
            return None

        def act():
            for o in self.rows("SELECT id FROM offers WHERE buyer_id = ? AND status = 'pending'", buyer["id"]):
                self.withdraw_offer(o["id"])
            self.submit_offer(target["id"], buyer["id"], amount, deposit)
        spec = {"buyer": buyer["name"], "city": city, "kind": kind, "feature": feature, "bedrooms": beds, "date": date}
        return TaskDraft(shape="best_offer", instruction=self.render("best_offer", rng, **spec),
                         solution=Program.of(solve_best_offer, **spec, **self._rules()),
                         verifier=Program.of(verify_changes, buyer_id=buyer["id"], exact=False, date=date,
                                             listings=[target["id"]], viewings=[], offers=self._plan(act)["offers"]))


# ---- solutions: tools and computation only --------------------------------------------------------

def solve_listing_price(tools, params):
    return next(l["price"] for l in tools.search_listings(status="any", address=params["address"]) if l["address"] == params["address"])


def solve_listing_agent(tools, params):
    listing = next(l for l in tools.search_listings(status="any", address=params["address"]) if l["address"] == params["address"])
    return tools.get_listing(listing_id=listing["id"])["agent"]


def solve_cheapest_match(tools, params):
    found = tools.search_listings(neighbourhood=params["area"], kind=params["kind"], min_bedrooms=params["bedrooms"],
                                  feature=params["feature"])
    return min(found, key=lambda l: l["price"])["address"]


def solve_price_per_sqm(tools, params):
    found = tools.search_listings(neighbourhood=params["area"], kind=params["kind"])
    return round(sum(l["price"] / l["area_sqm"] for l in found) / len(found), 2)


def solve_affordable_count(tools, params):
    import math

    info = tools.get_agency_info()
    buyer = next(b for b in tools.find_buyers(name=params["buyer"]) if b["name"] == params["buyer"])
    b = tools.get_buyer(buyer_id=buyer["id"])
    loan = max(0.0, info["loan_income_multiple"] * b["annual_income"] - info["loan_debt_factor"] * b["monthly_debts"])
    share = info["first_time_deposit_share"] if b["first_time"] else info["deposit_share"]
    count = 0
    for l in tools.search_listings(city=params["city"]):
        need = max(math.ceil(round(l["price"] * share, 6)), l["price"] - loan)
        count += need <= b["savings"]
    return count


def solve_agent_sales(tools, params):
    total = 0.0
    for listing in tools.search_listings(status="sold"):
        if tools.get_listing(listing_id=listing["id"])["agent"] == params["agent"]:
            total += listing["price"]
    return total


def solve_book_viewing(tools, params):
    buyer = next(b for b in tools.find_buyers(name=params["buyer"]) if b["name"] == params["buyer"])
    listing = next(l for l in tools.search_listings(address=params["address"]) if l["address"] == params["address"])
    for hour in tools.get_agency_info()["viewing_hours"]:
        if hour < params["hour"]:
            continue
        try:
            return tools.schedule_viewing(listing_id=listing["id"], buyer_id=buyer["id"], date=params["date"], time=hour)
        except Exception:
            continue
    return "no slot"


def solve_withdraw_offers(tools, params):
    buyer = next(b for b in tools.find_buyers(name=params["buyer"]) if b["name"] == params["buyer"])
    b = tools.get_buyer(buyer_id=buyer["id"])
    for o in b["offers"]:
        if o["status"] == "pending":
            tools.withdraw_offer(offer_id=o["offer_id"])
    for v in b["viewings"]:
        if v["status"] == "scheduled" and v["date"] >= params["date"]:
            tools.cancel_viewing(viewing_id=v["viewing_id"])
    return "Done"


def solve_offer_percent(tools, params):
    import math

    info = tools.get_agency_info()
    buyer = next(b for b in tools.find_buyers(name=params["buyer"]) if b["name"] == params["buyer"])
    b = tools.get_buyer(buyer_id=buyer["id"])
    listing = next(l for l in tools.search_listings(address=params["address"]) if l["address"] == params["address"])
    amount = float(round(listing["price"] * params["percent"] / 100))
    loan = max(0.0, info["loan_income_multiple"] * b["annual_income"] - info["loan_debt_factor"] * b["monthly_debts"])
    share = info["first_time_deposit_share"] if b["first_time"] else info["deposit_share"]
    deposit = max(float(math.ceil(round(amount * share, 6))), amount - loan)
    return tools.submit_offer(listing_id=listing["id"], buyer_id=buyer["id"], amount=amount, deposit=deposit)


def solve_viewing_tour(tools, params):
    import math

    info = tools.get_agency_info()
    buyer = next(b for b in tools.find_buyers(name=params["buyer"]) if b["name"] == params["buyer"])
    b = tools.get_buyer(buyer_id=buyer["id"])
    loan = max(0.0, info["loan_income_multiple"] * b["annual_income"] - info["loan_debt_factor"] * b["monthly_debts"])
    share = info["first_time_deposit_share"] if b["first_time"] else info["deposit_share"]
    booked = []
    for l in tools.search_listings(neighbourhood=params["area"], kind=params["kind"], min_bedrooms=params["bedrooms"]):
        if max(math.ceil(round(l["price"] * share, 6)), l["price"] - loan) > b["savings"]:
            continue
        for hour in info["viewing_hours"]:
            try:
                booked.append(tools.schedule_viewing(listing_id=l["id"], buyer_id=buyer["id"], date=params["date"],
                                                     time=hour)["viewing_id"])
                break
            except Exception:
                continue
    return f"Booked viewings {booked}"


def solve_best_offer(tools, params):
    import math

    info = tools.get_agency_info()
    buyer = next(b for b in tools.find_buyers(name=params["buyer"]) if b["name"] == params["buyer"])
    b = tools.get_buyer(buyer_id=buyer["id"])
    loan = max(0.0, info["loan_income_multiple"] * b["annual_income"] - info["loan_debt_factor"] * b["monthly_debts"])
    share = info["first_time_deposit_share"] if b["first_time"] else info["deposit_share"]
    best = None
    for l in tools.search_listings(city=params["city"], kind=params["kind"], min_bedrooms=params["bedrooms"],
                                   feature=params["feature"]):
        amount = float(math.ceil(round(l["price"] * params["min_pct"], 6)))
        deposit = max(float(math.ceil(round(amount * share, 6))), amount - loan)
        if deposit <= b["savings"] and (best is None or l["price"] < best[0]["price"]):
            best = (l, amount, deposit)
    for o in b["offers"]:
        if o["status"] == "pending":
            tools.withdraw_offer(offer_id=o["offer_id"])
    listing, amount, deposit = best
    tools.submit_offer(listing_id=listing["id"], buyer_id=buyer["id"], amount=amount, deposit=deposit)
    for hour in info["viewing_hours"]:
        try:
            tools.schedule_viewing(listing_id=listing["id"], buyer_id=buyer["id"], date=params["date"], time=hour)
            break
        except Exception:
            continue
    return f"Offer of {amount} on {listing['address']}"


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_changes(outcome, params):
    """Scheduled viewings and offers end as expected. With `exact`, the viewing times must match; otherwise the
    buyer must have gained exactly one viewing of each listing in `listings` on `date`, at any hour the rules allow."""
    from verifiers.state import diff_table, unchanged

    reasons = []
    offers = [[o["listing_id"], o["buyer_id"], o["amount"], o["deposit"], o["status"]]
              for o in outcome.rows("SELECT * FROM offers ORDER BY id")]
    want_offers = params["offers"] or [[o["listing_id"], o["buyer_id"], o["amount"], o["deposit"], o["status"]]
                                       for o in outcome.initial_rows("SELECT * FROM offers ORDER BY id")]
    if offers != want_offers:
        reasons.append("offers differ from the expected result")
    scheduled = "SELECT * FROM viewings WHERE status = 'scheduled' ORDER BY id"
    if params["exact"]:
        got = [[v["listing_id"], v["buyer_id"], v["date"], v["time"]] for v in outcome.rows(scheduled)]
        if got != params["viewings"]:
            reasons.append("scheduled viewings differ from the expected result")
    else:
        added, removed, changed = diff_table(outcome.initial, outcome.db, "viewings")
        added = [v for v in added if v["status"] == "scheduled"]
        if removed or changed or sorted(v["listing_id"] for v in added) != sorted(params["listings"]):
            reasons.append(f"new viewings of {sorted(v['listing_id'] for v in added)}, expected {params['listings']}")
        listings = {l["id"]: l for l in outcome.rows("SELECT * FROM listings")}
        final = outcome.rows(scheduled)
        for v in added:
            same_slot = [w for w in final if (w["date"], w["time"]) == (v["date"], v["time"])
                         and (w["agent_id"] == v["agent_id"] or w["buyer_id"] == v["buyer_id"])]
            day = [w for w in final if w["buyer_id"] == v["buyer_id"] and w["date"] == v["date"]]
            if (v["buyer_id"], v["date"], v["agent_id"]) != (params["buyer_id"], params["date"],
                                                             listings[v["listing_id"]]["agent_id"]):
                reasons.append(f"viewing {v['id']} is not the buyer's, on {params['date']}, with the listing agent")
            if v["time"] not in [f"{h:02d}:00" for h in range(9, 18)] or len(same_slot) > 1 or len(day) > 3:
                reasons.append(f"viewing {v['id']} at {v['time']} breaks the viewing rules")
    if other := unchanged(outcome.initial, outcome.db, ["listings", "buyers", "agents", "features", "neighbourhoods"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons
