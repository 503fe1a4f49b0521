"""A training run goes on past a training world whose physics diverged: the world starts a new life, the log says which
world and when, the run's metrics and summary count it, and nothing the learner sees or computes is NaN."""

import importlib.util
import json
import math
from pathlib import Path

import pytest
import torch

import envs
from agents.actor_critic import ActorCritic
from agents.config import AgentConfig, PPOConfig
from agents.ppo import PPO
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


@pytest.mark.parametrize("backend", ["mujoco", pytest.param("warp", marks=pytest.mark.skipif(
    importlib.util.find_spec("mujoco_warp") is None, reason="needs mujoco_warp"))])
@pytest.mark.parametrize("blow_up", ["nan position", "huge velocity"])
def test_no_nan_reaches_the_learner_from_a_world_that_diverged(backend, blow_up):
    with envs.make("Forage", num_envs=3, seed=0, vision_size=16, backend=backend) as world:
        agent = ActorCritic(world.single_observation_space, world.single_action_space, AgentConfig())
        ppo = PPO(agent, PPOConfig(rollout_steps=8), [], "cpu", total_updates=1)
        step, steps = world.backend.step, []

        def step_and_blow_up(ctrl, substeps):
            steps.append(None)
            if len(steps) == 4:  # the fourth step of the rollout starts from a broken state in world 1
                part = "qpos" if blow_up == "nan position" else "qvel"
                state = getattr(world.backend, part).clone()
                state[1, 0] = math.nan if blow_up == "nan position" else 1e12
                world.backend.write(torch.tensor([False, True, False]), **{part: state})
            return step(ctrl, substeps)

        world.backend.step = step_and_blow_up
        ppo.collect(world, world.reset(seed=0)[0])
        rollout = ppo.rollout
        assert rollout.dones[3].tolist() == [False, True, False] and world.stability.total == 1
        assert rollout.rewards[3, 1] == 0, "no reward from a diverged step"
        metrics = ppo.update()
        buffers = [*rollout.obs.values(), rollout.rewards, rollout.values, rollout.advantages, rollout.returns]
        assert all(torch.isfinite(buffer.float()).all() for buffer in buffers)
        assert all(math.isfinite(value) for value in metrics.values())
