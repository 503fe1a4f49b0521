"""Sign symmetry (Liao, Leibo and Poggio 2016; Moskovitz, Litwin-Kumar and Abbott 2018): errors travel back
through sign(W) times a fixed scale, so feedback shares only the sign of each forward weight, not its size.

The scale is the typical size of the layer's weights at birth (an orthogonal matrix of W's shape with the gain
of its initialisation; see FeedbackRule for why the gain matters); B follows W's signs as W learns, so there
is nothing to store beyond W.
"""

import math

import torch

from agents.layer_init import RELU_GAIN
from agents.learning_rules.feedback import FeedbackConv2d, FeedbackLinear, FeedbackRule


def birth_scale(weight: torch.Tensor, gain: float) -> float:
    """The root mean square entry of an orthogonal matrix of the weight's shape ([out, fan_in]) with `gain`."""
    rows, cols = weight.shape[0], weight[0].numel()
    return gain / math.sqrt(max(rows, cols))


class SignSymmetryLinear(FeedbackLinear):
    def __init__(self, in_features: int, out_features: int, feedback_gain: float = RELU_GAIN):
        super().__init__(in_features, out_features)
        self.feedback_scale = birth_scale(self.weight, feedback_gain)

    def feedback(self) -> torch.Tensor:
        return self.weight.detach().sign() * self.feedback_scale


class SignSymmetryConv2d(FeedbackConv2d):
    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1, padding: int = 0,
                 feedback_gain: float = RELU_GAIN):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding)
        self.feedback_scale = birth_scale(self.weight, feedback_gain)

    def feedback(self) -> torch.Tensor:
        return self.weight.detach().sign() * self.feedback_scale


SIGN_SYMMETRY = FeedbackRule("sign_symmetry", SignSymmetryLinear, SignSymmetryConv2d)
