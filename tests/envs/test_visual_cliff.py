"""Visual cliff: from the centre board the scripted animal steps onto the shallow side; the deep side looks
deep but the glass holds."""

import pytest
import torch

import envs
from embodied.probes import probe_measures, random_policy, reference_policy
from envs.tasks import Forage, VisualCliff

PROBE, CROSSINGS = "probe/shallow_crossings", "probe/crossings_per_minute"


@pytest.fixture(scope="module")
def world():
    with envs.make("VisualCliff", num_envs=2, seed=0, vision_size=16, depth=True) as world:
        yield world


def set_deep_sides(world, sides: list[int]) -> None:
    """Put the animal of every world on the board's middle facing +x, with the deep side at `sides`."""
    task, backend = world.task, world.backend
    task.deep_side[:] = torch.tensor(sides)
    qpos = backend.qpos.clone()
    start = torch.zeros(world.num_envs, 3, dtype=qpos.dtype)  # the middle, facing +x
    task.pilot.place(qpos, start[:, :2], start[:, 2], ground=world.arena.surface)
    mocap = backend.mocap_pos.clone()
    mocap[:, task.floors[0]], mocap[:, task.floors[1]] = world.arena.floor_positions(task.deep_side)
    everyone = torch.ones(world.num_envs, dtype=torch.bool)
    backend.write(everyone, qpos=qpos, qvel=torch.zeros_like(backend.qvel), mocap_pos=mocap)


@pytest.mark.parametrize("name, light_squares, farther", [
    ("VisualCliff", 0.4, 3.0),
    # The quadruped's eye is four times as high: the shallow checker looks finer, the deep floor relatively nearer.
    ("QuadrupedVisualCliff", 0.3, 2.0),
])
def test_the_deep_side_looks_deep(name, light_squares, farther):
    with envs.make(name, num_envs=2, seed=0, vision_size=16, depth=True) as world:
        world.reset(seed=0)
        set_deep_sides(world, [1, -1])  # world 0 looks at the deep side, world 1 at the shallow side
        image = world.observe()["vision"]
    floor = image[:, image.shape[1] * 3 // 5:]  # the lower part of the view: the floor ahead
    bright = (floor[..., :3].float().mean(dim=-1) > 150).float().mean(dim=(1, 2))
    assert bright[1] > light_squares and bright[0] < 0.15, (
        "right under the glass the checker's light squares fill many pixels; far below they are too small to resolve "
        "and blur to grey")
    distance = floor[..., 3].float().mean(dim=(1, 2))
    assert distance[0] > farther * distance[1], "the depth channel sees through the glass to the floor far below"

def test_the_glass_holds_on_the_deep_side_and_stepping_onto_it_ends_the_trial_with_a_penalty(world):
    world.reset(seed=1)
    set_deep_sides(world, [1, 1])
    forward = torch.tensor([[1.0, 0.0, 0.0, 0.0]]).repeat(2, 1)
    for _ in range(40):
        _, reward, terminated, _, info = world.step(forward)
        if terminated.any():
            break
        height = world.task.pilot.ground_level(world.backend)
        assert (height - world.arena.surface).abs().max() < 2e-3, "the glass holds it up over the deep side"
    assert terminated.all() and (info["crossed_deep"] == 1).all() and (info["crossed_shallow"] == 0).all()
    assert (reward == -world.task.penalty_deep).all()


def test_the_probe_is_the_share_of_crossings_onto_the_shallow_side(world):
    shallow = torch.tensor([[0.0, 1.0], [1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])  # [steps, worlds]
    deep = torch.tensor([[0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [0.0, 0.0]])
    dt = 15.0  # four steps: one minute
    measures = world.task.measures({"crossed_shallow": shallow, "crossed_deep": deep}, dt)
    assert measures == pytest.approx({"shallow_crossings": 0.75, "crossings_per_minute": 2.0})
    assert world.task.probe({"crossed_shallow": 0 * shallow, "crossed_deep": 0 * deep}, dt) == 0, "never chose"


def test_which_side_is_deep_is_drawn_for_every_life_from_the_seed(world):
    sides = []
    for seed in (3, 3, 4):
        world.reset(seed=seed)
        drawn = []
        for _ in range(8):
            drawn.append(world.task.deep_side.clone())
            deep_x = world.backend.mocap_pos[:, world.task.floors[1], 0]
            assert torch.equal(torch.sign(deep_x).long(), world.task.deep_side), "the deep floor is where drawn"
            world._start_lives(torch.ones(2, dtype=torch.bool))
        sides.append(torch.cat(drawn))
    assert torch.equal(sides[0], sides[1]) and not torch.equal(sides[0], sides[2])
    assert set(sides[0].tolist()) == {-1, 1}


@pytest.mark.parametrize("name, options, random_steps_off", [
    ("VisualCliff", {}, True),
    ("QuadrupedVisualCliff", {"senses": ("touch",)}, False),  # as kids and lambs were tested
])
def test_the_scripted_animal_crosses_to_the_shallow_side_and_a_random_policy_is_far_from_competent(
        name, options, random_steps_off):
    with envs.make(name, num_envs=4, seed=0, vision_size=8, **options) as world:
        reference = probe_measures(world, reference_policy(world), seconds=20, seed=7)
        random = probe_measures(world, random_policy(world, seed=0), seconds=20, seed=7)
        threshold = world.task.competence_threshold(reference[PROBE], random[PROBE], 0.5)
    assert reference[PROBE] == 1.0 and reference[CROSSINGS] > 10, "always onto the shallow side, time after time"
    assert random[PROBE] < threshold - 0.1, "far from competent"
    if random_steps_off:
        assert abs(random[PROBE] - 0.5) < 0.2, "a random walker steps off either way"
    else:
        assert random[CROSSINGS] < reference[CROSSINGS] / 4, "flailing legs seldom carry it off the board"


def test_competence_is_counted_from_chance_at_least():
    assert VisualCliff().competence_threshold(1.0, 0.0, 0.5) == 0.75, (
        "not from zero, where half the reference would let chance pass")
    assert VisualCliff().competence_threshold(1.0, 0.6, 0.5) == 0.8, "nor below a random policy's score"
    assert Forage().competence_threshold(1.0, 0.0, 0.5) == 0.5
