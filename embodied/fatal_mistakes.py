"""Fatal mistakes: how many times a learner made a mistake that ends a life (a fall off a cliff) while it
learned. Animals avoid drops before they could have learned to (Gibson and Walk 1960); a learner that must
fall to learn pays in lives, so a run counts them, in all and before competence.
"""


class FatalMistakes:
    """The training world as the learner sees it, counting the task's fatal signal (`Task.fatal_signal`) summed
    over its worlds at every step. Everything else is the world's own."""

    def __init__(self, world):
        self.world = world
        self.signal = world.task.fatal_signal
        self.count = 0

    def step(self, actions):
        result = self.world.step(actions)
        if self.signal is not None:
            self.count += int(result[-1][self.signal].sum())
        return result

    def __getattr__(self, name: str):
        return getattr(self.world, name)
