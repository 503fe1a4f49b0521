"""A tiny batched world that follows interfaces.md, for testing the learner without MuJoCo."""

import gymnasium
import numpy as np
import pytest
import torch
from gymnasium import spaces
from gymnasium.vector import AutoresetMode
from gymnasium.vector.utils import batch_space

from agents.actor_critic import ActorCritic
from agents.config import AgentConfig


class FakeWorld(gymnasium.vector.VectorEnv):
    """Reach for a goal: reward is -|clip(action) - goal|^2, so the best action is the goal itself.

    The goal is fixed per episode and seen in the "vector" sense, scaled and offset so that learning
    needs the normaliser. A point pushed by the clipped action is seen in both senses, so the next
    observation is predictable from this one and the action, except across a reset. Episodes are
    truncated after `episode_steps`; with `terminate_odd`, odd-numbered worlds terminate instead.
    """

    metadata = {"autoreset_mode": AutoresetMode.SAME_STEP}

    def __init__(self, num_envs: int = 8, episode_steps: int = 8, terminate_odd: bool = False, size: int = 16):
        self.num_envs, self.episode_steps, self.terminate_odd, self.size = num_envs, episode_steps, terminate_odd, size
        self.device, self.dt = torch.device("cpu"), 0.05
        self.single_observation_space = spaces.Dict(
            {
                "vision": spaces.Box(0, 255, (size, size, 3), np.uint8),
                "vector": spaces.Box(-np.inf, np.inf, (4,), np.float32),
            }
        )
        self.single_action_space = spaces.Box(-1.0, 1.0, (2,), np.float32)
        self.observation_space = batch_space(self.single_observation_space, num_envs)
        self.action_space = batch_space(self.single_action_space, num_envs)
        self.generator = torch.Generator()

    def reset(self, seed: int | None = None, options: dict | None = None):
        if seed is not None:
            self.generator.manual_seed(seed)
        self.t = torch.zeros(self.num_envs, dtype=torch.long)
        self.goal, self.point = self._uniform(), self._uniform()
        return self._obs(), {}

    def step(self, actions: torch.Tensor):
        action = actions.to(self.device).clamp(-1.0, 1.0)
        reward = -(action - self.goal).square().sum(-1)
        self.point = (self.point + 0.2 * action).clamp(-1.0, 1.0)
        self.t += 1
        ended = self.t >= self.episode_steps
        odd = torch.arange(self.num_envs) % 2 == 1
        terminated = ended & odd if self.terminate_odd else torch.zeros_like(ended)
        truncated = ended & ~terminated
        final_obs = self._obs()
        self.goal = torch.where(ended[:, None], self._uniform(), self.goal)
        self.point = torch.where(ended[:, None], self._uniform(), self.point)
        self.t[ended] = 0
        return self._obs(), reward, terminated, truncated, {"final_obs": final_obs}

    def _uniform(self) -> torch.Tensor:
        return torch.rand(self.num_envs, 2, generator=self.generator) * 2 - 1

    def _obs(self) -> dict[str, torch.Tensor]:
        colour = torch.cat([self.point, self.goal[:, :1]], dim=-1)  # three channels
        vision = ((colour + 1) * 127.5).to(torch.uint8)[:, None, None, :].expand(-1, self.size, self.size, -1)
        vector = torch.cat([self.goal, self.point], dim=-1) * 3.0 + 5.0
        return {"vision": vision.contiguous(), "vector": vector}


@pytest.fixture
def make_world():
    return FakeWorld


@pytest.fixture
def make_agent():
    def make(world: FakeWorld, seed: int = 0, **cfg) -> ActorCritic:
        torch.manual_seed(seed)
        return ActorCritic(world.single_observation_space, world.single_action_space, AgentConfig(**cfg))

    return make
