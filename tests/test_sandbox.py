"""The sandbox contract, and escape attempts that must stay harmless even if isolation failed.

Every test here runs on each isolating backend (bubblewrap and Docker).
"""

import json
import os
import socket
import textwrap
import threading
from pathlib import Path

import pytest

from synth.sandbox import SandboxError, SandboxLimits
from synth.sandbox.backend import PROJECT_ROOT

FAST = SandboxLimits(wall_timeout_s=20, cpu_s=20, memory_mb=512, max_procs=32, max_output_bytes=200_000)


def run(backend, tmp_path: Path, code: str, limits: SandboxLimits = FAST):
    path = tmp_path / "probe.py"
    path.write_text(textwrap.dedent(code))
    return backend.run_file(path, limits)


def test_result_contract_fields(backend, tmp_path):
    r = run(backend, tmp_path, "import sys; print('out'); print('err', file=sys.stderr); sys.exit(3)")
    assert (r.exit_code, r.stdout, r.stderr, r.timed_out, r.killed_reason) == (3, "out\n", "err\n", False, None)
    assert 0 < r.duration_s < 20


def test_cli_prints_one_json_object(synth_cli, tmp_path, backend):
    path = tmp_path / "hello.py"
    path.write_text("print(6 * 7)")
    proc = synth_cli(
        "sandbox", "run", str(path), "--sandbox", backend.name, "--wall-timeout", "10", "--memory-mb", "256"
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert set(result) == {"exit_code", "stdout", "stderr", "timed_out", "killed_reason", "duration_s"}
    assert result["stdout"] == "42\n" and result["exit_code"] == 0


def test_no_network_even_to_host_loopback(backend, tmp_path):
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    accepted = []
    threading.Thread(target=lambda: accepted.append(server.accept()), daemon=True).start()
    r = run(
        backend,
        tmp_path,
        f"""
        import socket
        try:
            socket.create_connection(("127.0.0.1", {port}), timeout=2)
            print("CONNECTED")
        except OSError as e:
            print("blocked", e)
        print(open("/proc/net/dev").read())
    """,
    )
    server.close()
    assert "blocked" in r.stdout and "CONNECTED" not in r.stdout
    interfaces = [line.split(":")[0].strip() for line in r.stdout.splitlines() if ":" in line and "|" not in line]
    assert [i for i in interfaces if i not in ("lo",) and not i.startswith("blocked")] == []
    assert not accepted


def test_cannot_read_outside(backend, tmp_path):
    secret = tmp_path / "host-secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    r = run(
        backend,
        tmp_path,
        f"""
        for path in [{str(secret)!r}, "/etc/shadow", "/root/.bash_history", {str(PROJECT_ROOT / "pyproject.toml")!r}]:
            try:
                print(path, open(path).read()[:50])
            except OSError as e:
                print(path, "denied", type(e).__name__)
    """,
    )
    assert "TOP-SECRET-VALUE" not in r.stdout
    assert r.stdout.count("denied") == 4, r.stdout


def test_cannot_write_outside(backend, tmp_path):
    targets = [tmp_path / "pwned", PROJECT_ROOT / "synth" / "pwned", Path("/usr/pwned")]
    r = run(
        backend,
        tmp_path,
        f"""
        for path in {[str(t) for t in targets]!r}:
            try:
                open(path, "w").write("x")
                print("WROTE", path)
            except OSError as e:
                print("denied", type(e).__name__)
        open("/tmp/scratch", "w").write("private scratch works")
        print(open("/tmp/scratch").read())
    """,
    )
    assert "WROTE" not in r.stdout and "private scratch works" in r.stdout
    assert not any(t.exists() for t in targets)


def test_runaway_memory_is_capped(backend, tmp_path):
    r = run(
        backend,
        tmp_path,
        """
        blocks = []
        for _ in range(64):
            blocks.append(bytearray(64 * 1024 * 1024))
        print("ALLOCATED", len(blocks) * 64, "MB")
    """,
    )
    assert "ALLOCATED" not in r.stdout
    assert r.exit_code != 0 and r.killed_reason == "memory_limit"


def test_fork_storm_is_capped(backend, tmp_path):
    r = run(
        backend,
        tmp_path,
        """
        import os, time
        children = []
        for i in range(300):  # bounded: never more than 300 attempts
            try:
                pid = os.fork()
            except OSError:
                break
            if pid == 0:
                time.sleep(3)
                os._exit(0)
            children.append(pid)
        print("FORKED", len(children))
        for pid in children:
            os.waitpid(pid, 0)
    """,
    )
    forked = int(r.stdout.split("FORKED")[1].split()[0])
    assert forked < FAST.max_procs, r.stdout


def test_infinite_loop_hits_wall_clock(backend, tmp_path):
    r = run(backend, tmp_path, "while True:\n    pass\n", SandboxLimits(wall_timeout_s=1.5, cpu_s=60, memory_mb=256))
    assert r.timed_out and r.killed_reason == "timeout" and r.exit_code is None
    assert r.duration_s < 10


def test_cpu_limit_kills_busy_loop(backend, tmp_path):
    r = run(backend, tmp_path, "while True:\n    pass\n", SandboxLimits(wall_timeout_s=30, cpu_s=1, memory_mb=256))
    assert not r.timed_out and r.killed_reason == "cpu_limit" and r.exit_code is None


def test_huge_output_is_cut(backend, tmp_path):
    r = run(
        backend,
        tmp_path,
        """
        import sys
        chunk = "x" * 65536
        for _ in range(2000):  # 128 MB if nothing stopped it
            sys.stdout.write(chunk)
    """,
    )
    assert r.killed_reason == "output_limit"
    assert len(r.stdout) <= FAST.max_output_bytes


def test_caller_environment_is_invisible(backend, tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-very-secret")
    monkeypatch.setenv("DEEPSEEK_API_KEY", "ds-test-very-secret")
    r = run(
        backend,
        tmp_path,
        """
        import os
        print(dict(os.environ))
        for pid in os.listdir("/proc"):
            if pid.isdigit():
                try:
                    print(open(f"/proc/{pid}/environ", "rb").read())
                except OSError:
                    pass
        print("uid", os.getuid())
    """,
    )
    assert "very-secret" not in r.stdout and "very-secret" not in r.stderr
    if os.geteuid() == 0:
        assert "uid 0" not in r.stdout


def test_server_call_timeout_kills_the_sandbox(backend, fixture_envs):
    from synth.env.registry import select
    from synth.env.session import EnvSession
    from synth.task import Program

    [notes] = select(["notes"], [fixture_envs])
    env = EnvSession(backend, notes, 1, SandboxLimits(wall_timeout_s=2, cpu_s=30))
    runaway = Program(source="def f(db):\n    while True:\n        pass\n", entry="f")  # model-written code
    with pytest.raises(SandboxError) as info:
        env.evaluate(runaway)
    assert info.value.reason == "timeout" and "CPU-s" in str(info.value)
    assert not env.server.alive


def test_none_backend_warns(tmp_path):
    from synth.sandbox import get_backend

    with pytest.warns(UserWarning, match="trusted development"):
        backend = get_backend("none")
    path = tmp_path / "p.py"
    path.write_text("print('ok')")
    assert backend.run_file(path, FAST).stdout == "ok\n"


def test_unknown_backend_is_a_clear_error():
    from synth.sandbox import get_backend

    with pytest.raises(ValueError, match="choose one of"):
        get_backend("vm")
