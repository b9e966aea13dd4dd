"""The @proposer decorator: a template method that drafts one task of a given difficulty."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

PROPOSER_MARK = "__synth_proposer__"


@dataclass(frozen=True)
class ProposerSpec:
    shape: str
    difficulty: int
    function: Callable


def proposer(difficulty: int, shape: str | None = None):
    """Mark `def propose_x(self, rng) -> TaskDraft | None` as a proposer of tasks at `difficulty` (1-5)."""
    if not 1 <= difficulty <= 5:
        raise ValueError(f"difficulty must be 1-5, not {difficulty}")

    def mark(fn):
        setattr(fn, PROPOSER_MARK, (difficulty, shape or fn.__name__.removeprefix("propose_")))
        return fn

    return mark


def collect_proposers(cls: type) -> list[ProposerSpec]:
    specs = []
    for attr in dir(cls):
        fn = getattr(cls, attr, None)
        mark = getattr(fn, PROPOSER_MARK, None)
        if mark is not None:
            specs.append(ProposerSpec(shape=mark[1], difficulty=mark[0], function=fn))
    return sorted(specs, key=lambda s: (s.difficulty, s.shape))
