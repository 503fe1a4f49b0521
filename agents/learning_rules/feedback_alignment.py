"""Feedback alignment (Lillicrap, Cownden, Tweed and Akerman 2016): errors travel back through fixed random
matrices B, never through the forward weights W, so no synapse needs to know another's strength.

The forward weights learn to align with B, which is why the errors become useful. B is drawn once at
birth like W, independently (as Lillicrap et al. drew B from W's initial distribution): an orthogonal matrix
with the gain of the layer's own initialisation (see FeedbackRule for why the gain matters). B is kept as a
buffer, so it is saved with the agent and a resumed life uses the same B.
"""

import torch
from torch import nn

from agents.layer_init import RELU_GAIN
from agents.learning_rules.feedback import FeedbackConv2d, FeedbackLinear, FeedbackRule


def _random_feedback(layer: nn.Module, gain: float) -> None:
    feedback = torch.empty_like(layer.weight, requires_grad=False)
    nn.init.orthogonal_(feedback, gain)
    layer.register_buffer("feedback_weight", feedback)


class FeedbackAlignmentLinear(FeedbackLinear):
    def __init__(self, in_features: int, out_features: int, feedback_gain: float = RELU_GAIN):
        super().__init__(in_features, out_features)
        _random_feedback(self, feedback_gain)

    def feedback(self) -> torch.Tensor:
        return self.feedback_weight


class FeedbackAlignmentConv2d(FeedbackConv2d):
    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1, padding: int = 0,
                 feedback_gain: float = RELU_GAIN):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding)
        _random_feedback(self, feedback_gain)

    def feedback(self) -> torch.Tensor:
        return self.feedback_weight


FEEDBACK_ALIGNMENT = FeedbackRule("feedback_alignment", FeedbackAlignmentLinear, FeedbackAlignmentConv2d)
