"""EnvTemplate: a seeded SQLite world, typed tools over it, and proposers of tasks."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from typing import Any, ClassVar

from synth.env.connection import connect
from synth.env.phrasing import render
from synth.env.proposer import ProposerSpec, collect_proposers
from synth.env.tool import ToolSpec, collect_tools
from synth.env.variant import Variant, VariantSpace, sample_variant
from synth.ids import derive_seed
from synth.task import TaskDraft

AGENT_CATEGORIES = ("general", "search", "code", "code_interpreter")


class TemplateError(ValueError):
    """A template that cannot be used; the message says what to fix."""


class EnvTemplate:
    """Subclass per environment family. An instance is one environment: (template@version, seed[, instance]).

    Subclasses set the class attributes, implement `build`, and mark methods with @tool and @proposer.
    Tools and proposers use `self.db` (sqlite3, rows as sqlite3.Row); `build` must use only `rng` and
    `self.instance`: the name of a named instance (one of `instances`, e.g. the full original dataset) or None.
    `fixed_tasks()` may return tasks a domain ships with; they are validated like proposed ones.
    """

    name: ClassVar[str]
    version: ClassVar[str]
    category: ClassVar[str]
    description: ClassVar[str]
    policy: ClassVar[str] = ""
    agent_category: ClassVar[str] = "general"  # DeepSeek's agent categories: see AGENT_CATEGORIES
    phrasings: ClassVar[dict[str, list[str]]] = {}
    variants: ClassVar[VariantSpace] = VariantSpace()
    synthesized: ClassVar[bool] = False  # model-written: tasks come from the LLM proposer, so no proposers
    instances: ClassVar[dict[str, str]] = {}  # named instances: name -> what it is (build reads self.instance)

    _tools: ClassVar[dict[str, ToolSpec]]
    _proposers: ClassVar[list[ProposerSpec]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._tools = collect_tools(cls)
        cls._proposers = collect_proposers(cls)

    @classmethod
    def check_definition(cls) -> None:
        for attr in ("name", "version", "category", "description"):
            if not isinstance(getattr(cls, attr, None), str) or not getattr(cls, attr):
                raise TemplateError(f"{cls.__name__}: set the class attribute {attr!r} to a non-empty string")
        if cls.agent_category not in AGENT_CATEGORIES:
            raise TemplateError(f"{cls.__name__}: agent_category must be one of {', '.join(AGENT_CATEGORIES)}")
        if not cls._tools:
            raise TemplateError(f"{cls.__name__}: no @tool methods; an environment needs tools")
        if not cls._proposers and not cls.synthesized and cls.fixed_tasks is EnvTemplate.fixed_tasks:
            raise TemplateError(
                f"{cls.__name__}: no @proposer methods and no fixed_tasks(); an environment needs tasks"
            )
        space = cls.variants
        unknown = [t for t in (*space.optional_tools, *space.renames) if t not in cls._tools]
        if unknown:
            raise TemplateError(f"{cls.__name__}: variants name unknown tools {unknown}")
        taken = set(cls._tools)
        for names in space.renames.values():
            clash = taken & set(names)
            if clash:
                raise TemplateError(f"{cls.__name__}: variant names {sorted(clash)} clash with other tools")
            taken |= set(names)

    @classmethod
    def tools(cls) -> dict[str, ToolSpec]:
        return cls._tools

    @classmethod
    def proposers(cls) -> list[ProposerSpec]:
        return cls._proposers

    @classmethod
    def difficulties(cls) -> list[int]:
        return sorted({p.difficulty for p in cls._proposers})

    def __init__(self, seed: int, instance: str | None = None, *, build_seed: int | None = None) -> None:
        """`build_seed` (for checks only) seeds the variant and build() with another seed than `self.seed`."""
        if instance is not None and instance not in self.instances:
            raise TemplateError(
                f"{type(self).__name__}: no instance {instance!r}; named instances: "
                f"{', '.join(self.instances) or 'none'}"
            )
        self.seed, self.instance = seed, instance
        self._build_seed = seed if build_seed is None else build_seed
        self.variant: Variant = sample_variant(self.variants, random.Random(derive_seed(self._build_seed, "variant")))
        self.rebuild()

    def rebuild(self) -> None:
        """Build the database from the seed (again)."""
        self.db = self._connect()
        self.build(random.Random(self._build_seed))
        self.db.commit()
        self._pristine = self._connect()
        self.db.backup(self._pristine)
        self._pristine.snapshots = {}  # it never changes: its table snapshots can be kept

    @staticmethod
    def _connect() -> sqlite3.Connection:
        return connect()

    def build(self, rng: random.Random) -> None:
        raise NotImplementedError(f"{type(self).__name__} must implement build(rng)")

    def fixed_tasks(self) -> list[TaskDraft]:
        """Tasks this domain ships with (gold solutions, expected effects and answers), each with a difficulty;
        validated like proposed tasks and stored like them. Most templates have none."""
        return []

    def offered_tools(self) -> dict[str, ToolSpec]:
        """This instance's tools under the names it offers them by."""
        return {
            self.variant.offered_name(name): spec
            for name, spec in self._tools.items()
            if name not in self.variant.hidden_tools
        }

    def has_tool(self, name: str) -> bool:
        return name not in self.variant.hidden_tools

    def available_tools(self, *names: str) -> tuple[str, ...]:
        """The named tools this variant offers (optional ones may be hidden): a task's `TaskDraft.tools`."""
        return tuple(n for n in names if self.has_tool(n))

    def policy_text(self) -> str:
        """The rules stated to the agent: the family's policy plus this variant's extra rules."""
        return "\n".join([self.policy, *(self.variants.rules[r] for r in self.variant.rules)]).strip()

    def reset(self) -> None:
        """Back to the state right after build (on the same connection, which keeps its temporary objects)."""
        self.db.rollback()
        self._pristine.backup(self.db)

    def snapshot(self) -> sqlite3.Connection:
        self.db.commit()
        copy = self._connect()
        self.db.backup(copy)
        return copy

    @property
    def initial(self) -> sqlite3.Connection:
        """The state right after build, itself (read it, never change it)."""
        return self._pristine

    def pristine(self) -> sqlite3.Connection:
        copy = self._connect()
        self._pristine.backup(copy)
        return copy

    def db_hash(self) -> str:
        return hashlib.sha256("\n".join(self._pristine.iterdump()).encode()).hexdigest()

    def render(self, shape: str, rng: random.Random, **variables: Any) -> str:
        if shape not in self.phrasings:
            raise TemplateError(f"{type(self).__name__}: no phrasings for task shape {shape!r}")
        return render(self.phrasings[shape], rng, **variables)

    def rows(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.execute(sql, args).fetchall()]

    def one(self, sql: str, *args: Any, missing: str) -> dict[str, Any]:
        """The first row of a query, or ValueError(missing): the message the agent reads when it names
        something that does not exist (say which tool lists the valid ones)."""
        row = self.db.execute(sql, args).fetchone()
        if row is None:
            raise ValueError(missing)
        return dict(row)

    def column(self, sql: str, *args: Any) -> list[Any]:
        """The first column of a query's rows, e.g. every name of a kind for an answer's candidates."""
        return [r[0] for r in self.db.execute(sql, args).fetchall()]

    def value(self, sql: str, *args: Any) -> Any:
        """The first column of the first row of a query (None when there is no row)."""
        row = self.db.execute(sql, args).fetchone()
        return None if row is None else row[0]
