"""A sense: an organ that adds its receptors to a world spec and reads them from the batched state."""

from abc import ABC, abstractmethod

import mujoco
import numpy as np
import torch
from gymnasium import spaces


class Sense(ABC):
    """One entry of the observation dict."""

    name: str

    def add_to(self, spec: mujoco.MjSpec) -> None:
        """Add the receptors this sense needs (sensors, cameras) to the spec before it is compiled."""

    def bind(self, model: mujoco.MjModel) -> None:
        """Look up, once, where this sense's receptors are in the compiled model."""

    def bind_task(self, task) -> None:
        """Keep the world's task, for senses of what it puts in the air (odour and sound sources)."""

    @abstractmethod
    def space(self) -> spaces.Box:
        """The observation space of one world."""

    @abstractmethod
    def read(self, backend, env_ids: torch.Tensor | None = None) -> torch.Tensor:
        """Batched reading [n, ...] for the given worlds (all when None)."""

    def labels(self) -> list[str]:
        """Short names of a vector sense's components, for plots."""
        return [str(index) for index in range(self.space().shape[0])]


class SensorSense(Sense):
    """A vector sense made of MuJoCo sensors, read as one slice of the batched sensordata."""

    def __init__(self, sensors: list[tuple[str, mujoco.mjtSensor, mujoco.mjtObj, str]]):
        self.sensors = sensors
        self.index: torch.Tensor | None = None

    def add_to(self, spec: mujoco.MjSpec) -> None:
        for name, kind, objtype, objname in self.sensors:
            spec.add_sensor(name=f"{self.name}/{name}", type=kind, objtype=objtype, objname=objname)

    def bind(self, model: mujoco.MjModel) -> None:
        columns, self._labels = [], []
        for name, *_ in self.sensors:
            sensor = model.sensor(f"{self.name}/{name}")
            dim = int(sensor.dim[0])
            columns.extend(range(sensor.adr[0], sensor.adr[0] + dim))
            self._labels.extend([name] if dim == 1 else [f"{name} {axis}" for axis in "xyz"[:dim]])
        self.index = torch.as_tensor(columns, dtype=torch.long)

    def labels(self) -> list[str]:
        return self._labels

    def space(self) -> spaces.Box:
        size = 0 if self.index is None else len(self.index)
        return spaces.Box(-np.inf, np.inf, (size,), np.float32)

    def read(self, backend, env_ids: torch.Tensor | None = None) -> torch.Tensor:
        data = backend.sensordata if env_ids is None else backend.sensordata[env_ids]
        return data[:, self.index.to(data.device)].float()
