"""Constant tensors made once per dtype and device. Made anew at every step, each would be a copy from the host: on a
GPU, a transfer inside the step loop."""

import functools

import torch


@functools.lru_cache(maxsize=256)
def constant(values: tuple, dtype: torch.dtype, device: torch.device) -> torch.Tensor:
    """`values` (numbers, or tuples of them) as a tensor; treat it as read-only, as every caller shares it."""
    return torch.tensor(values, dtype=dtype, device=device)
