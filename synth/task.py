"""Tasks: frozen, serializable, content-hashed. Solutions and verifiers are programs stored as source."""

from __future__ import annotations

import inspect
import json
import textwrap
from typing import Any, Callable, Literal

from pydantic import BaseModel, ConfigDict, Field

from synth.ids import canonical_json, digest


class Program(BaseModel):
    """Python source plus the entry function to call and its JSON parameters.

    A solution's entry is called as `entry(tools, params)` and may only call tools and compute.
    A verifier's entry is called as `entry(outcome, params)` and returns a verdict.
    """

    model_config = ConfigDict(frozen=True)

    source: str
    entry: str
    params: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def of(cls, fn: Callable[..., Any], **params: Any) -> "Program":
        """A program from a module-level function; put its imports inside the function body."""
        source = textwrap.dedent(inspect.getsource(fn))
        if source.lstrip().startswith("@"):
            raise ValueError(f"{fn.__qualname__}: programs must be plain functions without decorators")
        json.dumps(params)  # parameters must survive storage
        return cls(source=source, entry=fn.__name__, params=params)


class ToolSource(BaseModel):
    """A tool written for one task (by a model): `def <name>(self, ...)` with type hints and a docstring,
    run only inside the environment's sandbox, where `self` is the environment (`self.rows`, `self.db`)."""

    model_config = ConfigDict(frozen=True)

    name: str
    kind: Literal["read", "write"] = "read"
    source: str


class TaskDraft(BaseModel):
    """What a proposer returns; the pipeline completes it into a TaskSpec."""

    model_config = ConfigDict(frozen=True)

    shape: str
    instruction: str
    solution: Program
    verifier: Program
    tools: tuple[str, ...] | None = None  # names offered to the agent; None means every tool


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
    proposer: str = "procedural"
    extra_tools: tuple[ToolSource, ...] = ()  # tools written for this task, stored with it

    def _content(self) -> dict[str, Any]:
        # tasks without extra tools hash exactly as before the field existed
        return self.model_dump(mode="json", exclude={"task_id"} | ({"extra_tools"} if not self.extra_tools else set()))

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
        return [t["function"]["name"] for t in self.tools]

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


