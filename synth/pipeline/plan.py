"""Planning a run: which environment instances exist is a pure function of the seed and the templates."""

from __future__ import annotations

import random
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from synth.env.registry import TemplateEntry, TemplateLoadError
from synth.ids import derive_seed, env_id


class EnvUnit(BaseModel):
    """One unit of work: build one environment instance and make its tasks."""

    model_config = ConfigDict(frozen=True)

    index: int
    template: str
    version: str
    category: str
    agent_category: str
    folder: Path
    seed: int
    env_id: str
    instance: str | None = None  # the template's named instance, if the run asked for one


def category_schedule(mix: dict[str, float], count: int) -> list[str]:
    """`count` agent categories in the proportions of `mix`, interleaved (largest remainder, then spread)."""
    total = sum(mix.values())
    quotas = {c: count * w / total for c, w in sorted(mix.items()) if w > 0}
    sizes = {c: int(q) for c, q in quotas.items()}
    for c in sorted(quotas, key=lambda c: (sizes[c] - quotas[c], c))[: count - sum(sizes.values())]:
        sizes[c] += 1
    # Spread each category evenly over the run so a partial run keeps the mix.
    slots = sorted((i / n + 0.5 / n, c) for c, n in sizes.items() for i in range(n))
    return [c for _, c in slots]


def spread(templates: list[TemplateEntry], run_seed: int) -> list[TemplateEntry]:
    """The order a run without a category mix cycles through: one template of each agent category first (so a
    small run covers every category), then the rest, shuffled by the run's seed (so it covers many families,
    not the alphabet's first ones)."""
    rng = random.Random(derive_seed(run_seed, "spread"))
    shuffled = sorted(templates, key=lambda t: t.name)
    rng.shuffle(shuffled)
    first = list({t.cls.agent_category: t for t in reversed(shuffled)}.values())
    first.sort(key=lambda t: t.cls.agent_category)
    return first + [t for t in shuffled if t not in first]


def plan_envs(
    templates: list[TemplateEntry],
    count: int,
    run_seed: int,
    mix: dict[str, float] | None = None,
    instances: dict[str, str] | None = None,
) -> list[EnvUnit]:
    """`instances`: template name -> the named instance its environments use."""
    ordered = spread(templates, run_seed)
    by_category: dict[str, list[TemplateEntry]] = {}
    for t in ordered:
        by_category.setdefault(t.cls.agent_category, []).append(t)
    if mix:
        missing = [c for c, w in mix.items() if w > 0 and c not in by_category]
        if missing:
            raise TemplateLoadError(
                f"the category mix asks for {', '.join(missing)}, but no selected template has "
                f"that agent_category (have: {', '.join(sorted(by_category))})"
            )
        schedule = category_schedule(mix, count)
    else:
        schedule = [None] * count
    units, used = [], {c: 0 for c in by_category}
    for i, category in enumerate(schedule):
        if category is None:
            t = ordered[i % len(ordered)]
        else:
            t = by_category[category][used[category] % len(by_category[category])]
            used[category] += 1
        seed = derive_seed(run_seed, "env", t.name, t.cls.version, i)
        instance = (instances or {}).get(t.name)
        units.append(
            EnvUnit(
                index=i,
                template=t.name,
                version=t.cls.version,
                category=t.cls.category,
                agent_category=t.cls.agent_category,
                folder=t.folder,
                seed=seed,
                env_id=env_id(t.name, t.cls.version, seed, instance),
                instance=instance,
            )
        )
    return units
