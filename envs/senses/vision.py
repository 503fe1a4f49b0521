"""Vision: an RGB eye, rendered from a camera on the body's head."""

import numpy as np
import torch
from gymnasium import spaces

from envs.senses.sense import Sense


class Vision(Sense):
    """What the eye camera sees, uint8 [n, size, size, 3]."""

    name = "vision"

    def __init__(self, camera: str, size: int):
        self.camera = camera
        self.size = size

    def space(self) -> spaces.Box:
        return spaces.Box(0, 255, (self.size, self.size, 3), np.uint8)

    def read(self, backend, env_ids: torch.Tensor | None = None) -> torch.Tensor:
        return backend.render(self.camera, self.size, env_ids)
