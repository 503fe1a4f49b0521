"""Which code produced a result: the git commit of the project's checkout (and whether it had changes not yet
committed), else the installed package's version. Every run's summary records it, so published results name the
commit their numbers came from even when an experiment's runs were made over several sessions."""

import subprocess
from importlib import metadata
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def code_version() -> str:
    """`<commit>`, `<commit>+changes` for a checkout with uncommitted changes to tracked files other than Markdown
    and tests (neither changes a result), or `embodied <version>` where the project is not a git checkout (an
    installed wheel)."""
    try:
        commit = _git("rev-parse", "HEAD")
        changed = _git("status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)*.md", ":(exclude)tests")
    except (OSError, subprocess.CalledProcessError):
        return f"embodied {metadata.version('embodied')}"
    return commit + ("+changes" if changed else "")


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(PROJECT), *args], capture_output=True, text=True, check=True,
                          timeout=30).stdout.strip()
