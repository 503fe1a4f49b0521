"""Escape: a predator looms over a critter in the open; reaching the nest is an escape, being reached is death."""

import math

import gymnasium
import pytest
import torch
from gymnasium.utils.env_checker import check_env

import envs
from embodied.probes import probe_measures, random_policy, reference_policy
from envs.tasks import predator, shelter

COMPETENCE = 0.5  # the default fraction of the reference's score
STAND = [-1.0, 0.0, 0.0, 0.0]
DARK = 50  # a pixel whose brightest channel is below this is dark


@pytest.fixture(scope="module")
def world():
    with envs.make("Escape", num_envs=2, seed=0, vision_size=24) as world:
        yield world


def act(world, action):
    return world.step(torch.tensor([action]).repeat(world.num_envs, 1))


def place(world, xy, yaw: float = 0.0) -> None:
    """Put the critter of every world at `xy` [N, 2] facing `yaw`, at rest."""
    task, backend = world.task, world.backend
    qpos = backend.qpos.clone()
    qpos[:, task.pilot.root_qpos[:2]] = torch.as_tensor(xy, dtype=qpos.dtype)
    qpos[:, task.pilot.root_qpos[2]] = yaw
    backend.write(torch.ones(world.num_envs, dtype=torch.bool), qpos=qpos, qvel=torch.zeros_like(backend.qvel))


def loom(world, seed: int, yaw: float = 0.0, steps: int = 20):
    """Stand in the middle of the pen with the predator due; the observation just before its onset and those of
    the `steps` control steps after, with their rewards, terminations and infos."""
    world.reset(seed=seed)
    place(world, torch.zeros(world.num_envs, 2), yaw)
    world.task.ready[:] = 0.0
    before, _, _, _, info = act(world, STAND)
    assert info["loom_onset"].all(), "a due predator looms at once over an animal in the open"
    return before, [act(world, STAND) for _ in range(steps)]


@pytest.mark.parametrize("eyes", ["one", "lateral"])
def test_the_predator_looms_its_image_grows_in_the_eye(eyes):
    loom_steps = round(1.0 / 0.05)  # the first second after onset
    with envs.make("Escape", num_envs=2, seed=0, vision_size=24, eyes=eyes, senses=("vision",)) as world:
        before, after = loom(world, seed=1, yaw=1.0, steps=loom_steps)
    was_dark = before["vision"].max(dim=-1).values < DARK
    predator_pixels = torch.stack([((result[0]["vision"].max(dim=-1).values < DARK) & ~was_dark).flatten(1).sum(1)
                                   for result in after])  # [steps, N]: pixels the predator darkened
    first = predator_pixels[1]  # drawn from the step after onset
    assert (first > 0).all(), "the predator appears within the field of view"
    assert (predator_pixels[1:].diff(dim=0) >= 0).all(), "its image only grows"
    assert (predator_pixels[-1] >= 5 * first).all(), f"it looms: {first.tolist()} -> {predator_pixels[-1].tolist()}"


def test_the_predator_is_heard_and_smelled(world):
    world.reset(seed=2)
    place(world, torch.zeros(world.num_envs, 2))
    world.task.ready[:] = 0.0
    quiet = world.observe()
    _, _, _, _, info = act(world, STAND)
    assert info["loom_onset"].all()
    heard, smelled = [], []
    for _ in range(20):
        observation, *_ = act(world, STAND)
        heard.append(observation["hearing"])
        smelled.append(observation["smell"])
    high = [2, 5]  # the high band at the left and the right ear, where the food call (>= 0.5 m off) is faint
    predator_odour = [1, 3]  # left and right nostril
    assert (quiet["smell"][:, predator_odour] == 0).all(), "no predator odour before it comes"
    assert (torch.stack(heard)[:, :, high] > quiet["hearing"][:, high] + 2).all(), "its wingbeats are loud"
    assert (torch.stack(smelled)[:, :, predator_odour].amax(dim=0) > 2).all(), "its odour reaches both nostrils"


def test_an_animal_that_stays_in_the_open_is_caught_and_its_life_ends(world):
    strike = round(predator.STRIKE_SECONDS / world.dt)
    _, after = loom(world, seed=3, steps=strike)
    for _, _, terminated, _, info in after[:-1]:
        assert not terminated.any() and not info["caught"].any()
    _, reward, terminated, truncated, info = after[-1]
    assert terminated.all() and not truncated.any() and info["caught"].all()
    assert (reward == -world.task.catch_penalty).all()
    assert "final_obs" in info
    assert not world.task.looming.any(), "the next life begins without a predator"
    assert (world.backend.mocap_pos[:, world.task.predator, 2] < 0).all(), "and it is gone from view"


def test_reaching_the_nest_during_a_loom_is_an_escape_and_the_predator_withdraws(world):
    _, after = loom(world, seed=4, steps=10)
    assert world.task.looming.all()
    place(world, world.task.nest_xy)  # in the nest half a second after onset
    _, reward, terminated, _, info = act(world, STAND)
    assert info["escaped"].all() and not terminated.any()
    assert (reward >= world.task.escape_reward).all()
    assert torch.allclose(info["escape_latency"], torch.tensor(11 * world.dt), atol=1e-6)
    assert not world.task.looming.any()
    act(world, STAND)
    assert (world.backend.mocap_pos[:, world.task.predator, 2] < 0).all(), "the predator withdraws"


