"""The in-process trainer adapters over EnvPool: TRL's environment_factory classes and verl's `synth_agent` agent loop.

Against the real packages, each in a venv of its own (tests/trainer_clients/venvs.py): one `GRPOTrainer.train()` step
of TRL with a tiny random model whose generation is scripted, and verl's agent loop machinery (registry, hydra,
RLHFDataset, Continuous Token builder, hermes parser) with a scripted LLM server. Replaying each stored reference
trajectory gives its stored reward; a wrong answer or a skipped write gives 0; 16 interleaved episodes of one task,
8 right and 8 wrong, give exactly eight 1.0. The TRL classes are also driven here directly, as TRL's loop drives
them, and their tool methods checked piece by piece.
"""

import inspect
import json
import threading
import typing
from pathlib import Path

import datasets
import pytest

from synth.config import RunConfig
from synth.dataset.loader import load_run, task_from_row
from synth.pipeline.run import generate
from synth.serving.exports import environment_name, export
from synth.serving.inprocess import pool_thread
from synth.serving.trl_env import (
    SynthEnvironment,
    ToolSchemaError,
    environment_class,
    environment_factories,
    environment_factory,
    python_type,
    synth_reward,
    tool_method,
)
from tests.trainer_clients.plans import reference_turns, wrong_at_once, wrong_late
from tests.trainer_clients.venvs import client_python, run_client

CLIENTS = Path(__file__).parent / "trainer_clients"
TRL = ["trl==1.16.0", "transformers==5.25.0"]
VERL = ["verl==0.9.1", "transformers==5.10.4", "cachetools", "uvicorn", "fastapi"]  # the last three: verl's undeclared


@pytest.fixture(scope="module", params=["tool", "text"])
def run(request, tmp_path_factory, bwrap, fixture_envs):
    out = tmp_path_factory.mktemp(f"adapters-{request.param}") / "run"
    config = RunConfig(
        envs=2,
        tasks_per_env=6,
        seed=5,
        out=out,
        templates=("notes",),
        envs_dirs=(fixture_envs,),
        answer_mode=request.param,
    )
    assert generate(config, use_ray=False).tasks_accepted == 12
    dd = load_run(out)
    return request.param, out, dd


def _stored(dd):
    references = {t["task_id"]: t for t in dd["trajectories"]}
    specs = {t["task_id"]: json.loads(t["verifier_params"])["answer"] for t in dd["tasks"]}
    return references, specs


def _tools_of(env):
    """The tools TRL finds on an environment: public functions of its class, called by their __name__."""
    return {
        getattr(env, name).__name__: getattr(env, name)
        for name, _ in inspect.getmembers(type(env), predicate=inspect.isfunction)
        if name not in ("reset", "get_reward") and not name.startswith("_")
    }


def _play(env, turns):
    """Run the scripted turns on a reset environment; the completion messages TRL would hold."""
    tools, completion = _tools_of(env), []
    for turn in turns:
        if turn.get("tool_calls"):
            completion.append(
                {
                    "role": "assistant",
                    "tool_calls": [
                        {"type": "function", "function": {"name": c["name"], "arguments": c["arguments"]}}
                        for c in turn["tool_calls"]
                    ],
                }
            )
            for call in turn["tool_calls"]:
                completion.append(
                    {"role": "tool", "name": call["name"], "content": str(tools[call["name"]](**call["arguments"]))}
                )
        else:
            completion.append({"role": "assistant", "content": turn["content"]})
    return completion


def _reward(env, completion, mode):
    return env.get_reward() if mode == "tool" else synth_reward([completion], [env])[0]


def test_trl_environments_replay_the_references_and_score_wrong_answers_zero(run, tmp_path):
    mode, out, dd = run
    references, specs = _stored(dd)
    classes = environment_factories(out)
    assert all(hasattr(c, "get_reward") == (mode == "tool") for c in classes.values())
    rows = datasets.load_dataset(str(export(out, "trl", tmp_path / "trl")), split="train")
    assert set(rows["environment"]) == set(classes)
    instances = {name: cls() for name, cls in classes.items()}  # TRL reuses its instances across rollouts
    for row in rows:
        env = instances[row["environment"]]
        messages = references[row["task_id"]]["messages"]
        for turns, want in [
            (reference_turns(messages), references[row["task_id"]]["reward"]),
            (wrong_late(messages, specs[row["task_id"]]), 0.0),
            (wrong_at_once(specs[row["task_id"]], mode), 0.0),
        ]:
            assert env.reset(**{k: v for k, v in row.items() if k != "environment"}) is None
            assert _reward(env, _play(env, turns), mode) == want, (row["task_id"], turns)
    assert pool_thread(out).pool.episodes == {}  # graded episodes are closed


