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
    attempts: int = 1

    def draft(self, env, rng):
        """The first draft of up to `attempts` sampled situations (a proposer returns None when one has no
        unique or valid answer)."""
        for _ in range(self.attempts):
            draft = self.function(env, rng)
            if draft is not None:
                return draft
        return None


def proposer(difficulty: int, shape: str | None = None, attempts: int = 1):
    """Mark `def propose_x(self, rng) -> TaskDraft | None` as a proposer of tasks at `difficulty` (1-5).
    With `attempts` > 1, a None (no valid situation sampled) is retried with the same rng that many times."""
    if not 1 <= difficulty <= 5:
        raise ValueError(f"difficulty must be 1-5, not {difficulty}")
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, not {attempts}")

    def mark(fn):
        setattr(fn, PROPOSER_MARK, (difficulty, shape or fn.__name__.removeprefix("propose_"), attempts))
        return fn

    return mark


def collect_proposers(cls: type) -> list[ProposerSpec]:
    specs = []
    for attr in dir(cls):
        fn = getattr(cls, attr, None)
        mark = getattr(fn, PROPOSER_MARK, None)
        if mark is not None:
            specs.append(ProposerSpec(shape=mark[1], difficulty=mark[0], function=fn, attempts=mark[2]))
    return sorted(specs, key=lambda s: (s.difficulty, s.shape))
