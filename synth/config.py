"""A run's configuration: pydantic, built from CLI options (or a file), hashed for provenance."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from synth.ids import digest
from synth.sandbox import SandboxLimits


class RunConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    envs: int = Field(12, ge=1, description="environment instances to create")
    tasks_per_env: int = Field(6, ge=1, description="accepted tasks wanted per environment")
    seed: int = 0
    out: Path = Path("runs/demo")
    templates: tuple[str, ...] | None = None
    envs_dirs: tuple[Path, ...] = ()
    sandbox: Literal["bwrap", "none"] = "bwrap"
    workers: int = Field(default_factory=lambda: max(1, os.cpu_count() or 1), ge=1)
    ray_address: str | None = None
    max_turns: int = Field(40, ge=1)
    attempts_per_task: int = Field(3, ge=1, description="proposals tried per wanted task before giving up")
    limits: SandboxLimits = SandboxLimits()
    policy: Literal["reference"] = "reference"

    def content_fingerprint(self) -> str:
        """What determines the data (not where or how fast it is made)."""
        return digest(self.model_dump(mode="json", include={"envs", "tasks_per_env", "seed", "templates",
                                                            "max_turns", "attempts_per_task", "policy"}))
