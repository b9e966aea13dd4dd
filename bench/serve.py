"""How does `synth envs serve` hold up under a trainer's load? Loopback only, bounded, stops by itself.

    python bench/serve.py --run /tmp/serve-run --sessions 2000 [--group 10] [--interval 2] [--duration 60]
                          [--workers 2] [--saturation-s 10] [--seed 0]

Starts the server on a free loopback port, then speaks NeMo Gym to it (seed_session, tool routes, verify):
1. seeds `--sessions` sessions over sessions/group tasks (a GRPO group of `--group` sessions per task), with
   `--seed-concurrency` requests in flight (default 100; the same for the verifies);
2. for `--duration` s, each session makes a tool call every `--interval` s on average (Poisson): first its task's
   reference calls in order, then its read-only reference calls over and over (so the state stays the reference's);
3. verifies every session with the reference's final answer (each should get reward 1.0);
4. saturation: one session per task calls back-to-back for `--saturation-s` s.
Prints seed, tool-call and verify latency (p50/p99; seeds and verifies include the saturation sessions'), errors,
rewards, peak memory of the server's process tree (server, sandbox launchers and workers) and of this client, the
saturation throughput, and the CPU time of server, workers and client. The client is a plain asyncio HTTP/1.1
keep-alive client so that it costs the machine little next to the server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synth.dataset.loader import load_run, task_from_row, template_for

REPO = Path(__file__).resolve().parent.parent
COOKIE = re.compile(rb"synth_session=([0-9a-f]+)")


def tree_rss_mb(pid: int) -> float:
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status") as f:
                total += next((int(line.split()[1]) for line in f if line.startswith("VmRSS")), 0)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (OSError, ValueError):
            pass
    return total / 1024


def tree_cpu_s(pid: int) -> dict[int, float]:
    """CPU seconds (user + system) of each process of a tree."""
    ticks, out, todo = os.sysconf("SC_CLK_TCK"), {}, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            out[current] = (int(fields[11]) + int(fields[12])) / ticks
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (OSError, ValueError, IndexError):
            pass
    return out


class Monitor(threading.Thread):
    """Peak memory of the server's process tree, and the CPU time each of its processes has used."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0.0, threading.Event()
        self.cpu: dict[int, float] = {}

    def run(self) -> None:
        while not self.stop.wait(0.25):
            self.peak = max(self.peak, tree_rss_mb(self.pid))
            self.cpu |= tree_cpu_s(self.pid)


class Connection:
    """One keep-alive HTTP/1.1 connection; requests on it go one at a time."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, path: str, body: bytes, cookie: str | None = None) -> tuple[int, bytes, bytes]:
        """One POST; a broken connection is an error (no retry: the request may have been served)."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n" + (f"Cookie: synth_session={cookie}\r\n" if cookie else "") + "\r\n"
        ).encode()
        self.writer.write(head + body)
        status_line = await self.reader.readuntil(b"\r\n")
        headers = await self.reader.readuntil(b"\r\n\r\n")
        length = int(re.search(rb"(?i)content-length:\s*(\d+)", headers).group(1))
        payload = await self.reader.readexactly(length)
        if re.search(rb"(?i)connection:\s*close", headers):
            self.close()
        return int(status_line.split()[1]), headers, payload

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


class Client:
    def __init__(self, host: str, port: int, connections: int, timeout_s: float = 60.0):
        self.idle: asyncio.LifoQueue[Connection] = asyncio.LifoQueue()
        for _ in range(connections):
            self.idle.put_nowait(Connection(host, port))
        self.timeout_s = timeout_s
        self.latency: dict[str, list[float]] = {"seed": [], "tool": [], "verify": [], "saturation": []}
        self.errors: Counter[str] = Counter()
        self.samples: dict[str, str] = {}

    async def post(self, kind: str, path: str, payload: dict, cookie: str | None = None) -> tuple[int, bytes, bytes]:
        connection = await self.idle.get()
        start = time.perf_counter()
        try:
            status, headers, body = await asyncio.wait_for(
                connection.request(path, json.dumps(payload).encode(), cookie), self.timeout_s
            )
        except (TimeoutError, OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, AttributeError) as exc:
            connection.close()
            self.errors[kind] += 1
            self.samples.setdefault(kind, f"{type(exc).__name__}: {exc}")
            return 0, b"", b""
        finally:
            self.idle.put_nowait(connection)
        self.latency[kind].append(time.perf_counter() - start)
        if status != 200:
            self.errors[kind] += 1
            self.samples.setdefault(kind, f"HTTP {status}: {body[:300]!r}")
        return status, headers, body


