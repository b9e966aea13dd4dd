"""Customer-support policy desk: customers, plans, subscriptions, invoices, cases, agents, refunds and credits."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool
from verifiers.common import verify_names, verify_number

TODAY = "2026-03-16"
NOW = f"{TODAY} 12:00"
PLANS = [("Starter", 9.0), ("Starter Plus", 14.5), ("Team", 29.0), ("Team Pro", 49.0), ("Business", 89.0),
         ("Enterprise Lite", 149.0)]
TIERS = {"standard": (14, 10.0), "silver": (30, 25.0), "gold": (60, 50.0)}  # refund window days, credit cap
SLA_HOURS = {"urgent": 1, "high": 4, "normal": 24, "low": 72}
PRIORITIES = ["low", "normal", "high", "urgent"]
CATEGORIES = ["billing", "outage", "technical", "account"]
SUBJECTS = {"billing": ["Charged twice", "Unexpected invoice", "Refund request", "Wrong plan billed"],
            "outage": ["Service down", "Dashboard not loading", "API timeouts", "Sync stopped"],
            "technical": ["Export fails", "Login loop", "Webhook errors", "Slow search"],
            "account": ["Change owner email", "Close account", "Add seats", "Reset 2FA"]}
FIRST = ["Alba", "Brann", "Cosima", "Dorian", "Elske", "Fitz", "Galen", "Hester", "Isolde", "Jory", "Keziah",
         "Linus", "Marisol", "Nestor", "Orla", "Perrin", "Quilla", "Roscoe", "Saoirse", "Thaddeus", "Una", "Vesper"]
LAST = ["Applewood", "Bramblecott", "Cinderby", "Dewhurst", "Elderberry", "Foxglove", "Gorsefield", "Hawthorne",
        "Ivybridge", "Juniper", "Kestrelby", "Lowther", "Mossgrove", "Nettlebed", "Oakenshaw", "Primrose"]
AGENTS = ["Rowan Vale", "Sable Quinn", "Tamsin Reed", "Ulric Stone", "Wren Ashby", "Yorick Dale", "Zelda Moor",
          "Adair Finch", "Blythe Crane", "Corin Hale", "Delphine Frost", "Emrys Lowe", "Fenna Wilde", "Garnet Shaw"]


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def _days_between(day: str, today: str = TODAY) -> int:
    return (dt.date.fromisoformat(today) - dt.date.fromisoformat(day[:10])).days


SCHEMA = """
CREATE TABLE plans (id INTEGER PRIMARY KEY, name TEXT UNIQUE, monthly_price REAL);
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, email TEXT UNIQUE, tier TEXT, joined TEXT);
CREATE TABLE subscriptions (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id),
    plan_id INTEGER REFERENCES plans(id), status TEXT, started TEXT);
CREATE TABLE invoices (id INTEGER PRIMARY KEY, subscription_id INTEGER REFERENCES subscriptions(id),
    amount REAL, paid_on TEXT, refunded REAL);
CREATE TABLE agents (id INTEGER PRIMARY KEY, name TEXT UNIQUE, level INTEGER);
CREATE TABLE cases (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), subject TEXT,
    category TEXT, priority TEXT, status TEXT, opened_at TEXT, first_response_at TEXT,
    agent_id INTEGER REFERENCES agents(id));
CREATE TABLE refunds (id INTEGER PRIMARY KEY, invoice_id INTEGER REFERENCES invoices(id),
    case_id INTEGER REFERENCES cases(id), amount REAL, created TEXT);
CREATE TABLE credits (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id),
    case_id INTEGER REFERENCES cases(id), amount REAL, reason TEXT, created TEXT);
