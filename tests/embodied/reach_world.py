"""A small Gymnasium environment written outside the project, for the tests of outside worlds (`gym:<id>`).

A point in a square moves towards a goal drawn anew each episode; its reward is minus its distance to the goal.
It sees the square as a 16 x 16 image (itself green, the goal red) and reads a vector of its position and the
goal's. Actions are velocities within 0.15 a side per step. Importing the module registers `ReachTest-v0`.
"""

import gymnasium
import numpy as np
from gymnasium import spaces

SIDE, STEPS, SPEED = 16, 40, 0.15


class Reach(gymnasium.Env):
    metadata = {"render_modes": ["rgb_array"], "render_fps": 20}

    def __init__(self, render_mode: str | None = None):
        self.render_mode = render_mode
        self.observation_space = spaces.Dict({
            "view": spaces.Box(0, 255, (SIDE, SIDE, 3), np.uint8),
            "where": spaces.Box(-1.0, 1.0, (4,), np.float32),
        })
        self.action_space = spaces.Box(-SPEED, SPEED, (2,), np.float32)

    def _observation(self) -> dict:
        view = np.zeros((SIDE, SIDE, 3), np.uint8)
        for point, channel in ((self.goal, 0), (self.position, 1)):
            row, column = ((point + 1) / 2 * (SIDE - 1)).round().astype(int)
            view[row, column, channel] = 255
        return {"view": view, "where": np.concatenate([self.position, self.goal]).astype(np.float32)}

    def reset(self, *, seed: int | None = None, options: dict | None = None):
        super().reset(seed=seed)
        self.position, self.goal = self.np_random.uniform(-1, 1, (2, 2))
        self.steps = 0
        return self._observation(), {}

    def step(self, action):
        self.position = np.clip(self.position + np.clip(action, -SPEED, SPEED), -1, 1)
        self.steps += 1
        reward = -float(np.linalg.norm(self.position - self.goal))
        return self._observation(), reward, False, self.steps >= STEPS, {}

    def render(self):
        return np.kron(self._observation()["view"], np.ones((4, 4, 1), np.uint8))


gymnasium.register(id="ReachTest-v0", entry_point=Reach)
