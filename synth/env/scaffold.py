"""`synth envs new NAME`: a working template to start from (it passes `synth envs check` unedited)."""

from __future__ import annotations

import re
from pathlib import Path

from synth.env.registry import ENVS_DIR
from synth.prompts import render_prompt

NAME = re.compile(r"^[a-z][a-z0-9_]{1,40}$")


def scaffold(name: str, root: Path = ENVS_DIR, category: str | None = None) -> Path:
    if not NAME.match(name):
        raise ValueError(
            f"template name {name!r}: use 2-41 lowercase letters, digits and underscores, starting with a letter"
        )
    folder = root / name
    if folder.exists():
        raise FileExistsError(f"{folder} already exists; choose another name or remove it")
    variables = dict(
        name=name,
        class_name="".join(p.title() for p in name.split("_")) + "Env",
        title=name.replace("_", " ").title(),
        category=category or name.replace("_", " "),
        folder=str(folder),
    )
    folder.mkdir(parents=True)
    (folder / "env.py").write_text(render_prompt("scaffold/env.py", **variables) + "\n")
    (folder / f"test_{name}.py").write_text(render_prompt("scaffold/test_env.py", **variables) + "\n")
    return folder
