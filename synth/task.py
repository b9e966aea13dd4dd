"""Tasks: frozen, serializable, content-hashed. Solutions and verifiers are programs stored as source."""

from __future__ import annotations

import json
from typing import Any, Callable, Literal

from pydantic import BaseModel, ConfigDict, Field

from synth.bundle import bundle_source
from synth.expect import Answer, Effects
from synth.ids import canonical_json, digest

AnswerMode = Literal["text", "tool"]
SUBMIT_ANSWER = "submit_answer"


class Program(BaseModel):
    """Python source plus the entry function to call and its JSON parameters.

    A solution's entry is called as `entry(tools, params)` and may only call tools and compute.
    A verifier's entry is called as `entry(outcome, params)` and returns a verdict.
    """

    model_config = ConfigDict(frozen=True)

    source: str
    entry: str
    params: dict[str, Any] = Field(default_factory=dict)
    library: str | None = None  # the grading library it runs on top of (see synth.programs); verifiers only

    @classmethod
    def of(cls, fn: Callable[..., Any], **params: Any) -> "Program":
        """A program from a module-level function. The module-level helpers and constants it uses are stored
        with it (see synth.bundle), so the stored source runs on its own with the standard library."""
        json.dumps(params)  # parameters must survive storage
        return cls(source=bundle_source(fn), entry=fn.__name__, params=params)


class ToolSource(BaseModel):
    """A tool written for one task (by a model): `def <name>(self, ...)` with type hints and a docstring,
    run only inside the environment's sandbox, where `self` is the environment (`self.rows`, `self.db`)."""

    model_config = ConfigDict(frozen=True)

    name: str
    kind: Literal["read", "write", "compute", "handoff"] = "read"
    source: str


class TaskDraft(BaseModel):
    """What a proposer returns; the pipeline completes it into a TaskSpec.

    `answer` is the typed final answer and `effects` the state changes allowed (default: none, read-only);
    `check` is an optional program `(outcome, params) -> verdict` for what a declaration cannot say."""

    model_config = ConfigDict(frozen=True)

    shape: str
    instruction: str
    solution: Program
    answer: Answer
    effects: Effects = Effects()
    check: Program | None = None
    tools: tuple[str, ...] | None = None  # names offered to the agent; None means every tool
    difficulty: int | None = Field(None, ge=1, le=5)  # a fixed task's level (a proposer's comes from @proposer)


def submit_answer_tool(schema: dict[str, Any]) -> dict[str, Any]:
    """The tool that ends an episode with a typed answer (tool answer mode)."""
    return {
        "type": "function",
        "function": {
            "name": SUBMIT_ANSWER,
            "description": "Submit your final answer. Call it once, when you are done: it ends the task.",
            "parameters": {
                "type": "object",
                "properties": {"answer": schema},
                "required": ["answer"],
                "additionalProperties": False,
            },
        },
    }


class TaskSpec(BaseModel):
    model_config = ConfigDict(frozen=True)

    task_id: str
    env_id: str
    template: str
    template_version: str
    category: str
    agent_category: str
    difficulty: int
    shape: str
    instruction: str
    system_prompt: str
    tools: tuple[dict[str, Any], ...]
    solution: Program
    verifier: Program
    env_seed: int
    env_instance: str | None = None  # the template's named instance, if any
    proposer: str = "procedural"
    extra_tools: tuple[ToolSource, ...] = ()  # tools written for this task, stored with it
    answer_schema: dict[str, Any] | None = None  # JSON Schema of the final answer; None: state-only or older rows
    answer_mode: AnswerMode = "text"  # how the agent was asked to answer: final message, or submit_answer

    def _content(self) -> dict[str, Any]:
        # fields added later are left out while they hold their defaults, so older rows keep their ids
        skip = {"task_id"} | {
            f
            for f, empty in (
                ("extra_tools", ()),
                ("answer_schema", None),
                ("answer_mode", "text"),
                ("env_instance", None),
            )
            if getattr(self, f) == empty
        }
        content = self.model_dump(mode="json", exclude=skip)
        for program in ("solution", "verifier"):
            if content[program]["library"] is None:
                del content[program]["library"]
        return content

    @classmethod
    def create(cls, **fields: Any) -> "TaskSpec":
        fields.pop("task_id", None)
        fields["tools"] = tuple(fields["tools"])
        fields["extra_tools"] = tuple(ToolSource.model_validate(t) for t in fields.get("extra_tools") or ())
        content = cls.model_construct(task_id="", **fields)._content()
        return cls(task_id=f"task-{digest(content)}", **fields)

    def content_hash_ok(self) -> bool:
        return self.task_id == f"task-{digest(self._content())}"

    @property
    def tool_names(self) -> list[str]:
        """The environment tools offered (submit_answer, which the framework handles, is not one of them)."""
        return [t["function"]["name"] for t in self.tools if t["function"]["name"] != SUBMIT_ANSWER]

    def episode_tools(self, answer_mode: str) -> list[dict[str, Any]]:
        """The tools an episode of this task offers: its environment tools, and submit_answer (with the answer's
        schema) in tool answer mode when the task has an answer."""
        tools = [t for t in self.tools if t["function"]["name"] != SUBMIT_ANSWER]
        if answer_mode == "tool" and self.answer_schema is not None:
            tools.append(submit_answer_tool(self.answer_schema))
        return tools

    def tools_json(self) -> str:
        return canonical_json(list(self.tools))


class ToolCallRecord(BaseModel):
    name: str
    arguments: Any
    ok: bool
    result: Any
    tool: str


class Verdict(BaseModel):
    passed: bool
    reasons: list[str] = Field(default_factory=list)
    error: str | None = None  # the verifier itself failed (raised, returned garbage)
