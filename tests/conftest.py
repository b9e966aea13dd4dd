import os
import shutil
import sys
from pathlib import Path

import pytest

FIXTURE_ENVS = Path(__file__).parent / "fixtures" / "envs"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def bwrap():
    """The real bubblewrap backend. Missing bubblewrap fails under CI and skips elsewhere."""
    if shutil.which("bwrap") is None:
        if os.environ.get("CI"):
            pytest.fail("bubblewrap is not installed; .ci/run must apt-get install bubblewrap")
        pytest.skip("bubblewrap is not installed (apt-get install bubblewrap)")
    from synth.sandbox import get_backend

    return get_backend("bwrap")


@pytest.fixture(scope="session")
def docker_backend():
    """The real Docker backend on an image built offline. Missing Docker fails under CI and skips elsewhere."""
    from synth.sandbox import get_backend
    from synth.sandbox.containers import DockerUnavailable, connect
    from synth.sandbox.image import ensure_image

    try:
        ensure_image(connect())
        return get_backend("docker")
    except DockerUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"{exc}\n(scripts/setup.sh must install docker.io and start dockerd)")
        pytest.skip(f"Docker is not available: {exc}")


@pytest.fixture(params=["bwrap", "docker"])
def backend(request):
    """Each isolating backend in turn: the sandbox contract holds for all of them."""
    return request.getfixturevalue("bwrap" if request.param == "bwrap" else "docker_backend")


@pytest.fixture(scope="session")
def fixture_envs() -> Path:
    return FIXTURE_ENVS


@pytest.fixture
def synth_cli():
    """Run the installed `synth` command line as a user would."""
    import subprocess

    def run(*args: str, env: dict | None = None, timeout: float = 600):
        return subprocess.run(
            [sys.executable, str(REPO / "cli.py"), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, "COLUMNS": "250", **(env or {})},
            cwd=REPO,
        )

    return run
