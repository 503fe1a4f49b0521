"""The critter: a small animal that glides in the plane and pans and tilts its head.

By default it glides at a fixed height and cannot fall. With `falls=True` it also slides vertically under
gravity and stands on one small frictionless foot under its centre of mass: it is held up while that centre
is over the ground and drops when it passes an edge, as an animal whose weight is past the brink goes over.

Its sense organs are one eye on the head, touch at the snout and the body, proprioception of the
head joints and the body's own velocity, a vestibular organ (gyro and accelerometer) in the head, two
nostrils either side of the snout (smell) and two ears either side of the head (hearing).

A scripted animal moves it through `Critter.pilot`: its own actions already are a drive and a turn.
"""

from dataclasses import dataclass

import mujoco
import numpy as np
import torch

from envs.bodies.eyes import add_eyes
from envs.bodies.head_organs import EARS, NOSTRILS, VESTIBULAR, add_head_organs
from envs.senses import Hearing, Proprioception, Sense, Smell, Touch, Vestibular, Vision
from envs.spec_utils import FLOOR_GROUP, SOLID_GROUP

HEIGHT = 0.06  # torso axis above the floor, metres
FOOT = 0.01  # radius of the foot of a body that can fall; its sole is the root's height
# Metres the foot of a body that can fall starts pressed into the ground, about where its weight settles it (0.37
# mm): a foot placed exactly touching leaves rounding to decide whether the first step has a contact.
SINK = 0.0003
# Radians either side of straight ahead that the head pans and tilts. The joints' ranges are given to MjSpec in
# degrees (its compiler's default unit); the position actuators' targets are in radians.
PAN_LIMIT, TILT_LIMIT = 1.0, 0.5


@dataclass(frozen=True)
class Critter:
    """Builds the critter into a spec. Actions: drive (standing to full speed), turn, head pan, head tilt."""

    max_speed: float = 0.5  # m/s at full forward drive
    max_turn: float = 3.0  # rad/s at full turn
    eye_fovy: float = 100.0  # degrees; animals have wide fields of view
    eyes: str = "one"  # layout, see envs.bodies.eyes: one, binocular (frontal) or lateral (chick, mouse)
    depth: bool = False  # the eyes also see distance (a fourth channel)
    falls: bool = False  # stands on the ground under gravity (joint "z"): it can walk off an edge and fall

    root: str = "critter"
    snout: str = "snout"
    head: str = "head"

    def build(self, spec: mujoco.MjSpec, vision_size: int) -> list[Sense]:
        """Add the body, its actuators and its sense organs; return the senses it offers."""
        root = spec.worldbody.add_body(name=self.root)
        slide_damping, turn_damping = 5.0, 0.1
        root.add_joint(name="x", type=mujoco.mjtJoint.mjJNT_SLIDE, axis=[1, 0, 0], damping=slide_damping)
        root.add_joint(name="y", type=mujoco.mjtJoint.mjJNT_SLIDE, axis=[0, 1, 0], damping=slide_damping)
        if self.falls:
            self._add_foot(root)
        root.add_joint(
            name="yaw", type=mujoco.mjtJoint.mjJNT_HINGE, axis=[0, 0, 1], damping=turn_damping, armature=0.01
        )
        solid = dict(contype=SOLID_GROUP, conaffinity=SOLID_GROUP)
        root.add_geom(
            name="torso", type=mujoco.mjtGeom.mjGEOM_CAPSULE, fromto=[-0.1, 0, HEIGHT, 0.07, 0, HEIGHT],
            size=[0.05, 0, 0], mass=0.5, rgba=[0.55, 0.4, 0.3, 1], **solid,
        )
        for side in (-1, 1):  # ears make the heading visible from above
            root.add_geom(
                type=mujoco.mjtGeom.mjGEOM_SPHERE, pos=[-0.08, 0.04 * side, HEIGHT + 0.04],
                size=[0.015, 0, 0], mass=0.001, rgba=[0.4, 0.28, 0.2, 1], contype=0, conaffinity=0,
            )
        root.add_site(name="body_touch", type=mujoco.mjtGeom.mjGEOM_ELLIPSOID, pos=[-0.01, 0, HEIGHT],
                      size=[0.15, 0.07, 0.07], rgba=[0, 0, 0, 0])
        root.add_site(name="body_center", pos=[0, 0, HEIGHT], size=[0.01, 0, 0], rgba=[0, 0, 0, 0])

        neck = root.add_body(name="neck", pos=[0.1, 0, HEIGHT + 0.03])
        neck.add_joint(name="head_pan", type=mujoco.mjtJoint.mjJNT_HINGE, axis=[0, 0, 1],
                       range=np.degrees([-PAN_LIMIT, PAN_LIMIT]), damping=0.03, armature=0.001)
        neck.add_geom(type=mujoco.mjtGeom.mjGEOM_SPHERE, size=[0.025, 0, 0], mass=0.005,
                      rgba=[0.55, 0.4, 0.3, 1], contype=0, conaffinity=0)
        head = neck.add_body(name=self.head)
        head.add_joint(name="head_tilt", type=mujoco.mjtJoint.mjJNT_HINGE, axis=[0, 1, 0],
                       range=np.degrees([-TILT_LIMIT, TILT_LIMIT]), damping=0.03, armature=0.001)
        head.add_geom(type=mujoco.mjtGeom.mjGEOM_SPHERE, size=[0.04, 0, 0], mass=0.02,
                      rgba=[0.6, 0.45, 0.35, 1], **solid)
        head.add_geom(type=mujoco.mjtGeom.mjGEOM_CAPSULE, fromto=[0.02, 0, -0.01, 0.06, 0, -0.015],
                      size=[0.02, 0, 0], mass=0.005, rgba=[0.9, 0.6, 0.6, 1], **solid)
        add_head_organs(head, self.snout, snout_at=[0.07, 0, -0.015], nostrils_at=[0.065, 0.015, -0.01],
                        ears_at=[-0.01, 0.04, 0.015])
        cameras = add_eyes(head, self.eyes, forward=0.045, up=0.01, pitch=-0.25, fovy=self.eye_fovy)

        spec.add_exclude(bodyname1=self.root, bodyname2=self.head)
        # Like most animals it has no reverse gear: the drive action spans standing still to full speed,
        # so a newborn's zero action already walks (half speed) and explores.
        drive_force = self.max_speed * slide_damping
        spec.add_actuator(name="drive", target="body_center", trntype=mujoco.mjtTrn.mjTRN_SITE,
                          gear=[drive_force, 0, 0, 0, 0, 0], ctrlrange=[0, 1], ctrllimited=True)
        spec.add_actuator(name="turn", target="yaw", trntype=mujoco.mjtTrn.mjTRN_JOINT,
                          gear=[self.max_turn * turn_damping, 0, 0, 0, 0, 0], ctrlrange=[-1, 1],
                          ctrllimited=True)
        for joint, limit in (("head_pan", PAN_LIMIT), ("head_tilt", TILT_LIMIT)):
            actuator = spec.add_actuator(name=joint, target=joint, trntype=mujoco.mjtTrn.mjTRN_JOINT,
                                         ctrlrange=[-limit, limit], ctrllimited=True)
            actuator.set_to_position(kp=0.2)

        self.add_pose_sensors(spec)
        return [
            Vision(camera=cameras, size=vision_size, depth=self.depth),
            Touch(sites=(self.snout, "body_touch")),
            Proprioception(joints=("head_pan", "head_tilt"), velocity_site="body_center"),
            Vestibular(site=VESTIBULAR),
            Smell(nostrils=NOSTRILS),
            Hearing(ears=EARS),
        ]

    @staticmethod
    def _add_foot(root: mujoco.MjsBody) -> None:
        """A vertical slide and a frictionless point-like foot that only the ground (floor group) holds up: the
        drive still sets the pace, and walls still meet the torso as before."""
        root.add_joint(name="z", type=mujoco.mjtJoint.mjJNT_SLIDE, axis=[0, 0, 1])
        root.add_geom(name="foot", type=mujoco.mjtGeom.mjGEOM_SPHERE, pos=[0, 0, FOOT], size=[FOOT, 0, 0],
                      mass=0.01, rgba=[0, 0, 0, 0], group=3, condim=1, priority=1, contype=FLOOR_GROUP,
                      conaffinity=FLOOR_GROUP)

    @staticmethod
    def add_pose_sensors(spec: mujoco.MjSpec) -> None:
        """Privileged pose signals (not senses) that tasks and scripted references read."""
        site = mujoco.mjtObj.mjOBJ_SITE
        spec.add_sensor(name="pose/body_pos", type=mujoco.mjtSensor.mjSENS_FRAMEPOS, objtype=site,
                        objname="body_center")
        spec.add_sensor(name="pose/body_xaxis", type=mujoco.mjtSensor.mjSENS_FRAMEXAXIS, objtype=site,
                        objname="body_center")
        spec.add_sensor(name="pose/snout_pos", type=mujoco.mjtSensor.mjSENS_FRAMEPOS, objtype=site,
                        objname="snout")

    def pilot(self, model: mujoco.MjModel) -> "CritterPilot":
        """How a scripted animal places and moves this body in a compiled model."""
        return CritterPilot(model)


