"""Completing a draft into a TaskSpec: offered tools, system prompt for the answer mode, composed verifier."""

from __future__ import annotations

from typing import Any, Sequence

from synth.env.session import EnvInfo
from synth.expect import Answer, Effects
from synth.pipeline.plan import EnvUnit
from synth.programs import compose_verifier
from synth.prompts import render_prompt
from synth.task import Program, TaskDraft, TaskSpec, ToolSource, submit_answer_tool
from synth_verifiers.text import date_spans, fold, mentions, number_spans, time_spans, words


def instruction_key(instruction: str) -> str:
    """Instructions that differ only in case, punctuation or spacing are the same task."""
    return " ".join(words(instruction))


def gives_answer_away(task: TaskSpec) -> bool:
    """The instruction states the expected answer and nothing else it could be mistaken for (a question that
    offers the answer among other stated choices does not give it away)."""
    spec = task.verifier.params.get("answer") if task.verifier.library else None
    if not spec or spec["kind"] not in ("number", "integer", "date", "time", "entity", "entities"):
        return False
    text = fold(task.instruction)
    if spec["kind"] in ("entity", "entities"):
        expected = [spec["value"]] if spec["kind"] == "entity" else list(spec["value"])
        named = {n for n, _, _ in mentions(text, expected + list(spec.get("candidates", [])))}
        return bool(expected) and named == set(expected)
    extract = {"date": date_spans, "time": time_spans}.get(spec["kind"], number_spans)
    stated = {v for v, _, _ in extract(text) if not isinstance(v, list)}
    return stated == {spec["value"]} or (
        spec["kind"] in ("number", "integer")
        and len(stated) == 1
        and abs(next(iter(stated)) - spec["value"]) <= (spec.get("tolerance") or 0)
    )


def make_task(
    unit: EnvUnit,
    info: EnvInfo,
    *,
    shape: str,
    instruction: str,
    difficulty: int,
    solution: Program,
    answer: Answer,
    effects: Effects,
    check: Program | None,
    offered: Sequence[str] | None,
    answer_mode: str,
    proposer: str = "procedural",
    extra_tools: Sequence[ToolSource] = (),
    written: Sequence[dict[str, Any]] = (),
) -> TaskSpec:
    """`offered`: the environment tools offered, by the names this instance gives them (None: all)."""
    tools = [t for t in info.tools if offered is None or t["function"]["name"] in offered] + list(written)
    schema = answer.schema()
    if answer_mode == "tool" and schema is not None:
        tools.append(submit_answer_tool(schema))
    system_prompt = render_prompt(
        "system_prompt",
        name=info.name,
        category=info.category,
        description=info.description,
        policy=info.policy,
        answer_mode=answer_mode,
        answers=schema is not None,
    )
    return TaskSpec.create(
        env_id=unit.env_id,
        template=unit.template,
        template_version=unit.version,
        category=unit.category,
        agent_category=unit.agent_category,
        difficulty=difficulty,
        shape=shape,
        instruction=instruction,
        system_prompt=system_prompt,
        tools=tools,
        solution=solution,
        verifier=compose_verifier(answer, effects, check, instruction),
        env_seed=unit.seed,
        env_instance=unit.instance,
        proposer=proposer,
        extra_tools=tuple(extra_tools),
        answer_schema=schema,
        answer_mode=answer_mode,
    )


def task_from_draft(
    draft: TaskDraft, unit: EnvUnit, info: EnvInfo, difficulty: int, answer_mode: str
) -> TaskSpec | None:
    """The full task, or None when the draft needs a tool this variant does not offer."""
    if draft.tools is not None and not set(draft.tools) <= set(info.tool_names):
        return None
    offered = None if draft.tools is None else {info.tool_names[t] for t in draft.tools}
    return make_task(
        unit,
        info,
        shape=draft.shape,
        instruction=draft.instruction,
        difficulty=difficulty,
        solution=draft.solution,
        answer=draft.answer,
        effects=draft.effects,
        check=draft.check,
        offered=offered,
        answer_mode=answer_mode,
    )
