"""Host side of template validation: put the candidate in a private folder, check it in a sandbox."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from synth.sandbox import SandboxBackend, SandboxCallError, SandboxError, SandboxLimits
from synth.synthesize.parse import TemplateDraft

SERVICE = "synth.synthesize.service:SynthesisChecker"


class Minimums(BaseModel):
    tables: int = 3
    rows: int = 30
    foreign_keys: int = 2


class CheckReport(BaseModel):
    ok: bool
    reason: str | None = None
    detail: str = ""
    name: str = ""
    version: str = ""
    category: str = ""
    agent_category: str = "general"
    description: str = ""
    policy: str = ""
    tools: list[dict[str, Any]] = []
    tool_kinds: dict[str, str] = {}
    db: dict[str, int] = {}
    db_hash: str = ""


def stage(draft: TemplateDraft, root: Path | None = None) -> Path:
    """A world-readable folder holding the candidate's env.py (the sandbox user must read it)."""
    folder = Path(tempfile.mkdtemp(prefix="synth-candidate-", dir=root))
    (folder / "env.py").write_text(draft.source)
    folder.chmod(0o755)
    (folder / "env.py").chmod(0o644)
    return folder


def code_hash(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()


def check_in_sandbox(
    backend: SandboxBackend,
    folder: Path,
    draft: TemplateDraft,
    seed: int,
    limits: SandboxLimits,
    minimums: Minimums = Minimums(),
) -> CheckReport:
    """Import, build and call the candidate inside a sandbox that mounts only its folder, read-only."""
    try:
        server = backend.start_server(SERVICE, limits, mounts=[folder])
    except SandboxError as exc:
        return CheckReport(ok=False, reason=f"sandbox_{exc.reason}", detail=str(exc))
    try:
        raw = server.call(
            "check",
            {
                "folder": str(folder),
                "seed": seed,
                "min_tables": minimums.tables,
                "min_rows": minimums.rows,
                "min_foreign_keys": minimums.foreign_keys,
                "samples": draft.samples,
            },
        )
        return CheckReport.model_validate(raw)
    except SandboxError as exc:  # killed: time, memory, output
        return CheckReport(ok=False, reason=f"sandbox_{exc.reason}", detail=f"the checker was stopped: {exc}")
    except SandboxCallError as exc:
        return CheckReport(ok=False, reason="checker_error", detail=exc.message)
    finally:
        server.close()


def discard(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
