"""One unit of work: build an environment instance in its sandbox, propose tasks, validate them."""

from __future__ import annotations

import random
import time
import traceback
from typing import Any, Callable, TypeVar

from pydantic import BaseModel, Field

from synth.config import RunConfig
from synth.env.registry import TemplateEntry
from synth.env.session import EnvSession
from synth.ids import derive_seed
from synth.pipeline import rows
from synth.pipeline.accept import Acceptor
from synth.pipeline.plan import EnvUnit
from synth.pipeline.pool import POOL
from synth.pipeline.tasks import instruction_key, task_from_draft
from synth.pipeline.validate import VALIDATION_SERVICE, validate_task
from synth.sandbox import SandboxCallError, SandboxError, get_backend
from synth.task import TaskDraft

T = TypeVar("T")
SANDBOX_TRIES = 3  # a sandbox failure is retried on a fresh sandbox; only one that repeats is recorded
MAX_EARLIER_WRITES = 32


class EnvResult(BaseModel):
    unit: EnvUnit
    environment: dict[str, Any]
    tasks: list[dict[str, Any]] = Field(default_factory=list)
    trajectories: list[dict[str, Any]] = Field(default_factory=list)
    rejections: list[dict[str, Any]] = Field(default_factory=list)
    proposed: int = 0
    declined: int = 0
    error: str | None = None
    seconds: dict[str, float] = Field(default_factory=dict)  # where the time went, by stage (for profiles)

    def clock(self, stage: str, seconds: float) -> None:
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds

    def splits(self) -> dict[str, list[dict[str, Any]]]:
        return {
            "tasks": self.tasks,
            "trajectories": self.trajectories,
            "environments": [self.environment],
            "rejections": self.rejections,
        }


class EnvSandboxes:
    """The environment's validation server, restartable after a sandbox failure.

    With `pooled`, the server comes from the worker's SandboxPool (trusted procedural templates only)."""

    def __init__(self, unit: EnvUnit, config: RunConfig, *, pooled: bool = False, build_seed_of: int | None = None):
        """`build_seed_of` (checks only): build the instance from that seed while its own seed is another one."""
        self.unit, self.config, self.pooled = unit, config, pooled
        self.build_seed = build_seed_of
        self.backend = get_backend(config.sandbox)
        self.env: EnvSession | None = None
        self.start()

    def start(self, *, failed: bool = False) -> None:
        """A (fresh, after a failure) sandbox with the instance loaded; a start that fails is tried again, up to
        SANDBOX_TRIES times (a busy machine can make one time out)."""
        self.close(failed=failed)
        entry = TemplateEntry(folder=self.unit.folder, cls=None)
        limits = self.config.limits
        for attempt in range(SANDBOX_TRIES):
            try:
                server = POOL.env_server(self.backend, limits, self.unit.folder.parent) if self.pooled else None
                seed = self.unit.seed if self.build_seed is None else self.unit.seed + 1
                self.env = EnvSession(
                    self.backend,
                    entry,
                    seed,
                    limits,
                    server=server,
                    service=VALIDATION_SERVICE,
                    instance=self.unit.instance,
                    build_seed=self.build_seed,
                )
                return
            except SandboxError:
                if attempt == SANDBOX_TRIES - 1:
                    raise

    def close(self, *, failed: bool = False) -> None:
        if self.pooled and not failed:
            self.env = None  # it stays in the pool for the next environment
            return
        if self.env is not None:
            self.env.close()
        self.env = None


MakeTasks = Callable[[EnvUnit, RunConfig, EnvSandboxes, EnvResult, Acceptor], None]


def process_env(unit: EnvUnit, config: RunConfig, make_tasks: MakeTasks | None = None) -> EnvResult:
    """Build one environment and make its tasks with `make_tasks` (default: the template's own proposers and
    fixed tasks; synth.propose passes the model's). Never raises: every failure ends up in the result as a
    rejection or the environment's error."""
    if config.proposer == "llm" and make_tasks is None:
        raise ValueError("a run with --proposer llm makes its tasks with synth.propose: use synth.generation.generate")
    start = time.perf_counter()
    try:
        sandboxes = EnvSandboxes(unit, config, pooled=make_tasks is None)
    except Exception as exc:
        error = f"environment failed to start: {type(exc).__name__}: {exc}"
        return EnvResult(unit=unit, environment=rows.environment_row(unit, None, error=error), error=error)
    result = EnvResult(unit=unit, environment={})
    result.clock("start sandbox and build", time.perf_counter() - start)
    info = sandboxes.env.info
    acceptor = Acceptor(unit, config, result)
    try:
        (make_tasks or make_template_tasks)(unit, config, sandboxes, result, acceptor)
    except Exception as exc:  # keep what was made, record why the rest is missing
        result.error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=-3)}"
    finally:
        acceptor.finish()
        sandboxes.close()
    result.environment = rows.environment_row(
        unit,
        info,
        error=result.error,
        proposed=result.proposed,
        declined=result.declined,
        accepted=len(result.tasks),
        rejected=len(result.rejections),
        proposer_usage=acceptor.proposer_usage,
    )
    return result


