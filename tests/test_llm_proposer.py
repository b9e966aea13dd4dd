"""The LLM proposer end to end against a scripted server (a protocol test double playing the proposing
model): repair after errors, step-by-step hardening, tools written by the model, negative controls."""

import json

import pytest
from model_helpers import TEST_KEY, TEST_KEY_ENV, endpoint
from scripted_server import Reply, ScriptedServer

from synth.config import RunConfig
from synth.dataset.loader import TaskEnvironment, load_run
from synth.generation import generate
from synth.propose.draft import DraftFormatError, parse_draft


def draft(
    instruction: str,
    solve: str,
    expected: str | None,
    tools=("list_notes",),
    extra: str = "",
    answer: dict | None = None,
    effects: dict | None = None,
    check: str | None = None,
) -> str:
    header = {
        "shape": "Count Tag!",
        "instruction": instruction,
        "tools": list(tools),
        "answer": answer or {"kind": "integer"},
    }
    if effects is not None:
        header["effects"] = effects
    blocks = f"```python expected\n{expected}```\n" if expected else ""
    blocks += f"```python check\n{check}```\n" if check else ""
    return f"Here is the task.\n```json\n{json.dumps(header)}\n```\n{blocks}```python solution\n{solve}```\n{extra}"


COUNT_EXPECTED = """def expected(db):
    return len(db.execute("SELECT id FROM notes WHERE tag IN ('alpha', 'bravo')").fetchall())
"""
ALPHA_EXPECTED = COUNT_EXPECTED.replace("IN ('alpha', 'bravo')", "= 'alpha'")
BROKEN = draft(
    "How many notes carry the tag alpha?",
    "def solve(tools, params):\n    return len(tools.list_notes(tag=alpha))\n",
    ALPHA_EXPECTED,
)
GOOD = draft(
    "How many notes carry the tag alpha?",
    "def solve(tools, params):\n    return len(tools.list_notes(tag='alpha'))\n",
    ALPHA_EXPECTED,
)
NOOP = draft(
    "Have a look at the notes tagged alpha or bravo.",
    "def solve(tools, params):\n    return None\n",
    None,
    answer={"kind": "none"},
)
TOOL = '''```python tool read
def count_tagged(self, tags: list[str]) -> int:
    """Count the notes carrying any of the given tags.

    Args:
        tags: The tags to count.
    """
    marks = ",".join("?" for _ in tags)
    return len(self.rows(f"SELECT id FROM notes WHERE tag IN ({marks})", *tags))
```'''
HARD = draft(
    "How many notes are tagged alpha or bravo?",
    "def solve(tools, params):\n    return tools.count_tagged(tags=['alpha', 'bravo'])\n",
    COUNT_EXPECTED,
    tools=("list_notes", "count_tagged"),
    extra=TOOL,
)
RETAG = draft(
    "Retag every note tagged alpha as zulu.",
    "def solve(tools, params):\n    for n in tools.list_notes(tag='alpha'):\n"
    "        tools.set_tag(note_id=n['id'], tag='zulu')\n",
    None,
    tools=("list_notes", "set_tag"),
    answer={"kind": "none"},
    effects={"tables": {"notes": {"update": ["tag"]}}},
    check='def check(outcome, params):\n    before = outcome.initial_rows("SELECT id FROM notes WHERE tag = '
    "'alpha'\")\n    after = outcome.rows(\"SELECT id FROM notes WHERE tag = 'zulu'\")\n"
    "    return sorted(r['id'] for r in before) == sorted(r['id'] for r in after), []\n",
)


@pytest.fixture(autouse=True)
def api_key(monkeypatch):
    monkeypatch.setenv(TEST_KEY_ENV, TEST_KEY)


def llm_config(tmp_path, fixture_envs, server, **overrides) -> RunConfig:
    fields = dict(
        envs=1,
        tasks_per_env=2,
        seed=4,
        out=tmp_path / "run",
        templates=("notes",),
        envs_dirs=(fixture_envs,),
        workers=1,
        proposer="llm",
        model=endpoint(server),
        repair_rounds=1,
        escalations=1,
    )
    return RunConfig(**{**fields, **overrides})


def user_turns(request: dict) -> list[str]:
    return [m["content"] for m in request["messages"] if m["role"] == "user"]


