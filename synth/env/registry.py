"""Discovery of environment templates: every folder in envs/, plus folders from SYNTH_ENVS_PATH or options.

A template folder holds `env.py` defining exactly one EnvTemplate subclass. The folder is imported as a package,
so `env.py` may import its sibling modules relatively (`from .tools import BankTools`), and a `policy.md` next
to it is the template's policy when the class sets none. A model-written (synthesized) folder also holds
`manifest.json`; the host reads that and never imports its `env.py` (only sandboxes do).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import traceback
import types
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from synth.env.manifest import DescribedTemplate, read_manifest
from synth.env.template import EnvTemplate, TemplateError
from synth.sandbox.backend import PROJECT_ROOT

ENVS_DIR = PROJECT_ROOT / "envs"
ENV_PATH_VARIABLE = "SYNTH_ENVS_PATH"
MODULE_FILE = "env.py"
POLICY_FILE = "policy.md"


class TemplateLoadError(TemplateError):
    pass


@dataclass(frozen=True)
class TemplateEntry:
    folder: Path
    cls: type[EnvTemplate] | None
    error: str | None = None

    @property
    def name(self) -> str:
        return self.cls.name if self.cls else self.folder.name

    @property
    def synthesized(self) -> bool:
        return bool(getattr(self.cls, "synthesized", False))


def _package_name(folder: Path) -> str:
    return "synth_env_" + "".join(c if c.isalnum() else "_" for c in str(folder.resolve()))


def _package(folder: Path) -> str:
    """Register the template folder as a package (once), so its modules can import each other relatively."""
    name = _package_name(folder)
    if name not in sys.modules:
        package = types.ModuleType(name)
        package.__path__ = [str(folder.resolve())]
        package.__package__ = name
        sys.modules[name] = package
    return name


def load_template_class(folder: Path) -> type[EnvTemplate]:
    """Import `folder/env.py` and return its one EnvTemplate subclass, or raise TemplateLoadError."""
    path = folder / MODULE_FILE
    if not path.is_file():
        raise TemplateLoadError(f"{folder}: a template folder needs an {MODULE_FILE} defining an EnvTemplate subclass")
    name = f"{_package(folder)}.env"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        sys.modules.pop(name, None)
        inside = str(folder.resolve())
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(inside)]
        where = (
            f"{exc.filename}:{exc.lineno}"
            if isinstance(exc, SyntaxError)
            else f"{frames[-1].filename}:{frames[-1].lineno}"
            if frames
            else "?"
        )
        raise TemplateLoadError(
            f"{path}: failed to import ({type(exc).__name__}: {exc}) at {where}; fix the template "
            f"or leave it out with --templates"
        ) from exc
    classes = [
        v
        for v in vars(module).values()
        if isinstance(v, type) and issubclass(v, EnvTemplate) and v is not EnvTemplate and v.__module__ == name
    ]
    if len(classes) != 1:
        raise TemplateLoadError(f"{path}: define exactly one EnvTemplate subclass (found {len(classes)})")
    policy = folder / POLICY_FILE
    if policy.is_file() and not classes[0].policy:
        classes[0].policy = policy.read_text().strip()
    try:
        classes[0].check_definition()
    except TemplateError as exc:
        raise TemplateLoadError(f"{path}: {exc}") from None
    return classes[0]


def template_folders(extra: list[Path] = (), *, installed: bool = True) -> list[Path]:
    """Template folders under envs/ and $SYNTH_ENVS_PATH (unless not `installed`) and the `extra` roots."""
    roots = [ENVS_DIR] + [Path(p) for p in os.environ.get(ENV_PATH_VARIABLE, "").split(os.pathsep) if p]
    roots = (roots if installed else []) + list(extra)
    folders: list[Path] = []
    for root in roots:
        if (root / MODULE_FILE).is_file():
            folders.append(root)
        elif root.is_dir():
            folders += sorted(
                p for p in root.iterdir() if p.is_dir() and (p / MODULE_FILE).is_file() and not p.name.startswith(".")
            )
    return list(dict.fromkeys(f.resolve() for f in folders))


@cache
def _entry(folder: Path) -> TemplateEntry:
    try:
        manifest = read_manifest(folder)
        if manifest is not None:
            return TemplateEntry(folder=folder, cls=DescribedTemplate(manifest))
        return TemplateEntry(folder=folder, cls=load_template_class(folder))
    except Exception as exc:  # a broken template is reported, never fatal to discovery
        return TemplateEntry(folder=folder, cls=None, error=str(exc))


def entries_in(roots: list[Path], *, installed: bool = False) -> list[TemplateEntry]:
    """Every template under `roots` (and the installed ones when `installed`), in that order; names may repeat
    (a run's copy of a template next to the installed one)."""
    return [_entry(f) for f in template_folders(roots, installed=False)] + (
        [_entry(f) for f in template_folders()] if installed else []
    )


def discover(extra: list[Path] = ()) -> list[TemplateEntry]:
    entries = [_entry(f) for f in template_folders(extra)]
    seen: dict[str, Path] = {}
    for e in entries:
        if e.cls and e.name in seen:
            raise TemplateLoadError(f"two templates are named {e.name!r}: {seen[e.name]} and {e.folder}; rename one")
        seen[e.name] = e.folder
    return sorted(entries, key=lambda e: e.name)


def select(names: list[str] | None, extra: list[Path] = ()) -> list[TemplateEntry]:
    """The templates a run uses; any broken or unknown one is an error that says what to do."""
    entries = discover(extra)
    if names:
        by_name = {e.name: e for e in entries}
        unknown = [n for n in names if n not in by_name]
        if unknown:
            raise TemplateLoadError(
                f"unknown template(s) {', '.join(unknown)}; known: {', '.join(by_name) or 'none'}. A template outside "
                f"{ENVS_DIR} is found with --envs-dir FOLDER (or ${ENV_PATH_VARIABLE}=FOLDER), FOLDER being the "
                f"template's folder or the folder that holds it"
            )
        entries = [by_name[n] for n in names]
    broken = [e for e in entries if e.error]
    if broken:
        raise TemplateLoadError("\n".join(e.error for e in broken))
    if not entries:
        raise TemplateLoadError(
            f"no templates found in {ENVS_DIR} or ${ENV_PATH_VARIABLE}; add folders with --envs-dir FOLDER"
        )
    return entries
