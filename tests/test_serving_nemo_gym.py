"""The NeMo Gym resources server of `synth envs serve`, over real sockets: verifiers 0.4.0's own `nemo_gym` taskset
consumes the nemo-gym export of a small run (in a venv of its own), a NeMo Gym agent's cookie handling is replayed
over plain HTTP, and every reward is the task verifier's: stored references get their stored reward, wrong answers
and skipped writes 0, a GRPO group of 16 interleaved sessions exactly its 8 right ones."""

from __future__ import annotations

import json

import pytest
import requests
from serving_support import (
    FIXTURE_ENVS,
    Served,
    group_plans,
    reference_plan,
    run_client,
    small_run,
    stored,
    write_plan,
    wrong_plan,
)

from synth.serving.export_nemo_gym import export_nemo_gym
from synth.serving.responses import RESERVED_ROUTES, final_text, flat_tools, route_names


@pytest.fixture(scope="module", params=["text", "tool"])
def served(request, bwrap):
    run = small_run(request.param)
    with Served(run) as server:
        yield request.param, run, server


@pytest.fixture(scope="module")
def through_verifiers(served, tmp_path_factory):
    """One run of verifiers' taskset: every reference, every reference made wrong, and a group of 16."""
    mode, run, server = served
    rows, trajectories = stored(run)
    dataset = export_nemo_gym(run, tmp_path_factory.mktemp(f"nemo-gym-{mode}"))
    index = {json.loads(line)["task_id"]: i for i, line in enumerate(dataset.read_text().splitlines())}
    _, group = group_plans(rows, trajectories)
    plans = (
        [reference_plan(r, trajectories[r["task_id"]]) for r in rows]
        + [wrong_plan(r, trajectories[r["task_id"]]) for r in rows]
        + group
    )
    for plan in plans:
        plan["row"] = index[plan["task_id"]]
    results = run_client(
        "verifiers", "verifiers_nemo_gym.py", server.url, str(dataset), write_plan({"episodes": plans})
    )["results"]
    return rows, trajectories, dataset, plans, results


def test_the_export_holds_what_an_agent_and_verify_need(served, tmp_path):
    mode, run, _ = served
    rows, _ = stored(run)
    path = export_nemo_gym(run, tmp_path / "out")
    exported = [json.loads(line) for line in path.read_text().splitlines()]
    assert path.name == "tasks.jsonl" and [r["task_id"] for r in exported] == [r["task_id"] for r in rows]
    for row, stored_row in zip(exported, rows):
        params = row["responses_create_params"]
        assert [m["role"] for m in params["input"]] == ["system", "user"]
        assert params["input"][1]["content"] == stored_row["instruction"]
        assert all(
            set(t) == {"type", "name", "description", "parameters", "strict"} and t["type"] == "function"
            for t in params["tools"]
        )
        names = {t["name"] for t in params["tools"]}
        assert ("submit_answer" in names) == (mode == "tool" and stored_row["answer_schema"] is not None)
        assert row["answer_mode"] == mode
    text = export_nemo_gym(run, tmp_path / "as-text.jsonl", answer_mode="text", agent_name="synth_agent")
    first = json.loads(text.read_text().splitlines()[0])
    assert first["agent_ref"] == {"type": "responses_api_agents", "name": "synth_agent"}
    assert "submit_answer" not in {t["name"] for t in first["responses_create_params"]["tools"]}


def test_verifiers_taskset_replays_every_reference_to_its_stored_reward(served, through_verifiers):
    _, _, server = served
    rows, trajectories, _, plans, results = through_verifiers
    for row, plan, result in zip(rows, plans, results):
        assert result["reward"] == trajectories[row["task_id"]]["reward"] == 1.0, (row["task_id"], result)
        assert [o["text"] for o in result["outputs"]] == plan["tool_results"]  # what the model read, byte for byte
        assert result["info"]["passed"] is True and result["info"]["task_id"] == row["task_id"]
        assert result["cookies"] == ["synth_session"]  # it kept only what /seed_session set
    assert server.wait_sessions(0) == 0  # each /verify closed its session


def test_wrong_answers_and_skipped_writes_get_zero(through_verifiers):
    rows, _, _, _, results = through_verifiers
    wrong = results[len(rows) : 2 * len(rows)]
    assert [r["reward"] for r in wrong] == [0.0] * len(rows)
    assert all(r["info"]["reasons"] for r in wrong)  # the verifier says why


