"""The report on an experiment folder written by hand, so the figures it must show are known; and the report
opened from disk in a real headless Chromium (from the Debian packages, which `.ci/run` installs)."""

import os
import shutil
import time

import numpy as np
import pytest
import yaml

from embodied.cli import main
from embodied.experiments.results import load_experiment
from embodied.report.analysis import analyse
from embodied.report.tables import AUC_COMPARISON, COMPETENCE_COMPARISON, conditions_table
from embodied.report.write import write_report
from embodied.run_folder import RunFolderError
from embodied.statistics import Estimate

FAST, SLOW = "aux.forward_model=0.1", "aux.forward_model=0.0"  # the toy experiment's conditions (conftest.py)


def test_conditions_table_counts_every_run_and_censors(experiment):
    analysis = analyse(load_experiment(experiment))
    fast, slow = conditions_table(analysis)
    assert fast[:3] == ("aux.forward_model=0.1", "3/3", "3/3")
    assert fast[3].startswith("4.0 min [")  # IQM of 2, 4, 6 minutes (3 values: the mean)
    assert slow[:3] == ("aux.forward_model=0.0", "2/3, 1 crashed", "1/2")
    assert slow[3].startswith("≥ 6.7 min")  # (200 s + the censored run at its 600 s budget) / 2
    assert fast[6].startswith("1.00 [1.00, 1.00]")  # training minus held-out
    matrix = analysis.competence_matrix
    # fast vs slow: 120 beats 200; 240 and 360 lose to it; all three beat the censored run
    assert matrix["aux.forward_model=0.1"]["aux.forward_model=0.0"].value == pytest.approx(4 / 6)
    assert matrix["aux.forward_model=0.0"]["aux.forward_model=0.1"].value == pytest.approx(2 / 6)
    assert analysis.conditions[0].median_run.seed == 1  # the middle of 120, 240, 360 s


def test_performance_profiles_of_the_final_score_share_their_thresholds(experiment):
    fast, slow = (result.profile for result in analyse(load_experiment(experiment)).conditions)
    # Final scores: fast 26, 26, 26; slow 17 and 5 (the crashed run has none). Thresholds span 5 .. 26 and 5% more.
    np.testing.assert_array_equal(fast.taus, slow.taus)
    assert (fast.taus[0], fast.taus[-1]) == (pytest.approx(3.95), pytest.approx(27.05))
    assert (fast.n, slow.n) == (3, 2)
    below, between, above = (np.searchsorted(fast.taus, tau) for tau in (4.5, 10.0, 26.5))
    assert [fast.fraction[i] for i in (below, between, above)] == [1, 1, 0]
    assert [slow.fraction[i] for i in (below, between, above)] == [1, 0.5, 0]
    # Two runs resampled: a fraction of 0, 0.5 or 1 with probabilities 1/4, 1/2, 1/4; all three fast runs are alike.
    assert (slow.low[between], slow.high[between]) == (0, 1)
    assert (fast.low[between], fast.high[between]) == (1, 1)


def test_probabilities_of_improvement_are_reported_with_their_intervals(experiment):
    page, analysis = write_report(experiment)
    # fast [120, 240, 360] s vs slow [200, never]: P = 4/6. A resample of slow that is all 200 s (1/4) with one of
    # fast that lacks 120 s (8/27) gives 0: 7% of resamples, so the lower end is 0; slow all never (1/4) gives 1.
    assert analysis.competence_matrix[FAST][SLOW] == Estimate(pytest.approx(4 / 6), 0.0, 1.0, 5)
    summary, html = (experiment / "report" / "summary.md").read_text(), page.read_text()
    assert f"| {COMPETENCE_COMPARISON} | {FAST} | {SLOW} |" in summary and AUC_COMPARISON in summary
    assert f"| {FAST} | - | 0.67 [0.00, 1.00] |" in summary and f"| {SLOW} | 0.33 [0.00, 1.00] | - |" in summary
    assert f"<tr><td>{FAST}</td><td>-</td><td>0.67 [0.00, 1.00]</td></tr>" in html
    auc = analysis.auc_matrix[FAST][SLOW]  # every fast run learns more over life than either slow run
    assert (auc.value, auc.ci_low, auc.ci_high) == (1.0, 1.0, 1.0)
    assert f"<tr><td>{FAST}</td><td>-</td><td>1.00 [1.00, 1.00]</td></tr>" in html


def test_report_files_are_written_and_embedded(experiment):
    page, _ = write_report(experiment)
    report = experiment / "report"
    assert page == report / "index.html"
    for name in ("learning_curves.png", "performance_profile.png", "time_to_competence.png", "competence_matrix.png",
                 "summary.md"):
        assert (report / name).stat().st_size > 0
    html = page.read_text()
    assert html.count("data:image/png;base64,") == 4 and html.count("data:video/mp4;base64,") == 2
    assert "Performance profile: fraction of runs whose final probe score is above each threshold" in html
    assert "physics diverged" in html and "Literature values" in html and "Spalding" in html
    assert "not measured by this testbed" in html
    summary = (report / "summary.md").read_text()
    assert "| aux.forward_model=0.1 | 3/3 | 3/3 |" in summary
    assert "![performance_profile](performance_profile.png)" in summary


def test_the_report_command_prints_the_table_and_the_page(experiment, capsys):
    assert main(["report", str(experiment)]) == 0
    out = capsys.readouterr().out
    assert "| aux.forward_model=0.0 | 2/3, 1 crashed | 1/2 |" in out
    assert f"report: {experiment / 'report' / 'index.html'}" in out


def test_a_report_needs_a_finished_run_in_an_experiment_folder(tmp_path, capsys):
    root = tmp_path / "empty"
    root.mkdir()
    (root / "experiment.yaml").write_text(yaml.safe_dump({"name": "empty", "seeds": 1}))
    with pytest.raises(RunFolderError, match="no finished run"):
        write_report(root)
    assert main(["report", str(root)]) == 2
    assert main(["report", str(tmp_path / "nowhere")]) == 2
    assert "not an experiment folder" in capsys.readouterr().err


@pytest.fixture
def browser():
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver_path):
        if os.environ.get("CI"):
            pytest.fail("CI must test the report in a browser: apt-get install chromium chromium-driver")
        pytest.skip("no chromium/chromedriver (Debian: apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    yield driver
    driver.quit()


def loaded(browser, script: str, timeout: float = 10.0):
    """Poll `script` until it returns something truthy: media load after the page does."""
    deadline = time.monotonic() + timeout
    while not (result := browser.execute_script(script)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return result


def test_report_opens_from_disk_with_table_figures_and_videos(experiment, browser):
    page, _ = write_report(experiment)
    browser.get(page.as_uri())
    rows = browser.execute_script("return [...document.querySelectorAll('#conditions tbody tr')]"
                                  ".map(r => r.cells[0].textContent)")
    assert rows == ["aux.forward_model=0.1", "aux.forward_model=0.0"]
    assert browser.execute_script("return document.querySelectorAll('#literature tbody tr').length") >= 1
    images = loaded(browser, "const i = [...document.images]; "
                             "return i.every(x => x.complete && x.naturalWidth > 0) && i.length")
    assert images == 4
    durations = loaded(browser, "const v = [...document.querySelectorAll('video')]; "
                                "return v.every(x => x.readyState >= 1 && x.duration > 0) && v.map(x => x.duration)")
    assert durations and len(durations) == 2 and all(d == pytest.approx(1.0, abs=0.2) for d in durations)
