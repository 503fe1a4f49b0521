"""GPU backend: mujoco_warp's batched worlds, stepped and rendered on one device, state shared with torch.

`qpos`, `qvel`, `sensordata`, `mocap_pos` and `mocap_quat` are torch views of mujoco_warp's own arrays (float32):
tasks read and write them without a copy, and nothing here makes the host wait for the device. The model fields the
richness factors vary (light and camera poses, geom colours, sizes and materials) are batched, one row per world.
Physics steps, resets, forward passes and renders are replayed as captured graphs (see `warp_replay`). Warp also
runs on the CPU, slowly, which is how the tests check this backend against the CPU one.

A write that asks for a forward pass is done lazily: the next read of the sensors, render or step runs one forward
pass for every world, and the worlds outside the writes keep what they had (their sensors and poses of the last
step, as on the CPU backend, where only the written worlds are recomputed).
"""

import mujoco
import mujoco_warp as mjw
import torch
import warp as wp

from envs.backends.backend import Backend, rows
from envs.backends.warp_render import CameraImages
from envs.backends.warp_replay import Replay, after_torch

MAX_STATE = 1e10  # MuJoCo's bound on a sane state value (mjMAXVAL): beyond it a world has diverged
#: Model fields with a row per world: those the richness factors set.
PER_WORLD = ("geom_size", "geom_rgba", "geom_matid", "cam_quat", "cam_fovy", "light_dir", "light_diffuse",
             "light_ambient")
#: What a forward pass recomputes that is read before the next step: sensors, the poses the tracer draws, and the
#: solver's warm start.
DERIVED = ("sensordata", "geom_xpos", "geom_xmat", "cam_xpos", "cam_xmat", "light_xpos", "light_xdir",
           "qacc_warmstart")
POSES = DERIVED[1:7]


