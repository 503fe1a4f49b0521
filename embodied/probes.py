"""Behaviour probes on held-out worlds, and the clock of competence.

Each task defines its probe (forage: food eaten per simulated minute) from per-step signals of its worlds.
Competence is a fraction of the scripted reference animal's score; time-to-competence is the simulated life
time at the first evaluation from which the criterion holds for the next K evaluations (that one included).
"""

from collections.abc import Callable, Sequence

import torch

Policy = Callable[[dict[str, torch.Tensor]], torch.Tensor]


def probe_key(world) -> str:
    """The metrics column of a world's probe, e.g. `probe/food_per_minute`."""
    return f"probe/{world.task.probe_name}"


@torch.no_grad()
def probe_signals(world, policy: Policy, seconds: float, seed: int) -> dict[str, torch.Tensor]:
    """Run `policy` in every world for `seconds` of simulated time from `seed`; the task's probe signals
    {name: [steps, N]}."""
    observation, _ = world.reset(seed=seed)
    steps = max(1, round(seconds / world.dt))
    signals: dict[str, list[torch.Tensor]] = {name: [] for name in world.task.probe_signals}
    for _ in range(steps):
        observation, _, _, _, info = world.step(policy(observation))
        for name, values in signals.items():
            values.append(info[name])
    return {name: torch.stack(values) for name, values in signals.items()}


def probe_score(world, policy: Policy, seconds: float, seed: int) -> float:
    """The task's probe score of `policy` (see `probe_signals`)."""
    return world.task.probe(probe_signals(world, policy, seconds, seed), world.dt)


def probe_measures(world, policy: Policy, seconds: float, seed: int) -> dict[str, float]:
    """Every measure of the task (see `Task.measures`) by metrics column, e.g. `probe/falls_per_minute`; the
    headline probe's column (`probe_key`) is always among them."""
    signals = probe_signals(world, policy, seconds, seed)
    measures = {world.task.probe_name: world.task.probe(signals, world.dt), **world.task.measures(signals, world.dt)}
    return {f"probe/{name}": value for name, value in measures.items()}


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
