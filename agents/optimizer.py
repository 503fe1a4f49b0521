"""The learner's optimiser: Adam, with two settings per learning rule (by rule name) for the layers that rule
trains: `ppo.hidden_learning_rate_scale`, the learning rate of its hidden layers (encoders and fusion, not the
heads) as a fraction of `ppo.learning_rate`, and `ppo.weight_decay`, a decoupled decay of its weights.

Feedback alignment's hidden layers learn at a tenth of the heads' rate by default. Their errors come through
fixed random feedback weights and are useful only once the layers above have aligned with them, which on Forage
they do not within a life (`benchmarks/learning_rule_alignment.py`: cosine with backprop's gradient near 0).
At the full rate Adam scales each small, misdirected update up to a full step, so a hidden unit is pushed the
same way update after update: a third to a half of the fused latent's tanh units saturated, and the animal
learned nothing (0.4 to 1.9 food per minute at the end), less than one whose hidden layers did not learn at all
(`{feedback_alignment: 0}`: 3.4 to 6.8 and 7.5 to 10.9 after 102 simulated minutes, seeds 0 and 1, each range
from two runs that differ only in rounding; its heads learn on the random features it was born with). At a
tenth no unit saturates, the hidden layers still barely align (cosines 0 to 0.15 over 30k steps), the heads
learn on features that drift slowly along the feedback, and the animal eats 11.6 and 9.8 food per minute after
102 simulated minutes (random 0.75).

Decay lets the birth weights fade so that the feedback-driven part dominates (Lillicrap et al. 2016 saw
alignment come fastest from small weights): {feedback_alignment: 10-30} raises the hidden layers' cosine with
backprop's value gradient from about 0 to 0.6-0.8 within 10-30k Forage steps, but the updates are too noisy to
hold the weights up: they shrink to a few percent of their birth norms, the eye's features vanish, and Forage
is not learned. So no rule decays by default.
"""

from collections.abc import Iterator

import torch
from torch import nn

from agents.learning_rules import learning_rule


def rule_layers(module: nn.Module, rule_name: str) -> Iterator[nn.Module]:
    """The layers in `module` that `rule_name` trains (by exact class: feedback layers subclass nn.Linear)."""
    rule = learning_rule(rule_name)
    return (layer for layer in module.modules() if type(layer) in (rule.linear_class, rule.conv2d_class))


def build_optimizer(agent: nn.Module, parameters: list[nn.Parameter], learning_rate: float,
                    hidden_learning_rate_scale: dict[str, float], weight_decay: dict[str, float],
                    device: torch.device) -> torch.optim.Adam:
    """Adam over `parameters` (the agent's, with its `encoders` and `fusion` as the hidden layers, and any
    others, such as auxiliary losses'), one parameter group per (learning-rate scale, decay); each group keeps
    its scale as "lr_scale". Without settings it is the plain Adam of CleanRL's PPO, in one group."""
    scale: dict[int, float] = {}
    for rule_name, value in hidden_learning_rate_scale.items():
        for part in (agent.encoders, agent.fusion):
            for layer in rule_layers(part, rule_name):
                scale |= {id(p): value for p in layer.parameters(recurse=False)}
    decay = {id(layer.weight): value for rule_name, value in weight_decay.items()
             for layer in rule_layers(agent, rule_name)}
    groups: dict[tuple[float, float], list[nn.Parameter]] = {(1.0, 0.0): []}
    for p in parameters:
        groups.setdefault((scale.get(id(p), 1.0), decay.get(id(p), 0.0)), []).append(p)
    # One fused kernel per group instead of a dozen small ops per parameter tensor.
    return torch.optim.Adam([{"params": params, "lr": learning_rate * s, "lr_scale": s, "weight_decay": d}
                             for (s, d), params in groups.items() if params], lr=learning_rate, eps=1e-5,
                            decoupled_weight_decay=True, fused=device.type in ("cpu", "cuda"))
