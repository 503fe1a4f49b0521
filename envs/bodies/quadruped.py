"""The quadruped: a small four-legged animal with a free torso, a hip and a knee per leg, and a head with eyes.

Its joints are driven by position actuators (like muscles with stiffness, friendlier to a newborn policy than
raw torques): an action of zero holds a standing posture. Its senses are the eyes (any layout of
`envs.bodies.eyes`), touch at the snout and in the four feet, proprioception of the eight joints and of the torso's
velocity, a vestibular organ in the head, two nostrils either side of the snout (smell) and two ears either side of
the head (hearing), as the critter's. Its parts touch the ground and walls but not each other.

A scripted animal walks it with the trot of `envs.bodies.trot`, through `Quadruped.pilot`.
"""

from dataclasses import dataclass, field

import mujoco
import numpy as np
import torch

from envs.bodies.eyes import add_eyes
from envs.bodies.head_organs import EARS, NOSTRILS, VESTIBULAR, add_head_organs
from envs.bodies.trot import Trot
from envs.senses import Hearing, Proprioception, Sense, Smell, Touch, Vestibular, Vision
from envs.spec_utils import FLOOR_GROUP, SOLID_GROUP

LEGS = ("front_left", "front_right", "hind_left", "hind_right")
HIP_STAND, KNEE_STAND = 0.3, -0.6  # radians: the posture at zero action, feet under the hips
TRUNK = (0.2, 0.08, 0.045)  # metres: half the trunk's length, width and height
FOOT = 0.02  # radius of a foot, metres
# Metres the feet start pressed into the ground, about where the body's weight settles them (2.5 mm). Feet placed
# exactly touching leave rounding to decide whether the first step has contacts: a 1e-9 m nudge then changed a
# scripted trot by 7 mm within 0.25 s, and the CPU and GPU backends parted ways from the first step.
SINK = 0.002


