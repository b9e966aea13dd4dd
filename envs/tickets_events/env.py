"""Event ticketing: venues with sections and seats, events with section prices, customers, orders and refunds."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool
from verifiers.common import verify_names, verify_number

VENUES = [("Harbor Arena", "Porthaven"), ("Lantern Hall", "Porthaven"), ("Copperfield Stadium", "Millbrook"),
          ("The Granary", "Millbrook"), ("Skylark Theatre", "Eastmere"), ("Riverside Pavilion", "Eastmere"),
          ("Orchard Playhouse", "Westfold"), ("Ironworks Dome", "Westfold"), ("Quayside Forum", "Porthaven")]
SECTION_KINDS = [("Floor", "floor", 95), ("Lower 101", "lower", 75), ("Lower 102", "lower", 70),
                 ("Upper 201", "upper", 48), ("Upper 202", "upper", 45), ("Balcony", "balcony", 32)]
TITLE_A = ["Velvet", "Neon", "Crimson", "Silent", "Golden", "Wild", "Paper", "Electric", "Midnight", "Hollow",
           "Brass", "Amber", "Frozen", "Lucky", "Distant", "Crystal"]
TITLE_B = ["Echoes", "Comets", "Tigers", "Lanterns", "Pilots", "Ravens", "Mirrors", "Tides", "Foxes", "Engines",
           "Orchids", "Satellites", "Wolves", "Gardens"]
CATEGORIES = {"concert": ("Live", 1.2), "theatre": ("on Stage", 1.0), "comedy": ("Comedy Night", 0.7),
              "sports": ("Showdown", 1.1)}
FIRST = ["Ada", "Bruno", "Clara", "Dev", "Elif", "Femi", "Greta", "Hugo", "Ines", "Jonas", "Kira", "Luca", "Mira",
         "Nils", "Oona", "Priya", "Quentin", "Rosa", "Sami", "Tessa", "Umar", "Vera", "Wendel", "Yara"]
LAST = ["Abbott", "Brandt", "Castillo", "Dimitrov", "Eklund", "Fontaine", "Gallo", "Hale", "Ivers", "Jansen",
        "Kovac", "Lindgren", "Mbeki", "Novak", "Ortega", "Pereira", "Quinn", "Rossi", "Sandoval", "Takahashi"]
MEMBER_RATE = 0.9  # members pay 90% of the listed price
REFUND_RATE = 0.9  # a refund keeps a 10% fee unless the event is cancelled


def paid_price(price: float, member: bool) -> float:
    return round(price * MEMBER_RATE, 2) if member else float(price)


def refund_amount(paid: float, event_cancelled: bool) -> float:
    return float(paid) if event_cancelled else round(paid * REFUND_RATE, 2)


def days_between(earlier: str, later: str) -> int:
    return (dt.date.fromisoformat(later) - dt.date.fromisoformat(earlier)).days


class TicketsEventsEnv(EnvTemplate):
    name = "tickets_events"
    version = "1.0.0"
    category = "event ticketing"
    description = ("A ticket office's system: venues with seating sections, events with per-section prices, "
                   "customers and their orders. Look things up, sell seats and process refunds.")
    policy = (
        "Act only for the customer named in the request and change nothing else. Dates count from the office's "
        "today (get_today). "
        "Tickets can be sold only for events that are on sale or in presale, never for cancelled or sold-out events. "
        "All seats of one order must be in the same section of the event. "
        "A customer may hold at most the event's ticket limit of active tickets for one event, counting all of "
        "their orders. "
        "Members pay 90% of the listed section price (rounded to the cent); an order's total is the sum of what "
        "its tickets cost. "
        "Tickets may be refunded only while the event is at least 2 days away, or at any time when the event was "
        "cancelled. A refund returns 90% of the ticket's paid price (rounded to the cent), or the full paid price "
        "for a cancelled event. "
        "Budgets always refer to the amount actually paid."
    )
    variants = VariantSpace(
        optional_tools=("list_venues", "get_venue"),
        renames={"search_events": ("find_events",), "buy_tickets": ("purchase_tickets",),
                 "list_free_seats": ("available_seats",), "refund_tickets": ("issue_refund",)},
        rules={
            "max_four_per_order": "One order may hold at most 4 tickets.",
            "presale_members_only": "Events in presale may be sold only to members.",
            "refund_week": "Refunds need the event to be at least 7 days away (instead of 2), unless it was "
                           "cancelled.",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "section_price": [
            "What is the listed price of a seat in {{section}} for {{event}} on {{date}}?",
            "How much does one ticket in the {{section}} section cost for {{event}} ({{date}}), before discounts?",
            "Look up the list price of {{section}} seats at {{event}} on {{date}}.",
        ],
        "free_seats": [
            "How many seats are still free in {{section}} for {{event}} on {{date}}?",
            "For {{event}} ({{date}}), count the unsold seats in the {{section}} section.",
        ],
        "event_venue": [
            "Which venue hosts {{event}} on {{date}}?",
            "Where does {{event}} take place on {{date}}? Just the venue name.",
        ],
        "active_tickets": [
            "How many active (not refunded) tickets does {{customer}} hold, across all of their orders?",
            "Count the tickets {{customer}} currently holds over all events, leaving out refunded ones.",
        ],
        "refunded_total": [
            "How much money has been refunded to {{customer}} in total? Round to 2 decimals.",
            "Add up every refund {{customer}} has received so far (2 decimals).",
        ],
        "cheapest_event": [
            "Among {{what}} in {{city}} between {{start}} and {{end}} that are on sale, which one has the lowest "
            "listed price for a section that still has free seats?",
            "I want the cheapest way into one of the {{what}} in {{city}} from {{start}} to {{end}}. Which event "
            "(currently on sale) has the lowest list price among its sections with seats left?",
        ],
        "roomy_sections": [
            "Which sections of {{event}} on {{date}} still have at least {{n}} free seats?",
            "List the sections of {{event}} ({{date}}) with {{n}} or more unsold seats.",
        ],
        "buy_in_section": [
            "Sell {{n}} tickets in {{section}} for {{event}} on {{date}} to {{customer}}.",
            "{{customer}} wants {{n}} seats in the {{section}} section of {{event}} ({{date}}). Please book them.",
        ],
        "refund_order": [
            "{{customer}} asks for a refund of every active ticket in order {{order_id}}. Process it and tell me "
            "how much is refunded.",
            "Please refund order {{order_id}} for {{customer}} (all tickets still active) and report the refunded "
            "amount.",
        ],
        "refund_if_allowed": [
            "{{customer}} would like to return the active tickets of order {{order_id}}. Refund them if our policy "
            "allows it, otherwise change nothing. Then tell me whether they were refunded.",
            "Check whether order {{order_id}} of {{customer}} can still be refunded under the policy. If it can, "
            "refund all its active tickets; if not, leave it. Finally say whether you refunded them.",
        ],
        "best_section": [
            "Book {{n}} tickets for {{customer}} to {{event}} on {{date}} in the most expensive section where the "
            "whole order stays within {{budget}}. If the customer's ticket limit for the event (or any order rule) "
            "allows fewer than {{n}}, book as many as allowed.",
            "{{customer}} wants {{n}} seats together at {{event}} ({{date}}), as good a section as possible: pick "
            "the highest-priced section whose order total is at most {{budget}}. Book fewer if the rules on ticket "
            "limits leave room for fewer.",
        ],
        "cheapest_outing": [
            "{{customer}} wants {{n}} tickets in one section for {{what}} event in {{city}} between {{start}} "
            "and {{end}}. Choose the event and section with the lowest order total for them and book it; never "
            "spend more than {{budget}}.",
            "Find {{customer}} the cheapest way to get {{n}} seats in the same section at {{what}} event in "
            "{{city}} from {{start}} to {{end}}, and book it (budget {{budget}}).",
        ],
        "exchange": [
            "{{customer}} wants to swap order {{order_id}} for {{event}} on {{date}}: refund all active tickets of "
            "that order, then book the same number of seats for {{event}} in the most expensive section whose new "
            "order total minus the refund stays within {{budget}}.",
            "Exchange {{customer}}'s order {{order_id}} for tickets to {{event}} ({{date}}): refund the order's "
            "active tickets and buy as many seats in one section of {{event}}, choosing the highest-priced section "
            "where what they pay on top of the refund is no more than {{budget}}.",
        ],
        "upgrade": [
            "{{customer}} wants to upgrade the active tickets of order {{order_id}}: refund them and book the same "
            "number of seats for the same event in the cheapest section with a higher list price than their current "
            "one. The new total minus the refund must not exceed {{budget}}.",
            "Upgrade order {{order_id}} for {{customer}}: return its active tickets and rebook as many seats at the "
            "same event in the least expensive section listed above their current section's price; the extra cost "
            "(new total minus refund) may be at most {{budget}}.",
        ],
    }

    # ---- database ---------------------------------------------------------------------------------

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
            "small": ((3, 4), (2, 3), (3, 4), (18, 24)), "medium": ((5, 6), (3, 4), (3, 5), (28, 36)),
            "large": ((7, 9), (3, 5), (4, 6), (40, 52))}[self.variant.scale]
        today = dt.date(2026, rng.randint(3, 8), rng.randint(1, 20))
        db.execute("INSERT INTO office VALUES (?)", (today.isoformat(),))
        venues = rng.sample(VENUES, rng.randint(*n_venues))
        titles = rng.sample([(a, b) for a in TITLE_A for b in TITLE_B], 80)
        for v, (vname, city) in enumerate(venues, 1):
            db.execute("INSERT INTO venues VALUES (?, ?, ?)", (v, vname, city))
            kinds = sorted(rng.sample(SECTION_KINDS, rng.randint(3, 5)), key=SECTION_KINDS.index)
            for name, kind, base in kinds:
                sid = db.execute("INSERT INTO sections (venue_id, name, kind, base) VALUES (?, ?, ?, ?)",
                                 (v, name, kind, base)).lastrowid
                per_row = rng.randint(5, 9)
                for r in "ABCDE"[:rng.randint(*seat_rows)]:
                    db.executemany("INSERT INTO seats (section_id, row, number) VALUES (?, ?, ?)",
                                   [(sid, r, n) for n in range(1, per_row + 1)])
            for _ in range(rng.randint(*n_events)):
                a, b = titles.pop()
                category = rng.choice(sorted(CATEGORIES))
                suffix, factor = CATEGORIES[category]
                date = today + dt.timedelta(days=rng.randint(1, 40))
                status = rng.choices(["on_sale", "presale", "cancelled", "sold_out"], [12, 4, 1, 1])[0]
                eid = db.execute("INSERT INTO events (title, category, venue_id, date, start, status, ticket_limit) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?)",
                                 (f"{a} {b} {suffix}", category, v, date.isoformat(),
                                  f"{rng.choice([18, 19, 19, 20, 21])}:{rng.choice(['00', '30'])}", status,
                                  rng.choice([4, 6, 6, 8]))).lastrowid
                scale = factor * rng.uniform(0.8, 1.4)
                for s in self.rows("SELECT id, base FROM sections WHERE venue_id = ?", v):
                    db.execute("INSERT INTO prices (event_id, section_id, price) VALUES (?, ?, ?)",
                               (eid, s["id"], float(max(15, round(s["base"] * scale + rng.randint(-6, 6))))))
        names = rng.sample([f"{f} {l}" for f in FIRST for l in LAST], rng.randint(*n_customers))
        for c, name in enumerate(names, 1):
            db.execute("INSERT INTO customers VALUES (?, ?, ?, ?)",
                       (c, name, name.lower().replace(" ", ".") + "@mail.example", int(rng.random() < 0.4)))
        self._seed_orders(rng, today, len(names))

    def _seed_orders(self, rng: random.Random, today: dt.date, n_customers: int) -> None:
        events = self.rows("SELECT * FROM events ORDER BY id")
        for _ in range(len(events) * 3):
            event, cid = rng.choice(events), rng.randint(1, n_customers)
            member = self.db.execute("SELECT member FROM customers WHERE id = ?", (cid,)).fetchone()[0]
            section = rng.choice(self.rows("SELECT s.id, p.price FROM sections s JOIN prices p ON p.section_id = s.id "
                                           "WHERE p.event_id = ?", event["id"]))
            room = event["ticket_limit"] - self._held(cid, event["id"])
            free = self._free_seats(event["id"], section["id"])
            n = min(rng.randint(1, 4), room, len(free))
            if n < 1:
                continue
            unit = paid_price(section["price"], bool(member))
            created = (today - dt.timedelta(days=rng.randint(1, 30))).isoformat()
            oid = self.db.execute("INSERT INTO orders (customer_id, event_id, created, total, status) VALUES "
                                  "(?, ?, ?, ?, 'paid')", (cid, event["id"], created, round(unit * n, 2))).lastrowid
            for seat in rng.sample(free, n):
                refunded = rng.random() < 0.12
                self.db.execute("INSERT INTO tickets (order_id, event_id, seat_id, price, status, refund) VALUES "
                                "(?, ?, ?, ?, ?, ?)", (oid, event["id"], seat, unit,
                                                       "refunded" if refunded else "active",
                                                       round(unit * REFUND_RATE, 2) if refunded else None))
            self._update_order_status(oid)

    # ---- helpers ------------------------------------------------------------------------------------

    def _today(self) -> str:
        return self.db.execute("SELECT today FROM office").fetchone()[0]

    def _held(self, customer_id: int, event_id: int) -> int:
        return self.db.execute("SELECT COUNT(*) FROM tickets t JOIN orders o ON o.id = t.order_id WHERE "
                               "o.customer_id = ? AND t.event_id = ? AND t.status = 'active'",
                               (customer_id, event_id)).fetchone()[0]

    def _free_seats(self, event_id: int, section_id: int) -> list[int]:
        return [r["id"] for r in self.rows(
            "SELECT id FROM seats WHERE section_id = ? AND id NOT IN (SELECT seat_id FROM tickets WHERE event_id = ? "
            "AND status = 'active') ORDER BY id", section_id, event_id)]

    def _update_order_status(self, order_id: int) -> None:
        counts = self.db.execute("SELECT SUM(status = 'active'), COUNT(*) FROM tickets WHERE order_id = ?",
                                 (order_id,)).fetchone()
        status = "paid" if counts[0] == counts[1] else "refunded" if counts[0] == 0 else "partially_refunded"
        self.db.execute("UPDATE orders SET status = ? WHERE id = ?", (status, order_id))

    def _rules(self) -> dict:
        return {"max_per_order": 4 if "max_four_per_order" in self.variant.rules else 0,
                "presale_members_only": "presale_members_only" in self.variant.rules,
                "refund_days": 7 if "refund_week" in self.variant.rules else 2}

    def _event(self, event_id: int) -> dict:
        row = self.db.execute("SELECT e.*, v.name AS venue, v.city FROM events e JOIN venues v ON v.id = e.venue_id "
                              "WHERE e.id = ?", (event_id,)).fetchone()
        if row is None:
            raise ValueError(f"no event with id {event_id}; use search_events to find events")
        return dict(row)

    def _customer(self, customer_id: int) -> dict:
        row = self.db.execute("SELECT * FROM customers WHERE id = ?", (customer_id,)).fetchone()
        if row is None:
            raise ValueError(f"no customer with id {customer_id}; use find_customers to look customers up")
        return dict(row)

    # ---- tools --------------------------------------------------------------------------------------

    @tool("read")
    def get_today(self) -> dict:
        """The ticket office's current date (YYYY-MM-DD)."""
        return {"today": self._today()}

    @tool("read")
    def list_venues(self, city: str | None = None) -> list[dict]:
        """List venues, optionally only those of one city.

        Args:
            city: City name to filter by.
        """
        return self.rows("SELECT id, name, city FROM venues WHERE (? IS NULL OR lower(city) = lower(?)) ORDER BY id",
                         city, city)

    @tool("read")
    def get_venue(self, venue_id: int) -> dict:
        """One venue with its seating sections and how many seats each section has.

        Args:
            venue_id: Venue id from list_venues or an event.
        """
        row = self.db.execute("SELECT * FROM venues WHERE id = ?", (venue_id,)).fetchone()
        if row is None:
            raise ValueError(f"no venue with id {venue_id}; call list_venues")
        sections = self.rows("SELECT s.id, s.name, s.kind, COUNT(t.id) AS seats FROM sections s JOIN seats t ON "
                             "t.section_id = s.id WHERE s.venue_id = ? GROUP BY s.id ORDER BY s.id", venue_id)
        return {**dict(row), "sections": sections}

    @tool("read")
    def search_events(self, city: str | None = None, category: str | None = None, date_from: str | None = None,
                      date_to: str | None = None) -> list[dict]:
        """Search events by city, category (concert, theatre, comedy, sports) and an inclusive date range.

        Args:
            city: City of the venue.
            category: Event category.
            date_from: Earliest date, YYYY-MM-DD.
            date_to: Latest date, YYYY-MM-DD.
        """
        for d in (date_from, date_to):
            if d:
                try:
                    dt.date.fromisoformat(d)
                except ValueError:
                    raise ValueError(f"dates must look like 2026-05-14, not {d!r}") from None
        return self.rows(
            "SELECT e.id, e.title, e.category, e.date, e.start, e.status, v.name AS venue, v.city FROM events e "
            "JOIN venues v ON v.id = e.venue_id WHERE (? IS NULL OR lower(v.city) = lower(?)) AND "
            "(? IS NULL OR lower(e.category) = lower(?)) AND e.date >= ? AND e.date <= ? ORDER BY e.date, e.id",
            city, city, category, category, date_from or "", date_to or "9999")

    @tool("read")
    def get_event(self, event_id: int) -> dict:
        """One event: venue, date, status, per-customer ticket limit, and each section's list price and free seats.

        Args:
            event_id: Event id from search_events.
        """
        event = self._event(event_id)
        sections = self.rows("SELECT s.id AS section_id, s.name, s.kind, p.price FROM sections s JOIN prices p ON "
                             "p.section_id = s.id WHERE p.event_id = ? ORDER BY s.id", event_id)
        for s in sections:
            s["free_seats"] = len(self._free_seats(event_id, s["section_id"]))
        return {**event, "sections": sections}

    @tool("read")
    def list_free_seats(self, event_id: int, section_id: int | None = None) -> list[dict]:
        """Unsold seats of an event, optionally of one section: seat id, section, row and number.

        Args:
            event_id: Event id.
            section_id: Only seats of this section.
        """
        event = self._event(event_id)
        return self.rows(
            "SELECT t.id AS seat_id, s.id AS section_id, s.name AS section, t.row, t.number FROM seats t JOIN "
            "sections s ON s.id = t.section_id WHERE s.venue_id = ? AND (? IS NULL OR s.id = ?) AND t.id NOT IN "
            "(SELECT seat_id FROM tickets WHERE event_id = ? AND status = 'active') ORDER BY t.id",
            event["venue_id"], section_id, section_id, event_id)

    @tool("read")
    def find_customers(self, name: str) -> list[dict]:
        """Customers whose name contains the text: id, name, email and whether they are a member.

        Args:
            name: Part of the customer's name.
        """
        rows = self.rows("SELECT * FROM customers WHERE lower(name) LIKE lower(?) ORDER BY id", f"%{name}%")
        return [{**r, "member": bool(r["member"])} for r in rows]

    @tool("read")
    def list_orders(self, customer_id: int) -> list[dict]:
        """A customer's orders: id, event, creation date, total and status.

        Args:
            customer_id: Customer id from find_customers.
        """
        self._customer(customer_id)
        return self.rows("SELECT o.id, o.event_id, e.title AS event, e.date AS event_date, o.created, o.total, "
                         "o.status FROM orders o JOIN events e ON e.id = o.event_id WHERE o.customer_id = ? "
                         "ORDER BY o.id", customer_id)

    @tool("read")
    def get_order(self, order_id: int) -> dict:
        """One order with its tickets (seat, section, paid price, status and any refund).

        Args:
            order_id: Order id.
        """
        row = self.db.execute("SELECT * FROM orders WHERE id = ?", (order_id,)).fetchone()
        if row is None:
            raise ValueError(f"no order with id {order_id}; list_orders shows a customer's orders")
        tickets = self.rows("SELECT t.id, t.seat_id, s.id AS section_id, s.name AS section, st.row, st.number, "
                            "t.price, t.status, t.refund FROM tickets t JOIN seats st ON st.id = t.seat_id JOIN "
                            "sections s ON s.id = st.section_id WHERE t.order_id = ? ORDER BY t.id", order_id)
        return {**dict(row), "tickets": tickets}

    @tool("write")
    def buy_tickets(self, customer_id: int, event_id: int, seat_ids: list[int]) -> dict:
        """Sell seats of one event to a customer as one new order; members get their discount automatically.

        Args:
            customer_id: Customer id.
            event_id: Event id.
            seat_ids: Seat ids from list_free_seats, all in the same section.
        """
        customer, event = self._customer(customer_id), self._event(event_id)
        rules = self._rules()
        if event["status"] not in ("on_sale", "presale"):
            raise ValueError(f"event {event_id} is {event['status']}; tickets cannot be sold")
        if event["status"] == "presale" and rules["presale_members_only"] and not customer["member"]:
            raise ValueError("policy: presale tickets are for members only")
        if not seat_ids or len(set(seat_ids)) != len(seat_ids):
            raise ValueError("give one or more distinct seat ids")
        if rules["max_per_order"] and len(seat_ids) > rules["max_per_order"]:
            raise ValueError(f"policy: at most {rules['max_per_order']} tickets per order")
        held = self._held(customer_id, event_id)
        if held + len(seat_ids) > event["ticket_limit"]:
            raise ValueError(f"ticket limit: the customer holds {held} of at most {event['ticket_limit']} tickets "
                             "for this event")
        sections = set()
        for seat_id in seat_ids:
            seat = self.db.execute("SELECT s.id, s.venue_id FROM seats t JOIN sections s ON s.id = t.section_id "
                                   "WHERE t.id = ?", (seat_id,)).fetchone()
            if seat is None or seat["venue_id"] != event["venue_id"]:
                raise ValueError(f"seat {seat_id} is not a seat of this event's venue; use list_free_seats")
            sections.add(seat["id"])
            if seat_id not in self._free_seats(event_id, seat["id"]):
                raise ValueError(f"seat {seat_id} is already sold")
        if len(sections) != 1:
            raise ValueError("policy: all seats of one order must be in the same section")
        price = self.db.execute("SELECT price FROM prices WHERE event_id = ? AND section_id = ?",
                                (event_id, sections.pop())).fetchone()[0]
        unit = paid_price(price, bool(customer["member"]))
        oid = self.db.execute("INSERT INTO orders (customer_id, event_id, created, total, status) VALUES "
                              "(?, ?, ?, ?, 'paid')", (customer_id, event_id, self._today(),
                                                       round(unit * len(seat_ids), 2))).lastrowid
        self.db.executemany("INSERT INTO tickets (order_id, event_id, seat_id, price, status) VALUES "
                            "(?, ?, ?, ?, 'active')", [(oid, event_id, s, unit) for s in seat_ids])
        return self.get_order(oid)

    @tool("write")
    def refund_tickets(self, order_id: int, ticket_ids: list[int] | None = None) -> dict:
        """Refund active tickets of an order (all of them when ticket_ids is left out), following the refund policy.

        Args:
            order_id: Order id.
            ticket_ids: Ticket ids of that order to refund; default all active ones.
        """
        order = self.get_order(order_id)
        active = {t["id"] for t in order["tickets"] if t["status"] == "active"}
        chosen = sorted(active) if ticket_ids is None else sorted(set(ticket_ids))
        if not chosen or not set(chosen) <= active:
            raise ValueError(f"order {order_id} has active tickets {sorted(active)}; refund only those")
        event = self._event(order["event_id"])
        cancelled = event["status"] == "cancelled"
        days = self._rules()["refund_days"]
        if not cancelled and days_between(self._today(), event["date"]) < days:
            raise ValueError(f"policy: refunds need the event to be at least {days} days away")
        total = 0.0
        for t in order["tickets"]:
            if t["id"] in chosen:
                amount = refund_amount(t["price"], cancelled)
                total += amount
                self.db.execute("UPDATE tickets SET status = 'refunded', refund = ? WHERE id = ?", (amount, t["id"]))
        self._update_order_status(order_id)
        return {"order_id": order_id, "refunded_tickets": chosen, "refund_total": round(total, 2)}

    # ---- proposers ----------------------------------------------------------------------------------

    def _sellable(self, customer: dict, event: dict) -> bool:
        if event["status"] == "presale":
            return customer["member"] or not self._rules()["presale_members_only"]
        return event["status"] == "on_sale"

    def _room(self, customer: dict, event: dict) -> int:
        room = event["ticket_limit"] - self._held(customer["id"], event["id"])
        cap = self._rules()["max_per_order"]
        return min(room, cap) if cap else room

    def _sections(self, event_id: int) -> list[dict]:
        rows = self.rows("SELECT s.id, s.name, p.price FROM sections s JOIN prices p ON p.section_id = s.id "
                         "WHERE p.event_id = ? ORDER BY s.id", event_id)
        for r in rows:
            r["free"] = len(self._free_seats(event_id, r["id"]))
        return rows

    def _refundable(self, order: dict) -> bool:
        event = self._event(order["event_id"])
        return event["status"] == "cancelled" or days_between(self._today(), event["date"]) >= self._rules()[
            "refund_days"]

    def _active_orders(self) -> list[dict]:
        return self.rows("SELECT o.*, c.name AS customer, c.member FROM orders o JOIN customers c ON "
                         "c.id = o.customer_id WHERE o.status != 'refunded' ORDER BY o.id")

    def _order_refund(self, order_id: int) -> float:
        cancelled = self.db.execute("SELECT e.status FROM orders o JOIN events e ON e.id = o.event_id WHERE "
                                    "o.id = ?", (order_id,)).fetchone()[0] == "cancelled"
        return round(sum(refund_amount(t["price"], cancelled) for t in self.rows(
            "SELECT price FROM tickets WHERE order_id = ? AND status = 'active'", order_id)), 2)

    def _pick_section(self, rng: random.Random) -> tuple[dict, dict]:
        event = rng.choice(self.rows("SELECT * FROM events ORDER BY id"))
        return event, rng.choice(self._sections(event["id"]))

    @proposer(difficulty=1)
    def propose_section_price(self, rng: random.Random) -> TaskDraft | None:
        event, section = self._pick_section(rng)
        spec = {"event": event["title"], "date": event["date"], "section": section["name"]}
        return TaskDraft(
            shape="section_price",
            instruction=self.render("section_price", rng, **spec),
            solution=Program.of(solve_section_price, **spec),
            verifier=Program.of(verify_number, expected=section["price"], tolerance=0.01),
            tools=("search_events", "get_event", "get_venue"),
        )

    @proposer(difficulty=1)
    def propose_free_seats(self, rng: random.Random) -> TaskDraft | None:
        event, section = self._pick_section(rng)
        spec = {"event": event["title"], "date": event["date"], "section": section["name"]}
        return TaskDraft(
            shape="free_seats",
            instruction=self.render("free_seats", rng, **spec),
            solution=Program.of(solve_free_seats, **spec),
            verifier=Program.of(verify_number, expected=section["free"], tolerance=0),
            tools=("search_events", "get_event", "list_free_seats"),
        )

    @proposer(difficulty=1)
    def propose_event_venue(self, rng: random.Random) -> TaskDraft | None:
        event = self._event(rng.choice(self.rows("SELECT id FROM events ORDER BY id"))["id"])
        venues = [v["name"] for v in self.rows("SELECT name FROM venues ORDER BY id")]
        return TaskDraft(
            shape="event_venue",
            instruction=self.render("event_venue", rng, event=event["title"], date=event["date"]),
            solution=Program.of(solve_event_venue, event=event["title"], date=event["date"]),
            verifier=Program.of(verify_names, expected=[event["venue"]], candidates=venues),
            tools=("search_events", "get_event", "list_venues"),
        )

    @proposer(difficulty=2)
    def propose_active_tickets(self, rng: random.Random) -> TaskDraft | None:
        customer = rng.choice(self.rows("SELECT c.id, c.name FROM customers c JOIN orders o ON o.customer_id = c.id "
                                        "GROUP BY c.id ORDER BY c.id"))
        count = self.db.execute("SELECT COUNT(*) FROM tickets t JOIN orders o ON o.id = t.order_id WHERE "
                                "o.customer_id = ? AND t.status = 'active'", (customer["id"],)).fetchone()[0]
        return TaskDraft(
            shape="active_tickets",
            instruction=self.render("active_tickets", rng, customer=customer["name"]),
            solution=Program.of(solve_active_tickets, customer=customer["name"]),
            verifier=Program.of(verify_number, expected=count, tolerance=0),
            tools=("find_customers", "list_orders", "get_order"),
        )

    @proposer(difficulty=2)
    def propose_refunded_total(self, rng: random.Random) -> TaskDraft | None:
        customers = self.rows("SELECT o.customer_id AS id, c.name, SUM(t.refund) AS refunded FROM tickets t JOIN "
                              "orders o ON o.id = t.order_id JOIN customers c ON c.id = o.customer_id WHERE "
                              "t.status = 'refunded' GROUP BY o.customer_id ORDER BY o.customer_id")
        if not customers:
            return None
        customer = rng.choice(customers)
        return TaskDraft(
            shape="refunded_total",
            instruction=self.render("refunded_total", rng, customer=customer["name"]),
            solution=Program.of(solve_refunded_total, customer=customer["name"]),
            verifier=Program.of(verify_number, expected=round(customer["refunded"], 2), tolerance=0.01),
            tools=("find_customers", "list_orders", "get_order"),
        )

    def _draft_cheapest_event(self, rng: random.Random) -> TaskDraft | None:
        city = rng.choice(self.rows("SELECT DISTINCT city FROM venues ORDER BY city"))["city"]
        category = rng.choice([None, None, *sorted(CATEGORIES)])
        start = dt.date.fromisoformat(self._today()) + dt.timedelta(days=rng.randint(0, 10))
        end = start + dt.timedelta(days=rng.randint(15, 40))
        events = self.rows("SELECT e.id, e.title FROM events e JOIN venues v ON v.id = e.venue_id WHERE v.city = ? "
                           "AND (? IS NULL OR e.category = ?) AND e.date BETWEEN ? AND ? ORDER BY e.id", city,
                           category, category, start.isoformat(), end.isoformat())
        status = {e["id"]: self._event(e["id"])["status"] for e in events}
        options = sorted((min(s["price"] for s in self._sections(e["id"]) if s["free"]), e["title"])
                         for e in events if status[e["id"]] == "on_sale")
        if len(options) < 2 or options[0][0] == options[1][0]:
            return None
        spec = {"city": city, "category": category, "start": start.isoformat(), "end": end.isoformat()}
        what = f"{category} events" if category else "all events"
        return TaskDraft(
            shape="cheapest_event",
            instruction=self.render("cheapest_event", rng, **spec, what=what),
            solution=Program.of(solve_cheapest_event, **spec),
            verifier=Program.of(verify_names, expected=[options[0][1]],
                                candidates=[r["title"] for r in self.rows("SELECT title FROM events")]),
            tools=("search_events", "get_event", "list_free_seats", "list_venues"),
        )

    @proposer(difficulty=2)
    def propose_roomy_sections(self, rng: random.Random) -> TaskDraft | None:
        event = rng.choice(self.rows("SELECT * FROM events ORDER BY id"))
        sections = self._sections(event["id"])
        n = rng.choice(sorted({s["free"] for s in sections}))
        roomy = [s["name"] for s in sections if s["free"] >= n]
        if n < 2 or len(roomy) == len(sections):
            n = max(2, n + rng.randint(1, 3))
            roomy = [s["name"] for s in sections if s["free"] >= n]
        if not roomy or len(roomy) == len(sections):
            return None
        spec = {"event": event["title"], "date": event["date"], "n": n}
        return TaskDraft(
            shape="roomy_sections",
            instruction=self.render("roomy_sections", rng, **spec),
            solution=Program.of(solve_roomy_sections, **spec),
            verifier=Program.of(verify_names, expected=roomy, candidates=[s["name"] for s in sections]),
            tools=("search_events", "get_event", "list_free_seats", "get_venue"),
        )

    @proposer(difficulty=3)
    def propose_buy_in_section(self, rng: random.Random) -> TaskDraft | None:
        event, section = self._pick_section(rng)
        customer = rng.choice(self.rows("SELECT * FROM customers ORDER BY id"))
        if not self._sellable(customer, event):
            return None
        n = min(rng.randint(1, 5), self._room(customer, event), section["free"])
        if n < 1:
            return None
        spec = {"customer": customer["name"], "event": event["title"], "date": event["date"],
                "section": section["name"], "n": n}
        return TaskDraft(
            shape="buy_in_section",
            instruction=self.render("buy_in_section", rng, **spec),
            solution=Program.of(solve_buy_in_section, **spec),
            verifier=Program.of(verify_purchase, customer_id=customer["id"], count=n, event_ids=[event["id"]],
                                section_ids=[section["id"]], total=None, budget=None, refunds={},
                                **self._rules()),
        )

    @proposer(difficulty=3)
    def propose_refund_order(self, rng: random.Random) -> TaskDraft | None:
        orders = [o for o in self._active_orders() if self._refundable(o)]
        if not orders:
            return None
        order = rng.choice(orders)
        amount = self._order_refund(order["id"])
        return TaskDraft(
            shape="refund_order",
            instruction=self.render("refund_order", rng, customer=order["customer"], order_id=order["id"]),
            solution=Program.of(solve_refund_order, order_id=order["id"]),
            verifier=Program.of(verify_refunds, refunds={str(order["id"]): amount}, answer=amount),
        )

    @proposer(difficulty=3)
    def propose_refund_if_allowed(self, rng: random.Random) -> TaskDraft | None:
        orders = self._active_orders()
        allowed = rng.random() < 0.5
        orders = [o for o in orders if self._refundable(o) == allowed]
        if not orders:
            return None
        order = rng.choice(orders)
        refunds = {str(order["id"]): self._order_refund(order["id"])} if allowed else {}
        return TaskDraft(
            shape="refund_if_allowed",
            instruction=self.render("refund_if_allowed", rng, customer=order["customer"], order_id=order["id"]),
            solution=Program.of(solve_refund_if_allowed, order_id=order["id"], **self._rules()),
            verifier=Program.of(verify_refunds, refunds=refunds, answer="yes" if allowed else "no"),
        )

    @proposer(difficulty=4)
    def propose_best_section(self, rng: random.Random) -> TaskDraft | None:
        customer = rng.choice(self.rows("SELECT * FROM customers ORDER BY id"))
        held = self.rows("SELECT DISTINCT o.event_id AS id FROM orders o WHERE o.customer_id = ? AND o.status != "
                         "'refunded'", customer["id"])
        pool = held if held and rng.random() < 0.5 else self.rows("SELECT id FROM events ORDER BY id")
        event = self._event(rng.choice(pool)["id"])
        if not self._sellable(customer, event):
            return None
        wanted = rng.randint(2, 6)
        k = min(wanted, self._room(customer, event))
        sections = [s for s in self._sections(event["id"]) if s["free"] >= k]
        if k < 1 or len(sections) < 2:
            return None
        costs = sorted({round(paid_price(s["price"], bool(customer["member"])) * k, 2) for s in sections})
        i = rng.randrange(len(costs) - 1)
        budget = float(int(costs[i] + (costs[i + 1] - costs[i]) * rng.uniform(0.1, 0.9)))
        if budget < costs[i]:
            return None
        spec = {"customer": customer["name"], "event": event["title"], "date": event["date"], "n": wanted,
                "budget": budget}
        return TaskDraft(
            shape="best_section",
            instruction=self.render("best_section", rng, **spec),
            solution=Program.of(solve_best_section, **spec, **self._rules()),
            verifier=Program.of(verify_purchase, customer_id=customer["id"], count=k, event_ids=[event["id"]],
                                section_ids=None, total=costs[i], budget=budget,
                                refunds={}, **self._rules()),
        )

    def _draft_cheapest_outing(self, rng: random.Random) -> TaskDraft | None:
        customer = rng.choice(self.rows("SELECT * FROM customers ORDER BY id"))
        city = rng.choice(self.rows("SELECT DISTINCT city FROM venues ORDER BY city"))["city"]
        category = rng.choice([None, None, *sorted(CATEGORIES)])
        n = rng.randint(2, 4)
        start = dt.date.fromisoformat(self._today()) + dt.timedelta(days=rng.randint(0, 12))
        end = start + dt.timedelta(days=rng.randint(15, 35))
        events = [self._event(e["id"]) for e in self.rows(
            "SELECT e.id FROM events e JOIN venues v ON v.id = e.venue_id WHERE v.city = ? AND (? IS NULL OR "
            "e.category = ?) AND e.date BETWEEN ? AND ? ORDER BY e.id", city, category, category, start.isoformat(),
            end.isoformat())]
        options = {}
        for e in events:
            if self._sellable(customer, e) and self._room(customer, e) >= n:
                costs = [round(paid_price(s["price"], bool(customer["member"])) * n, 2)
                         for s in self._sections(e["id"]) if s["free"] >= n]
                if costs:
                    options[e["id"]] = min(costs)
        if len(options) < 2:
            return None
        best = min(options.values())
        budget = float(int(best * rng.uniform(1.05, 1.5)) + 1)
        spec = {"customer": customer["name"], "city": city, "category": category, "start": start.isoformat(),
                "end": end.isoformat(), "n": n, "budget": budget}
        return TaskDraft(
            shape="cheapest_outing",
            instruction=self.render("cheapest_outing", rng, **spec, what=f"a {category}" if category else "any"),
            solution=Program.of(solve_cheapest_outing, **spec, **self._rules()),
            verifier=Program.of(verify_purchase, customer_id=customer["id"], count=n, event_ids=sorted(options),
                                section_ids=None, total=best, budget=budget, refunds={},
                                **self._rules()),
        )

    def _swap_budget(self, rng, costs: list[float], refund: float) -> float | None:
        """A budget on (new total - refund) that admits costs[i] but not costs[i + 1]."""
        costs = sorted(set(costs))
        if len(costs) < 2:
            return None
        i = rng.randrange(len(costs) - 1)
        low, high = costs[i] - refund, costs[i + 1] - refund
        budget = float(int(low + (high - low) * rng.uniform(0.2, 0.8)))
        return budget if low <= budget < high and budget >= 0 else None

    def _draft_exchange(self, rng: random.Random) -> TaskDraft | None:
        orders = [o for o in self._active_orders() if self._refundable(o)]
        if not orders:
            return None
        order = rng.choice(orders)
        customer = self._customer(order["customer_id"])
        n = self.db.execute("SELECT COUNT(*) FROM tickets WHERE order_id = ? AND status = 'active'",
                            (order["id"],)).fetchone()[0]
        target = self._event(rng.choice(self.rows("SELECT id FROM events WHERE id != ? ORDER BY id",
                                                  order["event_id"]))["id"])
        if not self._sellable(customer, target) or self._room(customer, target) < n:
            return None
        refund = self._order_refund(order["id"])
        costs = [round(paid_price(s["price"], bool(customer["member"])) * n, 2)
                 for s in self._sections(target["id"]) if s["free"] >= n]
        budget = self._swap_budget(rng, costs, refund)
        if budget is None:
            return None
        best = max(c for c in costs if c - refund <= budget)
        spec = {"customer": customer["name"], "order_id": order["id"], "event": target["title"],
                "date": target["date"], "budget": budget}
        return TaskDraft(
            shape="exchange",
            instruction=self.render("exchange", rng, **spec),
            solution=Program.of(solve_exchange, **spec),
            verifier=Program.of(verify_purchase, customer_id=customer["id"], count=n, event_ids=[target["id"]],
                                section_ids=None, total=best, budget=budget,
                                refunds={str(order["id"]): refund}, **self._rules()),
        )

    def _draft_upgrade(self, rng: random.Random) -> TaskDraft | None:
        orders = [o for o in self._active_orders() if self._refundable(o)]
        if not orders:
            return None
        order = rng.choice(orders)
        customer, event = self._customer(order["customer_id"]), self._event(order["event_id"])
        tickets = self.rows("SELECT t.seat_id, st.section_id FROM tickets t JOIN seats st ON st.id = t.seat_id "
                            "WHERE t.order_id = ? AND t.status = 'active'", order["id"])
        n = len(tickets)
        if not self._sellable(customer, event) or len({t["section_id"] for t in tickets}) != 1:
            return None
        cap = self._rules()["max_per_order"]
        if cap and n > cap:
            return None
        sections = self._sections(event["id"])
        current = next(s for s in sections if s["id"] == tickets[0]["section_id"])
        higher = sorted({s["price"] for s in sections if s["price"] > current["price"] and s["free"] >= n})
        if not higher:
            return None
        refund = self._order_refund(order["id"])
        cost = round(paid_price(higher[0], bool(customer["member"])) * n, 2)
        budget = float(int(cost - refund) + rng.randint(0, 30))
        if budget < cost - refund:
            return None
        spec = {"customer": customer["name"], "order_id": order["id"], "budget": budget}
        return TaskDraft(
            shape="upgrade",
            instruction=self.render("upgrade", rng, **spec),
            solution=Program.of(solve_upgrade, **spec),
            verifier=Program.of(verify_purchase, customer_id=customer["id"], count=n, event_ids=[event["id"]],
                                section_ids=None, total=cost, budget=budget,
                                refunds={str(order["id"]): refund}, **self._rules()),
        )

    def _attempts(self, rng: random.Random, draft, tries: int = 5) -> TaskDraft | None:
        """Resample a situation a few times before declining: some shapes need a lucky combination."""
        for _ in range(tries):
            task = draft(rng)
            if task is not None:
                return task
        return None

    @proposer(difficulty=2)
    def propose_cheapest_event(self, rng: random.Random) -> TaskDraft | None:
        return self._attempts(rng, self._draft_cheapest_event)

    @proposer(difficulty=4)
    def propose_cheapest_outing(self, rng: random.Random) -> TaskDraft | None:
        return self._attempts(rng, self._draft_cheapest_outing)

    @proposer(difficulty=5)
    def propose_exchange(self, rng: random.Random) -> TaskDraft | None:
        return self._attempts(rng, self._draft_exchange)

    @proposer(difficulty=5)
    def propose_upgrade(self, rng: random.Random) -> TaskDraft | None:
        return self._attempts(rng, self._draft_upgrade)


