"""The repository's world: function templates with their planted bugs, how an instance's files, tests, issues
and history are built, and the sandboxed test runner the tools use."""

from __future__ import annotations

import ast
import datetime as dt
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile

# Each function template: module, candidate names, signature, body (with {CONSTANTS}), what it does, how it can break
# and how to draw test inputs.
FUNCTIONS = [
    dict(
        module="pricing",
        names=["apply_discount", "discounted_price", "price_after_discount"],
        args="price, pct",
        body="return round(price * (1 - pct / 100), 2)",
        phrase="takes a percentage discount off a price",
        bugs=[("(1 - pct / 100)", "(1 + pct / 100)"), ("pct / 100", "pct / 10")],
        cases=lambda r, c: [(float(r.randint(10, 500)), r.choice([5, 10, 15, 20, 25])) for _ in range(4)],
    ),
    dict(
        module="pricing",
        names=["add_tax", "with_tax", "gross_amount"],
        args="amount",
        body="return round(amount * (1 + {RATE}), 2)",
        consts={"RATE": [0.05, 0.07, 0.08, 0.2]},
        phrase="adds sales tax to a net amount",
        bugs=[("(1 + {RATE})", "(1 - {RATE})"), ("round(amount * (1 + {RATE}), 2)", "round(amount + {RATE}, 2)")],
        cases=lambda r, c: [(float(r.randint(5, 900)),) for _ in range(4)],
    ),
    dict(
        module="pricing",
        names=["late_fee", "overdue_charge", "penalty_for"],
        args="days_late",
        body="return min({CAP}, max(0, days_late) * {PER_DAY})",
        consts={"CAP": [20, 25, 30], "PER_DAY": [2, 3]},
        phrase="computes the capped fee for a late payment",
        bugs=[("min({CAP}, ", "max({CAP}, "), ("max(0, days_late)", "days_late")],
        cases=lambda r, c: [(-2,), (r.randint(1, 5),), (r.randint(6, 8),), (40,)],
    ),
    dict(
        module="pricing",
        names=["cents_to_text", "format_cents", "cents_label"],
        args="cents",
        body='return f"{cents // 100}.{cents % 100:02d}"',
        phrase="formats an amount of cents as a decimal string",
        bugs=[(":02d}", ":d}"), ("cents // 100", "cents // 10")],
        cases=lambda r, c: [(r.randint(101, 109),), (r.randint(1000, 99999),), (r.randint(0, 9),), (1250,)],
    ),
    dict(
        module="dates",
        names=["days_between", "day_span", "elapsed_days"],
        args="start, end",
        body="return (date.fromisoformat(end) - date.fromisoformat(start)).days",
        phrase="counts the days from one ISO date to another",
        bugs=[
            (
                "(date.fromisoformat(end) - date.fromisoformat(start))",
                "(date.fromisoformat(start) - date.fromisoformat(end))",
            ),
            (").days", ").days + 1"),
        ],
        cases=lambda r, c: [
            (f"2026-0{r.randint(1, 4)}-1{r.randint(0, 9)}", f"2026-0{r.randint(5, 9)}-2{r.randint(0, 8)}")
            for _ in range(4)
        ],
    ),
    dict(
        module="dates",
        names=["is_weekend", "falls_on_weekend", "weekend_day"],
        args="iso",
        body="return date.fromisoformat(iso).weekday() >= 5",
        phrase="tells whether an ISO date is a Saturday or Sunday",
        bugs=[(">= 5", "> 5"), (">= 5", ">= 4")],
        cases=lambda r, c: [("2026-03-07",), ("2026-03-08",), ("2026-03-06",), (f"2026-04-1{r.randint(0, 9)}",)],
    ),
    dict(
        module="dates",
        names=["add_business_days", "shift_workdays", "workdays_after"],
        args="iso, n",
        body=(
            "day = date.fromisoformat(iso)\n    while n > 0:\n        day += timedelta(days=1)\n"
            "        if day.weekday() < 5:\n            n -= 1\n    return day.isoformat()"
        ),
        phrase="moves a date forward by a number of working days",
        bugs=[("if day.weekday() < 5:", "if day.weekday() < 6:"), ("while n > 0:", "while n > 1:")],
        cases=lambda r, c: [(f"2026-05-0{r.randint(1, 9)}", r.randint(1, 9)) for _ in range(3)] + [("2026-05-08", 1)],
    ),
    dict(
        module="text",
        names=["parse_pairs", "parse_settings", "read_key_values"],
        args="text",
        body=(
            'out = {}\n    for part in text.split("{SEP}"):\n        if "=" in part:\n'
            '            key, value = part.split("=", 1)\n            out[key.strip()] = value.strip()\n    return out'
        ),
        consts={"SEP": [";", ",", "|"]},
        phrase="parses key=value pairs from a string into a dict",
        bugs=[
            ("out[key.strip()] = value.strip()", "out[key] = value.strip()"),
            ('part.split("=", 1)', 'part.split("=")[:2]'),
        ],
        cases=lambda r, c: [
            (f"a=1{c['SEP']} b = 2",),
            (f"mode=fast{c['SEP']}x=y=z",),
            ("k = v",),
            (f"flag{c['SEP']}n=3",),
        ],
    ),
    dict(
        module="text",
        names=["slugify", "make_slug", "url_slug"],
        args="title",
        body='return "{DASH}".join(title.lower().split())',
        consts={"DASH": ["-", "_"]},
        phrase="turns a title into a lower-case slug",
        bugs=[("title.lower().split()", "title.split()"), ("title.lower().split()", 'title.lower().split(" ")')],
        cases=lambda r, c: [("Hello World",), ("  Quarterly   Report 2026 ",), ("mixed Case Title",), ("one",)],
    ),
    dict(
        module="text",
        names=["truncate", "shorten", "clip_text"],
        args="text, width",
        body='return text if len(text) <= width else text[: width - 1] + "…"',
        phrase="cuts a text to a maximum width with an ellipsis",
        bugs=[("len(text) <= width", "len(text) < width"), ("text[: width - 1]", "text[:width]")],
        cases=lambda r, c: [("abcdef", 6), ("a long sentence here", r.randint(5, 12)), ("short", 10), ("exact", 5)],
    ),
    dict(
        module="inventory",
        names=["needs_restock", "below_reorder_point", "should_reorder"],
        args="stock",
        body="return stock <= {POINT}",
        consts={"POINT": [5, 8, 10, 12]},
        phrase="decides whether a stock level is at or below the reorder point",
        bugs=[("stock <= {POINT}", "stock < {POINT}"), ("stock <= {POINT}", "stock >= {POINT}")],
        cases=lambda r, c: [(c["POINT"],), (0,), (40,), (c["POINT"] + 1,)],
    ),
    dict(
        module="inventory",
        names=["order_quantity", "units_to_order", "reorder_amount"],
        args="stock, target",
        body="need = max(0, target - stock)\n    return -(-need // {PACK}) * {PACK}",
        consts={"PACK": [6, 10, 12]},
        phrase="rounds the shortfall up to whole packs",
        bugs=[("-(-need // {PACK}) * {PACK}", "need // {PACK} * {PACK}"), ("max(0, target - stock)", "target - stock")],
        cases=lambda r, c: [(r.randint(0, 9), r.randint(20, 50)), (30, 10), (0, c["PACK"] * 2), (r.randint(1, 5), 17)],
    ),
    dict(
        module="inventory",
        names=["clamp_level", "bounded", "keep_in_range"],
        args="value, low, high",
        body="return max(low, min(high, value))",
        phrase="keeps a value within a lower and upper bound",
        bugs=[("max(low, min(high, value))", "min(low, max(high, value))"), ("min(high, value)", "min(low, value)")],
        cases=lambda r, c: [(r.randint(-20, -1), 0, 10), (r.randint(11, 40), 0, 10), (5, 0, 10), (3, 3, 9)],
    ),
    dict(
        module="stats",
        names=["median", "middle_value", "midpoint_of"],
        args="values",
        body=(
            "xs = sorted(values)\n    mid = len(xs) // 2\n    return xs[mid] if len(xs) % 2 else (xs[mid - 1] + xs[mid]) / 2"
        ),
        phrase="finds the median of a list of numbers",
        bugs=[("xs = sorted(values)", "xs = list(values)"), ("(xs[mid - 1] + xs[mid]) / 2", "xs[mid]")],
        cases=lambda r, c: [(r.sample(range(1, 99), 5),), (r.sample(range(1, 99), 4),), ([7, 1, 3],), ([2, 8],)],
    ),
    dict(
        module="stats",
        names=["moving_average", "rolling_mean", "window_means"],
        args="values, k",
        body="return [round(sum(values[i:i + k]) / k, 2) for i in range(len(values) - k + 1)]",
        phrase="computes the averages of every window of k consecutive values",
        bugs=[("range(len(values) - k + 1)", "range(len(values) - k)"), ("/ k", "/ (k + 1)")],
        cases=lambda r, c: [
            ([r.randint(1, 30) for _ in range(6)], 3),
            ([4, 8, 15, 16], 2),
            ([5, 5], 2),
            ([1, 2, 3], 1),
        ],
    ),
    dict(
        module="stats",
        names=["percent_change", "relative_change", "growth_pct"],
        args="old, new",
        body="return round((new - old) / old * 100, 1)",
        phrase="gives the percentage change from an old to a new value",
        bugs=[("(new - old) / old", "(new - old) / new"), ("(new - old)", "(old - new)")],
        cases=lambda r, c: [(float(r.randint(50, 200)), float(r.randint(50, 300))) for _ in range(3)] + [(80.0, 100.0)],
    ),
]
IMPORTS = {"dates": "from datetime import date, timedelta\n\n\n"}
FEATURES = {
    "pricing": (
        ("sum_in_cents", "total_cents", "cents_total"),
        "amounts",
        "return the total of a list of money amounts as a whole number of cents "
        "(round the sum times 100 to the nearest integer)",
        "return round(sum(amounts) * 100)",
        [([1.25, 2.5],), ([],), ([0.1, 0.2, 0.3],), ([19.99],)],
    ),
    "dates": (
        ("quarter_of", "date_quarter", "fiscal_quarter"),
        "iso",
        "return the calendar quarter (1-4) of an ISO date string",
        "return (int(iso[5:7]) - 1) // 3 + 1",
        [("2026-01-15",), ("2026-06-30",), ("2026-07-01",), ("2026-12-31",)],
    ),
    "text": (
        ("initials", "name_initials", "monogram"),
        "name",
        "return the upper-case first letters of the words of a name, joined without spaces",
        'return "".join(w[0].upper() for w in name.split())',
        [("ada lovelace",), ("Jo",), ("  a  b c ",), ("",)],
    ),
    "inventory": (
        ("low_stock", "short_items", "items_below"),
        "levels, threshold",
        "return the sorted names from a dict of name -> units whose units are below threshold",
        "return sorted(k for k, v in levels.items() if v < threshold)",
        [({"bolt": 3, "nut": 9}, 5), ({}, 1), ({"a": 5, "b": 4}, 5), ({"x": 0}, 0)],
    ),
    "stats": (
        ("value_range", "spread", "span_of"),
        "values",
        "return the difference between the largest and smallest of a list of numbers (0 for an empty list)",
        "return max(values) - min(values) if values else 0",
        [([3, 9, 1],), ([],), ([5],), ([-2, 4],)],
    ),
}
PACKAGES = ["ledgerkit", "tallyhub", "stockwise", "quillutils", "harborlib", "plumtools", "copperbox", "wrenkit"]
AUTHORS = ["Ines Varga", "Tomas Reyes", "Mei Holm", "Odile Brandt", "Rafael Sousa", "Kiri Tane", "Noor Basri"]
COMMIT_VERBS = ["Refactor", "Tidy", "Document", "Speed up", "Simplify", "Add checks to", "Rename helpers in"]

