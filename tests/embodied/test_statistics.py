"""The statistics against values worked out by hand on small inputs."""

import numpy as np
import pytest

from embodied.statistics import (
    aggregate_curves,
    area_under_curve,
    bootstrap_ci,
    generalisation_gap,
    improvement_matrix,
    iqm,
    probability_of_improvement,
    summarise,
    summarise_auc,
    summarise_competence,
)


def test_iqm_is_the_mean_of_the_middle_half():
    assert iqm([1, 2, 3, 4, 100, 5, 6, 7]) == 4.5  # sorted 1..7, 100: the middle four are 3, 4, 5, 6
    assert iqm([1, 2, 3, 1000]) == 2.5  # one wild seed does not move it
    assert iqm([1, 2, 30]) == 11.0  # under four runs nothing is cut: the plain mean
    np.testing.assert_allclose(iqm(np.array([[1, 2, 3, 1000], [4, 4, 5, 5]]), axis=-1), [2.5, 4.5])


def test_bootstrap_of_two_values_by_hand():
    # Resampled means of [0, 1] are 0, 0.5, 1 with probabilities 1/4, 1/2, 1/4: the 95% interval is [0, 1].
    assert bootstrap_ci([0.0, 1.0]) == (0.0, 1.0)


def test_bootstrap_without_spread_gives_the_value_at_both_ends():
    assert bootstrap_ci([3.0]) == (3.0, 3.0)
    assert bootstrap_ci([2.0, 2.0, 2.0]) == (2.0, 2.0)


def test_interval_contains_the_iqm_and_narrows_with_more_runs():
    few, many = np.arange(10.0), np.tile(np.arange(10.0), 10)
    low_few, high_few = bootstrap_ci(few)
    low_many, high_many = bootstrap_ci(many)
    assert low_few < iqm(few) < high_few
    assert low_many < iqm(many) < high_many
    assert high_many - low_many < 0.6 * (high_few - low_few)


def test_bootstrap_is_deterministic_given_a_seed():
    values = np.sqrt(np.arange(1.0, 12.0))
    assert bootstrap_ci(values, resamples=500, seed=3) == bootstrap_ci(values, resamples=500, seed=3)
    assert bootstrap_ci(values, resamples=500, seed=3) != bootstrap_ci(values, resamples=500, seed=4)


def test_summarise_gives_the_iqm_its_interval_and_n():
    estimate = summarise([1, 2, 3, 1000])
    assert (estimate.value, estimate.n) == (2.5, 4)
    assert estimate.ci_low <= 2.5 <= estimate.ci_high


def test_competence_when_every_run_got_there():
    s = summarise_competence([60, 120, 180, 240], budgets=1000)
    assert (s.n, s.n_competent, s.iqm) == (4, 4, 150.0)  # middle two: 120 and 180
    assert 60 <= s.ci_low <= 150 <= s.ci_high <= 240
    assert s.within_budget and not s.lower_bound
    assert s.label() == f"2.5 min [{s.ci_low / 60:.1f}, {s.ci_high / 60:.1f}]"


def test_a_censored_run_outside_the_middle_leaves_the_figure_exact():
    # 19 competent runs at 60, 120, ..., 1140 s and one censored at its budget of 1200 s: 20 runs, 5 cut at each
    # end, the middle is 360 ... 900, mean 630; a resample rarely holds the censored run six times over.
    s = summarise_competence([*range(60, 1200, 60), None], budgets=1200)
    assert (s.n, s.n_competent, s.iqm) == (20, 19, 630.0)
    assert not s.lower_bound and s.within_budget
    assert s.ci_high < 1200


def test_a_censored_run_that_sets_the_upper_end_makes_only_that_end_a_bound():
    # Four runs, one censored: the IQM (120, 180 -> 150) is exact, but resamples holding the censored run twice
    # or more reach the upper end, which is then only a lower bound.
    s = summarise_competence([60, 120, 180, None], budgets=1200)
    assert (s.n, s.n_competent, s.iqm) == (4, 3, 150.0)
    assert not s.iqm_censored and s.ci_high_censored and s.lower_bound
    assert s.label() == f"2.5 min [{s.ci_low / 60:.1f}, ≥ {s.ci_high / 60:.1f}]"


