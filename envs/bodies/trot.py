"""The scripted trot: how a scripted quadruped walks where it is told, and keeps itself upright.

Diagonal legs move together, half a stride from the other pair. A swinging foot lifts (knee flexed) and swings
forward; a standing foot pushes back at an even pace. The legs on the side the torso leans towards straighten (a
righting reflex). It steers as a tank does: the legs on the outer side of a turn take longer strides (in a sharp
turn the inner legs step backwards); legs that also swing sideways sweep the front and hind feet to opposite sides
while they stand, which turns the body far better, as feet that only swing fore and aft grip the ground against a
turn. Turning at speed is its weak point. Three more reflexes, off by default, keep a turning trot on its feet: the
legs level the torso fore and aft as they do sideways (a quadruped whose nose rises walks backwards and rears over),
it stops striding while its nose is up (pushing on rears it further, as against a wall) and stops turning while it
leans (a turn tips it further). The scripted animal (`Quadruped.pilot`) also eases its commands in, at a limited rate.
"""

import math
from dataclasses import dataclass

import torch

PHASE = {"front_left": 0.0, "hind_right": 0.0, "front_right": 0.5, "hind_left": 0.5}  # of a stride


@dataclass(frozen=True)
class Trot:
    """Stride frequency, hip swing at full drive, knee flexion while a foot swings, the righting reflex (knee action
    per unit of sideways lean) and the steering (stride change per unit of turn); actions are in [-1, 1]."""

    hz: float = 2.0
    stride: float = 0.4
    lift: float = 1.0
    righting: float = 4.5
    steer: float = 1.0
    swerve: float = 1.0  # sideways sweep of a foot per unit of turn, for legs that swing sideways
    slowing: float = 0.0  # stride lost per unit of turn: a quadruped trotting fast through a turn topples
    pitching: float = 0.0  # knee action per unit of nose-up pitch: the hind legs straighten, the front legs flex
    halt_pitch: float = 0.0  # nose-up pitch (sine) at which it stops striding, from full stride at level; 0: never
    halt_lean: float = 0.0  # sideways lean at which it stops turning, from a full turn when upright; 0: never
    ease: float = 0.0  # how fast (per second) the scripted animal's drive and turn may change; 0: at once

    def actions(self, legs: tuple[str, ...], time: torch.Tensor, lean: torch.Tensor, drive: torch.Tensor,
                turn: torch.Tensor, abduction: bool = False, pitch: torch.Tensor | None = None) -> torch.Tensor:
        """Hip, knee (and, with `abduction`, sideways) actions of each of `legs` [N, 2 or 3 * len(legs)] at simulated
        `time` [N] with the torso's top leaning `lean` [N] to its own left (> 0) or right and its nose pitched up
        by `pitch` [N] (the sine; needed by the pitch reflexes). `drive` [N] in [-1, 1] runs from marking time to
        full strides, and `turn` [N] in [-1, 1] turns left (> 0) or right, as a critter's drive and turn actions do."""
        if (self.pitching or self.halt_pitch) and pitch is None:
            raise ValueError("this trot levels the torso fore and aft: pass its nose-up pitch (pitch=...)")
        turn = turn.float()
        if self.halt_lean:
            turn = turn * (1 - lean.float().abs() / self.halt_lean).clamp(0, 1)
        forward = (drive.float() + 1) / 2 * (1 - self.slowing * turn.abs()).clamp_min(0)
        if self.halt_pitch:
            forward = forward * (1 - pitch.float() / self.halt_pitch).clamp(0, 1)
        cycles = (time * self.hz).float()
        actions = []
        for leg in legs:
            side = 1.0 if leg.endswith("left") else -1.0
            phase = (cycles + PHASE[leg]) % 1.0
            swinging = phase < 0.5
            progress = torch.where(swinging, phase, phase - 0.5) * 2  # 0 to 1 through the swing or the stance
            stride = (self.stride * (forward - side * self.steer * turn)).clamp(-1, 1)
            # hip > 0 puts the foot behind: a swing brings it from behind to in front, a stance pushes it back
            sweep = torch.where(swinging, torch.cos(math.pi * progress), 2 * progress - 1)  # +1 at the back
            hip = stride * sweep
            end = 1.0 if leg.startswith("front") else -1.0
            knee = -self.lift * torch.sin(math.pi * progress) * swinging + self.righting * side * lean.float()
            if self.pitching:
                knee = knee - self.pitching * end * pitch.float()
            joints = [hip, knee.clamp(-1, 1)]
            if abduction:
                joints.append((-end * self.swerve * turn * sweep).clamp(-1, 1))
            actions.append(torch.stack(joints, dim=1))
        return torch.cat(actions, dim=1)
