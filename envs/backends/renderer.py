"""Offscreen rendering on software OpenGL, set up for speed.

Shadows, reflections and skybox are off (7-100x faster on Mesa). The eyes of a batch of worlds are
drawn as tiles of one framebuffer just large enough for them, and read back with one call. Small eyes are
drawn with coarsely tessellated spheres and capsules: on a 40-pixel eye they look nearly the same (a few
levels in 255 where a food item fills the view, none elsewhere) and cost about a tenth less on a software
renderer.
"""

import os
from contextlib import contextmanager

import mujoco
import numpy as np

MAX_DEPTH = 5.0  # metres: a depth channel saturates at 255 here
SMALL_EYE = 64  # pixels: tiles up to this side get the coarse tessellation below
# Spheres and capsules only: boxes keep their subdivided faces, whose vertices carry the walls' shading.
COARSE = {"numslices": 8, "numstacks": 6}
_SLOW_EFFECTS = (mujoco.mjtRndFlag.mjRND_SHADOW, mujoco.mjtRndFlag.mjRND_REFLECTION,
                 mujoco.mjtRndFlag.mjRND_SKYBOX)


def _gl_error(error: Exception) -> RuntimeError:
    return RuntimeError(
        f"Could not create an offscreen OpenGL context with MUJOCO_GL={os.environ.get('MUJOCO_GL')!r} "
        f"({error}). On a machine without a display install EGL (Debian: apt-get install libegl1 libgl1) "
        "or OSMesa (libosmesa6) and set MUJOCO_GL=egl or MUJOCO_GL=osmesa before MuJoCo is first imported."
    )


@contextmanager
def _context_settings(model: mujoco.MjModel, width: int, height: int, coarse: bool):
    """Render contexts made inside get an offscreen framebuffer of exactly width x height and, if `coarse`,
    primitive meshes of COARSE tessellation (a context builds its meshes once, from the model it is made with)."""
    quality = model.vis.quality
    saved = model.vis.global_.offwidth, model.vis.global_.offheight, {name: getattr(quality, name) for name in COARSE}
    model.vis.global_.offwidth, model.vis.global_.offheight = width, height
    if coarse:
        for name, value in COARSE.items():
            setattr(quality, name, min(value, getattr(quality, name)))
    try:
        yield
    finally:
        model.vis.global_.offwidth, model.vis.global_.offheight = saved[:2]
        for name, value in saved[2].items():
            setattr(quality, name, value)


class TiledRenderer:
    """Renders one camera in up to `tiles` worlds as tiles of one framebuffer. The worlds may have their own
    copies of `model` with other lights, cameras and colours, but the same meshes and textures."""

    def __init__(self, model: mujoco.MjModel, height: int, width: int, tiles: int, max_side: int = 2048):
        from mujoco import gl_context

        self.model, self.height, self.width = model, height, width
        self.columns = max(1, min(tiles, max_side // width))
        self.rows = max(1, min(-(-tiles // self.columns), max_side // height))
        buffer_width, buffer_height = self.columns * width, self.rows * height
        try:
            self._gl = gl_context.GLContext(buffer_width, buffer_height)
            self._gl.make_current()
            with _context_settings(model, buffer_width, buffer_height, coarse=max(height, width) <= SMALL_EYE):
                self._context = mujoco.MjrContext(model, mujoco.mjtFontScale.mjFONTSCALE_100)
        except Exception as error:
            raise _gl_error(error) from error
        mujoco.mjr_setBuffer(mujoco.mjtFramebuffer.mjFB_OFFSCREEN, self._context)
        self._scene = mujoco.MjvScene(model, maxgeom=10_000)
        for flag in _SLOW_EFFECTS:
            self._scene.flags[flag] = 0
        self._option = mujoco.MjvOption()
        self._camera = mujoco.MjvCamera()
        self._camera.type = mujoco.mjtCamera.mjCAMERA_FIXED
        self._pixels = np.empty(self.rows * height * self.columns * width * 3, dtype=np.uint8)
        self._depth = np.empty(self.rows * height * self.columns * width, dtype=np.float32)
        # Depth buffer values to metres, as mujoco.Renderer converts them.
        extent = model.stat.extent
        self._near, self._far = model.vis.map.znear * extent, model.vis.map.zfar * extent

    def render(self, models: list[mujoco.MjModel], datas: list[mujoco.MjData], camera: str, out: np.ndarray) -> None:
        """Fill `out` [len(datas), height, width, 3 or 4] with what `camera` sees in each world; a fourth channel
        is depth, 0 at the eye to 255 at `MAX_DEPTH` metres or farther."""
        camera_id = mujoco.mj_name2id(self.model, mujoco.mjtObj.mjOBJ_CAMERA, camera)
        if camera_id < 0:
            raise ValueError(f"the model has no camera {camera!r}")
        self._camera.fixedcamid = camera_id
        self._gl.make_current()
        per_pass = self.columns * self.rows
        for start in range(0, len(datas), per_pass):
            chunk = slice(start, start + per_pass)
            self._render_pass(models[chunk], datas[chunk], out[chunk])

    def _render_pass(self, models: list[mujoco.MjModel], datas: list[mujoco.MjData], out: np.ndarray) -> None:
        h, w = self.height, self.width
        for index, (model, data) in enumerate(zip(models, datas, strict=True)):
            row, column = divmod(index, self.columns)
            mujoco.mjv_updateScene(model, data, self._option, None, self._camera,
                                   mujoco.mjtCatBit.mjCAT_ALL, self._scene)
            mujoco.mjr_render(mujoco.MjrRect(column * w, row * h, w, h), self._scene, self._context)
        rows = -(-len(datas) // self.columns)
        columns = min(len(datas), self.columns)
        pixels = self._pixels[:rows * h * columns * w * 3].reshape(rows * h, columns * w, 3)
        depth = self._depth[:rows * h * columns * w].reshape(rows * h, columns * w) if out.shape[-1] == 4 else None
        mujoco.mjr_readPixels(pixels, depth, mujoco.MjrRect(0, 0, columns * w, rows * h), self._context)
        if depth is not None:
            metres = self._near / (1 - depth * (1 - self._near / self._far))
            depth = (np.clip(metres / MAX_DEPTH, 0, 1) * 255).astype(np.uint8)
        for index in range(len(datas)):  # OpenGL rows run bottom-up
            row, column = divmod(index, self.columns)
            tile = np.s_[row * h:(row + 1) * h, column * w:(column + 1) * w]
            out[index, ..., :3] = pixels[tile][::-1]
            if depth is not None:
                out[index, ..., 3] = depth[tile][::-1]

    def close(self) -> None:
        """Free the GL objects with this renderer's own context current (never another's), then the context."""
        with self._gl.as_current():
            self._context.free()
        self._gl.free()
