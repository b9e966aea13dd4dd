"""synth and the PyPI package `verifiers` (which RL trainers install) in one venv: both import, and a run made
there re-grades with its stored verifier programs."""

import json
import os
import subprocess
from pathlib import Path

from tests.trainer_clients.venvs import REPO, client_python

VERIFIERS = ["verifiers==0.4.0"]


def test_synth_and_pypi_verifiers_share_a_venv(tmp_path):
    python = client_python("with-verifiers", VERIFIERS)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    proc = subprocess.run(
        [str(python), str(REPO / "tests" / "trainer_clients" / "both_verifiers.py"), str(tmp_path / "run")],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=tmp_path,
        env=env,
    )
    assert proc.returncode == 0, f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert Path(report["verifiers_file"]).is_relative_to(python.parent.parent)  # the PyPI package, not ours
    assert report["verifiers_version"] == "0.4.0" and report["verifiers_has_v1"]
    assert Path(report["synth_verifiers_grade"]) == REPO / "verifiers" / "grade.py"
    assert len(report["grades"]) >= 4
    assert all(g["reference"] and not g["empty"] for g in report["grades"]), report["grades"]


def test_the_repository_root_on_the_path_does_not_shadow_pypi_verifiers():
    """Run from a synth checkout (the current folder comes first on sys.path), `import verifiers` still finds the
    installed package: the project's verifiers/ folder is only a namespace portion, which a regular package beats."""
    python = client_python("with-verifiers", VERIFIERS)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    proc = subprocess.run(
        [
            str(python),
            "-c",
            "import verifiers, synth_verifiers.grade as g; print(verifiers.__file__); print(g.__file__)",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    pypi, ours = map(Path, proc.stdout.split())
    assert pypi.is_relative_to(python.parent.parent) and ours == REPO / "verifiers" / "grade.py"
