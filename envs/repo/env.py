"""A small generated Python repository with planted bugs, its tests, issues and history."""

from __future__ import annotations

import ast
import datetime as dt
import difflib
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool

# Each function template: module, candidate names, signature, body (with {CONSTANTS}), what it does, how it can break
# and how to draw test inputs.
FUNCTIONS = [
    dict(module="pricing", names=["apply_discount", "discounted_price", "price_after_discount"], args="price, pct",
         body="return round(price * (1 - pct / 100), 2)", phrase="takes a percentage discount off a price",
         bugs=[("(1 - pct / 100)", "(1 + pct / 100)"), ("pct / 100", "pct / 10")],
         cases=lambda r, c: [(float(r.randint(10, 500)), r.choice([5, 10, 15, 20, 25])) for _ in range(4)]),
    dict(module="pricing", names=["add_tax", "with_tax", "gross_amount"], args="amount",
         body="return round(amount * (1 + {RATE}), 2)", consts={"RATE": [0.05, 0.07, 0.08, 0.2]},
         phrase="adds sales tax to a net amount",
         bugs=[("(1 + {RATE})", "(1 - {RATE})"), ("round(amount * (1 + {RATE}), 2)", "round(amount + {RATE}, 2)")],
         cases=lambda r, c: [(float(r.randint(5, 900)),) for _ in range(4)]),
    dict(module="pricing", names=["late_fee", "overdue_charge", "penalty_for"], args="days_late",
         body="return min({CAP}, max(0, days_late) * {PER_DAY})", consts={"CAP": [20, 25, 30], "PER_DAY": [2, 3]},
         phrase="computes the capped fee for a late payment",
         bugs=[("min({CAP}, ", "max({CAP}, "), ("max(0, days_late)", "days_late")],
         cases=lambda r, c: [(-2,), (r.randint(1, 5),), (r.randint(6, 8),), (40,)]),
    dict(module="pricing", names=["cents_to_text", "format_cents", "cents_label"], args="cents",
         body="return f\"{cents // 100}.{cents % 100:02d}\"", phrase="formats an amount of cents as a decimal string",
         bugs=[(":02d}", ":d}"), ("cents // 100", "cents // 10")],
         cases=lambda r, c: [(r.randint(101, 109),), (r.randint(1000, 99999),), (r.randint(0, 9),), (1250,)]),
    dict(module="dates", names=["days_between", "day_span", "elapsed_days"], args="start, end",
         body="return (date.fromisoformat(end) - date.fromisoformat(start)).days",
         phrase="counts the days from one ISO date to another",
         bugs=[("(date.fromisoformat(end) - date.fromisoformat(start))",
                "(date.fromisoformat(start) - date.fromisoformat(end))"), (").days", ").days + 1")],
         cases=lambda r, c: [(f"2026-0{r.randint(1, 4)}-1{r.randint(0, 9)}", f"2026-0{r.randint(5, 9)}-2{r.randint(0, 8)}")
                          for _ in range(4)]),
    dict(module="dates", names=["is_weekend", "falls_on_weekend", "weekend_day"], args="iso",
         body="return date.fromisoformat(iso).weekday() >= 5", phrase="tells whether an ISO date is a Saturday or Sunday",
         bugs=[(">= 5", "> 5"), (">= 5", ">= 4")],
         cases=lambda r, c: [("2026-03-07",), ("2026-03-08",), ("2026-03-06",), (f"2026-04-1{r.randint(0, 9)}",)]),
    dict(module="dates", names=["add_business_days", "shift_workdays", "workdays_after"], args="iso, n",
         body=("day = date.fromisoformat(iso)\n    while n > 0:\n        day += timedelta(days=1)\n"
               "        if day.weekday() < 5:\n            n -= 1\n    return day.isoformat()"),
         phrase="moves a date forward by a number of working days",
         bugs=[("if day.weekday() < 5:", "if day.weekday() < 6:"), ("while n > 0:", "while n > 1:")],
         cases=lambda r, c: [(f"2026-05-0{r.randint(1, 9)}", r.randint(1, 9)) for _ in range(3)] + [("2026-05-08", 1)]),
    dict(module="text", names=["parse_pairs", "parse_settings", "read_key_values"], args="text",
         body=("out = {}\n    for part in text.split(\"{SEP}\"):\n        if \"=\" in part:\n"
               "            key, value = part.split(\"=\", 1)\n            out[key.strip()] = value.strip()\n    return out"),
         consts={"SEP": [";", ",", "|"]}, phrase="parses key=value pairs from a string into a dict",
         bugs=[("out[key.strip()] = value.strip()", "out[key] = value.strip()"),
               ("part.split(\"=\", 1)", "part.split(\"=\")[:2]")],
         cases=lambda r, c: [(f"a=1{c['SEP']} b = 2",), (f"mode=fast{c['SEP']}x=y=z",), ("k = v",),
                             (f"flag{c['SEP']}n=3",)]),
    dict(module="text", names=["slugify", "make_slug", "url_slug"], args="title",
         body="return \"{DASH}\".join(title.lower().split())", consts={"DASH": ["-", "_"]},
         phrase="turns a title into a lower-case slug",
         bugs=[("title.lower().split()", "title.split()"), ("title.lower().split()", "title.lower().split(\" \")")],
         cases=lambda r, c: [("Hello World",), ("  Quarterly   Report 2026 ",), ("mixed Case Title",), ("one",)]),
    dict(module="text", names=["truncate", "shorten", "clip_text"], args="text, width",
         body="return text if len(text) <= width else text[: width - 1] + \"…\"",
         phrase="cuts a text to a maximum width with an ellipsis",
         bugs=[("len(text) <= width", "len(text) < width"), ("text[: width - 1]", "text[:width]")],
         cases=lambda r, c: [("abcdef", 6), ("a long sentence here", r.randint(5, 12)), ("short", 10), ("exact", 5)]),
    dict(module="inventory", names=["needs_restock", "below_reorder_point", "should_reorder"], args="stock",
         body="return stock <= {POINT}", consts={"POINT": [5, 8, 10, 12]},
         phrase="decides whether a stock level is at or below the reorder point",
         bugs=[("stock <= {POINT}", "stock < {POINT}"), ("stock <= {POINT}", "stock >= {POINT}")],
         cases=lambda r, c: [(c["POINT"],), (0,), (40,), (c["POINT"] + 1,)]),
    dict(module="inventory", names=["order_quantity", "units_to_order", "reorder_amount"], args="stock, target",
         body="need = max(0, target - stock)\n    return -(-need // {PACK}) * {PACK}", consts={"PACK": [6, 10, 12]},
         phrase="rounds the shortfall up to whole packs",
         bugs=[("-(-need // {PACK}) * {PACK}", "need // {PACK} * {PACK}"), ("max(0, target - stock)", "target - stock")],
         cases=lambda r, c: [(r.randint(0, 9), r.randint(20, 50)), (30, 10), (0, c["PACK"] * 2), (r.randint(1, 5), 17)]),
    dict(module="inventory", names=["clamp_level", "bounded", "keep_in_range"], args="value, low, high",
         body="return max(low, min(high, value))", phrase="keeps a value within a lower and upper bound",
         bugs=[("max(low, min(high, value))", "min(low, max(high, value))"), ("min(high, value)", "min(low, value)")],
         cases=lambda r, c: [(r.randint(-20, -1), 0, 10), (r.randint(11, 40), 0, 10), (5, 0, 10), (3, 3, 9)]),
    dict(module="stats", names=["median", "middle_value", "midpoint_of"], args="values",
         body=("xs = sorted(values)\n    mid = len(xs) // 2\n    return xs[mid] if len(xs) % 2 else (xs[mid - 1] + xs[mid]) / 2"),
         phrase="finds the median of a list of numbers",
         bugs=[("xs = sorted(values)", "xs = list(values)"), ("(xs[mid - 1] + xs[mid]) / 2", "xs[mid]")],
         cases=lambda r, c: [(r.sample(range(1, 99), 5),), (r.sample(range(1, 99), 4),), ([7, 1, 3],), ([2, 8],)]),
    dict(module="stats", names=["moving_average", "rolling_mean", "window_means"], args="values, k",
         body="return [round(sum(values[i:i + k]) / k, 2) for i in range(len(values) - k + 1)]",
         phrase="computes the averages of every window of k consecutive values",
         bugs=[("range(len(values) - k + 1)", "range(len(values) - k)"), ("/ k", "/ (k + 1)")],
         cases=lambda r, c: [([r.randint(1, 30) for _ in range(6)], 3), ([4, 8, 15, 16], 2), ([5, 5], 2), ([1, 2, 3], 1)]),
    dict(module="stats", names=["percent_change", "relative_change", "growth_pct"], args="old, new",
         body="return round((new - old) / old * 100, 1)", phrase="gives the percentage change from an old to a new value",
         bugs=[("(new - old) / old", "(new - old) / new"), ("(new - old)", "(old - new)")],
         cases=lambda r, c: [(float(r.randint(50, 200)), float(r.randint(50, 300))) for _ in range(3)] + [(80.0, 100.0)]),
]
IMPORTS = {"dates": "from datetime import date, timedelta\n\n\n"}
FEATURES = {
    "pricing": (("sum_in_cents", "total_cents", "cents_total"), "amounts", "return the total of a list of money amounts as a whole number of cents "
                "(round the sum times 100 to the nearest integer)", "return round(sum(amounts) * 100)",
                [([1.25, 2.5],), ([],), ([0.1, 0.2, 0.3],), ([19.99],)]),
    "dates": (("quarter_of", "date_quarter", "fiscal_quarter"), "iso", "return the calendar quarter (1-4) of an ISO date string",
              "return (int(iso[5:7]) - 1) // 3 + 1", [("2026-01-15",), ("2026-06-30",), ("2026-07-01",), ("2026-12-31",)]),
    "text": (("initials", "name_initials", "monogram"), "name", "return the upper-case first letters of the words of a name, joined without spaces",
             "return \"\".join(w[0].upper() for w in name.split())", [("ada lovelace",), ("Jo",), ("  a  b c ",), ("",)]),
    "inventory": (("low_stock", "short_items", "items_below"), "levels, threshold", "return the sorted names from a dict of name -> units whose units "
                  "are below threshold", "return sorted(k for k, v in levels.items() if v < threshold)",
                  [({"bolt": 3, "nut": 9}, 5), ({}, 1), ({"a": 5, "b": 4}, 5), ({"x": 0}, 0)]),
    "stats": (("value_range", "spread", "span_of"), "values", "return the difference between the largest and smallest of a list of numbers "
              "(0 for an empty list)", "return max(values) - min(values) if values else 0",
              [([3, 9, 1],), ([],), ([5],), ([-2, 4],)]),
}
PACKAGES = ["ledgerkit", "tallyhub", "stockwise", "quillutils", "harborlib", "plumtools", "copperbox", "wrenkit"]
AUTHORS = ["Ines Varga", "Tomas Reyes", "Mei Holm", "Odile Brandt", "Rafael Sousa", "Kiri Tane", "Noor Basri"]
COMMIT_VERBS = ["Refactor", "Tidy", "Document", "Speed up", "Simplify", "Add checks to", "Rename helpers in"]

