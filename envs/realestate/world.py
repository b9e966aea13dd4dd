"""The estate agency's world: areas, listings, agents and buyers, how an instance's database is built, the
mortgage arithmetic, and the viewing and offer rules the tools and the proposers share."""

from __future__ import annotations

import datetime as dt
import math
import random

NEIGHBOURHOODS = {
    "Larkhaven": ["Old Quay", "Thistle Park", "Mercer Heights", "Saltmarsh"],
    "Brightwater": ["Canal Side", "Foxglove Hill", "Upper Green", "Millbrook"],
    "Eastmoor": ["Rookery", "Cinder Lane", "Beacon Rise", "Orchard End"],
}
STREETS = [
    "Acorn Way",
    "Bellflower Road",
    "Copper Lane",
    "Dovetail Street",
    "Elder Close",
    "Falcon Drive",
    "Granary Row",
    "Heron Walk",
    "Ivy Terrace",
    "Juniper Court",
    "Kestrel Mews",
    "Linden Avenue",
    "Marigold Place",
    "Nightingale Road",
    "Oakapple Street",
    "Pebble Lane",
]
KINDS = {"apartment": (1, 3, 45, 110), "townhouse": (2, 4, 80, 150), "house": (2, 6, 95, 260)}
FEATURES = ["garden", "garage", "balcony", "elevator", "fireplace", "solar panels", "pool", "parking"]
AGENCIES = ["Keystone Homes", "Harbourline Estates", "Meridian Property", "Oakframe Realty"]
FIRST = [
    "Anouk",
    "Bastian",
    "Clio",
    "Dmitri",
    "Elin",
    "Florian",
    "Gaia",
    "Henrik",
    "Ilse",
    "Joaquin",
    "Katja",
    "Lukas",
    "Malin",
    "Nikolai",
    "Oriane",
    "Pieter",
    "Rhiannon",
    "Stellan",
    "Tove",
    "Viggo",
]
LAST = [
    "Aldridge",
    "Brockhurst",
    "Caldwell",
    "Dunstan",
    "Ellingham",
    "Fairweather",
    "Goodall",
    "Hathaway",
    "Inglewood",
    "Jarrow",
    "Kensett",
    "Lovelock",
    "Moorcroft",
    "Netherby",
    "Overton",
    "Penrose",
]
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


