"""Task acceptance, in one exchange with the environment's sandbox.

A task is kept when: its reference solution passes its verifier; the no-op run fails; every wrong outcome the
gate makes fails (wrong, hedged, negated and empty answers; skipped, repeated, misdirected and extra writes);
and every right outcome it makes passes (the answer restated, reformatted, aliased, reordered; redundant reads,
a refused attempt, the writes in another valid order). Answers are tried in both channels, a final message and
submit_answer, so a kept task grades either way.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

from pydantic import BaseModel, Field

from synth.agent.rollout import Rollout
from synth.env.connection import touched_rows
from synth.env.service import EnvService
from synth.programs import entry_point
from synth.task import SUBMIT_ANSWER, TaskSpec, Verdict
from synth.validation.answers import submission_variants, text_variants
from synth.validation.mutants import source_mutants
from synth.validation.plans import Call, right_plans, seen_values, wrong_plans
from synth.validation.rollout import Episode, reference_rollout
from synth.validation.solution import SolutionProcess
from synth_verifiers.state import key_columns, table_snapshot

MAX_SOURCE_MUTANTS = 3
READS_ANSWER = re.compile(r"\.(answer|submitted)\b")
READS_CALLS = re.compile(r"\.(calls|successful_calls)\b")
HARD_LEVEL, HARD_MIN_CALLS = 4, 6  # level 4-5 tasks are multi-step plans


class Validation(BaseModel):
    accepted: bool
    reason: str | None = None  # why it was rejected
    detail: str = ""
    rollout: Rollout | None = None  # the reference trajectory
    verdict: Verdict | None = None
    mutants_tried: int = 0  # wrong outcomes tried (each must fail)
    mutants_killed: int = 0
    variants_tried: int = 0  # right outcomes tried (each must pass)
    writes: list[dict[str, Any]] = Field(default_factory=list)  # the reference's successful write calls
    seconds: dict[str, float] = Field(default_factory=dict)  # where the time went, by stage (for profiles)


class Clock:
    """Seconds per stage, lap by lap."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps[stage] = self.laps.get(stage, 0.0) + now - self.last
        self.last = now


class Rejected(Exception):
    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason, self.detail = reason, detail


def _state(service: EnvService, tables: set[str] | None) -> dict[str, dict]:
    db = service.env.db
    if tables is None:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    db.base, db.touched = service.env.initial, touched_rows(db)
    try:
        return {t: table_snapshot(db, t, key_columns(db, t))[1] for t in sorted(tables)}
    finally:
        db.base = db.touched = None


def _changes(before: dict[str, dict], after: dict[str, dict], keys: dict[str, list[int]]) -> dict[str, Any]:
    """A state's changes with the keys of added rows left out: equal for two plans that created the same rows
    under other ids."""
    out = {}
    for table in sorted(set(before) | set(after)):
        old, new = before.get(table, {}), after.get(table, {})
        drop = set(keys.get(table, []))
        added = sorted(repr(tuple(v for i, v in enumerate(new[k]) if i not in drop)) for k in new.keys() - old.keys())
        out[table] = (
            added,
            sorted(map(repr, old.keys() - new.keys())),
            sorted(repr((k, new[k])) for k in new.keys() & old.keys() if new[k] != old[k]),
        )
    return out