class WarpBackend(Backend):
    """`num_envs` worlds of `model` on `device` (a CUDA device, or the CPU)."""

    def __init__(self, model: mujoco.MjModel, num_envs: int, device: torch.device | str):
        self.model, self.num_envs = model, num_envs
        self.device = torch.device(device)
        if self.device.type == "cuda" and self.device.index is None:  # Warp needs the device's number
            self.device = torch.device("cuda", torch.cuda.current_device())
        self.host_branches = self.device.type == "cpu"
        wp.init()
        self._wp_device = wp.device_from_torch(self.device)
        with wp.ScopedDevice(self._wp_device):
            sizes = {name: num_envs for name in PER_WORLD if getattr(model, name).size}
            self._model = mjw.put_model(model, batch_sizes=sizes)
            self._data = mjw.make_data(model, nworld=num_envs)
        if self._wp_device.is_cuda and not wp.is_conditional_graph_supported():
            # Without conditional graph nodes the solver's loop would read its condition back to the host every
            # iteration: it runs its full iteration count instead.
            self._model.opt.graph_conditional = False
        self._torch = {name: wp.to_torch(getattr(self._data, name)) for name in (
            "qpos", "qvel", "qacc", "ctrl", "mocap_pos", "mocap_quat", *DERIVED)}
        self.qpos, self.qvel = self._torch["qpos"], self._torch["qvel"]
        self.mocap_pos, self.mocap_quat = self._torch["mocap_pos"], self._torch["mocap_quat"]
        self._resetting = torch.zeros(num_envs, dtype=torch.bool, device=self.device)  # the reset's input
        resetting = wp.from_torch(self._resetting)
        self._reset = Replay(lambda: mjw.reset_data(self._model, self._data, reset=resetting), self._wp_device)
        self._forward = Replay(lambda: mjw.forward(self._model, self._data), self._wp_device)
        self._physics: dict[int, Replay] = {}  # by substeps per control step
        self._pending = torch.zeros(num_envs, dtype=torch.bool, device=self.device)  # written, not yet forwarded
        self._stale = False  # whether any write asked for a forward pass since the last one
        self._fields: dict[str, torch.Tensor] = {}
        self._cameras: dict[tuple, CameraImages] = {}
        with after_torch(self._wp_device):
            self._forward()

    @property
    def sensordata(self) -> torch.Tensor:
        self._forward_written()
        return self._torch["sensordata"]

    def _forward_written(self) -> None:
        """The forward pass the writes since the last one asked for; the worlds not written keep their derived state."""
        if not self._stale:
            return
        kept = {name: self._torch[name].clone() for name in DERIVED}
        with after_torch(self._wp_device):
            self._forward()
        untouched = ~self._pending
        for name, value in kept.items():
            self._torch[name].copy_(torch.where(rows(untouched, value), value, self._torch[name]))
        self._pending.zero_()
        self._stale = False

    def step(self, ctrl: torch.Tensor, substeps: int) -> torch.Tensor:
        # The step's own forward pass recomputes every world from its state: nothing written waits for another.
        self._pending.zero_()
        self._stale = False
        self._torch["ctrl"].copy_(ctrl)
        if substeps not in self._physics:
            self._physics[substeps] = Replay(lambda: [mjw.step(self._model, self._data) for _ in range(substeps)],
                                             self._wp_device)
        with after_torch(self._wp_device):
            self._physics[substeps]()
        state = torch.cat([self.qpos, self.qvel, self._torch["qacc"]], dim=1)
        diverged = ~(state.abs() <= MAX_STATE).all(dim=1)  # NaN compares false
        self._resetting.copy_(diverged)
        with after_torch(self._wp_device):
            self._reset()
        # A reset world keeps the poses it diverged to until its next forward pass: they must not spoil the tracer's
        # bounding volumes, which all worlds share.
        for name in POSES:
            torch.nan_to_num_(self._torch[name], nan=0.0, posinf=0.0, neginf=0.0)
        return diverged

    def reset(self, mask: torch.Tensor) -> None:
        self._resetting.copy_(self.checked(mask))
        with after_torch(self._wp_device):
            self._reset()

    def write(self, mask: torch.Tensor, qpos: torch.Tensor | None = None, qvel: torch.Tensor | None = None,
              mocap_pos: torch.Tensor | None = None, mocap_quat: torch.Tensor | None = None,
              forward: bool = True) -> None:
        mask = self.checked(mask)
        for name, value in (("qpos", qpos), ("qvel", qvel), ("mocap_pos", mocap_pos), ("mocap_quat", mocap_quat)):
            if value is not None:
                target = self._torch[name]
                target.copy_(torch.where(rows(mask, target), value.to(target), target))
        if forward:
            self._pending |= mask
            self._stale = True

    def model_field(self, name: str) -> torch.Tensor:
        if name not in self._fields:
            field = wp.to_torch(getattr(self._model, name))
            self._fields[name] = field.expand(self.num_envs, *field.shape[1:])  # a shared field reads the same
        return self._fields[name]

    def set_model_field(self, name: str, mask: torch.Tensor, index: torch.Tensor, values: torch.Tensor) -> None:
        if name not in PER_WORLD:
            raise ValueError(f"model field {name!r} is the same in every world on the warp backend; per-world "
                             f"fields are {', '.join(PER_WORLD)} (add it to PER_WORLD in {__name__})")
        field, mask = self.model_field(name), self.checked(mask)
        chosen = field[:, index]
        field[:, index] = torch.where(rows(mask, chosen), values.to(chosen), chosen)

    def render(self, cameras: tuple[str, ...], size: int, env_ids: torch.Tensor | None = None,
               height: int | None = None, depth: bool = False) -> torch.Tensor:
        """See `Backend.render`; every world is drawn (see `CameraImages`), then the asked ones picked."""
        height = height or size
        key = (tuple(cameras), size, height, depth)
        if key not in self._cameras:
            with wp.ScopedDevice(self._wp_device):
                self._cameras[key] = CameraImages(self.model, self._model, self._data, tuple(cameras), size, height,
                                                  depth)
        self._forward_written()
        with after_torch(self._wp_device):
            self._cameras[key].draw()
        images = self._cameras[key].images()
        return images if env_ids is None else images[env_ids.to(self.device)]

    def close(self) -> None:
        """Let go of the device memory now (the replays hold the backend in a cycle the collector frees later)."""
        for name in ("_cameras", "_physics", "_torch", "_fields"):
            getattr(self, name).clear()
        self._reset = self._forward = self._model = self._data = None
        self.qpos = self.qvel = self.mocap_pos = self.mocap_quat = None
