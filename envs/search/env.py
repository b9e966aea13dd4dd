"""A document corpus about a fictional world: people, companies, cities, products and events, behind a search engine."""

from __future__ import annotations

import math
import random
import re
from collections import Counter

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool

COUNTRIES = ["Norvania", "Estrelia", "Quarland", "Tessaly", "Marovia", "Kelderra"]
CITY_NAMES = ["Valmora", "Kesterby", "Orlin Bay", "Drummond Reach", "Sallow Ford", "Pellinor", "Wexhaven", "Ambergate",
              "Corrowick", "Thistlemere", "Brenmouth", "Halvard", "Istrane", "Lunsby", "Moravel", "Nettlecombe",
              "Ostergard", "Pyrrin", "Quellport", "Rhosvale", "Silverholm", "Tarrowby", "Umberlee", "Vessany"]
FIRST = ["Arlen", "Brisa", "Corvin", "Delphine", "Emrys", "Fenna", "Galen", "Hesper", "Idris", "Jorun", "Kalla",
         "Lorcan", "Maelis", "Nerys", "Oskar", "Perrin", "Quilla", "Rowan", "Sabra", "Tamsin", "Ulric", "Vesna",
         "Wren", "Yorick", "Zelda", "Anselm", "Brielle", "Cato", "Dagny", "Elowen"]
LAST = ["Ashgrove", "Brightwater", "Calloway", "Dunmore", "Everly", "Farrow", "Greythorn", "Halloway", "Ingram",
        "Jessamy", "Kettering", "Lockhart", "Merriweather", "Northcott", "Oakenfold", "Pemberly", "Quenby",
        "Redfern", "Stanmore", "Thackeray", "Underhill", "Vantongeren", "Whitlock", "Yardley"]
ROLES = ["engineer", "designer", "economist", "chemist", "architect", "chef", "journalist", "pilot", "botanist",
         "physician", "lawyer", "composer"]
CO_ROOTS = ["Brightforge", "Lumora", "Quillstone", "Veltrix", "Corvane", "Halcyon", "Mistral", "Northwind",
            "Pyxis", "Solenne", "Tidewater", "Umbra", "Verdant", "Zephyrine", "Ironbark", "Glasswing", "Emberly",
            "Fallowmere", "Kestrel", "Larchmont", "Moonrake", "Oriel", "Redwake", "Saltire"]
CO_SUFFIX = {"robotics": "Robotics", "food": "Foods", "energy": "Energy", "software": "Systems",
             "textiles": "Textiles", "aerospace": "Aeronautics", "biotech": "Biosciences"}
PRODUCT_WORDS = ["Aster", "Beacon", "Cinder", "Drift", "Echo", "Falcon", "Glimmer", "Harbor", "Ion", "Juniper",
                 "Kite", "Lumen", "Meridian", "Nimbus", "Onyx", "Prism", "Quartz", "Ripple", "Sable", "Tundra",
                 "Vesper", "Willow", "Zenith", "Arbor"]
PRODUCT_KIND = {"robotics": ["Arm", "Rover", "Drone"], "food": ["Crisps", "Tonic", "Granola"],
                "energy": ["Cell", "Turbine", "Panel"], "software": ["Suite", "Cloud", "Ledger"],
                "textiles": ["Weave", "Fleece", "Canvas"], "aerospace": ["Glider", "Jet", "Satellite"],
                "biotech": ["Assay", "Serum", "Kit"]}
EVENT_KINDS = ["Summit", "Expo", "Forum", "Fair", "Symposium", "Showcase"]
STOP = {"the", "a", "an", "of", "in", "and", "was", "is", "by", "at", "to", "for", "on", "its", "it", "which",
        "who", "what", "with", "as", "from", "that", "this", "has", "had"}


def tokens(text: str) -> list[str]:
    return [t for t in re.findall(r"[a-z0-9]+", text.lower()) if t not in STOP]


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


