"""A blank newborn learns to forage: its probe rises clearly above the random policy's (and its own
score at birth) on held-out worlds within a small seeded budget (about 68 simulated minutes of life, 40 updates).

With the default 32 worlds every seed tried took off within this budget: seeds 0 to 3 ate 7.9, 12.7, 10.1 and
10.1 food per minute after 80k steps (random 0.75), so the test follows seed 0, the slowest of them."""

from embodied.config import load_config
from embodied.lifetime import train
from embodied.metrics import read_metrics
from embodied.run_folder import RunFolder


def test_blank_agent_learns_to_forage(tmp_path):
    steps = 81920
    cfg = load_config(None, [
        f"run_dir={tmp_path}", "name=learn", "seed=0", f"train.total_steps={steps}",
        f"train.eval_every={steps}", f"train.checkpoint_every={steps}", "eval.num_envs=8", "eval.seconds=20",
    ])
    run = RunFolder.create(cfg)
    summary = train(cfg, run, progress=False)
    probe = [row["probe/food_per_minute"] for row in read_metrics(run.metrics_path) if "probe/food_per_minute" in row]
    newborn, final, random = probe[0], summary["final_score"], summary["random_score"]
    assert final >= max(4 * random, random + 3.0, newborn + 3.0), summary
