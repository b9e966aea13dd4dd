"""The search desk's world: a fictional world of countries, cities, people, companies, products and events, the
encyclopedia and news documents written about it, and the text helpers the search engine uses."""

from __future__ import annotations

import random
import re

COUNTRIES = ["Norvania", "Estrelia", "Quarland", "Tessaly", "Marovia", "Kelderra"]
CITY_NAMES = [
    "Valmora",
    "Kesterby",
    "Orlin Bay",
    "Drummond Reach",
    "Sallow Ford",
    "Pellinor",
    "Wexhaven",
    "Ambergate",
    "Corrowick",
    "Thistlemere",
    "Brenmouth",
    "Halvard",
    "Istrane",
    "Lunsby",
    "Moravel",
    "Nettlecombe",
    "Ostergard",
    "Pyrrin",
    "Quellport",
    "Rhosvale",
    "Silverholm",
    "Tarrowby",
    "Umberlee",
    "Vessany",
]
FIRST = [
    "Arlen",
    "Brisa",
    "Corvin",
    "Delphine",
    "Emrys",
    "Fenna",
    "Galen",
    "Hesper",
    "Idris",
    "Jorun",
    "Kalla",
    "Lorcan",
    "Maelis",
    "Nerys",
    "Oskar",
    "Perrin",
    "Quilla",
    "Rowan",
    "Sabra",
    "Tamsin",
    "Ulric",
    "Vesna",
    "Wren",
    "Yorick",
    "Zelda",
    "Anselm",
    "Brielle",
    "Cato",
    "Dagny",
    "Elowen",
]
LAST = [
    "Ashgrove",
    "Brightwater",
    "Calloway",
    "Dunmore",
    "Everly",
    "Farrow",
    "Greythorn",
    "Halloway",
    "Ingram",
    "Jessamy",
    "Kettering",
    "Lockhart",
    "Merriweather",
    "Northcott",
    "Oakenfold",
    "Pemberly",
    "Quenby",
    "Redfern",
    "Stanmore",
    "Thackeray",
    "Underhill",
    "Vantongeren",
    "Whitlock",
    "Yardley",
]
ROLES = [
    "engineer",
    "designer",
    "economist",
    "chemist",
    "architect",
    "chef",
    "journalist",
    "pilot",
    "botanist",
    "physician",
    "lawyer",
    "composer",
]
CO_ROOTS = [
    "Brightforge",
    "Lumora",
    "Quillstone",
    "Veltrix",
    "Corvane",
    "Halcyon",
    "Mistral",
    "Northwind",
    "Pyxis",
    "Solenne",
    "Tidewater",
    "Umbra",
    "Verdant",
    "Zephyrine",
    "Ironbark",
    "Glasswing",
    "Emberly",
    "Fallowmere",
    "Kestrel",
    "Larchmont",
    "Moonrake",
    "Oriel",
    "Redwake",
    "Saltire",
]
CO_SUFFIX = {
    "robotics": "Robotics",
    "food": "Foods",
    "energy": "Energy",
    "software": "Systems",
    "textiles": "Textiles",
    "aerospace": "Aeronautics",
    "biotech": "Biosciences",
}
PRODUCT_WORDS = [
    "Aster",
    "Beacon",
    "Cinder",
    "Drift",
    "Echo",
    "Falcon",
    "Glimmer",
    "Harbor",
    "Ion",
    "Juniper",
    "Kite",
    "Lumen",
    "Meridian",
    "Nimbus",
    "Onyx",
    "Prism",
    "Quartz",
    "Ripple",
    "Sable",
    "Tundra",
    "Vesper",
    "Willow",
    "Zenith",
    "Arbor",
]
PRODUCT_KIND = {
    "robotics": ["Arm", "Rover", "Drone"],
    "food": ["Crisps", "Tonic", "Granola"],
    "energy": ["Cell", "Turbine", "Panel"],
    "software": ["Suite", "Cloud", "Ledger"],
    "textiles": ["Weave", "Fleece", "Canvas"],
    "aerospace": ["Glider", "Jet", "Satellite"],
    "biotech": ["Assay", "Serum", "Kit"],
}
EVENT_KINDS = ["Summit", "Expo", "Forum", "Fair", "Symposium", "Showcase"]
STOP = {
    "the",
    "a",
    "an",
    "of",
    "in",
    "and",
    "was",
    "is",
    "by",
    "at",
    "to",
    "for",
    "on",
    "its",
    "it",
    "which",
    "who",
    "what",
    "with",
    "as",
    "from",
    "that",
    "this",
    "has",
    "had",
}


def tokens(text: str) -> list[str]:
    return [t for t in re.findall(r"[a-z0-9]+", text.lower()) if t not in STOP]


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


