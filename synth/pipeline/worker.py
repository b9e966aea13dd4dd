"""One unit of work: build an environment instance in its sandbox, propose tasks, validate them."""

from __future__ import annotations

import random
import traceback
from typing import Any

from pydantic import BaseModel, Field

from synth.config import RunConfig
from synth.dataset import rows
from synth.env.session import EnvSession
from synth.env.registry import TemplateEntry
from synth.ids import derive_seed
from synth.pipeline.plan import EnvUnit
from synth.pipeline.validate import validate_task
from synth.policy.reference import SolutionRunner
from synth.prompts import render_prompt
from synth.sandbox import SandboxCallError, SandboxError, get_backend
from synth.task import TaskDraft, TaskSpec
from verifiers.answers import normalize


class EnvResult(BaseModel):
    unit: EnvUnit
    environment: dict[str, Any]
    tasks: list[dict[str, Any]] = Field(default_factory=list)
    trajectories: list[dict[str, Any]] = Field(default_factory=list)
    rejections: list[dict[str, Any]] = Field(default_factory=list)
    proposed: int = 0
    declined: int = 0
    error: str | None = None

    def splits(self) -> dict[str, list[dict[str, Any]]]:
        return {"tasks": self.tasks, "trajectories": self.trajectories, "environments": [self.environment],
                "rejections": self.rejections}


class EnvSandboxes:
    """The environment's server and its solution runner, restartable after a sandbox failure."""

    def __init__(self, unit: EnvUnit, config: RunConfig):
        self.unit, self.config = unit, config
        self.backend = get_backend(config.sandbox)
        self.env: EnvSession | None = None
        self.runner: SolutionRunner | None = None
        self.start()

    def start(self) -> None:
        self.close()
        entry = TemplateEntry(folder=self.unit.folder, cls=None)
        self.env = EnvSession(self.backend, entry, self.unit.seed, self.config.limits)
        self.runner = SolutionRunner(self.backend, self.config.limits)

    def close(self) -> None:
        for part in (self.env, self.runner):
            if part is not None:
                part.close()
        self.env = self.runner = None


def task_from_draft(draft: TaskDraft, unit: EnvUnit, sandboxes: EnvSandboxes, difficulty: int) -> TaskSpec:
    info = sandboxes.env.info
    offered = [t for t in info.tools if draft.tools is None or t["function"]["name"] in draft.tools]
    system_prompt = render_prompt("system_prompt", name=info.name, category=info.category,
                                  description=info.description, policy=info.policy)
    return TaskSpec.create(
        env_id=unit.env_id, template=unit.template, template_version=unit.version, category=unit.category,
        difficulty=difficulty, shape=draft.shape, instruction=draft.instruction, system_prompt=system_prompt,
        tools=offered, solution=draft.solution, verifier=draft.verifier, env_seed=unit.seed,
    )


def process_env(unit: EnvUnit, config: RunConfig) -> EnvResult:
    """Never raises: every failure ends up in the result as a rejection or the environment's error."""
    try:
        sandboxes = EnvSandboxes(unit, config)
    except Exception as exc:
        error = f"environment failed to start: {type(exc).__name__}: {exc}"
        return EnvResult(unit=unit, environment=rows.environment_row(unit, None, error=error), error=error)
    result = EnvResult(unit=unit, environment={})
    info = sandboxes.env.info
    try:
        _make_tasks(unit, config, sandboxes, result)
    except Exception as exc:  # keep what was made, record why the rest is missing
        result.error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=-3)}"
    finally:
        sandboxes.close()
    result.environment = rows.environment_row(
        unit, info, error=result.error, proposed=result.proposed, declined=result.declined,
        accepted=len(result.tasks), rejected=len(result.rejections))
    return result


def _make_tasks(unit: EnvUnit, config: RunConfig, sandboxes: EnvSandboxes, result: EnvResult) -> None:
    proposers = sandboxes.env.info.proposers
    levels = sorted({p["difficulty"] for p in proposers})
    seen: set[str] = set()
    for attempt in range(config.tasks_per_env * config.attempts_per_task):
        if len(result.tasks) >= config.tasks_per_env:
            return
        rng = random.Random(derive_seed(unit.seed, "task", attempt))
        level = levels[attempt % len(levels)]
        index = rng.choice([i for i, p in enumerate(proposers) if p["difficulty"] == level])
        shape = proposers[index]["shape"]
        try:
            draft = sandboxes.env.propose(index, rng.getrandbits(63))
        except SandboxCallError as exc:
            result.rejections.append(rows.rejection_row(None, unit, reason="proposer_error", detail=str(exc),
                                                        difficulty=level, shape=shape))
            continue
        if draft is None:
            result.declined += 1
            continue
        result.proposed += 1
        task = task_from_draft(draft, unit, sandboxes, level)
        key = normalize(task.instruction)
        if key in seen:
            result.rejections.append(rows.rejection_row(task, unit, reason="duplicate",
                                                        detail="same normalized instruction as an earlier task"))
            continue
        seen.add(key)
        try:
            validation = validate_task(sandboxes.env, sandboxes.runner, task, max_turns=config.max_turns)
        except SandboxError as exc:
            result.rejections.append(rows.rejection_row(task, unit, reason=f"sandbox_{exc.reason}", detail=str(exc)))
            sandboxes.start()
            continue
        except SandboxCallError as exc:
            result.rejections.append(rows.rejection_row(task, unit, reason="env_error", detail=str(exc)))
            continue
        if not validation.accepted:
            result.rejections.append(rows.rejection_row(task, unit, reason=validation.reason,
                                                        detail=validation.detail))
            continue
        result.tasks.append(rows.task_row(task, validation, config.seed))
        result.trajectories.append(rows.trajectory_row(task, validation.rollout, validation.verdict,
                                                       "reference", {"policy": "reference"}))
