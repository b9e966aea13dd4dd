"""Figures for LLM environment synthesis against the scripted server (a test double, not a model):
model calls and tokens per template, and the validation pass rate by outcome.

    python bench/synthesize.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from model_helpers import TEST_KEY, TEST_KEY_ENV, endpoint  # noqa: E402
from scripted_server import Reply, ScriptedServer  # noqa: E402
from synth_replies import (
    COUNT_TASK,
    crashing_tools_env,
    good_env,
    hostile_env,
    is_synthesis,  # noqa: E402
    syntax_error_env,
)

from synth.synthesize.batch import report_lines, synthesize_many  # noqa: E402
from synth.synthesize.synthesize import SynthesisOptions  # noqa: E402

CASES = [  # category -> the scripted replies for it (first try, then the repair)
    ("running a book club", [good_env("book_club", "running a book club")]),
    (
        "lending tools at a maker space",
        [
            syntax_error_env("tool_library", "lending tools at a maker space"),
            good_env("tool_library", "lending tools at a maker space"),
        ],
    ),
    ("renting kayaks at a lake", [crashing_tools_env("kayaks", "renting kayaks at a lake")] * 2),
    ("hosting a hostile import", [hostile_env(9, "/etc/shadow", "hostile")] * 2),
]


def main() -> None:
    os.environ[TEST_KEY_ENV] = TEST_KEY
    replies = {c: iter(r) for c, r in CASES}

    def answer(body, n):
        if not is_synthesis(body):
            return Reply(content=COUNT_TASK)
        first_user = next(m["content"] for m in body["messages"] if m["role"] == "user")
        category = next(c for c in replies if c in first_user)
        return Reply(content=next(replies[category]))

    with tempfile.TemporaryDirectory() as tmp, ScriptedServer(handler=answer) as server:
        report = synthesize_many(
            [c for c, _ in CASES],
            len(CASES),
            endpoint(server),
            Path(tmp),
            SynthesisOptions(repair_rounds=1, task_repair_rounds=0),
            workers=1,
        )
    print("\n".join(report_lines(report)))


if __name__ == "__main__":
    main()
