"""Graze: the pasture moves with the animal, so food lies around it wherever it walks; a fall ends its life."""

import math

import torch

import envs

BLIND = {"vision_size": 8, "senses": ("touch",)}


def test_food_stays_around_the_walking_animal_and_it_eats():
    with envs.make("Graze", num_envs=2, seed=0, **BLIND) as world:
        world.reset(seed=0)
        task, backend = world.task, world.backend
        start = backend.sensordata[:, task.snout:task.snout + 2].clone()
        ones = torch.ones(2, dtype=torch.float64)
        eaten = 0.0
        for _ in range(round(10 / world.dt)):
            _, _, terminated, _, info = world.step(task.pilot.steer(backend, ones, 0 * ones).float())
            assert not terminated.any(), "the straight trot stays up"
            eaten += float(info["food_eaten"].sum())
        snout = backend.sensordata[:, task.snout:task.snout + 2]
        offsets = backend.mocap_pos[:, task.food_ids, :2] - snout[:, None]
    assert ((snout - start).norm(dim=1) > task.patch).all(), "it walked out of the patch it started in"
    assert (offsets.abs() <= task.patch / 2 + 0.05).all(), "every item still lies in the patch around its snout"
    assert eaten > 0, "it came across food on its way"


def test_a_fall_ends_the_life_with_a_penalty():
    with envs.make("Graze", num_envs=2, seed=0, **BLIND) as world:
        world.reset(seed=0)
        qpos = world.backend.qpos.clone()
        root = int(world.model.joint("root").qposadr[0])
        on_its_side = [math.cos(math.pi / 4), math.sin(math.pi / 4), 0.0, 0.0]  # rolled a quarter turn
        qpos[0, root + 3:root + 7] = torch.tensor(on_its_side)
        world.backend.write(torch.tensor([True, False]), qpos=qpos)
        _, reward, terminated, _, info = world.step(torch.zeros(2, 8))
    assert terminated.tolist() == [True, False] and info["fell"].tolist() == [1.0, 0.0]
    assert reward[0] < 0