RUNNER = r'''
import importlib, json, os, sys
sys.path.insert(0, os.getcwd())
results = []
for path in sys.argv[1:]:
    try:
        mod = importlib.import_module(path[:-3].replace("/", "."))
    except BaseException as e:
        results.append({"test": path, "ok": False, "error": f"import failed: {type(e).__name__}: {e}"[:300]})
        continue
    for name in sorted(vars(mod)):
        if name.startswith("test_") and callable(getattr(mod, name)):
            try:
                getattr(mod, name)()
                results.append({"test": f"{path}::{name}", "ok": True})
            except BaseException as e:
                results.append({"test": f"{path}::{name}", "ok": False, "error": f"{type(e).__name__}: {e}"[:300]})
print("@@RESULTS@@" + json.dumps(results))
'''


def _limit_child() -> None:
    import resource

    os.setsid()
    resource.setrlimit(resource.RLIMIT_CPU, (10, 11))
    resource.setrlimit(resource.RLIMIT_AS, (512 << 20, 512 << 20))
    resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))


_TEST_RUNS: dict[str, dict] = {}  # results by content: a test run depends only on the files and targets


def run_test_files(files: dict[str, str], targets: list[str], timeout_s: float = 10.0) -> dict:
    """Run the test files `targets` of a repository given as {path: content} in a fresh interpreter."""
    key = hashlib.sha256(json.dumps([files, targets, timeout_s], sort_keys=True).encode()).hexdigest()
    if key not in _TEST_RUNS:
        if len(_TEST_RUNS) > 512:
            _TEST_RUNS.clear()
        _TEST_RUNS[key] = _run_test_files(files, targets, timeout_s)
    return _TEST_RUNS[key]


