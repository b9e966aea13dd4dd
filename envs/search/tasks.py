"""Task proposers, from single-document lookups (level 1) to multi-hop answers with citations (level 5)."""

from __future__ import annotations

import random

from synth.env import Answer, Effects, Program, TaskDraft, inserts, proposer

from .checks import check_citations
from .solutions import (
    solve_acquirer_founder,
    solve_birthplace,
    solve_bookmark_staff,
    solve_cited_acquirer,
    solve_count_products,
    solve_country_priciest,
    solve_earliest_company,
    solve_event_chain,
    solve_event_country,
    solve_founded_year,
    solve_founder_birthplace,
    solve_hometown_founders,
    solve_product_maker,
)
from .world import CO_SUFFIX, COUNTRIES

# Research notes are scratch space: any task may leave some behind.
NOTES = {"notes": inserts()}
READ_ONLY = Effects.on(**NOTES)


def _cited(n: int) -> Effects:
    """Exactly n new citations (check_citations says which documents may be cited)."""
    return Effects.on(citations=inserts(n), **NOTES)


class SearchTasks:
    def _names(self, table: str) -> list[str]:
        return self.column(f"SELECT name FROM {table} ORDER BY name")

    def _lookup(self, shape: str, rng: random.Random, spec: dict, solve, answer: Answer) -> TaskDraft:
        return TaskDraft(
            shape=shape,
            instruction=self.render(shape, rng, **spec),
            solution=Program.of(solve, **spec),
            answer=answer,
            effects=READ_ONLY,
        )

    # ---- lookups ------------------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_birthplace(self, rng: random.Random) -> TaskDraft | None:
        p = rng.choice(
            self.rows("SELECT p.name, c.name AS city FROM people p JOIN cities c ON c.id = p.born_city ORDER BY p.id")
        )
        return self._lookup(
            "birthplace",
            rng,
            {"person": p["name"]},
            solve_birthplace,
            Answer.entity(p["city"], candidates=self._names("cities")),
        )

    @proposer(difficulty=1)
    def propose_product_maker(self, rng: random.Random) -> TaskDraft | None:
        x = rng.choice(
            self.rows(
                "SELECT x.name, c.name AS maker FROM products x JOIN companies c ON c.id = x.company ORDER BY x.id"
            )
        )
        return self._lookup(
            "product_maker",
            rng,
            {"product": x["name"]},
            solve_product_maker,
            Answer.entity(x["maker"], candidates=self._names("companies")),
        )

    @proposer(difficulty=1)
    def propose_founded_year(self, rng: random.Random) -> TaskDraft | None:
        c = rng.choice(self.rows("SELECT name, founded FROM companies ORDER BY id"))
        return self._lookup(
            "founded_year", rng, {"company": c["name"]}, solve_founded_year, Answer.integer(c["founded"])
        )

    @proposer(difficulty=2)
    def propose_founder_birthplace(self, rng: random.Random) -> TaskDraft | None:
        x = rng.choice(
            self.rows(
                "SELECT x.name, ci.name AS city FROM products x JOIN companies c ON c.id = x.company "
                "JOIN people p ON p.id = c.founder JOIN cities ci ON ci.id = p.born_city "
                "ORDER BY x.id"
            )
        )
        return self._lookup(
            "founder_birthplace",
            rng,
            {"product": x["name"]},
            solve_founder_birthplace,
            Answer.entity(x["city"], candidates=self._names("cities")),
        )

    @proposer(difficulty=2, attempts=2)
    def propose_count_products(self, rng: random.Random) -> TaskDraft | None:
        c = rng.choice(self.rows("SELECT id, name FROM companies ORDER BY id"))
        years = sorted(self.column("SELECT launch_year FROM products WHERE company = ?", c["id"]))
        if len(years) < 2:
            return None
        year = rng.choice(years) - rng.randint(0, 1)
        return self._lookup(
            "count_products",
            rng,
            {"company": c["name"], "year": year},
            solve_count_products,
            Answer.integer(sum(y > year for y in years)),
        )

    @proposer(difficulty=2, attempts=2)
    def propose_earliest_company(self, rng: random.Random) -> TaskDraft | None:
        country = rng.choice(self.column("SELECT DISTINCT country FROM cities ORDER BY country"))
        picks = self.rows(
            "SELECT c.name, c.founded FROM companies c JOIN cities ci ON ci.id = c.hq_city "
            "WHERE ci.country = ? ORDER BY c.founded",
            country,
        )
        if len(picks) < 2 or picks[0]["founded"] == picks[1]["founded"]:
            return None
        return self._lookup(
            "earliest_company",
            rng,
            {"country": country},
            solve_earliest_company,
            Answer.entity(picks[0]["name"], candidates=self._names("companies")),
        )

    @proposer(difficulty=2)
    def propose_event_country(self, rng: random.Random) -> TaskDraft | None:
        e = rng.choice(self.rows("SELECT e.name, c.country FROM events e JOIN cities c ON c.id = e.city ORDER BY e.id"))
        return self._lookup(
            "event_country",
            rng,
            {"event": e["name"]},
            solve_event_country,
            Answer.entity(e["country"], candidates=COUNTRIES),
        )

    # ---- answers with evidence ----------------------------------------------------------------------

    @proposer(difficulty=3)
    def propose_cited_acquirer(self, rng: random.Random) -> TaskDraft | None:
        rows = self.rows(
            "SELECT c.id, c.name, b.name AS buyer FROM companies c JOIN companies b ON "
            "b.id = c.acquired_by ORDER BY c.id"
        )
        if not rows:
            return None
        c = rng.choice(rows)
        return TaskDraft(
            shape="cited_acquirer",
            instruction=self.render("cited_acquirer", rng, company=c["name"]),
            solution=Program.of(solve_cited_acquirer, company=c["name"], **self._rules()),
            answer=Answer.entity(c["buyer"], candidates=[n for n in self._names("companies") if n != c["name"]]),
            effects=_cited(1),
            check=Program.of(check_citations, facts=[[f"company:{c['id']}:acquired_by"]]),
        )

    @proposer(difficulty=3)
    def propose_bookmark_staff(self, rng: random.Random) -> TaskDraft | None:
        c = rng.choice(self.rows("SELECT id, name FROM companies ORDER BY id"))
        staff = self.column(
            "SELECT d.id FROM people p JOIN documents d ON d.kind = 'person' AND d.title = p.name "
            "WHERE p.employer = ? ORDER BY d.id",
            c["id"],
        )
        if len(staff) < 2:
            return None
        return TaskDraft(
            shape="bookmark_staff",
            instruction=self.render("bookmark_staff", rng, company=c["name"]),
            solution=Program.of(solve_bookmark_staff, company=c["name"]),
            answer=Answer.none(),
            effects=Effects.on(bookmarks=inserts(rows=[{"doc_id": d} for d in staff]), **NOTES),
        )

    @proposer(difficulty=4)
    def propose_event_chain(self, rng: random.Random) -> TaskDraft | None:
        e = rng.choice(
            self.rows(
                "SELECT e.id, e.name, c.id AS co, p.id AS pid, p.name AS founder, ci.name AS city "
                "FROM events e JOIN companies c ON c.id = e.organizer JOIN people p ON p.id = c.founder "
                "JOIN cities ci ON ci.id = p.born_city ORDER BY e.id"
            )
        )
        facts = [[f"event:{e['id']}:organizer"], [f"company:{e['co']}:founder"], [f"person:{e['pid']}:born_city"]]
        return TaskDraft(
            shape="event_chain",
            instruction=self.render("event_chain", rng, event=e["name"]),
            solution=Program.of(solve_event_chain, event=e["name"], **self._rules()),
            answer=Answer.record(
                founder=Answer.entity(e["founder"], candidates=self._names("people")),
                city=Answer.entity(e["city"], candidates=self._names("cities")),
            ),
            effects=_cited(3),
            check=Program.of(check_citations, facts=facts),
        )

    @proposer(difficulty=4)
    def propose_acquirer_founder(self, rng: random.Random) -> TaskDraft | None:
        rows = self.rows(
            "SELECT c.id, c.name, b.id AS bid, b.name AS buyer, p.id AS pid, p.name AS founder, "
            "p.birth_year FROM companies c JOIN companies b ON b.id = c.acquired_by JOIN people p ON "
            "p.id = b.founder ORDER BY c.id"
        )
        if not rows:
            return None
        c = rng.choice(rows)
        facts = [[f"company:{c['id']}:acquired_by"], [f"company:{c['bid']}:founder"], [f"person:{c['pid']}:birth_year"]]
        return TaskDraft(
            shape="acquirer_founder",
            instruction=self.render("acquirer_founder", rng, company=c["name"]),
            solution=Program.of(solve_acquirer_founder, company=c["name"], **self._rules()),
            answer=Answer.record(
                acquirer=Answer.entity(c["buyer"], candidates=[n for n in self._names("companies") if n != c["name"]]),
                founder=Answer.entity(c["founder"], candidates=self._names("people")),
                birth_year=Answer.integer(c["birth_year"]),
            ),
            effects=_cited(3),
            check=Program.of(check_citations, facts=facts),
        )

    @proposer(difficulty=5)
    def propose_country_priciest(self, rng: random.Random) -> TaskDraft | None:
        options = []  # (country, category, its products by price) where two makers compete and one product leads
        for country in self.column("SELECT DISTINCT country FROM cities ORDER BY country"):
            for category in sorted(CO_SUFFIX):
                rows = self.rows(
                    "SELECT x.id, x.name, x.price, c.id AS co, c.name AS maker FROM products x JOIN "
                    "companies c ON c.id = x.company JOIN cities ci ON ci.id = c.hq_city WHERE "
                    "ci.country = ? AND x.category = ? ORDER BY x.price DESC",
                    country,
                    category,
                )
                if len(rows) >= 2 and rows[0]["price"] != rows[1]["price"] and len({r["co"] for r in rows}) >= 2:
                    options.append((country, category, rows))
        if not options:
            return None
        country, category, rows = rng.choice(options)
        top = rows[0]
        facts = [[f"product:{top['id']}:price"], [f"product:{top['id']}:maker"], [f"company:{top['co']}:hq"]]
        spec = {"country": country, "category": category}
        return TaskDraft(
            shape="country_priciest",
            instruction=self.render("country_priciest", rng, **spec),
            solution=Program.of(solve_country_priciest, **spec, **self._rules()),
            answer=Answer.record(
                company=Answer.entity(top["maker"], candidates=self._names("companies")),
                product=Answer.entity(top["name"], candidates=self._names("products")),
            ),
            effects=_cited(2),
            check=Program.of(check_citations, facts=facts),
        )

    @proposer(difficulty=5)
    def propose_hometown_founders(self, rng: random.Random) -> TaskDraft | None:
        city = rng.choice(
            self.rows(
                "SELECT DISTINCT ci.id, ci.name FROM cities ci JOIN people p ON p.born_city = ci.id "
                "JOIN companies c ON c.founder = p.id ORDER BY ci.id"
            )
        )
        rows = self.rows(
            "SELECT c.name, d.id AS doc FROM companies c JOIN people p ON p.id = c.founder JOIN documents d "
            "ON d.kind = 'person' AND d.title = p.name WHERE p.born_city = ? ORDER BY c.id",
            city["id"],
        )
        if not rows:
            return None
        return TaskDraft(
            shape="hometown_founders",
            instruction=self.render("hometown_founders", rng, city=city["name"]),
            solution=Program.of(solve_hometown_founders, city=city["name"]),
            answer=Answer.record(
                count=Answer.integer(len(rows)),
                companies=Answer.entities([r["name"] for r in rows], candidates=self._names("companies")),
            ),
            effects=Effects.on(citations=inserts(rows=[{"doc_id": r["doc"]} for r in rows]), **NOTES),
        )
