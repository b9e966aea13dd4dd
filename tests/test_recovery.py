"""A sandbox that crashes or hangs mid-task fails only that task, with the reason recorded; the worker
replaces the sandbox and carries on. Same on every isolating backend."""

from synth.config import RunConfig
from synth.env.registry import select
from synth.pipeline.plan import plan_envs
from synth.pipeline.worker import process_env
from synth.sandbox import SandboxLimits


def test_crashed_and_hung_sandboxes_fail_their_task_and_are_replaced(backend, fixture_envs):
    # Difficulty levels take turns: 1 kills the sandbox while proposing, 2 kills it from inside a tool call
    # during the rollout, 3 hangs while proposing, 4 is a good task.
    config = RunConfig(
        envs=1,
        tasks_per_env=2,
        attempts_per_task=4,
        templates=("crashy",),
        envs_dirs=(fixture_envs,),
        sandbox=backend.name,
        limits=SandboxLimits(wall_timeout_s=1, cpu_s=30),
    )
    [unit] = plan_envs(select(["crashy"], [fixture_envs]), 1, 0)
    result = process_env(unit, config)
    assert result.error is None, result.error
    reasons = sorted(r["reason"] for r in result.rejections)
    assert reasons == ["sandbox_crashed"] * 4 + ["sandbox_timeout"] * 2, reasons
    by_shape = {r["shape"]: r for r in result.rejections}
    assert "during 'propose'" in by_shape["dying_proposer"]["detail"]
    assert "timed out" in by_shape["hanging_proposer"]["detail"]
    assert by_shape["solve_fatal"]["task_id"]  # a real task was failed, not just a proposal
    assert len(result.tasks) == 2 and {t["shape"] for t in result.tasks} == {"solve_read"}
    assert result.environment["status"] == "ok" and result.environment["tasks_rejected"] == 6
