"""Task proposers, from single lookups (level 1) to exchanges and upgrades (level 5)."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import Answer, Effects, Program, Rule, TaskDraft, proposer, updates

from .checks import check_seats
from .solutions import (
    solve_active_tickets,
    solve_best_section,
    solve_buy_in_section,
    solve_cheapest_event,
    solve_cheapest_outing,
    solve_event_venue,
    solve_exchange,
    solve_free_seats,
    solve_refund_if_allowed,
    solve_refund_order,
    solve_refunded_total,
    solve_roomy_sections,
    solve_section_price,
    solve_upgrade,
)
from .world import CATEGORIES, days_between, paid_price, refund_amount


class TicketsEventsTasks:
    # ---- proposer helpers ---------------------------------------------------------------------------

    def _sellable(self, customer: dict, event: dict) -> bool:
        if event["status"] == "presale":
            return customer["member"] or not self._rules()["presale_members_only"]
        return event["status"] == "on_sale"

    def _room(self, customer: dict, event: dict) -> int:
        room = event["ticket_limit"] - self._held(customer["id"], event["id"])
        cap = self._rules()["max_per_order"]
        return min(room, cap) if cap else room

    def _sections(self, event_id: int) -> list[dict]:
        rows = self.rows(
            "SELECT s.id, s.name, p.price FROM sections s JOIN prices p ON p.section_id = s.id "
            "WHERE p.event_id = ? ORDER BY s.id",
            event_id,
        )
        for r in rows:
            r["free"] = len(self._free_seats(event_id, r["id"]))
        return rows

    def _refundable(self, order: dict) -> bool:
        event = self._event(order["event_id"])
        return (
            event["status"] == "cancelled" or days_between(self._today(), event["date"]) >= self._rules()["refund_days"]
        )

    def _active_orders(self) -> list[dict]:
        return self.rows(
            "SELECT o.*, c.name AS customer, c.member FROM orders o JOIN customers c ON "
            "c.id = o.customer_id WHERE o.status != 'refunded' ORDER BY o.id"
        )

    def _order_refund(self, order_id: int) -> float:
        return round(sum(self._refunds(order_id).values()), 2)

    def _refunds(self, order_id: int) -> dict[int, float]:
        """What refunding an order's active tickets pays back, per ticket id."""
        cancelled = (
            self.value("SELECT e.status FROM orders o JOIN events e ON e.id = o.event_id WHERE o.id = ?", order_id)
            == "cancelled"
        )
        return {
            t["id"]: refund_amount(t["price"], cancelled)
            for t in self.rows(
                "SELECT id, price FROM tickets WHERE order_id = ? AND status = 'active' ORDER BY id", order_id
            )
        }

    def _refund_rules(self, order_id: int) -> dict[str, Rule] | None:
        """The ticket and order changes of refunding an order's active tickets (None when their refunds differ)."""
        refunds = self._refunds(order_id)
        if len(set(refunds.values())) != 1:
            return None
        return {
            "tickets": updates(
                "refund",
                "status",
                keys=sorted(refunds),
                values={"status": "refunded", "refund": next(iter(refunds.values()))},
            ),
            "orders": updates("status", keys=[order_id], values={"status": "refunded"}),
        }

    def _purchase(self, customer: dict, n: int, allowed: list[list[int]], refund_order: int | None = None) -> dict:
        """The effects and check of one new order of `n` tickets in one of the `allowed` [event, section] pairs
        (which cost the same), after refunding `refund_order`'s active tickets when given."""
        event_id, section_id = allowed[0]
        unit = paid_price(
            self.value("SELECT price FROM prices WHERE event_id = ? AND section_id = ?", event_id, section_id),
            bool(customer["member"]),
        )
        same_event = len({e for e, _ in allowed}) == 1
        order = {
            "customer_id": customer["id"],
            "created": self._today(),
            "total": round(unit * n, 2),
            "status": "paid",
            **({"event_id": event_id} if same_event else {}),
        }
        ticket = {"price": unit, "status": "active", "refund": None, **({"event_id": event_id} if same_event else {})}
        rules = {"orders": Rule(insert=1, rows=[order]), "tickets": Rule(insert=n, rows=[ticket] * n)}
        if refund_order is not None:
            refund = self._refund_rules(refund_order)
            rules = {
                t: rules[t].model_copy(update={"update": r.update, "keys": r.keys, "values": r.values})
                for t, r in refund.items()
            }
        return {"effects": Effects.on(**rules), "check": Program.of(check_seats, allowed=allowed)}

    def _pick_section(self, rng: random.Random) -> tuple[dict, dict]:
        event = rng.choice(self.rows("SELECT * FROM events ORDER BY id"))
        return event, rng.choice(self._sections(event["id"]))

    def _costs(self, customer: dict, event_id: int, n: int) -> dict[int, float]:
        """What `n` seats cost the customer in each section of an event that still has them, by section id."""
        return {
            s["id"]: round(paid_price(s["price"], bool(customer["member"])) * n, 2)
            for s in self._sections(event_id)
            if s["free"] >= n
        }

    # ---- level 1-2: questions -----------------------------------------------------------------------

    @proposer(difficulty=1, attempts=2)
    def propose_section_price(self, rng: random.Random) -> TaskDraft | None:
        event, section = self._pick_section(rng)
        if f"{section['price']:g}" in section["name"].split():  # "Lower 101" would state a price of 101
            return None
        spec = {"event": event["title"], "date": event["date"], "section": section["name"]}
        return TaskDraft(
            shape="section_price",
            instruction=self.render("section_price", rng, **spec),
            solution=Program.of(solve_section_price, **spec),
            answer=Answer.number(section["price"]),
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
            answer=Answer.integer(section["free"]),
            tools=("search_events", "get_event", "list_free_seats"),
        )

    @proposer(difficulty=1)
    def propose_event_venue(self, rng: random.Random) -> TaskDraft | None:
        event = self._event(rng.choice(self.column("SELECT id FROM events ORDER BY id")))
        return TaskDraft(
            shape="event_venue",
            instruction=self.render("event_venue", rng, event=event["title"], date=event["date"]),
            solution=Program.of(solve_event_venue, event=event["title"], date=event["date"]),
            answer=Answer.entity(event["venue"], candidates=self.column("SELECT name FROM venues ORDER BY id")),
            tools=("search_events", "get_event", "list_venues"),
        )

    @proposer(difficulty=2)
    def propose_active_tickets(self, rng: random.Random) -> TaskDraft | None:
        customer = rng.choice(
            self.rows(
                "SELECT c.id, c.name FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id ORDER BY c.id"
            )
        )
        count = self.value(
            "SELECT COUNT(*) FROM tickets t JOIN orders o ON o.id = t.order_id WHERE o.customer_id = ? "
            "AND t.status = 'active'",
            customer["id"],
        )
        return TaskDraft(
            shape="active_tickets",
            instruction=self.render("active_tickets", rng, customer=customer["name"]),
            solution=Program.of(solve_active_tickets, customer=customer["name"]),
            answer=Answer.integer(count),
            tools=("find_customers", "list_orders", "get_order"),
        )

    @proposer(difficulty=2)
    def propose_refunded_total(self, rng: random.Random) -> TaskDraft | None:
        customers = self.rows(
            "SELECT o.customer_id AS id, c.name, SUM(t.refund) AS refunded FROM tickets t JOIN "
            "orders o ON o.id = t.order_id JOIN customers c ON c.id = o.customer_id WHERE "
            "t.status = 'refunded' GROUP BY o.customer_id ORDER BY o.customer_id"
        )
        if not customers:
            return None
        customer = rng.choice(customers)
        return TaskDraft(
            shape="refunded_total",
            instruction=self.render("refunded_total", rng, customer=customer["name"]),
            solution=Program.of(solve_refunded_total, customer=customer["name"]),
            answer=Answer.number(round(customer["refunded"], 2)),
            tools=("find_customers", "list_orders", "get_order"),
        )

    @proposer(difficulty=2, attempts=5)
    def propose_cheapest_event(self, rng: random.Random) -> TaskDraft | None:
        city = rng.choice(self.column("SELECT DISTINCT city FROM venues ORDER BY city"))
        category = rng.choice([None, None, *sorted(CATEGORIES)])
        start = dt.date.fromisoformat(self._today()) + dt.timedelta(days=rng.randint(0, 10))
        end = start + dt.timedelta(days=rng.randint(15, 40))
        events = self.rows(
            "SELECT e.id, e.title FROM events e JOIN venues v ON v.id = e.venue_id WHERE v.city = ? "
            "AND (? IS NULL OR e.category = ?) AND e.date BETWEEN ? AND ? ORDER BY e.id",
            city,
            category,
            category,
            start.isoformat(),
            end.isoformat(),
        )
        status = {e["id"]: self._event(e["id"])["status"] for e in events}
        options = sorted(
            (min(s["price"] for s in self._sections(e["id"]) if s["free"]), e["title"])
            for e in events
            if status[e["id"]] == "on_sale"
        )
        if len(options) < 2 or options[0][0] == options[1][0]:
            return None
        spec = {"city": city, "category": category, "start": start.isoformat(), "end": end.isoformat()}
        what = f"{category} events" if category else "all events"
        return TaskDraft(
            shape="cheapest_event",
            instruction=self.render("cheapest_event", rng, **spec, what=what),
            solution=Program.of(solve_cheapest_event, **spec),
            answer=Answer.entity(options[0][1], candidates=self.column("SELECT title FROM events ORDER BY id")),
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
            answer=Answer.entities(roomy, candidates=self.column("SELECT DISTINCT name FROM sections ORDER BY name")),
            tools=("search_events", "get_event", "list_free_seats", "get_venue"),
        )

    # ---- level 3-5: sales and refunds ---------------------------------------------------------------

    @proposer(difficulty=3)
    def propose_buy_in_section(self, rng: random.Random) -> TaskDraft | None:
        event, section = self._pick_section(rng)
        customer = rng.choice(self.rows("SELECT * FROM customers ORDER BY id"))
        if not self._sellable(customer, event):
            return None
        n = min(rng.randint(1, 5), self._room(customer, event), section["free"])
        if n < 1:
            return None
        spec = {
            "customer": customer["name"],
            "event": event["title"],
            "date": event["date"],
            "section": section["name"],
            "n": n,
        }
        return TaskDraft(
            shape="buy_in_section",
            instruction=self.render("buy_in_section", rng, **spec),
            solution=Program.of(solve_buy_in_section, **spec),
            answer=Answer.none(),
            **self._purchase(customer, n, [[event["id"], section["id"]]]),
        )

    @proposer(difficulty=3)
    def propose_refund_order(self, rng: random.Random) -> TaskDraft | None:
        orders = [o for o in self._active_orders() if self._refundable(o)]
        if not orders:
            return None
        order = rng.choice(orders)
        rules = self._refund_rules(order["id"])
        if rules is None:
            return None
        return TaskDraft(
            shape="refund_order",
            instruction=self.render("refund_order", rng, customer=order["customer"], order_id=order["id"]),
            solution=Program.of(solve_refund_order, order_id=order["id"]),
            answer=Answer.number(self._order_refund(order["id"])),
            effects=Effects.on(**rules),
        )

    @proposer(difficulty=3)
    def propose_refund_if_allowed(self, rng: random.Random) -> TaskDraft | None:
        allowed = rng.random() < 0.5
        orders = [o for o in self._active_orders() if self._refundable(o) == allowed]
        if not orders:
            return None
        order = rng.choice(orders)
        rules = self._refund_rules(order["id"]) if allowed else {}
        if rules is None:
            return None
        return TaskDraft(
            shape="refund_if_allowed",
            instruction=self.render("refund_if_allowed", rng, customer=order["customer"], order_id=order["id"]),
            solution=Program.of(solve_refund_if_allowed, order_id=order["id"], **self._rules()),
            answer=Answer.boolean(allowed),
            effects=Effects.on(**rules),
        )

    @proposer(difficulty=4)
    def propose_best_section(self, rng: random.Random) -> TaskDraft | None:
        customer = rng.choice(self.rows("SELECT * FROM customers ORDER BY id"))
        held = self.column(
            "SELECT DISTINCT o.event_id FROM orders o WHERE o.customer_id = ? AND o.status != "
            "'refunded' ORDER BY o.event_id",
            customer["id"],
        )
        pool = held if held and rng.random() < 0.5 else self.column("SELECT id FROM events ORDER BY id")
        event = self._event(rng.choice(pool))
        if not self._sellable(customer, event):
            return None
        wanted = rng.randint(2, 6)
        k = min(wanted, self._room(customer, event))
        costs = self._costs(customer, event["id"], k) if k >= 1 else {}
        if len(costs) < 2:
            return None
        levels = sorted(set(costs.values()))
        if len(levels) < 2:
            return None
        i = rng.randrange(len(levels) - 1)
        budget = float(int(levels[i] + (levels[i + 1] - levels[i]) * rng.uniform(0.1, 0.9)))
        if budget < levels[i]:
            return None
        spec = {
            "customer": customer["name"],
            "event": event["title"],
            "date": event["date"],
            "n": wanted,
            "budget": budget,
        }
        return TaskDraft(
            shape="best_section",
            instruction=self.render("best_section", rng, **spec),
            solution=Program.of(solve_best_section, **spec, **self._rules()),
            answer=Answer.none(),
            **self._purchase(customer, k, [[event["id"], s] for s, c in sorted(costs.items()) if c == levels[i]]),
        )

    @proposer(difficulty=4, attempts=5)
    def propose_cheapest_outing(self, rng: random.Random) -> TaskDraft | None:
        customer = rng.choice(self.rows("SELECT * FROM customers ORDER BY id"))
        city = rng.choice(self.column("SELECT DISTINCT city FROM venues ORDER BY city"))
        category = rng.choice([None, None, *sorted(CATEGORIES)])
        n = rng.randint(2, 4)
        start = dt.date.fromisoformat(self._today()) + dt.timedelta(days=rng.randint(0, 12))
        end = start + dt.timedelta(days=rng.randint(15, 35))
        events = [
            self._event(e)
            for e in self.column(
                "SELECT e.id FROM events e JOIN venues v ON v.id = e.venue_id WHERE v.city = ? AND (? IS NULL OR "
                "e.category = ?) AND e.date BETWEEN ? AND ? ORDER BY e.id",
                city,
                category,
                category,
                start.isoformat(),
                end.isoformat(),
            )
        ]
        options = {
            e["id"]: self._costs(customer, e["id"], n)
            for e in events
            if self._sellable(customer, e) and self._room(customer, e) >= n
        }
        options = {e: costs for e, costs in options.items() if costs}
        if len(options) < 2:
            return None
        best = min(c for costs in options.values() for c in costs.values())
        budget = float(int(best * rng.uniform(1.05, 1.5)) + 1)
        spec = {
            "customer": customer["name"],
            "city": city,
            "category": category,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "n": n,
            "budget": budget,
        }
        return TaskDraft(
            shape="cheapest_outing",
            instruction=self.render("cheapest_outing", rng, **spec, what=f"a {category}" if category else "any"),
            solution=Program.of(solve_cheapest_outing, **spec, **self._rules()),
            answer=Answer.none(),
            **self._purchase(
                customer,
                n,
                [[e, s] for e, costs in sorted(options.items()) for s, c in sorted(costs.items()) if c == best],
            ),
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

    @proposer(difficulty=5, attempts=5)
    def propose_exchange(self, rng: random.Random) -> TaskDraft | None:
        orders = [o for o in self._active_orders() if self._refundable(o)]
        if not orders:
            return None
        order = rng.choice(orders)
        customer = self._customer(order["customer_id"])
        n = len(self._refunds(order["id"]))
        target = self._event(
            rng.choice(self.column("SELECT id FROM events WHERE id != ? ORDER BY id", order["event_id"]))
        )
        if (
            not self._sellable(customer, target)
            or self._room(customer, target) < n
            or self._refund_rules(order["id"]) is None
        ):
            return None
        refund = self._order_refund(order["id"])
        costs = self._costs(customer, target["id"], n)
        budget = self._swap_budget(rng, list(costs.values()), refund)
        if budget is None:
            return None
        best = max(c for c in costs.values() if c - refund <= budget)
        spec = {
            "customer": customer["name"],
            "order_id": order["id"],
            "event": target["title"],
            "date": target["date"],
            "budget": budget,
        }
        return TaskDraft(
            shape="exchange",
            instruction=self.render("exchange", rng, **spec),
            solution=Program.of(solve_exchange, **spec),
            answer=Answer.none(),
            **self._purchase(
                customer,
                n,
                [[target["id"], s] for s, c in sorted(costs.items()) if c == best],
                refund_order=order["id"],
            ),
        )

    @proposer(difficulty=5, attempts=5)
    def propose_upgrade(self, rng: random.Random) -> TaskDraft | None:
        orders = [o for o in self._active_orders() if self._refundable(o)]
        if not orders:
            return None
        order = rng.choice(orders)
        customer, event = self._customer(order["customer_id"]), self._event(order["event_id"])
        tickets = self.rows(
            "SELECT t.seat_id, st.section_id FROM tickets t JOIN seats st ON st.id = t.seat_id "
            "WHERE t.order_id = ? AND t.status = 'active'",
            order["id"],
        )
        n = len(tickets)
        if (
            not self._sellable(customer, event)
            or len({t["section_id"] for t in tickets}) != 1
            or self._refund_rules(order["id"]) is None
        ):
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
            answer=Answer.none(),
            **self._purchase(
                customer,
                n,
                [[event["id"], s["id"]] for s in sections if s["price"] == higher[0] and s["free"] >= n],
                refund_order=order["id"],
            ),
        )
