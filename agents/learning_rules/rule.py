"""A learning rule is a layer factory whose backward differs: the network asks its rule for every Linear and
Conv2d, so the same architecture and the same optimiser learn by whichever rule each layer group names."""

from dataclasses import dataclass

from torch import nn

from agents.layer_init import RELU_GAIN, layer_init


@dataclass(frozen=True)
class LearningRule:
    """`linear` and `conv2d` are the layer classes (subclasses of nn.Linear and nn.Conv2d, so weights keep
    their usual names and shapes); the factory methods build them with the blank-slate initialisation."""

    name: str
    linear_class: type[nn.Linear]
    conv2d_class: type[nn.Conv2d]

    def linear(self, in_features: int, out_features: int, gain: float = RELU_GAIN) -> nn.Linear:
        return layer_init(self.linear_class(in_features, out_features, **self.layer_options(gain)), gain)

    def conv2d(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1, padding: int = 0,
               gain: float = RELU_GAIN) -> nn.Conv2d:
        layer = self.conv2d_class(in_channels, out_channels, kernel_size, stride=stride, padding=padding,
                                  **self.layer_options(gain))
        return layer_init(layer, gain)

    def layer_options(self, gain: float) -> dict:
        """Options this rule's layer classes take beyond nn.Linear's and nn.Conv2d's, given the gain of the
        forward weights' initialisation."""
        return {}
