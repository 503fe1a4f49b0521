"""Open ground for walking: flat, or rough (a heightfield drawn from a seed), with a camera that follows the animal.

Rough ground is drawn from the world's seed, so held-out evaluation worlds (another seed) walk on ground never
seen in training. A patch around the start is level, so every life begins standing on firm ground. The rough
ground is a strip ahead of the start (the way the walking task rewards); flat ground lies beyond it. The eyes
render every cell of it, so it is no larger than a life's walk needs.
"""

from dataclasses import dataclass

import mujoco
import numpy as np

from envs.arenas.pen import OVERVIEW
from envs.spec_utils import FLOOR_GROUP, look_quat

CELL = 0.15  # metres between heightfield samples (the eyes draw every cell: finer is slower to render)
BUMP_WIDTH = 0.4  # metres: the typical width of a bump, the scale the noise is smoothed to
START_PATCH = 0.6  # metres: radius of level ground around the start
BEHIND = 2.0  # metres of rough ground behind the start
PLAIN = 100.0  # metres: side of the flat plane drawn around it all (it holds the animal up everywhere)
GRID = 2.0  # metres between the lines the plane is drawn in: a fine grid over so wide a plane is slow to render


@dataclass(frozen=True)
class Terrain:
    roughness: float = 0.0  # metres from the lowest to the highest point of the ground; 0 is flat
    seed: int = 0
    length: float = 20.0  # metres of rough ground ahead of the start (along +x): a 30 s life at 0.6 m/s
    width: float = 6.0  # metres of rough ground across (along y), centred on the start

    @property
    def half(self) -> float:
        """Half the rough strip's width: how far to either side the ground is as described."""
        return self.width / 2

    def heights(self) -> np.ndarray:
        """Ground elevation [rows along y, columns along x] in [0, 1] (of `roughness`): smoothed noise, level
        around the start (the origin)."""
        x = np.arange(-BEHIND, self.length + CELL / 2, CELL)
        y = np.arange(-self.half, self.half + CELL / 2, CELL)
        noise = np.random.default_rng(self.seed).standard_normal((len(y), len(x)))
        frequency2 = np.fft.fftfreq(len(y), d=CELL)[:, None] ** 2 + np.fft.fftfreq(len(x), d=CELL)[None, :] ** 2
        smooth = np.fft.ifft2(np.fft.fft2(noise) * np.exp(-frequency2 * (np.pi * BUMP_WIDTH) ** 2 / 2)).real
        smooth = (smooth - smooth.min()) / (smooth.max() - smooth.min())
        level = np.clip((np.hypot(x[None, :], y[:, None]) - START_PATCH) / START_PATCH, 0.0, 1.0)
        return smooth * level

    def build(self, spec: mujoco.MjSpec) -> None:
        spec.add_texture(name="grid", type=mujoco.mjtTexture.mjTEXTURE_2D, builtin=mujoco.mjtBuiltin.mjBUILTIN_CHECKER,
                         width=64, height=64, rgb1=[0.45, 0.5, 0.4], rgb2=[0.36, 0.4, 0.32])
        material = spec.add_material(name="ground", texrepeat=[PLAIN, PLAIN])
        material.textures[mujoco.mjtTextureRole.mjTEXROLE_RGB] = "grid"
        world = spec.worldbody
        ground = dict(material="ground", contype=FLOOR_GROUP, conaffinity=FLOOR_GROUP)
        rough = self.roughness > 0
        if rough:
            heights = self.heights()
            half_length = (self.length + BEHIND) / 2
            spec.add_hfield(name="bumps", size=[half_length, self.half, self.roughness, 0.1], nrow=heights.shape[0],
                            ncol=heights.shape[1], userdata=heights.flatten().tolist())
            rough_material = spec.add_material(name="rough_ground", texrepeat=[2 * half_length, self.width])
            rough_material.textures[mujoco.mjtTextureRole.mjTEXROLE_RGB] = "grid"
            world.add_geom(name="floor", type=mujoco.mjtGeom.mjGEOM_HFIELD, hfieldname="bumps",
                           pos=[half_length - BEHIND, 0, 0], **{**ground, "material": "rough_ground"})
        # Under rough ground the plane lies a hair lower, unseen; it is named `floor` only where it is the floor
        # (the appearance factor dresses the floor).
        world.add_geom(name="plain" if rough else "floor", type=mujoco.mjtGeom.mjGEOM_PLANE,
                       pos=[0, 0, -0.002 if rough else 0.0], size=[PLAIN / 2, PLAIN / 2, GRID], **ground)
        world.add_light(name="sun", pos=[0, 0, 5], dir=[0.3, 0.2, -1], type=mujoco.mjtLightType.mjLIGHT_DIRECTIONAL,
                        diffuse=[0.7, 0.7, 0.7], specular=[0.1, 0.1, 0.1])
        # The only mass that moves is the animal's, so the world's centre of mass is the animal's: the camera
        # follows it.
        offset = [-0.6, -1.6, 1.0]
        world.add_camera(name=OVERVIEW, pos=offset, quat=look_quat([-v for v in offset]), fovy=45,
                         mode=mujoco.mjtCamLight.mjCAMLIGHT_TRACKCOM)
