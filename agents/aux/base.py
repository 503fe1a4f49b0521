"""What an auxiliary (self-supervised) loss sees and returns."""

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
from torch import nn

from agents.actor_critic import ActorCritic, Obs
from agents.aux.sequences import Later
from agents.layer_init import layer_init


@dataclass
class Transitions:
    """A minibatch of transitions (obs[t], action[t]) -> obs[t+1].

    `valid` is False where obs[t+1] is the first obs of a new episode: nothing links the two, so no loss
    may be taken across a reset. `latent` is the fused latent of `obs`, with gradient, computed once by the
    learner for the PPO loss and shared here so a minibatch is encoded only once. `later(k)`, where the
    transitions come from a rollout, gives each row's observation k steps later in the same world and whether
    it is of the same life (see agents/aux/sequences.py).
    """

    obs: Obs
    next_obs: Obs
    actions: torch.Tensor
    valid: torch.Tensor
    latent: torch.Tensor
    later: Callable[[int], Later] | None = None


class AuxiliaryLoss(nn.Module, ABC):
    """A scalar loss on the agent's own experience; the learner adds weight * loss to the PPO loss.

    Its parameters (predictor heads) are trained by the learner's optimiser along with the agent's. `reach` is
    how many steps ahead in a life it looks: a rollout must hold at least that many steps.
    """

    name: str
    reach: int = 1

    @abstractmethod
    def forward(self, agent: ActorCritic, batch: Transitions) -> torch.Tensor: ...


def check_reach(losses: Sequence[AuxiliaryLoss], rollout_steps: int) -> None:
    """A clear error, before any learning, for a loss that looks further ahead than a rollout holds."""
    for loss in losses:
        if loss.reach > rollout_steps:
            raise ValueError(f"aux.{loss.name} pairs observations {loss.reach} steps apart, but a rollout holds "
                             f"{rollout_steps} steps: collect longer rollouts (ppo.rollout_steps, SB3's n_steps) "
                             "or pair closer observations (aux.contrast_steps)")


def predictor(inputs: int, outputs: int, hidden: int) -> nn.Sequential:
    """The small MLP head through which an auxiliary loss predicts its target; a linear output of unit gain."""
    return nn.Sequential(
        layer_init(nn.Linear(inputs, hidden)), nn.ReLU(), layer_init(nn.Linear(hidden, outputs), gain=1.0)
    )


def masked_mean(x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean of x [B] over the rows where mask [B] is True (0 when there are none)."""
    mask = mask.float()
    return (x * mask).sum() / mask.sum().clamp(min=1.0)


class UnexplainedVariance(nn.Module):
    """Squared error over the target's variance, so that errors on targets of any scale weigh alike: about 1 for
    guessing the mean, 0 for a perfect prediction.

    The variance (per value, averaged) is a moving average over recent minibatches, not the minibatch's own: a
    sense that is nearly constant within one minibatch (touch between contacts) would otherwise divide by almost
    nothing and swamp the loss. The average forgets, as targets change in scale while the senses' normalisers
    and the encoders learn. It is bias-corrected (as in Adam), so the first minibatch counts fully.
    """

    def __init__(self, decay: float = 0.99):
        super().__init__()
        self.decay = decay
        self.register_buffer("average", torch.tensor(0.0))
        self.register_buffer("steps", torch.tensor(0))

    def forward(self, prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """prediction, target [B, ...]."""
        with torch.no_grad():
            self.average.lerp_(target.var(0, unbiased=False).mean(), 1.0 - self.decay)
            self.steps += 1
            variance = self.average / (1.0 - self.decay**self.steps)  # no sync with an accelerator
        return (prediction - target).square().mean() / variance.clamp(min=1e-4)
