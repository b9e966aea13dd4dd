"""The dataset card (README.md with YAML metadata) written beside a run's data."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyarrow as pa

from synth.dataset.summary import RunSummary


def _size_category(n: int) -> str:
    for limit, label in [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")]:
        if n < limit:
            return label
    return "n>1M"


def write_card(out: Path, summary: RunSummary, tables: dict[str, pa.Table]) -> None:
    splits = "\n".join(f"  - name: {name}\n    num_examples: {t.num_rows}" for name, t in tables.items())
    schemas = "\n\n".join(
        f"### `{name}`\n\n| column | type |\n|---|---|\n" + "\n".join(f"| `{f.name}` | `{f.type}` |" for f in t.schema)
        for name, t in tables.items()
    )
    templates = "\n".join(f"| {k} | {v} |" for k, v in summary.by_template.items())
    categories = "\n".join(f"| {k} | {v} |" for k, v in summary.by_category.items())
    calls = Counter(tables["trajectories"].column("tool_calls").to_pylist())
    call_lengths = "\n".join(f"| {k} | {v} |" for k, v in sorted(calls.items()))
    levels = "\n".join(f"| {k} | {v} |" for k, v in summary.by_difficulty.items())
    reasons = "\n".join(f"| {k} | {v} |" for k, v in summary.rejections.items()) or "| (none) | 0 |"
    text = f"""---
pretty_name: synth run ({out.name})
license: apache-2.0
task_categories:
- text-generation
tags:
- agents
- tool-use
- reinforcement-learning
- synthetic
size_categories:
- {_size_category(summary.tasks_accepted)}
dataset_info:
  splits:
{splits}
---

# synth run `{out.name}`

Verified tool-use tasks synthesized by `synth generate` (seed {summary.seed}). Every task in `tasks` passed
validation: its solution passes its verifier, the no-op run fails it, and at least one mutated solution fails it.

| figure | value |
|---|---|
| environments | {summary.envs_ok} ok, {summary.envs_failed} failed |
| tasks proposed | {summary.tasks_proposed} |
| tasks accepted | {summary.tasks_accepted} |
| tasks rejected | {summary.tasks_rejected} |
| trajectories | {summary.trajectories} (pass rate {summary.pass_rate:.1%}) |
| duplicates removed | {summary.duplicates_removed} |
| distinct task shapes | {summary.distinct_shapes} |
| distinct tools per task | {summary.distinct_tools_per_task} |
| tool calls per task (reference) | {summary.tool_calls_per_task} |
| wall time | {summary.wall_s} s |

## Tasks by agent category

| category | tasks |
|---|---|
{categories}

## Tasks by template

| template | tasks |
|---|---|
{templates}

## Tasks by difficulty

| difficulty | tasks |
|---|---|
{levels}

## Tool calls per trajectory

| tool calls | trajectories |
|---|---|
{call_lengths}

## Rejections by reason

| reason | count |
|---|---|
{reasons}

## Loading

```python
import datasets
dd = datasets.load_from_disk("{out}")
dd["tasks"], dd["trajectories"], dd["environments"], dd["rejections"]
```

`synth.dataset.loader.TaskEnvironment(row)` rebuilds a stored task's environment in a sandbox and grades any
trajectory with the stored verifier.

## Schema

{schemas}
"""
    (out / "README.md").write_text(text)