def test_sixteen_interleaved_sessions_on_one_task_give_exactly_the_eight_right_ones(through_verifiers):
    rows, _, _, _, results = through_verifiers
    group = results[2 * len(rows) :]
    assert len(group) == 16 and len({r["info"]["task_id"] for r in group}) == 1
    assert [r["reward"] for r in group] == [1.0, 0.0] * 8


def _output(plan: dict) -> list[dict]:
    """A Responses output for a plan: its function calls, then its final message."""
    items = [
        {"type": "function_call", "call_id": f"call_{i}", "name": name, "arguments": json.dumps(args)}
        for i, (name, args) in enumerate(plan["calls"])
    ]
    if plan["final"]:
        items.append(
            {
                "type": "message",
                "role": "assistant",
                "status": "completed",
                "content": [{"type": "output_text", "text": plan["final"], "annotations": []}],
            }
        )
    return items


def test_an_agent_that_keeps_each_replys_cookies_and_answers_only_in_its_output(served):
    """NeMo Gym's own agents carry forward the cookies of each last reply; an answer may reach /verify only as a
    submit_answer call in the output."""
    _, run, server = served
    rows, trajectories = stored(run)
    for row in rows[:4]:
        plan = reference_plan(row, trajectories[row["task_id"]])
        seeded = requests.post(f"{server.url}/seed_session", json={"task_id": row["task_id"]}, timeout=30)
        assert seeded.status_code == 200, seeded.text
        cookies = seeded.cookies
        for (name, arguments), expected in zip(plan["calls"], plan["tool_results"]):
            if name == "submit_answer":
                continue  # left to /verify, which finds it in the output
            reply = requests.post(f"{server.url}/{name}", json=arguments, cookies=cookies, timeout=30)
            assert reply.status_code == 200 and reply.text == expected
            cookies = reply.cookies
            assert cookies.get("synth_session") == seeded.cookies["synth_session"]
        body = {
            "task_id": row["task_id"],
            "responses_create_params": {"input": []},
            "response": {"output": _output(plan)},
        }
        verified = requests.post(f"{server.url}/verify", json=body, cookies=cookies, timeout=30)
        assert verified.status_code == 200 and verified.json()["reward"] == 1.0, verified.text
        assert verified.json()["response"] == body["response"]  # the request comes back with the reward


def test_verify_rejects_the_row_of_another_task_and_keeps_the_session(served):
    _, run, server = served
    rows, _ = stored(run)
    seeded = requests.post(f"{server.url}/seed_session", json=rows[0], timeout=30)  # a whole stored row
    other = {"task_id": rows[1]["task_id"], "responses_create_params": {}, "response": {"output": []}}
    mismatch = requests.post(f"{server.url}/verify", json=other, cookies=seeded.cookies, timeout=30)
    assert mismatch.status_code == 409 and rows[1]["task_id"] in mismatch.json()["error"]
    mine = {**other, "task_id": rows[0]["task_id"]}
    assert requests.post(f"{server.url}/verify", json=mine, cookies=seeded.cookies, timeout=30).status_code == 200


def test_aggregate_metrics_in_nemo_gyms_shape(served):
    _, _, server = served
    responses = [{"_ng_task_index": i // 2, "reward": float(i % 2), "passed": bool(i % 2)} for i in range(6)]
    reply = requests.post(f"{server.url}/aggregate_metrics", json={"verify_responses": responses}, timeout=30)
    metrics = reply.json()
    assert reply.status_code == 200
    assert metrics["agent_metrics"]["mean/reward"] == 0.5 and metrics["key_metrics"] == {"mean/reward": 0.5}
    assert [g["_ng_task_index"] for g in metrics["group_level_metrics"]] == [0, 1, 2]
    assert all(g["mean/reward"] == 0.5 and g["rollouts"] == 2 for g in metrics["group_level_metrics"])
    bad = requests.post(f"{server.url}/aggregate_metrics", json={"responses": []}, timeout=30)
    assert bad.status_code == 400 and "verify_responses" in bad.json()["error"]


# -- tool names that are routes ---------------------------------------------------------------------------------------


def test_route_names_keep_reserved_routes_free():
    assert route_names(["list_notes", "verify", "verify_tool", "mcp"]) == {
        "list_notes": "list_notes",
        "verify_tool_tool": "verify",
        "verify_tool": "verify_tool",
        "mcp_tool": "mcp",
    }
    tools = [
        {"type": "function", "function": {"name": n, "description": "d", "parameters": {"type": "object"}}}
        for n in ["seed_session", "aggregate_metrics"]
    ]
    assert {t["name"] for t in flat_tools(tools)}.isdisjoint(RESERVED_ROUTES)
    assert (
        final_text(
            [
                {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "7"}]},
                {"type": "function_call", "name": "x", "arguments": "{}", "call_id": "c"},
            ]
        )
        is None
    )


