"""The genome proper: a small network g(layer, post, pre, tap) -> weight that decodes every synapse of the newborn,
plus each layer's scale and shift (a layer's weights are fitted in units of their own spread, so the actor's
small output layer is as visible to the fit as the wide fusion layers).

One generator serves every layer, told apart by a one-hot layer code, rather than one generator per layer: a
per-layer generator costs at least its input width times its hidden width, more than a small layer's own
weights (a 4-input sense's first layer has 320), so a network of many small layers could not be compressed;
a shared one also lets a wiring rule common to several layers be stored once.
"""

import torch
from torch import nn

from agents.genome.synapses import Layer, SynapseCodes

GENERATOR = "generator."


class Generator(nn.Module):
    """An MLP from a synapse's code [B, width] to its weight in its layer's units [B]."""

    def __init__(self, width: int, hidden: int, depth: int):
        super().__init__()
        layers: list[nn.Module] = []
        for i in range(depth):
            layers += [nn.Linear(width if i == 0 else hidden, hidden), nn.SiLU()]
        self.net = nn.Sequential(*layers, nn.Linear(hidden, 1))

    def forward(self, codes: torch.Tensor) -> torch.Tensor:
        return self.net(codes).squeeze(-1)

    @classmethod
    def from_tensors(cls, tensors: dict[str, torch.Tensor]) -> "Generator":
        """The generator a genome artifact holds (its entries `generator.net.<i>.weight|bias`)."""
        state = {name.removeprefix(GENERATOR): t for name, t in tensors.items() if name.startswith(GENERATOR)}
        names = sorted((name for name in state if name.endswith(".weight")), key=lambda name: int(name.split(".")[1]))
        weights = [state[name] for name in names]
        if len(weights) < 2:
            raise ValueError("the artifact holds no generator (entries generator.net.<i>.weight)")
        generator = cls(weights[0].shape[1], weights[0].shape[0], len(weights) - 1)
        generator.load_state_dict(state)
        return generator


def parameter_count(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


@torch.no_grad()
def decode(generator: Generator, layers: list[Layer], scale: torch.Tensor, shift: torch.Tensor,
           chunk: int = 65536) -> dict[str, torch.Tensor]:
    """Every layer's weight and bias, decoded: the generator's output for each synapse, times its layer's scale,
    plus its layer's shift."""
    codes = SynapseCodes(layers)
    values = []
    for i in range(len(layers)):
        inputs = codes.of_layer(i)
        out = torch.cat([generator(inputs[j:j + chunk]) for j in range(0, len(inputs), chunk)])
        values.append(out * scale[i] + shift[i])
    return codes.split(torch.cat(values))
