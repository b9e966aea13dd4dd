"""Model-call throughput of the rollout path against the scripted OpenAI-compatible server (tests/),
which answers every call after an injected latency. It is a protocol test double, not a model: the
figures measure synth's own machinery (context rule, openai client, HTTP, retries wrapper, accounting),
not model speed.

For each concurrency C, C threads each run rollouts of 3 model calls (two tool rounds, then an answer)
through ModelAgent and run_rollout; tool calls are answered in-process (no sandbox) so only the
model-call path is measured. The server runs in a separate process.

Run: python bench/model_calls.py [--latency 0.25] [--rollouts-per-thread 4] [--levels 1,16,64,256]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from scripted_server import Reply, ScriptedServer, call  # noqa: E402

from synth.agent.model_agent import ModelAgent  # noqa: E402
from synth.agent.rollout import run_rollout  # noqa: E402
from synth.env.session import ToolResult  # noqa: E402
from synth.model.client import ChatClient  # noqa: E402
from synth.model.endpoint import ModelConfig  # noqa: E402
from synth.task import Program, TaskSpec  # noqa: E402

CALLS_PER_ROLLOUT = 3
TOOL = {
    "type": "function",
    "function": {
        "name": "lookup",
        "description": "Look a value up.",
        "parameters": {"type": "object", "properties": {"key": {"type": "string"}}, "required": ["key"]},
    },
}


def tool_user(body: dict, n: int) -> Reply:
    rounds = sum(m["role"] == "tool" for m in body["messages"])
    if rounds < CALLS_PER_ROLLOUT - 1:
        return Reply(reasoning="look it up", tool_calls=[call("lookup", {"key": f"k{rounds}"}, id=f"c{rounds}")])
    return Reply(reasoning="done", content="42")


def serve(latency: float, urls: mp.Queue) -> None:
    server = ScriptedServer(handler=tool_user, latency_s=latency).start()
    urls.put(server.url)
    while True:
        time.sleep(3600)


class InstantEnv:
    def reset(self, tools=None, extra_tools=None) -> None:
        pass

    def call_tool(self, name, arguments) -> ToolResult:
        return ToolResult(ok=True, content=json.dumps({"value": 1}))


TASK = TaskSpec.create(
    env_id="bench",
    template="bench",
    template_version="0",
    category="bench",
    agent_category="general",
    difficulty=1,
    shape="lookup",
    instruction="What is k?",
    system_prompt="You look things up.",
    tools=[TOOL],
    solution=Program(source="def s(tools, params):\n    return 42\n", entry="s"),
    verifier=Program(source="def v(outcome, params):\n    return True\n", entry="v"),
    env_seed=0,
)


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of another process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def level(url: str, server_pid: int, concurrency: int, rollouts_per_thread: int) -> dict:
    client = ChatClient(
        ModelConfig(model="bench", provider="vllm", base_url=url, concurrency=concurrency, timeout_s=120, thinking=True)
    )

    def worker(_: int):
        env = InstantEnv()
        return [run_rollout(env, TASK, ModelAgent(client)) for _ in range(rollouts_per_thread)]

    with ThreadPoolExecutor(concurrency) as pool:  # warm-up: one call per connection
        list(pool.map(lambda _: client.complete([{"role": "user", "content": "hi"}]), range(concurrency)))
    before = client.meter.total
    cpu, server_cpu, start = time.process_time(), cpu_s(server_pid), time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        rollouts = [r for batch in pool.map(worker, range(concurrency)) for r in batch]
    wall, cpu, server_cpu = time.perf_counter() - start, time.process_time() - cpu, cpu_s(server_pid) - server_cpu
    after = client.meter.total
    calls = after.calls - before.calls
    assert all(r.answer == "42" for r in rollouts) and after.retries == before.retries
    return {
        "concurrency": concurrency,
        "calls": calls,
        "wall_s": wall,
        "calls_per_s": calls / wall,
        "mean_call_s": (after.latency_s - before.latency_s) / calls,
        "cpu_ms_per_call": 1000 * cpu / calls,
        "server_cpu_ms_per_call": 1000 * server_cpu / calls,
    }


def split_level(url: str, server_pid: int, concurrency: int, processes: int, rollouts_per_thread: int) -> dict:
    """The same concurrency spread over worker processes (as Ray workers do): one client per process."""
    ctx = mp.get_context("fork")
    out = ctx.Queue()
    workers = [
        ctx.Process(target=lambda: out.put(level(url, server_pid, concurrency // processes, rollouts_per_thread)))
        for _ in range(processes)
    ]
    server_cpu = cpu_s(server_pid)
    for w in workers:
        w.start()
    parts = [out.get(timeout=600) for _ in workers]
    for w in workers:
        w.join()
    server_cpu = cpu_s(server_pid) - server_cpu  # warm-up calls included: an upper bound
    calls, wall = sum(r["calls"] for r in parts), max(r["wall_s"] for r in parts)
    return {
        "concurrency": concurrency,
        "calls": calls,
        "wall_s": wall,
        "calls_per_s": calls / wall,
        "mean_call_s": sum(r["mean_call_s"] * r["calls"] for r in parts) / calls,
        "cpu_ms_per_call": sum(r["cpu_ms_per_call"] * r["calls"] for r in parts) / calls,
        "server_cpu_ms_per_call": 1000 * server_cpu / calls,
        "processes": processes,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=0.25, help="injected seconds per model call")
    parser.add_argument("--rollouts-per-thread", type=int, default=4)
    parser.add_argument("--levels", default="1,16,64,256")
    parser.add_argument(
        "--processes", type=int, default=4, help="also run the highest level split over this many processes (0: don't)"
    )
    args = parser.parse_args()
    ctx = mp.get_context("fork")
    results = []
    for latency in (0.0, args.latency):
        urls = ctx.Queue()
        server = ctx.Process(target=serve, args=(latency, urls), daemon=True)
        server.start()
        try:
            url = urls.get(timeout=30)
            levels = [1] if latency == 0.0 else [int(x) for x in args.levels.split(",")]
            results += [(latency, level(url, server.pid, c, args.rollouts_per_thread)) for c in levels]
            if latency and args.processes > 1:
                results.append(
                    (latency, split_level(url, server.pid, levels[-1], args.processes, args.rollouts_per_thread))
                )
        finally:
            server.kill()
    print(
        f"model calls through ModelAgent + run_rollout against the scripted server "
        f"({CALLS_PER_ROLLOUT} calls per rollout, {args.rollouts_per_thread} rollouts per thread)"
    )
    print(
        f"{'latency':>8} {'conc':>9} {'calls':>6} {'wall s':>7} {'calls/s':>8} {'ideal':>7} {'eff':>6} "
        f"{'call ms':>8} {'overhead ms':>11} {'cpu ms/call':>11} {'server cpu':>10}"
    )
    for latency, r in results:
        ideal = r["concurrency"] / latency if latency else float("nan")
        conc = f"{r['concurrency']}" + (
            f"={r['processes']}x{r['concurrency'] // r['processes']}" if r.get("processes") else ""
        )
        print(
            f"{latency:>8.2f} {conc:>9} {r['calls']:>6} {r['wall_s']:>7.2f} {r['calls_per_s']:>8.1f} "
            f"{ideal:>7.1f} {r['calls_per_s'] / ideal if latency else float('nan'):>6.1%} "
            f"{1000 * r['mean_call_s']:>8.1f} {1000 * (r['mean_call_s'] - latency):>11.1f} "
            f"{r['cpu_ms_per_call']:>11.2f} {r['server_cpu_ms_per_call']:>10.2f}"
        )
    print(
        f"ideal = concurrency / latency; overhead = mean call time beyond the injected latency (client, HTTP, "
        f"server, queueing); cpu = this process's CPU time per call (the pipeline's own cost); server cpu = the "
        f"test server's; {os.cpu_count()} CPUs"
    )


if __name__ == "__main__":
    main()
