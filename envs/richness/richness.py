"""The factors one world varies, drawn from their training or their held-out ranges."""

import torch

from envs.richness.factor import Parts
from envs.richness.presets import FACTORS


class Richness:
    def __init__(self, factors: tuple[str, ...] = (), held_out: bool = False):
        unknown = [name for name in factors if name not in FACTORS]
        if unknown:
            raise ValueError(f"unknown richness factors {unknown}; factors: {', '.join(FACTORS)}")
        self.names, self.held_out = tuple(factors), held_out
        self.factors = [FACTORS[name](held_out) for name in factors]
        self._dynamic = [factor for factor in self.factors if factor.dynamic]

    def build(self, spec, parts: Parts) -> None:
        for factor in self.factors:
            factor.build(spec, parts)

    def bind(self, model) -> None:
        for factor in self.factors:
            factor.bind(model)

    def reset(self, backend, mask: torch.Tensor, generator: torch.Generator) -> None:
        for factor in self.factors:
            factor.reset(backend, mask, generator)

    def step(self, backend, generator: torch.Generator, dt: float) -> None:
        for factor in self._dynamic:
            factor.step(backend, generator, dt)

    def perturb(self, observation: dict, env_ids: torch.Tensor | None, generator: torch.Generator) -> dict:
        for factor in self.factors:
            factor.perturb(observation, env_ids, generator)
        return observation
