"""Honest statistics over seeds, after rliable (Agarwal et al. 2021, "Deep RL at the edge of the statistical
precipice"): a few seeds per condition cannot carry a mean or a median on their own, so every figure is an
interquartile mean with a percentile-bootstrap confidence interval, runs that never reached competence are
censored rather than dropped, comparisons between conditions are probabilities of improvement, and a performance
profile shows every run rather than a summary of them. With one task per experiment and seeds as runs, rliable's
stratified bootstrap reduces to resampling the runs of each condition, which is what is done here, on numpy alone:
rliable pulls arch (below 8, so pandas below 3), statsmodels and seaborn, so it is only a test dependency, and
tests/embodied/test_statistics_vs_rliable.py checks that both give the same figures on the same inputs."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import integrate, stats

Curve = tuple[Sequence[float], Sequence[float]]  # (simulated life seconds, probe score), one run
Statistic = Callable[..., np.ndarray]  # statistic(*samples, axis=-1), vectorised over leading axes

RESAMPLES = 10_000
BATCH = 1_000  # resamples drawn at once: bounds memory for curves with many evaluation times


def iqm(values: Sequence[float] | np.ndarray, axis: int = -1) -> np.ndarray | float:
    """Interquartile mean: the mean of the middle half (`trim_mean` cutting 25% at each end, as rliable does).
    Robust to one outlying seed like the median, yet uses more of the runs, so its interval is narrower.
    With fewer than 4 values nothing is cut and it is the plain mean."""
    result = stats.trim_mean(np.asarray(values, dtype=float), 0.25, axis=axis)
    return float(result) if np.ndim(result) == 0 else result


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its confidence interval over `n` runs."""

    value: float
    ci_low: float
    ci_high: float
    n: int


def bootstrap_ci(
    values: Sequence[float] | np.ndarray,
    statistic: Statistic = iqm,
    confidence: float = 0.95,
    resamples: int = RESAMPLES,
    seed: int = 0,
) -> tuple[float, float]:
    """Percentile bootstrap interval of `statistic(values, axis=-1)` over runs. The percentile method, because
    BCa's acceleration is undefined on the handful of all-alike seeds an experiment often has. One value, or
    all values equal, gives (v, v): there is no spread to resample. Deterministic given `seed`."""
    low, high = _bootstrap((np.asarray(values, dtype=float),), statistic, confidence, resamples, seed)
    return float(low), float(high)


def summarise(
    values: Sequence[float] | np.ndarray, confidence: float = 0.95, resamples: int = RESAMPLES, seed: int = 0
) -> Estimate:
    """IQM over runs with its bootstrap interval."""
    values = np.asarray(values, dtype=float)
    low, high = bootstrap_ci(values, iqm, confidence, resamples, seed)
    return Estimate(iqm(values), low, high, len(values))


@dataclass(frozen=True)
class CompetenceSummary:
    """Time-to-competence of one condition in simulated seconds; see `summarise_competence` for the rules.
    A figure flagged `*_censored` depends on runs that never reached competence, so it is only a lower bound."""

    n: int
    n_competent: int
    iqm: float
    ci_low: float
    ci_high: float
    iqm_censored: bool
    ci_low_censored: bool
    ci_high_censored: bool

    @property
    def lower_bound(self) -> bool:
        """True when the IQM or an end of its interval is only a lower bound."""
        return self.iqm_censored or self.ci_low_censored or self.ci_high_censored

    @property
    def within_budget(self) -> bool:
        """False when more than half the runs never reached competence: not even the median is known."""
        return 2 * (self.n - self.n_competent) <= self.n

    def label(self) -> str:
        """E.g. "12.5 min [10.1, 15.0]", "12.5 min [10.1, ≥ 15.0]", "≥ 40.0 min [35.2, ≥ 41.7]" or "not within
        budget"; "≥" marks each figure that is only a lower bound."""
        if not self.within_budget:
            return "not within budget"
        iqm, low, high = (
            f"{'≥ ' if censored else ''}{seconds / 60:.1f}"
            for seconds, censored in [
                (self.iqm, self.iqm_censored),
                (self.ci_low, self.ci_low_censored),
                (self.ci_high, self.ci_high_censored),
            ]
        )
        return f"{iqm} min [{low}, {high}]"


