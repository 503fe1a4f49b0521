"""The warp backend against the CPU backend, world by world.

On Warp's CPU device (as CI runs them), the same seed and actions give every registered world the same lives as on
the CPU backend for 1.5 s of simulated time: the state within a stated tolerance (float32 against float64), the
same rewards, ends of lives and probe signals, vector senses alike, and eyes that see the same (a small mean
difference, food in the same place). The critters' actions are the scripted animal's, jostled; the quadrupeds walk
their scripted trot as it is: flailing, a quadruped's feet strike the ground in ways that the float32 solver
resolves a little otherwise (its Newton iterations stop one early at some impacts, up to 2% off in acceleration),
and its lives part within a quarter of a second, as any two simulations of impacts in float32 and float64 would.
On a GPU (`EMBODIED_WARP_DEVICE=cuda`, as `benchmarks/device_check.sh` runs
them) the task logic draws its randomness from another generator, so there the physics and the eyes are compared:
the CPU world's state is written into the GPU world and both are stepped with the same controls.
"""

import os
from dataclasses import dataclass

import pytest
import torch

import envs
from envs.bodies import Quadruped

pytest.importorskip("mujoco_warp")

DEVICE = os.environ.get("EMBODIED_WARP_DEVICE", "cpu")
NUM_ENVS, STEPS = 3, 30  # 30 control steps of 0.05 s
OPTIONS = dict(num_envs=NUM_ENVS, seed=0, vision_size=32, depth=True)
JOSTLE = 0.3  # standard deviation of the noise on a critter's scripted actions
FOOD_OVERLAP = 0.6  # pixels where either eye sees food: the share where both do


@dataclass(frozen=True)
class Tolerance:
    state: float = 5e-4  # largest difference in a joint position (m or rad) over the lives
    signal: float = 1e-4  # largest difference in a reward or probe signal...
    flips: float = 0.0  # ...but for this share of them (a foot's contact flag that flips a substep apart)
    sense: float = 0.05  # largest difference in a vector sense (the accelerometer, m/s^2, is the most sensitive)
    pixel: float = 6.0  # mean absolute difference of an eye image, in levels of 255 (RGB and depth)


TOLERANCES = {
    # A trotting quadruped's accelerometer swings by tens of m/s^2 as its feet strike the ground.
    "Walk": Tolerance(signal=2e-3, sense=0.3),
    # The heightfield meets the feet through mujoco_warp's own convex collision, whose contacts differ a little from
    # MuJoCo's: the trot on rough ground drifts by millimetres, a foot touches down a substep apart now and then,
    # and the accelerometer differs by up to a few m/s^2 at a footfall.
    "WalkRough": Tolerance(state=1e-2, signal=2e-2, flips=0.02, sense=4.0),
    # The tracer samples the checker texture without mipmaps (crisp squares far off, where OpenGL blurs them to
    # grey) and sees through the glass untinted.
    "VisualCliff": Tolerance(pixel=15.0),
    "QuadrupedVisualCliff": Tolerance(pixel=12.0),
}


def red(image: torch.Tensor) -> torch.Tensor:
    """Where an eye image [..., H, W, C] shows food (saturated red)."""
    rgb = image[..., :3].int()
    return (rgb[..., 0] > 100) & (rgb[..., 1] < 60) & (rgb[..., 2] < 60)


def assert_eyes_alike(expected: torch.Tensor, seen: torch.Tensor, bound: float) -> None:
    difference = (expected.float() - seen.float()).abs().mean()
    assert difference < bound, f"eye images differ by {difference:.1f} levels on average"
    food, found = red(expected), red(seen)
    if food.sum() >= 20:
        overlap = (food & found).sum() / (food | found).sum()
        assert overlap > FOOD_OVERLAP, f"food seen in other places (overlap {overlap:.2f})"


def actions(world, generator: torch.Generator) -> torch.Tensor:
    """The scripted animal's actions; a critter's jostled, so that its lives go where the script alone would not."""
    jostle = 0.0 if isinstance(world.body, Quadruped) else JOSTLE
    noise = jostle * torch.randn(world.num_envs, world.single_action_space.shape[0], generator=generator)
    return (world.reference_actions().cpu() + noise).clamp(-1, 1)


@pytest.mark.skipif(DEVICE != "cpu", reason="the task logic's random draws differ between a GPU and the CPU")
@pytest.mark.parametrize("name, richness", [(name, "multisensory") for name in envs.names()] + [
    ("Forage", "rich"), ("QuadrupedEscape", "rich")])  # every factor: per-world cameras, lights, sizes, colours
