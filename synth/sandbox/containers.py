"""Sandbox container lifecycle through the Docker SDK: connect, label, remove, and clean up after crashes.

Every sandbox container carries the label `synth.sandbox` and an owner label naming the host process that
made it (host name, pid and that pid's start time). A process that dies without removing its containers
(SIGKILL, a lost node) leaves them behind; the next backend started on the same host removes every labelled
container whose owner is gone, and never touches those of live processes.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from functools import cache

LABEL = "synth.sandbox"
OWNER_LABEL = "synth.sandbox.owner"
API_TIMEOUT_S = 60


class DockerUnavailable(RuntimeError):
    pass


def _start_time(pid: int) -> str | None:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


@cache
def owner() -> str:
    return f"{socket.gethostname()}/{os.getpid()}/{_start_time(os.getpid())}"


def owner_is_gone(label: str) -> bool:
    """True only for an owner on this host whose process no longer exists (pids are checked with start time)."""
    host, _, rest = label.partition("/")
    pid, _, started = rest.partition("/")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    return _start_time(int(pid)) != started


def labels() -> dict[str, str]:
    return {LABEL: "1", OWNER_LABEL: owner()}


def new_name() -> str:
    return f"synth-sandbox-{uuid.uuid4().hex[:16]}"


_connect_lock = threading.Lock()
_clients: dict[int, object] = {}


def connect():
    """A Docker SDK client for this process; the first one also removes stale sandbox containers."""
    with _connect_lock:
        client = _clients.get(os.getpid())
        if client is not None:
            return client
        try:
            import docker
        except ImportError as exc:
            raise DockerUnavailable("the docker Python SDK is missing: pip install 'docker>=7'") from exc
        try:
            client = docker.from_env(timeout=API_TIMEOUT_S)
            client.ping()
        except Exception as exc:
            raise DockerUnavailable(
                f"cannot reach the Docker daemon ({type(exc).__name__}: {exc}); install it with "
                "`apt-get install -y docker.io` and start it (`dockerd > /tmp/dockerd.log 2>&1 &`), "
                "or use --sandbox bwrap"
            ) from None
        remove_stale(client)
        _clients[os.getpid()] = client
        return client


def remove(client, name: str) -> None:
    """Kill and remove a container; one that is already gone (or going) is fine."""
    import docker.errors

    try:
        client.api.remove_container(name, force=True)
    except docker.errors.NotFound:
        pass
    except docker.errors.APIError as exc:
        if exc.status_code != 409:  # 409: removal already in progress
            raise


def remove_stale(client) -> list[str]:
    """Remove sandbox containers left behind by processes of this host that no longer exist."""
    removed = []
    for c in client.api.containers(all=True, filters={"label": LABEL}):
        if owner_is_gone((c.get("Labels") or {}).get(OWNER_LABEL, "")):
            remove(client, c["Id"])
            removed.append(c["Id"])
    return removed


def sandbox_containers(client) -> list[dict]:
    """Every sandbox container the daemon knows, with its labels and state."""
    return client.api.containers(all=True, filters={"label": LABEL})
