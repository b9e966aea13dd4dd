"""Task proposers, from listing lookups (level 1) to offer-and-viewing plans (level 5)."""

from __future__ import annotations

import datetime as dt
import math
import random

from synth.env import Answer, Effects, Program, Rule, TaskDraft, proposer

from .solutions import (
    solve_affordable_count,
    solve_agent_sales,
    solve_best_offer,
    solve_book_viewing,
    solve_cheapest_match,
    solve_listing_agent,
    solve_listing_price,
    solve_offer_percent,
    solve_price_per_sqm,
    solve_viewing_tour,
    solve_withdraw_offers,
)
from .world import FEATURES, HOURS, KINDS, MAX_VIEWINGS_PER_DAY, affordable, max_loan, min_deposit


class RealEstateTasks:
    def _addresses(self) -> list[str]:
        return self.column("SELECT address FROM listings")

    def _dates(self) -> list[str]:
        today = dt.date.fromisoformat(self._today())
        return [(today + dt.timedelta(days=d)).isoformat() for d in range(1, 11)]

    def _matches(self, where: str, *args) -> list[dict]:
        return self.rows(
            "SELECT l.*, n.name AS area, n.city FROM listings l JOIN neighbourhoods n ON n.id = "
            f"l.neighbourhood_id WHERE l.status = 'active' AND {where}",
            *args,
        )

    def _has(self, listing_id: int, feature: str) -> bool:
        return (
            self.value("SELECT 1 FROM features WHERE listing_id = ? AND feature = ?", listing_id, feature) is not None
        )

    @proposer(difficulty=1)
    def propose_listing_price(self, rng: random.Random) -> TaskDraft | None:
        listing = rng.choice(self.rows("SELECT address, price FROM listings"))
        return TaskDraft(
            shape="listing_price",
            instruction=self.render("listing_price", rng, address=listing["address"]),
            solution=Program.of(solve_listing_price, address=listing["address"]),
            answer=Answer.number(listing["price"], decimals=0),
            tools=self.available_tools("search_listings", "get_listing"),
        )

    @proposer(difficulty=1)
    def propose_listing_agent(self, rng: random.Random) -> TaskDraft | None:
        listing = rng.choice(self.rows("SELECT l.address, a.name FROM listings l JOIN agents a ON a.id = l.agent_id"))
        return TaskDraft(
            shape="listing_agent",
            instruction=self.render("listing_agent", rng, address=listing["address"]),
            solution=Program.of(solve_listing_agent, address=listing["address"]),
            answer=Answer.entity(listing["name"], candidates=self.column("SELECT name FROM agents")),
            tools=self.available_tools("search_listings", "get_listing", "get_agent"),
        )

    @proposer(difficulty=2, attempts=3)
    def propose_cheapest_match(self, rng: random.Random) -> TaskDraft | None:
        seed = rng.choice(self._matches("1"))
        area = self._get("neighbourhoods", seed["neighbourhood_id"], "")
        kind, beds = seed["kind"], rng.randint(1, seed["bedrooms"])
        feature = rng.choice(self.column("SELECT feature FROM features WHERE listing_id = ?", seed["id"]))
        found = sorted(
            (
                listing
                for listing in self._matches(
                    "l.neighbourhood_id = ? AND l.kind = ? AND l.bedrooms >= ?", area["id"], kind, beds
                )
                if self._has(listing["id"], feature)
            ),
            key=lambda listing: listing["price"],
        )
        if not found or len(found) > 1 and found[0]["price"] == found[1]["price"]:
            return None
        spec = {"area": area["name"], "kind": kind, "feature": feature, "bedrooms": beds}
        return TaskDraft(
            shape="cheapest_match",
            instruction=self.render("cheapest_match", rng, **spec),
            solution=Program.of(solve_cheapest_match, **spec),
            answer=Answer.entity(found[0]["address"], candidates=self._addresses()),
            tools=self.available_tools("search_listings", "get_listing", "list_neighbourhoods"),
        )

    @proposer(difficulty=2, attempts=3)
    def propose_price_per_sqm(self, rng: random.Random) -> TaskDraft | None:
        area, kind = rng.choice(self.rows("SELECT * FROM neighbourhoods")), rng.choice(sorted(KINDS))
        found = self._matches("l.neighbourhood_id = ? AND l.kind = ?", area["id"], kind)
        if len(found) < 2:
            return None
        return TaskDraft(
            shape="price_per_sqm",
            instruction=self.render("price_per_sqm", rng, area=area["name"], kind=kind),
            solution=Program.of(solve_price_per_sqm, area=area["name"], kind=kind),
            answer=Answer.number(sum(listing["price"] / listing["area_sqm"] for listing in found) / len(found)),
            tools=self.available_tools("search_listings", "list_neighbourhoods"),
        )

    @proposer(difficulty=2, attempts=3)
    def propose_affordable_count(self, rng: random.Random) -> TaskDraft | None:
        buyer = rng.choice(self.rows("SELECT * FROM buyers"))
        city = rng.choice(self.column("SELECT DISTINCT city FROM neighbourhoods"))
        n = len([listing for listing in self._matches("n.city = ?", city) if affordable(buyer, listing["price"])])
        if n == 0 and rng.random() < 0.7:
            return None
        return TaskDraft(
            shape="affordable_count",
            instruction=self.render("affordable_count", rng, buyer=buyer["name"], city=city),
            solution=Program.of(solve_affordable_count, buyer=buyer["name"], city=city),
            answer=Answer.integer(n),
            tools=self.available_tools("find_buyers", "get_buyer", "search_listings", "get_agency_info"),
        )

    @proposer(difficulty=2, attempts=3)
    def propose_agent_sales(self, rng: random.Random) -> TaskDraft | None:
        agent = rng.choice(self.rows("SELECT * FROM agents"))
        total = self.value(
            "SELECT COALESCE(SUM(price), 0) FROM listings WHERE agent_id = ? AND status = 'sold'", agent["id"]
        )
        if not total:
            return None
        return TaskDraft(
            shape="agent_sales",
            instruction=self.render("agent_sales", rng, agent=agent["name"]),
            solution=Program.of(solve_agent_sales, agent=agent["name"]),
            answer=Answer.number(total, decimals=0),
            tools=self.available_tools("list_agents", "get_agent", "search_listings", "get_listing"),
        )

    def _plan(self, actions, any_time: bool = False) -> Effects:
        """Carry out `actions` through the tools in a savepoint and declare what they changed: the viewings and
        offers added (at any hour when `any_time`) and the status every changed one ends with; then undo."""
        tables = ("viewings", "offers")
        before = {t: {r["id"]: r for r in self.rows(f"SELECT * FROM {t}")} for t in tables}
        self.db.execute("SAVEPOINT plan")
        try:
            actions()
            rules = {}
            for table in tables:
                after = {r["id"]: r for r in self.rows(f"SELECT * FROM {table}")}
                skip = {"id"} | ({"time"} if any_time else set())
                added = [
                    {k: v for k, v in r.items() if k not in skip} for k, r in after.items() if k not in before[table]
                ]
                changed = sorted(k for k, r in before[table].items() if after[k] != r)
                statuses = {after[k]["status"] for k in changed}
                assert len(statuses) <= 1 and all(
                    {**after[k], "status": 0} == {**before[table][k], "status": 0} for k in changed
                )
                if added or changed:
                    rules[table] = Rule(
                        insert=len(added) if added else False,
                        rows=added or None,
                        update=["status"] if changed else [],
                        keys=changed or None,
                        values={"status": statuses.pop()} if changed else None,
                    )
            return Effects.on(**rules)
        finally:
            self.db.execute("ROLLBACK TO plan")
            self.db.execute("RELEASE plan")

    def _first_hour(self, listing_id: int, buyer_id: int, date: str, after: str = "09:00") -> str | None:
        return next((h for h in HOURS if h >= after and not self._viewing_problem(listing_id, buyer_id, date, h)), None)

    @proposer(difficulty=3, attempts=3)
    def propose_book_viewing(self, rng: random.Random) -> TaskDraft | None:
        listing = rng.choice(self._matches("1"))
        buyer = rng.choice(self.rows("SELECT * FROM buyers"))
        date, hour = rng.choice(self._dates()), rng.choice(HOURS[:6])
        first = self._first_hour(listing["id"], buyer["id"], date, hour)
        if first is None:
            return None
        spec = {"buyer": buyer["name"], "address": listing["address"], "date": date, "hour": hour}
        return TaskDraft(
            shape="book_viewing",
            instruction=self.render("book_viewing", rng, **spec),
            solution=Program.of(solve_book_viewing, **spec),
            answer=Answer.none(),
            effects=self._plan(lambda: self.schedule_viewing(listing["id"], buyer["id"], date, first)),
        )

    @proposer(difficulty=3)
    def propose_withdraw_offers(self, rng: random.Random) -> TaskDraft | None:
        buyer = rng.choice(
            self.rows(
                "SELECT DISTINCT b.* FROM buyers b JOIN viewings v ON v.buyer_id = b.id WHERE "
                "v.status = 'scheduled' AND v.date > ?",
                self._today(),
            )
        )
        last = self.value("SELECT MAX(date) FROM viewings WHERE buyer_id = ? AND status = 'scheduled'", buyer["id"])
        date = rng.choice([d for d in self._dates() if d <= last] or [self._dates()[0]])

        def act():
            for o in self.column("SELECT id FROM offers WHERE buyer_id = ? AND status = 'pending'", buyer["id"]):
                self.withdraw_offer(o)
            for v in self.column(
                "SELECT id FROM viewings WHERE buyer_id = ? AND status = 'scheduled' AND date >= ?", buyer["id"], date
            ):
                self.cancel_viewing(v)

        effects = self._plan(act)
        if effects.read_only:
            return None
        return TaskDraft(
            shape="withdraw_offers",
            instruction=self.render("withdraw_offers", rng, buyer=buyer["name"], date=date),
            solution=Program.of(solve_withdraw_offers, buyer=buyer["name"], date=date),
            answer=Answer.none(),
            effects=effects,
        )

    def _min_offer(self, listing: dict) -> float:
        return float(math.ceil(round(listing["price"] * self._min_pct(), 6)))

    @proposer(difficulty=3, attempts=3)
    def propose_offer_percent(self, rng: random.Random) -> TaskDraft | None:
        buyer = rng.choice(
            self.rows("SELECT * FROM buyers WHERE id NOT IN (SELECT buyer_id FROM offers WHERE status = 'pending')")
        )
        percent = rng.choice([95, 96, 97, 98, 99, 100] if self._min_pct() > 0.9 else [86, 88, 90, 92, 94, 95, 97, 100])
        options = [
            listing for listing in self._matches("1") if affordable(buyer, round(listing["price"] * percent / 100))
        ]
        if not options or ("preapproval_required" in self.variant.rules and not buyer["preapproved"]):
            return None
        listing = rng.choice(options)
        amount = float(round(listing["price"] * percent / 100))
        deposit = max(min_deposit(buyer, amount), amount - max_loan(buyer))
        spec = {"buyer": buyer["name"], "address": listing["address"], "percent": percent}
        return TaskDraft(
            shape="offer_percent",
            instruction=self.render("offer_percent", rng, **spec),
            solution=Program.of(solve_offer_percent, **spec),
            answer=Answer.none(),
            effects=self._plan(lambda: self.submit_offer(listing["id"], buyer["id"], amount, deposit)),
        )

    @proposer(difficulty=4, attempts=3)
    def propose_viewing_tour(self, rng: random.Random) -> TaskDraft | None:
        buyer = rng.choice(self.rows("SELECT * FROM buyers"))
        date = rng.choice(self._dates())
        have = self.value(
            "SELECT COUNT(*) FROM viewings WHERE buyer_id = ? AND date = ? AND status = 'scheduled'", buyer["id"], date
        )
        combos = [
            (a, k, b) for a in self.rows("SELECT * FROM neighbourhoods") for k in sorted(KINDS) for b in (1, 2, 3)
        ]
        rng.shuffle(combos)
        for area, kind, beds in combos:
            found = [
                listing
                for listing in self._matches(
                    "l.neighbourhood_id = ? AND l.kind = ? AND l.bedrooms >= ?", area["id"], kind, beds
                )
                if affordable(buyer, listing["price"])
            ]
            if 2 <= len(found) <= MAX_VIEWINGS_PER_DAY - have:
                break
        else:
            return None

        def act():
            for listing in found:
                self.schedule_viewing(
                    listing["id"], buyer["id"], date, self._first_hour(listing["id"], buyer["id"], date)
                )

        try:
            effects = self._plan(act, any_time=True)
        except (ValueError, TypeError):
            return None  # the agents' diaries leave no room for every viewing
        spec = {"buyer": buyer["name"], "area": area["name"], "kind": kind, "bedrooms": beds, "date": date}
        return TaskDraft(
            shape="viewing_tour",
            instruction=self.render("viewing_tour", rng, **spec),
            solution=Program.of(solve_viewing_tour, **spec, **self._rules()),
            answer=Answer.none(),
            effects=effects,
        )

    @proposer(difficulty=5, attempts=3)
    def propose_best_offer(self, rng: random.Random) -> TaskDraft | None:
        buyer = rng.choice(self.rows("SELECT * FROM buyers"))
        if "preapproval_required" in self.variant.rules and not buyer["preapproved"]:
            return None
        date = rng.choice(self._dates())
        combos = [
            (c, k, f, b)
            for c in self.column("SELECT DISTINCT city FROM neighbourhoods")
            for k in sorted(KINDS)
            for f in FEATURES
            for b in (1, 2, 3)
        ]
        rng.shuffle(combos)
        for city, kind, feature, beds in combos[:12]:
            found = sorted(
                (
                    listing
                    for listing in self._matches("n.city = ? AND l.kind = ? AND l.bedrooms >= ?", city, kind, beds)
                    if self._has(listing["id"], feature) and affordable(buyer, self._min_offer(listing))
                ),
                key=lambda listing: listing["price"],
            )
            if found and (len(found) == 1 or found[0]["price"] != found[1]["price"]):
                break
        else:
            return None
        target = found[0]
        amount = self._min_offer(target)
        deposit = max(min_deposit(buyer, amount), amount - max_loan(buyer))
        hour = self._first_hour(target["id"], buyer["id"], date)
        if hour is None:
            return None

        def act():
            for o in self.column("SELECT id FROM offers WHERE buyer_id = ? AND status = 'pending'", buyer["id"]):
                self.withdraw_offer(o)
            self.submit_offer(target["id"], buyer["id"], amount, deposit)
            self.schedule_viewing(target["id"], buyer["id"], date, hour)

        spec = {"buyer": buyer["name"], "city": city, "kind": kind, "feature": feature, "bedrooms": beds, "date": date}
        return TaskDraft(
            shape="best_offer",
            instruction=self.render("best_offer", rng, **spec),
            solution=Program.of(solve_best_offer, **spec, **self._rules()),
            answer=Answer.none(),
            effects=self._plan(act, any_time=True),
        )
