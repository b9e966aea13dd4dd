"""IT asset management: departments with budgets, employees, device models, devices, licences and seats,
repair vendors and repair tickets, under a refresh policy."""

from __future__ import annotations

import datetime as dt
import random

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool
from verifiers.common import verify_names, verify_number

TODAY = "2026-03-16"
KINDS = ["laptop", "desktop", "phone", "monitor"]
DEPARTMENTS = ["Finance", "Marketing", "Engineering", "Sales", "Legal", "Operations", "Design", "Research",
               "Customer Care", "Logistics"]
TITLES = ["Analyst", "Engineer", "Coordinator", "Specialist", "Manager", "Associate", "Lead", "Consultant"]
# name, kind, maker, price, ram_gb, storage_gb, warranty years
MODELS = [("Corvex Aero 13", "laptop", "Corvex", 1150.0, 16, 512, 3),
          ("Corvex Aero 15", "laptop", "Corvex", 1390.0, 32, 1024, 3),
          ("Lumina Slate 14", "laptop", "Lumina", 980.0, 16, 256, 2),
          ("Lumina Slate Pro", "laptop", "Lumina", 1240.0, 32, 512, 2),
          ("Nordtek Forge 16", "laptop", "Nordtek", 1720.0, 64, 2048, 3),
          ("Halcyon Note 12", "laptop", "Halcyon", 760.0, 8, 256, 1),
          ("Nordtek Tower M", "desktop", "Nordtek", 1080.0, 32, 1024, 3),
          ("Halcyon Cube", "desktop", "Halcyon", 690.0, 16, 512, 2),
          ("Lumina Pocket 6", "phone", "Lumina", 540.0, 8, 128, 2),
          ("Halcyon Dial X", "phone", "Halcyon", 420.0, 6, 128, 1),
          ("Corvex Link", "phone", "Corvex", 610.0, 8, 256, 2),
          ("Nordtek View 27", "monitor", "Nordtek", 310.0, 0, 0, 3),
          ("Lumina Pane 24", "monitor", "Lumina", 220.0, 0, 0, 2),
          ("Halcyon Wide 34", "monitor", "Halcyon", 460.0, 0, 0, 3)]
MAKERS = ["Corvex", "Lumina", "Nordtek", "Halcyon"]
SHOPS = ["Bytewell Repairs", "Circuit Hollow", "Quickmend Tech", "Pixel and Pin", "Solder Lane", "Gearwise Service"]
PRODUCTS = ["Quillpad Office", "Vectorly Design", "Stackforge IDE", "Meshcall Video", "Ledgerline Accounts",
            "Draftwise Legal", "Pulseboard Analytics", "Shieldnet VPN", "Tasktide Projects", "Cartwheel CRM"]
ISSUES = ["cracked screen", "battery swelling", "keyboard failure", "no power", "overheating", "dead pixels",
          "broken hinge", "charging port fault"]
FIRST = ["Ansel", "Briony", "Caspian", "Delphine", "Evander", "Fenna", "Gideon", "Honora", "Ignatius", "Jessamy",
         "Kit", "Lorcan", "Mireille", "Nye", "Ottoline", "Piran", "Rosalind", "Silas", "Temperance", "Ulla",
         "Valentin", "Wilhelmina", "Xavi", "Yseult", "Zebedee"]
LAST = ["Ambleside", "Blackthorn", "Carrow", "Drumlin", "Eskdale", "Fellowes", "Grisedale", "Harrowgate",
        "Inchcape", "Jervaulx", "Kirkstone", "Langdale", "Mardale", "Nethercott", "Ormside", "Penrose", "Quarrendon",
        "Rydal"]

SCHEMA = """
CREATE TABLE departments (id INTEGER PRIMARY KEY, name TEXT UNIQUE, budget REAL, spent REAL);
CREATE TABLE employees (id INTEGER PRIMARY KEY, name TEXT, email TEXT UNIQUE,
    department_id INTEGER REFERENCES departments(id), title TEXT, status TEXT, hire_date TEXT);
CREATE TABLE models (id INTEGER PRIMARY KEY, name TEXT UNIQUE, kind TEXT, maker TEXT, price REAL, ram_gb INTEGER,
    storage_gb INTEGER, warranty_years INTEGER);
CREATE TABLE devices (id INTEGER PRIMARY KEY, asset_tag TEXT UNIQUE, model_id INTEGER REFERENCES models(id),
    purchase_date TEXT, warranty_end TEXT, status TEXT, employee_id INTEGER REFERENCES employees(id));
CREATE TABLE licences (id INTEGER PRIMARY KEY, product TEXT UNIQUE, seats INTEGER, expiry TEXT,
    cost_per_seat REAL);
CREATE TABLE seats (id INTEGER PRIMARY KEY, licence_id INTEGER REFERENCES licences(id),
    employee_id INTEGER REFERENCES employees(id), assigned_on TEXT, UNIQUE (licence_id, employee_id));
CREATE TABLE vendors (id INTEGER PRIMARY KEY, name TEXT UNIQUE, rating REAL, fee REAL, turnaround_days INTEGER);
CREATE TABLE repairs (id INTEGER PRIMARY KEY, device_id INTEGER REFERENCES devices(id),
    vendor_id INTEGER REFERENCES vendors(id), issue TEXT, opened TEXT, status TEXT, cost REAL);
CREATE TABLE purchases (id INTEGER PRIMARY KEY, department_id INTEGER REFERENCES departments(id), item TEXT,
    amount REAL, bought_on TEXT);
"""


def _shift(day: str, days: int) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()


