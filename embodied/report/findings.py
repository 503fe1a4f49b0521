"""`embodied findings`: the README's findings section, built from the published results (results/*/findings.md,
written by `embodied publish`), so that no number in it is typed by hand."""

from pathlib import Path

from embodied.experiments.spec import REPO
from embodied.report.publish import FINDINGS_FILE, RESULTS
from embodied.run_folder import RunFolderError, atomic_write

START = "<!-- findings: built by `embodied findings` from results/*/findings.md; edit those, not this -->"
END = "<!-- end of findings -->"
README = REPO / "README.md"


def findings_section(results: Path = RESULTS) -> str:
    """Every published experiment's fragment, in the order of their folders' names."""
    fragments = sorted(results.glob(f"*/{FINDINGS_FILE}"))
    if not fragments:
        raise RunFolderError(f"{results} has no published experiment; `embodied publish EXPERIMENT` makes one")
    return "\n".join(fragment.read_text() for fragment in fragments)


def update_readme(readme: Path = README, results: Path = RESULTS) -> bool:
    """Replace the text between the markers with the findings section; True if the README changed."""
    text = readme.read_text()
    updated = _rebuilt(readme, text, results)
    if updated == text:
        return False
    atomic_write(readme, lambda f: f.write(updated.encode()))
    return True


def readme_is_current(readme: Path = README, results: Path = RESULTS) -> bool:
    """Whether the README's findings are exactly what `update_readme` would write."""
    text = readme.read_text()
    return _rebuilt(readme, text, results) == text


def _rebuilt(readme: Path, text: str, results: Path) -> str:
    if text.count(START) != 1 or text.count(END) != 1 or text.index(START) > text.index(END):
        raise RunFolderError(f"{readme} needs exactly one findings section: a line {START!r}, then a line "
                             f"{END!r}; add them where the findings belong")
    head, rest = text.split(START)
    _, tail = rest.split(END)
    return f"{head}{START}\n\n{findings_section(results)}\n{END}{tail}"
