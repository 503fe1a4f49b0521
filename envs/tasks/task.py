"""The task interface. Task logic is torch over batched state, so it runs unchanged on any backend."""

from abc import ABC, abstractmethod
from typing import ClassVar

import mujoco
import torch

from envs.senses import Odours, Sounds


class Task(ABC):
    #: The headline probe (higher is better) and the per-step probe signals of `step` it is computed from.
    probe_name: ClassVar[str]
    probe_signals: ClassVar[tuple[str, ...]]
    #: The per-step signal of `step` that marks a fatal mistake (a fall), which a lifetime counts; None: none.
    fatal_signal: ClassVar[str | None] = None
    #: Whether a scripted animal acts in the world (`reference_action`): the yardstick of competence.
    scripted: ClassVar[bool] = True

    @abstractmethod
    def build(self, spec: mujoco.MjSpec, body, arena) -> None:
        """Add the task's objects (food, predators, shelters) to the spec."""

    @abstractmethod
    def bind(self, model: mujoco.MjModel) -> None:
        """Look up, once, the indices of everything the task reads or writes."""

    @abstractmethod
    def reset(self, backend, mask: torch.Tensor, generator: torch.Generator) -> None:
        """Place the body and the objects of the worlds in `mask` [N] at the start of a life, leaving the others
        as they are (see `envs.backends.backend` for why a mask)."""

    @abstractmethod
    def step(self, backend, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor, dict]:
        """After physics: reward [N], terminated [N] and probe signals {name: [N]} for every world."""

    @abstractmethod
    def probe(self, signals: dict[str, torch.Tensor], dt: float) -> float:
        """The probe score of an evaluation from its per-step signals {name: [steps, N]}, `dt` seconds apart."""

    def measures(self, signals: dict[str, torch.Tensor], dt: float) -> dict[str, float]:
        """Every measure of an evaluation by name, from the same signals as `probe`: the headline probe, and in
        tasks that override this, what else describes the behaviour (falls per minute, gait regularity)."""
        return {self.probe_name: self.probe(signals, dt)}

    @abstractmethod
    def reference_action(self, backend) -> torch.Tensor:
        """A scripted animal's action [N, A] from privileged state: the yardstick of competence."""

    def competence_threshold(self, reference: float, random: float, fraction: float) -> float:
        """The probe score that counts as competent: `fraction` of the scripted reference's. A task whose chance
        level is high (a choice between two sides) counts from the random policy's score instead."""
        return fraction * reference

    def objects(self) -> tuple[str, ...]:
        """Names of the geoms that the appearance factor may resize and recolour (the task's logic then reads
        their size per world from `backend.model_field("geom_size")`)."""
        return ()

    def odour_sources(self, backend) -> Odours | None:
        """What releases odour in every world (food, a predator), for smell; None: the air smells of nothing."""
        return None

    def sound_sources(self, backend) -> Sounds | None:
        """What makes sound in every world (a food call, footsteps), for hearing; None: silence."""
        return None
