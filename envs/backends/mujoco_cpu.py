"""CPU backend: N `MjData` of one model, stepped in threads, exposed as torch tensors without copies."""

import os
from concurrent.futures import ThreadPoolExecutor

import mujoco
import numpy as np
import torch

from envs.backends.renderer import TiledRenderer


class UnstableSimulationError(RuntimeError):
    """The physics diverged; continuing would feed garbage to the learner."""


# MuJoCo resets a diverged world by itself and only counts a warning: these make it an error.
_DIVERGENCE = (mujoco.mjtWarning.mjWARN_BADQPOS, mujoco.mjtWarning.mjWARN_BADQVEL,
               mujoco.mjtWarning.mjWARN_BADQACC, mujoco.mjtWarning.mjWARN_BADCTRL)


class MujocoBackend:
    """Steps `num_envs` copies of `model` and keeps their state in batched arrays.

    `qpos`, `qvel`, `sensordata` and `mocap_pos` are torch tensors sharing memory with numpy arrays
    that are refreshed after every step and write, so reading them costs nothing.
    """

    def __init__(self, model: mujoco.MjModel, num_envs: int, threads: int = 0):
        self.model = model
        self.num_envs = num_envs
        self.device = torch.device("cpu")
        self.datas = [mujoco.MjData(model) for _ in range(num_envs)]
        self._arrays = {
            "qpos": np.zeros((num_envs, model.nq)),
            "qvel": np.zeros((num_envs, model.nv)),
            "sensordata": np.zeros((num_envs, model.nsensordata)),
            "mocap_pos": np.zeros((num_envs, model.nmocap, 3)),
        }
        self.qpos, self.qvel, self.sensordata, self.mocap_pos = (
            torch.from_numpy(a) for a in self._arrays.values())
        threads = threads or os.cpu_count() or 1
        self._chunks = [c for c in np.array_split(np.arange(num_envs), min(threads, num_envs)) if len(c)]
        self._pool = ThreadPoolExecutor(len(self._chunks)) if len(self._chunks) > 1 else None
        self._renderers: dict[tuple[int, int], TiledRenderer] = {}
        for index in range(num_envs):
            mujoco.mj_forward(model, self.datas[index])
            self._gather(index)

    def _gather(self, index: int) -> None:
        data = self.datas[index]
        arrays = self._arrays
        arrays["qpos"][index] = data.qpos
        arrays["qvel"][index] = data.qvel
        arrays["sensordata"][index] = data.sensordata
        arrays["mocap_pos"][index] = data.mocap_pos

    def step(self, ctrl: torch.Tensor, substeps: int) -> None:
        """Apply `ctrl` [N, nu] and advance every world by `substeps` physics steps."""
        ctrl = ctrl.detach().to("cpu", torch.float64).numpy()

        def advance(indices: np.ndarray) -> None:
            for index in indices:
                data = self.datas[index]
                data.ctrl[:] = ctrl[index]
                for _ in range(substeps):
                    mujoco.mj_step(self.model, data)
                self._gather(index)

        if self._pool is None:
            advance(self._chunks[0])
        else:
            list(self._pool.map(advance, self._chunks))
        self._check_stable()

    def _check_stable(self) -> None:
        bad = ~np.isfinite(self._arrays["qpos"]).all(axis=1)
        for index, data in enumerate(self.datas):
            if any(data.warning[kind].number > 0 for kind in _DIVERGENCE):
                bad[index] = True
        if bad.any():
            raise UnstableSimulationError(
                f"physics diverged in worlds {np.flatnonzero(bad).tolist()} "
                "(non-finite state or bad acceleration). Lower the model timestep, soften actuator "
                "gains, or check the actions for extreme values."
            )

    def write(self, env_ids: torch.Tensor, qpos: torch.Tensor | None = None,
              qvel: torch.Tensor | None = None, mocap_pos: torch.Tensor | None = None) -> None:
        """Set state for the given worlds and recompute everything derived from it."""
        for row, index in enumerate(env_ids.tolist()):
            data = self.datas[index]
            if qpos is not None:
                data.qpos[:] = qpos[row].numpy()
            if qvel is not None:
                data.qvel[:] = qvel[row].numpy()
            if mocap_pos is not None:
                data.mocap_pos[:] = mocap_pos[row].numpy()
            mujoco.mj_forward(self.model, data)
            self._gather(index)

    def reset(self, env_ids: torch.Tensor) -> None:
        """Return the given worlds to the model's initial state, clearing warnings and time."""
        for index in env_ids.tolist():
            mujoco.mj_resetData(self.model, self.datas[index])

    def render(self, camera: str, size: int, env_ids: torch.Tensor | None = None,
               height: int | None = None) -> torch.Tensor:
        """RGB images [n, height, size, 3] uint8 from `camera` in the given worlds (all when None)."""
        height = height or size
        key = (height, size)
        if key not in self._renderers:
            self._renderers[key] = TiledRenderer(self.model, height, size, self.num_envs)
        datas = self.datas if env_ids is None else [self.datas[i] for i in env_ids.tolist()]
        images = np.empty((len(datas), height, size, 3), dtype=np.uint8)
        self._renderers[key].render(datas, camera, images)
        return torch.from_numpy(images)

    def close(self) -> None:
        for renderer in self._renderers.values():
            renderer.close()
        self._renderers.clear()
        if self._pool is not None:
            self._pool.shutdown()
