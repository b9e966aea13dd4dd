"""Variants: environments of one family differ in substance, not only in seed.

A template declares its VariantSpace; each instance samples one Variant from its seed: which optional tools
it offers, what some tools are called, which extra policy rules it enforces, and the scale of its data.
"""

from __future__ import annotations

import random

from pydantic import BaseModel, ConfigDict, Field

SCALES = ("small", "medium", "large")


class VariantSpace(BaseModel):
    model_config = ConfigDict(frozen=True)

    optional_tools: tuple[str, ...] = ()  # each may be left out of an instance
    renames: dict[str, tuple[str, ...]] = Field(default_factory=dict)  # tool -> other names it may carry
    rules: dict[str, str] = Field(default_factory=dict)  # rule id -> sentence added to the policy
    scales: tuple[str, ...] = ("medium",)

    def size(self) -> int:
        """How many distinct variants the space holds."""
        n = 2 ** len(self.optional_tools) * 2 ** len(self.rules) * len(self.scales)
        for names in self.renames.values():
            n *= 1 + len(names)
        return n


class Variant(BaseModel):
    model_config = ConfigDict(frozen=True)

    hidden_tools: tuple[str, ...] = ()
    tool_names: dict[str, str] = Field(default_factory=dict)  # original name -> offered name, renamed ones only
    rules: tuple[str, ...] = ()
    scale: str = "medium"

    def offered_name(self, tool: str) -> str:
        return self.tool_names.get(tool, tool)


def sample_variant(space: VariantSpace, rng: random.Random) -> Variant:
    hidden = tuple(t for t in space.optional_tools if rng.random() < 0.3)
    names = {}
    for tool, alternatives in sorted(space.renames.items()):
        choice = rng.randrange(len(alternatives) + 1)
        if choice:
            names[tool] = alternatives[choice - 1]
    rules = tuple(r for r in sorted(space.rules) if rng.random() < 0.5)
    return Variant(hidden_tools=hidden, tool_names=names, rules=rules, scale=rng.choice(space.scales))
