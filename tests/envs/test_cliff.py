"""Cliff: a critter that can fall forages on a raised platform; walking off the edge is a fatal fall."""

import pytest
import torch

import envs
from embodied.probes import probe_measures, probe_score, random_policy, reference_policy
from envs.arenas import Platform
from envs.bodies import Critter, Quadruped
from envs.tasks import Cliff
from envs.tasks.cliff import EDGE_BAND
from envs.world import World

COMPETENCE = 0.5  # the default fraction of the reference's score
STAND, FORWARD = [-1.0, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]
PROBE, FALLS = "probe/food_per_minute", "probe/falls_per_minute"


@pytest.fixture(scope="module")
def world():
    with envs.make("Cliff", num_envs=3, seed=0, vision_size=8, arena_size=2.0) as world:
        yield world


def act(world, action, steps: int = 1):
    for _ in range(steps):
        result = world.step(torch.tensor([action]).repeat(world.num_envs, 1))
    return result


def place(world, x: float, y: float, yaw: float) -> None:
    """Put the critter of every world at (x, y) on the platform's top, facing `yaw`, at rest."""
    task, backend = world.task, world.backend
    qpos, n = backend.qpos.clone(), world.num_envs
    xy, heading = torch.tensor([[x, y]], dtype=qpos.dtype).repeat(n, 1), torch.full((n,), yaw, dtype=qpos.dtype)
    task.pilot.place(qpos, xy, heading, ground=world.arena.surface)
    backend.write(torch.ones(world.num_envs, dtype=torch.bool), qpos=qpos, qvel=torch.zeros_like(backend.qvel))


def test_standing_still_it_stays_on_the_platform_and_it_drives_and_turns_as_the_gliding_critter(world):
    world.reset(seed=1)
    start = world.backend.qpos.clone()
    act(world, STAND, steps=40)
    height = world.task.pilot.ground_level(world.backend)
    assert (height - world.arena.surface).abs().max() < 2e-3, "the platform holds it up"
    assert (world.backend.qpos[:, :2] - start[:, :2]).abs().max() < 1e-3, "and it stays put"

    place(world, 0.0, 0.0, 0.0)
    with envs.make("Forage", num_envs=1, seed=0, vision_size=8) as glider:
        glider.reset(seed=1)
        moves = []
        for each in (world, glider):
            yaw = each.task.pilot.root_qpos[2]
            before = each.backend.qpos.clone()
            act(each, FORWARD, steps=4)
            speed = (each.backend.qpos[:, :2] - before[:, :2]).norm(dim=1) / (4 * each.dt)
            turned = each.backend.qpos[:, yaw].clone()
            act(each, [-1.0, 1.0, 0.0, 0.0], steps=4)
            moves.append((speed[0].item(), (each.backend.qpos[0, yaw] - turned[0]).item() / (4 * each.dt)))
    (speed, turn), (glide_speed, glide_turn) = moves
    assert speed == pytest.approx(glide_speed, rel=0.05) and speed > 0.25
    assert turn == pytest.approx(glide_turn, rel=0.05) and turn > 1.0


def test_walking_off_the_edge_is_a_fall_that_ends_the_life(world):
    world.reset(seed=2)
    place(world, world.arena.half - 0.3, 0.0, 0.0)  # facing the edge, 0.3 m from it
    fell_at, over_the_platform = None, []
    for step in range(30):
        _, reward, terminated, truncated, info = act(world, FORWARD)
        assert torch.equal(terminated, info["fell"].bool())
        if terminated.any():
            fell_at = step
            break
        centre_over = world.backend.qpos[:, world.task.pilot.root_qpos[0]] < world.arena.half
        over_the_platform.append(world.task.pilot.ground_level(world.backend)[centre_over])
    held = torch.cat(over_the_platform)
    assert len(held) >= 3 * 10 and (held > world.arena.surface - 2e-3).all(), "held up while over the platform"
    assert fell_at is not None and fell_at >= 0.3 / (0.5 * world.dt), "it falls, and only once past the edge"
    assert terminated.all() and (reward == -world.task.fall_penalty).all()
    assert (info["final_obs"]["vestibular"][:, 3:].norm(dim=1) < 5).all(), "the last thing it felt: free fall"
    height = world.task.pilot.ground_level(world.backend)
    assert (height == world.arena.surface).all(), "the next life begins on the platform"


