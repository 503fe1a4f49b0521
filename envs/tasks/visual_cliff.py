"""Visual cliff: placed on a centre board between a shallow and a deep side under glass, the animal steps off
onto one of them. Which side is deep is drawn for every life; the glass holds it up on both, so only the eye
(the checker's apparent size, how it slides past as the head moves, depth) tells them apart.

Gibson and Walk (1960) put day-old chicks, kids and lambs as soon as they could stand, rats and human infants
on such a centre board: nearly all stepped or crawled off onto the shallow side and not onto the deep one.
A crossing ends the trial (a life): onto the shallow side it is rewarded, onto the deep side penalised, as a
real drop would be. The probe is the fraction of crossings onto the shallow side (1: always shallow; a random
walker crosses either way, about 0.5; an animal that never steps off shows no choice and scores 0). As chance
is high, competence is counted from the random policy's score (never below chance) rather than from zero.

Any body that stands on the ground under gravity takes the test (the critter that falls, or the quadruped, as kids
and lambs did); the scripted animal walks it through the body's pilot.
"""

from dataclasses import dataclass

import mujoco
import torch

from envs.tasks.cliff import falling_pilot
from envs.tasks.steering import steer_towards
from envs.tasks.task import Task

CHANCE = 0.5  # the share of shallow crossings of an animal that cannot tell the sides apart
CROSSED = 0.15  # metres beyond the board's edge that the body's centre has reached: it has stepped off


@dataclass
class VisualCliff(Task):
    probe_name = "shallow_crossings"
    probe_signals = ("crossed_shallow", "crossed_deep")

    reward_shallow: float = 1.0
    penalty_deep: float = 1.0
    start_margin: float = 0.2  # metres the start keeps from the table's long walls: more than half the body's
    # length, so that it can turn on the spot

    def build(self, spec: mujoco.MjSpec, body, arena) -> None:
        self.body, self.arena = body, arena

    def bind(self, model: mujoco.MjModel) -> None:
        self.floors = torch.as_tensor([model.body(name).mocapid[0] for name in ("shallow_floor", "deep_floor")])
        self.pilot = falling_pilot(self.body, model, "VisualCliff")
        self.body_pos = int(model.sensor("pose/body_pos").adr[0])
        self.body_xaxis = int(model.sensor("pose/body_xaxis").adr[0])
        self.qpos0 = torch.as_tensor(model.qpos0)
        self.deep_side = torch.zeros(0, dtype=torch.long)

    def reset(self, backend, mask: torch.Tensor, generator: torch.Generator) -> None:
        """On the board's middle line facing anywhere; the deep side (+x or -x) drawn anew."""
        n, device = backend.num_envs, generator.device
        if len(self.deep_side) != n:
            self.deep_side = torch.ones(n, dtype=torch.long, device=device)
        sides = torch.randint(0, 2, (n,), generator=generator, device=device) * 2 - 1
        self.deep_side = torch.where(mask, sides, self.deep_side)
        draw = dict(generator=generator, dtype=torch.float64, device=device)
        qpos = self.qpos0.repeat(n, 1)
        along = self.arena.half_width - self.start_margin
        xy = torch.zeros(n, 2, dtype=torch.float64, device=device)
        xy[:, 1] = (torch.rand(n, **draw) * 2 - 1) * along
        yaw = (torch.rand(n, **draw) * 2 - 1) * torch.pi
        self.pilot.place(qpos, xy, yaw, ground=self.arena.surface)
        mocap = backend.mocap_pos.clone()
        mocap[:, self.floors] = torch.stack(self.arena.floor_positions(self.deep_side), dim=1).to(mocap)
        backend.write(mask, qpos=qpos, qvel=torch.zeros_like(backend.qvel), mocap_pos=mocap)

    def step(self, backend, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor, dict]:
        x = backend.sensordata[:, self.body_pos]
        crossed = x.abs() > self.arena.board_half + CROSSED
        deep = crossed & (torch.sign(x).long() == self.deep_side)
        shallow = crossed & ~deep
        reward = self.reward_shallow * shallow.float() - self.penalty_deep * deep.float()
        return reward, crossed, {"crossed_shallow": shallow.float(), "crossed_deep": deep.float()}

    def probe(self, signals: dict[str, torch.Tensor], dt: float) -> float:
        """Crossings onto the shallow side as a fraction of all crossings; 0 if it never stepped off."""
        shallow, deep = float(signals["crossed_shallow"].sum()), float(signals["crossed_deep"].sum())
        return shallow / (shallow + deep) if shallow + deep else 0.0

    def measures(self, signals: dict[str, torch.Tensor], dt: float) -> dict[str, float]:
        """The probe and crossings per simulated minute per world (an animal that never leaves the board shows
        no preference; this tells it from one that chooses at chance)."""
        crossings = signals["crossed_shallow"] + signals["crossed_deep"]
        per_minute = float(crossings.sum()) / crossings.shape[1] / (crossings.shape[0] * dt / 60.0)
        return {"shallow_crossings": self.probe(signals, dt), "crossings_per_minute": per_minute}

    def competence_threshold(self, reference: float, random: float, fraction: float) -> float:
        """`fraction` of the way from the random walker's score to the reference's. The random walker's score is
        taken as at least chance: in a short evaluation it may have stepped onto the deep side more by luck."""
        floor = max(random, CHANCE)
        return floor + fraction * (reference - floor)

    def reference_action(self, backend) -> torch.Tensor:
        """Turn on the spot towards the shallow side, then walk straight off the board onto it (the body's own
        actions for that, through its pilot)."""
        position = backend.sensordata[:, self.body_pos:self.body_pos + 2]
        heading = backend.sensordata[:, self.body_xaxis:self.body_xaxis + 2]
        target = position.clone()
        target[:, 0] = -self.deep_side.to(position.dtype) * (self.arena.half_length - 0.2)
        drive, turn = steer_towards(position, heading, target)
        drive = torch.where(drive < 0, -1.0, drive)  # stand still while turning: no creeping towards the deep side
        return self.pilot.steer(backend, drive, turn)
