"""The task interface. Task logic is torch over batched state, so it runs unchanged on any backend."""

from abc import ABC, abstractmethod

import mujoco
import torch


class Task(ABC):
    @abstractmethod
    def build(self, spec: mujoco.MjSpec, body, arena) -> None:
        """Add the task's objects (food, predators, shelters) to the spec."""

    @abstractmethod
    def bind(self, model: mujoco.MjModel) -> None:
        """Look up, once, the indices of everything the task reads or writes."""

    @abstractmethod
    def reset(self, backend, env_ids: torch.Tensor, generator: torch.Generator) -> None:
        """Place the body and the objects of the given worlds at the start of a life."""

    @abstractmethod
    def step(self, backend, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor, dict]:
        """After physics: reward [N], terminated [N] and probe signals {name: [N]} for every world."""

    @abstractmethod
    def reference_action(self, backend) -> torch.Tensor:
        """A scripted animal's action [N, A] from privileged state: the yardstick of competence."""
