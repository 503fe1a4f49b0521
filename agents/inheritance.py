"""What an ancestry passes to a newborn: an inheritance artifact (weights, a genome, a mask or a plasticity
rule), the network it fits, how many bits it carries, and a record of the ancestry that made it.

The ancestral phase (embodied ancestry) writes one; a prior that names it (`prior.artifact`) reads it at
birth. An artifact made for another body, sense set or architecture is refused with what differs, never
loaded into a network of another shape.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from agents.actor_critic import ActorCritic


class InheritanceError(Exception):
    """An artifact that cannot be inherited: missing, corrupt, or made for another agent."""


@dataclass
class Inheritance:
    """`kind` names what `tensors` hold ("weights", "genome", "mask", "rule"); `bits` is the information a
    newborn inherits from it (the headline number of every compression study); `signature` is the network
    it fits (see `signature`); `record` describes the ancestry (its config, worlds, steps, final score)."""

    kind: str
    tensors: dict[str, torch.Tensor]
    signature: dict[str, Any]
    bits: int
    record: dict[str, Any] = field(default_factory=dict)

    def state(self) -> dict[str, Any]:
        """A dict of tensors and plain values, which torch.save writes and torch.load(weights_only=True) reads."""
        return {"kind": self.kind, "tensors": self.tensors, "signature": self.signature, "bits": int(self.bits),
                "record": self.record}


def signature(agent: ActorCritic) -> dict[str, Any]:
    """What a newborn must share with the ancestor for an inheritance to fit: its senses and their shapes, its
    action size, and its architecture (the agent options and every parameter's shape)."""
    return {
        "senses": {name: [list(space.shape), str(space.dtype)]
                   for name, space in agent.observation_space.spaces.items()},
        "actions": int(agent.action_space.shape[0]),
        "agent": agent.cfg.model_dump(mode="json"),
        "parameters": {name: list(p.shape) for name, p in agent.state_dict().items()},
    }


def check_signature(inheritance: Inheritance, agent: ActorCritic, source: str | Path) -> None:
    """Refuse an artifact made for another agent, naming what differs and how to make them match."""
    mine, theirs = signature(agent), inheritance.signature
    problems = []
    if theirs.get("senses") != mine["senses"]:
        problems.append(f"senses {_brief(theirs.get('senses'))} (this world gives {_brief(mine['senses'])}; use the "
                        "ancestry's world.name, world.senses, world.eyes, world.depth and world.vision_size)")
    if theirs.get("actions") != mine["actions"]:
        problems.append(f"{theirs.get('actions')} actions (this body has {mine['actions']}; use the ancestry's body)")
    if theirs.get("agent") != mine["agent"]:
        differ = sorted(k for k in mine["agent"] if (theirs.get("agent") or {}).get(k) != mine["agent"][k])
        problems.append(f"another architecture (agent.{', agent.'.join(differ)} differ; use the ancestry's agent "
                        "options)")
    if not problems and theirs.get("parameters") != mine["parameters"]:
        problems.append("parameters of other shapes")
    if problems:
        raise InheritanceError(f"{source} was made for another agent: " + "; ".join(problems))


def load_inheritance(path: str | Path) -> Inheritance:
    """Read an artifact written by the ancestral phase; a missing or corrupt file is an error that says so."""
    path = Path(path)
    if not path.is_file():
        raise InheritanceError(f"inheritance artifact not found: {path}; make one with `embodied ancestry CONFIG`")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
        return Inheritance(state["kind"], dict(state["tensors"]), dict(state["signature"]), int(state["bits"]),
                           dict(state.get("record", {})))
    except Exception as e:  # torch raises many kinds on a truncated or foreign file
        raise InheritanceError(f"{path} is not a readable inheritance artifact ({type(e).__name__}: {e}); "
                               "make it again with `embodied ancestry CONFIG`") from None


def _brief(senses: Any) -> str:
    if not isinstance(senses, dict):
        return repr(senses)
    return "{" + ", ".join(f"{name} {'x'.join(map(str, shape))}" for name, (shape, _) in senses.items()) + "}"
