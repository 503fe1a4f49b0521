"""Self-supervised auxiliary losses, built by name from their weights in AuxConfig."""

from collections.abc import Callable

from agents.actor_critic import ActorCritic
from agents.aux.base import AuxiliaryLoss, Transitions
from agents.aux.cross_modal import CrossModal
from agents.aux.forward_model import ForwardModel
from agents.aux.inverse_dynamics import InverseDynamics
from agents.aux.reconstruction import Reconstruction
from agents.config import AuxConfig

# Each builder gets the agent and the whole config (options such as the image augmentation live there).
LOSSES: dict[str, Callable[[ActorCritic, AuxConfig], AuxiliaryLoss]] = {
    "forward_model": lambda agent, cfg: ForwardModel(agent.cfg.latent, agent.action_space.shape[0], cfg.augment),
    "reconstruction": lambda agent, cfg: Reconstruction(agent, cfg.augment),
    "inverse_dynamics": lambda agent, cfg: InverseDynamics(agent.cfg.latent, agent.action_space.shape[0], cfg.augment),
    "cross_modal": lambda agent, cfg: CrossModal(agent, cfg.augment),
}


def build_aux_losses(cfg: AuxConfig, agent: ActorCritic) -> list[tuple[AuxiliaryLoss, float]]:
    """(loss, weight) for every loss whose weight is positive."""
    weights = {name: getattr(cfg, name) for name in LOSSES}
    return [(LOSSES[name](agent, cfg), weight) for name, weight in weights.items() if weight > 0]


__all__ = [
    "AuxiliaryLoss",
    "CrossModal",
    "ForwardModel",
    "InverseDynamics",
    "LOSSES",
    "Reconstruction",
    "Transitions",
    "build_aux_losses",
]
