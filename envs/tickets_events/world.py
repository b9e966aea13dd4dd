"""Event ticketing: venues with sections and seats, events with section prices, customers, orders and refunds."""

from __future__ import annotations

import datetime as dt
import random

VENUES = [
    ("Harbor Arena", "Porthaven"),
    ("Lantern Hall", "Porthaven"),
    ("Copperfield Stadium", "Millbrook"),
    ("The Granary", "Millbrook"),
    ("Skylark Theatre", "Eastmere"),
    ("Riverside Pavilion", "Eastmere"),
    ("Orchard Playhouse", "Westfold"),
    ("Ironworks Dome", "Westfold"),
    ("Quayside Forum", "Porthaven"),
]
SECTION_KINDS = [
    ("Floor", "floor", 95),
    ("Lower 101", "lower", 75),
    ("Lower 102", "lower", 70),
    ("Upper 201", "upper", 48),
    ("Upper 202", "upper", 45),
    ("Balcony", "balcony", 32),
]
TITLE_A = [
    "Velvet",
    "Neon",
    "Crimson",
    "Silent",
    "Golden",
    "Wild",
    "Paper",
    "Electric",
    "Midnight",
    "Hollow",
    "Brass",
    "Amber",
    "Frozen",
    "Lucky",
    "Distant",
    "Crystal",
]
TITLE_B = [
    "Echoes",
    "Comets",
    "Tigers",
    "Lanterns",
    "Pilots",
    "Ravens",
    "Mirrors",
    "Tides",
    "Foxes",
    "Engines",
    "Orchids",
    "Satellites",
    "Wolves",
    "Gardens",
]
CATEGORIES = {
    "concert": ("Live", 1.2),
    "theatre": ("on Stage", 1.0),
    "comedy": ("Comedy Night", 0.7),
    "sports": ("Showdown", 1.1),
}
FIRST = [
    "Ada",
    "Bruno",
    "Clara",
    "Dev",
    "Elif",
    "Femi",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Kira",
    "Luca",
    "Mira",
    "Nils",
    "Oona",
    "Priya",
    "Quentin",
    "Rosa",
    "Sami",
    "Tessa",
    "Umar",
    "Vera",
    "Wendel",
    "Yara",
]
LAST = [
    "Abbott",
    "Brandt",
    "Castillo",
    "Dimitrov",
    "Eklund",
    "Fontaine",
    "Gallo",
    "Hale",
    "Ivers",
    "Jansen",
    "Kovac",
    "Lindgren",
    "Mbeki",
    "Novak",
    "Ortega",
    "Pereira",
    "Quinn",
    "Rossi",
    "Sandoval",
    "Takahashi",
]
MEMBER_RATE = 0.9  # members pay 90% of the listed price
REFUND_RATE = 0.9  # a refund keeps a 10% fee unless the event is cancelled


def paid_price(price: float, member: bool) -> float:
    return round(price * MEMBER_RATE, 2) if member else float(price)


def refund_amount(paid: float, event_cancelled: bool) -> float:
    return float(paid) if event_cancelled else round(paid * REFUND_RATE, 2)


def days_between(earlier: str, later: str) -> int:
    return (dt.date.fromisoformat(later) - dt.date.fromisoformat(earlier)).days


