"""An outside world: any Gymnasium environment, written anywhere, as a batched world of tensors, so that this
project's learner, run folders, checkpoints, evaluation and videos work on it.

`envs.make("gym:<id>", num_envs=N, import_="module")` imports the module (which registers the id), makes N copies
with Gymnasium's own vector env (autoreset in the same step, as our worlds do) and hands its arrays over as torch
tensors. A Dict observation keeps its entries; a Box observation is one entry, `state`. An entry shaped [H, W, C]
of uint8 is an image, which the agent's eye encoder takes; every other Box entry is flattened to a float32 vector.
Actions are a Box, seen by the agent as [-1, 1] per dimension and stretched to the environment's bounds.

Such a world has no task of ours and no scripted animal: its probe is the return of its episodes on held-out
seeds (`EpisodeReturn`), and competence, judged against a scripted animal elsewhere, is not defined for it.
"""

import importlib
import math

import gymnasium
import numpy as np
import torch
from gymnasium import spaces
from gymnasium.vector import AutoresetMode

from envs.stability import Stability
from envs.world import nonfinite_actions, shaped_actions

PREFIX = "gym:"  # world names that stand for a Gymnasium id


class EpisodeReturn:
    """What an outside world is probed by: the mean return of the episodes that ended during an evaluation (of the
    episodes under way, if none ended). Nothing scripted to compare with, so no competence threshold."""

    probe_name = "episode_return"
    probe_signals = ("reward", "episode_end")
    fatal_signal = None
    scripted = False

    def probe(self, signals: dict[str, torch.Tensor], dt: float) -> float:
        returns, running = [], torch.zeros_like(signals["reward"][0])
        for reward, end in zip(signals["reward"], signals["episode_end"].bool(), strict=True):
            running = running + reward
            returns.append(running[end])
            running = torch.where(end, 0.0, running)
        ended = torch.cat(returns)
        return float(ended.mean()) if len(ended) else float(running.mean())

    def measures(self, signals: dict[str, torch.Tensor], dt: float) -> dict[str, float]:
        """The probe, and how many episodes ended per world and simulated minute."""
        steps, worlds = signals["episode_end"].shape
        return {"episode_return": self.probe(signals, dt),
                "episodes_per_minute": float(signals["episode_end"].sum()) / worlds / (steps * dt / 60)}

    def competence_threshold(self, reference: float | None, random: float, fraction: float) -> None:
        """Not defined: there is no scripted animal whose score competence would be a fraction of."""
        return None


class OutsideSense:
    """One entry of an outside world's observation, named as the environment names it (for the video's panels)."""

    def __init__(self, name: str, space: spaces.Box):
        self.name, self.space = name, space

    def labels(self) -> list[str]:
        return [str(index) for index in range(self.space.shape[0])]


def _image(space: spaces.Space) -> bool:
    return isinstance(space, spaces.Box) and len(space.shape) == 3 and space.dtype == np.uint8


