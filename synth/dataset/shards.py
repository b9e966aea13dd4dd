"""Per-environment shards, written atomically as results stream in; a killed run resumes from them."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.ipc as ipc

from synth.dataset.schema import SPLITS

SHARDS = "_shards"
CONFIG_FILE = "config.json"


class RunDirError(RuntimeError):
    pass


def _write_table(path: Path, table: pa.Table) -> None:
    with pa.OSFile(str(path), "wb") as sink, ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def read_table(path: Path) -> pa.Table:
    with pa.memory_map(str(path)) as source:
        return ipc.open_file(source).read_all()


class ShardStore:
    def __init__(self, out: Path, fingerprint: str, config: dict, *, force: bool = False):
        self.out, self.root = out, out / SHARDS
        if force and out.exists():
            if not ((out / "dataset_dict.json").exists() or self.root.is_dir()):
                raise RunDirError(f"{out} is not a synth run; refusing to delete it, choose another --out")
            shutil.rmtree(out)
        if (out / "dataset_dict.json").exists():
            raise RunDirError(f"{out} already holds a finished run; choose another --out or pass --force to replace it")
        if out.exists() and any(out.iterdir()) and not self.root.is_dir():
            raise RunDirError(f"{out} exists and is not a synth run; choose another --out or pass --force")
        self.root.mkdir(parents=True, exist_ok=True)
        marker = self.root / CONFIG_FILE
        if marker.exists():
            stored = json.loads(marker.read_text())
            if stored["fingerprint"] != fingerprint:
                raise RunDirError(f"{out} holds an unfinished run with a different configuration; rerun with the same "
                                  f"options to resume it, or pass --force to start over")
        else:
            tmp = marker.with_suffix(".tmp")
            tmp.write_text(json.dumps({"fingerprint": fingerprint, "config": config}, indent=2, default=str))
            os.replace(tmp, marker)

    def _dir(self, index: int) -> Path:
        return self.root / f"{index:06d}"

    def done(self, index: int) -> bool:
        return self._dir(index).is_dir()

    def write(self, index: int, splits: dict[str, list[dict]]) -> None:
        """All splits of one unit land together or not at all (temp folder + rename)."""
        tmp = self.root / f".tmp-{index:06d}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        for name, schema in SPLITS.items():
            _write_table(tmp / f"{name}.arrow", pa.Table.from_pylist(splits.get(name, []), schema=schema))
        os.replace(tmp, self._dir(index))

    def tables(self) -> dict[str, pa.Table]:
        dirs = sorted(p for p in self.root.iterdir() if p.is_dir() and not p.name.startswith("."))
        return {name: pa.concat_tables([read_table(d / f"{name}.arrow") for d in dirs] or
                                       [schema.empty_table()])
                for name, schema in SPLITS.items()}

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
