"""The pen: a square, walled, checkered floor lit from above, with a camera that sees all of it."""

from dataclasses import dataclass

import mujoco

from envs.spec_utils import FLOOR_GROUP, SOLID_GROUP, look_quat

WALL_HEIGHT = 0.25  # metres: four times the critter's height
WALL_THICKNESS = 0.05
OVERVIEW = "overview"


@dataclass(frozen=True)
class Pen:
    size: float = 3.0  # side of the floor, metres
    wall_height: float = WALL_HEIGHT  # metres: higher than the animal's eyes, or it looks (and steps) over the walls

    @property
    def half(self) -> float:
        return self.size / 2

    def build(self, spec: mujoco.MjSpec) -> None:
        spec.add_texture(name="checker", type=mujoco.mjtTexture.mjTEXTURE_2D,
                         builtin=mujoco.mjtBuiltin.mjBUILTIN_CHECKER, width=64, height=64,
                         rgb1=[0.45, 0.5, 0.45], rgb2=[0.38, 0.42, 0.38])
        material = spec.add_material(name="floor", texrepeat=[self.size * 2, self.size * 2])
        material.textures[mujoco.mjtTextureRole.mjTEXROLE_RGB] = "checker"
        world = spec.worldbody
        world.add_geom(name="floor", type=mujoco.mjtGeom.mjGEOM_PLANE, size=[self.half, self.half, 0.1],
                       material="floor", contype=FLOOR_GROUP, conaffinity=FLOOR_GROUP)
        wall_colors = ([0.75, 0.7, 0.6, 1], [0.6, 0.65, 0.75, 1], [0.75, 0.7, 0.6, 1], [0.6, 0.65, 0.75, 1])
        offset = self.half + WALL_THICKNESS
        for index, (x, y, sx, sy) in enumerate((
            (offset, 0, WALL_THICKNESS, offset), (0, offset, offset, WALL_THICKNESS),
            (-offset, 0, WALL_THICKNESS, offset), (0, -offset, offset, WALL_THICKNESS),
        )):
            world.add_geom(name=f"wall{index}", type=mujoco.mjtGeom.mjGEOM_BOX,
                           pos=[x, y, self.wall_height / 2], size=[sx, sy, self.wall_height / 2],
                           rgba=wall_colors[index], contype=SOLID_GROUP, conaffinity=SOLID_GROUP)
        world.add_light(name="sun", pos=[0, 0, 3], dir=[0.2, 0.1, -1], type=mujoco.mjtLightType.mjLIGHT_DIRECTIONAL,
                        diffuse=[0.7, 0.7, 0.7], specular=[0.1, 0.1, 0.1])
        eye = [0, -1.05 * self.size, 1.1 * self.size]
        world.add_camera(name=OVERVIEW, pos=eye, quat=look_quat([0, -eye[1], -eye[2]]), fovy=45)
