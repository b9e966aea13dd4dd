"""A solution program's own interpreter, started by the environment's sandbox server for validation.

Standard library only, started as `python -I -S solution_child.py`. It holds no database and no verifier: the
program reaches the environment only through `tools.<name>(**arguments)`, each call a JSON line to the parent
and a reply back. Lines from the parent:
  {"op": "run", "source", "entry", "params", "names": {template name: offered name}}
  {"ok": bool, "value": ...} (a tool result), or {"cancel": true}
Lines to the parent: {"type": "call", "name", "arguments"} | {"type": "answer", "value"} |
  {"type": "error", "message", "traceback"} | {"type": "cancelled"}
"""

import json
import os
import sys
import traceback


class ToolFailed(Exception):
    """A tool call of the solution returned an error."""


class Cancelled(BaseException):
    pass


class Tools:
    """`tools.<template name>(**args)`; the call goes out under the name this environment offers."""

    def __init__(self, channel, names):
        self._channel, self._names = channel, names

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)

        def call(**arguments):
            return self._channel.call(self._names.get(name, name), arguments)

        return call


class Channel:
    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer

    def send(self, message):
        self.writer.write(json.dumps(message, default=str) + "\n")
        self.writer.flush()

    def receive(self):
        line = self.reader.readline()
        if not line:
            raise SystemExit(0)
        return json.loads(line)

    def call(self, name, arguments):
        self.send({"type": "call", "name": name, "arguments": arguments})
        reply = self.receive()
        if reply.get("cancel"):
            raise Cancelled()
        if not reply["ok"]:
            raise ToolFailed(reply["value"])
        return reply["value"]


def run(channel, request):
    namespace = {"__name__": "synth_program"}
    try:
        exec(compile(request["source"], f"<program {request['entry']}>", "exec"), namespace)
        answer = namespace[request["entry"]](Tools(channel, request.get("names") or {}), request.get("params") or {})
        channel.send({"type": "answer", "value": json.loads(json.dumps(answer, default=str))})
    except Cancelled:
        channel.send({"type": "cancelled"})
    except Exception as exc:
        channel.send(
            {"type": "error", "message": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc(limit=-4)}
        )


def main():
    protocol_out = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)  # whatever the program prints goes to stderr, never into the protocol
    sys.stdout = sys.stderr
    channel = Channel(sys.stdin, protocol_out)
    channel.send({"type": "ready"})
    while True:
        request = channel.receive()
        if request.get("op") == "run":
            run(channel, request)


if __name__ == "__main__":
    main()
