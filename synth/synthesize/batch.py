"""Many categories at once: near-duplicates skipped, `workers` syntheses in flight, a report of the lot."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path

from pydantic import BaseModel

from synth.model.endpoint import ModelConfig
from synth.synthesize.synthesize import SynthesisOptions, SynthesisRecord, existing_templates, synthesize_env
from synth.synthesize.taxonomy import distinct


class SynthesisReport(BaseModel):
    records: list[SynthesisRecord] = []
    skipped: list[tuple[str, str]] = []  # (category, the existing or earlier one it nearly repeats)

    @property
    def kept(self) -> list[SynthesisRecord]:
        return [r for r in self.records if r.kept]

    def outcomes(self) -> dict[str, int]:
        """Templates by outcome: "kept" or the reason of the rejection."""
        return dict(Counter("kept" if r.kept else r.reason for r in self.records).most_common())

    def first_try(self) -> dict[str, int]:
        """How the first reply of each template fared: "passed" or its failure reason."""
        return dict(
            Counter(
                r.first_try_reason or ("passed" if r.reason != "unparseable" else r.reason) for r in self.records
            ).most_common()
        )


def synthesize_many(
    categories: list[str],
    count: int,
    model: ModelConfig,
    out_root: Path,
    options: SynthesisOptions = SynthesisOptions(),
    *,
    workers: int = 1,
    envs_dirs: list[Path] = (),
) -> SynthesisReport:
    """Synthesize until `count` templates are kept or the categories run out."""
    names, used, texts = existing_templates([out_root, *envs_dirs])
    todo, skipped = distinct(list(categories), taken=used)
    report = SynthesisReport(skipped=skipped)
    queue = iter(todo)
    kept = 0
    with ThreadPoolExecutor(max(1, workers)) as pool:
        pending: set = set()
        while True:
            while len(pending) < workers and kept + len(pending) < count:
                category = next(queue, None)
                if category is None:
                    break
                pending.add(
                    pool.submit(
                        synthesize_env, category, model, out_root, options, taken=set(names), descriptions=list(texts)
                    )
                )
            if not pending:
                return report
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                record = future.result()
                report.records.append(record)
                if record.kept:
                    kept += 1
                    names.add(record.name)
                    texts.append(record.category)  # its description is in the manifest


def fill_missing(
    wanted: int,
    model: ModelConfig,
    out_root: Path,
    options: SynthesisOptions = SynthesisOptions(),
    *,
    workers: int = 1,
    envs_dirs: list[Path] = (),
    categories_file: Path | None = None,
) -> SynthesisReport | None:
    """Synthesize templates from the taxonomy into `out_root` until `wanted` distinct templates exist there and in
    `envs_dirs` (the shipped ones count too when `out_root` is envs/ itself); None: already there."""
    from synth.env.registry import ENVS_DIR
    from synth.synthesize.taxonomy import load_categories

    names, _, _ = existing_templates([out_root, *envs_dirs], installed=Path(out_root).resolve() == ENVS_DIR.resolve())
    missing = wanted - len(names)
    if missing <= 0:
        return None
    return synthesize_many(
        load_categories(categories_file), missing, model, out_root, options, workers=workers, envs_dirs=list(envs_dirs)
    )


def report_lines(report: SynthesisReport) -> list[str]:
    """Per-template cost and the pass rate by outcome, as printed by the command line and the bench."""
    lines = [f"{'category':48} {'outcome':22} {'repairs':>7} {'calls':>5} {'prompt tok':>10} {'compl tok':>9}"]
    for r in report.records:
        lines.append(
            f"{r.category[:48]:48} {('kept ' + (r.name or '')) if r.kept else r.reason:22.22} "
            f"{r.repairs:>7} {r.model_calls:>5} {r.prompt_tokens:>10} {r.completion_tokens:>9}"
        )
    total = len(report.records) or 1
    lines.append("outcomes: " + ", ".join(f"{k} {v} ({v / total:.0%})" for k, v in report.outcomes().items()))
    lines.append("first replies: " + ", ".join(f"{k} {v}" for k, v in report.first_try().items()))
    if report.skipped:
        lines.append(f"skipped as near-duplicates: {len(report.skipped)}")
    return lines
