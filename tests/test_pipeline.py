"""`synth generate` end to end: real bubblewrap, real Ray, a real Arrow dataset read back with `datasets`."""

import json
from pathlib import Path

import datasets
import pytest

from synth.config import RunConfig
from synth.dataset.loader import TaskEnvironment, load_run, task_from_row
from synth.dataset.schema import SPLITS
from synth.pipeline.run import generate

VOLATILE = {"duration_s"}
REPO = Path(__file__).resolve().parent.parent


def rows_of(path, split):
    return [{k: v for k, v in r.items() if k not in VOLATILE} for r in load_run(path)[split]]


@pytest.fixture(scope="module")
def ray_run(tmp_path_factory, bwrap):
    """One real run through the CLI: bubblewrap sandboxes on a local Ray cluster."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("runs") / "demo"
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "cli.py"),
            "generate",
            "--envs",
            "3",
            "--tasks-per-env",
            "4",
            "--seed",
            "11",
            "--out",
            str(out),
            "--workers",
            "2",
            "--templates",
            "travel",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out, proc.stdout


def test_run_loads_as_a_datasetdict_with_the_declared_schema(ray_run):
    out, stdout = ray_run
    dd = datasets.load_from_disk(str(out))
    assert set(dd) == set(SPLITS)
    for name, schema in SPLITS.items():
        assert dd[name].data.schema.names == schema.names
    assert len(dd["environments"]) == 3 and set(dd["environments"]["status"]) == {"ok"}
    assert len(dd["tasks"]) == 12 and len(dd["trajectories"]) == 12
    assert len(set(dd["tasks"]["task_id"])) == 12
    assert "run summary" in stdout and "tasks accepted" in stdout
    summary = json.loads((out / "summary.json").read_text())
    assert summary["tasks_accepted"] == 12 and summary["pass_rate"] == 1.0
    card = (out / "README.md").read_text()
    assert card.startswith("---\n") and "num_examples: 12" in card


def test_every_trajectory_regrades_from_the_stored_task_alone(ray_run, bwrap):
    out, _ = ray_run
    dd = load_run(out)
    tasks = {r["task_id"]: r for r in dd["tasks"]}
    for traj in dd["trajectories"]:
        row = tasks[traj["task_id"]]
        with TaskEnvironment(row) as env:
            assert env.regrade(traj["messages"]).passed, traj["task_id"]
            # and the stored verifier is not a rubber stamp: the untouched environment fails it
            env.reset()
            assert not env.grade(None).passed


def test_stored_messages_are_openai_format(ray_run):
    out, _ = ray_run
    traj = load_run(out)["trajectories"][0]
    roles = [m["role"] for m in traj["messages"]]
    assert roles[:2] == ["system", "user"] and roles[-1] == "assistant"
    calls = [c for m in traj["messages"] if m["tool_calls"] for c in m["tool_calls"]]
    tool_msgs = [m for m in traj["messages"] if m["role"] == "tool"]
    assert calls and [c["id"] for c in calls] == [m["tool_call_id"] for m in tool_msgs]
    for c in calls:
        assert c["type"] == "function" and isinstance(json.loads(c["function"]["arguments"]), dict)


def test_altered_task_row_is_detected(ray_run):
    out, _ = ray_run
    row = dict(load_run(out)["tasks"][0])
    task_from_row(row)
    row["verifier_params"] = json.dumps({"expected": -1})
    with pytest.raises(ValueError, match="does not match its id"):
        task_from_row(row)


def test_same_seed_same_rows_different_seed_different_envs(tmp_path, ray_run, bwrap):
    out, _ = ray_run
    again = generate(
        RunConfig(envs=3, tasks_per_env=4, seed=11, out=tmp_path / "again", templates=("travel",)), use_ray=False
    )
    assert again.tasks_accepted == 12
    for split in ("tasks", "trajectories", "environments"):
        assert rows_of(out, split) == rows_of(tmp_path / "again", split), split
    other = generate(
        RunConfig(envs=3, tasks_per_env=4, seed=12, out=tmp_path / "other", templates=("travel",)), use_ray=False
    )
    assert other.tasks_accepted == 12
    ids = lambda p: set(load_run(p)["environments"]["env_id"])  # noqa: E731
    hashes = lambda p: set(load_run(p)["environments"]["db_hash"])  # noqa: E731
    assert not ids(out) & ids(tmp_path / "other") and not hashes(out) & hashes(tmp_path / "other")


def test_finished_run_is_not_overwritten_without_force(tmp_path, bwrap, fixture_envs):
    config = RunConfig(envs=1, tasks_per_env=2, out=tmp_path / "r", templates=("notes",), envs_dirs=(fixture_envs,))
    generate(config, use_ray=False)
    from synth.dataset.shards import RunDirError

    with pytest.raises(RunDirError, match="--force"):
        generate(config, use_ray=False)
    assert generate(config, use_ray=False, force=True).tasks_accepted == 2


def test_unfinished_run_resumes_and_refuses_other_config(tmp_path, bwrap, fixture_envs):
    from synth.dataset.shards import RunDirError, ShardStore
    from synth.env.registry import select
    from synth.pipeline.plan import plan_envs
    from synth.pipeline.worker import process_env

    config = RunConfig(envs=3, tasks_per_env=2, out=tmp_path / "r", templates=("notes",), envs_dirs=(fixture_envs,))
    # a run killed after its first unit: one shard on disk, no dataset yet
    store = ShardStore(config.out, config.content_fingerprint(), {})
    first = plan_envs(select(["notes"], [fixture_envs]), 3, config.seed)[0]
    store.write(first.index, process_env(first, config).splits())
    with pytest.raises(RunDirError, match="different configuration"):
        generate(config.model_copy(update={"seed": 99}), use_ray=False)
    seen = []
    summary = generate(config, use_ray=False, on_plan=lambda total, done: seen.append((total, done)))
    assert seen == [(3, 1)] and summary.envs_ok == 3 and summary.tasks_accepted == 6
    reference = generate(config.model_copy(update={"out": tmp_path / "ref"}), use_ray=False)
    assert rows_of(config.out, "tasks") == rows_of(tmp_path / "ref", "tasks")
    assert reference.tasks_accepted == 6
