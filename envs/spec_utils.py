"""Small geometry helpers for composing worlds with `mujoco.MjSpec`."""

import mujoco
import numpy as np


def look_quat(forward, up=(0.0, 0.0, 1.0)) -> np.ndarray:
    """Quaternion that turns a MuJoCo camera (which looks along its -z) to look along `forward`."""
    forward = np.asarray(forward, dtype=float)
    z = -forward / np.linalg.norm(forward)
    x = np.cross(np.asarray(up, dtype=float), z)
    if np.linalg.norm(x) < 1e-9:
        x = np.array([1.0, 0.0, 0.0])
    x /= np.linalg.norm(x)
    y = np.cross(z, x)
    quat = np.zeros(4)
    mujoco.mju_mat2Quat(quat, np.stack([x, y, z], axis=1).flatten())
    return quat


# Collision groups: the floor only touches feet and objects that rest on it; a planar body such as the
# critter glides over it and only meets walls and obstacles.
FLOOR_GROUP = 4
SOLID_GROUP = 1
