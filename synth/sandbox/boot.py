"""First code to run inside every sandbox: set limits, drop root, then run the target.

Standard library only; started as `python -B -s boot.py SPEC_JSON` by a backend.
"""

import json
import os
import resource
import runpy
import sys

MB = 1024 * 1024


def _limit(which: int, value: int, slack: int = 0) -> None:
    _, hard = resource.getrlimit(which)
    ceiling = value + slack if hard == resource.RLIM_INFINITY else min(value + slack, hard)
    resource.setrlimit(which, (min(value, ceiling), ceiling))


def drop_privileges(uid: int | None) -> None:
    """As root, become an unprivileged user of our own; RLIMIT_NPROC does not bind root."""
    if uid is None or os.getuid() != 0:
        return
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    if os.getuid() == 0:
        raise SystemExit("sandbox: could not drop root privileges")


def apply_limits(limits: dict) -> None:
    _limit(resource.RLIMIT_CPU, int(limits["cpu_s"]), slack=1)  # SIGXCPU first, SIGKILL a second later
    _limit(resource.RLIMIT_AS, int(limits["memory_mb"]) * MB)
    _limit(resource.RLIMIT_FSIZE, int(limits["max_file_mb"]) * MB)
    _limit(resource.RLIMIT_NPROC, int(limits["max_procs"]))
    _limit(resource.RLIMIT_CORE, 0)


def main() -> None:
    spec = json.loads(sys.argv[1])
    drop_privileges(spec.get("uid"))
    apply_limits(spec["limits"])
    os.chdir(spec.get("cwd", "/tmp"))
    if spec["mode"] == "file":
        sys.argv = [spec["path"]]
        sys.path.insert(0, os.path.dirname(spec["path"]))
        runpy.run_path(spec["path"], run_name="__main__")
    elif spec["mode"] == "server":
        from synth.sandbox.server import serve

        serve(spec["service"])
    else:
        raise SystemExit(f"sandbox: unknown mode {spec['mode']!r}")


if __name__ == "__main__":
    main()
