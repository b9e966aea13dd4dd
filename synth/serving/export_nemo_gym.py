"""A run's tasks as a NeMo Gym dataset: JSONL rows that a NeMo Gym agent (or verifiers' `nemo_gym` taskset) runs
against `synth envs serve`.

Each row holds `responses_create_params` (`input`: the opening messages, `tools`: the flat Responses tools under
their route names) and the fields `/seed_session` and `/verify` read: `task_id` and `answer_mode`. Descriptive
fields (`env_id`, `template`, `difficulty`, ...) ride along; with `agent_name`, rows carry the `agent_ref` NeMo Gym's
rollout collection routes by.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from synth.dataset.loader import load_run, task_from_row
from synth.serving.responses import flat_tools, input_messages
from synth.task import TaskSpec

FILE_NAME = "tasks.jsonl"


def nemo_gym_row(task: TaskSpec, *, answer_mode: str | None = None, agent_name: str | None = None) -> dict[str, Any]:
    mode = answer_mode or task.answer_mode
    if mode not in ("text", "tool"):
        raise ValueError(f"answer mode must be text or tool, not {mode!r}")
    row: dict[str, Any] = {
        "responses_create_params": {
            "input": input_messages(
                [{"role": "system", "content": task.system_prompt}, {"role": "user", "content": task.instruction}]
            ),
            "tools": flat_tools(task.episode_tools(mode)),
            "parallel_tool_calls": False,
        },
        "task_id": task.task_id,
        "answer_mode": mode,
        "env_id": task.env_id,
        "template": task.template,
        "template_version": task.template_version,
        "difficulty": task.difficulty,
        "shape": task.shape,
        "agent_category": task.agent_category,
    }
    if agent_name:
        row["agent_ref"] = {"type": "responses_api_agents", "name": agent_name}
    return row


def nemo_gym_rows(
    run: str | Path, *, answer_mode: str | None = None, agent_name: str | None = None
) -> Iterator[dict[str, Any]]:
    for stored in load_run(run)["tasks"]:
        yield nemo_gym_row(task_from_row(stored), answer_mode=answer_mode, agent_name=agent_name)


def export_nemo_gym(
    run: str | Path, out: str | Path, *, answer_mode: str | None = None, agent_name: str | None = None
) -> Path:
    """Write the run's tasks to `out` (a folder: `out/tasks.jsonl`; or a path ending in .jsonl); returns the file."""
    out = Path(out)
    path = out if out.suffix == ".jsonl" else out / FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = list(nemo_gym_rows(run, answer_mode=answer_mode, agent_name=agent_name))  # all or nothing
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    tmp.replace(path)
    return path
