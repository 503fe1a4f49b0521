"""Temporal contrast: InfoNCE between moments k steps apart in one life, never across a reset."""

import pytest
import torch

from agents.aux import TemporalContrast, build_aux_losses
from agents.aux.sequences import Later
from agents.config import AuxConfig, PPOConfig
from agents.ppo import PPO


def rollout_transitions(world, agent, steps: int):
    """Every row of one rollout of `steps` steps from a fresh reset, as transitions."""
    ppo = PPO(agent, PPOConfig(rollout_steps=steps), [], "cpu")
    ppo.collect(world, world.reset(seed=0)[0])
    index = torch.arange(steps * world.num_envs)
    batch = ppo.rollout.batch(index)
    return ppo.rollout.transitions(index, batch, agent.latent(batch.obs))


def test_pairs_never_cross_a_reset(make_world, make_agent):
    # Episodes of 3 steps: obs rows 0-2, 3-5 and 6-8 of a rollout of 8 steps are three lives of each world.
    world = make_world(num_envs=4, episode_steps=3)
    agent = make_agent(world)
    transitions = rollout_transitions(world, agent, steps=8)
    later = transitions.later(2)
    t = torch.arange(8).repeat_interleave(4)
    assert torch.equal(later.valid, (t % 3 == 0) & (t < 7))  # (0, 2), (3, 5), (6, 8) in each world
    # The fake world draws a new goal (the first two values of "vector") per life: valid pairs share it, and the
    # pairs refused would not have.
    goal, goal_later = transitions.obs["vector"][:, :2], later.obs["vector"][:, :2]
    assert torch.equal(goal[later.valid], goal_later[later.valid])
    crossing = ~later.valid & (t + 2 <= 8)
    assert (goal[crossing] != goal_later[crossing]).any(-1).all()
    # A life is one world between two resets.
    assert torch.equal(later.life, torch.arange(4).repeat(8) * 9 + t // 3)


def test_a_pair_across_a_reset_does_not_count(make_world, make_agent):
    world = make_world(num_envs=4, episode_steps=3)
    agent = make_agent(world)
    transitions = rollout_transitions(world, agent, steps=8)
    model = TemporalContrast(agent.cfg.latent, steps=2)
    torch.manual_seed(0)
    loss = model(agent, transitions)
    assert loss > 0

    def moved(rows_of: str):
        def later(k: int) -> Later:
            pairs = original(k)
            rows = ~pairs.valid if rows_of == "invalid" else pairs.valid
            obs = {name: x.clone() for name, x in pairs.obs.items()}
            obs["vector"][rows] += 100.0
            return Later(obs, pairs.valid, pairs.life)

        return later

    original = transitions.later
    transitions.later = moved("invalid")
    torch.testing.assert_close(model(agent, transitions), loss)
    transitions.later = moved("valid")  # the same change on the pairs that count does count
    assert (model(agent, transitions) - loss).abs() > 1e-3


def test_temporal_contrast_decreases_when_trained(make_world, make_agent):
    world = make_world(num_envs=16, episode_steps=16, size=8)
    agent = make_agent(world, conv_channels=(8, 8), image_features=32, vector_hidden=32, latent=32)
    cfg = AuxConfig(temporal_contrast=1.0, augment=1)
    ppo = PPO(agent, PPOConfig(rollout_steps=16), build_aux_losses(cfg, agent), "cpu")
    obs = world.reset(seed=0)[0]
    losses = []
    for _ in range(10):
        obs = ppo.collect(world, obs)
        losses.append(ppo.update()["aux/temporal_contrast"])
    assert sum(losses[-3:]) < 0.5 * sum(losses[:3]), losses


def test_pairs_further_apart_than_a_rollout_are_refused(make_world, make_agent):
    world = make_world(num_envs=4, episode_steps=3)
    agent = make_agent(world)
    too_far = build_aux_losses(AuxConfig(temporal_contrast=1.0, contrast_steps=9), agent)
    with pytest.raises(ValueError, match="9 steps apart, but a rollout holds 8 steps.*aux.contrast_steps"):
        PPO(agent, PPOConfig(rollout_steps=8), too_far, "cpu")
    transitions = rollout_transitions(world, agent, steps=8)
    with pytest.raises(ValueError, match="9 steps apart do not fit in a rollout of 8 steps"):
        transitions.later(9)
    # A whole rollout apart fits: only the first row of a world can have its pair, and with lives of 3 steps none do.
    assert not transitions.later(8).valid.any()
    transitions.later = None
    with pytest.raises(ValueError, match="transitions from a rollout"):
        TemporalContrast(agent.cfg.latent)(agent, transitions)
