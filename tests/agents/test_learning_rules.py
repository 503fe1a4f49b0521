"""Each learning rule's backward is what it claims, trains a small network, and travels with checkpoints."""

import copy
import math

import pytest
import torch
import torch.nn.functional as F
from pydantic import ValidationError
from torch import nn

from agents.config import AgentConfig, PPOConfig
from agents.learning_rules import LEARNING_RULES, learning_rule
from agents.ppo import PPO

SMALL = dict(conv_channels=(8, 8), image_features=32, vector_hidden=32, latent=32)
FEEDBACK_RULES = ["feedback_alignment", "sign_symmetry"]


def expected_feedback(rule: str, layer: nn.Module) -> torch.Tensor:
    """What the rule's papers say B is, written out independently of the implementation."""
    if rule == "feedback_alignment":
        return layer.feedback_weight
    weight = layer.weight.detach()
    return weight.sign() * math.sqrt(2) / math.sqrt(max(weight.shape[0], weight[0].numel()))


def layer_and_input(rule: str, kind: str) -> tuple[nn.Module, torch.Tensor, callable]:
    if kind == "linear":
        return learning_rule(rule).linear(5, 3), torch.randn(4, 5), F.linear
    conv = learning_rule(rule).conv2d(2, 3, kernel_size=3, stride=2, padding=1)
    return conv, torch.randn(4, 2, 7, 7), lambda x, w: F.conv2d(x, w, None, 2, 1)


