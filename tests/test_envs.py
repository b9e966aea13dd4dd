"""Every template shipped in envs/ passes `synth envs check` and meets the depth bar."""

import pytest

from synth.env.registry import ENVS_DIR, discover
from synth.pipeline.check import check_template

SHIPPED = [e for e in discover() if e.folder.parent == ENVS_DIR]


def test_templates_are_shipped_and_load():
    assert len(SHIPPED) >= 3, [e.name for e in SHIPPED]
    assert all(e.error is None for e in SHIPPED), [e.error for e in SHIPPED if e.error]


@pytest.mark.parametrize("entry", SHIPPED, ids=[e.name for e in SHIPPED])
def test_template_depth(entry):
    assert len(entry.cls.tools()) >= 8
    assert {"read", "write"} <= {s.kind for s in entry.cls.tools().values()}
    assert len(entry.cls.difficulties()) >= 3
    for shape, phrasings in entry.cls.phrasings.items():
        assert len(phrasings) >= 2, shape


@pytest.mark.parametrize("entry", SHIPPED, ids=[e.name for e in SHIPPED])
def test_template_passes_envs_check_on_its_default_seeds(entry, bwrap):
    failures = [row for row in check_template(entry) if not row.ok]
    assert not failures, "\n".join(f"{r.check}: {f}" for r in failures for f in r.failures or ["none passed"])


def test_envs_check_cli_exits_nonzero_on_failure(synth_cli, fixture_envs, bwrap):
    ok = synth_cli("envs", "check", "notes", "--envs-dir", str(fixture_envs), "--seeds", "1")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = synth_cli("envs", "check", "loose", "--envs-dir", str(fixture_envs), "--seeds", "1")
    assert bad.returncode == 1 and "FAIL  loose: tasks pass the acceptance gate" in bad.stdout
    assert "accepts_side_effect" in bad.stdout and "accepts_wrong_answer" in bad.stdout  # every failure, in full
