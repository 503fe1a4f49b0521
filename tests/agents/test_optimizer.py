"""The learner slows the hidden layers and decays the weights of the rules ppo.hidden_learning_rate_scale and
ppo.weight_decay name, and only those."""

import pytest
import torch
from pydantic import ValidationError
from torch import nn

from agents.config import PPOConfig
from agents.learning_rules.feedback_alignment import FeedbackAlignmentConv2d, FeedbackAlignmentLinear
from agents.ppo import PPO

SMALL = dict(conv_channels=(8, 8), image_features=32, vector_hidden=32, latent=32)


def one_step_without_gradient(ppo: PPO) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
    """Every parameter before and after one optimiser step whose gradients are all zero: Adam alone would not
    move it, so any change is the decay."""
    before = {name: p.detach().clone() for name, p in ppo.agent.named_parameters()}
    for p in ppo.parameters:
        p.grad = torch.zeros_like(p)
    ppo.optimizer.step()
    return {name: (before[name], p.detach()) for name, p in ppo.agent.named_parameters()}


def test_the_weights_of_the_rule_named_decay_and_nothing_else_does(make_world, make_agent):
    agent = make_agent(make_world(), learning_rule="feedback_alignment", layer_rules={"heads": "backprop"}, **SMALL)
    cfg = PPOConfig(learning_rate=1e-3, weight_decay={"feedback_alignment": 10.0, "sign_symmetry": 1.0},
                    hidden_learning_rate_scale={})
    ppo = PPO(agent, cfg, [], "cpu")
    fa_weights = {f"{name}.weight" for name, m in agent.named_modules()
                  if isinstance(m, (FeedbackAlignmentLinear, FeedbackAlignmentConv2d))}
    assert len(fa_weights) == 7  # eye 3, vector sense 2, fusion 2; the heads learn by backprop here
    shrink = 1 - cfg.learning_rate * 10.0
    for name, (before, after) in one_step_without_gradient(ppo).items():
        if name in fa_weights:
            torch.testing.assert_close(after, before * shrink)
        else:
            assert torch.equal(after, before), name  # biases, heads, log std


@pytest.mark.parametrize("rule", ["backprop", "feedback_alignment", "sign_symmetry"])
def test_by_default_no_rule_decays(rule, make_world, make_agent):
    ppo = PPO(make_agent(make_world(), learning_rule=rule, **SMALL), PPOConfig(), [], "cpu")
    assert all(group["weight_decay"] == 0.0 for group in ppo.optimizer.param_groups)
    assert all(torch.equal(before, after) for before, after in one_step_without_gradient(ppo).values())


@pytest.mark.parametrize("rule", ["backprop", "sign_symmetry"])
def test_other_rules_learn_by_plain_adam_in_one_group(rule, make_world, make_agent):
    ppo = PPO(make_agent(make_world(), learning_rule=rule, **SMALL), PPOConfig(), [], "cpu")
    assert [(g["lr"], g["lr_scale"], len(g["params"])) for g in ppo.optimizer.param_groups] == [
        (3e-4, 1.0, len(ppo.parameters))]


def test_feedback_alignment_hidden_layers_learn_at_a_tenth_of_the_heads_rate(make_world, make_agent):
    """Each Adam step moves a parameter by about its learning rate whatever the gradient's size, so with one
    sign-constant gradient step the hidden layers (encoders, fusion) move a tenth as far as the heads."""
    agent = make_agent(make_world(), learning_rule="feedback_alignment", **SMALL)
    ppo = PPO(agent, PPOConfig(learning_rate=1e-3), [], "cpu")
    hidden = {f"{part}.{name}" for part in ("encoders", "fusion")
              for name, _ in getattr(agent, part).named_parameters()}
    assert len(hidden) == 2 * 7  # weight and bias of eye 3, vector sense 2, fusion 2
    before = {name: p.detach().clone() for name, p in agent.named_parameters()}
    for p in ppo.parameters:
        p.grad = torch.ones_like(p)
    ppo.optimizer.step()
    for name, p in agent.named_parameters():
        step = (before[name] - p.detach()).abs().max().item()
        assert step == pytest.approx(1e-4 if name in hidden else 1e-3, rel=1e-3), name


def test_annealing_keeps_the_hidden_layers_share(make_world, make_agent):
    world = make_world(num_envs=2, episode_steps=4)
    ppo = PPO(make_agent(world, learning_rule="feedback_alignment", **SMALL),
              PPOConfig(rollout_steps=4, learning_rate=1e-3, anneal_lr=True), [], "cpu", total_updates=2)
    obs = world.reset(seed=0)[0]
    for _ in range(2):
        obs = ppo.collect(world, obs)
        ppo.update()
    lrs = {g["lr_scale"]: g["lr"] for g in ppo.optimizer.param_groups}
    assert lrs == {1.0: pytest.approx(5e-4), 0.1: pytest.approx(5e-5)}  # the second of two updates: half


def test_zero_decay_is_none_and_backprop_names_only_its_own_layers(make_world, make_agent):
    world = make_world()
    fa = PPO(make_agent(world, learning_rule="feedback_alignment", **SMALL),
             PPOConfig(weight_decay={"feedback_alignment": 0.0}), [], "cpu")
    assert all(torch.equal(before, after) for before, after in one_step_without_gradient(fa).values())
    # Feedback alignment's layers are subclasses of nn.Linear and nn.Conv2d, yet not backprop's.
    mixed = PPO(make_agent(world, layer_rules={"encoders": "feedback_alignment"}, **SMALL),
                PPOConfig(weight_decay={"backprop": 1.0}), [], "cpu")
    changed = {name for name, (before, after) in one_step_without_gradient(mixed).items()
               if not torch.equal(before, after)}
    assert changed == {f"{name}.weight" for name, m in mixed.agent.named_modules() if type(m) in (nn.Linear, nn.Conv2d)}
    assert changed == {"fusion.0.weight", "fusion.2.weight", "actor_mean.weight", "critic.weight"}


def test_decay_of_an_unknown_rule_or_below_zero_is_an_error():
    with pytest.raises(ValidationError, match="unknown learning rule 'fa'"):
        PPOConfig(weight_decay={"fa": 1.0})
    with pytest.raises(ValidationError, match="weight_decay of 'feedback_alignment' is -1.0; give 0"):
        PPOConfig(weight_decay={"feedback_alignment": -1.0})
