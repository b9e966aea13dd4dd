"""LLM environment synthesis end to end, with the scripted server playing the model: a good template is
kept and generates tasks; a syntax error is repaired; a hostile template is contained and rejected; a
template whose tools crash is rejected with its reason. Templates go to tmp folders, never envs/."""

import json
import socket
import sys
import threading

import pytest
from model_helpers import TEST_KEY, TEST_KEY_ENV, endpoint
from scripted_server import Reply, ScriptedServer
from synth_replies import COUNT_TASK, crashing_tools_env, good_env, hostile_env, is_synthesis, syntax_error_env

from synth.config import RunConfig
from synth.dataset.loader import load_run
from synth.env.registry import discover, select
from synth.generation import generate
from synth.synthesize.batch import synthesize_many
from synth.synthesize.parse import ReplyFormatError, parse_reply
from synth.synthesize.synthesize import SynthesisOptions, synthesize_env
from synth.synthesize.taxonomy import agent_category_of, builtin_categories, distinct, near_duplicate

OPTIONS = SynthesisOptions(repair_rounds=1, task_repair_rounds=0)


@pytest.fixture(autouse=True)
def api_key(monkeypatch):
    monkeypatch.setenv(TEST_KEY_ENV, TEST_KEY)


def scripted(env_replies: list[str]):
    """Synthesis requests get `env_replies` in order; task proposals get a task that validates."""
    replies = iter(env_replies)
    return ScriptedServer(handler=lambda body, n: Reply(content=next(replies) if is_synthesis(body) else COUNT_TASK))


def test_good_template_is_kept_listed_without_import_and_generates_tasks(tmp_path, bwrap):
    out = tmp_path / "envs"
    with scripted([good_env()]) as server:
        record = synthesize_env("running a book club", endpoint(server), out, OPTIONS)
        assert record.kept, record
        assert record.model_calls == 2 and record.task_model_calls == 1 and record.prompt_tokens > 0
        manifest = json.loads((out / "book_club" / "manifest.json").read_text())
        assert manifest["synthesized"] and manifest["db"]["foreign_keys"] >= 2
        assert set(manifest["tool_kinds"].items()) == {("list_books", "read"), ("lend_book", "write")}
        assert manifest["provenance"]["model"] == "scripted" and manifest["provenance"]["prompt_version"]

        # the registry describes it from its manifest: the model's env.py is never imported on the host
        [entry] = [e for e in discover([out]) if e.name == "book_club"]
        assert entry.synthesized and entry.cls.proposers() == [] and "list_books" in entry.cls.tools()
        assert not any("book_club" in m for m in sys.modules)

        with pytest.raises(ValueError, match="--proposer llm"):
            generate(
                RunConfig(
                    envs=1, tasks_per_env=1, out=tmp_path / "p", templates=("book_club",), envs_dirs=(out,), workers=1
                ),
                use_ray=False,
            )
        config = RunConfig(
            envs=1,
            tasks_per_env=1,
            seed=3,
            out=tmp_path / "run",
            templates=("book_club",),
            envs_dirs=(out,),
            workers=1,
            proposer="llm",
            model=endpoint(server),
            escalations=0,
            repair_rounds=0,
        )
        summary = generate(config, use_ray=False)
    assert summary.tasks_accepted == 1
    [task] = load_run(tmp_path / "run")["tasks"]
    assert task["template"] == "book_club" and task["proposer"] == "llm"


def test_syntax_error_is_repaired_from_the_error_message(tmp_path, bwrap):
    with scripted([syntax_error_env(), good_env()]) as server:
        record = synthesize_env("running a book club", endpoint(server), tmp_path / "envs", OPTIONS)
        repair = [m["content"] for m in server.requests[1]["messages"] if m["role"] == "user"][-1]
    assert record.kept and record.repairs == 1 and record.first_try_reason == "syntax_error"
    assert "syntax_error" in repair and "SyntaxError" in repair and "line" in repair


def test_hostile_template_is_contained_and_rejected(tmp_path, bwrap):
    secret = tmp_path / "host-secret.txt"
    secret.write_text("TOP-SECRET-HOST-DATA")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    connections = []

    def accept():
        while not stop.is_set():
            try:
                connections.append(listener.accept())
            except OSError:
                pass

    stop = threading.Event()
    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    port = listener.getsockname()[1]
    try:
        hostile = hostile_env(port, str(secret))
        with scripted([hostile, hostile]) as server:
            record = synthesize_env("hostile club", endpoint(server), tmp_path / "envs", OPTIONS)
    finally:
        stop.set()
        thread.join()
        listener.close()
    assert not record.kept and record.reason == "import_error"
    assert "leaks=[]" in record.detail and "TOP-SECRET" not in record.detail
    assert connections == []
    assert not (tmp_path / "envs").exists()


