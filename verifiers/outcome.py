"""What a verifier sees: the final state, the initial state, the final answer and the tool log."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Call:
    name: str  # as the agent called it
    arguments: Any
    ok: bool
    result: Any
    tool: str = ""  # the template's own name for it (a variant may offer it renamed)


@dataclass
class Outcome:
    db: sqlite3.Connection  # final state (a private copy: changes are discarded)
    initial: sqlite3.Connection  # state before the episode
    answer: str | None  # the agent's final message, None when it gave none
    calls: list[Call] = field(default_factory=list)
    submitted: Any = None  # the value given to submit_answer, None when the agent did not call it
    changed_tables: set[str] | None = None  # tables that may have changed, when the runtime knows (else: any)

    def rows(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.execute(sql, args).fetchall()]

    def initial_rows(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        return [dict(r) for r in self.initial.execute(sql, args).fetchall()]

    def successful_calls(self, name: str | None = None) -> list[Call]:
        return [c for c in self.calls if c.ok and (name is None or c.tool == name)]
