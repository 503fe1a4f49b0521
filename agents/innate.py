"""Innate circuits: fixed wiring that a prior puts between the actor's outputs and the body.

The actor's Gaussian keeps its learned spread; a circuit only decides its mean, from the actor's raw outputs,
the fused latent and the observation. It may remember something per world from one step to the next (an
oscillator's phase, the last frame's size of a dark shape). That memory travels inside the observation dict,
under the circuit's own keys (`memory_space`): the learner stores it with the senses in its rollout, so the
update recomputes each stored step's mean from exactly what the acting policy saw, and the first probability
ratio of an update is exactly 1. Encoders read only their senses, so they never see the memory.

A circuit may also change with the agent's age (a reflex that fades): `age` counts env steps lived and moves
only after an update, as the normalisers' statistics do, so a rollout and its update see one age.
"""

import torch
from gymnasium import spaces
from torch import nn

Obs = dict[str, torch.Tensor]


class InnateCircuit(nn.Module):
    """Base of the circuits: by default they remember nothing and do not change with age."""

    memory_space: dict[str, spaces.Box] = {}

    def forward(self, raw_mean: torch.Tensor, latent: torch.Tensor, obs: Obs) -> torch.Tensor:
        """The action mean [B, A] from the actor's raw outputs [B, A], the latent and the obs (memory included)."""
        raise NotImplementedError

    def fresh_memory(self, obs: Obs) -> Obs:
        """What the circuit remembers at a life's first observation `obs` (no memory keys needed)."""
        batch = next(iter(obs.values())).shape[0]
        device = next(iter(obs.values())).device
        return {name: torch.zeros(batch, *space.shape, device=device) for name, space in self.memory_space.items()}

    def next_memory(self, raw_mean: torch.Tensor, latent: torch.Tensor, obs: Obs) -> Obs:
        """The memory after the step taken from `obs`."""
        return {}

    def age(self, steps: int) -> None:
        """`steps` more env steps (summed over worlds) have been lived."""