class CritterPilot:
    """A scripted animal's hold on the critter: it places the body by its planar joints (and, on a body that falls,
    its vertical slide), and drives and turns it with the critter's own actions, the head held straight."""

    def __init__(self, model: mujoco.MjModel):
        self.root_qpos = torch.as_tensor([model.joint(name).qposadr[0] for name in ("x", "y", "yaw")])
        joints = {model.joint(index).name for index in range(model.njnt)}
        self.height_qpos = int(model.joint("z").qposadr[0]) if "z" in joints else None

    @property
    def falls(self) -> bool:
        """Whether the body stands on the ground under gravity (can be set on a raised surface, and walk off it)."""
        return self.height_qpos is not None

    def place(self, qpos: torch.Tensor, xy: torch.Tensor, yaw: torch.Tensor, ground: float = 0.0) -> None:
        """Put the body in `qpos` [n, nq] at `xy` [n, 2], facing `yaw` [n], standing on ground `ground` metres high
        (only a body that falls stands anywhere but on the floor)."""
        qpos[:, self.root_qpos] = torch.cat([xy, yaw[:, None]], dim=1)  # one index of a tensor: no host read
        if self.falls:
            qpos[:, self.height_qpos].fill_(ground - SINK)
        elif ground:
            raise ValueError(f"a gliding critter cannot stand on ground {ground} m high; build it with "
                             "Critter(falls=True)")

    def ground_level(self, backend) -> torch.Tensor:
        """The height [N] of the ground under the body as its pose tells (where `place` would have put it): it
        drops as the body falls off an edge."""
        if not self.falls:
            return torch.zeros_like(backend.qpos[:, 0])
        return backend.qpos[:, self.height_qpos] + SINK

    @staticmethod
    def steer(backend, drive: torch.Tensor, turn: torch.Tensor) -> torch.Tensor:
        """The actions [N, 4] for `drive` and `turn` [N] in [-1, 1]."""
        head = torch.zeros_like(turn)
        return torch.stack([drive, turn, head, head], dim=1).float()
