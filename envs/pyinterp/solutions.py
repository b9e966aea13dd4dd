"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""


def fit(xs, ys):
    """Least-squares slope, intercept and R² of ys against xs."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    ss_tot = sum((y - my) ** 2 for y in ys)
    ss_res = sum((y - my - slope * (x - mx)) ** 2 for x, y in zip(xs, ys))
    return slope, my - slope * mx, 1 - ss_res / ss_tot if ss_tot else 1.0


def in_units(value, params):
    """A reading in the units answers use: Fahrenheit for temperatures when the workspace says so."""
    return value * 9 / 5 + 32 if params["metric"] == "temp_c" and params["fahrenheit"] else value


def dataset(tools, name, **filters):
    return tools.get_dataset(name=name, filters=filters, limit=500)["rows"]


def solve_reading_lookup(tools, params):
    row = dataset(tools, "readings", station=params["station"], day=params["day"])[0]
    return round(in_units(row[params["metric"]], params), 2)


def solve_sales_lookup(tools, params):
    return dataset(tools, "sales", store=params["store"], month=params["month"], line=params["line"])[0]["units"]


def solve_window_mean(tools, params):
    rows = [
        r for r in dataset(tools, "readings", station=params["station"]) if params["start"] <= r["day"] <= params["end"]
    ]
    return round(in_units(sum(r[params["metric"]] for r in rows) / len(rows), params), 2)


def solve_stdev(tools, params):
    code = (
        "import statistics\n"
        f"v = [r[{params['metric']!r}] for r in DATA['readings'] if r['station'] == {params['station']!r}]\n"
        + ("v = [x * 9 / 5 + 32 for x in v]\n" if params["metric"] == "temp_c" and params["fahrenheit"] else "")
        + "print(round(statistics.stdev(v), 2))"
    )
    return float(tools.run_python(code=code, datasets=["readings"])["output"].strip())


def solve_correlation(tools, params):
    code = (
        "import statistics\n"
        f"rows = [r for r in DATA['readings'] if r['station'] == {params['station']!r}]\n"
        f"print(round(statistics.correlation([r[{params['a']!r}] for r in rows], "
        f"[r[{params['b']!r}] for r in rows]), 2))"
    )
    return float(tools.run_python(code=code, datasets=["readings"])["output"].strip())


def solve_conditional_revenue(tools, params):
    stores = {s["name"] for s in dataset(tools, "stores", region=params["region"])}
    rows = [r for r in dataset(tools, "sales", line=params["line"]) if r["store"] in stores]
    return round(sum(r["revenue"] for r in rows if r["units"] >= params["units"]), 2)


def solve_top_store(tools, params):
    q = int(params["quarter"][1])
    months = [f"2025-{m:02d}" for m in range(3 * q - 2, 3 * q + 1)]
    totals = {}
    for r in dataset(tools, "sales", line=params["line"]):
        if r["month"] in months:
            totals[r["store"]] = totals.get(r["store"], 0) + r["revenue"]
    return max(totals, key=totals.get)


def solve_save_regression(tools, params):
    trials = dataset(tools, "trials", experiment=params["experiment"])
    slope, intercept, _ = fit([t["load_kg"] for t in trials], [t["extension_mm"] for t in trials])
    for name, value in ((params["slope_name"], slope), (params["intercept_name"], intercept)):
        tools.save_result(name=name, value=round(value, 4), unit="", sources=["trials"])
    return f"Saved slope {round(slope, 4)} and intercept {round(intercept, 4)}."


def solve_annotate_outliers(tools, params):
    rows = dataset(tools, "readings", station=params["station"])
    values = [r[params["metric"]] for r in rows]
    mean = sum(values) / len(values)
    sd = (sum((v - mean) ** 2 for v in values) / (len(values) - 1)) ** 0.5
    flagged = [r["id"] for r in rows if abs(r[params["metric"]] - mean) > params["k"] * sd]
    for row_id in flagged:
        tools.annotate(dataset="readings", row_id=row_id, label="outlier")
    return f"Annotated {len(flagged)} readings."


def solve_region_report(tools, params):
    stations = [s["name"] for s in dataset(tools, "stations", region=params["region"])]
    means = {}
    for s in stations:
        rows = [r for r in dataset(tools, "readings", station=s) if params["start"] <= r["day"] <= params["end"]]
        means[s] = round(in_units(sum(r[params["metric"]] for r in rows) / len(rows), params), 2)
        tools.save_result(name=f"{s} mean", value=means[s], sources=["readings"])
    top = max(means, key=means.get)
    tools.create_report(
        title=params["title"], body=f"Highest mean: {top}.", result_names=[f"{s} mean" for s in stations]
    )
    return top


def solve_store_growth(tools, params):
    grown = []
    for s in dataset(tools, "stores", region=params["region"]):
        rows = dataset(tools, "sales", store=s["name"], line=params["line"])
        h1 = sum(r["revenue"] for r in rows if r["month"] <= "2025-06")
        h2 = sum(r["revenue"] for r in rows if r["month"] > "2025-06")
        growth = (h2 - h1) / h1 * 100
        if growth > params["threshold"]:
            tools.save_result(name=f"{s['name']} growth", value=round(growth, 2), unit="%", sources=["sales"])
            grown.append(s["name"])
    return grown


def solve_forecast(tools, params):
    forecasts = {}
    for s in dataset(tools, "stores", region=params["region"]):
        monthly = {}
        for r in dataset(tools, "sales", store=s["name"]):
            monthly[r["month"]] = monthly.get(r["month"], 0) + r["revenue"]
        slope, intercept, _ = fit(list(range(1, 13)), [monthly[m] for m in sorted(monthly)])
        forecasts[s["name"]] = round(slope * 13 + intercept, 2)
        tools.save_result(name=f"{s['name']} forecast", value=forecasts[s["name"]], sources=["sales"])
        if slope < 0:
            tools.annotate(dataset="stores", row_id=s["id"], label="declining")
    top = max(forecasts, key=forecasts.get)
    tools.create_report(
        title=params["title"],
        body=f"Highest forecast: {top}.",
        result_names=[f"{s} forecast" for s, v in forecasts.items() if v > params["budget"]],
    )
    return top


def solve_calibration(tools, params):
    slopes = {}
    for e in dataset(tools, "experiments", material=params["material"]):
        trials = dataset(tools, "trials", experiment=e["name"])
        slope, _, r2 = fit([t["load_kg"] for t in trials], [t["extension_mm"] for t in trials])
        if r2 < params["r2"]:
            tools.annotate(dataset="experiments", row_id=e["id"], label="recheck")
        else:
            slopes[e["name"]] = round(slope, 4)
            tools.save_result(name=f"{e['name']} slope", value=slopes[e["name"]], unit="mm/kg", sources=["trials"])
    stiffest = min(slopes, key=slopes.get)
    tools.create_report(
        title=params["title"], body=f"Stiffest: {stiffest}.", result_names=[f"{n} slope" for n in slopes]
    )
    return stiffest
