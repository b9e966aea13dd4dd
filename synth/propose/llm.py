"""The LLM proposer: for one environment instance, the model proposes a task with a solution and a
verifier, the pipeline validates them in the sandboxes (the same negative controls as every task),
errors go back for repair, and accepted tasks are hardened step by step. Tools the model writes run
only inside the environment's sandbox and are stored with the task.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, ConfigDict

from synth.config import RunConfig
from synth.dataset import rows
from synth.pipeline.accept import Acceptor, ResultLike, per_worker_concurrency
from synth.pipeline.plan import EnvUnit
from synth.pipeline.validate import Validation, validate_task
from synth.policy.client import shared_client
from synth.policy.retry import ModelError
from synth.prompts import render_prompt
from synth.propose.chat import Chat
from synth.propose.draft import DraftFormatError, ModelDraft, parse_draft
from synth.propose.sample import data_sample
from synth.sandbox import SandboxCallError, SandboxError
from synth.task import TaskSpec
from verifiers.answers import normalize

HINTS = {
    "unparseable": "Reply in exactly the format described in the instructions.",
    "unknown_tools": "Offer only tools that exist, or write the missing tool in a ```python tool``` block.",
    "tool_error": "A tool you wrote cannot be used; fix its source (typed arguments, docstring, `self` first).",
    "solution_error": "The solution failed while running. Check tool names, argument names and types against "
                      "the schemas, and the shape of each result.",
    "verifier_error": "The verifier raised an exception or returned something other than a bool or "
                      "(bool, reasons). It must fail, not raise, on a missing or malformed answer.",
    "solution_fails_verifier": "The solution's outcome does not pass your verifier: one of the two is wrong.",
    "noop_passes": "The verifier accepts an agent that does nothing. It must check the final answer or the "
                   "changed state.",
    "no_mutant_fails": "The verifier also accepts wrong outcomes (mutated solutions passed it). Check the exact "
                       "expected values.",
    "solution_uses_no_tools": "The solution never calls a tool. The task must need the tools: the solution may "
                              "not hard-code data it has not fetched.",
    "answer_in_instruction": "The instruction gives the answer away. Rephrase it so the answer has to be found "
                             "with the tools.",
    "duplicate": "An earlier task already asks this. Propose a different task.",
}


def answer_leaks(instruction: str, answer: str | None) -> bool:
    answer = normalize(answer)
    return len(answer) >= 3 and re.search(r"(?<![\w.])" + re.escape(answer) + r"(?![\w])",
                                          normalize(instruction)) is not None


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
        lines.append(f"- {fn['name']} ({kinds.get(fn['name'], 'read')}): {fn.get('description', '')}\n"
                     f"  parameters: {json.dumps(fn.get('parameters', {}), sort_keys=True)}")
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
        context = dict(name=info.name, category=info.category, description=info.description, policy=info.policy,
                       tools=tool_lines(info.tools, info.tool_kinds), sample=data_sample(env))
        for _ in range(self.config.tasks_per_env * self.config.attempts_per_task):
            if self.acceptor.validated >= self.config.tasks_per_env:
                return
            chat = Chat(self.client, render_prompt("proposer_system", max_level=1 + self.config.escalations))
            try:
                self._family(chat, context)
            except ModelError as exc:
                self.result.rejections.append(rows.rejection_row(None, self.unit, reason=f"proposer_{exc.reason}",
                                                                 detail=str(exc), difficulty=1))
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
            self.acceptor.accept(task, validation, parent_task_id=parent, proposer_model=self.config.model.model,
                                 proposer_repairs=repairs)
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
            reply = chat.ask(render_prompt("repair_task", reason=candidate.reason, detail=candidate.detail[:3000],
                                           hint=HINTS.get(candidate.reason, "")))
        self.result.proposed += 1
        self.result.rejections.append(rows.rejection_row(
            candidate.task, self.unit, reason=candidate.reason,
            detail=f"after {self.config.repair_rounds} repair rounds: {candidate.detail}", difficulty=level))
        return None

    def _task(self, draft: ModelDraft, level: int) -> TaskSpec:
        env = self.sandboxes.env
        info = env.info
        names = {t["function"]["name"] for t in info.tools}
        unknown = sorted(set(draft.tools or ()) - names - {t.name for t in draft.new_tools})
        if unknown:
            raise DraftFormatError(f"unknown tools {unknown}; this environment has: {', '.join(sorted(names))}")
        offered = [t for t in info.tools if draft.tools is None or t["function"]["name"] in draft.tools]
        written = env.install_tools(draft.new_tools) if draft.new_tools else []
        system_prompt = render_prompt("system_prompt", name=info.name, category=info.category,
                                      description=info.description, policy=info.policy)
        return TaskSpec.create(
            env_id=self.unit.env_id, template=self.unit.template, template_version=self.unit.version,
            category=self.unit.category, agent_category=self.unit.agent_category, difficulty=level, shape=draft.shape, instruction=draft.instruction,
            system_prompt=system_prompt, tools=offered + written, solution=draft.solution, verifier=draft.verifier,
            env_seed=self.unit.seed, proposer="llm", extra_tools=draft.new_tools)

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
        key = normalize(task.instruction)
        if key in self.seen:
            return Candidate(task=task, reason="duplicate", detail="same instruction as an earlier task")
        try:
            validation = validate_task(self.sandboxes.env, self.sandboxes.runner, task, max_turns=self.config.max_turns)
        except SandboxError as exc:
            self.sandboxes.start()
            return Candidate(task=task, reason=f"sandbox_{exc.reason}", detail=f"your code was stopped: {exc}")
        except SandboxCallError as exc:
            return Candidate(task=task, reason="env_error", detail=str(exc))
        if not validation.accepted:
            return Candidate(task=task, validation=validation, reason=validation.reason, detail=validation.detail)
        if validation.rollout.tool_calls == 0:
            return Candidate(task=task, reason="solution_uses_no_tools", detail="the solution made no tool call")
        if answer_leaks(task.instruction, validation.rollout.answer):
            return Candidate(task=task, reason="answer_in_instruction",
                             detail=f"the answer {validation.rollout.answer!r} appears in the instruction")
        self.seen.add(key)
        return Candidate(task=task, validation=validation)


def propose_with_model(unit: EnvUnit, config: RunConfig, sandboxes, result: ResultLike, acceptor: Acceptor) -> None:
    cap = per_worker_concurrency(config.model.concurrency, config.workers)
    ModelProposer(unit, config, sandboxes, result, acceptor, shared_client(config.model, cap)).run()
