"""Ancestors that learn by gradient: one PPO learner lives through the ancestral worlds in turn, each stretch a
Lifetime (embodied/lifetime.py) that carries on from the last one's learner (weights, optimiser, step count,
random streams), so the ancestry is one continuous life spread over many worlds."""

import math

from agents.actor_critic import ActorCritic
from embodied.ancestry.stages import Stage
from embodied.config import RunConfig
from embodied.lifetime import Lifetime
from embodied.metrics import MetricsLogger
from embodied.run_folder import RunFolder


def pretrain_by_ppo(cfg: RunConfig, run: RunFolder, stages: list[Stage], progress: bool) -> tuple[ActorCritic, list]:
    """The ancestor after every stage, and a record of each stage (world, seed, steps, its last probe)."""
    logger = MetricsLogger(run)
    learner, evaluations, records = None, [], []
    yardsticks: dict[str, tuple[float | None, float | None]] = {}  # a world's reference and random scores
    updates = math.ceil(cfg.ancestry.steps / (cfg.ppo.rollout_steps * cfg.world.num_envs))
    try:
        for stage in stages:
            train = cfg.train.model_copy(update={"total_steps": stage.until})
            lifetime = Lifetime(cfg.model_copy(update={"seed": stage.seed, "world": stage.world, "train": train}), run)
            try:
                lifetime.ppo.total_updates = updates  # a learning rate that anneals does so over the whole ancestry
                if learner is not None:
                    lifetime.ppo.load_state_dict(learner)
                lifetime.evaluations = evaluations
                world_key = stage.world.model_dump_json()
                lifetime.evaluator.reference, lifetime.evaluator.random = yardsticks.get(world_key, (None, None))
                summary = lifetime.live(logger, progress)
                yardsticks[world_key] = lifetime.evaluator.reference, lifetime.evaluator.random
                learner = lifetime.ppo.state_dict()
            finally:
                lifetime.close()
            records.append({"world": stage.world.model_dump(mode="json"), "seed": stage.seed} | {
                key: summary[key] for key in ("env_steps", "life_seconds", "probe", "final_score", "reference_score",
                                              "random_score")})
    finally:
        logger.close()
    return lifetime.agent, records