class RealEstateWorld:
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
        n_city, per_area, n_buyers = {
            "small": (1, (14, 20), (20, 28)),
            "medium": (2, (12, 17), (30, 40)),
            "large": (3, (12, 16), (45, 60)),
        }[self.variant.scale]
        today = dt.date(2026, rng.randint(1, 12), rng.randint(1, 28))
        self.db.execute("INSERT INTO agency VALUES (1, ?)", (today.isoformat(),))
        names = iter(rng.sample([f"{f} {last}" for f in FIRST for last in LAST], len(FIRST) * len(LAST)))
        for _ in range(rng.randint(6, 9)):
            self.db.execute(
                "INSERT INTO agents (name, agency, phone, rating) VALUES (?, ?, ?, ?)",
                (next(names), rng.choice(AGENCIES), f"555-{rng.randint(1000, 9999)}", round(rng.uniform(3.5, 5.0), 1)),
            )
        agents = [r["id"] for r in self.rows("SELECT id FROM agents")]
        addresses = iter(rng.sample([f"{n} {s}" for n in range(1, 120) for s in STREETS], 800))
        for city in rng.sample(sorted(NEIGHBOURHOODS), n_city):
            base = rng.randint(2600, 5200)
            for area in NEIGHBOURHOODS[city]:
                nid = self.db.execute(
                    "INSERT INTO neighbourhoods (name, city, school_rating) VALUES (?, ?, ?)",
                    (area, city, round(rng.uniform(5, 9.8), 1)),
                ).lastrowid
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
                        (
                            f"{next(addresses)}, {city}",
                            nid,
                            rng.choice(agents),
                            kind,
                            beds,
                            rng.randint(1, max(1, beds - 1)),
                            sqm,
                            price,
                            float(rng.choice([0, 0, 80, 150, 240])) if kind == "apartment" else 0.0,
                            (today - dt.timedelta(days=rng.randint(1, 180))).isoformat(),
                            rng.choices(["active", "under_offer", "sold"], [7, 1, 2])[0],
                        ),
                    ).lastrowid
                    for f in rng.sample(FEATURES, rng.randint(1, 4)):
                        self.db.execute("INSERT INTO features (listing_id, feature) VALUES (?, ?)", (lid, f))
        for _ in range(rng.randint(*n_buyers)):
            income = float(rng.randint(30, 160) * 1000)
            self.db.execute(
                "INSERT INTO buyers (name, annual_income, savings, monthly_debts, first_time, preapproved) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    next(names),
                    income,
                    float(rng.randint(10, 250) * 1000),
                    float(rng.choice([0, 0, 150, 300, 600, 900])),
                    int(rng.random() < 0.4),
                    int(rng.random() < 0.7),
                ),
            )
        self._build_activity(rng, today)

    def _build_activity(self, rng: random.Random, today: dt.date) -> None:
        active = self.rows("SELECT * FROM listings WHERE status = 'active'")
        for b in self.rows("SELECT * FROM buyers"):
            for _ in range(rng.randint(0, 3)):
                listing = rng.choice(active)
                day = (today + dt.timedelta(days=rng.randint(-20, 10))).isoformat()
                hour = rng.choice(HOURS)
                clash = self.value(
                    "SELECT 1 FROM viewings WHERE date = ? AND time = ? AND (agent_id = ? OR buyer_id = ?)",
                    day,
                    hour,
                    listing["agent_id"],
                    b["id"],
                )
                if not clash:
                    self.db.execute(
                        "INSERT INTO viewings (listing_id, buyer_id, agent_id, date, time, status) VALUES "
                        "(?, ?, ?, ?, ?, 'scheduled')",
                        (listing["id"], b["id"], listing["agent_id"], day, hour),
                    )
            if rng.random() < 0.4:
                listing = rng.choice(active)
                amount = float(round(listing["price"] * rng.uniform(0.9, 1.0), -3))
                if affordable(b, amount):
                    deposit = max(min_deposit(b, amount), amount - max_loan(b))
                    self.db.execute(
                        "INSERT INTO offers (listing_id, buyer_id, amount, deposit, made_on, status) VALUES "
                        "(?, ?, ?, ?, ?, 'pending')",
                        (
                            listing["id"],
                            b["id"],
                            amount,
                            deposit,
                            (today - dt.timedelta(days=rng.randint(0, 9))).isoformat(),
                        ),
                    )

    # ---- helpers ------------------------------------------------------------------------------------

    def _today(self) -> str:
        return self.value("SELECT today FROM agency")

    def _get(self, table: str, row_id: int, hint: str) -> dict:
        return self.one(
            f"SELECT * FROM {table} WHERE id = ?", row_id, missing=f"no {table[:-1]} with id {row_id}; {hint}"
        )

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
        busy = self.rows(
            "SELECT agent_id, buyer_id, time FROM viewings WHERE date = ? AND status = 'scheduled' AND "
            "(agent_id = ? OR buyer_id = ?)",
            date,
            listing["agent_id"],
            buyer_id,
        )
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
        if self.value("SELECT 1 FROM offers WHERE buyer_id = ? AND status = 'pending'", buyer["id"]):
            return "the buyer already has a pending offer"
        if deposit < min_deposit(buyer, amount) or deposit > buyer["savings"]:
            return "the deposit is below the minimum or above the buyer's savings"
        if amount - deposit > max_loan(buyer) + 1e-9:
            return "the mortgage would exceed the buyer's borrowing limit"
        return None
