"""The report on an experiment folder written by hand, so the figures it must show are known; and the report
opened from disk in a real headless Chromium (from the Debian packages, which `.ci/run` installs)."""

import json
import os
import shutil
import time
from pathlib import Path

import imageio.v2 as imageio
import numpy as np
import pytest
import yaml

from embodied.cli import main
from embodied.experiments.results import load_experiment
from embodied.experiments.spec import ExperimentSpec, conditions, run_path
from embodied.report.analysis import analyse
from embodied.report.tables import conditions_table
from embodied.report.write import write_report
from embodied.run_folder import RunFolderError

PROBE = "probe/food_per_minute"
BUDGET = 600.0


def write_run(path: Path, scores: list[float], ttc: float | None, video: bool = True) -> None:
    """A finished run: metrics with probe evaluations every 120 s of life, its summary and a video."""
    path.mkdir(parents=True)
    times = np.linspace(0, BUDGET, len(scores))
    lines = ["env_steps,life_seconds," + PROBE] + [f"{int(t * 20)},{t},{s}" for t, s in zip(times, scores, strict=True)]
    (path / "metrics.csv").write_text("\n".join(lines) + "\n")
    summary = {"world": "Forage", "probe": PROBE, "life_seconds": BUDGET, "final_score": scores[-1],
               "training_world_score": scores[-1] + 1.0, "reference_score": 30.0, "random_score": 0.5,
               "competence_threshold": 15.0, "competent": ttc is not None, "time_to_competence_seconds": ttc}
    (path / "summary.json").write_text(json.dumps(summary))
    if video:
        (path / "videos").mkdir()
        frames = [np.full((32, 64, 3), 20 * i, np.uint8) for i in range(10)]
        imageio.mimwrite(path / "videos" / "trained.mp4", frames, fps=10, macro_block_size=1)


@pytest.fixture
def experiment(tmp_path) -> Path:
    """Two conditions x 3 seeds: 'fast' always competent (at 120, 240, 360 s); 'slow' competent once (200 s),
    once not within its budget, and one run crashed."""
    spec = {"name": "toy", "description": "a toy", "axes": {"aux.forward_model": [0.1, 0.0]}, "seeds": 3}
    root = tmp_path / "experiments" / "toy"
    root.mkdir(parents=True)
    (root / "experiment.yaml").write_text(yaml.safe_dump(spec))
    fast, slow = conditions(ExperimentSpec.model_validate(spec))
    for seed, ttc in enumerate([120.0, 240.0, 360.0]):
        write_run(run_path(root, fast, seed), [0, 16, 20, 22, 25, 26], ttc)
    write_run(run_path(root, slow, 0), [0, 2, 16, 16, 16, 17], 200.0)
    write_run(run_path(root, slow, 1), [0, 1, 2, 3, 4, 5], None)
    crashed = run_path(root, slow, 2)
    crashed.mkdir(parents=True)
    (crashed / "error.txt").write_text("RuntimeError: physics diverged\n\ntraceback")
    return root


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


def test_report_files_are_written_and_embedded(experiment):
    page, _ = write_report(experiment)
    report = experiment / "report"
    assert page == report / "index.html"
    for name in ("learning_curves.png", "time_to_competence.png", "competence_matrix.png", "summary.md"):
        assert (report / name).stat().st_size > 0
    html = page.read_text()
    assert html.count("data:image/png;base64,") == 3 and html.count("data:video/mp4;base64,") == 2
    assert "physics diverged" in html and "Literature values" in html and "Spalding" in html
    assert "not measured by this testbed" in html
    assert "| aux.forward_model=0.1 | 3/3 | 3/3 |" in (report / "summary.md").read_text()


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
    assert images == 3
    durations = loaded(browser, "const v = [...document.querySelectorAll('video')]; "
                                "return v.every(x => x.readyState >= 1 && x.duration > 0) && v.map(x => x.duration)")
    assert durations and len(durations) == 2 and all(d == pytest.approx(1.0, abs=0.2) for d in durations)
