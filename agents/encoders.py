"""One encoder per sense: a small conv net for each eye, a normalised MLP for each vector sense."""

import numpy as np
import torch
from gymnasium import spaces
from torch import nn

from agents.config import AgentConfig
from agents.layer_init import layer_init
from agents.normalizer import RunningNorm


class ImageEncoder(nn.Module):
    """uint8 HWC images [B, H, W, C] -> features [B, out_features].

    Stride-2 convolutions halve the image per layer, so one architecture serves any eye resolution; the
    width of the final linear layer is measured on a blank image rather than computed by hand.
    """

    def __init__(self, shape: tuple[int, int, int], channels: tuple[int, ...], out_features: int):
        super().__init__()
        layers: list[nn.Module] = []
        in_channels = shape[2]
        for c in channels:
            layers += [layer_init(nn.Conv2d(in_channels, c, kernel_size=3, stride=2, padding=1)), nn.ReLU()]
            in_channels = c
        self.conv = nn.Sequential(*layers, nn.Flatten())
        with torch.no_grad():
            flat = self.conv(torch.zeros(1, shape[2], shape[0], shape[1])).shape[1]
        self.head = nn.Sequential(layer_init(nn.Linear(flat, out_features)), nn.ReLU())
        self.out_features = out_features

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        x = image.permute(0, 3, 1, 2).float() / 255.0
        return self.head(self.conv(x))


class VectorEncoder(nn.Module):
    """Float vectors [B, k] -> features [B, hidden], through a running normaliser."""

    def __init__(self, size: int, hidden: int):
        super().__init__()
        self.norm = RunningNorm(size)
        self.mlp = nn.Sequential(
            layer_init(nn.Linear(size, hidden)), nn.Tanh(), layer_init(nn.Linear(hidden, hidden)), nn.Tanh()
        )
        self.out_features = hidden

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.mlp(self.norm(x))


def build_encoders(observation_space: spaces.Dict, cfg: AgentConfig) -> nn.ModuleDict:
    """An encoder per sense, chosen by the sense's space; an unknown kind of sense is an error."""
    encoders = {}
    for name, space in observation_space.spaces.items():
        if isinstance(space, spaces.Box) and len(space.shape) == 3 and space.dtype == np.uint8:
            encoders[name] = ImageEncoder(space.shape, cfg.conv_channels, cfg.image_features)
        elif isinstance(space, spaces.Box) and len(space.shape) == 1:
            encoders[name] = VectorEncoder(space.shape[0], cfg.vector_hidden)
        else:
            raise ValueError(
                f"sense {name!r} has space {space}; supported senses are uint8 images Box(0, 255, (H, W, C)) "
                "and vectors Box(low, high, (k,))"
            )
    return nn.ModuleDict(encoders)
