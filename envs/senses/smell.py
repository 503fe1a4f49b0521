"""Smell: odour plumes from the task's sources, sampled by two nostrils.

Rats smell in stereo: each nostril samples its own air, and comparing the two within a single sniff
tells the side of the source (Rajan et al. 2006). Real plumes are not smooth gradients: turbulence
breaks them into whiffs and blanks, and far from the source whiffs grow rare (Murlis et al. 1992), so
a forager must integrate over time. Here the mean concentration falls with distance; a quasi-periodic
whiff signal per plume, travelling outward from the source, gates it. The signal is a fixed function of
simulated time and the plume's seed (drawn by the task when the source appears, from the world's
generator), so a world smells the same whichever worlds are read, and the same again for the same seed.
"""

import functools
from typing import NamedTuple

import mujoco
import numpy as np
import torch
from gymnasium import spaces

from envs.senses.sense import SensorSense

ODOURS = ("food", "predator")  # the receptor repertoire: fixed, so the vector is the same in every world

PLUME_RADIUS = 0.3  # m: mean concentration halves at this distance from the source
WHIFF_SPEED = 0.5  # m/s: whiffs travel outward, so they reach the nearer nostril first
WHIFF_HZ = (0.23, 0.61, 1.37, 2.9)  # incommensurate: a whiff pattern that never repeats within a life
WHIFF_PHASES = (1.0, 4.243, 8.660, 15.652)  # turns per unit of seed, incommensurate: each seed its own pattern
WHIFF_SHARPNESS = 0.1  # width of the gate's edge, in units of the whiff signal
WHIFF_THRESHOLD = -0.3  # gate threshold at the source: a whiff most of the time
BLANKS_PER_METRE = 0.3  # the threshold rises with distance: whiffs are rarer far away
DETECTION = 0.01  # concentration (of a source's own at 0 m) that reads log(2)


class Odours(NamedTuple):
    """Odour sources in every world (a task's `odour_sources`)."""

    position: torch.Tensor  # [N, S, 3] metres, world frame
    strength: torch.Tensor  # [N, S, len(ODOURS)] release rate of each odour kind (1: one food item)
    seed: torch.Tensor  # [N, S] in [0, 1): each plume's own turbulence


@functools.lru_cache(maxsize=8)
def _whiff_turns(dtype: torch.dtype, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    """Radians per second and per unit of seed of the whiff signal's components, made once per dtype and device."""
    return (2 * torch.pi * torch.tensor(WHIFF_HZ, dtype=dtype, device=device),
            2 * torch.pi * torch.tensor(WHIFF_PHASES, dtype=dtype, device=device))


def whiffs(time: torch.Tensor, seed: torch.Tensor, distance: torch.Tensor) -> torch.Tensor:
    """Gate in [0, 1] of a plume at `distance` from its source at simulated `time` (broadcast shapes)."""
    per_second, per_seed = _whiff_turns(time.dtype, time.device)
    emitted = torch.sub(time, distance, alpha=1 / WHIFF_SPEED)
    angle = torch.addcmul(per_seed * seed[..., None], per_second, emitted[..., None])
    signal = torch.sin(angle).mean(dim=-1)
    # (signal - threshold) / sharpness, the threshold rising with distance
    edge = torch.sub(signal, distance, alpha=BLANKS_PER_METRE).sub_(WHIFF_THRESHOLD).div_(WHIFF_SHARPNESS)
    return torch.sigmoid(edge)


class Smell(SensorSense):
    """Log-compressed odour concentration, float32 [n, 2 * len(ODOURS)]: (left, right) nostril x ODOURS,
    i.e. left food, left predator, right food, right predator. 0 is clean air; a source's own
    concentration reads about 4.6; worlds whose task releases no odour read zeros."""

    name = "smell"

    def __init__(self, nostrils: tuple[str, str]):
        site = mujoco.mjtObj.mjOBJ_SITE
        receptors = [(nostril, mujoco.mjtSensor.mjSENS_FRAMEPOS, site, nostril) for nostril in nostrils]
        super().__init__([*receptors, ("clock", mujoco.mjtSensor.mjSENS_CLOCK, mujoco.mjtObj.mjOBJ_UNKNOWN, "")])
        self.task = None

    def bind_task(self, task) -> None:
        self.task = task

    def space(self) -> spaces.Box:
        return spaces.Box(0.0, np.inf, (2 * len(ODOURS),), np.float32)

    def labels(self) -> list[str]:
        return [f"{side} {odour}" for side in ("L", "R") for odour in ODOURS]

    def read(self, backend, env_ids: torch.Tensor | None = None) -> torch.Tensor:
        receptors = self.values(backend, env_ids).double()
        nostrils, time = receptors[:, :6].view(-1, 2, 3), receptors[:, 6]
        sources = self.task.odour_sources(backend)
        if sources is None:
            return torch.zeros(len(nostrils), 2 * len(ODOURS), device=receptors.device)
        if env_ids is not None:
            sources = Odours(*(field[env_ids] for field in sources))
        distance = (nostrils[:, :, None] - sources.position[:, None].to(nostrils)).norm(dim=-1)  # [n, 2, S]
        plume = whiffs(time[:, None, None], sources.seed[:, None].to(time), distance)
        plume = plume / (distance / PLUME_RADIUS).square_().add_(1)
        concentration = torch.bmm(plume, sources.strength.to(plume))  # [n, 2, odour]
        return torch.log1p(concentration / DETECTION).flatten(1).float()
