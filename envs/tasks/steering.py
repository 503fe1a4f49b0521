"""Steering for scripted animals: turn towards a point and run at it, slowing for sharp turns. The commands are a
critter's drive and turn; a body's pilot (`Critter.pilot`, `Quadruped.pilot`) makes them its own actions."""

import torch


def steer_towards(position: torch.Tensor, heading: torch.Tensor, target: torch.Tensor) -> tuple[torch.Tensor,
                                                                                                 torch.Tensor]:
    """Drive and turn commands [N] in [-1, 1] that take an animal at `position` [N, 2] facing `heading` [N, 2]
    to `target` [N, 2]: full drive when the target is roughly ahead, standing turns otherwise."""
    offset = target - position
    bearing = torch.atan2(heading[:, 0] * offset[:, 1] - heading[:, 1] * offset[:, 0], (heading * offset).sum(dim=1))
    turn = (2.0 * bearing).clamp(-1, 1)
    drive = torch.where(bearing.abs() < 0.6, 1.0, -0.6).to(turn.dtype)
    return drive, turn
