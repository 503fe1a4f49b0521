"""A low-resolution copy of an ancestor's tuned weights: the critics' answer to Zador's genomic bottleneck,
that a genome can still carry a compressed version of what ancestors learned.

Every inherited parameter passes through the bit budget of agents/priors/bit_budget.py (top `keep` fraction by
magnitude, `bits` per value, `noise`); what is not kept is zero, so the newborn carries the ancestor's strongest
connections and nothing else (fresh random weights in their place would add init-sized noise that the
inheritance does not explain; `lottery` is the complementary experiment). The senses' running statistics (a few
numbers per sense, buffers rather than weights) are inherited at full precision and counted as such. The agent's
`inherited_bits` says how much got through.
"""

import math

import torch

from agents.actor_critic import ActorCritic
from agents.config import PriorConfig
from agents.priors.ancestor import inherited, load_ancestor
from agents.priors.bit_budget import through_budget


def inherit(agent: ActorCritic, cfg: PriorConfig) -> ActorCritic:
    """The newborn with the ancestor's weights (of `cfg.parts`) through the bit budget in place of its own."""
    ancestor = load_ancestor(agent, cfg, "weights")
    parameters = dict(agent.named_parameters())
    state, bits = {}, 0.0
    for name, tensor in ancestor.tensors.items():
        if not inherited(name, cfg):
            continue
        if name in parameters:
            state[name], tensor_bits = through_budget(tensor.float(), cfg.bits, cfg.keep, cfg.noise)
        else:
            state[name], tensor_bits = tensor, tensor.numel() * tensor.element_size() * 8
        bits += tensor_bits
    with torch.no_grad():
        agent.load_state_dict(state, strict=False)
    agent.inherited_bits = math.ceil(bits)
    return agent
