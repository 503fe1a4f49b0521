"""Imprint: reared with one object, the animal is tested with it and a novel one from unseen viewpoints."""

import math

import torch

import envs
from embodied.probes import probe_score, random_policy, reference_policy
from envs.tasks.imprint import REARING_VIEWS, TEST_VIEWS


def yaw_of(quaternion: torch.Tensor) -> torch.Tensor:
    """Yaw in degrees of quaternions (w, x, y, z) [..., 4] about the vertical."""
    return torch.rad2deg(2 * torch.atan2(quaternion[..., 3], quaternion[..., 0]))


def facing_the_middle(task, backend, name: str) -> torch.Tensor:
    """How far (degrees, in [-180, 180)) each world's object is turned from facing the pen's middle."""
    position = backend.mocap_pos[:, task.mocap[name], :2]
    front = torch.rad2deg(torch.atan2(-position[:, 1], -position[:, 0]))
    return (yaw_of(backend.mocap_quat[:, task.mocap[name]]) - front + 180) % 360 - 180


def test_the_reference_stays_with_its_mother_and_a_random_walker_shows_no_preference():
    with envs.make("Imprint", num_envs=4, seed=0, vision_size=8, held_out=True) as world:
        reference = probe_score(world, reference_policy(world), seconds=20, seed=7)
        random = probe_score(world, random_policy(world, seed=0), seconds=20, seed=7)
    assert reference > 0.7
    assert abs(random) < 0.5 * 0.5 * reference, "far below the competence criterion (half the reference)"


def test_rearing_shows_only_the_mother_and_only_from_the_front():
    with envs.make("Imprint", num_envs=4, seed=0, vision_size=8) as world:
        world.reset(seed=0)
        task, backend = world.task, world.backend
        views = []
        for _ in range(90):  # half a turn period and more: the whole rearing range of views
            world.step(torch.zeros(4, 4))
            assert (backend.mocap_pos[:, task.mocap["novel"], 2] < 0).all(), "the novel object is never shown"
            assert (backend.mocap_pos[:, task.mocap["mother"], 2] == 0).all()
            views.append(facing_the_middle(task, backend, "mother"))
    views = torch.stack(views)
    assert views.abs().max() <= REARING_VIEWS + 1e-6 and views.abs().max() > 0.8 * REARING_VIEWS


def test_the_test_shows_both_objects_at_opposite_ends_from_viewpoints_never_reared():
    with envs.make("Imprint", num_envs=8, seed=0, vision_size=8, held_out=True) as world:
        world.reset(seed=0)
        task, backend = world.task, world.backend
        mother = backend.mocap_pos[:, task.mocap["mother"], :2]
        novel = backend.mocap_pos[:, task.mocap["novel"], :2]
        assert torch.allclose(mother, -novel) and (mother[:, 0].abs() > 1).all()
        for name in ("mother", "novel"):
            turned = facing_the_middle(task, backend, name).abs()
            assert ((turned >= TEST_VIEWS[0] - 1e-6) & (turned <= TEST_VIEWS[1] + 1e-6)).all()
        assert TEST_VIEWS[0] > REARING_VIEWS
        # Standing by the novel object counts against the mother.
        qpos = backend.qpos.clone()
        qpos[:, task.pilot.root_qpos[:2]] = novel
        backend.write(torch.ones(8, dtype=torch.bool), qpos=qpos)
        _, _, info = task.step(backend, world.generator)
        assert (info["near_novel"] == 1).all() and (info["near_mother"] == 0).all()
    assert math.isclose(task.probe({"near_mother": torch.zeros(3, 8), "near_novel": torch.ones(3, 8)}, 0.05), -1.0)
    # An animal by either object half the time shows no preference, and its measures say it was by both.
    half = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    assert task.measures({"near_mother": half, "near_novel": 1 - half}, 0.05) == {
        "imprint_preference": 0.0, "time_near_mother": 0.5, "time_near_novel": 0.5}


def test_the_scripted_quadruped_follows_its_mother_and_a_random_one_shows_no_preference():
    # Blind for speed: the scripted animal steers by privileged state and the random one by nothing.
    with envs.make("QuadrupedImprint", num_envs=16, seed=0, vision_size=8, held_out=True, senses=("touch",)) as world:
        reference = probe_score(world, reference_policy(world), seconds=20, seed=7)
        standing = world.backend.sensordata[:, world.task.body_pos + 2].clone()
        random = probe_score(world, random_policy(world, seed=0), seconds=20, seed=7)
    assert reference > 0.7
    assert (standing > 0.25).all(), "the scripted quadruped is still on its feet by its mother"
    assert abs(random) < 0.5 * 0.5 * reference, "far below the competence criterion (half the reference)"