# ---- solutions: tools and computation only --------------------------------------------------------

def solve_section_price(tools, params):
    event = tools.search_events(date_from=params["date"], date_to=params["date"])
    event = tools.get_event(event_id=next(e["id"] for e in event if e["title"] == params["event"]))
    return next(s["price"] for s in event["sections"] if s["name"] == params["section"])


def solve_free_seats(tools, params):
    event = next(e for e in tools.search_events(date_from=params["date"], date_to=params["date"])
                 if e["title"] == params["event"])
    event = tools.get_event(event_id=event["id"])
    return next(s["free_seats"] for s in event["sections"] if s["name"] == params["section"])


def solve_event_venue(tools, params):
    events = tools.search_events(date_from=params["date"], date_to=params["date"])
    return next(e["venue"] for e in events if e["title"] == params["event"])


def solve_active_tickets(tools, params):
    customer = next(c for c in tools.find_customers(name=params["customer"]) if c["name"] == params["customer"])
    count = 0
    for order in tools.list_orders(customer_id=customer["id"]):
        count += sum(t["status"] == "active" for t in tools.get_order(order_id=order["id"])["tickets"])
    return count


def solve_refunded_total(tools, params):
    customer = next(c for c in tools.find_customers(name=params["customer"]) if c["name"] == params["customer"])
    total = 0.0
    for order in tools.list_orders(customer_id=customer["id"]):
        total += sum(t["refund"] or 0 for t in tools.get_order(order_id=order["id"])["tickets"])
    return round(total, 2)