def grads(op, x: torch.Tensor, weight: torch.Tensor, grad_out: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(input gradient, weight gradient) of op(x, weight) by ordinary autograd."""
    x, weight = x.clone().requires_grad_(), weight.detach().clone().requires_grad_()
    op(x, weight).backward(grad_out)
    return x.grad, weight.grad


@pytest.mark.parametrize("kind", ["linear", "conv"])
@pytest.mark.parametrize("rule", FEEDBACK_RULES)
def test_errors_reach_the_input_through_feedback_and_weights_learn_locally(rule, kind):
    torch.manual_seed(0)
    layer, x, op = layer_and_input(rule, kind)
    with torch.no_grad():
        layer.bias.normal_()
    x.requires_grad_()
    out = layer(x)
    torch.testing.assert_close(out, op(x, layer.weight) + layer.bias.view(-1, *[1] * (x.dim() - 2)))
    grad_out = torch.randn_like(out)
    out.backward(grad_out)

    through_feedback, _ = grads(op, x.detach(), expected_feedback(rule, layer), grad_out)
    through_weights, local_weight_grad = grads(op, x.detach(), layer.weight, grad_out)
    torch.testing.assert_close(x.grad, through_feedback)  # grad_out @ B, for linear
    assert not torch.allclose(x.grad, through_weights, atol=1e-3)  # not grad_out @ W
    torch.testing.assert_close(layer.weight.grad, local_weight_grad)  # grad_out^T x, as in backprop
    torch.testing.assert_close(layer.bias.grad, grad_out.sum([d for d in range(grad_out.dim()) if d != 1]))


def test_backprop_is_the_ordinary_layers():
    rule = learning_rule("backprop")
    assert type(rule.linear(3, 2)) is nn.Linear and type(rule.conv2d(1, 2, 3)) is nn.Conv2d


def test_feedback_alignment_keeps_its_feedback_fixed_while_sign_symmetry_follows_the_weights():
    torch.manual_seed(0)
    fa, ss = learning_rule("feedback_alignment").linear(4, 4), learning_rule("sign_symmetry").linear(4, 4)
    fixed = fa.feedback_weight.clone()
    with torch.no_grad():
        fa.weight.neg_()
        ss.weight.neg_()
    assert torch.equal(fa.feedback(), fixed)
    assert torch.equal(ss.feedback().sign(), ss.weight.sign())
    assert not fa.feedback_weight.requires_grad and "feedback_weight" in fa.state_dict()


@pytest.mark.parametrize("gain", [0.01, 1.0, math.sqrt(2)])
@pytest.mark.parametrize("rule", FEEDBACK_RULES)
def test_feedback_starts_at_the_scale_of_the_weights(rule, gain):
    """The actor's head starts near zero (gain 0.01); its B must too, or the policy gradient's noise floods the
    shared latent while the critic is still learning. Feedback alignment's B is drawn like W, independently."""
    torch.manual_seed(0)
    for layer in (learning_rule(rule).linear(32, 4, gain=gain), learning_rule(rule).conv2d(3, 8, 3, gain=gain)):
        b, w = layer.feedback().flatten(1), layer.weight.detach().flatten(1)
        torch.testing.assert_close(b.norm(), w.norm())
        cosine = F.cosine_similarity(b.flatten(), w.flatten(), dim=0)
        if rule == "feedback_alignment":
            torch.testing.assert_close(b @ b.T, w @ w.T)  # both orthogonal with the same gain
            assert cosine.abs() < 0.2
        else:
            assert cosine > 0.7  # the same signs


def teacher_task(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Small images and the outputs of a fixed random conv teacher: a regression every rule can fit."""
    generator = torch.Generator().manual_seed(seed)
    images = torch.randn(256, 1, 8, 8, generator=generator)
    teacher = torch.randn(4, 1, 3, 3, generator=generator)
    features = F.relu(F.conv2d(images, teacher, stride=2, padding=1)).flatten(1)
    targets = features @ torch.randn(features.shape[1], 2, generator=generator) / 8
    return images, targets


def student(rule: str) -> nn.Sequential:
    r = learning_rule(rule)
    return nn.Sequential(r.conv2d(1, 8, 3, stride=2, padding=1), nn.ReLU(), nn.Flatten(), r.linear(128, 32),
                         nn.Tanh(), r.linear(32, 2, gain=1.0))


@pytest.mark.parametrize("rule", FEEDBACK_RULES)
def test_a_small_network_learns_by_the_rule_and_its_hidden_layers_help(rule):
    """Trained by the rule, the loss falls far, and further than with only the output layer learning: the
    errors that feedback sends to the hidden layers are useful."""
    images, targets = teacher_task()

    def train(hidden_learns: bool) -> tuple[float, float]:
        torch.manual_seed(1)
        net = student(rule)
        params = net.parameters() if hidden_learns else net[-1].parameters()
        optimizer = torch.optim.Adam(params, lr=3e-3)
        losses = []
        for _ in range(300):
            loss = (net(images) - targets).square().mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        return losses[0], losses[-1]

    first, last = train(hidden_learns=True)
    _, output_layer_only = train(hidden_learns=False)
    assert last < 0.2 * first, (first, last)
    assert last < 0.6 * output_layer_only, (last, output_layer_only)


@pytest.mark.parametrize("rule", FEEDBACK_RULES)
def test_ppo_learns_to_reach_the_goal_by_the_rule(rule, make_world, make_agent):
    world = make_world(num_envs=16, episode_steps=16)
    ppo = PPO(make_agent(world, learning_rule=rule, **SMALL), PPOConfig(rollout_steps=16, learning_rate=1e-3), [],
              "cpu")
    obs = world.reset(seed=0)[0]
    history = []
    for _ in range(40):
        obs = ppo.collect(world, obs)
        history.append(ppo.update()["episode/return"])
    first, last = history[0], sum(history[-3:]) / 3
    assert last > 0.7 * first, (first, last)  # returns are negative: the error fell by a third (half by 60 updates)


def test_each_layer_group_uses_its_rule(make_world, make_agent):
    agent = make_agent(make_world(), learning_rule="sign_symmetry", layer_rules={"heads": "backprop",
                                                                                 "fusion": "feedback_alignment"})
    rules = {name: type(m).__name__ for name, m in agent.named_modules() if isinstance(m, (nn.Linear, nn.Conv2d))}
    assert rules["actor_mean"] == rules["critic"] == "Linear"
    assert rules["fusion.0"] == rules["fusion.2"] == "FeedbackAlignmentLinear"
    encoders = {kind for name, kind in rules.items() if name.startswith("encoders.")}
    assert encoders == {"SignSymmetryConv2d", "SignSymmetryLinear"}


def test_unknown_rule_or_group_is_an_error_listing_the_choices():
    with pytest.raises(ValidationError, match="unknown learning rule 'hebb'; choices: backprop, feedback_alignment"):
        AgentConfig(learning_rule="hebb")
    with pytest.raises(ValidationError, match="unknown learning rule 'fa'; choices: " + ", ".join(LEARNING_RULES)):
        AgentConfig(layer_rules={"fusion": "fa"})
    with pytest.raises(ValidationError, match="unknown layer group 'encoder'; groups: encoders, fusion, heads"):
        AgentConfig(layer_rules={"encoder": "backprop"})


def test_feedback_is_drawn_from_the_seed_and_travels_with_the_checkpoint(make_world, make_agent):
    """A resumed life uses the B it was born with: the same seed draws the same B, and loading a state dict
    into an agent born from another seed makes its updates identical."""
    world = make_world(num_envs=4, episode_steps=5)

    def learner(seed: int) -> PPO:
        return PPO(make_agent(world, seed=seed, learning_rule="feedback_alignment", **SMALL),
                   PPOConfig(rollout_steps=6), [], "cpu")

    def feedback(ppo: PPO) -> dict[str, torch.Tensor]:
        return {k: v for k, v in ppo.agent.state_dict().items() if k.endswith("feedback_weight")}

    original, other = learner(0), learner(1)
    assert len(feedback(original)) == 9  # eye 3, vector sense 2, fusion 2, actor and critic heads 2
    for name, b in feedback(learner(0)).items():
        assert torch.equal(b, feedback(original)[name]) and not torch.equal(b, feedback(other)[name])

    obs = world.reset(seed=0)[0]
    obs = original.collect(world, obs)
    original.update()
    state = copy.deepcopy(original.state_dict())
    twin_world, twin_obs = copy.deepcopy((world, obs))
    original.collect(world, obs)
    expected = original.update()
    other.load_state_dict(state)
    other.collect(twin_world, twin_obs)
    metrics = other.update()
    assert all(metrics[k] == expected[k] for k in expected if not k.startswith("episode/"))  # a new rollout's tally
    for a, b in zip(other.parameters, original.parameters, strict=True):
        assert torch.equal(a, b)
