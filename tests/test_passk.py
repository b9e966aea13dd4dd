"""pass@K filtering with a solver endpoint (the scripted server plays the solver, deterministically):
tasks the solver never solves are dropped, too-easy ones optionally too, every rollout is stored with
its reward, faults included; the CLI path and key handling."""

import json
import re
import threading
from collections import Counter

import pytest
from model_helpers import TEST_KEY, TEST_KEY_ENV, endpoint
from scripted_server import Fault, Reply, ScriptedServer, call, context_length

from synth.config import RunConfig
from synth.dataset.loader import load_run
from synth.generation import generate

MODES = ["good", "wrong", "good", "ctx"]  # the k-th rollout of a count task, in any order of arrival


class Solver:
    """Count tasks: half the rollouts answer right, one answers wrong, one overflows the context.
    Retag tasks: claims success without doing anything (never passes). The first count request fails
    with a 500 once (retried)."""

    def __init__(self):
        self.starts: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.failed_once = False

    def __call__(self, body: dict, n: int):
        messages = body["messages"]
        instruction, last = messages[1]["content"], messages[-1]
        tag = re.search(r"tag(?:ged)? (\w+)", instruction)
        if not ("How many" in instruction or "Count the notes" in instruction):
            return Reply(content="done", reasoning="nothing to do")
        with self.lock:
            if not self.failed_once:
                self.failed_once = True
                return Fault(500)
            if last["role"] == "user":
                self.starts[instruction] += 1
                mode = MODES[(self.starts[instruction] - 1) % 4]
                return Reply(
                    reasoning=f"I will list the {tag.group(1)} notes",
                    tool_calls=[call("list_notes", {"tag": tag.group(1)}, id=f"call_{mode}_{n}")],
                )
        mode = last["tool_call_id"].split("_")[1]
        if mode == "ctx":
            return context_length()
        count = len(json.loads(last["content"]))
        return Reply(reasoning="count them", content=str(count if mode == "good" else count + 1))


@pytest.fixture(autouse=True)
def api_key(monkeypatch):
    monkeypatch.setenv(TEST_KEY_ENV, TEST_KEY)


def passk_config(tmp_path, fixture_envs, solver_endpoint, **overrides) -> RunConfig:
    fields = dict(
        envs=1,
        tasks_per_env=2,
        seed=2,
        out=tmp_path / "run",
        templates=("notes",),
        envs_dirs=(fixture_envs,),
        workers=1,
        rollouts=4,
        solver=solver_endpoint,
    )
    return RunConfig(**{**fields, **overrides})


def test_pass_at_k_keeps_solvable_tasks_with_every_rollout(tmp_path, bwrap, fixture_envs):
    with ScriptedServer(handler=Solver()) as server:
        solver = endpoint(server, model="scripted-solver", provider="vllm", thinking=True, temperature=1.0)
        summary = generate(passk_config(tmp_path, fixture_envs, solver), use_ray=False)
    dd = load_run(tmp_path / "run")
    [task] = dd["tasks"]
    assert "notes" in task["instruction"] and task["pass_rate"] == 0.5
    assert (task["solver_rollouts"], task["solver_passes"]) == (4, 2)
    [rejection] = dd["rejections"]
    assert rejection["reason"] == "unsolved" and "0 of 4" in rejection["detail"]

    trajs = [t for t in dd["trajectories"] if t["task_id"] == task["task_id"]]
    model = sorted((t for t in trajs if t["agent"] == "model"), key=lambda t: t["sample"])
    assert len(trajs) == 5 and [t["sample"] for t in model] == [0, 1, 2, 3]
    assert sorted(t["reward"] for t in model) == [0.0, 0.0, 1.0, 1.0]
    assert len({t["trajectory_id"] for t in trajs}) == 5
    ended = Counter(t["finish_reason"] for t in model)
    assert ended == {"answer": 3, "context_length": 1}
    [overflow] = [t for t in model if t["finish_reason"] == "context_length"]
    assert "maximum context length" in overflow["error"] and overflow["messages"][-1]["role"] == "tool"
    for t in model:
        config = json.loads(t["agent_config"])
        assert config["model"] == "scripted-solver" and config["temperature"] == 1.0 and config["thinking"] is True
        assert t["prompt_tokens"] > 0 and t["model_calls"] >= 1 and t["model_latency_s"] > 0
        assert t["messages"][2]["reasoning_content"].startswith("I will list the")
    assert sum(t["retries"] for t in model) == 1 and any("retry:http_500" in t["faults"] for t in model)
    assert summary.model.solver_rollouts == 4 and summary.model.solver_pass_rate == 0.5
    assert summary.model.faults["retry:http_500"] == 1 and summary.model.model_calls >= 7
    card = (tmp_path / "run" / "README.md").read_text()
    assert "pass_rate" in card


