"""Ancestors that learn by gradient: one PPO learner lives through the ancestral worlds in turn, each stretch a
Lifetime (embodied/lifetime.py) that carries on from the last one's learner (weights, optimiser, step count,
random streams), so the ancestry is one continuous life spread over many worlds.

Its checkpoints are a lifetime's (every `train.checkpoint_every` env steps within a stretch) plus where the
ancestry stands, and one more at the end of each stretch. A stretch starts its worlds afresh, so an ancestry
resumed from the end of a stretch leaves the same ancestor as an uninterrupted one; resumed from within a stretch,
its worlds restart their episodes at the checkpoint, as `embodied train --resume` does."""

import math

from agents.actor_critic import ActorCritic
from embodied.ancestry.progress import ancestry_progress
from embodied.ancestry.stages import Stage
from embodied.config import RunConfig
from embodied.lifetime import Lifetime
from embodied.metrics import MetricsLogger
from embodied.run_folder import RunFolder

Yardsticks = dict[str, tuple[float | None, float | None]]  # a world's scripted reference and random scores


class AncestralStretch(Lifetime):
    """Stretch `index` of `stages` stretches: a lifetime whose checkpoints also say where the ancestry stands
    (the records of the stretches before it, and the yardsticks of the worlds seen so far)."""

    def __init__(self, cfg: RunConfig, run: RunFolder, index: int, stages: int, records: list[dict],
                 yardsticks: Yardsticks):
        super().__init__(cfg, run)
        self.index, self.stages, self.records, self.yardsticks = index, stages, records, yardsticks
        self.evaluator.reference, self.evaluator.random = yardsticks.get(self.world_key, (None, None))

    @property
    def world_key(self) -> str:
        return self.cfg.world.model_dump_json()

    def state_dict(self) -> dict:
        yardsticks = self.yardsticks | {self.world_key: (self.evaluator.reference, self.evaluator.random)}
        progress = ancestry_progress(self.cfg, self.index, self.stages, self.records)
        return super().state_dict() | {"ancestry": progress, "yardsticks": yardsticks}


def pretrain_by_ppo(cfg: RunConfig, run: RunFolder, stages: list[Stage], progress: bool,
                    resume: tuple[dict, int] | None = None) -> tuple[ActorCritic, list]:
    """The ancestor after every stage, and a record of each stage (world, seed, steps, its last probe). `resume` is
    the last checkpoint and its step, to go on from."""
    logger = MetricsLogger(run, resume_step=resume[1] if resume else None)
    state = resume[0] if resume else None
    start = state["ancestry"]["done"] if state else 0
    records: list[dict] = list(state["ancestry"]["records"]) if state else []
    yardsticks: Yardsticks = dict(state["yardsticks"]) if state else {}
    try:
        for index in range(start, len(stages)):
            lifetime = _stretch(cfg, run, stages, index, records, yardsticks, state)
            try:
                summary = lifetime.live(logger, progress)
                yardsticks[lifetime.world_key] = lifetime.evaluator.reference, lifetime.evaluator.random
                records.append({"world": stages[index].world.model_dump(mode="json"), "seed": stages[index].seed} | {
                    key: summary[key] for key in ("env_steps", "life_seconds", "probe", "final_score",
                                                  "reference_score", "random_score")})
                lifetime.index += 1
                state = lifetime.state_dict() | {"fatal_mistakes": 0}  # the next stretch counts its own
                run.save_checkpoint(state, lifetime.ppo.env_steps)
            finally:
                lifetime.close()
        if start == len(stages):  # every stretch was lived before the ancestry stopped; only its artifact is left
            lifetime = _stretch(cfg, run, stages, len(stages) - 1, records, yardsticks, state)
            lifetime.close()
    finally:
        logger.close()
    return lifetime.agent, records


def _stretch(cfg: RunConfig, run: RunFolder, stages: list[Stage], index: int, records: list[dict],
             yardsticks: Yardsticks, state: dict | None) -> AncestralStretch:
    """Stretch `index`, its learner carrying on from `state` (the last stretch's, or a checkpoint's)."""
    stage = stages[index]
    train = cfg.train.model_copy(update={"total_steps": stage.until})
    lifetime = AncestralStretch(cfg.model_copy(update={"seed": stage.seed, "world": stage.world, "train": train}), run,
                                index, len(stages), records, yardsticks)
    # a learning rate that anneals does so over the whole ancestry
    lifetime.ppo.total_updates = math.ceil(cfg.ancestry.steps / (cfg.ppo.rollout_steps * cfg.world.num_envs))
    if state is not None:
        lifetime.ppo.load_state_dict(state["ppo"])
        lifetime.evaluations = state["evaluations"]
        lifetime.mistakes.count = state["fatal_mistakes"]
    return lifetime
