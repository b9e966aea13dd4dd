"""The in-sandbox side of an environment instance: tools, proposers and verifiers run here."""

from __future__ import annotations

import json
import random
import traceback
from pathlib import Path
from typing import Any

from synth.env.extra_tools import compile_tools
from synth.env.registry import load_template_class
from synth.env.template import EnvTemplate
from synth.env.tool import ToolArgumentError, ToolSpec
from synth.programs import as_verdict, entry_point
from synth.task import Program, TaskDraft
from verifiers.outcome import Call, Outcome

MAX_RESULT_CHARS = 20_000


def tool_error(message: str) -> dict:
    return {"ok": False, "content": json.dumps({"error": message})}


class EnvService:
    def __init__(self) -> None:
        self.env: EnvTemplate | None = None
        self.tools: dict[str, ToolSpec] = {}  # offered name -> spec
        self.offered: set[str] = set()
        self.calls: list[Call] = []
        self.extra: set[str] = set()  # names of tools written for the current task

    def rpc_load(self, folder: str, seed: int) -> dict:
        cls = load_template_class(Path(folder))
        self.env = cls(seed)
        self.calls, self.extra = [], set()
        self.tools = self.env.offered_tools()
        self.offered = set(self.tools)
        return {
            "name": cls.name, "version": cls.version, "category": cls.category,
            "description": cls.description, "policy": self.env.policy_text(), "db_hash": self.env.db_hash(),
            "tools": [spec.schema_named(name) for name, spec in self.tools.items()],
            "tool_kinds": {name: spec.kind for name, spec in self.tools.items()},
            "tool_names": {spec.name: name for name, spec in self.tools.items()},
            "variant": self.env.variant.model_dump(),
            "proposers": [{"shape": p.shape, "difficulty": p.difficulty} for p in cls.proposers()],
        }

    def rpc_install_tools(self, tools: list[dict]) -> list[dict]:
        """Replace the written tools with `tools` (ToolSource dicts); returns their schemas."""
        specs = compile_tools(tools, set(self.tools) - self.extra)
        for name in self.extra:
            self.tools.pop(name, None)
        self.tools.update(specs)
        self.extra = set(specs)
        return [spec.schema for spec in specs.values()]

    def rpc_reset(self, tools: list[str] | None = None, extra_tools: list[dict] | None = None) -> None:
        if extra_tools is not None:
            self.rpc_install_tools(extra_tools)
        self.env.reset()
        self.calls = []
        self.offered = set(tools) if tools is not None else set(self.tools)

    def rpc_call_tool(self, name: str, arguments: Any) -> dict:
        """Run one tool call as a model would send it; every failure becomes an error result for the agent."""
        parsed: Any = arguments
        if isinstance(arguments, str):
            try:
                parsed = json.loads(arguments) if arguments.strip() else {}
            except json.JSONDecodeError as exc:
                return self._record(name, arguments, tool_error(f"arguments are not valid JSON ({exc})"))
        spec = self.tools.get(name)
        if spec is None or name not in self.offered:
            return self._record(name, parsed, tool_error(
                f"unknown tool {name!r}; available tools: {', '.join(sorted(self.offered))}"))
        try:
            values = spec.validate(parsed)
            result = spec.function(self.env, **values)
            content = json.dumps(result, default=str)
        except ToolArgumentError as exc:
            return self._record(name, parsed, tool_error(f"{name}: {exc}"))
        except Exception as exc:  # a tool bug is the agent's error message, not a crash
            self.env.db.rollback()  # a failed call leaves no partial change behind
            return self._record(name, parsed, tool_error(f"{name} failed: {type(exc).__name__}: {exc}"))
        self.env.db.commit()
        if len(content) > MAX_RESULT_CHARS:
            content = content[:MAX_RESULT_CHARS] + "...[truncated]"
        return self._record(name, parsed, {"ok": True, "content": content})

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
        self.env.reset()
        if draft is None:
            return None
        if not isinstance(draft, TaskDraft):
            raise TypeError(f"proposer {spec.shape!r} returned {type(draft).__name__}, expected TaskDraft or None")
        return draft.model_dump(mode="json")

    def rpc_verify(self, verifier: dict, answer: str | None) -> dict:
        program = Program.model_validate(verifier)
        outcome = Outcome(db=self.env.snapshot(), initial=self.env.pristine(), answer=answer, calls=list(self.calls))
        try:
            verdict = as_verdict(entry_point(program)(outcome, program.params))
        except Exception as exc:
            tb = traceback.format_exc(limit=-3)
            return {"passed": False, "reasons": [], "error": f"verifier raised {type(exc).__name__}: {exc}\n{tb}"}
        finally:
            outcome.db.close()
            outcome.initial.close()
        return verdict.model_dump()

    def rpc_calls(self) -> list[dict]:
        return [vars(c) for c in self.calls]
