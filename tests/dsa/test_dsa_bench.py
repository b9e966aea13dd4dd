import subprocess
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("triton")

BENCH = Path(__file__).resolve().parents[2] / "bench" / "dsa.py"


def test_bench_correctness_check_runs():
    """The GPU benchmark's --check mode also works at toy sizes on CPU."""
    res = subprocess.run([sys.executable, str(BENCH), "--check-only"], capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "check: all passed" in res.stdout and "FAIL" not in res.stdout
