"""configs/graze.yaml from the command line: a cpg newborn trains in Graze, whose held-out evaluations log food per
minute and falls, and whose run counts its falls as fatal mistakes."""

import json
from pathlib import Path

from embodied.cli import main
from embodied.metrics import read_metrics

GRAZE = str(Path(__file__).resolve().parents[2] / "configs" / "graze.yaml")


def test_a_tiny_graze_run_of_a_cpg_newborn(tmp_path):
    assert main(["train", GRAZE, f"run_dir={tmp_path}", "name=graze", "world.num_envs=2", "world.vision_size=16",
                 "ppo.rollout_steps=32", "train.total_steps=128", "train.eval_every=128", "train.checkpoint_every=128",
                 "eval.num_envs=2", "eval.seconds=2", "--quiet", "--no-video"]) == 0
    run = tmp_path / "graze"
    evaluations = [row for row in read_metrics(run / "metrics.csv") if "probe/food_per_minute" in row]
    assert [row["step"] for row in evaluations] == [0, 128]
    assert all("probe/falls_per_minute" in row for row in evaluations)
    summary = json.loads((run / "summary.json").read_text())
    assert summary["world"] == "Graze" and summary["probe"] == "probe/food_per_minute"
    assert summary["random_score"] == 0, "random flailing topples before it reaches any food"
    assert "fatal_mistakes" in summary, "a fall is the fatal mistake a grazing run counts"
