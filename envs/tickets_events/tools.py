"""The tickets_events tools: lookups, and writes that enforce the rules."""

from __future__ import annotations

import datetime as dt

from synth.env import tool

from .world import days_between, paid_price, refund_amount


class TicketsEventsTools:
    # ---- helpers shared by tools and proposers ----------------------------------------------------

    def _today(self) -> str:
        return self.value("SELECT today FROM office")

    def _held(self, customer_id: int, event_id: int) -> int:
        return self.value(
            "SELECT COUNT(*) FROM tickets t JOIN orders o ON o.id = t.order_id WHERE o.customer_id = ? "
            "AND t.event_id = ? AND t.status = 'active'",
            customer_id,
            event_id,
        )

    def _free_seats(self, event_id: int, section_id: int) -> list[int]:
        return [
            r["id"]
            for r in self.rows(
                "SELECT id FROM seats WHERE section_id = ? AND id NOT IN (SELECT seat_id FROM tickets WHERE event_id = ? "
                "AND status = 'active') ORDER BY id",
                section_id,
                event_id,
            )
        ]

    def _update_order_status(self, order_id: int) -> None:
        counts = self.one(
            "SELECT SUM(status = 'active') AS active, COUNT(*) AS n FROM tickets WHERE order_id = ?",
            order_id,
            missing=f"no order {order_id}",
        )
        status = (
            "paid" if counts["active"] == counts["n"] else "refunded" if counts["active"] == 0 else "partially_refunded"
        )
        self.db.execute("UPDATE orders SET status = ? WHERE id = ?", (status, order_id))

    def _rules(self) -> dict:
        return {
            "max_per_order": 4 if "max_four_per_order" in self.variant.rules else 0,
            "presale_members_only": "presale_members_only" in self.variant.rules,
            "refund_days": 7 if "refund_week" in self.variant.rules else 2,
        }

    def _event(self, event_id: int) -> dict:
        return self.one(
            "SELECT e.*, v.name AS venue, v.city FROM events e JOIN venues v ON v.id = e.venue_id WHERE e.id = ?",
            event_id,
            missing=f"no event with id {event_id}; use search_events to find events",
        )

    def _customer(self, customer_id: int) -> dict:
        return self.one(
            "SELECT * FROM customers WHERE id = ?",
            customer_id,
            missing=f"no customer with id {customer_id}; use find_customers to look customers up",
        )

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
        return self.rows(
            "SELECT id, name, city FROM venues WHERE (? IS NULL OR lower(city) = lower(?)) ORDER BY id", city, city
        )

    @tool("read")
    def get_venue(self, venue_id: int) -> dict:
        """One venue with its seating sections and how many seats each section has.

        Args:
            venue_id: Venue id from list_venues or an event.
        """
        row = self.one(
            "SELECT * FROM venues WHERE id = ?", venue_id, missing=f"no venue with id {venue_id}; call list_venues"
        )
        sections = self.rows(
            "SELECT s.id, s.name, s.kind, COUNT(t.id) AS seats FROM sections s JOIN seats t ON "
            "t.section_id = s.id WHERE s.venue_id = ? GROUP BY s.id ORDER BY s.id",
            venue_id,
        )
        return {**row, "sections": sections}

    @tool("read")
    def search_events(
        self,
        city: str | None = None,
        category: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> list[dict]:
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
            city,
            city,
            category,
            category,
            date_from or "",
            date_to or "9999",
        )

    @tool("read")
    def get_event(self, event_id: int) -> dict:
        """One event: venue, date, status, per-customer ticket limit, and each section's list price and free seats.

        Args:
            event_id: Event id from search_events.
        """
        event = self._event(event_id)
        sections = self.rows(
            "SELECT s.id AS section_id, s.name, s.kind, p.price FROM sections s JOIN prices p ON "
            "p.section_id = s.id WHERE p.event_id = ? ORDER BY s.id",
            event_id,
        )
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
            event["venue_id"],
            section_id,
            section_id,
            event_id,
        )

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
        return self.rows(
            "SELECT o.id, o.event_id, e.title AS event, e.date AS event_date, o.created, o.total, "
            "o.status FROM orders o JOIN events e ON e.id = o.event_id WHERE o.customer_id = ? "
            "ORDER BY o.id",
            customer_id,
        )

    @tool("read")
    def get_order(self, order_id: int) -> dict:
        """One order with its tickets (seat, section, paid price, status and any refund).

        Args:
            order_id: Order id.
        """
        row = self.one(
            "SELECT * FROM orders WHERE id = ?",
            order_id,
            missing=f"no order with id {order_id}; list_orders shows a customer's orders",
        )
        tickets = self.rows(
            "SELECT t.id, t.seat_id, s.id AS section_id, s.name AS section, st.row, st.number, "
            "t.price, t.status, t.refund FROM tickets t JOIN seats st ON st.id = t.seat_id JOIN "
            "sections s ON s.id = st.section_id WHERE t.order_id = ? ORDER BY t.id",
            order_id,
        )
        return {**row, "tickets": tickets}

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
            raise ValueError(
                f"ticket limit: the customer holds {held} of at most {event['ticket_limit']} tickets for this event"
            )
        sections = set()
        for seat_id in seat_ids:
            seat = (
                self.rows(
                    "SELECT s.id, s.venue_id FROM seats t JOIN sections s ON s.id = t.section_id WHERE t.id = ?",
                    seat_id,
                )
                or [None]
            )[0]
            if seat is None or seat["venue_id"] != event["venue_id"]:
                raise ValueError(f"seat {seat_id} is not a seat of this event's venue; use list_free_seats")
            sections.add(seat["id"])
            if seat_id not in self._free_seats(event_id, seat["id"]):
                raise ValueError(f"seat {seat_id} is already sold")
        if len(sections) != 1:
            raise ValueError("policy: all seats of one order must be in the same section")
        price = self.value("SELECT price FROM prices WHERE event_id = ? AND section_id = ?", event_id, sections.pop())
        unit = paid_price(price, bool(customer["member"]))
        oid = self.db.execute(
            "INSERT INTO orders (customer_id, event_id, created, total, status) VALUES (?, ?, ?, ?, 'paid')",
            (customer_id, event_id, self._today(), round(unit * len(seat_ids), 2)),
        ).lastrowid
        self.db.executemany(
            "INSERT INTO tickets (order_id, event_id, seat_id, price, status) VALUES (?, ?, ?, ?, 'active')",
            [(oid, event_id, s, unit) for s in seat_ids],
        )
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
