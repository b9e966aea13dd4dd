"""The Docker sandbox image, built offline: `docker import` of a file tree taken from this host.

The tree holds only what the in-sandbox code needs: this host's Python interpreter at its own path, its
standard library (no tests, no site-packages), the few packages the sandbox server imports, the shared
libraries all of those link against, and a copy of synth's sandbox-side source. No /etc beyond the time
zone, no home directories, no credentials. Users with a registry can build docker/Dockerfile instead.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import io
import os
import re
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import time
from pathlib import Path

from pydantic import BaseModel

IMAGE = "synth-sandbox:latest"
SOURCE_DIR = "/opt/synth"
SITE_DIR = "/opt/synth/lib"
LABEL_PYTHON = "synth.python"
LABEL_PYTHONPATH = "synth.pythonpath"
LABEL_FINGERPRINT = "synth.image.fingerprint"
BUILDER_VERSION = "2"
# What synth.sandbox.server and the services it hosts import, beyond the standard library.
SANDBOX_PACKAGES = (
    "pydantic",
    "pydantic_core",
    "typing_extensions",
    "typing_inspection",
    "annotated_types",
    "jinja2",
    "markupsafe",
)
STDLIB_SKIP = {
    "test",
    "idlelib",
    "tkinter",
    "turtledemo",
    "ensurepip",
    "lib2to3",
    "site-packages",
    "dist-packages",
    "__phello__",
}
SKIP_NAMES = {"__pycache__"}
SKIP_PREFIXES = ("_tkinter", "_test", "xxlimited")  # extension modules nothing in a sandbox needs


def default_image() -> str:
    return os.environ.get("SYNTH_DOCKER_IMAGE", IMAGE)


class ImageInfo(BaseModel):
    """What the Docker backend needs to know about a sandbox image (read from its labels)."""

    name: str
    python: str
    pythonpath: str
    fingerprint: str = ""


class ImageSource(BaseModel):
    """Where each part of the image comes from on this host; `fingerprint` changes when any of it does."""

    python: str
    stdlib: str
    packages: dict[str, str]
    libraries: list[str]
    fingerprint: str


def _package_path(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None:
        raise RuntimeError(f"package {name!r} is not installed; the sandbox image needs it (pip install {name})")
    if spec.submodule_search_locations:
        return Path(list(spec.submodule_search_locations)[0])
    return Path(spec.origin)


def _walk(root: Path, skip_top: set[str] = frozenset()):
    """Files and links below `root`, in a stable order, skipping caches and (at the top) `skip_top`."""
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        kept = sorted(
            d
            for d in dirnames
            if d not in SKIP_NAMES and not (here == root and (d in skip_top or d.startswith("config-")))
        )
        dirnames[:] = [d for d in kept if not (here / d).is_symlink()]
        for f in sorted(filenames + [d for d in kept if (here / d).is_symlink()]):
            if not f.startswith(SKIP_PREFIXES):
                yield here / f


def _is_elf(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == b"\x7fELF"
    except OSError:
        return False


def _linked_libraries(elves: list[Path]) -> list[str]:
    """Every shared library (and the loader) the given ELF files need, as `ldd` resolves them here."""
    found: set[str] = set()
    for chunk in range(0, len(elves), 64):
        out = subprocess.run(["ldd", *map(str, elves[chunk : chunk + 64])], capture_output=True, text=True).stdout
        found.update(re.findall(r"(?:=>\s*)?(/\S+)\s+\(0x", out))
    return sorted(found)


def image_source() -> ImageSource:
    python = Path(sys.executable).resolve()
    stdlib = Path(sysconfig.get_paths(vars={"base": sys.base_prefix, "platbase": sys.base_prefix})["stdlib"])
    packages = {name: str(_package_path(name)) for name in SANDBOX_PACKAGES}
    elves = [python] + [p for p in _walk(stdlib, STDLIB_SKIP) if p.suffix == ".so" and _is_elf(p)]
    elves += [
        p
        for src in packages.values()
        for p in (_walk(Path(src)) if Path(src).is_dir() else [Path(src)])
        if p.name.endswith(".so") and _is_elf(p)
    ]
    libraries = _linked_libraries(elves)
    h = hashlib.sha256(f"{BUILDER_VERSION}|{python}|{sys.version}".encode())
    for name in SANDBOX_PACKAGES:
        try:
            h.update(f"|{name}={importlib.metadata.version(name)}".encode())
        except importlib.metadata.PackageNotFoundError:
            h.update(f"|{name}@{packages[name]}".encode())
    for lib in libraries:
        st = os.stat(lib)
        h.update(f"|{lib}:{st.st_size}:{int(st.st_mtime)}".encode())
    return ImageSource(
        python=str(python), stdlib=str(stdlib), packages=packages, libraries=libraries, fingerprint=h.hexdigest()[:16]
    )


class _TreeWriter:
    """Writes a root file system into a tar: host paths keep their absolute path, parents are created once."""

    def __init__(self, tar: tarfile.TarFile):
        self.tar, self.seen = tar, set()

    def _info(self, name: str, kind: bytes, mode: int) -> tarfile.TarInfo:
        info = tarfile.TarInfo(name.lstrip("/"))
        info.type, info.mode, info.mtime, info.uname, info.gname = kind, mode, int(time.time()), "root", "root"
        return info

    def dir(self, path: str, mode: int = 0o755) -> None:
        path = path.rstrip("/") or "/"
        if path == "/" or path in self.seen:
            return
        self.parents(path)
        self.seen.add(path)
        self.tar.addfile(self._info(path, tarfile.DIRTYPE, mode))

    def parents(self, path: str) -> None:
        parent = os.path.dirname(path)
        if parent not in self.seen and parent != "/":
            self.host_path(parent) if os.path.islink(parent) else self.dir(parent)

    def symlink(self, path: str, target: str) -> None:
        if path in self.seen:
            return
        self.parents(path)
        self.seen.add(path)
        info = self._info(path, tarfile.SYMTYPE, 0o777)
        info.linkname = target
        self.tar.addfile(info)

    def data(self, path: str, content: bytes, mode: int = 0o644) -> None:
        self.parents(path)
        self.seen.add(path)
        info = self._info(path, tarfile.REGTYPE, mode)
        info.size = len(content)
        self.tar.addfile(info, io.BytesIO(content))

    def file(self, host: Path, dest: str | None = None) -> None:
        dest = dest or str(host)
        if dest in self.seen:
            return
        if host.is_symlink():
            target = os.readlink(host)
            self.symlink(dest, target)
            if dest == str(host):
                self.host_path(os.path.join(os.path.dirname(dest), target))
            return
        self.parents(dest)
        self.seen.add(dest)
        info = self._info(dest, tarfile.REGTYPE, 0o755 if os.access(host, os.X_OK) else 0o644)
        info.size = host.stat().st_size
        with open(host, "rb") as fh:
            self.tar.addfile(info, fh)

    def host_path(self, path: str) -> None:
        """Add a host path, resolving symlinks in any component the way the host does."""
        path = os.path.normpath(path)
        current = ""
        for part in path.strip("/").split("/"):
            current = f"{current}/{part}"
            if os.path.islink(current):
                self.file(Path(current))
                return self.host_path(os.path.join(os.path.realpath(current), os.path.relpath(path, current)))
        if os.path.isdir(path):
            self.dir(path)
        else:
            self.file(Path(path))

    def tree(self, host: Path, dest: str, skip_top: set[str] = frozenset()) -> None:
        self.dir(dest)
        for f in _walk(host, skip_top):
            self.file(f, dest + "/" + str(f.relative_to(host)))


def write_rootfs(path: Path, source: ImageSource, project_root: Path) -> None:
    with tarfile.open(path, "w") as tar:
        w = _TreeWriter(tar)
        for top in ("/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"):
            if os.path.islink(top):
                w.symlink(top, os.readlink(top))
        for d in ("/usr/bin", "/usr/local/bin", "/etc", "/proc", "/dev", "/sys", "/sandbox"):
            w.dir(d)
        w.dir("/tmp", 0o1777)
        w.host_path(source.python)
        w.tree(Path(source.stdlib), source.stdlib, STDLIB_SKIP)
        for lib in source.libraries:
            w.host_path(lib)
        for src in map(Path, source.packages.values()):
            if src.is_dir():
                w.tree(src, f"{SITE_DIR}/{src.name}")
            else:
                w.file(src, f"{SITE_DIR}/{src.name}")
        for part in ("synth", "verifiers"):
            w.tree(project_root / part, f"{SOURCE_DIR}/{part}")
        if os.path.exists("/etc/localtime"):
            w.data("/etc/localtime", Path("/etc/localtime").read_bytes())
        if source.python != "/usr/local/bin/python3":
            w.symlink("/usr/local/bin/python3", source.python)


def build_image(client, name: str | None = None, *, project_root: Path | None = None) -> ImageInfo:
    """Build the sandbox image from this host's files, without any registry, and tag it `name`."""
    from synth.sandbox.backend import PROJECT_ROOT

    name = name or default_image()
    repository, _, tag = name.rpartition(":") if ":" in name.split("/")[-1] else (name, ":", "latest")
    source = image_source()
    pythonpath = f"{SOURCE_DIR}:{SITE_DIR}"
    changes = [
        "ENV PATH=/usr/local/bin:/usr/bin:/bin",
        f"ENV PYTHONPATH={pythonpath}",
        "ENV LANG=C.UTF-8",
        "WORKDIR /tmp",
        f'CMD ["{source.python}"]',
        f"LABEL {LABEL_PYTHON}={source.python}",
        f"LABEL {LABEL_PYTHONPATH}={SITE_DIR}",
        f"LABEL {LABEL_FINGERPRINT}={source.fingerprint}",
    ]
    previous = _image_id(client, name)
    with tempfile.TemporaryDirectory(prefix="synth-image-") as tmp:
        rootfs = Path(tmp) / "rootfs.tar"
        write_rootfs(rootfs, source, project_root or PROJECT_ROOT)
        client.api.import_image_from_file(str(rootfs), repository=repository, tag=tag, changes=changes)
    if previous and previous != _image_id(client, name):
        try:  # the replaced build, unless a container still uses it
            client.api.remove_image(previous)
        except Exception:
            pass
    return inspect_image(client, name)


def _image_id(client, name: str) -> str | None:
    import docker.errors

    try:
        return client.api.inspect_image(name)["Id"]
    except docker.errors.ImageNotFound:
        return None


def inspect_image(client, name: str) -> ImageInfo | None:
    import docker.errors

    try:
        labels = client.api.inspect_image(name)["Config"].get("Labels") or {}
    except docker.errors.ImageNotFound:
        return None
    if LABEL_PYTHON not in labels:
        raise RuntimeError(
            f"image {name} is not a synth sandbox image (no {LABEL_PYTHON} label); build one with "
            f"`synth sandbox build-image` or docker/Dockerfile"
        )
    return ImageInfo(
        name=name,
        python=labels[LABEL_PYTHON],
        pythonpath=labels.get(LABEL_PYTHONPATH, ""),
        fingerprint=labels.get(LABEL_FINGERPRINT, ""),
    )


def ensure_image(client, name: str | None = None) -> ImageInfo:
    """The image, built offline first when it is missing or was built from a different interpreter setup."""
    name = name or default_image()
    info = inspect_image(client, name)
    if info is not None and (not info.fingerprint or info.fingerprint == image_source().fingerprint):
        return info
    return build_image(client, name)