def plans(run: Path, tasks: int, seed: int) -> list[dict]:
    """Per task: its reference calls, the read-only ones among them, and the final answer."""
    dd = load_run(run)
    rows = sorted(dd["tasks"], key=lambda r: r["task_id"])
    random.Random(seed).shuffle(rows)
    if len(rows) < tasks:
        raise SystemExit(f"{run} has {len(rows)} tasks; --sessions/--group asks for {tasks}")
    references = {t["task_id"]: t["messages"] for t in dd["trajectories"]}
    kinds_of: dict[tuple[str, str], dict[str, str]] = {}
    out = []
    for row in rows[:tasks]:
        task = task_from_row(row)
        key = (task.template, task.template_version)
        if key not in kinds_of:
            cls = template_for(task, run_dir=run).cls
            kinds = {name: spec.kind for name, spec in cls.tools().items()}
            for name, aliases in cls.variants.renames.items():
                kinds |= {alias: kinds[name] for alias in aliases}
            kinds_of[key] = kinds
        messages = references[task.task_id]
        calls = [
            (c["function"]["name"], json.loads(c["function"]["arguments"] or "{}"))
            for m in messages
            if m["role"] == "assistant"
            for c in m["tool_calls"] or []
        ]
        final = next((m["content"] for m in reversed(messages) if m["role"] == "assistant" and not m["tool_calls"]), "")
        out.append(
            {
                "task_id": task.task_id,
                "answer_mode": task.answer_mode,
                "calls": calls,
                "final": final,
                "reads": [c for c in calls if kinds_of[key].get(c[0]) == "read"],
            }
        )
    return out


def verify_body(plan: dict) -> dict:
    output = [{"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": plan["final"]}]}]
    return {"task_id": plan["task_id"], "responses_create_params": {"input": []}, "response": {"output": output}}


