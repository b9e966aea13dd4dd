"""OpenEnv over an EnvPool, as openenv-core's clients speak it.

    WS   /ws       {"type": "reset", "data": {"task_id": ...}}   -> the opening messages and the tools
                   {"type": "step", "data": ACTION}             -> an observation, `reward` on the terminal step
                   {"type": "state"} | {"type": "close"} | {"type": "mcp", "data": JSON-RPC}
    POST /mcp      JSON-RPC: tools/list, tools/call, openenv/session/create {task_id}, openenv/session/close
                   (tools only, like OpenEnv's production mode: rewards come on the WebSocket)
    GET  /health, /schema, /metadata

Actions: {"type": "list_tools"}, {"type": "call_tool", "tool_name", "arguments"} (MCP's tools/list and tools/call)
and {"type": "answer", "content"} (the final message). The episode ends with the answer, or with a submit_answer call
that the tool accepts: that step is graded by the task's verifier and carries the reward (1.0 or 0.0) and `done`.
Each WebSocket connection holds one session at a time (a reset starts the next); closing or dropping the connection
closes it. A failed tool call is a result (`is_error`), never an error message: errors are for bad messages.
"""

from __future__ import annotations

import json
import logging
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from synth.serving.pool import EnvPool, Episode, PoolError

log = logging.getLogger(__name__)

# -- the wire models (their JSON schemas are what GET /schema returns) ------------------------------------------------


