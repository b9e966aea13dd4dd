"""Scale figures: sandbox start and tool-call round trip (bubblewrap and Docker side by side), generation
throughput with 1 and 2 Ray workers, and what resuming a killed run costs.

Run: python bench/scale.py [--starts 20] [--calls 200] [--envs 8] [--tasks-per-env 3] [--backends bwrap,docker]
                           [--sandbox bwrap] [--only sandboxes,throughput,resume]
(Docker needs a running daemon and the image: `bash scripts/docker.sh && synth sandbox build-image`.)
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

from synth.config import RunConfig
from synth.dataset.shards import SHARDS, ShardStore
from synth.env.registry import select
from synth.env.session import EnvSession
from synth.pipeline.run import generate
from synth.sandbox import SandboxLimits, get_backend

REPO = Path(__file__).resolve().parent.parent


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def ms(values: list[float]) -> str:
    return f"{pct(values, 0.5) * 1000:8.1f} / {pct(values, 0.95) * 1000:<8.1f}"


def sandboxes(backends: list[str], starts: int, calls: int) -> None:
    [travel] = select(["travel"])
    limits = SandboxLimits()
    print(
        f"{'backend':8} {'server start p50/p95 ms':>24} {'env start+build p50/p95 ms':>28} {'tool call p50/p95 ms':>24}"
    )
    for name in backends:
        backend = get_backend(name)
        start, env_start, call = [], [], []
        for _ in range(starts):
            t = time.perf_counter()
            server = backend.start_server("synth.env.service:EnvService", limits)
            start.append(time.perf_counter() - t)
            server.close()
        for i in range(max(5, starts // 3)):
            t = time.perf_counter()
            with EnvSession(backend, travel, seed=i, limits=limits):
                env_start.append(time.perf_counter() - t)
        with EnvSession(backend, travel, seed=1, limits=limits) as env:
            city = env.call_tool("list_cities", "{}").content.split('"name": "')[1].split('"')[0]
            for _ in range(calls):
                t = time.perf_counter()
                env.call_tool("search_hotels", f'{{"city": "{city}", "min_rating": 7}}')
                call.append(time.perf_counter() - t)
        print(f"{name:8} {ms(start):>24} {ms(env_start):>28} {ms(call):>24}")


def throughput(envs: int, tasks_per_env: int, sandbox: str) -> None:
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        for workers in (1, 2):
            with tempfile.TemporaryDirectory() as tmp:
                config = RunConfig(
                    envs=envs, tasks_per_env=tasks_per_env, workers=workers, sandbox=sandbox, out=Path(tmp) / "run"
                )
                t = time.perf_counter()
                summary = generate(config)
                wall = time.perf_counter() - t
            print(
                f"ray workers={workers}: {summary.tasks_accepted} tasks from {envs} envs in {wall:.1f} s = "
                f"{summary.tasks_accepted / wall:.2f} tasks/s, {envs / wall:.2f} envs/s"
            )
    finally:
        ray.shutdown()


def _cli(out: Path, envs: int, tasks_per_env: int, *extra: str) -> list[str]:
    return [
        sys.executable,
        str(REPO / "cli.py"),
        "generate",
        "--envs",
        str(envs),
        "--tasks-per-env",
        str(tasks_per_env),
        "--workers",
        "2",
        "--out",
        str(out),
        *extra,
    ]


def resume_overhead(envs: int, tasks_per_env: int) -> None:
    quiet = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
    with tempfile.TemporaryDirectory() as tmp:
        full_out, cut_out = Path(tmp) / "full", Path(tmp) / "cut"
        t = time.perf_counter()
        subprocess.run(_cli(full_out, envs, tasks_per_env), check=True, **quiet)
        full = time.perf_counter() - t

        t = time.perf_counter()
        driver = subprocess.Popen(_cli(cut_out, envs, tasks_per_env), start_new_session=True, **quiet)
        while sum(p.name.isdigit() for p in (cut_out / SHARDS).glob("*")) < envs // 2 and driver.poll() is None:
            time.sleep(0.05)
        driver.send_signal(signal.SIGKILL)
        driver.wait()
        try:
            os.killpg(driver.pid, signal.SIGKILL)  # what the killed driver had started
        except ProcessLookupError:
            pass
        first = time.perf_counter() - t
        done = sum(p.name.isdigit() for p in (cut_out / SHARDS).glob("*"))
        t = time.perf_counter()
        subprocess.run(_cli(cut_out, envs, tasks_per_env, "--resume"), check=True, **quiet)
        second = time.perf_counter() - t

        config = RunConfig(envs=envs, tasks_per_env=tasks_per_env, out=Path(tmp) / "reopen")
        store = ShardStore(config.out, "bench", {})
        splits = {"environments": [{"env_id": "env-bench"}]}
        for i in range(envs):
            store.write(i, splits)
        store.close()
        t = time.perf_counter()
        ShardStore(config.out, "bench", {}).close()
        reopen = time.perf_counter() - t
    print(
        f"uninterrupted run: {full:.1f} s; killed at {done}/{envs} envs after {first:.1f} s + resumed in "
        f"{second:.1f} s = {first + second:.1f} s (overhead {first + second - full:+.1f} s, mostly a second "
        f"driver and Ray start)"
    )
    print(f"reopening and verifying a run folder of {envs} units: {reopen * 1000:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--starts", type=int, default=20)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--envs", type=int, default=8)
    parser.add_argument("--tasks-per-env", type=int, default=3)
    parser.add_argument("--backends", default="bwrap,docker")
    parser.add_argument("--sandbox", default="bwrap", help="backend for the throughput and resume runs")
    parser.add_argument("--only", default="sandboxes,throughput,resume", help="which figures to measure")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    only = set(args.only.split(","))
    print(f"# {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    if "sandboxes" in only:
        sandboxes(args.backends.split(","), args.starts, args.calls)
    if "throughput" in only:
        throughput(args.envs, args.tasks_per_env, args.sandbox)
    if "resume" in only:
        resume_overhead(args.envs, args.tasks_per_env)


if __name__ == "__main__":
    main()
