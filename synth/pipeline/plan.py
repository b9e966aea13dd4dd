"""Planning a run: which environment instances exist is a pure function of the seed and the templates."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from synth.env.registry import TemplateEntry
from synth.ids import derive_seed, env_id


class EnvUnit(BaseModel):
    """One unit of work: build one environment instance and make its tasks."""

    model_config = ConfigDict(frozen=True)

    index: int
    template: str
    version: str
    category: str
    folder: Path
    seed: int
    env_id: str


def plan_envs(templates: list[TemplateEntry], count: int, run_seed: int) -> list[EnvUnit]:
    ordered = sorted(templates, key=lambda t: t.name)
    units = []
    for i in range(count):
        t = ordered[i % len(ordered)]
        seed = derive_seed(run_seed, "env", t.name, t.cls.version, i)
        units.append(EnvUnit(index=i, template=t.name, version=t.cls.version, category=t.cls.category,
                             folder=t.folder, seed=seed, env_id=env_id(t.name, t.cls.version, seed)))
    return units
