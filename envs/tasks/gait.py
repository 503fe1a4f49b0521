"""Gait measures from foot-contact signals, as used to describe animal locomotion.

Contact signals are [steps, ...] tensors of 0 (foot in the air) and 1 (foot on the ground), `dt` seconds apart.
"""

import math

import torch


def falls_per_minute(fell: torch.Tensor, dt: float) -> float:
    """Falls [steps, N] per simulated minute of one animal."""
    minutes = fell.shape[0] * dt / 60.0
    return float(fell.sum()) / fell[0].numel() / minutes


def alive_until_first_fall(fell: torch.Tensor) -> torch.Tensor:
    """Whether each step [steps, N] comes before its world's first fall or is that fall: a task whose falls end
    lives counts what an animal does only until it first falls, so diving and falling, life after life, scores
    nothing."""
    return (fell.cumsum(dim=0) - fell) == 0


def duty_factor(contacts: torch.Tensor) -> float:
    """The fraction of the stride a foot is on the ground (walk > 0.5 > run), over every foot and world."""
    return float(contacts.float().mean())


def gait_regularity(contacts: torch.Tensor, dt: float, min_period: float = 0.2, max_period: float = 2.0) -> float:
    """How periodic foot contacts are: the autocorrelation's peak at a stride period between `min_period` and
    `max_period` seconds, past its first fall to zero (a contact that barely changes is like itself a moment
    later, but that is no rhythm), averaged over every foot and world. 1 is a perfectly repeated stride; 0 is no
    rhythm in that range (a foot that never changes contact has none); chance coincidences give an irregular
    pattern a little above 0. NaN when the record is too short to hold two strides of `min_period`."""
    series = contacts.float().reshape(contacts.shape[0], -1).T
    steps = series.shape[1]
    low, high = max(1, round(min_period / dt)), min(steps // 2, round(max_period / dt))
    if high < low:
        return math.nan
    centred = series - series.mean(dim=1, keepdim=True)
    spectrum = torch.fft.rfft(centred, n=2 * steps)
    autocorrelation = torch.fft.irfft(spectrum * spectrum.conj(), n=2 * steps)[:, :steps]
    # Unbiased per lag (fewer overlapping samples at longer lags), normalised by the variance.
    lags = torch.arange(steps, device=series.device)
    autocorrelation = autocorrelation / (steps - lags) / (autocorrelation[:, :1] / steps).clamp(min=1e-9)
    dipped = autocorrelation <= 0
    first_dip = torch.where(dipped.any(dim=1), dipped.float().argmax(dim=1), steps)
    window = (lags >= low) & (lags <= high) & (lags >= first_dip[:, None])
    peak = autocorrelation.masked_fill(~window, 0.0).max(dim=1).values.clamp(0, 1)
    return float(peak.mean())
