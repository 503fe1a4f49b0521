"""Richness: each factor varies what it names, per world, from its training or its disjoint held-out range;
presets form a ladder and factors can be ablated."""

from types import SimpleNamespace

import pytest
import torch

import envs
from envs.richness import FACTORS, PRESETS, Span, appearance, distractors, lighting, noise, viewpoint


def make(richness, held_out=False, num_envs=4, **options):
    world = envs.make("Forage", num_envs=num_envs, seed=3, vision_size=16, richness=richness, held_out=held_out,
                      threads=1, **options)
    world.reset(seed=3)
    return world


def test_a_span_draws_from_its_training_or_its_held_out_interval():
    span = Span(train=(1.0, 2.0), held_out=(3.0, 4.0), symmetric=True)
    generator = torch.Generator().manual_seed(0)
    train, held_out = span.sample((1000,), generator, False), span.sample((1000,), generator, True)
    assert ((train.abs() >= 1) & (train.abs() <= 2)).all() and ((held_out.abs() >= 3) & (held_out.abs() <= 4)).all()
    assert (train > 0).any() and (train < 0).any(), "symmetric: both signs"
    with pytest.raises(ValueError, match="disjoint"):
        Span(train=(0.0, 2.0), held_out=(1.0, 3.0))


def test_every_factor_keeps_its_ranges_disjoint():
    for module in (viewpoint, lighting, appearance, distractors, noise):
        spans = [value for value in vars(module).values() if isinstance(value, Span)]
        assert spans, module.__name__  # Span's own check ran when each was made


def test_the_ladder_goes_from_vision_only_and_fixed_to_every_factor_and_sense():
    assert list(PRESETS)[0] == "impoverished" and list(PRESETS)[-1] == "rich"
    assert set(PRESETS["rich"].factors) == set(FACTORS)
    with make("impoverished") as poor, make("rich") as rich:
        assert set(poor.single_observation_space) == {"vision"}
        assert set(rich.single_observation_space) == {"vision", "touch", "proprioception", "vestibular", "smell",
                                                      "hearing"}
        assert rich.richness.names == tuple(FACTORS) and poor.richness.names == ()


def test_unknown_presets_and_factors_name_the_choices_and_ablation_needs_the_factor():
    with pytest.raises(ValueError, match="impoverished"):
        envs.make("Forage", richness="lavish")
    with pytest.raises(ValueError, match="viewpoint"):
        envs.make("Forage", richness="rich", ablate=("weather",))
    with pytest.raises(ValueError, match="cannot ablate"):
        envs.make("Forage", richness="viewpoint", ablate=("lighting",))
    with make("rich", ablate=("lighting", "noise")) as world:
        assert world.richness.names == ("viewpoint", "appearance", "distractors")


def test_viewpoint_varies_each_eye_from_its_range():
    with make("viewpoint") as train, make("viewpoint", held_out=True) as held_out:
        eye = train.model.camera("eye").id
        base = train.model.cam_fovy[eye]
        for world, (low, high) in ((train, viewpoint.FOV_SCALE.train), (held_out, viewpoint.FOV_SCALE.held_out)):
            fovy = world.backend.model_field("cam_fovy")[:, eye] / base
            assert ((fovy >= low - 1e-9) & (fovy <= high + 1e-9)).all()
            assert len(set(fovy.tolist())) == world.num_envs
        before = train.backend.model_field("cam_quat")[:, eye].clone()
        train.step(torch.zeros(4, 4))
        assert not torch.equal(before, train.backend.model_field("cam_quat")[:, eye]), "the head shakes"


def test_lighting_differs_per_world_and_drifts_within_a_life():
    with make("lighting", num_envs=8) as world:
        diffuse = world.backend.model_field("light_diffuse")[:, 0]
        assert len(set(diffuse[:, 0].tolist())) == 8
        low = lighting.INTENSITY.train[0] * lighting.TINT.train[0]
        assert (diffuse >= low - 1e-9).all() and (diffuse <= lighting.INTENSITY.train[1] + 1e-9).all()
        start = world.backend.model_field("light_dir")[:, 0].clone()
        for _ in range(40):  # 2 s
            world.step(torch.zeros(8, 4))
        drifted = world.backend.model_field("light_dir")[:, 0]
        moved = (drifted - start).norm(dim=1)
        assert (moved > 0).sum() >= 6 and torch.allclose(drifted.norm(dim=1), torch.ones(8, dtype=drifted.dtype))


