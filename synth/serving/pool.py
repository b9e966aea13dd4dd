"""EnvPool: episodes over a run's stored tasks, for trainers that keep thousands of rollouts in flight.

    async with EnvPool("runs/demo") as pool:
        episode = await pool.open(task_id)           # episode.messages, episode.tools
        message = await episode.step(tool_call)       # the tool message to append
        verdict = await episode.grade(final_text)     # verdict.passed -> reward 1.0
        await episode.close()

Sessions live in a few sandboxed worker processes (synth.env.sessions). All sessions of one environment
instance go to the same worker, which builds the instance once and gives each session a copy of its initial
database. Tasks with tools written for them by a model get a worker of their own. A session is closed
explicitly, or by the reaper after `ttl_s` without use; capacity limits answer with a clear error.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from synth.dataset.loader import load_run, task_from_row, template_for
from synth.env.registry import TemplateEntry
from synth.env.sessions import MAX_IDLE_INSTANCES
from synth.programs import find_library
from synth.sandbox import SandboxBackend, SandboxCallError, SandboxError, SandboxLimits, ServerProcess, get_backend
from synth.task import TaskSpec, Verdict

SESSION_SERVICE = "synth.env.sessions:SessionService"


class PoolError(RuntimeError):
    """A request the pool cannot serve; the message says why and what to do. `status` is an HTTP status."""

    status = 400


class UnknownTask(PoolError):
    status = 404


class UnknownSession(PoolError):
    status = 404


class CapacityError(PoolError):
    status = 503


class Worker:
    """One sandboxed SessionService; its calls run in order on a thread of their own. Calls that arrive while a
    round trip is under way go together in the next one (one `batch` request), so that a busy worker pays the thread
    hop, the pipe and the sandbox's bookkeeping once per round trip instead of once per call."""

    MAX_BATCH = 64

    def __init__(self, backend: SandboxBackend, limits: SandboxLimits, mounts: list[Path], name: str):
        self.backend, self.limits, self.mounts, self.name = backend, limits, mounts, name
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self.server: ServerProcess | None = None
        self.sessions: set[str] = set()
        self._queue: list[tuple[str, dict, asyncio.Future]] = []
        self._draining = False
        self._drainer: asyncio.Task | None = None

    def _call(self, method: str, params: dict, timeout: float | None = None) -> Any:
        if self.server is None or not self.server.alive:
            self.sessions.clear()  # whatever lived in a dead worker is gone
            self.server = self.backend.start_server(SESSION_SERVICE, self.limits, mounts=self.mounts)
        return self.server.call(method, params, timeout)

    async def call(self, method: str, params: dict) -> Any:
        future = asyncio.get_running_loop().create_future()
        self._queue.append((method, params, future))
        if not self._draining:
            self._draining = True
            self._drainer = asyncio.get_running_loop().create_task(self._drain())  # held: a task needs a reference
        return await future

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._queue:
                batch, self._queue = self._queue[: self.MAX_BATCH], self._queue[self.MAX_BATCH :]
                try:
                    if len(batch) == 1:
                        method, params, _ = batch[0]
                        replies = [{"result": await loop.run_in_executor(self.executor, self._call, method, params)}]
                    else:
                        calls = [{"method": m, "params": p} for m, p, _ in batch]
                        replies = await loop.run_in_executor(
                            self.executor,
                            self._call,
                            "batch",
                            {"calls": calls},
                            self.limits.wall_timeout_s * len(batch),
                        )
                except Exception as exc:  # the worker failed: every call of the round trip fails with it
                    for *_, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                    continue
                except BaseException:  # cancelled (the loop is closing): so are the calls
                    for *_, future in batch:
                        future.cancel()
                    raise
                for (*_, future), reply in zip(batch, replies):
                    if future.done():
                        continue
                    if "error" in reply:
                        err = reply["error"]
                        future.set_exception(SandboxCallError(err["type"], err["message"], err.get("traceback", "")))
                    else:
                        future.set_result(reply["result"])
        finally:
            self._draining = False

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
        self.executor.shutdown(wait=False, cancel_futures=True)
        for *_, future in self._queue:
            if not future.done():
                future.set_exception(SandboxError("the worker was shut down", reason="closed"))
        self._queue.clear()


@dataclass
class Episode:
    """One session: a task's opening messages and tools; step tool calls, then grade."""

    pool: "EnvPool"
    id: str
    task: TaskSpec
    worker: Worker
    answer_mode: str
    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]]
    last_used: float = field(default_factory=time.monotonic)
    done: bool = False

    async def call(self, name: str, arguments: Any) -> dict[str, Any]:
        """{"ok", "content", "done"}: a failed call is a result for the model, never an exception."""
        return await self.pool._call(self, name, arguments)

    async def step(self, tool_call: dict[str, Any]) -> dict[str, Any]:
        """An OpenAI tool call in; the tool message to append out."""
        fn = tool_call["function"]
        result = await self.call(fn["name"], fn.get("arguments") or "{}")
        return {"role": "tool", "tool_call_id": tool_call.get("id"), "content": result["content"]}

    async def grade(self, answer: str | None = None) -> Verdict:
        """The task's verifier on the current state and the answer (what submit_answer received, else
        `answer`, the final message)."""
        return await self.pool._grade(self, answer)

    async def close(self) -> bool:
        return await self.pool.close(self.id)