@dataclass(frozen=True)
class Quadruped:
    """Builds the quadruped into a spec. Actions: hip then knee of each leg in `LEGS` order, in [-1, 1]."""

    thigh: float = 0.14  # metres
    shin: float = 0.14
    hip_swing: float = 0.7  # radians either side of the standing angle that an action of +-1 reaches
    knee_swing: float = 0.8
    abduction_swing: float = 0.0  # radians either side that an action of +-1 swings a leg sideways at the hip, which
    # lets it turn (feet that only swing fore and aft grip the ground against any turn); 0: no such joint
    abduction_stiffness: float = 40.0  # N m / rad: stiffer than the hips, or the legs buckle sideways in a trot
    stiffness: float = 15.0  # N m / rad of the position actuators
    eye_fovy: float = 100.0
    eyes: str = "one"  # layout, see envs.bodies.eyes
    depth: bool = False  # the eyes also see distance (a fourth channel)
    trot: Trot = field(default_factory=Trot)  # how a scripted animal walks it

    root: str = "torso"
    snout: str = "snout"
    head: str = "head"

    @property
    def stand_height(self) -> float:
        """Torso height above level ground in the standing posture."""
        hip_below_torso = 0.02
        legs = self.thigh * np.cos(HIP_STAND) + self.shin * np.cos(HIP_STAND + KNEE_STAND)
        return legs + hip_below_torso + FOOT

    def joints(self) -> tuple[str, ...]:
        """The actuated joints in action order: hip, knee (and abduction) of each leg."""
        parts = ("hip", "knee", "abduction") if self.abduction_swing else ("hip", "knee")
        return tuple(f"{leg}_{part}" for leg in LEGS for part in parts)

    @staticmethod
    def feet() -> tuple[str, ...]:
        return tuple(f"{leg}_foot" for leg in LEGS)

    def build(self, spec: mujoco.MjSpec, vision_size: int) -> list[Sense]:
        """Add the body, its actuators and its sense organs; return the senses it offers."""
        # Body parts touch the ground and walls but not each other (contype and conaffinity are one-sided).
        solid = dict(contype=FLOOR_GROUP, conaffinity=SOLID_GROUP, condim=3, friction=[1.0, 0.02, 0.01])
        fur = [0.55, 0.4, 0.3, 1]
        torso = spec.worldbody.add_body(name=self.root, pos=[0, 0, self.stand_height])
        torso.add_freejoint(name="root")
        torso.add_geom(name="trunk", type=mujoco.mjtGeom.mjGEOM_BOX, size=list(TRUNK), density=600,
                       rgba=fur, **solid)
        torso.add_site(name="torso_center", size=[0.01, 0, 0], rgba=[0, 0, 0, 0])

        neck = torso.add_body(name=self.head, pos=[0.23, 0, 0.08])
        neck.add_geom(type=mujoco.mjtGeom.mjGEOM_CAPSULE, fromto=[-0.06, 0, -0.06, 0, 0, 0], size=[0.025, 0, 0],
                      density=300, rgba=fur, **solid)
        neck.add_geom(type=mujoco.mjtGeom.mjGEOM_SPHERE, size=[0.045, 0, 0], density=300, rgba=fur, **solid)
        neck.add_geom(type=mujoco.mjtGeom.mjGEOM_CAPSULE, fromto=[0.03, 0, -0.01, 0.08, 0, -0.02],
                      size=[0.022, 0, 0], density=300, rgba=[0.9, 0.6, 0.6, 1], **solid)
        add_head_organs(neck, self.snout, snout_at=[0.09, 0, -0.02], nostrils_at=[0.095, 0.015, -0.012],
                        ears_at=[-0.01, 0.045, 0.02])
        cameras = add_eyes(neck, self.eyes, forward=0.05, up=0.015, pitch=-0.3, fovy=self.eye_fovy)

        for leg in LEGS:
            self._add_leg(spec, torso, leg, solid)
        self.add_pose_sensors(spec)
        return [
            Vision(camera=cameras, size=vision_size, depth=self.depth),
            Touch(sites=(self.snout, *self.feet())),
            Proprioception(joints=self.joints(), velocity_site="torso_center"),
            Vestibular(site=VESTIBULAR),
            Smell(nostrils=NOSTRILS),
            Hearing(ears=EARS),
        ]

    def _add_leg(self, spec: mujoco.MjSpec, torso, leg: str, solid: dict) -> None:
        x = 0.16 if leg.startswith("front") else -0.16
        y = 0.1 if leg.endswith("left") else -0.1
        hip = torso.add_body(name=f"{leg}_thigh", pos=[x, y, -0.02])
        # Joint ranges are in degrees, as MjSpec's compiler reads angles by default.
        hinge = dict(type=mujoco.mjtJoint.mjJNT_HINGE, axis=[0, 1, 0], damping=0.3, armature=0.01)
        if self.abduction_swing:
            hip.add_joint(name=f"{leg}_abduction", range=np.degrees([-0.6, 0.6]), **{**hinge, "axis": [1, 0, 0]})
        hip.add_joint(name=f"{leg}_hip", range=np.degrees([-1.2, 1.6]), **hinge)
        hip.add_geom(type=mujoco.mjtGeom.mjGEOM_CAPSULE, fromto=[0, 0, 0, 0, 0, -self.thigh], size=[0.022, 0, 0],
                     density=800, rgba=[0.5, 0.36, 0.27, 1], **solid)
        knee = hip.add_body(name=f"{leg}_shin", pos=[0, 0, -self.thigh])
        knee.add_joint(name=f"{leg}_knee", range=np.degrees([-2.0, 0.6]), **hinge)
        knee.add_geom(type=mujoco.mjtGeom.mjGEOM_CAPSULE, fromto=[0, 0, 0, 0, 0, -self.shin], size=[0.016, 0, 0],
                      density=800, rgba=[0.45, 0.32, 0.24, 1], **solid)
        knee.add_geom(type=mujoco.mjtGeom.mjGEOM_SPHERE, pos=[0, 0, -self.shin], size=[FOOT, 0, 0], density=800,
                      rgba=[0.25, 0.2, 0.15, 1], **solid)
        knee.add_site(name=f"{leg}_foot", pos=[0, 0, -self.shin], size=[0.03, 0, 0], rgba=[0, 0, 0, 0])
        swings = ((f"{leg}_hip", HIP_STAND, self.hip_swing, self.stiffness),
                  (f"{leg}_knee", KNEE_STAND, self.knee_swing, self.stiffness))
        if self.abduction_swing:
            swings += ((f"{leg}_abduction", 0.0, self.abduction_swing, self.abduction_stiffness),)
        for joint, stand, swing, stiffness in swings:
            actuator = spec.add_actuator(name=joint, target=joint, trntype=mujoco.mjtTrn.mjTRN_JOINT,
                                         ctrlrange=[stand - swing, stand + swing], ctrllimited=True,
                                         forcerange=[-8, 8], forcelimited=True)
            actuator.set_to_position(kp=stiffness)

    def add_pose_sensors(self, spec: mujoco.MjSpec) -> None:
        """Privileged signals (not senses) that tasks and scripted references read: the torso's position,
        axes and velocity in the world frame (named as the critter's body), where the snout is, whether each foot
        is on the ground and where it is, and the time that paces the scripted trot."""
        site = mujoco.mjtObj.mjOBJ_SITE
        for name, kind in (("pos", mujoco.mjtSensor.mjSENS_FRAMEPOS), ("xaxis", mujoco.mjtSensor.mjSENS_FRAMEXAXIS),
                           ("zaxis", mujoco.mjtSensor.mjSENS_FRAMEZAXIS),
                           ("velocity", mujoco.mjtSensor.mjSENS_FRAMELINVEL)):
            spec.add_sensor(name=f"pose/body_{name}", type=kind, objtype=site, objname="torso_center")
        spec.add_sensor(name="pose/snout_pos", type=mujoco.mjtSensor.mjSENS_FRAMEPOS, objtype=site,
                        objname=self.snout)
        for foot in self.feet():
            spec.add_sensor(name=f"pose/{foot}", type=mujoco.mjtSensor.mjSENS_TOUCH, objtype=site, objname=foot)
            spec.add_sensor(name=f"pose/{foot}_pos", type=mujoco.mjtSensor.mjSENS_FRAMEPOS, objtype=site,
                            objname=foot)
        spec.add_sensor(name="pose/clock", type=mujoco.mjtSensor.mjSENS_CLOCK)

    def pilot(self, model: mujoco.MjModel) -> "QuadrupedPilot":
        """How a scripted animal places and walks this body in a compiled model."""
        return QuadrupedPilot(self, model)


