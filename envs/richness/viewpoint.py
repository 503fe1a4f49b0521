"""Viewpoint: where each eye sits on the head and how wide it sees, and the head's jitter while moving.

Animals see their world from viewpoints that change all the time; a newborn chick's recognition of an object
generalises to views it has never seen only if it was reared seeing several (Wood and Wood 2018).
"""

import torch

from envs.richness.factor import Factor, Parts, Span
from envs.senses import Vision

PITCH = Span(train=(0.0, 8.0), held_out=(10.0, 15.0), symmetric=True)  # degrees the eye is mounted up or down
YAW = Span(train=(0.0, 8.0), held_out=(10.0, 15.0), symmetric=True)  # degrees to the side
FOV_SCALE = Span(train=(0.85, 1.0), held_out=(1.05, 1.15))  # of the body's own field of view
JITTER = Span(train=(0.0, 1.0), held_out=(1.5, 2.5))  # degrees of random head shake per control step


def rotation(axis: int, degrees: torch.Tensor) -> torch.Tensor:
    """Unit quaternions (w, x, y, z) [n, 4] of rotations by `degrees` [n] about a frame axis (0 x, 1 y, 2 z)."""
    half = torch.deg2rad(degrees) / 2
    quaternion = torch.zeros(*degrees.shape, 4, dtype=torch.float64)
    quaternion[..., 0] = torch.cos(half)
    quaternion[..., 1 + axis] = torch.sin(half)
    return quaternion


def yaw_then_pitch(yaw: torch.Tensor, pitch: torch.Tensor) -> torch.Tensor:
    """rotation(1, yaw) times rotation(0, pitch) [..., 4] in one step: the head shakes at every control step."""
    half_yaw, half_pitch = torch.deg2rad(yaw) / 2, torch.deg2rad(pitch) / 2
    cy, sy, cp, sp = half_yaw.cos(), half_yaw.sin(), half_pitch.cos(), half_pitch.sin()
    return torch.stack([cy * cp, cy * sp, sy * cp, -sy * sp], dim=-1)


def multiply(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Hamilton products of quaternions [..., 4]."""
    aw, ax, ay, az = a.unbind(-1)
    bw, bx, by, bz = b.unbind(-1)
    return torch.stack([aw * bw - ax * bx - ay * by - az * bz, aw * bx + ax * bw + ay * bz - az * by,
                        aw * by - ax * bz + ay * bw + az * bx, aw * bz + ax * by - ay * bx + az * bw], dim=-1)


class Viewpoint(Factor):
    name = "viewpoint"
    dynamic = True

    def build(self, spec, parts: Parts) -> None:
        self.cameras = [camera for sense in parts.senses if isinstance(sense, Vision) for camera in sense.cameras]

    def bind(self, model) -> None:
        self.ids = torch.as_tensor([model.camera(name).id for name in self.cameras], dtype=torch.long)
        self.mount_quat = torch.as_tensor(model.cam_quat[self.ids.numpy()])  # [E, 4] as the body built it
        self.fovy = torch.as_tensor(model.cam_fovy[self.ids.numpy()])
        self.quat: torch.Tensor | None = None

    def reset(self, backend, env_ids, generator) -> None:
        if not len(self.ids):
            return
        if self.quat is None:
            self.quat = self.mount_quat.repeat(backend.num_envs, 1, 1)
            self.all_worlds = torch.arange(backend.num_envs)
            self.jitter = torch.zeros(backend.num_envs, dtype=torch.float64)
        n, eyes = len(env_ids), len(self.ids)
        # A camera looks along its -z with y up: pitch turns about its x axis, yaw about its y axis.
        pitch = PITCH.sample((n, eyes), generator, self.held_out)
        yaw = YAW.sample((n, eyes), generator, self.held_out)
        self.quat[env_ids] = multiply(multiply(self.mount_quat, rotation(1, yaw)), rotation(0, pitch))
        fovy = FOV_SCALE.sample((n, 1), generator, self.held_out) * self.fovy
        backend.set_model_field("cam_fovy", env_ids, self.ids, fovy)
        self.jitter[env_ids] = JITTER.sample((n,), generator, self.held_out)
        backend.set_model_field("cam_quat", env_ids, self.ids, self.quat[env_ids])

    def step(self, backend, generator, dt) -> None:
        if not len(self.ids):
            return
        n, eyes = backend.num_envs, len(self.ids)
        shake = torch.randn(n, eyes, 2, generator=generator, dtype=torch.float64) * self.jitter[:, None, None]
        quat = multiply(self.quat, yaw_then_pitch(shake[..., 0], shake[..., 1]))
        backend.set_model_field("cam_quat", self.all_worlds, self.ids, quat / quat.norm(dim=-1, keepdim=True))

