"""The run summary: counts, rejection reasons, pass rate and timing (also written as summary.json)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyarrow as pa
from pydantic import BaseModel

from synth.dataset.usage_summary import ModelUsageSummary, model_usage


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
    by_category: dict[str, int]
    by_template: dict[str, int]
    by_difficulty: dict[str, int]
    duplicates_removed: int
    distinct_shapes: int
    distinct_tools_per_task: float
    tool_calls_per_task: float
    wall_s: float
    tasks_per_s: float
    env_errors: list[str]
    model: ModelUsageSummary | None = None  # runs with a model endpoint: tokens, calls, faults, pass rate


def _distinct_tools(trajectory: dict) -> int:
    return len({c["function"]["name"] for m in trajectory["messages"] for c in (m["tool_calls"] or [])})


def summarize(out: Path, seed: int, tables: dict[str, pa.Table], *, wall_s: float) -> RunSummary:
    tasks, trajs, envs, rej = (tables[k].to_pylist() for k in ("tasks", "trajectories", "environments", "rejections"))
    passed = sum(1 for t in trajs if t["passed"])
    return RunSummary(
        out=str(out),
        seed=seed,
        envs_planned=len(envs),
        envs_ok=sum(e["status"] == "ok" for e in envs),
        envs_failed=sum(e["status"] != "ok" for e in envs),
        tasks_proposed=sum(e["tasks_proposed"] for e in envs),
        tasks_declined=sum(e["tasks_declined"] for e in envs),
        tasks_accepted=len(tasks),
        tasks_rejected=len(rej),
        rejections=dict(Counter(r["reason"] for r in rej).most_common()),
        trajectories=len(trajs),
        pass_rate=round(passed / len(trajs), 4) if trajs else 0.0,
        by_category=dict(sorted(Counter(t["agent_category"] for t in tasks).items())),
        by_template=dict(sorted(Counter(t["template"] for t in tasks).items())),
        by_difficulty={str(k): v for k, v in sorted(Counter(t["difficulty"] for t in tasks).items())},
        duplicates_removed=sum(r["reason"] == "duplicate" for r in rej),
        distinct_shapes=len({(t["template"], t["shape"]) for t in tasks}),
        distinct_tools_per_task=round(
            sum(_distinct_tools(t) for t in trajs if t["agent"] == "reference")
            / max(1, sum(t["agent"] == "reference" for t in trajs)),
            2,
        ),
        tool_calls_per_task=round(sum(t["reference_tool_calls"] for t in tasks) / len(tasks), 2) if tasks else 0.0,
        wall_s=round(wall_s, 2),
        tasks_per_s=round(len(tasks) / wall_s, 2) if wall_s else 0.0,
        env_errors=[f"{e['env_id']}: {e['error'].splitlines()[0]}" for e in envs if e["error"]],
        model=model_usage(tables),
    )