def test_proposals_are_repaired_hardened_and_may_bring_their_own_tools(tmp_path, bwrap, fixture_envs):
    with ScriptedServer(
        [Reply(content=BROKEN, reasoning="first try"), Reply(content=GOOD), Reply(content=NOOP), Reply(content=HARD)]
    ) as server:
        summary = generate(llm_config(tmp_path, fixture_envs, server), use_ray=False)
        requests = server.requests
    assert len(requests) == 4
    propose, repair, harden, repair2 = (user_turns(r)[-1] for r in requests)
    assert "Tools:" in propose and "list_notes" in propose and "A sample of the data" in propose
    assert "solution_error" in repair and "NameError" in repair
    assert "difficulty 2" in harden and "How many notes carry the tag alpha?" in harden
    assert "noop_passes" in repair2 and "does nothing passes" in repair2
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
    no_tools = draft(
        "How many notes are there in total?",
        "def solve(tools, params):\n    return 7\n",
        "def expected(db):\n    return 7\n",
    )
    leak = draft(
        "How many notes are tagged alpha (there are LATEST)?",
        "def solve(tools, params):\n    return len(tools.list_notes(tag='alpha'))\n",
        ALPHA_EXPECTED,
    )
    replies = [garbage, no_tools, leak, NOOP]
    with ScriptedServer(handler=lambda body, n: Reply(content=replies[n].replace("LATEST", str(latest)))) as server:
        from synth.env.registry import select
        from synth.env.session import EnvSession
        from synth.pipeline.plan import plan_envs
        from synth.sandbox import SandboxLimits

        [unit] = plan_envs(select(["notes"], [fixture_envs]), 1, 4)
        with EnvSession(bwrap, select(["notes"], [fixture_envs])[0], unit.seed, SandboxLimits()) as env:
            latest = len(json.loads(env.call_tool("list_notes", {"tag": "alpha"}).content))
        config = llm_config(tmp_path, fixture_envs, server, tasks_per_env=1, attempts_per_task=1, repair_rounds=3)
        summary = generate(config, use_ray=False)
        repairs = [user_turns(r)[-1] for r in server.requests[1:]]
    assert [
        "unparseable" in repairs[0],
        "solution_uses_no_tools" in repairs[1],
        "answer_in_instruction" in repairs[2],
    ] == [True, True, True]
    assert summary.tasks_accepted == 0 and summary.tasks_proposed == 1
    [rejection] = load_run(tmp_path / "run")["rejections"]
    assert rejection["reason"] == "noop_passes" and "after 3 repair rounds" in rejection["detail"]


def test_llm_write_tasks_face_the_same_gate(tmp_path, bwrap, fixture_envs):
    """A model's loose declaration (any note may change its tag) is caught: a write on a sibling passes its
    check, so the task is sent back; declared exactly, it is kept."""
    exact = RETAG.replace('"update": ["tag"]', '"update": ["tag"], "values": {"tag": "zulu"}')
    with ScriptedServer(handler=lambda body, n: Reply(content=[RETAG, exact][min(n, 1)])) as server:
        config = llm_config(
            tmp_path, fixture_envs, server, tasks_per_env=1, attempts_per_task=1, repair_rounds=1, escalations=0
        )
        summary = generate(config, use_ray=False)
        repairs = [user_turns(r)[-1] for r in server.requests[1:]]
    assert "accepts_side_effect" in repairs[0] and "declare each table's changes exactly" in repairs[0]
    assert summary.tasks_accepted == 1
    [task] = load_run(tmp_path / "run")["tasks"]
    assert json.loads(task["verifier_params"])["effects"] == {
        "tables": {"notes": {"update": ["tag"], "values": {"tag": "zulu"}}}
    }


def test_draft_parsing_reports_what_to_fix():
    parsed = parse_draft(HARD)
    assert parsed.shape == "count_tag" and parsed.solution.entry == "solve" and parsed.expected.entry == "expected"
    assert parsed.answer.kind == "integer" and parsed.effects.read_only and parsed.check is None
    assert parsed.tools == ("list_notes", "count_tagged") and parsed.new_tools[0].kind == "read"
    with pytest.raises(DraftFormatError, match="no ```json block"):
        parse_draft("```python solution\ndef solve(tools, params): pass\n```")
    with pytest.raises(DraftFormatError, match="SyntaxError"):
        parse_draft(GOOD.replace("return len(", "return len(("))
    with pytest.raises(DraftFormatError, match="exactly 2 argument"):
        parse_draft(GOOD.replace("def solve(tools, params)", "def solve(tools)"))
    with pytest.raises(DraftFormatError, match="needs one ```python expected block"):
        parse_draft(GOOD.replace("```python expected", "```python"))
    with pytest.raises(DraftFormatError, match="answer kind 'guess' is unknown"):
        parse_draft(GOOD.replace('"kind": "integer"', '"kind": "guess"'))
    with pytest.raises(DraftFormatError, match="effects"):
        parse_draft(RETAG.replace('"update": ["tag"]', '"update": 7'))
