"""The repository's tools: reading, searching and testing the code, history and issues; editing files and closing
issues under the policy."""

from __future__ import annotations

import difflib
import re

from synth.env import tool

from .world import run_test_files, test_functions


class RepoTools:
    # ---- helpers ------------------------------------------------------------------------------------

    def _files(self) -> dict[str, str]:
        return {r["path"]: r["content"] for r in self.rows("SELECT * FROM files ORDER BY path")}

    def _file(self, path: str) -> str:
        return self.one(
            "SELECT content FROM files WHERE path = ?",
            path.strip().lstrip("./"),
            missing=f"no file {path!r}; call list_files to see the repository",
        )["content"]

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
        old = self.value("SELECT content FROM files WHERE path = ?", path)
        if old is None and "no_new_files" in self.variant.rules:
            raise ValueError("policy: do not create new files")
        if path.startswith("tests/") and old is not None:
            before, after = test_functions(old), test_functions(content)
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
        hits = [
            {"path": p, "line": i, "text": line}
            for p, c in self._files().items()
            if p.startswith(path_prefix)
            for i, line in enumerate(c.splitlines(), start=1)
            if rx.search(line)
        ]
        return hits[:100]

    @tool("read")
    def run_tests(self, path: str | None = None) -> dict:
        """Run the test suite (or one test file) on the current files; lists every test with pass/fail and error.

        Args:
            path: One test file such as tests/test_pricing.py; all test files when omitted.
        """
        run = run_test_files(self._files(), self._tests(path))
        failed = [r for r in run["results"] if not r["ok"]]
        return {
            "passed": len(run["results"]) - len(failed),
            "failed": len(failed),
            "failures": failed,
            "tests": [r["test"] for r in run["results"]],
            **({"error": run["error"]} if "error" in run else {}),
        }

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
            out += difflib.unified_diff(
                before.get(p, "").splitlines(), after.get(p, "").splitlines(), f"a/{p}", f"b/{p}", lineterm=""
            )
        return "\n".join(out) or "no changes"

    @tool("read")
    def git_log(self, path: str | None = None, author: str | None = None, limit: int = 20) -> list[dict]:
        """Commits, newest first, optionally only those touching one file or by one author.

        Args:
            path: Only commits that changed this file.
            author: Only commits by this author (full name).
            limit: Most commits to return (1-200).
        """
        if not 1 <= limit <= 200:
            raise ValueError("limit must be between 1 and 200")
        rows = self.rows(
            "SELECT c.id, c.sha, c.author, c.date, c.message, group_concat(f.path, ', ') AS files "
            "FROM commits c JOIN commit_files f ON f.commit_id = c.id GROUP BY c.id "
            "ORDER BY c.date DESC, c.id DESC"
        )
        if path:
            rows = [r for r in rows if path in r["files"].split(", ")]
        if author:
            rows = [r for r in rows if r["author"].lower() == author.strip().lower()]
        return [{k: v for k, v in r.items() if k != "id"} for r in rows[:limit]]

    @tool("read")
    def list_issues(self, status: str | None = None) -> list[dict]:
        """Issues of the tracker, optionally only open or closed ones.

        Args:
            status: open or closed.
        """
        return self.rows(
            "SELECT id, title, body, module, status FROM issues WHERE (? IS NULL OR status = ?) ORDER BY id",
            status,
            status,
        )

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
        row = self.one("SELECT * FROM issues WHERE id = ?", issue_id, missing=f"issue #{issue_id} does not exist")
        if row["status"] != "open":
            raise ValueError(f"issue #{issue_id} does not exist or is not open")
        if not comment.strip():
            raise ValueError("add a comment saying what was fixed")
        if row["module"]:
            run = run_test_files(self._files(), [f"tests/test_{row['module']}.py"])
            if "error" in run or not all(r["ok"] for r in run["results"]):
                raise ValueError(f"policy: the {row['module']} tests do not all pass yet")
        self.db.execute("UPDATE issues SET status = 'closed', comment = ? WHERE id = ?", (comment.strip(), issue_id))
        return {"id": issue_id, "status": "closed"}
