"""`synth report DIR`: a self-contained HTML report of a run (inline SVG charts, no external assets)."""

from __future__ import annotations

import html
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable

from synth.dataset.loader import load_run

SAMPLES = 6


def bar_chart(title: str, counts: dict[str, float], *, unit: str = "", width: int = 560) -> str:
    """A horizontal bar chart as inline SVG."""
    if not counts:
        return f"<h3>{html.escape(title)}</h3><p>(none)</p>"
    top = max(counts.values()) or 1
    row, label_w = 22, 170
    bars = []
    for i, (label, value) in enumerate(counts.items()):
        w = (width - label_w - 70) * value / top
        y = i * row
        shown = f"{value:.1%}" if unit == "%" else f"{value:g}"
        bars.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{html.escape(str(label))}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" fill="#4c78a8"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 15}">{shown}</text>'
        )
    return (
        f"<h3>{html.escape(title)}</h3><svg width='{width}' height='{len(counts) * row}' "
        f"font-family='sans-serif' font-size='12'>{''.join(bars)}</svg>"
    )


def _rates(rows: Iterable[dict], key: str) -> dict[str, float]:
    total, passed = Counter(), Counter()
    for r in rows:
        total[r[key]] += 1
        passed[r[key]] += r["passed"]
    return {str(k): passed[k] / total[k] for k in sorted(total)}


def _trajectory_html(messages: list[dict]) -> str:
    parts = []
    for m in messages[1:]:
        if m["tool_calls"]:
            for c in m["tool_calls"]:
                parts.append(
                    f"<div class='call'>→ {html.escape(c['function']['name'])}"
                    f"({html.escape(c['function']['arguments'])})</div>"
                )
        elif m["role"] == "tool":
            text = m["content"] if len(m["content"]) < 600 else m["content"][:600] + " …"
            parts.append(f"<div class='tool'>{html.escape(text)}</div>")
        else:
            parts.append(f"<div class='{m['role']}'><b>{m['role']}:</b> {html.escape(m['content'] or '')}</div>")
    return "".join(parts)


def write_report(run: Path, out: Path | None = None) -> Path:
    dd = load_run(run)
    tasks, trajs = dd["tasks"].to_list(), dd["trajectories"].to_list()
    rejections = dd["rejections"].to_list()
    by_task = {t["task_id"]: t for t in tasks}
    enriched = [
        {**t, "template": by_task[t["task_id"]]["template"], "difficulty": by_task[t["task_id"]]["difficulty"]}
        for t in trajs
        if t["task_id"] in by_task
    ]
    calls = Counter(t["tool_calls"] for t in trajs)
    summary = json.loads((run / "summary.json").read_text()) if (run / "summary.json").exists() else {}
    category_key = "agent_category" if tasks and "agent_category" in tasks[0] else "category"

    samples, seen = [], set()
    for t in sorted(tasks, key=lambda t: (-t["difficulty"], t["task_id"])):
        if t["template"] not in seen and len(samples) < SAMPLES:
            seen.add(t["template"])
            samples.append(t)
    by_traj = defaultdict(list)
    for t in trajs:
        by_traj[t["task_id"]].append(t)
    sample_html = "".join(
        f"<details><summary>{html.escape(t['template'])} · L{t['difficulty']} · {html.escape(t['shape'])} · "
        f"{html.escape(t['task_id'])}</summary><p class='instr'>{html.escape(t['instruction'])}</p>"
        + "".join(
            f"<h4>trajectory ({html.escape(tr['agent'])}, reward {tr['reward']})</h4>"
            + _trajectory_html(tr["messages"])
            for tr in by_traj[t["task_id"]][:2]
        )
        + "</details>"
        for t in samples
    )
    figures = "".join(
        f"<tr><td>{html.escape(str(k))}</td><td>{html.escape(str(v))}</td></tr>"
        for k, v in summary.items()
        if not isinstance(v, (dict, list))
    )
    charts = [
        bar_chart(
            f"tasks by {category_key.replace('_', ' ')}", dict(sorted(Counter(t[category_key] for t in tasks).items()))
        ),
        bar_chart("tasks by family", dict(sorted(Counter(t["template"] for t in tasks).items()))),
        bar_chart(
            "tasks by difficulty", {f"L{k}": v for k, v in sorted(Counter(t["difficulty"] for t in tasks).items())}
        ),
        bar_chart("tool calls per trajectory", {str(k): v for k, v in sorted(calls.items())}),
        bar_chart("pass rate by family", _rates(enriched, "template"), unit="%"),
        bar_chart("pass rate by difficulty", _rates(enriched, "difficulty"), unit="%"),
        bar_chart("rejections by reason", dict(Counter(r["reason"] for r in rejections).most_common())),
    ]
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>synth run {html.escape(run.name)}</title>
<style>body{{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}}
table{{border-collapse:collapse}}td{{border:1px solid #ccc;padding:2px 8px}}
.call{{color:#0b5394;font-family:monospace}}.tool{{color:#666;font-family:monospace;font-size:12px;white-space:pre-wrap}}
.instr{{background:#f4f4f4;padding:6px}}details{{margin:8px 0}}</style></head><body>
<h1>synth run <code>{html.escape(run.name)}</code></h1>
<p>{len(tasks)} tasks, {len(trajs)} trajectories, {len(dd["environments"])} environments,
{len(rejections)} rejected proposals.</p>
<table>{figures}</table>
{"".join(charts)}
<h2>Sample tasks</h2>{sample_html}
</body></html>"""
    target = out or run / "report.html"
    target.write_text(page)
    return target
