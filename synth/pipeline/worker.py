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
from synth.pipeline.accept import Acceptor
from synth.pipeline.plan import EnvUnit
from synth.pipeline.pool import POOL
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
    """The environment's server and its solution runner, restartable after a sandbox failure.

    With `pooled`, both come from the worker's SandboxPool (trusted procedural templates only)."""

    def __init__(self, unit: EnvUnit, config: RunConfig, *, pooled: bool = False):
        self.unit, self.config, self.pooled = unit, config, pooled
        self.backend = get_backend(config.sandbox)
        self.env: EnvSession | None = None
        self.runner: SolutionRunner | None = None
        self.start()

    def start(self, *, failed: bool = False) -> None:
        self.close(failed=failed)
        entry = TemplateEntry(folder=self.unit.folder, cls=None)
        limits = self.config.limits
        if self.pooled:
            self.runner = POOL.runner(self.backend, limits)
            server = POOL.env_server(self.backend, limits, self.unit.folder.parent)
            self.env = EnvSession(self.backend, entry, self.unit.seed, limits, server=server)
        else:
            self.env = EnvSession(self.backend, entry, self.unit.seed, limits)
            self.runner = SolutionRunner(self.backend, limits)

    def close(self, *, failed: bool = False) -> None:
        if self.pooled and not failed:
            self.env = self.runner = None  # they stay in the pool for the next environment
            return
        for part in (self.env, self.runner):
            if part is not None:
                part.close()
        self.env = self.runner = None


def task_from_draft(draft: TaskDraft, unit: EnvUnit, sandboxes: EnvSandboxes, difficulty: int) -> TaskSpec | None:
    """The full task, or None when the draft needs a tool this variant does not offer."""
    info = sandboxes.env.info
    if draft.tools is not None and not set(draft.tools) <= set(info.tool_names):
        return None
    wanted = None if draft.tools is None else {info.tool_names[t] for t in draft.tools}
    offered = [t for t in info.tools if wanted is None or t["function"]["name"] in wanted]
    system_prompt = render_prompt("system_prompt", name=info.name, category=info.category,
                                  description=info.description, policy=info.policy)
    return TaskSpec.create(
        env_id=unit.env_id, template=unit.template, template_version=unit.version, category=unit.category,
        agent_category=unit.agent_category,
        difficulty=difficulty, shape=draft.shape, instruction=draft.instruction, system_prompt=system_prompt,
        tools=offered, solution=draft.solution, verifier=draft.verifier, env_seed=unit.seed,
    )


def process_env(unit: EnvUnit, config: RunConfig) -> EnvResult:
    """Never raises: every failure ends up in the result as a rejection or the environment's error."""
    try:
        sandboxes = EnvSandboxes(unit, config, pooled=config.proposer == "procedural")
    except Exception as exc:
        error = f"environment failed to start: {type(exc).__name__}: {exc}"
        return EnvResult(unit=unit, environment=rows.environment_row(unit, None, error=error), error=error)
    result = EnvResult(unit=unit, environment={})
    info = sandboxes.env.info
    acceptor = Acceptor(unit, config, result)
    try:
        if config.proposer == "llm":
            from synth.propose.llm import propose_with_model

            propose_with_model(unit, config, sandboxes, result, acceptor)
        else:
            _make_tasks(unit, config, sandboxes, result, acceptor)
    except Exception as exc:  # keep what was made, record why the rest is missing
        result.error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=-3)}"
    finally:
        acceptor.finish()
        sandboxes.close()
    result.environment = rows.environment_row(
        unit, info, error=result.error, proposed=result.proposed, declined=result.declined,
        accepted=len(result.tasks), rejected=len(result.rejections), proposer_usage=acceptor.proposer_usage)
    return result


def _make_tasks(unit: EnvUnit, config: RunConfig, sandboxes: EnvSandboxes, result: EnvResult,
                acceptor: Acceptor) -> None:
    proposers = sandboxes.env.info.proposers
    levels = sorted({p["difficulty"] for p in proposers})
    seen: set[str] = set()
    for attempt in range(config.tasks_per_env * config.attempts_per_task):
        if acceptor.validated >= config.tasks_per_env:
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
        except SandboxError as exc:  # the sandbox died or hung while proposing: record it, replace it, go on
            result.rejections.append(rows.rejection_row(None, unit, reason=f"sandbox_{exc.reason}", detail=str(exc),
                                                        difficulty=level, shape=shape))
            sandboxes.start(failed=True)
            continue
        task = None if draft is None else task_from_draft(draft, unit, sandboxes, level)
        if task is None:
            result.declined += 1
            continue
        result.proposed += 1
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
            sandboxes.start(failed=True)
            continue
        except SandboxCallError as exc:
            result.rejections.append(rows.rejection_row(task, unit, reason="env_error", detail=str(exc)))
            continue
        if not validation.accepted:
            result.rejections.append(rows.rejection_row(task, unit, reason=validation.reason,
                                                        detail=validation.detail))
            continue
        acceptor.accept(task, validation)
