"""The ancestor a prior inherits from: its artifact, checked to fit the newborn, and the part of it inherited."""

from agents.actor_critic import ActorCritic
from agents.config import PriorConfig
from agents.inheritance import Inheritance, InheritanceError, check_signature, load_inheritance


def load_ancestor(agent: ActorCritic, cfg: PriorConfig, kind: str) -> Inheritance:
    """The artifact `cfg.artifact`, refused unless it holds `kind` and was made for an agent like `agent`."""
    ancestor = load_inheritance(cfg.artifact)
    if ancestor.kind != kind:
        raise InheritanceError(f"{cfg.artifact} holds {ancestor.kind!r}, but prior {cfg.name!r} inherits {kind!r}; "
                               "give it an artifact made by `embodied ancestry`")
    check_signature(ancestor, agent, cfg.artifact)
    return ancestor


def inherited(name: str, cfg: PriorConfig) -> bool:
    """Whether the state entry `name` is passed on: every entry, or only the sensory encoders' (their
    weights and their senses' running statistics), as `cfg.parts` says."""
    return cfg.parts == "all" or name.startswith("encoders.")
