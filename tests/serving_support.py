"""Shared by the serving tests: small runs, a served run (the real `synth envs serve` on a free loopback port),
client venvs for protocol clients, and episode plans made from stored reference trajectories."""

from __future__ import annotations

import atexit
import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from functools import cache
from pathlib import Path
from typing import Any, Self

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURE_ENVS = REPO / "tests" / "fixtures" / "envs"
CLIENTS = REPO / "tests" / "serving_clients"
VENVS = Path(os.environ.get("SYNTH_TEST_VENVS", "/tmp/synth-venvs"))
# Each protocol's own client, in a venv of its own (their dependencies are not synth's).
CLIENT_REQUIREMENTS = {"openenv": ["openenv-core==0.3.0"], "verifiers": ["verifiers==0.4.0"]}
PIP_TIMEOUT_S = 1200

_scratch = Path(tempfile.mkdtemp(prefix="synth-serving-tests-"))
atexit.register(shutil.rmtree, _scratch, ignore_errors=True)


# -- runs ---------------------------------------------------------------------------------------------------------


@cache
def small_run(answer_mode: str) -> Path:
    """2 notes environments x 6 tasks, as tests/test_rewards.py makes them; made once per test session."""
    from synth.config import RunConfig
    from synth.pipeline.run import generate

    out = _scratch / f"notes-{answer_mode}"
    config = RunConfig(
        envs=2,
        tasks_per_env=6,
        seed=5,
        out=out,
        templates=("notes",),
        envs_dirs=(FIXTURE_ENVS,),
        answer_mode=answer_mode,
    )
    assert generate(config, use_ray=False).tasks_accepted == 12
    return out


def stored(run: Path) -> tuple[list[dict], dict[str, dict]]:
    """(task rows, the reference trajectory of each task)."""
    from synth.dataset.loader import load_run

    dd = load_run(run)
    return list(dd["tasks"]), {t["task_id"]: t for t in dd["trajectories"]}


# -- plans: what a scripted agent does in an episode ------------------------------------------------------------------


def reference_plan(row: dict, trajectory: dict) -> dict[str, Any]:
    """The reference trajectory's tool calls (name, arguments) and final message."""
    messages = trajectory["messages"]
    calls = [
        [c["function"]["name"], json.loads(c["function"]["arguments"] or "{}")]
        for m in messages
        if m["role"] == "assistant"
        for c in m["tool_calls"] or []
    ]
    final = next((m["content"] for m in reversed(messages) if m["role"] == "assistant" and not m["tool_calls"]), None)
    return {
        "task_id": row["task_id"],
        "calls": calls,
        "final": final,
        "tool_results": [m["content"] for m in messages if m["role"] == "tool"],
    }


def wrong_plan(row: dict, trajectory: dict) -> dict[str, Any]:
    """The reference made wrong: a count off by one (in the final message and any submit_answer), or for a task
    judged on its writes, the last write skipped."""
    plan = reference_plan(row, trajectory)
    answer = json.loads(row["verifier_params"]).get("answer") or {}
    if answer.get("kind") == "integer":
        wrong = answer["value"] + 1
        plan["calls"] = [[n, {"answer": wrong}] if n == "submit_answer" else [n, a] for n, a in plan["calls"]]
        plan["final"] = f"There are {wrong} of them."
    else:
        last = max(i for i, (name, _) in enumerate(plan["calls"]) if name == "set_tag")
        plan["calls"] = plan["calls"][:last] + plan["calls"][last + 1 :]
    plan["tool_results"] = None
    return plan


def group_plans(rows: list[dict], trajectories: dict[str, dict], n: int = 16) -> tuple[dict, list[dict]]:
    """A GRPO group on one write task: n sessions, the even ones right (every write), the odd ones wrong (the last
    write skipped)."""
    row = next(
        r
        for r in rows
        if r["shape"] == "retag" and sum(1 for m in trajectories[r["task_id"]]["messages"] if m["role"] == "tool") >= 3
    )
    right, wrong = reference_plan(row, trajectories[row["task_id"]]), wrong_plan(row, trajectories[row["task_id"]])
    return row, [right if i % 2 == 0 else wrong for i in range(n)]


# -- the served run -----------------------------------------------------------------------------------------------


