"""An environment instance in its sandbox: bad tool calls are errors for the agent, never crashes."""

import json
import textwrap

import pytest

from synth.env.registry import TemplateLoadError, discover, load_template_class, select
from synth.env.session import EnvSession
from synth.sandbox import SandboxLimits


@pytest.fixture(scope="module")
def notes(bwrap, fixture_envs):
    [entry] = select(["notes"], [fixture_envs])
    with EnvSession(bwrap, entry, seed=5, limits=SandboxLimits(wall_timeout_s=20)) as env:
        yield env


def error_of(result) -> str:
    assert not result.ok
    return json.loads(result.content)["error"]


def test_good_call_then_bad_calls_keep_the_env_alive(notes):
    notes.reset()
    assert notes.call_tool("list_notes", '{"tag": "alpha"}').ok
    assert "unknown tool 'drop_table'" in error_of(notes.call_tool("drop_table", "{}"))
    assert "not valid JSON" in error_of(notes.call_tool("list_notes", '{"tag": '))
    assert "note_id" in error_of(notes.call_tool("set_tag", '{"note_id": "seven", "tag": "x"}'))
    assert "extra" in error_of(notes.call_tool("set_tag", '{"note_id": 1, "tag": "x", "color": "red"}')).lower()
    assert "no note 9999" in error_of(notes.call_tool("set_tag", {"note_id": 9999, "tag": "x"}))
    calls = notes.calls()
    assert [c.ok for c in calls] == [True, False, False, False, False, False]
    assert notes.call_tool("list_notes", "{}").ok


def test_only_offered_tools_can_be_called(notes):
    notes.reset(["list_notes"])
    assert "unknown tool 'set_tag'" in error_of(notes.call_tool("set_tag", {"note_id": 1, "tag": "x"}))


def test_reset_restores_the_built_state(notes):
    notes.reset()
    before = notes.call_tool("list_notes", "{}").content
    assert notes.call_tool("set_tag", {"note_id": 1, "tag": "changed"}).ok
    assert notes.call_tool("list_notes", "{}").content != before
    notes.reset()
    assert notes.call_tool("list_notes", "{}").content == before


def test_same_seed_same_database_different_seed_different(bwrap, fixture_envs, notes):
    [entry] = select(["notes"], [fixture_envs])
    with (
        EnvSession(bwrap, entry, seed=5, limits=SandboxLimits()) as again,
        EnvSession(bwrap, entry, seed=6, limits=SandboxLimits()) as other,
    ):
        assert again.info.db_hash == notes.info.db_hash
        assert other.info.db_hash != notes.info.db_hash


def write_template(folder, body):
    folder.mkdir(parents=True)
    (folder / "env.py").write_text(textwrap.dedent(body))


def test_template_that_fails_to_import_is_reported(tmp_path, synth_cli):
    write_template(
        tmp_path / "broken",
        """
        import not_a_real_module_anywhere
    """,
    )
    write_template(tmp_path / "syntax", "def oops(:\n")
    with pytest.raises(TemplateLoadError, match="not_a_real_module_anywhere"):
        load_template_class(tmp_path / "broken")
    errors = {e.folder.name: e.error for e in discover([tmp_path]) if e.error}
    assert "SyntaxError" in errors["syntax"] and "fix the template" in errors["syntax"]
    listing = synth_cli("envs", "list", "--envs-dir", str(tmp_path))
    assert listing.returncode == 1 and "failed to load" in listing.stdout
    out = tmp_path / "run"
    gen = synth_cli(
        "generate", "--envs", "1", "--templates", "broken", "--envs-dir", str(tmp_path), "--out", str(out), "--no-ray"
    )
    assert gen.returncode == 2 and "not_a_real_module_anywhere" in gen.stdout
    assert not out.exists()


def test_template_with_unschematizable_tool_is_reported(tmp_path):
    write_template(
        tmp_path / "badtool",
        """
        from synth.env import EnvTemplate, tool

        class Key:
            pass

        class Bad(EnvTemplate):
            name, version, category, description = "badtool", "1", "c", "d"

            @tool("read")
            def lookup(self, key: Key) -> str:
                '''Look something up.'''
    """,
    )
    with pytest.raises(TemplateLoadError, match="lookup.*no JSON schema"):
        select(["badtool"], [tmp_path])


def test_unknown_template_names_the_known_ones(fixture_envs):
    with pytest.raises(TemplateLoadError, match="known: .*notes"):
        select(["nope"], [fixture_envs])
