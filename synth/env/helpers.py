"""Helpers for solution programs (stored with each program that uses them, see synth.bundle)."""


def only(rows, **match):
    """The one row of `rows` whose fields equal `match` (e.g. the exact name among a search's hits); an error
    that names the match when there is none or more than one."""
    found = [r for r in rows if all(r.get(k) == v for k, v in match.items())]
    if len(found) != 1:
        raise LookupError(f"expected exactly one result with {match}, found {len(found)}")
    return found[0]
