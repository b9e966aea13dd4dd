"""Turning a run's shards into the final Hugging Face dataset on disk."""

from __future__ import annotations

import shutil
from pathlib import Path

import datasets
import pyarrow as pa
from datasets.table import InMemoryTable

ROWS_PER_SHARD = 50_000


def save_dataset(out: Path, tables: dict[str, pa.Table]) -> datasets.DatasetDict:
    datasets.disable_progress_bars()
    dd = datasets.DatasetDict({name: datasets.Dataset(InMemoryTable(table)) for name, table in tables.items()})
    # An empty split still needs one shard, or load_from_disk cannot read it back.
    shards = {name: max(1, -(-table.num_rows // ROWS_PER_SHARD)) for name, table in tables.items()}
    dd.save_to_disk(str(out), num_shards=shards)
    return dd


def write_templates(out: Path, folders: list[Path], folder_name: str) -> None:
    """Copy the template folders a run used into it, so that its rows re-grade without this checkout."""
    target = out / folder_name
    for folder in folders:
        shutil.copytree(
            folder, target / folder.name, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