class ITAssetsEnv(EnvTemplate):
    name = "itassets"
    version = "1.0.0"
    category = "IT asset management"
    description = ("A company's IT asset desk: departments with hardware budgets, employees, a catalogue of device "
                   "models, devices with purchase dates, warranties and holders, software licences with seats and "
                   "expiry dates, and repair vendors. Look things up, assign and retire devices, manage licence "
                   "seats, buy equipment and open repairs under the asset policy.")
    policy = (
        f"Today is {TODAY}. A device purchased before 2022-03-16 (more than 4 years ago) is due for refresh. Each "
        "employee holds at most one device of each kind (laptop, desktop, phone, monitor), and only active "
        "employees receive devices or licence seats. Only in-stock devices can be assigned; a device in repair "
        "cannot be unassigned or retired, and a device must be unassigned before it is retired. Purchases of "
        "devices and of extra licence seats are charged to a department and may never take its spending above its "
        "budget. A licence never has more holders than seats, and an expired licence (expiry before today) gets no "
        "new holders. Repairs: a device under warranty (warranty end on or after today) goes to its maker at no "
        "cost; a device out of warranty goes to a vendor rated at least 3.5 at that vendor's fee, unless it is due "
        "for refresh, in which case it is not repaired but retired. Change only what was asked.")
    variants = VariantSpace(
        optional_tools=("list_repairs", "list_vendors"),
        renames={"search_devices": ("find_devices", "query_assets"), "assign_device": ("issue_device",),
                 "get_employee": ("lookup_employee",)},
        rules={"short_refresh": "Refresh age is shortened: devices purchased before 2023-03-16 (more than 3 years "
                                "ago) are due for refresh.",
               "budget_reserve": "Each department keeps a 10% reserve: purchases may not take its spending above "
                                 "90% of its budget.",
               "strict_vendors": "Out-of-warranty repairs may only go to vendors rated 4.0 or higher."},
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "device_holder": ["Who currently holds device {{tag}}?", "Which employee has asset {{tag}}?",
                          "Tell me the name of the person device {{tag}} is assigned to."],
        "warranty_end": ["When does the warranty on {{tag}} end?", "Give me the warranty end date of asset {{tag}}."],
        "free_seats": ["How many unused seats does the {{product}} licence have?",
                       "How many more people could get a {{product}} seat right now, seat-wise?"],
        "refresh_count": ["How many {{kind}}s held by {{dept}} employees are due for refresh?",
                          "Count the {{kind}}s assigned to people in {{dept}} that are due for refresh under the "
                          "policy."],
        "oldest_device": ["Which {{dept}} employee holds the oldest {{kind}} in that department?",
                          "In {{dept}}, whose {{kind}} was purchased longest ago?"],
        "expiring_licences": ["Which licences are still valid today but expire before {{date}}? Name the products.",
                              "List the software products whose licence has not expired yet but will expire "
                              "before {{date}}."],
        "spend_room": ["How much can {{dept}} still spend on purchases under the policy?",
                       "What is the most {{dept}} could spend on new equipment today without breaking the budget "
                       "policy?"],
        "assign_newest": ["{{email}} needs a {{kind}}. Assign them the newest in-stock {{kind}} that is not due for "
                          "refresh.",
                          "Issue {{email}} a {{kind}} from stock: the most recently purchased one that is not due "
                          "for refresh."],
        "repair_or_retire": ["Device {{tag}} has a {{issue}}. Handle it under the repair policy; if it goes to an "
                             "outside vendor, use the cheapest eligible one.",
                             "Asset {{tag}} reported: {{issue}}. Send it for repair as the policy requires (cheapest "
                             "eligible vendor when a vendor fee applies), or retire it if the policy says so."],
        "grant_seat": ["Give {{email}} a seat on {{product}}. If no seat is free, buy one more seat charged to "
                       "their department.",
                       "{{email}} needs {{product}}: assign a seat, adding a single extra seat billed to their "
                       "department only if the licence is full."],
        "onboard": ["{{email}} has just joined. Set them up with a {{kind_a}} and a {{kind_b}}: for each, use any "
                    "in-stock device of that kind that is not due for refresh, or, if there is none, buy the "
                    "cheapest model of that kind for their department. Also give them a seat on {{product}}.",
                    "Onboard the new hire {{email}}: one {{kind_a}} and one {{kind_b}} (from stock when a unit not "
                    "due for refresh is available, otherwise the cheapest model of that kind, bought for their "
                    "department) and a {{product}} seat."],
        "offboard": ["{{email}} is leaving. Take back all their devices that are not in repair: retire the ones due "
                     "for refresh and return the others to stock. Revoke all their licence seats; if they had a "
                     "{{product}} seat, give one to {{colleague}}.",
                     "Offboard {{email}}: every device they hold that is not in repair comes back (retired when due "
                     "for refresh, otherwise back to stock), all their licence seats are revoked, and if one of "
                     "those was {{product}}, {{colleague}} gets a {{product}} seat."],
        "licence_rollout": ["Every active {{dept}} employee should have a {{product}} seat. First revoke the "
                            "{{product}} seats held by leaving employees (in any department), then buy only as many "
                            "extra seats as are still needed, charged to {{dept}}, and assign them.",
                            "Roll {{product}} out to all active staff in {{dept}}: reclaim every {{product}} seat "
                            "held by a leaving employee, buy just the extra seats still missing (billed to "
                            "{{dept}}), and give everyone in {{dept}} without one a seat."],
        "refresh_wave": ["Run a refresh wave for {{kind}}s in {{dept}}: replace the {{kind}}s held by active "
                         "{{dept}} employees that are due for refresh, oldest first, as far as the department's "
                         "purchase limit allows. Each holder gets an in-stock {{kind}} that is not due for refresh "
                         "and has at least {{ram}} GB RAM while any remain, otherwise a newly bought unit of the "
                         "cheapest {{kind}} model with at least {{ram}} GB RAM, charged to {{dept}}. Retire every "
                         "replaced {{kind}}.",
                         "{{dept}} {{kind}} refresh for its active staff: oldest due-for-refresh {{kind}}s first, and "
                         "only as many as {{dept}}'s remaining purchase limit covers. Replacements come from stock "
                         "(not due for refresh, {{ram}} GB RAM or more) while stock lasts, then from purchases of "
                         "the cheapest {{kind}} model with at least {{ram}} GB RAM billed to {{dept}}. Old units are "
                         "retired."],
        "team_onboard": ["Onboard every new hire in {{dept}} who has no devices yet: each gets a {{kind}} (any "
                         "in-stock one not due for refresh while they last, then the cheapest {{kind}} model bought "
                         "for {{dept}}) and a seat on {{product}} (buying for {{dept}} only as many extra seats as "
                         "are missing), all within {{dept}}'s purchase limit.",
                         "Equip {{dept}}'s new starters (people in {{dept}} with no devices): one {{kind}} each, "
                         "from stock units not due for refresh first and then the cheapest {{kind}} model purchased "
                         "for {{dept}}, plus a {{product}} seat each, buying for {{dept}} just the extra seats "
                         "still missing."],
    }

    # ---- database ---------------------------------------------------------------------------------

    def build(self, rng: random.Random) -> None:
        self.db.executescript(SCHEMA)
        n_depts, n_people = {"small": (6, 60), "medium": (8, 100), "large": (10, 150)}[self.variant.scale]
        for name in rng.sample(DEPARTMENTS, n_depts):
            budget = float(rng.randrange(12000, 60000, 500))
            self.db.execute("INSERT INTO departments (name, budget, spent) VALUES (?, ?, ?)",
                            (name, budget, round(budget * rng.uniform(0.3, 0.85), 2)))
        self.db.executemany("INSERT INTO models (name, kind, maker, price, ram_gb, storage_gb, warranty_years) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?)", MODELS)
        for maker in MAKERS:
            self.db.execute("INSERT INTO vendors (name, rating, fee, turnaround_days) VALUES (?, ?, ?, ?)",
                            (maker, round(rng.uniform(3.6, 4.9), 1), float(rng.randrange(140, 260, 5)),
                             rng.randint(5, 15)))
        for shop in rng.sample(SHOPS, 4):
            self.db.execute("INSERT INTO vendors (name, rating, fee, turnaround_days) VALUES (?, ?, ?, ?)",
                            (shop, round(rng.uniform(2.8, 4.9), 1), float(rng.randrange(60, 240, 5)),
                             rng.randint(2, 10)))
        for product in rng.sample(PRODUCTS, rng.randint(8, 10)):
            expiry = _shift(TODAY, rng.choice([-1, 1, 1, 1]) * rng.randint(10, 480))
            self.db.execute("INSERT INTO licences (product, seats, expiry, cost_per_seat) VALUES (?, ?, ?, ?)",
                            (product, rng.randint(8, n_people // 2), expiry, float(rng.randrange(40, 600, 10))))
        depts = [r["id"] for r in self.rows("SELECT id FROM departments ORDER BY id")]
        names = rng.sample([f"{f} {la}" for f in FIRST for la in LAST], n_people)
        for eid, name in enumerate(names, 1):
            dept = depts[(eid - 1) % len(depts)] if eid <= 3 * len(depts) else rng.choice(depts)
            new = eid <= 2 * len(depts) and rng.random() < 0.6
            status = "active" if new else rng.choices(["active", "leaving"], [12, 1])[0]
            hired = _shift(TODAY, -rng.randint(1, 12)) if new else _shift(TODAY, -rng.randint(60, 3000))
            self.db.execute("INSERT INTO employees VALUES (?, ?, ?, ?, ?, ?, ?)",
                            (eid, name, f"{name.lower().replace(' ', '.')}@corp.example", dept, rng.choice(TITLES),
                             status, hired))
        models = {k: [m for m in self.rows("SELECT * FROM models WHERE kind = ?", k)] for k in KINDS}
        tags = iter(rng.sample(range(10000, 99999), 8 * n_people))

        def add_device(kind: str, status: str, holder: int | None, oldest: int = 2600) -> int:
            model = rng.choice(models[kind])
            bought = _shift(TODAY, -rng.randint(20, oldest))
            warranty = _shift(bought, 365 * model["warranty_years"])
            cur = self.db.execute("INSERT INTO devices (asset_tag, model_id, purchase_date, warranty_end, status, "
                                  "employee_id) VALUES (?, ?, ?, ?, ?, ?)",
                                  (f"AT-{next(tags)}", model["id"], bought, warranty, status, holder))
            return cur.lastrowid

        for e in self.rows("SELECT id FROM employees WHERE hire_date < ? ORDER BY id", _shift(TODAY, -30)):
            kinds = ["laptop" if rng.random() < 0.8 else "desktop"]
            kinds += [k for k, p in (("phone", 0.7), ("monitor", 0.5)) if rng.random() < p]
            for kind in kinds:
                add_device(kind, "in_use", e["id"])
        for kind, (lo, hi) in {"laptop": (2, 8), "desktop": (0, 3), "phone": (0, 4), "monitor": (1, 5)}.items():
            for _ in range(rng.randint(lo, hi)):
                add_device(kind, "in_stock", None)
        for _ in range(n_people // 6):
            add_device(rng.choice(KINDS), "retired", None, 3600)
        vendors = self.rows("SELECT id, name, fee FROM vendors ORDER BY id")
        for d in rng.sample(self.rows("SELECT d.id, d.warranty_end, m.maker FROM devices d JOIN models m ON "
                                      "m.id = d.model_id WHERE d.status = 'in_use' ORDER BY d.id"), n_people // 10):
            covered = d["warranty_end"] >= TODAY
            vendor = next(v for v in vendors if v["name"] == d["maker"]) if covered else rng.choice(vendors)
            self.db.execute("UPDATE devices SET status = 'in_repair' WHERE id = ?", (d["id"],))
            self.db.execute("INSERT INTO repairs (device_id, vendor_id, issue, opened, status, cost) VALUES "
                            "(?, ?, ?, ?, 'open', ?)", (d["id"], vendor["id"], rng.choice(ISSUES),
                                                        _shift(TODAY, -rng.randint(1, 20)),
                                                        0.0 if covered else vendor["fee"]))
        for d in rng.sample(self.rows("SELECT id FROM devices ORDER BY id"), n_people // 4):
            vendor = rng.choice(vendors)
            self.db.execute("INSERT INTO repairs (device_id, vendor_id, issue, opened, status, cost) VALUES "
                            "(?, ?, ?, ?, 'closed', ?)", (d["id"], vendor["id"], rng.choice(ISSUES),
                                                          _shift(TODAY, -rng.randint(40, 700)), vendor["fee"]))
        active = [r["id"] for r in self.rows("SELECT id FROM employees WHERE hire_date < ? "
                                             "ORDER BY id", _shift(TODAY, -30))]
        for lic in self.rows("SELECT id, seats FROM licences ORDER BY id"):
            used = rng.randint(lic["seats"] * 6 // 10, lic["seats"])
            for emp in rng.sample(active, min(used, len(active))):
                self.db.execute("INSERT INTO seats (licence_id, employee_id, assigned_on) VALUES (?, ?, ?)",
                                (lic["id"], emp, _shift(TODAY, -rng.randint(30, 900))))
        for dept in depts:
            for _ in range(rng.randint(2, 5)):
                item = rng.choice(MODELS)
                self.db.execute("INSERT INTO purchases (department_id, item, amount, bought_on) VALUES (?, ?, ?, ?)",
                                (dept, item[0], item[3], _shift(TODAY, -rng.randint(5, 300))))

    # ---- policy helpers shared by tools and proposers -------------------------------------------------

    def _cutoff(self) -> str:
        return "2023-03-16" if "short_refresh" in self.variant.rules else "2022-03-16"

    def _min_rating(self) -> float:
        return 4.0 if "strict_vendors" in self.variant.rules else 3.5

    def _room(self, dept_id: int) -> float:
        d = self.db.execute("SELECT budget, spent FROM departments WHERE id = ?", (dept_id,)).fetchone()
        limit = d["budget"] * 0.9 if "budget_reserve" in self.variant.rules else d["budget"]
        return round(limit - d["spent"], 2)

    def _rules(self) -> dict:
        return {"cutoff": self._cutoff(), "min_rating": self._min_rating(),
                "reserve": "budget_reserve" in self.variant.rules}

    def _employee(self, email: str) -> dict:
        row = self.db.execute("SELECT * FROM employees WHERE lower(email) = lower(?)", (email.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"no employee with email {email!r}; find_employees searches the directory")
        return dict(row)

    def _device(self, tag: str) -> dict:
        row = self.db.execute("SELECT d.*, m.kind, m.maker FROM devices d JOIN models m ON m.id = d.model_id WHERE "
                              "upper(d.asset_tag) = upper(?)", (tag.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"no device with asset tag {tag!r}; search_devices lists devices")
        return dict(row)

    def _department(self, name: str) -> dict:
        row = self.db.execute("SELECT * FROM departments WHERE lower(name) = lower(?)", (name.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"unknown department {name!r}; list_departments shows them")
        return dict(row)

    def _licence(self, product: str) -> dict:
        row = self.db.execute("SELECT * FROM licences WHERE lower(product) = lower(?)", (product.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"unknown licence {product!r}; list_licences shows them")
        return dict(row)

    def _charge(self, dept: dict, amount: float, item: str) -> None:
        room = self._room(dept["id"])
        if amount > room + 1e-9:
            raise ValueError(f"policy: {dept['name']} can spend at most {room:.2f} more; this costs {amount:.2f}")
        self.db.execute("UPDATE departments SET spent = round(spent + ?, 2) WHERE id = ?", (amount, dept["id"]))
        self.db.execute("INSERT INTO purchases (department_id, item, amount, bought_on) VALUES (?, ?, ?, ?)",
                        (dept["id"], item, amount, TODAY))

    def _device_rows(self, where: str = "1", *args) -> list[dict]:
        return self.rows("SELECT d.asset_tag, m.name AS model, m.kind, m.ram_gb, m.storage_gb, d.purchase_date, "
                         "d.warranty_end, d.status, e.email AS holder, e.name AS holder_name, dp.name AS "
                         "holder_department FROM devices d JOIN models m ON m.id = d.model_id LEFT JOIN employees e "
                         "ON e.id = d.employee_id LEFT JOIN departments dp ON dp.id = e.department_id "
                         f"WHERE {where} ORDER BY d.asset_tag", *args)

    # ---- read tools ---------------------------------------------------------------------------------

    @tool("read")
    def get_employee(self, email: str) -> dict:
        """An employee's profile: department, title, status, hire date, the devices they hold and their licence seats.

        Args:
            email: The employee's email address.
        """
        e = self._employee(email)
        e["department"] = self.db.execute("SELECT name FROM departments WHERE id = ?",
                                          (e.pop("department_id"),)).fetchone()[0]
        e["devices"] = self._device_rows("d.employee_id = ?", e.pop("id"))
        e["licences"] = [r["product"] for r in self.rows(
            "SELECT l.product FROM seats s JOIN licences l ON l.id = s.licence_id JOIN employees e ON "
            "e.id = s.employee_id WHERE lower(e.email) = lower(?) ORDER BY l.product", email.strip())]
        return e

    @tool("read")
    def find_employees(self, department: str | None = None, name: str | None = None,
                       status: str | None = None) -> list[dict]:
        """Employees filtered by department, part of the name and/or status (active or leaving), with device count.

        Args:
            department: Department name.
            name: Part of the employee's name.
            status: active or leaving.
        """
        where, args = ["1"], []
        if department:
            where.append("e.department_id = ?")
            args.append(self._department(department)["id"])
        if name:
            where.append("lower(e.name) LIKE ?")
            args.append(f"%{name.strip().lower()}%")
        if status:
            where.append("e.status = lower(?)")
            args.append(status.strip())
        return self.rows("SELECT e.name, e.email, d.name AS department, e.title, e.status, e.hire_date, "
                         "(SELECT COUNT(*) FROM devices v WHERE v.employee_id = e.id) AS devices FROM employees e "
                         f"JOIN departments d ON d.id = e.department_id WHERE {' AND '.join(where)} ORDER BY e.name",
                         *args)

    @tool("read")
    def list_departments(self) -> list[dict]:
        """Departments with hardware budget, amount spent so far and headcount."""
        return self.rows("SELECT d.name, d.budget, d.spent, (SELECT COUNT(*) FROM employees e WHERE "
                         "e.department_id = d.id) AS headcount FROM departments d ORDER BY d.name")

    @tool("read")
    def search_devices(self, kind: str | None = None, status: str | None = None, department: str | None = None,
                       purchased_before: str | None = None, min_ram_gb: int | None = None) -> list[dict]:
        """Devices with model, kind, specs, purchase date, warranty end, status and holder, filtered as given.

        Args:
            kind: laptop, desktop, phone or monitor.
            status: in_use, in_stock, in_repair or retired.
            department: Only devices held by employees of this department.
            purchased_before: Only devices purchased before this date (YYYY-MM-DD).
            min_ram_gb: Only models with at least this much RAM.
        """
        where, args = ["1"], []
        if kind:
            where.append("m.kind = lower(?)")
            args.append(kind.strip())
        if status:
            where.append("d.status = lower(?)")
            args.append(status.strip())
        if department:
            where.append("e.department_id = ?")
            args.append(self._department(department)["id"])
        if purchased_before:
            try:
                dt.date.fromisoformat(purchased_before)
            except ValueError:
                raise ValueError("purchased_before must be a date like 2022-03-16") from None
            where.append("d.purchase_date < ?")
            args.append(purchased_before)
        if min_ram_gb is not None:
            where.append("m.ram_gb >= ?")
            args.append(min_ram_gb)
        return self._device_rows(" AND ".join(where), *args)

    @tool("read")
    def get_device(self, asset_tag: str) -> dict:
        """One device in full: model, maker, specs, dates, status, holder and its repair history.

        Args:
            asset_tag: The asset tag, like AT-12345.
        """
        d = self._device(asset_tag)
        view = self._device_rows("d.id = ?", d["id"])[0] | {"maker": d["maker"]}
        view["repairs"] = self.rows("SELECT r.id, v.name AS vendor, r.issue, r.opened, r.status, r.cost FROM "
                                    "repairs r JOIN vendors v ON v.id = r.vendor_id WHERE r.device_id = ? ORDER BY "
                                    "r.id", d["id"])
        return view

    @tool("read")
    def list_models(self, kind: str | None = None) -> list[dict]:
        """The purchasable device models: kind, maker, price, RAM, storage and warranty years.

        Args:
            kind: Only this kind (laptop, desktop, phone or monitor).
        """
        if kind:
            return self.rows("SELECT name, kind, maker, price, ram_gb, storage_gb, warranty_years FROM models WHERE "
                             "kind = lower(?) ORDER BY price", kind.strip())
        return self.rows("SELECT name, kind, maker, price, ram_gb, storage_gb, warranty_years FROM models "
                         "ORDER BY kind, price")

    @tool("read")
    def list_licences(self) -> list[dict]:
        """Software licences: product, seats, seats in use, expiry date and yearly cost per seat."""
        return self.rows("SELECT l.product, l.seats, (SELECT COUNT(*) FROM seats s WHERE s.licence_id = l.id) AS "
                         "used, l.expiry, l.cost_per_seat FROM licences l ORDER BY l.product")

    @tool("read")
    def get_licence(self, product: str) -> dict:
        """One licence with its holders (name, email, department, status).

        Args:
            product: The product name.
        """
        lic = self._licence(product)
        lic["holders"] = self.rows("SELECT e.name, e.email, d.name AS department, e.status FROM seats s JOIN "
                                   "employees e ON e.id = s.employee_id JOIN departments d ON d.id = e.department_id "
                                   "WHERE s.licence_id = ? ORDER BY e.name", lic.pop("id"))
        lic["used"] = len(lic["holders"])
        return lic

    @tool("read")
    def list_vendors(self) -> list[dict]:
        """Repair vendors (makers and repair shops) with rating, out-of-warranty fee and turnaround days."""
        return self.rows("SELECT name, rating, fee, turnaround_days FROM vendors ORDER BY name")

    @tool("read")
    def list_repairs(self, status: str | None = None) -> list[dict]:
        """Repair tickets, optionally only open or closed ones.

        Args:
            status: open or closed.
        """
        where = "r.status = lower(?)" if status else "? IS NULL"
        return self.rows("SELECT r.id, d.asset_tag, v.name AS vendor, r.issue, r.opened, r.status, r.cost FROM "
                         "repairs r JOIN devices d ON d.id = r.device_id JOIN vendors v ON v.id = r.vendor_id "
                         f"WHERE {where} ORDER BY r.id", status.strip() if status else None)

    # ---- write tools --------------------------------------------------------------------------------

    @tool("write")
    def assign_device(self, asset_tag: str, email: str) -> dict:
        """Assign an in-stock device to an active employee who holds no device of that kind.

        Args:
            asset_tag: The device's asset tag.
            email: The employee's email address.
        """
        d, e = self._device(asset_tag), self._employee(email)
        if d["status"] != "in_stock":
            raise ValueError(f"{d['asset_tag']} is {d['status']}; only in-stock devices can be assigned")
        if e["status"] != "active":
            raise ValueError(f"policy: {e['name']} is {e['status']}; only active employees receive devices")
        if self.db.execute("SELECT 1 FROM devices v JOIN models m ON m.id = v.model_id WHERE v.employee_id = ? AND "
                           "m.kind = ?", (e["id"], d["kind"])).fetchone():
            raise ValueError(f"policy: {e['name']} already holds a {d['kind']}; take it back first")
        self.db.execute("UPDATE devices SET status = 'in_use', employee_id = ? WHERE id = ?", (e["id"], d["id"]))
        return self._device_rows("d.id = ?", d["id"])[0]

    @tool("write")
    def unassign_device(self, asset_tag: str) -> dict:
        """Take a device back from its holder into stock.

        Args:
            asset_tag: The device's asset tag.
        """
        d = self._device(asset_tag)
        if d["status"] == "in_repair":
            raise ValueError(f"policy: {d['asset_tag']} is in repair and cannot be unassigned")
        if d["employee_id"] is None:
            raise ValueError(f"{d['asset_tag']} is not assigned to anyone")
        self.db.execute("UPDATE devices SET status = 'in_stock', employee_id = NULL WHERE id = ?", (d["id"],))
        return self._device_rows("d.id = ?", d["id"])[0]

    @tool("write")
    def retire_device(self, asset_tag: str) -> dict:
        """Retire an unassigned device that is not in repair.

        Args:
            asset_tag: The device's asset tag.
        """
        d = self._device(asset_tag)
        if d["status"] != "in_stock":
            raise ValueError(f"policy: only unassigned in-stock devices can be retired; {d['asset_tag']} is "
                             f"{d['status']}")
        self.db.execute("UPDATE devices SET status = 'retired' WHERE id = ?", (d["id"],))
        return self._device_rows("d.id = ?", d["id"])[0]

    @tool("write")
    def purchase_device(self, model: str, department: str) -> dict:
        """Buy one new device of a catalogue model into stock, charged to a department's budget.

        Args:
            model: The model name from list_models.
            department: Department that pays.
        """
        m = self.db.execute("SELECT * FROM models WHERE lower(name) = lower(?)", (model.strip(),)).fetchone()
        if m is None:
            raise ValueError(f"unknown model {model!r}; list_models shows the catalogue")
        dept = self._department(department)
        self._charge(dept, m["price"], m["name"])
        n = self.db.execute("SELECT MAX(CAST(substr(asset_tag, 4) AS INTEGER)) FROM devices").fetchone()[0] + 1
        self.db.execute("INSERT INTO devices (asset_tag, model_id, purchase_date, warranty_end, status, employee_id) "
                        "VALUES (?, ?, ?, ?, 'in_stock', NULL)",
                        (f"AT-{n}", m["id"], TODAY, _shift(TODAY, 365 * m["warranty_years"])))
        return self._device_rows("d.asset_tag = ?", f"AT-{n}")[0]

    @tool("write")
    def assign_licence(self, product: str, email: str) -> dict:
        """Give an active employee a seat on a licence that has a free seat and has not expired.

        Args:
            product: The product name.
            email: The employee's email address.
        """
        lic, e = self._licence(product), self._employee(email)
        if e["status"] != "active":
            raise ValueError(f"policy: {e['name']} is {e['status']}; only active employees get seats")
        if lic["expiry"] < TODAY:
            raise ValueError(f"policy: the {lic['product']} licence expired on {lic['expiry']}")
        if self.db.execute("SELECT 1 FROM seats WHERE licence_id = ? AND employee_id = ?",
                           (lic["id"], e["id"])).fetchone():
            raise ValueError(f"{e['name']} already has a {lic['product']} seat")
        used = self.db.execute("SELECT COUNT(*) FROM seats WHERE licence_id = ?", (lic["id"],)).fetchone()[0]
        if used >= lic["seats"]:
            raise ValueError(f"policy: all {lic['seats']} {lic['product']} seats are taken; revoke or buy one")
        self.db.execute("INSERT INTO seats (licence_id, employee_id, assigned_on) VALUES (?, ?, ?)",
                        (lic["id"], e["id"], TODAY))
        return {"product": lic["product"], "email": e["email"], "seats": lic["seats"], "used": used + 1}

    @tool("write")
    def revoke_licence(self, product: str, email: str) -> dict:
        """Take an employee's seat on a licence back.

        Args:
            product: The product name.
            email: The employee's email address.
        """
        lic, e = self._licence(product), self._employee(email)
        cur = self.db.execute("DELETE FROM seats WHERE licence_id = ? AND employee_id = ?", (lic["id"], e["id"]))
        if not cur.rowcount:
            raise ValueError(f"{e['name']} holds no {lic['product']} seat")
        return {"product": lic["product"], "email": e["email"], "revoked": True}

    @tool("write")
    def add_licence_seats(self, product: str, count: int, department: str) -> dict:
        """Buy extra seats on a licence that has not expired, charged to a department at the yearly seat cost.

        Args:
            product: The product name.
            count: How many seats to add (at least 1).
            department: Department that pays.
        """
        lic, dept = self._licence(product), self._department(department)
        if count < 1:
            raise ValueError("count must be at least 1")
        if lic["expiry"] < TODAY:
            raise ValueError(f"policy: the {lic['product']} licence has expired; no seats can be added")
        self._charge(dept, round(count * lic["cost_per_seat"], 2), f"{count} x {lic['product']} seat")
        self.db.execute("UPDATE licences SET seats = seats + ? WHERE id = ?", (count, lic["id"]))
        return {"product": lic["product"], "seats": lic["seats"] + count}

    @tool("write")
    def open_repair(self, asset_tag: str, vendor: str, issue: str) -> dict:
        """Send a device to a repair vendor under the repair policy; the device goes into repair.

        Args:
            asset_tag: The device's asset tag.
            vendor: The vendor's name (list_vendors).
            issue: What is wrong.
        """
        d = self._device(asset_tag)
        v = self.db.execute("SELECT * FROM vendors WHERE lower(name) = lower(?)", (vendor.strip(),)).fetchone()
        if v is None:
            raise ValueError(f"unknown vendor {vendor!r}; list_vendors shows them")
        if d["status"] not in ("in_use", "in_stock"):
            raise ValueError(f"{d['asset_tag']} is {d['status']} and cannot be sent for repair")
        if not issue.strip():
            raise ValueError("describe the issue")
        if d["warranty_end"] >= TODAY:
            if v["name"] != d["maker"]:
                raise ValueError(f"policy: {d['asset_tag']} is under warranty; send it to its maker {d['maker']}")
            cost = 0.0
        else:
            if d["purchase_date"] < self._cutoff():
                raise ValueError(f"policy: {d['asset_tag']} is out of warranty and due for refresh; retire it")
            if v["rating"] < self._min_rating():
                raise ValueError(f"policy: out-of-warranty repairs need a vendor rated {self._min_rating()} or more")
            cost = v["fee"]
        self.db.execute("UPDATE devices SET status = 'in_repair' WHERE id = ?", (d["id"],))
        cur = self.db.execute("INSERT INTO repairs (device_id, vendor_id, issue, opened, status, cost) VALUES "
                              "(?, ?, ?, ?, 'open', ?)", (d["id"], v["id"], issue.strip(), TODAY, cost))
        return {"repair_id": cur.lastrowid, "asset_tag": d["asset_tag"], "vendor": v["name"], "cost": cost}

    # ---- proposer helpers ---------------------------------------------------------------------------

    def _names(self) -> list[str]:
        return [r["name"] for r in self.rows("SELECT name FROM employees ORDER BY id")]

    def _stock(self, kind: str, min_ram: int = 0) -> list[dict]:
        return self.rows("SELECT d.id, d.asset_tag, d.purchase_date FROM devices d JOIN models m ON m.id = d.model_id "
                         "WHERE d.status = 'in_stock' AND m.kind = ? AND d.purchase_date >= ? AND m.ram_gb >= ? "
                         "ORDER BY d.id", kind, self._cutoff(), min_ram)

    def _cheapest(self, kind: str, min_ram: int = 0) -> list[dict]:
        models = self.rows("SELECT id, name, price FROM models WHERE kind = ? AND ram_gb >= ? ORDER BY price",
                           kind, min_ram)
        return [m for m in models if m["price"] == models[0]["price"]] if models else []

    def _holds(self, emp_id: int, kind: str) -> bool:
        return bool(self.db.execute("SELECT 1 FROM devices d JOIN models m ON m.id = d.model_id WHERE "
                                    "d.employee_id = ? AND m.kind = ?", (emp_id, kind)).fetchone())

    def _free(self, lic: dict) -> int:
        return lic["seats"] - self.db.execute("SELECT COUNT(*) FROM seats WHERE licence_id = ?",
                                              (lic["id"],)).fetchone()[0]

    def _plan_kit(self, kind: str, heads: int, min_ram: int = 0) -> tuple[list[str], list[str], int, float]:
        """(stock tags allowed, model names allowed, units to buy, cost) for `heads` people needing a `kind`."""
        stock, cheap = self._stock(kind, min_ram), self._cheapest(kind, min_ram)
        buy = max(0, heads - len(stock))
        return ([s["asset_tag"] for s in stock], [m["name"] for m in cheap], buy,
                round(buy * cheap[0]["price"], 2) if cheap else 0.0)

    def _base_expect(self) -> dict:
        return {"devices": {}, "gains": [], "buy": 0, "seats_added": [], "seats_removed": [], "seats_bought": {},
                "spend": {}, "repair": None}

    # ---- proposers: answers -------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_device_holder(self, rng: random.Random) -> TaskDraft | None:
        d = rng.choice(self.rows("SELECT d.asset_tag, e.name FROM devices d JOIN employees e ON e.id = d.employee_id "
                                 "ORDER BY d.id"))
        return TaskDraft(shape="device_holder", instruction=self.render("device_holder", rng, tag=d["asset_tag"]),
                         solution=Program.of(solve_device_holder, tag=d["asset_tag"]),
                         verifier=Program.of(verify_names, expected=[d["name"]], candidates=self._names()),
                         tools=("get_device", "search_devices", "get_employee"))

    @proposer(difficulty=1)
    def propose_warranty_end(self, rng: random.Random) -> TaskDraft | None:
        d = rng.choice(self.rows("SELECT asset_tag, warranty_end FROM devices WHERE status != 'retired' ORDER BY id"))
        return TaskDraft(shape="warranty_end", instruction=self.render("warranty_end", rng, tag=d["asset_tag"]),
                         solution=Program.of(solve_warranty_end, tag=d["asset_tag"]),
                         verifier=Program.of(verify_dates, expected=[d["warranty_end"]]),
                         tools=("get_device", "search_devices"))

    @proposer(difficulty=1)
    def propose_free_seats(self, rng: random.Random) -> TaskDraft | None:
        lic = rng.choice(self.rows("SELECT * FROM licences ORDER BY id"))
        return TaskDraft(shape="free_seats", instruction=self.render("free_seats", rng, product=lic["product"]),
                         solution=Program.of(solve_free_seats, product=lic["product"]),
                         verifier=Program.of(verify_number, expected=self._free(lic)),
                         tools=("list_licences", "get_licence"))

    @proposer(difficulty=2)
    def propose_refresh_count(self, rng: random.Random) -> TaskDraft | None:
        dept, kind = rng.choice(self.rows("SELECT name FROM departments ORDER BY id"))["name"], rng.choice(KINDS)
        n = self.db.execute("SELECT COUNT(*) FROM devices d JOIN models m ON m.id = d.model_id JOIN employees e ON "
                            "e.id = d.employee_id JOIN departments dp ON dp.id = e.department_id WHERE dp.name = ? AND "
                            "m.kind = ? AND d.purchase_date < ?", (dept, kind, self._cutoff())).fetchone()[0]
        spec = {"dept": dept, "kind": kind}
        return TaskDraft(shape="refresh_count", instruction=self.render("refresh_count", rng, **spec),
                         solution=Program.of(solve_refresh_count, **spec, **self._rules()),
                         verifier=Program.of(verify_number, expected=n),
                         tools=("search_devices", "find_employees", "get_employee"))

    @proposer(difficulty=2, attempts=3)
    def propose_oldest_device(self, rng: random.Random) -> TaskDraft | None:
        dept, kind = rng.choice(self.rows("SELECT name FROM departments ORDER BY id"))["name"], rng.choice(KINDS)
        rows = self.rows("SELECT e.name, d.purchase_date FROM devices d JOIN models m ON m.id = d.model_id JOIN "
                         "employees e ON e.id = d.employee_id JOIN departments dp ON dp.id = e.department_id WHERE "
                         "dp.name = ? AND m.kind = ? ORDER BY d.purchase_date", dept, kind)
        if len(rows) < 2 or rows[0]["purchase_date"] == rows[1]["purchase_date"]:
            return None
        spec = {"dept": dept, "kind": kind}
        return TaskDraft(shape="oldest_device", instruction=self.render("oldest_device", rng, **spec),
                         solution=Program.of(solve_oldest_device, **spec),
                         verifier=Program.of(verify_names, expected=[rows[0]["name"]], candidates=self._names()),
                         tools=("search_devices", "find_employees", "get_employee"))

    @proposer(difficulty=2, attempts=3)
    def propose_expiring_licences(self, rng: random.Random) -> TaskDraft | None:
        date = _shift(TODAY, rng.randint(20, 500))
        products = [r["product"] for r in self.rows("SELECT product FROM licences WHERE expiry >= ? AND expiry < ? "
                                                     "ORDER BY product", TODAY, date)]
        if not products:
            return None
        return TaskDraft(shape="expiring_licences", instruction=self.render("expiring_licences", rng, date=date),
                         solution=Program.of(solve_expiring_licences, date=date),
                         verifier=Program.of(verify_names, expected=products, candidates=PRODUCTS),
                         tools=("list_licences", "get_licence"))

    @proposer(difficulty=2)
    def propose_spend_room(self, rng: random.Random) -> TaskDraft | None:
        d = rng.choice(self.rows("SELECT id, name FROM departments ORDER BY id"))
        return TaskDraft(shape="spend_room", instruction=self.render("spend_room", rng, dept=d["name"]),
                         solution=Program.of(solve_spend_room, dept=d["name"], **self._rules()),
                         verifier=Program.of(verify_number, expected=self._room(d["id"])),
                         tools=("list_departments",))

    # ---- proposers: changes -------------------------------------------------------------------------

    @proposer(difficulty=3, attempts=3)
    def propose_assign_newest(self, rng: random.Random) -> TaskDraft | None:
        kind = rng.choice(KINDS)
        stock = self._stock(kind)
        if not stock:
            return None
        newest = max(s["purchase_date"] for s in stock)
        people = [e for e in self.rows("SELECT id, email FROM employees WHERE status = 'active' ORDER BY id")
                  if not self._holds(e["id"], kind)]
        if not people:
            return None
        e = rng.choice(people)
        expect = self._base_expect() | {"gains": [{"email": e["email"], "kind": kind, "stock": [
            s["asset_tag"] for s in stock if s["purchase_date"] == newest], "models": []}]}
        spec = {"email": e["email"], "kind": kind}
        return TaskDraft(shape="assign_newest", instruction=self.render("assign_newest", rng, **spec),
                         solution=Program.of(solve_assign_newest, **spec, **self._rules()),
                         verifier=Program.of(verify_assets, **expect),
                         tools=("search_devices", "get_employee", "assign_device", "get_device"))

    @proposer(difficulty=3, attempts=3)
    def propose_repair_or_retire(self, rng: random.Random) -> TaskDraft | None:
        d = rng.choice(self.rows("SELECT d.id, d.asset_tag, d.purchase_date, d.warranty_end, d.employee_id, m.maker "
                                 "FROM devices d JOIN models m ON m.id = d.model_id WHERE d.status IN "
                                 "('in_use', 'in_stock') ORDER BY d.id"))
        expect = self._base_expect()
        if d["warranty_end"] >= TODAY:
            expect["repair"] = {"tag": d["asset_tag"], "vendors": [d["maker"]], "cost": 0.0}
        elif d["purchase_date"] < self._cutoff():
            expect["devices"] = {d["asset_tag"]: {"status": "retired", "holder": None}}
        elif not self.has_tool("list_vendors"):
            return None
        else:
            ok = self.rows("SELECT name, fee FROM vendors WHERE rating >= ? ORDER BY fee", self._min_rating())
            expect["repair"] = {"tag": d["asset_tag"], "vendors": [v["name"] for v in ok if v["fee"] == ok[0]["fee"]],
                                "cost": ok[0]["fee"]}
        spec = {"tag": d["asset_tag"], "issue": rng.choice(ISSUES)}
        return TaskDraft(shape="repair_or_retire", instruction=self.render("repair_or_retire", rng, **spec),
                         solution=Program.of(solve_repair_or_retire, **spec, **self._rules()),
                         verifier=Program.of(verify_assets, **expect))

    @proposer(difficulty=3, attempts=3)
    def propose_grant_seat(self, rng: random.Random) -> TaskDraft | None:
        lic = rng.choice(self.rows("SELECT * FROM licences WHERE expiry >= ? ORDER BY id", TODAY))
        people = self.rows("SELECT e.id, e.email, d.id AS dept_id, d.name AS dept FROM employees e JOIN departments d "
                           "ON d.id = e.department_id WHERE e.status = 'active' AND e.id NOT IN (SELECT employee_id "
                           "FROM seats WHERE licence_id = ?) ORDER BY e.id", lic["id"])
        if not people:
            return None
        e = rng.choice(people)
        expect = self._base_expect() | {"seats_added": [[lic["product"], e["email"]]]}
        if self._free(lic) <= 0:
            if self._room(e["dept_id"]) < lic["cost_per_seat"]:
                return None
            expect |= {"seats_bought": {lic["product"]: 1}, "spend": {e["dept"]: lic["cost_per_seat"]}}
        spec = {"email": e["email"], "product": lic["product"]}
        return TaskDraft(shape="grant_seat", instruction=self.render("grant_seat", rng, **spec),
                         solution=Program.of(solve_grant_seat, **spec),
                         verifier=Program.of(verify_assets, **expect),
                         tools=("get_employee", "get_licence", "list_licences", "assign_licence",
                                "add_licence_seats"))

    @proposer(difficulty=4, attempts=4)
    def propose_onboard(self, rng: random.Random) -> TaskDraft | None:
        hires = self.rows("SELECT e.id, e.email, d.id AS dept_id, d.name AS dept FROM employees e JOIN departments d "
                          "ON d.id = e.department_id WHERE e.status = 'active' AND NOT EXISTS (SELECT 1 FROM devices "
                          "v WHERE v.employee_id = e.id) ORDER BY e.id")
        lics = self.rows("SELECT * FROM licences WHERE expiry >= ? ORDER BY id", TODAY)
        lics = [lic for lic in lics if self._free(lic) > 0]
        if not hires or not lics:
            return None
        e, lic = rng.choice(hires), rng.choice(lics)
        kind_a, kind_b = rng.sample(["laptop", "phone", "monitor", "desktop"], 2)
        expect = self._base_expect() | {"seats_added": [[lic["product"], e["email"]]]}
        cost = 0.0
        for kind in (kind_a, kind_b):
            stock, models, buy, price = self._plan_kit(kind, 1)
            expect["gains"].append({"email": e["email"], "kind": kind, "stock": stock, "models": models})
            expect["buy"] += buy
            cost += price
        if cost > self._room(e["dept_id"]):
            return None
        if cost:
            expect["spend"] = {e["dept"]: round(cost, 2)}
        spec = {"email": e["email"], "kind_a": kind_a, "kind_b": kind_b, "product": lic["product"]}
        return TaskDraft(shape="onboard", instruction=self.render("onboard", rng, **spec),
                         solution=Program.of(solve_onboard, **spec, **self._rules()),
                         verifier=Program.of(verify_assets, **expect))

    @proposer(difficulty=4, attempts=4)
    def propose_offboard(self, rng: random.Random) -> TaskDraft | None:
        e = rng.choice(self.rows("SELECT id, email FROM employees WHERE EXISTS (SELECT 1 FROM devices d WHERE "
                                 "d.employee_id = employees.id) ORDER BY id"))
        devices = self.rows("SELECT asset_tag, purchase_date, status FROM devices WHERE employee_id = ? ORDER BY id",
                            e["id"])
        held = [r["product"] for r in self.rows("SELECT l.product FROM seats s JOIN licences l ON l.id = s.licence_id "
                                                "WHERE s.employee_id = ? ORDER BY l.product", e["id"])]
        retire = sum(d["status"] != "in_repair" and d["purchase_date"] < self._cutoff() for d in devices)
        if len(devices) + len(held) + retire < 5:  # with the profile lookup, at least six calls
            return None
        lic = rng.choice(self.rows("SELECT * FROM licences WHERE expiry >= ? ORDER BY id", TODAY))
        mates = self.rows("SELECT email FROM employees WHERE status = 'active' AND id != ? AND id NOT IN (SELECT "
                          "employee_id FROM seats WHERE licence_id = ?) ORDER BY id", e["id"], lic["id"])
        if not mates:
            return None
        colleague = rng.choice(mates)["email"]
        expect = self._base_expect() | {"seats_removed": [[p, e["email"]] for p in held]}
        expect["devices"] = {d["asset_tag"]: {"status": "retired" if d["purchase_date"] < self._cutoff() else
                                              "in_stock", "holder": None}
                             for d in devices if d["status"] != "in_repair"}
        if lic["product"] in held:
            expect["seats_added"] = [[lic["product"], colleague]]
        spec = {"email": e["email"], "product": lic["product"], "colleague": colleague}
        return TaskDraft(shape="offboard", instruction=self.render("offboard", rng, **spec),
                         solution=Program.of(solve_offboard, **spec, **self._rules()),
                         verifier=Program.of(verify_assets, **expect))

    @proposer(difficulty=4, attempts=4)
    def propose_licence_rollout(self, rng: random.Random) -> TaskDraft | None:
        lic = rng.choice(self.rows("SELECT * FROM licences WHERE expiry >= ? ORDER BY id", TODAY))
        dept = rng.choice(self.rows("SELECT id, name FROM departments ORDER BY id"))
        holders = {r["employee_id"] for r in self.rows("SELECT employee_id FROM seats WHERE licence_id = ?", lic["id"])}
        need = [r["email"] for r in self.rows("SELECT id, email FROM employees WHERE department_id = ? AND status = "
                                              "'active' ORDER BY id", dept["id"]) if r["id"] not in holders]
        leavers = [r["email"] for r in self.rows("SELECT e.email FROM seats s JOIN employees e ON e.id = "
                                                 "s.employee_id WHERE s.licence_id = ? AND e.status = 'leaving' "
                                                 "ORDER BY e.id", lic["id"])]
        buy = max(0, len(need) - self._free(lic) - len(leavers))
        cost = round(buy * lic["cost_per_seat"], 2)
        if not 2 <= len(need) <= 12 or len(need) + len(leavers) + bool(buy) < 4 or cost > self._room(dept["id"]):
            return None
        expect = self._base_expect() | {"seats_added": [[lic["product"], m] for m in need],
                                        "seats_removed": [[lic["product"], m] for m in leavers]}
        if buy:
            expect |= {"seats_bought": {lic["product"]: buy}, "spend": {dept["name"]: cost}}
        spec = {"dept": dept["name"], "product": lic["product"]}
        return TaskDraft(shape="licence_rollout", instruction=self.render("licence_rollout", rng, **spec),
                         solution=Program.of(solve_licence_rollout, **spec),
                         verifier=Program.of(verify_assets, **expect))

    @proposer(difficulty=5, attempts=6)
    def propose_refresh_wave(self, rng: random.Random) -> TaskDraft | None:
        dept = rng.choice(self.rows("SELECT id, name FROM departments ORDER BY id"))
        kind, ram = rng.choice([("laptop", 16), ("laptop", 32), ("laptop", 8), ("phone", 8), ("desktop", 16),
                                ("desktop", 32), ("phone", 6)])
        due = self.rows("SELECT d.asset_tag, d.purchase_date, e.email FROM devices d JOIN models m ON m.id = "
                        "d.model_id JOIN employees e ON e.id = d.employee_id WHERE e.department_id = ? AND m.kind = ? "
                        "AND d.status = 'in_use' AND e.status = 'active' AND d.purchase_date < ? "
                        "ORDER BY d.purchase_date", dept["id"], kind, self._cutoff())
        if any(self.rows("SELECT 1 FROM devices d JOIN models m ON m.id = d.model_id JOIN employees e ON e.id = "
                         "d.employee_id WHERE e.department_id = ? AND m.kind = ? AND d.status = 'in_repair' AND "
                         "d.purchase_date < ?", dept["id"], kind, self._cutoff())):
            return None  # a due unit in repair would make "held and due" ambiguous
        stock, cheap = self._stock(kind, ram), self._cheapest(kind, ram)
        affordable = int((self._room(dept["id"]) + 1e-9) // cheap[0]["price"]) if self._room(dept["id"]) > 0 else 0
        count = min(len(due), len(stock) + affordable)
        if not 2 <= count <= 6 or (count < len(due) and due[count - 1]["purchase_date"] == due[count]["purchase_date"]):
            return None
        buy = max(0, count - len(stock))
        expect = self._base_expect() | {
            "devices": {d["asset_tag"]: {"status": "retired", "holder": None} for d in due[:count]},
            "gains": [{"email": d["email"], "kind": kind, "stock": [s["asset_tag"] for s in stock],
                       "models": [m["name"] for m in cheap]} for d in due[:count]],
            "buy": buy}
        if buy:
            expect["spend"] = {dept["name"]: round(buy * cheap[0]["price"], 2)}
        spec = {"dept": dept["name"], "kind": kind, "ram": ram}
        return TaskDraft(shape="refresh_wave", instruction=self.render("refresh_wave", rng, **spec),
                         solution=Program.of(solve_refresh_wave, **spec, **self._rules()),
                         verifier=Program.of(verify_assets, **expect))

    @proposer(difficulty=5, attempts=4)
    def propose_team_onboard(self, rng: random.Random) -> TaskDraft | None:
        dept = rng.choice(self.rows("SELECT id, name FROM departments ORDER BY id"))
        hires = [r["email"] for r in self.rows("SELECT email FROM employees e WHERE department_id = ? AND status = "
                                               "'active' AND NOT EXISTS (SELECT 1 FROM devices v WHERE v.employee_id "
                                               "= e.id) ORDER BY id", dept["id"])]
        lic = rng.choice(self.rows("SELECT * FROM licences WHERE expiry >= ? ORDER BY id", TODAY))
        kind = rng.choice(["laptop", "laptop", "phone", "desktop", "monitor"])
        holders = {r["email"] for r in self.rows("SELECT e.email FROM seats s JOIN employees e ON e.id = "
                                                 "s.employee_id WHERE s.licence_id = ?", lic["id"])}
        need_seat = [h for h in hires if h not in holders]
        if not 2 <= len(hires) <= 4 or not need_seat:
            return None
        stock, models, buy, price = self._plan_kit(kind, len(hires))
        seats = max(0, len(need_seat) - self._free(lic))
        cost = round(price + seats * lic["cost_per_seat"], 2)
        if cost > self._room(dept["id"]):
            return None
        expect = self._base_expect() | {
            "gains": [{"email": h, "kind": kind, "stock": stock, "models": models} for h in hires], "buy": buy,
            "seats_added": [[lic["product"], h] for h in need_seat],
            "seats_bought": {lic["product"]: seats} if seats else {}, "spend": {dept["name"]: cost} if cost else {}}
        spec = {"dept": dept["name"], "kind": kind, "product": lic["product"]}
        return TaskDraft(shape="team_onboard", instruction=self.render("team_onboard", rng, **spec),
                         solution=Program.of(solve_team_onboard, **spec, **self._rules()),
                         verifier=Program.of(verify_assets, **expect))


# ---- solutions: tools and computation only --------------------------------------------------------

def solve_device_holder(tools, params):
    return tools.get_device(asset_tag=params["tag"])["holder_name"]


def solve_warranty_end(tools, params):
    return tools.get_device(asset_tag=params["tag"])["warranty_end"]


def solve_free_seats(tools, params):
    lic = next(x for x in tools.list_licences() if x["product"] == params["product"])
    return lic["seats"] - lic["used"]


def solve_refresh_count(tools, params):
    return len(tools.search_devices(kind=params["kind"], department=params["dept"], purchased_before=params["cutoff"]))


def solve_oldest_device(tools, params):
    devices = tools.search_devices(kind=params["kind"], department=params["dept"])
    return min(devices, key=lambda d: d["purchase_date"])["holder_name"]


def solve_expiring_licences(tools, params):
    today = "2026-03-16"
    return ", ".join(x["product"] for x in tools.list_licences() if today <= x["expiry"] < params["date"])


def solve_spend_room(tools, params):
    d = next(x for x in tools.list_departments() if x["name"] == params["dept"])
    limit = d["budget"] * 0.9 if params["reserve"] else d["budget"]
    return round(limit - d["spent"], 2)


def solve_assign_newest(tools, params):
    stock = [d for d in tools.search_devices(kind=params["kind"], status="in_stock")
             if d["purchase_date"] >= params["cutoff"]]
    best = max(stock, key=lambda d: d["purchase_date"])
    tools.assign_device(asset_tag=best["asset_tag"], email=params["email"])
    return f"Assigned {best['asset_tag']}"


def solve_repair_or_retire(tools, params):
    today = "2026-03-16"
    d = tools.get_device(asset_tag=params["tag"])
    if d["warranty_end"] >= today:
        tools.open_repair(asset_tag=params["tag"], vendor=d["maker"], issue=params["issue"])
        return f"Sent to {d['maker']} under warranty"
    if d["purchase_date"] < params["cutoff"]:
        if d["holder"]:
            tools.unassign_device(asset_tag=params["tag"])
        tools.retire_device(asset_tag=params["tag"])
        return "Retired: out of warranty and due for refresh"
    vendor = min((v for v in tools.list_vendors() if v["rating"] >= params["min_rating"]), key=lambda v: v["fee"])
    tools.open_repair(asset_tag=params["tag"], vendor=vendor["name"], issue=params["issue"])
    return f"Sent to {vendor['name']}"


def solve_grant_seat(tools, params):
    lic = tools.get_licence(product=params["product"])
    if lic["used"] >= lic["seats"]:
        dept = tools.get_employee(email=params["email"])["department"]
        tools.add_licence_seats(product=params["product"], count=1, department=dept)
    tools.assign_licence(product=params["product"], email=params["email"])
    return "Seat assigned"


def solve_onboard(tools, params):
    dept = tools.get_employee(email=params["email"])["department"]
    for kind in (params["kind_a"], params["kind_b"]):
        # an in-stock unit not due for refresh, else a new unit of the cheapest model
        stock = [d for d in tools.search_devices(kind=kind, status="in_stock")
                 if d["purchase_date"] >= params["cutoff"]]
        if stock:
            tag = stock[0]["asset_tag"]
        else:
            model = min(tools.list_models(kind=kind), key=lambda m: m["price"])
            tag = tools.purchase_device(model=model["name"], department=dept)["asset_tag"]
        tools.assign_device(asset_tag=tag, email=params["email"])
    tools.assign_licence(product=params["product"], email=params["email"])
    return "Onboarded"


def solve_offboard(tools, params):
    person = tools.get_employee(email=params["email"])
    for d in person["devices"]:
        if d["status"] == "in_repair":
            continue
        tools.unassign_device(asset_tag=d["asset_tag"])
        if d["purchase_date"] < params["cutoff"]:
            tools.retire_device(asset_tag=d["asset_tag"])
    for product in person["licences"]:
        tools.revoke_licence(product=product, email=params["email"])
    if params["product"] in person["licences"]:
        tools.assign_licence(product=params["product"], email=params["colleague"])
    return "Offboarded"


def solve_licence_rollout(tools, params):
    lic = tools.get_licence(product=params["product"])
    have = {h["email"] for h in lic["holders"]}
    leavers = [h["email"] for h in lic["holders"] if h["status"] == "leaving"]
    for email in leavers:
        tools.revoke_licence(product=params["product"], email=email)
    need = [e["email"] for e in tools.find_employees(department=params["dept"], status="active")
            if e["email"] not in have]
    free = lic["seats"] - lic["used"] + len(leavers)
    if len(need) > free:
        tools.add_licence_seats(product=params["product"], count=len(need) - free, department=params["dept"])
    for email in need:
        tools.assign_licence(product=params["product"], email=email)
    return f"{len(need)} seats assigned"


def solve_refresh_wave(tools, params):
    depts = {d["name"]: d for d in tools.list_departments()}
    d = depts[params["dept"]]
    room = (d["budget"] * 0.9 if params["reserve"] else d["budget"]) - d["spent"]
    active = {e["email"] for e in tools.find_employees(department=params["dept"], status="active")}
    due = sorted((x for x in tools.search_devices(kind=params["kind"], department=params["dept"],
                                                  purchased_before=params["cutoff"])
                  if x["status"] == "in_use" and x["holder"] in active),
                 key=lambda x: x["purchase_date"])
    stock = [x["asset_tag"] for x in tools.search_devices(kind=params["kind"], status="in_stock",
                                                          min_ram_gb=params["ram"])
             if x["purchase_date"] >= params["cutoff"]]
    model = min((m for m in tools.list_models(kind=params["kind"]) if m["ram_gb"] >= params["ram"]),
                key=lambda m: m["price"])
    done = 0
    for old in due:
        if stock:
            tag = stock.pop(0)
        elif model["price"] <= room + 1e-9:
            tag = tools.purchase_device(model=model["name"], department=params["dept"])["asset_tag"]
            room -= model["price"]
        else:
            break
        tools.unassign_device(asset_tag=old["asset_tag"])
        tools.retire_device(asset_tag=old["asset_tag"])
        tools.assign_device(asset_tag=tag, email=old["holder"])
        done += 1
    return f"Replaced {done} devices"


def solve_team_onboard(tools, params):
    hires = [e for e in tools.find_employees(department=params["dept"], status="active") if e["devices"] == 0]
    lic = tools.get_licence(product=params["product"])
    have = {h["email"] for h in lic["holders"]}
    need_seat = [h["email"] for h in hires if h["email"] not in have]
    stock = [x["asset_tag"] for x in tools.search_devices(kind=params["kind"], status="in_stock")
             if x["purchase_date"] >= params["cutoff"]]
    model = min(tools.list_models(kind=params["kind"]), key=lambda m: m["price"])
    extra = max(0, len(need_seat) - (lic["seats"] - lic["used"]))
    if extra:
        tools.add_licence_seats(product=params["product"], count=extra, department=params["dept"])
    for h in hires:
        tag = stock.pop(0) if stock else tools.purchase_device(model=model["name"],
                                                                department=params["dept"])["asset_tag"]
        tools.assign_device(asset_tag=tag, email=h["email"])
    for email in need_seat:
        tools.assign_licence(product=params["product"], email=email)
    return f"Onboarded {len(hires)} people"


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_dates(outcome, params):
    from verifiers.answers import only_dates

    ok = only_dates(outcome.answer, params["expected"])
    return ok, [] if ok else [f"expected the date {params['expected']}, got {outcome.answer!r}"]


def verify_assets(outcome, params):
    """Devices, kit handed out, seats, purchases and repairs are exactly as required; nothing else changed.

    devices: tag -> required final status and holder email; gains: an employee ends up holding one new device of
    a kind, taken from the allowed stock tags or newly bought of an allowed model; buy: how many devices must be
    bought; seats_added / seats_removed: [product, email] pairs; seats_bought: product -> extra seats;
    spend: department -> added spending; repair: the one repair to open (allowed vendors, cost)."""
    from verifiers.state import diff_table, unchanged

    reasons = []
    q = "SELECT d.*, m.name AS model, m.kind, e.email FROM devices d JOIN models m ON m.id = d.model_id " \
        "LEFT JOIN employees e ON e.id = d.employee_id"
    before = {r["asset_tag"]: r for r in outcome.initial_rows(q)}
    after = {r["asset_tag"]: r for r in outcome.rows(q)}
    new = {t: r for t, r in after.items() if t not in before}
    if len(new) != params["buy"] or any(r["purchase_date"] != "2026-03-16" for r in new.values()):
        reasons.append(f"{len(new)} devices were bought, expected {params['buy']}")
    used = set()
    for gain in params["gains"]:
        got = [t for t, r in after.items() if r["email"] == gain["email"] and r["kind"] == gain["kind"]
               and (t not in before or before[t]["email"] != gain["email"])]
        if len(got) != 1:
            reasons.append(f"{gain['email']} should receive one {gain['kind']}, got {got}")
            continue
        tag = got[0]
        if tag in before and tag not in gain["stock"]:
            reasons.append(f"{gain['email']} got {tag}, not one of the allowed stock units")
        if tag in new and (after[tag]["model"] not in gain["models"] or not gain["models"]):
            reasons.append(f"{gain['email']} got a new {after[tag]['model']}, allowed {gain['models']}")
        if after[tag]["status"] != "in_use":
            reasons.append(f"{tag} should be in use")
        used.add(tag)
    for tag, want in params["devices"].items():
        row = after.get(tag)
        if row is None or row["status"] != want["status"] or row["email"] != want["holder"]:
            reasons.append(f"{tag} should be {want['status']} with holder {want['holder']}")
    allowed = set(params["devices"]) | used
    repair = params["repair"]
    if repair:
        allowed.add(repair["tag"])
        if after[repair["tag"]]["status"] != "in_repair" or after[repair["tag"]]["email"] != \
                before[repair["tag"]]["email"]:
            reasons.append(f"{repair['tag']} should be in repair and keep its holder")
    for tag, row in after.items():
        if tag in before and tag not in allowed and row != before[tag]:
            reasons.append(f"device {tag} changed but should not have")
        if tag in new and tag not in used:
            reasons.append(f"new device {tag} was bought but not handed out")
    added, removed, changed = diff_table(outcome.initial, outcome.db, "repairs")
    vendors = {r["id"]: r["name"] for r in outcome.rows("SELECT id, name FROM vendors")}
    tags = {r["id"]: r["asset_tag"] for r in outcome.rows("SELECT id, asset_tag FROM devices")}
    if removed or changed:
        reasons.append("existing repairs changed")
    if repair:
        if len(added) != 1 or tags[added[0]["device_id"]] != repair["tag"] or \
                vendors[added[0]["vendor_id"]] not in repair["vendors"] or \
                abs(added[0]["cost"] - repair["cost"]) > 0.005:
            reasons.append(f"expected one repair of {repair['tag']} at one of {repair['vendors']}")
    elif added:
        reasons.append("no repair should have been opened")
    seat_q = "SELECT l.product, e.email FROM seats s JOIN licences l ON l.id = s.licence_id JOIN employees e " \
             "ON e.id = s.employee_id"
    s0 = {(r["product"], r["email"]) for r in outcome.initial_rows(seat_q)}
    s1 = {(r["product"], r["email"]) for r in outcome.rows(seat_q)}
    if s1 - s0 != {tuple(p) for p in params["seats_added"]}:
        reasons.append(f"seats added {sorted(s1 - s0)}, expected {params['seats_added']}")
    if s0 - s1 != {tuple(p) for p in params["seats_removed"]}:
        reasons.append(f"seats revoked {sorted(s0 - s1)}, expected {params['seats_removed']}")
    l0 = {r["product"]: r for r in outcome.initial_rows("SELECT * FROM licences")}
    for r in outcome.rows("SELECT * FROM licences"):
        old = l0[r["product"]]
        if r["seats"] - old["seats"] != params["seats_bought"].get(r["product"], 0) or \
                (r["expiry"], r["cost_per_seat"]) != (old["expiry"], old["cost_per_seat"]):
            reasons.append(f"licence {r['product']} should gain {params['seats_bought'].get(r['product'], 0)} seats")
    d0 = {r["name"]: r for r in outcome.initial_rows("SELECT * FROM departments")}
    for r in outcome.rows("SELECT * FROM departments"):
        delta = round(r["spent"] - d0[r["name"]]["spent"], 2)
        if abs(delta - params["spend"].get(r["name"], 0)) > 0.005 or r["budget"] != d0[r["name"]]["budget"]:
            reasons.append(f"{r['name']} spending moved by {delta}, expected {params['spend'].get(r['name'], 0)}")
    reasons += [f"{t} changed" for t in unchanged(outcome.initial, outcome.db, ["employees", "models", "vendors"])]
    return not reasons, reasons
