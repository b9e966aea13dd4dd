"""Per-run accounting of model use: tokens, calls, latency, retries, faults, the solver's pass rate."""

from __future__ import annotations

from collections import Counter

import pyarrow as pa
from pydantic import BaseModel

from synth.agent.rollout import INFRASTRUCTURE_FAILURES


class ModelUsageSummary(BaseModel):
    model_calls: int
    prompt_tokens: int
    completion_tokens: int
    reasoning_tokens: int
    retries: int
    model_latency_s: float  # summed over calls; concurrent calls overlap in wall time
    solver_rollouts: int
    solver_pass_rate: float | None  # over solver rollouts that were not infrastructure failures
    proposer_calls: int
    faults: dict[str, int]  # by kind, most frequent first


def fault_kind(fault: str) -> str:
    if fault.startswith("retry:"):
        return fault
    return fault.split(" at ")[0].split(":")[0]


def model_usage(tables: dict[str, pa.Table]) -> ModelUsageSummary | None:
    """None for runs that made no model call."""
    trajs = [t for t in tables["trajectories"].to_pylist() if t.get("agent") != "reference"]
    envs = tables["environments"].to_pylist()
    calls = sum(t["model_calls"] or 0 for t in trajs) + sum(e["proposer_calls"] or 0 for e in envs)
    if not calls and not trajs:
        return None
    counted = [t for t in trajs if t["finish_reason"] not in INFRASTRUCTURE_FAILURES]
    total = lambda key, rows=trajs: sum(r[key] or 0 for r in rows)  # noqa: E731
    return ModelUsageSummary(
        model_calls=calls,
        prompt_tokens=total("prompt_tokens") + total("proposer_prompt_tokens", envs),
        completion_tokens=total("completion_tokens") + total("proposer_completion_tokens", envs),
        reasoning_tokens=total("reasoning_tokens") + total("proposer_reasoning_tokens", envs),
        retries=total("retries"),
        model_latency_s=round(total("model_latency_s"), 2),
        solver_rollouts=len(trajs),
        solver_pass_rate=round(sum(t["passed"] for t in counted) / len(counted), 4) if counted else None,
        proposer_calls=total("proposer_calls", envs),
        faults=dict(Counter(fault_kind(f) for t in trajs for f in (t["faults"] or [])).most_common()),
    )
