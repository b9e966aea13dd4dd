"""CRM pipeline: owners with quotas, accounts, contacts, opportunities moving through stages, activities."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool
from verifiers.common import verify_names, verify_number

TODAY = "2026-03-16"
QUARTER_START = "2026-01-01"
STAGES = ["prospecting", "qualification", "proposal", "negotiation", "won", "lost"]
OPEN_STAGES = STAGES[:4]
KINDS = ["call", "email", "meeting", "demo"]
REGIONS = ["North", "South", "East", "West"]
INDUSTRIES = ["manufacturing", "retail", "healthcare", "logistics", "software", "education", "energy"]
BIG_DEAL = 100000
FIRST = ["Ansel", "Briony", "Caspian", "Delia", "Evander", "Fenella", "Gideon", "Honora", "Ivo", "Jessamy",
         "Kit", "Lavinia", "Merritt", "Niamh", "Osric", "Philippa", "Quentin", "Rosalind", "Silas", "Tabitha",
         "Ulla", "Vaughn", "Winifred", "Xander"]
LAST = ["Ashcombe", "Birchall", "Coldwell", "Darrow", "Ellery", "Fairbairn", "Greenhalgh", "Holloway", "Inchbald",
        "Jessop", "Kittredge", "Larkspur", "Marchbank", "Northcote", "Ormerod", "Pennifold", "Quarrington",
        "Redfern", "Stainton", "Thistlewood"]
ACC_A = ["Amber", "Blue Heron", "Copperleaf", "Driftwood", "Emberline", "Foxhollow", "Granite", "Harbourlight",
         "Ironbark", "Juniper", "Kingfisher", "Lanternfield", "Moorgate", "Northwind", "Oakhurst", "Pinecrest",
         "Quillon", "Riverbend", "Silverlake", "Tidewater", "Upland", "Vantage", "Willowmere", "Yarrow"]
ACC_B = ["Analytics", "Foods", "Health", "Logistics", "Systems", "Works", "Energy", "Academy", "Retail", "Labs",
         "Manufacturing", "Freight"]
PRODUCTS = ["Platform licence", "Support renewal", "Expansion seats", "Data add-on", "Pilot", "Training package",
            "Integration project", "Security module"]

SCHEMA = """
CREATE TABLE owners (id INTEGER PRIMARY KEY, name TEXT UNIQUE, region TEXT, seniority TEXT, quota REAL);
CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT UNIQUE, industry TEXT, region TEXT,
    owner_id INTEGER REFERENCES owners(id));
CREATE TABLE contacts (id INTEGER PRIMARY KEY, account_id INTEGER REFERENCES accounts(id), name TEXT, email TEXT,
    title TEXT, is_primary INTEGER);
CREATE TABLE opportunities (id INTEGER PRIMARY KEY, account_id INTEGER REFERENCES accounts(id), name TEXT,
    owner_id INTEGER REFERENCES owners(id), stage TEXT, amount REAL, close_date TEXT, created TEXT,
    lost_reason TEXT);
CREATE TABLE activities (id INTEGER PRIMARY KEY, opportunity_id INTEGER REFERENCES opportunities(id),
    contact_id INTEGER REFERENCES contacts(id), owner_id INTEGER REFERENCES owners(id), kind TEXT, day TEXT,
    note TEXT);
CREATE TABLE stage_history (id INTEGER PRIMARY KEY, opportunity_id INTEGER REFERENCES opportunities(id),
    from_stage TEXT, to_stage TEXT, day TEXT);
