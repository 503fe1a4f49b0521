"""A training run goes on past a training world whose physics diverged: the world starts a new life, the log says which
world and when, and the run's metrics and summary count it."""

import json
import math
from pathlib import Path

import torch

from embodied.cli import main
from embodied.metrics import read_metrics
from envs.backends import MujocoBackend

SMOKE = str(Path(__file__).resolve().parents[2] / "configs" / "smoke.yaml")
TRAINING_WORLDS = 3  # the evaluation worlds are two: only a training world is blown up


def test_a_run_goes_on_past_a_diverged_world_and_counts_it(tmp_path, monkeypatch, capsys):
    step, steps = MujocoBackend.step, []

    def step_and_blow_up_once(self, ctrl, substeps):
        if self.num_envs == TRAINING_WORLDS:
            steps.append(None)
            if len(steps) == 100:  # a NaN in world 1's state, as a diverging solver leaves it
                qpos = self.qpos.clone()
                qpos[1, 0] = math.nan
                self.write(torch.tensor([False, True, False]), qpos=qpos)
        return step(self, ctrl, substeps)

    monkeypatch.setattr(MujocoBackend, "step", step_and_blow_up_once)
    assert main(["train", SMOKE, f"run_dir={tmp_path}", "name=unstable", f"world.num_envs={TRAINING_WORLDS}",
                 "--no-video"]) == 0
    summary = json.loads((tmp_path / "unstable" / "summary.json").read_text())
    assert summary["unstable_resets"] == 1 and summary["env_steps"] >= 2000, "counted, and the run went on"
    counts = [row["unstable_resets"] for row in read_metrics(tmp_path / "unstable" / "metrics.csv")
              if "unstable_resets" in row]
    assert counts[0] == 0 and counts[-1] == 1
    assert "physics diverged in world 1 (1x, last at its control step 99); it was reset" in capsys.readouterr().out
