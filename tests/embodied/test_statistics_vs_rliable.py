"""Our statistics against rliable's on the same inputs: a few seeds (3 to 10 runs, ties included) of one task.

Point estimates must be equal exactly. Intervals cannot be: ours and rliable's are the same quantiles of the same
bootstrap distribution, each read off a finite number of random resamples. An interval end estimated from B
resamples sits at a probability level within sqrt(a (1 - a) / B) of the intended a (one standard error, 0.0016
at a = 2.5% and B = 10,000), so both ends, ours and rliable's, must lie between the a - eps and a + eps quantiles
of the bootstrap distribution with eps five standard errors (a miss is a one-in-a-million event); those quantiles
are read off a reference bootstrap of 200,000 resamples, whose own level error (0.00035) is small beside eps.
The tolerance is on the probability level, not on the score, because with a handful of runs the bootstrap
distribution is a few atoms: a fixed score tolerance would be too loose on one input and break on the next,
wherever a quantile falls on a jump. A wrong resampling scheme or quantile rule moves an end by whole atoms."""

import numpy as np
import pytest

from embodied.statistics import iqm, performance_profile, probability_of_improvement, summarise

rly = pytest.importorskip("rliable.library")
metrics = pytest.importorskip("rliable.metrics")

TAIL = 0.025  # each end of a 95% interval
REFERENCE = 200_000


def runs(seed: int, n: int, decimals: int) -> np.ndarray:
    """n runs' scores; few decimals make ties."""
    return np.round(np.random.default_rng(seed).normal(size=n), decimals)


CASES = [runs(0, 3, 2), runs(1, 4, 1), runs(2, 5, 0), runs(3, 7, 1), runs(4, 10, 0), runs(5, 10, 3)]


@pytest.fixture(autouse=True)
def global_rng():
    """rliable's resampling draws from numpy's global generator (`np.random.choice`) whatever `random_state` says:
    seed it for a reproducible test and give the rest of the session its state back."""
    state = np.random.get_state()
    np.random.seed(0)
    yield
    np.random.set_state(state)


def assert_same_quantiles(ours, theirs, interval, resamples: int) -> None:
    """`ours` and `theirs` (low, high) both within eps of the levels TAIL and 1 - TAIL of the bootstrap
    distribution that `interval(confidence, resamples)` reads its ends from (see the module docstring)."""
    eps = 5 * np.sqrt(TAIL * (1 - TAIL) / resamples)
    inner_low, inner_high = interval(1 - 2 * (TAIL + eps), REFERENCE)
    outer_low, outer_high = interval(1 - 2 * (TAIL - eps), REFERENCE)
    for low, high in (ours, theirs):
        assert np.all(outer_low <= low) and np.all(low <= inner_low)
        assert np.all(inner_high <= high) and np.all(high <= outer_high)


@pytest.mark.parametrize("x", CASES)
def test_iqm_and_its_interval_match_rliable(x):
    resamples = 10_000
    point, ci = rly.get_interval_estimates({"x": x[:, None]}, lambda s: np.array([metrics.aggregate_iqm(s)]),
                                           reps=resamples)
    ours = summarise(x, resamples=resamples)
    assert iqm(x) == ours.value == point["x"][0]

    def interval(confidence, resamples):
        estimate = summarise(x, confidence, resamples, seed=1)
        return estimate.ci_low, estimate.ci_high

    assert_same_quantiles((ours.ci_low, ours.ci_high), ci["x"][:, 0], interval, resamples)


def _times(values: np.ndarray) -> list[float | None]:
    """Times-to-competence with the highest values censored (None), as a run that never got there."""
    return [None if v > 1 else float(v) + 3 for v in values]


PAIRS = [
    (CASES[0], CASES[1]),
    (CASES[2], CASES[4]),
    (CASES[4], CASES[4]),  # a condition against itself: exactly one half
    (CASES[0][:1], CASES[3]),  # a lone run against seven: the seven are still resampled
]


@pytest.mark.parametrize("x, y", PAIRS)
def test_probability_of_improvement_and_its_interval_match_rliable(x, y):
    resamples = 4_000  # rliable's Mann-Whitney test per resample is slow
    point, ci = rly.get_interval_estimates({"xy": [x[:, None], y[:, None]]}, metrics.probability_of_improvement,
                                           reps=resamples)
    ours = probability_of_improvement(x, y, resamples=resamples)
    assert ours.value == point["xy"]

    def interval(confidence, resamples):
        estimate = probability_of_improvement(x, y, confidence=confidence, resamples=resamples, seed=1)
        return estimate.ci_low, estimate.ci_high

    assert_same_quantiles((ours.ci_low, ours.ci_high), np.ravel(ci["xy"]), interval, resamples)


def test_probability_of_improvement_of_censored_times_is_rliables_on_negated_times():
    # Lower is better and None never got there: rliable on minus the time, a censored run at minus infinity.
    x, y = _times(CASES[3]), _times(CASES[5])
    assert None in x and None in y
    negated = [-np.array([np.inf if t is None else t for t in times])[:, None] for times in (x, y)]
    assert probability_of_improvement(x, y, higher_is_better=False).value == metrics.probability_of_improvement(
        *negated)


@pytest.mark.parametrize("x", CASES)
def test_performance_profile_and_its_band_match_rliable(x):
    resamples = 10_000
    taus = np.linspace(x.min() - 0.5, x.max() + 0.5, 13)
    taus[6] = x[0]  # a threshold on a score: "above" is strict
    profiles, cis = rly.create_performance_profile({"x": x[:, None]}, taus, reps=resamples)
    ours = performance_profile(x, taus, resamples=resamples)
    np.testing.assert_array_equal(ours.fraction, profiles["x"])
    assert ours.fraction[0] == 1 and ours.fraction[-1] == 0 and ours.n == len(x)

    def interval(confidence, resamples):
        band = performance_profile(x, taus, confidence, resamples, seed=1)
        return band.low, band.high

    assert_same_quantiles((ours.low, ours.high), cis["x"], interval, resamples)
