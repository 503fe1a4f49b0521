"""What an auxiliary (self-supervised) loss sees and returns."""

from abc import ABC, abstractmethod
from dataclasses import dataclass

import torch
from torch import nn

from agents.actor_critic import ActorCritic, Obs


@dataclass
class Transitions:
    """A minibatch of transitions (obs[t], action[t]) -> obs[t+1].

    `valid` is False where obs[t+1] is the first obs of a new episode: nothing links the two, so no loss
    may be taken across a reset. `latent` is the fused latent of `obs`, with gradient, computed once by the
    learner for the PPO loss and shared here so a minibatch is encoded only once.
    """

    obs: Obs
    next_obs: Obs
    actions: torch.Tensor
    valid: torch.Tensor
    latent: torch.Tensor


class AuxiliaryLoss(nn.Module, ABC):
    """A scalar loss on the agent's own experience; the learner adds weight * loss to the PPO loss.

    Its parameters (predictor heads) are trained by the learner's optimiser along with the agent's.
    """

    name: str

    @abstractmethod
    def forward(self, agent: ActorCritic, batch: Transitions) -> torch.Tensor: ...


def masked_mean(x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean of x [B] over the rows where mask [B] is True (0 when there are none)."""
    mask = mask.float()
    return (x * mask).sum() / mask.sum().clamp(min=1.0)


def unexplained_variance(prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean squared error over the target's mean variance across the batch [B, ...]: 1 for guessing the
    batch mean, 0 for a perfect prediction, whatever the target's scale."""
    variance = target.detach().var(0, unbiased=False).mean().clamp(min=1e-4)
    return (prediction - target).square().mean() / variance
