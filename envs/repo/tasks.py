"""Task proposers, from code and history lookups (level 1) to a green suite plus a new feature (level 5)."""

from __future__ import annotations

import json
import random

from synth.env import Answer, Effects, Program, TaskDraft, proposer, updates
from synth_verifiers.text import mentions

from .checks import check_repo
from .solutions import (
    solve_broken_function,
    solve_commit_count,
    solve_failing_tests,
    solve_find_function,
    solve_fix,
    solve_last_author,
    solve_monthly_commits,
)
from .world import AUTHORS, FEATURES, FUNCTIONS, test_functions


class RepoTasks:
    def _pkg(self) -> str:
        return self.value("SELECT value FROM config WHERE key = 'package'")

    def _all_functions(self) -> list[str]:
        return self.column("SELECT name FROM functions")

    def _bugs(self) -> list[dict]:
        return self.rows(
            "SELECT f.*, i.id AS issue FROM functions f JOIN issues i ON i.module = f.module "
            "AND i.status = 'open' WHERE f.bug IS NOT NULL"
        )

    def _fix_spec(self, bugs: list[dict]) -> dict:
        pkg = self._pkg()
        return {"fixes": [[f"{pkg}/{b['module']}.py", *json.loads(b["fix"]), b["name"]] for b in bugs]}

    def _fix(
        self,
        shape: str,
        rng: random.Random,
        bugs: list[dict],
        modules: list[str],
        issues: list[int],
        new: dict | None = None,
        **spec,
    ) -> TaskDraft:
        """A task that fixes `bugs` so the tests of `modules` pass (and adds the function `new`), closing `issues`:
        only the buggy modules (the new function's module and test file, the changelog under that rule) may
        change."""
        functions = [b["name"] for b in bugs] + ([new["name"]] if new else [])
        paths = {f"{self._pkg()}/{b['module']}.py" for b in bugs}
        if new:
            paths |= {new["path"], new["test_path"]}
        if self._rules()["changelog"]:
            paths.add("CHANGELOG.md")
        effects = {"files": updates("content", keys=sorted(paths))}
        if issues:
            effects["issues"] = updates("status", "comment", keys=issues, values={"status": "closed"})
        check = {
            "must_pass": [f"tests/test_{m}.py" for m in modules],
            "changelog": functions if self._rules()["changelog"] else [],
        }
        if new:
            check["feature"] = {k: new[k] for k in ("path", "test_path", "name", "module", "cases")}
        solve = {k: v for k, v in (new or {}).items() if k != "cases"}
        return TaskDraft(
            shape=shape,
            instruction=self.render(shape, rng, **spec),
            solution=Program.of(
                solve_fix, **self._fix_spec(bugs), close=issues, **({"feature": solve} if new else {}), **self._rules()
            ),
            answer=Answer.none(),
            effects=Effects.on(**effects),
            check=Program.of(check_repo, **check),
        )

    @proposer(difficulty=1, attempts=3)
    def propose_find_function(self, rng: random.Random) -> TaskDraft | None:
        f = rng.choice(self.rows("SELECT * FROM functions"))
        spec = {"pkg": self._pkg(), "module": f["module"], "phrase": FUNCTIONS[f["template"]]["phrase"]}
        if mentions(spec["phrase"], [f["name"]]):
            return None  # the description spells out the name (median, below_reorder_point)
        return TaskDraft(
            shape="find_function",
            instruction=self.render("find_function", rng, **spec),
            solution=Program.of(solve_find_function, **spec),
            answer=Answer.entity(f["name"], candidates=self._all_functions()),
        )

    @proposer(difficulty=1)
    def propose_last_author(self, rng: random.Random) -> TaskDraft | None:
        path = rng.choice(self.column("SELECT DISTINCT path FROM commit_files"))
        author = self.value(
            "SELECT c.author FROM commits c JOIN commit_files f ON f.commit_id = c.id WHERE f.path = ? "
            "ORDER BY c.date DESC, c.id DESC LIMIT 1",
            path,
        )
        return TaskDraft(
            shape="last_author",
            instruction=self.render("last_author", rng, path=path),
            solution=Program.of(solve_last_author, path=path),
            answer=Answer.entity(author, candidates=AUTHORS),
            tools=("git_log", "list_files", "read_file"),
        )

    @proposer(difficulty=2, attempts=3)
    def propose_commit_count(self, rng: random.Random) -> TaskDraft | None:
        path = rng.choice(self.column("SELECT DISTINCT path FROM commit_files"))
        author = rng.choice(AUTHORS)
        n = self.value(
            "SELECT COUNT(*) FROM commits c JOIN commit_files f ON f.commit_id = c.id WHERE f.path = ? "
            "AND c.author = ?",
            path,
            author,
        )
        if n == 0 and rng.random() < 0.7:
            return None
        return TaskDraft(
            shape="commit_count",
            instruction=self.render("commit_count", rng, path=path, author=author),
            solution=Program.of(solve_commit_count, path=path, author=author),
            answer=Answer.integer(n),
            tools=("git_log", "list_files", "read_file"),
        )

    @proposer(difficulty=2, attempts=3)
    def propose_monthly_commits(self, rng: random.Random) -> TaskDraft | None:
        month = rng.choice(self.column("SELECT DISTINCT substr(date, 1, 7) FROM commits"))
        author = rng.choice(AUTHORS)
        n = self.value("SELECT COUNT(*) FROM commits WHERE author = ? AND date LIKE ?", author, month + "%")
        if n == 0:
            return None
        return TaskDraft(
            shape="monthly_commits",
            instruction=self.render("monthly_commits", rng, author=author, month=month),
            solution=Program.of(solve_monthly_commits, author=author, month=month),
            answer=Answer.integer(n),
            tools=("git_log", "list_files", "read_file"),
        )

    @proposer(difficulty=3)
    def propose_fix_function(self, rng: random.Random) -> TaskDraft | None:
        if not self._bugs():
            return None
        bug = rng.choice(self._bugs())
        return self._fix(
            "fix_function", rng, [bug], [bug["module"]], [], function=bug["name"], pkg=self._pkg(), module=bug["module"]
        )

    @proposer(difficulty=2)
    def propose_failing_tests(self, rng: random.Random) -> TaskDraft | None:
        if not self._bugs():
            return None
        bug = rng.choice(self._bugs())
        tests = [
            t
            for path in self.column("SELECT path FROM files WHERE path LIKE 'tests/test_%'")
            for t in test_functions(self._file(path))
        ]
        return TaskDraft(
            shape="failing_tests",
            instruction=self.render("failing_tests", rng, module=bug["module"]),
            solution=Program.of(solve_failing_tests, module=bug["module"]),
            answer=Answer.entities(json.loads(bug["failing"]), candidates=tests),
        )

    @proposer(difficulty=2)
    def propose_broken_function(self, rng: random.Random) -> TaskDraft | None:
        if not self._bugs():
            return None
        bug = rng.choice(self._bugs())
        spec = {"pkg": self._pkg(), "module": bug["module"]}
        return TaskDraft(
            shape="broken_function",
            instruction=self.render("broken_function", rng, **spec),
            solution=Program.of(solve_broken_function, **spec),
            answer=Answer.entity(bug["name"], candidates=self._all_functions()),
        )

    @proposer(difficulty=3)
    def propose_fix_module(self, rng: random.Random) -> TaskDraft | None:
        if not self._bugs():
            return None
        bug = rng.choice(self._bugs())
        return self._fix("fix_module", rng, [bug], [bug["module"]], [], module=bug["module"])

    @proposer(difficulty=3)
    def propose_fix_issue(self, rng: random.Random) -> TaskDraft | None:
        if not self._bugs():
            return None
        bug = rng.choice(self._bugs())
        return self._fix("fix_issue", rng, [bug], [bug["module"]], [bug["issue"]], issue=bug["issue"])

    @proposer(difficulty=4)
    def propose_fix_two(self, rng: random.Random) -> TaskDraft | None:
        bugs = self._bugs()
        if len(bugs) < 2:
            return None
        a, b = sorted(rng.sample(bugs, 2), key=lambda x: x["issue"])
        return self._fix(
            "fix_two", rng, [a, b], [a["module"], b["module"]], [a["issue"], b["issue"]], a=a["issue"], b=b["issue"]
        )

    @proposer(difficulty=5)
    def propose_fix_all_feature(self, rng: random.Random) -> TaskDraft | None:
        bugs = self._bugs()
        if not bugs:
            return None
        module = rng.choice(sorted(set(self.column("SELECT module FROM functions"))))
        names, args, spec, body, cases = FEATURES[module]
        name = rng.choice(names)
        ns: dict = {}
        exec(f"def {name}({args}):\n    {body}\n", ns)
        pkg = self._pkg()
        new = {
            "path": f"{pkg}/{module}.py",
            "test_path": f"tests/test_{module}.py",
            "name": name,
            "args": args,
            "body": body,
            "module": f"{pkg}.{module}",
            "cases": [[list(c), ns[name](*c)] for c in cases],
        }
        modules = sorted(set(self.column("SELECT module FROM functions")))
        return self._fix(
            "fix_all_feature",
            rng,
            bugs,
            modules,
            [b["issue"] for b in bugs],
            new,
            feature=name,
            args=args,
            pkg=pkg,
            module=module,
            spec=spec,
        )
