"""The explicit Arrow schemas of a run's dataset. Never inferred: every column is declared here."""

from __future__ import annotations

import pyarrow as pa

TOOL_CALL = pa.struct(
    [
        ("id", pa.string()),
        ("type", pa.string()),
        ("function", pa.struct([("name", pa.string()), ("arguments", pa.string())])),
    ]
)

MESSAGE = pa.struct(
    [
        ("role", pa.string()),
        ("content", pa.string()),
        ("reasoning_content", pa.string()),
        ("tool_calls", pa.list_(TOOL_CALL)),
        ("tool_call_id", pa.string()),
        ("name", pa.string()),
    ]
)

TASKS = pa.schema(
    [
        ("task_id", pa.string()),
        ("env_id", pa.string()),
        ("template", pa.string()),
        ("template_version", pa.string()),
        ("category", pa.string()),
        ("agent_category", pa.string()),  # general | search | code | code_interpreter
        ("difficulty", pa.int32()),
        ("shape", pa.string()),
        ("instruction", pa.string()),
        ("system_prompt", pa.string()),
        ("tools", pa.string()),  # JSON list of OpenAI function schemas
        ("solution", pa.string()),  # program source
        ("solution_entry", pa.string()),
        ("solution_params", pa.string()),  # JSON
        ("verifier", pa.string()),  # program source: the template's own check (runs on top of verifier_library)
        ("verifier_entry", pa.string()),
        ("verifier_params", pa.string()),  # JSON: the typed answer with its expected value, the declared effects
        ("verifier_library", pa.string()),  # the grading library the verifier runs on: grader/<id>.py in the run
        ("answer_schema", pa.string()),  # JSON Schema of the final answer (submit_answer's `answer`); null: state-only
        ("answer_mode", pa.string()),  # text (a final message) or tool (submit_answer), as the agent was asked
        ("env_seed", pa.int64()),
        ("env_instance", pa.string()),  # the template's named instance (null: built from the seed alone)
        ("run_seed", pa.int64()),
        ("proposer", pa.string()),
        ("synth_version", pa.string()),
        ("reference_tool_calls", pa.int32()),
        ("mutants_tried", pa.int32()),  # wrong outcomes tried by the acceptance gate (every one failed)
        ("mutants_killed", pa.int32()),
        ("variants_tried", pa.int32()),  # right outcomes tried by the acceptance gate (every one passed)
        ("pass_rate", pa.float32()),  # measured difficulty: share of solver rollouts that passed; null without them
        ("solver_rollouts", pa.int32()),  # rollouts that count towards pass_rate (infrastructure failures do not)
        ("solver_passes", pa.int32()),
        ("parent_task_id", pa.string()),  # the easier task this one was hardened from
        ("extra_tools", pa.string()),  # JSON list of tools written for the task: {name, kind, source}
        ("proposer_model", pa.string()),
        ("proposer_repairs", pa.int32()),  # repair rounds the proposing model needed
    ]
)

TRAJECTORIES = pa.schema(
    [
        ("trajectory_id", pa.string()),
        ("task_id", pa.string()),
        ("env_id", pa.string()),
        ("messages", pa.list_(MESSAGE)),
        ("answer", pa.string()),
        ("reward", pa.float32()),
        ("passed", pa.bool_()),
        ("verdict_reasons", pa.list_(pa.string())),
        ("agent", pa.string()),  # reference (the solution program) or model
        ("agent_config", pa.string()),  # JSON: model, sampling parameters, ...
        ("turns", pa.int32()),
        ("tool_calls", pa.int32()),
        ("finish_reason", pa.string()),
        ("error", pa.string()),
        ("duration_s", pa.float32()),
        ("sample", pa.int32()),  # which of the task's rollouts with this agent
        ("prompt_tokens", pa.int64()),
        ("completion_tokens", pa.int64()),
        ("reasoning_tokens", pa.int64()),
        ("model_calls", pa.int32()),
        ("retries", pa.int32()),
        ("model_latency_s", pa.float32()),
        ("faults", pa.list_(pa.string())),  # survived faults: retries, tool errors, server quirks, context events
    ]
)

ENVIRONMENTS = pa.schema(
    [
        ("env_id", pa.string()),
        ("template", pa.string()),
        ("version", pa.string()),
        ("seed", pa.int64()),
        ("instance", pa.string()),
        ("category", pa.string()),
        ("agent_category", pa.string()),
        ("description", pa.string()),
        ("policy", pa.string()),
        ("db_hash", pa.string()),
        ("tools", pa.string()),  # JSON list of OpenAI function schemas
        ("status", pa.string()),  # ok | failed
        ("error", pa.string()),
        ("tasks_proposed", pa.int32()),
        ("tasks_declined", pa.int32()),
        ("tasks_accepted", pa.int32()),
        ("tasks_rejected", pa.int32()),
        ("proposer_prompt_tokens", pa.int64()),  # the proposing model's usage for this environment
        ("proposer_completion_tokens", pa.int64()),
        ("proposer_reasoning_tokens", pa.int64()),
        ("proposer_calls", pa.int32()),
    ]
)

REJECTIONS = pa.schema(
    [
        ("task_id", pa.string()),
        ("env_id", pa.string()),
        ("template", pa.string()),
        ("difficulty", pa.int32()),
        ("shape", pa.string()),
        ("instruction", pa.string()),
        ("reason", pa.string()),
        ("detail", pa.string()),
    ]
)

SPLITS: dict[str, pa.Schema] = {
    "tasks": TASKS,
    "trajectories": TRAJECTORIES,
    "environments": ENVIRONMENTS,
    "rejections": REJECTIONS,
}


def normalize_message(message: dict) -> dict:
    """An OpenAI chat message with every MESSAGE field present (missing ones as null)."""
    calls = message.get("tool_calls")
    return {
        "role": message["role"],
        "content": message.get("content"),
        "reasoning_content": message.get("reasoning_content"),
        "tool_calls": [
            {
                "id": c["id"],
                "type": c.get("type", "function"),
                "function": {"name": c["function"]["name"], "arguments": c["function"]["arguments"]},
            }
            for c in calls
        ]
        if calls
        else None,
        "tool_call_id": message.get("tool_call_id"),
        "name": message.get("name"),
    }
