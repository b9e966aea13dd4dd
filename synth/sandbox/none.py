"""No isolation at all: limits and a clean environment only. For trusted development, never for model code."""

from __future__ import annotations

import warnings
from pathlib import Path

from synth.sandbox.backend import SandboxBackend
from synth.sandbox.limits import SandboxLimits


class NoSandbox(SandboxBackend):
    name = "none"

    def __init__(self) -> None:
        warnings.warn(
            "sandbox 'none' runs environment, solution and verifier code without isolation; "
            "use it only for trusted development (the default is --sandbox bwrap)",
            stacklevel=2,
        )

    def wrap(self, argv: list[str], limits: SandboxLimits, mounts: list[Path], job_dir: Path | None) -> list[str]:
        return argv

    def job_path(self, job_dir: Path) -> str:
        return str(job_dir)
