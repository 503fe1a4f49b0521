"""Forward model: predict the next fused latent from the latent and the action taken.

Learning what its own actions do to what it senses is a signal a newborn gets for free, at every step.
"""

import torch

from agents.actor_critic import ActorCritic
from agents.aux.augment import augmented
from agents.aux.base import AuxiliaryLoss, Transitions, masked_mean, predictor


class ForwardModel(AuxiliaryLoss):
    name = "forward_model"

    def __init__(self, latent: int, action_size: int, shift: int = 0, hidden: int = 256):
        super().__init__()
        self.shift = shift
        self.predictor = predictor(latent + action_size, latent, hidden)

    def forward(self, agent: ActorCritic, batch: Transitions) -> torch.Tensor:
        batch = augmented(agent, batch, self.shift)
        # The target is held fixed: the encoder learns to be predictable from the past, not to chase its
        # own prediction. Actions are clipped as the body clipped them.
        with torch.no_grad():
            target = agent.latent(batch.next_obs)
        prediction = self.predictor(torch.cat([batch.latent, batch.actions.clamp(-1.0, 1.0)], dim=-1))
        return masked_mean((prediction - target).square().mean(-1), batch.valid)
