"""SB3's MultiInputPolicy with auxiliary heads of its own, so that `model.save` and `PPO.load` keep them.

The losses it can carry are those that need of a network only a latent of its observations (LATENT_LOSSES:
forward model, inverse dynamics, temporal contrast); their latent is SB3's features extractor output, what the
actor's MLP reads. Reconstruction and cross-modal prediction need our agent's per-sense encoders and sense
normalisers, which an SB3 policy does not have.
"""

import numpy as np
import torch
from gymnasium import spaces
from stable_baselines3.common.policies import BasePolicy, MultiInputActorCriticPolicy
from stable_baselines3.common.preprocessing import get_action_dim
from torch import nn

from agents.aux import LATENT_LOSSES, weighted
from agents.config import AuxConfig
from agents.sb3.buffer import AuxRolloutBuffer


class WithLoss(torch.autograd.Function):
    """`values` unchanged going forward; going back, the gradient of `loss` joins theirs. SB3's train step builds
    its loss from the values evaluate_actions returns and backpropagates it once per minibatch, so a loss riding
    on them is trained exactly as if added to SB3's loss: one backward pass, one gradient clip, one optimiser
    step, and none for a minibatch SB3 skips (target_kl)."""

    @staticmethod
    def forward(ctx, values: torch.Tensor, loss: torch.Tensor) -> torch.Tensor:
        return values.clone()

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return grad, torch.ones((), dtype=grad.dtype, device=grad.device)


class AuxPolicy(MultiInputActorCriticPolicy):
    """`aux` (an AuxConfig or its dict) weighs the losses, as `aux:` does in our configs."""

    def __init__(self, *args, aux: AuxConfig | dict | None = None, **kwargs):
        # Set before SB3's constructor, which calls _build, which builds the heads into the optimiser.
        self.aux = AuxConfig.model_validate(aux or {})
        self.aux_batches: AuxRolloutBuffer | None = None  # set by AuxPPO while it trains
        self.aux_values: dict[str, list[float]] = {}
        super().__init__(*args, **kwargs)

    def _build(self, lr_schedule) -> None:
        weights = weighted(self.aux)
        unsupported = sorted(set(weights) - set(LATENT_LOSSES))
        if unsupported:
            raise ValueError(f"the SB3 adapter cannot carry aux.{', aux.'.join(unsupported)}: it needs our agent's "
                             f"per-sense encoders; it carries {', '.join(LATENT_LOSSES)} (on SB3's features). Set "
                             "those weights to 0, or train with `embodied train`")
        if self.aux.augment:
            raise ValueError("the SB3 adapter does not shift images (SB3 keeps them channel-first, the shift works "
                             "on our channel-last ones): set aux.augment=0")
        box = self.action_space
        if weights and not (isinstance(box, spaces.Box) and np.all(box.low == -1) and np.all(box.high == 1)):
            raise ValueError(f"the auxiliary losses take actions clipped to [-1, 1], but the action space is {box}: "
                             "rescale the actions to [-1, 1] (stable_baselines3's RescaleAction wrapper)")
        action_size = get_action_dim(self.action_space)
        self.aux_losses = nn.ModuleList(
            LATENT_LOSSES[name](self.features_dim, action_size, self.aux) for name in weights
        )
        self.aux_weights = list(weights.values())
        super()._build(lr_schedule)

    def latent(self, obs: dict[str, torch.Tensor]) -> torch.Tensor:
        """What the auxiliary losses shape: SB3's features of `obs` (those the actor reads)."""
        return BasePolicy.extract_features(self, obs, self.pi_features_extractor)

    def evaluate_actions(self, obs, actions: torch.Tensor):
        if self.aux_batches is None or not self.aux_losses:
            return super().evaluate_actions(obs, actions)
        # The losses shape the features SB3 computes here for the actor: caught on their way, not encoded again.
        features = []
        catch = self.pi_features_extractor.register_forward_hook(lambda module, inputs, output: features.append(output))
        try:
            values, log_prob, entropy = super().evaluate_actions(obs, actions)
        finally:
            catch.remove()
        batch = self.aux_batches.transitions(obs, actions, features[0])
        total = values.new_zeros(())
        for loss, weight in zip(self.aux_losses, self.aux_weights, strict=True):
            value = loss(self, batch)
            self.aux_values.setdefault(loss.name, []).append(value.item())
            total = total + weight * value
        return WithLoss.apply(values, total), log_prob, entropy

    def _get_constructor_parameters(self) -> dict:
        return super()._get_constructor_parameters() | {"aux": self.aux.model_dump()}
