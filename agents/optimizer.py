"""The learner's optimiser: Adam, with decoupled weight decay for the weights of the layers a learning rule trains
where `ppo.weight_decay` names that rule (none by default).

Why a rule may want it: feedback alignment's errors are useful only once each layer's forward weights have come
to align with the fixed feedback weights of the layer above, and Adam's updates stay small beside the random
weights a layer is born with (Lillicrap et al. 2016 saw alignment come fastest from small weights). Decay lets
the birth weights fade. On Forage (`python benchmarks/learning_rule_alignment.py`) {feedback_alignment: 10-30}
raises the hidden layers' cosine with backprop's value gradient from about 0 to 0.6-0.8 within 30k steps and
keeps every tanh unit out of saturation, but the feedback-driven updates are too noisy to hold the weights up:
they shrink to a few percent of their birth norms, the eye's features vanish, and Forage is still not learned.
"""

import torch
from torch import nn

from agents.learning_rules import learning_rule


def decayed_weights(module: nn.Module, rule_name: str) -> list[nn.Parameter]:
    """The weights (not biases) of every layer in `module` that `rule_name` trains."""
    rule = learning_rule(rule_name)
    return [layer.weight for layer in module.modules()
            if type(layer) in (rule.linear_class, rule.conv2d_class) and layer.weight.requires_grad]


def build_optimizer(module: nn.Module, parameters: list[nn.Parameter], learning_rate: float,
                    weight_decay: dict[str, float], device: torch.device) -> torch.optim.Adam:
    """Adam over `parameters` (those of `module` and any others, such as auxiliary losses'): one group without
    decay, and one group per rule in `weight_decay` with a nonzero decay, holding that rule's weights in
    `module`. Without decay it is the plain Adam of CleanRL's PPO."""
    decayed: list[dict] = []
    taken: set[int] = set()
    for rule_name, decay in weight_decay.items():
        weights = [w for w in decayed_weights(module, rule_name) if id(w) not in taken] if decay else []
        if weights:
            decayed.append({"params": weights, "weight_decay": decay, "rule": rule_name})
            taken |= {id(w) for w in weights}
    plain = [p for p in parameters if id(p) not in taken]
    # One fused kernel for all parameters instead of a dozen small ops per parameter tensor.
    return torch.optim.Adam([{"params": plain, "weight_decay": 0.0}, *decayed], lr=learning_rate, eps=1e-5,
                            decoupled_weight_decay=True, fused=device.type in ("cpu", "cuda"))
