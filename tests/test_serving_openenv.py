"""The OpenEnv side of `synth envs serve`, over real sockets, with openenv-core's own clients (in a venv of their
own): a WebSocket session per episode (reset with the task id, step, state), MCP tools, the final answer as a
terminal action or submit_answer, the reward on the terminal step; and MCP JSON-RPC over HTTP."""

from __future__ import annotations

import json

import pytest
import requests
from serving_support import Served, group_plans, reference_plan, run_client, small_run, stored, write_plan, wrong_plan
from websockets.sync.client import connect


@pytest.fixture(scope="module", params=["text", "tool"])
def served(request, bwrap):
    run = small_run(request.param)
    with Served(run) as server:
        yield request.param, run, server


@pytest.fixture(scope="module")
def through_openenv(served):
    _, run, server = served
    rows, trajectories = stored(run)
    _, group = group_plans(rows, trajectories)
    plans = (
        [reference_plan(r, trajectories[r["task_id"]]) for r in rows]
        + [wrong_plan(r, trajectories[r["task_id"]]) for r in rows]
        + group
    )
    out = run_client(
        "openenv",
        "openenv_client.py",
        server.url,
        write_plan({"episodes": plans, "checks": {"task_id": rows[0]["task_id"], "tool_name": "list_notes"}}),
    )
    return rows, trajectories, plans, out["results"], out["checks"]


def test_openenv_client_replays_every_reference_to_its_stored_reward(served, through_openenv):
    mode, _, server = served
    rows, trajectories, plans, results, _ = through_openenv
    for row, plan, result in zip(rows, plans, results):
        assert result["done"] and result["reward"] == trajectories[row["task_id"]]["reward"] == 1.0, row["task_id"]
        calls = [n for n, _ in plan["calls"]]
        assert [o["text"] for o in result["outputs"]] == plan["tool_results"][: len(calls)]
        assert not any(o["is_error"] for o in result["outputs"])
        assert ("submit_answer" in result["tools"]) == (mode == "tool" and row["answer_schema"] is not None)
        assert result["state_steps"] == len(calls) + ("submit_answer" not in calls)  # the answer is a step
    assert server.wait_sessions(0) == 0  # each terminal step and each closed connection closed its session


def test_wrong_answers_and_skipped_writes_get_zero(through_openenv):
    rows, _, _, results, _ = through_openenv
    wrong = results[len(rows) : 2 * len(rows)]
    assert [(r["reward"], r["done"]) for r in wrong] == [(0.0, True)] * len(rows)


def test_sixteen_interleaved_sessions_on_one_task_give_exactly_the_eight_right_ones(through_openenv):
    rows, _, _, results, _ = through_openenv
    assert [r["reward"] for r in results[2 * len(rows) :]] == [1.0, 0.0] * 8


def test_the_rest_of_the_client_surface(through_openenv):
    _, _, _, _, checks = through_openenv
    assert checks["tools"][:2] == ["list_notes", "set_tag"]
    assert isinstance(json.loads(checks["call_tool"]), list)  # the tool's text, as the model reads it
    assert "unknown tool 'no_such_tool'" in checks["unknown_tool"]  # a result for the model, not an error
    assert checks["bad_arguments"]["is_error"] and "no_such_argument" in checks["bad_arguments"]["data"]
    assert checks["state"]["step_count"] == 3 and checks["state"]["episode_id"]
    assert "reset with a task id first" in checks["step_before_reset"]
    assert "task_id" in checks["reset_without_task"] and "VALIDATION_ERROR" in checks["reset_without_task"]
    assert {"messages", "task_id", "tools"} <= set(checks["generic_reset_keys"])
    assert "VALIDATION_ERROR" in checks["arguments_not_an_object"]
    assert checks["generic_answer"] == {"reward": 0.0, "done": True}
    assert "the episode has ended" in checks["step_after_done"]


