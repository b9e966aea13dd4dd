"""Generation throughput: `synth generate --envs N` end to end on this machine (Ray, bwrap).

Run: python bench/generate.py [--envs 60] [--workers 2] [--tasks-per-env 6]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from synth.config import RunConfig
from synth.pipeline.run import generate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--envs", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--tasks-per-env", type=int, default=6)
    parser.add_argument("--no-ray", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        config = RunConfig(envs=args.envs, tasks_per_env=args.tasks_per_env, workers=args.workers,
                           out=Path(tmp) / "bench")
        start = time.perf_counter()
        summary = generate(config, use_ray=not args.no_ray)
        wall = time.perf_counter() - start
    peak_mb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    print(f"envs={args.envs} workers={args.workers} ray={not args.no_ray}")
    print(f"tasks accepted={summary.tasks_accepted} rejected={summary.tasks_rejected} "
          f"trajectories={summary.trajectories}")
    print(f"wall={wall:.1f}s tasks/s={summary.tasks_accepted / wall:.2f} envs/s={args.envs / wall:.2f} "
          f"peak_rss_mb={peak_mb:.0f}")


if __name__ == "__main__":
    main()