class SearchWorld:
    def build(self, rng: random.Random) -> None:
        self.db.executescript("""
            CREATE TABLE cities (id INTEGER PRIMARY KEY, name TEXT UNIQUE, country TEXT, population INTEGER,
                founded INTEGER);
            CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT UNIQUE, born_city INTEGER, birth_year INTEGER,
                role TEXT, employer INTEGER);
            CREATE TABLE companies (id INTEGER PRIMARY KEY, name TEXT UNIQUE, industry TEXT, founded INTEGER,
                hq_city INTEGER, founder INTEGER, employees INTEGER, acquired_by INTEGER, acquired_year INTEGER);
            CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT UNIQUE, company INTEGER, category TEXT,
                launch_year INTEGER, price REAL);
            CREATE TABLE events (id INTEGER PRIMARY KEY, name TEXT UNIQUE, city INTEGER, year INTEGER,
                organizer INTEGER, attendance INTEGER);
            CREATE TABLE documents (id TEXT PRIMARY KEY, kind TEXT, title TEXT, body TEXT);
            CREATE TABLE doc_facts (doc_id TEXT, fact TEXT, PRIMARY KEY (doc_id, fact));
            CREATE TABLE bookmarks (id INTEGER PRIMARY KEY, doc_id TEXT, note TEXT);
            CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT, text TEXT);
            CREATE TABLE citations (id INTEGER PRIMARY KEY, doc_id TEXT UNIQUE, claim TEXT);
        """)
        n_city, n_people, n_co, n_ev = {
            "small": (14, 90, 16, 14),
            "medium": (18, 110, 22, 20),
            "large": (24, 160, 24, 28),
        }[self.variant.scale]
        countries = rng.sample(COUNTRIES, 4)
        for name in rng.sample(CITY_NAMES, n_city):
            self.db.execute(
                "INSERT INTO cities (name, country, population, founded) VALUES (?, ?, ?, ?)",
                (name, rng.choice(countries), rng.randint(8, 900) * 1000, rng.randint(900, 1850)),
            )
        city_ids = [r["id"] for r in self.rows("SELECT id FROM cities")]
        for name in rng.sample([f"{f} {last}" for f in FIRST for last in LAST], n_people):
            self.db.execute(
                "INSERT INTO people (name, born_city, birth_year, role) VALUES (?, ?, ?, ?)",
                (name, rng.choice(city_ids), rng.randint(1940, 1995), rng.choice(ROLES)),
            )
        people = [r["id"] for r in self.rows("SELECT id FROM people")]
        founders = rng.sample(people, n_co)
        for root, founder in zip(rng.sample(CO_ROOTS, n_co), founders):
            industry = rng.choice(sorted(CO_SUFFIX))
            self.db.execute(
                "INSERT INTO companies (name, industry, founded, hq_city, founder, employees) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    f"{root} {CO_SUFFIX[industry]}",
                    industry,
                    rng.randint(1960, 2018),
                    rng.choice(city_ids),
                    founder,
                    rng.randint(12, 9000),
                ),
            )
        companies = self.rows("SELECT * FROM companies")
        for c in companies:
            self.db.execute("UPDATE people SET employer = ?, role = 'founder' WHERE id = ?", (c["id"], c["founder"]))
        for p in people:
            if p not in founders and rng.random() < 0.7:
                self.db.execute("UPDATE people SET employer = ? WHERE id = ?", (rng.choice(companies)["id"], p))
        for c in rng.sample(companies, len(companies) // 4):
            buyer = rng.choice([b for b in companies if b["id"] != c["id"]])
            self.db.execute(
                "UPDATE companies SET acquired_by = ?, acquired_year = ? WHERE id = ?",
                (buyer["id"], rng.randint(max(c["founded"], buyer["founded"]) + 1, 2025), c["id"]),
            )
        taken = set()
        for c in companies:
            for _ in range(rng.randint(2, 6)):
                name = rng.choice([f"{w} {k}" for w in PRODUCT_WORDS for k in PRODUCT_KIND[c["industry"]]])
                if name in taken:
                    continue
                taken.add(name)
                self.db.execute(
                    "INSERT INTO products (name, company, category, launch_year, price) VALUES (?, ?, ?, ?, ?)",
                    (
                        name,
                        c["id"],
                        c["industry"],
                        rng.randint(c["founded"], 2025),
                        float(rng.randint(5, 4000)) + rng.choice([0, 0.5, 0.99]),
                    ),
                )
        event_names = set()
        while len(event_names) < n_ev:
            event_names.add((rng.choice(CITY_NAMES), rng.choice(sorted(CO_SUFFIX)), rng.choice(EVENT_KINDS)))
        for place, industry, kind in sorted(event_names):
            self.db.execute(
                "INSERT INTO events (name, city, year, organizer, attendance) VALUES (?, ?, ?, ?, ?)",
                (
                    f"{place} {CO_SUFFIX[industry]} {kind}",
                    rng.choice(city_ids),
                    rng.randint(2000, 2025),
                    rng.choice(companies)["id"],
                    rng.randint(200, 40000),
                ),
            )
        self._write_documents(rng)

    def _write_documents(self, rng: random.Random) -> None:
        docs: list[tuple[str, str, str, list[str]]] = []  # kind, title, body, facts
        city = {r["id"]: r for r in self.rows("SELECT * FROM cities")}
        person = {r["id"]: r for r in self.rows("SELECT * FROM people")}
        company = {r["id"]: r for r in self.rows("SELECT * FROM companies")}
        products = self.rows("SELECT * FROM products")
        for c in city.values():
            body = rng.choice(
                [
                    "{n} is a city in {k} with about {p:,} inhabitants. It was founded in {f}.",
                    "Founded in {f}, {n} lies in {k}. Its population is roughly {p:,}.",
                ]
            ).format(n=c["name"], k=c["country"], p=c["population"], f=c["founded"])
            docs.append(("city", c["name"], body, [f"city:{c['id']}:country"]))
        for p in person.values():
            work = ""
            if p["employer"]:
                work = (
                    f" {p['name'].split()[0]} founded {company[p['employer']]['name']}."
                    if p["role"] == "founder"
                    else f" {p['name'].split()[0]} works at {company[p['employer']]['name']} as a {p['role']}."
                )
            body = rng.choice(
                [
                    "{n} was born in {c} in {y}.{w}",
                    "Born in {y} in the city of {c}, {n} is known locally as a {r}.{w}",
                    "{n} ({y}) is a {r} whose birthplace is {c}.{w}",
                ]
            ).format(n=p["name"], c=city[p["born_city"]]["name"], y=p["birth_year"], r=p["role"], w=work)
            facts = [f"person:{p['id']}:born_city", f"person:{p['id']}:birth_year"]
            if p["employer"]:
                facts.append(f"person:{p['id']}:employer")
            docs.append(("person", p["name"], body, facts))
        for c in company.values():
            made = [x["name"] for x in products if x["company"] == c["id"]]
            staff = [x["name"] for x in person.values() if x["employer"] == c["id"] and x["id"] != c["founder"]]
            body = (
                f"{c['name']} is a {c['industry']} company founded in {c['founded']} by "
                f"{person[c['founder']]['name']}. It is headquartered in {city[c['hq_city']]['name']} and employs "
                f"about {c['employees']:,} people. Products: {', '.join(made) or 'none listed'}."
            )
            if staff:
                body += f" Staff include {', '.join(staff)}."
            facts = [f"company:{c['id']}:{a}" for a in ("founded", "founder", "hq")]
            facts += [f"product:{x['id']}:maker" for x in products if x["company"] == c["id"]]
            if c["acquired_by"]:
                body += f" In {c['acquired_year']} it was acquired by {company[c['acquired_by']]['name']}."
                facts.append(f"company:{c['id']}:acquired_by")
            docs.append(("company", c["name"], body, facts))
        for x in products:
            body = rng.choice(
                [
                    "The {n} is a {cat} product made by {m}, launched in {y} at a price of {p:.2f} crowns.",
                    "{m} launched the {n} in {y}. This {cat} product sells for {p:.2f} crowns.",
                ]
            ).format(n=x["name"], cat=x["category"], m=company[x["company"]]["name"], y=x["launch_year"], p=x["price"])
            docs.append(("product", x["name"], body, [f"product:{x['id']}:{a}" for a in ("maker", "price", "launch")]))
        for e in self.rows("SELECT * FROM events"):
            body = (
                f"The {e['name']} was held in {city[e['city']]['name']} in {e['year']}, organized by "
                f"{company[e['organizer']]['name']}. About {e['attendance']:,} visitors attended."
            )
            docs.append(("event", e["name"], body, [f"event:{e['id']}:city", f"event:{e['id']}:organizer"]))
        # news: acquisitions, launches and interviews restate facts in other words
        for c in company.values():
            if c["acquired_by"]:
                buyer = company[c["acquired_by"]]
                body = (
                    f"{buyer['name']} has completed its purchase of {c['name']}, the {c['industry']} firm from "
                    f"{city[c['hq_city']]['name']}. The deal closed in {c['acquired_year']}."
                )
                docs.append(("news", f"{buyer['name']} buys {c['name']}", body, [f"company:{c['id']}:acquired_by"]))
        for x in rng.sample(products, len(products) // 3):
            maker = company[x["company"]]
            body = (
                f"{maker['name']} showed off the {x['name']} this week. Analysts expect the {x['category']} "
                f"market to take note; founder {person[maker['founder']]['name']} attended the launch."
            )
            docs.append(
                (
                    "news",
                    f"{maker['name']} unveils the {x['name']}",
                    body,
                    [f"product:{x['id']}:maker", f"company:{maker['id']}:founder"],
                )
            )
        for p in rng.sample(list(person.values()), len(person) // 5):
            body = (
                f"In a long interview, {p['name']} talks about growing up in {city[p['born_city']]['name']} and "
                f"life as a {p['role']}."
            )
            docs.append(("news", f"Interview: {p['name']}", body, [f"person:{p['id']}:born_city"]))
        rng.shuffle(docs)
        for i, (kind, title, body, facts) in enumerate(docs, start=1):
            doc_id = f"D{i:04d}"
            self.db.execute("INSERT INTO documents VALUES (?, ?, ?, ?)", (doc_id, kind, title, body))
            self.db.executemany("INSERT OR IGNORE INTO doc_facts VALUES (?, ?)", [(doc_id, f) for f in facts])
