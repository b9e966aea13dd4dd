"""NeMo Gym resources server over an EnvPool, as NeMo Gym's own servers speak it.

    POST /seed_session       the task row (or {"task_id": ...}); opens a session and sets its cookie
    POST /{tool}             JSON arguments; the tool's result is the body, as the model reads it
    POST /verify             the row + {"response": {"output": [...]}} -> the row, the response and `reward`
    POST /aggregate_metrics  {"verify_responses": [...]} -> group, agent and key metrics

A session is one pool episode; its id travels in the cookie `synth_session` (or the header `X-Synth-Session`). The
cookie is set by /seed_session and set again, unchanged, on every tool reply, so a client that keeps only the cookies
of /seed_session and one that keeps those of each last reply both stay in their episode. /verify grades the episode
(a submit_answer call in the output counts when the session has not received one; else the final message's text) and
closes it. A failed tool call is a result for the model (200, with `X-Synth-Tool-Ok: false`), never a server error.
Tools named like a reserved route are reached under their listed names (see synth.serving.responses).
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from synth.serving.pool import EnvPool, Episode, PoolError, UnknownSession
from synth.serving.responses import final_text, flat_tools, route_names, submitted_arguments
from synth.task import SUBMIT_ANSWER

COOKIE = "synth_session"
HEADER = "x-synth-session"
TASK_INDEX = "_ng_task_index"


class SeedSession(BaseModel):
    model_config = ConfigDict(extra="allow")

    task_id: str
    answer_mode: str | None = None


class ResponseBody(BaseModel):
    model_config = ConfigDict(extra="allow")

    output: list[dict[str, Any]]


class VerifyRequest(BaseModel):
    model_config = ConfigDict(extra="allow")

    responses_create_params: dict[str, Any]
    response: ResponseBody
    task_id: str | None = None


class AggregateRequest(BaseModel):
    verify_responses: list[dict[str, Any]]


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _problem(exc: ValidationError) -> str:
    first = exc.errors()[0]
    return f"{'.'.join(map(str, first['loc'])) or 'body'}: {first['msg']}"


async def _json_body(request: Request) -> Any:
    raw = await request.body()
    try:
        return json.loads(raw) if raw.strip() else {}
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PoolError(f"the body is not valid JSON ({exc})") from None


class NemoGymServer:
    def __init__(self, pool: EnvPool):
        self.pool = pool
        self._routes: dict[str, dict[str, str]] = {}  # "task id/answer mode" -> {listed name: tool name}

    def routes(self) -> list[Route]:
        """The routes; the tool route catches every other POST path, so it goes after all others."""
        return [
            Route("/seed_session", self.seed_session, methods=["POST"]),
            Route("/verify", self.verify, methods=["POST"]),
            Route("/aggregate_metrics", self.aggregate_metrics, methods=["POST"]),
        ]

    def tool_route(self) -> Route:
        return Route("/{name:str}", self.call_tool, methods=["POST"])

    def _tool_routes(self, episode: Episode) -> dict[str, str]:
        key = f"{episode.task.task_id}/{episode.answer_mode}"
        if key not in self._routes:
            self._routes[key] = route_names(t["function"]["name"] for t in episode.tools)
        return self._routes[key]

    def _session_id(self, request: Request) -> str | None:
        return request.headers.get(HEADER) or request.cookies.get(COOKIE)

    def _episode(self, request: Request, route: str) -> Episode:
        sid = self._session_id(request)
        if not sid:
            raise UnknownSession(
                f"{route} needs a session: send the cookie {COOKIE!r} that POST /seed_session set "
                f"(or its session_id in the header X-Synth-Session)"
            )
        try:
            return self.pool.episode(sid)
        except UnknownSession as exc:
            raise UnknownSession(f"{exc} (an episode ends at /verify; POST /seed_session starts another)") from None

    @staticmethod
    def _with_cookie(response: Response, sid: str) -> Response:
        response.set_cookie(COOKIE, sid, httponly=True, samesite="lax")
        return response

    async def seed_session(self, request: Request) -> Response:
        try:
            body = SeedSession.model_validate(await _json_body(request))
        except ValidationError as exc:
            return error(
                400, f'seed_session takes the task row (with its task_id) or {{"task_id": ...}}: {_problem(exc)}'
            )
        except PoolError as exc:
            return error(exc.status, f"seed_session: {exc}")
        previous = self._session_id(request)
        if previous:  # a client seeding again with the cookie of its last episode is done with that one
            await self.pool.close(previous)
        try:
            episode = await self.pool.open(body.task_id, answer_mode=body.answer_mode)
        except PoolError as exc:
            return error(exc.status, str(exc))
        return self._with_cookie(
            JSONResponse(
                {
                    "session_id": episode.id,
                    "task_id": episode.task.task_id,
                    "answer_mode": episode.answer_mode,
                    "tools": flat_tools(episode.tools),
                }
            ),
            episode.id,
        )

    async def call_tool(self, request: Request) -> Response:
        name = request.path_params["name"]
        try:
            episode = self._episode(request, f"POST /{name}")
            raw = await request.body()
            try:
                arguments = raw.decode() if raw.strip() else "{}"
            except UnicodeDecodeError:
                arguments = raw.decode(errors="replace")  # the sandbox answers that it is not JSON
            result = await episode.call(self._tool_routes(episode).get(name, name), arguments)
        except PoolError as exc:
            return error(exc.status, str(exc))
        content = result["content"]
        media = (
            "application/json"
            if content[:1] in ("{", "[", '"') or content in ("true", "false", "null")
            else "text/plain; charset=utf-8"
        )
        return self._with_cookie(
            Response(content, media_type=media, headers={"x-synth-tool-ok": "true" if result["ok"] else "false"}),
            episode.id,
        )

    async def verify(self, request: Request) -> Response:
        try:
            raw = await _json_body(request)
            body = VerifyRequest.model_validate(raw)
        except ValidationError as exc:
            return error(
                400,
                f'verify takes the task row plus the response ({{"response": {{"output": [...]}}}}): {_problem(exc)}',
            )
        except PoolError as exc:
            return error(exc.status, f"verify: {exc}")
        try:
            episode = self._episode(request, "POST /verify")
            if body.task_id is not None and body.task_id != episode.task.task_id:
                return error(
                    409,
                    f"the session is an episode of {episode.task.task_id}, but /verify got the row of {body.task_id}",
                )
            output = body.response.output
            if not episode.done and episode.answer_mode == "tool":
                for arguments in submitted_arguments(output):  # an answer the client did not send to the tool route
                    if (await episode.call(SUBMIT_ANSWER, arguments))["ok"]:
                        break
            verdict = await episode.grade(final_text(output))
        except PoolError as exc:
            return error(exc.status, str(exc))
        await self.pool.close(episode.id)
        result = {
            **raw,
            "reward": 1.0 if verdict.passed else 0.0,
            "passed": verdict.passed,
            "reasons": verdict.reasons,
            "task_id": episode.task.task_id,
        }
        if verdict.error:
            result["verifier_error"] = verdict.error
        return JSONResponse(result)

    async def aggregate_metrics(self, request: Request) -> Response:
        try:
            body = AggregateRequest.model_validate(await _json_body(request))
        except ValidationError as exc:
            return error(400, f'aggregate_metrics takes {{"verify_responses": [...]}}: {_problem(exc)}')
        except PoolError as exc:
            return error(exc.status, f"aggregate_metrics: {exc}")
        return JSONResponse(aggregate(body.verify_responses))


def _stats(values: list[float], prefix: str = "") -> dict[str, float]:
    return {
        f"mean/{prefix}": statistics.fmean(values),
        f"max/{prefix}": max(values),
        f"min/{prefix}": min(values),
        f"median/{prefix}": statistics.median(values),
        f"std/{prefix}": statistics.pstdev(values),
    }


def aggregate(responses: list[dict[str, Any]]) -> dict[str, Any]:
    """NeMo Gym's metrics shape: per task (by `_ng_task_index`, else task_id) and over all rollouts, the mean, max,
    min, median and standard deviation of every numeric field."""
    if not responses:
        return {"group_level_metrics": [], "agent_metrics": {}, "key_metrics": {}}

    def numeric(r: dict[str, Any]) -> dict[str, float]:
        return {k: float(v) for k, v in r.items() if isinstance(v, (int, float)) and k != TASK_INDEX}

    groups: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for r in responses:
        groups[r.get(TASK_INDEX, r.get("task_id", 0))].append(r)
    group_metrics = []
    for key, rows in sorted(groups.items(), key=lambda kv: str(kv[0])):
        metrics: dict[str, Any] = {TASK_INDEX if TASK_INDEX in rows[0] else "task_id": key, "rollouts": len(rows)}
        for field in sorted({k for r in rows for k in numeric(r)}):
            metrics |= _stats([numeric(r)[field] for r in rows if field in numeric(r)], field)
        group_metrics.append(metrics)
    agent: dict[str, Any] = {"rollouts": len(responses)}
    for field in sorted({k for r in responses for k in numeric(r)}):
        agent |= _stats([numeric(r)[field] for r in responses if field in numeric(r)], field)
    key = {k: agent[k] for k in ("mean/reward",) if k in agent}
    return {"group_level_metrics": group_metrics, "agent_metrics": agent, "key_metrics": key}