class SearchEnv(EnvTemplate):
    name = "search"
    version = "1.0.0"
    category = "document research"
    agent_category = "search"
    description = ("A research desk over an encyclopedia and news archive about a fictional world of people, "
                   "companies, cities, products and events. Search and read documents, bookmark them, keep notes "
                   "and cite the documents that support your answers.")
    policy = ("Answer only from the documents. Cite a document (submit_citation) only for a claim it actually "
              "states, and cite each document at most once. Every bookmark carries a note. Bookmark or cite only "
              "what the request asks for.")
    variants = VariantSpace(
        optional_tools=("find_in_document", "list_documents", "list_bookmarks"),
        renames={"search": ("search_documents", "query_corpus"), "open_document": ("read_document", "get_document"),
                 "submit_citation": ("cite_document",)},
        rules={"profiles_only": "Cite only encyclopedia profiles (kinds person, company, city, product, event), "
                                "never news articles.",
               "long_notes": "Every bookmark note must be at least three words long."},
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "birthplace": ["In which city was {{person}} born?", "Where was {{person}} born? Name the city.",
                       "Find out the birth city of {{person}}."],
        "product_maker": ["Which company makes the {{product}}?", "Who is the manufacturer of the {{product}}?"],
        "founded_year": ["In what year was {{company}} founded?", "When was {{company}} established? Give the year."],
        "founder_birthplace": [
            "The founder of the company that makes the {{product}} was born in which city?",
            "Trace the {{product}} back to its maker, then to that company's founder: in which city was the founder "
            "born?"],
        "count_products": [
            "How many of {{company}}'s products were launched after {{year}}?",
            "Count the products made by {{company}} whose launch year is later than {{year}}."],
        "earliest_company": [
            "Which company headquartered in {{country}} was founded first?",
            "Among the companies based in {{country}}, which is the oldest (earliest founding year)?"],
        "event_country": [
            "In which country was the {{event}} held?",
            "The {{event}} took place in a city. Which country is that city in?"],
        "cited_acquirer": [
            "Which company acquired {{company}}? Submit a citation of a document that states the acquisition.",
            "Find who bought {{company}} and cite (submit_citation) one document supporting that."],
        "bookmark_staff": [
            "Bookmark the profile document of every person who works at {{company}}, its founder included, each "
            "with a note.",
            "I need the personal profiles of all {{company}} people (staff and founder) bookmarked, with a note on "
            "each."],
        "event_chain": [
            "The {{event}} was organized by a company. Who founded that company, and in which city was the founder "
            "born? Cite one supporting document for each step: the organizer, the founder and the birthplace.",
            "Work out who founded the organizer of the {{event}} and where that person was born. Support each hop "
            "(organizer, founder, birthplace) with a citation."],
        "acquirer_founder": [
            "{{company}} was acquired by another company. Who founded the acquirer, and in what year was that "
            "founder born? Cite a document for the acquisition, one for the founder and one for the birth year.",
            "Find the company that bought {{company}}, its founder, and the founder's year of birth. Cite a "
            "supporting document for each of the three facts."],
        "country_priciest": [
            "Among companies headquartered in {{country}}, which makes the most expensive {{category}} product? "
            "Name the company and the product, and cite the product's document (for its price and maker) and a "
            "document stating the company's headquarters.",
            "Look at every {{category}} product made by a company based in {{country}}. Which is the priciest, and "
            "who makes it? Cite documents for the product's price and maker and for the maker's headquarters."],
        "hometown_founders": [
            "How many companies were founded by people born in {{city}}? Name those companies and cite the "
            "profile of each founder.",
            "Count the companies whose founder was born in {{city}}; list them and cite each founder's profile as "
            "evidence."],
    }

    # ---- database ---------------------------------------------------------------------------------

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
        n_city, n_people, n_co, n_ev = {"small": (14, 90, 16, 14), "medium": (18, 110, 22, 20),
                                        "large": (24, 160, 24, 28)}[self.variant.scale]
        countries = rng.sample(COUNTRIES, 4)
        for name in rng.sample(CITY_NAMES, n_city):
            self.db.execute("INSERT INTO cities (name, country, population, founded) VALUES (?, ?, ?, ?)",
                            (name, rng.choice(countries), rng.randint(8, 900) * 1000, rng.randint(900, 1850)))
        city_ids = [r["id"] for r in self.rows("SELECT id FROM cities")]
        for name in rng.sample([f"{f} {l}" for f in FIRST for l in LAST], n_people):
            self.db.execute("INSERT INTO people (name, born_city, birth_year, role) VALUES (?, ?, ?, ?)",
                            (name, rng.choice(city_ids), rng.randint(1940, 1995), rng.choice(ROLES)))
        people = [r["id"] for r in self.rows("SELECT id FROM people")]
        founders = rng.sample(people, n_co)
        for root, founder in zip(rng.sample(CO_ROOTS, n_co), founders):
            industry = rng.choice(sorted(CO_SUFFIX))
            self.db.execute("INSERT INTO companies (name, industry, founded, hq_city, founder, employees) "
                            "VALUES (?, ?, ?, ?, ?, ?)", (f"{root} {CO_SUFFIX[industry]}", industry,
                                                          rng.randint(1960, 2018), rng.choice(city_ids), founder,
                                                          rng.randint(12, 9000)))
        companies = self.rows("SELECT * FROM companies")
        for c in companies:
            self.db.execute("UPDATE people SET employer = ?, role = 'founder' WHERE id = ?", (c["id"], c["founder"]))
        for p in people:
            if p not in founders and rng.random() < 0.7:
                self.db.execute("UPDATE people SET employer = ? WHERE id = ?", (rng.choice(companies)["id"], p))
        for c in rng.sample(companies, len(companies) // 4):
            buyer = rng.choice([b for b in companies if b["id"] != c["id"]])
            self.db.execute("UPDATE companies SET acquired_by = ?, acquired_year = ? WHERE id = ?",
                            (buyer["id"], rng.randint(max(c["founded"], buyer["founded"]) + 1, 2025), c["id"]))
        names = [f"{w} {k}" for w in PRODUCT_WORDS for ks in PRODUCT_KIND.values() for k in ks]
        taken = set()
        for c in companies:
            for _ in range(rng.randint(2, 6)):
                name = rng.choice([f"{w} {k}" for w in PRODUCT_WORDS for k in PRODUCT_KIND[c["industry"]]])
                if name in taken:
                    continue
                taken.add(name)
                self.db.execute("INSERT INTO products (name, company, category, launch_year, price) VALUES "
                                "(?, ?, ?, ?, ?)", (name, c["id"], c["industry"], rng.randint(c["founded"], 2025),
                                                    float(rng.randint(5, 4000)) + rng.choice([0, 0.5, 0.99])))
        del names
        event_names = set()
        while len(event_names) < n_ev:
            event_names.add((rng.choice(CITY_NAMES), rng.choice(sorted(CO_SUFFIX)), rng.choice(EVENT_KINDS)))
        for place, industry, kind in sorted(event_names):
            self.db.execute("INSERT INTO events (name, city, year, organizer, attendance) VALUES (?, ?, ?, ?, ?)",
                            (f"{place} {CO_SUFFIX[industry]} {kind}", rng.choice(city_ids), rng.randint(2000, 2025),
                             rng.choice(companies)["id"], rng.randint(200, 40000)))
        self._write_documents(rng)

    def _write_documents(self, rng: random.Random) -> None:
        docs: list[tuple[str, str, str, list[str]]] = []  # kind, title, body, facts
        city = {r["id"]: r for r in self.rows("SELECT * FROM cities")}
        person = {r["id"]: r for r in self.rows("SELECT * FROM people")}
        company = {r["id"]: r for r in self.rows("SELECT * FROM companies")}
        products = self.rows("SELECT * FROM products")
        for c in city.values():
            body = rng.choice([
                "{n} is a city in {k} with about {p:,} inhabitants. It was founded in {f}.",
                "Founded in {f}, {n} lies in {k}. Its population is roughly {p:,}.",
            ]).format(n=c["name"], k=c["country"], p=c["population"], f=c["founded"])
            docs.append(("city", c["name"], body, [f"city:{c['id']}:country"]))
        for p in person.values():
            work = ""
            if p["employer"]:
                work = (f" {p['name'].split()[0]} founded {company[p['employer']]['name']}." if p["role"] == "founder"
                        else f" {p['name'].split()[0]} works at {company[p['employer']]['name']} as a {p['role']}.")
            body = rng.choice([
                "{n} was born in {c} in {y}.{w}",
                "Born in {y} in the city of {c}, {n} is known locally as a {r}.{w}",
                "{n} ({y}) is a {r} whose birthplace is {c}.{w}",
            ]).format(n=p["name"], c=city[p["born_city"]]["name"], y=p["birth_year"], r=p["role"], w=work)
            facts = [f"person:{p['id']}:born_city", f"person:{p['id']}:birth_year"]
            if p["employer"]:
                facts.append(f"person:{p['id']}:employer")
            docs.append(("person", p["name"], body, facts))
        for c in company.values():
            made = [x["name"] for x in products if x["company"] == c["id"]]
            staff = [x["name"] for x in person.values() if x["employer"] == c["id"] and x["id"] != c["founder"]]
            body = (f"{c['name']} is a {c['industry']} company founded in {c['founded']} by "
                    f"{person[c['founder']]['name']}. It is headquartered in {city[c['hq_city']]['name']} and employs "
                    f"about {c['employees']:,} people. Products: {', '.join(made) or 'none listed'}.")
            if staff:
                body += f" Staff include {', '.join(staff)}."
            facts = [f"company:{c['id']}:{a}" for a in ("founded", "founder", "hq")]
            facts += [f"product:{x['id']}:maker" for x in products if x["company"] == c["id"]]
            if c["acquired_by"]:
                body += f" In {c['acquired_year']} it was acquired by {company[c['acquired_by']]['name']}."
                facts.append(f"company:{c['id']}:acquired_by")
            docs.append(("company", c["name"], body, facts))
        for x in products:
            body = rng.choice([
                "The {n} is a {cat} product made by {m}, launched in {y} at a price of {p:.2f} crowns.",
                "{m} launched the {n} in {y}. This {cat} product sells for {p:.2f} crowns.",
            ]).format(n=x["name"], cat=x["category"], m=company[x["company"]]["name"], y=x["launch_year"],
                      p=x["price"])
            docs.append(("product", x["name"], body, [f"product:{x['id']}:{a}" for a in ("maker", "price", "launch")]))
        for e in self.rows("SELECT * FROM events"):
            body = (f"The {e['name']} was held in {city[e['city']]['name']} in {e['year']}, organized by "
                    f"{company[e['organizer']]['name']}. About {e['attendance']:,} visitors attended.")
            docs.append(("event", e["name"], body, [f"event:{e['id']}:city", f"event:{e['id']}:organizer"]))
        # news: acquisitions, launches and interviews restate facts in other words
        for c in company.values():
            if c["acquired_by"]:
                buyer = company[c["acquired_by"]]
                body = (f"{buyer['name']} has completed its purchase of {c['name']}, the {c['industry']} firm from "
                        f"{city[c['hq_city']]['name']}. The deal closed in {c['acquired_year']}.")
                docs.append(("news", f"{buyer['name']} buys {c['name']}", body, [f"company:{c['id']}:acquired_by"]))
        for x in rng.sample(products, len(products) // 3):
            maker = company[x["company"]]
            body = (f"{maker['name']} showed off the {x['name']} this week. Analysts expect the {x['category']} "
                    f"market to take note; founder {person[maker['founder']]['name']} attended the launch.")
            docs.append(("news", f"{maker['name']} unveils the {x['name']}", body,
                         [f"product:{x['id']}:maker", f"company:{maker['id']}:founder"]))
        for p in rng.sample(list(person.values()), len(person) // 5):
            body = (f"In a long interview, {p['name']} talks about growing up in {city[p['born_city']]['name']} and "
                    f"life as a {p['role']}.")
            docs.append(("news", f"Interview: {p['name']}", body, [f"person:{p['id']}:born_city"]))
        rng.shuffle(docs)
        for i, (kind, title, body, facts) in enumerate(docs, start=1):
            doc_id = f"D{i:04d}"
            self.db.execute("INSERT INTO documents VALUES (?, ?, ?, ?)", (doc_id, kind, title, body))
            self.db.executemany("INSERT OR IGNORE INTO doc_facts VALUES (?, ?)", [(doc_id, f) for f in facts])

    # ---- helpers ------------------------------------------------------------------------------------

    def _doc(self, doc_id: str) -> dict:
        row = self.db.execute("SELECT * FROM documents WHERE upper(id) = upper(?)", (doc_id.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"no document {doc_id!r}; document ids look like D0042 (see search results)")
        return dict(row)

    def _index(self) -> tuple[list[dict], list[Counter], dict[str, int], float]:
        if getattr(self, "_bm25", None) is None:
            docs = self.rows("SELECT id, kind, title, body FROM documents ORDER BY id")
            tfs = [Counter(tokens(d["title"] + " " + d["title"] + " " + d["body"])) for d in docs]
            df: Counter = Counter()
            for tf in tfs:
                df.update(tf.keys())
            self._bm25 = (docs, tfs, dict(df), sum(sum(tf.values()) for tf in tfs) / len(tfs))
        return self._bm25

    def _rules(self) -> dict:
        return {"profiles_only": "profiles_only" in self.variant.rules, "long_notes": "long_notes" in self.variant.rules}

    # ---- read tools ---------------------------------------------------------------------------------

    @tool("read")
    def search(self, query: str, limit: int = 10, kind: str | None = None) -> list[dict]:
        """Keyword search over all documents, best matches first (BM25). Returns id, kind, title and a snippet.

        Args:
            query: Keywords, e.g. a name or a phrase.
            limit: Most results to return (1-50).
            kind: Only documents of this kind: person, company, city, product, event or news.
        """
        if not 1 <= limit <= 50:
            raise ValueError("limit must be between 1 and 50")
        words = tokens(query)
        if not words:
            raise ValueError("the query has no searchable words")
        docs, tfs, df, avg = self._index()
        n, scored = len(docs), []
        for d, tf in zip(docs, tfs):
            if kind and d["kind"] != kind:
                continue
            length, score = sum(tf.values()), 0.0
            for w in words:
                if tf[w]:
                    idf = math.log(1 + (n - df[w] + 0.5) / (df[w] + 0.5))
                    score += idf * tf[w] * 2.5 / (tf[w] + 1.5 * (0.25 + 0.75 * length / avg))
            if score > 0:
                scored.append((round(score, 4), d))
        scored.sort(key=lambda s: (-s[0], s[1]["id"]))
        out = []
        for score, d in scored[:limit]:
            best = max(sentences(d["body"]), key=lambda s: len(set(tokens(s)) & set(words)))
            out.append({"id": d["id"], "kind": d["kind"], "title": d["title"], "score": score, "snippet": best[:200]})
        return out

    @tool("read")
    def open_document(self, doc_id: str) -> dict:
        """The full text of a document.

        Args:
            doc_id: Document id such as D0042.
        """
        return self._doc(doc_id)

    @tool("read")
    def find_in_document(self, doc_id: str, text: str) -> list[str]:
        """The sentences of a document that contain a piece of text (case-insensitive).

        Args:
            doc_id: Document id.
            text: Text to look for.
        """
        if not text.strip():
            raise ValueError("give some text to look for")
        return [s for s in sentences(self._doc(doc_id)["body"]) if text.strip().lower() in s.lower()]

    @tool("read")
    def list_documents(self, kind: str, offset: int = 0, limit: int = 50) -> dict:
        """Browse document titles of one kind in id order.

        Args:
            kind: person, company, city, product, event or news.
            offset: Titles to skip.
            limit: Most titles to return (1-100).
        """
        if not 1 <= limit <= 100 or offset < 0:
            raise ValueError("limit must be 1-100 and offset >= 0")
        rows = self.rows("SELECT id, title FROM documents WHERE kind = ? ORDER BY id", kind.strip().lower())
        if not rows:
            raise ValueError("unknown kind; use person, company, city, product, event or news")
        return {"kind": kind, "total": len(rows), "documents": rows[offset:offset + limit]}

    @tool("read")
    def list_bookmarks(self) -> list[dict]:
        """Bookmarks made so far, with notes, and citations submitted so far."""
        return self.rows("SELECT 'bookmark' AS type, doc_id, note AS text FROM bookmarks UNION ALL "
                         "SELECT 'citation', doc_id, claim FROM citations")

    # ---- write tools --------------------------------------------------------------------------------

    @tool("write")
    def bookmark(self, doc_id: str, note: str) -> dict:
        """Bookmark a document with a note.

        Args:
            doc_id: Document id.
            note: Why the document matters.
        """
        doc = self._doc(doc_id)
        if not note.strip():
            raise ValueError("policy: every bookmark needs a note")
        if self._rules()["long_notes"] and len(note.split()) < 3:
            raise ValueError("policy: bookmark notes must be at least three words long")
        if self.rows("SELECT 1 FROM bookmarks WHERE doc_id = ?", doc["id"]):
            raise ValueError(f"{doc['id']} is already bookmarked")
        bid = self.db.execute("INSERT INTO bookmarks (doc_id, note) VALUES (?, ?)", (doc["id"], note.strip())).lastrowid
        return {"id": bid, "doc_id": doc["id"], "title": doc["title"]}

    @tool("write")
    def remove_bookmark(self, doc_id: str) -> dict:
        """Remove a bookmark.

        Args:
            doc_id: The bookmarked document's id.
        """
        if not self.db.execute("DELETE FROM bookmarks WHERE doc_id = ?", (self._doc(doc_id)["id"],)).rowcount:
            raise ValueError(f"{doc_id} is not bookmarked")
        return {"removed": doc_id}

    @tool("write")
    def save_note(self, title: str, text: str) -> dict:
        """Keep a research note.

        Args:
            title: Short title.
            text: The note.
        """
        if not title.strip() or not text.strip():
            raise ValueError("a note needs a title and text")
        nid = self.db.execute("INSERT INTO notes (title, text) VALUES (?, ?)", (title.strip(), text)).lastrowid
        return {"id": nid, "title": title.strip()}

    @tool("write")
    def submit_citation(self, doc_id: str, claim: str) -> dict:
        """Cite a document as evidence for a claim in your answer (each document once).

        Args:
            doc_id: Document id.
            claim: The claim the document supports, in a sentence.
        """
        doc = self._doc(doc_id)
        if not claim.strip():
            raise ValueError("state the claim the document supports")
        if self._rules()["profiles_only"] and doc["kind"] == "news":
            raise ValueError("policy: cite encyclopedia profiles only, not news articles")
        if self.rows("SELECT 1 FROM citations WHERE doc_id = ?", doc["id"]):
            raise ValueError(f"{doc['id']} is already cited; cite each document once")
        cid = self.db.execute("INSERT INTO citations (doc_id, claim) VALUES (?, ?)", (doc["id"], claim.strip())).lastrowid
        return {"id": cid, "doc_id": doc["id"], "title": doc["title"]}

    # ---- proposers ----------------------------------------------------------------------------------

    def _names(self, table: str) -> list[str]:
        return [r["name"] for r in self.rows(f"SELECT name FROM {table} ORDER BY name")]

    def _answer_task(self, shape, rng, spec, solve, expected, candidates, tools=None) -> TaskDraft:
        return TaskDraft(shape=shape, instruction=self.render(shape, rng, **spec), solution=Program.of(solve, **spec),
                         verifier=Program.of(verify_names, expected=expected, candidates=candidates, number=None,
                                             facts=[], exact_docs=None, profiles_only=False), tools=tools)

    @proposer(difficulty=1)
    def propose_birthplace(self, rng: random.Random) -> TaskDraft | None:
        p = rng.choice(self.rows("SELECT p.name, c.name AS city FROM people p JOIN cities c ON c.id = p.born_city"))
        return self._answer_task("birthplace", rng, {"person": p["name"]}, solve_birthplace, [p["city"]],
                                 self._names("cities"))

    @proposer(difficulty=1)
    def propose_product_maker(self, rng: random.Random) -> TaskDraft | None:
        x = rng.choice(self.rows("SELECT x.name, c.name AS maker FROM products x JOIN companies c ON c.id = x.company"))
        return self._answer_task("product_maker", rng, {"product": x["name"]}, solve_product_maker, [x["maker"]],
                                 self._names("companies"))

    @proposer(difficulty=1)
    def propose_founded_year(self, rng: random.Random) -> TaskDraft | None:
        c = rng.choice(self.rows("SELECT name, founded FROM companies"))
        return TaskDraft(shape="founded_year", instruction=self.render("founded_year", rng, company=c["name"]),
                         solution=Program.of(solve_founded_year, company=c["name"]),
                         verifier=Program.of(verify_names, expected=[], candidates=[], number=c["founded"], facts=[],
                                             exact_docs=None, profiles_only=False))

    @proposer(difficulty=2)
    def propose_founder_birthplace(self, rng: random.Random) -> TaskDraft | None:
        x = rng.choice(self.rows("SELECT x.name, ci.name AS city FROM products x JOIN companies c ON c.id = x.company "
                                 "JOIN people p ON p.id = c.founder JOIN cities ci ON ci.id = p.born_city"))
        return self._answer_task("founder_birthplace", rng, {"product": x["name"]}, solve_founder_birthplace,
                                 [x["city"]], self._names("cities"))

    @proposer(difficulty=2)
    def propose_count_products(self, rng: random.Random) -> TaskDraft | None:
        c = rng.choice(self.rows("SELECT id, name FROM companies"))
        years = sorted(r["launch_year"] for r in self.rows("SELECT launch_year FROM products WHERE company = ?", c["id"]))
        if len(years) < 2:
            return None
        year = rng.choice(years) - rng.randint(0, 1)
        count = sum(y > year for y in years)
        return TaskDraft(shape="count_products", instruction=self.render("count_products", rng, company=c["name"],
                                                                         year=year),
                         solution=Program.of(solve_count_products, company=c["name"], year=year),
                         verifier=Program.of(verify_names, expected=[], candidates=[], number=count, facts=[],
                                             exact_docs=None, profiles_only=False))

    @proposer(difficulty=2)
    def propose_earliest_company(self, rng: random.Random) -> TaskDraft | None:
        country = rng.choice(self.rows("SELECT DISTINCT country FROM cities"))["country"]
        picks = self.rows("SELECT c.name, c.founded FROM companies c JOIN cities ci ON ci.id = c.hq_city "
                          "WHERE ci.country = ? ORDER BY c.founded", country)
        if len(picks) < 2 or picks[0]["founded"] == picks[1]["founded"]:
            return None
        return TaskDraft(shape="earliest_company", instruction=self.render("earliest_company", rng, country=country),
                         solution=Program.of(solve_earliest_company, country=country),
                         verifier=Program.of(verify_names, expected=[picks[0]["name"]],
                                             candidates=self._names("companies"), number=None, facts=[],
                                             exact_docs=None, profiles_only=False))

    @proposer(difficulty=2)
    def propose_event_country(self, rng: random.Random) -> TaskDraft | None:
        e = rng.choice(self.rows("SELECT e.name, c.country FROM events e JOIN cities c ON c.id = e.city"))
        return self._answer_task("event_country", rng, {"event": e["name"]}, solve_event_country, [e["country"]],
                                 COUNTRIES)

    @proposer(difficulty=3)
    def propose_cited_acquirer(self, rng: random.Random) -> TaskDraft | None:
        rows = self.rows("SELECT c.id, c.name, b.name AS buyer FROM companies c JOIN companies b ON b.id = c.acquired_by")
        if not rows:
            return None
        c = rng.choice(rows)
        return TaskDraft(shape="cited_acquirer", instruction=self.render("cited_acquirer", rng, company=c["name"]),
                         solution=Program.of(solve_cited_acquirer, company=c["name"], **self._rules()),
                         verifier=Program.of(verify_names, expected=[c["buyer"]], candidates=self._names("companies"),
                                             number=None, facts=[[f"company:{c['id']}:acquired_by"]], exact_docs=None,
                                             ignore=[c["name"]],
                                             profiles_only=self._rules()["profiles_only"]))

    @proposer(difficulty=3)
    def propose_bookmark_staff(self, rng: random.Random) -> TaskDraft | None:
        c = rng.choice(self.rows("SELECT id, name FROM companies"))
        staff = [r["id"] for r in self.rows("SELECT d.id FROM people p JOIN documents d ON d.kind = 'person' AND "
                                            "d.title = p.name WHERE p.employer = ?", c["id"])]
        if len(staff) < 2:
            return None
        return TaskDraft(shape="bookmark_staff", instruction=self.render("bookmark_staff", rng, company=c["name"]),
                         solution=Program.of(solve_bookmark_staff, company=c["name"]),
                         verifier=Program.of(verify_bookmarks, expected=sorted(staff),
                                             min_words=3 if self._rules()["long_notes"] else 1))

    @proposer(difficulty=4)
    def propose_event_chain(self, rng: random.Random) -> TaskDraft | None:
        e = rng.choice(self.rows("SELECT e.id, e.name, c.id AS co, p.id AS pid, p.name AS founder, ci.name AS city "
                                 "FROM events e JOIN companies c ON c.id = e.organizer JOIN people p ON p.id = c.founder "
                                 "JOIN cities ci ON ci.id = p.born_city"))
        facts = [[f"event:{e['id']}:organizer"], [f"company:{e['co']}:founder"], [f"person:{e['pid']}:born_city"]]
        return TaskDraft(shape="event_chain", instruction=self.render("event_chain", rng, event=e["name"]),
                         solution=Program.of(solve_event_chain, event=e["name"], **self._rules()),
                         verifier=Program.of(verify_names, expected=[e["founder"], e["city"]],
                                             candidates=self._names("people") + self._names("cities"), number=None,
                                             facts=facts, exact_docs=None, ignore=[e["name"]],
                                             profiles_only=self._rules()["profiles_only"]))

    @proposer(difficulty=4)
    def propose_acquirer_founder(self, rng: random.Random) -> TaskDraft | None:
        rows = self.rows("SELECT c.id, c.name, b.id AS bid, p.id AS pid, p.name AS founder, p.birth_year FROM companies c "
                         "JOIN companies b ON b.id = c.acquired_by JOIN people p ON p.id = b.founder")
        if not rows:
            return None
        c = rng.choice(rows)
        facts = [[f"company:{c['id']}:acquired_by"], [f"company:{c['bid']}:founder"], [f"person:{c['pid']}:birth_year"]]
        return TaskDraft(shape="acquirer_founder", instruction=self.render("acquirer_founder", rng, company=c["name"]),
                         solution=Program.of(solve_acquirer_founder, company=c["name"], **self._rules()),
                         verifier=Program.of(verify_names, expected=[c["founder"]], candidates=self._names("people"),
                                             number=c["birth_year"], facts=facts, exact_docs=None,
                                             profiles_only=self._rules()["profiles_only"]))

    @proposer(difficulty=5)
    def propose_country_priciest(self, rng: random.Random) -> TaskDraft | None:
        country = rng.choice(self.rows("SELECT DISTINCT country FROM cities"))["country"]
        category = rng.choice(sorted(CO_SUFFIX))
        rows = self.rows("SELECT x.id, x.name, x.price, c.id AS co, c.name AS maker FROM products x JOIN companies c "
                         "ON c.id = x.company JOIN cities ci ON ci.id = c.hq_city WHERE ci.country = ? AND "
                         "x.category = ? ORDER BY x.price DESC", country, category)
        if len(rows) < 2 or rows[0]["price"] == rows[1]["price"] or len({r["co"] for r in rows}) < 2:
            return None
        top = rows[0]
        facts = [[f"product:{top['id']}:price"], [f"product:{top['id']}:maker"], [f"company:{top['co']}:hq"]]
        return TaskDraft(shape="country_priciest",
                         instruction=self.render("country_priciest", rng, country=country, category=category),
                         solution=Program.of(solve_country_priciest, country=country, category=category,
                                             **self._rules()),
                         verifier=Program.of(verify_names, expected=[top["maker"], top["name"]],
                                             candidates=self._names("companies") + self._names("products"),
                                             number=None, facts=facts, exact_docs=None,
                                             profiles_only=self._rules()["profiles_only"]))

    @proposer(difficulty=5)
    def propose_hometown_founders(self, rng: random.Random) -> TaskDraft | None:
        city = rng.choice(self.rows("SELECT id, name FROM cities"))
        rows = self.rows("SELECT c.name, d.id AS doc FROM companies c JOIN people p ON p.id = c.founder JOIN documents d "
                         "ON d.kind = 'person' AND d.title = p.name WHERE p.born_city = ?", city["id"])
        if not rows:
            return None
        return TaskDraft(shape="hometown_founders", instruction=self.render("hometown_founders", rng, city=city["name"]),
                         solution=Program.of(solve_hometown_founders, city=city["name"]),
                         verifier=Program.of(verify_names, expected=[r["name"] for r in rows],
                                             candidates=self._names("companies"), number=len(rows), facts=[],
                                             exact_docs=sorted(r["doc"] for r in rows), profiles_only=False))


# ---- solutions: tools and computation only --------------------------------------------------------

def solve_birthplace(tools, params):
    import re

    doc = tools.search(query=params["person"], kind="person", limit=1)[0]
    body = tools.open_document(doc_id=doc["id"])["body"]
    m = re.search(r"born in (.+?) in \d|city of (.+?), |birthplace is (.+?)\.", body)
    return next(g for g in m.groups() if g)


def solve_product_maker(tools, params):
    doc = tools.search(query=params["product"], kind="product", limit=1)[0]
    body = tools.open_document(doc_id=doc["id"])["body"]
    return body.split(" made by ")[1].split(",")[0] if " made by " in body else body.split(" launched the ")[0]


def solve_founded_year(tools, params):
    import re

    doc = tools.search(query=params["company"], kind="company", limit=1)[0]
    return int(re.search(r"founded in (\d{4})", tools.open_document(doc_id=doc["id"])["body"]).group(1))


def solve_founder_birthplace(tools, params):
    import re

    product = tools.open_document(doc_id=tools.search(query=params["product"], kind="product", limit=1)[0]["id"])
    maker = re.search(r"made by (.+?), launched|^(.+?) launched the", product["body"])
    maker = maker.group(1) or maker.group(2)
    company = tools.open_document(doc_id=tools.search(query=maker, kind="company", limit=1)[0]["id"])
    founder = re.search(r"founded in \d{4} by (.+?)\. It is", company["body"]).group(1)
    person = tools.open_document(doc_id=tools.search(query=founder, kind="person", limit=1)[0]["id"])
    m = re.search(r"born in (.+?) in \d|city of (.+?), |birthplace is (.+?)\.", person["body"])
    return next(g for g in m.groups() if g)


def solve_count_products(tools, params):
    import re

    company = tools.open_document(doc_id=tools.search(query=params["company"], kind="company", limit=1)[0]["id"])
    names = re.search(r"Products: (.+?)\.", company["body"]).group(1).split(", ")
    count = 0
    for name in names:
        doc = tools.open_document(doc_id=tools.search(query=name, kind="product", limit=1)[0]["id"])
        year = int(re.search(r"in (\d{4})", doc["body"]).group(1))
        count += year > params["year"]
    return count


def solve_earliest_company(tools, params):
    import re

    cities = [hit["title"] for hit in tools.search(query=params["country"], kind="city", limit=50)
              if re.search(r"(city in|lies in) " + params["country"] + r"\b", hit["snippet"])]
    years = {}
    for hit in tools.search(query="headquartered", kind="company", limit=50):
        if re.search(r"headquartered in (.+?) and", hit["snippet"]).group(1) in cities:
            body = tools.open_document(doc_id=hit["id"])["body"]
            years[hit["title"]] = int(re.search(r"founded in (\d{4})", body).group(1))
    return min(years, key=years.get)


def solve_event_country(tools, params):
    import re

    event = tools.open_document(doc_id=tools.search(query=params["event"], kind="event", limit=1)[0]["id"])
    city = re.search(r"was held in (.+?) in \d{4}", event["body"]).group(1)
    doc = tools.open_document(doc_id=tools.search(query=city, kind="city", limit=1)[0]["id"])
    return re.search(r"city in (\w+)|lies in (\w+)", doc["body"]).group(0).split()[-1]


def solve_cited_acquirer(tools, params):
    import re

    doc = tools.open_document(doc_id=tools.search(query=params["company"], kind="company", limit=1)[0]["id"])
    buyer = re.search(r"acquired by (.+?)\.$", doc["body"]).group(1)
    tools.submit_citation(doc_id=doc["id"], claim=f"{params['company']} was acquired by {buyer}.")
    return buyer


def solve_bookmark_staff(tools, params):
    import re

    doc = tools.open_document(doc_id=tools.search(query=params["company"], kind="company", limit=1)[0]["id"])
    founder = re.search(r"founded in \d{4} by (.+?)\. It is", doc["body"]).group(1)
    staff = re.search(r"Staff include (.+?)\.", doc["body"])
    people = [founder] + (staff.group(1).split(", ") if staff else [])
    for name in people:
        hit = tools.search(query=name, kind="person", limit=1)[0]
        tools.bookmark(doc_id=hit["id"], note=f"works at {params['company']}")
    return f"Bookmarked {len(people)} profiles."


def solve_event_chain(tools, params):
    import re

    event = tools.open_document(doc_id=tools.search(query=params["event"], kind="event", limit=1)[0]["id"])
    organizer = re.search(r"organized by (.+?)\. About", event["body"]).group(1)
    tools.submit_citation(doc_id=event["id"], claim=f"The {params['event']} was organized by {organizer}.")
    company = tools.open_document(doc_id=tools.search(query=organizer, kind="company", limit=1)[0]["id"])
    founder = re.search(r"founded in \d{4} by (.+?)\. It is", company["body"]).group(1)
    tools.submit_citation(doc_id=company["id"], claim=f"{organizer} was founded by {founder}.")
    person = tools.open_document(doc_id=tools.search(query=founder, kind="person", limit=1)[0]["id"])
    m = re.search(r"born in (.+?) in \d|city of (.+?), |birthplace is (.+?)\.", person["body"])
    tools.submit_citation(doc_id=person["id"], claim=f"{founder} was born in {next(g for g in m.groups() if g)}.")
    return f"{founder}, born in {next(g for g in m.groups() if g)}"


def solve_acquirer_founder(tools, params):
    import re

    doc = tools.open_document(doc_id=tools.search(query=params["company"], kind="company", limit=1)[0]["id"])
    buyer = re.search(r"acquired by (.+?)\.$", doc["body"]).group(1)
    tools.submit_citation(doc_id=doc["id"], claim=f"{params['company']} was acquired by {buyer}.")
    company = tools.open_document(doc_id=tools.search(query=buyer, kind="company", limit=1)[0]["id"])
    founder = re.search(r"founded in \d{4} by (.+?)\. It is", company["body"]).group(1)
    tools.submit_citation(doc_id=company["id"], claim=f"{buyer} was founded by {founder}.")
    person = tools.open_document(doc_id=tools.search(query=founder, kind="person", limit=1)[0]["id"])
    year = int(re.search(r"\b(19\d\d)\b", person["body"]).group(1))
    tools.submit_citation(doc_id=person["id"], claim=f"{founder} was born in {year}.")
    return f"{founder} (born {year})"


def solve_country_priciest(tools, params):
    import re

    cities = [hit["title"] for hit in tools.search(query=params["country"], kind="city", limit=50)
              if re.search(r"(city in|lies in) " + params["country"] + r"\b", hit["snippet"])]
    best = None
    for hit in tools.search(query=params["category"], kind="company", limit=50):
        doc = tools.open_document(doc_id=hit["id"])
        m = re.search(r"is an? (\w+) company .*? headquartered in (.+?) and employs", doc["body"])
        if m.group(1) != params["category"] or m.group(2) not in cities:
            continue
        for name in re.search(r"Products: (.+?)\.", doc["body"]).group(1).split(", "):
            product = tools.open_document(doc_id=tools.search(query=name, kind="product", limit=1)[0]["id"])
            price = float(re.search(r"(\d+\.\d\d) crowns", product["body"]).group(1))
            if best is None or price > best[0]:
                best = (price, name, product["id"], hit["title"], doc["id"])
    tools.submit_citation(doc_id=best[2], claim=f"The {best[1]} costs {best[0]:.2f} crowns and is made by {best[3]}.")
    tools.submit_citation(doc_id=best[4], claim=f"{best[3]} is headquartered in {params['country']}.")
    return f"{best[3]} makes the most expensive one, the {best[1]}."


def solve_hometown_founders(tools, params):
    import re

    found = []
    for hit in tools.search(query=params["city"] + " founded", kind="person", limit=50):
        doc = tools.open_document(doc_id=hit["id"])
        born = re.search(r"born in (.+?) in \d|city of (.+?), |birthplace is (.+?)\.", doc["body"])
        company = re.search(r" founded (.+?)\.$", doc["body"])
        if next(g for g in born.groups() if g) == params["city"] and company:
            found.append(company.group(1))
            tools.submit_citation(doc_id=doc["id"], claim=f"{hit['title']} was born in {params['city']} and "
                                                          f"founded {company.group(1)}.")
    return f"{len(found)}: " + ", ".join(found)


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_names(outcome, params):
    """Answer names exactly the expected candidates (and states the number); citations, if asked for, support
    every required fact, and each cited document supports at least one of them."""
    import re

    from verifiers.answers import mentions_exactly, only_number, numbers_in
    from verifiers.state import diff_table

    answer = outcome.answer
    for text in params.get("ignore", []):
        answer = re.sub(re.escape(text), " ", answer or "", flags=re.IGNORECASE)
    reasons = []
    if params["expected"] and not mentions_exactly(answer, params["expected"], params["candidates"]):
        reasons.append(f"answer should name exactly {params['expected']}")
    if params["number"] is not None:
        if not params["expected"] and not only_number(answer, params["number"], abs_tol=0):
            reasons.append(f"answer should state {params['number']}")
        if params["expected"] and params["number"] not in [int(n) for n in numbers_in(answer) if n == int(n)]:
            reasons.append(f"answer should state {params['number']}")
    added, removed, changed = diff_table(outcome.initial, outcome.db, "citations")
    cited = [c["doc_id"] for c in added]
    wants_citations = bool(params["facts"]) or params["exact_docs"] is not None
    if removed or changed or (cited and not wants_citations):
        reasons.append("citations were made or changed although none were asked for")
    if params["exact_docs"] is not None and sorted(cited) != sorted(params["exact_docs"]):
        reasons.append(f"cited {sorted(cited)}, expected exactly {sorted(params['exact_docs'])}")
    if params["facts"]:
        support = {}
        for row in outcome.initial_rows("SELECT doc_id, fact FROM doc_facts"):
            support.setdefault(row["doc_id"], set()).add(row["fact"])
        needed = {f for group in params["facts"] for f in group}
        for group in params["facts"]:
            if not any(set(group) & support.get(d, set()) for d in cited):
                reasons.append(f"no citation supports {group}")
        for d in cited:
            if not support.get(d, set()) & needed:
                reasons.append(f"cited document {d} supports none of the required facts")
    if params["profiles_only"]:
        for d in cited:
            if outcome.initial_rows("SELECT kind FROM documents WHERE id = ?", d)[0]["kind"] == "news":
                reasons.append(f"policy: {d} is a news article")
    for table in ("bookmarks",):
        if any(diff_table(outcome.initial, outcome.db, table)):
            reasons.append(f"{table} changed although not asked for")
    return not reasons, reasons


def verify_bookmarks(outcome, params):
    from verifiers.state import diff_table

    added, removed, changed = diff_table(outcome.initial, outcome.db, "bookmarks")
    got = sorted(b["doc_id"] for b in added)
    reasons = []
    if got != params["expected"] or removed or changed:
        reasons.append(f"bookmarked {got}, expected {params['expected']}")
    short = [b["doc_id"] for b in added if len(b["note"].split()) < params["min_words"]]
    if short:
        reasons.append(f"notes too short on {short}")
    if any(diff_table(outcome.initial, outcome.db, "citations")):
        reasons.append("citations were made although none were asked for")
    return not reasons, reasons