def summarise_competence(
    times: Sequence[float | None],
    budgets: float | Sequence[float],
    confidence: float = 0.95,
    resamples: int = RESAMPLES,
    seed: int = 0,
) -> CompetenceSummary:
    """IQM and bootstrap interval of time-to-competence over the runs of one condition, censoring included.

    `times[i]` is run i's time-to-competence in simulated seconds, or None if it never got there within its
    budget `budgets[i]` (one number for all runs, or one per run). The rules:
    - a censored run is never dropped (`n` counts it): it is placed at its budget, which is all we know (its
      time is at least that), and ranked after every competent run;
    - the IQM and the interval are computed on these values; a figure that would grow had the censored runs
      taken longer is only a lower bound and flagged: the IQM when a censored run lies in the trimmed middle,
      an end of the interval when one does in the bootstrap resamples that set it (with few seeds, a single
      censored run usually makes the upper end a lower bound);
    - if more than half the runs are censored, the median was not reached and the condition is "not within
      budget" (`within_budget` False), whatever the numbers say.
    """
    n = len(times)
    if n == 0:
        raise ValueError("time-to-competence needs at least one run")
    budgets = np.broadcast_to(np.asarray(budgets, dtype=float), (n,))
    censored = np.array([t is None for t in times])
    at_budget = np.array([b if t is None else t for t, b in zip(times, budgets, strict=True)], dtype=float)
    # The same statistics on the same resamples with the censored runs pushed beyond every competent run:
    # a figure that changes depends on where the censored runs really lie.
    far = np.where(censored, 2 * at_budget.max() + 1, at_budget)
    figures = [iqm(at_budget), *bootstrap_ci(at_budget, iqm, confidence, resamples, seed)]
    pushed = [iqm(far), *bootstrap_ci(far, iqm, confidence, resamples, seed)]
    flags = [not np.isclose(a, b, rtol=1e-12, atol=0) for a, b in zip(figures, pushed, strict=True)]
    return CompetenceSummary(n, int(n - censored.sum()), *figures, *flags)


@dataclass(frozen=True)
class CurveBand:
    """Probe curves of one condition on a common grid: IQM over runs and a pointwise bootstrap band."""

    times: np.ndarray
    iqm: np.ndarray
    low: np.ndarray
    high: np.ndarray
    n: int


def aggregate_curves(
    curves: Sequence[Curve], confidence: float = 0.95, resamples: int = RESAMPLES, seed: int = 0
) -> CurveBand:
    """IQM curve with a pointwise percentile-bootstrap band. Runs evaluated at the same times keep them; if
    the times differ, every run is linearly interpolated onto the union of evaluation times within the range
    that all runs cover, so no run is extrapolated and no point averages over fewer runs than the others."""
    grid, scores = common_grid(curves)
    low, high = _bootstrap((scores.T,), iqm, confidence, resamples, seed)
    return CurveBand(grid, iqm(scores, axis=0), np.asarray(low), np.asarray(high), len(curves))


def common_grid(curves: Sequence[Curve]) -> tuple[np.ndarray, np.ndarray]:
    """The shared evaluation times and the scores on them, shape [runs, times] (see `aggregate_curves`)."""
    if not curves:
        raise ValueError("no curves to aggregate")
    runs = [_curve(times, scores) for times, scores in curves]
    first = runs[0][0]
    if all(np.array_equal(times, first) for times, _ in runs):
        return first, np.stack([scores for _, scores in runs])
    start, end = max(times[0] for times, _ in runs), min(times[-1] for times, _ in runs)
    if start > end:
        raise ValueError(f"the runs' evaluation times share no range (latest start {start}, earliest end {end})")
    grid = np.unique(np.concatenate([times[(times >= start) & (times <= end)] for times, _ in runs]))
    return grid, np.stack([np.interp(grid, times, scores) for times, scores in runs])


def area_under_curve(times: Sequence[float], scores: Sequence[float]) -> float:
    """Trapezoid area under one run's probe curve divided by the time it spans: the mean probe score over
    life, in the probe's own units, so runs and conditions with different budgets stay comparable. It
    rewards learning early as well as learning well, which time-to-competence alone does not."""
    times, scores = _curve(times, scores)
    if len(times) < 2:
        raise ValueError("an area under the curve needs at least two evaluations")
    return float(integrate.trapezoid(scores, times) / (times[-1] - times[0]))


def summarise_auc(
    curves: Sequence[Curve], confidence: float = 0.95, resamples: int = RESAMPLES, seed: int = 0
) -> Estimate:
    """IQM and bootstrap interval over runs of each run's `area_under_curve`."""
    return summarise([area_under_curve(times, scores) for times, scores in curves], confidence, resamples, seed)


@dataclass(frozen=True)
class ProfileBand:
    """A performance profile of one condition: at each threshold, the fraction of runs scoring above it, with a
    pointwise bootstrap band."""

    taus: np.ndarray
    fraction: np.ndarray
    low: np.ndarray
    high: np.ndarray
    n: int


def performance_profile(
    values: Sequence[float] | np.ndarray,
    taus: Sequence[float] | np.ndarray,
    confidence: float = 0.95,
    resamples: int = RESAMPLES,
    seed: int = 0,
) -> ProfileBand:
    """The fraction of runs with a score strictly above each tau and its percentile-bootstrap band, one resample
    of the runs giving the whole curve: rliable's score distribution (`create_performance_profile`). An IQM
    squeezes the runs into one number; the profile shows them all, so a condition with a few failed seeds is told
    apart from one that is uniformly mediocre, and a profile above another at every tau dominates it."""
    values, taus = np.asarray(values, dtype=float), np.asarray(taus, dtype=float)
    above = (values > taus[:, None]).astype(float)  # [taus, runs]
    low, high = _bootstrap((above,), np.mean, confidence, resamples, seed)
    return ProfileBand(taus, above.mean(axis=-1), np.asarray(low), np.asarray(high), len(values))