def test_a_censored_run_inside_the_middle_makes_the_iqm_a_lower_bound():
    # Two of four censored (half, not more): placed at 1200 s, the middle is 120 and 1200 -> 660 s = 11 min.
    s = summarise_competence([60, None, 120, None], budgets=1200)
    assert (s.n, s.n_competent, s.iqm) == (4, 2, 660.0)
    assert s.iqm_censored and s.within_budget
    assert s.label().startswith("≥ 11.0 min [")


def test_most_runs_censored_is_not_within_budget():
    s = summarise_competence([60, None, None], budgets=600)
    assert (s.n, s.n_competent) == (3, 1)  # counted, never dropped
    assert s.iqm == 420.0  # (60 + 600 + 600) / 3: the censored runs sit at their budget
    assert not s.within_budget
    assert s.label() == "not within budget"
    assert summarise_competence([None, None], budgets=600).label() == "not within budget"


def test_censored_runs_sit_at_their_own_budgets():
    s = summarise_competence([60, None], budgets=[100, 200])
    assert s.iqm == 130.0  # (60 + 200) / 2
    with pytest.raises(ValueError):
        summarise_competence([], budgets=100)


def test_competence_is_deterministic_given_a_seed():
    times = [60, 130, None, 250, 90]
    assert summarise_competence(times, 600, seed=1) == summarise_competence(times, 600, seed=1)


def test_area_under_a_piecewise_linear_curve():
    # A ramp from 0 to 1 over 10 s, then flat for 10 s: area 5 + 10 = 15 over 20 s.
    assert area_under_curve([0, 10, 20], [0, 1, 1]) == 0.75
    assert area_under_curve([0, 1, 3], [2, 2, 0]) == pytest.approx(4 / 3)  # 2 + 2, over 3 s
    assert area_under_curve([100, 110, 120], [0, 1, 1]) == 0.75  # the same shape later in life
    with pytest.raises(ValueError):
        area_under_curve([0, 2, 1], [0, 1, 1])
    with pytest.raises(ValueError):
        area_under_curve([0], [1])


def test_auc_over_runs():
    curves = [([0, 10, 20], [0, 1, 1]), ([0, 10], [0, 0.5]), ([0, 5], [1, 1])]  # 0.75, 0.25, 1.0
    estimate = summarise_auc(curves)
    assert (estimate.value, estimate.n) == (pytest.approx(2 / 3), 3)
    assert estimate.ci_low <= estimate.value <= estimate.ci_high


def test_curves_on_a_shared_grid():
    curves = [([0, 1, 2], [0, 1, 2]), ([0, 1, 2], [0, 2, 2]), ([0, 1, 2], [0, 3, 5])]
    band = aggregate_curves(curves)
    np.testing.assert_array_equal(band.times, [0, 1, 2])
    np.testing.assert_allclose(band.iqm, [0, 2, 3])  # three runs: the mean at each time
    assert band.n == 3
    assert (band.low[0], band.high[0]) == (0, 0)  # no spread at t = 0
    assert np.all(band.low <= band.iqm) and np.all(band.iqm <= band.high)
    np.testing.assert_allclose([band.low[2], band.high[2]], [2, 5])  # min and max of 2, 2, 5 at 95%


def test_curves_on_different_grids_meet_on_the_range_all_cover():
    # Run A: 0..2 s, run B: 0.5..3 s; the shared range is 0.5..2 with the evaluation times of both inside it.
    band = aggregate_curves([([0, 1, 2], [0, 1, 2]), ([0.5, 1.5, 3], [0, 2, 2])])
    np.testing.assert_allclose(band.times, [0.5, 1, 1.5, 2])
    # A interpolated: 0.5, 1, 1.5, 2; B interpolated: 0, 1, 2, 2; two runs: the mean.
    np.testing.assert_allclose(band.iqm, [0.25, 1, 1.75, 2])
    # Resampled means of A and B at 0.5 s are 0, 0.25, 0.5: the band there spans 0 to 0.5.
    np.testing.assert_allclose([band.low[0], band.high[0]], [0, 0.5])


