import copy

import pytest
import torch

from agents.aux import build_aux_losses
from agents.config import AuxConfig, PPOConfig
from agents.ppo import PPO

SMALL = dict(conv_channels=(8, 8), image_features=32, vector_hidden=32, latent=32)


def test_learns_to_reach_the_goal(make_world, make_agent):
    """The best action is the goal, seen only through the normalised vector sense."""
    world = make_world(num_envs=16, episode_steps=16)
    ppo = PPO(make_agent(world, **SMALL), PPOConfig(rollout_steps=16, learning_rate=1e-3), [], "cpu")
    obs = world.reset(seed=0)[0]
    history = []
    for _ in range(30):
        obs = ppo.collect(world, obs)
        history.append(ppo.update())
    first, last = history[0]["episode/return"], sum(m["episode/return"] for m in history[-3:]) / 3
    assert last > 0.4 * first, (first, last)  # returns are negative: the error fell by more than half
    assert history[-1]["explained_variance"] > 0.3
    assert ppo.env_steps == 30 * 16 * 16


def test_resumes_exactly_from_a_state_dict(make_world, make_agent):
    def learner(seed: int) -> PPO:
        world = make_world(num_envs=4, episode_steps=5)
        agent = make_agent(world, seed=seed, **SMALL)
        return PPO(agent, PPOConfig(rollout_steps=6), build_aux_losses(AuxConfig(forward_model=1.0), agent), "cpu")

    def run(ppo: PPO, world, obs, updates: int):
        for _ in range(updates):
            obs = ppo.collect(world, obs)
            metrics = ppo.update()
        return obs, metrics

    world = make_world(num_envs=4, episode_steps=5)
    original = learner(seed=0)
    obs, _ = run(original, world, world.reset(seed=0)[0], updates=2)
    state = copy.deepcopy(original.state_dict())
    twin_world, twin_obs = copy.deepcopy((world, obs))  # the world's state is the world's business
    _, expected = run(original, world, obs, updates=2)

    resumed = learner(seed=1)
    resumed.load_state_dict(state)
    assert resumed.env_steps == 2 * 6 * 4
    _, metrics = run(resumed, twin_world, twin_obs, updates=2)
    assert metrics == expected
    for a, b in zip(resumed.parameters, original.parameters, strict=True):
        assert torch.equal(a, b)


def test_learning_rate_anneals_linearly(make_world, make_agent):
    world = make_world(num_envs=2)
    cfg = PPOConfig(rollout_steps=4, learning_rate=1e-3, anneal_lr=True)
    with pytest.raises(ValueError, match="total_updates"):
        PPO(make_agent(world), cfg, [], "cpu")
    ppo = PPO(make_agent(world), cfg, [], "cpu", total_updates=4)
    obs = world.reset(seed=0)[0]
    rates = []
    for _ in range(4):
        obs = ppo.collect(world, obs)
        rates.append(ppo.update()["learning_rate"])
    assert rates == pytest.approx([1e-3, 0.75e-3, 0.5e-3, 0.25e-3])


def test_metrics_name_every_loss(make_world, make_agent):
    world = make_world(num_envs=2)
    agent = make_agent(world)
    ppo = PPO(agent, PPOConfig(rollout_steps=4), build_aux_losses(AuxConfig(forward_model=0.1), agent), "cpu")
    ppo.collect(world, world.reset(seed=0)[0])
    metrics = ppo.update()
    expected = {"loss/policy", "loss/value", "entropy", "aux/forward_model", "approx_kl", "clipfrac"}
    assert expected <= set(metrics) and all(isinstance(v, float) for v in metrics.values())


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_learner_on_cuda_drives_a_cpu_world(make_world, make_agent):
    world = make_world(num_envs=4, episode_steps=3)
    ppo = PPO(make_agent(world), PPOConfig(rollout_steps=5), [], "cuda")
    obs = ppo.collect(world, world.reset(seed=0)[0])
    assert obs["vision"].is_cuda and ppo.rollout.rewards.is_cuda
    assert ppo.rollout.dones.any()
    assert set(ppo.update()) >= {"loss/policy", "episode/return"}
    assert "cuda_rng" in ppo.state_dict()
