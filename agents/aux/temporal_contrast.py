"""Temporal contrast: the latents of two moments a few steps apart in one life should agree more with each
other than with moments of other lives (InfoNCE through time, as in CPC and slow feature analysis).

What persists over a second of life (the place, the objects in view, the goal) is what the world is made of;
pixels flickering from step to step are not. Each row of a minibatch is an anchor, its positive the same
world k steps later; the positives of the other rows are its negatives, except those of its own life, which
are not different (pushing apart two moments of one life would fight the slowness it asks for). A pair across
a reset, or past the end of the rollout, is no pair at all. Both sides keep their gradient, as in SimCLR: the
negatives are what keeps the latents from collapsing to one point.
"""

import torch
import torch.nn.functional as F

from agents.actor_critic import ActorCritic
from agents.aux.augment import shift_images
from agents.aux.base import AuxiliaryLoss, Transitions, masked_mean, predictor


class TemporalContrast(AuxiliaryLoss):
    name = "temporal_contrast"

    def __init__(self, latent: int, shift: int = 0, steps: int = 4, temperature: float = 0.1, hidden: int = 256):
        super().__init__()
        self.shift, self.reach, self.temperature = shift, steps, temperature
        # Compared on a projection, so the latent itself need not be all about what persists (as in SimCLR).
        self.projection = predictor(latent, latent, hidden)

    def forward(self, agent: ActorCritic, batch: Transitions) -> torch.Tensor:
        if batch.later is None:
            raise ValueError("aux.temporal_contrast pairs observations k steps apart in one life: give it "
                             "transitions from a rollout, which know the order they were lived in (Transitions.later)")
        later = batch.later(self.reach)
        anchor = agent.latent(shift_images(agent, batch.obs, self.shift)) if self.shift else batch.latent
        positive = agent.latent(shift_images(agent, later.obs, self.shift))
        anchor = F.normalize(self.projection(anchor), dim=-1)
        positive = F.normalize(self.projection(positive), dim=-1)
        logits = anchor @ positive.T / self.temperature
        # Row i may be told apart only from valid positives of other lives; its own positive is column i.
        own = torch.eye(len(logits), dtype=torch.bool, device=logits.device)
        same_life = later.life[:, None] == later.life[None, :]
        excluded = ~later.valid[None, :] | (same_life & ~own)
        logits = logits.masked_fill(excluded, torch.finfo(logits.dtype).min)
        labels = torch.arange(len(logits), device=logits.device)
        return masked_mean(F.cross_entropy(logits, labels, reduction="none"), later.valid)