class Gate:
    """Validates the tasks of one environment instance."""

    def __init__(self, service: EnvService, solutions: SolutionProcess):
        self.service, self.solutions = service, solutions
        self.earlier_writes: list[Call] = []

    def validate(
        self, task: TaskSpec, *, mode: str = "text", max_turns: int = 40, earlier_writes: list[Call] = ()
    ) -> Validation:
        """`earlier_writes`: other tasks' reference writes in this environment, tried as extra writes."""
        self.earlier_writes = list(earlier_writes)
        self.clock = Clock()
        schema = task.answer_schema if mode == "tool" else None
        episode = Episode(self.service, task, schema)
        ref, _, failure = reference_rollout(episode, self.solutions, max_turns=max_turns)
        self.clock.lap("reference rollout")
        if failure:
            return Validation(
                accepted=False, reason=failure, detail=(ref.error or "")[:2000], rollout=ref, seconds=self.clock.laps
            )
        result = Validation(accepted=False, rollout=ref)
        try:
            self._judge(task, episode, ref, result, max_turns)
            result.accepted = True
        except Rejected as exc:
            result.reason, result.detail = exc.reason, exc.detail[:2000]
        result.seconds = self.clock.laps
        return result

    def _verify(self, task: TaskSpec, answer: str | None, submitted: Any, what: str) -> Verdict:
        verdict = self.service.verify(task.verifier, answer, submitted)
        if verdict.error:
            raise Rejected("verifier_error", f"{what}: {verdict.error}")
        return verdict

    def _judge(self, task: TaskSpec, episode: Episode, ref: Rollout, result: Validation, max_turns: int) -> None:
        service = self.service
        submitted = service.submitted
        calls = [
            Call(c.name, json.dumps(c.arguments, sort_keys=True), c.ok, _plan_kind(service, c.name))
            for c in service.calls
            if c.name != SUBMIT_ANSWER
        ]
        result.writes = [vars(c) for c in calls if c.ok and c.kind == "write"][:8]
        results = [c.result for c in service.calls if c.ok]
        written = service.changed_tables()
        ref_state = _state(service, written)
        verdict = self._verify(task, ref.answer, submitted, "on the reference solution")
        result.verdict = verdict
        self.clock.lap("verify the reference")
        if not verdict.passed:
            raise Rejected("solution_fails_verifier", "; ".join(verdict.reasons))
        if task.difficulty >= HARD_LEVEL and ref.tool_calls < HARD_MIN_CALLS:
            raise Rejected(
                "too_few_tool_calls",
                f"a level-{task.difficulty} task needs at least {HARD_MIN_CALLS} "
                f"tool calls; the reference solution made {ref.tool_calls}",
            )
        self._answers(task, results, result)
        self.clock.lap("answer variants")
        episode.reset()
        if self._verify(task, None, None, "on the no-op run").passed:
            raise Rejected("noop_passes", "the verifier accepts doing nothing")
        self.clock.lap("no-op run")
        self._plans(task, episode, calls, results, ref, submitted, written, ref_state, result)
        self.clock.lap("state variants (replays)")
        if not result.mutants_killed:
            self._source_mutants(task, episode, result, max_turns)
            self.clock.lap("solution mutants")

    def _answers(self, task: TaskSpec, results: list[Any], result: Validation) -> None:
        spec = task.verifier.params.get("answer") if task.verifier.library else None
        if not spec or spec["kind"] == "none":
            return
        if READS_ANSWER.search(task.verifier.source):  # the template's check reads the answer too: run it all

            def check(spec, text, value):
                verdict = self.service.verify(task.verifier, text, value)
                return verdict.reasons + ([verdict.error] if verdict.error else []) if not verdict.passed else []
        else:  # the state is the reference's, which passed: the answer part decides
            check = entry_point(task.verifier).__globals__["check_answer"]  # the stored grading code itself
        groups, numbers, _ = seen_values(results)
        wrong_text, right_text = text_variants(spec, spec.get("context", ""), groups, numbers)
        wrong_values, right_values = submission_variants(spec, groups, numbers)
        wrong = [(name, t, None) for name, t in wrong_text] + [(name, None, v) for name, v in wrong_values]
        right = [(name, t, None) for name, t in right_text] + [(name, None, v) for name, v in right_values]
        for label, text, value in wrong:
            result.mutants_tried += 1
            if not check(spec, text, value):
                channel = f"final message {text!r}" if value is None else f"submit_answer({value!r})"
                raise Rejected("accepts_wrong_answer", f"{label}: the verifier accepts the {channel}")
            result.mutants_killed += 1
        for label, text, value in right:
            result.variants_tried += 1
            reasons = check(spec, text, value)
            if reasons:
                channel = f"final message {text!r}" if value is None else f"submit_answer({value!r})"
                raise Rejected(
                    "rejects_correct_variant", f"{label}: the verifier rejects the {channel} ({'; '.join(reasons)})"
                )

    def _replay(self, episode: Episode, plan: list[Call]) -> list[bool]:
        episode.reset()
        return [self.service.call_tool(c.name, c.arguments)[0]["ok"] for c in plan]

    def _plans(
        self,
        task: TaskSpec,
        episode: Episode,
        calls: list[Call],
        results: list[Any],
        ref: Rollout,
        submitted: Any,
        written: set[str] | None,
        ref_state: dict,
        result: Validation,
    ) -> None:
        service = self.service
        offered_writes = [n for n in task.tool_names if n in service.tools and _plan_kind(service, n) == "write"]
        fields, _, strings = seen_values(results)
        # A verifier that never reads the call log judges the final state and the answer alone: reads change
        # neither, so replays need only the writes, and plans that add only reads or refused calls reach the
        # reference's own state and verdict.
        by_state = not READS_CALLS.search(task.verifier.source)
        writes_of = (lambda plan: [c for c in plan if c.kind == "write"]) if by_state else list  # noqa: E731
        for label, plan in wrong_plans(calls, offered_writes, self.earlier_writes, strings, fields):
            plan = writes_of(plan)
            self._replay(episode, plan)
            now = service.changed_tables()
            tables = None if written is None or now is None else written | now
            if _state(service, tables) == _state_like(ref_state, tables, service):
                continue  # the change did not take (a refused call): not a wrong outcome
            result.mutants_tried += 1
            if self._verify(task, ref.answer, submitted, f"on a replay with a {label}").passed:
                reason = "accepts_skipped_write" if label.startswith("skipped") else "accepts_side_effect"
                raise Rejected(reason, f"{label}: the verifier accepts {_show(plan)}")
            result.mutants_killed += 1
        keys = {t: _key_positions(service, t) for t in (written or ())}
        pristine = None
        for label, plan in right_plans(calls, offered_writes):
            if by_state and label != "writes in another order":
                continue
            plan = writes_of(plan)
            oks = self._replay(episode, plan)
            if label == "writes in another order":
                now = service.changed_tables()
                tables = None if written is None or now is None else written | now
                if pristine is None:
                    pristine = _pristine_state(service, tables)
                if not all(oks) or _changes(pristine, _state(service, tables), keys) != _changes(
                    pristine, _state_like(ref_state, tables, service), keys
                ):
                    continue  # not an equivalent plan in this environment: it proves nothing either way
            result.variants_tried += 1
            verdict = self._verify(task, ref.answer, submitted, f"on a replay with {label}")
            if not verdict.passed:
                raise Rejected(
                    "rejects_correct_plan",
                    f"{label}: the verifier rejects {_show(plan)} ({'; '.join(verdict.reasons)})",
                )

    def _source_mutants(self, task: TaskSpec, episode: Episode, result: Validation, max_turns: int) -> None:
        """The last resort when no wrong outcome applied: small bugs in the solution itself."""
        for program in source_mutants(task.solution, MAX_SOURCE_MUTANTS):
            rollout, _, failure = reference_rollout(episode, self.solutions, max_turns=max_turns, program=program)
            if failure:
                continue
            result.mutants_tried += 1
            if not self._verify(task, rollout.answer, self.service.submitted, "on a mutant").passed:
                result.mutants_killed += 1
                return
        raise Rejected("no_mutant_fails", f"all {result.mutants_tried} wrong outcomes tried pass the verifier")


def _plan_kind(service: EnvService, name: str) -> str:
    """Calls that may change the state (write, handoff) are replayed as writes; the rest as reads."""
    spec = service.tools.get(name)
    return "write" if spec is not None and spec.kind in ("write", "handoff") else "read"


def _state_like(ref_state: dict, tables: set[str] | None, service: EnvService) -> dict:
    """The reference state restricted to `tables` (the reference's unchanged tables read from the initial state)."""
    if tables is None:
        tables = {r[0] for r in service.env.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = tables - set(ref_state)
    if missing:
        ref_state = {**ref_state, **_pristine_state(service, missing)}
    return {t: ref_state[t] for t in sorted(tables)}


def _pristine_state(service: EnvService, tables: set[str] | None) -> dict[str, dict]:
    db = service.env.initial
    if tables is None:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return {t: table_snapshot(db, t, key_columns(db, t))[1] for t in sorted(tables)}


def _key_positions(service: EnvService, table: str) -> list[int]:
    db = service.env.db
    columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
    keys = key_columns(db, table)
    return [columns.index(k) for k in keys] if keys else []


def _show(plan: list[Call]) -> str:
    return "; ".join(f"{c.name}({c.arguments})" for c in plan)[-600:]
