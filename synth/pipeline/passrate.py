"""Solver samples and the pass rate over them (the measured difficulty of a task)."""

from __future__ import annotations

from pydantic import BaseModel

from synth.agent.rollout import INFRASTRUCTURE_FAILURES, Rollout
from synth.task import Verdict


class SolverSample(BaseModel):
    sample: int
    rollout: Rollout
    verdict: Verdict
    agent_config: dict


class PassRate(BaseModel):
    attempted: int
    counted: int  # attempted minus infrastructure failures
    passes: int

    @property
    def rate(self) -> float | None:
        return self.passes / self.counted if self.counted else None


def pass_rate(samples: list[SolverSample]) -> PassRate:
    counted = [s for s in samples if s.rollout.finish_reason not in INFRASTRUCTURE_FAILURES]
    return PassRate(attempted=len(samples), counted=len(counted), passes=sum(s.verdict.passed for s in counted))


def failed_sample(sample: int, reason: str, error: str, agent_config: dict) -> SolverSample:
    rollout = Rollout(messages=[], answer=None, turns=0, tool_calls=0, finish_reason=reason, error=error)
    return SolverSample(
        sample=sample, rollout=rollout, verdict=Verdict(passed=False, error=error), agent_config=agent_config
    )
