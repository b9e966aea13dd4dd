"""`synth export`: a run's tasks in the formats RL trainers load.

    nemo-gym  OUT/tasks.jsonl: rows with `responses_create_params` for NeMo Gym and verifiers' `nemo_gym` taskset,
              served by `synth envs serve` (synth.serving.export_nemo_gym)
    verl      OUT/train.parquet: verl's RL dataset rows, run by the `synth_agent` agent loop
              (synth.serving.verl_agent); OUT/agent_loop.yaml registers that loop for the run
    trl       OUT/data/train-00000-of-00001.parquet: `prompt` messages and a `tools` column, with the `environment`
              each row runs in (synth.serving.trl_env)
    hub       the Hugging Face Hub layout: one parquet config per split with a `train` split, a card listing them,
              and the run's grader/ and templates/ (synth.serving.hub)

Every format is written into a temporary folder first and moved into place whole: a failed export leaves nothing
behind, and an existing OUT is replaced only with `overwrite`.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any, Callable, Literal

import datasets
import pyarrow as pa
import pyarrow.parquet as pq

from synth.dataset.loader import load_run, task_from_row
from synth.ids import digest
from synth.task import TaskSpec

Format = Literal["nemo-gym", "verl", "trl", "hub"]
FORMATS: tuple[str, ...] = ("nemo-gym", "verl", "trl", "hub")
AGENT_NAME = "synth_agent"
VERL_FILE = "train.parquet"
VERL_AGENT_CONFIG = "agent_loop.yaml"
TRL_FILE = "data/train-00000-of-00001.parquet"


class ExportError(RuntimeError):
    """An export that cannot be made; the message says why and what to do."""


def opening_messages(task: TaskSpec) -> list[dict[str, str]]:
    return [{"role": "system", "content": task.system_prompt}, {"role": "user", "content": task.instruction}]


def _mode(task: TaskSpec, answer_mode: str | None) -> str:
    mode = answer_mode or task.answer_mode
    if mode not in ("text", "tool"):
        raise ExportError(f"answer mode must be text or tool, not {mode!r}")
    return mode


def _tasks(run: Path) -> list[TaskSpec]:
    try:
        rows = load_run(run)["tasks"]
    except FileNotFoundError as exc:
        raise ExportError(
            f"{run} holds no finished synth run (no dataset_dict.json); pass the folder `synth generate --out` wrote"
        ) from exc
    try:
        return [task_from_row(row) for row in rows]
    except ValueError as exc:
        raise ExportError(str(exc)) from exc


def environment_name(task: TaskSpec, answer_mode: str) -> str:
    """The TRL environment a task runs in: one per distinct set of offered tools (a template may offer subsets)."""
    return f"{task.template}-{digest(task.episode_tools(answer_mode), [t.name for t in task.extra_tools], length=10)}"


# verl -------------------------------------------------------------------------------------------------------------

VERL_SCHEMA = pa.schema(
    [
        ("data_source", pa.string()),
        ("prompt", pa.list_(pa.struct([("role", pa.string()), ("content", pa.string())]))),
        ("ability", pa.string()),
        ("agent_name", pa.string()),
        ("reward_model", pa.struct([("style", pa.string()), ("ground_truth", pa.string())])),
        (
            "extra_info",
            pa.struct(
                [
                    ("index", pa.int64()),
                    ("split", pa.string()),
                    ("task_id", pa.string()),
                    ("answer_mode", pa.string()),
                    # verl hands tools_kwargs to the agent loop; ours opens one session per trajectory from these
                    (
                        "tools_kwargs",
                        pa.struct(
                            [
                                (
                                    "synth",
                                    pa.struct(
                                        [
                                            (
                                                "create_kwargs",
                                                pa.struct([("task_id", pa.string()), ("answer_mode", pa.string())]),
                                            )
                                        ]
                                    ),
                                )
                            ]
                        ),
                    ),
                ]
            ),
        ),
    ]
)


def verl_row(task: TaskSpec, index: int, answer_mode: str | None = None) -> dict[str, Any]:
    mode = _mode(task, answer_mode)
    return {
        "data_source": f"synth/{task.template}",
        "prompt": opening_messages(task),
        "ability": task.agent_category,
        "agent_name": AGENT_NAME,
        # the reward is the task's verifier run in the sandbox by the agent loop; ground_truth carries its parameters
        "reward_model": {"style": "rule", "ground_truth": json.dumps(task.verifier.params, sort_keys=True)},
        "extra_info": {
            "index": index,
            "split": "train",
            "task_id": task.task_id,
            "answer_mode": mode,
            "tools_kwargs": {"synth": {"create_kwargs": {"task_id": task.task_id, "answer_mode": mode}}},
        },
    }


def agent_loop_config(run: Path) -> str:
    """verl's `actor_rollout_ref.rollout.agent.agent_loop_config_path` file: `synth_agent` bound to this run."""
    return (
        f"# verl: actor_rollout_ref.rollout.agent.agent_loop_config_path=<this file>\n"
        f"- name: {AGENT_NAME}\n"
        f"  _target_: synth.serving.verl_agent.SynthAgentLoop\n"
        f"  run_dir: {json.dumps(str(run.resolve()))}\n"
    )


