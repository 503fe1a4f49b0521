"""`embodied genome ANCESTOR.pt [key=value ...]`: the genomic bottleneck's step of the ancestral phase, which
fits a generator to an ancestor's weights (agents/genome) and writes the genome a newborn decodes at birth.

It is a step of its own, after `embodied ancestry`, so that one ancestry gives genomes of many sizes (a sweep of
the compression ratio) without living again. A genome is fitted to behaviour by default (`behaviour_steps`; 0 fits
the weights alone, which keeps nothing of the ancestor's behaviour at 10x or more), and that needs observations the
ancestor made: it acts again for a while in its first ancestral world (never the newborn's or the held-out
worlds). The behaviour steps are the slow part: each decodes every weight of the ancestor through the generator.
"""

from pathlib import Path

import torch
from pydantic import ValidationError

import envs
from agents.actor_critic import ActorCritic, Obs
from agents.genome import GenomeConfig, fit_genome
from agents.inheritance import Inheritance, load_inheritance
from embodied.ancestry.stages import ancestral_worlds
from embodied.config import ConfigError, RunConfig, apply_override
from embodied.evaluation import agent_policy
from embodied.run_folder import atomic_write


def genome_config(overrides: list[str]) -> GenomeConfig:
    """The generator's options from `key=value` items; an unknown key or a bad value names the valid ones."""
    data = {}
    for item in overrides:
        apply_override(data, item)
    try:
        return GenomeConfig.model_validate(data)
    except ValidationError as e:
        valid = "; ".join(f"{name} ({field.description}, default {field.default})"
                          for name, field in GenomeConfig.model_fields.items())
        problems = "; ".join(f"{'.'.join(map(str, err['loc']))} = {err['input']!r}: {err['msg']}" for err in e.errors())
        raise ConfigError(f"genome options: {problems}. Valid options: {valid}") from None


def make_genome(ancestor_path: str | Path, overrides: list[str], out: str | Path | None = None
                ) -> tuple[Path, Inheritance]:
    """Fit a genome to the weights artifact at `ancestor_path` and write it (by default `genome.pt` beside it)."""
    cfg = genome_config(overrides)
    ancestor = load_inheritance(ancestor_path)
    behaviour = ancestral_observations(ancestor, cfg.observations) if cfg.behaviour_steps else None
    print(f"fitting a generator {cfg.hidden} wide to {ancestor_path}: {cfg.steps} regression steps, then "
          f"{cfg.behaviour_steps} steps fitting its behaviour (the slow part; behaviour_steps=N to change)", flush=True)
    try:
        genome = fit_genome(ancestor, cfg, behaviour)
    except ValueError as e:
        raise ConfigError(f"{ancestor_path}: {e}") from None
    path = Path(out) if out else Path(ancestor_path).parent / "genome.pt"
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, lambda f: torch.save(genome.state(), f))
    return path, genome


@torch.no_grad()
def ancestral_observations(ancestor: Inheritance, count: int) -> tuple[ActorCritic, Obs]:
    """The ancestor's network and `count` observations it makes acting (sampling its actions, as in life) in
    its first ancestral world, with that world's first ancestral seed."""
    cfg = RunConfig.model_validate(ancestor.record["config"])
    world_cfg = ancestral_worlds(cfg)[0]
    seed = cfg.ancestry.seeds[0]
    world = envs.make(world_cfg.name, seed=seed, **world_cfg.model_dump(exclude={"name"}))
    try:
        torch.manual_seed(seed)
        agent = ActorCritic(world.single_observation_space, world.single_action_space, cfg.agent)
        agent.load_state_dict(ancestor.tensors)
        policy = agent_policy(agent.eval(), torch.device("cpu"), deterministic=False)
        observation, _ = world.reset(seed=seed)
        seen = []
        for _ in range(-(-count // world.num_envs)):
            observation = {name: value.cpu() for name, value in observation.items()}
            seen.append(observation)
            observation, *_ = world.step(policy(observation))
    finally:
        world.close()
    return agent, {name: torch.cat([obs[name] for obs in seen])[:count] for name in seen[0]}
