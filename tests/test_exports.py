"""`synth export` and `synth push`: each format loads with its consumer's own loader (pyarrow for verl,
`datasets.load_dataset` for trl and the Hub layout), says exactly what the run's tasks say, and a failed or refused
export leaves nothing behind. The nemo-gym rows themselves are tested with the NeMo Gym server."""

import json
import shutil
from pathlib import Path

import datasets
import pyarrow.parquet as pq
import pytest
import yaml

from synth.config import RunConfig
from synth.dataset.loader import TaskEnvironment, load_run, task_from_row
from synth.pipeline.run import generate
from synth.serving import exports, hub
from synth.serving.exports import AGENT_NAME, ExportError, environment_name, export


@pytest.fixture(scope="module")
def run(tmp_path_factory, bwrap, fixture_envs):
    """A small run in tool answer mode with every split filled: notes tasks, and loose tasks all rejected."""
    out = tmp_path_factory.mktemp("exports") / "run"
    config = RunConfig(
        envs=3,
        tasks_per_env=6,
        seed=5,
        out=out,
        templates=("notes", "loose"),
        envs_dirs=(fixture_envs,),
        answer_mode="tool",
    )
    summary = generate(config, use_ray=False)
    assert summary.tasks_accepted >= 6 and summary.tasks_rejected >= 1
    return out


@pytest.fixture(scope="module")
def dd(run):
    return load_run(run)


def test_verl_rows_load_with_pyarrow_and_carry_each_task(run, dd, tmp_path):
    out = export(run, "verl", tmp_path / "verl")
    table = pq.read_table(out / "train.parquet")
    assert table.schema.names == ["data_source", "prompt", "ability", "agent_name", "reward_model", "extra_info"]
    rows = table.to_pylist()
    assert len(rows) == dd["tasks"].num_rows
    for i, (row, stored) in enumerate(zip(rows, dd["tasks"])):
        task = task_from_row(stored)
        assert row["agent_name"] == AGENT_NAME and row["data_source"] == f"synth/{task.template}"
        assert row["prompt"] == [
            {"role": "system", "content": task.system_prompt},
            {"role": "user", "content": task.instruction},
        ]
        assert row["reward_model"]["style"] == "rule"
        assert json.loads(row["reward_model"]["ground_truth"]) == json.loads(stored["verifier_params"])
        info = row["extra_info"]
        assert (info["index"], info["task_id"], info["answer_mode"]) == (i, task.task_id, "tool")
        assert info["tools_kwargs"]["synth"]["create_kwargs"] == {"task_id": task.task_id, "answer_mode": "tool"}
    [entry] = yaml.safe_load((out / "agent_loop.yaml").read_text())
    assert entry == {
        "name": AGENT_NAME,
        "_target_": "synth.serving.verl_agent.SynthAgentLoop",
        "run_dir": str(run.resolve()),
    }


@pytest.mark.parametrize("mode", [None, "text"])
def test_trl_rows_load_with_datasets_with_their_tools(run, dd, tmp_path, mode):
    out = export(run, "trl", tmp_path / "trl", answer_mode=mode)
    rows = datasets.load_dataset(str(out), split="train")
    assert rows.column_names == ["prompt", "tools", "task_id", "answer_mode", "environment"]
    assert rows.num_rows == dd["tasks"].num_rows
    submit_offered = set()
    for row, stored in zip(rows, dd["tasks"]):
        task = task_from_row(stored)
        want = mode or task.answer_mode
        assert row["task_id"] == task.task_id and row["answer_mode"] == want
        assert row["prompt"][1] == {"role": "user", "content": task.instruction}
        tools = json.loads(row["tools"])
        assert tools == task.episode_tools(want)
        submit_offered.add(any(t["function"]["name"] == "submit_answer" for t in tools))
        assert row["environment"] == environment_name(task, want)
    assert submit_offered == ({True, False} if mode is None else {False})  # state-only tasks never offer it