def solve_cheapest_event(tools, params):
    best = None
    for e in tools.search_events(city=params["city"], category=params["category"], date_from=params["start"],
                                 date_to=params["end"]):
        if e["status"] != "on_sale":
            continue
        prices = [s["price"] for s in tools.get_event(event_id=e["id"])["sections"] if s["free_seats"] > 0]
        if prices and (best is None or min(prices) < best[0]):
            best = (min(prices), e["title"])
    return best[1]


def solve_roomy_sections(tools, params):
    event = next(e for e in tools.search_events(date_from=params["date"], date_to=params["date"])
                 if e["title"] == params["event"])
    event = tools.get_event(event_id=event["id"])
    return [s["name"] for s in event["sections"] if s["free_seats"] >= params["n"]]


def solve_buy_in_section(tools, params):
    customer = next(c for c in tools.find_customers(name=params["customer"]) if c["name"] == params["customer"])
    event = next(e for e in tools.search_events(date_from=params["date"], date_to=params["date"])
                 if e["title"] == params["event"])
    event = tools.get_event(event_id=event["id"])
    section = next(s for s in event["sections"] if s["name"] == params["section"])
    seats = tools.list_free_seats(event_id=event["id"], section_id=section["section_id"])[:params["n"]]
    order = tools.buy_tickets(customer_id=customer["id"], event_id=event["id"], seat_ids=[s["seat_id"] for s in seats])
    return f"Booked order {order['id']}, total {order['total']}"


