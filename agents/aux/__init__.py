"""Self-supervised auxiliary losses, built by name from their weights in AuxConfig."""

from collections.abc import Callable

from agents.actor_critic import ActorCritic
from agents.aux.base import AuxiliaryLoss, Transitions
from agents.aux.cross_modal import CrossModal
from agents.aux.forward_model import ForwardModel
from agents.aux.inverse_dynamics import InverseDynamics
from agents.aux.reconstruction import Reconstruction
from agents.aux.temporal_contrast import TemporalContrast
from agents.config import AuxConfig

# Losses that need of the agent only a latent of its observations (`agent.latent(obs)`), of the given width, and
# the action size: any network that encodes observations can carry them (stable-baselines3's too, agents/sb3).
# Each builder gets the latent width, the action size and the whole config (options such as the augmentation).
LATENT_LOSSES: dict[str, Callable[[int, int, AuxConfig], AuxiliaryLoss]] = {
    "forward_model": lambda latent, actions, cfg: ForwardModel(latent, actions, cfg.augment),
    "inverse_dynamics": lambda latent, actions, cfg: InverseDynamics(latent, actions, cfg.augment),
    "temporal_contrast": lambda latent, actions, cfg: TemporalContrast(
        latent, cfg.augment, cfg.contrast_steps, cfg.contrast_temperature
    ),
}

# Every loss, built from our agent and the whole config.
LOSSES: dict[str, Callable[[ActorCritic, AuxConfig], AuxiliaryLoss]] = {
    **{
        name: lambda agent, cfg, build=build: build(agent.cfg.latent, agent.action_space.shape[0], cfg)
        for name, build in LATENT_LOSSES.items()
    },
    "reconstruction": lambda agent, cfg: Reconstruction(agent, cfg.augment),
    "cross_modal": lambda agent, cfg: CrossModal(agent, cfg.augment),
}


def weighted(cfg: AuxConfig) -> dict[str, float]:
    """The weight of every loss the config turns on (a positive weight), by name."""
    return {name: getattr(cfg, name) for name in LOSSES if getattr(cfg, name) > 0}


def build_aux_losses(cfg: AuxConfig, agent: ActorCritic) -> list[tuple[AuxiliaryLoss, float]]:
    """(loss, weight) for every loss whose weight is positive."""
    return [(LOSSES[name](agent, cfg), weight) for name, weight in weighted(cfg).items()]


__all__ = [
    "AuxiliaryLoss",
    "CrossModal",
    "ForwardModel",
    "InverseDynamics",
    "LATENT_LOSSES",
    "LOSSES",
    "Reconstruction",
    "TemporalContrast",
    "Transitions",
    "build_aux_losses",
    "weighted",
]