def test_appearance_resizes_food_for_the_eye_and_for_the_task():
    """A bigger food item is eaten from farther away: the task reads the size drawn for each world."""
    with make("appearance", held_out=True, num_envs=2) as world:
        task, backend = world.task, world.backend
        radius = backend.model_field("geom_size")[:, task.food_geoms, 0]
        scale = radius / task.food_radius
        assert ((scale >= appearance.SIZE.held_out[0] - 1e-9) & (scale <= appearance.SIZE.held_out[1] + 1e-9)).all()
        rgba = backend.model_field("geom_rgba")[:, task.food_geoms]
        assert not torch.allclose(rgba[0], rgba[1])
        # Put food 0 just beyond the reach of a nominal item but within that of this world's bigger one.
        snout = backend.sensordata[:, task.snout:task.snout + 2]
        gap = task.food_radius + task.snout_reach + 0.01
        mocap = backend.mocap_pos.clone()
        mocap[:, task.food_ids, :2] = snout[:, None] + 1.0  # all other food far away
        mocap[:, task.food_ids[0], :2] = snout + torch.tensor([gap, 0.0], dtype=snout.dtype)
        backend.write(torch.ones(2, dtype=torch.bool), mocap_pos=mocap)
        _, _, info = task.step(backend, world.generator)
        assert (info["food_eaten"] == 1).all()


def test_distractors_wander_without_touching_anything():
    with make("rich", num_envs=2) as world:
        ids = world.richness.factors[3].mocap
        assert world.richness.factors[3].name == "distractors"
        start = world.backend.mocap_pos[:, ids].clone()
        for _ in range(20):
            world.step(torch.zeros(2, 4))
        moved = (world.backend.mocap_pos[:, ids] - start)[..., :2].norm(dim=-1)
        assert (moved > 0.05).all()
        geoms = world.richness.factors[3].geoms.numpy()
        assert (world.model.geom_contype[geoms] == 0).all() and (world.model.geom_conaffinity[geoms] == 0).all()


def test_noise_perturbs_every_sense_by_its_world_level():
    with make("rich", num_envs=2) as world:
        level = world.richness.factors[4].level
        clean = {sense.name: sense.read(world.backend) for sense in world.senses}
        noisy = world.observe()
        for name, value in clean.items():
            difference = (noisy[name].float() - value.float())
            if name == "vision":
                difference = difference / 255
            for env in range(2):
                assert abs(float(difference[env].std()) - float(level[env])) < 0.5 * float(level[env]) + 0.01, name


def test_noise_is_fresh_in_every_world_and_every_step():
    """The bank's windows are independent-looking: no correlation between worlds, nor between one world's steps."""
    factor, worlds, steps = noise.Noise(), 4, 6
    everyone = torch.ones(worlds, dtype=torch.bool)
    factor.reset(SimpleNamespace(num_envs=worlds), everyone, torch.Generator().manual_seed(0))
    factor.level[:] = 0.05  # pixels within 10 standard deviations of 128: none clipped
    generator, draws = torch.Generator().manual_seed(1), []
    for _ in range(steps):
        observation = {"eye": torch.zeros(worlds, 50, 40, dtype=torch.uint8) + 128, "ear": torch.zeros(worlds, 3)}
        factor.perturb(observation, None, generator)
        draws.append(torch.cat([(observation["eye"].float() - 128).flatten(1) / 255, observation["ear"]], dim=1) / 0.05)
    draws = torch.cat(draws)  # [steps * worlds, 2003]: one row per world and step
    assert torch.allclose(draws.std(dim=1), torch.ones(len(draws)), atol=0.1)
    correlation = torch.corrcoef(draws) - torch.eye(len(draws))
    assert correlation.abs().max() < 5 / draws.shape[1] ** 0.5


def test_held_out_worlds_look_different_from_training_worlds_only_where_factors_are_on():
    with make("impoverished") as train, make("impoverished", held_out=True) as held_out:
        assert torch.equal(train.observe()["vision"], held_out.observe()["vision"])
    with make("lighting") as train, make("lighting", held_out=True) as held_out:
        assert train.observe()["vision"].float().mean() > held_out.observe()["vision"].float().mean() + 5, (
            "held-out light is dimmer")


def test_the_same_seed_draws_the_same_worlds():
    with make("rich") as first, make("rich") as again:
        for _ in range(3):
            a, *_ = first.step(torch.zeros(4, 4))
            b, *_ = again.step(torch.zeros(4, 4))
        assert all(torch.equal(a[name], b[name]) for name in a)
