"""Self-supervised auxiliary losses, built by name from their weights in AuxConfig."""

from collections.abc import Callable

from agents.actor_critic import ActorCritic
from agents.aux.base import AuxiliaryLoss, Transitions
from agents.aux.forward_model import ForwardModel
from agents.config import AuxConfig

LOSSES: dict[str, Callable[[ActorCritic], AuxiliaryLoss]] = {
    "forward_model": lambda agent: ForwardModel(agent.cfg.latent, agent.action_space.shape[0]),
}


def build_aux_losses(cfg: AuxConfig, agent: ActorCritic) -> list[tuple[AuxiliaryLoss, float]]:
    """(loss, weight) for every loss whose weight is positive."""
    return [(LOSSES[name](agent), weight) for name, weight in cfg if weight > 0]


__all__ = ["AuxiliaryLoss", "ForwardModel", "Transitions", "build_aux_losses"]