def test_every_world_lives_the_same_lives_on_warp_as_on_the_cpu(name, richness):
    tolerance = TOLERANCES.get(name, Tolerance())
    options = {**OPTIONS, "richness": richness}
    with envs.make(name, **options) as cpu, envs.make(name, backend="warp", **options) as warp:
        generator = torch.Generator().manual_seed(1)
        expected, _ = cpu.reset(seed=3)
        seen, _ = warp.reset(seed=3)
        state_error, signals, differing = 0.0, 0, 0
        for _ in range(STEPS):
            action = actions(cpu, generator)
            expected, reward, terminated, truncated, info = cpu.step(action)
            seen, warp_reward, warp_terminated, warp_truncated, warp_info = warp.step(action)
            state_error = max(state_error, float((cpu.backend.qpos - warp.backend.qpos.double()).abs().max()))
            assert torch.allclose(reward, warp_reward, atol=tolerance.signal), "the same rewards"
            assert torch.equal(terminated, warp_terminated) and torch.equal(truncated, warp_truncated)
            for signal in cpu.task.probe_signals:
                differing += int(((info[signal] - warp_info[signal]).abs() > tolerance.signal).sum())
                signals += NUM_ENVS
            for sense, value in expected.items():
                if sense == "vision":
                    assert_eyes_alike(value, seen[sense], tolerance.pixel)
                else:
                    assert torch.allclose(value, seen[sense], atol=tolerance.sense), sense
        assert state_error < tolerance.state, f"states differ by {state_error:.1e}"
        assert differing <= tolerance.flips * signals, f"{differing} of {signals} probe signals differ"


@pytest.mark.parametrize("name", envs.names())
def test_physics_and_eyes_match_on_the_device(name):
    """The CPU world's state written into a warp world on `DEVICE`, both stepped with the same controls for 1.5 s,
    stay as close as above and see the same. On the CPU this repeats part of the test above; on a GPU it is the
    check of the GPU's kernels, its captured steps and its tracer."""
    tolerance = TOLERANCES.get(name, Tolerance())
    with envs.make(name, **OPTIONS) as cpu, envs.make(name, backend="warp", device=DEVICE, **OPTIONS) as warp:
        cpu.reset(seed=3)
        warp.reset(seed=3)
        state = {part: getattr(cpu.backend, part).to(DEVICE) for part in ("qpos", "qvel", "mocap_pos", "mocap_quat")}
        warp.backend.write(torch.ones(NUM_ENVS, dtype=torch.bool, device=DEVICE), **state)
        low, high = torch.as_tensor(cpu.model.actuator_ctrlrange, dtype=torch.float32).T
        eyes = next(sense.cameras for sense in cpu.senses if sense.name == "vision")
        generator, state_error = torch.Generator().manual_seed(1), 0.0
        for step in range(STEPS):
            controls = low + (actions(cpu, generator) + 1) / 2 * (high - low)
            cpu.backend.step(controls, cpu.substeps)
            warp.backend.step(controls.to(DEVICE), warp.substeps)
            state_error = max(state_error, float((cpu.backend.qpos - warp.backend.qpos.cpu().double()).abs().max()))
            if step % 10 == 9:
                assert_eyes_alike(cpu.backend.render(eyes, 32, depth=True),
                                  warp.backend.render(eyes, 32, depth=True).cpu(), tolerance.pixel)
        assert state_error < tolerance.state, f"states differ by {state_error:.1e}"


def test_a_diverged_world_starts_a_new_life_on_warp_as_on_the_cpu():
    """A NaN in one world's state: both backends reset it and count it, its life ends without a bootstrap, and the
    other worlds' eyes see as before (a diverged world's poses must not spoil the tracer's shared scene)."""
    with envs.make("Forage", **OPTIONS) as cpu, envs.make("Forage", backend="warp", **OPTIONS) as warp:
        for world in (cpu, warp):
            world.reset(seed=3)
            qpos = world.backend.qpos.clone()
            qpos[1, 0] = float("nan")
            world.backend.write(torch.tensor([False, True, False]), qpos=qpos)
        expected, *_, info = cpu.step(torch.zeros(NUM_ENVS, 4))
        seen, _, terminated, truncated, warp_info = warp.step(torch.zeros(NUM_ENVS, 4))
        assert warp_info["unstable"].tolist() == info["unstable"].tolist() == [False, True, False]
        assert truncated.tolist() == [False, True, False] and not terminated.any()
        assert warp.stability.total == 1 and torch.isfinite(warp.backend.qpos).all()
        assert all((value[1] == 0).all() for value in warp_info["final_obs"].values())
        for sense, value in seen.items():
            assert torch.isfinite(value.float()).all(), sense
        others = torch.tensor([0, 2])  # the new life of world 1 begins from what its garbage step drew: not compared
        assert_eyes_alike(expected["vision"][others], seen["vision"][others], Tolerance().pixel)
