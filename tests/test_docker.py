"""The Docker backend beyond the shared sandbox contract (tests/test_sandbox.py runs that on Docker too):
container confinement, removal in every case including crashes, the offline image, and data that is the
same whatever the backend."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from synth.config import RunConfig
from synth.dataset.loader import load_run
from synth.env.registry import select
from synth.env.session import EnvSession
from synth.pipeline.run import generate
from synth.sandbox import SandboxError, SandboxLimits
from synth.sandbox.containers import LABEL, OWNER_LABEL, connect, owner, remove, remove_stale, sandbox_containers
from synth.sandbox.image import inspect_image
from synth.task import Program

REPO = Path(__file__).resolve().parent.parent
FIXTURE_ENVS = REPO / "tests" / "fixtures" / "envs"
FAST = SandboxLimits(wall_timeout_s=20, cpu_s=20, memory_mb=512, max_procs=32, max_output_bytes=200_000)
SERVICE = "synth.env.service:EnvService"


def ours() -> list[dict]:
    return [c for c in sandbox_containers(connect()) if c["Labels"].get(OWNER_LABEL) == owner()]


def test_container_is_confined(docker_backend):
    server = docker_backend.start_server(SERVICE, FAST)
    try:
        [container] = ours()
        info = connect().api.inspect_container(container["Id"])
    finally:
        server.close()
    host, config = info["HostConfig"], info["Config"]
    assert host["NetworkMode"] == "none" and host["ReadonlyRootfs"] and host["CapDrop"] == ["ALL"]
    assert "no-new-privileges" in host["SecurityOpt"] and host["Init"]
    assert host["PidsLimit"] == FAST.max_procs + 4 and host["NanoCpus"] == 1_000_000_000
    assert host["Memory"] == host["MemorySwap"] == (FAST.memory_mb + FAST.scratch_mb + 64) * 1024 * 1024
    assert host["LogConfig"]["Type"] == "none"
    assert "size=256m" in host["Tmpfs"]["/tmp"] and "mode=1777" in host["Tmpfs"]["/tmp"]
    assert all(b.endswith(":ro") for b in host["Binds"])
    uid = int(config["User"].split(":")[0])
    assert uid >= 200_000
    assert not [e for e in config["Env"] if "KEY" in e or "TOKEN" in e]


def test_containers_are_removed_after_runs_calls_and_timeouts(docker_backend, tmp_path):
    path = tmp_path / "p.py"
    path.write_text("print('hi')")
    assert docker_backend.run_file(path, FAST).stdout == "hi\n"
    path.write_text("while True:\n    pass\n")
    assert docker_backend.run_file(path, SandboxLimits(wall_timeout_s=1, cpu_s=30)).timed_out
    with docker_backend.start_server(SERVICE, FAST) as server:
        assert len(ours()) == 1 and server.alive
    [notes] = select(["notes"], [FIXTURE_ENVS])
    hung = EnvSession(docker_backend, notes, 1, SandboxLimits(wall_timeout_s=1, cpu_s=30))
    with pytest.raises(SandboxError) as info:
        hung.evaluate(Program(source="def f(db):\n    while True:\n        pass\n", entry="f"))
    assert info.value.reason == "timeout"
    assert ours() == []


def test_memory_cgroup_kill_is_reported_as_memory_limit(docker_backend, tmp_path):
    # Each child stays under the per-process address-space cap; together they exceed the container's memory.
    path = tmp_path / "hog.py"
    path.write_text(
        textwrap.dedent("""
        import os
        children = []
        for _ in range(3):  # bounded: three children
            pid = os.fork()
            if pid == 0:
                block = bytearray(200 * 1024 * 1024)
                for i in range(0, len(block), 4096):
                    block[i] = 1
                os._exit(0)
            children.append(pid)
        print([os.waitpid(pid, 0)[1] for pid in children])
    """)
    )
    r = docker_backend.run_file(path, SandboxLimits(wall_timeout_s=30, memory_mb=256, scratch_mb=16))
    assert r.killed_reason == "memory_limit" and r.exit_code is None, r


def test_a_killed_owner_leaves_no_container_behind(docker_backend):
    script = (
        f"from synth.sandbox import get_backend, SandboxLimits\n"
        f"s = get_backend('docker').start_server({SERVICE!r}, SandboxLimits())\n"
        f"print('up', flush=True)\n"
        f"import time; time.sleep(120)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert child.stdout.readline().strip() == "up"
        prefix = f"{os.uname().nodename}/{child.pid}/"
        left = [c["Id"] for c in sandbox_containers(connect()) if c["Labels"][OWNER_LABEL].startswith(prefix)]
        assert len(left) == 1
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    deadline = time.monotonic() + 30
    while any(c["Id"] in left for c in sandbox_containers(connect())):
        assert time.monotonic() < deadline, "the killed process's sandbox container is still there"
        remove_stale(connect())
        time.sleep(0.2)


def test_stale_sweep_removes_only_containers_of_dead_owners(docker_backend):
    client = connect()
    dead_pid = subprocess.Popen(["true"])  # a pid that no longer exists
    dead_pid.wait()
    made = {}
    for who, label in (
        ("dead", f"{os.uname().nodename}/{dead_pid.pid}/1"),
        ("alive", owner()),
        ("other host", f"elsewhere/{os.getpid()}/1"),
    ):
        made[who] = client.api.create_container(
            docker_backend.image.name, command=["true"], labels={LABEL: "1", OWNER_LABEL: label}
        )["Id"]
    try:
        removed = remove_stale(client)
        assert made["dead"] in removed and made["alive"] not in removed and made["other host"] not in removed
    finally:
        for cid in made.values():
            remove(client, cid)


def test_build_image_command_builds_offline(synth_cli, tmp_path):
    name = f"synth-sandbox:test-{uuid.uuid4().hex[:8]}"
    client = connect()
    try:
        proc = synth_cli("sandbox", "build-image", "--image", name)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        info = inspect_image(client, name)
        assert info.python and info.fingerprint
        history = client.api.history(name)
        assert len(history) == 1  # one imported layer, nothing pulled from a registry
        size_mb = client.api.inspect_image(name)["Size"] / 1e6
        assert size_mb < 200, size_mb
        from synth.sandbox.docker import DockerBackend

        path = tmp_path / "v.py"
        path.write_text("import sys, sqlite3, pydantic, jinja2; print(sys.version_info[:2])")
        r = DockerBackend(image=name).run_file(path, FAST)
        assert r.exit_code == 0 and r.stdout.strip() == str(sys.version_info[:2]), r
    finally:
        client.api.remove_image(name, force=True)


def test_missing_image_says_how_to_build_it(docker_backend):
    from synth.sandbox.containers import DockerUnavailable
    from synth.sandbox.docker import DockerBackend

    with pytest.raises(DockerUnavailable, match="synth sandbox build-image"):
        DockerBackend(image="synth-sandbox:no-such-tag")


def test_same_seed_same_data_on_docker_and_bubblewrap(tmp_path, bwrap, docker_backend):
    config = RunConfig(envs=2, tasks_per_env=2, seed=8, templates=("notes",), envs_dirs=(FIXTURE_ENVS,))
    on_bwrap = generate(config.model_copy(update={"out": tmp_path / "bwrap"}), use_ray=False)
    on_docker = generate(config.model_copy(update={"out": tmp_path / "docker", "sandbox": "docker"}), use_ray=False)
    assert on_docker.tasks_accepted == on_bwrap.tasks_accepted == 4
    for split, key in (("tasks", "task_id"), ("environments", "db_hash")):
        assert load_run(tmp_path / "docker")[split][key] == load_run(tmp_path / "bwrap")[split][key]


def test_generate_cli_runs_on_docker(synth_cli, tmp_path, docker_backend):
    out = tmp_path / "run"
    proc = synth_cli(
        "generate",
        "--envs",
        "1",
        "--tasks-per-env",
        "1",
        "--templates",
        "notes",
        "--envs-dir",
        str(FIXTURE_ENVS),
        "--sandbox",
        "docker",
        "--no-ray",
        "--out",
        str(out),
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads((out / "summary.json").read_text())["tasks_accepted"] == 1