def _run_test_files(files: dict[str, str], targets: list[str], timeout_s: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="repo-") as work:
        for path, content in files.items():
            full = os.path.join(work, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w") as f:
                f.write(content)
        out_path = os.path.join(work, ".output")
        with open(out_path, "wb") as out:
            try:
                proc = subprocess.run([sys.executable, "-I", "-c", RUNNER, *targets], cwd=work, stdout=out,
                                      stderr=subprocess.STDOUT, timeout=timeout_s, env={"PATH": "/usr/bin:/bin"},
                                      preexec_fn=_limit_child)
                code = proc.returncode
            except subprocess.TimeoutExpired:
                return {"error": f"the tests did not finish within {timeout_s} s", "results": []}
        with open(out_path, "rb") as f:
            text = f.read(200_000).decode("utf-8", "replace")
    if "@@RESULTS@@" not in text:
        return {"error": f"the test run crashed (exit {code}): {text[-2000:]}", "results": []}
    before, _, data = text.rpartition("@@RESULTS@@")
    return {"results": json.loads(data), "output": before[-2000:]}


def test_functions(source: str) -> dict[str, str]:
    """Name -> source of each top-level test_ function in a test file ({} if it does not parse)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    return {n.name: ast.unparse(n) for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")}


class RepoEnv(EnvTemplate):
    name = "repo"
    version = "1.1.0"
    category = "software maintenance"
    agent_category = "code"
    description = ("A small Python utility repository with its tests, issue tracker and commit history. Read and "
                   "search the code, run the tests, edit files and close issues.")
    policy = ("Never change or delete existing tests; new test functions may be added only when a task asks for "
              "them. Fix bugs in the library code, touching only the modules that need it. Close an issue only "
              "once every test of the module it names passes, with a comment saying what was fixed.")
    variants = VariantSpace(
        optional_tools=("search_code", "git_log", "git_diff"),
        renames={"run_tests": ("run_test_suite",), "read_file": ("open_file", "cat_file"),
                 "replace_in_file": ("edit_file",)},
        rules={"changelog": "Record every fix or feature with a line in CHANGELOG.md that names the function changed.",
               "no_new_files": "Do not create new files; edit existing ones only."},
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "find_function": [
            "Which function in {{pkg}}/{{module}}.py {{phrase}}?",
            "I need the helper that {{phrase}}. It lives in the {{module}} module; what is it called?",
        ],
        "last_author": [
            "Who made the most recent commit that touched {{path}}?",
            "Looking at the history, who last changed {{path}}?",
        ],
        "commit_count": [
            "How many commits by {{author}} touched {{path}}?",
            "Count the commits authored by {{author}} that changed {{path}}.",
        ],
        "monthly_commits": [
            "How many commits did {{author}} make in {{month}}?",
            "Count {{author}}'s commits dated in {{month}} (YYYY-MM).",
            "In {{month}}, how many commits were authored by {{author}}?",
        ],
        "fix_function": [
            "{{function}} in {{pkg}}/{{module}}.py is misbehaving. Fix it so that its tests pass, breaking nothing.",
            "Repair {{function}} ({{pkg}}/{{module}}.py): its tests must pass afterwards and every other test that "
            "passes now must keep passing.",
            "Our {{function}} helper has a bug. Correct the library code (not the tests) so tests/test_{{module}}.py "
            "passes.",
        ],
        "failing_tests": [
            "Which tests in tests/test_{{module}}.py currently fail? List their names.",
            "Run the {{module}} tests and tell me which test functions fail.",
        ],
        "broken_function": [
            "Some tests in tests/test_{{module}}.py fail. Which function of {{pkg}}/{{module}}.py is broken?",
            "The {{module}} test file has failures. Name the library function responsible.",
        ],
        "fix_module": [
            "The failing tests in tests/test_{{module}}.py should pass, without breaking any other test.",
            "Fix the bug behind the failing tests in tests/test_{{module}}.py. Do not touch the tests, and keep "
            "every test that passes now passing.",
            "tests/test_{{module}}.py is red. Find the fault in the library code and fix it so that file passes and "
            "the rest of the suite stays as green as it is now.",
        ],
        "fix_issue": [
            "Fix the bug reported in issue #{{issue}} and close the issue with a comment.",
            "Please resolve issue #{{issue}}: fix the code so the tests pass, then close it with a short comment.",
            "Issue #{{issue}} needs a fix. Change the library code (tests stay as they are), check the tests, and "
            "close the issue with a note on the fix.",
        ],
        "fix_two": [
            "Issues #{{a}} and #{{b}} are both real bugs. Fix both (all tests of the modules they name must pass and "
            "no passing test may break), then close both issues with a comment.",
            "Resolve issues #{{a}} and #{{b}}: make the code changes so the tests of both affected modules pass "
            "without breaking others, and close each issue with a comment.",
            "Two open bugs, #{{a}} and #{{b}}. Fix the code behind each so the tests of the modules they name pass "
            "and nothing that passes now breaks; then close both, each with a comment.",
        ],
        "fix_all_feature": [
            "Get the whole test suite green, then add a function {{feature}}({{args}}) to {{pkg}}/{{module}}.py "
            "that should {{spec}}, together with a new test function for it in tests/test_{{module}}.py. Close "
            "every open bug issue you fixed.",
            "Two jobs: fix every failing test in the repository (closing the open bug issues as you fix them), and "
            "add {{feature}}({{args}}) to {{pkg}}/{{module}}.py, which should {{spec}}; cover it with a new test "
            "in tests/test_{{module}}.py.",
        ],
    }

    # ---- database ---------------------------------------------------------------------------------

    def build(self, rng: random.Random) -> None:
        self.db.executescript("""
            CREATE TABLE files (path TEXT PRIMARY KEY, content TEXT);
            CREATE TABLE functions (id INTEGER PRIMARY KEY, module TEXT, name TEXT, template INTEGER, bug TEXT,
                failing TEXT);
            CREATE TABLE issues (id INTEGER PRIMARY KEY, title TEXT, body TEXT, module TEXT, status TEXT,
                comment TEXT);
            CREATE TABLE commits (id INTEGER PRIMARY KEY, sha TEXT UNIQUE, author TEXT, date TEXT, message TEXT);
            CREATE TABLE commit_files (id INTEGER PRIMARY KEY, commit_id INTEGER REFERENCES commits(id), path TEXT);
            CREATE TABLE config (key TEXT PRIMARY KEY, value TEXT);
        """)
        pkg = rng.choice(PACKAGES)
        modules = sorted({f["module"] for f in FUNCTIONS})
        modules = sorted(rng.sample(modules, {"small": 3, "medium": 4, "large": 5}[self.variant.scale]))
        buggy = set(rng.sample(modules, min(3, len(modules))))
        self.db.execute("INSERT INTO config VALUES ('package', ?), ('runner', ?)", (pkg, RUNNER))
        files = {f"{pkg}/__init__.py": f'"""{pkg}: small utilities."""\n', "tests/__init__.py": "",
                 "CHANGELOG.md": "# Changelog\n\n- Initial release.\n",
                 "README.md": f"# {pkg}\n\nUtility helpers: {', '.join(modules)}.\nRun the tests with run_tests.\n"}
        for module in modules:
            files.update(self._module(rng, pkg, module, module in buggy))
        self.db.executemany("INSERT INTO files VALUES (?, ?)", sorted(files.items()))
        self._history(rng, sorted(files))

    def _module(self, rng: random.Random, pkg: str, module: str, buggy: bool) -> dict[str, str]:
        templates = [(i, f) for i, f in enumerate(FUNCTIONS) if f["module"] == module]
        bug_at = rng.randrange(len(templates)) if buggy else -1
        src, tests, names = [f'"""{module.title()} helpers."""\n\n' + IMPORTS.get(module, "")], [], []
        for k, (index, t) in enumerate(templates):
            consts = {c: rng.choice(v) for c, v in t.get("consts", {}).items()}
            fill = lambda s: re.sub(r"\{([A-Z_]+)\}", lambda m: str(consts[m.group(1)]), s)  # noqa: E731
            name = rng.choice(t["names"])
            good = f"def {name}({t['args']}):\n    \"\"\"{t['phrase'][0].upper() + t['phrase'][1:]}.\"\"\"\n    {fill(t['body'])}\n"
            cases = t["cases"](rng, consts)
            ns: dict = {}
            exec(IMPORTS.get(module, "") + good, ns)
            expected = [ns[name](*c) for c in cases]
            code, bug = good, None
            if k == bug_at:
                for old, new in rng.sample(t["bugs"], len(t["bugs"])):
                    candidate = good.replace(fill(old), fill(new), 1)
                    bad: dict = {}
                    exec(IMPORTS.get(module, "") + candidate, bad)
                    if any(_safe(bad[name], c) != e for c, e in zip(cases, expected)):
                        code, bug = candidate, f"{fill(old)} -> {fill(new)}"
                        break
            src.append(code)
            names.append(name)
            half = len(cases) // 2
            broken = [f"test_{name}_{j}" for j, g in enumerate((cases[:half], cases[half:]), start=1)
                      if bug and any(_safe(bad[name], c) != ns[name](*c) for c in g)]
            self.db.execute("INSERT INTO functions (module, name, template, bug, failing) VALUES (?, ?, ?, ?, ?)",
                            (module, name, index, bug, json.dumps(broken)))
            for j, group in enumerate((cases[:half], cases[half:]), start=1):
                lines = [f"def test_{name}_{j}():"]
                for c in group:
                    call = f"{name}({', '.join(repr(a) for a in c)})"
                    lines.append(f"    assert {call} == {ns[name](*c)!r}, {call}")
                tests.append("\n".join(lines) + "\n")
            if bug:
                c = next(c for c in cases if _safe(bad[name], c) != ns[name](*c))
                call = f"{name}({', '.join(repr(a) for a in c)})"
                self.db.execute("INSERT INTO issues (title, body, module, status) VALUES (?, ?, ?, 'open')", (
                    f"{name} gives wrong results",
                    f"{call} should be {ns[name](*c)!r} but is {_safe(bad[name], c)!r}. Failing: {', '.join(broken)}.",
                    module))
        header = f"from {pkg}.{module} import {', '.join(names)}\n\n\n"
        return {f"{pkg}/{module}.py": "\n\n".join(src), f"tests/test_{module}.py": header + "\n\n".join(tests)}

    def _history(self, rng: random.Random, paths: list[str]) -> None:
        day = dt.date(2025, 1, 6)
        code_paths = [p for p in paths if p.endswith(".py") and not p.endswith("__init__.py")]
        for i in range({"small": 80, "medium": 100, "large": 140}[self.variant.scale]):
            day += dt.timedelta(days=rng.randint(1, 4))
            touched = rng.sample(code_paths, rng.randint(1, 3))
            module = touched[0].split("/")[-1].removesuffix(".py")
            cid = self.db.execute("INSERT INTO commits (sha, author, date, message) VALUES (?, ?, ?, ?)", (
                f"{rng.getrandbits(40):010x}", rng.choice(AUTHORS), day.isoformat(),
                f"{rng.choice(COMMIT_VERBS)} {module}")).lastrowid
            self.db.executemany("INSERT INTO commit_files (commit_id, path) VALUES (?, ?)", [(cid, p) for p in touched])
        for n in range(rng.randint(2, 5)):
            self.db.execute("INSERT INTO issues (title, body, module, status, comment) VALUES (?, ?, ?, 'closed', ?)",
                            (f"Question about {rng.choice(code_paths)}", "Resolved in review.", None, "answered"))

    # ---- helpers ------------------------------------------------------------------------------------

    def _files(self) -> dict[str, str]:
        return {r["path"]: r["content"] for r in self.rows("SELECT * FROM files ORDER BY path")}

    def _file(self, path: str) -> str:
        row = self.db.execute("SELECT content FROM files WHERE path = ?", (path.strip().lstrip("./"),)).fetchone()
        if row is None:
            raise ValueError(f"no file {path!r}; call list_files to see the repository")
        return row["content"]

    def _tests(self, path: str | None) -> list[str]:
        all_tests = [p for p in self._files() if re.fullmatch(r"tests/test_\w+\.py", p)]
        if path is None:
            return all_tests
        if path not in all_tests:
            raise ValueError(f"{path!r} is not a test file; test files: {', '.join(all_tests)}")
        return [path]

    def _store(self, path: str, content: str) -> None:
        path = path.strip().lstrip("./")
        if not re.fullmatch(r"[\w./-]+", path) or ".." in path:
            raise ValueError("use a plain relative path such as pkg/module.py")
        old = self.db.execute("SELECT content FROM files WHERE path = ?", (path,)).fetchone()
        if old is None and "no_new_files" in self.variant.rules:
            raise ValueError("policy: do not create new files")
        if path.startswith("tests/") and old is not None:
            before, after = test_functions(old["content"]), test_functions(content)
            if any(after.get(n) != s for n, s in before.items()):
                raise ValueError("policy: existing tests must not be changed or removed")
        self.db.execute("INSERT OR REPLACE INTO files VALUES (?, ?)", (path, content))

    def _rules(self) -> dict:
        return {"changelog": "changelog" in self.variant.rules}

    # ---- read tools ---------------------------------------------------------------------------------

    @tool("read")
    def list_files(self) -> list[dict]:
        """Every file of the repository with its size in lines."""
        return [{"path": p, "lines": c.count("\n") + 1} for p, c in self._files().items()]

    @tool("read")
    def read_file(self, path: str) -> str:
        """The content of a file, with line numbers.

        Args:
            path: Path relative to the repository root.
        """
        return "\n".join(f"{i:4d}| {line}" for i, line in enumerate(self._file(path).splitlines(), start=1))

    @tool("read")
    def search_code(self, pattern: str, path_prefix: str = "") -> list[dict]:
        """Lines matching a regular expression, with file and line number (at most 100).

        Args:
            pattern: Python regular expression.
            path_prefix: Only files whose path starts with this.
        """
        try:
            rx = re.compile(pattern)
        except re.error as e:
            raise ValueError(f"bad regular expression: {e}") from None
        hits = [{"path": p, "line": i, "text": line} for p, c in self._files().items() if p.startswith(path_prefix)
                for i, line in enumerate(c.splitlines(), start=1) if rx.search(line)]
        return hits[:100]

    @tool("read")
    def run_tests(self, path: str | None = None) -> dict:
        """Run the test suite (or one test file) on the current files; lists every test with pass/fail and error.

        Args:
            path: One test file such as tests/test_pricing.py; all test files when omitted.
        """
        run = run_test_files(self._files(), self._tests(path))
        failed = [r for r in run["results"] if not r["ok"]]
        return {"passed": len(run["results"]) - len(failed), "failed": len(failed), "failures": failed,
                "tests": [r["test"] for r in run["results"]], **({"error": run["error"]} if "error" in run else {})}

    @tool("read")
    def git_diff(self, path: str | None = None) -> str:
        """Unified diff of the working files against the last commit.

        Args:
            path: Only this file.
        """
        before = {r["path"]: r["content"] for r in self.pristine().execute("SELECT * FROM files").fetchall()}
        after = self._files()
        out = []
        for p in sorted(set(before) | set(after)):
            if path and p != path:
                continue
            out += difflib.unified_diff(before.get(p, "").splitlines(), after.get(p, "").splitlines(),
                                        f"a/{p}", f"b/{p}", lineterm="")
        return "\n".join(out) or "no changes"

    @tool("read")
    def git_log(self, path: str | None = None, limit: int = 20) -> list[dict]:
        """Commits, newest first, optionally only those touching one file.

        Args:
            path: Only commits that changed this file.
            limit: Most commits to return (1-200).
        """
        if not 1 <= limit <= 200:
            raise ValueError("limit must be between 1 and 200")
        rows = self.rows("SELECT c.id, c.sha, c.author, c.date, c.message, group_concat(f.path, ', ') AS files "
                         "FROM commits c JOIN commit_files f ON f.commit_id = c.id GROUP BY c.id "
                         "ORDER BY c.date DESC, c.id DESC")
        if path:
            rows = [r for r in rows if path in r["files"].split(", ")]
        return [{k: v for k, v in r.items() if k != "id"} for r in rows[:limit]]

    @tool("read")
    def list_issues(self, status: str | None = None) -> list[dict]:
        """Issues of the tracker, optionally only open or closed ones.

        Args:
            status: open or closed.
        """
        return self.rows("SELECT id, title, body, module, status FROM issues WHERE (? IS NULL OR status = ?) "
                         "ORDER BY id", status, status)

    # ---- write tools --------------------------------------------------------------------------------

    @tool("write")
    def write_file(self, path: str, content: str) -> dict:
        """Create or overwrite a file.

        Args:
            path: Path relative to the repository root.
            content: The whole new content.
        """
        self._store(path, content)
        return {"path": path, "lines": content.count("\n") + 1}

    @tool("write")
    def replace_in_file(self, path: str, old: str, new: str) -> dict:
        """Replace one exact occurrence of a piece of text in a file.

        Args:
            path: Path relative to the repository root.
            old: Exact text to replace; must occur exactly once.
            new: Replacement text.
        """
        content = self._file(path)
        count = content.count(old) if old else 0
        if count != 1:
            raise ValueError(f"the text occurs {count} times in {path}; give a longer, unique snippet")
        self._store(path, content.replace(old, new))
        return {"path": path, "replaced": True}

    @tool("write")
    def close_issue(self, issue_id: int, comment: str) -> dict:
        """Close an open issue once the tests of its module all pass.

        Args:
            issue_id: The issue number.
            comment: What was fixed.
        """
        row = self.db.execute("SELECT * FROM issues WHERE id = ?", (issue_id,)).fetchone()
        if row is None or row["status"] != "open":
            raise ValueError(f"issue #{issue_id} does not exist or is not open")
        if not comment.strip():
            raise ValueError("add a comment saying what was fixed")
        if row["module"]:
            run = run_test_files(self._files(), [f"tests/test_{row['module']}.py"])
            if "error" in run or not all(r["ok"] for r in run["results"]):
                raise ValueError(f"policy: the {row['module']} tests do not all pass yet")
        self.db.execute("UPDATE issues SET status = 'closed', comment = ? WHERE id = ?", (comment.strip(), issue_id))
        return {"id": issue_id, "status": "closed"}

    # ---- proposers ----------------------------------------------------------------------------------

    def _pkg(self) -> str:
        return self.db.execute("SELECT value FROM config WHERE key = 'package'").fetchone()[0]

    def _all_functions(self) -> list[str]:
        return [r["name"] for r in self.rows("SELECT name FROM functions")]

    def _bugs(self) -> list[dict]:
        return self.rows("SELECT f.*, i.id AS issue FROM functions f JOIN issues i ON i.module = f.module "
                         "AND i.status = 'open' WHERE f.bug IS NOT NULL")

    def _fix_spec(self, bugs: list[dict]) -> dict:
        pkg = self._pkg()
        return {"fixes": [[f"{pkg}/{b['module']}.py", *b["bug"].split(" -> "), b["name"]] for b in bugs]}

    def _repo_verifier(self, modules, issues, **extra) -> Program:
        return Program.of(verify_repo, must_pass=[f"tests/test_{m}.py" for m in modules], close=issues,
                          changelog=[b for b in extra.pop("functions", [])] if self._rules()["changelog"] else [],
                          feature=extra.get("feature"))

    @proposer(difficulty=1)
    def propose_find_function(self, rng: random.Random) -> TaskDraft | None:
        f = rng.choice(self.rows("SELECT * FROM functions"))
        spec = {"pkg": self._pkg(), "module": f["module"], "phrase": FUNCTIONS[f["template"]]["phrase"]}
        return TaskDraft(shape="find_function", instruction=self.render("find_function", rng, **spec),
                         solution=Program.of(solve_find_function, **spec),
                         verifier=Program.of(verify_answer, expected=[f["name"]], candidates=self._all_functions(),
                                             number=None))

    @proposer(difficulty=1)
    def propose_last_author(self, rng: random.Random) -> TaskDraft | None:
        path = rng.choice(self.rows("SELECT DISTINCT path FROM commit_files"))["path"]
        rows = self.rows("SELECT c.author FROM commits c JOIN commit_files f ON f.commit_id = c.id WHERE f.path = ? "
                         "ORDER BY c.date DESC, c.id DESC LIMIT 1", path)
        return TaskDraft(shape="last_author", instruction=self.render("last_author", rng, path=path),
                         solution=Program.of(solve_last_author, path=path),
                         verifier=Program.of(verify_answer, expected=[rows[0]["author"]], candidates=AUTHORS,
                                             number=None), tools=("git_log", "list_files", "read_file"))

    @proposer(difficulty=2)
    def propose_commit_count(self, rng: random.Random) -> TaskDraft | None:
        path = rng.choice(self.rows("SELECT DISTINCT path FROM commit_files"))["path"]
        author = rng.choice(AUTHORS)
        n = self.db.execute("SELECT COUNT(*) FROM commits c JOIN commit_files f ON f.commit_id = c.id WHERE f.path = ? "
                            "AND c.author = ?", (path, author)).fetchone()[0]
        if n == 0 and rng.random() < 0.7:
            return None
        return TaskDraft(shape="commit_count", instruction=self.render("commit_count", rng, path=path, author=author),
                         solution=Program.of(solve_commit_count, path=path, author=author),
                         verifier=Program.of(verify_answer, expected=[], candidates=[], number=n),
                         tools=("git_log", "list_files", "read_file"))

    @proposer(difficulty=2)
    def propose_monthly_commits(self, rng: random.Random) -> TaskDraft | None:
        month = rng.choice(self.rows("SELECT DISTINCT substr(date, 1, 7) AS m FROM commits"))["m"]
        author = rng.choice(AUTHORS)
        n = self.db.execute("SELECT COUNT(*) FROM commits WHERE author = ? AND date LIKE ?",
                            (author, month + "%")).fetchone()[0]
        if n == 0:
            return None
        return TaskDraft(shape="monthly_commits",
                         instruction=self.render("monthly_commits", rng, author=author, month=month),
                         solution=Program.of(solve_monthly_commits, author=author, month=month),
                         verifier=Program.of(verify_answer, expected=[], candidates=[], number=n),
                         tools=("git_log", "list_files", "read_file"))

    @proposer(difficulty=3)
    def propose_fix_function(self, rng: random.Random) -> TaskDraft | None:
        if not self._bugs():
            return None
        bug = rng.choice(self._bugs())
        spec = {"function": bug["name"], "pkg": self._pkg(), "module": bug["module"]}
        return TaskDraft(shape="fix_function", instruction=self.render("fix_function", rng, **spec),
                         solution=Program.of(solve_fix, **self._fix_spec([bug]), close=[], **self._rules()),
                         verifier=self._repo_verifier([bug["module"]], [], functions=[bug["name"]]))

    @proposer(difficulty=2)
    def propose_failing_tests(self, rng: random.Random) -> TaskDraft | None:
        if not self._bugs():
            return None
        bug = rng.choice(self._bugs())
        tests = test_functions(self._file(f"tests/test_{bug['module']}.py"))
        return TaskDraft(shape="failing_tests", instruction=self.render("failing_tests", rng, module=bug["module"]),
                         solution=Program.of(solve_failing_tests, module=bug["module"]),
                         verifier=Program.of(verify_answer, expected=json.loads(bug["failing"]),
                                             candidates=sorted(tests), number=None))

    @proposer(difficulty=2)
    def propose_broken_function(self, rng: random.Random) -> TaskDraft | None:
        if not self._bugs():
            return None
        bug = rng.choice(self._bugs())
        spec = {"pkg": self._pkg(), "module": bug["module"]}
        return TaskDraft(shape="broken_function", instruction=self.render("broken_function", rng, **spec),
                         solution=Program.of(solve_broken_function, **spec),
                         verifier=Program.of(verify_answer, expected=[bug["name"]], candidates=self._all_functions(),
                                             number=None))

    @proposer(difficulty=3)
    def propose_fix_module(self, rng: random.Random) -> TaskDraft | None:
        if not self._bugs():
            return None
        bug = rng.choice(self._bugs())
        return TaskDraft(shape="fix_module", instruction=self.render("fix_module", rng, module=bug["module"]),
                         solution=Program.of(solve_fix, **self._fix_spec([bug]), close=[], **self._rules()),
                         verifier=self._repo_verifier([bug["module"]], [], functions=[bug["name"]]))

    @proposer(difficulty=3)
    def propose_fix_issue(self, rng: random.Random) -> TaskDraft | None:
        if not self._bugs():
            return None
        bug = rng.choice(self._bugs())
        return TaskDraft(shape="fix_issue", instruction=self.render("fix_issue", rng, issue=bug["issue"]),
                         solution=Program.of(solve_fix, **self._fix_spec([bug]), close=[bug["issue"]],
                                             **self._rules()),
                         verifier=self._repo_verifier([bug["module"]], [bug["issue"]], functions=[bug["name"]]))

    @proposer(difficulty=4)
    def propose_fix_two(self, rng: random.Random) -> TaskDraft | None:
        bugs = self._bugs()
        if len(bugs) < 2:
            return None
        a, b = sorted(rng.sample(bugs, 2), key=lambda x: x["issue"])
        return TaskDraft(shape="fix_two", instruction=self.render("fix_two", rng, a=a["issue"], b=b["issue"]),
                         solution=Program.of(solve_fix, **self._fix_spec([a, b]), close=[a["issue"], b["issue"]],
                                             **self._rules()),
                         verifier=self._repo_verifier([a["module"], b["module"]], [a["issue"], b["issue"]],
                                                      functions=[a["name"], b["name"]]))

    @proposer(difficulty=5)
    def propose_fix_all_feature(self, rng: random.Random) -> TaskDraft | None:
        bugs = self._bugs()
        if not bugs:
            return None
        module = rng.choice(sorted({r["module"] for r in self.rows("SELECT module FROM functions")}))
        names, args, spec, body, cases = FEATURES[module]
        name = rng.choice(names)
        ns: dict = {}
        exec(f"def {name}({args}):\n    {body}\n", ns)
        hidden = [[list(c), ns[name](*c)] for c in cases]
        pkg = self._pkg()
        feature = {"path": f"{pkg}/{module}.py", "test_path": f"tests/test_{module}.py", "name": name, "args": args,
                   "body": body, "module": f"{pkg}.{module}"}
        modules = sorted({r["module"] for r in self.rows("SELECT module FROM functions")})
        return TaskDraft(shape="fix_all_feature",
                         instruction=self.render("fix_all_feature", rng, feature=name, args=args, pkg=pkg,
                                                 module=module, spec=spec),
                         solution=Program.of(solve_fix, **self._fix_spec(bugs), close=[b["issue"] for b in bugs],
                                             feature=feature, **self._rules()),
                         verifier=self._repo_verifier(modules, [b["issue"] for b in bugs],
                                                      functions=[b["name"] for b in bugs] + [name],
                                                      feature={**{k: feature[k] for k in ("path", "test_path",
                                                                                          "name", "module")},
                                                               "cases": hidden}))


def _safe(fn, args):
    try:
        return fn(*args)
    except Exception as e:  # a planted bug may raise instead of returning a wrong value
        return f"raised {type(e).__name__}"


# ---- solutions: tools and computation only --------------------------------------------------------

def solve_find_function(tools, params):
    import re

    source = tools.read_file(path=f"{params['pkg']}/{params['module']}.py")
    phrase = params["phrase"][0].upper() + params["phrase"][1:]
    lines = source.splitlines()
    for i, line in enumerate(lines):
        if phrase in line:
            return re.search(r"def (\w+)\(", lines[i - 1]).group(1)


def solve_last_author(tools, params):
    return tools.git_log(path=params["path"], limit=1)[0]["author"]


def solve_commit_count(tools, params):
    return sum(c["author"] == params["author"] for c in tools.git_log(path=params["path"], limit=200))


def solve_monthly_commits(tools, params):
    return sum(c["author"] == params["author"] and c["date"].startswith(params["month"])
               for c in tools.git_log(limit=200))


def solve_failing_tests(tools, params):
    run = tools.run_tests(path=f"tests/test_{params['module']}.py")
    return [f["test"].split("::")[1] for f in run["failures"]]


def solve_broken_function(tools, params):
    import re

    run = tools.run_tests(path=f"tests/test_{params['module']}.py")
    return re.match(r"test_(\w+)_\d+$", run["failures"][0]["test"].split("::")[1]).group(1)


def solve_fix(tools, params):
    tools.run_tests()
    names = []
    for path, good, bad, function in params["fixes"]:
        tools.read_file(path=path)
        tools.replace_in_file(path=path, old=bad, new=good)
        names.append(function)
    feature = params.get("feature")
    if feature:
        tools.replace_in_file(path=feature["path"], old='"""\n\n',
                              new=f'"""\n\n\ndef {feature["name"]}({feature["args"]}):\n    {feature["body"]}\n\n\n')
        lines = tools.read_file(path=feature["test_path"]).splitlines()
        content = "\n".join(line.split("| ", 1)[1] for line in lines)
        tools.write_file(path=feature["test_path"], content=content + f"\n\n\ndef test_{feature['name']}_added():\n"
                         f"    from {feature['module']} import {feature['name']}\n"
                         f"    assert callable({feature['name']})\n")
        names.append(feature["name"])
    run = tools.run_tests()
    for issue in params["close"]:
        tools.close_issue(issue_id=issue, comment="Fixed the faulty expression; tests pass.")
    if params["changelog"]:
        log = "\n".join(line.split("| ", 1)[1] for line in tools.read_file(path="CHANGELOG.md").splitlines())
        tools.write_file(path="CHANGELOG.md", content=log + "\n" + "".join(f"- Fixed {n}.\n" for n in names))
    return f"{run['passed']} tests pass, {run['failed']} fail."


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_answer(outcome, params):
    from verifiers.answers import mentions_exactly, only_number

    if params["number"] is not None:
        ok = only_number(outcome.answer, params["number"], abs_tol=0)
    else:
        ok = mentions_exactly(outcome.answer, params["expected"], params["candidates"])
    return ok, [] if ok else [f"expected {params['expected'] or params['number']}, got {outcome.answer!r}"]


