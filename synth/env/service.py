"""The in-sandbox side of an environment instance: tools, proposers and verifiers run here."""

from __future__ import annotations

import hashlib
import json
import random
import resource
import traceback
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from synth.env.connection import Connection, rowid_tables, touched_rows, track_rows
from synth.env.extra_tools import compile_tools
from synth.env.registry import load_template_class
from synth.env.results import ResultError, encode_result
from synth.env.template import EnvTemplate
from synth.env.tool import ContractError, ToolArgumentError, ToolSpec
from synth.programs import as_verdict, entry_point
from synth.task import SUBMIT_ANSWER, Program, TaskDraft, Verdict
from synth_verifiers.answers import schema_problems
from synth_verifiers.outcome import Call, Outcome

MAX_RESULT_CHARS = 20_000
SCHEMA = "SELECT type, name, sql FROM main.sqlite_master ORDER BY type, name"


def tool_error(message: str) -> dict:
    return {"ok": False, "content": json.dumps({"error": message})}


@dataclass
class Episode:
    """One episode's state: its database connection, the tools it offers, its tool log and its answer."""

    db: Connection
    offered: set[str]
    answer_schema: dict | None = None  # set when the episode offers submit_answer
    calls: list[Call] = field(default_factory=list)
    submitted: Any = None
    ended: bool = False  # an answer was submitted, or a tool that ends the episode (a hand-off) succeeded


