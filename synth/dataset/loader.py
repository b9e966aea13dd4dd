"""Reading a run back: stored rows become TaskSpecs again, and any trajectory can be re-graded.

`TaskEnvironment` is the hook an RL trainer uses: it rebuilds the task's environment from
(template, version, seed) in a sandbox, executes tool calls, and grades answers with the stored verifier. A run
carries the templates it used (templates/) and its grading library (grader/), so its rows re-grade anywhere.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import datasets

from synth.env.registry import ENV_PATH_VARIABLE, TemplateEntry, TemplateLoadError, entries_in
from synth.env.session import EnvSession
from synth.programs import find_library
from synth.sandbox import SandboxLimits, get_backend
from synth.task import Program, TaskSpec, ToolSource, Verdict

TEMPLATES_FOLDER = "templates"  # a run's copy of the templates it used


def load_run(path: str | Path) -> datasets.DatasetDict:
    datasets.disable_progress_bars()
    return datasets.load_from_disk(str(path))


def task_from_row(row: dict[str, Any]) -> TaskSpec:
    task = TaskSpec(
        task_id=row["task_id"],
        env_id=row["env_id"],
        template=row["template"],
        template_version=row["template_version"],
        category=row["category"],
        agent_category=row["agent_category"],
        difficulty=row["difficulty"],
        shape=row["shape"],
        instruction=row["instruction"],
        system_prompt=row["system_prompt"],
        tools=tuple(json.loads(row["tools"])),
        solution=Program(
            source=row["solution"], entry=row["solution_entry"], params=json.loads(row["solution_params"])
        ),
        verifier=Program(
            source=row["verifier"],
            entry=row["verifier_entry"],
            params=json.loads(row["verifier_params"]),
            library=row.get("verifier_library"),
        ),
        env_seed=row["env_seed"],
        env_instance=row.get("env_instance"),
        proposer=row["proposer"],
        extra_tools=tuple(ToolSource.model_validate(t) for t in json.loads(row.get("extra_tools") or "[]")),
        answer_schema=json.loads(row["answer_schema"]) if row.get("answer_schema") else None,
        answer_mode=row.get("answer_mode") or "text",
    )
    if not task.content_hash_ok():
        raise ValueError(f"task {row['task_id']}: stored content does not match its id (the row was altered)")
    return task


def template_for(task: TaskSpec, envs_dirs: list[Path] = (), run_dir: Path | None = None) -> TemplateEntry:
    """The template a task was made with: from `envs_dirs`, the copy its run carries (templates/), or the
    installed ones (envs/, SYNTH_ENVS_PATH), whichever has its exact version."""
    where = [*envs_dirs, *([Path(run_dir) / TEMPLATES_FOLDER] if run_dir else [])]
    found = []
    for entry in entries_in(where, installed=True):
        if entry.cls is not None and entry.name == task.template:
            found.append(entry)
            if entry.cls.version == task.template_version:
                return entry
    if not found:
        raise TemplateLoadError(
            f"task {task.task_id} needs the template {task.template!r}, which is neither installed nor carried by "
            f"the run; pass the run folder (run_dir=...) or the folder holding it (envs_dirs=..., --envs-dir or "
            f"${ENV_PATH_VARIABLE})"
        )
    raise TemplateLoadError(
        f"task {task.task_id} was made with {task.template}@{task.template_version}, but only version(s) "
        f"{', '.join(sorted({e.cls.version for e in found}))} are available ({', '.join(str(e.folder) for e in found)}); "
        f"pass the run folder it came from (run_dir=...: runs carry their templates) or install that version"
    )


class TaskEnvironment:
    """One task's environment in a sandbox: reset, step tool calls, grade. `answer_mode` (default: the task's)
    decides whether the episode offers submit_answer; any task grades either way."""

    def __init__(
        self,
        task: TaskSpec | dict[str, Any],
        *,
        sandbox: str = "bwrap",
        envs_dirs: list[Path] = (),
        run_dir: str | Path | None = None,
        limits: SandboxLimits | None = None,
        answer_mode: str | None = None,
    ):
        self.task = task if isinstance(task, TaskSpec) else task_from_row(task)
        self.answer_mode = answer_mode or self.task.answer_mode
        entry = template_for(self.task, list(envs_dirs), Path(run_dir) if run_dir else None)
        self.library_source = None
        if self.task.verifier.library:
            self.library_source = find_library(self.task.verifier.library, [Path(run_dir)] if run_dir else [])
        self.env = EnvSession(
            get_backend(sandbox), entry, self.task.env_seed, limits or SandboxLimits(), instance=self.task.env_instance
        )
        self.done = False

    @property
    def tools(self) -> list[dict[str, Any]]:
        """The tools offered in this episode (submit_answer only in tool answer mode)."""
        return self.task.episode_tools(self.answer_mode)

    def reset(self) -> list[dict[str, Any]]:
        """A fresh episode: the environment's initial state and the opening messages."""
        schema = self.task.answer_schema if self.answer_mode == "tool" else None
        self.env.reset(self.task.tool_names, self.task.extra_tools, answer_schema=schema)
        self.done = False
        return [
            {"role": "system", "content": self.task.system_prompt},
            {"role": "user", "content": self.task.instruction},
        ]

    def step(self, tool_call: dict[str, Any]) -> dict[str, Any]:
        """Execute one OpenAI tool call; returns the tool message to append. A successful submit_answer, or a tool
        that hands the conversation off, ends the episode (`done`)."""
        result = self.env.call_tool(tool_call["function"]["name"], tool_call["function"]["arguments"])
        self.done = self.done or result.ended
        return {"role": "tool", "tool_call_id": tool_call["id"], "content": result.content}

    def grade(self, answer: str | None = None) -> Verdict:
        """Judge the current state and the final answer: what submit_answer received in this episode, else
        `answer` (the final message)."""
        return self.env.verify(self.task.verifier, answer, library_source=self.library_source)

    def state_hash(self) -> str:
        """A hash of the episode's current state: equal for two episodes that end in the same state."""
        return self.env.state_hash()

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
