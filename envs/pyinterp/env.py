"""A data workspace: sensor, sales and lab datasets, a Python interpreter over them, and stored results."""

from __future__ import annotations

import json
import math
import os
import random
import signal
import subprocess
import sys
import tempfile

from synth.env import EnvTemplate, Program, TaskDraft, VariantSpace, proposer, tool
from verifiers.common import verify_number

STATION_NAMES = ["North Ridge", "Saltmarsh", "Old Quarry", "Heron Point", "Pine Hollow", "Granite Pass", "Mill Creek",
                 "Foxglove Hill", "Lower Weir", "Cinder Flats", "Bramble Cross", "Eastwater", "Larkspur Bay",
                 "Stonegate", "Willow Bend", "High Moor", "Copper Vale", "Tern Island"]
REGIONS = ["Coastal", "Highland", "Valley", "Urban"]
STORE_NAMES = ["Anchor", "Beacon", "Crescent", "Driftwood", "Elmstead", "Fernbrook", "Gullhaven", "Hartwell",
               "Ivybridge", "Juniper", "Kestrel", "Lindenfield", "Marlow", "Netherby", "Oakhurst", "Pebblestone"]
LINES = ["Hardware", "Garden", "Paint", "Lighting"]
MATERIALS = ["aluminium", "steel", "nylon", "oak", "carbon fibre", "copper"]
OPERATORS = ["Ines Varga", "Tomas Reyes", "Mei Holm", "Odile Brandt", "Rafael Sousa", "Kiri Tane"]
METRICS = {"temp_c": "temperature (°C)", "humidity_pct": "relative humidity (%)", "pm25": "PM2.5 level (µg/m³)"}
MONTH = "2026-05"

DATASETS = {
    "stations": ("Weather stations: name, region, elevation in metres.",
                 "SELECT id, name, region, elevation_m FROM stations"),
    "readings": ("Daily readings per station: temperature in °C, relative humidity in %, PM2.5 in µg/m³.",
                 "SELECT r.id, s.name AS station, r.day, r.temp_c, r.humidity_pct, r.pm25 FROM readings r "
                 "JOIN stations s ON s.id = r.station_id"),
    "stores": ("Retail stores: name, region, year opened.", "SELECT id, name, region, opened FROM stores"),
    "sales": ("Monthly sales per store and product line: units sold and revenue.",
              "SELECT x.id, t.name AS store, x.month, x.line, x.units, x.revenue FROM sales x "
              "JOIN stores t ON t.id = x.store_id"),
    "experiments": ("Tensile test series: material and operator.",
                    "SELECT id, name, material, operator FROM experiments"),
    "trials": ("Tensile trials: load in kg and measured extension in mm.",
               "SELECT t.id, e.name AS experiment, t.load_kg, t.extension_mm FROM trials t "
               "JOIN experiments e ON e.id = t.experiment_id"),
}

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
            proc = subprocess.Popen([sys.executable, "-I", "-c", RUNNER], stdin=subprocess.PIPE, stdout=out,
                                    stderr=subprocess.STDOUT, cwd=work, env={"PATH": "/usr/bin:/bin"},
                                    preexec_fn=lambda: _limit_child(int(timeout_s) + 1, 512, 256))
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