class OutsideWorld:
    """`num_envs` copies of the Gymnasium environment `env_id`, with the interface of `envs.World` that the learner,
    the evaluation and the video use. Arrays come back on `device`."""

    metadata = {"autoreset_mode": AutoresetMode.SAME_STEP, "render_modes": ["rgb_array"]}
    host_branches = True

    def __init__(self, env_id: str, num_envs: int = 1, seed: int = 0, device: str | torch.device = "cpu",
                 module: str | None = None):
        if module:
            try:
                importlib.import_module(module)
            except ImportError as error:
                raise ValueError(f"world.import={module}: {error}; make the module that registers {env_id!r} "
                                 "importable (install it, or run from the folder that holds it)") from None
        try:
            self.envs = gymnasium.make_vec(env_id, num_envs=num_envs, vectorization_mode="sync",
                                           vector_kwargs={"autoreset_mode": AutoresetMode.SAME_STEP},
                                           render_mode="rgb_array")
        except gymnasium.error.Error as error:
            raise ValueError(f"no Gymnasium environment {env_id!r} ({error}); name the module that registers it with "
                             "world.import=MODULE") from None
        self.num_envs, self.device, self.seed = num_envs, torch.device(device), seed
        observation, action = self.envs.single_observation_space, self.envs.single_action_space
        entries = observation.spaces if isinstance(observation, spaces.Dict) else {"state": observation}
        self.single_observation_space = spaces.Dict({name: self._sense(name, space) for name, space in entries.items()})
        if not isinstance(action, spaces.Box):
            raise ValueError(f"{env_id} acts by {action}; the learner takes continuous (Box) actions only")
        self.single_action_space = spaces.Box(-1.0, 1.0, action.shape, np.float32)
        finite = np.isfinite(action.low).all() and np.isfinite(action.high).all()
        self._low = torch.as_tensor(action.low if finite else -np.ones(action.shape), dtype=torch.float32)
        self._span = torch.as_tensor(action.high - action.low if finite else 2 * np.ones(action.shape),
                                     dtype=torch.float32)
        self.senses = [OutsideSense(name, space) for name, space in self.single_observation_space.items()
                       if len(space.shape) == 1]
        self.task = EpisodeReturn()
        self.dt = self._seconds_per_step(self.envs.envs[0].unwrapped)
        self.stability = Stability(num_envs, torch.device("cpu"))  # the physics is not ours: nothing diverges here

    @staticmethod
    def _sense(name: str, space: spaces.Space) -> spaces.Box:
        if _image(space):
            return space
        if isinstance(space, spaces.Box):
            return spaces.Box(-np.inf, np.inf, (math.prod(space.shape),), np.float32)
        raise ValueError(f"observation entry {name!r} is {space}; outside worlds take Box entries (uint8 images "
                         "[H, W, C], or anything that flattens to a vector)")

    @staticmethod
    def _seconds_per_step(env) -> float:
        """Simulated seconds a step takes: the environment's own `dt` (MuJoCo's environments have one), else a frame
        of its rendering, else a second."""
        if isinstance(getattr(env, "dt", None), int | float):
            return float(env.dt)
        fps = (getattr(env, "metadata", None) or {}).get("render_fps")
        return 1.0 / fps if fps else 1.0

    def _tensors(self, observation, batched: bool = True) -> dict[str, torch.Tensor]:
        """Observations as tensors on `device`: [N, ...] of the batch, or one world's (`batched` False)."""
        entries = observation if isinstance(observation, dict) else {"state": observation}
        tensors = {}
        for name, space in self.single_observation_space.items():
            value = torch.as_tensor(np.asarray(entries[name]))
            if not _image(space):
                value = value.reshape(*value.shape[:1 if batched else 0], -1).float()
            tensors[name] = value.to(self.device)
        return tensors

    def reset(self, *, seed: int | None = None, options: dict | None = None):
        observation, _ = self.envs.reset(seed=self.seed if seed is None else seed)
        return self._tensors(observation), {}

    def step(self, actions):
        actions = shaped_actions(actions, self.num_envs, self.single_action_space.shape).cpu()
        finite = torch.isfinite(actions).all(dim=1)
        if not finite.all():
            raise nonfinite_actions((~finite).nonzero().flatten().tolist())
        stretched = self._low + (actions.clamp(-1, 1) + 1) / 2 * self._span
        observation, reward, terminated, truncated, infos = self.envs.step(stretched.numpy())
        observation = self._tensors(observation)
        reward = torch.as_tensor(reward, dtype=torch.float32)
        terminated, truncated = torch.as_tensor(terminated), torch.as_tensor(truncated)
        done = terminated | truncated
        info = {"reward": reward, "episode_end": done.float(), "unstable": torch.zeros_like(done)}
        if done.any():
            final = {name: value.clone() for name, value in observation.items()}
            for world in done.nonzero().flatten().tolist():
                for name, value in self._tensors(infos["final_obs"][world], batched=False).items():
                    final[name][world] = value
            info["final_obs"] = final
        info = {k: v.to(self.device) if isinstance(v, torch.Tensor) else v for k, v in info.items()}
        return observation, *(t.to(self.device) for t in (reward, terminated, truncated)), info

    def check_faults(self) -> None:
        """Nothing waits: an outside world checks its actions at every step (it runs on the host)."""

    def reference_actions(self) -> torch.Tensor:
        raise ValueError("an outside world has no scripted animal to act in it")

    def render_overview(self, env_id: int = 0, width: int = 256, height: int | None = None) -> np.ndarray:
        """The environment's own picture of one world [height, width, 3], scaled to size (nearest pixel)."""
        frame = np.asarray(self.envs.render()[env_id])[..., :3]
        height = height or round(width * frame.shape[0] / frame.shape[1])
        rows = np.arange(height) * frame.shape[0] // height
        columns = np.arange(width) * frame.shape[1] // width
        return np.ascontiguousarray(frame[rows][:, columns])

    def render(self):
        return tuple(self.render_overview(index) for index in range(self.num_envs))

    def close(self) -> None:
        self.envs.close()

    def __enter__(self) -> "OutsideWorld":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
