"""Resume and integrity: a driver killed with SIGKILL at a random point resumes to exactly the dataset an
uninterrupted run writes; torn or corrupt shards are redone; lost units are retried; other configurations
and concurrent drivers are refused."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from synth.config import RunConfig
from synth.dataset.loader import load_run
from synth.dataset.schema import SPLITS
from synth.dataset.shards import SHARDS, RunDirError, ShardStore, run_state
from synth.env.registry import select
from synth.pipeline.cluster import LostUnit
from synth.pipeline.plan import plan_envs
from synth.pipeline.run import RunIncomplete, generate
from synth.pipeline.worker import process_env

REPO = Path(__file__).resolve().parent.parent
FIXTURE_ENVS = REPO / "tests" / "fixtures" / "envs"
VOLATILE = {"duration_s"}
ARGS = ["--envs", "6", "--tasks-per-env", "2", "--seed", "21", "--templates", "notes", "--envs-dir", str(FIXTURE_ENVS)]
CONFIG = RunConfig(envs=6, tasks_per_env=2, seed=21, templates=("notes",), envs_dirs=(FIXTURE_ENVS,))


def dataset(out) -> dict[str, list[dict]]:
    dd = load_run(out)
    return {split: [{k: v for k, v in row.items() if k not in VOLATILE} for row in dd[split]] for split in SPLITS}


@pytest.fixture(scope="module")
def reference(tmp_path_factory, bwrap):
    """The uninterrupted run every interrupted one must end up equal to."""
    out = tmp_path_factory.mktemp("reference") / "run"
    generate(CONFIG.model_copy(update={"out": out}), use_ray=False)
    return dataset(out)


def cli(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPO / "cli.py"), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        env={**os.environ, "COLUMNS": "250"},
    )


def units_on_disk(out) -> int:
    root = out / SHARDS
    return sum(p.name.isdigit() for p in root.iterdir()) if root.is_dir() else 0


def test_driver_killed_with_sigkill_resumes_to_the_uninterrupted_dataset(tmp_path, reference):
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    after_units, extra_s = rng.randrange(0, 5), rng.uniform(0, 0.25)
    note = f"(kill after {after_units} units + {extra_s:.2f}s; seed {seed})"
    out = tmp_path / "run"
    driver = subprocess.Popen(
        [sys.executable, str(REPO / "cli.py"), "generate", *ARGS, "--out", str(out), "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=REPO,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 300
        while driver.poll() is None and not (
            (out / SHARDS / "config.json").exists() and units_on_disk(out) >= after_units
        ):
            assert time.monotonic() < deadline, f"the run made no progress {note}"
            time.sleep(0.02)
        time.sleep(extra_s)
        os.kill(driver.pid, signal.SIGKILL)
        driver.wait()
    finally:
        _reap_session(driver.pid)
    state, done = run_state(out), units_on_disk(out)
    assert state in ("unfinished", "finished"), note
    resumed = cli("generate", *ARGS, "--out", str(out), "--workers", "2", "--resume")
    assert resumed.returncode == 0, note + resumed.stdout + resumed.stderr
    if state == "unfinished" and done:
        assert f"resuming: {done} of 6 environments already done" in resumed.stdout, note
    after = dataset(out)
    assert after == reference, note
    ids = [t["task_id"] for t in after["tasks"]]
    assert len(ids) == len(set(ids)) == 12, note


def _reap_session(sid: int, timeout: float = 5) -> None:
    """Give what the killed driver started (its local Ray, its sandboxes) a moment to go with it, then end
    the stragglers: all of them are in the session this test created."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _session_members(sid):
        time.sleep(0.2)
    for pid in _session_members(sid):  # stragglers of our own run only
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _session_members(sid: int) -> list[int]:
    members = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":
            members.append(int(pid))
    return members


def _store_with_units(out, indices, config=CONFIG) -> tuple[ShardStore, list]:
    units = plan_envs(select(["notes"], [FIXTURE_ENVS]), config.envs, config.seed)
    store = ShardStore(
        out, config.content_fingerprint(), config.model_dump(mode="json"), plan=[u.env_id for u in units]
    )
    for i in indices:
        store.write(i, process_env(units[i], config).splits())
    return store, units


