"""Executing stored programs (solutions, verifiers) inside a sandbox. Never call this on the host.

A task's verifier runs on a *library*: the framework's grading code (synth_verifiers.grade and everything it
uses), stored once per run as `grader/<id>.py` instead of in each of its rows. The id is a hash of the source,
so a row names exactly the grading code it was accepted with; the row's own source is the template's check.
"""

from __future__ import annotations

import hashlib
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Callable

from synth.bundle import check_no_clash
from synth.expect import Answer, Effects
from synth.task import Program, Verdict

GRADER_FOLDER = "grader"


class ProgramError(RuntimeError):
    pass


@cache
def current_library() -> tuple[str, str]:
    """(id, source) of the grading library this synth writes into tasks."""
    from synth.bundle import bundle_source
    from synth_verifiers.grade import verify_task

    source = bundle_source(verify_task)
    return library_id(source), source


def library_id(source: str) -> str:
    return f"grade-{hashlib.sha256(source.encode()).hexdigest()[:12]}"


def find_library(library: str, folders: list[Path] = ()) -> str:
    """The source of a grading library: this synth's own, or a copy stored in a run's grader/ folder."""
    current, source = current_library()
    if library == current:
        return source
    for folder in folders:
        path = Path(folder) / GRADER_FOLDER / f"{library}.py"
        if path.is_file():
            text = path.read_text()
            if library_id(text) == library:
                return text
    raise ProgramError(
        f"this task's verifier needs the grading library {library}, which is neither this synth's "
        f"({current}) nor in {GRADER_FOLDER}/ of the given run folders; pass the run folder it came "
        f"from, or install the synth version that wrote it"
    )


def compose_verifier(answer: Answer, effects: Effects, check: Program | None, instruction: str) -> Program:
    """The stored verifier: `verify_task` of the current grading library over the typed answer (with the
    instruction, whose stated values an answer may restate), the declared effects and the template's own check,
    whose self-contained source is what the row stores."""
    library, library_source = current_library()
    spec = answer.spec()
    if answer.kind != "none":
        spec["context"] = instruction
    if check is not None:
        check_no_clash(library_source, check.source)
    return Program(
        source=check.source if check is not None else "",
        entry="verify_task",
        library=library,
        params={
            "answer": spec,
            "effects": effects.spec(),
            "check": {"entry": check.entry, "params": check.params} if check is not None else None,
        },
    )


def write_library(run_dir: Path) -> str:
    """Store this synth's grading library in a run folder; returns its id."""
    library, source = current_library()
    path = Path(run_dir) / GRADER_FOLDER / f"{library}.py"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    return library


@lru_cache(maxsize=512)
def _compiled(source: str, entry: str, library_source: str) -> Callable[..., Any]:
    namespace: dict[str, Any] = {"__name__": "synth_program"}
    if library_source:
        exec(compile(library_source, "<grading library>", "exec"), namespace)
    exec(compile(source, f"<program {entry}>", "exec"), namespace)
    fn = namespace.get(entry)
    if not callable(fn):
        raise ProgramError(f"program defines no function {entry!r}")
    return fn


def entry_point(program: Program, library_source: str | None = None) -> Callable[..., Any]:
    if program.library and library_source is None:
        library_source = find_library(program.library)
    return _compiled(program.source, program.entry, library_source or "")


def as_verdict(value: Any) -> Verdict:
    """Accept the usual ways a verifier says pass/fail: bool, (bool, reasons), dict or Verdict."""
    if isinstance(value, Verdict):
        return value
    if isinstance(value, bool):
        return Verdict(passed=value)
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], bool):
        reasons = value[1] if isinstance(value[1], list) else [str(value[1])]
        return Verdict(passed=value[0], reasons=[str(r) for r in reasons])
    if isinstance(value, dict) and isinstance(value.get("passed"), bool):
        return Verdict(passed=value["passed"], reasons=[str(r) for r in value.get("reasons", [])])
    return Verdict(
        passed=False, error=f"verifier returned {type(value).__name__}, expected bool, (bool, reasons) or dict"
    )
