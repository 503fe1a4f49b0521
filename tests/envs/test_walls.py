"""Walls keep an animal's view in its arena: its eyes stay below their tops, the quadruped's (four times as high as
the critter's) too."""

import mujoco
import pytest

import envs

WALLED = ["Forage", "QuadrupedForage", "VisualCliff", "QuadrupedVisualCliff", "QuadrupedImprint", "QuadrupedEscape"]


@pytest.mark.parametrize("name", WALLED)
def test_the_eyes_are_below_the_walls(name):
    with envs.make(name, num_envs=1, seed=0, vision_size=8, senses=("touch",), eyes="binocular") as world:
        world.reset(seed=0)
        model, data = world.model, world.backend.datas[0]
        walls = [index for index in range(model.ngeom) if model.geom(index).name.startswith("wall")]
        wall_tops = [data.geom_xpos[index, 2] + model.geom_size[index, 2] for index in walls]
        eyes = [index for index in range(model.ncam) if model.camera(index).name != "overview"]
        assert len(walls) == 4 and len(eyes) == 2
        assert all(model.geom_type[index] == mujoco.mjtGeom.mjGEOM_BOX for index in walls)
        assert max(data.cam_xpos[eyes, 2]) < min(wall_tops) - 0.1, "it cannot look over the walls"