def test_no_loom_while_the_animal_is_in_or_by_the_nest(world):
    world.reset(seed=5)
    task = world.task
    towards_middle = -task.nest_xy / task.nest_xy.norm(dim=1, keepdim=True)
    by_the_nest = task.nest_xy + (shelter.HALF + 0.3) * towards_middle
    assert ((shelter.outside_distance(by_the_nest, task.nest_xy) > 0.1)
            & (shelter.outside_distance(by_the_nest, task.nest_xy) < task.open_distance)).all()
    for spot in (task.nest_xy.clone(), by_the_nest):
        place(world, spot)
        task.ready[:] = 0.0
        for _ in range(40):
            _, _, _, _, info = act(world, STAND)
            assert not info["loom_onset"].any() and not task.looming.any()
    place(world, torch.zeros(world.num_envs, 2))
    _, _, _, _, info = act(world, STAND)
    assert info["loom_onset"].all(), "out in the open it comes at once"


def test_the_nest_stands_against_a_wall_open_to_the_middle_with_no_food_under_it(world):
    task = world.task
    nests = []
    for seed in range(6):
        world.reset(seed=seed)
        centre = task.nest_xy.clone()
        inset = world.arena.half - centre.abs().max(dim=1).values
        assert torch.allclose(inset, torch.tensor(shelter.WALL_GAP + shelter.HALF, dtype=inset.dtype))
        quat = world.backend.mocap_quat[:, task.nest]
        facing = torch.stack([1 - 2 * quat[:, 3] ** 2, 2 * quat[:, 0] * quat[:, 3]], dim=1)  # its local +x
        assert ((facing * -centre).sum(dim=1) > 0).all(), "its open side faces the middle"
        food = world.backend.mocap_pos[:, task.food_ids, :2]
        assert (((food - centre[:, None]).abs() - shelter.HALF).amax(dim=-1) > 0).all()
        nests.append(centre)
    assert len({tuple(c.round(decimals=3).tolist()) for c in torch.cat(nests)}) == len(nests) * world.num_envs


def test_measures_escape_probability_latency_and_looms():
    with envs.make("Escape", num_envs=1, vision_size=8) as world:
        task = world.task
    zeros = torch.zeros(4, 2)
    onset, escaped, caught, latency = zeros.clone(), zeros.clone(), zeros.clone(), zeros.clone()
    onset[0, 0], escaped[1, 0], latency[1, 0] = 1, 1, 0.5  # world 0: a loom, escaped after 0.5 s
    onset[0, 1], caught[3, 1] = 1, 1  # world 1: a loom, caught
    onset[2, 0], escaped[3, 0], latency[3, 0] = 1, 1, 1.5  # world 0 again, escaped after 1.5 s
    dt = 15.0  # four steps: one minute
    signals = {"food_eaten": zeros, "loom_onset": onset, "escaped": escaped, "caught": caught,
               "escape_latency": latency}
    measures = task.measures(signals, dt)
    assert measures == pytest.approx({"escape_probability": 2 / 3, "escape_latency": 1.0, "looms_per_minute": 1.5,
                                      "food_per_minute": 0.0})
    never = task.measures({name: zeros for name in signals}, dt)
    assert never["escape_probability"] == 0 and math.isnan(never["escape_latency"])


def test_the_scripted_animal_escapes_and_a_random_one_does_not():
    results = []
    with envs.make("Escape", num_envs=4, seed=0, vision_size=8) as world:
        for policy in (reference_policy(world), random_policy(world, seed=0)):
            observation, _ = world.reset(seed=123)
            signals = {name: [] for name in world.task.probe_signals}
            for _ in range(round(30 / world.dt)):
                observation, _, _, _, info = world.step(policy(observation))
                for name, values in signals.items():
                    values.append(info[name])
            results.append(world.task.measures({k: torch.stack(v) for k, v in signals.items()}, world.dt))
    reference, random = results
    assert reference["looms_per_minute"] > 3 and random["looms_per_minute"] > 3, "both meet the predator often"
    assert reference["escape_probability"] > 0.75, reference
    assert reference["escape_latency"] < predator.STRIKE_SECONDS
    assert reference["food_per_minute"] > 10, "it forages between looms"
    assert random["escape_probability"] < COMPETENCE * reference["escape_probability"] / 2, random


def test_check_env_passes_and_the_overview_shows_the_pen_under_a_sky():
    env = gymnasium.make("embodied/Escape-v0", render_mode="rgb_array", vision_size=16)
    check_env(env.unwrapped, skip_render_check=False)
    env.reset(seed=0)
    frame = env.render()
    assert frame.shape == (256, 256, 3) and frame[:20].mean() > 100, "the sky, not black, above the far wall"
    env.close()


def test_the_scripted_quadruped_escapes_to_a_nest_scaled_to_it_and_a_random_one_does_not():
    # Blind for speed: the scripted animal steers by privileged state and the random one by nothing.
    with envs.make("QuadrupedEscape", num_envs=4, seed=0, vision_size=8, senses=("touch",)) as world:
        reference = probe_measures(world, reference_policy(world), seconds=30, seed=123)
        random = probe_measures(world, random_policy(world, seed=0), seconds=30, seed=123)
        strike = world.task.strike_seconds
    assert reference["probe/looms_per_minute"] > 3 and random["probe/looms_per_minute"] > 3
    assert reference["probe/escape_probability"] > 0.75, reference
    assert reference["probe/escape_latency"] < strike
    assert reference["probe/food_per_minute"] > 3, "it forages between looms"
    assert random["probe/escape_probability"] < COMPETENCE * reference["probe/escape_probability"] / 2, random
