"""The forage probe tells animals apart: the scripted forager passes it and a random policy fails."""

import pytest

import envs
from embodied.probes import probe_score, random_policy, reference_policy


@pytest.mark.parametrize("name, options, eats, random_share", [
    ("Forage", {}, 15, 1 / 8),  # many items per minute; random flailing far below competence (half of that)
    # The forager's steering, walked by the quadruped's trot: several items per minute.
    ("QuadrupedForage", {"senses": ("touch",)}, 6, 1 / 4),
])
def test_the_scripted_forager_passes_and_a_random_policy_fails(name, options, eats, random_share):
    with envs.make(name, num_envs=4, seed=0, vision_size=8, **options) as world:
        reference = probe_score(world, reference_policy(world), seconds=20, seed=123)
        random = probe_score(world, random_policy(world, seed=0), seconds=20, seed=123)
    assert reference > eats, "the scripted forager eats"
    assert random < random_share * reference, "random flailing eats a small fraction of that"
