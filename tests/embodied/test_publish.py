"""Publishing an experiment to results/ and building the README's findings from what was published: the files
a reader needs and nothing heavy, an experiment file that runs it again from any checkout, and a findings section
that follows the results (so no number in the README is typed by hand)."""


from pathlib import Path

import pytest
import yaml

from embodied.cli import main
from embodied.experiments.spec import plan_experiment
from embodied.report.findings import END, START, findings_section, readme_is_current, update_readme
from embodied.report.publish import publish
from embodied.run_folder import RunFolderError

REPO = Path(__file__).resolve().parents[2]


def test_publish_keeps_summary_figures_and_a_portable_experiment(experiment, tmp_path):
    out = publish(experiment, tmp_path / "results" / "toy")
    names = {p.name for p in out.iterdir()}
    assert {"summary.md", "findings.md", "experiment.yaml", "learning_curves.png"} <= names
    assert not any(name.endswith((".mp4", ".pt", ".html")) for name in names)  # no videos, checkpoints, pages
    spec = yaml.safe_load((out / "experiment.yaml").read_text())
    assert "run_dir" not in spec["overrides"] and spec["seeds"] == [0, 1, 2]
    planned = plan_experiment(out / "experiment.yaml")  # runs again as it stands
    assert [c.label for c in planned.conditions] == ["aux.forward_model=0.1", "aux.forward_model=0.0"]
    findings = (out / "findings.md").read_text()
    assert findings.startswith("### toy: a toy")
    assert "| aux.forward_model=0.1 | 3/3 | 3/3 | 4.0 min [" in findings  # the report's own table
    assert "5 of 6 runs finished" in findings  # the crashed run is counted, not hidden
    assert "an unrecorded commit" in findings  # the toy's summaries name no commit
    assert f"![toy: learning curves]({out / 'learning_curves.png'})" in findings


def test_publish_names_the_commits_of_the_runs(experiment, tmp_path):
    for seed, code in enumerate(["a" * 40, "b" * 40 + "+changes", "a" * 40]):
        summary_file = next(experiment.glob(f"runs/aux.forward_model=0.1/seed_{seed}")) / "summary.json"
        summary_file.write_text(summary_file.read_text()[:-1] + f', "code": "{code}"}}')
    findings = (publish(experiment, tmp_path / "toy") / "findings.md").read_text()
    assert "`aaaaaaaaaaaa`" in findings and "`bbbbbbbbbbbb+changes`" in findings


def test_findings_follow_the_published_results(experiment, tmp_path):
    results = tmp_path / "results"
    publish(experiment, results / "toy")
    readme = tmp_path / "README.md"
    readme.write_text(f"# A project\n\n## Findings\n\n{START}\nold numbers typed by hand\n{END}\n\n## More\n")
    assert not readme_is_current(readme, results)
    assert update_readme(readme, results)
    text = readme.read_text()
    assert "old numbers" not in text and findings_section(results) in text and text.endswith("\n## More\n")
    assert readme_is_current(readme, results) and not update_readme(readme, results)
    assert main(["findings", "--readme", str(readme), "--results", str(results), "--check"]) == 0
    (results / "toy" / "findings.md").write_text("### toy: other numbers\n")
    assert main(["findings", "--readme", str(readme), "--results", str(results), "--check"]) == 1


def test_findings_need_their_markers_and_results(experiment, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# A project without a findings section\n")
    publish(experiment, tmp_path / "results" / "toy")
    with pytest.raises(RunFolderError, match="needs exactly one findings section"):
        update_readme(readme, tmp_path / "results")
    with pytest.raises(RunFolderError, match="has no published experiment"):
        findings_section(tmp_path / "nothing")


def test_the_readme_shows_the_committed_results():
    """The project's own README is rebuilt from results/: a changed result without `embodied findings` fails."""
    assert readme_is_current(REPO / "README.md", REPO / "results")
