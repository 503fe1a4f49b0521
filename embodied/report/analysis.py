"""An experiment's runs reduced to what the report shows: per condition, time-to-competence (censored runs
kept), probe curves with bands, area under the curve, final score and its performance profile, the train/held-out
gap and the seed whose video stands for the condition; across conditions, probabilities of improvement."""

import math
from dataclasses import dataclass, field

import numpy as np

from embodied.experiments.results import ExperimentRecord, RunRecord
from embodied.metrics import read_metrics
from embodied.statistics import (
    CompetenceSummary,
    CurveBand,
    Estimate,
    ProfileBand,
    aggregate_curves,
    area_under_curve,
    generalisation_gap,
    improvement_matrix,
    performance_profile,
    summarise,
    summarise_competence,
)

TIME = "life_seconds"


@dataclass
class ConditionResult:
    """One condition's finished runs and their statistics; figures are None while no run has finished."""

    label: str
    values: dict
    finished: list[RunRecord]
    crashed: list[RunRecord]
    unfinished: list[RunRecord]
    competence: CompetenceSummary | None = None
    curve: CurveBand | None = None
    auc: Estimate | None = None
    final: Estimate | None = None
    gap: Estimate | None = None
    profile: ProfileBand | None = None  # of the final probe score, on thresholds shared by all conditions
    median_run: RunRecord | None = None
    aucs: list[float] = field(default_factory=list)  # per finished run

    @property
    def times(self) -> list[float | None]:
        """Time-to-competence of each finished run in simulated seconds; None: not within its budget."""
        return [run.summary["time_to_competence_seconds"] for run in self.finished]

    @property
    def finals(self) -> list[float]:
        """Final probe score of each finished run."""
        return [run.summary["final_score"] for run in self.finished]


@dataclass
class Analysis:
    experiment: ExperimentRecord
    conditions: list[ConditionResult]
    probe: str | None
    reference: float | None
    random: float | None
    threshold: float | None
    world: str | None
    competence_matrix: dict[str, dict[str, Estimate]] = field(default_factory=dict)
    auc_matrix: dict[str, dict[str, Estimate]] = field(default_factory=dict)


def probe_curve(run: RunRecord) -> tuple[list[float], list[float]]:
    """(life seconds, probe score) at each evaluation of a run, from its metrics."""
    probe = run.summary["probe"]
    rows = [row for row in read_metrics(run.path / "metrics.csv") if TIME in row and probe in row]
    return [row[TIME] for row in rows], [row[probe] for row in rows]


def analyse(experiment: ExperimentRecord, seed: int = 0) -> Analysis:
    """Statistics of every condition and every pair of conditions (bootstrap streams seeded by `seed`)."""
    results = [_condition(c.label, c.values, list(c.runs.values()), seed) for c in experiment.conditions.values()]
    done = [r for r in results if r.finished]
    summaries = [run.summary for r in done for run in r.finished]
    analysis = Analysis(experiment, results, _common(summaries, "probe"), _median(summaries, "reference_score"),
                        _median(summaries, "random_score"), _median(summaries, "competence_threshold"),
                        _common(summaries, "world"))
    if done:
        taus = thresholds([score for r in done for score in r.finals])
        for result in done:
            result.profile = performance_profile(result.finals, taus, seed=seed)
    if len(done) > 1:
        analysis.competence_matrix = improvement_matrix({r.label: r.times for r in done}, higher_is_better=False,
                                                        seed=seed)
        analysis.auc_matrix = improvement_matrix({r.label: r.aucs for r in done}, seed=seed)
    return analysis


def thresholds(scores: list[float], points: int = 101) -> np.ndarray:
    """Evenly spaced from a little below the lowest score to a little above the highest, shared by all conditions
    so their profiles can be read against each other; each profile starts at 1 and falls to 0 in the figure."""
    low, high = min(scores), max(scores)
    margin = 0.05 * (high - low) or 1.0
    return np.linspace(low - margin, high + margin, points)


def _condition(label: str, values: dict, runs: list[RunRecord], seed: int) -> ConditionResult:
    by_status = {status: [run for run in runs if run.status == status] for status in ("finished", "crashed",
                                                                                      "unfinished")}
    result = ConditionResult(label, values, by_status["finished"], by_status["crashed"], by_status["unfinished"])
    if not result.finished:
        return result
    curves = [probe_curve(run) for run in result.finished]  # a finished run was probed at birth and at the end
    result.aucs = [area_under_curve(times, scores) for times, scores in curves]
    summaries = [run.summary for run in result.finished]
    result.competence = summarise_competence(result.times, [s["life_seconds"] for s in summaries], seed=seed)
    result.curve = aggregate_curves(curves, seed=seed)
    result.auc = summarise(result.aucs, seed=seed)
    result.final = summarise(result.finals, seed=seed)
    if all("training_world_score" in s for s in summaries):
        result.gap = generalisation_gap([s["training_world_score"] for s in summaries],
                                        [s["final_score"] for s in summaries], seed=seed)
    result.median_run = _median_run(result.finished)
    return result


def _median_run(runs: list[RunRecord]) -> RunRecord:
    """The run in the middle when ranked by time-to-competence (never reached ranks last), then by final
    score: the one whose video shows what the condition typically does."""
    def rank(run: RunRecord) -> tuple[float, float]:
        time = run.summary["time_to_competence_seconds"]
        return (math.inf if time is None else time, -run.summary["final_score"])
    return sorted(runs, key=rank)[(len(runs) - 1) // 2]


def _median(summaries: list[dict], key: str) -> float | None:
    values = sorted(s[key] for s in summaries if s.get(key) is not None)
    return values[len(values) // 2] if values else None


def _common(summaries: list[dict], key: str) -> str | None:
    values = {s.get(key) for s in summaries}
    return values.pop() if len(values) == 1 else None