def solve_refund_order(tools, params):
    return tools.refund_tickets(order_id=params["order_id"])["refund_total"]


def solve_refund_if_allowed(tools, params):
    order = tools.get_order(order_id=params["order_id"])
    event = tools.get_event(event_id=order["event_id"])
    today = tools.get_today()["today"]
    import datetime
    days = (datetime.date.fromisoformat(event["date"]) - datetime.date.fromisoformat(today)).days
    if event["status"] != "cancelled" and days < params["refund_days"]:
        return "no"
    tools.refund_tickets(order_id=params["order_id"])
    return "yes"


def solve_best_section(tools, params):
    customer = next(c for c in tools.find_customers(name=params["customer"]) if c["name"] == params["customer"])
    event = next(e for e in tools.search_events(date_from=params["date"], date_to=params["date"])
                 if e["title"] == params["event"])
    event = tools.get_event(event_id=event["id"])
    held = 0
    for order in tools.list_orders(customer_id=customer["id"]):
        if order["event_id"] == event["id"]:
            held += sum(t["status"] == "active" for t in tools.get_order(order_id=order["id"])["tickets"])
    k = min(params["n"], event["ticket_limit"] - held)
    if params["max_per_order"]:
        k = min(k, params["max_per_order"])
    best = None
    for s in event["sections"]:
        unit = round(s["price"] * 0.9, 2) if customer["member"] else s["price"]
        if s["free_seats"] >= k and unit * k <= params["budget"] and (best is None or unit > best[0]):
            best = (unit, s["section_id"])
    seats = tools.list_free_seats(event_id=event["id"], section_id=best[1])[:k]
    order = tools.buy_tickets(customer_id=customer["id"], event_id=event["id"], seat_ids=[s["seat_id"] for s in seats])
    return f"Booked order {order['id']} with {len(order['tickets'])} tickets, total {order['total']}"