def test_sixteen_interleaved_trl_episodes_of_one_task_give_eight_rewards(run):
    mode, out, dd = run
    references, specs = _stored(dd)
    task = next(t for t in dd["tasks"] if t["shape"] == "count_tag")
    cls = environment_factories(out)[environment_name(task_from_row(task), mode)]
    scripts = [
        reference_turns(references[task["task_id"]]["messages"])
        if i % 2
        else wrong_late(references[task["task_id"]]["messages"], specs[task["task_id"]])
        for i in range(16)
    ]
    envs = [cls() for _ in range(16)]
    for env in envs:
        env.reset(task_id=task["task_id"])
    completions = [[] for _ in envs]
    for step in range(max(len(s) for s in scripts)):  # one turn of each episode in turn, from 16 threads
        threads = [
            threading.Thread(target=lambda i=i: completions[i].extend(_play(envs[i], [scripts[i][step]])))
            for i in range(16)
            if step < len(scripts[i])
        ]
        [t.start() for t in threads]
        [t.join() for t in threads]
    rewards = [_reward(env, completion, mode) for env, completion in zip(envs, completions)]
    assert rewards == [0.0, 1.0] * 8


def test_tool_methods_carry_the_schema_trl_renders():
    assert python_type({"type": "integer"}) is int
    assert python_type({"anyOf": [{"type": "string"}, {"type": "null"}]}) == typing.Optional[str]
    assert (
        python_type({"type": "array", "items": {"type": "string", "enum": ["a", "b"]}})
        == list[typing.Literal["a", "b"]]
    )
    assert python_type({"type": "object", "additionalProperties": {"type": "number"}}) == dict[str, float]
    assert python_type({"type": "object", "properties": {"x": {"type": "integer"}}}) is dict
    assert python_type({"type": ["integer", "null"]}) == typing.Optional[int]

    items = {
        "type": "array",
        "items": {"type": "object", "properties": {"sku": {"type": "string"}}, "required": ["sku"]},
        "description": "Order lines.",
    }
    method = tool_method(
        {
            "type": "function",
            "function": {
                "name": "order",
                "description": "Place an order.\n\nIt is binding.",
                "parameters": {
                    "type": "object",
                    "required": ["lines"],
                    "properties": {"lines": items, "rush": {"type": "boolean", "default": False}},
                },
            },
        }
    )
    signature = inspect.signature(method)
    assert list(signature.parameters) == ["self", "lines", "rush"]
    assert signature.parameters["lines"].default is inspect.Parameter.empty
    assert signature.parameters["rush"].default is False
    assert typing.get_type_hints(method) == {"lines": list[dict], "rush": typing.Optional[bool], "return": str}
    assert method.__doc__.startswith("Place an order. It is binding.\n\nArgs:\n")
    assert '"sku"' in method.__doc__  # the nested structure a type hint cannot carry, in its description

    with pytest.raises(ToolSchemaError, match="'from' is not a Python name"):
        tool_method(
            {
                "type": "function",
                "function": {
                    "name": "move",
                    "parameters": {"type": "object", "properties": {"from": {"type": "string"}}},
                },
            }
        )
    cls = environment_class(
        "odd",
        [{"type": "function", "function": {"name": "reset", "parameters": {}}}],
        pool=None,
        answer_mode=None,
        owns_reward=True,
    )
    assert cls.reset is SynthEnvironment.reset and cls.tool_reset.__name__ == "reset"


def test_trl_tool_errors_are_results_for_the_model(run):
    mode, out, dd = run
    task = next(t for t in dd["tasks"] if t["shape"] == "retag")
    env = environment_factories(out)[environment_name(task_from_row(task), mode)]()
    tools = _tools_of(env)
    assert tools["list_notes"]().startswith("error: no episode is open")
    env.reset(task_id=task["task_id"])
    assert "error" in tools["set_tag"](note_id="seven", tag="x").lower()
    assert "error" in tools["set_tag"](note_id=1).lower()
    assert "error" in tools["list_notes"](colour="red").lower()
    assert json.loads(tools["list_notes"]())  # the episode goes on
    if mode == "tool":  # count tasks offer submit_answer, retag tasks (judged on their writes) do not
        with pytest.raises(ValueError, match="2 distinct tool sets"):
            environment_factory(out)
    else:
        assert environment_factory(out).__name__ == type(env).__name__


