"""Task acceptance and every way a task can fail it; nothing is lost on the way."""

from synth.config import RunConfig
from synth.env.registry import select
from synth.pipeline.plan import plan_envs
from synth.pipeline.tasks import task_from_draft
from synth.pipeline.validate import validate_task
from synth.pipeline.worker import EnvSandboxes, process_env
from synth.sandbox import SandboxLimits
from synth.task import Program
from synth.validation.mutants import source_mutants


def test_source_mutants_change_behaviour():
    source = "def f(tools, params):\n    xs = [3, 1, 2]\n    return min(x for x in xs if x > 1)\n"
    mutants = source_mutants(Program(source=source, entry="f"), limit=3)
    assert 1 <= len(mutants) <= 3
    results = set()
    for m in mutants:
        namespace = {}
        exec(m.source, namespace)
        results.add(namespace["f"](None, {}))
    assert 2 not in results or len(results) > 1  # at least one mutant answers differently


def test_faulty_template_rejections_are_counted_by_reason(bwrap, fixture_envs):
    config = RunConfig(
        envs=1,
        tasks_per_env=10,
        attempts_per_task=3,
        templates=("faulty",),
        envs_dirs=(fixture_envs,),
        limits=SandboxLimits(wall_timeout_s=1, cpu_s=30),
    )
    [unit] = plan_envs(select(["faulty"], [fixture_envs]), 1, seed := 1)
    result = process_env(unit, config)
    reasons = {r["reason"] for r in result.rejections}
    assert {"verifier_error", "sandbox_timeout", "solution_error", "noop_passes", "proposer_error"} <= reasons
    assert result.error is None
    # the good proposer still yields accepted tasks after the sandbox was killed and restarted
    assert result.tasks and all(t["shape"] == "solve_read" for t in result.tasks)
    for row in result.rejections:
        assert row["detail"], row
    verifier_errors = [r for r in result.rejections if r["reason"] == "verifier_error"]
    assert "KeyError" in verifier_errors[0]["detail"] and "verifier bug" in verifier_errors[0]["detail"]
    assert "ZeroDivisionError" in next(r for r in result.rejections if r["reason"] == "solution_error")["detail"]
    assert result.environment["tasks_accepted"] == len(result.tasks)
    assert result.environment["tasks_rejected"] == len(result.rejections)
    assert len(result.tasks) + len(result.rejections) == result.proposed + sum(
        r["reason"] == "proposer_error" for r in result.rejections
    )


def test_environment_that_cannot_start_is_a_failed_row(bwrap, tmp_path, fixture_envs):
    [entry] = select(["notes"], [fixture_envs])
    [unit] = plan_envs([entry], 1, 0)
    gone = unit.model_copy(update={"folder": tmp_path / "missing"})
    result = process_env(gone, RunConfig(tasks_per_env=1))
    assert result.error and "failed to start" in result.error
    assert result.environment["status"] == "failed" and result.environment["env_id"] == unit.env_id


def test_hard_tasks_need_six_tool_calls(bwrap, fixture_envs):
    [unit] = plan_envs(select(["notes"], [fixture_envs]), 1, 0)
    sandboxes = EnvSandboxes(unit, RunConfig())
    try:
        draft = sandboxes.env.propose(0, 1)  # count_tag: a single list_notes call
        info = sandboxes.env.info
        assert validate_task(sandboxes.env, task_from_draft(draft, unit, info, 1, "text")).accepted
        result = validate_task(sandboxes.env, task_from_draft(draft, unit, info, 4, "text"))
        assert not result.accepted and result.reason == "too_few_tool_calls"
    finally:
        sandboxes.close()


def test_the_gate_rejects_each_loose_declaration_for_its_reason(bwrap, fixture_envs):
    [unit] = plan_envs(select(["loose"], [fixture_envs]), 1, 2)
    sandboxes = EnvSandboxes(unit, RunConfig())
    reasons = {}
    try:
        info = sandboxes.env.info
        for index, prop in enumerate(info.proposers):
            task = task_from_draft(sandboxes.env.propose(index, 7), unit, info, 1, "text")
            result = validate_task(sandboxes.env, task)
            assert not result.accepted and result.detail, (prop["shape"], result)
            reasons[prop["shape"]] = result.reason
    finally:
        sandboxes.close()
    assert reasons == {
        "narrow_candidates": "accepts_wrong_answer",
        "loose_keys": "accepts_side_effect",
        "unchecked_write": "accepts_skipped_write",
        "id_check": "rejects_correct_plan",
        "literal_answer": "rejects_correct_variant",
    }