async def bench(args: argparse.Namespace, host: str, port: int) -> dict:
    rng = random.Random(args.seed)
    tasks = plans(args.run, args.sessions // args.group, args.seed)
    client = Client(host, port, args.connections)
    sem = asyncio.Semaphore(args.seed_concurrency)
    sessions: list[tuple[dict, str]] = []

    async def seed(plan: dict) -> None:
        async with sem:
            status, headers, _ = await client.post("seed", "/seed_session", {"task_id": plan["task_id"]})
        match = COOKIE.search(headers)
        if status == 200 and match:
            sessions.append((plan, match.group(1).decode()))

    t0 = time.perf_counter()
    await asyncio.gather(*(seed(plan) for plan in tasks for _ in range(args.group)))
    seed_s = time.perf_counter() - t0

    end = time.perf_counter() + args.duration
    offered = Counter()

    made: Counter[str] = Counter()

    async def load(plan: dict, sid: str, rnd: random.Random) -> None:
        i = 0
        while True:
            await asyncio.sleep(rnd.expovariate(1 / args.interval))
            if time.perf_counter() >= end:
                return
            if i < len(plan["calls"]):
                name, arguments = plan["calls"][i]
            elif plan["reads"]:
                name, arguments = plan["reads"][(i - len(plan["calls"])) % len(plan["reads"])]
            else:
                offered["idle"] += 1
                continue
            i += 1
            offered["calls"] += 1
            await client.post("tool", f"/{name}", arguments, sid)
            made[sid] = i

    t0 = time.perf_counter()
    await asyncio.gather(*(load(p, s, random.Random(rng.random())) for p, s in sessions))
    load_s = time.perf_counter() - t0

    rewards: Counter[str] = Counter()

    async def verify(plan: dict, sid: str) -> None:
        async with sem:
            status, _, body = await client.post("verify", "/verify", verify_body(plan), sid)
        if status == 200:
            done = "done" if made[sid] >= len(plan["calls"]) else "cut short"
            rewards[f"{json.loads(body)['reward']} ({done})"] += 1

    await asyncio.gather(*(verify(p, s) for p, s in sessions))

    # saturation: one session per task, each calling back-to-back
    saturating: list[tuple[dict, str]] = []
    for plan in tasks[: args.saturation_sessions]:
        status, headers, _ = await client.post("seed", "/seed_session", {"task_id": plan["task_id"]})
        match = COOKIE.search(headers)
        if status == 200 and match:
            saturating.append((plan, match.group(1).decode()))
    sat_end = time.perf_counter() + args.saturation_s
    sat_calls = Counter()

    async def hammer(plan: dict, sid: str) -> None:
        calls = plan["reads"] or plan["calls"][:1]
        i = 0
        while time.perf_counter() < sat_end and calls:
            await client.post("saturation", f"/{calls[i % len(calls)][0]}", calls[i % len(calls)][1], sid)
            sat_calls["n"] += 1
            i += 1

    t0 = time.perf_counter()
    await asyncio.gather(*(hammer(p, s) for p, s in saturating))
    sat_s = time.perf_counter() - t0
    await asyncio.gather(*(client.post("verify", "/verify", verify_body(p), s) for p, s in saturating))

    connection = Connection(host, port)
    await connection.request("/aggregate_metrics", b'{"verify_responses": []}')
    connection.writer.write(f"GET /stats HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    await connection.reader.readuntil(b"\r\n")
    headers = await connection.reader.readuntil(b"\r\n\r\n")
    stats = json.loads(
        await connection.reader.readexactly(int(re.search(rb"(?i)content-length:\s*(\d+)", headers).group(1)))
    )
    connection.close()
    return {
        "client": client,
        "sessions": len(sessions),
        "seed_s": seed_s,
        "load_s": load_s,
        "offered_calls": offered["calls"],
        "idle_ticks": offered["idle"],
        "rewards": dict(rewards),
        "saturation_calls": sat_calls["n"],
        "saturation_s": sat_s,
        "saturation_sessions": len(saturating),
        "stats_after": stats,
    }


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", type=Path, default=Path("/tmp/serve-run"))
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--group", type=int, default=10, help="sessions per task (a GRPO group)")
    parser.add_argument("--interval", type=float, default=2.0, help="mean seconds between one session's calls")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of paced load")
    parser.add_argument("--saturation-s", type=float, default=10.0)
    parser.add_argument("--saturation-sessions", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2, help="the server's sandboxed workers")
    parser.add_argument("--connections", type=int, default=256, help="client keep-alive connections")
    parser.add_argument("--seed-concurrency", type=int, default=100, help="seed and verify requests in flight")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-wall-s", type=float, default=None, help="hard stop (default: duration + 600)")
    args = parser.parse_args()
    if not (args.run / "dataset_dict.json").is_file():
        raise SystemExit(
            f"{args.run} is not a run; make one with: synth generate --templates bank --envs 20 "
            f"--tasks-per-env 10 --no-ray --out {args.run}"
        )
    limit = args.max_wall_s or args.duration + args.saturation_s + 600

    server = subprocess.Popen(
        [
            sys.executable,
            str(REPO / "cli.py"),
            "envs",
            "serve",
            str(args.run),
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--workers",
            str(args.workers),
            "--max-sessions",
            str(args.sessions + args.saturation_sessions + 16),
            "--ttl",
            str(limit),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    memory = Monitor(server.pid)
    memory.start()
    try:
        deadline = time.monotonic() + 120
        line = ""
        while time.monotonic() < deadline:
            line = server.stdout.readline()
            if not line and server.poll() is not None:
                raise SystemExit(f"the server exited ({server.returncode}) before serving")
            if line.startswith("serving "):
                break
        match = re.search(r"on http://([\d.]+):(\d+)", line)
        if not match:
            raise SystemExit(f"the server did not start within 120 s: {line!r}")
        threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()  # keep draining it
        host, port = match.group(1), int(match.group(2))
        started = time.perf_counter()
        result = asyncio.run(asyncio.wait_for(bench(args, host, port), limit))
        wall = time.perf_counter() - started
    finally:
        memory.stop.set()
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    client: Client = result["client"]
    lat = client.latency
    summary = {
        "sessions": result["sessions"],
        "tasks": args.sessions // args.group,
        "group": args.group,
        "workers": args.workers,
        "cpus": os.cpu_count(),
        "seed": {
            "n": len(lat["seed"]),
            "p50_ms": pct(lat["seed"], 0.5),
            "p99_ms": pct(lat["seed"], 0.99),
            "wall_s": result["seed_s"],
        },
        "tool": {
            "n": len(lat["tool"]),
            "offered_per_s": result["offered_calls"] / args.duration,
            "p50_ms": pct(lat["tool"], 0.5),
            "p99_ms": pct(lat["tool"], 0.99),
            "max_ms": pct(lat["tool"], 1),
        },
        "verify": {"n": len(lat["verify"]), "p50_ms": pct(lat["verify"], 0.5), "p99_ms": pct(lat["verify"], 0.99)},
        "rewards": result["rewards"],
        "errors": dict(client.errors),
        "error_samples": client.samples,
        "saturation": {
            "sessions": result["saturation_sessions"],
            "calls_per_s": result["saturation_calls"] / result["saturation_s"],
            "p50_ms": pct(lat["saturation"], 0.5),
            "p99_ms": pct(lat["saturation"], 0.99),
        },
        "peak_memory_mb": {"server_tree": round(memory.peak), "client": round(tree_rss_mb(os.getpid()))},
        "open_sessions_after": result["stats_after"]["sessions"],
        "wall_s": wall,
        "cpu_s": {
            "server": round(memory.cpu.get(server.pid, 0.0), 1),
            "workers": round(sum(v for k, v in memory.cpu.items() if k != server.pid), 1),
            "client": round(sum(os.times()[:2]), 1),
        },
    }
    s = summary
    print(
        f"sessions {s['sessions']} over {s['tasks']} tasks (groups of {s['group']}), {s['workers']} workers, "
        f"{s['cpus']} CPUs"
    )
    print(f"seed      n={s['seed']['n']:6d}  p50 {s['seed']['p50_ms']:7.1f} ms  p99 {s['seed']['p99_ms']:7.1f} ms")
    print(
        f"tool call n={s['tool']['n']:6d}  p50 {s['tool']['p50_ms']:7.1f} ms  p99 {s['tool']['p99_ms']:7.1f} ms  "
        f"({s['tool']['offered_per_s']:.0f} calls/s offered)"
    )
    print(
        f"verify    n={s['verify']['n']:6d}  p50 {s['verify']['p50_ms']:7.1f} ms  p99 {s['verify']['p99_ms']:7.1f} ms"
        f"  rewards {s['rewards']}"
    )
    print(
        f"saturation: {s['saturation']['calls_per_s']:.0f} calls/s back-to-back from {s['saturation']['sessions']} "
        f"sessions (p50 {s['saturation']['p50_ms']:.1f} ms, p99 {s['saturation']['p99_ms']:.1f} ms)"
    )
    print(
        f"errors {s['errors'] or 0}  peak memory: server tree {s['peak_memory_mb']['server_tree']} MB, client "
        f"{s['peak_memory_mb']['client']} MB  open sessions after: {s['open_sessions_after']}"
    )
    requests = sum(len(v) for v in lat.values())
    print(
        f"CPU: server {s['cpu_s']['server']} s, sandboxed workers {s['cpu_s']['workers']} s, client "
        f"{s['cpu_s']['client']} s for {requests} requests in {wall:.0f} s "
        f"({1000 * s['cpu_s']['server'] / max(1, requests):.2f} ms of server CPU a request); load average "
        f"{os.getloadavg()[0]:.1f}"
    )
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
