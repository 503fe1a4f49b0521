"""Cliff: forage on a raised platform whose edges drop away. Walking off an edge is a real fall: it ends the
life with a penalty, a fatal mistake an animal makes at most once.

Newborn animals avoid drops before they could have learned to: chicks, kids, lambs and rats placed between
a shallow and a deep side keep to the shallow one (Gibson and Walk 1960; see `VisualCliff` for their test).
Here the drop is real and food lies on the platform, some of it near the edge, so a forager must reach close
to the brink without going over. The probe is food eaten per simulated minute with falls ending lives: once
a world's animal falls, it eats nothing more for the rest of the evaluation. Falls per minute is the second
measure, and `fell` is the signal a lifetime counts as fatal mistakes.
"""

from dataclasses import dataclass

import torch

from envs.bodies.eyes import keep_near_clip
from envs.tasks.fatal_falls import FatalFalls
from envs.tasks.steering import steer_towards

FALLEN = 0.05  # metres below the platform's top: the body has gone over the edge
EDGE_BAND = (0.08, 0.2)  # metres inside the edge where food near the edge lies
LOOKAHEAD = 0.1  # metres ahead of its centre that the scripted critter keeps on the platform: twice its stopping
# distance (a body that reaches further ahead or stops slower needs more, see `Cliff.lookahead`)


def falling_pilot(body, model, task: str):
    """The body's pilot (see `Critter.pilot`), which a task about drops needs to stand on the ground under gravity;
    a body that cannot fall is an error."""
    pilot = body.pilot(model)
    if not pilot.falls:
        raise ValueError(f"{task} needs a body that can fall (stands on the ground under gravity), e.g. "
                         "Critter(falls=True) or Quadruped()")
    return pilot


@dataclass
class Cliff(FatalFalls):
    num_near_edge: int = 2  # of the food items, how many always lie near an edge
    lookahead: float = LOOKAHEAD  # metres ahead of its centre that the scripted animal keeps on the platform
    keep_off: float = 0.0  # metres from the edge that the scripted animal keeps its centre, for a wide body whose
    # side feet step off as it walks along the edge

    def bind(self, model) -> None:
        """The yard below the platform stretches the model's extent: the eyes' near clipping plane is kept where the
        pen's eyes have it (at the default it would cut the platform at the animal's feet, and the eyes would see the
        ground below through it, a drop wherever they looked)."""
        super().bind(model)
        keep_near_clip(model)
        self.pilot = falling_pilot(self.body, model, "Cliff")
        self.surface = self.arena.surface

    def _sample_food(self, backend, snout_xy: torch.Tensor, count: int, generator: torch.Generator) -> torch.Tensor:
        """As in forage, on the platform's top; the first `num_near_edge` items lie in a band along an edge."""
        food = super()._sample_food(backend, snout_xy, count, generator)
        near = min(self.num_near_edge, count)
        if near:
            n, device = len(snout_xy), generator.device
            low, high = EDGE_BAND
            inset = low + (high - low) * torch.rand(n, near, generator=generator, dtype=food.dtype, device=device)
            side = torch.randint(0, 4, (n, near), generator=generator, device=device)  # +x, -x, +y, -y
            sign = torch.where(side % 2 == 0, 1.0, -1.0).to(food.dtype)
            axis = side // 2
            along = food[:, :near, :2].clone()
            along.scatter_(2, axis[..., None], (sign * (self.arena.half - inset))[..., None])
            food[:, :near, :2] = along
        food[..., 2] += self.surface
        return food

    def fallen(self, backend) -> torch.Tensor:
        """Gone over the edge: the body's lowest point below the platform's top."""
        return self.pilot.ground_level(backend) < self.surface - FALLEN

    def steering(self, backend) -> tuple[torch.Tensor, torch.Tensor]:
        """Forage, but never let the point a little ahead leave the platform: stand there and turn towards the
        platform's middle; and with the centre within `keep_off` of the edge, head for the middle."""
        drive, turn = super().steering(backend)
        position = backend.sensordata[:, self.body_pos:self.body_pos + 2]
        heading = backend.sensordata[:, self.body_xaxis:self.body_xaxis + 2]
        ahead = position + self.lookahead * heading
        brink = (ahead.abs() > self.arena.half).any(dim=1)
        away, home = steer_towards(position, heading, torch.zeros_like(position))
        drive, turn = torch.where(brink, -1.0, drive), torch.where(brink, home, turn)
        if self.keep_off:
            near = (position.abs() > self.arena.half - self.keep_off).any(dim=1)
            drive, turn = torch.where(near, away, drive), torch.where(near, home, turn)
        return drive, turn
