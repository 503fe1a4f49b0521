"""Observations in the order they were lived, so that a loss can pair each with the one k steps later.

A minibatch is a shuffled sample of (step, world) rows; a loss that looks further ahead than the next
observation (temporal contrast) needs the rows around it, and must know where a life ended in between.
"""

from dataclasses import dataclass

import torch

from agents.actor_critic import Obs


@dataclass
class Later:
    """For each row of a minibatch, the observation `k` steps later in the same world.

    `valid` is False where that observation is not of the same life (an episode ended in between) or lies past
    the end of the rollout. `life` names the life each row's own observation belongs to: rows with equal ids
    are moments of one life (same world, no reset between them).
    """

    obs: Obs
    valid: torch.Tensor
    life: torch.Tensor


@dataclass
class Sequences:
    """obs [T + 1, N, ...] of N worlds over a rollout of T steps; dones [T, N]: dones[t] says obs[t + 1] is the
    first observation of a new life (same-step autoreset), so nothing links it to obs[t]."""

    obs: Obs
    dones: torch.Tensor

    def later(self, t: torch.Tensor, n: torch.Tensor, k: int) -> Later:
        """Rows (t, n) [B] and the observation k steps after each."""
        steps = self.dones.shape[0]
        if not 1 <= k <= steps:
            raise ValueError(f"observations {k} steps apart do not fit in a rollout of {steps} steps: give k "
                             f"from 1 to {steps}, or collect longer rollouts")
        # Lives begun before each row: a pair is of one life when no episode ended between its two rows.
        begun = torch.cat([torch.zeros_like(self.dones[:1], dtype=torch.long), self.dones.long().cumsum(0)])
        ahead = (t + k).clamp(max=steps)
        obs = {name: x[ahead, n] for name, x in self.obs.items()}
        valid = (t + k <= steps) & (begun[ahead, n] == begun[t, n])
        return Later(obs, valid, n * (steps + 1) + begun[t, n])
