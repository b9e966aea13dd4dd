"""The LLM proposer end to end against a scripted server (a protocol test double playing the proposing
model): repair after errors, step-by-step hardening, tools written by the model, negative controls."""

import json

import pytest

from model_helpers import TEST_KEY, TEST_KEY_ENV, endpoint
from scripted_server import Reply, ScriptedServer
from synth.config import RunConfig
from synth.dataset.loader import TaskEnvironment, load_run
from synth.pipeline.run import generate
from synth.propose.draft import DraftFormatError, parse_draft


def draft(instruction: str, solve: str, verify: str, tools=("list_notes",), extra: str = "") -> str:
    header = json.dumps({"shape": "Count Tag!", "instruction": instruction, "tools": list(tools)})
    return f"Here is the task.\n```json\n{header}\n```\n```python solution\n{solve}```\n" \
           f"```python verifier\n{verify}```\n{extra}"


COUNT_VERIFY = """def verify(outcome, params):
    from verifiers.answers import only_number
    expected = len(outcome.initial_rows("SELECT id FROM notes WHERE tag IN ('alpha', 'bravo')"))
    return only_number(outcome.answer, expected), []
"""
ALPHA_VERIFY = COUNT_VERIFY.replace("IN ('alpha', 'bravo')", "= 'alpha'")
BROKEN = draft("How many notes carry the tag alpha?", "def solve(tools, params):\n    return len(tools.list_notes(tag=alpha))\n",
               ALPHA_VERIFY)
GOOD = draft("How many notes carry the tag alpha?", "def solve(tools, params):\n    return len(tools.list_notes(tag='alpha'))\n",
             ALPHA_VERIFY)
NOOP = draft("How many notes are tagged alpha or bravo?", "def solve(tools, params):\n    return 1\n",
             "def verify(outcome, params):\n    return True, []\n")
TOOL = '''```python tool read
def count_tagged(self, tags: list[str]) -> int:
    """Count the notes carrying any of the given tags.

    Args:
        tags: The tags to count.
    """
    marks = ",".join("?" for _ in tags)
    return len(self.rows(f"SELECT id FROM notes WHERE tag IN ({marks})", *tags))
```'''
HARD = draft("How many notes are tagged alpha or bravo?",
             "def solve(tools, params):\n    return tools.count_tagged(tags=['alpha', 'bravo'])\n",
             COUNT_VERIFY, tools=("list_notes", "count_tagged"), extra=TOOL)


@pytest.fixture(autouse=True)
def api_key(monkeypatch):
    monkeypatch.setenv(TEST_KEY_ENV, TEST_KEY)


def llm_config(tmp_path, fixture_envs, server, **overrides) -> RunConfig:
    fields = dict(envs=1, tasks_per_env=2, seed=4, out=tmp_path / "run", templates=("notes",),
                  envs_dirs=(fixture_envs,), workers=1, proposer="llm", model=endpoint(server), repair_rounds=1,
                  escalations=1)
    return RunConfig(**{**fields, **overrides})


def user_turns(request: dict) -> list[str]:
    return [m["content"] for m in request["messages"] if m["role"] == "user"]


def test_proposals_are_repaired_hardened_and_may_bring_their_own_tools(tmp_path, bwrap, fixture_envs):
    with ScriptedServer([Reply(content=BROKEN, reasoning="first try"), Reply(content=GOOD),
                         Reply(content=NOOP), Reply(content=HARD)]) as server:
        summary = generate(llm_config(tmp_path, fixture_envs, server), use_ray=False)
        requests = server.requests
    assert len(requests) == 4
    propose, repair, harden, repair2 = (user_turns(r)[-1] for r in requests)
    assert "Tools:" in propose and "list_notes" in propose and "A sample of the data" in propose
    assert "solution_error" in repair and "NameError" in repair
    assert "difficulty 2" in harden and "How many notes carry the tag alpha?" in harden
    assert "noop_passes" in repair2 and "accepts an agent that does nothing" in repair2
    # each new instruction from the pipeline is a user turn: the earlier reasoning is not sent again
    assert all("reasoning_content" not in m for m in requests[1]["messages"])

    dd = load_run(tmp_path / "run")
    tasks = sorted(dd["tasks"], key=lambda t: t["difficulty"])
    assert summary.tasks_accepted == 2 and [t["difficulty"] for t in tasks] == [1, 2]
    easy, hard = tasks
    assert {t["proposer"] for t in tasks} == {"llm"} and easy["shape"] == "count_tag"
    assert hard["parent_task_id"] == easy["task_id"] and easy["parent_task_id"] is None
    assert [t["proposer_repairs"] for t in tasks] == [1, 1] and easy["proposer_model"] == "scripted"
    assert json.loads(easy["extra_tools"]) == []
    [written] = json.loads(hard["extra_tools"])
    assert written["name"] == "count_tagged" and "count_tagged" in hard["tools"]
    env_row = dd["environments"][0]
    assert env_row["proposer_calls"] == 4 and env_row["proposer_prompt_tokens"] > 0
    assert summary.model.proposer_calls == 4
    # the stored tasks stand alone: their environment, written tools included, is rebuilt from the row
    for task in tasks:
        [reference] = [t for t in dd["trajectories"] if t["task_id"] == task["task_id"]]
        with TaskEnvironment(task, envs_dirs=[fixture_envs]) as env:
            assert env.regrade(reference["messages"]).passed
            env.reset()
            assert not env.grade(None).passed


