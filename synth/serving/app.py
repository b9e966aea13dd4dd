"""`synth envs serve`: one server, both protocols, over one EnvPool of a run's tasks.

NeMo Gym (synth.serving.nemo_gym) and OpenEnv (synth.serving.openenv) share the pool, so the limits hold for both:
`max_sessions` open episodes, `ttl_s` of idleness before the reaper closes one, `workers` sandboxed worker processes
(tasks with model-written tools get their own, closed with their last session). By default the workers build the
run's environment instances before the server takes requests (`warm=False`: on first use). Every request passes the
guard (synth.serving.guard): the bearer token when one is set (required off loopback) and the body size limit.
GET /tasks lists the task ids; GET /stats counts open sessions per worker.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from synth import __version__
from synth.sandbox import SandboxLimits
from synth.serving.guard import Guard
from synth.serving.nemo_gym import NemoGymServer
from synth.serving.openenv import OpenEnvServer
from synth.serving.pool import EnvPool

MAX_BODY_BYTES = 1_000_000


def serving_limits(memory_mb: int = 4096) -> SandboxLimits:
    """Limits of a serving worker, which lives for hours: RLIMIT_CPU caps a process's lifetime CPU, so it is set to
    a week (each call stays capped by the per-call timeout); the address space holds every session's database copy
    (about 0.4 MB a session for the bank family)."""
    return SandboxLimits(cpu_s=7 * 24 * 3600, memory_mb=memory_mb)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def create_app(
    pool: EnvPool, *, token: str | None = None, max_body_bytes: int = MAX_BODY_BYTES, warm: bool = False
) -> Guard:
    """The ASGI app serving `pool` (entered and shut down with the app's lifespan; with `warm`, the pool builds its
    environment instances before the server takes requests)."""
    nemo = NemoGymServer(pool)
    openenv = OpenEnvServer(
        pool,
        name="synth",
        version=__version__,
        description=f"{len(pool.rows)} tasks of the synth run {pool.run_dir.name}",
    )

    async def tasks(request: Request) -> Response:
        return JSONResponse(
            {
                "tasks": [
                    {
                        "task_id": tid,
                        "template": row["template"],
                        "difficulty": row["difficulty"],
                        "answer_mode": row.get("answer_mode") or "text",
                    }
                    for tid, row in sorted(pool.rows.items())
                ]
            }
        )

    async def stats(request: Request) -> Response:
        return JSONResponse(await pool.stats())

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with pool:
            if warm:
                await pool.warm()
            yield

    routes = [
        Route("/tasks", tasks, methods=["GET"]),
        Route("/stats", stats, methods=["GET"]),
        *openenv.routes(),
        *nemo.routes(),
        nemo.tool_route(),  # it catches the rest: last
    ]
    return Guard(Starlette(routes=routes, lifespan=lifespan), token=token, max_body_bytes=max_body_bytes)


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def serve(
    run_dir: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 2,
    max_sessions: int = 2048,
    ttl_s: float = 900.0,
    token: str | None = None,
    max_body_bytes: int = MAX_BODY_BYTES,
    sandbox: str = "bwrap",
    envs_dirs: list[Path] = (),
    worker_memory_mb: int = 4096,
    warm: bool = True,
    on_ready: Callable[[str], Any] | None = None,
) -> None:
    """Serve until interrupted (SIGINT/SIGTERM); the pool's workers are closed on the way out."""
    import uvicorn

    if not is_loopback(host) and not token:
        raise ValueError(
            f"binding {host} exposes the server beyond this machine: pass --token-env NAME "
            f"(a variable holding the token clients send as 'Authorization: Bearer <token>')"
        )
    pool = EnvPool(
        run_dir,
        workers=workers,
        max_sessions=max_sessions,
        ttl_s=ttl_s,
        sandbox=sandbox,
        limits=serving_limits(worker_memory_mb),
        envs_dirs=list(envs_dirs),
    )
    app = create_app(pool, token=token, max_body_bytes=max_body_bytes, warm=warm)
    sock = bind(host, port)
    bound = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="on",
        ws_max_size=max_body_bytes,
        timeout_keep_alive=75,
        backlog=2048,
    )
    server = uvicorn.Server(config)
    url = f"http://{host if ':' not in host else f'[{host}]'}:{bound}"

    original_startup = server.startup

    async def startup(sockets: list[socket.socket] | None = None) -> None:
        await original_startup(sockets=sockets)
        if on_ready is not None and server.started:
            on_ready(url)

    server.startup = startup  # type: ignore[method-assign]
    server.run(sockets=[sock])
