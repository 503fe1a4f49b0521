"""`embodied report EXPERIMENT`: the experiment folder's report/ with index.html, PNG figures and summary.md."""

from pathlib import Path

import envs
from embodied.experiments.results import load_experiment
from embodied.literature import literature_onsets
from embodied.report import figures
from embodied.report.analysis import Analysis, analyse
from embodied.report.page import html_page, markdown_summary
from embodied.report.tables import COMPETENCE_COMPARISON
from embodied.run_folder import RunFolderError, atomic_write


def task_of(world: str | None) -> str | None:
    """The behaviour a world's probe measures, for the literature to show beside it."""
    entry = next((e for e in envs.entries() if e.name == world), None)
    return entry.task if entry else None


def write_report(experiment: str | Path) -> tuple[Path, Analysis]:
    """Write the report of the experiment at `experiment` (its folder or experiment.yaml) as its runs stand."""
    analysis = analyse(load_experiment(experiment))
    if not any(result.finished for result in analysis.conditions):
        raise RunFolderError(f"{analysis.experiment.path} has no finished run yet; run `embodied experiment` first")
    out = analysis.experiment.path / "report"
    task = task_of(analysis.world)
    literature = literature_onsets(task) if task else []
    drawn = {"learning_curves": figures.learning_curves(analysis, out / "learning_curves.png"),
             "performance_profile": figures.performance_profiles(analysis, out / "performance_profile.png"),
             "time_to_competence": figures.time_to_competence(analysis, literature, out / "time_to_competence.png")}
    if analysis.competence_matrix:
        drawn["competence_matrix"] = figures.improvement_matrix(
            analysis.competence_matrix, COMPETENCE_COMPARISON, out / "competence_matrix.png")
    page = out / "index.html"
    atomic_write(out / "summary.md", lambda f: f.write(markdown_summary(analysis, drawn, literature).encode()))
    atomic_write(page, lambda f: f.write(html_page(analysis, drawn, literature).encode()))
    return page, analysis
