"""A batched world: body + arena + task + senses on a backend, with the Gymnasium vector-env API.

Arrays are torch tensors on `world.device`. Autoreset is SAME_STEP: the observation returned for a
world whose episode ended is the first of its next episode; `info["final_obs"]` holds the last one.
"""

from contextlib import nullcontext

import mujoco
import numpy as np
import torch
from gymnasium import spaces
from gymnasium.vector import AutoresetMode, VectorEnv
from gymnasium.vector.utils import batch_space

from envs.arenas.pen import OVERVIEW
from envs.backends import make_backend, state_device
from envs.backends.backend import rows
from envs.richness import Parts, Richness
from envs.stability import Stability
from envs.tasks.task import Task


class World(VectorEnv):
    """`backend="mujoco"` steps the worlds on the CPU and delivers their arrays to `device`; `backend="warp"` steps
    and renders them on `device` itself (a GPU, or Warp's CPU device), where the task logic runs too.

    `info` of a step holds the task's per-step signals, `unstable` (worlds whose physics diverged: their lives were
    cut short, truncated, with `final_obs` zeros that no learner should bootstrap from) and, when a life ended,
    `final_obs`. On an accelerator `final_obs` is there at every step (asking whether a life ended would stall it).
    """

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
        self.device = torch.device(device)
        state = state_device(backend, self.device)
        with _making_tensors_on(state):  # binding may change the model (a task's near clipping plane): first
            for sense in self.senses:
                sense.bind(self.model)
            task.bind(self.model)
            self.richness.bind(self.model)
        for sense in self.senses:
            sense.bind_task(task)
        self.backend = make_backend(backend, self.model, num_envs, self.device, threads)

        self.body, self.arena, self.task = body, arena, task
        self.num_envs = num_envs
        self.substeps = substeps
        self.dt = timestep * substeps
        self.episode_steps = max(1, round(episode_seconds / self.dt))
        self.render_mode = "rgb_array"

        self.single_observation_space = spaces.Dict({s.name: s.space() for s in self.senses})
        self.observation_space = batch_space(self.single_observation_space, num_envs)
        self.single_action_space = spaces.Box(-1.0, 1.0, (self.model.nu,), np.float32)
        self.action_space = batch_space(self.single_action_space, num_envs)
        ctrl_range = torch.as_tensor(self.model.actuator_ctrlrange, dtype=torch.float32, device=state)
        self._ctrl_low, self._ctrl_span = ctrl_range[:, 0], ctrl_range[:, 1] - ctrl_range[:, 0]
        self.generator = torch.Generator(device=state).manual_seed(seed)
        self.elapsed = torch.zeros(num_envs, dtype=torch.long, device=state)
        self.stability = Stability(num_envs, state)
        self._nonfinite_actions = torch.zeros(num_envs, dtype=torch.long, device=state)

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

    def _on_backend(self):
        """Tasks, senses and factors make their tensors where the backend keeps the state."""
        return _making_tensors_on(self.backend.device)

    @property
    def host_branches(self) -> bool:
        """Whether the host may read this world's flags for free (see `Backend.host_branches`): a learner that
        would branch on them (did any life end?) must not where it is False."""
        return self.backend.host_branches

    def observe(self, env_ids: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
        """Every sense's reading [n, ...] of the given worlds (all when None), on `device`."""
        with self._on_backend():
            observation = {s.name: s.read(self.backend, env_ids).to(self.device) for s in self.senses}
            return self.richness.perturb(observation, env_ids, self.generator)

    def _start_lives(self, mask: torch.Tensor) -> None:
        self.backend.reset(mask)
        self.richness.reset(self.backend, mask, self.generator)
        self.task.reset(self.backend, mask, self.generator)
        self.elapsed.masked_fill_(mask, 0)

    def reset(self, *, seed: int | None = None, options: dict | None = None):
        if seed is not None:
            self.generator.manual_seed(seed)
        with self._on_backend():
            self._start_lives(torch.ones(self.num_envs, dtype=torch.bool))
        return self.observe(), {}

    def _checked_actions(self, actions) -> torch.Tensor:
        actions = shaped_actions(actions, self.num_envs, self.single_action_space.shape).to(self.backend.device)
        finite = torch.isfinite(actions).all(dim=1)
        self._nonfinite_actions += ~finite
        if self.host_branches:
            self._check_actions()
        return torch.where(finite[:, None], actions, 0.0).clamp(-1.0, 1.0)

    def _check_actions(self) -> None:
        bad = self._nonfinite_actions.nonzero().flatten().tolist()
        if bad:
            self._nonfinite_actions.zero_()
            raise nonfinite_actions(bad)

    def check_faults(self) -> None:
        """Raise what went wrong in the steps since the last check: non-finite actions, or physics that diverged in
        most worlds at once or in one world life after life. A world on an accelerator checks only when asked (the
        learner asks once a rollout): asking makes the host wait for the device. A world whose actions were not
        finite was given zero actions until then."""
        self._check_actions()
        self.stability.check()

    def step(self, actions):
        actions = self._checked_actions(actions)
        with self._on_backend():
            unstable = self.backend.step(self._ctrl_low + (actions + 1) / 2 * self._ctrl_span, self.substeps)
            reward, terminated, signals = self.task.step(self.backend, self.generator)
            self.richness.step(self.backend, self.generator, self.dt)
            self.elapsed += 1
            # A diverged world's step is garbage: no reward, no signal, and its life ends without a bootstrap.
            reward = torch.where(unstable, 0.0, reward)
            signals = {name: torch.where(unstable, 0.0, value) for name, value in signals.items()}
            terminated = terminated & ~unstable
            truncated = ((self.elapsed >= self.episode_steps) | unstable) & ~terminated
            done = terminated | truncated
            self.stability.record(unstable, done)
            if self.host_branches:
                self.stability.check()
            observation = self.observe()
            info = {**signals, "unstable": unstable}
            if self.backend.maybe_any(done):
                wreck = unstable.to(self.device)
                info["final_obs"] = {name: torch.where(rows(wreck, value), 0, value)
                                     for name, value in observation.items()}
                self._start_lives(done)
                observation = self._with_new_lives(observation, done)
        info = {k: v.to(self.device) if isinstance(v, torch.Tensor) else v for k, v in info.items()}
        flags = (t.to(self.device) for t in (reward, terminated, truncated))
        return observation, *flags, info

    def _with_new_lives(self, observation: dict[str, torch.Tensor], done: torch.Tensor) -> dict[str, torch.Tensor]:
        """`observation` with the first observation of every life that began (where `done`): on the CPU the new
        worlds alone are read; on an accelerator every world is, and the new ones chosen."""
        if not self.host_branches:
            fresh, done = self.observe(), done.to(self.device)
            return {name: torch.where(rows(done, value), fresh[name], value) for name, value in observation.items()}
        ids = done.nonzero().squeeze(1)
        merged = {name: value.clone() for name, value in observation.items()}
        for name, value in self.observe(ids).items():
            merged[name][ids.to(self.device)] = value
        return merged

    def reference_actions(self) -> torch.Tensor:
        """The task's scripted animal acting in every world (privileged state)."""
        with self._on_backend():
            return self.task.reference_action(self.backend).to(self.device)

    def render_overview(self, env_id: int = 0, width: int = 256, height: int | None = None) -> np.ndarray:
        """A third-person RGB view [height, width, 3] of one world, for videos."""
        ids = torch.as_tensor([env_id], device=self.backend.device)
        return self.backend.render((OVERVIEW,), width, ids, height=height)[0, 0].cpu().numpy()

    def render(self):
        return tuple(self.render_overview(i) for i in range(self.num_envs))

    def __enter__(self) -> "World":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close_extras(self, **kwargs):
        """Called once by `close` (Gymnasium's VectorEnv guards against a second close)."""
        self.backend.close()


def _making_tensors_on(device: torch.device):
    """Inside this, torch makes new tensors on `device` by default (nothing to do for the CPU, where it makes them
    anyway: the context costs every torch call a little)."""
    return nullcontext() if device.type == "cpu" else torch.device(device)


def shaped_actions(actions, num_envs: int, shape: tuple[int, ...]) -> torch.Tensor:
    """`actions` as float32 [num_envs, *shape], or an error that says what shape a world expects."""
    actions = torch.as_tensor(actions, dtype=torch.float32)
    if actions.shape != (num_envs, *shape):
        raise ValueError(f"actions have shape {tuple(actions.shape)}; this world expects {(num_envs, *shape)} "
                         "(num_envs, action size)")
    return actions


def nonfinite_actions(worlds: list[int]) -> ValueError:
    return ValueError(f"non-finite actions (NaN or inf) for worlds {worlds}; the policy has probably diverged: "
                      "lower the learning rate or check its inputs")
