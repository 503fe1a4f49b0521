"""The visual cliff (Gibson and Walk 1960): a glass table with a centre board across its middle. Under the
glass on one side a checkered floor lies right beneath it (shallow); on the other the same floor lies far
below (deep), seen through the glass, with checkered walls going down to it. The glass holds a body up on
both sides, so nothing really falls: only the eye tells deep from shallow.

The two checkered floors are mocap bodies, so a task can swap which side is deep in every life.
"""

from dataclasses import dataclass

import mujoco
import torch

from envs.arenas.pen import OVERVIEW, WALL_HEIGHT
from envs.spec_utils import FLOOR_GROUP, SOLID_GROUP, look_quat

GLASS = 0.01  # thickness of the glass sheet, metres
SLAB = 0.01  # half-thickness of a checkered floor
BOARD_RISE = 0.003  # the board lies on the glass (drawn only; the glass holds the body up)
WALL = 0.05  # half-thickness of the table's walls


@dataclass(frozen=True)
class CliffTable:
    depth: float = 1.0  # of the deep floor below the glass, metres (the glass top is this high)
    half_length: float = 1.0  # along x, from the board's middle to each end
    half_width: float = 0.5  # along y
    board_half: float = 0.15  # half the board's width along x
    squares_per_metre: float = 10.0  # of the checker pattern, the same on both floors and the walls
    wall_height: float = WALL_HEIGHT  # above the glass, metres: higher than the animal's eyes, or it looks over them

    @property
    def half(self) -> float:
        """Half-side of the square around the middle that holds the table (for factors that place things)."""
        return self.half_width

    @property
    def surface(self) -> float:
        """Height of the walking surface (the glass's top)."""
        return self.depth

    def build(self, spec: mujoco.MjSpec) -> None:
        spec.add_texture(name="cliff_checker", type=mujoco.mjtTexture.mjTEXTURE_2D,
                         builtin=mujoco.mjtBuiltin.mjBUILTIN_CHECKER, width=64, height=64,
                         rgb1=[0.85, 0.85, 0.8], rgb2=[0.15, 0.15, 0.2])
        repeat = self.squares_per_metre / 2  # the builtin checker texture is two squares across
        material = spec.add_material(name="cliff_checker", texrepeat=[repeat, repeat], texuniform=True)
        material.textures[mujoco.mjtTextureRole.mjTEXROLE_RGB] = "cliff_checker"
        world, top = spec.worldbody, self.depth
        side = (self.half_length - self.board_half) / 2
        for name, z in (("shallow_floor", self._shallow_z), ("deep_floor", -SLAB)):
            floor = world.add_body(name=name, mocap=True, pos=[self.board_half + side, 0, z])
            floor.add_geom(name=name, type=mujoco.mjtGeom.mjGEOM_BOX, size=[side, self.half_width, SLAB],
                           material="cliff_checker", contype=0, conaffinity=0)
        world.add_geom(name="glass", type=mujoco.mjtGeom.mjGEOM_BOX, pos=[0, 0, top - GLASS / 2],
                       size=[self.half_length, self.half_width, GLASS / 2], rgba=[0.75, 0.85, 0.9, 0.15],
                       contype=FLOOR_GROUP, conaffinity=FLOOR_GROUP)
        height = (top + BOARD_RISE) / 2
        world.add_geom(name="board", type=mujoco.mjtGeom.mjGEOM_BOX, pos=[0, 0, height],
                       size=[self.board_half, self.half_width, height], rgba=[0.6, 0.45, 0.3, 1], contype=0,
                       conaffinity=0)
        self._walls(world, top)
        world.add_light(name="sun", pos=[0, 0, top + 3], dir=[0.2, 0.1, -1],
                        type=mujoco.mjtLightType.mjLIGHT_DIRECTIONAL, diffuse=[0.7, 0.7, 0.7],
                        specular=[0.1, 0.1, 0.1])
        eye = [0, -2.6 * self.half_length, top + 2.0 * self.half_length]
        world.add_camera(name=OVERVIEW, pos=eye, quat=look_quat([0, -eye[1], top - eye[2]]), fovy=45)

    def _walls(self, world: mujoco.MjsBody, top: float) -> None:
        """Checkered walls from the deep floor up to the glass, plain solid ones above it that keep bodies on."""
        x, y = self.half_length + WALL, self.half_width + WALL
        sides = ((x, 0, WALL, y), (0, y, x, WALL), (-x, 0, WALL, y), (0, -y, x, WALL))
        for index, (px, py, sx, sy) in enumerate(sides):
            world.add_geom(name=f"pit{index}", type=mujoco.mjtGeom.mjGEOM_BOX, pos=[px, py, top / 2],
                           size=[sx, sy, top / 2], material="cliff_checker", contype=0, conaffinity=0)
            world.add_geom(name=f"wall{index}", type=mujoco.mjtGeom.mjGEOM_BOX,
                           pos=[px, py, top + self.wall_height / 2], size=[sx, sy, self.wall_height / 2],
                           rgba=[0.6, 0.65, 0.75, 1], contype=SOLID_GROUP,
                           conaffinity=SOLID_GROUP)

    def floor_positions(self, deep_side: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Where the shallow and the deep floors go [n, 3] when the deep side is +x (1) or -x (-1) [n]."""
        x = (self.half_length + self.board_half) / 2 * deep_side.to(torch.float64)
        zero = torch.zeros_like(x)
        return (torch.stack([-x, zero, zero + self._shallow_z], dim=1), torch.stack([x, zero, zero - SLAB], dim=1))

    @property
    def _shallow_z(self) -> float:
        return self.depth - GLASS - SLAB - 0.001
