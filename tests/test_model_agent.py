"""The model agent against a scripted OpenAI-compatible server (a protocol test double, not a model):
the V3.2 context rule as seen in the requests, server faults survived and recorded, usage accounting."""

import json
import time

import pytest
from model_helpers import TEST_KEY, TEST_KEY_ENV, client, count_task
from scripted_server import Drop, Fault, Reply, ScriptedServer, call, context_length, dsml, rate_limited

from synth.agent.model_agent import ModelAgent
from synth.agent.rollout import run_rollout
from synth.env.registry import select
from synth.env.session import EnvSession
from synth.sandbox import SandboxLimits


@pytest.fixture(autouse=True)
def api_key(monkeypatch):
    monkeypatch.setenv(TEST_KEY_ENV, TEST_KEY)


@pytest.fixture(scope="module")
def env(bwrap, fixture_envs):
    [entry] = select(["notes"], [fixture_envs])
    with EnvSession(bwrap, entry, seed=3, limits=SandboxLimits(wall_timeout_s=20)) as session:
        yield session


def alpha_count(env) -> int:
    env.reset()
    return len(json.loads(env.call_tool("list_notes", {"tag": "alpha"}).content))


def assistants(request: dict) -> list[dict]:
    return [m for m in request["messages"] if m["role"] == "assistant"]


def test_reasoning_is_sent_back_within_the_turn_and_dropped_at_a_new_user_message(env):
    script = [
        Reply(reasoning="r1: list alpha notes", tool_calls=[call("list_notes", {"tag": "alpha"}, id="c1")]),
        Reply(reasoning="r2: and all notes", tool_calls=[call("list_notes", {}, id="c2")]),
        Reply(reasoning="r3: count them", content="3"),
        Reply(reasoning="r4", content="ok"),
    ]
    with ScriptedServer(script) as server:
        agent = ModelAgent(client(server, thinking=True))
        task = count_task(env)
        rollout = run_rollout(env, task, agent)
        first, second, third = server.requests[:3]
        assert [m["role"] for m in first["messages"]] == ["system", "user"]
        assert first["thinking"] == {"type": "enabled"} and first["tools"] == list(task.tools)
        # within the user turn: every earlier assistant message carries its reasoning back
        assert [m.get("reasoning_content") for m in assistants(second)] == ["r1: list alpha notes"]
        assert [m.get("reasoning_content") for m in assistants(third)] == ["r1: list alpha notes", "r2: and all notes"]
        assert [m["role"] for m in third["messages"]] == ["system", "user", "assistant", "tool", "assistant", "tool"]
        # a new user message: earlier reasoning is removed, the tool calls and their results stay
        follow_up = rollout.messages + [{"role": "user", "content": "And how many are tagged bravo?"}]
        agent.act(follow_up, list(task.tools))
        fourth = server.requests[3]
        assert all("reasoning_content" not in m for m in fourth["messages"])
        assert [c["id"] for m in assistants(fourth) for c in m.get("tool_calls", [])] == ["c1", "c2"]
        assert [m["tool_call_id"] for m in fourth["messages"] if m["role"] == "tool"] == ["c1", "c2"]
    # the stored trajectory keeps every reasoning
    assert [m["reasoning_content"] for m in rollout.messages if m["role"] == "assistant"] == [
        "r1: list alpha notes",
        "r2: and all notes",
        "r3: count them",
    ]
    assert rollout.finish_reason == "answer" and rollout.answer == "3" and rollout.tool_calls == 2


def test_vllm_reasoning_field_and_thinking_switch(env):
    script = [
        Reply(
            reasoning="look up", reasoning_field="reasoning", tool_calls=[call("list_notes", {"tag": "alpha"}, id="c1")]
        ),
        Reply(reasoning="done", reasoning_field="reasoning", content="2"),
    ]
    with ScriptedServer(script) as server:
        rollout = run_rollout(env, count_task(env), ModelAgent(client(server, provider="vllm", thinking=True)))
        assert server.requests[0]["chat_template_kwargs"] == {"thinking": True}
        assert assistants(server.requests[1])[0]["reasoning_content"] == "look up"
    assert rollout.messages[2]["reasoning_content"] == "look up" and rollout.answer == "2"


def test_openai_provider_never_sends_reasoning_back(env):
    script = [Reply(reasoning="hidden", tool_calls=[call("list_notes", {}, id="c1")]), Reply(content="1")]
    with ScriptedServer(script) as server:
        run_rollout(env, count_task(env), ModelAgent(client(server, provider="openai", max_tokens=256)))
        assert "reasoning_content" not in assistants(server.requests[1])[0]
        assert server.requests[0]["max_completion_tokens"] == 256


