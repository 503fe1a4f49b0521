"""Which code made a result: a checkout's commit, marked when tracked files had changed."""

import subprocess

from embodied import provenance


def test_code_version_is_the_checkouts_commit_and_marks_changes(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    (repo / "a.py").write_text("x = 1\n")
    (repo / "NOTES.md").write_text("prose\n")
    subprocess.run([*git, "add", "a.py", "NOTES.md"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "a"], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    monkeypatch.setattr(provenance, "PROJECT", repo)
    assert provenance.code_version() == commit
    (repo / "untracked.txt").write_text("runs and notes beside the code do not count\n")
    assert provenance.code_version() == commit
    (repo / "NOTES.md").write_text("prose changed: no result changes with it\n")
    (repo / "tests").mkdir()
    (repo / "tests" / "test_a.py").write_text("def test(): pass\n")
    subprocess.run([*git, "add", "tests"], check=True)
    assert provenance.code_version() == commit
    (repo / "a.py").write_text("x = 2\n")
    assert provenance.code_version() == commit + "+changes"


def test_outside_a_checkout_it_is_the_package_version(tmp_path, monkeypatch):
    monkeypatch.setattr(provenance, "PROJECT", tmp_path)
    assert provenance.code_version().startswith("embodied 0.")
