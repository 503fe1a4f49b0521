"""Fitting a genome to what the ancestor does rather than to its weights alone.

Regression on weights keeps the parts of a layer that follow a rule of the neurons' codes; a layer that grew from
a random initialisation is mostly not such a part (its explained variance stays near zero), so a newborn decoded
from a genome ten times smaller than its ancestor loses the ancestor's behaviour. This step carries the
generator on from the regression and fits it through the decoder, so that the network it decodes acts as the
ancestor did (the same mean action) on observations the ancestor met in its ancestral worlds: the genome keeps a
wiring that behaves like the ancestor's, among the many that do, rather than the ancestor's own. The gradient
reaches the generator through every layer of the decoded network; a layer trained by a rule without weight
transport passes it down by its own feedback, so the fit is then approximate.
"""

import torch
from torch import nn
from torch.func import functional_call

from agents.actor_critic import ActorCritic, Obs
from agents.genome.generator import Generator
from agents.genome.synapses import SynapseCodes


class _MeanAction(nn.Module):
    """The agent's mean action before any innate circuit, as a module call, so that functional_call can run the
    agent with decoded weights in place of its own."""

    def __init__(self, agent: ActorCritic):
        super().__init__()
        self.agent = agent

    def forward(self, obs: Obs) -> torch.Tensor:
        return self.agent.actor_mean(self.agent.latent(obs))


def fit_behaviour(generator: Generator, codes: SynapseCodes, scale: torch.Tensor, shift: torch.Tensor,
                  ancestor: ActorCritic, observations: Obs, steps: int, batch: int, learning_rate: float
                  ) -> tuple[float, float]:
    """Adam steps on `generator` so that the decoded network's mean actions match `ancestor`'s on `observations`
    (a dict of [N, ...] tensors); the ancestor's own state (its senses' statistics) runs the decoded network.
    Returns the mean squared action difference over all the observations, as a share of the variance of the
    ancestor's actions, before and after."""
    mean_action = _MeanAction(ancestor).eval()
    with torch.no_grad():
        target = mean_action(observations)
    inputs = codes.all()
    layer_of = torch.repeat_interleave(torch.arange(len(codes.layers)), codes.offsets.diff())
    unit_scale, unit_shift = scale[layer_of], shift[layer_of]

    def decoded() -> dict[str, torch.Tensor]:
        return {f"agent.{name}": t for name, t in codes.split(generator(inputs) * unit_scale + unit_shift).items()}

    def action_error() -> float:
        with torch.no_grad():
            error = (functional_call(mean_action, decoded(), (observations,)) - target).square().mean()
            return float(error / target.var(0, unbiased=False).mean().clamp(min=1e-12))

    before = action_error()
    optimiser = torch.optim.Adam(generator.parameters(), lr=learning_rate)
    count = len(target)
    for _ in range(steps):
        index = torch.randint(count, (min(batch, count),))
        obs = {name: value[index] for name, value in observations.items()}
        loss = (functional_call(mean_action, decoded(), (obs,)) - target[index]).square().mean()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return before, action_error()
