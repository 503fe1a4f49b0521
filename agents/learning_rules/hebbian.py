"""Hebbian plasticity (Najarro and Risi 2020): during life a layer's weights change by a local ABCD rule alone,
never by a gradient, and evolution (the ancestral phase, `ancestry.method=es` with `ancestry.es.evolve=rule`)
finds the rule's coefficients.

For every synapse from input j to neuron i, after each step the animal acts:

    dW_ij = eta * (A_ij * post_i * pre_j + B_ij * pre_j + C_ij * post_i + D_ij)

with per-synapse coefficients A, B, C, D (tensors of the weight's shape) and one learning rate eta per layer.
`pre` is the layer's input and `post` its neuron's activity, tanh of its input current (a bounded firing rate,
so the product cannot run away); over a batch of worlds (the animal's parallel experience) each term is the
batch mean. Weights are clipped to [-WEIGHT_BOUND, WEIGHT_BOUND]. The weights themselves start from the
blank-slate initialisation of a newborn and are not trained by the optimiser (they are parameters without
gradient); biases stay at zero. A layer learns only while the agent acts in training mode (ActorCritic.act),
not when it is probed or when an update replays a rollout. A newborn's coefficients are zero, so without an
inherited rule (prior `hebbian`) a Hebbian layer is fixed.
"""

import copy

import torch
import torch.nn.functional as F
from torch import nn

from agents.learning_rules.rule import LearningRule

WEIGHT_BOUND = 1.0
BIRTH_ETA = 0.1  # a nonzero start, so that evolution can move A-D at first order (eta * A is bilinear)


def hebbian_delta(pre: torch.Tensor, post: torch.Tensor, coefficients: torch.Tensor) -> torch.Tensor:
    """The ABCD rule's weight change [B, out, in] (before eta) for each row of a batch of pre [B, in] and post
    [B, out] activities; `coefficients` [4, out, in] (or one set per row, [B, 4, out, in]) hold A, B, C, D."""
    a, b, c, d = coefficients.unbind(-3)
    pre, post = pre[:, None, :], post[:, :, None]
    return a * post * pre + b * pre + c * post + d


class HebbianLinear(nn.Linear):
    """A linear layer whose weights follow the ABCD rule while the agent acts (see the module docstring).

    One animal has weights [out, in] and learns from the mean over its batch of worlds. A population (see
    `populate`) has weights [P, out, in], coefficients [P, 4, out, in] and eta [P]: row i of a batch is the
    world of individual i, which acts and learns with its own weights and its own rule.
    """

    def __init__(self, in_features: int, out_features: int):
        super().__init__(in_features, out_features)
        self.weight.requires_grad_(False)
        self.bias.requires_grad_(False)
        self.register_buffer("coefficients", torch.zeros(4, out_features, in_features))
        self.register_buffer("eta", torch.tensor(BIRTH_ETA))
        self._activity: tuple[torch.Tensor, torch.Tensor] | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.weight.dim() == 3:
            current = torch.bmm(self.weight, x[:, :, None]).squeeze(-1) + self.bias
        else:
            current = F.linear(x, self.weight, self.bias)
        if self.training:
            self._activity = x.detach(), current.detach()
        return current

    @torch.no_grad()
    def learn(self) -> None:
        """Apply the rule to the activity of the last forward pass."""
        if self._activity is None:
            return
        pre, current = self._activity
        delta = hebbian_delta(pre.reshape(-1, pre.shape[-1]), torch.tanh(current).reshape(-1, current.shape[-1]),
                              self.coefficients)
        if self.weight.dim() == 2:
            delta = delta.mean(0)
        self.weight.add_(self.eta.reshape(*self.eta.shape, 1, 1) * delta).clamp_(-WEIGHT_BOUND, WEIGHT_BOUND)
        self._activity = None


def populate(agent: nn.Module, rules: torch.Tensor) -> nn.Module:
    """A copy of `agent` (in training mode) that is a population of len(rules) individuals, each with its own
    rule (a row of `rules`, laid out as `rule_state` is flattened) and its own copy of the Hebbian weights; its
    other layers are shared. World i of the batch it acts in is individual i's."""
    agent = copy.deepcopy(agent).train()
    population, offset = len(rules), 0
    for layer in hebbian_layers(agent):
        size = layer.coefficients.numel()
        layer.coefficients = rules[:, offset:offset + size].reshape(population, *layer.coefficients.shape).clone()
        layer.eta = rules[:, offset + size].clone()
        offset += size + 1
        layer.weight = nn.Parameter(layer.weight.expand(population, -1, -1).clone(), requires_grad=False)
    if offset != rules.shape[1]:
        raise ValueError(f"rules of {rules.shape[1]} genes for Hebbian layers of {offset}")
    return agent


class HebbianConv2d(nn.Conv2d):
    def __init__(self, *args, **kwargs):
        raise ValueError("the hebbian rule has no convolution; give the eye agent.vision_encoder=mlp, or another "
                         "rule to the encoders (agent.layer_rules: {encoders: backprop})")


def hebbian_layers(module: nn.Module) -> list[HebbianLinear]:
    return [layer for layer in module.modules() if isinstance(layer, HebbianLinear)]


def rule_state(module: nn.Module) -> dict[str, torch.Tensor]:
    """The evolved part of a network's Hebbian layers (coefficients and eta) by state-dict name: what a rule
    inheritance artifact holds."""
    return {f"{name}.{part}": getattr(layer, part) for name, layer in module.named_modules()
            if isinstance(layer, HebbianLinear) for part in ("coefficients", "eta")}


HEBBIAN = LearningRule("hebbian", HebbianLinear, HebbianConv2d)