def test_hub_layout_loads_config_by_config_as_the_hub_reads_it(run, dd, tmp_path):
    out = export(run, "hub", tmp_path / "hub")
    assert sorted(datasets.get_dataset_config_names(str(out))) == sorted(hub.CONFIGS)
    for name in hub.CONFIGS:
        loaded = datasets.load_dataset(str(out), name, split="train")
        assert loaded.num_rows == dd[name].num_rows
        assert loaded.features == dd[name].features, name
        assert (out / hub.shard_path(name, 0, 1)).is_file()  # push_to_hub's own naming
    assert datasets.load_dataset(str(out), split="train").num_rows == dd["tasks"].num_rows  # tasks is the default
    trajectories = datasets.load_dataset(str(out), "trajectories", split="train")
    assert trajectories[0]["messages"] == dd["trajectories"][0]["messages"]

    card = (out / "README.md").read_text()
    meta = yaml.safe_load(card.split("---")[1])
    assert {c["config_name"]: c["data_files"] for c in meta["configs"]} == {
        name: [{"split": "train", "path": f"{name}/train-*"}] for name in hub.CONFIGS
    }
    assert [c["config_name"] for c in meta["configs"] if c.get("default")] == ["tasks"]
    assert {i["config_name"] for i in meta["dataset_info"]} == set(hub.CONFIGS)
    assert "license" in meta and "tags" in meta  # the run card's own metadata stays
    assert f'load_dataset("{out.resolve()}", "tasks", split="train")' in card and "load_from_disk" not in card


def test_the_hub_folder_regrades_its_trajectories(run, dd, tmp_path):
    """grader/ and templates/ travel with the layout: the stored verifiers run from the exported folder alone."""
    out = export(run, "hub", tmp_path / "hub")
    assert sorted(p.name for p in (out / "grader").iterdir()) == sorted(p.name for p in (run / "grader").iterdir())
    assert (out / "templates" / "notes" / "env.py").is_file()
    tasks = datasets.load_dataset(str(out), "tasks", split="train")
    trajectories = {t["task_id"]: t for t in datasets.load_dataset(str(out), "trajectories", split="train")}
    for row in tasks:
        with TaskEnvironment(row, run_dir=out, envs_dirs=[]) as env:
            verdict = env.regrade(trajectories[row["task_id"]]["messages"])
        assert verdict.passed == trajectories[row["task_id"]]["passed"], row["task_id"]


def test_large_configs_are_sharded(run, dd, tmp_path):
    shards = hub.write_hub(run, tmp_path / "hub", max_shard_bytes=2000)
    assert len(shards["trajectories"]) > 1
    assert shards["trajectories"][0] == f"trajectories/train-00000-of-{len(shards['trajectories']):05d}.parquet"
    loaded = datasets.load_dataset(str(tmp_path / "hub"), "trajectories", split="train")
    assert loaded["trajectory_id"] == dd["trajectories"]["trajectory_id"]


def test_an_empty_split_is_left_out_and_said_so(run, dd, tmp_path):
    """`datasets` cannot load a config whose only split has no rows, so a run without rejections has three."""
    bare = tmp_path / "bare"
    datasets.DatasetDict({**dd, "rejections": dd["rejections"].filter(lambda _: False)}).save_to_disk(str(bare))
    for folder in ("grader", "templates"):
        shutil.copytree(run / folder, bare / folder)
    out = export(bare, "hub", tmp_path / "hub")
    assert sorted(datasets.get_dataset_config_names(str(out))) == ["environments", "tasks", "trajectories"]
    assert not (out / "rejections").exists()
    assert "no rows in `rejections`" in (out / "README.md").read_text()


