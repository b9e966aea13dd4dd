"""Task acceptance: the solution passes its verifier AND the no-op run fails AND a mutated solution fails."""

from __future__ import annotations

from pydantic import BaseModel

from synth.env.session import EnvSession
from synth.pipeline.mutants import source_mutants
from synth.policy.answers import format_answer, perturb_answer
from synth.policy.reference import ReferencePolicy, SolutionRunner
from synth.policy.rollout import Rollout, run_rollout
from synth.task import TaskSpec, Verdict

MAX_SOURCE_MUTANTS = 3
HARD_LEVEL, HARD_MIN_CALLS = 4, 6  # level 4-5 tasks are multi-step plans


class Validation(BaseModel):
    accepted: bool
    reason: str | None = None  # why it was rejected
    detail: str = ""
    rollout: Rollout | None = None  # the reference trajectory
    verdict: Verdict | None = None
    mutants_tried: int = 0
    mutants_killed: int = 0


def _reject(reason: str, detail: str, **extra) -> Validation:
    return Validation(accepted=False, reason=reason, detail=detail[:2000], **extra)


def validate_task(env: EnvSession, runner: SolutionRunner, task: TaskSpec, *, max_turns: int = 40) -> Validation:
    kinds = {**env.info.tool_kinds, **{t.name: t.kind for t in task.extra_tools}}

    def policy(program=task.solution, **mutation) -> ReferencePolicy:
        return ReferencePolicy(runner, program, tool_kinds=kinds, tool_names=env.info.tool_names, **mutation)

    reference = policy()
    ref = run_rollout(env, task, reference, max_turns=max_turns)
    if ref.error:
        return _reject("solution_error", ref.error, rollout=ref)
    verdict = env.verify(task.verifier, ref.answer)
    if verdict.error:
        return _reject("verifier_error", verdict.error, rollout=ref)
    if not verdict.passed:
        return _reject("solution_fails_verifier", "; ".join(verdict.reasons), rollout=ref, verdict=verdict)
    if task.difficulty >= HARD_LEVEL and ref.tool_calls < HARD_MIN_CALLS:
        return _reject("too_few_tool_calls", f"a level-{task.difficulty} task needs at least {HARD_MIN_CALLS} tool "
                                             f"calls; the reference solution made {ref.tool_calls}", rollout=ref)

    # Same final state, wrong final answer: the cheapest negative control.
    tried, killed = 1, 0
    wrong_verdict = env.verify(task.verifier, format_answer(perturb_answer(reference.answer_value)))
    if wrong_verdict.error:
        return _reject("verifier_error", "on a perturbed answer: " + wrong_verdict.error, rollout=ref)
    killed += not wrong_verdict.passed

    env.reset(task.tool_names)
    noop = env.verify(task.verifier, None)
    if noop.error:
        return _reject("verifier_error", "on the no-op run: " + noop.error, rollout=ref)
    if noop.passed:
        return _reject("noop_passes", "the verifier accepts doing nothing", rollout=ref)

    def mutants():  # built lazily: most tasks are settled by the perturbed answer alone
        if any(kinds.get(c) == "write" for c in _called(ref)):
            yield policy(drop_writes=True)
        for program in source_mutants(task.solution, MAX_SOURCE_MUTANTS):
            yield policy(program=program)

    for mutant in () if killed else mutants():
        tried += 1
        outcome = run_rollout(env, task, mutant, max_turns=max_turns)
        mv = env.verify(task.verifier, outcome.answer)
        if mv.error:
            return _reject("verifier_error", "on a mutant: " + mv.error, rollout=ref)
        killed += not mv.passed
        if killed:
            break
    if not killed:
        return _reject("no_mutant_fails", f"all {tried} mutated solutions pass the verifier", rollout=ref)
    return Validation(accepted=True, rollout=ref, verdict=verdict, mutants_tried=tried, mutants_killed=killed)


def _called(rollout: Rollout) -> list[str]:
    return [c["function"]["name"] for m in rollout.messages for c in (m.get("tool_calls") or [])]
