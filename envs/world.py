"""A batched world: body + arena + task + senses on a backend, with the Gymnasium vector-env API.

Arrays are torch tensors on `world.device`. Autoreset is SAME_STEP: the observation returned for a
world whose episode ended is the first of its next episode; `info["final_obs"]` holds the last one.
"""

import mujoco
import numpy as np
import torch
from gymnasium import spaces
from gymnasium.vector import AutoresetMode, VectorEnv
from gymnasium.vector.utils import batch_space

from envs.arenas.pen import OVERVIEW
from envs.backends import BACKENDS
from envs.richness import Parts, Richness
from envs.tasks.task import Task


class World(VectorEnv):
    metadata = {"autoreset_mode": AutoresetMode.SAME_STEP, "render_modes": ["rgb_array"], "render_fps": 20}

    def __init__(self, body, arena, task: Task, num_envs: int = 1, vision_size: int = 40,
                 senses: tuple[str, ...] | None = None, episode_seconds: float = 30.0, seed: int = 0,
                 backend: str = "mujoco", device: str | torch.device = "cpu", threads: int = 1, timestep: float = 0.01,
                 substeps: int = 5, richness: Richness | None = None):
        spec = mujoco.MjSpec()
        spec.option.timestep = timestep
        # Small eyes need neither multisampling nor finely tessellated spheres; on a software renderer
        # dropping them makes vision about 4x cheaper.
        spec.visual.quality.offsamples = 0
        spec.visual.quality.numslices, spec.visual.quality.numstacks = 12, 8
        arena.build(spec)
        self.senses = self._switch_on(body.build(spec, vision_size), senses)
        task.build(spec, body, arena)
        self.richness = richness or Richness()
        self.richness.build(spec, Parts(self.senses, arena, task))
        for sense in self.senses:
            sense.add_to(spec)
        self.spec = spec
        self.model = spec.compile()
        for sense in self.senses:
            sense.bind(self.model)
        task.bind(self.model)
        self.richness.bind(self.model)
        for sense in self.senses:
            sense.bind_task(task)

        self.body, self.arena, self.task = body, arena, task
        self.backend = BACKENDS[backend](self.model, num_envs, threads)
        self.device = torch.device(device)
        self.num_envs = num_envs
        self.substeps = substeps
        self.dt = timestep * substeps
        self.episode_steps = max(1, round(episode_seconds / self.dt))
        self.render_mode = "rgb_array"

        self.single_observation_space = spaces.Dict({s.name: s.space() for s in self.senses})
        self.observation_space = batch_space(self.single_observation_space, num_envs)
        self.single_action_space = spaces.Box(-1.0, 1.0, (self.model.nu,), np.float32)
        self.action_space = batch_space(self.single_action_space, num_envs)
        ctrl_range = torch.as_tensor(self.model.actuator_ctrlrange, dtype=torch.float32)
        self._ctrl_low, self._ctrl_span = ctrl_range[:, 0], ctrl_range[:, 1] - ctrl_range[:, 0]
        self.generator = torch.Generator().manual_seed(seed)
        self.elapsed = torch.zeros(num_envs, dtype=torch.long)

    @staticmethod
    def _switch_on(offered: list, wanted: tuple[str, ...] | None) -> list:
        """The body's senses that the config switches on; a name the body lacks is an error."""
        names = [sense.name for sense in offered]
        if wanted is None:
            return offered
        unknown = [name for name in wanted if name not in names]
        if unknown or not wanted:
            raise ValueError(f"unknown or no senses {unknown or list(wanted)}; this body has: {', '.join(names)}")
        return [sense for sense in offered if sense.name in wanted]

    def observe(self, env_ids: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
        observation = {s.name: s.read(self.backend, env_ids).to(self.device) for s in self.senses}
        return self.richness.perturb(observation, env_ids, self.generator)

    def _start_lives(self, env_ids: torch.Tensor) -> None:
        self.backend.reset(env_ids)
        self.richness.reset(self.backend, env_ids, self.generator)
        self.task.reset(self.backend, env_ids, self.generator)
        self.elapsed[env_ids] = 0

    def reset(self, *, seed: int | None = None, options: dict | None = None):
        if seed is not None:
            self.generator.manual_seed(seed)
        self._start_lives(torch.arange(self.num_envs))
        return self.observe(), {}

    def _checked_actions(self, actions) -> torch.Tensor:
        actions = torch.as_tensor(actions, dtype=torch.float32).to("cpu")
        expected = (self.num_envs, *self.single_action_space.shape)
        if actions.shape != expected:
            raise ValueError(f"actions have shape {tuple(actions.shape)}; this world expects {expected} "
                             "(num_envs, action size)")
        finite = torch.isfinite(actions).all(dim=1)
        if not finite.all():
            raise ValueError(f"non-finite actions (NaN or inf) for worlds {(~finite).nonzero().flatten().tolist()};"
                             " the policy has probably diverged: lower the learning rate or check its inputs")
        return actions.clamp(-1.0, 1.0)

    def step(self, actions):
        actions = self._checked_actions(actions)
        self.backend.step(self._ctrl_low + (actions + 1) / 2 * self._ctrl_span, self.substeps)
        reward, terminated, info = self.task.step(self.backend, self.generator)
        self.richness.step(self.backend, self.generator, self.dt)
        self.elapsed += 1
        truncated = (self.elapsed >= self.episode_steps) & ~terminated
        observation = self.observe()
        done = terminated | truncated
        if done.any():
            env_ids = done.nonzero().squeeze(1)
            info["final_obs"] = {name: value.clone() for name, value in observation.items()}
            self._start_lives(env_ids)
            for name, value in self.observe(env_ids).items():
                observation[name][env_ids.to(self.device)] = value
        info = {k: v.to(self.device) if isinstance(v, torch.Tensor) else v for k, v in info.items()}
        flags = (t.to(self.device) for t in (reward, terminated, truncated))
        return observation, *flags, info

    def reference_actions(self) -> torch.Tensor:
        """The task's scripted animal acting in every world (privileged state)."""
        return self.task.reference_action(self.backend).to(self.device)

    def render_overview(self, env_id: int = 0, width: int = 256, height: int | None = None) -> np.ndarray:
        """A third-person RGB view [height, width, 3] of one world, for videos."""
        ids = torch.as_tensor([env_id])
        return self.backend.render(OVERVIEW, width, ids, height=height)[0].numpy()

    def render(self):
        return tuple(self.render_overview(i) for i in range(self.num_envs))

    def __enter__(self) -> "World":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close_extras(self, **kwargs):
        """Called once by `close` (Gymnasium's VectorEnv guards against a second close)."""
        self.backend.close()
