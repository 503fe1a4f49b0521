"""The synapses a genome wires: every weight and bias of every layer, each named by the codes of the neurons it
joins, so one generator can be asked for any of them.

A layer is a state entry `<layer>.weight` of two or more dimensions with a `<layer>.bias` beside it: a linear
layer [out, in] or a convolution [out, in, kh, kw]. A synapse's input to the generator is

    [ layer (one-hot) | post-synaptic neuron | pre-synaptic neuron | kernel row | kernel column ]

where each neuron part is the binary code of an index (agents/genome/codes.py), padded to the widest layer's.
A convolution's kernel taps are synapses of their own, told apart by the tap's row and column. The bias is the
synapse from one extra pre-synaptic neuron (index `in`) that always fires, so the generator decodes biases the
way it decodes weights.
"""

from dataclasses import dataclass

import torch

from agents.genome.codes import binary_codes, code_bits


@dataclass(frozen=True)
class Layer:
    """A decoded layer: its name (the state entries `<name>.weight` and `<name>.bias`) and its weight's shape."""

    name: str
    shape: tuple[int, ...]

    @property
    def kernel(self) -> tuple[int, int]:
        return (self.shape[2], self.shape[3]) if len(self.shape) == 4 else (1, 1)

    @property
    def synapses(self) -> int:
        """Weights and biases: out x in x kernel taps, plus out."""
        return self.shape[0] * self.shape[1] * self.kernel[0] * self.kernel[1] + self.shape[0]


def decoded_layers(shapes: dict[str, list[int] | tuple[int, ...]]) -> list[Layer]:
    """The layers of a state dict's entry shapes (name -> shape), in state dict order."""
    layers = []
    for name, shape in shapes.items():
        prefix = name.removesuffix(".weight")
        if name.endswith(".weight") and len(shape) in (2, 4) and f"{prefix}.bias" in shapes:
            layers.append(Layer(prefix, tuple(shape)))
    if not layers:
        raise ValueError("no layer (a `.weight` of 2 or 4 dimensions with a `.bias`) to decode in this network")
    return layers


def decoded_entries(layers: list[Layer]) -> set[str]:
    """The state entries a genome decodes: every layer's weight and bias."""
    return {f"{layer.name}.{part}" for layer in layers for part in ("weight", "bias")}


class SynapseCodes:
    """The generator's input for every synapse of `layers`, layer after layer (each: its weights in the weight's
    own order, then its biases), and where each layer's synapses lie in that list."""

    def __init__(self, layers: list[Layer]):
        self.layers = layers
        self.post_bits = max(code_bits(layer.shape[0]) for layer in layers)
        self.pre_bits = max(code_bits(layer.shape[1] + 1) for layer in layers)  # + the bias neuron
        self.row_bits = max(code_bits(layer.kernel[0]) for layer in layers)
        self.col_bits = max(code_bits(layer.kernel[1]) for layer in layers)
        self.width = len(layers) + self.post_bits + self.pre_bits + self.row_bits + self.col_bits
        sizes = [layer.synapses for layer in layers]
        self.offsets = torch.tensor([0, *sizes]).cumsum(0)

    @property
    def count(self) -> int:
        return int(self.offsets[-1])

    def of_layer(self, i: int) -> torch.Tensor:
        """[synapses, width] inputs of layer `i`'s weights (in the weight's own order), then its biases."""
        layer = self.layers[i]
        out, inputs = layer.shape[0], layer.shape[1]
        rows, cols = layer.kernel
        post, pre = torch.arange(out), torch.arange(inputs)
        row, col = torch.arange(rows), torch.arange(cols)
        weights = torch.stack(torch.meshgrid(post, pre, row, col, indexing="ij"), -1).reshape(-1, 4)
        biases = torch.stack([post, torch.full_like(post, inputs), torch.zeros_like(post), torch.zeros_like(post)], -1)
        index = torch.cat([weights, biases])
        one_hot = torch.zeros(len(index), len(self.layers))
        one_hot[:, i] = 1.0
        return torch.cat([
            one_hot,
            binary_codes(out, self.post_bits)[index[:, 0]],
            binary_codes(inputs + 1, self.pre_bits)[index[:, 1]],
            binary_codes(rows, self.row_bits)[index[:, 2]],
            binary_codes(cols, self.col_bits)[index[:, 3]],
        ], dim=1)

    def all(self) -> torch.Tensor:
        """[count, width] inputs of every synapse."""
        return torch.cat([self.of_layer(i) for i in range(len(self.layers))])

    def split(self, values: torch.Tensor) -> dict[str, torch.Tensor]:
        """One value per synapse [count] -> every layer's weight and bias, shaped as the layer's."""
        state = {}
        for i, layer in enumerate(self.layers):
            chunk = values[self.offsets[i]:self.offsets[i + 1]]
            state[f"{layer.name}.weight"] = chunk[:-layer.shape[0]].reshape(layer.shape)
            state[f"{layer.name}.bias"] = chunk[-layer.shape[0]:]
        return state

    def gather(self, state: dict[str, torch.Tensor]) -> torch.Tensor:
        """The inverse of split: every layer's weight and bias from `state`, as one value per synapse [count]."""
        return torch.cat([torch.cat([state[f"{layer.name}.weight"].reshape(-1), state[f"{layer.name}.bias"]])
                          for layer in self.layers]).float()
