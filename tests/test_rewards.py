"""Rewards end to end, in both answer modes: every stored trajectory re-grades from its row; scripted agents that
hedge, or answer right but write on the side, or skip a write, get 0; one that answers right in a full
sentence gets 1. Rows of earlier versions fail with a message naming their template version."""

import json

import pytest

from synth.config import RunConfig
from synth.dataset.loader import TaskEnvironment, load_run, task_from_row
from synth.env.registry import TemplateLoadError
from synth.pipeline.run import generate


@pytest.fixture(scope="module", params=["text", "tool"])
def run(request, tmp_path_factory, bwrap, fixture_envs):
    out = tmp_path_factory.mktemp(f"rewards-{request.param}") / "run"
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


def reference_of(dd, task_id):
    [traj] = [t for t in dd["trajectories"] if t["task_id"] == task_id]
    return traj["messages"]


def replay(env: TaskEnvironment, messages, *, extra_calls=(), drop=None):
    """The reference's tool calls (some dropped, some added), without its final answer."""
    env.reset()
    calls = [
        c
        for m in messages
        if m["role"] == "assistant"
        for c in m["tool_calls"] or []
        if c["function"]["name"] != "submit_answer"
    ]
    for i, call in enumerate(calls):
        if drop is None or not drop(call):
            env.step(call)
    for i, (name, arguments) in enumerate(extra_calls):
        env.step(
            {"id": f"extra_{i}", "type": "function", "function": {"name": name, "arguments": json.dumps(arguments)}}
        )


def submit(env, value):
    return env.step(
        {
            "id": "final",
            "type": "function",
            "function": {"name": "submit_answer", "arguments": json.dumps({"answer": value})},
        }
    )


def test_stored_trajectories_regrade_and_are_stored_in_the_runs_answer_mode(run):
    mode, out, dd = run
    assert set(dd["tasks"]["answer_mode"]) == {mode}
    assert (out / "grader").is_dir() and (out / "templates" / "notes" / "env.py").is_file()
    for row in dd["tasks"]:
        messages = reference_of(dd, row["task_id"])
        with TaskEnvironment(row, run_dir=out) as env:
            assert env.regrade(messages).passed, row["task_id"]
        if mode == "tool" and row["answer_schema"]:
            assert messages[-2]["tool_calls"][0]["function"]["name"] == "submit_answer"
            assert "submit_answer" in row["tools"] and "submit_answer" in row["system_prompt"]


def test_scripted_agents_get_the_reward_they_deserve(run):
    mode, out, dd = run
    tried = {"count": 0, "retag": 0}
    for row in dd["tasks"]:
        messages = reference_of(dd, row["task_id"])
        spec = json.loads(row["verifier_params"])["answer"]
        with TaskEnvironment(row, run_dir=out) as env:
            if row["shape"] == "count_tag":
                tried["count"] += 1
                n = spec["value"]
                tag = row["instruction"].split()[-1].rstrip("?.")
                honest = f"There are {n} notes tagged {tag} in the notebook."
                hedge = f"{n}, or possibly {n + 1}"
                replay(env, messages)
                assert env.grade(honest).passed, honest
                replay(env, messages)
                assert not env.grade(hedge).passed, hedge
                # the right answer plus a write on the side
                replay(env, messages, extra_calls=[("set_tag", {"note_id": 1, "tag": "zzz"})])
                assert not env.grade(honest).passed
                if mode == "tool":  # the same task graded through submit_answer, right and wrong
                    replay(env, messages)
                    submit(env, n)
                    assert env.done and env.grade(None).passed
                    replay(env, messages)
                    submit(env, n + 1)
                    assert not env.grade(None).passed
            else:
                tried["retag"] += 1
                replay(env, messages)
                assert env.grade("Done: every note was retagged.").passed
                # one write skipped
                writes = [
                    c
                    for m in messages
                    if m["role"] == "assistant"
                    for c in m["tool_calls"] or []
                    if c["function"]["name"] == "set_tag"
                ]
                replay(env, messages, drop=lambda c: c["id"] == writes[-1]["id"])
                assert not env.grade("Done.").passed
                # all writes, plus one more note given the new tag
                new_tag = json.loads(writes[0]["function"]["arguments"])["tag"]
                env.reset()
                notes = json.loads(
                    env.step({"id": "look", "type": "function", "function": {"name": "list_notes", "arguments": "{}"}})[
                        "content"
                    ]
                )
                written = {json.loads(c["function"]["arguments"])["note_id"] for c in writes}
                sibling = next(n["id"] for n in notes if n["id"] not in written and n["tag"] != new_tag)
                replay(env, messages, extra_calls=[("set_tag", {"note_id": sibling, "tag": new_tag})])
                assert not env.grade("Done.").passed
    assert tried["count"] and tried["retag"]


def test_any_task_grades_in_either_mode(run):
    mode, out, dd = run
    row = next(r for r in dd["tasks"] if r["answer_schema"])
    n = json.loads(row["verifier_params"])["answer"]["value"]
    messages = reference_of(dd, row["task_id"])
    other = "tool" if mode == "text" else "text"
    with TaskEnvironment(row, run_dir=out, answer_mode=other) as env:
        replay(env, messages)
        if other == "tool":
            assert any(t["function"]["name"] == "submit_answer" for t in env.tools)
            submit(env, n)
            assert env.grade(None).passed
        else:
            assert not any(t["function"]["name"] == "submit_answer" for t in env.tools)
            assert env.grade(f"{n}.").passed


def test_rows_of_an_earlier_template_version_fail_clearly(run, fixture_envs):
    _, _, dd = run
    old = task_from_row(dd["tasks"][0]).model_copy(update={"template_version": "0.1.0"})
    with pytest.raises(TemplateLoadError, match=r"notes@0\.1\.0.*version\(s\) 0\.2\.0"):
        TaskEnvironment(old, envs_dirs=[fixture_envs])


def test_show_prints_code_and_text_verbatim(run, synth_cli):
    _, out, dd = run
    row = next(r for r in dd["tasks"] if r["shape"] == "retag")
    shown = synth_cli("show", str(out), "--task", row["task_id"])
    assert shown.returncode == 0, shown.stderr
    assert (
        'left = [r["id"] for r in outcome.rows("SELECT id, tag FROM notes") if r["tag"] == params["old"]]'
        in shown.stdout
    ), shown.stdout
    assert row["instruction"] in shown.stdout
