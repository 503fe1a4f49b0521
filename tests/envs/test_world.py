"""The batched world: spaces, the vector-env contract, seeding and clear errors."""

import importlib.util
import math

import pytest
import torch

import envs
from envs.backends import UnstableSimulationError
from envs.stability import REPEATS


@pytest.fixture(scope="module")
def world():
    world = envs.make("Forage", num_envs=3, seed=0, vision_size=16, episode_seconds=0.5)
    yield world
    world.close()


def test_observations_match_spaces(world):
    observation, _ = world.reset(seed=1)
    assert set(observation) == {"vision", "touch", "proprioception", "vestibular", "smell", "hearing"}
    for name, space in world.single_observation_space.items():
        value = observation[name]
        assert value.shape == (3, *space.shape), name
        assert value.dtype == (torch.uint8 if name == "vision" else torch.float32), name
        assert space.contains(value[0].numpy()), name
    assert observation["vision"].float().std() > 5, "the eye sees a real scene, not a blank image"
    # Gravity is felt by the vestibular accelerometer at rest.
    assert observation["vestibular"][:, 3:].norm(dim=1) == pytest.approx(9.81, rel=0.05)


def test_an_observation_is_kept_not_overwritten_by_the_next_step(world, monkeypatch):
    world.reset(seed=1)
    # A backend whose data are float32 already (as on an accelerator) must not hand out views of its live state.
    monkeypatch.setattr(world.backend, "sensordata", world.backend.sensordata.float())
    observation = world.observe()
    kept = {name: value.clone() for name, value in observation.items()}
    world.backend.sensordata.add_(1.0)  # what the next step does to the state
    for name in ("touch", "proprioception", "vestibular"):
        assert torch.equal(observation[name], kept[name]), name


def test_step_contract_and_same_step_autoreset(world):
    world.reset(seed=2)
    steps = world.episode_steps
    assert steps == round(0.5 / world.dt)
    drive = torch.tensor([[1.0, 0.0, 0.0, 0.0]]).repeat(3, 1)
    for t in range(steps):
        observation, reward, terminated, truncated, info = world.step(drive)
        assert reward.shape == terminated.shape == truncated.shape == (3,)
        assert not terminated.any()
        assert truncated.all() == (t == steps - 1)
    final = info["final_obs"]["proprioception"]
    # The last observation of the episode shows the body moving forward; the returned first obs of the
    # next episode shows a body at rest.
    assert final[:, -3].min() > 0.2
    assert observation["proprioception"][:, -3].abs().max() < 1e-6
    assert (world.elapsed == 0).all()


def test_same_seed_same_world_and_different_seed_differs(world):
    first, _ = world.reset(seed=7)
    again, _ = world.reset(seed=7)
    other, _ = world.reset(seed=8)
    assert torch.equal(first["vision"], again["vision"])
    assert not torch.equal(first["vision"], other["vision"])


def test_driving_forward_moves_the_body_at_its_top_speed(world):
    world.reset(seed=3)
    start = world.backend.qpos[:, :2].clone()
    for _ in range(4):
        world.step(torch.tensor([[1.0, 0.0, 0.0, 0.0]]).repeat(3, 1))
    speed = (world.backend.qpos[:, :2] - start).norm(dim=1) / (4 * world.dt)
    assert speed.min() > 0.25 and speed.max() < 0.55


def test_touching_food_with_the_snout_eats_it_and_it_reappears_elsewhere(world):
    world.reset(seed=4)
    task, backend = world.task, world.backend
    snout = backend.sensordata[:, task.snout:task.snout + 3].clone()
    mocap = backend.mocap_pos.clone()
    mocap[0, task.food_ids[0]] = snout[0] + torch.tensor([0.05, 0.0, 0.0], dtype=mocap.dtype)
    backend.write(torch.tensor([True, False, False]), mocap_pos=mocap)
    _, reward, _, _, info = world.step(torch.zeros(3, 4))
    assert reward[0] == 1 and info["food_eaten"][0] == 1
    assert reward[1:].sum() == 0
    moved = backend.mocap_pos[0, task.food_ids[0], :2]
    assert (moved - backend.sensordata[0, task.snout:task.snout + 2]).norm() > 0.45


def test_bad_actions_are_refused_with_the_reason(world):
    world.reset(seed=5)
    with pytest.raises(ValueError, match="shape"):
        world.step(torch.zeros(2, 4))
    actions = torch.zeros(3, 4)
    actions[1, 2] = math.nan
    with pytest.raises(ValueError, match=r"non-finite actions .* worlds \[1\]"):
        world.step(actions)


def diverge(world, index: int) -> None:
    """Blow up the physics of one world: a NaN in its state."""
    qpos = world.backend.qpos.clone()
    qpos[index, 0] = math.nan
    world.backend.write(torch.arange(world.num_envs) == index, qpos=qpos)


def test_a_diverged_world_starts_a_new_life_and_is_counted_and_only_a_habit_of_it_stops_the_run(world):
    world.reset(seed=6)
    diverge(world, 0)
    observation, reward, terminated, truncated, info = world.step(torch.zeros(3, 4))
    assert info["unstable"].tolist() == [True, False, False]
    assert truncated.tolist() == [True, False, False] and not terminated.any() and reward[0] == 0
    assert all((value[0] == 0).all() for value in info["final_obs"].values()), "nothing to bootstrap from"
    assert all(torch.isfinite(value.float()).all() for value in observation.values())
    assert torch.isfinite(world.backend.qpos).all() and world.elapsed[0] == 0, "a fresh life"
    assert world.stability.total == 1
    for _ in range(REPEATS - 1):  # one world diverging life after life is its setting, not bad luck
        diverge(world, 2)
        world.step(torch.zeros(3, 4))
    diverge(world, 2)
    with pytest.raises(UnstableSimulationError, match=r"worlds \[2\] diverged in 5 lives in a row"):
        world.step(torch.zeros(3, 4))
    world.reset(seed=6)


def test_unknown_world_and_bad_options_name_the_choices():
    with pytest.raises(ValueError, match="registered worlds: .*Forage"):
        envs.make("Forrage")
    with pytest.raises(ValueError, match="valid options: .*vision_size"):
        envs.make("Forage", vision_sise=32)


def test_senses_can_be_switched_off_and_unknown_ones_are_named():
    world = envs.make("Forage", num_envs=2, senses=("touch", "vestibular"))
    observation, _ = world.reset(seed=0)
    assert set(observation) == set(world.single_observation_space) == {"touch", "vestibular"}
    world.close()
    with pytest.raises(ValueError, match="'sonar'.*Input should be 'vision', 'touch'"):
        envs.make("Forage", senses=("sonar",))


def test_the_warp_backend_without_mujoco_warp_says_how_to_install_it(monkeypatch):
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *args: None if name == "mujoco_warp"
                        else find_spec(name, *args))
    with pytest.raises(ValueError, match=r"backend 'warp' needs mujoco_warp.*pip install -e '\.\[gpu\]'"):
        envs.make("Forage", backend="warp")
