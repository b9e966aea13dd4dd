"""Per-environment shards, committed atomically as results stream in; a killed run resumes from them.

Layout of an unfinished run:

    OUT/_shards/config.json      the run's configuration, its content fingerprint and a hash of its plan
    OUT/_shards/manifest.json    the completed units: env id, row counts and a SHA-256 per file
    OUT/_shards/000042/          one unit's splits (Arrow IPC) and unit.json, its own manifest entry
    OUT/_shards/lock             held by the one driver writing this run

A unit is written into a temporary folder, synced, then renamed into place: it is there whole or not at all.
The manifest is rewritten (temp file + rename) after each commit; on opening, every unit folder is checked
against its recorded hashes and anything partial or corrupt is dropped and done again.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Literal

import pyarrow as pa
import pyarrow.ipc as ipc
from pydantic import BaseModel

from synth.dataset.schema import SPLITS
from synth.ids import digest

SHARDS = "_shards"
CONFIG_FILE = "config.json"
MANIFEST_FILE = "manifest.json"
UNIT_FILE = "unit.json"
LOCK_FILE = "lock"
DONE_PREFIX = ".shards-done-"
RUN_FILE = "run.json"  # a finished run's config.json
FINAL_OUTPUTS = ("dataset_dict.json", "README.md", "summary.json", "grader", "templates", RUN_FILE, *SPLITS)

RunState = Literal["absent", "finished", "unfinished", "foreign"]


class RunDirError(RuntimeError):
    pass


class UnitRecord(BaseModel):
    index: int
    env_id: str | None
    rows: dict[str, int]
    sha256: dict[str, str]


class Manifest(BaseModel):
    fingerprint: str
    units: dict[int, UnitRecord] = {}


def run_state(out: Path) -> RunState:
    """What `out` holds: nothing, a finished run, an unfinished one, or something that is not a synth run."""
    if not out.exists() or not any(out.iterdir()):
        return "absent"
    if (out / SHARDS).is_dir():
        return "unfinished"
    if (out / "dataset_dict.json").exists():
        return "finished"
    return "foreign"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_json(path: Path, value) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(value, indent=1, default=str))
    _fsync(tmp)
    os.replace(tmp, path)


def _write_table(path: Path, table: pa.Table) -> None:
    with pa.OSFile(str(path), "wb") as sink, ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def read_table(path: Path) -> pa.Table:
    with pa.memory_map(str(path)) as source:
        return ipc.open_file(source).read_all()


def _differences(stored: dict, now: dict) -> str:
    keys = sorted(k for k in set(stored) & set(now) if stored[k] != now[k] and k != "out")
    return ", ".join(f"{k}: {stored[k]!r} then, {now[k]!r} now" for k in keys)


class ShardStore:
    def __init__(
        self,
        out: Path,
        fingerprint: str,
        config: dict,
        *,
        force: bool = False,
        resume: bool = False,
        plan: list[str] | None = None,
    ):
        self.out, self.root = out, out / SHARDS
        self._lock_fd: int | None = None
        state = run_state(out)
        if state == "foreign":
            raise RunDirError(
                f"{out} exists and is not a synth run; choose another --out" + ("" if force else " or pass --force")
            )
        if force and state != "absent":
            if (self.root / LOCK_FILE).exists():
                self._lock()  # never delete a run another driver is writing
                self.close()
            shutil.rmtree(out)
        elif state == "finished":
            raise RunDirError(f"{out} already holds a finished run; choose another --out or pass --force to replace it")
        elif resume and state != "unfinished":
            raise RunDirError(f"nothing to resume in {out}: it holds no unfinished run; drop --resume to start one")
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock()
        self._check_config(fingerprint, config, plan)
        self.manifest = self._recover(fingerprint)

    def _lock(self) -> None:
        # POSIX record locks: released by the kernel when the holder dies, so a killed run can be resumed.
        fd = os.open(self.root / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise RunDirError(
                f"{self.out} is being written by another synth run right now (pid {holder}); "
                f"wait for it to finish or choose another --out"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._lock_fd = fd

    def _check_config(self, fingerprint: str, config: dict, plan: list[str] | None) -> None:
        marker = self.root / CONFIG_FILE
        plan_hash = digest(plan) if plan is not None else None
        if not marker.exists():
            _write_json(
                marker,
                {
                    "fingerprint": fingerprint,
                    "config": config,
                    "plan": plan_hash,
                    "units": None if plan is None else len(plan),
                },
            )
            return
        stored = json.loads(marker.read_text())
        if stored["fingerprint"] != fingerprint:
            diff = _differences(stored.get("config") or {}, config)
            raise RunDirError(
                f"{self.out} holds an unfinished run with a different configuration"
                + (f" ({diff})" if diff else "")
                + "; rerun with the same options to resume it, "
                "or pass --force to start over"
            )
        if plan_hash and stored.get("plan") and stored["plan"] != plan_hash:
            raise RunDirError(
                f"{self.out} holds an unfinished run that planned other environments (a template "
                f"was added, removed or changed version since); pass --force to start over"
            )

    def _recover(self, fingerprint: str) -> Manifest:
        """The manifest, reconciled with the unit folders on disk: only whole, intact units count as done."""
        for leftover in self.root.glob(".tmp-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        manifest = Manifest(fingerprint=fingerprint)
        for folder in sorted(p for p in self.root.iterdir() if p.is_dir() and p.name.isdigit()):
            record = self._verified(folder)
            if record is None:
                shutil.rmtree(folder)
            else:
                manifest.units[record.index] = record
        _write_json(self.root / MANIFEST_FILE, manifest.model_dump(mode="json"))
        return manifest

    def _verified(self, folder: Path) -> UnitRecord | None:
        try:
            record = UnitRecord.model_validate_json((folder / UNIT_FILE).read_text())
            intact = record.index == int(folder.name) and all(
                _sha256(folder / name) == sha for name, sha in record.sha256.items()
            )
            return record if intact and set(record.sha256) == {f"{s}.arrow" for s in SPLITS} else None
        except (OSError, ValueError):
            return None

    def _dir(self, index: int) -> Path:
        return self.root / f"{index:06d}"

    def done(self, index: int) -> bool:
        return index in self.manifest.units

    @property
    def completed(self) -> dict[int, UnitRecord]:
        return dict(self.manifest.units)

    def write(self, index: int, splits: dict[str, list[dict]]) -> None:
        """All splits of one unit land together or not at all (temp folder + rename), and only once."""
        if self.done(index) or self._dir(index).exists():
            raise RunDirError(f"unit {index} is already stored in {self.root}; refusing to write it twice")
        tmp = self.root / f".tmp-{index:06d}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        rows, hashes = {}, {}
        for name, schema in SPLITS.items():
            path = tmp / f"{name}.arrow"
            table = pa.Table.from_pylist(splits.get(name, []), schema=schema)
            _write_table(path, table)
            _fsync(path)
            rows[name], hashes[path.name] = table.num_rows, _sha256(path)
        envs = splits.get("environments") or [{}]
        record = UnitRecord(index=index, env_id=envs[0].get("env_id"), rows=rows, sha256=hashes)
        _write_json(tmp / UNIT_FILE, record.model_dump(mode="json"))
        _fsync(tmp)
        os.replace(tmp, self._dir(index))
        _fsync(self.root)
        self.manifest.units[index] = record
        _write_json(self.root / MANIFEST_FILE, self.manifest.model_dump(mode="json"))

    def tables(self) -> dict[str, pa.Table]:
        dirs = [self._dir(i) for i in sorted(self.manifest.units)]
        return {
            name: pa.concat_tables([read_table(d / f"{name}.arrow") for d in dirs] or [schema.empty_table()])
            for name, schema in SPLITS.items()
        }

    def clear_outputs(self) -> None:
        """Remove what an earlier, interrupted attempt at writing the final dataset left in `out`."""
        for name in FINAL_OUTPUTS:
            path = self.out / name
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()

    def remove(self) -> None:
        """The run is finished: keep its configuration, retire the shards in one rename, then delete them."""
        shutil.copyfile(self.root / CONFIG_FILE, self.root / f".{RUN_FILE}.tmp")
        os.replace(self.root / f".{RUN_FILE}.tmp", self.out / RUN_FILE)
        retired = self.out / f"{DONE_PREFIX}{os.getpid()}-{os.urandom(4).hex()}"
        os.replace(self.root, retired)
        shutil.rmtree(retired, ignore_errors=True)
        self.close()

    def close(self) -> None:
        """Let another driver take the run over (a resume); the shards stay."""
        if getattr(self, "_lock_fd", None) is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    __del__ = close


def finished_run(out: Path, fingerprint: str) -> bool:
    """True when `out` holds a finished run of this configuration; a finished run of another one is an error."""
    if run_state(out) != "finished":
        return False
    for leftover in out.glob(DONE_PREFIX + "*"):  # shards whose deletion was interrupted
        shutil.rmtree(leftover, ignore_errors=True)
    try:
        stored = json.loads((out / RUN_FILE).read_text())["fingerprint"]
    except (OSError, ValueError, KeyError):
        stored = None
    if stored != fingerprint:
        raise RunDirError(
            f"{out} already holds a finished run with a different configuration; choose another "
            f"--out or pass --force to replace it"
        )
    return True
