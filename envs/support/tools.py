"""The support desk's tools: lookups, and refund, credit and case writes that enforce the policy."""

from __future__ import annotations

import datetime as dt

from synth.env import tool

from .world import NOW, PRIORITIES, SLA_HOURS, TODAY, _stamp


class SupportTools:
    # ---- tool helpers -------------------------------------------------------------------------------

    def _customer(self, email: str) -> dict:
        return self.one(
            "SELECT * FROM customers WHERE lower(email) = lower(?)",
            email.strip(),
            missing=f"no customer with email {email!r}; check the address",
        )

    def _case(self, case_id: int, *, open_only: bool = False) -> dict:
        row = self.one(
            "SELECT * FROM cases WHERE id = ?", case_id, missing=f"no case {case_id}; search_cases lists cases"
        )
        if open_only and row["status"] != "open":
            raise ValueError(f"case {case_id} is {row['status']}; only open cases can be used")
        return row

    def _agent(self, name: str) -> dict:
        return self.one(
            "SELECT * FROM agents WHERE lower(name) = lower(?)",
            name.strip(),
            missing=f"unknown agent {name!r}; call list_agents",
        )

    def _case_view(self, case_id: int) -> dict:
        c = self.rows(
            "SELECT ca.id, ca.subject, ca.category, ca.priority, ca.status, ca.opened_at, ca.first_response_at, "
            "a.name AS agent, cu.email AS customer_email, cu.tier FROM cases ca JOIN customers cu "
            "ON cu.id = ca.customer_id LEFT JOIN agents a ON a.id = ca.agent_id WHERE ca.id = ?",
            case_id,
        )[0]
        due = dt.datetime.fromisoformat(c["opened_at"]) + dt.timedelta(hours=SLA_HOURS[c["priority"]])
        c["first_response_due"] = _stamp(due)
        c["credits"] = self.rows("SELECT amount, reason FROM credits WHERE case_id = ?", case_id)
        return c

    # ---- read tools ---------------------------------------------------------------------------------

    @tool("read")
    def get_customer(self, email: str) -> dict:
        """A customer's profile: tier, join date, subscriptions (with plan and price) and open cases.

        Args:
            email: The customer's email address.
        """
        c = self._customer(email)
        c["subscriptions"] = self.rows(
            "SELECT s.id, p.name AS plan, p.monthly_price, s.status FROM subscriptions s "
            "JOIN plans p ON p.id = s.plan_id WHERE s.customer_id = ? ORDER BY s.id",
            c["id"],
        )
        c["open_cases"] = [
            r["id"]
            for r in self.rows("SELECT id FROM cases WHERE customer_id = ? AND status = 'open' ORDER BY id", c["id"])
        ]
        return c

    @tool("read")
    def find_customers(self, name: str) -> list[dict]:
        """Customers whose name contains the given text.

        Args:
            name: Part of the customer's name.
        """
        return self.rows(
            "SELECT name, email, tier FROM customers WHERE lower(name) LIKE ? ORDER BY name",
            f"%{name.strip().lower()}%",
        )

    @tool("read")
    def list_invoices(self, email: str) -> list[dict]:
        """A customer's invoices: id, subscription, amount, payment date and amount already refunded.

        Args:
            email: The customer's email address.
        """
        cid = self._customer(email)["id"]
        return self.rows(
            "SELECT i.id, i.subscription_id, i.amount, i.paid_on, i.refunded FROM invoices i JOIN "
            "subscriptions s ON s.id = i.subscription_id WHERE s.customer_id = ? ORDER BY i.id",
            cid,
        )

    @tool("read")
    def get_case(self, case_id: int) -> dict:
        """One support case: customer, category, priority, status, times, agent, first-response due time, credits.

        Args:
            case_id: The case number.
        """
        self._case(case_id)
        return self._case_view(case_id)

    @tool("read")
    def search_cases(
        self,
        status: str | None = None,
        priority: str | None = None,
        category: str | None = None,
        agent: str | None = None,
        unassigned: bool = False,
        tier: str | None = None,
    ) -> list[dict]:
        """Find cases by status (open, resolved), priority, category, agent, customer tier, or only unassigned.

        Args:
            status: open or resolved.
            priority: low, normal, high or urgent.
            category: billing, outage, technical or account.
            agent: Agent's full name.
            unassigned: Only cases without an agent.
            tier: Customer tier: standard, silver or gold.
        """
        where, args = ["1"], []
        for column, value in (
            ("ca.status", status),
            ("ca.priority", priority),
            ("ca.category", category),
            ("cu.tier", tier),
        ):
            if value:
                where.append(f"{column} = lower(?)")
                args.append(value.strip())
        if agent:
            where.append("ca.agent_id = ?")
            args.append(self._agent(agent)["id"])
        if unassigned:
            where.append("ca.agent_id IS NULL")
        return self.rows(
            "SELECT ca.id, ca.subject, ca.category, ca.priority, ca.status, ca.opened_at, "
            "ca.first_response_at, a.name AS agent, cu.email AS customer_email, cu.tier FROM cases ca "
            "JOIN customers cu ON cu.id = ca.customer_id LEFT JOIN agents a ON a.id = ca.agent_id "
            f"WHERE {' AND '.join(where)} ORDER BY ca.id",
            *args,
        )

    @tool("read")
    def list_agents(self) -> list[dict]:
        """Support agents with their level (1 or 2) and number of open cases."""
        return self.rows(
            "SELECT a.name, a.level, (SELECT COUNT(*) FROM cases c WHERE c.agent_id = a.id AND "
            "c.status = 'open') AS open_cases FROM agents a ORDER BY a.name"
        )

    # ---- write tools --------------------------------------------------------------------------------

    @tool("write")
    def refund_invoice(self, invoice_id: int, amount: float, case_id: int) -> dict:
        """Refund part or all of an invoice under an open case of the same customer, within the policy.

        Args:
            invoice_id: Invoice id.
            amount: Amount to refund (> 0).
            case_id: Open case of the same customer the refund belongs to.
        """
        inv = self.one(
            "SELECT i.*, s.customer_id FROM invoices i JOIN subscriptions s ON s.id = i.subscription_id WHERE i.id = ?",
            invoice_id,
            missing=f"no invoice {invoice_id}; list_invoices shows a customer's invoices",
        )
        case = self._case(case_id, open_only=True)
        if case["customer_id"] != inv["customer_id"]:
            raise ValueError(f"case {case_id} belongs to another customer")
        room = self._refundable(invoice_id)
        if amount <= 0 or round(amount, 2) > room:
            raise ValueError(f"policy: at most {room:.2f} of invoice {invoice_id} can be refunded today")
        self.db.execute("UPDATE invoices SET refunded = round(refunded + ?, 2) WHERE id = ?", (amount, invoice_id))
        cur = self.db.execute(
            "INSERT INTO refunds (invoice_id, case_id, amount, created) VALUES (?, ?, ?, ?)",
            (invoice_id, case_id, round(amount, 2), TODAY),
        )
        return {"refund_id": cur.lastrowid, "invoice_id": invoice_id, "amount": round(amount, 2)}

    @tool("write")
    def issue_credit(self, case_id: int, amount: float, reason: str) -> dict:
        """Give the case's customer a goodwill credit (at most one per case, within the tier's cap).

        Args:
            case_id: Open case the credit belongs to.
            amount: Credit amount (> 0).
            reason: Short reason.
        """
        case = self._case(case_id, open_only=True)
        room = self._credit_room(case_id)
        if amount <= 0 or round(amount, 2) > room:
            raise ValueError(f"policy: the credit on case {case_id} may be at most {room:.2f}")
        cur = self.db.execute(
            "INSERT INTO credits (customer_id, case_id, amount, reason, created) VALUES (?, ?, ?, ?, ?)",
            (case["customer_id"], case_id, round(amount, 2), reason, TODAY),
        )
        return {"credit_id": cur.lastrowid, "case_id": case_id, "amount": round(amount, 2)}

    @tool("write")
    def assign_case(self, case_id: int, agent: str) -> dict:
        """Assign an open case to an agent.

        Args:
            case_id: The case number.
            agent: Agent's full name.
        """
        case, a = self._case(case_id, open_only=True), self._agent(agent)
        if a["id"] not in self._eligible(case["priority"]):
            raise ValueError("policy: urgent cases need a level-2 agent")
        self.db.execute("UPDATE cases SET agent_id = ? WHERE id = ?", (a["id"], case_id))
        return self._case_view(case_id)

    @tool("write")
    def respond_to_case(self, case_id: int, message: str) -> dict:
        """Send the first response on an open, assigned case from its agent (stamped now).

        Args:
            case_id: The case number.
            message: The response text.
        """
        case = self._case(case_id, open_only=True)
        if case["agent_id"] is None:
            raise ValueError("assign the case to an agent before responding")
        if case["first_response_at"]:
            raise ValueError(f"case {case_id} already had its first response")
        if not message.strip():
            raise ValueError("the message is empty")
        self.db.execute("UPDATE cases SET first_response_at = ? WHERE id = ?", (NOW, case_id))
        return self._case_view(case_id)

    @tool("write")
    def resolve_case(self, case_id: int) -> dict:
        """Resolve an open case that has had its first response.

        Args:
            case_id: The case number.
        """
        case = self._case(case_id, open_only=True)
        if not case["first_response_at"]:
            raise ValueError("policy: a case needs a first response before it can be resolved")
        self.db.execute("UPDATE cases SET status = 'resolved' WHERE id = ?", (case_id,))
        return self._case_view(case_id)

    @tool("write")
    def set_case_priority(self, case_id: int, priority: str) -> dict:
        """Change an open case's priority.

        Args:
            case_id: The case number.
            priority: low, normal, high or urgent.
        """
        case = self._case(case_id, open_only=True)
        if priority not in PRIORITIES:
            raise ValueError("priority must be low, normal, high or urgent")
        if case["agent_id"] and case["agent_id"] not in self._eligible(priority):
            raise ValueError("policy: urgent cases need a level-2 agent; reassign first")
        self.db.execute("UPDATE cases SET priority = ? WHERE id = ?", (priority, case_id))
        return self._case_view(case_id)

    @tool("write")
    def cancel_subscription(self, subscription_id: int) -> dict:
        """Cancel an active subscription.

        Args:
            subscription_id: Subscription id.
        """
        row = self.one(
            "SELECT * FROM subscriptions WHERE id = ?",
            subscription_id,
            missing=f"no subscription {subscription_id}; get_customer lists a customer's subscriptions",
        )
        if row["status"] != "active":
            raise ValueError(f"subscription {subscription_id} is not an active subscription")
        self.db.execute("UPDATE subscriptions SET status = 'cancelled' WHERE id = ?", (subscription_id,))
        return {"id": subscription_id, "status": "cancelled"}