def test_push_sends_each_config_with_push_to_hub_and_the_rest_in_the_export_layout(run, dd, tmp_path, monkeypatch):
    """No network here: the Hub client is replaced by a recorder at its two calls; what it would upload is checked
    against the exported layout."""
    pushed = []

    def push_to_hub(self, repo_id, **kwargs):
        pushed.append((repo_id, kwargs["config_name"], kwargs["split"], kwargs["set_default"], self.num_rows))

    class Api:
        def __init__(self):
            self.calls = []

        def create_repo(self, repo_id, **kwargs):
            self.calls.append(("create_repo", repo_id, kwargs["repo_type"]))

        def upload_folder(self, *, repo_id, folder_path, allow_patterns, **kwargs):
            self.calls.append(("upload_folder", repo_id, kwargs["repo_type"]))
            uploaded = tmp_path / "uploaded"
            for path in Path(folder_path).rglob("*"):
                rel = path.relative_to(folder_path).as_posix()
                if path.is_file() and any(
                    Path(rel).match(p) or rel == p or rel.startswith(p.split("/**")[0] + "/") for p in allow_patterns
                ):
                    (uploaded / rel).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy(path, uploaded / rel)

    monkeypatch.setattr(datasets.Dataset, "push_to_hub", push_to_hub)
    api = Api()
    assert hub.push(run, "someone/notes", api=api) == "someone/notes"
    assert pushed == [("someone/notes", name, "train", name == "tasks", dd[name].num_rows) for name in hub.CONFIGS]
    assert api.calls == [("create_repo", "someone/notes", "dataset"), ("upload_folder", "someone/notes", "dataset")]
    out = export(run, "hub", tmp_path / "hub")
    uploaded = tmp_path / "uploaded"
    assert sorted(p.relative_to(uploaded).as_posix() for p in uploaded.rglob("*") if p.is_file()) == sorted(
        p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and not p.name.endswith(".parquet")
    )
    card = (uploaded / "README.md").read_text()
    assert card == (out / "README.md").read_text().replace(str(out.resolve()), "someone/notes")


def test_refused_and_failed_exports_leave_nothing(run, tmp_path, monkeypatch, synth_cli):
    out = tmp_path / "out"
    for args, message in [
        (["--format", "parquet"], "unknown format 'parquet'"),
        (["--format", "hub", "--answer-mode", "tool"], "does not apply to --format hub"),
        (["--format", "trl", "--answer-mode", "maybe"], "answer mode must be text or tool"),
    ]:
        result = synth_cli("export", str(run), *args, "--out", str(out))
        assert result.returncode == 2 and message in " ".join(result.stdout.split()), result.stdout
    result = synth_cli("export", str(tmp_path), "--format", "trl", "--out", str(out))
    assert result.returncode == 2 and "no finished synth run" in " ".join(result.stdout.split())
    result = synth_cli("export", str(run), "--format", "trl", "--out", str(run / "trl"))
    assert result.returncode == 2 and "inside the run" in " ".join(result.stdout.split())
    assert not out.exists() and not (run / "trl").exists()

    result = synth_cli("export", str(run), "--format", "nemo-gym", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert len((out / "tasks.jsonl").read_text().splitlines()) == load_run(run)["tasks"].num_rows
    result = synth_cli("export", str(run), "--format", "verl", "--out", str(out))
    assert result.returncode == 2 and "--overwrite" in result.stdout
    assert (out / "tasks.jsonl").is_file()  # the earlier export is untouched
    result = synth_cli("export", str(run), "--format", "verl", "--out", str(out), "--overwrite")
    assert result.returncode == 0 and sorted(p.name for p in out.iterdir()) == ["agent_loop.yaml", "train.parquet"]

    def broken(run, tmp, **_):
        (tmp / "half-written").write_text("...")
        raise RuntimeError("disk full")

    monkeypatch.setitem(exports.WRITERS, "trl", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        export(run, "trl", tmp_path / "never")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no partial folder, no temporary one
    with pytest.raises(ExportError, match="not empty"):
        export(run, "verl", out)
