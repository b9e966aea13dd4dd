"""Completing a draft into a TaskSpec: offered tools, system prompt for the answer mode, composed verifier."""

from __future__ import annotations

import re
from typing import Any, Sequence

from synth.env.session import EnvInfo
from synth.expect import Answer, Effects
from synth.pipeline.plan import EnvUnit
from synth.programs import compose_verifier
from synth.prompts import render_prompt
from synth.task import Program, TaskDraft, TaskSpec, ToolSource, submit_answer_tool
from synth_verifiers.text import words


def instruction_key(instruction: str) -> str:
    """Instructions that differ only in case, punctuation or spacing are the same task."""
    return " ".join(words(instruction))


def gives_answer_away(task: TaskSpec, answer: str | None) -> bool:
    """The instruction states the reference's number or date itself (a choice among stated names is fine)."""
    schema = task.answer_schema or {}
    if schema.get("type") not in ("number", "integer") and schema.get("format") != "date":
        return False
    key = instruction_key(answer or "")
    return len(key) >= 3 and re.search(r"(?<![\w.])" + re.escape(key) + r"(?![\w])",
                                       instruction_key(task.instruction)) is not None


def make_task(unit: EnvUnit, info: EnvInfo, *, shape: str, instruction: str, difficulty: int, solution: Program,
              answer: Answer, effects: Effects, check: Program | None, offered: Sequence[str] | None,
              answer_mode: str, proposer: str = "procedural", extra_tools: Sequence[ToolSource] = (),
              written: Sequence[dict[str, Any]] = ()) -> TaskSpec:
    """`offered`: the environment tools offered, by the names this instance gives them (None: all)."""
    tools = [t for t in info.tools if offered is None or t["function"]["name"] in offered] + list(written)
    schema = answer.schema()
    if answer_mode == "tool" and schema is not None:
        tools.append(submit_answer_tool(schema))
    system_prompt = render_prompt("system_prompt", name=info.name, category=info.category,
                                  description=info.description, policy=info.policy, answer_mode=answer_mode,
                                  answers=schema is not None)
    return TaskSpec.create(
        env_id=unit.env_id, template=unit.template, template_version=unit.version, category=unit.category,
        agent_category=unit.agent_category, difficulty=difficulty, shape=shape, instruction=instruction,
        system_prompt=system_prompt, tools=tools, solution=solution,
        verifier=compose_verifier(answer, effects, check, instruction), env_seed=unit.seed, proposer=proposer,
        extra_tools=tuple(extra_tools), answer_schema=schema, answer_mode=answer_mode)


def task_from_draft(draft: TaskDraft, unit: EnvUnit, info: EnvInfo, difficulty: int, answer_mode: str
                    ) -> TaskSpec | None:
    """The full task, or None when the draft needs a tool this variant does not offer."""
    if draft.tools is not None and not set(draft.tools) <= set(info.tool_names):
        return None
    offered = None if draft.tools is None else {info.tool_names[t] for t in draft.tools}
    return make_task(unit, info, shape=draft.shape, instruction=draft.instruction, difficulty=difficulty,
                     solution=draft.solution, answer=draft.answer, effects=draft.effects, check=draft.check,
                     offered=offered, answer_mode=answer_mode)