class QuadrupedPilot:
    """A scripted animal's hold on the quadruped: it stands it anywhere, and walks it with the trot."""

    def __init__(self, body: Quadruped, model: mujoco.MjModel):
        self.body = body
        self.root = int(model.joint("root").qposadr[0])
        self.hips = torch.as_tensor([model.joint(f"{leg}_hip").qposadr[0] for leg in LEGS], dtype=torch.long)
        self.knees = torch.as_tensor([model.joint(f"{leg}_knee").qposadr[0] for leg in LEGS], dtype=torch.long)
        self.xaxis = int(model.sensor("pose/body_xaxis").adr[0])
        self.zaxis = int(model.sensor("pose/body_zaxis").adr[0])
        self.clock = int(model.sensor("pose/clock").adr[0])
        self.foot_heights = torch.as_tensor([model.sensor(f"pose/{foot}_pos").adr[0] + 2 for foot in body.feet()])
        self.eased: tuple[torch.Tensor, torch.Tensor, torch.Tensor] | None = None  # per world: clock, drive, turn

    falls = True  # it stands on its feet under gravity anywhere, and can walk off an edge

    def place(self, qpos: torch.Tensor, xy: torch.Tensor, yaw: torch.Tensor, ground: float = 0.0) -> None:
        """Stand the body in `qpos` [n, nq] at `xy` [n, 2] on level ground `ground` metres high, facing `yaw` [n], in
        the posture that zero action holds, its feet settled `SINK` into the ground."""
        zero = torch.zeros_like(yaw)
        qpos[:, self.root:self.root + 2] = xy
        qpos[:, self.root + 2].fill_(ground + self.body.stand_height - SINK)
        qpos[:, self.root + 3:self.root + 7] = torch.stack([torch.cos(yaw / 2), zero, zero, torch.sin(yaw / 2)], 1)
        qpos.index_fill_(1, self.hips, HIP_STAND).index_fill_(1, self.knees, KNEE_STAND)

    def ground_level(self, backend) -> torch.Tensor:
        """The height [N] of the ground under the body as its lowest foot tells (where `place` would have put it): it
        drops as a foot steps off an edge, and not as the body sags, topples or lies on the ground it stood on."""
        return backend.sensordata[:, self.foot_heights].min(dim=1).values - FOOT

    def steer(self, backend, drive: torch.Tensor, turn: torch.Tensor) -> torch.Tensor:
        """The trot's actions [N, 8 or 12] for a critter-like `drive` and `turn` [N] in [-1, 1], righting as it goes
        and, with the trot's `ease`, moving its commands towards these at a limited rate."""
        state = backend.sensordata
        clock = state[:, self.clock]
        if self.body.trot.ease:
            drive, turn = self._ease(clock, drive, turn)
        return self.body.trot.actions(LEGS, clock, self.lean(state), drive, turn,
                                      abduction=bool(self.body.abduction_swing), pitch=state[:, self.xaxis + 2])

    def _ease(self, clock: torch.Tensor, drive: torch.Tensor, turn: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The drive and turn [N] this world's animal follows: each moves towards the command by at most `ease` per
        second of its clock since the last call. A life starts (its clock restarts) marking time on the spot: a
        quadruped that switches at once from a full trot to a full turn the other way topples."""
        if self.eased is None or len(self.eased[0]) != len(clock):
            self.eased = (clock.clone(), -torch.ones_like(clock), torch.zeros_like(clock))
        last, eased_drive, eased_turn = self.eased
        newborn = clock < last
        step = self.body.trot.ease * torch.where(newborn, clock, clock - last)
        eased_drive = torch.where(newborn, -1.0, eased_drive)
        eased_turn = torch.where(newborn, 0.0, eased_turn)
        eased_drive = eased_drive + (drive.to(clock.dtype) - eased_drive).clamp(-step, step)
        eased_turn = eased_turn + (turn.to(clock.dtype) - eased_turn).clamp(-step, step)
        self.eased = (clock.clone(), eased_drive, eased_turn)
        return eased_drive, eased_turn

    def lean(self, state: torch.Tensor) -> torch.Tensor:
        """How far the torso's top leans to its own left [N] (> 0) or right: its z-axis along the level direction
        to its left, whichever way it faces."""
        heading = state[:, self.xaxis:self.xaxis + 2]
        left = torch.stack([-heading[:, 1], heading[:, 0]], dim=1)
        left = left / left.norm(dim=1, keepdim=True).clamp_min(1e-6)
        return (state[:, self.zaxis:self.zaxis + 2] * left).sum(dim=1)
