import math

import pytest
import torch

from agents.priors.bit_budget import mask_bits, noise_capacity, quantise, through_budget, top_magnitudes


@pytest.fixture
def weights() -> torch.Tensor:
    return torch.randn(40, 25, generator=torch.Generator().manual_seed(0))


def test_a_mask_carries_log2_of_the_number_of_masks_like_it():
    assert mask_bits(10, 3) == pytest.approx(math.log2(math.comb(10, 3)))
    assert mask_bits(1000, 1000) == 0
    binary_entropy = -(0.1 * math.log2(0.1) + 0.9 * math.log2(0.9))
    assert mask_bits(10_000, 1000) == pytest.approx(10_000 * binary_entropy, rel=0.01)  # what a coder reaches


def test_full_precision_passes_the_weights_unchanged_at_32_bits_each(weights):
    inherited, bits = through_budget(weights, bits=32, keep=1.0, noise=0.0)
    assert torch.equal(inherited, weights) and bits == 32 * weights.numel()


def test_k_bit_quantisation_keeps_2_to_the_k_levels_within_half_a_step(weights):
    inherited, bits = through_budget(weights, bits=4, keep=1.0, noise=0.0)
    step = (weights.max() - weights.min()) / 15
    assert inherited.unique().numel() <= 16 and inherited.unique().numel() > 8
    assert (inherited - weights).abs().max() <= step / 2 + 1e-6
    assert inherited.min() == pytest.approx(weights.min()) and inherited.max() == pytest.approx(weights.max())
    assert bits == 4 * weights.numel() + 64  # the levels' two ends as float32


def test_one_bit_is_the_sign_times_the_mean_magnitude(weights):
    inherited, bits = through_budget(weights, bits=1, keep=1.0, noise=0.0)
    assert torch.equal(inherited.sign(), weights.sign())
    assert torch.allclose(inherited.abs(), weights.abs().mean().expand_as(weights))
    assert bits == weights.numel() + 32
    assert torch.equal(quantise(torch.tensor([0.5, 0.5]), 3)[0], torch.tensor([0.5, 0.5]))  # one level: exact


def test_keeping_the_top_tenth_keeps_exactly_the_largest_weights_and_zeroes_the_rest(weights):
    inherited, bits = through_budget(weights, bits=32, keep=0.1, noise=0.0)
    kept = inherited != 0
    assert int(kept.sum()) == 100
    assert weights.abs()[kept].min() >= weights.abs()[~kept].max()
    assert torch.equal(inherited[kept], weights[kept])
    assert bits == pytest.approx(mask_bits(1000, 100) + 32 * 100)
    assert torch.equal(top_magnitudes(weights, 0.1), kept)


def test_noise_has_the_asked_spread_and_caps_the_bits_at_the_channels_capacity(weights):
    torch.manual_seed(0)
    inherited, bits = through_budget(weights, bits=32, keep=1.0, noise=0.5)
    rms = weights.square().mean().sqrt()
    assert ((inherited - weights).std() / rms).item() == pytest.approx(0.5, rel=0.1)
    assert noise_capacity(0.5) == pytest.approx(0.5 * math.log2(5))
    assert bits == pytest.approx(noise_capacity(0.5) * weights.numel())
    _, coarse = through_budget(weights, bits=1, keep=1.0, noise=0.5)
    assert coarse == weights.numel() + 32  # a 1-bit code is below the capacity: the noise costs it nothing
