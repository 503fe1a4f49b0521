"""The forage probe tells animals apart: the scripted forager passes it and a random policy fails."""

import pytest

import envs
from embodied.probes import probe_score, random_policy, reference_policy


@pytest.mark.parametrize("name, options, eats, random_share", [
    ("Forage", {}, 15, 1 / 8),  # many items per minute; random flailing far below competence (half of that)
    # The forager's steering, walked by the quadruped's trot: several items per minute.
    ("QuadrupedForage", {"senses": ("touch",)}, 6, 1 / 4),
    # The walking quadruped on open pasture, turning barely: it eats what lies near its way; random flailing topples.
    ("Graze", {"senses": ("touch",)}, 3, 1 / 4),
])
def test_the_scripted_forager_passes_and_a_random_policy_fails(name, options, eats, random_share):
    with envs.make(name, num_envs=4, seed=0, vision_size=8, **options) as world:
        reference = probe_score(world, reference_policy(world), seconds=20, seed=123)
        random = probe_score(world, random_policy(world, seed=0), seconds=20, seed=123)
    assert reference > eats, "the scripted forager eats"
    assert random < random_share * reference, "random flailing eats a small fraction of that"


def test_the_scripted_quadruped_turns_after_food_without_toppling():
    """Each food eaten sends it after the next, often behind it: the trot turned over in every world within 25 s
    before its pilot eased its commands in and its legs levelled the torso fore and aft."""
    with envs.make("QuadrupedForage", num_envs=4, seed=0, vision_size=8, senses=("touch",),
                   episode_seconds=30) as world:
        world.reset(seed=3)
        upright = int(world.model.sensor("pose/body_zaxis").adr[0]) + 2
        lowest, eaten = 1.0, 0.0
        for _ in range(round(25 / world.dt)):
            _, _, _, _, info = world.step(world.reference_actions())
            lowest = min(lowest, float(world.backend.sensordata[:, upright].min()))
            eaten += float(info["food_eaten"].sum())
    assert lowest > 0.7, "no torso tipped more than about 45 degrees"
    assert eaten / 4 > 4, "and it ate all the while"
