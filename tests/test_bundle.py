"""Stored programs carry their helpers: self-contained source, the same wherever and whenever it is made."""

import re
import subprocess
import sys

import pytest

from synth.bundle import BundleError, bundle_source, check_no_clash
from synth.programs import current_library
from synth.task import Program

RATES = {"basic": 1.0, "pro": 2.5}
TAGS = frozenset({"zeta", "alpha", "mid"})
PATTERN = re.compile(r"\d+")
COUNTS_MEMO = {}


def _price(plan, months):
    return round(RATES[plan] * months, 2)


def _total(plans):
    COUNTS_MEMO[len(plans)] = True
    return sum(_price(p, 12) for p in plans) + len(TAGS) + len(PATTERN.findall("a1b22"))


def solve(tools, params):
    return _total(params["plans"])


def uses_a_project_import_inside(tools, params):
    from synth_verifiers.text import fold

    return fold(params["x"])


def test_a_program_runs_on_its_own_with_its_helpers():
    program = Program.of(solve, plans=["basic", "pro"])
    assert "def _price" in program.source and "def _total" in program.source
    assert "RATES = {'basic': 1.0, 'pro': 2.5}" in program.source
    assert "TAGS = frozenset({'alpha', 'mid', 'zeta'})" in program.source  # sets in a fixed order
    assert "COUNTS_MEMO = {}" in program.source and "import re" in program.source
    out = subprocess.run(
        [sys.executable, "-I", "-S", "-c", program.source + "\nprint(solve(None, {'plans': ['basic', 'pro']}))"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0 and out.stdout.strip() == "47.0", out.stderr


def test_the_same_source_whatever_the_process_has_seen():
    before = bundle_source(_total)
    _total(["basic"])  # fills the memo; the stored source must not change
    bundle_source.cache_clear()
    assert bundle_source(_total) == before
    library_id, library = current_library()
    code = (
        "from synth.programs import current_library; import synth_verifiers.answers as a; "
        "a.check_text({'kind': 'entity', 'value': 'X Y', 'candidates': ['Z W']}, 'X Y'); "
        "current_library.cache_clear(); print(current_library()[0])"
    )
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONHASHSEED": "7"})
    assert other.stdout.strip() == library_id, other.stderr


def test_what_cannot_be_stored_is_an_error_that_says_so():
    with pytest.raises(BundleError, match="import project helpers at module level"):
        Program.of(uses_a_project_import_inside, x="a")
    with pytest.raises(BundleError, match="plain function"):
        bundle_source(print)


def test_a_check_may_not_redefine_the_grading_library():
    _, library = current_library()
    check_no_clash(library, "def check(outcome, params):\n    return True\n")
    with pytest.raises(BundleError, match="'check_answer' is also a name of the grading library"):
        check_no_clash(library, "def check_answer(spec, text, submitted=None):\n    return []\n")
