"""The forage probe tells animals apart: the scripted forager passes it and a random policy fails."""

import envs
from embodied.probes import probe_score, random_policy, reference_policy

COMPETENCE = 0.5  # the default fraction of the reference's score


def test_scripted_forager_passes_and_random_policy_fails():
    world = envs.make("Forage", num_envs=4, seed=0, vision_size=8)
    try:
        reference = probe_score(world, reference_policy(world), seconds=20, seed=123)
        random = probe_score(world, random_policy(world, seed=0), seconds=20, seed=123)
    finally:
        world.close()
    assert reference > 15, "the scripted forager eats many items per minute"
    assert random < COMPETENCE * reference / 4, "random flailing is far from competent"


def test_scripted_quadruped_forages_and_random_legs_do_not():
    """The forager's steering, walked by the quadruped's trot, eats far more than flailing legs."""
    world = envs.make("QuadrupedForage", num_envs=4, seed=0, vision_size=8, senses=("touch",))
    try:
        reference = probe_score(world, reference_policy(world), seconds=20, seed=123)
        random = probe_score(world, random_policy(world, seed=0), seconds=20, seed=123)
    finally:
        world.close()
    assert reference > 6, "the scripted quadruped eats several items per minute"
    assert random < reference / 4, "random flailing eats a fraction of that"
