"""Walk and WalkRough: the scripted trot covers ground and a random policy does not; the animal stands at rest,
a toppled one's life ends, rough ground is level at the start and new per seed, and flailing never breaks
the physics. Touch is the only sense switched on where nothing looks (the physics is the same, and faster)."""

import math

import mujoco
import numpy as np
import pytest
import torch

import envs
from embodied.config import RunConfig
from embodied.evaluation import Evaluator
from embodied.probes import probe_measures, random_policy, reference_policy
from envs.arenas import Terrain
from envs.arenas.terrain import CELL, START_PATCH
from envs.bodies import Quadruped
from envs.tasks import Locomotion
from envs.tasks.locomotion import CONTACTS

COMPETENCE = 0.5  # the default fraction of the reference's score
BLIND = dict(vision_size=8, senses=("touch",))


@pytest.mark.parametrize("name, seed", [("Walk", 0), ("WalkRough", 1)])
def test_scripted_trot_passes_and_random_policy_fails(name, seed):
    world = envs.make(name, num_envs=4, seed=seed, **BLIND)
    try:
        reference = probe_measures(world, reference_policy(world), seconds=20, seed=123)
        random = probe_measures(world, random_policy(world, seed=0), seconds=20, seed=123)
    finally:
        world.close()
    speed = "probe/forward_speed"
    assert reference[speed] > 0.35, "the scripted trot walks at a good pace"
    assert reference["probe/falls_per_minute"] < 1 and reference["probe/gait_regularity"] > 0.6
    assert random[speed] < COMPETENCE * reference[speed] / 4, "random flailing is far from competent"
    assert random["probe/falls_per_minute"] > 10 and random["probe/gait_regularity"] < 0.3


def test_zero_action_stands_still_without_falling():
    world = envs.make("Walk", num_envs=2, seed=0, **BLIND)
    try:
        world.reset(seed=0)
        start = world.backend.sensordata[:, world.task.torso_pos:world.task.torso_pos + 3].clone()
        for _ in range(round(10 / world.dt)):
            _, _, terminated, _, info = world.step(torch.zeros(2, 8))
            assert not terminated.any()
        end = world.backend.sensordata[:, world.task.torso_pos:world.task.torso_pos + 3]
        assert (end - start)[:, :2].norm(dim=1).max() < 0.05, "it does not drift"
        assert (end[:, 2] > 0.85 * world.body.stand_height).all(), "it stands, not crouches"
        assert all(info[name].all() for name in CONTACTS), "on all four feet"
    finally:
        world.close()


def test_a_toppled_animal_falls_and_its_life_ends():
    world = envs.make("Walk", num_envs=2, seed=0, **BLIND)
    try:
        world.reset(seed=0)
        qpos = world.backend.qpos.clone()
        root = world.task.pilot.root
        qpos[0, root + 3:root + 7] = torch.tensor([math.cos(math.pi / 4), math.sin(math.pi / 4), 0, 0])  # on its side
        world.backend.write(torch.tensor([True, False]), qpos=qpos)
        _, reward, terminated, truncated, info = world.step(torch.zeros(2, 8))
        assert terminated.tolist() == [True, False] and not truncated.any()
        assert info["fell"].tolist() == [1.0, 0.0] and reward[0] < -10
        assert world.backend.sensordata[0, world.task.torso_zaxis + 2] > 0.99, "the next life starts upright"
    finally:
        world.close()


def test_forward_speed_counts_only_until_the_first_fall():
    steps, worlds = 10, 2
    fell = torch.zeros(steps, worlds)
    fell[4, 1] = fell[7, 1] = 1  # world 1 falls at its fifth step (and again later): it covers ground for 5 steps
    signals = {"forward_speed": torch.ones(steps, worlds), "fell": fell}
    signals.update({name: torch.ones(steps, worlds) for name in CONTACTS})
    task = Locomotion()
    assert task.probe(signals, 0.05) == pytest.approx((10 + 5) / 20)
    measures = task.measures(signals, 0.05)
    assert measures["forward_speed"] == task.probe(signals, 0.05)
    assert measures["falls_per_minute"] == pytest.approx(2 / 2 / (10 * 0.05 / 60))
    assert measures["duty_factor"] == 1.0 and measures["gait_regularity"] == 0.0


def ground_height(world, x: float, y: float) -> float:
    """The rough ground's height under (x, y), by a ray cast down onto its heightfield."""
    floor = world.model.geom("floor").id
    data = world.backend.datas[0]
    return 2.0 - mujoco.mj_rayHfield(world.model, data, floor, np.array([x, y, 2.0]), np.array([0, 0, -1.0]))


def test_rough_ground_is_level_at_the_start_and_new_for_every_seed():
    first, second = (envs.make("WalkRough", num_envs=1, seed=seed, **BLIND) for seed in (0, 1))
    try:
        around_start = [(r * math.cos(a), r * math.sin(a)) for r in (0.0, START_PATCH - CELL) for a in range(6)]
        assert max(abs(ground_height(first, x, y)) for x, y in around_start) < 1e-6
        ahead = [(x, y) for x in np.arange(2.0, 12.0, 0.5) for y in (-1.0, 0.0, 1.0)]
        heights = [[ground_height(world, x, y) for x, y in ahead] for world in (first, second)]
        assert 0.04 < np.ptp(heights[0]) <= first.arena.roughness + 1e-6, "bumps as high as the roughness"
        assert np.abs(np.subtract(*heights)).max() > 0.02, "another seed, other ground"
    finally:
        first.close()
        second.close()


def test_held_out_evaluation_walks_on_ground_never_trained_on():
    cfg = RunConfig.model_validate({"seed": 3, "world": {"name": "WalkRough", "num_envs": 1, **BLIND},
                                    "eval": {"num_envs": 1}})
    evaluator = Evaluator(cfg)
    training = envs.make("WalkRough", num_envs=1, seed=cfg.seed, **BLIND)
    try:
        assert cfg.eval.seed != cfg.seed
        assert not np.array_equal(evaluator.world.model.hfield_data, training.model.hfield_data)
    finally:
        evaluator.close()
        training.close()


def test_ground_too_rough_to_see_a_fall_is_refused():
    with pytest.raises(ValueError, match="would hide falls"):
        envs.catalogue.compose(envs.config.WorldConfig(num_envs=1, **BLIND), 0, "cpu", Quadruped(),
                               Terrain(roughness=0.15), Locomotion())


@pytest.mark.parametrize("name", ["Walk", "WalkRough"])
def test_flailing_for_20_seconds_never_breaks_the_physics(name):
    world = envs.make(name, num_envs=6, seed=0, **BLIND)
    generator = torch.Generator().manual_seed(0)
    try:
        world.reset(seed=0)
        for _ in range(round(20 / world.dt)):
            actions = torch.rand(6, 8, generator=generator) * 2 - 1
            actions[:3] = actions[:3].sign()  # half the worlds bang from one joint limit to the other
            world.step(actions)  # raises UnstableSimulationError if the physics diverges
        assert torch.isfinite(world.backend.qpos).all()
    finally:
        world.close()
