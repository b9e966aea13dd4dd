"""The CRM's tools: lookups, and writes that enforce the pipeline policy."""

from __future__ import annotations

import datetime as dt

from synth.env import tool

from .world import BIG_DEAL, KINDS, OPEN_STAGES, QUARTER_START, STAGES, TODAY


class CrmTools:
    # ---- policy helpers shared by tools and proposers ------------------------------------------------

    def _rules(self) -> dict:
        return {
            "demo_before_won": "demo_before_won" in self.variant.rules,
            "senior_big_deals": "senior_big_deals" in self.variant.rules,
        }

    def _kinds(self, oid: int) -> set[str]:
        return {r["kind"] for r in self.rows("SELECT kind FROM activities WHERE opportunity_id = ?", oid)}

    def _blocker(self, opp: dict, to_stage: str) -> str | None:
        """Why the policy forbids moving `opp` to `to_stage` now (None when allowed)."""
        if opp["stage"] not in OPEN_STAGES:
            return f"opportunity {opp['id']} is {opp['stage']}, which is final"
        if to_stage == "lost":
            return None
        if to_stage == "won":
            if opp["stage"] != "negotiation":
                return "an opportunity can be marked won only from negotiation"
            if "demo_before_won" in self.variant.rules and "demo" not in self._kinds(opp["id"]):
                return "a demo must be logged before the opportunity can be won"
            return None
        if to_stage in ("proposal", "negotiation") and not self._kinds(opp["id"]) & {"meeting", "demo"}:
            return f"moving into {to_stage} needs a meeting or demo logged first"
        return None

    def _eligible(self, opp: dict) -> list[int]:
        region = self.value("SELECT region FROM accounts WHERE id = ?", opp["account_id"])
        senior = "senior_big_deals" in self.variant.rules and opp["amount"] >= BIG_DEAL
        return [
            r["id"]
            for r in self.rows(
                "SELECT id FROM owners WHERE region = ? AND (? = 0 OR seniority = 'senior') ORDER BY id",
                region,
                int(senior),
            )
        ]

    def _open_load(self) -> dict[int, int]:
        return {
            r["id"]: r["n"]
            for r in self.rows(
                "SELECT o.id, (SELECT COUNT(*) FROM opportunities p WHERE p.owner_id = o.id AND p.stage IN "
                "('prospecting', 'qualification', 'proposal', 'negotiation')) AS n FROM owners o"
            )
        }

    def _won_quarter(self, owner_id: int) -> float:
        return self.value(
            "SELECT COALESCE(SUM(amount), 0) FROM opportunities WHERE owner_id = ? AND stage = 'won' "
            "AND close_date BETWEEN ? AND '2026-03-31'",
            owner_id,
            QUARTER_START,
        )

    def _primary(self, account_id: int) -> int:
        return self.value("SELECT id FROM contacts WHERE account_id = ? AND is_primary = 1", account_id)

    # ---- tool helpers -------------------------------------------------------------------------------

    def _opp(self, oid: int, *, open_only: bool = False) -> dict:
        row = self.one(
            "SELECT * FROM opportunities WHERE id = ?",
            oid,
            missing=f"no opportunity {oid}; search_opportunities lists them",
        )
        if open_only and row["stage"] not in OPEN_STAGES:
            raise ValueError(f"opportunity {oid} is {row['stage']}; won and lost opportunities are final")
        return row

    def _account(self, name: str) -> dict:
        return self.one(
            "SELECT * FROM accounts WHERE lower(name) = lower(?)",
            name.strip(),
            missing=f"no account named {name!r}; search_accounts lists accounts",
        )

    def _owner(self, name: str) -> dict:
        return self.one(
            "SELECT * FROM owners WHERE lower(name) = lower(?)",
            name.strip(),
            missing=f"unknown owner {name!r}; list_owners gives the names",
        )

    @staticmethod
    def _date(value: str, what: str) -> str:
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            raise ValueError(f"{what} must be a date written YYYY-MM-DD, not {value!r}") from None

    def _opp_view(self, oid: int) -> dict:
        o = self.one(
            "SELECT p.id, p.name, a.name AS account, a.region, p.stage, p.amount, p.close_date, p.created, "
            "p.lost_reason, w.name AS owner FROM opportunities p JOIN accounts a ON a.id = p.account_id "
            "JOIN owners w ON w.id = p.owner_id WHERE p.id = ?",
            oid,
            missing=f"no opportunity {oid}",
        )
        o["activities"] = self.rows(
            "SELECT v.kind, v.day, c.name AS contact, v.note FROM activities v JOIN contacts c "
            "ON c.id = v.contact_id WHERE v.opportunity_id = ? ORDER BY v.day, v.id",
            oid,
        )
        return o

    # ---- read tools ---------------------------------------------------------------------------------

    @tool("read")
    def get_account(self, name: str) -> dict:
        """An account's profile: industry, region, owner, contacts (primary flagged) and opportunities.

        Args:
            name: The account's exact name.
        """
        a = self._account(name)
        view = {
            "name": a["name"],
            "industry": a["industry"],
            "region": a["region"],
            "owner": self.value("SELECT name FROM owners WHERE id = ?", a["owner_id"]),
        }
        view["contacts"] = self.rows(
            "SELECT name, email, title, is_primary FROM contacts WHERE account_id = ? ORDER BY id", a["id"]
        )
        view["opportunities"] = self.rows(
            "SELECT id, name, stage, amount, close_date FROM opportunities WHERE account_id = ? ORDER BY id", a["id"]
        )
        return view

    @tool("read")
    def search_accounts(
        self, industry: str | None = None, region: str | None = None, owner: str | None = None
    ) -> list[dict]:
        """Accounts filtered by industry, region and/or account owner.

        Args:
            industry: manufacturing, retail, healthcare, logistics, software, education or energy.
            region: North, South, East or West.
            owner: The account owner's full name.
        """
        where, args = ["1"], []
        if industry:
            where.append("lower(a.industry) = lower(?)")
            args.append(industry.strip())
        if region:
            where.append("lower(a.region) = lower(?)")
            args.append(region.strip())
        if owner:
            where.append("a.owner_id = ?")
            args.append(self._owner(owner)["id"])
        return self.rows(
            "SELECT a.name, a.industry, a.region, o.name AS owner FROM accounts a JOIN owners o ON "
            f"o.id = a.owner_id WHERE {' AND '.join(where)} ORDER BY a.name",
            *args,
        )

    @tool("read")
    def find_contacts(self, name: str) -> list[dict]:
        """Contacts whose name contains the given text, with their account.

        Args:
            name: Part of the contact's name.
        """
        return self.rows(
            "SELECT c.name, c.email, c.title, c.is_primary, a.name AS account FROM contacts c JOIN "
            "accounts a ON a.id = c.account_id WHERE lower(c.name) LIKE ? ORDER BY c.name",
            f"%{name.strip().lower()}%",
        )

    @tool("read")
    def search_opportunities(
        self,
        stage: str | None = None,
        owner: str | None = None,
        account: str | None = None,
        industry: str | None = None,
        region: str | None = None,
        open_only: bool = False,
        close_from: str | None = None,
        close_to: str | None = None,
    ) -> list[dict]:
        """Opportunities filtered by stage, owner, account, account industry or region, and close-date range.

        Args:
            stage: prospecting, qualification, proposal, negotiation, won or lost.
            owner: Owner's full name.
            account: Account's exact name.
            industry: The account's industry.
            region: The account's region.
            open_only: Only opportunities not yet won or lost.
            close_from: Earliest close date, YYYY-MM-DD (inclusive).
            close_to: Latest close date, YYYY-MM-DD (inclusive).
        """
        where, args = ["1"], []
        if stage:
            if stage.strip().lower() not in STAGES:
                raise ValueError(f"stage must be one of {', '.join(STAGES)}")
            where.append("p.stage = ?")
            args.append(stage.strip().lower())
        for column, value in (("a.industry", industry), ("a.region", region)):
            if value:
                where.append(f"lower({column}) = lower(?)")
                args.append(value.strip())
        if owner:
            where.append("p.owner_id = ?")
            args.append(self._owner(owner)["id"])
        if account:
            where.append("p.account_id = ?")
            args.append(self._account(account)["id"])
        if open_only:
            where.append("p.stage IN ('prospecting', 'qualification', 'proposal', 'negotiation')")
        if close_from:
            where.append("p.close_date >= ?")
            args.append(self._date(close_from, "close_from"))
        if close_to:
            where.append("p.close_date <= ?")
            args.append(self._date(close_to, "close_to"))
        return self.rows(
            "SELECT p.id, p.name, a.name AS account, a.region, p.stage, p.amount, p.close_date, "
            "o.name AS owner FROM opportunities p JOIN accounts a ON a.id = p.account_id JOIN owners o "
            f"ON o.id = p.owner_id WHERE {' AND '.join(where)} ORDER BY p.id",
            *args,
        )

    @tool("read")
    def get_opportunity(self, opportunity_id: int) -> dict:
        """One opportunity: account, region, owner, stage, amount, close date and its logged activities.

        Args:
            opportunity_id: The opportunity number.
        """
        self._opp(opportunity_id)
        return self._opp_view(opportunity_id)

    @tool("read")
    def get_stage_history(self, opportunity_id: int) -> list[dict]:
        """Every stage change of an opportunity, oldest first.

        Args:
            opportunity_id: The opportunity number.
        """
        self._opp(opportunity_id)
        return self.rows(
            "SELECT from_stage, to_stage, day FROM stage_history WHERE opportunity_id = ? ORDER BY day, id",
            opportunity_id,
        )

    @tool("read")
    def list_activities(
        self, owner: str | None = None, opportunity_id: int | None = None, since: str | None = None
    ) -> list[dict]:
        """Logged activities, filtered by the owner who logged them, opportunity and/or earliest day.

        Args:
            owner: Owner's full name.
            opportunity_id: The opportunity number.
            since: Earliest day, YYYY-MM-DD (inclusive).
        """
        where, args = ["1"], []
        if owner:
            where.append("v.owner_id = ?")
            args.append(self._owner(owner)["id"])
        if opportunity_id is not None:
            where.append("v.opportunity_id = ?")
            args.append(self._opp(opportunity_id)["id"])
        if since:
            where.append("v.day >= ?")
            args.append(self._date(since, "since"))
        return self.rows(
            "SELECT v.opportunity_id, v.kind, v.day, c.name AS contact, o.name AS owner FROM activities "
            "v JOIN contacts c ON c.id = v.contact_id JOIN owners o ON o.id = v.owner_id WHERE "
            f"{' AND '.join(where)} ORDER BY v.day, v.id",
            *args,
        )

    @tool("read")
    def list_owners(self) -> list[dict]:
        """Sales owners: region, seniority, quarterly quota and number of open opportunities."""
        load = self._open_load()
        owners = self.rows("SELECT id, name, region, seniority, quota FROM owners ORDER BY name")
        for o in owners:
            o["open_opportunities"] = load[o.pop("id")]
        return owners

    # ---- write tools --------------------------------------------------------------------------------

    def _set_stage(self, opp: dict, stage: str) -> None:
        self.db.execute(
            "INSERT INTO stage_history (opportunity_id, from_stage, to_stage, day) VALUES (?, ?, ?, ?)",
            (opp["id"], opp["stage"], stage, TODAY),
        )
        self.db.execute("UPDATE opportunities SET stage = ? WHERE id = ?", (stage, opp["id"]))

    @tool("write")
    def advance_stage(self, opportunity_id: int) -> dict:
        """Move an open opportunity to its next stage (from negotiation: won, closing today), within the policy.

        Args:
            opportunity_id: The opportunity number.
        """
        opp = self._opp(opportunity_id, open_only=True)
        nxt = STAGES[STAGES.index(opp["stage"]) + 1]
        blocker = self._blocker(opp, nxt)
        if blocker:
            raise ValueError(f"policy: {blocker}")
        self._set_stage(opp, nxt)
        if nxt == "won":
            self.db.execute("UPDATE opportunities SET close_date = ? WHERE id = ?", (TODAY, opportunity_id))
        return self._opp_view(opportunity_id)

    @tool("write")
    def mark_lost(self, opportunity_id: int, reason: str) -> dict:
        """Mark an open opportunity as lost.

        Args:
            opportunity_id: The opportunity number.
            reason: Why it was lost.
        """
        opp = self._opp(opportunity_id, open_only=True)
        if not reason.strip():
            raise ValueError("give a reason for the loss")
        self._set_stage(opp, "lost")
        self.db.execute("UPDATE opportunities SET lost_reason = ? WHERE id = ?", (reason.strip(), opportunity_id))
        return self._opp_view(opportunity_id)

    @tool("write")
    def log_activity(self, opportunity_id: int, kind: str, contact: str, note: str = "") -> dict:
        """Log an activity today on an open opportunity, by its owner, with a contact of its account.

        Args:
            opportunity_id: The opportunity number.
            kind: call, email, meeting or demo.
            contact: Full name of a contact of the opportunity's account.
            note: Optional short note.
        """
        opp = self._opp(opportunity_id, open_only=True)
        if kind.strip().lower() not in KINDS:
            raise ValueError("kind must be call, email, meeting or demo")
        row = self.one(
            "SELECT id FROM contacts WHERE account_id = ? AND lower(name) = lower(?)",
            opp["account_id"],
            contact.strip(),
            missing=f"{contact!r} is not a contact of this opportunity's account; see get_account",
        )
        self.db.execute(
            "INSERT INTO activities (opportunity_id, contact_id, owner_id, kind, day, note) VALUES (?, ?, ?, ?, ?, ?)",
            (opportunity_id, row["id"], opp["owner_id"], kind.strip().lower(), TODAY, note.strip()),
        )
        return self._opp_view(opportunity_id)

    @tool("write")
    def reassign_opportunity(self, opportunity_id: int, owner: str) -> dict:
        """Give an open opportunity to another owner allowed to hold it.

        Args:
            opportunity_id: The opportunity number.
            owner: The new owner's full name.
        """
        opp, new = self._opp(opportunity_id, open_only=True), self._owner(owner)
        if new["id"] not in self._eligible(opp):
            raise ValueError(
                "policy: the owner must work in the account's region"
                + (
                    f" and be senior for deals of {BIG_DEAL:,} or more"
                    if "senior_big_deals" in self.variant.rules
                    else ""
                )
            )
        self.db.execute("UPDATE opportunities SET owner_id = ? WHERE id = ?", (new["id"], opportunity_id))
        return self._opp_view(opportunity_id)

    @tool("write")
    def update_close_date(self, opportunity_id: int, close_date: str) -> dict:
        """Set the expected close date of an open opportunity (not before today).

        Args:
            opportunity_id: The opportunity number.
            close_date: New close date, YYYY-MM-DD.
        """
        self._opp(opportunity_id, open_only=True)
        day = self._date(close_date, "close_date")
        if day < TODAY:
            raise ValueError(f"policy: close dates may not be before today ({TODAY})")
        self.db.execute("UPDATE opportunities SET close_date = ? WHERE id = ?", (day, opportunity_id))
        return self._opp_view(opportunity_id)

    @tool("write")
    def update_amount(self, opportunity_id: int, amount: float) -> dict:
        """Change the amount of an open opportunity.

        Args:
            opportunity_id: The opportunity number.
            amount: New amount (> 0).
        """
        opp = self._opp(opportunity_id, open_only=True)
        if amount <= 0:
            raise ValueError("the amount must be positive")
        if opp["owner_id"] not in self._eligible(opp | {"amount": amount}):
            raise ValueError(f"policy: deals of {BIG_DEAL:,} or more need a senior owner; reassign first")
        self.db.execute("UPDATE opportunities SET amount = ? WHERE id = ?", (round(amount, 2), opportunity_id))
        return self._opp_view(opportunity_id)

    @tool("write")
    def create_opportunity(
        self, account: str, name: str, amount: float, close_date: str, owner: str | None = None
    ) -> dict:
        """Open a new opportunity (stage prospecting) on an account.

        Args:
            account: The account's exact name.
            name: Name of the opportunity.
            amount: Expected amount (> 0).
            close_date: Expected close date, YYYY-MM-DD (not before today).
            owner: Owner's full name; defaults to the account owner.
        """
        acc = self._account(account)
        if not name.strip() or amount <= 0:
            raise ValueError("give a name and a positive amount")
        day = self._date(close_date, "close_date")
        if day < TODAY:
            raise ValueError(f"policy: close dates may not be before today ({TODAY})")
        owner_id = self._owner(owner)["id"] if owner else acc["owner_id"]
        if owner_id not in self._eligible({"account_id": acc["id"], "amount": amount}):
            raise ValueError("policy: that owner may not hold this opportunity; name an eligible owner")
        cur = self.db.execute(
            "INSERT INTO opportunities (account_id, name, owner_id, stage, amount, close_date, "
            "created) VALUES (?, ?, ?, 'prospecting', ?, ?, ?)",
            (acc["id"], name.strip(), owner_id, round(amount, 2), day, TODAY),
        )
        return self._opp_view(cur.lastrowid)
