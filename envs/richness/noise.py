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
        n = len(level)
        # One draw for every sense of a world (a draw has a fixed cost well above its per-number one), cut up.
        sizes = [value[0].numel() for value in observation.values()]
        draws = torch.randn(n, sum(sizes), generator=generator).mul_(level[:, None]).split(sizes, dim=1)
        for (name, value), noise in zip(list(observation.items()), draws, strict=True):
            noise = noise.reshape(value.shape).to(value.device)
            if value.dtype == torch.uint8:
                observation[name] = noise.mul(255).add_(value).round_().clamp_(0, 255).to(torch.uint8)
            else:
                observation[name] = noise.add(value)
