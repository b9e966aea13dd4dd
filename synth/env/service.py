"""The in-sandbox side of an environment instance: tools, proposers and verifiers run here."""

from __future__ import annotations

import json
import random
import sqlite3
import traceback
from pathlib import Path
from typing import Any

from synth.env.extra_tools import compile_tools
from synth.env.registry import load_template_class
from synth.env.results import ResultError, encode_result
from synth.env.template import EnvTemplate
from synth.env.tool import ToolArgumentError, ToolSpec
from synth.programs import as_verdict, entry_point
from synth.task import SUBMIT_ANSWER, Program, TaskDraft, Verdict
from synth_verifiers.answers import schema_problems
from synth_verifiers.outcome import Call, Outcome

MAX_RESULT_CHARS = 20_000
WRITES = {sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE}
SCHEMA_CHANGES = {sqlite3.SQLITE_CREATE_TABLE, sqlite3.SQLITE_DROP_TABLE, sqlite3.SQLITE_ALTER_TABLE,
                  sqlite3.SQLITE_CREATE_TEMP_TABLE, sqlite3.SQLITE_DROP_TEMP_TABLE}


def tool_error(message: str) -> dict:
    return {"ok": False, "content": json.dumps({"error": message})}


class EnvService:
    def __init__(self) -> None:
        self.env: EnvTemplate | None = None
        self.tools: dict[str, ToolSpec] = {}  # offered name -> spec
        self.offered: set[str] = set()
        self.calls: list[Call] = []
        self.extra: set[str] = set()  # names of tools written for the current task
        self.answer_schema: dict | None = None  # set while an episode offers submit_answer
        self.submitted: Any = None
        self.written: set[str] | None = set()  # tables written this episode; None: unknown (schema changed)

    def rpc_load(self, folder: str, seed: int) -> dict:
        cls = load_template_class(Path(folder))
        self.env = cls(seed)
        self.calls, self.extra = [], set()
        self.tools = self.env.offered_tools()
        self.offered = set(self.tools)
        self._fresh()
        return {
            "name": cls.name, "version": cls.version, "category": cls.category,
            "description": cls.description, "policy": self.env.policy_text(), "db_hash": self.env.db_hash(),
            "tools": [spec.schema_named(name) for name, spec in self.tools.items()],
            "tool_kinds": {name: spec.kind for name, spec in self.tools.items()},
            "tool_names": {spec.name: name for name, spec in self.tools.items()},
            "variant": self.env.variant.model_dump(),
            "proposers": [{"shape": p.shape, "difficulty": p.difficulty} for p in cls.proposers()],
        }

    def _fresh(self) -> None:
        """The initial state on a new connection, whose statements all compile under the write watch."""
        self.env.reset()
        self._watch_writes()

    def _watch_writes(self) -> None:
        """Note which tables each statement may write (at compile time), so that grading can skip the rest."""
        self.written = set()

        def authorize(action, arg1, arg2, db_name, source):
            if action in WRITES and self.written is not None:
                self.written.add(arg1)
            elif action in SCHEMA_CHANGES:
                self.written = None
            return sqlite3.SQLITE_OK

        self.env.db.set_authorizer(authorize)

    def rpc_install_tools(self, tools: list[dict]) -> list[dict]:
        """Replace the written tools with `tools` (ToolSource dicts); returns their schemas."""
        specs = compile_tools(tools, set(self.tools) - self.extra)
        for name in self.extra:
            self.tools.pop(name, None)
        self.tools.update(specs)
        self.extra = set(specs)
        return [spec.schema for spec in specs.values()]

    def rpc_reset(self, tools: list[str] | None = None, extra_tools: list[dict] | None = None,
                  answer_schema: dict | None = None) -> None:
        """A fresh episode offering `tools`; with `answer_schema`, also submit_answer (tool answer mode)."""
        if extra_tools is not None:
            self.rpc_install_tools(extra_tools)
        self._fresh()
        self.calls, self.submitted = [], None
        self.answer_schema = answer_schema
        self.offered = set(tools) if tools is not None else set(self.tools)

    def call_tool(self, name: str, arguments: Any) -> tuple[dict, Any]:
        """({"ok", "content"} as the agent reads it, the result value) of one tool call as a model sends it;
        every failure becomes an error result for the agent."""
        parsed: Any = arguments
        if isinstance(arguments, str):
            try:
                parsed = json.loads(arguments) if arguments.strip() else {}
            except json.JSONDecodeError as exc:
                return self._record(name, arguments, tool_error(f"arguments are not valid JSON ({exc})")), None
        if self.submitted is not None:
            return self._record(name, parsed, tool_error("the answer was submitted; the episode has ended")), None
        if name == SUBMIT_ANSWER and self.answer_schema is not None:
            return self._submit(parsed)
        spec = self.tools.get(name)
        if spec is None or name not in self.offered:
            available = sorted(self.offered | ({SUBMIT_ANSWER} if self.answer_schema is not None else set()))
            return self._record(name, parsed, tool_error(
                f"unknown tool {name!r}; available tools: {', '.join(available)}")), None
        try:
            values = spec.validate(parsed)
            result = spec.function(self.env, **values)
            content = encode_result(result)
        except ToolArgumentError as exc:
            return self._record(name, parsed, tool_error(f"{name}: {exc}")), None
        except ResultError as exc:
            self.env.db.rollback()
            return self._record(name, parsed, tool_error(f"{name} failed: {exc}")), None
        except Exception as exc:  # a tool bug is the agent's error message, not a crash
            self.env.db.rollback()  # a failed call leaves no partial change behind
            return self._record(name, parsed, tool_error(f"{name} failed: {type(exc).__name__}: {exc}")), None
        self.env.db.commit()
        if len(content) > MAX_RESULT_CHARS:
            content = content[:MAX_RESULT_CHARS] + "...[truncated]"
        return self._record(name, parsed, {"ok": True, "content": content}), result

    def rpc_call_tool(self, name: str, arguments: Any) -> dict:
        return self.call_tool(name, arguments)[0]

    def _submit(self, arguments: Any) -> tuple[dict, Any]:
        if not isinstance(arguments, dict) or set(arguments) != {"answer"}:
            return self._record(SUBMIT_ANSWER, arguments, tool_error(
                "submit_answer takes exactly one argument, `answer`")), None
        problems = schema_problems(self.answer_schema, arguments["answer"])
        if problems:
            return self._record(SUBMIT_ANSWER, arguments, tool_error("; ".join(problems))), None
        self.submitted = arguments["answer"]
        return self._record(SUBMIT_ANSWER, arguments, {"ok": True, "content": json.dumps(
            {"submitted": True})}), None

    def _record(self, name: str, arguments: Any, reply: dict) -> dict:
        try:
            result = json.loads(reply["content"])
        except json.JSONDecodeError:
            result = reply["content"]
        spec = self.tools.get(name)
        self.calls.append(Call(name=name, arguments=arguments, ok=reply["ok"], result=result,
                               tool=spec.name if spec else name))
        return reply

    def rpc_propose(self, index: int, seed: int) -> dict | None:
        spec = self.env.proposers()[index]
        self.env.reset()
        draft = spec.draft(self.env, random.Random(seed))
        self._fresh()
        if draft is None:
            return None
        if not isinstance(draft, TaskDraft):
            raise TypeError(f"proposer {spec.shape!r} returned {type(draft).__name__}, expected TaskDraft or None")
        return draft.model_dump(mode="json")

    def outcome(self, answer: str | None, submitted: Any = None) -> Outcome:
        """What a verifier sees now: copies of the final and the initial state, the answer and the tool log."""
        outcome = Outcome(db=self.env.snapshot(), initial=self.env.pristine(), answer=answer, calls=list(self.calls),
                          submitted=submitted)
        outcome.changed_tables = None if self.written is None else set(self.written)
        return outcome

    def verify(self, program: Program, answer: str | None, submitted: Any = None,
               library_source: str | None = None) -> Verdict:
        outcome = self.outcome(answer, submitted)
        try:
            return as_verdict(entry_point(program, library_source)(outcome, program.params))
        except Exception as exc:
            tb = traceback.format_exc(limit=-3)
            return Verdict(passed=False, error=f"verifier raised {type(exc).__name__}: {exc}\n{tb}")
        finally:
            outcome.db.close()
            outcome.initial.close()

    def rpc_verify(self, verifier: dict, answer: str | None, submitted: Any = None,
                   library_source: str | None = None) -> dict:
        """Grade the current state; `submitted` defaults to what this episode's submit_answer received."""
        program = Program.model_validate(verifier)
        submitted = self.submitted if submitted is None else submitted
        return self.verify(program, answer, submitted, library_source).model_dump()

    def rpc_calls(self) -> list[dict]:
        return [vars(c) for c in self.calls]
