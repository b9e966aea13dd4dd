"""`synth serve`: start vLLM or SGLang with the flags DeepSeek-V3.2 needs and wait until it answers.

vLLM:   vllm serve MODEL --tensor-parallel-size TP --tokenizer-mode deepseek_v32 --tool-call-parser deepseek_v32
        --enable-auto-tool-choice --reasoning-parser deepseek_v3
SGLang: python -m sglang.launch_server --model-path MODEL --tp TP [--dp DP --enable-dp-attention]
        --tool-call-parser deepseekv32 --reasoning-parser deepseek-v3
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ServeError(RuntimeError):
    """The engine cannot be started here; the message says what to do instead."""


class ServeOptions(BaseModel):
    model_config = ConfigDict(frozen=True)

    engine: Literal["vllm", "sglang"]
    model: str = "deepseek-ai/DeepSeek-V3.2"
    tp: int = Field(8, ge=1, description="tensor parallel size")
    dp: int = Field(1, ge=1, description="data parallel size")
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    engine_args: tuple[str, ...] = ()

    @property
    def base_url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        return f"http://{host}:{self.port}/v1"

    @property
    def provider(self) -> str:
        return self.engine

    @property
    def gpus_needed(self) -> int:
        # SGLang's DP attention runs inside the TP group; vLLM's data parallel replicas each take TP GPUs
        return self.tp if self.engine == "sglang" else self.tp * self.dp


def serve_command(o: ServeOptions) -> list[str]:
    if o.engine == "vllm":
        cmd = [
            "vllm",
            "serve",
            o.model,
            "--tensor-parallel-size",
            str(o.tp),
            "--tokenizer-mode",
            "deepseek_v32",
            "--tool-call-parser",
            "deepseek_v32",
            "--enable-auto-tool-choice",
            "--reasoning-parser",
            "deepseek_v3",
        ]
        if o.dp > 1:
            cmd += ["--data-parallel-size", str(o.dp)]
    else:
        cmd = [sys.executable, "-m", "sglang.launch_server", "--model-path", o.model, "--tp", str(o.tp)]
        if o.dp > 1:
            cmd += ["--dp", str(o.dp), "--enable-dp-attention"]
        cmd += ["--tool-call-parser", "deepseekv32", "--reasoning-parser", "deepseek-v3"]
    return cmd + ["--host", o.host, "--port", str(o.port), *o.engine_args]


def check_engine(o: ServeOptions) -> None:
    if o.engine == "vllm" and shutil.which("vllm") is None:
        raise ServeError(
            "vLLM is not installed here (no `vllm` command on PATH): `pip install vllm` on a machine "
            "with NVIDIA GPUs, or try --engine sglang; --dry-run prints the command to run elsewhere"
        )
    if o.engine == "sglang" and importlib.util.find_spec("sglang") is None:
        raise ServeError(
            'SGLang is not installed in this Python: `pip install "sglang[all]"` on a machine with '
            "NVIDIA GPUs, or try --engine vllm; --dry-run prints the command to run elsewhere"
        )


def gpu_count() -> int:
    if shutil.which("nvidia-smi") is None:
        return 0
    try:
        out = subprocess.run(["nvidia-smi", "-L"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return 0
    return sum(line.startswith("GPU ") for line in out.splitlines())


def check_gpus(o: ServeOptions) -> None:
    have = gpu_count()
    if have == 0:
        raise ServeError(
            "no NVIDIA GPU found (`nvidia-smi -L` lists none): serve the model on a GPU machine and "
            "pass its URL to `synth generate --base-url`"
        )
    if have < o.gpus_needed:
        raise ServeError(
            f"--tp {o.tp} --dp {o.dp} needs {o.gpus_needed} GPUs and this machine has {have}; lower --tp/--dp"
        )


def answers(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(base_url + "/models", timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def wait_until_ready(o: ServeOptions, proc: subprocess.Popen, timeout_s: float, poll_s: float = 2.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServeError(f"{o.engine} exited with code {proc.returncode} before it answered; see its output above")
        if answers(o.base_url):
            return
        time.sleep(poll_s)
    stop(proc)
    raise ServeError(
        f"{o.engine} did not answer at {o.base_url} within {timeout_s:g}s; it was stopped "
        f"(raise --wait-timeout for large models)"
    )


def launch(o: ServeOptions) -> subprocess.Popen:
    check_engine(o)
    check_gpus(o)
    return subprocess.Popen(serve_command(o), start_new_session=True, env=os.environ.copy())


def stop(proc: subprocess.Popen, grace_s: float = 30.0) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=grace_s)
    except (ProcessLookupError, PermissionError):
        return
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
