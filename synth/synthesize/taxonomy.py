"""The built-in taxonomy of environment categories, and near-duplicate detection.

Categories are composed from areas of the general-agent domains: each area has places (domains) and
activities that make sense there, and every pair takes one of the shared constraints. That yields a few
thousand distinct, readable categories; a user file (one category a line) can replace the list.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

CONSTRAINTS = (
    "on a fixed budget",
    "with limited capacity",
    "under strict deadlines",
    "with approval rules",
    "across several locations",
    "with loyalty tiers",
)

AGENT_CATEGORY = {"research": "search", "software": "code", "analysis": "code_interpreter"}  # others: general
AREAS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "research": (
        (
            "a news archive",
            "a product knowledge base",
            "a museum collection catalogue",
            "a legal case library",
            "a medical literature index",
            "a patent registry",
        ),
        (
            "finding sources in",
            "answering questions from",
            "comparing records in",
            "fact-checking claims against",
            "summarising findings from",
            "tracing citations in",
        ),
    ),
    "software": (
        (
            "a small web service repository",
            "a data-pipeline codebase",
            "a command-line tool project",
            "a plugin library",
            "a billing module's source",
            "a test suite",
        ),
        (
            "fixing failing tests in",
            "reviewing changes to",
            "refactoring functions in",
            "tracking down bugs in",
            "adding small features to",
            "updating the configuration of",
        ),
    ),
    "analysis": (
        (
            "a sales spreadsheet",
            "a sensor log",
            "a survey dataset",
            "a web-traffic report",
            "a lab measurement table",
            "a budget workbook",
        ),
        (
            "computing statistics over",
            "cleaning and aggregating",
            "finding outliers in",
            "forecasting from",
            "joining and comparing tables of",
            "summarising trends in",
        ),
    ),
    "travel": (
        (
            "a boutique hotel",
            "a regional airline",
            "a city tour operator",
            "a ferry line",
            "a campsite network",
            "a ski resort",
        ),
        (
            "booking and changing reservations at",
            "planning multi-day itineraries with",
            "handling cancellations and refunds at",
            "managing group bookings at",
            "pricing seasonal offers at",
            "answering traveller questions for",
        ),
    ),
    "retail": (
        (
            "a neighbourhood bakery",
            "an online bookstore",
            "a bicycle shop",
            "a garden centre",
            "a second-hand electronics store",
            "a toy store",
        ),
        (
            "processing customer orders at",
            "tracking stock and reorders at",
            "running promotions at",
            "handling returns and exchanges at",
            "managing supplier deliveries at",
            "answering product questions for",
        ),
    ),
    "food": (
        (
            "a pizza delivery kitchen",
            "a school cafeteria",
            "a catering company",
            "a food truck fleet",
            "a farmers market",
            "a meal-kit service",
        ),
        (
            "planning weekly menus for",
            "taking and routing orders for",
            "tracking ingredient costs at",
            "scheduling kitchen staff at",
            "managing allergen labels at",
            "handling customer complaints for",
        ),
    ),
    "health": (
        (
            "a dental clinic",
            "a physiotherapy practice",
            "a veterinary hospital",
            "a community pharmacy",
            "a blood donation centre",
            "a home-care agency",
        ),
        (
            "scheduling appointments at",
            "managing patient records at",
            "billing insurance claims for",
            "tracking medication stock at",
            "assigning caregivers at",
            "sending follow-up reminders for",
        ),
    ),
    "finance": (
        (
            "a credit union",
            "a small accounting firm",
            "a household budget",
            "a crowdfunding platform",
            "a student loan office",
            "a micro-investment app",
        ),
        (
            "reconciling transactions for",
            "approving loan applications at",
            "preparing monthly statements for",
            "tracking recurring payments for",
            "flagging suspicious activity at",
            "allocating savings goals for",
        ),
    ),
    "education": (
        (
            "a language school",
            "a university registrar",
            "a driving school",
            "a coding bootcamp",
            "a music academy",
            "a public library",
        ),
        (
            "enrolling students at",
            "scheduling classes and rooms at",
            "grading and transcripts at",
            "lending materials at",
            "managing waitlists at",
            "planning course catalogues for",
        ),
    ),
    "work": (
        (
            "a software team",
            "a recruiting agency",
            "a law office",
            "a marketing agency",
            "a coworking space",
            "a translation bureau",
        ),
        (
            "tracking projects and milestones for",
            "scheduling meetings at",
            "handling time-off requests at",
            "assigning tickets and tasks at",
            "managing client contracts at",
            "logging billable hours at",
        ),
    ),
    "home": (
        (
            "a smart home",
            "an apartment building",
            "a cleaning service",
            "a moving company",
            "a home renovation contractor",
            "a pet-sitting service",
        ),
        (
            "scheduling service visits for",
            "tracking maintenance requests at",
            "quoting jobs for",
            "managing household devices in",
            "assigning crews at",
            "handling payments and deposits for",
        ),
    ),
    "logistics": (
        (
            "a parcel courier",
            "a cold-storage warehouse",
            "a freight broker",
            "a bike messenger co-op",
            "a container port",
            "a rural postal route",
        ),
        (
            "routing deliveries for",
            "tracking shipments at",
            "allocating dock slots at",
            "managing driver shifts at",
            "handling lost-package claims at",
            "planning pickups for",
        ),
    ),
    "events": (
        (
            "a concert venue",
            "a wedding planner",
            "a conference organiser",
            "a sports league",
            "a theatre company",
            "a community festival",
        ),
        (
            "selling and transferring tickets for",
            "seating guests at",
            "scheduling fixtures and sessions for",
            "coordinating vendors for",
            "managing volunteers at",
            "tracking registrations for",
        ),
    ),
    "government": (
        (
            "a city permit office",
            "a public transit agency",
            "a parks department",
            "a vehicle registration office",
            "a recycling programme",
            "a voter information desk",
        ),
        (
            "processing applications at",
            "scheduling inspections for",
            "answering resident questions for",
            "tracking service requests at",
            "issuing renewals at",
            "collecting fees for",
        ),
    ),
    "media": (
        (
            "a podcast network",
            "a photo agency",
            "a local newspaper",
            "a streaming catalogue",
            "a game studio",
            "a social media team",
        ),
        (
            "scheduling publications for",
            "licensing content at",
            "moderating submissions for",
            "tracking audience metrics for",
            "managing subscriptions at",
            "curating playlists and collections for",
        ),
    ),
}


@cache
def builtin_categories() -> tuple[str, ...]:
    """The built-in categories, near-duplicates removed, in a stable order spread over areas and places."""
    by_area = []
    for area, (places, activities) in AREAS.items():
        items = []
        for i, activity in enumerate(activities):
            for j, place in enumerate(places):
                for k in range(len(CONSTRAINTS)):
                    constraint = CONSTRAINTS[(i + j + k) % len(CONSTRAINTS)]
                    items.append((k, i, j, f"{activity} {place} {constraint}"))
        by_area.append([text for *_, text in sorted(items)])
    return tuple(distinct([text for group in zip(*by_area) for text in group])[0])


def agent_category_of(category: str) -> str:
    """The agent category an environment for `category` serves: search, code or code_interpreter for the
    built-in research, software and analysis areas; a user's line may end with ` | <agent category>`."""
    if " | " in category:
        return category.rsplit(" | ", 1)[1].strip()
    for area, agent in AGENT_CATEGORY.items():
        places, activities = AREAS[area]
        if any(p in category for p in places) and any(a in category for a in activities):
            return agent
    return "general"


