"""Sandbox figures: server start latency p50/p95 and tool-call round trip, per backend.

Run: python bench/sandbox.py [--starts 30] [--calls 300] [--backends bwrap,none]
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings

from synth.env.registry import select
from synth.env.session import EnvSession
from synth.sandbox import SandboxLimits, get_backend


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--starts", type=int, default=30)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--backends", default="bwrap,none")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    [travel] = select(["travel"])
    limits = SandboxLimits()
    print(
        f"{'backend':8} {'server start p50/p95 ms':>24} {'env start+build p50/p95 ms':>28} {'tool call p50/p95 ms':>22}"
    )
    for name in args.backends.split(","):
        backend = get_backend(name)
        starts, env_starts, calls = [], [], []
        for _ in range(args.starts):
            t = time.perf_counter()
            server = backend.start_server("synth.env.service:EnvService", limits)
            starts.append(time.perf_counter() - t)
            server.close()
        for i in range(max(5, args.starts // 3)):
            t = time.perf_counter()
            env = EnvSession(backend, travel, seed=i, limits=limits)
            env_starts.append(time.perf_counter() - t)
            env.close()
        with EnvSession(backend, travel, seed=1, limits=limits) as env:
            city = env.call_tool("list_cities", "{}").content.split('"name": "')[1].split('"')[0]
            for _ in range(args.calls):
                t = time.perf_counter()
                env.call_tool("search_hotels", f'{{"city": "{city}", "min_rating": 7}}')
                calls.append(time.perf_counter() - t)
        ms = lambda xs, q: pct(xs, q) * 1000  # noqa: E731
        print(
            f"{name:8} {ms(starts, 0.5):>11.1f} / {ms(starts, 0.95):<10.1f} {ms(env_starts, 0.5):>13.1f} / "
            f"{ms(env_starts, 0.95):<12.1f} {ms(calls, 0.5):>9.2f} / {ms(calls, 0.95):<8.2f}"
        )
    print(f"(starts={args.starts}, calls={args.calls}, mean tool call {statistics.mean(calls) * 1000:.2f} ms)")


if __name__ == "__main__":
    main()
