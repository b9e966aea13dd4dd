"""The workspace's tools: datasets, an isolated Python interpreter over them, and stored results."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import tempfile

from synth.env import tool

from .world import DATASETS, to_f

RUNNER = r"""
import json, sys
payload = json.loads(sys.stdin.read())
namespace = {"__name__": "__main__", "DATA": payload["data"]}
exec(compile(payload["code"], "<run_python>", "exec"), namespace)
"""
OUTPUT_CAP = 8000


def _limit_child(cpu_s: int, memory_mb: int, file_kb: int) -> None:
    import resource

    os.setsid()
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_kb << 10, file_kb << 10))


def run_isolated(code: str, data: dict, timeout_s: float = 5.0) -> dict:
    """Run `code` in a fresh `python -I` with DATA preloaded; never raises for what the code does."""
    with tempfile.TemporaryDirectory(prefix="pyinterp-") as work:
        for name, rows in data.items():
            if rows:
                with open(os.path.join(work, f"{name}.csv"), "w") as f:
                    f.write(",".join(rows[0]) + "\n")
                    f.writelines(",".join(str(v) for v in r.values()) + "\n" for r in rows)
        out_path = os.path.join(work, ".output")
        with open(out_path, "wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-I", "-c", RUNNER],
                stdin=subprocess.PIPE,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=work,
                env={"PATH": "/usr/bin:/bin"},
                preexec_fn=lambda: _limit_child(int(timeout_s) + 1, 512, 256),
            )
            timed_out = False
            try:
                proc.communicate(json.dumps({"code": code, "data": data}).encode(), timeout=timeout_s)
            except subprocess.TimeoutExpired:
                timed_out = True
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait()
            except BrokenPipeError:
                proc.wait()
        with open(out_path, "rb") as f:
            raw = f.read(OUTPUT_CAP + 1)
    text = raw[:OUTPUT_CAP].decode("utf-8", "replace")
    result = {"exit_code": proc.returncode, "output": text, "truncated": len(raw) > OUTPUT_CAP}
    if timed_out:
        result["error"] = f"timed out after {timeout_s} s and was stopped"
    elif proc.returncode == -signal.SIGXFSZ or (proc.returncode and result["truncated"]):
        result["error"] = "output limit exceeded; print less"
    elif proc.returncode and proc.returncode < 0:
        result["error"] = f"killed by signal {-proc.returncode} (CPU or memory limit)"
    elif proc.returncode:
        result["error"] = "the code raised an exception; see output"
    return result


class PyInterpTools:
    # ---- helpers ------------------------------------------------------------------------------------

    def _dataset_rows(self, name: str, filters: dict | None = None) -> list[dict]:
        if name not in DATASETS:
            raise ValueError(f"unknown dataset {name!r}; call list_datasets to see: {', '.join(DATASETS)}")
        rows = self.rows(DATASETS[name][1] + " ORDER BY 1")
        for column, value in (filters or {}).items():
            if rows and column not in rows[0]:
                raise ValueError(f"dataset {name} has no column {column!r}; columns: {', '.join(rows[0])}")
            rows = [r for r in rows if str(r[column]).lower() == str(value).lower()]
        return rows

    def _fahrenheit(self) -> bool:
        return "fahrenheit" in self.variant.rules

    def _cite(self) -> bool:
        return "cite_sources" in self.variant.rules

    def _rules(self) -> dict:
        return {"fahrenheit": self._fahrenheit(), "cite": self._cite()}

    def _station_series(self, station: str, metric: str) -> list[dict]:
        return self.rows(
            f"SELECT r.id, r.day, r.{metric} AS v FROM readings r JOIN stations s ON s.id = r.station_id "
            "WHERE s.name = ? ORDER BY r.day",
            station,
        )

    def _temp(self, metric: str, value: float) -> float:
        return to_f(value) if metric == "temp_c" and self._fahrenheit() else value

    # ---- read tools ---------------------------------------------------------------------------------

    @tool("read")
    def list_datasets(self) -> list[dict]:
        """The datasets of the workspace with a description and row count each."""
        return [{"name": n, "description": d, "rows": len(self._dataset_rows(n))} for n, (d, _) in DATASETS.items()]

    @tool("read")
    def describe_dataset(self, name: str) -> dict:
        """Columns of a dataset with type, and min/max/mean for numeric columns.

        Args:
            name: Dataset name from list_datasets.
        """
        rows = self._dataset_rows(name)
        columns = []
        for col in rows[0]:
            values = [r[col] for r in rows]
            info = {"column": col, "type": type(values[0]).__name__}
            if isinstance(values[0], (int, float)) and col != "id":
                info.update(min=min(values), max=max(values), mean=round(sum(values) / len(values), 4))
            else:
                info["distinct"] = len(set(values))
            columns.append(info)
        return {"name": name, "rows": len(rows), "columns": columns}

    @tool("read")
    def get_dataset(
        self, name: str, filters: dict[str, str | int | float] | None = None, limit: int = 200, offset: int = 0
    ) -> dict:
        """Rows of a dataset, optionally only those whose columns equal given values (case-insensitive).

        Args:
            name: Dataset name from list_datasets.
            filters: Column -> value equality filters, e.g. {"station": "Saltmarsh"}.
            limit: Most rows to return (1-500).
            offset: Rows to skip, for paging.
        """
        if not 1 <= limit <= 500 or offset < 0:
            raise ValueError("limit must be 1-500 and offset >= 0")
        rows = self._dataset_rows(name, filters)
        return {"name": name, "total": len(rows), "offset": offset, "rows": rows[offset : offset + limit]}

    @tool("read")
    def run_python(self, code: str, datasets: list[str] | None = None) -> dict:
        """Run Python 3 code in an isolated interpreter (5 s, no network, output capped). The requested datasets
        are preloaded as DATA[name] (a list of row dicts) and also written as <name>.csv in the working folder.
        Print what you want to see.

        Args:
            code: Python source to run; use print() for output.
            datasets: Names of datasets to load into DATA.
        """
        if not code.strip():
            raise ValueError("give some code to run")
        data = {name: self._dataset_rows(name) for name in dict.fromkeys(datasets or [])}
        return run_isolated(code, data)

    @tool("read")
    def list_results(self) -> list[dict]:
        """Results saved so far, with value, unit and sources."""
        return [{**r, "sources": json.loads(r["sources"])} for r in self.rows("SELECT * FROM results ORDER BY id")]

    # ---- write tools --------------------------------------------------------------------------------

    @tool("write")
    def save_result(self, name: str, value: float, unit: str = "", sources: list[str] | None = None) -> dict:
        """Store a computed value under a name (each name once).

        Args:
            name: Result name, as requested.
            value: The number, already rounded as requested.
            unit: Unit of the value, if any.
            sources: Datasets the value was computed from.
        """
        name = name.strip()
        if not name:
            raise ValueError("the result needs a name")
        if not math.isfinite(value):
            raise ValueError("the value must be a finite number")
        if self.rows("SELECT 1 FROM results WHERE lower(name) = lower(?)", name):
            raise ValueError(f"a result named {name!r} is already saved; each name is saved once")
        sources = list(dict.fromkeys(sources or []))
        unknown = [s for s in sources if s not in DATASETS]
        if unknown:
            raise ValueError(f"unknown datasets in sources: {unknown}")
        if self._cite() and not sources:
            raise ValueError("policy: name the datasets the result was computed from in sources")
        rid = self.db.execute(
            "INSERT INTO results (name, value, unit, sources) VALUES (?, ?, ?, ?)",
            (name, float(value), unit, json.dumps(sources)),
        ).lastrowid
        return {"id": rid, "name": name, "value": value, "unit": unit, "sources": sources}

    @tool("write")
    def annotate(self, dataset: str, row_id: int, label: str, note: str = "") -> dict:
        """Attach a label to one row of a dataset.

        Args:
            dataset: Dataset name.
            row_id: The row's id column value.
            label: Short label, e.g. outlier.
            note: Optional free text.
        """
        if not any(r["id"] == row_id for r in self._dataset_rows(dataset)):
            raise ValueError(f"dataset {dataset} has no row with id {row_id}")
        if not label.strip():
            raise ValueError("the label must not be empty")
        if self.rows(
            "SELECT 1 FROM annotations WHERE dataset = ? AND row_id = ? AND label = ?", dataset, row_id, label.strip()
        ):
            raise ValueError(f"row {row_id} of {dataset} already has the label {label.strip()!r}")
        aid = self.db.execute(
            "INSERT INTO annotations (dataset, row_id, label, note) VALUES (?, ?, ?, ?)",
            (dataset, row_id, label.strip(), note),
        ).lastrowid
        return {"id": aid, "dataset": dataset, "row_id": row_id, "label": label.strip()}

    @tool("write")
    def create_report(self, title: str, body: str, result_names: list[str]) -> dict:
        """Create a report that references saved results.

        Args:
            title: Report title.
            body: Report text.
            result_names: Names of saved results the report references (at least one).
        """
        if not title.strip() or not result_names:
            raise ValueError("a report needs a title and at least one result")
        saved = {r["name"].lower(): r["name"] for r in self.rows("SELECT name FROM results")}
        missing = [n for n in result_names if n.strip().lower() not in saved]
        if missing:
            raise ValueError(f"policy: save these results before reporting them: {missing}")
        names = sorted({saved[n.strip().lower()] for n in result_names})
        rid = self.db.execute(
            "INSERT INTO reports (title, body, results) VALUES (?, ?, ?)", (title.strip(), body, json.dumps(names))
        ).lastrowid
        return {"id": rid, "title": title.strip(), "results": names}

    @tool("write")
    def delete_result(self, name: str) -> dict:
        """Delete a saved result that no report references.

        Args:
            name: The result's name.
        """
        row = self.one(
            "SELECT id, name FROM results WHERE lower(name) = lower(?)",
            name.strip(),
            missing=f"no result named {name!r}; list_results shows the saved ones",
        )
        for rep in self.rows("SELECT title, results FROM reports"):
            if row["name"] in json.loads(rep["results"]):
                raise ValueError(f"report {rep['title']!r} references {row['name']!r}; it cannot be deleted")
        self.db.execute("DELETE FROM results WHERE id = ?", (row["id"],))
        return {"deleted": row["name"]}
