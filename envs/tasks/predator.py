"""A looming predator: a dark ball that appears in the animal's view and homes in on it.

Naive mice flee to shelter from a dark disc that expands overhead, as an approaching bird of prey does on the
retina (Yilmaz and Meister 2013). The predator here appears in the field of view of one of the animal's eyes,
above the horizon, and keeps the bearing it appeared at: it closes in fast (the loom), hovers near the animal,
following it, and then dives. It reaches the animal `STRIKE_SECONDS` after onset unless the animal is in its
shelter by then. It is heard (wingbeats and rustle, loudest where a hen's food call is quiet) and smelled
("predator" odour) while it hunts.
"""

import math

import mujoco
import torch

RADIUS = 0.12  # metres
COLOUR = [0.05, 0.05, 0.05, 1]
START = 1.2  # metres from the eye at onset: about 11 degrees across
HOVER = 0.4  # metres from the eye after the loom: about 33 degrees across
LOOM_SECONDS = 0.8  # from START to HOVER at constant speed: the image grows threefold
STRIKE_SECONDS = 5.0  # after onset the predator reaches the eye
DIVE_SECONDS = 0.4  # the last stretch, from HOVER to the eye
SPREAD = math.radians(15.0)  # appears within this azimuth of the eye's line of sight
RISE = (math.radians(15.0), math.radians(35.0))  # and this far above it
LOWEST, HIGHEST = math.radians(10.0), math.radians(45.0)  # above the horizon; at most this far above the sight line
SOUND_DB = (45.0, 60.0, 65.0)  # per hearing band at 1 m
ODOUR = 3.0  # release rate of predator odour, in food items' worth
HIDDEN = (0.0, 0.0, -1.0)  # under the floor: no predator


def add_predator(spec: mujoco.MjSpec, name: str = "predator") -> None:
    predator = spec.worldbody.add_body(name=name, mocap=True, pos=list(HIDDEN))
    predator.add_geom(name=name, type=mujoco.mjtGeom.mjGEOM_SPHERE, size=[RADIUS, 0, 0], rgba=COLOUR,
                      contype=0, conaffinity=0)


def distance(since_onset: torch.Tensor, strike: float = STRIKE_SECONDS) -> torch.Tensor:
    """Metres from the eye [N] at `since_onset` seconds [N]: the loom, the hover, the dive; 0 once it strikes,
    `strike` seconds after onset."""
    loom = START + (HOVER - START) * (since_onset / LOOM_SECONDS).clamp(0, 1)
    dive = ((strike - since_onset) / DIVE_SECONDS).clamp(0, 1)
    return loom * dive


def approach(sight: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Unit directions [N, 3] from the eye along which the predator appears, given the eyes' lines of sight
    [N, 3]: a little to the side of and above the sight line, above the horizon, inside a 100-degree view."""
    n, draw = len(sight), dict(generator=generator, dtype=sight.dtype, device=sight.device)
    azimuth = torch.atan2(sight[:, 1], sight[:, 0])
    azimuth = azimuth + (torch.rand(n, **draw) * 2 - 1) * SPREAD
    gaze = torch.asin(sight[:, 2].clamp(-1, 1))
    low, high = RISE
    elevation = gaze + low + (high - low) * torch.rand(n, **draw)
    elevation = torch.minimum(elevation.clamp_min(LOWEST), gaze + HIGHEST)
    return torch.stack([torch.cos(elevation) * torch.cos(azimuth), torch.cos(elevation) * torch.sin(azimuth),
                        torch.sin(elevation)], dim=1)
