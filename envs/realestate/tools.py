"""The agency's tools: listing, agent and buyer lookups, and viewing and offer writes that enforce the rules."""

from __future__ import annotations

import datetime as dt

from synth.env import tool

from .world import DEBT_FACTOR, HOURS, LOAN_MULTIPLE, MAX_VIEWINGS_PER_DAY


class RealEstateTools:
    # ---- tools --------------------------------------------------------------------------------------

    @tool("read")
    def get_agency_info(self) -> dict:
        """Today's date and the viewing and offer rules in numbers."""
        return {
            "today": self._today(),
            "viewing_hours": HOURS,
            "max_viewings_per_day": MAX_VIEWINGS_PER_DAY,
            "min_offer_share_of_asking": self._min_pct(),
            "deposit_share": 0.10,
            "first_time_deposit_share": 0.05,
            "loan_income_multiple": LOAN_MULTIPLE,
            "loan_debt_factor": DEBT_FACTOR,
            "preapproval_required": "preapproval_required" in self.variant.rules,
        }

    @tool("read")
    def list_neighbourhoods(self, city: str | None = None) -> list[dict]:
        """Neighbourhoods with their city and school rating.

        Args:
            city: Only this city.
        """
        return self.rows(
            "SELECT name, city, school_rating FROM neighbourhoods WHERE (? IS NULL OR lower(city) = "
            "lower(?)) ORDER BY city, name",
            city,
            city,
        )

    @tool("read")
    def search_listings(
        self,
        city: str | None = None,
        neighbourhood: str | None = None,
        kind: str | None = None,
        min_bedrooms: int = 0,
        max_price: float | None = None,
        feature: str | None = None,
        status: str = "active",
        address: str | None = None,
        agent_id: int | None = None,
    ) -> list[dict]:
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
            agent_id: Only listings handled by this agent (ids from list_agents).
        """
        if status not in ("active", "under_offer", "sold", "any"):
            raise ValueError("status must be active, under_offer, sold or any")
        return self.rows(
            "SELECT l.id, l.address, n.name AS neighbourhood, n.city, l.kind, l.bedrooms, l.area_sqm, l.price, "
            "l.status FROM listings l JOIN neighbourhoods n ON n.id = l.neighbourhood_id WHERE (? IS NULL OR "
            "lower(n.city) = lower(?)) AND (? IS NULL OR lower(n.name) = lower(?)) AND (? IS NULL OR l.kind = ?) AND "
            "l.bedrooms >= ? AND l.price <= ? AND (? = 'any' OR l.status = ?) AND (? IS NULL OR EXISTS (SELECT 1 FROM "
            "features f WHERE f.listing_id = l.id AND f.feature = lower(?))) AND (? IS NULL OR lower(l.address) LIKE '%' || "
            "lower(?) || '%') AND (? IS NULL OR l.agent_id = ?) ORDER BY l.id",
            city,
            city,
            neighbourhood,
            neighbourhood,
            kind,
            kind,
            min_bedrooms,
            max_price if max_price else 1e18,
            status,
            status,
            feature,
            feature,
            address,
            address,
            agent_id,
            agent_id,
        )

    @tool("read")
    def get_listing(self, listing_id: int) -> dict:
        """One listing with its features, monthly fees, listing date and agent.

        Args:
            listing_id: Listing id from search_listings.
        """
        listing = self._get("listings", listing_id, "use search_listings")
        listing["features"] = [
            r["feature"]
            for r in self.rows("SELECT feature FROM features WHERE listing_id = ? ORDER BY feature", listing_id)
        ]
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
            agent[f"{status}_listings"] = self.value(
                "SELECT COUNT(*) FROM listings WHERE agent_id = ? AND status = ?", agent_id, status
            )
        return agent

    @tool("read")
    def list_agents(self, agency: str | None = None) -> list[dict]:
        """Agents, optionally of one agency.

        Args:
            agency: Agency name.
        """
        return self.rows(
            "SELECT id, name, agency, rating FROM agents WHERE (? IS NULL OR lower(agency) = lower(?)) ORDER BY id",
            agency,
            agency,
        )

    @tool("read")
    def agent_schedule(self, agent_id: int, date: str) -> list[dict]:
        """An agent's scheduled viewings on a date (YYYY-MM-DD).

        Args:
            agent_id: Agent id.
            date: Date.
        """
        self._get("agents", agent_id, "agent ids appear on listings")
        return self.rows(
            "SELECT id, listing_id, time FROM viewings WHERE agent_id = ? AND date = ? AND status = "
            "'scheduled' ORDER BY time",
            agent_id,
            date,
        )

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
        b["viewings"] = self.rows(
            "SELECT v.id AS viewing_id, v.listing_id, l.address, v.agent_id, v.date, v.time, "
            "v.status FROM viewings v JOIN listings l ON l.id = v.listing_id WHERE v.buyer_id = ? "
            "ORDER BY v.date, v.time",
            buyer_id,
        )
        b["offers"] = self.rows(
            "SELECT o.id AS offer_id, o.listing_id, l.address, o.amount, o.deposit, o.made_on, "
            "o.status FROM offers o JOIN listings l ON l.id = o.listing_id WHERE o.buyer_id = ? "
            "ORDER BY o.id",
            buyer_id,
        )
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
        vid = self.db.execute(
            "INSERT INTO viewings (listing_id, buyer_id, agent_id, date, time, status) VALUES "
            "(?, ?, ?, ?, ?, 'scheduled')",
            (listing_id, buyer_id, agent, date, time),
        ).lastrowid
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
        oid = self.db.execute(
            "INSERT INTO offers (listing_id, buyer_id, amount, deposit, made_on, status) VALUES "
            "(?, ?, ?, ?, ?, 'pending')",
            (listing_id, buyer_id, amount, deposit, self._today()),
        ).lastrowid
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
        self.db.execute(
            "UPDATE offers SET status = 'rejected' WHERE listing_id = ? AND status = 'pending' AND id != ?",
            (o["listing_id"], offer_id),
        )
        self.db.execute("UPDATE offers SET status = 'accepted' WHERE id = ?", (offer_id,))
        self.db.execute("UPDATE listings SET status = 'under_offer' WHERE id = ?", (o["listing_id"],))
        return {"offer_id": offer_id, "status": "accepted"}
