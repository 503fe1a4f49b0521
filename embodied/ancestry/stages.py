"""The ancestral worlds and the order an ancestor lives in them: every world change in `ancestry.worlds` with
every seed in `ancestry.seeds`, in turn, `switch_every` env steps each, until `ancestry.steps`."""

import math
from dataclasses import dataclass

from pydantic import ValidationError

import envs
from embodied.config import ConfigError, RunConfig
from envs.config import WorldConfig


@dataclass(frozen=True)
class Stage:
    """One stretch of the ancestry: a world, its seed, and the ancestry's env steps when the stretch ends."""

    world: WorldConfig
    seed: int
    until: int


def ancestral_worlds(cfg: RunConfig) -> list[WorldConfig]:
    """Each entry of `ancestry.worlds` applied to `world`, validated as a world is."""
    worlds = []
    for i, change in enumerate(cfg.ancestry.worlds):
        try:
            world = WorldConfig.model_validate({**cfg.world.model_dump(), **change})
        except ValidationError as e:
            problems = "; ".join(f"{'.'.join(map(str, err['loc']))}: {err['msg']}" for err in e.errors())
            raise ConfigError(f"ancestry.worlds[{i}] = {change!r} is not a world ({problems}); its keys are those "
                              f"of `world`: {', '.join(WorldConfig.model_fields)}") from None
        if world.name not in envs.names():
            raise ConfigError(f"ancestry.worlds[{i}]: unknown world {world.name!r}; valid worlds: "
                              f"{', '.join(sorted(envs.names()))}")
        worlds.append(world)
    return worlds


def ancestral_stages(cfg: RunConfig) -> list[Stage]:
    """The ancestry's stretches in order; shares are whole PPO updates (rollout_steps x num_envs env steps)."""
    anc = cfg.ancestry
    held_out = {cfg.seed: "seed (the newborn's)", cfg.eval.seed: "eval.seed (the held-out worlds')"}
    for seed in anc.seeds:
        if seed in held_out:
            raise ConfigError(f"ancestry.seeds has {seed}, the run's {held_out[seed]}: ancestral worlds must be other "
                              "worlds than the newborn's; pick other seeds")
    pairs = [(world, seed) for world in ancestral_worlds(cfg) for seed in anc.seeds]
    update = cfg.ppo.rollout_steps * cfg.world.num_envs
    share = anc.switch_every or math.ceil(anc.steps / len(pairs))
    if share < update:
        raise ConfigError(f"ancestry.switch_every={share} is less than one PPO update (ppo.rollout_steps x "
                          f"world.num_envs = {update} env steps); give at least {update}")
    share = math.ceil(share / update) * update
    stages: list[Stage] = []
    while not stages or stages[-1].until < anc.steps:
        world, seed = pairs[len(stages) % len(pairs)]
        stages.append(Stage(world, seed, min(len(stages) * share + share, anc.steps)))
    return stages


def check_one_body(worlds: list[WorldConfig]) -> None:
    """One ancestor lives in every ancestral world, so each must give it the same senses and actions."""
    spaces = []
    for world_cfg in worlds:
        world = envs.make(world_cfg.name, num_envs=1, **world_cfg.on_cpu().model_dump(exclude={"name", "num_envs"}))
        spaces.append((world.single_observation_space, world.single_action_space))
        world.close()
    for world_cfg, space in zip(worlds[1:], spaces[1:], strict=True):
        if space != spaces[0]:
            raise ConfigError(f"ancestral world {world_cfg.name} ({world_cfg.richness}) gives the ancestor other "
                              f"senses or actions than {worlds[0].name} ({worlds[0].richness}): {space} vs "
                              f"{spaces[0]}; an ancestor has one body, so set the same world.senses for all")
