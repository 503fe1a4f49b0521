import pytest

from embodied.plot import plot_learning_curve

PROBE = "probe/food_per_minute"
ROWS = [{"life_seconds": 60.0 * i, PROBE: 0.4 * i} for i in range(1, 6)]


def test_plot_is_a_png(tmp_path):
    rows = [{"life_seconds": 30.0, "loss": 1.0}, *ROWS]  # rows without a probe score are skipped
    out = plot_learning_curve(rows, tmp_path / "plots" / "curve.png", PROBE, reference=2.0, competence=0.5,
                              time_to_competence=180.0, random_policy=0.1)
    data = out.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 5000


def test_plot_explains_what_it_lacks(tmp_path):
    with pytest.raises(ValueError, match="not been evaluated"):
        plot_learning_curve([{"life_seconds": 1.0}], tmp_path / "x.png", PROBE)
    with pytest.raises(ValueError, match="reference"):
        plot_learning_curve(ROWS, tmp_path / "x.png", PROBE, competence=0.5)