def write_verl(run: Path, tmp: Path, answer_mode: str | None = None, **_: Any) -> None:
    rows = [verl_row(task, i, answer_mode) for i, task in enumerate(_tasks(run))]
    pq.write_table(pa.Table.from_pylist(rows, schema=VERL_SCHEMA), tmp / VERL_FILE)
    (tmp / VERL_AGENT_CONFIG).write_text(agent_loop_config(run))


# trl --------------------------------------------------------------------------------------------------------------

TRL_FEATURES = datasets.Features(
    {
        "prompt": [{"role": datasets.Value("string"), "content": datasets.Value("string")}],
        "tools": datasets.Value("string"),  # JSON list of the episode's OpenAI tool schemas (TRL's `tools` column)
        "task_id": datasets.Value("string"),
        "answer_mode": datasets.Value("string"),
        "environment": datasets.Value("string"),  # the key of synth.serving.trl_env.environment_factories(run)
    }
)


def trl_row(task: TaskSpec, answer_mode: str | None = None) -> dict[str, Any]:
    mode = _mode(task, answer_mode)
    return {
        "prompt": opening_messages(task),
        "tools": json.dumps(task.episode_tools(mode)),
        "task_id": task.task_id,
        "answer_mode": mode,
        "environment": environment_name(task, mode),
    }


def write_trl(run: Path, tmp: Path, answer_mode: str | None = None, **_: Any) -> None:
    rows = [trl_row(task, answer_mode) for task in _tasks(run)]
    (tmp / TRL_FILE).parent.mkdir(parents=True)
    datasets.Dataset.from_list(rows, features=TRL_FEATURES).to_parquet(str(tmp / TRL_FILE))


# the dispatcher ---------------------------------------------------------------------------------------------------


def _nemo_gym(run: Path, tmp: Path, answer_mode: str | None = None, **_: Any) -> None:
    from synth.serving.export_nemo_gym import export_nemo_gym

    export_nemo_gym(run, tmp, answer_mode=answer_mode)


def _hub(run: Path, tmp: Path, answer_mode: str | None = None, *, dest: Path, **_: Any) -> None:
    from synth.serving.hub import write_hub

    write_hub(run, tmp, where=str(dest.resolve()))


WRITERS: dict[str, Callable[..., None]] = {"nemo-gym": _nemo_gym, "verl": write_verl, "trl": write_trl, "hub": _hub}


def export(
    run: str | Path, fmt: str, out: str | Path, *, answer_mode: str | None = None, overwrite: bool = False
) -> Path:
    """Write `run` in format `fmt` into the folder `out`; returns `out`. `answer_mode` (default: each task's own)
    decides whether episodes offer submit_answer (not used by the hub format, a copy of the run as it is)."""
    run, out = Path(run), Path(out)
    if fmt not in WRITERS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if answer_mode is not None and answer_mode not in ("text", "tool"):
        raise ExportError(f"answer mode must be text or tool, not {answer_mode!r}")
    if not (run / "dataset_dict.json").is_file():
        raise ExportError(
            f"{run} holds no finished synth run (no dataset_dict.json); pass the folder `synth generate --out` wrote"
        )
    if out.resolve() == run.resolve() or run.resolve() in out.resolve().parents:
        raise ExportError(f"--out {out} is inside the run; choose a folder outside {run}")
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not overwrite:
        raise ExportError(f"{out} exists and is not empty; choose another --out or pass --overwrite")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.export-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        WRITERS[fmt](run, tmp, answer_mode=answer_mode, dest=out)
        if out.exists():
            shutil.rmtree(out) if out.is_dir() else out.unlink()
        tmp.rename(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out