def probability_of_improvement(
    x: Sequence[float | None],
    y: Sequence[float | None],
    higher_is_better: bool = True,
    confidence: float = 0.95,
    resamples: int = RESAMPLES,
    seed: int = 0,
) -> Estimate:
    """P(a random run of X beats a random run of Y), counting a tie as half (the Mann-Whitney U statistic
    over |X||Y|, rliable's definition). It says how often one condition wins, not by how much, and needs no
    assumption about the shape of either distribution. For time-to-competence pass `higher_is_better=False`:
    None (a censored run) is worse than every run that got there and ties with other censored runs. The
    interval resamples X and Y independently. `n` is |X| + |Y|."""
    a, b = _ranked(x, higher_is_better), _ranked(y, higher_is_better)
    low, high = _bootstrap((a, b), _poi, confidence, resamples, seed)
    return Estimate(float(_poi(a, b)), float(low), float(high), len(a) + len(b))


def improvement_matrix(
    conditions: Mapping[str, Sequence[float | None]],
    higher_is_better: bool = True,
    confidence: float = 0.95,
    resamples: int = RESAMPLES,
    seed: int = 0,
) -> dict[str, dict[str, Estimate]]:
    """`matrix[a][b]` = P(a run of condition a beats a run of condition b), for every ordered pair a != b."""
    return {
        a: {
            b: probability_of_improvement(x, y, higher_is_better, confidence, resamples, seed)
            for b, y in conditions.items()
            if b != a
        }
        for a, x in conditions.items()
    }


def generalisation_gap(
    train_scores: Sequence[float],
    heldout_scores: Sequence[float],
    confidence: float = 0.95,
    resamples: int = RESAMPLES,
    seed: int = 0,
) -> Estimate:
    """Per run, the final probe score on training worlds minus that on held-out worlds; IQM and interval over
    runs. Paired by run, so that the seeds' differences in skill cancel and only the gap remains."""
    train, heldout = np.asarray(train_scores, dtype=float), np.asarray(heldout_scores, dtype=float)
    if train.shape != heldout.shape:
        raise ValueError(f"{len(train)} training scores but {len(heldout)} held-out scores: one of each per run")
    return summarise(train - heldout, confidence, resamples, seed)


def _bootstrap(
    samples: tuple[np.ndarray, ...], statistic: Statistic, confidence: float, resamples: int, seed: int
) -> tuple[np.ndarray | float, np.ndarray | float]:
    """Percentile bootstrap: each sample resampled with replacement along its last axis, independently of the
    others, and the interval read off the quantiles of the resampled statistic (numpy's linear interpolation).
    This is rliable's `get_interval_estimates` (arch's `conf_int(method="percentile")`) with one task, so the two
    differ only by Monte Carlo noise. Written on numpy rather than `scipy.stats.bootstrap` because scipy refuses a
    sample of one run, where rliable still resamples the other side of a comparison. A sample without spread
    gives the statistic itself at both ends, as every resample of it is the sample itself."""
    if any(s.shape[-1] == 0 for s in samples):
        raise ValueError("cannot bootstrap an empty sample")
    rng = np.random.default_rng(seed)
    batches = []
    for start in range(0, resamples, BATCH):
        size = min(BATCH, resamples - start)
        resampled = [s[..., rng.integers(s.shape[-1], size=(size, s.shape[-1]))] for s in samples]
        batches.append(statistic(*resampled, axis=-1))
    tail = 50 * (1 - confidence)
    low, high = np.percentile(np.concatenate(batches, axis=-1), [tail, 100 - tail], axis=-1)
    return low, high


def _poi(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    """Fraction of (x, y) pairs with x > y, ties counting half; vectorised over leading resample axes."""
    x, y = np.moveaxis(x, axis, -1)[..., :, None], np.moveaxis(y, axis, -1)[..., None, :]
    return ((x > y) + 0.5 * (x == y)).mean(axis=(-2, -1))


def _ranked(values: Sequence[float | None], higher_is_better: bool) -> np.ndarray:
    """Values turned so that higher is better, None (censored) the worst of all and equal to itself."""
    sign = 1.0 if higher_is_better else -1.0
    return np.array([-np.inf if v is None else sign * v for v in values], dtype=float)


def _curve(times: Sequence[float], scores: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    times, scores = np.asarray(times, dtype=float), np.asarray(scores, dtype=float)
    if times.ndim != 1 or times.shape != scores.shape or len(times) == 0:
        raise ValueError(f"a curve needs as many scores as times, at least one: got {times.shape}, {scores.shape}")
    if np.any(np.diff(times) <= 0):
        raise ValueError("a curve's evaluation times must increase strictly")
    return times, scores
