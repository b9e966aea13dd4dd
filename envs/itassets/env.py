"""IT asset desk: employees, devices with specs and warranties, assignments, software licences, repair tickets."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool

TODAY = "2026-03-16"
REFRESH_YEARS = {"laptop": 4, "phone": 3, "monitor": 6}
KINDS = list(REFRESH_YEARS)
ENGINEERING_RAM = 32
LOCATIONS = ["Harbour Office", "Northgate", "Riverside", "Hilltop"]
DEPARTMENTS = ["Engineering", "Finance", "Sales", "Design", "Support", "Operations"]
MODELS = {"laptop": [("Vireo 14", 16, 512), ("Vireo 16 Pro", 32, 1024), ("Kestrel Book 13", 8, 256),
                     ("Kestrel Book 15", 16, 512), ("Tern X1", 32, 512), ("Tern X1 Max", 64, 2048)],
          "phone": [("Pebble 7", 6, 128), ("Pebble 8", 8, 256), ("Lumo S", 8, 128)],
          "monitor": [("ClearView 24", 0, 0), ("ClearView 27", 0, 0), ("Panora 32", 0, 0)]}
PRODUCTS = [("DraftBoard", 12.0), ("CodeForge IDE", 25.0), ("LedgerLite", 18.0), ("PixelMill", 30.0),
            ("ChatHarbor", 6.0), ("VaultKeep", 4.5), ("SheetStream", 9.0), ("PlanGrid Pro", 15.0)]
ISSUES = ["cracked screen", "battery swelling", "keyboard fault", "won't power on", "dead pixels", "overheating",
          "charging port loose"]
FIRST = ["Aurelio", "Bryony", "Cassius", "Dulcie", "Eamon", "Fern", "Gulliver", "Hestia", "Ignatius", "Juniper",
         "Kasimir", "Leonie", "Magnus", "Nerys", "Oberon", "Pomona", "Rafferty", "Seraphine", "Tobiah", "Ursa",
         "Valentin", "Wilhelmina", "Xenia", "Yestin", "Zinnia"]
LAST = ["Abernethy", "Blackwood", "Carraway", "Drummond", "Eastleigh", "Fothergill", "Grimsditch", "Hollingworth",
        "Ingleby", "Jellicoe", "Knatchbull", "Lumley", "Mortlock", "Nettleship", "Oddfellow", "Pocklington",
        "Quarterman", "Ravenscroft", "Sillitoe", "Tregothnan"]

SCHEMA = """
CREATE TABLE employees (id INTEGER PRIMARY KEY, name TEXT UNIQUE, email TEXT UNIQUE, department TEXT,
    location TEXT, started TEXT, status TEXT);
CREATE TABLE devices (id INTEGER PRIMARY KEY, asset_tag TEXT UNIQUE, kind TEXT, model TEXT, ram_gb INTEGER,
    storage_gb INTEGER, location TEXT, purchase_date TEXT, warranty_end TEXT, status TEXT);
CREATE TABLE assignments (id INTEGER PRIMARY KEY, device_id INTEGER REFERENCES devices(id),
    employee_id INTEGER REFERENCES employees(id), start TEXT, end TEXT);
CREATE TABLE licences (id INTEGER PRIMARY KEY, product TEXT UNIQUE, seats INTEGER, monthly_cost REAL,
    renewal_date TEXT);
CREATE TABLE seats (id INTEGER PRIMARY KEY, licence_id INTEGER REFERENCES licences(id),
    employee_id INTEGER REFERENCES employees(id), granted TEXT, UNIQUE (licence_id, employee_id));
CREATE TABLE tickets (id INTEGER PRIMARY KEY, device_id INTEGER REFERENCES devices(id), opened TEXT, issue TEXT,
    status TEXT, cost REAL, closed TEXT);
