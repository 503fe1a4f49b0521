"""Behaviour probes on held-out worlds, and the clock of competence.

The forage probe is food eaten per simulated minute. Competence is a fraction of the scripted
reference forager's rate; time-to-competence is the simulated life time at the first evaluation
from which the criterion holds for the next K evaluations (that one included).
"""

from collections.abc import Callable, Sequence

import torch

Policy = Callable[[dict[str, torch.Tensor]], torch.Tensor]


@torch.no_grad()
def food_per_minute(world, policy: Policy, seconds: float, seed: int) -> float:
    """Run `policy` in every world for `seconds` of simulated time from `seed`; food eaten per minute."""
    observation, _ = world.reset(seed=seed)
    steps = max(1, round(seconds / world.dt))
    eaten = torch.zeros((), device=world.device)
    for _ in range(steps):
        observation, _, _, _, info = world.step(policy(observation))
        eaten += info["food_eaten"].sum()
    return float(eaten) / world.num_envs / (steps * world.dt / 60.0)


def random_policy(world, seed: int = 0) -> Policy:
    """Uniform random actions over the action box: the level competence must clearly beat."""
    generator = torch.Generator().manual_seed(seed)
    shape = (world.num_envs, *world.single_action_space.shape)
    return lambda _observation: torch.rand(shape, generator=generator) * 2 - 1


def reference_policy(world) -> Policy:
    """The task's scripted animal, acting from privileged state."""
    return lambda _observation: world.reference_actions()


def time_to_competence(times: Sequence[float], scores: Sequence[float], threshold: float,
                       hold: int) -> float | None:
    """The first time from which `score >= threshold` holds for `hold` evaluations; None if never."""
    run = 0
    for index, score in enumerate(scores):
        run = run + 1 if score >= threshold else 0
        if run == hold:
            return times[index - hold + 1]
    return None
