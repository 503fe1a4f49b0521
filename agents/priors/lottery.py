"""An inherited wiring diagram without its weights: the ancestor's pruned connectivity (its top `keep` fraction
of each weight matrix by magnitude) filled with the newborn's own fresh random weights, as in the lottery
ticket hypothesis (Frankle and Carbin 2019) with the ticket passed down rather than found.

The mask lives in the gradient: a pruned weight starts at zero and every gradient reaching it is multiplied by
zero, so no optimiser step moves it (Adam with zero gradients and zero moments steps by exactly zero). The state
dict keeps the same entries as any newborn's, so checkpoints resume (the zeros are saved, and rebirth puts the
mask back) and artifacts stay interchangeable, and the learner needs to know nothing about masks. A rule that
changes weights without gradients would bypass it.

The surviving fresh weights are scaled by 1 / sqrt(kept fraction) so that each unit's input keeps the variance
of a dense initialisation. Bits: each mask's information, log2 C(entries, kept) (agents/priors/bit_budget.py).
"""

import math

import torch

from agents.actor_critic import ActorCritic
from agents.config import PriorConfig
from agents.priors.ancestor import inherited, load_ancestor
from agents.priors.bit_budget import mask_bits, top_magnitudes


def lottery(agent: ActorCritic, cfg: PriorConfig) -> ActorCritic:
    """The newborn's weight matrices and kernels (of `cfg.parts`) masked by the ancestor's strongest connections;
    biases and the policy's spread stay dense, as in pruning."""
    ancestor = load_ancestor(agent, cfg, "weights")
    bits = 0.0
    for name, weight in agent.named_parameters():
        if weight.dim() < 2 or not inherited(name, cfg):
            continue
        mask = top_magnitudes(ancestor.tensors[name], cfg.keep)
        kept = int(mask.sum())
        with torch.no_grad():
            weight.mul_(mask.to(weight.device) / math.sqrt(kept / mask.numel()))
        weight.register_hook(lambda grad, mask=mask: grad * mask.to(grad.device))
        bits += mask_bits(mask.numel(), kept)
    agent.inherited_bits = math.ceil(bits)
    return agent
