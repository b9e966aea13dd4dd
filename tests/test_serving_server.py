"""`synth envs serve` as an exposed service: its options, the token, the size limits, bad input of every kind (each a
clear error, the server serving on), and hygiene: sessions and worker processes back to their baseline after close,
after /verify, after a client vanishes, after the TTL."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from pathlib import Path

import pytest
import requests
from serving_support import Served, reference_plan, small_run, stored
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

TOKEN = "s3cret-token-for-tests"


@pytest.fixture(scope="module")
def run(bwrap):
    return small_run("text")


def full_episode(server: Served, run, index: int = 0, headers: dict | None = None) -> float:
    """One complete NeMo Gym episode of a stored reference; its reward."""
    rows, trajectories = stored(run)
    row = rows[index]
    plan = reference_plan(row, trajectories[row["task_id"]])
    seeded = requests.post(f"{server.url}/seed_session", json={"task_id": row["task_id"]}, headers=headers, timeout=30)
    assert seeded.status_code == 200, seeded.text
    for name, arguments in plan["calls"]:
        assert (
            requests.post(
                f"{server.url}/{name}", json=arguments, cookies=seeded.cookies, headers=headers, timeout=30
            ).status_code
            == 200
        )
    output = [{"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": plan["final"]}]}]
    verified = requests.post(
        f"{server.url}/verify",
        cookies=seeded.cookies,
        headers=headers,
        timeout=30,
        json={"task_id": row["task_id"], "responses_create_params": {}, "response": {"output": output}},
    )
    assert verified.status_code == 200, verified.text
    return verified.json()["reward"]


def test_cli_refuses_to_expose_the_server_without_a_token(synth_cli, run):
    exposed = synth_cli("envs", "serve", str(run), "--host", "0.0.0.0", "--port", "0")
    assert exposed.returncode == 2 and "--token-env" in exposed.stdout
    missing = synth_cli("envs", "serve", str(run), "--token-env", "SYNTH_NO_SUCH_VARIABLE", "--port", "0")
    assert missing.returncode == 2 and "SYNTH_NO_SUCH_VARIABLE" in missing.stdout
    not_a_run = synth_cli("envs", "serve", str(run / "tasks"), "--port", "0")
    assert not_a_run.returncode == 2 and "not a run folder" in not_a_run.stdout


def test_the_token_is_checked_on_every_request(run):
    with Served(run, "--token-env", "SYNTH_TEST_TOKEN", env={"SYNTH_TEST_TOKEN": TOKEN}) as server:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        for method, path in [
            ("get", "/health"),
            ("get", "/tasks"),
            ("post", "/seed_session"),
            ("post", "/list_notes"),
            ("post", "/verify"),
            ("post", "/mcp"),
        ]:
            for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
                reply = getattr(requests, method)(server.url + path, headers=headers, timeout=30)
                assert reply.status_code == 401 and "Bearer" in reply.json()["error"], (path, headers)
        assert requests.get(f"{server.url}/health", headers=auth, timeout=30).status_code == 200
        with pytest.raises(InvalidStatus) as refused:
            connect(server.ws_url).close()
        assert refused.value.response.status_code == 403
        with connect(server.ws_url, additional_headers=auth) as ws:
            ws.send(json.dumps({"type": "state"}))
            assert json.loads(ws.recv(timeout=30))["type"] == "state"
        assert full_episode(server, run, headers=auth) == 1.0


def _raw(server: Served, data: bytes, read: bool = True) -> bytes:
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(data)
        if not read:
            return b""
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
            if b"\r\n\r\n" in b"".join(chunks) and b"}" in chunk:
                break
        return b"".join(chunks)


def test_bad_input_gets_a_clear_error_the_server_serves_on_and_nothing_leaks(run):
    rows, _ = stored(run)
    task_id = rows[0]["task_id"]
    with Served(run, "--max-body-bytes", "65536") as server:
        for env_id in {r["env_id"] for r in rows}:  # warm: every worker these tasks need has started
            assert full_episode(server, run, index=next(i for i, r in enumerate(rows) if r["env_id"] == env_id)) == 1.0
        baseline = sorted(server.processes())
        url = server.url

        # unknown session, and none at all
        for cookies in ({"synth_session": "0" * 32}, {}):
            reply = requests.post(f"{url}/list_notes", json={}, cookies=cookies, timeout=30)
            assert reply.status_code == 404 and "seed_session" in reply.json()["error"]
        # /verify with no session
        nobody = {"responses_create_params": {}, "response": {"output": []}}
        reply = requests.post(f"{url}/verify", json=nobody, timeout=30)
        assert reply.status_code == 404 and "session" in reply.json()["error"]
        # seed_session without a task, of an unknown task, with a body that is not JSON
        assert requests.post(f"{url}/seed_session", json={}, timeout=30).status_code == 400
        unknown = requests.post(f"{url}/seed_session", json={"task_id": "task-nope"}, timeout=30)
        assert unknown.status_code == 404 and "task-nope" in unknown.json()["error"]
        assert requests.post(f"{url}/seed_session", data=b"{oops", timeout=30).status_code == 400
        assert (
            requests.post(
                f"{url}/seed_session", json={"task_id": task_id, "answer_mode": "telepathy"}, timeout=30
            ).status_code
            == 400
        )

        seeded = requests.post(f"{url}/seed_session", json={"task_id": task_id}, timeout=30)
        jar = seeded.cookies

        def call(name, **kwargs):
            return requests.post(f"{url}/{name}", cookies=jar, timeout=30, **kwargs)

        # unknown tool, wrong argument types, arguments that are not an object or not JSON: results for the model
        for reply, says in [
            (call("no_such_tool", json={}), "unknown tool"),
            (call("set_tag", json={"note_id": "first", "tag": 7}), "note_id"),
            (call("list_notes", json=[1, 2]), "list_notes"),
            (call("list_notes", data=b"{not json"), "not valid JSON"),
            (call("list_notes", data=b"\xff\xfe"), "not valid JSON"),
        ]:
            assert reply.status_code == 200 and reply.headers["x-synth-tool-ok"] == "false", reply.text
            assert says in reply.json()["error"]
        # /verify with a body that is no verify request
        bad = requests.post(f"{url}/verify", json={"response": "nope"}, cookies=jar, timeout=30)
        assert bad.status_code == 400 and "responses_create_params" in bad.json()["error"]
        # oversize bodies: declared, and streamed without a length
        big = b'{"tag": "' + b"x" * 70_000 + b'"}'
        assert call("list_notes", data=big).status_code == 413
        chunked = requests.post(f"{url}/list_notes", data=iter([big[:40_000], big[40_000:]]), cookies=jar, timeout=30)
        assert chunked.status_code == 413 and "65536" in chunked.json()["error"]
        assert call("list_notes", json={}).status_code == 200  # the session lives on
        # a WebSocket message over the limit closes that connection only
        with connect(server.ws_url, max_size=None) as ws:
            ws.send(json.dumps({"type": "reset", "data": {"task_id": task_id}}))
            ws.recv(timeout=30)
            ws.send("x" * 70_000)
            with pytest.raises(ConnectionClosed) as closed:
                ws.recv(timeout=30)
            assert closed.value.rcvd.code == 1009
        # verify, then verify again (closing twice); the session is gone
        done = {"task_id": task_id, "responses_create_params": {}, "response": {"output": []}}
        assert requests.post(f"{url}/verify", json=done, cookies=jar, timeout=30).status_code == 200
        again = requests.post(f"{url}/verify", json=done, cookies=jar, timeout=30)
        assert again.status_code == 404 and "ends at /verify" in again.json()["error"]
        # clients that vanish: mid-episode on a WebSocket, mid-request over HTTP
        with contextlib.suppress(ConnectionClosed, OSError), connect(server.ws_url) as vanished:
            vanished.send(json.dumps({"type": "reset", "data": {"task_id": task_id}}))
            vanished.recv(timeout=30)
            vanished.send(json.dumps({"type": "step", "data": {"type": "call_tool", "tool_name": "list_notes"}}))
            vanished.socket.close()  # no close frame
        _raw(server, b'POST /seed_session HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"task', read=False)
        # a client that never comes back for its NeMo Gym session: the TTL is for it (see the TTL test)
        assert server.wait_sessions(0) == 0

        assert full_episode(server, run, index=1) == 1.0  # the server keeps serving
        assert server.wait_sessions(0) == 0
        stats = server.get("/stats")
        assert [w["sessions"] for w in stats["workers"] if w] == [0] * len([w for w in stats["workers"] if w])
        assert sorted(server.processes()) == baseline  # no sandbox started or left behind
    assert server.proc.returncode == 0  # a clean stop on SIGINT
    deadline = time.monotonic() + 10
    while (left := [pid for pid in baseline if os.path.exists(f"/proc/{pid}")]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not left, [Path(f"/proc/{pid}/cmdline").read_text() for pid in left]  # its sandboxes went with it


def test_capacity_and_ttl(run):
    rows, _ = stored(run)
    with Served(run, "--max-sessions", "3", "--ttl", "1") as server:
        jars = [
            requests.post(f"{server.url}/seed_session", json={"task_id": rows[i]["task_id"]}, timeout=30)
            for i in range(3)
        ]
        assert all(j.status_code == 200 for j in jars)
        full = requests.post(f"{server.url}/seed_session", json={"task_id": rows[3]["task_id"]}, timeout=30)
        assert full.status_code == 503 and "--max-sessions" in full.json()["error"]
        with connect(server.ws_url) as ws:
            ws.send(json.dumps({"type": "reset", "data": {"task_id": rows[3]["task_id"]}}))
            assert json.loads(ws.recv(timeout=30))["data"]["code"] == "CAPACITY_REACHED"
        time.sleep(1.2)
        assert server.wait_sessions(0, timeout_s=10) == 0  # the reaper closed the idle sessions
        gone = requests.post(f"{server.url}/list_notes", json={}, cookies=jars[0].cookies, timeout=30)
        assert gone.status_code == 404 and "timed out" in gone.json()["error"]
        assert full_episode(server, run) == 1.0


def test_the_bench_runs_and_stops_by_itself(run):
    import subprocess
    import sys

    from serving_support import REPO

    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "serve.py"),
            "--run",
            str(run),
            "--sessions",
            "24",
            "--group",
            "2",
            "--interval",
            "0.05",
            "--duration",
            "3",
            "--saturation-s",
            "1",
            "--saturation-sessions",
            "4",
            "--connections",
            "16",
            "--seed-concurrency",
            "8",
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    assert summary["errors"] == {} and summary["open_sessions_after"] == 0
    assert summary["rewards"] == {"1.0 (done)": 24} and summary["tool"]["n"] > 24
    assert summary["saturation"]["calls_per_s"] > 0 and summary["peak_memory_mb"]["server_tree"] > 0
