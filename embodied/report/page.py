"""The report as one HTML file that opens from disk with no server: figures and videos are embedded as data
URIs, so the file can be moved or mailed on its own. Also a Markdown summary for terminals and notebooks."""

import base64
from html import escape
from pathlib import Path

from embodied.literature import LiteratureOnset
from embodied.report.analysis import Analysis
from embodied.report.tables import (
    AUC_COMPARISON,
    COMPETENCE_COMPARISON,
    CONDITION_COLUMNS,
    LITERATURE_COLUMNS,
    conditions_table,
    improvement_table,
    literature_table,
    markdown_table,
)

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
figure { margin: 1em 0; } img { max-width: 100%; }
.videos { display: flex; flex-wrap: wrap; gap: 1em; } .videos figure { width: 520px; }
video { width: 100%; } .note { color: #555; font-size: 0.9em; }
"""

METHOD = (
    "Every figure is an interquartile mean (IQM) over seeds with a 95% percentile-bootstrap confidence interval. "
    "Runs that never reached competence are censored, never dropped: they are placed at their budget, and a "
    "figure marked '≥' is only a lower bound; a condition where more than half the runs never reached competence "
    "is 'not within budget'. The mean probe over life is the area under the probe curve divided by its span. "
    "P(row beats column) is the probability that a random run of one condition does better than a random run of "
    "the other (ties count half), with a 95% bootstrap interval that resamples each condition's runs; an interval "
    "holding 0.5 means the seeds cannot tell the two apart. The performance profile gives, at each threshold, the "
    "fraction of runs whose final probe is above it, with a 95% bootstrap band: a profile above another at every "
    "threshold beats it whatever summary of the runs one picks. The statistics follow rliable (Agarwal et al. "
    "2021) and are tested against it. 'training - held-out' is the final probe on worlds drawn like the training "
    "worlds minus that on held-out worlds."
)


def data_uri(path: Path, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]], table_id: str) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    return f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _figure(path: Path, caption: str) -> str:
    return (f'<figure><img src="{data_uri(path, "image/png")}" alt="{escape(caption)}">'
            f"<figcaption>{escape(caption)}</figcaption></figure>")


def html_page(analysis: Analysis, figures: dict[str, Path], literature: list[LiteratureOnset]) -> str:
    experiment = analysis.experiment
    counts = experiment.counts()
    parts = [
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{escape(experiment.name)}</title>"
        f"<style>{STYLE}</style></head><body>",
        f"<h1>Experiment {escape(experiment.name)}</h1>",
        f"<p>{escape(experiment.spec.description)}</p>" if experiment.spec.description else "",
        f"<p>World {escape(analysis.world or 'mixed')}; seeds {escape(str(experiment.spec.seeds))}; "
        f"runs: {counts['finished']} finished, {counts['crashed']} crashed, {counts['unfinished']} unfinished.</p>",
        "<h2>Conditions</h2>",
        _table(CONDITION_COLUMNS, conditions_table(analysis), "conditions"),
        f"<p class='note'>{escape(METHOD)}</p>",
        "<h2>Learning curves</h2>",
        _figure(figures["learning_curves"], "Probe score against simulated life time (IQM over seeds, 95% CI)"),
        "<h2>Final probe score, every seed</h2>",
        _figure(figures["performance_profile"], "Performance profile: fraction of runs whose final probe score is "
                "above each threshold (95% bootstrap band)"),
    ]
    if "time_to_competence" in figures:
        parts += ["<h2>Time to competence, beside the literature</h2>",
                  _figure(figures["time_to_competence"], "Measured time to competence (simulated life time) and "
                          "literature onset ages of the modelled behaviour in young animals")]
    if analysis.competence_matrix:
        parts += ["<h2>Pairwise comparison</h2>",
                  _figure(figures["competence_matrix"], COMPETENCE_COMPARISON),
                  _table(*improvement_table(analysis.competence_matrix, COMPETENCE_COMPARISON), "competence-matrix"),
                  _table(*improvement_table(analysis.auc_matrix, AUC_COMPARISON), "auc-matrix")]
    if literature:
        parts += ["<h2>Literature values</h2>",
                  "<p class='note'>Published observations of young animals, not measured by this testbed; shown "
                  "as the yardstick the measured times are compared with.</p>",
                  _table(LITERATURE_COLUMNS, literature_table(literature), "literature")]
    parts.append("<h2>What each condition does (median seed)</h2><div class='videos'>")
    for result in analysis.conditions:
        run = result.median_run
        if run is not None and run.video is not None:
            parts.append(f"<figure><video controls loop muted src='{data_uri(run.video, 'video/mp4')}'></video>"
                         f"<figcaption>{escape(result.label)}, seed {run.seed} (third-person view | what the "
                         "agent sees)</figcaption></figure>")
    parts.append("</div>")
    crashed = [(r.label, str(run.seed), run.error or "", str(run.path)) for r in analysis.conditions
               for run in r.crashed]
    if crashed:
        parts += ["<h2>Crashed runs</h2>", _table(("condition", "seed", "error", "run folder"), crashed, "crashed")]
    parts.append("</body></html>")
    return "\n".join(p for p in parts if p)


def markdown_summary(analysis: Analysis, figures: dict[str, Path], literature: list[LiteratureOnset]) -> str:
    experiment = analysis.experiment
    lines = [f"# Experiment {experiment.name}", "", experiment.spec.description, "",
             markdown_table(CONDITION_COLUMNS, conditions_table(analysis)), "", METHOD, ""]
    lines += [f"![{name}]({path.name})" for name, path in figures.items()]
    if analysis.competence_matrix:
        lines += ["", "## Pairwise comparison", ""]
        for matrix, corner in ((analysis.competence_matrix, COMPETENCE_COMPARISON),
                               (analysis.auc_matrix, AUC_COMPARISON)):
            lines += [markdown_table(*improvement_table(matrix, corner)), ""]
    if literature:
        lines += ["", "## Literature values (published observations, not measured here)", "",
                  markdown_table(LITERATURE_COLUMNS, literature_table(literature))]
    return "\n".join(lines) + "\n"
