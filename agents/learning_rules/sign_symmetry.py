"""Sign symmetry (Liao, Leibo and Poggio 2016; Moskovitz, Litwin-Kumar and Abbott 2018): errors travel back
through sign(W) times a fixed scale, so feedback shares only the sign of each forward weight, not its size.

The scale is that of a fresh forward layer of the same shape (see feedback_scale); B follows W's signs as
W learns, so there is nothing to store beyond W.
"""

import torch

from agents.learning_rules.feedback import FeedbackConv2d, FeedbackLinear, feedback_scale
from agents.learning_rules.rule import LearningRule


def _sign_feedback(weight: torch.Tensor) -> torch.Tensor:
    return weight.detach().sign() * feedback_scale(weight)


class SignSymmetryLinear(FeedbackLinear):
    def feedback(self) -> torch.Tensor:
        return _sign_feedback(self.weight)


class SignSymmetryConv2d(FeedbackConv2d):
    def feedback(self) -> torch.Tensor:
        return _sign_feedback(self.weight)


SIGN_SYMMETRY = LearningRule("sign_symmetry", SignSymmetryLinear, SignSymmetryConv2d)