def tree(pid: int) -> list[int]:
    """The pids of a process and all its descendants."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            continue
        out.append(current)
    return out


class Served:
    """`synth envs serve RUN` in a process of its own, on a free loopback port."""

    def __init__(self, run: Path, *args: str, env: dict[str, str] | None = None, startup_s: float = 120):
        self.proc = subprocess.Popen(
            [sys.executable, str(REPO / "cli.py"), "envs", "serve", str(run), "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, **(env or {})},
            cwd=REPO,
            start_new_session=True,
        )
        self.lines: list[str] = []
        deadline = time.monotonic() + startup_s
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line and self.proc.poll() is not None:
                break
            self.lines.append(line)
            match = re.search(r"serving .* on (http://\S+)", line)
            if match:
                self.url = match.group(1)
                threading.Thread(target=lambda: self.lines.extend(self.proc.stdout), daemon=True).start()
                return
        self.stop()
        raise RuntimeError(f"the server did not start:\n{''.join(self.lines)}")

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://", 1) + "/ws"

    def get(self, path: str, **kwargs: Any) -> Any:
        import requests

        response = requests.get(self.url + path, timeout=30, **kwargs)
        response.raise_for_status()
        return response.json()

    def sessions(self) -> int:
        return self.get("/stats")["sessions"]

    def wait_sessions(self, n: int, timeout_s: float = 30) -> int:
        deadline = time.monotonic() + timeout_s
        while (current := self.sessions()) != n and time.monotonic() < deadline:
            time.sleep(0.1)
        return current

    def processes(self) -> list[int]:
        return tree(self.proc.pid)

    def stop(self) -> int:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        return self.proc.returncode

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# -- client venvs -------------------------------------------------------------------------------------------------

_builds: dict[str, threading.Thread] = {}
_failures: dict[str, str] = {}


def _venv(name: str) -> Path:
    return VENVS / f"serving-{name}-{sys.version_info[0]}{sys.version_info[1]}"


def _build(name: str) -> None:
    target = _venv(name)
    ready = target / ".ready"
    VENVS.mkdir(parents=True, exist_ok=True)
    with open(VENVS / f".serving-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one builder at a time; the others find it ready
        if ready.exists() and ready.read_text().split() == CLIENT_REQUIREMENTS[name]:
            return
        shutil.rmtree(target, ignore_errors=True)  # a build cut short, or of other versions
        try:
            subprocess.run([sys.executable, "-m", "venv", str(target)], check=True, capture_output=True, text=True)
            subprocess.run(
                [
                    str(target / "bin" / "python"),
                    "-m",
                    "pip",
                    "install",
                    "-q",
                    "--disable-pip-version-check",
                    *CLIENT_REQUIREMENTS[name],
                ],
                check=True,
                capture_output=True,
                text=True,
                timeout=PIP_TIMEOUT_S,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            shutil.rmtree(target, ignore_errors=True)
            _failures[name] = (getattr(exc, "stderr", None) or str(exc))[-2000:]
            return
        ready.write_text(" ".join(CLIENT_REQUIREMENTS[name]) + "\n")


def client_python(name: str) -> Path:
    """The python of the venv holding protocol client `name`. The first call starts building every client venv
    not yet built (in parallel, in the background); a venv is built once per machine and reused. Failing to build
    fails under CI and skips elsewhere."""
    for other in CLIENT_REQUIREMENTS:
        if other not in _builds:
            _builds[other] = threading.Thread(target=_build, args=(other,), daemon=True)
            _builds[other].start()
    _builds[name].join()
    if name in _failures:
        message = f"could not build the {name} client venv ({' '.join(CLIENT_REQUIREMENTS[name])}):\n{_failures[name]}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return _venv(name) / "bin" / "python"


def run_client(name: str, script: str, *args: str, timeout: float = 600) -> dict[str, Any]:
    """Run tests/serving_clients/SCRIPT in the client venv `name`; its last stdout line is JSON."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    proc = subprocess.run(
        [str(client_python(name)), str(CLIENTS / script), *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=_scratch,
        env=env,
    )
    assert proc.returncode == 0, f"{script} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}"
    return json.loads(proc.stdout.strip().splitlines()[-1])


def write_plan(plan: dict[str, Any]) -> str:
    path = Path(tempfile.mkstemp(dir=_scratch, suffix=".json")[1])
    path.write_text(json.dumps(plan))
    return str(path)