class ListToolsAction(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["list_tools"] = "list_tools"
    metadata: dict[str, Any] = Field(default_factory=dict)


class CallToolAction(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["call_tool"] = "call_tool"
    tool_name: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    metadata: dict[str, Any] = Field(default_factory=dict)


class AnswerAction(BaseModel):
    """The final message: ends the episode and is graded."""

    model_config = ConfigDict(extra="forbid")
    type: Literal["answer"] = "answer"
    content: str
    metadata: dict[str, Any] = Field(default_factory=dict)


Action = Annotated[ListToolsAction | CallToolAction | AnswerAction, Field(discriminator="type")]
ACTION = TypeAdapter(Action)


class Tool(BaseModel):
    name: str
    description: str
    input_schema: dict[str, Any]


class Observation(BaseModel):
    """What a reset or step observes; which fields are set depends on the message."""

    task_id: str | None = None
    messages: list[dict[str, Any]] | None = Field(None, description="reset: the opening chat messages")
    tools: list[Tool] | None = Field(None, description="reset and list_tools: the tools offered")
    tool_name: str | None = None
    result: dict[str, Any] | None = Field(None, description="call_tool: an MCP CallToolResult")
    error: dict[str, Any] | None = None
    passed: bool | None = Field(None, description="terminal step: the verifier's verdict")
    reasons: list[str] | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)


class EpisodeState(BaseModel):
    episode_id: str | None = None
    step_count: int = 0
    task_id: str | None = None
    answer_mode: str | None = None
    done: bool = False
    reward: float | None = None


class ResetData(BaseModel):
    model_config = ConfigDict(extra="allow")  # seed and the like are accepted and ignored: a task fixes its seed
    task_id: str
    answer_mode: Literal["text", "tool"] | None = None
    episode_id: str | None = Field(None, max_length=255)


class RpcRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    jsonrpc: Literal["2.0"]
    method: str
    params: dict[str, Any] = Field(default_factory=dict)
    id: str | int | None = None


class ProtocolError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def _problem(exc: ValidationError) -> str:
    first = exc.errors()[0]
    return f"{'.'.join(map(str, first['loc'])) or 'message'}: {first['msg']}"


def mcp_tools(episode: Episode) -> list[dict[str, Any]]:
    return [
        {
            "name": t["function"]["name"],
            "description": t["function"].get("description") or "",
            "input_schema": t["function"].get("parameters") or {"type": "object", "properties": {}},
        }
        for t in episode.tools
    ]


def tool_result(result: dict[str, Any]) -> dict[str, Any]:
    """An MCP CallToolResult; `data` is the text too (what openenv's MCPToolClient.call_tool returns)."""
    return {
        "content": [{"type": "text", "text": result["content"]}],
        "is_error": not result["ok"],
        "data": result["content"],
    }


def _observation(observation: Observation, reward: float | None = None, done: bool = False) -> dict[str, Any]:
    return {"observation": observation.model_dump(exclude_none=True), "reward": reward, "done": done}


class Session:
    """One connection's episode: its pool episode while it runs, its outcome after."""

    def __init__(self, pool: EnvPool):
        self.pool = pool
        self.episode: Episode | None = None
        self.state = EpisodeState()

    async def reset(self, data: dict[str, Any]) -> dict[str, Any]:
        try:
            reset = ResetData.model_validate(data)
        except ValidationError as exc:
            raise ProtocolError(
                "VALIDATION_ERROR",
                f'reset needs the task id ({{"task_id": ...}}; GET /tasks lists them): {_problem(exc)}',
            ) from None
        await self.close()
        try:
            self.episode = await self.pool.open(
                reset.task_id, answer_mode=reset.answer_mode, session_id=reset.episode_id
            )
        except PoolError as exc:
            raise ProtocolError("CAPACITY_REACHED" if exc.status == 503 else "EXECUTION_ERROR", str(exc)) from None
        e = self.episode
        self.state = EpisodeState(episode_id=e.id, task_id=e.task.task_id, answer_mode=e.answer_mode)
        return _observation(
            Observation(
                task_id=e.task.task_id,
                messages=e.messages,
                tools=[Tool(**t) for t in mcp_tools(e)],
                metadata={"answer_mode": e.answer_mode, "episode_id": e.id},
            )
        )

    def _running(self) -> Episode:
        if self.episode is None:
            if self.state.done:
                raise ProtocolError(
                    "SESSION_ERROR", f"the episode has ended (reward {self.state.reward}); send a reset for a new one"
                )
            raise ProtocolError("SESSION_ERROR", "no episode: send a reset with a task id first")
        return self.episode

    async def step(self, data: Any) -> dict[str, Any]:
        try:
            action = ACTION.validate_python(data)
        except ValidationError as exc:
            raise ProtocolError(
                "VALIDATION_ERROR",
                f"not an action (list_tools, call_tool with tool_name and "
                f"arguments, or answer with content): {_problem(exc)}",
            ) from None
        episode = self._running()
        self.state.step_count += 1
        if isinstance(action, ListToolsAction):
            return _observation(Observation(tools=[Tool(**t) for t in mcp_tools(episode)]))
        try:
            if isinstance(action, AnswerAction):
                return await self._finish(Observation(metadata={"answer": action.content}), action.content)
            result = await episode.call(action.tool_name, action.arguments)
            observation = Observation(tool_name=action.tool_name, result=tool_result(result))
            if result["done"]:  # submit_answer accepted: the terminal step
                return await self._finish(observation, None)
            return _observation(observation)
        except PoolError as exc:
            self.episode = None if exc.status == 404 or episode.id not in self.pool.episodes else episode
            raise ProtocolError("EXECUTION_ERROR", str(exc)) from None

    async def _finish(self, observation: Observation, answer: str | None) -> dict[str, Any]:
        episode = self._running()
        verdict = await episode.grade(answer)
        reward = 1.0 if verdict.passed else 0.0
        observation.passed, observation.reasons = verdict.passed, verdict.reasons
        observation.metadata |= {
            "passed": verdict.passed,
            "reasons": verdict.reasons,
            **({"verifier_error": verdict.error} if verdict.error else {}),
        }
        self.state.done, self.state.reward = True, reward
        await self.close()
        return _observation(observation, reward=reward, done=True)

    async def close(self) -> None:
        if self.episode is not None:
            episode, self.episode = self.episode, None
            await self.pool.close(episode.id)


class OpenEnvServer:
    def __init__(self, pool: EnvPool, name: str = "synth", description: str = "", version: str | None = None):
        self.pool = pool
        self.metadata = {"name": name, "description": description, "version": version}

    def routes(self) -> list[Route | WebSocketRoute]:
        return [
            WebSocketRoute("/ws", self.websocket),
            Route("/mcp", self.mcp_http, methods=["POST"]),
            Route("/health", self.health, methods=["GET"]),
            Route("/schema", self.schema, methods=["GET"]),
            Route("/metadata", self.get_metadata, methods=["GET"]),
        ]

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "healthy"})

    async def get_metadata(self, request: Request) -> Response:
        return JSONResponse(self.metadata)

    async def schema(self, request: Request) -> Response:
        return JSONResponse(
            {
                "action": ACTION.json_schema(),
                "observation": Observation.model_json_schema(),
                "state": EpisodeState.model_json_schema(),
            }
        )

    async def websocket(self, websocket: WebSocket) -> None:
        await websocket.accept()
        session = Session(self.pool)
        try:
            while True:
                reply = await self._message(session, await websocket.receive_text())
                if reply is None:  # the client said close
                    await websocket.close()
                    break
                await websocket.send_text(json.dumps(reply))
        except WebSocketDisconnect:
            pass
        except Exception as exc:  # noqa: BLE001 - the client went away mid-reply, say: its session closes all the same
            log.debug("WebSocket session ended: %s: %s", type(exc).__name__, exc)
        finally:
            await session.close()  # a client that vanished mid-episode leaves nothing open

    async def _message(self, session: Session, raw: str) -> dict[str, Any] | None:
        try:
            message = json.loads(raw)
        except json.JSONDecodeError as exc:
            return {"type": "error", "data": {"message": f"Invalid JSON: {exc}", "code": "INVALID_JSON"}}
        if not isinstance(message, dict):
            return {
                "type": "error",
                "data": {"message": "a message is a JSON object with a type", "code": "INVALID_JSON"},
            }
        kind = message.get("type")
        try:
            if kind == "reset":
                return {"type": "observation", "data": await session.reset(message.get("data") or {})}
            if kind == "step":
                return {"type": "observation", "data": await session.step(message.get("data"))}
            if kind == "state":
                return {"type": "state", "data": session.state.model_dump()}
            if kind == "close":
                await session.close()
                return None
            if kind == "mcp":
                return {"type": "mcp", "data": await self._rpc(message.get("data"), session)}
        except ProtocolError as exc:
            return {"type": "error", "data": {"message": str(exc), "code": exc.code}}
        except Exception as exc:  # a bug answers this message; the connection and the server go on
            log.exception("OpenEnv message %r failed", kind)
            return {"type": "error", "data": {"message": f"{type(exc).__name__}: {exc}", "code": "EXECUTION_ERROR"}}
        return {
            "type": "error",
            "data": {
                "message": f"Unknown message type: {kind!r} (reset, step, state, close, mcp)",
                "code": "UNKNOWN_TYPE",
            },
        }

    async def mcp_http(self, request: Request) -> Response:
        try:
            data = json.loads(await request.body())
        except (json.JSONDecodeError, UnicodeDecodeError):
            return JSONResponse(_rpc_error(None, -32700, "Parse error: the body is not valid JSON"))
        return JSONResponse(await self._rpc(data, None))

    async def _rpc(self, data: Any, session: Session | None) -> dict[str, Any]:
        """MCP JSON-RPC: on a WebSocket, within the connection's episode; over HTTP, within the session named by
        params.session_id (openenv/session/create opens one for params.task_id)."""
        try:
            request = RpcRequest.model_validate(data)
        except ValidationError as exc:
            return _rpc_error(
                data.get("id") if isinstance(data, dict) else None, -32600, f"Invalid Request: {_problem(exc)}"
            )
        rid, params = request.id, request.params
        try:
            if request.method == "openenv/session/create":
                if session is not None:
                    return _rpc_ok(rid, {"session_id": session._running().id})
                task_id = params.get("task_id")
                if not isinstance(task_id, str):
                    return _rpc_error(rid, -32602, "openenv/session/create needs params.task_id")
                episode = await self.pool.open(task_id, answer_mode=params.get("answer_mode"))
                return _rpc_ok(rid, {"session_id": episode.id})
            if request.method == "openenv/session/close":
                sid = params.get("session_id")
                if not isinstance(sid, str):
                    return _rpc_error(rid, -32602, "openenv/session/close needs params.session_id")
                if not await self.pool.close(sid):
                    return _rpc_error(
                        rid, -32602, f"Unknown session_id: {sid} (closed already, timed out, or never opened)"
                    )
                return _rpc_ok(rid, {"session_id": sid, "closed": True})
            if request.method not in ("tools/list", "tools/call"):
                return _rpc_error(
                    rid,
                    -32601,
                    f"Method not found: {request.method} (tools/list, tools/call, "
                    f"openenv/session/create, openenv/session/close)",
                )
            if session is not None:
                episode = session._running()
            elif isinstance(params.get("session_id"), str):
                episode = self.pool.episode(params["session_id"])
            else:
                return _rpc_error(rid, -32602, "params.session_id is required (openenv/session/create opens one)")
            if request.method == "tools/list":
                return _rpc_ok(
                    rid,
                    {
                        "tools": [
                            {"name": t["name"], "description": t["description"], "inputSchema": t["input_schema"]}
                            for t in mcp_tools(episode)
                        ]
                    },
                )
            name, arguments = params.get("name"), params.get("arguments", {})
            if not isinstance(name, str) or not isinstance(arguments, dict):
                return _rpc_error(
                    rid, -32602, "tools/call needs params.name (a string) and params.arguments (an object)"
                )
            if session is not None:
                session.state.step_count += 1
            result = await episode.call(name, arguments)
            if session is not None and result["done"]:
                finished = await session._finish(Observation(tool_name=name, result=tool_result(result)), None)
                return _rpc_ok(rid, {**tool_result(result), "reward": finished["reward"], "done": True})
            return _rpc_ok(rid, {**tool_result(result), "done": result["done"]})
        except ProtocolError as exc:
            return _rpc_error(rid, -32600, str(exc))
        except PoolError as exc:
            return _rpc_error(rid, -32602 if exc.status == 404 else -32000, str(exc))


def _rpc_ok(rid: Any, result: Any) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": rid, "result": result}


def _rpc_error(rid: Any, code: int, message: str) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": rid, "error": {"code": code, "message": message}}