def solve_cheapest_outing(tools, params):
    customer = next(c for c in tools.find_customers(name=params["customer"]) if c["name"] == params["customer"])
    n, best = params["n"], None
    for e in tools.search_events(city=params["city"], category=params["category"], date_from=params["start"],
                                 date_to=params["end"]):
        if e["status"] not in ("on_sale", "presale"):
            continue
        if e["status"] == "presale" and params["presale_members_only"] and not customer["member"]:
            continue
        event = tools.get_event(event_id=e["id"])
        held = 0
        for order in tools.list_orders(customer_id=customer["id"]):
            if order["event_id"] == e["id"]:
                held += sum(t["status"] == "active" for t in tools.get_order(order_id=order["id"])["tickets"])
        if held + n > event["ticket_limit"]:
            continue
        for s in event["sections"]:
            unit = round(s["price"] * 0.9, 2) if customer["member"] else s["price"]
            if s["free_seats"] >= n and (best is None or unit * n < best[0]):
                best = (unit * n, e["id"], s["section_id"], e["status"])
    seats = tools.list_free_seats(event_id=best[1], section_id=best[2])[:n]
    order = tools.buy_tickets(customer_id=customer["id"], event_id=best[1], seat_ids=[s["seat_id"] for s in seats])
    return f"Booked order {order['id']}, total {order['total']}"


