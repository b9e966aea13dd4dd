"""The LLM proposer: for one environment instance, the model proposes a task with a solution and a
verifier, the pipeline validates them in the sandboxes (the same negative controls as every task),
errors go back for repair, and accepted tasks are hardened step by step. Tools the model writes run
only inside the environment's sandbox and are stored with the task.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict

from synth.config import RunConfig
from synth.expect import Answer
from synth.model.client import shared_client
from synth.model.retry import ModelError
from synth.pipeline import rows
from synth.pipeline.accept import Acceptor, ResultLike
from synth.pipeline.plan import EnvUnit
from synth.pipeline.tasks import gives_answer_away, instruction_key, make_task
from synth.pipeline.validate import validate_task
from synth.prompts import render_prompt
from synth.propose.chat import Chat
from synth.propose.draft import DraftFormatError, ModelDraft, parse_draft
from synth.propose.sample import data_sample
from synth.sandbox import SandboxCallError, SandboxError
from synth.task import TaskSpec
from synth.validation.gate import Validation

HINTS = {
    "unparseable": "Reply in exactly the format described in the instructions.",
    "unknown_tools": "Offer only tools that exist, or write the missing tool in a ```python tool``` block.",
    "tool_error": "A tool you wrote cannot be used; fix its source (typed arguments, docstring, `self` first).",
    "solution_error": "The solution failed while running. Check tool names, argument names and types against "
    "the schemas, and the shape of each result.",
    "bad_answer": "The expected program failed or returned a value that does not fit the answer kind.",
    "verifier_error": "The check raised an exception or returned something other than a bool or (bool, reasons). "
    "It must fail, not raise, on an unexpected state.",
    "solution_fails_verifier": "The solution's outcome does not pass: its answer differs from the expected one, it "
    "changed data the effects do not declare, or the check failed. One of them is wrong.",
    "noop_passes": "An agent that does nothing passes. The task must ask for an answer or declare its changes.",
    "no_mutant_fails": "Wrong outcomes pass too. Declare the exact changes (keys, values, insert counts).",
    "accepts_wrong_answer": "A wrong answer passes: the answer kind, or its candidates_sql, does not pin the answer "
    "down (a set of names needs every other name of that kind among the candidates).",
    "rejects_correct_variant": "A correct answer, phrased another way, fails: the question has more than one "
    "reading, or the instruction itself names a candidate.",
    "accepts_side_effect": "A write the task did not ask for passes: declare each table's changes exactly (keys, "
    "values, insert counts) or check them.",
    "accepts_skipped_write": "Leaving out one of the writes passes: declare or check every write the task needs.",
    "rejects_correct_plan": "Another valid way to do the task fails (other order, other ids for created rows): "
    "check the final state, not the calls.",
    "solution_uses_no_tools": "The solution never calls a tool. The task must need the tools: the solution may "
    "not hard-code data it has not fetched.",
    "answer_in_instruction": "The instruction gives the answer away. Rephrase it so the answer has to be found "
    "with the tools.",
    "duplicate": "An earlier task already asks this. Propose a different task.",
}


class Candidate(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    task: TaskSpec | None = None
    validation: Validation | None = None
    reason: str | None = None  # None: accepted
    detail: str = ""


def tool_lines(tools: list[dict[str, Any]], kinds: dict[str, str]) -> list[str]:
    lines = []
    for schema in tools:
        fn = schema["function"]
        lines.append(
            f"- {fn['name']} ({kinds.get(fn['name'], 'read')}): {fn.get('description', '')}\n"
            f"  parameters: {json.dumps(fn.get('parameters', {}), sort_keys=True)}"
        )
    return lines


class ModelProposer:
    def __init__(self, unit: EnvUnit, config: RunConfig, sandboxes, result: ResultLike, acceptor: Acceptor, client):
        self.unit, self.config, self.sandboxes = unit, config, sandboxes
        self.result, self.acceptor, self.client = result, acceptor, client
        self.seen: set[str] = set()
        self.instructions: list[str] = []

    def run(self) -> None:
        env = self.sandboxes.env
        info = env.info
        context = dict(
            name=info.name,
            category=info.category,
            description=info.description,
            policy=info.policy,
            tools=tool_lines(info.tools, info.tool_kinds),
            sample=data_sample(env),
        )
        for _ in range(self.config.tasks_per_env * self.config.attempts_per_task):
            if self.acceptor.validated >= self.config.tasks_per_env:
                return
            chat = Chat(self.client, render_prompt("proposer_system", max_level=1 + self.config.escalations))
            try:
                self._family(chat, context)
            except ModelError as exc:
                self.result.rejections.append(
                    rows.rejection_row(None, self.unit, reason=f"proposer_{exc.reason}", detail=str(exc), difficulty=1)
                )
            finally:
                self.acceptor.proposer_usage = self.acceptor.proposer_usage + chat.usage

    def _family(self, chat: Chat, context: dict[str, Any]) -> None:
        """A base task, then harder versions of it while they validate."""
        prompt = render_prompt("propose_task", previous=self.instructions[-20:], **context)
        parent, level = None, 1
        while True:
            settled = self._settle(chat, prompt, level)
            if settled is None:
                return
            task, validation, repairs = settled
            self.acceptor.accept(
                task,
                validation,
                parent_task_id=parent,
                proposer_model=self.config.model.model,
                proposer_repairs=repairs,
            )
            self.instructions.append(task.instruction)
            if level > self.config.escalations or self.acceptor.validated >= self.config.tasks_per_env:
                return
            parent, level = task.task_id, level + 1
            prompt = render_prompt("harden_task", level=level, instruction=task.instruction)

    def _settle(self, chat: Chat, prompt: str, level: int) -> tuple[TaskSpec, Validation, int] | None:
        """Propose, then repair until accepted or out of rounds (then the last rejection is recorded)."""
        reply = chat.ask(prompt)
        for round_ in range(self.config.repair_rounds + 1):
            candidate = self._check(reply, level)
            if candidate.reason is None:
                self.result.proposed += 1
                return candidate.task, candidate.validation, round_
            if round_ == self.config.repair_rounds:
                break
            reply = chat.ask(
                render_prompt(
                    "repair_task",
                    reason=candidate.reason,
                    detail=candidate.detail[:3000],
                    hint=HINTS.get(candidate.reason, ""),
                )
            )
        self.result.proposed += 1
        self.result.rejections.append(
            rows.rejection_row(
                candidate.task,
                self.unit,
                reason=candidate.reason,
                detail=f"after {self.config.repair_rounds} repair rounds: {candidate.detail}",
                difficulty=level,
            )
        )
        return None

    def _answer(self, draft: ModelDraft) -> Answer:
        request = draft.answer
        if request.kind == "none":
            return Answer.none()
        try:
            found = self.sandboxes.env.evaluate(draft.expected, request.candidates_sql)
        except SandboxCallError as exc:
            raise ValueError(f"the expected program or candidates_sql failed: {exc.message}") from None
        value = found["value"]
        try:
            if request.kind == "number":
                return Answer.number(
                    value, decimals=request.decimals if request.decimals is not None else 2, unit=request.unit
                )
            if request.kind == "entity":
                return Answer.entity(value, candidates=found["candidates"])
            if request.kind == "entities":
                return Answer.entities(value, candidates=found["candidates"], ordered=request.ordered)
            return getattr(Answer, request.kind)(value)
        except (ValueError, TypeError) as exc:
            raise ValueError(
                f"expected() returned {value!r}, which is not an answer of kind {request.kind}: {exc}"
            ) from None

    def _task(self, draft: ModelDraft, level: int) -> TaskSpec:
        env = self.sandboxes.env
        info = env.info
        names = {t["function"]["name"] for t in info.tools}
        unknown = sorted(set(draft.tools or ()) - names - {t.name for t in draft.new_tools})
        if unknown:
            raise DraftFormatError(f"unknown tools {unknown}; this environment has: {', '.join(sorted(names))}")
        written = env.install_tools(draft.new_tools) if draft.new_tools else []
        offered = None if draft.tools is None else set(draft.tools) & names
        return make_task(
            self.unit,
            info,
            shape=draft.shape,
            instruction=draft.instruction,
            difficulty=level,
            solution=draft.solution,
            answer=self._answer(draft),
            effects=draft.effects,
            check=draft.check,
            offered=offered,
            answer_mode=self.config.answer_mode,
            proposer="llm",
            extra_tools=draft.new_tools,
            written=written,
        )

    def _check(self, reply: str, level: int) -> Candidate:
        try:
            draft = parse_draft(reply)
        except DraftFormatError as exc:
            return Candidate(reason="unparseable", detail=str(exc))
        try:
            task = self._task(draft, level)
        except DraftFormatError as exc:
            return Candidate(reason="unknown_tools", detail=str(exc))
        except SandboxCallError as exc:
            return Candidate(reason="tool_error", detail=exc.message)
        except ValueError as exc:
            return Candidate(reason="bad_answer", detail=str(exc))
        key = instruction_key(task.instruction)
        if key in self.seen:
            return Candidate(task=task, reason="duplicate", detail="same instruction as an earlier task")
        try:
            validation = validate_task(
                self.sandboxes.env, task, mode=self.config.answer_mode, max_turns=self.config.max_turns
            )
        except SandboxError as exc:
            self.sandboxes.start()
            return Candidate(task=task, reason=f"sandbox_{exc.reason}", detail=f"your code was stopped: {exc}")
        except SandboxCallError as exc:
            return Candidate(task=task, reason="env_error", detail=str(exc))
        if not validation.accepted:
            return Candidate(task=task, validation=validation, reason=validation.reason, detail=validation.detail)
        if validation.rollout.tool_calls == 0:
            return Candidate(task=task, reason="solution_uses_no_tools", detail="the solution made no tool call")
        if gives_answer_away(task):
            return Candidate(
                task=task,
                reason="answer_in_instruction",
                detail=f"the answer {validation.rollout.answer!r} appears in the instruction",
            )
        self.seen.add(key)
        return Candidate(task=task, validation=validation)


def propose_with_model(unit: EnvUnit, config: RunConfig, sandboxes, result: ResultLike, acceptor: Acceptor) -> None:
    ModelProposer(unit, config, sandboxes, result, acceptor, shared_client(config.model)).run()
