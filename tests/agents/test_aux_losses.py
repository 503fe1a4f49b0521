"""Reconstruction, inverse dynamics, cross-modal prediction and the image augmentation they share."""

import pytest
import torch
from gymnasium import spaces

from agents.actor_critic import ActorCritic
from agents.aux import LOSSES, CrossModal, InverseDynamics, Reconstruction, build_aux_losses
from agents.aux.augment import random_shift
from agents.aux.base import UnexplainedVariance
from agents.config import AgentConfig, AuxConfig, PPOConfig
from agents.ppo import PPO

SMALL = dict(conv_channels=(8, 8), image_features=32, vector_hidden=32, latent=32)
NEW_LOSSES = {"reconstruction": Reconstruction, "inverse_dynamics": InverseDynamics, "cross_modal": CrossModal}


@pytest.mark.parametrize("name", NEW_LOSSES)
def test_registry_builds_each_loss_by_its_weight(make_world, make_agent, name):
    agent = make_agent(make_world())
    [(loss, weight)] = build_aux_losses(AuxConfig(**{name: 0.3}), agent)
    assert isinstance(loss, NEW_LOSSES[name]) and loss.name == name and weight == 0.3 and loss.shift == 0
    [(loss, _)] = build_aux_losses(AuxConfig(**{name: 0.3}, augment=3), agent)
    assert loss.shift == 3
    assert len(build_aux_losses(AuxConfig(**dict.fromkeys(NEW_LOSSES, 1.0), forward_model=1.0), agent)) == 4


def train(world, agent, cfg: AuxConfig, updates: int) -> list[float]:
    """aux/<name> of each update while PPO learns on `world` with that one loss."""
    [name] = [n for n in NEW_LOSSES if getattr(cfg, n) > 0]
    ppo = PPO(agent, PPOConfig(rollout_steps=16), build_aux_losses(cfg, agent), "cpu")
    obs = world.reset(seed=0)[0]
    losses = []
    for _ in range(updates):
        obs = ppo.collect(world, obs)
        losses.append(ppo.update()[f"aux/{name}"])
    return losses


# Reconstruction and cross-modal losses are unexplained variance (1: no better than the batch mean), so they
# must end well below 1; inverse dynamics is a squared error on the action, which it must halve, near enough.
@pytest.mark.parametrize(
    "name, augment, updates, ratio",
    [("reconstruction", 0, 10, 0.2), ("reconstruction", 2, 10, 0.2), ("inverse_dynamics", 0, 20, 0.6),
     ("cross_modal", 0, 12, 0.2)],
)
def test_each_loss_decreases_when_trained(make_world, make_agent, name, augment, updates, ratio):
    world = make_world(num_envs=16, episode_steps=16, size=8)
    agent = make_agent(world, **SMALL)
    losses = train(world, agent, AuxConfig(**{name: 1.0}, augment=augment), updates)
    assert sum(losses[-3:]) < ratio * sum(losses[:3]), losses
    if name != "inverse_dynamics":
        assert losses[-1] < 0.5, losses


def test_inverse_dynamics_takes_no_loss_across_a_reset(make_world, make_agent):
    world = make_world(num_envs=4, episode_steps=3)
    agent = make_agent(world)
    ppo = PPO(agent, PPOConfig(rollout_steps=8), [], "cpu")
    ppo.collect(world, world.reset(seed=0)[0])
    index = torch.arange(8 * 4)
    batch = ppo.rollout.batch(index)
    transitions = ppo.rollout.transitions(index, batch, agent.latent(batch.obs))
    assert (~transitions.valid).sum() == 2 * 4

    model = InverseDynamics(agent.cfg.latent, 2)
    loss = model(agent, transitions)
    transitions.actions = transitions.actions.clone()
    transitions.actions[~transitions.valid] += 5.0
    torch.testing.assert_close(model(agent, transitions), loss)
    transitions.actions[transitions.valid] += 5.0  # the same change on valid rows does count
    assert (model(agent, transitions) - loss).abs() > 1e-3


