"""Locomotion: the quadruped walks forward (+x) over flat or rough ground; a fall ends its life.

It models how soon a precocial newborn gets up and moves: a healthy foal is sternal by 5 minutes after birth,
stands by 1 hour and nurses, following the mare, by 2 hours (Austin 2013). Its headline probe is forward speed
(m/s); falls per minute (a fall is the fatal mistake a lifetime counts), gait regularity (how periodic the foot
contacts are) and duty factor are measured from the same signals.
"""

from dataclasses import dataclass

import mujoco
import torch

from envs.bodies.quadruped import LEGS, TRUNK
from envs.tasks.gait import alive_until_first_fall, duty_factor, falls_per_minute, gait_regularity
from envs.tasks.task import Task

CONTACTS = tuple(f"contact/{leg}" for leg in LEGS)


def toppled(backend, torso_pos: int, torso_zaxis: int, height: float, tilt: float) -> torch.Tensor:
    """Whether each world's torso [N] has sunk below `height` metres or tipped so that its up axis' vertical part
    (the cosine of its tilt) is below `tilt`: a quadruped that cannot get up again has fallen."""
    return (backend.sensordata[:, torso_pos + 2] < height) | (backend.sensordata[:, torso_zaxis + 2] < tilt)


@dataclass
class Locomotion(Task):
    probe_name = "forward_speed"
    probe_signals = ("forward_speed", "fell", *CONTACTS)
    fatal_signal = "fell"

    fall_height: float = 0.5  # of the standing torso height: lower is a fall
    fall_tilt: float = 0.5  # cosine of the torso's tilt from upright: less is a fall (60 degrees)
    fall_penalty: float = 20.0  # the reward is m/s per control step: at 0.05 s a fall costs as much as 1 m of
    # progress, more than diving forward gains
    start_yaw: float = 0.3  # radians either side of +x that a life starts facing

    def build(self, spec: mujoco.MjSpec, body, arena) -> None:
        """Needs a body with feet (the quadruped); ground so high that a torso lying on it stays above the fall
        height would hide a collapse, so it is refused."""
        self.body = body
        fall = self.fall_height * body.stand_height
        if getattr(arena, "roughness", 0.0) >= fall - TRUNK[2]:
            raise ValueError(f"ground {arena.roughness} m rough would hide falls: a torso lying on its highest bumps "
                             f"stays above the fall height ({fall:.2f} m); keep the roughness below "
                             f"{fall - TRUNK[2]:.2f} m or raise fall_height")

    def bind(self, model: mujoco.MjModel) -> None:
        def sensor(name: str) -> int:
            return int(model.sensor(name).adr[0])

        self.torso_pos, self.torso_xaxis = sensor("pose/body_pos"), sensor("pose/body_xaxis")
        self.torso_zaxis, self.torso_velocity = sensor("pose/body_zaxis"), sensor("pose/body_velocity")
        self.feet = torch.as_tensor([sensor(f"pose/{foot}") for foot in self.body.feet()])
        self.pilot = self.body.pilot(model)
        self.qpos0 = torch.as_tensor(model.qpos0)

    def reset(self, backend, mask: torch.Tensor, generator: torch.Generator) -> None:
        """Stand the animal at the origin (level ground), at rest in its standing posture, facing roughly +x."""
        n, draw = backend.num_envs, dict(dtype=torch.float64, device=generator.device)
        qpos = self.qpos0.repeat(n, 1)
        yaw = (torch.rand(n, generator=generator, **draw) * 2 - 1) * self.start_yaw
        self.pilot.place(qpos, torch.zeros(n, 2, **draw), yaw)
        backend.write(mask, qpos=qpos, qvel=torch.zeros_like(backend.qvel))

    def fallen(self, backend) -> torch.Tensor:
        """Torso too low or tipped over [N]."""
        return toppled(backend, self.torso_pos, self.torso_zaxis, self.fall_height * self.body.stand_height,
                       self.fall_tilt)

    def step(self, backend, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor, dict]:
        """Reward forward speed; a fall ends the life with a penalty."""
        speed = backend.sensordata[:, self.torso_velocity].float()
        fell = self.fallen(backend)
        reward = speed - self.fall_penalty * fell.float()
        contacts = (backend.sensordata[:, self.feet] > 0).float()
        signals = {"forward_speed": speed, "fell": fell.float()}
        signals.update({name: contacts[:, i] for i, name in enumerate(CONTACTS)})
        return reward, fell, signals

    def probe(self, signals: dict[str, torch.Tensor], dt: float) -> float:
        """Forward speed in m/s over the whole evaluation, averaged over worlds, counting ground covered only
        until each world's first fall: diving forward and falling, life after life, is no way to travel."""
        fell = signals["fell"]
        alive = alive_until_first_fall(fell)
        return float((signals["forward_speed"] * alive).mean())

    def measures(self, signals: dict[str, torch.Tensor], dt: float) -> dict[str, float]:
        """Speed, falls per simulated minute, gait regularity and duty factor."""
        contacts = torch.stack([signals[name] for name in CONTACTS], dim=-1)
        return {"forward_speed": self.probe(signals, dt), "falls_per_minute": falls_per_minute(signals["fell"], dt),
                "gait_regularity": gait_regularity(contacts, dt), "duty_factor": duty_factor(contacts)}

    def reference_action(self, backend) -> torch.Tensor:
        """The body's trot at full drive, turning its heading back to +x (see `envs.bodies.trot`)."""
        heading = backend.sensordata[:, self.torso_xaxis:self.torso_xaxis + 2]
        yaw = torch.atan2(heading[:, 1], heading[:, 0])
        return self.pilot.steer(backend, torch.ones_like(yaw), (-yaw).clamp(-1, 1))
