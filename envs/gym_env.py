"""A single world as a plain Gymnasium env with numpy arrays, for stable-baselines3 and friends."""

import gymnasium
import numpy as np
import torch

from envs.registry import make


class SingleWorldEnv(gymnasium.Env):
    """One copy of a batched world. When the world ends an episode it has already begun the next
    internally; the episode's true last observation is returned and the next `reset` starts anew."""

    metadata = {"render_modes": ["rgb_array"], "render_fps": 20}

    def __init__(self, world: str = "Forage", render_mode: str | None = None, **options):
        if render_mode not in (None, "rgb_array"):
            raise ValueError(f"render_mode {render_mode!r} is not supported; use 'rgb_array' or None")
        self.world = make(world, num_envs=1, **options)
        self.observation_space = self.world.single_observation_space
        self.action_space = self.world.single_action_space
        self.render_mode = render_mode
        self.dt = self.world.dt

    @staticmethod
    def _first(observation: dict[str, torch.Tensor]) -> dict[str, np.ndarray]:
        return {name: value[0].cpu().numpy() for name, value in observation.items()}

    def reset(self, *, seed: int | None = None, options: dict | None = None):
        super().reset(seed=seed)
        observation, _ = self.world.reset(seed=int(self.np_random.integers(2**31)))
        return self._first(observation), {}

    def step(self, action):
        observation, reward, terminated, truncated, info = self.world.step(np.asarray(action)[None])
        if terminated[0] or truncated[0]:
            observation = info["final_obs"]
        extras = {k: float(v[0]) for k, v in info.items() if isinstance(v, torch.Tensor)}
        return (self._first(observation), float(reward[0]), bool(terminated[0]), bool(truncated[0]), extras)

    def render(self):
        return self.world.render_overview(0)

    def close(self):
        self.world.close()
