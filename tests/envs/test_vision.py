"""Vision: one eye or two (frontal or lateral) side by side, and a depth channel that measures distance."""

import numpy as np
import pytest
import torch

import envs
from envs.backends import renderer
from envs.backends.renderer import MAX_DEPTH


def eyes_image(eyes: str, depth: bool = False, x: float = 0.0) -> torch.Tensor:
    """What a critter at (x, 0), facing +x with its head straight, sees in world 0."""
    with envs.make("Forage", num_envs=1, seed=0, vision_size=32, eyes=eyes, depth=depth, threads=1) as world:
        world.reset(seed=0)
        task, backend = world.task, world.backend
        qpos = torch.zeros_like(backend.qpos)
        qpos[:, task.pilot.root_qpos[0]] = x
        mocap = backend.mocap_pos.clone()
        mocap[:, task.food_ids, 2] = -1.0  # food out of sight
        backend.write(torch.ones(1, dtype=torch.bool), qpos=qpos, mocap_pos=mocap)
        return world.observe()["vision"][0]


def test_two_eyes_see_side_by_side_frontal_ones_overlap_and_lateral_ones_do_not():
    one, frontal, lateral = eyes_image("one"), eyes_image("binocular"), eyes_image("lateral")
    assert one.shape == (32, 32, 3) and frontal.shape == lateral.shape == (32, 64, 3)

    def disparity(image):
        left, right = image[:, :32].float(), image[:, 32:].float()
        return (left - right).abs().mean()

    assert 0 < disparity(frontal) < disparity(lateral)


def test_depth_grows_with_distance_to_the_wall():
    near, far = eyes_image("one", depth=True, x=0.9), eyes_image("one", depth=True, x=-0.9)
    assert near.shape == (32, 32, 4)
    # Just above the horizon (the eye looks 14 degrees down) the eye sees the wall ahead, 1.5 m from the centre.
    near_metres = near[10:13, 14:18, 3].float().mean() / 255 * MAX_DEPTH
    far_metres = far[10:13, 14:18, 3].float().mean() / 255 * MAX_DEPTH
    assert far_metres > near_metres + 1.0
    assert near[-1, :, 3].float().mean() < near[16, :, 3].float().mean(), "the floor at the animal's feet is nearest"


def test_the_viewpoint_factor_moves_both_eyes():
    with envs.make("Forage", num_envs=2, seed=0, vision_size=16, eyes="lateral", richness="viewpoint") as world:
        world.reset(seed=0)
        factor = world.richness.factors[0]
        assert factor.cameras == ["eye_left", "eye_right"]
        assert not torch.equal(world.backend.model_field("cam_fovy")[0], world.backend.model_field("cam_fovy")[1])


def test_an_unknown_eye_layout_names_the_layouts():
    with pytest.raises(ValueError, match="binocular"):
        envs.make("Forage", eyes="compound")


def test_small_eyes_are_drawn_coarsely_but_look_the_same_and_leave_the_model_alone(monkeypatch):
    with envs.make("Forage", num_envs=2, seed=0, vision_size=40, threads=1) as world:
        world.reset(seed=0)
        backend, task = world.backend, world.task
        qpos, mocap = torch.zeros_like(backend.qpos), backend.mocap_pos.clone()
        mocap[:, task.food_ids[0], :2] = torch.tensor([0.25, 0.0])  # a food item just ahead of the eye
        backend.write(torch.ones(2, dtype=torch.bool), qpos=qpos, mocap_pos=mocap)
        model, datas = world.model, backend.datas
        quality = (model.vis.quality.numslices, model.vis.quality.numstacks, model.vis.quality.numquads)
        camera = world.senses[0].cameras[0]
        images = {}
        for label, small_eye in (("coarse", renderer.SMALL_EYE), ("fine", 0)):
            monkeypatch.setattr(renderer, "SMALL_EYE", small_eye)
            tiles = renderer.TiledRenderer(model, 40, 40, 2)
            out = np.empty((2, 40, 40, 3), np.uint8)
            tiles.render([model, model], datas, camera, out)
            tiles.close()
            images[label] = torch.from_numpy(out).float()
        assert (model.vis.quality.numslices, model.vis.quality.numstacks, model.vis.quality.numquads) == quality
        difference = (images["fine"] - images["coarse"]).abs()
        # Drawn otherwise, to within a few levels in 255 even with a food item filling much of the view.
        assert 0 < difference.mean() < 4.0
