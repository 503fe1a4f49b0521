"""A toy experiment folder written by hand (so the figures its report must show are known), for the report's and
publishing's tests."""

import json
from pathlib import Path

import imageio.v2 as imageio
import numpy as np
import pytest
import yaml

from embodied.experiments.spec import ExperimentSpec, conditions, run_path

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
