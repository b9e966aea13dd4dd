"""`synth envs new` gives a template that passes `synth envs check` before anyone edits it."""


def test_new_template_passes_check_unedited(synth_cli, tmp_path, bwrap):
    made = synth_cli("envs", "new", "stockroom", "--out", str(tmp_path))
    assert made.returncode == 0, made.stdout + made.stderr
    assert (tmp_path / "stockroom" / "env.py").is_file() and (tmp_path / "stockroom" / "test_stockroom.py").is_file()
    checked = synth_cli("envs", "check", "stockroom", "--envs-dir", str(tmp_path), "--seeds", "1")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "FAIL" not in checked.stdout


def test_new_refuses_bad_names_and_existing_folders(synth_cli, tmp_path):
    bad = synth_cli("envs", "new", "Not-A-Name", "--out", str(tmp_path))
    assert bad.returncode == 2 and "lowercase" in bad.stdout
    (tmp_path / "taken").mkdir()
    taken = synth_cli("envs", "new", "taken", "--out", str(tmp_path))
    assert taken.returncode == 2 and "already exists" in taken.stdout
