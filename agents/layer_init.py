"""Blank-slate initialisation, as in CleanRL: orthogonal weights and zero biases."""

import math

from torch import nn

RELU_GAIN = math.sqrt(2)


def layer_init(layer: nn.Linear | nn.Conv2d, gain: float = RELU_GAIN) -> nn.Linear | nn.Conv2d:
    """Orthogonal init keeps activations at a steady scale through depth; `gain` sets the output scale."""
    nn.init.orthogonal_(layer.weight, gain)
    nn.init.zeros_(layer.bias)
    return layer
