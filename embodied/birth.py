"""Birth: a newborn agent for a world, with the prior it is born with (a blank slate, for now)."""

from gymnasium import spaces

from agents.actor_critic import ActorCritic
from embodied.config import RunConfig


def newborn(cfg: RunConfig, observation_space: spaces.Dict, action_space: spaces.Box) -> ActorCritic:
    """A blank-slate agent: standard random initialisation, seeded by the run's seed by the caller."""
    return ActorCritic(observation_space, action_space, cfg.agent)
