"""Gait measures on contact patterns whose answers are known by hand."""

import math

import pytest
import torch

from envs.tasks.gait import duty_factor, falls_per_minute, gait_regularity

DT = 0.05


def square_wave(steps: int, on: int, off: int, shift: int = 0) -> torch.Tensor:
    """A foot on the ground for `on` steps, then in the air for `off`, repeated; started `shift` steps late."""
    return ((torch.arange(steps) + shift) % (on + off) < on).float()


def test_a_perfectly_repeated_stride_is_regular():
    # Four feet in a trot-like pattern (period 10 steps = 0.5 s), in two worlds: [steps, worlds, feet].
    feet = torch.stack([square_wave(200, 5, 5, shift) for shift in (0, 5, 5, 0)], dim=-1)
    assert gait_regularity(torch.stack([feet, feet], dim=1), DT) == pytest.approx(1.0, abs=1e-4)


def test_constant_contact_has_no_rhythm():
    assert gait_regularity(torch.ones(200, 2, 4), DT) == 0.0
    assert gait_regularity(torch.zeros(200, 2, 4), DT) == 0.0


def test_a_random_pattern_is_far_from_regular():
    contacts = (torch.rand(400, 4, 4, generator=torch.Generator().manual_seed(0)) < 0.5).float()
    assert gait_regularity(contacts, DT) < 0.3


def test_a_stride_longer_than_the_window_is_not_counted():
    # Period 3 s: beyond the 2 s longest stride looked for, and the 0.2 s shortest.
    assert gait_regularity(square_wave(400, 30, 30)[:, None], DT) < 0.2


def test_a_record_too_short_for_two_strides_has_no_regularity():
    assert math.isnan(gait_regularity(torch.ones(6, 1), DT))


def test_duty_factor_is_the_share_of_time_on_the_ground():
    walk = square_wave(100, 3, 1)  # on the ground three steps in four
    assert duty_factor(torch.stack([walk, walk], dim=-1)) == pytest.approx(0.75)


def test_falls_per_minute_counts_falls_per_world():
    fell = torch.zeros(600, 2)  # 30 s of two worlds
    fell[100, 0] = fell[400, 0] = fell[250, 1] = 1
    assert falls_per_minute(fell, DT) == pytest.approx(3 / 2 / 0.5)
