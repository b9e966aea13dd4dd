"""Virtual environments for trainers' own packages (TRL, verl), used only by tests and kept out of synth's
dependencies. Each is made once per machine under $SYNTH_TEST_VENVS (default /tmp/synth-venvs) and reused.

The adapters under test run inside the trainer's process, next to synth, as in a trainer's venv with synth
installed: a client venv starts as a copy of synth's own venv (hard links, so it costs no space and seconds), and
pip adds the trainer's packages on top (only what synth's venv lacks is downloaded: torch, for one, is the CPU build
synth's venv already has). Its interpreter is also the one synth's sandboxes run, mounting the venv read-only, so
everything it imports must live inside it. synth itself comes from the work tree on PYTHONPATH. A venv is keyed by
its requirements and synth's venv's packages: a change to either makes a new one. Failing to build one fails
under CI and skips elsewhere.
"""

from __future__ import annotations

import fcntl
import importlib.metadata
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from synth.ids import digest

ROOT = Path(os.environ.get("SYNTH_TEST_VENVS", "/tmp/synth-venvs"))
REPO = Path(__file__).resolve().parents[2]
PIP_TIMEOUT_S = 1200


def _fail_or_skip(message: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _copy_venv(source: Path, target: Path) -> None:
    """Copy a venv by hard links (pip replaces files, never edits them in place), or plainly across devices."""
    try:
        subprocess.run(["cp", "-al", str(source), str(target)], check=True, capture_output=True, text=True)
    except subprocess.CalledProcessError:
        shutil.rmtree(target, ignore_errors=True)
        subprocess.run(["cp", "-a", str(source), str(target)], check=True, capture_output=True, text=True)


def client_python(name: str, requirements: list[str]) -> Path:
    """The python of the venv `name`: synth's venv plus `requirements` (made on first use)."""
    base = Path(sys.prefix)
    if base == Path(sys.base_prefix):
        _fail_or_skip("the tests must run from synth's venv (.venv/bin/python -m pytest) to make client venvs")
    installed = sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions())
    target = ROOT / f"{name}-{digest(requirements, installed, str(base), sys.version_info[:2], length=10)}"
    python = target / "bin" / "python"
    ready = target / ".ready"
    if ready.exists():
        return python
    ROOT.mkdir(parents=True, exist_ok=True)
    with open(ROOT / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one builder at a time; the others find it ready
        if ready.exists():
            return python
        for old in ROOT.glob(f"{name}-*"):  # earlier versions and a build cut short
            shutil.rmtree(old, ignore_errors=True)
        try:
            _copy_venv(base, target)
            subprocess.run(
                [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *requirements],
                check=True,
                capture_output=True,
                text=True,
                timeout=PIP_TIMEOUT_S,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            shutil.rmtree(target, ignore_errors=True)
            detail = (getattr(exc, "stderr", None) or str(exc))[-2000:]
            _fail_or_skip(f"could not build the {name} client venv ({' '.join(requirements)}):\n{detail}")
        ready.write_text(" ".join(requirements) + "\n")
    return python


def run_client(
    python: Path, script: Path, *args: str, timeout: float = 600, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run a client script in its venv, from the repository root (so `synth` and `tests` import)."""
    env = {
        **os.environ,
        "PYTHONPATH": f"{REPO}:{REPO / 'synth' / 'sandbox' / 'importable'}",
        "TOKENIZERS_PARALLELISM": "false",
        "WANDB_MODE": "disabled",
        "HF_HUB_OFFLINE": "1",
        "HF_DATASETS_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        **(env or {}),
    }
    return subprocess.run(
        [str(python), str(script), *args], capture_output=True, text=True, timeout=timeout, env=env, cwd=REPO
    )