def fit_line(xs: list[float], ys: list[float]) -> tuple[float, float, float]:
    """Least-squares slope, intercept and R²."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    slope = sxy / sxx
    intercept = my - slope * mx
    ss_tot = sum((y - my) ** 2 for y in ys)
    ss_res = sum((y - slope * x - intercept) ** 2 for x, y in zip(xs, ys))
    return slope, intercept, 1 - ss_res / ss_tot if ss_tot else 1.0


def pearson(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    return sxy / math.sqrt(sum((x - mx) ** 2 for x in xs) * sum((y - my) ** 2 for y in ys))


def to_f(celsius: float) -> float:
    return celsius * 9 / 5 + 32


class PyInterpEnv(EnvTemplate):
    name = "pyinterp"
    version = "1.0.0"
    category = "data analysis workspace"
    agent_category = "code_interpreter"
    description = ("An analytics workspace with weather-station readings, retail sales and lab tensile tests. Read "
                   "the datasets, run Python over them (run_python), and store results, annotations and reports.")
    policy = ("Compute from the datasets, not from guesses. Save results only under the names you are asked for, "
              "one result per name, rounded as requested. A report may reference only results that are already "
              "saved. Annotate only the rows you are asked to flag. Standard deviations are sample standard "
              "deviations (n - 1) unless stated otherwise.")
    variants = VariantSpace(
        optional_tools=("describe_dataset", "list_results"),
        renames={"get_dataset": ("load_dataset", "fetch_dataset"), "run_python": ("python", "execute_python"),
                 "save_result": ("store_result",)},
        rules={"fahrenheit": "Temperatures in answers and saved results are stated in degrees Fahrenheit "
                             "(F = C x 9/5 + 32); the data stores Celsius.",
               "cite_sources": "Every saved result must name, in its sources, the datasets it was computed from."},
        scales=("small", "medium", "large"),
    )
    phrasings = {
        "reading_lookup": [
            "What {{metric}} did station {{station}} record on {{day}}?",
            "Look up the {{metric}} reading of {{station}} for {{day}}.",
        ],
        "sales_lookup": [
            "How many units of {{line}} did the {{store}} store sell in {{month}}?",
            "Units sold by {{store}} in the {{line}} line during {{month}}?",
        ],
        "window_mean": [
            "What was the mean {{metric}} at {{station}} from {{start}} to {{end}} inclusive? Round to 2 decimals.",
            "Average the {{metric}} readings of station {{station}} between {{start}} and {{end}} (both included); "
            "give 2 decimals.",
            "Compute {{station}}'s average {{metric}} over {{start}}..{{end}}, rounded to 2 decimals.",
        ],
        "stdev": [
            "What is the sample standard deviation of {{station}}'s daily {{metric}} over the whole month? "
            "3 decimals.",
            "Give the standard deviation (n-1) of the {{metric}} readings at {{station}} across all days, to 3 "
            "decimals.",
        ],
        "correlation": [
            "What is the Pearson correlation between {{a}} and {{b}} at station {{station}}? 3 decimals.",
            "Correlate {{a}} with {{b}} over {{station}}'s daily readings (Pearson r, 3 decimals).",
        ],
        "conditional_revenue": [
            "What was the total {{line}} revenue of {{region}} stores, counting only store-months with at least "
            "{{units}} units sold? Round to 2 decimals.",
            "Sum the {{line}} revenue over all {{region}}-region stores, but only for months in which the store "
            "sold {{units}} or more {{line}} units (2 decimals).",
        ],
        "top_store": [
            "Which store had the highest {{line}} revenue in {{quarter}} 2025?",
            "In {{quarter}} of 2025, which store earned the most from {{line}}? Just the store name.",
        ],
        "save_regression": [
            "Fit a least-squares line of extension_mm against load_kg for experiment {{experiment}} and save the "
            "slope as \"{{slope_name}}\" and the intercept as \"{{intercept_name}}\", each rounded to 4 decimals.",
            "For test series {{experiment}}, regress extension (mm) on load (kg). Store the slope under "
            "\"{{slope_name}}\" and the intercept under \"{{intercept_name}}\" (4 decimals each).",
        ],
        "annotate_outliers": [
            "Flag the {{station}} readings whose {{metric}} lies more than {{k}} sample standard deviations from "
            "that station's monthly mean: annotate each such row of the readings dataset with the label "
            "\"outlier\".",
            "Annotate as \"outlier\" every readings row of station {{station}} where {{metric}} is further than "
            "{{k}} standard deviations (n-1) from the station's mean for the month.",
        ],
        "region_report": [
            "For each {{region}} station, save its mean {{metric}} from {{start}} to {{end}} as \"<station> mean\" "
            "(2 decimals). Then create a report titled \"{{title}}\" that references those results, and tell me "
            "which station had the highest mean.",
            "Compute the average {{metric}} of every station in the {{region}} region over {{start}}..{{end}}; save "
            "each as \"<station name> mean\" rounded to 2 decimals, put them all in a report called \"{{title}}\", "
            "and name the station with the top average.",
        ],
        "store_growth": [
            "For every {{region}} store, compute the {{line}} revenue growth from the first half of 2025 (Jan-Jun) "
            "to the second half (Jul-Dec) in percent. Save the growth of each store above {{threshold}}% as "
            "\"<store> growth\" (2 decimals) and tell me how many stores that was.",
            "Which {{region}} stores grew {{line}} revenue by more than {{threshold}}% from H1 to H2 2025? Save each "
            "such store's growth percentage under \"<store> growth\" (2 decimals) and report the count.",
        ],
        "forecast": [
            "For every {{region}} store, fit a linear trend to its total monthly revenue (all lines, months 1-12 of "
            "2025) and forecast month 13. Save each forecast as \"<store> forecast\" (2 decimals). Annotate the "
            "stores rows of stores whose trend slope is negative with the label \"declining\". Finally create a "
            "report \"{{title}}\" referencing the forecasts of the stores forecast above {{budget}}, and name the "
            "store with the highest forecast.",
            "Trend analysis for the {{region}} region: per store, regress total monthly 2025 revenue (sum of all "
            "lines) on the month number 1-12 and predict month 13; store each prediction as \"<store> forecast\" "
            "(2 decimals). Label stores with a falling trend \"declining\" (annotate their stores row). Then write "
            "a report named \"{{title}}\" that references only the forecasts above {{budget}}, and tell me which "
            "store's forecast is highest.",
        ],
        "calibration": [
            "Check every {{material}} test series: fit extension_mm against load_kg. Series with R² below "
            "{{r2}} get the annotation \"recheck\" on their experiments row; for the others save the slope as "
            "\"<experiment> slope\" (4 decimals). Create a report \"{{title}}\" referencing the saved slopes and "
            "tell me which accepted series is stiffest (lowest slope).",
            "Calibration review of the {{material}} experiments: regress extension on load for each. If R² < "
            "{{r2}}, annotate the experiment's row with \"recheck\"; otherwise store the slope under "
            "\"<experiment> slope\" rounded to 4 decimals. Then make a report titled \"{{title}}\" with the saved "
            "slopes and name the accepted series with the smallest slope.",
        ],
    }

    # ---- database ---------------------------------------------------------------------------------

    def build(self, rng: random.Random) -> None:
        self.db.executescript("""
            CREATE TABLE stations (id INTEGER PRIMARY KEY, name TEXT UNIQUE, region TEXT, elevation_m INTEGER);
            CREATE TABLE readings (id INTEGER PRIMARY KEY, station_id INTEGER REFERENCES stations(id), day TEXT,
                temp_c REAL, humidity_pct REAL, pm25 REAL);
            CREATE TABLE stores (id INTEGER PRIMARY KEY, name TEXT UNIQUE, region TEXT, opened INTEGER);
            CREATE TABLE sales (id INTEGER PRIMARY KEY, store_id INTEGER REFERENCES stores(id), month TEXT,
                line TEXT, units INTEGER, revenue REAL);
            CREATE TABLE experiments (id INTEGER PRIMARY KEY, name TEXT UNIQUE, material TEXT, operator TEXT);
            CREATE TABLE trials (id INTEGER PRIMARY KEY, experiment_id INTEGER REFERENCES experiments(id),
                load_kg REAL, extension_mm REAL);
            CREATE TABLE results (id INTEGER PRIMARY KEY, name TEXT UNIQUE, value REAL, unit TEXT, sources TEXT);
            CREATE TABLE annotations (id INTEGER PRIMARY KEY, dataset TEXT, row_id INTEGER, label TEXT, note TEXT);
            CREATE TABLE reports (id INTEGER PRIMARY KEY, title TEXT, body TEXT, results TEXT);
        """)
        n_st, n_store, n_exp = {"small": (8, 7, 6), "medium": (11, 10, 8), "large": (15, 14, 11)}[self.variant.scale]
        for name in rng.sample(STATION_NAMES, n_st):
            region = rng.choice(REGIONS)
            elevation = rng.randint(2, 60) if region == "Coastal" else rng.randint(40, 1400)
            sid = self.db.execute("INSERT INTO stations (name, region, elevation_m) VALUES (?, ?, ?)",
                                  (name, region, elevation)).lastrowid
            base_t, base_h, base_p = rng.uniform(9, 22) - elevation / 300, rng.uniform(45, 80), rng.uniform(5, 30)
            for d in range(1, 32):
                if rng.random() < 0.06:
                    continue  # a missing day
                t = base_t + 0.12 * d + rng.gauss(0, 2.2)
                h = min(99.0, base_h - 1.2 * (t - base_t) + rng.gauss(0, 6))
                p = max(1.0, base_p + 0.25 * (h - base_h) + rng.gauss(0, 4) + (rng.random() < 0.05) * 35)
                self.db.execute("INSERT INTO readings (station_id, day, temp_c, humidity_pct, pm25) VALUES "
                                "(?, ?, ?, ?, ?)", (sid, f"{MONTH}-{d:02d}", round(t, 1), round(h, 1), round(p, 1)))
        lines = rng.sample(LINES, 3)
        for name in rng.sample(STORE_NAMES, n_store):
            sid = self.db.execute("INSERT INTO stores (name, region, opened) VALUES (?, ?, ?)",
                                  (name, rng.choice(REGIONS), rng.randint(1998, 2022))).lastrowid
            for line in lines:
                level, trend, price = rng.randint(40, 260), rng.uniform(-0.04, 0.06), rng.uniform(8, 45)
                for m in range(1, 13):
                    units = max(0, int(level * (1 + trend * m) * rng.uniform(0.8, 1.2)))
                    self.db.execute("INSERT INTO sales (store_id, month, line, units, revenue) VALUES (?, ?, ?, ?, ?)",
                                    (sid, f"2025-{m:02d}", line, units, round(units * price * rng.uniform(0.95, 1.05), 2)))
        materials = rng.sample(MATERIALS, 3)
        for i in range(n_exp):
            material = materials[i % 3]
            eid = self.db.execute("INSERT INTO experiments (name, material, operator) VALUES (?, ?, ?)",
                                  (f"{material[:3].upper()}-{chr(65 + i)}{rng.randint(10, 99)}", material,
                                   rng.choice(OPERATORS))).lastrowid
            stiffness, offset, noise = rng.uniform(0.05, 0.6), rng.uniform(0, 2), rng.choice([0.05, 0.2, 0.8, 2.5])
            for load in rng.sample(range(5, 101, 5), rng.randint(8, 12)):
                self.db.execute("INSERT INTO trials (experiment_id, load_kg, extension_mm) VALUES (?, ?, ?)",
                                (eid, float(load), round(offset + stiffness * load + rng.gauss(0, noise), 3)))

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
        return self.rows(f"SELECT r.id, r.day, r.{metric} AS v FROM readings r JOIN stations s ON s.id = r.station_id "
                         "WHERE s.name = ? ORDER BY r.day", station)

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
    def get_dataset(self, name: str, filters: dict[str, str | int | float] | None = None, limit: int = 200,
                    offset: int = 0) -> dict:
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
        return {"name": name, "total": len(rows), "offset": offset, "rows": rows[offset:offset + limit]}

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
        rid = self.db.execute("INSERT INTO results (name, value, unit, sources) VALUES (?, ?, ?, ?)",
                              (name, float(value), unit, json.dumps(sources))).lastrowid
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
        if self.rows("SELECT 1 FROM annotations WHERE dataset = ? AND row_id = ? AND label = ?", dataset, row_id,
                     label.strip()):
            raise ValueError(f"row {row_id} of {dataset} already has the label {label.strip()!r}")
        aid = self.db.execute("INSERT INTO annotations (dataset, row_id, label, note) VALUES (?, ?, ?, ?)",
                              (dataset, row_id, label.strip(), note)).lastrowid
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
        rid = self.db.execute("INSERT INTO reports (title, body, results) VALUES (?, ?, ?)",
                              (title.strip(), body, json.dumps(names))).lastrowid
        return {"id": rid, "title": title.strip(), "results": names}

    @tool("write")
    def delete_result(self, name: str) -> dict:
        """Delete a saved result that no report references.

        Args:
            name: The result's name.
        """
        row = self.db.execute("SELECT id, name FROM results WHERE lower(name) = lower(?)", (name.strip(),)).fetchone()
        if row is None:
            raise ValueError(f"no result named {name!r}")
        for rep in self.rows("SELECT title, results FROM reports"):
            if row["name"] in json.loads(rep["results"]):
                raise ValueError(f"report {rep['title']!r} references {row['name']!r}; it cannot be deleted")
        self.db.execute("DELETE FROM results WHERE id = ?", (row["id"],))
        return {"deleted": row["name"]}

    # ---- proposers ----------------------------------------------------------------------------------

    def _station(self, rng: random.Random) -> str:
        return rng.choice(self.rows("SELECT name FROM stations"))["name"]

    def _metric(self, rng: random.Random) -> tuple[str, str]:
        metric = rng.choice(sorted(METRICS))
        label = METRICS[metric]
        if metric == "temp_c" and self._fahrenheit():
            label = "temperature"
        return metric, label

    @proposer(difficulty=1)
    def propose_reading_lookup(self, rng: random.Random) -> TaskDraft | None:
        station = self._station(rng)
        metric, label = self._metric(rng)
        row = rng.choice(self._station_series(station, metric))
        spec = {"station": station, "day": row["day"], "metric": metric}
        return TaskDraft(shape="reading_lookup",
                         instruction=self.render("reading_lookup", rng, station=station, day=row["day"], metric=label),
                         solution=Program.of(solve_reading_lookup, **spec, **self._rules()),
                         verifier=Program.of(verify_number, expected=round(self._temp(metric, row["v"]), 2),
                                             tolerance=0.06))

    @proposer(difficulty=1)
    def propose_sales_lookup(self, rng: random.Random) -> TaskDraft | None:
        row = rng.choice(self.rows("SELECT t.name AS store, x.month, x.line, x.units FROM sales x "
                                   "JOIN stores t ON t.id = x.store_id"))
        spec = {"store": row["store"], "month": row["month"], "line": row["line"]}
        return TaskDraft(shape="sales_lookup", instruction=self.render("sales_lookup", rng, **spec),
                         solution=Program.of(solve_sales_lookup, **spec),
                         verifier=Program.of(verify_number, expected=row["units"], tolerance=0))

    @proposer(difficulty=2)
    def propose_window_mean(self, rng: random.Random) -> TaskDraft | None:
        station = self._station(rng)
        metric, label = self._metric(rng)
        a = rng.randint(1, 20)
        b = a + rng.randint(4, 10)
        start, end = f"{MONTH}-{a:02d}", f"{MONTH}-{b:02d}"
        values = [r["v"] for r in self._station_series(station, metric) if start <= r["day"] <= end]
        if len(values) < 3:
            return None
        spec = {"station": station, "metric": metric, "start": start, "end": end}
        return TaskDraft(shape="window_mean",
                         instruction=self.render("window_mean", rng, **{**spec, "metric": label}),
                         solution=Program.of(solve_window_mean, **spec, **self._rules()),
                         verifier=Program.of(verify_number, expected=round(self._temp(metric, sum(values) / len(values)), 2),
                                             tolerance=0.011))

    @proposer(difficulty=2)
    def propose_stdev(self, rng: random.Random) -> TaskDraft | None:
        station = self._station(rng)
        metric, label = self._metric(rng)
        values = [self._temp(metric, r["v"]) for r in self._station_series(station, metric)]
        mean = sum(values) / len(values)
        sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))
        spec = {"station": station, "metric": metric}
        return TaskDraft(shape="stdev", instruction=self.render("stdev", rng, station=station, metric=label),
                         solution=Program.of(solve_stdev, **spec, **self._rules()),
                         verifier=Program.of(verify_number, expected=round(sd, 3), tolerance=0.0015))

    @proposer(difficulty=2)
    def propose_correlation(self, rng: random.Random) -> TaskDraft | None:
        station = self._station(rng)
        a, b = rng.sample(sorted(METRICS), 2)
        rows = self.rows("SELECT r.* FROM readings r JOIN stations s ON s.id = r.station_id WHERE s.name = ?", station)
        r = pearson([x[a] for x in rows], [x[b] for x in rows])
        spec = {"station": station, "a": a, "b": b}
        return TaskDraft(shape="correlation", instruction=self.render("correlation", rng, **spec),
                         solution=Program.of(solve_correlation, **spec),
                         verifier=Program.of(verify_number, expected=round(r, 3), tolerance=0.0015),
                         tools=("list_datasets", "describe_dataset", "get_dataset", "run_python"))

    @proposer(difficulty=2)
    def propose_conditional_revenue(self, rng: random.Random) -> TaskDraft | None:
        region = rng.choice(REGIONS)
        line = rng.choice(self.rows("SELECT DISTINCT line FROM sales"))["line"]
        rows = self.rows("SELECT x.units, x.revenue FROM sales x JOIN stores t ON t.id = x.store_id "
                         "WHERE t.region = ? AND x.line = ?", region, line)
        if not rows:
            return None
        units = sorted(r["units"] for r in rows)[rng.randint(0, len(rows) - 1)] // 10 * 10
        total = sum(r["revenue"] for r in rows if r["units"] >= units)
        if total == 0:
            return None
        spec = {"region": region, "line": line, "units": units}
        return TaskDraft(shape="conditional_revenue", instruction=self.render("conditional_revenue", rng, **spec),
                         solution=Program.of(solve_conditional_revenue, **spec),
                         verifier=Program.of(verify_number, expected=round(total, 2), tolerance=0.011))

    @proposer(difficulty=2)
    def propose_top_store(self, rng: random.Random) -> TaskDraft | None:
        line = rng.choice(self.rows("SELECT DISTINCT line FROM sales"))["line"]
        q = rng.randint(1, 4)
        months = [f"2025-{m:02d}" for m in range(3 * q - 2, 3 * q + 1)]
        totals = {}
        for r in self.rows("SELECT t.name, x.month, x.revenue FROM sales x JOIN stores t ON t.id = x.store_id "
                           "WHERE x.line = ?", line):
            if r["month"] in months:
                totals[r["name"]] = totals.get(r["name"], 0) + r["revenue"]
        ranked = sorted(totals.items(), key=lambda kv: -kv[1])
        if len(ranked) < 2 or abs(ranked[0][1] - ranked[1][1]) < 0.01:
            return None
        spec = {"line": line, "quarter": f"Q{q}"}
        return TaskDraft(shape="top_store", instruction=self.render("top_store", rng, **spec),
                         solution=Program.of(solve_top_store, **spec),
                         verifier=Program.of(verify_name, expected=ranked[0][0], candidates=sorted(totals)))

    @proposer(difficulty=3)
    def propose_save_regression(self, rng: random.Random) -> TaskDraft | None:
        exp = rng.choice(self.rows("SELECT id, name FROM experiments"))
        trials = self.rows("SELECT load_kg, extension_mm FROM trials WHERE experiment_id = ?", exp["id"])
        slope, intercept, _ = fit_line([t["load_kg"] for t in trials], [t["extension_mm"] for t in trials])
        names = rng.choice([("{e} slope", "{e} intercept"), ("slope_{e}", "intercept_{e}"),
                            ("{e} stiffness", "{e} offset")])
        spec = {"experiment": exp["name"], "slope_name": names[0].format(e=exp["name"]),
                "intercept_name": names[1].format(e=exp["name"])}
        expected = {spec["slope_name"]: round(slope, 4), spec["intercept_name"]: round(intercept, 4)}
        return TaskDraft(shape="save_regression", instruction=self.render("save_regression", rng, **spec),
                         solution=Program.of(solve_save_regression, **spec, **self._rules()),
                         verifier=Program.of(verify_workspace, results=expected, tolerance=0.0006,
                                             sources=["trials"] if self._cite() else [], annotations=[],
                                             report=None, answer=None))

    @proposer(difficulty=3)
    def propose_annotate_outliers(self, rng: random.Random) -> TaskDraft | None:
        station = self._station(rng)
        metric, label = self._metric(rng)
        k = rng.choice([1.5, 1.8, 2.0, 2.5])
        series = self._station_series(station, metric)
        values = [r["v"] for r in series]
        mean = sum(values) / len(values)
        sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))
        flagged = [r["id"] for r in series if abs(r["v"] - mean) > k * sd]
        near = [r for r in series if abs(abs(r["v"] - mean) - k * sd) < 0.05]
        if not flagged or near:
            return None
        spec = {"station": station, "metric": metric, "k": k}
        return TaskDraft(shape="annotate_outliers",
                         instruction=self.render("annotate_outliers", rng, **{**spec, "metric": label}),
                         solution=Program.of(solve_annotate_outliers, **spec),
                         verifier=Program.of(verify_workspace, results={}, tolerance=0, sources=[],
                                             annotations=[["readings", i, "outlier"] for i in flagged],
                                             report=None, answer=None))

    @proposer(difficulty=4)
    def propose_region_report(self, rng: random.Random) -> TaskDraft | None:
        region = rng.choice(REGIONS)
        stations = [r["name"] for r in self.rows("SELECT name FROM stations WHERE region = ?", region)]
        if len(stations) < 2:
            return None
        metric, label = self._metric(rng)
        a = rng.randint(1, 18)
        start, end = f"{MONTH}-{a:02d}", f"{MONTH}-{a + rng.randint(6, 12):02d}"
        means = {}
        for s in stations:
            values = [r["v"] for r in self._station_series(s, metric) if start <= r["day"] <= end]
            means[s] = round(self._temp(metric, sum(values) / len(values)), 2)
        ranked = sorted(means.values(), reverse=True)
        if ranked[0] == ranked[1]:
            return None
        top = max(means, key=means.get)
        title = f"{region} {label.split(' ')[0]} {start[5:]} to {end[5:]}"
        spec = {"region": region, "metric": metric, "start": start, "end": end, "title": title}
        return TaskDraft(shape="region_report",
                         instruction=self.render("region_report", rng, **{**spec, "metric": label}),
                         solution=Program.of(solve_region_report, **spec, **self._rules()),
                         verifier=Program.of(verify_workspace, results={f"{s} mean": v for s, v in means.items()},
                                             tolerance=0.011, sources=["readings"] if self._cite() else [],
                                             annotations=[], report={"title": title, "results": [f"{s} mean" for s in means]},
                                             answer={"expected": top, "candidates": sorted(STATION_NAMES)}))

    @proposer(difficulty=4)
    def propose_store_growth(self, rng: random.Random) -> TaskDraft | None:
        region = rng.choice(REGIONS)
        line = rng.choice(self.rows("SELECT DISTINCT line FROM sales"))["line"]
        growth = {}
        for store in self.rows("SELECT id, name FROM stores WHERE region = ?", region):
            rev = {r["month"]: r["revenue"] for r in self.rows("SELECT month, revenue FROM sales WHERE store_id = ? "
                                                                "AND line = ?", store["id"], line)}
            h1 = sum(v for m, v in rev.items() if m <= "2025-06")
            h2 = sum(v for m, v in rev.items() if m > "2025-06")
            growth[store["name"]] = (h2 - h1) / h1 * 100
        if len(growth) < 3:
            return None
        threshold = rng.choice([0, 2, 5, 8, 10, 15])
        chosen = {s: round(g, 2) for s, g in growth.items() if g > threshold}
        if not chosen or any(abs(g - threshold) < 0.05 for g in growth.values()):
            return None
        spec = {"region": region, "line": line, "threshold": threshold}
        return TaskDraft(shape="store_growth", instruction=self.render("store_growth", rng, **spec),
                         solution=Program.of(solve_store_growth, **spec, **self._rules()),
                         verifier=Program.of(verify_workspace, results={f"{s} growth": v for s, v in chosen.items()},
                                             tolerance=0.011, sources=["sales"] if self._cite() else [],
                                             annotations=[], report=None, answer={"count": len(chosen)}))

    @proposer(difficulty=5)
    def propose_forecast(self, rng: random.Random) -> TaskDraft | None:
        region = rng.choice(REGIONS)
        stores = self.rows("SELECT id, name FROM stores WHERE region = ?", region)
        if len(stores) < 3:
            return None
        forecasts, declining = {}, []
        for s in stores:
            monthly = [r["total"] for r in self.rows("SELECT SUM(revenue) AS total FROM sales WHERE store_id = ? "
                                                     "GROUP BY month ORDER BY month", s["id"])]
            slope, intercept, _ = fit_line(list(range(1, 13)), monthly)
            forecasts[s["name"]] = round(slope * 13 + intercept, 2)
            if slope < 0:
                declining.append(s["id"])
        values = sorted(forecasts.values())
        budget = float(int(values[rng.randint(0, len(values) - 2)]) // 100 * 100)
        above = sorted(s for s, v in forecasts.items() if v > budget)
        if not above or values[-1] == values[-2]:
            return None
        title = f"{region} revenue outlook {rng.randint(1, 99)}"
        spec = {"region": region, "budget": budget, "title": title}
        return TaskDraft(shape="forecast", instruction=self.render("forecast", rng, **spec),
                         solution=Program.of(solve_forecast, **spec, **self._rules()),
                         verifier=Program.of(verify_workspace, results={f"{s} forecast": v for s, v in forecasts.items()},
                                             tolerance=0.011, sources=["sales"] if self._cite() else [],
                                             annotations=[["stores", i, "declining"] for i in declining],
                                             report={"title": title, "results": [f"{s} forecast" for s in above]},
                                             answer={"expected": max(forecasts, key=forecasts.get),
                                                     "candidates": sorted(STORE_NAMES)}))

    @proposer(difficulty=5)
    def propose_calibration(self, rng: random.Random) -> TaskDraft | None:
        material = rng.choice(self.rows("SELECT DISTINCT material FROM experiments"))["material"]
        exps = self.rows("SELECT id, name FROM experiments WHERE material = ?", material)
        if len(exps) < 2:
            return None
        r2_min = rng.choice([0.95, 0.98, 0.99, 0.995])
        slopes, recheck = {}, []
        for e in exps:
            trials = self.rows("SELECT load_kg, extension_mm FROM trials WHERE experiment_id = ?", e["id"])
            slope, _, r2 = fit_line([t["load_kg"] for t in trials], [t["extension_mm"] for t in trials])
            if abs(r2 - r2_min) < 0.0005:
                return None
            if r2 < r2_min:
                recheck.append(e["id"])
            else:
                slopes[e["name"]] = round(slope, 4)
        if not slopes or len(set(slopes.values())) != len(slopes):
            return None
        title = f"{material.title()} calibration {rng.randint(1, 99)}"
        spec = {"material": material, "r2": r2_min, "title": title}
        return TaskDraft(shape="calibration", instruction=self.render("calibration", rng, **spec),
                         solution=Program.of(solve_calibration, **spec, **self._rules()),
                         verifier=Program.of(verify_workspace, results={f"{n} slope": v for n, v in slopes.items()},
                                             tolerance=0.0006, sources=["trials"] if self._cite() else [],
                                             annotations=[["experiments", i, "recheck"] for i in recheck],
                                             report={"title": title, "results": [f"{n} slope" for n in slopes]},
                                             answer={"expected": min(slopes, key=slopes.get),
                                                     "candidates": [e["name"] for e in exps]}))


# ---- solutions: tools and computation only --------------------------------------------------------

def solve_reading_lookup(tools, params):
    row = tools.get_dataset(name="readings", filters={"station": params["station"], "day": params["day"]}, limit=500)["rows"][0]
    value = row[params["metric"]]
    if params["metric"] == "temp_c" and params["fahrenheit"]:
        value = value * 9 / 5 + 32
    return round(value, 2)


def solve_sales_lookup(tools, params):
    return tools.get_dataset(name="sales", filters={"store": params["store"], "month": params["month"], "line": params["line"]}, limit=500)["rows"][0]["units"]


def solve_window_mean(tools, params):
    rows = [r for r in tools.get_dataset(name="readings", filters={"station": params["station"]}, limit=500)["rows"]
            if params["start"] <= r["day"] <= params["end"]]
    mean = sum(r[params["metric"]] for r in rows) / len(rows)
    if params["metric"] == "temp_c" and params["fahrenheit"]:
        mean = mean * 9 / 5 + 32
    return round(mean, 2)


def solve_stdev(tools, params):
    code = ("import statistics\n"
            f"v = [r[{params['metric']!r}] for r in DATA['readings'] if r['station'] == {params['station']!r}]\n"
            + ("v = [x * 9 / 5 + 32 for x in v]\n" if params["metric"] == "temp_c" and params["fahrenheit"] else "")
            + "print(round(statistics.stdev(v), 3))")
    return "%.3f" % float(tools.run_python(code=code, datasets=["readings"])["output"].strip())


def solve_correlation(tools, params):
    code = ("import statistics\n"
            f"rows = [r for r in DATA['readings'] if r['station'] == {params['station']!r}]\n"
            f"print(round(statistics.correlation([r[{params['a']!r}] for r in rows], "
            f"[r[{params['b']!r}] for r in rows]), 3))")
    return "%.3f" % float(tools.run_python(code=code, datasets=["readings"])["output"].strip())


def solve_conditional_revenue(tools, params):
    stores = {s["name"] for s in tools.get_dataset(name="stores", filters={"region": params["region"]}, limit=500)["rows"]}
    rows = [r for r in tools.get_dataset(name="sales", filters={"line": params["line"]}, limit=500)["rows"] if r["store"] in stores]
    return round(sum(r["revenue"] for r in rows if r["units"] >= params["units"]), 2)


def solve_top_store(tools, params):
    q = int(params["quarter"][1])
    months = [f"2025-{m:02d}" for m in range(3 * q - 2, 3 * q + 1)]
    totals = {}
    for r in tools.get_dataset(name="sales", filters={"line": params["line"]}, limit=500)["rows"]:
        if r["month"] in months:
            totals[r["store"]] = totals.get(r["store"], 0) + r["revenue"]
    return max(totals, key=totals.get)


def solve_save_regression(tools, params):
    def _fit(xs, ys):
        n = len(xs)
        mx, my = sum(xs) / n, sum(ys) / n
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
        ss_tot = sum((y - my) ** 2 for y in ys)
        ss_res = sum((y - my - slope * (x - mx)) ** 2 for x, y in zip(xs, ys))
        return slope, my - slope * mx, 1 - ss_res / ss_tot

    trials = tools.get_dataset(name="trials", filters={"experiment": params["experiment"]}, limit=500)["rows"]
    slope, intercept, _ = _fit([t["load_kg"] for t in trials], [t["extension_mm"] for t in trials])
    for name, value in ((params["slope_name"], slope), (params["intercept_name"], intercept)):
        tools.save_result(name=name, value=round(value, 4), unit="", sources=["trials"])
    return f"Saved slope {round(slope, 4)} and intercept {round(intercept, 4)}."


def solve_annotate_outliers(tools, params):
    rows = tools.get_dataset(name="readings", filters={"station": params["station"]}, limit=500)["rows"]
    values = [r[params["metric"]] for r in rows]
    mean = sum(values) / len(values)
    sd = (sum((v - mean) ** 2 for v in values) / (len(values) - 1)) ** 0.5
    flagged = [r["id"] for r in rows if abs(r[params["metric"]] - mean) > params["k"] * sd]
    for row_id in flagged:
        tools.annotate(dataset="readings", row_id=row_id, label="outlier")
    return f"Annotated {len(flagged)} readings."


def solve_region_report(tools, params):
    stations = [s["name"] for s in tools.get_dataset(name="stations", filters={"region": params["region"]}, limit=500)["rows"]]
    means = {}
    for s in stations:
        rows = [r for r in tools.get_dataset(name="readings", filters={"station": s}, limit=500)["rows"] if params["start"] <= r["day"] <= params["end"]]
        mean = sum(r[params["metric"]] for r in rows) / len(rows)
        if params["metric"] == "temp_c" and params["fahrenheit"]:
            mean = mean * 9 / 5 + 32
        means[s] = round(mean, 2)
        tools.save_result(name=f"{s} mean", value=means[s], sources=["readings"])
    top = max(means, key=means.get)
    tools.create_report(title=params["title"], body=f"Highest mean: {top}.",
                        result_names=[f"{s} mean" for s in stations])
    return f"The highest mean was at {top}."


def solve_store_growth(tools, params):
    stores = [s["name"] for s in tools.get_dataset(name="stores", filters={"region": params["region"]}, limit=500)["rows"]]
    count = 0
    for s in stores:
        rows = tools.get_dataset(name="sales", filters={"store": s, "line": params["line"]}, limit=500)["rows"]
        h1 = sum(r["revenue"] for r in rows if r["month"] <= "2025-06")
        h2 = sum(r["revenue"] for r in rows if r["month"] > "2025-06")
        growth = (h2 - h1) / h1 * 100
        if growth > params["threshold"]:
            tools.save_result(name=f"{s} growth", value=round(growth, 2), unit="%", sources=["sales"])
            count += 1
    return count


def solve_forecast(tools, params):
    def _fit(xs, ys):
        n = len(xs)
        mx, my = sum(xs) / n, sum(ys) / n
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
        ss_tot = sum((y - my) ** 2 for y in ys)
        ss_res = sum((y - my - slope * (x - mx)) ** 2 for x, y in zip(xs, ys))
        return slope, my - slope * mx, 1 - ss_res / ss_tot

    stores = tools.get_dataset(name="stores", filters={"region": params["region"]}, limit=500)["rows"]
    forecasts = {}
    for s in stores:
        monthly = {}
        for r in tools.get_dataset(name="sales", filters={"store": s["name"]}, limit=500)["rows"]:
            monthly[r["month"]] = monthly.get(r["month"], 0) + r["revenue"]
        ys = [monthly[m] for m in sorted(monthly)]
        slope, intercept, _ = _fit(list(range(1, 13)), ys)
        forecasts[s["name"]] = round(slope * 13 + intercept, 2)
        tools.save_result(name=f"{s['name']} forecast", value=forecasts[s["name"]], sources=["sales"])
        if slope < 0:
            tools.annotate(dataset="stores", row_id=s["id"], label="declining")
    above = [f"{s} forecast" for s, v in forecasts.items() if v > params["budget"]]
    top = max(forecasts, key=forecasts.get)
    tools.create_report(title=params["title"], body=f"Highest forecast: {top}.", result_names=above)
    return f"{top} has the highest forecast."


def solve_calibration(tools, params):
    def _fit(xs, ys):
        n = len(xs)
        mx, my = sum(xs) / n, sum(ys) / n
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
        ss_tot = sum((y - my) ** 2 for y in ys)
        ss_res = sum((y - my - slope * (x - mx)) ** 2 for x, y in zip(xs, ys))
        return slope, my - slope * mx, 1 - ss_res / ss_tot

    exps = tools.get_dataset(name="experiments", filters={"material": params["material"]}, limit=500)["rows"]
    slopes = {}
    for e in exps:
        trials = tools.get_dataset(name="trials", filters={"experiment": e["name"]}, limit=500)["rows"]
        slope, _, r2 = _fit([t["load_kg"] for t in trials], [t["extension_mm"] for t in trials])
        if r2 < params["r2"]:
            tools.annotate(dataset="experiments", row_id=e["id"], label="recheck")
        else:
            slopes[e["name"]] = round(slope, 4)
            tools.save_result(name=f"{e['name']} slope", value=slopes[e["name"]], unit="mm/kg", sources=["trials"])
    stiffest = min(slopes, key=slopes.get)
    tools.create_report(title=params["title"], body=f"Stiffest: {stiffest}.",
                        result_names=[f"{n} slope" for n in slopes])
    return f"The stiffest accepted series is {stiffest}."


# ---- verifiers: judge the outcome, accept every correct one ---------------------------------------

def verify_name(outcome, params):
    from verifiers.answers import mentions_exactly

    ok = mentions_exactly(outcome.answer, [params["expected"]], params["candidates"])
    return ok, [] if ok else [f"expected exactly {params['expected']!r}, got {outcome.answer!r}"]


def verify_workspace(outcome, params):
    """Saved results (names and values), annotations, report and answer, with nothing else written."""
    import json

    from verifiers.answers import mentions_exactly, only_number
    from verifiers.state import diff_table

    reasons = []
    added, removed, changed = diff_table(outcome.initial, outcome.db, "results")
    if removed or changed:
        reasons.append("results that existed before were changed or deleted")
    saved = {r["name"].strip().lower(): r for r in added}
    expected = {n.lower(): v for n, v in params["results"].items()}
    if set(saved) != set(expected):
        reasons.append(f"saved results {sorted(saved)} differ from the requested {sorted(expected)}")
    for name, value in expected.items():
        row = saved.get(name)
        if row is not None and abs(row["value"] - value) > params["tolerance"]:
            reasons.append(f"result {name!r} is {row['value']}, expected {value}")
        if row is not None and not set(params["sources"]) <= set(json.loads(row["sources"] or "[]")):
            reasons.append(f"result {name!r} does not cite {params['sources']}")
    a_added, a_removed, a_changed = diff_table(outcome.initial, outcome.db, "annotations")
    got = sorted([a["dataset"], a["row_id"], a["label"].lower()] for a in a_added)
    if got != sorted(params["annotations"]) or a_removed or a_changed:
        reasons.append(f"annotations {got} differ from the expected {sorted(params['annotations'])}")
    r_added, r_removed, r_changed = diff_table(outcome.initial, outcome.db, "reports")
    if params["report"] is None:
        if r_added or r_removed or r_changed:
            reasons.append("no report was asked for")
    else:
        want = sorted(n.lower() for n in params["report"]["results"])
        match = [r for r in r_added if r["title"].strip().lower() == params["report"]["title"].lower()]
        if len(r_added) != 1 or not match or sorted(n.lower() for n in json.loads(match[0]["results"])) != want:
            reasons.append(f"expected one report {params['report']['title']!r} referencing {want}")
    answer = params["answer"]
    if answer and "count" in answer and not only_number(outcome.answer, answer["count"], abs_tol=0):
        reasons.append(f"answer should state the count {answer['count']}")
    if answer and "expected" in answer and not mentions_exactly(outcome.answer, [answer["expected"]],
                                                                answer["candidates"]):
        reasons.append(f"answer should name {answer['expected']!r} and no other candidate")
    return not reasons, reasons
