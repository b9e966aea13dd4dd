"""Sandboxes kept alive across environment instances within one worker process.

Starting a sandbox costs more than building an environment inside one, so a worker that runs many
environments of trusted templates (hand-written, procedural proposers) loads each new instance into the
same sandboxes. Anything that failed is dropped, and every sandbox is recycled after RECYCLE_AFTER uses or once
it has used half of its CPU limit.
Model-written code never goes through the pool: it always gets fresh sandboxes.
"""

from __future__ import annotations

import atexit
from pathlib import Path

from synth.pipeline.validate import VALIDATION_SERVICE
from synth.sandbox import SandboxBackend, SandboxLimits, ServerProcess

RECYCLE_AFTER = 200
CPU_SHARE = 0.5  # a pooled sandbox is replaced once it has used this share of its CPU limit


class SandboxPool:
    def __init__(self) -> None:
        self._env_servers: dict[tuple, tuple[ServerProcess, int]] = {}
        atexit.register(self.close)

    def env_server(self, backend: SandboxBackend, limits: SandboxLimits, root: Path) -> ServerProcess:
        key = (backend.name, limits, root)
        server, uses = self._env_servers.pop(key, (None, 0))
        if server is not None and server.alive and not self._fresh_enough(server, limits):
            server.close()
        if server is None or not server.alive or uses >= RECYCLE_AFTER:
            if server is not None:
                server.close()
            server, uses = backend.start_server(VALIDATION_SERVICE, limits, mounts=[root]), 0
        self._env_servers[key] = (server, uses + 1)
        return server

    @staticmethod
    def _fresh_enough(server: ServerProcess, limits: SandboxLimits) -> bool:
        """Whether a sandbox has CPU time left for another environment: its RLIMIT_CPU counts every environment it
        ran, and hitting it mid-task would fail that task for no fault of its own."""
        try:
            return server.call("cpu") < limits.cpu_s * CPU_SHARE
        except Exception:
            return False

    def close(self) -> None:
        for server, _ in self._env_servers.values():
            server.close()
        self._env_servers.clear()


POOL = SandboxPool()
