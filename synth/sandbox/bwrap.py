"""Bubblewrap backend: no network, read-only system, private /tmp, an unprivileged user, rlimits."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

from synth.sandbox.backend import JOB_DIR, SandboxBackend, clean_environment
from synth.sandbox.limits import SandboxLimits

SYSTEM_DIRS = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]
ETC_FILES = ["/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/localtime", "/etc/alternatives", "/etc/nsswitch.conf"]
FIRST_SANDBOX_UID = 200_000
_uids = itertools.count()


class BwrapUnavailable(RuntimeError):
    pass


@cache
def _bwrap_version() -> tuple[int, ...]:
    out = subprocess.run(["bwrap", "--version"], capture_output=True, text=True).stdout
    match = re.search(r"(\d+)\.(\d+)\.(\d+)", out)
    return tuple(int(x) for x in match.groups()) if match else (0, 0, 0)


def _dirs_for(path: Path) -> list[str]:
    """World-readable parents for a bind target, so the unprivileged sandbox user can reach it."""
    args: list[str] = []
    for parent in reversed(path.parents):
        if str(parent) != "/":
            args += ["--perms", "0755", "--dir", str(parent)]
    return args


class BwrapBackend(SandboxBackend):
    name = "bwrap"

    def __init__(self) -> None:
        if shutil.which("bwrap") is None:
            raise BwrapUnavailable(
                "bubblewrap is not installed: run `apt-get install -y bubblewrap` "
                "(or pass --sandbox none for trusted development only)"
            )
        self.as_root = os.geteuid() == 0

    def uid(self) -> int | None:
        # A fresh uid per sandbox keeps one sandbox's process cap from starving another.
        return FIRST_SANDBOX_UID + (os.getpid() * 1000 + next(_uids)) % 800_000 if self.as_root else None

    def wrap(self, argv: list[str], limits: SandboxLimits, mounts: list[Path], job_dir: Path | None) -> list[str]:
        cmd = ["bwrap", "--die-with-parent", "--new-session"]
        if self.as_root:
            # Root keeps only the right to switch to the sandbox user; boot.py does that first thing.
            cmd += [
                "--unshare-ipc",
                "--unshare-pid",
                "--unshare-net",
                "--unshare-uts",
                "--unshare-cgroup-try",
                "--cap-drop",
                "ALL",
                "--cap-add",
                "CAP_SETUID",
                "--cap-add",
                "CAP_SETGID",
            ]
        else:
            cmd += ["--unshare-all"]
        # The private /tmp comes first: binds below it (a project checked out under /tmp) must stay visible.
        if _bwrap_version() >= (0, 10, 0):
            cmd += ["--size", str(limits.scratch_mb * 1024 * 1024)]
        cmd += ["--perms", "1777", "--tmpfs", "/tmp"]
        for d in SYSTEM_DIRS:
            if os.path.islink(d):
                cmd += ["--symlink", os.readlink(d), d]
            elif os.path.isdir(d):
                cmd += ["--ro-bind", d, d]
        for f in ETC_FILES:
            if os.path.exists(f):
                cmd += ["--ro-bind", f, f]
        for m in mounts:
            cmd += _dirs_for(m) + ["--ro-bind", str(m), str(m)]
        if job_dir is not None:
            cmd += _dirs_for(Path(JOB_DIR)) + ["--ro-bind", str(job_dir), JOB_DIR]
        cmd += ["--proc", "/proc", "--dev", "/dev", "--chdir", "/tmp", "--clearenv"]
        for key, value in clean_environment().items():
            cmd += ["--setenv", key, value]
        return cmd + ["--"] + argv

    def host_environment(self) -> dict[str, str]:
        return {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
