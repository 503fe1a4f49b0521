"""Backends step physics and render cameras for a batch of worlds; they know nothing of tasks."""

from envs.backends.mujoco_cpu import MujocoBackend, UnstableSimulationError

BACKENDS = {"mujoco": MujocoBackend}

__all__ = ["BACKENDS", "MujocoBackend", "UnstableSimulationError"]
