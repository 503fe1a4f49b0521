"""Smell: two nostrils sample odour plumes whose mean falls with distance and which break into whiffs."""

import torch

import envs
from envs.senses import ODOURS, Odours, Smell


class Air:
    """A stand-in for a backend and a task: nostril positions and a clock, and one odour source per world."""

    def __init__(self, left, right, times, source, kind="food", seed=0.3):
        n = len(times)
        self.sensordata = torch.cat([torch.tensor([*left, *right], dtype=torch.float64).repeat(n, 1),
                                     torch.as_tensor(times, dtype=torch.float64)[:, None]], dim=1)
        strength = torch.zeros(n, 1, len(ODOURS), dtype=torch.float64)
        strength[..., ODOURS.index(kind)] = 1.0
        self.sources = Odours(torch.tensor(source, dtype=torch.float64).repeat(n, 1, 1), strength,
                              torch.full((n, 1), seed, dtype=torch.float64))

    def odour_sources(self, backend):
        return self.sources


def smell(left, right, source, kind="food", seed=0.3, seconds=60.0) -> torch.Tensor:
    """Readings [steps, 4] of a nose held still for `seconds`, one world per time step."""
    air = Air(left, right, torch.arange(0, seconds, 0.05), source, kind, seed)
    sense = Smell(nostrils=("left", "right"))
    sense.index = torch.arange(7)
    sense.bind_task(air)
    return sense.read(air)


NOSE = dict(left=(0.0, 0.015, 0.0), right=(0.0, -0.015, 0.0))


def test_the_nostril_nearer_the_source_smells_more():
    on_the_left = smell(**NOSE, source=(0.0, 0.6, 0.0))
    on_the_right = smell(**NOSE, source=(0.0, -0.6, 0.0))
    left_food, right_food = 0, 2
    for nearer, farther, readings in ((left_food, right_food, on_the_left), (right_food, left_food, on_the_right)):
        assert (readings[:, nearer] - readings[:, farther]).mean() > 0.05
        assert (readings[:, nearer] > readings[:, farther]).float().mean() > 0.6, "whiffs blur it from sniff to sniff"


def test_the_mean_falls_with_distance_and_the_plume_breaks_into_whiffs():
    means = [smell(**NOSE, source=(distance, 0.0, 0.0))[:, 0].mean() for distance in (0.2, 1.0, 3.0)]
    assert means[0] > means[1] > means[2] > 0
    far = smell(**NOSE, source=(1.0, 0.0, 0.0))[:, 0]
    assert (far < 0.1 * far.max()).float().mean() > 0.1, "blanks between whiffs"
    assert (far > 0.5 * far.max()).float().mean() > 0.05, "whiffs"


def test_each_odour_kind_has_its_own_receptors():
    food = smell(**NOSE, source=(0.5, 0.0, 0.0), kind="food")
    predator = smell(**NOSE, source=(0.5, 0.0, 0.0), kind="predator")
    assert food[:, [1, 3]].abs().max() == 0 and food[:, [0, 2]].max() > 0
    assert predator[:, [0, 2]].abs().max() == 0 and predator[:, [1, 3]].max() > 0


def test_a_plume_is_a_function_of_its_seed_and_time():
    assert torch.equal(smell(**NOSE, source=(0.7, 0.0, 0.0), seed=0.3), smell(**NOSE, source=(0.7, 0.0, 0.0), seed=0.3))
    assert not torch.equal(smell(**NOSE, source=(0.7, 0.0, 0.0), seed=0.3),
                           smell(**NOSE, source=(0.7, 0.0, 0.0), seed=0.8))


def test_the_critter_smells_the_food_it_approaches():
    """In the forage world the critter's smell rises as it walks up to a food item (the others far away)."""
    with envs.make("Forage", num_envs=1, seed=0, vision_size=8, senses=("smell",)) as world:
        world.reset(seed=0)
        task, backend = world.task, world.backend
        qpos = backend.qpos.clone()
        qpos[:, task.pilot.root_qpos] = 0.0  # at the origin, facing +x
        mocap = backend.mocap_pos.clone()
        mocap[:, task.food_ids] = torch.tensor([-1.3, -1.3, task.food_radius], dtype=torch.float64)
        mocap[:, task.food_ids[0]] = torch.tensor([1.2, 0.0, task.food_radius], dtype=torch.float64)
        backend.write(torch.ones(1, dtype=torch.bool), qpos=qpos, mocap_pos=mocap)
        readings = []
        for _ in range(30):  # full drive, no turning: about 0.75 m in 1.5 s, stopping short of the food
            observation, *_ = world.step(torch.tensor([[1.0, 0.0, 0.0, 0.0]]))
            readings.append(observation["smell"][0, 0])
    readings = torch.stack(readings)
    assert readings[-10:].median() > 1.2 * readings[:10].median()