class EnvPool:
    def __init__(
        self,
        run_dir: str | Path,
        *,
        workers: int = 2,
        max_sessions: int = 2048,
        ttl_s: float = 900.0,
        sandbox: str = "bwrap",
        limits: SandboxLimits | None = None,
        envs_dirs: list[Path] = (),
    ):
        self.run_dir = Path(run_dir)
        self.rows = {r["task_id"]: r for r in load_run(self.run_dir)["tasks"]}
        self.max_sessions, self.ttl_s = max_sessions, ttl_s
        self.backend = get_backend(sandbox)
        self.limits = limits or SandboxLimits()
        self.envs_dirs = list(envs_dirs)
        self._tasks: dict[str, tuple[TaskSpec, TemplateEntry, str | None]] = {}
        mounts = self._mounts()
        self.workers = [Worker(self.backend, self.limits, mounts, f"synth-worker-{i}") for i in range(max(1, workers))]
        self.own_workers: dict[str, Worker] = {}  # task id -> the worker of a task with written tools
        self.episodes: dict[str, Episode] = {}
        self._reaper: asyncio.Task | None = None
        self._ids = itertools.count()

    def _mounts(self) -> list[Path]:
        folders = {e.folder.resolve().parent for e in self._entries()}
        return sorted(folders)

    def _entries(self) -> list[TemplateEntry]:
        seen: dict[tuple[str, str], TemplateEntry] = {}
        for row in self.rows.values():
            key = (row["template"], row["template_version"])
            if key not in seen:
                seen[key] = template_for(task_from_row(row), self.envs_dirs, self.run_dir)
        return list(seen.values())

    def task(self, task_id: str) -> TaskSpec:
        return self._resolve(task_id)[0]

    def task_ids(self) -> list[str]:
        return sorted(self.rows)

    def _resolve(self, task_id: str) -> tuple[TaskSpec, TemplateEntry, str | None]:
        if task_id not in self._tasks:
            row = self.rows.get(task_id)
            if row is None:
                raise UnknownTask(f"no task {task_id!r} in {self.run_dir}")
            task = task_from_row(row)
            entry = template_for(task, self.envs_dirs, self.run_dir)
            library = find_library(task.verifier.library, [self.run_dir]) if task.verifier.library else None
            self._tasks[task_id] = (task, entry, library)
        return self._tasks[task_id]

    def _worker_for(self, task: TaskSpec, entry: TemplateEntry) -> Worker:
        if task.extra_tools or entry.synthesized:  # model-written code shares no sandbox with other tasks
            worker = self.own_workers.get(task.task_id)
            if worker is None:
                worker = Worker(self.backend, self.limits, [entry.folder.resolve().parent], f"synth-own-{task.task_id}")
                self.own_workers[task.task_id] = worker
            return worker
        return self.workers[int(hashlib.sha256(task.env_id.encode()).hexdigest()[:8], 16) % len(self.workers)]

    async def __aenter__(self) -> "EnvPool":
        self._reaper = asyncio.create_task(self._reap())
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.shutdown()

    async def open(self, task_id: str, *, answer_mode: str | None = None, session_id: str | None = None) -> Episode:
        """A new episode of a stored task. `answer_mode` (default: the task's) decides whether it offers
        submit_answer; any task grades either way."""
        task, entry, _ = self._resolve(task_id)
        if len(self.episodes) >= self.max_sessions:
            raise CapacityError(
                f"{self.max_sessions} sessions are open; close finished ones (or let the "
                f"{self.ttl_s:g} s idle timeout reap them), or raise --max-sessions"
            )
        mode = answer_mode or task.answer_mode
        if mode not in ("text", "tool"):
            raise PoolError(f"answer mode must be text or tool, not {mode!r}")
        sid = session_id or uuid.uuid4().hex
        if sid in self.episodes:
            raise PoolError(f"session {sid!r} is already open")
        worker = self._worker_for(task, entry)
        schema = task.answer_schema if mode == "tool" else None
        try:
            await worker.call(
                "open",
                {
                    "session": sid,
                    "folder": str(entry.folder),
                    "seed": task.env_seed,
                    "instance": task.env_instance,
                    "tools": task.tool_names,
                    "answer_schema": schema,
                    "extra_tools": [t.model_dump() for t in task.extra_tools] or None,
                },
            )
        except (SandboxError, SandboxCallError) as exc:
            raise PoolError(f"could not open task {task_id}: {exc}") from exc
        worker.sessions.add(sid)
        tools = task.episode_tools(mode)
        episode = Episode(
            pool=self,
            id=sid,
            task=task,
            worker=worker,
            answer_mode=mode,
            tools=tools,
            messages=[{"role": "system", "content": task.system_prompt}, {"role": "user", "content": task.instruction}],
        )
        self.episodes[sid] = episode
        return episode

    def episode(self, session_id: str) -> Episode:
        episode = self.episodes.get(session_id)
        if episode is None:
            raise UnknownSession(
                f"no open session {session_id!r}: it was closed, timed out, or never opened; open one first"
            )
        return episode

    def _alive(self, episode: Episode) -> None:
        if episode.id not in episode.worker.sessions:
            self.episodes.pop(episode.id, None)
            raise UnknownSession(f"session {episode.id!r} was lost with its worker sandbox; open a new one")

    async def _call(self, episode: Episode, name: str, arguments: Any) -> dict[str, Any]:
        self._alive(episode)
        episode.last_used = time.monotonic()
        if not isinstance(arguments, (str, dict)):
            arguments = json.dumps(arguments)
        try:
            result = await episode.worker.call("call", {"session": episode.id, "name": name, "arguments": arguments})
        except SandboxError as exc:
            self.episodes.pop(episode.id, None)
            raise PoolError(
                f"the environment's sandbox failed during {name!r} ({exc.reason}); the session is gone, open a new one"
            ) from exc
        except SandboxCallError as exc:  # closed while the call waited, say
            raise self._lost(episode, exc) from exc
        episode.done = episode.done or result["done"]
        return result

    async def _grade(self, episode: Episode, answer: str | None) -> Verdict:
        self._alive(episode)
        episode.last_used = time.monotonic()
        _, _, library = self._resolve(episode.task.task_id)
        try:
            verdict = await episode.worker.call(
                "verify",
                {
                    "session": episode.id,
                    "verifier": episode.task.verifier.model_dump(),
                    "answer": answer,
                    "library_source": library,
                },
            )
        except SandboxError as exc:
            self.episodes.pop(episode.id, None)
            raise PoolError(
                f"the environment's sandbox failed while grading ({exc.reason}); the session is gone, open a new one"
            ) from exc
        except SandboxCallError as exc:
            raise self._lost(episode, exc) from exc
        return Verdict.model_validate(verdict)

    def _lost(self, episode: Episode, exc: SandboxCallError) -> PoolError:
        """The error for a call its worker refused: mostly a session that is no longer there (closed while the
        request waited, or unknown to the worker)."""
        if exc.error_type == "KeyError" or episode.id not in self.episodes or episode.id not in episode.worker.sessions:
            self.episodes.pop(episode.id, None)
            episode.worker.sessions.discard(episode.id)
            return UnknownSession(
                f"session {episode.id!r} is gone (closed while the request waited, or lost by its "
                f"worker); open a new one"
            )
        return PoolError(f"the environment's worker refused the request: {exc}")

    async def close(self, session_id: str) -> bool:
        """Close a session; False when it was not open (closing twice is harmless)."""
        episode = self.episodes.pop(session_id, None)
        if episode is None:
            return False
        episode.worker.sessions.discard(session_id)
        try:
            await episode.worker.call("close", {"session": session_id})
        except (SandboxError, SandboxCallError):
            pass
        own = self.own_workers.get(episode.task.task_id)
        if own is not None and not own.sessions:
            del self.own_workers[episode.task.task_id]
            own.close()
        return True

    async def _reap(self) -> None:
        while True:
            await asyncio.sleep(min(5.0, max(0.05, self.ttl_s / 4)))
            now = time.monotonic()
            for sid in [s for s, e in self.episodes.items() if now - e.last_used > self.ttl_s]:
                await self.close(sid)

    async def warm(self, per_worker: int = MAX_IDLE_INSTANCES) -> int:
        """Build environment instances ahead of the first sessions (one session opened and closed per instance, up
        to `per_worker` for each shared worker: what a worker keeps idle); returns how many were built. Tasks with
        tools of their own are left alone: their worker lives only while they have sessions."""
        chosen: dict[Worker, dict[str, str]] = {w: {} for w in self.workers}
        for task_id in self.task_ids():
            try:
                task, entry, _ = self._resolve(task_id)
            except Exception:  # noqa: BLE001, S112 - a task that cannot open says why when it is asked for
                continue
            if task.extra_tools or entry.synthesized:
                continue
            envs = chosen[self._worker_for(task, entry)]
            if len(envs) < per_worker:
                envs.setdefault(task.env_id, task_id)

        async def build(task_ids: list[str]) -> int:
            built = 0
            for task_id in task_ids:
                try:
                    await self.close((await self.open(task_id)).id)
                    built += 1
                except PoolError:
                    pass
            return built

        return sum(await asyncio.gather(*(build(list(envs.values())) for envs in chosen.values())))

    async def stats(self) -> dict[str, Any]:
        workers = []
        for w in self.workers:
            workers.append(await w.call("stats", {}) if w.server is not None and w.server.alive else None)
        return {"sessions": len(self.episodes), "own_workers": len(self.own_workers), "workers": workers}

    async def shutdown(self) -> None:
        if self._reaper is not None:
            self._reaper.cancel()
        for sid in list(self.episodes):
            self.episodes.pop(sid)
        for worker in [*self.workers, *self.own_workers.values()]:
            worker.close()
        self.own_workers.clear()
