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

    def reset(self, backend, env_ids, generator) -> None:
        if self.velocity is None:
            self.velocity = torch.zeros(backend.num_envs, COUNT, 2, dtype=torch.float64)
            self.all_worlds = torch.arange(backend.num_envs)
        n = len(env_ids)
        size = SIZE.sample((n, COUNT, 1), generator, self.held_out)
        backend.set_model_field("geom_size", env_ids, self.geoms, size.expand(n, COUNT, 3))
        colour = torch.rand(n, COUNT, 3, generator=generator, dtype=torch.float64)
        backend.set_model_field("geom_rgba", env_ids, self.geoms,
                                torch.cat([colour, torch.ones(n, COUNT, 1, dtype=torch.float64)], dim=-1))
        heading = torch.rand(n, COUNT, generator=generator, dtype=torch.float64) * 2 * torch.pi
        speed = SPEED.sample((n, COUNT), generator, self.held_out)
        self.velocity[env_ids] = torch.stack([torch.cos(heading), torch.sin(heading)], dim=-1) * speed[..., None]
        mocap = backend.mocap_pos[env_ids].clone()
        place = (torch.rand(n, COUNT, 2, generator=generator, dtype=torch.float64) * 2 - 1) * self.roam
        mocap[:, self.mocap] = torch.cat([place, size + self.ground], dim=-1)  # resting on the floor
        backend.write(env_ids, mocap_pos=mocap, forward=False)

    def step(self, backend, generator, dt) -> None:
        """Glide straight, bouncing off the edges of the roaming square."""
        mocap = backend.mocap_pos.clone()
        position = torch.add(mocap[:, self.rows, :2], self.velocity, alpha=dt)
        outside = position.abs() > self.roam
        self.velocity = torch.where(outside, -self.velocity, self.velocity)
        mocap[:, self.rows, :2] = position.clamp_(-self.roam, self.roam)
        backend.write(self.all_worlds, mocap_pos=mocap, forward=False)