class TicketsEventsWorld:
    def build(self, rng: random.Random) -> None:
        db = self.db
        db.executescript("""
            CREATE TABLE office (today TEXT);
            CREATE TABLE venues (id INTEGER PRIMARY KEY, name TEXT UNIQUE, city TEXT);
            CREATE TABLE sections (id INTEGER PRIMARY KEY, venue_id INTEGER REFERENCES venues(id), name TEXT,
                kind TEXT, base REAL);
            CREATE TABLE seats (id INTEGER PRIMARY KEY, section_id INTEGER REFERENCES sections(id), row TEXT,
                number INTEGER);
            CREATE TABLE events (id INTEGER PRIMARY KEY, title TEXT, category TEXT, venue_id INTEGER, date TEXT,
                start TEXT, status TEXT, ticket_limit INTEGER);
            CREATE TABLE prices (id INTEGER PRIMARY KEY, event_id INTEGER, section_id INTEGER, price REAL,
                UNIQUE (event_id, section_id));
            CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT UNIQUE, email TEXT, member INTEGER);
            CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, event_id INTEGER, created TEXT,
                total REAL, status TEXT);
            CREATE TABLE tickets (id INTEGER PRIMARY KEY, order_id INTEGER, event_id INTEGER, seat_id INTEGER,
                price REAL, status TEXT, refund REAL);
        """)
        n_venues, seat_rows, n_events, n_customers = {
            "small": ((3, 4), (2, 3), (3, 4), (18, 24)),
            "medium": ((5, 6), (3, 4), (3, 5), (28, 36)),
            "large": ((7, 9), (3, 5), (4, 6), (40, 52)),
        }[self.variant.scale]
        today = dt.date(2026, rng.randint(3, 8), rng.randint(1, 20))
        db.execute("INSERT INTO office VALUES (?)", (today.isoformat(),))
        venues = rng.sample(VENUES, rng.randint(*n_venues))
        titles = rng.sample([(a, b) for a in TITLE_A for b in TITLE_B], 80)
        for v, (vname, city) in enumerate(venues, 1):
            db.execute("INSERT INTO venues VALUES (?, ?, ?)", (v, vname, city))
            kinds = sorted(rng.sample(SECTION_KINDS, rng.randint(3, 5)), key=SECTION_KINDS.index)
            for name, kind, base in kinds:
                sid = db.execute(
                    "INSERT INTO sections (venue_id, name, kind, base) VALUES (?, ?, ?, ?)", (v, name, kind, base)
                ).lastrowid
                per_row = rng.randint(5, 9)
                for r in "ABCDE"[: rng.randint(*seat_rows)]:
                    db.executemany(
                        "INSERT INTO seats (section_id, row, number) VALUES (?, ?, ?)",
                        [(sid, r, n) for n in range(1, per_row + 1)],
                    )
            for _ in range(rng.randint(*n_events)):
                a, b = titles.pop()
                category = rng.choice(sorted(CATEGORIES))
                suffix, factor = CATEGORIES[category]
                date = today + dt.timedelta(days=rng.randint(1, 40))
                status = rng.choices(["on_sale", "presale", "cancelled", "sold_out"], [12, 4, 1, 1])[0]
                eid = db.execute(
                    "INSERT INTO events (title, category, venue_id, date, start, status, ticket_limit) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        f"{a} {b} {suffix}",
                        category,
                        v,
                        date.isoformat(),
                        f"{rng.choice([18, 19, 19, 20, 21])}:{rng.choice(['00', '30'])}",
                        status,
                        rng.choice([4, 6, 6, 8]),
                    ),
                ).lastrowid
                scale = factor * rng.uniform(0.8, 1.4)
                for s in self.rows("SELECT id, base FROM sections WHERE venue_id = ?", v):
                    db.execute(
                        "INSERT INTO prices (event_id, section_id, price) VALUES (?, ?, ?)",
                        (eid, s["id"], float(max(15, round(s["base"] * scale + rng.randint(-6, 6))))),
                    )
        names = rng.sample([f"{f} {last}" for f in FIRST for last in LAST], rng.randint(*n_customers))
        for c, name in enumerate(names, 1):
            db.execute(
                "INSERT INTO customers VALUES (?, ?, ?, ?)",
                (c, name, name.lower().replace(" ", ".") + "@mail.example", int(rng.random() < 0.4)),
            )
        self._seed_orders(rng, today, len(names))

    def _seed_orders(self, rng: random.Random, today: dt.date, n_customers: int) -> None:
        events = self.rows("SELECT * FROM events ORDER BY id")
        for _ in range(len(events) * 3):
            event, cid = rng.choice(events), rng.randint(1, n_customers)
            member = self.value("SELECT member FROM customers WHERE id = ?", cid)
            section = rng.choice(
                self.rows(
                    "SELECT s.id, p.price FROM sections s JOIN prices p ON p.section_id = s.id WHERE p.event_id = ?",
                    event["id"],
                )
            )
            room = event["ticket_limit"] - self._held(cid, event["id"])
            free = self._free_seats(event["id"], section["id"])
            n = min(rng.randint(1, 4), room, len(free))
            if n < 1:
                continue
            unit = paid_price(section["price"], bool(member))
            created = (today - dt.timedelta(days=rng.randint(1, 30))).isoformat()
            oid = self.db.execute(
                "INSERT INTO orders (customer_id, event_id, created, total, status) VALUES (?, ?, ?, ?, 'paid')",
                (cid, event["id"], created, round(unit * n, 2)),
            ).lastrowid
            for seat in rng.sample(free, n):
                refunded = rng.random() < 0.12
                self.db.execute(
                    "INSERT INTO tickets (order_id, event_id, seat_id, price, status, refund) VALUES "
                    "(?, ?, ?, ?, ?, ?)",
                    (
                        oid,
                        event["id"],
                        seat,
                        unit,
                        "refunded" if refunded else "active",
                        round(unit * REFUND_RATE, 2) if refunded else None,
                    ),
                )
            self._update_order_status(oid)
