"""In-sandbox runner that executes a solution program one tool call at a time.

The program runs in a thread; each `tools.<name>(**args)` pauses it and hands the call to the host, which
executes the call for real in the environment and resumes the program with the result. This sandbox
never holds the environment's database: solutions can reach the world only through tools.
"""

from __future__ import annotations

import json
import queue
import threading
import traceback
from typing import Any

from synth.programs import entry_point
from synth.task import Program


class ToolFailed(Exception):
    """A tool call of the solution returned an error."""


class _Cancelled(BaseException):
    pass


class _Tools:
    """`tools.<template name>(**args)`; the call goes out under the name this environment offers."""

    def __init__(self, session: "_Session", names: dict[str, str]) -> None:
        self._session, self._names = session, names

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)

        def call(**arguments: Any) -> Any:
            return self._session.call(self._names.get(name, name), arguments)

        return call


class _Session:
    def __init__(self, program: Program, tool_names: dict[str, str]) -> None:
        self.program, self.tool_names = program, tool_names
        self.events: queue.Queue[dict] = queue.Queue()
        self.results: queue.Queue[dict | None] = queue.Queue()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def call(self, name: str, arguments: dict) -> Any:
        self.events.put({"type": "call", "name": name, "arguments": arguments})
        reply = self.results.get()
        if reply is None:
            raise _Cancelled()
        try:
            value = json.loads(reply["content"])
        except (json.JSONDecodeError, TypeError):
            value = reply["content"]
        if not reply["ok"]:
            raise ToolFailed(value.get("error", value) if isinstance(value, dict) else value)
        return value

    def _run(self) -> None:
        try:
            answer = entry_point(self.program)(_Tools(self, self.tool_names), self.program.params)
            self.events.put({"type": "answer", "value": json.loads(json.dumps(answer, default=str))})
        except _Cancelled:
            return
        except Exception as exc:
            self.events.put({"type": "error", "message": f"{type(exc).__name__}: {exc}",
                             "traceback": traceback.format_exc(limit=-4)})

    def cancel(self) -> None:
        if self.thread.is_alive():
            self.results.put(None)
            self.thread.join(timeout=5)


class SolutionService:
    def __init__(self) -> None:
        self.session: _Session | None = None

    def rpc_start(self, program: dict, tool_names: dict[str, str] | None = None) -> dict:
        if self.session is not None:
            self.session.cancel()
        self.session = _Session(Program.model_validate(program), tool_names or {})
        return self.session.events.get()

    def rpc_resume(self, ok: bool, content: str) -> dict:
        self.session.results.put({"ok": ok, "content": content})
        return self.session.events.get()
