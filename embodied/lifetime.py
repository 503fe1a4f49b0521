"""A lifetime: a newborn learns in its world by PPO, is probed on held-out worlds as it goes, and leaves
a run folder behind (config, metrics, checkpoints, learning curve, summary).

The clock is simulated life time: every control step of every world adds `dt` seconds of experience.
"""

import math
import time
from collections.abc import Callable
from typing import TypeVar

import torch
from tqdm import tqdm

import envs
from agents.aux import build_aux_losses
from agents.ppo import PPO
from agents.threads import one_thread_on_cpu
from embodied.birth import newborn
from embodied.config import RunConfig
from embodied.device import resolve_device
from embodied.evaluation import Evaluator, agent_policy
from embodied.fatal_mistakes import FatalMistakes
from embodied.metrics import MetricsLogger
from embodied.plot import plot_learning_curve
from embodied.probes import Policy, time_to_competence
from embodied.provenance import code_version
from embodied.run_folder import RunFolder

T = TypeVar("T")


class Lifetime:
    """Everything one training run holds; `state_dict` is what a checkpoint needs to resume it."""

    def __init__(self, cfg: RunConfig, run: RunFolder):
        self.cfg, self.run = cfg, run
        self.code = code_version()  # as the process starts: the checkout may move on while it trains
        self.device = resolve_device(cfg.device)
        torch.manual_seed(cfg.seed)
        options = cfg.world.model_dump(exclude={"name", "num_envs"})
        # Worlds deliver their arrays where the learner is (and, on the warp backend, live there).
        self.world = envs.make(cfg.world.name, num_envs=cfg.world.num_envs, seed=cfg.seed, device=self.device,
                               **options)
        self.mistakes = FatalMistakes(self.world)
        self.agent = newborn(cfg, self.world.single_observation_space, self.world.single_action_space)
        steps_per_update = cfg.ppo.rollout_steps * cfg.world.num_envs
        total_updates = math.ceil(cfg.train.total_steps / steps_per_update)
        self.ppo = PPO(self.agent, cfg.ppo, build_aux_losses(cfg.aux, self.agent), self.device, total_updates)
        self.evaluator = Evaluator(cfg)
        self.probe = self.evaluator.probe
        self.evaluations: list[dict[str, float]] = []
        self.unstable_before = 0  # divergences of the training worlds before this session (a resumed run's)

    @property
    def life_seconds(self) -> float:
        return self.ppo.env_steps * self.world.dt

    def state_dict(self) -> dict:
        return {"ppo": self.ppo.state_dict(), "evaluations": self.evaluations,
                "reference": self.evaluator.reference, "random": self.evaluator.random,
                "fatal_mistakes": self.mistakes.count, "unstable_resets": self.unstable_resets}

    def load_state_dict(self, state: dict) -> None:
        self.ppo.load_state_dict(state["ppo"])
        self.evaluations = list(state["evaluations"])
        self.evaluator.reference, self.evaluator.random = state["reference"], state["random"]
        self.mistakes.count = state.get("fatal_mistakes", 0)
        self.unstable_before = state.get("unstable_resets", 0)

    @property
    def unstable_resets(self) -> int:
        """How often a training world's physics diverged (and the world was reset), over the whole run."""
        return self.unstable_before + self.world.stability.total

    def _probe(self, score: Callable[[Policy], T]) -> T:
        self.agent.eval()
        try:
            with one_thread_on_cpu(self.device):
                return score(agent_policy(self.agent, self.device, self.cfg.eval.deterministic))
        finally:
            self.agent.train()

    def evaluate(self) -> dict[str, float]:
        """Probe the agent on the held-out worlds; every measure of the task by metrics column."""
        measures = self._probe(self.evaluator.measures)
        self.evaluations.append({"env_steps": self.ppo.env_steps, "life_seconds": self.life_seconds,
                                 "score": measures[self.probe], "fatal_mistakes": self.mistakes.count})
        return measures

    def time_to_competence(self) -> float | None:
        if self.evaluator.threshold is None:
            return None
        return time_to_competence([e["life_seconds"] for e in self.evaluations],
                                  [e["score"] for e in self.evaluations],
                                  self.evaluator.threshold, self.cfg.eval.hold)

    def live(self, logger: MetricsLogger, progress: bool = True) -> dict:
        """Train to the step budget, evaluating and checkpointing on schedule; returns the summary."""
        cfg, ppo = self.cfg, self.ppo
        started = time.perf_counter()
        self.evaluator.calibrate()
        if not self.evaluations:
            logger.log(0, {"life_seconds": 0.0, **self.evaluate()})
        next_eval = self.evaluations[-1]["env_steps"] + cfg.train.eval_every
        next_checkpoint = ppo.env_steps + cfg.train.checkpoint_every
        observation, _ = self.world.reset(seed=cfg.seed + ppo.env_steps)
        bar = tqdm(total=cfg.train.total_steps, initial=ppo.env_steps, unit="step", disable=not progress,
                   dynamic_ncols=True)
        while ppo.env_steps < cfg.train.total_steps:
            tick = time.perf_counter()
            steps = ppo.env_steps
            observation = ppo.collect(self.mistakes, observation)
            metrics = ppo.update()
            metrics["steps_per_second"] = (ppo.env_steps - steps) / (time.perf_counter() - tick)
            metrics["unstable_resets"] = self._tell_divergence(bar)
            metrics["life_seconds"] = self.life_seconds
            last = ppo.env_steps >= cfg.train.total_steps
            if ppo.env_steps >= next_eval or last:
                metrics.update(self.evaluate())
                next_eval += cfg.train.eval_every
            logger.log(ppo.env_steps, metrics)
            if ppo.env_steps >= next_checkpoint or last:
                self.run.save_checkpoint(self.state_dict(), ppo.env_steps)
                next_checkpoint += cfg.train.checkpoint_every
            bar.update(ppo.env_steps - steps)
            bar.set_postfix(life=f"{self.life_seconds / 60:.0f}min", probe=f"{self.evaluations[-1]['score']:.1f}")
        bar.close()
        return self.summarize(time.perf_counter() - started)

    def _tell_divergence(self, bar: tqdm) -> int:
        """Say which training worlds' physics diverged since the last update (each was reset and lived on); the
        count so far."""
        for world, (times, step) in self.world.stability.news().items():
            bar.write(f"physics diverged in world {world} ({times}x, last at its control step {step}); it was reset")
        return self.unstable_resets

    def summarize(self, wall_seconds: float) -> dict:
        ttc = self.time_to_competence()
        summary = {
            "world": self.cfg.world.name,
            "seed": self.cfg.seed,
            "env_steps": self.ppo.env_steps,
            "life_seconds": self.life_seconds,
            "wall_seconds_this_session": wall_seconds,
            "probe": self.probe,
            "final_score": self.evaluations[-1]["score"],
            "training_world_score": self._probe(self.evaluator.score_on_training_worlds),
            "best_score": max(e["score"] for e in self.evaluations),
            "reference_score": self.evaluator.reference,
            "random_score": self.evaluator.random,
            "competence_threshold": self.evaluator.threshold,
            "competent": None if self.evaluator.threshold is None else ttc is not None,  # None: not defined
            "time_to_competence_seconds": ttc,
            "inherited_bits": self.agent.inherited_bits,
            "unstable_resets": self.unstable_resets,
            "code": self.code,
        }
        if self.world.task.fatal_signal is not None:
            summary["fatal_mistakes"] = self.mistakes.count
            summary["fatal_mistakes_before_competence"] = next(
                (e["fatal_mistakes"] for e in self.evaluations if e["life_seconds"] == ttc), None)
        self.run.write_summary(summary)
        rows = [{"life_seconds": e["life_seconds"], self.probe: e["score"]} for e in self.evaluations]
        plot_learning_curve(rows, self.run.plots_dir / "learning_curve.png", self.probe,
                            reference=self.evaluator.reference,
                            competence=self.evaluator.threshold / self.evaluator.reference
                            if self.evaluator.reference and self.evaluator.threshold is not None else None,
                            time_to_competence=ttc,
                            random_policy=self.evaluator.random)
        return summary

    def close(self) -> None:
        self.world.close()
        self.evaluator.close()


def _resume(lifetime: Lifetime, run: RunFolder) -> int | None:
    """Load the run's last checkpoint into `lifetime`; its step, or None if there is none yet."""
    latest = run.load_latest()
    if latest is None:
        return None
    state, step = latest
    with run.fitting(step):
        lifetime.load_state_dict(state)
    return step


def train(cfg: RunConfig, run: RunFolder, resume: bool = False, progress: bool = True) -> dict:
    """Live a whole lifetime in `run`, continuing from its last checkpoint when `resume` is set; the run folder is
    this process's meanwhile (see `RunFolder.held`)."""
    with run.held():
        lifetime = Lifetime(cfg, run)
        try:
            resume_step = _resume(lifetime, run) if resume else None
            logger = MetricsLogger(run, resume_step=resume_step)
            try:
                return lifetime.live(logger, progress)
            finally:
                logger.close()
        finally:
            lifetime.close()
