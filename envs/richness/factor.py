"""A richness factor: one way worlds differ between lives (and within one), drawn per world at reset.

Every quantity a factor draws has a training range and a disjoint held-out range: training worlds draw from
the first, held-out evaluation worlds from the second, so an evaluation shows the agent views, lights and
sizes it never saw.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

import mujoco
import torch


@dataclass(frozen=True)
class Span:
    """A training interval and a disjoint held-out interval of one quantity. `symmetric`: the intervals are of
    the magnitude, and each draw takes a random sign (e.g. a camera tilted up or down)."""

    train: tuple[float, float]
    held_out: tuple[float, float]
    symmetric: bool = False

    def __post_init__(self):
        (a, b), (c, d) = self.train, self.held_out
        if a > b or c > d or (b > c and d > a):
            raise ValueError(f"a span needs ordered, disjoint training {self.train} and held-out {self.held_out} "
                             "intervals")

    def sample(self, shape: tuple[int, ...], generator: torch.Generator, held_out: bool) -> torch.Tensor:
        low, high = self.held_out if held_out else self.train
        device = generator.device
        value = low + (high - low) * torch.rand(shape, generator=generator, dtype=torch.float64, device=device)
        if self.symmetric:
            value = value * (torch.randint(0, 2, shape, generator=generator, device=device) * 2 - 1)
        return value


@dataclass
class Parts:
    """What a factor may vary: the world's senses, arena and task, before and after the spec is compiled."""

    senses: list
    arena: object
    task: object


class Factor(ABC):
    name: ClassVar[str]
    #: Called every control step (drift, jitter, motion); factors that only draw at reset leave it False.
    dynamic: ClassVar[bool] = False

    def __init__(self, held_out: bool = False):
        self.held_out = held_out

    def build(self, spec: mujoco.MjSpec, parts: Parts) -> None:
        """Add what the factor needs to the spec (materials, objects) and remember what it varies."""

    def bind(self, model: mujoco.MjModel) -> None:
        """Look up, once, the indices of what it varies."""

    @abstractmethod
    def reset(self, backend, mask: torch.Tensor, generator: torch.Generator) -> None:
        """Draw this factor's values for the worlds in `mask` [N] at the start of a life (see `envs.backends.backend`
        for why a mask)."""

    def step(self, backend, generator: torch.Generator, dt: float) -> None:
        """Advance within-life changes by `dt` seconds (dynamic factors only)."""

    def perturb(self, observation: dict[str, torch.Tensor], env_ids: torch.Tensor | None,
                generator: torch.Generator) -> None:
        """Change observations in place (sensory noise only)."""
