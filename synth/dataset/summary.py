"""The run summary: counts, rejection reasons, pass rate and timing (also written as summary.json)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyarrow as pa
from pydantic import BaseModel


class RunSummary(BaseModel):
    out: str
    seed: int
    envs_planned: int
    envs_ok: int
    envs_failed: int
    tasks_proposed: int
    tasks_declined: int
    tasks_accepted: int
    tasks_rejected: int
    rejections: dict[str, int]
    trajectories: int
    pass_rate: float
    by_template: dict[str, int]
    by_difficulty: dict[str, int]
    distinct_shapes: int
    tool_calls_per_task: float
    wall_s: float
    tasks_per_s: float
    env_errors: list[str]


def summarize(out: Path, seed: int, tables: dict[str, pa.Table], *, wall_s: float) -> RunSummary:
    tasks, trajs, envs, rej = (tables[k].to_pylist() for k in ("tasks", "trajectories", "environments", "rejections"))
    passed = sum(1 for t in trajs if t["passed"])
    return RunSummary(
        out=str(out), seed=seed, envs_planned=len(envs),
        envs_ok=sum(e["status"] == "ok" for e in envs), envs_failed=sum(e["status"] != "ok" for e in envs),
        tasks_proposed=sum(e["tasks_proposed"] for e in envs), tasks_declined=sum(e["tasks_declined"] for e in envs), tasks_accepted=len(tasks), tasks_rejected=len(rej),
        rejections=dict(Counter(r["reason"] for r in rej).most_common()),
        trajectories=len(trajs), pass_rate=round(passed / len(trajs), 4) if trajs else 0.0,
        by_template=dict(sorted(Counter(t["template"] for t in tasks).items())),
        by_difficulty={str(k): v for k, v in sorted(Counter(t["difficulty"] for t in tasks).items())},
        distinct_shapes=len({(t["template"], t["shape"]) for t in tasks}),
        tool_calls_per_task=round(sum(t["reference_tool_calls"] for t in tasks) / len(tasks), 2) if tasks else 0.0,
        wall_s=round(wall_s, 2), tasks_per_s=round(len(tasks) / wall_s, 2) if wall_s else 0.0,
        env_errors=[f"{e['env_id']}: {e['error'].splitlines()[0]}" for e in envs if e["error"]],
    )
