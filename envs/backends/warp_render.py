"""Cameras drawn on the device by mujoco_warp's batch ray tracer, to look as the CPU backend's OpenGL eyes do.

Every world's images come from one kernel launch and stay on the device: RGB unpacked from the tracer's packed
pixels, depth as the CPU backend encodes it (0 at the eye to 255 at `MAX_DEPTH` metres or farther; nothing hit
reads far). Shadows, reflections and skybox are off and the lights are MuJoCo's own (the headlight included), as
on the CPU backend. Two things OpenGL does that a ray tracer does not are drawn as their nearest equivalents:

- The near clipping plane. OpenGL draws nothing nearer an eye than `znear`; a ray cast from the eye hits the
  animal's own snout. Geoms on an eye's own body that lie wholly nearer than that plane are left out of the scene
  the eyes see; a geom only partly nearer (a wall a few centimetres from the eye) is drawn whole.
- Transparency. The tracer draws a geom opaque or not at all. A mostly see-through geom (alpha below
  `SEE_THROUGH`: the visual cliff's glass, 0.15) is left out, so the eye sees through it untinted.
"""

import copy

import mujoco
import mujoco_warp as mjw
import numpy as np
import torch
import warp as wp

from envs.backends.renderer import MAX_DEPTH
from envs.backends.warp_replay import Replay

SEE_THROUGH = 0.5  # alpha below which a geom is drawn as fully transparent
DRAWN_GROUPS = (0, 1, 2)  # geom groups MuJoCo's viewer shows by default; the CPU backend's eyes see these
HIDDEN_GROUP = 5  # where geoms the eyes must not see are put in the copy of the model the tracer is built from


def _corners(geom_type: int, size: np.ndarray) -> np.ndarray:
    """Points [k, 3] in a geom's frame around which it lies: a sphere's centre and a capsule's axis ends (the geom
    within its radius of them), or the corners of a box that holds it; none for other types."""
    if geom_type == mujoco.mjtGeom.mjGEOM_SPHERE:
        return np.zeros((1, 3))
    if geom_type == mujoco.mjtGeom.mjGEOM_CAPSULE:
        return np.array([[0, 0, size[1]], [0, 0, -size[1]]])
    if geom_type in (mujoco.mjtGeom.mjGEOM_BOX, mujoco.mjtGeom.mjGEOM_ELLIPSOID, mujoco.mjtGeom.mjGEOM_CYLINDER):
        half = size.copy()
        if geom_type == mujoco.mjtGeom.mjGEOM_CYLINDER:
            half = np.array([size[0], size[0], size[1]])
        return np.array([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)]) * half
    return np.empty((0, 3))


def _farthest_depth(model: mujoco.MjModel, geom: int, camera: int) -> float:
    """The largest depth along `camera`'s line of sight of any point of `geom`, both fixed to the same body; inf
    for geom types whose extent is not bounded here."""
    size, kind = model.geom_size[geom], model.geom_type[geom]
    points = _corners(kind, size)
    if not len(points):
        return np.inf
    rotation = np.empty(9)
    mujoco.mju_quat2Mat(rotation, model.geom_quat[geom])
    points = model.geom_pos[geom] + points @ rotation.reshape(3, 3).T
    radius = size[0] if kind in (mujoco.mjtGeom.mjGEOM_SPHERE, mujoco.mjtGeom.mjGEOM_CAPSULE) else 0.0
    mujoco.mju_quat2Mat(rotation, model.cam_quat[camera])
    sight = -rotation.reshape(3, 3)[:, 2]  # a camera looks along its -z
    return float(((points - model.cam_pos[camera]) @ sight).max() + radius)


def scene_for(model: mujoco.MjModel, cameras: list[int]) -> mujoco.MjModel:
    """A copy of `model` whose geom groups leave out what these cameras must not see (see the module's doc)."""
    scene = copy.deepcopy(model)
    scene.geom_group[model.geom_rgba[:, 3] < SEE_THROUGH] = HIDDEN_GROUP
    near = model.vis.map.znear * model.stat.extent
    for geom in range(model.ngeom):
        on_every_eye = all(model.cam_bodyid[camera] == model.geom_bodyid[geom] for camera in cameras)
        if on_every_eye and all(_farthest_depth(model, geom, camera) < near for camera in cameras):
            scene.geom_group[geom] = HIDDEN_GROUP
    return scene


class CameraImages:
    """Renders `cameras` in every world of `data` at `width` x `height`, RGB and optionally depth, as uint8 tensors on
    the device [N, cameras, height, width, 3 or 4] that share nothing with the tracer's buffers."""

    def __init__(self, model: mujoco.MjModel, device_model, data, cameras: tuple[str, ...], width: int, height: int,
                 depth: bool):
        ids = [model.camera(name).id for name in cameras]
        self.shape = (data.nworld, len(cameras), height, width)
        self.depth = depth
        context = mjw.create_render_context(
            scene_for(model, ids), nworld=data.nworld, cam_res=(width, height), render_rgb=True, render_depth=depth,
            cam_active=ids, use_precomputed_rays=False,  # the viewpoint factor varies each world's field of view
            use_shadows=False, render_skybox=False, enabled_geom_groups=list(DRAWN_GROUPS))
        self.context = context
        self.rgb = wp.to_torch(context.rgb_data)  # views of the tracer's buffers, made once
        self.metres = wp.to_torch(context.depth_data) if depth else None

        def draw() -> None:
            mjw.refit_bvh(device_model, data, context)
            mjw.render(device_model, data, context)

        self.draw = Replay(draw, wp.get_device())

    def images(self) -> torch.Tensor:
        """What the last `draw()` drew, as new tensors; read it after Warp's work is ordered before torch's."""
        # Packed as 0xAARRGGBB: in memory (little-endian) the bytes of a pixel run blue, green, red, alpha.
        packed = self.rgb.view(torch.uint8).view(*self.shape, 4)
        images = packed[..., :3].flip(-1)  # a copy; indexing with a list would copy the list to the device
        if not self.depth:
            return images
        metres = self.metres.view(self.shape)
        metres = torch.where(metres > 0, metres, MAX_DEPTH)  # 0: the ray hit nothing
        depth = (metres / MAX_DEPTH).clamp(0, 1).mul_(255).to(torch.uint8)
        return torch.cat([images, depth[..., None]], dim=-1)
