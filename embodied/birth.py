"""Birth: a newborn agent for a world, initialised by the run's seed and shaped by its innate prior."""

from gymnasium import spaces

import envs
from agents.actor_critic import ActorCritic
from agents.aux import build_aux_losses
from agents.aux.base import check_reach
from agents.priors import apply_prior
from embodied.config import ConfigError, RunConfig


def newborn(cfg: RunConfig, observation_space: spaces.Dict, action_space: spaces.Box) -> ActorCritic:
    """A freshly initialised agent (seeded by the caller) with the prior `cfg.prior` applied."""
    return apply_prior(ActorCritic(observation_space, action_space, cfg.agent), cfg.prior)


def check_birth(cfg: RunConfig) -> None:
    """Give birth once in a one-world copy of the run's world, so that a newborn that cannot be born (a prior made
    for another body, an inheritance missing, corrupt or made for other senses or another architecture) or cannot
    have its auxiliary losses (cross-modal prediction with one sense, temporal contrast beyond a rollout) stops the
    run before its folder is written."""
    try:  # an outside world (gym:<id>) is checked only by making it
        world = envs.make(cfg.world.name, num_envs=1, **cfg.world.on_cpu().model_dump(exclude={"name", "num_envs"}))
    except ValueError as error:
        raise ConfigError(f"world.name={cfg.world.name}: {error}") from None
    try:
        agent = newborn(cfg, world.single_observation_space, world.single_action_space)
    except ValueError as error:
        raise ConfigError(f"prior.name={cfg.prior.name} in world {cfg.world.name}: {error}") from None
    finally:
        world.close()
    try:
        check_reach([loss for loss, _ in build_aux_losses(cfg.aux, agent)], cfg.ppo.rollout_steps)
    except ValueError as error:  # a loss that needs more senses than the world gives, or longer rollouts
        raise ConfigError(f"in world {cfg.world.name}: {error}") from None
    if agent.innate is not None and abs(cfg.prior.step_seconds - world.dt) > 1e-9:
        raise ConfigError(f"prior.step_seconds = {cfg.prior.step_seconds}, but a step of {cfg.world.name} is "
                          f"{world.dt} s; set prior.step_seconds={world.dt} so that the {cfg.prior.name} circuits keep "
                          "the world's time")
