"""Row builders: one place that turns pipeline objects into rows of the declared schemas."""

from __future__ import annotations

import json
from typing import Any

import synth
from synth.agent.rollout import Rollout
from synth.dataset.schema import normalize_message
from synth.env.session import EnvInfo
from synth.ids import canonical_json, digest
from synth.model.usage import Usage
from synth.pipeline.plan import EnvUnit
from synth.task import TaskSpec, Verdict
from synth.validation.gate import Validation

# Filled in by the model stages (pass@k filtering, LLM proposal); procedural tasks keep these defaults.
TASK_MEASURES: dict[str, Any] = {
    "pass_rate": None,
    "solver_rollouts": 0,
    "solver_passes": 0,
    "parent_task_id": None,
    "proposer_model": None,
    "proposer_repairs": 0,
}


def task_row(task: TaskSpec, validation: Validation, run_seed: int, **measures: Any) -> dict[str, Any]:
    unknown = set(measures) - set(TASK_MEASURES)
    if unknown:
        raise TypeError(f"task_row: unknown columns {sorted(unknown)}")
    return {
        "task_id": task.task_id,
        "env_id": task.env_id,
        "template": task.template,
        "template_version": task.template_version,
        "category": task.category,
        "agent_category": task.agent_category,
        "difficulty": task.difficulty,
        "shape": task.shape,
        "instruction": task.instruction,
        "system_prompt": task.system_prompt,
        "tools": task.tools_json(),
        "solution": task.solution.source,
        "solution_entry": task.solution.entry,
        "solution_params": canonical_json(task.solution.params),
        "verifier": task.verifier.source,
        "verifier_entry": task.verifier.entry,
        "verifier_params": canonical_json(task.verifier.params),
        "verifier_library": task.verifier.library,
        "answer_schema": canonical_json(task.answer_schema) if task.answer_schema is not None else None,
        "answer_mode": task.answer_mode,
        "env_seed": task.env_seed,
        "env_instance": task.env_instance,
        "run_seed": run_seed,
        "proposer": task.proposer,
        "synth_version": synth.__version__,
        "reference_tool_calls": validation.rollout.tool_calls if validation.rollout else 0,
        "mutants_tried": validation.mutants_tried,
        "mutants_killed": validation.mutants_killed,
        "variants_tried": validation.variants_tried,
        "extra_tools": canonical_json([t.model_dump() for t in task.extra_tools]),
        **TASK_MEASURES,
        **measures,
    }


def trajectory_row(
    task: TaskSpec, rollout: Rollout, verdict: Verdict, agent: str, agent_config: dict[str, Any], sample: int = 0
) -> dict[str, Any]:
    usage = rollout.usage or Usage()
    return {
        "trajectory_id": f"traj-{digest(task.task_id, agent, canonical_json(agent_config), sample)}",
        "task_id": task.task_id,
        "env_id": task.env_id,
        "messages": [normalize_message(m) for m in rollout.messages],
        "answer": rollout.answer,
        "reward": 1.0 if verdict.passed else 0.0,
        "passed": verdict.passed,
        "verdict_reasons": verdict.reasons if not verdict.error else verdict.reasons + [verdict.error],
        "agent": agent,
        "agent_config": canonical_json(agent_config),
        "turns": rollout.turns,
        "tool_calls": rollout.tool_calls,
        "finish_reason": rollout.finish_reason,
        "error": rollout.error,
        "duration_s": rollout.duration_s,
        "sample": sample,
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "reasoning_tokens": usage.reasoning_tokens,
        "model_calls": usage.calls,
        "retries": usage.retries,
        "model_latency_s": round(usage.latency_s, 4),
        "faults": list(rollout.faults),
    }


def environment_row(
    unit: EnvUnit,
    info: EnvInfo | None,
    *,
    error: str | None,
    proposed: int = 0,
    declined: int = 0,
    accepted: int = 0,
    rejected: int = 0,
    proposer_usage: Usage | None = None,
) -> dict[str, Any]:
    usage = proposer_usage or Usage()
    return {
        "env_id": unit.env_id,
        "template": unit.template,
        "version": unit.version,
        "seed": unit.seed,
        "instance": unit.instance,
        "category": unit.category,
        "agent_category": unit.agent_category,
        "description": info.description if info else None,
        "policy": info.policy if info else None,
        "db_hash": info.db_hash if info else None,
        "tools": json.dumps(info.tools, sort_keys=True) if info else None,
        "status": "failed" if error else "ok",
        "error": error,
        "tasks_proposed": proposed,
        "tasks_declined": declined,
        "tasks_accepted": accepted,
        "tasks_rejected": rejected,
        "proposer_prompt_tokens": usage.prompt_tokens,
        "proposer_completion_tokens": usage.completion_tokens,
        "proposer_reasoning_tokens": usage.reasoning_tokens,
        "proposer_calls": usage.calls,
    }


def rejection_row(
    task: TaskSpec | None,
    unit: EnvUnit,
    *,
    reason: str,
    detail: str = "",
    difficulty: int = 0,
    shape: str = "",
    instruction: str = "",
) -> dict[str, Any]:
    return {
        "task_id": task.task_id if task else None,
        "env_id": unit.env_id,
        "template": unit.template,
        "difficulty": task.difficulty if task else difficulty,
        "shape": task.shape if task else shape,
        "instruction": task.instruction if task else instruction,
        "reason": reason,
        "detail": detail[:4000],
    }
