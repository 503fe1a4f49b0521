"""Backprop: the ordinary layers, whose errors travel back through the transposed forward weights."""

from torch import nn

from agents.learning_rules.rule import LearningRule

BACKPROP = LearningRule("backprop", nn.Linear, nn.Conv2d)
