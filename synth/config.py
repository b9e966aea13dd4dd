"""A run's configuration: pydantic, built from CLI options (or a file), hashed for provenance."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from synth.ids import digest
from synth.model.endpoint import ModelConfig
from synth.sandbox import SandboxLimits


class RunConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    envs: int = Field(12, ge=1, description="environment instances to create")
    tasks_per_env: int = Field(48, ge=1, description="accepted tasks wanted per environment (1,800 x 48 > 85k)")
    seed: int = 0
    out: Path = Path("runs/demo")
    templates: tuple[str, ...] | None = None
    category_mix: dict[str, float] | None = None  # agent category -> share of environments
    envs_dirs: tuple[Path, ...] = ()
    sandbox: Literal["bwrap", "docker", "none"] = "bwrap"
    workers: int = Field(default_factory=lambda: max(1, os.cpu_count() or 1), ge=1)
    ray_address: str | None = None
    cpus_per_env: float = Field(1.0, gt=0, description="Ray CPUs reserved per environment being built")
    max_turns: int = Field(40, ge=1)
    answer_mode: Literal["text", "tool"] = Field(
        "text", description="how agents give final answers: a final message (text) or the submit_answer tool (tool)"
    )
    attempts_per_task: int = Field(3, ge=1, description="proposals tried per wanted task before giving up")
    limits: SandboxLimits = SandboxLimits()
    agent: Literal["reference"] = "reference"  # who solves tasks for the stored trajectory
    # Model stages: an endpoint proposes tasks (--proposer llm) and/or solves them K times (--rollouts K).
    model: ModelConfig | None = None  # the proposing model; also the solver unless `solver` is set
    solver: ModelConfig | None = None
    proposer: Literal["procedural", "llm"] = "procedural"
    rollouts: int = Field(0, ge=0, description="solver rollouts per task; keep tasks with pass@K > 0")
    max_pass_rate: float | None = Field(None, ge=0, le=1, description="drop tasks solved more often than this")
    repair_rounds: int = Field(3, ge=0, description="repairs of a rejected LLM task before giving up")
    escalations: int = Field(2, ge=0, le=4, description="harder versions asked for after an accepted LLM task")

    @field_validator("category_mix")
    @classmethod
    def _known_categories(cls, mix: dict[str, float] | None) -> dict[str, float] | None:
        from synth.env.template import AGENT_CATEGORIES

        if mix is not None:
            unknown = sorted(set(mix) - set(AGENT_CATEGORIES))
            if unknown or any(w < 0 for w in mix.values()) or not sum(mix.values()):
                raise ValueError(
                    f"category mix needs non-negative shares of {', '.join(AGENT_CATEGORIES)}"
                    + (f" (unknown: {', '.join(unknown)})" if unknown else "")
                )
        return mix

    @model_validator(mode="after")
    def _needs_a_model(self) -> "RunConfig":
        if self.proposer == "llm" and self.model is None:
            raise ValueError("--proposer llm needs a model endpoint: pass --model (and --provider, --base-url)")
        if self.rollouts and self.solver_model is None:
            raise ValueError("--rollouts needs a model to solve the tasks: pass --model or --solver-model")
        return self

    @property
    def solver_model(self) -> ModelConfig | None:
        return self.solver or self.model

    def content_fingerprint(self) -> str:
        """What determines the data (not where or how fast it is made)."""
        content = self.model_dump(
            mode="json",
            include={
                "envs",
                "tasks_per_env",
                "seed",
                "templates",
                "category_mix",
                "max_turns",
                "attempts_per_task",
                "agent",
            },
        )
        if self.answer_mode != "text":  # runs of earlier versions keep their fingerprint
            content["answer_mode"] = self.answer_mode
        if self.proposer != "procedural" or self.rollouts:
            content |= self.model_dump(
                mode="json", include={"proposer", "rollouts", "max_pass_rate", "repair_rounds", "escalations"}
            )
            content |= {
                "model": self.model and self.model.identity(),
                "solver": self.solver_model and self.solver_model.identity(),
            }
        return digest(content)
