"""Host handle to one environment instance living in its sandbox."""

from __future__ import annotations

from typing import Any, Sequence

from pydantic import BaseModel

from synth.env.registry import TemplateEntry
from synth.sandbox import SandboxBackend, SandboxLimits, ServerProcess
from synth.task import Program, TaskDraft, ToolCallRecord, ToolSource, Verdict

SERVICE = "synth.env.service:EnvService"


class EnvInfo(BaseModel):
    name: str
    version: str
    category: str
    description: str
    policy: str
    db_hash: str
    tools: list[dict[str, Any]]
    tool_kinds: dict[str, str]
    tool_names: dict[str, str]  # the template's tool name -> the name this instance offers it by
    variant: dict[str, Any]
    proposers: list[dict[str, Any]]
    instances: dict[str, str] = {}


class ToolResult(BaseModel):
    ok: bool
    content: str
    ended: bool = False  # the episode ended with this call (an answer submitted, a hand-off)


class EnvSession:
    """One environment instance. `server` reuses a running environment sandbox whose mounts include the
    template's folder (see synth.pipeline.pool); otherwise a new sandbox is started for it, hosting `service`."""

    def __init__(
        self,
        backend: SandboxBackend,
        template: TemplateEntry,
        seed: int,
        limits: SandboxLimits,
        server: ServerProcess | None = None,
        service: str = SERVICE,
        instance: str | None = None,
        build_seed: int | None = None,
    ):
        self.template, self.seed, self.instance = template, seed, instance
        self.server = server or backend.start_server(service, limits, mounts=[template.folder])
        try:
            self.info = EnvInfo.model_validate(
                self.server.call(
                    "load",
                    {"folder": str(template.folder), "seed": seed, "instance": instance, "build_seed": build_seed},
                )
            )
        except BaseException:
            self.server.close()
            raise

    def reset(
        self,
        tools: list[str] | None = None,
        extra_tools: Sequence[ToolSource] | None = None,
        answer_schema: dict[str, Any] | None = None,
    ) -> None:
        """A fresh episode offering `tools` (default: all); `extra_tools` replaces the tools written for a task;
        with `answer_schema` the episode also offers submit_answer, and ends when it is called."""
        params: dict[str, Any] = {"tools": tools, "answer_schema": answer_schema}
        if extra_tools:
            params["extra_tools"] = [t.model_dump() for t in extra_tools]
        self.server.call("reset", params)

    def install_tools(self, extra_tools: Sequence[ToolSource]) -> list[dict[str, Any]]:
        """Compile tools written for a task inside the sandbox; returns their schemas (SandboxCallError if bad)."""
        return self.server.call("install_tools", {"tools": [t.model_dump() for t in extra_tools]})

    def call_tool(self, name: str, arguments: Any) -> ToolResult:
        return ToolResult.model_validate(self.server.call("call_tool", {"name": name, "arguments": arguments}))

    def fixed_tasks(self) -> list[TaskDraft]:
        return [TaskDraft.model_validate(d) for d in self.server.call("fixed_tasks")]

    def propose(self, index: int, seed: int) -> TaskDraft | None:
        draft = self.server.call("propose", {"index": index, "seed": seed})
        return None if draft is None else TaskDraft.model_validate(draft)

    def verify(
        self, verifier: Program, answer: str | None, submitted: Any = None, library_source: str | None = None
    ) -> Verdict:
        """Grade the current state with `answer` (the final message) or `submitted` (a submit_answer value; by
        default whatever this episode's submit_answer received)."""
        return Verdict.model_validate(
            self.server.call(
                "verify",
                {
                    "verifier": verifier.model_dump(),
                    "answer": answer,
                    "submitted": submitted,
                    "library_source": library_source,
                },
            )
        )

    def evaluate(self, program: Program, candidates_sql: str | None = None) -> dict[str, Any]:
        """{"value", "candidates"}: a program `entry(db)` run on the initial database inside the sandbox."""
        return self.server.call("evaluate", {"program": program.model_dump(), "candidates_sql": candidates_sql})

    def state_hash(self) -> str:
        """A hash of the current database (the same for episodes that end in the same state)."""
        return self.server.call("state_hash")

    def calls(self) -> list[ToolCallRecord]:
        return [ToolCallRecord.model_validate(c) for c in self.server.call("calls")]

    def close(self) -> None:
        self.server.close()

    def __enter__(self) -> "EnvSession":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
