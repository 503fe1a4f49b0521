"""Hearing: two ears on the head hear level per band, interaural level and time differences."""

import math

import torch

import envs
from envs.senses import BANDS, Hearing, Sounds

EARS = ((0.0, 0.04, 0.0), (0.0, -0.04, 0.0))  # left, right: the head faces +x
LOW, HIGH = 0, len(BANDS) - 1
ILD, ITD = slice(2 * len(BANDS), 3 * len(BANDS)), 3 * len(BANDS)


class Scene:
    """A stand-in for a backend and a task: two ears, and sources at given positions and levels."""

    def __init__(self, positions, levels):
        n = len(positions)
        self.sensordata = torch.tensor([*EARS[0], *EARS[1]], dtype=torch.float64).repeat(n, 1)
        self.sources = Sounds(torch.tensor(positions, dtype=torch.float64)[:, None],
                              torch.tensor(levels, dtype=torch.float64)[:, None])

    def sound_sources(self, backend):
        return self.sources


def hear(positions, levels=(60.0, 60.0, 60.0)) -> torch.Tensor:
    scene = Scene(positions, [levels] * len(positions))
    sense = Hearing(ears=("left", "right"))
    sense.index = torch.arange(6)
    sense.bind_task(scene)
    return sense.read(scene)


def test_a_sound_on_the_left_is_louder_and_earlier_in_the_left_ear():
    left, right = hear([(0.0, 1.0, 0.0), (0.0, -1.0, 0.0)])
    assert (left[:len(BANDS)] > left[len(BANDS):2 * len(BANDS)]).all()
    assert (left[ILD] > 0).all() and left[ITD] > 0
    assert left[ILD][HIGH] > left[ILD][LOW], "the head shadows high frequencies most"
    expected_itd_ms = 0.08 / 343.0 * 1000  # the ears' spacing, with the source on their axis
    assert math.isclose(float(left[ITD]), expected_itd_ms, rel_tol=0.05)
    assert torch.allclose(right[ILD], -left[ILD]) and torch.isclose(right[ITD], -left[ITD])


def test_a_sound_straight_ahead_has_no_interaural_difference():
    ahead = hear([(2.0, 0.0, 0.0)])[0]
    assert ahead[ILD].abs().max() < 1e-6 and abs(float(ahead[ITD])) < 1e-6


def test_level_falls_six_decibels_per_doubling_of_distance():
    near, far = hear([(1.0, 0.0, 0.0), (2.0, 0.0, 0.0)])
    drop_bels = near[:len(BANDS)] - far[:len(BANDS)]
    assert torch.allclose(drop_bels, torch.full_like(drop_bels, 0.6), atol=0.02)


def test_a_silent_source_is_not_heard():
    silent = hear([(1.0, 0.0, 0.0)], levels=(-math.inf,) * len(BANDS))[0]
    assert silent.abs().max() == 0


def test_the_food_call_comes_in_bouts():
    """In the forage world one food item calls for half of every bout cycle: the critter hears calls and gaps."""
    with envs.make("Forage", num_envs=2, seed=0, vision_size=8, senses=("hearing",)) as world:
        world.reset(seed=0)
        heard = []
        for _ in range(80):  # 4 s: two bout cycles
            observation, *_ = world.step(torch.tensor([[-1.0, 0.0, 0.0, 0.0]] * 2))
            heard.append(observation["hearing"][:, LOW])
    heard = torch.stack(heard)
    assert ((heard > 1.0).float().mean(dim=0) > 0.3).all() and ((heard == 0).float().mean(dim=0) > 0.3).all()
