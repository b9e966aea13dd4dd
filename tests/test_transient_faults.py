"""Same seed, same rows, whatever the load: sandbox failures that do not repeat (a start that times out, a
sandbox killed mid-task) are retried with the same seeds and leave the output exactly as an undisturbed run's."""

import itertools
import os
import signal

from synth.config import RunConfig
from synth.env.registry import select
from synth.pipeline.plan import plan_envs
from synth.pipeline.pool import POOL
from synth.pipeline.worker import process_env
from synth.sandbox import SandboxError
from synth.sandbox.bwrap import BwrapBackend
from synth.sandbox.process import ServerProcess

VOLATILE = {"duration_s"}


def rows(result, split):
    return [{k: v for k, v in r.items() if k not in VOLATILE} for r in getattr(result, split)]


def test_transient_sandbox_failures_do_not_change_the_rows(bwrap, fixture_envs, monkeypatch):
    config = RunConfig(envs=1, tasks_per_env=6, templates=("notes",), envs_dirs=(fixture_envs,))
    [unit] = plan_envs(select(["notes"], [fixture_envs]), 1, 21)
    POOL.close()
    calm = process_env(unit, config)
    assert len(calm.tasks) == 6

    POOL.close()
    starts, calls = itertools.count(), itertools.count()
    real_start, real_call = BwrapBackend.start_server, ServerProcess.call
    faults = []

    def flaky_start(self, *args, **kwargs):
        if next(starts) == 0:  # the first start times out, as on a machine too busy to answer in time
            faults.append("start timed out")
            raise SandboxError("sandbox did not answer within 60s (injected)", reason="timeout")
        return real_start(self, *args, **kwargs)

    def killed_mid_task(self, method, params=None, timeout=None):
        if method == "validate" and next(calls) in (1, 3):  # the sandbox is killed while it validates a task
            faults.append("killed while validating")
            os.killpg(self._proc.pid, signal.SIGKILL)
        return real_call(self, method, params, timeout)

    monkeypatch.setattr(BwrapBackend, "start_server", flaky_start)
    monkeypatch.setattr(ServerProcess, "call", killed_mid_task)
    stormy = process_env(unit, config)
    monkeypatch.undo()
    POOL.close()

    assert faults == ["start timed out", "killed while validating", "killed while validating"], faults
    assert stormy.error is None, stormy.error
    for split in ("tasks", "trajectories", "rejections"):
        assert rows(stormy, split) == rows(calm, split), split
    assert stormy.environment == calm.environment
