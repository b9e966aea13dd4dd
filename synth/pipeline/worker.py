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
from synth.pipeline.tasks import instruction_key, task_from_draft
from synth.pipeline.validate import VALIDATION_SERVICE, validate_task
from synth.sandbox import SandboxCallError, SandboxError, get_backend


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
    """The environment's validation server, restartable after a sandbox failure.

    With `pooled`, the server comes from the worker's SandboxPool (trusted procedural templates only)."""

    def __init__(self, unit: EnvUnit, config: RunConfig, *, pooled: bool = False):
        self.unit, self.config, self.pooled = unit, config, pooled
        self.backend = get_backend(config.sandbox)
        self.env: EnvSession | None = None
        self.start()

    def start(self, *, failed: bool = False) -> None:
        self.close(failed=failed)
        entry = TemplateEntry(folder=self.unit.folder, cls=None)
        limits = self.config.limits
        server = POOL.env_server(self.backend, limits, self.unit.folder.parent) if self.pooled else None
        self.env = EnvSession(self.backend, entry, self.unit.seed, limits, server=server, service=VALIDATION_SERVICE)

    def close(self, *, failed: bool = False) -> None:
        if self.pooled and not failed:
            self.env = None  # it stays in the pool for the next environment
            return
        if self.env is not None:
            self.env.close()
        self.env = None


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
        task = None if draft is None else task_from_draft(draft, unit, sandboxes.env.info, level, config.answer_mode)
        if task is None:
            result.declined += 1
            continue
        result.proposed += 1
        key = instruction_key(task.instruction)
        if key in seen:
            result.rejections.append(rows.rejection_row(task, unit, reason="duplicate",
                                                        detail="same normalized instruction as an earlier task"))
            continue
        seen.add(key)
        try:
            validation = validate_task(sandboxes.env, task, mode=config.answer_mode, max_turns=config.max_turns)
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
