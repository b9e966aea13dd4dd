"""The in-sandbox side of serving: many episodes (sessions) over many environment instances in one process.

An instance (template folder, seed) is built once; each session gets its own connection holding a copy of the
instance's initial state (an SQLite backup), so the sessions of a GRPO group share one build and nothing else.
The host (synth.serving) decides which sessions live in which worker; a worker only keeps what it is told.
"""

from __future__ import annotations

import resource
from collections import OrderedDict
from typing import Any

from synth.env.service import EnvService, Episode
from synth.task import Program

MAX_IDLE_INSTANCES = 64  # built instances kept with no open session (most recently used first)


class SessionService:
    def __init__(self) -> None:
        self.instances: OrderedDict[tuple, EnvService] = OrderedDict()
        self.sessions: dict[str, tuple[tuple, Episode]] = {}

    def _instance(self, folder: str, seed: int, instance: str | None, extra_tools: list[dict] | None) -> EnvService:
        key = (folder, seed, instance)
        service = self.instances.get(key)
        if service is None:
            service = EnvService()
            service.rpc_load(folder, seed, instance)
            if extra_tools:
                service.rpc_install_tools(extra_tools)
            self.instances[key] = service
        self.instances.move_to_end(key)
        if len(self.instances) > MAX_IDLE_INSTANCES:  # only then can idle ones be too many (saves a scan per open)
            busy = {k for k, _ in self.sessions.values()}
            idle = [k for k in self.instances if k not in busy and k != key]
            for old in idle[: max(0, len(idle) - MAX_IDLE_INSTANCES)]:
                del self.instances[old]
        return service

    def _session(self, session: str) -> tuple[EnvService, Episode]:
        if session not in self.sessions:
            raise KeyError(f"no session {session!r} in this worker")
        key, episode = self.sessions[session]
        service = self.instances[key]
        service.use(episode)
        return service, episode

    def rpc_open(
        self,
        session: str,
        folder: str,
        seed: int,
        tools: list[str] | None,
        answer_schema: dict | None = None,
        extra_tools: list[dict] | None = None,
        instance: str | None = None,
    ) -> dict:
        """A new episode of the instance (folder, seed, named instance) offering `tools` (and submit_answer
        with a schema)."""
        if session in self.sessions:
            raise ValueError(f"session {session!r} is already open")
        service = self._instance(folder, seed, instance, extra_tools)
        self.sessions[session] = ((folder, seed, instance), service.new_episode(tools, answer_schema))
        return {"sessions": len(self.sessions), "instances": len(self.instances)}

    def rpc_call(self, session: str, name: str, arguments: Any) -> dict:
        """One tool call in a session; {"ok", "content", "done"} (done: the answer was submitted)."""
        service, episode = self._session(session)
        reply = service.rpc_call_tool(name, arguments)
        return {"ok": reply["ok"], "content": reply["content"], "done": episode.ended}

    def rpc_verify(self, session: str, verifier: dict, answer: str | None, library_source: str | None = None) -> dict:
        service, episode = self._session(session)
        return service.verify(Program.model_validate(verifier), answer, episode.submitted, library_source).model_dump()

    def rpc_close(self, session: str) -> bool:
        """Drop a session and its database; False when it was not open."""
        entry = self.sessions.pop(session, None)
        if entry is None:
            return False
        entry[1].db.close()
        return True

    def rpc_batch(self, calls: list[dict]) -> list[dict]:
        """Several calls in one request, in order: [{"method", "params"}] -> [{"result"} | {"error"}] (one failing
        call fails alone)."""
        replies = []
        for call in calls:
            try:
                handler = getattr(self, "rpc_" + call["method"], None)
                if handler is None or call["method"] == "batch":
                    raise AttributeError(f"unknown method {call['method']!r}")
                replies.append({"result": handler(**(call.get("params") or {}))})
            except Exception as exc:  # noqa: BLE001 - a failure is the caller's data, as in synth.sandbox.server
                replies.append({"error": {"type": type(exc).__name__, "message": str(exc)}})
        return replies

    def rpc_stats(self) -> dict:
        return {
            "sessions": len(self.sessions),
            "instances": len(self.instances),
            "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        }
