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

    The first layer embeds non-overlapping `patch` x `patch` pixel patches (kernel = stride, as in a vision
    transformer's patch embedding): it sees every pixel once and costs a third of a stride-2 3x3 stack on
    the CPU. Stride-2 3x3 convolutions then halve the map per layer, so one architecture serves any eye
    resolution; the width of the final linear layer is measured on a blank image, not computed by hand.
    """

    def __init__(self, shape: tuple[int, int, int], channels: tuple[int, ...], out_features: int, patch: int):
        super().__init__()
        # Zero rows and columns pad an image whose side is not a multiple of the patch, so no pixel is lost.
        pad = nn.ZeroPad2d((0, -shape[1] % patch, 0, -shape[0] % patch))
        layers: list[nn.Module] = [pad, layer_init(nn.Conv2d(shape[2], channels[0], kernel_size=patch, stride=patch)),
                                   nn.ReLU()]
        in_channels = channels[0]
        for c in channels[1:]:
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
            encoders[name] = ImageEncoder(space.shape, cfg.conv_channels, cfg.image_features, cfg.patch_size)
        elif isinstance(space, spaces.Box) and len(space.shape) == 1:
            encoders[name] = VectorEncoder(space.shape[0], cfg.vector_hidden)
        else:
            raise ValueError(
                f"sense {name!r} has space {space}; supported senses are uint8 images Box(0, 255, (H, W, C)) "
                "and vectors Box(low, high, (k,))"
            )
    return nn.ModuleDict(encoders)
