"""Fatal mistakes: how many times a learner made a mistake that ends a life (a fall off a cliff) while it
learned. Animals avoid drops before they could have learned to (Gibson and Walk 1960); a learner that must
fall to learn pays in lives, so a run counts them, in all and before competence.
"""


import torch


class FatalMistakes:
    """The training world as the learner sees it, counting the task's fatal signal (`Task.fatal_signal`) summed
    over its worlds at every step. Everything else is the world's own. The tally stays on the world's device and is
    read only as `count` (reading it every step would make a GPU wait for the host)."""

    def __init__(self, world):
        self.world = world
        self.signal = world.task.fatal_signal
        self.tally = torch.zeros((), dtype=torch.long, device=world.device)

    def step(self, actions):
        result = self.world.step(actions)
        if self.signal is not None:
            self.tally += result[-1][self.signal].sum().long()
        return result

    @property
    def count(self) -> int:
        return int(self.tally)

    @count.setter
    def count(self, value: int) -> None:
        self.tally.fill_(value)

    def __getattr__(self, name: str):
        return getattr(self.world, name)
