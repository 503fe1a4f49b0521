"""Passing a tensor of weights through a bit budget, and counting the bits that get through.

The count is what a genome would have to spell out: for each tensor, which weights are kept (a mask), the
value of each kept weight at some precision, and the few numbers that scale the levels. It is the headline
number of every compression study, so each rule here comes with its bits.
"""

import math

import torch

FULL_PRECISION = 32  # bits of a float32 weight as the ancestor saved it


def top_magnitudes(weights: torch.Tensor, keep: float) -> torch.Tensor:
    """A bool mask of the `keep` fraction of `weights` with the largest magnitudes (at least one)."""
    kept = max(1, round(keep * weights.numel()))
    mask = torch.zeros(weights.numel(), dtype=torch.bool)
    mask[weights.detach().flatten().abs().topk(kept).indices] = True
    return mask.view_as(weights)


def mask_bits(total: int, kept: int) -> float:
    """The information in a mask that keeps `kept` of `total` entries: which of the C(total, kept) masks it is,
    log2 C(total, kept), the size an entropy coder reaches (about total * H(kept / total)); 0 when all are kept."""
    return (math.lgamma(total + 1) - math.lgamma(kept + 1) - math.lgamma(total - kept + 1)) / math.log(2)


def quantise(values: torch.Tensor, bits: int) -> tuple[torch.Tensor, int]:
    """`values` at `bits` bits each, and the bits of the scale numbers that decode them.

    32 keeps them as they are; 2 to 16 rounds them to 2**bits evenly spaced levels from their minimum to their
    maximum (two float32 scale numbers per tensor); 1 keeps only each sign, times the values' mean magnitude
    (one float32 scale), the 1-bit code with the least squared error.
    """
    if bits == FULL_PRECISION:
        return values.clone(), 0
    if bits == 1:
        return values.sign() * values.abs().mean(), FULL_PRECISION
    low, high = values.min(), values.max()
    step = (high - low) / (2**bits - 1)
    levels = values if step == 0 else ((values - low) / step).round() * step + low
    return levels, 2 * FULL_PRECISION


def noise_capacity(noise: float) -> float:
    """Bits per weight that survive Gaussian noise of `noise` times the weights' RMS: the capacity of a Gaussian
    channel at signal-to-noise ratio 1 / noise**2, 0.5 * log2(1 + 1 / noise**2)."""
    return 0.5 * math.log2(1 + 1 / noise**2)


def through_budget(weights: torch.Tensor, bits: int, keep: float, noise: float) -> tuple[torch.Tensor, float]:
    """`weights` as a newborn inherits them, and the bits inherited.

    The top `keep` fraction by magnitude is kept and the rest set to zero, so the newborn carries exactly the
    ancestor's strongest connections and nothing else; the kept values are quantised to `bits`; then Gaussian
    noise of `noise` times their RMS is added to each (development is imprecise). Bits: the mask, plus each kept
    value at the lesser of its precision and what the noise lets through, plus the scale numbers.
    """
    mask = top_magnitudes(weights, keep)
    kept, scale_bits = quantise(weights[mask], bits)
    value_bits = float(bits)
    if noise > 0:
        kept = kept + noise * weights[mask].square().mean().sqrt() * torch.randn_like(kept)
        value_bits = min(value_bits, noise_capacity(noise))
    inherited = torch.zeros_like(weights)
    inherited[mask] = kept
    return inherited, mask_bits(weights.numel(), kept.numel()) + value_bits * kept.numel() + scale_bits