RUNNER = r"""
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
"""


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
                proc = subprocess.run(
                    [sys.executable, "-I", "-c", RUNNER, *targets],
                    cwd=work,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    timeout=timeout_s,
                    env={"PATH": "/usr/bin:/bin"},
                    preexec_fn=_limit_child,
                )
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


def _safe(fn, args):
    try:
        return fn(*args)
    except Exception as e:  # a planted bug may raise instead of returning a wrong value
        return f"raised {type(e).__name__}"


class RepoWorld:
    # ---- database ---------------------------------------------------------------------------------

    def build(self, rng: random.Random) -> None:
        self.db.executescript("""
            CREATE TABLE files (path TEXT PRIMARY KEY, content TEXT);
            CREATE TABLE functions (id INTEGER PRIMARY KEY, module TEXT, name TEXT, template INTEGER, bug TEXT,
                fix TEXT, failing TEXT);
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
        files = {
            f"{pkg}/__init__.py": f'"""{pkg}: small utilities."""\n',
            "tests/__init__.py": "",
            "CHANGELOG.md": "# Changelog\n\n- Initial release.\n",
            "README.md": f"# {pkg}\n\nUtility helpers: {', '.join(modules)}.\nRun the tests with run_tests.\n",
        }
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
            good = f'def {name}({t["args"]}):\n    """{t["phrase"][0].upper() + t["phrase"][1:]}."""\n    {fill(t["body"])}\n'
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
            broken = [
                f"test_{name}_{j}"
                for j, g in enumerate((cases[:half], cases[half:]), start=1)
                if bug and any(_safe(bad[name], c) != ns[name](*c) for c in g)
            ]
            fix = [[b, g] for b, g in zip(code.splitlines(), good.splitlines()) if b != g]  # the buggy line, fixed
            self.db.execute(
                "INSERT INTO functions (module, name, template, bug, fix, failing) VALUES (?, ?, ?, ?, ?, ?)",
                (module, name, index, bug, json.dumps(fix[0]) if bug else None, json.dumps(broken)),
            )
            for j, group in enumerate((cases[:half], cases[half:]), start=1):
                lines = [f"def test_{name}_{j}():"]
                for c in group:
                    call = f"{name}({', '.join(repr(a) for a in c)})"
                    lines.append(f"    assert {call} == {ns[name](*c)!r}, {call}")
                tests.append("\n".join(lines) + "\n")
            if bug:
                c = next(c for c in cases if _safe(bad[name], c) != ns[name](*c))
                call = f"{name}({', '.join(repr(a) for a in c)})"
                self.db.execute(
                    "INSERT INTO issues (title, body, module, status) VALUES (?, ?, ?, 'open')",
                    (
                        f"{name} gives wrong results",
                        f"{call} should be {ns[name](*c)!r} but is {_safe(bad[name], c)!r}. Failing: {', '.join(broken)}.",
                        module,
                    ),
                )
        header = f"from {pkg}.{module} import {', '.join(names)}\n\n\n"
        return {f"{pkg}/{module}.py": "\n\n".join(src), f"tests/test_{module}.py": header + "\n\n".join(tests)}

    def _history(self, rng: random.Random, paths: list[str]) -> None:
        day = dt.date(2025, 1, 6)
        code_paths = [p for p in paths if p.endswith(".py") and not p.endswith("__init__.py")]
        for i in range({"small": 80, "medium": 100, "large": 140}[self.variant.scale]):
            day += dt.timedelta(days=rng.randint(1, 4))
            touched = rng.sample(code_paths, rng.randint(1, 3))
            module = touched[0].split("/")[-1].removesuffix(".py")
            cid = self.db.execute(
                "INSERT INTO commits (sha, author, date, message) VALUES (?, ?, ?, ?)",
                (
                    f"{rng.getrandbits(40):010x}",
                    rng.choice(AUTHORS),
                    day.isoformat(),
                    f"{rng.choice(COMMIT_VERBS)} {module}",
                ),
            ).lastrowid
            self.db.executemany("INSERT INTO commit_files (commit_id, path) VALUES (?, ?)", [(cid, p) for p in touched])
        for n in range(rng.randint(2, 5)):
            self.db.execute(
                "INSERT INTO issues (title, body, module, status, comment) VALUES (?, ?, ?, 'closed', ?)",
                (f"Question about {rng.choice(code_paths)}", "Resolved in review.", None, "answered"),
            )
