"""Hearing: sound sources of the task, heard by two ears on the head.

Sound level falls with distance (spherical spreading, 6 dB per doubling). Where a sound is depends on
the two ears: it reaches the nearer ear first (interaural time difference) and louder, because the head
shadows the far ear, most at high frequencies (interaural level difference). Rayleigh's duplex theory:
time differences locate low sounds, level differences high ones. Ears on the movable head let an
animal turn its head to listen, as newborn chicks turn towards the hen's call.
"""

from typing import NamedTuple

import mujoco
import numpy as np
import torch
from gymnasium import spaces

from envs.senses.sense import SensorSense

BANDS = ("low", "mid", "high")  # below 1 kHz, 1 to 4 kHz, above 4 kHz
HEAD_SHADOW_DB = (1.0, 4.0, 10.0)  # per band, at the ear facing away from the source
SPEED_OF_SOUND = 343.0  # m/s
NEAREST = 0.05  # m: closer sources are as loud as at this distance (the level law has no singularity)


class Sounds(NamedTuple):
    """Sound sources in every world (a task's `sound_sources`)."""

    position: torch.Tensor  # [N, S, 3] metres, world frame
    level: torch.Tensor  # [N, S, len(BANDS)] dB at 1 m above the hearing threshold per band; -inf: silent


class Hearing(SensorSense):
    """float32 [n, 3 * len(BANDS) + 1]: the level in each band at the left ear, then at the right ear, in
    bels (tens of dB) above the hearing threshold (0: silence); the interaural level difference
    left - right per band, in bels; and the interaural time difference in milliseconds, positive when the
    sound reaches the left ear first (sources weighted by their power). Worlds without sounds are silent."""

    name = "hearing"

    def __init__(self, ears: tuple[str, str]):
        site = mujoco.mjtObj.mjOBJ_SITE
        super().__init__([(ear, mujoco.mjtSensor.mjSENS_FRAMEPOS, site, ear) for ear in ears])
        self.task = None
        self._shadow = torch.tensor(HEAD_SHADOW_DB, dtype=torch.float64) / 20  # bels, half the shadow's depth

    def bind_task(self, task) -> None:
        self.task = task

    def space(self) -> spaces.Box:
        return spaces.Box(-np.inf, np.inf, (3 * len(BANDS) + 1,), np.float32)

    def labels(self) -> list[str]:
        return [f"{part} {band}" for part in ("L", "R", "ILD") for band in BANDS] + ["ITD"]

    def read(self, backend, env_ids: torch.Tensor | None = None) -> torch.Tensor:
        ears = self.values(backend, env_ids).double().view(-1, 2, 3)
        sources = self.task.sound_sources(backend)
        if sources is None:
            return torch.zeros(len(ears), 3 * len(BANDS) + 1, device=ears.device)
        if env_ids is not None:
            sources = Sounds(*(field[env_ids] for field in sources))
        # A step reads this for every world: few, batched operations (each costs microseconds on a few worlds).
        offset = sources.position[:, None].to(ears) - ears[:, :, None]  # [n, ear, S, 3]
        distance = offset.norm(dim=-1).clamp_min(NEAREST)  # [n, ear, S]
        # Cosine between each ear's outward axis (away from the other ear) and its direction to each source: 1
        # facing it, -1 shadowed.
        outward = ears - ears.flip(1)
        facing = (offset * outward[:, :, None]).sum(dim=-1) / (distance * outward.norm(dim=-1, keepdim=True))
        # Power at each ear: the source's, less the head's shadow (half of HEAD_SHADOW_DB per unit of 1 - facing),
        # falling with the square of the distance. The shadow in bels, once per device.
        self._shadow = self._shadow.to(ears)
        bels = torch.addcmul(sources.level[:, None].to(ears) / 10 - self._shadow, facing[..., None], self._shadow)
        power = torch.pow(10.0, bels) / distance.square()[..., None]  # [n, ear, S, B]
        heard = torch.log10(power.sum(dim=2).add_(1))  # bels above the threshold, [n, ear, B]
        weight = power.sum(dim=(1, 3))  # [n, S]
        lead = (distance[:, 1] - distance[:, 0]) * (1000 / SPEED_OF_SOUND)  # ms by which the left ear leads
        itd = torch.linalg.vecdot(weight, lead) / weight.sum(dim=1).clamp_min(1e-12)
        return torch.cat([heard.flatten(1), heard[:, 0] - heard[:, 1], itd[:, None]], dim=1).float()
