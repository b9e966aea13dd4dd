"""One EnvPool per run for trainers that run environments in their own process (synth.serving.trl_env,
synth.serving.verl_agent).

A trainer makes many small environment objects (TRL: one per rollout; verl: one agent loop per trajectory); they
all share one pool per run and process, so a GRPO group still costs one build per environment instance.

- `shared_pool(run_dir)`: for async callers; one pool per event loop and run.
- `pool_thread(run_dir)`: for synchronous callers; the pool lives on an event loop of its own thread.

Both are closed when the process exits (their sandboxed workers with them).
"""

from __future__ import annotations

import asyncio
import atexit
import threading
import weakref
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any, Awaitable, TypeVar

from synth.serving.pool import EnvPool

T = TypeVar("T")

_pools: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple[str, str], EnvPool]]" = (
    weakref.WeakKeyDictionary()
)
_locks: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock]" = weakref.WeakKeyDictionary()
_threads: dict[tuple[str, str], "PoolThread"] = {}
_guard = threading.Lock()


def _key(run_dir: str | Path, options: dict[str, Any]) -> tuple[str, str]:
    return str(Path(run_dir).resolve()), repr(sorted(options.items()))


def _close_workers(pool: EnvPool) -> None:
    """Stop a pool's sandboxed workers without its event loop (which may be gone at exit)."""
    pool.episodes.clear()
    for worker in [*pool.workers, *pool.own_workers.values()]:
        worker.close()
    pool.own_workers.clear()


async def shared_pool(run_dir: str | Path, **options: Any) -> EnvPool:
    """The pool of `run_dir` for the running event loop (made on first use; `options` go to EnvPool)."""
    loop = asyncio.get_running_loop()
    key = _key(run_dir, options)
    pools = _pools.setdefault(loop, {})
    if key not in pools:
        async with _locks.setdefault(loop, asyncio.Lock()):
            if key not in pools:
                pool = EnvPool(run_dir, **options)
                pools[key] = await pool.__aenter__()
    return pools[key]


class PoolThread:
    """An EnvPool on an event loop of its own thread; `run(coroutine)` waits for its result from any thread."""

    def __init__(self, run_dir: str | Path, **options: Any):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="synth-env-pool", daemon=True)
        self.thread.start()
        self.pool: EnvPool = self.run(self._start(run_dir, options))

    @staticmethod
    async def _start(run_dir: str | Path, options: dict[str, Any]) -> EnvPool:
        pool = EnvPool(run_dir, **options)
        return await pool.__aenter__()

    def run(self, coroutine: Awaitable[T], timeout: float | None = None) -> T:
        if threading.current_thread() is self.thread:
            raise RuntimeError("PoolThread.run was called from the pool's own thread; await the coroutine instead")
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        try:
            return future.result(timeout)
        except FutureTimeout:
            future.cancel()
            raise TimeoutError(f"the environment did not answer within {timeout:g} s") from None

    def close(self) -> None:
        if not self.loop.is_running():
            return
        try:
            self.run(self.pool.shutdown(), timeout=30)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)


def pool_thread(run_dir: str | Path, **options: Any) -> PoolThread:
    """The PoolThread of `run_dir` in this process (made on first use; `options` go to EnvPool)."""
    key = _key(run_dir, options)
    with _guard:
        if key not in _threads:
            _threads[key] = PoolThread(run_dir, **options)
        return _threads[key]


@atexit.register
def _close_all() -> None:
    for thread in list(_threads.values()):
        try:
            thread.close()
        except Exception:  # noqa: BLE001 - exiting: close what can be closed
            _close_workers(thread.pool)
    _threads.clear()
    for pools in list(_pools.values()):
        for pool in pools.values():
            _close_workers(pool)
    _pools.clear()