"""


class SupportEnv(EnvTemplate):
    name = "support"
    version = "1.0.0"
    category = "customer support"
    description = ("A SaaS company's support desk: customers with loyalty tiers, plans and subscriptions, invoices, "
                   "support cases with priorities and agents, refunds and goodwill credits. Look things up and "
                   "apply the refund, credit and case-handling policy.")
    policy = (
        f"Today is {TODAY} and it is now {NOW} UTC. Refund windows and goodwill-credit caps depend on the "
        "customer's tier: standard 14 days and 10.00, silver 30 days and 25.00, gold 60 days and 50.00. A paid "
        "invoice may be refunded, in full or in part, only while the number of days since its payment date is at "
        "most the window, and never for more than its amount minus what was already refunded. Each refund and "
        "credit must name an open case of the same customer; a case gets at most one goodwill credit, no larger "
        "than the cap. First responses are due after the case opens within: urgent 1 hour, high 4 hours, normal "
        "24 hours, low 72 hours. A case can be resolved only after its first response. Change only what was asked.")
    variants = VariantSpace(
        optional_tools=("find_customers", "set_case_priority"),
        renames={"get_customer": ("lookup_customer", "customer_profile"), "refund_invoice": ("issue_refund",),
                 "search_cases": ("find_cases",)},
        rules={"half_refund_late": "A refund made more than 7 days after the invoice's payment date may bring the "
                                   "invoice's total refunded to at most half of its amount.",
               "urgent_level2": "Urgent cases may only be handled by level-2 agents."},
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "customer_tier": [
            "What loyalty tier is the customer {{email}} on?",
            "Tell me the customer tier of {{email}}.",
        ],
        "case_agent": [
            "Which agent is handling case {{case}}?",
            "Who is assigned to support case {{case}}?",
            "Tell me the agent on case {{case}}.",
        ],
        "refundable": [
            "How much of invoice {{invoice}} could still be refunded today under the policy?",
            "If {{email}} asked today, what is the most we could refund on invoice {{invoice}}?",
        ],
        "sla_breaches": [
            "Which open {{priority}}-priority cases have missed their first-response deadline without a response? "
            "Give only the case numbers.",
            "List the numbers of the open {{priority}} cases that still have no first response and are past their "
            "SLA.",
        ],
        "busiest_agent": [
            "Which level-{{level}} agent has the most open cases?",
            "Among level-{{level}} agents, who is handling the largest number of open cases?",
        ],
        "max_refund": [
            "{{email}} wants invoice {{invoice}} refunded (case {{case}}). Refund as much as the policy allows.",
            "Under case {{case}}, give {{email}} the largest refund the policy permits on invoice {{invoice}}.",
        ],
        "max_credit": [
            "Give the customer of case {{case}} the largest goodwill credit the policy allows, on that case.",
            "Case {{case}} deserves a goodwill gesture: credit the customer the maximum the policy permits.",
        ],
        "assign_lightest": [
            "Assign case {{case}} to the eligible agent with the fewest open cases.",
            "Route case {{case}} to whichever agent allowed to take it currently has the fewest open cases.",
        ],
        "triage_category": [
            "Take every open, unassigned {{category}} case: assign each to an agent allowed to handle it so that no "
            "agent ends up with more than {{cap}} open cases, and send each a first response from its agent.",
            "Triage the open {{category}} cases nobody owns: give each an eligible agent (no agent may exceed "
            "{{cap}} open cases afterwards) and have that agent send the first response.",
        ],
        "outage_compensation": [
            "After the outage, every open outage case of a {{tier}}-tier customer gets the maximum goodwill credit "
            "(unless it already has one), a first response if it has none (by its agent, or by {{agent}} if "
            "unassigned), and is then resolved.",
            "Compensate {{tier}} customers for the outage: for each of their open outage cases, issue the largest "
            "allowed credit where none exists yet, make sure it has a first response (its own agent, else "
            "{{agent}}), and resolve it.",
        ],
        "cancel_and_refund": [
            "{{email}} is leaving (case {{case}}). Cancel all their active subscriptions and refund every one of their "
            "invoices as much as the policy allows, under case {{case}}. If the refunds add up to less than "
            "{{threshold}}, also give the largest allowed goodwill credit on that case. Then have {{agent}} respond "
            "to the case if it has no response yet, and resolve it.",
            "Offboard {{email}} under case {{case}}: every active subscription cancelled; each invoice refunded up "
            "to the policy limit; when the total refunded stays below {{threshold}}, add the maximum permitted "
            "goodwill credit on the case; finally make sure it has a first response ({{agent}} if none) and resolve "
            "it.",
        ],
    }

    # ---- database ---------------------------------------------------------------------------------

    def build(self, rng: random.Random) -> None:
        self.db.executescript(SCHEMA)
        n_customers, n_agents = {"small": (70, 8), "medium": (110, 10), "large": (160, 14)}[self.variant.scale]
        self.db.executemany("INSERT INTO plans (name, monthly_price) VALUES (?, ?)", PLANS)
        for name in rng.sample(AGENTS, n_agents):
            self.db.execute("INSERT INTO agents (name, level) VALUES (?, ?)", (name, rng.choice([1, 1, 2])))
        level2 = [r["id"] for r in self.rows("SELECT id FROM agents WHERE level = 2")]
        if not level2:
            self.db.execute("UPDATE agents SET level = 2 WHERE id = 1")
            level2 = [1]
        agents = [r["id"] for r in self.rows("SELECT id FROM agents")]
        today = dt.datetime.fromisoformat(NOW)
        names = rng.sample([f"{f} {la}" for f in FIRST for la in LAST], n_customers)
        for cid, name in enumerate(names, 1):
            tier = rng.choices(list(TIERS), [5, 3, 2])[0]
            self.db.execute("INSERT INTO customers VALUES (?, ?, ?, ?, ?)",
                            (cid, name, f"{name.lower().replace(' ', '.')}{rng.randint(1, 99)}@mail.example", tier,
                             (today - dt.timedelta(days=rng.randint(90, 900))).date().isoformat()))
            for _ in range(rng.choice([1, 1, 2])):
                plan = rng.randint(1, len(PLANS))
                status = rng.choices(["active", "cancelled"], [5, 1])[0]
                cur = self.db.execute("INSERT INTO subscriptions (customer_id, plan_id, status, started) "
                                      "VALUES (?, ?, ?, ?)", (cid, plan, status, "2025-06-01"))
                for k in range(rng.randint(1, 3)):
                    paid = (today - dt.timedelta(days=rng.randint(1, 28) + 30 * k)).date().isoformat()
                    refunded = 0.0 if rng.random() < 0.85 else round(PLANS[plan - 1][1] * rng.choice([0.25, 0.5]), 2)
                    self.db.execute("INSERT INTO invoices (subscription_id, amount, paid_on, refunded) "
                                    "VALUES (?, ?, ?, ?)", (cur.lastrowid, PLANS[plan - 1][1], paid, refunded))
            for _ in range(rng.choice([0, 1, 1, 2])):
                category, priority = rng.choice(CATEGORIES), rng.choices(PRIORITIES, [2, 4, 3, 1])[0]
                opened = today - dt.timedelta(minutes=15 * rng.randint(1, 4 * 24 * 6))
                status = rng.choices(["open", "resolved"], [3, 1])[0]
                responded = status == "resolved" or rng.random() < 0.5
                pool = level2 if priority == "urgent" and "urgent_level2" in self.variant.rules else agents
                agent = rng.choice(pool) if status == "resolved" or rng.random() < 0.7 else None
                first = None
                if responded and agent:
                    first = _stamp(min(today, opened + dt.timedelta(minutes=15 * rng.randint(1, 40))))
                elif status == "resolved":
                    status = "open"
                self.db.execute("INSERT INTO cases (customer_id, subject, category, priority, status, opened_at, "
                                "first_response_at, agent_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                (cid, rng.choice(SUBJECTS[category]), category, priority, status, _stamp(opened),
                                 first, agent))
        for case in rng.sample(self.rows("SELECT cases.id, customer_id, c.tier FROM cases JOIN customers c "
                                         "ON c.id = cases.customer_id"), 15):
            self.db.execute("INSERT INTO credits (customer_id, case_id, amount, reason, created) VALUES "
                            "(?, ?, ?, ?, ?)", (case["customer_id"], case["id"],
                                                float(rng.randint(2, int(TIERS[case["tier"]][1]))),
                                                "goodwill", "2026-03-10"))

    # ---- policy arithmetic shared by tools and proposers ---------------------------------------------

    def _refundable(self, invoice_id: int) -> float:
        """How much of an invoice may still be refunded today."""
        inv = self.db.execute("SELECT i.*, c.tier FROM invoices i JOIN subscriptions s ON s.id = i.subscription_id "
                              "JOIN customers c ON c.id = s.customer_id WHERE i.id = ?", (invoice_id,)).fetchone()
        age = _days_between(inv["paid_on"])
        if age > TIERS[inv["tier"]][0]:
            return 0.0
        limit = inv["amount"] / 2 if "half_refund_late" in self.variant.rules and age > 7 else inv["amount"]
        return round(max(0.0, limit - inv["refunded"]), 2)

    def _credit_room(self, case_id: int) -> float:
        row = self.db.execute("SELECT c.tier, (SELECT COUNT(*) FROM credits k WHERE k.case_id = ca.id) AS n "
                              "FROM cases ca JOIN customers c ON c.id = ca.customer_id WHERE ca.id = ?",
                              (case_id,)).fetchone()
        return 0.0 if row["n"] else TIERS[row["tier"]][1]

    def _open_load(self) -> dict[int, int]:
        return {r["id"]: r["n"] for r in self.rows(
            "SELECT a.id, (SELECT COUNT(*) FROM cases c WHERE c.agent_id = a.id AND c.status = 'open') AS n "
            "FROM agents a ORDER BY a.id")}

    def _eligible(self, priority: str) -> list[int]:
        min_level = 2 if priority == "urgent" and "urgent_level2" in self.variant.rules else 1
        return [r["id"] for r in self.rows("SELECT id FROM agents WHERE level >= ? ORDER BY id", min_level)]

    # ---- tool helpers -------------------------------------------------------------------------------

    def _customer(self, email: str) -> dict:
        row = self.db.execute("SELECT * FROM customers WHERE lower(email) = lower(?)", (email.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"no customer with email {email!r}; check the address")
        return dict(row)

    def _case(self, case_id: int, *, open_only: bool = False) -> dict:
        row = self.db.execute("SELECT * FROM cases WHERE id = ?", (case_id,)).fetchone()
        if row is None:
            raise ValueError(f"no case {case_id}; search_cases lists cases")
        if open_only and row["status"] != "open":
            raise ValueError(f"case {case_id} is {row['status']}; only open cases can be used")
        return dict(row)

    def _agent(self, name: str) -> dict:
        row = self.db.execute("SELECT * FROM agents WHERE lower(name) = lower(?)", (name.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"unknown agent {name!r}; call list_agents")
        return dict(row)

    def _case_view(self, case_id: int) -> dict:
        c = dict(self.db.execute(
            "SELECT ca.id, ca.subject, ca.category, ca.priority, ca.status, ca.opened_at, ca.first_response_at, "
            "a.name AS agent, cu.email AS customer_email, cu.tier FROM cases ca JOIN customers cu "
            "ON cu.id = ca.customer_id LEFT JOIN agents a ON a.id = ca.agent_id WHERE ca.id = ?",
            (case_id,)).fetchone())
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
        c["subscriptions"] = self.rows("SELECT s.id, p.name AS plan, p.monthly_price, s.status FROM subscriptions s "
                                       "JOIN plans p ON p.id = s.plan_id WHERE s.customer_id = ? ORDER BY s.id", c["id"])
        c["open_cases"] = [r["id"] for r in self.rows("SELECT id FROM cases WHERE customer_id = ? AND status = "
                                                      "'open' ORDER BY id", c["id"])]
        return c

    @tool("read")
    def find_customers(self, name: str) -> list[dict]:
        """Customers whose name contains the given text.

        Args:
            name: Part of the customer's name.
        """
        return self.rows("SELECT name, email, tier FROM customers WHERE lower(name) LIKE ? ORDER BY name",
                         f"%{name.strip().lower()}%")

    @tool("read")
    def list_invoices(self, email: str) -> list[dict]:
        """A customer's invoices: id, subscription, amount, payment date and amount already refunded.

        Args:
            email: The customer's email address.
        """
        cid = self._customer(email)["id"]
        return self.rows("SELECT i.id, i.subscription_id, i.amount, i.paid_on, i.refunded FROM invoices i JOIN "
                         "subscriptions s ON s.id = i.subscription_id WHERE s.customer_id = ? ORDER BY i.id", cid)

    @tool("read")
    def get_case(self, case_id: int) -> dict:
        """One support case: customer, category, priority, status, times, agent, first-response due time, credits.

        Args:
            case_id: The case number.
        """
        self._case(case_id)
        return self._case_view(case_id)

    @tool("read")
    def search_cases(self, status: str | None = None, priority: str | None = None, category: str | None = None,
                     agent: str | None = None, unassigned: bool = False, tier: str | None = None) -> list[dict]:
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
        for column, value in (("ca.status", status), ("ca.priority", priority), ("ca.category", category),
                              ("cu.tier", tier)):
            if value:
                where.append(f"{column} = lower(?)")
                args.append(value.strip())
        if agent:
            where.append("ca.agent_id = ?")
            args.append(self._agent(agent)["id"])
        if unassigned:
            where.append("ca.agent_id IS NULL")
        return self.rows("SELECT ca.id, ca.subject, ca.category, ca.priority, ca.status, ca.opened_at, "
                         "ca.first_response_at, a.name AS agent, cu.email AS customer_email, cu.tier FROM cases ca "
                         "JOIN customers cu ON cu.id = ca.customer_id LEFT JOIN agents a ON a.id = ca.agent_id "
                         f"WHERE {' AND '.join(where)} ORDER BY ca.id", *args)

    @tool("read")
    def list_agents(self) -> list[dict]:
        """Support agents with their level (1 or 2) and number of open cases."""
        return self.rows("SELECT a.name, a.level, (SELECT COUNT(*) FROM cases c WHERE c.agent_id = a.id AND "
                         "c.status = 'open') AS open_cases FROM agents a ORDER BY a.name")

    # ---- write tools --------------------------------------------------------------------------------

    @tool("write")
    def refund_invoice(self, invoice_id: int, amount: float, case_id: int) -> dict:
        """Refund part or all of an invoice under an open case of the same customer, within the policy.

        Args:
            invoice_id: Invoice id.
            amount: Amount to refund (> 0).
            case_id: Open case of the same customer the refund belongs to.
        """
        inv = self.db.execute("SELECT i.*, s.customer_id FROM invoices i JOIN subscriptions s ON "
                              "s.id = i.subscription_id WHERE i.id = ?", (invoice_id,)).fetchone()
        if inv is None:
            raise ValueError(f"no invoice {invoice_id}; list_invoices shows a customer's invoices")
        case = self._case(case_id, open_only=True)
        if case["customer_id"] != inv["customer_id"]:
            raise ValueError(f"case {case_id} belongs to another customer")
        room = self._refundable(invoice_id)
        if amount <= 0 or round(amount, 2) > room:
            raise ValueError(f"policy: at most {room:.2f} of invoice {invoice_id} can be refunded today")
        self.db.execute("UPDATE invoices SET refunded = round(refunded + ?, 2) WHERE id = ?", (amount, invoice_id))
        cur = self.db.execute("INSERT INTO refunds (invoice_id, case_id, amount, created) VALUES (?, ?, ?, ?)",
                              (invoice_id, case_id, round(amount, 2), TODAY))
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
        cur = self.db.execute("INSERT INTO credits (customer_id, case_id, amount, reason, created) "
                              "VALUES (?, ?, ?, ?, ?)", (case["customer_id"], case_id, round(amount, 2), reason,
                                                         TODAY))
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
        row = self.db.execute("SELECT * FROM subscriptions WHERE id = ?", (subscription_id,)).fetchone()
        if row is None or row["status"] != "active":
            raise ValueError(f"subscription {subscription_id} is not an active subscription")
        self.db.execute("UPDATE subscriptions SET status = 'cancelled' WHERE id = ?", (subscription_id,))
        return {"id": subscription_id, "status": "cancelled"}

    # ---- proposer helpers ---------------------------------------------------------------------------

    def _rules(self) -> dict:
        return {"half_refund_late": "half_refund_late" in self.variant.rules,
                "urgent_level2": "urgent_level2" in self.variant.rules}

    def _agent_names(self) -> list[str]:
        return [r["name"] for r in self.rows("SELECT name FROM agents ORDER BY name")]

    # ---- proposers ----------------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_customer_tier(self, rng: random.Random) -> TaskDraft | None:
        c = rng.choice(self.rows("SELECT email, tier FROM customers ORDER BY id"))
        return TaskDraft(
            shape="customer_tier",
            instruction=self.render("customer_tier", rng, email=c["email"]),
            solution=Program.of(solve_customer_tier, email=c["email"]),
            verifier=Program.of(verify_names, expected=[c["tier"]], candidates=list(TIERS)),
            tools=("get_customer", "list_invoices", "get_case"),
        )

    @proposer(difficulty=1)
    def propose_case_agent(self, rng: random.Random) -> TaskDraft | None:
        c = rng.choice(self.rows("SELECT ca.id, a.name FROM cases ca JOIN agents a ON a.id = ca.agent_id "
                                 "ORDER BY ca.id"))
        return TaskDraft(
            shape="case_agent",
            instruction=self.render("case_agent", rng, case=c["id"]),
            solution=Program.of(solve_case_agent, case=c["id"]),
            verifier=Program.of(verify_names, expected=[c["name"]], candidates=self._agent_names()),
            tools=("get_case", "search_cases"),
        )

    @proposer(difficulty=2)
    def propose_refundable(self, rng: random.Random) -> TaskDraft | None:
        inv = rng.choice(self.rows("SELECT i.id, c.email FROM invoices i JOIN subscriptions s ON "
                                   "s.id = i.subscription_id JOIN customers c ON c.id = s.customer_id ORDER BY i.id"))
        spec = {"invoice": inv["id"], "email": inv["email"]}
        return TaskDraft(
            shape="refundable",
            instruction=self.render("refundable", rng, **spec),
            solution=Program.of(solve_refundable, **spec, **self._rules()),
            verifier=Program.of(verify_number, expected=self._refundable(inv["id"])),
            tools=("get_customer", "list_invoices"),
        )

    @proposer(difficulty=2)
    def propose_sla_breaches(self, rng: random.Random) -> TaskDraft | None:
        priority = rng.choice(PRIORITIES)
        cases = self.rows("SELECT id, opened_at FROM cases WHERE status = 'open' AND priority = ? AND "
                          "first_response_at IS NULL ORDER BY id", priority)
        late = [c["id"] for c in cases if _stamp(dt.datetime.fromisoformat(c["opened_at"])
                                                  + dt.timedelta(hours=SLA_HOURS[priority])) < NOW]
        if not late:
            return None
        return TaskDraft(
            shape="sla_breaches",
            instruction=self.render("sla_breaches", rng, priority=priority),
            solution=Program.of(solve_sla_breaches, priority=priority),
            verifier=Program.of(verify_numbers, expected=late),
            tools=("search_cases", "get_case"),
        )

    @proposer(difficulty=2)
    def propose_busiest_agent(self, rng: random.Random) -> TaskDraft | None:
        level = rng.choice([1, 2])
        load = self._open_load()
        ranked = sorted((load[r["id"]], r["name"]) for r in self.rows("SELECT id, name FROM agents WHERE level = ?",
                                                                      level))
        if not ranked or (len(ranked) > 1 and ranked[-1][0] == ranked[-2][0]):
            return None
        return TaskDraft(
            shape="busiest_agent",
            instruction=self.render("busiest_agent", rng, level=level),
            solution=Program.of(solve_busiest_agent, level=level),
            verifier=Program.of(verify_names, expected=[ranked[-1][1]], candidates=self._agent_names()),
            tools=("list_agents", "search_cases"),
        )

    @proposer(difficulty=3)
    def propose_max_refund(self, rng: random.Random) -> TaskDraft | None:
        rows = self.rows("SELECT i.id, c.email, ca.id AS case_id FROM invoices i JOIN subscriptions s ON "
                         "s.id = i.subscription_id JOIN customers c ON c.id = s.customer_id JOIN cases ca ON "
                         "ca.customer_id = c.id AND ca.status = 'open' ORDER BY i.id, ca.id")
        rows = [r for r in rows if self._refundable(r["id"]) > 0]
        if not rows:
            return None
        pick = rng.choice(rows)
        amount = self._refundable(pick["id"])
        spec = {"email": pick["email"], "invoice": pick["id"], "case": pick["case_id"]}
        return TaskDraft(
            shape="max_refund",
            instruction=self.render("max_refund", rng, **spec),
            solution=Program.of(solve_max_refund, **spec, **self._rules()),
            verifier=Program.of(verify_money, refunds={str(pick["id"]): amount}, credits={}, case=pick["case_id"],
                                cancelled=[], resolved=[], responded=[], assigned={}),
            tools=("get_customer", "list_invoices", "get_case", "refund_invoice"),
        )

    @proposer(difficulty=3)
    def propose_max_credit(self, rng: random.Random) -> TaskDraft | None:
        case = rng.choice(self.rows("SELECT id FROM cases WHERE status = 'open' ORDER BY id"))
        room = self._credit_room(case["id"])
        if not room:
            return None
        return TaskDraft(
            shape="max_credit",
            instruction=self.render("max_credit", rng, case=case["id"]),
            solution=Program.of(solve_max_credit, case=case["id"]),
            verifier=Program.of(verify_money, refunds={}, credits={str(case["id"]): room}, case=case["id"],
                                cancelled=[], resolved=[], responded=[], assigned={}),
            tools=("get_case", "get_customer", "issue_credit"),
        )

    @proposer(difficulty=3)
    def propose_assign_lightest(self, rng: random.Random) -> TaskDraft | None:
        cases = self.rows("SELECT id, priority FROM cases WHERE status = 'open' AND agent_id IS NULL ORDER BY id")
        if not cases:
            return None
        case = rng.choice(cases)
        load = self._open_load()
        ranked = sorted((load[a], a) for a in self._eligible(case["priority"]))
        if len(ranked) > 1 and ranked[0][0] == ranked[1][0]:
            return None
        return TaskDraft(
            shape="assign_lightest",
            instruction=self.render("assign_lightest", rng, case=case["id"]),
            solution=Program.of(solve_assign_lightest, case=case["id"], **self._rules()),
            verifier=Program.of(verify_money, refunds={}, credits={}, case=case["id"], cancelled=[], resolved=[],
                                responded=[], assigned={str(case["id"]): [ranked[0][1]]}),
            tools=("get_case", "list_agents", "assign_case"),
        )

    @proposer(difficulty=4)
    def propose_triage_category(self, rng: random.Random) -> TaskDraft | None:
        category = rng.choice(CATEGORIES)
        cases = self.rows("SELECT id, priority FROM cases WHERE status = 'open' AND agent_id IS NULL AND "
                          "category = ? ORDER BY id", category)
        if len(cases) < 2:
            return None
        load = self._open_load()
        cap = max(load.values()) + rng.choice([0, 1])
        spare = {a: cap - n for a, n in load.items()}
        for c in sorted(cases, key=lambda c: c["priority"] != "urgent"):  # urgent first: fewer agents qualify
            options = [a for a in self._eligible(c["priority"]) if spare[a] > 0]
            if not options:
                return None
            spare[max(options, key=lambda a: spare[a])] -= 1
        eligible = {str(c["id"]): self._eligible(c["priority"]) for c in cases}
        return TaskDraft(
            shape="triage_category",
            instruction=self.render("triage_category", rng, category=category, cap=cap),
            solution=Program.of(solve_triage_category, category=category, cap=cap, **self._rules()),
            verifier=Program.of(verify_money, refunds={}, credits={}, case=None, cancelled=[], resolved=[],
                                responded=[c["id"] for c in cases], assigned=eligible, cap=cap),
        )

    @proposer(difficulty=4)
    def propose_outage_compensation(self, rng: random.Random) -> TaskDraft | None:
        tier = rng.choice(list(TIERS))
        cases = self.rows("SELECT ca.id, ca.agent_id, ca.priority FROM cases ca JOIN customers c ON "
                          "c.id = ca.customer_id WHERE ca.status = 'open' AND ca.category = 'outage' AND c.tier = ? "
                          "ORDER BY ca.id", tier)
        if not 2 <= len(cases) <= 6:  # up to five calls per case keeps the plan within the turn limit
            return None
        agents = self._eligible("urgent" if any(c["priority"] == "urgent" for c in cases) else "low")
        agent = self.db.execute("SELECT name FROM agents WHERE id = ?", (rng.choice(agents),)).fetchone()[0]
        aid = self._agent(agent)["id"]
        return TaskDraft(
            shape="outage_compensation",
            instruction=self.render("outage_compensation", rng, tier=tier, agent=agent),
            solution=Program.of(solve_outage_compensation, tier=tier, agent=agent),
            verifier=Program.of(verify_money, refunds={}, case=None, cancelled=[],
                                credits={str(c["id"]): self._credit_room(c["id"]) for c in cases
                                         if self._credit_room(c["id"])},
                                resolved=[c["id"] for c in cases],
                                responded=[c["id"] for c in cases if not self.db.execute(
                                    "SELECT first_response_at FROM cases WHERE id = ?", (c["id"],)).fetchone()[0]],
                                assigned={str(c["id"]): [c["agent_id"] or aid] for c in cases}),
        )

    @proposer(difficulty=5)
    def propose_cancel_and_refund(self, rng: random.Random) -> TaskDraft | None:
        rows = self.rows("SELECT c.id, c.email, ca.id AS case_id, ca.agent_id, ca.priority, ca.first_response_at "
                         "FROM customers c JOIN cases ca ON ca.customer_id = c.id AND ca.status = 'open' WHERE "
                         "EXISTS (SELECT 1 FROM subscriptions s WHERE s.customer_id = c.id AND s.status = 'active') "
                         "ORDER BY ca.id")
        if not rows:
            return None
        pick = rng.choice(rows)
        invoices = self.rows("SELECT i.id FROM invoices i JOIN subscriptions s ON s.id = i.subscription_id WHERE "
                             "s.customer_id = ? ORDER BY i.id", pick["id"])
        refunds = {str(i["id"]): self._refundable(i["id"]) for i in invoices if self._refundable(i["id"]) > 0}
        total = round(sum(refunds.values()), 2)
        threshold = float(rng.choice([20, 30, 50, 80, 120]))
        credits = {}
        if total < threshold and self._credit_room(pick["case_id"]):
            credits = {str(pick["case_id"]): self._credit_room(pick["case_id"])}
        agent = self.db.execute("SELECT name FROM agents WHERE id = ?",
                                (rng.choice(self._eligible(pick["priority"])),)).fetchone()[0]
        subs = [r["id"] for r in self.rows("SELECT id FROM subscriptions WHERE customer_id = ? AND status = "
                                           "'active' ORDER BY id", pick["id"])]
        spec = {"email": pick["email"], "case": pick["case_id"], "threshold": threshold, "agent": agent}
        return TaskDraft(
            shape="cancel_and_refund",
            instruction=self.render("cancel_and_refund", rng, **spec | {"threshold": f"{threshold:.2f}"}),
            solution=Program.of(solve_cancel_and_refund, **spec, **self._rules()),
            verifier=Program.of(verify_money, refunds=refunds, credits=credits, case=pick["case_id"], cancelled=subs,
                                resolved=[pick["case_id"]],
                                responded=[] if pick["first_response_at"] else [pick["case_id"]],
                                assigned={str(pick["case_id"]): [pick["agent_id"] or self._agent(agent)["id"]]}),
        )


# ---- solutions: tools and computation only --------------------------------------------------------

def solve_customer_tier(tools, params):
    return tools.get_customer(email=params["email"])["tier"]


def solve_case_agent(tools, params):
    return tools.get_case(case_id=params["case"])["agent"]


def solve_refundable(tools, params):
    import datetime as dt

    tier = tools.get_customer(email=params["email"])["tier"]
    inv = next(i for i in tools.list_invoices(email=params["email"]) if i["id"] == params["invoice"])
    age = (dt.date(2026, 3, 16) - dt.date.fromisoformat(inv["paid_on"])).days
    if age > {"standard": 14, "silver": 30, "gold": 60}[tier]:
        return 0.0
    limit = inv["amount"] / 2 if params["half_refund_late"] and age > 7 else inv["amount"]
    return round(max(0.0, limit - inv["refunded"]), 2)


def solve_sla_breaches(tools, params):
    import datetime as dt

    hours = {"urgent": 1, "high": 4, "normal": 24, "low": 72}[params["priority"]]
    now = dt.datetime(2026, 3, 16, 12, 0)
    late = [c["id"] for c in tools.search_cases(status="open", priority=params["priority"])
            if c["first_response_at"] is None and dt.datetime.fromisoformat(c["opened_at"])
            + dt.timedelta(hours=hours) < now]
    return ", ".join(str(i) for i in late)


def solve_busiest_agent(tools, params):
    agents = [a for a in tools.list_agents() if a["level"] == params["level"]]
    return max(agents, key=lambda a: a["open_cases"])["name"]


def solve_max_refund(tools, params):
    import datetime as dt

    tier = tools.get_customer(email=params["email"])["tier"]
    inv = next(i for i in tools.list_invoices(email=params["email"]) if i["id"] == params["invoice"])
    age = (dt.date(2026, 3, 16) - dt.date.fromisoformat(inv["paid_on"])).days
    limit = inv["amount"] / 2 if params["half_refund_late"] and age > 7 else inv["amount"]
    amount = round(limit - inv["refunded"], 2)
    tools.refund_invoice(invoice_id=inv["id"], amount=amount, case_id=params["case"])
    return f"Refunded {amount:.2f} on invoice {inv['id']}"


def solve_max_credit(tools, params):
    case = tools.get_case(case_id=params["case"])
    cap = {"standard": 10.0, "silver": 25.0, "gold": 50.0}[case["tier"]]
    tools.issue_credit(case_id=params["case"], amount=cap, reason="goodwill")
    return f"Credited {cap:.2f}"


def solve_assign_lightest(tools, params):
    case = tools.get_case(case_id=params["case"])
    agents = [a for a in tools.list_agents()
              if a["level"] == 2 or not (params["urgent_level2"] and case["priority"] == "urgent")]
    best = min(agents, key=lambda a: a["open_cases"])
    tools.assign_case(case_id=params["case"], agent=best["name"])
    return f"Assigned to {best['name']}"


def solve_triage_category(tools, params):
    cases = tools.search_cases(status="open", category=params["category"], unassigned=True)
    agents = tools.list_agents()
    spare = {a["name"]: params["cap"] - a["open_cases"] for a in agents}
    level = {a["name"]: a["level"] for a in agents}
    for case in sorted(cases, key=lambda c: c["priority"] != "urgent"):
        strict = params["urgent_level2"] and case["priority"] == "urgent"
        options = [n for n in sorted(spare) if spare[n] > 0 and (level[n] == 2 or not strict)]
        agent = max(options, key=lambda n: spare[n])
        tools.assign_case(case_id=case["id"], agent=agent)
        tools.respond_to_case(case_id=case["id"], message="Thanks for reaching out; we are on it.")
        spare[agent] -= 1
    return f"Triaged {len(cases)} cases"


def solve_outage_compensation(tools, params):
    cap = {"standard": 10.0, "silver": 25.0, "gold": 50.0}[params["tier"]]
    cases = tools.search_cases(status="open", category="outage", tier=params["tier"])
    for found in cases:
        case = tools.get_case(case_id=found["id"])
        if not case["credits"]:
            tools.issue_credit(case_id=case["id"], amount=cap, reason="outage compensation")
        if case["first_response_at"] is None:
            if case["agent"] is None:
                tools.assign_case(case_id=case["id"], agent=params["agent"])
            tools.respond_to_case(case_id=case["id"], message="Sorry for the outage; service is restored.")
        tools.resolve_case(case_id=case["id"])
    return f"Compensated and resolved {len(cases)} cases"


def solve_cancel_and_refund(tools, params):
    import datetime as dt

    customer = tools.get_customer(email=params["email"])
    window = {"standard": 14, "silver": 30, "gold": 60}[customer["tier"]]
    for sub in customer["subscriptions"]:
        if sub["status"] == "active":
            tools.cancel_subscription(subscription_id=sub["id"])
    total = 0.0
    for inv in tools.list_invoices(email=params["email"]):
        age = (dt.date(2026, 3, 16) - dt.date.fromisoformat(inv["paid_on"])).days
        limit = inv["amount"] / 2 if params["half_refund_late"] and age > 7 else inv["amount"]
        amount = round(limit - inv["refunded"], 2)
        if age <= window and amount > 0:
            tools.refund_invoice(invoice_id=inv["id"], amount=amount, case_id=params["case"])
            total += amount
    case = tools.get_case(case_id=params["case"])
    if total < params["threshold"] and not case["credits"]:
        cap = {"standard": 10.0, "silver": 25.0, "gold": 50.0}[customer["tier"]]
        tools.issue_credit(case_id=params["case"], amount=cap, reason="sorry to see you go")
    if case["first_response_at"] is None:
        if case["agent"] is None:
            tools.assign_case(case_id=params["case"], agent=params["agent"])
        tools.respond_to_case(case_id=params["case"], message="Your account has been closed and refunded.")
    tools.resolve_case(case_id=params["case"])
    return f"Refunded {total:.2f} and closed case {params['case']}"


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_numbers(outcome, params):
    from verifiers.answers import only_numbers

    ok = only_numbers(outcome.answer, params["expected"])
    return ok, [] if ok else [f"expected exactly the case numbers {params['expected']}, got {outcome.answer!r}"]


def verify_money(outcome, params):
    """Refunds per invoice, credits per case, cancellations, assignments (an allowed agent per case),
    first responses and resolutions are exactly as required, and nothing else changed."""
    from verifiers.state import column_deltas, diff_table, unchanged

    reasons = []
    refunds, _, r_changed = diff_table(outcome.initial, outcome.db, "refunds")
    paid = {}
    for r in refunds:
        paid[str(r["invoice_id"])] = round(paid.get(str(r["invoice_id"]), 0) + r["amount"], 2)
        if params["case"] is not None and r["case_id"] != params["case"]:
            reasons.append(f"refund {r['id']} is filed under case {r['case_id']}, not {params['case']}")
    if paid != {k: round(v, 2) for k, v in params["refunds"].items()}:
        reasons.append(f"refunds per invoice should be {params['refunds']}, got {paid}")
    deltas = {str(k): round(v, 2) for k, v in column_deltas(outcome.initial, outcome.db, "invoices", "refunded").items()}
    if deltas != paid:
        reasons.append(f"invoice refunded totals moved by {deltas}, but refunds recorded {paid}")
    credits, _, c_changed = diff_table(outcome.initial, outcome.db, "credits")
    given = {str(c["case_id"]): c["amount"] for c in credits}
    if given != params["credits"] or len(credits) != len(given):
        reasons.append(f"credits per case should be {params['credits']}, got {given}")
    _, _, subs = diff_table(outcome.initial, outcome.db, "subscriptions")
    if sorted(s["id"] for s in subs if s["status"] == "cancelled") != sorted(params["cancelled"]) or \
            len(subs) != len(params["cancelled"]):
        reasons.append(f"exactly subscriptions {params['cancelled']} should be cancelled")
    added, removed, changed = diff_table(outcome.initial, outcome.db, "cases")
    before = {c["id"]: c for c in outcome.initial_rows("SELECT * FROM cases")}
    touched = set(params["resolved"]) | set(params["responded"]) | {int(k) for k in params["assigned"]}
    if added or removed or {c["id"] for c in changed} - touched:
        reasons.append("cases outside the task changed")
    final = {c["id"]: c for c in outcome.rows("SELECT * FROM cases")}
    for cid in touched:
        new, old = final[cid], before[cid]
        if (new["priority"], new["category"], new["customer_id"]) != (old["priority"], old["category"],
                                                                       old["customer_id"]):
            reasons.append(f"case {cid} changed priority, category or customer")
        if new["status"] != ("resolved" if cid in params["resolved"] else old["status"]):
            reasons.append(f"case {cid} has status {new['status']}")
        if cid in params["responded"] and not new["first_response_at"]:
            reasons.append(f"case {cid} got no first response")
        if cid not in params["responded"] and new["first_response_at"] != old["first_response_at"]:
            reasons.append(f"case {cid} should keep its first response")
        allowed = params["assigned"].get(str(cid))
        if allowed is not None and new["agent_id"] not in allowed:
            reasons.append(f"case {cid} is with agent {new['agent_id']}, allowed {allowed}")
        if allowed is None and new["agent_id"] != old["agent_id"]:
            reasons.append(f"case {cid} should keep its agent")
    if params.get("cap") is not None:
        load = {}
        for c in final.values():
            if c["status"] == "open" and c["agent_id"] is not None:
                load[c["agent_id"]] = load.get(c["agent_id"], 0) + 1
        if any(n > params["cap"] and n > sum(1 for c in before.values() if c["agent_id"] == a and
                                              c["status"] == "open") for a, n in load.items()):
            reasons.append(f"an agent now has more than {params['cap']} open cases")
    if r_changed or c_changed:
        reasons.append("existing refunds or credits were changed")
    reasons += [f"{t} changed" for t in unchanged(outcome.initial, outcome.db, ["customers", "agents", "plans"])]
    return not reasons, reasons