def category_text(category: str) -> str:
    """The category without a user's ` | <agent category>` suffix."""
    return category.rsplit(" | ", 1)[0].strip()


def load_categories(path: Path | None) -> list[str]:
    """The user's file (one category a line, # comments) or the built-in taxonomy."""
    if path is None:
        return list(builtin_categories())
    lines = [line.split("#", 1)[0].strip() for line in path.read_text().splitlines()]
    categories = [line for line in lines if line]
    if not categories:
        raise ValueError(f"{path} holds no categories: write one category a line")
    return categories


STOPWORDS = frozenset("a an the and or of for at in on to with by from under across into its their per".split())


def tokens(text: str) -> frozenset[str]:
    """Normalized content words: lowercase, stopwords dropped, plural and -ing endings cut."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    out = set()
    for w in words:
        if w in STOPWORDS:
            continue
        for suffix in ("ing", "es", "s"):
            if len(w) > len(suffix) + 3 and w.endswith(suffix):
                w = w[: -len(suffix)]
                break
        out.add(w)
    return frozenset(out)


def _jaccard(ta: frozenset[str], tb: frozenset[str]) -> float:
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0


def similarity(a: str, b: str) -> float:
    return _jaccard(tokens(a), tokens(b))


NEAR_DUPLICATE = 0.75


def near_duplicate(text: str, others: list[str], threshold: float = NEAR_DUPLICATE) -> str | None:
    """The first of `others` that `text` nearly repeats, or None."""
    mine = tokens(text)
    return next((other for other in others if _jaccard(mine, tokens(other)) >= threshold), None)


def distinct(
    categories: list[str], taken: list[str] = (), threshold: float = NEAR_DUPLICATE
) -> tuple[list[str], list[tuple[str, str]]]:
    """(kept, skipped as (category, the one it repeats)) in order; `taken` are already used."""
    kept: list[str] = []
    skipped: list[tuple[str, str]] = []
    seen = [(t, tokens(t)) for t in taken]
    for c in categories:
        mine = tokens(c)
        other = next((t for t, tt in seen if _jaccard(mine, tt) >= threshold), None)
        if other is None:
            kept.append(c)
            seen.append((c, mine))
        else:
            skipped.append((c, other))
    return kept, skipped
