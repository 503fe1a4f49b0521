"""CPU backend: N `MjData`, each with its own copy of the model, stepped and rendered in threads, exposed as
torch tensors without copies.

A world's model is its own so that richness factors can give each world other lights, cameras and object
sizes (`set_model_field`), as a batched GPU model does with per-world fields.
"""

import copy
import os
import weakref
from functools import partial

import mujoco
import numpy as np
import torch

from envs.backends.backend import Backend
from envs.backends.renderer import TiledRenderer
from envs.backends.workers import PinnedWorkers

# MuJoCo resets a diverged world by itself and only counts a warning: these tell the world it happened.
_DIVERGENCE = (mujoco.mjtWarning.mjWARN_BADQPOS, mujoco.mjtWarning.mjWARN_BADQVEL,
               mujoco.mjtWarning.mjWARN_BADQACC, mujoco.mjtWarning.mjWARN_BADCTRL)


class MujocoBackend(Backend):
    """Steps `num_envs` copies of `model` and keeps their state in batched arrays.

    `qpos`, `qvel`, `sensordata`, `mocap_pos` and `mocap_quat` are float64 tensors sharing memory with numpy arrays
    that are refreshed after every step, reset and write, so reading them costs nothing.
    """

    def __init__(self, model: mujoco.MjModel, num_envs: int, threads: int = 0):
        self.model = model
        self.num_envs = num_envs
        self.device = torch.device("cpu")
        self.models = [copy.deepcopy(model) for _ in range(num_envs)]
        self.datas = [mujoco.MjData(model) for _ in range(num_envs)]
        self._fields: dict[str, torch.Tensor] = {}
        self._arrays = {
            "qpos": np.zeros((num_envs, model.nq)),
            "qvel": np.zeros((num_envs, model.nv)),
            "sensordata": np.zeros((num_envs, model.nsensordata)),
            "mocap_pos": np.zeros((num_envs, model.nmocap, 3)),
            "mocap_quat": np.zeros((num_envs, model.nmocap, 4)),
        }
        self.qpos, self.qvel, self.sensordata, self.mocap_pos, self.mocap_quat = (
            torch.from_numpy(a) for a in self._arrays.values())
        # Each worker thread owns a share of the worlds: it steps them and renders their eyes with a GL
        # context of its own, and frees its renderers itself when it stops. A backend dropped without
        # `close` stops its workers too; left to the garbage collector, a renderer would free its GL objects
        # on whichever thread collects it, in whatever context is current there (another world's).
        threads = threads or os.cpu_count() or 1
        self._shares = np.array_split(np.arange(num_envs), min(threads, num_envs))
        self._owner = np.concatenate([np.full(len(share), worker) for worker, share in enumerate(self._shares)])
        self._renderers: list[dict[tuple[int, int], TiledRenderer]] = [{} for _ in self._shares]
        self._workers = PinnedWorkers(len(self._shares), on_exit=partial(_free_renderers, self._renderers))
        self._stop_workers = weakref.finalize(self, self._workers.close, False)
        self._stop_workers.atexit = False  # at exit the process ends; daemon workers must not touch GL then
        for index in range(num_envs):
            mujoco.mj_forward(self.models[index], self.datas[index])
            self._gather(index)

    def _gather(self, index: int) -> None:
        data = self.datas[index]
        arrays = self._arrays
        arrays["qpos"][index] = data.qpos
        arrays["qvel"][index] = data.qvel
        arrays["sensordata"][index] = data.sensordata
        arrays["mocap_pos"][index] = data.mocap_pos
        arrays["mocap_quat"][index] = data.mocap_quat

    def step(self, ctrl: torch.Tensor, substeps: int) -> torch.Tensor:
        ctrl = ctrl.detach().to("cpu", torch.float64).numpy()

        def advance(worker: int, indices: np.ndarray) -> None:
            for index in indices:
                data = self.datas[index]
                data.ctrl[:] = ctrl[index]
                mujoco.mj_step(self.models[index], data, nstep=substeps)  # one call: the GIL is held less
                self._gather(index)

        self._workers.run(advance, self._shares)
        return self._diverged()

    def _diverged(self) -> torch.Tensor:
        """The worlds whose physics MuJoCo found diverged in the last step (and reset), their warnings cleared so
        that each divergence is told once."""
        bad = ~np.isfinite(self._arrays["qpos"]).all(axis=1)
        for index, data in enumerate(self.datas):
            for kind in _DIVERGENCE:
                if data.warning[kind].number > 0:
                    bad[index] = True
                    data.warning[kind].number = 0
        for index in np.flatnonzero(bad):
            if not np.isfinite(self._arrays["qpos"][index]).all():  # diverged without MuJoCo's own reset
                mujoco.mj_resetData(self.models[index], self.datas[index])
                mujoco.mj_forward(self.models[index], self.datas[index])
                self._gather(index)
        return torch.from_numpy(bad)

    def write(self, mask: torch.Tensor, qpos: torch.Tensor | None = None, qvel: torch.Tensor | None = None,
              mocap_pos: torch.Tensor | None = None, mocap_quat: torch.Tensor | None = None,
              forward: bool = True) -> None:
        given = {name: value.detach().cpu().numpy() for name, value in (
            ("qpos", qpos), ("qvel", qvel), ("mocap_pos", mocap_pos), ("mocap_quat", mocap_quat)) if value is not None}
        worlds = np.flatnonzero(self.checked(mask).numpy())
        for index in worlds:
            data = self.datas[index]
            for name, value in given.items():
                getattr(data, name)[:] = value[index]
            if forward:
                mujoco.mj_forward(self.models[index], data)
                self._gather(index)
        if not forward:
            for name, value in given.items():
                self._arrays[name][worlds] = value[worlds]

    def model_field(self, name: str) -> torch.Tensor:
        if name not in self._fields:
            self._fields[name] = torch.from_numpy(np.stack([getattr(m, name) for m in self.models]))
        return self._fields[name]

    def set_model_field(self, name: str, mask: torch.Tensor, index: torch.Tensor, values: torch.Tensor) -> None:
        field = self.model_field(name)
        worlds = np.flatnonzero(self.checked(mask).numpy())
        rows, values = index.cpu().numpy(), values.detach().cpu().numpy().astype(field.numpy().dtype, copy=False)
        field.numpy()[worlds[:, None], rows] = values[worlds]
        # Converted once, not per world: a torch row and its conversion cost several times a numpy row's copy.
        for world in worlds:
            getattr(self.models[world], name)[rows] = values[world]

    def reset(self, mask: torch.Tensor) -> None:
        for index in np.flatnonzero(self.checked(mask).numpy()):
            mujoco.mj_resetData(self.models[index], self.datas[index])
            self._gather(index)

    def render(self, cameras: tuple[str, ...], size: int, env_ids: torch.Tensor | None = None,
               height: int | None = None, depth: bool = False) -> torch.Tensor:
        """See `Backend.render`; each worker draws its share of the worlds as tiles (see `TiledRenderer`)."""
        height = height or size
        ids = np.arange(self.num_envs) if env_ids is None else env_ids.cpu().numpy()
        channels = 4 if depth else 3
        images = np.empty((len(ids), len(cameras), height, size, channels), dtype=np.uint8)
        rows = [np.flatnonzero(self._owner[ids] == worker) for worker in range(len(self._shares))]

        def draw(worker: int, rows: np.ndarray) -> None:
            if not len(rows):
                return
            renderers = self._renderers[worker]
            if (height, size) not in renderers:  # made in this worker's thread, where its context is current
                renderers[height, size] = TiledRenderer(self.model, height, size, len(self._shares[worker]))
            drawn = np.empty((len(rows), height, size, channels), dtype=np.uint8)
            worlds = ids[rows]
            for column, camera in enumerate(cameras):
                renderers[height, size].render([self.models[i] for i in worlds], [self.datas[i] for i in worlds],
                                               camera, drawn)
                images[rows, column] = drawn

        self._workers.run(draw, rows)
        return torch.from_numpy(images)

    def close(self) -> None:
        self._stop_workers.detach()
        self._workers.close()


def _free_renderers(renderers: list[dict], worker: int) -> None:
    for renderer in renderers[worker].values():
        renderer.close()
    renderers[worker].clear()
