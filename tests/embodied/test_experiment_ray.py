"""The Ray path for real: a local Ray with 2 CPUs runs each (condition, seed) as a task in its own worker."""

import os
from pathlib import Path

import ray

from embodied.experiments import load_experiment, run_experiment

SMOKE = Path(__file__).resolve().parents[2] / "configs" / "experiments" / "smoke.yaml"


def test_runs_go_to_ray_tasks_on_a_local_cluster(tmp_path, capsys):
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        tally = run_experiment(SMOKE, [f"run_dir={tmp_path}"], ray_address="local", video=False, progress=False)
        assert ray.is_initialized(), "a Ray this process started is left running"
    finally:
        ray.shutdown()
    assert (tally.finished, tally.skipped, tally.crashed) == (2, 0, 0)
    assert "2 runs; 0 finished earlier, 2 to run as Ray tasks (local)" in capsys.readouterr().out
    record = load_experiment(tally.path)
    runs = [run for condition in record.conditions.values() for run in condition.runs.values()]
    assert [run.status for run in runs] == ["finished", "finished"]
    writers = {event.name.split(".")[-2] for run in runs for event in (run.path / "tb").iterdir()}
    assert str(os.getpid()) not in writers, "trained in Ray's worker processes, not in this one"
