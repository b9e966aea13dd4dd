"""Host side of a sandboxed process: spawn it, cap its output, time it out, kill its whole group."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Any, Callable

from synth.sandbox.limits import SandboxLimits
from synth.sandbox.result import RunResult, SandboxCallError, SandboxError

CPU_LIMIT_CODES = {-signal.SIGXCPU, 128 + signal.SIGXCPU}
STDERR_TAIL = 8000
HANG_FACTOR = 3  # a call that uses no CPU is a hang after HANG_FACTOR x its timeout of wall-clock time
TICKS = os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float | None:
    """CPU time used by a process and all its descendants (None when /proc cannot tell)."""
    total, todo, seen = 0.0, [pid], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / TICKS
            for task in os.listdir(f"/proc/{current}/task"):
                todo += [int(c) for c in Path(f"/proc/{current}/task/{task}/children").read_text().split()]
        except (OSError, IndexError, ValueError):
            if current == pid:
                return None
    return total


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


class _CappedReader(threading.Thread):
    """Drains a pipe into memory up to a cap; past the cap it calls `on_overflow` and keeps draining."""

    def __init__(self, pipe, cap: int, on_overflow, keep_tail: bool = False):
        super().__init__(daemon=True)
        self.pipe, self.cap, self.on_overflow, self.keep_tail = pipe, cap, on_overflow, keep_tail
        self.data = bytearray()
        self.overflowed = False

    def run(self) -> None:
        while chunk := self.pipe.read1(65536):
            self.data += chunk
            if len(self.data) > self.cap:
                if self.keep_tail:
                    del self.data[: len(self.data) - self.cap]
                else:
                    del self.data[self.cap :]
                    if not self.overflowed:
                        self.overflowed = True
                        self.on_overflow()

    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")


def run_to_completion(argv: list[str], limits: SandboxLimits, env: dict[str, str]) -> RunResult:
    start = time.monotonic()
    proc = subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
    )
    overflow = threading.Event()

    def on_overflow() -> None:
        overflow.set()
        _kill_group(proc)

    readers = [_CappedReader(p, limits.max_output_bytes, on_overflow) for p in (proc.stdout, proc.stderr)]
    for r in readers:
        r.start()
    timed_out = False
    try:
        proc.wait(timeout=limits.wall_timeout_s)
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill_group(proc)
        proc.wait()
    for r in readers:
        r.join(timeout=5)
    code = proc.returncode
    reason = None
    if timed_out:
        reason = "timeout"
    elif overflow.is_set():
        reason = "output_limit"
    elif code in CPU_LIMIT_CODES:
        reason = "cpu_limit"
    elif "MemoryError" in readers[1].text()[-2000:]:
        reason = "memory_limit"
    killed = timed_out or overflow.is_set() or code in CPU_LIMIT_CODES or (code is not None and code < 0)
    return RunResult(
        exit_code=None if killed else code,
        stdout=readers[0].text(),
        stderr=readers[1].text(),
        timed_out=timed_out,
        killed_reason=reason,
        duration_s=round(time.monotonic() - start, 4),
    )


class ServerProcess:
    """A live sandboxed RPC server (see synth.sandbox.server). One call at a time."""

    def __init__(
        self,
        argv: list[str],
        limits: SandboxLimits,
        env: dict[str, str],
        *,
        start_timeout_s: float = 60.0,
        on_close: Callable[[], None] | None = None,
    ):
        self.limits = limits
        self._on_close = on_close  # backend cleanup that outlives the process (a container, say)
        self._proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
        self._stderr = _CappedReader(self._proc.stderr, STDERR_TAIL, lambda: None, keep_tail=True)
        self._stderr.start()
        self._lines: queue.Queue[bytes] = queue.Queue()
        self._oversized = threading.Event()
        threading.Thread(target=self._read_replies, daemon=True).start()
        self._next_id = 0
        self._wait_reply(0, "start", start_timeout_s)

    def _read_replies(self) -> None:
        cap = self.limits.max_output_bytes
        while True:
            line = self._proc.stdout.readline(cap + 1)
            if len(line) > cap and not line.endswith(b"\n"):
                self._oversized.set()
                _kill_group(self._proc)
                line = b""
            self._lines.put(line)
            if not line:
                return

    @property
    def alive(self) -> bool:
        return self._proc.poll() is None

    def _fail(self, message: str, reason: str) -> SandboxError:
        self.close()
        self._stderr.join(timeout=2)
        return SandboxError(message, reason=reason, stderr_tail=self._stderr.text().strip())

    def _wait_reply(self, request_id: int, method: str, timeout: float) -> Any:
        """The reply to a request. Runaway work is stopped by the CPU time the sandbox spends on it (`timeout`
        CPU-seconds), so a crowded machine does not fail slow but honest calls; a call that sits idle is a hang
        after HANG_FACTOR x `timeout` of wall-clock time (or `timeout` where the CPU time cannot be read)."""
        start, cpu_start = time.monotonic(), tree_cpu_seconds(self._proc.pid)
        while True:
            try:
                line = self._lines.get(timeout=min(1.0, timeout))
                break
            except queue.Empty:
                waited = time.monotonic() - start
                cpu = tree_cpu_seconds(self._proc.pid)
                used = None if cpu is None or cpu_start is None else cpu - cpu_start
                if (used if used is not None else waited) >= timeout or waited >= timeout * HANG_FACTOR:
                    raise self._fail(
                        f"sandbox call {method!r} timed out after {waited:.0f}s "
                        f"({'?' if used is None else f'{used:.1f}'} CPU-s); the sandbox was killed",
                        "timeout",
                    ) from None
        if not line:
            if self._oversized.is_set():
                raise self._fail(
                    f"sandbox reply to {method!r} exceeded {self.limits.max_output_bytes} bytes", "output_limit"
                )
            code = self._proc.wait()
            reason = "cpu_limit" if code in CPU_LIMIT_CODES else "crashed"
            raise self._fail(f"sandbox exited (code {code}) during {method!r}", reason)
        reply = json.loads(line)
        if reply.get("id") != request_id:
            raise self._fail(f"sandbox protocol error: expected reply {request_id}, got {reply.get('id')}", "protocol")
        if "error" in reply:
            err = reply["error"]
            raise SandboxCallError(err["type"], err["message"], err.get("traceback", ""))
        return reply["result"]

    def call(self, method: str, params: dict | None = None, timeout: float | None = None) -> Any:
        if not self.alive:
            raise self._fail(f"sandbox is not running (call {method!r})", "crashed")
        self._next_id += 1
        payload = json.dumps({"id": self._next_id, "method": method, "params": params or {}}) + "\n"
        try:
            self._proc.stdin.write(payload.encode())
            self._proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise self._fail(f"sandbox closed its input during {method!r}", "crashed") from None
        return self._wait_reply(self._next_id, method, timeout or self.limits.wall_timeout_s)

    def stderr_tail(self) -> str:
        return self._stderr.text()

    def close(self) -> None:
        if self._proc.poll() is None:
            _kill_group(self._proc)
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        for pipe in (self._proc.stdin, self._proc.stdout):
            try:
                pipe.close()
            except OSError:
                pass
        on_close, self._on_close = self._on_close, None
        if on_close is not None:
            on_close()

    def __enter__(self) -> "ServerProcess":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