"""


def _day(offset: int) -> str:
    return (dt.date.fromisoformat(TODAY) + dt.timedelta(days=offset)).isoformat()


class CrmEnv(EnvTemplate):
    name = "crm"
    version = "1.0.0"
    category = "sales CRM"
    description = ("A B2B sales CRM: sales owners with regions and quarterly quotas, customer accounts and their "
                   "contacts, opportunities moving through pipeline stages with amounts and close dates, and the "
                   "activities (calls, emails, meetings, demos) logged on them.")
    policy = (
        f"Today is {TODAY}; the current quarter runs from {QUARTER_START} to 2026-03-31, and an owner's won total "
        "for the quarter is the amount of their won opportunities whose close date falls in it. Pipeline stages in "
        "order: prospecting, qualification, proposal, negotiation; an open opportunity moves forward one stage at "
        "a time, may be marked won only from negotiation (its close date becomes today), and may be marked lost "
        "from any open stage with a reason. Won and lost are final. Moving into proposal or negotiation needs at "
        "least one meeting or demo logged on the opportunity. An opportunity's owner must work in its account's "
        "region. Close dates of open opportunities may not be set before today. Activities are logged today, by "
        "the opportunity's owner, with a contact of its account. Change only what was asked.")
    variants = VariantSpace(
        optional_tools=("get_stage_history", "find_contacts"),
        renames={"search_opportunities": ("find_deals",), "advance_stage": ("move_to_next_stage",),
                 "get_account": ("account_details",)},
        rules={"demo_before_won": "An opportunity may be marked won only if a demo has been logged on it.",
               "senior_big_deals": f"Open opportunities worth {BIG_DEAL:,} or more may only be owned by senior "
                                   "owners."},
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "opp_stage": [
            "What stage is opportunity {{opp}} in right now?",
            "Tell me the current pipeline stage of deal #{{opp}}.",
        ],
        "account_owner": [
            "Who owns the account {{account}}?",
            "Which sales owner is responsible for {{account}}?",
            "Tell me the account owner of {{account}}.",
        ],
        "stage_entered": [
            "On what date did opportunity {{opp}} enter its current stage? Answer with the date (YYYY-MM-DD).",
            "When was deal #{{opp}} moved into the stage it is in now? Give the ISO date.",
        ],
        "open_pipeline": [
            "What is the total amount of {{owner}}'s open opportunities that are in {{stage}} or a later open stage?",
            "Add up the amounts of the open deals owned by {{owner}} at stage {{stage}} or beyond (not won or lost).",
        ],
        "top_attainment": [
            "Which {{region}}-region owner has the highest quota attainment this quarter (won total divided by "
            "quota)?",
            "Among owners in the {{region}} region, who has achieved the largest share of their quarterly quota so "
            "far?",
        ],
        "stale_deals": [
            "Which of {{owner}}'s open opportunities have had no activity logged on or after {{since}}? Give only "
            "their numbers.",
            "List the numbers of {{owner}}'s open deals with no activity since {{since}} (activities on that day "
            "count).",
        ],
        "industry_won": [
            "What is the total amount of won opportunities at {{industry}} accounts with a close date between "
            "{{start}} and {{end}} (inclusive)?",
            "How much did we win from {{industry}} customers on deals closed from {{start}} through {{end}}?",
        ],
        "advance_deal": [
            "Move opportunity {{opp}} forward by one stage. If the policy needs an activity logged first, log the "
            "missing one with the account's primary contact.",
            "Advance deal #{{opp}} to its next stage; where the policy requires a logged activity before that, log "
            "it with the primary contact of the account first.",
        ],
        "reassign_lightest": [
            "Reassign opportunity {{opp}} to another owner allowed to hold it who currently has the fewest open "
            "opportunities.",
            "Hand deal #{{opp}} over to the eligible owner (other than its current one) with the lightest open "
            "pipeline by count.",
        ],
        "push_overdue": [
            "Every open opportunity of {{owner}} whose close date has already passed should be moved to close on "
            "{{date}}.",
            "{{owner}} has overdue deals: set the close date of each of their open opportunities dated before today "
            "to {{date}}.",
        ],
        "rebalance_owner": [
            "{{owner}} is going on leave. Reassign every one of their opportunities in the {{stage}} stage to other "
            "owners allowed to hold them, so that no owner ends up with more than {{cap}} open opportunities.",
            "Move all of {{owner}}'s {{stage}}-stage deals to eligible colleagues; afterwards nobody may hold more "
            "than {{cap}} open opportunities.",
        ],
        "quarter_close": [
            "Quarter-end review for {{owner}}: each of their open negotiation-stage opportunities closing on or "
            "before {{cutoff}} is marked won if the policy allows it now, otherwise its close date moves to "
            "{{new_date}}; their open proposal-stage opportunities closing by {{cutoff}} also move to {{new_date}}.",
            "Review {{owner}}'s deals closing by {{cutoff}}: mark the negotiation-stage ones won where policy "
            "permits (push the rest to {{new_date}}), and push the proposal-stage ones to {{new_date}} as well.",
        ],
        "account_review": [
            "Review account {{account}}: mark every open opportunity whose close date has passed as lost (reason: "
            "stale); for each remaining open opportunity worth at least {{threshold}} that is not yet in "
            "negotiation, log a meeting with the primary contact and advance it one stage; finally create an "
            "opportunity named '{{new_name}}' worth 10% of the account's total won amount (rounded to whole units), "
            "closing {{close}}, owned by the account owner if the policy allows, otherwise by the senior owner of "
            "the account's region with the fewest open opportunities.",
            "Clean up {{account}}'s pipeline. Overdue open deals become lost with the reason 'stale'. Open deals "
            "before negotiation with an amount of {{threshold}} or more get a meeting logged with the primary "
            "contact and move up one stage. Then open '{{new_name}}', closing {{close}}, for 10% of everything ever "
            "won at the account (whole units), owned by the account owner, or if policy forbids, by the region's "
            "senior owner holding the fewest open deals.",
        ],
        "quota_push": [
            "Help {{owner}} reach quota: go through their open negotiation-stage opportunities from the largest "
            "amount down and mark each won (skipping any the policy does not allow to be won) until their won "
            "total for the quarter reaches their quota; then move the close date of their negotiation-stage "
            "opportunities still open to {{new_date}}.",
            "Close {{owner}}'s negotiation deals, biggest first, as won where policy permits, stopping as soon as "
            "their quarter's won total reaches their quota. Any of their negotiation-stage deals left open should "
            "then close on {{new_date}}.",
        ],
    }

    # ---- database ---------------------------------------------------------------------------------

    def build(self, rng: random.Random) -> None:
        self.db.executescript(SCHEMA)
        n_owners, n_accounts = {"small": (8, 45), "medium": (11, 75), "large": (15, 110)}[self.variant.scale]
        senior_rule = "senior_big_deals" in self.variant.rules
        names = rng.sample([f"{f} {la}" for f in FIRST for la in LAST], n_owners + 4 * n_accounts)
        for i in range(n_owners):
            region = REGIONS[i % 4]
            seniority = "senior" if i < 4 or rng.random() < 0.35 else "junior"
            self.db.execute("INSERT INTO owners VALUES (?, ?, ?, ?, ?)",
                            (i + 1, names[i], region, seniority, float(rng.choice(range(150, 451, 25)) * 1000)))
        by_region = {r: [o["id"] for o in self.rows("SELECT id FROM owners WHERE region = ?", r)] for r in REGIONS}
        seniors = {r: [o["id"] for o in self.rows("SELECT id FROM owners WHERE region = ? AND seniority = 'senior'",
                                                   r)] for r in REGIONS}
        people = iter(names[n_owners:])
        acc_names = rng.sample([f"{a} {b}" for a in ACC_A for b in ACC_B], n_accounts)
        for aid, acc in enumerate(acc_names, 1):
            region = rng.choice(REGIONS)
            self.db.execute("INSERT INTO accounts VALUES (?, ?, ?, ?, ?)",
                            (aid, acc, rng.choice(INDUSTRIES), region, rng.choice(by_region[region])))
            contacts = []
            for k in range(rng.randint(2, 4)):
                person = next(people)
                cur = self.db.execute(
                    "INSERT INTO contacts (account_id, name, email, title, is_primary) VALUES (?, ?, ?, ?, ?)",
                    (aid, person, f"{person.lower().replace(' ', '.')}@{acc.split()[0].lower()}.example",
                     rng.choice(["CFO", "IT Director", "Procurement Lead", "COO", "Head of Operations"]), int(k == 0)))
                contacts.append(cur.lastrowid)
            for product in rng.sample(PRODUCTS, rng.randint(1, 4)):
                self._seed_opportunity(rng, aid, f"{acc} - {product}", region, by_region, seniors, senior_rule,
                                       contacts)

    def _seed_opportunity(self, rng, aid, name, region, by_region, seniors, senior_rule, contacts) -> None:
        stage = rng.choices(STAGES, [4, 4, 4, 4, 4, 2])[0]
        amount = float(round(rng.triangular(5000, 250000, 20000), -2))
        owner = rng.choice(by_region[region])
        if senior_rule and amount >= BIG_DEAL and stage in OPEN_STAGES:
            owner = rng.choice(seniors[region])
        created = -rng.randint(40, 260)
        if stage in OPEN_STAGES:
            close = rng.randint(-40, -1) if rng.random() < 0.2 else rng.randint(0, 120)
        else:
            close = rng.randint(max(created + 10, -200), -1)
        cur = self.db.execute("INSERT INTO opportunities (account_id, name, owner_id, stage, amount, close_date, "
                              "created, lost_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                              (aid, name, owner, stage, amount, _day(close), _day(created),
                               rng.choice(["budget cut", "chose a competitor", "no decision"]) if stage == "lost"
                               else None))
        oid = cur.lastrowid
        last = STAGES.index(stage) if stage != "lost" else rng.randint(0, 3)
        path = STAGES[:last + 1] + (["lost"] if stage == "lost" else [])
        end = min(close, -1) if stage not in OPEN_STAGES else -1
        days = sorted(rng.sample(range(created + 1, max(end, created + len(path) + 1) + 1), len(path) - 1))
        for (a, b), day in zip(zip(path, path[1:]), days):
            self.db.execute("INSERT INTO stage_history (opportunity_id, from_stage, to_stage, day) VALUES "
                            "(?, ?, ?, ?)", (oid, a, b, _day(day)))
        kinds = [rng.choice(KINDS) for _ in range(rng.randint(0, 5))]
        if last >= 2 or stage == "won":
            kinds.append(rng.choice(["meeting", "demo"]))
        for kind in kinds:
            self.db.execute("INSERT INTO activities (opportunity_id, contact_id, owner_id, kind, day, note) VALUES "
                            "(?, ?, ?, ?, ?, ?)", (oid, rng.choice(contacts), owner, kind,
                                                   _day(rng.randint(created, min(end, -1))), f"{kind} logged"))

    # ---- policy helpers shared by tools and proposers ------------------------------------------------

    def _rules(self) -> dict:
        return {"demo_before_won": "demo_before_won" in self.variant.rules,
                "senior_big_deals": "senior_big_deals" in self.variant.rules}

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
        region = self.db.execute("SELECT region FROM accounts WHERE id = ?", (opp["account_id"],)).fetchone()[0]
        senior = "senior_big_deals" in self.variant.rules and opp["amount"] >= BIG_DEAL
        return [r["id"] for r in self.rows("SELECT id FROM owners WHERE region = ? AND (? = 0 OR seniority = "
                                           "'senior') ORDER BY id", region, int(senior))]

    def _open_load(self) -> dict[int, int]:
        return {r["id"]: r["n"] for r in self.rows(
            "SELECT o.id, (SELECT COUNT(*) FROM opportunities p WHERE p.owner_id = o.id AND p.stage IN "
            "('prospecting', 'qualification', 'proposal', 'negotiation')) AS n FROM owners o")}

    def _won_quarter(self, owner_id: int) -> float:
        return self.db.execute("SELECT COALESCE(SUM(amount), 0) FROM opportunities WHERE owner_id = ? AND stage = "
                               "'won' AND close_date BETWEEN ? AND '2026-03-31'", (owner_id, QUARTER_START)
                               ).fetchone()[0]

    def _primary(self, account_id: int) -> int:
        return self.db.execute("SELECT id FROM contacts WHERE account_id = ? AND is_primary = 1",
                               (account_id,)).fetchone()[0]

    # ---- tool helpers -------------------------------------------------------------------------------

    def _opp(self, oid: int, *, open_only: bool = False) -> dict:
        row = self.db.execute("SELECT * FROM opportunities WHERE id = ?", (oid,)).fetchone()
        if row is None:
            raise ValueError(f"no opportunity {oid}; search_opportunities lists them")
        if open_only and row["stage"] not in OPEN_STAGES:
            raise ValueError(f"opportunity {oid} is {row['stage']}; won and lost opportunities are final")
        return dict(row)

    def _account(self, name: str) -> dict:
        row = self.db.execute("SELECT * FROM accounts WHERE lower(name) = lower(?)", (name.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"no account named {name!r}; search_accounts lists accounts")
        return dict(row)

    def _owner(self, name: str) -> dict:
        row = self.db.execute("SELECT * FROM owners WHERE lower(name) = lower(?)", (name.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"unknown owner {name!r}; list_owners gives the names")
        return dict(row)

    @staticmethod
    def _date(value: str, what: str) -> str:
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            raise ValueError(f"{what} must be a date written YYYY-MM-DD, not {value!r}") from None

    def _opp_view(self, oid: int) -> dict:
        o = dict(self.db.execute(
            "SELECT p.id, p.name, a.name AS account, a.region, p.stage, p.amount, p.close_date, p.created, "
            "p.lost_reason, w.name AS owner FROM opportunities p JOIN accounts a ON a.id = p.account_id "
            "JOIN owners w ON w.id = p.owner_id WHERE p.id = ?", (oid,)).fetchone())
        o["activities"] = self.rows("SELECT v.kind, v.day, c.name AS contact, v.note FROM activities v JOIN contacts c "
                                    "ON c.id = v.contact_id WHERE v.opportunity_id = ? ORDER BY v.day, v.id", oid)
        return o

    # ---- read tools ---------------------------------------------------------------------------------

    @tool("read")
    def get_account(self, name: str) -> dict:
        """An account's profile: industry, region, owner, contacts (primary flagged) and opportunities.

        Args:
            name: The account's exact name.
        """
        a = self._account(name)
        view = {"name": a["name"], "industry": a["industry"], "region": a["region"],
                "owner": self.db.execute("SELECT name FROM owners WHERE id = ?", (a["owner_id"],)).fetchone()[0]}
        view["contacts"] = self.rows("SELECT name, email, title, is_primary FROM contacts WHERE account_id = ? "
                                     "ORDER BY id", a["id"])
        view["opportunities"] = self.rows("SELECT id, name, stage, amount, close_date FROM opportunities WHERE "
                                          "account_id = ? ORDER BY id", a["id"])
        return view

    @tool("read")
    def search_accounts(self, industry: str | None = None, region: str | None = None,
                        owner: str | None = None) -> list[dict]:
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
        return self.rows("SELECT a.name, a.industry, a.region, o.name AS owner FROM accounts a JOIN owners o ON "
                         f"o.id = a.owner_id WHERE {' AND '.join(where)} ORDER BY a.name", *args)

    @tool("read")
    def find_contacts(self, name: str) -> list[dict]:
        """Contacts whose name contains the given text, with their account.

        Args:
            name: Part of the contact's name.
        """
        return self.rows("SELECT c.name, c.email, c.title, c.is_primary, a.name AS account FROM contacts c JOIN "
                         "accounts a ON a.id = c.account_id WHERE lower(c.name) LIKE ? ORDER BY c.name",
                         f"%{name.strip().lower()}%")

    @tool("read")
    def search_opportunities(self, stage: str | None = None, owner: str | None = None, account: str | None = None,
                             industry: str | None = None, region: str | None = None, open_only: bool = False,
                             close_from: str | None = None, close_to: str | None = None) -> list[dict]:
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
        return self.rows("SELECT p.id, p.name, a.name AS account, a.region, p.stage, p.amount, p.close_date, "
                         "o.name AS owner FROM opportunities p JOIN accounts a ON a.id = p.account_id JOIN owners o "
                         f"ON o.id = p.owner_id WHERE {' AND '.join(where)} ORDER BY p.id", *args)

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
        return self.rows("SELECT from_stage, to_stage, day FROM stage_history WHERE opportunity_id = ? ORDER BY "
                         "day, id", opportunity_id)

    @tool("read")
    def list_activities(self, owner: str | None = None, opportunity_id: int | None = None,
                        since: str | None = None) -> list[dict]:
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
        return self.rows("SELECT v.opportunity_id, v.kind, v.day, c.name AS contact, o.name AS owner FROM activities "
                         "v JOIN contacts c ON c.id = v.contact_id JOIN owners o ON o.id = v.owner_id WHERE "
                         f"{' AND '.join(where)} ORDER BY v.day, v.id", *args)

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
        self.db.execute("INSERT INTO stage_history (opportunity_id, from_stage, to_stage, day) VALUES (?, ?, ?, ?)",
                        (opp["id"], opp["stage"], stage, TODAY))
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
        row = self.db.execute("SELECT id FROM contacts WHERE account_id = ? AND lower(name) = lower(?)",
                              (opp["account_id"], contact.strip())).fetchone()
        if row is None:
            raise ValueError(f"{contact!r} is not a contact of this opportunity's account; see get_account")
        self.db.execute("INSERT INTO activities (opportunity_id, contact_id, owner_id, kind, day, note) VALUES "
                        "(?, ?, ?, ?, ?, ?)", (opportunity_id, row[0], opp["owner_id"], kind.strip().lower(), TODAY,
                                               note.strip()))
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
            raise ValueError("policy: the owner must work in the account's region"
                             + (f" and be senior for deals of {BIG_DEAL:,} or more"
                                if "senior_big_deals" in self.variant.rules else ""))
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
    def create_opportunity(self, account: str, name: str, amount: float, close_date: str,
                           owner: str | None = None) -> dict:
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
        cur = self.db.execute("INSERT INTO opportunities (account_id, name, owner_id, stage, amount, close_date, "
                              "created) VALUES (?, ?, ?, 'prospecting', ?, ?, ?)",
                              (acc["id"], name.strip(), owner_id, round(amount, 2), day, TODAY))
        return self._opp_view(cur.lastrowid)

    # ---- proposer helpers ---------------------------------------------------------------------------

    def _owner_names(self) -> list[str]:
        return [r["name"] for r in self.rows("SELECT name FROM owners ORDER BY name")]

    def _open_opps(self, where: str = "1", *args) -> list[dict]:
        return self.rows("SELECT * FROM opportunities WHERE stage IN ('prospecting', 'qualification', 'proposal', "
                         f"'negotiation') AND {where} ORDER BY id", *args)

    @staticmethod
    def _future(rng: random.Random) -> str:
        return _day(rng.randint(10, 150))

    def _change(self, **spec) -> Program:
        base = {"stages": {}, "owners": {}, "dates": {}, "activities": {}, "new": [], "lost": [], "cap": None}
        return Program.of(verify_crm, **(base | spec))

    # ---- proposers ----------------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_opp_stage(self, rng: random.Random) -> TaskDraft | None:
        opp = rng.choice(self.rows("SELECT id, stage FROM opportunities ORDER BY id"))
        return TaskDraft(
            shape="opp_stage",
            instruction=self.render("opp_stage", rng, opp=opp["id"]),
            solution=Program.of(solve_opp_stage, opp=opp["id"]),
            verifier=Program.of(verify_names, expected=[opp["stage"]], candidates=STAGES),
            tools=("get_opportunity", "search_opportunities"),
        )

    @proposer(difficulty=1)
    def propose_account_owner(self, rng: random.Random) -> TaskDraft | None:
        acc = rng.choice(self.rows("SELECT a.name, o.name AS owner FROM accounts a JOIN owners o ON o.id = a.owner_id "
                                   "ORDER BY a.id"))
        return TaskDraft(
            shape="account_owner",
            instruction=self.render("account_owner", rng, account=acc["name"]),
            solution=Program.of(solve_account_owner, account=acc["name"]),
            verifier=Program.of(verify_names, expected=[acc["owner"]], candidates=self._owner_names()),
            tools=("get_account", "search_accounts"),
        )

    @proposer(difficulty=1)
    def propose_stage_entered(self, rng: random.Random) -> TaskDraft | None:
        if not self.has_tool("get_stage_history"):
            return None
        opp = rng.choice(self.rows("SELECT p.id, MAX(h.day) AS day FROM opportunities p JOIN stage_history h ON "
                                   "h.opportunity_id = p.id GROUP BY p.id ORDER BY p.id"))
        return TaskDraft(
            shape="stage_entered",
            instruction=self.render("stage_entered", rng, opp=opp["id"]),
            solution=Program.of(solve_stage_entered, opp=opp["id"]),
            verifier=Program.of(verify_dates, expected=[opp["day"]]),
            tools=("get_stage_history", "get_opportunity"),
        )

    @proposer(difficulty=2, attempts=3)
    def propose_open_pipeline(self, rng: random.Random) -> TaskDraft | None:
        owner = rng.choice(self.rows("SELECT id, name FROM owners ORDER BY id"))
        stage = rng.choice(OPEN_STAGES)
        stages = OPEN_STAGES[OPEN_STAGES.index(stage):]
        total = sum(o["amount"] for o in self._open_opps("owner_id = ?", owner["id"]) if o["stage"] in stages)
        if not total:
            return None
        return TaskDraft(
            shape="open_pipeline",
            instruction=self.render("open_pipeline", rng, owner=owner["name"], stage=stage),
            solution=Program.of(solve_open_pipeline, owner=owner["name"], stage=stage),
            verifier=Program.of(verify_number, expected=round(total, 2)),
            tools=("search_opportunities", "list_owners", "get_opportunity"),
        )

    @proposer(difficulty=2, attempts=3)
    def propose_top_attainment(self, rng: random.Random) -> TaskDraft | None:
        region = rng.choice(REGIONS)
        owners = self.rows("SELECT id, name, quota FROM owners WHERE region = ? ORDER BY id", region)
        ranked = sorted((self._won_quarter(o["id"]) / o["quota"], o["name"]) for o in owners)
        if len(ranked) < 2 or ranked[-1][0] - ranked[-2][0] < 1e-6 or ranked[-1][0] == 0:
            return None
        return TaskDraft(
            shape="top_attainment",
            instruction=self.render("top_attainment", rng, region=region),
            solution=Program.of(solve_top_attainment, region=region),
            verifier=Program.of(verify_names, expected=[ranked[-1][1]], candidates=self._owner_names()),
            tools=("list_owners", "search_opportunities"),
        )

    @proposer(difficulty=2, attempts=4)
    def propose_stale_deals(self, rng: random.Random) -> TaskDraft | None:
        owner = rng.choice(self.rows("SELECT id, name FROM owners ORDER BY id"))
        since = _day(-rng.choice([7, 10, 14, 21, 30, 45, 60]))
        stale = [o["id"] for o in self._open_opps("owner_id = ?", owner["id"]) if not self.db.execute(
            "SELECT 1 FROM activities WHERE opportunity_id = ? AND day >= ?", (o["id"], since)).fetchone()]
        if not 1 <= len(stale) <= 8:
            return None
        return TaskDraft(
            shape="stale_deals",
            instruction=self.render("stale_deals", rng, owner=owner["name"], since=since),
            solution=Program.of(solve_stale_deals, owner=owner["name"], since=since),
            verifier=Program.of(verify_numbers, expected=stale),
            tools=("search_opportunities", "list_activities", "get_opportunity"),
        )

    @proposer(difficulty=2, attempts=3)
    def propose_industry_won(self, rng: random.Random) -> TaskDraft | None:
        industry = rng.choice(INDUSTRIES)
        start = _day(-rng.randint(60, 200))
        end = _day(-rng.randint(0, 50))
        total = self.db.execute("SELECT COALESCE(SUM(p.amount), 0) FROM opportunities p JOIN accounts a ON "
                                "a.id = p.account_id WHERE a.industry = ? AND p.stage = 'won' AND p.close_date "
                                "BETWEEN ? AND ?", (industry, start, end)).fetchone()[0]
        if not total:
            return None
        return TaskDraft(
            shape="industry_won",
            instruction=self.render("industry_won", rng, industry=industry, start=start, end=end),
            solution=Program.of(solve_industry_won, industry=industry, start=start, end=end),
            verifier=Program.of(verify_number, expected=round(total, 2)),
            tools=("search_opportunities", "search_accounts"),
        )

    @proposer(difficulty=3, attempts=3)
    def propose_advance_deal(self, rng: random.Random) -> TaskDraft | None:
        opp = rng.choice(self._open_opps())
        nxt = STAGES[STAGES.index(opp["stage"]) + 1]
        activities = {}
        if self._blocker(opp, nxt):
            kinds = ["demo"] if nxt == "won" else ["meeting", "demo"]
            activities = {str(opp["id"]): {"kinds": kinds, "contacts": [self._primary(opp["account_id"])]}}
        return TaskDraft(
            shape="advance_deal",
            instruction=self.render("advance_deal", rng, opp=opp["id"]),
            solution=Program.of(solve_advance_deal, opp=opp["id"], **self._rules()),
            verifier=self._change(stages={str(opp["id"]): nxt}, activities=activities),
            tools=("get_opportunity", "get_account", "log_activity", "advance_stage"),
        )

    @proposer(difficulty=3, attempts=4)
    def propose_reassign_lightest(self, rng: random.Random) -> TaskDraft | None:
        opp = rng.choice(self._open_opps())
        load = self._open_load()
        ranked = sorted((load[o], o) for o in self._eligible(opp) if o != opp["owner_id"])
        if not ranked or (len(ranked) > 1 and ranked[0][0] == ranked[1][0]):
            return None
        return TaskDraft(
            shape="reassign_lightest",
            instruction=self.render("reassign_lightest", rng, opp=opp["id"]),
            solution=Program.of(solve_reassign_lightest, opp=opp["id"], **self._rules()),
            verifier=self._change(owners={str(opp["id"]): [ranked[0][1]]}),
            tools=("get_opportunity", "list_owners", "reassign_opportunity"),
        )

    @proposer(difficulty=3, attempts=4)
    def propose_push_overdue(self, rng: random.Random) -> TaskDraft | None:
        owner = rng.choice(self.rows("SELECT id, name FROM owners ORDER BY id"))
        late = self._open_opps("owner_id = ? AND close_date < ?", owner["id"], TODAY)
        if not 2 <= len(late) <= 6:
            return None
        date = self._future(rng)
        return TaskDraft(
            shape="push_overdue",
            instruction=self.render("push_overdue", rng, owner=owner["name"], date=date),
            solution=Program.of(solve_push_overdue, owner=owner["name"], date=date),
            verifier=self._change(dates={str(o["id"]): date for o in late}),
            tools=("search_opportunities", "get_opportunity", "update_close_date"),
        )

    @proposer(difficulty=4, attempts=6)
    def propose_rebalance_owner(self, rng: random.Random) -> TaskDraft | None:
        owner = rng.choice(self.rows("SELECT id, name FROM owners ORDER BY id"))
        stage = rng.choice(OPEN_STAGES)
        opps = self._open_opps("owner_id = ? AND stage = ?", owner["id"], stage)
        if not 4 <= len(opps) <= 8:
            return None
        load = self._open_load()
        eligible = {str(o["id"]): [e for e in self._eligible(o) if e != owner["id"]] for o in opps}
        others = {e for ids in eligible.values() for e in ids}
        if not others:
            return None
        if any(not ids for ids in eligible.values()):
            return None
        cap = max(load[e] for e in others) + rng.choice([0, 1])
        while not self._fits(opps, eligible, load, cap):
            cap += 1
        return TaskDraft(
            shape="rebalance_owner",
            instruction=self.render("rebalance_owner", rng, owner=owner["name"], stage=stage, cap=cap),
            solution=Program.of(solve_rebalance_owner, owner=owner["name"], stage=stage, cap=cap, **self._rules()),
            verifier=self._change(owners=eligible, cap=cap),
            tools=("search_opportunities", "get_opportunity", "list_owners", "reassign_opportunity"),
        )

    @staticmethod
    def _fits(opps: list[dict], eligible: dict, load: dict, cap: int) -> bool:
        """Whether a greedy placement (most constrained first, emptiest owner) keeps every owner within `cap`."""
        spare = {e: cap - load[e] for ids in eligible.values() for e in ids}
        for o in sorted(opps, key=lambda o: len(eligible[str(o["id"])])):
            options = [e for e in eligible[str(o["id"])] if spare[e] > 0]
            if not options:
                return False
            spare[max(options, key=lambda e: spare[e])] -= 1
        return True

    @proposer(difficulty=4, attempts=8)
    def propose_quarter_close(self, rng: random.Random) -> TaskDraft | None:
        owner = rng.choice(self.rows("SELECT id, name FROM owners ORDER BY id"))
        cutoff = _day(rng.randint(5, 60))
        opps = self._open_opps("owner_id = ? AND close_date <= ? AND stage IN ('proposal', 'negotiation')",
                               owner["id"], cutoff)
        negotiating = sum(o["stage"] == "negotiation" for o in opps)
        if not 3 <= len(opps) <= 7 or len(opps) + negotiating < 5:  # at least six calls
            return None
        new_date = _day(rng.randint(61, 150))
        stages, dates = {}, {}
        for o in opps:
            if o["stage"] == "negotiation" and not self._blocker(o, "won"):
                stages[str(o["id"])] = "won"
            else:
                dates[str(o["id"])] = new_date
        spec = {"owner": owner["name"], "cutoff": cutoff, "new_date": new_date}
        return TaskDraft(
            shape="quarter_close",
            instruction=self.render("quarter_close", rng, **spec),
            solution=Program.of(solve_quarter_close, **spec, **self._rules()),
            verifier=self._change(stages=stages, dates=dates),
            tools=("search_opportunities", "get_opportunity", "list_activities", "advance_stage",
                   "update_close_date"),
        )

    @proposer(difficulty=5, attempts=10)
    def propose_account_review(self, rng: random.Random) -> TaskDraft | None:
        acc = rng.choice(self.rows("SELECT * FROM accounts a WHERE EXISTS (SELECT 1 FROM opportunities p WHERE "
                                   "p.account_id = a.id AND p.stage = 'won') ORDER BY id"))
        opps = self._open_opps("account_id = ?", acc["id"])
        won = self.db.execute("SELECT COALESCE(SUM(amount), 0) FROM opportunities WHERE account_id = ? AND "
                              "stage = 'won'", (acc["id"],)).fetchone()[0]
        if not opps or not won:
            return None
        threshold = float(rng.choice([5000, 10000, 20000, 30000, 50000]))
        lost = [o for o in opps if o["close_date"] < TODAY]
        moves = [o for o in opps if o not in lost and o["amount"] >= threshold and o["stage"] != "negotiation"]
        if not moves or len(lost) + len(moves) > 7 or len(lost) + 2 * len(moves) < 4:  # at least six calls
            return None
        primary = self._primary(acc["id"])
        amount = float(round(won * 0.1))
        owners = [acc["owner_id"]] if acc["owner_id"] in self._eligible({"account_id": acc["id"], "amount": amount}) \
            else None
        if owners is None:  # the fallback owner's load would depend on the order of the write steps
            return None
        product = rng.choice(["renewal", "expansion", "upsell", "follow-on"])
        new_name = f"{acc['name']} - 2026 {product}"
        close = self._future(rng)
        spec = {"account": acc["name"], "threshold": threshold, "new_name": new_name, "close": close}
        return TaskDraft(
            shape="account_review",
            instruction=self.render("account_review", rng, **spec | {"threshold": f"{threshold:,.0f}"}),
            solution=Program.of(solve_account_review, **spec, **self._rules()),
            verifier=self._change(
                stages={str(o["id"]): "lost" for o in lost} | {
                    str(o["id"]): STAGES[STAGES.index(o["stage"]) + 1] for o in moves},
                activities={str(o["id"]): {"kinds": ["meeting"], "contacts": [primary]} for o in moves},
                lost=[o["id"] for o in lost],
                new=[{"account_id": acc["id"], "name": new_name, "amount": amount, "close_date": close,
                      "owners": owners}]),
            tools=("get_account", "search_opportunities", "get_opportunity", "list_owners", "mark_lost",
                   "log_activity", "advance_stage", "create_opportunity"),
        )

    @proposer(difficulty=5, attempts=5)
    def propose_quota_push(self, rng: random.Random) -> TaskDraft | None:
        owner = rng.choice(self.rows("SELECT * FROM owners ORDER BY id"))
        opps = sorted(self._open_opps("owner_id = ? AND stage = 'negotiation'", owner["id"]),
                      key=lambda o: (-o["amount"], o["id"]))
        amounts = [o["amount"] for o in opps]
        won = self._won_quarter(owner["id"])
        if len(opps) < 3 or won >= owner["quota"] or len(set(amounts)) != len(amounts):
            return None
        stages, dates = {}, {}
        new_date = self._future(rng)
        for o in opps:
            if won < owner["quota"] and not self._blocker(o, "won"):
                stages[str(o["id"])] = "won"
                won += o["amount"]
            else:
                dates[str(o["id"])] = new_date
        if not stages or not dates:
            return None
        return TaskDraft(
            shape="quota_push",
            instruction=self.render("quota_push", rng, owner=owner["name"], new_date=new_date),
            solution=Program.of(solve_quota_push, owner=owner["name"], new_date=new_date, **self._rules()),
            verifier=self._change(stages=stages, dates=dates),
            tools=("list_owners", "search_opportunities", "get_opportunity", "advance_stage", "update_close_date"),
        )


# ---- solutions: tools and computation only --------------------------------------------------------

def solve_opp_stage(tools, params):
    return tools.get_opportunity(opportunity_id=params["opp"])["stage"]


def solve_account_owner(tools, params):
    return tools.get_account(name=params["account"])["owner"]


def solve_stage_entered(tools, params):
    return tools.get_stage_history(opportunity_id=params["opp"])[-1]["day"]


def solve_open_pipeline(tools, params):
    order = ["prospecting", "qualification", "proposal", "negotiation"]
    opps = tools.search_opportunities(owner=params["owner"], open_only=True)
    total = sum(o["amount"] for o in opps if order.index(o["stage"]) >= order.index(params["stage"]))
    return f"{total:.2f}"


def solve_top_attainment(tools, params):
    owners = [o for o in tools.list_owners() if o["region"] == params["region"]]
    won = tools.search_opportunities(stage="won", close_from="2026-01-01", close_to="2026-03-31")
    score = {o["name"]: sum(w["amount"] for w in won if w["owner"] == o["name"]) / o["quota"] for o in owners}
    return max(score, key=score.get)


def solve_stale_deals(tools, params):
    recent = {a["opportunity_id"] for a in tools.list_activities(owner=params["owner"], since=params["since"])}
    opps = tools.search_opportunities(owner=params["owner"], open_only=True)
    return ", ".join(str(o["id"]) for o in opps if o["id"] not in recent)


def solve_industry_won(tools, params):
    won = tools.search_opportunities(stage="won", industry=params["industry"], close_from=params["start"],
                                     close_to=params["end"])
    return f"{sum(o['amount'] for o in won):.2f}"


def solve_advance_deal(tools, params):
    order = ["prospecting", "qualification", "proposal", "negotiation", "won"]
    opp = tools.get_opportunity(opportunity_id=params["opp"])
    nxt = order[order.index(opp["stage"]) + 1]
    kinds = {a["kind"] for a in opp["activities"]}
    need = None
    if nxt in ("proposal", "negotiation") and not kinds & {"meeting", "demo"}:
        need = "meeting"
    if nxt == "won" and params["demo_before_won"] and "demo" not in kinds:
        need = "demo"
    if need:
        account = tools.get_account(name=opp["account"])
        primary = next(c["name"] for c in account["contacts"] if c["is_primary"])
        tools.log_activity(opportunity_id=params["opp"], kind=need, contact=primary, note="required before advancing")
    tools.advance_stage(opportunity_id=params["opp"])
    return f"Opportunity {params['opp']} is now in {nxt}"


def solve_reassign_lightest(tools, params):
    opp = tools.get_opportunity(opportunity_id=params["opp"])
    owners = [o for o in tools.list_owners() if o["region"] == opp["region"] and o["name"] != opp["owner"]
              and (o["seniority"] == "senior" or not (params["senior_big_deals"] and opp["amount"] >= 100000))]
    best = min(owners, key=lambda o: o["open_opportunities"])
    tools.reassign_opportunity(opportunity_id=params["opp"], owner=best["name"])
    return f"Reassigned to {best['name']}"


def solve_push_overdue(tools, params):
    opps = tools.search_opportunities(owner=params["owner"], open_only=True, close_to="2026-03-15")
    for o in opps:
        tools.update_close_date(opportunity_id=o["id"], close_date=params["date"])
    return f"Moved {len(opps)} opportunities to {params['date']}"


def solve_rebalance_owner(tools, params):
    opps = tools.search_opportunities(owner=params["owner"], stage=params["stage"])
    owners = [o for o in tools.list_owners() if o["name"] != params["owner"]]
    spare = {o["name"]: params["cap"] - o["open_opportunities"] for o in owners}

    def allowed(opp):
        return [o["name"] for o in owners if o["region"] == opp["region"]
                and (o["seniority"] == "senior" or not (params["senior_big_deals"] and opp["amount"] >= 100000))]

    for opp in sorted(opps, key=lambda o: len(allowed(o))):
        name = max((n for n in allowed(opp) if spare[n] > 0), key=lambda n: spare[n])
        tools.reassign_opportunity(opportunity_id=opp["id"], owner=name)
        spare[name] -= 1
    return f"Reassigned {len(opps)} opportunities"


def solve_quarter_close(tools, params):
    opps = tools.search_opportunities(owner=params["owner"], open_only=True, close_to=params["cutoff"])
    for o in opps:
        if o["stage"] not in ("proposal", "negotiation"):
            continue
        if o["stage"] == "negotiation":
            kinds = {a["kind"] for a in tools.get_opportunity(opportunity_id=o["id"])["activities"]}
            if "demo" in kinds or not params["demo_before_won"]:
                tools.advance_stage(opportunity_id=o["id"])
                continue
        tools.update_close_date(opportunity_id=o["id"], close_date=params["new_date"])
    return "Quarter-end review done"


def solve_account_review(tools, params):
    order = ["prospecting", "qualification", "proposal", "negotiation"]
    account = tools.get_account(name=params["account"])
    primary = next(c["name"] for c in account["contacts"] if c["is_primary"])
    won = 0.0
    for o in account["opportunities"]:
        if o["stage"] == "won":
            won += o["amount"]
        elif o["stage"] in order and o["close_date"] < "2026-03-16":
            tools.mark_lost(opportunity_id=o["id"], reason="stale")
        elif o["stage"] in order[:3] and o["amount"] >= params["threshold"]:
            tools.log_activity(opportunity_id=o["id"], kind="meeting", contact=primary, note="account review")
            tools.advance_stage(opportunity_id=o["id"])
    amount = float(round(won * 0.1))
    owner = account["owner"]
    if params["senior_big_deals"] and amount >= 100000:
        owners = tools.list_owners()
        if not any(o["name"] == owner and o["seniority"] == "senior" for o in owners):
            seniors = [o for o in owners if o["region"] == account["region"] and o["seniority"] == "senior"]
            owner = min(seniors, key=lambda o: o["open_opportunities"])["name"]
    tools.create_opportunity(account=params["account"], name=params["new_name"], amount=amount,
                             close_date=params["close"], owner=owner)
    return f"Created {params['new_name']} for {amount:.0f}"


def solve_quota_push(tools, params):
    me = next(o for o in tools.list_owners() if o["name"] == params["owner"])
    won = sum(o["amount"] for o in tools.search_opportunities(owner=params["owner"], stage="won",
                                                              close_from="2026-01-01", close_to="2026-03-31"))
    opps = tools.search_opportunities(owner=params["owner"], stage="negotiation")
    for o in sorted(opps, key=lambda o: -o["amount"]):
        if won < me["quota"]:
            kinds = {a["kind"] for a in tools.get_opportunity(opportunity_id=o["id"])["activities"]}
            if "demo" in kinds or not params["demo_before_won"]:
                tools.advance_stage(opportunity_id=o["id"])
                won += o["amount"]
                continue
        tools.update_close_date(opportunity_id=o["id"], close_date=params["new_date"])
    return f"Won total now {won:.2f}"


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_numbers(outcome, params):
    from verifiers.answers import only_numbers

    ok = only_numbers(outcome.answer, params["expected"])
    return ok, [] if ok else [f"expected exactly the numbers {params['expected']}, got {outcome.answer!r}"]


def verify_dates(outcome, params):
    from verifiers.answers import only_dates

    ok = only_dates(outcome.answer, params["expected"])
    return ok, [] if ok else [f"expected the date {params['expected']}, got {outcome.answer!r}"]


def verify_crm(outcome, params):
    """Opportunity stages, owners (any allowed one) and close dates, new activities and new opportunities are
    exactly as required, an owner cap (if any) holds, and nothing else changed."""
    from verifiers.state import diff_table, unchanged

    reasons = []
    stages, owners, dates = params["stages"], params["owners"], params["dates"]
    touched = set(stages) | set(owners) | set(dates)
    before = {str(o["id"]): o for o in outcome.initial_rows("SELECT * FROM opportunities")}
    after = {str(o["id"]): o for o in outcome.rows("SELECT * FROM opportunities")}
    new = [o for k, o in after.items() if k not in before]
    if set(before) - set(after):
        reasons.append("opportunities were deleted")
    for key, old in before.items():
        cur = after.get(key)
        if cur is None:
            continue
        if key not in touched:
            if cur != old:
                reasons.append(f"opportunity {key} changed but should not")
            continue
        if (cur["name"], cur["account_id"], cur["amount"]) != (old["name"], old["account_id"], old["amount"]):
            reasons.append(f"opportunity {key} changed name, account or amount")
        if cur["stage"] != stages.get(key, old["stage"]):
            reasons.append(f"opportunity {key} is {cur['stage']}, expected {stages.get(key, old['stage'])}")
        if cur["owner_id"] not in owners.get(key, [old["owner_id"]]):
            reasons.append(f"opportunity {key} is owned by {cur['owner_id']}, allowed {owners.get(key)}")
        want = dates.get(key) or (params.get("today", "2026-03-16") if stages.get(key) == "won"
                                  else old["close_date"])
        if cur["close_date"] != want:
            reasons.append(f"opportunity {key} closes {cur['close_date']}, expected {want}")
        if int(key) in params["lost"] and not (cur["lost_reason"] or "").strip():
            reasons.append(f"opportunity {key} was lost without a reason")
        elif int(key) not in params["lost"] and cur["lost_reason"] != old["lost_reason"]:
            reasons.append(f"opportunity {key} got a loss reason")
    wanted = list(params["new"])
    for o in new:
        match = next((w for w in wanted if w["account_id"] == o["account_id"] and
                      w["name"].strip().lower() == (o["name"] or "").strip().lower() and
                      abs(w["amount"] - o["amount"]) < 0.01 and w["close_date"] == o["close_date"] and
                      o["owner_id"] in w["owners"] and o["stage"] == "prospecting"), None)
        if match is None:
            reasons.append(f"unexpected or wrong new opportunity {o['name']!r}")
        else:
            wanted.remove(match)
    if wanted:
        reasons.append(f"missing new opportunities {[w['name'] for w in wanted]}")
    added, removed, changed = diff_table(outcome.initial, outcome.db, "activities")
    if removed or changed:
        reasons.append("existing activities were changed")
    for key, need in params["activities"].items():
        if not any(str(a["opportunity_id"]) == key and a["kind"] in need["kinds"] and a["contact_id"] in
                   need["contacts"] for a in added):
            reasons.append(f"opportunity {key} needs a {'/'.join(need['kinds'])} with its primary contact")
    if any(str(a["opportunity_id"]) not in params["activities"] for a in added):
        reasons.append("activities were logged on other opportunities")
    h_added, h_removed, h_changed = diff_table(outcome.initial, outcome.db, "stage_history")
    moved = {k for k in before if k in after and after[k]["stage"] != before[k]["stage"]}
    if h_removed or h_changed or {str(h["opportunity_id"]) for h in h_added} - moved - {str(o["id"]) for o in new}:
        reasons.append("stage history changed beyond the stage moves")
    if params["cap"] is not None:
        def load(rows):
            counts = {}
            for o in rows:
                if o["stage"] in ("prospecting", "qualification", "proposal", "negotiation"):
                    counts[o["owner_id"]] = counts.get(o["owner_id"], 0) + 1
            return counts
        start, end = load(before.values()), load(after.values())
        over = [w for w, n in end.items() if n > params["cap"] and n > start.get(w, 0)]
        if over:
            reasons.append(f"owners {over} now hold more than {params['cap']} open opportunities")
    reasons += [f"{t} changed" for t in unchanged(outcome.initial, outcome.db, ["owners", "accounts", "contacts"])]
    return not reasons, reasons
