"""`synth generate`: plan environment units, run them on Ray, stream results into shards, write the dataset."""

from __future__ import annotations

import json
import logging
import time
from typing import Callable, Iterable, Iterator

from synth.config import RunConfig
from synth.dataset.card import write_card
from synth.dataset.shards import ShardStore
from synth.dataset.summary import RunSummary, summarize
from synth.dataset.writer import save_dataset
from synth.env.registry import select
from synth.pipeline.plan import EnvUnit, plan_envs
from synth.pipeline.worker import EnvResult, process_env
from synth.dataset import rows

OBJECT_STORE_BYTES = 256 * 1024 * 1024


def _failed(unit: EnvUnit, error: str) -> EnvResult:
    return EnvResult(unit=unit, environment=rows.environment_row(unit, None, error=error), error=error)


def run_on_ray(units: list[EnvUnit], config: RunConfig) -> Iterator[EnvResult]:
    """Results in completion order; at most `workers` units in flight. A unit whose worker died is
    retried by Ray, then reported as a failed environment, never dropped."""
    import ray

    started_here = not ray.is_initialized()
    if started_here:
        options = dict(include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING,
                       configure_logging=False)
        if config.ray_address:
            ray.init(address=config.ray_address, **options)
        else:
            ray.init(num_cpus=config.workers, object_store_memory=OBJECT_STORE_BYTES, **options)
    try:
        remote = ray.remote(num_cpus=1, max_retries=2)(process_env)
        config_ref = ray.put(config)
        todo = iter(units)
        pending: dict = {}
        while True:
            while len(pending) < config.workers and (unit := next(todo, None)) is not None:
                pending[remote.remote(unit, config_ref)] = unit
            if not pending:
                return
            [done], _ = ray.wait(list(pending), num_returns=1)
            unit = pending.pop(done)
            try:
                yield ray.get(done)
            except Exception as exc:  # the worker process died (and its retries too)
                yield _failed(unit, f"worker failed: {type(exc).__name__}: {exc}")
    finally:
        if started_here:
            ray.shutdown()


def run_in_process(units: list[EnvUnit], config: RunConfig) -> Iterator[EnvResult]:
    for unit in units:
        yield process_env(unit, config)


def generate(config: RunConfig, *, force: bool = False, use_ray: bool = True,
             on_result: Callable[[EnvResult], None] | None = None,
             on_plan: Callable[[int, int], None] | None = None) -> RunSummary:
    start = time.monotonic()
    entries = select(list(config.templates) if config.templates else None, list(config.envs_dirs))
    units = plan_envs(entries, config.envs, config.seed)
    store = ShardStore(config.out, config.content_fingerprint(), config.model_dump(mode="json"), force=force)
    todo = [u for u in units if not store.done(u.index)]
    if on_plan:
        on_plan(len(units), len(units) - len(todo))
    results: Iterable[EnvResult] = run_on_ray(todo, config) if use_ray else run_in_process(todo, config)
    for result in results:
        store.write(result.unit.index, result.splits())
        if on_result:
            on_result(result)
    tables = store.tables()
    summary = summarize(config.out, config.seed, tables, wall_s=time.monotonic() - start)
    save_dataset(config.out, tables)
    write_card(config.out, summary, tables)
    (config.out / "summary.json").write_text(json.dumps(summary.model_dump(), indent=2))
    store.remove()
    return summary
