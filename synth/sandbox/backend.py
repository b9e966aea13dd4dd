"""The sandbox backend protocol and what every backend shares: the boot spec and a clean environment."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from abc import ABC, abstractmethod
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import synth
from synth.sandbox.limits import SandboxLimits
from synth.sandbox.process import ServerProcess, run_to_completion
from synth.sandbox.result import RunResult

PROJECT_ROOT = Path(synth.__file__).resolve().parent.parent
BOOT = Path(__file__).resolve().parent / "boot.py"
JOB_DIR = "/sandbox/job"
SANDBOX_PYTHONPATH = f"{PROJECT_ROOT}:{Path(__file__).resolve().parent / 'importable'}"


def clean_environment() -> dict[str, str]:
    """The whole environment a sandboxed process sees: no caller variables, so no secrets."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": "/tmp",
        "LANG": "C.UTF-8",
        "PYTHONPATH": SANDBOX_PYTHONPATH,
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
    }


def project_mounts() -> list[Path]:
    """Read-only paths every sandbox needs: the interpreter and the code that runs inside."""
    paths = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), Path(sys.executable).resolve().parent}
    paths |= {PROJECT_ROOT / "synth", PROJECT_ROOT / "verifiers"}
    return sorted(p for p in paths if p.exists())


@contextmanager
def job_folder(path: Path) -> Iterator[Path]:
    """A private, world-readable folder holding a copy of `path` as main.py, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="synth-job-") as tmp:
        job = Path(tmp)
        shutil.copyfile(path, job / "main.py")
        job.chmod(0o755)
        (job / "main.py").chmod(0o644)
        yield job


class SandboxBackend(ABC):
    name: str

    @abstractmethod
    def wrap(self, argv: list[str], limits: SandboxLimits, mounts: list[Path], job_dir: Path | None) -> list[str]:
        """The command line that runs `argv` inside this backend's isolation."""

    def uid(self) -> int | None:
        return None

    def python_argv(self, spec: dict) -> list[str]:
        return [sys.executable, "-B", "-s", str(BOOT), json.dumps(spec)]

    def run_file(self, path: Path, limits: SandboxLimits) -> RunResult:
        """Run one Python file to completion and report what happened (the `synth sandbox run` contract)."""
        with job_folder(path) as job:
            inner = self.job_path(job) + "/main.py"
            spec = {"mode": "file", "path": inner, "limits": limits.model_dump(), "uid": self.uid()}
            argv = self.wrap(self.python_argv(spec), limits, project_mounts(), job)
            return run_to_completion(argv, limits, self.host_environment())

    def start_server(self, service: str, limits: SandboxLimits, mounts: list[Path] = ()) -> ServerProcess:
        """Start an RPC server hosting `service` ("module:Class") and wait until it answers."""
        spec = {"mode": "server", "service": service, "limits": limits.model_dump(), "uid": self.uid()}
        argv = self.wrap(self.python_argv(spec), limits, project_mounts() + list(mounts), None)
        return ServerProcess(argv, limits, self.host_environment())

    def job_path(self, job_dir: Path) -> str:
        return JOB_DIR

    def host_environment(self) -> dict[str, str]:
        return clean_environment()
