"""Birth: a newborn agent for a world, initialised by the run's seed and shaped by its innate prior."""

from gymnasium import spaces

from agents.actor_critic import ActorCritic
from agents.priors import apply_prior
from embodied.config import RunConfig


def newborn(cfg: RunConfig, observation_space: spaces.Dict, action_space: spaces.Box) -> ActorCritic:
    """A freshly initialised agent (seeded by the caller) with the prior `cfg.prior` applied."""
    return apply_prior(ActorCritic(observation_space, action_space, cfg.agent), cfg.prior)
