"""Layers whose backward pass sends errors to their input through feedback weights B instead of W^T.

This is what every rule without weight transport shares (feedback alignment, sign symmetry): the forward
pass is the ordinary layer, the weight and bias gradients are the ordinary local ones (the error times the
layer's own input), and only the error handed down to the layer below uses B. Each layer class says what
its B is in `feedback()`, and starts it at the scale of its own W (FeedbackRule).
"""

import torch
import torch.nn.functional as F
from torch import nn

from agents.learning_rules.rule import LearningRule


class FeedbackRule(LearningRule):
    """A rule whose layers take `feedback_gain`, the gain of their forward weights' initialisation, so that B
    starts at W's scale. The gain matters: the actor's head starts near zero, so its B does too, and the
    shared latent is first shaped by the critic's errors, as under backprop. With every B at full scale
    instead, the policy gradient's noise flooded the latent: in 120k-step forage runs the critic's explained
    variance stayed below zero, feedback alignment ended at 0 food per minute, and sign symmetry on seed 1 at
    the random walker's 0.75 (21 with B at W's scale)."""

    def layer_options(self, gain: float) -> dict:
        return {"feedback_gain": gain}


class _LinearThroughFeedback(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, feedback):
        ctx.save_for_backward(x, feedback)
        return F.linear(x, weight, bias)

    @staticmethod
    def backward(ctx, grad_out):
        x, feedback = ctx.saved_tensors
        grad_x = grad_out @ feedback if ctx.needs_input_grad[0] else None
        flat_out, flat_x = grad_out.reshape(-1, grad_out.shape[-1]), x.reshape(-1, x.shape[-1])
        grad_weight = flat_out.T @ flat_x if ctx.needs_input_grad[1] else None
        grad_bias = flat_out.sum(0) if ctx.needs_input_grad[2] else None
        return grad_x, grad_weight, grad_bias, None


class _Conv2dThroughFeedback(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, feedback, stride, padding):
        ctx.save_for_backward(x, feedback)
        ctx.weight_shape, ctx.stride, ctx.padding = weight.shape, stride, padding
        return F.conv2d(x, weight, bias, stride, padding)

    @staticmethod
    def backward(ctx, grad_out):
        x, feedback = ctx.saved_tensors
        grad_x = grad_weight = grad_bias = None
        if ctx.needs_input_grad[0]:
            grad_x = torch.nn.grad.conv2d_input(x.shape, feedback, grad_out, ctx.stride, ctx.padding)
        if ctx.needs_input_grad[1]:
            grad_weight = torch.nn.grad.conv2d_weight(x, ctx.weight_shape, grad_out, ctx.stride, ctx.padding)
        if ctx.needs_input_grad[2]:
            grad_bias = grad_out.sum((0, 2, 3))
        return grad_x, grad_weight, grad_bias, None, None, None


class FeedbackLinear(nn.Linear):
    """A linear layer whose input receives grad_out @ feedback() instead of grad_out @ W."""

    def feedback(self) -> torch.Tensor:
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return _LinearThroughFeedback.apply(x, self.weight, self.bias, self.feedback())


class FeedbackConv2d(nn.Conv2d):
    """A convolution whose input receives the transposed convolution of the error with feedback(), not W.

    Zero padding, no dilation and no groups: the layers the agent's eye uses."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1, padding: int = 0):
        super().__init__(in_channels, out_channels, kernel_size, stride=stride, padding=padding)

    def feedback(self) -> torch.Tensor:
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return _Conv2dThroughFeedback.apply(x, self.weight, self.bias, self.feedback(), self.stride, self.padding)
