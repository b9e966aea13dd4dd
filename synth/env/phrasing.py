"""Instructions rendered from Jinja2 phrasings; the phrasing is chosen by the task's own rng."""

from __future__ import annotations

import random
from functools import lru_cache

from jinja2 import Environment, StrictUndefined, Template

_JINJA = Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


@lru_cache(maxsize=4096)
def _compile(text: str) -> Template:
    return _JINJA.from_string(text)


def render(phrasings: list[str], rng: random.Random, **variables) -> str:
    if not phrasings:
        raise ValueError("no phrasings to render from")
    text = _compile(rng.choice(phrasings)).render(**variables)
    return " ".join(text.split())
