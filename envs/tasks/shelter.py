"""A shelter: a roofed nest against a wall of the arena, open towards the middle, that the animal walks into.

A mouse in a looming experiment has a nest in a corner of its arena and runs to it when threatened (Yilmaz and
Meister 2013). Here the nest is a roof with a short skirt on three sides, on four thin posts: the animal passes
under the skirt (nothing in it collides), sees the nest from across the arena, and is inside while its body's
centre is over the square floor the roof covers. It stands at a random place along a random wall per life. The sizes
below fit the critter; a bigger animal gets a nest scaled to it (each function takes its sizes).
"""

import math

import mujoco
import torch

HALF = 0.2  # metres: half the side of the square floor under the roof
ROOF = 0.24  # metres: height of the roof, just under the arena's walls
SKIRT = 0.14  # metres: bottom of the skirt, above the animal's eye
COLOUR = [0.8, 0.62, 0.3, 1]  # straw: no dark shape but the predator
WALL_GAP = 0.02  # metres between the nest's back and the wall
CORNER_GAP = 0.05  # metres: the nest keeps at least this far from a corner


def add_shelter(spec: mujoco.MjSpec, name: str = "shelter", half: float = HALF, roof: float = ROOF,
                skirt: float = SKIRT) -> None:
    """A mocap body whose local +x points out of the nest's open side."""
    nest = spec.worldbody.add_body(name=name, mocap=True, pos=[0, 0, 0])
    ghost = dict(contype=0, conaffinity=0, rgba=COLOUR)
    box = mujoco.mjtGeom.mjGEOM_BOX
    nest.add_geom(name=f"{name}_roof", type=box, pos=[0, 0, roof], size=[half, half, 0.01], **ghost)
    depth = (roof - skirt) / 2
    for x, y, sx, sy in ((-half, 0, 0.01, half), (0, half, half, 0.01), (0, -half, half, 0.01)):
        nest.add_geom(type=box, pos=[x, y, skirt + depth], size=[sx, sy, depth], **ghost)
    for x in (-half, half):
        for y in (-half, half):
            nest.add_geom(type=mujoco.mjtGeom.mjGEOM_CYLINDER, pos=[x, y, roof / 2], size=[0.01, roof / 2, 0],
                          **ghost)


def place_shelters(count: int, arena_half: float, generator: torch.Generator,
                   half: float = HALF) -> tuple[torch.Tensor, torch.Tensor]:
    """Centres [count, 2] and orientations [count, 4] of nests against random walls, open side to the middle."""
    wall = torch.randint(0, 4, (count,), generator=generator, device=generator.device)  # +x, +y, -x, -y
    outward = wall.double() * (math.pi / 2)
    reach = arena_half - CORNER_GAP - half
    along = (torch.rand(count, generator=generator, dtype=torch.float64, device=generator.device) * 2 - 1) * reach
    depth = arena_half - WALL_GAP - half
    normal = torch.stack([torch.cos(outward), torch.sin(outward)], dim=1).round()
    centre = normal * depth + torch.stack([-normal[:, 1], normal[:, 0]], dim=1) * along[:, None]
    facing = outward + math.pi  # the open side faces away from the wall
    zero = torch.zeros_like(facing)
    quat = torch.stack([torch.cos(facing / 2), zero, zero, torch.sin(facing / 2)], dim=1)
    return centre, quat


def outside_distance(position: torch.Tensor, centre: torch.Tensor, half: float = HALF) -> torch.Tensor:
    """Metres [N] from `position` [N, 2] to the floor under the roof of the nest at `centre` [N, 2]; 0 inside."""
    beyond = ((position - centre).abs() - half).clamp_min(0)
    return beyond.norm(dim=1)
