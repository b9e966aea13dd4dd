"""The public result of running a program in a sandbox (`synth sandbox run` prints it as JSON)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

KilledReason = Literal["timeout", "cpu_limit", "output_limit", "memory_limit"]


class RunResult(BaseModel):
    exit_code: int | None
    stdout: str
    stderr: str
    timed_out: bool
    killed_reason: KilledReason | None
    duration_s: float


class SandboxError(RuntimeError):
    """A sandboxed server failed: it crashed, hung past its timeout or broke the protocol."""

    def __init__(self, message: str, *, reason: str, stderr_tail: str = ""):
        super().__init__(message if not stderr_tail else f"{message}\n--- sandbox stderr (tail) ---\n{stderr_tail}")
        self.reason = reason
        self.stderr_tail = stderr_tail


class SandboxCallError(RuntimeError):
    """Code inside the sandbox raised while serving a call; the sandbox itself is still alive."""

    def __init__(self, error_type: str, message: str, traceback: str = ""):
        super().__init__(f"{error_type}: {message}")
        self.error_type = error_type
        self.message = message
        self.traceback = traceback
