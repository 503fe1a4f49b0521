"""Ancestors that evolve: evolution strategies (agents/evolution.py) over a population that lives in parallel,
member i of the population in world i of one batched world of `ancestry.es.population` worlds.

Generation g lives in the ancestral world and seed g mod (worlds x seeds). A life is `ancestry.es.episode_steps`
control steps (across the world's own resets), acting with the policy's mean action; its return is the fitness.
What evolves (`ancestry.es.evolve`) is either the network's weights, on one fixed body of random initialisation
(the OpenAI recipe), or the coefficients of its Hebbian layers' rule, where every generation is born with fresh
random weights so that the rule must build a working network during life from any start, as a newborn's must.
The senses' running statistics follow everything the population saw, as in Salimans et al.'s observation
normalisation, and pass on with the ancestor.

Every `train.checkpoint_every` env steps (and after the last generation) a checkpoint holds the search (mean genes,
Adam's moments, the perturbations' random stream), the senses' statistics, the records so far and the global random
stream. A generation's worlds are reset with a seed of their own, so a resumed ancestry lives the same generations
as an uninterrupted one and leaves the same ancestor.
"""

import copy

import torch
from tqdm import tqdm

import envs
from agents.actor_critic import ActorCritic
from agents.config import LAYER_GROUPS
from agents.evolution import EvolutionStrategy, flatten, genes, load_genes
from agents.learning_rules.hebbian import populate
from agents.normalizer import RunningNorm
from agents.threads import one_thread_on_cpu
from embodied.ancestry.progress import ancestry_progress
from embodied.ancestry.stages import Stage, ancestral_worlds
from embodied.config import ConfigError, RunConfig
from embodied.evaluation import Evaluator, agent_policy
from embodied.metrics import MetricsLogger
from embodied.probes import Policy
from embodied.run_folder import RunFolder


def population(body: ActorCritic, candidates: torch.Tensor, evolve: str) -> Policy:
    """The population's policy for a batch of worlds, member i in world i, acting with its mean action: Hebbian
    rules in one network of len(candidates) individuals (agents/learning_rules/hebbian.py), weights in one copy
    of `body` per member."""
    if evolve == "rule":
        agent = populate(body, candidates)
        return lambda observation: agent.act(observation, deterministic=True)[0]
    members = [member(body, vector, evolve) for vector in candidates]
    return lambda observation: torch.cat([agent.act({name: value[i:i + 1] for name, value in observation.items()},
                                                    deterministic=True)[0] for i, agent in enumerate(members)])


def member(body: ActorCritic, vector: torch.Tensor, evolve: str) -> ActorCritic:
    """One individual: a copy of `body` carrying `vector` as its genes, in training mode (Hebbian layers learn)."""
    agent = copy.deepcopy(body).train()
    load_genes(genes(agent, evolve), vector)
    return agent


@torch.no_grad()
def live(world, policy: Policy, steps: int, seed: int, senses: ActorCritic | None = None) -> torch.Tensor:
    """Every world lives `steps` control steps under `policy`; the rewards [steps, worlds]. With `senses`, each
    step's observations update its running statistics."""
    observation, _ = world.reset(seed=seed)
    rewards = []
    with one_thread_on_cpu(torch.device("cpu")):
        for _ in range(steps):
            actions = policy(observation)
            if senses is not None:
                senses.update_normalizers(observation)
            observation, reward, _, _, _ = world.step(actions)
            rewards.append(reward.float().cpu())
    return torch.stack(rewards)


def _newborn(template: ActorCritic, seed: int) -> ActorCritic:
    """A fresh random network like `template`, seeing through its senses' running statistics."""
    torch.manual_seed(seed)
    body = ActorCritic(template.observation_space, template.action_space, template.cfg)
    statistics = {name: module for name, module in template.named_modules() if isinstance(module, RunningNorm)}
    for name, module in body.named_modules():
        if name in statistics:
            module.load_state_dict(statistics[name].state_dict())
    return body


def check_genes(cfg: RunConfig) -> None:
    """A rule evolves only in an agent with Hebbian layers: said before a run folder is written."""
    if cfg.ancestry.es.evolve == "rule" and "hebbian" not in {cfg.agent.rule_for(group) for group in LAYER_GROUPS}:
        raise ConfigError("ancestry.es.evolve=rule evolves a Hebbian rule, but no layer of the agent is Hebbian; set "
                          "agent.learning_rule=hebbian or agent.layer_rules: {GROUP: hebbian}")