def test_bad_tool_calls_come_back_to_the_model_as_tool_errors(env):
    script = [
        Reply(
            tool_calls=[
                call("list_notes", '{"tag": ', id="bad_json"),
                call("drop_table", {}, id="unknown"),
                call("set_tag", {"note_id": "seven", "tag": "x"}, id="schema"),
            ]
        ),
        Reply(content="I could not do it"),
    ]
    with ScriptedServer(script) as server:
        rollout = run_rollout(env, count_task(env), ModelAgent(client(server)))
        tool_results = [m for m in server.requests[1]["messages"] if m["role"] == "tool"]
    errors = {m["tool_call_id"]: json.loads(m["content"])["error"] for m in tool_results}
    assert "not valid JSON" in errors["bad_json"]
    assert "unknown tool 'drop_table'" in errors["unknown"]
    assert "note_id" in errors["schema"]
    assert {"invalid_json_arguments:list_notes", "unknown_tool:drop_table", "tool_error:set_tag"} <= set(rollout.faults)
    assert rollout.finish_reason == "answer"


def test_dsml_markup_left_in_content_is_executed_as_tool_calls(env):
    script = [
        Reply(content="Let me look.\n" + dsml("list_notes", tag="alpha"), reasoning="use the tool"),
        Reply(content=str(alpha_count(env))),
    ]
    with ScriptedServer(script) as server:
        task = count_task(env)
        rollout = run_rollout(env, task, ModelAgent(client(server)))
    calls = rollout.messages[2]["tool_calls"]
    assert [(c["function"]["name"], json.loads(c["function"]["arguments"])) for c in calls] == [
        ("list_notes", {"tag": "alpha"})
    ]
    assert rollout.messages[2]["content"] == "Let me look." and rollout.messages[3]["role"] == "tool"
    assert "dsml_in_content" in rollout.faults and env.verify(task.verifier, rollout.answer).passed


def test_replies_without_answer_or_call_are_resampled_then_end_the_rollout(env):
    task = count_task(env)
    with ScriptedServer([Reply(reasoning="thinking only"), Reply(reasoning="r", content="5")]) as server:
        rollout = run_rollout(env, task, ModelAgent(client(server, thinking=True)))
    assert rollout.answer == "5" and "reasoning_only_reply" in rollout.faults
    with ScriptedServer([Reply(reasoning="x"), Reply(content=""), Reply(reasoning="y")]) as server:
        rollout = run_rollout(env, task, ModelAgent(client(server, thinking=True)))
    assert rollout.finish_reason == "empty_reply" and rollout.answer is None and "neither" in rollout.error
    # without thinking, text the server filed under reasoning is the answer itself
    with ScriptedServer([Reply(reasoning="7")]) as server:
        rollout = run_rollout(env, task, ModelAgent(client(server)))
    assert rollout.answer == "7" and "answer_in_reasoning_field" in rollout.faults
    # a server that split at </think> inside the reasoning field
    with ScriptedServer([Reply(reasoning="weigh it</think>8")]) as server:
        rollout = run_rollout(env, task, ModelAgent(client(server, thinking=True)))
    assert rollout.answer == "8" and rollout.messages[-1]["reasoning_content"] == "weigh it"


def test_transient_faults_are_retried_honouring_retry_after(env):
    script = [
        rate_limited("1"),
        Fault(500),
        Fault(503),
        Drop(),
        Reply(content="late", delay_s=2.0),
        Reply(tool_calls=[call("list_notes", {"tag": "alpha"}, id="c1")]),
        Reply(content="4"),
    ]
    with ScriptedServer(script) as server:
        start = time.monotonic()
        rollout = run_rollout(env, count_task(env), ModelAgent(client(server, timeout_s=0.5, max_attempts=6)))
        elapsed = time.monotonic() - start
        assert len(server.requests) == 7
    assert elapsed >= 1.0  # waited as the 429 asked
    assert rollout.faults[:5] == [
        "retry:http_429",
        "retry:http_500",
        "retry:http_503",
        "retry:connection",
        "retry:timeout",
    ]
    assert rollout.usage.retries == 5 and rollout.usage.calls == 2 and rollout.answer == "4"


def test_attempts_are_capped_and_the_rollout_ends_with_the_error(env):
    with ScriptedServer([Fault(500)] * 5) as server:
        rollout = run_rollout(env, count_task(env), ModelAgent(client(server, max_attempts=3)))
        assert len(server.requests) == 3
    assert rollout.finish_reason == "model_error" and "gave up after 3 attempts" in rollout.error
    assert rollout.usage.retries == 2 and rollout.usage.calls == 0
    with ScriptedServer([Fault(401, "Incorrect API key provided: " + TEST_KEY)]) as server:
        rollout = run_rollout(env, count_task(env), ModelAgent(client(server)))
        assert len(server.requests) == 1  # not retried
    assert rollout.finish_reason == "model_error" and TEST_KEY not in rollout.error and "***" in rollout.error


