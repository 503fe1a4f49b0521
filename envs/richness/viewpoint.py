"""Viewpoint: where each eye sits on the head and how wide it sees, and the head's jitter while moving.

Animals see their world from viewpoints that change all the time; a newborn chick's recognition of an object
generalises to views it has never seen only if it was reared seeing several (Wood and Wood 2018).
"""

import torch

from envs.constants import constant
from envs.richness.factor import Factor, Parts, Span
from envs.senses import Vision

PITCH = Span(train=(0.0, 8.0), held_out=(10.0, 15.0), symmetric=True)  # degrees the eye is mounted up or down
YAW = Span(train=(0.0, 8.0), held_out=(10.0, 15.0), symmetric=True)  # degrees to the side
FOV_SCALE = Span(train=(0.85, 1.0), held_out=(1.05, 1.15))  # of the body's own field of view
JITTER = Span(train=(0.0, 1.0), held_out=(1.5, 2.5))  # degrees of random head shake per control step


def rotation(axis: int, degrees: torch.Tensor) -> torch.Tensor:
    """Unit quaternions (w, x, y, z) [n, 4] of rotations by `degrees` [n] about a frame axis (0 x, 1 y, 2 z)."""
    half = torch.deg2rad(degrees) / 2
    quaternion = torch.zeros(*degrees.shape, 4, dtype=torch.float64, device=degrees.device)
    quaternion[..., 0] = torch.cos(half)
    quaternion[..., 1 + axis] = torch.sin(half)
    return quaternion


def multiply(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Hamilton products of quaternions [..., 4]."""
    aw, ax, ay, az = a.unbind(-1)
    bw, bx, by, bz = b.unbind(-1)
    return torch.stack([aw * bw - ax * bx - ay * by - az * bz, aw * bx + ax * bw + ay * bz - az * by,
                        aw * by - ax * bz + ay * bw + az * bx, aw * bz + ax * by - ay * bx + az * bw], dim=-1)


def left_product(a: torch.Tensor) -> torch.Tensor:
    """Matrices [..., 4, 4] with `left_product(a) @ b` the Hamilton product `a b`: one fixed quaternion times
    a new one is then one matrix product."""
    w, x, y, z = a.unbind(-1)
    return torch.stack([w, -x, -y, -z, x, w, -z, y, y, z, w, -x, z, -y, x, w], dim=-1).view(*a.shape[:-1], 4, 4)


class Viewpoint(Factor):
    name = "viewpoint"
    dynamic = True

    def build(self, spec, parts: Parts) -> None:
        self.cameras = [camera for sense in parts.senses if isinstance(sense, Vision) for camera in sense.cameras]

    def bind(self, model) -> None:
        ids = [model.camera(name).id for name in self.cameras]
        self.ids = torch.as_tensor(ids, dtype=torch.long)
        self.mount_quat = torch.as_tensor(model.cam_quat[ids])  # [E, 4] as the body built it
        self.fovy = torch.as_tensor(model.cam_fovy[ids])
        self.quat: torch.Tensor | None = None

    def reset(self, backend, mask, generator) -> None:
        if not len(self.ids):
            return
        n, eyes = backend.num_envs, len(self.ids)
        if self.quat is None:
            self.quat = self.mount_quat.repeat(n, 1, 1)
            self.all_worlds = torch.ones(n, dtype=torch.bool)
            self.jitter = torch.zeros(n, dtype=torch.float64)
            self.shaken = torch.zeros(n, eyes, 4, 4, dtype=torch.float64)
        # A camera looks along its -z with y up: pitch turns about its x axis, yaw about its y axis.
        pitch = PITCH.sample((n, eyes), generator, self.held_out)
        yaw = YAW.sample((n, eyes), generator, self.held_out)
        quat = multiply(multiply(self.mount_quat, rotation(1, yaw)), rotation(0, pitch))
        self.quat = torch.where(mask[:, None, None], quat, self.quat)
        fovy = FOV_SCALE.sample((n, 1), generator, self.held_out) * self.fovy
        backend.set_model_field("cam_fovy", mask, self.ids, fovy)
        jitter = JITTER.sample((n,), generator, self.held_out) * (torch.pi / 360)  # half-radians
        self.jitter = torch.where(mask, jitter, self.jitter)
        backend.set_model_field("cam_quat", mask, self.ids, self.quat)
        # The head shake's rotation r = (cy cp, cy sp, sy cp, -sy sp) of half-angles of yaw y and pitch p is read
        # as the outer product of (cos, sin) of each, the last sign put in the matrix.
        shaken = left_product(self.quat) * constant((1.0, 1.0, 1.0, -1.0), torch.float64, quat.device)
        self.shaken = torch.where(mask[:, None, None, None], shaken, self.shaken)

    def step(self, backend, generator, dt) -> None:
        """Shake the head: each eye turns from its mount by a random yaw, then pitch, each step afresh."""
        if not len(self.ids):
            return
        n, eyes = backend.num_envs, len(self.ids)
        half = torch.randn(n, eyes, 2, generator=generator, dtype=torch.float64, device=generator.device)
        half = half * self.jitter[:, None, None]
        trig = torch.stack([half.cos(), half.sin()], dim=-2)  # [n, eye, (cos, sin), (yaw, pitch)]
        shake = (trig[..., :, 0, None] * trig[..., None, :, 1]).view(n, eyes, 4, 1)
        backend.set_model_field("cam_quat", self.all_worlds, self.ids, (self.shaken @ shake).squeeze(-1))
