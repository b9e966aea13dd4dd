"""State checks for what a declaration of effects cannot say by itself: the tests, run on the final files."""

import ast
import hashlib
import json
import os
import subprocess
import sys
import tempfile


def run_suite(files, targets, runner):
    """{test: passed} of the test files `targets` of a repository given as {path: content}; {} when the run fails.
    Memoized by content: the same files and targets give the same results."""
    memo = run_suite.__dict__.setdefault("memo", {})
    key = hashlib.sha256(json.dumps([files, targets, runner], sort_keys=True).encode()).hexdigest()
    if key not in memo:
        if len(memo) > 512:
            memo.clear()
        with tempfile.TemporaryDirectory() as work:
            for path, content in files.items():
                os.makedirs(os.path.dirname(os.path.join(work, path)), exist_ok=True)
                with open(os.path.join(work, path), "w") as f:
                    f.write(content)
            try:
                proc = subprocess.run(
                    [sys.executable, "-I", "-c", runner, *targets],
                    cwd=work,
                    capture_output=True,
                    text=True,
                    timeout=20,
                    env={"PATH": "/usr/bin:/bin"},
                )
                out = proc.stdout
            except subprocess.TimeoutExpired:
                out = ""
        memo[key] = (
            {r["test"]: r["ok"] for r in json.loads(out.rpartition("@@RESULTS@@")[2])} if "@@RESULTS@@" in out else {}
        )
    return memo[key]


def tests_of(source):
    """Name -> source of each top-level test function of a test file ({} if it does not parse)."""
    try:
        return {
            n.name: ast.unparse(n)
            for n in ast.parse(source).body
            if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")
        }
    except SyntaxError:
        return {}


def check_repo(outcome, params):
    """Run the tests on the final files: the test files in params["must_pass"] pass, no test that passed before
    fails, existing tests are unchanged, the changelog names params["changelog"], and params["feature"] (if any)
    behaves as specified and has a new test of its own. Which files and issues may change is declared."""
    runner = outcome.initial_rows("SELECT value FROM config WHERE key = 'runner'")[0]["value"]
    before = {r["path"]: r["content"] for r in outcome.initial_rows("SELECT * FROM files")}
    after = {r["path"]: r["content"] for r in outcome.rows("SELECT * FROM files")}
    test_files = sorted(p for p in before if p.startswith("tests/test_"))
    reasons = []
    if after == before:
        return False, ["no file was changed"]
    for path in test_files:
        old, new = tests_of(before[path]), tests_of(after.get(path, ""))
        if any(new.get(n) != s for n, s in old.items()):
            reasons.append(f"existing tests in {path} were changed or removed")
    # existing tests are judged on their original text, so an edited test file cannot hide a failure
    judged = {**after, **{p: before[p] for p in test_files}}
    feature = params.get("feature")
    if feature:
        judged = {**judged, feature["test_path"]: after.get(feature["test_path"], "")}
    was, now = run_suite(before, test_files, runner), run_suite(judged, test_files, runner)
    if not now:
        return False, reasons + ["the test suite did not run on the final files"]
    for path in params["must_pass"]:
        bad = [t for t, ok in now.items() if t.startswith(path + "::") and not ok]
        if bad or not any(t.startswith(path + "::") for t in now):
            reasons.append(f"{path} still fails: {bad}")
    broken = [t for t, ok in was.items() if ok and not now.get(t)]
    if broken:
        reasons.append(f"previously passing tests now fail: {broken}")
    log_before, log_after = before.get("CHANGELOG.md", ""), after.get("CHANGELOG.md", "")
    added = log_after[len(log_before) :] if log_after.startswith(log_before) else log_after
    missing = [f for f in params.get("changelog", []) if f not in added]
    if missing:
        reasons.append(f"CHANGELOG.md has no new line for {missing}")
    if feature:
        new_tests = set(tests_of(after.get(feature["test_path"], ""))) - set(tests_of(before[feature["test_path"]]))
        if not any(feature["name"] in tests_of(after[feature["test_path"]])[t] for t in new_tests):
            reasons.append(f"no new test in {feature['test_path']} exercises {feature['name']}")
        if any(not ok for t, ok in now.items() if t.split("::")[1] in new_tests):
            reasons.append("the new test fails")
        checks = "\n".join(f"    assert {feature['name']}(*{args!r}) == {want!r}" for args, want in feature["cases"])
        hidden = {
            **judged,
            "tests/test_zz_hidden.py": f"from {feature['module']} import {feature['name']}\n\n\n"
            f"def test_hidden():\n{checks}\n",
        }
        if not run_suite(hidden, ["tests/test_zz_hidden.py"], runner).get("tests/test_zz_hidden.py::test_hidden"):
            reasons.append(f"{feature['name']} does not behave as specified")
    return not reasons, reasons