def test_cross_modal_refuses_a_single_sense():
    one_sense = spaces.Dict({"vector": spaces.Box(-1, 1, (3,))})
    agent = ActorCritic(one_sense, spaces.Box(-1, 1, (2,)), AgentConfig())
    with pytest.raises(ValueError, match="only \\['vector'\\].*aux.cross_modal=0"):
        build_aux_losses(AuxConfig(cross_modal=1.0), agent)


def test_random_shift_moves_each_image_by_at_most_the_pad():
    torch.manual_seed(0)
    h, w, pad = 12, 10, 2
    rows = torch.arange(h)[:, None].expand(h, w)
    cols = torch.arange(w)[None, :].expand(h, w)
    images = torch.stack([rows, cols, torch.zeros_like(rows)], dim=-1).to(torch.uint8).expand(64, h, w, 3)
    shifted = random_shift(images, pad)
    assert shifted.shape == images.shape and shifted.dtype == torch.uint8
    # Every pixel now shows the pixel one whole shift away (clamped at the edge), the same shift per image.
    dy = shifted[:, h // 2, w // 2, 0].long() - h // 2
    dx = shifted[:, h // 2, w // 2, 1].long() - w // 2
    assert dy.abs().max() <= pad and dx.abs().max() <= pad
    assert len(set(zip(dy.tolist(), dx.tolist(), strict=True))) > 10  # shifts differ between images
    expected_rows = (rows + dy[:, None, None]).clamp(0, h - 1)
    expected_cols = (cols + dx[:, None, None]).clamp(0, w - 1)
    assert torch.equal(shifted[..., 0].long(), expected_rows) and torch.equal(shifted[..., 1].long(), expected_cols)
    assert random_shift(images, 0) is images


def test_ppo_state_dict_round_trips_the_new_heads(make_world, make_agent):
    world = make_world()
    cfg = AuxConfig(forward_model=1.0, reconstruction=1.0, inverse_dynamics=1.0, cross_modal=1.0, augment=1)
    agent = make_agent(world, seed=0)
    trained = PPO(agent, PPOConfig(rollout_steps=8), build_aux_losses(cfg, agent), "cpu")
    trained.collect(world, world.reset(seed=0)[0])
    trained.update()
    fresh_agent = make_agent(world, seed=1)
    fresh = PPO(fresh_agent, PPOConfig(rollout_steps=8), build_aux_losses(cfg, fresh_agent), "cpu")
    heads, fresh_heads = trained.aux_losses.state_dict(), fresh.aux_losses.state_dict()
    assert heads.keys() == fresh_heads.keys()
    assert not all(torch.equal(heads[name], fresh_heads[name]) for name in heads)
    fresh.load_state_dict(trained.state_dict())
    fresh_heads = fresh.aux_losses.state_dict()
    for name, tensor in heads.items():
        assert torch.equal(tensor, fresh_heads[name]), name


def test_every_weight_in_the_config_has_a_loss():
    options = {"augment", "contrast_steps", "contrast_temperature"}
    assert set(AuxConfig.model_fields) - options == set(LOSSES), "a weight in AuxConfig without a loss in LOSSES"


def test_unexplained_variance_weighs_targets_by_their_recent_spread():
    torch.manual_seed(0)
    error = UnexplainedVariance()
    target = 100.0 * torch.randn(256, 8)
    guess_the_mean = error(target.mean(0).expand_as(target), target)
    assert 0.9 < guess_the_mean < 1.1  # whatever the target's scale
    assert error(target, target) == 0
    # A minibatch in which the target barely moves is weighed by the spread seen before, not its own.
    still = target[:1].expand(256, 8) + 0.01 * torch.randn(256, 8)
    assert error(still + 10.0, still) < 0.1  # the minibatch's own variance (1e-4) would make it 1e6
