"""Touch: contact force felt inside receptor sites (snout, body)."""

import mujoco
import torch

from envs.senses.sense import SensorSense


class Touch(SensorSense):
    """One channel per site; log-compressed, as skin receptors saturate rather than grow linearly."""

    name = "touch"

    def __init__(self, sites: tuple[str, ...]):
        super().__init__([(site, mujoco.mjtSensor.mjSENS_TOUCH, mujoco.mjtObj.mjOBJ_SITE, site)
                          for site in sites])

    def read(self, backend, env_ids: torch.Tensor | None = None) -> torch.Tensor:
        return torch.log1p(super().read(backend, env_ids))
