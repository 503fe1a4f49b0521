"""Diverged physics: one world of thousands whose simulation blows up is reset and counted, not fatal to the run.

This is what dm_control and Isaac Lab do: the backend returns a diverged world to its initial state, its life ends
(truncated, with nothing to bootstrap from), and training goes on. Only when divergence is the rule rather than the
exception does the run stop, with an error that says what to change: most worlds diverging in one step, or one
world diverging in life after life (its setting, not bad luck, breaks the physics).
"""

import torch

from envs.backends import UnstableSimulationError

MOST = 0.5  # share of the worlds that diverged in one step beyond which the run stops
REPEATS = 5  # lives in a row of one world that ended diverged, beyond which the run stops


class Stability:
    """Per-world counts of divergence, kept on the world's device and read only when asked (see `check`)."""

    def __init__(self, num_envs: int, device: torch.device):
        self.resets = torch.zeros(num_envs, dtype=torch.long, device=device)  # divergences of each world so far
        self.streak = torch.zeros(num_envs, dtype=torch.long, device=device)  # lives in a row that ended diverged
        self.last_step = torch.full((num_envs,), -1, dtype=torch.long, device=device)  # step of each world's last
        self.steps = torch.zeros((), dtype=torch.long, device=device)  # control steps taken
        self.crowd = torch.zeros((), device=device)  # the largest share of the worlds that diverged in one step
        self.told = torch.zeros(num_envs, dtype=torch.long, device=device)  # divergences already told (see `news`)

    def record(self, unstable: torch.Tensor, done: torch.Tensor) -> None:
        """Count the step's diverged worlds [N]; a life that ended otherwise (`done` [N]) breaks a world's streak."""
        self.resets += unstable
        self.streak = torch.where(unstable, self.streak + 1, torch.where(done, 0, self.streak))
        self.last_step = torch.where(unstable, self.steps, self.last_step)
        self.steps += 1
        self.crowd = torch.maximum(self.crowd, unstable.float().mean())

    @property
    def total(self) -> int:
        """Divergences in every world so far (reads the device)."""
        return int(self.resets.sum())

    def news(self) -> dict[int, tuple[int, int]]:
        """The worlds that diverged since the last call: world -> (times, control step of the last), from the
        world's first step (reads the device)."""
        fresh = self.resets - self.told
        self.told = self.resets.clone()
        worlds = fresh.nonzero().flatten()
        return dict(zip(worlds.tolist(), zip(fresh[worlds].tolist(), self.last_step[worlds].tolist(), strict=True),
                        strict=True))

    def check(self) -> None:
        """Raise `UnstableSimulationError` if divergence has become the rule (reads the device)."""
        crowd, streak = float(self.crowd), int(self.streak.max())
        if crowd > MOST or streak >= REPEATS:
            worlds = (self.streak >= REPEATS).nonzero().flatten().tolist()
            what = (f"{crowd:.0%} of the worlds diverged in one step" if crowd > MOST else
                    f"worlds {worlds} diverged in {REPEATS} lives in a row")
            raise UnstableSimulationError(
                f"physics diverged: {what} ({self.total} divergences so far). Lower the model timestep, soften "
                "actuator gains, or check the actions for extreme values.")
