"""A task's measures: by default only its headline probe, under the probe's name."""

import pytest
import torch

from envs.tasks import Forage


def test_default_measures_are_the_headline_probe():
    eaten = torch.zeros(600, 2)  # 30 s of two worlds at 0.05 s
    eaten[10, 0] = eaten[20, 1] = eaten[30, 1] = 1
    task = Forage()
    assert task.measures({"food_eaten": eaten}, 0.05) == pytest.approx({"food_per_minute": 3 / 2 / 0.5})
