"""Scoring an agent on held-out worlds against the scripted reference and a random policy."""

from dataclasses import dataclass

import torch

import envs
from embodied.config import RunConfig
from embodied.device import resolve_device
from embodied.probes import Policy, probe_key, probe_measures, probe_score, random_policy, reference_policy


def agent_policy(agent, device: torch.device, deterministic: bool) -> Policy:
    """The agent acting as it does in life (sampled actions), or with its mean action. Its innate circuits'
    memory (see agents/innate.py) starts fresh and runs on across the lives that end during the evaluation."""
    previous = None

    def act(observation):
        nonlocal previous
        observation = agent.remember({name: value.to(device) for name, value in observation.items()}, previous)
        previous = observation
        return agent.act(observation, deterministic=deterministic)[0]
    return act


@dataclass
class Evaluator:
    """Held-out evaluation worlds (their seed is never used in training) and the yardsticks on them."""

    cfg: RunConfig
    reference: float | None = None
    random: float | None = None

    def __post_init__(self):
        self.world = self._worlds(self.cfg.eval.seed, held_out=True)
        self.probe = probe_key(self.world)

    def _worlds(self, seed: int, held_out: bool):
        """Evaluation worlds: held-out ones draw the richness factors from their held-out ranges."""
        options = self.cfg.world.model_dump(exclude={"name", "num_envs", "held_out"})
        return envs.make(self.cfg.world.name, num_envs=self.cfg.eval.num_envs, seed=seed, held_out=held_out,
                         device=resolve_device(self.cfg.device), **options)

    def score(self, policy: Policy) -> float:
        return probe_score(self.world, policy, self.cfg.eval.seconds, self.cfg.eval.seed)

    def measures(self, policy: Policy) -> dict[str, float]:
        """Every measure of the task on the held-out worlds by metrics column; the headline is `self.probe`."""
        return probe_measures(self.world, policy, self.cfg.eval.seconds, self.cfg.eval.seed)

    def score_on_training_worlds(self, policy: Policy) -> float:
        """The same probe on worlds drawn as the training worlds were (the run's own seed): its excess over
        the held-out score is what the agent learned about its own worlds rather than about the task."""
        world = self._worlds(self.cfg.seed, held_out=False)
        try:
            return probe_score(world, policy, self.cfg.eval.seconds, self.cfg.seed)
        finally:
            world.close()

    def calibrate(self) -> None:
        """Measure the scripted reference (where the world has one) and the random policy once per run."""
        if self.reference is None and self.world.task.scripted:
            self.reference = self.score(reference_policy(self.world))
        if self.random is None:
            self.random = self.score(random_policy(self.world, self.cfg.eval.seed))

    @property
    def threshold(self) -> float | None:
        """The task's competence criterion from the reference, the random policy and `eval.competence`; None where
        it is not defined (a world without a scripted animal)."""
        return self.world.task.competence_threshold(self.reference, self.random, self.cfg.eval.competence)

    def close(self) -> None:
        self.world.close()
