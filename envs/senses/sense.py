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
        self._columns: slice | None = None  # the same columns as a slice, where they run on (see bind)

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
        # A sense's sensors are usually added together, so their columns run on: a slice then reads them without
        # the copy and the per-call cost (about ten times a slice's) of indexing with a tensor.
        contiguous = columns == list(range(columns[0], columns[0] + len(columns))) if columns else False
        self._columns = slice(columns[0], columns[-1] + 1) if contiguous else None

    def labels(self) -> list[str]:
        return self._labels

    def space(self) -> spaces.Box:
        size = 0 if self.index is None else len(self.index)
        return spaces.Box(-np.inf, np.inf, (size,), np.float32)

    def values(self, backend, env_ids: torch.Tensor | None = None) -> torch.Tensor:
        """This sense's sensor readings [n, size] in the given worlds (all when None), in the backend's dtype; a
        view of the backend's live state where it can be, which the next step overwrites."""
        data = backend.sensordata if env_ids is None else backend.sensordata[env_ids]
        if self._columns is not None:
            return data[:, self._columns]
        return data[:, self.index.to(data.device)]

    def read(self, backend, env_ids: torch.Tensor | None = None) -> torch.Tensor:
        # A copy even where the backend's data already are float32: `values` may be a view of the live state.
        return self.values(backend, env_ids).to(torch.float32, copy=True)