def solve_exchange(tools, params):
    old = tools.get_order(order_id=params["order_id"])
    member = next(c for c in tools.find_customers(name=params["customer"]) if c["id"] == old["customer_id"])["member"]
    n = sum(t["status"] == "active" for t in old["tickets"])
    refund = tools.refund_tickets(order_id=params["order_id"])["refund_total"]
    event = next(e for e in tools.search_events(date_from=params["date"], date_to=params["date"])
                 if e["title"] == params["event"])
    event = tools.get_event(event_id=event["id"])
    best = None
    for s in event["sections"]:
        cost = round((round(s["price"] * 0.9, 2) if member else s["price"]) * n, 2)
        if s["free_seats"] >= n and cost - refund <= params["budget"] and (best is None or cost > best[0]):
            best = (cost, s["section_id"])
    seats = tools.list_free_seats(event_id=event["id"], section_id=best[1])[:n]
    order = tools.buy_tickets(customer_id=old["customer_id"], event_id=event["id"],
                              seat_ids=[s["seat_id"] for s in seats])
    return f"Refunded {refund} on order {params['order_id']}; new order {order['id']} costs {order['total']}"


def solve_upgrade(tools, params):
    old = tools.get_order(order_id=params["order_id"])
    member = next(c for c in tools.find_customers(name=params["customer"]) if c["id"] == old["customer_id"])["member"]
    active = [t for t in old["tickets"] if t["status"] == "active"]
    event = tools.get_event(event_id=old["event_id"])
    current = next(s for s in event["sections"] if s["section_id"] == active[0]["section_id"])
    options = [s for s in event["sections"] if s["price"] > current["price"] and s["free_seats"] >= len(active)]
    target = min(options, key=lambda s: s["price"])
    refund = tools.refund_tickets(order_id=params["order_id"])["refund_total"]
    seats = tools.list_free_seats(event_id=event["id"], section_id=target["section_id"])[:len(active)]
    order = tools.buy_tickets(customer_id=old["customer_id"], event_id=event["id"],
                              seat_ids=[s["seat_id"] for s in seats])
    return f"Refunded {refund}; new order {order['id']} in {target['name']} costs {order['total']}"


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_refunds(outcome, params):
    from verifiers.answers import only_number, yes_no
    from verifiers.state import diff_table, unchanged

    reasons = []
    want = {int(k): v for k, v in params["refunds"].items()}
    added, removed, changed = diff_table(outcome.initial, outcome.db, "tickets")
    expected_ids = {t["id"] for t in outcome.initial_rows("SELECT id, order_id FROM tickets WHERE status = 'active'")
                    if t["order_id"] in want}
    if added or removed or {t["id"] for t in changed} != expected_ids:
        reasons.append(f"tickets changed {sorted(t['id'] for t in changed)}, expected exactly {sorted(expected_ids)}")
    for order_id, amount in want.items():
        got = sum(t["refund"] or 0 for t in changed if t["order_id"] == order_id and t["status"] == "refunded")
        if abs(got - amount) > 0.011:
            reasons.append(f"order {order_id} refunded {round(got, 2)}, policy gives {amount}")
    orders = diff_table(outcome.initial, outcome.db, "orders")
    if orders[0] or orders[1] or not {o["id"] for o in orders[2]} <= set(want):
        reasons.append("orders other than the refunded ones changed")
    if other := unchanged(outcome.initial, outcome.db, ["events", "prices", "customers", "seats"]):
        reasons.append(f"unexpected changes in {other}")
    if isinstance(params["answer"], str):
        if yes_no(outcome.answer) != (params["answer"] == "yes"):
            reasons.append(f"answer should say {params['answer']}, got {outcome.answer!r}")
    elif not only_number(outcome.answer, params["answer"]):
        reasons.append(f"answer should state the refund {params['answer']}, got {outcome.answer!r}")
    return not reasons, reasons


