"""Vision: RGB eyes (and optionally depth), rendered from cameras on the body's head."""

import numpy as np
import torch
from gymnasium import spaces

from envs.backends.renderer import MAX_DEPTH
from envs.senses.sense import Sense


class Vision(Sense):
    """What the eyes see, uint8 [n, size, size * eyes, channels]: the eyes side by side, left first; RGB, and a
    fourth channel of depth (0 at the eye, 255 at `MAX_DEPTH` metres or farther) when `depth` is on."""

    max_depth = MAX_DEPTH

    name = "vision"

    def __init__(self, camera: str | tuple[str, ...], size: int, depth: bool = False):
        self.cameras = (camera,) if isinstance(camera, str) else tuple(camera)
        self.size, self.depth = size, depth

    def space(self) -> spaces.Box:
        return spaces.Box(0, 255, (self.size, self.size * len(self.cameras), 4 if self.depth else 3), np.uint8)

    def read(self, backend, env_ids: torch.Tensor | None = None) -> torch.Tensor:
        views = backend.render(self.cameras, self.size, env_ids, depth=self.depth)  # [n, eye, size, size, C]
        return views[:, 0] if len(self.cameras) == 1 else views.permute(0, 2, 1, 3, 4).flatten(2, 3)
