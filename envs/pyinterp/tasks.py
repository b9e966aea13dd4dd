"""Task proposers, from single lookups (level 1) to forecasts and calibration reviews (level 5)."""

from __future__ import annotations

import datetime as dt
import json
import math
import random

from synth.env import Answer, Effects, Program, TaskDraft, inserts, proposer

from .checks import check_sources
from .solutions import (
    solve_annotate_outliers,
    solve_calibration,
    solve_conditional_revenue,
    solve_correlation,
    solve_forecast,
    solve_reading_lookup,
    solve_region_report,
    solve_sales_lookup,
    solve_save_regression,
    solve_stdev,
    solve_store_growth,
    solve_top_store,
    solve_window_mean,
)
from .world import METRICS, MONTH, REGIONS, fit_line, near_tie, pearson


class PyInterpTasks:
    def _station(self, rng: random.Random) -> str:
        return rng.choice(self.column("SELECT name FROM stations ORDER BY id"))

    def _line(self, rng: random.Random) -> str:
        return rng.choice(self.column("SELECT DISTINCT line FROM sales ORDER BY line"))

    def _metric(self, rng: random.Random) -> tuple[str, str]:
        metric = rng.choice(sorted(METRICS))
        label = METRICS[metric]
        if metric == "temp_c" and self._fahrenheit():
            label = "temperature"
        return metric, label

    def _saved(self, values: dict[str, float], dataset: str, **more) -> tuple[Effects, Program | None]:
        """Effects of saving exactly `values` (name -> rounded value), plus `more` tables; under the cite_sources
        rule a check that each result cites `dataset`."""
        effects = Effects.on(results=inserts(rows=[{"name": n, "value": v} for n, v in values.items()]), **more)
        return effects, Program.of(check_sources, sources=[dataset]) if self._cite() else None

    @staticmethod
    def _report(title: str, names: list[str]):
        return inserts(rows=[{"title": title, "results": json.dumps(sorted(names))}])

    # ---- proposers: lookups -------------------------------------------------------------------------

    @proposer(difficulty=1)
    def propose_reading_lookup(self, rng: random.Random) -> TaskDraft | None:
        station = self._station(rng)
        metric, label = self._metric(rng)
        row = rng.choice(self._station_series(station, metric))
        spec = {"station": station, "day": row["day"], "metric": metric}
        return TaskDraft(
            shape="reading_lookup",
            instruction=self.render("reading_lookup", rng, station=station, day=row["day"], metric=label),
            solution=Program.of(solve_reading_lookup, **spec, **self._rules()),
            answer=Answer.number(round(self._temp(metric, row["v"]), 2)),
        )

    @proposer(difficulty=1)
    def propose_sales_lookup(self, rng: random.Random) -> TaskDraft | None:
        row = rng.choice(
            self.rows(
                "SELECT t.name AS store, x.month, x.line, x.units FROM sales x "
                "JOIN stores t ON t.id = x.store_id ORDER BY x.id"
            )
        )
        spec = {"store": row["store"], "month": row["month"], "line": row["line"]}
        month_name = dt.date.fromisoformat(row["month"] + "-01").strftime("%B %Y")
        return TaskDraft(
            shape="sales_lookup",
            instruction=self.render("sales_lookup", rng, **spec, month_name=month_name),
            solution=Program.of(solve_sales_lookup, **spec),
            answer=Answer.integer(row["units"]),
        )

    # ---- proposers: statistics ----------------------------------------------------------------------

    @proposer(difficulty=2, attempts=2)
    def propose_window_mean(self, rng: random.Random) -> TaskDraft | None:
        station = self._station(rng)
        metric, label = self._metric(rng)
        a = rng.randint(1, 20)
        b = a + rng.randint(4, 10)
        start, end = f"{MONTH}-{a:02d}", f"{MONTH}-{b:02d}"
        values = [r["v"] for r in self._station_series(station, metric) if start <= r["day"] <= end]
        if len(values) < 3:
            return None
        mean = self._temp(metric, sum(values) / len(values))
        if near_tie(mean, 2):
            return None
        spec = {"station": station, "metric": metric, "start": start, "end": end}
        return TaskDraft(
            shape="window_mean",
            instruction=self.render("window_mean", rng, **{**spec, "metric": label}),
            solution=Program.of(solve_window_mean, **spec, **self._rules()),
            answer=Answer.number(round(mean, 2)),
        )

    @proposer(difficulty=2, attempts=2)
    def propose_stdev(self, rng: random.Random) -> TaskDraft | None:
        station = self._station(rng)
        metric, label = self._metric(rng)
        values = [self._temp(metric, r["v"]) for r in self._station_series(station, metric)]
        mean = sum(values) / len(values)
        sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))
        if near_tie(sd, 2):
            return None
        spec = {"station": station, "metric": metric}
        return TaskDraft(
            shape="stdev",
            instruction=self.render("stdev", rng, station=station, metric=label),
            solution=Program.of(solve_stdev, **spec, **self._rules()),
            answer=Answer.number(round(sd, 2)),
        )

    @proposer(difficulty=2, attempts=2)
    def propose_correlation(self, rng: random.Random) -> TaskDraft | None:
        station = self._station(rng)
        a, b = rng.sample(sorted(METRICS), 2)
        rows = self.rows(
            "SELECT r.* FROM readings r JOIN stations s ON s.id = r.station_id WHERE s.name = ? ORDER BY r.id", station
        )
        r = pearson([x[a] for x in rows], [x[b] for x in rows])
        if near_tie(r, 2):
            return None
        spec = {"station": station, "a": a, "b": b}
        return TaskDraft(
            shape="correlation",
            instruction=self.render("correlation", rng, **spec),
            solution=Program.of(solve_correlation, **spec),
            answer=Answer.number(round(r, 2)),
            tools=self.available_tools("list_datasets", "describe_dataset", "get_dataset", "run_python"),
        )

    @proposer(difficulty=2)
    def propose_conditional_revenue(self, rng: random.Random) -> TaskDraft | None:
        region = rng.choice(REGIONS)
        line = self._line(rng)
        rows = self.rows(
            "SELECT x.units, x.revenue FROM sales x JOIN stores t ON t.id = x.store_id "
            "WHERE t.region = ? AND x.line = ? ORDER BY x.id",
            region,
            line,
        )
        if not rows:
            return None
        units = sorted(r["units"] for r in rows)[rng.randint(0, len(rows) - 1)] // 10 * 10
        total = sum(r["revenue"] for r in rows if r["units"] >= units)
        if total == 0:
            return None
        spec = {"region": region, "line": line, "units": units}
        return TaskDraft(
            shape="conditional_revenue",
            instruction=self.render("conditional_revenue", rng, **spec),
            solution=Program.of(solve_conditional_revenue, **spec),
            answer=Answer.number(round(total, 2)),
        )

    @proposer(difficulty=2, attempts=2)
    def propose_top_store(self, rng: random.Random) -> TaskDraft | None:
        line = self._line(rng)
        q = rng.randint(1, 4)
        months = [f"2025-{m:02d}" for m in range(3 * q - 2, 3 * q + 1)]
        totals = {}
        for r in self.rows(
            "SELECT t.name, x.month, x.revenue FROM sales x JOIN stores t ON t.id = x.store_id "
            "WHERE x.line = ? ORDER BY x.id",
            line,
        ):
            if r["month"] in months:
                totals[r["name"]] = totals.get(r["name"], 0) + r["revenue"]
        ranked = sorted(totals.items(), key=lambda kv: -kv[1])
        if len(ranked) < 2 or abs(ranked[0][1] - ranked[1][1]) < 0.01:
            return None
        spec = {"line": line, "quarter": f"Q{q}"}
        return TaskDraft(
            shape="top_store",
            instruction=self.render("top_store", rng, **spec),
            solution=Program.of(solve_top_store, **spec),
            answer=Answer.entity(ranked[0][0], candidates=self.column("SELECT name FROM stores")),
        )

    # ---- proposers: saved results and annotations ---------------------------------------------------

    @proposer(difficulty=3, attempts=2)
    def propose_save_regression(self, rng: random.Random) -> TaskDraft | None:
        exp = rng.choice(self.rows("SELECT id, name FROM experiments ORDER BY id"))
        trials = self.rows("SELECT load_kg, extension_mm FROM trials WHERE experiment_id = ? ORDER BY id", exp["id"])
        slope, intercept, _ = fit_line([t["load_kg"] for t in trials], [t["extension_mm"] for t in trials])
        if near_tie(slope, 4) or near_tie(intercept, 4):
            return None
        names = rng.choice(
            [("{e} slope", "{e} intercept"), ("slope_{e}", "intercept_{e}"), ("{e} stiffness", "{e} offset")]
        )
        spec = {
            "experiment": exp["name"],
            "slope_name": names[0].format(e=exp["name"]),
            "intercept_name": names[1].format(e=exp["name"]),
        }
        effects, check = self._saved(
            {spec["slope_name"]: round(slope, 4), spec["intercept_name"]: round(intercept, 4)}, "trials"
        )
        return TaskDraft(
            shape="save_regression",
            instruction=self.render("save_regression", rng, **spec),
            solution=Program.of(solve_save_regression, **spec),
            answer=Answer.none(),
            effects=effects,
            check=check,
        )

    @proposer(difficulty=3, attempts=2)
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
        return TaskDraft(
            shape="annotate_outliers",
            instruction=self.render("annotate_outliers", rng, **{**spec, "metric": label}),
            solution=Program.of(solve_annotate_outliers, **spec),
            answer=Answer.none(),
            effects=Effects.on(
                annotations=inserts(rows=[{"dataset": "readings", "row_id": i, "label": "outlier"} for i in flagged])
            ),
        )

    # ---- proposers: multi-step analyses -------------------------------------------------------------

    @proposer(difficulty=4, attempts=2)
    def propose_region_report(self, rng: random.Random) -> TaskDraft | None:
        region = rng.choice(REGIONS)
        stations = self.column("SELECT name FROM stations WHERE region = ? ORDER BY id", region)
        if len(stations) < 2:
            return None
        metric, label = self._metric(rng)
        a = rng.randint(1, 18)
        start, end = f"{MONTH}-{a:02d}", f"{MONTH}-{a + rng.randint(6, 12):02d}"
        means = {}
        for s in stations:
            values = [r["v"] for r in self._station_series(s, metric) if start <= r["day"] <= end]
            mean = self._temp(metric, sum(values) / len(values))
            if near_tie(mean, 2):
                return None
            means[s] = round(mean, 2)
        ranked = sorted(means.values(), reverse=True)
        if ranked[0] == ranked[1]:
            return None
        top = max(means, key=means.get)
        title = f"{region} {label.split(' ')[0]} {start[5:]} to {end[5:]}"
        spec = {"region": region, "metric": metric, "start": start, "end": end, "title": title}
        effects, check = self._saved(
            {f"{s} mean": v for s, v in means.items()},
            "readings",
            reports=self._report(title, [f"{s} mean" for s in means]),
        )
        return TaskDraft(
            shape="region_report",
            instruction=self.render("region_report", rng, **{**spec, "metric": label}),
            solution=Program.of(solve_region_report, **spec, **self._rules()),
            answer=Answer.entity(top, candidates=self.column("SELECT name FROM stations")),
            effects=effects,
            check=check,
        )

    @proposer(difficulty=4, attempts=2)
    def propose_store_growth(self, rng: random.Random) -> TaskDraft | None:
        region = rng.choice(REGIONS)
        line = self._line(rng)
        growth = {}
        for store in self.rows("SELECT id, name FROM stores WHERE region = ? ORDER BY id", region):
            rev = {
                r["month"]: r["revenue"]
                for r in self.rows(
                    "SELECT month, revenue FROM sales WHERE store_id = ? AND line = ?", store["id"], line
                )
            }
            h1 = sum(v for m, v in rev.items() if m <= "2025-06")
            h2 = sum(v for m, v in rev.items() if m > "2025-06")
            growth[store["name"]] = (h2 - h1) / h1 * 100
        if len(growth) < 3:
            return None
        threshold = rng.choice([0, 2, 5, 8, 10, 15])
        chosen = {s: g for s, g in growth.items() if g > threshold}
        if (
            not chosen
            or any(abs(g - threshold) < 0.05 for g in growth.values())
            or any(near_tie(g, 2) for g in chosen.values())
        ):
            return None
        if 1 + len(growth) + len(chosen) < 6:
            return None  # a multi-step plan: one read per store and one save per result
        spec = {"region": region, "line": line, "threshold": threshold}
        effects, check = self._saved({f"{s} growth": round(g, 2) for s, g in chosen.items()}, "sales")
        return TaskDraft(
            shape="store_growth",
            instruction=self.render("store_growth", rng, **spec),
            solution=Program.of(solve_store_growth, **spec),
            answer=Answer.entities(sorted(chosen), candidates=self.column("SELECT name FROM stores")),
            effects=effects,
            check=check,
        )

    @proposer(difficulty=5, attempts=2)
    def propose_forecast(self, rng: random.Random) -> TaskDraft | None:
        region = rng.choice(REGIONS)
        stores = self.rows("SELECT id, name FROM stores WHERE region = ? ORDER BY id", region)
        if len(stores) < 3:
            return None
        forecasts, declining = {}, []
        for s in stores:
            monthly = self.column(
                "SELECT SUM(revenue) FROM sales WHERE store_id = ? GROUP BY month ORDER BY month", s["id"]
            )
            slope, intercept, _ = fit_line(list(range(1, 13)), monthly)
            if near_tie(slope * 13 + intercept, 2) or abs(slope) < 1e-6:
                return None
            forecasts[s["name"]] = round(slope * 13 + intercept, 2)
            if slope < 0:
                declining.append(s["id"])
        values = sorted(forecasts.values())
        budget = float(int(values[rng.randint(0, len(values) - 2)]) // 100 * 100)
        above = sorted(s for s, v in forecasts.items() if v > budget)
        if not above or values[-1] == values[-2] or any(abs(v - budget) < 0.01 for v in values):
            return None
        title = f"{region} revenue outlook {rng.randint(1, 99)}"
        spec = {"region": region, "budget": budget, "title": title}
        effects, check = self._saved(
            {f"{s} forecast": v for s, v in forecasts.items()},
            "sales",
            annotations=inserts(rows=[{"dataset": "stores", "row_id": i, "label": "declining"} for i in declining]),
            reports=self._report(title, [f"{s} forecast" for s in above]),
        )
        return TaskDraft(
            shape="forecast",
            instruction=self.render("forecast", rng, **spec),
            solution=Program.of(solve_forecast, **spec),
            answer=Answer.entity(max(forecasts, key=forecasts.get), candidates=self.column("SELECT name FROM stores")),
            effects=effects,
            check=check,
        )

    @proposer(difficulty=5, attempts=2)
    def propose_calibration(self, rng: random.Random) -> TaskDraft | None:
        material = rng.choice(self.column("SELECT DISTINCT material FROM experiments ORDER BY material"))
        exps = self.rows("SELECT id, name FROM experiments WHERE material = ? ORDER BY id", material)
        if len(exps) < 2:
            return None
        r2_min = rng.choice([0.95, 0.98, 0.99, 0.995])
        slopes, recheck = {}, []
        for e in exps:
            trials = self.rows("SELECT load_kg, extension_mm FROM trials WHERE experiment_id = ? ORDER BY id", e["id"])
            slope, _, r2 = fit_line([t["load_kg"] for t in trials], [t["extension_mm"] for t in trials])
            if abs(r2 - r2_min) < 0.0005 or near_tie(slope, 4):
                return None
            if r2 < r2_min:
                recheck.append(e["id"])
            else:
                slopes[e["name"]] = round(slope, 4)
        if not slopes or len(set(slopes.values())) != len(slopes):
            return None
        title = f"{material.title()} calibration {rng.randint(1, 99)}"
        spec = {"material": material, "r2": r2_min, "title": title}
        effects, check = self._saved(
            {f"{n} slope": v for n, v in slopes.items()},
            "trials",
            annotations=inserts(rows=[{"dataset": "experiments", "row_id": i, "label": "recheck"} for i in recheck]),
            reports=self._report(title, [f"{n} slope" for n in slopes]),
        )
        return TaskDraft(
            shape="calibration",
            instruction=self.render("calibration", rng, **spec),
            solution=Program.of(solve_calibration, **spec),
            answer=Answer.entity(min(slopes, key=slopes.get), candidates=self.column("SELECT name FROM experiments")),
            effects=effects,
            check=check,
        )