def verify_purchase(outcome, params):
    from verifiers.state import diff_table, unchanged

    reasons = []
    refunds = {int(k): v for k, v in params["refunds"].items()}
    to_refund = {t["id"] for t in outcome.initial_rows("SELECT id, order_id FROM tickets WHERE status = 'active'")
                 if t["order_id"] in refunds}
    added, removed, changed = diff_table(outcome.initial, outcome.db, "tickets")
    if removed or {t["id"] for t in changed} != to_refund:
        return False, [f"tickets changed {sorted(t['id'] for t in changed)}, expected refunds of {sorted(to_refund)}"]
    refunded = round(sum(t["refund"] or 0 for t in changed if t["status"] == "refunded"), 2)
    for order_id, amount in refunds.items():
        got = sum(t["refund"] or 0 for t in changed if t["order_id"] == order_id and t["status"] == "refunded")
        if abs(got - amount) > 0.011:
            reasons.append(f"order {order_id} refunded {round(got, 2)}, policy gives {amount}")
    new_orders, gone, altered = diff_table(outcome.initial, outcome.db, "orders")
    if len(new_orders) != 1 or gone or not {o["id"] for o in altered} <= set(refunds):
        return False, reasons + [f"expected exactly one new order; {len(new_orders)} added, other orders changed"]
    order = new_orders[0]
    mine = [t for t in added if t["order_id"] == order["id"]]
    if len(mine) != len(added) or len(mine) != params["count"]:
        return False, reasons + [f"the new order has {len(mine)} tickets, expected {params['count']}"]
    if order["customer_id"] != params["customer_id"] or order["event_id"] not in params["event_ids"]:
        reasons.append(f"order is for customer {order['customer_id']} / event {order['event_id']}, not an allowed one")
    event = outcome.rows("SELECT * FROM events WHERE id = ?", order["event_id"])[0]
    member = outcome.rows("SELECT member FROM customers WHERE id = ?", order["customer_id"])[0]["member"]
    sections = {outcome.rows("SELECT section_id FROM seats WHERE id = ?", t["seat_id"])[0]["section_id"] for t in mine}
    if len(sections) != 1:
        return False, reasons + ["the seats are not all in one section"]
    section = sections.pop()
    if params["section_ids"] and section not in params["section_ids"]:
        reasons.append(f"seats are in section {section}, not the requested one")
    price = outcome.rows("SELECT price FROM prices WHERE event_id = ? AND section_id = ?", event["id"], section)
    unit = (round(price[0]["price"] * 0.9, 2) if member else price[0]["price"]) if price else None
    if unit is None or any(abs(t["price"] - unit) > 0.005 or t["event_id"] != event["id"] for t in mine):
        reasons.append("ticket prices or events do not match the section's price")
    taken = outcome.initial_rows("SELECT seat_id FROM tickets WHERE event_id = ? AND status = 'active'", event["id"])
    if {t["seat_id"] for t in mine} & {t["seat_id"] for t in taken}:
        reasons.append("a seat was sold twice")
    if params["total"] is not None and abs(order["total"] - params["total"]) > 0.011:
        reasons.append(f"order total {order['total']}; the section the request asks for costs {params['total']}")
    if params["budget"] is not None and order["total"] - refunded > params["budget"] + 0.005:
        reasons.append(f"spent {round(order['total'] - refunded, 2)} > budget {params['budget']}")
    if params["max_per_order"] and len(mine) > params["max_per_order"]:
        reasons.append("order holds more tickets than one order may")
    held = outcome.rows("SELECT COUNT(*) AS n FROM tickets t JOIN orders o ON o.id = t.order_id WHERE "
                        "o.customer_id = ? AND t.event_id = ? AND t.status = 'active'", order["customer_id"],
                        event["id"])[0]["n"]
    if held > event["ticket_limit"] or event["status"] not in ("on_sale", "presale"):
        reasons.append("the event's ticket limit or sale status is broken")
    if event["status"] == "presale" and params["presale_members_only"] and not member:
        reasons.append("presale tickets sold to a non-member")
    if other := unchanged(outcome.initial, outcome.db, ["events", "prices", "customers", "seats", "sections"]):
        reasons.append(f"unexpected changes in {other}")
    return not reasons, reasons
