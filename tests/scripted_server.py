"""A scripted OpenAI-compatible chat-completions server on 127.0.0.1: a protocol test double.

It is not a model. Each test scripts what it answers (assistant replies, tool calls, reasoning in
either field, DSML markup in `content`) and how it fails (429 with Retry-After, 5xx, delays, dropped
connections, context-length errors); it records every request that reaches it. Real sockets, real
HTTP, so the unchanged `openai` client talks to it exactly as to a served model.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Union


@dataclass
class Reply:
    content: str | None = None
    reasoning: str | None = None
    reasoning_field: str = "reasoning_content"  # newer vLLM: "reasoning"
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    finish_reason: str | None = None
    usage: dict[str, Any] | None = None  # default: about four characters a token
    delay_s: float = 0.0


@dataclass
class Fault:
    status: int
    message: str = "scripted failure"
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    error_type: str = "server_error"


@dataclass
class Drop:
    """Close the connection without answering."""

    delay_s: float = 0.0


Step = Union[Reply, Fault, Drop]
Handler = Callable[[dict[str, Any], int], Step]


def call(name: str, arguments: dict[str, Any] | str, id: str | None = None) -> dict[str, Any]:
    """A tool call in OpenAI format; a str `arguments` goes out as is (malformed JSON included)."""
    args = arguments if isinstance(arguments, str) else json.dumps(arguments)
    return {
        "id": id or f"call_{name}_{abs(hash(args)) % 10_000}",
        "type": "function",
        "function": {"name": name, "arguments": args},
    }


def rate_limited(retry_after: str = "1") -> Fault:
    return Fault(
        429, "Rate limit reached; slow down", headers={"Retry-After": retry_after}, error_type="rate_limit_error"
    )


def context_length(limit: int = 131072) -> Fault:
    return Fault(
        400,
        f"This model's maximum context length is {limit} tokens. However, you requested "
        f"{limit + 5000} tokens in the messages. Please reduce the length of the messages.",
        error_type="invalid_request_error",
    )


def dsml(name: str, **params: Any) -> str:
    """DeepSeek's DSML tool-call markup, as a server that failed to parse it would return it in `content`."""
    body = "".join(
        f'<｜DSML｜parameter name="{k}" string="{str(isinstance(v, str)).lower()}">'
        f"{v if isinstance(v, str) else json.dumps(v)}</｜DSML｜parameter>\n"
        for k, v in params.items()
    )
    return (
        f'<｜DSML｜function_calls>\n<｜DSML｜invoke name="{name}">\n{body}</｜DSML｜invoke>\n</｜DSML｜function_calls>'
    )


def _usage(body: dict[str, Any], reply: Reply) -> dict[str, Any]:
    if reply.usage is not None:
        return reply.usage
    completion = (
        len(reply.content or "")
        + len(reply.reasoning or "")
        + sum(len(c["function"]["arguments"]) for c in reply.tool_calls)
    )
    prompt = len(json.dumps(body.get("messages", []))) // 4
    reasoning = len(reply.reasoning or "") // 4
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion // 4 + 1,
        "total_tokens": prompt + completion // 4 + 1,
        "completion_tokens_details": {"reasoning_tokens": reasoning},
    }


class ScriptedServer:
    """`script`: steps answered in order (thread-safe), or `handler(body, n)` deciding per request.
    `latency_s` is added to every reply (the benchmark's injected per-call latency)."""

    def __init__(self, script: list[Step] | None = None, *, handler: Handler | None = None, latency_s: float = 0.0):
        self.script = list(script or [])
        self.handler = handler
        self.latency_s = latency_s
        self.requests: list[dict[str, Any]] = []  # request bodies, in arrival order
        self.in_flight = self.max_in_flight = 0  # requests being answered at once, now and at most
        self.headers: list[dict[str, str]] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def add(self, *steps: Step) -> None:
        with self._lock:
            self.script.extend(steps)

    def _next(self, body: dict[str, Any]) -> Step:
        with self._lock:
            n = len(self.requests)
            self.requests.append(body)
            if self.handler is None:
                return self.script.pop(0) if self.script else Fault(500, f"nothing scripted for request {n}")
        return self.handler(body, n)

    def start(self) -> "ScriptedServer":
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out in two writes: no delayed-ACK stall

            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path.rstrip("/").endswith("/models"):
                    self._send(200, {"object": "list", "data": [{"id": "scripted", "object": "model"}]})
                else:
                    self._send(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(404, {"error": {"message": f"no route {self.path}"}})
                    return
                with server._lock:
                    server.headers.append({k.lower(): v for k, v in self.headers.items()})
                step = server._next(body)
                with server._lock:
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                time.sleep(server.latency_s + step.delay_s)
                with server._lock:
                    server.in_flight -= 1
                try:
                    if isinstance(step, Drop):
                        self.close_connection = True
                        return
                    if isinstance(step, Fault):
                        self._send(
                            step.status,
                            {"error": {"message": step.message, "type": step.error_type, "code": step.status}},
                            step.headers,
                        )
                        return
                    message: dict[str, Any] = {"role": "assistant", "content": step.content}
                    if step.reasoning is not None:
                        message[step.reasoning_field] = step.reasoning
                    if step.tool_calls:
                        message["tool_calls"] = step.tool_calls
                    finish = step.finish_reason or ("tool_calls" if step.tool_calls else "stop")
                    self._send(
                        200,
                        {
                            "id": f"chatcmpl-{len(server.requests)}",
                            "object": "chat.completion",
                            "created": 0,
                            "model": body.get("model", ""),
                            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                            "usage": _usage(body, step),
                        },
                    )
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler, bind_and_activate=False)
        httpd.daemon_threads = True
        httpd.request_queue_size = 1024
        httpd.server_bind()
        httpd.server_activate()
        self._httpd = httpd
        threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def __enter__(self) -> "ScriptedServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
