"""Outside worlds: a Gymnasium environment written elsewhere trains with this project's learner from the CLI
(`world.name=gym:<id> world.import=<module>`), with its run folder, checkpoints, resume, evaluation and video.
tests/embodied/reach_world.py is such an environment: dict observations with an image and a vector, continuous
actions. It has no probe of ours: its curve is the episode return on held-out seeds, and competence is not defined.
"""

import json
from pathlib import Path

import pytest
import torch

import envs
from embodied.cli import main
from embodied.metrics import read_metrics

STEPS = 80 * 256  # 80 updates of 8 worlds x 32 steps: about 20 s on 2 cores
REACH = ["world.name=gym:ReachTest-v0", "world.import=reach_world", "world.num_envs=8", "ppo.rollout_steps=32",
         f"train.eval_every={STEPS // 4}", f"train.checkpoint_every={STEPS // 2}", "eval.num_envs=8", "eval.seconds=4",
         "video.seconds=1"]


@pytest.fixture(autouse=True)
def importable(monkeypatch):
    monkeypatch.syspath_prepend(str(Path(__file__).parent))


def test_an_outside_world_trains_from_the_cli_and_its_return_rises_above_a_random_policys(tmp_path, capsys):
    run = tmp_path / "reach"
    assert main(["train", *REACH, f"run_dir={tmp_path}", "name=reach", f"train.total_steps={STEPS}", "--quiet"]) == 0
    out = capsys.readouterr().out
    summary = json.loads((run / "summary.json").read_text())
    newborn = read_metrics(run / "metrics.csv")[0]["probe/episode_return"]
    assert summary["final_score"] > max(summary["random_score"], newborn) + 15, summary  # about -38 to -9
    assert summary["reference_score"] is None and summary["competent"] is None
    assert summary["time_to_competence_seconds"] is None and "time to competence: not defined" in out
    assert (run / "videos" / "trained.mp4").stat().st_size > 0

    assert main(["train", "--resume", str(run), f"train.total_steps={STEPS + 1024}", "--quiet", "--no-video"]) == 0
    assert json.loads((run / "summary.json").read_text())["env_steps"] == STEPS + 1024
    capsys.readouterr()
    assert main(["evaluate", str(run)]) == 0
    assert "probe/episode_return" in capsys.readouterr().out


def test_observations_become_senses_and_actions_are_stretched_to_the_environments_bounds():
    import reach_world

    with envs.make("gym:ReachTest-v0", num_envs=2, seed=3) as world:
        assert world.single_observation_space["view"].shape == (16, 16, 3), "an image stays an image"
        assert world.single_observation_space["where"].shape == (4,)
        observation, _ = world.reset(seed=3)
        start = observation["where"][:, :2].clone()
        observation, *_ = world.step(torch.ones(2, 2))  # the agent's +1 is the environment's top speed
        assert torch.allclose(observation["where"][:, :2], (start + reach_world.SPEED).clamp(max=1.0))
        for _ in range(reach_world.STEPS - 1):
            observation, reward, terminated, truncated, info = world.step(torch.ones(2, 2))
        assert truncated.all() and info["episode_end"].all(), "the episode ended, and the next began"
        assert torch.equal(info["final_obs"]["where"][:, :2], torch.ones(2, 2)), "its last observation: the corner"
        assert not torch.equal(observation["where"][:, :2], torch.ones(2, 2))
    with envs.make("gym:Pendulum-v1", num_envs=1) as pendulum:  # a Box observation is one sense, `state`
        assert list(pendulum.single_observation_space) == ["state"] and pendulum.dt == pytest.approx(0.05)


@pytest.mark.parametrize("options, error", [
    ({"name": "gym:NoSuchWorld-v0"}, "no Gymnasium environment 'NoSuchWorld-v0'.*world.import=MODULE"),
    ({"name": "gym:ReachTest-v0", "import_": "no_such_module"}, "world.import=no_such_module: No module named"),
    ({"name": "gym:CartPole-v1"}, "acts by Discrete.*continuous \\(Box\\) actions only"),
])
def test_an_outside_world_that_cannot_be_made_says_why(options, error, tmp_path, capsys):
    name = options.pop("name")
    with pytest.raises(ValueError, match=error):
        envs.make(name, **options)
    overrides = [f"world.name={name}"] + [f"world.import={module}" for module in options.values()]
    assert main(["train", *overrides, f"run_dir={tmp_path}", "--quiet"]) == 2
    assert not any(tmp_path.iterdir()), "refused before a run folder is made"
