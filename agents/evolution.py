"""Evolution strategies (Salimans, Ho, Chen, Sidor and Sutskever 2017): evolution as a search over one flat
vector of genes (a network's weights, or a plasticity rule's coefficients) with no gradient through the body.

Each generation draws a population of antithetic Gaussian perturbations of the mean (every +e has its -e, which
cancels the noise that the mean's own fitness would add to the estimate), lives each one out, ranks their
fitness (so one lucky life cannot dominate and the step does not depend on the scale of the return), and moves
the mean by Adam along the rank-weighted sum of the perturbations.
"""

from typing import Literal

import torch
from pydantic import BaseModel, ConfigDict, Field, field_validator
from torch import nn

from agents.learning_rules.hebbian import rule_state


class ESConfig(BaseModel):
    """Evolution strategies in the ancestral phase (`ancestry.method=es`)."""

    model_config = ConfigDict(extra="forbid")

    evolve: Literal["weights", "rule"] = Field(
        "weights", description="the genes: the network's weights, or the coefficients of its Hebbian layers' rule"
    )
    population: int = Field(32, ge=2, description="lives per generation, one world each; even (antithetic pairs)")
    sigma: float = Field(0.05, gt=0, description="std of the Gaussian perturbations of the genes")
    learning_rate: float = Field(0.02, gt=0, description="Adam step on the mean genes")
    generations: int = Field(100, ge=1, description="generations, each in the next ancestral world and seed")
    episode_steps: int = Field(200, ge=1, description="control steps of one life (its return is the fitness)")

    @field_validator("population")
    @classmethod
    def _population_is_even(cls, population: int) -> int:
        if population % 2:
            raise ValueError(f"population {population} is odd; antithetic pairs need an even population, e.g. "
                             f"{population + 1}")
        return population


def centered_ranks(fitness: torch.Tensor) -> torch.Tensor:
    """Fitness replaced by its rank, scaled to [-0.5, 0.5] (ties broken by order)."""
    ranks = torch.empty_like(fitness)
    ranks[fitness.argsort()] = torch.arange(len(fitness), dtype=fitness.dtype)
    return ranks / (len(fitness) - 1) - 0.5


class EvolutionStrategy:
    """The search state: the mean genes, Adam's moments, and the random stream of the perturbations."""

    def __init__(self, mean: torch.Tensor, cfg: ESConfig, seed: int, betas: tuple[float, float] = (0.9, 0.999)):
        self.cfg, self.betas = cfg, betas
        self.mean = mean.detach().flatten().double().clone()
        self.generator = torch.Generator().manual_seed(seed)
        self.moment, self.second_moment = torch.zeros_like(self.mean), torch.zeros_like(self.mean)
        self.steps = 0
        self.noise: torch.Tensor | None = None

    def ask(self) -> torch.Tensor:
        """The population's genes [population, size]: the mean plus sigma times +e_i for the first half and -e_i
        for the second."""
        half = torch.randn(self.cfg.population // 2, len(self.mean), generator=self.generator, dtype=self.mean.dtype)
        self.noise = torch.cat([half, -half])
        return (self.mean + self.cfg.sigma * self.noise).float()

    def tell(self, fitness: torch.Tensor) -> None:
        """Move the mean uphill from the fitness [population] of the genes `ask` gave last."""
        if self.noise is None or len(fitness) != len(self.noise):
            raise ValueError(f"tell wants one fitness per member of the last ask ({self.cfg.population})")
        weights = centered_ranks(fitness.detach().double().cpu())
        gradient = weights @ self.noise / (len(weights) * self.cfg.sigma)
        self.steps += 1
        (b1, b2), lr = self.betas, self.cfg.learning_rate
        self.moment.mul_(b1).add_(gradient, alpha=1 - b1)
        self.second_moment.mul_(b2).addcmul_(gradient, gradient, value=1 - b2)
        step = lr * (self.moment / (1 - b1**self.steps)) / ((self.second_moment / (1 - b2**self.steps)).sqrt() + 1e-8)
        self.mean += step
        self.noise = None

    def state_dict(self) -> dict:
        """All a resumed search needs to go on as if never stopped: the mean, Adam's moments and step count, and
        the perturbations' random stream (taken between generations, so there is no pending `ask`)."""
        return {"mean": self.mean.clone(), "moment": self.moment.clone(), "second_moment": self.second_moment.clone(),
                "steps": self.steps, "generator": self.generator.get_state()}

    def load_state_dict(self, state: dict) -> None:
        if state["mean"].shape != self.mean.shape:
            raise ValueError(f"a search over {len(state['mean'])} genes cannot continue one over {len(self.mean)}")
        self.mean, self.moment, self.second_moment = (state[key].double().clone()
                                                      for key in ("mean", "moment", "second_moment"))
        self.steps = int(state["steps"])
        self.generator.set_state(state["generator"])
        self.noise = None


def genes(agent: nn.Module, evolve: str) -> dict[str, torch.Tensor]:
    """The tensors of `agent` that evolution searches over, by state-dict name: every parameter, or the
    Hebbian layers' rule (an error if it has none)."""
    if evolve == "weights":
        return dict(agent.named_parameters())
    tensors = rule_state(agent)
    if not tensors:
        raise ValueError("ancestry.es.evolve=rule evolves a Hebbian rule, but the agent has no Hebbian layer; set "
                     "agent.learning_rule=hebbian or agent.layer_rules: {GROUP: hebbian}")
    return tensors


def flatten(tensors: dict[str, torch.Tensor]) -> torch.Tensor:
    return torch.cat([t.detach().flatten().float() for t in tensors.values()])


@torch.no_grad()
def load_genes(tensors: dict[str, torch.Tensor], vector: torch.Tensor) -> None:
    """Write the flat `vector` back into `tensors`, in order."""
    offset = 0
    for tensor in tensors.values():
        tensor.copy_(vector[offset:offset + tensor.numel()].view_as(tensor))
        offset += tensor.numel()
    if offset != len(vector):
        raise ValueError(f"{len(vector)} genes for {offset} values")
