"""The headline picture: probe score against simulated life time, with the levels that give it meaning
(scripted reference, competence threshold, random policy) and the moment competence was reached."""

from collections.abc import Iterable, Mapping
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

TIME = "life_seconds"


def plot_learning_curve(
    rows: Iterable[Mapping[str, float]],
    out_png: str | Path,
    probe: str,
    reference: float | None = None,
    competence: float | None = None,
    time_to_competence: float | None = None,
    random_policy: float | None = None,
) -> Path:
    """Save a PNG of the `probe` column (e.g. probe/food_per_minute) against life time from metrics rows.

    `competence` is the fraction of `reference` that counts as competent (as in EvalConfig), and
    `time_to_competence` is in simulated seconds like `life_seconds`. Drawn on an Agg canvas without
    pyplot, so it works headless and leaves no global figure state behind.
    """
    points = [(row[TIME], row[probe]) for row in rows if TIME in row and probe in row]
    if not points:
        raise ValueError(f"no rows with both {TIME!r} and {probe!r}: the run has not been evaluated yet")
    if competence is not None and reference is None:
        raise ValueError("competence is a fraction of the reference score: pass reference as well")
    latest = max([t for t, _ in points] + [time_to_competence or 0.0])
    unit, scale = ("hours", 3600.0) if latest > 3 * 3600 else ("minutes", 60.0)

    fig = Figure(figsize=(7, 4), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.plot([t / scale for t, _ in points], [s for _, s in points], marker="o", label="agent")
    if reference is not None:
        ax.axhline(reference, color="black", label="scripted reference")
    if competence is not None:
        ax.axhline(competence * reference, color="black", linestyle="--",
                   label=f"competent ({competence:.0%} of reference)")
    if random_policy is not None:
        ax.axhline(random_policy, color="grey", linestyle=":", label="random policy")
    if time_to_competence is not None:
        ax.axvline(time_to_competence / scale, color="tab:green",
                   label=f"competent after {time_to_competence / scale:.3g} {unit}")
    ax.set_xlabel(f"simulated life time ({unit})")
    ax.set_ylabel(f"probe: {probe.removeprefix('probe/').replace('_', ' ')}")
    ax.set_xlim(left=0)
    ax.grid(alpha=0.3)
    ax.legend()

    out = Path(out_png)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=120)
    return out