def test_torn_and_corrupt_units_are_redone(tmp_path, reference):
    config = CONFIG.model_copy(update={"out": tmp_path / "run"})
    _store_with_units(config.out, [0, 1, 2], config)
    root = config.out / SHARDS
    tasks = root / "000001" / "tasks.arrow"
    data = bytearray(tasks.read_bytes())
    data[len(data) // 2] ^= 0xFF
    tasks.write_bytes(bytes(data))  # bit rot
    (root / "000002" / "unit.json").unlink()  # torn
    (root / ".tmp-000003-1").mkdir()  # a write that never committed
    (root / "manifest.json").unlink()
    store = ShardStore(config.out, config.content_fingerprint(), config.model_dump(mode="json"))
    assert sorted(store.completed) == [0]
    assert not (root / "000001").exists() and not (root / "000002").exists() and not (root / ".tmp-000003-1").exists()
    seen = []
    generate(config, resume=True, use_ray=False, on_plan=lambda total, done: seen.append((total, done)))
    assert seen == [(6, 1)]
    assert dataset(config.out) == reference


def test_units_whose_workers_kept_dying_are_kept_for_the_resume(tmp_path, reference, monkeypatch):
    import synth.pipeline.run as run

    def flaky_ray(units, config, make_tasks=None):
        for unit in units:
            yield (
                LostUnit(unit=unit, error="WorkerCrashedError: gone") if unit.index == 2 else process_env(unit, config)
            )

    config = CONFIG.model_copy(update={"out": tmp_path / "run"})
    monkeypatch.setattr(run, "run_on_ray", flaky_ray)
    with pytest.raises(RunIncomplete, match="1 of 6 environments.*--resume"):
        generate(config)
    assert units_on_disk(config.out) == 5 and not (config.out / SHARDS / "000002").exists()
    monkeypatch.undo()
    generate(config, resume=True, use_ray=False)
    assert dataset(config.out) == reference


def test_other_configuration_is_refused_with_a_clear_message_unless_forced(tmp_path, bwrap):
    small = ["--envs", "2", "--tasks-per-env", "1", "--templates", "notes", "--envs-dir", str(FIXTURE_ENVS), "--no-ray"]
    config = RunConfig(
        envs=2, tasks_per_env=1, seed=3, templates=("notes",), envs_dirs=(FIXTURE_ENVS,), out=tmp_path / "run"
    )
    _store_with_units(config.out, [0], config)[0].close()
    refused = cli("generate", *small, "--seed", "4", "--out", str(config.out), "--resume")
    assert refused.returncode == 2
    message = " ".join(refused.stdout.split())
    assert "different configuration" in message and "seed: 3 then, 4 now" in message and "--force" in message
    both = cli("generate", *small, "--seed", "4", "--out", str(config.out), "--resume", "--force")
    assert both.returncode == 2 and "pass one of them" in both.stdout
    forced = cli("generate", *small, "--seed", "4", "--out", str(config.out), "--force")
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert set(load_run(config.out)["tasks"]["run_seed"]) == {4}


def test_resume_needs_a_run_and_is_a_no_op_on_a_finished_one(tmp_path, bwrap):
    config = RunConfig(
        envs=1, tasks_per_env=1, seed=3, templates=("notes",), envs_dirs=(FIXTURE_ENVS,), out=tmp_path / "run"
    )
    with pytest.raises(RunDirError, match="nothing to resume"):
        generate(config, resume=True, use_ray=False)
    first = generate(config, use_ray=False)
    again = generate(config, resume=True, use_ray=False)
    assert again == first and run_state(config.out) == "finished"
    with pytest.raises(RunDirError, match="different configuration"):
        generate(config.model_copy(update={"seed": 4}), resume=True, use_ray=False)
    with pytest.raises(RunDirError, match="--force"):
        generate(config, use_ray=False)


def test_a_changed_plan_is_refused(tmp_path):
    out = tmp_path / "run"
    ShardStore(out, "fp", {}, plan=["env-a", "env-b"])
    with pytest.raises(RunDirError, match="planned other environments"):
        ShardStore(out, "fp", {}, plan=["env-a", "env-c"])


def test_one_driver_per_run_folder(tmp_path):
    out = tmp_path / "run"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from synth.dataset.shards import ShardStore;"
            f"store = ShardStore(Path({str(out)!r}), 'fp', {{}}); print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(RunDirError, match="being written by another synth run"):
            ShardStore(out, "fp", {})
    finally:
        holder.kill()
        holder.wait()
    ShardStore(out, "fp", {})  # the lock dies with its holder