def _retrying(sandboxes: EnvSandboxes, what: Callable[[], T]) -> T:
    """`what()`, again on a fresh sandbox after a sandbox failure that may be transient (a start timing out on a
    busy machine, a killed or crashed process): the same seeds give the same result. A timeout of the work
    itself is not retried: calls are timed by the CPU time they use, so it is a runaway or a hang. A failure
    that repeats SANDBOX_TRIES times is raised, to be recorded."""
    for attempt in range(SANDBOX_TRIES):
        if sandboxes.env is None:
            sandboxes.start(failed=True)
        try:
            return what()
        except SandboxError as exc:
            sandboxes.close(failed=True)
            if exc.reason == "timeout" or attempt == SANDBOX_TRIES - 1:
                raise
    raise AssertionError("unreachable")


class _Tasks:
    """Drafts of one environment -> validated tasks and rejections, in a fixed order (seeds decide it all)."""

    def __init__(
        self, unit: EnvUnit, config: RunConfig, sandboxes: EnvSandboxes, result: EnvResult, acceptor: Acceptor
    ):
        self.unit, self.config, self.sandboxes, self.result, self.acceptor = unit, config, sandboxes, result, acceptor
        self.info = sandboxes.env.info
        self.seen: set[str] = set()
        # the gate's memory of this environment, kept here: sandbox restarts cannot change it
        self.earlier_writes: list[dict] = []

    def take(self, draft: TaskDraft | None, level: int) -> None:
        unit, config, result = self.unit, self.config, self.result
        start = time.perf_counter()
        task = None if draft is None else task_from_draft(draft, unit, self.info, level, config.answer_mode)
        result.clock("complete the task (verifier, id)", time.perf_counter() - start)
        if task is None:
            result.declined += 1
            return
        result.proposed += 1
        key = instruction_key(task.instruction)
        if key in self.seen:
            result.rejections.append(
                rows.rejection_row(
                    task, unit, reason="duplicate", detail="same normalized instruction as an earlier task"
                )
            )
            return
        self.seen.add(key)
        try:
            start = time.perf_counter()
            validation = _retrying(
                self.sandboxes,
                lambda: validate_task(
                    self.sandboxes.env,
                    task,
                    mode=config.answer_mode,
                    max_turns=config.max_turns,
                    earlier_writes=self.earlier_writes,
                ),
            )
            inside = sum(validation.seconds.values())
            for stage, seconds in validation.seconds.items():
                result.clock(f"validate: {stage}", seconds)
            result.clock("validate: RPC and task transfer", time.perf_counter() - start - inside)
        except SandboxError as exc:
            result.rejections.append(rows.rejection_row(task, unit, reason=f"sandbox_{exc.reason}", detail=str(exc)))
            return
        except SandboxCallError as exc:
            result.rejections.append(rows.rejection_row(task, unit, reason="env_error", detail=str(exc)))
            return
        self.earlier_writes = (self.earlier_writes + validation.writes)[:MAX_EARLIER_WRITES]
        if not validation.accepted:
            result.rejections.append(rows.rejection_row(task, unit, reason=validation.reason, detail=validation.detail))
            return
        self.acceptor.accept(task, validation)


def make_template_tasks(
    unit: EnvUnit, config: RunConfig, sandboxes: EnvSandboxes, result: EnvResult, acceptor: Acceptor
) -> None:
    """The template's fixed tasks, then its proposers, until `tasks_per_env` are validated."""
    tasks = _Tasks(unit, config, sandboxes, result, acceptor)
    try:
        fixed = _retrying(sandboxes, lambda: sandboxes.env.fixed_tasks())
    except (SandboxCallError, SandboxError) as exc:
        fixed = []
        result.rejections.append(
            rows.rejection_row(
                None, unit, reason="proposer_error", detail=f"fixed_tasks() failed: {exc}", shape="fixed_tasks"
            )
        )
    for draft in fixed:  # the tasks the domain ships with come first
        if acceptor.validated >= config.tasks_per_env:
            return
        tasks.take(draft, draft.difficulty)
    proposers = tasks.info.proposers
    levels = sorted({p["difficulty"] for p in proposers})
    for attempt in range(config.tasks_per_env * config.attempts_per_task if proposers else 0):
        if acceptor.validated >= config.tasks_per_env:
            return
        rng = random.Random(derive_seed(unit.seed, "task", attempt))
        level = levels[attempt % len(levels)]
        index = rng.choice([i for i, p in enumerate(proposers) if p["difficulty"] == level])
        shape = proposers[index]["shape"]
        task_seed = rng.getrandbits(63)
        try:
            start = time.perf_counter()
            draft = _retrying(sandboxes, lambda: sandboxes.env.propose(index, task_seed))
            result.clock("propose", time.perf_counter() - start)
        except SandboxCallError as exc:
            result.rejections.append(
                rows.rejection_row(None, unit, reason="proposer_error", detail=str(exc), difficulty=level, shape=shape)
            )
            continue
        except SandboxError as exc:  # it died or hung every time: record it, go on with a fresh sandbox
            result.rejections.append(
                rows.rejection_row(
                    None, unit, reason=f"sandbox_{exc.reason}", detail=str(exc), difficulty=level, shape=shape
                )
            )
            continue
        tasks.take(draft, level)
