"""The learner's optimiser: Adam, with two settings per learning rule (by rule name) for the layers that rule
trains: `ppo.hidden_learning_rate_scale`, the learning rate of its hidden layers (encoders and fusion, not the
heads) as a fraction of `ppo.learning_rate`, and `ppo.weight_decay`, a decoupled decay of its weights.

Why feedback alignment's hidden layers learn at a tenth by default: their errors come through fixed random
feedback weights, which on Forage they never come to align with (`benchmarks/learning_rule_alignment.py`), and
at the full rate Adam scales each small misdirected update up to a full step, pushing a hidden unit the same way
update after update into tanh saturation; the animal then learned less than with its hidden layers frozen.
Decay lets the birth weights fade (Lillicrap et al. 2016 saw alignment come fastest from small weights): it
raises the alignment but shrinks the weights until the eye's features vanish, so no rule decays by default. The
README gives the figures.
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
