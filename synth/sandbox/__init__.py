"""Sandboxes: every piece of environment, solution and verifier code runs inside one."""

from synth.sandbox.backend import SandboxBackend
from synth.sandbox.limits import SandboxLimits
from synth.sandbox.process import ServerProcess
from synth.sandbox.result import RunResult, SandboxCallError, SandboxError

BACKENDS = ("bwrap", "docker", "none")


def get_backend(name: str) -> SandboxBackend:
    if name == "bwrap":
        from synth.sandbox.bwrap import BwrapBackend

        return BwrapBackend()
    if name == "docker":
        from synth.sandbox.docker import DockerBackend

        return DockerBackend()
    if name == "none":
        from synth.sandbox.none import NoSandbox

        return NoSandbox()
    raise ValueError(f"unknown sandbox backend {name!r}; choose one of: {', '.join(BACKENDS)}")


__all__ = [
    "BACKENDS",
    "RunResult",
    "SandboxBackend",
    "SandboxCallError",
    "SandboxError",
    "SandboxLimits",
    "ServerProcess",
    "get_backend",
]