RESERVED_TEMPLATE = '''
    @tool("read", name="verify")
    def look_up_note(self, note_id: int) -> dict:
        """Look up one note.

        Args:
            note_id: Note id.
        """
        return self.rows("SELECT * FROM notes WHERE id = ?", note_id)[0]
'''


@pytest.fixture(scope="module")
def reserved_run(bwrap, tmp_path_factory):
    from synth.config import RunConfig
    from synth.pipeline.run import generate

    envs = tmp_path_factory.mktemp("reserved-envs")
    envs.chmod(0o755)  # the sandbox's own user reads the template
    (envs / "notes_reserved").mkdir(mode=0o755)
    source = (FIXTURE_ENVS / "notes" / "env.py").read_text()
    source = source.replace('name = "notes"', 'name = "notes_reserved"').replace(
        '    @tool("write")', RESERVED_TEMPLATE.rstrip("\n") + '\n\n    @tool("write")', 1
    )
    (envs / "notes_reserved" / "env.py").write_text(source)
    out = tmp_path_factory.mktemp("reserved") / "run"
    config = RunConfig(envs=1, tasks_per_env=2, seed=3, out=out, templates=("notes_reserved",), envs_dirs=(envs,))
    assert generate(config, use_ray=False).tasks_accepted == 2
    return out


def test_a_tool_named_like_a_route_is_reached_under_its_listed_name(reserved_run):
    rows, trajectories = stored(reserved_run)
    row = rows[0]
    assert "verify" in {t["function"]["name"] for t in json.loads(row["tools"])}
    with Served(reserved_run) as server:
        seeded = requests.post(f"{server.url}/seed_session", json={"task_id": row["task_id"]}, timeout=30)
        listed = {t["name"] for t in seeded.json()["tools"]}
        assert "verify_tool" in listed and listed.isdisjoint(RESERVED_ROUTES)
        note = requests.post(f"{server.url}/verify_tool", json={"note_id": 1}, cookies=seeded.cookies, timeout=30)
        assert note.status_code == 200 and note.json()["id"] == 1
        plan = reference_plan(row, trajectories[row["task_id"]])
        for name, arguments in plan["calls"]:
            requests.post(f"{server.url}/{name}", json=arguments, cookies=seeded.cookies, timeout=30)
        body = {"task_id": row["task_id"], "responses_create_params": {}, "response": {"output": _output(plan)}}
        verified = requests.post(f"{server.url}/verify", json=body, cookies=seeded.cookies, timeout=30)
        assert verified.status_code == 200 and verified.json()["reward"] == 1.0
        # OpenEnv has no such routes: there the tool keeps its name
        create = {"jsonrpc": "2.0", "id": 1, "method": "openenv/session/create", "params": {"task_id": row["task_id"]}}
        created = requests.post(f"{server.url}/mcp", json=create, timeout=30).json()
        sid = created["result"]["session_id"]
        called = requests.post(
            f"{server.url}/mcp",
            json={
                "jsonrpc": "2.0",
                "id": 2,
                "method": "tools/call",
                "params": {"session_id": sid, "name": "verify", "arguments": {"note_id": 1}},
            },
            timeout=30,
        ).json()
        assert json.loads(called["result"]["data"])["id"] == 1 and called["result"]["is_error"] is False
        closed = requests.post(
            f"{server.url}/mcp",
            json={"jsonrpc": "2.0", "id": 3, "method": "openenv/session/close", "params": {"session_id": sid}},
            timeout=30,
        ).json()
        assert closed["result"]["closed"] is True and server.sessions() == 0
