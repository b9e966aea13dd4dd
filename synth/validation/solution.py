"""The environment server's handle to the solution's own interpreter (solution_child.py).

The child is a fresh interpreter, not a fork: it shares no memory with this process, which holds the database
and the verifier's parameters, and this process makes itself non-dumpable first, so the child cannot read its
memory through /proc either. Runaway programs are stopped by the child's own CPU time, not by wall time on a
busy machine; the child is replaced before its accumulated CPU time nears the sandbox's limit.
"""

from __future__ import annotations

import ctypes
import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

from synth.task import Program

CHILD = Path(__file__).with_name("solution_child.py")
PR_SET_DUMPABLE = 4
TICKS = os.sysconf("SC_CLK_TCK")


class SolutionFailed(RuntimeError):
    """The program raised, ran out of time, or its interpreter died; `reason` names which."""

    def __init__(self, message: str, reason: str = "solution_error"):
        super().__init__(message)
        self.reason = reason


def protect_memory() -> None:
    """Make this process non-dumpable: same-uid processes can no longer read its memory or file descriptors."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS
    except (OSError, IndexError, ValueError):
        return 0.0


class SolutionProcess:
    """Runs programs one at a time in a child interpreter; `on_call(name, arguments) -> (ok, value)` executes
    each tool call in the environment."""

    def __init__(self, cpu_budget_s: float = 10.0, wall_budget_s: float = 60.0, recycle_cpu_s: float = 20.0):
        self.cpu_budget_s, self.wall_budget_s, self.recycle_cpu_s = cpu_budget_s, wall_budget_s, recycle_cpu_s
        self.proc: subprocess.Popen | None = None
        protect_memory()

    def _start(self) -> None:
        self.close()
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-S", "-B", str(CHILD)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={},
            cwd="/tmp" if os.path.isdir("/tmp") else None,
            close_fds=True,
            text=True,
            bufsize=1,
        )
        self._read(time.monotonic() + self.wall_budget_s, 0.0)

    def _send(self, message: dict) -> None:
        try:
            self.proc.stdin.write(json.dumps(message) + "\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise self._died() from None

    def _died(self) -> SolutionFailed:
        code = self.proc.wait()
        self.proc = None
        return SolutionFailed(f"the solution's interpreter exited (code {code})", "solution_crashed")

    def _read(self, deadline: float, cpu_start: float) -> dict:
        while True:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.5)
            if ready:
                line = self.proc.stdout.readline()
                if not line:
                    raise self._died()
                return json.loads(line)
            if _cpu_seconds(self.proc.pid) - cpu_start > self.cpu_budget_s:
                self.close()
                raise SolutionFailed(
                    f"the solution used more than {self.cpu_budget_s:g} CPU seconds", "solution_cpu_limit"
                )
            if time.monotonic() > deadline:
                self.close()
                raise SolutionFailed(f"the solution ran longer than {self.wall_budget_s:g} s", "solution_timeout")

    def run(
        self,
        program: Program,
        names: dict[str, str],
        on_call: Callable[[str, Any], tuple[bool, Any] | None],
    ) -> Any:
        """The program's return value. `on_call` returns (ok, value) for each tool call, or None to stop the run
        (SolutionFailed with reason 'stopped')."""
        if self.proc is None or self.proc.poll() is not None or _cpu_seconds(self.proc.pid) > self.recycle_cpu_s:
            self._start()
        cpu_start = _cpu_seconds(self.proc.pid)
        deadline = time.monotonic() + self.wall_budget_s
        self._send(
            {"op": "run", "source": program.source, "entry": program.entry, "params": program.params, "names": names}
        )
        while True:
            event = self._read(deadline, cpu_start)
            if event["type"] == "answer":
                return event["value"]
            if event["type"] == "error":
                raise SolutionFailed(f"solution raised {event['message']}\n{event.get('traceback', '')}".strip())
            reply = on_call(event["name"], event["arguments"])
            if reply is None:
                self._send({"cancel": True})
                self._read(deadline, cpu_start)
                raise SolutionFailed("the rollout stopped the solution", "stopped")
            ok, value = reply
            self._send({"ok": ok, "value": value})

    def close(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            for pipe in (self.proc.stdin, self.proc.stdout):
                try:
                    pipe.close()
                except OSError:
                    pass
            self.proc = None
