"""Inverse dynamics: predict the action taken from the latents before and after it.

Only what the agent's own actions changed can tell the action apart, so the encoder learns to see what it
controls (its body, its place) and may ignore what it cannot (distractors that move by themselves).
"""

import torch

from agents.actor_critic import ActorCritic
from agents.aux.augment import augmented
from agents.aux.base import AuxiliaryLoss, Transitions, masked_mean, predictor


class InverseDynamics(AuxiliaryLoss):
    name = "inverse_dynamics"

    def __init__(self, latent: int, action_size: int, shift: int = 0, hidden: int = 256):
        super().__init__()
        self.shift = shift
        self.predictor = predictor(2 * latent, action_size, hidden)

    def forward(self, agent: ActorCritic, batch: Transitions) -> torch.Tensor:
        batch = augmented(agent, batch, self.shift)
        # Both latents keep their gradient: the encoder must make the change it caused visible in each.
        # The target is the action as the body carried it out, clipped.
        next_latent = agent.latent(batch.next_obs)
        prediction = self.predictor(torch.cat([batch.latent, next_latent], dim=-1))
        error = (prediction - batch.actions.clamp(-1.0, 1.0)).square().mean(-1)
        return masked_mean(error, batch.valid)
