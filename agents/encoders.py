"""One encoder per sense: a small conv net (or, as an architectural control, a plain MLP) for each eye, a
normalised MLP for each vector sense. Every layer comes from the learning rule that trains the encoders."""

import numpy as np
import torch
from gymnasium import spaces
from torch import nn

from agents.config import AgentConfig
from agents.learning_rules import LearningRule, learning_rule
from agents.learning_rules.backprop import BACKPROP
from agents.normalizer import RunningNorm


class ImageEncoder(nn.Module):
    """uint8 HWC images [B, H, W, C] -> features [B, out_features].

    The first layer embeds non-overlapping `patch` x `patch` pixel patches (kernel = stride, as in a vision
    transformer's patch embedding): it sees every pixel once and costs a third of a stride-2 3x3 stack on
    the CPU. Stride-2 3x3 convolutions then halve the map per layer, so one architecture serves any eye
    resolution; the width of the final linear layer is measured on a blank image, not computed by hand.
    """

    def __init__(self, shape: tuple[int, int, int], channels: tuple[int, ...], out_features: int, patch: int,
                 rule: LearningRule = BACKPROP):
        super().__init__()
        # Zero rows and columns pad an image whose side is not a multiple of the patch, so no pixel is lost.
        pad = nn.ZeroPad2d((0, -shape[1] % patch, 0, -shape[0] % patch))
        layers: list[nn.Module] = [pad, rule.conv2d(shape[2], channels[0], kernel_size=patch, stride=patch), nn.ReLU()]
        in_channels = channels[0]
        for c in channels[1:]:
            layers += [rule.conv2d(in_channels, c, kernel_size=3, stride=2, padding=1), nn.ReLU()]
            in_channels = c
        self.conv = nn.Sequential(*layers, nn.Flatten())
        with torch.no_grad():
            flat = self.conv(torch.zeros(1, shape[2], shape[0], shape[1])).shape[1]
        self.head = nn.Sequential(rule.linear(flat, out_features), nn.ReLU())
        self.out_features = out_features
        # Images arrive channels-last (HWC); kernels stored the same way spare a transpose in every convolution
        # (about a sixth of the eye's forward and backward pass on the CPU).
        self.conv.to(memory_format=torch.channels_last)

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        x = image.permute(0, 3, 1, 2).float() / 255.0
        return self.head(self.conv(x))


class MLPImageEncoder(nn.Module):
    """uint8 HWC images [B, H, W, C] -> features [B, out_features] through dense layers on the flattened pixels.

    The control for architecture as a prior: no locality and no weight sharing, so whatever the conv eye
    gets from its wiring this eye must learn. It has as many layers as the conv eye (`depth`), each
    `out_features` wide.
    """

    def __init__(self, shape: tuple[int, int, int], depth: int, out_features: int, rule: LearningRule = BACKPROP):
        super().__init__()
        layers: list[nn.Module] = [nn.Flatten()]
        width = int(np.prod(shape))
        for _ in range(depth):
            layers += [rule.linear(width, out_features), nn.ReLU()]
            width = out_features
        self.mlp = nn.Sequential(*layers)
        self.out_features = out_features

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        return self.mlp(image.float() / 255.0)


class VectorEncoder(nn.Module):
    """Float vectors [B, k] -> features [B, hidden], through a running normaliser."""

    def __init__(self, size: int, hidden: int, rule: LearningRule = BACKPROP):
        super().__init__()
        self.norm = RunningNorm(size)
        self.mlp = nn.Sequential(rule.linear(size, hidden), nn.Tanh(), rule.linear(hidden, hidden), nn.Tanh())
        self.out_features = hidden

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.mlp(self.norm(x))


def build_encoders(observation_space: spaces.Dict, cfg: AgentConfig) -> nn.ModuleDict:
    """An encoder per sense, chosen by the sense's space and cfg.vision_encoder; an unknown kind of sense is an
    error."""
    rule = learning_rule(cfg.rule_for("encoders"))
    encoders: dict[str, nn.Module] = {}
    for name, space in observation_space.spaces.items():
        if isinstance(space, spaces.Box) and len(space.shape) == 3 and space.dtype == np.uint8:
            if cfg.vision_encoder == "conv":
                encoders[name] = ImageEncoder(space.shape, cfg.conv_channels, cfg.image_features, cfg.patch_size, rule)
            else:
                encoders[name] = MLPImageEncoder(space.shape, len(cfg.conv_channels) + 1, cfg.image_features, rule)
        elif isinstance(space, spaces.Box) and len(space.shape) == 1:
            encoders[name] = VectorEncoder(space.shape[0], cfg.vector_hidden, rule)
        else:
            raise ValueError(
                f"sense {name!r} has space {space}; supported senses are uint8 images Box(0, 255, (H, W, C)) "
                "and vectors Box(low, high, (k,))"
            )
    return nn.ModuleDict(encoders)