"""


def _day(offset: int) -> str:
    return (dt.date.fromisoformat(TODAY) + dt.timedelta(days=offset)).isoformat()


def _due_cutoff(kind: str) -> str:
    """A device of `kind` purchased on or before this date is due for refresh."""
    return f"{2026 - REFRESH_YEARS[kind]}{TODAY[4:]}"


class ItAssetsEnv(EnvTemplate):
    name = "itassets"
    version = "1.0.0"
    category = "IT asset management"
    description = ("A company's IT asset desk: employees by department and location, laptops, phones and monitors "
                   "with specs, purchase dates and warranties, who holds which device, software licences with a "
                   "fixed number of seats, and repair tickets.")
    policy = (
        f"Today is {TODAY}. A device is due for refresh once at least {REFRESH_YEARS['laptop']} years (laptops), "
        f"{REFRESH_YEARS['phone']} years (phones) or {REFRESH_YEARS['monitor']} years (monitors) have passed since "
        "its purchase date (on the anniversary it is due). Only in-stock devices without an open repair ticket "
        "can be assigned, and only to active employees; an employee holds at most one device of each kind. "
        f"Engineering employees' laptops must have at least {ENGINEERING_RAM} GB of RAM. A returned device goes "
        "back to stock. Only in-stock devices without an open ticket can be retired. A licence never has more "
        "seats in use than it owns, and seats go only to active employees. An employee can be marked as a leaver "
        "only once they hold no devices and no licence seats. A repair ticket on a device under warranty (on the "
        "day it was opened) is closed at cost 0; otherwise its cost must be positive. Change only what was asked.")
    variants = VariantSpace(
        optional_tools=("list_tickets", "list_seat_holders"),
        renames={"search_devices": ("find_devices",), "assign_device": ("issue_device",),
                 "get_employee": ("employee_profile", "lookup_employee")},
        rules={"same_location": "Devices may only be assigned to employees at the device's location.",
               "no_aged_assign": "Devices that are due for refresh may not be assigned to anyone."},
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "device_holder": [
            "Who currently holds device {{tag}}?",
            "Which employee is asset {{tag}} assigned to right now?",
        ],
        "warranty_end": [
            "When does the warranty of device {{tag}} end? Give the date as YYYY-MM-DD.",
            "What is the warranty end date (ISO format) of asset {{tag}}?",
        ],
        "free_seats": [
            "How many unused seats does our {{product}} licence have?",
            "How many more people could we give {{product}} to right now without buying seats?",
        ],
        "due_refresh_count": [
            "How many {{kind}}s currently assigned to employees at {{location}} are due for refresh?",
            "Count the in-use {{kind}}s at {{location}} that have reached their refresh age.",
        ],
        "dept_licence_cost": [
            "What is the total monthly licence cost of the seats held by active {{department}} employees?",
            "Add up the monthly cost of every licence seat held by the active members of {{department}}.",
        ],
        "repair_spend": [
            "How much have we spent in total on closed repair tickets for {{model}} devices?",
            "What is the total cost of all closed repair tickets on devices of model {{model}}?",
        ],
        "assign_newest": [
            "Give {{name}} ({{email}}) a {{kind}}: of the devices the policy lets them have, pick the most recently "
            "purchased one.",
            "{{email}} needs a {{kind}}. Assign them the newest eligible {{kind}} we have in stock.",
        ],
        "retire_stock": [
            "Retire every in-stock {{kind}} at {{location}} that is due for refresh, except any with an open repair "
            "ticket.",
            "Clear out the aged {{kind}}s sitting in stock at {{location}}: retire each one that is due for refresh "
            "(leave those with open tickets alone).",
        ],
        "grant_team": [
            "Every active {{department}} employee at {{location}} should have {{product}}. Grant it to those who "
            "do not have it yet.",
            "Make sure all active {{department}} staff based at {{location}} hold a {{product}} seat.",
        ],
        "offboard": [
            "{{email}} is leaving. Take back every device they hold (retire any returned device that is due for "
            "refresh and has no open ticket), release all their licence seats, and mark them as a leaver.",
            "Offboard {{name}} ({{email}}): return all their devices, retiring the returned ones that are due for "
            "refresh unless they have an open ticket, revoke every licence they hold, then record them as a leaver.",
        ],
        "reclaim": [
            "Release every {{product}} seat still held by leavers, then grant {{product}} to the active "
            "{{department}} employees who lack it, earliest start date first, for as long as seats remain.",
            "Reclaim {{product}} seats from people who have left, and hand free seats to active {{department}} "
            "staff without it in order of their start date (earliest first) until the seats run out.",
        ],
        "refresh_dept": [
            "Laptop refresh for {{department}}: every active member whose laptop is due for refresh returns it "
            "(retire it unless it has an open ticket) and gets an in-stock laptop the policy allows them to have "
            "instead.",
            "Run the {{department}} laptop refresh: swap each active employee's refresh-due laptop for an eligible "
            "one from stock, retiring the old laptop when it has no open ticket.",
        ],
        "kit_out": [
            "Equip the active {{department}} team at {{location}}: anyone without a laptop gets one the policy "
            "allows, and anyone without {{product}} gets a seat.",
            "Make sure each active {{department}} employee at {{location}} has a permitted laptop and a "
            "{{product}} seat, assigning and granting only what is missing.",
        ],
    }

    # ---- database ---------------------------------------------------------------------------------

    def build(self, rng: random.Random) -> None:
        self.db.executescript(SCHEMA)
        n_emp = {"small": 60, "medium": 100, "large": 150}[self.variant.scale]
        names = rng.sample([f"{f} {la}" for f in FIRST for la in LAST], n_emp)
        for eid, name in enumerate(names, 1):
            status = "leaver" if rng.random() < 0.08 else "active"
            self.db.execute("INSERT INTO employees VALUES (?, ?, ?, ?, ?, ?, ?)",
                            (eid, name, f"{name.lower().replace(' ', '.')}@corp.example", rng.choice(DEPARTMENTS),
                             rng.choice(LOCATIONS), _day(-rng.randint(30, 3000)), status))
        tags = iter(rng.sample(range(10000, 99999), 6 * n_emp))
        for e in self.rows("SELECT * FROM employees WHERE status = 'active' ORDER BY id"):
            for kind, share in (("laptop", 0.9), ("phone", 0.6), ("monitor", 0.5)):
                if rng.random() < share:
                    dev = self._seed_device(rng, kind, e["location"], next(tags), "in_use",
                                            engineer=e["department"] == "Engineering")
                    self.db.execute("INSERT INTO assignments (device_id, employee_id, start) VALUES (?, ?, ?)",
                                    (dev, e["id"], max(e["started"], self._purchase(dev))))
        for _ in range(n_emp // 2):
            self._seed_device(rng, rng.choices(KINDS, [3, 1, 1])[0], rng.choice(LOCATIONS), next(tags), "in_stock")
        for _ in range(n_emp // 10):
            self._seed_device(rng, rng.choice(KINDS), rng.choice(LOCATIONS), next(tags), "retired")
        active = [r["id"] for r in self.rows("SELECT id FROM employees WHERE status = 'active'")]
        leavers = [r["id"] for r in self.rows("SELECT id FROM employees WHERE status = 'leaver'")]
        for product, cost in PRODUCTS:
            holders = rng.sample(active, int(len(active) * rng.uniform(0.2, 0.6)))
            holders += rng.sample(leavers, min(len(leavers), rng.randint(0, 3)))
            cur = self.db.execute("INSERT INTO licences (product, seats, monthly_cost, renewal_date) VALUES "
                                  "(?, ?, ?, ?)", (product, len(holders) + rng.randint(0, 8), cost,
                                                   _day(rng.randint(20, 300))))
            for h in holders:
                self.db.execute("INSERT INTO seats (licence_id, employee_id, granted) VALUES (?, ?, ?)",
                                (cur.lastrowid, h, _day(-rng.randint(1, 700))))
        devices = self.rows("SELECT id, purchase_date, warranty_end FROM devices WHERE status != 'retired'")
        for dev in rng.sample(devices, len(devices) // 5):
            opened = max(dev["purchase_date"], _day(-rng.randint(1, 400)))
            closed = opened < _day(-20) or rng.random() < 0.4
            cost = 0.0 if opened <= dev["warranty_end"] else float(rng.randint(4, 60) * 5)
            self.db.execute("INSERT INTO tickets (device_id, opened, issue, status, cost, closed) VALUES "
                            "(?, ?, ?, ?, ?, ?)", (dev["id"], opened, rng.choice(ISSUES),
                                                   "closed" if closed else "open", cost if closed else None,
                                                   min(TODAY, _day((dt.date.fromisoformat(opened) -
                                                                    dt.date.fromisoformat(TODAY)).days + 9))
                                                   if closed else None))

    def _seed_device(self, rng, kind, location, tag, status, engineer=False) -> int:
        models = [m for m in MODELS[kind] if not (engineer and kind == "laptop" and m[1] < ENGINEERING_RAM)]
        model, ram, storage = rng.choice(models)
        bought = dt.date.fromisoformat(TODAY) - dt.timedelta(days=rng.randint(30, 365 * 6))
        bought = bought.replace(day=min(bought.day, 28))
        warranty = bought.replace(year=bought.year + rng.choice([1, 2, 3, 3, 4]))
        cur = self.db.execute("INSERT INTO devices (asset_tag, kind, model, ram_gb, storage_gb, location, "
                              "purchase_date, warranty_end, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                              (f"{kind[:2].upper()}-{tag}", kind, model, ram, storage, location, bought.isoformat(),
                               warranty.isoformat(), status))
        return cur.lastrowid

    def _purchase(self, device_id: int) -> str:
        return self.db.execute("SELECT purchase_date FROM devices WHERE id = ?", (device_id,)).fetchone()[0]

    # ---- policy helpers shared by tools and proposers ------------------------------------------------

    def _rules(self) -> dict:
        return {"same_location": "same_location" in self.variant.rules,
                "no_aged_assign": "no_aged_assign" in self.variant.rules}

    @staticmethod
    def _is_due(device: dict) -> bool:
        return device["purchase_date"] <= _due_cutoff(device["kind"])

    def _open_ticket(self, device_id: int) -> bool:
        return self.db.execute("SELECT 1 FROM tickets WHERE device_id = ? AND status = 'open'",
                               (device_id,)).fetchone() is not None

    def _holder(self, device_id: int) -> int | None:
        row = self.db.execute("SELECT employee_id FROM assignments WHERE device_id = ? AND end IS NULL",
                              (device_id,)).fetchone()
        return row[0] if row else None

    def _held_kinds(self, employee_id: int) -> set[str]:
        return {r["kind"] for r in self.rows("SELECT d.kind FROM assignments a JOIN devices d ON d.id = a.device_id "
                                             "WHERE a.employee_id = ? AND a.end IS NULL", employee_id)}

    def _suits(self, device: dict, employee: dict) -> bool:
        """Whether the device's own properties let this employee have it (stock and holdings aside)."""
        if device["kind"] == "laptop" and employee["department"] == "Engineering" and \
                device["ram_gb"] < ENGINEERING_RAM:
            return False
        if "same_location" in self.variant.rules and device["location"] != employee["location"]:
            return False
        return not ("no_aged_assign" in self.variant.rules and self._is_due(device))

    def _assign_blocker(self, device: dict, employee: dict) -> str | None:
        if employee["status"] != "active":
            return f"{employee['email']} is not an active employee"
        if device["status"] != "in_stock":
            return f"device {device['asset_tag']} is {device['status']}, not in stock"
        if self._open_ticket(device["id"]):
            return f"device {device['asset_tag']} has an open repair ticket"
        if device["kind"] in self._held_kinds(employee["id"]):
            return f"{employee['email']} already holds a {device['kind']}"
        if not self._suits(device, employee):
            return "the device does not meet the policy for this employee (RAM, location or refresh age)"
        return None

    def _stock(self, kind: str) -> list[dict]:
        return [d for d in self.rows("SELECT * FROM devices WHERE kind = ? AND status = 'in_stock' ORDER BY id",
                                     kind) if not self._open_ticket(d["id"])]

    def _free_seats(self, licence_id: int) -> int:
        return self.db.execute("SELECT l.seats - (SELECT COUNT(*) FROM seats s WHERE s.licence_id = l.id) FROM "
                               "licences l WHERE l.id = ?", (licence_id,)).fetchone()[0]

    # ---- tool helpers -------------------------------------------------------------------------------

    def _employee(self, email: str) -> dict:
        row = self.db.execute("SELECT * FROM employees WHERE lower(email) = lower(?)", (email.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"no employee with email {email!r}; search_employees lists them")
        return dict(row)

    def _device(self, tag: str) -> dict:
        row = self.db.execute("SELECT * FROM devices WHERE upper(asset_tag) = upper(?)", (tag.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"no device with asset tag {tag!r}; search_devices lists devices")
        return dict(row)

    def _licence(self, product: str) -> dict:
        row = self.db.execute("SELECT * FROM licences WHERE lower(product) = lower(?)", (product.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"no licence for {product!r}; list_licences shows the products")
        return dict(row)

    def _device_view(self, device_id: int) -> dict:
        d = dict(self.db.execute("SELECT asset_tag, kind, model, ram_gb, storage_gb, location, purchase_date, "
                                 "warranty_end, status FROM devices WHERE id = ?", (device_id,)).fetchone())
        holder = self._holder(device_id)
        d["holder"] = holder and self.db.execute("SELECT email FROM employees WHERE id = ?", (holder,)).fetchone()[0]
        d["tickets"] = self.rows("SELECT id, opened, issue, status, cost FROM tickets WHERE device_id = ? ORDER BY "
                                 "id", device_id)
        return d

    def _employee_view(self, employee_id: int) -> dict:
        e = dict(self.db.execute("SELECT name, email, department, location, started, status FROM employees WHERE "
                                 "id = ?", (employee_id,)).fetchone())
        e["devices"] = self.rows("SELECT d.asset_tag, d.kind, d.model, d.ram_gb, d.purchase_date FROM assignments a "
                                 "JOIN devices d ON d.id = a.device_id WHERE a.employee_id = ? AND a.end IS NULL "
                                 "ORDER BY d.asset_tag", employee_id)
        e["licences"] = [r["product"] for r in self.rows("SELECT l.product FROM seats s JOIN licences l ON "
                                                         "l.id = s.licence_id WHERE s.employee_id = ? ORDER BY "
                                                         "l.product", employee_id)]
        return e

    # ---- read tools ---------------------------------------------------------------------------------

    @tool("read")
    def get_employee(self, email: str) -> dict:
        """An employee's profile: department, location, start date, status, devices held and licences.

        Args:
            email: The employee's email address.
        """
        return self._employee_view(self._employee(email)["id"])

    @tool("read")
    def search_employees(self, department: str | None = None, location: str | None = None,
                         status: str | None = None) -> list[dict]:
        """Employees filtered by department, location and/or status (active or leaver), with their licences.

        Args:
            department: Engineering, Finance, Sales, Design, Support or Operations.
            location: Harbour Office, Northgate, Riverside or Hilltop.
            status: active or leaver.
        """
        where, args = ["1"], []
        for column, value in (("department", department), ("location", location), ("status", status)):
            if value:
                where.append(f"lower({column}) = lower(?)")
                args.append(value.strip())
        rows = self.rows(f"SELECT id, name, email, department, location, started, status FROM employees WHERE "
                         f"{' AND '.join(where)} ORDER BY name", *args)
        for r in rows:
            r["licences"] = self._employee_view(r.pop("id"))["licences"]
        return rows

    @tool("read")
    def search_devices(self, kind: str | None = None, status: str | None = None, location: str | None = None,
                       model: str | None = None, min_ram_gb: int | None = None,
                       department: str | None = None) -> list[dict]:
        """Devices filtered by kind, status (in_use, in_stock, retired), location, model, minimum RAM and the
        holder's department.

        Args:
            kind: laptop, phone or monitor.
            status: in_use, in_stock or retired.
            location: Harbour Office, Northgate, Riverside or Hilltop.
            model: Exact model name.
            min_ram_gb: Minimum RAM in GB.
            department: Only devices currently held by employees of this department.
        """
        where, args = ["1"], []
        if department:
            where.append("lower(e.department) = lower(?)")
            args.append(department.strip())
        for column, value in (("kind", kind), ("status", status), ("location", location), ("model", model)):
            if value:
                where.append(f"lower(d.{column}) = lower(?)")
                args.append(value.strip())
        if min_ram_gb is not None:
            where.append("d.ram_gb >= ?")
            args.append(min_ram_gb)
        return self.rows("SELECT d.asset_tag, d.kind, d.model, d.ram_gb, d.location, d.purchase_date, "
                         "d.warranty_end, d.status, e.email AS holder, EXISTS (SELECT 1 FROM tickets t WHERE "
                         "t.device_id = d.id AND t.status = 'open') AS open_ticket FROM devices d LEFT JOIN "
                         "assignments a ON a.device_id = d.id AND a.end IS NULL LEFT JOIN employees e ON "
                         f"e.id = a.employee_id WHERE {' AND '.join(where)} ORDER BY d.asset_tag", *args)

    @tool("read")
    def get_device(self, asset_tag: str) -> dict:
        """One device: specs, location, purchase and warranty dates, status, current holder and repair tickets.

        Args:
            asset_tag: The device's asset tag, e.g. LA-12345.
        """
        return self._device_view(self._device(asset_tag)["id"])

    @tool("read")
    def list_licences(self) -> list[dict]:
        """Software licences: product, seats owned, seats in use, monthly cost per seat and renewal date."""
        return self.rows("SELECT product, seats, (SELECT COUNT(*) FROM seats s WHERE s.licence_id = l.id) AS "
                         "seats_used, monthly_cost, renewal_date FROM licences l ORDER BY product")

    @tool("read")
    def list_seat_holders(self, product: str) -> list[dict]:
        """Who holds a seat of a licence, with their status and department.

        Args:
            product: The licensed product's name.
        """
        lic = self._licence(product)
        return self.rows("SELECT e.name, e.email, e.department, e.status, s.granted FROM seats s JOIN employees e "
                         "ON e.id = s.employee_id WHERE s.licence_id = ? ORDER BY e.name", lic["id"])

    @tool("read")
    def list_tickets(self, status: str | None = None, model: str | None = None) -> list[dict]:
        """Repair tickets, filtered by status (open or closed) and/or device model.

        Args:
            status: open or closed.
            model: Exact device model name.
        """
        where, args = ["1"], []
        if status:
            where.append("lower(t.status) = lower(?)")
            args.append(status.strip())
        if model:
            where.append("lower(d.model) = lower(?)")
            args.append(model.strip())
        return self.rows("SELECT t.id, d.asset_tag, d.model, t.opened, t.issue, t.status, t.cost, t.closed FROM "
                         f"tickets t JOIN devices d ON d.id = t.device_id WHERE {' AND '.join(where)} ORDER BY t.id",
                         *args)

    # ---- write tools --------------------------------------------------------------------------------

    @tool("write")
    def assign_device(self, asset_tag: str, email: str) -> dict:
        """Assign an in-stock device to an active employee, within the policy.

        Args:
            asset_tag: The device's asset tag.
            email: The employee's email address.
        """
        device, employee = self._device(asset_tag), self._employee(email)
        blocker = self._assign_blocker(device, employee)
        if blocker:
            raise ValueError(f"policy: {blocker}")
        self.db.execute("INSERT INTO assignments (device_id, employee_id, start) VALUES (?, ?, ?)",
                        (device["id"], employee["id"], TODAY))
        self.db.execute("UPDATE devices SET status = 'in_use' WHERE id = ?", (device["id"],))
        return self._device_view(device["id"])

    @tool("write")
    def return_device(self, asset_tag: str) -> dict:
        """Take a device back from its holder; it returns to stock.

        Args:
            asset_tag: The device's asset tag.
        """
        device = self._device(asset_tag)
        if self._holder(device["id"]) is None:
            raise ValueError(f"device {asset_tag} is not assigned to anyone")
        self.db.execute("UPDATE assignments SET end = ? WHERE device_id = ? AND end IS NULL", (TODAY, device["id"]))
        self.db.execute("UPDATE devices SET status = 'in_stock' WHERE id = ?", (device["id"],))
        return self._device_view(device["id"])

    @tool("write")
    def retire_device(self, asset_tag: str) -> dict:
        """Retire an in-stock device that has no open repair ticket.

        Args:
            asset_tag: The device's asset tag.
        """
        device = self._device(asset_tag)
        if device["status"] != "in_stock":
            raise ValueError(f"policy: only in-stock devices can be retired; {asset_tag} is {device['status']}")
        if self._open_ticket(device["id"]):
            raise ValueError(f"policy: {asset_tag} has an open repair ticket")
        self.db.execute("UPDATE devices SET status = 'retired' WHERE id = ?", (device["id"],))
        return self._device_view(device["id"])

    @tool("write")
    def open_ticket(self, asset_tag: str, issue: str) -> dict:
        """Open a repair ticket on a device that is not retired.

        Args:
            asset_tag: The device's asset tag.
            issue: What is wrong.
        """
        device = self._device(asset_tag)
        if device["status"] == "retired" or not issue.strip():
            raise ValueError("tickets need a non-retired device and a description of the issue")
        self.db.execute("INSERT INTO tickets (device_id, opened, issue, status) VALUES (?, ?, ?, 'open')",
                        (device["id"], TODAY, issue.strip()))
        return self._device_view(device["id"])

    @tool("write")
    def close_ticket(self, ticket_id: int, cost: float) -> dict:
        """Close an open repair ticket with its cost (0 when the device was under warranty on the opening day).

        Args:
            ticket_id: The ticket number.
            cost: Repair cost.
        """
        row = self.db.execute("SELECT t.*, d.warranty_end FROM tickets t JOIN devices d ON d.id = t.device_id "
                              "WHERE t.id = ?", (ticket_id,)).fetchone()
        if row is None or row["status"] != "open":
            raise ValueError(f"ticket {ticket_id} is not an open ticket")
        covered = row["opened"] <= row["warranty_end"]
        if (covered and cost != 0) or (not covered and cost <= 0):
            raise ValueError("policy: warranty repairs cost 0; others need a positive cost")
        self.db.execute("UPDATE tickets SET status = 'closed', cost = ?, closed = ? WHERE id = ?",
                        (round(cost, 2), TODAY, ticket_id))
        return self._device_view(row["device_id"])

    @tool("write")
    def grant_licence(self, product: str, email: str) -> dict:
        """Give an active employee a seat of a licence, if a seat is free.

        Args:
            product: The licensed product's name.
            email: The employee's email address.
        """
        lic, employee = self._licence(product), self._employee(email)
        if employee["status"] != "active":
            raise ValueError("policy: seats go only to active employees")
        if self.db.execute("SELECT 1 FROM seats WHERE licence_id = ? AND employee_id = ?",
                           (lic["id"], employee["id"])).fetchone():
            raise ValueError(f"{email} already holds {lic['product']}")
        if self._free_seats(lic["id"]) <= 0:
            raise ValueError(f"policy: every {lic['product']} seat is in use; release one first")
        self.db.execute("INSERT INTO seats (licence_id, employee_id, granted) VALUES (?, ?, ?)",
                        (lic["id"], employee["id"], TODAY))
        return self._employee_view(employee["id"])

    @tool("write")
    def revoke_licence(self, product: str, email: str) -> dict:
        """Release an employee's seat of a licence.

        Args:
            product: The licensed product's name.
            email: The employee's email address.
        """
        lic, employee = self._licence(product), self._employee(email)
        cur = self.db.execute("DELETE FROM seats WHERE licence_id = ? AND employee_id = ?",
                              (lic["id"], employee["id"]))
        if not cur.rowcount:
            raise ValueError(f"{email} holds no {lic['product']} seat")
        return self._employee_view(employee["id"])

    @tool("write")
    def mark_leaver(self, email: str) -> dict:
        """Record an active employee as a leaver once they hold no devices and no licence seats.

        Args:
            email: The employee's email address.
        """
        employee = self._employee(email)
        view = self._employee_view(employee["id"])
        if employee["status"] != "active":
            raise ValueError(f"{email} is already a leaver")
        if view["devices"] or view["licences"]:
            raise ValueError("policy: return their devices and release their licence seats first")
        self.db.execute("UPDATE employees SET status = 'leaver' WHERE id = ?", (employee["id"],))
        return self._employee_view(employee["id"])

    # ---- proposer helpers ---------------------------------------------------------------------------

    def _names(self) -> list[str]:
        return [r["name"] for r in self.rows("SELECT name FROM employees ORDER BY id")]

    def _active(self, where: str = "1", *args) -> list[dict]:
        return self.rows(f"SELECT * FROM employees WHERE status = 'active' AND {where} ORDER BY id", *args)

    def _holds(self, employee_id: int, licence_id: int) -> bool:
        return self.db.execute("SELECT 1 FROM seats WHERE employee_id = ? AND licence_id = ?",
                               (employee_id, licence_id)).fetchone() is not None

    def _held(self, employee_id: int) -> list[dict]:
        return self.rows("SELECT d.* FROM assignments a JOIN devices d ON d.id = a.device_id WHERE "
                         "a.employee_id = ? AND a.end IS NULL ORDER BY d.id", employee_id)

    def _place(self, people: list[dict], pool: list[dict]) -> dict[str, list[int]] | None:
        """Each person's allowed devices from `pool`, or None when the pool cannot serve everyone at once."""
        allowed = {str(p["id"]): [d["id"] for d in pool if self._suits(d, p)] for p in people}
        taken = set()
        for p in people:
            free = [d for d in allowed[str(p["id"])] if d not in taken]
            if not free:
                return None
            taken.add(free[0])
        return allowed

    @staticmethod
    def _change(**spec) -> Program:
        base = {"assigned": {}, "returned": [], "retired": [], "granted": {}, "revoked": {}, "leavers": []}
        return Program.of(verify_assets, **(base | spec))

    # ---- proposers ----------------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_device_holder(self, rng: random.Random) -> TaskDraft | None:
        d = rng.choice(self.rows("SELECT d.asset_tag, e.name FROM devices d JOIN assignments a ON a.device_id = d.id "
                                 "AND a.end IS NULL JOIN employees e ON e.id = a.employee_id ORDER BY d.id"))
        return TaskDraft(
            shape="device_holder",
            instruction=self.render("device_holder", rng, tag=d["asset_tag"]),
            solution=Program.of(solve_device_holder, tag=d["asset_tag"]),
            verifier=Program.of(verify_names, expected=[d["name"]], candidates=self._names()),
            tools=("get_device", "get_employee", "search_devices"),
        )

    @proposer(difficulty=1)
    def propose_warranty_end(self, rng: random.Random) -> TaskDraft | None:
        d = rng.choice(self.rows("SELECT asset_tag, warranty_end FROM devices ORDER BY id"))
        return TaskDraft(
            shape="warranty_end",
            instruction=self.render("warranty_end", rng, tag=d["asset_tag"]),
            solution=Program.of(solve_warranty_end, tag=d["asset_tag"]),
            verifier=Program.of(verify_dates, expected=[d["warranty_end"]]),
            tools=("get_device", "search_devices"),
        )

    @proposer(difficulty=1)
    def propose_free_seats(self, rng: random.Random) -> TaskDraft | None:
        lic = rng.choice(self.rows("SELECT id, product FROM licences ORDER BY id"))
        return TaskDraft(
            shape="free_seats",
            instruction=self.render("free_seats", rng, product=lic["product"]),
            solution=Program.of(solve_free_seats, product=lic["product"]),
            verifier=Program.of(verify_number, expected=self._free_seats(lic["id"])),
            tools=("list_licences", "list_seat_holders"),
        )

    @proposer(difficulty=2, attempts=4)
    def propose_due_refresh_count(self, rng: random.Random) -> TaskDraft | None:
        kind, location = rng.choice(KINDS), rng.choice(LOCATIONS)
        n = sum(self._is_due(d) for d in self.rows("SELECT * FROM devices WHERE kind = ? AND location = ? AND "
                                                   "status = 'in_use'", kind, location))
        if not n:
            return None
        return TaskDraft(
            shape="due_refresh_count",
            instruction=self.render("due_refresh_count", rng, kind=kind, location=location),
            solution=Program.of(solve_due_refresh_count, kind=kind, location=location),
            verifier=Program.of(verify_number, expected=n),
            tools=("search_devices", "get_device"),
        )

    @proposer(difficulty=2)
    def propose_dept_licence_cost(self, rng: random.Random) -> TaskDraft | None:
        department = rng.choice(DEPARTMENTS)
        total = self.db.execute("SELECT COALESCE(SUM(l.monthly_cost), 0) FROM seats s JOIN licences l ON "
                                "l.id = s.licence_id JOIN employees e ON e.id = s.employee_id WHERE e.status = "
                                "'active' AND e.department = ?", (department,)).fetchone()[0]
        return TaskDraft(
            shape="dept_licence_cost",
            instruction=self.render("dept_licence_cost", rng, department=department),
            solution=Program.of(solve_dept_licence_cost, department=department),
            verifier=Program.of(verify_number, expected=round(total, 2)),
            tools=("search_employees", "list_licences", "get_employee"),
        )

    @proposer(difficulty=2, attempts=4)
    def propose_repair_spend(self, rng: random.Random) -> TaskDraft | None:
        if not self.has_tool("list_tickets"):
            return None
        model = rng.choice([m[0] for ms in MODELS.values() for m in ms])
        total = self.db.execute("SELECT COALESCE(SUM(t.cost), 0) FROM tickets t JOIN devices d ON d.id = t.device_id "
                                "WHERE d.model = ? AND t.status = 'closed'", (model,)).fetchone()[0]
        if not total:
            return None
        return TaskDraft(
            shape="repair_spend",
            instruction=self.render("repair_spend", rng, model=model),
            solution=Program.of(solve_repair_spend, model=model),
            verifier=Program.of(verify_number, expected=round(total, 2)),
            tools=("list_tickets", "search_devices", "get_device"),
        )

    @proposer(difficulty=3, attempts=5)
    def propose_assign_newest(self, rng: random.Random) -> TaskDraft | None:
        kind = rng.choice(KINDS)
        people = [e for e in self._active() if kind not in self._held_kinds(e["id"])]
        if not people:
            return None
        e = rng.choice(people)
        ranked = sorted((d["purchase_date"], d["id"]) for d in self._stock(kind) if self._suits(d, e))
        if not ranked or (len(ranked) > 1 and ranked[-1][0] == ranked[-2][0]):
            return None
        spec = {"email": e["email"], "kind": kind}
        return TaskDraft(
            shape="assign_newest",
            instruction=self.render("assign_newest", rng, name=e["name"], **spec),
            solution=Program.of(solve_assign_newest, **spec, **self._rules()),
            verifier=self._change(assigned={str(e["id"]): [ranked[-1][1]]}),
            tools=("get_employee", "search_devices", "get_device", "assign_device"),
        )

    @proposer(difficulty=3, attempts=5)
    def propose_retire_stock(self, rng: random.Random) -> TaskDraft | None:
        kind, location = rng.choice(KINDS), rng.choice(LOCATIONS)
        aged = [d["id"] for d in self._stock(kind) if d["location"] == location and self._is_due(d)]
        if not 1 <= len(aged) <= 6:
            return None
        return TaskDraft(
            shape="retire_stock",
            instruction=self.render("retire_stock", rng, kind=kind, location=location),
            solution=Program.of(solve_retire_stock, kind=kind, location=location),
            verifier=self._change(retired=aged),
            tools=("search_devices", "get_device", "retire_device"),
        )

    @proposer(difficulty=3, attempts=5)
    def propose_grant_team(self, rng: random.Random) -> TaskDraft | None:
        department, location = rng.choice(DEPARTMENTS), rng.choice(LOCATIONS)
        lic = rng.choice(self.rows("SELECT * FROM licences ORDER BY id"))
        lacking = [e["id"] for e in self._active("department = ? AND location = ?", department, location)
                   if not self._holds(e["id"], lic["id"])]
        if not 1 <= len(lacking) <= 5 or len(lacking) > self._free_seats(lic["id"]):
            return None
        spec = {"department": department, "location": location, "product": lic["product"]}
        return TaskDraft(
            shape="grant_team",
            instruction=self.render("grant_team", rng, **spec),
            solution=Program.of(solve_grant_team, **spec),
            verifier=self._change(granted={str(lic["id"]): lacking}),
            tools=("search_employees", "get_employee", "list_licences", "grant_licence"),
        )

    @proposer(difficulty=4, attempts=6)
    def propose_offboard(self, rng: random.Random) -> TaskDraft | None:
        e = rng.choice(self._active())
        devices = self._held(e["id"])
        seats = [r["licence_id"] for r in self.rows("SELECT licence_id FROM seats WHERE employee_id = ?", e["id"])]
        retire = [d["id"] for d in devices if self._is_due(d) and not self._open_ticket(d["id"])]
        if len(devices) + len(retire) + len(seats) < 4:  # at least six calls
            return None
        return TaskDraft(
            shape="offboard",
            instruction=self.render("offboard", rng, email=e["email"], name=e["name"]),
            solution=Program.of(solve_offboard, email=e["email"]),
            verifier=self._change(returned=[d["id"] for d in devices], retired=retire,
                                  revoked={str(s): [e["id"]] for s in seats}, leavers=[e["id"]]),
            tools=("get_employee", "get_device", "return_device", "retire_device", "revoke_licence", "mark_leaver"),
        )

    @proposer(difficulty=4, attempts=8)
    def propose_reclaim(self, rng: random.Random) -> TaskDraft | None:
        lic = rng.choice(self.rows("SELECT * FROM licences ORDER BY id"))
        department = rng.choice(DEPARTMENTS)
        leavers = [r["employee_id"] for r in self.rows("SELECT s.employee_id FROM seats s JOIN employees e ON "
                                                       "e.id = s.employee_id WHERE s.licence_id = ? AND e.status = "
                                                       "'leaver' ORDER BY e.id", lic["id"])]
        lacking = sorted((e["started"], e["id"]) for e in self._active("department = ?", department)
                         if not self._holds(e["id"], lic["id"]))
        seats = self._free_seats(lic["id"]) + len(leavers)
        if not leavers or len({s for s, _ in lacking}) != len(lacking) or len(leavers) + min(seats, len(lacking)) < 4:
            return None
        granted = [i for _, i in lacking[:seats]]
        if not granted:
            return None
        spec = {"product": lic["product"], "department": department}
        return TaskDraft(
            shape="reclaim",
            instruction=self.render("reclaim", rng, **spec),
            solution=Program.of(solve_reclaim, **spec),
            verifier=self._change(revoked={str(lic["id"]): leavers}, granted={str(lic["id"]): granted}),
            tools=("list_licences", "list_seat_holders", "search_employees", "get_employee", "revoke_licence",
                   "grant_licence"),
        )

    @proposer(difficulty=5, attempts=8)
    def propose_refresh_dept(self, rng: random.Random) -> TaskDraft | None:
        department = rng.choice(DEPARTMENTS)
        people, old = [], []
        for e in self._active("department = ?", department):
            laptop = next((d for d in self._held(e["id"]) if d["kind"] == "laptop"), None)
            if laptop and self._is_due(laptop):
                people.append(e)
                old.append(laptop)
        if not 2 <= len(people) <= 5:
            return None
        allowed = self._place(people, self._stock("laptop"))
        if allowed is None:
            return None
        return TaskDraft(
            shape="refresh_dept",
            instruction=self.render("refresh_dept", rng, department=department),
            solution=Program.of(solve_refresh_dept, department=department, **self._rules()),
            verifier=self._change(assigned=allowed, returned=[d["id"] for d in old],
                                  retired=[d["id"] for d in old if not self._open_ticket(d["id"])]),
            tools=("search_employees", "get_employee", "search_devices", "get_device", "return_device",
                   "retire_device", "assign_device"),
        )

    @proposer(difficulty=5, attempts=8)
    def propose_kit_out(self, rng: random.Random) -> TaskDraft | None:
        department, location = rng.choice(DEPARTMENTS), rng.choice(LOCATIONS)
        team = self._active("department = ? AND location = ?", department, location)
        need_laptop = [e for e in team if "laptop" not in self._held_kinds(e["id"])]
        options = [(lic, [e["id"] for e in team if not self._holds(e["id"], lic["id"])])
                   for lic in self.rows("SELECT * FROM licences ORDER BY id")]
        options = [(lic, need) for lic, need in options if len(need) <= self._free_seats(lic["id"])]
        if not need_laptop or not options:
            return None
        lic, need_seat = rng.choice(options)
        if len(need_laptop) + len(need_seat) < 3:
            return None
        allowed = self._place(need_laptop, self._stock("laptop"))
        if allowed is None:
            return None
        spec = {"department": department, "location": location, "product": lic["product"]}
        return TaskDraft(
            shape="kit_out",
            instruction=self.render("kit_out", rng, **spec),
            solution=Program.of(solve_kit_out, **spec, **self._rules()),
            verifier=self._change(assigned=allowed, granted={str(lic["id"]): need_seat} if need_seat else {}),
            tools=("search_employees", "get_employee", "search_devices", "list_licences", "assign_device",
                   "grant_licence"),
        )


# ---- solutions: tools and computation only --------------------------------------------------------

def solve_device_holder(tools, params):
    holder = tools.get_device(asset_tag=params["tag"])["holder"]
    return tools.get_employee(email=holder)["name"]


def solve_warranty_end(tools, params):
    return tools.get_device(asset_tag=params["tag"])["warranty_end"]


def solve_free_seats(tools, params):
    lic = next(x for x in tools.list_licences() if x["product"] == params["product"])
    return str(lic["seats"] - lic["seats_used"])


def solve_due_refresh_count(tools, params):
    cutoff = f"{2026 - {'laptop': 4, 'phone': 3, 'monitor': 6}[params['kind']]}-03-16"
    devices = tools.search_devices(kind=params["kind"], location=params["location"], status="in_use")
    return str(sum(1 for d in devices if d["purchase_date"] <= cutoff))


def solve_dept_licence_cost(tools, params):
    cost = {x["product"]: x["monthly_cost"] for x in tools.list_licences()}
    people = tools.search_employees(department=params["department"], status="active")
    return f"{sum(cost[p] for e in people for p in e['licences']):.2f}"


def solve_repair_spend(tools, params):
    tickets = tools.list_tickets(status="closed", model=params["model"])
    return f"{sum(t['cost'] for t in tickets):.2f}"


def solve_assign_newest(tools, params):
    me = tools.get_employee(email=params["email"])
    cutoff = f"{2026 - {'laptop': 4, 'phone': 3, 'monitor': 6}[params['kind']]}-03-16"
    stock = [d for d in tools.search_devices(kind=params["kind"], status="in_stock") if not d["open_ticket"]
             and not (params["kind"] == "laptop" and me["department"] == "Engineering" and d["ram_gb"] < 32)
             and not (params["same_location"] and d["location"] != me["location"])
             and not (params["no_aged_assign"] and d["purchase_date"] <= cutoff)]
    best = max(stock, key=lambda d: d["purchase_date"])
    tools.assign_device(asset_tag=best["asset_tag"], email=params["email"])
    return f"Assigned {best['asset_tag']}"


def solve_retire_stock(tools, params):
    cutoff = f"{2026 - {'laptop': 4, 'phone': 3, 'monitor': 6}[params['kind']]}-03-16"
    stock = tools.search_devices(kind=params["kind"], location=params["location"], status="in_stock")
    aged = [d for d in stock if d["purchase_date"] <= cutoff and not d["open_ticket"]]
    for d in aged:
        tools.retire_device(asset_tag=d["asset_tag"])
    return f"Retired {len(aged)} devices"


def solve_grant_team(tools, params):
    team = tools.search_employees(department=params["department"], location=params["location"], status="active")
    lacking = [e for e in team if params["product"] not in e["licences"]]
    for e in lacking:
        tools.grant_licence(product=params["product"], email=e["email"])
    return f"Granted {len(lacking)} seats"


def solve_offboard(tools, params):
    me = tools.get_employee(email=params["email"])
    for d in me["devices"]:
        tools.return_device(asset_tag=d["asset_tag"])
        cutoff = f"{2026 - {'laptop': 4, 'phone': 3, 'monitor': 6}[d['kind']]}-03-16"
        device = tools.get_device(asset_tag=d["asset_tag"])
        if d["purchase_date"] <= cutoff and not any(t["status"] == "open" for t in device["tickets"]):
            tools.retire_device(asset_tag=d["asset_tag"])
    for product in me["licences"]:
        tools.revoke_licence(product=product, email=params["email"])
    tools.mark_leaver(email=params["email"])
    return f"Offboarded {params['email']}"


def solve_reclaim(tools, params):
    lic = next(x for x in tools.list_licences() if x["product"] == params["product"])
    free = lic["seats"] - lic["seats_used"]
    for e in tools.search_employees(status="leaver"):
        if params["product"] in e["licences"]:
            tools.revoke_licence(product=params["product"], email=e["email"])
            free += 1
    team = tools.search_employees(department=params["department"], status="active")
    for e in sorted((e for e in team if params["product"] not in e["licences"]), key=lambda e: e["started"]):
        if free <= 0:
            break
        tools.grant_licence(product=params["product"], email=e["email"])
        free -= 1
    return "Seats reclaimed and reassigned"


def solve_refresh_dept(tools, params):
    team = {e["email"]: e for e in tools.search_employees(department=params["department"], status="active")}
    held = tools.search_devices(kind="laptop", department=params["department"])
    old = [d for d in held if d["holder"] in team and d["purchase_date"] <= "2022-03-16"]
    stock = [d for d in tools.search_devices(kind="laptop", status="in_stock") if not d["open_ticket"]]
    for d in old:
        person = team[d["holder"]]
        tools.return_device(asset_tag=d["asset_tag"])
        if not d["open_ticket"]:
            tools.retire_device(asset_tag=d["asset_tag"])
        new = next(s for s in stock
                   if not (person["department"] == "Engineering" and s["ram_gb"] < 32)
                   and not (params["same_location"] and s["location"] != person["location"])
                   and not (params["no_aged_assign"] and s["purchase_date"] <= "2022-03-16"))
        stock.remove(new)
        tools.assign_device(asset_tag=new["asset_tag"], email=person["email"])
    return f"Refreshed {len(old)} laptops"


def solve_kit_out(tools, params):
    team = tools.search_employees(department=params["department"], location=params["location"], status="active")
    stock = [d for d in tools.search_devices(kind="laptop", status="in_stock") if not d["open_ticket"]]
    for person in team:
        me = tools.get_employee(email=person["email"])
        if not any(d["kind"] == "laptop" for d in me["devices"]):
            new = next(s for s in stock
                       if not (person["department"] == "Engineering" and s["ram_gb"] < 32)
                       and not (params["same_location"] and s["location"] != person["location"])
                       and not (params["no_aged_assign"] and s["purchase_date"] <= "2022-03-16"))
            stock.remove(new)
            tools.assign_device(asset_tag=new["asset_tag"], email=person["email"])
        if params["product"] not in person["licences"]:
            tools.grant_licence(product=params["product"], email=person["email"])
    return "Team equipped"


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_names(outcome, params):
    from verifiers.answers import mentions_exactly

    ok = mentions_exactly(outcome.answer, params["expected"], params["candidates"])
    return ok, [] if ok else [f"expected exactly {params['expected']} in {outcome.answer!r}"]


def verify_number(outcome, params):
    from verifiers.answers import only_number

    ok = only_number(outcome.answer, params["expected"])
    return ok, [] if ok else [f"expected {params['expected']}, got {outcome.answer!r}"]


def verify_dates(outcome, params):
    from verifiers.answers import only_dates

    ok = only_dates(outcome.answer, params["expected"])
    return ok, [] if ok else [f"expected the date {params['expected']}, got {outcome.answer!r}"]


def verify_assets(outcome, params):
    """New assignments (an allowed, distinct device per listed employee), returns, retirements, licence seats
    granted and released, and leavers are exactly as required; nothing else changed."""
    from verifiers.state import diff_table, unchanged

    reasons = []
    added, removed, changed = diff_table(outcome.initial, outcome.db, "assignments")
    if removed:
        reasons.append("assignment records were deleted")
    got = {}
    for a in added:
        got.setdefault(str(a["employee_id"]), []).append(a["device_id"])
        if a["end"] is not None:
            reasons.append(f"new assignment {a['id']} is already ended")
    for key, allowed in params["assigned"].items():
        if len(got.get(key, [])) != 1 or got[key][0] not in allowed:
            reasons.append(f"employee {key} should get exactly one of devices {allowed}, got {got.get(key)}")
    if set(got) - set(params["assigned"]):
        reasons.append(f"unexpected assignments to employees {sorted(set(got) - set(params['assigned']))}")
    new_devices = [d for ds in got.values() for d in ds]
    if len(new_devices) != len(set(new_devices)):
        reasons.append("a device was assigned twice")
    ended = sorted(a["device_id"] for a in changed if a["end"] is not None)
    if ended != sorted(params["returned"]) or len(changed) != len(ended):
        reasons.append(f"exactly devices {params['returned']} should be returned, got {ended}")
    before = {d["id"]: d for d in outcome.initial_rows("SELECT * FROM devices")}
    for d in outcome.rows("SELECT * FROM devices"):
        old = before.get(d["id"])
        if old is None:
            reasons.append("a device was added")
            continue
        want = old["status"]
        if d["id"] in params["retired"]:
            want = "retired"
        elif d["id"] in new_devices:
            want = "in_use"
        elif d["id"] in params["returned"]:
            want = "in_stock"
        if d["status"] != want or {k: v for k, v in d.items() if k != "status"} != \
                {k: v for k, v in old.items() if k != "status"}:
            reasons.append(f"device {d['asset_tag']} is {d['status']}, expected {want}")
    # seats are compared as (licence, employee) pairs: a freed row id may be reused by a new seat
    pairs = "SELECT licence_id, employee_id FROM seats"
    old_pairs = {(r["licence_id"], r["employee_id"]) for r in outcome.initial_rows(pairs)}
    new_pairs = {(r["licence_id"], r["employee_id"]) for r in outcome.rows(pairs)}
    granted, revoked = {}, {}
    for lic, emp in new_pairs - old_pairs:
        granted.setdefault(str(lic), []).append(emp)
    for lic, emp in old_pairs - new_pairs:
        revoked.setdefault(str(lic), []).append(emp)
    norm = lambda m: {k: sorted(v) for k, v in m.items() if v}  # noqa: E731
    if norm(granted) != norm(params["granted"]):
        reasons.append(f"seats granted should be {params['granted']}, got {granted}")
    if norm(revoked) != norm(params["revoked"]):
        reasons.append(f"seats released should be {params['revoked']}, got {revoked}")
    _, _, people = diff_table(outcome.initial, outcome.db, "employees")
    if sorted(p["id"] for p in people if p["status"] == "leaver") != sorted(params["leavers"]) or \
            len(people) != len(params["leavers"]):
        reasons.append(f"exactly employees {params['leavers']} should become leavers")
    reasons += [f"{t} changed" for t in unchanged(outcome.initial, outcome.db, ["licences", "tickets"])]
    return not reasons, reasons