def test_falls_end_the_probe_so_food_after_a_fall_does_not_count(world):
    food = torch.tensor([[1.0, 1.0], [0.0, 1.0], [1.0, 0.0], [0.0, 0.0]])  # [steps, worlds]
    fell = torch.tensor([[0.0, 0.0], [1.0, 0.0], [0.0, 0.0], [0.0, 0.0]])  # world 0 falls at its second step
    dt = 15.0  # four steps: one minute
    measures = world.task.measures({"food_eaten": food, "fell": fell}, dt)
    assert measures == pytest.approx({"food_per_minute": (1 + 2) / 2, "falls_per_minute": 0.5})


def test_food_lies_on_the_platform_and_some_near_its_edge(world):
    world.reset(seed=3)
    task = world.task
    for _ in range(5):
        food = world.backend.mocap_pos[:, task.food_ids]
        assert torch.allclose(food[..., 2], torch.tensor(world.arena.surface + task.food_radius, dtype=food.dtype))
        inset = world.arena.half - food[..., :2].abs().max(dim=-1).values  # [N, food]
        assert (inset > 0).all()
        near = inset[:, :task.num_near_edge]
        assert ((near >= EDGE_BAND[0] - 1e-9) & (near <= EDGE_BAND[1] + 1e-9)).all()
        world.reset()


def test_the_scripted_forager_never_falls_and_passes_and_a_random_policy_fails():
    with envs.make("Cliff", num_envs=4, seed=0, vision_size=8) as world:
        reference = probe_score(world, reference_policy(world), seconds=20, seed=123)
        random = probe_score(world, random_policy(world, seed=0), seconds=20, seed=123)
        falls = []
        for policy in (reference_policy(world), random_policy(world, seed=1)):
            observation, _ = world.reset(seed=5)
            count = 0
            for _ in range(200):
                observation, _, _, _, info = world.step(policy(observation))
                count += int(info["fell"].sum())
            falls.append(count)
    assert reference > 15, "the scripted forager eats many items per minute, edge or no edge"
    assert random < COMPETENCE * reference / 4, "random flailing is far from competent"
    assert falls[0] == 0 and falls[1] > 0, "the scripted animal never falls; a random one does"


def test_a_body_that_cannot_fall_is_refused_with_the_fix():
    with pytest.raises(ValueError, match=r"Critter\(falls=True\)"):
        World(Critter(), Platform(), Cliff(), vision_size=8)


def test_a_quadruped_on_the_platform_falls_only_when_it_walks_off_the_edge():
    """The task reads the ground under the body from its pilot: under the quadruped's lowest foot."""
    with World(Quadruped(), Platform(size=2.0), Cliff(num_food=1), num_envs=2, vision_size=8,
               senses=("touch",)) as world:
        world.reset(seed=0)
        pilot, backend = world.task.pilot, world.backend
        for _ in range(20):
            _, _, terminated, _, _ = world.step(torch.zeros(2, 8))
            assert not terminated.any()
        assert (pilot.ground_level(backend) - world.arena.surface).abs().max() < 0.01, "standing on the platform"
        qpos = backend.qpos.clone()
        start = torch.tensor([[world.arena.half - 0.5, 0.0]], dtype=qpos.dtype).repeat(2, 1)
        pilot.place(qpos, start, torch.zeros(2, dtype=qpos.dtype), ground=world.arena.surface)  # facing the edge
        backend.write(torch.ones(2, dtype=torch.bool), qpos=qpos, qvel=torch.zeros_like(backend.qvel))
        forward, steps = torch.ones(2, dtype=torch.float64), 0
        while not terminated.any() and steps < 100:  # trot straight ahead
            _, reward, terminated, _, info = world.step(pilot.steer(backend, forward, 0 * forward))
            steps += 1
    assert terminated.all() and (info["fell"] == 1).all() and (reward == -world.task.fall_penalty).all()
    assert steps * world.dt > 0.5, "it walks a while before its front feet step off"


def test_the_scripted_quadruped_forages_on_the_platform_and_a_random_policy_fails():
    with envs.make("QuadrupedCliff", num_envs=4, seed=0, vision_size=8, senses=("touch",)) as world:
        reference = probe_measures(world, reference_policy(world), seconds=20, seed=123)
        random = probe_measures(world, random_policy(world, seed=0), seconds=20, seed=123)
    assert reference[PROBE] > 8, "the scripted quadruped eats several items per minute, edge or no edge"
    assert reference[FALLS] < 0.5, "and seldom steps off (about one world in eight a minute)"
    assert random[PROBE] < COMPETENCE * reference[PROBE] / 4, "flailing legs are far from competent"