def evolve_by_es(cfg: RunConfig, run: RunFolder, stages: list[Stage], progress: bool,
                 resume: tuple[dict, int] | None = None) -> tuple[ActorCritic, list]:
    """The ancestor with the evolved mean genes, and a record of every generation (its world, seed, env steps
    and fitness); the last also holds the ancestor's probe score on held-out worlds. `stages` (PPO's stretches)
    are not used: generations take turns over the ancestral worlds and seeds. `resume` is the last checkpoint
    (`es_checkpoint`) and its step, to go on from."""
    es = cfg.ancestry.es
    pairs = [(world, seed) for world in ancestral_worlds(cfg) for seed in cfg.ancestry.seeds]
    worlds = [envs.make(w.name, num_envs=es.population, seed=s, **w.model_dump(exclude={"name", "num_envs"}))
              for w, s in pairs]
    logger = MetricsLogger(run, resume_step=resume[1] if resume else None)
    try:
        torch.manual_seed(cfg.seed)
        template = ActorCritic(worlds[0].single_observation_space, worlds[0].single_action_space, cfg.agent)
        strategy = EvolutionStrategy(flatten(genes(template, es.evolve)), es, seed=cfg.seed)
        records, env_steps, start = [], 0, 0
        if resume:
            state = resume[0]
            template.load_state_dict(state["template"])
            strategy.load_state_dict(state["strategy"])
            records, start = list(state["ancestry"]["records"]), state["ancestry"]["done"]
            env_steps = state["env_steps"]
            torch.set_rng_state(state["rng"])
        next_checkpoint = env_steps + cfg.train.checkpoint_every
        bar = tqdm(range(start, es.generations), initial=start, total=es.generations, unit="generation",
                   disable=not progress, dynamic_ncols=True)
        for generation in bar:
            index = generation % len(pairs)
            world = worlds[index]
            body = template if es.evolve == "weights" else _newborn(template, cfg.seed + 1 + generation)
            policy = population(body, strategy.ask(), es.evolve)
            fitness = live(world, policy, es.episode_steps, pairs[index][1] + env_steps, senses=template).sum(0)
            strategy.tell(fitness)
            env_steps += es.episode_steps * es.population
            row = {"generation": generation, "fitness_mean": fitness.mean().item(),
                   "fitness_max": fitness.max().item(), "life_seconds": env_steps * world.dt}
            logger.log(env_steps, {f"es/{key}": value for key, value in row.items()})
            records.append({"world": pairs[index][0].model_dump(mode="json"), "seed": pairs[index][1],
                            "env_steps": env_steps} | row)
            bar.set_postfix(fitness=f"{row['fitness_mean']:.2f}", best=f"{row['fitness_max']:.2f}")
            if env_steps >= next_checkpoint or generation == es.generations - 1:
                run.save_checkpoint(es_checkpoint(cfg, generation + 1, records, strategy, template, env_steps),
                                    env_steps)
                next_checkpoint += cfg.train.checkpoint_every
        bar.close()
        ancestor = member(template, strategy.mean.float(), es.evolve)
        evaluator = Evaluator(cfg.model_copy(update={"world": pairs[(es.generations - 1) % len(pairs)][0]}))
        try:
            # Probed as it lived: mean actions, and its rule (if any) running on a copy, so the ancestor stays newborn.
            score = evaluator.score(agent_policy(copy.deepcopy(ancestor), torch.device("cpu"), deterministic=True))
        finally:
            evaluator.close()
        records[-1] |= {"probe": evaluator.probe, "final_score": score}
        return ancestor, records
    finally:
        logger.close()
        for world in worlds:
            world.close()


def es_checkpoint(cfg: RunConfig, generations: int, records: list[dict], strategy: EvolutionStrategy,
                  template: ActorCritic, env_steps: int) -> dict:
    """Where an evolving ancestry stands after `generations` generations (`ancestry` as ancestry_progress says)."""
    return {"ancestry": ancestry_progress(cfg, generations, cfg.ancestry.es.generations, records),
            "strategy": strategy.state_dict(), "template": template.state_dict(), "env_steps": env_steps,
            "rng": torch.get_rng_state()}
