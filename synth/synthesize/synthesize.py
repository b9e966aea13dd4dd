"""Synthesis of one environment: the model writes a template for a category, the sandbox checks it,
errors go back for repair (bounded rounds), and a kept template must yield at least one LLM-proposed
task that passes the pipeline's full validation. Only then is it written as a folder with its manifest."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from synth.env.manifest import MANIFEST_FILE, DbStats, Manifest, Provenance
from synth.ids import derive_seed
from synth.model.client import shared_client
from synth.model.endpoint import ModelConfig
from synth.model.retry import ModelError
from synth.model.usage import Usage
from synth.prompts import render_prompt
from synth.propose.chat import Chat
from synth.sandbox import SandboxLimits, get_backend
from synth.synthesize.parse import ReplyFormatError, parse_reply
from synth.synthesize.taxonomy import agent_category_of, category_text, near_duplicate
from synth.synthesize.validate import CheckReport, Minimums, check_in_sandbox, code_hash, discard, stage

_keep_lock = threading.Lock()


class SynthesisOptions(BaseModel):
    seed: int = 0
    repair_rounds: int = 3
    task_repair_rounds: int = 2
    minimums: Minimums = Minimums()
    sandbox: Literal["bwrap", "docker", "none"] = "bwrap"
    limits: SandboxLimits = SandboxLimits()


class SynthesisRecord(BaseModel):
    """What became of one category: kept (with its folder) or rejected with the reason of the last try."""

    category: str
    kept: bool = False
    name: str | None = None
    folder: str | None = None
    reason: str | None = None
    detail: str = ""
    repairs: int = 0
    first_try_reason: str | None = None  # why the first reply failed, if it did
    model_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    task_model_calls: int = 0  # part of model_calls: the task-proposal check


def _reject(record: SynthesisRecord, reason: str, detail: str) -> SynthesisRecord:
    record.kept, record.reason, record.detail = False, reason, detail[:4000]
    return record


def _count(record: SynthesisRecord, usage: Usage) -> None:
    record.model_calls += usage.calls
    record.prompt_tokens += usage.prompt_tokens
    record.completion_tokens += usage.completion_tokens


def _write_template(
    chat: Chat,
    category: str,
    options: SynthesisOptions,
    seed: int,
    taken: set[str],
    descriptions: list[str],
    record: SynthesisRecord,
):
    """(staged folder, check report, source) of an accepted template, or None with `record` rejected."""
    backend = get_backend(options.sandbox)
    agent_category = agent_category_of(category)
    prompt = render_prompt(
        "synthesize_env", category=category_text(category), agent_category=agent_category, taken=sorted(taken)[:50]
    )
    reply = chat.ask(prompt)
    for round_ in range(options.repair_rounds + 1):
        record.repairs = round_
        folder = None
        try:
            draft = parse_reply(reply)
            folder = stage(draft)
            report = check_in_sandbox(backend, folder, draft, seed, options.limits, options.minimums)
            if report.ok and report.name in taken:
                report = CheckReport(
                    ok=False,
                    reason="name_taken",
                    detail=f"an environment is already named {report.name!r}; choose another name",
                )
            if report.ok and report.agent_category != agent_category:
                report = CheckReport(
                    ok=False,
                    reason="definition_error",
                    detail=f"set agent_category = {agent_category!r}: this environment serves "
                    f"that agent category, not {report.agent_category!r}",
                )
            if report.ok:
                other = near_duplicate(f"{report.category} {report.description}", descriptions)
                if other is not None:  # the model made the same environment again: not worth a repair
                    discard(folder)
                    return _reject(record, "near_duplicate", f"repeats an existing environment: {other}")
                return folder, report, draft.source
            reason, detail = report.reason, report.detail
        except ReplyFormatError as exc:
            reason, detail = exc.reason, str(exc)
        if folder is not None:
            discard(folder)
        record.first_try_reason = record.first_try_reason or reason
        if round_ == options.repair_rounds:
            return _reject(record, reason, f"after {options.repair_rounds} repair rounds: {detail}")
        reply = chat.ask(render_prompt("synthesize_repair", reason=reason, detail=detail[:3000]))


def _task_check(
    folder: Path, report: CheckReport, model: ModelConfig, options: SynthesisOptions, seed: int, record: SynthesisRecord
) -> str | None:
    """None when an LLM-proposed task passes full validation on the template; else why not."""
    from synth.config import RunConfig
    from synth.pipeline.plan import EnvUnit
    from synth.pipeline.worker import process_env
    from synth.propose.llm import propose_with_model

    config = RunConfig(
        envs=1,
        tasks_per_env=1,
        attempts_per_task=1,
        escalations=0,
        proposer="llm",
        model=model,
        repair_rounds=options.task_repair_rounds,
        sandbox=options.sandbox,
        workers=1,
        limits=options.limits,
        templates=(report.name,),
    )
    unit = EnvUnit(
        index=0,
        template=report.name,
        version=report.version,
        category=report.category,
        agent_category=report.agent_category,
        folder=folder,
        seed=seed,
        env_id=f"synth-check-{report.name}",
    )
    result = process_env(unit, config, propose_with_model)
    env = result.environment
    record.task_model_calls = env.get("proposer_calls") or 0
    record.model_calls += record.task_model_calls
    record.prompt_tokens += env.get("proposer_prompt_tokens") or 0
    record.completion_tokens += env.get("proposer_completion_tokens") or 0
    if result.tasks:
        return None
    reasons = [f"{r['reason']}: {r['detail'][:300]}" for r in result.rejections]
    return result.error or "; ".join(reasons) or "no task was proposed"


def synthesize_env(
    category: str,
    model: ModelConfig,
    out_root: Path,
    options: SynthesisOptions = SynthesisOptions(),
    *,
    taken: set[str] = frozenset(),
    descriptions: list[str] = (),
    target: Path | None = None,
) -> SynthesisRecord:
    """Synthesize one template for `category` into `target` (default `out_root/<name>`); never raises for a
    bad template."""
    record = SynthesisRecord(category=category)
    seed = derive_seed(options.seed, "synthesize", category)
    chat = Chat(shared_client(model), render_prompt("synthesize_system", minimums=options.minimums))
    try:
        written = _write_template(chat, category, options, seed, set(taken), list(descriptions), record)
    except ModelError as exc:
        written = _reject(record, exc.reason, str(exc))
    finally:
        _count(record, chat.usage)
    if isinstance(written, SynthesisRecord):
        return written
    folder, report, source = written
    record.name = report.name
    try:
        manifest = Manifest(
            name=report.name,
            version=report.version,
            category=report.category or category,
            agent_category=report.agent_category,
            description=report.description,
            policy=report.policy,
            tools=report.tools,
            tool_kinds=report.tool_kinds,
            db=DbStats(**report.db),
            code_sha256=code_hash(source),
            provenance=Provenance(model=model.model, seed=seed, repair_rounds=record.repairs),
        )
        (folder / MANIFEST_FILE).write_text(manifest.model_dump_json(indent=2))
        (folder / MANIFEST_FILE).chmod(0o644)
        problem = _task_check(folder, report, model, options, seed, record)
        if problem is not None:
            return _reject(record, "no_valid_task", f"no LLM-proposed task passed validation: {problem}")
        manifest = manifest.model_copy(
            update={
                "provenance": manifest.provenance.model_copy(
                    update={
                        "model_calls": record.model_calls,
                        "prompt_tokens": record.prompt_tokens,
                        "completion_tokens": record.completion_tokens,
                    }
                )
            }
        )
        (folder / MANIFEST_FILE).write_text(manifest.model_dump_json(indent=2))
        with _keep_lock:
            target = target or out_root / report.name
            if target.exists():
                return _reject(record, "name_taken", f"{target} already exists")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(folder, target)
        record.kept, record.folder = True, str(target)
        return record
    finally:
        discard(folder)


def existing_templates(roots: list[Path], *, installed: bool = True) -> tuple[set[str], list[str], list[str]]:
    """Names, categories and "category description" texts of the templates already in `roots` (and envs/ with
    `installed`), from manifests for model-written ones: their code is never imported on the host."""
    from synth.env.registry import entries_in

    entries = [e for e in entries_in(list(roots), installed=installed) if e.cls is not None]
    return (
        {e.name for e in entries},
        [e.cls.category for e in entries],
        [f"{e.cls.category} {e.cls.description}" for e in entries],
    )
