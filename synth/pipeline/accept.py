"""Where validated tasks go: straight into the result, or first through the solver's pass@K filter.

Without `--rollouts` a validated task is kept with its reference trajectory. With `--rollouts K` the
solver model attempts it K times (in the background, while proposing goes on); the task is kept when at
least one attempt passed, and not above `--max-pass-rate`. Its pass rate is stored as its measured
difficulty, and every attempt as a trajectory with its reward, failures included.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any, Protocol

from synth.config import RunConfig
from synth.model.usage import Usage
from synth.pipeline import rows
from synth.pipeline.passrate import PassRate, SolverSample, failed_sample, pass_rate
from synth.pipeline.plan import EnvUnit
from synth.pipeline.validate import Validation
from synth.task import TaskSpec

MAX_ROLLOUT_SANDBOXES = 32  # environment sandboxes per worker for solver rollouts


class ResultLike(Protocol):
    tasks: list[dict[str, Any]]
    trajectories: list[dict[str, Any]]
    rejections: list[dict[str, Any]]


class Acceptor:
    def __init__(self, unit: EnvUnit, config: RunConfig, result: ResultLike):
        self.unit, self.config, self.result = unit, config, result
        self.validated = 0  # what --tasks-per-env counts
        self.proposer_usage = Usage()
        self._pending: list[tuple[TaskSpec, Validation, dict[str, Any], list[Future]]] = []
        self._pool = None

    def pool(self):
        if self._pool is None:
            from synth.model.client import shared_client
            from synth.pipeline.passk import RolloutPool  # the openai client loads only for runs with a model

            solver = self.config.solver_model
            size = min(solver.concurrency, self.config.rollouts * self.config.tasks_per_env, MAX_ROLLOUT_SANDBOXES)
            self._pool = RolloutPool(self.unit, self.config, shared_client(solver), size)
        return self._pool

    def accept(self, task: TaskSpec, validation: Validation, **measures: Any) -> None:
        self.validated += 1
        if not self.config.rollouts:
            self._keep(task, validation, measures, [], None)
            return
        self._pending.append((task, validation, measures, self.pool().submit(task)))

    def _keep(
        self,
        task: TaskSpec,
        validation: Validation,
        measures: dict[str, Any],
        samples: list[SolverSample],
        rate: PassRate | None,
    ) -> None:
        if rate is not None:
            measures = {
                **measures,
                "pass_rate": rate.rate,
                "solver_rollouts": rate.counted,
                "solver_passes": rate.passes,
            }
        self.result.tasks.append(rows.task_row(task, validation, self.config.seed, **measures))
        self.result.trajectories.append(
            rows.trajectory_row(task, validation.rollout, validation.verdict, "reference", {"agent": "reference"})
        )
        for s in samples:
            self.result.trajectories.append(
                rows.trajectory_row(task, s.rollout, s.verdict, "model", s.agent_config, sample=s.sample)
            )

    def _judge(self, task: TaskSpec, validation: Validation, measures: dict[str, Any], futures: list[Future]) -> None:
        samples = []
        for k, future in enumerate(futures):
            try:
                samples.append(future.result())
            except Exception as exc:  # a bug in the rollout path: still a row, with its error
                samples.append(failed_sample(k, "internal_error", f"{type(exc).__name__}: {exc}", {}))
        rate = pass_rate(samples)
        ceiling = self.config.max_pass_rate
        if rate.counted == 0:
            reason, detail = "rollouts_failed", "; ".join(sorted({s.rollout.error or "" for s in samples}))[:2000]
        elif rate.passes == 0:
            reason, detail = "unsolved", f"0 of {rate.counted} solver rollouts passed"
        elif ceiling is not None and rate.rate > ceiling:
            reason, detail = "too_easy", f"{rate.passes} of {rate.counted} solver rollouts passed (> {ceiling:g})"
        else:
            self._keep(task, validation, measures, samples, rate)
            return
        self.result.rejections.append(rows.rejection_row(task, self.unit, reason=reason, detail=detail))

    def finish(self) -> None:
        """Wait for the outstanding rollouts and judge their tasks. Never raises."""
        pending, self._pending = self._pending, []
        for item in pending:
            self._judge(*item)
        if self._pool is not None:
            self._pool.close()
            self._pool = None
