"""Zador's genomic bottleneck: the genome is far too small to store a brain's weights, so it stores a rule that
wires them. The newborn's every weight and bias is decoded at birth by the generator an ancestry fitted to its
ancestor's weights (agents/genome); the senses' running statistics and the policy's spread arrive as they were.
The agent's `inherited_bits` are the genome's: 32 bits a generator parameter and a number carried as is.
"""

import torch

from agents.actor_critic import ActorCritic
from agents.config import PriorConfig
from agents.genome import genome_state
from agents.priors.ancestor import load_ancestor


def genome(agent: ActorCritic, cfg: PriorConfig) -> ActorCritic:
    """The newborn with the weights its ancestor's genome decodes in place of its own."""
    ancestor = load_ancestor(agent, cfg, "genome")
    with torch.no_grad():
        agent.load_state_dict(genome_state(ancestor), strict=False)
    agent.inherited_bits = ancestor.bits
    return agent