def test_context_length_error_ends_the_rollout_with_its_reason(env):
    script = [Reply(tool_calls=[call("list_notes", {}, id="c1")]), context_length()]
    with ScriptedServer(script) as server:
        rollout = run_rollout(env, count_task(env), ModelAgent(client(server)))
    assert rollout.finish_reason == "context_length" and "maximum context length" in rollout.error
    assert [m["role"] for m in rollout.messages] == ["system", "user", "assistant", "tool"]


def _rounds(n: int, big_at: int) -> list[Reply]:
    """n tool rounds; the reply at index `big_at` reports a context past the window's share."""
    out = []
    for i in range(n):
        usage = {"prompt_tokens": 900 if i == big_at else 50, "completion_tokens": 10}
        out.append(Reply(tool_calls=[call("list_notes", {"tag": "alpha"}, id=f"c{i}")], usage=usage))
    return out


@pytest.mark.parametrize(
    "policy,hidden", [("discard-all", ["c0", "c1", "c2", "c3"]), ("discard-75%", ["c0", "c1", "c2"])]
)
def test_discard_policies_shrink_the_models_view_not_the_trajectory(env, policy, hidden):
    script = _rounds(4, big_at=3) + [Reply(content="3")]
    with ScriptedServer(script) as server:
        rollout = run_rollout(
            env,
            count_task(env),
            ModelAgent(client(server, context_management=policy, context_window=1024, context_share=0.5)),
        )
        last = server.requests[-1]
    seen = [m["tool_call_id"] for m in last["messages"] if m["role"] == "tool"]
    assert seen == [c for c in ["c0", "c1", "c2", "c3"] if c not in hidden]
    assert rollout.tool_calls == 4 and rollout.answer == "3"  # every call is still stored and replayable
    assert any(f.startswith(f"context {policy}") for f in rollout.faults)


def test_summary_policy_asks_for_a_summary_and_restarts_from_it(env):
    script = _rounds(2, big_at=1) + [Reply(content="Found 3 alpha notes; nothing left to do."), Reply(content="3")]
    with ScriptedServer(script) as server:
        rollout = run_rollout(
            env,
            count_task(env),
            ModelAgent(client(server, context_management="summary", context_window=1024, context_share=0.5)),
        )
        ask, resume = server.requests[2], server.requests[3]
    assert "tools" not in ask and "Summarize your progress" in ask["messages"][-1]["content"]
    assert [m["role"] for m in resume["messages"]] == ["system", "user", "user"]
    assert "Found 3 alpha notes" in resume["messages"][-1]["content"]
    assert rollout.answer == "3" and rollout.usage.calls == 4


def test_context_length_error_with_a_policy_compacts_and_goes_on(env):
    script = [Reply(tool_calls=[call("list_notes", {}, id="c1")]), context_length(), Reply(content="3")]
    with ScriptedServer(script) as server:
        rollout = run_rollout(env, count_task(env), ModelAgent(client(server, context_management="discard-all")))
        assert [m["role"] for m in server.requests[-1]["messages"]] == ["system", "user"]
    assert rollout.answer == "3" and rollout.finish_reason == "answer"


def test_usage_is_accounted_per_rollout_and_per_client(env):
    script = [
        Reply(
            reasoning="abcd" * 10,
            tool_calls=[call("list_notes", {}, id="c1")],
            usage={
                "prompt_tokens": 100,
                "completion_tokens": 30,
                "completion_tokens_details": {"reasoning_tokens": 10},
            },
        ),
        Reply(content="3", usage={"prompt_tokens": 400, "completion_tokens": 5}),
    ]
    with ScriptedServer(script) as server:
        chat = client(server)
        agent = ModelAgent(chat)
        rollout = run_rollout(env, count_task(env), agent)
        assert server.headers[0]["authorization"] == f"Bearer {TEST_KEY}"
    u = rollout.usage
    assert (u.prompt_tokens, u.completion_tokens, u.reasoning_tokens, u.calls) == (500, 35, 10, 2)
    assert u.latency_s > 0 and chat.meter.total.prompt_tokens == 500
    config = agent.agent_config(40)
    assert config["model"] == "scripted" and "base_url" not in config
    assert TEST_KEY not in json.dumps(config) + rollout.model_dump_json()
