"""An agent as it was at a run's last checkpoint, for evaluation and videos."""

from dataclasses import dataclass

import torch

import envs
from agents.actor_critic import ActorCritic
from embodied.birth import newborn
from embodied.config import RunConfig
from embodied.device import resolve_device
from embodied.evaluation import agent_policy
from embodied.probes import Policy
from embodied.run_folder import RunFolder, RunFolderError


@dataclass
class TrainedAgent:
    cfg: RunConfig
    agent: ActorCritic
    device: torch.device
    env_steps: int

    def policy(self) -> Policy:
        return agent_policy(self.agent, self.device, self.cfg.eval.deterministic)


def load_trained_agent(run: RunFolder) -> TrainedAgent:
    cfg = run.config()
    latest = run.load_latest()
    if latest is None:
        raise RunFolderError(f"{run.path} has no checkpoint yet; train it first (embodied train --resume {run.path})")
    state, step = latest
    device = resolve_device(cfg.device)
    world = envs.make(cfg.world.name, num_envs=1, **cfg.world.on_cpu().model_dump(exclude={"name", "num_envs"}))
    agent = newborn(cfg, world.single_observation_space, world.single_action_space)
    world.close()
    with run.fitting(step):
        agent.load_state_dict(state["ppo"]["agent"])
    return TrainedAgent(cfg, agent.to(device).eval(), device, step)
