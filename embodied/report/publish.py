"""`embodied publish EXPERIMENT`: an experiment's report made a result to commit. `results/<name>/` gets the
report's summary.md and PNG figures (no videos, no checkpoints: the repository stays small), the experiment
file that runs it again from any checkout, and `findings.md`, the part of the README's findings section that
`embodied findings` builds from it, with the command and the commits that produced the numbers."""

import shutil
from pathlib import Path

import yaml

from embodied.experiments.results import ExperimentRecord
from embodied.experiments.spec import REPO
from embodied.report.analysis import Analysis
from embodied.report.tables import CONDITION_COLUMNS, conditions_table, markdown_table
from embodied.report.write import write_report
from embodied.run_folder import atomic_write

RESULTS = REPO / "results"
FINDINGS_FILE = "findings.md"
SUMMARY_FILE = "summary.md"
CURVES_FIGURE = "learning_curves.png"  # the one figure the README shows; the summary has them all


def publish(experiment: str | Path, out: str | Path | None = None) -> Path:
    """Rewrite the experiment's report and copy what is worth keeping to `out` (default results/<name>/);
    figures of an earlier publication that the report no longer draws are removed. Returns the folder."""
    page, analysis = write_report(experiment)
    record = analysis.experiment
    out = Path(out) if out else RESULTS / record.name
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.png"):
        stale.unlink()
    for figure in page.parent.glob("*.png"):
        shutil.copyfile(figure, out / figure.name)
    shutil.copyfile(page.parent / SUMMARY_FILE, out / SUMMARY_FILE)
    experiment_file = out / "experiment.yaml"
    text = "# Runs it again: `embodied experiment " + _shown(experiment_file) + "`\n" + portable_spec(record)
    atomic_write(experiment_file, lambda f: f.write(text.encode()))
    atomic_write(out / FINDINGS_FILE, lambda f: f.write(findings_fragment(analysis, out).encode()))
    return out


def portable_spec(record: ExperimentRecord) -> str:
    """The resolved experiment without this machine's paths: the base config relative to the repository, no
    run_dir (the default, runs/, holds it where it is run again)."""
    spec = record.spec.model_dump(mode="json")
    spec["overrides"] = {k: v for k, v in spec["overrides"].items() if k != "run_dir"}
    if spec["base"] and Path(spec["base"]).is_relative_to(REPO):
        spec["base"] = str(Path(spec["base"]).relative_to(REPO))
    return yaml.safe_dump(spec, sort_keys=False)


def findings_fragment(analysis: Analysis, out: Path) -> str:
    """The conditions table with how it was made (the command, the code, how many runs finished) and the learning
    curves."""
    record = analysis.experiment
    counts = record.counts()
    total = sum(counts.values())
    seeds = record.spec.seeds
    lines = [f"### {record.name}: {record.spec.description}", "",
             markdown_table(CONDITION_COLUMNS, conditions_table(analysis)), "",
             f"{counts['finished']} of {total} runs finished ({len(seeds)} seeds per condition: "
             f"{', '.join(map(str, seeds))}). Made by `embodied experiment {_shown(out / 'experiment.yaml')}` "
             f"with the code at {_codes(record)}; the report with its figures: [{_shown(out / SUMMARY_FILE)}]"
             f"({_shown(out / SUMMARY_FILE)}).", "",
             f"![{record.name}: learning curves]({_shown(out / CURVES_FIGURE)})"]
    return "\n".join(lines) + "\n"


def _codes(record: ExperimentRecord) -> str:
    """The commits the finished runs were made with (several when an experiment went on over sessions)."""
    codes = sorted({_short(run.summary.get("code")) for condition in record.conditions.values()
                    for run in condition.runs.values() if run.status == "finished"})
    return ", ".join(codes) or "no finished run"


def _short(code: str | None) -> str:
    if code is None:
        return "an unrecorded commit (runs made before summaries named it)"
    if code.startswith("embodied "):
        return code
    commit, plus, changes = code.partition("+")
    return f"`{commit[:12]}{plus}{changes}`"


def _shown(path: Path) -> str:
    """A path as the README shows it: relative to the repository where it lies inside it."""
    path = path.resolve()
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)
