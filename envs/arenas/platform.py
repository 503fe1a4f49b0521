"""The platform: a square, raised, checkered table with a sheer drop at its edges to a ground far below.

Nothing fences its edges: a body that walks off falls. The ground below is a plain floor in a walled yard,
lit from above, with an overview camera that sees the whole platform.
"""

from dataclasses import dataclass

import mujoco

from envs.arenas.pen import OVERVIEW, WALL_HEIGHT
from envs.spec_utils import FLOOR_GROUP, SOLID_GROUP, look_quat

YARD = 1.0  # metres of ground beyond the platform's edges, on every side


@dataclass(frozen=True)
class Platform:
    size: float = 3.0  # side of the platform's top, metres
    height: float = 0.5  # of its top above the ground, metres: about five times the critter's height

    @property
    def half(self) -> float:
        """Half the side of the platform's top: where objects may lie and bodies may walk."""
        return self.size / 2

    @property
    def surface(self) -> float:
        """Height of the walking surface (the platform's top)."""
        return self.height

    def build(self, spec: mujoco.MjSpec) -> None:
        spec.add_texture(name="platform", type=mujoco.mjtTexture.mjTEXTURE_2D,
                         builtin=mujoco.mjtBuiltin.mjBUILTIN_CHECKER, width=64, height=64,
                         rgb1=[0.45, 0.5, 0.45], rgb2=[0.38, 0.42, 0.38])
        material = spec.add_material(name="platform", texrepeat=[2, 2], texuniform=True)
        material.textures[mujoco.mjtTextureRole.mjTEXROLE_RGB] = "platform"
        world = spec.worldbody
        ground = self.half + YARD
        floor = dict(contype=FLOOR_GROUP, conaffinity=FLOOR_GROUP)
        world.add_geom(name="ground", type=mujoco.mjtGeom.mjGEOM_PLANE, size=[ground, ground, 0.1],
                       rgba=[0.3, 0.27, 0.24, 1], **floor)
        world.add_geom(name="platform", type=mujoco.mjtGeom.mjGEOM_BOX, pos=[0, 0, self.height / 2],
                       size=[self.half, self.half, self.height / 2], material="platform", **floor)
        thickness = 0.05
        for index, (x, y, sx, sy) in enumerate((
            (ground + thickness, 0, thickness, ground), (0, ground + thickness, ground, thickness),
            (-ground - thickness, 0, thickness, ground), (0, -ground - thickness, ground, thickness),
        )):
            world.add_geom(name=f"wall{index}", type=mujoco.mjtGeom.mjGEOM_BOX, pos=[x, y, WALL_HEIGHT / 2],
                           size=[sx, sy, WALL_HEIGHT / 2], rgba=[0.6, 0.6, 0.65, 1], contype=SOLID_GROUP,
                           conaffinity=SOLID_GROUP)
        world.add_light(name="sun", pos=[0, 0, 3], dir=[0.2, 0.1, -1], type=mujoco.mjtLightType.mjLIGHT_DIRECTIONAL,
                        diffuse=[0.7, 0.7, 0.7], specular=[0.1, 0.1, 0.1])
        eye = [0, -1.05 * self.size, self.height + 1.1 * self.size]
        world.add_camera(name=OVERVIEW, pos=eye, quat=look_quat([0, -eye[1], self.height - eye[2]]), fovy=45)
