"""`embodied experiment` on tiny budgets: parallel runs end to end, finished runs skipped, a killed run
resumed from its checkpoint, a crashed run recorded while the others finish and retried next time."""

import json
import subprocess
import sys
import time
from pathlib import Path

import yaml

from embodied.cli import main
from embodied.experiments import load_experiment, run_experiment
from embodied.metrics import read_metrics

ROOT = Path(__file__).resolve().parents[2]
SMOKE = ROOT / "configs" / "experiments" / "smoke.yaml"


def test_cli_runs_every_condition_in_parallel_processes_with_videos(tmp_path, capsys):
    assert main(["experiment", str(SMOKE), f"run_dir={tmp_path}", "--workers", "2", "--quiet"]) == 0
    out = capsys.readouterr().out
    root = tmp_path / "experiments" / "smoke"
    for label in ("aux.forward_model=0.0", "aux.forward_model=0.1"):
        run = root / "runs" / label / "seed_0"
        assert f"{label} seed 0: finished" in out
        for path in ("config.yaml", "summary.json", "metrics.csv", "videos/trained.mp4"):
            assert (run / path).is_file(), path
    assert "2 finished, 0 skipped (finished earlier), 0 crashed" in out
    assert yaml.safe_load((root / "experiment.yaml").read_text())["overrides"]["run_dir"] == str(tmp_path)
    results = json.loads((root / "results.json").read_text())
    assert results["counts"] == {"finished": 2, "crashed": 0, "unfinished": 0}
    assert [run["video"] for c in results["conditions"] for run in c["runs"]] == [
        f"runs/aux.forward_model={fm}/seed_0/videos/trained.mp4" for fm in ("0.0", "0.1")]
    # the main job ends with the conditions table and the report's path
    assert "| aux.forward_model=0.1 | 1/1 |" in out
    assert f"report: {root / 'report' / 'index.html'}" in out and (root / "report" / "index.html").is_file()


def test_skip_finished_resume_killed_record_and_retry_crashed(tmp_path, capsys):
    # prior.name=cpg passes the schema, but the cpg drives a quadruped's legs: the critter's newborn is refused.
    path = tmp_path / "senses.yaml"
    path.write_text(yaml.safe_dump({**yaml.safe_load(SMOKE.read_text()), "name": "senses", "seeds": 2,
                                    "axes": {"prior.name": ["blank", "cpg"]}}))
    first = run_experiment(path, [f"run_dir={tmp_path}"], workers=1, video=False, progress=False)
    assert (first.finished, first.skipped, first.crashed) == (2, 0, 2)
    assert "prior.name=cpg seed 1: crashed (ValueError: the cpg prior drives the quadruped" in capsys.readouterr().out
    record = load_experiment(first.path)
    fine, broken = record.conditions["prior.name=blank"], record.conditions["prior.name=cpg"]
    assert [run.status for run in fine.runs.values()] == ["finished", "finished"]
    assert [run.status for run in broken.runs.values()] == ["crashed", "crashed"]
    assert broken.runs[0].error.startswith("ValueError: the cpg prior") and broken.runs[0].summary is None
    error_text = (broken.runs[0].path / "error.txt").read_text()
    assert "Traceback (most recent call last)" in error_text and "agents/priors/cpg.py" in error_text
    assert fine.runs[0].summary["env_steps"] == 128

    # seed 0 finished; seed 1 is "killed" after its first checkpoint; the crashed runs are retried.
    finished_at = fine.runs[0].path.joinpath("summary.json").stat().st_mtime_ns
    killed = fine.runs[1].path
    (killed / "summary.json").unlink()
    (killed / "checkpoints" / "step_000000000128.pt").unlink()
    first_checkpoint = (killed / "checkpoints" / "step_000000000064.pt").stat().st_mtime_ns
    assert main(["experiment", str(path), f"run_dir={tmp_path}", "--workers", "1", "--no-video", "--quiet"]) == 1
    out = capsys.readouterr().out
    assert "1 finished, 1 skipped (finished earlier), 2 crashed" in out and "run the experiment again" in out
    assert fine.runs[0].path.joinpath("summary.json").stat().st_mtime_ns == finished_at, "finished run skipped"
    assert (killed / "checkpoints" / "step_000000000064.pt").stat().st_mtime_ns == first_checkpoint, "resumed"
    steps = [row["step"] for row in read_metrics(killed / "metrics.csv")]
    assert steps == sorted(set(steps)) and steps[-1] == 128
    assert json.loads((killed / "summary.json").read_text())["env_steps"] == 128
    results = json.loads((first.path / "results.json").read_text())
    assert results["counts"] == {"finished": 2, "crashed": 2, "unfinished": 0}


def test_runs_stop_when_the_experiment_process_is_killed(tmp_path):
    """kill -9 of `embodied experiment` skips its cleanup; its runs must not train on as orphans, racing the next
    invocation for their folders."""
    spec = {**yaml.safe_load(SMOKE.read_text()), "name": "orphans"}
    spec["overrides"] = {**spec["overrides"], "train.total_steps": 10**7, "train.eval_every": 10**6}
    path = tmp_path / "orphans.yaml"
    path.write_text(yaml.safe_dump(spec))
    experiment = subprocess.Popen([sys.executable, "-m", "embodied.cli", "experiment", str(path),
                                   f"run_dir={tmp_path}", "--workers", "2", "--no-video", "--quiet"])
    runs = tmp_path / "experiments" / "orphans" / "runs"
    deadline = time.monotonic() + 240
    while len(list(runs.glob("*/seed_0/checkpoints/*.pt"))) < 2:  # both runs are training
        assert time.monotonic() < deadline and experiment.poll() is None, "the runs never started"
        time.sleep(0.5)
    children = [pid for pid in _pids() if _stat(pid)[1] == str(experiment.pid)]
    assert len(children) >= 2
    experiment.kill()
    experiment.wait()
    deadline = time.monotonic() + 30
    while any(_stat(pid)[0] not in ("gone", "Z") for pid in children):  # a zombie has stopped
        assert time.monotonic() < deadline, "runs trained on after their experiment process was killed"
        time.sleep(0.5)


def _pids() -> list[int]:
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]


def _stat(pid: int) -> tuple[str, str]:
    """(state, parent pid) of a process from /proc, or ("gone", "") once it has been reaped."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return "gone", ""
    return fields[0], fields[1]
