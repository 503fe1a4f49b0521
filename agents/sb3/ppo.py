"""SB3's PPO with our auxiliary losses: rollouts kept in the order lived, each loss logged as aux/<name>."""

import numpy as np
from stable_baselines3 import PPO

from agents.aux.base import check_reach
from agents.config import AuxConfig
from agents.sb3.buffer import AuxRolloutBuffer
from agents.sb3.policy import AuxPolicy


class AuxPPO(PPO):
    """`AuxPPO("MultiInputPolicy", env, aux={...})`: `aux` weighs the losses as `aux:` does in our configs (it goes
    to the policy, which owns the heads). Everything else is SB3's PPO."""

    policy_aliases = {"MultiInputPolicy": AuxPolicy}

    def __init__(self, policy, env, aux: AuxConfig | dict | None = None, **kwargs):
        if aux is not None:
            kwargs["policy_kwargs"] = {**(kwargs.get("policy_kwargs") or {}), "aux": aux}
        kwargs.setdefault("rollout_buffer_class", AuxRolloutBuffer)
        super().__init__(policy, env, **kwargs)

    def _setup_model(self) -> None:
        super()._setup_model()
        if not isinstance(self.policy, AuxPolicy):
            raise ValueError(f"AuxPPO trains an AuxPolicy (\"MultiInputPolicy\"), not {type(self.policy).__name__}")
        if not isinstance(self.rollout_buffer, AuxRolloutBuffer):
            raise ValueError("AuxPPO needs rollout_buffer_class=AuxRolloutBuffer, which keeps what follows each step")
        check_reach(self.policy.aux_losses, self.n_steps)

    def collect_rollouts(self, env, callback, rollout_buffer, n_rollout_steps: int) -> bool:
        full = super().collect_rollouts(env, callback, rollout_buffer, n_rollout_steps)
        if full:
            rollout_buffer.close(self._last_obs, self._last_episode_starts)
        return full

    def train(self) -> None:
        self.policy.aux_batches = self.rollout_buffer
        try:
            super().train()
        finally:
            self.policy.aux_batches = None
        for name, values in self.policy.aux_values.items():
            self.logger.record(f"aux/{name}", float(np.mean(values)))
        self.policy.aux_values.clear()
