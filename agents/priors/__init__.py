"""Innate priors: what a newborn is born with, each applied at birth to a freshly initialised agent.

A prior is a function (agent, cfg) -> agent, registered here by the name the config selects
(`prior.name`). Priors that need an ancestor (genome, inherit, lottery) read the inheritance artifact
that `cfg.artifact` names.
"""

from collections.abc import Callable

from agents.actor_critic import ActorCritic
from agents.config import PriorConfig
from agents.priors.blank import blank
from agents.priors.cpg import cpg
from agents.priors.genome import genome
from agents.priors.hebbian import hebbian
from agents.priors.inherit import inherit
from agents.priors.lottery import lottery
from agents.priors.reflex import reflex

Prior = Callable[[ActorCritic, PriorConfig], ActorCritic]

PRIORS: dict[str, Prior] = {
    "blank": blank,
    "cpg": cpg,
    "reflex": reflex,
    "inherit": inherit,
    "lottery": lottery,
    "genome": genome,
    "hebbian": hebbian,
}


def apply_prior(agent: ActorCritic, cfg: PriorConfig) -> ActorCritic:
    """The newborn `agent` with the prior `cfg.name` applied (a prior from an ancestor sets its `inherited_bits`)."""
    return PRIORS[cfg.name](agent, cfg)


__all__ = ["PRIORS", "Prior", "apply_prior"]
