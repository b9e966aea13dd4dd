"""What a template author porting a domain needs: tool results as JSON (models, dataclasses, rows; strings as
they are), a named instance with its own data file, fixed tasks, tools that end the episode, multi-line tool
descriptions, templates outside envs/; and `synth envs check` failing the template bugs it must catch."""

import json
import shutil

import datasets

from synth.dataset.loader import TaskEnvironment, load_run
from synth.env.registry import select
from synth.env.session import EnvSession
from synth.sandbox import SandboxLimits


def test_tool_results_reach_the_agent_as_json(bwrap, fixture_envs):
    [entry] = select(["helpdesk"], [fixture_envs])
    with EnvSession(bwrap, entry, 3, SandboxLimits(), instance="full") as env:
        customer = json.loads(env.call_tool("find_customer", {"name": "Ada Lane"}).content)
        assert customer == {"id": 1, "name": "Ada Lane", "plan": "pro", "since": "2021-03-04"}  # a pydantic model
        rows = json.loads(env.call_tool("list_customers", {"plan": "team"}).content)  # sqlite3 rows
        assert [r["name"] for r in rows] == ["Di Ruiz", "Flo Weiss"] and set(rows[0]) == {"id", "name", "plan", "since"}
        change = json.loads(env.call_tool("change_plan", {"name": "Bo Chen", "plan": "pro"}).content)  # a dataclass
        assert change == {"name": "Bo Chen", "old": "basic", "new": "pro"}
        assert env.call_tool("days_between", {"start": "2026-01-01", "end": "2026-01-31"}).content == "30"
        handoff = env.call_tool("transfer_to_human", {"summary": "refund"})
        assert handoff.content == "A human agent takes it from here." and handoff.ended  # a string goes as it is
        refused = env.call_tool("find_customer", {"name": "Ada Lane"})
        assert not refused.ok and "episode has ended" in refused.content
        described = {t["function"]["name"]: t["function"]["description"] for t in env.info.tools}
        assert described["list_customers"].startswith("Customers, optionally on one plan.\n\n- Each entry")
        assert env.info.tool_kinds == {
            "find_customer": "read",
            "list_customers": "read",
            "change_plan": "write",
            "days_between": "compute",
            "transfer_to_human": "handoff",
        }


def test_a_ported_domain_checks_generates_and_regrades_anywhere(bwrap, fixture_envs, synth_cli, tmp_path):
    checked = synth_cli("envs", "check", "helpdesk", "--envs-dir", str(fixture_envs), "--seeds", "2")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "fixed tasks pass the acceptance gate" in checked.stdout
    out = tmp_path / "run"
    made = synth_cli(
        "generate",
        "--templates",
        "helpdesk:full",
        "--envs-dir",
        str(fixture_envs),
        "--envs",
        "2",
        "--tasks-per-env",
        "4",
        "--out",
        str(out),
        "--no-ray",
    )
    assert made.returncode == 0, made.stdout + made.stderr
    dd = load_run(out)
    assert set(dd["tasks"]["env_instance"]) == {"full"} and set(dd["environments"]["instance"]) == {"full"}
    assert {"upgrade", "refund", "tenure"} <= set(dd["tasks"]["shape"])  # the fixed tasks come first
    # the run carries its templates: its rows re-grade without the folder they came from
    moved = tmp_path / "elsewhere"
    shutil.copytree(out, moved)
    for row in datasets.load_from_disk(str(moved))["tasks"]:
        [traj] = [t for t in dd["trajectories"] if t["task_id"] == row["task_id"]]
        with TaskEnvironment(row, run_dir=moved) as env:
            assert env.regrade(traj["messages"]).passed, row["shape"]


def test_check_fails_a_broken_tool_contract_and_an_impure_build(bwrap, fixture_envs, synth_cli, tmp_path):
    broken = tmp_path / "helpdesk"
    shutil.copytree(fixture_envs / "helpdesk", broken)
    tools = (broken / "tools.py").read_text()
    tools = tools.replace(  # a write tool whose result has no JSON form
        '        return PlanChange(name=name, old=row["plan"], new=plan)',
        "        return {'change': PlanChange(name=name, old=row['plan'], new=plan), 'at': object()}",
    )
    tools = tools.replace(  # a compute tool that writes
        "        return (dt.date.fromisoformat(end)",
        '        self.db.execute("UPDATE customers SET since = since")\n        return (dt.date.fromisoformat(end)',
    )
    (broken / "tools.py").write_text(tools)
    world = (broken / "world.py").read_text()
    (broken / "world.py").write_text(
        world.replace(
            'customers = DATA["customers"] if self.instance == "full" else rng.sample(DATA["customers"], 5)',
            'customers = DATA["customers"] if self.seed % 2 else rng.sample(DATA["customers"], 5)',
        )
    )
    checked = synth_cli("envs", "check", "helpdesk", "--envs-dir", str(tmp_path), "--seeds", "2")
    assert checked.returncode == 1
    assert "FAIL  helpdesk: tools keep their contract" in checked.stdout, checked.stdout
    assert "returned a object, which has no JSON form" in checked.stdout
    assert 'days_between: a compute tool changed the database; declare it @tool("write")' in checked.stdout
    assert "FAIL  helpdesk: build() rebuilds the same database from its rng and instance alone" in checked.stdout


def test_unknown_template_errors_name_the_option(synth_cli, tmp_path):
    result = synth_cli("generate", "--templates", "helpdesk", "--envs", "1", "--out", str(tmp_path / "r"))
    assert result.returncode != 0
    assert "--envs-dir" in result.stdout + result.stderr and "SYNTH_ENVS_PATH" in result.stdout + result.stderr