def test_every_negative_control_applies_to_llm_tasks(tmp_path, bwrap, fixture_envs):
    garbage = "Sure! The task is to count notes."
    no_tools = draft("How many notes are there in total?", "def solve(tools, params):\n    return 7\n",
                     "def verify(outcome, params):\n    from verifiers.answers import only_number\n"
                     "    return only_number(outcome.answer, 7), []\n")
    leak = draft("What is the title of the last note tagged alpha (it is LATEST)?",
                 "def solve(tools, params):\n    return max(tools.list_notes(tag='alpha'), key=lambda n: n['id'])['title']\n",
                 "def verify(outcome, params):\n    rows = outcome.initial_rows(\"SELECT title FROM notes WHERE tag = 'alpha' "
                 "ORDER BY id DESC LIMIT 1\")\n    return bool(outcome.answer) and rows[0]['title'] in outcome.answer, []\n")
    replies = [garbage, no_tools, leak, NOOP]
    with ScriptedServer(handler=lambda body, n: Reply(content=replies[n].replace("LATEST", latest))) as server:
        from synth.env.registry import select
        from synth.env.session import EnvSession
        from synth.pipeline.plan import plan_envs
        from synth.sandbox import SandboxLimits

        [unit] = plan_envs(select(["notes"], [fixture_envs]), 1, 4)
        with EnvSession(bwrap, select(["notes"], [fixture_envs])[0], unit.seed, SandboxLimits()) as env:
            latest = max(json.loads(env.call_tool("list_notes", {"tag": "alpha"}).content), key=lambda n: n["id"])["title"]
        config = llm_config(tmp_path, fixture_envs, server, tasks_per_env=1, attempts_per_task=1, repair_rounds=3)
        summary = generate(config, use_ray=False)
        repairs = [user_turns(r)[-1] for r in server.requests[1:]]
    assert ["unparseable" in repairs[0], "solution_uses_no_tools" in repairs[1],
            "answer_in_instruction" in repairs[2]] == [True, True, True]
    assert summary.tasks_accepted == 0 and summary.tasks_proposed == 1
    [rejection] = load_run(tmp_path / "run")["rejections"]
    assert rejection["reason"] == "noop_passes" and "after 3 repair rounds" in rejection["detail"]


def test_draft_parsing_reports_what_to_fix():
    parsed = parse_draft(HARD)
    assert parsed.shape == "count_tag" and parsed.solution.entry == "solve" and parsed.verifier.entry == "verify"
    assert parsed.tools == ("list_notes", "count_tagged") and parsed.new_tools[0].kind == "read"
    with pytest.raises(DraftFormatError, match="no ```json block"):
        parse_draft("```python solution\ndef solve(tools, params): pass\n```")
    with pytest.raises(DraftFormatError, match="SyntaxError"):
        parse_draft(GOOD.replace("return len(", "return len(("))
    with pytest.raises(DraftFormatError, match="exactly 2 arguments"):
        parse_draft(GOOD.replace("def solve(tools, params)", "def solve(tools)"))
    with pytest.raises(DraftFormatError, match="one solution and one verifier"):
        parse_draft(GOOD.replace("```python verifier", "```python"))
