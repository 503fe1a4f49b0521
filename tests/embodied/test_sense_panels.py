"""Video panels show every sense that is on: each eye (and depth), and bars for the vector senses."""

import numpy as np
import torch

import envs
from embodied.sense_panels import BAR, sense_panels, short_labels


def test_every_sense_that_is_on_gets_a_panel():
    with envs.make("Forage", num_envs=1, seed=0, vision_size=16, eyes="binocular", depth=True) as world:
        observation, _ = world.reset(seed=0)
        panels = sense_panels(world, 64)(observation)
    eyes, depth, bars = panels
    assert eyes.shape == depth.shape == (64, 128, 3) and bars.shape == (64, 96, 3)
    assert (depth[..., 0] == depth[..., 1]).all(), "depth is grey"
    with envs.make("Forage", num_envs=1, seed=0, vision_size=16, richness="impoverished") as world:
        observation, _ = world.reset(seed=0)
        assert [panel.shape for panel in sense_panels(world, 64)(observation)] == [(64, 64, 3)]


def test_bars_follow_the_readings():
    with envs.make("Forage", num_envs=1, seed=0, vision_size=8, senses=("smell",)) as world:
        draw = sense_panels(world, 200)
    left = draw({"smell": torch.tensor([[2.0, 0.0, 0.0, 0.0]])})[0]
    right = draw({"smell": torch.tensor([[0.0, 0.0, 2.0, 0.0]])})[0]
    half = draw({"smell": torch.tensor([[1.0, 0.0, 0.0, 0.0]])})[0]

    def bars(frame):
        """Columns of the bar pixels in a frame."""
        return np.nonzero((frame == np.array(BAR)).all(axis=-1))[1]

    assert len(bars(left)) > 0 and len(bars(right)) == len(bars(left))
    assert bars(right).mean() > bars(left).mean() + left.shape[1] / 4, "the right nostril's bar is further right"
    assert abs(len(bars(half)) / len(bars(left)) - 0.5) < 0.1, "a bar's height is the reading's share"


def test_many_joints_get_short_staggered_labels_and_few_get_plain_ones():
    joints = [f"{leg}_{part}_pos" for leg in ("front_left", "hind_right") for part in ("hip", "knee")] * 4
    labels = short_labels(joints, 120)
    assert labels[:2] == ["FL hip", "\nFL knee"]  # crowded: every other label drops a line
    assert short_labels(["gyro x", "body_velocity y"], 300) == ["gyro x", "v y"]
