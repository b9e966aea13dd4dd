"""Self-contained program source: a function plus every module-level helper and constant it uses.

`bundle_source(fn)` follows the global names a function refers to (exactly, with `symtable`): helper functions
of ours are copied in (recursively), constants are written as literals (a dict named *_MEMO is a cache, written
empty), standard-library modules and names become imports. What is stored then runs on its own, with the
standard library only, in the sandbox or in a trainer's process.
"""

from __future__ import annotations

import ast
import builtins
import inspect
import math
import re
import symtable
import sys
import textwrap
import types
from functools import lru_cache
from typing import Any, Callable

PROJECT_PACKAGES = ("synth", "synth_verifiers", "verifiers")
FUTURE = "from __future__ import annotations"


class BundleError(ValueError):
    """A function that cannot be stored as self-contained source; the message says what to change."""


def _is_stdlib(module_name: str) -> bool:
    return module_name.split(".")[0] in sys.stdlib_module_names


def _global_names(source: str) -> set[str]:
    """Names the (single) top-level function in `source` reads from module scope, nested scopes included."""
    table = symtable.symtable(source, "<program>", "exec")
    names: set[str] = set()

    def walk(t: symtable.SymbolTable) -> None:
        for sym in t.get_symbols():
            if sym.is_global() and sym.is_referenced():
                names.add(sym.get_name())
        for child in t.get_children():
            walk(child)

    for child in table.get_children():
        walk(child)
    return names


