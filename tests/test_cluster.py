"""Ray at cluster scale: a real multi-node cluster on this machine loses a worker node mid-run, and the
run still completes with every planned task exactly once. Also the driver's in-flight caps."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from synth.config import RunConfig
from synth.dataset.loader import load_run
from synth.generation import generate
from synth.pipeline.cluster import InFlight, endpoint_caps

REPO = Path(__file__).resolve().parent.parent
RAY_ENV = {"RAY_AUTH_MODE": "disabled", "RAY_USAGE_STATS_ENABLED": "0"}
# Find a dead node in about two seconds instead of the default half minute.
FAST_FAILURE = {
    "health_check_initial_delay_ms": 0,
    "health_check_period_ms": 500,
    "health_check_timeout_ms": 500,
    "health_check_failure_threshold": 4,
}


@pytest.fixture
def ray_cluster(monkeypatch):
    """A head node without CPUs and two worker nodes with one CPU each: separate raylet processes."""
    for key, value in RAY_ENV.items():
        monkeypatch.setenv(key, value)
    from ray import ray_constants
    from ray.cluster_utils import Cluster

    cluster = Cluster(
        initialize_head=True,
        head_node_args=dict(
            num_cpus=0, include_dashboard=False, object_store_memory=100 * 1024**2, _system_config=FAST_FAILURE
        ),
    )
    try:
        workers = [cluster.add_node(num_cpus=1, object_store_memory=80 * 1024**2) for _ in range(2)]
        cluster.wait_for_nodes()
        raylets = [w.all_processes[ray_constants.PROCESS_TYPE_RAYLET][0].process.pid for w in workers]
        yield cluster, workers, raylets
    finally:
        cluster.shutdown()


def _children_running(parent: int, title: str) -> list[int]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent and cmdline.startswith(title.encode()):
            found.append(int(pid))
    return found


def _wait_for(condition, timeout: float, what: str, proc: subprocess.Popen):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if proc.poll() is not None:
            pytest.fail(f"the run ended before {what}:\n{proc.stdout.read()}")
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def test_losing_a_worker_node_mid_run_loses_nothing(ray_cluster, tmp_path, fixture_envs, bwrap):
    cluster, workers, raylets = ray_cluster
    config = RunConfig(
        envs=6, tasks_per_env=2, seed=5, out=tmp_path / "run", templates=("notes",), envs_dirs=(fixture_envs,)
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            str(REPO / "cli.py"),
            "generate",
            "--envs",
            "6",
            "--tasks-per-env",
            "2",
            "--seed",
            "5",
            "--templates",
            "notes",
            "--envs-dir",
            str(fixture_envs),
            "--out",
            str(config.out),
            "--ray-address",
            cluster.address,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=REPO,
        env={**os.environ, **RAY_ENV, "COLUMNS": "200"},
    )
    try:
        # Work is spread: both worker nodes run an environment at the same time; then one node dies.
        _wait_for(
            lambda: all(_children_running(r, "ray::process_env") for r in raylets),
            120,
            "both worker nodes to run an environment",
            proc,
        )
        # The node dies as a machine would: its busy worker processes and its raylet, all at once.
        for pid in _children_running(raylets[0], "ray::"):
            os.kill(pid, signal.SIGKILL)
        cluster.remove_node(workers[0], allow_graceful=False)
        out, _ = proc.communicate(timeout=400)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, out
    reference = generate(config.model_copy(update={"out": tmp_path / "reference"}), use_ray=False)
    dd = load_run(config.out)
    ids = dd["tasks"]["task_id"]
    assert len(ids) == len(set(ids)) == reference.tasks_accepted == 12
    assert sorted(ids) == sorted(load_run(tmp_path / "reference")["tasks"]["task_id"])
    assert sorted(dd["environments"]["env_id"]) == sorted(load_run(tmp_path / "reference")["environments"]["env_id"])
    assert set(dd["environments"]["status"]) == {"ok"}


def test_endpoint_caps_admit_as_many_environments_as_the_endpoint_has_slots():
    from synth.model.endpoint import ModelConfig

    assert endpoint_caps(RunConfig()) == {}
    proposer = ModelConfig(model="m", provider="vllm", base_url="http://a/v1", concurrency=8)
    solver = ModelConfig(model="s", provider="vllm", base_url="http://b/v1", concurrency=3)
    # the slots are shared by all workers (tests/test_endpoint_slots.py): an environment more would only wait
    run = RunConfig(workers=4, proposer="llm", model=proposer, solver=solver, rollouts=2)
    assert endpoint_caps(run) == {"http://a/v1": 8, "http://b/v1": 3}
    assert endpoint_caps(run.model_copy(update={"rollouts": 0})) == {"http://a/v1": 8}
    assert endpoint_caps(run.model_copy(update={"proposer": "procedural", "solver": None})) == {"http://a/v1": 8}


def test_in_flight_respects_the_worker_limit_and_every_endpoint_cap():
    flight = InFlight({"http://a/v1": 2, "http://b/v1": 5})
    taken = 0
    while flight.has_room(limit=10):
        flight.take()
        taken += 1
    assert taken == 2
    flight.give()
    assert flight.has_room(limit=10) and not flight.has_room(limit=1)
    assert InFlight({}).has_room(limit=1)
