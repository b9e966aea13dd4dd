"""Environment units on Ray, on this machine or a cluster: resource requests, spreading, retries, caps.

Each unit asks Ray for `cpus_per_env` CPUs and is spread over the nodes. A unit whose worker or node dies is
retried by Ray on another worker; when every try died it comes back as a `LostUnit`, which the run does not
write, so resuming the run does it again. The driver alone decides what is in flight: at most the run's
worker count (or the cluster's CPUs), and for every model endpoint at most that endpoint's concurrency; that
concurrency caps the endpoint's requests in flight across all workers together (synth.model.slots).
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Iterator

from pydantic import BaseModel

from synth.config import RunConfig
from synth.model.slots import create_slots
from synth.pipeline.plan import EnvUnit
from synth.pipeline.worker import EnvResult, process_env

RETRIES = 3
OBJECT_STORE_BYTES = 256 * 1024 * 1024


class LostUnit(BaseModel):
    """A unit that never finished because its worker or node died on every try."""

    unit: EnvUnit
    error: str


def endpoints(config: RunConfig) -> list:
    """The model endpoints the run calls (the reference solver calls none)."""
    used = ([config.model] if config.proposer == "llm" else []) + ([config.solver_model] if config.rollouts else [])
    return [m for m in used if m is not None]


def endpoint_caps(config: RunConfig) -> dict[str, int]:
    """Each endpoint with the most environments it may serve at once: its `concurrency` is its whole budget of
    requests in flight, shared by every worker (synth.model.slots), so more environments than that would only
    wait for slots."""
    caps: dict[str, int] = {}
    for model in endpoints(config):
        url = str(model.resolved_base_url or model.provider)
        caps[url] = min(caps.get(url, model.concurrency), model.concurrency)
    return caps


class InFlight:
    """What the driver has handed to Ray, per endpoint, against the caps."""

    def __init__(self, caps: dict[str, int]):
        self.caps, self.used = caps, Counter()
        self.count = 0

    def has_room(self, limit: int) -> bool:
        return self.count < limit and all(self.used[e] < cap for e, cap in self.caps.items())

    def take(self) -> None:
        self.count += 1
        self.used.update(self.caps.keys())

    def give(self) -> None:
        self.count -= 1
        self.used.subtract(self.caps.keys())


def _init_ray(config: RunConfig) -> bool:
    """Join the cluster (or start a local one); True when this call started Ray."""
    import ray

    if ray.is_initialized():
        return False
    options = dict(include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING, configure_logging=False)
    if config.ray_address:
        ray.init(address=config.ray_address, **options)
    else:
        ray.init(
            num_cpus=max(1, round(config.workers * config.cpus_per_env)),
            object_store_memory=OBJECT_STORE_BYTES,
            **options,
        )
    return True


def _limit(config: RunConfig) -> int:
    """Units in flight: the run's --workers, or on a cluster without one, what its CPUs hold right now."""
    import ray

    if "workers" in config.model_fields_set or not config.ray_address:
        return config.workers
    return max(1, int(ray.cluster_resources().get("CPU", 0) // config.cpus_per_env))


def run_units(units: list[EnvUnit], config: RunConfig, make_tasks=None) -> Iterator[EnvResult | LostUnit]:
    """Results in completion order, each unit exactly once: an EnvResult, or a LostUnit."""
    import ray
    from ray.exceptions import RayTaskError

    started_here = _init_ray(config)
    try:
        remote = ray.remote(process_env).options(
            num_cpus=config.cpus_per_env, max_retries=RETRIES, retry_exceptions=False, scheduling_strategy="SPREAD"
        )
        config_ref = ray.put(config)
        slots = [create_slots(model) for model in endpoints(config)]  # noqa: F841 (held for the run's length)
        flight = InFlight(endpoint_caps(config))
        todo = iter(units)
        pending: dict = {}
        while True:
            limit = _limit(config)
            while flight.has_room(limit) and (unit := next(todo, None)) is not None:
                pending[remote.remote(unit, config_ref, make_tasks)] = unit
                flight.take()
            if not pending:
                return
            [done], _ = ray.wait(list(pending), num_returns=1)
            unit = pending.pop(done)
            flight.give()
            try:
                yield ray.get(done)
            except RayTaskError as exc:  # process_env itself raised: a bug, recorded with the environment
                error = f"worker error: {exc.cause!r}" if exc.cause else f"worker error: {exc}"
                yield _failed(unit, error)
            except Exception as exc:  # the worker or its node died on every try
                yield LostUnit(unit=unit, error=f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0]}")
    finally:
        if started_here:
            ray.shutdown()


def _failed(unit: EnvUnit, error: str) -> EnvResult:
    from synth.pipeline import rows

    return EnvResult(unit=unit, environment=rows.environment_row(unit, None, error=error), error=error)