def test_trl_grpo_trainer_step_scores_rollouts_by_the_verifier(run, tmp_path):
    mode, out, dd = run
    python = client_python("trl", TRL)
    references, specs = _stored(dd)
    seen, task_ids, scripts = set(), [], {}
    for task in dd["tasks"]:
        if task["instruction"] not in seen and len(task_ids) < 6:  # the scripted model tells prompts apart by text
            seen.add(task["instruction"])
            task_ids.append(task["task_id"])
            scripts[task["instruction"]] = {
                "right": reference_turns(references[task["task_id"]]["messages"]),
                "wrong": wrong_at_once(specs[task["task_id"]], mode),
            }
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"task_ids": task_ids, "scripts": scripts, "answer_mode": mode}))
    exported = export(out, "trl", tmp_path / "trl")
    result = run_client(
        python, CLIENTS / "trl_grpo.py", str(out), str(exported), str(plan), env={"TRL_EXPERIMENTAL_SILENCE": "1"}
    )
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    rollouts = report["rollouts"]
    assert sorted((r["task_id"], r["kind"]) for r in rollouts) == sorted(
        (t, k) for t in task_ids for k in ("right", "wrong")
    )
    for r in rollouts:
        scored = [x for x in r["rewards"] if x == x]  # NaN: another environment class's reward column
        assert scored == [references[r["task_id"]]["reward"] if r["kind"] == "right" else 0.0], r
    if mode == "text":  # TRL shows environments no final message: synth_reward grades it
        assert report["reward_funcs"] == ["synth_reward"]
    else:  # each environment class owns its reward (get_reward), one reward column per class
        assert sorted(report["reward_funcs"]) == sorted(f"SynthEnv_{n.replace('-', '_')}" for n in report["schemas"])
    assert report["open_episodes"] == 0 and report["environments_with_open_episode"] == 0
    # the schema TRL renders from the methods says what the stored schema says, for these tools
    for name, schemas in report["schemas"].items():
        by_name = {s["function"]["name"]: s["function"]["parameters"] for s in schemas}
        assert by_name["set_tag"] == {
            "type": "object",
            "properties": {
                "note_id": {"type": "integer", "description": "Note id."},
                "tag": {"type": "string", "description": "The new tag."},
            },
            "required": ["note_id", "tag"],
        }
        assert by_name["list_notes"]["properties"]["tag"]["type"] == "string"
        assert "required" not in by_name["list_notes"]
        if "submit_answer" in by_name:
            assert mode == "tool" and by_name["submit_answer"]["properties"]["answer"]["type"] == "integer"


def test_verl_agent_loop_scores_trajectories_by_the_verifier(run, tmp_path):
    mode, out, dd = run
    python = client_python("verl", VERL)
    references, specs = _stored(dd)
    exported = export(out, "verl", tmp_path / "verl")
    rows = [json.loads(json.dumps(r)) for r in datasets.Dataset.from_parquet(str(exported / "train.parquet"))]
    episodes, texts = [], []
    for i, row in enumerate(rows):
        task_id = row["extra_info"]["task_id"]
        messages = references[task_id]["messages"]
        episodes.append({"row": i, "turns": reference_turns(messages), "want": references[task_id]["reward"]})
        episodes.append({"row": i, "turns": wrong_late(messages, specs[task_id]), "want": 0.0})
        texts += [m["content"] or "" for m in messages]
    count = next(i for i, r in enumerate(rows) if specs[r["extra_info"]["task_id"]].get("kind") == "integer")
    count_id = rows[count]["extra_info"]["task_id"]
    for k in range(16):  # one task, 8 right and 8 wrong, all in flight at once
        episodes.append(
            {
                "row": count,
                "turns": reference_turns(references[count_id]["messages"])
                if k % 2
                else wrong_at_once(specs[count_id], mode),
                "want": float(k % 2),
            }
        )
    tools = json.loads(dd["tasks"][0]["tools"])
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"episodes": episodes, "texts": texts, "tools": tools}))
    result = run_client(python, CLIENTS / "verl_agent_loop.py", str(exported), str(plan))
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    got = report["results"]
    assert [r["reward"] for r in got] == [e["want"] for e in episodes]
    assert [r["rm_score"] for r in got] == [e["want"] for e in episodes]  # what verl's trainer reads
    assert sum(r["reward"] for r in got[-16:]) == 8.0
    assert all(r["agent_name"] == "synth_agent" and r["masked"] > 0 for r in got)
    assert [r["task_id"] for r in got] == [rows[e["row"]]["extra_info"]["task_id"] for e in episodes]
    wrong = got[1]["extra"]
    assert wrong["synth_passed"] is False and wrong["synth_reasons"]
    # the prompt carries the raw schemas; verl's own schema model cannot hold them (anyOf) or drops parts
    prompt = got[0]["first_prompt"]
    assert '"anyOf": [{"type": "string"}, {"type": "null"}]' in prompt and '"additionalProperties": false' in prompt
    kept = report["verl_schema_model"]
    assert "rejected" in kept[0] and "additionalProperties" not in json.dumps(kept[1:])
