"""Sensory noise: every receptor is noisy, each world by its own amount.

Gaussian noise on every sense that is on: in pixel levels for eyes (a fraction of full scale), in the
sense's own units for vector senses (radians, metres per second, bels...).

The normals come from a bank drawn once per process, not from the world's generator at every step: a draw
costs about 6 ns a number, and a step of 8 worlds with 40-pixel eyes needs 40 thousand (a quarter of a
millisecond, as much as hearing and smell together). Each world reads its step's noise from a window of the
bank that starts at an offset drawn from its generator. This is still honest noise: within a window the
values are independent standard normals; two windows (other worlds, other steps) share a value only where
they overlap, which for windows of W numbers in a bank of B happens with chance about 2 W / B (under 0.3% for a
40-pixel eye), and then at a random shift; what is left to exploit is the bank's own realisation, millions
of numbers, read at positions the agent never sees.
"""

import functools
import math

import torch

from envs.richness.factor import Factor, Span

LEVEL = Span(train=(0.0, 0.04), held_out=(0.05, 0.08))  # standard deviation
BANK = 1 << 22  # standard normals in the bank, at least; a bank is at least OVERLAP times as long as a window
OVERLAP = 256
BANK_SEED = 20240531  # fixed, so the same world seed gives the same noise in every process


@functools.lru_cache(maxsize=4)
def bank(length: int, device: torch.device) -> torch.Tensor:
    """Standard normals [length] on `device`, the same in every process."""
    return torch.randn(length, generator=torch.Generator().manual_seed(BANK_SEED), device="cpu").to(device)


class Noise(Factor):
    name = "noise"

    def __init__(self, held_out: bool = False):
        super().__init__(held_out)
        self.level: torch.Tensor | None = None

    def reset(self, backend, mask, generator) -> None:
        if self.level is None:
            self.level = torch.zeros(backend.num_envs)
        self.level = torch.where(mask, LEVEL.sample((backend.num_envs,), generator, self.held_out).float(), self.level)

    def perturb(self, observation, env_ids, generator) -> None:
        level = self.level if env_ids is None else self.level[env_ids]
        n = len(level)
        sizes = [math.prod(value.shape[1:]) for value in observation.values()]
        width, device = sum(sizes), next(iter(observation.values())).device
        normals = bank(max(BANK, OVERLAP * width), device)
        start = torch.randint(len(normals) - width + 1, (n,), generator=generator, device=generator.device).to(device)
        windows = normals.unfold(0, width, 1).index_select(0, start)  # [n, width]: a window of the bank per world
        level = level.to(device)
        vector_level, column = level[:, None], 0
        for (name, value), size in zip(list(observation.items()), sizes, strict=True):
            noise = windows[:, column:column + size].view(value.shape)
            scale = vector_level if value.dim() == 2 else level.view(n, *[1] * (value.dim() - 1))
            column += size
            if value.dtype == torch.uint8:
                observation[name] = torch.addcmul(value, noise, scale * 255).round_().clamp_(0, 255).to(torch.uint8)
            else:
                observation[name] = torch.addcmul(value, noise, scale)
