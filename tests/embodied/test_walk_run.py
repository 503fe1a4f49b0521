"""A tiny Walk run from the command line: the agent takes the quadruped's senses, and every held-out evaluation
logs all of the task's measures beside the headline probe."""

import json
from pathlib import Path

from embodied.cli import main
from embodied.metrics import read_metrics

SMOKE = str(Path(__file__).resolve().parents[2] / "configs" / "smoke.yaml")
MEASURES = ("probe/forward_speed", "probe/falls_per_minute", "probe/gait_regularity", "probe/duty_factor")


def test_a_tiny_walk_run_logs_every_locomotion_measure(tmp_path):
    assert main(["train", SMOKE, f"run_dir={tmp_path}", "name=walk", "world.name=Walk", "train.total_steps=256",
                 "train.eval_every=128", "train.checkpoint_every=256", "eval.seconds=2", "--quiet", "--no-video"]) == 0
    run = tmp_path / "walk"
    evaluations = [row for row in read_metrics(run / "metrics.csv") if "probe/forward_speed" in row]
    assert [row["step"] for row in evaluations] == [0, 128, 256]
    for row in evaluations:
        assert all(name in row for name in MEASURES), row
        assert 0 <= row["probe/duty_factor"] <= 1 and 0 <= row["probe/gait_regularity"] <= 1
    summary = json.loads((run / "summary.json").read_text())
    assert summary["probe"] == "probe/forward_speed" and summary["reference_score"] > 0.3
    assert "fatal_mistakes" in summary, "a fall is the fatal mistake a walking run counts"
