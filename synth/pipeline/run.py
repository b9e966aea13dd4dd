"""`synth generate`: plan environment units, run them on Ray, stream results into shards, write the dataset."""

from __future__ import annotations

import json
import time
from typing import Callable, Iterable, Iterator

from synth.config import RunConfig
from synth.dataset.card import write_card
from synth.dataset.loader import TEMPLATES_FOLDER
from synth.dataset.shards import ShardStore, finished_run
from synth.dataset.summary import RunSummary, summarize
from synth.dataset.writer import save_dataset, write_templates
from synth.env.registry import select
from synth.pipeline.cluster import LostUnit, run_units
from synth.pipeline.plan import EnvUnit, plan_envs
from synth.pipeline.worker import EnvResult, MakeTasks, process_env
from synth.programs import write_library


def parse_templates(selection: tuple[str, ...] | None) -> tuple[list[str] | None, dict[str, str]]:
    """`--templates bank,retail:full` -> (["bank", "retail"], {"retail": "full"}): NAME:INSTANCE picks a named
    instance of a template."""
    if not selection:
        return None, {}
    names, instances = [], {}
    for item in selection:
        name, _, instance = item.partition(":")
        names.append(name)
        if instance:
            instances[name] = instance
    return names, instances


def run_on_ray(
    units: list[EnvUnit], config: RunConfig, make_tasks: MakeTasks | None = None
) -> Iterator[EnvResult | LostUnit]:
    """Results in completion order, each unit once; see synth.pipeline.cluster for retries and caps."""
    yield from run_units(units, config, make_tasks)


def run_in_process(units: list[EnvUnit], config: RunConfig, make_tasks: MakeTasks | None = None) -> Iterator[EnvResult]:
    for unit in units:
        yield process_env(unit, config, make_tasks)


class RunIncomplete(RuntimeError):
    """Some units never finished (their workers kept dying); the rest are saved for a resume."""


def generate(
    config: RunConfig,
    *,
    force: bool = False,
    resume: bool = False,
    use_ray: bool = True,
    on_result: Callable[[EnvResult], None] | None = None,
    on_plan: Callable[[int, int], None] | None = None,
    make_tasks: MakeTasks | None = None,
) -> RunSummary:
    """`make_tasks`: how each environment's tasks are made (default: its template's proposers; a run with a
    proposing model goes through synth.generation, which passes the model's)."""
    start = time.monotonic()
    if resume and not force and finished_run(config.out, config.content_fingerprint()):
        return RunSummary.model_validate_json((config.out / "summary.json").read_text())
    names, instances = parse_templates(config.templates)
    entries = select(names, list(config.envs_dirs))
    for entry in entries:
        if instances.get(entry.name) not in (None, *entry.cls.instances):
            raise ValueError(
                f"template {entry.name} has no instance {instances[entry.name]!r}; its named instances: "
                f"{', '.join(entry.cls.instances) or 'none'}"
            )
    synthesized = [e.name for e in entries if e.synthesized]
    if synthesized and config.proposer != "llm":
        raise ValueError(
            f"model-written templates ({', '.join(synthesized[:5])}) have no procedural proposers: "
            f"pass --proposer llm with a model, or leave them out with --templates"
        )
    units = plan_envs(entries, config.envs, config.seed, config.category_mix, instances)
    store = ShardStore(
        config.out,
        config.content_fingerprint(),
        config.model_dump(mode="json"),
        force=force,
        resume=resume,
        plan=[u.env_id for u in units],
    )
    todo = [u for u in units if not store.done(u.index)]
    if on_plan:
        on_plan(len(units), len(units) - len(todo))
    results: Iterable[EnvResult | LostUnit] = (
        run_on_ray(todo, config, make_tasks) if use_ray else run_in_process(todo, config, make_tasks)
    )
    lost: list[LostUnit] = []
    for result in results:
        if isinstance(result, LostUnit):  # not written: a resumed run does it again
            lost.append(result)
            continue
        store.write(result.unit.index, result.splits())
        if on_result:
            on_result(result)
    if lost:
        store.close()
        raise RunIncomplete(
            f"{len(lost)} of {len(units)} environments could not be built because their workers "
            f"kept dying (first: {lost[0].unit.env_id}: {lost[0].error}); the others are saved in "
            f"{config.out}: rerun the same command with --resume to finish"
        )
    tables = store.tables()
    summary = summarize(config.out, config.seed, tables, wall_s=time.monotonic() - start)
    store.clear_outputs()
    save_dataset(config.out, tables)
    write_library(config.out)
    write_templates(config.out, [e.folder for e in entries], TEMPLATES_FOLDER)
    write_card(config.out, summary, tables)
    (config.out / "summary.json").write_text(json.dumps(summary.model_dump(), indent=2))
    store.remove()
    return summary
