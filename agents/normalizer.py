"""Running mean and variance, so that senses (and returns) of any scale reach the network near unit scale."""

import torch
from torch import nn


class RunningNorm(nn.Module):
    """Normalises a vector sense (or the critic's returns) by statistics of everything seen so far.

    The statistics are buffers, so they live in the state dict: a saved agent sees its senses exactly as
    it did while learning. They change only through `update`, never in `forward`, so the learner decides
    when the lens through which the policy sees the world may move.
    """

    def __init__(self, size: int, clip: float = 10.0, eps: float = 1e-8, min_std: float = 0.0):
        super().__init__()
        self.clip, self.eps, self.min_std = clip, eps, min_std
        self.register_buffer("mean", torch.zeros(size))
        self.register_buffer("var", torch.ones(size))
        self.register_buffer("count", torch.tensor(1e-4))  # a tiny prior count avoids dividing by zero

    @torch.no_grad()
    def update(self, x: torch.Tensor) -> None:
        """Merge the statistics of a batch [B, size] (Chan et al.'s parallel algorithm)."""
        x = x.float()
        batch_mean, batch_var, n = x.mean(0), x.var(0, unbiased=False), x.shape[0]
        delta, total = batch_mean - self.mean, self.count + n
        self.mean += delta * (n / total)
        moments = self.var * self.count + batch_var * n + delta.square() * (self.count * n / total)
        self.var.copy_(moments / total)
        self.count.copy_(total)

    @property
    def std(self) -> torch.Tensor:
        return torch.sqrt(self.var + self.eps).clamp(min=self.min_std)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return ((x.float() - self.mean) / self.std).clamp(-self.clip, self.clip)

    def denormalize(self, x: torch.Tensor) -> torch.Tensor:
        """The inverse of forward (short of the clip): from normalised units back to the raw scale."""
        return x * self.std + self.mean
