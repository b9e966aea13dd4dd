"""Runs in a venv holding synth next to the PyPI package `verifiers` (as an RL user's venv does), from a folder
outside the repository and without PYTHONPATH, so both import as installed:

    python both_verifiers.py OUT   -> one JSON line

It imports both packages, runs `synth generate` into OUT, and re-grades every stored task from the run's files:
the reference trajectory must pass and an empty answer must fail.
"""

import importlib.metadata
import json
import subprocess
import sys

import synth_verifiers.grade
import verifiers
from synth.dataset.loader import TaskEnvironment, load_run

out = sys.argv[1]
generate = subprocess.run(
    [
        sys.executable,
        "-m",
        "cli",
        "generate",
        "--envs",
        "2",
        "--tasks-per-env",
        "4",
        "--templates",
        "bank",
        "--no-ray",
        "--workers",
        "1",
        "--out",
        out,
    ],
    capture_output=True,
    text=True,
)
if generate.returncode:
    sys.exit(f"synth generate failed:\n{generate.stdout[-3000:]}\n{generate.stderr[-3000:]}")

dd = load_run(out)
references = {t["task_id"]: t["messages"] for t in dd["trajectories"] if t["agent"] == "reference"}
grades = []
for task in dd["tasks"]:
    with TaskEnvironment(task, run_dir=out) as env:
        right = env.regrade(references[task["task_id"]]).passed
        env.reset()
        empty = env.grade("").passed
    grades.append({"task_id": task["task_id"], "reference": right, "empty": empty})

print(
    json.dumps(
        {
            "verifiers_file": verifiers.__file__,
            "verifiers_version": importlib.metadata.version("verifiers"),
            "verifiers_has_v1": importlib.util.find_spec("verifiers.v1") is not None,
            "synth_verifiers_grade": synth_verifiers.grade.__file__,
            "grades": grades,
        }
    )
)
