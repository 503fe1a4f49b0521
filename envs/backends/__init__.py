"""Backends step physics and render cameras for a batch of worlds; they know nothing of tasks."""

import mujoco
import torch

from envs.backends.backend import Backend, UnstableSimulationError
from envs.backends.mujoco_cpu import MujocoBackend

BACKENDS = ("mujoco", "warp")


def state_device(name: str, device: torch.device) -> torch.device:
    """Where backend `name` keeps the worlds' state when the world delivers its arrays to `device`."""
    return torch.device(device) if name == "warp" else torch.device("cpu")


def make_backend(name: str, model: mujoco.MjModel, num_envs: int, device: torch.device, threads: int) -> Backend:
    """`mujoco`: MuJoCo on the CPU, in `threads` threads, whatever the learner's device. `warp`: mujoco_warp on
    `device` (a GPU, or Warp's CPU device), which needs the `gpu` extra."""
    if name == "mujoco":
        return MujocoBackend(model, num_envs, threads)
    if name == "warp":
        try:
            from envs.backends.mujoco_warp import WarpBackend
        except ImportError as error:
            raise ImportError(f"backend 'warp' needs mujoco_warp and warp ({error}); install them with "
                              "pip install -e '.[gpu]'") from error
        return WarpBackend(model, num_envs, device)
    raise ValueError(f"unknown backend {name!r}; backends: {', '.join(BACKENDS)}")


__all__ = ["BACKENDS", "Backend", "MujocoBackend", "UnstableSimulationError", "make_backend", "state_device"]