class EnvService:
    """One environment instance and its current episode (the instance's own connection, reset between
    episodes); other episodes, each on a connection of its own, can be made current with `use`."""

    def __init__(self) -> None:
        self.env: EnvTemplate | None = None
        self.tools: dict[str, ToolSpec] = {}  # offered name -> spec
        self.extra: set[str] = set()  # names of tools written for the current task
        self.episode: Episode | None = None
        self.row_tables: list[str] = []  # tables whose changed rows are logged
        self.schema: list = []
        # template bugs (a result with no JSON form, a read tool that wrote), the latest ones until someone asks
        self.contract_errors: deque[str] = deque(maxlen=100)

    @property
    def calls(self) -> list[Call]:
        return self.episode.calls

    @property
    def submitted(self) -> Any:
        return self.episode.submitted

    @property
    def offered(self) -> set[str]:
        return self.episode.offered

    @property
    def answer_schema(self) -> dict | None:
        return self.episode.answer_schema

    def new_episode(self, tools: list[str] | None, answer_schema: dict | None) -> Episode:
        """An episode on a connection of its own, holding a copy of the initial state."""
        db = self.env._connect()
        self.env.initial.backup(db)
        track_rows(db, self.row_tables)
        return Episode(db=db, offered=set(tools) if tools is not None else set(self.tools), answer_schema=answer_schema)

    def use(self, episode: Episode) -> None:
        """Make `episode` the current one: tools act on its database."""
        self.episode = episode
        self.env.db = episode.db

    def rpc_load(self, folder: str, seed: int, instance: str | None = None, build_seed: int | None = None) -> dict:
        cls = load_template_class(Path(folder))
        self.env = cls(seed, instance, build_seed=build_seed)
        self.extra = set()
        self.tools = self.env.offered_tools()
        self._track()
        self._fresh()
        return {
            "name": cls.name,
            "version": cls.version,
            "category": cls.category,
            "description": cls.description,
            "policy": self.env.policy_text(),
            "db_hash": self.env.db_hash(),
            "tools": [spec.schema_named(name) for name, spec in self.tools.items()],
            "tool_kinds": {name: spec.kind for name, spec in self.tools.items()},
            "tool_names": {spec.name: name for name, spec in self.tools.items()},
            "variant": self.env.variant.model_dump(),
            "proposers": [{"shape": p.shape, "difficulty": p.difficulty} for p in cls.proposers()],
            "instances": dict(cls.instances),
        }

    def _track(self) -> None:
        """Log the rows every episode changes (temporary triggers on the instance's connection)."""
        self.schema = self.env.initial.execute(SCHEMA).fetchall()
        self.row_tables = rowid_tables(self.env.initial)
        track_rows(self.env.db, self.row_tables)

    def _fresh(self, tools: list[str] | None = None, answer_schema: dict | None = None) -> None:
        """A new current episode on the instance's own connection: the initial state again, an empty log."""
        self.env.reset()
        self.env.db.execute("DELETE FROM _synth_touched")
        self.env.db.commit()
        self.episode = Episode(
            db=self.env.db, offered=set(tools) if tools is not None else set(self.tools), answer_schema=answer_schema
        )

    def changed_tables(self) -> set[str] | None:
        """The tables this episode may have changed (logged ones with changed rows, and every table whose rows are
        not logged); None when the schema itself changed."""
        db = self.env.db
        if db.execute(SCHEMA).fetchall() != self.schema:
            return None
        tables = {name for kind, name, _ in self.schema if kind == "table"}
        return {t for t, rows in touched_rows(db).items() if rows} | (tables - set(self.row_tables))

    def rpc_install_tools(self, tools: list[dict]) -> list[dict]:
        """Replace the written tools with `tools` (ToolSource dicts); returns their schemas."""
        specs = compile_tools(tools, set(self.tools) - self.extra)
        for name in self.extra:
            self.tools.pop(name, None)
        self.tools.update(specs)
        self.extra = set(specs)
        return [spec.schema for spec in specs.values()]

    def rpc_reset(
        self, tools: list[str] | None = None, extra_tools: list[dict] | None = None, answer_schema: dict | None = None
    ) -> None:
        """A fresh episode offering `tools`; with `answer_schema`, also submit_answer (tool answer mode)."""
        if extra_tools is not None:
            self.rpc_install_tools(extra_tools)
        self._fresh(tools, answer_schema)

    def call_tool(self, name: str, arguments: Any) -> tuple[dict, Any]:
        """({"ok", "content"} as the agent reads it, the result value) of one tool call as a model sends it;
        every failure becomes an error result for the agent."""
        parsed: Any = arguments
        if isinstance(arguments, str):
            try:
                parsed = json.loads(arguments) if arguments.strip() else {}
            except json.JSONDecodeError as exc:
                return self._record(name, arguments, tool_error(f"arguments are not valid JSON ({exc})")), None
        if self.episode.ended:
            return self._record(
                name,
                parsed,
                tool_error("the episode has ended (an answer was submitted or the conversation was handed off)"),
            ), None
        if name == SUBMIT_ANSWER and self.answer_schema is not None:
            return self._submit(parsed)
        spec = self.tools.get(name)
        if spec is None or name not in self.offered:
            available = sorted(self.offered | ({SUBMIT_ANSWER} if self.answer_schema is not None else set()))
            return self._record(
                name, parsed, tool_error(f"unknown tool {name!r}; available tools: {', '.join(available)}")
            ), None
        changes = self.env.db.total_changes
        try:
            values = spec.validate(parsed)
            result = spec.function(self.env, **values)
            content = encode_result(result)
            if spec.kind in ("read", "compute") and self.env.db.total_changes != changes:
                raise ContractError(f'a {spec.kind} tool changed the database; declare it @tool("write")')
        except ToolArgumentError as exc:
            return self._record(name, parsed, tool_error(f"{name}: {exc}")), None
        except (ResultError, ContractError) as exc:
            self.env.db.rollback()
            self.contract_errors.append(f"{spec.name}: {exc}")
            return self._record(name, parsed, tool_error(f"{name} failed: {exc}")), None
        except Exception as exc:  # a tool bug is the agent's error message, not a crash
            self.env.db.rollback()  # a failed call leaves no partial change behind
            return self._record(name, parsed, tool_error(f"{name} failed: {type(exc).__name__}: {exc}")), None
        self.env.db.commit()
        if len(content) > MAX_RESULT_CHARS:
            content = content[:MAX_RESULT_CHARS] + "...[truncated]"
        self.episode.ended = spec.ends_episode
        return self._record(name, parsed, {"ok": True, "content": content, "ended": spec.ends_episode}), result

    def rpc_call_tool(self, name: str, arguments: Any) -> dict:
        return self.call_tool(name, arguments)[0]

    def _submit(self, arguments: Any) -> tuple[dict, Any]:
        if not isinstance(arguments, dict) or set(arguments) != {"answer"}:
            return self._record(
                SUBMIT_ANSWER, arguments, tool_error("submit_answer takes exactly one argument, `answer`")
            ), None
        problems = schema_problems(self.answer_schema, arguments["answer"])
        if problems:
            return self._record(SUBMIT_ANSWER, arguments, tool_error("; ".join(problems))), None
        self.episode.submitted = arguments["answer"]
        self.episode.ended = True
        return self._record(
            SUBMIT_ANSWER, arguments, {"ok": True, "content": json.dumps({"submitted": True}), "ended": True}
        ), None

    def _record(self, name: str, arguments: Any, reply: dict) -> dict:
        try:
            result = json.loads(reply["content"])
        except json.JSONDecodeError:
            result = reply["content"]
        spec = self.tools.get(name)
        self.calls.append(
            Call(name=name, arguments=arguments, ok=reply["ok"], result=result, tool=spec.name if spec else name)
        )
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

    def rpc_evaluate(self, program: dict, candidates_sql: str | None = None) -> dict:
        """Run `entry(db)` of a (model-written) program on a copy of the initial database: the expected answer
        of a task, and the values of `candidates_sql` (its first column), if given."""
        db = self.env.pristine()
        try:
            program = Program.model_validate(program)
            value = entry_point(program)(db)
            candidates = [r[0] for r in db.execute(candidates_sql).fetchall()] if candidates_sql else []
            return {"value": json.loads(json.dumps(value, default=str)), "candidates": [str(c) for c in candidates]}
        finally:
            db.close()

    def rpc_fixed_tasks(self) -> list[dict]:
        """The tasks the template ships with for this instance (drafts, each with its difficulty)."""
        self._fresh()
        drafts = self.env.fixed_tasks()
        self._fresh()
        for draft in drafts:
            if not isinstance(draft, TaskDraft) or draft.difficulty is None:
                raise TypeError("fixed_tasks() must return TaskDrafts, each with a difficulty (1-5)")
        return [d.model_dump(mode="json") for d in drafts]

    def outcome(self, answer: str | None, submitted: Any = None) -> Outcome:
        """What a verifier sees now: the final and the initial state (read-only while it runs), the answer and the
        tool log, and what the runtime knows of which tables and rows changed."""
        db = self.env.db
        db.commit()
        db.base, db.touched = self.env.initial, touched_rows(db)
        outcome = Outcome(db=db, initial=self.env.initial, answer=answer, calls=list(self.calls), submitted=submitted)
        outcome.changed_tables = self.changed_tables()
        return outcome

    def verify(
        self, program: Program, answer: str | None, submitted: Any = None, library_source: str | None = None
    ) -> Verdict:
        outcome = self.outcome(answer, submitted)
        states = (outcome.db, outcome.initial)
        changes = [s.total_changes for s in states]
        for state in states:
            state.execute("PRAGMA query_only = ON")
        try:
            verdict = as_verdict(entry_point(program, library_source)(outcome, program.params))
        except Exception as exc:
            tb = traceback.format_exc(limit=-3)
            verdict = Verdict(passed=False, error=f"verifier raised {type(exc).__name__}: {exc}\n{tb}")
        finally:
            for state in states:
                state.rollback()
                state.execute("PRAGMA query_only = OFF")
            outcome.db.base = outcome.db.touched = None
        if [s.total_changes for s in states] != changes:  # it switched query_only off and wrote: start over
            self.env.rebuild()
            self._track()
            self._fresh()
            verdict = Verdict(passed=False, error="the verifier changed the database; verifiers must only read it")
        return verdict

    def rpc_verify(
        self, verifier: dict, answer: str | None, submitted: Any = None, library_source: str | None = None
    ) -> dict:
        """Grade the current state; `submitted` defaults to what this episode's submit_answer received."""
        program = Program.model_validate(verifier)
        submitted = self.submitted if submitted is None else submitted
        return self.verify(program, answer, submitted, library_source).model_dump()

    def rpc_contract_errors(self) -> list[str]:
        """Tools that broke their contract since the last call (`synth envs check` fails on them): a result with
        no JSON form, a read or compute tool that changed the database."""
        errors = list(self.contract_errors)
        self.contract_errors.clear()
        return errors

    def rpc_cpu(self) -> float:
        """CPU seconds this sandbox process has used (its RLIMIT_CPU counts them all)."""
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    def rpc_state_hash(self) -> str:
        """A hash of the current database: episodes that end in the same state have the same hash."""
        return hashlib.sha256("\n".join(self.env.db.iterdump()).encode()).hexdigest()

    def rpc_calls(self) -> list[dict]:
        return [vars(c) for c in self.calls]
