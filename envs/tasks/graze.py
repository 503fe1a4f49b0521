"""Graze: a quadruped forages on open pasture, where food lies all around and a fall ends its life.

Foals are on their feet within an hour of birth and follow the mare; from their first day they may nibble a little
grass, though they rarely graze in their first week (Crowell-Davis 2007, after Crowell-Davis et al. 1985). Here the
walking quadruped of `Walk` (legs that swing only fore and aft) grazes: food is eaten by touching it with the snout,
as in `Forage`, smelled and called, but there are no walls. The pasture goes on without end: food lies at random in
a square `patch` metres wide centred on the snout, and an item that falls behind the square's edge as the animal
walks on reappears at the far edge ahead (the pasture repeats every `patch` metres), so the food around it is as
dense wherever it goes. As in `Walk`, a fall (the torso sunk or tipped over) ends the life; the probe is food eaten
per simulated minute until each world's first fall, and falls per minute is its second measure.

The body steers as a tank does, by longer strides on the outer side of a turn, which turns it barely: its scripted
trot turns at about 1.5 degrees a second with a turn of 0.35 and 3.5 with 0.5, when an eighth to a quarter of the
worlds fall within 20 s (feet that swing only fore and aft grip the ground against any turn). So the scripted animal
walks at full drive and turns, gently, only towards food it can reach on so wide a curve. With 5 items in a 3 m patch
it eats 5.3 a minute and never falls, a trot straight on 4.0, and random flailing nothing: it topples within 1.5 s
(32 worlds, 60 s).
"""

from dataclasses import dataclass

import torch

from envs.tasks.fatal_falls import FatalFalls
from envs.tasks.locomotion import toppled

MAX_TURN = 0.3  # the scripted animal's sharpest turn: at 0.4 it fell about once in two world-minutes
REACH_CURVATURE = 0.2  # 1/m: the sharpest curve (a 5 m radius) on which the scripted animal heads for food


@dataclass
class Graze(FatalFalls):
    patch: float = 3.0  # metres: the side of the square of pasture, centred on the snout, in which food lies
    fall_height: float = 0.5  # of the standing torso height: lower is a fall (as in Walk)
    fall_tilt: float = 0.5  # cosine of the torso's tilt from upright: less is a fall (60 degrees)

    def build(self, spec, body, arena) -> None:
        """Needs a body that stands on legs and can fall over (the quadruped)."""
        if not hasattr(body, "stand_height"):
            raise ValueError(f"Graze needs a body that stands on legs and can fall over (the Quadruped), not "
                             f"{type(body).__name__}")
        super().build(spec, body, arena)

    def bind(self, model) -> None:
        super().bind(model)
        self.torso_zaxis = int(model.sensor("pose/body_zaxis").adr[0])

    def _uniform(self, shape: tuple[int, ...], margin: float, generator: torch.Generator) -> torch.Tensor:
        """Uniform in the patch around the origin: open ground has no walls to keep a margin from."""
        return (self._random(shape, generator) * 2 - 1) * (self.patch / 2)

    def _sample_food(self, backend, snout_xy: torch.Tensor, count: int, generator: torch.Generator) -> torch.Tensor:
        """Food positions [n, count, 3] in the patch around the snout, away from it."""
        food = super()._sample_food(backend, torch.zeros_like(snout_xy), count, generator)
        food[..., :2] += snout_xy[:, None]
        return food

    def _wrap_food(self, backend) -> None:
        """Move every item that has fallen out of the patch around the snout to the patch's far side."""
        snout = backend.sensordata[:, self.snout:self.snout + 2]
        food = backend.mocap_pos[:, self.food_ids, :2]
        offset = food - snout[:, None]
        moved = (offset.abs() > self.patch / 2).any(dim=-1)  # [N, num_food]
        rows = moved.any(dim=1)
        if backend.maybe_any(rows):
            wrapped = (offset + self.patch / 2) % self.patch - self.patch / 2
            mocap = backend.mocap_pos.clone()
            mocap[:, self.food_ids, :2] = torch.where(moved[..., None], snout[:, None] + wrapped, food)
            backend.write(rows, mocap_pos=mocap)

    def fallen(self, backend) -> torch.Tensor:
        """Toppled, as in Walk: the torso sunk or tipped over."""
        return toppled(backend, self.body_pos, self.torso_zaxis, self.fall_height * self.body.stand_height,
                       self.fall_tilt)

    def step(self, backend, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor, dict]:
        """Eating on the pasture that moves with the animal; a fall ends the life with a penalty."""
        self._wrap_food(backend)
        return super().step(backend, generator)

    def steering(self, backend) -> tuple[torch.Tensor, torch.Tensor]:
        """Full drive; a gentle turn towards the nearest food ahead that lies on a curve no sharper than
        `REACH_CURVATURE`, else straight on."""
        position = backend.sensordata[:, self.body_pos:self.body_pos + 2]
        heading = backend.sensordata[:, self.body_xaxis:self.body_xaxis + 2]
        heading = heading / heading.norm(dim=1, keepdim=True).clamp_min(1e-6)
        offset = backend.mocap_pos[:, self.food_ids, :2] - position[:, None]  # [N, num_food, 2]
        ahead = (offset * heading[:, None]).sum(-1)
        left = heading[:, None, 0] * offset[..., 1] - heading[:, None, 1] * offset[..., 0]
        distance2 = (offset ** 2).sum(-1)
        curvature = 2 * left / distance2.clamp_min(1e-6)  # of the circle through the food, tangent to the heading
        reachable = (ahead > 0) & (curvature.abs() < REACH_CURVATURE)
        chosen = torch.where(reachable, distance2, torch.inf).argmin(dim=1)
        needed = curvature[torch.arange(len(chosen), device=chosen.device), chosen] * reachable.any(dim=1)
        turn = (needed / REACH_CURVATURE * MAX_TURN * 4).clamp(-MAX_TURN, MAX_TURN)
        return torch.ones_like(turn), turn
