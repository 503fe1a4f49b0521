"""A training run in a world with a fatal mistake (a fall off the cliff) counts how often the learner made it."""

import json
from pathlib import Path

from embodied.cli import main
from embodied.run_folder import RunFolder
from envs.tasks import Cliff

SMOKE = str(Path(__file__).resolve().parents[2] / "configs" / "smoke.yaml")
TRAINING_WORLDS = 3  # the evaluation worlds are two: only the training worlds' falls count


def test_a_tiny_cliff_run_counts_every_fall_of_its_training_worlds(tmp_path, monkeypatch):
    signalled = []
    step = Cliff.step

    def step_and_note_falls(self, backend, generator):
        reward, terminated, info = step(self, backend, generator)
        if backend.num_envs == TRAINING_WORLDS:
            signalled.append(int(info["fell"].sum()))
        return reward, terminated, info

    monkeypatch.setattr(Cliff, "step", step_and_note_falls)
    assert main(["train", SMOKE, f"run_dir={tmp_path}", "name=cliff", "world.name=Cliff",
                 f"world.num_envs={TRAINING_WORLDS}", "world.arena_size=1.0", "eval.competence=0.01", "eval.hold=1",
                 "--quiet", "--no-video"]) == 0
    summary = json.loads((tmp_path / "cliff" / "summary.json").read_text())
    assert summary["fatal_mistakes"] == sum(signalled) > 0, "a newborn walks off a small platform, and it is counted"

    state, _ = RunFolder(tmp_path / "cliff").load_latest()
    counts = [evaluation["fatal_mistakes"] for evaluation in state["evaluations"]]
    assert counts == sorted(counts) and counts[0] == 0 and counts[-1] == summary["fatal_mistakes"]
    # A criterion so low that any food at all passes it: competence comes at the first evaluation with some.
    assert summary["competent"]
    competent_at = summary["time_to_competence_seconds"]
    before = [e["fatal_mistakes"] for e in state["evaluations"] if e["life_seconds"] == competent_at]
    assert summary["fatal_mistakes_before_competence"] == before[0] <= summary["fatal_mistakes"]