def test_curves_that_share_no_range_are_an_error():
    with pytest.raises(ValueError, match="share no range"):
        aggregate_curves([([0, 1], [0, 1]), ([2, 3], [0, 1])])


def test_probability_of_improvement_by_hand():
    # x=[1,2,3] vs y=[0,2,4]: 1 beats 0; 2 beats 0 and ties 2; 3 beats 0 and 2: 1 + 1.5 + 2 = 4.5 of 9 pairs.
    assert probability_of_improvement([1, 2, 3], [0, 2, 4]).value == 0.5
    # x=[1,2,3] vs y=[0,2,2]: 1 + (1 + 0.5 + 0.5) + 3 = 6 of 9.
    poi = probability_of_improvement([1, 2, 3], [0, 2, 2])
    assert poi.value == pytest.approx(2 / 3)
    assert probability_of_improvement([0, 2, 2], [1, 2, 3]).value == pytest.approx(1 / 3)
    assert poi.ci_low <= poi.value <= poi.ci_high and poi.n == 6


def test_probability_of_improvement_for_times_with_censored_runs():
    # Lower is better; None never got there, loses to every competent run and ties with another None.
    # 10 beats 15, None, None (3); 20 beats None, None (2); None ties None, None (1): 6 of 9.
    poi = probability_of_improvement([10, 20, None], [15, None, None], higher_is_better=False)
    assert poi.value == pytest.approx(2 / 3)
    assert probability_of_improvement([None], [1000], higher_is_better=False).value == 0.0
    assert probability_of_improvement([None, None], [None], higher_is_better=False).value == 0.5


def test_probability_of_improvement_interval_by_hand():
    # Every run of x beats every run of y, whatever the resample: [1, 1].
    poi = probability_of_improvement([5, 6], [0, 1])
    assert (poi.value, poi.ci_low, poi.ci_high) == (1.0, 1.0, 1.0)
    # x resampled from [0, 1] against y=[0.5, 0.5]: 0, 0.5 or 1 with probabilities 1/4, 1/2, 1/4.
    poi = probability_of_improvement([0, 1], [0.5, 0.5])
    assert (poi.value, poi.ci_low, poi.ci_high) == (0.5, 0.0, 1.0)
    # A lone run of x still leaves y to resample (as rliable does): y all 1s or all 9s has probability 1/27 each,
    # over the 2.5% in each tail, so the interval runs from 0 to 1.
    poi = probability_of_improvement([5], [1, 5, 9])
    assert (poi.value, poi.ci_low, poi.ci_high, poi.n) == (0.5, 0.0, 1.0, 4)


def test_improvement_matrix_covers_every_ordered_pair():
    conditions = {"a": [1, 2, 3], "b": [0, 2, 2], "c": [5, 6]}
    matrix = improvement_matrix(conditions)
    assert set(matrix) == {"a", "b", "c"}
    assert all(set(row) == set(conditions) - {name} for name, row in matrix.items())
    assert matrix["a"]["b"].value == pytest.approx(2 / 3)
    assert matrix["c"]["a"].value == 1.0
    for a in conditions:
        for b in matrix[a]:
            assert matrix[a][b].value + matrix[b][a].value == pytest.approx(1)


def test_generalisation_gap_is_paired_by_run():
    gap = generalisation_gap([1, 2, 3, 4], [0.5, 1, 1, 1])  # per run: 0.5, 1, 2, 3 -> middle two: 1.5
    assert (gap.value, gap.n) == (1.5, 4)
    assert gap.ci_low <= 1.5 <= gap.ci_high
    with pytest.raises(ValueError, match="one of each per run"):
        generalisation_gap([1, 2], [1])
