"""Lighting: where the sun stands, how bright and what colour it is, and its slow drift within a life.

The same object under other light sends the eye other pixels; animals learn under a sky that changes by the
hour, and must recognise food at dusk that they learned at noon.
"""

import mujoco
import torch

from envs.richness.factor import Factor, Parts, Span

AZIMUTH = Span(train=(0.0, 240.0), held_out=(250.0, 350.0))  # degrees: where the light comes from
ELEVATION = Span(train=(50.0, 80.0), held_out=(30.0, 45.0))  # degrees above the horizon
INTENSITY = Span(train=(0.5, 0.9), held_out=(0.3, 0.45))  # diffuse brightness of the sun
TINT = Span(train=(0.85, 1.0), held_out=(0.65, 0.8))  # per colour channel, a multiplier of white
DRIFT = Span(train=(0.0, 3.0), held_out=(4.0, 6.0), symmetric=True)  # degrees of azimuth per simulated second
REAIM_SECONDS = 0.5  # the drift moves the light this often: at most 3 degrees at a time, a tenth of the cost


class Lighting(Factor):
    name = "lighting"
    dynamic = True

    def build(self, spec, parts: Parts) -> None:
        self.lights = [light.name for light in spec.lights if light.type == mujoco.mjtLightType.mjLIGHT_DIRECTIONAL]

    def bind(self, model) -> None:
        self.ids = torch.as_tensor([model.light(name).id for name in self.lights], dtype=torch.long)
        self.azimuth: torch.Tensor | None = None
        self.since_aimed = 0.0

    def reset(self, backend, mask, generator) -> None:
        if not len(self.ids):
            return
        n, lights = backend.num_envs, len(self.ids)
        if self.azimuth is None:
            self.azimuth = torch.zeros(n, dtype=torch.float64)
            self.elevation, self.drift = torch.zeros_like(self.azimuth), torch.zeros_like(self.azimuth)
            self.all_worlds = torch.ones(n, dtype=torch.bool)
        self.azimuth = torch.where(mask, AZIMUTH.sample((n,), generator, self.held_out), self.azimuth)
        self.elevation = torch.where(mask, ELEVATION.sample((n,), generator, self.held_out), self.elevation)
        self.drift = torch.where(mask, DRIFT.sample((n,), generator, self.held_out), self.drift)
        colour = INTENSITY.sample((n, 1, 1), generator, self.held_out) * TINT.sample((n, 1, 3), generator,
                                                                                     self.held_out)
        backend.set_model_field("light_diffuse", mask, self.ids, colour.expand(n, lights, 3))
        backend.set_model_field("light_ambient", mask, self.ids, 0.3 * colour.expand(n, lights, 3))
        self._aim(backend, mask)

    def step(self, backend, generator, dt) -> None:
        if not len(self.ids):
            return
        self.since_aimed += dt
        if self.since_aimed >= REAIM_SECONDS - 1e-9:
            self.azimuth += self.drift * self.since_aimed
            self._aim(backend, self.all_worlds)
            self.since_aimed = 0.0

    def _aim(self, backend, mask: torch.Tensor) -> None:
        azimuth, elevation = torch.deg2rad(self.azimuth), torch.deg2rad(self.elevation)
        # The light shines from (azimuth, elevation) towards the ground.
        direction = -torch.stack([torch.cos(elevation) * torch.cos(azimuth), torch.cos(elevation) * torch.sin(azimuth),
                                  torch.sin(elevation)], dim=-1)
        backend.set_model_field("light_dir", mask, self.ids, direction[:, None].expand(-1, len(self.ids), 3))

