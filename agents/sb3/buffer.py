"""SB3's dict rollout buffer, made to know what came after each observation.

SB3 keeps obs[t] with episode_starts[t] (obs[t] is a life's first) for t < T, but not the observation after
the last step, and its minibatches are bare samples that forget where in the rollout they came from. The
auxiliary losses need both: the next observation (and the ones k steps later) of each sampled row, and where
a life ended in between.
"""

from functools import partial

import numpy as np
import torch
from stable_baselines3.common.buffers import DictRolloutBuffer
from stable_baselines3.common.type_aliases import DictRolloutBufferSamples

from agents.aux.base import Transitions
from agents.aux.sequences import Sequences


class AuxRolloutBuffer(DictRolloutBuffer):
    def reset(self) -> None:
        super().reset()
        self.sequences: Sequences | None = None
        self.sampled: np.ndarray | None = None

    def close(self, last_obs: dict[str, np.ndarray], last_episode_starts: np.ndarray) -> None:
        """Keep the rollout in the order lived, with the observation after its last step (the algorithm's
        _last_obs); called once the buffer is full, before SB3 flattens it into minibatches."""
        obs = {key: self.to_torch(np.concatenate([x, last_obs[key][None]])) for key, x in self.observations.items()}
        # SB3's episode_starts[t + 1] is our dones[t]: obs[t + 1] begins a new life, so nothing links it to obs[t].
        starts = np.concatenate([self.episode_starts[1:], np.asarray(last_episode_starts, np.float32)[None]])
        self.sequences = Sequences(obs, self.to_torch(starts) > 0.5)

    def _get_samples(self, batch_inds: np.ndarray, env=None) -> DictRolloutBufferSamples:
        self.sampled = batch_inds
        return super()._get_samples(batch_inds, env)

    def transitions(self, obs: dict[str, torch.Tensor], actions: torch.Tensor, latent: torch.Tensor) -> Transitions:
        """The minibatch SB3 sampled last (its obs, actions and their latent), as transitions."""
        if self.sequences is None:
            raise RuntimeError("AuxRolloutBuffer.close(last_obs, last_episode_starts) must follow a full rollout; "
                               "AuxPPO does it, a plain PPO does not")
        # SB3 flattens [T, N] world by world: row i is step i % T of world i // T.
        index = torch.as_tensor(self.sampled, device=self.device)
        later = partial(self.sequences.later, index % self.buffer_size, index // self.buffer_size)
        following = later(1)
        return Transitions(obs, following.obs, actions, following.valid, latent, later)
