"""The report's PNG figures, drawn on Agg canvases without pyplot (headless, no global state)."""

from pathlib import Path
from textwrap import fill

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from embodied.literature import LiteratureOnset
from embodied.report.analysis import Analysis
from embodied.statistics import Estimate

MINUTE = 60.0


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _save(fig: Figure, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    return out


def _yardsticks(analysis: Analysis, draw_line) -> None:
    """The scripted reference's, the competence threshold's and the random policy's probe scores as lines across
    the plot (`ax.axhline` where the probe is the y axis, `ax.axvline` where it is the x axis)."""
    for value, style, label in ((analysis.reference, dict(color="black"), "scripted reference"),
                                (analysis.threshold, dict(color="black", linestyle="--"), "competence"),
                                (analysis.random, dict(color="grey", linestyle=":"), "random policy")):
        if value is not None:
            draw_line(value, label=label, **style)


def learning_curves(analysis: Analysis, out: Path) -> Path:
    """IQM probe score of each condition against simulated life time, with its 95% bootstrap band."""
    fig = _figure(7.5, 4.2)
    ax = fig.add_subplot()
    for result in analysis.conditions:
        if result.curve is None:
            continue
        band, minutes = result.curve, result.curve.times / MINUTE
        line, = ax.plot(minutes, band.iqm, marker="o", markersize=3, label=f"{result.label} (n={band.n})")
        ax.fill_between(minutes, band.low, band.high, color=line.get_color(), alpha=0.2)
    _yardsticks(analysis, ax.axhline)
    ax.set_xlabel("simulated life time (minutes)")
    ax.set_ylabel(f"probe: {analysis.probe or 'score'}\n(IQM over seeds, 95% CI)")
    ax.set_xlim(left=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return _save(fig, out)


def performance_profiles(analysis: Analysis, out: Path) -> Path:
    """Fraction of runs whose final probe score is above each threshold, per condition, with its 95% bootstrap
    band (rliable's score distribution): every seed counts, where the table gives only their IQM."""
    fig = _figure(7.5, 4.2)
    ax = fig.add_subplot()
    for result in analysis.conditions:
        if result.profile is None:
            continue
        profile = result.profile
        line, = ax.plot(profile.taus, profile.fraction, label=f"{result.label} (n={profile.n})")
        ax.fill_between(profile.taus, profile.low, profile.high, color=line.get_color(), alpha=0.2)
    _yardsticks(analysis, ax.axvline)
    ax.set_xlabel(f"final probe: {analysis.probe or 'score'} (threshold)")
    ax.set_ylabel("fraction of runs above\n(95% CI)")
    ax.set_ylim(-0.02, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return _save(fig, out)


def time_to_competence(analysis: Analysis, literature: list[LiteratureOnset], out: Path) -> Path:
    """Measured time-to-competence per condition (IQM and 95% CI; '≥' figures are lower bounds), with the
    literature's onset ages on the same time axis, labelled as such."""
    measured = [r for r in analysis.conditions if r.competence is not None]
    cited = [entry for entry in literature if entry.onset.low_s is not None]
    rows = len(measured) + len(cited)
    fig = _figure(10, 1.4 + 0.55 * max(rows, 1))
    ax = fig.add_subplot()
    y = 0
    labels = []
    for result in measured:
        summary = result.competence
        low, mid, high = (v / MINUTE for v in (summary.ci_low, summary.iqm, summary.ci_high))
        if summary.within_budget:
            ax.plot([low, high], [y, y], color="tab:blue", linewidth=2)
            ax.plot(mid, y, "o", color="tab:blue", fillstyle="none" if summary.iqm_censored else "full")
            if summary.ci_high_censored:
                ax.annotate("", xy=(high * 1.25, y), xytext=(high, y),
                            arrowprops={"arrowstyle": "->", "color": "tab:blue"})
        else:
            ax.annotate("not within budget", xy=(mid, y), xytext=(mid * 1.05, y), va="center", fontsize=8,
                        arrowprops={"arrowstyle": "<-", "color": "tab:red"}, color="tab:red")
        labels.append(fill(f"{result.label} ({summary.n_competent}/{summary.n} competent)", 60))
        y += 1
    for entry in cited:
        ax.plot([entry.onset.low_s / MINUTE, entry.onset.high_s / MINUTE], [y, y], color="tab:orange",
                linewidth=6, alpha=0.6, solid_capstyle="butt")
        labels.append(fill(f"literature: {entry.species}, {entry.behaviour} ({entry.citation.short()})", 60))
        y += 1
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("time (minutes of life; measured: simulated, log scale)")
    ax.grid(alpha=0.3, axis="x")
    return _save(fig, out)


def improvement_matrix(matrix: dict[str, dict[str, Estimate]], title: str, out: Path) -> Path:
    """Heat map of P(row beats column) with its 95% bootstrap interval in each cell; 0.5 means neither is better,
    and an interval that holds 0.5 means the runs cannot tell."""
    labels = list(matrix)
    values = np.full((len(labels), len(labels)), np.nan)
    for i, a in enumerate(labels):
        for j, b in enumerate(labels):
            if a != b:
                values[i, j] = matrix[a][b].value
    fig = _figure(2.5 + 1.1 * len(labels), 1.8 + 0.8 * len(labels))
    ax = fig.add_subplot()
    image = ax.imshow(values, vmin=0, vmax=1, cmap="RdBu")
    for i in range(len(labels)):
        for j in range(len(labels)):
            if i != j:
                cell = matrix[labels[i]][labels[j]]
                ax.text(j, i, f"{cell.value:.2f}\n[{cell.ci_low:.2f}, {cell.ci_high:.2f}]", ha="center",
                        va="center", fontsize=8)
    ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_title(title, fontsize=9)
    fig.colorbar(image, ax=ax, label="P(row beats column)")
    return _save(fig, out)
