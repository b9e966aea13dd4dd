"""Reading a run back: stored rows become TaskSpecs again, and any trajectory can be re-graded.

`TaskEnvironment` is the hook an RL trainer uses: it rebuilds the task's environment from
(template, version, seed) in a sandbox, executes tool calls, and grades answers with the stored verifier.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import datasets

from synth.env.registry import TemplateLoadError, select
from synth.env.session import EnvSession
from synth.sandbox import SandboxLimits, get_backend
from synth.task import Program, TaskSpec, ToolSource, Verdict


def load_run(path: str | Path) -> datasets.DatasetDict:
    datasets.disable_progress_bars()
    return datasets.load_from_disk(str(path))


def task_from_row(row: dict[str, Any]) -> TaskSpec:
    task = TaskSpec(
        task_id=row["task_id"], env_id=row["env_id"], template=row["template"],
        template_version=row["template_version"], category=row["category"],
        agent_category=row["agent_category"], difficulty=row["difficulty"],
        shape=row["shape"], instruction=row["instruction"], system_prompt=row["system_prompt"],
        tools=tuple(json.loads(row["tools"])),
        solution=Program(source=row["solution"], entry=row["solution_entry"], params=json.loads(row["solution_params"])),
        verifier=Program(source=row["verifier"], entry=row["verifier_entry"], params=json.loads(row["verifier_params"]),
                         library=row.get("verifier_library")),
        env_seed=row["env_seed"], proposer=row["proposer"],
        extra_tools=tuple(ToolSource.model_validate(t) for t in json.loads(row.get("extra_tools") or "[]")),
        answer_schema=json.loads(row["answer_schema"]) if row.get("answer_schema") else None,
        answer_mode=row.get("answer_mode") or "text",
    )
    if not task.content_hash_ok():
        raise ValueError(f"task {row['task_id']}: stored content does not match its id (the row was altered)")
    return task


class TaskEnvironment:
    def __init__(self, task: TaskSpec | dict[str, Any], *, sandbox: str = "bwrap", envs_dirs: list[Path] = (),
                 limits: SandboxLimits | None = None):
        self.task = task if isinstance(task, TaskSpec) else task_from_row(task)
        [entry] = select([self.task.template], list(envs_dirs))
        if entry.cls.version != self.task.template_version:
            raise TemplateLoadError(
                f"task {self.task.task_id} was made with {self.task.template}@{self.task.template_version}, but "
                f"{entry.folder} is version {entry.cls.version}; install the matching template version")
        self.env = EnvSession(get_backend(sandbox), entry, self.task.env_seed, limits or SandboxLimits())

    def reset(self) -> list[dict[str, Any]]:
        """A fresh episode: the environment's initial state and the opening messages."""
        self.env.reset(self.task.tool_names, self.task.extra_tools)
        return [{"role": "system", "content": self.task.system_prompt},
                {"role": "user", "content": self.task.instruction}]

    def step(self, tool_call: dict[str, Any]) -> dict[str, Any]:
        """Execute one OpenAI tool call; returns the tool message to append."""
        result = self.env.call_tool(tool_call["function"]["name"], tool_call["function"]["arguments"])
        return {"role": "tool", "tool_call_id": tool_call["id"], "content": result.content}

    def grade(self, answer: str | None) -> Verdict:
        """Judge the current state and the final answer with the task's verifier."""
        return self.env.verify(self.task.verifier, answer)

    def regrade(self, messages: list[dict[str, Any]]) -> Verdict:
        """Replay a stored trajectory's tool calls on a fresh environment and grade its outcome."""
        self.reset()
        answer = None
        for message in messages:
            if message["role"] != "assistant":
                continue
            for call in message.get("tool_calls") or []:
                self.step(call)
            if not message.get("tool_calls"):
                answer = message.get("content") or None
        return self.grade(answer)

    def close(self) -> None:
        self.env.close()

    def __enter__(self) -> "TaskEnvironment":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