def test_tasks_solved_too_often_are_dropped_above_the_ceiling(tmp_path, bwrap, fixture_envs):
    with ScriptedServer(handler=Solver()) as server:
        config = passk_config(tmp_path, fixture_envs, endpoint(server), tasks_per_env=1, max_pass_rate=0.4)
        summary = generate(config, use_ray=False)
    assert summary.tasks_accepted == 0 and summary.rejections == {"too_easy": 1}
    assert "2 of 4" in load_run(tmp_path / "run")["rejections"][0]["detail"]


def test_an_unreachable_endpoint_is_not_mistaken_for_a_hard_task(tmp_path, bwrap, fixture_envs):
    with ScriptedServer() as server:
        dead = endpoint(server, max_attempts=1)
    config = passk_config(tmp_path, fixture_envs, dead, tasks_per_env=1, rollouts=2)
    summary = generate(config, use_ray=False)  # the server is gone: connections are refused
    assert summary.rejections == {"rollouts_failed": 1} and summary.envs_failed == 0
    assert "gave up after 1 attempts" in load_run(tmp_path / "run")["rejections"][0]["detail"]


def test_cli_generate_with_a_model_keeps_the_key_out_of_the_run(tmp_path, synth_cli, fixture_envs):
    out = tmp_path / "cli"
    with ScriptedServer(handler=Solver()) as server:
        run = synth_cli(
            "generate",
            "--envs",
            "1",
            "--tasks-per-env",
            "1",
            "--templates",
            "notes",
            "--envs-dir",
            str(fixture_envs),
            "--out",
            str(out),
            "--no-ray",
            "--workers",
            "1",
            "--model",
            "scripted",
            "--provider",
            "deepseek",
            "--base-url",
            server.url,
            "--api-key-env",
            TEST_KEY_ENV,
            "--rollouts",
            "4",
            "--thinking",
            "--concurrency",
            "4",
            env={TEST_KEY_ENV: TEST_KEY},
            timeout=300,
        )
        assert run.returncode == 0, run.stdout + run.stderr
        assert {h["authorization"] for h in server.headers} == {f"Bearer {TEST_KEY}"}
        assert server.requests[0]["thinking"] == {"type": "enabled"}
    assert "solver rollouts" in run.stdout and "pass rate 50.0%" in run.stdout
    for path in out.rglob("*"):
        if path.is_file():
            assert TEST_KEY.encode() not in path.read_bytes(), path


def test_cli_refuses_model_options_it_cannot_use(tmp_path, synth_cli, monkeypatch):
    monkeypatch.delenv("DEEPSEEK_API_KEY", raising=False)
    no_key = synth_cli(
        "generate",
        "--envs",
        "1",
        "--out",
        str(tmp_path / "a"),
        "--model",
        "deepseek-reasoner",
        "--rollouts",
        "2",
        env={"DEEPSEEK_API_KEY": ""},
    )
    assert no_key.returncode == 2 and "export DEEPSEEK_API_KEY" in no_key.stdout
    no_model = synth_cli("generate", "--envs", "1", "--out", str(tmp_path / "b"), "--proposer", "llm")
    assert no_model.returncode == 2 and "--proposer llm needs a model" in no_model.stdout
    bad_management = synth_cli(
        "generate",
        "--envs",
        "1",
        "--out",
        str(tmp_path / "c"),
        "--model",
        "m",
        "--provider",
        "vllm",
        "--context-management",
        "discard-50%",
    )
    assert bad_management.returncode == 2 and "context_management" in bad_management.stdout
    assert not any((tmp_path / d).exists() for d in "abc")
