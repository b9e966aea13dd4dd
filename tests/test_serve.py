"""`synth serve`: the engine command lines V3.2 needs, clear errors without an engine or GPUs, and the
wait-until-ready loop against a stand-in engine (a tiny HTTP server named `vllm` on PATH)."""

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

FAKE_ENGINE = f"""#!{sys.executable}
import http.server, json, sys
args = sys.argv[1:]
open(sys.argv[0] + ".args", "w").write(json.dumps(args))
class Models(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({{"object": "list", "data": [{{"id": args[1]}}]}}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
http.server.HTTPServer(("127.0.0.1", int(args[args.index("--port") + 1])), Models).serve_forever()
"""


def tool_dir(tmp_path, gpus: int, engine: bool = True):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(parents=True)
    if engine:
        (bin_dir / "vllm").write_text(FAKE_ENGINE)
    (bin_dir / "nvidia-smi").write_text(
        "#!/bin/sh\n" + "".join(f"echo 'GPU {i}: Stand-in (UUID: GPU-{i})'\n" for i in range(gpus))
    )
    for f in bin_dir.iterdir():
        f.chmod(0o755)
    return {"PATH": f"{bin_dir}:/usr/bin:/bin", "COLUMNS": "250"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_dry_run_prints_the_v32_flags(synth_cli):
    vllm = synth_cli("serve", "--engine", "vllm", "--tp", "8", "--port", "8001", "--dry-run")
    assert vllm.returncode == 0
    assert vllm.stdout.strip() == (
        "vllm serve deepseek-ai/DeepSeek-V3.2 --tensor-parallel-size 8 --tokenizer-mode "
        "deepseek_v32 --tool-call-parser deepseek_v32 --enable-auto-tool-choice "
        "--reasoning-parser deepseek_v3 --host 127.0.0.1 --port 8001"
    )
    sglang = synth_cli("serve", "--engine", "sglang", "--tp", "8", "--dp", "8", "--dry-run")
    assert sglang.returncode == 0
    assert sglang.stdout.strip().endswith(
        "-m sglang.launch_server --model-path deepseek-ai/DeepSeek-V3.2 --tp 8 "
        "--dp 8 --enable-dp-attention --tool-call-parser deepseekv32 "
        "--reasoning-parser deepseek-v3 --host 127.0.0.1 --port 8000"
    )
    bad = synth_cli("serve", "--engine", "tgi", "--dry-run")
    assert bad.returncode == 2 and "engine" in bad.stdout


def test_missing_engine_or_gpus_is_a_clear_error(tmp_path, synth_cli):
    no_engine = synth_cli("serve", "--engine", "vllm", env=tool_dir(tmp_path / "a", gpus=8, engine=False))
    assert no_engine.returncode == 2 and "vLLM is not installed" in no_engine.stdout and "--dry-run" in no_engine.stdout
    no_gpu = synth_cli("serve", "--engine", "vllm", env=tool_dir(tmp_path / "b", gpus=0))
    assert no_gpu.returncode == 2 and "no NVIDIA GPU" in no_gpu.stdout and "--base-url" in no_gpu.stdout
    too_few = synth_cli("serve", "--engine", "vllm", "--tp", "8", env=tool_dir(tmp_path / "c", gpus=2))
    assert too_few.returncode == 2 and "needs 8 GPUs" in too_few.stdout


def test_serve_waits_until_the_engine_answers_then_prints_the_base_url(tmp_path):
    env = tool_dir(tmp_path, gpus=1)
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            str(REPO / "cli.py"),
            "serve",
            "--engine",
            "vllm",
            "--tp",
            "1",
            "--port",
            str(port),
            "--wait-timeout",
            "60",
        ],
        cwd=REPO,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    try:
        seen = []
        while not any(line.startswith("ready:") for line in seen):
            seen.append(lines.get(timeout=60))
        url = f"http://127.0.0.1:{port}/v1"
        assert seen[-1].strip() == f"ready: {url}"
        with urllib.request.urlopen(url + "/models", timeout=5) as response:
            assert response.status == 200
        args = (tmp_path / "bin" / "vllm.args").read_text()
        assert '"--tokenizer-mode", "deepseek_v32"' in args and '"--tensor-parallel-size", "1"' in args
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=40) == 0
        try:  # the engine went down with it
            urllib.request.urlopen(url + "/models", timeout=2)
            raise AssertionError("the engine is still answering after synth serve exited")
        except OSError:
            pass
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
