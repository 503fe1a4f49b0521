"""Reconstruction: decode every sense from the fused latent (an autoencoder through the agent's own latent).

To be decodable, the latent must keep what each sense carries, whether or not reward has made it matter yet.
"""

import torch
import torch.nn.functional as F
from torch import nn

from agents.actor_critic import ActorCritic
from agents.aux.augment import augmented
from agents.aux.base import AuxiliaryLoss, Transitions, UnexplainedVariance, predictor

# Images are decoded at most this many pixels a side (average-pooled). A 128-wide latent cannot hold every
# pixel of a large eye; a coarse picture keeps the layout and colours (where food, walls and others are),
# which is what behaviour needs, and keeps the decoder small on a CPU. Smaller eyes are decoded whole.
IMAGE_SIDE = 16


class Reconstruction(AuxiliaryLoss):
    """Vector senses are decoded to their normalised values (as the encoder sees them), images to pixels in
    [0, 1] at no more than IMAGE_SIDE a side. Each sense's error is its unexplained variance, and the loss is
    the mean over senses, so no sense dominates by its scale or its number of values."""

    name = "reconstruction"

    def __init__(self, agent: ActorCritic, shift: int = 0, hidden: int = 256):
        super().__init__()
        self.shift = shift
        self.image_sizes: dict[str, tuple[int, int]] = {}
        sizes = {}
        for name, space in agent.observation_space.spaces.items():
            if len(space.shape) == 3:
                h, w, c = space.shape
                self.image_sizes[name] = (min(h, IMAGE_SIDE), min(w, IMAGE_SIDE))
                sizes[name] = c * self.image_sizes[name][0] * self.image_sizes[name][1]
            else:
                sizes[name] = space.shape[0]
        self.decoders = nn.ModuleDict({name: predictor(agent.cfg.latent, size, hidden) for name, size in sizes.items()})
        self.errors = nn.ModuleDict({name: UnexplainedVariance() for name in sizes})

    def target(self, agent: ActorCritic, name: str, x: torch.Tensor) -> torch.Tensor:
        """What sense `name` is decoded to, flattened to [B, -1]; never a path for gradient."""
        with torch.no_grad():
            if name in self.image_sizes:
                pixels = x.permute(0, 3, 1, 2).float() / 255.0
                return F.adaptive_avg_pool2d(pixels, self.image_sizes[name]).flatten(1)
            return agent.encoders[name].norm(x)

    def forward(self, agent: ActorCritic, batch: Transitions) -> torch.Tensor:
        batch = augmented(agent, batch, self.shift)
        losses = [
            self.errors[name](decode(batch.latent), self.target(agent, name, batch.obs[name]))
            for name, decode in self.decoders.items()
        ]
        return torch.stack(losses).mean()
