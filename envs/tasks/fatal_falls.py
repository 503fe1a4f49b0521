"""Foraging where a fall ends the life: the part that Cliff (a real drop) and Graze (a trot that topples) share.

A fall is a fatal mistake with a penalty of a few food items; the probe counts food only until each world's first
fall (an animal that dives for food and falls, life after life, eats nothing), and falls per minute is its second
measure. A subclass says what a fall is (`fallen`).
"""

from dataclasses import dataclass

import torch

from envs.tasks.forage import Forage
from envs.tasks.gait import alive_until_first_fall, falls_per_minute


@dataclass
class FatalFalls(Forage):
    probe_name = "food_per_minute"
    probe_signals = ("food_eaten", "fell")
    fatal_signal = "fell"

    fall_penalty: float = 5.0  # five items' worth

    def fallen(self, backend) -> torch.Tensor:
        """Whether each world's animal [N] has fallen this step."""
        raise NotImplementedError

    def step(self, backend, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor, dict]:
        """Forage's eating; a fall ends the life with the penalty."""
        reward, _, signals = super().step(backend, generator)
        fell = self.fallen(backend)
        reward = torch.where(fell, -self.fall_penalty, reward)
        return reward, fell, {**signals, "fell": fell.float()}

    def probe(self, signals: dict[str, torch.Tensor], dt: float) -> float:
        """Food eaten per simulated minute until each world's first fall, over the whole evaluation."""
        alive = alive_until_first_fall(signals["fell"])
        return super().probe({"food_eaten": signals["food_eaten"] * alive}, dt)

    def measures(self, signals: dict[str, torch.Tensor], dt: float) -> dict[str, float]:
        """The probe and falls per simulated minute per world (each fall ends a life; the next begins at once)."""
        return {"food_per_minute": self.probe(signals, dt), "falls_per_minute": falls_per_minute(signals["fell"], dt)}
