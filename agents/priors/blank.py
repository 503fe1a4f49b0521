"""The blank slate: standard random initialisation (orthogonal weights, zero biases), nothing innate."""

from agents.actor_critic import ActorCritic
from agents.config import PriorConfig


def blank(agent: ActorCritic, cfg: PriorConfig) -> ActorCritic:
    """The agent as initialised: the control every other prior is compared with."""
    return agent
