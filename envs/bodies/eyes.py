"""Eye layouts on a head: one eye, two frontal eyes (binocular, as in cats and owls) or two lateral eyes
(as in chicks and mice: a panoramic view with little overlap)."""

import math

import mujoco

from envs.spec_utils import look_quat

NEAR_CLIP = 0.06  # metres: the near clipping plane of the eyes in the critter's pen

#: layout -> (sideways offset from the head's midline in metres, outward yaw in degrees) of each eye
EYE_LAYOUTS = {
    "one": ((0.0, 0.0),),
    "binocular": ((0.015, 8.0), (-0.015, -8.0)),
    "lateral": ((0.03, 65.0), (-0.03, -65.0)),
}


def add_eyes(head, layout: str, forward: float, up: float, pitch: float, fovy: float) -> tuple[str, ...]:
    """Add the cameras of `layout` to the `head` body, `forward` and `up` of its centre and looking `pitch`
    (down < 0) of level; their names, left eye first."""
    if layout not in EYE_LAYOUTS:
        raise ValueError(f"unknown eye layout {layout!r}; layouts: {', '.join(EYE_LAYOUTS)}")
    eyes = EYE_LAYOUTS[layout]
    names = []
    for index, (side, yaw) in enumerate(eyes):
        name = "eye" if len(eyes) == 1 else ("eye_left", "eye_right")[index]
        yaw_rad = math.radians(yaw)
        direction = [math.cos(yaw_rad), math.sin(yaw_rad), pitch]
        head.add_camera(name=name, pos=[forward, side, up], quat=look_quat(direction), fovy=fovy)
        names.append(name)
    return tuple(names)


def keep_near_clip(model: mujoco.MjModel) -> None:
    """Set the eyes' near clipping plane to `NEAR_CLIP` metres whatever the model's extent. MuJoCo scales it with the
    extent, so in a world stretched by far-off parts (a sky, a yard below a platform) the eyes would not see the
    ground at the animal's feet, and would see through it to what lies beyond."""
    model.vis.map.znear = NEAR_CLIP / model.stat.extent
