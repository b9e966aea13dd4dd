"""The in-sandbox checker of a model-written template. Everything here runs inside the sandbox: the
candidate module is imported, built and called only in this process, never on the host.

`rpc_check` answers a report: `ok`, or the first failing check as `reason` plus a `detail` for the model.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import traceback
from pathlib import Path
from typing import Any

from synth.env.template import AGENT_CATEGORIES, EnvTemplate, TemplateError
from synth.env.tool import ToolArgumentError

NAME = re.compile(r"^[a-z][a-z0-9_]{2,40}$")


class CheckFailed(Exception):
    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason, self.detail = reason, detail


def _trace(exc: BaseException, path: str) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == path]
    where = f" at line {frames[-1].lineno}: {frames[-1].line}" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"


def _import(folder: Path) -> type[EnvTemplate]:
    path = folder / "env.py"
    name = "synth_candidate_env"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException as exc:  # SystemExit too: the module must not end the checker
        raise CheckFailed("import_error", f"importing env.py failed: {_trace(exc, str(path))}") from None
    classes = [
        v
        for v in vars(module).values()
        if isinstance(v, type) and issubclass(v, EnvTemplate) and v is not EnvTemplate and v.__module__ == name
    ]
    if len(classes) != 1:
        raise CheckFailed("definition_error", f"define exactly one EnvTemplate subclass (found {len(classes)})")
    cls = classes[0]
    if not getattr(cls, "synthesized", False):
        raise CheckFailed("definition_error", "set the class attribute `synthesized = True`")
    try:
        cls.check_definition()
    except TemplateError as exc:
        raise CheckFailed("definition_error", str(exc)) from None
    if not NAME.match(cls.name):
        raise CheckFailed("definition_error", f"name {cls.name!r} must match {NAME.pattern} (it names the folder)")
    if cls.agent_category not in AGENT_CATEGORIES:
        raise CheckFailed("definition_error", f"agent_category must be one of {AGENT_CATEGORIES}")
    return cls


def _stats(env: EnvTemplate) -> dict[str, int]:
    tables = [
        r[0] for r in env.db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    ]
    rows = sum(env.db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables)
    fks = sum(len(env.db.execute(f'PRAGMA foreign_key_list("{t}")').fetchall()) for t in tables)
    return {"tables": len(tables), "rows": rows, "foreign_keys": fks}


def _db_values(env: EnvTemplate, cap: int = 200_000) -> set[str]:
    values: set[str] = set()
    for (table,) in env.db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"):
        for row in env.db.execute(f'SELECT * FROM "{table}"'):
            values.update(str(v) for v in row if v is not None and not isinstance(v, bytes))
            if len(values) > cap:
                return values
    return values


def _leaves(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [x for v in value.values() for x in _leaves(v)]
    if isinstance(value, (list, tuple)):
        return [x for v in value for x in _leaves(v)]
    if value is None or isinstance(value, bool):
        return []
    return [str(value)]


class SynthesisChecker:
    def rpc_check(
        self,
        folder: str,
        seed: int,
        min_tables: int,
        min_rows: int,
        min_foreign_keys: int,
        samples: dict[str, dict[str, Any]],
    ) -> dict:
        report: dict[str, Any] = {"ok": False, "reason": None, "detail": ""}
        try:
            report.update(self._check(Path(folder), seed, min_tables, min_rows, min_foreign_keys, samples))
            report["ok"] = True
        except CheckFailed as exc:
            report.update(reason=exc.reason, detail=exc.detail)
        return report

    def _check(
        self, folder: Path, seed: int, min_tables: int, min_rows: int, min_fks: int, samples: dict[str, dict[str, Any]]
    ) -> dict:
        cls = _import(folder)
        path = str(folder / "env.py")
        try:
            first, second = cls(seed), cls(seed)
        except Exception as exc:
            raise CheckFailed("build_error", f"build(rng) failed: {_trace(exc, path)}") from None
        if first.db_hash() != second.db_hash():
            raise CheckFailed(
                "nondeterministic",
                "two builds with the same seed gave different databases: "
                "use only `rng` (no time, no global random, no set order)",
            )
        stats = _stats(first)
        if stats["tables"] < min_tables or stats["rows"] < min_rows or stats["foreign_keys"] < min_fks:
            raise CheckFailed(
                "too_small",
                f"the database has {stats['tables']} tables, {stats['rows']} rows and "
                f"{stats['foreign_keys']} foreign keys; it needs at least {min_tables}, "
                f"{min_rows} and {min_fks} (declare REFERENCES in CREATE TABLE)",
            )
        tools = cls.tools()
        unknown = sorted(set(samples) - set(tools))
        if unknown:
            raise CheckFailed("bad_samples", f"samples name unknown tools {unknown}; tools: {sorted(tools)}")
        kinds = {spec.kind for spec in tools.values()}
        if kinds != {"read", "write"}:
            raise CheckFailed("tool_kinds", "an environment needs both read tools and write tools")
        values = _db_values(first)
        for name, spec in tools.items():
            self._call(first, name, spec, samples.get(name), values, path)
        return {
            "name": cls.name,
            "version": cls.version,
            "category": cls.category,
            "agent_category": cls.agent_category,
            "description": cls.description,
            "policy": cls.policy,
            "tools": [s.schema for s in tools.values()],
            "tool_kinds": {n: s.kind for n, s in tools.items()},
            "db": stats,
            "db_hash": first.db_hash(),
        }

    def _call(self, env: EnvTemplate, name: str, spec, sample: dict | None, values: set[str], path: str) -> None:
        required = spec.schema["function"]["parameters"].get("required", [])
        if sample is None and required:
            raise CheckFailed(
                "bad_samples", f'give sample arguments for tool {name!r} in "samples" (it requires {required})'
            )
        env.reset()
        try:
            arguments = {k: self._resolve(env, v) for k, v in (sample or {}).items()}
        except Exception as exc:
            raise CheckFailed("bad_samples", f"sample arguments for {name!r}: {type(exc).__name__}: {exc}") from None
        before = env.snapshot()
        try:
            result = spec.function(env, **spec.validate(arguments))
            json.dumps(result, default=str)
            env.db.commit()
        except ToolArgumentError as exc:
            raise CheckFailed("bad_samples", f"{name}({json.dumps(arguments)}): {exc}") from None
        except Exception as exc:
            raise CheckFailed(
                "tool_error", f"{name}({json.dumps(arguments, default=str)}) raised {_trace(exc, path)}"
            ) from None
        changed = list(before.iterdump()) != list(env.db.iterdump())
        before.close()
        if spec.kind == "read":
            if changed:
                raise CheckFailed("read_tool_writes", f"read tool {name!r} changed the database; mark it write")
            leaves = _leaves(result)
            if not leaves:
                raise CheckFailed(
                    "read_tool_empty",
                    f"{name}({json.dumps(arguments, default=str)}) returned "
                    f"{json.dumps(result, default=str)[:200]}: nothing from the database",
                )
            if not any(v in values for v in leaves):
                raise CheckFailed(
                    "read_tool_not_in_db", f"{name} returned values found nowhere in the database: {leaves[:5]}"
                )
        elif not changed:
            raise CheckFailed(
                "write_tool_no_change",
                f"write tool {name!r} left the database unchanged when called "
                f"with {json.dumps(arguments, default=str)}",
            )
        env.reset()

    @staticmethod
    def _resolve(env: EnvTemplate, value: Any) -> Any:
        if isinstance(value, dict) and set(value) == {"sql"}:
            row = env.db.execute(value["sql"]).fetchone()
            if row is None:
                raise ValueError(f"{value['sql']!r} found no row")
            return row[0]
        return value
