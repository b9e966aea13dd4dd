"""Docker backend: one container per sandbox; no network, read-only root, tmpfs scratch, cgroup caps.

The Docker SDK creates, labels and removes the containers. The `docker start --attach --interactive` client
carries the sandbox's stdin, stdout and stderr, so timeouts, output caps and the RPC protocol are handled by
the same code as for bubblewrap; inside, synth/sandbox/boot.py applies the same rlimits. The container runs
as an unprivileged uid of its own from the first instruction and holds no capabilities at all.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
from pathlib import Path

from synth.sandbox.backend import (
    BOOT,
    JOB_DIR,
    PROJECT_ROOT,
    SANDBOX_PYTHONPATH,
    SandboxBackend,
    clean_environment,
    job_folder,
)
from synth.sandbox.containers import DockerUnavailable, connect, labels, new_name, remove
from synth.sandbox.image import ImageInfo, default_image, inspect_image
from synth.sandbox.limits import SandboxLimits
from synth.sandbox.process import ServerProcess, run_to_completion
from synth.sandbox.result import RunResult

CPUS_PER_SANDBOX = 1.0
MEMORY_HEADROOM_MB = 64  # the init process and the interpreter's own mappings, on top of memory and scratch
FIRST_SANDBOX_UID = 200_000
_uids = itertools.count()
CLIENT_ENV = ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CONFIG", "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY", "HOME")


class DockerBackend(SandboxBackend):
    name = "docker"

    def __init__(self, image: str | None = None, cpus: float = CPUS_PER_SANDBOX):
        if shutil.which("docker") is None:
            raise DockerUnavailable("the docker command line client is missing: apt-get install -y docker.io")
        self.client = connect()
        name = image or default_image()
        info = inspect_image(self.client, name)
        if info is None:
            raise DockerUnavailable(
                f"sandbox image {name} not found: build it offline with `synth sandbox build-image`, or with "
                f"`docker build -t {name} -f docker/Dockerfile .` where a registry is reachable"
            )
        self.image: ImageInfo = info
        self.cpus = cpus

    def uid(self) -> int:
        # A fresh uid per sandbox keeps one sandbox's process cap from starving another.
        return FIRST_SANDBOX_UID + (os.getpid() * 1000 + next(_uids)) % 800_000

    def python_argv(self, spec: dict) -> list[str]:
        return [self.image.python, "-B", "-s", str(BOOT), json.dumps(spec)]

    def environment(self) -> dict[str, str]:
        env = clean_environment()
        env["PYTHONPATH"] = ":".join(p for p in (SANDBOX_PYTHONPATH, self.image.pythonpath) if p)
        return env

    def create(
        self,
        argv: list[str],
        limits: SandboxLimits,
        mounts: list[Path],
        job_dir: Path | None,
        uid: int,
        *,
        auto_remove: bool = False,
    ) -> str:
        """Create (not start) the container for one sandbox; returns its name. With `auto_remove` the daemon
        removes it as soon as it exits: a server exits when its client goes away, even if we died."""
        from docker.types import LogConfig

        binds = {str(m): {"bind": str(m), "mode": "ro"} for m in mounts}
        if job_dir is not None:
            binds[str(job_dir)] = {"bind": JOB_DIR, "mode": "ro"}
        memory = f"{limits.memory_mb + limits.scratch_mb + MEMORY_HEADROOM_MB}m"
        host_config = self.client.api.create_host_config(
            binds=binds,
            network_mode="none",
            read_only=True,
            init=True,
            auto_remove=auto_remove,
            tmpfs={"/tmp": f"rw,nosuid,nodev,size={limits.scratch_mb}m,mode=1777"},
            cap_drop=["ALL"],
            security_opt=["no-new-privileges"],
            nano_cpus=int(self.cpus * 1e9),
            mem_limit=memory,
            memswap_limit=memory,
            pids_limit=limits.max_procs + 4,
            log_config=LogConfig(type="none"),  # output never reaches disk
        )
        name = new_name()
        # stdin_open without detach also sets StdinOnce: when our client goes away, the sandbox sees EOF.
        self.client.api.create_container(
            self.image.name,
            command=argv,
            name=name,
            user=f"{uid}:{uid}",
            environment=self.environment(),
            working_dir="/tmp",
            hostname="sandbox",
            labels=labels(),
            stdin_open=True,
            network_disabled=True,
            host_config=host_config,
        )
        return name

    def attach_argv(self, name: str) -> list[str]:
        # Requests are JSON lines, which never contain the client's detach keys (raw control bytes).
        return ["docker", "start", "--attach", "--interactive", name]

    def wrap(self, argv: list[str], limits: SandboxLimits, mounts: list[Path], job_dir: Path | None) -> list[str]:
        """Creates the container and returns the command that starts it attached; remove it afterwards."""
        return self.attach_argv(self.create(argv, limits, mounts, job_dir, self.uid()))

    def mounts(self, extra: list[Path]) -> list[Path]:
        return [p for p in (PROJECT_ROOT / "synth", PROJECT_ROOT / "verifiers") if p.exists()] + list(extra)

    def run_file(self, path: Path, limits: SandboxLimits) -> RunResult:
        with job_folder(path) as job:
            uid = self.uid()
            spec = {"mode": "file", "path": JOB_DIR + "/main.py", "limits": limits.model_dump(), "uid": uid}
            name = self.create(self.python_argv(spec), limits, self.mounts([]), job, uid)
            try:
                result = run_to_completion(self.attach_argv(name), limits, self.host_environment())
                if result.killed_reason is None and self._oom_killed(name):
                    result = result.model_copy(update={"killed_reason": "memory_limit", "exit_code": None})
                return result
            finally:
                remove(self.client, name)

    def start_server(self, service: str, limits: SandboxLimits, mounts: list[Path] = ()) -> ServerProcess:
        uid = self.uid()
        spec = {"mode": "server", "service": service, "limits": limits.model_dump(), "uid": uid}
        name = self.create(self.python_argv(spec), limits, self.mounts(list(mounts)), None, uid, auto_remove=True)
        try:
            return ServerProcess(
                self.attach_argv(name), limits, self.host_environment(), on_close=lambda: remove(self.client, name)
            )
        except OSError:
            remove(self.client, name)
            raise

    def _oom_killed(self, name: str) -> bool:
        try:
            return bool(self.client.api.inspect_container(name)["State"].get("OOMKilled"))
        except Exception:
            return False

    def host_environment(self) -> dict[str, str]:
        env = {"PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin")}
        return env | {k: os.environ[k] for k in CLIENT_ENV if k in os.environ}
