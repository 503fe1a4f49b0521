"""Running mean and variance of a vector sense, so senses of any scale reach the network near unit scale."""

import torch
from torch import nn


class RunningNorm(nn.Module):
    """Normalises a vector sense by statistics of everything it has seen so far.

    The statistics are buffers, so they live in the state dict: a saved agent sees its senses exactly as
    it did while learning. They change only through `update`, never in `forward`, so the learner decides
    when the lens through which the policy sees the world may move.
    """

    def __init__(self, size: int, clip: float = 10.0, eps: float = 1e-8):
        super().__init__()
        self.clip, self.eps = clip, eps
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

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return ((x.float() - self.mean) / torch.sqrt(self.var + self.eps)).clamp(-self.clip, self.clip)
