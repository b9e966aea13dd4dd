"""A solution program runs in an interpreter of its own inside the environment's sandbox: it cannot reach the
database or the verifier's parameters, which live in its parent, the environment server."""

from synth.config import RunConfig
from synth.env.registry import select
from synth.expect import Answer, Effects
from synth.pipeline.plan import plan_envs
from synth.pipeline.tasks import make_task
from synth.pipeline.validate import validate_task
from synth.pipeline.worker import EnvSandboxes
from synth.task import Program

MARKER = "VERIFIER-PARAMS-MARKER-6172"

SNOOP = """
def snoop(tools, params):
    import gc, os, sqlite3, sys
    found = []
    parent = os.getppid()
    for name in ("mem", "environ", "cmdline", "maps"):
        try:
            with open(f"/proc/{parent}/{name}", "rb") as f:
                data = f.read(1 << 20)
            found.append(f"read /proc/parent/{name}: {len(data)} bytes")
            if b"MARKER" in data or b"note 1 " in data:
                found.append("LEAK " + name)
        except OSError as exc:
            found.append(f"blocked {name}: {type(exc).__name__}")
    try:
        fds = os.listdir(f"/proc/{parent}/fd")
        found.append(f"listed parent fds: {fds}")
    except OSError as exc:
        found.append(f"blocked fd: {type(exc).__name__}")
    for fd in range(4, 64):  # 0-2 and 3 (its protocol channel) are its own
        try:
            os.fstat(fd)
            found.append(f"open fd {fd}")
        except OSError:
            pass
    found += ["LEAK connection" for o in gc.get_objects() if isinstance(o, sqlite3.Connection)]
    found.append("modules: " + ",".join(sorted(m for m in sys.modules if m.startswith(("synth", "verifiers")))))
    tools.list_notes(tag="alpha")
    return found
"""


def test_the_solution_sees_neither_the_database_nor_the_verifier(bwrap, fixture_envs):
    [unit] = plan_envs(select(["notes"], [fixture_envs]), 1, 0)
    sandboxes = EnvSandboxes(unit, RunConfig())
    try:
        check = Program(
            source=f"def check_marker(outcome, params):\n    return params['marker'] == {MARKER!r}\n",
            entry="check_marker",
            params={"marker": MARKER},
        )
        task = make_task(
            unit,
            sandboxes.env.info,
            shape="snoop",
            instruction="Report what you can see.",
            difficulty=1,
            solution=Program(source=SNOOP, entry="snoop"),
            answer=Answer.none(),
            effects=Effects(),
            check=check,
            offered=None,
            answer_mode="text",
        )
        result = validate_task(sandboxes.env, task)
    finally:
        sandboxes.close()
    report = result.rollout.messages[-1]["content"]
    assert "list_notes" in str(result.rollout.messages)  # the solution ran and could use its tools
    assert "LEAK" not in report, report
    assert MARKER not in report
    for name in ("mem", "environ", "maps"):
        assert f"blocked {name}" in report, report
    assert "blocked fd" in report and "open fd" not in report, report
    assert "modules: ," in report or report.rstrip().endswith("modules:"), report  # no synth code in its process
