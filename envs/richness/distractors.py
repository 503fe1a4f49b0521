"""Moving distractors: objects that wander through the arena, seen but meaningless to the task.

A real animal's visual world moves by itself (leaves, other animals); what matters must be told from what
only moves. Distractors are ghosts to the physics (no contact, no mass: a camera that follows the world's centre
of mass follows the animal) and absent from the task's logic.
"""

import mujoco
import torch

from envs.richness.factor import Factor, Parts, Span

COUNT = 3
SPEED = Span(train=(0.1, 0.3), held_out=(0.35, 0.5))  # m/s
SIZE = Span(train=(0.05, 0.1), held_out=(0.11, 0.15))  # m, half-extent
ROAM = 1.4  # m: half-side of the square they wander in, around the arena's centre
SHAPES = (mujoco.mjtGeom.mjGEOM_BOX, mujoco.mjtGeom.mjGEOM_CYLINDER, mujoco.mjtGeom.mjGEOM_ELLIPSOID)


class Distractors(Factor):
    name = "distractors"
    dynamic = True

    def build(self, spec, parts: Parts) -> None:
        self.roam = min(ROAM, getattr(parts.arena, "half", ROAM) - 0.2)
        self.ground = getattr(parts.arena, "surface", 0.0)  # height of the arena's walking surface (a platform's)
        for index in range(COUNT):
            body = spec.worldbody.add_body(name=f"richness/distractor{index}", mocap=True, pos=[0, 0, -1])
            body.add_geom(name=f"richness/distractor{index}", type=SHAPES[index % len(SHAPES)],
                          size=[0.08, 0.08, 0.08], rgba=[0.5, 0.5, 0.5, 1], contype=0, conaffinity=0, mass=0)

    def bind(self, model) -> None:
        names = [f"richness/distractor{index}" for index in range(COUNT)]
        self.mocap = torch.as_tensor([model.body(name).mocapid[0] for name in names])
        # Added one after the other, they are usually a run of mocap bodies: a slice moves them without the
        # gather and scatter (several times a slice's cost) of indexing with a tensor.
        first = int(self.mocap[0])
        run = self.mocap.tolist() == list(range(first, first + COUNT))
        self.rows = slice(first, first + COUNT) if run else self.mocap
        self.geoms = torch.as_tensor([model.geom(name).id for name in names])
        self.velocity: torch.Tensor | None = None

    def reset(self, backend, mask, generator) -> None:
        n = backend.num_envs
        if self.velocity is None:
            self.velocity = torch.zeros(n, COUNT, 2, dtype=torch.float64)
            self.all_worlds = torch.ones(n, dtype=torch.bool)
        draw = dict(generator=generator, dtype=torch.float64, device=generator.device)
        size = SIZE.sample((n, COUNT, 1), generator, self.held_out)
        backend.set_model_field("geom_size", mask, self.geoms, size.expand(n, COUNT, 3))
        colour = torch.rand(n, COUNT, 4, **draw)
        colour[..., 3].fill_(1.0)  # opaque
        backend.set_model_field("geom_rgba", mask, self.geoms, colour)
        heading = torch.rand(n, COUNT, **draw) * 2 * torch.pi
        speed = SPEED.sample((n, COUNT), generator, self.held_out)
        velocity = torch.stack([torch.cos(heading), torch.sin(heading)], dim=-1) * speed[..., None]
        self.velocity = torch.where(mask[:, None, None], velocity, self.velocity)
        mocap = backend.mocap_pos.clone()
        place = (torch.rand(n, COUNT, 2, **draw) * 2 - 1) * self.roam
        mocap[:, self.mocap] = torch.cat([place, size + self.ground], dim=-1).to(mocap)  # resting on the floor
        backend.write(mask, mocap_pos=mocap, forward=False)

    def step(self, backend, generator, dt) -> None:
        """Glide straight, bouncing off the edges of the roaming square."""
        mocap = backend.mocap_pos.clone()
        position = torch.add(mocap[:, self.rows, :2], self.velocity, alpha=dt)
        outside = position.abs() > self.roam
        self.velocity = torch.where(outside, -self.velocity, self.velocity)
        mocap[:, self.rows, :2] = position.clamp_(-self.roam, self.roam).to(mocap)
        backend.write(self.all_worlds, mocap_pos=mocap, forward=False)
