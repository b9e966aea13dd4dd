"""JSON-lines RPC server that runs inside a sandbox and hosts one service object.

Requests on stdin: {"id": n, "method": "name", "params": {...}}.
Replies on the original stdout: {"id": n, "result": ...} or {"id": n, "error": {...}}.
Anything the hosted code prints goes to stderr, so it can never break the protocol.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import traceback


def _load(service_path: str):
    module_name, _, attr = service_path.partition(":")
    return getattr(importlib.import_module(module_name), attr)()


def serve(service_path: str) -> None:
    channel = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    service = _load(service_path)
    channel.write(json.dumps({"id": 0, "result": "ready"}) + "\n")
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        reply: dict = {"id": request.get("id")}
        try:
            handler = getattr(service, "rpc_" + request["method"], None)
            if handler is None:
                raise AttributeError(f"unknown method {request['method']!r}")
            reply["result"] = handler(**(request.get("params") or {}))
        except Exception as exc:  # every failure goes back to the caller as data
            reply["error"] = {
                "type": type(exc).__name__,
                "message": str(exc),
                "traceback": traceback.format_exc()[-4000:],
            }
        channel.write(json.dumps(reply, default=str) + "\n")
