"""Every innate prior that needs no ancestor, and every gradient learning rule, trains end to end from the command
line: a tiny run updates the network and leaves its summary. (Priors born from an ancestor are trained from the
command line in test_ancestry, test_genome_cli and test_es_ancestry.)"""

import json
from pathlib import Path

import pytest
import torch

from embodied.cli import main
from embodied.metrics import read_metrics

SMOKE = str(Path(__file__).resolve().parents[2] / "configs" / "smoke.yaml")
TINY = ("train.total_steps=128", "train.eval_every=128", "train.checkpoint_every=128", "eval.seconds=1")


@pytest.mark.parametrize("overrides", [
    ("prior.name=reflex", "prior.reflex_fade_seconds=60"),
    ("prior.name=cpg", "world.name=Walk"),
    ("agent.learning_rule=feedback_alignment",),
    ("agent.learning_rule=sign_symmetry", "agent.vision_encoder=mlp"),
    ("agent.layer_rules={encoders: feedback_alignment, heads: sign_symmetry}",),
], ids=lambda overrides: " ".join(overrides))
def test_a_tiny_run_trains_and_leaves_its_summary(tmp_path, overrides):
    assert main(["train", SMOKE, *overrides, *TINY, f"run_dir={tmp_path}", "name=run", "--quiet", "--no-video"]) == 0
    run = tmp_path / "run"
    updates = [row for row in read_metrics(run / "metrics.csv") if "loss/policy" in row]
    assert len(updates) == 2 and all(torch.isfinite(torch.tensor(row["loss/value"])) for row in updates)
    summary = json.loads((run / "summary.json").read_text())
    assert summary["env_steps"] == 128 and summary["final_score"] is not None