def verify_repo(outcome, params):
    """Run the tests on the final files: the required test files pass, no test that passed before fails, existing
    tests are unchanged, the named issues (and only they) are closed, and the changelog/feature are present."""
    import ast
    import hashlib
    import json
    import os
    import subprocess
    import sys
    import tempfile

    memo = verify_repo.__dict__.setdefault("test_runs", {})  # same files and targets -> same results

    def run(files, targets):
        key = hashlib.sha256(json.dumps([files, targets, runner], sort_keys=True).encode()).hexdigest()
        if key not in memo:
            if len(memo) > 512:
                memo.clear()
            memo[key] = run_uncached(files, targets)
        return memo[key]

    def run_uncached(files, targets):
        with tempfile.TemporaryDirectory() as work:
            for path, content in files.items():
                os.makedirs(os.path.dirname(os.path.join(work, path)), exist_ok=True)
                with open(os.path.join(work, path), "w") as f:
                    f.write(content)
            try:
                proc = subprocess.run([sys.executable, "-I", "-c", runner, *targets], cwd=work, capture_output=True,
                                      text=True, timeout=20, env={"PATH": "/usr/bin:/bin"})
            except subprocess.TimeoutExpired:
                return {}
        if "@@RESULTS@@" not in proc.stdout:
            return {}
        return {r["test"]: r["ok"] for r in json.loads(proc.stdout.rpartition("@@RESULTS@@")[2])}

    def tests_of(source):
        try:
            return {n.name: ast.unparse(n) for n in ast.parse(source).body
                    if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")}
        except SyntaxError:
            return {}

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
    if params["feature"]:
        judged = {**judged, params["feature"]["test_path"]: after.get(params["feature"]["test_path"], "")}
    was, now = run(before, test_files), run(judged, test_files)
    if not now:
        return False, reasons + ["the test suite did not run on the final files"]
    for path in params["must_pass"]:
        bad = [t for t, ok in now.items() if t.startswith(path + "::") and not ok]
        if bad or not any(t.startswith(path + "::") for t in now):
            reasons.append(f"{path} still fails: {bad}")
    broken = [t for t, ok in was.items() if ok and not now.get(t)]
    if broken:
        reasons.append(f"previously passing tests now fail: {broken}")
    closed = sorted(r["id"] for r in outcome.rows("SELECT id FROM issues WHERE status = 'closed'")
                    if r["id"] not in {x["id"] for x in outcome.initial_rows("SELECT id FROM issues WHERE status = "
                                                                             "'closed'")})
    if closed != sorted(params["close"]):
        reasons.append(f"closed issues {closed}, expected {sorted(params['close'])}")
    added = after.get("CHANGELOG.md", "")[len(before.get("CHANGELOG.md", "")):] \
        if after.get("CHANGELOG.md", "").startswith(before.get("CHANGELOG.md", "")) else after.get("CHANGELOG.md", "")
    missing = [f for f in params["changelog"] if f not in added and f.split("/")[-1] not in added]
    if missing:
        reasons.append(f"CHANGELOG.md has no new line for {missing}")
    feature = params["feature"]
    if feature:
        new_tests = set(tests_of(after.get(feature["test_path"], ""))) - set(tests_of(before[feature["test_path"]]))
        if not any(feature["name"] in tests_of(after[feature["test_path"]])[t] for t in new_tests):
            reasons.append(f"no new test in {feature['test_path']} exercises {feature['name']}")
        if any(not ok for t, ok in now.items() if t.split("::")[1] in new_tests):
            reasons.append("the new test fails")
        checks = "\n".join(f"    assert {feature['name']}(*{args!r}) == {want!r}" for args, want in feature["cases"])
        hidden = {**judged, "tests/test_zz_hidden.py": f"from {feature['module']} import {feature['name']}\n\n\n"
                                                       f"def test_hidden():\n{checks}\n"}
        if not run(hidden, ["tests/test_zz_hidden.py"]).get("tests/test_zz_hidden.py::test_hidden"):
            reasons.append(f"{feature['name']} does not behave as specified")
    return not reasons, reasons