def test_crashing_tools_are_rejected_with_the_reason(tmp_path, bwrap):
    with scripted([crashing_tools_env(), crashing_tools_env()]) as server:
        record = synthesize_env("running a crashing book club", endpoint(server), tmp_path / "envs", OPTIONS)
    assert not record.kept and record.reason == "tool_error"
    assert "ZeroDivisionError" in record.detail and "list_books" in record.detail and record.model_calls == 2


def test_batch_skips_near_duplicates_and_reports_by_reason(tmp_path, bwrap):
    categories = ["running a book club", "running the book club", "lending umbrellas at a train station"]
    replies = [good_env(), crashing_tools_env(), crashing_tools_env()]
    with scripted(replies) as server:
        report = synthesize_many(categories, 5, endpoint(server), tmp_path / "envs", OPTIONS, workers=1)
    assert report.skipped == [("running the book club", "running a book club")]
    assert report.outcomes() == {"kept": 1, "tool_error": 1}
    assert [e.name for e in select(None, [tmp_path / "envs"]) if e.synthesized] == ["book_club"]


def test_taxonomy_and_reply_parsing():
    categories = builtin_categories()
    assert len(categories) >= 1800 and len(set(categories)) == len(categories)
    assert near_duplicate("planning a 3-day city trip on a budget", ["Planning a 3 day city trip within budget"])
    assert distinct(list(categories[:300]))[1] == []
    with pytest.raises(ReplyFormatError, match="one ```python block"):
        parse_reply("no code here")
    assert parse_reply(good_env()).samples["lend_book"]["member"] == "Kim"


def test_command_line_synthesizes_lists_and_checks(tmp_path, bwrap, synth_cli):
    out = tmp_path / "envs"
    with scripted([good_env()]) as server:
        done = synth_cli(
            "envs",
            "synthesize",
            "--category",
            "running a book club",
            "--out",
            str(out / "club"),
            "--model",
            "scripted",
            "--base-url",
            server.url,
            "--api-key-env",
            TEST_KEY_ENV,
            env={TEST_KEY_ENV: TEST_KEY},
            timeout=120,
        )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "kept book_club" in done.stdout and "outcomes: kept 1 (100%)" in done.stdout
    listed = synth_cli("envs", "list", "--envs-dir", str(out))
    assert "book_club" in listed.stdout and "2 (1 read, 1 write)" in listed.stdout
    refused = synth_cli(
        "generate",
        "--envs",
        "1",
        "--templates",
        "book_club",
        "--envs-dir",
        str(out),
        "--no-ray",
        "--out",
        str(tmp_path / "run"),
    )
    assert refused.returncode == 2 and "--proposer llm" in refused.stdout


def test_a_code_category_gets_a_code_environment(tmp_path, bwrap, synth_cli):
    """The request names the agent category the category serves; a template declaring another one is sent back;
    the kept template passes `synth envs check`."""
    category = "fixing failing tests in a plugin library on a fixed budget"
    assert agent_category_of(category) == "code" and agent_category_of("running a book club") == "general"
    assert agent_category_of("reading the stars | search") == "search"
    out = tmp_path / "envs"
    with scripted([good_env(name="plugin_tests"), good_env(name="plugin_tests", agent_category="code")]) as server:
        record = synthesize_env(category, endpoint(server), out, OPTIONS)
        asks = [m["content"] for r in server.requests[:2] for m in r["messages"] if m["role"] == "user"]
    assert 'agent_category = "code"' in asks[0]
    assert record.kept and record.repairs == 1 and "set agent_category = 'code'" in asks[-1]
    assert json.loads((out / "plugin_tests" / "manifest.json").read_text())["agent_category"] == "code"
    checked = synth_cli("envs", "check", "plugin_tests", "--envs-dir", str(out), "--seeds", "2")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_generate_synthesizes_missing_environments_first(tmp_path, bwrap, synth_cli):
    out, run = tmp_path / "envs", tmp_path / "run"
    with ScriptedServer(
        handler=lambda body, n: Reply(content=good_env() if is_synthesis(body) else COUNT_TASK)
    ) as server:
        done = synth_cli(
            "generate",
            "--synthesize-envs",
            "--envs",
            "1",
            "--tasks-per-env",
            "1",
            "--templates",
            "book_club",
            "--envs-dir",
            str(out),
            "--out",
            str(run),
            "--no-ray",
            "--escalations",
            "0",
            "--workers",
            "1",
            "--model",
            "scripted",
            "--base-url",
            server.url,
            "--api-key-env",
            TEST_KEY_ENV,
            env={TEST_KEY_ENV: TEST_KEY},
            timeout=300,
        )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (out / "book_club" / "manifest.json").is_file()
    [task] = load_run(run)["tasks"]
    assert task["template"] == "book_club" and task["proposer"] == "llm"
