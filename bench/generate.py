"""Generation throughput: `synth generate` end to end on this machine (Ray, bubblewrap, every template).

Prints wall time, tasks/s and the peak memory of the whole process tree (driver, Ray, workers, sandboxes), and
where the workers' time went, stage by stage (the gate's stages are timed inside the sandbox).
Run: python bench/generate.py [--envs 1800] [--workers 2] [--tasks-per-env 48] [--templates a,b]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from pathlib import Path

from synth.config import RunConfig
from synth.pipeline.run import generate


def tree_rss_mb() -> float:
    """Resident memory of this process and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(pid))
            rss[int(pid)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [os.getpid()]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--envs", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--tasks-per-env", type=int, default=48)
    parser.add_argument("--templates", default=None)
    parser.add_argument("--no-ray", action="store_true")
    args = parser.parse_args()
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.5):
            peak[0] = max(peak[0], tree_rss_mb())

    threading.Thread(target=sample, daemon=True).start()
    with tempfile.TemporaryDirectory() as tmp:
        templates = tuple(args.templates.split(",")) if args.templates else None
        config = RunConfig(
            envs=args.envs,
            tasks_per_env=args.tasks_per_env,
            workers=args.workers,
            templates=templates,
            out=Path(tmp) / "bench",
        )
        stages: dict[str, float] = {}

        def on_result(result) -> None:
            for stage, seconds in result.seconds.items():
                stages[stage] = stages.get(stage, 0.0) + seconds

        start = time.perf_counter()
        summary = generate(config, use_ray=not args.no_ray, on_result=on_result)
        wall = time.perf_counter() - start
    done.set()
    print(f"envs={args.envs} workers={args.workers} tasks_per_env={args.tasks_per_env} ray={not args.no_ray}")
    print(
        f"environments ok={summary.envs_ok} failed={summary.envs_failed}; tasks accepted={summary.tasks_accepted} "
        f"rejected={summary.tasks_rejected} {summary.rejections}"
    )
    print(
        f"wall={wall:.1f}s tasks/s={summary.tasks_accepted / wall:.1f} envs/s={args.envs / wall:.2f} "
        f"peak_tree_rss_mb={peak[0]:.0f}"
    )
    total = sum(stages.values())
    print(
        f"\nworker time by stage ({total:.1f} s over all workers; {1000 * total / max(1, summary.tasks_accepted):.1f} "
        f"ms per accepted task)"
    )
    for stage, seconds in sorted(stages.items(), key=lambda kv: -kv[1]):
        print(f"  {stage:<40} {seconds:8.1f} s  {100 * seconds / max(total, 1e-9):5.1f}%")


if __name__ == "__main__":
    main()
