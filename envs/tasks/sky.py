"""A lit sky around a world, so that a dark shape overhead stands out against it.

The eyes' renderer draws no skybox (for speed), so above the walls they see black, and a dark predator there
would be invisible. Looming experiments show their dark disc on a bright overhead screen (Yilmaz and Meister
2013); here the sky is five self-lit planes facing inwards, around the arena and its overview camera too (a plane
seen from behind veils the view). They stretch the model's extent, to which MuJoCo scales the eyes' near clipping
plane; the task puts it back (`envs.bodies.eyes.keep_near_clip`), so the floor at the animal's feet stays in view.
"""

import mujoco
import numpy as np

COLOUR = [0.55, 0.65, 0.8, 1]
EMISSION = 0.7  # mostly self-lit: a bright sky whatever the light


def add_sky(spec: mujoco.MjSpec, half: float) -> None:
    """Four walls and a ceiling facing inwards, `3 * half` from the arena's middle (beyond its overview camera)."""
    spec.add_material(name="sky", rgba=COLOUR, emission=EMISSION, specular=0.0)
    reach = 3 * half
    sides = ((reach, 0, [-1, 0, 0]), (-reach, 0, [1, 0, 0]), (0, reach, [0, -1, 0]), (0, -reach, [0, 1, 0]))
    planes = [([0, 0, reach], [0, 0, -1])] + [([x, y, reach / 2], normal) for x, y, normal in sides]
    for index, (position, normal) in enumerate(planes):
        quat = np.zeros(4)
        mujoco.mju_quatZ2Vec(quat, np.asarray(normal, dtype=float))  # a plane faces along its own z
        spec.worldbody.add_geom(name=f"sky{index}", type=mujoco.mjtGeom.mjGEOM_PLANE, pos=position, quat=quat,
                                size=[reach, reach, 0.1], material="sky", contype=0, conaffinity=0)