def _is_literal(value: Any) -> bool:
    """Whether `value` can be written as source that evaluates back to it."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, str, bytes)):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, (tuple, list, set, frozenset)):
        return all(_is_literal(v) for v in value)
    if isinstance(value, dict):
        return all(_is_literal(k) and _is_literal(v) for k, v in value.items())
    return False


def _literal(value: Any) -> str:
    """Source for a literal, with sets in sorted order (their repr follows the process's string hashing)."""
    if isinstance(value, (set, frozenset)):
        items = ", ".join(_literal(v) for v in sorted(value, key=repr))
        return (
            (f"frozenset({{{items}}})" if items else "frozenset()")
            if isinstance(value, frozenset)
            else (f"{{{items}}}" if items else "set()")
        )
    if isinstance(value, tuple):
        return (
            "(" + "".join(_literal(v) + ", " for v in value).rstrip(" ") + ")"
            if len(value) == 1
            else ("(" + ", ".join(_literal(v) for v in value) + ")")
        )
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _body_imports(fn: Callable, source: str) -> None:
    for node in ast.walk(ast.parse(source)):
        module = None
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            module = node.module or ""
        elif isinstance(node, ast.Import):
            module = node.names[0].name
        if module is not None and module.split(".")[0] in PROJECT_PACKAGES:
            raise BundleError(
                f"{fn.__qualname__}: imports {module} inside its body; import project helpers at "
                f"module level instead, and they are stored with the program"
            )


class _Bundle:
    def __init__(self) -> None:
        self.imports: set[str] = set()
        self.items: dict[str, tuple[Any, str]] = {}  # name -> (object, source)

    def add(self, name: str, obj: Any, source: str) -> None:
        if name in self.items and self.items[name][0] is not obj and self.items[name][1] != source:
            raise BundleError(f"two different objects are both called {name!r}; rename one of them")
        self.items[name] = (obj, source)

    def function(self, fn: Callable) -> None:
        if fn.__name__ in self.items:
            if self.items[fn.__name__][0] is not fn:
                raise BundleError(
                    f"two different functions are both called {fn.__name__!r} "
                    f"({fn.__module__} and {getattr(self.items[fn.__name__][0], '__module__', '?')}); "
                    f"rename one of them"
                )
            return
        try:
            source = textwrap.dedent(inspect.getsource(fn))
        except (OSError, TypeError) as exc:
            raise BundleError(f"{fn.__qualname__}: its source cannot be read ({exc})") from None
        if source.lstrip().startswith("@"):
            raise BundleError(f"{fn.__qualname__}: programs must be plain functions without decorators")
        if fn.__name__ == "<lambda>" or "." in fn.__qualname__.replace("<locals>.", "."):
            raise BundleError(f"{fn.__qualname__}: programs and their helpers must be module-level functions")
        _body_imports(fn, source)
        self.add(fn.__name__, fn, source)
        for name in sorted(_global_names(source)):
            self.reference(fn, name)

    def reference(self, fn: Callable, name: str) -> None:
        scope = fn.__globals__
        if name not in scope:
            if hasattr(builtins, name):
                return
            raise BundleError(f"{fn.__qualname__} uses {name!r}, which its module does not define")
        value = scope[name]
        if isinstance(value, types.ModuleType):
            if not _is_stdlib(value.__name__):
                raise BundleError(
                    f"{fn.__qualname__} uses the module {value.__name__}; programs may use the standard library only"
                )
            line = f"import {value.__name__}" + (f" as {name}" if value.__name__ != name else "")
            self.imports.add(line)
        elif isinstance(value, (types.FunctionType, types.BuiltinFunctionType, type)) and _is_stdlib(
            value.__module__ or ""
        ):
            line = f"from {value.__module__} import {value.__name__}"
            self.imports.add(line + (f" as {name}" if value.__name__ != name else ""))
        elif isinstance(value, types.FunctionType):
            if value.__name__ != name:
                raise BundleError(
                    f"{fn.__qualname__} uses {value.__name__} under the name {name!r}; import it under its own name"
                )
            self.function(value)
        elif name.endswith("_MEMO") and isinstance(value, dict):  # a cache: stored empty, whatever it holds now
            self.add(name, value, f"{name} = {{}}\n")
        elif _is_literal(value):
            self.add(name, value, f"{name} = {_literal(value)}\n")
        elif isinstance(value, re.Pattern):
            self.imports.add("import re")
            flags = value.flags & ~re.UNICODE
            self.add(name, value, f"{name} = re.compile({value.pattern!r}{f', {flags}' if flags else ''})\n")
        else:
            raise BundleError(
                f"{fn.__qualname__} uses {name!r} ({type(value).__name__}), which cannot be stored "
                f"with the program; use functions, literal constants and the standard library"
            )

    def source(self) -> str:
        constants = sorted(n for n, (obj, _) in self.items.items() if not isinstance(obj, types.FunctionType))
        functions = sorted(n for n, (obj, _) in self.items.items() if isinstance(obj, types.FunctionType))
        parts = [FUTURE, "\n".join(sorted(self.imports))] if self.imports else [FUTURE]
        parts += ["".join(self.items[n][1] for n in constants)] if constants else []
        parts += [self.items[n][1].rstrip("\n") for n in functions]
        return "\n\n\n".join(p.rstrip("\n") for p in parts if p) + "\n"


@lru_cache(maxsize=4096)
def bundle_source(*functions: Callable) -> str:
    """One self-contained module defining `functions` and everything they use (deterministic order; computed
    once per set of functions: the code does not change while a process runs)."""
    bundle = _Bundle()
    for fn in functions:
        if not isinstance(fn, types.FunctionType):
            raise BundleError(f"{fn!r} is not a plain function")
        bundle.function(fn)
    return bundle.source()


@lru_cache(maxsize=64)
def _top_level(source: str) -> tuple[tuple[str, str], ...]:
    """(key, text) of each top-level statement: imports by their text, definitions by their name."""
    tree = ast.parse(source)
    out = []
    for node in tree.body:
        text = ast.get_source_segment(source, node, padded=False) or ast.unparse(node)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            out.append(("import:" + text, text))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.append(("def:" + node.name, text))
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            out.append(("def:" + node.targets[0].id, text))
        else:
            out.append(("stmt:" + text, text))
    return tuple(out)


@lru_cache(maxsize=8)
def _definitions(source: str) -> dict[str, str]:
    return {k: t for k, t in _top_level(source) if k.startswith("def:")}


def check_no_clash(library: str, source: str) -> None:
    """A program that runs on top of a library must not redefine the library's names with other code."""
    ours = _definitions(library)
    for key, text in _top_level(source):
        if key in ours and ours[key] != text:
            raise BundleError(f"{key[4:]!r} is also a name of the grading library, with other code; rename it")