def test_health_schema_metadata(served):
    _, _, server = served
    assert server.get("/health") == {"status": "healthy"}
    schema = server.get("/schema")
    assert set(schema) == {"action", "observation", "state"}
    assert {"list_tools", "call_tool", "answer"} <= set(json.dumps(schema["action"]).replace('"', " ").split())
    assert server.get("/metadata")["name"] == "synth"
    assert len(server.get("/tasks")["tasks"]) == 12


def test_websocket_protocol_errors_keep_the_session_usable(served):
    _, run, server = served
    rows, trajectories = stored(run)
    row = rows[0]
    plan = reference_plan(row, trajectories[row["task_id"]])
    with connect(server.ws_url) as ws:

        def send(message):
            ws.send(message if isinstance(message, str) else json.dumps(message))
            return json.loads(ws.recv(timeout=30))

        assert send("{not json")["data"]["code"] == "INVALID_JSON"
        assert send({"type": "dance"})["data"]["code"] == "UNKNOWN_TYPE"
        assert send({"type": "reset", "data": {"task_id": "task-nope"}})["data"]["message"].startswith("no task")
        opened = send({"type": "reset", "data": {"task_id": row["task_id"]}})
        assert opened["type"] == "observation"
        assert opened["data"]["observation"]["messages"][1]["content"] == row["instruction"]
        assert send({"type": "step", "data": {"type": "call_tool"}})["data"]["code"] == "VALIDATION_ERROR"
        rpc = send({"type": "mcp", "data": {"jsonrpc": "2.0", "id": 7, "method": "tools/list"}})
        assert rpc["data"]["id"] == 7 and "list_notes" in {t["name"] for t in rpc["data"]["result"]["tools"]}
        for name, arguments in plan["calls"]:
            reply = send({"type": "step", "data": {"type": "call_tool", "tool_name": name, "arguments": arguments}})
            assert reply["type"] == "observation", reply
        if "submit_answer" in [n for n, _ in plan["calls"]]:  # that step ended the episode, with its reward
            assert reply["data"]["reward"] == 1.0 and reply["data"]["done"] is True
            ended = send({"type": "mcp", "data": {"jsonrpc": "2.0", "id": 8, "method": "tools/list"}})
            assert "the episode has ended" in ended["data"]["error"]["message"]
        if plan["final"] is not None and "submit_answer" not in [n for n, _ in plan["calls"]]:
            final = send({"type": "step", "data": {"type": "answer", "content": plan["final"]}})
            assert final["data"]["reward"] == 1.0 and final["data"]["done"] is True
        assert send({"type": "state"})["data"]["done"] is True
        ws.send(json.dumps({"type": "close"}))
    assert server.wait_sessions(0) == 0


def test_mcp_over_http(served):
    _, run, server = served
    rows, _ = stored(run)

    def rpc(method, **params):
        return requests.post(
            f"{server.url}/mcp", json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params}, timeout=30
        ).json()

    assert rpc("tools/list")["error"]["code"] == -32602  # no session named
    sid = rpc("openenv/session/create", task_id=rows[0]["task_id"])["result"]["session_id"]
    assert "list_notes" in {t["name"] for t in rpc("tools/list", session_id=sid)["result"]["tools"]}
    called = rpc("tools/call", session_id=sid, name="list_notes", arguments={})["result"]
    assert called["is_error"] is False and json.loads(called["content"][0]["text"])
    assert rpc("tools/call", session_id=sid, name="set_tag", arguments={"note_id": "x"})["result"]["is_error"]
    assert rpc("tools/call", session_id=sid, name="list_notes", arguments=[1])["error"]["code"] == -32602
    assert rpc("tools/call", session_id="nope", name="list_notes")["error"]["code"] == -32602
    assert rpc("no/such/method")["error"]["code"] == -32601
    assert rpc("openenv/session/close", session_id=sid)["result"]["closed"] is True
    assert "Unknown session_id" in rpc("openenv/session/close", session_id=sid)["error"]["message"]  # closing twice
    broken = requests.post(f"{server.url}/mcp", data=b"{", timeout=30).json()
    assert broken["error"]["code"] == -32700
    assert server.sessions() == 0
