"""An evolved plasticity rule: the newborn's Hebbian layers (agent.learning_rule=hebbian, or layer_rules) are born
with the ABCD coefficients that evolution found in the ancestral phase (`ancestry.method=es`,
`ancestry.es.evolve=rule`), and their weights start from the newborn's own random initialisation, so everything the
Hebbian layers know they learn during life by the rule alone. Nothing but the rule is inherited."""

import torch

from agents.actor_critic import ActorCritic
from agents.config import PriorConfig
from agents.learning_rules.hebbian import rule_state
from agents.priors.ancestor import load_ancestor


def hebbian(agent: ActorCritic, cfg: PriorConfig) -> ActorCritic:
    """The newborn with the ancestor's rule in its Hebbian layers; its inherited bits are the rule's."""
    ancestor = load_ancestor(agent, cfg, "rule")
    with torch.no_grad():
        for name, tensor in rule_state(agent).items():
            tensor.copy_(ancestor.tensors[name])
    agent.inherited_bits = ancestor.bits
    return agent
