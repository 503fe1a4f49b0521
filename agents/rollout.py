"""A rollout of T steps from N worlds, kept as tensors on the learner's device.

Index t holds the step taken from obs[t]: action[t] led to reward[t] and obs[t+1], and done[t] says the
episode ended there. With same-step autoreset obs[t+1] is then already the first obs of the next
episode, so obs has T + 1 rows and done[t] cuts both the return and any transition t -> t+1.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

import numpy as np
import torch
from gymnasium import spaces

from agents.actor_critic import Obs
from agents.aux.base import Transitions
from agents.aux.sequences import Sequences


def torch_dtype(dtype: np.dtype) -> torch.dtype:
    return torch.from_numpy(np.zeros(0, dtype)).dtype


@dataclass
class Batch:
    """What the PPO loss needs of a minibatch."""

    obs: Obs
    actions: torch.Tensor
    log_probs: torch.Tensor
    values: torch.Tensor
    advantages: torch.Tensor
    returns: torch.Tensor


class Rollout:
    def __init__(self, observation_space: spaces.Dict, action_size: int, steps: int, num_envs: int, device):
        def zeros(*shape: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
            return torch.zeros(shape, dtype=dtype, device=device)

        # Images stay uint8 (a quarter of the memory); encoders convert them per minibatch.
        self.obs = {
            name: zeros(steps + 1, num_envs, *space.shape, dtype=torch_dtype(space.dtype))
            for name, space in observation_space.spaces.items()
        }
        self.actions = zeros(steps, num_envs, action_size)
        self.log_probs, self.values = zeros(steps, num_envs), zeros(steps, num_envs)
        self.rewards, self.dones = zeros(steps, num_envs), zeros(steps, num_envs, dtype=torch.bool)
        self.advantages, self.returns = zeros(steps, num_envs), zeros(steps, num_envs)
        # Episodes outlive rollouts: their running return and length carry over from one rollout to the
        # next, and the values reached at each step are kept so that those where an episode ended can be read.
        self.episode_return, self.episode_length = zeros(num_envs), zeros(num_envs)
        self.episode_returns, self.episode_lengths = zeros(steps, num_envs), zeros(steps, num_envs)
        self.steps, self.num_envs = steps, num_envs

    def start(self, obs: Obs) -> None:
        for name, buffer in self.obs.items():
            buffer[0].copy_(obs[name])

    def insert(self, t: int, action, log_prob, value, reward, done, next_obs: Obs) -> None:
        """Record step t; reward is the world's own, before any bootstrap is added to rewards[t]."""
        self.actions[t], self.log_probs[t], self.values[t] = action, log_prob, value
        self.rewards[t], self.dones[t] = reward, done
        for name, buffer in self.obs.items():
            buffer[t + 1].copy_(next_obs[name])
        self.episode_return += reward
        self.episode_length += 1
        self.episode_returns[t], self.episode_lengths[t] = self.episode_return, self.episode_length
        self.episode_return.masked_fill_(done, 0.0)
        self.episode_length.masked_fill_(done, 0.0)

    def last_obs(self) -> Obs:
        return {name: buffer[-1] for name, buffer in self.obs.items()}

    def acted_obs(self) -> Obs:
        """obs[0..T-1] flattened to [T*N, ...]: the observations the policy acted on."""
        return {name: buffer[:-1].flatten(0, 1) for name, buffer in self.obs.items()}

    def compute_returns(self, last_value: torch.Tensor, gamma: float, lam: float) -> None:
        """Generalised advantage estimation; last_value [N] is V(obs[T]), the bootstrap past the rollout."""
        not_done = (~self.dones).float()
        next_values = torch.cat([self.values[1:], last_value[None]])
        deltas = self.rewards + gamma * next_values * not_done - self.values
        advantage = torch.zeros_like(last_value)
        for t in reversed(range(self.steps)):
            advantage = deltas[t] + gamma * lam * not_done[t] * advantage
            self.advantages[t] = advantage
        self.returns = self.advantages + self.values

    def minibatches(self, count: int) -> Iterator[torch.Tensor]:
        """Index tensors that split the T*N samples, shuffled, into `count` minibatches."""
        yield from torch.randperm(self.steps * self.num_envs, device=self.rewards.device).tensor_split(count)

    def batch(self, index: torch.Tensor) -> Batch:
        obs = {name: o[index] for name, o in self.acted_obs().items()}
        flat = (self.actions, self.log_probs, self.values, self.advantages, self.returns)
        return Batch(obs, *(x.flatten(0, 1)[index] for x in flat))

    def transitions(self, index: torch.Tensor, batch: Batch, latent: torch.Tensor) -> Transitions:
        """The minibatch `batch` drawn with `index`, as transitions for auxiliary losses; latent is the fused
        latent of batch.obs (see Transitions)."""
        next_obs = {name: buffer[1:].flatten(0, 1)[index] for name, buffer in self.obs.items()}
        later = partial(Sequences(self.obs, self.dones).later, index // self.num_envs, index % self.num_envs)
        return Transitions(batch.obs, next_obs, batch.actions, ~self.dones.flatten()[index], latent, later)

    def finished_episodes(self) -> tuple[torch.Tensor, torch.Tensor]:
        """(returns, lengths in steps) of the episodes that ended during this rollout."""
        return self.episode_returns[self.dones], self.episode_lengths[self.dones]
