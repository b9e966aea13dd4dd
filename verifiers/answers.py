"""Answer matchers: lenient about wording, strict about content. All return False for a missing answer."""

from __future__ import annotations

import re
import unicodedata

_NUMBER = re.compile(r"(?<![\w.])-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.])-?\d+(?:\.\d+)?")


def normalize(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = re.sub(r"[^\w\s.\-/:]", " ", text)
    return " ".join(text.split())


def numbers_in(text: str | None) -> list[float]:
    return [float(m.replace(",", "")) for m in _NUMBER.findall(text or "")]


def has_number(answer: str | None, expected: float, *, abs_tol: float = 0.01, rel_tol: float = 0.0) -> bool:
    tol = max(abs_tol, abs(expected) * rel_tol)
    return any(abs(n - expected) <= tol for n in numbers_in(answer))


def only_number(answer: str | None, expected: float, *, abs_tol: float = 0.01, rel_tol: float = 0.0) -> bool:
    """The answer states `expected` and no other number that disagrees with it."""
    found = numbers_in(answer)
    tol = max(abs_tol, abs(expected) * rel_tol)
    return bool(found) and all(abs(n - expected) <= tol for n in found)


def _find(name: str, text: str) -> re.Match | None:
    return re.search(r"(?<!\w)" + re.escape(normalize(name)) + r"(?!\w)", text)


def mentioned(answer: str | None, candidates: list[str]) -> set[str]:
    """Which candidate names the answer mentions; a longer name shadows the shorter ones inside it."""
    text = normalize(answer)
    found: set[str] = set()
    for name in sorted(set(candidates), key=len, reverse=True):
        while match := _find(name, text):
            found.add(name)
            text = text[: match.start()] + " | " + text[match.end():]
    return found


def mentions(answer: str | None, name: str) -> bool:
    return name in mentioned(answer, [name])


def mentions_exactly(answer: str | None, expected: list[str], candidates: list[str]) -> bool:
    """Every expected name is mentioned and no other candidate is: naming everything does not pass."""
    return mentioned(answer, list(candidates) + list(expected)) == set(expected)


def yes_no(answer: str | None) -> bool | None:
    words = set(re.findall(r"[a-z]+", normalize(answer)))
    yes, no = bool(words & {"yes", "true"}), bool(words & {"no", "false", "not"})
    return None if yes == no else yes


def only_numbers(answer: str | None, expected: list[float], *, abs_tol: float = 0.01) -> bool:
    """The answer states every expected number and no other: a list with items missing or added does not pass."""
    found = numbers_in(answer)
    return (bool(found) and all(any(abs(n - e) <= abs_tol for n in found) for e in expected)
            and all(any(abs(n - e) <= abs_tol for e in expected) for n in found))


_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def only_dates(answer: str | None, expected: list[str]) -> bool:
    """The answer states every expected ISO date (YYYY-MM-DD) and no other ISO date."""
    found = {"-".join(m) for m in _ISO_DATE.findall(answer or "")}
    return bool(found) and found == set(expected)


_CLOCK = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)")


def only_number_besides(answer: str | None, expected: float, ignore: list[float] = (), *,
                        abs_tol: float = 0.01) -> bool:
    """Like only_number, but ISO dates, clock times and the numbers in `ignore` (inputs the answer may echo,
    such as an id or a price) do not count as other numbers."""
    text = _CLOCK.sub(" ", _ISO_DATE.sub(" ", answer or ""))
    found = [n for n in numbers_in(text)
             if abs(n - expected) <= abs_tol or all(abs(n - i) > 1e-9 for i in ignore)]
    return bool(found) and all(abs(n - expected) <= abs_tol for n in found)
