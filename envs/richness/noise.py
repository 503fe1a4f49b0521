"""Sensory noise: every receptor is noisy, each world by its own amount.

Gaussian noise on every sense that is on: in pixel levels for eyes (a fraction of full scale), in the
sense's own units for vector senses (radians, metres per second, bels...).
"""

import torch

from envs.richness.factor import Factor, Span

LEVEL = Span(train=(0.0, 0.04), held_out=(0.05, 0.08))  # standard deviation


class Noise(Factor):
    name = "noise"

    def __init__(self, held_out: bool = False):
        super().__init__(held_out)
        self.level: torch.Tensor | None = None

    def reset(self, backend, env_ids, generator) -> None:
        if self.level is None:
            self.level = torch.zeros(backend.num_envs)
        self.level[env_ids] = LEVEL.sample((len(env_ids),), generator, self.held_out).float()

    def perturb(self, observation, env_ids, generator) -> None:
        level = self.level if env_ids is None else self.level[env_ids]
        for name, value in observation.items():
            sigma = level.view(-1, *[1] * (value.dim() - 1))
            noise = torch.randn(value.shape, generator=generator).mul_(sigma).to(value.device)
            if value.dtype == torch.uint8:
                observation[name] = noise.mul_(255).add_(value).round_().clamp_(0, 255).to(torch.uint8)
            else:
                observation[name] = noise.add_(value)
